// SPDX-License-Identifier: GPL-2.0
/*
 * Damaged images: each is refused by restart(RESTART_VALIDATE) with the
 * errno documented at the top of kernel/checkpoint/restart.c, and with a
 * message on the log fd.
 *
 * Every damaged image is made from a real one: the checkpoint of a
 * stopped child that has a second thread and a stopped grandchild, so
 * that the image holds each kind of record and reference:
 *
 *   header, tree (child, thread, grandchild),
 *   cred 1, task child, task thread, cred 2, task grandchild, tail
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

enum {
	R_HEADER,
	R_TREE,
	R_CRED1,
	R_TASK_CHILD,
	R_TASK_THREAD,
	R_CRED2,
	R_TASK_GC,
	R_TAIL,
	NR_RECS
};

/* Entries of the tree record. */
enum { P_CHILD, P_THREAD, P_GC };

/*
 * The records the tests damage, by type and rank among their type.  The
 * image holds others too (address spaces, registers) between them.
 */
static const struct {
	__u32 type;
	int nth;
} named_recs[NR_RECS] = {
	[R_HEADER] = { CKPT_HDR_HEADER, 0 },
	[R_TREE] = { CKPT_HDR_TREE, 0 },
	[R_CRED1] = { CKPT_HDR_CRED, 0 },
	[R_TASK_CHILD] = { CKPT_HDR_TASK, 0 },
	[R_TASK_THREAD] = { CKPT_HDR_TASK, 1 },
	[R_CRED2] = { CKPT_HDR_CRED, 1 },
	[R_TASK_GC] = { CKPT_HDR_TASK, 2 },
	[R_TAIL] = { CKPT_HDR_TAIL, 0 },
};

FIXTURE(corrupt)
{
	struct ckpt_image orig;		/* as checkpoint(2) wrote it */
	struct ckpt_image img;		/* the copy a test damages */
	struct ckpt_rec recs[NR_RECS];	/* the named records of orig */
	struct ckpt_rec *all;		/* every record of orig */
	int nr_all;
	pid_t child, thread, gc;
};

FIXTURE_SETUP(corrupt)
{
	/* An odd number of groups leaves padding after the cred records. */
	static const gid_t groups[] = { 4242 };
	struct family_opts o = {
		.comm = "ckpt-corrupt",
		.thread = true,
		.gc = GC_STOPPED,
		.state = FAMILY_STOPPED,
	};
	struct ckpt_rec recs[CKPT_MAX_RECS];
	char log[CKPT_LOG_SIZE];
	struct family f;
	int i, n, r;

	if (geteuid() == 0) {
		o.groups = groups;
		o.ngroups = ARRAY_SIZE(groups);
	}
	ASSERT_EQ(0, family_spawn(&f, &o));
	self->child = f.child;
	self->thread = f.thread;
	self->gc = f.grandchild;
	EXPECT_LT(0, checkpoint_image(f.child, CHECKPOINT_SCOPE_TREE, &self->orig,
				      log, sizeof(log)))
		TH_LOG("log: %s", log);
	family_kill(&f);

	n = image_walk(&self->orig, recs, CKPT_MAX_RECS);
	ASSERT_LT(NR_RECS, n);
	self->all = calloc(n, sizeof(*self->all));
	ASSERT_NE(NULL, self->all);
	memcpy(self->all, recs, n * sizeof(*recs));
	self->nr_all = n;
	for (r = 0; r < NR_RECS; r++) {
		int nth = named_recs[r].nth;

		for (i = 0; i < n; i++)
			if (recs[i].type == named_recs[r].type && nth-- == 0)
				break;
		ASSERT_GT(n, i)
			TH_LOG("no record %d of type %u", named_recs[r].nth,
			       named_recs[r].type);
		self->recs[r] = recs[i];
	}
	ASSERT_EQ(CKPT_HDR_TAIL, recs[n - 1].type);
	ASSERT_EQ(3, image_count(&self->orig, CKPT_HDR_TASK));
	ASSERT_EQ(2, image_count(&self->orig, CKPT_HDR_CRED));
	ASSERT_EQ(0, validate_image(&self->orig, log, sizeof(log)))
		TH_LOG("the undamaged image is refused: %s", log);
	ASSERT_EQ(0, image_copy(&self->img, &self->orig));
}

FIXTURE_TEARDOWN(corrupt)
{
	free(self->all);
	image_free(&self->orig);
	image_free(&self->img);
}

/* The record @r of the test's copy, as a @type; valid until an insert. */
#define REC(r, type)	((type *)(self->img.buf + self->recs[r].off))
#define HEADER		REC(R_HEADER, struct ckpt_hdr_header)
#define TREE		REC(R_TREE, struct ckpt_hdr_tree)
#define PIDS		((struct ckpt_pids *)(TREE + 1))
#define TAIL		REC(R_TAIL, struct ckpt_hdr_tail)
#define TASK(r)		REC(r, struct ckpt_hdr_task)
#define CRED(r)		REC(r, struct ckpt_hdr_cred)

/* Start again from the undamaged image. */
#define RESET()		ASSERT_EQ(0, image_set(&self->img, self->orig.buf, self->orig.len))

/*
 * restart(RESTART_VALIDATE) refuses @img with @err and says so on the
 * log fd; if @needle is not NULL, the message contains it.
 */
#define EXPECT_REFUSED(img, err, needle) do {					\
	char __log[CKPT_LOG_SIZE];						\
	const int __err = (err);						\
	const char *__needle = (needle);					\
	long __ret = validate_image((img), __log, sizeof(__log));		\
										\
	EXPECT_EQ(-(long)__err, __ret) {					\
		TH_LOG("expected %s, got %ld (%s); log: %s", strerror(__err),	\
		       __ret, __ret ? strerror((int)-__ret) : "accepted", __log); \
	}									\
	EXPECT_NE(0, strlen(__log)) {						\
		TH_LOG("refused without a message on the log fd");		\
	}									\
	if (__needle) {								\
		EXPECT_NE(NULL, strstr(__log, __needle)) {			\
			TH_LOG("the log does not name \"%s\": %s",		\
			       __needle, __log);				\
		}								\
	}									\
} while (0)

