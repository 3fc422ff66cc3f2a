// SPDX-License-Identifier: GPL-2.0
/*
 * Private anonymous memory of huge pages (MAP_HUGETLB).  The child maps
 * NR_HUGE huge pages of 2 MiB, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB,
 * and:
 *
 *  - writes huge page 0 whole;
 *  - writes three base pages of huge page 1 (the rest of it is zero);
 *  - leaves huge page 2 untouched: it has no page until it is used;
 *  - writes huge page 3, then makes it read-only with mprotect(2),
 *    which splits the mapping in two.
 *
 * The test pool has huge pages set aside for it.  After the checkpoint,
 * and after each of two restarts from one image, the child finds every
 * byte as it wrote it, huge page 2 not faulted in (/proc/self/smaps:
 * three huge pages in use, pages of 2048 kB), then reads it as zeroes,
 * writes it, and cannot write huge page 3.  The image has the two
 * CKPT_VMA_HUGETLB mappings with the size of their pages and exactly the
 * base pages written, those of huge page 1 that are zero left out.
 *
 * A restart without huge pages in the pool fails with ENOMEM, naming
 * the mapping, and leaves no task behind; with them back, it works
 * (for each kind below but the hugetlbfs file, whose pages it keeps).
 * Below: shared memory of huge pages comes back shared by the processes
 * that share it, and so do a hugetlb memfd, a file of a hugetlbfs mount
 * and a SysV segment of huge pages; a private mapping of a hugetlb
 * memfd is refused, naming the mapping, the target running on unharmed.
 */
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		60
#define RES_FD		61
#define WAIT_MS		60000
#define HUGE		(2UL << 20)
#define NR_HUGE		4
#define POOL		(2 * NR_HUGE + 2)	/* the child's, and a restart's */

static long psz;

/* The base pages of huge page 1 that the child writes. */
static const int h1_pages[] = { 0, 17, 511 };

struct huge_report {
	int setup;		/* the line that failed, or 0 */
	int err;
	unsigned long addr;
	/* done */
	long bad;		/* the first offset not as written, or -1 */
	long huge_kb;		/* Private_Hugetlb of the mapping, in kB */
	long page_kb;		/* its KernelPageSize */
	long zero_bad;		/* huge page 2 read: first non-zero, or -1 */
	int write_fault;	/* writing huge page 2 faulted */
	int ro_fault;		/* writing huge page 3 faulted */
	int noreserve;		/* VmFlags of the mapping has "nr" */
};

static unsigned char pat(size_t off)
{
	return off * 13 + off / 4096 * 7 + 1;
}

/* Whether the byte at offset @off of the mapping was written. */
static bool written(size_t off)
{
	size_t page = off / HUGE, base = off % HUGE / psz;
	unsigned int i;

	if (page == 0 || page == 3)
		return true;
	if (page != 1)
		return false;
	for (i = 0; i < ARRAY_SIZE(h1_pages); i++)
		if ((size_t)h1_pages[i] == base)
			return true;
	return false;
}

static sigjmp_buf probe_env;

static void on_fault(int sig)
{
	siglongjmp(probe_env, 1);
}

/* 1 if writing the byte at @p faults: atomics, which the compiler keeps. */
static int write_faults(unsigned char *p)
{
	struct sigaction sa = { .sa_handler = on_fault }, old;
	int ret = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(probe_env, 1))
		ret = 1;
	else
		__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED),
				 __ATOMIC_RELAXED);
	sigaction(SIGSEGV, &old, NULL);
	return ret;
}

/* A field of the smaps entry of the mapping at @addr, in kB; -1 if none. */
static long smaps_kb(unsigned long addr, const char *field)
{
	char line[256], start[32];
	bool in = false;
	long kb = -1, v;
	FILE *f;

	snprintf(start, sizeof(start), "%lx-", addr);
	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, ' ') &&
		    strchr(line, '-') < strchr(line, ' ')) {
			if (in)
				break;
			in = !strncmp(line, start, strlen(start));
			continue;
		}
		if (in && !strncmp(line, field, strlen(field)) &&
		    sscanf(line + strlen(field), ": %ld kB", &v) == 1)
			kb = v;
	}
	fclose(f);
	return kb;
}

