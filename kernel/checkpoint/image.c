// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: reading and writing the record stream.
 *
 * Output is staged in the context buffer and written out in large
 * blocks.  Input is read ahead into the same buffer, or where an image
 * in tmpfs already is in memory, read from its page cache in place.
 * The image file may be a pipe or a socket: it is only ever read or
 * written sequentially, and the file position is updated as by read(2)
 * and write(2).
 *
 * Every record read is checked here for its framing: the expected
 * type, a length within the bounds the caller gives, and zero padding
 * up to the next 8-byte boundary.  The caller then checks the fields.
 */

#include <linux/checkpoint.h>
#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/fsnotify.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/security.h>
#include <linux/shmem_fs.h>
#include <linux/uio.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

static const char * const ckpt_type_names[] = {
	[CKPT_HDR_HEADER] = "header",
	[CKPT_HDR_TAIL] = "tail",
	[CKPT_HDR_ERROR] = "error",
	[CKPT_HDR_TREE] = "tree",
	[CKPT_HDR_TASK] = "task",
	[CKPT_HDR_CRED] = "cred",
	[CKPT_HDR_TASK_ATTRS] = "task_attrs",
	[CKPT_HDR_RESTART_BLOCK] = "restart_block",
	[CKPT_HDR_X86_REGS] = "x86_regs",
	[CKPT_HDR_X86_XSTATE] = "x86_xstate",
	[CKPT_HDR_MM] = "mm",
	[CKPT_HDR_VMA] = "vma",
	[CKPT_HDR_PAGES] = "pages",
	[CKPT_HDR_SHMEM] = "shmem",
	[CKPT_HDR_MEMFD] = "memfd",
	[CKPT_HDR_PAGES_COW] = "pages_cow",
	[CKPT_HDR_SHMEM_HUGETLB] = "shmem_hugetlb",
	[CKPT_HDR_FILE] = "file",
	[CKPT_HDR_FILES] = "files",
	[CKPT_HDR_FS] = "fs",
	[CKPT_HDR_PIPE] = "pipe",
	[CKPT_HDR_FILE_LOCKS] = "file_locks",
	[CKPT_HDR_INOTIFY_WATCH] = "inotify_watch",
	[CKPT_HDR_INOTIFY_EVENT] = "inotify_event",
	[CKPT_HDR_SIGHAND] = "sighand",
	[CKPT_HDR_SIGNAL] = "signal",
	[CKPT_HDR_TASK_SIGNALS] = "task_signals",
	[CKPT_HDR_POSIX_TIMERS] = "posix_timers",
	[CKPT_HDR_IPC_SHM] = "ipc_shm",
	[CKPT_HDR_IPC_MSG] = "ipc_msg",
	[CKPT_HDR_IPC_MSG_TEXT] = "ipc_msg_text",
	[CKPT_HDR_IPC_SEM] = "ipc_sem",
	[CKPT_HDR_IPC_SEM_UNDO] = "ipc_sem_undo",
	[CKPT_HDR_IPC_SEM_ADJ] = "ipc_sem_adj",
	[CKPT_HDR_IPC_MQ_NS] = "ipc_mq_ns",
	[CKPT_HDR_IPC_MQ] = "ipc_mq",
	[CKPT_HDR_IPC_MQ_MSG] = "ipc_mq_msg",
	[CKPT_HDR_NAMESPACES] = "namespaces",
	[CKPT_HDR_NET] = "net",
	[CKPT_HDR_PIDNS] = "pidns",
	[CKPT_HDR_UNIX_PAIR] = "unix_pair",
	[CKPT_HDR_TCP] = "tcp",
	[CKPT_HDR_TCP_ACCEPT] = "tcp_accept",
	[CKPT_HDR_PTY] = "pty",
};

const char *ckpt_type_name(u32 type)
{
	if (type < ARRAY_SIZE(ckpt_type_names) && ckpt_type_names[type])
		return ckpt_type_names[type];
	return "unknown";
}