#define EXPECT_ACCEPTED(img) do {						\
	char __log[CKPT_LOG_SIZE];						\
	long __ret = validate_image((img), __log, sizeof(__log));		\
										\
	EXPECT_EQ(0, __ret) {							\
		TH_LOG("refused with %s: %s", strerror((int)-__ret), __log);	\
	}									\
} while (0)

/*
 * Has the test failed?  If so, say where it was: a loop tests this to
 * stop at its first failure.
 */
#define FAILED_AT(fmt, ...) ({							\
	bool __failed = _metadata->exit_code != KSFT_PASS;			\
										\
	if (__failed)								\
		TH_LOG("... at " fmt, ##__VA_ARGS__);				\
	__failed;								\
})

/*
 * Offsets inside the record @rec worth cutting at: every one in the
 * first framing, task and credentials records; in the others a few in
 * the record header, and the last byte.
 */
static bool worth_cutting(const struct ckpt_rec *rec, size_t off, bool first)
{
	size_t in = off - rec->off;

	switch (first ? rec->type : 0) {
	case CKPT_HDR_HEADER:
	case CKPT_HDR_TREE:
	case CKPT_HDR_CRED:
	case CKPT_HDR_TASK:
	case CKPT_HDR_TAIL:
		return true;
	}
	/* Inside the type, inside the length, right after them, at the end. */
	return in == 1 || in == 6 || in == sizeof(struct ckpt_hdr) ||
	       in + 1 == CKPT_ALIGN_UP((size_t)rec->len);
}

/* ------------------------------------------------------------------ */
/* Length of the stream                                                */

TEST_F(corrupt, undamaged_copy_is_accepted)
{
	EXPECT_ACCEPTED(&self->img);
}

TEST_F(corrupt, empty_image_is_enodata)
{
	image_truncate(&self->img, 0);
	EXPECT_REFUSED(&self->img, ENODATA, NULL);
}

TEST_F_TIMEOUT(corrupt, truncated_at_record_boundaries_is_enodata, 600)
{
	int r;

	for (r = 0; r < self->nr_all; r++) {
		RESET();
		image_truncate(&self->img, self->all[r].off);
		EXPECT_REFUSED(&self->img, ENODATA, NULL);
		if (FAILED_AT("the start of record %d (offset %zu)", r,
			      self->all[r].off))
			break;
	}
}

TEST_F_TIMEOUT(corrupt, truncated_inside_records_is_enodata, 900)
{
	bool seen[1024] = { false };
	size_t cut;
	int r;

	/*
	 * Inside a header, a body or a padding.  Every byte of the first
	 * record of each type; the header and last byte of the others.
	 */
	for (r = 0; r < self->nr_all; r++) {
		const struct ckpt_rec *rec = &self->all[r];
		bool first = rec->type < ARRAY_SIZE(seen) && !seen[rec->type];

		if (rec->type < ARRAY_SIZE(seen))
			seen[rec->type] = true;
		for (cut = rec->off + 1; cut < rec->off + CKPT_ALIGN_UP((size_t)rec->len);
		     cut++) {
			if (!worth_cutting(rec, cut, first))
				continue;
			RESET();
			image_truncate(&self->img, cut);
			EXPECT_REFUSED(&self->img, ENODATA, NULL);
			if (FAILED_AT("cut at offset %zu of %zu", cut, self->orig.len))
				break;
		}
		if (_metadata->exit_code != KSFT_PASS)
			break;
	}
}

TEST_F(corrupt, missing_tail_is_enodata)
{
	image_truncate(&self->img, self->recs[R_TAIL].off);
	EXPECT_REFUSED(&self->img, ENODATA, "tail");
}

/* ------------------------------------------------------------------ */
/* Header                                                              */

TEST_F(corrupt, bad_magic_is_enoexec)
{
	int i;

	for (i = 0; i < CKPT_MAGIC_LEN; i++) {
		RESET();
		HEADER->magic[i] ^= 0x20;
		EXPECT_REFUSED(&self->img, ENOEXEC, "(header)");
		if (FAILED_AT("magic byte %d", i))
			break;
	}
}

TEST_F(corrupt, first_record_not_header_is_enoexec)
{
	__u32 types[] = {
		0, CKPT_HDR_TAIL, CKPT_HDR_TREE, CKPT_HDR_TASK, CKPT_HDR_CRED,
		99, 0xffffffff,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		RESET();
		HEADER->h.type = types[i];
		EXPECT_REFUSED(&self->img, ENOEXEC, NULL);
		if (FAILED_AT("type %u", types[i]))
			break;
	}

	/* The image without its header starts with the tree. */
	RESET();
	image_delete(&self->img, 0, self->recs[R_TREE].off);
	EXPECT_REFUSED(&self->img, ENOEXEC, NULL);
}

TEST_F(corrupt, header_len_below_8_is_enoexec)
{
	__u32 lens[] = { 0, 1, 7 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		RESET();
		HEADER->h.len = lens[i];
		EXPECT_REFUSED(&self->img, ENOEXEC, NULL);
		if (FAILED_AT("len %u", lens[i]))
			break;
	}
}

TEST_F(corrupt, header_too_short_for_magic_is_enoexec)
{
	/* Eight bytes cannot hold a magic. */
	HEADER->h.len = 8;
	EXPECT_REFUSED(&self->img, ENOEXEC, "(header)");
}

