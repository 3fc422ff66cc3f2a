// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: signals.
 *
 * Saved:
 *  - the handlers of a process (struct sighand_struct), an object, so
 *    that threads share one record;
 *  - the signals pending for the whole process (the shared pending
 *    queue of struct signal_struct) and its interval timers, an object
 *    as well;
 *  - per task, after its architecture records: the blocked mask, the
 *    mask a call such as sigsuspend() will put back, the alternate
 *    signal stack, and the signals pending for the task alone; for a
 *    thread group leader, also the job control stop of its process.
 *
 * A pending signal is saved as the siginfo user space would get.  A
 * signal that is pending without a queue entry (its siginfo could not
 * be allocated when it was sent) is saved with si_code SI_KERNEL.
 *
 * Locks: siglock of the task, to copy handlers and pending queues; no
 * record is written with it held.  Signals may still be sent to the
 * held still tasks while they are saved: one that arrives after its
 * queue was copied counts as sent after the checkpoint.
 *
 * Restart: the handlers are installed with do_sigaction(), as
 * rt_sigaction() would.  A restored task blocks every signal until it
 * is committed, so that a pending signal stays pending as it was; a
 * pending signal the restored process ignores is dropped, as it would
 * have been when it was sent.  SIGKILL and SIGSTOP, which no mask
 * blocks, are queued only once the restart succeeded: queued earlier,
 * they would end its restart, or make the tasks it creates fail.  The
 * caller of restart(2) queues SIGSTOP, and stops the processes that
 * were stopped, before any restored task runs; a task queues its
 * SIGKILL itself, as it is committed.
 */

#include <linux/checkpoint.h>
#include <linux/hrtimer.h>
#include <linux/posix-timers.h>
#include <linux/sched/cputime.h>
#include <linux/sched/jobctl.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

/*
 * A task held still cannot exec or exit, so its sighand does not
 * change while it is saved.
 */
static struct sighand_struct *ckpt_task_sighand(struct task_struct *t)
{
	return rcu_dereference_protected(t->sighand, true);
}

static void ckpt_sighand_grab(void *ptr)
{
	struct sighand_struct *sighand = ptr;

	refcount_inc(&sighand->count);
}

static void ckpt_sighand_drop(void *ptr)
{
	__cleanup_sighand(ptr);
}

static int ckpt_sighand_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	struct sighand_struct *sighand = ptr;
	struct ckpt_hdr_sighand *h;
	int i, err;

	h = ckpt_hdr_alloc(sizeof(*h), CKPT_HDR_SIGHAND);
	if (!h)
		return -ENOMEM;
	h->h.objref = objref;
	spin_lock_irq(&sighand->siglock);
	for (i = 0; i < CKPT_NSIG; i++) {
		const struct sigaction *sa = &sighand->action[i].sa;

		h->action[i].handler = (unsigned long)sa->sa_handler;
		h->action[i].flags = sa->sa_flags;
#ifdef __ARCH_HAS_SA_RESTORER
		h->action[i].restorer = (unsigned long)sa->sa_restorer;
#endif
		h->action[i].mask = sa->sa_mask.sig[0];
	}
	spin_unlock_irq(&sighand->siglock);
	err = ckpt_write_record(ctx, &h->h.h);
	kvfree(h);
	return err;
}

/*
 * Copy the siginfos of a pending queue into @buf, at most @max of them;
 * return how many the queue holds.  Called with siglock held.
 */
static unsigned int ckpt_copy_pending(struct sigpending *pending,
				      siginfo_t *buf, unsigned int max)
{
	sigset_t queued;
	struct sigqueue *q;
	unsigned int n = 0;
	int sig;

	sigemptyset(&queued);
	list_for_each_entry(q, &pending->list, list) {
		if (n < max) {
			copy_siginfo_to_external(&buf[n], &q->info);
			/* Not for user space: the timer record says it. */
			if (q->info.si_code == SI_TIMER)
				buf[n]._sifields._timer._sys_private = 0;
		}
		sigaddset(&queued, q->info.si_signo);
		n++;
	}
	for (sig = 1; sig <= CKPT_NSIG; sig++) {
		if (!sigismember(&pending->signal, sig) ||
		    sigismember(&queued, sig))
			continue;
		if (n < max) {
			memset(&buf[n], 0, sizeof(buf[n]));
			buf[n].si_signo = sig;
			buf[n].si_code = SI_KERNEL;
		}
		n++;
	}
	return n;
}

