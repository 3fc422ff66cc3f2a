// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: pid namespaces nested in the root's.
 *
 * The tree record gives each task its pid in the pid namespace of the
 * root of the image.  A task may be in a namespace below that one, made
 * by a process of the image with clone(2) or unshare(2) and CLONE_NEWPID,
 * and the children of a task may go to one (pid_ns_for_children).  The
 * pid namespace record says which, and gives the pids each task has in
 * the namespaces between the root's and its own.
 *
 * Restart makes a namespace as clone(2) does: its init is created with
 * CLONE_NEWPID by its parent, a process of the parent namespace, before
 * any other task of it (or the namespace is made first, for a pidfd of
 * the init that a task of the parent namespace holds), and it gives its
 * next new task the pid it would have given, as ns_last_pid set would.
 * The creator of another task of the namespace has its children go
 * there, as setns(2) would, while it creates it, and every task gets
 * its pid at every level, as clone3(2) gives them with set_tid.  Once
 * all tasks exist, the children of each go where they went before.
 * What cannot be made so is refused at checkpoint: a namespace that has
 * no init yet (unshare(2), and no fork since), one whose init is not
 * saved or not the child of a saved process of its parent namespace,
 * one with tasks that are not saved, and what needs a namespace before
 * it is made.
 */

#include <linux/checkpoint.h>
#include <linux/idr.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "internal.h"

/**
 * struct ckpt_pidns_map - the pid namespaces of the tasks of an image
 * @nr_ns:	namespaces below the root's: 1 to @nr_ns
 * @ns:		namespace k is @ns[k - 1]
 * @depth:	levels below the root's namespace, of each namespace
 * @live:	each namespace, held, once known; [0] is unused: the root's
 *		is ctx->root_pidns
 * @task:	of each task of the tree, in its order
 * @first:	of each task, the index in @pids of its outermost pid
 * @pids:	of the tasks, in the namespaces between the root's and theirs
 * @nr_pids:	entries in @pids
 */
struct ckpt_pidns_map {
	unsigned int nr_ns;
	struct ckpt_pidns *ns;
	unsigned int *depth;
	struct pid_namespace **live;
	struct ckpt_task_pidns *task;
	unsigned int *first;
	s32 *pids;
	unsigned int nr_pids;
};

static struct ckpt_pidns_map *ckpt_pidns_alloc(unsigned int nr_ns,
					       unsigned int nr_tasks)
{
	struct ckpt_pidns_map *map = kzalloc(sizeof(*map), GFP_KERNEL);

	if (!map)
		return NULL;
	map->ns = kvcalloc(nr_ns, sizeof(*map->ns), GFP_KERNEL);
	map->depth = kvcalloc(nr_ns + 1, sizeof(*map->depth), GFP_KERNEL);
	map->live = kvcalloc(nr_ns + 1, sizeof(*map->live), GFP_KERNEL);
	map->task = kvcalloc(nr_tasks, sizeof(*map->task), GFP_KERNEL);
	map->first = kvcalloc(nr_tasks, sizeof(*map->first), GFP_KERNEL);
	if (map->ns && map->depth && map->live && map->task && map->first)
		return map;
	ckpt_pidns_free(map);
	return NULL;
}

void ckpt_pidns_free(struct ckpt_pidns_map *map)
{
	unsigned int k;

	if (!map)
		return;
	for (k = 1; map->live && k <= map->nr_ns; k++)
		if (map->live[k])
			put_pid_ns(map->live[k]);
	kvfree(map->ns);
	kvfree(map->depth);
	kvfree(map->live);
	kvfree(map->task);
	kvfree(map->first);
	kvfree(map->pids);
	kfree(map);
}

/* The namespace of task @i, and the depth of namespace @k. */
static unsigned int ckpt_ns_of(const struct ckpt_ctx *ctx, unsigned int i)
{
	return ctx->pidns ? ctx->pidns->task[i].ns : 0;
}

