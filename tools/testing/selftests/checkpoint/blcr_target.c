// SPDX-License-Identifier: GPL-2.0
/*
 * An unmodified program for blcr_preload: it knows nothing of libcr.
 * Built dynamic, so that libcr_run.so or libcr_omit.so can be preloaded
 * into it.  It writes the checkpoint signal it is registered with (0:
 * none) to fd 101, then obeys bytes read from fd 100: 'r' reports again,
 * 'q' exits 0.
 */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <unistd.h>

#ifndef PR_GET_CHECKPOINT_SIGNAL
#define PR_GET_CHECKPOINT_SIGNAL	0x43505402
#endif

#define CTL_FD	100
#define RES_FD	101

static void report(void)
{
	int sig = 0;

	if (prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0))
		sig = -1;
	if (write(RES_FD, &sig, sizeof(sig)) != sizeof(sig))
		_exit(2);
}

int main(void)
{
	char c;

	report();
	for (;;) {
		if (read(CTL_FD, &c, 1) != 1)
			return 3;
		if (c == 'q')
			return 0;
		if (c == 'r')
			report();
	}
}
