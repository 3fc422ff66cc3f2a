// SPDX-License-Identifier: GPL-2.0
/*
 * memfds: their memory, size, name, permissions and seals, the files
 * open on them (a dup sharing the offset, a read-only reopen through
 * /proc with an offset of its own) and their mappings (shared, private
 * with pages of their own, read-only under a write seal, and one whose
 * descriptor was closed), checked by the process itself after the
 * checkpoint, and once more after each of two restarts.
 *
 *  - M1, "ckpt-memfd": NR_M pages each filled with its own byte but a
 *    hole, one far page, a size that is no multiple of a page, mode
 *    0640, sealed against shrinking; mapped shared from page 1 and
 *    privately from page 0, the private mapping having written its
 *    page 2;
 *  - M2, "sealed": two pages, sealed against writes and sealed, mapped
 *    shared read-only;
 *  - M3, "unsealable": made without MFD_ALLOW_SEALING, mapped shared,
 *    its descriptor closed;
 *  - M4, "noexec": MFD_NOEXEC_SEAL, empty.
 *
 * A memfd with a writable shared mapping made before F_SEAL_FUTURE_WRITE
 * could not be mapped again: the checkpoint is refused, naming it.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL		0x0008U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC		0x0020
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE	0x0010
#endif

#define CTL_FD		100
#define RES_FD		101
#define M1		50
#define D1		51	/* dup(M1) */
#define R1		52	/* /proc/self/fd/M1, read-only */
#define M2		53
#define M4		54
#define NR_M		16
#define HOLE		6
#define FAR		3000	/* a page far beyond the others */
#define SIZE_TAIL	123
#define NR_S		8	/* pages 1 to 8 of M1 */
#define NR_P		4	/* pages 0 to 3 of M1 */
#define OFF_M1		777
#define OFF_R1		55
#define TOKEN		0x5eed1e55u
#define WAIT_MS		30000

struct memfd_report {
	int setup;		/* 0, or where the set-up failed */
	unsigned long s, p, s2, s3;
	/* after */
	unsigned int m1_bad, p_bad, s_bad, m2_bad, s3_bad;
	long long m1_size, m2_size, m4_size;
	unsigned int m1_mode, m4_mode;
	int m1_seals, m2_seals, m4_seals;
	int same_inode, names_ok;
	long long off_m1, off_d1, off_r1, off_shared;
	int r1_write_errno, shared_seen, private_hidden, s3_token;
	int shrink_errno, m2_write_errno, m2_map_errno, m2_mprotect_errno;
	int m4_add_errno, m1_add_ok;
};

static long psz;

static unsigned char fill(int page)
{
	return page == FAR ? 0xfa : page * 7 + 1;
}

/* The byte M1 holds at @page, as the child set it up. */
static unsigned char m1_byte(int page)
{
	if (page == FAR || (page < NR_M && page != HOLE))
		return fill(page);
	return 0;
}

static long long m1_size(void)
{
	return (long long)FAR * psz + SIZE_TAIL;
}

static unsigned int check_fd(int fd, int page, unsigned char want)
{
	unsigned char *buf = malloc(psz);
	unsigned int bad = 0;
	long len = psz, i;

	if (page == FAR)
		len = SIZE_TAIL;
	if (!buf || pread(fd, buf, len, (off_t)page * psz) != len)
		bad = 1;
	for (i = 0; !bad && i < len; i++)
		bad = buf[i] != want;
	free(buf);
	return bad;
}

static unsigned int check_mem(const unsigned char *mem, int pages,
			      unsigned char (*want)(int), int first)
{
	unsigned int bad = 0;
	long i;
	int p;

	for (p = 0; p < pages; p++)
		for (i = 0; i < psz; i++)
			if (mem[p * psz + i] != want(first + p)) {
				bad++;
				break;
			}
	return bad;
}

/* priv's view: the file's pages but page 2, which priv wrote. */
static unsigned char p_byte(int page)
{
	return page == 2 ? 0x77 : m1_byte(page);
}

static unsigned char m2_byte(int page)
{
	return 0xb0 + page;
}

static unsigned char s3_byte(int page)
{
	return 0x33;
}

static int mkmemfd(const char *name, unsigned int flags, int at)
{
	int fd = memfd_create(name, flags);

	if (fd < 0 || (at >= 0 && (dup2(fd, at) != at || close(fd))))
		return -1;
	return at >= 0 ? at : fd;
}

