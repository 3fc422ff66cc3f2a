// SPDX-License-Identifier: GPL-2.0
/*
 * Fail every allocation and user copy of checkpoint(2) and restart(2) in
 * turn, with /proc/thread-self/fail-nth (failslab, fail_page_alloc and
 * fail_usercopy), and check that each failure ends cleanly: the call
 * fails with an errno, the checkpointed process runs on unharmed, and a
 * failed restart leaves no task behind.  Leaks show in kmemleak, which
 * the harness reads after the run.
 *
 * fail-nth counts the fault sites of the calling task only: a restart
 * is swept in the caller's part (reading the image, creating the tasks).
 * What the restored tasks do for themselves (their memory, files,
 * sockets, ...) is tried with random faults instead: the faults of the
 * task-filter, which restored tasks inherit from the caller of
 * restart(2) with its make-it-fail flag.
 */
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <net/if.h>
#include <netinet/in.h>
#include <dirent.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/kcmp.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define MAX_SITES	20000	/* a bound on the sweep of one call */
#define WAIT_MS		30000

static const char *const fault_dirs[] = {
	"/sys/kernel/debug/failslab",
	"/sys/kernel/debug/fail_page_alloc",
	"/sys/kernel/debug/fail_usercopy",
};

static int write_str(const char *dir, const char *file, const char *val)
{
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * Let fail-nth fail any allocation, sleeping or not, of any order,
 * quietly: the stack traces of "verbose" would read as kernel reports.
 */
static int set_up_faults(void)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(fault_dirs); i++) {
		if (access(fault_dirs[i], F_OK))
			return -ENOENT;
		err = write_str(fault_dirs[i], "verbose", "0") ?:
		      write_str(fault_dirs[i], "probability", "0") ?:
		      write_str(fault_dirs[i], "times", "-1");
		if (err)
			return err;
	}
	return write_str(fault_dirs[0], "ignore-gfp-wait", "N") ?:
	       write_str(fault_dirs[1], "ignore-gfp-wait", "N") ?:
	       write_str(fault_dirs[1], "ignore-gfp-highmem", "N") ?:
	       write_str(fault_dirs[1], "min-order", "0");
}

static int fail_nth_fd(void)
{
	return open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
}

/*
 * Arm fail-nth.  Writing it copies from user memory, which is a fault
 * site itself: a write that disarms a fault still armed may fire it and
 * fail with EFAULT, and then the next one goes through.
 */
static void set_fail_nth(int fd, int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n), i;

	for (i = 0; i < 2; i++)
		if (pwrite(fd, buf, len, 0) == len)
			return;
	ksft_exit_fail_msg("fail-nth: %s\n", strerror(errno));
}

/*
 * Whether the fault armed by set_fail_nth() was injected, then disarm
 * it.  The read copies to user memory: if the fault fires there, with
 * EFAULT, it was not injected before.
 */
static bool fail_nth_fired(int fd)
{
	char buf[16] = "";
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0 && errno == EFAULT)
		return false;
	if (n <= 0)
		ksft_exit_fail_msg("fail-nth: %s\n", strerror(errno));
	if (atoi(buf)) {
		set_fail_nth(fd, 0);
		return false;
	}
	return true;
}

/*
 * A process with a little of everything: memory private and shared, a
 * sealed memfd it maps, an unlinked file it maps, a pipe, a file it
 * holds locks on, a timer, a socket pair with data and an eventfd in
 * flight, a listener, a timerfd and an epoll watching them, a pty with
 * input typed and output written, not read; in network and IPC
 * namespaces of its own, a TCP connection and one waiting for accept(2),
 * a SysV shared memory segment it attaches, a message queue with two
 * messages and a semaphore set, and a POSIX message queue with two
 * messages and a registration; an inotify watching a directory with
 * two events queued.
 */
#define INOTIFY_DIR	"/tmp/fault_inject.d"
/* A TCP connection over the loopback device of a new network namespace. */
static int tcp_loop(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sin);
	int l, c, s, w;

	if (lo_up())
		return -1;
	l = socket(AF_INET, SOCK_STREAM, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	w = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || c < 0 || w < 0 || bind(l, (void *)&sin, len) ||
	    listen(l, 1) || getsockname(l, (void *)&sin, &len) ||
	    connect(c, (void *)&sin, len))
		return -1;
	s = accept(l, NULL, NULL);
	if (s < 0 || write(c, "to the server", 13) != 13 ||
	    write(s, "to the client", 13) != 13)
		return -1;
	/* And one the listener holds for accept(2). */
	if (connect(w, (void *)&sin, len) || write(w, "waiting", 7) != 7)
		return -1;
	return 0;
}

