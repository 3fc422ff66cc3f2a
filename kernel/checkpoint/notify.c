// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint: telling the processes that ask for it that a checkpoint
 * is coming, and waiting until they are ready for it.  The interface is
 * described in Documentation/checkpoint/callbacks.rst.
 *
 * A process registers with prctl(PR_SET_CHECKPOINT_SIGNAL).  The
 * registrations are kept here, in a table keyed by the struct pid of
 * the process, so that nothing is added to task_struct or signal_struct
 * and nothing runs at fork, exec or exit.  An entry holds while its
 * process lives with the address space it registered with: execve()
 * replaces the mm, and the old mm_struct is pinned with mmgrab() so that
 * its address cannot be reused meanwhile.  Entries whose process is gone
 * are dropped the next time a process registers.
 *
 * checkpoint(2) sends the registered signal to each such process of its
 * set and waits for every one to answer with prctl(PR_CHECKPOINT_READY).
 * A thread that answers "ready" sleeps in that call, killable, until the
 * checkpoint is over, and is saved as returning from it.
 */

#include <linux/checkpoint.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/oom.h>
#include <linux/prctl.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "internal.h"

struct ckpt_notify {
	struct hlist_node node;
	refcount_t ref;
	struct pid *pid;		/* of the process (its tgid) */
	struct mm_struct *mm;		/* it had when it registered */
	int sig;
	/* The request it was told of, until checkpoint(2) ends it. */
	struct ckpt_notify_req *req;
	unsigned int slot;		/* its place in req */
	struct task_struct *ready;	/* in PR_CHECKPOINT_READY */
	bool done;			/* the checkpoint ended with result */
	int result;
	wait_queue_head_t wq;
};

struct ckpt_notify_slot {
	struct ckpt_notify *n;
	struct task_struct *task;	/* the process's leader, pinned */
	struct task_struct *ready;	/* the thread that answered "ready" */
	int answer;			/* PR_CHECKPOINT_*, or -1 */
	unsigned int code;
};

struct ckpt_notify_req {
	wait_queue_head_t wq;
	unsigned int pending;		/* slots yet to answer */
	bool kill;			/* a permanent refusal */
	unsigned int nr;
	struct ckpt_notify_slot slots[] __counted_by(nr);
};

static DEFINE_MUTEX(ckpt_notify_mutex);
static DEFINE_HASHTABLE(ckpt_notify_table, 6);

static void ckpt_notify_put(struct ckpt_notify *n)
{
	if (!refcount_dec_and_test(&n->ref))
		return;
	put_pid(n->pid);
	if (n->mm)
		mmdrop(n->mm);
	kfree(n);
}

static struct ckpt_notify *ckpt_notify_find(struct pid *pid)
{
	struct ckpt_notify *n;

	lockdep_assert_held(&ckpt_notify_mutex);
	hash_for_each_possible(ckpt_notify_table, n, node, (unsigned long)pid)
		if (n->pid == pid)
			return n;
	return NULL;
}

/* Whether @n no longer stands for a live process with its mm. */
static bool ckpt_notify_stale(struct ckpt_notify *n)
{
	struct task_struct *t, *p;
	bool stale = true;

	rcu_read_lock();
	t = pid_task(n->pid, PIDTYPE_TGID);
	p = t ? find_lock_task_mm(t) : NULL;
	if (p) {
		stale = p->mm != n->mm;
		task_unlock(p);
	}
	rcu_read_unlock();
	return stale;
}

static void ckpt_notify_remove(struct ckpt_notify *n)
{
	hash_del(&n->node);
	ckpt_notify_put(n);
}

/* Drop the entries of processes that exited or exec'd. */
static void ckpt_notify_purge(void)
{
	struct ckpt_notify *n;
	struct hlist_node *tmp;
	unsigned int bkt;

	hash_for_each_safe(ckpt_notify_table, bkt, tmp, n, node)
		if (!n->req && !n->ready && ckpt_notify_stale(n))
			ckpt_notify_remove(n);
}

/* The entry of the process @pid, if it is valid. */
static struct ckpt_notify *ckpt_notify_lookup(struct pid *pid)
{
	struct ckpt_notify *n = ckpt_notify_find(pid);

	return n && !ckpt_notify_stale(n) ? n : NULL;
}

static struct ckpt_notify *ckpt_notify_new(int sig)
{
	struct ckpt_notify *n;

	n = kzalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n)
		return NULL;
	refcount_set(&n->ref, 1);
	init_waitqueue_head(&n->wq);
	n->sig = sig;
	return n;
}

