// SPDX-License-Identifier: GPL-2.0
/*
 * Consistency under load.  A busy tree of processes is checkpointed over
 * and over while it runs, by two checkpointers at once, and while it is
 * being killed; kept images of it are restarted.  Every task of the tree
 * checks what it sees all the time, so that whatever a checkpoint or a
 * restart breaks shows up as an error of the task that saw it.
 *
 * The tree, in a process group that the root leads:
 *
 *   root      reads commands on CTL_FD and passes them on to its
 *             children: a query as sigqueue(2) of SIGUSR1 carrying its
 *             number, stop as SIGUSR2.  At the end it reaps them and
 *             checks that each exited with 0.
 *   mem       three memory threads, a POSIX timer (SIGRTMIN) and
 *             ITIMER_REAL (SIGALRM), whose handlers count the signals
 *             and check their siginfo.
 *   stream_a  two pipes and a unix stream socket pair between them
 *   stream_b  carry four byte streams, one each way of each.  A sender
 *             thread writes its stream in chunks of changing sizes; the
 *             receiver thread checks every byte it reads against the one
 *             that must come next, so a byte lost, duplicated or out of
 *             order is an error at once.
 *   forker    a thread forks grandchildren one after the other: each
 *             checks a block the forker filled for it and exits with a
 *             status made from its number, which the forker checks once
 *             waitpid(-1) gives it back.  A child it did not make, or
 *             one that is missing, is an error.
 *
 * Every process also runs a memory thread, which fills a block with
 * (round, thread, checksum) entries, sleeps a little, and checks the
 * whole block before it starts the next round.  The test sends numbered
 * queries: each process checks that a query is the one after the last
 * it answered, and reports on RES_FD its counters (rounds, signals,
 * bytes sent and received, grandchildren reaped) and its errors.  On
 * stop, the senders end their streams, the receivers read them to the
 * end, and every process reports a last time and exits.
 *
 * The tests:
 *
 * - rounds_and_restarts: ROUNDS checkpoints of the running tree, which
 *   goes on, with a query after each; every k-th image is kept (KEEP at
 *   most).  Then the tree stops: no task saw an error, and every stream
 *   delivered exactly the bytes that were sent, across all the
 *   checkpoints.  Then RESTARTS of the kept images are restarted, one
 *   after the other.  A restored tree has the same pids and thread ids
 *   and answers the query after the last one before its checkpoint
 *   (every process counts on from its restored memory), its counters
 *   no lower than they were then.  It runs until every counter has
 *   moved, is checkpointed RESTORED_ROUNDS more times, and stops with
 *   the same checks: its streams go on exactly where the image left
 *   them, since the senders' and receivers' positions come from it.
 * - concurrent_checkpoints: two processes checkpoint the running tree at
 *   the same time, over and over.  syscalls.rst documents no error for
 *   this: each call must give an image that restart(2) validates, or
 *   fail with EBUSY or EAGAIN (a kernel that turns the second one away),
 *   and none may hang.  The tree then passes the same checks.
 * - killed_mid_checkpoint: a fresh tree is killed with SIGKILL at a
 *   random time within one and a half times the length of a checkpoint
 *   of it, while another process checkpoints it (with CHECKPOINT_KILL
 *   every other time).  The checkpoint returns a valid image or a
 *   refusal: ESRCH, or EOPNOTSUPP for a task that "has exited" (a zombie
 *   root, a process whose main thread exited first).  Every process of
 *   the tree is then gone and reaped by the test.
 * - long_run: the three, with CKPT_LOAD_ROUNDS rounds, half as many
 *   concurrent calls per checkpointer and half as many kills; skipped
 *   unless CKPT_LOAD_ROUNDS is set (CKPT_LOAD_ROUNDS=1000
 *   ./load_consistency -t long_run).
 *
 * A checkpoint of the running tree may also fail with ESRCH because a
 * grandchild is on its way out just then ("is exiting", "has no address
 * space"): that is accepted if its log names a task that is not one of
 * the long-lived ones, and a round then tries again.  Every refusal must
 * come with a line on the log fd, as syscalls.rst says.
 *
 * The checkpoints are made by child processes of the test, so that one
 * that does not return within STALL_MS is killed and reported instead
 * of hanging the test.  The test is a child subreaper: the tasks of a
 * killed tree come back to it to be reaped.  Restart needs
 * CAP_CHECKPOINT_RESTORE for the saved pids: the test runs as root.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#define CTL_FD		100	/* the root reads commands here */
#define RES_FD		101	/* every process writes its reports here */

#define DEFAULT_ROUNDS	50
#define KEEP		4	/* images kept of a run of rounds, at most */
#define RESTARTS	3	/* of which restarted */
#define RESTORED_ROUNDS	2	/* checkpoints of each restored tree */
#define MAX_TRIES	30	/* tries of one round that meet a changing tree */
#define STALL_MS	60000	/* a checkpoint that takes longer hangs */
#define WAIT_MS		30000	/* the longest any other wait may take */
#define RUN_MS		300	/* a restored tree runs at least this long */
#define QUERY_GAP_US	20000	/* between the queries of a wait for progress */

/* How the tree's threads pace themselves, leaving CPU to the rest. */
#define MEM_NAP_US	1000	/* a memory thread, between filling and checking */
#define SEND_NAP_US	500	/* a sender, between chunks */
/*
 * The forker, between grandchildren: often enough that checkpoint(2)
 * meets children forked between its walk and its hold, which it holds
 * too, and with pauses that leave CPU to the rest.
 */
#define FORK_NAP_US	5000
#define POLL_US		5000	/* a main thread, between looks at its flags */
#define TIMER_NS	4000000	/* the POSIX timer's period */
#define ITIMER_US	7000	/* ITIMER_REAL's */
#define TIMER_VALUE	0x10ad	/* the POSIX timer's sigev_value */

/* ------------------------------------------------------------------ */
/* What the tree is made of, and what it reports                      */

enum role { ROOT, MEM, STREAM_A, STREAM_B, FORKER, NR_ROLES };

static const char *const role_names[NR_ROLES] = {
	[ROOT] = "root", [MEM] = "mem", [STREAM_A] = "stream_a",
	[STREAM_B] = "stream_b", [FORKER] = "forker",
};

/* The tasks of each process, its main thread included. */
#define MAX_TASKS	6
static const int nr_tasks_of[NR_ROLES] = {
	[ROOT] = 2, [MEM] = 4, [STREAM_A] = 6, [STREAM_B] = 6, [FORKER] = 3,
};

/* What moves while the tree runs; each is counted by one process. */
enum counter {
	C_MEM_ROOT, C_MEM_0, C_MEM_1, C_MEM_2, C_MEM_A, C_MEM_B, C_MEM_FORKER,
	C_TIMER, C_ITIMER,
	C_SENT_PIPE_AB, C_RECV_PIPE_AB, C_SENT_PIPE_BA, C_RECV_PIPE_BA,
	C_SENT_SOCK_AB, C_RECV_SOCK_AB, C_SENT_SOCK_BA, C_RECV_SOCK_BA,
	C_REAPED,
	NR_COUNTERS
};

