// SPDX-License-Identifier: GPL-2.0
/*
 * Shared mappings of files reopened by their path, checked by the
 * process itself after the checkpoint, and once more after each of two
 * restarts:
 *
 *  - RW_PATH, NR_RW pages each filled with its own byte, open read-write
 *    at RW_FD and mapped shared, readable and writable; the process
 *    wrote the first NR_WROTE bytes of each page through the mapping and
 *    did not msync() them;
 *  - RO_PATH, NR_RO pages each filled with its own byte, mapped shared
 *    and read-only from a read-only descriptor, closed since.  mmap(2)
 *    clears VM_SHARED and VM_MAYWRITE of such a mapping but keeps
 *    VM_MAYSHARE: /proc/self/maps shows it "r--s" and mprotect(2) cannot
 *    make it writable.
 *
 * The pages of a shared file mapping are the file's: the image holds
 * none of them, and its VMA records say shared, the first one writable
 * and the second one not.  After the checkpoint or a restart, what was
 * written before is in the mapping and in the file, each sees what is
 * written through the other, both mappings are shared in
 * /proc/self/maps, and the read-only one still cannot be made writable:
 * restored as a private mapping, it could.
 *
 * Restart checks that the file of a writable shared mapping is the same
 * inode, but that of a read-only one also has the same size and mtime:
 * the process never writes RO_PATH, and what it writes to RW_PATH after
 * the checkpoint is only at the token offsets, which the check of what
 * it wrote before skips.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define RW_FD		60
#define RW_PATH		"/tmp/file_mappings.rw"
#define RO_PATH		"/tmp/file_mappings.ro"
#define NR_RW		4
#define NR_RO		2
#define NR_WROTE	16	/* bytes written at the start of each rw page */
#define WAIT_MS		30000

/* The line of /proc/self/maps of a mapping starting at an address. */
struct fmap_report {
	int setup;		/* 0, or where the set-up failed */
	unsigned long rw, ro;	/* where the mappings are */
	unsigned long rw_ino, ro_ino;
	/* after */
	unsigned int rw_bad;	/* rw pages not as written before */
	unsigned int rw_file_bad;	/* rw pages pread() reads otherwise */
	int map_token_seen;	/* a write through rw, seen by pread() */
	int fd_token_seen;	/* a pwrite(), seen through rw */
	struct map_info rw_map, ro_map;
	int ro_mprotect_errno;
	unsigned int ro_bad;	/* ro pages not as the file was made */
	unsigned int ro_file_bad;	/* ro pages pread() reads otherwise */
};

static long psz;

static unsigned char rw_fill(int page)
{
	return 0x40 + page;
}

static unsigned char ro_fill(int page)
{
	return 0x60 + page;
}

static unsigned char wrote(int page)
{
	return 0xa0 + page;
}

/* Written through the mapping, then read by pread(). */
static long map_token(void)
{
	return psz + 100;
}

/* Written by pwrite(), then read through the mapping. */
static long fd_token(void)
{
	return 2 * psz + 200;
}

/*
 * The byte at @off of the rw mapping as it was at the checkpoint, or -1
 * at the token offsets: a round before this one may have written them.
 */
static int rw_byte(long off)
{
	int page = off / psz;

	if (off == map_token() || off == fd_token())
		return -1;
	return off % psz < NR_WROTE ? wrote(page) : rw_fill(page);
}

static int ro_byte(long off)
{
	return ro_fill(off / psz);
}

/* The number of the @pages pages at @mem that are not as @want says. */
static unsigned int mem_bad(const unsigned char *mem, int pages,
			    int (*want)(long off))
{
	unsigned int bad = 0;
	long i;
	int p, w;

	for (p = 0; p < pages; p++) {
		for (i = p * psz; i < (p + 1) * psz; i++) {
			w = want(i);
			if (w >= 0 && mem[i] != w) {
				bad++;
				break;
			}
		}
	}
	return bad;
}

/* The number of the @pages first pages that pread() of @fd reads unlike @mem. */
static unsigned int file_bad(int fd, const unsigned char *mem, int pages)
{
	unsigned char *buf = malloc(psz);
	unsigned int bad = 0;
	int p;

	for (p = 0; p < pages; p++)
		if (!buf || pread(fd, buf, psz, (off_t)p * psz) != psz ||
		    memcmp(buf, mem + p * psz, psz))
			bad++;
	free(buf);
	return bad;
}