static bool name_is(int fd, const char *want)
{
	char path[64], buf[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return false;
	buf[n] = 0;
	return !strcmp(buf, want);
}

static void after(struct memfd_report *r, unsigned char *shared,
		  unsigned char *priv, unsigned char *map2, unsigned char *map3)
{
	struct stat st1, std, str, st2, st4;
	unsigned char c;
	unsigned int v;
	int p;

	r->m1_bad = 0;
	for (p = 0; p < NR_M; p++)
		r->m1_bad += check_fd(M1, p, m1_byte(p));
	r->m1_bad += check_fd(M1, FAR, m1_byte(FAR));
	r->s_bad = check_mem(shared, NR_S, m1_byte, 1);
	r->p_bad = check_mem(priv, NR_P, p_byte, 0);
	r->m2_bad = check_mem(map2, 2, m2_byte, 0);
	r->s3_bad = check_mem(map3, 1, s3_byte, 0);

	if (fstat(M1, &st1) || fstat(D1, &std) || fstat(R1, &str) ||
	    fstat(M2, &st2) || fstat(M4, &st4))
		return;
	r->m1_size = st1.st_size;
	r->m2_size = st2.st_size;
	r->m4_size = st4.st_size;
	r->m1_mode = st1.st_mode & 07777;
	r->m4_mode = st4.st_mode & 07777;
	r->same_inode = st1.st_ino == std.st_ino && st1.st_ino == str.st_ino &&
			st1.st_dev == str.st_dev && st1.st_ino != st2.st_ino;
	r->names_ok = name_is(M1, "/memfd:ckpt-memfd (deleted)") &&
		      name_is(R1, "/memfd:ckpt-memfd (deleted)") &&
		      name_is(M2, "/memfd:sealed (deleted)") &&
		      name_is(M4, "/memfd:noexec (deleted)");
	r->m1_seals = fcntl(M1, F_GET_SEALS);
	r->m2_seals = fcntl(M2, F_GET_SEALS);
	r->m4_seals = fcntl(M4, F_GET_SEALS);

	r->off_m1 = lseek(M1, 0, SEEK_CUR);
	r->off_d1 = lseek(D1, 0, SEEK_CUR);
	r->off_r1 = lseek(R1, 0, SEEK_CUR);
	/* A read through the dup moves M1's offset: one open file. */
	if (read(D1, &c, 1) == 1)
		r->off_shared = lseek(M1, 0, SEEK_CUR);
	r->r1_write_errno = write(R1, "x", 1) < 0 ? errno : 0;

	/* What shared writes, the file holds; what priv writes, it does not. */
	v = TOKEN;
	memcpy(shared + 3 * psz + 8, &v, sizeof(v));
	r->shared_seen = pread(M1, &v, sizeof(v), 4 * psz + 8) == sizeof(v) &&
			 v == TOKEN;
	priv[3 * psz] = 0x99;
	r->private_hidden = pread(R1, &c, 1, 3 * psz) == 1 &&
			    c == m1_byte(3);
	map3[100] = 0x34;
	r->s3_token = map3[100] == 0x34;

	/* The seals hold. */
	r->shrink_errno = ftruncate(M1, psz) ? errno : 0;
	r->m2_write_errno = pwrite(M2, "x", 1, 0) < 0 ? errno : 0;
	r->m2_map_errno = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_SHARED,
			       M2, 0) == MAP_FAILED ? errno : 0;
	r->m2_mprotect_errno = mprotect(map2, psz, PROT_READ | PROT_WRITE) ?
			       errno : 0;
	r->m4_add_errno = fcntl(M4, F_ADD_SEALS, F_SEAL_SEAL) ? errno : 0;
	r->m1_add_ok = !fcntl(M1, F_ADD_SEALS, F_SEAL_GROW) &&
		       fcntl(M1, F_GET_SEALS) == (F_SEAL_SHRINK | F_SEAL_GROW);
}