static const struct {
	const char *name;
	enum role owner;
} counters[NR_COUNTERS] = {
	[C_MEM_ROOT] = { "memory rounds of root", ROOT },
	[C_MEM_0] = { "memory rounds of mem thread 0", MEM },
	[C_MEM_1] = { "memory rounds of mem thread 1", MEM },
	[C_MEM_2] = { "memory rounds of mem thread 2", MEM },
	[C_MEM_A] = { "memory rounds of stream_a", STREAM_A },
	[C_MEM_B] = { "memory rounds of stream_b", STREAM_B },
	[C_MEM_FORKER] = { "memory rounds of forker", FORKER },
	[C_TIMER] = { "POSIX timer signals", MEM },
	[C_ITIMER] = { "ITIMER_REAL signals", MEM },
	[C_SENT_PIPE_AB] = { "bytes sent on pipe a->b", STREAM_A },
	[C_RECV_PIPE_AB] = { "bytes received on pipe a->b", STREAM_B },
	[C_SENT_PIPE_BA] = { "bytes sent on pipe b->a", STREAM_B },
	[C_RECV_PIPE_BA] = { "bytes received on pipe b->a", STREAM_A },
	[C_SENT_SOCK_AB] = { "bytes sent on socket a->b", STREAM_A },
	[C_RECV_SOCK_AB] = { "bytes received on socket a->b", STREAM_B },
	[C_SENT_SOCK_BA] = { "bytes sent on socket b->a", STREAM_B },
	[C_RECV_SOCK_BA] = { "bytes received on socket b->a", STREAM_A },
	[C_REAPED] = { "grandchildren reaped", FORKER },
};

enum stream { PIPE_AB, PIPE_BA, SOCK_AB, SOCK_BA, NR_STREAMS };

static const struct {
	const char *name;
	enum counter sent, received;
} streams[NR_STREAMS] = {
	[PIPE_AB] = { "pipe a->b", C_SENT_PIPE_AB, C_RECV_PIPE_AB },
	[PIPE_BA] = { "pipe b->a", C_SENT_PIPE_BA, C_RECV_PIPE_BA },
	[SOCK_AB] = { "socket a->b", C_SENT_SOCK_AB, C_RECV_SOCK_AB },
	[SOCK_BA] = { "socket b->a", C_SENT_SOCK_BA, C_RECV_SOCK_BA },
};

/* What a task of the tree can find wrong, with three details each. */
enum fault {
	F_NONE, F_SETUP, F_MEMORY, F_STREAM, F_STREAM_IO, F_TIMER, F_ITIMER,
	F_FORK, F_REAPED, F_GRANDCHILD, F_LEFTOVER, F_QUERY, F_SIGNAL,
	F_CHILD_EXIT, NR_FAULTS
};

static const char *const fault_formats[NR_FAULTS] = {
	[F_NONE] = "(not recorded yet)",
	[F_SETUP] = "set-up step %lld failed, errno %lld (%lld)",
	[F_MEMORY] = "%s: entry %lld is not as written in round %lld",
	[F_STREAM] = "%s: byte %lld is 0x%llx, not the one expected",
	[F_STREAM_IO] = "%s: errno %lld after %lld bytes",
	[F_TIMER] = "POSIX timer signal with si_code %lld, si_timerid %lld, value 0x%llx",
	[F_ITIMER] = "SIGALRM with si_code %lld (%lld, %lld)",
	[F_FORK] = "fork() of grandchild %lld failed, errno %lld (%lld)",
	[F_REAPED] = "waitpid(-1) gave %lld (or -errno), not grandchild %lld (number %lld)",
	[F_GRANDCHILD] = "grandchild number %lld has status 0x%llx, not exit %lld",
	[F_LEFTOVER] = "waitpid(-1, WNOHANG) at the end gave %lld, errno %lld (%lld)",
	[F_QUERY] = "query %lld came after query %lld (si_code %lld)",
	[F_SIGNAL] = "sigqueue() to child %lld failed, errno %lld (%lld)",
	[F_CHILD_EXIT] = "child %lld ended with status 0x%llx (%lld)",
};

/* Set-up steps, the first detail of F_SETUP. */
enum setup_step {
	S_THREAD = 1, S_SIGNALS, S_TIMER, S_ITIMER, S_PIPES, S_FORK, S_READY,
	S_PGRP, S_PDEATHSIG, S_REPORT,
};

#define REPORT_MAGIC	0x4c4f4144

struct report {
	__u32 magic;
	__s32 role;
	__s32 query;		/* the query it answers; 0: the set-up */
	__s32 final;		/* its last report, after it stopped */
	pid_t pid, ppid, pgid;
	pid_t tids[MAX_TASKS];	/* its tasks, tids[0] its main thread */
	__u32 errors;
	__s32 fault;		/* the first error, and what it saw */
	__s64 detail[3];
	__u64 count[NR_COUNTERS];	/* those it counts */
	__s32 status[NR_ROLES];	/* the root's last: its children's wait status */
};

/* What the test writes on CTL_FD. */
struct command {
	__s32 op;
	__s32 query;
};

enum { CMD_QUERY = 1, CMD_STOP };

