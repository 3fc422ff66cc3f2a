// SPDX-License-Identifier: GPL-2.0
/*
 * Restart: read an image in the order checkpoint.c writes it.
 *
 * The image is untrusted.  Every record is framed and bounded by
 * image.c before it is looked at; every field is checked here or by the
 * subsystem that owns it before it is used.  A refusal names the record
 * and field on the log fd and returns a specific errno:
 *
 *   ENOEXEC		not an image, or one for another architecture
 *   EPROTONOSUPPORT	an image version or feature this kernel lacks
 *   ENODATA		the image ends early
 *   EINVAL		a malformed record or field
 *   E2BIG		a record longer than its kind allows
 *   EBADR		a reference to an object not defined before
 *   EBADMSG		the image records a failed checkpoint
 *
 * Refusals while rebuilding tasks:
 *
 *   EPERM		choosing pids, or credentials the caller does not hold
 *   EBUSY		a pid of the image is in use
 *   ESTALE		a file the image refers to has changed
 *   EOPNOTSUPP		a feature restart cannot rebuild yet
 *   EBADF		a descriptor to inherit that the caller lacks
 *   EAGAIN		a lock of the image that another process now holds
 *   ESRCH		the leader of a session a pty controlled is not restored
 *
 * and, as the call that failed returns it, the error of what restart
 * does for the task as it would itself: look up, open, seek or map a
 * file the image names, change to a directory (ENOENT, EACCES, ENOTDIR,
 * ELOOP, EISDIR, ETXTBSY, ENODEV, ESPIPE, ENOMEM, EFAULT, ...).
 */

#include <linux/cgroup.h>
#include <linux/checkpoint.h>
#include <linux/completion.h>
#include <linux/elf.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/sched/jobctl.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/syscalls.h>
#include <linux/xarray.h>
#include <uapi/linux/wait.h>

#include "internal.h"

static int restore_check_header(struct ckpt_ctx *ctx, struct ckpt_hdr_header *h)
{
	if (h->h.len < sizeof(h->h) + CKPT_MAGIC_LEN ||
	    memcmp(h->magic, CKPT_MAGIC, CKPT_MAGIC_LEN))
		return ckpt_err(ctx, -ENOEXEC, "not a checkpoint image (bad magic)");
	if (h->h.len < offsetofend(struct ckpt_hdr_header, minor))
		return ckpt_err(ctx, -EINVAL, "length %u is too short", h->h.len);
	if (h->major != CKPT_VERSION_MAJOR || h->minor > CKPT_VERSION_MINOR)
		return ckpt_err(ctx, -EPROTONOSUPPORT,
				"image version %u.%u, this kernel reads %u.0 to %u.%u",
				h->major, h->minor, CKPT_VERSION_MAJOR,
				CKPT_VERSION_MAJOR, CKPT_VERSION_MINOR);
	if (h->h.len != sizeof(*h))
		return ckpt_err(ctx, -EINVAL, "length %u, expected %zu",
				h->h.len, sizeof(*h));
	if (h->arch != ELF_ARCH)
		return ckpt_err(ctx, -ENOEXEC, "image is for architecture %u, not %u",
				h->arch, ELF_ARCH);
	if (h->page_size != PAGE_SIZE)
		return ckpt_err(ctx, -ENOEXEC, "image page size %u, not %lu",
				h->page_size, PAGE_SIZE);
	if (h->features_required & ~CKPT_FEAT_REQUIRED_ALL)
		return ckpt_err(ctx, -EPROTONOSUPPORT,
				"image requires unknown features %#llx",
				h->features_required & ~CKPT_FEAT_REQUIRED_ALL);
	if (h->flags & ~CHECKPOINT_FLAGS_ALL)
		return ckpt_err(ctx, -EINVAL, "unknown checkpoint flags %#x",
				h->flags);
	return ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad") ?:
	       ckpt_check_zero(ctx, h->_pad2, sizeof(h->_pad2), "_pad2") ?:
	       ckpt_check_string(ctx, h->release, sizeof(h->release), "release");
}

static int restore_read_header(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_header *h;
	int err;

	h = ckpt_read_record(ctx, CKPT_HDR_HEADER, sizeof(struct ckpt_hdr),
			     CKPT_RECORD_MAX);
	if (IS_ERR(h)) {
		/* Whatever the first bytes are, they are not an image. */
		if (PTR_ERR(h) == -EINVAL && ctx->nr_records == 0)
			return ckpt_err(ctx, -ENOEXEC, "not a checkpoint image");
		return PTR_ERR(h);
	}
	err = restore_check_header(ctx, h);
	kvfree(h);
	return err;
}

