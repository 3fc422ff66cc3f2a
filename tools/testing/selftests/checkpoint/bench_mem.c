// SPDX-License-Identifier: GPL-2.0
/*
 * bench_mem - the workload and the timing helper of "make bench".
 *
 *   bench_mem hold MIB
 *	allocate MIB MiB, fill every word with a known pattern, print
 *	"bench_mem PID: ready", then sleep in a loop.  On SIGUSR1 check
 *	the pattern (after a restart: is the memory back whole?), print
 *	"bench_mem PID: verify ok" or where it differs, and exit 0 or 1.
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
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB		(1024UL * 1024)
#define BLOCK		MIB
#define GOLDEN		0x9e3779b97f4a7c15ULL

/* Set by SIGUSR1; nanosleep() is a call, so the loop reads it afresh. */
static sig_atomic_t verify_requested;

/* The copy must be done before the clock is read again. */
static inline void barrier(void *p)
{
	asm volatile("" : : "r"(p) : "memory");
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
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

static uint64_t *map_fresh(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void fill(uint64_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len / sizeof(*buf); i++)
		buf[i] = (i + 1) * GOLDEN;
}

/* Index of the first word that does not hold the pattern, or -1. */
static long check(const uint64_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len / sizeof(*buf); i++)
		if (buf[i] != (i + 1) * GOLDEN)
			return i;
	return -1;
}

static void on_usr1(int sig)
{
	verify_requested = 1;
}

static int hold(size_t len)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct timespec second = { .tv_sec = 1 };
	uint64_t *buf = map_fresh(len);
	long bad;

	if (sigaction(SIGUSR1, &sa, NULL))
		die("sigaction");
	fill(buf, len);
	printf("bench_mem %d: ready %zu MiB\n", getpid(), len / MIB);
	fflush(stdout);

	while (!verify_requested)
		nanosleep(&second, NULL);

	bad = check(buf, len);
	if (bad >= 0) {
		printf("bench_mem %d: verify FAILED: word %ld holds %#llx, not %#llx\n",
		       getpid(), bad, (unsigned long long)buf[bad],
		       (unsigned long long)((bad + 1) * GOLDEN));
		fflush(stdout);
		return 1;
	}
	printf("bench_mem %d: verify ok %zu MiB\n", getpid(), len / MIB);
	fflush(stdout);
	return 0;
}

static int copy(size_t len)
{
	uint64_t *src = map_fresh(len), *dst = map_fresh(len);
	uint64_t t0, fresh, warm;

	fill(src, len);
	t0 = now_ns();
	memcpy(dst, src, len);
	barrier(dst);
	fresh = now_ns() - t0;
	if (check(dst, len) >= 0)
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
	uint64_t *buf = map_fresh(len);
	uint64_t t0, t;
	size_t off;
	int fd;

	fill(buf, len);
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
	uint64_t *buf = map_fresh(len);
	uint64_t t0, t;
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
	if (check(buf, len) >= 0) {
		fprintf(stderr, "bench_mem: %s does not hold the pattern\n", path);
		return 1;
	}
	printf("%llu\n", (unsigned long long)t);
	return 0;
}

static int time_command(const char *nsfile, char **argv)
{
	uint64_t t0, t;
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

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: bench_mem hold MIB | memcpy MIB | write MIB FILE |\n"
		"       read MIB FILE | time NSFILE COMMAND [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		bad_usage();
	if (!strcmp(argv[1], "hold") && argc == 3)
		return hold(parse_mib(argv[2]));
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
