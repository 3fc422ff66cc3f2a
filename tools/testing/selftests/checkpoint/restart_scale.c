// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint and restart of many tasks at work, each in three ways:
 * left running after the checkpoint, killed and restarted, and
 * restarted twice from one image.
 *
 * - tree: 64 processes in a binary tree of depth 6.  Every process
 *   but the root streams a pseudo-random byte sequence of its own (a
 *   function of its index, 32 to 64 KiB long, 3 MiB in all) to its
 *   parent through a pipe, while it reads and checks its own children's
 *   streams with poll() on non-blocking pipes.  Half way each pauses:
 *   it stops writing at a page boundary near the middle of its stream,
 *   and stops reading each child's stream a number of bytes short of
 *   where that child stops (a different number for each pipe), so that
 *   once all have said so on RES_FD every pipe holds a known piece of
 *   its stream.  They then wait for a byte on CTL_FD in one of four ways:
 *   blocked in read(), in poll() with a timeout, in nanosleep(), or
 *   spinning.  The test checkpoints them there, checks that the image
 *   holds the 64 tasks and the 63 pipes with exactly those pieces,
 *   and sends the bytes.  The streams then run to their end; each
 *   parent reaps its children and sends up the records of its subtree,
 *   with the length and checksum of each child's stream as it received
 *   it, and the root hands all 64 to the test, which checks them
 *   against the values it computed itself, and that every process has
 *   the pid, parent, group and session it had before the checkpoint.
 * - threads: 32 threads that run 64 rounds; in each one every thread
 *   adds to its own slot and to a shared atomic counter, takes its turn
 *   in a ring handoff under a mutex (each waiting on its own condition
 *   variable, some with a timeout), and waits on a barrier.  In the
 *   middle round the thread holding the token stops, once all others
 *   are in their barrier or condition variable waits (some spinning on
 *   the token), reports the tids and the sums so far, and waits for a
 *   byte on CTL_FD.  After the checkpoint all rounds end; the main
 *   thread, in pthread_join() meanwhile, reports the sums, the order of
 *   the handoffs and each thread's tid, checked against their expected
 *   values and the tids from before the checkpoint.
 *
 * The results depend on no timing: only where the tasks are when the
 * checkpoint comes does.  A task that finds something wrong says so in
 * its report; a test that gets no report in PHASE_MS fails saying which
 * step it waited for.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#define CTL_FD		100	/* the tasks wait for a byte here */
#define RES_FD		101	/* and report here */
#define OUT_FD		102	/* a process's stream to its parent */

#define PHASE_MS	45000	/* the longest wait for a step of a test */
#define TEST_SECS	120	/* the harness's bound for a whole test */

#define REC_MAGIC	0x5343414cU
#define REC_GATE	1	/* a task is where the checkpoint should find it */
#define REC_FINAL	2	/* its results */

/* Exit statuses of a task that could not report */
#define EXIT_SETUP	2
#define EXIT_WRITE	3
#define EXIT_GO		4
#define EXIT_REPORT	5

#define FNV_BASIS	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

static __u64 mix64(__u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static __u64 fnv(__u64 h, const unsigned char *p, size_t n)
{
	while (n--) {
		h ^= *p++;
		h *= FNV_PRIME;
	}
	return h;
}

static __s64 mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Close every descriptor from 3 up but CTL_FD, RES_FD and OUT_FD. */
static void close_others(void)
{
	close_range(3, CTL_FD - 1, 0);
	close_range(OUT_FD + 1, ~0U, 0);
}

static int write_all(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

/* Read up to @len bytes for at most PHASE_MS; returns how many came. */
static size_t read_timeout(int fd, void *buf, size_t len)
{
	__s64 end = mono_ms() + PHASE_MS;
	size_t done = 0;

	while (done < len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		__s64 left = end - mono_ms();
		ssize_t n;
		int ret;

		if (left <= 0)
			break;
		ret = poll(&pfd, 1, (int)left);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0)
			break;
		n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += n;
	}
	return done;
}

/* waitpid() for at most PHASE_MS: the pid, or 0 if it did not end. */
static pid_t wait_timeout(pid_t pid, int *status)
{
	__s64 end = mono_ms() + PHASE_MS;
	pid_t ret;

	while ((ret = waitpid(pid, status, WNOHANG | __WALL)) == 0 &&
	       mono_ms() < end)
		usleep(2000);
	return ret;
}

/*
 * Wait until none of @pids exists any more, reaping what ends up ours
 * (the test is a subreaper); false after PHASE_MS.
 */
static bool wait_gone(const pid_t *pids, int n)
{
	__s64 end = mono_ms() + PHASE_MS;

	for (;;) {
		int i, alive = 0;

		while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
			;
		for (i = 0; i < n; i++)
			if (pids[i] > 0 && (!kill(pids[i], 0) || errno != ESRCH))
				alive++;
		if (!alive)
			return true;
		if (mono_ms() > end)
			return false;
		usleep(2000);
	}
}

/* ------------------------------------------------------------------ */
/* A tree of processes streaming to their parents                      */

#define NR_PROCS	64
#define MAX_KIDS	2
#define CHUNK		4096
#define SUBTREE_MAX	(NR_PROCS / 2)	/* processes under a child of the root */

/* Process 0 is the root; process i > 0 is a child of (i - 1) / 2. */
static int tree_parent(int idx)
{
	return (idx - 1) / 2;
}

static bool in_subtree(int idx, int top)
{
	while (idx > top)
		idx = tree_parent(idx);
	return idx == top;
}

static int subtree_size(int top)
{
	int i, n = 0;

	for (i = top; i < NR_PROCS; i++)
		n += in_subtree(i, top);
	return n;
}

/* Length of the stream of process @idx, 32 to 64 KiB */
static __u64 stream_len(int idx)
{
	return 32768 + (idx * 7919) % 32768;
}

/* What it writes before the checkpoint: whole pages, about half of it */
static __u64 stream_gate(int idx)
{
	return stream_len(idx) / 2 / CHUNK * CHUNK;
}

/* What its parent leaves in the pipe: no two the same, under 3 pages */
static __u64 stream_held(int idx)
{
	return 256 + idx * 173;
}

/* Bytes @off to @off + @n of the stream of process @idx. */
static void stream_fill(int idx, __u64 off, unsigned char *buf, size_t n)
{
	__u64 w = mix64(((__u64)idx << 48) ^ (off >> 3));
	size_t i;

	for (i = 0; i < n; i++, off++) {
		if (i && !(off & 7))
			w = mix64(((__u64)idx << 48) ^ (off >> 3));
		buf[i] = w >> ((off & 7) * 8);
	}
}

static __u64 stream_csum(int idx)
{
	unsigned char buf[CHUNK];
	__u64 off, len = stream_len(idx), h = FNV_BASIS;

	for (off = 0; off < len; off += CHUNK) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;

		stream_fill(idx, off, buf, n);
		h = fnv(h, buf, n);
	}
	return h;
}

