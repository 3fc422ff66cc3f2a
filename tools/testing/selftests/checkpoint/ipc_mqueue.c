// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX message queues.
 *
 * A container: the root of the checkpointed tree unshares an IPC
 * namespace, sets its fs.mqueue limits (queues_max 300, msg_max 70,
 * msgsize_max 20000, msg_default 12, msgsize_default 1000) and makes:
 *
 *  - alpha: 40 messages of 16384 bytes at most, mode 0640, holding
 *    seven messages of several priorities and sizes (16384 and 0
 *    included); the root holds it O_RDWR, and O_RDONLY | O_NONBLOCK
 *    twice, the second a dup() of the first;
 *  - beta: 10 of 8192, mode 0600, full; the root holds it O_WRONLY |
 *    O_NONBLOCK and O_RDONLY;
 *  - delta: 3 of 128, mode 0604, owned by 1234:5678, one message; the
 *    child holds it and registered with mq_notify(SIGEV_NONE);
 *  - epsilon: 1 of 200, mode 0660, one message; nobody holds it open;
 *  - gamma: 4 of 64, mode 0620, empty; the root registered with
 *    mq_notify(SIGEV_SIGNAL, SIGUSR1, a value);
 *  - zeta: 2 of 32, mode 0600, empty; the child is blocked in
 *    mq_receive() on it.
 *
 * The tree goes on after the checkpoint, or is killed and restarted, or
 * restarted twice from one image.  Each time the root then checks: the
 * limits; each queue's mode, owner and times (fstat(), before anything
 * touches it) and attributes (mq_getattr()); what reading a descriptor
 * shows of the registrations; the messages of alpha in priority order
 * with every byte, then EAGAIN on the empty queue; the dup()ed
 * descriptor sharing its flags; beta refusing a message (full) until
 * one is received; gamma refusing a second registration (EBUSY), then
 * the root getting SIGUSR1 with SI_MESGQ, its value and the child's pid
 * when the child sends to it; the child woken by a message the root
 * sends to zeta; the child's registration on delta, which it removes;
 * epsilon found by name, its message received, unlinked; a new queue
 * made with the namespace's default attributes.  The image is checked
 * too: the limits, the queues in name order with their messages, the
 * descriptors naming them.
 *
 * A plain process: a descriptor of a queue of our IPC namespace is
 * reopened by name after a restart, the queue and its messages being
 * ours; a restart after the queue was made again fails with ESTALE.
 *
 * Refused with EOPNOTSUPP and a message naming the queue, the target
 * running on unharmed: a queue unlinked while open, a registration on a
 * queue of our namespace, a registration of a thread (SIGEV_THREAD), a
 * queue of our namespace held by a task in an IPC namespace of its own.
 */
#include <assert.h>
#include <limits.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define WAIT_MS		30000

#define KID_UID		1234
#define KID_GID		5678
#define GAMMA_VALUE	0xabcdef
#define WAKE_LEN	11	/* what the root sends to zeta */

/* The namespace's limits, as the root sets them. */
enum { L_QUEUES, L_MSG, L_MSGSIZE, L_MSG_DEF, L_MSGSIZE_DEF, NR_LIMITS };
static const char *const limit_file[NR_LIMITS] = {
	"queues_max", "msg_max", "msgsize_max", "msg_default", "msgsize_default",
};

static const long limit_val[NR_LIMITS] = { 300, 70, 20000, 12, 1000 };

/* The queues, in name order, as the image has them. */
enum { Q_ALPHA, Q_BETA, Q_DELTA, Q_EPSILON, Q_GAMMA, Q_ZETA, NR_Q };
static const char *const q_name[NR_Q] = {
	"/alpha", "/beta", "/delta", "/epsilon", "/gamma", "/zeta",
};

static const long q_maxmsg[NR_Q] = { 40, 10, 3, 1, 4, 2 };
static const long q_msgsize[NR_Q] = { 16384, 8192, 128, 200, 64, 32 };
static const unsigned int q_mode[NR_Q] = { 0640, 0600, 0604, 0660, 0620, 0600 };
static const long q_msgs[NR_Q] = { 7, 10, 1, 1, 0, 0 };

/* The messages of alpha, as sent. */
static const struct {
	unsigned int prio;
	int size;
} alpha_msg[] = {
	{ 0, 0 }, { 5, 1 }, { 5, 100 }, { 31, 16384 }, { 0, 7 },
	{ 32767, 4096 }, { 5, 9000 },
};

#define NR_ALPHA	7

/* The order mq_receive() returns them in: by priority, then as sent. */
static const int alpha_order[NR_ALPHA] = { 5, 3, 1, 2, 6, 0, 4 };

static unsigned char pat(int salt, int i)
{
	return i * 7 + salt * 41 + 1;
}

/* The message of @size bytes of salt @salt: the salt is its number. */
static void fill_msg(char *buf, int salt, int size)
{
	int i;

	for (i = 0; i < size; i++)
		buf[i] = pat(salt, i);
}

/* Bytes of @buf not as fill_msg() writes them. */
static int bad_msg(const char *buf, int salt, int size)
{
	int i, bad = 0;

	for (i = 0; i < size; i++)
		bad += (unsigned char)buf[i] != pat(salt, i);
	return bad;
}

/* What fstat() and mq_getattr() show of a queue. */
struct q_state {
	int err;
	unsigned int mode, uid, gid;
	struct timespec atime, mtime, ctime;
	long maxmsg, msgsize, curmsgs, flags;
};

