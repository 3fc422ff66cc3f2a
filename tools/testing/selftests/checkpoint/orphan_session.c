// SPDX-License-Identifier: GPL-2.0
/*
 * A session whose leader exited, as a daemon leaves it: the root R, a
 * child subreaper, forked D1, which made a session and forked D2 and E
 * in it, then exited.  E exited with 5 and is R's zombie now; D2, R's
 * child now, forked D3, which leads a group of its own in the session.
 * So D2 and E are in session D1 and group D1, whose leader is gone, and
 * their parent R is in another session.
 *
 * Restart makes session D1 again with a stand-in leader, which creates
 * D2 and E as R's children and exits: after the checkpoint (or the
 * restart) R checks the sessions, groups and parents are as they were,
 * that no process D1 is left, that R has no other child, and collects
 * E's status.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define WAIT_MS		30000

struct session_report {
	int ready;
	pid_t self, d1, d2, d3, e;
	/* after */
	pid_t sid_d2, pgid_d2, ppid_d2, sid_d3, pgid_d3, ppid_d3;
	pid_t sid_e, pgid_e;
	int d1_gone;		/* kill(D1, 0) fails with ESRCH */
	int children;		/* R's children: D2 and E */
	int e_status;		/* E's, collected by R */
};

/* The parent of @pid, or -1. */
static pid_t ppid_of(pid_t pid)
{
	pid_t ppid;

	return proc_ppid(pid, &ppid) ? -1 : ppid;
}

static int count_children(void)
{
	char path[64];
	int n = 0, pid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", getpid());
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%d", &pid) == 1)
		n++;
	fclose(f);
	return n;
}

static void __noreturn idle(void)
{
	for (;;)
		pause();
}

/* D1: make the session, D2 (and its D3) and E in it, then go. */
static void __noreturn session_leader(int sync)
{
	pid_t d2, e, d3;
	int p[2];
	siginfo_t si;

	if (setsid() < 0 || pipe(p))
		_exit(1);
	d2 = fork();
	if (!d2) {
		d3 = fork();
		if (!d3) {
			setpgid(0, 0);
			idle();
		}
		if (d3 < 0 || setpgid(d3, d3) ||
		    write(p[1], &d3, sizeof(d3)) != sizeof(d3))
			_exit(1);
		idle();
	}
	e = fork();
	if (!e)
		_exit(5);
	if (d2 < 0 || e < 0 || read(p[0], &d3, sizeof(d3)) != sizeof(d3) ||
	    waitid(P_PID, e, &si, WEXITED | WNOWAIT))
		_exit(1);
	if (write(sync, &d2, sizeof(d2)) != sizeof(d2) ||
	    write(sync, &e, sizeof(e)) != sizeof(e) ||
	    write(sync, &d3, sizeof(d3)) != sizeof(d3))
		_exit(1);
	_exit(0);
}

static int set_up(struct session_report *r)
{
	int sync[2], status, i;

	r->self = getpid();
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(sync))
		return -1;
	r->d1 = fork();
	if (r->d1 < 0)
		return -2;
	if (!r->d1)
		session_leader(sync[1]);
	if (read(sync[0], &r->d2, sizeof(r->d2)) != sizeof(r->d2) ||
	    read(sync[0], &r->e, sizeof(r->e)) != sizeof(r->e) ||
	    read(sync[0], &r->d3, sizeof(r->d3)) != sizeof(r->d3))
		return -3;
	close(sync[0]);
	close(sync[1]);
	if (waitpid(r->d1, &status, 0) != r->d1 || status)
		return -4;
	/* D2 and E are ours once D1 is gone. */
	for (i = 0; i < WAIT_MS; i++) {
		if (ppid_of(r->d2) == r->self && ppid_of(r->e) == r->self)
			return getsid(r->d2) == r->d1 ? 0 : -6;
		usleep(1000);
	}
	return -5;
}

static void check_session(void *report)
{
	struct session_report *r = report;
	int status;

	r->sid_d2 = getsid(r->d2);
	r->pgid_d2 = getpgid(r->d2);
	r->ppid_d2 = ppid_of(r->d2);
	r->sid_d3 = getsid(r->d3);
	r->pgid_d3 = getpgid(r->d3);
	r->ppid_d3 = ppid_of(r->d3);
	r->sid_e = getsid(r->e);
	r->pgid_e = getpgid(r->e);
	r->d1_gone = kill(r->d1, 0) == -1 && errno == ESRCH;
	r->children = count_children();
	if (waitpid(r->e, &status, WNOHANG) == r->e && WIFEXITED(status))
		r->e_status = WEXITSTATUS(status);
	kill(r->d3, SIGKILL);
	kill(r->d2, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
}

static void __noreturn child(void)
{
	struct session_report r = { 0 };

	r.ready = set_up(&r);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), check_session);
}

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct session_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(r.d1, r.sid_d2);
	EXPECT_EQ(r.d1, r.pgid_d2);
	EXPECT_EQ(r.self, r.ppid_d2);
	EXPECT_EQ(r.d1, r.sid_d3);
	EXPECT_EQ(r.d3, r.pgid_d3);
	EXPECT_EQ(r.d2, r.ppid_d3);
	EXPECT_EQ(r.d1, r.sid_e);
	EXPECT_EQ(r.d1, r.pgid_e);
	EXPECT_EQ(1, r.d1_gone);
	EXPECT_EQ(2, r.children);
	EXPECT_EQ(5, r.e_status);
}

FIXTURE(orphan_session) {
	struct piped_child pc;
	struct session_report r;
};

FIXTURE_SETUP(orphan_session)
{
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, child));
	ASSERT_EQ(0, read_within(self->pc.res, &self->r, sizeof(self->r),
				 WAIT_MS));
	ASSERT_EQ(0, self->r.ready);
}

FIXTURE_TEARDOWN(orphan_session)
{
	piped_child_end(&self->pc);
}

/* The tree goes on, in its sessions. */
TEST_F(orphan_session, continues)
{
	const struct ckpt_pids *p;
	int i, in_d1 = 0;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	/* R, D2, E and D3; D1 is not. */
	ASSERT_EQ(4, image_tree(&self->pc.img)->nr_tasks);
	p = image_pids(&self->pc.img);
	for (i = 0; i < 4; i++) {
		EXPECT_NE(self->r.d1, p[i].pid);
		in_d1 += p[i].sid == self->r.d1;
	}
	EXPECT_EQ(3, in_d1);
	piped_child_finish(_metadata, &self->pc, check);
}

/* Killed and restarted twice from one image: no stand-in is left. */
TEST_F(orphan_session, restarts_twice)
{
	struct piped_check c = { _metadata, check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

TEST_HARNESS_MAIN
