// SPDX-License-Identifier: LGPL-2.1
/*
 * libcr: BLCR's programming interface on Linux's in-kernel
 * checkpoint/restart.
 *
 * How it works
 * ============
 *
 * cr_init() registers the process with
 * prctl(PR_SET_CHECKPOINT_SIGNAL, sig): SIGRTMAX - 2 unless the
 * environment variable LIBCR_SIGNAL names another one (a number).  It
 * installs an SA_SIGINFO | SA_RESTART handler for that signal and
 * starts the "callback thread", a libcr thread with every signal
 * blocked.  Each thread that calls cr_init() becomes a client with its
 * own id; a forked child registers again and gets a new callback thread
 * (pthread_atfork), as the registration is not inherited.
 *
 * When checkpoint(2) is about to save the process, the kernel sends the
 * signal with si_code SI_KERNEL.  The handler, in whichever thread it
 * runs, only wakes the callback thread, which coordinates:
 *
 *  1. It marks the process PENDING and waits until no critical section
 *     (cr_enter_cs()) is held, then marks it ACTIVE.
 *  2. It runs the thread-context callbacks nested, newest first: the
 *     cr_checkpoint() call of each runs the next older one, and that of
 *     the oldest goes on to step 3.  A callback that does not call
 *     cr_checkpoint() gets it called when it returns.
 *  3. It sends every client thread the same signal with tgkill(); the
 *     handler sees si_code SI_TKILL from its own process and a request
 *     for it, and runs that thread's signal-context callbacks nested the
 *     same way.  The innermost cr_checkpoint() of each thread reports
 *     arrival and waits.
 *  4. When all have arrived, the callback thread answers the kernel:
 *     prctl(PR_CHECKPOINT_READY, PR_CHECKPOINT_OK), or OMIT, FAIL_TEMP
 *     or FAIL_PERM (with the user's code) if a callback asked for it.
 *     With OK the call returns when the checkpoint is over: 0 if it was
 *     written, > 0 in a process restored from the image (the pid of the
 *     restart(2) caller), < 0 if it failed.  The other client threads
 *     wait in their handlers meanwhile, so the image holds them there.
 *  5. Every waiting cr_checkpoint() returns the outcome: 0, that pid,
 *     or -CR_ETEMPFAIL, -CR_EPERMFAIL, -CR_EOMITTED.  The code after it
 *     runs oldest first in each chain, then the hooks of each thread,
 *     then the threads wait at the hold barrier (cr_hold_ctrl()) until
 *     every chain is done, and the process is IDLE again.
 *
 * Threads that never called cr_init() are not disturbed: the kernel
 * holds them where they are.
 *
 * The kernel does not notify the process that calls checkpoint(2) on a
 * set containing itself.  So when a process asks for its own checkpoint
 * (cr_request_checkpoint() with itself in the scope, or the legacy
 * cr_request*()), the callback thread runs the same steps and its
 * innermost step calls checkpoint(2) itself instead of answering: a
 * positive return means the image was written, 0 that this is the
 * restored copy (then cr_checkpoint() returns the pid of our parent,
 * the usual caller of restart(2), or 1).  Requests of other processes
 * run checkpoint(2) or restart(2) in a detached libcr thread; cr_wait_*,
 * cr_log_* and cr_reap_* read its result (request.c).
 *
 * libcr keeps no file descriptors open between calls and sleeps only on
 * futexes, so that a process using it can be checkpointed as it is.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "cr_private.h"

int cr_link_me;

int cri_signal CR_HIDDEN;
pthread_mutex_t cri_lock CR_HIDDEN = PTHREAD_MUTEX_INITIALIZER;
bool cri_ready CR_HIDDEN;		/* cri_global_init() succeeded */
char cri_timer_cookie CR_HIDDEN;	/* our timers' sigev_value */
bool cri_omit CR_HIDDEN;		/* libcr_omit: answer OMIT */

/* A thread that called cr_init() */
struct cr_client {
	struct cr_client *next;
	pid_t tid;
	cr_client_id_t id;
	int persist;			/* cr_inc_persist() */
	int hold;			/* CR_HOLD_* of the thread scope */
	struct cr_run *poke;		/* a checkpoint asks it to take part */
};

/* A registered callback; ids are indexes, in registration order. */
struct cr_cb {
	cr_callback_t func;		/* NULL: disabled */
	void *arg;
	int ctx;			/* CR_THREAD_CONTEXT or CR_SIGNAL_CONTEXT */
	struct cr_client *owner;	/* the thread of a signal-context one */
};

