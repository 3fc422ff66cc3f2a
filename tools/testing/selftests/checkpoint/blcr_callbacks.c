// SPDX-License-Identifier: GPL-2.0
/*
 * libcr, the BLCR compatibility library, on checkpoint(2) and the
 * callback prctl()s (Documentation/checkpoint/callbacks.rst).
 *
 * Each test starts a worker written as a BLCR program: it calls
 * cr_init(), registers callbacks and goes about its business.  The test
 * checkpoints it from outside with checkpoint(2) (the kernel tells the
 * worker's libcr, which runs the callbacks and answers), or the worker
 * asks for its own checkpoint, and the test restarts it from the image.
 * The worker reports what its callbacks saw: how often they ran, what
 * cr_checkpoint() returned (0 when continuing, the restarting process's
 * pid after a restart, -CR_E* on failure) and in which order.
 *
 * libcr is linked in from its sources, tools/checkpoint/libcr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blcr_util.h"
#include "../kselftest_harness.h"

/* What the worker's report holds in value[] */
enum {
	V_BEFORE,	/* callbacks that reached cr_checkpoint() */
	V_CONT,		/* ... and got 0 back */
	V_RSTRT,	/* ... and got > 0 back */
	V_FAIL,		/* ... and got < 0 back */
	V_RET,		/* the last value cr_checkpoint() returned */
	V_STATUS,	/* cr_status() when reporting (after idle) */
	V_EXTRA,	/* a test's own results, from here */
	V_NORDER = 19,	/* events recorded in order[] */
	V_ORDER,	/* the first 12 events */
};

#define NR_ORDER	12
#define NR_THREADS	4

/* The worker's state: in its memory, so saved with it. */
static int before, cont, rstrt, fail, last_ret;
static int extra[V_NORDER - V_EXTRA];
static int order[64], norder;
static cr_spinlock_t order_lock = CR_SPINLOCK_INITIALIZER;

static void record(int event)
{
	cr_spinlock_lock(&order_lock);
	if (norder < (int)ARRAY_SIZE(order))
		order[norder++] = event;
	cr_spinlock_unlock(&order_lock);
}

static void count(int ret)
{
	__atomic_store_n(&last_ret, ret, __ATOMIC_SEQ_CST);
	if (ret == 0)
		__atomic_add_fetch(&cont, 1, __ATOMIC_SEQ_CST);
	else if (ret > 0)
		__atomic_add_fetch(&rstrt, 1, __ATOMIC_SEQ_CST);
	else
		__atomic_add_fetch(&fail, 1, __ATOMIC_SEQ_CST);
}

/* A callback: event @tag before cr_checkpoint(), @tag + 10 after. */
struct cb_arg {
	int tag;
	int flags;	/* for cr_checkpoint() */
};

static int counting_cb(void *p)
{
	struct cb_arg *a = p;
	int ret;

	record(a->tag);
	__atomic_add_fetch(&before, 1, __ATOMIC_SEQ_CST);
	ret = cr_checkpoint(a->flags);
	count(ret);
	record(a->tag + 10);
	return 0;
}

static void fill_report(struct report *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	fill_ids(r);
	r->value[V_BEFORE] = before;
	r->value[V_CONT] = cont;
	r->value[V_RSTRT] = rstrt;
	r->value[V_FAIL] = fail;
	r->value[V_RET] = last_ret;
	r->value[V_STATUS] = cr_status();
	for (i = 0; i < V_NORDER - V_EXTRA; i++)
		r->value[V_EXTRA + i] = extra[i];
	cr_spinlock_lock(&order_lock);
	r->value[V_NORDER] = norder;
	for (i = 0; i < NR_ORDER && i < norder; i++)
		r->value[V_ORDER + i] = order[i];
	cr_spinlock_unlock(&order_lock);
}

/*
 * The worker's loop: report its set-up, then obey commands.  @other
 * handles the commands of a test.
 */
