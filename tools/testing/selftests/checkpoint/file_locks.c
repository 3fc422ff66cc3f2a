// SPDX-License-Identifier: GPL-2.0
/*
 * File locks, held by the restored process as they were by the saved
 * one, as another process sees them (F_GETLK, F_OFD_GETLK, flock() with
 * LOCK_NB), while it runs on after the checkpoint and after each of two
 * restarts:
 *
 *  - DATA, a file open read-write at DATA_FD and read-only at RO_FD: an
 *    exclusive flock() through DATA_FD, and POSIX locks: a write lock on
 *    0-99, a read lock on 200-299, a read lock on 400-499 taken through
 *    RO_FD, and a write lock from 1000 to the end of the file;
 *  - SHARED, open read-only at SH_FD: a shared flock();
 *  - OFD, open read-write at OFD_FD: open file description locks, a
 *    write lock on 10-19 and a read lock on 50-59.
 *
 * Then the process drops the lock on 0-99, which another process then
 * takes.  A restart whose lock is now held by another process fails,
 * naming it, and leaves nothing behind.
 */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define DATA_FD		20
#define RO_FD		21
#define SH_FD		22
#define OFD_FD		23
#define DATA		"/tmp/file_locks.data"
#define SHARED		"/tmp/file_locks.shared"
#define OFD		"/tmp/file_locks.ofd"
#define WAIT_MS		30000

static int posix_lock(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = {
		.l_type = type,
		.l_whence = SEEK_SET,
		.l_start = start,
		.l_len = len,
	};

	return fcntl(fd, cmd, &fl);
}

static int open_at(const char *path, int flags, int at)
{
	int fd = open(path, flags | O_CREAT, 0600);

	if (fd < 0 || dup2(fd, at) != at || close(fd))
		return -1;
	return 0;
}

static void __noreturn locks_child(void)
{
	int step = 1;
	char c;

	if (open_at(DATA, O_RDWR, DATA_FD) || open_at(DATA, O_RDONLY, RO_FD) ||
	    open_at(SHARED, O_RDONLY, SH_FD) || open_at(OFD, O_RDWR, OFD_FD))
		goto out;
	step = 2;
	if (flock(DATA_FD, LOCK_EX | LOCK_NB) || flock(SH_FD, LOCK_SH | LOCK_NB))
		goto out;
	step = 3;
	if (posix_lock(DATA_FD, F_SETLK, F_WRLCK, 0, 100) ||
	    posix_lock(DATA_FD, F_SETLK, F_RDLCK, 200, 100) ||
	    posix_lock(RO_FD, F_SETLK, F_RDLCK, 400, 100) ||
	    posix_lock(DATA_FD, F_SETLK, F_WRLCK, 1000, 0))
		goto out;
	step = 4;
	if (posix_lock(OFD_FD, F_OFD_SETLK, F_WRLCK, 10, 10) ||
	    posix_lock(OFD_FD, F_OFD_SETLK, F_RDLCK, 50, 10))
		goto out;
	step = 0;
out:
	if (write(RES_FD, &step, sizeof(step)) != sizeof(step) || step)
		_exit(90);
	/* Told to, drop the lock on 0-99; then wait to be told to end. */
	if (read(CTL_FD, &c, 1) != 1)
		_exit(91);
	step = posix_lock(DATA_FD, F_SETLK, F_UNLCK, 0, 100) ? errno : 0;
	if (write(RES_FD, &step, sizeof(step)) != sizeof(step) ||
	    read(CTL_FD, &c, 1) != 1)
		_exit(92);
	_exit(0);
}

/* What a process other than @owner sees of a POSIX lock on DATA. */
static void expect_posix(struct __test_metadata *_metadata, int fd,
			 off_t start, off_t len, short want, pid_t owner,
			 off_t lstart, off_t llen)
{
	struct flock fl = {
		.l_type = F_WRLCK,
		.l_whence = SEEK_SET,
		.l_start = start,
		.l_len = len,
	};

	ASSERT_EQ(0, fcntl(fd, F_GETLK, &fl));
	EXPECT_EQ(want, fl.l_type) TH_LOG("lock at %ld", (long)start);
	if (want == F_UNLCK)
		return;
	EXPECT_EQ(owner, fl.l_pid);
	EXPECT_EQ(lstart, fl.l_start);
	EXPECT_EQ(llen, fl.l_len);
}

