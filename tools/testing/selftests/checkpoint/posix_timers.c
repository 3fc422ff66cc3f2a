// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX timers (timer_create(2)) across checkpoint and restart.  A child
 * makes a timer and deletes it, so the timer under test has id 1 and
 * the next one made gets id 2, then makes the timer under test:
 *
 * - oneshot: CLOCK_MONOTONIC, SIGRTMIN with a value, TIMER_S from now;
 * - thread_id: the same, but SIGEV_THREAD_ID to itself, SIGRTMIN + 1;
 * - realtime_abstime: CLOCK_REALTIME, TIMER_ABSTIME at TIMER_S from now;
 * - periodic_pending: every PERIOD_NS with SIGRTMIN blocked, so its
 *   signal is pending and the expiries after the first are overruns;
 * - sigev_none: CLOCK_BOOTTIME without a signal, read with
 *   timer_gettime();
 * - rearmed_pending: a one-shot timer that expired with SIGRTMIN
 *   blocked, then was set again for TIMER_S: its old signal is pending
 *   while it runs.
 *
 * It is checkpointed CKPT_AT_NS after making it, and then
 *
 * - left running, it behaves as if there had been no checkpoint;
 * - killed and restarted after a pause, a relative timer expires after
 *   the time that was left at the checkpoint, counted from the restart
 *   (the pause is not counted, in overruns either), an absolute
 *   CLOCK_REALTIME timer at its time; the signal is the timer's, with
 *   its id, value and overrun count, and a periodic timer carries on;
 * - restarted twice from one image, both copies do so.
 *
 * Every run also checks that the deleted id stays free and that the
 * next timer made gets the id it would have got.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#define CTL_FD		100	/* some variants wait for a byte here */
#define RES_FD		101	/* the child writes its struct result here */
#define NSEC		1000000000LL
#define TIMER_S		5
#define CKPT_AT_NS	(2 * NSEC)	/* checkpointed this long after */
#define PAUSE_NS	(1 * NSEC)	/* between the kill and the restart */
#define LATE_NS		(NSEC * 6 / 5)	/* how late a wakeup may be */
#define PERIOD_NS	(100 * 1000000LL)
#define SIGVAL		0x5eed
#define TIMER_ID	1
#define NEXT_ID		2

enum timer_kind {
	ONESHOT,
	THREAD_ID,
	REALTIME_ABSTIME,
	PERIODIC_PENDING,
	SIGEV_NONE_TIMER,
	REARMED_PENDING,
};

struct result {
	int64_t made;		/* CLOCK_MONOTONIC before it armed the timer */
	int64_t armed;		/* and after */
	int64_t woke;		/* when it got the signal or the byte */
	int64_t woke_real;	/* the same, CLOCK_REALTIME */
	int64_t target_real;	/* realtime_abstime: when it expires */
	int64_t left;		/* sigev_none: timer_gettime() at woke */
	int64_t next_gap;	/* periodic: from woke to the next signal */
	int signo, code, timerid, overrun, value, next_overrun;
	int next_id;		/* id of a timer made at the end */
	int deleted_errno;	/* timer_gettime() of the deleted id */
	int err;		/* where the child failed, or 0 */
};

static int64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static int64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
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

static int sys_timer_create(clockid_t clk, struct sigevent *sev, int *id)
{
	return syscall(SYS_timer_create, clk, sev, id);
}

static int sys_timer_settime(int id, int flags, int64_t value,
			     int64_t interval)
{
	struct itimerspec its = {
		.it_value = { value / NSEC, value % NSEC },
		.it_interval = { interval / NSEC, interval % NSEC },
	};

	return syscall(SYS_timer_settime, id, flags, &its, NULL);
}

static int64_t sys_timer_left(int id)
{
	struct itimerspec its;

	if (syscall(SYS_timer_gettime, id, &its))
		return -errno;
	return its.it_value.tv_sec * NSEC + its.it_value.tv_nsec;
}

