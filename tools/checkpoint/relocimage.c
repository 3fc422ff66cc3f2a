// SPDX-License-Identifier: GPL-2.0
/*
 * relocimage - write an image with its paths relocated, as restart and
 * cr_restart --relocate hand it to restart(2), for testing relocate.c
 *
 *   relocimage [-d] [-n BYTES] [--relocate OLD=NEW]... [FILE]
 *
 * The image FILE, or standard input, goes to standard output through
 * the thread and pipe of restart --relocate: the program reads the
 * pipe to its end as restart(2) reads an image, or with -n BYTES only
 * so many bytes of it before it closes the pipe, as restart(2) stops
 * reading an image it refuses.  With -d the copy is made in the main
 * thread, straight to standard output.
 *
 * Exit status: 0, 1 if the relocation failed (the output is then cut
 * short), 2 for a usage error.  This is a test helper: it is not
 * installed.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"

#define PROG	"relocimage"

static const struct option long_options[] = {
	{ "relocate",	required_argument,	NULL, 'r' },
	{ NULL,		0,			NULL, 0 }
};

/* Copy up to @max bytes of @in to standard output. */
static int drain(int in, unsigned long long max)
{
	char buf[65536];
	ssize_t n;
	size_t want;

	while (max) {
		want = max < sizeof(buf) ? max : sizeof(buf);
		n = read(in, buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, PROG ": reading the pipe: %s\n", strerror(errno));
			return -1;
		}
		if (!n)
			break;
		if (write(STDOUT_FILENO, buf, n) != n) {
			fprintf(stderr, PROG ": writing: %s\n", strerror(errno));
			return -1;
		}
		max -= n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long max = ~0ULL;
	struct ckpt_relocations rl = { .nr = 0 };
	struct ckpt_relocate_feed *feed;
	bool direct = false;
	char msg[512], *err_msg;
	int c, err, in = STDIN_FILENO, fd;

	while ((c = getopt_long(argc, argv, "dn:", long_options, NULL)) != -1) {
		switch (c) {
		case 'd':
			direct = true;
			break;
		case 'n':
			max = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			err = ckpt_relocate_parse(&rl, optarg, &err_msg);
			if (err)
				ckpt_usage_error(PROG, err_msg ? err_msg : strerror(err));
			break;
		default:
			ckpt_usage_error(PROG, NULL);
		}
	}
	if (optind < argc - 1)
		ckpt_usage_error(PROG, "too many arguments");
	if (optind == argc - 1) {
		in = open(argv[optind], O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			fprintf(stderr, PROG ": %s: %s\n", argv[optind], strerror(errno));
			return EXIT_FAIL;
		}
	}

	if (direct) {
		err = ckpt_relocate_copy(&rl, in, STDOUT_FILENO, msg, sizeof(msg));
	} else {
		fd = ckpt_relocate_start(&rl, in, &feed);
		if (fd < 0) {
			fprintf(stderr, PROG ": %s\n", strerror(errno));
			return EXIT_FAIL;
		}
		if (drain(fd, max))
			return EXIT_FAIL;
		err = ckpt_relocate_finish(feed, msg, sizeof(msg));
	}
	if (err) {
		fprintf(stderr, PROG ": relocating paths: %s\n", msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