static int restore_read_tail(struct ckpt_ctx *ctx)
{
	u64 records = ctx->nr_records, bytes = ctx->pos;
	struct ckpt_hdr_tail *h;
	int err = 0;

	h = ckpt_read_record(ctx, CKPT_HDR_TAIL, sizeof(*h), sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (memcmp(h->magic, CKPT_TAIL_MAGIC, CKPT_MAGIC_LEN))
		err = ckpt_err(ctx, -EINVAL, "bad tail magic");
	else if (h->records != records)
		err = ckpt_err(ctx, -EINVAL, "tail counts %llu records, read %llu",
			       h->records, records);
	else if (h->bytes != bytes)
		err = ckpt_err(ctx, -EINVAL, "tail counts %llu bytes, read %llu",
			       h->bytes, bytes);
	kvfree(h);
	return err;
}

/*
 * Rebuilding tasks.  Each task of the image is created with its pid
 * (clone3's set_tid rules apply, so the caller needs
 * CAP_CHECKPOINT_RESTORE over the pid namespace) by the task that
 * created it before: the root by the caller of restart(2), a thread by
 * another thread of its process, a process by its parent.  The new task
 * starts in restart_task_fn(), in the kernel: it reads its own records,
 * because memory is mapped and filled in the mm of current, and applies
 * them as they come.  Then it waits, to create the tasks it is the
 * parent of when asked, until the caller decides.  Tasks are created
 * and read one at a time, in the order of the image: a task that has
 * read its records creates the next one, or has its creator do it, and
 * so on down the image (restart_pass()).  The task after the one
 * reading is created meanwhile, when a task that has read its records
 * can create it (restart_ahead()): it waits for its turn, and the turn
 * goes to it with one wakeup.  The threads of a process that come right
 * after it in the image are created further ahead: the first by the
 * process as its turn begins, each other one by the thread before it as
 * that one starts, so that they are made while the process reads its
 * memory, not one at a time between the turns (restart_plan_chain()).
 * The caller takes its turn back for a task that it creates, for one
 * that needs a stand-in leader and for a zombie, and at the end, to read
 * the tail.  Only when the whole image has been read and applied does it
 * let the tasks go to user mode; if anything failed, they never get
 * there: they kill themselves and are reaped.  Nothing of a failed
 * restart stays behind.
 *
 * A process starts with a copy of its creator's mm, as after fork(2):
 * that of its parent, rebuilt already, when the image has the parent.
 * mm/checkpoint.c keeps of it what the image says the process shares
 * with its parent, copy-on-write, and replaces the rest.  A process the
 * tree record says shares its parent's mm (CLONE_VM), or its handlers
 * too, is created sharing them; a vfork() parent waits for its child
 * again, as vfork() does, before it goes back to user mode.
 *
 * A zombie is made by its parent like any process, reads its record and
 * exits at once, with its exit status, but without signalling: its
 * parent then gives it its exit signal (restart_settle_zombie()), so
 * that the parent can wait for it as before and gets no second signal.
 *
 * If the caller's children go to a new pid namespace (unshare(2) with
 * CLONE_NEWPID), the root of the image must have been the init of one:
 * it becomes the init of that namespace, with pid 1, and all pids of the
 * image are in it.  With RESTART_CGROUP the root is created in the
 * given cgroup, as clone3(2) does with CLONE_INTO_CGROUP.
 *
 * The context is used by one task at a time, the one whose turn it is:
 * the others sleep while it creates another or reads its records, but
 * for the one that creates a task ahead, which only reads the tree and
 * takes the task's pid under ctx->pids_lock, as a pidfd would.
 */
struct restart_tree;

struct ckpt_restart_task {
	struct ckpt_ctx *ctx;
	struct restart_tree *tree;
	unsigned int index;
	struct pid *pid;		/* set by the task as it starts */
	int err;			/* of the task, as it read its records */
	int op_err;			/* of what its creator did for it */
	bool commit;
	bool gone;			/* killed: it creates no more tasks */
	struct ckpt_restart_task *pass;	/* to create, which goes on */
	bool zombie;			/* it exits as soon as it is read */
	int exit_signal;		/* of a zombie */
	struct pid *ghost;		/* the stand-in leader of its group */
	struct restart_vfork *vfork;	/* of the task, while it creates */
	enum {
		RESTART_SPAWN,		/* create the task */
		RESTART_SETTLE,		/* give a zombie its exit signal */
		RESTART_GHOST,		/* make the stand-in of its group */
		RESTART_REAP,		/* reap that */
		RESTART_SESSION,	/* make the stand-in of a session */
		RESTART_PIDNS,		/* choose where its children go */
	} op;
	struct ckpt_restart_task *spawn;	/* a task for it to create */
	struct completion wake;		/* a task to create, or the decision */
	struct completion spawned;	/* it created the task, or died */
	struct completion built;	/* a stand-in session leader is made */
	struct completion done;		/* the task no longer uses this */
	struct completion vforked;	/* its vfork_done is set */
	bool ahead;			/* to be created before its turn */
	bool chain;			/* by the task before it, at once */
	bool created;			/* restart_clone() made it */
	bool given;			/* the turn, if created ahead */
	int made_err;			/* of its creation ahead */
	struct completion made;		/* creation ahead tried, complete_all */
};

/*
 * The tasks of the image as they are created, and the turn: which task
 * uses the context.  The caller waits for its turn to come back.
 */
struct restart_tree {
	struct ckpt_restart_task *rts;	/* the tasks, then the stand-ins */
	struct xarray index;		/* of rts[] by pid */
	spinlock_t lock;	/* of stop, turn, the tasks' gone, pass, given */
	bool stop;			/* the caller was killed */
	int turn;			/* the task reading its records, or -1 */
	unsigned int next;		/* the first task not created yet */
	int err;
	struct completion back;		/* the caller's turn */
};

static int restart_spawn(struct ckpt_restart_task *creator,
			 struct ckpt_restart_task *rt);
static void restart_reap(struct pid *pid);
static void restart_pass(struct ckpt_restart_task *rt);
static void restart_give_back(struct restart_tree *tr, unsigned int next,
			      int err);

/*
 * A vfork() parent waits for its child as vfork() does, on a completion
 * on its stack that the child signals as it execs or exits: made when
 * it creates the child, waited for once restart is done.
 */
struct restart_vfork {
	struct completion done;
	struct task_struct *child;
};

/*
 * Make the new task @nr of @rt the child that @v waits for.  The task
 * waits for it (restart_task_fn()), so that it cannot exit before: it
 * is not reaped but by its creator, current.
 */
static void restart_vfork_set(struct restart_vfork *v,
			      struct ckpt_restart_task *rt, pid_t nr)
{
	struct task_struct *t;

	rcu_read_lock();
	t = find_task_by_vpid(nr);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (t) {
		init_completion(&v->done);
		task_lock(t);
		t->vfork_done = &v->done;
		task_unlock(t);
		v->child = t;
	}
	complete(&rt->vforked);
}

/* Restart failed, or the parent was killed: the child no longer tells. */
static void restart_vfork_drop(struct restart_vfork *v)
{
	if (!v->child)
		return;
	task_lock(v->child);
	v->child->vfork_done = NULL;
	task_unlock(v->child);
	put_task_struct(v->child);
	v->child = NULL;
}

static void restart_vfork_wait(struct restart_vfork *v)
{
	int killed;

	if (!v->child)
		return;
	cgroup_enter_frozen();
	killed = wait_for_completion_state(&v->done,
					   TASK_KILLABLE | TASK_FREEZABLE);
	cgroup_leave_frozen(false);
	if (killed) {
		restart_vfork_drop(v);
		return;
	}
	put_task_struct(v->child);
	v->child = NULL;
}

/* The index in the tree record of the task whose pid was @nr, or -1. */
static int restart_task_index(const struct ckpt_ctx *ctx, pid_t nr)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_tasks; i++)
		if (ctx->pids[i].pid == nr)
			return i;
	return -1;
}

/**
 * ckpt_check_pid_ref - check a reference to a task of the image
 * @ctx:	restart context
 * @nr:		the task's pid, as the image gives it
 * @thread:	whether it may be any thread, rather than a process
 *
 * Return: 0, or -EINVAL if no task of the image had that pid, or if a
 * reference to a process names a thread that is not its leader.
 */
int ckpt_check_pid_ref(struct ckpt_ctx *ctx, pid_t nr, bool thread)
{
	int i = restart_task_index(ctx, nr);

	if (i < 0)
		return ckpt_err(ctx, -EINVAL, "pid %d is no task of the image",
				nr);
	if (!thread && ctx->pids[i].pid != ctx->pids[i].tgid)
		return ckpt_err(ctx, -EINVAL,
				"pid %d is a thread, not a process", nr);
	return 0;
}

/**
 * ckpt_restore_pid - the pid of a task of the image, for a pidfd
 * @ctx:	restart context, rebuilding tasks
 * @nr:		the task's pid, which ckpt_check_pid_ref() checked
 *
 * A task that restart has not created yet gets its pid now: it is
 * allocated with the number the task had, as clone3() with set_tid
 * would, and handed to copy_process() when the task is created.  Until
 * then the pid has no task: kill(2) and the like find none.  A task of
 * a nested pid namespace gets its pids at every level, once the
 * namespace exists (see ckpt_pidns_pidfd_ready()).  The task may be
 * being created meanwhile, ahead of its turn: ctx->pids_lock orders the
 * two.
 *
 * Return: the pid, which the context holds until restart(2) ends, or
 * an ERR_PTR(): -EBUSY if the pid is in use, -EPERM if the caller may
 * not choose pids (or make the namespace), -EOPNOTSUPP if its pid
 * namespace is not made yet and cannot be now.
 */
struct pid *ckpt_restore_pid(struct ckpt_ctx *ctx, pid_t nr)
{
	unsigned int i = restart_task_index(ctx, nr);
	struct ckpt_task_refs *refs = &ctx->refs[i];
	struct pid *pid;
	int err;

