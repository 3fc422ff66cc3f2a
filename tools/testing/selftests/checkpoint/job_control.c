// SPDX-License-Identifier: GPL-2.0
/*
 * Job control: a process stopped by a stop signal is saved stopped and
 * comes back stopped.
 *
 * The child has one or three threads (a variant).  Each counts, once a
 * millisecond, in a shared mapping of a file that the test maps too;
 * the main thread polls CTL_FD as it counts, and exits 0 when a byte
 * comes.  The test stops the child with a stop signal (a variant),
 * waits until every thread is stopped ('T' in /proc), and takes the
 * report of the stop with waitpid(WUNTRACED), or leaves it (a variant).
 *
 * - Checkpointed and left alone, the child stays stopped: its counters
 *   do not move, and the report is there, or not, as before.
 * - Checkpointed and killed, then restarted twice from the image: the
 *   restored child has its pid, and every thread is stopped before any
 *   of them counts; the report of the stop is there with its signal if
 *   it was not taken, and there is no new one if it was.
 *
 * Either way, SIGCONT sets it going again: its parent sees it
 * continued, every counter moves, and the byte ends it.
 *
 * A SIGSTOP still pending: sent while the child is frozen in a cgroup,
 * it stays queued.  Saved with it and killed, the child is restarted
 * from a pipe, which a signal pending while restart(2) reads would cut
 * short, and stops once restarted, its parent told of a SIGSTOP.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define COUNT_PATH	"/tmp/ckpt_job_control.counts"
#define CGROUP_PATH	"/sys/fs/cgroup/ckpt-job-control"
#define MAX_THREADS	3
#define WAIT_MS		10000	/* for what takes no time, but in a slow VM */
#define STILL_MS	200	/* how long a stopped counter must not move */

static unsigned long *counts;	/* [i]: thread i, 0 the main one */
static int nr_threads;

/* The counters are shared with another process: no compiler caching. */
static void count(int i)
{
	__atomic_fetch_add(&counts[i], 1, __ATOMIC_RELAXED);
}

static unsigned long count_of(int i)
{
	return __atomic_load_n(&counts[i], __ATOMIC_RELAXED);
}

static void *count_fn(void *arg)
{
	const struct timespec ms = { 0, 1000000 };
	long i = (long)arg;

	for (;;) {
		count(i);
		nanosleep(&ms, NULL);
	}
	return NULL;
}

static void child(void)
{
	struct pollfd p = { .fd = CTL_FD, .events = POLLIN };
	int ready = 0;
	pthread_t t;
	long i;
	char c;

	/*
	 * A group of its own, in our session: not orphaned, as a group
	 * whose stop signals other than SIGSTOP would be dropped is.
	 */
	if (setpgid(0, 0))
		_exit(89);
	for (i = 1; i < nr_threads; i++)
		if (pthread_create(&t, NULL, count_fn, (void *)i))
			_exit(90);
	if (write(RES_FD, &ready, sizeof(ready)) != sizeof(ready))
		_exit(91);
	do
		count(0);
	while (poll(&p, 1, 1) == 0);
	_exit(read(CTL_FD, &c, 1) == 1 && c == 'x' ? 0 : 92);
}

/* The number of threads of @pid, and in *@stopped those in state 'T'. */
static int thread_states(pid_t pid, int *stopped)
{
	char path[300], buf[512], *p;
	struct dirent *d;
	int nr = 0;
	DIR *dir;

	*stopped = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid,
			 d->d_name);
		if (read_small_file(path, buf, sizeof(buf)) < 0)
			continue;
		p = strrchr(buf, ')');
		nr++;
		if (p && p[1] == ' ' && p[2] == 'T')
			(*stopped)++;
	}
	closedir(dir);
	return nr;
}

