// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint: holding tasks still while they are saved.
 *
 * A running task is parked by queueing a task_work on it with
 * TWA_SIGNAL.  It runs the work on its way back to user mode, the same
 * way it would handle a signal: an interruptible sleep in a system call
 * ends with -ERESTART*, and the syscall is restarted (or its restart
 * block run) after the task is released, exactly as after a cgroup
 * freeze.  Nothing is queued on the signal queues and no job control
 * state changes, so neither the task nor its parent can tell.
 *
 * A parked task sleeps in TASK_IDLE: it does not add to the load average
 * and, as under the cgroup v1 freezer, SIGKILL ends it only once it is
 * released, so that it does not exit while it is being read.  Killing the
 * checkpointing task ends the checkpoint, which releases every task.
 * Its user registers sit in pt_regs and, once it is off the CPU, its FPU
 * state in its fpstate.
 *
 * Tasks that are already stopped, traced or frozen, or that wait in
 * vfork() for a child saved with them, are saved as they are, but get
 * the work too, not waited for: if one is continued or killed while the
 * checkpoint runs, it is held before it reaches user mode or do_exit(),
 * so that it cannot exec, exit, change its credentials or its memory
 * under the checkpoint.  A task that was
 * exiting already runs the work in do_exit() and goes on: the checkpoint
 * waits for it to be a zombie, or a thread that is gone.  The park
 * object is reference counted because a parked task may still be
 * leaving its wait after the checkpoint returned.
 */

#include <linux/cgroup.h>
#include <linux/ptrace.h>
#include <linux/checkpoint.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "internal.h"

/*
 * Waiting for tasks to stop goes by ticks of a tenth of a second: after
 * one second, vfork() parents not found before are looked for; a task
 * that has not stopped after a minute makes the checkpoint fail.
 */
#define CKPT_PARK_VFORK_TICKS	10
#define CKPT_PARK_MAX_TICKS	600

struct ckpt_park_work {
	struct callback_head cb;
	struct ckpt_park *park;
	struct task_struct *task;
	bool queued;
	int counted;		/* in park->pending: waited for (xchg()) */
	bool vfork;		/* held as it waited in vfork() */
	bool ran;		/* its task got to it */
};

struct ckpt_park {
	refcount_t ref;
	atomic_t pending;	/* queued works that have not run yet */
	bool resume;
	bool claimed;		/* its tasks are in ckpt_claimed */
	wait_queue_head_t wq;	/* the checkpoint, for pending */
	wait_queue_head_t resume_wq;	/* the parked tasks, for resume */
	struct ckpt_park *next;	/* of the tasks held before */
	unsigned int nr;
	struct ckpt_park_work works[] __counted_by(nr);
};

/*
 * The tasks that a checkpoint holds or is about to, by task: two
 * checkpoints that shared one could each hold a task the other waits
 * for, since a task runs the newest of its queued works first.  The
 * second one to claim a task fails instead.
 */
static DEFINE_XARRAY(ckpt_claimed);
static DEFINE_MUTEX(ckpt_claim_lock);

static void ckpt_unclaim(struct ckpt_park *park, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		xa_erase(&ckpt_claimed, (unsigned long)park->works[i].task);
}

static int ckpt_claim(struct ckpt_ctx *ctx, struct ckpt_park *park)
{
	unsigned int i;
	int err = 0;

	mutex_lock(&ckpt_claim_lock);
	for (i = 0; i < park->nr && !err; i++)
		err = xa_insert(&ckpt_claimed, (unsigned long)park->works[i].task,
				park, GFP_KERNEL);
	if (err)
		ckpt_unclaim(park, i - 1);
	mutex_unlock(&ckpt_claim_lock);
	if (err == -EBUSY)
		return ckpt_err(ctx, -EBUSY,
				"pid %d (%s) is being checkpointed already",
				task_pid_nr_ns(park->works[i - 1].task,
					       ctx->root_pidns),
				park->works[i - 1].task->comm);
	park->claimed = !err;
	return err;
}

static void ckpt_park_put(struct ckpt_park *park)
{
	unsigned int i;

	if (!refcount_dec_and_test(&park->ref))
		return;
	for (i = 0; i < park->nr; i++)
		put_task_struct(park->works[i].task);
	kvfree(park);
}

static void ckpt_park_fn(struct callback_head *cb)
{
	struct ckpt_park_work *w = container_of(cb, struct ckpt_park_work, cb);
	struct ckpt_park *park = w->park;

	WRITE_ONCE(w->ran, true);
	if (xchg(&w->counted, 0) && atomic_dec_and_test(&park->pending))
		wake_up_all(&park->wq);
	/*
	 * do_exit() runs the works queued before it got there: a task
	 * that exits is let go on, to be saved as the zombie it becomes.
	 */
	if (!(current->flags & PF_EXITING))
		wait_event_idle(park->resume_wq, READ_ONCE(park->resume));
	ckpt_park_put(park);
}

