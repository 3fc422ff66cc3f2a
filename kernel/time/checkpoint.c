// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of timers: a nanosleep() or clock_nanosleep() that
 * a checkpoint interrupted, and the POSIX timers of a process.
 *
 * A relative sleep that is interrupted leaves the absolute time it ends
 * at in the restart block and is continued by restart_syscall(2) with
 * hrtimer_nanosleep_restart().  The image keeps the time that was left
 * instead, and restart sets the end anew from the time of the restart:
 * the sleep lasts as long in total as it would have, which is all a
 * relative sleep promises.  An absolute sleep is restarted from its
 * arguments (-ERESTARTNOHAND) and needs nothing saved.
 */

#include <linux/checkpoint.h>
#include <linux/hrtimer.h>
#include <linux/posix-timers.h>
#include <linux/restart_block.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/thread_info.h>
#include <linux/timekeeping.h>

#include "posix-timers.h"
#include "tick-internal.h"

/* The clocks of hrtimer bases: the only ones such a sleep can be on. */
static bool ckpt_nanosleep_clock_now(clockid_t clockid, ktime_t *now)
{
	switch (clockid) {
	case CLOCK_REALTIME:
		*now = ktime_get_real();
		return true;
	case CLOCK_MONOTONIC:
		*now = ktime_get();
		return true;
	case CLOCK_BOOTTIME:
		*now = ktime_get_boottime();
		return true;
	case CLOCK_TAI:
		*now = ktime_get_clocktai();
		return true;
	}
	return false;
}

/**
 * ckpt_nanosleep_save - describe an interrupted relative sleep
 * @rb:	restart block of a task held still
 * @h:	record to fill
 *
 * Return: false if @rb is not that of a sleep that can be saved.
 */
bool ckpt_nanosleep_save(const struct restart_block *rb,
			 struct ckpt_hdr_restart_block *h)
{
	ktime_t now, left;

	if (rb->fn != hrtimer_nanosleep_restart ||
	    rb->nanosleep.type == TT_COMPAT ||
	    !ckpt_nanosleep_clock_now(rb->nanosleep.clockid, &now))
		return false;

	left = ktime_sub((ktime_t)rb->nanosleep.expires, now);
	h->kind = CKPT_RESTART_NANOSLEEP;
	h->flags = CKPT_RESTART_TIMEOUT;
	h->clockid = rb->nanosleep.clockid;
	if (rb->nanosleep.type == TT_NATIVE)
		h->addr = (unsigned long)rb->nanosleep.rmtp;
	h->timeout_ns = left > 0 ? ktime_to_ns(left) : 0;
	return true;
}

/**
 * ckpt_nanosleep_restore - set current's restart block from a record
 * @ctx:	restart context
 * @h:	record of kind CKPT_RESTART_NANOSLEEP
 *
 * Return: 0, or -EINVAL for a record no sleep could have left.
 */
int ckpt_nanosleep_restore(struct ckpt_ctx *ctx,
			   const struct ckpt_hdr_restart_block *h)
{
	struct restart_block *rb = &current->restart_block;
	ktime_t now;

	if (h->flags != CKPT_RESTART_TIMEOUT || h->val || h->bitset ||
	    h->nfds || h->addr >= TASK_SIZE_MAX)
		return ckpt_err(ctx, -EINVAL, "bad nanosleep restart block");
	if (!ckpt_nanosleep_clock_now(h->clockid, &now))
		return ckpt_err(ctx, -EINVAL, "nanosleep on clock %d",
				h->clockid);
	if (!ckpt_restoring(ctx))
		return 0;

	rb->nanosleep.clockid = h->clockid;
	rb->nanosleep.type = h->addr ? TT_NATIVE : TT_NONE;
	rb->nanosleep.rmtp = u64_to_user_ptr(h->addr);
	rb->nanosleep.expires = ktime_add_safe(now,
					       min_t(u64, h->timeout_ns, KTIME_MAX));
	set_restart_fn(rb, hrtimer_nanosleep_restart);
	return 0;
}

/*
 * POSIX timers (timer_create(2)) of a process.
 *
 * A timer is saved as timer_gettime(2) shows it, the time left before
 * it expires, with the state that ties it to the signal of its last
 * expiry while that signal is pending: a periodic timer is then not
 * running, and is rearmed when the signal is taken, counting the
 * expiries it missed as overruns.  Restart makes each timer with its
 * old id, queues its pending signal where it was among the saved
 * pending signals, and arms the timers once all signals are queued, so
 * none expires before the signals that were pending before it.
 */