/* What reading a queue's descriptor shows. */
struct q_text {
	int err;
	unsigned long qsize;
	int notify, signo, pid;
};

/* What the root's child tells it: once set up, then once done. */
struct kid_report {
	int setup;		/* 0, or the line where the set-up failed */
	int err;
	pid_t pid;
	/* done */
	int wake_len;		/* what mq_receive() on zeta returned */
	unsigned int wake_prio;
	int wake_bad;
	int send_err;		/* errno of its mq_send() to gamma */
	struct q_text delta_before, delta_after;	/* around mq_notify(NULL) */
	int unnotify_err;
};

/* What the root tells the test: once set up, then once done. */
struct mq_report {
	int setup;
	int err;
	unsigned long ns;	/* inode of its IPC namespace */
	struct q_state q[NR_Q];
	long limits[NR_LIMITS];
	struct kid_report kid;
	/* done */
	struct q_state after[NR_Q];
	long limits_after[NR_LIMITS];
	struct q_text gamma_text, delta_text;
	int rcv_len[NR_ALPHA];	/* or -errno */
	unsigned int rcv_prio[NR_ALPHA];
	int rcv_bad[NR_ALPHA];
	int rcv_empty_err;
	long dup_flags, dup_flags_after;	/* of the dup() after mq_setattr() */
	int beta_full_err, beta_rcv_len, beta_send_err;
	unsigned int beta_prio;
	int renotify_err;
	int sig, sig_code, sig_value;
	pid_t sig_pid;
	struct q_text gamma_after;
	int eps_err, eps_len, eps_bad, eps_unlink_err, eps_gone_err;
	long new_maxmsg, new_msgsize;
	int new_err;
	int kid_status;
};

static_assert(sizeof(struct mq_report) <= PIPE_BUF, "report too large");

/*
 * Room for the queues of the tests, counted against RLIMIT_MSGQUEUE of
 * their maker: at restart, the caller of restart(2).  Queues of a tree
 * killed before are freed with its IPC namespace, a little later.
 */
static int msgqueue_room(void)
{
	struct rlimit rl = { 64 << 20, 64 << 20 };

	return setrlimit(RLIMIT_MSGQUEUE, &rl);
}

static unsigned long ipc_ns(void)
{
	struct stat st;

	return stat("/proc/self/ns/ipc", &st) ? 0 : st.st_ino;
}

static void q_stat(mqd_t q, struct q_state *s)
{
	struct mq_attr a;
	struct stat st;

	memset(s, 0, sizeof(*s));
	if (fstat(q, &st) || mq_getattr(q, &a)) {
		s->err = errno;
		return;
	}
	s->mode = st.st_mode;
	s->uid = st.st_uid;
	s->gid = st.st_gid;
	s->atime = st.st_atim;
	s->mtime = st.st_mtim;
	s->ctime = st.st_ctim;
	s->maxmsg = a.mq_maxmsg;
	s->msgsize = a.mq_msgsize;
	s->curmsgs = a.mq_curmsgs;
	s->flags = a.mq_flags;
}

/* The state of queue @i, which is opened for it if @q is -1. */
static void q_stat_name(int i, mqd_t q, struct q_state *s)
{
	mqd_t tmp = q;

	if (q < 0)
		tmp = mq_open(q_name[i], O_RDONLY);
	if (tmp < 0) {
		memset(s, 0, sizeof(*s));
		s->err = errno;
		return;
	}
	q_stat(tmp, s);
	if (q < 0)
		mq_close(tmp);
}

static void q_read_text(mqd_t q, struct q_text *t)
{
	char buf[128];
	ssize_t n;

	memset(t, 0, sizeof(*t));
	n = pread(q, buf, sizeof(buf) - 1, 0);
	if (n < 0) {
		t->err = errno;
		return;
	}
	buf[n] = 0;
	if (sscanf(buf, "QSIZE:%lu NOTIFY:%d SIGNO:%d NOTIFY_PID:%d",
		   &t->qsize, &t->notify, &t->signo, &t->pid) != 4)
		t->err = EBADMSG;
}

static long read_limit(int i)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", limit_file[i]);
	return read_number(path);
}

static int write_limit(int i, long val)
{
	char path[64], buf[32];

	snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", limit_file[i]);
	snprintf(buf, sizeof(buf), "%ld\n", val);
	return write_string(path, buf);
}

static mqd_t make_queue(int i, int flags)
{
	struct mq_attr a = { .mq_maxmsg = q_maxmsg[i],
			     .mq_msgsize = q_msgsize[i] };
	mqd_t q;

	q = mq_open(q_name[i], O_CREAT | O_EXCL | flags, q_mode[i], &a);
	/* Not under the umask. */
	if (q >= 0 && fchmod(q, q_mode[i])) {
		mq_close(q);
		return -1;
	}
	return q;
}

/* The root's descriptors, at fixed numbers so that a check can find them. */
#define FD_ALPHA	40	/* O_RDWR */
#define FD_ALPHA_RO	41	/* O_RDONLY | O_NONBLOCK */
#define FD_ALPHA_DUP	42	/* dup() of FD_ALPHA_RO */
#define FD_BETA_W	43	/* O_WRONLY | O_NONBLOCK */
#define FD_BETA_R	44
#define FD_GAMMA	45	/* O_RDWR */
#define FD_ZETA		46	/* O_WRONLY */
#define FD_KID_DELTA	47	/* the child's, O_RDWR */
#define FD_KID_ZETA	48	/* the child's, O_RDONLY */
#define FD_KID_GAMMA	49	/* the child's, O_WRONLY */
#define FD_GO		50	/* the root's pipe to its child */
#define FD_BACK		51	/* and back */

