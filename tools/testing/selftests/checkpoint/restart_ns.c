// SPDX-License-Identifier: GPL-2.0
/*
 * Processes that exited, orphans, and whole containers.
 *
 * - exits: zombies and orphans inside a checkpointed tree, in three
 *   ways: left running after the checkpoint, killed and restarted, and
 *   restarted twice from one image.
 *   - zombies: the root counts SIGCHLD with a handler and leaves two
 *     children unreaped, one that called exit(7) and one killed by
 *     SIGTERM, next to a live child.  Each zombie comes back as a zombie
 *     child of the root with its pid; waitid(WNOWAIT) sees it and
 *     waitpid() returns its original status.  No SIGCHLD is delivered
 *     for them again.
 *   - subreaper: the root is a child subreaper; its child forks a
 *     grandchild and exits.  The grandchild, reparented to the root,
 *     keeps the root as its parent, its group and session, and the
 *     root waits for it.
 *   - dead leader group: the root's child L leads a process group that
 *     two more children of the root join; then L exits and is reaped.
 *     The group lives on without a process of its pid: after a restart
 *     too, the members are in group L of our session, kill(L, 0) fails
 *     with ESRCH and there is no /proc/L, yet kill(-L) reaches both.
 *     The root's waitpid(-1) returns its two children and then ECHILD:
 *     nothing stands in for L any more.
 * - A zombie, or a process whose main thread called pthread_exit(),
 *   cannot be the root of a checkpoint.
 * - container: an init in a pid namespace of its own and a cgroup, with
 *   three children, one with a child, linked by pipes that hold data.
 *   The cgroup is frozen and checkpointed with CHECKPOINT_SCOPE_CGROUP.
 *   The container carries on, or it is killed and restarted twice from
 *   the image, each time by a helper in a new pid namespace into a new
 *   cgroup: the tasks have the pids they had (init is 1 again), are in
 *   the new cgroup and finish their work.  Restarted into a frozen
 *   cgroup, they stay frozen until it is thawed.  Without a new pid
 *   namespace, pid 1 is in use.
 * - Refusals of the cgroup scope: an open file shared with a task
 *   outside the cgroup, a pipe to the outside, a cgroup that is not
 *   frozen, tasks that form two trees.
 *
 * The tasks wait on CTL_FD and report on RES_FD, whose other ends are
 * ours: restart gives the restored tasks the restarting process's
 * descriptors of the same numbers.  Those of a tree are pipes; those of
 * a container FIFOs that it opens itself, as a container may share no
 * open file and no pipe with the outside.
 *
 * Every wait is bounded by an alarm that interrupts it, so that a test
 * fails with a message; the teardowns kill what the tests started and
 * remove their cgroups.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sched.h>

/* The arrays of struct report, of restart_util.h. */
#define REPORT_NR_OTHER		3
#define REPORT_NR_STATUS	3
#define REPORT_NR_VALUE		8

#include "checkpoint_util.h"
#include "restart_util.h"
#include "../kselftest_harness.h"

#ifndef __NR_clone3
#define __NR_clone3 435
#endif

#define LEAK_FD		102	/* a file the test and the container share */
#define CGROUP_ROOT	"/sys/fs/cgroup"

/* ------------------------------------------------------------------ */
/* Zombies and orphans in a tree                                       */

/* R_KID2: the second member of the dead leader's group. */
enum { R_ROOT, R_KID, R_KID2, R_NR };

/* The root of the zombie tree: its SIGCHLD deliveries, in its memory. */
static int sigchld_count;
static int kid_pipe[2];		/* root to live child: "you may go" */

static void on_sigchld(int sig)
{
	__atomic_fetch_add(&sigchld_count, 1, __ATOMIC_SEQ_CST);
}

static int sigchld_seen(void)
{
	return __atomic_load_n(&sigchld_count, __ATOMIC_SEQ_CST);
}

/* The live child of the zombie tree. */
static void zombies_kid(void)
{
	struct report r = { .role = R_KID };
	char c;

	close(kid_pipe[1]);
	fill_ids(&r);
	put_report(&r);
	if (read(kid_pipe[0], &c, 1) != 1)
		r.err = STEP_CTL;
	done(&r);
}

/*
 * A child that exits with 7 (@killed false) or is killed by SIGTERM,
 * left unreaped once its SIGCHLD brought the count to @count.
 */
static pid_t make_zombie(bool killed, int count, int *err)
{
	siginfo_t si;
	pid_t pid;
	int i;

	pid = fork();
	if (pid < 0) {
		*err = STEP_SETUP;
		return pid;
	}
	if (!pid) {
		if (killed) {
			signal(SIGTERM, SIG_DFL);
			kill(getpid(), SIGTERM);
			_exit(99);
		}
		_exit(7);
	}
	if (waitid(P_PID, pid, &si, WEXITED | WNOWAIT))
		*err = STEP_ZOMBIE;
	for (i = 0; sigchld_seen() < count && i < 5000; i++)
		usleep(1000);
	if (sigchld_seen() != count)
		*err = STEP_SIGCHLD;
	return pid;
}

/*
 * Set-up report: other[] = zombie 1, zombie 2, live child; value[0] =
 * SIGCHLD count.  Final report: value[0..3] = si_code and si_status of
 * waitid(WNOWAIT) on each zombie, status[0..1] = what waitpid() then
 * returns for them, value[4] = SIGCHLD count when let go, value[5] =
 * the count after reaping the zombies, status[2] and value[6] = the live
 * child's status and the count after reaping it, value[7] = errno of
 * waitpid(-1) once all are reaped.
 */
static void zombies_root(void)
{
	struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_RESTART };
	struct report r = { .role = R_ROOT };
	pid_t z[2], kid;
	siginfo_t si;
	int i, st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) || pipe(kid_pipe))
		_exit(91);
	z[0] = make_zombie(false, 1, &r.err);
	kid = fork();
	if (kid < 0)
		_exit(92);
	if (!kid)
		zombies_kid();
	close(kid_pipe[0]);
	z[1] = make_zombie(true, 2, &r.err);
	r.other[0] = z[0];
	r.other[1] = z[1];
	r.other[2] = kid;
	r.value[0] = sigchld_seen();
	set_up(&r);
	r.value[4] = sigchld_seen();
	for (i = 0; i < 2; i++) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, z[i], &si, WEXITED | WNOWAIT | WNOHANG) ||
		    si.si_pid != z[i])
			r.err = STEP_ZOMBIE;
		r.value[2 * i] = si.si_code;
		r.value[2 * i + 1] = si.si_status;
		st = -1;
		if (waitpid(z[i], &st, WNOHANG) != z[i])
			r.err = STEP_ZOMBIE;
		r.status[i] = st;
	}
	r.value[5] = sigchld_seen();
	if (write(kid_pipe[1], "x", 1) != 1 || waitpid(kid, &st, 0) != kid)
		r.err = STEP_WAIT;
	r.status[2] = st;
	r.value[6] = sigchld_seen();
	r.value[7] = waitpid(-1, NULL, WNOHANG) < 0 ? errno : 0;
	done(&r);
}

/* The grandchild of the subreaper tree: waits to be the root's child. */
static void subreaper_kid(pid_t root)
{
	struct report r = { .role = R_KID };
	int i;

	for (i = 0; getppid() != root && i < WAIT_SECS * 1000; i++)
		usleep(1000);
	if (getppid() != root)
		r.err = STEP_REPARENT;
	set_up(&r);
	done(&r);
}

/*
 * Set-up report: other[0] = the grandchild, other[1] = the child that
 * exited, status[0] = its status.  Final report: status[0] = the
 * grandchild's status, value[0] = PR_GET_CHILD_SUBREAPER.
 */
static void subreaper_root(void)
{
	struct report r = { .role = R_ROOT };
	pid_t me = getpid(), mid, g = 0;
	int p[2], st = -1, flag = -1;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setpgid(0, 0) || prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(p))
		_exit(93);
	mid = fork();
	if (mid < 0)
		_exit(94);
	if (!mid) {
		close(p[0]);
		g = fork();
		if (!g) {
			close(p[1]);
			subreaper_kid(me);
		}
		if (write(p[1], &g, sizeof(g)) != sizeof(g))
			_exit(95);
		_exit(5);
	}
	close(p[1]);
	if (read(p[0], &g, sizeof(g)) != sizeof(g) || g <= 0)
		_exit(96);
	close(p[0]);
	if (waitpid(mid, &st, 0) != mid)
		r.err = STEP_WAIT;
	r.other[0] = g;
	r.other[1] = mid;
	r.status[0] = st;
	set_up(&r);
	st = -1;
	if (waitpid(g, &st, 0) != g)
		r.err = STEP_WAIT;
	r.status[0] = st;
	prctl(PR_GET_CHILD_SUBREAPER, &flag);
	r.value[0] = flag;
	done(&r);
}

