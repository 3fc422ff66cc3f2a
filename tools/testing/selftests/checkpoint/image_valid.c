// SPDX-License-Identifier: GPL-2.0
/*
 * The image of a stopped process: its layout and content follow
 * include/uapi/linux/checkpoint.h, and restart(RESTART_VALIDATE)
 * accepts it from a file and from a pipe.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#define CHILD_COMM "ckpt-valid"

FIXTURE(valid)
{
	struct family f;
	int fd;			/* the memfd the image was written to */
	struct ckpt_image img;
	struct ckpt_rec recs[CKPT_MAX_RECS];
	int nr_recs;
	time_t before, after;	/* around the checkpoint */
	char log[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(valid)
{
	struct family_opts o = { .comm = CHILD_COMM, .state = FAMILY_STOPPED };
	int lp[2];

	self->fd = -1;
	ASSERT_EQ(0, family_spawn(&self->f, &o));
	self->fd = memfd_create("ckpt-image", MFD_CLOEXEC);
	ASSERT_GE(self->fd, 0);
	ASSERT_EQ(0, log_pipe(lp));
	self->before = time(NULL);
	EXPECT_LT(0, ckpt_ret(sys_checkpoint(self->f.child, self->fd,
					     CHECKPOINT_SCOPE_TREE, lp[1])));
	self->after = time(NULL);
	log_drain(lp[0], self->log, sizeof(self->log));
	close(lp[0]);
	close(lp[1]);
	ASSERT_STREQ("", self->log);
	ASSERT_EQ(0, image_read_fd(&self->img, self->fd));
	self->nr_recs = image_walk(&self->img, self->recs, CKPT_MAX_RECS);
	ASSERT_LT(0, self->nr_recs);
}

FIXTURE_TEARDOWN(valid)
{
	family_kill(&self->f);
	if (self->fd >= 0)
		close(self->fd);
	image_free(&self->img);
}

TEST_F(valid, header_is_first_record)
{
	struct ckpt_hdr_header *h = (struct ckpt_hdr_header *)self->img.buf;
	static const __u8 zero[sizeof(h->_pad2)];
	struct utsname u;

	ASSERT_EQ(0, self->recs[0].off);
	ASSERT_EQ(CKPT_HDR_HEADER, h->h.type);
	ASSERT_EQ(sizeof(*h), h->h.len);
	EXPECT_EQ(0, memcmp(h->magic, CKPT_MAGIC, CKPT_MAGIC_LEN));
	EXPECT_EQ(CKPT_VERSION_MAJOR, h->major);
	EXPECT_EQ(CKPT_VERSION_MINOR, h->minor);
	EXPECT_EQ(CKPT_ARCH_X86_64, h->arch);
	EXPECT_EQ(62, h->arch);
	EXPECT_EQ(0, h->_pad);
	EXPECT_EQ(sysconf(_SC_PAGESIZE), h->page_size);
	EXPECT_EQ(CHECKPOINT_SCOPE_TREE, h->flags);
	EXPECT_EQ(0, h->features_required);
	EXPECT_EQ(0, h->features_optional);
	EXPECT_LE(self->before, h->time);
	EXPECT_GE(self->after, h->time);
	ASSERT_EQ(0, uname(&u));
	EXPECT_STREQ(u.release, h->release);
	EXPECT_EQ(0, memcmp(h->_pad2, zero, sizeof(zero)));
}

TEST_F(valid, records_are_aligned_and_zero_padded)
{
	int i;

	/* image_walk() covered the whole image, record by record. */
	for (i = 0; i < self->nr_recs; i++) {
		size_t off = self->recs[i].off, len = self->recs[i].len, j;

		EXPECT_EQ(0, off % 8)
			TH_LOG("record %d", i);
		EXPECT_LE(sizeof(struct ckpt_hdr), len);
		for (j = off + len; j < off + CKPT_ALIGN_UP(len); j++) {
			EXPECT_EQ(0, self->img.buf[j])
				TH_LOG("record %d, padding byte at offset %zu", i, j);
		}
	}
	i = self->nr_recs - 1;
	EXPECT_EQ(self->img.len, self->recs[i].off + CKPT_ALIGN_UP(self->recs[i].len));
}

/*
 * The first record after the tree that is not shared memory (the test
 * harness shares memory with its tests) with its pages.
 */
static int first_after_shmem(const struct ckpt_rec *recs, int n)
{
	int i = 2;

	while (i < n && (recs[i].type == CKPT_HDR_SHMEM ||
			 recs[i].type == CKPT_HDR_PAGES))
		i++;
	return i;
}

/*
 * header, tree, { shmem with its pages, mm with its vmas and pages,
 * cred, task, x86_regs, x86_xstate }, tail: the objects of a task come
 * before it, its architecture records right after it.
 */
TEST_F(valid, records_come_in_documented_order)
{
	int i, n = self->nr_recs;
	__u32 prev = 0;

	ASSERT_LE(9, n);
	EXPECT_EQ(CKPT_HDR_HEADER, self->recs[0].type);
	EXPECT_EQ(CKPT_HDR_TREE, self->recs[1].type);
	EXPECT_EQ(CKPT_HDR_MM, self->recs[first_after_shmem(self->recs, n)].type);
	EXPECT_EQ(CKPT_HDR_TAIL, self->recs[n - 1].type);
	for (i = 2; i < n - 1; i++) {
		__u32 type = self->recs[i].type;

		switch (type) {
		case CKPT_HDR_SHMEM:
		case CKPT_HDR_MM:
			EXPECT_NE(CKPT_HDR_TASK, prev);
			break;
		case CKPT_HDR_VMA:
			EXPECT_TRUE(prev == CKPT_HDR_MM || prev == CKPT_HDR_VMA ||
				    prev == CKPT_HDR_PAGES ||
				    prev == CKPT_HDR_PAGES_COW);
			break;
		case CKPT_HDR_PAGES:
		case CKPT_HDR_PAGES_COW:
			EXPECT_TRUE(prev == CKPT_HDR_VMA || prev == CKPT_HDR_PAGES ||
				    prev == CKPT_HDR_PAGES_COW ||
				    (type == CKPT_HDR_PAGES && prev == CKPT_HDR_SHMEM));
			break;
		case CKPT_HDR_X86_REGS:
			EXPECT_EQ(CKPT_HDR_TASK, prev);
			break;
		case CKPT_HDR_X86_XSTATE:
			EXPECT_EQ(CKPT_HDR_X86_REGS, prev);
			break;
		case CKPT_HDR_TASK_SIGNALS:
			EXPECT_EQ(CKPT_HDR_X86_XSTATE, prev);
			break;
		case CKPT_HDR_TASK_ATTRS:
			EXPECT_EQ(CKPT_HDR_TASK_SIGNALS, prev);
			break;
		case CKPT_HDR_FILES:
			/* After the files it holds, if it holds any. */
			EXPECT_NE(CKPT_HDR_TASK, prev);
			break;
		case CKPT_HDR_TASK:
		case CKPT_HDR_CRED:
		case CKPT_HDR_SIGHAND:
		case CKPT_HDR_SIGNAL:
		case CKPT_HDR_FILE:
		case CKPT_HDR_FS:
			break;
		default:
			EXPECT_EQ(0, type);
		}
		if (_metadata->exit_code != KSFT_PASS) {
			TH_LOG("record %d (type %u) after type %u", i, type, prev);
			break;
		}
		prev = type;
	}
	EXPECT_EQ(CKPT_HDR_TASK_ATTRS, prev);
}

TEST_F(valid, tail_counts_records_and_bytes)
{
	int last = self->nr_recs - 1;
	struct ckpt_hdr_tail *t;

	ASSERT_EQ(CKPT_HDR_TAIL, self->recs[last].type);
	ASSERT_EQ(sizeof(*t), self->recs[last].len);
	t = (struct ckpt_hdr_tail *)(self->img.buf + self->recs[last].off);
	EXPECT_EQ(0, memcmp(t->magic, CKPT_TAIL_MAGIC, CKPT_MAGIC_LEN));
	EXPECT_EQ(last, t->records);
	EXPECT_EQ(self->recs[last].off, t->bytes);
	/* The tail ends the image. */
	EXPECT_EQ(self->img.len, self->recs[last].off + sizeof(*t));
}

TEST_F(valid, tree_lists_the_child)
{
	struct ckpt_hdr_tree *tree = image_tree(&self->img);
	struct ckpt_pids *p = image_pids(&self->img);

	ASSERT_NE(NULL, tree);
	ASSERT_EQ(1, tree->nr_tasks);
	EXPECT_EQ(sizeof(*tree) + sizeof(*p), tree->h.len);
	EXPECT_EQ(0, tree->_pad);
	EXPECT_EQ(self->f.child, p->pid);
	EXPECT_EQ(self->f.child, p->tgid);
	/* Our pid is outside the image: the root's ppid is written as 0. */
	EXPECT_EQ(0, p->ppid);
	EXPECT_EQ(getpgid(self->f.child), p->pgid);
	EXPECT_EQ(getpgrp(), p->pgid);
	EXPECT_EQ(getsid(0), p->sid);
	/* The root shares nothing with a parent in the image: no CKPT_PIDS_*. */
	EXPECT_EQ(0, p->flags);
}

TEST_F(valid, task_record_describes_the_child)
{
	struct ckpt_hdr_task *t = image_rec(&self->img, CKPT_HDR_TASK, 0);
	struct ckpt_hdr_cred *c = image_rec(&self->img, CKPT_HDR_CRED, 0);

	ASSERT_NE(NULL, t);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(sizeof(*t), t->h.len);
	EXPECT_EQ(self->f.child, t->pid);
	EXPECT_EQ(CKPT_TASK_THREAD_LEADER, t->flags);
	EXPECT_EQ(SIGCHLD, t->exit_signal);
	/* fork() kept our personality. */
	EXPECT_EQ((unsigned int)personality(0xffffffff), t->personality);
	EXPECT_STREQ(CHILD_COMM, t->comm);
	/* Its one cred, defined just before it. */
	EXPECT_EQ(c->h.objref, t->cred_ref);
	EXPECT_EQ(c->h.objref, t->real_cred_ref);
}

static __u64 cap_word(const struct __user_cap_data_struct *d, int which)
{
	switch (which) {
	case 0:
		return d[0].effective | (__u64)d[1].effective << 32;
	case 1:
		return d[0].permitted | (__u64)d[1].permitted << 32;
	default:
		return d[0].inheritable | (__u64)d[1].inheritable << 32;
	}
}

TEST_F(valid, cred_record_matches_the_child)
{
	struct ckpt_hdr_cred *c = image_rec(&self->img, CKPT_HDR_CRED, 0);
	struct __user_cap_header_struct caphdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct capdata[2];
	__u64 bset = 0, ambient = 0;
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid, groups[NGROUPS_MAX];
	int ngroups, i, shmem;
	__u32 *img_groups;

	ASSERT_NE(NULL, c);
	/*
	 * The second object of the image after the shared memory the task
	 * maps: after its address space.
	 */
	for (i = 0, shmem = 0; self->recs[i].type != CKPT_HDR_CRED; i++)
		shmem += self->recs[i].type == CKPT_HDR_SHMEM;
	EXPECT_EQ(shmem + 2, c->h.objref);
	EXPECT_EQ(((struct ckpt_hdr_task *)image_rec(&self->img, CKPT_HDR_TASK, 0))->cred_ref,
		  c->h.objref);
	EXPECT_EQ(0, c->h._pad);

	/* The child inherited all of these from us. */
	ASSERT_EQ(0, getresuid(&ruid, &euid, &suid));
	ASSERT_EQ(0, getresgid(&rgid, &egid, &sgid));
	EXPECT_EQ(getuid(), c->uid);
	EXPECT_EQ(getgid(), c->gid);
	EXPECT_EQ(euid, c->euid);
	EXPECT_EQ(suid, c->suid);
	EXPECT_EQ((uid_t)setfsuid(-1), c->fsuid);
	EXPECT_EQ(egid, c->egid);
	EXPECT_EQ(sgid, c->sgid);
	EXPECT_EQ((gid_t)setfsgid(-1), c->fsgid);

	ngroups = getgroups(NGROUPS_MAX, groups);
	ASSERT_LE(0, ngroups);
	ASSERT_EQ(ngroups, c->ngroups);
	EXPECT_EQ(sizeof(*c) + ngroups * sizeof(__u32), c->h.h.len);
	img_groups = (__u32 *)(c + 1);
	for (i = 0; i < ngroups; i++)
		EXPECT_EQ(groups[i], img_groups[i]);

	ASSERT_EQ(0, syscall(SYS_capget, &caphdr, capdata));
	EXPECT_EQ(cap_word(capdata, 0), c->cap_effective);
	EXPECT_EQ(cap_word(capdata, 1), c->cap_permitted);
	EXPECT_EQ(cap_word(capdata, 2), c->cap_inheritable);
	for (i = 0; i < 64; i++) {
		if (prctl(PR_CAPBSET_READ, i, 0, 0, 0) == 1)
			bset |= 1ULL << i;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, i, 0, 0) == 1)
			ambient |= 1ULL << i;
	}
	EXPECT_EQ(bset, c->cap_bset);
	EXPECT_EQ(ambient, c->cap_ambient);
	EXPECT_EQ(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0), c->securebits);
}