static unsigned int ckpt_ns_depth(const struct ckpt_ctx *ctx, unsigned int k)
{
	return ctx->pidns ? ctx->pidns->depth[k] : 0;
}

static unsigned int ckpt_ns_parent(const struct ckpt_ctx *ctx, unsigned int k)
{
	return ctx->pidns->ns[k - 1].parent;
}

/* Whether namespace @k is namespace @a or below it. */
static bool ckpt_ns_within(const struct ckpt_ctx *ctx, unsigned int k,
			   unsigned int a)
{
	while (ckpt_ns_depth(ctx, k) > ckpt_ns_depth(ctx, a))
		k = ckpt_ns_parent(ctx, k);
	return k == a;
}

/* The pid task @i has in the namespace @depth levels below the root's. */
static pid_t ckpt_pid_at(const struct ckpt_ctx *ctx, unsigned int i,
			 unsigned int depth)
{
	if (!depth)
		return ctx->pids[i].pid;
	return ctx->pidns->pids[ctx->pidns->first[i] + depth - 1];
}

/* The index in the tree of the process whose pid is @nr, or -1. */
static int ckpt_tree_index(const struct ckpt_ctx *ctx, pid_t nr,
			   unsigned int before)
{
	unsigned int i;

	for (i = 0; i < before; i++)
		if (ctx->pids[i].pid == nr)
			return i;
	return -1;
}

/**
 * ckpt_pidns_pid_seen - the pid of a task as another task sees it
 * @ctx:	checkpoint or restart context, with the tree
 * @i:		index of the task in the tree
 * @by:		index of the task that sees it, in @i's namespace or above
 *
 * Return: the pid.
 */
pid_t ckpt_pidns_pid_seen(const struct ckpt_ctx *ctx, unsigned int i,
			  unsigned int by)
{
	return ckpt_pid_at(ctx, i, ckpt_ns_depth(ctx, ckpt_ns_of(ctx, by)));
}

/*
 * Check the namespaces of the tasks against the tree: how restart(2)
 * creates them must make them.  @err is the errno for what does not fit:
 * -EOPNOTSUPP at checkpoint, -EINVAL for an image.
 */
static int ckpt_pidns_check_tree(struct ckpt_ctx *ctx, int err)
{
	const struct ckpt_pidns_map *map = ctx->pidns;
	unsigned int i, k;
	int j;

	for (k = 1; k <= map->nr_ns; k++) {
		const struct ckpt_pids *p;

		i = map->ns[k - 1].init;
		p = &ctx->pids[i];
		if (map->task[i].ns != k || p->pid != p->tgid ||
		    ckpt_pid_at(ctx, i, map->depth[k]) != 1)
			return ckpt_err(ctx, -EINVAL,
					"pid namespace %u: task %u is not its init",
					k, i);
		j = p->ppid ? ckpt_tree_index(ctx, p->ppid, i) : -1;
		if (j < 0 || map->task[j].ns != map->ns[k - 1].parent)
			return ckpt_err(ctx, err,
					"pid %d, the init of a pid namespace, is not the child of a saved process of the namespace above: not supported",
					p->pid);
	}
	for (i = 0; i < ctx->nr_tasks; i++) {
		const struct ckpt_pids *p = &ctx->pids[i];

		k = map->task[i].ns;
		j = p->pid != p->tgid ? ckpt_tree_index(ctx, p->tgid, i) : -1;
		if (j >= 0 && map->task[j].ns != k)
			return ckpt_err(ctx, -EINVAL,
					"thread %d is not in the pid namespace of its leader",
					p->pid);
		if (!k)
			continue;
		if (i < map->ns[k - 1].init)
			return ckpt_err(ctx, err,
					"pid %d comes before the init of its pid namespace: not supported",
					p->pid);
		if (i == map->ns[k - 1].init || p->pid != p->tgid)
			continue;
		j = p->ppid ? ckpt_tree_index(ctx, p->ppid, i) : -1;
		if (j < 0 || !ckpt_ns_within(ctx, k, map->task[j].ns))
			return ckpt_err(ctx, err,
					"pid %d is in a pid namespace that its parent, not saved or below it, cannot create it in: not supported",
					p->pid);
	}
	return 0;
}