/* Whether the VmFlags of the smaps entry at @addr has @flag. */
static int smaps_flag(unsigned long addr, const char *flag)
{
	char line[512], start[32], want[8];
	bool in = false;
	int ret = -1;
	FILE *f;

	snprintf(start, sizeof(start), "%lx-", addr);
	snprintf(want, sizeof(want), " %s", flag);
	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, start, strlen(start)))
			in = true;
		if (in && !strncmp(line, "VmFlags:", 8)) {
			ret = !!strstr(line + 8, want);
			break;
		}
	}
	fclose(f);
	return ret;
}

/*
 * The pages of the objects of @type in @img, in the CKPT_HDR_PAGES
 * records right after each; *@nr counts the objects, *@obj is the last.
 */
static unsigned long object_pages(const struct ckpt_image *img, __u32 type,
				  int *nr, const void **obj)
{
	static struct ckpt_rec recs[CKPT_MAX_RECS];
	unsigned long pages = 0;
	bool in = false;
	int n, i;

	*nr = 0;
	*obj = NULL;
	n = image_walk(img, recs, CKPT_MAX_RECS);
	for (i = 0; i < n; i++) {
		const void *rec = img->buf + recs[i].off;

		if (recs[i].type == type) {
			*obj = rec;
			(*nr)++;
		} else if (recs[i].type == CKPT_HDR_PAGES && in) {
			pages += ((const struct ckpt_hdr_pages *)rec)->nr_pages;
		}
		in = recs[i].type == type ||
		     (in && recs[i].type == CKPT_HDR_PAGES);
	}
	return pages;
}

