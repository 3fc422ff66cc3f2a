// SPDX-License-Identifier: LGPL-2.1
/*
 * libcr_omit.so: preloaded, it makes a process leave itself out of
 * every checkpoint: the process registers with libcr when it starts and
 * answers each notification with PR_CHECKPOINT_OMIT at once, from the
 * signal handler, running no callbacks.  Its children in the set are
 * saved without it; if every target omits itself, the request fails
 * with ESRCH.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "cr_private.h"

int cr_omit_link_me;

static void __attribute__((constructor)) cr_omit_init(void)
{
	int saved = errno;

	cri_omit = true;
	cr_init();
	errno = saved;
}
