// SPDX-License-Identifier: GPL-2.0
/*
 * bench_mem - the workload and the timing helper of "make bench".
 *
 *   bench_mem hold MIB
 *	allocate MIB MiB, fill every word with a known pattern, print
 *	"bench_mem PID: ready", then sleep in a loop.  On SIGUSR1 check
 *	the pattern (after a restart: is the memory back whole?), print
 *	"bench_mem PID: verify ok" or where it differs, and exit 0 or 1.
 *	A second thread wakes every millisecond and keeps the longest
 *	time it went without running: on SIGUSR2 the process prints
 *	"bench_mem PID: gap SEQ NS" (SEQ counts the reports) and starts
 *	again from 0, so that a report before and one after a checkpoint
 *	that lets it go on tell how long it was frozen.
 *   bench_mem tree N
 *	fork a tree of N processes in all (the root, its process group's
 *	leader, forks TREE_FANOUT children, each of them as many, and so
 *	on), each filling TREE_PAGES pages of its own with a pattern of
 *	its place in the tree, and print "bench_mem PID: ready N processes"
 *	once all exist and have filled them.  All then wait for SIGUSR1,
 *	blocked in sigwaitinfo().  On SIGUSR1 to the root, each process
 *	passes it on to its children, checks its pattern, its pid and its
 *	parent's, reaps its children (which must be the ones it forked)
 *	and exits with the number of processes of its subtree that were
 *	wrong or missing; the root prints "bench_mem PID: verify ok N
 *	processes" or how many were wrong, and exits 0 or 1.
 *   bench_mem threads N
 *	one process of N threads, the main one included, each filling
 *	TREE_PAGES pages of its own with a pattern of its index; print
 *	"bench_mem PID: ready N threads" once all have, while the others
 *	wait on a condition variable and the main thread for SIGUSR1 in
 *	sigwaitinfo().  On SIGUSR1 every thread checks its pattern and its
 *	tid, the main thread joins the others and prints "bench_mem PID:
 *	verify ok N threads" or how many were wrong, and exits 0 or 1.
 *   bench_mem files N P DIR
 *	one process holding N regular files, created in DIR with a page
 *	of a pattern each and open at an offset of their own, and P pipes
 *	with both ends open and a few hundred bytes of their own queued
 *	in each; print "bench_mem PID: ready N files P pipes" and wait
 *	for SIGUSR1.  Then check that every descriptor is the same file
 *	(inode) at the same offset and that every pipe holds exactly its
 *	bytes, print "bench_mem PID: verify ok N files P pipes" or what
 *	differs, and exit 0 or 1.
 *   bench_mem memcpy MIB
 *	print the nanoseconds of one memcpy of MIB MiB of the pattern into
 *	a fresh mapping (page faults included), then of a second one into
 *	the same, now populated, mapping: "FRESH_NS WARM_NS".
 *   bench_mem write MIB FILE
 *	print the nanoseconds of writing MIB MiB of the pattern to FILE in
 *	1 MiB blocks (the best case of writing an image to a tmpfs).
 *   bench_mem read MIB FILE
 *	print the nanoseconds of reading MIB MiB of FILE into a fresh
 *	mapping in 1 MiB blocks (the best case of reading one back).
 *   bench_mem time NSFILE COMMAND [ARG...]
 *	run COMMAND, write "NS EXTRA" to NSFILE and exit as COMMAND did
 *	(128 + signal if it was killed).  NS is its wall time in
 *	nanoseconds, EXTRA the most memory in bytes that the system used
 *	while it ran above what it used both before and after it: the
 *	checkpointer's buffers, in the kernel or not, but not the image
 *	it wrote nor the processes it restored.  The memory in use
 *	(MemTotal - MemFree) is sampled every SAMPLE_NS by a thread.
 *   bench_mem overhead
 *	time the system calls and faults that the checkpoint series
 *	touches or that every program makes (a small syscall, poll,
 *	epoll_ctl, futex wake, signal delivery, mmap/munmap, page
 *	faults, fork, fork and exec) and print "overhead OP NS" for the
 *	nanoseconds of one, and "overhead checkpoint y" or "n": whether
 *	this kernel was built with CONFIG_CHECKPOINT.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/futex.h>
#include <linux/types.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIB		(1024UL * 1024)
#define BLOCK		MIB
#define GOLDEN		0x9e3779b97f4a7c15ULL
#define SEED_MUL	0xbf58476d1ce4e5b9ULL

#define TREE_FANOUT	4	/* children of each process of a tree */
#define TREE_PAGES	4	/* pages each process or thread fills */
#define TREE_MAX	4096	/* the most processes of a tree */
#define THREADS_MAX	1024	/* the most threads of "threads" */
#define FILES_MAX	65536	/* the most files or pipes of "files" */
#define SAMPLE_NS	2000000	/* between two samples of the memory used */