	mutex_lock(&ctx->pids_lock);
	pid = refs->pid;
	if (pid)
		goto out;
	err = ckpt_pidns_pidfd_ready(ctx, i);
	if (err) {
		pid = ERR_PTR(err);
		goto out;
	}
	pid = ckpt_pidns_alloc_pid(ctx, i);
	if (pid == ERR_PTR(-EEXIST))
		pid = ERR_PTR(ckpt_err(ctx, -EBUSY, "pid %d is in use", nr));
	else if (pid == ERR_PTR(-EPERM))
		pid = ERR_PTR(ckpt_err(ctx, -EPERM,
				       "choosing pids needs CAP_CHECKPOINT_RESTORE"));
	else if (IS_ERR(pid))
		pid = ERR_PTR(ckpt_err(ctx, PTR_ERR(pid),
				       "cannot allocate pid %d", nr));
	if (!IS_ERR(pid)) {
		WRITE_ONCE(refs->pid, get_pid(pid));
		refs->reserved = true;
	}
out:
	mutex_unlock(&ctx->pids_lock);
	return pid;
}

/**
 * ckpt_reaped_pid - a pid whose task was reaped, for a pidfd of it
 * @ctx:	restart context, rebuilding tasks
 *
 * The pidfd of a task that was reaped refers to a pid that has no task
 * and no number: a pid allocated and freed at once.
 *
 * Return: the pid, with a reference, or an ERR_PTR().
 */
struct pid *ckpt_reaped_pid(struct ckpt_ctx *ctx)
{
	struct pid *pid;

	/* Not with the number of a task being created ahead */
	mutex_lock(&ctx->pids_lock);
	pid = alloc_pid(ctx->root_pidns, NULL, 0);
	if (!IS_ERR(pid)) {
		get_pid(pid);
		free_pid(pid);
	}
	mutex_unlock(&ctx->pids_lock);
	if (IS_ERR(pid))
		return ERR_PTR(ckpt_err(ctx, PTR_ERR(pid),
					"cannot allocate a pid for a pidfd"));
	return pid;
}

/**
 * ckpt_task_pid - the pid of a task that restart(2) rebuilds
 * @ctx:	restart context
 * @nr:		the task's pid, as the image gives it
 *
 * Return: the pid, held by the context, of the task of the image whose
 * pid was @nr, once created or given out; NULL if there is none, and so
 * for a pid that only a task outside the image has.
 */
struct pid *ckpt_task_pid(struct ckpt_ctx *ctx, pid_t nr)
{
	int i = restart_task_index(ctx, nr);

	return i < 0 ? NULL : READ_ONCE(ctx->refs[i].pid);
}

/**
 * ckpt_task_vnr - the pid of a task of the image, as current sees it
 * @ctx:	restart context
 * @nr:		the task's pid, as the image gives it
 *
 * Return: the pid number of the task in current's pid namespace, or 0 if
 * it has none there or the image has no such task created or given out.
 */
pid_t ckpt_task_vnr(struct ckpt_ctx *ctx, pid_t nr)
{
	struct pid *pid = ckpt_task_pid(ctx, nr);

	return pid ? pid_vnr(pid) : 0;
}

/* Free the pids given out for tasks that were not created. */
static void restart_unreserve_pids(struct ckpt_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_tasks; i++) {
		if (ctx->refs[i].reserved)
			free_pid(ctx->refs[i].pid);
		ctx->refs[i].reserved = false;
	}
}

/* Drop the pids of the tasks, those not created freed. */
void ckpt_put_pids(struct ckpt_ctx *ctx)
{
	unsigned int i;

	if (!ctx->refs)
		return;
	restart_unreserve_pids(ctx);
	for (i = 0; i < ctx->nr_tasks; i++)
		put_pid(ctx->refs[i].pid);
}

static bool restart_exited(struct pid *pid)
{
	struct task_struct *t;
	bool ret;

	read_lock(&tasklist_lock);
	t = pid_task(pid, PIDTYPE_PID);
	ret = !t || t->exit_state;
	read_unlock(&tasklist_lock);
	return ret;
}

/*
 * Wait for a child of current that is a zombie of the image to have
 * exited, then give it its exit signal.  Only SIGKILL ends the wait
 * early.
 */
static int restart_wait_exited(struct pid *pid)
{
	while (wait_event_interruptible(current->signal->wait_chldexit,
					restart_exited(pid))) {
		if (fatal_signal_pending(current))
			return -EINTR;
		schedule_timeout_killable(1);
	}
	return 0;
}

static int restart_settle_zombie(struct ckpt_restart_task *rt)
{
	struct task_struct *t;

	if (restart_wait_exited(rt->pid))
		return -EINTR;
	write_lock_irq(&tasklist_lock);
	t = pid_task(rt->pid, PIDTYPE_PID);
	if (t && t->exit_state == EXIT_ZOMBIE)
		t->exit_signal = rt->exit_signal;
	write_unlock_irq(&tasklist_lock);
	return 0;
}

/* The stand-in leader of a process group: it makes the group and exits. */
static int restart_ghost_fn(void *arg)
{
	write_lock_irq(&tasklist_lock);
	change_pid(current, PIDTYPE_PGID, task_pid(current));
	write_unlock_irq(&tasklist_lock);
	do_exit(0);
}

/*
 * Make the group of @rt's task, whose leader exited before the
 * checkpoint, as a child of current, in current's session; its exit
 * signals no one.  The members join it once all tasks exist.
 */
static int restart_make_ghost(struct ckpt_restart_task *rt)
{
	struct ckpt_ctx *ctx = rt->ctx;
	pid_t pid = ctx->refs[rt->index].ghost_pgid;
	struct kernel_clone_args args = {
		.flags = CLONE_VM | CLONE_FS | CLONE_FILES,
		.fn = restart_ghost_fn,
		.set_tid = &pid,
		.set_tid_size = 1,
	};
	pid_t nr;
	int err;

	err = ckpt_pidns_ghost(ctx);
	if (err)
		return err;
	nr = kernel_clone(&args);
	if (nr == -EEXIST)
		return ckpt_err(ctx, -EBUSY, "pid %d (process group %d) is in use",
				pid, pid);
	if (nr < 0)
		return ckpt_err(ctx, nr == -ERESTARTNOINTR ? -EINTR : nr,
				"cannot make process group %d", pid);
	rcu_read_lock();
	rt->ghost = get_pid(find_vpid(nr));
	rcu_read_unlock();
	return restart_wait_exited(rt->ghost);
}

static bool restart_serve(struct ckpt_restart_task *rt);
static void restart_hold_freeze(void);
static void restart_make_ahead(struct ckpt_restart_task *rt, bool killed);
static int restart_spawn_turn(struct ckpt_restart_task *creator,
			      struct ckpt_restart_task *rt);
static void restart_wait_made(struct restart_tree *tr, unsigned int i);
static void restart_plan_chain(struct ckpt_restart_task *rt);
static void restart_chain_next(struct ckpt_restart_task *rt);

/*
 * The stand-in leader of a session: it makes the session and its group,
 * then creates the processes of the session that restart asks for, as
 * children of its own parent, until it is told to exit.
 */
