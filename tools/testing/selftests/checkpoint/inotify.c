// SPDX-License-Identifier: GPL-2.0
/*
 * Inotify instances.  The child C holds, at INO_FD (O_NONBLOCK), an
 * inotify with watches
 *
 *   1  DIR		IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
 *   2  DIR/file	IN_MODIFY | IN_ONESHOT
 *   3  DIR/sub		IN_ATTRIB | IN_EXCL_UNLINK
 *
 * and watch 4, on DIR/gone, removed; on it are queued, not read: the
 * creation of DIR/a, its rename to DIR/b (two events with one cookie)
 * and watch 4's IN_IGNORED.  At OVF_FD it holds an inotify made while
 * fs.inotify.max_queued_events was OVF_MAX, watching ODIR, on which
 * OVF_MAX + 2 files were made: OVF_MAX events, then the overflow.
 *
 * After the checkpoint (or the restart) C checks the watches as fdinfo
 * shows them (wd, inode, mask with its flags), reads the queued events,
 * then makes new ones: a new watch gets wd 5, the next one; watching
 * DIR again gives wd 1; a creation and removal in DIR, a write of
 * DIR/file (with IN_ONESHOT, then IN_IGNORED) and a chmod of DIR/sub
 * are reported on the right watches; the inotify at OVF_FD still
 * overflows after OVF_MAX events.
 */
#define _GNU_SOURCE
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define INO_FD		60
#define OVF_FD		61
#define DIR		"/tmp/ckpt_inotify.d"
#define ODIR		"/tmp/ckpt_inotify.o"
#define MAXQ_PATH	"/proc/sys/fs/inotify/max_queued_events"
#define OVF_MAX		4
#define MAX_EVENTS	16
#define MAX_WATCHES	8
#define WAIT_MS		30000

#define DIR_MASK	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)

struct ev {
	int wd;
	unsigned int mask, cookie;
	char name[16];
};

struct watch {
	int wd;
	unsigned long ino;
	unsigned int mask;
};

struct inotify_report {
	int ready;
	unsigned long ino_dir, ino_file, ino_sub;
	/* after */
	int nonblock;
	int nr_watches;
	struct watch watches[MAX_WATCHES];
	int nr_queued;
	struct ev queued[MAX_EVENTS];
	int nr_ovf, nr_ovf_again;
	struct ev ovf[MAX_EVENTS], ovf_again[MAX_EVENTS];
	int wd_new, wd_again;
	int nr_new;
	struct ev fresh[MAX_EVENTS];
};

static unsigned long ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

static int touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Read what is queued, without waiting; the number of events, or -1. */
static int read_events(int fd, struct ev *out, int max)
{
	union {
		struct inotify_event e;
		char buf[4096];
	} u;
	char *buf = u.buf;
	int n = 0;
	ssize_t len;
	char *p;

	len = read(fd, buf, sizeof(u));
	if (len < 0)
		return errno == EAGAIN ? 0 : -1;
	for (p = buf; p < buf + len && n < max; n++) {
		const struct inotify_event *e = (const void *)p;

		out[n].wd = e->wd;
		out[n].mask = e->mask;
		out[n].cookie = e->cookie;
		snprintf(out[n].name, sizeof(out[n].name), "%s",
			 e->len ? e->name : "");
		p += sizeof(*e) + e->len;
	}
	return n;
}

static int watch_cmp(const void *a, const void *b)
{
	const struct watch *x = a, *y = b;

	return x->wd - y->wd;
}

/* The watches of an inotify as /proc/self/fdinfo shows them, by wd. */
static int fdinfo_watches(int fd, struct watch *w, int max)
{
	char path[64], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof(line), f)) {
		unsigned int sdev;

		if (sscanf(line, "inotify wd:%x ino:%lx sdev:%x mask:%x",
			   &w[n].wd, &w[n].ino, &sdev, &w[n].mask) == 4)
			n++;
	}
	fclose(f);
	qsort(w, n, sizeof(*w), watch_cmp);
	return n;
}

/* Make files ODIR/<prefix>0... to queue @n creations. */
static int touch_n(const char *prefix, int n)
{
	char path[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), ODIR "/%s%d", prefix, i);
		if (touch(path))
			return -1;
	}
	return 0;
}

static void unlink_n(const char *prefix, int n)
{
	char path[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), ODIR "/%s%d", prefix, i);
		unlink(path);
	}
}

static int make_overflow(void)
{
	long old = read_number(MAXQ_PATH);
	char num[24];
	int fd;

	if (old < 0)
		return -1;
	snprintf(num, sizeof(num), "%d", OVF_MAX);
	if (write_string(MAXQ_PATH, num))
		return -1;
	fd = inotify_init1(IN_CLOEXEC);
	snprintf(num, sizeof(num), "%ld", old);
	if (write_string(MAXQ_PATH, num) || fd < 0)
		return -1;
	if (dup2(fd, OVF_FD) != OVF_FD || close(fd) ||
	    inotify_add_watch(OVF_FD, ODIR, IN_CREATE) != 1)
		return -1;
	return touch_n("n", OVF_MAX + 2);
}