/* What went wrong in a process, the first thing only */
enum proc_err {
	PE_NONE,
	PE_SETUP,	/* making a child: errno */
	PE_READ,	/* reading a child's stream: errno */
	PE_EOF,		/* a child's stream ended early: bytes received */
	PE_DATA,	/* a child's stream had wrong bytes: see its first_bad */
	PE_RECORDS,	/* a child's records were short or malformed */
	PE_EXTRA,	/* bytes after a child's records */
	PE_CHILD,	/* a child did not exit with 0: its wait status */
	PE_LOST,	/* no record came for this process */
	PE_IDENTITY,	/* its pid or parent changed while it ran */
	PE_COUNT
};

static const char * const proc_err_name[PE_COUNT] = {
	[PE_NONE] = "no error",
	[PE_SETUP] = "could not make a child",
	[PE_READ] = "reading a child's stream failed",
	[PE_EOF] = "a child's stream ended early",
	[PE_DATA] = "a child's stream had wrong bytes",
	[PE_RECORDS] = "a child's records were short or malformed",
	[PE_EXTRA] = "a child sent bytes after its records",
	[PE_CHILD] = "a child did not exit with status 0",
	[PE_LOST] = "its record was lost on the way",
	[PE_IDENTITY] = "its pid or parent changed",
};

static const char *pe_name(int err)
{
	return err >= 0 && err < PE_COUNT ? proc_err_name[err] : "unknown error";
}

/* A process's report, 64 bytes: atomic on a pipe */
struct proc_rec {
	__u32 magic;		/* REC_MAGIC */
	__u32 kind;		/* REC_GATE or REC_FINAL */
	__s32 idx;
	__s32 pid, ppid, pgid, sid;
	__s32 err;		/* enum proc_err */
	__s32 err_kid;		/* the child it is about, or -1 */
	__s32 err_val;		/* an errno, count or wait status */
	__u64 bytes;		/* its stream as its parent received it: length, */
	__u64 csum;		/* checksum */
	__s64 first_bad;	/* and offset of the first wrong byte, or -1 */
};

/* How a process waits for the byte that lets it go on */
enum go_mode { GO_READ, GO_POLL, GO_SLEEP, GO_SPIN };

static enum go_mode go_mode(int idx)
{
	if (idx % 16 == 2)
		return GO_SPIN;
	if (idx % 4 == 1)
		return GO_POLL;
	if (idx % 4 == 3)
		return GO_SLEEP;
	return GO_READ;
}

struct kid {
	int idx, fd;
	pid_t pid;
	bool done;		/* end of file seen, or given up */
	__u64 got;		/* stream bytes received */
	__u64 csum;
	__s64 first_bad;
	size_t rec_got;		/* bytes of records received */
	struct proc_rec recs[SUBTREE_MAX];
};

struct proc {
	int idx, nr_kids;
	pid_t pid, ppid;
	__u64 sent;		/* stream bytes written */
	struct kid kid[MAX_KIDS];
	struct proc_rec rec[NR_PROCS];	/* the records of the subtree, by index */
	bool have[NR_PROCS];
};

static void proc_err(struct proc *p, int err, int kid, int val)
{
	struct proc_rec *r = &p->rec[p->idx];

	if (!r->err) {
		r->err = err;
		r->err_kid = kid;
		r->err_val = val;
	}
}

static void proc_fill(struct proc *p, __u32 kind)
{
	struct proc_rec *r = &p->rec[p->idx];

	r->magic = REC_MAGIC;
	r->kind = kind;
	r->idx = p->idx;
	r->pid = getpid();
	r->ppid = getppid();
	r->pgid = getpgid(0);
	r->sid = getsid(0);
	if (r->pid != p->pid || r->ppid != p->ppid)
		proc_err(p, PE_IDENTITY, -1, r->pid);
}

static void kid_done(struct kid *k)
{
	close(k->fd);
	k->fd = -1;
	k->done = true;
}

/* Write the next piece of our stream, up to @limit. */
static void proc_produce(struct proc *p, __u64 limit)
{
	unsigned char buf[CHUNK];
	size_t n = limit - p->sent < CHUNK ? limit - p->sent : CHUNK;
	ssize_t ret;

	stream_fill(p->idx, p->sent, buf, n);
	ret = write(OUT_FD, buf, n);
	if (ret > 0)
		p->sent += ret;
	else if (ret < 0 && errno != EAGAIN && errno != EINTR)
		_exit(EXIT_WRITE);
}