/*
 * The root's descriptor of each queue to look at it through, or -1 to
 * open it: not gamma, whose registration the root would lose when it
 * closes a descriptor of it, as mq_notify(3) says.
 */
static const int root_fd[NR_Q] = {
	FD_ALPHA, FD_BETA_R, -1, -1, FD_GAMMA, FD_ZETA,
};

static int at(int fd, int want)
{
	if (fd < 0)
		return -1;
	if (fd == want)
		return fd;
	if (dup2(fd, want) != want)
		return -1;
	close(fd);
	return want;
}

static int kid_failed(struct kid_report *k, int line)
{
	k->setup = line;
	k->err = errno;
	return -1;
}

static int kid_set_up(struct kid_report *k)
{
	char buf[128];

	k->pid = getpid();
	if (at(make_queue(Q_DELTA, O_RDWR), FD_KID_DELTA) < 0)
		return kid_failed(k, __LINE__);
	fill_msg(buf, 40, q_msgsize[Q_DELTA]);
	if (mq_send(FD_KID_DELTA, buf, q_msgsize[Q_DELTA], 1) ||
	    fchown(FD_KID_DELTA, KID_UID, KID_GID))
		return kid_failed(k, __LINE__);
	{
		struct sigevent ev = { .sigev_notify = SIGEV_NONE };

		if (mq_notify(FD_KID_DELTA, &ev))
			return kid_failed(k, __LINE__);
	}
	if (at(mq_open(q_name[Q_ZETA], O_RDONLY), FD_KID_ZETA) < 0 ||
	    at(mq_open(q_name[Q_GAMMA], O_WRONLY), FD_KID_GAMMA) < 0)
		return kid_failed(k, __LINE__);
	return 0;
}

static void __noreturn kid_main(void)
{
	struct kid_report k = { 0 };
	char buf[64], c;
	ssize_t n;

	/* Not left behind, holding the namespace, if the test fails. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	kid_set_up(&k);
	if (write(FD_BACK, &k, sizeof(k)) != sizeof(k) || k.setup)
		_exit(80);
	/* Blocked here across the checkpoint. */
	n = mq_receive(FD_KID_ZETA, buf, sizeof(buf), &k.wake_prio);
	k.wake_len = n < 0 ? -errno : n;
	if (n > 0)
		k.wake_bad = bad_msg(buf, 50, n);
	if (read(FD_GO, &c, 1) != 1)
		_exit(81);
	fill_msg(buf, 51, 10);
	k.send_err = mq_send(FD_KID_GAMMA, buf, 10, 3) ? errno : 0;
	q_read_text(FD_KID_DELTA, &k.delta_before);
	k.unnotify_err = mq_notify(FD_KID_DELTA, NULL) ? errno : 0;
	q_read_text(FD_KID_DELTA, &k.delta_after);
	if (write(FD_BACK, &k, sizeof(k)) != sizeof(k))
		_exit(82);
	_exit(0);
}

static int failed(struct mq_report *r, int line)
{
	r->setup = line;
	r->err = errno;
	return -1;
}

static pid_t kid;

static int root_set_up(struct mq_report *r)
{
	struct sigevent ev = {
		.sigev_notify = SIGEV_SIGNAL,
		.sigev_signo = SIGUSR1,
		.sigev_value.sival_int = GAMMA_VALUE,
	};
	int go[2], back[2], i;
	static char buf[16384];
	sigset_t usr1;

	if (unshare(CLONE_NEWIPC))
		return failed(r, __LINE__);
	r->ns = ipc_ns();
	for (i = 0; i < NR_LIMITS; i++)
		if (write_limit(i, limit_val[i]))
			return failed(r, __LINE__);
	/* The signal of gamma's registration is taken by sigtimedwait(). */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &usr1, NULL))
		return failed(r, __LINE__);

	if (at(make_queue(Q_ALPHA, O_RDWR), FD_ALPHA) < 0 ||
	    at(mq_open(q_name[Q_ALPHA], O_RDONLY | O_NONBLOCK), FD_ALPHA_RO) < 0 ||
	    dup2(FD_ALPHA_RO, FD_ALPHA_DUP) != FD_ALPHA_DUP)
		return failed(r, __LINE__);
	for (i = 0; i < NR_ALPHA; i++) {
		fill_msg(buf, i, alpha_msg[i].size);
		if (mq_send(FD_ALPHA, buf, alpha_msg[i].size, alpha_msg[i].prio))
			return failed(r, __LINE__);
	}
	if (at(make_queue(Q_BETA, O_WRONLY | O_NONBLOCK), FD_BETA_W) < 0 ||
	    at(mq_open(q_name[Q_BETA], O_RDONLY), FD_BETA_R) < 0)
		return failed(r, __LINE__);
	for (i = 0; i < q_maxmsg[Q_BETA]; i++) {
		fill_msg(buf, 20 + i, q_msgsize[Q_BETA] - i * 100);
		if (mq_send(FD_BETA_W, buf, q_msgsize[Q_BETA] - i * 100, i % 3))
			return failed(r, __LINE__);
	}
	i = make_queue(Q_EPSILON, O_WRONLY);
	fill_msg(buf, 30, q_msgsize[Q_EPSILON]);
	if (i < 0 || mq_send(i, buf, q_msgsize[Q_EPSILON], 9) || mq_close(i))
		return failed(r, __LINE__);
	if (at(make_queue(Q_GAMMA, O_RDWR), FD_GAMMA) < 0 ||
	    mq_notify(FD_GAMMA, &ev) ||
	    at(make_queue(Q_ZETA, O_WRONLY), FD_ZETA) < 0)
		return failed(r, __LINE__);

	if (pipe(go) || pipe(back) || at(go[0], FD_GO) < 0 ||
	    at(back[1], FD_BACK) < 0)
		return failed(r, __LINE__);
	kid = fork();
	if (kid < 0)
		return failed(r, __LINE__);
	if (!kid) {
		close(go[1]);
		close(back[0]);
		kid_main();
	}
	close(FD_GO);
	close(FD_BACK);
	if (at(go[1], FD_GO) < 0 || at(back[0], FD_BACK) < 0)
		return failed(r, __LINE__);
	if (read_within(FD_BACK, &r->kid, sizeof(r->kid), WAIT_MS))
		return failed(r, __LINE__);
	if (r->kid.setup)
		return -1;
	if (wait_in_syscall(kid, __NR_mq_timedreceive))
		return failed(r, __LINE__);

	for (i = 0; i < NR_Q; i++)
		q_stat_name(i, root_fd[i], &r->q[i]);
	for (i = 0; i < NR_LIMITS; i++)
		r->limits[i] = read_limit(i);
	return 0;
}

