// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: a nanosleep() or clock_nanosleep() that a
 * checkpoint interrupted.
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
#include <linux/restart_block.h>
#include <linux/sched.h>
#include <linux/thread_info.h>
#include <linux/timekeeping.h>

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