/*
 * Copy the pending queue of @t (its own, or its process's if @shared)
 * into a new array; the queue may grow meanwhile, so size it first.
 */
static siginfo_t *ckpt_pending(struct ckpt_ctx *ctx, struct task_struct *t,
			       bool shared, unsigned int *nr)
{
	struct sigpending *pending = shared ? &t->signal->shared_pending :
					      &t->pending;
	unsigned int max = 0, n;
	siginfo_t *buf = NULL;

	for (;;) {
		spin_lock_irq(&ckpt_task_sighand(t)->siglock);
		n = ckpt_copy_pending(pending, buf, max);
		spin_unlock_irq(&ckpt_task_sighand(t)->siglock);
		if (n <= max)
			break;
		if (n > CKPT_PENDING_MAX) {
			kvfree(buf);
			return ERR_PTR(ckpt_err(ctx, -E2BIG,
						"pid %d (%s): more than %d pending signals",
						task_pid_vnr(t), t->comm,
						CKPT_PENDING_MAX));
		}
		kvfree(buf);
		max = n + 8;
		buf = kvmalloc_array(max, sizeof(*buf), GFP_KERNEL);
		if (!buf)
			return ERR_PTR(-ENOMEM);
	}
	*nr = n;
	return buf;
}

/* The first task of the image that uses @sig: its siglock guards it. */
static struct task_struct *ckpt_signal_owner(struct ckpt_ctx *ctx,
					     struct signal_struct *sig)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_tasks; i++)
		if (ctx->tasks[i]->signal == sig)
			return ctx->tasks[i];
	return NULL;
}

/* ITIMER_REAL as getitimer(2) shows it: time left and interval. */
static void ckpt_itimer_real(struct task_struct *t, struct ckpt_hdr_signal *h)
{
	struct hrtimer *timer = &t->signal->real_timer;
	ktime_t rem;

	spin_lock_irq(&ckpt_task_sighand(t)->siglock);
	rem = hrtimer_get_remaining(timer);
	/* Expired but not yet handled: it fires right away. */
	if (hrtimer_active(timer))
		h->it_real_value = rem > 0 ? ktime_to_ns(rem) : NSEC_PER_USEC;
	/*
	 * A periodic timer whose SIGALRM is pending is not running: it is
	 * armed again when the signal is taken (dequeue_signal()).
	 */
	h->it_real_interval = ktime_to_ns(t->signal->it_real_incr);
	spin_unlock_irq(&ckpt_task_sighand(t)->siglock);
}

/*
 * ITIMER_VIRTUAL or ITIMER_PROF as getitimer(2) shows it: CPU time of
 * the process left before it fires, and interval.
 */
static void ckpt_itimer_cpu(struct task_struct *t, unsigned int clock_id,
			    s64 *value, s64 *interval)
{
	struct cpu_itimer *it = &t->signal->it[clock_id];
	u64 samples[CPUCLOCK_MAX];

	spin_lock_irq(&ckpt_task_sighand(t)->siglock);
	if (it->expires) {
		thread_group_sample_cputime(t, samples);
		/* Due but not yet handled: it fires right away. */
		*value = it->expires > samples[clock_id] ?
			 it->expires - samples[clock_id] : TICK_NSEC;
		*interval = it->incr;
	}
	spin_unlock_irq(&ckpt_task_sighand(t)->siglock);
}

static int ckpt_signal_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	struct signal_struct *sig = ptr;
	struct ckpt_hdr_signal *h;
	struct task_struct *t;
	unsigned int nr = 0;
	siginfo_t *pending;
	int err;

	t = ckpt_signal_owner(ctx, sig);
	if (!t)
		return -ESRCH;
	pending = ckpt_pending(ctx, t, true, &nr);
	if (IS_ERR(pending))
		return PTR_ERR(pending);

	err = -ENOMEM;
	h = ckpt_hdr_alloc(sizeof(*h) + nr * CKPT_SIGINFO_SIZE, CKPT_HDR_SIGNAL);
	if (h) {
		h->h.objref = objref;
		ckpt_itimer_real(t, h);
		ckpt_itimer_cpu(t, CPUCLOCK_VIRT, &h->it_virt_value,
				&h->it_virt_interval);
		ckpt_itimer_cpu(t, CPUCLOCK_PROF, &h->it_prof_value,
				&h->it_prof_interval);
		h->nr_pending = nr;
		h->checkpoint_signal = ckpt_notify_signal(task_tgid(t));
		memcpy(h + 1, pending, nr * CKPT_SIGINFO_SIZE);
		err = ckpt_write_record(ctx, &h->h.h);
		kvfree(h);
	}
	kvfree(pending);
	return err;
}

