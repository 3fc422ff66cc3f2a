// SPDX-License-Identifier: GPL-2.0
/*
 * System calls that sleep, interrupted by a checkpoint: a child sleeps
 * in nanosleep(), clock_nanosleep(CLOCK_BOOTTIME), FUTEX_WAIT with a
 * timeout, poll() with or without a timeout or ppoll() (restarted from
 * its arguments, not through a restart block), and is checkpointed
 * SLEPT_BEFORE seconds into a SLEEP second sleep.
 *
 * - Left running, its call ends when it would have without the
 *   checkpoint, with the result it would have had.
 * - Killed and restarted after a pause, its call carries on through
 *   restart_syscall(2) and ends with the same result after the time
 *   that was left at the checkpoint, counted from the restart: not
 *   early (as if the absolute end had been kept), not late (as if the
 *   whole sleep had started again), and never with EINTR.
 * - Restarted twice from one image, both copies do so.
 *
 * The child reports the result of its call and the CLOCK_MONOTONIC time
 * it woke at on RES_FD.  That descriptor, and CTL_FD the poll() variants
 * wait on, are pipes whose other end is in the parent: restart gives
 * the restored child the restarting process's descriptors of the same
 * numbers, so the test puts fresh pipes there for each restart.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#define CTL_FD		100	/* the poll() variants wait for a byte here */
#define RES_FD		101	/* the child writes its struct result here */
#define SLEEP_NS	(5 * NSEC)
#define SLEPT_BEFORE_NS	(2 * NSEC)	/* checkpointed this far into it */
#define PAUSE_NS	(1 * NSEC)	/* between the kill and the restart */
#define LATE_NS		(NSEC * 6 / 5)	/* how late a wakeup may be */
#define NSEC		1000000000LL

enum sleep_kind {
	NANOSLEEP,
	CLOCK_NANOSLEEP_BOOTTIME,
	FUTEX_WAIT_TIMEOUT,
	POLL_TIMEOUT,
	POLL_WAKEUP,
	PPOLL_TIMEOUT,
};

struct result {
	long ret;
	int err;
	int revents;
	int64_t woke;		/* CLOCK_MONOTONIC, ns */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static void sleep_ns(int64_t ns)
{
	struct timespec ts = { ns / NSEC, ns % NSEC };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts))
		;
}

static void sleep_until(int64_t t)
{
	int64_t left = t - now_ns();

	if (left > 0)
		sleep_ns(left);
}

/* The system calls themselves: the C library may use others. */
static void sleeper(enum sleep_kind kind, int rep)
{
	struct timespec ts = { SLEEP_NS / NSEC, SLEEP_NS % NSEC };
	struct pollfd pfd = { .fd = CTL_FD, .events = POLLIN };
	uint32_t word = 0;
	struct result r = { 0 };
	int64_t entered;

	entered = now_ns();
	if (write(rep, &entered, sizeof(entered)) != sizeof(entered))
		_exit(1);
	close(rep);

	switch (kind) {
	case NANOSLEEP:
		r.ret = syscall(SYS_nanosleep, &ts, NULL);
		break;
	case CLOCK_NANOSLEEP_BOOTTIME:
		r.ret = syscall(SYS_clock_nanosleep, CLOCK_BOOTTIME, 0, &ts,
				NULL);
		break;
	case FUTEX_WAIT_TIMEOUT:
		r.ret = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &ts,
				NULL, 0);
		break;
	case POLL_TIMEOUT:
		r.ret = syscall(SYS_poll, &pfd, 1, SLEEP_NS / 1000000);
		break;
	case POLL_WAKEUP:
		r.ret = syscall(SYS_poll, &pfd, 1, -1);
		break;
	case PPOLL_TIMEOUT:
		/* Restarted with the time left written back to ts. */
		r.ret = syscall(SYS_ppoll, &pfd, 1, &ts, NULL, 8);
		break;
	}
	r.err = r.ret < 0 ? errno : 0;
	r.revents = pfd.revents;
	r.woke = now_ns();
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	_exit(0);
}

