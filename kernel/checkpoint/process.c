// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the task tree and the task records.
 *
 * Checkpoint collects the tasks to save, parents before children,
 * every thread of a process after its leader, and pins them.  Pids are
 * written as seen from the pid namespace of the root task.  The tree
 * walk runs under tasklist_lock (read side) and takes no other lock.
 *
 * Every task is quiescent while it is saved: park.c holds the running
 * ones still; stopped, traced and frozen ones stay as they are.
 *
 * Restart reads the tree record first and checks it as a whole: pids
 * in range and unique, every thread after its leader, every parent
 * before its children.  Task records then follow in tree order, each
 * preceded by the objects it is the first to use.
 */

#include <linux/checkpoint.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/restart_block.h>
#include <linux/rseq.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/stat.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/seccomp.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/syscalls.h>
#include <linux/task_work.h>
#include <linux/xarray.h>

#include <asm/syscall.h>

#include "internal.h"

/*
 * The process group and session scopes save the processes of one group
 * or session; their parents outside are not saved.
 */
static struct task_struct *ckpt_parent(struct task_struct *t)
{
	return rcu_dereference_protected(t->real_parent,
					 lockdep_is_held(&tasklist_lock));
}

static bool ckpt_in_set(struct task_struct *t, struct pid *set,
			enum pid_type type)
{
	return (type == PIDTYPE_PGID ? task_pgrp(t) : task_session(t)) == set;
}

/*
 * The processes of the set whose parent is not in it: @root first, then
 * the others, zombies aside (their parent reaps them).  Returns their
 * number, -ENOSPC if there are more than @cap, or -EINVAL if @root's
 * parent is in the set.
 */
static int ckpt_set_roots(struct task_struct *root, struct pid *set,
			  enum pid_type type, struct task_struct **tasks,
			  unsigned int cap)
{
	struct task_struct *p;
	unsigned int n = 0;

	if (ckpt_in_set(ckpt_parent(root), set, type))
		return -EINVAL;
	tasks[n++] = root;
	do_each_pid_task(set, type, p) {
		if (p == root || p->exit_state ||
		    ckpt_in_set(ckpt_parent(p), set, type))
			continue;
		if (n == cap)
			return -ENOSPC;
		tasks[n++] = p;
	} while_each_pid_task(set, type, p);
	return n;
}

/*
 * Add to the @n processes in @tasks their threads and, unless @ctx saves
 * a process alone, their children (those in the set, for a group or
 * session), breadth first, so that parents come before children.
 * Returns the number of tasks, or -ENOSPC if there are more than @cap.
 * Threads that have exited and children being reaped are gone already;
 * zombie children are kept, to be waited for after restart.
 */
static int ckpt_walk_tasks(struct ckpt_ctx *ctx, bool children,
			   struct task_struct **tasks, unsigned int n,
			   unsigned int cap)
{
	struct task_struct *p, *t, *c;
	unsigned int i;

	for (i = 0; i < n; i++) {
		p = tasks[i];
		if (!thread_group_leader(p))
			continue;
		for_each_thread(p, t) {
			if (t != p && !t->exit_state) {
				if (n == cap)
					return -ENOSPC;
				tasks[n++] = t;
			}
		}
		if (!children)
			continue;
		for_each_thread(p, t) {
			list_for_each_entry(c, &t->children, sibling) {
				if ((c->exit_state & EXIT_DEAD) ||
				    (ctx->set && !ckpt_in_set(c, ctx->set, ctx->set_type)))
					continue;
				if (n == cap)
					return -ENOSPC;
				tasks[n++] = c;
			}
		}
	}
	return n;
}

static bool ckpt_task_seccomp(struct task_struct *t)
{
#ifdef CONFIG_SECCOMP
	return READ_ONCE(t->seccomp.mode) != SECCOMP_MODE_DISABLED;
#else
	return false;
#endif
}

/*
 * A zombie is saved as such: a process whose threads are all gone, that
 * its parent in the image has not waited for.
 */
static bool ckpt_task_zombie(struct task_struct *t)
{
	return t->exit_state == EXIT_ZOMBIE && thread_group_leader(t) &&
	       thread_group_empty(t) && !t->ptrace;
}

/*
 * The tasks of an image live in the pid namespace of its root or in
 * namespaces below it (see pidns.c).
 */
static int ckpt_check_pidns(struct ckpt_ctx *ctx, struct task_struct *t,
			    pid_t pid)
{
	if (!pid)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"a task (%s) is outside the pid namespace of the root: not supported",
				t->comm);
	return 0;
}

/**
 * ckpt_pid_saved - whether a task being saved has a given pid
 * @ctx:	checkpoint context
 * @pid:	the pid
 * @type:	PIDTYPE_PID for the task's own, PIDTYPE_PGID or PIDTYPE_SID
 *		for that of its group or session
 *
 * Return: true if one of the tasks of @ctx has @pid as its @type.
 */
bool ckpt_pid_saved(struct ckpt_ctx *ctx, struct pid *pid,
		    enum pid_type type)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_tasks; i++)
		if (task_pid_type(ctx->tasks[i], type) == pid)
			return true;
	return false;
}

/* Whether @c is the task that the owner of @stack waits for in vfork() */
static bool ckpt_vfork_done_on(struct task_struct *c, unsigned long stack)
{
	unsigned long done = (unsigned long)READ_ONCE(c->vfork_done);

	return done && done - stack < THREAD_SIZE;
}

/**
 * ckpt_vfork_child - the child a task waits for in vfork()
 * @t:	a task
 *
 * A task that called vfork(), or clone() with CLONE_VFORK, sleeps until
 * its child execs or exits, which signals a completion on its stack.
 *
 * Return: that child, not referenced (a task of the checkpoint, held,
 * or to be compared only), or NULL if @t does not wait for one.
 */
struct task_struct *ckpt_vfork_child(struct task_struct *t)
{
	struct task_struct *c, *ret = NULL;
	unsigned long stack;

	stack = (unsigned long)try_get_task_stack(t);
	if (!stack)
		return NULL;
	read_lock(&tasklist_lock);
	list_for_each_entry(c, &t->children, sibling) {
		if (ckpt_vfork_done_on(c, stack)) {
			ret = c;
			break;
		}
	}
	read_unlock(&tasklist_lock);
	put_task_stack(t);
	return ret;
}

/**
 * ckpt_vfork_waited - the task of a checkpoint that a task waits for
 * @ctx:	checkpoint context
 * @t:		a task
 *
 * As ckpt_vfork_child(), but the task waited for may be any task of
 * @ctx: a sibling made with CLONE_PARENT, or a thread with CLONE_THREAD.
 *
 * Return: that task, not referenced, or NULL.
 */
struct task_struct *ckpt_vfork_waited(struct ckpt_ctx *ctx,
				      struct task_struct *t)
{
	struct task_struct *ret = NULL;
	unsigned long stack;
	unsigned int i;

	stack = (unsigned long)try_get_task_stack(t);
	if (!stack)
		return NULL;
	for (i = 0; i < ctx->nr_tasks && !ret; i++)
		if (ckpt_vfork_done_on(ctx->tasks[i], stack))
			ret = ctx->tasks[i];
	put_task_stack(t);
	return ret;
}

/**
 * ckpt_vfork_return - what the vfork() a task waits in returns to it
 * @ctx:	checkpoint context, writing the records of task ctx->cur_task
 * @ret:	set to the pid of its child, as the task sees it
 *
 * Such a task is saved as if its call had returned, as the tree record
 * says (CKPT_PIDS_VFORK): restart(2) makes it wait for the child again
 * before it goes back to user mode.
 *
 * Return: true if the task waits in vfork().
 */
