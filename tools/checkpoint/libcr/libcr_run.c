// SPDX-License-Identifier: LGPL-2.1
/*
 * libcr_run.so: preloaded by cr_run (or linked with -lcr_run -u
 * cr_run_link_me), it registers an unmodified program with libcr when
 * it starts, so that the program can be checkpointed by cr_checkpoint
 * like one that calls cr_init() itself.  The library holds a whole
 * libcr: a program that also links libcr.so uses this copy, which comes
 * first in the symbol search order.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "libcr.h"

int cr_run_link_me;

static void __attribute__((constructor)) cr_run_init(void)
{
	int saved = errno;

	cr_init();	/* a kernel without support: run unregistered */
	errno = saved;
}
