/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the libcr (BLCR compatibility library) selftests: a worker
 * process that uses libcr as a BLCR program does, and talks to the test
 * through the pipes of restart_util.h (CTL_FD, RES_FD), so that a copy
 * restored from an image talks to the test that restarted it.
 *
 * The worker waits for one command byte at a time on CTL_FD and answers
 * "report" commands with a struct report whose value[] holds the
 * counters each test defines.
 */
#ifndef __BLCR_UTIL_H
#define __BLCR_UTIL_H

#define REPORT_NR_OTHER		1
#define REPORT_NR_STATUS	1
#define REPORT_NR_VALUE		32

#include "restart_util.h"
#include "libcr.h"

#define CMD_REPORT	'r'	/* send a report */
#define CMD_QUIT	'q'	/* exit 0 */

/* Is the callback interface of Documentation/checkpoint/callbacks.rst there? */
static inline bool blcr_kernel_has_callbacks(void)
{
	int sig = -1;

	return prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0) == 0;
}

#define BLCR_NO_CALLBACKS_MSG \
	"no prctl(PR_GET_CHECKPOINT_SIGNAL): a kernel without checkpoint callbacks"

/*
 * Start a worker: it runs @fn(@arg) in a child with the pipes at
 * CTL_FD and RES_FD, whose other ends go to *@ctl and *@res.  Returns
 * its pid or -errno.
 */
static inline pid_t blcr_spawn(void (*fn)(long), long arg, int *ctl, int *res)
{
	pid_t pid;

	*ctl = pipe_at(CTL_FD, true);
	*res = pipe_at(RES_FD, false);
	if (*ctl < 0 || *res < 0)
		return -errno;
	pid = fork_tasks(*ctl, *res);
	if (pid < 0)
		return -errno;
	if (!pid) {
		fn(arg);
		_exit(99);
	}
	return pid;
}

/* Send a command byte to the worker. */
static inline int blcr_cmd(int ctl, char c)
{
	return write(ctl, &c, 1) == 1 ? 0 : -errno;
}

/* Ask the worker for a report and read it; 0 or -errno. */
static inline int blcr_ask(int ctl, int res, struct report *r)
{
	int err = blcr_cmd(ctl, CMD_REPORT);

	return err ? err : read_timed(res, r, sizeof(*r));
}

/* In the worker: wait until no checkpoint is in progress. */
static inline void blcr_wait_idle(void)
{
	int i;

	for (i = 0; i < WAIT_SECS * 1000 && cr_status() != CR_STATE_IDLE; i++)
		usleep(1000);
}

/* Kill a worker and reap it (it may be restored from its image later). */
static inline void blcr_kill(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	wait_timed(pid, &st);
}

/* The test's pid as checkpoint(2)'s callers and restart(2)'s are seen. */
#define TEST_PID()	getpid()

#endif /* __BLCR_UTIL_H */