static __u64 mix(__u64 x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static __s64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Sleep @us, or less if a signal comes. */
static void nap(long us)
{
	struct timespec ts = { us / 1000000, us % 1000000 * 1000 };

	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

/* ------------------------------------------------------------------ */
/* The tree's side.  Each process has its own copy of these.          */

struct entry {
	__u32 round;
	__u32 thread;
	__u64 sum;
};

#define MEM_ENTRIES	1024
#define MEM_THREADS	3	/* the most of one process */
#define GEN_WORDS	512	/* the forker's block for its grandchildren */
#define GC_BAD		200	/* a grandchild's exit when the block is wrong */
#define CHUNK_MAX	3000	/* the most a sender writes at once: < PIPE_BUF */

static enum role my_role;
static pid_t my_kids[NR_ROLES];		/* the root's children, by role */
static __u64 counts[NR_COUNTERS];
static __u32 nr_errors;
static __s32 first_fault;
static __s64 first_detail[3];
static int stopping;			/* stop: SIGUSR2 came */
static int asked;			/* the query that SIGUSR1 brought */
static int answered;			/* the last query answered */
static pid_t tids[MAX_TASKS];
static int nr_slots, nr_ready;
static pthread_t threads[MAX_TASKS];
static int nr_threads;
static struct entry mem_blocks[MEM_THREADS][MEM_ENTRIES];
static __u64 gen_block[GEN_WORDS];
static int timer_id = -1;
static int pipe_ab[2], pipe_ba[2], sock[2];

static bool stop_requested(void)
{
	return __atomic_load_n(&stopping, __ATOMIC_SEQ_CST);
}

static void count_set(enum counter c, __u64 v)
{
	__atomic_store_n(&counts[c], v, __ATOMIC_RELAXED);
}

static void count_inc(enum counter c)
{
	__atomic_fetch_add(&counts[c], 1, __ATOMIC_RELAXED);
}

/* Count an error, and keep the first one's details.  Signal safe. */
static void note_fault(enum fault kind, __s64 a, __s64 b, __s64 c)
{
	if (__atomic_fetch_add(&nr_errors, 1, __ATOMIC_SEQ_CST))
		return;
	first_detail[0] = a;
	first_detail[1] = b;
	first_detail[2] = c;
	__atomic_store_n(&first_fault, kind, __ATOMIC_SEQ_CST);
}

/* A process starts afresh: not with what fork() copied of its parent's. */
static void become(enum role role)
{
	my_role = role;
	memset(my_kids, 0, sizeof(my_kids));
	memset(counts, 0, sizeof(counts));
	nr_errors = 0;
	first_fault = F_NONE;
	memset(first_detail, 0, sizeof(first_detail));
	stopping = 0;
	asked = 0;
	answered = 0;
	memset(tids, 0, sizeof(tids));
	nr_slots = 0;
	nr_ready = 0;
	nr_threads = 0;
}

/*
 * The tid of a task, as the kernel gives it now: each task says it again
 * at every turn of its loop, so that a restored task reports its own.
 */
static void note_tid(int slot)
{
	if (slot < MAX_TASKS)
		__atomic_store_n(&tids[slot], gettid(), __ATOMIC_RELAXED);
}

/* Each task of the process takes a slot once it runs. */
static int register_task(void)
{
	int slot = __atomic_fetch_add(&nr_slots, 1, __ATOMIC_SEQ_CST);

	note_tid(slot);
	__atomic_fetch_add(&nr_ready, 1, __ATOMIC_SEQ_CST);
	return slot;
}

static void start_thread(void *(*fn)(void *), void *arg)
{
	int err = E2BIG;

	if (nr_threads < MAX_TASKS - 1)
		err = pthread_create(&threads[nr_threads], NULL, fn, arg);
	if (err)
		note_fault(F_SETUP, S_THREAD, err, nr_threads);
	else
		nr_threads++;
}

static void join_threads(void)
{
	int i;

	for (i = 0; i < nr_threads; i++)
		pthread_join(threads[i], NULL);
}

/* Wait until every task of the process runs, or the set-up failed. */
static void wait_ready(void)
{
	int i;

	for (i = 0; i < WAIT_MS; i++) {
		if (__atomic_load_n(&nr_ready, __ATOMIC_SEQ_CST) ==
		    nr_tasks_of[my_role] ||
		    __atomic_load_n(&nr_errors, __ATOMIC_SEQ_CST))
			return;
		nap(1000);
	}
	note_fault(F_SETUP, S_READY, 0, nr_ready);
}

static void put_report(int query, int final, const int *status)
{
	struct report r = {
		.magic = REPORT_MAGIC,
		.role = my_role,
		.query = query,
		.final = final,
		.pid = getpid(),
		.ppid = getppid(),
		.pgid = getpgid(0),
	};
	int i;

	/* Reports come from the main thread, slot 0. */
	note_tid(0);
	memcpy(r.tids, tids, sizeof(r.tids));
	r.errors = __atomic_load_n(&nr_errors, __ATOMIC_SEQ_CST);
	r.fault = __atomic_load_n(&first_fault, __ATOMIC_SEQ_CST);
	memcpy(r.detail, first_detail, sizeof(r.detail));
	for (i = 0; i < NR_COUNTERS; i++)
		r.count[i] = __atomic_load_n(&counts[i], __ATOMIC_RELAXED);
	if (status)
		memcpy(r.status, status, sizeof(r.status));
	/* Under PIPE_BUF: written at once, whoever else writes. */
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		note_fault(F_SETUP, S_REPORT, errno, query);
}

/* Memory: fill a block for the round, sleep, check all of it. */

static __u64 entry_sum(__u32 round, __u32 thread, unsigned int i)
{
	return mix(((__u64)round << 32 | thread << 16) + i);
}

static void *mem_thread(void *arg)
{
	enum counter c = (long)arg;
	struct entry *b = mem_blocks[c >= C_MEM_0 && c <= C_MEM_2 ? c - C_MEM_0 : 0];
	int slot = register_task();
	unsigned int i;
	__u32 round;

	for (round = 1; ; round++) {
		note_tid(slot);
		for (i = 0; i < MEM_ENTRIES; i++) {
			b[i].round = round;
			b[i].thread = c;
			b[i].sum = entry_sum(round, c, i);
		}
		nap(MEM_NAP_US);
		for (i = 0; i < MEM_ENTRIES; i++) {
			if (b[i].round != round || b[i].thread != c ||
			    b[i].sum != entry_sum(round, c, i)) {
				note_fault(F_MEMORY, c, i, round);
				break;
			}
		}
		count_set(c, round);
		if (stop_requested())
			return NULL;
	}
}

/* Streams: byte @pos of a stream is fixed by the stream and @pos. */

static void stream_bytes(enum stream s, __u64 pos, unsigned char *buf,
			 size_t len)
{
	__u64 word = 0;
	size_t i;

	for (i = 0; i < len; i++, pos++) {
		if (!i || !(pos % 8))
			word = mix((pos / 8) * NR_STREAMS + s + 1);
		buf[i] = word >> (pos % 8 * 8);
	}
}

struct stream_end {
	enum stream s;
	int fd;
	bool sock;
};

static struct stream_end ends[4];

static int write_all(int fd, const unsigned char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

static void *sender(void *arg)
{
	const struct stream_end *e = arg;
	unsigned char buf[CHUNK_MAX];
	__u64 pos = 0;		/* the bytes written, all of them */
	int slot = register_task();
	size_t len;
	int err;

	while (!stop_requested()) {
		note_tid(slot);
		len = 1 + mix(pos) % CHUNK_MAX;
		stream_bytes(e->s, pos, buf, len);
		err = write_all(e->fd, buf, len);
		if (err) {
			note_fault(F_STREAM_IO, e->s, err, pos);
			break;
		}
		pos += len;
		count_set(streams[e->s].sent, pos);
		nap(SEND_NAP_US);
	}
	/* The receiver reads up to here, then end of file. */
	if (e->sock)
		shutdown(e->fd, SHUT_WR);
	else
		close(e->fd);
	return NULL;
}

static void *receiver(void *arg)
{
	const struct stream_end *e = arg;
	unsigned char buf[4096], want[4096];
	__u64 pos = 0;		/* the bytes read and checked */
	int slot = register_task();
	ssize_t n, i;

	for (;;) {
		note_tid(slot);
		n = read(e->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			note_fault(F_STREAM_IO, e->s, errno, pos);
		if (n <= 0)
			return NULL;
		stream_bytes(e->s, pos, want, n);
		if (memcmp(buf, want, n)) {
			for (i = 0; buf[i] == want[i]; i++)
				;
			note_fault(F_STREAM, e->s, pos + i, buf[i]);
		}
		pos += n;
		count_set(streams[e->s].received, pos);
	}
}

static void start_streams(enum role role)
{
	bool a = role == STREAM_A;
	int i;

	ends[0] = (struct stream_end){ a ? PIPE_AB : PIPE_BA,
				       a ? pipe_ab[1] : pipe_ba[1], false };
	ends[1] = (struct stream_end){ a ? PIPE_BA : PIPE_AB,
				       a ? pipe_ba[0] : pipe_ab[0], false };
	ends[2] = (struct stream_end){ a ? SOCK_AB : SOCK_BA, sock[!a], true };
	ends[3] = (struct stream_end){ a ? SOCK_BA : SOCK_AB, sock[!a], true };
	/* The other process's ends: each end has one holder. */
	close(a ? pipe_ab[0] : pipe_ab[1]);
	close(a ? pipe_ba[1] : pipe_ba[0]);
	close(sock[a]);
	for (i = 0; i < 4; i++)
		start_thread(i % 2 ? receiver : sender, &ends[i]);
}

/* Timers of the mem process. */

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	if (si->si_code != SI_TIMER || si->si_timerid != timer_id ||
	    si->si_value.sival_int != TIMER_VALUE)
		note_fault(F_TIMER, si->si_code, si->si_timerid,
			   si->si_value.sival_int);
	count_inc(C_TIMER);
}

static void on_itimer(int sig, siginfo_t *si, void *uc)
{
	if (si->si_code != SI_KERNEL)
		note_fault(F_ITIMER, si->si_code, 0, 0);
	count_inc(C_ITIMER);
}

/* A handler that restarts the calls it interrupts. */
static int handle(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = {
		.sa_sigaction = fn,
		.sa_flags = SA_SIGINFO | SA_RESTART,
	};

	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static void start_timers(void)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_SIGNAL,
		.sigev_signo = SIGRTMIN,
		.sigev_value.sival_int = TIMER_VALUE,
	};
	struct itimerspec its = {
		.it_value.tv_nsec = TIMER_NS,
		.it_interval.tv_nsec = TIMER_NS,
	};
	struct itimerval itv = {
		.it_value.tv_usec = ITIMER_US,
		.it_interval.tv_usec = ITIMER_US,
	};
	int id;

	if (handle(SIGRTMIN, on_timer) || handle(SIGALRM, on_itimer))
		note_fault(F_SETUP, S_SIGNALS, errno, 0);
	if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id)) {
		note_fault(F_SETUP, S_TIMER, errno, 0);
		return;
	}
	__atomic_store_n(&timer_id, id, __ATOMIC_SEQ_CST);
	if (syscall(SYS_timer_settime, id, 0, &its, NULL))
		note_fault(F_SETUP, S_TIMER, errno, 1);
	if (setitimer(ITIMER_REAL, &itv, NULL))
		note_fault(F_SETUP, S_ITIMER, errno, 0);
}