static void __noreturn memfd_child(void)
{
	struct memfd_report r = { 0 };
	unsigned char *shared = NULL, *priv = NULL, *buf;
	unsigned char *map2 = NULL, *map3 = NULL;
	char path[64];
	int p, m3, fd;

	psz = sysconf(_SC_PAGESIZE);
	buf = malloc(psz);
	r.setup = 1;
	if (!buf || mkmemfd("ckpt-memfd", MFD_ALLOW_SEALING, M1) < 0)
		goto out;
	for (p = 0; p < NR_M; p++) {
		memset(buf, fill(p), psz);
		if (p != HOLE && pwrite(M1, buf, psz, (off_t)p * psz) != psz)
			goto out;
	}
	memset(buf, fill(FAR), psz);
	r.setup = 2;
	if (pwrite(M1, buf, psz, (off_t)FAR * psz) != psz ||
	    ftruncate(M1, m1_size()) || fchmod(M1, 0640) ||
	    fcntl(M1, F_ADD_SEALS, F_SEAL_SHRINK) ||
	    lseek(M1, OFF_M1, SEEK_SET) != OFF_M1 || dup2(M1, D1) != D1)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", M1);
	fd = open(path, O_RDONLY);
	r.setup = 3;
	if (fd < 0 || dup2(fd, R1) != R1 || close(fd) ||
	    lseek(R1, OFF_R1, SEEK_SET) != OFF_R1)
		goto out;
	shared = mmap(NULL, NR_S * psz, PROT_READ | PROT_WRITE, MAP_SHARED, M1,
		      psz);
	priv = mmap(NULL, NR_P * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE, M1,
		    0);
	r.setup = 4;
	if (shared == MAP_FAILED || priv == MAP_FAILED)
		goto out;
	memset(priv + 2 * psz, 0x77, psz);

	r.setup = 5;
	if (mkmemfd("sealed", MFD_ALLOW_SEALING, M2) < 0)
		goto out;
	for (p = 0; p < 2; p++) {
		memset(buf, m2_byte(p), psz);
		if (pwrite(M2, buf, psz, (off_t)p * psz) != psz)
			goto out;
	}
	r.setup = 6;
	if (fcntl(M2, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SEAL))
		goto out;
	map2 = mmap(NULL, 2 * psz, PROT_READ, MAP_SHARED, M2, 0);
	r.setup = 7;
	m3 = mkmemfd("unsealable", 0, -1);
	if (map2 == MAP_FAILED || m3 < 0 || ftruncate(m3, psz))
		goto out;
	map3 = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_SHARED, m3, 0);
	r.setup = 8;
	if (map3 == MAP_FAILED || close(m3))
		goto out;
	memset(map3, 0x33, psz);
	r.setup = 9;
	if (mkmemfd("noexec", MFD_NOEXEC_SEAL, M4) < 0)
		goto out;
	r.setup = 0;
	r.s = (unsigned long)shared;
	r.p = (unsigned long)priv;
	r.s2 = (unsigned long)map2;
	r.s3 = (unsigned long)map3;
out:
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r) || r.setup)
		_exit(90);
	if (read(CTL_FD, buf, 1) != 1)
		_exit(91);
	after(&r, shared, priv, map2, map3);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(92);
	_exit(0);
}

FIXTURE(mfd) {
	struct piped_child pc;
	struct memfd_report before;
};

FIXTURE_SETUP(mfd)
{
	psz = sysconf(_SC_PAGESIZE);
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, memfd_child));
	ASSERT_EQ(0, read_within(self->pc.res, &self->before,
				 sizeof(self->before), WAIT_MS));
	ASSERT_EQ(0, self->before.setup);
}

FIXTURE_TEARDOWN(mfd)
{
	piped_child_end(&self->pc);
}

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct memfd_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(0, r.m1_bad);
	EXPECT_EQ(0, r.s_bad);
	EXPECT_EQ(0, r.p_bad);
	EXPECT_EQ(0, r.m2_bad);
	EXPECT_EQ(0, r.s3_bad);
	EXPECT_EQ(m1_size(), r.m1_size);
	EXPECT_EQ(2 * psz, r.m2_size);
	EXPECT_EQ(0, r.m4_size);
	EXPECT_EQ(0640, r.m1_mode);
	EXPECT_EQ(0666, r.m4_mode);
	EXPECT_TRUE(r.same_inode);
	EXPECT_TRUE(r.names_ok);
	EXPECT_EQ(F_SEAL_SHRINK, r.m1_seals);
	EXPECT_EQ(F_SEAL_WRITE | F_SEAL_SEAL, r.m2_seals);
	EXPECT_EQ(F_SEAL_EXEC, r.m4_seals);
	EXPECT_EQ(OFF_M1, r.off_m1);
	EXPECT_EQ(OFF_M1, r.off_d1);
	EXPECT_EQ(OFF_R1, r.off_r1);
	EXPECT_EQ(OFF_M1 + 1, r.off_shared);
	EXPECT_EQ(EBADF, r.r1_write_errno);
	EXPECT_TRUE(r.shared_seen);
	EXPECT_TRUE(r.private_hidden);
	EXPECT_TRUE(r.s3_token);
	EXPECT_EQ(EPERM, r.shrink_errno);
	EXPECT_EQ(EPERM, r.m2_write_errno);
	EXPECT_EQ(EPERM, r.m2_map_errno);
	EXPECT_EQ(EACCES, r.m2_mprotect_errno);
	EXPECT_EQ(0, r.m4_add_errno);
	EXPECT_TRUE(r.m1_add_ok);
}