static void after_alpha(struct mq_report *r)
{
	static char buf[16384];
	struct mq_attr a = { 0 }, old;
	ssize_t n;
	int i;

	for (i = 0; i < NR_ALPHA; i++) {
		n = mq_receive(FD_ALPHA_RO, buf, sizeof(buf), &r->rcv_prio[i]);
		r->rcv_len[i] = n < 0 ? -errno : n;
		if (n >= 0)
			r->rcv_bad[i] = bad_msg(buf, alpha_order[i], n);
	}
	n = mq_receive(FD_ALPHA_RO, buf, sizeof(buf), NULL);
	r->rcv_empty_err = n < 0 ? errno : 0;
	/* The dup() shares the open file: its flags go with it. */
	r->dup_flags = mq_getattr(FD_ALPHA_DUP, &old) ? -1 : old.mq_flags;
	if (!mq_setattr(FD_ALPHA_RO, &a, &old))
		r->dup_flags_after = mq_getattr(FD_ALPHA_DUP, &a) ? -1 :
				     a.mq_flags;
}

static void after(struct mq_report *r)
{
	static char buf[16384];
	siginfo_t si;
	sigset_t usr1;
	struct timespec ts = { .tv_sec = WAIT_MS / 1000 };
	mqd_t q;
	ssize_t n;
	char c = 0;
	int i, st;

	/* Before anything touches them. */
	for (i = 0; i < NR_Q; i++)
		q_stat_name(i, root_fd[i], &r->after[i]);
	for (i = 0; i < NR_LIMITS; i++)
		r->limits_after[i] = read_limit(i);
	q_read_text(FD_GAMMA, &r->gamma_text);
	q = mq_open(q_name[Q_DELTA], O_RDONLY);
	if (q >= 0) {
		q_read_text(q, &r->delta_text);
		mq_close(q);
	} else {
		r->delta_text.err = errno;
	}

	after_alpha(r);

	r->beta_full_err = mq_send(FD_BETA_W, buf, 1, 0) ? errno : 0;
	n = mq_receive(FD_BETA_R, buf, sizeof(buf), &r->beta_prio);
	r->beta_rcv_len = n < 0 ? -errno : n;
	r->beta_send_err = mq_send(FD_BETA_W, buf, 1, 0) ? errno : 0;

	{
		struct sigevent ev = { .sigev_notify = SIGEV_NONE };

		r->renotify_err = mq_notify(FD_GAMMA, &ev) ? errno : 0;
	}
	/* Wake the child, blocked on zeta; it then sends to gamma. */
	fill_msg(buf, 50, WAKE_LEN);
	mq_send(FD_ZETA, buf, WAKE_LEN, 2);
	write(FD_GO, &c, 1);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	memset(&si, 0, sizeof(si));
	r->sig = sigtimedwait(&usr1, &si, &ts);
	r->sig_code = si.si_code;
	r->sig_value = si.si_value.sival_int;
	r->sig_pid = si.si_pid;
	q_read_text(FD_GAMMA, &r->gamma_after);
	if (read_within(FD_BACK, &r->kid, sizeof(r->kid), WAIT_MS))
		r->kid.wake_len = -ETIMEDOUT;
	r->kid_status = waitpid(kid, &st, 0) == kid ? st : -1;

	q = mq_open(q_name[Q_EPSILON], O_RDONLY);
	r->eps_err = q < 0 ? errno : 0;
	if (q >= 0) {
		n = mq_receive(q, buf, sizeof(buf), NULL);
		r->eps_len = n < 0 ? -errno : n;
		if (n > 0)
			r->eps_bad = bad_msg(buf, 30, n);
		mq_close(q);
	}
	r->eps_unlink_err = mq_unlink(q_name[Q_EPSILON]) ? errno : 0;
	q = mq_open(q_name[Q_EPSILON], O_RDONLY);
	r->eps_gone_err = q < 0 ? errno : 0;

	q = mq_open("/new", O_CREAT | O_EXCL | O_RDONLY, 0600, NULL);
	r->new_err = q < 0 ? errno : 0;
	if (q >= 0) {
		struct mq_attr a;

		if (!mq_getattr(q, &a)) {
			r->new_maxmsg = a.mq_maxmsg;
			r->new_msgsize = a.mq_msgsize;
		}
		mq_close(q);
	}
}