/* Checkpoint */

/* The namespace @t's new children go to; a zombie has none. */
static struct pid_namespace *ckpt_children_ns(struct task_struct *t)
{
	struct pid_namespace *ns = NULL;

	task_lock(t);
	if (t->nsproxy)
		ns = t->nsproxy->pid_ns_for_children;
	task_unlock(t);
	return ns ?: task_active_pid_ns(t);
}

/* Whether a task of @ctx is in a namespace below the root's, or uses one. */
static bool ckpt_pidns_nested(struct ckpt_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_tasks; i++)
		if (task_active_pid_ns(ctx->tasks[i]) != ctx->root_pidns ||
		    ckpt_children_ns(ctx->tasks[i]) != ctx->root_pidns)
			return true;
	return false;
}

/*
 * The index of the task of @ctx whose pid is 1 in @ns, -ESRCH if there
 * is none, or -ENOENT if it is not saved.
 */
static int ckpt_pidns_init(struct ckpt_ctx *ctx, struct pid_namespace *ns)
{
	struct task_struct *init;
	unsigned int i;
	struct pid *pid;

	rcu_read_lock();
	pid = find_pid_ns(1, ns);
	init = pid ? pid_task(pid, PIDTYPE_PID) : NULL;
	rcu_read_unlock();
	if (!init)
		return -ESRCH;
	for (i = 0; i < ctx->nr_tasks; i++)
		if (ctx->tasks[i] == init)
			return i;
	return -ENOENT;
}

/*
 * Add @ns, below the root's namespace, to the map, after the namespaces
 * above it; the caller names task @t if its init is not saved.
 */
static int ckpt_pidns_add(struct ckpt_ctx *ctx, struct pid_namespace *ns,
			  struct task_struct *t, const char *what)
{
	struct ckpt_pidns_map *map = ctx->pidns;
	struct pid_namespace *chain[CKPT_PIDNS_MAX_DEPTH];
	unsigned int n = 0, k, parent = 0;
	int init;

	while (ns != ctx->root_pidns) {
		for (k = map->nr_ns; k > 0; k--)
			if (map->live[k] == ns)
				break;
		if (k) {
			parent = k;
			break;
		}
		/* ckpt_check_task() saw it below the root's namespace */
		if (WARN_ON_ONCE(n == ARRAY_SIZE(chain)))
			return -EINVAL;
		chain[n++] = ns;
		ns = ns->parent;
	}
	while (n--) {
		init = ckpt_pidns_init(ctx, chain[n]);
		/* Each namespace has its own init among the tasks. */
		if (WARN_ON_ONCE(init >= 0 && map->nr_ns == ctx->nr_tasks))
			return -EINVAL;
		if (init < 0)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"pid %d (%s) %s a pid namespace whose init %s: not supported",
					task_pid_nr_ns(t, ctx->root_pidns), t->comm,
					what, init == -ENOENT ? "is not saved" :
					"exited, or that has none yet");
		k = ++map->nr_ns;
		map->live[k] = get_pid_ns(chain[n]);
		map->ns[k - 1].parent = parent;
		map->ns[k - 1].init = init;
		/* Where its next fork looks for a free pid first */
		map->ns[k - 1].next_pid = idr_get_cursor(&chain[n]->idr);
		map->depth[k] = map->depth[parent] + 1;
		parent = k;
	}
	return parent;
}