static int restart_session_fn(void *arg)
{
	struct ckpt_restart_task *g = arg;
	sigset_t all;
	int ret;

	sigfillset(&all);
	set_current_blocked(&all);
	restart_hold_freeze();
	ret = ksys_setsid();
	if (ret < 0)
		g->err = ckpt_err(g->ctx, ret, "cannot make session %d",
				  g->ctx->pids[g->index].sid);
	complete(&g->built);
	if (!g->err)
		restart_serve(g);
	complete(&g->done);
	/* The stand-in group leaders it made, if restart failed first. */
	while (kernel_wait4(-1, NULL, __WALL, NULL) != -ECHILD &&
	       !fatal_signal_pending(current))
		;
	do_exit(0);
}

/*
 * Make the stand-in leader @g of the session of task @g->index, whose
 * leader exited before the checkpoint, as a child of current; its exit
 * signals no one.
 */
static int restart_make_session(struct ckpt_restart_task *g)
{
	struct ckpt_ctx *ctx = g->ctx;
	pid_t pid = ctx->pids[g->index].sid;
	struct kernel_clone_args args = {
		.flags = CLONE_VM | CLONE_FS | CLONE_FILES,
		.fn = restart_session_fn,
		.fn_arg = g,
		.set_tid = &pid,
		.set_tid_size = 1,
	};
	pid_t nr;
	int err;

	err = ckpt_pidns_ghost(ctx);
	if (err)
		return err;
	nr = kernel_clone(&args);
	if (nr == -EEXIST)
		return ckpt_err(ctx, -EBUSY, "pid %d (session %d) is in use",
				pid, pid);
	if (nr < 0)
		return ckpt_err(ctx, nr == -ERESTARTNOINTR ? -EINTR : nr,
				"cannot make session %d", pid);
	rcu_read_lock();
	g->ghost = get_pid(find_vpid(nr));
	rcu_read_unlock();
	wait_for_completion(&g->built);
	return g->err;
}

/*
 * Create the tasks the caller asks for, settle the zombies and make the
 * stand-in group and session leaders, until it decides; return whether
 * to commit.  A task that is killed meanwhile creates no more.
 */
static bool restart_serve(struct ckpt_restart_task *rt)
{
	struct restart_tree *tr = rt->tree;
	struct ckpt_restart_task *child;
	int err;

	for (;;) {
		bool killed = wait_for_completion_killable(&rt->wake);

		spin_lock(&tr->lock);
		rt->gone = killed;
		child = rt->pass;
		rt->pass = NULL;
		spin_unlock(&tr->lock);
		if (child && child->ahead) {
			restart_make_ahead(child, killed);
			if (!killed)
				continue;
		} else if (child) {
			/* No one waits: the new task has the turn. */
			err = killed ? -EINTR : restart_spawn_turn(rt, child);
			if (err)
				restart_give_back(tr, child->index, err);
			if (!killed)
				continue;
		}
		if (killed) {
			complete_all(&rt->spawned);
			return false;
		}
		child = rt->spawn;
		if (!child)
			return rt->commit && !rt->err;
		rt->spawn = NULL;
		switch (child->op) {
		case RESTART_SPAWN:
			child->op_err = restart_spawn_turn(rt, child);
			break;
		case RESTART_SETTLE:
			child->op_err = restart_settle_zombie(child);
			break;
		case RESTART_GHOST:
			child->op_err = restart_make_ghost(child);
			break;
		case RESTART_REAP:
			restart_reap(child->ghost);
			child->op_err = 0;
			break;
		case RESTART_SESSION:
			child->op_err = restart_make_session(child);
			break;
		case RESTART_PIDNS:
			child->op_err = ckpt_pidns_children(rt->ctx, rt->index);
			break;
		}
		complete(&rt->spawned);
	}
}

/*
 * A zombie of the image: it exits now, with no signal to its parent,
 * which sets its exit signal afterwards.
 */
static void __noreturn restart_zombie_exit(struct ckpt_restart_task *rt,
					   const struct ckpt_task_finish *fin)
{
	rt->zombie = true;
	rt->exit_signal = fin->exit_signal;
	/* Its parent settles it, when the caller asks. */
	restart_wait_made(rt->tree, rt->index + 1);
	restart_give_back(rt->tree, rt->index + 1, 0);
	complete(&rt->done);
	write_lock_irq(&tasklist_lock);
	current->exit_signal = 0;
	write_unlock_irq(&tasklist_lock);
	do_exit(fin->exit_code);
}

/*
 * A task created in a frozen cgroup would have TIF_SIGPENDING until it
 * froze, which would cut short its reading of the image from a pipe and
 * keep it from creating tasks: it freezes on its way to user mode, once
 * restored, instead.
 */
static void restart_hold_freeze(void)
{
	/* Only current changes its own sighand. */
	struct sighand_struct *sighand = rcu_dereference_protected(current->sighand,
								    true);

	spin_lock_irq(&sighand->siglock);
	current->jobctl &= ~JOBCTL_TRAP_FREEZE;
	recalc_sigpending();
	spin_unlock_irq(&sighand->siglock);
}

static void restart_allow_freeze(void)
{
	struct sighand_struct *sighand = rcu_dereference_protected(current->sighand,
								    true);

	spin_lock_irq(&sighand->siglock);
	if (ckpt_cgroup_freezing()) {
		current->jobctl |= JOBCTL_TRAP_FREEZE;
		set_tsk_thread_flag(current, TIF_SIGPENDING);
	}
	spin_unlock_irq(&sighand->siglock);
}

/*
 * Current, a new task, takes the turn to read: the caller kills it if it
 * is killed meanwhile, and once it was, nothing more is read.
 */
static int restart_take_turn(struct ckpt_restart_task *rt)
{
	struct restart_tree *tr = rt->tree;
	bool stop;

	spin_lock(&tr->lock);
	tr->turn = rt->index;
	stop = tr->stop;
	spin_unlock(&tr->lock);
	return stop || fatal_signal_pending(current) ? -EINTR : 0;
}

/*
 * Current, created ahead of its turn, waits for it: false if restart
 * failed before it came.  Once killed, it takes the turn no more.
 */
static bool restart_wait_turn(struct ckpt_restart_task *rt)
{
	struct restart_tree *tr = rt->tree;
	bool killed = wait_for_completion_killable(&rt->wake);
	bool given;

	spin_lock(&tr->lock);
	rt->gone = killed;
	given = rt->given;
	spin_unlock(&tr->lock);
	/* Killed as the turn came: the wakeup is not for restart_serve(). */
	if (killed && given)
		try_wait_for_completion(&rt->wake);
	return given;
}