/* The members of the dead leader's group: their SIGUSR1 deliveries. */
static int sigusr1_count;
static int member_pipe[2];	/* root to the members: "you may go" */

static void on_sigusr1(int sig)
{
	__atomic_fetch_add(&sigusr1_count, 1, __ATOMIC_SEQ_CST);
}

/*
 * A child of the root that joins group @pgid, reports and waits for the
 * root.  Final report: value[0] = the SIGUSR1 it received, which the
 * root sends to the group before it lets the members go.
 */
static void member_kid(int role, pid_t pgid)
{
	struct sigaction sa = { .sa_handler = on_sigusr1, .sa_flags = SA_RESTART };
	struct report r = { .role = role };
	ssize_t n;
	char c;

	close(member_pipe[1]);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		r.err = STEP_SETUP;
	else if (setpgid(0, pgid))
		r.err = STEP_PGRP;
	fill_ids(&r);
	put_report(&r);
	do {
		n = read(member_pipe[0], &c, 1);
	} while (n < 0 && errno == EINTR);
	if (n != 1 && !r.err)
		r.err = STEP_CTL;
	r.value[0] = __atomic_load_n(&sigusr1_count, __ATOMIC_SEQ_CST);
	done(&r);
}

/*
 * The root of the dead-leader tree leads its own group.  Its child L
 * makes group L and stays until the two members joined it, then exits
 * with 3 and is reaped.  Set-up report: other[] = L and the members,
 * status[0] = L's status.  Final report: value[0] = errno of kill(L, 0)
 * (0 if it succeeded), value[1] = errno of kill(-L, SIGUSR1), other[0..1]
 * and status[0..1] = the children that waitpid(-1) then returned and
 * their statuses, value[2] = errno of waitpid(-1) after them.
 */
static void dead_leader_root(void)
{
	struct report r = { .role = R_ROOT };
	pid_t lead, kid[2];
	int lp[2], i, st = -1;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setpgid(0, 0) || pipe(lp) || pipe(member_pipe))
		_exit(97);
	lead = fork();
	if (lead < 0)
		_exit(98);
	if (!lead) {
		close(lp[1]);
		close(member_pipe[0]);
		close(member_pipe[1]);
		/* Stay until the root closes the pipe. */
		if (setpgid(0, 0) || read(lp[0], &c, 1))
			_exit(4);
		_exit(3);
	}
	/* Both of us set it: the group exists before the members fork. */
	if (setpgid(lead, lead))
		r.err = STEP_PGRP;
	for (i = 0; i < 2; i++) {
		kid[i] = fork();
		if (kid[i] < 0)
			_exit(98);
		if (!kid[i]) {
			close(lp[0]);
			close(lp[1]);
			member_kid(R_KID + i, lead);
		}
		if (setpgid(kid[i], lead))
			r.err = STEP_PGRP;
	}
	close(lp[0]);
	close(lp[1]);
	close(member_pipe[0]);
	if (waitpid(lead, &st, 0) != lead)
		r.err = STEP_WAIT;
	r.other[0] = lead;
	r.other[1] = kid[0];
	r.other[2] = kid[1];
	r.status[0] = st;
	set_up(&r);
	r.value[0] = kill(lead, 0) ? errno : 0;
	r.value[1] = kill(-lead, SIGUSR1) ? errno : 0;
	if (write(member_pipe[1], "xx", 2) != 2 && !r.err)
		r.err = STEP_DATA;
	/* __WALL: a stand-in that signals no one at its exit shows too. */
	for (i = 0; i < 2; i++) {
		st = -1;
		r.other[i] = waitpid(-1, &st, __WALL);
		r.status[i] = st;
	}
	r.value[2] = waitpid(-1, NULL, WNOHANG | __WALL) < 0 ? errno : 0;
	done(&r);
}

