// SPDX-License-Identifier: GPL-2.0
/*
 * bench_mem - the workload and the timing helper of "make bench".
 *
 *   bench_mem hold MIB
 *	allocate MIB MiB, fill every word with a known pattern, print
 *	"bench_mem PID: ready", then sleep in a loop.  On SIGUSR1 check
 *	the pattern (after a restart: is the memory back whole?), print
 *	"bench_mem PID: verify ok" or where it differs, and exit 0 or 1.
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
 *	run COMMAND, write its wall time in nanoseconds to NSFILE and exit
 *	as COMMAND did (128 + signal if it was killed).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

#define MIB		(1024UL * 1024)
#define BLOCK		MIB
#define GOLDEN		0x9e3779b97f4a7c15ULL
#define SEED_MUL	0xbf58476d1ce4e5b9ULL

#define TREE_FANOUT	4	/* children of each process of a tree */
#define TREE_PAGES	4	/* pages each process or thread fills */
#define TREE_MAX	4096	/* the most processes of a tree */
#define THREADS_MAX	1024	/* the most threads of "threads" */

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

static int hold(size_t len)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct timespec second = { .tv_sec = 1 };
	__u64 *buf = map_fresh(len);
	long bad;

	if (sigaction(SIGUSR1, &sa, NULL))
		die("sigaction");
	fill(buf, len, 0);
	printf("bench_mem %d: ready %zu MiB\n", getpid(), len / MIB);
	fflush(stdout);

	while (!verify_requested)
		nanosleep(&second, NULL);

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

static int time_command(const char *nsfile, char **argv)
{
	__u64 t0, t;
	int status;
	FILE *f;
	pid_t pid;

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
	f = fopen(nsfile, "w");
	if (!f)
		die(nsfile);
	fprintf(f, "%llu\n", (unsigned long long)t);
	if (fclose(f))
		die(nsfile);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
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
		"usage: bench_mem hold MIB | tree N | threads N | memcpy MIB |\n"
		"       write MIB FILE | read MIB FILE | time NSFILE COMMAND [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		bad_usage();
	if (!strcmp(argv[1], "hold") && argc == 3)
		return hold(parse_mib(argv[2]));
	if (!strcmp(argv[1], "tree") && argc == 3)
		return run_tree(parse_count(argv[2], TREE_MAX));
	if (!strcmp(argv[1], "threads") && argc == 3)
		return run_threads(parse_count(argv[2], THREADS_MAX));
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
