// SPDX-License-Identifier: GPL-2.0
/*
 * Shared anonymous memory (MAP_SHARED | MAP_ANONYMOUS) that a process
 * shares with its child after fork(): saved once, and shared again by
 * the restored processes, each mapping at its offset:
 *
 *  - A: NR_A pages, each filled with its own byte, but pages HOLE to
 *    HOLE + NR_HOLE, never touched;
 *  - B: NR_B pages whose second half the parent made read-only, so that
 *    it is two mappings of one object, the second at an offset;
 *  - D: NR_D pages marked MADV_DONTDUMP: not saved, zero when restored.
 *
 * After the checkpoint the parent asks the child, through A itself, to
 * check its view and to write a word to A; the parent must see it.
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define NR_A		64
#define HOLE		10
#define NR_HOLE		10
#define NR_B		8
#define NR_D		4
#define TOKEN		0xc0ffee42u
#define WAIT_MS		30000

/* The first words of A: how the parent and the child talk. */
struct talk {
	unsigned int cmd;	/* parent: 1, check and answer */
	unsigned int reply;	/* child: 1 when it answered */
	unsigned int child_bad;	/* child: pages of its view that differ */
	unsigned int token;	/* child: TOKEN */
};

struct shm_report {
	int ready;
	unsigned long a, b, d;
	/* after */
	int answered;
	unsigned int child_bad, parent_bad, token;
	int d_zero, d_data;
};

static long psz;
static unsigned char *A, *B, *D;

static unsigned char fill(int region, int page)
{
	return region * 64 + page + 1;
}

/* Pages of A (but its first bytes) and B that do not hold what they should. */
static unsigned int count_bad(void)
{
	unsigned int bad = 0;
	long i;
	int p;

	for (p = 0; p < NR_A; p++) {
		bool hole = p >= HOLE && p < HOLE + NR_HOLE;
		unsigned char want = hole ? 0 : fill(1, p);

		for (i = p ? 0 : 64; i < psz; i++)
			if (A[p * psz + i] != want) {
				bad++;
				break;
			}
	}
	for (p = 0; p < NR_B; p++)
		for (i = 0; i < psz; i++)
			if (B[p * psz + i] != fill(2, p)) {
				bad++;
				break;
			}
	return bad;
}

static int d_state(void)
{
	bool zero = true, data = true;
	long i;

	for (i = 0; i < NR_D * psz; i++) {
		zero &= !D[i];
		data &= D[i] == fill(3, i / psz);
	}
	return zero ? 0 : data ? 1 : 2;
}