bool ckpt_vfork_return(struct ckpt_ctx *ctx, long *ret)
{
	const struct ckpt_pids *p = &ctx->pids[ctx->cur_task];
	unsigned int i;

	for (i = ctx->cur_task + 1; p->pid == p->tgid && i < ctx->nr_tasks; i++) {
		if (ctx->pids[i].ppid == p->pid &&
		    (ctx->pids[i].flags & CKPT_PIDS_VFORK)) {
			/* Its pid in the namespace of the parent */
			*ret = ckpt_pidns_pid_seen(ctx, i, ctx->cur_task);
			return true;
		}
	}
	return false;
}

/**
 * ckpt_check_vforks - check that the vfork() parents saved wait still
 * @ctx:	checkpoint context, with its tasks written
 *
 * A vfork() parent is not parked: killed while it was saved, it may have
 * left its wait after the tree record said it waits.
 *
 * Return: 0, or -EAGAIN.
 */
int ckpt_check_vforks(struct ckpt_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_tasks; i++) {
		struct task_struct *c = ctx->tasks[i];

		if ((ctx->pids[i].flags & CKPT_PIDS_VFORK) &&
		    !READ_ONCE(c->vfork_done))
			return ckpt_err(ctx, -EAGAIN,
					"pid %d (%s) has left the vfork() of its parent while it was saved: try again",
					ctx->pids[i].pid, c->comm);
	}
	return 0;
}

/* Whether @t is one of the tasks of @ctx. */
static bool ckpt_task_listed(struct ckpt_ctx *ctx, struct task_struct *t)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_tasks; i++)
		if (ctx->tasks[i] == t)
			return true;
	return false;
}

/*
 * A vfork() parent and its child are saved together, the parent's main
 * thread waiting: restart creates the child from it (see ckpt_fill_pids()).
 */
static int ckpt_check_vfork(struct ckpt_ctx *ctx, struct task_struct *t,
			    pid_t pid)
{
	struct task_struct *c = ckpt_vfork_child(t), *parent;
	bool waits;

	if (c && !thread_group_leader(t))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d (%s) waits for a vfork() child in a thread other than its main thread: not supported",
				pid, t->comm);
	if (c && !ckpt_task_listed(ctx, c))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d (%s) waits for a vfork() child that is not checkpointed with it: not supported",
				pid, t->comm);
	if (!READ_ONCE(t->vfork_done))
		return 0;
	rcu_read_lock();
	parent = get_task_struct(rcu_dereference(t->real_parent));
	rcu_read_unlock();
	waits = thread_group_leader(parent) && ckpt_vfork_child(parent) == t &&
		ckpt_task_listed(ctx, parent);
	put_task_struct(parent);
	if (!waits)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d (%s) is a vfork() child whose parent's main thread does not wait for it or is not checkpointed with it: not supported",
				pid, t->comm);
	return 0;
}

/**
 * ckpt_check_held_vforks - check the vfork() parents and children held
 * @ctx:	checkpoint context, with its tasks held
 *
 * A task may have called vfork() after it was collected and checked,
 * before it was held: check them all again, now that none can change.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_check_held_vforks(struct ckpt_ctx *ctx)
{
	unsigned int i;
	int err;

	for (i = 0; i < ctx->nr_tasks; i++) {
		struct task_struct *t = ctx->tasks[i];

		if (t == current || t->exit_state)
			continue;
		err = ckpt_check_vfork(ctx, t, task_pid_nr_ns(t, ctx->root_pidns));
		if (err)
			return err;
	}
	return 0;
}

static int ckpt_check_task(struct ckpt_ctx *ctx, struct task_struct *t)
{
	pid_t pid = task_pid_nr_ns(t, ctx->root_pidns);
	int err;

	if (t->flags & PF_KTHREAD)
		return ckpt_err(ctx, -EPERM, "pid %d (%s) is a kernel thread",
				pid, t->comm);
	/* A thread that exited since is left out by ckpt_check_collected(). */
	if (t->exit_state && !thread_group_leader(t))
		return 0;
	/* A process reaped since it was collected has no pid left. */
	if (!pid_alive(t))
		return ckpt_err(ctx, t == ctx->tasks[0] ? -ESRCH : -EAGAIN,
				"a process (%s) has exited and been reaped%s",
				t->comm, t == ctx->tasks[0] ? "" : ": try again");
	if (!ptrace_may_access(t, PTRACE_MODE_ATTACH_REALCREDS))
		return ckpt_err(ctx, -EPERM,
				"pid %d (%s): no permission to checkpoint it",
				pid, t->comm);
	err = ckpt_check_pidns(ctx, t, pid);
	if (err)
		return err;
	if (t->exit_state && t == ctx->tasks[0])
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d (%s) has exited: a zombie cannot be the root",
				pid, t->comm);
	if (t->exit_state && !ckpt_task_zombie(t)) {
		/*
		 * Its parent or a tracer reaps it right now (EXIT_DEAD or
		 * EXIT_TRACE), maybe since exit_state was first read: the
		 * tree is not still.
		 */
		if (READ_ONCE(t->exit_state) & EXIT_DEAD)
			return ckpt_err(ctx, -EAGAIN,
					"pid %d (%s) was being reaped: try again",
					pid, t->comm);
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d (%s) has exited while its threads run: not supported",
				pid, t->comm);
	}
	if (t->exit_state)
		return 0;
	err = ckpt_check_vfork(ctx, t, pid);
	if (err)
		return err;
	/* Restored without its filters, it would leave its sandbox. */
	if (ckpt_task_seccomp(t))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d (%s) runs under seccomp: not supported yet",
				pid, t->comm);
	return 0;
}

/*
 * The tasks of the scope, root first, into @tasks of @cap entries; with
 * tasklist_lock held.  Return: how many, or a negative errno.
 */
static int ckpt_scope_tasks(struct ckpt_ctx *ctx, struct task_struct *root,
			    struct task_struct **tasks, unsigned int cap)
{
	unsigned int scope = ctx->flags & CHECKPOINT_SCOPE_MASK;
	int n = 1;

	if (scope == CHECKPOINT_SCOPE_PGRP || scope == CHECKPOINT_SCOPE_SESSION)
		n = ckpt_set_roots(root, ctx->set, ctx->set_type, tasks, cap);
	else
		tasks[0] = root;
	if (n > 0)
		n = ckpt_walk_tasks(ctx, scope != CHECKPOINT_SCOPE_TASK,
				    tasks, n, cap);
	return n;
}

static int ckpt_task_cmp(const void *a, const void *b)
{
	unsigned long ta = *(unsigned long *)a, tb = *(unsigned long *)b;

	return ta < tb ? -1 : ta > tb;
}

static bool ckpt_task_in(struct task_struct *t, struct task_struct **sorted,
			 unsigned int n)
{
	return bsearch(&t, sorted, n, sizeof(*sorted), ckpt_task_cmp);
}

