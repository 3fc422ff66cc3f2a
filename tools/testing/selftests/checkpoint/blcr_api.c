// SPDX-License-Identifier: GPL-2.0
/*
 * libcr, the BLCR compatibility library: the parts of its interface
 * that need no checkpoint: the values of its constants and the layout of
 * its structures, which BLCR programs are compiled against, error
 * strings, argument checks, and the calls that only make sense in a
 * callback or after cr_init().  Runs on any kernel.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcr.h"
#include "../kselftest_harness.h"

/* The values BLCR 0.8.5 programs are built with */
static_assert(CR_THREAD_CONTEXT == 0x4000000, "CR_THREAD_CONTEXT");
static_assert(CR_SIGNAL_CONTEXT == 0x2000000, "CR_SIGNAL_CONTEXT");
static_assert(CR_MAX_CALLBACKS == 0x1FFFFFF, "CR_MAX_CALLBACKS");
static_assert(CR_ID_CALLBACK == -1, "CR_ID_CALLBACK");
static_assert(CR_SPINLOCK_INITIALIZER == 0U, "CR_SPINLOCK_INITIALIZER");
static_assert(CR_CHECKPOINT_READY == 0 && CR_CHECKPOINT_TEMP_FAILURE == 1 &&
	      CR_CHECKPOINT_PERM_FAILURE == 2 && CR_CHECKPOINT_OMIT == 4,
	      "cr_checkpoint() flags");
static_assert(CR_CHECKPOINT_TEMP_FAILURE_CODE(5) == 0x50001, "TEMP_CODE");
static_assert((unsigned int)CR_CHECKPOINT_PERM_FAILURE_CODE(65535) == 0xffff0002U,
	      "PERM_CODE");
static_assert(CR_STATE_IDLE == 0 && CR_STATE_PENDING == 1 &&
	      CR_STATE_ACTIVE == 2, "cr_status()");
static_assert(CR_SCOPE_PROC == 0 && CR_SCOPE_PGRP == 1 &&
	      CR_SCOPE_SESS == 2 && CR_SCOPE_TREE == 3, "cr_scope_t");
static_assert(CR_CHKPT_PROHIBIT_SELF == 0x1 && CR_CHKPT_PTRACED_ALLOW == 0x2 &&
	      CR_CHKPT_PTRACED_SKIP == 0x4 && CR_CHKPT_PTRACER_SKIP == 0x8 &&
	      CR_CHKPT_ASYNC_ERR == 0x10 && CR_CHKPT_DUMP_EXEC == 0x200 &&
	      CR_CHKPT_DUMP_PRIVATE == 0x400 && CR_CHKPT_DUMP_SHARED == 0x800 &&
	      CR_CHKPT_DUMP_ALL == 0xe00, "checkpoint request flags");
static_assert(CR_DEST_CWD == -4096, "CR_DEST_CWD");
static_assert(CR_RSTRT_ASYNC_ERR == 1 && CR_RSTRT_RESTORE_PID == 2 &&
	      CR_RSTRT_RESTORE_PGID == 4 && CR_RSTRT_RESTORE_SID == 8,
	      "restart flags");
static_assert(CR_HOLD_SCOPE_THREAD == 0 && CR_HOLD_SCOPE_INIT == 1 &&
	      CR_HOLD_SCOPE_UNINIT == 2, "hold scopes");
static_assert(CR_HOLD_READ == -1 && CR_HOLD_NONE == 0 && CR_HOLD_CONT == 1 &&
	      CR_HOLD_RSTRT == 2 && CR_HOLD_BOTH == 3 && CR_HOLD_DFLT == 4,
	      "hold flags");
static_assert(CR_POLL_CHKPT_ERR_PRE == -1 && CR_POLL_CHKPT_ERR_POST == -2 &&
	      CR_POLL_CHKPT_ERR_LOG == -3 && CR_POLL_RSTRT_ERR_PRE == -1 &&
	      CR_POLL_RSTRT_ERR_POST == -2 && CR_POLL_RSTRT_ERR_LOG == -3,
	      "poll results");
static_assert(CR_ETEMPFAIL == 2354 && CR_EPERMFAIL == 2355 &&
	      CR_ENOSUPPORT == 2356 && CR_EVERSION == 2357 &&
	      CR_EOMITTED == 2358 && CR_EBADARCH == 2359 &&
	      CR_EPTRACED == 2360 && CR_EPTRACER == 2361 &&
	      CR_ERSTRTABRT == 2362 && CR_ERESTARTED == 2363 &&
	      CR_ENOTCB == 2364 && CR_ENOINIT == 2365, "error codes");