/*
 * Wait for the tasks that were exiting when they were held to be done:
 * a process is then a zombie that its held parent has not reaped, a
 * thread is gone (and ckpt_check_collected() sees it).
 */
static int ckpt_park_exiting(struct ckpt_ctx *ctx, unsigned int first)
{
	unsigned int i, ticks;

	for (i = first; i < ctx->nr_tasks; i++) {
		struct task_struct *t = ctx->tasks[i];

		for (ticks = 0; t != current && (READ_ONCE(t->flags) & PF_EXITING) &&
		     !READ_ONCE(t->exit_state); ticks++) {
			if (ticks == 10 * HZ)
				return ckpt_err(ctx, -EAGAIN,
						"pid %d (%s) takes long to exit: try again",
						task_pid_nr_ns(t, ctx->root_pidns),
						t->comm);
			schedule_timeout_killable(1);
			if (fatal_signal_pending(current))
				return -EINTR;
		}
	}
	return 0;
}

static bool ckpt_task_stopped(struct task_struct *t)
{
	return task_is_stopped_or_traced(t) || cgroup_task_frozen(t);
}

/*
 * A task that waits in vfork() is still too: its child, which is saved
 * with it (see ckpt_check_vfork()) and held, cannot wake it; SIGKILL
 * can, which ckpt_park_check_vforks() and ckpt_check_vforks() see.
 */
bool ckpt_task_is_still(struct task_struct *t)
{
	return ckpt_task_stopped(t) || ckpt_vfork_child(t);
}

/* Whether @c, a task of @ctx, is held now: parked, or still as it is. */
static bool ckpt_park_holds(struct ckpt_ctx *ctx, struct ckpt_park *now,
			    struct task_struct *c)
{
	struct ckpt_park *park;
	unsigned int i;

	for (park = ctx->park; park; park = park->next)
		for (i = 0; i < park->nr; i++)
			if (park->works[i].task == c)
				return park != now || READ_ONCE(park->works[i].ran) ||
				       !READ_ONCE(park->works[i].counted);
	return false;
}

/* Whether a task of @ctx waits for the end of a vfork() */
static bool ckpt_park_any_vfork(struct ckpt_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_tasks; i++)
		if (READ_ONCE(ctx->tasks[i]->vfork_done))
			return true;
	return false;
}

/*
 * Between two waits for the tasks of @park to stop, @ticks tenths of a
 * second since they were asked to, look at those that have not.
 *
 * One that called vfork() after its work was queued sleeps until its
 * child execs or exits, and cannot be parked meanwhile.  After a second,
 * look too for the vfork() parents whose child is not their own, which
 * ckpt_vfork_child() does not find: once that child is held, they would
 * never stop.  One that stopped or was traced since its work was queued
 * will not run it before it goes on: it is held as it is, as the tasks
 * stopped when they were asked are.  Any other that still does not stop
 * is given up on.
 */
static int ckpt_park_vforked(struct ckpt_ctx *ctx, struct ckpt_park *park,
			     unsigned int ticks)
{
	bool vforks = ticks >= CKPT_PARK_VFORK_TICKS && ckpt_park_any_vfork(ctx);
	struct task_struct *c;
	unsigned int i;

	for (i = 0; i < park->nr; i++) {
		struct ckpt_park_work *w = &park->works[i];
		struct task_struct *t = w->task;

		if (!READ_ONCE(w->counted) || READ_ONCE(w->ran))
			continue;
		if (ckpt_task_stopped(t)) {
			if (xchg(&w->counted, 0) &&
			    atomic_dec_and_test(&park->pending))
				wake_up_all(&park->wq);
			continue;
		}
		if (ckpt_vfork_child(t))
			return ckpt_err(ctx, -EAGAIN,
					"pid %d (%s) called vfork() while it was being held: try again",
					task_pid_nr_ns(t, ctx->root_pidns),
					t->comm);
		c = vforks ? ckpt_vfork_waited(ctx, t) : NULL;
		if (c && ckpt_park_holds(ctx, park, c))
			return ckpt_err(ctx, -EOPNOTSUPP,
					"pid %d (%s) waits in vfork() for pid %d, not a child of its own: not supported",
					task_pid_nr_ns(t, ctx->root_pidns),
					t->comm, task_pid_nr_ns(c, ctx->root_pidns));
		if (ticks >= CKPT_PARK_MAX_TICKS)
			return ckpt_err(ctx, -EAGAIN,
					"pid %d (%s) did not stop within %u seconds: try again",
					task_pid_nr_ns(t, ctx->root_pidns),
					t->comm, CKPT_PARK_MAX_TICKS / 10);
		cond_resched();
	}
	return 0;
}

/*
 * A vfork() parent held as it waited must wait still, now that its
 * child is held: a child that exec'd first let it go on.
 */
