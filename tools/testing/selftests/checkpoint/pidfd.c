// SPDX-License-Identifier: GPL-2.0
/*
 * Pidfds of the tasks of a checkpointed tree.  The root P holds:
 *
 *  - a pidfd of its child A, from clone3(CLONE_PIDFD), watched by an
 *    epoll; A holds a pidfd of P and one of its younger brother D
 *    (pidfd_open);
 *  - a PIDFD_NONBLOCK pidfd of its child B, a zombie that exited with
 *    7, watched by the same epoll;
 *  - a pidfd of itself, and a PIDFD_THREAD pidfd of its thread T;
 *  - a pidfd of its child C, which it reaped.
 *
 * A comes after P in the image, so restart makes P's pidfd of A before
 * A exists; D comes right after A, so restart may be creating D as A's
 * pidfd of it is made.  After the checkpoint (or the restart) P checks each pidfd
 * names the same pid, with its flags; that the epoll reports B and not
 * A; collects B's status through its pidfd; signals A through its pidfd
 * (A checks its pidfd of P names its parent and that of D names D, kills
 * D through it, and exits 42 if all went well) and sees the epoll
 * report it, and D killed; signals T through its pidfd and sees the
 * signal reach T; finds C's pidfd readable and hung up, with no pid, no
 * status to collect and no process to signal.
 *
 * P also reads a file at FILE_FD: changed, it makes a restart fail
 * after P's pidfds gave out the pids of A and B, which must be free
 * again.
 */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK	O_NONBLOCK
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL
#endif
#ifndef P_PIDFD
#define P_PIDFD		3
#endif
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424
#endif

#define CTL_FD		100
#define RES_FD		101
#define FILE_FD		70
#define FILE_PATH	"/tmp/ckpt_pidfd.file"
#define WAIT_MS		30000

struct pidfd_report {
	int ready;
	pid_t a, b, self, thr;		/* the pids, seen by P */
	/* after */
	pid_t pid_a, pid_b, pid_self, pid_thr;	/* as the pidfds' fdinfo shows */
	int b_nonblock, thr_flag, a_flags;
	int ready_events, ready_data;	/* the epoll before A exits */
	int a_polled;			/* poll() of A's pidfd: 0 */
	int b_code, b_status, b_pid;	/* waitid(P_PIDFD) of B */
	int a_signalled;		/* pidfd_send_signal(A) */
	int a_data;			/* the epoll once A exits */
	int a_status;			/* A's, through its pidfd */
	pid_t d;
	int d_code, d_status;		/* D, killed by A */
	int thr_signalled;
	pid_t thr_got;			/* the thread that took the signal */
	pid_t pid_c;			/* C's pidfd: -1, as for a reaped task */
	int c_revents, c_waited, c_signalled;
};

static int fd_a, fd_b, fd_c, fd_self, fd_thr, fd_parent, fd_d, epfd;
static pid_t d_pid;
static pid_t thr_tid;
static pid_t thr_got;

/* A: told by P, through its pidfd, to check its own pidfd of P. */
static void a_handler(int sig)
{
	if (pidfd_fdinfo_pid(fd_parent) != getppid())
		_exit(43);
	if (pidfd_fdinfo_pid(fd_d) != d_pid)
		_exit(46);
	_exit(syscall(__NR_pidfd_send_signal, fd_d, SIGKILL, NULL, 0) ? 47 : 42);
}

static void thr_handler(int sig)
{
	__atomic_store_n(&thr_got, syscall(SYS_gettid), __ATOMIC_SEQ_CST);
}

static void *thread_fn(void *arg)
{
	thr_tid = syscall(SYS_gettid);
	while (!__atomic_load_n(&thr_got, __ATOMIC_SEQ_CST))
		pause();
	return NULL;
}

static pid_t clone_pidfd(int *pidfd)
{
	struct clone_args args = {
		.flags = CLONE_PIDFD,
		.pidfd = (unsigned long)pidfd,
		.exit_signal = SIGCHLD,
	};

	return syscall(SYS_clone3, &args, sizeof(args));
}