/* A task held still cannot exec or exit: its sighand stays. */
static struct sighand_struct *ckpt_timer_sighand(struct task_struct *t)
{
	return rcu_dereference_protected(t->sighand, true);
}

/* The clocks a timer may be on in an image, and whose time is CPU time. */
static bool ckpt_timer_clock_ok(clockid_t clockid, bool *cpu)
{
	*cpu = false;
	switch (clockid) {
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*cpu = true;
		return true;
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		return true;
	}
	return false;
}

static int ckpt_timer_cmp(const void *a, const void *b)
{
	const struct ckpt_posix_timer *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Fill @p from @timr.  Under the timer's lock, which its expiry takes
 * too, and siglock, which guards the queue its signal may be on.
 */
static void ckpt_save_timer(struct task_struct *t, struct k_itimer *timr,
			    struct ckpt_posix_timer *p, struct pid_namespace *ns)
{
	struct itimerspec64 cur = { };
	unsigned long flags;
	bool cpu;

	spin_lock_irqsave(&timr->it_lock, flags);
	p->id = timr->it_id;
	p->clockid = timr->it_clock;
	if (!ckpt_timer_clock_ok(timr->it_clock, &cpu))
		goto out;
	timr->kclock->timer_get(timr, &cur);
	spin_lock(&ckpt_timer_sighand(t)->siglock);
	if (!list_empty(&timr->sigq->list))
		p->flags |= CKPT_TIMER_PENDING;
	spin_unlock(&ckpt_timer_sighand(t)->siglock);

	p->notify = timr->it_sigev_notify;
	p->signo = timr->sigq->info.si_signo;
	p->sigval = (unsigned long)timr->sigq->info.si_value.sival_ptr;
	if (p->notify & SIGEV_THREAD_ID)
		p->notify_tid = pid_nr_ns(timr->it_pid, ns);
	/* Relative CLOCK_REALTIME timers run on the monotonic base. */
	if (!cpu && timr->it_clock == CLOCK_REALTIME &&
	    (cur.it_value.tv_sec || cur.it_value.tv_nsec) &&
	    timr->it.real.timer.base->clockid == CLOCK_REALTIME) {
		p->flags |= CKPT_TIMER_ABSTIME;
		p->value = ktime_to_ns(hrtimer_get_expires(&timr->it.real.timer));
	} else {
		p->value = timespec64_to_ns(&cur.it_value);
	}
	p->interval = ktime_to_ns(timr->it_interval);
	p->overrun = timr->it_overrun;
	p->overrun_last = timr->it_overrun_last;
	p->requeue = timr->it_requeue_pending;
out:
	spin_unlock_irqrestore(&timr->it_lock, flags);
}

/*
 * The signal of a periodic timer is pending and the timer waits for it
 * to be taken to be rearmed.  A timer set again meanwhile no longer
 * waits: it runs, and the pending signal is only a signal.
 */
static bool ckpt_timer_waits(const struct ckpt_posix_timer *p)
{
	return p->flags & CKPT_TIMER_PENDING && p->interval &&
	       p->requeue & REQUEUE_PENDING;
}

/* What makes a saved timer impossible to restore, if anything. */
static const char *ckpt_timer_refused(const struct ckpt_posix_timer *p,
				      pid_t leader_tid)
{
	bool cpu;

	if (!ckpt_timer_clock_ok(p->clockid, &cpu))
		return "clock not supported";
	if (cpu && ckpt_timer_waits(p))
		return "periodic CPU-time timer with its signal pending: not supported yet";
	/*
	 * The leader makes the timers as it reads its records, when its
	 * threads may or may not be created yet.
	 */
	if (p->notify & SIGEV_THREAD_ID && p->notify_tid != leader_tid)
		return "it signals a thread other than the leader: not supported yet";
	return NULL;
}

/**
 * ckpt_write_posix_timers - write the POSIX timers of a process
 * @ctx:	checkpoint context
 * @t:		its thread group leader, held still
 *
 * Nothing is written for a process that never made a timer.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_posix_timers(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct signal_struct *sig = t->signal;
	struct ckpt_hdr_posix_timers *h;
	struct ckpt_posix_timer *p;
	struct k_itimer **timers;
	struct k_itimer *timr;
	unsigned int n = 0, i;
	int err = 0;

	if (hlist_empty(&sig->posix_timers) && !sig->next_posix_timer_id)
		return 0;
	/*
	 * Only the tasks of the process make and delete its timers, and
	 * they are held still: the list and its timers stay as they are.
	 */
	spin_lock_irq(&ckpt_timer_sighand(t)->siglock);
	hlist_for_each_entry(timr, &sig->posix_timers, list)
		n++;
	spin_unlock_irq(&ckpt_timer_sighand(t)->siglock);
	if (n > CKPT_POSIX_TIMERS_MAX)
		return ckpt_err(ctx, -E2BIG, "pid %d (%s): more than %d POSIX timers",
				task_pid_nr_ns(t, ctx->root_pidns), t->comm,
				CKPT_POSIX_TIMERS_MAX);
	timers = kvmalloc_array(n, sizeof(*timers), GFP_KERNEL);
	h = ckpt_hdr_alloc(sizeof(*h) + n * sizeof(*p), CKPT_HDR_POSIX_TIMERS);
	if (!timers || !h) {
		err = -ENOMEM;
		goto out;
	}
	i = 0;
	spin_lock_irq(&ckpt_timer_sighand(t)->siglock);
	hlist_for_each_entry(timr, &sig->posix_timers, list)
		if (i < n)
			timers[i++] = timr;
	h->next_id = sig->next_posix_timer_id;
	spin_unlock_irq(&ckpt_timer_sighand(t)->siglock);
	if (WARN_ON_ONCE(i != n)) {
		err = -EAGAIN;
		goto out;
	}

	p = (struct ckpt_posix_timer *)(h + 1);
	for (i = 0; i < n; i++) {
		const char *why;

		ckpt_save_timer(t, timers[i], &p[i], ctx->root_pidns);
		why = ckpt_timer_refused(&p[i],
					 task_pid_nr_ns(t, ctx->root_pidns));
		if (why) {
			err = ckpt_err(ctx, -EOPNOTSUPP,
				       "pid %d (%s): POSIX timer %d on clock %d: %s",
				       task_pid_nr_ns(t, ctx->root_pidns),
				       t->comm, p[i].id, p[i].clockid, why);
			goto out;
		}
	}
	sort(p, n, sizeof(*p), ckpt_timer_cmp, NULL);
	h->nr_timers = n;
	err = ckpt_write_record(ctx, &h->h);
out:
	kvfree(h);
	kvfree(timers);
	return err;
}