static int restart_task_fn(void *arg)
{
	struct ckpt_restart_task *rt = arg;
	struct ckpt_task_finish fin = { .exit_signal = SIGCHLD };
	struct restart_vfork vfork = { };
	bool commit;
	sigset_t all;

	/*
	 * Its pid, held until restart is over: the task may be killed and
	 * reaped before its creator is back from creating it.
	 */
	rt->pid = get_pid(task_pid(current));
	/*
	 * Signals sent to the caller's process group must not cut the
	 * reading of the image short, nor keep the task from creating
	 * others; its own mask is set last.
	 */
	sigfillset(&all);
	set_current_blocked(&all);
	restart_hold_freeze();
	ckpt_pidns_spawned(rt->ctx, rt->index);
	if (rt->ctx->pids[rt->index].flags & CKPT_PIDS_VFORK)
		wait_for_completion(&rt->vforked);
	/*
	 * Its pid, for pidfds, unless given out already (or created ahead).
	 * Killed, it reads nothing.
	 */
	if (!mutex_lock_killable(&rt->ctx->pids_lock)) {
		if (!rt->ctx->refs[rt->index].pid)
			WRITE_ONCE(rt->ctx->refs[rt->index].pid,
				   get_pid(rt->pid));
		mutex_unlock(&rt->ctx->pids_lock);
	}
	/* A thread of a chain creates the next one before it waits. */
	restart_chain_next(rt);
	if (rt->ahead && !restart_wait_turn(rt)) {
		/* Restart failed: it has nothing of the image to undo. */
		complete(&rt->done);
		commit = false;
		goto out;
	}

	rt->err = restart_take_turn(rt) ?:
		  (rt->index ? 0 : ckpt_restore_namespaces(rt->ctx)) ?:
		  ckpt_restore_session(rt->ctx, rt->index);
	if (!rt->err) {
		restart_plan_chain(rt);
		rt->err = ckpt_read_task(rt->ctx, rt->index, &fin);
	}
	if (!rt->err && fin.zombie)
		restart_zombie_exit(rt, &fin);
	rt->vfork = &vfork;
	restart_pass(rt);
	commit = restart_serve(rt);
	complete(&rt->done);
out:
	ckpt_task_finish(&fin, commit);
	if (commit) {
		/* A vfork() parent goes on when its child execs or exits. */
		restart_vfork_wait(&vfork);
		restart_allow_freeze();
	} else {
		restart_vfork_drop(&vfork);
		/* Its children die too: reap them, then die. */
		while (kernel_wait4(-1, NULL, __WALL, NULL) != -ECHILD &&
		       !fatal_signal_pending(current))
			;
		force_sig(SIGKILL);
	}
	return 0;
}

/*
 * Create @rt's task, as a child or thread of current, sharing what its
 * tree entry says with its parent; its pid namespace is chosen already.
 * Nothing is logged: this may run while another task reads.
 *
 * Return: the pid number of the task, or the errno of clone.
 */
static pid_t restart_clone(struct ckpt_restart_task *rt, u64 *flags,
			   bool ahead)
{
	struct ckpt_ctx *ctx = rt->ctx;
	const struct ckpt_pids *p = &ctx->pids[rt->index];
	struct ckpt_task_refs *refs = &ctx->refs[rt->index];
	bool thread = p->pid != p->tgid;
	pid_t set_tid[CKPT_PIDNS_MAX_DEPTH + 1];
	struct kernel_clone_args args = {
		/* Threads share the undo list of SysV semaphores, as glibc's. */
		.flags = thread ? CLONE_VM | CLONE_SIGHAND | CLONE_THREAD |
				  CLONE_SYSVSEM : 0,
		.exit_signal = thread ? 0 : SIGCHLD,
		.fn = restart_task_fn,
		.fn_arg = rt,
		.set_tid = set_tid,
		.set_tid_size = ckpt_pidns_set_tid(ctx, rt->index, set_tid),
	};
	bool reserved;
	pid_t nr;

	args.flags |= *flags;
	if (!rt->index && (ctx->flags & RESTART_CGROUP)) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = ctx->cgroup_fd;
	}
	/* Created by the stand-in leader of its session, for its parent. */
	if (refs->sghost && !thread)
		args.flags |= CLONE_PARENT;
	/* A process with flags has a parent: ckpt_check_sghost() */
	if (p->flags & CKPT_PIDS_SHARE_VM)
		args.flags |= CLONE_VM;
	if (p->flags & CKPT_PIDS_SHARE_SIGHAND)
		args.flags |= CLONE_SIGHAND;
	*flags = args.flags;

	/*
	 * Created ahead, while another task may make a pidfd of it, it gets
	 * its pid first, as for a pidfd (ckpt_restore_pid()).
	 */
	mutex_lock(&ctx->pids_lock);
	if (ahead && !refs->pid) {
		struct pid *pid = ckpt_pidns_alloc_pid(ctx, rt->index);

		if (IS_ERR(pid)) {
			mutex_unlock(&ctx->pids_lock);
			return PTR_ERR(pid);
		}
		WRITE_ONCE(refs->pid, get_pid(pid));
		refs->reserved = true;
	}
	reserved = refs->reserved;
	mutex_unlock(&ctx->pids_lock);
	if (reserved)
		args.pid = refs->pid;
	nr = kernel_clone(&args);
	if (reserved) {
		/*
		 * copy_process() frees the pid if it fails after it took it;
		 * before, the pid is still ours to free.
		 */
		rcu_read_lock();
		refs->reserved = nr < 0 &&
				 find_pid_ns(p->pid, ctx->root_pidns) == refs->pid;
		rcu_read_unlock();
	}
	if (nr > 0)
		rt->created = true;
	return nr;
}

/* Log why task @rt was not created: clone gave @nr, with @flags. */
static int restart_clone_err(struct ckpt_restart_task *rt, pid_t nr,
			     u64 flags)
{
	struct ckpt_ctx *ctx = rt->ctx;
	pid_t pid = ctx->pids[rt->index].pid;

	if (nr > 0)
		return 0;
	if (nr == -EEXIST)
		return ckpt_err(ctx, -EBUSY, "pid %d is in use", pid);
	if (nr == -EPERM && (flags & CLONE_NEWPID))
		return ckpt_err(ctx, -EPERM,
				"making pid namespaces needs CAP_SYS_ADMIN, choosing pids CAP_CHECKPOINT_RESTORE");
	if (nr == -EPERM)
		return ckpt_err(ctx, -EPERM,
				"choosing pids needs CAP_CHECKPOINT_RESTORE");
	if (nr == -ERESTARTNOINTR || nr == -EINTR)
		return -EINTR;
	if (flags & CLONE_INTO_CGROUP)
		return ckpt_err(ctx, nr, "cannot create pid %d in cgroup fd %d",
				pid, ctx->cgroup_fd);
	return ckpt_err(ctx, nr, "cannot create pid %d", pid);
}

/*
 * Create @rt's task, as a child or thread of current, the task of
 * @creator (NULL: the caller of restart(2)), in the pid namespace its
 * tree entry gives; the task has the turn.
 */
static int restart_spawn(struct ckpt_restart_task *creator,
			 struct ckpt_restart_task *rt)
{
	u64 flags = 0;
	pid_t nr;
	int err;

	/* The caller creates only tasks of the root's pid namespace. */
	if (creator) {
		err = ckpt_pidns_spawn(rt->ctx, rt->index, &flags);
		if (err)
			return err;
	}
	nr = restart_clone(rt, &flags, false);
	if (nr < 0)
		return restart_clone_err(rt, nr, flags);
	if (rt->ctx->pids[rt->index].flags & CKPT_PIDS_VFORK)
		restart_vfork_set(creator->vfork, rt, nr);
	return 0;
}

/*
 * Have @creator do @op for @rt; 0 or a negative errno.  A creator that
 * was killed does nothing: -EINTR.
 */
static int restart_ask(struct ckpt_restart_task *creator,
		       struct ckpt_restart_task *rt, int op)
{
	rt->op = op;
	rt->op_err = -EINTR;
	creator->spawn = rt;
	complete(&creator->wake);
	wait_for_completion(&creator->spawned);
	return rt->op_err;
}

/*
 * Reap a task that killed itself.  A pending signal makes the wait
 * return early; only a fatal one ends the wait, and then the task is
 * left to init like any child of a dying process.
 */
