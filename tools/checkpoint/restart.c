// SPDX-License-Identifier: GPL-2.0
/*
 * restart - restore processes from a checkpoint image with restart(2),
 * or with --validate only have the kernel check the image.
 *
 * The image is read from standard input or from a file.  The kernel's
 * messages go to standard error or to a log file.
 *
 * The restored processes are children of restart, which waits for the
 * root one as a shell waits for a job and exits as it does: with its
 * exit status, or killed by the same signal.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckpt.h"

static const char usage_text[] =
	"Usage: restart [OPTIONS]\n"
	"Restore the processes saved in a checkpoint image.\n"
	"\n"
	"  -f, --file FILE  read the image from FILE, not from standard input\n"
	"      --validate   only check the image; print nothing if it is valid\n"
	"  -d, --detach     do not wait for the restored process; print its pid\n"
	"  -l, --log FILE   write the kernel's messages to FILE, not to stderr\n"
	"  -q, --quiet      do not ask the kernel for messages\n"
	"  -h, --help       print this help\n"
	"\n"
	"Exit status: that of the restored process; with --validate or --detach\n"
	"0 valid (or restored), 1 invalid (or failed); 2 usage error.\n";

enum {
	OPT_VALIDATE = 0x100,
};

static const struct option long_options[] = {
	{ "file",	required_argument,	NULL, 'f' },
	{ "validate",	no_argument,		NULL, OPT_VALIDATE },
	{ "detach",	no_argument,		NULL, 'd' },
	{ "log",	required_argument,	NULL, 'l' },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 }
};

struct options {
	const char *file;	/* NULL: standard input */
	const char *log;	/* NULL: standard error */
	bool quiet;
	bool detach;
	unsigned long flags;	/* RESTART_* */
};

static void parse_options(int argc, char **argv, struct options *o)
{
	int c;

	while ((c = getopt_long(argc, argv, "f:dl:qh", long_options, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->file = optarg;
			break;
		case 'd':
			o->detach = true;
			break;
		case OPT_VALIDATE:
			o->flags |= RESTART_VALIDATE;
			break;
		case 'l':
			o->log = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		default:
			ckpt_usage_error("restart", NULL);
		}
	}
	if (optind < argc)
		ckpt_usage_error("restart", "too many arguments");
	if (o->quiet && o->log)
		ckpt_usage_error("restart", "--log and --quiet do not go together");
}

/* Wait for the restored root process and end as it ended. */
static int wait_job(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "restart: waitpid %d: %s\n", pid,
				strerror(errno));
			return EXIT_FAIL;
		}
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	signal(WTERMSIG(st), SIG_DFL);
	raise(WTERMSIG(st));
	return 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	const char *name;
	int fd, logfd, err;
	long ret;

	parse_options(argc, argv, &o);
	logfd = ckpt_open_log("restart", o.log, o.quiet);

	if (!o.file || !strcmp(o.file, "-")) {
		name = "standard input";
		fd = STDIN_FILENO;
	} else {
		name = o.file;
		fd = open(o.file, O_RDONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "restart: %s: %s\n", name, strerror(errno));
			return EXIT_FAIL;
		}
	}
	if (isatty(fd))
		ckpt_usage_error("restart",
				 "refusing to read an image from a terminal: use -f FILE");

	ret = sys_restart(0, fd, o.flags, logfd);
	if (ret < 0) {
		err = errno;
		fprintf(stderr, "restart: %s: %s%s\n", name, strerror(err),
			ckpt_no_syscall(err) ? NO_SYSCALL_HINT : "");
		return EXIT_FAIL;
	}
	if (o.flags & RESTART_VALIDATE)
		return EXIT_OK;
	if (fd != STDIN_FILENO)
		close(fd);
	if (o.detach) {
		printf("%ld\n", ret);
		return EXIT_OK;
	}
	return wait_job((pid_t)ret);
}
