// SPDX-License-Identifier: GPL-2.0
/*
 * restart - restore processes from a checkpoint image with restart(2),
 * or with --validate only have the kernel check the image.
 *
 * The image is read from standard input or from a file.  The kernel's
 * messages go to standard error or to a log file.
 *
 * The restored processes are children of restart, which waits for them
 * as a shell waits for a job and exits as the root one does: with its
 * exit status, or killed by the same signal.
 *
 * --pidns restores them in a new pid namespace, made with
 * unshare(CLONE_NEWPID) just before restart(2): the root of the image
 * must have had pid 1, the init of its namespace, and becomes the init
 * of the new one.  A user who may not make a pid namespace makes it in
 * a user namespace of its own, as cr_restart --no-restore-pid does.
 * --cgroup DIR creates the root in the cgroup v2 DIR (made if it does
 * not exist), where its descendants stay unless they were elsewhere;
 * with --freeze the cgroup is frozen first, so that the processes come
 * back frozen, and restart leaves them so and exits.  A failed restart
 * unfreezes the cgroup and removes it if it made them.
 *
 * --relocate OLD=NEW, as BLCR's cr_restart has it, moves the paths of
 * the files restart(2) reopens from under OLD to under NEW, in user
 * space (relocate.c): the image goes to restart(2) through a pipe that
 * a thread fills, rewriting the records that carry such paths, with the
 * identity of the files found at the new paths, which the user vouches
 * for.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckpt.h"

static const char usage_text[] =
	"Usage: restart [OPTIONS]\n"
	"Restore the processes saved in a checkpoint image.\n"
	"\n"
	"  -f, --file FILE  read the image from FILE, not from standard input\n"
	"      --relocate OLD=NEW\n"
	"                   reopen the files saved under OLD (a directory or a\n"
	"                   file) from under NEW, trusting them; see below\n"
	"      --validate   only check the image; print nothing if it is valid\n"
	"  -d, --detach     do not wait for the restored process; print its pid\n"
	"      --pidns      restore in a new pid namespace (the image's root\n"
	"                   must have pid 1); without CAP_SYS_ADMIN, in a new\n"
	"                   user namespace too, mapping only our uid and gid\n"
	"      --cgroup DIR create the processes in the cgroup v2 directory DIR,\n"
	"                   made if it does not exist\n"
	"      --freeze     freeze the cgroup first (cgroup.freeze): the processes\n"
	"                   are restored frozen; implies --detach\n"
	"  -l, --log FILE   write the kernel's messages to FILE, not to stderr\n"
	"  -q, --quiet      do not ask the kernel for messages\n"
	"  -h, --help       print this help\n"
	"\n"
	"--relocate: OLD and NEW are absolute paths; \\= and \\\\ stand for = and \\.\n"
	"Up to 16 may be given: the first whose OLD is a path or one of its\n"
	"leading directories applies to it.  The paths moved are those of open\n"
	"and mapped files, executables, working directories, chroot roots and\n"
	"the ptmx devices of ptys; addresses of unix sockets stay.  The file\n"
	"found at a new path is taken as the one saved: its inode, device, size\n"
	"and modification time replace those restart(2) would check and refuse\n"
	"a changed file for (ESTALE).\n"
	"\n"
	"Exit status: that of the restored process; with --validate or --detach\n"
	"0 valid (or restored), 1 invalid (or failed); 2 usage error.\n";

enum {
	OPT_VALIDATE = 0x100,
	OPT_PIDNS,
	OPT_CGROUP,
	OPT_FREEZE,
	OPT_RELOCATE,
};

static const struct option long_options[] = {
	{ "file",	required_argument,	NULL, 'f' },
	{ "validate",	no_argument,		NULL, OPT_VALIDATE },
	{ "detach",	no_argument,		NULL, 'd' },
	{ "pidns",	no_argument,		NULL, OPT_PIDNS },
	{ "cgroup",	required_argument,	NULL, OPT_CGROUP },
	{ "freeze",	no_argument,		NULL, OPT_FREEZE },
	{ "relocate",	required_argument,	NULL, OPT_RELOCATE },
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
	bool pidns;
	bool freeze;
	const char *cgroup;	/* NULL: the caller's */
	unsigned long flags;	/* RESTART_* */
	struct ckpt_relocations relocate;
};

/* The cgroup of --cgroup, and what restart did to it */
struct cgroup {
	const char *path;
	int fd;
	bool made;		/* restart made the directory */
	bool froze;		/* restart froze it */
};

static void parse_relocate(struct options *o, const char *arg)
{
	char *msg;
	int err;

	err = ckpt_relocate_parse(&o->relocate, arg, &msg);
	if (err)
		ckpt_usage_error("restart", msg ? msg : strerror(err));
}

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
		case OPT_PIDNS:
			o->pidns = true;
			break;
		case OPT_CGROUP:
			o->cgroup = optarg;
			break;
		case OPT_FREEZE:
			o->freeze = true;
			break;
		case OPT_RELOCATE:
			parse_relocate(o, optarg);
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
	if ((o->flags & RESTART_VALIDATE) && (o->pidns || o->cgroup || o->freeze))
		ckpt_usage_error("restart",
				 "--validate restores nothing: no --pidns, --cgroup or --freeze");
	if (o->freeze && !o->cgroup)
		ckpt_usage_error("restart", "--freeze needs --cgroup");
	/* Frozen, the processes would not run: nothing to wait for. */
	if (o->freeze)
		o->detach = true;
}

/* Write @val to the file @name of the cgroup; 0 or -1 with errno set. */
static int cgroup_write(const struct cgroup *cg, const char *name, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, err;

	fd = openat(cg->fd, name, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, val, len);
	err = n < 0 ? errno : EIO;
	close(fd);
	if (n == (ssize_t)len)
		return 0;
	errno = err;
	return -1;
}

