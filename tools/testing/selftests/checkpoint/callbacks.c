// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of checkpoint callbacks: prctl(PR_SET_CHECKPOINT_SIGNAL)
 * and prctl(PR_CHECKPOINT_READY) (Documentation/checkpoint/callbacks.rst).
 *
 * A child registers a signal, waits to be told of a checkpoint, answers,
 * and reports what it saw on RES_FD: whether it was told, the siginfo,
 * and what PR_CHECKPOINT_READY returned.  The test checks the answer's
 * effect on checkpoint(2), and that a restarted child learns it came back.
 */
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#ifndef PR_SET_CHECKPOINT_SIGNAL
#define PR_SET_CHECKPOINT_SIGNAL	0x43505401
#define PR_GET_CHECKPOINT_SIGNAL	0x43505402
#define PR_CHECKPOINT_READY		0x43505403
#define PR_CHECKPOINT_OK		0
#define PR_CHECKPOINT_OMIT		1
#define PR_CHECKPOINT_FAIL_TEMP		2
#define PR_CHECKPOINT_FAIL_PERM		3
#endif

#define CTL_FD		100
#define RES_FD		101
#define NOTIFY_SIG	SIGUSR1
#define NO_ANSWER	(-1)	/* answer only after the control byte */
#define WAIT_MS		30000

struct cb_report {
	int phase;		/* 0: registered, 1: answered, 2: at the end */
	int told;		/* notifications handled */
	int sender_code;
	int sender_pid;
	long ready_ret;		/* of PR_CHECKPOINT_READY, or -errno */
	int registered;		/* PR_GET_CHECKPOINT_SIGNAL at the end */
	pid_t pid, ppid;
};

/* What the notification handler saw; the count last. */
static int told, told_code, told_pid;

static void on_notify(int sig, siginfo_t *si, void *uc)
{
	__atomic_store_n(&told_code, si->si_code, __ATOMIC_SEQ_CST);
	__atomic_store_n(&told_pid, si->si_pid, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&told, 1, __ATOMIC_SEQ_CST);
}

static int told_count(void)
{
	return __atomic_load_n(&told, __ATOMIC_SEQ_CST);
}

static void report(struct cb_report *r, int phase)
{
	r->phase = phase;
	r->told = told_count();
	r->sender_code = told_code;
	r->sender_pid = told_pid;
	r->pid = getpid();
	r->ppid = getppid();
	if (write(RES_FD, r, sizeof(*r)) != sizeof(*r))
		_exit(90);
}

static bool ctl_ready(int ms)
{
	struct pollfd p = { .fd = CTL_FD, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static long ready(int how, int code)
{
	long ret = prctl(PR_CHECKPOINT_READY, how, code, 0, 0);

	return ret < 0 ? -errno : ret;
}

/*
 * Register, wait to be told (or for the control byte), answer @how with
 * @code, report, wait for the control byte and report again.
 */
static void __noreturn child(int how, int code)
{
	struct sigaction sa = { .sa_sigaction = on_notify,
				.sa_flags = SA_SIGINFO | SA_RESTART };
	struct cb_report r = { .ready_ret = -1000 };
	char c;
	int i;

	sigemptyset(&sa.sa_mask);
	if (sigaction(NOTIFY_SIG, &sa, NULL) ||
	    prctl(PR_SET_CHECKPOINT_SIGNAL, NOTIFY_SIG, 0, 0, 0))
		_exit(91);
	report(&r, 0);
	for (i = 0; !told_count() && i < WAIT_MS / 10; i++)
		if (ctl_ready(10))
			break;
	if (told_count() && how == NO_ANSWER) {
		if (read(CTL_FD, &c, 1) != 1)
			_exit(92);
		r.ready_ret = ready(PR_CHECKPOINT_OK, 0);
	} else if (told_count()) {
		r.ready_ret = ready(how, code);
	}
	report(&r, 1);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(93);
	if (prctl(PR_GET_CHECKPOINT_SIGNAL, &r.registered, 0, 0, 0))
		_exit(94);
	report(&r, 2);
	_exit(0);
}

static int read_report(int fd, struct cb_report *r, int phase)
{
	int err = read_within(fd, r, sizeof(*r), WAIT_MS);

	return err ?: r->phase == phase ? 0 : -EPROTO;
}

FIXTURE(cb) {
	pid_t pid;
	int ctl, res;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(cb)
{
	self->pid = -1;
	self->ctl = pipe_at(CTL_FD, true);
	self->res = pipe_at(RES_FD, false);
	ASSERT_LE(0, self->ctl);
	ASSERT_LE(0, self->res);
	memset(&self->img, 0, sizeof(self->img));
}

FIXTURE_TEARDOWN(cb)
{
	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, 0);
	}
	image_free(&self->img);
}

/* Start the child answering @how with @code, and wait for it to register. */
static pid_t start(struct __test_metadata *_metadata,
		   struct _test_data_cb *self, int how, int code)
{
	struct cb_report r;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		close(self->ctl);
		close(self->res);
		child(how, code);
	}
	close(CTL_FD);
	close(RES_FD);
	self->pid = pid;
	EXPECT_EQ(0, read_report(self->res, &r, 0));
	return pid;
}

