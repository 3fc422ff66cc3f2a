/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the restart selftests whose tasks report to the
 * test through pipes (restart_ns, restart_scope): the report a task
 * sends, the steps of its set-up that can fail, waits bounded by an
 * alarm, a helper process that restarts an image, and the patterned
 * data that the tasks pass through pipes.
 *
 * The tasks wait on CTL_FD and report on RES_FD, whose other ends are
 * the test's: restart gives the restored tasks the restarting process's
 * descriptors of the same numbers.  A test reads the reports of its
 * tasks by role, below 8.
 *
 * The includer sets the sizes of the arrays of struct report first:
 * REPORT_NR_OTHER, REPORT_NR_STATUS and REPORT_NR_VALUE.
 *
 * As in checkpoint_util.h, nothing here calls the harness ASSERT
 * macros: errors are returned.
 */
#ifndef __RESTART_UTIL_H
#define __RESTART_UTIL_H

#include "checkpoint_util.h"

#if !defined(REPORT_NR_OTHER) || !defined(REPORT_NR_STATUS) || !defined(REPORT_NR_VALUE)
#error "define REPORT_NR_OTHER, REPORT_NR_STATUS and REPORT_NR_VALUE first"
#endif

#define CTL_FD		100
#define RES_FD		101
#define WAIT_SECS	30	/* the longest any one wait may take */

/* What a task tells the test, after its set-up and at its end. */
struct report {
	int role;
	int done;			/* 0: set up, 1: finished */
	int err;			/* enum step that failed, or 0 */
	pid_t pid, ppid, pgid, sid;
	pid_t other[REPORT_NR_OTHER];	/* pids it knows of */
	int status[REPORT_NR_STATUS];	/* wait statuses it collected */
	int value[REPORT_NR_VALUE];	/* more results: see each role */
};

enum step {
	STEP_OK,
	STEP_SETUP,		/* a pipe, fork, thread, prctl or setsid() */
	STEP_CTL,		/* reading the byte that lets it go */
	STEP_DATA,		/* the data through a pipe */
	STEP_WAIT,		/* waiting for a child */
	STEP_ZOMBIE,		/* a zombie was not as it should be */
	STEP_REPARENT,		/* reparenting to the subreaper */
	STEP_SIGCHLD,		/* counting SIGCHLD */
	STEP_PGRP,		/* making or joining a process group */
};

static inline const char *step_name(int step)
{
	static const char *const step_names[] = {
		[STEP_OK] = "nothing",
		[STEP_SETUP] = "set-up",
		[STEP_CTL] = "reading the control pipe",
		[STEP_DATA] = "pipe data",
		[STEP_WAIT] = "waiting for a child",
		[STEP_ZOMBIE] = "a zombie child",
		[STEP_REPARENT] = "reparenting to the subreaper",
		[STEP_SIGCHLD] = "counting SIGCHLD",
		[STEP_PGRP] = "making or joining a process group",
	};

	if (step < 0 || step >= (int)ARRAY_SIZE(step_names))
		return "unknown step";
	return step_names[step];
}

static inline void put_report(struct report *r)
{
	if (write(RES_FD, r, sizeof(*r)) != sizeof(*r))
		_exit(90);
}

static inline void fill_ids(struct report *r)
{
	r->pid = getpid();
	r->ppid = getppid();
	r->pgid = getpgid(0);
	r->sid = getsid(0);
}

/* Wait for the byte on CTL_FD that lets the task go. */
static inline void wait_byte(struct report *r)
{
	char c;

	if (read(CTL_FD, &c, 1) != 1 && !r->err)
		r->err = STEP_CTL;
}

/* Report the set-up, then wait for the byte that lets the task go. */
static inline void set_up(struct report *r)
{
	fill_ids(r);
	put_report(r);
	wait_byte(r);
}

/* The final report; the task exits with 10 + its role. */
static inline void done(struct report *r)
{
	fill_ids(r);
	r->done = 1;
	put_report(r);
	_exit(10 + r->role);
}

