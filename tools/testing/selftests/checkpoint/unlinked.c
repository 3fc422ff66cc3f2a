// SPDX-License-Identifier: GPL-2.0
/*
 * Files unlinked while open or mapped, and an executable unlinked while
 * it runs: they have no path to be reopened by, so they are saved by
 * their contents and come back as unlinked tmpfs files.
 *
 * The file, in a directory on tmpfs and in one on ramfs (whose pages
 * the checkpoint reads through the page cache rather than as shmem):
 *  - NR_F pages each filled with its own byte but a hole, a size that
 *    is no multiple of a page, mode 0640;
 *  - open at F1 with an offset, dup'ed at D1, reopened read-only
 *    through /proc at R1 with an offset of its own;
 *  - mapped shared and privately, the private mapping having written a
 *    page of its own; then unlinked.
 * After the checkpoint, and after each of two restarts, the process
 * checks the contents through every descriptor and mapping, that they
 * are one file (a write through the shared mapping is read through F1,
 * a read through D1 moves F1's offset), its size, mode, link count and
 * name, and that what the private mapping wrote stays its own.
 *
 * The executable: the test copies itself, runs the copy, which unlinks
 * itself; after the restarts, /proc/self/exe still reads as the test.
 *
 * Files saved by their contents on request (CHECKPOINT_SAVE_*, BLCR's
 * --save-exe, --save-private, --save-shared): a copy of the test maps a
 * file privately and one shared, and closes them.  An image taken with
 * the flags restarts twice once the copy and both files are gone, the
 * executable and the mappings as they were; one taken without them is
 * refused with ENOENT, naming the executable.
 */
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define F1		50
#define D1		51	/* dup(F1) */
#define R1		52	/* /proc/self/fd/F1, read-only */
#define NR_F		12
#define HOLE		5
#define SIZE_TAIL	321
#define NR_S		6	/* pages 2 to 7, shared */
#define NR_P		4	/* pages 0 to 3, private */
#define OFF_F1		4444
#define OFF_R1		77
#define TOKEN		0x0b5e55edu
#define WAIT_MS		30000
#define NAME		"ckpt-unlinked"
#define EXE_ENV		"CKPT_UNLINKED_EXE_CHILD"
#define SAVED_ENV	"CKPT_SAVED_CHILD"	/* the prefix of its files */
#define NR_D		3			/* pages of each data file */

struct unlinked_report {
	int setup;		/* the step that failed, or 0 */
	unsigned long s, p;	/* the mappings */
	unsigned int f_bad, s_bad, p_bad;
	long long size;
	unsigned int mode, nlink;
	bool same_inode, name_ok, shared_seen, private_hidden;
	long long off_f1, off_d1, off_r1, off_shared;
	int r1_write_errno;
};

static long psz;
static char dir[64] = "/tmp";	/* where the file is made */

static unsigned char fill(int page)
{
	return page == HOLE ? 0 : 0x40 + page;
}

static long long f_size(void)
{
	return (long long)(NR_F - 1) * psz + SIZE_TAIL;
}

/* The byte at the start of @page of the file, as read back. */
static unsigned char f_byte(int page)
{
	return fill(page);
}

static unsigned char p_byte(int page)
{
	return page == 2 ? 0x77 : f_byte(page);
}

/* How many of @pages pages of @mem, from file page @first, are wrong. */
static unsigned int check_mem(const unsigned char *mem, int pages, int first,
			      unsigned char (*want)(int))
{
	unsigned int bad = 0;
	int p;

	for (p = 0; p < pages; p++)
		bad += mem[p * psz] != want(first + p) ||
		       mem[p * psz + psz - 1] != want(first + p);
	return bad;
}

static unsigned int check_fd(int fd)
{
	unsigned char c[2];
	unsigned int bad = 0;
	int p;

	for (p = 0; p < NR_F; p++) {
		off_t last = p == NR_F - 1 ? SIZE_TAIL - 1 : psz - 1;

		if (pread(fd, &c[0], 1, (off_t)p * psz) != 1 ||
		    pread(fd, &c[1], 1, (off_t)p * psz + last) != 1)
			bad++;
		else
			bad += c[0] != f_byte(p) || c[1] != f_byte(p);
	}
	return bad;
}