/* Read what a child sent: its stream up to @limit, then its records. */
static void proc_consume(struct proc *p, struct kid *k, __u64 limit)
{
	size_t want = subtree_size(k->idx) * sizeof(struct proc_rec);
	unsigned char buf[CHUNK], expect[CHUNK];
	ssize_t n;
	size_t i;

	if (k->got < stream_len(k->idx)) {
		n = read(k->fd, buf, limit - k->got < CHUNK ? limit - k->got : CHUNK);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			proc_err(p, n ? PE_READ : PE_EOF, k->idx, n ? errno : k->got);
			kid_done(k);
			return;
		}
		stream_fill(k->idx, k->got, expect, n);
		if (k->first_bad < 0 && memcmp(buf, expect, n)) {
			for (i = 0; buf[i] == expect[i]; i++)
				;
			k->first_bad = k->got + i;
			proc_err(p, PE_DATA, k->idx, 0);
		}
		k->csum = fnv(k->csum, buf, n);
		k->got += n;
		return;
	}
	if (k->rec_got < want) {
		n = read(k->fd, (char *)k->recs + k->rec_got, want - k->rec_got);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			proc_err(p, PE_RECORDS, k->idx, k->rec_got);
			kid_done(k);
			return;
		}
		k->rec_got += n;
		return;
	}
	n = read(k->fd, buf, 1);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n)
		proc_err(p, PE_EXTRA, k->idx, n);
	kid_done(k);
}

/*
 * Stream until our own stream reached its gate and each child's was
 * read up to HELD bytes before its gate; after the go, until all ends.
 */
static void proc_stream(struct proc *p, bool go)
{
	__u64 out_limit = go ? stream_len(p->idx) : stream_gate(p->idx);
	struct pollfd pfd[MAX_KIDS + 1];
	struct kid *who[MAX_KIDS + 1];
	__u64 limit[MAX_KIDS];
	int i, n;

	for (i = 0; i < p->nr_kids; i++) {
		int c = p->kid[i].idx;

		limit[i] = go ? stream_len(c) : stream_gate(c) - stream_held(c);
	}
	for (;;) {
		n = 0;
		if (p->idx && p->sent < out_limit) {
			pfd[n].fd = OUT_FD;
			pfd[n].events = POLLOUT;
			who[n++] = NULL;
		}
		for (i = 0; i < p->nr_kids; i++) {
			struct kid *k = &p->kid[i];

			if (k->done || (!go && k->got == limit[i]))
				continue;
			pfd[n].fd = k->fd;
			pfd[n].events = POLLIN;
			who[n++] = k;
		}
		if (!n)
			return;
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(EXIT_SETUP);
		}
		for (i = 0; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			if (!who[i])
				proc_produce(p, out_limit);
			else
				proc_consume(p, who[i], limit[who[i] - p->kid]);
		}
	}
}

/* Wait for our byte on CTL_FD, as go_mode() says. */
static void proc_wait_go(int idx)
{
	struct pollfd pfd = { .fd = CTL_FD, .events = POLLIN };
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	ssize_t n;
	char c;
	int ret;

	for (;;) {
		switch (go_mode(idx)) {
		case GO_READ:
			ret = 1;
			break;
		case GO_POLL:
			ret = poll(&pfd, 1, 50);
			break;
		case GO_SLEEP:
			nanosleep(&nap, NULL);
			ret = poll(&pfd, 1, 0);
			break;
		case GO_SPIN:
		default:
			ret = poll(&pfd, 1, 0);
			if (!ret)
				sched_yield();
			break;
		}
		if (ret < 0 && errno != EINTR)
			_exit(EXIT_GO);
		if (ret <= 0)
			continue;
		/* As many bytes come as tasks wait: a read finds one. */
		n = read(CTL_FD, &c, 1);
		if (n == 1)
			return;
		if (n < 0 && errno == EINTR)
			continue;
		_exit(EXIT_GO);
	}
}

/* Make up the records of the subtree of @top that did not come. */
static void proc_lost(struct proc *p, int top)
{
	int i;

	for (i = top; i < NR_PROCS; i++) {
		if (!in_subtree(i, top) || p->have[i])
			continue;
		memset(&p->rec[i], 0, sizeof(p->rec[i]));
		p->rec[i].magic = REC_MAGIC;
		p->rec[i].kind = REC_FINAL;
		p->rec[i].idx = i;
		p->rec[i].err = PE_LOST;
		p->rec[i].err_kid = -1;
		p->rec[i].first_bad = -1;
		p->have[i] = true;
	}
}

/* Take a child's records into ours, with what we saw of its stream. */
static void proc_merge(struct proc *p, struct kid *k)
{
	int nr = k->rec_got / sizeof(struct proc_rec), i, bad = 0;

	for (i = 0; i < nr; i++) {
		const struct proc_rec *r = &k->recs[i];

		if (r->magic != REC_MAGIC || r->kind != REC_FINAL ||
		    r->idx < 0 || r->idx >= NR_PROCS ||
		    !in_subtree(r->idx, k->idx) || p->have[r->idx]) {
			bad++;
			continue;
		}
		p->rec[r->idx] = *r;
		p->have[r->idx] = true;
	}
	if (bad)
		proc_err(p, PE_RECORDS, k->idx, bad);
	proc_lost(p, k->idx);
	p->rec[k->idx].bytes = k->got;
	p->rec[k->idx].csum = k->csum;
	p->rec[k->idx].first_bad = k->first_bad;
}

static __noreturn void proc_main(int idx);

/* Make our children, each with a pipe whose write end is its OUT_FD. */
static void proc_fork_kids(struct proc *p)
{
	int c, fds[2];

	for (c = 2 * p->idx + 1; c <= 2 * p->idx + 2 && c < NR_PROCS; c++) {
		struct kid *k = &p->kid[p->nr_kids];
		pid_t pid;

		if (subtree_size(c) > SUBTREE_MAX)
			_exit(EXIT_SETUP);
		if (pipe2(fds, O_NONBLOCK)) {
			proc_err(p, PE_SETUP, c, errno);
			return;
		}
		pid = fork();
		if (pid < 0) {
			proc_err(p, PE_SETUP, c, errno);
			close(fds[0]);
			close(fds[1]);
			return;
		}
		if (!pid) {
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != p->pid ||
			    dup2(fds[1], OUT_FD) != OUT_FD)
				_exit(EXIT_SETUP);
			close_others();
			proc_main(c);
		}
		close(fds[1]);
		memset(k, 0, sizeof(*k));
		k->idx = c;
		k->fd = fds[0];
		k->pid = pid;
		k->csum = FNV_BASIS;
		k->first_bad = -1;
		p->nr_kids++;
	}
}