enum run_kind {
	RUN_KERNEL,			/* the kernel told us */
	RUN_SELF,			/* we checkpoint ourselves */
};

/* The checkpoint in progress: there is at most one. */
struct cr_run {
	enum run_kind kind;
	struct cri_req *req;		/* RUN_SELF */
	struct cr_checkpoint_info info;
	struct cr_restart_info rinfo;
	cr_spinlock_t lock;		/* answer and code */
	int answer;			/* PR_CHECKPOINT_*: the worst asked for */
	int code;			/* the user's error code for it */
	int result;			/* what cr_checkpoint() returns */
	bool restarted;
	bool abort;			/* a callback returned non-zero */
	int published;			/* futex word: result is known */
	int npoked;			/* client threads taking part */
	int arrived;			/* futex word: reached innermost */
	int finished;			/* futex word: chains done */
	int departed;			/* futex word: left the barrier */
};

/* A chain of callbacks being run, in one thread. */
struct cr_chain {
	struct cr_run *run;
	int ctx;
	struct cr_client *client;	/* signal context: whose */
};

/* The callback being run by this thread. */
struct cr_frame {
	struct cr_chain *chain;
	int idx;
	bool called;			/* cr_checkpoint() was called */
	int ret;			/* and returned this */
};

static struct {
	int state;			/* futex word: CR_STATE_* */
	int cs_count;			/* futex word: sections held */
	int wake;			/* futex word: callback thread work */
	int kern_pending;		/* a notification waits */
	pid_t kern_requester;
	struct sigaction prev;		/* the handler we replaced */
	struct cr_client *clients;
	int next_id;
	struct cr_cb *cbs;
	int ncbs, cap;
	struct cri_req *queue, **qtail;
	int hold_init, hold_uninit;
	cr_hook_fn_t hooks[CR_NUM_HOOKS];
	pthread_key_t key;
	int init_err;
} g = {
	.hold_init = CR_HOLD_BOTH,
	.hold_uninit = CR_HOLD_BOTH,
};

static struct cr_run run;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static __thread CR_INITIAL_EXEC struct {
	struct cr_client *client;
	struct cr_frame *frame;		/* in a callback */
	int cs_held;			/* critical sections held */
	bool in_ckpt;			/* taking part in a checkpoint */
} tls;

/* ------------------------------------------------------------------ */
/* Locking: the handler never runs in a thread that holds cri_lock.    */

void cri_lock_all(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	if (cri_signal)
		sigaddset(&set, cri_signal);
	pthread_sigmask(SIG_BLOCK, &set, old);
	pthread_mutex_lock(&cri_lock);
}

