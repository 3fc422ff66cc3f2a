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
struct task_struct *ckpt_vfork_waited(struct ckpt_ctx *ctx,
				      struct task_struct *t);
int ckpt_notify_tasks(struct ckpt_ctx *ctx);
void ckpt_notify_finish(struct ckpt_ctx *ctx, int err);
int ckpt_read_error(struct ckpt_ctx *ctx, struct ckpt_hdr *h);

/* Pid namespaces nested in the root's (pidns.c) */
void ckpt_pidns_free(struct ckpt_pidns_map *map);
pid_t ckpt_pidns_pid_seen(const struct ckpt_ctx *ctx, unsigned int i,
			  unsigned int by);
int ckpt_write_pidns(struct ckpt_ctx *ctx);
int ckpt_read_pidns(struct ckpt_ctx *ctx);
unsigned int ckpt_pidns_set_tid(const struct ckpt_ctx *ctx, unsigned int i,
				pid_t *set_tid);
int ckpt_pidns_spawn(struct ckpt_ctx *ctx, unsigned int i, u64 *flags);
void ckpt_pidns_spawned(struct ckpt_ctx *ctx, unsigned int i);
int ckpt_pidns_ghost(struct ckpt_ctx *ctx);
int ckpt_pidns_pidfd_ready(struct ckpt_ctx *ctx, unsigned int i);
struct pid *ckpt_pidns_alloc_pid(struct ckpt_ctx *ctx, unsigned int i);
int ckpt_pidns_children(struct ckpt_ctx *ctx, unsigned int i);
int ckpt_pidns_stand_in(struct ckpt_ctx *ctx, unsigned int i);

#endif /* _KERNEL_CHECKPOINT_INTERNAL_H */
