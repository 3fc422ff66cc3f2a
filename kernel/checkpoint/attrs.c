// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the attributes of a task that are neither memory,
 * files nor signals: resource limits, scheduling policy and nice value,
 * the prctl() state programs rely on (no_new_privs, child subreaper,
 * parent death signal, dumpable, transparent huge pages disabled), and
 * the addresses a C library gives the kernel for each thread
 * (set_tid_address(), set_robust_list(), rseq()).
 *
 * Restart applies each with the rules of the call that sets it, as a
 * child of the caller could: raising a hard limit above the caller's
 * needs CAP_SYS_RESOURCE, a real-time policy or a nice value below the
 * caller's needs CAP_SYS_NICE or RLIMIT_RTPRIO/RLIMIT_NICE, and
 * no_new_privs can be set but never cleared.  Limits are checked with
 * the caller's rights, before the task takes its saved credentials; the
 * parent death signal and dumpable flag, which a change of credentials
 * resets, are set after.
 *
 * They are checked from what a child of the caller would have, not from
 * what the task inherited: a restored task is created by another, whose
 * restored limits, policy and nice value it starts with, and a parent
 * may well have lowered its hard limits or raised its nice value after
 * it forked.  A policy and nice value are set from the caller's, with
 * RLIMIT_NICE and RLIMIT_RTPRIO at least at the caller's hard limits,
 * as a child of the caller could raise them first and lower them after.
 *
 * Locks: task_lock of the group leader for the limits, as getrlimit(2)
 * and setrlimit(2) take it.
 */

#include <linux/checkpoint.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/posix-timers.h>
#include <linux/resource.h>
#include <linux/rseq.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/prio.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <uapi/linux/sched.h>

/* The size of the first struct rseq: rseq(2)'s ORIG_RSEQ_SIZE. */
#define CKPT_RSEQ_ORIG_SIZE	32

static u64 ckpt_rlim(unsigned long v)
{
	return v == RLIM_INFINITY ? ~0ULL : v;
}

/**
 * ckpt_write_task_attrs - write the attributes record of a task
 * @ctx:	checkpoint context
 * @t:		the task, held still
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_task_attrs(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_task_attrs *h;
	struct mm_struct *mm;
	int i, err;

	BUILD_BUG_ON(CKPT_RLIM_NLIMITS != RLIM_NLIMITS);
	h = ckpt_hdr_alloc(sizeof(*h), CKPT_HDR_TASK_ATTRS);
	if (!h)
		return -ENOMEM;

	task_lock(t->group_leader);
	for (i = 0; i < RLIM_NLIMITS; i++) {
		h->rlim[i].cur = ckpt_rlim(t->signal->rlim[i].rlim_cur);
		h->rlim[i].max = ckpt_rlim(t->signal->rlim[i].rlim_max);
	}
	task_unlock(t->group_leader);

	if (t->policy != SCHED_NORMAL && t->policy != SCHED_BATCH &&
	    t->policy != SCHED_IDLE && t->policy != SCHED_FIFO &&
	    t->policy != SCHED_RR) {
		kvfree(h);
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d (%s) runs with scheduling policy %u: not supported",
				task_pid_vnr(t), t->comm, t->policy);
	}
	h->nice = task_nice(t);
	h->policy = t->policy;
	h->rt_priority = t->rt_priority;
	if (task_no_new_privs(t))
		h->flags |= CKPT_ATTR_NO_NEW_PRIVS;
	if (t->signal->is_child_subreaper)
		h->flags |= CKPT_ATTR_CHILD_SUBREAPER;
	h->pdeath_signal = t->pdeath_signal;
	mm = get_task_mm(t);
	if (mm) {
		h->dumpable = get_dumpable(mm);
		if (test_bit(MMF_DISABLE_THP, &mm->flags))
			h->flags |= CKPT_ATTR_THP_DISABLE;
		mmput(mm);
	}
	h->clear_child_tid = (unsigned long)t->clear_child_tid;
#ifdef CONFIG_FUTEX
	if (t->robust_list) {
		h->robust_list = (unsigned long)t->robust_list;
		h->robust_list_len = sizeof(*t->robust_list);
	}
#endif
#ifdef CONFIG_RSEQ
	h->rseq = (unsigned long)t->rseq;
	h->rseq_len = t->rseq_len;
	h->rseq_sig = t->rseq_sig;
#endif
	err = ckpt_write_record(ctx, &h->h);
	kvfree(h);
	return err;
}

/**
 * ckpt_task_attrs_base - note what a child of the caller starts with
 * @ctx:	restart context, before the first task is created
 */