static void restart_reap(struct pid *pid)
{
	pid_t nr = pid_vnr(pid);

	while (kernel_wait4(nr, NULL, __WALL, NULL) == -ERESTARTSYS &&
	       !fatal_signal_pending(current))
		schedule_timeout_killable(1);
}

/*
 * The pid namespace the tasks go to: the caller's, or a new one, not
 * used yet, that the root of the image is the init of.
 */
static int restart_check_tree(struct ckpt_ctx *ctx)
{
	struct pid_namespace *ns = current->nsproxy->pid_ns_for_children;
	pid_t root = ctx->pids[0].pid;

	if (ns == task_active_pid_ns(current)) {
		if (root == 1)
			return ckpt_err(ctx, -EBUSY,
					"the root was the init of a pid namespace: restart it in a new one (unshare CLONE_NEWPID)");
	} else if (ns->parent != task_active_pid_ns(current) ||
		   READ_ONCE(ns->child_reaper)) {
		return ckpt_err(ctx, -EINVAL,
				"the caller's children go to a pid namespace that is in use");
	} else if (root != 1) {
		return ckpt_err(ctx, -EINVAL,
				"a new pid namespace needs an init: the root has pid %d",
				root);
	}
	ctx->root_pidns = get_pid_ns(ns);
	return ckpt_check_sessions(ctx);
}

/*
 * The task of the image that creates task @i, or NULL for the caller:
 * for the root, and for the processes whose parent was not saved.
 */
static struct ckpt_restart_task *restart_creator(struct ckpt_restart_task *rts,
						 struct xarray *index,
						 unsigned int i)
{
	struct ckpt_ctx *ctx = rts[i].ctx;
	const struct ckpt_pids *p = &ctx->pids[i];
	pid_t by = p->pid != p->tgid ? p->tgid : p->ppid;

	if (ctx->refs[i].sghost && p->pid == p->tgid)
		return &rts[ctx->nr_tasks + ctx->refs[i].sghost - 1];
	return by ? &rts[xa_to_value(xa_load(index, by))] : NULL;
}

/* The process of the image whose child task @i is, or NULL: the caller. */
static struct ckpt_restart_task *restart_parent(struct ckpt_restart_task *rts,
						struct xarray *index,
						unsigned int i)
{
	pid_t ppid = rts[i].ctx->pids[i].ppid;

	return ppid ? &rts[xa_to_value(xa_load(index, ppid))] : NULL;
}

/*
 * The stand-in leader of task @i's session, if it has one, made by @i's
 * parent unless made already for another process of the session.
 */
static int restart_sghost(struct ckpt_restart_task *rts, struct xarray *index,
			  unsigned int i)
{
	struct ckpt_ctx *ctx = rts[i].ctx;
	struct ckpt_restart_task *g, *parent;

	if (!ctx->refs[i].sghost)
		return 0;
	g = &rts[ctx->nr_tasks + ctx->refs[i].sghost - 1];
	if (g->ctx)
		return 0;
	g->ctx = ctx;
	g->tree = rts[i].tree;
	g->index = i;
	init_completion(&g->wake);
	init_completion(&g->spawned);
	init_completion(&g->built);
	init_completion(&g->done);
	parent = restart_parent(rts, index, i);
	return parent ? restart_ask(parent, g, RESTART_SESSION) :
			restart_make_session(g);
}

/*
 * Tell the stand-in session leaders made to exit, and wait for them to
 * stop serving.  Their parents reap them.
 */
static void restart_end_sghosts(struct ckpt_restart_task *rts,
				unsigned int nr)
{
	unsigned int k;

	for (k = 0; k < nr; k++) {
		if (!rts[k].ghost)
			continue;
		rts[k].spawn = NULL;
		complete(&rts[k].wake);
		wait_for_completion(&rts[k].done);
	}
}

/* The turn goes back to the caller; the tasks before @next exist. */
static void restart_give_back(struct restart_tree *tr, unsigned int next,
			      int err)
{
	spin_lock(&tr->lock);
	tr->turn = -1;
	spin_unlock(&tr->lock);
	tr->next = next;
	tr->err = err;
	complete(&tr->back);
}

/*
 * Have @creator create @rt, which then has the turn; no one waits for
 * it.  False if the creator was killed.
 */
static bool restart_post(struct ckpt_restart_task *creator,
			 struct ckpt_restart_task *rt)
{
	struct restart_tree *tr = rt->tree;
	bool gone;

	spin_lock(&tr->lock);
	gone = creator->gone;
	if (!gone) {
		creator->pass = rt;
		complete(&creator->wake);
	}
	spin_unlock(&tr->lock);
	return !gone;
}

/*
 * Whether task @k may be created before its turn at all: not when it may
 * go to another pid namespace than the root's, shares more with its
 * creator than a thread or a child does, or needs a stand-in leader made
 * before it.
 */
static bool restart_ahead_ok(const struct ckpt_ctx *ctx, unsigned int k)
{
	return !ctx->pidns && !ctx->pids[k].flags && !ctx->refs[k].sghost &&
	       !ctx->refs[k - 1].ghost_pgid;
}

/*
 * The task that can create task @k ahead of its turn, while task @k - 1
 * reads, for current, task @x (NULL: the caller), on its way to sleep:
 * a thread of its process or its parent, whichever has read its
 * records, or NULL.  Not for a task that shares more than that with it,
 * or whose creator is in the mm the task reading rebuilds; nor when
 * anything is to be made before it (a stand-in leader), or it may go to
 * another pid namespace than the root's (where every task's children go
 * without nested ones); nor for a thread of a chain, which the thread
 * before creates (restart_plan_chain()): the first one's creator is
 * task @k - 1, so it is not planned here either before it is marked.
 */
static struct ckpt_restart_task *
restart_ahead_creator(struct restart_tree *tr, struct ckpt_restart_task *x,
		      unsigned int k)
{
	struct ckpt_ctx *ctx = tr->rts[0].ctx;
	const struct ckpt_pids *p = ctx->pids;
	struct ckpt_restart_task *c;
	unsigned int j;

	if (k >= ctx->nr_tasks || tr->rts[k].chain || !restart_ahead_ok(ctx, k))
		return NULL;
	/* The process of the task reading shares nothing with its parent. */
	j = xa_to_value(xa_load(&tr->index, p[k - 1].tgid));
	if (p[j].flags)
		return NULL;
	if (x && p[k].pid != p[k].tgid && x < tr->rts + ctx->nr_tasks &&
	    p[x->index].tgid == p[k].tgid && x->index < k - 1)
		return x;
	c = restart_creator(tr->rts, &tr->index, k);
	if (!c || c->index >= k - 1 || c->zombie)
		return NULL;
	if (p[k].pid == p[k].tgid && p[k - 1].tgid == p[c->index].tgid)
		return NULL;
	return c;
}

/*
 * Current creates @rt's task ahead of its turn, unless it was killed.
 * The task before tells why it could not, if it has the turn.
 */
static void restart_make_ahead(struct ckpt_restart_task *rt, bool killed)
{
	u64 flags = 0;
	pid_t nr = killed || READ_ONCE(rt->tree->stop) ? -EINTR :
		   restart_clone(rt, &flags, true);

	rt->made_err = nr < 0 ? nr : 0;
	complete_all(&rt->made);
}

/* Have @c create @rt's task ahead of its turn; current is @x (or NULL). */
static void restart_ahead(struct ckpt_restart_task *x,
			  struct ckpt_restart_task *c,
			  struct ckpt_restart_task *rt)
{
	if (c == x) {
		restart_make_ahead(rt, false);
	} else if (!restart_post(c, rt)) {
		rt->made_err = -EINTR;
		complete_all(&rt->made);
	}
}