static bool name_is(int fd, const char *want)
{
	char link[64], got[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, got, sizeof(got) - 1);
	if (n < 0)
		return false;
	got[n] = '\0';
	return !strcmp(got, want);
}

static void after(struct unlinked_report *r, unsigned char *shared,
		  unsigned char *priv, const char *want_name)
{
	struct stat st1, std, str;
	unsigned char c;
	unsigned int v;

	r->f_bad = check_fd(F1);
	r->s_bad = check_mem(shared, NR_S, 2, f_byte);
	r->p_bad = check_mem(priv, NR_P, 0, p_byte);
	if (fstat(F1, &st1) || fstat(D1, &std) || fstat(R1, &str))
		return;
	r->size = st1.st_size;
	r->mode = st1.st_mode & 07777;
	r->nlink = st1.st_nlink;
	r->same_inode = st1.st_ino == std.st_ino && st1.st_ino == str.st_ino &&
			st1.st_dev == str.st_dev;
	r->name_ok = name_is(F1, want_name) && name_is(R1, want_name);
	r->off_f1 = lseek(F1, 0, SEEK_CUR);
	r->off_d1 = lseek(D1, 0, SEEK_CUR);
	r->off_r1 = lseek(R1, 0, SEEK_CUR);
	if (read(D1, &c, 1) == 1)
		r->off_shared = lseek(F1, 0, SEEK_CUR);
	r->r1_write_errno = write(R1, "x", 1) < 0 ? errno : 0;

	/* A write through the shared mapping is the file's. */
	v = TOKEN;
	memcpy(shared + psz + 16, &v, sizeof(v));
	r->shared_seen = pread(R1, &v, sizeof(v), 3 * psz + 16) == sizeof(v) &&
			 v == TOKEN;
	priv[psz] = 0x99;
	r->private_hidden = pread(F1, &c, 1, psz) == 1 && c == f_byte(1);
}

static void __noreturn unlinked_child(void)
{
	struct unlinked_report r = { 0 };
	unsigned char *shared = NULL, *priv = NULL, *buf;
	char path[PATH_MAX], want[PATH_MAX + 16];
	int p, fd;

	psz = sysconf(_SC_PAGESIZE);
	buf = malloc(psz);
	snprintf(path, sizeof(path), "%s/%s", dir, NAME);
	snprintf(want, sizeof(want), "/%s (deleted)", NAME);
	r.setup = 1;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (!buf || fd < 0 || dup2(fd, F1) != F1 || close(fd))
		goto out;
	for (p = 0; p < NR_F; p++) {
		memset(buf, fill(p), psz);
		if (p != HOLE && pwrite(F1, buf, psz, (off_t)p * psz) != psz)
			goto out;
	}
	r.setup = 2;
	if (ftruncate(F1, f_size()) || fchmod(F1, 0640) ||
	    lseek(F1, OFF_F1, SEEK_SET) != OFF_F1 || dup2(F1, D1) != D1)
		goto out;
	snprintf((char *)buf, psz, "/proc/self/fd/%d", F1);
	fd = open((char *)buf, O_RDONLY);
	r.setup = 3;
	if (fd < 0 || dup2(fd, R1) != R1 || close(fd) ||
	    lseek(R1, OFF_R1, SEEK_SET) != OFF_R1)
		goto out;
	shared = mmap(NULL, NR_S * psz, PROT_READ | PROT_WRITE, MAP_SHARED, F1,
		      2 * psz);
	priv = mmap(NULL, NR_P * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE, F1,
		    0);
	r.setup = 4;
	if (shared == MAP_FAILED || priv == MAP_FAILED)
		goto out;
	memset(priv + 2 * psz, 0x77, psz);
	r.setup = 5;
	if (unlink(path))
		goto out;
	r.setup = 0;
	r.s = (unsigned long)shared;
	r.p = (unsigned long)priv;
out:
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r) || r.setup)
		_exit(90);
	if (read(CTL_FD, buf, 1) != 1)
		_exit(91);
	/* Restored, it is a tmpfs file of the same name, unlinked. */
	after(&r, shared, priv, want);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(92);
	_exit(0);
}