void ckpt_task_attrs_base(struct ckpt_ctx *ctx)
{
	struct ckpt_attrs_base *b = &ctx->base;

	task_lock(current->group_leader);
	memcpy(b->rlim, current->signal->rlim, sizeof(b->rlim));
	task_unlock(current->group_leader);
	raw_spin_lock_irq(&current->pi_lock);
	b->policy = current->policy;
	b->rt_priority = current->rt_priority;
	b->nice = task_nice(current);
	/* As sched_fork() resets them. */
	if (current->sched_reset_on_fork) {
		if (b->policy == SCHED_FIFO || b->policy == SCHED_RR ||
		    b->policy == SCHED_DEADLINE) {
			b->policy = SCHED_NORMAL;
			b->rt_priority = 0;
			b->nice = 0;
		} else if (b->nice < 0) {
			b->nice = 0;
		}
	}
	raw_spin_unlock_irq(&current->pi_lock);
}

static bool ckpt_user_addr(u64 addr, u64 len)
{
	return addr < TASK_SIZE_MAX && len <= TASK_SIZE_MAX - addr;
}

static int restore_check_rseq(const struct ckpt_hdr_task_attrs *h)
{
	if (!h->rseq)
		return h->rseq_len || h->rseq_sig ? -EINVAL : 0;
	/* The rules of rseq(2). */
	if (h->rseq_len < CKPT_RSEQ_ORIG_SIZE || h->rseq_len > PAGE_SIZE ||
	    (h->rseq_len == CKPT_RSEQ_ORIG_SIZE &&
	     !IS_ALIGNED(h->rseq, CKPT_RSEQ_ORIG_SIZE)) ||
	    (h->rseq_len != CKPT_RSEQ_ORIG_SIZE &&
	     (!IS_ALIGNED(h->rseq, __alignof__(struct rseq)) ||
	      h->rseq_len < offsetof(struct rseq, end))) ||
	    !ckpt_user_addr(h->rseq, h->rseq_len))
		return -EINVAL;
	return 0;
}

static int restore_check_task_attrs(struct ckpt_ctx *ctx,
				    const struct ckpt_hdr_task_attrs *h)
{
	bool rt = h->policy == SCHED_FIFO || h->policy == SCHED_RR;
	int i;

	for (i = 0; i < CKPT_RLIM_NLIMITS; i++)
		if (h->rlim[i].cur > h->rlim[i].max)
			return ckpt_err(ctx, -EINVAL, "limit %d: soft above hard", i);
	if (h->nice < MIN_NICE || h->nice > MAX_NICE)
		return ckpt_err(ctx, -EINVAL, "nice %d out of range", h->nice);
	if (h->policy != SCHED_NORMAL && h->policy != SCHED_BATCH &&
	    h->policy != SCHED_IDLE && !rt)
		return ckpt_err(ctx, -EINVAL, "policy %u is not supported",
				h->policy);
	if (rt ? h->rt_priority < 1 || h->rt_priority > MAX_RT_PRIO - 1 :
		 h->rt_priority)
		return ckpt_err(ctx, -EINVAL, "rt_priority %u for policy %u",
				h->rt_priority, h->policy);
	if (h->flags & ~CKPT_ATTR_FLAGS_ALL)
		return ckpt_err(ctx, -EINVAL, "unknown flags %#x", h->flags);
	if (h->pdeath_signal < 0 || !valid_signal(h->pdeath_signal))
		return ckpt_err(ctx, -EINVAL, "pdeath_signal %d", h->pdeath_signal);
	if (h->dumpable > SUID_DUMP_ROOT)
		return ckpt_err(ctx, -EINVAL, "dumpable %u", h->dumpable);
	if (!ckpt_user_addr(h->clear_child_tid, sizeof(int)))
		return ckpt_err(ctx, -EINVAL, "clear_child_tid outside user space");
	if (h->robust_list ?
	    h->robust_list_len != sizeof(struct robust_list_head) ||
	    !ckpt_user_addr(h->robust_list, h->robust_list_len) :
	    h->robust_list_len)
		return ckpt_err(ctx, -EINVAL, "bad robust_list");
	if (restore_check_rseq(h))
		return ckpt_err(ctx, -EINVAL, "bad rseq area");
	return 0;
}