/* The timers read for current's process, until its signals are queued. */
struct ckpt_posix_timers {
	unsigned int nr;
	unsigned int next_id;
	bool *queued;
	struct ckpt_posix_timer timer[];
};

static int restore_check_timer(struct ckpt_ctx *ctx,
			       const struct ckpt_posix_timer *p, s32 prev_id)
{
	int how = p->notify & ~SIGEV_THREAD_ID;
	const char *why = NULL;
	bool cpu;

	if (p->id < 0 || p->id <= prev_id)
		why = "ids out of order";
	else if (!ckpt_timer_clock_ok(p->clockid, &cpu))
		why = "unknown clock";
	else if (p->flags & ~(CKPT_TIMER_ABSTIME | CKPT_TIMER_PENDING) ||
		 p->_pad)
		why = "unknown flags";
	else if ((p->notify & SIGEV_THREAD_ID && how != SIGEV_SIGNAL) ||
		 (how != SIGEV_SIGNAL && how != SIGEV_NONE &&
		  how != SIGEV_THREAD))
		why = "unknown notification";
	else if (how != SIGEV_NONE &&
		 (p->signo <= 0 || !valid_signal(p->signo)))
		why = "not a signal";
	else if (!(p->notify & SIGEV_THREAD_ID) != !p->notify_tid ||
		 p->notify_tid < 0)
		why = "a thread to signal without SIGEV_THREAD_ID";
	else if (how == SIGEV_NONE && p->flags & CKPT_TIMER_PENDING)
		why = "a pending signal it does not send";
	else if (p->value < 0 || p->interval < 0 ||
		 p->value > KTIME_SEC_MAX * NSEC_PER_SEC ||
		 p->interval > KTIME_SEC_MAX * NSEC_PER_SEC)
		why = "time out of range";
	else if (cpu && p->value > KTIME_MAX / 2)
		why = "CPU time out of range";	/* as for itimers */
	else if (p->flags & CKPT_TIMER_ABSTIME && p->clockid != CLOCK_REALTIME)
		why = "an absolute time on a clock other than CLOCK_REALTIME";
	else if (p->flags & CKPT_TIMER_ABSTIME && !p->value)
		why = "an absolute time of 0";
	else if (p->overrun < -1 || p->overrun_last < 0)
		why = "negative overruns";
	else if (ckpt_timer_waits(p) && (cpu || !p->value))
		why = "a periodic timer waiting for its signal on a CPU clock or without an expiry";
	if (why)
		return ckpt_err(ctx, -EINVAL, "POSIX timer %d: %s", p->id, why);
	return 0;
}