static void stop_timers(void)
{
	struct itimerval off = { 0 };

	syscall(SYS_timer_delete, timer_id);
	setitimer(ITIMER_REAL, &off, NULL);
}

/* The forker's grandchildren. */

static void __noreturn grandchild(__u64 n)
{
	int i;

	for (i = 0; i < GEN_WORDS; i++)
		if (gen_block[i] != mix(n * GEN_WORDS + i))
			_exit(GC_BAD);
	/* Some live on a little, to be seen running. */
	if (!(n % 4))
		nap(FORK_NAP_US / 2);
	_exit(n % 100);
}

static void *forker_thread(void *arg)
{
	int slot = register_task(), i, st;
	pid_t pid, w;
	__u64 n;

	for (n = 0; !stop_requested(); n++) {
		note_tid(slot);
		for (i = 0; i < GEN_WORDS; i++)
			gen_block[i] = mix(n * GEN_WORDS + i);
		pid = fork();
		if (!pid)
			grandchild(n);
		if (pid < 0) {
			note_fault(F_FORK, n, errno, 0);
			nap(FORK_NAP_US);
			continue;
		}
		do
			w = waitpid(-1, &st, 0);
		while (w < 0 && errno == EINTR);
		if (w != pid)
			note_fault(F_REAPED, w < 0 ? -errno : w, pid, n);
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != n % 100)
			note_fault(F_GRANDCHILD, n, st, n % 100);
		count_set(C_REAPED, n + 1);
		nap(FORK_NAP_US);
	}
	/* Each was reaped: the forker has no child left. */
	w = waitpid(-1, &st, WNOHANG);
	if (w != -1 || errno != ECHILD)
		note_fault(F_LEFTOVER, w, w < 0 ? errno : 0, 0);
	return NULL;
}

/* The children of the root. */

static void on_query(int sig, siginfo_t *si, void *uc)
{
	if (si->si_code != SI_QUEUE)
		note_fault(F_QUERY, si->si_value.sival_int, answered, si->si_code);
	__atomic_store_n(&asked, si->si_value.sival_int, __ATOMIC_SEQ_CST);
}

static void on_stop(int sig, siginfo_t *si, void *uc)
{
	__atomic_store_n(&stopping, 1, __ATOMIC_SEQ_CST);
}

static void __noreturn child_main(enum role role)
{
	int q;

	become(role);
	register_task();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL))
		note_fault(F_SETUP, S_PDEATHSIG, errno, 0);
	close(CTL_FD);
	if (handle(SIGUSR1, on_query) || handle(SIGUSR2, on_stop))
		note_fault(F_SETUP, S_SIGNALS, errno, 0);
	switch (role) {
	case MEM:
		start_thread(mem_thread, (void *)(long)C_MEM_0);
		start_thread(mem_thread, (void *)(long)C_MEM_1);
		start_thread(mem_thread, (void *)(long)C_MEM_2);
		start_timers();
		break;
	case STREAM_A:
	case STREAM_B:
		start_thread(mem_thread, (void *)(long)(role == STREAM_A ?
							C_MEM_A : C_MEM_B));
		start_streams(role);
		break;
	case FORKER:
		start_thread(mem_thread, (void *)(long)C_MEM_FORKER);
		start_thread(forker_thread, NULL);
		break;
	default:
		break;
	}
	wait_ready();
	put_report(0, 0, NULL);

	for (;;) {
		q = __atomic_load_n(&asked, __ATOMIC_SEQ_CST);
		if (q != answered) {
			if (q != answered + 1)
				note_fault(F_QUERY, q, answered, SI_QUEUE);
			answered = q;
			put_report(q, 0, NULL);
		}
		if (stop_requested())
			break;
		nap(POLL_US);
	}
	if (role == MEM)
		stop_timers();
	join_threads();
	put_report(answered, 1, NULL);
	_exit(0);
}

static pid_t fork_child(enum role role)
{
	pid_t pid = fork();

	if (pid < 0)
		note_fault(F_SETUP, S_FORK, errno, role);
	if (!pid)
		child_main(role);
	return pid;
}

static void signal_children(int sig, int value)
{
	union sigval v = { .sival_int = value };
	enum role r;

	for (r = ROOT + 1; r < NR_ROLES; r++)
		if (my_kids[r] > 0 && sigqueue(my_kids[r], sig, v))
			note_fault(F_SIGNAL, r, errno, sig);
}

static void __noreturn root_main(void)
{
	int status[NR_ROLES] = { 0 };
	struct command cmd;
	enum role r;
	ssize_t n;
	pid_t w;

	become(ROOT);
	register_task();
	/* The tree holds CTL_FD, RES_FD and the standard ones: none of ours. */
	close_range(3, CTL_FD - 1, 0);
	close_range(RES_FD + 1, ~0U, 0);
	if (setpgid(0, 0))
		note_fault(F_SETUP, S_PGRP, errno, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL))
		note_fault(F_SETUP, S_PDEATHSIG, errno, 0);
	/* These two hold none of the streams. */
	my_kids[MEM] = fork_child(MEM);
	my_kids[FORKER] = fork_child(FORKER);
	if (pipe(pipe_ab) || pipe(pipe_ba) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sock))
		note_fault(F_SETUP, S_PIPES, errno, 0);
	my_kids[STREAM_A] = fork_child(STREAM_A);
	my_kids[STREAM_B] = fork_child(STREAM_B);
	close(pipe_ab[0]);
	close(pipe_ab[1]);
	close(pipe_ba[0]);
	close(pipe_ba[1]);
	close(sock[0]);
	close(sock[1]);
	start_thread(mem_thread, (void *)(long)C_MEM_ROOT);
	wait_ready();
	put_report(0, 0, NULL);

	for (;;) {
		n = read(CTL_FD, &cmd, sizeof(cmd));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(cmd) || cmd.op != CMD_QUERY)
			break;
		if (cmd.query != answered + 1)
			note_fault(F_QUERY, cmd.query, answered, 0);
		answered = cmd.query;
		signal_children(SIGUSR1, cmd.query);
		put_report(cmd.query, 0, NULL);
	}

	signal_children(SIGUSR2, 0);
	__atomic_store_n(&stopping, 1, __ATOMIC_SEQ_CST);
	join_threads();
	for (r = ROOT + 1; r < NR_ROLES; r++) {
		if (my_kids[r] <= 0)
			continue;
		do
			w = waitpid(my_kids[r], &status[r], 0);
		while (w < 0 && errno == EINTR);
		if (w != my_kids[r])
			note_fault(F_CHILD_EXIT, r, -errno, w);
		else if (status[r])
			note_fault(F_CHILD_EXIT, r, status[r], 0);
	}
	put_report(answered, 1, status);
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* The test's side: the tree as the test sees it                      */

struct tree {
	pid_t root;			/* -1: none */
	int ctl, res;			/* our ends of CTL_FD and RES_FD */
	int query;			/* the last query sent */
	bool known;			/* tids holds its tasks */
	pid_t tids[NR_ROLES][MAX_TASKS];	/* the long-lived tasks */
	struct report rep[NR_ROLES];	/* the last reports, by role */
	__u64 count[NR_COUNTERS];	/* their counters */
};

static void tree_close(struct tree *t)
{
	if (t->ctl >= 0)
		close(t->ctl);
	if (t->res >= 0)
		close(t->res);
	t->ctl = -1;
	t->res = -1;
	t->root = -1;
	t->known = false;
}