static int set_up(struct inotify_report *r)
{
	int fd = inotify_init1(IN_NONBLOCK);

	if (fd < 0 || dup2(fd, INO_FD) != INO_FD || close(fd))
		return -1;
	if (inotify_add_watch(INO_FD, DIR, DIR_MASK) != 1 ||
	    inotify_add_watch(INO_FD, DIR "/file", IN_MODIFY | IN_ONESHOT) != 2 ||
	    inotify_add_watch(INO_FD, DIR "/sub", IN_ATTRIB | IN_EXCL_UNLINK) != 3 ||
	    inotify_add_watch(INO_FD, DIR "/gone", IN_OPEN) != 4)
		return -2;
	if (touch(DIR "/a") || rename(DIR "/a", DIR "/b") ||
	    inotify_rm_watch(INO_FD, 4))
		return -3;
	if (make_overflow())
		return -4;
	r->ino_dir = ino_of(DIR);
	r->ino_file = ino_of(DIR "/file");
	r->ino_sub = ino_of(DIR "/sub");
	return 0;
}

static void check_inotify(void *report)
{
	struct inotify_report *r = report;
	int fd;

	r->nonblock = !!(fcntl(INO_FD, F_GETFL) & O_NONBLOCK);
	r->nr_watches = fdinfo_watches(INO_FD, r->watches, MAX_WATCHES);
	r->nr_queued = read_events(INO_FD, r->queued, MAX_EVENTS);
	r->nr_ovf = read_events(OVF_FD, r->ovf, MAX_EVENTS);
	if (!touch_n("m", OVF_MAX + 1))
		r->nr_ovf_again = read_events(OVF_FD, r->ovf_again, MAX_EVENTS);
	unlink_n("m", OVF_MAX + 1);

	r->wd_new = inotify_add_watch(INO_FD, DIR "/gone", IN_OPEN);
	r->wd_again = inotify_add_watch(INO_FD, DIR, DIR_MASK);
	if (touch(DIR "/c") || unlink(DIR "/c"))
		return;
	fd = open(DIR "/file", O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || write(fd, "x", 1) != 1)
		return;
	close(fd);
	if (chmod(DIR "/sub", 0700))
		return;
	r->nr_new = read_events(INO_FD, r->fresh, MAX_EVENTS);
	/* As it was, for a restart from the same image. */
	inotify_rm_watch(INO_FD, r->wd_new);
}

static void __noreturn child(void)
{
	struct inotify_report r = { 0 };

	r.ready = set_up(&r);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), check_inotify);
}

static void expect_ev(struct __test_metadata *_metadata, const struct ev *e,
		      int wd, unsigned int mask, const char *name)
{
	EXPECT_EQ(wd, e->wd);
	EXPECT_EQ(mask, e->mask);
	EXPECT_STREQ(name, e->name);
}

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct inotify_report r;
	int i;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(1, r.nonblock);

	ASSERT_EQ(3, r.nr_watches);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(i + 1, r.watches[i].wd);
	EXPECT_EQ(r.ino_dir, r.watches[0].ino);
	EXPECT_EQ(DIR_MASK, r.watches[0].mask);
	EXPECT_EQ(r.ino_file, r.watches[1].ino);
	EXPECT_EQ(IN_MODIFY | IN_ONESHOT, r.watches[1].mask);
	EXPECT_EQ(r.ino_sub, r.watches[2].ino);
	EXPECT_EQ(IN_ATTRIB | IN_EXCL_UNLINK, r.watches[2].mask);

	/* Queued before the checkpoint, in order, the rename's cookie kept. */
	ASSERT_EQ(4, r.nr_queued);
	expect_ev(_metadata, &r.queued[0], 1, IN_CREATE, "a");
	expect_ev(_metadata, &r.queued[1], 1, IN_MOVED_FROM, "a");
	expect_ev(_metadata, &r.queued[2], 1, IN_MOVED_TO, "b");
	EXPECT_NE(0, r.queued[1].cookie);
	EXPECT_EQ(r.queued[1].cookie, r.queued[2].cookie);
	expect_ev(_metadata, &r.queued[3], 4, IN_IGNORED, "");

	ASSERT_EQ(OVF_MAX + 1, r.nr_ovf);
	for (i = 0; i < OVF_MAX; i++) {
		char name[16];

		snprintf(name, sizeof(name), "n%d", i);
		expect_ev(_metadata, &r.ovf[i], 1, IN_CREATE, name);
	}
	expect_ev(_metadata, &r.ovf[OVF_MAX], -1, IN_Q_OVERFLOW, "");
	/* Its queue is as short as it was. */
	ASSERT_EQ(OVF_MAX + 1, r.nr_ovf_again);
	for (i = 0; i < OVF_MAX; i++) {
		char name[16];

		snprintf(name, sizeof(name), "m%d", i);
		expect_ev(_metadata, &r.ovf_again[i], 1, IN_CREATE, name);
	}
	expect_ev(_metadata, &r.ovf_again[OVF_MAX], -1, IN_Q_OVERFLOW, "");

	/* New watches and events. */
	EXPECT_EQ(5, r.wd_new);
	EXPECT_EQ(1, r.wd_again);
	ASSERT_EQ(5, r.nr_new);
	expect_ev(_metadata, &r.fresh[0], 1, IN_CREATE, "c");
	expect_ev(_metadata, &r.fresh[1], 1, IN_DELETE, "c");
	expect_ev(_metadata, &r.fresh[2], 2, IN_MODIFY, "");
	expect_ev(_metadata, &r.fresh[3], 2, IN_IGNORED, "");
	expect_ev(_metadata, &r.fresh[4], 3, IN_ATTRIB | IN_ISDIR, "");
}

