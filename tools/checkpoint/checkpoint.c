// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint - save a process, or a process and its descendants, or the
 * processes of a cgroup, to an image with checkpoint(2).
 *
 * The image goes to standard output or to a file.  A file is written
 * under a temporary name and renamed when the checkpoint succeeded, so
 * that a failed checkpoint leaves a previous image of the same name
 * alone.  The kernel's messages go to standard error or to a log file.
 *
 * By default the processes go on running.  --kill and --stop have the
 * kernel kill or stop them after a successful checkpoint, before they
 * run again, so that nothing they do after the image was taken is lost.
 * A failed checkpoint leaves them running in every case.
 *
 * --pgid and --sid save the processes of the process group or session
 * that PID leads, with their threads; those whose parent is outside come
 * back as children of restart.
 *
 * With --cgroup DIR the processes are those of a cgroup v2 and of its
 * descendant cgroups, which the user froze first (cgroup.freeze): the
 * kernel is given an fd of DIR instead of a pid.  They must form one
 * process tree.
 *
 * A checkpoint that met a tree changing under it, or another checkpoint,
 * is made again a few times (--retries) when the image is a regular
 * file, which is cut back first (ckpt_retry()).  The kernel's messages
 * go through a memfd so that those of a try made again are not shown.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ckpt.h"

static const char usage_text[] =
	"Usage: checkpoint [OPTIONS] PID\n"
	"       checkpoint [OPTIONS] --cgroup DIR\n"
	"Save process PID and its descendants to a checkpoint image.\n"
	"\n"
	"  -f, --file FILE  write the image to FILE, not to standard output\n"
	"      --tree       save PID and all its descendants (the default)\n"
	"      --pid        save only process PID (with all its threads)\n"
	"      --pgid       save the process group that PID leads\n"
	"      --sid        save the session that PID leads\n"
	"      --pidfd      PID is the number of an open pidfd, not a pid\n"
	"      --cgroup DIR save every process of the cgroup v2 directory DIR\n"
	"                   and of its descendants, which must be frozen\n"
	"                   (cgroup.freeze) and form one process tree\n"
	"      --kill       kill the processes once they are saved (SIGKILL)\n"
	"      --stop       stop them once they are saved (SIGSTOP)\n"
	"      --no-callbacks  do not tell the processes that asked to be\n"
	"                   told of checkpoints (PR_SET_CHECKPOINT_SIGNAL)\n"
	"      --save-exe   save the executable by its contents\n"
	"      --save-private  save the files mapped privately (libraries, the\n"
	"                   executable) by their contents\n"
	"      --save-shared   save the files mapped shared by their contents\n"
	"      --save-all   save every mapped file by its contents: the image\n"
	"                   restarts where they are gone or changed, on copies\n"
	"      --reset-sockets  save sockets of kinds restart cannot make\n"
	"                   (netlink, packet, raw, ...) instead of failing: they\n"
	"                   come back as reset ones, which fail when used\n"
	"      --tcp-repair save established TCP connections to the outside\n"
	"                   to be taken up again by restart (their peers wait;\n"
	"                   with --kill, they are closed without a word to\n"
	"                   them) rather than as reset ones\n"
	"  -l, --log FILE   write the kernel's messages to FILE, not to stderr\n"
	"  -q, --quiet      do not show the kernel's messages\n"
	"      --retries N  make the call again up to N times (default 9) while\n"
	"                   it fails because the processes changed meanwhile or\n"
	"                   another checkpoint holds one (EAGAIN, EBUSY), if\n"
	"                   the image is a regular file; 0: never\n"
	"  -h, --help       print this help\n"
	"\n"
	"Exit status: 0 saved, 1 failed, 2 usage error.\n";

enum {
	OPT_TREE = 0x100,
	OPT_PID,
	OPT_PIDFD,
	OPT_KILL,
	OPT_STOP,
	OPT_CGROUP,
	OPT_PGID,
	OPT_SID,
	OPT_NO_CALLBACKS,
	OPT_RETRIES,
	OPT_SAVE_EXE,
	OPT_SAVE_PRIVATE,
	OPT_SAVE_SHARED,
	OPT_SAVE_ALL,
	OPT_RESET_SOCKETS,
	OPT_TCP_REPAIR,
};

