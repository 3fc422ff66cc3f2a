// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: a FUTEX_WAIT with a timeout that a checkpoint
 * interrupted.
 *
 * Such a wait is continued by restart_syscall(2) with
 * futex_wait_restart(), from the restart block, which holds the end of
 * the timeout as an absolute time.  The image keeps the time that was
 * left instead (see kernel/time/checkpoint.c for why).  A wait without a
 * timeout is restarted from its arguments and needs nothing saved.
 */

#include <linux/checkpoint.h>
#include <linux/restart_block.h>
#include <linux/sched.h>
#include <linux/thread_info.h>
#include <linux/timekeeping.h>

#include "futex.h"

/* The flags futex_wait() leaves in a restart block. */
#define CKPT_FUTEX_FLAGS	(FLAGS_SIZE_MASK | FLAGS_SHARED | \
				 FLAGS_CLOCKRT | FLAGS_HAS_TIMEOUT)

static ktime_t ckpt_futex_now(bool realtime)
{
	return realtime ? ktime_get_real() : ktime_get();
}

/**
 * ckpt_futex_wait_save - describe an interrupted FUTEX_WAIT
 * @rb:	restart block of a task held still
 * @h:	record to fill
 *
 * Return: false if @rb is not that of a futex wait that can be saved.
 */
bool ckpt_futex_wait_save(const struct restart_block *rb,
			  struct ckpt_hdr_restart_block *h)
{
	unsigned int flags = rb->futex.flags;
	ktime_t left;

	if (rb->fn != futex_wait_restart || flags & ~CKPT_FUTEX_FLAGS ||
	    (flags & FLAGS_SIZE_MASK) != FLAGS_SIZE_32)
		return false;

	h->kind = CKPT_RESTART_FUTEX_WAIT;
	if (flags & FLAGS_SHARED)
		h->flags |= CKPT_RESTART_FUTEX_SHARED;
	if (flags & FLAGS_CLOCKRT)
		h->flags |= CKPT_RESTART_FUTEX_REALTIME;
	if (flags & FLAGS_HAS_TIMEOUT) {
		left = ktime_sub((ktime_t)rb->futex.time,
				 ckpt_futex_now(flags & FLAGS_CLOCKRT));
		h->flags |= CKPT_RESTART_TIMEOUT;
		h->timeout_ns = left > 0 ? ktime_to_ns(left) : 0;
	}
	h->addr = (unsigned long)rb->futex.uaddr;
	h->val = rb->futex.val;
	h->bitset = rb->futex.bitset;
	return true;
}

/**
 * ckpt_futex_wait_restore - set current's restart block from a record
 * @ctx:	restart context
 * @h:	record of kind CKPT_RESTART_FUTEX_WAIT
 *
 * The futex word itself is checked by futex_wait() when the call is
 * continued, as for any other FUTEX_WAIT.
 *
 * Return: 0, or -EINVAL for a record no futex wait could have left.
 */
int ckpt_futex_wait_restore(struct ckpt_ctx *ctx,
			    const struct ckpt_hdr_restart_block *h)
{
	struct restart_block *rb = &current->restart_block;
	unsigned int flags = FLAGS_SIZE_32;
	ktime_t left;

	if (h->flags & ~(CKPT_RESTART_TIMEOUT | CKPT_RESTART_FUTEX_SHARED |
			 CKPT_RESTART_FUTEX_REALTIME) ||
	    h->clockid || h->nfds || !h->bitset ||
	    h->addr >= TASK_SIZE_MAX || !IS_ALIGNED(h->addr, sizeof(u32)) ||
	    (!(h->flags & CKPT_RESTART_TIMEOUT) && h->timeout_ns))
		return ckpt_err(ctx, -EINVAL, "bad futex wait restart block");
	if (!ckpt_restoring(ctx))
		return 0;

	if (h->flags & CKPT_RESTART_FUTEX_SHARED)
		flags |= FLAGS_SHARED;
	if (h->flags & CKPT_RESTART_FUTEX_REALTIME)
		flags |= FLAGS_CLOCKRT;
	if (h->flags & CKPT_RESTART_TIMEOUT) {
		flags |= FLAGS_HAS_TIMEOUT;
		left = min_t(u64, h->timeout_ns, KTIME_MAX);
		rb->futex.time = ktime_add_safe(ckpt_futex_now(flags & FLAGS_CLOCKRT),
						left);
	}
	rb->futex.uaddr = u64_to_user_ptr(h->addr);
	rb->futex.val = h->val;
	rb->futex.bitset = h->bitset;
	rb->futex.flags = flags;
	set_restart_fn(rb, futex_wait_restart);
	return 0;
}