static int ckpt_park_check_vforks(struct ckpt_ctx *ctx)
{
	struct ckpt_park *park;
	unsigned int i;

	for (park = ctx->park; park; park = park->next) {
		for (i = 0; i < park->nr; i++) {
			struct task_struct *t = park->works[i].task;

			if (park->works[i].vfork && !ckpt_vfork_child(t))
				return ckpt_err(ctx, -EAGAIN,
						"pid %d (%s) left vfork() while it was being held: try again",
						task_pid_nr_ns(t, ctx->root_pidns),
						t->comm);
		}
	}
	return 0;
}

/*
 * The rights were checked when the tasks were collected; a task may have
 * exec'd a set-user-ID program or dropped its dumpable flag before it was
 * held.  Now that none can change, check again.
 */
static int ckpt_park_recheck(struct ckpt_ctx *ctx, unsigned int first)
{
	unsigned int i;

	for (i = first; i < ctx->nr_tasks; i++) {
		struct task_struct *t = ctx->tasks[i];

		if (t != current && !t->exit_state &&
		    !ptrace_may_access(t, PTRACE_MODE_ATTACH_REALCREDS))
			return ckpt_err(ctx, -EPERM,
					"pid %d (%s): no permission to checkpoint it",
					task_pid_nr_ns(t, ctx->root_pidns),
					t->comm);
	}
	return 0;
}

/**
 * ckpt_park_tasks - stop tasks of the checkpoint where they are
 * @ctx:	checkpoint context, with its tasks collected
 * @first:	the first task of ctx->tasks to park: those before it are
 *		parked already
 *
 * Return: 0 once every task from @first on, other than the caller, is
 * parked, stopped or frozen and off its CPU, or a negative errno (the
 * tasks that were parked are released by ckpt_unpark_tasks()).
 */
int ckpt_park_tasks(struct ckpt_ctx *ctx, unsigned int first)
{
	unsigned int i, ticks, nr = ctx->nr_tasks - first;
	struct ckpt_park *park;
	long ret;
	int err;

	park = kvzalloc(struct_size(park, works, nr), GFP_KERNEL);
	if (!park)
		return -ENOMEM;
	refcount_set(&park->ref, 1);
	init_waitqueue_head(&park->wq);
	init_waitqueue_head(&park->resume_wq);
	park->nr = nr;
	park->next = ctx->park;
	ctx->park = park;
	/* The works keep their tasks: one that exits may leave ctx->tasks. */
	for (i = 0; i < nr; i++) {
		park->works[i].park = park;
		park->works[i].task = get_task_struct(ctx->tasks[first + i]);
	}
	err = ckpt_claim(ctx, park);
	if (err)
		return err;

	for (i = 0; i < nr; i++) {
		struct ckpt_park_work *w = &park->works[i];
		struct task_struct *t = w->task;

		if (t == current || t->exit_state || ckpt_notify_waiting(ctx, t))
			continue;
		init_task_work(&w->cb, ckpt_park_fn);
		refcount_inc(&park->ref);
		/* Evaluated once: a vfork() may start meanwhile. */
		w->vfork = !!ckpt_vfork_child(t);
		w->counted = !w->vfork && !ckpt_task_stopped(t);
		if (w->counted)
			atomic_inc(&park->pending);
		if (task_work_add(t, &w->cb, TWA_SIGNAL)) {
			/* Past its last works: ckpt_park_exiting() waits. */
			if (xchg(&w->counted, 0))
				atomic_dec(&park->pending);
			refcount_dec(&park->ref);
			continue;
		}
		w->queued = true;
	}

	for (ticks = 1;; ticks++) {
		ret = wait_event_killable_timeout(park->wq,
						  !atomic_read(&park->pending),
						  HZ / 10);
		if (ret < 0)
			return -EINTR;
		if (ret)
			break;
		err = ckpt_park_vforked(ctx, park, ticks);
		if (err)
			return err;
	}

	err = ckpt_park_exiting(ctx, first);
	if (err)
		return err;

	err = ckpt_park_check_vforks(ctx);
	if (err)
		return err;

	/* Parked tasks must be off their CPU, their FPU state saved. */
	for (i = first; i < ctx->nr_tasks; i++) {
		struct task_struct *t = ctx->tasks[i];

		if (t != current && !t->exit_state)
			wait_task_inactive(t, 0);
	}
	return ckpt_park_recheck(ctx, first);
}

/* Release the parked tasks; they carry on from where they were. */
void ckpt_unpark_tasks(struct ckpt_ctx *ctx)
{
	struct ckpt_park *park;
	unsigned int i;

	while ((park = ctx->park)) {
		for (i = 0; i < park->nr; i++) {
			struct ckpt_park_work *w = &park->works[i];

			/* A work that never ran is taken back, with its reference. */
			if (w->queued && task_work_cancel(w->task, &w->cb))
				ckpt_park_put(park);
		}
		WRITE_ONCE(park->resume, true);
		wake_up_all(&park->resume_wq);
		if (park->claimed) {
			mutex_lock(&ckpt_claim_lock);
			ckpt_unclaim(park, park->nr);
			mutex_unlock(&ckpt_claim_lock);
		}
		ctx->park = park->next;
		ckpt_park_put(park);
	}
}