/* Make timer @p for current's process, with its id and signal. */
static int restore_make_timer(struct ckpt_ctx *ctx,
			      const struct ckpt_posix_timer *p)
{
	sigevent_t event = {
		.sigev_notify = p->notify,
		.sigev_signo = p->signo,
		.sigev_value.sival_ptr = u64_to_user_ptr(p->sigval),
		/* Its leader, in its pid namespace */
		.sigev_notify_thread_id = ckpt_task_vnr(ctx, p->notify_tid),
	};
	struct k_itimer *timr;
	unsigned long flags;
	int id;

	/* Ids are given in order from here: current has no timer yet. */
	current->signal->next_posix_timer_id = p->id;
	id = do_timer_create(p->clockid, &event, NULL, false);
	if (id < 0)
		return ckpt_err(ctx, id, "POSIX timer %d: cannot make it", p->id);
	if (WARN_ON_ONCE(id != p->id))
		return -EBUSY;

	rcu_read_lock();
	timr = posix_timer_by_id(id);
	rcu_read_unlock();
	spin_lock_irqsave(&timr->it_lock, flags);
	timr->it_overrun = p->overrun;
	timr->it_overrun_last = p->overrun_last;
	timr->it_requeue_pending = p->requeue;
	spin_unlock_irqrestore(&timr->it_lock, flags);
	return 0;
}

/**
 * ckpt_read_posix_timers - read the POSIX timers of current's process
 * @ctx:	restart context
 * @leader:	current is the thread group leader, the one that has them
 * @timersp:	set to what ckpt_posix_timers_start() needs, or NULL
 *
 * The timers are made, not armed: ckpt_posix_timer_queue() queues their
 * pending signals, ckpt_posix_timers_start() then arms them.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_posix_timers(struct ckpt_ctx *ctx, bool leader,
			   struct ckpt_posix_timers **timersp)
{
	struct ckpt_hdr_posix_timers *h;
	struct ckpt_posix_timers *timers;
	const struct ckpt_posix_timer *p;
	unsigned int i;
	u32 type;
	int err;

	*timersp = NULL;
	err = ckpt_peek_type(ctx, &type);
	if (err || type != CKPT_HDR_POSIX_TIMERS)
		return err;
	if (!leader)
		return ckpt_err(ctx, -EINVAL,
				"POSIX timers of a task that is not a thread group leader");
	h = ckpt_read_record(ctx, CKPT_HDR_POSIX_TIMERS, sizeof(*h),
			     sizeof(*h) + CKPT_POSIX_TIMERS_MAX * sizeof(*p));
	if (IS_ERR(h))
		return PTR_ERR(h);
	p = (const struct ckpt_posix_timer *)(h + 1);
	if (h->nr_timers > CKPT_POSIX_TIMERS_MAX) {
		err = ckpt_err(ctx, -E2BIG, "nr_timers %u is above %d",
			       h->nr_timers, CKPT_POSIX_TIMERS_MAX);
		goto out;
	}
	if (h->h.len != sizeof(*h) + h->nr_timers * sizeof(*p)) {
		err = ckpt_err(ctx, -EINVAL, "length %u does not match nr_timers %u",
			       h->h.len, h->nr_timers);
		goto out;
	}
	if (h->next_id > INT_MAX) {
		err = ckpt_err(ctx, -EINVAL, "next timer id %u", h->next_id);
		goto out;
	}
	for (i = 0; i < h->nr_timers && !err; i++)
		err = restore_check_timer(ctx, &p[i], i ? p[i - 1].id : -1);
	if (err || !ckpt_restoring(ctx))
		goto out;

	if (!hlist_empty(&current->signal->posix_timers)) {
		err = ckpt_err(ctx, -EBUSY, "the restarting process has POSIX timers");
		goto out;
	}
	timers = kvzalloc(struct_size(timers, timer, h->nr_timers) +
			  h->nr_timers * sizeof(bool), GFP_KERNEL);
	if (!timers) {
		err = -ENOMEM;
		goto out;
	}
	timers->nr = h->nr_timers;
	timers->next_id = h->next_id;
	timers->queued = (bool *)&timers->timer[timers->nr];
	memcpy(timers->timer, p, h->nr_timers * sizeof(*p));
	for (i = 0; i < timers->nr && !err; i++)
		err = restore_make_timer(ctx, &timers->timer[i]);
	if (err)
		kvfree(timers);
	else
		*timersp = timers;
out:
	kvfree(h);
	return err;
}

/* Queue the signal of timer @i, with what the saved one carried. */
static void restore_queue_timer_signal(struct ckpt_posix_timers *timers,
				       unsigned int i, int overrun)
{
	const struct ckpt_posix_timer *p = &timers->timer[i];
	struct k_itimer *timr;
	unsigned long flags;
	enum pid_type type;

	rcu_read_lock();
	timr = posix_timer_by_id(p->id);
	rcu_read_unlock();
	spin_lock_irqsave(&timr->it_lock, flags);
	timr->sigq->info.si_overrun = overrun;
	/* Taking it rearms the timer only if the timer waits for that. */
	timr->sigq->info.si_sys_private = ckpt_timer_waits(p) ? p->requeue : 0;
	type = p->notify & SIGEV_THREAD_ID ? PIDTYPE_PID : PIDTYPE_TGID;
	send_sigqueue(timr->sigq, timr->it_pid, type);
	spin_unlock_irqrestore(&timr->it_lock, flags);
	timers->queued[i] = true;
}