/*
 * The job control stop of the process of @t, its leader: stopped, and
 * whether its parent collected the report, or stopping, some of its
 * threads not stopped yet; and by which stop signal.  Called with
 * siglock held.
 */
static void ckpt_group_stop(struct task_struct *t,
			    struct ckpt_hdr_task_signals *h)
{
	struct signal_struct *sig = t->signal;
	u32 code;

	if (sig->flags & SIGNAL_GROUP_EXIT || sig->group_exec_task)
		return;
	if (sig->flags & SIGNAL_STOP_STOPPED)
		h->flags |= CKPT_SIGNALS_STOPPED;
	else if (sig->group_stop_count)
		h->flags |= CKPT_SIGNALS_STOPPING;
	else
		return;
	/* A wait(2) of the parent took the code, but not the signal. */
	if (!sig->group_exit_code)
		h->flags |= CKPT_SIGNALS_STOP_REPORTED;
	code = sig->group_exit_code ?: t->jobctl & JOBCTL_STOP_SIGMASK;
	h->stop_code = code && valid_signal(code) && sig_kernel_stop(code) ?
		       code : SIGSTOP;
}

/**
 * ckpt_write_task_signals - write the signal state of one task
 * @ctx:	checkpoint context
 * @t:		the task, held still
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_task_signals(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_task_signals *h;
	unsigned int nr = 0;
	siginfo_t *pending;
	int err;

	pending = ckpt_pending(ctx, t, false, &nr);
	if (IS_ERR(pending))
		return PTR_ERR(pending);
	err = -ENOMEM;
	h = ckpt_hdr_alloc(sizeof(*h) + nr * CKPT_SIGINFO_SIZE,
			   CKPT_HDR_TASK_SIGNALS);
	if (!h)
		goto out;

	spin_lock_irq(&ckpt_task_sighand(t)->siglock);
	h->blocked = t->blocked.sig[0];
	if (test_tsk_restore_sigmask(t)) {
		h->flags |= CKPT_SIGNALS_RESTORE_MASK;
		h->saved_sigmask = t->saved_sigmask.sig[0];
	}
	if (thread_group_leader(t))
		ckpt_group_stop(t, h);
	spin_unlock_irq(&ckpt_task_sighand(t)->siglock);
	if (t->sas_ss_size) {
		h->altstack_sp = t->sas_ss_sp;
		h->altstack_size = t->sas_ss_size;
		h->altstack_flags = t->sas_ss_flags;
	} else {
		h->altstack_flags = SS_DISABLE;
	}
	h->nr_pending = nr;
	memcpy(h + 1, pending, nr * CKPT_SIGINFO_SIZE);
	err = ckpt_write_record(ctx, &h->h);
	kvfree(h);
out:
	kvfree(pending);
	return err;
}

/* ---------------------------------------------------------------- */
/* Restart                                                            */

#define CKPT_SA_FLAGS_KNOWN						\
	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK |	\
	 SA_RESTART | SA_NODEFER | SA_RESETHAND | SA_RESTORER |		\
	 SA_EXPOSE_TAGBITS | SA_UNSUPPORTED)

static int restore_check_sigaction(struct ckpt_ctx *ctx, int sig,
				   const struct ckpt_sigaction *a)
{
	if (a->flags & ~(u64)CKPT_SA_FLAGS_KNOWN)
		return ckpt_err(ctx, -EINVAL, "signal %d: unknown flags %#llx",
				sig, a->flags);
	if (a->handler > 1 && a->handler >= TASK_SIZE_MAX)
		return ckpt_err(ctx, -EINVAL, "signal %d: handler outside user space",
				sig);
	if (sig_kernel_only(sig) && (a->handler || a->flags))
		return ckpt_err(ctx, -EINVAL, "signal %d cannot have a handler",
				sig);
	return 0;
}

