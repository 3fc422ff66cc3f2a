// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint: the order of the image.
 *
 *   header, tree, [namespaces], { objects first used by task N, task N } ...,
 *   tail
 *
 * If anything fails after the header went out, an error record takes
 * the place of the tail, so that a reader of the image learns why it
 * is incomplete.  The tasks are held still from before the header is
 * written until the tail is, and a failed checkpoint changes nothing in
 * them.
 */

#include <linux/checkpoint.h>
#include <linux/elf.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>

#include "internal.h"

static int ckpt_write_header(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_header *h;
	int err;

	h = ckpt_hdr_alloc(sizeof(*h), CKPT_HDR_HEADER);
	if (!h)
		return -ENOMEM;
	memcpy(h->magic, CKPT_MAGIC, CKPT_MAGIC_LEN);
	h->major = CKPT_VERSION_MAJOR;
	h->minor = CKPT_VERSION_MINOR;
	h->arch = ELF_ARCH;
	h->page_size = PAGE_SIZE;
	h->flags = ctx->flags;
	h->features_required = CKPT_FEAT_REQUIRED_ALL;
	h->features_optional = CKPT_FEAT_OPTIONAL_ALL;
	h->time = ktime_get_real_seconds();
	down_read(&uts_sem);
	strscpy(h->release, utsname()->release, sizeof(h->release));
	up_read(&uts_sem);
	err = ckpt_write_record(ctx, &h->h);
	kvfree(h);
	return err;
}

static int ckpt_write_tail(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_tail *h;
	int err;

	h = ckpt_hdr_alloc(sizeof(*h), CKPT_HDR_TAIL);
	if (!h)
		return -ENOMEM;
	memcpy(h->magic, CKPT_TAIL_MAGIC, CKPT_MAGIC_LEN);
	h->records = ctx->nr_records;
	h->bytes = ctx->pos;
	err = ckpt_write_record(ctx, &h->h);
	kvfree(h);
	return err;
}

static void ckpt_write_error(struct ckpt_ctx *ctx, int err)
{
	const char *msg = ctx->errmsg ?: "";
	size_t len = strlen(msg) + 1;
	struct ckpt_hdr_error *h;

	len = min_t(size_t, len, CKPT_RECORD_MAX - sizeof(*h));
	h = ckpt_hdr_alloc(sizeof(*h) + len, CKPT_HDR_ERROR);
	if (!h)
		return;
	h->errnum = -err;
	memcpy(h + 1, msg, len - 1);
	if (!ckpt_write_record(ctx, &h->h))
		ckpt_flush(ctx);
	kvfree(h);
}

/*
 * CHECKPOINT_KILL and CHECKPOINT_STOP: signal the saved processes while
 * they are still held, once the whole image is written, so that none
 * runs on after the state the image holds.
 */
static int ckpt_end_tasks(struct ckpt_ctx *ctx)
{
	int sig = ctx->flags & CHECKPOINT_KILL ? SIGKILL : SIGSTOP;
	unsigned int i;

	for (i = 0; i < ctx->nr_tasks; i++)
		if (thread_group_leader(ctx->tasks[i]))
			do_send_sig_info(sig, SEND_SIG_PRIV, ctx->tasks[i],
					 PIDTYPE_TGID);
	return 0;
}

/*
 * Hold the tasks collected, then walk them again to hold those they
 * forked before they were held, and so on, level by level: a task held
 * forks no more.  A tree that grows deeper all the time is given up on.
 */
static int ckpt_hold_tasks(struct ckpt_ctx *ctx)
{
	unsigned int first = 0, round;
	int ret;

	for (round = 0; round < CKPT_HOLD_ROUNDS; round++) {
		ret = ckpt_park_tasks(ctx, first);
		if (!ret)
			ret = ckpt_check_collected(ctx, &first);
		if (ret <= 0)
			return ret;
	}
	return ckpt_err(ctx, -EAGAIN,
			"the tasks kept forking while they were being held: try again");
}

int do_checkpoint(struct ckpt_ctx *ctx, struct task_struct *root)
{
	unsigned int i;
	int err;

	err = ckpt_collect_tasks(ctx, root) ?: ckpt_notify_tasks(ctx);
	if (!err)
		err = ckpt_hold_tasks(ctx) ?: ckpt_check_held_vforks(ctx);
	if (err) {
		ckpt_unpark_tasks(ctx);
		ckpt_notify_finish(ctx, err);
		return err;
	}

	err = ckpt_open_files_take(ctx) ?: ckpt_write_header(ctx);
	if (!err)
		err = ckpt_write_tree(ctx) ?: ckpt_write_pidns(ctx) ?:
		      ckpt_write_namespaces(ctx);
	for (i = 0; !err && i < ctx->nr_tasks; i++) {
		ctx->cur_task = i;
		err = ckpt_write_task(ctx, ctx->tasks[i]);
	}
	/* Its references to the files would count as users outside. */
	ckpt_open_files_put(ctx);
	if (!err && ckpt_container(ctx))
		err = ckpt_obj_check_leaks(ctx);
	if (!err)
		err = ckpt_check_vforks(ctx) ?: ckpt_write_tail(ctx);
	if (!err && (ctx->flags & (CHECKPOINT_KILL | CHECKPOINT_STOP)))
		err = ckpt_flush(ctx);
	if (!err && (ctx->flags & CHECKPOINT_KILL)) {
		ckpt_obj_kill_all(ctx);
		/*
		 * Let the objects go before their tasks die: a task that
		 * exits from an mm someone else still uses looks for its next
		 * owner through every process, and the last to exit, not the
		 * checkpointer, is to tear the mm down.
		 */
		ckpt_obj_release_all(ctx);
	}
	if (!err && (ctx->flags & (CHECKPOINT_KILL | CHECKPOINT_STOP)))
		err = ckpt_end_tasks(ctx);
	ckpt_unpark_tasks(ctx);
	if (!err)
		err = ckpt_flush(ctx);
	ckpt_notify_finish(ctx, err);
	if (err && err != -EINTR)
		ckpt_write_error(ctx, err);
	return err;
}