static void let_go(struct _test_data_cb *self)
{
	if (write(self->ctl, "x", 1) != 1)
		perror("write");
}

static int reap(struct _test_data_cb *self)
{
	int status = -1;

	waitpid(self->pid, &status, 0);
	self->pid = -1;
	return status;
}

/* Told, answers "ready": the checkpoint succeeds and the child goes on. */
TEST_F(cb, ready_continue)
{
	struct cb_report r;

	start(_metadata, self, PR_CHECKPOINT_OK, 0);
	ASSERT_LT(0, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK,
				      &self->img, self->log, sizeof(self->log)))
		TH_LOG("%s", self->log);
	ASSERT_EQ(0, read_report(self->res, &r, 1));
	EXPECT_EQ(1, r.told);
	EXPECT_EQ(SI_KERNEL, r.sender_code);
	EXPECT_EQ(getpid(), r.sender_pid);
	EXPECT_EQ(0, r.ready_ret);
	let_go(self);
	ASSERT_EQ(0, read_report(self->res, &r, 2));
	EXPECT_EQ(NOTIFY_SIG, r.registered);
	EXPECT_EQ(0, reap(self));
}

struct restored_arg {
	struct __test_metadata *metadata;
	struct _test_data_cb *self;
};

/* A restored child: check what it reports at both phases and reap it. */
static void check_restored(struct restart_round *rr, void *arg)
{
	struct restored_arg *a = arg;
	struct __test_metadata *_metadata = a->metadata;
	struct _test_data_cb *self = a->self;
	struct cb_report r;

	self->ctl = rr->ctl;
	self->res = rr->res;
	ASSERT_EQ(0, read_report(rr->res, &r, 1));
	EXPECT_EQ(1, r.told);
	EXPECT_EQ(getpid(), r.ready_ret);
	EXPECT_EQ(rr->root, r.pid);
	EXPECT_EQ(getpid(), r.ppid);
	let_go(self);
	ASSERT_EQ(0, read_report(rr->res, &r, 2));
	EXPECT_EQ(NOTIFY_SIG, r.registered);
	EXPECT_EQ(0, reap(self));
}

/*
 * Killed once saved, the child comes back from restart(2) returning the
 * pid of its caller from PR_CHECKPOINT_READY, still registered; twice
 * from one image.
 */
TEST_F(cb, ready_restart_twice)
{
	struct restored_arg a = { _metadata, self };

	start(_metadata, self, PR_CHECKPOINT_OK, 0);
	ASSERT_LT(0, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK |
				      CHECKPOINT_KILL, &self->img, self->log,
				      sizeof(self->log)))
		TH_LOG("%s", self->log);
	EXPECT_EQ(SIGKILL, WTERMSIG(reap(self)));
	close(self->ctl);
	close(self->res);

	ASSERT_LT(0, restart_rounds(&self->img, 2, CTL_FD, RES_FD, self->log,
				    sizeof(self->log), &self->pid,
				    check_restored, &a))
		TH_LOG("%s", self->log);
	self->ctl = -1;
	self->res = -1;
}

