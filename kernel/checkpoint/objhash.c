// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the object table.
 *
 * A kernel object reachable from several tasks (credentials, address
 * spaces; file tables, open files and pipes as they are added) is
 * written to the image once, the first time it is met, and is then
 * named by its objref.  On checkpoint the table maps object pointers to
 * objrefs, and holds a reference on each object so that its address is
 * not reused while the checkpoint runs.  On restart it maps objrefs to
 * the rebuilt objects.
 *
 * The table belongs to one context and is used by one task: no lock.
 */

#include <linux/checkpoint.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "internal.h"

struct ckpt_obj {
	struct hlist_node node;
	void *ptr;
	const struct ckpt_obj_ops *ops;
	u32 objref;
	unsigned int owner;	/* the task that wrote or read it first */
	unsigned long users;	/* checkpoint: uses in the image */
};

/* Every object kind.  Adding a kind is adding its ops here. */
static const struct ckpt_obj_ops *const ckpt_obj_kinds[] = {
	&ckpt_cred_ops,
	&ckpt_shmem_ops,
	&ckpt_shmem_hugetlb_ops,
	&ckpt_memfd_ops,
	&ckpt_mm_ops,
	&ckpt_sighand_ops,
	&ckpt_signal_ops,
	&ckpt_pipe_ops,
	&ckpt_unix_pair_ops,
	&ckpt_tcp_ops,
	&ckpt_tcp_accept_ops,
#ifdef CONFIG_UNIX98_PTYS
	&ckpt_pty_ops,
#endif
	&ckpt_file_ops,
	&ckpt_files_ops,
	&ckpt_fs_ops,
#ifdef CONFIG_SYSVIPC
	&ckpt_ipc_shm_ops,
	&ckpt_ipc_msg_ops,
	&ckpt_ipc_sem_ops,
	&ckpt_ipc_undo_ops,
#endif
#ifdef CONFIG_POSIX_MQUEUE
	&ckpt_ipc_mq_ns_ops,
	&ckpt_ipc_mq_ops,
#endif
};

const struct ckpt_obj_ops *ckpt_obj_ops_find(u32 type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ckpt_obj_kinds); i++)
		if (ckpt_obj_kinds[i]->type == type)
			return ckpt_obj_kinds[i];
	return NULL;
}

static struct ckpt_obj *ckpt_obj_find(struct ckpt_ctx *ctx, void *ptr)
{
	struct ckpt_obj *obj;

	hash_for_each_possible(ctx->obj_hash, obj, node, (unsigned long)ptr)
		if (obj->ptr == ptr)
			return obj;
	return NULL;
}

/*
 * For the ops of a kind that needs no reference, or whose restore only
 * applies the record to current and keeps nothing.
 */
void ckpt_obj_nop(void *ptr)
{
}

/**
 * ckpt_obj_lookup - the objref of an object already in the image
 * @ctx:	checkpoint context
 * @ptr:	the kernel object
 * @ops:	its kind
 * @objref:	set to the object's objref
 *
 * For a record that refers to objects it does not write itself: they
 * must be written before it, so that objrefs stay in stream order.
 *
 * Return: 0, or -ENOENT if the object was not written.
 */
int ckpt_obj_lookup(struct ckpt_ctx *ctx, void *ptr,
		    const struct ckpt_obj_ops *ops, u32 *objref)
{
	struct ckpt_obj *obj = ckpt_obj_find(ctx, ptr);

	if (!obj || obj->ops != ops)
		return -ENOENT;
	*objref = obj->objref;
	return 0;
}

/**
 * ckpt_obj_checkpoint - write an object unless it is already in the image
 * @ctx:	checkpoint context
 * @ptr:	the kernel object
 * @ops:	its kind
 * @objref:	set to the object's objref
 *
 * Return: 0 or a negative errno.
 */
int ckpt_obj_checkpoint(struct ckpt_ctx *ctx, void *ptr,
			const struct ckpt_obj_ops *ops, u32 *objref)
{
	struct ckpt_obj *obj;
	int err;

	obj = ckpt_obj_find(ctx, ptr);
	if (obj) {
		if (WARN_ON_ONCE(obj->ops != ops))
			return -EINVAL;
		obj->users++;
		*objref = obj->objref;
		return 0;
	}

	err = ckpt_obj_add(ctx, ptr, ops, objref);
	return err ?: ops->checkpoint(ctx, ptr, *objref);
}