/* Set by SIGUSR1; nanosleep() is a call, so the loop reads it afresh. */
static sig_atomic_t verify_requested;

/* The copy must be done before the clock is read again. */
static inline void barrier(void *p)
{
	asm volatile("" : : "r"(p) : "memory");
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static size_t parse_mib(const char *arg)
{
	char *end;
	unsigned long mib = strtoul(arg, &end, 0);

	if (*end || !mib || mib > (1UL << 20)) {
		fprintf(stderr, "bench_mem: bad size in MiB: %s\n", arg);
		exit(2);
	}
	return mib * MIB;
}

static __u64 *map_fresh(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

/*
 * Word @i of the pattern of @seed: 0 for the single process of "hold",
 * seed_of() of its index for each process or thread of "tree" and
 * "threads", so that no two of them hold the same words.
 */
static __u64 pattern(size_t i, __u64 seed)
{
	return (i + 1) * GOLDEN ^ seed;
}

static __u64 seed_of(unsigned int idx)
{
	return (idx + 1) * SEED_MUL;
}

static void fill(__u64 *buf, size_t len, __u64 seed)
{
	size_t i;

	for (i = 0; i < len / sizeof(*buf); i++)
		buf[i] = pattern(i, seed);
}

/* Index of the first word that does not hold the pattern, or -1. */
static long check(const __u64 *buf, size_t len, __u64 seed)
{
	size_t i;

	for (i = 0; i < len / sizeof(*buf); i++)
		if (buf[i] != pattern(i, seed))
			return i;
	return -1;
}

/* A line on standard output, which a whole tree of processes shares. */
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void on_usr1(int sig)
{
	verify_requested = 1;
}

/*
 * The heartbeat of "hold": the time of its last beat, and the longest
 * gap between two beats since the last report.
 */
static pthread_mutex_t beat_lock = PTHREAD_MUTEX_INITIALIZER;
static __u64 beat_last, beat_gap;
static sig_atomic_t gap_requested;

static void on_usr2(int sig)
{
	gap_requested = 1;
}

static void *heartbeat(void *arg)
{
	struct timespec ms = { .tv_nsec = 1000000 };
	__u64 t;

	for (;;) {
		nanosleep(&ms, NULL);
		t = now_ns();
		pthread_mutex_lock(&beat_lock);
		if (t - beat_last > beat_gap)
			beat_gap = t - beat_last;
		beat_last = t;
		pthread_mutex_unlock(&beat_lock);
	}
	return NULL;
}

/*
 * The longest gap since the last report, counting the one still open:
 * a report asked for as soon as the process is thawed may come before
 * the heartbeat has run again.
 */
static __u64 beat_report(void)
{
	__u64 t = now_ns(), gap;

	pthread_mutex_lock(&beat_lock);
	gap = beat_gap;
	if (t - beat_last > gap)
		gap = t - beat_last;
	beat_gap = 0;
	beat_last = t;
	pthread_mutex_unlock(&beat_lock);
	return gap;
}

static int hold(size_t len)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct sigaction sa2 = { .sa_handler = on_usr2 };
	struct timespec second = { .tv_sec = 1 };
	__u64 *buf = map_fresh(len);
	unsigned int seq = 0;
	sigset_t set, old;
	pthread_t beat;
	long bad;
	int err;

	if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGUSR2, &sa2, NULL))
		die("sigaction");
	fill(buf, len, 0);
	/* The signals are for this thread, not the heartbeat. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &set, &old))
		die("sigprocmask");
	beat_last = now_ns();
	err = pthread_create(&beat, NULL, heartbeat, NULL);
	if (err) {
		errno = err;
		die("pthread_create");
	}
	if (sigprocmask(SIG_SETMASK, &old, NULL))
		die("sigprocmask");
	printf("bench_mem %d: ready %zu MiB\n", getpid(), len / MIB);
	fflush(stdout);

	while (!verify_requested) {
		nanosleep(&second, NULL);
		if (gap_requested) {
			gap_requested = 0;
			say("bench_mem %d: gap %u %llu\n", getpid(), ++seq,
			    (unsigned long long)beat_report());
		}
	}

	bad = check(buf, len, 0);
	if (bad >= 0) {
		printf("bench_mem %d: verify FAILED: word %ld holds %#llx, not %#llx\n",
		       getpid(), bad, (unsigned long long)buf[bad],
		       (unsigned long long)pattern(bad, 0));
		fflush(stdout);
		return 1;
	}
	printf("bench_mem %d: verify ok %zu MiB\n", getpid(), len / MIB);
	fflush(stdout);
	return 0;
}

static void block_usr1(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		die("sigprocmask");
}

/*
 * Wait for SIGUSR1, which block_usr1() blocked: it stays pending until
 * taken here, however early it comes after a restart.  A checkpoint
 * ends the wait with EINTR.
 */