static void __noreturn mq_root(void)
{
	struct mq_report r = { 0 };
	char c;

	root_set_up(&r);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r) || r.setup || r.kid.setup)
		_exit(90);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(91);
	after(&r);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(92);
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* The test's side                                                     */

FIXTURE(mqueue) {
	struct piped_child pc;
	struct mq_report before;
};

FIXTURE_VARIANT(mqueue) {
	int restarts;		/* 0: the tree goes on after the checkpoint */
};

FIXTURE_VARIANT_ADD(mqueue, continues) {
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(mqueue, restarts) {
	.restarts = 1,
};

FIXTURE_VARIANT_ADD(mqueue, restarts_twice) {
	.restarts = 2,
};

static bool ts_eq(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

static void expect_queue(struct __test_metadata *_metadata, int i,
			 const struct q_state *s, const struct q_state *b,
			 bool times)
{
	EXPECT_EQ(0, s->err) TH_LOG("%s: %s", q_name[i], strerror(s->err));
	EXPECT_EQ(S_IFREG | q_mode[i], s->mode) TH_LOG("%s", q_name[i]);
	EXPECT_EQ(i == Q_DELTA ? KID_UID : 0, s->uid) TH_LOG("%s", q_name[i]);
	EXPECT_EQ(i == Q_DELTA ? KID_GID : 0, s->gid) TH_LOG("%s", q_name[i]);
	EXPECT_EQ(q_maxmsg[i], s->maxmsg) TH_LOG("%s", q_name[i]);
	EXPECT_EQ(q_msgsize[i], s->msgsize) TH_LOG("%s", q_name[i]);
	EXPECT_EQ(q_msgs[i], s->curmsgs) TH_LOG("%s", q_name[i]);
	if (!times)
		return;
	EXPECT_TRUE(ts_eq(b->atime, s->atime)) TH_LOG("%s atime", q_name[i]);
	EXPECT_TRUE(ts_eq(b->mtime, s->mtime)) TH_LOG("%s mtime", q_name[i]);
	EXPECT_TRUE(ts_eq(b->ctime, s->ctime)) TH_LOG("%s ctime", q_name[i]);
}

FIXTURE_SETUP(mqueue)
{
	struct mq_report *b = &self->before;
	int i;

	ASSERT_EQ(0, msgqueue_room());
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, mq_root));
	ASSERT_EQ(0, read_within(self->pc.res, b, sizeof(*b), WAIT_MS));
	ASSERT_EQ(0, b->setup) TH_LOG("set-up failed at line %d: %s", b->setup,
				      strerror(b->err));
	ASSERT_EQ(0, b->kid.setup) TH_LOG("set-up of the child failed at line %d: %s",
					  b->kid.setup, strerror(b->kid.err));
	ASSERT_NE(ipc_ns(), b->ns) TH_LOG("the root is in our IPC namespace");
	for (i = 0; i < NR_LIMITS; i++)
		EXPECT_EQ(limit_val[i], b->limits[i]) TH_LOG("limit %d", i);
	for (i = 0; i < NR_Q; i++)
		expect_queue(_metadata, i, &b->q[i], &b->q[i], false);
	ASSERT_EQ(0, wait_in_read(self->pc.pid));
}

FIXTURE_TEARDOWN(mqueue)
{
	piped_child_end(&self->pc);
}