static int ckpt_pidns_fill(struct ckpt_ctx *ctx)
{
	struct ckpt_pidns_map *map = ctx->pidns;
	unsigned int i, d, level = ctx->root_pidns->level;

	map->pids = kvmalloc_array(max(map->nr_pids, 1U), sizeof(*map->pids),
				   GFP_KERNEL);
	if (!map->pids)
		return -ENOMEM;
	for (i = 0; i < ctx->nr_tasks; i++) {
		struct pid *pid = task_pid(ctx->tasks[i]);

		for (d = 1; d <= map->depth[map->task[i].ns]; d++)
			map->pids[map->first[i] + d - 1] =
				pid->numbers[level + d].nr;
	}
	return 0;
}

/*
 * A namespace is saved whole: a task of it that the image misses, one
 * that joined it with setns(2) say, would be missing after restart.
 */
static int ckpt_pidns_check_whole(struct ckpt_ctx *ctx)
{
	const struct ckpt_pidns_map *map = ctx->pidns;
	unsigned int i, k, nr;

	for (k = 1; k <= map->nr_ns; k++) {
		for (i = 0, nr = 0; i < ctx->nr_tasks; i++)
			nr += ckpt_ns_within(ctx, map->task[i].ns, k);
		if (nr != (READ_ONCE(map->live[k]->pid_allocated) & ~PIDNS_ADDING))
			return ckpt_err(ctx, -EOPNOTSUPP,
					"the pid namespace of pid %d has tasks that are not saved: not supported",
					ctx->pids[map->ns[k - 1].init].pid);
	}
	return 0;
}

/*
 * Restart cannot make stand-in leaders of groups and sessions below the
 * root's namespace (ckpt_pidns_stand_in()): check the groups and
 * sessions of the tree as it would, with room for what it notes.
 */
static int ckpt_pidns_check_sessions(struct ckpt_ctx *ctx)
{
	int err;

	ctx->refs = kvcalloc(ctx->nr_tasks, sizeof(*ctx->refs), GFP_KERNEL);
	if (!ctx->refs)
		return -ENOMEM;
	err = ckpt_check_sessions(ctx);
	kvfree(ctx->refs);
	ctx->refs = NULL;
	ctx->nr_sghosts = 0;
	return err;
}

/**
 * ckpt_pidns_pidfd - check that restart can make a pidfd of a task
 * @ctx:	checkpoint context, writing the records of task ctx->cur_task
 * @pid:	the pid of a task of @ctx
 *
 * Restart gives a pidfd the pid of its task before the task exists, but
 * not before the namespace of the task exists: its init must come first
 * or, for a pidfd of the init itself, be made by a task of the parent
 * namespace, as a parent that holds a pidfd of the init it created.
 *
 * Return: 0 or -EOPNOTSUPP.
 */
int ckpt_pidns_pidfd(struct ckpt_ctx *ctx, struct pid *pid)
{
	const struct ckpt_pidns_map *map = ctx->pidns;
	unsigned int i, k;

	if (!map)
		return 0;
	for (i = 0; i < ctx->nr_tasks; i++)
		if (task_pid(ctx->tasks[i]) == pid)
			break;
	k = i < ctx->nr_tasks ? map->task[i].ns : 0;
	if (!k || map->ns[k - 1].init <= ctx->cur_task)
		return 0;
	if (map->ns[k - 1].init == i &&
	    map->task[ctx->cur_task].ns == map->ns[k - 1].parent)
		return 0;
	return ckpt_err(ctx, -EOPNOTSUPP,
			"a pidfd of pid %d, in a pid namespace made after pid %d: not supported",
			ctx->pids[i].pid, ctx->pids[ctx->cur_task].pid);
}

/**
 * ckpt_write_pidns - write the pid namespaces record, if the tasks need one
 * @ctx:	checkpoint context, with the tree record written
 *
 * Return: 0, -EOPNOTSUPP for namespaces that restart(2) could not make,
 * or another negative errno.
 */