static int restore_sighand(struct ckpt_ctx *ctx,
			   const struct ckpt_hdr_sighand *h)
{
	int sig, err;

	for (sig = 1; sig <= CKPT_NSIG; sig++) {
		const struct ckpt_sigaction *a = &h->action[sig - 1];
		struct k_sigaction ka = { };

		if (sig_kernel_only(sig))
			continue;
		ka.sa.sa_handler = (__sighandler_t)(unsigned long)a->handler;
		ka.sa.sa_flags = a->flags;
#ifdef __ARCH_HAS_SA_RESTORER
		ka.sa.sa_restorer = (__sigrestore_t)(unsigned long)a->restorer;
#endif
		ka.sa.sa_mask.sig[0] = a->mask;
		err = do_sigaction(sig, &ka, NULL);
		if (err)
			return ckpt_err(ctx, err, "signal %d: cannot set its action",
					sig);
	}
	return 0;
}

/*
 * The handlers are checked, and when restoring given to current, as
 * soon as they are read: they belong to the task that reads them.
 */
static void *ckpt_sighand_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_sighand *h = container_of(hdr, struct ckpt_hdr_sighand,
						  h.h);
	int sig, err;

	if (h->h.h.len != sizeof(*h))
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "length %u, expected %zu",
					h->h.h.len, sizeof(*h)));
	err = ckpt_check_own(ctx, CKPT_PIDS_SHARE_SIGHAND, "signal handlers");
	if (err)
		return ERR_PTR(err);
	for (sig = 1; sig <= CKPT_NSIG; sig++) {
		err = restore_check_sigaction(ctx, sig, &h->action[sig - 1]);
		if (err)
			return ERR_PTR(err);
	}
	if (ckpt_restoring(ctx)) {
		err = restore_sighand(ctx, h);
		if (err)
			return ERR_PTR(err);
	}
	/* Nothing to keep: the objref only says who shares it. */
	return ZERO_SIZE_PTR;
}

/* A pending SIGSTOP, queued again once the restart succeeded. */
struct ckpt_late_stop {
	struct list_head list;
	struct task_struct *task;
	enum pid_type type;	/* PIDTYPE_TGID: for the process */
	kernel_siginfo_t info;
};

/*
 * A run of saved siginfos, checked.  For the signal object of a process,
 * also what it takes on once the restart succeeded: the stop that the
 * record of its leader has, and the SIGSTOPs pending for it or its
 * threads.
 */
struct ckpt_pending_set {
	unsigned int nr;
	int checkpoint_signal;	/* of a process, see notify.c */
	u32 stop;		/* CKPT_SIGNALS_STOP* */
	u32 stop_code;
	struct task_struct *leader;	/* restored, with its stop */
	struct list_head stops;		/* of struct ckpt_late_stop */
	kernel_siginfo_t info[];
};

static struct ckpt_pending_set *restore_pending(struct ckpt_ctx *ctx,
						const void *data,
						unsigned int nr)
{
	const size_t ksize = sizeof(kernel_siginfo_t);
	struct ckpt_pending_set *set;
	unsigned int i;
	int err;

	BUILD_BUG_ON(sizeof(siginfo_t) != CKPT_SIGINFO_SIZE);
	set = kvzalloc(struct_size(set, info, nr), GFP_KERNEL);
	if (!set)
		return ERR_PTR(-ENOMEM);
	set->nr = nr;
	INIT_LIST_HEAD(&set->stops);
	for (i = 0; i < nr; i++) {
		const void *si = data + i * CKPT_SIGINFO_SIZE;

		memcpy(&set->info[i], si, ksize);
		err = ckpt_check_zero(ctx, si + ksize, CKPT_SIGINFO_SIZE - ksize,
				      "siginfo padding");
		if (!err && !valid_signal(set->info[i].si_signo))
			err = ckpt_err(ctx, -EINVAL, "pending signal %d is not a signal",
				       set->info[i].si_signo);
		if (!err && !set->info[i].si_signo)
			err = ckpt_err(ctx, -EINVAL, "pending signal 0");
		if (err) {
			kvfree(set);
			return ERR_PTR(err);
		}
	}
	return set;
}

/*
 * Arm ITIMER_REAL of current's process, which restart(2) just created:
 * its timer is not running.  One whose SIGALRM is pending only gets its
 * interval: taking the restored signal arms it.  As setitimer(2) does,
 * under siglock, which the timer's handler takes too.
 */