static void check(struct __test_metadata *_metadata,
		  const struct mq_report *b, int ctl, int res, pid_t root)
{
	struct mq_report r;
	char c = 0;
	int i;

	ASSERT_EQ(1, write(ctl, &c, 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));

	for (i = 0; i < NR_LIMITS; i++)
		EXPECT_EQ(limit_val[i], r.limits_after[i]) TH_LOG("limit %d", i);
	for (i = 0; i < NR_Q; i++)
		expect_queue(_metadata, i, &r.after[i], &b->q[i], true);
	/* SIGEV_SIGNAL is 0, SIGEV_NONE 1. */
	EXPECT_EQ(0, r.gamma_text.err);
	EXPECT_EQ(SIGEV_SIGNAL, r.gamma_text.notify);
	EXPECT_EQ(SIGUSR1, r.gamma_text.signo);
	EXPECT_EQ(root, r.gamma_text.pid);
	EXPECT_EQ(0, r.delta_text.err);
	EXPECT_EQ(SIGEV_NONE, r.delta_text.notify);
	EXPECT_EQ(b->kid.pid, r.delta_text.pid);
	EXPECT_EQ(q_msgsize[Q_DELTA], r.delta_text.qsize);

	for (i = 0; i < NR_ALPHA; i++) {
		int m = alpha_order[i];

		EXPECT_EQ(alpha_msg[m].size, r.rcv_len[i]) TH_LOG("message %d", i);
		EXPECT_EQ(alpha_msg[m].prio, r.rcv_prio[i]) TH_LOG("message %d", i);
		EXPECT_EQ(0, r.rcv_bad[i]) TH_LOG("message %d", i);
	}
	EXPECT_EQ(EAGAIN, r.rcv_empty_err);
	EXPECT_EQ(O_NONBLOCK, r.dup_flags);
	EXPECT_EQ(0, r.dup_flags_after);

	EXPECT_EQ(EAGAIN, r.beta_full_err);
	/* Priorities 0, 1, 2, 0, ...: the first of priority 2 is the third. */
	EXPECT_EQ(2, r.beta_prio);
	EXPECT_EQ(q_msgsize[Q_BETA] - 2 * 100, r.beta_rcv_len);
	EXPECT_EQ(0, r.beta_send_err);

	EXPECT_EQ(EBUSY, r.renotify_err);
	EXPECT_EQ(SIGUSR1, r.sig);
	EXPECT_EQ(SI_MESGQ, r.sig_code);
	EXPECT_EQ(GAMMA_VALUE, r.sig_value);
	EXPECT_EQ(b->kid.pid, r.sig_pid);
	EXPECT_EQ(0, r.gamma_after.pid) TH_LOG("the registration is used up");

	EXPECT_EQ(WAKE_LEN, r.kid.wake_len);
	EXPECT_EQ(2, r.kid.wake_prio);
	EXPECT_EQ(0, r.kid.wake_bad);
	EXPECT_EQ(0, r.kid.send_err);
	EXPECT_EQ(b->kid.pid, r.kid.delta_before.pid);
	EXPECT_EQ(0, r.kid.unnotify_err);
	EXPECT_EQ(0, r.kid.delta_after.pid);
	EXPECT_EQ(0, r.kid_status);

	EXPECT_EQ(0, r.eps_err);
	EXPECT_EQ(q_msgsize[Q_EPSILON], r.eps_len);
	EXPECT_EQ(0, r.eps_bad);
	EXPECT_EQ(0, r.eps_unlink_err);
	EXPECT_EQ(ENOENT, r.eps_gone_err);

	EXPECT_EQ(0, r.new_err);
	EXPECT_EQ(limit_val[L_MSG_DEF], r.new_maxmsg);
	EXPECT_EQ(limit_val[L_MSGSIZE_DEF], r.new_msgsize);
}

static void check_image(struct __test_metadata *_metadata,
			const struct ckpt_image *img)
{
	static struct ckpt_rec recs[CKPT_MAX_RECS];
	__u32 ref[NR_Q] = { 0 };
	int n, i, q = -1, nr_ns = 0, nr_files[NR_Q] = { 0 };
	int msgs = 0;

	n = image_walk(img, recs, CKPT_MAX_RECS);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		const void *rec = img->buf + recs[i].off;

		switch (recs[i].type) {
		case CKPT_HDR_IPC_MQ_NS: {
			const struct ckpt_hdr_ipc_mq_ns *h = rec;

			nr_ns++;
			EXPECT_EQ(-1, q);
			EXPECT_EQ(limit_val[L_QUEUES], h->queues_max);
			EXPECT_EQ(limit_val[L_MSG], h->msg_max);
			EXPECT_EQ(limit_val[L_MSGSIZE], h->msgsize_max);
			EXPECT_EQ(limit_val[L_MSG_DEF], h->msg_default);
			EXPECT_EQ(limit_val[L_MSGSIZE_DEF], h->msgsize_default);
			break;
		}
		case CKPT_HDR_IPC_MQ: {
			const struct ckpt_hdr_ipc_mq *h = rec;

			if (q >= 0)
				EXPECT_EQ(q_msgs[q], msgs) TH_LOG("messages of %d", q);
			q++;
			msgs = 0;
			ASSERT_GT(NR_Q, q);
			EXPECT_STREQ(q_name[q] + 1, h->name);
			EXPECT_EQ(q_mode[q], h->mode);
			EXPECT_EQ(q_maxmsg[q], h->maxmsg);
			EXPECT_EQ(q_msgsize[q], h->msgsize);
			EXPECT_EQ(q_msgs[q], h->nr_msgs);
			EXPECT_EQ(q == Q_GAMMA || q == Q_DELTA, !!h->notify_pid);
			if (q == Q_GAMMA) {
				EXPECT_EQ(SIGEV_SIGNAL, h->notify);
				EXPECT_EQ(SIGUSR1, h->notify_signo);
				EXPECT_EQ(GAMMA_VALUE, (int)h->notify_value);
			}
			ref[q] = h->h.objref;
			break;
		}
		case CKPT_HDR_IPC_MQ_MSG:
			msgs++;
			break;
		case CKPT_HDR_FILE: {
			const struct ckpt_hdr_file *f = rec;
			int j;

			if (f->kind != CKPT_FILE_MQUEUE)
				break;
			for (j = 0; j < NR_Q && ref[j] != f->mq_ref; j++)
				;
			ASSERT_GT(NR_Q, j) TH_LOG("mq_ref %u", f->mq_ref);
			EXPECT_STREQ(q_name[j], (const char *)(f + 1));
			nr_files[j]++;
			break;
		}
		}
	}
	EXPECT_EQ(1, nr_ns);
	EXPECT_EQ(Q_ZETA, q);
	EXPECT_EQ(q_msgs[Q_ZETA], msgs);
	/* alpha: RDWR and RDONLY (the dup() shares it); beta: two. */
	EXPECT_EQ(2, nr_files[Q_ALPHA]);
	EXPECT_EQ(2, nr_files[Q_BETA]);
	EXPECT_EQ(1, nr_files[Q_DELTA]);
	EXPECT_EQ(0, nr_files[Q_EPSILON]);
	EXPECT_EQ(2, nr_files[Q_GAMMA]);
	EXPECT_EQ(2, nr_files[Q_ZETA]);
}

