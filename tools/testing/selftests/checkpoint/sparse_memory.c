// SPDX-License-Identifier: GPL-2.0
/*
 * Sparse memory: checkpoint(2) finds the pages of a mapping by its page
 * tables and saves exactly those that hold data of the mapping's own,
 * in runs, whatever the layout of the holes between them.  The child
 * lays out, in an anonymous region of NR_A pages aligned to a huge page
 * (2 MiB):
 *
 *  - pages written across a page table boundary (510 to 513);
 *  - a run written three records long (CKPT_PAGES_MAX is 256 pages),
 *    across another boundary (700 to 1299);
 *  - a huge-page-aligned 2 MiB asked to be a transparent huge page
 *    (1536 to 2047): it is saved whole whether it became one or not,
 *    and must not be split by the checkpoint;
 *  - pages only read, which map the zero page (2100 to 2103);
 *  - a page written, then cleared: it holds only zeroes, as the pages
 *    of a huge page that were not written do, and is not saved (2300);
 *  - every other page of 2500 to 2510, and the last page (NR_A - 1),
 *    after whole page tables never touched;
 *
 * (with transparent huge pages "always", the first write to a 2 MiB
 * range may give it a huge page, all zeroes but the pages written) and
 * a private mapping of a file of NR_F pages, of which pages 0 to 9
 * were read (the file's pages, mapped) and 3, 4 and 20 written (copies
 * of their own).  The image must hold exactly the written pages, with
 * their contents; after the checkpoint, and after each of two restarts,
 * the child finds every written page as it wrote it, every other page
 * of the region zero and every other page of the file mapping the
 * file's.
 *
 * Below: a region mapped with MAP_NORESERVE, twice as large as memory
 * and swap, of which three pages are written, comes back with its
 * pages and still MAP_NORESERVE ("nr" in smaps), which it must be for
 * mmap(2) to map it again; so does the copy of a child it forked,
 * which restart keeps of the parent's.
 *
 * Last: huge pages.  A private anonymous region asked to be transparent
 * huge pages holds two huge-page-aligned 2 MiB ranges and a tail of a
 * few pages, which is then advised MADV_NOHUGEPAGE.  The first range is
 * written whole; of the second, the first 300 pages and page 400, and
 * then it is made read-only; the tail is written whole.  Each mapping
 * must come back with its advice.  Restart reads the saved pages of
 * each range into a new huge page where the range was one, zeroes what
 * was not saved and maps it as a write fault would have: the range must
 * come back a huge page, read-only where it was, and the process's own,
 * so that making it writable and writing it keeps it whole rather than
 * copying it; and a child forked after that shares it copy-on-write.
 * The restarting test disables transparent huge pages for itself
 * (PR_SET_THP_DISABLE): the restored process must not inherit that.
 *
 * And small pages: a private anonymous region of two page tables,
 * advised MADV_NOHUGEPAGE, holds runs of written pages (one across the
 * boundary of the tables), pages never touched between them, a part
 * made read-only after it was written and a part locked in memory.
 * Restart reads the saved pages into new pages and maps them as write
 * faults would: each written page (and each locked one) must come back
 * the process's own, every other page must read as zeroes from the
 * zero page, not a page of its own; the read-only part must stay
 * read-only (a write there kills a child) and its pages be written in
 * place once it is writable again; a child forked after that shares
 * them copy-on-write.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		60
#define RES_FD		61
#define WAIT_MS		60000
#define NR_A		4096			/* 16 MiB */
#define HUGE		(2UL << 20)
#define NR_F		64

static long psz;
static char path[64];

struct sparse_report {
	unsigned long a, f;		/* the two mappings */
	int setup;			/* the step that failed, or 0 */
	int a_bad, f_bad;		/* the first page that is not right, + 1 */
	int thp;			/* the huge page region is a THP */
};

/* Whether it was before the checkpoint. */
static int thp_before;

/* The pages of the anonymous region that the child writes. */
static bool a_written(int i)
{
	return (i >= 510 && i <= 513) || (i >= 700 && i < 1300) ||
	       (i >= 1536 && i < 2048) || (i >= 2500 && i <= 2510 && !(i % 2)) ||
	       i == NR_A - 1;
}