/* Wait for @pid, @ms at most: 0, or -errno (-ETIMEDOUT). */
static int wait_pid_within(pid_t pid, int *status, int ms)
{
	__s64 end = now_ns() + ms * 1000000LL;
	pid_t w;

	for (;;) {
		w = waitpid(pid, status, WNOHANG | __WALL);
		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -errno;
		if (now_ns() > end)
			return -ETIMEDOUT;
		nap(1000);
	}
}

/*
 * Reap our children until we have none, @ms at most: how many were
 * reaped, or -ETIMEDOUT if some remain.
 */
static int reap_all(int ms)
{
	__s64 end = now_ns() + ms * 1000000LL;
	int n = 0;
	pid_t w;

	for (;;) {
		w = waitpid(-1, NULL, WNOHANG | __WALL);
		if (w > 0) {
			n++;
			continue;
		}
		if (w < 0 && errno == ECHILD)
			return n;
		if (w < 0 && errno != EINTR)
			return -errno;
		if (now_ns() > end)
			return -ETIMEDOUT;
		nap(1000);
	}
}

/* The first error of a report, in words. */
static void describe(const struct report *r, char *buf, size_t size)
{
	const char *name = "";
	int n;

	n = snprintf(buf, size, "%s (pid %d): %u errors, the first: ",
		     role_names[r->role], r->pid, r->errors);
	if (r->fault < 0 || r->fault >= NR_FAULTS) {
		snprintf(buf + n, size - n, "of kind %d", r->fault);
		return;
	}
	/* These name their memory thread or stream first. */
	if (r->fault == F_MEMORY && r->detail[0] >= 0 &&
	    r->detail[0] < NR_COUNTERS)
		name = counters[r->detail[0]].name;
	if ((r->fault == F_STREAM || r->fault == F_STREAM_IO) &&
	    r->detail[0] >= 0 && r->detail[0] < NR_STREAMS)
		name = streams[r->detail[0]].name;
	if (r->fault == F_MEMORY || r->fault == F_STREAM ||
	    r->fault == F_STREAM_IO)
		snprintf(buf + n, size - n, fault_formats[r->fault], name,
			 (long long)r->detail[1], (long long)r->detail[2]);
	else
		snprintf(buf + n, size - n, fault_formats[r->fault],
			 (long long)r->detail[0], (long long)r->detail[1],
			 (long long)r->detail[2]);
}

/*
 * Read a report of every process of @t for @query, @final or not, and
 * check them: no errors, the same tasks as before, the root a child of
 * ours leading the group of the others, its children.
 */
static void read_reports(struct __test_metadata *_metadata, struct tree *t,
			 int query, int final)
{
	bool seen[NR_ROLES] = { false };
	struct report r;
	char why[512];
	int i, c, err;

	for (i = 0; i < NR_ROLES; i++) {
		err = read_within(t->res, &r, sizeof(r), WAIT_MS);
		ASSERT_EQ(0, err)
			TH_LOG("only %d of the reports for query %d%s: %s", i,
			       query, final ? " (the last)" : "", strerror(-err));
		ASSERT_EQ(REPORT_MAGIC, r.magic);
		ASSERT_TRUE(r.role >= 0 && r.role < NR_ROLES && !seen[r.role])
			TH_LOG("a report from role %d", r.role);
		seen[r.role] = true;
		EXPECT_EQ(query, r.query)
			TH_LOG("%s answered query %d", role_names[r.role], r.query);
		EXPECT_EQ(final, r.final)
			TH_LOG("%s: final %d", role_names[r.role], r.final);
		if (r.errors) {
			describe(&r, why, sizeof(why));
			EXPECT_EQ(0U, r.errors)
				TH_LOG("query %d%s: %s", query,
				       final ? " (the last report)" : "", why);
		}
		t->rep[r.role] = r;
	}
	for (i = 0; i < NR_ROLES; i++) {
		r = t->rep[i];
		EXPECT_EQ(t->root, r.pgid) TH_LOG("%s", role_names[i]);
		EXPECT_EQ(i == ROOT ? getpid() : t->root, r.ppid)
			TH_LOG("%s", role_names[i]);
		if (t->known)
			EXPECT_EQ(0, memcmp(t->tids[i], r.tids, sizeof(r.tids)))
				TH_LOG("the tasks of %s changed", role_names[i]);
	}
	for (c = 0; c < NR_COUNTERS; c++)
		t->count[c] = t->rep[counters[c].owner].count[c];
}

/* Start a tree; once all its tasks run, they are known. */
static void tree_spawn(struct __test_metadata *_metadata, struct tree *t)
{
	int i, r, n;

	t->ctl = pipe_at(CTL_FD, true);
	t->res = pipe_at(RES_FD, false);
	ASSERT_LE(0, t->ctl);
	ASSERT_LE(0, t->res);
	fflush(stdout);
	fflush(stderr);
	t->root = fork();
	ASSERT_LE(0, t->root);
	if (!t->root)
		root_main();
	close(CTL_FD);
	close(RES_FD);
	t->query = 0;
	t->known = false;
	read_reports(_metadata, t, 0, 0);
	for (r = 0; r < NR_ROLES; r++) {
		memcpy(t->tids[r], t->rep[r].tids, sizeof(t->tids[r]));
		for (n = 0, i = 0; i < MAX_TASKS; i++)
			n += t->tids[r][i] > 0;
		ASSERT_EQ(nr_tasks_of[r], n) TH_LOG("%s", role_names[r]);
	}
	t->known = true;
}

static void tree_query(struct __test_metadata *_metadata, struct tree *t)
{
	struct command cmd = { CMD_QUERY, t->query + 1 };

	ASSERT_EQ(sizeof(cmd), write(t->ctl, &cmd, sizeof(cmd)));
	t->query++;
	read_reports(_metadata, t, t->query, 0);
}

/* Query @t until every counter is past @base and @min_ms went by. */
static void tree_progress(struct __test_metadata *_metadata, struct tree *t,
			  const __u64 *base, int min_ms)
{
	__s64 start = now_ns(), ms;
	int c, stuck;

	for (;;) {
		nap(QUERY_GAP_US);
		tree_query(_metadata, t);
		ms = (now_ns() - start) / 1000000;
		for (stuck = 0, c = 0; c < NR_COUNTERS; c++)
			stuck += t->count[c] <= base[c];
		if (!stuck && ms >= min_ms)
			return;
		if (ms > WAIT_MS)
			break;
	}
	for (c = 0; c < NR_COUNTERS; c++) {
		const char *name = counters[c].name;
		__u64 now = t->count[c];

		EXPECT_LT(base[c], now)
			TH_LOG("%s did not move in %d ms", name, WAIT_MS);
	}
}

/*
 * Stop @t and check its last reports: no errors, every child exited
 * with 0, every stream delivered all that was sent; then the root exits
 * with 0, leaving nothing to reap.
 */
static void tree_stop(struct __test_metadata *_metadata, struct tree *t)
{
	struct command cmd = { CMD_STOP, 0 };
	pid_t root = t->root;
	int s, r, status, err;
	__u64 sent, got;
	pid_t w;

	ASSERT_EQ(sizeof(cmd), write(t->ctl, &cmd, sizeof(cmd)));
	read_reports(_metadata, t, t->query, 1);
	for (r = ROOT + 1; r < NR_ROLES; r++) {
		const char *name = role_names[r];

		status = t->rep[ROOT].status[r];
		EXPECT_EQ(0, status)
			TH_LOG("%s ended with status 0x%x", name, status);
	}
	for (s = 0; s < NR_STREAMS; s++) {
		sent = t->count[streams[s].sent];
		got = t->count[streams[s].received];
		EXPECT_EQ(sent, got)
			TH_LOG("%s: %llu bytes sent, %llu received",
			       streams[s].name, sent, got);
		EXPECT_LT(0ULL, got) TH_LOG("%s", streams[s].name);
	}
	ASSERT_EQ(0, wait_pid_within(root, &status, WAIT_MS))
		TH_LOG("the root did not exit");
	tree_close(t);
	EXPECT_EQ(0, status);
	/* Nothing of the tree came back to us: it reaped all it made. */
	w = waitpid(-1, NULL, WNOHANG | __WALL);
	err = errno;
	EXPECT_EQ(-1, w) TH_LOG("process %d of the tree was left", w);
	EXPECT_EQ(ECHILD, err);
	kill(-root, SIGKILL);
	reap_all(WAIT_MS);
}