/* Make the timer of @kind, with id TIMER_ID; 0 or the step that failed. */
static int make_timer(enum timer_kind kind, struct result *r)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_SIGNAL,
		.sigev_signo = SIGRTMIN,
		.sigev_value.sival_int = SIGVAL,
	};
	clockid_t clk = CLOCK_MONOTONIC;
	int64_t value = TIMER_S * NSEC, interval = 0;
	int flags = 0, id;

	if (sys_timer_create(CLOCK_MONOTONIC, NULL, &id) || id != 0)
		return 1;
	if (syscall(SYS_timer_delete, id))
		return 2;

	switch (kind) {
	case ONESHOT:
		break;
	case THREAD_ID:
		sev.sigev_notify = SIGEV_THREAD_ID;
		sev.sigev_signo = SIGRTMIN + 1;
		sev._sigev_un._tid = gettid();
		break;
	case REALTIME_ABSTIME:
		clk = CLOCK_REALTIME;
		flags = TIMER_ABSTIME;
		r->target_real = clock_ns(CLOCK_REALTIME) + value;
		value = r->target_real;
		break;
	case PERIODIC_PENDING:
		value = PERIOD_NS;
		interval = PERIOD_NS;
		break;
	case SIGEV_NONE_TIMER:
		clk = CLOCK_BOOTTIME;
		sev.sigev_notify = SIGEV_NONE;
		break;
	case REARMED_PENDING:
		break;
	}
	if (sys_timer_create(clk, &sev, &id) || id != TIMER_ID)
		return 3;
	if (kind == REARMED_PENDING) {
		sigset_t pending;

		if (sys_timer_settime(id, 0, PERIOD_NS, 0))
			return 5;
		do {
			sleep_ns(PERIOD_NS);
			sigpending(&pending);
		} while (!sigismember(&pending, SIGRTMIN));
	}
	r->made = now_ns();
	if (sys_timer_settime(id, flags, value, interval))
		return 4;
	r->armed = now_ns();
	return 0;
}

static void note_signal(struct result *r, const siginfo_t *si)
{
	r->woke = now_ns();
	r->woke_real = clock_ns(CLOCK_REALTIME);
	r->signo = si->si_signo;
	r->code = si->si_code;
	r->timerid = si->si_timerid;
	r->overrun = si->si_overrun;
	r->value = si->si_value.sival_int;
}

static siginfo_t handled;
static int nr_handled;

static void handler(int sig, siginfo_t *si, void *uc)
{
	handled = *si;
	__atomic_store_n(&nr_handled, 1, __ATOMIC_SEQ_CST);
}