static const struct option long_options[] = {
	{ "file",	required_argument,	NULL, 'f' },
	{ "tree",	no_argument,		NULL, OPT_TREE },
	{ "pid",	no_argument,		NULL, OPT_PID },
	{ "pidfd",	no_argument,		NULL, OPT_PIDFD },
	{ "kill",	no_argument,		NULL, OPT_KILL },
	{ "stop",	no_argument,		NULL, OPT_STOP },
	{ "cgroup",	required_argument,	NULL, OPT_CGROUP },
	{ "pgid",	no_argument,		NULL, OPT_PGID },
	{ "sid",	no_argument,		NULL, OPT_SID },
	{ "no-callbacks", no_argument,		NULL, OPT_NO_CALLBACKS },
	{ "log",	required_argument,	NULL, 'l' },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "retries",	required_argument,	NULL, OPT_RETRIES },
	{ "save-exe",	no_argument,		NULL, OPT_SAVE_EXE },
	{ "save-private", no_argument,		NULL, OPT_SAVE_PRIVATE },
	{ "save-shared", no_argument,		NULL, OPT_SAVE_SHARED },
	{ "save-all",	no_argument,		NULL, OPT_SAVE_ALL },
	{ "reset-sockets", no_argument,		NULL, OPT_RESET_SOCKETS },
	{ "tcp-repair", no_argument,		NULL, OPT_TCP_REPAIR },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 }
};

struct options {
	const char *file;	/* NULL: standard output */
	const char *log;	/* NULL: standard error */
	bool quiet;
	unsigned long flags;	/* CHECKPOINT_* */
	int pid;		/* or pidfd, or fd of the cgroup */
	const char *cgroup;	/* --cgroup DIR */
	int retries;		/* --retries N */
};

/* Where the image goes. */
struct output {
	const char *name;	/* for messages */
	const char *path;	/* final name, NULL if written in place */
	char *tmp;		/* temporary name, NULL if written in place */
	int fd;
};