/**
 * ckpt_obj_add - put an object in the table, for its caller to write
 * @ctx:	checkpoint context
 * @ptr:	the kernel object, not yet in the table
 * @ops:	its kind
 * @objref:	set to the object's objref
 *
 * For a kind whose record holds what its caller read of the object
 * under a lock: the caller writes the record next, with this objref,
 * before any other.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_obj_add(struct ckpt_ctx *ctx, void *ptr,
		 const struct ckpt_obj_ops *ops, u32 *objref)
{
	struct ckpt_obj *obj;

	if (WARN_ON_ONCE(ckpt_obj_find(ctx, ptr)))
		return -EEXIST;
	obj = kmalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return -ENOMEM;
	ops->grab(ptr);
	obj->ptr = ptr;
	obj->ops = ops;
	obj->owner = ctx->cur_task;
	obj->users = 1;
	obj->objref = ++ctx->nr_objs;
	hash_add(ctx->obj_hash, &obj->node, (unsigned long)ptr);
	*objref = obj->objref;
	return 0;
}

/**
 * ckpt_obj_kill_all - tell the objects that their tasks are to be killed
 * @ctx:	checkpoint context, its image written
 *
 * The @kill of each object whose kind has one, for CHECKPOINT_KILL.
 */
void ckpt_obj_kill_all(struct ckpt_ctx *ctx)
{
	struct ckpt_obj *obj;
	int bkt;

	hash_for_each(ctx->obj_hash, bkt, obj, node)
		if (obj->ops->kill)
			obj->ops->kill(ctx, obj->ptr);
}

/**
 * ckpt_obj_first_task - the task that first used an object of the image
 * @ctx:	checkpoint context
 * @ptr:	an object ckpt_obj_checkpoint() wrote
 *
 * Return: the index of that task in @ctx->tasks.
 */
unsigned int ckpt_obj_first_task(struct ckpt_ctx *ctx, void *ptr)
{
	struct ckpt_obj *obj = ckpt_obj_find(ctx, ptr);

	return obj ? obj->owner : ctx->cur_task;
}

/**
 * ckpt_obj_account - count a reference from the image to an object
 * @ctx:	checkpoint context
 * @ptr:	the object referred to; nothing happens if it is not in the
 *		image
 */
void ckpt_obj_account(struct ckpt_ctx *ctx, void *ptr)
{
	struct ckpt_obj *obj = ckpt_obj_find(ctx, ptr);

	if (obj)
		obj->users++;
}

/**
 * ckpt_obj_check_leaks - refuse objects that tasks outside the image use
 * @ctx:	checkpoint context, with every task written
 *
 * For a container, whose objects must all come back with it: an object
 * with more references than the image accounts for is shared with a
 * task that is not saved, which would lose it, or see a copy instead.
 * Called once, at the end of a checkpoint.
 *
 * Return: 0, or -EBUSY naming the first object shared.
 */
int ckpt_obj_check_leaks(struct ckpt_ctx *ctx)
{
	struct ckpt_obj *obj;
	unsigned long users;
	int bkt;

	hash_for_each(ctx->obj_hash, bkt, obj, node)
		if (obj->ops->account)
			obj->ops->account(ctx, obj->ptr);
	hash_for_each(ctx->obj_hash, bkt, obj, node) {
		if (!obj->ops->users)
			continue;
		users = obj->ops->users(obj->ptr);
		if (users > obj->users)
			return ckpt_err(ctx, -EBUSY,
					"%s %u of pid %d is shared with a task outside the checkpoint (%lu users, %lu inside)",
					obj->ops->name, obj->objref,
					task_pid_nr_ns(ctx->tasks[obj->owner],
						       ctx->root_pidns),
					users, obj->users);
	}
	return 0;
}

/**
 * ckpt_obj_restore - read the object defined by the next record
 * @ctx:	restart context
 *
 * The next record must define an object of a known kind, with the next
 * objref in sequence.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_obj_restore(struct ckpt_ctx *ctx)
{
	const struct ckpt_obj_ops *ops;
	struct ckpt_hdr_obj *h;
	struct ckpt_obj *obj;
	void *ptr;
	u32 type;
	int err;

	err = ckpt_peek_type(ctx, &type);
	if (err)
		return err;
	ops = ckpt_obj_ops_find(type);
	if (!ops) {
		ctx->rec_start = ctx->pos;
		ctx->rec_type = type;
		return ckpt_err(ctx, -EINVAL, "not an object record");
	}

	h = ckpt_read_record(ctx, type, ops->min_len, ops->max_len);
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = -EINVAL;
	if (h->objref != ctx->nr_objs + 1) {
		ckpt_err(ctx, err, "objref %u out of sequence, expected %u",
			 h->objref, ctx->nr_objs + 1);
		goto out;
	}
	err = ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "objref pad");
	if (err)
		goto out;

	err = -ENOMEM;
	obj = kmalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		goto out;
	ptr = ops->restore(ctx, &h->h);
	if (IS_ERR(ptr)) {
		err = PTR_ERR(ptr);
		kfree(obj);
		goto out;
	}
	obj->ptr = ptr;
	obj->ops = ops;
	obj->objref = h->objref;
	obj->owner = ctx->cur_task;
	err = xa_err(xa_store(&ctx->obj_array, obj->objref, obj, GFP_KERNEL));
	if (err) {
		ops->release(ptr);
		kfree(obj);
		goto out;
	}
	ctx->nr_objs++;
out:
	kvfree(h);
	return err;
}

/**
 * ckpt_obj_fetch - look up a restored object by objref
 * @ctx:	restart context
 * @objref:	the reference read from the image
 * @ops:	the kind the reference must name
 * @field:	name of the referring field, for messages
 *
 * Return: the object (the table keeps its reference), or an ERR_PTR.
 */