/* The child found every byte as it wrote it, in huge pages. */
static void bytes_finish(struct __test_metadata *_metadata, int ctl, int res)
{
	struct huge_report r;
	char c = 0;

	ASSERT_EQ(1, write(ctl, &c, 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(-1, r.bad) TH_LOG("offset %#lx", r.bad);
	EXPECT_EQ(HUGE / 1024, r.page_kb);
}

static unsigned char *mem;

/* The byte at @off of the file @fd, as read(2) gives it. */
static unsigned char mem_peek(int fd, off_t off)
{
	unsigned char c = 0;

	return pread(fd, &c, 1, off) == 1 ? c : 0;
}

static void huge_check(void *arg)
{
	struct huge_report *r = arg;
	size_t off;

	r->bad = -1;
	r->zero_bad = -1;
	/* Before anything touches huge page 2. */
	r->huge_kb = smaps_kb(r->addr, "Private_Hugetlb");
	r->page_kb = smaps_kb(r->addr, "KernelPageSize");
	for (off = 0; off < NR_HUGE * HUGE && r->bad < 0; off++)
		if (mem[off] != (written(off) ? pat(off) : 0))
			r->bad = off;
	for (off = 2 * HUGE; off < 3 * HUGE && r->zero_bad < 0; off++)
		if (mem[off])
			r->zero_bad = off;
	r->write_fault = write_faults(mem + 2 * HUGE + 5);
	r->ro_fault = write_faults(mem + 3 * HUGE + 5);
}

static void __noreturn huge_target(void)
{
	struct huge_report r = { 0 };
	size_t off;
	unsigned int i;

	mem = mmap(NULL, NR_HUGE * HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (mem == MAP_FAILED) {
		r.setup = __LINE__;
		goto out;
	}
	r.addr = (unsigned long)mem;
	for (off = 0; off < HUGE; off++)
		mem[off] = pat(off);
	for (i = 0; i < ARRAY_SIZE(h1_pages); i++)
		for (off = HUGE + h1_pages[i] * psz;
		     off < HUGE + (h1_pages[i] + 1) * psz; off++)
			mem[off] = pat(off);
	for (off = 3 * HUGE; off < 4 * HUGE; off++)
		mem[off] = pat(off);
	if (mprotect(mem + 3 * HUGE, HUGE, PROT_READ))
		r.setup = __LINE__;
out:
	if (r.setup)
		r.err = errno;
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), huge_check);
}

static int write_long(const char *path, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	return write_string(path, buf);
}

#define NR_HUGEPAGES	"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"

static void huge_finish(struct __test_metadata *_metadata, int ctl, int res)
{
	struct huge_report r;
	char c = 0;

	ASSERT_EQ(1, write(ctl, &c, 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(-1, r.bad) TH_LOG("offset %#lx", r.bad);
	/* Huge pages 0 and 1 in the first mapping; 3 is the second's. */
	EXPECT_EQ(2 * HUGE / 1024, r.huge_kb);
	EXPECT_EQ(HUGE / 1024, r.page_kb);
	EXPECT_EQ(-1, r.zero_bad);
	EXPECT_EQ(0, r.write_fault);
	EXPECT_EQ(1, r.ro_fault);
}

static void check_private_image(struct __test_metadata *_metadata,
				const struct ckpt_image *img,
				unsigned long addr)
{
	static struct ckpt_rec recs[CKPT_MAX_RECS];
	int n, i, nr_vmas = 0;
	unsigned long pages = 0, want = 0;
	bool in = false;
	size_t off;

	for (off = 0; off < NR_HUGE * HUGE; off += psz)
		want += written(off);
	n = image_walk(img, recs, CKPT_MAX_RECS);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		const void *rec = img->buf + recs[i].off;

		if (recs[i].type == CKPT_HDR_VMA) {
			const struct ckpt_hdr_vma *v = rec;

			in = v->kind == CKPT_VMA_HUGETLB;
			if (!in)
				continue;
			EXPECT_EQ(HUGE, v->size);
			EXPECT_EQ(0, v->pgoff);
			EXPECT_EQ(nr_vmas ? addr + 3 * HUGE : addr, v->start);
			EXPECT_EQ(nr_vmas ? addr + 4 * HUGE : addr + 3 * HUGE,
				  v->end);
			nr_vmas++;
		} else if (recs[i].type == CKPT_HDR_PAGES && in) {
			const struct ckpt_hdr_pages *p = rec;

			pages += p->nr_pages;
		}
	}
	EXPECT_EQ(2, nr_vmas);
	EXPECT_EQ(want, pages);
}

/*
 * Shared anonymous memory of huge pages, MAP_SHARED | MAP_ANONYMOUS |
 * MAP_HUGETLB | MAP_NORESERVE, of NR_SHARED huge pages, kept
 * MAP_NORESERVE, which the child P writes (huge
 * page 0 whole, a few bytes of huge page 1, huge page 2 untouched)
 * before it forks C.  After the checkpoint, or each restart, P tells C
 * through a pipe to write into huge pages 1 and 2 and exit; P then
 * finds what it wrote and what C wrote.
 */
#define NR_SHARED	3
#define C_OFF1		(HUGE + 100)
#define C_OFF2		(2 * HUGE + 7)

static pid_t shared_c;
static int shared_pipe[2];

static bool shared_written(size_t off)
{
	return off < HUGE || (off >= HUGE && off < HUGE + 64);
}

static void shared_check(void *arg)
{
	struct huge_report *r = arg;
	int status = -1;
	size_t off;

	r->bad = -1;
	if (write(shared_pipe[1], "", 1) != 1 ||
	    waitpid(shared_c, &status, 0) != shared_c || status) {
		r->bad = -2;
		return;
	}
	for (off = 0; off < NR_SHARED * HUGE && r->bad < 0; off++) {
		unsigned char want = shared_written(off) ? pat(off) : 0;

		if (off == C_OFF1)
			want = 0xab;
		if (off == C_OFF2)
			want = 0xcd;
		if (mem[off] != want)
			r->bad = off;
	}
	/* All read, so mapped: huge pages, shared once C mapped them. */
	r->huge_kb = smaps_kb(r->addr, "Shared_Hugetlb") +
		     smaps_kb(r->addr, "Private_Hugetlb");
	r->page_kb = smaps_kb(r->addr, "KernelPageSize");
	r->noreserve = smaps_flag(r->addr, "nr");
}

static void __noreturn shared_target(void)
{
	struct huge_report r = { 0 };
	size_t off;
	char c;

	mem = mmap(NULL, NR_SHARED * HUGE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE,
		   -1, 0);
	if (mem == MAP_FAILED || pipe(shared_pipe)) {
		r.setup = __LINE__;
		r.err = errno;
		piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), shared_check);
	}
	r.addr = (unsigned long)mem;
	for (off = 0; off < NR_SHARED * HUGE; off++)
		if (shared_written(off))
			mem[off] = pat(off);
	shared_c = fork();
	if (!shared_c) {
		close(shared_pipe[1]);
		if (read(shared_pipe[0], &c, 1) != 1)
			_exit(1);
		mem[C_OFF1] = 0xab;
		mem[C_OFF2] = 0xcd;
		_exit(0);
	}
	if (shared_c < 0) {
		r.setup = __LINE__;
		r.err = errno;
	}
	close(shared_pipe[0]);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), shared_check);
}