static void wait_usr1(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	while (sigwaitinfo(&set, NULL) < 0)
		if (errno != EINTR)
			die("sigwaitinfo");
}

static size_t small_len(void)
{
	return TREE_PAGES * (size_t)getpagesize();
}

/* A process of "tree": index 0 is the root, TREE_FANOUT * i + k (k from
 * 1 to TREE_FANOUT) the children of i.
 */
struct node {
	unsigned int idx;
	unsigned int n;			/* processes in the tree */
	pid_t pid, ppid;		/* before the checkpoint */
	pid_t kids[TREE_FANOUT];
	unsigned int nkids;
	__u64 *buf;
};

/* The number of processes in the subtree of process @idx of @n. */
static unsigned int subtree(unsigned int idx, unsigned int n)
{
	unsigned int k, size = 1;

	for (k = 1; k <= TREE_FANOUT && TREE_FANOUT * idx + k < n; k++)
		size += subtree(TREE_FANOUT * idx + k, n);
	return size;
}

static void tree_child(unsigned int idx, unsigned int n, int ready_fd);

/*
 * Fill the pages of process @idx and fork its children, which inherit
 * @ready_fd, the write end of the root's pipe.  @count_fd, its read
 * end, is the root's only.
 */
static void tree_start(struct node *nd, unsigned int idx, unsigned int n,
		       int ready_fd, int count_fd)
{
	unsigned int k, kid;
	pid_t pid;

	nd->idx = idx;
	nd->n = n;
	nd->pid = getpid();
	nd->ppid = getppid();
	nd->nkids = 0;
	nd->buf = map_fresh(small_len());
	fill(nd->buf, small_len(), seed_of(idx));

	for (k = 1; k <= TREE_FANOUT; k++) {
		kid = TREE_FANOUT * idx + k;
		if (kid >= n)
			break;
		pid = fork();
		if (pid < 0) {
			say("bench_mem %d: tree process %u: fork: %s\n",
			    getpid(), idx, strerror(errno));
			break;
		}
		if (!pid) {
			if (count_fd >= 0)
				close(count_fd);
			tree_child(kid, n, ready_fd);
		}
		nd->kids[nd->nkids++] = pid;
	}
}

/*
 * Pass SIGUSR1 on to the children of @nd, check its own pages and pids
 * and reap its children.  Returns the number of processes of its
 * subtree that were wrong or missing (a child's count is its exit
 * status: at most 255).
 */