void cri_unlock_all(const sigset_t *old)
{
	pthread_mutex_unlock(&cri_lock);
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* ------------------------------------------------------------------ */
/* Spinlocks, errors, hooks, hold control                              */

void cr_spinlock_init(cr_spinlock_t *lock)
{
	__atomic_store_n(lock, 0U, __ATOMIC_RELEASE);
}

int cr_spinlock_trylock(cr_spinlock_t *lock)
{
	return !__atomic_exchange_n(lock, 1U, __ATOMIC_ACQUIRE);
}

void cr_spinlock_lock(cr_spinlock_t *lock)
{
	while (!cr_spinlock_trylock(lock))
		while (__atomic_load_n(lock, __ATOMIC_RELAXED))
			sched_yield();
}

void cr_spinlock_unlock(cr_spinlock_t *lock)
{
	__atomic_store_n(lock, 0U, __ATOMIC_RELEASE);
}

static const char *const cr_errors[] = {
	[CR_ETEMPFAIL - CR_ETEMPFAIL] = "Temporary checkpoint failure",
	[CR_EPERMFAIL - CR_ETEMPFAIL] = "Permanent checkpoint failure",
	[CR_ENOSUPPORT - CR_ETEMPFAIL] = "Checkpoint not supported by a target (no libcr?)",
	[CR_EVERSION - CR_ETEMPFAIL] = "Unknown version of a request argument",
	[CR_EOMITTED - CR_ETEMPFAIL] = "Process omitted from the checkpoint",
	[CR_EBADARCH - CR_ETEMPFAIL] = "Image of another architecture",
	[CR_EPTRACED - CR_ETEMPFAIL] = "A target is being ptraced",
	[CR_EPTRACER - CR_ETEMPFAIL] = "A target is ptracing another process",
	[CR_ERSTRTABRT - CR_ETEMPFAIL] = "Restart aborted",
	[CR_ERESTARTED - CR_ETEMPFAIL] = "Running again after a restart",
	[CR_ENOTCB - CR_ETEMPFAIL] = "Not called from a checkpoint callback",
	[CR_ENOINIT - CR_ETEMPFAIL] = "cr_init() was not called",
};

const char *cr_strerror(int errnum)
{
	if (errnum < 0)
		errnum = -errnum;
	if (errnum >= CR_ETEMPFAIL && errnum <= CR_ENOINIT)
		return cr_errors[errnum - CR_ETEMPFAIL];
	return strerror(errnum);
}

cr_hook_fn_t cr_register_hook(cr_hook_event_t event, cr_hook_fn_t fn)
{
	if ((unsigned int)event >= CR_NUM_HOOKS) {
		errno = EINVAL;
		return CR_HOOK_FN_ERROR;
	}
	return __atomic_exchange_n(&g.hooks[event], fn, __ATOMIC_SEQ_CST);
}

static void run_hook(cr_hook_event_t event)
{
	cr_hook_fn_t fn = __atomic_load_n(&g.hooks[event], __ATOMIC_SEQ_CST);

	if (fn)
		fn(event);
}

int cr_hold_ctrl(int scope, int flags)
{
	int *p, old;

	switch (scope) {
	case CR_HOLD_SCOPE_THREAD:
		if (!tls.client) {
			errno = CR_ENOINIT;
			return -1;
		}
		p = &tls.client->hold;
		break;
	case CR_HOLD_SCOPE_INIT:
		p = &g.hold_init;
		break;
	case CR_HOLD_SCOPE_UNINIT:
		p = &g.hold_uninit;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (flags != CR_HOLD_READ &&
	    (flags < CR_HOLD_NONE ||
	     flags > (scope == CR_HOLD_SCOPE_THREAD ? CR_HOLD_DFLT : CR_HOLD_BOTH) ||
	     (flags > CR_HOLD_BOTH && flags != CR_HOLD_DFLT))) {
		errno = EINVAL;
		return -1;
	}
	if (flags == CR_HOLD_READ)
		return cri_load(p);
	old = __atomic_exchange_n(p, flags, __ATOMIC_SEQ_CST);
	return old;
}

/* ------------------------------------------------------------------ */
/* Registration                                                        */

static void cri_handler(int sig, siginfo_t *si, void *uc);
static void *callback_thread(void *unused);

static int start_callback_thread(void)
{
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t t;
	int err;

	sigfillset(&all);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&t, &attr, callback_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return err;
}

static int pick_signal(void)
{
	const char *env = getenv("LIBCR_SIGNAL");
	char *end;
	long sig;

	if (env && *env) {
		sig = strtol(env, &end, 0);
		if (!*end && sig > 0 && sig <= SIGRTMAX && sig != SIGKILL &&
		    sig != SIGSTOP)
			return sig;
	}
	return SIGRTMAX - 2;
}

static int register_with_kernel(void)
{
	if (prctl(PR_SET_CHECKPOINT_SIGNAL, cri_signal, 0, 0, 0)) {
		/* EINVAL: a kernel that does not know the option */
		return errno == EINVAL || errno == ENOSYS ? ENOSYS : errno;
	}
	return 0;
}

static void client_free(struct cr_client *c);
static void atfork_prepare(void);
static void atfork_parent(void);
static void atfork_child(void);

static void global_init(void)
{
	struct sigaction sa;
	int err;

	cri_signal = pick_signal();
	g.qtail = &g.queue;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = cri_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(cri_signal, &sa, &g.prev)) {
		g.init_err = errno;
		return;
	}
	err = register_with_kernel();
	if (!err)
		err = pthread_key_create(&g.key, (void (*)(void *))client_free);
	if (!err)
		err = pthread_atfork(atfork_prepare, atfork_parent,
				     atfork_child);
	if (!err)
		err = start_callback_thread();
	if (err) {
		prctl(PR_SET_CHECKPOINT_SIGNAL, 0, 0, 0, 0);
		sigaction(cri_signal, &g.prev, NULL);
		g.init_err = err;
		return;
	}
	cri_ready = true;
}

int cri_global_init(void)
{
	pthread_once(&once, global_init);
	return cri_ready ? 0 : g.init_err;
}

cr_client_id_t cr_init(void)
{
	struct cr_client *c;
	sigset_t old;
	int err;

	if (tls.client)
		return tls.client->id;
	err = cri_global_init();
	if (err) {
		errno = err;
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		errno = ENOMEM;
		return -1;
	}
	c->tid = gettid();
	c->hold = CR_HOLD_DFLT;
	cri_lock_all(&old);
	c->id = g.next_id++;
	c->next = g.clients;
	g.clients = c;
	tls.client = c;
	cri_unlock_all(&old);
	pthread_setspecific(g.key, c);
	return c->id;
}

/* A checkpoint asked this thread to take part: do it now. */
static void take_part(struct cr_run *r, struct cr_client *c);

/* The thread's libcr data, at thread exit (a TLS destructor). */
static void client_free(struct cr_client *c)
{
	struct cr_client **pp;
	struct cr_run *r;
	sigset_t old;

	if (c->persist > 0) {
		/* Asked to live on: come back in the next round. */
		pthread_setspecific(g.key, c);
		return;
	}
	for (;;) {
		cri_lock_all(&old);
		r = __atomic_exchange_n(&c->poke, NULL, __ATOMIC_SEQ_CST);
		if (!r)
			break;
		cri_unlock_all(&old);
		take_part(r, c);
	}
	for (pp = &g.clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	tls.client = NULL;
	if (tls.cs_held && cri_add(&g.cs_count, -tls.cs_held) == 0)
		cri_futex_wake(&g.cs_count);
	tls.cs_held = 0;
	cri_unlock_all(&old);
	free(c);
}

int cr_inc_persist(void)
{
	if (!tls.client) {
		errno = CR_ENOINIT;
		return -1;
	}
	tls.client->persist++;
	return 0;
}

int cr_dec_persist(void)
{
	if (!tls.client) {
		errno = CR_ENOINIT;
		return -1;
	}
	if (tls.client->persist <= 0) {
		errno = EINVAL;
		return -1;
	}
	tls.client->persist--;
	return 0;
}

static sigset_t fork_mask;

static void atfork_prepare(void)
{
	cri_lock_all(&fork_mask);
}

static void atfork_parent(void)
{
	cri_unlock_all(&fork_mask);
}

/*
 * In the child only this thread exists, the kernel forgot our
 * registration and no checkpoint concerns us.
 */
static void atfork_child(void)
{
	struct cr_client *c, *next;

	pthread_mutex_init(&cri_lock, NULL);
	for (c = g.clients; c; c = next) {
		next = c->next;
		if (c != tls.client)
			free(c);
	}
	g.clients = tls.client;
	if (tls.client) {
		tls.client->next = NULL;
		tls.client->tid = gettid();
		tls.client->poke = NULL;
	}
	g.state = CR_STATE_IDLE;
	g.cs_count = tls.cs_held;
	g.kern_pending = 0;
	g.queue = NULL;
	g.qtail = &g.queue;
	cri_requests_after_fork();
	if (register_with_kernel() || start_callback_thread())
		cri_ready = false;	/* the child cannot be told */
	pthread_sigmask(SIG_SETMASK, &fork_mask, NULL);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */

cr_callback_id_t cr_register_callback(cr_callback_t func, void *arg,
				      int flags)
{
	int ctx = flags & (CR_THREAD_CONTEXT | CR_SIGNAL_CONTEXT);
	struct cr_cb *cb;
	sigset_t old;
	int id;

	if (!tls.client) {
		errno = CR_ENOINIT;
		return -1;
	}
	if (ctx != CR_THREAD_CONTEXT && ctx != CR_SIGNAL_CONTEXT) {
		errno = EINVAL;
		return -1;
	}
	if (tls.frame || tls.in_ckpt) {
		errno = EBUSY;
		return -1;
	}
	cri_lock_all(&old);
	if (g.ncbs >= CR_MAX_CALLBACKS) {
		cri_unlock_all(&old);
		errno = ENOSPC;
		return -1;
	}
	if (g.ncbs == g.cap) {
		int cap = g.cap ? 2 * g.cap : 16;

		cb = realloc(g.cbs, cap * sizeof(*cb));
		if (!cb) {
			cri_unlock_all(&old);
			errno = ENOMEM;
			return -1;
		}
		g.cbs = cb;
		g.cap = cap;
	}
	id = g.ncbs++;
	cb = &g.cbs[id];
	cb->func = func;
	cb->arg = arg;
	cb->ctx = ctx;
	cb->owner = tls.client;
	cri_unlock_all(&old);
	return id;
}

static int replace(cr_callback_id_t id, cr_callback_t func, void *arg,
		   int flags)
{
	int ctx = flags & (CR_THREAD_CONTEXT | CR_SIGNAL_CONTEXT);
	sigset_t old;
	int err = 0;

	cri_lock_all(&old);
	if (id < 0 || id >= g.ncbs || g.cbs[id].ctx != ctx) {
		err = EINVAL;
	} else {
		g.cbs[id].func = func;
		g.cbs[id].arg = arg;
	}
	cri_unlock_all(&old);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int cr_replace_callback(cr_callback_id_t id, cr_callback_t func, void *arg,
			int flags)
{
	if (!cri_ready) {
		errno = CR_ENOINIT;
		return -1;
	}
	return replace(id, func, arg, flags);
}

int cr_replace_self(cr_callback_t func, void *arg, int flags)
{
	if (!tls.frame) {
		errno = CR_ENOTCB;
		return -1;
	}
	return replace(tls.frame->idx, func, arg, flags);
}

/* ------------------------------------------------------------------ */
/* Critical sections and status                                        */

static bool id_valid(cr_client_id_t id)
{
	return id >= 0 && id < cri_load(&g.next_id);
}

/* The calling thread can take part in a checkpoint now. */
static bool can_take_part(void)
{
	sigset_t cur;

	if (!tls.client || pthread_sigmask(SIG_BLOCK, NULL, &cur))
		return false;
	return !sigismember(&cur, cri_signal);
}

int cr_enter_cs(cr_client_id_t id)
{
	if (tls.frame || tls.in_ckpt)
		return 0;	/* a callback: checkpoints wait already */
	if (!cri_ready) {
		errno = CR_ENOINIT;
		return -1;
	}
	if (!id_valid(id)) {
		errno = EINVAL;
		return -1;
	}
	for (;;) {
		if (!tls.cs_held)
			cri_wait_for(&g.state, CR_STATE_IDLE);
		cri_add(&g.cs_count, 1);
		if (tls.cs_held || cri_load(&g.state) == CR_STATE_IDLE)
			break;
		/* A checkpoint came first: let it run. */
		if (cri_add(&g.cs_count, -1) == 0)
			cri_futex_wake(&g.cs_count);
	}
	tls.cs_held++;
	return 0;
}

int cr_tryenter_cs(cr_client_id_t id)
{
	if (tls.frame || tls.in_ckpt)
		return 0;
	if (!cri_ready) {
		errno = CR_ENOINIT;
		return -1;
	}
	if (!id_valid(id)) {
		errno = EINVAL;
		return -1;
	}
	if (!tls.cs_held) {
		if (cri_load(&g.state) != CR_STATE_IDLE)
			return 1;
		cri_add(&g.cs_count, 1);
		if (cri_load(&g.state) != CR_STATE_IDLE) {
			if (cri_add(&g.cs_count, -1) == 0)
				cri_futex_wake(&g.cs_count);
			return 1;
		}
	} else {
		cri_add(&g.cs_count, 1);
	}
	tls.cs_held++;
	return 0;
}

int cr_leave_cs(cr_client_id_t id)
{
	if (tls.frame || tls.in_ckpt)
		return 0;
	if (!cri_ready) {
		errno = CR_ENOINIT;
		return -1;
	}
	if (!id_valid(id) || tls.cs_held <= 0) {
		errno = EINVAL;
		return -1;
	}
	tls.cs_held--;
	if (cri_add(&g.cs_count, -1) == 0 &&
	    cri_load(&g.state) != CR_STATE_IDLE) {
		cri_futex_wake(&g.cs_count);
		/*
		 * Let the pending checkpoint run before we return, if this
		 * thread can take its part in it (else it would wait for us).
		 */
		if (!tls.cs_held && can_take_part())
			cri_wait_for(&g.state, CR_STATE_IDLE);
	}
	return 0;
}

int cr_status(void)
{
	if (!cri_ready) {
		errno = CR_ENOINIT;
		return -1;
	}
	if (tls.frame)
		return CR_STATE_ACTIVE;
	return cri_load(&g.state) == CR_STATE_IDLE ? CR_STATE_IDLE :
						     CR_STATE_PENDING;
}

/* ------------------------------------------------------------------ */
/* Running callbacks                                                   */

/* What cr_checkpoint() returns after a failure asked for with @how. */
static int failure_result(int how)
{
	switch (how) {
	case PR_CHECKPOINT_OMIT:
		return -CR_EOMITTED;
	case PR_CHECKPOINT_FAIL_PERM:
		return -CR_EPERMFAIL;
	default:
		return -CR_ETEMPFAIL;
	}
}

/* Keep the worst failure asked for (OMIT < FAIL_TEMP < FAIL_PERM). */
static void ask(struct cr_run *r, int flags)
{
	int how, code = (unsigned int)flags >> 16;

	if (flags & CR_CHECKPOINT_PERM_FAILURE)
		how = PR_CHECKPOINT_FAIL_PERM;
	else if (flags & CR_CHECKPOINT_TEMP_FAILURE)
		how = PR_CHECKPOINT_FAIL_TEMP;
	else if (flags & CR_CHECKPOINT_OMIT)
		how = PR_CHECKPOINT_OMIT;
	else
		return;
	cr_spinlock_lock(&r->lock);
	if (how > r->answer) {
		r->answer = how;
		r->code = how == PR_CHECKPOINT_OMIT ? 0 : code;
	}
	cr_spinlock_unlock(&r->lock);
}

static int innermost(struct cr_chain *ch);

/* Run the callbacks of @ch from index @i down; return the outcome. */
static int chain_run(struct cr_chain *ch, int i)
{
	struct cr_frame f = { .chain = ch }, *prev;
	cr_callback_t func = NULL;
	void *arg = NULL;
	sigset_t old;
	int rc;

	cri_lock_all(&old);
	for (; i >= 0; i--) {
		struct cr_cb *cb = &g.cbs[i];

		if (cb->ctx == ch->ctx && cb->func &&
		    (ch->ctx == CR_THREAD_CONTEXT || cb->owner == ch->client)) {
			func = cb->func;
			arg = cb->arg;
			break;
		}
	}
	cri_unlock_all(&old);
	if (i < 0)
		return innermost(ch);

	f.idx = i;
	prev = tls.frame;
	tls.frame = &f;
	rc = func(arg);
	if (!f.called)
		cr_checkpoint(rc ? CR_CHECKPOINT_PERM_FAILURE : 0);
	if (rc)
		ch->run->abort = true;
	tls.frame = prev;
	return f.ret;
}

int cr_checkpoint(int flags)
{
	struct cr_frame *f = tls.frame;

	if (!f)
		return -CR_ENOTCB;
	if (f->called)
		return f->ret;
	f->called = true;
	if (flags & (CR_CHECKPOINT_TEMP_FAILURE | CR_CHECKPOINT_PERM_FAILURE |
		     CR_CHECKPOINT_OMIT)) {
		/* The older callbacks of the group are skipped. */
		ask(f->chain->run, flags);
		f->ret = innermost(f->chain);
	} else {
		f->ret = chain_run(f->chain, f->idx - 1);
	}
	return f->ret;
}

static bool holds(struct cr_run *r, struct cr_client *c)
{
	int h = cri_load(&c->hold);

	if (h == CR_HOLD_DFLT)
		h = cri_load(&g.hold_init);
	return h & (r->restarted ? CR_HOLD_RSTRT : CR_HOLD_CONT);
}

/* In a client thread's handler: its signal-context part. */
static void take_part(struct cr_run *r, struct cr_client *c)
{
	struct cr_chain ch = { .run = r, .ctx = CR_SIGNAL_CONTEXT,
			       .client = c };
	bool had_callbacks = false;
	sigset_t old;
	int i;

	tls.in_ckpt = true;
	cri_lock_all(&old);
	for (i = 0; i < g.ncbs; i++)
		if (g.cbs[i].ctx == CR_SIGNAL_CONTEXT && g.cbs[i].owner == c &&
		    g.cbs[i].func)
			had_callbacks = true;
	i = g.ncbs - 1;
	cri_unlock_all(&old);
	chain_run(&ch, i);
	if (had_callbacks)
		run_hook(r->restarted ? CR_HOOK_RSTRT_SIGNAL_CONTEXT :
					CR_HOOK_CONT_SIGNAL_CONTEXT);
	else
		run_hook(r->restarted ? CR_HOOK_RSTRT_NO_CALLBACKS :
					CR_HOOK_CONT_NO_CALLBACKS);
	cri_add(&r->finished, 1);
	cri_futex_wake(&r->finished);
	if (holds(r, c))
		cri_wait_for(&r->finished, r->npoked + 1);
	tls.in_ckpt = false;
	cri_add(&r->departed, 1);
	cri_futex_wake(&r->departed);
}

/* Ask every client thread to run its part; wait until all arrived. */
static void gather(struct cr_run *r)
{
	struct cr_client *c;
	pid_t pid = getpid();
	sigset_t old;
	int n = 0;

	cri_lock_all(&old);
	for (c = g.clients; c; c = c->next) {
		__atomic_store_n(&c->poke, r, __ATOMIC_SEQ_CST);
		if (syscall(SYS_tgkill, pid, c->tid, cri_signal) == 0)
			n++;
		else
			__atomic_store_n(&c->poke, NULL, __ATOMIC_SEQ_CST);
	}
	r->npoked = n;
	cri_unlock_all(&old);
	cri_wait_for(&r->arrived, n);
}

/* The end of the thread-context chain: the checkpoint itself. */
static void answer(struct cr_run *r)
{
	int how = r->answer;
	long ret;

	if (how == PR_CHECKPOINT_OK)
		gather(r);
	how = r->answer;	/* a signal-context callback may have failed */

	if (r->kind == RUN_SELF) {
		ret = cri_self_checkpoint(r->req, how, r->code);
		if (how != PR_CHECKPOINT_OK) {
			r->result = failure_result(how);
		} else if (ret > 0) {
			r->result = 0;
		} else if (ret == 0) {
			pid_t ppid = getppid();

			r->restarted = true;
			r->result = ppid > 0 ? ppid : 1;
		} else {
			r->result = ret == -ECANCELED ? -CR_EPERMFAIL :
							-CR_ETEMPFAIL;
		}
	} else if (how != PR_CHECKPOINT_OK) {
		prctl(PR_CHECKPOINT_READY, how, r->code, 0, 0);
		r->result = failure_result(how);
	} else {
		ret = prctl(PR_CHECKPOINT_READY, PR_CHECKPOINT_OK, 0, 0, 0);
		if (ret > 0) {
			r->restarted = true;
			r->result = ret;
		} else if (ret == 0) {
			r->result = 0;
		} else {
			r->result = errno == ECANCELED ? -CR_EPERMFAIL :
							 -CR_ETEMPFAIL;
		}
	}
	if (r->restarted) {
		r->rinfo.requester = r->result;
		r->rinfo.src = "";
	}
	cri_set(&r->published, 1);
}

static int innermost(struct cr_chain *ch)
{
	struct cr_run *r = ch->run;

	if (ch->ctx == CR_THREAD_CONTEXT) {
		answer(r);
	} else {
		cri_add(&r->arrived, 1);
		cri_futex_wake(&r->arrived);
		cri_wait_for(&r->published, 1);
	}
	return r->result;
}

/* The callback thread runs a whole checkpoint of its process. */
static void run_checkpoint(struct cr_run *r)
{
	struct cr_chain ch = { .run = r, .ctx = CR_THREAD_CONTEXT };
	bool had_callbacks = false;
	sigset_t old;
	int n, i;

	cri_set(&g.state, CR_STATE_PENDING);
	cri_wait_for(&g.cs_count, 0);
	cri_set(&g.state, CR_STATE_ACTIVE);

	cri_lock_all(&old);
	for (i = 0; i < g.ncbs; i++)
		if (g.cbs[i].ctx == CR_THREAD_CONTEXT && g.cbs[i].func)
			had_callbacks = true;
	i = g.ncbs - 1;
	cri_unlock_all(&old);
	tls.in_ckpt = true;
	chain_run(&ch, i);
	tls.in_ckpt = false;
	if (had_callbacks)
		run_hook(r->restarted ? CR_HOOK_RSTRT_THREAD_CONTEXT :
					CR_HOOK_CONT_THREAD_CONTEXT);
	cri_add(&r->finished, 1);
	cri_futex_wake(&r->finished);
	cri_wait_for(&r->departed, r->npoked);

	cri_lock_all(&old);
	n = g.queue || cri_load(&g.kern_pending) ? CR_STATE_PENDING :
						    CR_STATE_IDLE;
	cri_unlock_all(&old);
	cri_set(&g.state, n);
}

static void new_run(enum run_kind kind)
{
	memset(&run, 0, sizeof(run));
	run.kind = kind;
	run.answer = PR_CHECKPOINT_OK;
	run.info.dest = "";
}

static void *callback_thread(void *unused)
{
	struct cri_req *q;
	sigset_t old;
	int w;

	(void)unused;
	pthread_setname_np(pthread_self(), "libcr");
	for (;;) {
		w = cri_load(&g.wake);
		if (__atomic_exchange_n(&g.kern_pending, 0, __ATOMIC_SEQ_CST)) {
			if (cri_omit) {
				prctl(PR_CHECKPOINT_READY, PR_CHECKPOINT_OMIT,
				      0, 0, 0);
				continue;
			}
			new_run(RUN_KERNEL);
			/* What the kernel does not tell us, we guess. */
			run.info.requester = cri_load(&g.kern_requester);
			run.info.target = getpid();
			run.info.scope = CR_SCOPE_PROC;
			run_checkpoint(&run);
			if (run.abort)
				abort();
			continue;
		}
		cri_lock_all(&old);
		q = g.queue;
		if (q) {
			g.queue = q->qnext;
			if (!g.queue)
				g.qtail = &g.queue;
		}
		cri_unlock_all(&old);
		if (q) {
			new_run(RUN_SELF);
			run.req = q;
			run.info.requester = getpid();
			run.info.target = q->args.cr_target ? q->args.cr_target :
							      getpid();
			run.info.scope = q->args.cr_scope;
			run.info.signal = q->args.cr_signal;
			run.info.dest = q->dest;
			run_checkpoint(&run);
			cri_req_finish(q, q->result);
			if (run.answer == PR_CHECKPOINT_FAIL_PERM)
				kill(getpid(), SIGKILL);	/* as the kernel would */
			if (run.abort)
				abort();
			continue;
		}
		cri_futex_wait(&g.wake, w);
	}
	return NULL;
}

/* Hand a request for our own checkpoint to the callback thread. */
void cri_queue_self(struct cri_req *q)
{
	sigset_t old;

	cri_lock_all(&old);
	q->qnext = NULL;
	*g.qtail = q;
	g.qtail = &q->qnext;
	/* Pending from now on, as cr_status() callers expect. */
	if (cri_load(&g.state) == CR_STATE_IDLE)
		cri_set(&g.state, CR_STATE_PENDING);
	cri_unlock_all(&old);
	cri_add(&g.wake, 1);
	cri_futex_wake(&g.wake);
}

/* Call the handler we replaced for a signal that is not ours. */
static void chain_handler(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *p = &g.prev;

	if (p->sa_flags & SA_SIGINFO) {
		if (p->sa_sigaction)
			p->sa_sigaction(sig, si, uc);
	} else if (p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN) {
		p->sa_handler(sig);
	}
}

static void cri_handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	struct cr_run *r;

	if (si->si_code == SI_KERNEL) {
		if (cri_omit) {
			/* libcr_omit: answer at once, from here. */
			prctl(PR_CHECKPOINT_READY, PR_CHECKPOINT_OMIT, 0, 0, 0);
		} else {
			cri_store(&g.kern_requester, si->si_pid);
			cri_store(&g.kern_pending, 1);
			cri_add(&g.wake, 1);
			cri_futex_wake(&g.wake);
		}
	} else if (si->si_code == SI_TKILL && si->si_pid == getpid()) {
		r = tls.client ? __atomic_exchange_n(&tls.client->poke, NULL,
						     __ATOMIC_SEQ_CST) : NULL;
		if (r)
			take_part(r, tls.client);
		/* else a poke for a thread that left: nothing to do */
	} else if (si->si_code == SI_TIMER &&
		   si->si_value.sival_ptr == &cri_timer_cookie) {
		/* our timeout: it interrupted checkpoint(2) */
	} else {
		chain_handler(sig, si, uc);
	}
	errno = saved;
}

/* ------------------------------------------------------------------ */
/* In callbacks                                                        */

const struct cr_checkpoint_info *cr_get_checkpoint_info(void)
{
	if (!tls.frame || tls.frame->called)
		return NULL;
	return &tls.frame->chain->run->info;
}

const struct cr_restart_info *cr_get_restart_info(void)
{
	struct cr_frame *f = tls.frame;

	if (!f || !f->called || f->ret <= 0 || !f->chain->run->restarted)
		return NULL;
	return &f->chain->run->rinfo;
}

/*
 * Adding processes to a checkpoint in progress would need the kernel to
 * grow the set of checkpoint(2) while it waits: it cannot.
 */
int cr_forward_checkpoint(cr_scope_t scope, pid_t target)
{
	(void)scope;
	(void)target;
	errno = tls.frame ? CR_ENOSUPPORT : CR_ENOTCB;
	return -1;
}
