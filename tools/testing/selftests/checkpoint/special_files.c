// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptors that are not files on a filesystem, saved by their state:
 * eventfd, with its counter (beyond the 32 bits eventfd() takes), its
 * semaphore mode, O_NONBLOCK, O_APPEND and O_NOATIME, and descriptors
 * that share one eventfd;
 * signalfd, with its mask, reading the signals pending for the process
 * (a queued real-time signal keeps its value); timerfd, periodic with
 * its expirations not read yet, one-shot with the time left, disarmed,
 * expired and unread, and absolute on CLOCK_REALTIME; epoll, with the
 * items of a pipe, an eventfd (edge-triggered) and a socket, made before
 * the files it watches, O_APPEND, an epoll watching it, and a one-shot
 * item that fired, which stays quiet when its file hangs up; a pipe in
 * packet mode (O_DIRECT).
 */
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define SEM_FD		10	/* EFD_SEMAPHORE | EFD_NONBLOCK, count 5 */
#define SEM_DUP_FD	11	/* a dup() of it */
#define BIG_FD		12	/* blocking, count 2^32 + 7, BIG_FLAGS */
#define BIG_FLAGS	(O_APPEND | O_NOATIME)
#define BIG_COUNT	((1ULL << 32) + 7)
#define SIG_FD		13	/* SIGUSR1 and SIGRTMIN + 1, non-blocking */
#define RT_VALUE	4242
#define WAIT_MS		30000

struct efd_report {
	int sem_reads;		/* reads of 1 before EAGAIN, through both fds */
	int sem_flags;		/* F_GETFL of SEM_FD */
	int big_flags;
	unsigned long long big;	/* read from BIG_FD */
	int big_again;		/* a read of the empty counter would block */
	int sig_first, sig_second;	/* read from SIG_FD, in order */
	int sig_value;		/* of the real-time one */
	int sig_again;		/* then nothing: EAGAIN */
	int sig_flags;
};

/* Read what SIG_FD has, in the order the kernel gives it. */
static void read_signals(struct efd_report *r)
{
	struct signalfd_siginfo si;

	if (read(SIG_FD, &si, sizeof(si)) == sizeof(si))
		r->sig_first = si.ssi_signo;
	if (read(SIG_FD, &si, sizeof(si)) == sizeof(si)) {
		r->sig_second = si.ssi_signo;
		r->sig_value = si.ssi_int;
	}
	r->sig_again = read(SIG_FD, &si, sizeof(si)) < 0 && errno == EAGAIN;
	r->sig_flags = fcntl(SIG_FD, F_GETFL);
}

static int set_up_signalfd(void)
{
	union sigval v = { .sival_int = RT_VALUE };
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN + 1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	fd = signalfd(-1, &set, SFD_NONBLOCK);
	if (fd < 0 || dup2(fd, SIG_FD) != SIG_FD)
		return -1;
	close(fd);
	if (raise(SIGUSR1) || sigqueue(getpid(), SIGRTMIN + 1, v))
		return -1;
	return 0;
}

static void __noreturn child(void)
{
	unsigned long long v = 4, big = BIG_COUNT;
	struct efd_report r = { 0 };
	struct pollfd p = { .fd = BIG_FD, .events = POLLIN };
	int fd;
	char c;

	fd = eventfd(1, EFD_SEMAPHORE | EFD_NONBLOCK);
	if (fd < 0 || dup2(fd, SEM_FD) != SEM_FD || dup2(fd, SEM_DUP_FD) != SEM_DUP_FD)
		_exit(90);
	close(fd);
	fd = eventfd(0, 0);
	if (fd < 0 || dup2(fd, BIG_FD) != BIG_FD)
		_exit(91);
	close(fd);
	if (write(SEM_FD, &v, sizeof(v)) != sizeof(v) ||
	    write(BIG_FD, &big, sizeof(big)) != sizeof(big) ||
	    fcntl(BIG_FD, F_SETFL, BIG_FLAGS) || set_up_signalfd())
		_exit(92);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(93);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(94);

	/* Alternate the two descriptors: they share one counter. */
	while (read(r.sem_reads % 2 ? SEM_DUP_FD : SEM_FD, &v, sizeof(v)) ==
	       sizeof(v) && v == 1)
		r.sem_reads++;
	if (errno != EAGAIN)
		r.sem_reads = -errno;
	r.sem_flags = fcntl(SEM_FD, F_GETFL);
	r.big_flags = fcntl(BIG_FD, F_GETFL);
	if (read(BIG_FD, &r.big, sizeof(r.big)) != sizeof(r.big))
		r.big = 0;
	r.big_again = poll(&p, 1, 0) == 0;
	read_signals(&r);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(95);
	_exit(0);
}

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct efd_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(5, r.sem_reads);
	EXPECT_EQ(O_RDWR | O_NONBLOCK, r.sem_flags & (O_ACCMODE | O_NONBLOCK));
	EXPECT_EQ(O_RDWR | BIG_FLAGS,
		  r.big_flags & (O_ACCMODE | O_NONBLOCK | BIG_FLAGS));
	EXPECT_EQ(BIG_COUNT, r.big);
	EXPECT_EQ(1, r.big_again);
	EXPECT_EQ(SIGUSR1, r.sig_first);
	EXPECT_EQ(SIGRTMIN + 1, r.sig_second);
	EXPECT_EQ(RT_VALUE, r.sig_value);
	EXPECT_EQ(1, r.sig_again);
	EXPECT_EQ(O_RDWR | O_NONBLOCK, r.sig_flags & (O_ACCMODE | O_NONBLOCK));
}