static bool f_written(int i)
{
	return i == 3 || i == 4 || i == 20;
}

/* Byte @j of page @i as written: by the child (@own) or in the file. */
static unsigned char a_byte(int i, long j)
{
	return (i * 31 + j / 512) | 1;
}

static unsigned char f_byte(int i, long j, bool own)
{
	return own ? (i * 17 + j / 1024) | 0x80 : (i * 5 + j / 2048) & 0x7f;
}

static int check_a(const unsigned char *a)
{
	long i, j;

	for (i = 0; i < NR_A; i++)
		for (j = 0; j < psz; j++)
			if (a[i * psz + j] != (a_written(i) ? a_byte(i, j) : 0))
				return i + 1;
	return 0;
}

static int check_f(const unsigned char *f)
{
	long i, j;

	for (i = 0; i < NR_F; i++)
		for (j = 0; j < psz; j++)
			if (f[i * psz + j] != f_byte(i, j, f_written(i)))
				return i + 1;
	return 0;
}

/* The AnonHugePages, in kB, of the mappings from @start to @end. */
static unsigned long thp_kb(unsigned long start, unsigned long end)
{
	unsigned long from = 0, to = 0, kb = 0;
	char line[256];
	bool in = false;
	FILE *s = fopen("/proc/self/smaps", "r");

	if (!s)
		return 0;
	while (fgets(line, sizeof(line), s)) {
		if (sscanf(line, "%lx-%lx ", &from, &to) == 2)
			in = from < end && to > start;
		else if (in && !strncmp(line, "AnonHugePages:", 14))
			kb += strtoul(line + 14, NULL, 10);
	}
	fclose(s);
	return kb;
}

/* Whether the page at @addr is part of a transparent huge page. */
static int is_thp(unsigned long addr)
{
	return thp_kb(addr, addr + 1) >= HUGE / 1024;
}

/* A private anonymous region of @nr pages aligned to a huge page, or NULL. */
static unsigned char *map_aligned(long nr)
{
	unsigned char *p = mmap(NULL, nr * psz + HUGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	return (unsigned char *)(((unsigned long)p + HUGE - 1) & ~(HUGE - 1));
}

/* Write a_byte() into those of the @nr pages from @p that @written says. */
static void fill_written(unsigned char *p, long nr, bool (*written)(int))
{
	long i, j;

	for (i = 0; i < nr; i++)
		if (written(i))
			for (j = 0; j < psz; j++)
				p[i * psz + j] = a_byte(i, j);
}

/*
 * Fork a child that must find 0xa5 at @a and 0x5a at @b, as this process
 * wrote them, and writes both: whether it found them and this process
 * still does, its memory private to it again.
 */
static bool shared_cow(unsigned char *a, unsigned char *b)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		bool ok = *a == 0xa5 && *b == 0x5a;

		*a = 1;
		*b = 1;
		_exit(ok ? 0 : 1);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status) && *a == 0xa5 && *b == 0x5a;
}

static void __noreturn sparse_child(void)
{
	struct sparse_report r = { 0 };
	unsigned char *a = NULL, *f = NULL, sink = 0;
	char c;
	long i, j;
	int fd;

	r.setup = 1;
	a = map_aligned(NR_A);
	if (!a)
		goto out;
	r.a = (unsigned long)a;
	/* Best effort: the test holds whether it becomes a THP or not. */
	madvise(a + 1536 * psz, HUGE, MADV_HUGEPAGE);
	fill_written(a, NR_A, a_written);
	for (i = 2100; i <= 2103; i++)
		sink |= a[i * psz];
	memset(a + 2300 * psz, 0x5a, psz);
	asm volatile("" : : "r" (a) : "memory");
	memset(a + 2300 * psz, 0, psz);
	r.thp = is_thp((unsigned long)a + 1536 * psz);

	r.setup = 2;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		goto out;
	f = mmap(NULL, NR_F * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (f == MAP_FAILED)
		goto out;
	r.f = (unsigned long)f;
	for (i = 0; i < 10; i++)
		asm volatile("" : : "r" (f[i * psz]));
	for (i = 0; i < NR_F; i++)
		if (f_written(i))
			for (j = 0; j < psz; j++)
				f[i * psz + j] = f_byte(i, j, true);
	r.setup = sink ? 3 : 0;
out:
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r) || r.setup)
		_exit(90);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(91);
	r.a_bad = check_a(a);
	r.f_bad = check_f(f);
	r.thp = is_thp((unsigned long)a + 1536 * psz);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(92);
	_exit(0);
}