static void timer_child(enum timer_kind kind, int rep)
{
	struct result r = { 0 };
	siginfo_t si;
	char c;
	int id;

	struct sigaction sa = {
		.sa_sigaction = handler,
		.sa_flags = SA_SIGINFO,
	};
	sigset_t set, wait_mask;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, &wait_mask);
	sigaction(SIGRTMIN, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	r.err = make_timer(kind, &r);
	if (write(rep, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	close(rep);
	if (r.err)
		goto out;

	switch (kind) {
	case ONESHOT:
	case THREAD_ID:
	case REALTIME_ABSTIME:
		/* In the handler, as the timer expires. */
		while (!__atomic_load_n(&nr_handled, __ATOMIC_SEQ_CST))
			sigsuspend(&wait_mask);
		note_signal(&r, &handled);
		break;
	case PERIODIC_PENDING:
		if (read(CTL_FD, &c, 1) != 1) {
			r.err = 11;
			break;
		}
		/* Pending since its first expiry. */
		if (sigwaitinfo(&set, &si) < 0) {
			r.err = 10;
			break;
		}
		note_signal(&r, &si);
		if (sigwaitinfo(&set, &si) < 0) {
			r.err = 12;
			break;
		}
		r.next_gap = now_ns() - r.woke;
		r.next_overrun = si.si_overrun;
		break;
	case SIGEV_NONE_TIMER:
		if (read(CTL_FD, &c, 1) != 1) {
			r.err = 11;
			break;
		}
		r.left = sys_timer_left(TIMER_ID);
		r.woke = now_ns();
		break;
	case REARMED_PENDING:
		if (read(CTL_FD, &c, 1) != 1) {
			r.err = 11;
			break;
		}
		/* The old signal at once, then that of the new expiry. */
		if (sigwaitinfo(&set, &si) < 0) {
			r.err = 10;
			break;
		}
		r.next_gap = now_ns();
		r.next_overrun = si.si_code == SI_TIMER &&
				 si.si_timerid == TIMER_ID ? si.si_overrun : -1;
		if (sigwaitinfo(&set, &si) < 0) {
			r.err = 12;
			break;
		}
		note_signal(&r, &si);
		r.next_gap -= r.woke;
		break;
	}
	if (!r.err) {
		r.deleted_errno = sys_timer_left(0) < 0 ? errno : 0;
		if (sys_timer_create(CLOCK_MONOTONIC, NULL, &id))
			r.err = 13;
		r.next_id = id;
	}
out:
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	_exit(0);
}

FIXTURE(timer)
{
	pid_t pid;
	int ctl, res;		/* our ends of its CTL_FD and RES_FD */
	struct result made;	/* what it reported once it made the timer */
	int64_t ckpt_start, ckpt_end;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_VARIANT(timer)
{
	enum timer_kind kind;
	int signo_off;		/* from SIGRTMIN */
	bool waits_for_byte;	/* reads CTL_FD, rather than the timer */
};

FIXTURE_VARIANT_ADD(timer, oneshot)
{
	.kind = ONESHOT,
};

FIXTURE_VARIANT_ADD(timer, thread_id)
{
	.kind = THREAD_ID,
	.signo_off = 1,
};

FIXTURE_VARIANT_ADD(timer, realtime_abstime)
{
	.kind = REALTIME_ABSTIME,
};

FIXTURE_VARIANT_ADD(timer, periodic_pending)
{
	.kind = PERIODIC_PENDING,
	.waits_for_byte = true,
};

FIXTURE_VARIANT_ADD(timer, sigev_none)
{
	.kind = SIGEV_NONE_TIMER,
	.waits_for_byte = true,
};

FIXTURE_VARIANT_ADD(timer, rearmed_pending)
{
	.kind = REARMED_PENDING,
	.waits_for_byte = true,
};

FIXTURE_SETUP(timer)
{
	memset(&self->img, 0, sizeof(self->img));
	self->pid = -1;
	self->ctl = -1;
	self->res = -1;
}

FIXTURE_TEARDOWN(timer)
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

/* Start the child; checkpoint it CKPT_AT_NS after it made its timer. */
static int start_and_checkpoint(struct _test_data_timer *self,
				const struct _fixture_variant_timer *variant,
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
		timer_child(variant->kind, rep[1]);
	}
	close(rep[1]);
	close(CTL_FD);
	close(RES_FD);
	ret = read(rep[0], &self->made, sizeof(self->made));
	close(rep[0]);
	if (ret != sizeof(self->made))
		return -EIO;
	if (self->made.err)
		return -1000 - self->made.err;
	ret = wait_in_syscall(self->pid, variant->waits_for_byte ?
			      __NR_read : __NR_rt_sigsuspend);
	if (ret)
		return ret;
	sleep_until(self->made.made + CKPT_AT_NS);

	self->ckpt_start = now_ns();
	ret = checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK | flags,
			       &self->img, self->log, sizeof(self->log));
	self->ckpt_end = now_ns();
	return ret < 0 ? ret : 0;
}

/*
 * Let the child go on if it waits for a byte, after @hold_ns; read its
 * report and reap it.  *@sent is when the byte was sent.
 */
static int collect(struct __test_metadata *_metadata,
		   const struct _fixture_variant_timer *variant, pid_t pid,
		   int ctl, int res, struct result *r, int64_t *sent)
{
	int st;

	if (variant->waits_for_byte) {
		sleep_ns(NSEC);
		*sent = now_ns();
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

/*
 * The times a restored timer lived: from when it was made to the
 * checkpoint, then from the restart on.  Bounds of each span, in ns.
 */
struct lived {
	int64_t before_min, before_max;	/* made .. checkpoint */
	int64_t from;			/* restart began: after, only */
	int64_t from_real;		/* the same, CLOCK_REALTIME */
	int64_t spread;			/* how long the restart took */
};

/*
 * Check @r: the signal, the ids, and when things happened.  @sent is
 * when the byte was sent, @l what the timer lived through before it.
 */
static void check_result(struct __test_metadata *_metadata,
			 const struct _fixture_variant_timer *variant,
			 const struct result *r, int64_t sent,
			 const struct lived *l)
{
	int64_t earliest, latest, lived_min, lived_max;

	ASSERT_EQ(0, r->err);
	EXPECT_EQ(EINVAL, r->deleted_errno);
	EXPECT_EQ(NEXT_ID, r->next_id);

	if (variant->kind == SIGEV_NONE_TIMER) {
		/* Time left as timer_gettime() shows it, before woke. */
		lived_min = l->before_min + (sent - l->from - l->spread);
		lived_max = l->before_max + (r->woke - l->from);
		EXPECT_LE(TIMER_S * NSEC - lived_max, r->left);
		EXPECT_GE(TIMER_S * NSEC - lived_min, r->left)
			TH_LOG("%lld ms left, at most %lld expected",
			       (long long)r->left / 1000000,
			       (long long)(TIMER_S * NSEC - lived_min) / 1000000);
		return;
	}

	EXPECT_EQ(SIGRTMIN + variant->signo_off, r->signo);
	EXPECT_EQ(SI_TIMER, r->code);
	EXPECT_EQ(TIMER_ID, r->timerid);
	EXPECT_EQ(SIGVAL, r->value);

	if (variant->kind == REARMED_PENDING) {
		/* The old signal came first, before the new expiry. */
		EXPECT_EQ(0, r->next_overrun);
		EXPECT_GT(0, r->next_gap);
	}

	switch (variant->kind) {
	case REARMED_PENDING:
	case ONESHOT:
	case THREAD_ID:
		EXPECT_EQ(0, r->overrun);
		/* Expires once it has lived TIMER_S. */
		earliest = l->from + TIMER_S * NSEC - l->before_max;
		latest = l->from + l->spread + TIMER_S * NSEC - l->before_min +
			 LATE_NS;
		EXPECT_LE(earliest, r->woke)
			TH_LOG("woke %lld ms early",
			       (long long)(earliest - r->woke) / 1000000);
		EXPECT_GE(latest, r->woke)
			TH_LOG("woke %lld ms late",
			       (long long)(r->woke - latest) / 1000000);
		break;
	case REALTIME_ABSTIME:
		/*
		 * At its time, or at once if that passed before the
		 * restart was over (the second restart of an image).
		 */
		EXPECT_EQ(0, r->overrun);
		latest = r->target_real;
		if (latest < l->from_real + l->spread)
			latest = l->from_real + l->spread;
		EXPECT_LE(r->target_real, r->woke_real);
		EXPECT_GE(latest + LATE_NS, r->woke_real)
			TH_LOG("woke %lld ms late",
			       (long long)(r->woke_real - latest) / 1000000);
		break;
	case PERIODIC_PENDING:
		/*
		 * Expiries before the signal was taken, less the one that
		 * sent it.  It was taken between sent and woke.
		 */
		lived_min = l->before_min + (sent - l->from - l->spread);
		lived_max = l->before_max + (r->woke - l->from);
		EXPECT_LE(lived_min / PERIOD_NS - 2, r->overrun);
		EXPECT_GE(lived_max / PERIOD_NS, r->overrun)
			TH_LOG("%d overruns, at most %lld expected", r->overrun,
			       (long long)(lived_max / PERIOD_NS));
		/* And it carries on. */
		EXPECT_GT(LATE_NS + PERIOD_NS, r->next_gap);
		EXPECT_GT(LATE_NS / PERIOD_NS + 1, r->next_overrun);
		break;
	default:
		break;
	}
}

TEST_F(timer, continues_after_checkpoint)
{
	struct lived l = { 0 };
	struct result r;
	int64_t sent = 0;

	ASSERT_EQ(0, start_and_checkpoint(self, variant, 0))
		TH_LOG("log: %s", self->log);
	ASSERT_EQ(0, collect(_metadata, variant, self->pid, self->ctl,
			     self->res, &r, &sent));
	self->pid = -1;
	/* As if it had run on since it was armed. */
	l.before_min = self->made.made - self->made.armed;
	l.from = self->made.made;
	check_result(_metadata, variant, &r, sent, &l);
}

/* Restart the image after a pause and check how its timer went on. */
static void restart_and_check(struct __test_metadata *_metadata,
			      struct _test_data_timer *self,
			      const struct _fixture_variant_timer *variant)
{
	int64_t rs[2] = { 0 }, rs_start, sent = 0;
	struct lived l;
	struct result r;
	int ctl, res;
	long pid;

	sleep_ns(PAUSE_NS);
	l.from_real = clock_ns(CLOCK_REALTIME);
	pid = restart_with_pipes(&self->img, CTL_FD, &ctl, RES_FD, &res,
				 self->log, sizeof(self->log), rs);
	rs_start = rs[0];
	l.spread = rs[1] - rs[0];
	ASSERT_EQ(self->pid, pid)
		TH_LOG("log: %s", self->log);

	ASSERT_EQ(0, collect(_metadata, variant, pid, ctl, res, &r, &sent));
	close(ctl);
	close(res);
	r.target_real = self->made.target_real;
	l.before_min = self->ckpt_start - self->made.armed;
	l.before_max = self->ckpt_end - self->made.made;
	l.from = rs_start;
	check_result(_metadata, variant, &r, sent, &l);
}

static void checkpoint_and_kill(struct __test_metadata *_metadata,
				struct _test_data_timer *self,
				const struct _fixture_variant_timer *variant)
{
	ASSERT_EQ(0, start_and_checkpoint(self, variant, CHECKPOINT_KILL))
		TH_LOG("log: %s", self->log);
	ASSERT_EQ(self->pid, waitpid(self->pid, NULL, 0));
	close(self->ctl);
	close(self->res);
	self->ctl = -1;
	self->res = -1;
}

TEST_F(timer, restarts_with_the_time_left)
{
	checkpoint_and_kill(_metadata, self, variant);
	restart_and_check(_metadata, self, variant);
	self->pid = -1;
}

TEST_F(timer, restarts_twice_from_one_image)
{
	checkpoint_and_kill(_metadata, self, variant);
	restart_and_check(_metadata, self, variant);
	restart_and_check(_metadata, self, variant);
	self->pid = -1;
}

TEST_HARNESS_MAIN