static int set_up(struct pidfd_report *r)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int sync[2], dpipe[2];
	pthread_t t;
	siginfo_t si;
	pid_t c;

	signal(SIGUSR2, thr_handler);
	if (dup2(open(FILE_PATH, O_RDONLY), FILE_FD) != FILE_FD)
		return -1;
	r->b = fork();
	if (r->b < 0)
		return -1;
	if (!r->b)
		_exit(7);
	if (waitid(P_PID, r->b, &si, WEXITED | WNOWAIT))
		return -2;
	c = fork();
	if (!c)
		_exit(9);
	if (c < 0 || waitid(P_PID, c, &si, WEXITED | WNOWAIT))
		return -2;
	fd_c = sys_pidfd_open(c, 0);
	if (fd_c < 0 || waitpid(c, NULL, 0) != c)
		return -2;
	fd_b = sys_pidfd_open(r->b, PIDFD_NONBLOCK);
	fd_self = sys_pidfd_open(getpid(), 0);
	if (fd_b < 0 || fd_self < 0)
		return -3;
	if (pthread_create(&t, NULL, thread_fn, NULL))
		return -4;
	while (!__atomic_load_n(&thr_tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	r->thr = thr_tid;
	fd_thr = sys_pidfd_open(r->thr, PIDFD_THREAD);
	if (fd_thr < 0)
		return -5;

	if (pipe(sync) || pipe(dpipe))
		return -6;
	r->a = clone_pidfd(&fd_a);
	if (r->a < 0)
		return -6;
	if (!r->a) {
		fd_parent = sys_pidfd_open(getppid(), 0);
		if (fd_parent < 0)
			_exit(44);
		if (read(dpipe[0], &d_pid, sizeof(d_pid)) != sizeof(d_pid))
			_exit(45);
		fd_d = sys_pidfd_open(d_pid, 0);
		if (fd_d < 0)
			_exit(45);
		signal(SIGUSR1, a_handler);
		if (write(sync[1], "", 1) != 1)
			_exit(45);
		close(sync[0]);
		close(sync[1]);
		close(dpipe[0]);
		close(dpipe[1]);
		for (;;)
			pause();
	}
	r->d = fork();
	if (r->d < 0)
		return -6;
	if (!r->d) {
		syscall(SYS_close_range, 3, ~0U, 0);
		for (;;)
			pause();
	}
	/* A has its pidfds of P and D, and its handler. */
	if (write(dpipe[1], &r->d, sizeof(r->d)) != sizeof(r->d) ||
	    read(sync[0], &si, 1) != 1)
		return -6;
	close(sync[0]);
	close(sync[1]);
	close(dpipe[0]);
	close(dpipe[1]);
	epfd = epoll_create1(0);
	if (epfd < 0)
		return -7;
	ev.data.u32 = 0xa;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd_a, &ev))
		return -8;
	ev.data.u32 = 0xb;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd_b, &ev))
		return -9;
	r->self = getpid();
	return 0;
}