static void shared_finish(struct __test_metadata *_metadata, int ctl, int res)
{
	struct huge_report r;
	char c = 0;

	ASSERT_EQ(1, write(ctl, &c, 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(-1, r.bad) TH_LOG("offset %#lx", r.bad);
	EXPECT_EQ(NR_SHARED * HUGE / 1024, r.huge_kb);
	EXPECT_EQ(HUGE / 1024, r.page_kb);
	EXPECT_EQ(1, r.noreserve);
}

/* One object of NR_SHARED huge pages, two whole of them, two mappings. */
static void check_shared_image(struct __test_metadata *_metadata,
			       const struct ckpt_image *img, unsigned long addr)
{
	static struct ckpt_rec recs[CKPT_MAX_RECS];
	const struct ckpt_hdr_shmem_hugetlb *h;
	unsigned long pages;
	int n, i, nr, nr_vmas = 0;

	pages = object_pages(img, CKPT_HDR_SHMEM_HUGETLB, &nr, (const void **)&h);
	ASSERT_EQ(1, nr);
	EXPECT_EQ(NR_SHARED * HUGE, h->size);
	EXPECT_EQ(HUGE, h->page_size);
	EXPECT_EQ(2 * HUGE / psz, pages);
	n = image_walk(img, recs, CKPT_MAX_RECS);
	for (i = 0; i < n; i++) {
		const struct ckpt_hdr_vma *v = (const void *)(img->buf +
							      recs[i].off);

		if (recs[i].type != CKPT_HDR_VMA || v->kind != CKPT_VMA_HUGETLB)
			continue;
		EXPECT_EQ(CKPT_VMA_SHARED | CKPT_VMA_NORESERVE,
			  v->flags & (CKPT_VMA_SHARED | CKPT_VMA_NORESERVE));
		EXPECT_EQ(addr, v->start);
		EXPECT_EQ(HUGE, v->size);
		nr_vmas++;
	}
	EXPECT_EQ(2, nr_vmas);
}

/*
 * A hugetlb memfd (MFD_HUGETLB) of two huge pages, sealed against
 * shrinking and growing, open at MFD_FD and mapped shared: huge page 0
 * written whole, a few bytes of huge page 1.  After the checkpoint, or
 * each restart, the child finds its name, size, seals and every byte,
 * and a second mapping of the descriptor shows the same memory.
 */
#define MFD_FD		70
#define MFD_SEALS	(F_SEAL_SHRINK | F_SEAL_GROW)

static bool mfd_written(size_t off)
{
	return off < HUGE || (off >= HUGE + 8192 && off < HUGE + 8200);
}

static void mfd_check(void *arg)
{
	struct huge_report *r = arg;
	unsigned char *two;
	char link[64] = "";
	struct stat st;
	size_t off;

	r->bad = -1;
	if (fstat(MFD_FD, &st) || st.st_size != 2 * HUGE ||
	    fcntl(MFD_FD, F_GET_SEALS) != MFD_SEALS ||
	    readlink("/proc/self/fd/70", link, sizeof(link) - 1) < 0 ||
	    strcmp(link, "/memfd:huge (deleted)")) {
		r->bad = -2;
		return;
	}
	for (off = 0; off < 2 * HUGE && r->bad < 0; off++)
		if (mem[off] != (mfd_written(off) ? pat(off) : 0))
			r->bad = off;
	two = mmap(NULL, 2 * HUGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   MFD_FD, 0);
	if (two == MAP_FAILED) {
		r->bad = -3;
		return;
	}
	two[HUGE + 9] = 0x77;
	if (mem[HUGE + 9] != 0x77)
		r->bad = -4;
	two[HUGE + 9] = 0;
	munmap(two, 2 * HUGE);
	r->page_kb = smaps_kb(r->addr, "KernelPageSize");
}

static void __noreturn mfd_target(void)
{
	struct huge_report r = { 0 };
	int fd = memfd_create("huge", MFD_HUGETLB | MFD_ALLOW_SEALING);
	size_t off;

	if (fd < 0 || dup2(fd, MFD_FD) != MFD_FD || close(fd) ||
	    ftruncate(MFD_FD, 2 * HUGE)) {
		r.setup = __LINE__;
		goto out;
	}
	mem = mmap(NULL, 2 * HUGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   MFD_FD, 0);
	if (mem == MAP_FAILED) {
		r.setup = __LINE__;
		goto out;
	}
	r.addr = (unsigned long)mem;
	for (off = 0; off < 2 * HUGE; off++)
		if (mfd_written(off))
			mem[off] = pat(off);
	if (fcntl(MFD_FD, F_ADD_SEALS, MFD_SEALS))
		r.setup = __LINE__;
out:
	if (r.setup)
		r.err = errno;
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), mfd_check);
}