FIXTURE(sparse) {
	struct piped_child pc;
	struct sparse_report before;
};

FIXTURE_SETUP(sparse)
{
	unsigned char *buf;
	long i, j;
	int fd;

	psz = sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof(path), "/tmp/ckpt-sparse-%d", getpid());
	buf = malloc(NR_F * psz);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < NR_F; i++)
		for (j = 0; j < psz; j++)
			buf[i * psz + j] = f_byte(i, j, false);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(NR_F * psz, write(fd, buf, NR_F * psz));
	close(fd);
	free(buf);

	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, sparse_child));
	ASSERT_EQ(0, read_within(self->pc.res, &self->before,
				 sizeof(self->before), WAIT_MS));
	ASSERT_EQ(0, self->before.setup);
	TH_LOG("the huge page region is %sa transparent huge page",
	       self->before.thp ? "" : "not ");
	thp_before = self->before.thp;
}

FIXTURE_TEARDOWN(sparse)
{
	piped_child_end(&self->pc);
	unlink(path);
}

static void check(struct __test_metadata *_metadata, int ctl, int res,
		  struct sparse_report *r)
{
	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, r, sizeof(*r), WAIT_MS));
	EXPECT_EQ(0, r->a_bad)
		TH_LOG("page %d of the anonymous region differs", r->a_bad - 1);
	EXPECT_EQ(0, r->f_bad)
		TH_LOG("page %d of the file mapping differs", r->f_bad - 1);
}

static void check_restored(struct __test_metadata *_metadata, int ctl, int res)
{
	struct sparse_report r;

	check(_metadata, ctl, res, &r);
}

/* The checkpoint left the huge page as it was. */
static void check_continued(struct __test_metadata *_metadata, int ctl, int res)
{
	struct sparse_report r;

	check(_metadata, ctl, res, &r);
	EXPECT_EQ(thp_before, r.thp);
}

/*
 * The page records of the mappings in the @nr pages from @start (the
 * region may have been split, by madvise() for one): every page
 * written, once, each holding its bytes, in runs of at most
 * CKPT_PAGES_MAX pages.  Returns the pages counted.
 */
static int check_pages(struct __test_metadata *_metadata,
		       const struct ckpt_image *img, unsigned long start,
		       int nr, bool (*written)(int), bool file)
{
	struct ckpt_rec recs[CKPT_MAX_RECS];
	int n = image_walk(img, recs, CKPT_MAX_RECS), i, saved = 0;
	unsigned long end = start + nr * psz;
	unsigned char *seen = calloc(nr, 1);
	bool inside = false;
	unsigned int p;
	long j;

	EXPECT_LT(0, n);
	EXPECT_NE(NULL, seen);
	if (!seen)
		return 0;
	for (i = 0; i < n; i++) {
		const struct ckpt_hdr_vma *v = (void *)(img->buf + recs[i].off);
		const struct ckpt_hdr_pages *pg = (void *)v;
		const unsigned char *data = (const unsigned char *)(pg + 1);

		if (recs[i].type == CKPT_HDR_VMA) {
			inside = v->start < end && v->end > start;
			continue;
		}
		if (recs[i].type != CKPT_HDR_PAGES || !inside)
			continue;
		EXPECT_GE(CKPT_PAGES_MAX, pg->nr_pages);
		for (p = 0; p < pg->nr_pages; p++) {
			long idx = ((long)pg->addr - (long)start) / psz + p;
			bool ok = true;

			/* Not the slack of the alignment: it is untouched. */
			ok = idx >= 0 && idx < nr && written(idx) && !seen[idx];
			EXPECT_TRUE(ok) TH_LOG("page %ld saved, not written or twice", idx);
			if (!ok)
				continue;
			seen[idx] = 1;
			for (j = 0; j < psz && ok; j++)
				ok = data[p * psz + j] ==
				     (file ? f_byte(idx, j, true) : a_byte(idx, j));
			EXPECT_TRUE(ok) TH_LOG("page %ld saved with other bytes", idx);
			saved++;
		}
	}
	for (i = 0; i < nr; i++)
		EXPECT_TRUE(!written(i) || seen[i]) TH_LOG("page %d written, not saved", i);
	free(seen);
	return saved;
}

