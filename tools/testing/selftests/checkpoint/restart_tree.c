// SPDX-License-Identifier: GPL-2.0
/*
 * Several tasks in one image: the threads of a process, and a tree of
 * processes.
 *
 * - threads: a process with NR_THREADS threads, each with its own
 *   thread-local value, every thread waiting in read(), the main thread
 *   in pthread_join() of the first.  Each thread then checks its tid
 *   and thread-local value and exits; the main thread joins them all.
 * - tree: a root with two children, the first with a child of its own;
 *   the second child leads a process group that the grandchild joined.
 *   The root writes to the first child through a pipe that holds data
 *   at the checkpoint.  Each waits in read(), then reports its pid,
 *   parent, group and session, reaps its children and exits with its
 *   own status.
 *
 * The main thread, and the root, set no_new_privs once they have created
 * their threads or children, which do not have it.  Every other thread
 * is niced by 5, each with the nice value of the one before it differing,
 * and each thread has a scheduling policy of its own: SCHED_OTHER,
 * SCHED_BATCH, SCHED_FIFO (as root; SCHED_OTHER otherwise) and
 * SCHED_IDLE.  A restored thread is created by another, which may have
 * its policy restored already: it must not keep it.
 *
 * In three ways: left running after the checkpoint, killed and
 * restarted, and restarted twice from one image.  A restarted tree has
 * the same pids, parents, groups and sessions, and each parent gets its
 * children's exit statuses; only the main thread and the root have
 * no_new_privs.
 *
 * The tasks wait on CTL_FD and report on RES_FD, pipes whose other end
 * is ours: restart gives the restored tasks the restarting process's
 * descriptors of the same numbers.
 *
 * - held_while_forking: a process forks children without pause, each of
 *   which forks a grandchild and reaps it, while it reaps them.  Every
 *   checkpoint of its tree succeeds at the first try (the children it
 *   forked while it was being held are held with it) and gives a tree
 *   whose every task's parent comes before it.  The last image, taken with
 *   CHECKPOINT_KILL, restarts: the process forks on, and every child,
 *   restored or new, exits as it should.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#define CTL_FD		100
#define RES_FD		101
#define NR_THREADS	4
#define TLS_BASE	0x7100
#define NR_PROCS	4	/* root, child 1, child 2, grandchild */

struct report {
	int role;		/* thread index, or process role */
	pid_t pid, tid, ppid, pgid, sid;
	int tls;		/* threads: their thread-local value */
	int status[2];		/* processes: their children's statuses */
	int nnp;		/* PR_GET_NO_NEW_PRIVS */
	int nice;		/* threads: their own */
	int policy, prio;	/* threads: their own */
	int err;
};

static void put_report(struct report *r)
{
	if (write(RES_FD, r, sizeof(*r)) != sizeof(*r))
		_exit(90);
}