/* Wait until the @nr threads of @pid are all stopped: 0, or -ETIMEDOUT. */
static int wait_all_stopped(pid_t pid, int nr)
{
	int i, stopped;

	for (i = 0; i < WAIT_MS / 10; i++) {
		if (thread_states(pid, &stopped) == nr && stopped == nr)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* Whether the counters stay still for a while. */
static bool counts_still(int nr)
{
	unsigned long before[MAX_THREADS];
	int i;

	for (i = 0; i < nr; i++)
		before[i] = count_of(i);
	usleep(STILL_MS * 1000);
	for (i = 0; i < nr; i++)
		if (count_of(i) != before[i])
			return false;
	return true;
}

/* Whether every counter moves, within WAIT_MS. */
static bool counts_move(int nr)
{
	unsigned long before[MAX_THREADS];
	int i, left, tries;

	for (i = 0; i < nr; i++)
		before[i] = count_of(i);
	for (tries = 0; tries < WAIT_MS / 10; tries++) {
		for (i = 0, left = 0; i < nr; i++)
			left += count_of(i) == before[i];
		if (!left)
			return true;
		usleep(10000);
	}
	return false;
}

/* The signal of the stop report of our child @pid, 0 if none, or -1. */
static int stop_report(pid_t pid)
{
	pid_t got;
	int st;

	got = waitpid(pid, &st, WUNTRACED | WNOHANG);
	if (!got)
		return 0;
	return got == pid && WIFSTOPPED(st) ? WSTOPSIG(st) : -1;
}

/*
 * The stopped child @pid, our child: its @nr threads are stopped and do
 * not count, and the report of the stop is @report (0: none).  Take it,
 * continue the child, see its counters move and end it.
 */
static void check_stopped(struct __test_metadata *_metadata, pid_t pid,
			  int ctl, int nr, int report)
{
	int stopped, st, n;

	if (wait_all_stopped(pid, nr)) {
		n = thread_states(pid, &stopped);
		ASSERT_EQ(nr, stopped)
			TH_LOG("%d threads, %d stopped", n, stopped);
	}
	EXPECT_TRUE(counts_still(nr));
	EXPECT_EQ(report, stop_report(pid));
	EXPECT_EQ(0, stop_report(pid));

	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_EQ(pid, waitpid(pid, &st, WCONTINUED));
	EXPECT_TRUE(WIFCONTINUED(st));
	EXPECT_TRUE(counts_move(nr));
	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
}

/*
 * Map the counters in a new file at *@fd, fork the child with @nr
 * threads, and wait until it is ready and every thread counts.
 * Returns 0, or which step failed.
 */
static int start_counting(struct piped_child *pc, int *fd, int nr)
{
	int ready;

	*fd = open(COUNT_PATH, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (*fd < 0 || ftruncate(*fd, getpagesize()))
		return 1;
	counts = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
		      *fd, 0);
	if (counts == MAP_FAILED) {
		counts = NULL;
		return 2;
	}
	nr_threads = nr;
	if (piped_child_fork(pc, CTL_FD, RES_FD, child) <= 0)
		return 3;
	if (read_within(pc->res, &ready, sizeof(ready), WAIT_MS))
		return 4;
	return counts_move(nr) ? 0 : 5;
}

/* Kill and reap the child if it is still there, drop the counters. */
static void end_counting(struct piped_child *pc, int fd)
{
	piped_child_end(pc);
	if (counts)
		munmap(counts, getpagesize());
	counts = NULL;
	if (fd >= 0) {
		close(fd);
		unlink(COUNT_PATH);
	}
}

FIXTURE(job_control) {
	struct piped_child pc;
	int fd;
};

FIXTURE_VARIANT(job_control) {
	int threads;
	int sig;
	bool reported;		/* the test took the report of the stop */
};

FIXTURE_VARIANT_ADD(job_control, sigstop_reported) {
	.threads = 1, .sig = SIGSTOP, .reported = true,
};

FIXTURE_VARIANT_ADD(job_control, threads_sigtstp_unreported) {
	.threads = 3, .sig = SIGTSTP, .reported = false,
};

FIXTURE_VARIANT_ADD(job_control, threads_sigttin_reported) {
	.threads = 3, .sig = SIGTTIN, .reported = true,
};

FIXTURE_SETUP(job_control)
{
	self->pc.pid = -1;
	memset(&self->pc.img, 0, sizeof(self->pc.img));
	ASSERT_EQ(0, start_counting(&self->pc, &self->fd, variant->threads));
	ASSERT_EQ(0, kill(self->pc.pid, variant->sig));
	ASSERT_EQ(0, wait_all_stopped(self->pc.pid, variant->threads));
	if (variant->reported)
		ASSERT_EQ(variant->sig, stop_report(self->pc.pid));
}

FIXTURE_TEARDOWN(job_control)
{
	end_counting(&self->pc, self->fd);
}

static const struct ckpt_hdr_task_signals *
leader_signals(const struct ckpt_image *img)
{
	return image_rec(img, CKPT_HDR_TASK_SIGNALS, 0);
}

/* Saved stopped, with the code of the report, and left stopped. */
TEST_F_TIMEOUT(job_control, stays_stopped_after_checkpoint, 120)
{
	const struct ckpt_hdr_task_signals *ts;
	int i;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("log: %s", self->pc.log);
	ts = leader_signals(&self->pc.img);
	ASSERT_NE(NULL, ts);
	EXPECT_EQ(CKPT_SIGNALS_STOPPED |
		  (variant->reported ? CKPT_SIGNALS_STOP_REPORTED : 0),
		  ts->flags & CKPT_SIGNALS_STOP_MASK);
	EXPECT_EQ(variant->sig, ts->stop_code);
	/* Only the leader's record has the stop of the process. */
	for (i = 1; i < variant->threads; i++) {
		ts = image_rec(&self->pc.img, CKPT_HDR_TASK_SIGNALS, i);
		ASSERT_NE(NULL, ts);
		EXPECT_EQ(0, ts->flags & CKPT_SIGNALS_STOP_MASK);
		EXPECT_EQ(0, ts->stop_code);
	}
	EXPECT_EQ(0, validate_image(&self->pc.img, self->pc.log,
				    sizeof(self->pc.log)))
		TH_LOG("log: %s", self->pc.log);

	check_stopped(_metadata, self->pc.pid, self->pc.ctl, variant->threads,
		      variant->reported ? 0 : variant->sig);
	self->pc.pid = -1;
}

struct restored_check {
	struct __test_metadata *_metadata;
	pid_t pid;
	int nr, report;
	unsigned long saved[MAX_THREADS];	/* the counts it was saved with */
};

static void restored_stopped(struct restart_round *r, void *arg)
{
	struct restored_check *c = arg;
	struct __test_metadata *_metadata = c->_metadata;
	int i, stopped;

	EXPECT_EQ(c->pid, r->root);
	ASSERT_EQ(0, wait_all_stopped(r->root, c->nr))
		TH_LOG("round %d: %d stopped", r->round,
		       thread_states(r->root, &stopped) < 0 ? -1 : stopped);
	/* Stopped before any thread ran: the counts are as they were. */
	for (i = 0; i < c->nr; i++)
		EXPECT_EQ(c->saved[i], count_of(i))
			TH_LOG("round %d: thread %d counted", r->round, i);
	check_stopped(_metadata, r->root, r->ctl, c->nr, c->report);
	/* Ended: the next round finds the counts it ended with. */
	for (i = 0; i < c->nr; i++)
		c->saved[i] = count_of(i);
}

/* Killed, then restarted twice from one image: stopped each time. */
TEST_F_TIMEOUT(job_control, restarts_stopped_twice, 180)
{
	struct restored_check c = {
		.pid = self->pc.pid,
		.nr = variant->threads,
		.report = variant->reported ? 0 : variant->sig,
	};
	int i;

	c._metadata = _metadata;
	for (i = 0; i < variant->threads; i++)
		c.saved[i] = count_of(i);
	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, restored_stopped, &c))
		TH_LOG("log: %s", self->pc.log);
}