TEST_F(sparse, continues_with_exactly_its_pages_saved)
{
	const struct sparse_report *r = &self->before;
	int i, nr_a = 0;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	for (i = 0; i < NR_A; i++)
		nr_a += a_written(i);
	EXPECT_EQ(nr_a, check_pages(_metadata, &self->pc.img, r->a, NR_A,
				    a_written, false));
	EXPECT_EQ(3, check_pages(_metadata, &self->pc.img, r->f, NR_F,
				 f_written, true));
	piped_child_finish(_metadata, &self->pc, check_continued);
}

TEST_F(sparse, restarts_twice)
{
	struct piped_check c = { _metadata, check_restored };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

static unsigned long nr_size;	/* of the MAP_NORESERVE region */
static pid_t nr_forked;		/* the child with a copy of it */

struct nr_report {
	int err;		/* of its mmap(2), or 0 */
	unsigned long addr;
	int nr;			/* "nr" in the VmFlags of its smaps */
	int bad;		/* a page not as written, from 1; or 0 */
};

/* Whether the mapping at @addr has VmFlags @flag in /proc/self/smaps. */
static int has_vmflag(unsigned long addr, const char *flag)
{
	char line[512], want[32];
	bool in = false;
	int ret = 0;
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	snprintf(want, sizeof(want), " %s", flag);
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			in = start == addr;
		else if (in && !strncmp(line, "VmFlags:", 8))
			ret = !!strstr(line, want);
	}
	fclose(f);
	return ret;
}

/* The three pages written: the first, one in the middle, the last. */
static unsigned long nr_page(int i)
{
	return i == 0 ? 0 : i == 1 ? nr_size / 2 : nr_size - psz;
}

static void nr_check(struct nr_report *r)
{
	const unsigned char *p = (void *)r->addr;
	long j;
	int i;

	r->nr = has_vmflag(r->addr, "nr");
	for (i = 0; i < 3; i++)
		for (j = 0; j < psz && !r->bad; j++)
			if (p[nr_page(i) + j] != (unsigned char)(i + j + 1))
				r->bad = i + 1;
	/* A page not written reads as zeroes. */
	if (!r->bad && p[nr_size / 4])
		r->bad = 4;
}

static void nr_check_report(void *r)
{
	nr_check(r);
	kill(nr_forked, SIGKILL);
	waitpid(nr_forked, NULL, 0);
}

static void __noreturn noreserve_child(void)
{
	struct nr_report r = { 0 };
	unsigned char *p;
	long j;
	int i;

	p = mmap(NULL, nr_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		r.err = errno;
	} else {
		for (i = 0; i < 3; i++)
			for (j = 0; j < psz; j++)
				p[nr_page(i) + j] = i + j + 1;
		r.addr = (unsigned long)p;
		nr_check(&r);
		nr_forked = fork();
		if (!nr_forked)
			for (;;)
				pause();
	}
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), nr_check_report);
}

FIXTURE(noreserve) {
	struct piped_child pc;
	struct nr_report before;
};

FIXTURE_SETUP(noreserve)
{
	struct sysinfo si;

	self->pc.pid = -1;
	if (read_number("/proc/sys/vm/overcommit_memory") == 2)
		SKIP(return, "overcommit_memory=2 keeps no MAP_NORESERVE");
	ASSERT_EQ(0, sysinfo(&si));
	psz = sysconf(_SC_PAGESIZE);
	nr_size = ((si.totalram + si.totalswap) * si.mem_unit * 2 +
		   (1UL << 30)) & ~((1UL << 30) - 1);
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD,
				      noreserve_child));
	ASSERT_EQ(0, read_within(self->pc.res, &self->before,
				 sizeof(self->before), WAIT_MS));
	ASSERT_EQ(0, self->before.err);
	ASSERT_EQ(1, self->before.nr);
	ASSERT_EQ(0, self->before.bad);
	ASSERT_EQ(0, wait_in_read(self->pc.pid));
}