static_assert(CR_HOOK_CONT_SIGNAL_CONTEXT == 0 &&
	      CR_HOOK_CONT_THREAD_CONTEXT == 1 &&
	      CR_HOOK_CONT_NO_CALLBACKS == 2 &&
	      CR_HOOK_RSTRT_SIGNAL_CONTEXT == 3 &&
	      CR_HOOK_RSTRT_THREAD_CONTEXT == 4 &&
	      CR_HOOK_RSTRT_NO_CALLBACKS == 5 && CR_NUM_HOOKS == 6, "hooks");
static_assert(CR_CHECKPOINT_ARGS_VERSION == 1 && CR_RESTART_ARGS_VERSION == 1,
	      "argument versions");
static_assert(CR_MAX_RSTRT_RELOC == 16, "CR_MAX_RSTRT_RELOC");
static_assert(CR_RELEASE_MAJOR == 0 && CR_RELEASE_MINOR == 8 &&
	      CR_RELEASE_PATCH == 5, "release");

/* Field order of the argument structures (x86_64 layout) */
static_assert(offsetof(cr_checkpoint_args_t, cr_version) == 0 &&
	      offsetof(cr_checkpoint_args_t, cr_scope) == 4 &&
	      offsetof(cr_checkpoint_args_t, cr_target) == 8 &&
	      offsetof(cr_checkpoint_args_t, cr_fd) == 12 &&
	      offsetof(cr_checkpoint_args_t, cr_signal) == 16 &&
	      offsetof(cr_checkpoint_args_t, cr_timeout) == 20 &&
	      offsetof(cr_checkpoint_args_t, cr_flags) == 24 &&
	      sizeof(cr_checkpoint_args_t) == 28, "cr_checkpoint_args_t");
static_assert(offsetof(cr_restart_args_t, cr_fd) == 4 &&
	      offsetof(cr_restart_args_t, cr_signal) == 8 &&
	      offsetof(cr_restart_args_t, cr_flags) == 12 &&
	      offsetof(cr_restart_args_t, cr_relocate) == 16,
	      "cr_restart_args_t");
static_assert(offsetof(struct cr_checkpoint_info, signal) == 0 &&
	      offsetof(struct cr_checkpoint_info, dest) == 8 &&
	      offsetof(struct cr_checkpoint_info, requester) == 16 &&
	      offsetof(struct cr_checkpoint_info, target) == 20 &&
	      offsetof(struct cr_checkpoint_info, scope) == 24,
	      "struct cr_checkpoint_info");
static_assert(CR_RSTRT_RELOCATE_SIZE(2) ==
	      sizeof(struct cr_rstrt_relocate) +
	      2 * sizeof(struct cr_rstrt_relocate_pair), "relocate size");

TEST(version_strings)
{
	EXPECT_STREQ("0.8.5", CR_RELEASE_VERSION);
	EXPECT_STREQ(LIBCR_VERSION, LIBCR_VERSION);
	EXPECT_EQ((void *)~0UL, (void *)CR_HOOK_FN_ERROR);
}

TEST(strerror_knows_libcr_errors)
{
	int e;

	for (e = CR_ETEMPFAIL; e <= CR_ENOINIT; e++) {
		const char *s = cr_strerror(e);

		ASSERT_NE(NULL, s);
		EXPECT_NE(0, strlen(s));
		EXPECT_STRNE(strerror(e), s);
	}
	EXPECT_STREQ("Temporary checkpoint failure", cr_strerror(CR_ETEMPFAIL));
	EXPECT_STREQ("cr_init() was not called", cr_strerror(CR_ENOINIT));
	EXPECT_STREQ(strerror(EAGAIN), cr_strerror(EAGAIN));
	EXPECT_STREQ(strerror(ESRCH), cr_strerror(ESRCH));
}

TEST(calls_before_cr_init)
{
	errno = 0;
	EXPECT_EQ(-1, cr_status());
	EXPECT_EQ(CR_ENOINIT, errno);
	errno = 0;
	EXPECT_EQ(-1, cr_register_callback((cr_callback_t)1, NULL,
					   CR_THREAD_CONTEXT));
	EXPECT_EQ(CR_ENOINIT, errno);
	errno = 0;
	EXPECT_EQ(-1, cr_enter_cs(0));
	EXPECT_EQ(CR_ENOINIT, errno);
	errno = 0;
	EXPECT_EQ(-1, cr_hold_ctrl(CR_HOLD_SCOPE_THREAD, CR_HOLD_READ));
	EXPECT_EQ(CR_ENOINIT, errno);
}