/* A temporary refusal fails the checkpoint with EAGAIN and its code. */
TEST_F(cb, fail_temp)
{
	struct cb_report r;

	start(_metadata, self, PR_CHECKPOINT_FAIL_TEMP, 7);
	EXPECT_EQ(-EAGAIN, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK,
					    NULL, self->log, sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "(temporary, code 7)"))
		TH_LOG("%s", self->log);
	ASSERT_EQ(0, read_report(self->res, &r, 1));
	EXPECT_EQ(0, r.ready_ret);
	let_go(self);
	ASSERT_EQ(0, read_report(self->res, &r, 2));
	EXPECT_EQ(0, reap(self));
}

/* A permanent refusal fails it with ECANCELED and kills the process. */
TEST_F(cb, fail_perm)
{
	int status;

	start(_metadata, self, PR_CHECKPOINT_FAIL_PERM, 300);
	EXPECT_EQ(-ECANCELED,
		  checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK, NULL,
				   self->log, sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "(permanent, code 300)"))
		TH_LOG("%s", self->log);
	status = reap(self);
	ASSERT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
}

/* A process alone that leaves itself out leaves nothing: ESRCH. */
TEST_F(cb, omit_all)
{
	struct cb_report r;

	start(_metadata, self, PR_CHECKPOINT_OMIT, 0);
	EXPECT_EQ(-ESRCH, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK,
					   NULL, self->log, sizeof(self->log)));
	ASSERT_EQ(0, read_report(self->res, &r, 1));
	EXPECT_EQ(0, r.ready_ret);
	let_go(self);
	ASSERT_EQ(0, read_report(self->res, &r, 2));
	EXPECT_EQ(0, reap(self));
}

/* CHECKPOINT_NO_CALLBACKS: the registered child is not told. */
TEST_F(cb, no_callbacks)
{
	struct cb_report r;

	start(_metadata, self, PR_CHECKPOINT_OK, 0);
	ASSERT_LT(0, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK |
				      CHECKPOINT_NO_CALLBACKS, NULL, self->log,
				      sizeof(self->log)))
		TH_LOG("%s", self->log);
	let_go(self);
	ASSERT_EQ(0, read_report(self->res, &r, 1));
	EXPECT_EQ(0, r.told);
	EXPECT_EQ(-1000, r.ready_ret);
	let_go(self);
	ASSERT_EQ(0, read_report(self->res, &r, 2));
	EXPECT_EQ(0, reap(self));
}

static void on_alarm(int sig)
{
}

/*
 * A requester interrupted while it waits fails with EINTR; the child
 * that answers afterwards learns there is no checkpoint: ESRCH.
 */
TEST_F(cb, interrupted)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct cb_report r;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	start(_metadata, self, NO_ANSWER, 0);
	alarm(2);
	EXPECT_EQ(-EINTR, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK,
					   NULL, self->log, sizeof(self->log)));
	alarm(0);
	let_go(self);
	ASSERT_EQ(0, read_report(self->res, &r, 1));
	EXPECT_EQ(1, r.told);
	EXPECT_EQ(-ESRCH, r.ready_ret);
	let_go(self);
	ASSERT_EQ(0, read_report(self->res, &r, 2));
	EXPECT_EQ(0, reap(self));
}