FIXTURE_TEARDOWN(noreserve)
{
	piped_child_end(&self->pc);
}

static void check_noreserve(struct __test_metadata *_metadata, int ctl,
			    int res)
{
	struct nr_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(1, r.nr);
	EXPECT_EQ(0, r.bad);
}

/* The region's record says MAP_NORESERVE. */
static void check_nr_image(struct __test_metadata *_metadata,
			   const struct ckpt_image *img, unsigned long addr)
{
	const struct ckpt_hdr_vma *v;
	int i;

	for (i = 0; (v = image_rec(img, CKPT_HDR_VMA, i)); i++)
		if (v->start == addr)
			break;
	ASSERT_NE(NULL, v);
	EXPECT_EQ(addr + nr_size, v->end);
	EXPECT_EQ(CKPT_VMA_NORESERVE, v->flags & CKPT_VMA_NORESERVE);
	/* The child's copy, kept from the parent's. */
	for (i++; (v = image_rec(img, CKPT_HDR_VMA, i)); i++)
		if (v->start == addr)
			break;
	ASSERT_NE(NULL, v);
	EXPECT_EQ(CKPT_VMA_NORESERVE | CKPT_VMA_FORKED,
		  v->flags & (CKPT_VMA_NORESERVE | CKPT_VMA_FORKED));
}

TEST_F(noreserve, continues)
{
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	check_nr_image(_metadata, &self->pc.img, self->before.addr);
	piped_child_finish(_metadata, &self->pc, check_noreserve);
}

TEST_F(noreserve, restarts_twice)
{
	struct piped_check c = { _metadata, check_noreserve };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
	check_nr_image(_metadata, &self->pc.img, self->before.addr);
}

#define HG_NR		(2 * 512 + 5)	/* two huge pages and a tail */

struct huge_report {
	unsigned long addr;
	int thp[2];		/* each of the two ranges is a THP */
	int bad;		/* the first page not as written, + 1 */
	int ro;			/* the second range is read-only */
	int advice;		/* "hg" in the ranges, "nh" in the tail */
	int thp_disabled;	/* PR_GET_THP_DISABLE */
	int step;		/* the step of the checks that failed, or 0 */
};

static bool hg_written(int i)
{
	return i < 812 || i == 912 || i >= 1024;
}

static void huge_look(struct huge_report *r)
{
	const unsigned char *p = (void *)r->addr;
	long i, j;

	r->bad = 0;
	for (i = 0; i < HG_NR && !r->bad; i++)
		for (j = 0; j < psz; j++)
			if (p[i * psz + j] != (hg_written(i) ? a_byte(i, j) : 0)) {
				r->bad = i + 1;
				break;
			}
	r->thp[0] = is_thp(r->addr);
	r->thp[1] = is_thp(r->addr + HUGE);
	r->ro = has_vmflag(r->addr + HUGE, "rd") == 1 &&
		has_vmflag(r->addr + HUGE, "wr") == 0;
	r->advice = has_vmflag(r->addr, "hg") == 1 &&
		    has_vmflag(r->addr + HUGE, "hg") == 1 &&
		    has_vmflag(r->addr + 2 * HUGE, "nh") == 1 &&
		    has_vmflag(r->addr + 2 * HUGE, "hg") == 0;
	r->thp_disabled = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
}

/*
 * After huge_look(): write both ranges, the second made writable first,
 * and fork a child that writes them too; the child must see what this
 * process wrote and this process must not see what the child wrote.
 */
static void huge_check(void *report)
{
	struct huge_report *r = report;
	unsigned char *p = (void *)r->addr;

	huge_look(r);
	r->step = 1;
	if (mprotect(p + HUGE, HUGE, PROT_READ | PROT_WRITE))
		return;
	p[5] = 0xa5;
	p[HUGE + 5] = 0x5a;
	r->step = 2;
	/*
	 * Written in place: still a huge page each, if it was one (the two
	 * mappings, writable both, may be one again).
	 */
	if (thp_kb(r->addr, r->addr + 2 * HUGE) !=
	    (HUGE >> 10) * (r->thp[0] + r->thp[1]))
		return;
	r->step = 3;
	if (!shared_cow(p + 5, p + HUGE + 5))
		return;
	r->step = 0;
}