/* ------------------------------------------------------------------ */
/* Checkpointers: child processes of the test                         */

#define CALL_LOG	256

struct call {
	long ret;		/* checkpoint(2): its id, or -errno */
	long valid;		/* restart(2) RESTART_VALIDATE of its image */
	__s64 start, end;	/* around checkpoint(2), CLOCK_MONOTONIC */
	char log[CALL_LOG];	/* the start of its log, or of validate's */
};

/* In shared memory: the test sets the first fields, the worker the rest. */
struct worker {
	size_t size;		/* of the mapping */
	int cap;		/* calls it has room for */
	pid_t pid;		/* the checkpointer; -1 once reaped */
	int status;		/* its wait status */
	pid_t target;
	unsigned long flags;
	int nr_calls;
	int export_fd;		/* where the image of its last call goes, or -1 */
	int go;			/* set to start */
	int started, done;	/* calls begun, and calls ended */
	struct call calls[];
};

static struct worker *worker_new(int cap)
{
	size_t size = sizeof(struct worker) + cap * sizeof(struct call);
	struct worker *w = shared_alloc(size);

	if (w) {
		w->size = size;
		w->cap = cap;
		w->pid = -1;
	}
	return w;
}

static void worker_reset(struct worker *w, pid_t target, unsigned long flags,
			 int nr_calls, int export_fd)
{
	w->pid = -1;
	w->status = 0;
	w->target = target;
	w->flags = flags;
	w->nr_calls = nr_calls;
	w->export_fd = export_fd;
	w->go = 0;
	w->started = 0;
	w->done = 0;
	memset(w->calls, 0, nr_calls * sizeof(w->calls[0]));
}

/* A log without its last newline, for TH_LOG. */
static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == '\n')
		s[--n] = '\0';
}

static int export_image(int fd, const struct ckpt_image *img)
{
	if (ftruncate(fd, 0) ||
	    pwrite(fd, img->buf, img->len, 0) != (ssize_t)img->len)
		return -EIO;
	return 0;
}

static void __noreturn worker_main(struct worker *w)
{
	static char log[CKPT_LOG_SIZE];
	struct ckpt_image img = { 0 };
	struct call *c;
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (!__atomic_load_n(&w->go, __ATOMIC_SEQ_CST))
		nap(100);
	for (i = 0; i < w->nr_calls; i++) {
		c = &w->calls[i];
		log[0] = '\0';
		c->start = now_ns();
		__atomic_store_n(&w->started, i + 1, __ATOMIC_SEQ_CST);
		c->ret = checkpoint_image(w->target, w->flags, &img, log,
					  sizeof(log));
		c->end = now_ns();
		if (c->ret > 0)
			c->valid = validate_image(&img, log, sizeof(log));
		if (c->ret > 0 && !c->valid && w->export_fd >= 0 &&
		    i == w->nr_calls - 1 && export_image(w->export_fd, &img)) {
			c->valid = -EIO;
			snprintf(log, sizeof(log), "export: %s", strerror(errno));
		}
		snprintf(c->log, sizeof(c->log), "%s", log);
		chomp(c->log);
		__atomic_store_n(&w->done, i + 1, __ATOMIC_SEQ_CST);
	}
	image_free(&img);
	_exit(0);
}

static void worker_start(struct __test_metadata *_metadata, struct worker *w)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	/* Not straight into w->pid: the child shares it. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		worker_main(w);
	w->pid = pid;
}

static void worker_kill(struct worker *w)
{
	if (w->pid <= 0)
		return;
	kill(w->pid, SIGKILL);
	if (!wait_pid_within(w->pid, &w->status, WAIT_MS))
		w->pid = -1;
}

/*
 * Let @n workers go and wait for them to end.  If none begins or ends a
 * call for STALL_MS, they hang: they are killed, and @why says where
 * they were.  True if they all ended by themselves.
 */
static bool workers_wait(struct worker **w, int n, char *why, size_t size)
{
	int progress = -1, sum, alive, len, i;
	__s64 last = now_ns();

	for (i = 0; i < n; i++)
		__atomic_store_n(&w[i]->go, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		alive = 0;
		sum = 0;
		for (i = 0; i < n; i++) {
			if (w[i]->pid > 0 &&
			    waitpid(w[i]->pid, &w[i]->status, WNOHANG) == w[i]->pid)
				w[i]->pid = -1;
			alive += w[i]->pid > 0;
			sum += __atomic_load_n(&w[i]->started, __ATOMIC_SEQ_CST) +
			       __atomic_load_n(&w[i]->done, __ATOMIC_SEQ_CST);
		}
		if (!alive)
			return true;
		if (sum != progress) {
			progress = sum;
			last = now_ns();
		} else if (now_ns() - last > STALL_MS * 1000000LL) {
			break;
		}
		nap(1000);
	}
	len = snprintf(why, size, "no checkpoint(2) returned for %d s:",
		       STALL_MS / 1000);
	for (i = 0; i < n && len < (int)size; i++)
		if (w[i]->pid > 0)
			len += snprintf(why + len, size - len,
					" checkpointer %d is in call %d of %d;",
					i, w[i]->started, w[i]->nr_calls);
	for (i = 0; i < n; i++)
		worker_kill(w[i]);
	return false;
}

/* What a call came to. */
enum verdict {
	V_IMAGE,	/* an image that restart(2) validates */
	V_EXITING,	/* ESRCH, naming a task on its way out; EAGAIN */
	V_BUSY,		/* EBUSY or EAGAIN */
	V_GONE,		/* of a killed tree: ESRCH, or a task that has exited */
	V_BAD,
};

/* Does @log name a task of @t that is not one of its long-lived ones? */
static bool names_passing_task(const struct tree *t, const char *log)
{
	const char *p = strstr(log, "pid ");
	char *end;
	long pid;
	int r, i;

	if (!p)
		return false;
	pid = strtol(p + 4, &end, 10);
	if (end == p + 4 || strncmp(end, " (", 2) || pid <= 0)
		return false;
	for (r = 0; r < NR_ROLES; r++)
		for (i = 0; i < MAX_TASKS; i++)
			if (t->tids[r][i] == pid)
				return false;
	return true;
}

static enum verdict judge(const struct tree *t, const struct call *c,
			  bool killed)
{
	if (c->ret > 0)
		return c->valid ? V_BAD : V_IMAGE;
	/* Every refusal says why on the log. */
	if (!c->log[0])
		return V_BAD;
	if (killed)
		return c->ret == -ESRCH || c->ret == -EAGAIN ||
		       (c->ret == -EOPNOTSUPP && strstr(c->log, "has exited")) ?
		       V_GONE : V_BAD;
	if (c->ret == -ESRCH && names_passing_task(t, c->log))
		return V_EXITING;
	/* A grandchild forked or was reaped while the tree was being held. */
	if (c->ret == -EAGAIN && strstr(c->log, "try again"))
		return V_EXITING;
	if (c->ret == -EBUSY || c->ret == -EAGAIN)
		return V_BUSY;
	return V_BAD;
}