static __noreturn void proc_main(int idx)
{
	struct proc p;
	int i, st, out = idx ? OUT_FD : RES_FD;

	memset(&p, 0, sizeof(p));
	p.idx = idx;
	p.pid = getpid();
	p.ppid = getppid();
	p.rec[idx].err_kid = -1;
	p.rec[idx].first_bad = -1;
	p.have[idx] = true;
	proc_fork_kids(&p);

	proc_stream(&p, false);
	proc_fill(&p, REC_GATE);
	if (write(RES_FD, &p.rec[idx], sizeof(p.rec[idx])) != sizeof(p.rec[idx]))
		_exit(EXIT_REPORT);
	if (idx)
		close(RES_FD);
	proc_wait_go(idx);
	proc_stream(&p, true);

	for (i = 0; i < p.nr_kids; i++) {
		struct kid *k = &p.kid[i];

		if (waitpid(k->pid, &st, 0) != k->pid)
			proc_err(&p, PE_CHILD, k->idx, -errno);
		else if (!WIFEXITED(st) || WEXITSTATUS(st))
			proc_err(&p, PE_CHILD, k->idx, st);
		proc_merge(&p, k);
	}
	proc_fill(&p, REC_FINAL);
	proc_lost(&p, idx);
	if (idx && fcntl(OUT_FD, F_SETFL, 0))
		_exit(EXIT_REPORT);
	for (i = idx; i < NR_PROCS; i++)
		if (in_subtree(i, idx) &&
		    write_all(out, &p.rec[i], sizeof(p.rec[i])))
			_exit(EXIT_REPORT);
	_exit(0);
}

/* The root of the checkpoint, a child of the test */
static __noreturn void tree_root(void)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL))
		_exit(EXIT_SETUP);
	close_others();
	close(OUT_FD);
	proc_main(0);
}

/* ------------------------------------------------------------------ */
/* Threads in lockstep                                                 */

#define NR_WORKERS	32
#define ROUNDS		64
#define GATE_ROUND	29	/* the round the checkpoint comes in */
#define HOLDER		13	/* the thread holding the token then */
#define STACK_SIZE	(128 * 1024)

enum thr_err {
	TE_NONE,
	TE_SETUP,	/* pthread set-up or join failed */
	TE_TID,		/* a thread's tid changed */
	TE_HANDOFF,	/* a turn came out of order */
	TE_BARRIER,	/* pthread_barrier_wait() failed */
	TE_COUNT
};

static const char * const thr_err_name[TE_COUNT] = {
	[TE_NONE] = "no error",
	[TE_SETUP] = "pthread set-up or join failed",
	[TE_TID] = "its tid changed",
	[TE_HANDOFF] = "it got the token out of turn",
	[TE_BARRIER] = "pthread_barrier_wait() failed",
};

static const char *te_name(int err)
{
	return err >= 0 && err < TE_COUNT ? thr_err_name[err] : "unknown error";
}

struct thr_report {
	__u32 magic;		/* REC_MAGIC */
	__u32 kind;		/* REC_GATE or REC_FINAL */
	__s32 pid, main_tid;
	__s32 err, err_thread;	/* enum thr_err, and the thread it is about */
	__u32 handoffs;		/* turns taken */
	__u32 _pad;
	__u64 counter;		/* the shared counter */
	__u64 chain;		/* hash of the turns in the order taken */
	__s32 tid[NR_WORKERS];		/* as each thread started */
	__s32 tid_end[NR_WORKERS];	/* as it ended (final report) */
	__s32 rounds[NR_WORKERS];	/* rounds done */
	__u64 slot[NR_WORKERS];		/* each thread's own sum */
};

/* Only the child touches this; it starts zeroed there. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t turn[NR_WORKERS];
	pthread_barrier_t barrier;
	int token;		/* whose turn it is; written under lock */
	__u32 handoffs;		/* under lock */
	__u64 chain;		/* under lock */
	__u64 counter;		/* atomic */
	int arrived;		/* atomic: threads where the checkpoint should be */
	int err, err_thread;	/* the first error */
	pid_t tid[NR_WORKERS];
	pid_t tid_end[NR_WORKERS];
	int rounds[NR_WORKERS];
	__u64 slot[NR_WORKERS];
} ts;

static __u64 slot_add(int t, int r)
{
	return mix64(t * 1000003ULL + r);
}

static __u64 counter_add(int t, int r)
{
	return (t + 1) * 1000ULL + r;
}

static __u64 chain_step(__u64 chain, int t, int r)
{
	return (chain ^ ((__u64)t << 8 | r)) * FNV_PRIME;
}

/* The values after @rounds whole rounds, or @handoffs turns */
static __u64 slot_after(int t, int rounds)
{
	__u64 sum = 0;
	int r;

	for (r = 0; r < rounds; r++)
		sum += slot_add(t, r);
	return sum;
}

static __u64 counter_after(int rounds)
{
	__u64 sum = 0;
	int t, r;

	for (r = 0; r < rounds; r++)
		for (t = 0; t < NR_WORKERS; t++)
			sum += counter_add(t, r);
	return sum;
}

static __u64 chain_after(int handoffs)
{
	__u64 chain = FNV_BASIS;
	int h;

	for (h = 0; h < handoffs; h++)
		chain = chain_step(chain, h % NR_WORKERS, h / NR_WORKERS);
	return chain;
}

