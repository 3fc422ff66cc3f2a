/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the checkpoint/restart tools: the system calls and the
 * exit codes.  The image format and the flags are in
 * <linux/checkpoint.h>.
 */
#ifndef _TOOLS_CHECKPOINT_CKPT_H
#define _TOOLS_CHECKPOINT_CKPT_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <linux/checkpoint.h>

#if !defined(__NR_checkpoint) && defined(__x86_64__) && !defined(__ILP32__)
#define __NR_checkpoint	463
#define __NR_restart	464
#endif

/*
 * Elsewhere the calls have no number: make them with one that no
 * kernel knows, which fails as a kernel without them does.
 */
#ifndef __NR_checkpoint
#define __NR_checkpoint	(-1L)
#define __NR_restart	(-1L)
#endif

/* Exit codes of the tools */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/*
 * Where the system calls are not wired up they fail with ENOSYS.  The
 * two unused argument registers are zeroed: since Linux 6.13, 463 and
 * 464 are setxattrat() and getxattrat(), which then fail with EINVAL
 * before looking at anything else.
 */
static inline long sys_checkpoint(pid_t pid, int fd, unsigned long flags,
				  int logfd)
{
	return syscall(__NR_checkpoint, pid, fd, flags, logfd, 0UL, 0UL);
}

static inline long sys_restart(pid_t pid, int fd, unsigned long flags,
			       int logfd)
{
	return syscall(__NR_restart, pid, fd, flags, logfd, 0UL, 0UL);
}

/*
 * checkpoint(2) fails with EAGAIN, and a log line that says ": try
 * again", when the set changed (a fork, an exit) while it was being
 * held, and with EBUSY while another checkpoint holds one of its tasks.
 * Both pass: the tasks are released unharmed and the call may be made
 * again, after a pause that grows.  The kernel may have written part of
 * an image first, so the image is cut back to where it started, which
 * only a regular file allows: to a pipe or a device, no retry.  A
 * process that refused the checkpoint (EAGAIN too, but no "try again")
 * is not asked again, and EBUSY is retried only a few times, as it may
 * also be for good (a task shares something with one outside the set).
 */
#define CKPT_RETRIES		9	/* by default: 10 tries in all */
#define CKPT_RETRIES_BUSY	3	/* at most, for EBUSY */
#define CKPT_PAUSE_MS		10	/* before the first retry, then doubled */
#define CKPT_PAUSE_MAX_MS	500

struct ckpt_retry {
	int fd;			/* the image */
	off_t start;		/* its offset before the first try, or -1 */
	int retries;		/* made so far */
	int max;		/* allowed */
	long pause_ms;		/* before the next one */
};

/* Before the first try of a checkpoint to @fd, to be retried @max times */
static inline void ckpt_retry_init(struct ckpt_retry *r, int fd, int max)
{
	struct stat st;

	r->fd = fd;
	r->start = -1;
	/* With O_APPEND (">>"), the image starts at the end. */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode))
		r->start = fcntl(fd, F_GETFL) & O_APPEND ? st.st_size :
			   lseek(fd, 0, SEEK_CUR);
	r->retries = 0;
	r->max = max;
	r->pause_ms = CKPT_PAUSE_MS;
}

/*
 * After a try that failed with *@err and wrote @log (NULL: unknown) on
 * the log: true, once the image is rewound and the pause is over, if the
 * call is to be made again.  A pause cut short by a signal sets *@err to
 * EINTR.  With @prog, a line on standard error tells of each retry.
 */
static inline bool ckpt_retry(struct ckpt_retry *r, int *err,
			      const char *log, const char *prog)
{
	struct timespec ts = {
		.tv_sec = r->pause_ms / 1000,
		.tv_nsec = r->pause_ms % 1000 * 1000000,
	};
	int max = r->max;

	if (*err == EBUSY && max > CKPT_RETRIES_BUSY)
		max = CKPT_RETRIES_BUSY;
	if (*err == EAGAIN ? !log || !strstr(log, ": try again") :
	    *err != EBUSY)
		return false;
	if (r->retries >= max || r->start < 0 || ftruncate(r->fd, r->start) ||
	    lseek(r->fd, r->start, SEEK_SET) != r->start)
		return false;
	if (prog)
		fprintf(stderr, "%s: %s: trying again in %ld ms (%d of %d)\n",
			prog, strerror(*err), r->pause_ms, r->retries + 1, max);
	if (nanosleep(&ts, NULL)) {
		*err = errno;
		return false;
	}
	r->retries++;
	r->pause_ms *= 2;
	if (r->pause_ms > CKPT_PAUSE_MAX_MS)
		r->pause_ms = CKPT_PAUSE_MAX_MS;
	return true;
}