TEST(calls_outside_callbacks)
{
	EXPECT_EQ(-CR_ENOTCB, cr_checkpoint(CR_CHECKPOINT_READY));
	EXPECT_EQ(-CR_ENOTCB, cr_checkpoint(CR_CHECKPOINT_TEMP_FAILURE));
	EXPECT_EQ(NULL, cr_get_checkpoint_info());
	EXPECT_EQ(NULL, cr_get_restart_info());
	errno = 0;
	EXPECT_EQ(-1, cr_replace_self(NULL, NULL, CR_THREAD_CONTEXT));
	EXPECT_EQ(CR_ENOTCB, errno);
	errno = 0;
	EXPECT_EQ(-1, cr_forward_checkpoint(CR_SCOPE_PROC, getpid()));
	EXPECT_EQ(CR_ENOTCB, errno);
}

TEST(hold_ctrl_defaults)
{
	EXPECT_EQ(CR_HOLD_BOTH, cr_hold_ctrl(CR_HOLD_SCOPE_INIT, CR_HOLD_READ));
	EXPECT_EQ(CR_HOLD_BOTH, cr_hold_ctrl(CR_HOLD_SCOPE_UNINIT, CR_HOLD_READ));
	EXPECT_EQ(CR_HOLD_BOTH, cr_hold_ctrl(CR_HOLD_SCOPE_INIT, CR_HOLD_CONT));
	EXPECT_EQ(CR_HOLD_CONT, cr_hold_ctrl(CR_HOLD_SCOPE_INIT, CR_HOLD_NONE));
	EXPECT_EQ(CR_HOLD_NONE, cr_hold_ctrl(CR_HOLD_SCOPE_INIT, CR_HOLD_READ));
	EXPECT_EQ(-1, cr_hold_ctrl(CR_HOLD_SCOPE_INIT, CR_HOLD_DFLT));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, cr_hold_ctrl(7, CR_HOLD_READ));
	EXPECT_EQ(EINVAL, errno);
}

static void hook_a(cr_hook_event_t e) { (void)e; }
static void hook_b(cr_hook_event_t e) { (void)e; }

TEST(hooks_replace_like_signal)
{
	EXPECT_EQ(NULL,
		  (void *)cr_register_hook(CR_HOOK_RSTRT_NO_CALLBACKS, hook_a));
	EXPECT_EQ((void *)hook_a,
		  (void *)cr_register_hook(CR_HOOK_RSTRT_NO_CALLBACKS, hook_b));
	EXPECT_EQ((void *)hook_b,
		  (void *)cr_register_hook(CR_HOOK_RSTRT_NO_CALLBACKS, NULL));
	errno = 0;
	EXPECT_EQ((void *)CR_HOOK_FN_ERROR,
		  (void *)cr_register_hook(CR_NUM_HOOKS, hook_a));
	EXPECT_EQ(EINVAL, errno);
}

TEST(spinlocks)
{
	cr_spinlock_t l = CR_SPINLOCK_INITIALIZER;

	EXPECT_NE(0, cr_spinlock_trylock(&l));
	EXPECT_EQ(0, cr_spinlock_trylock(&l));
	cr_spinlock_unlock(&l);
	cr_spinlock_lock(&l);
	EXPECT_EQ(0, cr_spinlock_trylock(&l));
	cr_spinlock_unlock(&l);
	cr_spinlock_init(&l);
	EXPECT_EQ(0U, l);
}