static void after(struct fmap_report *r, unsigned char *rw,
		  const unsigned char *ro)
{
	unsigned char c, got;
	int fd;

	/* What was written before the checkpoint is there, and in the file. */
	r->rw_bad = mem_bad(rw, NR_RW, rw_byte);
	r->rw_file_bad = file_bad(RW_FD, rw, NR_RW);
	r->ro_bad = mem_bad(ro, NR_RO, ro_byte);
	fd = open(RO_PATH, O_RDONLY | O_CLOEXEC);
	r->ro_file_bad = file_bad(fd, ro, NR_RO);
	if (fd >= 0)
		close(fd);

	find_map(r->rw, &r->rw_map);
	find_map(r->ro, &r->ro_map);
	r->ro_mprotect_errno = mprotect((void *)ro, NR_RO * psz,
					PROT_READ | PROT_WRITE) ? errno : 0;
	if (!r->ro_mprotect_errno)
		mprotect((void *)ro, NR_RO * psz, PROT_READ);

	/*
	 * One page cache: each sees what the other writes.  A token is
	 * not the byte there, which a round before may have written: a
	 * copy of the file's page would not show it.
	 */
	c = rw[map_token()] ^ 0xff;
	rw[map_token()] = c;
	r->map_token_seen = pread(RW_FD, &got, 1, map_token()) == 1 &&
			    got == c;
	c = rw[fd_token()] ^ 0xff;
	r->fd_token_seen = pwrite(RW_FD, &c, 1, fd_token()) == 1 &&
			   rw[fd_token()] == c;
}

static int open_at(const char *path, int flags, int at)
{
	int fd = open(path, flags);

	if (fd < 0 || dup2(fd, at) != at || close(fd))
		return -1;
	return 0;
}

static void __noreturn fmap_child(void)
{
	struct fmap_report r = { 0 };
	unsigned char *rw = NULL, *ro = NULL;
	struct stat st;
	int p, fd;
	char c;

	psz = sysconf(_SC_PAGESIZE);
	r.setup = 1;
	if (open_at(RW_PATH, O_RDWR, RW_FD) || fstat(RW_FD, &st))
		goto out;
	r.rw_ino = st.st_ino;
	rw = mmap(NULL, NR_RW * psz, PROT_READ | PROT_WRITE, MAP_SHARED, RW_FD,
		  0);
	r.setup = 2;
	if (rw == MAP_FAILED)
		goto out;
	/* Dirty pages of the page cache: no msync(). */
	for (p = 0; p < NR_RW; p++)
		memset(rw + p * psz, wrote(p), NR_WROTE);
	r.setup = 3;
	fd = open(RO_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		goto out;
	r.ro_ino = st.st_ino;
	ro = mmap(NULL, NR_RO * psz, PROT_READ, MAP_SHARED, fd, 0);
	r.setup = 4;
	if (ro == MAP_FAILED || close(fd))
		goto out;
	/* Read in, its pages are mapped when the checkpoint comes. */
	r.setup = 5;
	if (mem_bad(ro, NR_RO, ro_byte))
		goto out;
	r.setup = 0;
	r.rw = (unsigned long)rw;
	r.ro = (unsigned long)ro;
out:
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r) || r.setup)
		_exit(90);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(91);
	after(&r, rw, ro);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(92);
	_exit(0);
}

/* Make @path anew: @pages pages, page p filled with @fill(p). */
static int make_file(const char *path, int pages, unsigned char (*fill)(int))
{
	unsigned char *buf = malloc(psz);
	int fd, p, err;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	err = buf && fd >= 0 ? 0 : -1;
	for (p = 0; !err && p < pages; p++) {
		memset(buf, fill(p), psz);
		if (write(fd, buf, psz) != psz)
			err = -1;
	}
	if (fd >= 0 && close(fd))
		err = -1;
	free(buf);
	return err;
}

FIXTURE(fmap) {
	struct piped_child pc;
	struct fmap_report before;
};

FIXTURE_SETUP(fmap)
{
	psz = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, make_file(RW_PATH, NR_RW, rw_fill));
	ASSERT_EQ(0, make_file(RO_PATH, NR_RO, ro_fill));
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, fmap_child));
	ASSERT_EQ(0, read_within(self->pc.res, &self->before,
				 sizeof(self->before), WAIT_MS));
	ASSERT_EQ(0, self->before.setup);
}

FIXTURE_TEARDOWN(fmap)
{
	piped_child_end(&self->pc);
	unlink(RW_PATH);
	unlink(RO_PATH);
}