static void __noreturn huge_child(void)
{
	struct huge_report r = { 0 };
	unsigned char *p = map_aligned(HG_NR);

	if (!p)
		_exit(80);
	/* Best effort: what it gets, restart must give back. */
	madvise(p, HG_NR * psz, MADV_HUGEPAGE);
	fill_written(p, HG_NR, hg_written);
	if (mprotect(p + HUGE, HUGE, PROT_READ) ||
	    madvise(p + 2 * HUGE, (HG_NR - 1024) * psz, MADV_NOHUGEPAGE))
		_exit(81);
	r.addr = (unsigned long)p;
	huge_look(&r);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), huge_check);
}

FIXTURE(huge) {
	struct piped_child pc;
	struct huge_report before;
};

FIXTURE_SETUP(huge)
{
	self->pc.pid = -1;
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK))
		SKIP(return, "no transparent huge pages");
	psz = sysconf(_SC_PAGESIZE);
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, huge_child));
	ASSERT_EQ(0, read_within(self->pc.res, &self->before,
				 sizeof(self->before), WAIT_MS));
	ASSERT_EQ(0, self->before.bad);
	ASSERT_EQ(1, self->before.ro);
	ASSERT_EQ(1, self->before.advice);
	TH_LOG("the two ranges are %s and %s huge page",
	       self->before.thp[0] ? "a" : "not a",
	       self->before.thp[1] ? "a" : "not a");
	ASSERT_EQ(0, wait_in_read(self->pc.pid));
}

FIXTURE_TEARDOWN(huge)
{
	piped_child_end(&self->pc);
}

static struct huge_report hg_before;

static void check_huge(struct __test_metadata *_metadata, int ctl, int res)
{
	struct huge_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(0, r.bad) TH_LOG("page %d differs", r.bad - 1);
	EXPECT_EQ(hg_before.thp[0], r.thp[0]);
	EXPECT_EQ(hg_before.thp[1], r.thp[1]);
	EXPECT_EQ(1, r.ro);
	EXPECT_EQ(1, r.advice);
	EXPECT_EQ(0, r.thp_disabled);
	EXPECT_EQ(0, r.step) TH_LOG("step %d of writing and forking failed",
				    r.step);
}

TEST_F(huge, continues)
{
	hg_before = self->before;
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	piped_child_finish(_metadata, &self->pc, check_huge);
}

TEST_F(huge, restarts_twice)
{
	struct piped_check c = { _metadata, check_huge };

	hg_before = self->before;
	/* Not the caller's: the restored memory is as the process had it. */
	ASSERT_EQ(0, prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0));
	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

#define SM_NR		1024	/* two page tables */
#define SM_RO		600	/* pages 600 to 699 are made read-only */
#define SM_LOCKED	800	/* pages 800 to 849 are locked */
#define PM_PRESENT	0x8000000000000000ULL	/* bit 63 */
#define PM_EXCLUSIVE	0x0100000000000000ULL	/* bit 56 */
#define PM_PFN		0x007fffffffffffffULL	/* bits 0 to 54 */

struct small_report {
	unsigned long addr;
	int bad;		/* the first page not as written, + 1 */
	int map_bad;		/* the first page mapped, or not, wrongly, + 1 */
	int ro;			/* pages 600 to 699 are read-only */
	int step;		/* the step of the checks that failed, or 0 */
};

static bool sm_written(int i)
{
	return i < 300 || (i >= 400 && i < 700 && i != 450) ||
	       (i >= 700 && i % 3 != 2);
}

static bool sm_locked(int i)
{
	return i >= SM_LOCKED && i < SM_LOCKED + 50;
}