static void thr_err(int err, int t)
{
	int none = TE_NONE;

	if (__atomic_compare_exchange_n(&ts.err, &none, err, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		ts.err_thread = t;
}

static void thr_fill(struct thr_report *rep, __u32 kind)
{
	int t;

	memset(rep, 0, sizeof(*rep));
	rep->magic = REC_MAGIC;
	rep->kind = kind;
	rep->pid = getpid();
	rep->main_tid = getpid();
	rep->err = __atomic_load_n(&ts.err, __ATOMIC_SEQ_CST);
	rep->err_thread = ts.err_thread;
	rep->handoffs = ts.handoffs;
	rep->counter = __atomic_load_n(&ts.counter, __ATOMIC_SEQ_CST);
	rep->chain = ts.chain;
	for (t = 0; t < NR_WORKERS; t++) {
		rep->tid[t] = ts.tid[t];
		rep->tid_end[t] = ts.tid_end[t];
		rep->rounds[t] = ts.rounds[t];
		rep->slot[t] = ts.slot[t];
	}
}

/* Spinning on the token, at the gate only: running at the checkpoint. */
static bool thr_spins(int t, int r)
{
	return r == GATE_ROUND && t > HOLDER && t % 4 == 3;
}

/* Waiting with a timeout on the condition variable */
static bool thr_timed(int t)
{
	return t % 4 == 1;
}

/* Wait for our turn; return with the lock held. */
static void thr_take_turn(int t, int r)
{
	struct timespec ts_end;

	if (thr_spins(t, r)) {
		while (__atomic_load_n(&ts.token, __ATOMIC_ACQUIRE) != t)
			sched_yield();
		pthread_mutex_lock(&ts.lock);
		return;
	}
	pthread_mutex_lock(&ts.lock);
	while (ts.token != t) {
		if (!thr_timed(t)) {
			pthread_cond_wait(&ts.turn[t], &ts.lock);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts_end);
		ts_end.tv_nsec += 20 * 1000 * 1000;
		if (ts_end.tv_nsec >= 1000000000) {
			ts_end.tv_sec++;
			ts_end.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&ts.turn[t], &ts.lock, &ts_end);
	}
}

/* The token holder at the gate: report once all others wait, then wait. */
static void thr_gate(void)
{
	struct thr_report rep;
	ssize_t n;
	char c;

	while (__atomic_load_n(&ts.arrived, __ATOMIC_SEQ_CST) < NR_WORKERS - 1)
		usleep(1000);
	thr_fill(&rep, REC_GATE);
	if (write(RES_FD, &rep, sizeof(rep)) != sizeof(rep))
		_exit(EXIT_REPORT);
	do {
		n = read(CTL_FD, &c, 1);
	} while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(EXIT_GO);
}

static void *thr_worker(void *arg)
{
	int t = (int)(long)arg, r, ret;
	pid_t tid = syscall(SYS_gettid);

	ts.tid[t] = tid;
	for (r = 0; r < ROUNDS; r++) {
		if (syscall(SYS_gettid) != tid)
			thr_err(TE_TID, t);
		ts.slot[t] += slot_add(t, r);
		__atomic_add_fetch(&ts.counter, counter_add(t, r), __ATOMIC_SEQ_CST);
		if (r == GATE_ROUND && t > HOLDER)
			__atomic_add_fetch(&ts.arrived, 1, __ATOMIC_SEQ_CST);

		thr_take_turn(t, r);
		if (ts.handoffs != (__u32)(r * NR_WORKERS + t))
			thr_err(TE_HANDOFF, t);
		ts.handoffs++;
		ts.chain = chain_step(ts.chain, t, r);
		if (r == GATE_ROUND && t == HOLDER) {
			pthread_mutex_unlock(&ts.lock);
			thr_gate();
			pthread_mutex_lock(&ts.lock);
		}
		__atomic_store_n(&ts.token, (t + 1) % NR_WORKERS, __ATOMIC_RELEASE);
		pthread_cond_signal(&ts.turn[(t + 1) % NR_WORKERS]);
		pthread_mutex_unlock(&ts.lock);

		if (r == GATE_ROUND && t < HOLDER)
			__atomic_add_fetch(&ts.arrived, 1, __ATOMIC_SEQ_CST);
		ret = pthread_barrier_wait(&ts.barrier);
		if (ret && ret != PTHREAD_BARRIER_SERIAL_THREAD)
			thr_err(TE_BARRIER, t);
		ts.rounds[t] = r + 1;
	}
	ts.tid_end[t] = syscall(SYS_gettid);
	return NULL;
}

/* The root of the checkpoint, a child of the test */
static __noreturn void threads_main(void)
{
	pthread_t th[NR_WORKERS];
	pthread_condattr_t ca;
	pthread_attr_t attr;
	struct thr_report rep;
	int t;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL))
		_exit(EXIT_SETUP);
	close_others();
	close(OUT_FD);
	ts.chain = FNV_BASIS;
	if (pthread_mutex_init(&ts.lock, NULL) || pthread_condattr_init(&ca) ||
	    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) ||
	    pthread_barrier_init(&ts.barrier, NULL, NR_WORKERS) ||
	    pthread_attr_init(&attr) || pthread_attr_setstacksize(&attr, STACK_SIZE))
		_exit(EXIT_SETUP);
	for (t = 0; t < NR_WORKERS; t++)
		if (pthread_cond_init(&ts.turn[t], &ca))
			_exit(EXIT_SETUP);
	for (t = 0; t < NR_WORKERS; t++)
		if (pthread_create(&th[t], &attr, thr_worker, (void *)(long)t))
			_exit(EXIT_SETUP);
	for (t = 0; t < NR_WORKERS; t++)
		if (pthread_join(th[t], NULL))
			thr_err(TE_SETUP, t);
	thr_fill(&rep, REC_FINAL);
	rep.main_tid = syscall(SYS_gettid);
	if (write(RES_FD, &rep, sizeof(rep)) != sizeof(rep))
		_exit(EXIT_REPORT);
	_exit(0);
}

/* ------------------------------------------------------------------ */