/* Make room for @n tasks in ctx->tasks. */
static int ckpt_grow_tasks(struct ckpt_ctx *ctx, unsigned int n)
{
	struct task_struct **tasks;

	if (n <= ctx->tasks_cap)
		return 0;
	tasks = kvmalloc_array(n, sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;
	memcpy(tasks, ctx->tasks, ctx->nr_tasks * sizeof(*tasks));
	kvfree(ctx->tasks);
	ctx->tasks = tasks;
	ctx->tasks_cap = n;
	return 0;
}

/*
 * Make the @n tasks of @now, a walk of the scope, the tasks of @ctx, in
 * that order.  The tasks of ctx->tasks that the walk no longer finds are
 * dropped: processes reaped, or that left the group or session, before
 * what made them go was held.  Those it finds anew, forked before their
 * parent was held, are checked and go last, to be held in turn, and
 * *@first is set to the first of them.  @was is room for ctx->nr_tasks.
 *
 * Return: how many are new, or a negative errno.
 */
static int ckpt_adopt_walk(struct ckpt_ctx *ctx, struct task_struct **now,
			   unsigned int n, struct task_struct **was,
			   unsigned int *first)
{
	unsigned int i, kept = 0, added = 0, old = ctx->nr_tasks;
	bool still = (ctx->flags & CHECKPOINT_SCOPE_MASK) == CHECKPOINT_SCOPE_CGROUP;
	int err;

	memcpy(was, ctx->tasks, old * sizeof(*was));
	sort(was, old, sizeof(*was), ckpt_task_cmp, NULL);
	/* The tasks held that are still in the scope, in walk order... */
	for (i = 0; i < n; i++)
		if (ckpt_task_in(now[i], was, old))
			ctx->tasks[kept++] = now[i];
	/* ...and those that are not, which are let go. */
	sort(now, n, sizeof(*now), ckpt_task_cmp, NULL);
	for (i = 0; i < old; i++)
		if (!ckpt_task_in(was[i], now, n))
			put_task_struct(was[i]);
	for (i = 0; i < n; i++)
		if (!ckpt_task_in(now[i], was, old))
			ctx->tasks[kept + added++] = get_task_struct(now[i]);
	ctx->nr_tasks = kept + added;
	*first = kept;
	/* The tasks of a frozen container cannot change. */
	if (still && (kept != old || added))
		return ckpt_err(ctx, -EAGAIN,
				"the tasks changed (a fork or an exit) while they were being held: try again");
	for (i = kept; i < ctx->nr_tasks; i++) {
		err = ckpt_check_task(ctx, ctx->tasks[i]);
		if (err)
			return err;
	}
	return added;
}

/**
 * ckpt_check_collected - hold the tasks of the scope, as they are now
 * @ctx:	checkpoint context, with the tasks before *@first held still
 * @first:	set to the first of the tasks left to hold, if any
 *
 * Between the walk of ckpt_collect_tasks() and the moment a process is
 * held, it may have forked a child the image would miss, or reaped one
 * the image would bring back.  Now that none of the tasks held can, walk
 * again.  A child forked meanwhile is added, to be held in turn; as it
 * may have forked too, the caller holds the tasks added and calls again,
 * until the walk finds nothing new.  Tasks reaped meanwhile are dropped.
 * When nothing changed, ctx->tasks is in walk order: parents first.
 *
 * Return: 0 when the tasks held are those of the scope, how many tasks
 * were added, or a negative errno.
 */
int ckpt_check_collected(struct ckpt_ctx *ctx, unsigned int *first)
{
	unsigned int cap = min_t(unsigned int, nr_threads + 64,
				 CKPT_TREE_MAX_TASKS);
	struct task_struct **now, **was;
	unsigned int i;
	int n;

	/*
	 * A process that exited meanwhile must be a zombie the image can
	 * hold, or have been reaped before its parent was held: the walk
	 * leaves it out.  A thread that exited is gone, its exit done (see
	 * ckpt_park_exiting()): the image is taken after it.
	 */
	for (i = 0; i < ctx->nr_tasks; i++) {
		struct task_struct *t = ctx->tasks[i];

		if (!t->exit_state || !thread_group_leader(t))
			continue;
		if (i && (ckpt_task_zombie(t) || t->exit_state == EXIT_DEAD ||
			  !pid_alive(t)))
			continue;
		return ckpt_err(ctx, i ? -EAGAIN : -ESRCH,
				"pid %d (%s) has exited while it was being held%s",
				task_pid_nr_ns(t, ctx->root_pidns), t->comm,
				i ? ": try again" : "");
	}
	for (i = 0, n = 0; i < ctx->nr_tasks; i++) {
		if (ctx->tasks[i]->exit_state && !thread_group_leader(ctx->tasks[i]))
			put_task_struct(ctx->tasks[i]);
		else
			ctx->tasks[n++] = ctx->tasks[i];
	}
	ctx->nr_tasks = n;

	cap = max(cap, ctx->nr_tasks + 1);
	now = kvmalloc_array(cap, sizeof(*now), GFP_KERNEL);
	was = kvmalloc_array(ctx->nr_tasks, sizeof(*was), GFP_KERNEL);
	n = -ENOMEM;
	if (now && was) {
		/* Pinned: a task not held yet may be reaped meanwhile. */
		read_lock(&tasklist_lock);
		n = ckpt_scope_tasks(ctx, ctx->tasks[0], now, cap);
		for (i = 0; n > 0 && i < n; i++)
			get_task_struct(now[i]);
		read_unlock(&tasklist_lock);
	}
	if (n == -ENOSPC) {
		n = ckpt_err(ctx, -E2BIG, "more than %u tasks to checkpoint",
			     cap);
	} else if (n >= 0) {
		unsigned int walked = n;

		n = ckpt_grow_tasks(ctx, walked) ?:
		    ckpt_adopt_walk(ctx, now, walked, was, first);
		for (i = 0; i < walked; i++)
			put_task_struct(now[i]);
	}
	kvfree(now);
	kvfree(was);
	return n;
}

/**
 * ckpt_collect_tasks - find, pin and check the tasks to checkpoint
 * @ctx:	checkpoint context
 * @root:	the root task
 *
 * Return: 0 or a negative errno.
 */
int ckpt_collect_tasks(struct ckpt_ctx *ctx, struct task_struct *root)
{
	unsigned int scope = ctx->flags & CHECKPOINT_SCOPE_MASK;
	unsigned int cap, i;
	int n, err;

	cap = min_t(unsigned int, nr_threads + 64, CKPT_TREE_MAX_TASKS);
	ctx->tasks = kvmalloc_array(cap, sizeof(*ctx->tasks), GFP_KERNEL);
	if (!ctx->tasks)
		return -ENOMEM;
	ctx->tasks_cap = cap;

	read_lock(&tasklist_lock);
	root = root->group_leader;
	if (scope == CHECKPOINT_SCOPE_PGRP || scope == CHECKPOINT_SCOPE_SESSION) {
		ctx->set_type = scope == CHECKPOINT_SCOPE_PGRP ? PIDTYPE_PGID :
								 PIDTYPE_SID;
		ctx->set = get_pid(ctx->set_type == PIDTYPE_PGID ?
				   task_pgrp(root) : task_session(root));
	}
	n = ctx->set && ctx->set != task_pid(root) ? -ESRCH :
	    ckpt_scope_tasks(ctx, root, ctx->tasks, cap);
	for (i = 0; n > 0 && i < n; i++)
		get_task_struct(ctx->tasks[i]);
	read_unlock(&tasklist_lock);

	ctx->root_pidns = get_pid_ns(task_active_pid_ns(root));
	if (n == -ESRCH || n == -EINVAL)
		return ckpt_err(ctx, n == -ESRCH ? -EINVAL : -EOPNOTSUPP,
				n == -ESRCH ? "pid %d does not lead its %s" :
					      "the parent of pid %d is in its %s: not supported",
				task_pid_nr_ns(root, ctx->root_pidns),
				ctx->set_type == PIDTYPE_PGID ? "process group" :
								"session");
	if (n < 0)
		return ckpt_err(ctx, -E2BIG, "more than %u tasks to checkpoint",
				cap);
	ctx->nr_tasks = n;

	for (i = 0; i < n; i++) {
		err = ckpt_check_task(ctx, ctx->tasks[i]);
		if (err)
			return err;
	}
	return scope == CHECKPOINT_SCOPE_CGROUP ? ckpt_cgroup_check(ctx) : 0;
}

/*
 * What process @t, whose parent is saved, shares with it: as the tasks
 * are held, their mm and handlers stay as they are, and so do vfork()
 * waits, but for a SIGKILL (see ckpt_check_vforks()).  Sharing with
 * another process is refused by ckpt_check_shared().
 */
static u32 ckpt_pids_flags(struct task_struct *t, struct task_struct *parent)
{
	struct task_struct *leader = parent->group_leader;
	u32 flags = 0;

	if (!thread_group_leader(t) || t->exit_state)
		return 0;
	if (READ_ONCE(t->mm) == READ_ONCE(leader->mm))
		flags |= CKPT_PIDS_SHARE_VM;
	if ((flags & CKPT_PIDS_SHARE_VM) &&
	    rcu_access_pointer(t->sighand) == rcu_access_pointer(leader->sighand))
		flags |= CKPT_PIDS_SHARE_SIGHAND;
	if (READ_ONCE(t->vfork_done) && ckpt_vfork_child(parent) == t)
		flags |= CKPT_PIDS_VFORK;
	return flags;
}

static void ckpt_fill_pids(struct ckpt_ctx *ctx, struct task_struct *t,
			   struct ckpt_pids *p)
{
	struct pid_namespace *ns = ctx->root_pidns;
	struct task_struct *root = ctx->tasks[0], *parent = NULL;

	p->pid = task_pid_nr_ns(t, ns);
	p->tgid = task_tgid_nr_ns(t, ns);
	/* A parent that is not saved is 0: the caller of restart(2). */
	rcu_read_lock();
	if (!same_thread_group(t, root)) {
		parent = rcu_dereference(t->real_parent);
		if ((ctx->set && !ckpt_in_set(parent, ctx->set, ctx->set_type)) ||
		    ckpt_notify_omitted(ctx, parent))
			parent = NULL;
	}
	if (parent) {
		p->ppid = task_tgid_nr_ns(parent, ns);
		get_task_struct(parent);
	}
	rcu_read_unlock();
	p->pgid = task_pgrp_nr_ns(t, ns);
	p->sid = task_session_nr_ns(t, ns);
	if (parent) {
		p->flags = ckpt_pids_flags(t, parent);
		put_task_struct(parent);
	}
}

int ckpt_write_tree(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_tree *h;
	struct ckpt_pids *pids;
	unsigned int i;
	int err;

	h = ckpt_hdr_alloc(sizeof(*h) + ctx->nr_tasks * sizeof(*pids),
			   CKPT_HDR_TREE);
	if (!h)
		return -ENOMEM;
	h->nr_tasks = ctx->nr_tasks;
	pids = (struct ckpt_pids *)(h + 1);
	for (i = 0; i < ctx->nr_tasks; i++)
		ckpt_fill_pids(ctx, ctx->tasks[i], &pids[i]);
	err = ckpt_write_record(ctx, &h->h);
	/* Kept, for what depends on how restart(2) creates the tasks. */
	if (!err) {
		ctx->pids = kvmemdup(pids, ctx->nr_tasks * sizeof(*pids),
				     GFP_KERNEL);
		if (!ctx->pids)
			err = -ENOMEM;
	}
	kvfree(h);
	return err;
}

/**
 * ckpt_image_parent - the parent a process is created by at restart
 * @ctx:	checkpoint context, whose tree record is written
 * @i:		index of a task of the image
 *
 * restart(2) creates a process whose parent is in the image as a child
 * of that parent's leader, once the leader has read its records.
 *
 * Return: the leader of the parent process of task @i, or NULL if the
 * image does not have it.
 */
struct task_struct *ckpt_image_parent(struct ckpt_ctx *ctx, unsigned int i)
{
	pid_t ppid = ctx->pids[i].ppid;
	unsigned int j;

	for (j = 0; ppid && j < i; j++)
		if (ctx->pids[j].pid == ppid)
			return ctx->tasks[j];
	return NULL;
}

static int ckpt_task_creds(struct ckpt_ctx *ctx, struct task_struct *t,
			   struct ckpt_hdr_task *h)
{
	const struct cred *cred, *real_cred;
	int err;

	rcu_read_lock();
	do {
		cred = rcu_dereference(t->cred);
	} while (!get_cred_rcu(cred));
	rcu_read_unlock();
	real_cred = get_task_cred(t);

	err = ckpt_obj_checkpoint(ctx, (void *)cred, &ckpt_cred_ops,
				  &h->cred_ref);
	if (!err)
		err = ckpt_obj_checkpoint(ctx, (void *)real_cred,
					  &ckpt_cred_ops, &h->real_cred_ref);
	put_cred(real_cred);
	put_cred(cred);
	return err;
}

/* The tree flags of the process of task ctx->cur_task, set by its leader. */
static u32 ckpt_process_flags(struct ckpt_ctx *ctx)
{
	const struct ckpt_pids *p = &ctx->pids[ctx->cur_task];
	unsigned int i;

	for (i = ctx->cur_task; p->pid != p->tgid && i-- > 0;)
		if (ctx->pids[i].pid == p->tgid)
			return ctx->pids[i].flags;
	return p->flags;
}

/*
 * An address space or signal handler table is shared by the threads of
 * a process, and by a process with its parent when it was created so
 * (@flag of its tree entry): restart creates it sharing them again.  It
 * cannot rebuild one that other processes share.
 */
static int ckpt_check_shared(struct ckpt_ctx *ctx, struct task_struct *t,
			     void *obj, u32 flag, const char *what)
{
	struct task_struct *first = ctx->tasks[ckpt_obj_first_task(ctx, obj)];

	if (same_thread_group(first, t) || (ckpt_process_flags(ctx) & flag))
		return 0;
	return ckpt_err(ctx, -EOPNOTSUPP,
			"pid %d (%s) shares its %s with pid %d, neither a thread of it nor its parent: not supported",
			task_pid_nr_ns(t, ctx->root_pidns), t->comm, what,
			task_pid_nr_ns(first, ctx->root_pidns));
}

static int ckpt_task_mm(struct ckpt_ctx *ctx, struct task_struct *t,
			struct ckpt_hdr_task *h)
{
	struct mm_struct *mm = get_task_mm(t);
	int err = 0;

	if (!mm)
		return ckpt_err(ctx, -ESRCH, "pid %d (%s) has no address space",
				h->pid, t->comm);
	/*
	 * The objects its mappings refer to go out before the mm, with the
	 * first task that uses it: the tasks cannot change the mappings
	 * while they are held, and a walk of them per thread would make
	 * the checkpoint of many threads quadratic.
	 */
	if (ckpt_obj_lookup(ctx, mm, &ckpt_mm_ops, &h->mm_ref))
		err = ckpt_mm_prepare(ctx, mm);
	if (!err)
		err = ckpt_obj_checkpoint(ctx, mm, &ckpt_mm_ops, &h->mm_ref) ?:
		      ckpt_check_shared(ctx, t, mm, CKPT_PIDS_SHARE_VM,
					"address space (CLONE_VM)");
	mmput(mm);
	return err;
}

/* A task held still keeps its sighand: see signal.c. */
static int ckpt_task_signal_objs(struct ckpt_ctx *ctx, struct task_struct *t,
				 struct ckpt_hdr_task *h)
{
	struct sighand_struct *sighand = rcu_dereference_protected(t->sighand,
								    true);

	return ckpt_obj_checkpoint(ctx, sighand, &ckpt_sighand_ops,
				   &h->sighand_ref) ?:
	       ckpt_check_shared(ctx, t, sighand, CKPT_PIDS_SHARE_SIGHAND,
				 "signal handlers (CLONE_SIGHAND)") ?:
	       ckpt_obj_checkpoint(ctx, t->signal, &ckpt_signal_ops,
				   &h->signal_ref);
}

/*
 * A task stopped on its way out of a system call that is continued by
 * restart_syscall(2) needs its restart block: the subsystem the call
 * belongs to describes it.  A call whose block no subsystem can save
 * (a CPU-time clock_nanosleep(), an alarm timer sleep) makes the
 * checkpoint fail rather than turn into -EINTR after restart.
 */
static int ckpt_write_restart_block(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct pt_regs *regs = task_pt_regs(t);
	struct ckpt_hdr_restart_block *h;
	int err;

	if (t == current || syscall_get_nr(t, regs) < 0 ||
	    syscall_get_error(t, regs) != -ERESTART_RESTARTBLOCK)
		return 0;

	h = ckpt_hdr_alloc(sizeof(*h), CKPT_HDR_RESTART_BLOCK);
	if (!h)
		return -ENOMEM;
	if (ckpt_nanosleep_save(&t->restart_block, h) ||
	    ckpt_futex_wait_save(&t->restart_block, h) ||
	    ckpt_poll_save(&t->restart_block, h))
		err = ckpt_write_record(ctx, &h->h);
	else
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "pid %d (%s) is in system call %d, which cannot be saved",
			       task_pid_nr_ns(t, ctx->root_pidns), t->comm,
			       syscall_get_nr(t, regs));
	kvfree(h);
	return err;
}