static void __noreturn target(void)
{
	struct itimerspec its = { .it_value.tv_sec = 3600 };
	struct epoll_event ev = { .events = EPOLLIN };
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_len = 10 };
	char *heap = malloc(256 * 1024), *shared, *mem = MAP_FAILED, *shm;
	char *gone = MAP_FAILED, page[4096];
	struct { long mtype; char text[64]; } msg = { 3, "message" };
	int p[2], sv[2], ep, efd, tfd, l, mfd, f, u, seq = 0, shmid, msqid, semid;
	int pm, ps, in, queued, now;
	char c, name[32];
	struct mq_attr ma = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	struct sigevent mev = { .sigev_notify = SIGEV_NONE };
	mqd_t mq;

	if (unshare(CLONE_NEWIPC | CLONE_NEWNET) || tcp_loop())
		_exit(89);
	shmid = shmget(IPC_PRIVATE, 3 * 4096, IPC_CREAT | 0600);
	msqid = msgget(0x5eedf1, IPC_CREAT | 0600);
	semid = semget(IPC_PRIVATE, 4, IPC_CREAT | 0600);
	shm = shmid < 0 ? (char *)-1 : shmat(shmid, NULL, 0);
	if (shm == (char *)-1 || msqid < 0 || semid < 0 ||
	    msgsnd(msqid, &msg, 8, 0) || msgsnd(msqid, &msg, 64, 0) ||
	    semctl(semid, 2, SETVAL, 7))
		_exit(89);
	memset(shm, 0x73, 2 * 4096);
	/* A POSIX message queue of the namespace, with a registration. */
	mq = mq_open("/fault_inject", O_CREAT | O_RDWR, 0600, &ma);
	if (mq < 0 || mq_send(mq, "first", 5, 1) || mq_send(mq, "second", 6, 3) ||
	    mq_notify(mq, &mev))
		_exit(89);

	shared = mmap(NULL, 64 * 1024, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	mfd = memfd_create("fault_inject", MFD_ALLOW_SEALING);
	if (mfd >= 0 && !ftruncate(mfd, 16 * 1024))
		mem = mmap(NULL, 16 * 1024, PROT_READ | PROT_WRITE, MAP_SHARED,
			   mfd, 0);
	/* Saved by its contents, which it maps privately. */
	u = open("/tmp/fault_inject.unlinked", O_RDWR | O_CREAT | O_TRUNC, 0600);
	memset(page, 0x75, sizeof(page));
	if (u >= 0 && pwrite(u, page, sizeof(page), 0) == sizeof(page) &&
	    pwrite(u, page, sizeof(page), 8192) == sizeof(page))
		gone = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE, u, 0);
	if (gone == MAP_FAILED || unlink("/tmp/fault_inject.unlinked"))
		_exit(90);
	if (!heap || shared == MAP_FAILED || mem == MAP_FAILED || pipe(p) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
	    fcntl(mfd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK))
		_exit(90);
	memset(heap, 0x3c, 256 * 1024);
	memset(shared, 0x5a, 64 * 1024);
	memset(mem, 0x6d, 16 * 1024);
	ep = epoll_create1(0);
	efd = eventfd(3, 0);
	tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	f = open("/tmp/fault_inject.file", O_RDWR | O_CREAT, 0600);
	if (write(p[1], "buffered", 8) != 8 || efd < 0 ||
	    send_fds(sv[1], "queued", 6, &efd, 1) ||
	    f < 0 || flock(f, LOCK_EX) || fcntl(f, F_SETLK, &fl) ||
	    ep < 0 || efd < 0 || tfd < 0 || l < 0 ||
	    timerfd_settime(tfd, 0, &its, NULL) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev))
		_exit(91);
	pm = posix_openpt(O_RDWR | O_NOCTTY);
	if (pm < 0 || unlockpt(pm) || ptsname_r(pm, name, sizeof(name)))
		_exit(91);
	ps = open(name, O_RDWR | O_NOCTTY);
	if (ps < 0 || write(pm, "typed\npart", 10) != 10 ||
	    write(ps, "written\n", 8) != 8)
		_exit(91);
	/* A directory of its own, which nothing else changes. */
	in = inotify_init1(IN_NONBLOCK);
	if ((mkdir(INOTIFY_DIR, 0700) && errno != EEXIST) || in < 0 ||
	    inotify_add_watch(in, INOTIFY_DIR, IN_CREATE | IN_DELETE) != 1 ||
	    close(open(INOTIFY_DIR "/evt", O_CREAT | O_RDWR, 0600)) ||
	    unlink(INOTIFY_DIR "/evt") || ioctl(in, FIONREAD, &queued))
		_exit(91);
	alarm(3600);
	for (;;) {
		if (read(CTL_FD, &c, 1) != 1)
			_exit(0);
		if (c == 'q')
			_exit(0);
		seq++;
		if (heap[seq % (256 * 1024)] != 0x3c ||
		    shared[seq % (64 * 1024)] != 0x5a ||
		    mem[seq % (16 * 1024)] != 0x6d ||
		    shm[seq % (2 * 4096)] != 0x73 ||
		    gone[seq % 4096] != 0x75 || gone[4096 + seq % 4096] ||
		    gone[8192 + seq % 4096] != 0x75 ||
		    mq_getattr(mq, &ma) || ma.mq_curmsgs != 2 ||
		    ioctl(in, FIONREAD, &now) || now != queued ||
		    write(RES_FD, &seq, sizeof(seq)) != sizeof(seq))
			_exit(92);
	}
}

