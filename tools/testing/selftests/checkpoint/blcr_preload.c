// SPDX-License-Identifier: GPL-2.0
/*
 * libcr_run.so and libcr_omit.so preloaded into an unmodified, dynamic
 * program (blcr_target): the first registers it at start-up so that it
 * can be checkpointed with callbacks and restarted, the second makes it
 * leave itself out of every checkpoint, so that a request of it alone
 * fails with ESRCH.  The test itself requests the checkpoints and the
 * restart through libcr, as cr_checkpoint and cr_restart do.
 *
 * blcr_target and the libraries are built next to this program; the
 * system needs the dynamic loader and libc for them, else the tests are
 * skipped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blcr_util.h"
#include "../kselftest_harness.h"

#define PRELOAD_SIGNAL	45	/* LIBCR_SIGNAL for the target */
#define LIBCR_OMIT	"libcr_omit.so.0"
#define LIBCR_RUN	"libcr_run.so.0"

static char dir[PATH_MAX];

/* The directory of this program, where its helpers are. */
static int find_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", dirname(exe));
	return 0;
}

/*
 * Start blcr_target with @lib preloaded; its first report (the signal
 * it is registered with) goes to *@sig.  Returns its pid or -errno.
 */
static pid_t start_target(const char *lib, int *ctl, int *res, int *sig)
{
	char target[PATH_MAX + 16], preload[PATH_MAX + 32];
	pid_t pid;

	snprintf(target, sizeof(target), "%s/blcr_target", dir);
	snprintf(preload, sizeof(preload), "%s/%s", dir, lib);
	if (access(target, X_OK) || access(preload, R_OK))
		return -ENOENT;
	*ctl = pipe_at(CTL_FD, true);
	*res = pipe_at(RES_FD, false);
	if (*ctl < 0 || *res < 0)
		return -errno;
	pid = fork_tasks(*ctl, *res);
	if (pid < 0)
		return -errno;
	if (!pid) {
		char sigstr[16];

		snprintf(sigstr, sizeof(sigstr), "%d", PRELOAD_SIGNAL);
		setenv("LD_PRELOAD", preload, 1);
		setenv("LIBCR_SIGNAL", sigstr, 1);
		execl(target, "blcr_target", (char *)NULL);
		_exit(127);
	}
	if (read_timed(*res, sig, sizeof(*sig))) {
		int st;

		/* exec failed: no dynamic loader or libc here */
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return -ENOEXEC;
	}
	return pid;
}

/* A libcr checkpoint request of @pid alone into @fd; poll's result. */
static int request(pid_t pid, int fd, char **msg)
{
	cr_checkpoint_handle_t h;
	cr_checkpoint_args_t a;
	int rc;

	if (cr_initialize_checkpoint_args_t(&a))
		return -100;
	a.cr_scope = CR_SCOPE_PROC;
	a.cr_target = pid;
	a.cr_fd = fd;
	a.cr_flags = CR_CHKPT_ASYNC_ERR;
	if (cr_request_checkpoint(&a, &h))
		return -101;
	arm();
	rc = cr_poll_checkpoint_msg(&h, NULL, msg);
	disarm(0);
	return rc;
}

FIXTURE(preload) {
	pid_t pid;
	int ctl, res, sig, fd;
};

FIXTURE_SETUP(preload)
{
	if (!blcr_kernel_has_callbacks())
		SKIP(return, BLCR_NO_CALLBACKS_MSG);
	ASSERT_EQ(0, find_dir());
	self->pid = 0;
	self->ctl = -1;
	self->res = -1;
	self->fd = memfd_create("blcr-image", MFD_CLOEXEC);
	ASSERT_LE(0, self->fd);
	catch_alarm();
}

FIXTURE_TEARDOWN(preload)
{
	if (self->pid > 0)
		blcr_kill(self->pid);
	if (self->ctl >= 0)
		close_ctl_res(&self->ctl, &self->res);
	close(self->fd);
	reap_all();
}