static void serve(void (*other)(char c))
{
	struct report r;
	char c;

	fill_report(&r);
	put_report(&r);
	for (;;) {
		if (read(CTL_FD, &c, 1) != 1)
			_exit(80);
		if (c == CMD_QUIT)
			_exit(0);
		if (c == CMD_REPORT) {
			blcr_wait_idle();
			fill_report(&r);
			put_report(&r);
		} else if (other) {
			other(c);
		}
	}
}

static void worker_init(void)
{
	if (cr_init() < 0)
		_exit(81);
}

/* ------------------------------------------------------------------ */

FIXTURE(blcr) {
	pid_t pid;
	int ctl, res;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
	struct report r;
};

FIXTURE_SETUP(blcr)
{
	if (!blcr_kernel_has_callbacks())
		SKIP(return, BLCR_NO_CALLBACKS_MSG);
	self->pid = 0;
	self->ctl = -1;
	self->res = -1;
	memset(&self->img, 0, sizeof(self->img));
	catch_alarm();
}

FIXTURE_TEARDOWN(blcr)
{
	if (self->pid > 0)
		blcr_kill(self->pid);
	if (self->ctl >= 0)
		close_ctl_res(&self->ctl, &self->res);
	image_free(&self->img);
	reap_all();
}

/* Start @fn, read its set-up report. */
static int start(struct _test_data_blcr *self, void (*fn)(long), long arg)
{
	self->pid = blcr_spawn(fn, arg, &self->ctl, &self->res);
	if (self->pid < 0)
		return self->pid;
	return read_timed(self->res, &self->r, sizeof(self->r));
}

/* Kill the worker, restart it from the image: its pid, or -errno. */
static long restore(struct _test_data_blcr *self)
{
	long ret;

	blcr_kill(self->pid);
	close_ctl_res(&self->ctl, &self->res);
	ret = restart_timed(&self->img, &self->ctl, &self->res, self->log,
			    sizeof(self->log));
	if (ret < 0)
		self->pid = 0;
	return ret;
}

/* One thread-context callback that counts. */
static struct cb_arg one = { .tag = 1 };

static void worker_count(long unused)
{
	worker_init();
	if (cr_register_callback(counting_cb, &one, CR_THREAD_CONTEXT) < 0)
		_exit(82);
	serve(NULL);
}

TEST_F(blcr, callback_counts_continue_and_restart)
{
	long id;

	ASSERT_EQ(0, start(self, worker_count, 0));
	EXPECT_EQ(0, self->r.value[V_BEFORE]);
	EXPECT_EQ(CR_STATE_IDLE, self->r.value[V_STATUS]);

	id = checkpoint_timed(self->pid, CHECKPOINT_SCOPE_TASK, &self->img,
			      self->log, sizeof(self->log));
	ASSERT_LT(0, id) TH_LOG("checkpoint: %s", self->log);
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	EXPECT_EQ(1, self->r.value[V_BEFORE]);
	EXPECT_EQ(1, self->r.value[V_CONT]);
	EXPECT_EQ(0, self->r.value[V_RSTRT]);
	EXPECT_EQ(0, self->r.value[V_FAIL]);
	EXPECT_EQ(0, self->r.value[V_RET]);
	EXPECT_EQ(CR_STATE_IDLE, self->r.value[V_STATUS]);

	/* The image holds the callback inside cr_checkpoint(). */
	ASSERT_EQ(self->pid, restore(self)) TH_LOG("restart: %s", self->log);
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	EXPECT_EQ(1, self->r.value[V_BEFORE]);
	EXPECT_EQ(0, self->r.value[V_CONT]);
	EXPECT_EQ(1, self->r.value[V_RSTRT]);
	EXPECT_EQ(0, self->r.value[V_FAIL]);
	/* BLCR returns the restarting process's pid: ours. */
	EXPECT_EQ(getpid(), self->r.value[V_RET]);

	/* The restored worker is registered still: checkpoint it again. */
	image_free(&self->img);
	id = checkpoint_timed(self->pid, CHECKPOINT_SCOPE_TASK, &self->img,
			      self->log, sizeof(self->log));
	ASSERT_LT(0, id) TH_LOG("checkpoint: %s", self->log);
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	EXPECT_EQ(2, self->r.value[V_BEFORE]);
	EXPECT_EQ(1, self->r.value[V_CONT]);
	EXPECT_EQ(1, self->r.value[V_RSTRT]);
	EXPECT_EQ(0, self->r.value[V_RET]);
	EXPECT_EQ(0, blcr_cmd(self->ctl, CMD_QUIT));
}