static void restore_itimer_real(const struct ckpt_hdr_signal *h)
{
	struct signal_struct *sig = current->signal;

	spin_lock_irq(&ckpt_task_sighand(current)->siglock);
	sig->it_real_incr = ns_to_ktime(h->it_real_interval);
	if (h->it_real_value)
		hrtimer_start(&sig->real_timer, ns_to_ktime(h->it_real_value),
			      HRTIMER_MODE_REL);
	spin_unlock_irq(&ckpt_task_sighand(current)->siglock);
}

/*
 * Arm ITIMER_VIRTUAL or ITIMER_PROF of current's process with @value
 * nanoseconds of its CPU time, as setitimer(2) does.
 */
static void restore_itimer_cpu(unsigned int clock_id, s64 value, s64 interval)
{
	struct cpu_itimer *it = &current->signal->it[clock_id];
	/* Unlike setitimer(), no tick added: the saved value has it. */
	u64 expires = value, old = 0;

	if (!value)
		return;
	spin_lock_irq(&ckpt_task_sighand(current)->siglock);
	/* Turns the relative expiry into CPU time of the process. */
	set_process_cpu_timer(current, clock_id, &expires, &old);
	it->expires = expires;
	it->incr = interval;
	spin_unlock_irq(&ckpt_task_sighand(current)->siglock);
}

static void *ckpt_signal_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_signal *h = container_of(hdr, struct ckpt_hdr_signal,
						 h.h);
	struct ckpt_pending_set *set;
	int err;

	err = ckpt_check_own(ctx, 0, "signal state");
	if (err)
		return ERR_PTR(err);
	if (h->nr_pending > CKPT_PENDING_MAX)
		return ERR_PTR(ckpt_err(ctx, -E2BIG, "nr_pending %u is above %d",
					h->nr_pending, CKPT_PENDING_MAX));
	if (h->h.h.len != sizeof(*h) + h->nr_pending * CKPT_SIGINFO_SIZE)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"length %u does not match nr_pending %u",
					h->h.h.len, h->nr_pending));
	if (h->checkpoint_signal < 0 || !valid_signal(h->checkpoint_signal) ||
	    sig_kernel_only(h->checkpoint_signal))
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "checkpoint_signal %d",
					h->checkpoint_signal));
	if (h->it_real_value < 0 || h->it_real_interval < 0 ||
	    h->it_virt_value < 0 || h->it_virt_interval < 0 ||
	    h->it_prof_value < 0 || h->it_prof_interval < 0)
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "negative interval timer times"));
	/* Beyond this, the CPU time of the process would wrap around. */
	if (h->it_virt_value > KTIME_MAX / 2 || h->it_prof_value > KTIME_MAX / 2)
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "CPU time interval timer too far"));
	if (ckpt_restoring(ctx)) {
		restore_itimer_real(h);
		restore_itimer_cpu(CPUCLOCK_VIRT, h->it_virt_value,
				   h->it_virt_interval);
		restore_itimer_cpu(CPUCLOCK_PROF, h->it_prof_value,
				   h->it_prof_interval);
	}
	/* Queued by the task signals record of its first task. */
	set = restore_pending(ctx, h + 1, h->nr_pending);
	if (!IS_ERR(set))
		set->checkpoint_signal = h->checkpoint_signal;
	return set;
}

/* The signal a restored process had registered for checkpoints, or 0. */
int ckpt_signal_notify(const void *shared)
{
	const struct ckpt_pending_set *set = shared;

	return set->checkpoint_signal;
}

static void ckpt_signal_release(void *ptr)
{
	struct ckpt_pending_set *set = ptr;
	struct ckpt_late_stop *stop, *next;

	list_for_each_entry_safe(stop, next, &set->stops, list) {
		put_task_struct(stop->task);
		kfree(stop);
	}
	if (set->leader)
		put_task_struct(set->leader);
	kvfree(set);
}

/*
 * Keep a SIGKILL for ckpt_task_signals_commit(), the first one for
 * current, and for its process: the queue would not take another.
 */
static void restore_queue_kill(struct ckpt_signals_late *late,
			       const kernel_siginfo_t *info, bool shared)
{
	unsigned int i;

	for (i = 0; i < late->nr; i++)
		if (late->shared[i] == shared)
			return;
	if (WARN_ON_ONCE(late->nr == CKPT_SIGNALS_LATE_MAX))
		return;
	late->info[late->nr] = *info;
	late->shared[late->nr++] = shared;
}