static unsigned int tree_check(const struct node *nd)
{
	unsigned int k, kid, bad = 0;
	int status;
	long word;

	for (k = 0; k < nd->nkids; k++)
		kill(nd->kids[k], SIGUSR1);

	word = check(nd->buf, small_len(), seed_of(nd->idx));
	if (word >= 0) {
		say("bench_mem %d: tree process %u: word %ld holds %#llx, not %#llx\n",
		    getpid(), nd->idx, word, (unsigned long long)nd->buf[word],
		    (unsigned long long)pattern(word, seed_of(nd->idx)));
		bad = 1;
	}
	if (getpid() != nd->pid || (nd->idx && getppid() != nd->ppid)) {
		say("bench_mem %d: tree process %u: pid %d and parent %d, not %d and %d\n",
		    getpid(), nd->idx, getpid(), getppid(), nd->pid, nd->ppid);
		bad = 1;
	}

	for (k = 0; k < nd->nkids; k++) {
		kid = TREE_FANOUT * nd->idx + k + 1;
		if (waitpid(nd->kids[k], &status, 0) != nd->kids[k]) {
			say("bench_mem %d: tree process %u: child %u (pid %d): %s\n",
			    getpid(), nd->idx, kid, nd->kids[k], strerror(errno));
			bad += subtree(kid, nd->n);
		} else if (!WIFEXITED(status)) {
			say("bench_mem %d: tree process %u: child %u (pid %d) killed by %d\n",
			    getpid(), nd->idx, kid, nd->kids[k], WTERMSIG(status));
			bad += subtree(kid, nd->n);
		} else {
			bad += WEXITSTATUS(status);
		}
	}
	return bad;
}

/* Process @idx, not the root, in the child of fork(): never returns. */
static void tree_child(unsigned int idx, unsigned int n, int ready_fd)
{
	struct node nd;
	unsigned int bad;

	tree_start(&nd, idx, n, ready_fd, -1);
	/* Its byte: its pages are filled and its children forked. */
	if (write(ready_fd, "", 1) != 1)
		die("write");
	close(ready_fd);

	wait_usr1();
	bad = tree_check(&nd);
	exit(bad < 255 ? bad : 255);
}

