// SPDX-License-Identifier: GPL-2.0
/*
 * Restart: read an image in the order checkpoint.c writes it.
 *
 * The image is untrusted.  Every record is framed and bounded by
 * image.c before it is looked at; every field is checked here or by the
 * subsystem that owns it before it is used.  A refusal names the record
 * and field on the log fd and returns a specific errno:
 *
 *   ENOEXEC		not an image, or one for another architecture
 *   EPROTONOSUPPORT	an image version or feature this kernel lacks
 *   ENODATA		the image ends early
 *   EINVAL		a malformed record or field
 *   E2BIG		a record longer than its kind allows
 *   EBADR		a reference to an object not defined before
 *   EBADMSG		the image records a failed checkpoint
 */

#include <linux/checkpoint.h>
#include <linux/elf.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

static int restore_check_header(struct ckpt_ctx *ctx, struct ckpt_hdr_header *h)
{
	if (h->h.len < sizeof(h->h) + CKPT_MAGIC_LEN ||
	    memcmp(h->magic, CKPT_MAGIC, CKPT_MAGIC_LEN))
		return ckpt_err(ctx, -ENOEXEC, "not a checkpoint image (bad magic)");
	if (h->h.len < offsetofend(struct ckpt_hdr_header, minor))
		return ckpt_err(ctx, -EINVAL, "length %u is too short", h->h.len);
	if (h->major != CKPT_VERSION_MAJOR || h->minor > CKPT_VERSION_MINOR)
		return ckpt_err(ctx, -EPROTONOSUPPORT,
				"image version %u.%u, this kernel reads %u.0 to %u.%u",
				h->major, h->minor, CKPT_VERSION_MAJOR,
				CKPT_VERSION_MAJOR, CKPT_VERSION_MINOR);
	if (h->h.len != sizeof(*h))
		return ckpt_err(ctx, -EINVAL, "length %u, expected %zu",
				h->h.len, sizeof(*h));
	if (h->arch != ELF_ARCH)
		return ckpt_err(ctx, -ENOEXEC, "image is for architecture %u, not %u",
				h->arch, ELF_ARCH);
	if (h->page_size != PAGE_SIZE)
		return ckpt_err(ctx, -ENOEXEC, "image page size %u, not %lu",
				h->page_size, PAGE_SIZE);
	if (h->features_required & ~CKPT_FEAT_REQUIRED_ALL)
		return ckpt_err(ctx, -EPROTONOSUPPORT,
				"image requires unknown features %#llx",
				h->features_required & ~CKPT_FEAT_REQUIRED_ALL);
	if (h->flags & ~CHECKPOINT_FLAGS_ALL)
		return ckpt_err(ctx, -EINVAL, "unknown checkpoint flags %#x",
				h->flags);
	return ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad") ?:
	       ckpt_check_zero(ctx, h->_pad2, sizeof(h->_pad2), "_pad2") ?:
	       ckpt_check_string(ctx, h->release, sizeof(h->release), "release");
}

static int restore_read_header(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_header *h;
	int err;

	h = ckpt_read_record(ctx, CKPT_HDR_HEADER, sizeof(struct ckpt_hdr),
			     CKPT_RECORD_MAX);
	if (IS_ERR(h)) {
		/* Whatever the first bytes are, they are not an image. */
		if (PTR_ERR(h) == -EINVAL && ctx->nr_records == 0)
			return ckpt_err(ctx, -ENOEXEC, "not a checkpoint image");
		return PTR_ERR(h);
	}
	err = restore_check_header(ctx, h);
	kvfree(h);
	return err;
}

static int restore_read_tail(struct ckpt_ctx *ctx)
{
	u64 records = ctx->nr_records, bytes = ctx->pos;
	struct ckpt_hdr_tail *h;
	int err = 0;

	h = ckpt_read_record(ctx, CKPT_HDR_TAIL, sizeof(*h), sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (memcmp(h->magic, CKPT_TAIL_MAGIC, CKPT_MAGIC_LEN))
		err = ckpt_err(ctx, -EINVAL, "bad tail magic");
	else if (h->records != records)
		err = ckpt_err(ctx, -EINVAL, "tail counts %llu records, read %llu",
			       h->records, records);
	else if (h->bytes != bytes)
		err = ckpt_err(ctx, -EINVAL, "tail counts %llu bytes, read %llu",
			       h->bytes, bytes);
	kvfree(h);
	return err;
}

int do_restart(struct ckpt_ctx *ctx)
{
	unsigned int i;
	int err;

	err = restore_read_header(ctx);
	if (err)
		return err;
	err = ckpt_read_tree(ctx);
	for (i = 0; !err && i < ctx->nr_tasks; i++)
		err = ckpt_read_task(ctx, i);
	if (!err)
		err = restore_read_tail(ctx);
	if (err)
		return err;

	ctx->rec_type = 0;
	if (!(ctx->flags & RESTART_VALIDATE))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"the image is valid, but restoring tasks is not supported yet");
	return 0;
}