/* File records of @kind: a file shared by descriptors is one record. */
static int count_kind(const struct ckpt_image *img, __u32 kind)
{
	const struct ckpt_hdr_file *f;
	int i, n = 0;

	for (i = 0; (f = image_rec(img, CKPT_HDR_FILE, i)); i++)
		n += f->kind == kind;
	return n;
}

FIXTURE(efd) {
	struct piped_child pc;
};

FIXTURE_SETUP(efd)
{
	struct efd_report r;

	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, child));
	ASSERT_EQ(0, read_within(self->pc.res, &r, sizeof(r), WAIT_MS));
}

FIXTURE_TEARDOWN(efd)
{
	piped_child_end(&self->pc);
}

/* The process that goes on has its counters as they were. */
TEST_F(efd, continues)
{
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	EXPECT_EQ(2, count_kind(&self->pc.img, CKPT_FILE_EVENTFD));
	EXPECT_EQ(1, count_kind(&self->pc.img, CKPT_FILE_SIGNALFD));
	piped_child_finish(_metadata, &self->pc, check);
}

/* Killed and restarted twice from one image, with the same counters. */
TEST_F(efd, restarts_twice)
{
	struct piped_check c = { _metadata, check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

/* ---------------------------------------------------------------- */
/* timerfd: armed, periodic, disarmed, expired unread, absolute        */

#define T_PERIODIC	20	/* 20ms period, non-blocking, ticks unread */
#define T_ONESHOT	21	/* 100s ahead */
#define T_DISARMED	22	/* disarmed, with a 5s interval */
#define T_EXPIRED	23	/* expired once, unread */
#define T_ABSOLUTE	24	/* CLOCK_REALTIME, absolute, 100s ahead */
#define PERIOD_NS	20000000LL

struct tfd_report {
	int err;
	unsigned long long periodic_ticks, expired_ticks;
	long long periodic_interval, oneshot_left, disarmed_value;
	long long disarmed_interval, absolute_left;
	int periodic_flags;
};

static long long ts_ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static int tfd_at(int clockid, int flags, int tflags,
		  const struct itimerspec *its, int fd)
{
	int t = timerfd_create(clockid, flags);

	if (t < 0 || timerfd_settime(t, tflags, its, NULL) ||
	    dup2(t, fd) != fd)
		return -1;
	close(t);
	return 0;
}

static void __noreturn tfd_child(void)
{
	struct itimerspec its = { 0 };
	struct tfd_report r = { 0 };
	struct timespec now;
	char c;

	its.it_value.tv_nsec = PERIOD_NS;
	its.it_interval.tv_nsec = PERIOD_NS;
	r.err |= tfd_at(CLOCK_MONOTONIC, TFD_NONBLOCK, 0, &its, T_PERIODIC);
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = 100;
	r.err |= tfd_at(CLOCK_MONOTONIC, 0, 0, &its, T_ONESHOT);
	memset(&its, 0, sizeof(its));
	its.it_interval.tv_sec = 5;
	r.err |= tfd_at(CLOCK_BOOTTIME, 0, 0, &its, T_DISARMED);
	memset(&its, 0, sizeof(its));
	its.it_value.tv_nsec = 1000000;
	r.err |= tfd_at(CLOCK_MONOTONIC, TFD_NONBLOCK, 0, &its, T_EXPIRED);
	clock_gettime(CLOCK_REALTIME, &now);
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = now.tv_sec + 100;
	r.err |= tfd_at(CLOCK_REALTIME, 0, TFD_TIMER_ABSTIME, &its, T_ABSOLUTE);
	/* Let the periodic one expire a few times, unread. */
	usleep(150000);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(93);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(94);

	if (read(T_PERIODIC, &r.periodic_ticks, 8) != 8)
		r.periodic_ticks = 0;
	if (read(T_EXPIRED, &r.expired_ticks, 8) != 8)
		r.expired_ticks = 0;
	if (!timerfd_gettime(T_PERIODIC, &its))
		r.periodic_interval = ts_ns(&its.it_interval);
	if (!timerfd_gettime(T_ONESHOT, &its))
		r.oneshot_left = ts_ns(&its.it_value);
	if (!timerfd_gettime(T_DISARMED, &its)) {
		r.disarmed_value = ts_ns(&its.it_value);
		r.disarmed_interval = ts_ns(&its.it_interval);
	}
	if (!timerfd_gettime(T_ABSOLUTE, &its))
		r.absolute_left = ts_ns(&its.it_value);
	r.periodic_flags = fcntl(T_PERIODIC, F_GETFL);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(95);
	_exit(0);
}

static void tfd_check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct tfd_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(0, r.err);
	/* At least the expirations of the 150ms before the checkpoint. */
	EXPECT_LE(5, r.periodic_ticks);
	EXPECT_EQ(PERIOD_NS, r.periodic_interval);
	EXPECT_EQ(1, r.expired_ticks);
	EXPECT_LT(90000000000LL, r.oneshot_left);
	EXPECT_GE(100000000000LL, r.oneshot_left);
	EXPECT_EQ(0, r.disarmed_value);
	EXPECT_EQ(5000000000LL, r.disarmed_interval);
	EXPECT_LT(90000000000LL, r.absolute_left);
	EXPECT_GE(100000000000LL, r.absolute_left);
	EXPECT_EQ(O_RDWR | O_NONBLOCK, r.periodic_flags & (O_ACCMODE | O_NONBLOCK));
}

FIXTURE(tfd) {
	struct piped_child pc;
};

FIXTURE_SETUP(tfd)
{
	struct tfd_report r;

	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, tfd_child));
	ASSERT_EQ(0, read_within(self->pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, r.err);
}