/* Write the whole of @len bytes, retrying short writes. */
static int ckpt_kernel_write(struct ckpt_ctx *ctx, const void *data,
			     size_t len)
{
	struct file *file = ctx->file;

	while (len) {
		loff_t pos = file->f_pos;
		ssize_t n;

		n = kernel_write(file, data, len, &pos);
		if (n < 0)
			return n;
		if (n == 0)
			return -EIO;
		file->f_pos = pos;
		data += n;
		len -= n;
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return 0;
}

int ckpt_flush(struct ckpt_ctx *ctx)
{
	int err;

	if (!ctx->buf_len)
		return 0;
	err = ckpt_kernel_write(ctx, ctx->buf, ctx->buf_len);
	ctx->buf_len = 0;
	return err;
}

/* Append raw bytes to the image. */
int ckpt_write(struct ckpt_ctx *ctx, const void *data, size_t len)
{
	int err;

	ctx->pos += len;
	if (len > CKPT_BUF_SIZE - ctx->buf_len) {
		err = ckpt_flush(ctx);
		if (err)
			return err;
		if (len >= CKPT_BUF_SIZE)
			return ckpt_kernel_write(ctx, data, len);
	}
	memcpy(ctx->buf + ctx->buf_len, data, len);
	ctx->buf_len += len;
	return 0;
}

/* Allocate a zeroed record of @len bytes with its header filled in. */
void *ckpt_hdr_alloc(size_t len, enum ckpt_type type)
{
	struct ckpt_hdr *h;

	if (WARN_ON_ONCE(len < sizeof(*h) || len > U32_MAX))
		return NULL;
	h = kvzalloc(len, GFP_KERNEL);
	if (!h)
		return NULL;
	h->type = type;
	h->len = len;
	return h;
}

/**
 * ckpt_hdr_alloc_data - allocate a record with room for data after it
 * @len:	size of the fixed part, zeroed, with its header filled in
 * @data:	bytes of room after it, not zeroed
 * @type:	record type
 *
 * For a record whose data is copied in as it is found, up to a bound far
 * larger than what is usually there: the caller sets the record's
 * length to what it filled in before the record is written, so that
 * what it did not fill in is never written.
 *
 * Return: the record, or NULL.
 */
void *ckpt_hdr_alloc_data(size_t len, size_t data, enum ckpt_type type)
{
	struct ckpt_hdr *h;

	if (WARN_ON_ONCE(len < sizeof(*h) || data > U32_MAX - len))
		return NULL;
	h = kvmalloc(len + data, GFP_KERNEL);
	if (!h)
		return NULL;
	memset(h, 0, len);
	h->type = type;
	h->len = len;
	return h;
}

/* Write a complete record and its padding. */
int ckpt_write_record(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	static const u8 zeroes[CKPT_ALIGN];
	size_t pad = ALIGN(h->len, CKPT_ALIGN) - h->len;
	int err;

	err = ckpt_write(ctx, h, h->len);
	if (!err && pad)
		err = ckpt_write(ctx, zeroes, pad);
	if (!err)
		ctx->nr_records++;
	return err;
}

/* The input is read into the buffer again: let go of the folio read. */
static void ckpt_put_window(struct ckpt_ctx *ctx)
{
	if (ctx->win_folio)
		folio_put(ctx->win_folio);
	ctx->win_folio = NULL;
	ctx->win = ctx->buf;
}

/*
 * The next bytes of an image in tmpfs (or a memfd), the rest of a folio
 * of its page cache, read where they are rather than copied into the
 * buffer first: each byte is then copied once, to where restart puts it,
 * and the pages that records carry are not copied twice.  As read(2)
 * would, it checks that the file may still be read and marks it read.
 *
 * Return: the bytes now at @ctx->win, 0 if they are not there to be read
 * so (a folio not in memory, or the end of the file: kernel_read() will
 * tell), or a negative errno.
 */
static ssize_t ckpt_fill_cached(struct ckpt_ctx *ctx)
{
	struct file *file = ctx->file;
	loff_t pos = file->f_pos, size = i_size_read(file_inode(file));
	struct folio *folio;
	size_t off;
	int err;

	if (!shmem_mapping(file->f_mapping) || pos < 0 || pos >= size)
		return 0;
	folio = filemap_get_folio(file->f_mapping, pos >> PAGE_SHIFT);
	if (IS_ERR(folio))
		return 0;
	if (!folio_test_uptodate(folio) || folio_test_highmem(folio)) {
		folio_put(folio);
		return 0;
	}
	err = security_file_permission(file, MAY_READ);
	if (err) {
		folio_put(folio);
		return err;
	}
	ckpt_put_window(ctx);
	off = pos - folio_pos(folio);
	ctx->win_folio = folio;
	ctx->win = folio_address(folio) + off;
	ctx->buf_len = min_t(loff_t, folio_size(folio) - off, size - pos);
	ctx->buf_pos = 0;
	file->f_pos = pos + ctx->buf_len;
	fsnotify_access(file);
	file_accessed(file);
	return ctx->buf_len;
}

/* Once all of the input is consumed, get more: 0 at the end of the image. */
static ssize_t ckpt_fill(struct ckpt_ctx *ctx)
{
	ssize_t got = ckpt_fill_cached(ctx);
	loff_t pos;

	if (got)
		return got;
	ckpt_put_window(ctx);
	pos = ctx->file->f_pos;
	got = kernel_read(ctx->file, ctx->buf, CKPT_BUF_SIZE, &pos);
	if (got <= 0)
		return got;
	ctx->file->f_pos = pos;
	ctx->buf_len = got;
	ctx->buf_pos = 0;
	return got;
}

/*
 * Copy @len bytes of input to @dst (which may be NULL to skip them).
 * Running out of input is -ENODATA, which the caller reports.
 */
static int ckpt_read(struct ckpt_ctx *ctx, void *dst, size_t len)
{
	while (len) {
		size_t n = min(len, ctx->buf_len - ctx->buf_pos);

		if (!n) {
			ssize_t got = ckpt_fill(ctx);

			if (got < 0)
				return got;
			if (got == 0)
				return -ENODATA;
			if (fatal_signal_pending(current))
				return -EINTR;
			continue;
		}
		if (dst) {
			memcpy(dst, ctx->win + ctx->buf_pos, n);
			dst += n;
		}
		ctx->buf_pos += n;
		ctx->pos += n;
		len -= n;
	}
	return 0;
}

/* Read more of a record: running out of input there is a cut record. */
static int ckpt_read_body(struct ckpt_ctx *ctx, void *dst, size_t len)
{
	int err = ckpt_read(ctx, dst, len);

	if (err == -ENODATA)
		ckpt_err(ctx, err, "image ends at offset %llu, inside the record",
			 ctx->pos);
	return err;
}

/* Fill @h with the next record header and check its length. */
static int ckpt_read_hdr(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	int err;

	ctx->rec_start = ctx->pos;
	ctx->rec_type = 0;
	err = ckpt_read(ctx, h, sizeof(*h));
	if (err == -ENODATA)
		return ckpt_err(ctx, -ENODATA,
				"image ends at offset %llu without a tail record",
				ctx->pos);
	if (err)
		return err;
	ctx->rec_type = h->type;
	if (h->len < sizeof(*h))
		return ckpt_err(ctx, -EINVAL, "length %u is shorter than a record header",
				h->len);
	return 0;
}

/* Read @len bytes of padding after a record and check that they are zero. */
static int ckpt_read_padding(struct ckpt_ctx *ctx, u32 len)
{
	u8 pad[CKPT_ALIGN];
	size_t n = ALIGN(len, CKPT_ALIGN) - len;
	int err;

	err = ckpt_read_body(ctx, pad, n);
	if (err)
		return err;
	if (memchr_inv(pad, 0, n))
		return ckpt_err(ctx, -EINVAL, "padding after the record is not zero");
	return 0;
}

/**
 * ckpt_read_record - read the next record, which must be of @type
 * @ctx:	restart context
 * @type:	expected record type
 * @min_len:	smallest valid length, at least the record's struct
 * @max_len:	largest valid length
 *
 * Return: a kvmalloc'ed copy of the record, to be freed with kvfree(),
 * or an ERR_PTR.  Only the framing is checked.
 */
void *ckpt_read_record(struct ckpt_ctx *ctx, enum ckpt_type type,
		       size_t min_len, size_t max_len)
{
	struct ckpt_hdr h, *rec;
	int err;

	err = ckpt_read_hdr(ctx, &h);
	if (err)
		return ERR_PTR(err);
	if (h.type == CKPT_HDR_ERROR && type != CKPT_HDR_ERROR)
		return ERR_PTR(ckpt_read_error(ctx, &h));
	if (h.type != type)
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "expected a %s record",
					ckpt_type_name(type)));
	if (h.len < min_len)
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "length %u is below the minimum %zu",
					h.len, min_len));
	if (h.len > max_len)
		return ERR_PTR(ckpt_err(ctx, -E2BIG, "length %u is above the maximum %zu",
					h.len, max_len));

	rec = kvmalloc(h.len, GFP_KERNEL);
	if (!rec)
		return ERR_PTR(-ENOMEM);
	*rec = h;
	err = ckpt_read_body(ctx, rec + 1, h.len - sizeof(h));
	if (!err)
		err = ckpt_read_padding(ctx, h.len);
	if (err) {
		kvfree(rec);
		return ERR_PTR(err);
	}
	ctx->nr_records++;
	return rec;
}