struct rounds {
	struct __test_metadata *metadata;
	const struct mq_report *before;
	int done;
};

static void check_restored(struct restart_round *rr, void *arg)
{
	struct rounds *rounds = arg;
	struct __test_metadata *_metadata = rounds->metadata;
	int status;

	check(_metadata, rounds->before, rr->ctl, rr->res, rr->root);
	ASSERT_EQ(rr->root, waitpid(rr->root, &status, 0));
	EXPECT_EQ(0, status);
	rounds->done++;
}

TEST_F_TIMEOUT(mqueue, container, 120)
{
	struct rounds rounds = { _metadata, &self->before, 0 };
	int status;

	if (!variant->restarts) {
		ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE,
					      &self->pc.img, self->pc.log,
					      sizeof(self->pc.log)))
			TH_LOG("%s", self->pc.log);
		check_image(_metadata, &self->pc.img);
		check(_metadata, &self->before, self->pc.ctl, self->pc.res,
		      self->pc.pid);
		ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, &status, 0));
		self->pc.pid = -1;
		EXPECT_EQ(0, status);
		return;
	}
	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE,
					     variant->restarts, check_restored,
					     &rounds))
		TH_LOG("%s", self->pc.log);
	EXPECT_EQ(variant->restarts, rounds.done);
	check_image(_metadata, &self->pc.img);
}

/* ------------------------------------------------------------------ */
/* A queue of our namespace, and refusals                              */

#define OURS_FD		40
#define OURS_MSGS	3

static char ours_name[64];
/*
 * The messages a target finds: it receives one each time, from a queue
 * that outlives it.
 */
static int ours_left;

/* What a plain target tells the test once set up, then once done. */
struct ours_report {
	int setup;
	int err;
	long curmsgs, flags;	/* done: mq_getattr() of its descriptor */
	int rcv_len, rcv_bad;
	unsigned int rcv_prio;
};

static void ours_check(void *arg)
{
	struct ours_report *r = arg;
	struct mq_attr a;
	char buf[128];
	ssize_t n;

	if (!mq_getattr(OURS_FD, &a)) {
		r->curmsgs = a.mq_curmsgs;
		r->flags = a.mq_flags;
	}
	n = mq_receive(OURS_FD, buf, sizeof(buf), &r->rcv_prio);
	r->rcv_len = n < 0 ? -errno : n;
	if (n > 0)
		r->rcv_bad = bad_msg(buf, 60, n);
}

static void __noreturn ours_target(void)
{
	struct ours_report r = { 0 };

	if (at(mq_open(ours_name, O_RDWR | O_NONBLOCK), OURS_FD) < 0) {
		r.setup = __LINE__;
		r.err = errno;
	}
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), ours_check);
}

/* Named after the test process: a target in a namespace of its own too. */
static void name_ours(void)
{
	snprintf(ours_name, sizeof(ours_name), "/ckpt-test-%d", getpid());
}