/*
 * Keep a SIGSTOP for current, or for its process, in the signal object
 * of its process, for ckpt_signal_commit().  Returns 0 or -ENOMEM.
 */
static int restore_queue_stop(struct ckpt_pending_set *obj,
			      const kernel_siginfo_t *info, bool shared)
{
	enum pid_type type = shared ? PIDTYPE_TGID : PIDTYPE_PID;
	struct ckpt_late_stop *stop;

	list_for_each_entry(stop, &obj->stops, list)
		if (stop->task == current && stop->type == type)
			return 0;
	stop = kmalloc(sizeof(*stop), GFP_KERNEL);
	if (!stop)
		return -ENOMEM;
	stop->task = get_task_struct(current);
	stop->type = type;
	stop->info = *info;
	list_add_tail(&stop->list, &obj->stops);
	return 0;
}

/*
 * Queue saved signals again, for current alone or for its process, whose
 * signal object is @obj.  The signal of a POSIX timer is queued as that
 * timer's, in its place.  SIGKILL and SIGSTOP, which the mask of a task
 * being restored does not block, are kept for later: queued now, they
 * would end its restart, or make the tasks it creates fail.
 */
static int restore_queue(const struct ckpt_pending_set *set, bool shared,
			 struct ckpt_posix_timers *timers,
			 struct ckpt_signals_late *late,
			 struct ckpt_pending_set *obj)
{
	unsigned int i;
	int err;

	for (i = 0; i < set->nr; i++) {
		kernel_siginfo_t info = set->info[i];

		if (ckpt_posix_timer_queue(timers, &info))
			continue;
		if (info.si_signo == SIGKILL) {
			restore_queue_kill(late, &info, shared);
			continue;
		}
		if (info.si_signo == SIGSTOP) {
			err = restore_queue_stop(obj, &info, shared);
			if (err)
				return err;
			continue;
		}
		spin_lock_irq(&ckpt_task_sighand(current)->siglock);
		send_signal_locked(info.si_signo, &info, current,
				   shared ? PIDTYPE_TGID : PIDTYPE_PID);
		spin_unlock_irq(&ckpt_task_sighand(current)->siglock);
	}
	return 0;
}

static int restore_check_task_signals(struct ckpt_ctx *ctx,
				      const struct ckpt_hdr_task_signals *h)
{
	if (h->flags & ~CKPT_SIGNALS_FLAGS_ALL)
		return ckpt_err(ctx, -EINVAL, "unknown flags %#x", h->flags);
	if (!(h->flags & CKPT_SIGNALS_RESTORE_MASK) && h->saved_sigmask)
		return ckpt_err(ctx, -EINVAL, "saved_sigmask without its flag");
	if (h->nr_pending > CKPT_PENDING_MAX)
		return ckpt_err(ctx, -E2BIG, "nr_pending %u is above %d",
				h->nr_pending, CKPT_PENDING_MAX);
	if (h->h.len != sizeof(*h) + h->nr_pending * CKPT_SIGINFO_SIZE)
		return ckpt_err(ctx, -EINVAL, "length %u does not match nr_pending %u",
				h->h.len, h->nr_pending);
	if (h->altstack_flags == SS_DISABLE) {
		if (h->altstack_sp || h->altstack_size)
			return ckpt_err(ctx, -EINVAL, "a disabled altstack with a size");
	} else if (h->altstack_flags & ~SS_AUTODISARM ||
		   h->altstack_size > TASK_SIZE_MAX ||
		   h->altstack_sp > TASK_SIZE_MAX - h->altstack_size ||
		   h->altstack_size < MINSIGSTKSZ) {
		return ckpt_err(ctx, -EINVAL, "bad altstack %#llx+%#llx, flags %#x",
				h->altstack_sp, h->altstack_size,
				h->altstack_flags);
	}
	return 0;
}

/*
 * The stop of a process, in the record of its leader: stopped (its
 * report collected or not) or stopping, by a stop signal.
 */