TEST_F(corrupt, header_len_not_its_size_is_einval)
{
	/*
	 * Lengths that keep the padding zero: long enough for the magic,
	 * too short for the version, or simply not sizeof().
	 */
	__u32 lens[] = { 16, 24, 120, sizeof(struct ckpt_hdr_header) + 8 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		RESET();
		HEADER->h.len = lens[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(header)");
		if (FAILED_AT("len %u", lens[i]))
			break;
	}
}

TEST_F(corrupt, header_len_above_max_is_e2big)
{
	__u32 lens[] = { CKPT_RECORD_MAX + 1, CKPT_RECORD_MAX + 8, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		RESET();
		HEADER->h.len = lens[i];
		EXPECT_REFUSED(&self->img, E2BIG, "(header)");
		if (FAILED_AT("len %u", lens[i]))
			break;
	}
}

TEST_F(corrupt, wrong_major_is_eprotonosupport)
{
	__u16 majors[] = { 0, CKPT_VERSION_MAJOR + 1, 0xffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(majors); i++) {
		RESET();
		HEADER->major = majors[i];
		EXPECT_REFUSED(&self->img, EPROTONOSUPPORT, "(header)");
		if (FAILED_AT("major %u", majors[i]))
			break;
	}
}

TEST_F(corrupt, newer_minor_is_eprotonosupport)
{
	__u16 minors[] = { CKPT_VERSION_MINOR + 1, 0xffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(minors); i++) {
		RESET();
		HEADER->minor = minors[i];
		EXPECT_REFUSED(&self->img, EPROTONOSUPPORT, "(header)");
		if (FAILED_AT("minor %u", minors[i]))
			break;
	}
}

TEST_F(corrupt, wrong_arch_is_enoexec)
{
	/* none, i386, aarch64, riscv */
	__u16 archs[] = { 0, 3, 183, 243, 0xffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(archs); i++) {
		RESET();
		HEADER->arch = archs[i];
		EXPECT_REFUSED(&self->img, ENOEXEC, "(header)");
		if (FAILED_AT("arch %u", archs[i]))
			break;
	}
}

TEST_F(corrupt, wrong_page_size_is_enoexec)
{
	__u32 ps = sysconf(_SC_PAGESIZE);
	__u32 sizes[] = { 0, ps / 2, ps * 2, ps + 1, ps * 16, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		RESET();
		HEADER->page_size = sizes[i];
		EXPECT_REFUSED(&self->img, ENOEXEC, "(header)");
		if (FAILED_AT("page size %u", sizes[i]))
			break;
	}
}

TEST_F(corrupt, unknown_required_feature_is_eprotonosupport)
{
	int bits[] = { 0, 1, 31, 32, 63 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		if (CKPT_FEAT_REQUIRED_ALL & (1ULL << bits[i]))
			continue;
		RESET();
		HEADER->features_required |= 1ULL << bits[i];
		EXPECT_REFUSED(&self->img, EPROTONOSUPPORT, "(header)");
		if (FAILED_AT("required feature bit %d", bits[i]))
			break;
	}
}

TEST_F(corrupt, unknown_optional_feature_is_accepted)
{
	__u64 features[] = { 1ULL << 0, 1ULL << 63, ~0ULL };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(features); i++) {
		RESET();
		HEADER->features_optional = features[i];
		EXPECT_ACCEPTED(&self->img);
		if (FAILED_AT("optional features %#llx",
			      (unsigned long long)features[i]))
			break;
	}
}

TEST_F(corrupt, unknown_header_flags_are_einval)
{
	__u32 flags[] = { 0x2000, 0x4000, 0x80000000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		RESET();
		HEADER->flags |= flags[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(header)");
		if (FAILED_AT("flags %#x", flags[i]))
			break;
	}
}

TEST_F(corrupt, header_reserved_fields_are_einval)
{
	unsigned int i;

	HEADER->_pad = 1;
	EXPECT_REFUSED(&self->img, EINVAL, "(header)");
	for (i = 0; i < sizeof(HEADER->_pad2); i++) {
		RESET();
		HEADER->_pad2[i] = 0x80;
		EXPECT_REFUSED(&self->img, EINVAL, "(header)");
		if (FAILED_AT("_pad2[%u]", i))
			break;
	}
}

TEST_F(corrupt, release_not_nul_terminated_is_einval)
{
	memset(HEADER->release, 'x', sizeof(HEADER->release));
	EXPECT_REFUSED(&self->img, EINVAL, "release");
}

TEST_F(corrupt, header_time_and_release_do_not_matter)
{
	/* Only the version numbers say what a kernel can read. */
	HEADER->time = 0;
	memset(HEADER->release, 0, sizeof(HEADER->release));
	snprintf(HEADER->release, sizeof(HEADER->release), "2.6.32-some-other-kernel");
	EXPECT_ACCEPTED(&self->img);
}

/* ------------------------------------------------------------------ */
/* Record lengths                                                      */

static const char *const rec_names[NR_RECS] = {
	"(header)", "(tree)", "(cred)", "(task)", "(task)", "(cred)", "(task)",
	"(tail)",
};

TEST_F(corrupt, record_len_below_8_is_einval)
{
	__u32 lens[] = { 0, 4, 7 };
	unsigned int i;
	int r;

	/* The header is special: a first record that is no header is no image. */
	for (r = R_TREE; r < NR_RECS; r++) {
		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			RESET();
			REC(r, struct ckpt_hdr)->len = lens[i];
			EXPECT_REFUSED(&self->img, EINVAL, rec_names[r]);
			if (FAILED_AT("record %d, len %u", r, lens[i]))
				break;
		}
		if (_metadata->exit_code != KSFT_PASS)
			break;
	}
}