/* One round trip: the target answers with its count, which grows. */
static int ping(int ctl, int res, int *seq)
{
	int got, err;

	if (write(ctl, "p", 1) != 1)
		return -EPIPE;
	err = read_within(res, &got, sizeof(got), WAIT_MS);
	if (err)
		return err;
	if (got != *seq + 1)
		return -EPROTO;
	*seq = got;
	return 0;
}

FIXTURE(fi) {
	int nth;
	pid_t pid;
	int ctl, res, seq;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(fi)
{
	int err;

	memset(&self->img, 0, sizeof(self->img));
	self->pid = -1;
	err = set_up_faults();
	if (err)
		SKIP(return, "fault injection is not available: %s", strerror(-err));
	self->nth = fail_nth_fd();
	ASSERT_LE(0, self->nth);
	self->pid = fork_with_pipes(CTL_FD, &self->ctl, RES_FD, &self->res,
				    target);
	ASSERT_LE(0, self->pid);
	self->seq = 0;
	ASSERT_EQ(0, ping(self->ctl, self->res, &self->seq));
}

static int set_random_faults(int interval);
static int set_make_it_fail(bool on);

/* Faults off, then the target, if it runs, killed and reaped. */
static void end_target(pid_t pid, struct ckpt_image *img)
{
	set_make_it_fail(false);
	set_random_faults(0);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	image_free(img);
}

FIXTURE_TEARDOWN(fi)
{
	end_target(self->pid, &self->img);
}

/*
 * Each fault site of checkpoint(2) in turn: the call fails or succeeds,
 * and the process it saved runs on as before either way.
 */
TEST_F_TIMEOUT(fi, checkpoint_fails_cleanly_at_every_site, 3000)
{
	int n, failed = 0;
	long ret;

	for (n = 1; n <= MAX_SITES; n++) {
		image_free(&self->img);
		set_fail_nth(self->nth, n);
		ret = checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK,
				       &self->img, self->log, sizeof(self->log));
		if (!fail_nth_fired(self->nth)) {
			ASSERT_LT(0, ret) TH_LOG("%s", self->log);
			break;
		}
		if (ret < 0) {
			failed++;
			ASSERT_NE(-EINVAL, ret) TH_LOG("site %d: %s", n, self->log);
		}
		ASSERT_EQ(0, ping(self->ctl, self->res, &self->seq))
			TH_LOG("site %d: the target did not run on", n);
	}
	ASSERT_LE(n, MAX_SITES);
	TH_LOG("%d fault sites, %d failed the checkpoint", n - 1, failed);
	ASSERT_EQ(0, validate_image(&self->img, self->log, sizeof(self->log)))
		TH_LOG("%s", self->log);
}

/*
 * Each fault site of restart(2) in turn: a failed restart leaves neither
 * a child nor the saved pid behind; a successful one gives a process
 * that carries on from the image.
 */