static void *shared(int pages)
{
	void *p = mmap(NULL, pages * psz, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void __noreturn the_child(void)
{
	struct talk *t = (void *)A;

	while (__atomic_load_n(&t->cmd, __ATOMIC_ACQUIRE) != 1)
		usleep(1000);
	t->child_bad = count_bad();
	t->token = TOKEN;
	__atomic_store_n(&t->reply, 1, __ATOMIC_RELEASE);
	_exit(0);
}

static void __noreturn parent(void)
{
	struct shm_report r = { 0 };
	struct talk *t;
	pid_t c;
	int p, i, st;
	char ch;

	psz = sysconf(_SC_PAGESIZE);
	A = shared(NR_A);
	B = shared(NR_B);
	D = shared(NR_D);
	if (!A || !B || !D)
		_exit(90);
	for (p = 0; p < NR_A; p++)
		if (p < HOLE || p >= HOLE + NR_HOLE)
			memset(A + p * psz, fill(1, p), psz);
	memset(A, 0, sizeof(struct talk));
	for (p = 0; p < NR_B; p++)
		memset(B + p * psz, fill(2, p), psz);
	for (p = 0; p < NR_D; p++)
		memset(D + p * psz, fill(3, p), psz);
	if (mprotect(B + NR_B / 2 * psz, NR_B / 2 * psz, PROT_READ) ||
	    madvise(D, NR_D * psz, MADV_DONTDUMP))
		_exit(91);
	r.a = (unsigned long)A;
	r.b = (unsigned long)B;
	r.d = (unsigned long)D;
	c = fork();
	if (c < 0)
		_exit(92);
	if (!c)
		the_child();
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(93);
	if (read(CTL_FD, &ch, 1) != 1)
		_exit(94);

	t = (void *)A;
	__atomic_store_n(&t->cmd, 1, __ATOMIC_RELEASE);
	for (i = 0; i < WAIT_MS && !__atomic_load_n(&t->reply, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	r.answered = __atomic_load_n(&t->reply, __ATOMIC_ACQUIRE);
	r.child_bad = t->child_bad;
	r.token = t->token;
	r.parent_bad = count_bad();
	p = d_state();
	r.d_zero = p == 0;
	r.d_data = p == 1;
	if (waitpid(c, &st, 0) != c || st)
		r.answered = -1;
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(95);
	_exit(0);
}

FIXTURE(shm) {
	struct piped_child pc;
	struct shm_report before;
};

FIXTURE_SETUP(shm)
{
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, parent));
	ASSERT_EQ(0, read_within(self->pc.res, &self->before,
				 sizeof(self->before), WAIT_MS));
}

FIXTURE_TEARDOWN(shm)
{
	piped_child_end(&self->pc);
}

static void check(struct __test_metadata *_metadata, int ctl, int res,
		  bool restored)
{
	struct shm_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(1, r.answered);
	EXPECT_EQ(0, r.child_bad);
	EXPECT_EQ(0, r.parent_bad);
	/* Written by the child, seen by the parent: shared. */
	EXPECT_EQ(TOKEN, r.token);
	EXPECT_EQ(restored, r.d_zero);
	EXPECT_EQ(!restored, r.d_data);
}

static bool in_region(unsigned long addr, unsigned long start, int pages)
{
	return addr >= start && addr < start + pages * sysconf(_SC_PAGESIZE);
}

/*
 * The mappings of A, B and D: in each of the two processes, one of A
 * and D and two of B, naming three shared memory objects in all.
 */
static void check_image(struct __test_metadata *_metadata,
			const struct ckpt_image *img,
			const struct shm_report *r)
{
	const struct ckpt_vma_shmem *shm;
	const struct ckpt_hdr_vma *v;
	__u32 refs[8];
	int i, j, nr = 0, objs = 0;

	for (i = 0; (v = image_rec(img, CKPT_HDR_VMA, i)); i++) {
		if (!in_region(v->start, r->a, NR_A) &&
		    !in_region(v->start, r->b, NR_B) &&
		    !in_region(v->start, r->d, NR_D))
			continue;
		ASSERT_EQ(CKPT_VMA_SHMEM, v->kind);
		ASSERT_EQ(sizeof(*shm), v->path_len);
		ASSERT_GT(8, nr);
		shm = (const void *)(v + 1);
		refs[nr++] = shm->shmem_ref;
	}
	EXPECT_EQ(8, nr);
	for (i = 0; i < nr; i++) {
		for (j = 0; j < i && refs[j] != refs[i]; j++)
			;
		objs += j == i;
	}
	EXPECT_EQ(3, objs);
}

TEST_F(shm, continues)
{
	int status;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	check_image(_metadata, &self->pc.img, &self->before);
	check(_metadata, self->pc.ctl, self->pc.res, false);
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, &status, 0));
	self->pc.pid = -1;
	EXPECT_EQ(0, status);
}

static void check_restored(struct restart_round *r, void *arg)
{
	struct __test_metadata *_metadata = arg;
	int status;

	check(_metadata, r->ctl, r->res, true);
	ASSERT_EQ(r->root, waitpid(r->root, &status, 0));
	EXPECT_EQ(0, status);
}

TEST_F(shm, restarts_twice)
{
	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE,
					     2, check_restored, _metadata))
		TH_LOG("%s", self->pc.log);
}

TEST_HARNESS_MAIN
