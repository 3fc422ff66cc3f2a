// SPDX-License-Identifier: GPL-2.0
/*
 * Copy-on-write memory of a tree: pages a child still shares with its
 * parent since fork(2) are saved once, with the parent, and come back
 * shared.  The root P writes every page of a private anonymous region
 * of NR pages, then forks C; after the fork,
 *
 *  - P rewrites pages 2 mod 8 (its own copies: C keeps the old ones);
 *  - C writes pages 1 mod 8, clears page 3 (a page of its own holding
 *    only zeroes, which is not saved) and drops pages 16 to 23 with
 *    MADV_DONTNEED (they read as zeroes in C, not in P);
 *  - then C forks G, which writes pages 4 mod 8.
 *
 * The image holds P's NR pages, C's own pages (1 and 2 mod 8 but those
 * dropped) and G's (4 mod 8); the pages C and G share with their parent
 * are listed in CKPT_HDR_PAGES_COW records.  After the checkpoint, and
 * after each of two restarts, each process finds every page as it was,
 * and the pages it shares with another process (as /proc/PID/pagemap
 * tells: not "exclusively mapped") are the same as before.  Each
 * process looks once those below it are settled, and stays until the
 * one above has looked: what it finds shared does not depend on timing.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		60
#define RES_FD		61
#define WAIT_MS		60000
#define NR		1024
#define NR_PROCS	3
#define PM_EXCLUSIVE	0x0100000000000000ULL	/* bit 56 */

enum { P, C, G, P0 };	/* P0: what P wrote before the fork */

struct cow_report {
	int who;			/* P, C or G */
	int setup;			/* the step that failed, or 0 */
	int bad;			/* the first page that is not right, + 1 */
	unsigned long region;
	unsigned char excl[NR / 8];	/* pages mapped by this process only */
};

static long psz;

static bool dropped(int i)
{
	return i >= 16 && i < 24;
}

/* Byte @j of page @i, as @who last wrote it, or 0. */
static unsigned char expect(int who, int i, long j)
{
	unsigned char p0 = (i * 7 + j / 256) | 1;

	switch (who) {
	case P0:
		return p0;
	case P:
		return i % 8 == 2 ? (i * 11 + j / 128) | 2 : p0;
	case G:
		if (i % 8 == 4)
			return (i * 13 + j / 64) | 4;
		return expect(C, i, j);
	default:
		if (dropped(i) || i == 3)
			return 0;
		return i % 8 == 1 ? (i * 3 + j / 512) | 8 : p0;
	}
}

/* Write the pages @rest mod 8 (-1: all) as @who does. */
static void write_pages(unsigned char *a, int who, int rest)
{
	long i, j;

	for (i = 0; i < NR; i++)
		if (rest < 0 || i % 8 == rest)
			for (j = 0; j < psz; j++)
				a[i * psz + j] = expect(who, i, j);
}

static int check_pages(const unsigned char *a, int who)
{
	long i, j;

	for (i = 0; i < NR; i++)
		for (j = 0; j < psz; j++)
			if (a[i * psz + j] != expect(who, i, j))
				return i + 1;
	return 0;
}

/* Which pages of the region this process alone maps; 0 or -1. */
static int exclusive(unsigned long region, unsigned char *excl)
{
	__u64 pm[NR];
	int fd, i;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return -1;
	if (pread(fd, pm, sizeof(pm), region / psz * sizeof(__u64)) !=
	    sizeof(pm)) {
		close(fd);
		return -1;
	}
	close(fd);
	memset(excl, 0, NR / 8);
	for (i = 0; i < NR; i++)
		if (pm[i] & PM_EXCLUSIVE)
			excl[i / 8] |= 1 << (i % 8);
	return 0;
}

static void report(struct cow_report *r)
{
	if (write(RES_FD, r, sizeof(*r)) != sizeof(*r))
		_exit(90);
}

/*
 * The pipes of a process to its parent and its child: "ready" goes up
 * once the pages of the process and of those below it are as they will
 * be checkpointed, "done" goes down once it has looked at them after
 * the checkpoint.  A process shares pages with those above and below
 * it: what it finds shared depends on them being there as they were.
 */
struct links {
	int ready_up, done_down;	/* to the parent, from it */
	int ready_down, done_up;	/* from the child, to it */
};

static int link_pipes(int up[2], int down[2])
{
	return pipe(up) || pipe(down) ? -1 : 0;
}

/* Keep the ends of the parent's side, or of the child's. */
static void link_ends(struct links *l, int up[2], int down[2], bool parent)
{
	if (parent) {
		close(up[1]);
		close(down[0]);
		l->ready_down = up[0];
		l->done_up = down[1];
	} else {
		close(up[0]);
		close(down[1]);
		l->ready_up = up[1];
		l->done_down = down[0];
	}
}

/*
 * Once the process below is ready: report, then at the word look again
 * and report again; then, once the process above is done, let the one
 * below go, wait for it and exit with its status, or 0.
 */
