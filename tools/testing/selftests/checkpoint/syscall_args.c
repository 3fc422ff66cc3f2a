// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint(2) and restart(2): argument checks, target states,
 * permissions and the set of tasks each scope selects.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* An fd number that is certainly not open. */
static int closed_fd(void)
{
	int fd = memfd_create("closed", MFD_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* Reopen @fd through /proc with @flags; -1 if /proc is not there. */
static int reopen(int fd, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags | O_CLOEXEC);
}

static off_t fd_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

/* ------------------------------------------------------------------ */
/* Arguments                                                           */

FIXTURE(args)
{
	int image;	/* memfd, read-write */
	int log[2];	/* log pipe */
	char logbuf[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(args)
{
	self->image = memfd_create("ckpt-image", MFD_CLOEXEC);
	ASSERT_GE(self->image, 0);
	ASSERT_EQ(0, log_pipe(self->log));
}

FIXTURE_TEARDOWN(args)
{
	close(self->image);
	close(self->log[0]);
	close(self->log[1]);
}

TEST_F(args, checkpoint_without_image_fd_is_ebadf)
{
	int path = open("/", O_PATH | O_CLOEXEC);

	EXPECT_EQ(-EBADF, ckpt_ret(sys_checkpoint(0, -1, CHECKPOINT_SCOPE_TASK, -1)));
	EXPECT_EQ(-EBADF, ckpt_ret(sys_checkpoint(0, closed_fd(), CHECKPOINT_SCOPE_TASK, -1)));
	EXPECT_EQ(-EBADF, ckpt_ret(sys_checkpoint(0, INT_MAX, CHECKPOINT_SCOPE_TASK, -1)));
	ASSERT_GE(path, 0);
	EXPECT_EQ(-EBADF, ckpt_ret(sys_checkpoint(0, path, CHECKPOINT_SCOPE_TASK, -1)));
	close(path);
}

TEST_F(args, checkpoint_to_read_only_fd_is_ebadf)
{
	int pipefd[2], ro;

	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));
	EXPECT_EQ(-EBADF, ckpt_ret(sys_checkpoint(0, pipefd[0], CHECKPOINT_SCOPE_TASK,
						  self->log[1])));
	/* The refusal is explained on the log fd, naming the fd. */
	log_drain(self->log[0], self->logbuf, sizeof(self->logbuf));
	EXPECT_NE(0, strlen(self->logbuf));
	EXPECT_TRUE(log_has_number(self->logbuf, pipefd[0]))
		TH_LOG("log: %s", self->logbuf);
	close(pipefd[0]);
	close(pipefd[1]);

	ro = reopen(self->image, O_RDONLY);
	if (ro < 0)
		SKIP(return, "/proc is not mounted");
	EXPECT_EQ(-EBADF, ckpt_ret(sys_checkpoint(0, ro, CHECKPOINT_SCOPE_TASK, -1)));
	EXPECT_EQ(0, fd_size(self->image));
	close(ro);
}

TEST_F(args, restart_without_image_fd_is_ebadf)
{
	int path = open("/", O_PATH | O_CLOEXEC);

	EXPECT_EQ(-EBADF, ckpt_ret(sys_restart(0, -1, RESTART_VALIDATE, -1)));
	EXPECT_EQ(-EBADF, ckpt_ret(sys_restart(0, closed_fd(), RESTART_VALIDATE, -1)));
	EXPECT_EQ(-EBADF, ckpt_ret(sys_restart(0, INT_MAX, RESTART_VALIDATE, -1)));
	ASSERT_GE(path, 0);
	EXPECT_EQ(-EBADF, ckpt_ret(sys_restart(0, path, RESTART_VALIDATE, -1)));
	close(path);
}

TEST_F(args, restart_from_write_only_fd_is_ebadf)
{
	int pipefd[2], wo;

	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));
	EXPECT_EQ(-EBADF, ckpt_ret(sys_restart(0, pipefd[1], RESTART_VALIDATE,
					       self->log[1])));
	log_drain(self->log[0], self->logbuf, sizeof(self->logbuf));
	EXPECT_NE(0, strlen(self->logbuf));
	EXPECT_TRUE(log_has_number(self->logbuf, pipefd[1]))
		TH_LOG("log: %s", self->logbuf);
	close(pipefd[0]);
	close(pipefd[1]);

	wo = reopen(self->image, O_WRONLY);
	if (wo < 0)
		SKIP(return, "/proc is not mounted");
	EXPECT_EQ(-EBADF, ckpt_ret(sys_restart(0, wo, RESTART_VALIDATE, -1)));
	close(wo);
}