static int ckpt_read_restart_block(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_restart_block *h;
	u32 type;
	int err;

	err = ckpt_peek_type(ctx, &type);
	if (err || type != CKPT_HDR_RESTART_BLOCK)
		return err;
	h = ckpt_read_record(ctx, CKPT_HDR_RESTART_BLOCK, sizeof(*h), sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	switch (h->kind) {
	case CKPT_RESTART_NANOSLEEP:
		err = ckpt_nanosleep_restore(ctx, h);
		break;
	case CKPT_RESTART_FUTEX_WAIT:
		err = ckpt_futex_wait_restore(ctx, h);
		break;
	case CKPT_RESTART_POLL:
		err = ckpt_poll_restore(ctx, h);
		break;
	default:
		err = ckpt_err(ctx, -EINVAL, "restart block of kind %u", h->kind);
	}
	kvfree(h);
	return err;
}

/*
 * A zombie keeps only what its parent can learn of it: its pid, its
 * exit status and the signal it sent.  Its rusage is not saved.
 */
static int ckpt_write_zombie(struct ckpt_ctx *ctx, struct task_struct *t,
			     struct ckpt_hdr_task *h)
{
	h->flags = CKPT_TASK_THREAD_LEADER | CKPT_TASK_ZOMBIE;
	h->exit_signal = t->exit_signal;
	h->exit_code = t->exit_code;
	get_task_comm(h->comm, t);
	return ckpt_write_record(ctx, &h->h);
}

int ckpt_write_task(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_task *h;
	int err;

	h = ckpt_hdr_alloc(sizeof(*h), CKPT_HDR_TASK);
	if (!h)
		return -ENOMEM;
	h->pid = task_pid_nr_ns(t, ctx->root_pidns);
	if (t->exit_state) {
		err = ckpt_write_zombie(ctx, t, h);
		goto out;
	}
	/* Its registers live on its stack, which must stay while read. */
	if (!try_get_task_stack(t)) {
		err = ckpt_err(ctx, -ESRCH, "pid %d (%s) has exited", h->pid,
			       t->comm);
		goto out;
	}
	err = ckpt_task_mm(ctx, t, h) ?: ckpt_task_creds(ctx, t, h) ?:
	      ckpt_task_signal_objs(ctx, t, h) ?:
	      ckpt_task_files(ctx, t, &h->files_ref, &h->fs_ref) ?:
	      (thread_group_leader(t) ? ckpt_write_sem_undo(ctx, t) : 0);
	if (err)
		goto put_stack;
	h->exit_signal = t->exit_signal;
	h->personality = t->personality;
	if (thread_group_leader(t))
		h->flags |= CKPT_TASK_THREAD_LEADER;
	if (t == current)
		h->flags |= CKPT_TASK_SELF;
	if (ckpt_notify_waiting(ctx, t))
		h->flags |= CKPT_TASK_READY;
	get_task_comm(h->comm, t);
	err = ckpt_write_record(ctx, &h->h) ?: ckpt_write_arch(ctx, t) ?:
	      ckpt_write_restart_block(ctx, t) ?:
	      (thread_group_leader(t) ? ckpt_write_posix_timers(ctx, t) : 0) ?:
	      ckpt_write_task_signals(ctx, t) ?:
	      ckpt_write_task_attrs(ctx, t);
put_stack:
	put_task_stack(t);
out:
	kvfree(h);
	return err;
}

static int restore_check_pids(struct ckpt_ctx *ctx, struct xarray *seen,
			      unsigned int i)
{
	const struct ckpt_pids *p = &ctx->pids[i];
	const struct ckpt_pids *leader, *parent;
	int err;

	if (p->pid <= 0 || p->pid > PID_MAX_LIMIT)
		return ckpt_err(ctx, -EINVAL, "task %u: pid %d out of range",
				i, p->pid);
	if (p->pgid < 0 || p->pgid > PID_MAX_LIMIT ||
	    p->sid < 0 || p->sid > PID_MAX_LIMIT)
		return ckpt_err(ctx, -EINVAL, "task %u: pgid %d or sid %d out of range",
				i, p->pgid, p->sid);
	if (p->flags & ~CKPT_PIDS_FLAGS_ALL)
		return ckpt_err(ctx, -EINVAL, "task %u: unknown flags %#x",
				i, p->flags);
	if (p->flags && (p->tgid != p->pid || !p->ppid))
		return ckpt_err(ctx, -EINVAL,
				"task %u: flags %#x of a thread or of a process whose parent is not saved",
				i, p->flags);
	/* As clone(2) refuses CLONE_SIGHAND without CLONE_VM */
	if ((p->flags & CKPT_PIDS_SHARE_SIGHAND) &&
	    !(p->flags & CKPT_PIDS_SHARE_VM))
		return ckpt_err(ctx, -EINVAL,
				"task %u: shares the signal handlers but not the mm of its parent",
				i);

	if (p->tgid != p->pid) {
		leader = xa_load(seen, p->tgid);
		if (!leader || leader->tgid != leader->pid)
			return ckpt_err(ctx, -EINVAL,
					"task %u: thread %d comes before its leader %d",
					i, p->pid, p->tgid);
		if (p->ppid != leader->ppid)
			return ckpt_err(ctx, -EINVAL,
					"task %u: thread %d has ppid %d, its leader %d",
					i, p->pid, p->ppid, leader->ppid);
		ctx->refs[leader - ctx->pids].creates = true;
	} else if (i == 0 && p->ppid) {
		return ckpt_err(ctx, -EINVAL, "root task has ppid %d, not 0",
				p->ppid);
	} else if (p->ppid) {
		parent = xa_load(seen, p->ppid);
		if (!parent || parent->tgid != parent->pid)
			return ckpt_err(ctx, -EINVAL,
					"task %u: pid %d comes before its parent %d",
					i, p->pid, p->ppid);
		ctx->refs[parent - ctx->pids].creates = true;
		ctx->refs[i].parent = parent - ctx->pids;
		if (p->flags & CKPT_PIDS_VFORK) {
			if (ctx->refs[parent - ctx->pids].vfork_waits)
				return ckpt_err(ctx, -EINVAL,
						"task %u: pid %d waits for two vfork() children",
						i, p->ppid);
			ctx->refs[parent - ctx->pids].vfork_waits = true;
		}
	}

	err = xa_insert(seen, p->pid, (void *)p, GFP_KERNEL);
	if (err == -EBUSY)
		return ckpt_err(ctx, -EINVAL, "task %u: pid %d appears twice",
				i, p->pid);
	return err;
}

int ckpt_read_tree(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_tree *h;
	struct xarray seen;
	unsigned int i;
	size_t size;
	int err;

	h = ckpt_read_record(ctx, CKPT_HDR_TREE, sizeof(*h),
			     sizeof(*h) + CKPT_TREE_MAX_TASKS * sizeof(struct ckpt_pids));
	if (IS_ERR(h))
		return PTR_ERR(h);

	err = -EINVAL;
	if (!h->nr_tasks || h->nr_tasks > CKPT_TREE_MAX_TASKS) {
		ckpt_err(ctx, err, "nr_tasks %u out of range", h->nr_tasks);
		goto out;
	}
	size = sizeof(*h) + h->nr_tasks * sizeof(struct ckpt_pids);
	if (h->h.len != size) {
		ckpt_err(ctx, err, "length %u does not match nr_tasks %u",
			 h->h.len, h->nr_tasks);
		goto out;
	}
	err = ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "tree pad");
	if (err)
		goto out;

	err = -ENOMEM;
	ctx->pids = kvmalloc_array(h->nr_tasks, sizeof(*ctx->pids), GFP_KERNEL);
	if (!ctx->pids)
		goto out;
	ctx->refs = kvcalloc(h->nr_tasks, sizeof(*ctx->refs), GFP_KERNEL);
	if (!ctx->refs)
		goto out;
	memcpy(ctx->pids, h + 1, h->nr_tasks * sizeof(*ctx->pids));
	ctx->nr_tasks = h->nr_tasks;

	xa_init(&seen);
	for (i = 0; i < ctx->nr_tasks; i++) {
		err = restore_check_pids(ctx, &seen, i);
		if (err)
			break;
	}
	xa_destroy(&seen);
out:
	kvfree(h);
	return err;
}