TEST_F_TIMEOUT(fi, restart_fails_cleanly_at_every_site, 3000)
{
	int n, failed = 0, ctl, res, seq, status;
	long root;

	ASSERT_LT(0, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK |
				      CHECKPOINT_KILL, &self->img, self->log,
				      sizeof(self->log)))
		TH_LOG("%s", self->log);
	ASSERT_EQ(self->pid, waitpid(self->pid, &status, 0));
	close(self->ctl);
	close(self->res);

	for (n = 1; n <= MAX_SITES; n++) {
		bool fired;

		set_fail_nth(self->nth, n);
		root = restart_with_pipes(&self->img, CTL_FD, &ctl, RES_FD, &res,
					  self->log, sizeof(self->log), NULL);
		fired = fail_nth_fired(self->nth);
		if (root > 0) {
			ASSERT_EQ(self->pid, root);
			seq = self->seq;
			ASSERT_EQ(0, ping(ctl, res, &seq))
				TH_LOG("site %d: the restored process is not right", n);
			ASSERT_EQ(1, write(ctl, "q", 1));
			ASSERT_EQ(root, waitpid(root, &status, 0));
			EXPECT_EQ(0, status);
		} else {
			failed++;
			ASSERT_TRUE(fired) TH_LOG("%s", self->log);
			ASSERT_NE(-EINVAL, root) TH_LOG("site %d: %s", n, self->log);
			ASSERT_EQ(-1, waitpid(-1, &status, WNOHANG | __WALL));
			ASSERT_EQ(ECHILD, errno) TH_LOG("site %d left a child", n);
			ASSERT_EQ(-1, kill(self->pid, 0));
		}
		close(ctl);
		close(res);
		if (!fired)
			break;
	}
	self->pid = -1;
	ASSERT_LE(n, MAX_SITES);
	TH_LOG("%d fault sites, %d failed the restart", n - 1, failed);
}

static int write_str_pid(pid_t pid, const char *val)
{
	char dir[32];

	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	return write_str(dir, "make-it-fail", val);
}

/*
 * Random faults for the tasks with make-it-fail: 5% of every @interval-th
 * site; 0 turns them off.  The filter is set before the probability and
 * cleared after it: faults must never reach the other tasks.
 */
static int set_random_faults(int interval)
{
	char val[16];
	unsigned int i;
	int err = 0;

	snprintf(val, sizeof(val), "%d", interval);
	for (i = 0; i < ARRAY_SIZE(fault_dirs) && !err; i++) {
		if (interval)
			err = write_str(fault_dirs[i], "task-filter", "Y") ?:
			      write_str(fault_dirs[i], "interval", val);
		err = err ?: write_str(fault_dirs[i], "probability",
				       interval ? "5" : "0");
		if (!interval)
			err = err ?: write_str(fault_dirs[i], "task-filter", "N") ?:
			      write_str(fault_dirs[i], "interval", "1");
	}
	return err;
}

/* Turn make-it-fail on or off; turning it off may meet a fault itself. */
static int set_make_it_fail(bool on)
{
	int tries = 0, err;

	do
		err = write_str("/proc/self", "make-it-fail", on ? "1" : "0");
	while (err && !on && ++tries < 1000);
	return err;
}

/*
 * restart(2) of @img with the pipes restart_with_pipes() gives, with
 * random faults for the call and the tasks it makes, which inherit
 * make-it-fail: they are switched off as soon as the call returns.
 * LONG_MIN if the set-up failed.
 */
static long restart_with_faults(const struct ckpt_image *img, int interval,
				int *ctl, int *res, char *log, size_t logsize)
{
	int fd, lp[2];
	long ret;

	fd = image_memfd(img);
	if (fd < 0 || log_pipe(lp))
		return LONG_MIN;
	*ctl = pipe_at(CTL_FD, true);
	*res = pipe_at(RES_FD, false);
	if (*ctl < 0 || *res < 0 || set_random_faults(interval) ||
	    set_make_it_fail(true))
		return LONG_MIN;
	ret = ckpt_ret(sys_restart(0, fd, 0, lp[1]));
	/* Ours first: then nothing we do meets a fault. */
	if (set_make_it_fail(false) || set_random_faults(0))
		return LONG_MIN;
	log_drain(lp[0], log, logsize);
	close(CTL_FD);
	close(RES_FD);
	close(lp[0]);
	close(lp[1]);
	close(fd);
	return ret;
}

