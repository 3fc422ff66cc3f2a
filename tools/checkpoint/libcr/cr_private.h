/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Internals of libcr shared by its source files.  Nothing here is part
 * of the interface: every symbol is hidden.
 */
#ifndef _CR_PRIVATE_H
#define _CR_PRIVATE_H

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcr.h"

#define CR_HIDDEN	__attribute__((visibility("hidden")))
/* for __thread variables that signal handlers use */
#define CR_INITIAL_EXEC	__attribute__((tls_model("initial-exec")))

/* The prctl() interface of Documentation/checkpoint/callbacks.rst */
#ifndef PR_SET_CHECKPOINT_SIGNAL
#define PR_SET_CHECKPOINT_SIGNAL	0x43505401
#define PR_GET_CHECKPOINT_SIGNAL	0x43505402
#define PR_CHECKPOINT_READY		0x43505403
#endif
#ifndef PR_CHECKPOINT_OK
#define PR_CHECKPOINT_OK		0
#define PR_CHECKPOINT_OMIT		1
#define PR_CHECKPOINT_FAIL_TEMP		2
#define PR_CHECKPOINT_FAIL_PERM		3
#endif

/* checkpoint(2) and restart(2); flags of <linux/checkpoint.h> */
#if !defined(__NR_checkpoint) && defined(__x86_64__) && !defined(__ILP32__)
#define __NR_checkpoint		463
#define __NR_restart		464
#endif
#ifndef __NR_checkpoint
#define __NR_checkpoint		(-1L)	/* fails with ENOSYS */
#define __NR_restart		(-1L)
#endif
#ifndef CHECKPOINT_SCOPE_TREE
#define CHECKPOINT_SCOPE_TREE		0x0000
#define CHECKPOINT_SCOPE_TASK		0x0001
#define CHECKPOINT_SCOPE_PGRP		0x0002
#define CHECKPOINT_SCOPE_SESSION	0x0003
#define CHECKPOINT_KILL			0x0020
#define CHECKPOINT_STOP			0x0040
#endif
#ifndef CHECKPOINT_NO_CALLBACKS
#define CHECKPOINT_NO_CALLBACKS		0x0080
#endif
#ifndef CHECKPOINT_SAVE_EXE
#define CHECKPOINT_SAVE_EXE		0x0100
#define CHECKPOINT_SAVE_PRIVATE		0x0200
#define CHECKPOINT_SAVE_SHARED		0x0400
#endif

static inline long cri_sys_checkpoint(pid_t pid, int fd, unsigned long flags,
				      int logfd)
{
	return syscall(__NR_checkpoint, (long)pid, (long)fd, flags,
		       (long)logfd, 0L, 0L);
}

static inline long cri_sys_restart(pid_t pid, int fd, unsigned long flags,
				   int logfd)
{
	return syscall(__NR_restart, (long)pid, (long)fd, flags, (long)logfd,
		       0L, 0L);
}

/* Futexes: the only way libcr sleeps where a signal handler may be. */
static inline void cri_futex_wait(int *addr, int val)
{
	syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static inline int cri_futex_wait_timed(int *addr, int val,
				       const struct timespec *rel)
{
	return syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, rel, NULL, 0);
}

static inline void cri_futex_wake(int *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static inline int cri_load(const int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static inline void cri_store(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static inline int cri_add(int *p, int v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

/* Store and wake every waiter on the word. */
static inline void cri_set(int *p, int v)
{
	cri_store(p, v);
	cri_futex_wake(p);
}

/* Sleep until *p == v. */
static inline void cri_wait_for(int *p, int v)
{
	int cur;

	while ((cur = cri_load(p)) != v)
		cri_futex_wait(p, cur);
}

enum cri_req_kind {
	CRI_REQ_CHECKPOINT,
	CRI_REQ_RESTART,
};

/* A checkpoint or restart request, behind a handle. */
struct cri_req {
	struct cri_req *next;		/* all live requests */
	struct cri_req *qnext;		/* queued for the callback thread */
	enum cri_req_kind kind;
	bool self;			/* the caller's process is a target */
	cr_checkpoint_args_t args;
	cr_restart_args_t rargs;
	pid_t target;			/* 0: self, as checkpoint(2) takes it */
	unsigned long flags;		/* for checkpoint(2) */
	int fd;				/* image */
	bool close_fd;			/* we opened it */
	char dest[PATH_MAX];		/* what cr_checkpoint_info.dest says */
	int logp[2];			/* the kernel's messages */
	char *log;
	size_t loglen;
	int done;			/* futex word: 1 when finished */
	long result;			/* checkpoint id or root pid; -errno */
	bool restarted;			/* self: we are the restored copy */
};

/* libcr.c */
extern int cri_signal CR_HIDDEN;
extern pthread_mutex_t cri_lock CR_HIDDEN;
extern bool cri_ready CR_HIDDEN;
CR_HIDDEN void cri_lock_all(sigset_t *old);
CR_HIDDEN void cri_unlock_all(const sigset_t *old);
CR_HIDDEN int cri_global_init(void);
extern bool cri_omit CR_HIDDEN;
extern char cri_timer_cookie CR_HIDDEN;
CR_HIDDEN void cri_queue_self(struct cri_req *q);

/* request.c */
CR_HIDDEN void cri_req_finish(struct cri_req *q, long result);
CR_HIDDEN long cri_self_checkpoint(struct cri_req *q, int how, int code);
CR_HIDDEN void cri_requests_after_fork(void);

#endif /* _CR_PRIVATE_H */