static void __noreturn serve(struct cow_report *r, unsigned char *a,
			     pid_t child, const struct links *l)
{
	int status = 0;
	char c;

	if (!r->setup && child > 0 && read(l->ready_down, &c, 1) != 1)
		r->setup = 7;
	if (!r->setup && exclusive(r->region, r->excl))
		r->setup = 8;
	report(r);
	if (r->setup || (l->ready_up >= 0 && write(l->ready_up, "r", 1) != 1))
		_exit(90);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(91);
	r->bad = check_pages(a, r->who);
	if (exclusive(r->region, r->excl))
		r->setup = 9;
	report(r);
	if (l->done_down >= 0 && read(l->done_down, &c, 1) != 1)
		_exit(92);
	if (child > 0 && (write(l->done_up, "d", 1) != 1 ||
			  waitpid(child, &status, 0) != child))
		_exit(93);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 94);
}

static void __noreturn cow_root(void)
{
	struct links l = { -1, -1, -1, -1 };
	struct cow_report r = { .who = P, .setup = 1 };
	int up[2], down[2];
	unsigned char *a;
	pid_t c, g;

	a = mmap(NULL, NR * psz, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		serve(&r, NULL, 0, &l);
	r.region = (unsigned long)a;
	/* Page by page: no huge page, whose first copy would split it. */
	r.setup = 2;
	if (madvise(a, NR * psz, MADV_NOHUGEPAGE))
		serve(&r, NULL, 0, &l);
	write_pages(a, P0, -1);

	r.setup = 3;
	if (link_pipes(up, down))
		serve(&r, NULL, 0, &l);
	c = fork();
	if (c < 0)
		serve(&r, NULL, 0, &l);
	link_ends(&l, up, down, c > 0);
	if (c) {
		write_pages(a, P, 2);
		r.setup = 0;
		serve(&r, a, c, &l);
	}
	r.who = C;
	l.ready_down = -1;
	l.done_up = -1;
	write_pages(a, C, 1);
	memset(a + 3 * psz, 0, psz);
	r.setup = 4;
	if (madvise(a + 16 * psz, 8 * psz, MADV_DONTNEED) ||
	    link_pipes(up, down))
		serve(&r, NULL, 0, &l);
	g = fork();
	if (g < 0)
		serve(&r, NULL, 0, &l);
	if (!g) {
		/* The ends between C and P are C's. */
		close(l.ready_up);
		close(l.done_down);
		l.ready_up = -1;
		l.done_down = -1;
		r.who = G;
		write_pages(a, G, 4);
	}
	link_ends(&l, up, down, g > 0);
	r.setup = 0;
	serve(&r, a, g, &l);
}

FIXTURE(cow) {
	struct piped_child pc;
	struct cow_report before[NR_PROCS];
};

FIXTURE_SETUP(cow)
{
	int i;

	psz = sysconf(_SC_PAGESIZE);
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, cow_root));
	ASSERT_EQ(0, read_reports_by_index(self->pc.res, self->before,
					   sizeof(*self->before), NR_PROCS,
					   WAIT_MS));
	for (i = 0; i < NR_PROCS; i++)
		ASSERT_EQ(0, self->before[i].setup) TH_LOG("process %d", i);
}

FIXTURE_TEARDOWN(cow)
{
	piped_child_end(&self->pc);
}

/* The reports of the processes are taken before the checkpoint. */
static struct cow_report *expected;

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct cow_report now[NR_PROCS];
	int i, p;

	ASSERT_EQ(NR_PROCS, write(ctl, "xxx", NR_PROCS));
	ASSERT_EQ(0, read_reports_by_index(res, now, sizeof(*now), NR_PROCS,
					   WAIT_MS));
	for (p = 0; p < NR_PROCS; p++) {
		EXPECT_EQ(0, now[p].setup);
		EXPECT_EQ(0, now[p].bad)
			TH_LOG("process %d: page %d differs", p, now[p].bad - 1);
		/* A page of zeroes is not saved: it comes back untouched. */
		for (i = 0; i < NR; i++) {
			bool was = expected[p].excl[i / 8] & (1 << (i % 8));
			bool is = now[p].excl[i / 8] & (1 << (i % 8));

			if (expect(p, i, 0))
				EXPECT_EQ(was, is)
					TH_LOG("process %d: page %d %s", p, i,
					       was ? "was its own, is shared" :
					       "was shared, is its own");
		}
	}
}

/*
 * The pages of the region in the image, by address space (P's, C's and
 * G's, in the order of the tree): saved, and listed as the parent's.
 */