static void parse_options(int argc, char **argv, struct options *o)
{
	bool pid_opt = false;	/* --tree, --pid or --pidfd given */
	const char *arg;
	char *end;
	long val;
	int c;

	while ((c = getopt_long(argc, argv, "f:l:qh", long_options, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->file = optarg;
			break;
		case OPT_TREE:
			o->flags = (o->flags & ~CHECKPOINT_SCOPE_MASK) |
				   CHECKPOINT_SCOPE_TREE;
			pid_opt = true;
			break;
		case OPT_PID:
			o->flags = (o->flags & ~CHECKPOINT_SCOPE_MASK) |
				   CHECKPOINT_SCOPE_TASK;
			pid_opt = true;
			break;
		case OPT_PGID:
			o->flags = (o->flags & ~CHECKPOINT_SCOPE_MASK) |
				   CHECKPOINT_SCOPE_PGRP;
			pid_opt = true;
			break;
		case OPT_SID:
			o->flags = (o->flags & ~CHECKPOINT_SCOPE_MASK) |
				   CHECKPOINT_SCOPE_SESSION;
			pid_opt = true;
			break;
		case OPT_PIDFD:
			o->flags |= CHECKPOINT_PIDFD;
			pid_opt = true;
			break;
		case OPT_CGROUP:
			o->cgroup = optarg;
			break;
		case OPT_KILL:
			o->flags |= CHECKPOINT_KILL;
			break;
		case OPT_NO_CALLBACKS:
			o->flags |= CHECKPOINT_NO_CALLBACKS;
			break;
		case OPT_STOP:
			o->flags |= CHECKPOINT_STOP;
			break;
		case OPT_SAVE_EXE:
			o->flags |= CHECKPOINT_SAVE_EXE;
			break;
		case OPT_SAVE_PRIVATE:
			o->flags |= CHECKPOINT_SAVE_PRIVATE;
			break;
		case OPT_SAVE_SHARED:
			o->flags |= CHECKPOINT_SAVE_SHARED;
			break;
		case OPT_SAVE_ALL:
			o->flags |= CHECKPOINT_SAVE_ALL;
			break;
		case OPT_RESET_SOCKETS:
			o->flags |= CHECKPOINT_RESET_SOCKETS;
			break;
		case OPT_TCP_REPAIR:
			o->flags |= CHECKPOINT_TCP_REPAIR;
			break;
		case 'l':
			o->log = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_RETRIES:
			errno = 0;
			val = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || val < 0 || val > INT_MAX)
				ckpt_usage_error("checkpoint",
						 "--retries takes a number, 0 or more");
			o->retries = val;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		default:
			ckpt_usage_error("checkpoint", NULL);
		}
	}

	if (o->quiet && o->log)
		ckpt_usage_error("checkpoint", "--log and --quiet do not go together");
	if ((o->flags & CHECKPOINT_KILL) && (o->flags & CHECKPOINT_STOP))
		ckpt_usage_error("checkpoint", "--kill and --stop do not go together");
	if (o->cgroup) {
		if (pid_opt)
			ckpt_usage_error("checkpoint",
					 "--cgroup does not go with --tree, --pid, --pgid, --sid or --pidfd");
		if (optind < argc)
			ckpt_usage_error("checkpoint", "no PID goes with --cgroup");
		o->flags = (o->flags & ~CHECKPOINT_SCOPE_MASK) | CHECKPOINT_SCOPE_CGROUP;
		return;
	}
	if (optind != argc - 1)
		ckpt_usage_error("checkpoint", optind < argc ? "too many arguments" :
				 "no PID given");

	arg = argv[optind];
	errno = 0;
	val = strtol(arg, &end, 10);
	if (errno || end == arg || *end || val < 0 || val > INT_MAX ||
	    (val == 0 && !(o->flags & CHECKPOINT_PIDFD))) {
		fprintf(stderr, "checkpoint: '%s' is not a %s\n", arg,
			o->flags & CHECKPOINT_PIDFD ? "file descriptor" : "pid");
		ckpt_usage_error("checkpoint", NULL);
	}
	o->pid = val;
}

/*
 * An existing FILE that is not a regular file (a fifo, /dev/null, a
 * terminal) is written in place: renaming over it would replace it.
 */
