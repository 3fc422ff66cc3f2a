// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint(2) and restart(2): entry points, context and log.
 *
 * A checkpoint saves a set of quiescent tasks as a stream of records
 * (see include/uapi/linux/checkpoint.h) written to a file descriptor.
 * A restart reads such a stream back.  Each call gets a struct ckpt_ctx
 * that holds the image and log files, the record buffer and the object
 * table; nothing is shared between calls, so no global lock is taken.
 *
 * Permissions: the caller must be allowed to ptrace-attach to every
 * task it checkpoints (checked in process.c with the tasks pinned).
 *
 * Messages for the user go to the log fd, one line each, naming the
 * record and field at fault.  They never contain kernel addresses.
 */

#include <linux/checkpoint.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/vmalloc.h>

#include "internal.h"

static atomic64_t ckpt_next_id = ATOMIC64_INIT(0);

void ckpt_msg(struct ckpt_ctx *ctx, const char *fmt, ...)
{
	struct file *file = ctx->logfile;
	va_list args;
	loff_t pos;
	char *s;

	if (!ctx->logfile)
		return;

	va_start(args, fmt);
	s = kvasprintf(GFP_KERNEL, fmt, args);
	va_end(args);
	if (!s)
		return;
	/*
	 * Append, as write(2) on the log fd would.  A log that cannot be
	 * written must not fail the operation.
	 */
	pos = file->f_pos;
	if (kernel_write(file, s, strlen(s), &pos) > 0)
		file->f_pos = pos;
	kfree(s);
}

/*
 * Log a refusal and return @err, so that callers can write
 * "return ckpt_err(ctx, -EINVAL, ...)".  The message is prefixed with
 * the record being parsed, when there is one.  The first message is
 * kept for the error record of a failed checkpoint.
 */
int ckpt_err(struct ckpt_ctx *ctx, int err, const char *fmt, ...)
{
	va_list args;
	char *s;

	va_start(args, fmt);
	s = kvasprintf(GFP_KERNEL, fmt, args);
	va_end(args);
	if (!s)
		return err;

	if (ctx->dir == CKPT_DIR_RESTART && ctx->rec_type)
		ckpt_msg(ctx, "restart: record %llu (%s) at offset %llu: %s (errno %d)\n",
			 ctx->nr_records, ckpt_type_name(ctx->rec_type),
			 ctx->rec_start, s, -err);
	else
		ckpt_msg(ctx, "%s: %s (errno %d)\n",
			 ctx->dir == CKPT_DIR_RESTART ? "restart" : "checkpoint",
			 s, -err);
	if (!ctx->errmsg)
		ctx->errmsg = s;
	else
		kfree(s);
	return err;
}

static struct ckpt_ctx *ckpt_ctx_alloc(enum ckpt_dir dir, int fd,
				       unsigned long flags, int logfd)
{
	struct ckpt_ctx *ctx;
	int err;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->dir = dir;
	ctx->flags = flags;
	hash_init(ctx->obj_hash);
	mutex_init(&ctx->pids_lock);
	xa_init(&ctx->obj_array);

	err = -EBADF;
	if (logfd >= 0) {
		ctx->logfile = fget(logfd);
		if (!ctx->logfile)
			goto fail;
		if (!(ctx->logfile->f_mode & FMODE_WRITE))
			goto fail;
	} else if (logfd != -1) {
		goto fail;
	}

	ctx->file = fget(fd);
	if (!ctx->file)
		goto fail;
	if (!(ctx->file->f_mode & (dir == CKPT_DIR_CHECKPOINT ?
				   FMODE_WRITE : FMODE_READ))) {
		ckpt_err(ctx, -EBADF, "image fd %d is not open for %s", fd,
			 dir == CKPT_DIR_CHECKPOINT ? "writing" : "reading");
		goto fail;
	}

	err = -ENOMEM;
	ctx->buf = kvmalloc(CKPT_BUF_SIZE, GFP_KERNEL);
	if (!ctx->buf)
		goto fail;
	ctx->win = ctx->buf;
	return ctx;

fail:
	ckpt_ctx_free(ctx);
	return ERR_PTR(err);
}

void ckpt_ctx_free(struct ckpt_ctx *ctx)
{
	unsigned int i;

	ckpt_obj_release_all(ctx);
	ckpt_open_files_put(ctx);
	/* Only a checkpoint pins tasks; a restart only has their pids. */
	for (i = 0; ctx->tasks && i < ctx->nr_tasks; i++)
		put_task_struct(ctx->tasks[i]);
	kvfree(ctx->tasks);
	ckpt_put_pids(ctx);
	kvfree(ctx->pids);
	kvfree(ctx->refs);
	ckpt_pidns_free(ctx->pidns);
	kvfree(ctx->ns);
	kvfree(ctx->netcfg);
	put_pid(ctx->set);
	put_pid(ctx->caller);
	ckpt_cgroup_put(ctx);
	if (ctx->root_pidns)
		put_pid_ns(ctx->root_pidns);
	if (ctx->win_folio)
		folio_put(ctx->win_folio);
	kvfree(ctx->buf);
	kfree(ctx->errmsg);
	if (ctx->file)
		fput(ctx->file);
	if (ctx->logfile)
		fput(ctx->logfile);
	kfree(ctx);
}