/*
 * Three thread-context callbacks (tags 1-3) and three signal-context
 * ones in the main thread (tags 4-6), registered in that order.
 */
static struct cb_arg tc[3] = { { .tag = 1 }, { .tag = 2 }, { .tag = 3 } };
static struct cb_arg sc[3] = { { .tag = 4 }, { .tag = 5 }, { .tag = 6 } };

static void worker_order(long unused)
{
	int i;

	worker_init();
	for (i = 0; i < 3; i++)
		if (cr_register_callback(counting_cb, &tc[i],
					 CR_THREAD_CONTEXT) != i)
			_exit(82);
	for (i = 0; i < 3; i++)
		if (cr_register_callback(counting_cb, &sc[i],
					 CR_SIGNAL_CONTEXT) != 3 + i)
			_exit(82);
	serve(NULL);
}

/* Position of @event in the report's order, or -1. */
static int pos(const struct report *r, int event)
{
	int i;

	for (i = 0; i < NR_ORDER && i < r->value[V_NORDER]; i++)
		if (r->value[V_ORDER + i] == event)
			return i;
	return -1;
}

/*
 * Before cr_checkpoint(): thread context newest first, then signal
 * context newest first.  After it, each group oldest first.
 */
static void check_order(struct __test_metadata *_metadata,
			const struct report *r, int ret)
{
	static const int first[6] = { 3, 2, 1, 6, 5, 4 };
	int i;

	ASSERT_EQ(12, r->value[V_NORDER]);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(first[i], r->value[V_ORDER + i]);
	EXPECT_LT(5, pos(r, 11));
	EXPECT_LT(pos(r, 11), pos(r, 12));
	EXPECT_LT(pos(r, 12), pos(r, 13));
	EXPECT_LT(5, pos(r, 14));
	EXPECT_LT(pos(r, 14), pos(r, 15));
	EXPECT_LT(pos(r, 15), pos(r, 16));
	EXPECT_EQ(ret, r->value[V_RET]);
}

TEST_F(blcr, callbacks_nest_newest_first)
{
	ASSERT_EQ(0, start(self, worker_order, 0));
	ASSERT_LT(0, checkpoint_timed(self->pid, CHECKPOINT_SCOPE_TASK,
				      &self->img, self->log,
				      sizeof(self->log)))
		TH_LOG("checkpoint: %s", self->log);
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	EXPECT_EQ(6, self->r.value[V_BEFORE]);
	EXPECT_EQ(6, self->r.value[V_CONT]);
	check_order(_metadata, &self->r, 0);

	/* The restored copy runs the code after cr_checkpoint() again. */
	ASSERT_EQ(self->pid, restore(self)) TH_LOG("restart: %s", self->log);
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	EXPECT_EQ(6, self->r.value[V_BEFORE]);
	EXPECT_EQ(0, self->r.value[V_CONT]);
	EXPECT_EQ(6, self->r.value[V_RSTRT]);
	check_order(_metadata, &self->r, getpid());
	EXPECT_EQ(0, blcr_cmd(self->ctl, CMD_QUIT));
}

/* ------------------------------------------------------------------ */
/* A critical section holds off a checkpoint                           */

#define CMD_LEAVE	'l'
#define X_STATUS_IN	0	/* extra[]: cr_status() in the section */
#define X_LEAVE		1	/* cr_leave_cs() */
#define X_STATUS_OUT	2	/* cr_status() right after leaving */
#define X_BEFORE_OUT	3	/* callbacks run when cr_leave_cs() returned */