static const char *call_str(const struct call *c, char *buf, size_t size)
{
	if (c->ret > 0)
		snprintf(buf, size, "image, validation %ld (%s): %s", c->valid,
			 c->valid ? strerror(-c->valid) : "ok", c->log);
	else
		snprintf(buf, size, "errno %ld (%s): %s", -c->ret,
			 strerror(-c->ret), c->log[0] ? c->log : "(no log)");
	return buf;
}

#define MAX_ERRNO	200

struct tally {
	unsigned int calls, images, bad;
	unsigned int by_errno[MAX_ERRNO];	/* the refusals */
};

static void tally_add(struct tally *tl, const struct call *c, enum verdict v)
{
	tl->calls++;
	tl->images += v == V_IMAGE;
	tl->bad += v == V_BAD;
	if (c->ret < 0 && -c->ret < MAX_ERRNO)
		tl->by_errno[-c->ret]++;
}

static void tally_print(const char *what, const struct tally *tl)
{
	int e;

	ksft_print_msg("%s: %u calls, %u valid images, %u wrong\n", what,
		       tl->calls, tl->images, tl->bad);
	for (e = 1; e < MAX_ERRNO; e++)
		if (tl->by_errno[e])
			ksft_print_msg("  %u refused with errno %d (%s)\n",
				       tl->by_errno[e], e, strerror(e));
}

/* ------------------------------------------------------------------ */
/* The tests                                                          */

/* An image kept, and what the tree had said before it. */
struct kept {
	struct ckpt_image img;
	int round;
	int query;			/* the last query before it */
	__u64 count[NR_COUNTERS];	/* the counters then */
	pid_t root;
	pid_t tids[NR_ROLES][MAX_TASKS];
};