/* One memfd of huge pages of 2 MiB, with its two huge pages whole. */
static void check_mfd_image(struct __test_metadata *_metadata,
			    const struct ckpt_image *img, unsigned long addr)
{
	const struct ckpt_hdr_memfd *h;
	unsigned long pages;
	int nr;

	pages = object_pages(img, CKPT_HDR_MEMFD, &nr, (const void **)&h);
	ASSERT_EQ(1, nr);
	EXPECT_EQ(2 * HUGE, h->size);
	EXPECT_EQ(CKPT_MEMFD_HUGETLB | 21 << CKPT_MEMFD_HUGE_SHIFT, h->flags);
	EXPECT_EQ(MFD_SEALS, h->seals);
	EXPECT_EQ(2 * HUGE / psz, pages);
}

/* A private mapping of a hugetlb memfd is refused, naming the mapping. */
static void private_check(void *arg)
{
	struct huge_report *r = arg;

	r->write_fault = write_faults(mem + 1);
}

static void __noreturn private_target(void)
{
	struct huge_report r = { 0 };
	int fd = memfd_create("huge", MFD_HUGETLB);

	mem = fd < 0 || ftruncate(fd, HUGE) ? MAP_FAILED :
	      mmap(NULL, HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (mem == MAP_FAILED) {
		r.setup = __LINE__;
		r.err = errno;
	} else {
		r.addr = (unsigned long)mem;
		mem[0] = 1;
		close(fd);
	}
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), private_check);
}