/* Wait for the creation ahead of task @i, if it was asked for. */
static void restart_wait_made(struct restart_tree *tr, unsigned int i)
{
	if (i < tr->rts[0].ctx->nr_tasks && tr->rts[i].ahead)
		wait_for_completion(&tr->rts[i].made);
}

/*
 * Whether thread @k of the process led by task @i can be created by the
 * thread before it as soon as that one starts: as for a creation ahead,
 * when the process shares nothing with its parent.
 */
static bool restart_chain_ok(struct ckpt_ctx *ctx, unsigned int i,
			     unsigned int k)
{
	const struct ckpt_pids *p = ctx->pids;

	return k < ctx->nr_tasks && p[k].pid != p[k].tgid &&
	       p[k].tgid == p[i].pid && !p[i].flags && restart_ahead_ok(ctx, k);
}

/*
 * Current, @rt's task, has the turn and is about to read its records.
 * If it leads a process whose threads come next in the image, they are
 * all to be created ahead of their turns, one by the other, while it
 * reads: the first now, by current, each of the others by the thread
 * before it, as it starts (restart_chain_next()).  A thread's creation
 * needs nothing of what its leader reads, and its leader's memory may
 * take long to read while the threads would otherwise be created one
 * at a time between the turns.  No other task plans these threads: the
 * creator of the first is current (restart_ahead_creator()).
 */
static void restart_plan_chain(struct ckpt_restart_task *rt)
{
	struct ckpt_restart_task *rts = rt->tree->rts;
	unsigned int i = rt->index, k;

	if (rt->ctx->pids[i].pid != rt->ctx->pids[i].tgid)
		return;
	for (k = i + 1; restart_chain_ok(rt->ctx, i, k); k++) {
		rts[k].chain = true;
		rts[k].ahead = true;
	}
	restart_chain_next(rt);
}

/*
 * Current, @rt's task, creates the next task if it is in a chain of
 * threads (restart_plan_chain()).  If it cannot, the threads after that
 * one are not created either: their creation is over, failed.
 */
static void restart_chain_next(struct ckpt_restart_task *rt)
{
	struct ckpt_restart_task *next = rt + 1;
	struct ckpt_restart_task *end = rt->tree->rts + rt->ctx->nr_tasks;

	if (next == end || !next->chain)
		return;
	restart_make_ahead(next, fatal_signal_pending(current));
	if (!next->made_err)
		return;
	for (next++; next < end && next->chain; next++) {
		next->made_err = -EINTR;
		complete_all(&next->made);
	}
}

/*
 * Current, @x (NULL: the caller), is to start @rt's task on its turn:
 * mark the task after it to be created ahead, if it can be, before the
 * task can look for it as it passes the turn on.  Return its creator.
 */
static struct ckpt_restart_task *
restart_plan_ahead(struct ckpt_restart_task *x, struct ckpt_restart_task *rt)
{
	struct ckpt_restart_task *c;

	c = restart_ahead_creator(rt->tree, x, rt->index + 1);
	if (c)
		rt[1].ahead = true;
	return c;
}

/* @rt's task @started, or not: have the task after it created by @c. */
static void restart_go_ahead(struct ckpt_restart_task *x,
			     struct ckpt_restart_task *c,
			     struct ckpt_restart_task *rt, bool started)
{
	if (c && started)
		restart_ahead(x, c, rt + 1);
	else if (c)
		rt[1].ahead = false;
}

/*
 * Current, @creator (NULL: the caller), creates @rt's task, which has
 * the turn, then has the task after it created ahead if it can be.
 */
static int restart_spawn_turn(struct ckpt_restart_task *creator,
			      struct ckpt_restart_task *rt)
{
	struct ckpt_restart_task *c = restart_plan_ahead(creator, rt);
	int err = restart_spawn(creator, rt);

	restart_go_ahead(creator, c, rt, !err);
	return err;
}

/*
 * Give the turn to @rt's task, created ahead of it; current is @x, or
 * NULL for the caller.  Then have the task after it created ahead, if
 * it can be.  False if the task was killed.
 */
static bool restart_hand(struct ckpt_restart_task *x,
			 struct ckpt_restart_task *rt)
{
	struct ckpt_restart_task *c = restart_plan_ahead(x, rt);
	struct restart_tree *tr = rt->tree;
	bool gone;

	spin_lock(&tr->lock);
	gone = rt->gone;
	if (!gone) {
		rt->given = true;
		complete(&rt->wake);
	}
	spin_unlock(&tr->lock);
	restart_go_ahead(x, c, rt, !gone);
	return !gone;
}

/*
 * Task @rt has read its records: pass the turn on to the next task of
 * the image.  Created ahead, it takes it at once; a thread of @rt's own
 * process or a child of its own, @rt creates; any other, its creator
 * does.  The turn goes back to the caller when @rt failed or needs it
 * (a stand-in leader of its group), and when the next is created by the
 * caller or needs the stand-in leader of its session made first; a
 * zombie gives it back as it exits.  Only one task at a time hands the
 * work on, so that one creation follows the reading of the task before
 * it with as few wakeups of other tasks as there can be.
 */
static void restart_pass(struct ckpt_restart_task *rt)
{
	struct restart_tree *tr = rt->tree;
	struct ckpt_ctx *ctx = rt->ctx;
	const struct ckpt_pids *p = ctx->pids;
	unsigned int i = rt->index + 1, sghost;
	struct ckpt_restart_task *creator = NULL, *next = rt + 1;
	int err = rt->err;

	restart_wait_made(tr, i);
	if (err || i == ctx->nr_tasks || ctx->refs[rt->index].ghost_pgid ||
	    READ_ONCE(tr->stop))
		goto back;
	if (next->ahead) {
		if (next->created && restart_hand(rt, next))
			return;
		err = next->created ? -EINTR :
				      restart_clone_err(next, next->made_err, 0);
		goto back;
	}
	sghost = ctx->refs[i].sghost;
	if (sghost && !tr->rts[ctx->nr_tasks + sghost - 1].ctx)
		goto back;
	if (p[i].pid != p[i].tgid && p[i].tgid == p[rt->index].tgid)
		creator = rt;
	else
		creator = restart_creator(tr->rts, &tr->index, i);
	if (creator == rt) {
		err = restart_spawn_turn(rt, next);
		if (!err)
			return;
	} else if (creator) {
		if (restart_post(creator, next))
			return;
		err = -EINTR;
	}
back:
	restart_give_back(tr, i, err);
}

/*
 * Wait for the turn to come back to the caller, which may be killed:
 * then the task reading is killed, and no other task is created (nor
 * read, if one was being created ahead).  *@next is set to the first
 * task that had no turn.
 */
static int restart_wait_back(struct ckpt_ctx *ctx, struct restart_tree *tr,
			     unsigned int *next)
{
	int turn;

	if (wait_for_completion_killable(&tr->back)) {
		spin_lock(&tr->lock);
		tr->stop = true;
		turn = tr->turn;
		spin_unlock(&tr->lock);
		if (turn >= 0)
			kill_pid(tr->rts[turn].pid, SIGKILL, 1);
		wait_for_completion(&tr->back);
		if (!tr->err)
			tr->err = -EINTR;
	}
	*next = tr->next;
	return tr->err;
}