int ckpt_write_pidns(struct ckpt_ctx *ctx)
{
	struct ckpt_pidns_map *map;
	struct ckpt_hdr_pidns *h;
	unsigned int i;
	size_t size;
	int k, err;

	if (!ckpt_pidns_nested(ctx))
		return 0;
	/* Each namespace has an init of its own among the tasks. */
	map = ckpt_pidns_alloc(ctx->nr_tasks, ctx->nr_tasks);
	if (!map)
		return -ENOMEM;
	ctx->pidns = map;
	for (i = 0; i < ctx->nr_tasks; i++) {
		struct task_struct *t = ctx->tasks[i];

		k = ckpt_pidns_add(ctx, task_active_pid_ns(t), t, "is in");
		if (k < 0)
			return k;
		map->task[i].ns = k;
		k = ckpt_pidns_add(ctx, ckpt_children_ns(t), t,
				   "has its children go to");
		if (k < 0)
			return k;
		map->task[i].children = k;
		map->first[i] = map->nr_pids;
		map->nr_pids += map->depth[map->task[i].ns];
	}
	err = ckpt_pidns_fill(ctx) ?: ckpt_pidns_check_tree(ctx, -EOPNOTSUPP) ?:
	      ckpt_pidns_check_sessions(ctx) ?: ckpt_pidns_check_whole(ctx);
	if (err)
		return err;

	size = sizeof(*h) + map->nr_ns * sizeof(*map->ns) +
	       ctx->nr_tasks * sizeof(*map->task) +
	       map->nr_pids * sizeof(*map->pids);
	h = ckpt_hdr_alloc(size, CKPT_HDR_PIDNS);
	if (!h)
		return -ENOMEM;
	h->nr_ns = map->nr_ns;
	h->nr_pids = map->nr_pids;
	memcpy(h + 1, map->ns, map->nr_ns * sizeof(*map->ns));
	memcpy((void *)(h + 1) + map->nr_ns * sizeof(*map->ns), map->task,
	       ctx->nr_tasks * sizeof(*map->task));
	memcpy((void *)h + size - map->nr_pids * sizeof(*map->pids),
	       map->pids, map->nr_pids * sizeof(*map->pids));
	err = ckpt_write_record(ctx, &h->h);
	kvfree(h);
	return err;
}

/* Restart */

static int ckpt_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * No two tasks have the same pid in one namespace: sort the pids of all
 * tasks at all levels, each with the namespace it is in.
 */
static int ckpt_pidns_check_unique(struct ckpt_ctx *ctx)
{
	const struct ckpt_pidns_map *map = ctx->pidns;
	unsigned int i, d, n = 0, k;
	u64 *keys;
	int err = 0;

	if (!map->nr_pids)
		return 0;
	keys = kvmalloc_array(map->nr_pids, sizeof(*keys), GFP_KERNEL);
	if (!keys)
		return -ENOMEM;
	for (i = 0; i < ctx->nr_tasks; i++) {
		k = map->task[i].ns;
		for (d = map->depth[k]; d > 0; d--) {
			keys[n++] = (u64)k << 32 | (u32)ckpt_pid_at(ctx, i, d);
			k = ckpt_ns_parent(ctx, k);
		}
	}
	sort(keys, n, sizeof(*keys), ckpt_u64_cmp, NULL);
	for (i = 1; i < n; i++) {
		if (keys[i] == keys[i - 1]) {
			err = ckpt_err(ctx, -EINVAL,
				       "pid %u appears twice in pid namespace %llu",
				       (u32)keys[i], keys[i] >> 32);
			break;
		}
	}
	kvfree(keys);
	return err;
}