/* Whether the cgroup is frozen already, as its cgroup.freeze says */
static bool cgroup_frozen(const struct cgroup *cg)
{
	char c = '0';
	int fd;

	fd = openat(cg->fd, "cgroup.freeze", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c == '1';
}

/*
 * Open the cgroup directory of --cgroup, made if it does not exist, and
 * freeze it with --freeze.
 */
static int cgroup_open(struct cgroup *cg, const char *path, bool freeze)
{
	cg->path = path;
	cg->made = false;
	cg->froze = false;
	if (!mkdir(path, 0755))
		cg->made = true;
	else if (errno != EEXIST)
		goto fail;
	cg->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->fd < 0)
		goto fail;
	if (freeze && !cgroup_frozen(cg)) {
		if (cgroup_write(cg, "cgroup.freeze", "1")) {
			fprintf(stderr, "restart: %s/cgroup.freeze: %s\n", path,
				strerror(errno));
			close(cg->fd);
			goto undo;
		}
		cg->froze = true;
	}
	return 0;
fail:
	fprintf(stderr, "restart: %s: %s\n", path, strerror(errno));
undo:
	if (cg->made)
		rmdir(path);
	return -1;
}

/* After a failed restart: leave the cgroup as it was found. */
static void cgroup_undo(struct cgroup *cg)
{
	if (cg->froze && cgroup_write(cg, "cgroup.freeze", "0"))
		fprintf(stderr, "restart: %s/cgroup.freeze: %s\n", cg->path,
			strerror(errno));
	close(cg->fd);
	if (cg->made && rmdir(cg->path))
		fprintf(stderr, "restart: %s: %s\n", cg->path, strerror(errno));
}

/*
 * Wait for the restored processes that are our children: the root and,
 * for an image of a process group or session, those whose parent was not
 * saved.  End as the root ended.
 */
static int wait_job(pid_t pid)
{
	bool root_done = false;
	int st = 0, s;
	pid_t p;

	for (;;) {
		p = waitpid(-1, &s, 0);
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			break;
		if (p == pid) {
			st = s;
			root_done = true;
		}
	}
	if (!root_done) {
		fprintf(stderr, "restart: waitpid %d: %s\n", pid, strerror(errno));
		return EXIT_FAIL;
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	signal(WTERMSIG(st), SIG_DFL);
	raise(WTERMSIG(st));
	return 128 + WTERMSIG(st);
}

/*
 * After restart(2), with --relocate: whether a failure to relocate cut
 * the image short, which restart(2) then said ended early.
 */
static bool relocate_failed(struct ckpt_relocate_feed *feed, long ret, int err)
{
	char msg[512];
	int rerr;

	rerr = ckpt_relocate_finish(feed, msg, sizeof(msg));
	if (ret >= 0 || err != ENODATA || !rerr)
		return false;
	fprintf(stderr, "restart: --relocate: %s\n", msg);
	return true;
}

/*
 * --pidns: our children, the root of the image first, go in a new pid
 * namespace.  A user who may not make one makes it in a user namespace
 * of its own, as unshare(1) -U -p would: there its uid and gid alone
 * are mapped, to themselves, and restart(2) gives the processes only
 * credentials it holds.  A process with threads (--relocate's) cannot
 * make a user namespace.  0, or -1 once the reason is told.
 */
static int unshare_pidns(bool threads)
{
	struct ckpt_self_maps maps;
	int err;

	if (!unshare(CLONE_NEWPID))
		return 0;
	err = errno;
	if (err == EPERM && geteuid() && !threads) {
		ckpt_self_maps_init(&maps);
		if (!unshare(CLONE_NEWUSER | CLONE_NEWPID)) {
			if (!ckpt_self_maps_write(&maps))
				return 0;
			fprintf(stderr,
				"restart: --pidns: cannot map our uid and gid in a new user namespace: %s\n",
				strerror(errno));
			return -1;
		}
		err = errno;
	}
	fprintf(stderr, "restart: --pidns: unshare(CLONE_NEWPID): %s%s\n",
		strerror(err),
		err != EPERM ? "" : threads ?
		" (needs CAP_SYS_ADMIN with --relocate)" :
		" (needs CAP_SYS_ADMIN)");
	return -1;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct cgroup cg = { .fd = -1 };
	struct ckpt_relocate_feed *feed = NULL;
	const char *name;
	int fd, img, logfd, err;
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
	/* Before --pidns: once our children go to another pid namespace, no thread can be made. */
	img = fd;
	if (o.relocate.nr) {
		img = ckpt_relocate_start(&o.relocate, fd, &feed);
		if (img < 0) {
			fprintf(stderr, "restart: --relocate: %s\n", strerror(errno));
			return EXIT_FAIL;
		}
	}

	if (o.pidns && unshare_pidns(!!feed))
		return EXIT_FAIL;
	if (o.cgroup) {
		if (cgroup_open(&cg, o.cgroup, o.freeze))
			return EXIT_FAIL;
		o.flags |= RESTART_CGROUP;
	}

	ret = sys_restart(o.cgroup ? cg.fd : 0, img, o.flags, logfd);
	err = ret < 0 ? errno : 0;
	if (feed && relocate_failed(feed, ret, err)) {
		if (o.cgroup)
			cgroup_undo(&cg);
		return EXIT_FAIL;
	}
	if (ret < 0) {
		fprintf(stderr, "restart: %s: %s%s\n", name, strerror(err),
			ckpt_no_syscall(err) ? NO_SYSCALL_HINT : "");
		if (o.cgroup)
			cgroup_undo(&cg);
		return EXIT_FAIL;
	}
	if (o.cgroup)
		close(cg.fd);
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