FIXTURE(scale)
{
	pid_t root;		/* the live root task, if any */
	pid_t image_root;	/* the root task of the image */
	int ctl, res;
	pid_t pids[NR_PROCS];	/* tree: by index, before the checkpoint */
	pid_t ppids[NR_PROCS];
	pid_t tids[NR_WORKERS];	/* threads: by thread, before the checkpoint */
	__u64 csum[NR_PROCS];	/* tree: of each stream */
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_VARIANT(scale)
{
	bool threads;
};

FIXTURE_VARIANT_ADD(scale, tree)
{
	.threads = false,
};

FIXTURE_VARIANT_ADD(scale, threads)
{
	.threads = true,
};

FIXTURE_SETUP(scale)
{
	int i;

	memset(&self->img, 0, sizeof(self->img));
	self->root = -1;
	self->image_root = -1;
	self->ctl = -1;
	self->res = -1;
	/* Orphans of a killed tree come to us, to be reaped. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	if (!variant->threads)
		for (i = 1; i < NR_PROCS; i++)
			self->csum[i] = stream_csum(i);
}

FIXTURE_TEARDOWN(scale)
{
	if (self->root > 0) {
		kill(self->root, SIGKILL);
		waitpid(self->root, NULL, 0);
	}
	/* The rest of a tree dies with its parents. */
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
	if (self->ctl >= 0)
		close(self->ctl);
	if (self->res >= 0)
		close(self->res);
	image_free(&self->img);
}

/* Check the reports of the tree at the gate, and keep its pids. */
static void tree_gate(struct __test_metadata *_metadata,
		      struct _test_data_scale *self)
{
	struct proc_rec r[NR_PROCS];
	size_t n = read_timeout(self->res, r, sizeof(r));
	int i, idx;

	for (i = 0; n != sizeof(r) && i < (int)(n / sizeof(r[0])); i++)
		if (r[i].err)
			TH_LOG("process %d: %s (child %d, %d)", r[i].idx, pe_name(r[i].err),
			       r[i].err_kid, r[i].err_val);
	ASSERT_EQ(sizeof(r), n)
		TH_LOG("%zu of %d processes reached the gate in %d s", n / sizeof(r[0]),
		       NR_PROCS, PHASE_MS / 1000);
	memset(self->pids, 0, sizeof(self->pids));
	for (i = 0; i < NR_PROCS; i++) {
		ASSERT_EQ(REC_MAGIC, r[i].magic);
		ASSERT_EQ(REC_GATE, r[i].kind);
		idx = r[i].idx;
		ASSERT_TRUE(idx >= 0 && idx < NR_PROCS) TH_LOG("index %d", idx);
		ASSERT_EQ(0, self->pids[idx]) TH_LOG("process %d reported twice", idx);
		self->pids[idx] = r[i].pid;
		self->ppids[idx] = r[i].ppid;
		EXPECT_EQ(PE_NONE, r[i].err)
			TH_LOG("process %d: %s (child %d, %d)", idx, pe_name(r[i].err),
			       r[i].err_kid, r[i].err_val);
	}
	ASSERT_EQ(self->root, self->pids[0]);
	for (idx = 0; idx < NR_PROCS; idx++) {
		ASSERT_EQ(idx ? self->pids[tree_parent(idx)] : getpid(), self->ppids[idx])
			TH_LOG("parent of process %d", idx);
	}
	/* Those that wait in read() are asleep there. */
	for (idx = 0; idx < NR_PROCS; idx++) {
		if (go_mode(idx) != GO_READ)
			continue;
		ASSERT_EQ(0, wait_in_read(self->pids[idx]))
			TH_LOG("process %d (pid %d) not asleep in read()", idx,
			       self->pids[idx]);
	}
}

/* Check the report of the threads at the gate, and keep their tids. */
static void threads_gate(struct __test_metadata *_metadata,
			 struct _test_data_scale *self)
{
	int handoffs = GATE_ROUND * NR_WORKERS + HOLDER + 1, t, u;
	struct thr_report rep;
	size_t n = read_timeout(self->res, &rep, sizeof(rep));

	ASSERT_EQ(sizeof(rep), n)
		TH_LOG("the threads did not reach the gate in %d s", PHASE_MS / 1000);
	ASSERT_EQ(REC_MAGIC, rep.magic);
	ASSERT_EQ(REC_GATE, rep.kind);
	EXPECT_EQ(TE_NONE, rep.err)
		TH_LOG("thread %d: %s", rep.err_thread, te_name(rep.err));
	EXPECT_EQ(self->root, rep.pid);
	/* Where they are is known: GATE_ROUND rounds and a half done. */
	EXPECT_EQ(handoffs, rep.handoffs);
	EXPECT_EQ(chain_after(handoffs), rep.chain);
	EXPECT_EQ(counter_after(GATE_ROUND + 1), rep.counter);
	for (t = 0; t < NR_WORKERS; t++) {
		EXPECT_EQ(slot_after(t, GATE_ROUND + 1), rep.slot[t]) TH_LOG("thread %d", t);
		EXPECT_EQ(GATE_ROUND, rep.rounds[t]) TH_LOG("thread %d", t);
		ASSERT_LT(0, rep.tid[t]);
		ASSERT_NE(self->root, rep.tid[t]);
		for (u = 0; u < t && rep.tid[u] != rep.tid[t]; u++)
			;
		ASSERT_EQ(t, u) TH_LOG("threads %d and %d have one tid", u, t);
		self->tids[t] = rep.tid[t];
	}
	/* The holder waits in read(), the others in futex() or spin. */
	ASSERT_EQ(0, wait_in_read(self->tids[HOLDER]));
	ASSERT_EQ(0, wait_in_syscall(self->root, __NR_futex))
		TH_LOG("the main thread is not asleep in pthread_join()");
	for (t = 0; t < NR_WORKERS; t++) {
		if (t == HOLDER || thr_spins(t, GATE_ROUND))
			continue;
		ASSERT_EQ(0, wait_in_syscall(self->tids[t], __NR_futex))
			TH_LOG("thread %d (tid %d) not asleep in futex()", t,
			       self->tids[t]);
	}
}

/*
 * The image holds every task, with the pids and parents they had, and
 * for the tree the 63 pipes, each with the HELD bytes of its stream.
 */
static void check_image(struct __test_metadata *_metadata,
			struct _test_data_scale *self, bool threads)
{
	const struct ckpt_image *img = &self->img;
	unsigned char expect[4 * CHUNK];
	bool seen[NR_PROCS] = { false };
	struct ckpt_hdr_tree *tree = NULL;
	int nr_pipes = 0, i, c;
	size_t off = 0;

	while (off + sizeof(struct ckpt_hdr) <= img->len) {
		struct ckpt_hdr *h = (struct ckpt_hdr *)(img->buf + off);
		struct ckpt_hdr_pipe *pp = (struct ckpt_hdr_pipe *)h;

		ASSERT_LE(sizeof(*h), h->len);
		ASSERT_LE(h->len, img->len - off) TH_LOG("record at %zu", off);
		off += CKPT_ALIGN_UP((size_t)h->len);
		if (h->type == CKPT_HDR_TREE && !tree)
			tree = (struct ckpt_hdr_tree *)h;
		if (h->type != CKPT_HDR_PIPE)
			continue;
		nr_pipes++;
		ASSERT_LE(sizeof(*pp), h->len);
		ASSERT_EQ(sizeof(*pp) + pp->nr_bytes, h->len);
		for (c = 1; c < NR_PROCS && stream_held(c) != pp->nr_bytes; c++)
			;
		ASSERT_LT(c, NR_PROCS) TH_LOG("a pipe holds %u bytes", pp->nr_bytes);
		ASSERT_FALSE(seen[c]) TH_LOG("two pipes hold %u bytes", pp->nr_bytes);
		seen[c] = true;
		EXPECT_EQ(CKPT_PIPE_READER | CKPT_PIPE_WRITER, pp->ends);
		ASSERT_LE(pp->nr_bytes, sizeof(expect));
		stream_fill(c, stream_gate(c) - stream_held(c), expect, pp->nr_bytes);
		EXPECT_EQ(0, memcmp(pp + 1, expect, pp->nr_bytes))
			TH_LOG("the pipe from process %d holds other bytes", c);
	}
	EXPECT_EQ(threads ? 0 : NR_PROCS - 1, nr_pipes);
	ASSERT_NE(NULL, tree) TH_LOG("no tree record");
	ASSERT_EQ(threads ? NR_WORKERS + 1 : NR_PROCS, tree->nr_tasks);
	ASSERT_EQ(sizeof(*tree) + tree->nr_tasks * sizeof(struct ckpt_pids),
		  tree->h.len);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < (int)tree->nr_tasks; i++) {
		const struct ckpt_pids *e = (struct ckpt_pids *)(tree + 1) + i;
		const pid_t *ids = threads ? self->tids : self->pids;
		int nr = threads ? NR_WORKERS : NR_PROCS;

		if (threads && e->pid == self->root) {
			EXPECT_EQ(self->root, e->tgid);
			continue;
		}
		for (c = 0; c < nr && ids[c] != e->pid; c++)
			;
		ASSERT_LT(c, nr) TH_LOG("unknown task %d in the image", e->pid);
		ASSERT_FALSE(seen[c]);
		seen[c] = true;
		if (threads) {
			EXPECT_EQ(self->root, e->tgid);
			continue;
		}
		EXPECT_EQ(e->pid, e->tgid);
		EXPECT_EQ(c ? self->pids[tree_parent(c)] : 0, e->ppid)
			TH_LOG("parent of process %d in the image", c);
	}
}