/* The counts, the namespaces and the entries of the tasks. */
static int ckpt_pidns_check_record(struct ckpt_ctx *ctx,
				   const struct ckpt_hdr_pidns *h)
{
	struct ckpt_pidns_map *map = ctx->pidns;
	unsigned int i, k, total = 0;

	for (k = 1; k <= map->nr_ns; k++) {
		const struct ckpt_pidns *ns = &map->ns[k - 1];

		if (ns->parent >= k || ns->init >= ctx->nr_tasks ||
		    ns->next_pid > PID_MAX_LIMIT)
			return ckpt_err(ctx, -EINVAL,
					"pid namespace %u: parent %u, init %u or next pid %u out of range",
					k, ns->parent, ns->init, ns->next_pid);
		if (ns->_pad)
			return ckpt_err(ctx, -EINVAL, "pid namespace %u: _pad %#x",
					k, ns->_pad);
		map->depth[k] = map->depth[ns->parent] + 1;
		if (map->depth[k] > CKPT_PIDNS_MAX_DEPTH)
			return ckpt_err(ctx, -EINVAL,
					"pid namespace %u: nested %u levels deep",
					k, map->depth[k]);
	}
	for (i = 0; i < ctx->nr_tasks; i++) {
		const struct ckpt_task_pidns *t = &map->task[i];

		if (t->ns > map->nr_ns || t->children > map->nr_ns ||
		    !ckpt_ns_within(ctx, t->children, t->ns))
			return ckpt_err(ctx, -EINVAL,
					"task %u: pid namespace %u, for its children %u",
					i, t->ns, t->children);
		map->first[i] = total;
		total += map->depth[t->ns];
	}
	if (total != h->nr_pids)
		return ckpt_err(ctx, -EINVAL,
				"%u pids in the pid namespaces record, not %u",
				h->nr_pids, total);
	return 0;
}

/**
 * ckpt_read_pidns - read and check the pid namespaces record, if any
 * @ctx:	restart context, with the tree read
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_pidns(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_pidns *h;
	struct ckpt_pidns_map *map;
	unsigned int i;
	size_t size;
	void *p;
	u32 type;
	int err;

	err = ckpt_peek_type(ctx, &type);
	if (err || type != CKPT_HDR_PIDNS)
		return err;
	h = ckpt_read_record(ctx, CKPT_HDR_PIDNS, sizeof(*h), sizeof(*h) +
			     CKPT_TREE_MAX_TASKS * (sizeof(struct ckpt_pidns) +
			     sizeof(struct ckpt_task_pidns) +
			     CKPT_PIDNS_MAX_DEPTH * sizeof(s32)));
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = -EINVAL;
	if (!h->nr_ns || h->nr_ns > ctx->nr_tasks ||
	    h->nr_pids > ctx->nr_tasks * CKPT_PIDNS_MAX_DEPTH) {
		ckpt_err(ctx, err, "%u pid namespaces, %u pids for %u tasks",
			 h->nr_ns, h->nr_pids, ctx->nr_tasks);
		goto out;
	}
	size = sizeof(*h) + h->nr_ns * sizeof(struct ckpt_pidns) +
	       ctx->nr_tasks * sizeof(struct ckpt_task_pidns) +
	       h->nr_pids * sizeof(s32);
	if (h->h.len != size) {
		ckpt_err(ctx, err, "length %u does not match its counts",
			 h->h.len);
		goto out;
	}
	err = -ENOMEM;
	map = ckpt_pidns_alloc(h->nr_ns, ctx->nr_tasks);
	if (!map)
		goto out;
	ctx->pidns = map;
	map->nr_ns = h->nr_ns;
	map->nr_pids = h->nr_pids;
	map->pids = kvmalloc_array(max(map->nr_pids, 1U), sizeof(*map->pids),
				   GFP_KERNEL);
	if (!map->pids)
		goto out;
	p = h + 1;
	memcpy(map->ns, p, map->nr_ns * sizeof(*map->ns));
	p += map->nr_ns * sizeof(*map->ns);
	memcpy(map->task, p, ctx->nr_tasks * sizeof(*map->task));
	p += ctx->nr_tasks * sizeof(*map->task);
	memcpy(map->pids, p, map->nr_pids * sizeof(*map->pids));

	err = ckpt_pidns_check_record(ctx, h);
	for (i = 0; !err && i < map->nr_pids; i++)
		if (map->pids[i] <= 0 || map->pids[i] > PID_MAX_LIMIT)
			err = ckpt_err(ctx, -EINVAL, "pid %d out of range",
				       map->pids[i]);
	err = err ?: ckpt_pidns_check_tree(ctx, -EINVAL) ?:
	      ckpt_pidns_check_unique(ctx);
out:
	kvfree(h);
	return err;
}

/**
 * ckpt_pidns_set_tid - the pids of a task, as clone3(2) takes them
 * @ctx:	restart context
 * @i:		index of the task in the tree
 * @set_tid:	room for CKPT_PIDNS_MAX_DEPTH + 1 pids, set to those of
 *		the task from its own namespace to the root's
 *
 * Return: how many.
 */