static int open_output(const char *file, struct output *out)
{
	struct stat st;

	out->fd = -1;
	out->path = NULL;
	out->tmp = NULL;
	if (!file || !strcmp(file, "-")) {
		out->name = "standard output";
		out->fd = STDOUT_FILENO;
	} else if (!stat(file, &st) && !S_ISREG(st.st_mode)) {
		out->name = file;
		out->fd = open(file, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	} else {
		out->name = file;
		out->path = file;
		out->tmp = malloc(strlen(file) + sizeof(".tmp"));
		if (!out->tmp) {
			fprintf(stderr, "checkpoint: %s\n", strerror(ENOMEM));
			return -1;
		}
		sprintf(out->tmp, "%s.tmp", file);
		/* Remove a leftover of a checkpoint that was killed. */
		if (unlink(out->tmp) && errno != ENOENT) {
			fprintf(stderr, "checkpoint: %s: %s\n", out->tmp,
				strerror(errno));
			return -1;
		}
		out->fd = open(out->tmp, O_WRONLY | O_CREAT | O_EXCL |
			       O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	if (out->fd < 0) {
		fprintf(stderr, "checkpoint: %s: %s\n",
			out->tmp ? out->tmp : out->name, strerror(errno));
		free(out->tmp);		/* not ours to remove */
		out->tmp = NULL;
		return -1;
	}
	if (isatty(out->fd))
		ckpt_usage_error("checkpoint",
				 "refusing to write an image to a terminal: use -f FILE");
	return 0;
}

/* Make the image durable under its final name. */
static int commit_output(struct output *out)
{
	if (!out->tmp)
		return 0;
	if (fsync(out->fd) || close(out->fd)) {
		fprintf(stderr, "checkpoint: %s: %s\n", out->tmp, strerror(errno));
		out->fd = -1;
		return -1;
	}
	out->fd = -1;
	if (rename(out->tmp, out->path)) {
		fprintf(stderr, "checkpoint: %s: %s\n", out->path, strerror(errno));
		return -1;
	}
	free(out->tmp);
	out->tmp = NULL;
	return 0;
}

static void discard_output(struct output *out)
{
	if (!out->tmp)
		return;
	if (out->fd >= 0)
		close(out->fd);
	unlink(out->tmp);
	free(out->tmp);
	out->tmp = NULL;
}

/*
 * The kernel's messages of one try: written to a memfd, and to the log
 * (if any) once the last try is over.  Without a memfd the kernel writes
 * to the log, and no try is made again.
 */
struct klog {
	int fd;			/* the memfd, or -1 */
	char *text;		/* what the last try wrote, NUL terminated */
	size_t len;
};

/* After a try: read what it wrote, and empty the memfd for the next. */
static void klog_take(struct klog *k)
{
	struct stat st;
	ssize_t n;

	free(k->text);
	k->text = NULL;
	k->len = 0;
	if (k->fd < 0 || fstat(k->fd, &st))
		return;
	k->text = malloc(st.st_size + 1);
	if (!k->text)
		return;
	n = pread(k->fd, k->text, st.st_size, 0);
	k->len = n > 0 ? n : 0;
	k->text[k->len] = '\0';
	if (ftruncate(k->fd, 0) || lseek(k->fd, 0, SEEK_SET))
		fprintf(stderr, "checkpoint: memfd: %s\n", strerror(errno));
}

static void klog_put(const struct klog *k, int logfd)
{
	size_t done = 0;
	ssize_t n;

	while (logfd >= 0 && done < k->len) {
		n = write(logfd, k->text + done, k->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += n;
	}
}

int main(int argc, char **argv)
{
	struct options o = {
		.flags = CHECKPOINT_SCOPE_TREE,
		.retries = CKPT_RETRIES,
	};
	struct klog k = { .fd = -1 };
	struct ckpt_retry r;
	struct output out;
	int logfd, err;
	long ret;

	parse_options(argc, argv, &o);
	logfd = ckpt_open_log("checkpoint", o.log, o.quiet);
	if (o.cgroup) {
		o.pid = open(o.cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (o.pid < 0) {
			fprintf(stderr, "checkpoint: %s: %s\n", o.cgroup, strerror(errno));
			return EXIT_FAIL;
		}
	}
	if (open_output(o.file, &out)) {
		discard_output(&out);
		return EXIT_FAIL;
	}

	k.fd = memfd_create("checkpoint-log", MFD_CLOEXEC);
	ckpt_retry_init(&r, out.fd, k.fd < 0 ? 0 : o.retries);
	for (;;) {
		ret = sys_checkpoint(o.pid, out.fd, o.flags, k.fd < 0 ? logfd : k.fd);
		err = errno;
		klog_take(&k);
		if (ret >= 0 || !ckpt_retry(&r, &err, k.text, NULL))
			break;
	}
	klog_put(&k, logfd);
	free(k.text);
	if (ret < 0) {
		discard_output(&out);
		if (o.cgroup)
			fprintf(stderr, "checkpoint: cgroup %s: %s%s\n", o.cgroup,
				strerror(err), ckpt_no_syscall(err) ? NO_SYSCALL_HINT : "");
		else
			fprintf(stderr, "checkpoint: %s %d: %s%s\n",
				o.flags & CHECKPOINT_PIDFD ? "pidfd" : "pid", o.pid,
				strerror(err), ckpt_no_syscall(err) ? NO_SYSCALL_HINT : "");
		return EXIT_FAIL;
	}
	if (commit_output(&out)) {
		discard_output(&out);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