/**
 * ckpt_read_record_head - read the fixed part of a record with a payload
 * @ctx:	restart context
 * @type:	expected record type
 * @head_len:	bytes of the fixed part, the record's struct
 * @max_len:	largest valid length of the whole record
 * @payload:	set to the bytes that follow the fixed part
 *
 * For bulk records (memory pages): the caller checks the fixed part,
 * then consumes exactly *@payload bytes with ckpt_read_payload(), which
 * may put them where they belong with one copy, or skip them.
 *
 * Return: a kmalloc'ed copy of the fixed part, to be freed with
 * kvfree(), or an ERR_PTR.
 */
void *ckpt_read_record_head(struct ckpt_ctx *ctx, enum ckpt_type type,
			    size_t head_len, size_t max_len, u32 *payload)
{
	struct ckpt_hdr h, *rec;
	int err;

	err = ckpt_read_hdr(ctx, &h);
	if (err)
		return ERR_PTR(err);
	if (h.type == CKPT_HDR_ERROR)
		return ERR_PTR(ckpt_read_error(ctx, &h));
	if (h.type != type)
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "expected a %s record",
					ckpt_type_name(type)));
	if (h.len < head_len)
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "length %u is below the minimum %zu",
					h.len, head_len));
	if (h.len > max_len)
		return ERR_PTR(ckpt_err(ctx, -E2BIG, "length %u is above the maximum %zu",
					h.len, max_len));

	rec = kvmalloc(head_len, GFP_KERNEL);
	if (!rec)
		return ERR_PTR(-ENOMEM);
	*rec = h;
	err = ckpt_read_body(ctx, rec + 1, head_len - sizeof(h));
	if (err) {
		kvfree(rec);
		return ERR_PTR(err);
	}
	*payload = h.len - head_len;
	return rec;
}