FIXTURE_TEARDOWN(tfd)
{
	piped_child_end(&self->pc);
}

TEST_F(tfd, continues)
{
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	EXPECT_EQ(5, count_kind(&self->pc.img, CKPT_FILE_TIMERFD));
	piped_child_finish(_metadata, &self->pc, tfd_check);
}

TEST_F(tfd, restarts_twice)
{
	struct piped_check c = { _metadata, tfd_check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

/* ---------------------------------------------------------------- */
/* epoll: items of several kinds, made before the files they watch,    */
/* and an epoll watching it                                            */

#define EP		30	/* below the files it watches */
#define EP_NESTED	31	/* watches EP */
#define EP_PIPE_R	32	/* a byte in it: EPOLLIN */
#define EP_PIPE_W	33
#define EP_EVENTFD	34	/* counter 1, edge-triggered: once */
#define EP_SOCK		35	/* "hi" queued: EPOLLIN | EPOLLOUT */
#define EP_PEER		36
#define EP_ONESHOT	37	/* a one-shot item that fired, its pipe hung up */
#define EP_HUNG		38
#define EP_PACKET	39	/* the write end of an empty pipe, O_DIRECT */

struct ep_report {
	int err;
	int n, seen;		/* epoll_wait(EP): events, items seen right */
	int again;		/* the edge-triggered item once only */
	int nested_n, oneshot_n;
	unsigned long long nested_data;
	int flags, pipe_flags;	/* F_GETFL of EP and EP_PACKET */
};

static const struct {
	int fd;
	unsigned int events, want;
	unsigned long long data;
} ep_items[] = {
	{ EP_PIPE_R, EPOLLIN, EPOLLIN, 0x1111 },
	{ EP_EVENTFD, EPOLLIN | EPOLLET, EPOLLIN, 0x2222 },
	{ EP_SOCK, EPOLLIN | EPOLLOUT, EPOLLIN | EPOLLOUT, 0x3333 },
};

static void __noreturn ep_child(void)
{
	struct epoll_event ev, evs[8];
	struct ep_report r = { 0 };
	unsigned long long one = 1;
	int p[2], sv[2], i, j;
	char c;

	r.err |= dup2(epoll_create1(0), EP) != EP;
	r.err |= dup2(epoll_create1(0), EP_NESTED) != EP_NESTED;
	r.err |= pipe(p) || dup2(p[0], EP_PIPE_R) != EP_PIPE_R ||
		 dup2(p[1], EP_PIPE_W) != EP_PIPE_W;
	r.err |= dup2(eventfd(0, EFD_NONBLOCK), EP_EVENTFD) != EP_EVENTFD;
	r.err |= socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
		 dup2(sv[0], EP_SOCK) != EP_SOCK ||
		 dup2(sv[1], EP_PEER) != EP_PEER;
	for (i = 0; i < (int)ARRAY_SIZE(ep_items); i++) {
		ev.events = ep_items[i].events;
		ev.data.u64 = ep_items[i].data;
		r.err |= epoll_ctl(EP, EPOLL_CTL_ADD, ep_items[i].fd, &ev);
	}
	ev.events = EPOLLIN;
	ev.data.u64 = 0x4444;
	r.err |= epoll_ctl(EP_NESTED, EPOLL_CTL_ADD, EP, &ev);
	r.err |= fcntl(EP, F_SETFL, O_NONBLOCK | O_APPEND);
	/* Packet mode: each write is a message of its own. */
	r.err |= pipe(p) || dup2(p[1], EP_PACKET) != EP_PACKET ||
		 fcntl(EP_PACKET, F_SETFL, O_DIRECT);
	/* Fire a one-shot item, then hang its pipe up: it stays quiet. */
	r.err |= dup2(epoll_create1(0), EP_ONESHOT) != EP_ONESHOT ||
		 pipe(p) || dup2(p[0], EP_HUNG) != EP_HUNG;
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.u64 = 0x5555;
	r.err |= epoll_ctl(EP_ONESHOT, EPOLL_CTL_ADD, EP_HUNG, &ev) ||
		 write(p[1], "y", 1) != 1 ||
		 epoll_wait(EP_ONESHOT, evs, 8, 0) != 1;
	close(p[0]);
	close(p[1]);
	r.err |= write(EP_PIPE_W, "x", 1) != 1 ||
		 write(EP_EVENTFD, &one, sizeof(one)) != sizeof(one) ||
		 write(EP_PEER, "hi", 2) != 2;
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(93);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(94);

	r.oneshot_n = epoll_wait(EP_ONESHOT, evs, 8, 0);
	r.nested_n = epoll_wait(EP_NESTED, evs, 8, 0);
	if (r.nested_n == 1)
		r.nested_data = evs[0].data.u64;
	r.n = epoll_wait(EP, evs, 8, 0);
	for (i = 0; i < r.n; i++)
		for (j = 0; j < (int)ARRAY_SIZE(ep_items); j++)
			r.seen += evs[i].data.u64 == ep_items[j].data &&
				  evs[i].events == ep_items[j].want;
	/* The pipe and socket again, not the edge-triggered eventfd. */
	r.again = epoll_wait(EP, evs, 8, 0);
	for (i = 0; i < r.again; i++)
		if (evs[i].data.u64 == 0x2222)
			r.again = -1;
	r.flags = fcntl(EP, F_GETFL);
	r.pipe_flags = fcntl(EP_PACKET, F_GETFL);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(95);
	_exit(0);
}

static void ep_check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct ep_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(0, r.err);
	EXPECT_EQ(0, r.oneshot_n);
	EXPECT_EQ(1, r.nested_n);
	EXPECT_EQ(0x4444, r.nested_data);
	EXPECT_EQ(3, r.n);
	EXPECT_EQ(3, r.seen);
	EXPECT_EQ(2, r.again);
	EXPECT_EQ(O_RDWR | O_NONBLOCK | O_APPEND,
		  r.flags & (O_ACCMODE | O_NONBLOCK | O_APPEND));
	EXPECT_EQ(O_WRONLY | O_DIRECT, r.pipe_flags & (O_ACCMODE | O_DIRECT));
}

FIXTURE(ep) {
	struct piped_child pc;
};

FIXTURE_SETUP(ep)
{
	struct ep_report r;

	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, ep_child));
	ASSERT_EQ(0, read_within(self->pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, r.err);
}

FIXTURE_TEARDOWN(ep)
{
	piped_child_end(&self->pc);
}

TEST_F(ep, continues)
{
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	EXPECT_EQ(3, count_kind(&self->pc.img, CKPT_FILE_EPOLL));
	piped_child_finish(_metadata, &self->pc, ep_check);
}

TEST_F(ep, restarts_twice)
{
	struct piped_check c = { _metadata, ep_check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

TEST_HARNESS_MAIN