static int restore_check_stop(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_task_signals *h,
			      bool leader)
{
	u32 stop = h->flags & CKPT_SIGNALS_STOP_MASK;

	if (!stop) {
		if (h->stop_code)
			return ckpt_err(ctx, -EINVAL, "stop_code %u without a stop",
					h->stop_code);
		return 0;
	}
	if (!leader)
		return ckpt_err(ctx, -EINVAL,
				"the stop of a process on a thread that does not lead it");
	if (stop != CKPT_SIGNALS_STOPPED && stop != CKPT_SIGNALS_STOPPING &&
	    stop != (CKPT_SIGNALS_STOPPED | CKPT_SIGNALS_STOP_REPORTED))
		return ckpt_err(ctx, -EINVAL, "stop flags %#x", stop);
	if (!h->stop_code || !valid_signal(h->stop_code) ||
	    !sig_kernel_stop(h->stop_code))
		return ckpt_err(ctx, -EINVAL, "stop_code %u is not a stop signal",
				h->stop_code);
	return 0;
}

/*
 * Stop the process of @set again, before any of its threads runs: every
 * thread joins the stop, as do_signal_stop() has them, and stops as it
 * returns to user mode.  A process that was stopped is stopped at once,
 * with the report of the stop for its parent as it was, or none once
 * collected; one that was stopping has its parent told when the last of
 * its threads stops, as it would have.
 */
static void restore_group_stop(struct ckpt_pending_set *set)
{
	struct task_struct *p = set->leader, *t;
	bool stopping = set->stop & CKPT_SIGNALS_STOPPING;
	unsigned long mask = set->stop_code | JOBCTL_STOP_PENDING;
	struct signal_struct *sig = p->signal;
	struct sighand_struct *sighand;
	unsigned long flags;
	unsigned int n = 0;

	if (stopping)
		mask |= JOBCTL_STOP_CONSUME;
	sighand = lock_task_sighand(p, &flags);
	if (!sighand)
		return;
	if (!(sig->flags & SIGNAL_GROUP_EXIT) && !sig->group_exec_task) {
		for_each_thread(p, t) {
			if (task_set_jobctl_pending(t, mask)) {
				signal_wake_up(t, 0);
				n++;
			}
		}
		if (!stopping) {
			signal_set_stop_flags(sig, SIGNAL_STOP_STOPPED);
			sig->group_exit_code =
				set->stop & CKPT_SIGNALS_STOP_REPORTED ?
				0 : set->stop_code;
		} else if (n) {
			sig->group_stop_count = n;
			sig->group_exit_code = set->stop_code;
		}
	}
	spin_unlock_irqrestore(&sighand->siglock, flags);
}

/*
 * The restart succeeded and no restored task runs yet: stop the process
 * if it was, and queue the SIGSTOPs that were pending.
 */
static void ckpt_signal_commit(struct ckpt_ctx *ctx, void *ptr)
{
	struct ckpt_pending_set *set = ptr;
	struct sighand_struct *sighand;
	struct ckpt_late_stop *stop;
	unsigned long flags;

	if (set->leader && set->stop)
		restore_group_stop(set);
	list_for_each_entry(stop, &set->stops, list) {
		sighand = lock_task_sighand(stop->task, &flags);
		if (!sighand)
			continue;
		send_signal_locked(SIGSTOP, &stop->info, stop->task,
				   stop->type);
		spin_unlock_irqrestore(&sighand->siglock, flags);
	}
}

/**
 * ckpt_task_signals_commit - give current the signal state it takes last
 * @late:	as ckpt_read_task_signals() left it
 *
 * Sets current's mask, and queues a SIGKILL that was pending.
 */
void ckpt_task_signals_commit(struct ckpt_signals_late *late)
{
	struct sighand_struct *sighand = ckpt_task_sighand(current);
	unsigned int i;

	set_current_blocked(&late->blocked);
	spin_lock_irq(&sighand->siglock);
	for (i = 0; i < late->nr; i++)
		send_signal_locked(SIGKILL, &late->info[i], current,
				   late->shared[i] ? PIDTYPE_TGID : PIDTYPE_PID);
	spin_unlock_irq(&sighand->siglock);
}