/* A status as wait(2) reports it for a process that exited. */
static bool ckpt_exit_status_valid(int code)
{
	int sig = code & 0x7f;

	if (code < 0 || code > 0xff00)
		return false;
	if (!sig)
		return !(code & 0xff);
	return sig != 0x7f && valid_signal(sig) && !(code & ~0xff);
}

static int restore_check_zombie(struct ckpt_ctx *ctx, unsigned int index,
				struct ckpt_hdr_task *h)
{
	if (h->flags != (CKPT_TASK_THREAD_LEADER | CKPT_TASK_ZOMBIE))
		return ckpt_err(ctx, -EINVAL, "flags %#x of a zombie", h->flags);
	if (!index || ctx->refs[index].creates)
		return ckpt_err(ctx, -EINVAL,
				"pid %d is a zombie, but it is the root or has children or threads",
				h->pid);
	if (ctx->pids[index].flags)
		return ckpt_err(ctx, -EINVAL, "zombie %d has tree flags %#x",
				h->pid, ctx->pids[index].flags);
	if (!ckpt_exit_status_valid(h->exit_code))
		return ckpt_err(ctx, -EINVAL, "exit status %#x of a zombie",
				h->exit_code);
	if (h->cred_ref || h->real_cred_ref || h->mm_ref || h->sighand_ref ||
	    h->signal_ref || h->files_ref || h->fs_ref)
		return ckpt_err(ctx, -EINVAL, "zombie %d refers to objects",
				h->pid);
	return ckpt_check_string(ctx, h->comm, sizeof(h->comm), "comm");
}