TEST_F(args, bad_logfd_is_ebadf)
{
	int path = open("/", O_PATH | O_CLOEXEC);
	int bad[] = { -2, INT_MIN, closed_fd(), INT_MAX, self->log[0], path };
	unsigned int i;

	ASSERT_GE(path, 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EBADF, ckpt_ret(sys_checkpoint(0, self->image,
							  CHECKPOINT_SCOPE_TASK, bad[i])))
			TH_LOG("checkpoint logfd %d", bad[i]);
		EXPECT_EQ(-EBADF, ckpt_ret(sys_restart(0, self->image,
						       RESTART_VALIDATE, bad[i])))
			TH_LOG("restart logfd %d", bad[i]);
	}
	/* Nothing was written for the refused checkpoints. */
	EXPECT_EQ(0, fd_size(self->image));
	close(path);
}

TEST_F(args, log_file_keeps_every_message)
{
	int log = memfd_create("ckpt-log", MFD_CLOEXEC);
	off_t one;

	/* Two identical refusals logged to one regular file: two messages. */
	ASSERT_GE(log, 0);
	EXPECT_EQ(-ENODATA, ckpt_ret(sys_restart(0, self->image, RESTART_VALIDATE, log)));
	one = fd_size(log);
	ASSERT_LT(0, one);
	EXPECT_EQ(-ENODATA, ckpt_ret(sys_restart(0, self->image, RESTART_VALIDATE, log)));
	EXPECT_EQ(2 * one, fd_size(log));

	ASSERT_EQ(0, ftruncate(log, 0));
	ASSERT_EQ(0, lseek(log, 0, SEEK_SET));
	EXPECT_EQ(-ESRCH, ckpt_ret(sys_checkpoint(INT_MAX, self->image,
						  CHECKPOINT_SCOPE_TASK, log)));
	one = fd_size(log);
	ASSERT_LT(0, one);
	EXPECT_EQ(-ESRCH, ckpt_ret(sys_checkpoint(INT_MAX, self->image,
						  CHECKPOINT_SCOPE_TASK, log)));
	EXPECT_EQ(2 * one, fd_size(log));
	close(log);
}

TEST_F(args, checkpoint_unknown_flags_are_einval)
{
	unsigned long bad[] = {
		0x2000, 0x4000, 0x8000, 1UL << 31, 1UL << 32, 1UL << 63,
		~0UL, CHECKPOINT_SCOPE_TASK | 0x2000,
		CHECKPOINT_SAVE_ALL | 0x2000,
		CHECKPOINT_KILL | CHECKPOINT_STOP,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, ckpt_ret(sys_checkpoint(0, self->image, bad[i],
							   self->log[1])))
			TH_LOG("flags %#lx", bad[i]);
	}
	EXPECT_EQ(0, fd_size(self->image));
}

TEST_F(args, restart_unknown_flags_are_einval)
{
	unsigned long bad[] = {
		0x4, 0x8, 0x10, 0x100, 1UL << 31, 1UL << 32, 1UL << 63, ~0UL,
		RESTART_VALIDATE | 0x2,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, ckpt_ret(sys_restart(0, self->image, bad[i],
							self->log[1])))
			TH_LOG("flags %#lx", bad[i]);
	}
}

TEST_F(args, restart_nonzero_pid_is_einval)
{
	pid_t bad[] = { 1, -1, getpid(), INT_MAX, INT_MIN };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, ckpt_ret(sys_restart(bad[i], self->image,
							RESTART_VALIDATE, self->log[1])))
			TH_LOG("pid %d", bad[i]);
	}
}

TEST_F(args, checkpoint_missing_pid_is_esrch)
{
	pid_t gone;

	/* Above any pid_max. */
	EXPECT_EQ(-ESRCH, ckpt_ret(sys_checkpoint(INT_MAX, self->image,
						  CHECKPOINT_SCOPE_TASK, self->log[1])));
	log_drain(self->log[0], self->logbuf, sizeof(self->logbuf));
	EXPECT_TRUE(log_has_number(self->logbuf, INT_MAX))
		TH_LOG("log: %s", self->logbuf);

	/* A reaped child. */
	gone = fork();
	ASSERT_GE(gone, 0);
	if (!gone)
		_exit(0);
	ASSERT_EQ(gone, waitpid(gone, NULL, 0));
	EXPECT_EQ(-ESRCH, ckpt_ret(sys_checkpoint(gone, self->image,
						  CHECKPOINT_SCOPE_TASK, self->log[1])));
	log_drain(self->log[0], self->logbuf, sizeof(self->logbuf));
	EXPECT_TRUE(log_has_number(self->logbuf, gone))
		TH_LOG("log: %s", self->logbuf);
	EXPECT_EQ(0, fd_size(self->image));
}