FIXTURE(sleep)
{
	pid_t pid;
	int ctl, res;		/* our ends of its CTL_FD and RES_FD */
	int64_t entered;	/* when it called the sleep */
	int64_t ckpt_start, ckpt_end;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_VARIANT(sleep)
{
	enum sleep_kind kind;
	long nr;		/* the system call it sleeps in */
	long ret;		/* what the call returns */
	int err;
	/*
	 * ppoll() counts the time left from when it runs again, not from
	 * the restart: its end moves with how late the restored task is
	 * scheduled, which under emulation can be a second.
	 */
	int64_t late_ns;	/* beyond LATE_NS */
};

FIXTURE_VARIANT_ADD(sleep, nanosleep)
{
	.kind = NANOSLEEP,
	.nr = __NR_nanosleep,
};

FIXTURE_VARIANT_ADD(sleep, clock_nanosleep_boottime)
{
	.kind = CLOCK_NANOSLEEP_BOOTTIME,
	.nr = __NR_clock_nanosleep,
};

FIXTURE_VARIANT_ADD(sleep, futex_wait_timeout)
{
	.kind = FUTEX_WAIT_TIMEOUT,
	.nr = __NR_futex,
	.ret = -1,
	.err = ETIMEDOUT,
};

FIXTURE_VARIANT_ADD(sleep, poll_timeout)
{
	.kind = POLL_TIMEOUT,
	.nr = __NR_poll,
};

FIXTURE_VARIANT_ADD(sleep, ppoll_timeout)
{
	.kind = PPOLL_TIMEOUT,
	.nr = __NR_ppoll,
	.late_ns = 2 * NSEC,
};

FIXTURE_VARIANT_ADD(sleep, poll_wakeup)
{
	.kind = POLL_WAKEUP,
	.nr = __NR_poll,
	.ret = 1,
};

/* Start the sleeper; checkpoint it SLEPT_BEFORE_NS into its sleep. */
static int start_and_checkpoint(struct _test_data_sleep *self,
				const struct _fixture_variant_sleep *variant,
				unsigned long flags)
{
	int rep[2];
	long ret;

	if (pipe2(rep, O_CLOEXEC))
		return -errno;
	self->ctl = pipe_at(CTL_FD, true);
	self->res = pipe_at(RES_FD, false);
	if (self->ctl < 0 || self->res < 0)
		return -errno;
	self->pid = fork();
	if (self->pid < 0)
		return -errno;
	if (!self->pid) {
		close(rep[0]);
		close(self->ctl);
		close(self->res);
		sleeper(variant->kind, rep[1]);
	}
	close(rep[1]);
	close(CTL_FD);
	close(RES_FD);
	ret = read(rep[0], &self->entered, sizeof(self->entered));
	close(rep[0]);
	if (ret != sizeof(self->entered))
		return -EIO;
	ret = wait_in_syscall(self->pid, variant->nr);
	if (ret)
		return ret;
	sleep_until(self->entered + SLEPT_BEFORE_NS);

	self->ckpt_start = now_ns();
	ret = checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK | flags,
			       &self->img, self->log, sizeof(self->log));
	self->ckpt_end = now_ns();
	return ret < 0 ? ret : 0;
}

/* Read the child's report and reap it; 0 or -1. */
static int collect(struct __test_metadata *_metadata, pid_t pid, int ctl,
		   int res, struct result *r)
{
	int st;

	if (ctl >= 0) {
		/* Only the wakeup variant waits for it. */
		if (write(ctl, "x", 1) != 1)
			return -1;
	}
	alarm(60);
	if (read(res, r, sizeof(*r)) != sizeof(*r))
		return -1;
	alarm(0);
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 0;
}

static void check_result(struct __test_metadata *_metadata,
			 const struct _fixture_variant_sleep *variant,
			 const struct result *r)
{
	EXPECT_EQ(variant->ret, r->ret);
	EXPECT_EQ(variant->err, r->err)
		TH_LOG("errno %d (%s)", r->err, strerror(r->err));
	if (variant->kind == POLL_WAKEUP)
		EXPECT_EQ(POLLIN, r->revents);
}

/*
 * The call must end within [earliest, earliest + spread + LATE_NS]:
 * @spread is how much the saved and restored times are uncertain.
 */
static void check_woke(struct __test_metadata *_metadata,
		       const struct _fixture_variant_sleep *variant,
		       const struct result *r, int64_t earliest, int64_t spread)
{
	if (variant->kind == POLL_WAKEUP)
		return;
	EXPECT_LE(earliest, r->woke)
		TH_LOG("woke %lld ms early", (long long)(earliest - r->woke) / 1000000);
	EXPECT_GE(earliest + spread + LATE_NS + variant->late_ns, r->woke)
		TH_LOG("woke %lld ms late",
		       (long long)(r->woke - earliest - spread) / 1000000);
}

FIXTURE_SETUP(sleep)
{
	memset(&self->img, 0, sizeof(self->img));
	self->pid = -1;
	self->ctl = -1;
	self->res = -1;
}

FIXTURE_TEARDOWN(sleep)
{
	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, 0);
	}
	if (self->ctl >= 0)
		close(self->ctl);
	if (self->res >= 0)
		close(self->res);
	image_free(&self->img);
}

