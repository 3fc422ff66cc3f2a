// SPDX-License-Identifier: GPL-2.0
/*
 * The state checkpoint(2) saves for a task: its registers and FPU state,
 * its address space and the pages that exist, and no others.  The
 * target runs: it is blocked in read() with known values in callee-saved
 * and SSE registers and a known pattern in memory.  It must come back
 * from the checkpoint with its read() completing normally and its
 * registers untouched.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#define NR_DATA_PAGES	16	/* written: saved */
#define NR_READ_PAGES	4	/* only read: map the zero page, not saved */
#define REGION_PAGES	256
#define MAGIC_R12	0x1122334455667788ULL
#define MAGIC_R13	0x8877665544332211ULL
#define XMM0_OFFSET	160	/* of xmm0 in the FXSAVE part of XSAVE */
#define EXIT_INTACT	42
#define EXIT_DISTURBED	43

static const unsigned char xmm_pattern[16] = {
	0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67,
	0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98,
};

static unsigned char page_byte(unsigned int i)
{
	return i * 7 + 1;
}

/*
 * Load r12, r13 and xmm0, block in read(2) and read them back, all in
 * one asm statement so that no compiled code touches them in between.
 */
static long read_with_registers(int fd, unsigned char xmm_out[16],
				uint64_t *r12, uint64_t *r13)
{
	char c;
	long ret;

	asm volatile("movdqu (%[in]), %%xmm0\n\t"
		     "movq %[m12], %%r12\n\t"
		     "movq %[m13], %%r13\n\t"
		     "syscall\n\t"
		     "movdqu %%xmm0, (%[out])\n\t"
		     "movq %%r12, (%[o12])\n\t"
		     "movq %%r13, (%[o13])\n\t"
		     : "=a" (ret)
		     : "a" ((long)SYS_read), "D" ((long)fd), "S" (&c), "d" (1L),
		       [in] "r" (xmm_pattern), [out] "r" (xmm_out),
		       [m12] "r" (MAGIC_R12), [m13] "r" (MAGIC_R13),
		       [o12] "r" (r12), [o13] "r" (r13)
		     : "rcx", "r11", "r12", "r13", "xmm0", "memory");
	return ret;
}