TEST_F(args, checkpoint_negative_pid_is_einval)
{
	pid_t bad[] = { -1, -100, INT_MIN };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, ckpt_ret(sys_checkpoint(bad[i], self->image,
							   CHECKPOINT_SCOPE_TASK,
							   self->log[1])))
			TH_LOG("pid %d", bad[i]);
		log_drain(self->log[0], self->logbuf, sizeof(self->logbuf));
		EXPECT_TRUE(log_has_number(self->logbuf, bad[i]))
			TH_LOG("log: %s", self->logbuf);
	}
	EXPECT_EQ(0, fd_size(self->image));
}

TEST_F(args, unknown_scopes_are_eopnotsupp)
{
	unsigned long scope;

	for (scope = CHECKPOINT_SCOPE_CGROUP + 1; scope <= CHECKPOINT_SCOPE_MASK;
	     scope++) {
		EXPECT_EQ(-EOPNOTSUPP, ckpt_ret(sys_checkpoint(0, self->image, scope,
							       self->log[1])))
			TH_LOG("scope %#lx", scope);
		EXPECT_EQ(-EOPNOTSUPP,
			  ckpt_ret(sys_checkpoint(0, self->image,
						  scope | CHECKPOINT_PIDFD,
						  self->log[1])))
			TH_LOG("scope %#lx with CHECKPOINT_PIDFD", scope);
	}
	EXPECT_EQ(0, fd_size(self->image));
}

/* The cgroup scope takes a cgroup directory fd, never a pidfd. */
TEST_F(args, cgroup_scope_needs_a_cgroup_fd)
{
	EXPECT_EQ(-EBADF, ckpt_ret(sys_checkpoint(self->image, self->image,
						  CHECKPOINT_SCOPE_CGROUP,
						  self->log[1])));
	EXPECT_EQ(-EINVAL, ckpt_ret(sys_checkpoint(0, self->image,
						   CHECKPOINT_SCOPE_CGROUP |
						   CHECKPOINT_PIDFD,
						   self->log[1])));
	EXPECT_EQ(0, fd_size(self->image));
}

TEST_F(args, pidfd_flag_needs_a_pidfd)
{
	EXPECT_EQ(-EBADF, ckpt_ret(sys_checkpoint(-1, self->image,
						  CHECKPOINT_PIDFD | CHECKPOINT_SCOPE_TASK,
						  self->log[1])));
	/* A descriptor that is not a pidfd. */
	EXPECT_EQ(-EBADF, ckpt_ret(sys_checkpoint(self->log[0], self->image,
						  CHECKPOINT_PIDFD | CHECKPOINT_SCOPE_TASK,
						  self->log[1])));
	EXPECT_EQ(0, fd_size(self->image));
}

TEST_F(args, pidfd_of_reaped_child_is_esrch)
{
	pid_t gone;
	int pidfd;

	gone = fork();
	ASSERT_GE(gone, 0);
	if (!gone)
		_exit(0);
	pidfd = sys_pidfd_open(gone, 0);
	ASSERT_GE(pidfd, 0);
	ASSERT_EQ(gone, waitpid(gone, NULL, 0));
	EXPECT_EQ(-ESRCH, ckpt_ret(sys_checkpoint(pidfd, self->image,
						  CHECKPOINT_PIDFD | CHECKPOINT_SCOPE_TASK,
						  self->log[1])));
	EXPECT_EQ(0, fd_size(self->image));
	close(pidfd);
}

/* ------------------------------------------------------------------ */
/* The caller itself                                                   */

static void assert_single_task_image(struct __test_metadata *_metadata,
				     const struct ckpt_image *img, pid_t pid)
{
	struct ckpt_hdr_tree *tree = image_tree(img);
	struct ckpt_pids *pids = image_pids(img);
	struct ckpt_hdr_task *task = image_rec(img, CKPT_HDR_TASK, 0);

	ASSERT_NE(NULL, tree);
	ASSERT_EQ(1, tree->nr_tasks);
	EXPECT_EQ(pid, pids[0].pid);
	EXPECT_EQ(pid, pids[0].tgid);
	EXPECT_EQ(0, pids[0].ppid);
	ASSERT_NE(NULL, task);
	EXPECT_EQ(pid, task->pid);
	EXPECT_EQ(1, image_count(img, CKPT_HDR_TASK));
}

TEST(self_task_scope_is_checkpointed)
{
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE];

	EXPECT_LT(0, checkpoint_image(0, CHECKPOINT_SCOPE_TASK, &img, log, sizeof(log)))
		TH_LOG("log: %s", log);
	assert_single_task_image(_metadata, &img, getpid());
	EXPECT_EQ(0, validate_image(&img, log, sizeof(log)))
		TH_LOG("log: %s", log);
	image_free(&img);

	/* Our own pid names us as well as 0 does. */
	EXPECT_LT(0, checkpoint_image(getpid(), CHECKPOINT_SCOPE_TASK, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	assert_single_task_image(_metadata, &img, getpid());
	image_free(&img);
}

TEST(self_tree_scope_without_children_is_checkpointed)
{
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE];

	EXPECT_LT(0, checkpoint_image(0, CHECKPOINT_SCOPE_TREE, &img, log, sizeof(log)))
		TH_LOG("log: %s", log);
	assert_single_task_image(_metadata, &img, getpid());
	image_free(&img);
}