/*
 * setrlimit(2)'s rules, for current's process, from the caller's hard
 * limits rather than those current inherited.
 */
static int restore_rlimits(struct ckpt_ctx *ctx,
			   const struct ckpt_hdr_task_attrs *h)
{
	struct task_struct *leader = current->group_leader;
	int i, err;

	for (i = 0; i < RLIM_NLIMITS; i++) {
		struct rlimit new = {
			.rlim_cur = h->rlim[i].cur == ~0ULL ? RLIM_INFINITY :
							    h->rlim[i].cur,
			.rlim_max = h->rlim[i].max == ~0ULL ? RLIM_INFINITY :
							    h->rlim[i].max,
		};
		struct rlimit *rlim = current->signal->rlim + i;

		if (i == RLIMIT_NOFILE && new.rlim_max > sysctl_nr_open)
			return ckpt_err(ctx, -EPERM, "RLIMIT_NOFILE above fs.nr_open");
		err = security_task_setrlimit(current, i, &new);
		if (err)
			return ckpt_err(ctx, err, "limit %d refused", i);
		task_lock(leader);
		if (new.rlim_max > ctx->base.rlim[i].rlim_max &&
		    !capable(CAP_SYS_RESOURCE))
			err = -EPERM;
		else
			*rlim = new;
		task_unlock(leader);
		if (err)
			return ckpt_err(ctx, err,
					"raising the hard limit %d needs CAP_SYS_RESOURCE",
					i);
		if (i == RLIMIT_CPU && new.rlim_cur != RLIM_INFINITY &&
		    IS_ENABLED(CONFIG_POSIX_TIMERS))
			update_rlimit_cpu(current, new.rlim_cur);
	}
	return 0;
}

/* nice(2)'s rules. */
static int restore_nice(struct ckpt_ctx *ctx,
			const struct ckpt_hdr_task_attrs *h)
{
	int err;

	if (h->nice == task_nice(current))
		return 0;
	if (h->nice < task_nice(current) && !can_nice(current, h->nice))
		return ckpt_err(ctx, -EPERM, "nice %d needs CAP_SYS_NICE",
				h->nice);
	err = security_task_setnice(current, h->nice);
	if (err)
		return ckpt_err(ctx, err, "nice %d refused", h->nice);
	set_user_nice(current, h->nice);
	return 0;
}

/*
 * sched_setscheduler(2)'s rules.  A higher nice value goes first: going
 * from SCHED_IDLE to another policy is checked at the nice value the
 * task has then.
 */
static int restore_sched_checked(struct ckpt_ctx *ctx,
				 const struct ckpt_hdr_task_attrs *h)
{
	struct sched_param param = { .sched_priority = h->rt_priority };
	bool nice_first = h->nice > task_nice(current);
	int err = 0;

	if (nice_first)
		err = restore_nice(ctx, h);
	if (!err && (h->policy != current->policy ||
		     h->rt_priority != current->rt_priority)) {
		err = sched_setscheduler(current, h->policy, &param);
		if (err)
			return ckpt_err(ctx, err, "cannot set policy %u", h->policy);
	}
	if (!err && !nice_first)
		err = restore_nice(ctx, h);
	return err;
}

/*
 * Set the policy and nice value as a child of the caller would: from
 * the caller's, with RLIMIT_NICE and RLIMIT_RTPRIO raised to the
 * caller's hard limits if the process's are lower.  No task of the
 * image runs before restart is over, and the limits of current's
 * process are put back before the next task reads; a process of the
 * caller's user that looks meanwhile sees limits the caller could give
 * a child of its own.
 */