/* ------------------------------------------------------------------ */
/* Bounded waits                                                       */

static int alarm_fired;

static inline void on_alarm(int sig)
{
	__atomic_store_n(&alarm_fired, 1, __ATOMIC_SEQ_CST);
}

/* SIGALRM interrupts the blocking call it arrives in: no SA_RESTART. */
static inline void catch_alarm(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

static inline void arm(void)
{
	__atomic_store_n(&alarm_fired, 0, __ATOMIC_SEQ_CST);
	alarm(WAIT_SECS);
}

/* @ret, or -ETIMEDOUT if it is an error and the alarm fired. */
static inline long disarm(long ret)
{
	alarm(0);
	return ret < 0 && __atomic_load_n(&alarm_fired, __ATOMIC_SEQ_CST) ?
	       -ETIMEDOUT : ret;
}

/* Read @len bytes; 0, -EPIPE at end of file or -errno (-ETIMEDOUT). */
static inline int read_timed(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int err = 0;

	arm();
	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0) {
			err = n < 0 ? -errno : -EPIPE;
			break;
		}
		got += n;
	}
	return disarm(err);
}

/* waitpid() of @pid; 0 or -errno (-ETIMEDOUT). */
static inline int wait_timed(pid_t pid, int *status)
{
	int ret;

	arm();
	ret = waitpid(pid, status, __WALL);
	return disarm(ret == pid ? 0 : -errno);
}

/*
 * Read @nr reports of phase @is_done into @by_role, by role (below
 * @nr_roles, each once).  0, -EPROTO for an unexpected report, or the
 * error of the read.
 */
static inline int read_reports(int fd, struct report *by_role, int nr_roles,
			       int nr, int is_done)
{
	bool seen[8] = { false };
	struct report r;
	int i, err;

	for (i = 0; i < nr; i++) {
		err = read_timed(fd, &r, sizeof(r));
		if (err)
			return err;
		if (r.role < 0 || r.role >= nr_roles || seen[r.role] ||
		    r.done != is_done)
			return -EPROTO;
		seen[r.role] = true;
		by_role[r.role] = r;
	}
	return 0;
}

/* checkpoint_image() bounded by the alarm. */
static inline long checkpoint_timed(pid_t pid, unsigned long flags,
				    struct ckpt_image *img, char *log,
				    size_t logsize)
{
	arm();
	return disarm(checkpoint_image(pid, flags, img, log, logsize));
}

/*
 * restart_with_pipes() of @img bounded by the alarm, the restored tasks
 * given CTL_FD and RES_FD, whose other ends go to *@ctl and *@res.
 */
static inline long restart_timed(const struct ckpt_image *img, int *ctl,
				 int *res, char *log, size_t logsize)
{
	arm();
	return disarm(restart_with_pipes(img, CTL_FD, ctl, RES_FD, res, log,
					  logsize, NULL));
}

/* Wait until @pid does not exist any more, reaping what we may reap. */
static inline int wait_gone(pid_t pid)
{
	int i;

	for (i = 0; i < WAIT_SECS * 1000; i++) {
		if (kill(pid, 0) && errno == ESRCH)
			return 0;
		waitpid(-1, NULL, WNOHANG | __WALL);
		usleep(1000);
	}
	return -ETIMEDOUT;
}

/* Reap every child that is or becomes a zombie within about a second. */
static inline void reap_all(void)
{
	int i;

	for (i = 0; i < 1000; i++) {
		pid_t pid = waitpid(-1, NULL, WNOHANG | __WALL);

		if (pid < 0)
			return;
		if (!pid)
			usleep(1000);
	}
}

/* ------------------------------------------------------------------ */
/* Starting the tasks                                                  */

/*
 * fork() the first task, after pipe_at() put the tasks' ends at CTL_FD
 * and RES_FD and gave us @ctl and @res.  The child keeps only the
 * former, we only the latter.
 */
static inline pid_t fork_tasks(int ctl, int res)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (!pid) {
		close(ctl);
		close(res);
	} else if (pid > 0) {
		close(CTL_FD);
		close(RES_FD);
	}
	return pid;
}