/*
 * Part of the image is written or consumed when a signal interrupts
 * either call: it cannot be restarted after the handler, it fails.
 */
static long ckpt_no_restart(long ret)
{
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	    ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK)
		return -EINTR;
	return ret;
}

/*
 * Find the root task of a checkpoint.  @pid is a pid in the caller's
 * pid namespace, 0 for the caller itself, a pidfd, or an fd of the
 * cgroup of a container.
 */
static struct task_struct *ckpt_find_root(struct ckpt_ctx *ctx, pid_t pid)
{
	struct task_struct *task;
	unsigned int f_flags;

	if ((ctx->flags & CHECKPOINT_SCOPE_MASK) == CHECKPOINT_SCOPE_CGROUP)
		return ckpt_cgroup_root(ctx, pid);

	if (ctx->flags & CHECKPOINT_PIDFD) {
		task = pidfd_get_task(pid, &f_flags);
		if (IS_ERR(task))
			ckpt_err(ctx, PTR_ERR(task), "pidfd %d: no such process", pid);
		return task;
	}

	if (pid < 0)
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "pid %d is negative", pid));
	if (pid == 0) {
		get_task_struct(current);
		return current;
	}

	rcu_read_lock();
	task = find_task_by_vpid(pid);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return ERR_PTR(ckpt_err(ctx, -ESRCH, "pid %d: no such process", pid));
	return task;
}

/**
 * sys_checkpoint - save a set of tasks to a file descriptor
 * @pid:	root task: a pid, 0 for the caller, or a pidfd; or a cgroup
 *		fd with CHECKPOINT_SCOPE_CGROUP
 * @fd:		where the image is written
 * @flags:	CHECKPOINT_* flags
 * @logfd:	where messages are written, or -1
 *
 * Return: a positive checkpoint id, or a negative errno.
 */
SYSCALL_DEFINE4(checkpoint, pid_t, pid, int, fd, unsigned long, flags,
		int, logfd)
{
	struct task_struct *root;
	struct ckpt_ctx *ctx;
	long ret;

	if (flags & ~CHECKPOINT_FLAGS_ALL)
		return -EINVAL;
	switch (flags & CHECKPOINT_SCOPE_MASK) {
	case CHECKPOINT_SCOPE_TREE:
	case CHECKPOINT_SCOPE_TASK:
	case CHECKPOINT_SCOPE_PGRP:
	case CHECKPOINT_SCOPE_SESSION:
		break;
	case CHECKPOINT_SCOPE_CGROUP:
		if (flags & CHECKPOINT_PIDFD)
			return -EINVAL;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if ((flags & CHECKPOINT_KILL) && (flags & CHECKPOINT_STOP))
		return -EINVAL;

	ctx = ckpt_ctx_alloc(CKPT_DIR_CHECKPOINT, fd, flags, logfd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);

	root = ckpt_find_root(ctx, pid);
	if (IS_ERR(root)) {
		ret = PTR_ERR(root);
		goto out;
	}
	ret = do_checkpoint(ctx, root);
	put_task_struct(root);
	if (!ret)
		ret = atomic64_inc_return(&ckpt_next_id) & LONG_MAX;
out:
	ckpt_ctx_free(ctx);
	return ckpt_no_restart(ret);
}

/**
 * sys_restart - rebuild tasks from an image
 * @pid:	with RESTART_CGROUP, an fd of the cgroup v2 directory to
 *		create the tasks in; else 0
 * @fd:		the image
 * @flags:	RESTART_* flags
 * @logfd:	where messages are written, or -1
 *
 * The tasks are created as children of the caller, which can wait for
 * them, in its pid namespace or, if it unshared one that is still
 * empty, as the init and tasks of that.  With RESTART_VALIDATE the
 * image is only checked.
 *
 * Return: the pid of the restored root task in the caller's pid
 * namespace, 0 with RESTART_VALIDATE, or a negative errno.
 */
SYSCALL_DEFINE4(restart, pid_t, pid, int, fd, unsigned long, flags,
		int, logfd)
{
	struct ckpt_ctx *ctx;
	long ret;

	if (flags & ~RESTART_FLAGS_ALL)
		return -EINVAL;
	if (flags & RESTART_CGROUP) {
		if ((flags & RESTART_VALIDATE) || pid < 0)
			return -EINVAL;
	} else if (pid) {
		return -EINVAL;
	}

	ctx = ckpt_ctx_alloc(CKPT_DIR_RESTART, fd, flags, logfd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->cgroup_fd = pid;
	ret = do_restart(ctx);
	ckpt_ctx_free(ctx);
	return ckpt_no_restart(ret);
}