void *ckpt_obj_fetch(struct ckpt_ctx *ctx, u32 objref,
		     const struct ckpt_obj_ops *ops, const char *field)
{
	struct ckpt_obj *obj = xa_load(&ctx->obj_array, objref);

	if (!obj)
		return ERR_PTR(ckpt_err(ctx, -EBADR,
					"field %s refers to object %u, not defined before",
					field, objref));
	if (obj->ops != ops)
		return ERR_PTR(ckpt_err(ctx, -EBADR,
					"field %s refers to object %u, a %s, not a %s",
					field, objref, obj->ops->name, ops->name));
	return obj->ptr;
}

/**
 * ckpt_obj_peek - a restored object, if it is of a given kind
 * @ctx:	restart context
 * @objref:	any objref
 * @ops:	the kind
 *
 * For a record whose place depends on the object defined before it.
 *
 * Return: the object, or NULL if there is none of that kind at @objref.
 */
void *ckpt_obj_peek(struct ckpt_ctx *ctx, u32 objref,
		    const struct ckpt_obj_ops *ops)
{
	struct ckpt_obj *obj = xa_load(&ctx->obj_array, objref);

	return obj && obj->ops == ops ? obj->ptr : NULL;
}

/**
 * ckpt_obj_owner - the task that read a restored object
 * @ctx:	restart context
 * @objref:	a reference ckpt_obj_fetch() accepted
 *
 * Return: the index in the tree of the task whose records defined it.
 */
unsigned int ckpt_obj_owner(struct ckpt_ctx *ctx, u32 objref)
{
	struct ckpt_obj *obj = xa_load(&ctx->obj_array, objref);

	return obj ? obj->owner : UINT_MAX;
}

/**
 * ckpt_obj_finish_all - complete the restored objects that need the tasks
 * @ctx:	restart context
 *
 * In objref order, the @finish of each object whose kind has one.
 *
 * Return: 0, or the first error.
 */
int ckpt_obj_finish_all(struct ckpt_ctx *ctx)
{
	struct ckpt_obj *obj;
	unsigned long idx;
	int err;

	xa_for_each(&ctx->obj_array, idx, obj) {
		if (!obj->ops->finish)
			continue;
		err = obj->ops->finish(ctx, obj->ptr);
		if (err)
			return err;
	}
	return 0;
}

/**
 * ckpt_obj_commit_all - the restart succeeded: commit the restored objects
 * @ctx:	restart context
 *
 * In objref order, the @commit of each object whose kind has one, before
 * any task of the image runs.
 */
void ckpt_obj_commit_all(struct ckpt_ctx *ctx)
{
	struct ckpt_obj *obj;
	unsigned long idx;

	xa_for_each(&ctx->obj_array, idx, obj)
		if (obj->ops->commit)
			obj->ops->commit(ctx, obj->ptr);
}

/**
 * ckpt_obj_release_all - empty the object table
 * @ctx:	checkpoint or restart context
 *
 * Drop the references of checkpoint and release the objects of restart.
 * The table is empty after, and may be emptied again.
 */
void ckpt_obj_release_all(struct ckpt_ctx *ctx)
{
	struct hlist_node *tmp;
	struct ckpt_obj *obj;
	unsigned long idx;
	int bkt;

	hash_for_each_safe(ctx->obj_hash, bkt, tmp, obj, node) {
		hash_del(&obj->node);
		obj->ops->drop(obj->ptr);
		kfree(obj);
	}
	xa_for_each(&ctx->obj_array, idx, obj) {
		obj->ops->release(obj->ptr);
		kfree(obj);
	}
	xa_destroy(&ctx->obj_array);
}