static bool in_region(unsigned long addr, unsigned long start, int pages)
{
	return addr >= start && addr < start + pages * psz;
}

/*
 * Four memfds are in the image (M4 too, though empty), M1 as it was
 * set up; shared, priv, map2 and map3 are memfd mappings.
 */
static void check_image(struct __test_metadata *_metadata,
			const struct ckpt_image *img,
			const struct memfd_report *r)
{
	const struct ckpt_hdr_memfd *m;
	const struct ckpt_hdr_vma *v;
	const struct ckpt_hdr_file *f;
	int i, vmas = 0, files = 0;

	EXPECT_EQ(4, image_count(img, CKPT_HDR_MEMFD));
	for (i = 0; (m = image_rec(img, CKPT_HDR_MEMFD, i)); i++)
		if (!strcmp("ckpt-memfd", (const char *)(m + 1)))
			break;
	ASSERT_NE(NULL, m);
	EXPECT_EQ(m1_size(), m->size);
	EXPECT_EQ(0640, m->mode);
	EXPECT_EQ(F_SEAL_SHRINK, m->seals);
	for (i = 0; (v = image_rec(img, CKPT_HDR_VMA, i)); i++) {
		if (!in_region(v->start, r->s, NR_S) &&
		    !in_region(v->start, r->p, NR_P) &&
		    !in_region(v->start, r->s2, 2) &&
		    !in_region(v->start, r->s3, 1))
			continue;
		EXPECT_EQ(CKPT_VMA_MEMFD, v->kind);
		vmas++;
	}
	EXPECT_EQ(4, vmas);
	for (i = 0; (f = image_rec(img, CKPT_HDR_FILE, i)); i++)
		files += f->kind == CKPT_FILE_MEMFD;
	/* M1 with D1, R1, M2, M4 */
	EXPECT_EQ(4, files);
}

TEST_F(mfd, continues)
{
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	check_image(_metadata, &self->pc.img, &self->before);
	piped_child_finish(_metadata, &self->pc, check);
}

TEST_F(mfd, restarts_twice)
{
	struct piped_check c = { _metadata, check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

/* A writable shared mapping under F_SEAL_FUTURE_WRITE: refused. */
static void __noreturn future_write_child(void)
{
	int fd = memfd_create("future", MFD_ALLOW_SEALING);
	char *mem;
	char c;

	if (fd < 0 || ftruncate(fd, 4096))
		_exit(90);
	mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED || fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE))
		_exit(91);
	mem[0] = 1;
	if (write(RES_FD, "r", 1) != 1 || read(CTL_FD, &c, 1) != 1)
		_exit(92);
	/* Still writable, still there. */
	mem[1] = 2;
	_exit(mem[0] == 1 && mem[1] == 2 ? 0 : 93);
}

TEST(refuses_future_write_mapping)
{
	struct piped_child pc;
	int status;
	char c;

	ASSERT_LE(0, piped_child_fork(&pc, CTL_FD, RES_FD, future_write_child));
	ASSERT_EQ(0, read_within(pc.res, &c, 1, WAIT_MS));
	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TASK,
						&pc.img, pc.log,
						sizeof(pc.log)));
	EXPECT_NE(NULL, strstr(pc.log, "sealed against writes"))
		TH_LOG("%s", pc.log);
	ASSERT_EQ(1, write(pc.ctl, "x", 1));
	ASSERT_EQ(pc.pid, waitpid(pc.pid, &status, 0));
	pc.pid = -1;
	EXPECT_EQ(0, status);
	piped_child_end(&pc);
}

TEST_HARNESS_MAIN