static void check_map(struct __test_metadata *_metadata,
		      const struct map_info *m, const char *perms, int pages,
		      unsigned long ino, const char *name)
{
	EXPECT_TRUE(m->found);
	EXPECT_STREQ(perms, m->perms);
	EXPECT_EQ(pages * psz, (long)m->len);
	EXPECT_EQ(ino, m->ino);
	EXPECT_STREQ(name, m->name);
}

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct fmap_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(0U, r.rw_bad);
	EXPECT_EQ(0U, r.rw_file_bad);
	EXPECT_TRUE(r.map_token_seen);
	EXPECT_TRUE(r.fd_token_seen);
	check_map(_metadata, &r.rw_map, "rw-s", NR_RW, r.rw_ino, RW_PATH);
	check_map(_metadata, &r.ro_map, "r--s", NR_RO, r.ro_ino, RO_PATH);
	EXPECT_EQ(EACCES, r.ro_mprotect_errno);
	EXPECT_EQ(0U, r.ro_bad);
	EXPECT_EQ(0U, r.ro_file_bad);
}

/*
 * The number of page records of @img for [@start, @start + @pages pages):
 * those after the VMA record of the mapping at @start, and any other
 * that overlaps it.  -1 if the image cannot be walked.
 */
static int pages_in(const struct ckpt_image *img, unsigned long start,
		    int pages)
{
	struct ckpt_rec recs[CKPT_MAX_RECS];
	unsigned long end = start + pages * psz;
	const struct ckpt_hdr_pages *pg;
	const struct ckpt_hdr_vma *v;
	int n = image_walk(img, recs, CKPT_MAX_RECS), i, nr = 0;
	bool after_vma = false;

	if (n <= 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (recs[i].type == CKPT_HDR_VMA) {
			v = (const void *)(img->buf + recs[i].off);
			after_vma = v->start == start;
			continue;
		}
		if (recs[i].type != CKPT_HDR_PAGES) {
			after_vma = false;
			continue;
		}
		pg = (const void *)(img->buf + recs[i].off);
		if (after_vma ||
		    (pg->addr < end &&
		     pg->addr + (__u64)pg->nr_pages * psz > start))
			nr++;
	}
	return nr;
}

/*
 * Both mappings are of files reopened by path, shared, the rw one
 * writable and the ro one not, and no page of either is in the image.
 */
static void check_image(struct __test_metadata *_metadata,
			const struct ckpt_image *img,
			const struct fmap_report *r)
{
	const __u32 mask = CKPT_VMA_READ | CKPT_VMA_WRITE | CKPT_VMA_EXEC |
			   CKPT_VMA_SHARED | CKPT_VMA_MAYWRITE;
	const __u32 rw_flags = CKPT_VMA_READ | CKPT_VMA_WRITE |
			       CKPT_VMA_SHARED | CKPT_VMA_MAYWRITE;
	const __u32 ro_flags = CKPT_VMA_READ | CKPT_VMA_SHARED;
	const __u32 kind = CKPT_VMA_FILE;
	const struct ckpt_hdr_vma *v, *rw = NULL, *ro = NULL;
	int i;

	for (i = 0; (v = image_rec(img, CKPT_HDR_VMA, i)); i++) {
		if (v->start == r->rw)
			rw = v;
		if (v->start == r->ro)
			ro = v;
	}
	ASSERT_NE(NULL, rw);
	ASSERT_NE(NULL, ro);

	EXPECT_EQ(r->rw + NR_RW * psz, rw->end);
	EXPECT_EQ(kind, rw->kind);
	EXPECT_EQ(0ULL, rw->pgoff);
	EXPECT_EQ(rw_flags, rw->flags & mask);
	EXPECT_EQ(r->rw_ino, rw->ino);
	EXPECT_STREQ(RW_PATH, (const char *)(rw + 1));

	EXPECT_EQ(r->ro + NR_RO * psz, ro->end);
	EXPECT_EQ(kind, ro->kind);
	EXPECT_EQ(0ULL, ro->pgoff);
	EXPECT_EQ(ro_flags, ro->flags & mask);
	EXPECT_EQ(r->ro_ino, ro->ino);
	EXPECT_EQ((__u64)(NR_RO * psz), ro->size);
	EXPECT_STREQ(RO_PATH, (const char *)(ro + 1));

	EXPECT_EQ(0, pages_in(img, r->rw, NR_RW));
	EXPECT_EQ(0, pages_in(img, r->ro, NR_RO));
}

TEST_F(fmap, continues)
{
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	check_image(_metadata, &self->pc.img, &self->before);
	piped_child_finish(_metadata, &self->pc, check);
}

TEST_F(fmap, restarts_twice)
{
	struct piped_check c = { _metadata, check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

TEST_HARNESS_MAIN