/* The whole payload of the record is read: check its padding, count it. */
static int ckpt_read_end(struct ckpt_ctx *ctx)
{
	int err = ckpt_read_padding(ctx, ctx->pos - ctx->rec_start);

	if (!err)
		ctx->nr_records++;
	return err;
}

/* The pages of a run as a bio_vec array, for the file's iter methods. */
static struct bio_vec *ckpt_page_bvecs(struct page **pages, unsigned int nr)
{
	struct bio_vec *bv = kmalloc_array(nr, sizeof(*bv), GFP_KERNEL);
	unsigned int i;

	for (i = 0; bv && i < nr; i++)
		bvec_set_page(&bv[i], pages[i], PAGE_SIZE, 0);
	return bv;
}

/**
 * ckpt_write_page_run - write whole pages to the image
 * @ctx:	checkpoint context
 * @pages:	the pages, with references held
 * @nr:		how many
 *
 * The buffer is flushed, then the pages go to the image file straight
 * from where they are: the only copy of their contents is the one the
 * file makes.  A file without write_iter gets them through the buffer.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_page_run(struct ckpt_ctx *ctx, struct page **pages,
			unsigned int nr)
{
	struct file *file = ctx->file;
	struct iov_iter iter;
	struct bio_vec *bv;
	unsigned int i;
	int err;

	if (!file->f_op->write_iter) {
		for (i = 0, err = 0; !err && i < nr; i++) {
			void *p = kmap_local_page(pages[i]);

			err = ckpt_write(ctx, p, PAGE_SIZE);
			kunmap_local(p);
		}
		return err;
	}

	err = ckpt_flush(ctx);
	if (err)
		return err;
	bv = ckpt_page_bvecs(pages, nr);
	if (!bv)
		return -ENOMEM;
	iov_iter_bvec(&iter, ITER_SOURCE, bv, nr, (size_t)nr * PAGE_SIZE);
	while (iov_iter_count(&iter)) {
		loff_t pos = file->f_pos;
		ssize_t n = vfs_iter_write(file, &iter, &pos, 0);

		if (n <= 0) {
			err = n ?: -EIO;
			break;
		}
		file->f_pos = pos;
		ctx->pos += n;
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
	}
	kfree(bv);
	return err;
}

/**
 * ckpt_read_page_run - read whole pages of a record's payload
 * @ctx:	restart context
 * @pages:	where they go, with references held
 * @nr:		how many
 * @last:	whether they end the record
 *
 * What is already buffered is copied; the rest is read from the image
 * into the pages themselves, not through the buffer.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_page_run(struct ckpt_ctx *ctx, struct page **pages,
		       unsigned int nr, bool last)
{
	size_t len = (size_t)nr * PAGE_SIZE, done = 0;
	struct file *file = ctx->file;
	struct iov_iter iter;
	struct bio_vec *bv;
	int err = 0;

	while (done < len && ctx->buf_pos < ctx->buf_len) {
		size_t off = offset_in_page(done);
		size_t n = min3(PAGE_SIZE - off, len - done,
				ctx->buf_len - ctx->buf_pos);

		memcpy_to_page(pages[done >> PAGE_SHIFT], off,
			       ctx->win + ctx->buf_pos, n);
		ctx->buf_pos += n;
		ctx->pos += n;
		done += n;
	}
	if (done < len && !file->f_op->read_iter) {
		for (; !err && done < len; done += PAGE_SIZE) {
			void *p = kmap_local_page(pages[done >> PAGE_SHIFT]);

			err = ckpt_read_body(ctx, p, PAGE_SIZE);
			kunmap_local(p);
		}
	} else if (done < len) {
		bv = ckpt_page_bvecs(pages, nr);
		if (!bv)
			return -ENOMEM;
		iov_iter_bvec(&iter, ITER_DEST, bv, nr, len);
		iov_iter_advance(&iter, done);
		while (!err && iov_iter_count(&iter)) {
			loff_t pos = file->f_pos;
			ssize_t n = vfs_iter_read(file, &iter, &pos, 0);

			if (n < 0) {
				err = n;
			} else if (!n) {
				err = ckpt_err(ctx, -ENODATA,
					       "image ends at offset %llu, inside the record",
					       ctx->pos);
			} else {
				file->f_pos = pos;
				ctx->pos += n;
				if (fatal_signal_pending(current))
					err = -EINTR;
			}
		}
		kfree(bv);
	}
	if (err || !last)
		return err;
	return ckpt_read_end(ctx);
}

/**
 * ckpt_read_payload - consume part of the payload of a record
 * @ctx:	restart context
 * @dst:	where to copy it, or NULL to skip it
 * @len:	bytes to consume
 * @last:	the record ends after these bytes: read and check its padding
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_payload(struct ckpt_ctx *ctx, void *dst, size_t len, bool last)
{
	int err = ckpt_read_body(ctx, dst, len);

	if (err || !last)
		return err;
	return ckpt_read_end(ctx);
}

/*
 * Tell the type of the next record without consuming it.  A record
 * header never straddles the end of the read-ahead buffer after this.
 */