static void check_pidfds(void *report)
{
	struct pidfd_report *r = report;
	struct epoll_event ev[2];
	struct pollfd pfd = { .fd = fd_a, .events = POLLIN };
	siginfo_t si = { 0 };
	int n;

	r->pid_a = pidfd_fdinfo_pid(fd_a);
	r->pid_b = pidfd_fdinfo_pid(fd_b);
	r->pid_self = pidfd_fdinfo_pid(fd_self);
	r->pid_thr = pidfd_fdinfo_pid(fd_thr);
	r->b_nonblock = !!(fcntl(fd_b, F_GETFL) & O_NONBLOCK);
	r->thr_flag = !!(fcntl(fd_thr, F_GETFL) & PIDFD_THREAD);
	r->a_flags = fcntl(fd_a, F_GETFL) & (O_NONBLOCK | PIDFD_THREAD);

	r->pid_c = pidfd_fdinfo_pid(fd_c);
	pfd.fd = fd_c;
	r->c_revents = poll(&pfd, 1, 0) == 1 ? pfd.revents : -1;
	pfd.fd = fd_a;
	r->c_waited = waitid(P_PIDFD, fd_c, &si, WEXITED | WNOHANG) ? -errno : 0;
	r->c_signalled = syscall(__NR_pidfd_send_signal, fd_c, SIGUSR1,
				 NULL, 0) ? -errno : 0;

	n = epoll_wait(epfd, ev, 2, 0);
	r->ready_events = n;
	r->ready_data = n == 1 ? (int)ev[0].data.u32 : -1;
	r->a_polled = poll(&pfd, 1, 0);

	if (!waitid(P_PIDFD, fd_b, &si, WEXITED)) {
		r->b_code = si.si_code;
		r->b_status = si.si_status;
		r->b_pid = si.si_pid;
	}
	/* B, reaped, stays readable: only A is waited for now. */
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd_b, NULL);
	r->a_signalled = syscall(__NR_pidfd_send_signal, fd_a, SIGUSR1,
				 NULL, 0) ? -errno : 1;
	n = epoll_wait(epfd, ev, 2, WAIT_MS);
	r->a_data = n == 1 ? (int)ev[0].data.u32 : -n;
	memset(&si, 0, sizeof(si));
	if (!waitid(P_PIDFD, fd_a, &si, WEXITED))
		r->a_status = si.si_status;
	memset(&si, 0, sizeof(si));
	if (!waitid(P_PID, r->d, &si, WEXITED)) {
		r->d_code = si.si_code;
		r->d_status = si.si_status;
	}

	r->thr_signalled = syscall(__NR_pidfd_send_signal, fd_thr, SIGUSR2,
				   NULL, 0) ? -errno : 1;
	for (n = 0; n < WAIT_MS; n++) {
		if (__atomic_load_n(&thr_got, __ATOMIC_SEQ_CST))
			break;
		usleep(1000);
	}
	r->thr_got = __atomic_load_n(&thr_got, __ATOMIC_SEQ_CST);
}

static void __noreturn child(void)
{
	struct pidfd_report r = { 0 };

	r.ready = set_up(&r);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), check_pidfds);
}

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct pidfd_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(r.a, r.pid_a);
	EXPECT_EQ(r.b, r.pid_b);
	EXPECT_EQ(r.self, r.pid_self);
	EXPECT_EQ(r.thr, r.pid_thr);
	EXPECT_EQ(1, r.b_nonblock);
	EXPECT_EQ(1, r.thr_flag);
	EXPECT_EQ(0, r.a_flags);
	/* B exited, A did not. */
	EXPECT_EQ(1, r.ready_events);
	EXPECT_EQ(0xb, r.ready_data);
	EXPECT_EQ(0, r.a_polled);
	EXPECT_EQ(CLD_EXITED, r.b_code);
	EXPECT_EQ(7, r.b_status);
	EXPECT_EQ(r.b, r.b_pid);
	EXPECT_EQ(1, r.a_signalled);
	EXPECT_EQ(0xa, r.a_data);
	EXPECT_EQ(42, r.a_status);	/* A's pidfds name P and D */
	EXPECT_EQ(CLD_KILLED, r.d_code);
	EXPECT_EQ(SIGKILL, r.d_status);
	EXPECT_EQ(1, r.thr_signalled);
	EXPECT_EQ(r.thr, r.thr_got);
	EXPECT_EQ(-1, r.pid_c);
	EXPECT_EQ(POLLIN | POLLHUP, r.c_revents);
	EXPECT_EQ(-ECHILD, r.c_waited);
	EXPECT_EQ(-ESRCH, r.c_signalled);
}

/* The number of pidfd file records of an image, of threads, of reaped tasks. */
static int count_pidfds(const struct ckpt_image *img, int *thread,
			int *reaped)
{
	int i, n = 0;

	*thread = 0;
	*reaped = 0;
	for (i = 0; i < image_count(img, CKPT_HDR_FILE); i++) {
		const struct ckpt_hdr_file *h = image_rec(img, CKPT_HDR_FILE, i);
		const struct ckpt_pidfd *p = (const void *)(h + 1);

		if (h->kind != CKPT_FILE_PIDFD)
			continue;
		n++;
		if (p->flags & CKPT_PIDFD_THREAD)
			(*thread)++;
		if (!p->pid)
			(*reaped)++;
	}
	return n;
}