/**
 * ckpt_posix_timer_queue - queue a saved signal as that of its timer
 * @timers:	the timers of current's process, or NULL
 * @info:	a saved pending signal
 *
 * Return: true if @info is the pending signal of a timer, now queued.
 */
bool ckpt_posix_timer_queue(struct ckpt_posix_timers *timers,
			    const kernel_siginfo_t *info)
{
	unsigned int i;

	if (!timers || info->si_code != SI_TIMER)
		return false;
	for (i = 0; i < timers->nr; i++) {
		const struct ckpt_posix_timer *p = &timers->timer[i];

		if (p->id != info->si_tid || !(p->flags & CKPT_TIMER_PENDING) ||
		    timers->queued[i] || p->signo != info->si_signo)
			continue;
		restore_queue_timer_signal(timers, i, info->si_overrun);
		return true;
	}
	return false;
}

/* Arm timer @p as it was; its signal, if pending, is queued. */
static int restore_arm_timer(const struct ckpt_posix_timer *p)
{
	struct itimerspec64 spec = {
		.it_value = ns_to_timespec64(p->value),
		.it_interval = ns_to_timespec64(p->interval),
	};
	bool abs = p->flags & CKPT_TIMER_ABSTIME;
	struct k_itimer *timr;
	unsigned long flags;
	int err;

	if (!p->value)
		return 0;
	rcu_read_lock();
	timr = posix_timer_by_id(p->id);
	rcu_read_unlock();
	if (ckpt_timer_waits(p)) {
		/* Set to expire next at value, left to its rearming. */
		spin_lock_irqsave(&timr->it_lock, flags);
		timr->it_interval = ns_to_ktime(p->interval);
		timr->kclock->timer_arm(timr, ns_to_ktime(p->value), abs, true);
		spin_unlock_irqrestore(&timr->it_lock, flags);
		return 0;
	}
	err = do_timer_settime(p->id, abs ? TIMER_ABSTIME : 0, &spec, NULL);
	if (err)
		return err;
	/* Setting it cleared its overruns. */
	spin_lock_irqsave(&timr->it_lock, flags);
	timr->it_overrun = p->overrun;
	timr->it_overrun_last = p->overrun_last;
	spin_unlock_irqrestore(&timr->it_lock, flags);
	return 0;
}

/**
 * ckpt_posix_timers_start - arm the timers of current's process
 * @ctx:	restart context
 * @timers:	as ckpt_read_posix_timers() left them, or NULL
 *
 * Called once the saved signals are queued.  A timer whose signal was
 * pending but not among them expired during the checkpoint: its signal
 * comes last.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_posix_timers_start(struct ckpt_ctx *ctx,
			    struct ckpt_posix_timers *timers)
{
	unsigned int i;
	int err;

	if (!timers)
		return 0;
	for (i = 0; i < timers->nr; i++)
		if (timers->timer[i].flags & CKPT_TIMER_PENDING &&
		    !timers->queued[i])
			restore_queue_timer_signal(timers, i, 0);
	for (i = 0; i < timers->nr; i++) {
		err = restore_arm_timer(&timers->timer[i]);
		if (err)
			return ckpt_err(ctx, err, "POSIX timer %d: cannot arm it",
					timers->timer[i].id);
	}
	current->signal->next_posix_timer_id = timers->next_id;
	return 0;
}

void ckpt_posix_timers_free(struct ckpt_posix_timers *timers)
{
	kvfree(timers);
}
