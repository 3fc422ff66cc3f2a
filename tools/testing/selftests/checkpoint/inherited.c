// SPDX-License-Identifier: GPL-2.0
/*
 * What a process of a tree has from its parent comes back as it was:
 * its executable, its vDSO, and the pages it wrote of a private file
 * mapping it shares with its parent since fork(2).  Restart creates a
 * child as a fork of its restored parent and keeps of that copy what
 * the image says the child has from the parent; these tests check the
 * result, not how restart got there.
 *
 * The root P maps two pages of a file privately and writes page 0, then
 * forks C, which writes page 1; C forks G, which writes page 0.  In the
 * "moved" variant, C moves its [vvar] and [vdso] elsewhere (together,
 * as the vDSO finds its data just below it) before it forks G: C's vDSO
 * is then not where its parent's is, G's is where C's is.
 *
 * Before the checkpoint and after each restart, each process reports
 * where its [vvar] and [vdso] are, what /proc/self/exe is, whether
 * __vdso_clock_gettime(), looked up in the vDSO where it is, agrees with
 * the system call, and the bytes of its file mapping.
 */
#include <fcntl.h>
#include <linux/elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		60
#define RES_FD		61
#define WAIT_MS		60000
#define NR_PROCS	3
#define FILE_BYTE	0x5a	/* what the file holds */

enum { P, C, G };

struct inh_report {
	int who;			/* P, C or G */
	int setup;			/* the step that failed, or 0 */
	unsigned long vvar_start, vvar_end;
	unsigned long vdso_start, vdso_end;
	dev_t exe_dev;
	ino_t exe_ino;
	char exe[256];
	int clock_bad;			/* vDSO and syscall disagree */
	unsigned char page[2];		/* what the file mapping holds */
	int page_bad;			/* a byte of a page differs, + 1 */
};

static char file_path[64];
static bool move_vdso;
static long psz;

/* Where the mapping named @name is: 0, or -1 if there is none. */
static int map_range(const char *name, unsigned long *start,
		     unsigned long *end)
{
	char line[512];
	int found = -1;
	FILE *f;

	f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *n = strchr(line, '[');

		if (n && !strncmp(n, name, strlen(name)) &&
		    sscanf(line, "%lx-%lx", start, end) == 2)
			found = 0;
	}
	fclose(f);
	return found;
}

typedef int (*vdso_gettime_t)(clockid_t, struct timespec *);

/*
 * __vdso_clock_gettime of the vDSO at @base, found in its symbol table:
 * the C library keeps the address it found at startup, which a moved
 * vDSO is no longer at.  The vDSO is its whole ELF file, mapped as it
 * is, so that its sections are at their file offsets from @base.
 */
static vdso_gettime_t vdso_gettime(unsigned long base)
{
	const struct elf64_hdr *eh = (const void *)base;
	const struct elf64_phdr *ph = (const void *)(base + eh->e_phoff);
	const struct elf64_shdr *sh = (const void *)(base + eh->e_shoff);
	const struct elf64_sym *sym;
	unsigned long load = 0;
	unsigned int i, j, n;
	bool loaded = false;
	const char *str;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return NULL;
	for (i = 0; i < eh->e_phnum && !loaded; i++) {
		if (ph[i].p_type == PT_LOAD) {
			load = base + ph[i].p_offset - ph[i].p_vaddr;
			loaded = true;
		}
	}
	for (i = 0; loaded && i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_DYNSYM || !sh[i].sh_entsize ||
		    sh[i].sh_link >= eh->e_shnum)
			continue;
		sym = (const void *)(base + sh[i].sh_offset);
		str = (const void *)(base + sh[sh[i].sh_link].sh_offset);
		n = sh[i].sh_size / sh[i].sh_entsize;
		for (j = 0; j < n; j++)
			if (sym[j].st_shndx != SHN_UNDEF &&
			    !strcmp(str + sym[j].st_name, "__vdso_clock_gettime"))
				return (vdso_gettime_t)(load + sym[j].st_value);
	}
	return NULL;
}

/*
 * CLOCK_MONOTONIC through the vDSO at @base lies between two system
 * calls: the vDSO is whole and finds its data where it is.
 */