static mqd_t make_ours(void)
{
	struct mq_attr a = { .mq_maxmsg = 8, .mq_msgsize = 128 };
	char buf[128];
	mqd_t q;
	int i;

	mq_unlink(ours_name);
	ours_left = OURS_MSGS;
	q = mq_open(ours_name, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
	fill_msg(buf, 60, 100);
	for (i = 0; q >= 0 && i < OURS_MSGS; i++)
		if (mq_send(q, buf, 100, 4))
			return -1;
	return q;
}

static void ours_finish(struct __test_metadata *_metadata, int ctl, int res)
{
	struct ours_report r;
	char c = 0;

	ASSERT_EQ(1, write(ctl, &c, 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(ours_left, r.curmsgs);
	ours_left--;
	EXPECT_EQ(O_NONBLOCK, r.flags);
	EXPECT_EQ(100, r.rcv_len);
	EXPECT_EQ(4, r.rcv_prio);
	EXPECT_EQ(0, r.rcv_bad);
}

static void ours_restored(struct restart_round *rr, void *arg)
{
	struct __test_metadata *_metadata = arg;
	int status;

	ours_finish(_metadata, rr->ctl, rr->res);
	ASSERT_EQ(rr->root, waitpid(rr->root, &status, 0));
	EXPECT_EQ(0, status);
}

TEST(queue_of_our_namespace)
{
	struct piped_child pc;
	struct ours_report r;
	const struct ckpt_hdr_file *f = NULL;
	mqd_t q;
	long ret;
	int i;

	ASSERT_EQ(0, msgqueue_room());
	name_ours();
	q = make_ours();
	ASSERT_LE(0, q) TH_LOG("%s", strerror(errno));
	ASSERT_LE(0, piped_child_fork(&pc, CTL_FD, RES_FD, ours_target));
	ASSERT_EQ(0, read_within(pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, r.setup) TH_LOG("line %d: %s", r.setup, strerror(r.err));
	ASSERT_EQ(0, wait_in_read(pc.pid));

	ret = kill_and_restart_rounds(&pc, 0, 2, ours_restored, _metadata);
	EXPECT_LT(0, ret) TH_LOG("%s", pc.log);
	for (i = 0; (f = image_rec(&pc.img, CKPT_HDR_FILE, i)); i++)
		if (f->kind == CKPT_FILE_MQUEUE)
			break;
	ASSERT_NE(NULL, f);
	EXPECT_EQ(0, f->mq_ref);
	EXPECT_STREQ(ours_name, (const char *)(f + 1));
	EXPECT_EQ(0, image_count(&pc.img, CKPT_HDR_IPC_MQ));

	/* Made again, it is another queue. */
	mq_close(q);
	mq_unlink(ours_name);
	q = make_ours();
	ASSERT_LE(0, q);
	ret = restart_rounds(&pc.img, 1, CTL_FD, RES_FD, pc.log,
			     sizeof(pc.log), &pc.pid, ours_restored, _metadata);
	EXPECT_EQ(-ESTALE, ret) TH_LOG("%s", pc.log);
	EXPECT_NE(NULL, strstr(pc.log, ours_name)) TH_LOG("%s", pc.log);
	mq_close(q);
	mq_unlink(ours_name);
	piped_child_end(&pc);
}

/* Refusals: the target sets up, is refused, and goes on unharmed. */
enum { R_UNLINKED, R_NOTIFY_OURS, R_THREAD, R_OURS_IN_CONTAINER };

FIXTURE(refusal) {
	struct piped_child pc;
	struct ours_report r;
	mqd_t q;
};

FIXTURE_VARIANT(refusal) {
	int kind;
	const char *says;
};

FIXTURE_VARIANT_ADD(refusal, unlinked) {
	.kind = R_UNLINKED,
	.says = "unlinked while open",
};

FIXTURE_VARIANT_ADD(refusal, registered_on_ours) {
	.kind = R_NOTIFY_OURS,
	.says = "registration",
};

FIXTURE_VARIANT_ADD(refusal, thread_notification) {
	.kind = R_THREAD,
	.says = "SIGEV_THREAD",
};

/* A queue of ours, held by a task with an IPC namespace of its own. */
FIXTURE_VARIANT_ADD(refusal, ours_in_a_container) {
	.kind = R_OURS_IN_CONTAINER,
	.says = "another IPC namespace",
};

static int refusal_kind;

static void __noreturn refusal_target(void)
{
	struct ours_report r = { 0 };
	struct sigevent ev = {
		.sigev_notify = SIGEV_SIGNAL,
		.sigev_signo = SIGUSR2,
	};

	if (refusal_kind == R_THREAD && unshare(CLONE_NEWIPC))
		r.setup = __LINE__;
	else if (refusal_kind == R_THREAD)
		make_ours();
	if (!r.setup && at(mq_open(ours_name, O_RDWR | O_NONBLOCK), OURS_FD) < 0)
		r.setup = __LINE__;
	if (!r.setup && refusal_kind == R_UNLINKED && mq_unlink(ours_name))
		r.setup = __LINE__;
	if (!r.setup && refusal_kind == R_OURS_IN_CONTAINER &&
	    unshare(CLONE_NEWIPC))
		r.setup = __LINE__;
	if (!r.setup && refusal_kind == R_NOTIFY_OURS && mq_notify(OURS_FD, &ev))
		r.setup = __LINE__;
	if (!r.setup && refusal_kind == R_THREAD) {
		/*
		 * What glibc's SIGEV_THREAD does: a netlink socket, its fd
		 * as the signal number.  The kernel takes it as such.
		 */
		int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0);
		char cookie[32] = { 0 };

		ev.sigev_notify = SIGEV_THREAD;
		ev.sigev_signo = nl;
		ev.sigev_value.sival_ptr = cookie;
		if (nl < 0 || syscall(__NR_mq_notify, OURS_FD, &ev))
			r.setup = __LINE__;
	}
	if (r.setup)
		r.err = errno;
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), ours_check);
}

FIXTURE_SETUP(refusal)
{
	refusal_kind = variant->kind;
	ASSERT_EQ(0, msgqueue_room());
	name_ours();
	self->q = make_ours();
	ASSERT_LE(0, self->q) TH_LOG("%s", strerror(errno));
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD,
				      refusal_target));
	ASSERT_EQ(0, read_within(self->pc.res, &self->r, sizeof(self->r),
				 WAIT_MS));
	ASSERT_EQ(0, self->r.setup) TH_LOG("line %d: %s", self->r.setup,
					   strerror(self->r.err));
	ASSERT_EQ(0, wait_in_read(self->pc.pid));
}

FIXTURE_TEARDOWN(refusal)
{
	piped_child_end(&self->pc);
	mq_close(self->q);
	mq_unlink(ours_name);
}

TEST_F(refusal, checkpoint_refused)
{
	long ret;

	ret = checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE, NULL,
			       self->pc.log, sizeof(self->pc.log));
	EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("%s", self->pc.log);
	EXPECT_NE(NULL, strstr(self->pc.log, variant->says)) TH_LOG("%s", self->pc.log);
	EXPECT_NE(NULL, strstr(self->pc.log, ours_name)) TH_LOG("%s", self->pc.log);
	/* Unharmed: its queue as it was. */
	ours_finish(_metadata, self->pc.ctl, self->pc.res);
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, NULL, 0));
	self->pc.pid = -1;
}

TEST_HARNESS_MAIN