FIXTURE(unl) {
	struct piped_child pc;
	struct unlinked_report before;
	bool mounted;
};

FIXTURE_VARIANT(unl) {
	bool ramfs;
};

FIXTURE_VARIANT_ADD(unl, tmpfs) {
	.ramfs = false,
};

FIXTURE_VARIANT_ADD(unl, ramfs) {
	.ramfs = true,
};

FIXTURE_SETUP(unl)
{
	psz = sysconf(_SC_PAGESIZE);
	snprintf(dir, sizeof(dir), "/tmp");
	if (variant->ramfs) {
		snprintf(dir, sizeof(dir), "/tmp/ckpt-unlinked.XXXXXX");
		ASSERT_NE(NULL, mkdtemp(dir));
		if (mount("none", dir, "ramfs", 0, NULL)) {
			rmdir(dir);
			SKIP(return, "cannot mount a ramfs: %s", strerror(errno));
		}
		self->mounted = true;
	}
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD,
				      unlinked_child));
	ASSERT_EQ(0, read_within(self->pc.res, &self->before,
				 sizeof(self->before), WAIT_MS));
	ASSERT_EQ(0, self->before.setup);
}

FIXTURE_TEARDOWN(unl)
{
	piped_child_end(&self->pc);
	if (self->mounted) {
		umount2(dir, MNT_DETACH);
		rmdir(dir);
	}
}

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct unlinked_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(0, r.f_bad);
	EXPECT_EQ(0, r.s_bad);
	EXPECT_EQ(0, r.p_bad);
	EXPECT_EQ(f_size(), r.size);
	EXPECT_EQ(0640, r.mode);
	EXPECT_EQ(0, r.nlink);
	EXPECT_TRUE(r.same_inode);
	EXPECT_TRUE(r.name_ok);
	EXPECT_EQ(OFF_F1, r.off_f1);
	EXPECT_EQ(OFF_F1, r.off_d1);
	EXPECT_EQ(OFF_R1, r.off_r1);
	EXPECT_EQ(OFF_F1 + 1, r.off_shared);
	EXPECT_EQ(EBADF, r.r1_write_errno);
	EXPECT_TRUE(r.shared_seen);
	EXPECT_TRUE(r.private_hidden);
}

/*
 * One object holds the file, flagged unlinked, with every page but the
 * hole; both mappings and the three descriptors refer to it.
 */
static void check_image(struct __test_metadata *_metadata,
			const struct ckpt_image *img,
			const struct unlinked_report *r)
{
	const struct ckpt_hdr_memfd *m;
	const struct ckpt_hdr_pages *pg;
	const struct ckpt_hdr_vma *v;
	const struct ckpt_hdr_file *f;
	long off, m_off;
	int i, vmas = 0, files = 0;
	unsigned int pages = 0;

	ASSERT_EQ(1, image_count(img, CKPT_HDR_MEMFD));
	m = image_rec(img, CKPT_HDR_MEMFD, 0);
	ASSERT_NE(NULL, m);
	EXPECT_STREQ(NAME, (const char *)(m + 1));
	EXPECT_EQ(CKPT_MEMFD_UNLINKED, m->flags);
	EXPECT_EQ(0, m->seals);
	EXPECT_EQ(f_size(), m->size);
	EXPECT_EQ(0640, m->mode);
	/* Its pages follow it: all but the hole. */
	m_off = image_find(img, CKPT_HDR_MEMFD, 0);
	for (i = 0; (off = image_find(img, CKPT_HDR_PAGES, i)) >= 0; i++) {
		if (off < m_off)
			continue;
		pg = (const void *)(img->buf + off);
		if (pg->addr >= (__u64)NR_F * psz)
			break;
		pages += pg->nr_pages;
		if (pg->addr + (__u64)pg->nr_pages * psz >= (__u64)NR_F * psz)
			break;
	}
	EXPECT_EQ(NR_F - 1, pages);
	for (i = 0; (v = image_rec(img, CKPT_HDR_VMA, i)); i++) {
		if (v->start != r->s && v->start != r->p)
			continue;
		EXPECT_EQ(CKPT_VMA_MEMFD, v->kind);
		vmas++;
	}
	EXPECT_EQ(2, vmas);
	for (i = 0; (f = image_rec(img, CKPT_HDR_FILE, i)); i++)
		files += f->kind == CKPT_FILE_MEMFD;
	/* F1 with D1, and R1 */
	EXPECT_EQ(2, files);
}

