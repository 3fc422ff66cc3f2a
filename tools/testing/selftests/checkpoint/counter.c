// SPDX-License-Identifier: GPL-2.0
/*
 * counter - a small program to checkpoint and restart by hand.
 *
 * It counts, prints the count every half second, and keeps a buffer
 * whose every page holds the count at which it was last rewritten, so
 * that a restored copy can tell whether its memory came back whole:
 *
 *   counter [MAX]	count to MAX (default: forever), then exit 0;
 *			exit 1 as soon as the memory check fails
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUF_PAGES	2048	/* 8 MiB */

int main(int argc, char **argv)
{
	long psz = sysconf(_SC_PAGESIZE);
	unsigned long max = argc > 1 ? strtoul(argv[1], NULL, 0) : 0;
	struct timespec half = { .tv_nsec = 500000000 };
	unsigned long count, i;
	unsigned long *buf;

	buf = malloc(BUF_PAGES * psz);
	if (!buf)
		return 1;
	for (i = 0; i < BUF_PAGES; i++)
		buf[i * psz / sizeof(*buf)] = 0;

	for (count = 1; !max || count <= max; count++) {
		/* Every page holds count - 1 before it is rewritten. */
		for (i = 0; i < BUF_PAGES; i++) {
			unsigned long *word = &buf[i * psz / sizeof(*buf)];

			if (*word != count - 1) {
				printf("counter %d: page %lu holds %lu, not %lu\n",
				       getpid(), i, *word, count - 1);
				return 1;
			}
			*word = count;
		}
		printf("counter %d: %lu\n", getpid(), count);
		fflush(stdout);
		/* A sleep cut by a checkpoint may end early: that is fine. */
		while (nanosleep(&half, &half) && errno == EINTR)
			;
		half.tv_nsec = 500000000;
	}
	return 0;
}
