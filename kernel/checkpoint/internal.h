/* SPDX-License-Identifier: GPL-2.0 */
/* Checkpoint/restart: declarations private to kernel/checkpoint/. */
#ifndef _KERNEL_CHECKPOINT_INTERNAL_H
#define _KERNEL_CHECKPOINT_INTERNAL_H

#include <linux/checkpoint.h>

/* Size of the staging buffer of a context. */
#define CKPT_BUF_SIZE		(64 * 1024)
/* Rounds of holding the tasks a checkpoint found, then their new children. */
#define CKPT_HOLD_ROUNDS	16

void ckpt_ctx_free(struct ckpt_ctx *ctx);
int do_checkpoint(struct ckpt_ctx *ctx, struct task_struct *root);
int do_restart(struct ckpt_ctx *ctx);
int ckpt_park_tasks(struct ckpt_ctx *ctx, unsigned int first);
int ckpt_check_collected(struct ckpt_ctx *ctx, unsigned int *first);
void ckpt_unpark_tasks(struct ckpt_ctx *ctx);
bool ckpt_task_is_still(struct task_struct *t);
int ckpt_notify_tasks(struct ckpt_ctx *ctx);
void ckpt_notify_finish(struct ckpt_ctx *ctx, int err);
int ckpt_read_error(struct ckpt_ctx *ctx, struct ckpt_hdr *h);

#endif /* _KERNEL_CHECKPOINT_INTERNAL_H */