TEST_F(unl, continues)
{
	struct unlinked_report r;
	int status;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	check_image(_metadata, &self->pc.img, &self->before);
	/* Still the file it was, not a copy: the name has the directory. */
	ASSERT_EQ(1, write(self->pc.ctl, "x", 1));
	ASSERT_EQ(0, read_within(self->pc.res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(0, r.f_bad);
	EXPECT_EQ(0, r.s_bad);
	EXPECT_EQ(0, r.p_bad);
	EXPECT_TRUE(r.same_inode);
	EXPECT_TRUE(r.shared_seen);
	EXPECT_TRUE(r.private_hidden);
	EXPECT_EQ(OFF_F1 + 1, r.off_shared);
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, &status, 0));
	self->pc.pid = -1;
	EXPECT_EQ(0, status);
}

TEST_F(unl, restarts_twice)
{
	struct piped_check c = { _metadata, check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

/*
 * The executable: a copy of this program, which unlinks itself once it
 * runs, then reads itself through /proc/self/exe on request.
 */
struct exe_report {
	int setup;
	unsigned long long sum;	/* of /proc/self/exe */
	bool deleted;		/* its link says so */
	unsigned int priv_bad, shared_bad;	/* CKPT_SAVED_CHILD's maps */
};

static unsigned char d_byte(bool shared, int page)
{
	return (shared ? 0xa0 : 0x30) + page;
}

static unsigned char *priv_map, *shared_map;

/* Pages of the data files, as mapped, that are wrong. */
static void data_report(struct exe_report *r)
{
	int p;

	r->priv_bad = 0;
	r->shared_bad = 0;
	for (p = 0; priv_map && p < NR_D; p++) {
		r->priv_bad += priv_map[p * psz + 7] != d_byte(false, p);
		r->shared_bad += shared_map[p * psz + 7] != d_byte(true, p);
	}
}

static unsigned char *map_data(const char *prefix, const char *name,
			       bool shared)
{
	char path[128];
	unsigned char *mem;
	int fd;

	snprintf(path, sizeof(path), "%s.%s", prefix, name);
	fd = open(path, shared ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return NULL;
	mem = mmap(NULL, NR_D * psz, PROT_READ | PROT_WRITE,
		   shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
	close(fd);
	return mem == MAP_FAILED ? NULL : mem;
}

static int make_data(const char *prefix, const char *name, bool shared)
{
	char path[128], page[4096];
	int fd, p, err = 0;

	snprintf(path, sizeof(path), "%s.%s", prefix, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	for (p = 0; p < NR_D && !err; p++) {
		memset(page, d_byte(shared, p), sizeof(page));
		err = pwrite(fd, page, psz, (off_t)p * psz) != psz;
	}
	return close(fd) || err ? -1 : 0;
}

static unsigned long long file_sum(const char *path)
{
	unsigned long long sum = 1469598103934665603ULL;
	unsigned char buf[4096];
	ssize_t n, i;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			sum = (sum ^ buf[i]) * 1099511628211ULL;
	close(fd);
	return n ? 0 : sum;
}

static void exe_report(struct exe_report *r)
{
	char got[PATH_MAX];
	ssize_t n;

	r->sum = file_sum("/proc/self/exe");
	n = readlink("/proc/self/exe", got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	r->deleted = n > 10 && !strcmp(got + n - 10, " (deleted)");
}

/* Run in the copy, from the constructor, before the harness. */
static void __attribute__((constructor)) exe_child(void)
{
	const char *path = getenv(EXE_ENV), *prefix = getenv(SAVED_ENV);
	struct exe_report r = { 0 };
	char c;

	if (!path && !prefix)
		return;
	psz = sysconf(_SC_PAGESIZE);
	if (path) {
		r.setup = unlink(path) ? 1 : 0;
	} else {
		/* Mapped, with no descriptor left. */
		priv_map = map_data(prefix, "priv", false);
		shared_map = map_data(prefix, "shared", true);
		r.setup = !priv_map || !shared_map ? 2 : 0;
	}
	exe_report(&r);
	data_report(&r);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r) || r.setup)
		_exit(90);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(91);
	exe_report(&r);
	data_report(&r);
	_exit(write(RES_FD, &r, sizeof(r)) == sizeof(r) ? 0 : 92);
}

static char exe_copy[64];

static void __noreturn exe_exec(void)
{
	static char *const argv[] = { "unlinked-exe", NULL };

	setenv(EXE_ENV, exe_copy, 1);
	execv(exe_copy, argv);
	_exit(93);
}

static int copy_self(const char *to)
{
	char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n = -1;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out))
		n = -1;
	return n ? -1 : 0;
}

static void check_exe(struct __test_metadata *_metadata, int ctl, int res,
		      unsigned long long want)
{
	struct exe_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(want, r.sum);
	EXPECT_TRUE(r.deleted);
	EXPECT_EQ(0, r.priv_bad);
	EXPECT_EQ(0, r.shared_bad);
}

static void check_exe_restored(struct restart_round *r, void *arg)
{
	struct __test_metadata *_metadata = arg;
	int status;

	check_exe(_metadata, r->ctl, r->res, file_sum("/proc/self/exe"));
	ASSERT_EQ(r->root, waitpid(r->root, &status, 0));
	EXPECT_EQ(0, status);
}

TEST(unlinked_executable)
{
	unsigned long long want = file_sum("/proc/self/exe");
	const struct ckpt_hdr_mm *mm;
	const struct ckpt_hdr_memfd *m;
	struct piped_child pc;
	struct exe_report r;

	ASSERT_NE(0, want);
	snprintf(exe_copy, sizeof(exe_copy), "/tmp/ckpt-exe.%d", getpid());
	ASSERT_EQ(0, copy_self(exe_copy));
	ASSERT_LE(0, piped_child_fork(&pc, CTL_FD, RES_FD, exe_exec));
	ASSERT_EQ(0, read_within(pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, r.setup);
	EXPECT_EQ(-1, access(exe_copy, F_OK));
	EXPECT_TRUE(r.deleted);

	ASSERT_LT(0, checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TASK, &pc.img,
				      pc.log, sizeof(pc.log)))
		TH_LOG("%s", pc.log);
	mm = image_rec(&pc.img, CKPT_HDR_MM, 0);
	ASSERT_NE(NULL, mm);
	m = image_rec(&pc.img, CKPT_HDR_MEMFD, 0);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(m->h.objref, mm->exe_ref);
	EXPECT_EQ(CKPT_MEMFD_UNLINKED, m->flags);
	EXPECT_EQ(0755, m->mode);

	ASSERT_LT(0, kill_and_restart_rounds(&pc, CHECKPOINT_SCOPE_TASK, 2,
					     check_exe_restored, _metadata))
		TH_LOG("%s", pc.log);
	piped_child_end(&pc);
}

static char saved_prefix[64];

static void __noreturn saved_exec(void)
{
	static char *const argv[] = { "saved-exe", NULL };

	setenv(SAVED_ENV, saved_prefix, 1);
	execv(exe_copy, argv);
	_exit(93);
}

static void remove_saved(void)
{
	char path[128];

	unlink(exe_copy);
	snprintf(path, sizeof(path), "%s.priv", saved_prefix);
	unlink(path);
	snprintf(path, sizeof(path), "%s.shared", saved_prefix);
	unlink(path);
}

static void check_unreached(struct restart_round *r, void *arg)
{
	struct __test_metadata *_metadata = arg;

	kill(r->root, SIGKILL);
	waitpid(r->root, NULL, 0);
	EXPECT_TRUE(false) TH_LOG("an image of gone files restarted");
}

TEST(saved_on_request)
{
	const unsigned long save = CHECKPOINT_SAVE_EXE | CHECKPOINT_SAVE_PRIVATE |
				   CHECKPOINT_SAVE_SHARED;
	const struct ckpt_hdr_memfd *m;
	const struct ckpt_hdr_vma *v;
	const struct ckpt_hdr_mm *mm;
	struct ckpt_image by_path = { 0 };
	struct piped_child pc;
	struct exe_report r;
	int i, memfd_vmas = 0;

	psz = sysconf(_SC_PAGESIZE);
	snprintf(exe_copy, sizeof(exe_copy), "/tmp/ckpt-saved-exe.%d", getpid());
	snprintf(saved_prefix, sizeof(saved_prefix), "/tmp/ckpt-saved.%d",
		 getpid());
	ASSERT_EQ(0, copy_self(exe_copy));
	ASSERT_EQ(0, make_data(saved_prefix, "priv", false));
	ASSERT_EQ(0, make_data(saved_prefix, "shared", true));
	ASSERT_LE(0, piped_child_fork(&pc, CTL_FD, RES_FD, saved_exec));
	ASSERT_EQ(0, read_within(pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, r.setup);
	EXPECT_FALSE(r.deleted);

	/* By path, as by default: it needs the files. */
	ASSERT_LT(0, checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TASK, &by_path,
				      pc.log, sizeof(pc.log)))
		TH_LOG("%s", pc.log);
	EXPECT_EQ(0, image_count(&by_path, CKPT_HDR_MEMFD));

	/* By their contents: three objects, named by the mm and the maps. */
	ASSERT_LT(0, checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TASK | save,
				      &pc.img, pc.log, sizeof(pc.log)))
		TH_LOG("%s", pc.log);
	EXPECT_EQ(3, image_count(&pc.img, CKPT_HDR_MEMFD));
	for (i = 0; (m = image_rec(&pc.img, CKPT_HDR_MEMFD, i)); i++)
		EXPECT_EQ(CKPT_MEMFD_UNLINKED, m->flags);
	mm = image_rec(&pc.img, CKPT_HDR_MM, 0);
	ASSERT_NE(NULL, mm);
	EXPECT_NE(0, mm->exe_ref);
	for (i = 0; (v = image_rec(&pc.img, CKPT_HDR_VMA, i)); i++) {
		EXPECT_NE(CKPT_VMA_FILE, v->kind);
		memfd_vmas += v->kind == CKPT_VMA_MEMFD;
	}
	/* The executable's (text, data...) and the two data files' */
	EXPECT_LE(4, memfd_vmas);

	/* The same, killed before it runs on; then the files go. */
	ASSERT_LT(0, checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TASK | save |
				      CHECKPOINT_KILL, &pc.img, pc.log,
				      sizeof(pc.log)))
		TH_LOG("%s", pc.log);
	ASSERT_EQ(pc.pid, waitpid(pc.pid, NULL, 0));
	pc.pid = -1;
	close(pc.ctl);
	close(pc.res);
	remove_saved();

	EXPECT_EQ(-ENOENT, restart_rounds(&by_path, 1, CTL_FD, RES_FD, pc.log,
					  sizeof(pc.log), NULL,
					  check_unreached, _metadata));
	EXPECT_NE(NULL, strstr(pc.log, exe_copy)) TH_LOG("%s", pc.log);
	ASSERT_LT(0, restart_rounds(&pc.img, 2, CTL_FD, RES_FD, pc.log,
				    sizeof(pc.log), &pc.pid, check_exe_restored,
				    _metadata))
		TH_LOG("%s", pc.log);
	image_free(&by_path);
	piped_child_end(&pc);
}

TEST_HARNESS_MAIN