FIXTURE(load)
{
	struct tree tree;
	struct worker *w[2];
	int export_fd;			/* a worker's image for the test */
	struct kept kept[KEEP];
	int nr_kept;
	int retried;			/* tries that met an exiting task */
	__u64 rng;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(load)
{
	const char *seed = getenv("CKPT_LOAD_SEED");

	memset(self, 0, sizeof(*self));
	self->tree.root = -1;
	self->tree.ctl = -1;
	self->tree.res = -1;
	self->export_fd = -1;
	if (geteuid())
		SKIP(return, "restart(2) of saved pids needs root");
	/* What the killed trees leave comes back to us. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	signal(SIGPIPE, SIG_IGN);
	self->export_fd = memfd_create("load-image", MFD_CLOEXEC);
	ASSERT_LE(0, self->export_fd);
	self->rng = seed && *seed ? strtoull(seed, NULL, 0) :
		    (__u64)now_ns() ^ getpid();
	self->rng |= 1;
}

FIXTURE_TEARDOWN(load)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (!self->w[i])
			continue;
		worker_kill(self->w[i]);
		munmap(self->w[i], self->w[i]->size);
	}
	if (self->tree.root > 0) {
		kill(-self->tree.root, SIGKILL);
		kill(self->tree.root, SIGKILL);
	}
	tree_close(&self->tree);
	reap_all(WAIT_MS);
	for (i = 0; i < KEEP; i++)
		image_free(&self->kept[i].img);
	if (self->export_fd >= 0)
		close(self->export_fd);
}

static __u64 next_random(struct _test_data_load *self)
{
	self->rng ^= self->rng << 13;
	self->rng ^= self->rng >> 7;
	self->rng ^= self->rng << 17;
	return self->rng;
}

/* Worker @i, with room for @cap calls. */
static struct worker *worker_get(struct __test_metadata *_metadata,
				 struct _test_data_load *self, int i, int cap)
{
	if (self->w[i] && self->w[i]->cap < cap) {
		munmap(self->w[i], self->w[i]->size);
		self->w[i] = NULL;
	}
	if (!self->w[i])
		self->w[i] = worker_new(cap);
	EXPECT_NE(NULL, self->w[i]);
	return self->w[i];
}

/*
 * Checkpoint the running tree once, trying again while the checkpoint
 * meets grandchildren on their way out; its image goes to export_fd if
 * @keep.  How long the call that worked took goes to @span, if not NULL.
 */
static void checkpoint_round(struct __test_metadata *_metadata,
			     struct _test_data_load *self, bool keep,
			     __s64 *span)
{
	struct worker *w = worker_get(_metadata, self, 0, 1);
	struct tree *t = &self->tree;
	char why[512];
	enum verdict v;
	int tries;

	ASSERT_NE(NULL, w);
	for (tries = 1; ; tries++) {
		worker_reset(w, t->root, 0, 1, keep ? self->export_fd : -1);
		worker_start(_metadata, w);
		ASSERT_TRUE(workers_wait(&w, 1, why, sizeof(why)))
			TH_LOG("%s", why);
		ASSERT_EQ(0, w->status);
		v = judge(t, &w->calls[0], false);
		if (v == V_IMAGE)
			break;
		ASSERT_EQ(V_EXITING, v)
			TH_LOG("%s", call_str(&w->calls[0], why, sizeof(why)));
		ASSERT_GT(MAX_TRIES, tries)
			TH_LOG("%d tries met exiting tasks, the last: %s", tries,
			       w->calls[0].log);
		self->retried++;
	}
	if (span)
		*span = w->calls[0].end - w->calls[0].start;
}

static void keep_image(struct __test_metadata *_metadata,
		       struct _test_data_load *self, int round)
{
	struct kept *k = &self->kept[self->nr_kept];
	struct tree *t = &self->tree;

	ASSERT_EQ(0, image_read_fd(&k->img, self->export_fd));
	k->round = round;
	k->query = t->query;
	memcpy(k->count, t->count, sizeof(k->count));
	k->root = t->root;
	memcpy(k->tids, t->tids, sizeof(k->tids));
	self->nr_kept++;
}

/*
 * Restart @k: the tree answers the next query from where the image left
 * it, runs, is checkpointed again, and stops with every check passed.
 */
static void restart_kept(struct __test_metadata *_metadata,
			 struct _test_data_load *self, const struct kept *k)
{
	struct tree *t = &self->tree;
	__u64 base[NR_COUNTERS];
	long pid;
	int i, c;

	pid = restart_with_pipes(&k->img, CTL_FD, &t->ctl, RES_FD, &t->res,
				 self->log, sizeof(self->log), NULL);
	if (pid > 0)
		t->root = pid;
	chomp(self->log);
	ASSERT_EQ(k->root, pid)
		TH_LOG("restart of the image of round %d: %s", k->round,
		       self->log);
	t->query = k->query;
	memcpy(t->tids, k->tids, sizeof(t->tids));
	t->known = true;

	/* Query k->query + 1: every process restored its count of them. */
	tree_query(_metadata, t);
	for (c = 0; c < NR_COUNTERS; c++) {
		const char *name = counters[c].name;
		__u64 was = k->count[c], now = t->count[c];

		EXPECT_LE(was, now)
			TH_LOG("%s went back from %llu to %llu", name, was, now);
	}
	memcpy(base, t->count, sizeof(base));
	tree_progress(_metadata, t, base, RUN_MS);

	for (i = 0; i < RESTORED_ROUNDS; i++) {
		checkpoint_round(_metadata, self, false, NULL);
		tree_query(_metadata, t);
	}
	memcpy(base, t->count, sizeof(base));
	tree_progress(_metadata, t, base, 0);
	tree_stop(_metadata, t);
}

static void rounds_and_restarts(struct __test_metadata *_metadata,
				struct _test_data_load *self, int rounds)
{
	int every = rounds / KEEP ? rounds / KEEP : 1, round, i, k;
	struct tree *t = &self->tree;
	__u64 base[NR_COUNTERS];
	bool keep;

	tree_spawn(_metadata, t);
	memcpy(base, t->count, sizeof(base));
	tree_progress(_metadata, t, base, 0);
	for (round = 0; round < rounds; round++) {
		keep = round % every == every - 1 && self->nr_kept < KEEP;
		checkpoint_round(_metadata, self, keep, NULL);
		if (keep)
			keep_image(_metadata, self, round);
		tree_query(_metadata, t);
	}
	/* It still runs, then stops with all its streams whole. */
	memcpy(base, t->count, sizeof(base));
	tree_progress(_metadata, t, base, 0);
	tree_stop(_metadata, t);
	ksft_print_msg("%d checkpoints of the running tree, %d images kept\n",
		       rounds, self->nr_kept);
	ksft_print_msg("  %d more tries met exiting tasks; the last image: %zu bytes\n",
		       self->retried,
		       self->nr_kept ? self->kept[self->nr_kept - 1].img.len : 0);

	self->retried = 0;
	for (i = 0; i < RESTARTS && i < self->nr_kept; i++) {
		k = self->nr_kept <= RESTARTS ? i :
		    i * (self->nr_kept - 1) / (RESTARTS - 1);
		restart_kept(_metadata, self, &self->kept[k]);
		ksft_print_msg("restarted the image of round %d, which ran on and stopped whole\n",
			       self->kept[k].round);
	}
	ksft_print_msg("%d of %d kept images restarted\n", i, self->nr_kept);
	ksft_print_msg("  each checkpointed %d more times; %d more tries met exiting tasks\n",
		       RESTORED_ROUNDS, self->retried);
	for (i = 0; i < KEEP; i++)
		image_free(&self->kept[i].img);
	self->nr_kept = 0;
}

/* Calls of @a that overlapped a call of @b. */
static int overlaps(const struct worker *a, const struct worker *b)
{
	int i, j, n = 0;

	for (i = 0; i < a->done; i++) {
		for (j = 0; j < b->done; j++) {
			if (a->calls[i].start < b->calls[j].end &&
			    b->calls[j].start < a->calls[i].end) {
				n++;
				break;
			}
		}
	}
	return n;
}

static void concurrent_checkpoints(struct __test_metadata *_metadata,
				   struct _test_data_load *self, int calls)
{
	struct tree *t = &self->tree;
	struct tally tl = { 0 };
	__u64 base[NR_COUNTERS];
	const struct call *c;
	enum verdict v;
	char why[512];
	bool returned;
	int i, j;

	tree_spawn(_metadata, t);
	memcpy(base, t->count, sizeof(base));
	for (i = 0; i < 2; i++) {
		ASSERT_NE(NULL, worker_get(_metadata, self, i, calls));
		worker_reset(self->w[i], t->root, 0, calls, -1);
		worker_start(_metadata, self->w[i]);
	}
	returned = workers_wait(self->w, 2, why, sizeof(why));
	EXPECT_TRUE(returned) TH_LOG("%s", why);
	for (i = 0; i < 2; i++) {
		if (returned)
			EXPECT_EQ(0, self->w[i]->status)
				TH_LOG("checkpointer %d", i);
		for (j = 0; j < self->w[i]->done; j++) {
			c = &self->w[i]->calls[j];
			v = judge(t, c, false);
			tally_add(&tl, c, v);
			if (v == V_BAD && tl.bad <= 3)
				TH_LOG("checkpointer %d, call %d: %s", i, j,
				       call_str(c, why, sizeof(why)));
		}
	}
	tally_print("two checkpointers at once", &tl);
	ksft_print_msg("  %d calls of the first overlapped one of the second\n",
		       overlaps(self->w[0], self->w[1]));
	EXPECT_EQ(0U, tl.bad);

	/* The tree went on unharmed. */
	tree_progress(_metadata, t, base, 0);
	tree_stop(_metadata, t);
}

static void killed_mid_checkpoint(struct __test_metadata *_metadata,
				  struct _test_data_load *self, int iters)
{
	int before = 0, during = 0, after = 0, it, r, i;
	struct tree *t = &self->tree;
	struct tally tl = { 0 };
	__s64 span, delay_us, kill_at;
	struct worker *w;
	struct call *c;
	enum verdict v;
	char why[512];

	/* The kills fall within how long a checkpoint of the tree takes. */
	tree_spawn(_metadata, t);
	checkpoint_round(_metadata, self, false, &span);
	tree_stop(_metadata, t);
	ksft_print_msg("a checkpoint of the tree takes %lld us; seed %llu\n",
		       span / 1000, self->rng);

	w = worker_get(_metadata, self, 0, 1);
	ASSERT_NE(NULL, w);
	c = &w->calls[0];
	for (it = 0; it < iters; it++) {
		tree_spawn(_metadata, t);
		worker_reset(w, t->root, it % 2 ? CHECKPOINT_KILL : 0, 1, -1);
		worker_start(_metadata, w);
		__atomic_store_n(&w->go, 1, __ATOMIC_SEQ_CST);
		for (i = 0; i < WAIT_MS && !__atomic_load_n(&w->started,
							    __ATOMIC_SEQ_CST); i++)
			nap(1000);
		ASSERT_EQ(1, w->started) TH_LOG("the checkpointer did not start");
		delay_us = next_random(self) % (span * 3 / 2 / 1000 + 1);
		nap(delay_us);
		kill_at = now_ns();
		kill(-t->root, SIGKILL);

		ASSERT_TRUE(workers_wait(&w, 1, why, sizeof(why)))
			TH_LOG("kill %d, after %lld us: %s", it, delay_us, why);
		EXPECT_EQ(0, w->status);
		v = judge(t, c, true);
		tally_add(&tl, c, v);
		if (v == V_BAD)
			TH_LOG("kill %d, after %lld us: %s", it, delay_us,
			       call_str(c, why, sizeof(why)));
		before += kill_at < c->start;
		during += kill_at >= c->start && kill_at < c->end;
		after += kill_at >= c->end;

		/* Every process of the tree is gone, and reaped by us. */
		tree_close(t);
		ASSERT_LE(0, reap_all(WAIT_MS))
			TH_LOG("kill %d: processes of the tree are left", it);
		for (r = 0; r < NR_ROLES; r++) {
			for (i = 0; i < MAX_TASKS; i++) {
				pid_t tid = t->tids[r][i];
				const char *name = role_names[r];

				if (tid > 0)
					EXPECT_EQ(-1, kill(tid, 0))
						TH_LOG("kill %d: task %d of %s is left",
						       it, tid, name);
			}
		}
	}
	tally_print("checkpoints of a tree killed meanwhile", &tl);
	ksft_print_msg("  killed before checkpoint(2) began: %d, during it: %d, after: %d\n",
		       before, during, after);
	EXPECT_EQ(0U, tl.bad);
}

TEST_F_TIMEOUT(load, rounds_and_restarts, 400)
{
	rounds_and_restarts(_metadata, self, DEFAULT_ROUNDS);
}

TEST_F_TIMEOUT(load, concurrent_checkpoints, 220)
{
	concurrent_checkpoints(_metadata, self, DEFAULT_ROUNDS / 2);
}

TEST_F_TIMEOUT(load, killed_mid_checkpoint, 220)
{
	killed_mid_checkpoint(_metadata, self, DEFAULT_ROUNDS / 2);
}

/* The same with CKPT_LOAD_ROUNDS rounds: for as long as it takes. */
TEST_F_TIMEOUT(load, long_run, 30 * 24 * 3600)
{
	const char *s = getenv("CKPT_LOAD_ROUNDS");
	int rounds = s && *s ? atoi(s) : 0;

	if (rounds <= 0)
		SKIP(return, "set CKPT_LOAD_ROUNDS (1000, say) for a long run");
	rounds_and_restarts(_metadata, self, rounds);
	concurrent_checkpoints(_metadata, self, rounds / 2 ? rounds / 2 : 1);
	killed_mid_checkpoint(_metadata, self, rounds / 2 ? rounds / 2 : 1);
}

TEST_HARNESS_MAIN