TEST_F(valid, validate_accepts_the_image)
{
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(0, validate_fd(self->fd, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
	/* A valid image draws no message. */
	EXPECT_STREQ("", self->log);
	/* The image was read to its end. */
	EXPECT_EQ(self->img.len, lseek(self->fd, 0, SEEK_CUR));
}

TEST_F(valid, validate_twice_after_rewinding)
{
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(0, validate_fd(self->fd, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(0, validate_fd(self->fd, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
}

TEST_F(valid, validate_at_end_of_image_is_enodata)
{
	/* checkpoint(2) left the offset after the image: nothing to read. */
	ASSERT_EQ(self->img.len, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(-ENODATA, validate_fd(self->fd, self->log, sizeof(self->log)));
	EXPECT_NE(0, strlen(self->log));
}

/* A child that writes @img into a pipe, @chunk bytes at a time. */
static pid_t feed_pipe(const struct ckpt_image *img, size_t chunk, int *rfd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		size_t off = 0;

		close(p[0]);
		while (off < img->len) {
			/* Small chunks over the first records, then large. */
			size_t want = off < 16384 ? chunk : 65536;
			size_t n = img->len - off < want ? img->len - off : want;

			if (write(p[1], img->buf + off, n) != (ssize_t)n)
				_exit(1);
			off += n;
			if (want < img->len)
				usleep(200);
		}
		_exit(0);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static void check_validate_through_pipe(struct __test_metadata *_metadata,
					const struct ckpt_image *img,
					size_t chunk)
{
	char log[CKPT_LOG_SIZE];
	int rfd, st;
	pid_t writer;

	writer = feed_pipe(img, chunk, &rfd);
	ASSERT_LT(0, writer);
	EXPECT_EQ(0, validate_fd(rfd, log, sizeof(log)))
		TH_LOG("chunk %zu, log: %s", chunk, log);
	close(rfd);
	ASSERT_EQ(writer, waitpid(writer, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
}

TEST_F(valid, validate_through_pipe)
{
	check_validate_through_pipe(_metadata, &self->img, self->img.len);
}

TEST_F(valid, validate_through_pipe_in_small_chunks)
{
	/* Record headers arrive split across reads. */
	check_validate_through_pipe(_metadata, &self->img, 3);
	check_validate_through_pipe(_metadata, &self->img, 5);
	check_validate_through_pipe(_metadata, &self->img, 8);
}

TEST_F(valid, truncated_image_through_pipe_is_enodata)
{
	struct ckpt_image cut = { 0 };
	char log[CKPT_LOG_SIZE];
	int rfd, st;
	pid_t writer;

	ASSERT_EQ(0, image_copy(&cut, &self->img));
	image_truncate(&cut, cut.len - 8);
	writer = feed_pipe(&cut, 7, &rfd);
	ASSERT_LT(0, writer);
	EXPECT_EQ(-ENODATA, validate_fd(rfd, log, sizeof(log)));
	EXPECT_NE(0, strlen(log));
	close(rfd);
	ASSERT_EQ(writer, waitpid(writer, &st, 0));
	image_free(&cut);
}

TEST_F(valid, checkpoint_to_pipe_validates)
{
	int p[2], st;
	pid_t reader;

	/* The image is larger than a pipe buffer: read it as it comes. */
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	reader = fork();
	ASSERT_LE(0, reader);
	if (!reader) {
		close(p[1]);
		_exit(validate_fd(p[0], self->log, sizeof(self->log)) ? 1 : 0);
	}
	close(p[0]);
	EXPECT_LT(0, ckpt_ret(sys_checkpoint(self->f.child, p[1],
					     CHECKPOINT_SCOPE_TREE, -1)));
	close(p[1]);
	ASSERT_EQ(reader, waitpid(reader, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
}

/*
 * Two images of one stopped family are equal but for the time in the
 * header and the pages of memory shared with processes outside it (the
 * test harness keeps its results in such a page).
 */
static bool same_but_time_and_shared(const unsigned char *a,
				     const unsigned char *b, size_t len)
{
	size_t t = offsetof(struct ckpt_hdr_header, time);
	bool shared = false;
	size_t off = 0;

	if (memcmp(a, b, t))
		return false;
	off = t + 8;
	if (memcmp(a + off, b + off, sizeof(struct ckpt_hdr_header) - off))
		return false;
	off = sizeof(struct ckpt_hdr_header);
	while (off + sizeof(struct ckpt_hdr) <= len) {
		const struct ckpt_hdr *h = (const void *)(a + off);
		size_t size = CKPT_ALIGN_UP((size_t)h->len);

		if (h->len < sizeof(*h) || size > len - off)
			return false;
		if (h->type == CKPT_HDR_VMA)
			shared = ((const struct ckpt_hdr_vma *)h)->flags & CKPT_VMA_SHARED;
		if (h->type == CKPT_HDR_SHMEM)
			shared = true;
		if (!(h->type == CKPT_HDR_PAGES && shared) &&
		    memcmp(a + off, b + off, size))
			return false;
		off += size;
	}
	return off == len;
}

TEST_F(valid, checkpoint_starts_at_file_offset)
{
	static const char prefix[] = "13 bytes here";
	struct ckpt_image img = { 0 };
	int fd = memfd_create("ckpt-image", MFD_CLOEXEC);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(13, write(fd, prefix, 13));
	EXPECT_LT(0, ckpt_ret(sys_checkpoint(self->f.child, fd,
					     CHECKPOINT_SCOPE_TREE, -1)));
	ASSERT_EQ(0, image_read_fd(&img, fd));
	ASSERT_EQ(13 + self->img.len, img.len);
	EXPECT_EQ(0, memcmp(img.buf, prefix, 13));
	/* The image itself is as if written from offset 0. */
	EXPECT_TRUE(same_but_time_and_shared(img.buf + 13, self->img.buf,
					     self->img.len));

	ASSERT_EQ(13, lseek(fd, 13, SEEK_SET));
	EXPECT_EQ(0, validate_fd(fd, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
	image_free(&img);
	close(fd);
}

TEST_F(valid, two_checkpoints_differ_only_in_time)
{
	struct ckpt_image again = { 0 };

	EXPECT_LT(0, checkpoint_image(self->f.child, CHECKPOINT_SCOPE_TREE, &again,
				      self->log, sizeof(self->log)));
	ASSERT_EQ(self->img.len, again.len);
	EXPECT_TRUE(same_but_time_and_shared(self->img.buf, again.buf, again.len));
	image_free(&again);
}

TEST_F(valid, running_sibling_out_of_scope_does_not_matter)
{
	struct family_opts o = { .state = FAMILY_BLOCKED };
	struct ckpt_image img = { 0 };
	struct family sibling;
	int st;

	ASSERT_EQ(0, family_spawn(&sibling, &o));
	EXPECT_LT(0, checkpoint_image(self->f.child, CHECKPOINT_SCOPE_TREE, &img,
				      self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
	ASSERT_NE(NULL, image_tree(&img));
	EXPECT_EQ(1, image_tree(&img)->nr_tasks);
	EXPECT_EQ(self->f.child, image_pids(&img)->pid);
	EXPECT_EQ(self->img.len, img.len);

	st = family_release(&sibling, WUNTRACED | WCONTINUED);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(FAMILY_EXIT_OK, WEXITSTATUS(st));
	family_kill(&sibling);
	image_free(&img);
}

/* ------------------------------------------------------------------ */

struct helper_result {
	int setup_err;
	long ret;
	pid_t target;
};

/*
 * A checkpoint that fails after the header went out ends its image with
 * an error record, which restart(2) reports as EBADMSG.  To make it fail
 * there, the caller sits in a new user namespace with no uid mapping:
 * the target's credentials cannot be expressed in it.
 */
TEST(failed_checkpoint_ends_with_error_record)
{
	struct family_opts o = { .state = FAMILY_STOPPED };
	struct ckpt_image img = { 0 };
	struct ckpt_rec recs[CKPT_MAX_RECS];
	char log[CKPT_LOG_SIZE], rlog[CKPT_LOG_SIZE];
	struct ckpt_hdr_error *e;
	struct helper_result *res;
	int image, lp[2], st, n;
	const char *msg;
	pid_t helper;

	res = shared_alloc(sizeof(*res));
	ASSERT_NE(NULL, res);
	image = memfd_create("ckpt-image", MFD_CLOEXEC);
	ASSERT_GE(image, 0);
	ASSERT_EQ(0, log_pipe(lp));

	helper = fork();
	ASSERT_GE(helper, 0);
	if (!helper) {
		struct family f;

		if (unshare(CLONE_NEWUSER)) {
			res->setup_err = -errno;
			_exit(0);
		}
		res->setup_err = family_spawn(&f, &o);
		if (!res->setup_err) {
			res->target = f.child;
			res->ret = ckpt_ret(sys_checkpoint(f.child, image,
							   CHECKPOINT_SCOPE_TASK, lp[1]));
			family_kill(&f);
		}
		_exit(0);
	}
	ASSERT_EQ(helper, waitpid(helper, &st, 0));
	if (res->setup_err == -EINVAL || res->setup_err == -EPERM ||
	    res->setup_err == -ENOSPC || res->setup_err == -EUSERS)
		SKIP(return, "no user namespace: %s", strerror(-res->setup_err));
	ASSERT_EQ(0, res->setup_err);

	EXPECT_EQ(-EOVERFLOW, res->ret);
	log_drain(lp[0], log, sizeof(log));
	EXPECT_NE(0, strlen(log));

	ASSERT_EQ(0, image_read_fd(&img, image));
	n = image_walk(&img, recs, CKPT_MAX_RECS);
	/* Header, tree, the address space, then the error for the cred. */
	ASSERT_LE(4, n);
	EXPECT_EQ(CKPT_HDR_HEADER, recs[0].type);
	EXPECT_EQ(CKPT_HDR_TREE, recs[1].type);
	EXPECT_EQ(CKPT_HDR_MM, recs[first_after_shmem(recs, n)].type);
	EXPECT_EQ(0, image_count(&img, CKPT_HDR_CRED));
	EXPECT_EQ(0, image_count(&img, CKPT_HDR_TASK));
	ASSERT_EQ(CKPT_HDR_ERROR, recs[n - 1].type);
	e = (struct ckpt_hdr_error *)(img.buf + recs[n - 1].off);
	EXPECT_EQ(EOVERFLOW, e->errnum);
	EXPECT_EQ(0, e->_pad);
	ASSERT_LT(sizeof(*e) + 1, e->h.len);
	msg = (const char *)(e + 1);
	/* NUL terminated, and the message the log fd got. */
	ASSERT_EQ('\0', msg[e->h.len - sizeof(*e) - 1]);
	EXPECT_EQ(e->h.len - sizeof(*e) - 1, strlen(msg));
	EXPECT_NE(NULL, strstr(log, msg))
		TH_LOG("log: %s; error record: %s", log, msg);

	EXPECT_EQ(-EBADMSG, validate_image(&img, rlog, sizeof(rlog)));
	EXPECT_NE(NULL, strstr(rlog, msg))
		TH_LOG("restart log: %s", rlog);

	image_free(&img);
	close(image);
	close(lp[0]);
	close(lp[1]);
	munmap(res, sizeof(*res));
}

TEST_HARNESS_MAIN