/* The pagemap entries of the region, or -1. */
static int sm_pagemap(unsigned long addr, __u64 *pm)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t len = SM_NR * sizeof(*pm);

	if (fd < 0)
		return -1;
	if (pread(fd, pm, len, addr / psz * sizeof(*pm)) != len) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void small_look(struct small_report *r)
{
	const unsigned char *p = (void *)r->addr;
	__u64 pm[SM_NR];
	bool mapped;
	long i, j;

	r->bad = 0;
	for (i = 0; i < SM_NR && !r->bad; i++)
		for (j = 0; j < psz; j++)
			if (p[i * psz + j] != (sm_written(i) ? a_byte(i, j) : 0)) {
				r->bad = i + 1;
				break;
			}
	/* After the bytes were read: untouched pages map the zero page. */
	r->map_bad = -1;
	if (sm_pagemap(r->addr, pm))
		return;
	r->map_bad = 0;
	for (i = 0; i < SM_NR && !r->map_bad; i++) {
		mapped = sm_written(i) || sm_locked(i);
		if (!(pm[i] & PM_PRESENT) ||
		    !!(pm[i] & PM_EXCLUSIVE) != mapped)
			r->map_bad = i + 1;
	}
	r->ro = has_vmflag(r->addr + SM_RO * psz, "rd") == 1 &&
		has_vmflag(r->addr + SM_RO * psz, "wr") == 0;
}

/*
 * After small_look(): a child that writes the read-only part must be
 * killed; then make it writable and write it, in place, and fork a
 * child, which must see what this process wrote while this process
 * does not see what the child writes.
 */
static void small_check(void *report)
{
	struct small_report *r = report;
	unsigned char *p = (void *)r->addr;
	unsigned char *ro = p + SM_RO * psz;
	__u64 pm[SM_NR], pfn;
	int status;
	pid_t pid;

	small_look(r);
	r->step = 1;
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		ro[5] = 1;
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGSEGV)
		return;
	r->step = 2;
	if (sm_pagemap(r->addr, pm))
		return;
	pfn = pm[SM_RO] & PM_PFN;
	if (mprotect(ro, 100 * psz, PROT_READ | PROT_WRITE))
		return;
	ro[5] = 0xa5;
	p[5] = 0x5a;
	r->step = 3;
	/* Its own page, written where it is (the pfn is 0 if hidden). */
	if (sm_pagemap(r->addr, pm) || !(pm[SM_RO] & PM_EXCLUSIVE) ||
	    (pm[SM_RO] & PM_PFN) != pfn)
		return;
	r->step = 4;
	if (!shared_cow(ro + 5, p + 5))
		return;
	r->step = 0;
}

static void __noreturn small_child(void)
{
	struct small_report r = { 0 };
	unsigned char *p = map_aligned(SM_NR);

	if (!p)
		_exit(80);
	if (madvise(p, SM_NR * psz, MADV_NOHUGEPAGE) && errno != EINVAL)
		_exit(81);
	fill_written(p, SM_NR, sm_written);
	if (mprotect(p + SM_RO * psz, 100 * psz, PROT_READ) ||
	    mlock(p + SM_LOCKED * psz, 50 * psz))
		_exit(82);
	r.addr = (unsigned long)p;
	small_look(&r);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), small_check);
}

FIXTURE(small) {
	struct piped_child pc;
	struct small_report before;
};

FIXTURE_SETUP(small)
{
	self->pc.pid = -1;
	psz = sysconf(_SC_PAGESIZE);
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, small_child));
	ASSERT_EQ(0, read_within(self->pc.res, &self->before,
				 sizeof(self->before), WAIT_MS));
	ASSERT_EQ(0, self->before.bad);
	ASSERT_EQ(0, self->before.map_bad)
		TH_LOG("page %d mapped wrongly", self->before.map_bad - 1);
	ASSERT_EQ(1, self->before.ro);
	ASSERT_EQ(0, wait_in_read(self->pc.pid));
}

FIXTURE_TEARDOWN(small)
{
	piped_child_end(&self->pc);
}

static void check_small(struct __test_metadata *_metadata, int ctl, int res)
{
	struct small_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(0, r.bad) TH_LOG("page %d differs", r.bad - 1);
	EXPECT_EQ(0, r.map_bad) TH_LOG("page %d mapped wrongly", r.map_bad - 1);
	EXPECT_EQ(1, r.ro);
	EXPECT_EQ(0, r.step) TH_LOG("step %d of writing and forking failed",
				    r.step);
}

TEST_F(small, continues)
{
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	piped_child_finish(_metadata, &self->pc, check_small);
}

TEST_F(small, restarts_twice)
{
	struct piped_check c = { _metadata, check_small };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

TEST_HARNESS_MAIN