FIXTURE(pidfd) {
	struct piped_child pc;
	struct pidfd_report r;
};

FIXTURE_SETUP(pidfd)
{
	int f = open(FILE_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ASSERT_LE(0, f);
	ASSERT_EQ(4, write(f, "read", 4));
	close(f);
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, child));
	ASSERT_EQ(0, read_within(self->pc.res, &self->r, sizeof(self->r),
				 WAIT_MS));
	ASSERT_EQ(0, self->r.ready);
}

FIXTURE_TEARDOWN(pidfd)
{
	piped_child_end(&self->pc);
	unlink(FILE_PATH);
}

/* The tree goes on, its pidfds as they were. */
TEST_F(pidfd, continues)
{
	int thread, reaped;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	/* P's five, A's of P and D. */
	EXPECT_EQ(7, count_pidfds(&self->pc.img, &thread, &reaped));
	EXPECT_EQ(1, thread);
	EXPECT_EQ(1, reaped);
	piped_child_finish(_metadata, &self->pc, check);
}

/* Killed and restarted twice from one image. */
TEST_F(pidfd, restarts_twice)
{
	struct piped_check c = { _metadata, check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

/*
 * A restart that fails once P's pidfds gave out the pids of A and B
 * leaves no task and frees those pids: the next restart takes them.
 */
TEST_F(pidfd, failed_restart_frees_pids)
{
	struct piped_check c = { _metadata, check };
	struct timespec times[2];
	struct stat st;
	int ctl, res, f;
	long ret;

	ASSERT_EQ(0, stat(FILE_PATH, &st));
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE |
				      CHECKPOINT_KILL, &self->pc.img,
				      self->pc.log, sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, NULL, 0));
	self->pc.pid = -1;

	f = open(FILE_PATH, O_WRONLY | O_APPEND);
	ASSERT_LE(0, f);
	ASSERT_EQ(4, write(f, "more", 4));
	ret = restart_with_pipes(&self->pc.img, CTL_FD, &ctl, RES_FD, &res,
				 self->pc.log, sizeof(self->pc.log), NULL);
	EXPECT_EQ(-ESTALE, ret);
	EXPECT_NE(NULL, strstr(self->pc.log, FILE_PATH))
		TH_LOG("%s", self->pc.log);
	close(ctl);
	close(res);
	EXPECT_EQ(-1, kill(self->r.self, 0));
	EXPECT_EQ(-1, kill(self->r.a, 0));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(-1, kill(self->r.b, 0));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(-1, kill(self->r.d, 0));
	EXPECT_EQ(ESRCH, errno);

	/* The file as it was: the same restart goes through. */
	ASSERT_EQ(0, ftruncate(f, 4));
	close(f);
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	ASSERT_EQ(0, utimensat(AT_FDCWD, FILE_PATH, times, 0));
	ASSERT_LT(0, restart_rounds(&self->pc.img, 1, CTL_FD, RES_FD,
				    self->pc.log, sizeof(self->pc.log),
				    &self->pc.pid, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

/* A process holding a pidfd of its parent, which is not saved. */
static void __noreturn outside_child(void)
{
	int fd = sys_pidfd_open(getppid(), 0);

	piped_child_idle(CTL_FD, RES_FD,
			 fd < 0 || dup2(fd, 60) != 60 || close(fd));
}

/* A pidfd of a process outside the tree is refused, naming it. */
TEST(pidfd_outside_refused)
{
	struct piped_child pc;
	int ready;

	ASSERT_LE(0, piped_child_fork(&pc, CTL_FD, RES_FD, outside_child));
	ASSERT_EQ(0, read_within(pc.res, &ready, sizeof(ready), WAIT_MS));
	ASSERT_EQ(0, ready);
	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TREE,
						&pc.img, pc.log,
						sizeof(pc.log)));
	EXPECT_NE(NULL, strstr(pc.log, "a pidfd of pid"))
		TH_LOG("%s", pc.log);
	EXPECT_NE(NULL, strstr(pc.log, "fd 60"))
		TH_LOG("%s", pc.log);
	/* It goes on. */
	piped_child_release(_metadata, &pc);
}

TEST_HARNESS_MAIN