static int clock_bad(unsigned long base)
{
	vdso_gettime_t gettime = vdso_gettime(base);
	struct timespec a, b, c;
	long long ta, tb, tc;

	if (!gettime)
		return 2;
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a) ||
	    gettime(CLOCK_MONOTONIC, &b) ||
	    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &c))
		return 1;
	ta = a.tv_sec * 1000000000LL + a.tv_nsec;
	tb = b.tv_sec * 1000000000LL + b.tv_nsec;
	tc = c.tv_sec * 1000000000LL + c.tv_nsec;
	return tb < ta || tb > tc;
}

/* Fill @r in with what this process has now; the step that failed. */
static int look(struct inh_report *r, const unsigned char *map)
{
	struct stat st;
	ssize_t n;
	long i, j;

	if (map_range("[vvar]", &r->vvar_start, &r->vvar_end) ||
	    map_range("[vdso]", &r->vdso_start, &r->vdso_end))
		return 20;
	n = readlink("/proc/self/exe", r->exe, sizeof(r->exe) - 1);
	if (n <= 0 || stat("/proc/self/exe", &st))
		return 21;
	r->exe[n] = 0;
	r->exe_dev = st.st_dev;
	r->exe_ino = st.st_ino;
	r->clock_bad = clock_bad(r->vdso_start);
	r->page_bad = 0;
	for (i = 0; i < 2; i++) {
		r->page[i] = map[i * psz];
		for (j = 0; j < psz && !r->page_bad; j++)
			if (map[i * psz + j] != r->page[i])
				r->page_bad = i * psz + j + 1;
	}
	return 0;
}

static void report(const struct inh_report *r)
{
	if (write(RES_FD, r, sizeof(*r)) != sizeof(*r))
		_exit(90);
}

/* Move [vvar] and [vdso], one after the other, to a free place. */
static int move_vdso_away(void)
{
	unsigned long vs, ve, ds, de, len;
	char *to;

	if (map_range("[vvar]", &vs, &ve) || map_range("[vdso]", &ds, &de) ||
	    ve != ds)
		return -1;
	len = de - vs;
	/* Room for both, away from where they are, then theirs. */
	to = mmap(NULL, len + 64 * psz, PROT_NONE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (to == MAP_FAILED)
		return -1;
	to += 32 * psz;
	if (mremap((void *)vs, ve - vs, ve - vs, MREMAP_MAYMOVE | MREMAP_FIXED,
		   to) != to ||
	    mremap((void *)ds, de - ds, de - ds, MREMAP_MAYMOVE | MREMAP_FIXED,
		   to + (ve - vs)) != to + (ve - vs))
		return -1;
	return 0;
}

/*
 * Report, wait for the word (after the checkpoint or a restart), look
 * again and report; then let the child below go, and exit with its
 * status.  The word comes once per process on the shared pipe.
 */
static void __noreturn serve(struct inh_report *r, const unsigned char *map,
			     pid_t child)
{
	int status = 0;
	char c;

	if (!r->setup)
		r->setup = look(r, map);
	report(r);
	if (r->setup)
		_exit(91);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(92);
	r->setup = look(r, map);
	report(r);
	if (child > 0 && waitpid(child, &status, 0) != child)
		_exit(93);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 94);
}