/*
 * Restarts whose restored tasks, and their caller, meet random faults:
 * each ends cleanly, as a whole, or gives a process that carries on.
 */
#define RANDOM_ROUNDS	60

TEST_F_TIMEOUT(fi, restart_survives_random_faults, 3000)
{
	int round, failed = 0, ctl, res, seq, status;
	long root;

	ASSERT_LT(0, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK |
				      CHECKPOINT_KILL, &self->img, self->log,
				      sizeof(self->log)))
		TH_LOG("%s", self->log);
	ASSERT_EQ(self->pid, waitpid(self->pid, &status, 0));
	close(self->ctl);
	close(self->res);

	for (round = 0; round < RANDOM_ROUNDS; round++) {
		root = restart_with_faults(&self->img, 4 << (round % 5), &ctl, &res,
					   self->log, sizeof(self->log));
		ASSERT_NE(LONG_MIN, root);
		if (root > 0) {
			/* Its make-it-fail, inherited, for what comes next. */
			ASSERT_EQ(0, write_str_pid(root, "0"));
			ASSERT_EQ(self->pid, root);
			seq = self->seq;
			ASSERT_EQ(0, ping(ctl, res, &seq))
				TH_LOG("round %d: the restored process is not right", round);
			ASSERT_EQ(1, write(ctl, "q", 1));
			ASSERT_EQ(root, waitpid(root, &status, 0));
			EXPECT_EQ(0, status);
		} else {
			failed++;
			ASSERT_NE(-EINVAL, root) TH_LOG("round %d: %s", round, self->log);
			ASSERT_EQ(-1, waitpid(-1, &status, WNOHANG | __WALL));
			ASSERT_EQ(ECHILD, errno) TH_LOG("round %d left a child", round);
			ASSERT_EQ(-1, kill(self->pid, 0));
		}
		close(ctl);
		close(res);
	}
	self->pid = -1;
	TH_LOG("%d restarts under random faults, %d failed", round, failed);
}

static int idle_fn(void *arg)
{
	for (;;)
		pause();
	return 0;
}

#define TREE_THREADS	3	/* T's threads but its main one */

static void *idle_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/* How many threads the calling process has. */
static int nr_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Whether @a and @b share their mm. */
static bool same_vm(pid_t a, pid_t b)
{
	return !syscall(SYS_kcmp, a, b, KCMP_VM, 0, 0);
}

/*
 * A tree with the parts of restart that make pids and tasks out of
 * order: the root T, a child subreaper, holds pidfds of its child K and
 * of D2, made before them at restart; D2 is in the session its parent
 * D1 made before it exited, which restart makes again with a stand-in
 * leader.  And those that share an mm: T's child W shares T's (CLONE_VM
 * | CLONE_SIGHAND), T's child V waits in vfork() for its child G.  T has
 * threads too, which restart creates one by the other while T reads its
 * memory.  T answers a ping once its pidfds, D2's session, the mms and
 * its threads are right.
 */
static void __noreturn tree_target(void)
{
	static char w_stack[64 << 10];
	int sync[2], seq = 0, status;
	pid_t d1, d2 = -1, k, w, v, g = -1;
	pthread_t t;
	int i;
	char c;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(sync))
		_exit(89);
	d1 = fork();
	if (!d1) {
		if (setsid() < 0)
			_exit(1);
		d2 = fork();
		if (!d2)
			for (;;)
				pause();
		_exit(write(sync[1], &d2, sizeof(d2)) == sizeof(d2) ? 0 : 1);
	}
	if (d1 < 0 || read(sync[0], &d2, sizeof(d2)) != sizeof(d2) ||
	    waitpid(d1, &status, 0) != d1 || status)
		_exit(90);
	k = fork();
	if (!k)
		for (;;)
			pause();
	w = clone(idle_fn, w_stack + sizeof(w_stack),
		  CLONE_VM | CLONE_SIGHAND | SIGCHLD, NULL);
	v = fork();
	if (!v) {
		if (!vfork()) {
			g = getpid();
			if (write(sync[1], &g, sizeof(g)) != sizeof(g))
				_exit(1);
			for (;;)
				pause();
		}
		_exit(0);
	}
	if (k < 0 || w < 0 || v < 0 || read(sync[0], &g, sizeof(g)) != sizeof(g) ||
	    dup2(sys_pidfd_open(k, 0), 60) != 60 ||
	    dup2(sys_pidfd_open(d2, 0), 61) != 61)
		_exit(91);
	for (i = 0; i < TREE_THREADS; i++)
		if (pthread_create(&t, NULL, idle_thread, NULL))
			_exit(93);
	for (;;) {
		if (read(CTL_FD, &c, 1) != 1 || c == 'q') {
			kill(k, SIGKILL);
			kill(d2, SIGKILL);
			kill(w, SIGKILL);
			kill(g, SIGKILL);
			while (waitpid(-1, NULL, 0) > 0)
				;
			_exit(0);
		}
		seq++;
		if (pidfd_fdinfo_pid(60) != k || pidfd_fdinfo_pid(61) != d2 ||
		    getsid(d2) != d1 || getpgid(d2) != d1 ||
		    !same_vm(getpid(), w) || same_vm(getpid(), v) ||
		    !same_vm(v, g) || nr_threads() != TREE_THREADS + 1 ||
		    write(RES_FD, &seq, sizeof(seq)) != sizeof(seq))
			_exit(92);
	}
}

