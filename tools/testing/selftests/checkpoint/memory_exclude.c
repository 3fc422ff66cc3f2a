// SPDX-License-Identifier: GPL-2.0
/*
 * Memory a program marks MADV_DONTDUMP is left out of the image: its
 * pages are not saved, and a restarted program finds them zero-filled
 * and still marked, while the process that goes on keeps its data.
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define NR_PAGES	6	/* pages 2 and 3 are excluded */
#define WAIT_MS		30000

static unsigned char fill(int page)
{
	return 0xa0 + page;
}

/*
 * Per page: 0 if it holds fill(page) throughout, 1 if zeros, 2 else;
 * and whether the excluded range is still marked, from /proc/self/smaps
 * ("dd" in VmFlags).
 */
struct ex_report {
	int state[NR_PAGES];
	int marked;
};

static int page_state(const unsigned char *p, long psz, int page)
{
	long i;
	bool all_fill = true, all_zero = true;

	for (i = 0; i < psz; i++) {
		all_fill &= p[i] == fill(page);
		all_zero &= !p[i];
	}
	return all_fill ? 0 : all_zero ? 1 : 2;
}

static int still_marked(unsigned long start)
{
	char line[256], want[32];
	bool in = false;
	int ret = 0;
	FILE *f;

	snprintf(want, sizeof(want), "%lx-", start);
	f = fopen("/proc/self/smaps", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, ' ') &&
		    strchr(line, '-') < strchr(line, ' '))
			in = !strncmp(line, want, strlen(want));
		if (in && !strncmp(line, "VmFlags:", 8))
			ret = !!strstr(line, " dd");
	}
	fclose(f);
	return ret;
}

static void __noreturn child(void)
{
	long psz = sysconf(_SC_PAGESIZE);
	struct ex_report r;
	unsigned char *m;
	char c;
	int i;

	m = mmap(NULL, NR_PAGES * psz, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		_exit(90);
	for (i = 0; i < NR_PAGES; i++)
		memset(m + i * psz, fill(i), psz);
	if (madvise(m + 2 * psz, 2 * psz, MADV_DONTDUMP))
		_exit(91);
	if (write(RES_FD, &m, sizeof(m)) != sizeof(m))
		_exit(92);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(93);
	for (i = 0; i < NR_PAGES; i++)
		r.state[i] = page_state(m + i * psz, psz, i);
	r.marked = still_marked((unsigned long)(m + 2 * psz));
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(94);
	_exit(0);
}

FIXTURE(ex) {
	struct piped_child pc;
	unsigned long addr;
};

FIXTURE_SETUP(ex)
{
	unsigned char *m;

	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, child));
	ASSERT_EQ(0, read_within(self->pc.res, &m, sizeof(m), WAIT_MS));
	self->addr = (unsigned long)m;
}

FIXTURE_TEARDOWN(ex)
{
	piped_child_end(&self->pc);
}

/* Whether a page record of the image covers [@start, @end). */
static bool image_has_pages(const struct ckpt_image *img,
			    unsigned long start, unsigned long end)
{
	const struct ckpt_hdr_pages *p;
	int i;

	for (i = 0; (p = image_rec(img, CKPT_HDR_PAGES, i)); i++)
		if (p->addr < end &&
		    p->addr + p->nr_pages * sysconf(_SC_PAGESIZE) > start)
			return true;
	return false;
}

static void check(struct __test_metadata *_metadata, int res, bool restored)
{
	struct ex_report r;
	int i;

	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	for (i = 0; i < NR_PAGES; i++) {
		bool excluded = i == 2 || i == 3;

		EXPECT_EQ(excluded && restored ? 1 : 0, r.state[i])
			TH_LOG("page %d", i);
	}
	EXPECT_EQ(1, r.marked);
}

/* The saved process keeps its data; the image lacks the pages. */
TEST_F(ex, excluded_pages_are_not_saved)
{
	long psz = sysconf(_SC_PAGESIZE);

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	EXPECT_FALSE(image_has_pages(&self->pc.img, self->addr + 2 * psz,
				     self->addr + 4 * psz));
	EXPECT_TRUE(image_has_pages(&self->pc.img, self->addr,
				    self->addr + psz));
	EXPECT_TRUE(image_has_pages(&self->pc.img, self->addr + 4 * psz,
				    self->addr + 6 * psz));
	ASSERT_EQ(1, write(self->pc.ctl, "x", 1));
	check(_metadata, self->pc.res, false);
}

/* A restored child: let it go, check its pages and reap it. */
static void check_restored(struct restart_round *r, void *arg)
{
	struct __test_metadata *_metadata = arg;
	int status;

	ASSERT_EQ(1, write(r->ctl, "x", 1));
	check(_metadata, r->res, true);
	ASSERT_EQ(r->root, waitpid(r->root, &status, 0));
	EXPECT_EQ(0, status);
}

/* Restarted twice from one image: zeros where the pages were left out. */
TEST_F(ex, excluded_pages_come_back_zero)
{
	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, check_restored, _metadata))
		TH_LOG("%s", self->pc.log);
}

TEST_HARNESS_MAIN