/* Close our ends of the tasks' pipes and forget them. */
static inline void close_ctl_res(int *ctl, int *res)
{
	close(*ctl);
	close(*res);
	*ctl = -1;
	*res = -1;
}

/* ------------------------------------------------------------------ */
/* Restarting from a helper process                                    */

/*
 * A helper, which the test forks, restarts an image (in a pid namespace
 * of its own, say) and reaps the restored root: what it found, written
 * where the test reads it (shared memory).
 */
struct helper_out {
	long ret;		/* restart(2)'s result, or -errno of a step */
	int status;		/* the restored root's wait status */
	bool reaped;		/* status is valid */
	char log[CKPT_LOG_SIZE];
};

/* A step of the helper failed: -errno and "@what: error" go to @out. */
static inline void helper_failed(struct helper_out *out, const char *what)
{
	int err = errno;

	out->ret = -err;
	snprintf(out->log, sizeof(out->log), "%s: %s", what, strerror(err));
}

/*
 * restart(2) of the image at @imgfd with @target and @flags, from the
 * helper: its result and its log go to @out.
 */
static inline void helper_restart(struct helper_out *out, pid_t target,
				  int imgfd, unsigned long flags)
{
	int lp[2];

	if (log_pipe(lp)) {
		helper_failed(out, "log pipe");
		return;
	}
	out->ret = ckpt_ret(sys_restart(target, imgfd, flags, lp[1]));
	log_drain(lp[0], out->log, sizeof(out->log));
}

/*
 * The end of the helper: it tells the test on @notify that restart(2)
 * returned, reaps the restored root, if any, into @out and exits.
 */
static inline void __noreturn helper_exit(struct helper_out *out, int notify)
{
	int st;

	close(CTL_FD);
	close(RES_FD);
	if (write(notify, "r", 1) != 1)
		_exit(1);
	if (out->ret > 0 && waitpid(out->ret, &st, __WALL) == out->ret) {
		out->status = st;
		out->reaped = true;
	}
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* Data through pipes                                                  */

/* Bytes through the pipes: a pattern per pipe, chosen by @salt. */
#define DATA_MAX	4096	/* the most put_data() writes at once */
#define SUM_INIT	2166136261u	/* FNV-1a */

static inline unsigned char data_byte(int salt, int i)
{
	return i * 7 + salt;
}

static inline __u32 sum_byte(__u32 sum, unsigned char c)
{
	return (sum ^ c) * 16777619u;
}

/* The checksum of the first @n bytes of the pattern. */
static inline __u32 pattern_sum(int salt, int n)
{
	__u32 sum = SUM_INIT;
	int i;

	for (i = 0; i < n; i++)
		sum = sum_byte(sum, data_byte(salt, i));
	return sum;
}

/* Write bytes @from to @from + @n of the pattern; 0 or STEP_DATA. */
static inline int put_data(int fd, int salt, int from, int n)
{
	unsigned char buf[DATA_MAX];
	int i;

	if (n > (int)sizeof(buf))
		return STEP_DATA;
	for (i = 0; i < n; i++)
		buf[i] = data_byte(salt, from + i);
	return write(fd, buf, n) == n ? 0 : STEP_DATA;
}

/*
 * Read up to end of file: the pattern, @total bytes; 0 or STEP_DATA.
 * Their number and checksum go to @got and @sum if not NULL.
 */
static inline int take_data(int fd, int salt, int total, int *got, __u32 *sum)
{
	__u32 s = SUM_INIT;
	unsigned char buf[512];
	int n_got = 0, err = 0, i;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] != data_byte(salt, n_got + i))
				err = STEP_DATA;
			s = sum_byte(s, buf[i]);
		}
		n_got += n;
	}
	if (got)
		*got = n_got;
	if (sum)
		*sum = s;
	if (n < 0 || n_got != total || s != pattern_sum(salt, total))
		err = STEP_DATA;
	return err;
}

#endif /* __RESTART_UTIL_H */