/* Enter @n for current's process, unless it has an entry already. */
static void ckpt_notify_insert(struct ckpt_notify *n)
{
	n->pid = get_pid(task_tgid(current));
	n->mm = current->mm;
	mmgrab(n->mm);
	hash_add(ckpt_notify_table, &n->node, (unsigned long)n->pid);
}

static bool ckpt_notify_sig_valid(unsigned long sig)
{
	return !sig || (valid_signal(sig) && !sig_kernel_only(sig));
}

static int ckpt_notify_set(unsigned long sig)
{
	struct ckpt_notify *n, *new = NULL;
	int err = 0;

	if (!ckpt_notify_sig_valid(sig))
		return -EINVAL;
	if (sig) {
		new = ckpt_notify_new(sig);
		if (!new)
			return -ENOMEM;
	}

	mutex_lock(&ckpt_notify_mutex);
	ckpt_notify_purge();
	n = ckpt_notify_find(task_tgid(current));
	if (n && (n->req || n->ready)) {
		/* Told of a checkpoint that is not over yet. */
		err = -EBUSY;
	} else if (n) {
		if (sig)
			n->sig = sig;
		else
			ckpt_notify_remove(n);
	} else if (new) {
		ckpt_notify_insert(new);
		new = NULL;
	}
	mutex_unlock(&ckpt_notify_mutex);
	kfree(new);
	return err;
}

static int ckpt_notify_get(int __user *sigp)
{
	struct ckpt_notify *n;
	int sig;

	mutex_lock(&ckpt_notify_mutex);
	n = ckpt_notify_lookup(task_tgid(current));
	sig = n ? n->sig : 0;
	mutex_unlock(&ckpt_notify_mutex);
	return put_user(sig, sigp);
}

/*
 * PR_CHECKPOINT_READY: the answer of current's process to the request
 * it was told of.  "Ready" waits for the end of the checkpoint, held
 * like a parked task; the checkpoint saves current as returning from
 * this call.
 */
static long ckpt_notify_ready(unsigned long how, unsigned long code)
{
	struct ckpt_notify_slot *slot;
	struct ckpt_notify *n;
	long ret;

	if (how > PR_CHECKPOINT_FAIL_PERM || code > 0xffff)
		return -EINVAL;

	mutex_lock(&ckpt_notify_mutex);
	n = ckpt_notify_lookup(task_tgid(current));
	if (!n || !n->req || n->req->slots[n->slot].answer >= 0) {
		mutex_unlock(&ckpt_notify_mutex);
		return -ESRCH;
	}
	slot = &n->req->slots[n->slot];
	slot->answer = how;
	slot->code = code;
	if (how == PR_CHECKPOINT_OK) {
		slot->ready = current;
		n->ready = current;
		n->done = false;
		refcount_inc(&n->ref);
	}
	n->req->pending--;
	wake_up_all(&n->req->wq);
	mutex_unlock(&ckpt_notify_mutex);
	if (how != PR_CHECKPOINT_OK)
		return 0;

	/* Held as a parked task is: not even SIGKILL ends it meanwhile. */
	wait_event_idle(n->wq, READ_ONCE(n->done));
	mutex_lock(&ckpt_notify_mutex);
	ret = n->result;
	n->ready = NULL;
	mutex_unlock(&ckpt_notify_mutex);
	ckpt_notify_put(n);
	return ret;
}

long checkpoint_prctl(int option, unsigned long arg2, unsigned long arg3,
		      unsigned long arg4, unsigned long arg5)
{
	switch (option) {
	case PR_SET_CHECKPOINT_SIGNAL:
		if (arg3 || arg4 || arg5)
			return -EINVAL;
		return ckpt_notify_set(arg2);
	case PR_GET_CHECKPOINT_SIGNAL:
		if (arg3 || arg4 || arg5)
			return -EINVAL;
		return ckpt_notify_get((int __user *)arg2);
	case PR_CHECKPOINT_READY:
		if (arg4 || arg5)
			return -EINVAL;
		return ckpt_notify_ready(arg2, arg3);
	}
	return -EINVAL;
}

/**
 * ckpt_notify_signal - the signal a process registered
 * @tgid:	the process
 *
 * Return: the signal, or 0 if it did not register.
 */
int ckpt_notify_signal(struct pid *tgid)
{
	struct ckpt_notify *n;
	int sig;

	mutex_lock(&ckpt_notify_mutex);
	n = ckpt_notify_lookup(tgid);
	sig = n ? n->sig : 0;
	mutex_unlock(&ckpt_notify_mutex);
	return sig;
}