TEST(private_memfd_refused)
{
	struct piped_child pc;
	struct huge_report r;
	char addr[32], c = 0;
	long pool = read_number(NR_HUGEPAGES);

	if (pool < 0)
		SKIP(return, "no 2 MiB huge pages in this kernel");
	if (pool < 1 && (write_long(NR_HUGEPAGES, 1) ||
			 read_number(NR_HUGEPAGES) < 1))
		SKIP(return, "cannot set a huge page aside");
	psz = sysconf(_SC_PAGESIZE);
	ASSERT_LE(0, piped_child_fork(&pc, CTL_FD, RES_FD, private_target));
	ASSERT_EQ(0, read_within(pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, r.setup) TH_LOG("line %d: %s", r.setup, strerror(r.err));
	ASSERT_EQ(0, wait_in_read(pc.pid));
	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(pc.pid, 0, NULL, pc.log,
						sizeof(pc.log)));
	snprintf(addr, sizeof(addr), "%#lx", r.addr);
	EXPECT_NE(NULL, strstr(pc.log, addr)) TH_LOG("%s", pc.log);
	EXPECT_NE(NULL, strstr(pc.log, "private hugetlbfs file or memfd"))
		TH_LOG("%s", pc.log);
	/* Unharmed: it reads and writes its memory and exits. */
	ASSERT_EQ(1, write(pc.ctl, &c, 1));
	ASSERT_EQ(0, read_within(pc.res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(0, r.write_fault);
	ASSERT_EQ(pc.pid, waitpid(pc.pid, NULL, 0));
	pc.pid = -1;
	piped_child_end(&pc);
	if (pool < 1)
		write_long(NR_HUGEPAGES, pool);
}

/*
 * A file of a hugetlbfs mount, mapped shared: its pages are the file's,
 * which stays mounted.  After the checkpoint, or each restart, the
 * child finds what it wrote and writes more, which reaches the file.
 */
#define HFS_DIR		"/tmp/ckpt_hugetlbfs"
#define HFS_FILE	HFS_DIR "/data"
#define HFS_MARK	(HUGE + 4096)

static void hfs_check(void *arg)
{
	struct huge_report *r = arg;
	size_t off;

	r->bad = -1;
	for (off = 0; off < 2 * HUGE && r->bad < 0; off++)
		if (off != HFS_MARK && mem[off] != pat(off))
			r->bad = off;
	mem[HFS_MARK] = 0x5a;
}

static void __noreturn hfs_target(void)
{
	struct huge_report r = { 0 };
	int fd = open(HFS_FILE, O_RDWR | O_CREAT, 0600);
	size_t off;

	mem = fd < 0 || ftruncate(fd, 2 * HUGE) ? MAP_FAILED :
	      mmap(NULL, 2 * HUGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED) {
		r.setup = __LINE__;
		r.err = errno;
	} else {
		r.addr = (unsigned long)mem;
		for (off = 0; off < 2 * HUGE; off++)
			mem[off] = pat(off);
	}
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), hfs_check);
}

static void hfs_finish(struct __test_metadata *_metadata, int ctl, int res)
{
	struct huge_report r;
	unsigned char c = 0;
	int fd;

	ASSERT_EQ(1, write(ctl, &c, 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(-1, r.bad) TH_LOG("offset %#lx", r.bad);
	/* The write went to the file. */
	fd = open(HFS_FILE, O_RDONLY);
	ASSERT_LE(0, fd);
	c = mem_peek(fd, HFS_MARK);
	close(fd);
	EXPECT_EQ(0x5a, c);
}

/*
 * A SysV segment of huge pages (SHM_HUGETLB) of HUGE + 100 bytes, in an
 * IPC namespace of the child's own: it holds two huge pages, which the
 * child writes up to its size, and is mapped whole.  After the
 * checkpoint, or each restart, the child finds it by key with its id
 * and size, every byte as written and the rest of its last huge page
 * zero, and a second attachment shows the same memory.
 */
#define SHM_KEY		0x5eed0100
#define SHM_SIZE	(HUGE + 100)

static int shm_id;

static void sysv_check(void *arg)
{
	struct huge_report *r = arg;
	struct shmid_ds ds;
	unsigned char *two;
	size_t off;

	r->bad = -1;
	if (shmget(SHM_KEY, 0, 0) != shm_id || shmctl(shm_id, IPC_STAT, &ds) ||
	    ds.shm_segsz != SHM_SIZE) {
		r->bad = -2;
		return;
	}
	for (off = 0; off < 2 * HUGE && r->bad < 0; off++)
		if (mem[off] != (off < SHM_SIZE ? pat(off) : 0))
			r->bad = off;
	two = shmat(shm_id, NULL, 0);
	if (two == (void *)-1) {
		r->bad = -3;
		return;
	}
	mem[HUGE + 50] ^= 0xff;
	if (two[HUGE + 50] != (unsigned char)(pat(HUGE + 50) ^ 0xff))
		r->bad = -4;
	mem[HUGE + 50] ^= 0xff;
	shmdt(two);
	r->page_kb = smaps_kb(r->addr, "KernelPageSize");
}

static void __noreturn sysv_target(void)
{
	struct huge_report r = { 0 };
	size_t off;

	if (unshare(CLONE_NEWIPC)) {
		r.setup = __LINE__;
		goto out;
	}
	shm_id = shmget(SHM_KEY, SHM_SIZE, IPC_CREAT | 0600 | SHM_HUGETLB);
	mem = shm_id < 0 ? (void *)-1 : shmat(shm_id, NULL, 0);
	if (mem == (void *)-1) {
		r.setup = __LINE__;
		goto out;
	}
	r.addr = (unsigned long)mem;
	for (off = 0; off < SHM_SIZE; off++)
		mem[off] = pat(off);
out:
	if (r.setup)
		r.err = errno;
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), sysv_check);
}