/**
 * ckpt_check_own - refuse an object a task's records define, but it shares
 * @ctx:	restart context, reading the records of task ctx->cur_task
 * @flag:	CKPT_PIDS_SHARE_VM for an mm, CKPT_PIDS_SHARE_SIGHAND for
 *		signal handlers, 0 for what only threads share
 * @what:	the object, for the message
 *
 * A thread has the mm, handlers and signal state of its leader, and a
 * process those its tree entry says of its parent, from the moment it is
 * created: an object of its records would rebuild theirs.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_own(struct ckpt_ctx *ctx, u32 flag, const char *what)
{
	const struct ckpt_pids *p = &ctx->pids[ctx->cur_task];

	if (p->pid == p->tgid && !(p->flags & flag))
		return 0;
	return ckpt_err(ctx, -EINVAL,
			"pid %d shares its %s, which its records define anew",
			p->pid, what);
}

/*
 * Whether object @ref of process @index is its parent's @parents, as
 * its tree entry says with @flag, or not.
 */
static bool restore_shares(struct ckpt_ctx *ctx, unsigned int index, u32 ref,
			   u32 parents, u32 flag)
{
	return !(ctx->pids[index].flags & flag) || ref == parents;
}

static int restore_check_task(struct ckpt_ctx *ctx, unsigned int index,
			      struct ckpt_hdr_task *h)
{
	const struct ckpt_pids *p = &ctx->pids[index];
	const struct ckpt_task_refs *parent = &ctx->refs[ctx->refs[index].parent];
	bool leader = p->pid == p->tgid;
	unsigned int i;
	void *cred, *obj;

	if (h->pid != p->pid)
		return ckpt_err(ctx, -EINVAL, "pid %d, but the tree says %d",
				h->pid, p->pid);
	if (h->flags & ~(CKPT_TASK_THREAD_LEADER | CKPT_TASK_SELF |
			 CKPT_TASK_ZOMBIE | CKPT_TASK_READY))
		return ckpt_err(ctx, -EINVAL, "unknown flags %#x", h->flags);
	if ((h->flags & CKPT_TASK_READY) && (h->flags & CKPT_TASK_SELF))
		return ckpt_err(ctx, -EINVAL, "the caller of checkpoint(2) cannot be ready");
	if (!!(h->flags & CKPT_TASK_THREAD_LEADER) != leader)
		return ckpt_err(ctx, -EINVAL, "leader flag disagrees with the tree");
	if (leader ? !valid_signal(h->exit_signal) || h->exit_signal < 0 :
		     h->exit_signal != -1)
		return ckpt_err(ctx, -EINVAL, "bad exit_signal %d",
				h->exit_signal);
	/* The caller of restart(2) is the parent of a task without one. */
	if (leader && !p->ppid && sig_kernel_only(h->exit_signal))
		return ckpt_err(ctx, -EPERM,
				"exit_signal %d would be sent to the caller",
				h->exit_signal);
	if (h->flags & CKPT_TASK_ZOMBIE)
		return restore_check_zombie(ctx, index, h);
	if (h->exit_code)
		return ckpt_err(ctx, -EINVAL, "exit_code %d of a live task",
				h->exit_code);

	obj = ckpt_obj_fetch(ctx, h->mm_ref, &ckpt_mm_ops, "mm_ref");
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	obj = ckpt_obj_fetch(ctx, h->sighand_ref, &ckpt_sighand_ops,
			     "sighand_ref");
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	obj = ckpt_obj_fetch(ctx, h->signal_ref, &ckpt_signal_ops, "signal_ref");
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	obj = ckpt_obj_fetch(ctx, h->files_ref, &ckpt_files_ops, "files_ref");
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	obj = ckpt_obj_fetch(ctx, h->fs_ref, &ckpt_fs_ops, "fs_ref");
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (!leader) {
		/* A thread shares the mm and signals of its leader. */
		for (i = index; i-- > 0;)
			if (ctx->pids[i].pid == p->tgid)
				break;
		if (ctx->refs[i].mm != h->mm_ref ||
		    ctx->refs[i].sighand != h->sighand_ref ||
		    ctx->refs[i].signal != h->signal_ref)
			return ckpt_err(ctx, -EINVAL,
					"thread %d does not share the mm, sighand and signal of its leader %d",
					p->pid, p->tgid);
	} else if (!restore_shares(ctx, index, h->mm_ref, parent->mm,
				   CKPT_PIDS_SHARE_VM) ||
		   !restore_shares(ctx, index, h->sighand_ref, parent->sighand,
				   CKPT_PIDS_SHARE_SIGHAND)) {
		return ckpt_err(ctx, -EINVAL,
				"pid %d does not share the mm or signal handlers of its parent %d as the tree says",
				p->pid, p->ppid);
	} else if (ckpt_obj_owner(ctx, h->signal_ref) != index ||
		   (!(p->flags & CKPT_PIDS_SHARE_VM) &&
		    ckpt_obj_owner(ctx, h->mm_ref) != index) ||
		   (!(p->flags & CKPT_PIDS_SHARE_SIGHAND) &&
		    ckpt_obj_owner(ctx, h->sighand_ref) != index)) {
		/* Sharing with a process other than its parent */
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d shares its mm or signal handlers with a process other than its parent: not supported",
				p->pid);
	}
	ctx->refs[index].mm = h->mm_ref;
	ctx->refs[index].sighand = h->sighand_ref;
	ctx->refs[index].signal = h->signal_ref;

	cred = ckpt_obj_fetch(ctx, h->cred_ref, &ckpt_cred_ops, "cred_ref");
	if (IS_ERR(cred))
		return PTR_ERR(cred);
	cred = ckpt_obj_fetch(ctx, h->real_cred_ref, &ckpt_cred_ops,
			      "real_cred_ref");
	if (IS_ERR(cred))
		return PTR_ERR(cred);
	return ckpt_check_string(ctx, h->comm, sizeof(h->comm), "comm");
}