static void count_pages(struct __test_metadata *_metadata,
			const struct ckpt_image *img, unsigned long region,
			int *saved, int *cow)
{
	struct ckpt_rec recs[CKPT_MAX_RECS];
	int n = image_walk(img, recs, CKPT_MAX_RECS), i, mm = -1;
	unsigned long end = region + NR * psz;

	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		const struct ckpt_hdr_pages *pg = (void *)(img->buf + recs[i].off);
		const struct ckpt_hdr_vma *v = (void *)pg;

		if (recs[i].type == CKPT_HDR_MM)
			mm++;
		if (recs[i].type == CKPT_HDR_VMA && v->start < end &&
		    v->end > region && mm > P)
			EXPECT_TRUE(v->flags & CKPT_VMA_FORKED)
				TH_LOG("address space %d: region not marked forked", mm);
		if (recs[i].type == CKPT_HDR_VMA && v->start < end &&
		    v->end > region && mm == P)
			EXPECT_FALSE(v->flags & CKPT_VMA_FORKED);
		if ((recs[i].type != CKPT_HDR_PAGES &&
		     recs[i].type != CKPT_HDR_PAGES_COW) ||
		    pg->addr < region || pg->addr >= end)
			continue;
		ASSERT_TRUE(mm >= P && mm < NR_PROCS);
		ASSERT_LE(pg->addr + pg->nr_pages * psz, end);
		if (recs[i].type == CKPT_HDR_PAGES)
			saved[mm] += pg->nr_pages;
		else
			cow[mm] += pg->nr_pages;
	}
}

TEST_F(cow, continues_with_shared_pages_saved_once)
{
	int saved[NR_PROCS] = { 0 }, cow[NR_PROCS] = { 0 };

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	count_pages(_metadata, &self->pc.img, self->before[P].region, saved, cow);
	/* P: all its pages, of its own; none listed. */
	EXPECT_EQ(NR, saved[P]);
	EXPECT_EQ(0, cow[P]);
	/* C: 1 and 2 mod 8 but 17 and 18; P's the rest but 3 and 16-23. */
	EXPECT_EQ(2 * NR / 8 - 2, saved[C]);
	EXPECT_EQ(NR - (2 * NR / 8 - 2) - 1 - 8, cow[C]);
	/* G: 4 mod 8; C's the rest that C has but 4 mod 8 (20 C has not). */
	EXPECT_EQ(NR / 8, saved[G]);
	EXPECT_EQ(NR - 1 - 8 - (NR / 8 - 1), cow[G]);

	expected = self->before;
	piped_child_finish(_metadata, &self->pc, check);
}

TEST_F(cow, restarts_twice_shared)
{
	struct piped_check c = { _metadata, check };

	expected = self->before;
	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

/* The region's mapping in address space @mm (P's, C's or G's) of @img. */
static struct ckpt_hdr_vma *region_vma(struct ckpt_image *img,
				       unsigned long region, int mm)
{
	struct ckpt_rec recs[CKPT_MAX_RECS];
	int n = image_walk(img, recs, CKPT_MAX_RECS), i, seen = -1;

	for (i = 0; i < n; i++) {
		struct ckpt_hdr_vma *v = (void *)(img->buf + recs[i].off);

		if (recs[i].type == CKPT_HDR_MM)
			seen++;
		if (recs[i].type == CKPT_HDR_VMA && seen == mm &&
		    v->start <= region && v->end > region)
			return v;
	}
	return NULL;
}

/*
 * The root has no parent to share pages with: restart(2) refuses a
 * mapping of its marked as forked, as it checks the image.  A mapping
 * of a child that its parent does not have as the image says cannot be
 * kept: restart(2) refuses it as it rebuilds the child, and leaves no
 * task behind, so that the image restarts afterwards.
 */
TEST_F(cow, refuses_a_mapping_the_parent_does_not_have)
{
	struct piped_check c = { _metadata, check };
	unsigned long region = self->before[P].region;
	struct ckpt_image img = { 0 };
	struct ckpt_hdr_vma *v;
	char log[CKPT_LOG_SIZE];
	int ctl, res;

	ASSERT_LT(0, checkpoint_image(self->pc.pid,
				      CHECKPOINT_SCOPE_TREE | CHECKPOINT_KILL,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, NULL, 0));
	self->pc.pid = -1;
	close(self->pc.ctl);
	close(self->pc.res);

	ASSERT_EQ(0, image_copy(&img, &self->pc.img));
	v = region_vma(&img, region, P);
	ASSERT_NE(NULL, v);
	v->flags |= CKPT_VMA_FORKED;
	EXPECT_EQ(-EINVAL, validate_image(&img, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "not a mapping a parent")) TH_LOG("%s", log);
	image_free(&img);

	/* P's mapping is writable, the one C says it has from P is not. */
	ASSERT_EQ(0, image_copy(&img, &self->pc.img));
	v = region_vma(&img, region, C);
	ASSERT_NE(NULL, v);
	ASSERT_TRUE(v->flags & CKPT_VMA_FORKED);
	v->flags &= ~CKPT_VMA_WRITE;
	EXPECT_EQ(0, validate_image(&img, log, sizeof(log))) TH_LOG("%s", log);
	EXPECT_EQ(-EINVAL, restart_with_pipes(&img, CTL_FD, &ctl, RES_FD, &res,
					      log, sizeof(log), NULL));
	EXPECT_NE(NULL, strstr(log, "is not the parent's")) TH_LOG("%s", log);
	if (ctl >= 0)
		close(ctl);
	if (res >= 0)
		close(res);
	image_free(&img);

	expected = self->before;
	ASSERT_LT(0, restart_rounds(&self->pc.img, 1, CTL_FD, RES_FD,
				    self->pc.log, sizeof(self->pc.log),
				    &self->pc.pid, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

TEST_HARNESS_MAIN