/* The segment, of huge pages, with its two huge pages whole. */
static void check_sysv_image(struct __test_metadata *_metadata,
			     const struct ckpt_image *img, unsigned long addr)
{
	const struct ckpt_hdr_ipc_shm *h;
	unsigned long pages;
	int nr;

	pages = object_pages(img, CKPT_HDR_IPC_SHM, &nr, (const void **)&h);
	ASSERT_EQ(1, nr);
	EXPECT_EQ(SHM_SIZE, h->size);
	EXPECT_EQ(CKPT_SHM_HUGETLB, h->flags);
	EXPECT_EQ(21, h->huge_shift);
	EXPECT_EQ(2 * HUGE / psz, pages);
}

/* A hugetlbfs file mapped shared: its pages are the file's, not saved. */
static void check_hfs_image(struct __test_metadata *_metadata,
			    const struct ckpt_image *img, unsigned long addr)
{
	EXPECT_EQ(0, image_count(img, CKPT_HDR_SHMEM_HUGETLB));
	EXPECT_EQ(0, image_count(img, CKPT_HDR_PAGES_COW));
}

/* ------------------------------------------------------------------ */
/* Each kind, going on after its checkpoint or restarted twice         */

struct huge_kind {
	void (*target)(void);
	piped_check_t finish;
	void (*check_image)(struct __test_metadata *_metadata,
			    const struct ckpt_image *img, unsigned long addr);
	unsigned long flags;	/* of checkpoint(2): the scope */
	bool hugetlbfs;		/* a hugetlbfs mounted at HFS_DIR */
	/*
	 * Restart fails with ENOMEM so with no huge page in the pool; NULL
	 * for a file, whose pages stay with it.
	 */
	const char *empty_msg;
};

static const struct huge_kind private_kind = {
	.target = huge_target,
	.finish = huge_finish,
	.check_image = check_private_image,
	.empty_msg = "cannot map",
};

static const struct huge_kind shared_kind = {
	.target = shared_target,
	.finish = shared_finish,
	.check_image = check_shared_image,
	.flags = CHECKPOINT_SCOPE_TREE,
	.empty_msg = "huge pages",
};

static const struct huge_kind memfd_kind = {
	.target = mfd_target,
	.finish = bytes_finish,
	.check_image = check_mfd_image,
	.empty_msg = "huge pages",
};

static const struct huge_kind hugetlbfs_kind = {
	.target = hfs_target,
	.finish = hfs_finish,
	.check_image = check_hfs_image,
	.hugetlbfs = true,
};

static const struct huge_kind sysv_kind = {
	.target = sysv_target,
	.finish = bytes_finish,
	.check_image = check_sysv_image,
	.empty_msg = "cannot make SysV",
};

FIXTURE(huge) {
	struct piped_child pc;
	struct huge_report r;
	long pool;		/* nr_hugepages before the test */
	bool mounted;
};

FIXTURE_VARIANT(huge) {
	const struct huge_kind *kind;
	int restarts;		/* 0: the child goes on after the checkpoint */
};