/*
 * Give current, a task restart(2) created, what its task record says.
 * The credentials go last, in ckpt_task_finish(): until then the task
 * opens files, maps memory and creates tasks with the restarting user's
 * rights.
 */
static int restore_task(struct ckpt_ctx *ctx, const struct ckpt_hdr_task *h)
{
	const struct cred *cred, *real_cred;
	int err;

	cred = ckpt_obj_fetch(ctx, h->cred_ref, &ckpt_cred_ops, "cred_ref");
	real_cred = ckpt_obj_fetch(ctx, h->real_cred_ref, &ckpt_cred_ops,
				   "real_cred_ref");
	if (cred != real_cred)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d runs with overridden credentials: not supported",
				h->pid);
	err = ckpt_cred_may_restore(ctx, cred);
	if (err)
		return err;

	current->personality = h->personality;
	set_task_comm(current, h->comm);
	/*
	 * Unless a restart block record follows, a call that needs one
	 * returns EINTR rather than continue the caller's.
	 */
	current->restart_block.fn = do_no_restart_syscall;
	/* The caller's rseq area is not in this address space. */
	rseq_execve(current);
	return 0;
}

/*
 * Sessions and process groups.  A task that led its session or group
 * leads a new one, made as the task is created, so that the tasks it
 * creates are in it; the others join their group once all tasks exist.
 * A session is entered only by being created in it: a task must be in
 * the session of its parent unless it leads its own, or unless the
 * session's leader exited (see ckpt_check_sghost()).  The root, unless
 * it leads them, stays in the session and group of the caller of
 * restart(2), and so do the tasks that were in its session and group.
 */
static bool ckpt_in_roots_group(struct ckpt_ctx *ctx, const struct ckpt_pids *p)
{
	const struct ckpt_pids *root = &ctx->pids[0];

	return root->pgid != root->pid && p->pgid == root->pgid;
}

/*
 * A process group whose leader has exited lives on while it has members.
 * The parent of its first member in the image, which is in the same
 * session, makes a stand-in leader with the group's pid (see restart.c),
 * which makes the group and exits; the members join the group, and then
 * the stand-in is reaped, as the leader was.
 */
static int ckpt_check_ghost(struct ckpt_ctx *ctx, struct xarray *ghosts,
			    const struct ckpt_pids *p)
{
	const struct ckpt_pids *first;
	int err;

	err = ckpt_pidns_stand_in(ctx, p - ctx->pids);
	if (err)
		return err;
	if (!p->pgid)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d is in a process group outside the pid namespace: not supported",
				p->pid);
	first = xa_load(ghosts, p->pgid);
	if (!first) {
		err = xa_err(xa_store(ghosts, p->pgid, (void *)p, GFP_KERNEL));
		if (!err)
			ctx->refs[p - ctx->pids].ghost_pgid = p->pgid;
		return err;
	}
	if (first->sid != p->sid)
		return ckpt_err(ctx, -EINVAL, "pid %d is in group %d of another session",
				p->pid, p->pgid);
	return 0;
}

/*
 * A session whose leader has exited lives on while it has members: a
 * daemon whose parent made a session and left it, say.  The members
 * whose parent is in another session (or, for the processes whose
 * parent is not saved, not in the caller's) are created by a stand-in
 * leader with the session's pid, which makes the session and group and
 * creates them as children of their parent (CLONE_PARENT); the stand-in
 * is made by that parent, which must be the same for all of them, and
 * is reaped as the group's stand-ins are (see restart.c).
 */
static int ckpt_check_sghost(struct ckpt_ctx *ctx, struct xarray *seen,
			     struct xarray *sessions, const struct ckpt_pids *p)
{
	const struct ckpt_pids *first;
	int err;

	err = ckpt_pidns_stand_in(ctx, p - ctx->pids);
	if (err)
		return err;
	if (p->sid <= 0)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d is in a session outside the pid namespace: not supported",
				p->pid);
	/* The stand-in creates it, not its parent: see restart_spawn(). */
	if (p->flags)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d shares with its parent, but is in a session whose leader exited, not that of its parent: not supported",
				p->pid);
	if (xa_load(seen, p->sid))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d is in session %d, not that of its parent: not supported",
				p->pid, p->sid);
	first = xa_load(sessions, p->sid);
	if (!first) {
		err = xa_err(xa_store(sessions, p->sid, (void *)p, GFP_KERNEL));
		if (!err)
			ctx->refs[p - ctx->pids].sghost = ++ctx->nr_sghosts;
		return err;
	}
	if (first->ppid != p->ppid)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pids %d and %d of session %d, whose leader exited, have parents outside it that differ: not supported",
				first->pid, p->pid, p->sid);
	ctx->refs[p - ctx->pids].sghost = ctx->refs[first - ctx->pids].sghost;
	return 0;
}

static int ckpt_check_session(struct ckpt_ctx *ctx, struct xarray *seen,
			      struct xarray *ghosts, struct xarray *sessions,
			      const struct ckpt_pids *p)
{
	const struct ckpt_pids *root = &ctx->pids[0], *parent, *g;
	bool outside = false;
	int err;

	if (p->sid == p->pid && p->pgid != p->pid)
		return ckpt_err(ctx, -EINVAL, "pid %d leads session %d but not its group",
				p->pid, p->sid);
	/* The processes whose parent is not saved are the caller's children. */
	if (!p->ppid && p != root && p->sid != p->pid &&
	    (root->sid == root->pid || p->sid != root->sid))
		outside = true;
	if (p->ppid && p->sid != p->pid) {
		parent = xa_load(seen, p->ppid);
		outside = parent->sid != p->sid;
	}
	if (outside) {
		err = ckpt_check_sghost(ctx, seen, sessions, p);
		if (err)
			return err;
	}
	if (p->pgid == p->pid || ckpt_in_roots_group(ctx, p))
		return 0;
	g = xa_load(seen, p->pgid);
	/* The group of a session's stand-in leader is made with it. */
	if (!g && p->pgid == p->sid && xa_load(sessions, p->sid))
		return 0;
	if (!g)
		return ckpt_check_ghost(ctx, ghosts, p);
	if (g->pgid != p->pgid)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d is in process group %d, whose leader left it: not supported",
				p->pid, p->pgid);
	if (g->sid != p->sid)
		return ckpt_err(ctx, -EINVAL, "pid %d is in group %d of another session",
				p->pid, p->pgid);
	return 0;
}

/**
 * ckpt_check_sessions - check that the sessions and groups can be rebuilt
 * @ctx:	restart context, with the tree read
 *
 * Return: 0, or -EOPNOTSUPP for what restart cannot rebuild yet.
 */
int ckpt_check_sessions(struct ckpt_ctx *ctx)
{
	struct xarray seen, ghosts, sessions;
	unsigned int i;
	int err = 0;

	xa_init(&seen);
	xa_init(&ghosts);
	xa_init(&sessions);
	for (i = 0; !err && i < ctx->nr_tasks; i++)
		err = xa_err(xa_store(&seen, ctx->pids[i].pid,
				      &ctx->pids[i], GFP_KERNEL));
	for (i = 0; !err && i < ctx->nr_tasks; i++) {
		const struct ckpt_pids *p = &ctx->pids[i], *leader;

		if (p->pid == p->tgid) {
			err = ckpt_check_session(ctx, &seen, &ghosts,
						 &sessions, p);
			continue;
		}
		leader = xa_load(&seen, p->tgid);
		if (p->pgid != leader->pgid || p->sid != leader->sid)
			err = ckpt_err(ctx, -EINVAL,
				       "thread %d is not in the group and session of its leader",
				       p->pid);
	}
	xa_destroy(&sessions);
	xa_destroy(&ghosts);
	xa_destroy(&seen);
	return err;
}