static int run_tree(unsigned int n)
{
	unsigned int started = 0, bad;
	struct node root;
	char bytes[64];
	ssize_t got;
	int fds[2];

	/* The bench kills the tree by its process group. */
	if (setpgid(0, 0))
		die("setpgid");
	block_usr1();
	if (pipe(fds))
		die("pipe");
	tree_start(&root, 0, n, fds[1], fds[0]);
	close(fds[1]);
	/* End of file once every other process has written its byte. */
	while ((got = read(fds[0], bytes, sizeof(bytes))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			die("read");
		started += got;
	}
	close(fds[0]);
	if (started != n - 1) {
		say("bench_mem %d: tree FAILED: %u of %u processes started\n",
		    getpid(), started + 1, n);
		kill(0, SIGKILL);
	}
	say("bench_mem %d: ready %u processes\n", getpid(), n);

	wait_usr1();
	bad = tree_check(&root);
	if (bad) {
		say("bench_mem %d: verify FAILED: %u of %u processes wrong or missing\n",
		    getpid(), bad, n);
		return 1;
	}
	say("bench_mem %d: verify ok %u processes\n", getpid(), n);
	return 0;
}

/* A thread of "threads": index 0 is the main thread. */
struct worker {
	pthread_t thread;
	unsigned int idx;
	pid_t tid;			/* before the checkpoint */
	__u64 *buf;
	int bad;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_ready = PTHREAD_COND_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static unsigned int nready;	/* threads but the main one that filled */
static int going;		/* the main thread got SIGUSR1 */

static void worker_fill(struct worker *w)
{
	w->tid = gettid();
	w->buf = map_fresh(small_len());
	fill(w->buf, small_len(), seed_of(w->idx));
}

static int worker_check(const struct worker *w)
{
	long word = check(w->buf, small_len(), seed_of(w->idx));
	int bad = 0;

	if (word >= 0) {
		say("bench_mem %d: thread %u: word %ld holds %#llx, not %#llx\n",
		    getpid(), w->idx, word, (unsigned long long)w->buf[word],
		    (unsigned long long)pattern(word, seed_of(w->idx)));
		bad = 1;
	}
	if (gettid() != w->tid) {
		say("bench_mem %d: thread %u: tid %d, not %d\n",
		    getpid(), w->idx, gettid(), w->tid);
		bad = 1;
	}
	return bad;
}

static void *worker(void *arg)
{
	struct worker *w = arg;

	worker_fill(w);
	pthread_mutex_lock(&lock);
	nready++;
	pthread_cond_signal(&all_ready);
	while (!going)
		pthread_cond_wait(&go, &lock);
	pthread_mutex_unlock(&lock);

	w->bad = worker_check(w);
	return NULL;
}

static int run_threads(unsigned int n)
{
	struct worker *w = calloc(n, sizeof(*w));
	unsigned int i, bad;
	int err;

	if (!w)
		die("calloc");
	/* Before the threads start, which inherit the mask. */
	block_usr1();
	worker_fill(&w[0]);
	for (i = 1; i < n; i++) {
		w[i].idx = i;
		err = pthread_create(&w[i].thread, NULL, worker, &w[i]);
		if (err) {
			errno = err;
			die("pthread_create");
		}
	}
	pthread_mutex_lock(&lock);
	while (nready < n - 1)
		pthread_cond_wait(&all_ready, &lock);
	pthread_mutex_unlock(&lock);
	say("bench_mem %d: ready %u threads\n", getpid(), n);

	wait_usr1();
	pthread_mutex_lock(&lock);
	going = 1;
	pthread_cond_broadcast(&go);
	pthread_mutex_unlock(&lock);
	bad = worker_check(&w[0]);
	for (i = 1; i < n; i++) {
		err = pthread_join(w[i].thread, NULL);
		if (err) {
			errno = err;
			die("pthread_join");
		}
		bad += w[i].bad;
	}
	if (bad) {
		say("bench_mem %d: verify FAILED: %u of %u threads wrong\n",
		    getpid(), bad, n);
		return 1;
	}
	say("bench_mem %d: verify ok %u threads\n", getpid(), n);
	return 0;
}

/* The descriptors of "files": regular files first, then pipes. */
struct held_file {
	int fd;
	ino_t ino;
	off_t off;
};

struct held_pipe {
	int fds[2];
	size_t len;		/* bytes queued */
};

/* The bytes queued in pipe @idx: 64 to 1024 of its own pattern. */
static size_t pipe_len(unsigned int idx)
{
	return (idx % 16 + 1) * 64;
}

static int files_check(const struct held_file *f, unsigned int n,
		       const struct held_pipe *p, unsigned int np)
{
	__u64 buf[1024 / sizeof(__u64) + 1];
	unsigned int i, bad = 0;
	struct stat st;
	int queued;

	for (i = 0; i < n; i++) {
		if (fstat(f[i].fd, &st) || st.st_ino != f[i].ino ||
		    lseek(f[i].fd, 0, SEEK_CUR) != f[i].off ||
		    pread(f[i].fd, buf, sizeof(__u64), 0) != sizeof(__u64) ||
		    buf[0] != pattern(0, seed_of(i))) {
			if (bad++ < 5)
				say("bench_mem %d: file %u (fd %d) is not back as it was\n",
				    getpid(), i, f[i].fd);
		}
	}
	for (i = 0; i < np; i++) {
		size_t len = pipe_len(i);

		if (ioctl(p[i].fds[0], FIONREAD, &queued) || queued != (int)len ||
		    read(p[i].fds[0], buf, sizeof(buf)) != (ssize_t)len ||
		    check(buf, len, seed_of(n + i)) >= 0) {
			if (bad++ < 5)
				say("bench_mem %d: pipe %u (fds %d, %d) does not hold %zu bytes\n",
				    getpid(), i, p[i].fds[0], p[i].fds[1], len);
		}
	}
	return bad;
}

static int run_files(unsigned int n, unsigned int np, const char *dir)
{
	struct held_file *f = calloc(n, sizeof(*f));
	struct held_pipe *p = calloc(np, sizeof(*p));
	size_t page = getpagesize();
	__u64 *buf = map_fresh(page);
	struct rlimit rl;
	unsigned int i, bad;
	char path[4096];
	struct stat st;

	if (!f || !p)
		die("calloc");
	rl.rlim_cur = n + 2 * np + 64;
	rl.rlim_max = rl.rlim_cur;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	block_usr1();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%u", dir, i);
		f[i].fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (f[i].fd < 0)
			die(path);
		fill(buf, page, seed_of(i));
		if (write(f[i].fd, buf, page) != (ssize_t)page || fstat(f[i].fd, &st))
			die(path);
		f[i].ino = st.st_ino;
		f[i].off = (i * 8 + 8) % page;
		if (lseek(f[i].fd, f[i].off, SEEK_SET) != f[i].off)
			die("lseek");
	}
	for (i = 0; i < np; i++) {
		p[i].len = pipe_len(i);
		if (pipe(p[i].fds))
			die("pipe");
		fill(buf, p[i].len, seed_of(n + i));
		if (write(p[i].fds[1], buf, p[i].len) != (ssize_t)p[i].len)
			die("write");
	}
	say("bench_mem %d: ready %u files %u pipes\n", getpid(), n, np);

	wait_usr1();
	bad = files_check(f, n, p, np);
	if (bad) {
		say("bench_mem %d: verify FAILED: %u of %u files and pipes wrong\n",
		    getpid(), bad, n + np);
		return 1;
	}
	say("bench_mem %d: verify ok %u files %u pipes\n", getpid(), n, np);
	return 0;
}

static int copy(size_t len)
{
	__u64 *src = map_fresh(len), *dst = map_fresh(len);
	__u64 t0, fresh, warm;

	fill(src, len, 0);
	t0 = now_ns();
	memcpy(dst, src, len);
	barrier(dst);
	fresh = now_ns() - t0;
	if (check(dst, len, 0) >= 0)
		return 1;
	t0 = now_ns();
	memcpy(dst, src, len);
	barrier(dst);
	warm = now_ns() - t0;
	printf("%llu %llu\n", (unsigned long long)fresh, (unsigned long long)warm);
	return 0;
}

static int write_file(size_t len, const char *path)
{
	__u64 *buf = map_fresh(len);
	__u64 t0, t;
	size_t off;
	int fd;

	fill(buf, len, 0);
	t0 = now_ns();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die(path);
	for (off = 0; off < len; off += BLOCK)
		if (write(fd, (char *)buf + off, BLOCK) != BLOCK)
			die("write");
	if (close(fd))
		die("close");
	t = now_ns() - t0;
	printf("%llu\n", (unsigned long long)t);
	return 0;
}

static int read_file(size_t len, const char *path)
{
	__u64 *buf = map_fresh(len);
	__u64 t0, t;
	size_t off;
	int fd;

	t0 = now_ns();
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	for (off = 0; off < len; off += BLOCK)
		if (read(fd, (char *)buf + off, BLOCK) != BLOCK)
			die("read");
	close(fd);
	t = now_ns() - t0;
	if (check(buf, len, 0) >= 0) {
		fprintf(stderr, "bench_mem: %s does not hold the pattern\n", path);
		return 1;
	}
	printf("%llu\n", (unsigned long long)t);
	return 0;
}

/* The memory in use: MemTotal - MemFree, in bytes. */
static __u64 mem_used(void)
{
	unsigned long long total = 0, free = 0, kib;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %llu kB", &kib) == 1)
			total = kib;
		else if (sscanf(line, "MemFree: %llu kB", &kib) == 1)
			free = kib;
	}
	fclose(f);
	return (total - free) * 1024;
}