/* A parent that leaves itself out: its child is saved alone, ppid 0. */
TEST(omit_parent)
{
	char log[CKPT_LOG_SIZE];
	struct ckpt_image img = { 0 };
	struct ckpt_pids *pids;
	int p[2], status;
	pid_t parent, kid;
	char c;

	ASSERT_EQ(0, pipe(p));
	parent = fork();
	ASSERT_LE(0, parent);
	if (!parent) {
		struct sigaction sa = { .sa_sigaction = on_notify,
					.sa_flags = SA_SIGINFO };

		sigemptyset(&sa.sa_mask);
		if (sigaction(NOTIFY_SIG, &sa, NULL) ||
		    prctl(PR_SET_CHECKPOINT_SIGNAL, NOTIFY_SIG, 0, 0, 0))
			_exit(1);
		kid = fork();
		if (!kid) {
			pause();
			_exit(0);
		}
		if (write(p[1], &kid, sizeof(kid)) != sizeof(kid))
			_exit(2);
		while (!told_count())
			usleep(1000);
		if (prctl(PR_CHECKPOINT_READY, PR_CHECKPOINT_OMIT, 0, 0, 0))
			_exit(3);
		read(p[0], &c, 1);
		kill(kid, SIGKILL);
		waitpid(kid, NULL, 0);
		_exit(0);
	}
	ASSERT_EQ(sizeof(kid), read(p[0], &kid, sizeof(kid)));
	ASSERT_LT(0, checkpoint_image(parent, CHECKPOINT_SCOPE_TREE, &img, log,
				      sizeof(log)))
		TH_LOG("%s", log);
	ASSERT_NE(NULL, image_tree(&img));
	EXPECT_EQ(1, image_tree(&img)->nr_tasks);
	pids = image_pids(&img);
	EXPECT_EQ(kid, pids[0].pid);
	EXPECT_EQ(0, pids[0].ppid);
	EXPECT_EQ(0, validate_image(&img, log, sizeof(log))) TH_LOG("%s", log);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(parent, waitpid(parent, &status, 0));
	EXPECT_EQ(0, status);
	image_free(&img);
}

/* The rules of registering and answering. */
TEST(prctl_rules)
{
	int sig = -1, status;
	pid_t pid;

	EXPECT_EQ(-1, prctl(PR_SET_CHECKPOINT_SIGNAL, SIGKILL, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, prctl(PR_SET_CHECKPOINT_SIGNAL, SIGSTOP, 0, 0, 0));
	EXPECT_EQ(-1, prctl(PR_SET_CHECKPOINT_SIGNAL, 65, 0, 0, 0));
	EXPECT_EQ(-1, prctl(PR_SET_CHECKPOINT_SIGNAL, SIGUSR2, 1, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0));
	EXPECT_EQ(0, sig);

	EXPECT_EQ(0, prctl(PR_SET_CHECKPOINT_SIGNAL, SIGUSR2, 0, 0, 0));
	EXPECT_EQ(0, prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0));
	EXPECT_EQ(SIGUSR2, sig);
	/* Nothing to answer, or a bad answer. */
	EXPECT_EQ(-1, prctl(PR_CHECKPOINT_READY, PR_CHECKPOINT_OK, 0, 0, 0));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(-1, prctl(PR_CHECKPOINT_READY, 4, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, prctl(PR_CHECKPOINT_READY, PR_CHECKPOINT_FAIL_TEMP,
			    0x10000, 0, 0));
	EXPECT_EQ(EINVAL, errno);

	/* Not inherited by a child. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0))
			_exit(1);
		_exit(sig == 0 ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);

	/* Ended by execve(). */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		execl("/proc/self/exe", "callbacks", "--get-signal", NULL);
		_exit(3);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	EXPECT_EQ(0, prctl(PR_SET_CHECKPOINT_SIGNAL, 0, 0, 0, 0));
	EXPECT_EQ(0, prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0));
	EXPECT_EQ(0, sig);
}

int main(int argc, char **argv)
{
	int sig = -1;

	/* prctl_rules: what a program that was just exec'd sees. */
	if (argc == 2 && !strcmp(argv[1], "--get-signal")) {
		if (prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0))
			return 1;
		return sig;
	}
	return test_harness_run(argc, argv);
}