int ckpt_peek_type(struct ckpt_ctx *ctx, u32 *type)
{
	size_t avail = ctx->buf_len - ctx->buf_pos;
	struct ckpt_hdr h;

	if (!avail) {
		ssize_t got = ckpt_fill(ctx);

		if (got < 0)
			return got;
		avail = got;
	}
	if (avail < sizeof(h)) {
		memmove(ctx->buf, ctx->win + ctx->buf_pos, avail);
		ckpt_put_window(ctx);
		ctx->buf_len = avail;
		ctx->buf_pos = 0;
		while (ctx->buf_len < sizeof(h)) {
			loff_t pos = ctx->file->f_pos;
			ssize_t got;

			got = kernel_read(ctx->file, ctx->buf + ctx->buf_len,
					  CKPT_BUF_SIZE - ctx->buf_len, &pos);
			if (got < 0)
				return got;
			if (got == 0) {
				ctx->rec_start = ctx->pos;
				ctx->rec_type = 0;
				return ckpt_err(ctx, -ENODATA,
						"image ends at offset %llu without a tail record",
						ctx->pos);
			}
			ctx->file->f_pos = pos;
			ctx->buf_len += got;
		}
	}
	memcpy(&h, ctx->win + ctx->buf_pos, sizeof(h));
	*type = h.type;
	return 0;
}