static cr_client_id_t cs_id;

static void cs_command(char c)
{
	if (c != CMD_LEAVE)
		return;
	extra[X_STATUS_IN] = cr_status();
	extra[X_LEAVE] = cr_leave_cs(cs_id);
	extra[X_STATUS_OUT] = cr_status();
	extra[X_BEFORE_OUT] = before;
}

static void worker_cs(long unused)
{
	cs_id = cr_init();
	if (cs_id < 0 ||
	    cr_register_callback(counting_cb, &one, CR_THREAD_CONTEXT) < 0)
		_exit(82);
	if (cr_enter_cs(cs_id))
		_exit(83);
	serve(cs_command);
}

struct requester {
	long ret;
	int done;
};

/* A forked requester: checkpoint(2) of @pid, result in shared memory. */
static pid_t start_requester(struct requester *q, pid_t pid)
{
	pid_t r;

	r = fork();
	if (r)
		return r;
	q->ret = checkpoint_image(pid, CHECKPOINT_SCOPE_TASK, NULL, NULL, 0);
	__atomic_store_n(&q->done, 1, __ATOMIC_SEQ_CST);
	_exit(0);
}

TEST_F(blcr, critical_section_holds_off_checkpoint)
{
	struct requester *q = shared_alloc(sizeof(*q));
	pid_t req;
	int st;

	ASSERT_NE(NULL, q);
	ASSERT_EQ(0, start(self, worker_cs, 0));
	req = start_requester(q, self->pid);
	ASSERT_LT(0, req);

	/* The checkpoint waits for the section: nothing has run yet. */
	usleep(500 * 1000);
	EXPECT_EQ(0, __atomic_load_n(&q->done, __ATOMIC_SEQ_CST));
	ASSERT_EQ(0, blcr_cmd(self->ctl, CMD_LEAVE));
	ASSERT_EQ(0, wait_timed(req, &st));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
	EXPECT_EQ(1, q->done);
	EXPECT_LT(0, q->ret);

	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	EXPECT_EQ(CR_STATE_PENDING, self->r.value[V_EXTRA + X_STATUS_IN]);
	EXPECT_EQ(0, self->r.value[V_EXTRA + X_LEAVE]);
	/* Leaving the last section let the checkpoint run first. */
	EXPECT_EQ(CR_STATE_IDLE, self->r.value[V_EXTRA + X_STATUS_OUT]);
	EXPECT_EQ(1, self->r.value[V_EXTRA + X_BEFORE_OUT]);
	EXPECT_EQ(1, self->r.value[V_CONT]);
	EXPECT_EQ(0, self->r.value[V_RET]);
	EXPECT_EQ(0, blcr_cmd(self->ctl, CMD_QUIT));
	munmap(q, sizeof(*q));
}

/* ------------------------------------------------------------------ */
/* A program that asks for its own checkpoint                          */

#define X_POLL		0	/* cr_poll_checkpoint() */
#define X_ERRNO		1	/* errno after it */
#define X_REQUEST	2	/* cr_request_checkpoint() */

static char self_image[64];

static void worker_self(long unused)
{
	cr_checkpoint_handle_t h;
	cr_checkpoint_args_t a;
	int fd, rc;

	worker_init();
	if (cr_register_callback(counting_cb, &one, CR_THREAD_CONTEXT) < 0)
		_exit(82);
	fd = open(self_image, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || cr_initialize_checkpoint_args_t(&a))
		_exit(83);
	a.cr_scope = CR_SCOPE_PROC;
	a.cr_target = 0;
	a.cr_fd = fd;
	extra[X_REQUEST] = cr_request_checkpoint(&a, &h);
	do {
		errno = 0;
		rc = cr_poll_checkpoint(&h, NULL);
	} while (rc == CR_POLL_CHKPT_ERR_PRE && errno == EINTR);
	/* Here twice: after the checkpoint, and in the restored copy. */
	extra[X_POLL] = rc;
	extra[X_ERRNO] = errno;
	close(fd);
	serve(NULL);
}