TEST(argument_checks)
{
	cr_checkpoint_handle_t h;
	cr_checkpoint_args_t a;
	cr_restart_args_t ra;

	errno = 0;
	EXPECT_EQ(-1, cri_init_checkpoint_args_t(2, &a));
	EXPECT_EQ(CR_EVERSION, errno);
	ASSERT_EQ(0, cr_initialize_checkpoint_args_t(&a));
	EXPECT_EQ(CR_CHECKPOINT_ARGS_VERSION, a.cr_version);
	EXPECT_EQ(CR_SCOPE_PROC, a.cr_scope);
	EXPECT_EQ(0, a.cr_target);
	EXPECT_EQ(0, a.cr_signal);
	EXPECT_EQ(0U, a.cr_timeout);
	ASSERT_EQ(0, cr_initialize_restart_args_t(&ra));
	EXPECT_EQ(CR_RESTART_ARGS_VERSION, ra.cr_version);
	EXPECT_EQ(NULL, ra.cr_relocate);

	a.cr_fd = STDOUT_FILENO;
	a.cr_version = 9;
	EXPECT_EQ(-1, cr_request_checkpoint(&a, &h));
	EXPECT_EQ(CR_EVERSION, errno);
	a.cr_version = CR_CHECKPOINT_ARGS_VERSION;
	a.cr_scope = 4;
	EXPECT_EQ(-1, cr_request_checkpoint(&a, &h));
	EXPECT_EQ(EINVAL, errno);
	a.cr_scope = CR_SCOPE_PROC;
	a.cr_flags = 0x100;
	EXPECT_EQ(-1, cr_request_checkpoint(&a, &h));
	EXPECT_EQ(EINVAL, errno);
	a.cr_flags = 0;
	/* No such process: pid_max is at most 4194304. */
	a.cr_target = 4194304 + 1;
	EXPECT_EQ(-1, cr_request_checkpoint(&a, &h));
	EXPECT_EQ(ESRCH, errno);
	a.cr_target = 0;
	a.cr_flags = CR_CHKPT_PROHIBIT_SELF;
	EXPECT_EQ(-1, cr_request_checkpoint(&a, &h));
	EXPECT_EQ(EDEADLK, errno);
	a.cr_flags = 0;
	a.cr_fd = -1;
	EXPECT_EQ(-1, cr_request_checkpoint(&a, &h));
	EXPECT_EQ(EBADF, errno);

	h = 12345;
	EXPECT_EQ(-1, cr_reap_checkpoint(&h));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(CR_POLL_CHKPT_ERR_PRE, cr_poll_checkpoint(&h, NULL));
	EXPECT_EQ(-1, cr_request_restart(&ra, &h));
	EXPECT_EQ(EBADF, errno);
}

/* The errno of a system call the kernel does not have: none has -1. */
static int no_syscall_errno(void)
{
	return syscall(-1) < 0 ? errno : 0;
}

/*
 * On a kernel without the callback prctl()s, cr_init() fails as BLCR's
 * does without its kernel module: with the errno of a missing system
 * call.
 */
TEST(init_without_kernel_support)
{
	int sig, err;

	if (!prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0))
		SKIP(return, "the kernel has checkpoint callbacks");
	errno = 0;
	EXPECT_EQ(-1, cr_init());
	err = errno;
	EXPECT_EQ(no_syscall_errno(), err);
	EXPECT_EQ(-1, cr_status());
	EXPECT_EQ(CR_ENOINIT, errno);
}

/* With them, the first cr_init() registers LIBCR_SIGNAL. */
TEST(init_registers_the_signal)
{
	struct sigaction sa;
	int sig = -1, st;
	pid_t pid;

	if (prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0))
		SKIP(return, "no checkpoint callbacks in this kernel");
	EXPECT_EQ(0, sig);
	ASSERT_EQ(0, setenv("LIBCR_SIGNAL", "40", 1));
	EXPECT_EQ(0, cr_init());
	EXPECT_EQ(0, cr_init());	/* again in the same thread: same id */
	ASSERT_EQ(0, prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0));
	EXPECT_EQ(40, sig);
	ASSERT_EQ(0, sigaction(40, NULL, &sa));
	EXPECT_TRUE(sa.sa_flags & SA_SIGINFO);
	EXPECT_TRUE(sa.sa_flags & SA_RESTART);
	EXPECT_EQ(CR_STATE_IDLE, cr_status());
	EXPECT_EQ(CR_HOLD_DFLT, cr_hold_ctrl(CR_HOLD_SCOPE_THREAD, CR_HOLD_READ));
	EXPECT_EQ(0, cr_enter_cs(0));
	EXPECT_EQ(0, cr_tryenter_cs(0));
	EXPECT_EQ(0, cr_leave_cs(0));
	EXPECT_EQ(0, cr_leave_cs(0));
	EXPECT_EQ(-1, cr_leave_cs(0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, cr_register_callback((cr_callback_t)1, NULL,
					   CR_THREAD_CONTEXT | CR_SIGNAL_CONTEXT));
	EXPECT_EQ(EINVAL, errno);

	/* A child is registered again: fork() does not inherit it. */
	pid = fork();
	if (!pid) {
		sig = 0;
		prctl(PR_GET_CHECKPOINT_SIGNAL, &sig, 0, 0, 0);
		_exit(sig == 40 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, st);
}

TEST_HARNESS_MAIN