static pthread_mutex_t sample_lock = PTHREAD_MUTEX_INITIALIZER;
static __u64 sample_peak;
static int sample_stop;

static void *sampler(void *arg)
{
	struct timespec gap = { .tv_nsec = SAMPLE_NS };
	__u64 used;

	for (;;) {
		used = mem_used();
		pthread_mutex_lock(&sample_lock);
		if (used > sample_peak)
			sample_peak = used;
		if (sample_stop) {
			pthread_mutex_unlock(&sample_lock);
			return NULL;
		}
		pthread_mutex_unlock(&sample_lock);
		nanosleep(&gap, NULL);
	}
}

static int time_command(const char *nsfile, char **argv)
{
	__u64 t0, t, before, after, base;
	pthread_t sample;
	int status, err;
	FILE *f;
	pid_t pid;

	before = mem_used();
	sample_peak = before;
	err = pthread_create(&sample, NULL, sampler, NULL);
	if (err) {
		errno = err;
		die("pthread_create");
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	t = now_ns() - t0;
	pthread_mutex_lock(&sample_lock);
	sample_stop = 1;
	pthread_mutex_unlock(&sample_lock);
	pthread_join(sample, NULL);
	after = mem_used();
	base = before > after ? before : after;

	f = fopen(nsfile, "w");
	if (!f)
		die(nsfile);
	fprintf(f, "%llu %llu\n", (unsigned long long)t,
		(unsigned long long)(sample_peak > base ? sample_peak - base : 0));
	if (fclose(f))
		die(nsfile);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * The overhead microbenchmarks: each runs its operation @n times and
 * returns the nanoseconds of one.
 */
static double per_op(__u64 t0, unsigned int n)
{
	return (double)(now_ns() - t0) / n;
}

static double op_getppid(unsigned int n)
{
	__u64 t0 = now_ns();
	unsigned int i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return per_op(t0, n);
}

static double op_poll(unsigned int n)
{
	struct pollfd pfd = { .events = POLLIN };
	unsigned int i;
	int fds[2];
	__u64 t0;

	if (pipe(fds))
		die("pipe");
	pfd.fd = fds[0];
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (poll(&pfd, 1, 0) < 0)
			die("poll");
	t0 = now_ns() - t0;
	close(fds[0]);
	close(fds[1]);
	return (double)t0 / n;
}

static double op_epoll_ctl(unsigned int n)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(0), fds[2];
	unsigned int i;
	__u64 t0;

	if (ep < 0 || pipe(fds))
		die("epoll_create1");
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev) ||
		    epoll_ctl(ep, EPOLL_CTL_DEL, fds[0], NULL))
			die("epoll_ctl");
	t0 = now_ns() - t0;
	close(ep);
	close(fds[0]);
	close(fds[1]);
	return (double)t0 / n;
}