static void __noreturn inh_root(void)
{
	struct inh_report r = { .who = P, .setup = 1 };
	unsigned char *map;
	pid_t c, g;
	int fd;

	fd = open(file_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		serve(&r, NULL, 0);
	map = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	r.setup = 2;
	if (map == MAP_FAILED)
		serve(&r, NULL, 0);
	memset(map, 0x11, psz);

	r.setup = 3;
	c = fork();
	if (c < 0)
		serve(&r, NULL, 0);
	if (c) {
		r.setup = 0;
		serve(&r, map, c);
	}
	r.who = C;
	memset(map + psz, 0x22, psz);
	r.setup = 4;
	if (move_vdso && move_vdso_away())
		serve(&r, NULL, 0);
	r.setup = 5;
	g = fork();
	if (g < 0)
		serve(&r, NULL, 0);
	if (!g) {
		r.who = G;
		memset(map, 0x33, psz);
	}
	r.setup = 0;
	serve(&r, map, g);
}

FIXTURE(inherited) {
	struct piped_child pc;
	struct inh_report before[NR_PROCS];
};

FIXTURE_VARIANT(inherited) {
	bool move_vdso;
};

FIXTURE_VARIANT_ADD(inherited, in_place) {
	.move_vdso = false,
};

FIXTURE_VARIANT_ADD(inherited, moved) {
	.move_vdso = true,
};

FIXTURE_SETUP(inherited)
{
	unsigned char buf[4096];
	int fd, i;

	psz = sysconf(_SC_PAGESIZE);
	ASSERT_LE(psz, (long)sizeof(buf));
	snprintf(file_path, sizeof(file_path), "/tmp/ckpt-inherited-%d",
		 getpid());
	fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	memset(buf, FILE_BYTE, psz);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(psz, write(fd, buf, psz));
	close(fd);
	move_vdso = variant->move_vdso;
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, inh_root));
	ASSERT_EQ(0, read_reports_by_index(self->pc.res, self->before,
					   sizeof(*self->before), NR_PROCS,
					   WAIT_MS));
	for (i = 0; i < NR_PROCS; i++)
		ASSERT_EQ(0, self->before[i].setup) TH_LOG("process %d", i);
	/* The setup is as the test means it. */
	ASSERT_EQ(move_vdso, self->before[C].vdso_start !=
			     self->before[P].vdso_start);
	ASSERT_EQ(self->before[C].vdso_start, self->before[G].vdso_start);
}

FIXTURE_TEARDOWN(inherited)
{
	piped_child_end(&self->pc);
	unlink(file_path);
}

/* The reports taken before the checkpoint. */
static struct inh_report *expected;

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	static const unsigned char pages[NR_PROCS][2] = {
		[P] = { 0x11, FILE_BYTE },
		[C] = { 0x11, 0x22 },
		[G] = { 0x33, 0x22 },
	};
	struct inh_report now[NR_PROCS];
	int p;

	ASSERT_EQ(NR_PROCS, write(ctl, "xxx", NR_PROCS));
	ASSERT_EQ(0, read_reports_by_index(res, now, sizeof(*now), NR_PROCS,
					   WAIT_MS));
	for (p = 0; p < NR_PROCS; p++) {
		const struct inh_report *was = &expected[p], *is = &now[p];

		ASSERT_EQ(0, is->setup) TH_LOG("process %d", p);
		EXPECT_EQ(was->vvar_start, is->vvar_start) TH_LOG("process %d", p);
		EXPECT_EQ(was->vvar_end, is->vvar_end) TH_LOG("process %d", p);
		EXPECT_EQ(was->vdso_start, is->vdso_start) TH_LOG("process %d", p);
		EXPECT_EQ(was->vdso_end, is->vdso_end) TH_LOG("process %d", p);
		EXPECT_EQ(0, is->clock_bad) TH_LOG("process %d", p);
		EXPECT_STREQ(was->exe, is->exe);
		EXPECT_EQ(was->exe_dev, is->exe_dev) TH_LOG("process %d", p);
		EXPECT_EQ(was->exe_ino, is->exe_ino) TH_LOG("process %d", p);
		EXPECT_EQ(0, is->page_bad)
			TH_LOG("process %d: byte %d", p, is->page_bad - 1);
		EXPECT_EQ(pages[p][0], is->page[0]) TH_LOG("process %d", p);
		EXPECT_EQ(pages[p][1], is->page[1]) TH_LOG("process %d", p);
	}
}

TEST_F(inherited, continues)
{
	int p;

	for (p = 0; p < NR_PROCS; p++)
		ASSERT_EQ(0, self->before[p].page_bad);
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	expected = self->before;
	piped_child_finish(_metadata, &self->pc, check);
}

TEST_F(inherited, restarts_twice)
{
	struct piped_check c = { _metadata, check };

	expected = self->before;
	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

TEST_HARNESS_MAIN