/*
 * An error record in place of the next expected record: the checkpoint
 * that wrote the image failed.  Report its message and refuse.
 */
int ckpt_read_error(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	struct ckpt_hdr_error e;
	char *msg;
	size_t n;
	int err;

	if (h->len < sizeof(e))
		return ckpt_err(ctx, -EINVAL, "length %u is below the minimum %zu",
				h->len, sizeof(e));
	if (h->len > CKPT_RECORD_MAX)
		return ckpt_err(ctx, -E2BIG, "length %u is above the maximum %u",
				h->len, CKPT_RECORD_MAX);
	e.h = *h;
	err = ckpt_read_body(ctx, &e.h + 1, sizeof(e) - sizeof(*h));
	if (!err)
		err = ckpt_check_zero(ctx, &e._pad, sizeof(e._pad), "_pad");
	if (err)
		return err;
	n = h->len - sizeof(e);
	msg = kvmalloc(n + 1, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = ckpt_read_body(ctx, msg, n);
	if (!err)
		err = ckpt_read_padding(ctx, h->len);
	if (!err) {
		msg[n] = '\0';
		err = ckpt_err(ctx, -EBADMSG,
			       "the checkpoint failed with errno %d: %s",
			       e.errnum, msg);
	}
	kvfree(msg);
	return err;
}

/* Check that @len bytes of a reserved field are zero. */
int ckpt_check_zero(struct ckpt_ctx *ctx, const void *p, size_t len,
		    const char *field)
{
	if (memchr_inv(p, 0, len))
		return ckpt_err(ctx, -EINVAL, "reserved field %s is not zero", field);
	return 0;
}

/* Check that a fixed-size string field is NUL terminated. */
int ckpt_check_string(struct ckpt_ctx *ctx, const char *s, size_t len,
		      const char *field)
{
	if (!memchr(s, '\0', len))
		return ckpt_err(ctx, -EINVAL, "field %s is not NUL terminated", field);
	return 0;
}