static int self_thread_pipe[2];
static pid_t self_thread_tid;

static void *self_thread_fn(void *arg)
{
	char c;

	__atomic_store_n(&self_thread_tid, gettid(), __ATOMIC_SEQ_CST);
	if (read(self_thread_pipe[0], &c, 1) != 1)
		return (void *)1;
	return NULL;
}

TEST(self_with_running_thread)
{
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE];
	struct ckpt_pids *pids;
	pthread_t t;
	void *res;

	ASSERT_EQ(0, pipe2(self_thread_pipe, O_CLOEXEC));
	ASSERT_EQ(0, pthread_create(&t, NULL, self_thread_fn, NULL));
	while (!__atomic_load_n(&self_thread_tid, __ATOMIC_SEQ_CST))
		sched_yield();

	/* The caller runs; its other thread is held while it is saved. */
	EXPECT_LT(0, checkpoint_image(0, CHECKPOINT_SCOPE_TASK, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	ASSERT_NE(NULL, image_tree(&img));
	EXPECT_EQ(2, image_tree(&img)->nr_tasks);
	pids = image_pids(&img);
	EXPECT_EQ(getpid(), pids[0].pid);
	EXPECT_EQ(self_thread_tid, pids[1].pid);
	EXPECT_EQ(getpid(), pids[1].tgid);
	image_free(&img);

	/* The thread's read() was not disturbed: it gets its byte. */
	ASSERT_EQ(1, write(self_thread_pipe[1], "x", 1));
	ASSERT_EQ(0, pthread_join(t, &res));
	EXPECT_EQ(NULL, res);
}

/* ------------------------------------------------------------------ */
/* A stopped child                                                     */

FIXTURE(stopped)
{
	struct family f;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(stopped)
{
	struct family_opts o = { .comm = "ckpt-stopped", .state = FAMILY_STOPPED };

	ASSERT_EQ(0, family_spawn(&self->f, &o));
}

FIXTURE_TEARDOWN(stopped)
{
	family_kill(&self->f);
	image_free(&self->img);
}

TEST_F(stopped, stopped_child_is_checkpointed)
{
	struct ckpt_hdr_header *h;
	long id;

	id = checkpoint_image(self->f.child, CHECKPOINT_SCOPE_TASK, &self->img,
			      self->log, sizeof(self->log));
	EXPECT_LT(0, id)
		TH_LOG("log: %s", self->log);
	ASSERT_LT(sizeof(*h), self->img.len);
	h = (struct ckpt_hdr_header *)self->img.buf;
	EXPECT_EQ(CKPT_HDR_HEADER, h->h.type);
	EXPECT_EQ(0, memcmp(h->magic, CKPT_MAGIC, CKPT_MAGIC_LEN));
	assert_single_task_image(_metadata, &self->img, self->f.child);
	/* A successful checkpoint says nothing. */
	EXPECT_STREQ("", self->log);
}

TEST_F(stopped, checkpoint_ids_are_positive_and_distinct)
{
	long id1, id2;

	id1 = checkpoint_image(self->f.child, CHECKPOINT_SCOPE_TASK, NULL, NULL, 0);
	id2 = checkpoint_image(self->f.child, CHECKPOINT_SCOPE_TASK, NULL, NULL, 0);
	EXPECT_LT(0, id1);
	EXPECT_LT(0, id2);
	EXPECT_NE(id1, id2);
}

TEST_F(stopped, checkpoint_leaves_child_stopped)
{
	int st;

	ASSERT_LT(0, checkpoint_image(self->f.child, CHECKPOINT_SCOPE_TREE, NULL,
				      NULL, 0));
	/* No state change to report: still stopped, not continued. */
	EXPECT_EQ(0, waitpid(self->f.child, &st, WNOHANG | WUNTRACED | WCONTINUED));
	/* And it can be continued and stopped as before. */
	ASSERT_EQ(0, kill(self->f.child, SIGCONT));
	ASSERT_EQ(self->f.child, waitpid(self->f.child, &st, WCONTINUED));
	EXPECT_TRUE(WIFCONTINUED(st));
}

TEST_F(stopped, pidfd_names_the_target)
{
	struct ckpt_hdr_header *h;
	int pidfd = sys_pidfd_open(self->f.child, 0);

	ASSERT_GE(pidfd, 0);
	EXPECT_LT(0, checkpoint_image(pidfd, CHECKPOINT_PIDFD | CHECKPOINT_SCOPE_TASK,
				      &self->img, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
	assert_single_task_image(_metadata, &self->img, self->f.child);
	h = (struct ckpt_hdr_header *)self->img.buf;
	EXPECT_EQ(CHECKPOINT_PIDFD | CHECKPOINT_SCOPE_TASK, h->flags);
	image_free(&self->img);

	/* Tree scope (0) with a pidfd. */
	EXPECT_LT(0, checkpoint_image(pidfd, CHECKPOINT_PIDFD, &self->img,
				      self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
	assert_single_task_image(_metadata, &self->img, self->f.child);
	close(pidfd);
}

TEST(kernel_thread_is_eperm)
{
	struct ckpt_image img = { 0 };
	char comm[32], log[CKPT_LOG_SIZE];

	if (read_small_file("/proc/2/comm", comm, sizeof(comm)) < 0 ||
	    strncmp(comm, "kthreadd", 8))
		SKIP(return, "pid 2 is not kthreadd here (no /proc, or a pid namespace)");
	EXPECT_EQ(-EPERM, checkpoint_image(2, CHECKPOINT_SCOPE_TASK, &img, log,
					   sizeof(log)));
	EXPECT_TRUE(log_has_number(log, 2))
		TH_LOG("log: %s", log);
	EXPECT_EQ(0, img.len);
	image_free(&img);
}

/* ------------------------------------------------------------------ */
/* Running targets                                                     */

/*
 * A running target is held still while it is saved, without a signal:
 * its parent sees no stop or continue, and a read() it is blocked in
 * neither fails with EINTR nor loses its data.
 */
static void check_running_child_unharmed(struct __test_metadata *_metadata,
					 enum family_state state,
					 unsigned long scope)
{
	struct family_opts o = { .state = state };
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE];
	struct family f;
	int st, i;

	ASSERT_EQ(0, family_spawn(&f, &o));
	/* Several times: a parked task must come back each time. */
	for (i = 0; i < 3; i++) {
		EXPECT_LT(0, checkpoint_image(f.child, scope, &img, log,
					      sizeof(log)))
			TH_LOG("log: %s", log);
		assert_single_task_image(_metadata, &img, f.child);
		image_free(&img);
	}

	EXPECT_EQ(0, waitpid(f.child, &st, WNOHANG | WUNTRACED | WCONTINUED));
	EXPECT_EQ(0, kill(f.child, 0));
	st = family_release(&f, WUNTRACED | WCONTINUED);
	ASSERT_LE(0, st);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(FAMILY_EXIT_OK, WEXITSTATUS(st));
	family_kill(&f);
}

TEST(sleeping_child_is_saved_and_unharmed)
{
	check_running_child_unharmed(_metadata, FAMILY_BLOCKED, CHECKPOINT_SCOPE_TREE);
}

TEST(sleeping_child_task_scope_is_saved_and_unharmed)
{
	check_running_child_unharmed(_metadata, FAMILY_BLOCKED, CHECKPOINT_SCOPE_TASK);
}

TEST(spinning_child_is_saved_and_unharmed)
{
	check_running_child_unharmed(_metadata, FAMILY_SPINNING, CHECKPOINT_SCOPE_TREE);
}

TEST(running_grandchild_is_saved_with_the_tree)
{
	struct family_opts o = { .gc = GC_RUNNING, .state = FAMILY_STOPPED };
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE];
	struct ckpt_pids *pids;
	struct family f;

	ASSERT_EQ(0, family_spawn(&f, &o));
	EXPECT_LT(0, checkpoint_image(f.child, CHECKPOINT_SCOPE_TREE, &img,
				      log, sizeof(log)))
		TH_LOG("log: %s", log);
	ASSERT_NE(NULL, image_tree(&img));
	ASSERT_EQ(2, image_tree(&img)->nr_tasks);
	pids = image_pids(&img);
	EXPECT_EQ(f.child, pids[0].pid);
	EXPECT_EQ(f.grandchild, pids[1].pid);
	EXPECT_EQ(f.child, pids[1].ppid);
	image_free(&img);

	/* The grandchild still runs: it can be killed and reaped by its parent. */
	EXPECT_EQ(0, kill(f.grandchild, 0));
	family_kill(&f);
}

TEST(zombie_child_is_eopnotsupp)
{
	char log[CKPT_LOG_SIZE];
	siginfo_t si;
	pid_t child;

	child = fork();
	ASSERT_GE(child, 0);
	if (!child)
		_exit(0);
	ASSERT_EQ(0, waitid(P_PID, child, &si, WEXITED | WNOWAIT));

	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(child, CHECKPOINT_SCOPE_TASK, NULL,
						log, sizeof(log)));
	EXPECT_TRUE(log_has_number(log, child))
		TH_LOG("log: %s", log);
	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(child, CHECKPOINT_SCOPE_TREE, NULL,
						log, sizeof(log)));
	ASSERT_EQ(child, waitpid(child, NULL, 0));
}

/* A zombie child is saved with its tree, as a zombie (see restart_ns.c). */
TEST(zombie_grandchild_is_saved_with_the_tree)
{
	struct family_opts o = { .gc = GC_ZOMBIE, .state = FAMILY_STOPPED };
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE];
	struct ckpt_hdr_task *t;
	struct family f;

	ASSERT_EQ(0, family_spawn(&f, &o));
	ASSERT_LT(0, checkpoint_image(f.child, CHECKPOINT_SCOPE_TREE, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	ASSERT_EQ(2, image_count(&img, CKPT_HDR_TASK));
	t = image_rec(&img, CKPT_HDR_TASK, 1);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(f.grandchild, t->pid);
	EXPECT_EQ(CKPT_TASK_THREAD_LEADER | CKPT_TASK_ZOMBIE, t->flags);
	image_free(&img);
	/* The task scope leaves the zombie out. */
	EXPECT_LT(0, checkpoint_image(f.child, CHECKPOINT_SCOPE_TASK, NULL, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	family_kill(&f);
}

TEST(traced_child_is_checkpointed)
{
	struct family_opts o = { .state = FAMILY_BLOCKED };
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE];
	struct family f;
	int st;

	ASSERT_EQ(0, family_spawn(&f, &o));
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, f.child, 0, 0));
	ASSERT_EQ(0, ptrace(PTRACE_INTERRUPT, f.child, 0, 0));
	ASSERT_EQ(f.child, waitpid(f.child, &st, __WALL));
	ASSERT_TRUE(WIFSTOPPED(st));

	EXPECT_LT(0, checkpoint_image(f.child, CHECKPOINT_SCOPE_TASK, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	assert_single_task_image(_metadata, &img, f.child);
	image_free(&img);
	family_kill(&f);
}

/* Write @val to the file @name under the directory @dir. */
static int write_at(const char *dir, const char *name, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return write_string(path, val);
}

static bool cgroup_is_frozen(const char *dir)
{
	char path[PATH_MAX], buf[512];

	snprintf(path, sizeof(path), "%s/cgroup.events", dir);
	return read_small_file(path, buf, sizeof(buf)) > 0 &&
	       strstr(buf, "frozen 1");
}

TEST(cgroup_frozen_child_is_checkpointed)
{
	struct family_opts o = { .state = FAMILY_BLOCKED };
	char mnt[64] = "/sys/fs/cgroup", cg[PATH_MAX], pid[32], log[CKPT_LOG_SIZE];
	struct ckpt_image img = { 0 };
	bool mounted = false;
	struct statfs sfs;
	struct family f;
	int i;

	if (geteuid())
		SKIP(return, "needs root to set up a cgroup");
	if (statfs(mnt, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		snprintf(mnt, sizeof(mnt), "/tmp/ckpt-cg.XXXXXX");
		if (!mkdtemp(mnt)) {
			snprintf(mnt, sizeof(mnt), "/ckpt-cg.XXXXXX");
			if (!mkdtemp(mnt))
				SKIP(return, "no directory to mount cgroup2 on");
		}
		if (mount("none", mnt, "cgroup2", 0, NULL)) {
			rmdir(mnt);
			SKIP(return, "cannot mount cgroup2: %s", strerror(errno));
		}
		mounted = true;
	}
	snprintf(cg, sizeof(cg), "%s/ckpt-test-%d", mnt, getpid());
	ASSERT_EQ(0, mkdir(cg, 0755));

	ASSERT_EQ(0, family_spawn(&f, &o));
	snprintf(pid, sizeof(pid), "%d", f.child);
	ASSERT_EQ(0, write_at(cg, "cgroup.procs", pid));
	ASSERT_EQ(0, write_at(cg, "cgroup.freeze", "1"));
	for (i = 0; i < 500 && !cgroup_is_frozen(cg); i++)
		usleep(10000);
	ASSERT_TRUE(cgroup_is_frozen(cg));

	/* Frozen, neither stopped nor traced: quiescent all the same. */
	EXPECT_LT(0, checkpoint_image(f.child, CHECKPOINT_SCOPE_TASK, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	assert_single_task_image(_metadata, &img, f.child);
	image_free(&img);

	family_kill(&f);
	for (i = 0; i < 100 && rmdir(cg); i++)
		usleep(10000);
	if (mounted) {
		umount(mnt);
		rmdir(mnt);
	}
}

/* ------------------------------------------------------------------ */
/* Permission                                                          */

struct unpriv_result {
	int setup_err;		/* -errno of a failed setup step in the helper */
	long ret;		/* checkpoint(2) return, or -errno */
	pid_t target;
	char log[CKPT_LOG_SIZE];
};

TEST(unprivileged_cannot_checkpoint_root_child)
{
	struct family_opts o = { .state = FAMILY_STOPPED };
	struct unpriv_result *res;
	int image, lp[2], st;
	struct family f;
	pid_t helper;

	if (geteuid())
		SKIP(return, "needs root to switch to an unprivileged user");
	res = shared_alloc(sizeof(*res));
	ASSERT_NE(NULL, res);
	image = memfd_create("ckpt-image", MFD_CLOEXEC);
	ASSERT_GE(image, 0);
	ASSERT_EQ(0, log_pipe(lp));
	ASSERT_EQ(0, family_spawn(&f, &o));

	helper = fork();
	ASSERT_GE(helper, 0);
	if (!helper) {
		res->setup_err = drop_to_nobody();
		if (!res->setup_err)
			res->ret = ckpt_ret(sys_checkpoint(f.child, image,
							   CHECKPOINT_SCOPE_TASK, lp[1]));
		_exit(0);
	}
	ASSERT_EQ(helper, waitpid(helper, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(0, res->setup_err);

	EXPECT_EQ(-EPERM, res->ret);
	log_drain(lp[0], res->log, sizeof(res->log));
	EXPECT_TRUE(log_has_number(res->log, f.child))
		TH_LOG("log: %s", res->log);
	EXPECT_EQ(0, fd_size(image));

	family_kill(&f);
	close(image);
	close(lp[0]);
	close(lp[1]);
	munmap(res, sizeof(*res));
}

TEST(unprivileged_can_checkpoint_own_child)
{
	struct family_opts o = { .state = FAMILY_STOPPED };
	struct ckpt_image img = { 0 };
	struct unpriv_result *res;
	struct ckpt_hdr_cred *cred;
	char log[CKPT_LOG_SIZE];
	int image, lp[2], st;
	pid_t helper;

	if (geteuid())
		SKIP(return, "needs root to switch to an unprivileged user");
	res = shared_alloc(sizeof(*res));
	ASSERT_NE(NULL, res);
	image = memfd_create("ckpt-image", MFD_CLOEXEC);
	ASSERT_GE(image, 0);
	ASSERT_EQ(0, log_pipe(lp));

	helper = fork();
	ASSERT_GE(helper, 0);
	if (!helper) {
		struct family f;

		res->setup_err = drop_to_nobody();
		/*
		 * The uid change made us non-dumpable, and our children
		 * would inherit that: ptrace access, and so checkpoint,
		 * would then need CAP_SYS_PTRACE.
		 */
		if (!res->setup_err && prctl(PR_SET_DUMPABLE, 1))
			res->setup_err = -errno;
		if (!res->setup_err)
			res->setup_err = family_spawn(&f, &o);
		if (!res->setup_err) {
			res->target = f.child;
			res->ret = ckpt_ret(sys_checkpoint(f.child, image,
							   CHECKPOINT_SCOPE_TREE, lp[1]));
			family_kill(&f);
		}
		_exit(0);
	}
	ASSERT_EQ(helper, waitpid(helper, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(0, res->setup_err);

	log_drain(lp[0], res->log, sizeof(res->log));
	EXPECT_LT(0, res->ret)
		TH_LOG("log: %s", res->log);
	ASSERT_EQ(0, image_read_fd(&img, image));
	assert_single_task_image(_metadata, &img, res->target);
	cred = image_rec(&img, CKPT_HDR_CRED, 0);
	ASSERT_NE(NULL, cred);
	EXPECT_EQ(65534, cred->uid);
	EXPECT_EQ(65534, cred->euid);
	EXPECT_EQ(65534, cred->gid);
	EXPECT_EQ(65534, cred->egid);
	EXPECT_EQ(0, cred->ngroups);
	EXPECT_EQ(0, cred->cap_effective);
	EXPECT_EQ(0, cred->cap_permitted);
	EXPECT_EQ(0, validate_image(&img, log, sizeof(log)))
		TH_LOG("log: %s", log);

	image_free(&img);
	close(image);
	close(lp[0]);
	close(lp[1]);
	munmap(res, sizeof(*res));
}

/* ------------------------------------------------------------------ */
/* Scopes                                                              */

TEST(tree_scope_includes_stopped_grandchild)
{
	struct family_opts o = { .gc = GC_STOPPED, .state = FAMILY_STOPPED };
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE];
	struct ckpt_hdr_task *t0, *t1;
	struct ckpt_pids *pids;
	struct family f;

	ASSERT_EQ(0, family_spawn(&f, &o));
	EXPECT_LT(0, checkpoint_image(f.child, CHECKPOINT_SCOPE_TREE, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	ASSERT_NE(NULL, image_tree(&img));
	ASSERT_EQ(2, image_tree(&img)->nr_tasks);
	pids = image_pids(&img);
	/* Parents before children; the root's parent is outside: 0. */
	EXPECT_EQ(f.child, pids[0].pid);
	EXPECT_EQ(f.child, pids[0].tgid);
	EXPECT_EQ(0, pids[0].ppid);
	EXPECT_EQ(f.grandchild, pids[1].pid);
	EXPECT_EQ(f.grandchild, pids[1].tgid);
	EXPECT_EQ(f.child, pids[1].ppid);

	ASSERT_EQ(2, image_count(&img, CKPT_HDR_TASK));
	t0 = image_rec(&img, CKPT_HDR_TASK, 0);
	t1 = image_rec(&img, CKPT_HDR_TASK, 1);
	EXPECT_EQ(f.child, t0->pid);
	EXPECT_EQ(f.grandchild, t1->pid);
	EXPECT_EQ(CKPT_TASK_THREAD_LEADER, t0->flags);
	EXPECT_EQ(CKPT_TASK_THREAD_LEADER, t1->flags);
	EXPECT_EQ(0, validate_image(&img, log, sizeof(log)))
		TH_LOG("log: %s", log);
	image_free(&img);

	/* The task scope leaves the grandchild out. */
	EXPECT_LT(0, checkpoint_image(f.child, CHECKPOINT_SCOPE_TASK, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	assert_single_task_image(_metadata, &img, f.child);
	image_free(&img);

	/* A checkpoint of the grandchild's tree is its alone. */
	EXPECT_LT(0, checkpoint_image(f.grandchild, CHECKPOINT_SCOPE_TREE, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	assert_single_task_image(_metadata, &img, f.grandchild);
	image_free(&img);
	family_kill(&f);
}

static void check_threaded_image(struct __test_metadata *_metadata,
				 const struct ckpt_image *img,
				 const struct family *f)
{
	struct ckpt_hdr_task *t0, *t1;
	struct ckpt_pids *pids;
	char log[CKPT_LOG_SIZE];

	ASSERT_NE(NULL, image_tree(img));
	ASSERT_EQ(2, image_tree(img)->nr_tasks);
	pids = image_pids(img);
	EXPECT_EQ(f->child, pids[0].pid);
	EXPECT_EQ(f->child, pids[0].tgid);
	EXPECT_EQ(f->thread, pids[1].pid);
	EXPECT_EQ(f->child, pids[1].tgid);
	/* A thread has its leader's parent. */
	EXPECT_EQ(pids[0].ppid, pids[1].ppid);

	ASSERT_EQ(2, image_count(img, CKPT_HDR_TASK));
	t0 = image_rec(img, CKPT_HDR_TASK, 0);
	t1 = image_rec(img, CKPT_HDR_TASK, 1);
	EXPECT_EQ(f->child, t0->pid);
	EXPECT_EQ(CKPT_TASK_THREAD_LEADER, t0->flags);
	EXPECT_EQ(SIGCHLD, t0->exit_signal);
	EXPECT_EQ(f->thread, t1->pid);
	EXPECT_EQ(0, t1->flags);
	EXPECT_EQ(-1, t1->exit_signal);
	/* The threads share their credentials: one record, one objref. */
	EXPECT_EQ(1, image_count(img, CKPT_HDR_CRED));
	EXPECT_EQ(t0->cred_ref, t1->cred_ref);
	EXPECT_EQ(t0->real_cred_ref, t1->real_cred_ref);
	EXPECT_EQ(0, validate_image(img, log, sizeof(log)))
		TH_LOG("log: %s", log);
}

TEST(threads_are_saved_with_their_process)
{
	struct family_opts o = { .thread = true, .state = FAMILY_STOPPED };
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE];
	struct family f;

	ASSERT_EQ(0, family_spawn(&f, &o));
	ASSERT_NE(0, f.thread);

	EXPECT_LT(0, checkpoint_image(f.child, CHECKPOINT_SCOPE_TREE, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	check_threaded_image(_metadata, &img, &f);
	image_free(&img);

	/* A process is all its threads, in the task scope too. */
	EXPECT_LT(0, checkpoint_image(f.child, CHECKPOINT_SCOPE_TASK, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	check_threaded_image(_metadata, &img, &f);
	image_free(&img);

	/* Naming a thread checkpoints its whole process. */
	EXPECT_LT(0, checkpoint_image(f.thread, CHECKPOINT_SCOPE_TASK, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	check_threaded_image(_metadata, &img, &f);
	image_free(&img);
	family_kill(&f);
}

TEST_HARNESS_MAIN