/**
 * ckpt_restore_session - make current's session or group, if it led one
 * @ctx:	restart context
 * @index:	current's place in the tree
 *
 * Called by a task restart(2) created, before it creates others.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_restore_session(struct ckpt_ctx *ctx, unsigned int index)
{
	const struct ckpt_pids *p = &ctx->pids[index];
	int ret;

	if (p->pid != p->tgid)
		return 0;
	if (p->sid == p->pid) {
		ret = ksys_setsid();
		if (ret < 0)
			return ckpt_err(ctx, ret, "pid %d cannot lead a new session",
					p->pid);
	} else if (p->pgid == p->pid) {
		/* As setpgid(0, 0) */
		write_lock_irq(&tasklist_lock);
		change_pid(current, PIDTYPE_PGID, task_pid(current));
		write_unlock_irq(&tasklist_lock);
	}
	return 0;
}

/**
 * ckpt_restore_pgrp - put a restored process in its group
 * @ctx:	restart context
 * @index:	the task's place in the tree
 * @pid:	its pid
 *
 * Called by the caller of restart(2) once all tasks exist, as
 * setpgid(2) would for its child.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_restore_pgrp(struct ckpt_ctx *ctx, unsigned int index,
		      struct pid *pid)
{
	const struct ckpt_pids *p = &ctx->pids[index];
	struct task_struct *t, *g;
	struct pid *pgrp;
	int err = 0;

	if (p->pid != p->tgid || p->pgid == p->pid)
		return 0;
	rcu_read_lock();
	write_lock_irq(&tasklist_lock);
	t = pid_task(pid, PIDTYPE_PID);
	pgrp = ckpt_in_roots_group(ctx, p) ? task_pgrp(current) :
					      find_pid_ns(p->pgid, ctx->root_pidns);
	g = pid_task(pgrp, PIDTYPE_PGID);
	if (!t || !g || task_session(g) != task_session(t))
		err = -ESRCH;
	else if (task_pgrp(t) != pgrp)
		change_pid(t, PIDTYPE_PGID, pgrp);
	write_unlock_irq(&tasklist_lock);
	rcu_read_unlock();
	if (err)
		return ckpt_err(ctx, err, "pid %d cannot join process group %d",
				p->pid, p->pgid);
	return 0;
}

/*
 * A process that was registered for checkpoint callbacks is again, and
 * the thread that waited in PR_CHECKPOINT_READY learns that it was
 * restarted: the call returns the caller of restart(2), as the task
 * sees it, or 1 if it does not.
 */
static int restore_task_notify(struct ckpt_ctx *ctx,
			       const struct ckpt_hdr_task *h, void *shared,
			       struct ckpt_task_finish *fin)
{
	struct ckpt_notify *n;

	if (h->flags & CKPT_TASK_READY)
		fin->ready_ret = pid_nr_ns(ctx->caller,
					   task_active_pid_ns(current)) ?: 1;
	if (!shared)
		return 0;
	n = ckpt_notify_prepare(ctx, ckpt_signal_notify(shared));
	if (IS_ERR(n))
		return PTR_ERR(n);
	fin->notify = n;
	return 0;
}

/**
 * ckpt_read_task - read the records of the task at @index of the tree
 * @ctx:	restart context
 * @index:	position of the task in the tree record
 * @fin:	when restoring: set to what the task takes on last, for
 *		ckpt_task_finish() once the restart is sure to succeed
 *
 * Reads the objects defined before the task record, then the task
 * record itself and the architecture records after it, and checks them.
 * When restoring, current is the task being rebuilt and every record is
 * applied to it as it is read.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_task(struct ckpt_ctx *ctx, unsigned int index,
		   struct ckpt_task_finish *fin)
{
	struct ckpt_posix_timers *timers = NULL;
	struct ckpt_attrs_late late = { };
	struct ckpt_hdr_task *h;
	void *signal = NULL, *files, *fs;
	unsigned int objs = 0;
	bool leader;
	u32 type;
	int err;

	ctx->cur_task = index;
	for (;; objs++) {
		err = ckpt_peek_type(ctx, &type);
		if (err)
			return err;
		if (type == CKPT_HDR_TASK)
			break;
		if (type == CKPT_HDR_ERROR) {
			h = ckpt_read_record(ctx, CKPT_HDR_TASK, sizeof(*h),
					     sizeof(*h));
			return PTR_ERR(h);
		}
		err = ckpt_obj_restore(ctx);
		if (err)
			return err;
	}

	h = ckpt_read_record(ctx, CKPT_HDR_TASK, sizeof(*h), sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = restore_check_task(ctx, index, h);
	/* A zombie uses none: a pidfd could hold a pid its exit waits for. */
	if (!err && (h->flags & CKPT_TASK_ZOMBIE) && objs)
		err = ckpt_err(ctx, -EINVAL, "objects before the record of zombie %d",
			       ctx->pids[index].pid);
	if (!err && (h->flags & CKPT_TASK_ZOMBIE)) {
		if (fin) {
			set_task_comm(current, h->comm);
			fin->zombie = true;
			fin->exit_signal = h->exit_signal;
			fin->exit_code = h->exit_code;
		}
		kvfree(h);
		return 0;
	}
	if (!err && ckpt_restoring(ctx)) {
		fin->exit_signal = h->exit_signal;
		err = restore_task(ctx, h);
		if (!err) {
			fin->cred = ckpt_obj_fetch(ctx, h->cred_ref,
						   &ckpt_cred_ops, "cred_ref");
			get_new_cred(fin->cred);
			files = ckpt_obj_fetch(ctx, h->files_ref,
					       &ckpt_files_ops, "files_ref");
			fs = ckpt_obj_fetch(ctx, h->fs_ref, &ckpt_fs_ops,
					    "fs_ref");
			ckpt_restore_task_files(files, fs);
		}
	}
	/*
	 * The leader makes the timers of the process and queues the signals
	 * pending for all of it.
	 */
	leader = h->flags & CKPT_TASK_THREAD_LEADER;
	if (!err) {
		/* restore_check_task() checked it */
		signal = ckpt_obj_fetch(ctx, h->signal_ref, &ckpt_signal_ops,
					"signal_ref");
		if (IS_ERR(signal))
			err = PTR_ERR(signal);
	}
	if (!err && ckpt_restoring(ctx))
		err = restore_task_notify(ctx, h, leader ? signal : NULL, fin);
	kvfree(h);
	if (!err)
		err = ckpt_read_arch(ctx, fin ? &fin->work : NULL) ?:
		      ckpt_read_restart_block(ctx) ?:
		      ckpt_read_posix_timers(ctx, leader, &timers) ?:
		      ckpt_read_task_signals(ctx, signal, leader, timers,
					     fin ? &fin->signals : NULL) ?:
		      ckpt_read_task_attrs(ctx, &late);
	ckpt_posix_timers_free(timers);
	if (fin)
		fin->late = late;
	return err;
}

/**
 * ckpt_task_finish - let a restored task go, or not
 * @fin:	as ckpt_read_task() left it
 * @commit:	the whole image was restored: give the task what it takes
 *		on last; otherwise only let go of it
 *
 * Called by the task itself, on its way out of restart.
 */
void ckpt_task_finish(struct ckpt_task_finish *fin, bool commit)
{
	if (commit) {
		if (thread_group_leader(current)) {
			write_lock_irq(&tasklist_lock);
			current->exit_signal = fin->exit_signal;
			write_unlock_irq(&tasklist_lock);
		}
		commit_creds(fin->cred);
		fin->cred = NULL;
		ckpt_task_attrs_late(&fin->late);
		ckpt_task_signals_commit(&fin->signals);
		if (fin->work && fin->ready_ret)
			ckpt_arch_set_return(fin->work, fin->ready_ret);
		if (fin->work && !task_work_add(current, fin->work, TWA_SIGNAL))
			fin->work = NULL;
	}
	if (fin->work)
		fin->work->func(fin->work);
	if (fin->cred)
		put_cred(fin->cred);
	ckpt_notify_commit(fin->notify, commit);
	fin->notify = NULL;
}