/* Whether start_target() could not run blcr_target; then *@pid is 0. */
static bool cannot_run(pid_t *pid)
{
	if (*pid != -ENOENT && *pid != -ENOEXEC)
		return false;
	*pid = 0;
	return true;
}

TEST_F(preload, omit_makes_a_lone_target_fail_with_esrch)
{
	char *msg = NULL;
	int st;

	self->pid = start_target(LIBCR_OMIT, &self->ctl, &self->res, &self->sig);
	if (cannot_run(&self->pid))
		SKIP(return, "cannot run blcr_target with %s", LIBCR_OMIT);
	ASSERT_LT(0, self->pid);
	EXPECT_EQ(PRELOAD_SIGNAL, self->sig);

	EXPECT_EQ(CR_POLL_CHKPT_ERR_POST, request(self->pid, self->fd, &msg));
	EXPECT_EQ(ESRCH, errno) TH_LOG("%s", msg ? msg : "");
	free(msg);
	/* checkpoint(2) itself says the same */
	EXPECT_EQ(-ESRCH, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK,
					   NULL, NULL, 0));

	/* and the target runs on */
	ASSERT_EQ(0, blcr_cmd(self->ctl, 'r'));
	ASSERT_EQ(0, read_timed(self->res, &self->sig, sizeof(self->sig)));
	EXPECT_EQ(PRELOAD_SIGNAL, self->sig);
	ASSERT_EQ(0, blcr_cmd(self->ctl, 'q'));
	ASSERT_EQ(0, wait_timed(self->pid, &st));
	self->pid = 0;
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
}

TEST_F(preload, run_registers_an_unmodified_program)
{
	cr_restart_handle_t rh;
	cr_restart_args_t ra;
	char *msg = NULL;
	pid_t pid;
	int st, rc;

	self->pid = start_target(LIBCR_RUN, &self->ctl, &self->res, &self->sig);
	if (cannot_run(&self->pid))
		SKIP(return, "cannot run blcr_target with %s", LIBCR_RUN);
	ASSERT_LT(0, self->pid);
	EXPECT_EQ(PRELOAD_SIGNAL, self->sig);

	rc = request(self->pid, self->fd, &msg);
	EXPECT_EQ(1, rc) TH_LOG("errno %d: %s", errno, msg ? msg : "");
	free(msg);
	ASSERT_EQ(1, rc);
	ASSERT_EQ(0, blcr_cmd(self->ctl, 'r'));
	ASSERT_EQ(0, read_timed(self->res, &self->sig, sizeof(self->sig)));
	EXPECT_EQ(PRELOAD_SIGNAL, self->sig);

	/* Restart it as our child: it is registered as it was. */
	pid = self->pid;
	blcr_kill(self->pid);
	self->pid = 0;
	close_ctl_res(&self->ctl, &self->res);
	self->ctl = pipe_at(CTL_FD, true);
	self->res = pipe_at(RES_FD, false);
	ASSERT_LE(0, self->ctl);
	ASSERT_LE(0, self->res);
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	ASSERT_EQ(0, cr_initialize_restart_args_t(&ra));
	ra.cr_fd = self->fd;
	ASSERT_EQ(0, cr_request_restart(&ra, &rh));
	arm();
	rc = cr_poll_restart(&rh, NULL);
	disarm(0);
	close(CTL_FD);
	close(RES_FD);
	ASSERT_EQ(pid, rc) TH_LOG("errno %d", errno);
	self->pid = pid;
	ASSERT_EQ(0, blcr_cmd(self->ctl, 'r'));
	ASSERT_EQ(0, read_timed(self->res, &self->sig, sizeof(self->sig)));
	EXPECT_EQ(PRELOAD_SIGNAL, self->sig);
	ASSERT_EQ(0, blcr_cmd(self->ctl, 'q'));
	ASSERT_EQ(0, wait_timed(self->pid, &st));
	self->pid = 0;
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
}

TEST_HARNESS_MAIN