/* ---------------------------------------------------------------- */
/* A SIGSTOP pending, restarted from a pipe                           */

static int wait_frozen(const char *want)
{
	char buf[512];
	int i;

	for (i = 0; i < WAIT_MS / 10; i++) {
		if (read_small_file(CGROUP_PATH "/cgroup.events", buf,
				    sizeof(buf)) > 0 && strstr(buf, want))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* Whether @sig is in the mask of /proc/PID/status line @name. */
static bool proc_mask_has(pid_t pid, const char *name, int sig)
{
	char buf[4096], *p;
	unsigned long long mask;

	if (proc_read(pid, "status", buf, sizeof(buf)) < 0)
		return false;
	p = strstr(buf, name);
	if (!p || sscanf(p + strlen(name), " %llx", &mask) != 1)
		return false;
	return mask & (1ULL << (sig - 1));
}

/*
 * restart(2) of @img read from a pipe that a child of ours fills; the
 * restored tasks find CTL_FD as restart_with_pipes() gives it.
 */
static long restart_from_pipe(const struct ckpt_image *img, int *ctl,
			      char *log, size_t logsize)
{
	int fds[2], lp[2], res;
	pid_t writer;
	long ret;

	*ctl = -1;
	if (pipe(fds))
		return -errno;
	writer = fork();
	if (writer < 0)
		return -errno;
	if (!writer) {
		size_t done = 0;
		ssize_t n;

		close(fds[0]);
		while (done < img->len) {
			n = write(fds[1], img->buf + done, img->len - done);
			if (n <= 0)
				_exit(1);
			done += n;
		}
		_exit(0);
	}
	close(fds[1]);
	ret = log_pipe(lp);
	if (!ret) {
		*ctl = pipe_at(CTL_FD, true);
		res = pipe_at(RES_FD, false);
		ret = *ctl < 0 || res < 0 ? -errno :
		      ckpt_ret(sys_restart(0, fds[0], 0, lp[1]));
		log_drain(lp[0], log, logsize);
		close(CTL_FD);
		close(RES_FD);
		if (res >= 0)
			close(res);
		close(lp[0]);
		close(lp[1]);
	}
	close(fds[0]);
	waitpid(writer, NULL, 0);
	return ret;
}

FIXTURE(pending_stop) {
	struct piped_child pc;
	int fd;
	bool cgroup;
};

FIXTURE_SETUP(pending_stop)
{
	struct stat st;
	char pid[16];

	self->pc.pid = -1;
	self->cgroup = false;
	self->fd = -1;
	memset(&self->pc.img, 0, sizeof(self->pc.img));
	if (geteuid())
		SKIP(return, "needs root");
	if (stat("/sys/fs/cgroup/cgroup.controllers", &st))
		SKIP(return, "no cgroup2 at /sys/fs/cgroup");
	rmdir(CGROUP_PATH);	/* left by a run that crashed */
	ASSERT_EQ(0, mkdir(CGROUP_PATH, 0755));
	self->cgroup = true;
	ASSERT_EQ(0, start_counting(&self->pc, &self->fd, MAX_THREADS));

	snprintf(pid, sizeof(pid), "%d", self->pc.pid);
	ASSERT_EQ(0, write_string(CGROUP_PATH "/cgroup.procs", pid));
	ASSERT_EQ(0, write_string(CGROUP_PATH "/cgroup.freeze", "1"));
	ASSERT_EQ(0, wait_frozen("frozen 1"));
	/* Frozen, it does not take the signal: it stays queued. */
	ASSERT_EQ(0, kill(self->pc.pid, SIGSTOP));
	ASSERT_TRUE(proc_mask_has(self->pc.pid, "ShdPnd:", SIGSTOP));
}

FIXTURE_TEARDOWN(pending_stop)
{
	end_counting(&self->pc, self->fd);
	if (self->cgroup)
		rmdir(CGROUP_PATH);
}

TEST_F_TIMEOUT(pending_stop, taken_after_restart_from_a_pipe, 180)
{
	const struct ckpt_hdr_signal *sig;
	const siginfo_t *si;
	pid_t pid = self->pc.pid;
	int round, ctl;
	long root;

	ASSERT_LT(0, checkpoint_image(pid, CHECKPOINT_SCOPE_TASK |
				      CHECKPOINT_KILL, &self->pc.img,
				      self->pc.log, sizeof(self->pc.log)))
		TH_LOG("log: %s", self->pc.log);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	self->pc.pid = -1;
	ASSERT_EQ(0, rmdir(CGROUP_PATH));
	self->cgroup = false;
	close(self->pc.ctl);
	close(self->pc.res);

	/* Pending for the process, not a stop: it was never taken. */
	sig = image_rec(&self->pc.img, CKPT_HDR_SIGNAL, 0);
	ASSERT_NE(NULL, sig);
	ASSERT_EQ(1, sig->nr_pending);
	si = (const siginfo_t *)(sig + 1);
	EXPECT_EQ(SIGSTOP, si->si_signo);
	EXPECT_EQ(SI_USER, si->si_code);
	EXPECT_EQ(0, leader_signals(&self->pc.img)->flags &
		     CKPT_SIGNALS_STOP_MASK);

	for (round = 0; round < 2; round++) {
		root = restart_from_pipe(&self->pc.img, &ctl, self->pc.log,
					 sizeof(self->pc.log));
		ASSERT_EQ(pid, root)
			TH_LOG("round %d: %s", round, self->pc.log);
		self->pc.pid = root;
		/* It stops as it takes the signal: a new stop, reported. */
		check_stopped(_metadata, root, ctl, MAX_THREADS, SIGSTOP);
		self->pc.pid = -1;
		close(ctl);
	}
}

TEST_HARNESS_MAIN