TEST_F(sleep, continues_after_checkpoint)
{
	struct result r;

	ASSERT_EQ(0, start_and_checkpoint(self, variant, 0))
		TH_LOG("log: %s", self->log);
	ASSERT_EQ(0, collect(_metadata, self->pid,
			     variant->kind == POLL_WAKEUP ? self->ctl : -1,
			     self->res, &r));
	self->pid = -1;
	check_result(_metadata, variant, &r);
	check_woke(_metadata, variant, &r, self->entered + SLEEP_NS, 0);
}

/*
 * Restart the image after a pause and check the call ends after the
 * time that was left.
 */
static void restart_and_check(struct __test_metadata *_metadata,
			      struct _test_data_sleep *self,
			      const struct _fixture_variant_sleep *variant)
{
	int64_t left_max, left_min, rs[2] = { 0 }, rs_start, rs_end;
	struct result r;
	int ctl, res;
	long pid;

	sleep_ns(PAUSE_NS);
	pid = restart_with_pipes(&self->img, CTL_FD, &ctl, RES_FD, &res,
				 self->log, sizeof(self->log), rs);
	rs_start = rs[0];
	rs_end = rs[1];
	ASSERT_EQ(self->pid, pid)
		TH_LOG("log: %s", self->log);

	ASSERT_EQ(0, collect(_metadata, pid,
			     variant->kind == POLL_WAKEUP ? ctl : -1, res, &r));
	close(ctl);
	close(res);
	check_result(_metadata, variant, &r);
	left_min = SLEEP_NS - (self->ckpt_end - self->entered);
	left_max = SLEEP_NS - (self->ckpt_start - self->entered);
	check_woke(_metadata, variant, &r, rs_start + left_min,
		   rs_end - rs_start + left_max - left_min);
}

TEST_F(sleep, restarts_with_the_time_left)
{
	ASSERT_EQ(0, start_and_checkpoint(self, variant, CHECKPOINT_KILL))
		TH_LOG("log: %s", self->log);
	ASSERT_EQ(self->pid, waitpid(self->pid, NULL, 0));
	close(self->ctl);
	close(self->res);
	self->ctl = -1;
	self->res = -1;

	restart_and_check(_metadata, self, variant);
	self->pid = -1;
}

TEST_F(sleep, restarts_twice_from_one_image)
{
	ASSERT_EQ(0, start_and_checkpoint(self, variant, CHECKPOINT_KILL))
		TH_LOG("log: %s", self->log);
	ASSERT_EQ(self->pid, waitpid(self->pid, NULL, 0));
	close(self->ctl);
	close(self->res);
	self->ctl = -1;
	self->res = -1;

	restart_and_check(_metadata, self, variant);
	restart_and_check(_metadata, self, variant);
	self->pid = -1;
}

/*
 * A sleep on a CPU-time clock cannot be saved: the checkpoint fails and
 * names the task and the call, and the sleeper carries on unharmed.  It
 * sleeps for CPU time of ours, which we then spend.
 */
TEST(cpu_clock_sleep_is_refused)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	char log[CKPT_LOG_SIZE], want[64];
	struct pollfd pfd;
	clockid_t clock;
	int res[2], st;
	long ret;
	pid_t pid;

	ASSERT_EQ(0, clock_getcpuclockid(getpid(), &clock));
	ASSERT_EQ(0, pipe2(res, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(res[0]);
		ret = syscall(SYS_clock_nanosleep, clock, 0, &ts, NULL);
		if (write(res[1], &ret, sizeof(ret)) != sizeof(ret))
			_exit(2);
		_exit(0);
	}
	close(res[1]);
	ASSERT_EQ(0, wait_in_syscall(pid, __NR_clock_nanosleep));

	ret = checkpoint_image(pid, CHECKPOINT_SCOPE_TASK, NULL, log, sizeof(log));
	EXPECT_EQ(-EOPNOTSUPP, ret);
	snprintf(want, sizeof(want), "system call %d", __NR_clock_nanosleep);
	EXPECT_NE(NULL, strstr(log, want))
		TH_LOG("log: %s", log);

	/* Spend the CPU time it waits for; it wakes with 0, not EINTR. */
	pfd.fd = res[0];
	pfd.events = POLLIN;
	alarm(120);
	while (!poll(&pfd, 1, 0))
		;
	alarm(0);
	ASSERT_EQ(sizeof(ret), read(res[0], &ret, sizeof(ret)));
	EXPECT_EQ(0, ret);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(res[0]);
}

TEST_HARNESS_MAIN