static double op_futex_wake(unsigned int n)
{
	static unsigned int word;
	__u64 t0 = now_ns();
	unsigned int i;

	for (i = 0; i < n; i++)
		syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	return per_op(t0, n);
}

/* Signals taken by on_usr2_count(), read as the handler wrote them. */
static int caught;

static void on_usr2_count(int sig)
{
	__atomic_fetch_add(&caught, 1, __ATOMIC_RELAXED);
}

static double op_signal(unsigned int n)
{
	struct sigaction sa = { .sa_handler = on_usr2_count };
	unsigned int i;
	__u64 t0;

	if (sigaction(SIGUSR2, &sa, NULL))
		die("sigaction");
	__atomic_store_n(&caught, 0, __ATOMIC_RELAXED);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		kill(getpid(), SIGUSR2);
	t0 = now_ns() - t0;
	signal(SIGUSR2, SIG_DFL);
	if (__atomic_load_n(&caught, __ATOMIC_RELAXED) != (int)n)
		fprintf(stderr, "bench_mem: %d of %u signals caught\n",
			__atomic_load_n(&caught, __ATOMIC_RELAXED), n);
	return (double)t0 / n;
}

static double op_mmap(unsigned int n)
{
	size_t page = getpagesize();
	__u64 t0 = now_ns();
	unsigned int i;
	void *p;

	for (i = 0; i < n; i++) {
		p = mmap(NULL, page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED || munmap(p, page))
			die("mmap");
	}
	return per_op(t0, n);
}