/*
 * Restart: a restored process is registered as it was, once it is sure
 * to run.  The entry is made before, so that this cannot fail.
 */
struct ckpt_notify *ckpt_notify_prepare(struct ckpt_ctx *ctx, int sig)
{
	struct ckpt_notify *n;

	if (!ckpt_notify_sig_valid(sig))
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "checkpoint_signal %d", sig));
	if (!sig)
		return NULL;
	n = ckpt_notify_new(sig);
	return n ?: ERR_PTR(-ENOMEM);
}

void ckpt_notify_commit(struct ckpt_notify *n, bool commit)
{
	if (!n)
		return;
	if (commit) {
		mutex_lock(&ckpt_notify_mutex);
		ckpt_notify_purge();
		if (!ckpt_notify_find(task_tgid(current))) {
			ckpt_notify_insert(n);
			n = NULL;
		}
		mutex_unlock(&ckpt_notify_mutex);
	}
	if (n)
		ckpt_notify_put(n);
}

static pid_t ckpt_notify_pid(struct ckpt_ctx *ctx, struct task_struct *t)
{
	return task_pid_nr_ns(t, ctx->root_pidns);
}

/* Tell the processes of @req, now that none can be told twice. */
static void ckpt_notify_send(struct ckpt_notify_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nr; i++) {
		struct ckpt_notify_slot *slot = &req->slots[i];
		struct kernel_siginfo info;

		clear_siginfo(&info);
		info.si_signo = slot->n->sig;
		info.si_code = SI_KERNEL;
		/* As the receiver sees them: see __send_signal_locked(). */
		info.si_pid = task_tgid_vnr(current);
		info.si_uid = from_kuid_munged(current_user_ns(), current_uid());
		do_send_sig_info(info.si_signo, &info, slot->task, PIDTYPE_TGID);
	}
}

/* Wait for every process told to answer, or to be gone. */
static int ckpt_notify_wait(struct ckpt_ctx *ctx, struct ckpt_notify_req *req)
{
	unsigned int i;
	long ret;
	int err = 0;

	for (;;) {
		ret = wait_event_interruptible_timeout(req->wq,
						       !READ_ONCE(req->pending),
						       HZ / 10);
		if (ret < 0)
			return -EINTR;
		if (ret)
			return 0;
		mutex_lock(&ckpt_notify_mutex);
		for (i = 0; !err && i < req->nr; i++) {
			struct ckpt_notify_slot *slot = &req->slots[i];

			if (slot->answer < 0 && ckpt_notify_stale(slot->n))
				err = -ESRCH;
		}
		mutex_unlock(&ckpt_notify_mutex);
		if (err)
			return ckpt_err(ctx, err,
					"pid %d (%s) exited or exec'd before it was ready",
					ckpt_notify_pid(ctx, req->slots[i - 1].task),
					req->slots[i - 1].task->comm);
	}
}

/* Leave out the tasks of the process @t, which omitted itself. */
static void ckpt_notify_omit(struct ckpt_ctx *ctx, struct task_struct *t)
{
	unsigned int i, n = 0;

	for (i = 0; i < ctx->nr_tasks; i++) {
		if (same_thread_group(ctx->tasks[i], t))
			put_task_struct(ctx->tasks[i]);
		else
			ctx->tasks[n++] = ctx->tasks[i];
	}
	ctx->nr_tasks = n;
}

static int ckpt_notify_answers(struct ckpt_ctx *ctx,
			       struct ckpt_notify_req *req)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < req->nr; i++) {
		struct ckpt_notify_slot *slot = &req->slots[i];
		bool perm = slot->answer == PR_CHECKPOINT_FAIL_PERM;

		if (slot->answer != PR_CHECKPOINT_FAIL_TEMP && !perm)
			continue;
		req->kill |= perm;
		err = ckpt_err(ctx, perm ? -ECANCELED : -EAGAIN,
			       "pid %d refused the checkpoint (%s, code %u)",
			       ckpt_notify_pid(ctx, slot->task),
			       perm ? "permanent" : "temporary", slot->code);
	}
	if (err)
		return err;

	for (i = 0; i < req->nr; i++)
		if (req->slots[i].answer == PR_CHECKPOINT_OMIT)
			ckpt_notify_omit(ctx, req->slots[i].task);
	if (!ctx->nr_tasks)
		return ckpt_err(ctx, -ESRCH,
				"every process left itself out of the checkpoint");
	if (ctx->tasks[0]->exit_state)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d (%s) would be the root, but it has exited",
				ckpt_notify_pid(ctx, ctx->tasks[0]),
				ctx->tasks[0]->comm);
	return 0;
}

