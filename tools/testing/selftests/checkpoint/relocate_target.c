// SPDX-License-Identifier: GPL-2.0
/*
 * relocate_target - a program whose files move, for cr_restart --relocate
 * in cr_tools.sh.
 *
 *   relocate_target FILE
 *
 * It opens FILE read-only and maps it shared, then every 0.2 s prints
 * the first line of FILE as read through the descriptor (pread()) and
 * through the mapping:
 *
 *   relocate PID: COUNT fd TEXT map TEXT
 *
 * Run from a copy of it in a directory that also holds FILE, with that
 * directory as working directory, every path the kernel reopens at
 * restart is in the directory: the executable and its mappings, the
 * working directory, FILE and its mapping.  A restored copy that prints
 * what FILE now holds, through both, reads the file at its new place.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEXT_MAX	32

/* The first line of the @len bytes at @p, at most TEXT_MAX - 1 bytes */
static void first_line(char *out, const char *p, size_t len)
{
	size_t n = 0;

	while (n < len && n < TEXT_MAX - 1 && p[n] != '\n')
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

int main(int argc, char **argv)
{
	struct timespec tick = { .tv_nsec = 200000000 };
	char buf[TEXT_MAX], by_fd[TEXT_MAX], by_map[TEXT_MAX];
	unsigned long count;
	struct stat st;
	const char *map;
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: relocate_target FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || !st.st_size) {
		perror(argv[1]);
		return 1;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (count = 1;; count++) {
		n = pread(fd, buf, sizeof(buf), 0);
		first_line(by_fd, buf, n > 0 ? n : 0);
		first_line(by_map, map, st.st_size);
		printf("relocate %d: %lu fd %s map %s\n", getpid(), count, by_fd, by_map);
		fflush(stdout);
		/* A sleep cut by a checkpoint may end early: that is fine. */
		while (nanosleep(&tick, &tick) && errno == EINTR)
			;
		tick.tv_nsec = 200000000;
	}
	return 0;
}