static void child_main(int rep, int ctl)
{
	unsigned char *region, xmm[16];
	uint64_t r12, r13;
	unsigned int i;
	unsigned char sink = 0;
	long n;

	region = mmap(NULL, REGION_PAGES * getpagesize(), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		_exit(1);
	for (i = 0; i < NR_DATA_PAGES; i++)
		memset(region + i * getpagesize(), page_byte(i), getpagesize());
	/* Read, not written (the exit status uses sink): the zero page. */
	for (i = 0; i < NR_READ_PAGES; i++)
		sink += region[(64 + i) * getpagesize()];
	if (write(rep, &region, sizeof(region)) != sizeof(region))
		_exit(1);

	n = read_with_registers(ctl, xmm, &r12, &r13);
	_exit(n == 1 && r12 == MAGIC_R12 && r13 == MAGIC_R13 &&
	      !memcmp(xmm, xmm_pattern, sizeof(xmm)) && !sink ?
	      EXIT_INTACT : EXIT_DISTURBED);
}

FIXTURE(task_state)
{
	pid_t child;
	int ctl;
	unsigned long region;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(task_state)
{
	int rep[2], ctl[2];

	memset(&self->img, 0, sizeof(self->img));
	ASSERT_EQ(0, pipe2(rep, O_CLOEXEC));
	ASSERT_EQ(0, pipe(ctl));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		close(rep[0]);
		close(ctl[1]);
		child_main(rep[1], ctl[0]);
	}
	close(rep[1]);
	close(ctl[0]);
	self->ctl = ctl[1];
	ASSERT_EQ(sizeof(self->region),
		  read(rep[0], &self->region, sizeof(self->region)));
	close(rep[0]);
	ASSERT_EQ(0, wait_in_read(self->child));

	ASSERT_LT(0, checkpoint_image(self->child, CHECKPOINT_SCOPE_TASK,
				      &self->img, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
}

FIXTURE_TEARDOWN(task_state)
{
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	image_free(&self->img);
}

TEST_F(task_state, target_continues_unharmed)
{
	int st;

	/* Its read() was held, not interrupted, and gets its byte. */
	ASSERT_EQ(1, write(self->ctl, "x", 1));
	ASSERT_EQ(self->child, waitpid(self->child, &st, 0));
	self->child = 0;
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(EXIT_INTACT, WEXITSTATUS(st));
}

TEST_F(task_state, image_is_valid)
{
	EXPECT_EQ(0, validate_image(&self->img, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
}

TEST_F(task_state, registers_of_blocked_read)
{
	struct ckpt_hdr_x86_regs *r = image_rec(&self->img, CKPT_HDR_X86_REGS, 0);

	ASSERT_NE(NULL, r);
	ASSERT_EQ(1, image_count(&self->img, CKPT_HDR_X86_REGS));
	EXPECT_EQ(MAGIC_R12, r->r12);
	EXPECT_EQ(MAGIC_R13, r->r13);
	/* Inside read(2) on the control pipe, to be restarted. */
	EXPECT_EQ(SYS_read, r->orig_ax);
	EXPECT_EQ(1, r->dx);
	EXPECT_EQ(0x33, r->cs);
	EXPECT_EQ(0x2b, r->ss);
	EXPECT_EQ(0, r->ds | r->es | r->fs | r->gs);
	EXPECT_NE(0, r->fs_base);	/* glibc's TLS */
	EXPECT_NE(0, r->flags & 0x200);	/* interrupts enabled */
}

TEST_F(task_state, sse_registers_in_xstate)
{
	struct ckpt_hdr_x86_xstate *x = image_rec(&self->img, CKPT_HDR_X86_XSTATE, 0);

	ASSERT_NE(NULL, x);
	ASSERT_LE(576, x->size);	/* legacy area and XSAVE header */
	EXPECT_EQ(sizeof(*x) + x->size, x->h.len);
	EXPECT_NE(0, x->xfeatures & 3);	/* x87 and SSE */
	EXPECT_EQ(0, memcmp((unsigned char *)(x + 1) + XMM0_OFFSET, xmm_pattern,
			    sizeof(xmm_pattern)));
}

TEST_F(task_state, address_space_layout)
{
	struct ckpt_hdr_mm *mm = image_rec(&self->img, CKPT_HDR_MM, 0);
	struct ckpt_hdr_task *t = image_rec(&self->img, CKPT_HDR_TASK, 0);
	char exe[PATH_MAX];
	const char *path;
	ssize_t n;

	ASSERT_NE(NULL, mm);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, image_count(&self->img, CKPT_HDR_MM));
	EXPECT_EQ(mm->h.objref, t->mm_ref);
	EXPECT_EQ(mm->nr_vmas, image_count(&self->img, CKPT_HDR_VMA));
	EXPECT_LT(mm->start_code, mm->end_code);
	EXPECT_LE(mm->start_brk, mm->brk);
	EXPECT_LT(mm->arg_start, mm->arg_end);
	EXPECT_EQ(0, mm->nr_auxv % 2);

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	ASSERT_EQ(n + 1, mm->exe_len);
	path = (const char *)(mm + 1) + mm->nr_auxv * sizeof(__u64);
	EXPECT_STREQ(exe, path);
}

TEST_F(task_state, vmas_in_order_with_one_vdso)
{
	int i, n = image_count(&self->img, CKPT_HDR_VMA), vdso = 0, vvar = 0;
	__u64 prev_end = 0;

	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		struct ckpt_hdr_vma *v = image_rec(&self->img, CKPT_HDR_VMA, i);

		EXPECT_LT(v->start, v->end);
		EXPECT_LE(prev_end, v->start);
		EXPECT_EQ(0, v->start % getpagesize());
		prev_end = v->end;
		vdso += v->kind == CKPT_VMA_VDSO;
		vvar += v->kind == CKPT_VMA_VVAR;
		/*
		 * A file mapping names an absolute path, shared memory its
		 * object (the test harness shares some), others nothing.
		 */
		EXPECT_EQ(v->kind == CKPT_VMA_FILE ? '/' : 0,
			  v->kind == CKPT_VMA_FILE ? *(char *)(v + 1) : 0);
		EXPECT_EQ(v->kind == CKPT_VMA_SHMEM ?
			  sizeof(struct ckpt_vma_shmem) : 0,
			  v->kind == CKPT_VMA_FILE ? 0 : v->path_len);
	}
	EXPECT_EQ(1, vdso);
	EXPECT_EQ(1, vvar);
}

/* Only the written pages of the region are saved, with their contents. */
TEST_F(task_state, only_existing_pages_saved_exactly)
{
	struct ckpt_rec recs[CKPT_MAX_RECS];
	int n = image_walk(&self->img, recs, CKPT_MAX_RECS), i, at = -1;
	unsigned int saved = 0, p;
	size_t ps = getpagesize();

	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		struct ckpt_hdr_vma *v = (void *)(self->img.buf + recs[i].off);

		if (recs[i].type == CKPT_HDR_VMA && v->start == self->region) {
			at = i;
			EXPECT_EQ(self->region + REGION_PAGES * ps, v->end);
			EXPECT_EQ(CKPT_VMA_ANON, v->kind);
			EXPECT_EQ(CKPT_VMA_READ | CKPT_VMA_WRITE, v->flags &
				  (CKPT_VMA_READ | CKPT_VMA_WRITE | CKPT_VMA_EXEC |
				   CKPT_VMA_SHARED));
		}
	}
	ASSERT_LE(0, at);

	for (i = at + 1; i < n && recs[i].type == CKPT_HDR_PAGES; i++) {
		struct ckpt_hdr_pages *pg = (void *)(self->img.buf + recs[i].off);
		unsigned char *data = (unsigned char *)(pg + 1);

		EXPECT_EQ(sizeof(*pg) + pg->nr_pages * ps, pg->h.len);
		for (p = 0; p < pg->nr_pages; p++) {
			unsigned long addr = pg->addr + p * ps;
			unsigned int idx = (addr - self->region) / ps;
			unsigned char want[4096];

			ASSERT_GT(NR_DATA_PAGES, idx);
			memset(want, page_byte(idx), ps);
			EXPECT_EQ(0, memcmp(data + p * ps, want, ps))
				TH_LOG("page %u differs", idx);
			saved++;
		}
	}
	EXPECT_EQ(NR_DATA_PAGES, saved);
}

/* Damaged state records are refused. */
TEST_F(task_state, bad_segment_refused)
{
	struct ckpt_hdr_x86_regs *r = image_rec(&self->img, CKPT_HDR_X86_REGS, 0);

	r->cs = 0x10;	/* kernel code segment */
	EXPECT_EQ(-EINVAL, validate_image(&self->img, self->log, sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "x86_regs"));
}

TEST_F(task_state, kernel_ip_refused)
{
	struct ckpt_hdr_x86_regs *r = image_rec(&self->img, CKPT_HDR_X86_REGS, 0);

	r->ip = 0xffffffff81000000ULL;
	EXPECT_EQ(-EINVAL, validate_image(&self->img, self->log, sizeof(self->log)));
}

TEST_F(task_state, iopl_flag_refused)
{
	struct ckpt_hdr_x86_regs *r = image_rec(&self->img, CKPT_HDR_X86_REGS, 0);

	r->flags |= 0x3000;	/* IOPL 3 */
	EXPECT_EQ(-EINVAL, validate_image(&self->img, self->log, sizeof(self->log)));
}

TEST_F(task_state, xstate_of_other_size_refused)
{
	struct ckpt_hdr_x86_xstate *x = image_rec(&self->img, CKPT_HDR_X86_XSTATE, 0);

	x->size -= 64;
	x->h.len -= 64;
	EXPECT_EQ(-ENOEXEC, validate_image(&self->img, self->log, sizeof(self->log)));
}

TEST_F(task_state, xstate_compacted_refused)
{
	struct ckpt_hdr_x86_xstate *x = image_rec(&self->img, CKPT_HDR_X86_XSTATE, 0);
	__u64 *xcomp_bv = (__u64 *)((unsigned char *)(x + 1) + 512 + 8);

	*xcomp_bv = 1ULL << 63;
	EXPECT_EQ(-EINVAL, validate_image(&self->img, self->log, sizeof(self->log)));
}

TEST_F(task_state, mm_ref_to_a_cred_refused)
{
	struct ckpt_hdr_task *t = image_rec(&self->img, CKPT_HDR_TASK, 0);

	t->mm_ref = t->cred_ref;
	EXPECT_EQ(-EBADR, validate_image(&self->img, self->log, sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "mm_ref"));
}

TEST_F(task_state, overlapping_vmas_refused)
{
	struct ckpt_hdr_vma *v = image_rec(&self->img, CKPT_HDR_VMA, 1);

	ASSERT_NE(NULL, v);
	v->start -= getpagesize();
	EXPECT_EQ(-EINVAL, validate_image(&self->img, self->log, sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "(vma)"));
}

TEST_F(task_state, pages_outside_their_vma_refused)
{
	struct ckpt_hdr_pages *p = image_rec(&self->img, CKPT_HDR_PAGES, 0);

	ASSERT_NE(NULL, p);
	p->addr = 0x1000;
	EXPECT_EQ(-EINVAL, validate_image(&self->img, self->log, sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "(pages)"));
}

TEST_F(task_state, unaligned_pages_refused)
{
	struct ckpt_hdr_pages *p = image_rec(&self->img, CKPT_HDR_PAGES, 0);

	ASSERT_NE(NULL, p);
	p->addr += 8;
	EXPECT_EQ(-EINVAL, validate_image(&self->img, self->log, sizeof(self->log)));
}

TEST_F(task_state, page_count_mismatch_refused)
{
	struct ckpt_hdr_pages *p = image_rec(&self->img, CKPT_HDR_PAGES, 0);

	ASSERT_NE(NULL, p);
	p->nr_pages += 1;
	EXPECT_EQ(-EINVAL, validate_image(&self->img, self->log, sizeof(self->log)));
}

TEST_F(task_state, relative_exe_path_refused)
{
	struct ckpt_hdr_mm *mm = image_rec(&self->img, CKPT_HDR_MM, 0);
	char *path = (char *)(mm + 1) + mm->nr_auxv * sizeof(__u64);

	ASSERT_LT(1, mm->exe_len);
	path[0] = 'x';
	EXPECT_EQ(-EINVAL, validate_image(&self->img, self->log, sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "(mm)"));
}

TEST_F(task_state, missing_vma_refused)
{
	struct ckpt_hdr_mm *mm = image_rec(&self->img, CKPT_HDR_MM, 0);

	mm->nr_vmas += 1;
	EXPECT_EQ(-EINVAL, validate_image(&self->img, self->log, sizeof(self->log)));
}

TEST_HARNESS_MAIN