FIXTURE(exits)
{
	pid_t root;
	pid_t pids[4];		/* root, live kids, zombies */
	pid_t lead;		/* the dead leader's group */
	struct report setup[R_NR];
	int ctl, res;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

enum exits_tree {
	TREE_ZOMBIES,
	TREE_SUBREAPER,
	TREE_DEAD_LEADER,	/* a process group whose leader is gone */
};

FIXTURE_VARIANT(exits)
{
	enum exits_tree tree;
	int restarts;		/* 0: carry on after the checkpoint */
};

FIXTURE_VARIANT_ADD(exits, zombies_continue)
{
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(exits, zombies_restart)
{
	.restarts = 1,
};

FIXTURE_VARIANT_ADD(exits, zombies_restart_twice)
{
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(exits, subreaper_continue)
{
	.tree = TREE_SUBREAPER,
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(exits, subreaper_restart)
{
	.tree = TREE_SUBREAPER,
	.restarts = 1,
};

FIXTURE_VARIANT_ADD(exits, subreaper_restart_twice)
{
	.tree = TREE_SUBREAPER,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(exits, dead_leader_group_continue)
{
	.tree = TREE_DEAD_LEADER,
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(exits, dead_leader_group_restart)
{
	.tree = TREE_DEAD_LEADER,
	.restarts = 1,
};

FIXTURE_VARIANT_ADD(exits, dead_leader_group_restart_twice)
{
	.tree = TREE_DEAD_LEADER,
	.restarts = 2,
};

FIXTURE_SETUP(exits)
{
	memset(&self->img, 0, sizeof(self->img));
	memset(self->pids, 0, sizeof(self->pids));
	self->root = -1;
	self->lead = 0;
	self->ctl = -1;
	self->res = -1;
	catch_alarm();
	/* Orphans of a killed tree come to us, to be reaped. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

/*
 * The teardowns run in the parent of the test process, or in the test
 * process if an assertion failed (the harness may run FIXTURE_TEARDOWN
 * of a failed test in neither): they use no descriptor or memory of the
 * test, only pids and paths, which the fixture data in shared memory
 * holds.  What they do not close or free goes with the test process.
 */
FIXTURE_TEARDOWN_PARENT(exits)
{
	int i;

	/* A tree that was not seen to finish. */
	if (self->root > 0) {
		kill(-self->root, SIGKILL);
		kill(self->root, SIGKILL);
		for (i = 0; i < 4; i++)
			if (self->pids[i] > 0)
				kill(self->pids[i], SIGKILL);
	}
	reap_all();
}

/* The tasks that report: the root and its live children. */
static int exits_roles(const struct _fixture_variant_exits *variant)
{
	return variant->tree == TREE_DEAD_LEADER ? R_NR : R_KID + 1;
}

/* The set-up of the dead-leader tree, as it reported it. */
static void dead_leader_check_set_up(struct __test_metadata *_metadata,
				     struct _test_data_exits *self)
{
	const struct report *root = &self->setup[R_ROOT];
	int i;

	self->lead = root->other[0];
	ASSERT_LT(0, self->lead);
	ASSERT_NE(self->root, self->lead);
	ASSERT_EQ(self->setup[R_KID].pid, root->other[1]);
	ASSERT_EQ(self->setup[R_KID2].pid, root->other[2]);
	EXPECT_EQ(3 << 8, root->status[0]) TH_LOG("the leader's exit");
	EXPECT_EQ(self->root, root->pgid);
	EXPECT_EQ(getsid(0), root->sid);
	for (i = R_KID; i < R_NR; i++) {
		const struct report *kid = &self->setup[i];

		EXPECT_EQ(self->root, kid->ppid) TH_LOG("role %d", i);
		EXPECT_EQ(self->lead, kid->pgid) TH_LOG("role %d", i);
		EXPECT_EQ(getsid(0), kid->sid) TH_LOG("role %d", i);
	}
}

/* Start the tree; return once its tasks wait in read(). */
static void exits_start(struct __test_metadata *_metadata,
			struct _test_data_exits *self,
			const struct _fixture_variant_exits *variant)
{
	struct report *root = &self->setup[R_ROOT], *kid = &self->setup[R_KID];
	int i, nr = exits_roles(variant);
	pid_t pid;

	self->ctl = pipe_at(CTL_FD, true);
	self->res = pipe_at(RES_FD, false);
	ASSERT_LE(0, self->ctl);
	ASSERT_LE(0, self->res);
	/* The fixture data is shared: only the parent writes a pid there. */
	pid = fork_tasks(self->ctl, self->res);
	ASSERT_LE(0, pid);
	if (!pid) {
		if (variant->tree == TREE_SUBREAPER)
			subreaper_root();
		if (variant->tree == TREE_DEAD_LEADER)
			dead_leader_root();
		zombies_root();
	}
	self->root = pid;
	ASSERT_EQ(0, read_reports(self->res, self->setup, nr, nr, 0))
		TH_LOG("the tree did not report its set-up");
	for (i = 0; i < nr; i++) {
		int err = self->setup[i].err;

		ASSERT_EQ(0, err)
			TH_LOG("set-up of role %d failed: %s", i, step_name(err));
	}
	ASSERT_EQ(self->root, root->pid);
	self->pids[0] = self->root;
	self->pids[1] = kid->pid;
	if (variant->tree == TREE_ZOMBIES) {
		self->pids[2] = root->other[0];
		self->pids[3] = root->other[1];
	} else if (variant->tree == TREE_DEAD_LEADER) {
		self->pids[2] = self->setup[R_KID2].pid;
	}

	if (variant->tree == TREE_SUBREAPER) {
		ASSERT_EQ(kid->pid, root->other[0]);
		EXPECT_EQ(5 << 8, root->status[0]);
		EXPECT_EQ(self->root, kid->ppid);
		EXPECT_EQ(self->root, kid->pgid);
		EXPECT_EQ(getsid(0), kid->sid);
	} else if (variant->tree == TREE_DEAD_LEADER) {
		dead_leader_check_set_up(_metadata, self);
	} else {
		ASSERT_EQ(kid->pid, root->other[2]);
		EXPECT_EQ(2, root->value[0]);
	}
	for (i = 0; i < nr; i++)
		ASSERT_EQ(0, wait_in_syscall(self->setup[i].pid, __NR_read))
			TH_LOG("role %d does not wait in read()", i);
}

static void exits_check_image(struct __test_metadata *_metadata,
			      struct _test_data_exits *self,
			      const struct _fixture_variant_exits *variant)
{
	struct ckpt_hdr_tree *tree = image_tree(&self->img);
	struct ckpt_pids *p = image_pids(&self->img);
	struct report *root = &self->setup[R_ROOT];
	struct ckpt_hdr_task *t;
	unsigned int i;

	ASSERT_NE(NULL, tree);
	ASSERT_EQ(variant->tree == TREE_ZOMBIES ? 4 : exits_roles(variant),
		  tree->nr_tasks);
	for (i = 0; i < tree->nr_tasks; i++) {
		if (p[i].pid == self->root) {
			EXPECT_EQ(0, p[i].ppid);
			continue;
		}
		/* The grandchild's parent is the subreaper now. */
		EXPECT_EQ(self->root, p[i].ppid) TH_LOG("pid %d", p[i].pid);
	}
	if (variant->tree == TREE_SUBREAPER) {
		for (i = 0; i < tree->nr_tasks; i++)
			EXPECT_EQ(self->root, p[i].pgid);
		return;
	}
	/* Group L has the members, in our session, and no task of its pid. */
	if (variant->tree == TREE_DEAD_LEADER) {
		for (i = 0; i < tree->nr_tasks; i++) {
			pid_t pgid = p[i].pid == self->root ? self->root : self->lead;

			EXPECT_NE(self->lead, p[i].pid);
			EXPECT_EQ(pgid, p[i].pgid) TH_LOG("pid %d", p[i].pid);
			EXPECT_EQ(getsid(0), p[i].sid) TH_LOG("pid %d", p[i].pid);
		}
		return;
	}

	t = image_task(&self->img, root->other[0]);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->flags & CKPT_TASK_ZOMBIE);
	EXPECT_EQ(7 << 8, t->exit_code);
	t = image_task(&self->img, root->other[1]);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->flags & CKPT_TASK_ZOMBIE);
	EXPECT_EQ(SIGTERM, t->exit_code);
	t = image_task(&self->img, self->root);
	ASSERT_NE(NULL, t);
	EXPECT_FALSE(t->flags & CKPT_TASK_ZOMBIE);
	EXPECT_EQ(0, t->exit_code);
	t = image_task(&self->img, root->other[2]);
	ASSERT_NE(NULL, t);
	EXPECT_FALSE(t->flags & CKPT_TASK_ZOMBIE);
}

/*
 * The group whose leader is gone, from outside: the members are in it,
 * in our session, and no process has its pid, but it takes signals.
 */
static void dead_leader_check_group(struct __test_metadata *_metadata,
				    struct _test_data_exits *self)
{
	pid_t lead = self->lead;
	char path[64];
	struct stat st;
	int i;

	for (i = R_KID; i < R_NR; i++) {
		pid_t pid = self->setup[i].pid, ppid = 0;
		char state = '?';

		ASSERT_EQ(0, proc_stat(pid, &state, &ppid)) TH_LOG("pid %d is not there", pid);
		EXPECT_EQ(self->root, ppid) TH_LOG("pid %d", pid);
		EXPECT_EQ(lead, getpgid(pid)) TH_LOG("pid %d", pid);
		EXPECT_EQ(getsid(0), getsid(pid)) TH_LOG("pid %d", pid);
	}
	EXPECT_EQ(-ESRCH, kill(lead, 0) ? -errno : 0)
		TH_LOG("pid %d, the group's leader, is there", lead);
	snprintf(path, sizeof(path), "/proc/%d", lead);
	EXPECT_EQ(-ENOENT, stat(path, &st) ? -errno : 0) TH_LOG("%s is there", path);
	EXPECT_EQ(0, kill(-lead, 0) ? -errno : 0) TH_LOG("group %d is not there", lead);
}

/* Before the tree, restored or not, goes on: its exited tasks, from outside. */
static void exits_check_outside(struct __test_metadata *_metadata,
				struct _test_data_exits *self,
				const struct _fixture_variant_exits *variant)
{
	const struct report *root = &self->setup[R_ROOT];
	pid_t ppid = 0;
	char state = '?';
	int i;

	if (variant->tree == TREE_SUBREAPER) {
		ASSERT_EQ(0, proc_stat(root->other[0], &state, &ppid));
		EXPECT_EQ(self->root, ppid);
		return;
	}
	if (variant->tree == TREE_DEAD_LEADER) {
		dead_leader_check_group(_metadata, self);
		return;
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, proc_stat(root->other[i], &state, &ppid))
			TH_LOG("zombie %d is not there", root->other[i]);
		EXPECT_EQ('Z', state) TH_LOG("zombie %d", root->other[i]);
		EXPECT_EQ(self->root, ppid) TH_LOG("zombie %d", root->other[i]);
	}
}

/*
 * The end of the dead-leader tree: the members were still in group L of
 * our session, the root signalled them through the group but could not
 * reach L, and it reaped the members and nothing else.
 */
static void dead_leader_check_end(struct __test_metadata *_metadata,
				  struct _test_data_exits *self,
				  const struct report *r)
{
	const struct report *root = &r[R_ROOT];
	pid_t lead = self->lead;
	int i, role;

	EXPECT_EQ(root->pid, root->pgid);
	EXPECT_EQ(getsid(0), root->sid);
	for (i = R_KID; i < R_NR; i++) {
		EXPECT_EQ(self->setup[i].pid, r[i].pid) TH_LOG("role %d", i);
		EXPECT_EQ(root->pid, r[i].ppid) TH_LOG("role %d", i);
		EXPECT_EQ(lead, r[i].pgid) TH_LOG("role %d is not in group %d", i, lead);
		EXPECT_EQ(getsid(0), r[i].sid) TH_LOG("role %d", i);
		EXPECT_EQ(1, r[i].value[0])
			TH_LOG("role %d got %d SIGUSR1 sent to group %d", i,
			       r[i].value[0], lead);
	}
	EXPECT_EQ(ESRCH, root->value[0])
		TH_LOG("kill(%d, 0) in the root: %s", lead,
		       root->value[0] ? strerror(root->value[0]) : "the leader is there");
	EXPECT_EQ(0, root->value[1])
		TH_LOG("kill(-%d, SIGUSR1): %s", lead, strerror(root->value[1]));
	/* waitpid(-1) returned the two members, and no stand-in for L. */
	EXPECT_NE(root->other[0], root->other[1]);
	for (i = 0; i < 2; i++) {
		pid_t pid = root->other[i];
		int st = root->status[i];

		for (role = R_KID; role < R_NR; role++)
			if (self->setup[role].pid == pid)
				break;
		EXPECT_NE(R_NR, role) TH_LOG("the root's waitpid(-1) returned %d", pid);
		if (role < R_NR)
			EXPECT_EQ(10 + role, WIFEXITED(st) ? WEXITSTATUS(st) : -st)
				TH_LOG("role %d", role);
	}
	EXPECT_EQ(ECHILD, root->value[2]) TH_LOG("a child is left over");
}

/* Let the tree go; check what its tasks report and the root's exit. */
static void exits_release(struct __test_metadata *_metadata,
			  struct _test_data_exits *self,
			  const struct _fixture_variant_exits *variant)
{
	const struct report *setup = self->setup;
	struct report r[R_NR], *root = &r[R_ROOT], *kid = &r[R_KID];
	int i, st, nr = exits_roles(variant);

	/* Those that read CTL_FD: the root, and the subreaper's grandchild. */
	for (i = 0; i < (variant->tree == TREE_SUBREAPER ? 2 : 1); i++)
		ASSERT_EQ(1, write(self->ctl, "x", 1));
	ASSERT_EQ(0, read_reports(self->res, r, nr, nr, 1))
		TH_LOG("the tree did not report its end");
	ASSERT_EQ(0, wait_timed(self->root, &st)) TH_LOG("the root does not exit");
	self->root = -1;
	for (i = 0; i < nr; i++) {
		int err = r[i].err;

		EXPECT_EQ(0, err) TH_LOG("role %d failed: %s", i, step_name(err));
	}
	EXPECT_EQ(10 + R_ROOT, WIFEXITED(st) ? WEXITSTATUS(st) : -st);
	EXPECT_EQ(setup[R_ROOT].pid, root->pid);
	EXPECT_EQ(getpid(), root->ppid);
	EXPECT_EQ(setup[R_KID].pid, kid->pid);
	EXPECT_EQ(root->pid, kid->ppid);

	if (variant->tree == TREE_DEAD_LEADER) {
		dead_leader_check_end(_metadata, self, r);
		return;
	}
	if (variant->tree == TREE_SUBREAPER) {
		EXPECT_EQ(root->pid, kid->pgid);
		EXPECT_EQ(getsid(0), kid->sid);
		EXPECT_EQ(root->pid, root->pgid);
		EXPECT_EQ(10 + R_KID, WIFEXITED(root->status[0]) ?
			  WEXITSTATUS(root->status[0]) : -root->status[0]);
		EXPECT_EQ(1, root->value[0]) TH_LOG("no longer a subreaper");
		return;
	}

	/* waitid(WNOWAIT) saw the zombies as they died ... */
	EXPECT_EQ(CLD_EXITED, root->value[0]);
	EXPECT_EQ(7, root->value[1]);
	EXPECT_EQ(CLD_KILLED, root->value[2]);
	EXPECT_EQ(SIGTERM, root->value[3]);
	/* ... and waitpid() returned their very statuses. */
	EXPECT_EQ(7 << 8, root->status[0]);
	EXPECT_EQ(SIGTERM, root->status[1]);
	/* No SIGCHLD for them again, one for the live child. */
	EXPECT_EQ(setup[R_ROOT].value[0], root->value[4]);
	EXPECT_EQ(2, root->value[4]);
	EXPECT_EQ(2, root->value[5]);
	EXPECT_EQ(10 + R_KID, WIFEXITED(root->status[2]) ?
		  WEXITSTATUS(root->status[2]) : -root->status[2]);
	EXPECT_EQ(3, root->value[6]);
	EXPECT_EQ(ECHILD, root->value[7]) TH_LOG("a child is left over");
}

/* After a checkpoint with CHECKPOINT_KILL: wait until the pids are free. */
static void exits_killed(struct __test_metadata *_metadata,
			 struct _test_data_exits *self)
{
	int i, st;

	ASSERT_EQ(0, wait_timed(self->root, &st)) TH_LOG("the killed root stays");
	self->root = -1;
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	for (i = 0; i < 4; i++) {
		pid_t pid = self->pids[i];

		if (pid > 0)
			ASSERT_EQ(0, wait_gone(pid)) TH_LOG("pid %d stays", pid);
	}
	close_ctl_res(&self->ctl, &self->res);
}

TEST_F_TIMEOUT(exits, survive_checkpoint, 120)
{
	unsigned long flags = variant->restarts ? CHECKPOINT_KILL : 0;
	pid_t root;
	long ret;
	int i;

	exits_start(_metadata, self, variant);
	ret = checkpoint_timed(self->root, flags, &self->img, self->log,
			       sizeof(self->log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s; log: %s", strerror(-ret), self->log);
	exits_check_image(_metadata, self, variant);
	if (!variant->restarts) {
		exits_check_outside(_metadata, self, variant);
		exits_release(_metadata, self, variant);
		return;
	}

	root = self->root;
	exits_killed(_metadata, self);
	for (i = 0; i < variant->restarts; i++) {
		ret = restart_timed(&self->img, &self->ctl, &self->res, self->log,
				    sizeof(self->log));
		if (ret > 0)
			self->root = ret;
		ASSERT_EQ(root, ret)
			TH_LOG("restart %d: %s; log: %s", i + 1,
			       ret < 0 ? strerror(-ret) : "another pid", self->log);
		exits_check_outside(_metadata, self, variant);
		exits_release(_metadata, self, variant);
		close_ctl_res(&self->ctl, &self->res);
	}
}

/* ------------------------------------------------------------------ */
/* Dead tasks as the root of a checkpoint                              */

TEST(zombie_root_is_refused)
{
	unsigned long scopes[] = { CHECKPOINT_SCOPE_TREE, CHECKPOINT_SCOPE_TASK };
	char log[CKPT_LOG_SIZE];
	siginfo_t si;
	pid_t pid;
	long ret;
	int i, st;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(3);
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	for (i = 0; i < 2; i++) {
		ret = checkpoint_image(pid, scopes[i], NULL, log, sizeof(log));
		EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("scope %lu; log: %s", scopes[i], log);
		EXPECT_NE('\0', log[0]) TH_LOG("no message on the log");
	}
	/* The refusal did not disturb it. */
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(3 << 8, st);
}

static int exit_thread_pipe;

static void *exit_thread_fn(void *arg)
{
	if (write(exit_thread_pipe, "t", 1) != 1)
		_exit(1);
	for (;;)
		pause();
	return NULL;
}

TEST(exited_main_thread_is_refused)
{
	char log[CKPT_LOG_SIZE], state = '?', c;
	pid_t pid, ppid;
	int p[2], i, st;
	long ret;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		pthread_t t;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		exit_thread_pipe = p[1];
		if (pthread_create(&t, NULL, exit_thread_fn, NULL))
			_exit(1);
		pthread_exit(NULL);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	close(p[0]);
	for (i = 0; i < 10000; i++) {
		if (proc_stat(pid, &state, &ppid) || state == 'Z')
			break;
		usleep(1000);
	}
	EXPECT_EQ('Z', state) TH_LOG("the main thread did not exit");
	EXPECT_EQ(0, waitpid(pid, &st, WNOHANG)) TH_LOG("the process is gone");

	ret = checkpoint_image(pid, CHECKPOINT_SCOPE_TREE, NULL, log, sizeof(log));
	EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("log: %s", log);
	EXPECT_NE('\0', log[0]) TH_LOG("no message on the log");

	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
}

/* ------------------------------------------------------------------ */
/* A container: a pid namespace in a cgroup                            */

/*
 * init (pid 1) forks A, B and C; B then forks G.  Pipes: init to A and
 * B to G (each holding DATA_BEFORE bytes at the checkpoint, then
 * DATA_AFTER more and end of file), C to init (C_BEFORE then C_AFTER).
 * init leads its session and process group, which all share.
 */
enum { C_INIT, C_A, C_B, C_C, C_G, C_NR };

static const pid_t c_ppid[C_NR] = { 0, 1, 1, 1, 3 };

#define DATA_BEFORE	3000
#define DATA_AFTER	1000
#define C_BEFORE	500
#define C_AFTER		700
#define SALT_INIT_A	3
#define SALT_B_G	5
#define SALT_C_INIT	11

#define C_HOSTNAME	"ckpt-container"

static int p_init_a[2], p_b_g[2], p_c_init[2], p_sync[2];

/*
 * Unmap what is shared with the test (the harness's shared memory):
 * nothing but the FIFOs at CTL_FD and RES_FD links the container with
 * the outside.
 */
static void drop_shared_mappings(void)
{
	static char maps[32768];
	unsigned long lo[64], hi[64];
	char perms[8], *line, *next;
	size_t len = 0;
	ssize_t n;
	int fd, nr = 0, i;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (len < sizeof(maps) - 1 &&
	       (n = read(fd, maps + len, sizeof(maps) - 1 - len)) > 0)
		len += n;
	close(fd);
	maps[len] = '\0';
	for (line = maps; line && *line && nr < 64; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (sscanf(line, "%lx-%lx %7s", &lo[nr], &hi[nr], perms) == 3 &&
		    perms[3] == 's')
			nr++;
	}
	for (i = 0; i < nr; i++)
		munmap((void *)lo[i], hi[i] - lo[i]);
}

/* The FIFOs to CTL_FD and RES_FD of the container's tasks. */
static char fifo_path[2][64];

/* Open @path for @mode at @fd; 0 or -1. */
static int open_at(const char *path, int mode, int fd)
{
	int f = open(path, mode);

	if (f < 0 || dup2(f, fd) != fd)
		return -1;
	close(f);
	return 0;
}

/*
 * The first thing a process started into the cgroup does: its own
 * session, /dev/null as standard input and outputs, no descriptors but
 * CTL_FD and RES_FD (and LEAK_FD if @leak), no memory shared with us.
 * A container may not share an open file or a pipe made by pipe(2) with
 * the outside: it talks to us through FIFOs, which it opens itself.
 */
static void c_isolate(bool leak)
{
	int null = open("/dev/null", O_RDWR);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (null < 0 || dup2(null, 0) || dup2(null, 1) != 1 || dup2(null, 2) != 2)
		_exit(80);
	if (close_range(3, leak ? LEAK_FD - 1 : ~0U, 0) ||
	    (leak && close_range(LEAK_FD + 1, ~0U, 0)))
		_exit(81);
	if (open_at(fifo_path[0], O_RDONLY, CTL_FD) ||
	    open_at(fifo_path[1], O_WRONLY, RES_FD))
		_exit(82);
	drop_shared_mappings();
	if (setsid() < 0)
		_exit(83);
}

static void c_grandchild(void)
{
	struct report r = { .role = C_G };

	close(p_b_g[1]);
	set_up(&r);
	if (!r.err)
		r.err = take_data(p_b_g[0], SALT_B_G, DATA_BEFORE + DATA_AFTER, NULL, NULL);
	done(&r);
}

static pid_t c_fork(int role)
{
	struct report r = { .role = role };
	pid_t pid, g;
	char c;
	int st;

	pid = fork();
	if (pid)
		return pid;
	switch (role) {
	case C_A:
		close(p_init_a[1]);
		close(p_c_init[0]);
		close(p_c_init[1]);
		close(p_sync[0]);
		close(p_sync[1]);
		set_up(&r);
		if (!r.err)
			r.err = take_data(p_init_a[0], SALT_INIT_A,
					  DATA_BEFORE + DATA_AFTER, NULL, NULL);
		break;
	case C_B:
		close(p_init_a[0]);
		close(p_init_a[1]);
		close(p_c_init[0]);
		close(p_c_init[1]);
		close(p_sync[1]);
		/* Fork G once init forked C: G is pid 5. */
		if (read(p_sync[0], &c, 1) != 1 || pipe(p_b_g))
			_exit(88);
		close(p_sync[0]);
		g = fork();
		if (g < 0)
			_exit(84);
		if (!g)
			c_grandchild();
		close(p_b_g[0]);
		r.err = put_data(p_b_g[1], SALT_B_G, 0, DATA_BEFORE);
		set_up(&r);
		if (!r.err)
			r.err = put_data(p_b_g[1], SALT_B_G, DATA_BEFORE, DATA_AFTER);
		close(p_b_g[1]);
		st = -1;
		if (waitpid(g, &st, 0) != g && !r.err)
			r.err = STEP_WAIT;
		r.status[0] = st;
		break;
	case C_C:
		close(p_init_a[0]);
		close(p_init_a[1]);
		close(p_c_init[0]);
		close(p_sync[0]);
		close(p_sync[1]);
		r.err = put_data(p_c_init[1], SALT_C_INIT, 0, C_BEFORE);
		set_up(&r);
		if (!r.err)
			r.err = put_data(p_c_init[1], SALT_C_INIT, C_BEFORE, C_AFTER);
		close(p_c_init[1]);
		break;
	}
	done(&r);
	return 0;
}

/* The inode of a namespace of ours, as an int of a report. */
static int ns_ino(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return stat(path, &st) ? -1 : (int)st.st_ino;
}

/*
 * The container's init: status[0..2] are those of A, B and C; value[6]
 * is 1 if its host name is still C_HOSTNAME at the end, value[7] the
 * inode of its IPC namespace.
 */
static void c_init(bool leak)
{
	struct report r = { .role = C_INIT };
	char host[64] = "";
	pid_t kids[3];
	int i, st;

	c_isolate(leak);
	if (sethostname(C_HOSTNAME, strlen(C_HOSTNAME)))
		_exit(84);
	if (pipe(p_init_a) || pipe(p_c_init) || pipe(p_sync))
		_exit(85);
	for (i = 0; i < 3; i++) {
		kids[i] = c_fork(C_A + i);
		if (kids[i] < 0)
			_exit(86);
	}
	close(p_init_a[0]);
	close(p_c_init[1]);
	close(p_sync[0]);
	if (write(p_sync[1], "g", 1) != 1)
		_exit(87);
	close(p_sync[1]);
	r.err = put_data(p_init_a[1], SALT_INIT_A, 0, DATA_BEFORE);
	set_up(&r);
	if (!r.err)
		r.err = put_data(p_init_a[1], SALT_INIT_A, DATA_BEFORE, DATA_AFTER);
	close(p_init_a[1]);
	if (!r.err)
		r.err = take_data(p_c_init[0], SALT_C_INIT, C_BEFORE + C_AFTER, NULL, NULL);
	for (i = 0; i < 3; i++) {
		st = -1;
		if (waitpid(kids[i], &st, 0) != kids[i] && !r.err)
			r.err = STEP_WAIT;
		r.status[i] = st;
	}
	r.value[6] = !gethostname(host, sizeof(host)) && !strcmp(host, C_HOSTNAME);
	r.value[7] = ns_ino("ipc");
	done(&r);
}

/* A process of the cgroup with no child, whose parent is the test. */
static void c_lone(void)
{
	struct report r = { .role = 0 };

	c_isolate(false);
	wait_byte(&r);
	_exit(r.err ? 1 : 0);
}

static pid_t clone_into(int cgfd, bool new_pidns)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP |
			 (new_pidns ? CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC : 0),
		.exit_signal = SIGCHLD,
		.cgroup = cgfd,
	};

	fflush(stdout);
	fflush(stderr);
	return syscall(__NR_clone3, &args, sizeof(args));
}

#define MAX_CGROUPS	4

FIXTURE(container)
{
	int topfd;
	char top[64];		/* our cgroup, parent of the others */
	int cgfd[MAX_CGROUPS];
	char cgname[MAX_CGROUPS][8];
	int nr_cg;
	pid_t init;		/* the container's init, our child */
	pid_t lone[2];		/* the two-trees test's processes */
	pid_t helper;		/* the process that restarts it */
	pid_t outer[C_NR];	/* the tasks' pids as we see them */
	struct helper_out *out;
	int ctl, res;		/* our ends of the FIFOs, open for both */
	char fifo[2][64];	/* their paths, also in fifo_path[] */
	int leak;
	char leak_path[64];
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

/* Does the file hold @line as one of its lines? */
static bool cg_has(int dirfd, const char *file, const char *line)
{
	char buf[4096], *p;
	size_t len = strlen(line);
	int fd;
	ssize_t n;

	fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, line)); p++)
		if ((p == buf || p[-1] == '\n') && (p[len] == '\n' || !p[len]))
			return true;
	return false;
}

/* Wait until the file has @line. */
static int cg_wait(int dirfd, const char *file, const char *line)
{
	int i;

	for (i = 0; i < WAIT_SECS * 100; i++) {
		if (cg_has(dirfd, file, line))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static int cg_write(int dirfd, const char *file, const char *val)
{
	int fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -errno;
}

/* The pids in cgroup.procs, up to @max; their number or -errno. */
static int cg_procs(int dirfd, pid_t *pids, int max)
{
	char buf[4096], *p, *end;
	int fd, nr = 0;
	ssize_t n;

	fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	for (p = buf; nr < max; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		pids[nr++] = pid;
	}
	return nr;
}

/* Freeze or thaw, and wait until it is done. */
static int cg_freeze(int dirfd, bool freeze)
{
	int err = cg_write(dirfd, "cgroup.freeze", freeze ? "1" : "0");

	if (err)
		return err;
	return cg_wait(dirfd, "cgroup.events", freeze ? "frozen 1" : "frozen 0");
}

/* A new cgroup below ours; its fd, or a failed assertion. */
static int cg_create(struct __test_metadata *_metadata,
		     struct _test_data_container *self, const char *name)
{
	int i = self->nr_cg, fd;

	ASSERT_LT(i, MAX_CGROUPS);
	ASSERT_EQ(0, mkdirat(self->topfd, name, 0755))
		TH_LOG("mkdir %s/%s: %s", self->top, name, strerror(errno));
	snprintf(self->cgname[i], sizeof(self->cgname[i]), "%s", name);
	self->nr_cg++;
	fd = openat(self->topfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	self->cgfd[i] = fd;
	return fd;
}

FIXTURE_SETUP(container)
{
	char path[sizeof(self->top)];
	struct stat st;

	memset(&self->img, 0, sizeof(self->img));
	self->top[0] = '\0';
	self->topfd = -1;
	self->nr_cg = 0;
	self->init = -1;
	self->lone[0] = -1;
	self->lone[1] = -1;
	self->helper = -1;
	self->ctl = -1;
	self->res = -1;
	self->fifo[0][0] = '\0';
	self->fifo[1][0] = '\0';
	self->leak = -1;
	self->leak_path[0] = '\0';
	catch_alarm();
	if (geteuid())
		SKIP(return, "needs root");
	if (stat(CGROUP_ROOT "/cgroup.controllers", &st))
		SKIP(return, "no cgroup2 at " CGROUP_ROOT);
	self->out = shared_alloc(sizeof(*self->out));
	ASSERT_NE(NULL, self->out);
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	snprintf(path, sizeof(path), CGROUP_ROOT "/ckpt-test-%d", getpid());
	ASSERT_EQ(0, mkdir(path, 0755)) TH_LOG("mkdir %s: %s", path, strerror(errno));
	/* The teardown does not run after a failed set-up: undo by hand. */
	self->topfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (self->topfd < 0 || faccessat(self->topfd, "cgroup.kill", F_OK, 0) ||
	    faccessat(self->topfd, "cgroup.freeze", F_OK, 0)) {
		rmdir(path);
		SKIP(return, "no cgroup.kill or cgroup.freeze in %s", path);
	}
	memcpy(self->top, path, sizeof(path));
}

/* See FIXTURE_TEARDOWN_PARENT(exits). */
FIXTURE_TEARDOWN_PARENT(container)
{
	char path[sizeof(self->top) + 16];
	int i, j, fd;

	if (!self->top[0])
		return;
	/* Kill what is in our cgroups, frozen or not. */
	fd = open(self->top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		cg_write(fd, "cgroup.kill", "1");
		cg_wait(fd, "cgroup.events", "populated 0");
		close(fd);
	}
	if (self->helper > 0)
		kill(self->helper, SIGKILL);
	if (self->init > 0)
		kill(self->init, SIGKILL);
	for (i = 0; i < 2; i++)
		if (self->lone[i] > 0)
			kill(self->lone[i], SIGKILL);
	reap_all();
	for (i = self->nr_cg - 1; i >= 0; i--) {
		snprintf(path, sizeof(path), "%s/%s", self->top, self->cgname[i]);
		for (j = 0; j < 1000 && rmdir(path) && errno == EBUSY; j++)
			usleep(1000);
	}
	rmdir(self->top);
	if (self->leak_path[0])
		unlink(self->leak_path);
	for (i = 0; i < 2; i++)
		if (self->fifo[i][0])
			unlink(self->fifo[i]);
}

/*
 * Make the FIFOs and open our ends, for reading and writing so that
 * the container's opens do not wait and the FIFOs keep their data
 * between its runs.
 */
static void open_fifos(struct __test_metadata *_metadata,
		       struct _test_data_container *self)
{
	int i;

	if (fifo_path[0][0])
		return;
	for (i = 0; i < 2; i++) {
		snprintf(fifo_path[i], sizeof(fifo_path[i]), "/tmp/ckpt-ns-%d-%s",
			 getpid(), i ? "res" : "ctl");
		ASSERT_EQ(0, mkfifo(fifo_path[i], 0600))
			TH_LOG("mkfifo %s: %s", fifo_path[i], strerror(errno));
		memcpy(self->fifo[i], fifo_path[i], sizeof(self->fifo[i]));
	}
	self->ctl = open(fifo_path[0], O_RDWR | O_CLOEXEC);
	self->res = open(fifo_path[1], O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->ctl);
	ASSERT_LE(0, self->res);
}

/* The restarting process's CTL_FD and RES_FD, for the restored tasks. */
static int open_inherited(void)
{
	return open_at(fifo_path[0], O_RDONLY | O_CLOEXEC, CTL_FD) ||
	       open_at(fifo_path[1], O_WRONLY | O_CLOEXEC, RES_FD) ? -errno : 0;
}

/* Are the set-up reports those of tasks with the pids 1 to 5? */
static void check_set_up(struct __test_metadata *_metadata,
			 const struct report *r)
{
	int i;

	for (i = 0; i < C_NR; i++) {
		EXPECT_EQ(0, r[i].err)
			TH_LOG("role %d failed: %s", i, step_name(r[i].err));
		EXPECT_EQ(i + 1, r[i].pid) TH_LOG("role %d", i);
		EXPECT_EQ(c_ppid[i], r[i].ppid) TH_LOG("role %d", i);
	}
}

/* Our pids of the tasks of a cgroup: exactly C_NR of them. */
static void get_outer_pids(struct __test_metadata *_metadata,
			   struct _test_data_container *self, int cg)
{
	pid_t pids[C_NR + 8];
	int n;

	n = cg_procs(cg, pids, C_NR + 8);
	ASSERT_EQ(C_NR, n) TH_LOG("the cgroup holds %d processes", n);
	memcpy(self->outer, pids, sizeof(self->outer));
}

/*
 * Start the container in @cg; return once its tasks reported and wait
 * in read().  With @leak, its init keeps LEAK_FD, which we hold too.
 */
static void container_start(struct __test_metadata *_metadata,
			    struct _test_data_container *self, int cg,
			    bool leak)
{
	struct report r[C_NR];
	pid_t pid;
	int i;

	open_fifos(_metadata, self);
	pid = clone_into(cg, true);
	ASSERT_LE(0, pid) TH_LOG("clone3: %s", strerror(errno));
	if (!pid)
		c_init(leak);
	self->init = pid;
	ASSERT_EQ(0, read_reports(self->res, r, C_NR, C_NR, 0))
		TH_LOG("the container did not report its set-up");
	check_set_up(_metadata, r);
	get_outer_pids(_metadata, self, cg);
	for (i = 0; i < C_NR; i++) {
		pid_t outer = self->outer[i];

		ASSERT_EQ(0, wait_in_syscall(outer, __NR_read))
			TH_LOG("pid %d does not wait in read()", outer);
	}
}

/* The image of the container: five tasks, one tree, pids 1 to 5. */
static void check_image(struct __test_metadata *_metadata,
			struct _test_data_container *self)
{
	struct ckpt_hdr_header *h = image_rec(&self->img, CKPT_HDR_HEADER, 0);
	struct ckpt_hdr_tree *tree = image_tree(&self->img);
	struct ckpt_pids *p = image_pids(&self->img);
	bool seen[C_NR] = { false };
	unsigned int i;

	ASSERT_NE(NULL, h);
	EXPECT_EQ(CHECKPOINT_SCOPE_CGROUP, h->flags & CHECKPOINT_SCOPE_MASK);
	ASSERT_NE(NULL, tree);
	ASSERT_EQ(C_NR, tree->nr_tasks);
	EXPECT_EQ(1, p[0].pid) TH_LOG("init is not the root");
	for (i = 0; i < C_NR; i++) {
		pid_t pid = p[i].pid;

		ASSERT_TRUE(pid >= 1 && pid <= C_NR) TH_LOG("pid %d", pid);
		EXPECT_FALSE(seen[pid - 1]) TH_LOG("pid %d twice", pid);
		seen[pid - 1] = true;
		EXPECT_EQ(pid, p[i].tgid);
		EXPECT_EQ(c_ppid[pid - 1], p[i].ppid) TH_LOG("pid %d", pid);
		EXPECT_EQ(1, p[i].pgid) TH_LOG("pid %d", pid);
		EXPECT_EQ(1, p[i].sid) TH_LOG("pid %d", pid);
	}
}

static long checkpoint_cgroup(struct _test_data_container *self, int cg,
			      struct ckpt_image *img)
{
	return checkpoint_timed(cg, CHECKPOINT_SCOPE_CGROUP, img, self->log,
				sizeof(self->log));
}

/* Let the container go; check its reports. */
static void container_collect(struct __test_metadata *_metadata,
			      struct _test_data_container *self)
{
	struct report r[C_NR];
	int i;

	ASSERT_EQ(0, read_reports(self->res, r, C_NR, C_NR, 1))
		TH_LOG("the container did not report its end");
	for (i = 0; i < C_NR; i++) {
		EXPECT_EQ(0, r[i].err)
			TH_LOG("role %d failed: %s", i, step_name(r[i].err));
		EXPECT_EQ(i + 1, r[i].pid) TH_LOG("role %d", i);
		EXPECT_EQ(c_ppid[i], r[i].ppid) TH_LOG("role %d", i);
		EXPECT_EQ(1, r[i].pgid) TH_LOG("role %d", i);
		EXPECT_EQ(1, r[i].sid) TH_LOG("role %d", i);
	}
	for (i = 0; i < 3; i++)
		EXPECT_EQ((10 + C_A + i) << 8, r[C_INIT].status[i])
			TH_LOG("init's child %d", i + 2);
	/* Its UTS and IPC namespaces are its own, before and after restart. */
	EXPECT_EQ(1, r[C_INIT].value[6]) TH_LOG("the container's host name");
	EXPECT_NE(ns_ino("ipc"), r[C_INIT].value[7]) TH_LOG("IPC namespace");
	EXPECT_EQ((10 + C_G) << 8, r[C_B].status[0]);
}

static void container_release(struct __test_metadata *_metadata,
			      struct _test_data_container *self)
{
	int i;

	for (i = 0; i < C_NR; i++)
		ASSERT_EQ(1, write(self->ctl, "x", 1));
	container_collect(_metadata, self);
}

/*
 * Start the container in a new cgroup c0, freeze it and checkpoint it
 * into self->img; the cgroup's fd.
 */
static int container_checkpoint(struct __test_metadata *_metadata,
				struct _test_data_container *self)
{
	int cg = cg_create(_metadata, self, "c0");
	long ret;

	container_start(_metadata, self, cg, false);
	ASSERT_EQ(0, cg_freeze(cg, true)) TH_LOG("the cgroup does not freeze");
	ret = checkpoint_cgroup(self, cg, &self->img);
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s; log: %s", strerror(-ret), self->log);
	check_image(_metadata, self);
	return cg;
}

/* Thaw @cg and let the container finish: init exits with 10 + C_INIT. */
static void container_finish(struct __test_metadata *_metadata,
			     struct _test_data_container *self, int cg)
{
	int st;

	ASSERT_EQ(0, cg_freeze(cg, false)) TH_LOG("the cgroup does not thaw");
	container_release(_metadata, self);
	ASSERT_EQ(0, wait_timed(self->init, &st)) TH_LOG("init does not exit");
	self->init = -1;
	EXPECT_EQ((10 + C_INIT) << 8, st);
}

/* Freeze, checkpoint, kill the container; its cgroup is empty after. */
static void checkpoint_and_kill(struct __test_metadata *_metadata,
				struct _test_data_container *self)
{
	int cg = container_checkpoint(_metadata, self), st;

	ASSERT_EQ(0, cg_write(cg, "cgroup.kill", "1"));
	ASSERT_EQ(0, wait_timed(self->init, &st)) TH_LOG("init does not die");
	self->init = -1;
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	ASSERT_EQ(0, cg_wait(cg, "cgroup.events", "populated 0"))
		TH_LOG("tasks stay in the killed cgroup");
}

static void restart_helper(struct helper_out *out, int cg, int imgfd,
			   bool new_pidns, int notify)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (new_pidns && unshare(CLONE_NEWPID))
		helper_failed(out, "unshare(CLONE_NEWPID)");
	else if (open_inherited())
		helper_failed(out, "opening the FIFOs");
	else
		helper_restart(out, cg, imgfd, RESTART_CGROUP);
	helper_exit(out, notify);
}

/*
 * Restart the image into @cg from a helper, in a new pid namespace if
 * @new_pidns.  Returns restart(2)'s result; its log is in self->out.
 */
static long restart_into(struct __test_metadata *_metadata,
			 struct _test_data_container *self, int cg,
			 bool new_pidns)
{
	int notify[2], fd, err;
	pid_t pid;
	char c;

	memset(self->out, 0, sizeof(*self->out));
	open_fifos(_metadata, self);
	fd = image_memfd(&self->img);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe2(notify, O_CLOEXEC));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(notify[0]);
		restart_helper(self->out, cg, fd, new_pidns, notify[1]);
	}
	self->helper = pid;
	close(notify[1]);
	close(fd);
	err = read_timed(notify[0], &c, 1);
	close(notify[0]);
	ASSERT_EQ(0, err) TH_LOG("restart(2) does not return: %s", strerror(-err));
	return self->out->ret;
}

/* The helper reaped the restored init: its wait status. */
static int wait_helper(struct __test_metadata *_metadata,
		       struct _test_data_container *self)
{
	int st;

	ASSERT_EQ(0, wait_timed(self->helper, &st))
		TH_LOG("the restored init does not exit");
	self->helper = -1;
	ASSERT_TRUE(self->out->reaped) TH_LOG("the helper did not reap init");
	return self->out->status;
}

/* "NSpid:" of /proc/PID/status: the number of levels, or -errno. */
static int ns_pids(pid_t pid, pid_t *nspid, int max)
{
	char buf[2048], *p, *end;
	int n, nr = 0;

	n = proc_read(pid, "status", buf, sizeof(buf));
	if (n < 0)
		return n;
	p = strstr(buf, "\nNSpid:");
	if (!p)
		return -ENOENT;
	for (p += 7; nr < max && *p != '\n'; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		nspid[nr++] = v;
	}
	return nr;
}

static bool same_pidns(pid_t a, pid_t b)
{
	char pa[64], pb[64];
	struct stat sa, sb;

	snprintf(pa, sizeof(pa), "/proc/%d/ns/pid", a);
	snprintf(pb, sizeof(pb), "/proc/%d/ns/pid", b);
	return !stat(pa, &sa) && !stat(pb, &sb) && sa.st_ino == sb.st_ino &&
	       sa.st_dev == sb.st_dev;
}

/*
 * The restored tasks, before they run: in cgroup @i, each in the new
 * pid namespace with its old pid there, the root as its pid 1.
 */
static void check_restored(struct __test_metadata *_metadata,
			   struct _test_data_container *self, int i, pid_t root)
{
	char buf[512], want[128];
	bool seen[C_NR] = { false };
	pid_t nspid[4];
	int k, n;

	get_outer_pids(_metadata, self, self->cgfd[i]);
	snprintf(want, sizeof(want), "%s/%s\n", strrchr(self->top, '/'),
		 self->cgname[i]);
	for (k = 0; k < C_NR; k++) {
		pid_t pid = self->outer[k];

		n = proc_read(pid, "cgroup", buf, sizeof(buf));
		ASSERT_LT(0, n) TH_LOG("/proc/%d/cgroup: %s", pid, strerror(-n));
		EXPECT_TRUE(n >= (int)strlen(want) &&
			    !strcmp(buf + n - strlen(want), want))
			TH_LOG("pid %d is in %s", pid, buf);

		n = ns_pids(pid, nspid, 4);
		ASSERT_EQ(2, n) TH_LOG("pid %d: %d pid levels", pid, n);
		EXPECT_EQ(pid, nspid[0]);
		ASSERT_TRUE(nspid[1] >= 1 && nspid[1] <= C_NR)
			TH_LOG("pid %d is %d inside", pid, nspid[1]);
		EXPECT_FALSE(seen[nspid[1] - 1]);
		seen[nspid[1] - 1] = true;
		if (pid == root)
			EXPECT_EQ(1, nspid[1]) TH_LOG("the root is not pid 1");
		EXPECT_TRUE(same_pidns(pid, root)) TH_LOG("pid %d", pid);
	}
	EXPECT_FALSE(same_pidns(getpid(), root)) TH_LOG("not in a new pid namespace");
}

TEST_F_TIMEOUT(container, continues_after_checkpoint, 120)
{
	int cg = container_checkpoint(_metadata, self);

	EXPECT_TRUE(cg_has(cg, "cgroup.events", "frozen 1"))
		TH_LOG("the checkpoint thawed the cgroup");
	container_finish(_metadata, self, cg);
}

TEST_F_TIMEOUT(container, restarts_twice_in_new_pid_namespaces, 180)
{
	static const char *const names[] = { "r1", "r2" };
	int i, cg, st;
	long ret;

	checkpoint_and_kill(_metadata, self);
	for (i = 0; i < 2; i++) {
		cg = cg_create(_metadata, self, names[i]);
		ret = restart_into(_metadata, self, cg, true);
		ASSERT_LT(0, ret)
			TH_LOG("restart %d: %s; log: %s", i + 1, strerror(-ret),
			       self->out->log);
		check_restored(_metadata, self, self->nr_cg - 1, ret);
		container_release(_metadata, self);
		st = wait_helper(_metadata, self);
		EXPECT_EQ((10 + C_INIT) << 8, st) TH_LOG("restart %d", i + 1);
		EXPECT_EQ(0, cg_wait(cg, "cgroup.events", "populated 0"))
			TH_LOG("tasks stay in the cgroup");
	}
}

TEST_F_TIMEOUT(container, restarts_frozen_into_a_frozen_cgroup, 120)
{
	struct pollfd pfd;
	int cg, i, n, st;
	long ret;

	checkpoint_and_kill(_metadata, self);
	cg = cg_create(_metadata, self, "r1");
	ASSERT_EQ(0, cg_freeze(cg, true)) TH_LOG("the empty cgroup does not freeze");
	ret = restart_into(_metadata, self, cg, true);
	ASSERT_LT(0, ret) TH_LOG("restart: %s; log: %s", strerror(-ret), self->out->log);
	check_restored(_metadata, self, self->nr_cg - 1, ret);
	ASSERT_EQ(0, cg_wait(cg, "cgroup.events", "frozen 1"))
		TH_LOG("the restored tasks are not frozen");

	/* Let them go: frozen, none of them moves. */
	for (i = 0; i < C_NR; i++)
		ASSERT_EQ(1, write(self->ctl, "x", 1));
	pfd.fd = self->res;
	pfd.events = POLLIN;
	n = poll(&pfd, 1, 1000);
	EXPECT_EQ(0, n) TH_LOG("a frozen task reported");
	EXPECT_TRUE(cg_has(cg, "cgroup.events", "frozen 1"));
	get_outer_pids(_metadata, self, cg);

	ASSERT_EQ(0, cg_freeze(cg, false)) TH_LOG("the cgroup does not thaw");
	container_collect(_metadata, self);
	st = wait_helper(_metadata, self);
	EXPECT_EQ((10 + C_INIT) << 8, st);
}

TEST_F_TIMEOUT(container, pid_1_is_busy_without_a_new_pid_namespace, 120)
{
	int cg, fd, lp[2];
	pid_t left[C_NR];
	long ret;

	checkpoint_and_kill(_metadata, self);
	cg = cg_create(_metadata, self, "r1");
	ASSERT_EQ(0, open_inherited());
	fd = image_memfd(&self->img);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, log_pipe(lp));
	arm();
	ret = disarm(ckpt_ret(sys_restart(cg, fd, RESTART_CGROUP, lp[1])));
	log_drain(lp[0], self->log, sizeof(self->log));
	close(lp[0]);
	close(lp[1]);
	close(fd);
	close(CTL_FD);
	close(RES_FD);
	EXPECT_EQ(-EBUSY, ret) TH_LOG("log: %s", self->log);
	EXPECT_NE(NULL, strstr(self->log, "CLONE_NEWPID")) TH_LOG("log: %s", self->log);
	/* Nothing is left behind. */
	EXPECT_EQ(0, cg_procs(cg, left, C_NR));
	EXPECT_EQ(-1, waitpid(-1, NULL, WNOHANG | __WALL));
}

/*
 * The container's init holds LEAK_FD: an open file that we hold too
 * (@pipe false), or the read end of a pipe whose write end we hold.
 * Either way the container cannot be checkpointed alone: a message
 * says what is shared with the outside.  Once we close ours, it can.
 */
static void leak_check(struct __test_metadata *_metadata,
		       struct _test_data_container *self, bool pipe)
{
	int cg, p[2];
	long ret;

	if (pipe) {
		ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
		ASSERT_EQ(LEAK_FD, dup2(p[0], LEAK_FD));
		close(p[0]);
		self->leak = p[1];
	} else {
		snprintf(self->leak_path, sizeof(self->leak_path), "/tmp/ckpt-leak-%d",
			 getpid());
		self->leak = open(self->leak_path,
				  O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		ASSERT_LE(0, self->leak);
		ASSERT_EQ(4, write(self->leak, "leak", 4));
		ASSERT_EQ(LEAK_FD, dup2(self->leak, LEAK_FD));
	}
	cg = cg_create(_metadata, self, "c0");
	container_start(_metadata, self, cg, true);
	if (pipe)
		close(LEAK_FD);
	ASSERT_EQ(0, cg_freeze(cg, true)) TH_LOG("the cgroup does not freeze");

	ret = checkpoint_cgroup(self, cg, NULL);
	EXPECT_EQ(-EBUSY, ret) TH_LOG("log: %s", self->log);
	EXPECT_NE(NULL, strstr(self->log, "outside")) TH_LOG("log: %s", self->log);

	/* Once only the container holds it, it is fine. */
	if (!pipe)
		close(LEAK_FD);
	close(self->leak);
	self->leak = -1;
	ret = checkpoint_cgroup(self, cg, NULL);
	EXPECT_LT(0, ret)
		TH_LOG("without the leak: %s; log: %s", strerror(-ret), self->log);

	container_finish(_metadata, self, cg);
}

TEST_F_TIMEOUT(container, file_shared_with_the_outside_is_refused, 120)
{
	leak_check(_metadata, self, false);
}

TEST_F_TIMEOUT(container, pipe_to_the_outside_is_refused, 120)
{
	leak_check(_metadata, self, true);
}

TEST_F_TIMEOUT(container, cgroup_not_frozen_is_refused, 120)
{
	int cg = cg_create(_metadata, self, "c0"), i;
	long ret;

	container_start(_metadata, self, cg, false);
	ret = checkpoint_cgroup(self, cg, NULL);
	EXPECT_EQ(-EBUSY, ret) TH_LOG("log: %s", self->log);
	EXPECT_NE('\0', self->log[0]) TH_LOG("no message on the log");
	/* The tasks were left as they were. */
	for (i = 0; i < C_NR; i++)
		EXPECT_EQ(0, wait_in_syscall(self->outer[i], __NR_read));

	ASSERT_EQ(0, cg_freeze(cg, true)) TH_LOG("the cgroup does not freeze");
	ret = checkpoint_cgroup(self, cg, NULL);
	EXPECT_LT(0, ret) TH_LOG("once frozen: %s; log: %s", strerror(-ret), self->log);
	container_finish(_metadata, self, cg);
}

TEST_F_TIMEOUT(container, two_trees_are_refused, 120)
{
	int cg = cg_create(_metadata, self, "c0"), i, st;
	long ret;

	open_fifos(_metadata, self);
	for (i = 0; i < 2; i++) {
		pid_t pid = clone_into(cg, false);

		ASSERT_LE(0, pid) TH_LOG("clone3: %s", strerror(errno));
		if (!pid)
			c_lone();
		self->lone[i] = pid;
	}
	for (i = 0; i < 2; i++) {
		pid_t pid = self->lone[i];

		ASSERT_EQ(0, wait_in_syscall(pid, __NR_read))
			TH_LOG("pid %d does not wait in read()", pid);
	}
	ASSERT_EQ(0, cg_freeze(cg, true)) TH_LOG("the cgroup does not freeze");

	ret = checkpoint_cgroup(self, cg, NULL);
	EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("log: %s", self->log);
	EXPECT_NE('\0', self->log[0]) TH_LOG("no message on the log");

	ASSERT_EQ(0, cg_freeze(cg, false)) TH_LOG("the cgroup does not thaw");
	ASSERT_EQ(2, write(self->ctl, "xx", 2));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, wait_timed(self->lone[i], &st))
			TH_LOG("pid %d does not exit", self->lone[i]);
		self->lone[i] = -1;
		EXPECT_EQ(0, st);
	}
}

TEST_HARNESS_MAIN