/* Start the tasks, let them reach the gate, checkpoint them there. */
static void start_and_checkpoint(struct __test_metadata *_metadata,
				 struct _test_data_scale *self,
				 const struct _fixture_variant_scale *variant,
				 unsigned long flags)
{
	long ret;

	self->ctl = pipe_at(CTL_FD, true);
	ASSERT_LE(0, self->ctl);
	self->res = pipe_at(RES_FD, false);
	ASSERT_LE(0, self->res);
	fflush(stdout);
	fflush(stderr);
	self->root = fork();
	ASSERT_LE(0, self->root);
	if (!self->root) {
		if (variant->threads)
			threads_main();
		tree_root();
	}
	self->image_root = self->root;
	close(CTL_FD);
	close(RES_FD);
	if (variant->threads)
		threads_gate(_metadata, self);
	else
		tree_gate(_metadata, self);

	ret = checkpoint_image(self->root, flags, &self->img, self->log,
			       sizeof(self->log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s; log: %s", strerror(-ret), self->log);
	check_image(_metadata, self, variant->threads);
}

/* Wait for the root to exit with 0 once it reported. */
static void reap_root(struct __test_metadata *_metadata,
		      struct _test_data_scale *self, pid_t root)
{
	int st = 0;

	ASSERT_EQ(root, wait_timeout(root, &st))
		TH_LOG("the root did not exit in %d s", PHASE_MS / 1000);
	self->root = -1;
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("the root's wait status: %#x", st);
}

static void tree_finish(struct __test_metadata *_metadata,
			struct _test_data_scale *self, pid_t root, int ctl,
			int res)
{
	struct proc_rec r[NR_PROCS], *by_idx[NR_PROCS] = { NULL };
	char go[NR_PROCS];
	int i, idx;
	size_t n;

	memset(go, 'g', sizeof(go));
	ASSERT_EQ(sizeof(go), write(ctl, go, sizeof(go)));
	n = read_timeout(res, r, sizeof(r));
	ASSERT_EQ(sizeof(r), n)
		TH_LOG("the root reported %zu of %d records in %d s", n / sizeof(r[0]),
		       NR_PROCS, PHASE_MS / 1000);
	reap_root(_metadata, self, root);
	for (i = 0; i < NR_PROCS; i++) {
		ASSERT_EQ(REC_MAGIC, r[i].magic);
		ASSERT_EQ(REC_FINAL, r[i].kind);
		idx = r[i].idx;
		ASSERT_TRUE(idx >= 0 && idx < NR_PROCS) TH_LOG("index %d", idx);
		ASSERT_EQ(NULL, by_idx[idx]) TH_LOG("process %d reported twice", idx);
		by_idx[idx] = &r[i];
	}
	for (idx = 0; idx < NR_PROCS; idx++) {
		const struct proc_rec *p = by_idx[idx];

		EXPECT_EQ(PE_NONE, p->err)
			TH_LOG("process %d: %s (child %d, %d)", idx, pe_name(p->err),
			       p->err_kid, p->err_val);
		if (p->err == PE_LOST)
			continue;
		EXPECT_EQ(self->pids[idx], p->pid) TH_LOG("pid of process %d", idx);
		EXPECT_EQ(self->ppids[idx], p->ppid) TH_LOG("parent of process %d", idx);
		EXPECT_EQ(getpgid(0), p->pgid) TH_LOG("group of process %d", idx);
		EXPECT_EQ(getsid(0), p->sid) TH_LOG("session of process %d", idx);
		if (!idx)
			continue;
		EXPECT_EQ(stream_len(idx), p->bytes) TH_LOG("length of stream %d", idx);
		EXPECT_EQ(self->csum[idx], p->csum) TH_LOG("checksum of stream %d", idx);
		EXPECT_EQ(-1, p->first_bad) TH_LOG("stream %d", idx);
	}
	EXPECT_EQ(root, by_idx[0]->pid);
}

static void threads_finish(struct __test_metadata *_metadata,
			   struct _test_data_scale *self, pid_t root, int ctl,
			   int res)
{
	struct thr_report rep;
	size_t n;
	int t;

	ASSERT_EQ(1, write(ctl, "g", 1));
	n = read_timeout(res, &rep, sizeof(rep));
	ASSERT_EQ(sizeof(rep), n)
		TH_LOG("the threads did not finish in %d s", PHASE_MS / 1000);
	reap_root(_metadata, self, root);
	ASSERT_EQ(REC_MAGIC, rep.magic);
	ASSERT_EQ(REC_FINAL, rep.kind);
	EXPECT_EQ(TE_NONE, rep.err)
		TH_LOG("thread %d: %s", rep.err_thread, te_name(rep.err));
	EXPECT_EQ(root, rep.pid);
	EXPECT_EQ(root, rep.main_tid);
	EXPECT_EQ(ROUNDS * NR_WORKERS, rep.handoffs);
	EXPECT_EQ(chain_after(ROUNDS * NR_WORKERS), rep.chain);
	EXPECT_EQ(counter_after(ROUNDS), rep.counter);
	for (t = 0; t < NR_WORKERS; t++) {
		EXPECT_EQ(self->tids[t], rep.tid[t]) TH_LOG("thread %d", t);
		EXPECT_EQ(self->tids[t], rep.tid_end[t]) TH_LOG("thread %d", t);
		EXPECT_EQ(ROUNDS, rep.rounds[t]) TH_LOG("thread %d", t);
		EXPECT_EQ(slot_after(t, ROUNDS), rep.slot[t]) TH_LOG("thread %d", t);
	}
}

/* Let the tasks go on; check what they report and how they end. */
static void go_and_check(struct __test_metadata *_metadata,
			 struct _test_data_scale *self,
			 const struct _fixture_variant_scale *variant)
{
	if (variant->threads)
		threads_finish(_metadata, self, self->root, self->ctl, self->res);
	else
		tree_finish(_metadata, self, self->root, self->ctl, self->res);
}

/* Every task of the image is gone: its pids are free for a restart. */
static void wait_all_gone(struct __test_metadata *_metadata,
			  struct _test_data_scale *self,
			  const struct _fixture_variant_scale *variant)
{
	const pid_t *ids = variant->threads ? self->tids : self->pids;
	int nr = variant->threads ? NR_WORKERS : NR_PROCS;

	ASSERT_TRUE(wait_gone(&self->image_root, 1))
		TH_LOG("the root still exists after %d s", PHASE_MS / 1000);
	ASSERT_TRUE(wait_gone(ids, nr))
		TH_LOG("tasks still exist after %d s", PHASE_MS / 1000);
}

static void close_pipes(struct _test_data_scale *self)
{
	close(self->ctl);
	close(self->res);
	self->ctl = -1;
	self->res = -1;
}

TEST_F_TIMEOUT(scale, continues_after_checkpoint, TEST_SECS)
{
	start_and_checkpoint(_metadata, self, variant, 0);
	go_and_check(_metadata, self, variant);
	wait_all_gone(_metadata, self, variant);
}

static void checkpoint_and_kill(struct __test_metadata *_metadata,
				struct _test_data_scale *self,
				const struct _fixture_variant_scale *variant)
{
	int st = 0;

	start_and_checkpoint(_metadata, self, variant, CHECKPOINT_KILL);
	ASSERT_EQ(self->root, wait_timeout(self->root, &st));
	self->root = -1;
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		TH_LOG("the root's wait status: %#x", st);
	wait_all_gone(_metadata, self, variant);
	close_pipes(self);
}

static void restart_and_check(struct __test_metadata *_metadata,
			      struct _test_data_scale *self,
			      const struct _fixture_variant_scale *variant)
{
	long pid;

	pid = restart_with_pipes(&self->img, CTL_FD, &self->ctl, RES_FD,
				 &self->res, self->log, sizeof(self->log), NULL);
	if (pid > 0)
		self->root = pid;
	ASSERT_EQ(self->image_root, pid)
		TH_LOG("restart: %s; log: %s", pid < 0 ? strerror(-pid) : "another pid",
		       self->log);
	go_and_check(_metadata, self, variant);
	wait_all_gone(_metadata, self, variant);
	close_pipes(self);
}

TEST_F_TIMEOUT(scale, restarts_with_the_same_tasks, TEST_SECS)
{
	checkpoint_and_kill(_metadata, self, variant);
	restart_and_check(_metadata, self, variant);
}

TEST_F_TIMEOUT(scale, restarts_twice_from_one_image, TEST_SECS)
{
	checkpoint_and_kill(_metadata, self, variant);
	restart_and_check(_metadata, self, variant);
	restart_and_check(_metadata, self, variant);
}

TEST_HARNESS_MAIN