/*
 * Task @i, the last the turn came back with, has read its records: if it
 * is a zombie, its parent gives it its exit signal; if its group needs a
 * stand-in leader, its creator makes it.
 */
static int restart_after_read(struct restart_tree *tr, unsigned int i)
{
	struct ckpt_restart_task *rts = tr->rts, *creator, *parent;
	struct ckpt_ctx *ctx = rts[i].ctx;
	int err = 0;

	creator = restart_creator(rts, &tr->index, i);
	parent = ctx->refs[i].sghost ? restart_parent(rts, &tr->index, i) :
				       creator;
	if (rts[i].zombie && parent)
		err = restart_ask(parent, &rts[i], RESTART_SETTLE);
	if (!err && ctx->refs[i].ghost_pgid)
		err = creator ? restart_ask(creator, &rts[i], RESTART_GHOST) :
				restart_make_ghost(&rts[i]);
	return err;
}

static int restart_tasks(struct ckpt_ctx *ctx)
{
	struct ckpt_restart_task *rts, *creator, *sghosts;
	struct restart_tree tr = { .turn = -1 };
	unsigned int i, n = 0, made;
	pid_t root = 0;
	int err;

	err = restart_check_tree(ctx);
	if (err)
		return err;
	/* The stand-in session leaders come after the tasks. */
	rts = kvcalloc(ctx->nr_tasks + ctx->nr_sghosts, sizeof(*rts),
		       GFP_KERNEL);
	if (!rts)
		return -ENOMEM;
	tr.rts = rts;
	xa_init(&tr.index);
	spin_lock_init(&tr.lock);
	init_completion(&tr.back);
	sghosts = rts + ctx->nr_tasks;

	for (i = 0; !err && i < ctx->nr_tasks; i++) {
		struct ckpt_restart_task *rt = &rts[i];

		rt->ctx = ctx;
		rt->tree = &tr;
		rt->index = i;
		init_completion(&rt->wake);
		init_completion(&rt->spawned);
		init_completion(&rt->built);
		init_completion(&rt->done);
		init_completion(&rt->vforked);
		init_completion(&rt->made);
		/* The tree record is checked: parents and leaders come first. */
		err = xa_err(xa_store(&tr.index, ctx->pids[i].pid,
				      xa_mk_value(i), GFP_KERNEL));
	}
	/*
	 * The caller starts the tasks that the turn does not reach
	 * (restart_pass()): the root, those it creates, and those after a
	 * task that needs it.
	 */
	for (i = 0; !err && i < ctx->nr_tasks; i = n) {
		/* Created ahead (or not), after a zombie */
		if (rts[i].ahead && !rts[i].created) {
			err = restart_clone_err(&rts[i], rts[i].made_err, 0) ?:
			      -EINVAL;
			break;
		} else if (rts[i].ahead) {
			if (!restart_hand(NULL, &rts[i])) {
				err = -EINTR;
				break;
			}
		} else {
			err = restart_sghost(rts, &tr.index, i);
			if (err)
				break;
			creator = restart_creator(rts, &tr.index, i);
			if (creator)
				err = restart_ask(creator, &rts[i],
						  RESTART_SPAWN);
			else
				err = restart_spawn_turn(NULL, &rts[i]);
			if (err)
				break;
		}
		err = restart_wait_back(ctx, &tr, &n);
		if (!err)
			err = restart_after_read(&tr, n - 1);
	}
	if (!err)
		err = restore_read_tail(ctx);
	for (i = 0; !err && i < n; i++)
		err = ckpt_restore_pgrp(ctx, i, rts[i].pid);
	/* What needs the tasks in their groups: terminals' sessions. */
	if (!err)
		err = ckpt_obj_finish_all(ctx);
	/* The groups are made: the stand-ins go, as their leaders did. */
	for (i = 0; !err && i < n; i++) {
		if (!rts[i].ghost)
			continue;
		creator = restart_creator(rts, &tr.index, i);
		if (creator)
			err = restart_ask(creator, &rts[i], RESTART_REAP);
		else
			restart_reap(rts[i].ghost);
	}
	/* So do the sessions' (or restart failed): their parents reap them. */
	restart_end_sghosts(sghosts, ctx->nr_sghosts);
	for (i = 0; i < ctx->nr_sghosts; i++) {
		struct ckpt_restart_task *parent;

		if (!sghosts[i].ghost)
			continue;
		parent = restart_parent(rts, &tr.index, sghosts[i].index);
		if (!parent)
			restart_reap(sghosts[i].ghost);
		else if (!err)
			err = restart_ask(parent, &sghosts[i], RESTART_REAP);
	}
	/* Children go to the pid namespaces they went to. */
	for (i = 0; !err && ctx->pidns && i < n; i++)
		if (!rts[i].zombie)
			err = restart_ask(&rts[i], &rts[i], RESTART_PIDNS);
	if (!err && fatal_signal_pending(current))
		err = -EINTR;

	/*
	 * The tasks read, and those after them that were created ahead:
	 * the threads of a chain are all created, or given up, first (the
	 * task before may have waited for the same creation: complete_all).
	 */
	for (i = n; i < ctx->nr_tasks; i++)
		if (rts[i].chain)
			wait_for_completion(&rts[i].made);
	for (made = n; made < ctx->nr_tasks && rts[made].created; made++)
		;
	/* What the tasks take on before any of them runs */
	if (!err)
		ckpt_obj_commit_all(ctx);
	/* All decide at once; none may use rts[] once done. */
	for (i = 0; i < made; i++) {
		rts[i].commit = !err;
		rts[i].spawn = NULL;
		complete(&rts[i].wake);
	}
	for (i = 0; i < made; i++)
		wait_for_completion(&rts[i].done);
	if (err) {
		/*
		 * They are on their way out: reap those that are ours.  The
		 * pids given out for tasks not created go first, or a new pid
		 * namespace would wait for them as its init exits.
		 */
		restart_unreserve_pids(ctx);
		for (i = 0; i < made; i++) {
			if (ctx->pids[i].pid != ctx->pids[i].tgid ||
			    ctx->pids[i].ppid)
				continue;
			restart_reap(rts[i].pid);
			if (rts[i].ghost)
				restart_reap(rts[i].ghost);
		}
	} else {
		root = pid_vnr(rts[0].pid);
	}
	for (i = 0; i < made; i++) {
		put_pid(rts[i].pid);
		put_pid(rts[i].ghost);
	}
	for (i = 0; i < ctx->nr_sghosts; i++)
		put_pid(sghosts[i].ghost);
	xa_destroy(&tr.index);
	kvfree(rts);
	return err ?: root;
}

int do_restart(struct ckpt_ctx *ctx)
{
	unsigned int i;
	int err;

	err = restore_read_header(ctx);
	if (err)
		return err;
	ctx->caller = get_pid(task_tgid(current));
	err = ckpt_read_tree(ctx) ?: ckpt_read_pidns(ctx) ?:
	      ckpt_read_namespaces(ctx);
	if (err)
		return err;
	if (ckpt_restoring(ctx)) {
		ckpt_task_attrs_base(ctx);
		return restart_tasks(ctx);
	}

	for (i = 0; !err && i < ctx->nr_tasks; i++)
		err = ckpt_read_task(ctx, i, NULL);
	return err ?: restore_read_tail(ctx);
}