/* @n faults, each on a fresh page of anonymous memory. */
static double op_fault(unsigned int n)
{
	size_t page = getpagesize(), len = 8 * MIB, i;
	unsigned int done = 0;
	__u64 t = 0, t0;
	char *p;

	while (done < n) {
		p = (char *)map_fresh(len);
		/* Small pages: one fault each. */
		madvise(p, len, MADV_NOHUGEPAGE);
		t0 = now_ns();
		for (i = 0; i < len && done < n; i += page, done++)
			p[i] = 1;
		barrier(p);
		t += now_ns() - t0;
		munmap(p, len);
	}
	return (double)t / n;
}

/* @n children that exit at once, or after exec'ing this program. */
static double fork_children(unsigned int n, bool exec)
{
	static char *const argv[] = { "bench_mem", "noop", NULL };
	__u64 t0 = now_ns();
	unsigned int i;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			if (exec)
				execv("/proc/self/exe", argv);
			_exit(exec ? 127 : 0);
		}
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid");
	}
	return per_op(t0, n);
}

static double op_fork(unsigned int n)
{
	return fork_children(n, false);
}

static double op_exec(unsigned int n)
{
	return fork_children(n, true);
}

static const struct {
	const char *name;
	double (*run)(unsigned int n);
	unsigned int n;
} overheads[] = {
	{ "getppid",	op_getppid,	200000 },
	{ "poll",	op_poll,	100000 },
	{ "epoll_ctl",	op_epoll_ctl,	50000 },
	{ "futex_wake",	op_futex_wake,	200000 },
	{ "signal",	op_signal,	50000 },
	{ "mmap_munmap", op_mmap,	50000 },
	{ "page_fault",	op_fault,	65536 },
	{ "fork",	op_fork,	500 },
	{ "fork_exec",	op_exec,	200 },
};

static int run_overhead(void)
{
	unsigned int i;
	int sig;

	/* A prctl of the series: EINVAL without CONFIG_CHECKPOINT. */
	printf("overhead checkpoint %s\n",
	       prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0) ? "n" : "y");
	for (i = 0; i < ARRAY_SIZE(overheads); i++) {
		/* Once to warm up, then the run that counts. */
		overheads[i].run(overheads[i].n / 10 ?: 1);
		printf("overhead %s %.1f\n", overheads[i].name,
		       overheads[i].run(overheads[i].n));
		fflush(stdout);
	}
	return 0;
}

static unsigned int parse_count(const char *arg, unsigned int max)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 0);

	if (*end || !n || n > max) {
		fprintf(stderr, "bench_mem: bad count (1 to %u): %s\n", max, arg);
		exit(2);
	}
	return n;
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: bench_mem hold MIB | tree N | threads N | files N P DIR |\n"
		"       memcpy MIB | write MIB FILE | read MIB FILE |\n"
		"       time NSFILE COMMAND [ARG...] | overhead\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "noop"))
		return 0;
	if (argc == 2 && !strcmp(argv[1], "overhead"))
		return run_overhead();
	if (argc < 3)
		bad_usage();
	if (!strcmp(argv[1], "hold") && argc == 3)
		return hold(parse_mib(argv[2]));
	if (!strcmp(argv[1], "tree") && argc == 3)
		return run_tree(parse_count(argv[2], TREE_MAX));
	if (!strcmp(argv[1], "threads") && argc == 3)
		return run_threads(parse_count(argv[2], THREADS_MAX));
	if (!strcmp(argv[1], "files") && argc == 5)
		return run_files(parse_count(argv[2], FILES_MAX),
				 parse_count(argv[3], FILES_MAX), argv[4]);
	if (!strcmp(argv[1], "memcpy") && argc == 3)
		return copy(parse_mib(argv[2]));
	if (!strcmp(argv[1], "write") && argc == 4)
		return write_file(parse_mib(argv[2]), argv[3]);
	if (!strcmp(argv[1], "read") && argc == 4)
		return read_file(parse_mib(argv[2]), argv[3]);
	if (!strcmp(argv[1], "time") && argc >= 4)
		return time_command(argv[2], argv + 3);
	bad_usage();
	return 2;
}