TEST_F(blcr, own_checkpoint_request_and_poll)
{
	int fd;

	snprintf(self_image, sizeof(self_image), "/tmp/blcr_self.%d",
		 getpid());
	ASSERT_EQ(0, start(self, worker_self, 0));
	EXPECT_EQ(0, self->r.value[V_EXTRA + X_REQUEST]);
	EXPECT_EQ(1, self->r.value[V_EXTRA + X_POLL]);
	EXPECT_EQ(1, self->r.value[V_BEFORE]);
	EXPECT_EQ(1, self->r.value[V_CONT]);
	EXPECT_EQ(0, self->r.value[V_RET]);

	fd = open(self_image, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, image_read_fd(&self->img, fd));
	close(fd);
	EXPECT_EQ(0, validate_image(&self->img, self->log, sizeof(self->log)))
		TH_LOG("validate: %s", self->log);

	/* Restored, cr_checkpoint() returns > 0 and the poll says so. */
	ASSERT_EQ(self->pid, restore(self)) TH_LOG("restart: %s", self->log);
	ASSERT_EQ(0, read_timed(self->res, &self->r, sizeof(self->r)));
	EXPECT_EQ(CR_POLL_CHKPT_ERR_POST, self->r.value[V_EXTRA + X_POLL]);
	EXPECT_EQ(CR_ERESTARTED, self->r.value[V_EXTRA + X_ERRNO]);
	EXPECT_EQ(1, self->r.value[V_BEFORE]);
	EXPECT_EQ(0, self->r.value[V_CONT]);
	EXPECT_EQ(1, self->r.value[V_RSTRT]);
	EXPECT_EQ(getpid(), self->r.value[V_RET]);
	EXPECT_EQ(0, blcr_cmd(self->ctl, CMD_QUIT));
	unlink(self_image);
}

/* ------------------------------------------------------------------ */
/* Signal-context callbacks in several threads                         */

static pid_t thread_tid[NR_THREADS], ran_tid[NR_THREADS];
static int thread_runs[NR_THREADS], thread_ret[NR_THREADS], threads_up;

static int thread_cb(void *p)
{
	long i = (long)p;

	ran_tid[i] = gettid();
	__atomic_add_fetch(&thread_runs[i], 1, __ATOMIC_SEQ_CST);
	thread_ret[i] = cr_checkpoint(CR_CHECKPOINT_READY);
	return 0;
}