static int restore_sched(struct ckpt_ctx *ctx,
			 const struct ckpt_hdr_task_attrs *h)
{
	static const int lims[] = { RLIMIT_NICE, RLIMIT_RTPRIO };
	const struct ckpt_attrs_base *b = &ctx->base;
	struct task_struct *leader = current->group_leader;
	struct sched_param param = { .sched_priority = b->rt_priority };
	struct rlimit saved[ARRAY_SIZE(lims)];
	int i, err = 0;

	task_lock(leader);
	for (i = 0; i < ARRAY_SIZE(lims); i++) {
		struct rlimit *rlim = current->signal->rlim + lims[i];

		saved[i] = *rlim;
		rlim->rlim_max = max(rlim->rlim_max, b->rlim[lims[i]].rlim_max);
		rlim->rlim_cur = rlim->rlim_max;
	}
	task_unlock(leader);

	if (current->policy != b->policy || current->rt_priority != b->rt_priority)
		err = sched_setscheduler_nocheck(current, b->policy, &param);
	if (err) {
		err = ckpt_err(ctx, err, "cannot take the caller's policy %u",
			       b->policy);
	} else {
		set_user_nice(current, b->nice);
		err = restore_sched_checked(ctx, h);
	}

	task_lock(leader);
	for (i = 0; i < ARRAY_SIZE(lims); i++)
		current->signal->rlim[lims[i]] = saved[i];
	task_unlock(leader);
	return err;
}

/*
 * PR_SET_THP_DISABLE, as prctl() sets it, on the mm of the task, which
 * it may share with others saved with the same flag.  The memory was
 * restored already, with the flag clear: pages that went to huge pages
 * then stay so, as those faulted in before the prctl() did.
 */
static int restore_thp_disable(const struct ckpt_hdr_task_attrs *h)
{
	struct mm_struct *mm = current->mm;
	bool disable = h->flags & CKPT_ATTR_THP_DISABLE;

	if (test_bit(MMF_DISABLE_THP, &mm->flags) == disable)
		return 0;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	if (disable)
		set_bit(MMF_DISABLE_THP, &mm->flags);
	else
		clear_bit(MMF_DISABLE_THP, &mm->flags);
	mmap_write_unlock(mm);
	return 0;
}

/**
 * ckpt_read_task_attrs - read the attributes record of a task
 * @ctx:	restart context
 * @late:	when restoring: what to set once the credentials are in place
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_task_attrs(struct ckpt_ctx *ctx, struct ckpt_attrs_late *late)
{
	struct ckpt_hdr_task_attrs *h;
	int err;

	h = ckpt_read_record(ctx, CKPT_HDR_TASK_ATTRS, sizeof(*h), sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = restore_check_task_attrs(ctx, h);
	if (err || !ckpt_restoring(ctx))
		goto out;

	if (thread_group_leader(current))
		err = restore_rlimits(ctx, h);
	if (!err)
		err = restore_sched(ctx, h);
	if (err)
		goto out;
	if (h->flags & CKPT_ATTR_CHILD_SUBREAPER)
		current->signal->is_child_subreaper = 1;
	err = restore_thp_disable(h);
	if (err)
		goto out;
	current->clear_child_tid = u64_to_user_ptr(h->clear_child_tid);
#ifdef CONFIG_FUTEX
	current->robust_list = u64_to_user_ptr(h->robust_list);
#endif
#ifdef CONFIG_RSEQ
	if (h->rseq) {
		current->rseq = u64_to_user_ptr(h->rseq);
		current->rseq_len = h->rseq_len;
		current->rseq_sig = h->rseq_sig;
		rseq_set_notify_resume(current);
	}
#endif
	late->pdeath_signal = h->pdeath_signal;
	/* Set late: the tasks it creates meanwhile would inherit it. */
	late->no_new_privs = h->flags & CKPT_ATTR_NO_NEW_PRIVS;
	/* Only what PR_SET_DUMPABLE allows: "root only" becomes "no". */
	late->dumpable = h->dumpable == SUID_DUMP_USER;
out:
	kvfree(h);
	return err;
}

/**
 * ckpt_task_attrs_late - set what a change of credentials resets
 * @late:	from ckpt_read_task_attrs()
 */
void ckpt_task_attrs_late(const struct ckpt_attrs_late *late)
{
	current->pdeath_signal = late->pdeath_signal;
	if (late->no_new_privs)
		task_set_no_new_privs(current);
	set_dumpable(current->mm, late->dumpable ? SUID_DUMP_USER :
						  SUID_DUMP_DISABLE);
}