FIXTURE(fi_tree) {
	pid_t pid;
	int ctl, res, seq;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(fi_tree)
{
	int err;

	memset(&self->img, 0, sizeof(self->img));
	self->pid = -1;
	err = set_up_faults();
	if (err)
		SKIP(return, "fault injection is not available: %s", strerror(-err));
	self->pid = fork_with_pipes(CTL_FD, &self->ctl, RES_FD, &self->res,
				    tree_target);
	ASSERT_LE(0, self->pid);
	self->seq = 0;
	ASSERT_EQ(0, ping(self->ctl, self->res, &self->seq));
}

FIXTURE_TEARDOWN(fi_tree)
{
	end_target(self->pid, &self->img);
}

/* One restored tree: it answers, then ends with all its tasks. */
static void tree_round(struct __test_metadata *_metadata,
		       struct _test_data_fi_tree *self, long root, int ctl,
		       int res)
{
	int seq = self->seq, status;

	ASSERT_EQ(self->pid, root);
	ASSERT_EQ(0, ping(ctl, res, &seq));
	ASSERT_EQ(1, write(ctl, "q", 1));
	ASSERT_EQ(root, waitpid(root, &status, 0));
	EXPECT_EQ(0, status);
}

/*
 * Random faults in the restored tasks as they give out pids for their
 * pidfds, make a session's stand-in leader and create tasks with the
 * pids given out: each restart ends cleanly or gives the whole tree.
 * Then one without faults: no pid given out was left behind.
 */
TEST_F_TIMEOUT(fi_tree, restart_survives_random_faults, 3000)
{
	int round, failed = 0, ctl, res, status;
	long root;

	ASSERT_LT(0, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TREE |
				      CHECKPOINT_KILL, &self->img, self->log,
				      sizeof(self->log)))
		TH_LOG("%s", self->log);
	ASSERT_EQ(self->pid, waitpid(self->pid, &status, 0));
	close(self->ctl);
	close(self->res);

	for (round = 0; round < RANDOM_ROUNDS; round++) {
		root = restart_with_faults(&self->img, 2 << (round % 5), &ctl,
					   &res, self->log, sizeof(self->log));
		ASSERT_NE(LONG_MIN, root);
		if (root > 0) {
			ASSERT_EQ(0, write_str_pid(root, "0"));
			tree_round(_metadata, self, root, ctl, res);
		} else {
			failed++;
			ASSERT_NE(-EINVAL, root) TH_LOG("round %d: %s", round, self->log);
			ASSERT_NE(-EBUSY, root) TH_LOG("round %d: %s", round, self->log);
			ASSERT_EQ(-1, waitpid(-1, &status, WNOHANG | __WALL));
			ASSERT_EQ(ECHILD, errno) TH_LOG("round %d left a child", round);
			ASSERT_EQ(-1, kill(self->pid, 0));
		}
		close(ctl);
		close(res);
	}
	root = restart_with_pipes(&self->img, CTL_FD, &ctl, RES_FD, &res,
				  self->log, sizeof(self->log), NULL);
	ASSERT_LT(0, root) TH_LOG("%s", self->log);
	tree_round(_metadata, self, root, ctl, res);
	close(ctl);
	close(res);
	self->pid = -1;
	TH_LOG("%d restarts of a tree under random faults, %d failed", round,
	       failed);
}

TEST_HARNESS_MAIN