/**
 * ckpt_notify_tasks - tell the registered processes of the checkpoint
 * @ctx:	checkpoint context, with its tasks collected
 *
 * Processes that are stopped, traced or frozen, and the caller's, are
 * not told.  Those that leave themselves out are taken out of the tasks
 * of @ctx.
 *
 * Return: 0 once every process told is ready or left itself out, or a
 * negative errno.  ckpt_notify_finish() ends the request in every case.
 */
int ckpt_notify_tasks(struct ckpt_ctx *ctx)
{
	struct ckpt_notify_req *req;
	unsigned int i;
	int err = 0;

	if ((ctx->flags & CHECKPOINT_NO_CALLBACKS) || ckpt_container(ctx))
		return 0;
	/*
	 * Racing with a registration is harmless: a process that registers
	 * after its tasks were collected is not told, as if it had
	 * registered after the checkpoint.
	 */
	if (data_race(hash_empty(ckpt_notify_table)))
		return 0;

	req = kvzalloc(struct_size(req, slots, ctx->nr_tasks), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	init_waitqueue_head(&req->wq);
	ctx->notify = req;

	mutex_lock(&ckpt_notify_mutex);
	for (i = 0; i < ctx->nr_tasks; i++) {
		struct task_struct *t = ctx->tasks[i];
		struct ckpt_notify *n;

		if (!thread_group_leader(t) || t->exit_state ||
		    same_thread_group(t, current) || ckpt_task_is_still(t))
			continue;
		n = ckpt_notify_lookup(task_tgid(t));
		if (!n)
			continue;
		if (n->req || n->ready) {
			err = ckpt_err(ctx, -EBUSY,
				       "pid %d (%s) is told of another checkpoint",
				       ckpt_notify_pid(ctx, t), t->comm);
			break;
		}
		refcount_inc(&n->ref);
		n->req = req;
		n->slot = req->nr;
		req->slots[req->nr].n = n;
		req->slots[req->nr].task = get_task_struct(t);
		req->slots[req->nr].answer = -1;
		req->nr++;
	}
	req->pending = req->nr;
	mutex_unlock(&ckpt_notify_mutex);
	if (err || !req->nr)
		return err;

	ckpt_notify_send(req);
	return ckpt_notify_wait(ctx, req) ?: ckpt_notify_answers(ctx, req);
}

/**
 * ckpt_notify_finish - end the request of a checkpoint
 * @ctx:	checkpoint context
 * @err:	how the checkpoint ended, 0 if the image is complete
 *
 * The threads waiting in PR_CHECKPOINT_READY return @err.  After a
 * permanent refusal, the processes of the checkpoint are killed.
 */
void ckpt_notify_finish(struct ckpt_ctx *ctx, int err)
{
	struct ckpt_notify_req *req = ctx->notify;
	unsigned int i;

	if (!req)
		return;
	mutex_lock(&ckpt_notify_mutex);
	for (i = 0; i < req->nr; i++) {
		struct ckpt_notify *n = req->slots[i].n;

		n->req = NULL;
		if (req->slots[i].ready) {
			n->result = err;
			WRITE_ONCE(n->done, true);
			wake_up_all(&n->wq);
		}
		ckpt_notify_put(n);
	}
	mutex_unlock(&ckpt_notify_mutex);
	for (i = 0; i < req->nr; i++)
		put_task_struct(req->slots[i].task);

	for (i = 0; req->kill && i < ctx->nr_tasks; i++)
		if (thread_group_leader(ctx->tasks[i]))
			do_send_sig_info(SIGKILL, SEND_SIG_PRIV, ctx->tasks[i],
					 PIDTYPE_TGID);
	ctx->notify = NULL;
	kvfree(req);
}

/* Whether @t waits in PR_CHECKPOINT_READY for this checkpoint. */
bool ckpt_notify_waiting(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_notify_req *req = ctx->notify;
	unsigned int i;

	for (i = 0; req && i < req->nr; i++)
		if (req->slots[i].ready == t)
			return true;
	return false;
}

/* Whether the process of @t left itself out of this checkpoint. */
bool ckpt_notify_omitted(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_notify_req *req = ctx->notify;
	unsigned int i;

	for (i = 0; req && i < req->nr; i++)
		if (req->slots[i].answer == PR_CHECKPOINT_OMIT &&
		    same_thread_group(req->slots[i].task, t))
			return true;
	return false;
}