unsigned int ckpt_pidns_set_tid(const struct ckpt_ctx *ctx, unsigned int i,
				pid_t *set_tid)
{
	unsigned int d, depth = ckpt_ns_depth(ctx, ckpt_ns_of(ctx, i));

	for (d = 0; d <= depth; d++)
		set_tid[d] = ckpt_pid_at(ctx, i, depth - d);
	return depth + 1;
}

static struct pid_namespace *ckpt_pidns_live(const struct ckpt_ctx *ctx,
					     unsigned int k)
{
	return k ? ctx->pidns->live[k] : ctx->root_pidns;
}

/* Note namespace @k, which restart made, with the pid it gives next. */
static void ckpt_pidns_made(struct ckpt_ctx *ctx, unsigned int k,
			    struct pid_namespace *ns)
{
	/* Pids given with set_tid leave it where clone(2) looks first. */
	idr_set_cursor(&ns->idr, ctx->pidns->ns[k - 1].next_pid);
	ctx->pidns->live[k] = ns;
}

/* Have current's new children go to @ns, if they do not already. */
static int ckpt_pidns_use(struct ckpt_ctx *ctx, struct pid_namespace *ns)
{
	int err;

	if (current->nsproxy->pid_ns_for_children == ns)
		return 0;
	err = switch_pid_ns_for_children(ns);
	if (err)
		return ckpt_err(ctx, err, "cannot choose the pid namespace of new tasks");
	return 0;
}

/**
 * ckpt_pidns_spawn - prepare current to create a task of the image
 * @ctx:	restart context
 * @i:		index of the task in the tree
 * @flags:	the clone flags, to which CLONE_NEWPID is added for the init
 *		of a namespace
 *
 * Called by the task that creates task @i, which ckpt_read_pidns() found
 * is in the namespace of the task or above it; not by the caller of
 * restart(2), which creates only tasks of the root's namespace.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_pidns_spawn(struct ckpt_ctx *ctx, unsigned int i, u64 *flags)
{
	unsigned int k = ckpt_ns_of(ctx, i);

	/* Unless a pidfd of the init made its namespace (and its pid) */
	if (k && ctx->pidns->ns[k - 1].init == i && !ctx->pidns->live[k]) {
		*flags |= CLONE_NEWPID;
		k = ckpt_ns_parent(ctx, k);
	}
	return ckpt_pidns_use(ctx, ckpt_pidns_live(ctx, k));
}

/**
 * ckpt_pidns_spawned - note the pid namespace a new init made
 * @ctx:	restart context
 * @i:		index of current in the tree, just created
 *
 * Called by each new task before it reads anything: the pid namespace
 * of an init is known before a pidfd of its records can need it.
 */
void ckpt_pidns_spawned(struct ckpt_ctx *ctx, unsigned int i)
{
	unsigned int k = ckpt_ns_of(ctx, i);

	if (!k || ctx->pidns->ns[k - 1].init != i || ctx->pidns->live[k])
		return;
	ckpt_pidns_made(ctx, k, get_pid_ns(task_active_pid_ns(current)));
}