FIXTURE_VARIANT_ADD(huge, private_continues) {
	.kind = &private_kind,
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(huge, private_restarts_twice) {
	.kind = &private_kind,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(huge, shared_continues) {
	.kind = &shared_kind,
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(huge, shared_restarts_twice) {
	.kind = &shared_kind,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(huge, memfd_continues) {
	.kind = &memfd_kind,
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(huge, memfd_restarts_twice) {
	.kind = &memfd_kind,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(huge, hugetlbfs_continues) {
	.kind = &hugetlbfs_kind,
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(huge, hugetlbfs_restarts_twice) {
	.kind = &hugetlbfs_kind,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(huge, sysv_continues) {
	.kind = &sysv_kind,
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(huge, sysv_restarts_twice) {
	.kind = &sysv_kind,
	.restarts = 2,
};

FIXTURE_SETUP(huge)
{
	psz = sysconf(_SC_PAGESIZE);
	self->pc.pid = -1;
	self->pool = read_number(NR_HUGEPAGES);
	if (self->pool < 0)
		SKIP(return, "no 2 MiB huge pages in this kernel");
	if (self->pool < POOL &&
	    (write_long(NR_HUGEPAGES, POOL) || read_number(NR_HUGEPAGES) < POOL))
		SKIP(return, "cannot set %d huge pages aside", POOL);
	if (variant->kind->hugetlbfs) {
		mkdir(HFS_DIR, 0700);
		if (mount("none", HFS_DIR, "hugetlbfs", 0, "pagesize=2M"))
			SKIP(return, "cannot mount hugetlbfs: %s",
			     strerror(errno));
		self->mounted = true;
	}
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD,
				      variant->kind->target));
	ASSERT_EQ(0, read_within(self->pc.res, &self->r, sizeof(self->r),
				 WAIT_MS));
	ASSERT_EQ(0, self->r.setup) TH_LOG("line %d: %s", self->r.setup,
					   strerror(self->r.err));
	ASSERT_EQ(0, wait_in_read(self->pc.pid));
}

FIXTURE_TEARDOWN(huge)
{
	piped_child_end(&self->pc);
	if (self->mounted) {
		unlink(HFS_FILE);
		umount(HFS_DIR);
		rmdir(HFS_DIR);
	}
	if (self->pool >= 0 && self->pool < POOL)
		write_long(NR_HUGEPAGES, self->pool);
}

/*
 * Restart @pc's image without a huge page in the pool: it fails with
 * ENOMEM, saying why, and leaves nothing of @pid, its root.
 * Then the pool is back.
 */
static void restart_pool_empty(struct __test_metadata *_metadata,
			       struct piped_child *pc,
			       const struct huge_kind *k, pid_t pid)
{
	struct piped_check c = { _metadata, k->finish };
	long ret;

	ASSERT_EQ(0, write_long(NR_HUGEPAGES, 0));
	ret = restart_rounds(&pc->img, 1, CTL_FD, RES_FD, pc->log,
			     sizeof(pc->log), &pc->pid, piped_check_restored,
			     &c);
	EXPECT_EQ(-ENOMEM, ret) TH_LOG("%s", pc->log);
	EXPECT_NE(NULL, strstr(pc->log, k->empty_msg)) TH_LOG("%s", pc->log);
	/* Nothing left: the pid is free for the next restart. */
	EXPECT_EQ(-1, kill(pid, 0));
	ASSERT_EQ(0, write_long(NR_HUGEPAGES, POOL));
	ASSERT_LE(POOL, read_number(NR_HUGEPAGES));
}

/*
 * The child goes on after its checkpoint, or is killed and restarted
 * twice from its image, after a restart without huge pages failed.
 */
TEST_F_TIMEOUT(huge, memory, 180)
{
	const struct huge_kind *k = variant->kind;
	struct piped_check c = { _metadata, k->finish };
	pid_t pid = self->pc.pid;

	if (!variant->restarts) {
		ASSERT_LT(0, checkpoint_image(pid, k->flags, &self->pc.img,
					      self->pc.log, sizeof(self->pc.log)))
			TH_LOG("%s", self->pc.log);
		k->check_image(_metadata, &self->pc.img, self->r.addr);
		piped_child_finish(_metadata, &self->pc, k->finish);
		return;
	}
	ASSERT_LT(0, checkpoint_image(pid, k->flags | CHECKPOINT_KILL,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	self->pc.pid = -1;
	close(self->pc.ctl);
	close(self->pc.res);
	k->check_image(_metadata, &self->pc.img, self->r.addr);
	if (k->empty_msg)
		restart_pool_empty(_metadata, &self->pc, k, pid);
	ASSERT_LT(0, restart_rounds(&self->pc.img, variant->restarts, CTL_FD,
				    RES_FD, self->pc.log, sizeof(self->pc.log),
				    &self->pc.pid, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

TEST_HARNESS_MAIN
