/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * blcr_common.h: the constants and types of the BLCR 0.8 interface that
 * programs, the library and the tools share.  Included by <libcr.h>.
 *
 * The names and values are those BLCR-aware programs are built against;
 * the file itself is written for Linux's in-kernel checkpoint/restart
 * (see Documentation/checkpoint/callbacks.rst).
 */
#ifndef _BLCR_COMMON_H
#define _BLCR_COMMON_H

#include <sys/types.h>

/* The BLCR release whose interface this is, and the library's version */
#define CR_RELEASE_MAJOR	0
#define CR_RELEASE_MINOR	8
#define CR_RELEASE_PATCH	5
#define CR_RELEASE_VERSION	"0.8.5"

#define LIBCR_MAJOR		0
#define LIBCR_MINOR		5
#define LIBCR_PATCH		5
#define LIBCR_VERSION		"0.5.5"

typedef int cr_version_t;

#define CR_CHECKPOINT_ARGS_VERSION	1
#define CR_RESTART_ARGS_VERSION		1

/* What a checkpoint request covers */
typedef enum {
	CR_SCOPE_PROC,	/* all threads of one process */
	CR_SCOPE_PGRP,	/* the processes of a process group */
	CR_SCOPE_SESS,	/* the processes of a session */
	CR_SCOPE_TREE,	/* a process and all its descendants */
} cr_scope_t;

/*
 * Error codes, as errno values above the kernel's range.  cr_strerror()
 * describes them.
 */
#define CR_ETEMPFAIL	2354	/* a callback asked for a temporary failure */
#define CR_EPERMFAIL	2355	/* a callback asked for a permanent failure */
#define CR_ENOSUPPORT	2356	/* a target cannot be checkpointed (no libcr) */
#define CR_EVERSION	2357	/* unknown version of an argument structure */
#define CR_EOMITTED	2358	/* the process was omitted from the checkpoint */
#define CR_EBADARCH	2359	/* an image of another architecture */
#define CR_EPTRACED	2360	/* a target is ptraced */
#define CR_EPTRACER	2361	/* a target ptraces another process */
#define CR_ERSTRTABRT	2362	/* a restart was aborted */
#define CR_ERESTARTED	2363	/* the caller is running after a restart */
#define CR_ENOTCB	2364	/* not called from a callback */
#define CR_ENOINIT	2365	/* cr_init() was not called */

/* Checkpoint request flags (cr_checkpoint_args_t.cr_flags) */
#define CR_CHKPT_PROHIBIT_SELF	0x00000001	/* EDEADLK if the caller is a target */
#define CR_CHKPT_PTRACED_ALLOW	0x00000002	/* checkpoint ptraced targets */
#define CR_CHKPT_PTRACED_SKIP	0x00000004	/* skip ptraced targets */
#define CR_CHKPT_PTRACER_SKIP	0x00000008	/* skip targets that ptrace others */
#define CR_CHKPT_ASYNC_ERR	0x00000010	/* report every error at reap time */
#define CR_CHKPT_DUMP_EXEC	0x00000200	/* save the executable */
#define CR_CHKPT_DUMP_PRIVATE	0x00000400	/* save private file mappings */
#define CR_CHKPT_DUMP_SHARED	0x00000800	/* save shared file mappings */
#define CR_CHKPT_DUMP_ALL	(CR_CHKPT_DUMP_EXEC | CR_CHKPT_DUMP_PRIVATE | \
				 CR_CHKPT_DUMP_SHARED)

/* cr_checkpoint_args_t.cr_fd: write context.<target> in the cwd */
#define CR_DEST_CWD		(-4096)

/* Restart request flags (cr_restart_args_t.cr_flags) */
#define CR_RSTRT_ASYNC_ERR	0x00000001
#define CR_RSTRT_RESTORE_PID	0x00000002
#define CR_RSTRT_RESTORE_PGID	0x00000004
#define CR_RSTRT_RESTORE_SID	0x00000008

/* Results of cr_poll_checkpoint_msg() and cr_poll_restart_msg() */
#define CR_POLL_CHKPT_ERR_PRE	(-1)	/* waiting failed */
#define CR_POLL_CHKPT_ERR_POST	(-2)	/* the request failed (reap) */
#define CR_POLL_CHKPT_ERR_LOG	(-3)	/* reading its messages failed */
#define CR_POLL_RSTRT_ERR_PRE	(-1)
#define CR_POLL_RSTRT_ERR_POST	(-2)
#define CR_POLL_RSTRT_ERR_LOG	(-3)

typedef struct cr_checkpoint_args_s {
	cr_version_t cr_version;	/* CR_CHECKPOINT_ARGS_VERSION */
	cr_scope_t cr_scope;
	pid_t cr_target;		/* 0: the caller */
	int cr_fd;			/* image fd, or CR_DEST_CWD */
	int cr_signal;			/* sent to the targets afterwards; 0: none */
	unsigned int cr_timeout;	/* seconds; 0: no limit */
	unsigned int cr_flags;		/* CR_CHKPT_* */
} cr_checkpoint_args_t;

struct cr_rstrt_relocate_pair {
	const char *oldpath;
	const char *newpath;
};

struct cr_rstrt_relocate {
	unsigned int count;
	struct cr_rstrt_relocate_pair path[];
};

#define CR_MAX_RSTRT_RELOC	16
#define CR_RSTRT_RELOCATE_SIZE(n) \
	(sizeof(struct cr_rstrt_relocate) + \
	 (n) * sizeof(struct cr_rstrt_relocate_pair))

typedef struct cr_restart_args_s {
	cr_version_t cr_version;	/* CR_RESTART_ARGS_VERSION */
	int cr_fd;			/* image fd */
	int cr_signal;			/* sent to the restored processes */
	unsigned int cr_flags;		/* CR_RSTRT_* */
	struct cr_rstrt_relocate *cr_relocate;
} cr_restart_args_t;

#endif /* _BLCR_COMMON_H */