static void clean_dirs(void)
{
	unlink(DIR "/file");
	unlink(DIR "/gone");
	unlink(DIR "/a");
	unlink(DIR "/b");
	unlink(DIR "/c");
	rmdir(DIR "/sub");
	rmdir(DIR);
	unlink_n("n", OVF_MAX + 2);
	unlink_n("m", OVF_MAX + 1);
	rmdir(ODIR);
}

FIXTURE(inotify) {
	struct piped_child pc;
	struct inotify_report r;
};

FIXTURE_SETUP(inotify)
{
	clean_dirs();
	ASSERT_EQ(0, mkdir(DIR, 0700));
	ASSERT_EQ(0, mkdir(DIR "/sub", 0700));
	ASSERT_EQ(0, mkdir(ODIR, 0700));
	ASSERT_EQ(0, touch(DIR "/file"));
	ASSERT_EQ(0, touch(DIR "/gone"));
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, child));
	ASSERT_EQ(0, read_within(self->pc.res, &self->r, sizeof(self->r),
				 WAIT_MS));
	ASSERT_EQ(0, self->r.ready);
}

FIXTURE_TEARDOWN(inotify)
{
	piped_child_end(&self->pc);
	clean_dirs();
}

/* C goes on, its inotifies as they were. */
TEST_F(inotify, continues)
{
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	EXPECT_EQ(4, image_count(&self->pc.img, CKPT_HDR_INOTIFY_WATCH));
	EXPECT_EQ(4 + OVF_MAX + 1,
		  image_count(&self->pc.img, CKPT_HDR_INOTIFY_EVENT));
	piped_child_finish(_metadata, &self->pc, check);
}

/* Killed and restarted twice from one image. */
TEST_F(inotify, restarts_twice)
{
	struct piped_check c = { _metadata, check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

/*
 * A watched file replaced by another at its path: restart fails with
 * ESTALE, naming the path, and leaves no task.
 */
TEST_F(inotify, replaced_file_refused)
{
	pid_t pid = self->pc.pid;
	long ret;
	int ctl, res;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE |
				      CHECKPOINT_KILL, &self->pc.img,
				      self->pc.log, sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, NULL, 0));
	self->pc.pid = -1;
	ASSERT_EQ(0, rmdir(DIR "/sub"));
	ASSERT_EQ(0, mkdir(DIR "/sub", 0700));
	ret = restart_with_pipes(&self->pc.img, CTL_FD, &ctl, RES_FD, &res,
				 self->pc.log, sizeof(self->pc.log), NULL);
	EXPECT_EQ(-ESTALE, ret);
	EXPECT_NE(NULL, strstr(self->pc.log, DIR "/sub"))
		TH_LOG("%s", self->pc.log);
	EXPECT_NE(NULL, strstr(self->pc.log, "inotify watch 3"))
		TH_LOG("%s", self->pc.log);
	close(ctl);
	close(res);
	EXPECT_EQ(-1, kill(pid, 0));
	EXPECT_EQ(ESRCH, errno);
}

/* Watching a file that was unlinked, still open: refused, naming the fd. */
static void __noreturn unlinked_child(void)
{
	int fd = inotify_init1(0), f = open(DIR "/gone", O_RDONLY);

	piped_child_idle(CTL_FD, RES_FD,
			 fd < 0 || f < 0 || dup2(fd, INO_FD) != INO_FD ||
			 close(fd) ||
			 inotify_add_watch(INO_FD, DIR "/gone", IN_OPEN) != 1 ||
			 unlink(DIR "/gone"));
}

TEST(unlinked_watch_refused)
{
	struct piped_child pc;
	int ready;

	clean_dirs();
	ASSERT_EQ(0, mkdir(DIR, 0700));
	ASSERT_EQ(0, touch(DIR "/gone"));
	ASSERT_LE(0, piped_child_fork(&pc, CTL_FD, RES_FD, unlinked_child));
	ASSERT_EQ(0, read_within(pc.res, &ready, sizeof(ready), WAIT_MS));
	ASSERT_EQ(0, ready);
	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TREE,
						&pc.img, pc.log,
						sizeof(pc.log)));
	EXPECT_NE(NULL, strstr(pc.log, "inotify watch 1"))
		TH_LOG("%s", pc.log);
	EXPECT_NE(NULL, strstr(pc.log, "fd 60"))
		TH_LOG("%s", pc.log);
	/* It goes on. */
	piped_child_release(_metadata, &pc);
	clean_dirs();
}

TEST_HARNESS_MAIN
