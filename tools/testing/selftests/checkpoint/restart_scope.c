// SPDX-License-Identifier: GPL-2.0
/*
 * The process group and session scopes of checkpoint(2).
 *
 * - job: a shell job "L | M1 | M2".  A process S plays the shell: it
 *   stays out of the job and is not saved.  S forks L, which makes group
 *   L, then M1 and M2, which it puts into group L, both of them calling
 *   setpgid() as a shell and its child do.  L writes a pattern down a
 *   pipe to M1, which forwards it down another pipe to M2, which checks
 *   its length and checksum; both pipes hold data at the checkpoint.
 *   M1 forks K, which stays in the group; M2 runs a second thread and
 *   forks E, which leaves the group.  S also forks U, in a group of its
 *   own.  Group L is checkpointed with CHECKPOINT_SCOPE_PGRP: the image
 *   holds L, M1, M2 with its thread, and K, L first; L, M1 and M2 have no
 *   parent in it (S is not saved), K has M1.  E and U are not saved, and
 *   outlive the CHECKPOINT_KILL of the job.  In three ways: left running
 *   after the checkpoint, killed and restarted, and restarted twice from
 *   one image.  We restart the job ourselves: L, M1 and M2 come back as
 *   our children and K as M1's, with their pids, in group L of our
 *   session, and the data goes on.
 * - login: D calls setsid() and forks A, which stays in its group, and
 *   B, which makes a group of its own with its child G in it; A writes
 *   to G through a pipe.  D's session is checkpointed with
 *   CHECKPOINT_SCOPE_SESSION, in the same three ways: restarted, D leads
 *   session D again as our child, and A, B and G are in it, in their
 *   groups, with their parents.
 * - Refusals: a pid that does not lead its group or session (EINVAL),
 *   a group leader whose parent is in its group (EOPNOTSUPP), and, from
 *   restart(2), a process whose parent was not saved and that is in the
 *   session that the root of the image leads (EOPNOTSUPP): restart
 *   would have to make it our child in another session.
 *
 * The tasks wait on CTL_FD and report on RES_FD, pipes whose other end
 * is ours: restart gives the restored tasks the restarting process's
 * descriptors of the same numbers.  Every wait is bounded by an alarm
 * that interrupts it, so that a test fails with a message; the
 * teardowns kill what the tests started.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The arrays of struct report, of restart_util.h. */
#define REPORT_NR_OTHER		4
#define REPORT_NR_STATUS	4
#define REPORT_NR_VALUE		4

#include "checkpoint_util.h"
#include "restart_util.h"
#include "../kselftest_harness.h"

/* The errno of a call that returned @ret, 0 if it succeeded. */
static int err_of(long ret)
{
	return ret < 0 ? errno : 0;
}

/* ------------------------------------------------------------------ */
/* Data through pipes                                                  */

#define DATA_BEFORE	3000	/* written before the checkpoint */
#define DATA_FWD	1000	/* of which M1 forwarded before it */
#define DATA_AFTER	1000
#define DATA_TOTAL	(DATA_BEFORE + DATA_AFTER)
#define SALT_JOB	3
#define SALT_LOGIN	5