/*
 * The errno of a system call the kernel does not have (ENOSYS), told by
 * its name: strerror() alone is puzzling, so the tools add a hint.
 */
static inline bool ckpt_no_syscall(int err)
{
	const char *name = strerrorname_np(err);

	return name && !strcmp(name, "ENOSYS");
}

#define NO_SYSCALL_HINT	" (a kernel without CONFIG_CHECKPOINT?)"

/* A usage error of tool @prog: say so, point at --help, exit 2. */
static inline void ckpt_usage_error(const char *prog, const char *msg)
{
	if (msg)
		fprintf(stderr, "%s: %s\n", prog, msg);
	fprintf(stderr, "Try '%s --help'.\n", prog);
	exit(EXIT_USAGE);
}

/*
 * The maps of a user namespace its maker is alone in, as a user without
 * privileges may write them (see user_namespaces(7)): its own uid and
 * gid, to themselves, with setgroups(2) denied.  The lines are made
 * before the namespace, with ckpt_self_maps_init(); writing them takes
 * only open(2), write(2) and close(2), for the child of a raw clone.
 */
struct ckpt_self_maps {
	char uid[32], gid[32];
};

static inline void ckpt_self_maps_init(struct ckpt_self_maps *m)
{
	snprintf(m->uid, sizeof(m->uid), "%u %u 1\n", geteuid(), geteuid());
	snprintf(m->gid, sizeof(m->gid), "%u %u 1\n", getegid(), getegid());
}

static inline int ckpt_write_self(const char *file, const char *s)
{
	ssize_t len = strlen(s);
	int fd, ret = -1;

	fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, s, len) == len)
		ret = 0;
	close(fd);
	return ret;
}

/* 0, or -1 with errno set. */
static inline int ckpt_self_maps_write(const struct ckpt_self_maps *m)
{
	if (ckpt_write_self("/proc/self/setgroups", "deny") ||
	    ckpt_write_self("/proc/self/uid_map", m->uid) ||
	    ckpt_write_self("/proc/self/gid_map", m->gid))
		return -1;
	return 0;
}

/*
 * The log fd the kernel writes its messages to: none with --quiet,
 * standard error by default, or the file @path (created or emptied).
 */
static inline int ckpt_open_log(const char *prog, const char *path,
				bool quiet)
{
	int fd;

	if (quiet)
		return -1;
	if (!path)
		return STDERR_FILENO;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		exit(EXIT_FAIL);
	}
	return fd;
}

/*
 * --relocate OLD=NEW of restart and cr_restart, in relocate.c: restart(2)
 * reads the image through a pipe that a thread fills, with the paths
 * of the files it reopens that are OLD or below it moved to NEW.
 */
#define CKPT_RELOCATE_MAX	16	/* BLCR's CR_MAX_RSTRT_RELOC */

struct ckpt_relocate {
	char old_path[CKPT_PATH_MAX];	/* absolute, no trailing or repeated slash */
	char new_path[CKPT_PATH_MAX];
};

struct ckpt_relocations {
	struct ckpt_relocate r[CKPT_RELOCATE_MAX];
	unsigned int nr;
};

/*
 * Add the relocation OLD=NEW of @arg, where "\=" is "=" and "\\" is "\":
 * 0, or an errno and in *@msg (malloc()ed, or NULL) what is wrong.
 * Nothing is allocated for a relocation: @rl holds the paths.
 */
int ckpt_relocate_parse(struct ckpt_relocations *rl, const char *arg, char **msg);

struct ckpt_relocate_feed;

/*
 * Start a thread that copies the image on @in, relocated, into a pipe:
 * return the read end, for restart(2), or -1 with errno set.
 */
int ckpt_relocate_start(const struct ckpt_relocations *rl, int in,
			struct ckpt_relocate_feed **feed);
/*
 * Once restart(2) returned: close the read end and wait for the thread.
 * 0, or the errno of what kept it from copying the image whole, and
 * what that was in @msg.  restart(2) then failed with ENODATA.
 */
int ckpt_relocate_finish(struct ckpt_relocate_feed *feed, char *msg, size_t size);
/* The same copy from @in to @out, in the calling thread */
int ckpt_relocate_copy(const struct ckpt_relocations *rl, int in, int out,
		       char *msg, size_t size);