/**
 * ckpt_pidns_ghost - prepare current to create a stand-in leader
 * @ctx:	restart context
 *
 * Stand-ins are of the root's namespace: ckpt_check_sessions() refuses
 * them below.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_pidns_ghost(struct ckpt_ctx *ctx)
{
	return ckpt_pidns_use(ctx, ctx->root_pidns);
}

/**
 * ckpt_pidns_pidfd_ready - have the namespace of a task, for a pidfd
 * @ctx:	restart context
 * @i:		index of the task in the tree, not created yet
 *
 * The namespace of an init that a task of the parent namespace holds a
 * pidfd of, as a parent of the init it created, is made before the
 * init, as clone(2) with CLONE_NEWPID would (so with the same right);
 * the init is created in it.
 *
 * Return: 0, -EOPNOTSUPP if the namespace of the task is not made yet
 * and cannot be now, or another negative errno.
 */
int ckpt_pidns_pidfd_ready(struct ckpt_ctx *ctx, unsigned int i)
{
	unsigned int k = ckpt_ns_of(ctx, i);
	struct pid_namespace *ns;

	if (ckpt_pidns_live(ctx, k))
		return 0;
	if (ctx->pidns->ns[k - 1].init != i ||
	    task_active_pid_ns(current) !=
	    ckpt_pidns_live(ctx, ckpt_ns_parent(ctx, k)))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"a pidfd of pid %d, whose pid namespace is not made yet: not supported",
				ctx->pids[i].pid);
	if (!ns_capable(current_user_ns(), CAP_SYS_ADMIN))
		return ckpt_err(ctx, -EPERM,
				"making pid namespaces needs CAP_SYS_ADMIN");
	ns = copy_pid_ns(CLONE_NEWPID, current_user_ns(),
			 task_active_pid_ns(current));
	if (IS_ERR(ns))
		return ckpt_err(ctx, PTR_ERR(ns),
				"cannot make the pid namespace of pid %d",
				ctx->pids[i].pid);
	ckpt_pidns_made(ctx, k, ns);
	return 0;
}

/**
 * ckpt_pidns_alloc_pid - the pid of a task not created yet, for a pidfd
 * @ctx:	restart context
 * @i:		index of the task in the tree, whose namespace is made
 *
 * Return: a pid with the numbers of task @i, or alloc_pid()'s ERR_PTR().
 */
struct pid *ckpt_pidns_alloc_pid(struct ckpt_ctx *ctx, unsigned int i)
{
	pid_t set_tid[CKPT_PIDNS_MAX_DEPTH + 1];
	struct pid_namespace *ns = ckpt_pidns_live(ctx, ckpt_ns_of(ctx, i));

	return alloc_pid(ns, set_tid, ckpt_pidns_set_tid(ctx, i, set_tid));
}

/**
 * ckpt_pidns_children - have current's children go where they went
 * @ctx:	restart context
 * @i:		current's index in the tree
 *
 * Called by each task once all tasks exist, if the image has nested
 * namespaces.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_pidns_children(struct ckpt_ctx *ctx, unsigned int i)
{
	unsigned int k = ctx->pidns->task[i].children;

	return ckpt_pidns_use(ctx, ckpt_pidns_live(ctx, k));
}

/**
 * ckpt_pidns_stand_in - whether a process may have a stand-in leader
 * @ctx:	restart context, or checkpoint context with its tree written
 * @i:		index of the process in the tree
 *
 * Return: 0, or -EOPNOTSUPP for a process below the root's namespace.
 */
int ckpt_pidns_stand_in(struct ckpt_ctx *ctx, unsigned int i)
{
	if (!ckpt_ns_of(ctx, i))
		return 0;
	return ckpt_err(ctx, -EOPNOTSUPP,
			"pid %d is in a nested pid namespace and in a group or session whose leader exited: not supported",
			ctx->pids[i].pid);
}