TEST_F(corrupt, record_len_below_type_minimum_is_einval)
{
	struct {
		int rec;
		__u32 len;
	} cases[] = {
		{ R_TREE, 8 },
		{ R_TREE, sizeof(struct ckpt_hdr_tree) - 1 },
		{ R_CRED1, 8 },
		{ R_CRED1, sizeof(struct ckpt_hdr_obj) },
		{ R_CRED1, sizeof(struct ckpt_hdr_cred) - 1 },
		{ R_CRED2, sizeof(struct ckpt_hdr_cred) - 8 },
		{ R_TASK_CHILD, 8 },
		{ R_TASK_CHILD, sizeof(struct ckpt_hdr_task) - 1 },
		{ R_TASK_THREAD, sizeof(struct ckpt_hdr_task) - 8 },
		{ R_TAIL, 8 },
		{ R_TAIL, sizeof(struct ckpt_hdr_tail) - 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		RESET();
		REC(cases[i].rec, struct ckpt_hdr)->len = cases[i].len;
		EXPECT_REFUSED(&self->img, EINVAL, rec_names[cases[i].rec]);
		if (FAILED_AT("record %d, len %u", cases[i].rec, cases[i].len))
			break;
	}
}

TEST_F(corrupt, record_len_above_type_maximum_is_e2big)
{
	struct {
		int rec;
		__u32 len;
	} cases[] = {
		{ R_TREE, sizeof(struct ckpt_hdr_tree) +
			  CKPT_TREE_MAX_TASKS * sizeof(struct ckpt_pids) + 1 },
		{ R_TREE, sizeof(struct ckpt_hdr_tree) +
			  (CKPT_TREE_MAX_TASKS + 1) * sizeof(struct ckpt_pids) },
		{ R_CRED1, sizeof(struct ckpt_hdr_cred) +
			   CKPT_CRED_MAX_GROUPS * sizeof(__u32) + 1 },
		{ R_CRED2, CKPT_RECORD_MAX },
		/* A task record longer than its struct. */
		{ R_TASK_CHILD, sizeof(struct ckpt_hdr_task) + 1 },
		{ R_TASK_GC, sizeof(struct ckpt_hdr_task) + 8 },
		{ R_TAIL, sizeof(struct ckpt_hdr_tail) + 8 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		RESET();
		REC(cases[i].rec, struct ckpt_hdr)->len = cases[i].len;
		EXPECT_REFUSED(&self->img, E2BIG, rec_names[cases[i].rec]);
		if (FAILED_AT("record %d, len %u", cases[i].rec, cases[i].len))
			break;
	}
}

TEST_F(corrupt, huge_record_len_is_e2big)
{
	int r;

	for (r = 0; r < NR_RECS; r++) {
		RESET();
		REC(r, struct ckpt_hdr)->len = 0xffffffff;
		EXPECT_REFUSED(&self->img, E2BIG, rec_names[r]);
		if (FAILED_AT("record %d", r))
			break;
	}
}

TEST_F(corrupt, nonzero_record_padding_is_einval)
{
	int r, tested = 0;
	size_t b;

	for (r = 0; r < NR_RECS; r++) {
		size_t off = self->recs[r].off, len = self->recs[r].len;

		for (b = off + len; b < off + CKPT_ALIGN_UP(len); b++) {
			RESET();
			self->img.buf[b] = 0x01;
			EXPECT_REFUSED(&self->img, EINVAL, "padding");
			if (FAILED_AT("record %d, byte at offset %zu", r, b))
				break;
			tested++;
		}
		if (_metadata->exit_code != KSFT_PASS)
			break;
	}
	if (!tested)
		SKIP(return, "no record of this image has padding (even number of groups)");
}

/* ------------------------------------------------------------------ */
/* Tree                                                                */

TEST_F(corrupt, tree_without_tasks_is_einval)
{
	TREE->nr_tasks = 0;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
}

TEST_F(corrupt, tree_count_not_matching_len_is_einval)
{
	static const struct ckpt_pids extra = { .pid = 1, .tgid = 1 };

	TREE->nr_tasks = 2;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
	RESET();
	TREE->nr_tasks = 4;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");

	/* One entry more than nr_tasks says. */
	RESET();
	ASSERT_EQ(0, image_insert(&self->img, self->recs[R_TREE].off + TREE->h.len,
				  &extra, sizeof(extra)));
	TREE->h.len += sizeof(extra);
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
}

TEST_F(corrupt, tree_count_out_of_range_is_einval)
{
	__u32 counts[] = { CKPT_TREE_MAX_TASKS + 1, 0x80000000, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		RESET();
		TREE->nr_tasks = counts[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
		if (FAILED_AT("nr_tasks %u", counts[i]))
			break;
	}
}

TEST_F(corrupt, tree_reserved_fields_are_einval)
{
	int i;

	TREE->_pad = 1;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
	/* ckpt_pids.flags, _pad before version 1.25: an unknown flag */
	for (i = 0; i < 3; i++) {
		RESET();
		PIDS[i].flags = 0x100;
		EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
		if (FAILED_AT("entry %d", i))
			break;
	}
}

/*
 * The CKPT_PIDS_* flags of a process its parent created sharing its mm:
 * not of a thread nor of the root, whose parent is not saved, not the
 * handlers without the mm, and not of the grandchild, which forked: its
 * mm is its own, not its parent's, and its records define it.
 */
TEST_F(corrupt, tree_sharing_flags_out_of_place_are_einval)
{
	PIDS[P_THREAD].flags = CKPT_PIDS_SHARE_VM;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");

	RESET();
	PIDS[P_CHILD].flags = CKPT_PIDS_VFORK;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");

	RESET();
	PIDS[P_GC].flags = CKPT_PIDS_SHARE_SIGHAND;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");

	RESET();
	PIDS[P_GC].flags = CKPT_PIDS_SHARE_VM;
	EXPECT_REFUSED(&self->img, EINVAL, "(mm)");
}

TEST_F(corrupt, tree_pid_out_of_range_is_einval)
{
	__s32 bad[] = { 0, -1, INT_MIN, INT_MAX };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		RESET();
		PIDS[P_GC].pid = bad[i];
		PIDS[P_GC].tgid = bad[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
		if (FAILED_AT("pid %d", bad[i]))
			break;

		if (!bad[i])
			continue;	/* 0 is "none" for pgid and sid */
		RESET();
		PIDS[P_GC].pgid = bad[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
		if (FAILED_AT("pgid %d", bad[i]))
			break;

		RESET();
		PIDS[P_CHILD].sid = bad[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
		if (FAILED_AT("sid %d", bad[i]))
			break;
	}
}

TEST_F(corrupt, root_with_parent_is_einval)
{
	PIDS[P_CHILD].ppid = 1;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
}

TEST_F(corrupt, duplicate_pid_is_einval)
{
	/* The grandchild takes the child's pid. */
	PIDS[P_GC].pid = self->child;
	PIDS[P_GC].tgid = self->child;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");

	/* ... or the thread's. */
	RESET();
	PIDS[P_GC].pid = self->thread;
	PIDS[P_GC].tgid = self->thread;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
}

TEST_F(corrupt, thread_before_its_leader_is_einval)
{
	struct ckpt_pids tmp;

	/* The thread claims the grandchild, listed after it, as leader. */
	PIDS[P_THREAD].tgid = self->gc;
	PIDS[P_THREAD].ppid = self->child;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");

	/* The thread listed first, before the child that leads it. */
	RESET();
	tmp = PIDS[P_CHILD];
	PIDS[P_CHILD] = PIDS[P_THREAD];
	PIDS[P_THREAD] = tmp;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");

	/* A thread whose "leader" is another thread. */
	RESET();
	PIDS[P_GC].tgid = self->thread;
	PIDS[P_GC].ppid = 0;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
}

TEST_F(corrupt, thread_with_other_parent_than_leader_is_einval)
{
	PIDS[P_THREAD].ppid = self->child;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
}

TEST_F(corrupt, process_before_its_parent_is_einval)
{
	/* Its own parent: not seen before it. */
	PIDS[P_GC].ppid = self->gc;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");

	/* A parent that is not in the image. */
	RESET();
	PIDS[P_GC].ppid = INT_MAX;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");

	/* A parent that is a thread, not a process. */
	RESET();
	PIDS[P_GC].ppid = self->thread;
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
}

TEST_F(corrupt, tree_task_without_record_is_einval)
{
	struct ckpt_pids extra = { 0 };

	/* A fourth process, a child of the child, with no task record. */
	extra.pid = self->gc + 1 == self->thread ? self->gc + 2 : self->gc + 1;
	if (extra.pid == self->child)
		extra.pid = self->gc + 3;
	extra.tgid = extra.pid;
	extra.ppid = self->child;
	extra.pgid = PIDS[P_GC].pgid;
	extra.sid = PIDS[P_GC].sid;
	ASSERT_EQ(0, image_insert(&self->img, self->recs[R_TREE].off + TREE->h.len,
				  &extra, sizeof(extra)));
	TREE->h.len += sizeof(extra);
	TREE->nr_tasks++;
	ASSERT_EQ(0, image_fix_tail(&self->img));
	/* After the last task record comes the tail, not a task. */
	EXPECT_REFUSED(&self->img, EINVAL, "(tail)");
}

TEST_F(corrupt, tree_order_not_record_order_is_einval)
{
	struct ckpt_pids tmp;

	/* child, grandchild, thread: a valid tree, but not the records' order. */
	tmp = PIDS[P_THREAD];
	PIDS[P_THREAD] = PIDS[P_GC];
	PIDS[P_GC] = tmp;
	EXPECT_REFUSED(&self->img, EINVAL, "(task)");
}

/* ------------------------------------------------------------------ */
/* Tasks                                                               */

TEST_F(corrupt, task_pid_differs_from_tree_is_einval)
{
	TASK(R_TASK_CHILD)->pid = self->gc;
	EXPECT_REFUSED(&self->img, EINVAL, "(task)");

	RESET();
	TASK(R_TASK_GC)->pid = self->gc + 1;
	EXPECT_REFUSED(&self->img, EINVAL, "(task)");
}

TEST_F(corrupt, task_unknown_flags_are_einval)
{
	__u32 flags[] = { 0x4, 0x100, 0x80000000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		RESET();
		TASK(R_TASK_CHILD)->flags |= flags[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(task)");
		if (FAILED_AT("flags %#x", flags[i]))
			break;
	}
}

TEST_F(corrupt, task_leader_flag_disagrees_with_tree_is_einval)
{
	TASK(R_TASK_CHILD)->flags &= ~CKPT_TASK_THREAD_LEADER;
	EXPECT_REFUSED(&self->img, EINVAL, "(task)");

	RESET();
	TASK(R_TASK_THREAD)->flags |= CKPT_TASK_THREAD_LEADER;
	EXPECT_REFUSED(&self->img, EINVAL, "(task)");
}

TEST_F(corrupt, task_bad_exit_signal_is_einval)
{
	__s32 leader[] = { -1, 65, INT_MAX, INT_MIN };
	__s32 thread[] = { 0, SIGCHLD, -2 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(leader); i++) {
		RESET();
		TASK(R_TASK_GC)->exit_signal = leader[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(task)");
		if (FAILED_AT("leader exit_signal %d", leader[i]))
			break;
	}
	/* A thread has none: -1. */
	for (i = 0; i < ARRAY_SIZE(thread); i++) {
		RESET();
		TASK(R_TASK_THREAD)->exit_signal = thread[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(task)");
		if (FAILED_AT("thread exit_signal %d", thread[i]))
			break;
	}
}

TEST_F(corrupt, task_cred_ref_undefined_is_ebadr)
{
	TASK(R_TASK_CHILD)->cred_ref = 99;
	EXPECT_REFUSED(&self->img, EBADR, "cred_ref");

	RESET();
	TASK(R_TASK_CHILD)->real_cred_ref = 99;
	EXPECT_REFUSED(&self->img, EBADR, "real_cred_ref");

	RESET();
	TASK(R_TASK_GC)->cred_ref = 0xffffffff;
	EXPECT_REFUSED(&self->img, EBADR, "cred_ref");
}

TEST_F(corrupt, task_cred_ref_zero_is_ebadr)
{
	/* Objrefs start at 1. */
	TASK(R_TASK_CHILD)->cred_ref = 0;
	EXPECT_REFUSED(&self->img, EBADR, "cred_ref");

	RESET();
	TASK(R_TASK_THREAD)->real_cred_ref = 0;
	EXPECT_REFUSED(&self->img, EBADR, "real_cred_ref");
}

TEST_F(corrupt, task_cred_ref_defined_later_is_ebadr)
{
	/* The grandchild's cred is defined after the thread's record. */
	ASSERT_LT(CRED(R_CRED1)->h.objref, CRED(R_CRED2)->h.objref);
	TASK(R_TASK_THREAD)->cred_ref = CRED(R_CRED2)->h.objref;
	EXPECT_REFUSED(&self->img, EBADR, "cred_ref");
}

TEST_F(corrupt, task_cred_ref_defined_earlier_is_accepted)
{
	/* Any object defined before may be named, even if another is unused. */
	TASK(R_TASK_GC)->cred_ref = CRED(R_CRED1)->h.objref;
	TASK(R_TASK_GC)->real_cred_ref = CRED(R_CRED1)->h.objref;
	EXPECT_ACCEPTED(&self->img);
}

TEST_F(corrupt, task_comm_not_nul_terminated_is_einval)
{
	memset(TASK(R_TASK_THREAD)->comm, 'x', CKPT_COMM_LEN);
	EXPECT_REFUSED(&self->img, EINVAL, "comm");
}

/* ------------------------------------------------------------------ */
/* Credentials                                                         */

TEST_F(corrupt, cred_objref_out_of_sequence_is_einval)
{
	/* Objrefs as offsets from the right one; 0 and huge ones too. */
	struct {
		int rec;
		__s64 delta;
	} cases[] = {
		{ R_CRED1, -1 }, { R_CRED1, 1 }, { R_CRED1, 99 },
		{ R_CRED2, -1 }, { R_CRED2, 1 }, { R_CRED2, 0xfffffff0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		__u32 right;

		RESET();
		right = CRED(cases[i].rec)->h.objref;
		CRED(cases[i].rec)->h.objref = right + cases[i].delta;
		EXPECT_REFUSED(&self->img, EINVAL, "(cred)");
		if (FAILED_AT("record %d, objref %u", cases[i].rec,
			      (__u32)(right + cases[i].delta)))
			break;
	}
}

TEST_F(corrupt, cred_reserved_field_is_einval)
{
	CRED(R_CRED1)->h._pad = 1;
	EXPECT_REFUSED(&self->img, EINVAL, "(cred)");
}

TEST_F(corrupt, cred_too_many_groups_is_e2big)
{
	CRED(R_CRED1)->ngroups = CKPT_CRED_MAX_GROUPS + 1;
	EXPECT_REFUSED(&self->img, E2BIG, "(cred)");

	RESET();
	CRED(R_CRED2)->ngroups = 0xffffffff;
	EXPECT_REFUSED(&self->img, E2BIG, "(cred)");
}

TEST_F(corrupt, cred_groups_not_matching_len_is_einval)
{
	CRED(R_CRED1)->ngroups++;
	EXPECT_REFUSED(&self->img, EINVAL, "(cred)");

	if (!CRED(R_CRED2)->ngroups)
		return;
	RESET();
	CRED(R_CRED2)->ngroups--;
	EXPECT_REFUSED(&self->img, EINVAL, "(cred)");
}

TEST_F(corrupt, cred_unknown_securebits_are_einval)
{
	CRED(R_CRED1)->securebits |= 1U << 31;
	EXPECT_REFUSED(&self->img, EINVAL, "(cred)");
}

TEST_F(corrupt, cred_unknown_capabilities_are_einval)
{
	size_t fields[] = {
		offsetof(struct ckpt_hdr_cred, cap_inheritable),
		offsetof(struct ckpt_hdr_cred, cap_permitted),
		offsetof(struct ckpt_hdr_cred, cap_effective),
		offsetof(struct ckpt_hdr_cred, cap_bset),
		offsetof(struct ckpt_hdr_cred, cap_ambient),
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		__u64 *cap;

		RESET();
		cap = (__u64 *)((char *)CRED(R_CRED2) + fields[i]);
		*cap |= 1ULL << 63;
		EXPECT_REFUSED(&self->img, EINVAL, "(cred)");
		if (FAILED_AT("capability set %u", i))
			break;
	}
}

TEST_F(corrupt, cred_unmapped_id_is_einval)
{
	size_t fields[] = {
		offsetof(struct ckpt_hdr_cred, uid),
		offsetof(struct ckpt_hdr_cred, euid),
		offsetof(struct ckpt_hdr_cred, suid),
		offsetof(struct ckpt_hdr_cred, fsuid),
		offsetof(struct ckpt_hdr_cred, gid),
		offsetof(struct ckpt_hdr_cred, egid),
		offsetof(struct ckpt_hdr_cred, sgid),
		offsetof(struct ckpt_hdr_cred, fsgid),
	};
	unsigned int i;

	/* (uid_t)-1 maps to nothing in any user namespace. */
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		RESET();
		*(__u32 *)((char *)CRED(R_CRED1) + fields[i]) = 0xffffffff;
		EXPECT_REFUSED(&self->img, EINVAL, "(cred)");
		if (FAILED_AT("id field %u", i))
			break;
	}
	if (!CRED(R_CRED1)->ngroups)
		return;
	RESET();
	((__u32 *)(CRED(R_CRED1) + 1))[0] = 0xffffffff;
	EXPECT_REFUSED(&self->img, EINVAL, "(cred)");
}

/* ------------------------------------------------------------------ */
/* Records out of place                                                */

TEST_F(corrupt, unknown_record_before_task_is_einval)
{
	struct ckpt_hdr unknown = { .type = 9999, .len = sizeof(unknown) };

	ASSERT_EQ(0, image_insert(&self->img, self->recs[R_TASK_CHILD].off,
				  &unknown, sizeof(unknown)));
	ASSERT_EQ(0, image_fix_tail(&self->img));
	EXPECT_REFUSED(&self->img, EINVAL, "(unknown)");

	/* Known records that define no object are as much out of place. */
	RESET();
	ASSERT_EQ(0, image_dup_rec(&self->img, self->recs[R_TREE].off,
				   self->recs[R_TASK_THREAD].off));
	ASSERT_EQ(0, image_fix_tail(&self->img));
	EXPECT_REFUSED(&self->img, EINVAL, "(tree)");
}

TEST_F(corrupt, second_header_is_einval)
{
	ASSERT_EQ(0, image_dup_rec(&self->img, 0, self->recs[R_TREE].off));
	ASSERT_EQ(0, image_fix_tail(&self->img));
	EXPECT_REFUSED(&self->img, EINVAL, "(header)");
}

TEST_F(corrupt, missing_task_record_is_einval)
{
	/* Its architecture records then come where a task is expected. */
	image_delete(&self->img, self->recs[R_TASK_GC].off,
		     image_rec_size(&self->img, self->recs[R_TASK_GC].off));
	ASSERT_EQ(0, image_fix_tail(&self->img));
	EXPECT_REFUSED(&self->img, EINVAL, "(x86_regs)");
}

TEST_F(corrupt, extra_record_before_tail_is_einval)
{
	/*
	 * (Not the tail: a copy of it is a valid tail, and what follows
	 * the tail is not read.)
	 */
	int src[] = { R_HEADER, R_TREE, R_CRED2, R_TASK_GC };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(src); i++) {
		__u32 last = CRED(R_CRED2)->h.objref;

		RESET();
		ASSERT_EQ(0, image_dup_rec(&self->img, self->recs[src[i]].off,
					   self->recs[R_TAIL].off));
		/* An object in sequence (the last one is the cred), still no tail. */
		if (src[i] == R_CRED2)
			REC(R_TAIL, struct ckpt_hdr_cred)->h.objref = last + 1;
		ASSERT_EQ(0, image_fix_tail(&self->img));
		EXPECT_REFUSED(&self->img, EINVAL, rec_names[src[i]]);
		if (FAILED_AT("a copy of record %d", src[i]))
			break;
	}
}

/* ------------------------------------------------------------------ */
/* Tail                                                                */

TEST_F(corrupt, bad_tail_magic_is_einval)
{
	int i;

	for (i = 0; i < CKPT_MAGIC_LEN; i++) {
		RESET();
		TAIL->magic[i] ^= 0x01;
		EXPECT_REFUSED(&self->img, EINVAL, "(tail)");
		if (FAILED_AT("tail magic byte %d", i))
			break;
	}
	/* The header's magic is not the tail's. */
	RESET();
	memcpy(TAIL->magic, CKPT_MAGIC, CKPT_MAGIC_LEN);
	EXPECT_REFUSED(&self->img, EINVAL, "(tail)");
}

TEST_F(corrupt, tail_record_count_wrong_is_einval)
{
	__u64 records = TAIL->records;
	__u64 bad[] = { 0, records - 1, records + 1, ~0ULL };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		RESET();
		TAIL->records = bad[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(tail)");
		if (FAILED_AT("records %llu", (unsigned long long)bad[i]))
			break;
	}
}

TEST_F(corrupt, tail_byte_count_wrong_is_einval)
{
	__u64 bytes = TAIL->bytes;
	__u64 bad[] = { 0, bytes - 8, bytes - 1, bytes + 1, bytes + 8, ~0ULL };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		RESET();
		TAIL->bytes = bad[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(tail)");
		if (FAILED_AT("bytes %llu", (unsigned long long)bad[i]))
			break;
	}
}

#define ERROR_MSG "simulated failure: disk full"

/* Replace record @r and everything after it by an error record. */
static void end_with_error(struct ckpt_image *img, const struct ckpt_rec *recs,
			   int r)
{
	unsigned char rec[sizeof(struct ckpt_hdr_error) + sizeof(ERROR_MSG) + 8];
	size_t len = ckpt_make_error(rec, ENOSPC, ERROR_MSG);

	image_truncate(img, recs[r].off);
	image_insert(img, img->len, rec, len);
}

TEST_F(corrupt, error_record_instead_of_tail_is_ebadmsg)
{
	end_with_error(&self->img, self->recs, R_TAIL);
	EXPECT_REFUSED(&self->img, EBADMSG, ERROR_MSG);
}

TEST_F(corrupt, error_record_instead_of_task_is_ebadmsg)
{
	int at[] = { R_CRED1, R_TASK_CHILD, R_TASK_THREAD, R_CRED2, R_TASK_GC };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(at); i++) {
		RESET();
		end_with_error(&self->img, self->recs, at[i]);
		EXPECT_REFUSED(&self->img, EBADMSG, ERROR_MSG);
		if (FAILED_AT("in place of record %d", at[i]))
			break;
	}
}

TEST_F(corrupt, error_record_instead_of_tree_is_ebadmsg)
{
	end_with_error(&self->img, self->recs, R_TREE);
	EXPECT_REFUSED(&self->img, EBADMSG, ERROR_MSG);
}

TEST_F(corrupt, error_record_shorter_than_its_struct_is_einval)
{
	__u32 lens[] = { 8, sizeof(struct ckpt_hdr_error) - 1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		RESET();
		end_with_error(&self->img, self->recs, R_TAIL);
		REC(R_TAIL, struct ckpt_hdr)->len = lens[i];
		EXPECT_REFUSED(&self->img, EINVAL, "(error)");
		if (FAILED_AT("len %u", lens[i]))
			break;
	}
}

TEST_F(corrupt, error_record_longer_than_max_is_e2big)
{
	__u32 lens[] = { CKPT_RECORD_MAX + 8, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		RESET();
		end_with_error(&self->img, self->recs, R_TAIL);
		REC(R_TAIL, struct ckpt_hdr)->len = lens[i];
		EXPECT_REFUSED(&self->img, E2BIG, "(error)");
		if (FAILED_AT("len %u", lens[i]))
			break;
	}
}

TEST_F(corrupt, truncated_error_record_is_enodata)
{
	size_t len;

	end_with_error(&self->img, self->recs, R_TAIL);
	len = self->img.len;
	image_truncate(&self->img, len - 8);
	EXPECT_REFUSED(&self->img, ENODATA, NULL);
}

/* ------------------------------------------------------------------ */
/* Not images at all                                                   */

static __u64 xorshift(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

TEST_F(corrupt, random_garbage_is_enoexec)
{
	size_t sizes[] = { 8, 9, 15, 64, 100, 4096, 65536, 65536 + 13, 200000 };
	__u64 seed = 0x636b7074696d67ULL;
	unsigned int i;
	size_t j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct ckpt_hdr *h;

		ASSERT_EQ(0, image_reserve(&self->img, sizes[i]));
		for (j = 0; j < sizes[i]; j++)
			self->img.buf[j] = xorshift(&seed);
		self->img.len = sizes[i];
		/* Not by chance a header or an error record. */
		h = (struct ckpt_hdr *)self->img.buf;
		if (h->type == CKPT_HDR_HEADER || h->type == CKPT_HDR_ERROR)
			h->type |= 0x80000000;
		EXPECT_REFUSED(&self->img, ENOEXEC, NULL);
		if (FAILED_AT("%zu bytes of garbage", sizes[i]))
			break;
	}
}

TEST_F(corrupt, short_garbage_is_enodata)
{
	size_t len;

	/* Too short for even a record header. */
	for (len = 1; len < sizeof(struct ckpt_hdr); len++) {
		RESET();
		memset(self->img.buf, 0xa5, len);
		self->img.len = len;
		EXPECT_REFUSED(&self->img, ENODATA, NULL);
		if (FAILED_AT("%zu bytes", len))
			break;
	}
}

TEST_F(corrupt, zeroes_are_enoexec)
{
	ASSERT_EQ(0, image_reserve(&self->img, 4096));
	memset(self->img.buf, 0, 4096);
	self->img.len = 4096;
	EXPECT_REFUSED(&self->img, ENOEXEC, NULL);
}

TEST_F(corrupt, text_is_enoexec)
{
	static const char text[] = "#!/bin/sh\necho this is not a checkpoint image\n";

	ASSERT_EQ(0, image_set(&self->img, text, sizeof(text) - 1));
	EXPECT_REFUSED(&self->img, ENOEXEC, NULL);
}

TEST_F(corrupt, executable_is_enoexec)
{
	char log[CKPT_LOG_SIZE];
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		SKIP(return, "/proc is not mounted");
	EXPECT_EQ(-ENOEXEC, validate_fd(fd, log, sizeof(log)))
		TH_LOG("log: %s", log);
	EXPECT_NE(0, strlen(log));
	close(fd);
}

/* ------------------------------------------------------------------ */
/* Many refusals: any memory a refusal forgets adds up for kmemleak    */

static const int damage_errno[] = {
	EPROTONOSUPPORT, EINVAL, EINVAL, EBADR, EINVAL, EBADMSG, ENODATA, 0,
};

TEST_F_TIMEOUT(corrupt, many_refusals_in_a_row, 600)
{
	char log[CKPT_LOG_SIZE];
	int i, kind;
	long ret;

	for (i = 0; i < 500; i++) {
		kind = i % ARRAY_SIZE(damage_errno);
		RESET();
		switch (kind) {
		case 0:		/* refused in the header */
			HEADER->major++;
			break;
		case 1:		/* refused in the tree, after pids were copied */
			PIDS[P_GC].pid = self->child;
			PIDS[P_GC].tgid = self->child;
			break;
		case 2:		/* refused in the second cred, one object restored */
			CRED(R_CRED2)->securebits |= 1U << 31;
			break;
		case 3:		/* refused in the last task, two objects restored */
			TASK(R_TASK_GC)->cred_ref = 99;
			break;
		case 4:		/* refused at the tail */
			TAIL->records++;
			break;
		case 5:		/* an error record */
			end_with_error(&self->img, self->recs, R_TASK_GC);
			break;
		case 6:		/* truncated inside the second cred's groups */
			image_truncate(&self->img, self->recs[R_CRED2].off + 20);
			break;
		case 7:		/* accepted */
			break;
		}
		ret = validate_image(&self->img, log, sizeof(log));
		EXPECT_EQ(-damage_errno[kind], ret) {
			TH_LOG("iteration %d, damage %d: %s", i, kind, log);
		}
		if (_metadata->exit_code != KSFT_PASS)
			break;
	}
}

TEST_HARNESS_MAIN