/* Set current's alternate signal stack, as sigaltstack(2) would. */
static int restore_sigaltstack(struct ckpt_ctx *ctx,
			       const struct ckpt_hdr_task_signals *h)
{
	struct sighand_struct *sighand = ckpt_task_sighand(current);
	bool disable = h->altstack_flags == SS_DISABLE;
	int err = 0;

	spin_lock_irq(&sighand->siglock);
	/* Large enough for the signal frames of this task's FPU state? */
	if (!disable && !sigaltstack_size_valid(h->altstack_size)) {
		err = -ENOMEM;
	} else {
		current->sas_ss_sp = h->altstack_sp;
		current->sas_ss_size = h->altstack_size;
		current->sas_ss_flags = disable ? 0 : h->altstack_flags;
	}
	spin_unlock_irq(&sighand->siglock);
	if (err)
		return ckpt_err(ctx, err, "altstack of %llu bytes is too small",
				h->altstack_size);
	return 0;
}

/**
 * ckpt_read_task_signals - read the signal state of one task
 * @ctx:	restart context
 * @signal:	the signal object of the task's process
 * @leader:	whether the task leads its process: it queues the signals
 *		pending for all of it, and its record has its stop
 * @timers:	the process's POSIX timers, if this task made them
 * @late:	when restoring: set to what the task takes on last
 *
 * When restoring, current gets the state, the shared signals and then
 * its own are queued again, and then the timers are armed.  Its mask and
 * SIGKILL are given last, by ckpt_task_signals_commit(); the stop of its
 * process and SIGSTOP, by the commit of the signal object.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_task_signals(struct ckpt_ctx *ctx, void *signal, bool leader,
			   struct ckpt_posix_timers *timers,
			   struct ckpt_signals_late *late)
{
	struct ckpt_pending_set *obj = signal;
	struct ckpt_hdr_task_signals *h;
	struct ckpt_pending_set *set;
	int err;

	h = ckpt_read_record(ctx, CKPT_HDR_TASK_SIGNALS, sizeof(*h),
			     sizeof(*h) + CKPT_PENDING_MAX * CKPT_SIGINFO_SIZE);
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = restore_check_task_signals(ctx, h) ?:
	      restore_check_stop(ctx, h, leader);
	if (err)
		goto out;
	set = restore_pending(ctx, h + 1, h->nr_pending);
	if (IS_ERR(set)) {
		err = PTR_ERR(set);
		goto out;
	}

	if (ckpt_restoring(ctx)) {
		sigemptyset(&late->blocked);
		late->blocked.sig[0] = h->blocked;
		if (h->flags & CKPT_SIGNALS_RESTORE_MASK) {
			current->saved_sigmask.sig[0] = h->saved_sigmask;
			set_restore_sigmask();
		}
		if (leader && h->flags & CKPT_SIGNALS_STOP_MASK) {
			obj->stop = h->flags & CKPT_SIGNALS_STOP_MASK;
			obj->stop_code = h->stop_code;
			obj->leader = get_task_struct(current);
		}
		err = restore_sigaltstack(ctx, h) ?:
		      (leader ? restore_queue(obj, true, timers, late, obj) : 0) ?:
		      restore_queue(set, false, timers, late, obj) ?:
		      ckpt_posix_timers_start(ctx, timers);
	}
	kvfree(set);
out:
	kvfree(h);
	return err;
}

static unsigned long ckpt_sighand_users(void *ptr)
{
	struct sighand_struct *sighand = ptr;

	return refcount_read(&sighand->count) - 1;
}

const struct ckpt_obj_ops ckpt_sighand_ops = {
	.type = CKPT_HDR_SIGHAND,
	.name = "sighand",
	.min_len = sizeof(struct ckpt_hdr_sighand),
	.max_len = sizeof(struct ckpt_hdr_sighand),
	.grab = ckpt_sighand_grab,
	.drop = ckpt_sighand_drop,
	.checkpoint = ckpt_sighand_checkpoint,
	.restore = ckpt_sighand_restore,
	.release = ckpt_obj_nop,
	.users = ckpt_sighand_users,
};

const struct ckpt_obj_ops ckpt_signal_ops = {
	.type = CKPT_HDR_SIGNAL,
	.name = "signal",
	.min_len = sizeof(struct ckpt_hdr_signal),
	.max_len = sizeof(struct ckpt_hdr_signal) +
		   CKPT_PENDING_MAX * CKPT_SIGINFO_SIZE,
	/* It lives as long as the pinned tasks that use it. */
	.grab = ckpt_obj_nop,
	.drop = ckpt_obj_nop,
	.checkpoint = ckpt_signal_checkpoint,
	.restore = ckpt_signal_restore,
	.release = ckpt_signal_release,
	.commit = ckpt_signal_commit,
};