/* The locks of the process @owner, seen from here. */
static void check_locks(struct __test_metadata *_metadata, pid_t owner,
			int ctl, int res)
{
	struct flock fl = {
		.l_type = F_WRLCK,
		.l_whence = SEEK_SET,
		.l_start = 12,
		.l_len = 1,
	};
	int data, sh, ofd, err;

	data = open(DATA, O_RDWR);
	sh = open(SHARED, O_RDONLY);
	ofd = open(OFD, O_RDWR);
	ASSERT_LE(0, data);
	ASSERT_LE(0, sh);
	ASSERT_LE(0, ofd);

	expect_posix(_metadata, data, 50, 1, F_WRLCK, owner, 0, 100);
	expect_posix(_metadata, data, 250, 1, F_RDLCK, owner, 200, 100);
	expect_posix(_metadata, data, 450, 1, F_RDLCK, owner, 400, 100);
	expect_posix(_metadata, data, 150, 40, F_UNLCK, 0, 0, 0);
	expect_posix(_metadata, data, 350, 40, F_UNLCK, 0, 0, 0);
	expect_posix(_metadata, data, 5000, 1, F_WRLCK, owner, 1000, 0);
	/* Read locks let readers in. */
	ASSERT_EQ(0, posix_lock(data, F_SETLK, F_RDLCK, 250, 1));
	ASSERT_EQ(0, posix_lock(data, F_SETLK, F_UNLCK, 250, 1));

	EXPECT_EQ(-1, flock(data, LOCK_SH | LOCK_NB));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(0, flock(sh, LOCK_SH | LOCK_NB));
	EXPECT_EQ(0, flock(sh, LOCK_UN));
	EXPECT_EQ(-1, flock(sh, LOCK_EX | LOCK_NB));
	EXPECT_EQ(EWOULDBLOCK, errno);

	ASSERT_EQ(0, fcntl(ofd, F_OFD_GETLK, &fl));
	EXPECT_EQ(F_WRLCK, fl.l_type);
	EXPECT_EQ(-1, fl.l_pid);
	EXPECT_EQ(10, fl.l_start);
	EXPECT_EQ(10, fl.l_len);
	EXPECT_EQ(0, posix_lock(ofd, F_OFD_SETLK, F_RDLCK, 55, 1));
	EXPECT_EQ(-1, posix_lock(ofd, F_OFD_SETLK, F_WRLCK, 55, 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, posix_lock(ofd, F_OFD_SETLK, F_UNLCK, 55, 1));

	/* It drops one; then the lock is free to take. */
	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &err, sizeof(err), WAIT_MS));
	EXPECT_EQ(0, err);
	EXPECT_EQ(0, posix_lock(data, F_SETLK, F_WRLCK, 0, 100));
	close(data);
	close(sh);
	close(ofd);
	ASSERT_EQ(1, write(ctl, "x", 1));
}

/* The image holds them: one record after DATA's file, one after the table. */
static void check_image(struct __test_metadata *_metadata,
			const struct ckpt_image *img)
{
	const struct ckpt_hdr_file_locks *h;
	const struct ckpt_file_lock *l;
	int i, j, flock = 0, ofd = 0, posix = 0;

	for (i = 0; (h = image_rec(img, CKPT_HDR_FILE_LOCKS, i)); i++) {
		l = (const void *)(h + 1);
		for (j = 0; j < (int)h->nr_locks; j++) {
			flock += l[j].kind == CKPT_LOCK_FLOCK;
			ofd += l[j].kind == CKPT_LOCK_OFD;
			posix += l[j].kind == CKPT_LOCK_POSIX;
			if (l[j].kind == CKPT_LOCK_POSIX && l[j].start == 400)
				EXPECT_EQ(DATA_FD, l[j].fd);
		}
	}
	EXPECT_EQ(2, flock);
	EXPECT_EQ(2, ofd);
	EXPECT_EQ(4, posix);
}

FIXTURE(locks) {
	struct piped_child pc;
};

FIXTURE_SETUP(locks)
{
	int step;

	unlink(DATA);
	unlink(SHARED);
	unlink(OFD);
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, locks_child));
	ASSERT_EQ(0, read_within(self->pc.res, &step, sizeof(step), WAIT_MS));
	ASSERT_EQ(0, step);
}

FIXTURE_TEARDOWN(locks)
{
	piped_child_end(&self->pc);
	unlink(DATA);
	unlink(SHARED);
	unlink(OFD);
}

TEST_F(locks, continues)
{
	int status;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	check_image(_metadata, &self->pc.img);
	check_locks(_metadata, self->pc.pid, self->pc.ctl, self->pc.res);
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, &status, 0));
	self->pc.pid = -1;
	EXPECT_EQ(0, status);
}

static void check_restored(struct restart_round *r, void *arg)
{
	struct __test_metadata *_metadata = arg;
	int status;

	check_locks(_metadata, r->root, r->ctl, r->res);
	ASSERT_EQ(r->root, waitpid(r->root, &status, 0));
	EXPECT_EQ(0, status);
}

TEST_F(locks, restarts_twice)
{
	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, check_restored, _metadata))
		TH_LOG("%s", self->pc.log);
}

/* Another process took a lock in between: the restart fails, cleanly. */
TEST_F(locks, restart_refused_when_taken)
{
	char log[CKPT_LOG_SIZE];
	int fd, ctl, res;
	pid_t pid = self->pc.pid;
	long ret;

	ASSERT_LT(0, checkpoint_image(pid, CHECKPOINT_SCOPE_TASK |
				      CHECKPOINT_KILL, &self->pc.img,
				      self->pc.log, sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	self->pc.pid = -1;
	fd = open(DATA, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_lock(fd, F_SETLK, F_RDLCK, 50, 1));

	ret = restart_with_pipes(&self->pc.img, CTL_FD, &ctl, RES_FD, &res,
				 log, sizeof(log), NULL);
	EXPECT_EQ(-EAGAIN, ret);
	EXPECT_NE(NULL, strstr(log, "cannot take lock 0-99"))
		TH_LOG("%s", log);
	if (ret > 0) {
		kill(ret, SIGKILL);
		waitpid(ret, NULL, 0);
	}
	/* Nothing left behind: not the pid, not a lock. */
	EXPECT_EQ(-1, kill(pid, 0));
	EXPECT_EQ(0, flock(fd, LOCK_EX | LOCK_NB));
	if (ctl >= 0)
		close(ctl);
	if (res >= 0)
		close(res);
	close(fd);
}

TEST_HARNESS_MAIN