static void wait_byte(struct report *r)
{
	char c;

	if (read(CTL_FD, &c, 1) != 1)
		r->err = errno ?: EIO;
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */

static __thread int tls_value;
static int rep_fd;

/* Raising it needs no privilege: from the nice value of the test. */
static int thread_nice(int role)
{
	return getpriority(PRIO_PROCESS, 0) + (role % 2) * 5;
}

/* The policy and priority of thread @role; FIFO needs root. */
static int thread_policy(int role, int *prio)
{
	static const int policy[] = {
		SCHED_OTHER, SCHED_BATCH, SCHED_FIFO, SCHED_IDLE
	};
	int p = policy[role % 4];

	if (p == SCHED_FIFO && geteuid())
		p = SCHED_OTHER;
	*prio = p == SCHED_FIFO ? 4 : 0;
	return p;
}

static void *thread_fn(void *arg)
{
	struct report r = { .role = (int)(long)arg };
	struct sched_param sp;
	pid_t tid = gettid();

	tls_value = TLS_BASE + r.role;
	if (setpriority(PRIO_PROCESS, 0, thread_nice(r.role)))
		_exit(87);
	r.policy = thread_policy(r.role, &sp.sched_priority);
	if (sched_setscheduler(0, r.policy, &sp))
		_exit(86);
	if (write(rep_fd, &tid, sizeof(tid)) != sizeof(tid))
		_exit(91);
	wait_byte(&r);
	r.tid = gettid();
	r.pid = getpid();
	r.tls = tls_value;
	r.nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	r.nice = getpriority(PRIO_PROCESS, 0);
	r.policy = sched_getscheduler(0);
	r.prio = sched_getparam(0, &sp) ? -1 : sp.sched_priority;
	put_report(&r);
	return NULL;
}

static void threads_main(int rep)
{
	struct report r = { .role = -1 };
	pthread_t t[NR_THREADS];
	int i;

	rep_fd = rep;
	for (i = 0; i < NR_THREADS; i++)
		if (pthread_create(&t[i], NULL, thread_fn, (void *)(long)i))
			_exit(92);
	/* Its threads do not have it. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		_exit(89);
	for (i = 0; i < NR_THREADS; i++)
		if (pthread_join(t[i], NULL))
			r.err = 1;
	r.pid = getpid();
	r.tid = gettid();
	r.nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	r.nice = getpriority(PRIO_PROCESS, 0);
	put_report(&r);
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* Processes                                                           */

enum { ROOT, CHILD1, CHILD2, GRANDCHILD };

/* Descriptors the processes use while being set up, then close. */
static int setup_fds[5];	/* rep, sync read and write, our ctl and rep */
static int res_ours;		/* our end of RES_FD */

/*
 * A pipe from the root to the first child, which holds PIPE_BEFORE
 * bytes at the checkpoint; the root then writes PIPE_AFTER more and
 * closes it, and the child reads them all, then end of file.
 */
#define PIPE_BEFORE	3000
#define PIPE_AFTER	1000
static int pipe_fds[2];

static unsigned char pipe_byte(int i)
{
	return i * 7 + 3;
}

static int pipe_put(int from, int n)
{
	unsigned char buf[PIPE_BEFORE];
	int i;

	for (i = 0; i < n; i++)
		buf[i] = pipe_byte(from + i);
	return write(pipe_fds[1], buf, n) == n ? 0 : 3;
}

static int pipe_take(void)
{
	unsigned char buf[512];
	int total = 0, i;
	ssize_t n;

	while ((n = read(pipe_fds[0], buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] != pipe_byte(total + i))
				return 4;
		total += n;
	}
	return n == 0 && total == PIPE_BEFORE + PIPE_AFTER ? 0 : 5;
}

static void close_setup_fds(void)
{
	int i;

	for (i = 0; i < 5; i++)
		close(setup_fds[i]);
}

/* Report, then reap the children (in the order made) and exit. */
static void proc_body(int role, pid_t kids[2], int nr)
{
	struct report r = { .role = role };
	pid_t me = getpid();
	int i, st;

	if (write(setup_fds[0], &me, sizeof(me)) != sizeof(me))
		_exit(93);
	close_setup_fds();
	wait_byte(&r);
	if (!r.err && role == ROOT) {
		r.err = pipe_put(PIPE_BEFORE, PIPE_AFTER);
		close(pipe_fds[1]);
	} else if (!r.err && role == CHILD1) {
		r.err = pipe_take();
	}
	r.pid = me;
	r.ppid = getppid();
	r.pgid = getpgid(0);
	r.sid = getsid(0);
	r.nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	for (i = 0; i < nr; i++) {
		if (waitpid(kids[i], &st, 0) != kids[i])
			r.err = 2;
		r.status[i] = st;
	}
	put_report(&r);
	_exit(10 + role);
}

static pid_t fork_role(int role)
{
	pid_t kids[2] = { 0 }, pid, leader;
	int nr = 0;

	pid = fork();
	if (pid)
		return pid;
	if (role == ROOT)
		close(res_ours);
	switch (role) {
	case ROOT:
		if (pipe(pipe_fds))
			_exit(97);
		kids[nr++] = fork_role(CHILD1);
		kids[nr++] = fork_role(CHILD2);
		/* Its children do not have it. */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			_exit(88);
		close(pipe_fds[0]);
		if (pipe_put(0, PIPE_BEFORE))
			_exit(98);
		break;
	case CHILD1:
		close(pipe_fds[1]);
		kids[nr++] = fork_role(GRANDCHILD);
		break;
	case CHILD2:
		close(pipe_fds[0]);
		close(pipe_fds[1]);
		if (setpgid(0, 0))
			_exit(94);
		/* Let the grandchild join our group. */
		leader = getpid();
		if (write(setup_fds[2], &leader, sizeof(leader)) != sizeof(leader))
			_exit(95);
		break;
	case GRANDCHILD:
		close(pipe_fds[0]);
		if (read(setup_fds[1], &leader, sizeof(leader)) != sizeof(leader) ||
		    setpgid(0, leader))
			_exit(96);
		break;
	}
	proc_body(role, kids, nr);
	return 0;
}

/* ------------------------------------------------------------------ */

FIXTURE(tree)
{
	pid_t root;
	pid_t pids[NR_PROCS + NR_THREADS];	/* in report order */
	int nr_pids;
	int ctl, res;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_VARIANT(tree)
{
	bool threads;
	int nr_readers;		/* how many tasks wait for a byte */
	int nr_reports;		/* how many tasks report */
};

FIXTURE_VARIANT_ADD(tree, threads)
{
	.threads = true,
	.nr_readers = NR_THREADS,
	.nr_reports = NR_THREADS + 1,
};

FIXTURE_VARIANT_ADD(tree, processes)
{
	.nr_readers = NR_PROCS,
	.nr_reports = NR_PROCS,
};

FIXTURE_SETUP(tree)
{
	memset(&self->img, 0, sizeof(self->img));
	self->root = -1;
	self->ctl = -1;
	self->res = -1;
}

FIXTURE_TEARDOWN(tree)
{
	if (self->root > 0) {
		kill(self->root, SIGKILL);
		waitpid(self->root, NULL, 0);
	}
	if (self->ctl >= 0)
		close(self->ctl);
	if (self->res >= 0)
		close(self->res);
	image_free(&self->img);
}

/* Start the tasks; once all wait in read(), checkpoint them. */
static int start_and_checkpoint(struct _test_data_tree *self,
				const struct _fixture_variant_tree *variant,
				unsigned long flags)
{
	int rep[2], sync[2], i, n;
	long ret;

	if (pipe2(rep, O_CLOEXEC) || pipe2(sync, O_CLOEXEC))
		return -errno;
	self->ctl = pipe_at(CTL_FD, true);
	self->res = pipe_at(RES_FD, false);
	if (self->ctl < 0 || self->res < 0)
		return -errno;
	if (variant->threads) {
		self->root = fork();
		if (!self->root) {
			close(rep[0]);
			close(self->ctl);
			close(self->res);
			threads_main(rep[1]);
		}
		n = NR_THREADS;
	} else {
		setup_fds[0] = rep[1];
		setup_fds[1] = sync[0];
		setup_fds[2] = sync[1];
		setup_fds[3] = self->ctl;
		setup_fds[4] = rep[0];
		/* Each process closes these and our read end of its reports. */
		res_ours = self->res;
		self->root = fork_role(ROOT);
		n = NR_PROCS;
	}
	close(rep[1]);
	close(sync[0]);
	close(sync[1]);
	close(CTL_FD);
	close(RES_FD);
	self->nr_pids = 0;
	for (i = 0; i < n; i++) {
		pid_t pid;

		if (read(rep[0], &pid, sizeof(pid)) != sizeof(pid))
			break;
		self->pids[self->nr_pids++] = pid;
	}
	close(rep[0]);
	if (self->nr_pids != n)
		return -EIO;
	if (variant->threads)
		ret = wait_in_syscall(self->root, __NR_futex);
	else
		ret = 0;
	for (i = 0; !ret && i < n; i++)
		ret = wait_in_syscall(self->pids[i], __NR_read);
	if (ret)
		return ret;

	ret = checkpoint_image(self->root, flags, &self->img, self->log,
			       sizeof(self->log));
	return ret < 0 ? ret : 0;
}

static bool known_pid(struct _test_data_tree *self, pid_t pid)
{
	int i;

	for (i = 0; i < self->nr_pids; i++)
		if (self->pids[i] == pid)
			return true;
	return false;
}

/* Let the tasks go; check their reports and the root's exit. */
static void collect_and_check(struct __test_metadata *_metadata,
			      struct _test_data_tree *self,
			      const struct _fixture_variant_tree *variant,
			      pid_t root, int ctl, int res)
{
	struct report r[NR_PROCS + NR_THREADS + 1], *by_role[NR_PROCS] = { 0 };
	bool seen[NR_THREADS] = { 0 };
	int i, st, prio;

	for (i = 0; i < variant->nr_readers; i++)
		ASSERT_EQ(1, write(ctl, "x", 1));
	alarm(60);
	for (i = 0; i < variant->nr_reports; i++)
		ASSERT_EQ(sizeof(r[i]), read(res, &r[i], sizeof(r[i])));
	alarm(0);
	ASSERT_EQ(root, waitpid(root, &st, 0));
	for (i = 0; i < variant->nr_reports; i++)
		EXPECT_EQ(0, r[i].err) TH_LOG("role %d", r[i].role);

	if (variant->threads) {
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		for (i = 0; i < variant->nr_reports; i++) {
			EXPECT_EQ(root, r[i].pid);
			if (r[i].role < 0) {
				/* The main thread joined them all. */
				EXPECT_EQ(root, r[i].tid);
				EXPECT_EQ(1, r[i].nnp);
				EXPECT_EQ(getpriority(PRIO_PROCESS, 0), r[i].nice);
				continue;
			}
			EXPECT_EQ(0, r[i].nnp) TH_LOG("thread %d", r[i].role);
			EXPECT_EQ(thread_nice(r[i].role), r[i].nice)
				TH_LOG("thread %d", r[i].role);
			EXPECT_EQ(thread_policy(r[i].role, &prio), r[i].policy)
				TH_LOG("thread %d", r[i].role);
			EXPECT_EQ(prio, r[i].prio) TH_LOG("thread %d", r[i].role);
			ASSERT_LT(r[i].role, NR_THREADS);
			EXPECT_FALSE(seen[r[i].role]);
			seen[r[i].role] = true;
			EXPECT_TRUE(known_pid(self, r[i].tid))
				TH_LOG("tid %d is new", r[i].tid);
			EXPECT_EQ(TLS_BASE + r[i].role, r[i].tls);
		}
		return;
	}

	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 10 + ROOT);
	for (i = 0; i < variant->nr_reports; i++) {
		ASSERT_LT(r[i].role, NR_PROCS);
		by_role[r[i].role] = &r[i];
		EXPECT_TRUE(known_pid(self, r[i].pid));
		EXPECT_EQ(getsid(0), r[i].sid);
		EXPECT_EQ(r[i].role == ROOT, r[i].nnp) TH_LOG("role %d", r[i].role);
	}
	for (i = 0; i < NR_PROCS; i++)
		ASSERT_NE(NULL, by_role[i]);
	EXPECT_EQ(root, by_role[ROOT]->pid);
	EXPECT_EQ(getpid(), by_role[ROOT]->ppid);
	EXPECT_EQ(getpgid(0), by_role[ROOT]->pgid);
	EXPECT_EQ(root, by_role[CHILD1]->ppid);
	EXPECT_EQ(root, by_role[CHILD2]->ppid);
	EXPECT_EQ(by_role[CHILD1]->pid, by_role[GRANDCHILD]->ppid);
	EXPECT_EQ(getpgid(0), by_role[CHILD1]->pgid);
	EXPECT_EQ(by_role[CHILD2]->pid, by_role[CHILD2]->pgid);
	EXPECT_EQ(by_role[CHILD2]->pid, by_role[GRANDCHILD]->pgid);
	/* Each parent got its children's exit statuses. */
	EXPECT_EQ(10 + CHILD1, WEXITSTATUS(by_role[ROOT]->status[0]));
	EXPECT_EQ(10 + CHILD2, WEXITSTATUS(by_role[ROOT]->status[1]));
	EXPECT_EQ(10 + GRANDCHILD, WEXITSTATUS(by_role[CHILD1]->status[0]));
}

TEST_F(tree, continues_after_checkpoint)
{
	ASSERT_EQ(0, start_and_checkpoint(self, variant, 0))
		TH_LOG("log: %s", self->log);
	collect_and_check(_metadata, self, variant, self->root, self->ctl,
			  self->res);
	self->root = -1;
}

/* Restart the image and check the tasks are as they were. */
static void restart_and_check(struct __test_metadata *_metadata,
			      struct _test_data_tree *self,
			      const struct _fixture_variant_tree *variant)
{
	int ctl, res;
	long pid;

	pid = restart_with_pipes(&self->img, CTL_FD, &ctl, RES_FD, &res,
				 self->log, sizeof(self->log), NULL);
	ASSERT_EQ(self->root, pid)
		TH_LOG("log: %s", self->log);
	collect_and_check(_metadata, self, variant, pid, ctl, res);
	close(ctl);
	close(res);
}

static void checkpoint_and_kill(struct __test_metadata *_metadata,
				struct _test_data_tree *self,
				const struct _fixture_variant_tree *variant)
{
	int i;

	ASSERT_EQ(0, start_and_checkpoint(self, variant, CHECKPOINT_KILL))
		TH_LOG("log: %s", self->log);
	ASSERT_EQ(self->root, waitpid(self->root, NULL, 0));
	/* Their pids must be free again for the restart. */
	for (i = 0; i < self->nr_pids; i++)
		while (!kill(self->pids[i], 0))
			usleep(1000);
	close(self->ctl);
	close(self->res);
	self->ctl = -1;
	self->res = -1;
}

TEST_F(tree, restarts_with_the_same_tasks)
{
	checkpoint_and_kill(_metadata, self, variant);
	restart_and_check(_metadata, self, variant);
	self->root = -1;
}

TEST_F(tree, restarts_twice_from_one_image)
{
	checkpoint_and_kill(_metadata, self, variant);
	restart_and_check(_metadata, self, variant);
	restart_and_check(_metadata, self, variant);
	self->root = -1;
}

/* The original tasks but @gone still run: check, then kill them. */
static void expect_left_running(struct __test_metadata *_metadata,
				struct _test_data_tree *self, pid_t gone)
{
	int i;

	for (i = 0; i < self->nr_pids; i++) {
		if (self->pids[i] == self->root || self->pids[i] == gone)
			continue;
		EXPECT_EQ(0, kill(self->pids[i], 0));
		EXPECT_EQ(0, wait_in_syscall(self->pids[i], __NR_read));
		kill(self->pids[i], SIGKILL);
	}
	self->root = -1;
}

/* Restart the image, which fails with EBUSY on a pid in use. */
static void expect_busy_restart(struct __test_metadata *_metadata,
				struct _test_data_tree *self)
{
	int ctl, res;
	long pid;

	pid = restart_with_pipes(&self->img, CTL_FD, &ctl, RES_FD, &res,
				 self->log, sizeof(self->log), NULL);
	close(ctl);
	close(res);
	EXPECT_EQ(-EBUSY, pid);
	EXPECT_NE(NULL, strstr(self->log, "is in use"))
		TH_LOG("log: %s", self->log);
}

/*
 * A restart that fails part way, on a pid still in use by a child of the
 * original tree, leaves nothing behind: the root it created is gone
 * when restart() returns EBUSY, and the original children are unharmed.
 */
TEST_F(tree, busy_pid_fails_cleanly)
{
	if (variant->threads)
		SKIP(return, "a thread cannot outlive its process");
	ASSERT_EQ(0, start_and_checkpoint(self, variant, 0))
		TH_LOG("log: %s", self->log);
	ASSERT_EQ(0, kill(self->root, SIGKILL));
	ASSERT_EQ(self->root, waitpid(self->root, NULL, 0));

	expect_busy_restart(_metadata, self);
	/* The root it made is gone, and was reaped. */
	EXPECT_EQ(-1, kill(self->root, 0));
	EXPECT_EQ(-1, waitpid(-1, NULL, WNOHANG | __WALL));
	/* The original children still run. */
	expect_left_running(_metadata, self, self->root);
}

/*
 * The same when the pid in use is that of the third task of the image,
 * which restart creates while the second reads: the root and the second
 * are killed, the others left running.
 */
TEST_F(tree, busy_pid_ahead_fails_cleanly)
{
	pid_t second;
	int i;

	if (variant->threads)
		SKIP(return, "a thread cannot outlive its process");
	ASSERT_EQ(0, start_and_checkpoint(self, variant, 0))
		TH_LOG("log: %s", self->log);
	ASSERT_NE(NULL, image_pids(&self->img));
	ASSERT_LE(3, image_tree(&self->img)->nr_tasks);
	second = image_pids(&self->img)[1].pid;
	ASSERT_EQ(0, kill(second, SIGKILL));
	ASSERT_EQ(0, kill(self->root, SIGKILL));
	ASSERT_EQ(self->root, waitpid(self->root, NULL, 0));
	/* Reaped by init, or by us as the subreaper */
	for (i = 0; i < 5000 && !kill(second, 0); i++) {
		waitpid(second, NULL, WNOHANG);
		usleep(1000);
	}
	ASSERT_EQ(-1, kill(second, 0));

	expect_busy_restart(_metadata, self);
	/* The root and the second it made are gone, and were reaped. */
	EXPECT_EQ(-1, kill(self->root, 0));
	EXPECT_EQ(-1, kill(second, 0));
	EXPECT_EQ(-1, waitpid(-1, NULL, WNOHANG | __WALL));
	/* The other original tasks still run. */
	expect_left_running(_metadata, self, second);
}

/* A child of ours that holds pid @pid, or -1 (errno set). */
static pid_t hold_pid(pid_t pid)
{
	struct clone_args args = {
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)&pid,
		.set_tid_size = 1,
	};
	pid_t ret;

	fflush(stdout);
	fflush(stderr);
	ret = syscall(SYS_clone3, &args, sizeof(args));
	if (!ret) {
		for (;;)
			pause();
	}
	return ret;
}

/*
 * The threads of a process are created one by the other while its main
 * thread reads its memory: when the tid of the second is in use, the
 * first cannot create it, nor any thread after it, and restart fails
 * with EBUSY once the turn comes to it.  Nothing of the restart is left
 * behind, the task holding the tid is unharmed, and the image restarts
 * once the tid is free again.
 */
TEST_F(tree, busy_thread_fails_cleanly)
{
	const struct ckpt_pids *p;
	pid_t holder;
	int status;

	if (!variant->threads)
		SKIP(return, "busy_pid_ahead_fails_cleanly covers processes");
	checkpoint_and_kill(_metadata, self, variant);
	p = image_pids(&self->img);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(NR_THREADS + 1, image_tree(&self->img)->nr_tasks);
	/* The leader, then its threads */
	ASSERT_EQ(self->root, p[0].pid);
	ASSERT_EQ(self->root, p[2].tgid);
	ASSERT_NE(p[2].tgid, p[2].pid);
	holder = hold_pid(p[2].pid);
	if (holder < 0 && errno == EPERM)
		SKIP(return, "choosing a pid needs CAP_CHECKPOINT_RESTORE");
	ASSERT_EQ(p[2].pid, holder) TH_LOG("clone3: %s", strerror(errno));

	expect_busy_restart(_metadata, self);
	EXPECT_EQ(-1, kill(self->root, 0));
	EXPECT_EQ(-1, kill(p[1].pid, 0));
	EXPECT_EQ(-1, kill(p[3].pid, 0));
	EXPECT_EQ(0, kill(holder, 0));
	EXPECT_EQ(0, kill(holder, SIGKILL));
	EXPECT_EQ(holder, waitpid(holder, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_EQ(-1, waitpid(-1, NULL, WNOHANG | __WALL));

	restart_and_check(_metadata, self, variant);
	self->root = -1;
}

/* held_while_forking */

#define STORM_ROUNDS	10	/* checkpoints of the forking tree */
#define STORM_TRIES	5	/* attempts of each, which EAGAIN repeats */
#define STORM_AHEAD	16	/* children forked and not yet reaped, at most */
#define STORM_STATUS	7	/* of a grandchild */

struct storm_report {
	long forks, reaped;
	int errors;
};

static void __noreturn storm_child(void)
{
	pid_t pid = fork();
	int status;

	if (!pid)
		_exit(STORM_STATUS);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		_exit(2);
	_exit(WIFEXITED(status) && WEXITSTATUS(status) == STORM_STATUS ? 0 : 3);
}

static void storm_reap(struct storm_report *r, int flags)
{
	int status;

	while (waitpid(-1, &status, flags) > 0) {
		r->reaped++;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			r->errors++;
		if (flags & WNOHANG)
			continue;
		if (r->forks - r->reaped < STORM_AHEAD)
			break;
	}
}

/* Fork until a byte comes on CTL_FD, then reap all and report. */
static void __noreturn storm_main(void)
{
	struct pollfd p = { .fd = CTL_FD, .events = POLLIN };
	struct storm_report r = { 0 };
	pid_t pid;

	while (poll(&p, 1, 0) == 0) {
		pid = fork();
		if (!pid)
			storm_child();
		if (pid < 0)
			r.errors++;
		else
			r.forks++;
		storm_reap(&r, WNOHANG);
		if (r.forks - r.reaped >= STORM_AHEAD)
			storm_reap(&r, 0);
	}
	while (r.reaped < r.forks) {
		long reaped = r.reaped;

		storm_reap(&r, 0);
		if (r.reaped == reaped)
			break;
	}
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(90);
	_exit(0);
}

/* Each task of the image comes after its parent, the root first. */
static void check_storm_tree(struct __test_metadata *_metadata,
			     const struct ckpt_image *img, pid_t root)
{
	const struct ckpt_hdr_tree *t = image_tree(img);
	const struct ckpt_pids *pids = image_pids(img);
	unsigned int i, j;

	ASSERT_NE(NULL, t);
	ASSERT_LE(1, t->nr_tasks);
	EXPECT_EQ(root, pids[0].pid);
	EXPECT_EQ(0, pids[0].ppid);
	for (i = 1; i < t->nr_tasks; i++) {
		for (j = 0; j < i; j++)
			if (pids[j].pid == pids[i].ppid)
				break;
		EXPECT_LT(j, i) TH_LOG("pid %d: parent %d is not before it",
				       pids[i].pid, pids[i].ppid);
	}
}

static void stop_storm(struct __test_metadata *_metadata, pid_t pid, int ctl,
		       int res)
{
	struct storm_report r;
	int status;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), 30000));
	EXPECT_EQ(0, r.errors);
	EXPECT_LT(0, r.forks);
	EXPECT_EQ(r.forks, r.reaped);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

TEST(held_while_forking)
{
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE];
	const struct ckpt_pids *pids;
	int ctl, res, i, tries, retried = 0, tasks = 0;
	pid_t pid;
	long ret;

	pid = fork_with_pipes(CTL_FD, &ctl, RES_FD, &res, storm_main);
	ASSERT_LT(0, pid);
	usleep(100000);
	for (i = 0; i < STORM_ROUNDS; i++) {
		/*
		 * A child that its parent is reaping as the tree is collected
		 * makes the checkpoint fail with EAGAIN, the tree untouched:
		 * the caller tries again, as the message says.
		 */
		for (tries = 0; tries < STORM_TRIES; tries++) {
			ret = checkpoint_image(pid, CHECKPOINT_SCOPE_TREE |
					       (i == STORM_ROUNDS - 1 ?
						CHECKPOINT_KILL : 0),
					       &img, log, sizeof(log));
			if (ret != -EAGAIN)
				break;
			retried++;
		}
		ASSERT_LT(0, ret) TH_LOG("checkpoint %d: %s", i, log);
		check_storm_tree(_metadata, &img, pid);
		tasks += image_tree(&img)->nr_tasks;
	}
	TH_LOG("%d checkpoints of the forking tree, %d tasks in all, %d tried again",
	       STORM_ROUNDS, tasks, retried);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	close(ctl);
	close(res);

	/* Their pids must be free again for the restart. */
	pids = image_pids(&img);
	for (i = 0; i < (int)image_tree(&img)->nr_tasks; i++)
		while (!kill(pids[i].pid, 0))
			usleep(1000);
	ret = restart_with_pipes(&img, CTL_FD, &ctl, RES_FD, &res, log,
				 sizeof(log), NULL);
	ASSERT_EQ(pid, ret) TH_LOG("restart: %s", log);
	usleep(200000);
	stop_storm(_metadata, pid, ctl, res);
	close(ctl);
	close(res);
	image_free(&img);
}

TEST_HARNESS_MAIN