static void *thread_fn(void *p)
{
	long i = (long)p;

	if (cr_init() < 0 ||
	    cr_register_callback(thread_cb, p, CR_SIGNAL_CONTEXT) < 0)
		_exit(84);
	thread_tid[i] = gettid();
	__atomic_add_fetch(&threads_up, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return NULL;
}

/* extra[]: runs, then ran in the registering thread, then returns */
static void threads_report(void)
{
	int i;

	for (i = 0; i < NR_THREADS; i++) {
		extra[i] = thread_runs[i];
		extra[NR_THREADS + i] = ran_tid[i] == thread_tid[i];
		extra[2 * NR_THREADS + i] = thread_ret[i];
	}
}

static void threads_command(char c)
{
	if (c == 't')
		threads_report();
}

static void worker_threads_cmd(long unused)
{
	pthread_t t;
	long i;

	worker_init();
	for (i = 0; i < NR_THREADS; i++)
		if (pthread_create(&t, NULL, thread_fn, (void *)i))
			_exit(85);
	while (__atomic_load_n(&threads_up, __ATOMIC_SEQ_CST) < NR_THREADS)
		usleep(1000);
	serve(threads_command);
}

static void check_threads(struct __test_metadata *_metadata,
			  const struct report *r, int ret)
{
	int i;

	for (i = 0; i < NR_THREADS; i++) {
		EXPECT_EQ(1, r->value[V_EXTRA + i]);
		EXPECT_EQ(1, r->value[V_EXTRA + NR_THREADS + i]);
		EXPECT_EQ(ret, r->value[V_EXTRA + 2 * NR_THREADS + i]);
	}
}

TEST_F(blcr, signal_callbacks_run_once_in_each_thread)
{
	ASSERT_EQ(0, start(self, worker_threads_cmd, 0));
	ASSERT_LT(0, checkpoint_timed(self->pid, CHECKPOINT_SCOPE_TASK,
				      &self->img, self->log,
				      sizeof(self->log)))
		TH_LOG("checkpoint: %s", self->log);
	ASSERT_EQ(0, blcr_cmd(self->ctl, 't'));
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	check_threads(_metadata, &self->r, 0);

	ASSERT_EQ(self->pid, restore(self)) TH_LOG("restart: %s", self->log);
	ASSERT_EQ(0, blcr_cmd(self->ctl, 't'));
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	check_threads(_metadata, &self->r, getpid());
	EXPECT_EQ(0, blcr_cmd(self->ctl, CMD_QUIT));
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */

#define USER_CODE	7

static struct cb_arg temp = {
	.tag = 1, .flags = CR_CHECKPOINT_TEMP_FAILURE_CODE(USER_CODE),
};

static struct cb_arg older = { .tag = 2 };

/* The older callback must be skipped by the newer one's failure. */
static void worker_temp(long unused)
{
	worker_init();
	if (cr_register_callback(counting_cb, &older, CR_THREAD_CONTEXT) < 0 ||
	    cr_register_callback(counting_cb, &temp, CR_THREAD_CONTEXT) < 0)
		_exit(82);
	serve(NULL);
}

TEST_F(blcr, temporary_failure_fails_with_eagain_and_continues)
{
	ASSERT_EQ(0, start(self, worker_temp, 0));
	EXPECT_EQ(-EAGAIN, checkpoint_timed(self->pid, CHECKPOINT_SCOPE_TASK,
					    NULL, self->log,
					    sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "temporary")) TH_LOG("%s", self->log);
	EXPECT_TRUE(log_has_number(self->log, USER_CODE)) TH_LOG("%s", self->log);
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	EXPECT_EQ(1, self->r.value[V_BEFORE]);
	EXPECT_EQ(1, self->r.value[V_FAIL]);
	EXPECT_EQ(-CR_ETEMPFAIL, self->r.value[V_RET]);
	EXPECT_EQ(2, self->r.value[V_NORDER]);
	EXPECT_EQ(1, self->r.value[V_ORDER]);
	EXPECT_EQ(11, self->r.value[V_ORDER + 1]);
	/* It went on running: it still answers. */
	EXPECT_EQ(0, blcr_cmd(self->ctl, CMD_QUIT));
}

static struct cb_arg perm = { .tag = 1, .flags = CR_CHECKPOINT_PERM_FAILURE };

static void worker_perm(long unused)
{
	worker_init();
	if (cr_register_callback(counting_cb, &perm, CR_THREAD_CONTEXT) < 0)
		_exit(82);
	serve(NULL);
}

TEST_F(blcr, permanent_failure_fails_and_kills)
{
	int st;

	ASSERT_EQ(0, start(self, worker_perm, 0));
	EXPECT_EQ(-ECANCELED, checkpoint_timed(self->pid,
					       CHECKPOINT_SCOPE_TASK, NULL,
					       self->log, sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "permanent")) TH_LOG("%s", self->log);
	ASSERT_EQ(0, wait_timed(self->pid, &st));
	self->pid = 0;
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

/* ------------------------------------------------------------------ */
/* cr_status()                                                         */

#define X_IN_CB		0	/* in the callback */
#define X_OTHER		1	/* in another thread meanwhile */

static int in_cb, sampled;

static int status_cb(void *unused)
{
	int i;

	extra[X_IN_CB] = cr_status();
	__atomic_store_n(&in_cb, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < 5000 && !__atomic_load_n(&sampled, __ATOMIC_SEQ_CST); i++)
		usleep(1000);
	return 0;
}

/* A thread that never called cr_init(): it only looks. */
static void *sampler(void *unused)
{
	while (!__atomic_load_n(&in_cb, __ATOMIC_SEQ_CST))
		usleep(100);
	extra[X_OTHER] = cr_status();
	__atomic_store_n(&sampled, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void worker_status(long unused)
{
	pthread_t t;

	worker_init();
	if (cr_register_callback(status_cb, NULL, CR_THREAD_CONTEXT) < 0 ||
	    pthread_create(&t, NULL, sampler, NULL))
		_exit(82);
	serve(NULL);
}

TEST_F(blcr, status_idle_pending_active)
{
	ASSERT_EQ(0, start(self, worker_status, 0));
	EXPECT_EQ(CR_STATE_IDLE, self->r.value[V_STATUS]);
	ASSERT_LT(0, checkpoint_timed(self->pid, CHECKPOINT_SCOPE_TASK, NULL,
				      self->log, sizeof(self->log)))
		TH_LOG("checkpoint: %s", self->log);
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	EXPECT_EQ(CR_STATE_ACTIVE, self->r.value[V_EXTRA + X_IN_CB]);
	EXPECT_EQ(CR_STATE_PENDING, self->r.value[V_EXTRA + X_OTHER]);
	EXPECT_EQ(CR_STATE_IDLE, self->r.value[V_STATUS]);
	EXPECT_EQ(0, blcr_cmd(self->ctl, CMD_QUIT));
}

/* ------------------------------------------------------------------ */
/* Requests from another process                                       */

TEST_F(blcr, request_of_another_process_and_restart_request)
{
	cr_checkpoint_handle_t h;
	cr_restart_handle_t rh;
	cr_checkpoint_args_t a;
	cr_restart_args_t ra;
	char *msg = NULL;
	int fd, rc;

	ASSERT_EQ(0, start(self, worker_count, 0));
	fd = memfd_create("blcr-image", MFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, cr_initialize_checkpoint_args_t(&a));
	a.cr_scope = CR_SCOPE_PROC;
	a.cr_target = self->pid;
	a.cr_fd = fd;
	a.cr_flags = CR_CHKPT_ASYNC_ERR;
	ASSERT_EQ(0, cr_request_checkpoint(&a, &h));
	arm();
	rc = cr_poll_checkpoint_msg(&h, NULL, &msg);
	disarm(0);
	EXPECT_EQ(1, rc) TH_LOG("errno %d (%s): %s", errno, cr_strerror(errno),
				msg ? msg : "");
	EXPECT_NE(NULL, msg);
	free(msg);
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	EXPECT_EQ(1, self->r.value[V_CONT]);

	/* Restart it as a child of ours with cr_request_restart(). */
	blcr_kill(self->pid);
	close_ctl_res(&self->ctl, &self->res);
	self->ctl = pipe_at(CTL_FD, true);
	self->res = pipe_at(RES_FD, false);
	ASSERT_LE(0, self->ctl);
	ASSERT_LE(0, self->res);
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	ASSERT_EQ(0, cr_initialize_restart_args_t(&ra));
	ra.cr_fd = fd;
	ASSERT_EQ(0, cr_request_restart(&ra, &rh));
	arm();
	rc = cr_poll_restart(&rh, NULL);
	disarm(0);
	close(CTL_FD);
	close(RES_FD);
	ASSERT_EQ(self->pid, rc) TH_LOG("errno %d", errno);
	ASSERT_EQ(0, blcr_ask(self->ctl, self->res, &self->r));
	EXPECT_EQ(1, self->r.value[V_RSTRT]);
	EXPECT_EQ(getpid(), self->r.value[V_RET]);
	EXPECT_EQ(0, blcr_cmd(self->ctl, CMD_QUIT));
	close(fd);
}

TEST_HARNESS_MAIN