/* Copy @len bytes from @in to @out, or up to end of file if @len < 0. */
static int forward(int in, int out, int len)
{
	unsigned char buf[512];
	int copied = 0;
	ssize_t n;

	while (len < 0 || copied < len) {
		size_t want = sizeof(buf);

		if (len >= 0 && (size_t)(len - copied) < want)
			want = len - copied;
		n = read(in, buf, want);
		if (n < 0 || (n == 0 && len >= 0))
			return STEP_DATA;
		if (n == 0)
			break;
		if (write(out, buf, n) != n)
			return STEP_DATA;
		copied += n;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* A shell job: L | M1 | M2, with K in the group and U outside         */

/* The members of group L, then the shell. */
enum { J_L, J_M1, J_M2, J_K, J_SHELL, J_NR };

#define J_MEMBERS	J_SHELL

static int pipe_a[2];		/* L to M1 */
static int pipe_b[2];		/* M1 to M2 */
static pid_t m2_tid;

static void job_k(void)
{
	struct report r = { .role = J_K };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(pipe_a[0]);
	close(pipe_b[1]);
	set_up(&r);
	done(&r);
}

/* Keep the first error; the data flows whatever failed before. */
static void keep_err(struct report *r, int err)
{
	if (!r->err)
		r->err = err;
}

static void job_l(struct report *r)
{
	close(pipe_a[0]);
	close(pipe_b[0]);
	close(pipe_b[1]);
	keep_err(r, put_data(pipe_a[1], SALT_JOB, 0, DATA_BEFORE));
	set_up(r);
	if (!r->err)
		r->err = put_data(pipe_a[1], SALT_JOB, DATA_BEFORE, DATA_AFTER);
	close(pipe_a[1]);
}

/* other[0] = K; status[0] = K's wait status. */
static void job_m1(struct report *r)
{
	int st = -1;
	pid_t k;

	close(pipe_a[1]);
	close(pipe_b[0]);
	k = fork();
	if (!k)
		job_k();
	if (k < 0 && !r->err)
		r->err = STEP_SETUP;
	r->other[0] = k;
	keep_err(r, forward(pipe_a[0], pipe_b[1], DATA_FWD));
	set_up(r);
	if (!r->err)
		r->err = forward(pipe_a[0], pipe_b[1], -1);
	close(pipe_a[0]);
	close(pipe_b[1]);
	if (k > 0 && waitpid(k, &st, 0) != k && !r->err)
		r->err = STEP_WAIT;
	r->status[0] = st;
}

/*
 * M2's child E, in a group of its own: not saved with the job.  It ends
 * with SIGUSR2 when M2 does, the checkpoint's SIGKILL coming first.
 */
static void job_outsider(void)
{
	prctl(PR_SET_PDEATHSIG, SIGUSR2);
	close(pipe_b[0]);
	close(CTL_FD);
	close(RES_FD);
	setpgid(0, 0);
	for (;;)
		pause();
}

static void *m2_thread(void *arg)
{
	__atomic_store_n(&m2_tid, gettid(), __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return NULL;
}

/*
 * other[0] = E; value[0] = the tid of its second thread, value[1] and
 * value[2] = the number and checksum of the bytes it read, value[3] =
 * errno of tgkill(.., 0) of its thread at the end.
 */
static void job_m2(struct report *r)
{
	__u32 sum = 0;
	pthread_t t;
	int got = 0;
	pid_t e;

	close(pipe_a[0]);
	close(pipe_a[1]);
	close(pipe_b[1]);
	e = fork();
	if (!e)
		job_outsider();
	if (e < 0 && !r->err)
		r->err = STEP_SETUP;
	else if (e > 0 && setpgid(e, e) && !r->err)
		r->err = STEP_PGRP;
	r->other[0] = e;
	if (pthread_create(&t, NULL, m2_thread, NULL)) {
		if (!r->err)
			r->err = STEP_SETUP;
	} else {
		while (!__atomic_load_n(&m2_tid, __ATOMIC_SEQ_CST))
			sched_yield();
	}
	r->value[0] = m2_tid;
	set_up(r);
	if (!r->err)
		r->err = take_data(pipe_b[0], SALT_JOB, DATA_TOTAL, &got, &sum);
	r->value[1] = got;
	r->value[2] = (int)sum;
	r->value[3] = err_of(syscall(SYS_tgkill, getpid(), m2_tid, 0));
	close(pipe_b[0]);
}

/* A member of the job: L makes group @lead (0), the others join it. */
static void job_member(int role, pid_t lead)
{
	struct report r = { .role = role };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setpgid(0, lead))
		r.err = STEP_PGRP;
	if (role == J_L)
		job_l(&r);
	else if (role == J_M1)
		job_m1(&r);
	else
		job_m2(&r);
	done(&r);
}

/*
 * The shell.  Set-up report: other[] = L, M1, M2 and U.  Final report,
 * once L, M1 and M2 ended: status[0..2] = their wait statuses, status[3]
 * = that of U, which it then ends with SIGTERM.
 */
static void job_shell(void)
{
	struct report r = { .role = J_SHELL };
	pid_t kid[3], u;
	int i, st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (pipe(pipe_a) || pipe(pipe_b))
		_exit(91);
	for (i = 0; i < 3; i++) {
		kid[i] = fork();
		if (kid[i] < 0)
			_exit(92);
		if (!kid[i])
			job_member(J_L + i, i ? kid[0] : 0);
		/* As a shell does: whichever of the two runs first does it. */
		if (setpgid(kid[i], kid[0]) && !r.err)
			r.err = STEP_PGRP;
	}
	close(pipe_a[0]);
	close(pipe_a[1]);
	close(pipe_b[0]);
	close(pipe_b[1]);
	close(CTL_FD);

	u = fork();
	if (u < 0)
		_exit(93);
	if (!u) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(RES_FD);
		setpgid(0, 0);
		for (;;)
			pause();
	}
	if (setpgid(u, u) && !r.err)
		r.err = STEP_PGRP;
	fill_ids(&r);
	memcpy(r.other, kid, sizeof(kid));
	r.other[3] = u;
	put_report(&r);

	for (i = 0; i < 3; i++) {
		st = -1;
		if (waitpid(kid[i], &st, 0) != kid[i] && !r.err)
			r.err = STEP_WAIT;
		r.status[i] = st;
	}
	/* A SIGKILL from the checkpoint would have come first. */
	st = -1;
	if ((kill(u, SIGTERM) || waitpid(u, &st, 0) != u) && !r.err)
		r.err = STEP_WAIT;
	r.status[3] = st;
	done(&r);
}

FIXTURE(job)
{
	pid_t shell;
	pid_t uninvolved;	/* U */
	pid_t outsider;		/* E */
	pid_t pids[J_MEMBERS];	/* L, M1, M2, K while they may live */
	pid_t thread;		/* M2's second thread */
	struct report setup[J_NR];
	int ctl, res;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_VARIANT(job)
{
	int restarts;		/* 0: carry on after the checkpoint */
};

FIXTURE_VARIANT_ADD(job, carry_on)
{
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(job, restart)
{
	.restarts = 1,
};

FIXTURE_VARIANT_ADD(job, restart_twice)
{
	.restarts = 2,
};

FIXTURE_SETUP(job)
{
	memset(&self->img, 0, sizeof(self->img));
	memset(self->pids, 0, sizeof(self->pids));
	self->shell = -1;
	self->uninvolved = 0;
	self->outsider = 0;
	self->thread = 0;
	self->ctl = -1;
	self->res = -1;
	catch_alarm();
	/* Orphans of a killed job come to us, to be reaped. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

/*
 * The teardowns run in the parent of the test process: they use only
 * the pids of the fixture data, in shared memory.  A killed member's
 * children die of their parent death signal.
 */
FIXTURE_TEARDOWN_PARENT(job)
{
	int i;

	for (i = 0; i < J_MEMBERS; i++)
		if (self->pids[i] > 0)
			kill(self->pids[i], SIGKILL);
	if (self->uninvolved > 0)
		kill(self->uninvolved, SIGKILL);
	if (self->outsider > 0)
		kill(self->outsider, SIGKILL);
	if (self->shell > 0)
		kill(self->shell, SIGKILL);
	reap_all();
}

static void job_track(struct _test_data_job *self)
{
	int i;

	for (i = 0; i < J_MEMBERS; i++)
		self->pids[i] = self->setup[i].pid;
	self->thread = self->setup[J_M2].value[0];
}

static void job_untrack(struct _test_data_job *self)
{
	memset(self->pids, 0, sizeof(self->pids));
	self->thread = 0;
}

/* Start the job; return once its members wait in read(). */
static void job_start(struct __test_metadata *_metadata,
		      struct _test_data_job *self)
{
	const struct report *s = &self->setup[J_SHELL], *r;
	pid_t pid, lead;
	int i, err;

	self->ctl = pipe_at(CTL_FD, true);
	self->res = pipe_at(RES_FD, false);
	ASSERT_LE(0, self->ctl);
	ASSERT_LE(0, self->res);
	pid = fork_tasks(self->ctl, self->res);
	ASSERT_LE(0, pid);
	if (!pid)
		job_shell();
	self->shell = pid;
	err = read_reports(self->res, self->setup, J_NR, J_NR, 0);
	ASSERT_EQ(0, err) TH_LOG("the job did not report its set-up: %s", strerror(-err));
	job_track(self);
	self->uninvolved = s->other[3];
	self->outsider = self->setup[J_M2].other[0];
	for (i = 0; i < J_NR; i++) {
		err = self->setup[i].err;
		ASSERT_EQ(0, err) TH_LOG("set-up of role %d failed: %s", i, step_name(err));
	}

	lead = self->pids[J_L];
	ASSERT_EQ(self->shell, s->pid);
	EXPECT_EQ(getpid(), s->ppid);
	EXPECT_EQ(getpgid(0), s->pgid) TH_LOG("the shell left our group");
	EXPECT_EQ(getsid(0), s->sid);
	for (i = 0; i < J_MEMBERS; i++) {
		r = &self->setup[i];
		if (i != J_K)
			ASSERT_EQ(s->other[i], r->pid) TH_LOG("role %d", i);
		EXPECT_EQ(i == J_K ? self->pids[J_M1] : self->shell, r->ppid)
			TH_LOG("role %d", i);
		EXPECT_EQ(lead, r->pgid) TH_LOG("role %d", i);
		EXPECT_EQ(getsid(0), r->sid) TH_LOG("role %d", i);
	}
	ASSERT_EQ(self->pids[J_K], self->setup[J_M1].other[0]);
	ASSERT_LT(0, self->thread);
	ASSERT_LT(0, self->uninvolved);
	EXPECT_EQ(self->uninvolved, getpgid(self->uninvolved));
	EXPECT_EQ(getsid(0), getsid(self->uninvolved));
	ASSERT_LT(0, self->outsider);
	EXPECT_EQ(self->outsider, getpgid(self->outsider)) TH_LOG("E is in the job");
	for (i = 0; i < J_MEMBERS; i++)
		ASSERT_EQ(0, wait_in_read(self->pids[i]))
			TH_LOG("role %d does not wait in read()", i);
	/* U and E closed what they inherited of the job. */
	ASSERT_EQ(0, wait_in_syscall(self->uninvolved, __NR_pause));
	ASSERT_EQ(0, wait_in_syscall(self->outsider, __NR_pause));
}

/*
 * The image: L, M1, M2, its thread and K, all in group L of our session;
 * L first, then the processes with no parent in the image (L, M1, M2),
 * then K, whose parent is M1; a thread after its process.
 */
static void job_check_image(struct __test_metadata *_metadata,
			    struct _test_data_job *self)
{
	struct ckpt_hdr_header *h = image_rec(&self->img, CKPT_HDR_HEADER, 0);
	struct ckpt_hdr_tree *tree = image_tree(&self->img);
	struct ckpt_pids *p = image_pids(&self->img);
	pid_t lead = self->pids[J_L], m2 = self->pids[J_M2];
	bool seen[J_MEMBERS + 1] = { false }, had_parent = false;
	int i, role, m2_at = -1;

	ASSERT_NE(NULL, h);
	EXPECT_EQ(CHECKPOINT_SCOPE_PGRP, h->flags & CHECKPOINT_SCOPE_MASK);
	ASSERT_NE(NULL, tree);
	ASSERT_LT(0, tree->nr_tasks);
	EXPECT_EQ(lead, p[0].pid) TH_LOG("the leader is not first");
	for (i = 0; i < (int)tree->nr_tasks; i++) {
		pid_t pid = p[i].pid;

		for (role = 0; role < J_MEMBERS; role++)
			if (self->pids[role] == pid)
				break;
		ASSERT_TRUE(role < J_MEMBERS || pid == self->thread)
			TH_LOG("pid %d is not of the job (shell %d, U %d, E %d)", pid,
			       self->shell, self->uninvolved, self->outsider);
		EXPECT_FALSE(seen[role]) TH_LOG("pid %d twice", pid);
		seen[role] = true;
		EXPECT_EQ(lead, p[i].pgid) TH_LOG("pid %d", pid);
		EXPECT_EQ(getsid(0), p[i].sid) TH_LOG("pid %d", pid);
		if (role == J_MEMBERS) {
			EXPECT_EQ(m2, p[i].tgid) TH_LOG("thread %d", pid);
			EXPECT_EQ(0, p[i].ppid) TH_LOG("thread %d", pid);
			EXPECT_LE(0, m2_at) TH_LOG("thread %d before its process", pid);
			continue;
		}
		EXPECT_EQ(pid, p[i].tgid);
		if (role == J_M2)
			m2_at = i;
		if (role == J_K) {
			EXPECT_EQ(self->pids[J_M1], p[i].ppid) TH_LOG("K's parent");
			had_parent = true;
			continue;
		}
		EXPECT_EQ(0, p[i].ppid) TH_LOG("role %d has a parent in the image", role);
		EXPECT_FALSE(had_parent)
			TH_LOG("role %d, whose parent is not saved, comes after K", role);
	}
	/* Each once: all of them are there. */
	EXPECT_EQ(J_MEMBERS + 1, tree->nr_tasks);
}

/* From outside, before a restored job goes on. */
static void job_check_restored(struct __test_metadata *_metadata,
			       struct _test_data_job *self)
{
	pid_t lead = self->pids[J_L], ppid;
	char path[64];
	struct stat st;
	int i;

	for (i = 0; i < J_MEMBERS; i++) {
		pid_t pid = self->pids[i];

		ppid = 0;
		ASSERT_EQ(0, proc_ppid(pid, &ppid)) TH_LOG("pid %d is not there", pid);
		EXPECT_EQ(i == J_K ? self->pids[J_M1] : getpid(), ppid)
			TH_LOG("role %d", i);
		EXPECT_EQ(lead, getpgid(pid)) TH_LOG("role %d", i);
		EXPECT_EQ(getsid(0), getsid(pid)) TH_LOG("role %d", i);
	}
	snprintf(path, sizeof(path), "/proc/%d/task/%d", self->pids[J_M2], self->thread);
	EXPECT_EQ(0, stat(path, &st)) TH_LOG("no %s", path);
}

/* E, our child once M2 ended: that ended it, not the checkpoint. */
static void job_reap_outsider(struct __test_metadata *_metadata,
			      struct _test_data_job *self)
{
	int st;

	ASSERT_EQ(0, wait_timed(self->outsider, &st)) TH_LOG("E does not end with M2");
	self->outsider = 0;
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR2)
		TH_LOG("E, M2's child out of the group, ended with status %#x", st);
}

/*
 * Let the job go and check its end.  Restored, its members were our
 * children, else the shell's.
 */
static void job_release(struct __test_metadata *_metadata,
			struct _test_data_job *self, bool restored)
{
	struct report r[J_NR], *s = &r[J_SHELL];
	pid_t lead = self->pids[J_L], parent = restored ? getpid() : self->shell;
	int i, st, err, nr = restored ? J_MEMBERS : J_NR;

	ASSERT_EQ(J_MEMBERS, write(self->ctl, "xxxx", J_MEMBERS));
	err = read_reports(self->res, r, J_NR, nr, 1);
	ASSERT_EQ(0, err) TH_LOG("the job did not report its end: %s", strerror(-err));
	if (restored) {
		for (i = J_L; i <= J_M2; i++) {
			ASSERT_EQ(0, wait_timed(self->pids[i], &st))
				TH_LOG("role %d does not exit", i);
			self->pids[i] = 0;
			EXPECT_EQ((10 + i) << 8, st) TH_LOG("role %d", i);
		}
	} else {
		ASSERT_EQ(0, wait_timed(self->shell, &st)) TH_LOG("the shell does not exit");
		self->shell = -1;
		self->uninvolved = 0;
		EXPECT_EQ((10 + J_SHELL) << 8, st);
		EXPECT_EQ(0, s->err) TH_LOG("the shell failed: %s", step_name(s->err));
		for (i = J_L; i <= J_M2; i++)
			EXPECT_EQ((10 + i) << 8, s->status[i]) TH_LOG("role %d", i);
		EXPECT_TRUE(WIFSIGNALED(s->status[3]) && WTERMSIG(s->status[3]) == SIGTERM)
			TH_LOG("U's status %#x", s->status[3]);
		job_reap_outsider(_metadata, self);
	}
	job_untrack(self);

	for (i = 0; i < J_MEMBERS; i++) {
		EXPECT_EQ(0, r[i].err) TH_LOG("role %d failed: %s", i, step_name(r[i].err));
		EXPECT_EQ(self->setup[i].pid, r[i].pid) TH_LOG("role %d", i);
		EXPECT_EQ(i == J_K ? r[J_M1].pid : parent, r[i].ppid) TH_LOG("role %d", i);
		EXPECT_EQ(lead, r[i].pgid) TH_LOG("role %d is not in group %d", i, lead);
		EXPECT_EQ(getsid(0), r[i].sid) TH_LOG("role %d", i);
	}
	EXPECT_EQ(r[J_K].pid, r[J_M1].other[0]);
	EXPECT_EQ((10 + J_K) << 8, r[J_M1].status[0]) TH_LOG("M1 did not reap K");
	EXPECT_EQ(self->setup[J_M2].value[0], r[J_M2].value[0]);
	EXPECT_EQ(DATA_TOTAL, r[J_M2].value[1]) TH_LOG("M2's bytes");
	EXPECT_EQ((int)pattern_sum(SALT_JOB, DATA_TOTAL), r[J_M2].value[2])
		TH_LOG("M2's checksum");
	EXPECT_EQ(0, r[J_M2].value[3]) TH_LOG("M2's thread: %s", strerror(r[J_M2].value[3]));
	EXPECT_EQ(-ECHILD, waitpid(-1, NULL, WNOHANG | __WALL) < 0 ? -errno : 0)
		TH_LOG("a child is left over");
}

/*
 * After a checkpoint with CHECKPOINT_KILL: the shell saw L, M1 and M2
 * killed, U was still alive, and the pids are free.
 */
static void job_killed(struct __test_metadata *_metadata,
		       struct _test_data_job *self)
{
	struct report s;
	int i, st, err;

	err = read_timed(self->res, &s, sizeof(s));
	ASSERT_EQ(0, err) TH_LOG("the shell did not report: %s", strerror(-err));
	ASSERT_TRUE(s.role == J_SHELL && s.done) TH_LOG("role %d reported", s.role);
	EXPECT_EQ(0, s.err) TH_LOG("the shell failed: %s", step_name(s.err));
	for (i = J_L; i <= J_M2; i++)
		EXPECT_TRUE(WIFSIGNALED(s.status[i]) && WTERMSIG(s.status[i]) == SIGKILL)
			TH_LOG("role %d: status %#x", i, s.status[i]);
	EXPECT_TRUE(WIFSIGNALED(s.status[3]) && WTERMSIG(s.status[3]) == SIGTERM)
		TH_LOG("U, not in the group, was killed too: status %#x", s.status[3]);
	ASSERT_EQ(0, wait_timed(self->shell, &st)) TH_LOG("the shell does not exit");
	self->shell = -1;
	self->uninvolved = 0;
	EXPECT_EQ((10 + J_SHELL) << 8, st);
	job_reap_outsider(_metadata, self);
	for (i = 0; i < J_MEMBERS; i++)
		ASSERT_EQ(0, wait_gone(self->pids[i])) TH_LOG("role %d stays", i);
	ASSERT_EQ(0, wait_gone(self->thread)) TH_LOG("M2's thread stays");
	job_untrack(self);
	close_ctl_res(&self->ctl, &self->res);
}

TEST_F_TIMEOUT(job, checkpoint_group, 120)
{
	unsigned long flags = CHECKPOINT_SCOPE_PGRP;
	long ret;
	int i;

	job_start(_metadata, self);
	if (variant->restarts)
		flags |= CHECKPOINT_KILL;
	ret = checkpoint_timed(self->pids[J_L], flags, &self->img, self->log,
			       sizeof(self->log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s; log: %s", strerror(-ret), self->log);
	job_check_image(_metadata, self);
	if (!variant->restarts) {
		job_release(_metadata, self, false);
		return;
	}

	job_killed(_metadata, self);
	for (i = 0; i < variant->restarts; i++) {
		ret = restart_timed(&self->img, &self->ctl, &self->res, self->log,
				    sizeof(self->log));
		if (ret > 0)
			job_track(self);
		ASSERT_EQ(self->setup[J_L].pid, ret)
			TH_LOG("restart %d: %s; log: %s", i + 1,
			       ret < 0 ? strerror(-ret) : "another pid", self->log);
		job_check_restored(_metadata, self);
		job_release(_metadata, self, true);
		close_ctl_res(&self->ctl, &self->res);
	}
}

/* ------------------------------------------------------------------ */
/* A login session: D leads it, with groups D and B                    */

enum { D_LEAD, D_A, D_B, D_G, D_NR };

static int pipe_ag[2];		/* A to G */

static void login_g(void)
{
	struct report r = { .role = D_G };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	set_up(&r);
	if (!r.err)
		r.err = take_data(pipe_ag[0], SALT_LOGIN, DATA_TOTAL, NULL, NULL);
	done(&r);
}

static void login_a(void)
{
	struct report r = { .role = D_A };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(pipe_ag[0]);
	r.err = put_data(pipe_ag[1], SALT_LOGIN, 0, DATA_BEFORE);
	set_up(&r);
	if (!r.err)
		r.err = put_data(pipe_ag[1], SALT_LOGIN, DATA_BEFORE, DATA_AFTER);
	close(pipe_ag[1]);
	done(&r);
}

/* other[0] = G, status[0] = its wait status. */
static void login_b(void)
{
	struct report r = { .role = D_B };
	int st = -1;
	pid_t g;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(pipe_ag[1]);
	if (setpgid(0, 0))
		r.err = STEP_PGRP;
	g = fork();
	if (!g)
		login_g();
	if (g < 0 && !r.err)
		r.err = STEP_SETUP;
	close(pipe_ag[0]);
	r.other[0] = g;
	set_up(&r);
	if (g > 0 && waitpid(g, &st, 0) != g && !r.err)
		r.err = STEP_WAIT;
	r.status[0] = st;
	done(&r);
}

/* other[0..1] = A and B, status[0..1] = their wait statuses. */
static void login_d(void)
{
	struct report r = { .role = D_LEAD };
	pid_t a, b;
	int i, st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setsid() < 0)
		r.err = STEP_SETUP;
	if (pipe(pipe_ag))
		_exit(91);
	a = fork();
	if (!a)
		login_a();
	b = fork();
	if (!b)
		login_b();
	if (a < 0 || b < 0)
		_exit(92);
	if (setpgid(b, b) && !r.err)
		r.err = STEP_PGRP;
	close(pipe_ag[0]);
	close(pipe_ag[1]);
	r.other[0] = a;
	r.other[1] = b;
	set_up(&r);
	for (i = 0; i < 2; i++) {
		st = -1;
		if (waitpid(r.other[i], &st, 0) != r.other[i] && !r.err)
			r.err = STEP_WAIT;
		r.status[i] = st;
	}
	done(&r);
}

FIXTURE(login)
{
	pid_t pids[D_NR];	/* while they may live */
	struct report setup[D_NR];
	int ctl, res;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_VARIANT(login)
{
	int restarts;		/* 0: carry on after the checkpoint */
};

FIXTURE_VARIANT_ADD(login, carry_on)
{
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(login, restart)
{
	.restarts = 1,
};

FIXTURE_VARIANT_ADD(login, restart_twice)
{
	.restarts = 2,
};

FIXTURE_SETUP(login)
{
	memset(&self->img, 0, sizeof(self->img));
	memset(self->pids, 0, sizeof(self->pids));
	self->ctl = -1;
	self->res = -1;
	catch_alarm();
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

/* See FIXTURE_TEARDOWN_PARENT(job). */
FIXTURE_TEARDOWN_PARENT(login)
{
	int i;

	for (i = 0; i < D_NR; i++)
		if (self->pids[i] > 0)
			kill(self->pids[i], SIGKILL);
	reap_all();
}

/* The parent and group of each role; D's parent is @d_parent. */
static pid_t login_ppid(const struct _test_data_login *self, int role,
			pid_t d_parent)
{
	static const int parent_role[D_NR] = { -1, D_LEAD, D_LEAD, D_B };

	return role == D_LEAD ? d_parent : self->setup[parent_role[role]].pid;
}

static pid_t login_pgid(const struct _test_data_login *self, int role)
{
	return self->setup[role < D_B ? D_LEAD : D_B].pid;
}

static void login_track(struct _test_data_login *self)
{
	int i;

	for (i = 0; i < D_NR; i++)
		self->pids[i] = self->setup[i].pid;
}

static void login_start(struct __test_metadata *_metadata,
			struct _test_data_login *self)
{
	const struct report *d = &self->setup[D_LEAD], *r;
	pid_t pid;
	int i, err;

	self->ctl = pipe_at(CTL_FD, true);
	self->res = pipe_at(RES_FD, false);
	ASSERT_LE(0, self->ctl);
	ASSERT_LE(0, self->res);
	pid = fork_tasks(self->ctl, self->res);
	ASSERT_LE(0, pid);
	if (!pid)
		login_d();
	self->pids[D_LEAD] = pid;
	err = read_reports(self->res, self->setup, D_NR, D_NR, 0);
	ASSERT_EQ(0, err) TH_LOG("the session did not report its set-up: %s",
				 strerror(-err));
	login_track(self);
	for (i = 0; i < D_NR; i++) {
		err = self->setup[i].err;
		ASSERT_EQ(0, err) TH_LOG("set-up of role %d failed: %s", i, step_name(err));
	}
	ASSERT_EQ(pid, d->pid);
	ASSERT_EQ(self->setup[D_A].pid, d->other[0]);
	ASSERT_EQ(self->setup[D_B].pid, d->other[1]);
	ASSERT_EQ(self->setup[D_G].pid, self->setup[D_B].other[0]);
	for (i = 0; i < D_NR; i++) {
		r = &self->setup[i];
		EXPECT_EQ(login_ppid(self, i, getpid()), r->ppid) TH_LOG("role %d", i);
		EXPECT_EQ(login_pgid(self, i), r->pgid) TH_LOG("role %d", i);
		EXPECT_EQ(pid, r->sid) TH_LOG("role %d", i);
	}
	for (i = 0; i < D_NR; i++)
		ASSERT_EQ(0, wait_in_read(self->pids[i]))
			TH_LOG("role %d does not wait in read()", i);
}

static void login_check_image(struct __test_metadata *_metadata,
			      struct _test_data_login *self)
{
	struct ckpt_hdr_header *h = image_rec(&self->img, CKPT_HDR_HEADER, 0);
	struct ckpt_hdr_tree *tree = image_tree(&self->img);
	struct ckpt_pids *p = image_pids(&self->img);
	pid_t d = self->pids[D_LEAD];
	bool seen[D_NR] = { false };
	int i, role;

	ASSERT_NE(NULL, h);
	EXPECT_EQ(CHECKPOINT_SCOPE_SESSION, h->flags & CHECKPOINT_SCOPE_MASK);
	ASSERT_NE(NULL, tree);
	ASSERT_EQ(D_NR, tree->nr_tasks);
	EXPECT_EQ(d, p[0].pid) TH_LOG("the session leader is not first");
	for (i = 0; i < D_NR; i++) {
		for (role = 0; role < D_NR; role++)
			if (self->pids[role] == p[i].pid)
				break;
		ASSERT_LT(role, D_NR) TH_LOG("pid %d is not of the session", p[i].pid);
		EXPECT_FALSE(seen[role]) TH_LOG("pid %d twice", p[i].pid);
		seen[role] = true;
		EXPECT_EQ(p[i].pid, p[i].tgid);
		EXPECT_EQ(login_ppid(self, role, 0), p[i].ppid) TH_LOG("role %d", role);
		EXPECT_EQ(login_pgid(self, role), p[i].pgid) TH_LOG("role %d", role);
		EXPECT_EQ(d, p[i].sid) TH_LOG("role %d", role);
	}
}

/* From outside, before a restored session goes on. */
static void login_check_restored(struct __test_metadata *_metadata,
				 struct _test_data_login *self)
{
	pid_t d = self->pids[D_LEAD], ppid;
	int i;

	for (i = 0; i < D_NR; i++) {
		pid_t pid = self->pids[i];

		ppid = 0;
		ASSERT_EQ(0, proc_ppid(pid, &ppid)) TH_LOG("pid %d is not there", pid);
		EXPECT_EQ(login_ppid(self, i, getpid()), ppid) TH_LOG("role %d", i);
		EXPECT_EQ(login_pgid(self, i), getpgid(pid)) TH_LOG("role %d", i);
		EXPECT_EQ(d, getsid(pid)) TH_LOG("role %d is not in session %d", i, d);
	}
}

static void login_release(struct __test_metadata *_metadata,
			  struct _test_data_login *self)
{
	struct report r[D_NR];
	int i, st, err;

	ASSERT_EQ(D_NR, write(self->ctl, "xxxx", D_NR));
	err = read_reports(self->res, r, D_NR, D_NR, 1);
	ASSERT_EQ(0, err) TH_LOG("the session did not report its end: %s",
				 strerror(-err));
	ASSERT_EQ(0, wait_timed(self->pids[D_LEAD], &st)) TH_LOG("D does not exit");
	memset(self->pids, 0, sizeof(self->pids));
	EXPECT_EQ((10 + D_LEAD) << 8, st);
	for (i = 0; i < D_NR; i++) {
		EXPECT_EQ(0, r[i].err) TH_LOG("role %d failed: %s", i, step_name(r[i].err));
		EXPECT_EQ(self->setup[i].pid, r[i].pid) TH_LOG("role %d", i);
		EXPECT_EQ(login_ppid(self, i, getpid()), r[i].ppid) TH_LOG("role %d", i);
		EXPECT_EQ(login_pgid(self, i), r[i].pgid) TH_LOG("role %d", i);
		EXPECT_EQ(self->setup[D_LEAD].pid, r[i].sid) TH_LOG("role %d", i);
	}
	EXPECT_EQ((10 + D_A) << 8, r[D_LEAD].status[0]) TH_LOG("A's status");
	EXPECT_EQ((10 + D_B) << 8, r[D_LEAD].status[1]) TH_LOG("B's status");
	EXPECT_EQ((10 + D_G) << 8, r[D_B].status[0]) TH_LOG("G's status");
	EXPECT_EQ(-ECHILD, waitpid(-1, NULL, WNOHANG | __WALL) < 0 ? -errno : 0)
		TH_LOG("a child is left over");
}

static void login_killed(struct __test_metadata *_metadata,
			 struct _test_data_login *self)
{
	int i, st;

	ASSERT_EQ(0, wait_timed(self->pids[D_LEAD], &st)) TH_LOG("the killed D stays");
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) TH_LOG("status %#x", st);
	for (i = 0; i < D_NR; i++)
		ASSERT_EQ(0, wait_gone(self->pids[i])) TH_LOG("role %d stays", i);
	memset(self->pids, 0, sizeof(self->pids));
	close_ctl_res(&self->ctl, &self->res);
}

TEST_F_TIMEOUT(login, checkpoint_session, 120)
{
	unsigned long flags = CHECKPOINT_SCOPE_SESSION;
	long ret;
	int i;

	login_start(_metadata, self);
	if (variant->restarts)
		flags |= CHECKPOINT_KILL;
	ret = checkpoint_timed(self->pids[D_LEAD], flags, &self->img, self->log,
			       sizeof(self->log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s; log: %s", strerror(-ret), self->log);
	login_check_image(_metadata, self);
	if (!variant->restarts) {
		login_release(_metadata, self);
		return;
	}

	login_killed(_metadata, self);
	for (i = 0; i < variant->restarts; i++) {
		ret = restart_timed(&self->img, &self->ctl, &self->res, self->log,
				    sizeof(self->log));
		if (ret > 0)
			login_track(self);
		ASSERT_EQ(self->setup[D_LEAD].pid, ret)
			TH_LOG("restart %d: %s; log: %s", i + 1,
			       ret < 0 ? strerror(-ret) : "another pid", self->log);
		login_check_restored(_metadata, self);
		login_release(_metadata, self);
		close_ctl_res(&self->ctl, &self->res);
	}
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */

#define MAX_REFUSED	2

FIXTURE(refused)
{
	pid_t pids[MAX_REFUSED];	/* our children, and theirs */
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(refused)
{
	memset(&self->img, 0, sizeof(self->img));
	memset(self->pids, 0, sizeof(self->pids));
	catch_alarm();
	/* The children of our children come to us when we kill those. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

/* See FIXTURE_TEARDOWN_PARENT(job). */
FIXTURE_TEARDOWN_PARENT(refused)
{
	int i;

	for (i = 0; i < MAX_REFUSED; i++)
		if (self->pids[i] > 0)
			kill(self->pids[i], SIGKILL);
	reap_all();
}

/* Kill the processes of the test, our children first; all are gone. */
static void refused_end(struct __test_metadata *_metadata,
			struct _test_data_refused *self)
{
	int i, st;

	for (i = 0; i < MAX_REFUSED; i++)
		if (self->pids[i] > 0)
			kill(self->pids[i], SIGKILL);
	ASSERT_EQ(0, wait_timed(self->pids[0], &st));
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) TH_LOG("status %#x", st);
	self->pids[0] = 0;
	for (i = 1; i < MAX_REFUSED; i++) {
		if (self->pids[i] > 0)
			ASSERT_EQ(0, wait_gone(self->pids[i]));
		self->pids[i] = 0;
	}
}

/* A child waiting in pause(), in a group of its own if @leader. */
static pid_t sleeper(bool leader)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (leader && setpgid(0, 0))
			_exit(1);
		for (;;)
			pause();
	}
	if (pid > 0 && leader && setpgid(pid, pid))
		return -1;
	return pid;
}

/* A refused checkpoint(2) of @pid; the log names @pid and @what. */
static void refused_checkpoint(struct __test_metadata *_metadata,
			       struct _test_data_refused *self, pid_t pid,
			       unsigned long scope, long want, const char *what)
{
	long ret = checkpoint_timed(pid, scope, NULL, self->log, sizeof(self->log));

	EXPECT_EQ(want, ret) TH_LOG("pid %d, scope %lu: %s; log: %s", pid, scope,
				    ret < 0 ? strerror(-ret) : "saved", self->log);
	EXPECT_TRUE(log_has_number(self->log, pid)) TH_LOG("log: %s", self->log);
	EXPECT_NE(NULL, strstr(self->log, what)) TH_LOG("log: %s", self->log);
}

TEST_F_TIMEOUT(refused, pid_not_leading_its_group_or_session, 60)
{
	pid_t member, leader;
	struct ckpt_hdr_tree *tree;
	long ret;

	member = sleeper(false);
	ASSERT_LT(0, member);
	self->pids[0] = member;
	leader = sleeper(true);
	ASSERT_LT(0, leader);
	self->pids[1] = leader;
	ASSERT_NE(member, getpgid(member));
	ASSERT_EQ(leader, getpgid(leader));
	ASSERT_NE(leader, getsid(leader));

	refused_checkpoint(_metadata, self, member, CHECKPOINT_SCOPE_PGRP, -EINVAL,
			   "process group");
	refused_checkpoint(_metadata, self, member, CHECKPOINT_SCOPE_SESSION, -EINVAL,
			   "session");
	refused_checkpoint(_metadata, self, leader, CHECKPOINT_SCOPE_SESSION, -EINVAL,
			   "session");
	/* The leader of a group of one, the group is saved. */
	ret = checkpoint_timed(leader, CHECKPOINT_SCOPE_PGRP, &self->img, self->log,
			       sizeof(self->log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s; log: %s", strerror(-ret), self->log);
	tree = image_tree(&self->img);
	ASSERT_NE(NULL, tree);
	ASSERT_EQ(1, tree->nr_tasks);
	EXPECT_EQ(leader, image_pids(&self->img)[0].pid);
	EXPECT_EQ(0, image_pids(&self->img)[0].ppid);

	/* Nothing was disturbed. */
	EXPECT_EQ(0, waitpid(member, NULL, WNOHANG)) TH_LOG("pid %d ended", member);
	EXPECT_EQ(0, waitpid(leader, NULL, WNOHANG)) TH_LOG("pid %d ended", leader);
	refused_end(_metadata, self);
}

/*
 * P makes its own group and forks C, which makes group C; then P joins
 * C's group.  C leads it, P is in it and is C's parent.  other[0] = C.
 */
static void parent_in_group(int rep)
{
	struct report r = { 0 };
	pid_t c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setpgid(0, 0))
		r.err = STEP_PGRP;
	c = fork();
	if (!c) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(rep);
		setpgid(0, 0);
		for (;;)
			pause();
	}
	if (c < 0)
		r.err = STEP_SETUP;
	else if ((setpgid(c, c) || setpgid(0, c)) && !r.err)
		r.err = STEP_PGRP;
	fill_ids(&r);
	r.other[0] = c;
	if (write(rep, &r, sizeof(r)) != sizeof(r))
		_exit(90);
	close(rep);
	for (;;)
		pause();
}

TEST_F_TIMEOUT(refused, leader_whose_parent_is_in_its_group, 60)
{
	struct report r;
	pid_t p, c, ppid = 0;
	int rep[2], err;

	ASSERT_EQ(0, pipe2(rep, O_CLOEXEC));
	fflush(stdout);
	fflush(stderr);
	p = fork();
	ASSERT_LE(0, p);
	if (!p) {
		close(rep[0]);
		parent_in_group(rep[1]);
	}
	self->pids[0] = p;
	close(rep[1]);
	err = read_timed(rep[0], &r, sizeof(r));
	close(rep[0]);
	ASSERT_EQ(0, err) TH_LOG("P did not report: %s", strerror(-err));
	c = r.other[0];
	self->pids[1] = c;
	ASSERT_EQ(0, r.err) TH_LOG("set-up failed: %s", step_name(r.err));
	ASSERT_LT(0, c);
	ASSERT_EQ(c, getpgid(c));
	ASSERT_EQ(c, getpgid(p)) TH_LOG("P did not join group %d", c);
	ASSERT_EQ(0, proc_ppid(c, &ppid));
	ASSERT_EQ(p, ppid);

	refused_checkpoint(_metadata, self, c, CHECKPOINT_SCOPE_PGRP, -EOPNOTSUPP,
			   "process group");
	/* P is in the group but does not lead it. */
	refused_checkpoint(_metadata, self, p, CHECKPOINT_SCOPE_PGRP, -EINVAL,
			   "process group");
	EXPECT_EQ(0, waitpid(p, NULL, WNOHANG)) TH_LOG("P ended");
	EXPECT_EQ(0, kill(c, 0) ? -errno : 0) TH_LOG("C ended");
	refused_end(_metadata, self);
}

/*
 * L calls setsid() and forks X, which forks M and exits: M, left in
 * group and session L, is reparented to the test, @test, the subreaper.
 * other[0] = M.
 */
static void leader_of_orphan(int rep, pid_t test)
{
	struct report r = { 0 };
	pid_t x, m = -1;
	int p[2], st = -1, i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setsid() < 0 || pipe(p))
		_exit(91);
	x = fork();
	if (!x) {
		close(p[0]);
		m = fork();
		if (!m) {
			close(p[1]);
			close(rep);
			for (i = 0; getppid() != test && i < WAIT_SECS * 1000; i++)
				usleep(1000);
			/* Our parent now, and it stays so while we live. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != test)
				_exit(1);
			for (;;)
				pause();
		}
		_exit(write(p[1], &m, sizeof(m)) == sizeof(m) && m > 0 ? 0 : 1);
	}
	close(p[1]);
	if (x < 0 || read(p[0], &m, sizeof(m)) != sizeof(m) ||
	    waitpid(x, &st, 0) != x || st)
		r.err = STEP_SETUP;
	close(p[0]);
	fill_ids(&r);
	r.other[0] = m;
	if (write(rep, &r, sizeof(r)) != sizeof(r))
		_exit(90);
	close(rep);
	for (;;)
		pause();
}

/* restart(2) of self->img, which is to fail. */
static long restart_refused(struct _test_data_refused *self)
{
	int fd = image_memfd(&self->img), lp[2];
	long ret;

	if (fd < 0)
		return fd;
	if (log_pipe(lp)) {
		close(fd);
		return -errno;
	}
	arm();
	ret = disarm(ckpt_ret(sys_restart(0, fd, 0, lp[1])));
	log_drain(lp[0], self->log, sizeof(self->log));
	close(lp[0]);
	close(lp[1]);
	close(fd);
	return ret;
}

TEST_F_TIMEOUT(refused, orphan_in_the_leaders_own_session_at_restart, 60)
{
	static const unsigned long scopes[] = {
		CHECKPOINT_SCOPE_PGRP, CHECKPOINT_SCOPE_SESSION,
	};
	struct ckpt_pids *p;
	struct report r;
	pid_t l, m, ppid = 0;
	int rep[2], err, i, k;
	long ret;

	ASSERT_EQ(0, pipe2(rep, O_CLOEXEC));
	fflush(stdout);
	fflush(stderr);
	l = fork();
	ASSERT_LE(0, l);
	if (!l) {
		close(rep[0]);
		leader_of_orphan(rep[1], getppid());
	}
	self->pids[0] = l;
	close(rep[1]);
	err = read_timed(rep[0], &r, sizeof(r));
	close(rep[0]);
	ASSERT_EQ(0, err) TH_LOG("L did not report: %s", strerror(-err));
	m = r.other[0];
	self->pids[1] = m;
	ASSERT_EQ(0, r.err) TH_LOG("set-up failed: %s", step_name(r.err));
	ASSERT_LT(0, m);
	for (i = 0; i < WAIT_SECS * 1000; i++) {
		if (proc_ppid(m, &ppid) || ppid == getpid())
			break;
		usleep(1000);
	}
	ASSERT_EQ(getpid(), ppid) TH_LOG("M was not reparented to us");
	ASSERT_EQ(l, getsid(l));
	ASSERT_EQ(l, getpgid(m));
	ASSERT_EQ(l, getsid(m));

	for (k = 0; k < 2; k++) {
		image_free(&self->img);
		ret = checkpoint_timed(l, scopes[k], &self->img, self->log,
				       sizeof(self->log));
		ASSERT_LT(0, ret)
			TH_LOG("scope %lu: %s; log: %s", scopes[k], strerror(-ret), self->log);
		ASSERT_NE(NULL, image_tree(&self->img));
		ASSERT_EQ(2, image_tree(&self->img)->nr_tasks) TH_LOG("scope %lu", scopes[k]);
		p = image_pids(&self->img);
		EXPECT_EQ(l, p[0].pid);
		EXPECT_EQ(m, p[1].pid);
		for (i = 0; i < 2; i++) {
			EXPECT_EQ(0, p[i].ppid) TH_LOG("pid %d", p[i].pid);
			EXPECT_EQ(l, p[i].pgid) TH_LOG("pid %d", p[i].pid);
			EXPECT_EQ(l, p[i].sid) TH_LOG("pid %d", p[i].pid);
		}

		/* Refused before any task is made: the pids are in use. */
		ret = restart_refused(self);
		EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("scope %lu: %s; log: %s", scopes[k],
						   ret < 0 ? strerror(-ret) : "restarted",
						   self->log);
		EXPECT_TRUE(log_has_number(self->log, m)) TH_LOG("log: %s", self->log);
		EXPECT_NE(NULL, strstr(self->log, "session")) TH_LOG("log: %s", self->log);
		EXPECT_EQ(0, waitpid(-1, NULL, WNOHANG | __WALL)) TH_LOG("a child ended");
	}
	refused_end(_metadata, self);
}

TEST_HARNESS_MAIN
