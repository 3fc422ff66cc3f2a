// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint of a container: the tasks of a frozen cgroup v2 subtree.
 *
 * checkpoint(2) with CHECKPOINT_SCOPE_CGROUP takes an fd of a cgroup
 * directory that the user froze (cgroup.freeze), so that no task of it
 * runs, forks or exits while it is saved.  Its tasks, in it and in its
 * descendant cgroups, must be one process tree: one process whose parent
 * is outside, and all others its descendants.  The tree is then saved as
 * any other, and the tasks of the tree must be exactly those of the
 * cgroup: a descendant that left the cgroup, or a task of the cgroup
 * that is not a descendant, makes the checkpoint fail with its name.
 */

#include <linux/cgroup.h>
#include <linux/checkpoint.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

static bool ckpt_cgroup_has(struct cgroup *cgrp, struct task_struct *t)
{
	return cgroup_is_descendant(task_dfl_cgroup(t), cgrp);
}

/*
 * The processes of @cgrp whose parent is outside: @roots[0] pinned, or
 * NULL; return how many there are.  Called under rcu_read_lock().
 */
static unsigned int ckpt_cgroup_roots(struct cgroup *cgrp,
				      struct task_struct **roots)
{
	struct cgroup_subsys_state *css;
	struct css_task_iter it;
	struct task_struct *t;
	unsigned int n = 0;

	css_for_each_descendant_pre(css, &cgrp->self) {
		css_task_iter_start(css, CSS_TASK_ITER_PROCS, &it);
		while ((t = css_task_iter_next(&it))) {
			if (ckpt_cgroup_has(cgrp, rcu_dereference(t->real_parent)))
				continue;
			if (n < 2)
				roots[n] = t;
			n++;
		}
		css_task_iter_end(&it);
	}
	if (n)
		get_task_struct(roots[0]);
	return n;
}

/**
 * ckpt_cgroup_root - find the root of the tree of tasks of a cgroup
 * @ctx:	checkpoint context
 * @fd:		an fd of a cgroup v2 directory
 *
 * The cgroup stays referenced by @ctx, for ckpt_cgroup_check().
 *
 * Return: the root task, pinned, or an ERR_PTR.
 */
struct task_struct *ckpt_cgroup_root(struct ckpt_ctx *ctx, int fd)
{
	struct task_struct *roots[2];
	struct cgroup *cgrp;
	pid_t nr[2] = { };
	unsigned int n;

	cgrp = cgroup_get_from_fd(fd);
	if (IS_ERR(cgrp))
		return ERR_PTR(ckpt_err(ctx, PTR_ERR(cgrp),
					"fd %d is not a cgroup v2 directory", fd));
	ctx->cgroup = cgrp;
	if (!test_bit(CGRP_FROZEN, &cgrp->flags))
		return ERR_PTR(ckpt_err(ctx, -EBUSY,
					"the cgroup is not frozen (cgroup.freeze)"));

	rcu_read_lock();
	n = ckpt_cgroup_roots(cgrp, roots);
	if (n > 1) {
		nr[0] = task_pid_vnr(roots[0]);
		nr[1] = task_pid_vnr(roots[1]);
	}
	rcu_read_unlock();
	if (!n)
		return ERR_PTR(ckpt_err(ctx, -ESRCH, "the cgroup has no tasks"));
	if (n > 1) {
		put_task_struct(roots[0]);
		return ERR_PTR(ckpt_err(ctx, -EOPNOTSUPP,
					"pids %d and %d of the cgroup both have their parent outside it: not one tree",
					nr[0], nr[1]));
	}
	return roots[0];
}

/* The tasks of the cgroup that have not exited, threads included. */
static unsigned int ckpt_cgroup_nr_tasks(struct cgroup *cgrp)
{
	struct cgroup_subsys_state *css;
	struct css_task_iter it;
	unsigned int n = 0;

	rcu_read_lock();
	css_for_each_descendant_pre(css, &cgrp->self) {
		css_task_iter_start(css, 0, &it);
		while (css_task_iter_next(&it))
			n++;
		css_task_iter_end(&it);
	}
	rcu_read_unlock();
	return n;
}

/**
 * ckpt_cgroup_check - check that the collected tasks are the cgroup's
 * @ctx:	checkpoint context, with its tasks collected
 *
 * Return: 0, -EBUSY naming a task of the tree outside the cgroup, or
 * -EOPNOTSUPP if the cgroup has tasks outside the tree.
 */
int ckpt_cgroup_check(struct ckpt_ctx *ctx)
{
	struct cgroup *cgrp = ctx->cgroup;
	unsigned int i, live = 0, nr;
	struct task_struct *t;
	bool inside;

	for (i = 0; i < ctx->nr_tasks; i++) {
		t = ctx->tasks[i];
		rcu_read_lock();
		inside = ckpt_cgroup_has(cgrp, t);
		rcu_read_unlock();
		if (!inside)
			return ckpt_err(ctx, -EBUSY,
					"pid %d (%s) descends from the container's root but is outside its cgroup",
					task_pid_nr_ns(t, ctx->root_pidns), t->comm);
		live += !t->exit_state;
	}
	nr = ckpt_cgroup_nr_tasks(cgrp);
	if (nr != live)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"the cgroup has %u tasks, the tree of its root %u",
				nr, live);
	return 0;
}

/* Restart: whether the cgroup of current is to be frozen. */
bool ckpt_cgroup_freezing(void)
{
	bool freeze;

	rcu_read_lock();
	freeze = test_bit(CGRP_FREEZE, &task_dfl_cgroup(current)->flags);
	rcu_read_unlock();
	return freeze;
}

void ckpt_cgroup_put(struct ckpt_ctx *ctx)
{
	if (ctx->cgroup)
		cgroup_put(ctx->cgroup);
}