/*
 * The BLCR-compatible tools (cr_checkpoint, cr_restart, cr_run) exit as
 * BLCR's did: 0, the errno of the failure & 0xff, or 255 for a usage
 * error.  Their shared code is in cr_common.c.
 */
#define CR_EXIT_USAGE	255
#define CR_VERSION	"0.8.5"		/* the BLCR release they follow */

/* BLCR's errors above the kernel's range, as exit statuses (& 0xff) */
#define CR_ETEMPFAIL	2354
#define CR_EPERMFAIL	2355

/* The process-callback prctl()s (Documentation/checkpoint/callbacks.rst) */
#ifndef PR_SET_CHECKPOINT_SIGNAL
#define PR_SET_CHECKPOINT_SIGNAL	0x43505401
#endif
#ifndef PR_CHECKPOINT_READY
#define PR_CHECKPOINT_READY		0x43505403
#endif
#ifndef PR_CHECKPOINT_OMIT
#define PR_CHECKPOINT_OMIT		1
#endif

/* The exit status of a failure with errno @err: never 0. */
static inline int cr_exit_status(int err)
{
	return err & 0xff ? err & 0xff : EXIT_FAIL;
}

/* How much of the kernel's log to show (--kmsg-*) */
enum cr_kmsg {
	CR_KMSG_NONE,
	CR_KMSG_ERROR,		/* on failure (the default) */
	CR_KMSG_WARNING,	/* always */
};

/* The kernel's messages, read through a pipe given as the log fd */
struct cr_kmsg_log {
	int fd[2];		/* read and write ends, -1 when closed */
	char *text;		/* what was read, NUL terminated */
};

int cr_kmsg_open(struct cr_kmsg_log *log);
void cr_kmsg_collect(struct cr_kmsg_log *log);
void cr_kmsg_print(const struct cr_kmsg_log *log, const char *prog);
void cr_kmsg_close(struct cr_kmsg_log *log);

/* A signal number 0 (none) to SIGRTMAX, or -1 */
int cr_parse_signal(const char *s);
/* A non-negative int, or -1 */
int cr_parse_uint(const char *s);

/* A usage error of tool @prog: say so, point at --help, exit 255. */
noreturn void cr_usage_error(const char *prog, const char *msg);
/* Print @usage on standard output and exit 0. */
noreturn void cr_help(const char *usage);
/* Print the version of tool @prog and exit 0. */
noreturn void cr_version(const char *prog);
/* "@prog: " and the message, on a line of standard error */
void cr_vwarn(const char *prog, const char *fmt, va_list ap);

struct option;

/*
 * getopt_long() for the BLCR tools: -? is returned as 'h', and a bad
 * option or a missing argument, which getopt_long() reported, is a
 * usage error of @prog.
 */
int cr_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *longopts, int *idx, const char *prog);

/*
 * The options cr_checkpoint and cr_restart share, as getopt_long()
 * returns them besides -S and -q: each tool numbers its own from
 * CR_OPT_NEXT.
 */
enum {
	CR_OPT_RUN = 0x100,	/* --run, then the signals to send */
	CR_OPT_STOP,
	CR_OPT_TERM,
	CR_OPT_ABORT,
	CR_OPT_KILL,
	CR_OPT_CONT,
	CR_OPT_KMSG_NONE,
	CR_OPT_KMSG_ERROR,
	CR_OPT_KMSG_WARNING,
	CR_OPT_NEXT,
};

/* What they set */
struct cr_opts {
	int signal;		/* to send after the call, 0 for none */
	enum cr_kmsg kmsg;
	bool kmsg_set;		/* a --kmsg-* was given */
	bool quiet;		/* -q */
};

/*
 * Parse @c, with its argument @arg, if it is one of them: 1 if it is,
 * 0 if not, -1 for a bad signal number.
 */
int cr_opts_parse(struct cr_opts *o, int c, const char *arg);
/* Once all are read: -q without --kmsg-* shows no kernel message. */
void cr_opts_check(struct cr_opts *o);

/* The processes a checkpoint(2) scope names, as /proc shows them now */
struct cr_task {
	pid_t pid, ppid, pgrp, sid;
	bool in_set;
};

struct cr_tasks {
	struct cr_task *task;
	size_t nr;
};

int cr_tasks_find(struct cr_tasks *ts, unsigned long scope, pid_t id);
bool cr_tasks_has(const struct cr_tasks *ts, pid_t pid);
int cr_tasks_kill(const struct cr_tasks *ts, int sig, pid_t except);
void cr_tasks_free(struct cr_tasks *ts);

#endif /* _TOOLS_CHECKPOINT_CKPT_H */
