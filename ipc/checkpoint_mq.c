// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of POSIX message queues.
 *
 * The queues of an IPC namespace that the tasks of an image have of
 * their own are saved after its SysV objects (ipc/checkpoint.c): the
 * limits of the namespace, then each queue that has a name, in name
 * order, with its attributes, owner, mode, times, messages and the
 * process registered with mq_notify(3).  The root of a restart makes
 * them again in its new IPC namespace as mq_open(3) with O_CREAT
 * would, with the rights of the caller of restart(2), and queues the
 * messages in the order mq_receive(3) would have returned them.  The
 * registration is made again once every task exists.
 *
 * A descriptor of a queue (CKPT_FILE_MQUEUE) names the queue it is
 * open on; one of a queue of the checkpointer's IPC namespace, which
 * outlives the tasks, is reopened by name and checked to be the queue
 * saved, as a regular file is.
 *
 * Not saved: queues unlinked while open, notification by a thread
 * (SIGEV_THREAD, a netlink socket), messages of more than
 * CKPT_MQ_MSG_MAX bytes.  The memory of a restored queue is charged to
 * the caller of restart(2), who makes it.
 */

#include <linux/checkpoint.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/mount.h>
#include <linux/msg.h>
#include <linux/namei.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "util.h"

/* The most a queue may hold to be saved: its copy is made at once. */
#define CKPT_MQ_QUEUE_MAX	(256 << 20)

/* The bounds of the fs.mqueue sysctls (MIN_MSGMAX, MIN_MSGSIZEMAX). */
#define CKPT_MQ_MSG_MIN		1
#define CKPT_MQ_MSGSIZE_MIN	128

static bool ckpt_inode_mqueue(struct inode *inode)
{
	return inode->i_sb->s_magic == MQUEUE_MAGIC && S_ISREG(inode->i_mode);
}

/**
 * ckpt_file_mqueue - whether a file is a POSIX message queue descriptor
 * @file:	the file
 */
bool ckpt_file_mqueue(struct file *file)
{
	return ckpt_inode_mqueue(file_inode(file));
}

/* Checkpoint side: the queues of the namespace, by name. */
struct ckpt_mq_names {
	struct dir_context ctx;
	char **names;
	unsigned int nr, cap;
	int err;
};

static bool ckpt_mq_name_actor(struct dir_context *dc, const char *name,
			       int len, loff_t pos, u64 ino, unsigned int type)
{
	struct ckpt_mq_names *n = container_of(dc, struct ckpt_mq_names, ctx);
	char **names;

	if (type != DT_REG)
		return true;
	if (n->nr == n->cap) {
		unsigned int cap = n->cap ? 2 * n->cap : 16;

		names = krealloc_array(n->names, cap, sizeof(*names),
				       GFP_KERNEL);
		if (!names)
			goto nomem;
		n->names = names;
		n->cap = cap;
	}
	n->names[n->nr] = kmemdup_nul(name, len, GFP_KERNEL);
	if (!n->names[n->nr])
		goto nomem;
	n->nr++;
	return true;
nomem:
	n->err = -ENOMEM;
	return false;
}

static int ckpt_mq_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

static void ckpt_mq_names_free(struct ckpt_mq_names *n)
{
	while (n->nr)
		kfree(n->names[--n->nr]);
	kfree(n->names);
}

/* The names of the queues of @ns, sorted, as its root directory lists them. */
static int ckpt_mq_list(struct ipc_namespace *ns, struct ckpt_mq_names *n)
{
	struct path root = { .mnt = ns->mq_mnt, .dentry = ns->mq_mnt->mnt_root };
	struct file *dir;
	int err;

	dir = dentry_open(&root, O_RDONLY | O_DIRECTORY, current_cred());
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	n->ctx.actor = ckpt_mq_name_actor;
	err = iterate_dir(dir, &n->ctx);
	fput(dir);
	err = err ?: n->err;
	if (!err)
		sort(n->names, n->nr, sizeof(*n->names), ckpt_mq_name_cmp, NULL);
	return err;
}

/* One queue copied: its record and its messages' records. */
struct ckpt_mq_snap {
	struct ckpt_hdr_ipc_mq *h;
	struct inode *inode;	/* with a reference */
	void *msgs;
	size_t len;
};

/*
 * The messages of a locked queue, highest priority first, each a
 * CKPT_HDR_IPC_MQ_MSG record, into @buf of @size bytes if they fit.
 * Return: the bytes they take, or -E2BIG if a message is larger than
 * an image takes.
 */
static ssize_t ckpt_mq_msgs(struct mqueue_inode_info *info, void *buf,
			    size_t size)
{
	struct posix_msg_tree_node *leaf;
	struct rb_node *node;
	struct msg_msg *msg;
	size_t pos = 0;

	for (node = info->msg_tree_rightmost; node; node = rb_prev(node)) {
		leaf = rb_entry(node, struct posix_msg_tree_node, rb_node);
		list_for_each_entry(msg, &leaf->msg_list, m_list) {
			struct ckpt_hdr_ipc_mq_msg *m;
			size_t len = sizeof(*m) + msg->m_ts;

			if (msg->m_ts > CKPT_MQ_MSG_MAX)
				return -E2BIG;
			if (pos + ALIGN(len, CKPT_ALIGN) <= size) {
				m = buf + pos;
				memset(m, 0, ALIGN(len, CKPT_ALIGN));
				m->h.type = CKPT_HDR_IPC_MQ_MSG;
				m->h.len = len;
				m->prio = msg->m_type;
				m->size = msg->m_ts;
				store_kernel_msg(m + 1, msg, msg->m_ts);
			}
			pos += ALIGN(len, CKPT_ALIGN);
		}
	}
	return pos;
}

/*
 * Copy the queue of @snap: size the room for its messages, then take
 * them, again if more came meanwhile; and the process registered.
 */
static int ckpt_mq_copy(struct ckpt_ctx *ctx, struct ckpt_mq_snap *snap,
			struct pid **owner, u32 *exec_id)
{
	struct mqueue_inode_info *info = MQUEUE_I(snap->inode);
	struct ckpt_hdr_ipc_mq *h = snap->h;
	ssize_t len;

	for (;;) {
		spin_lock(&info->lock);
		len = ckpt_mq_msgs(info, snap->msgs, snap->len);
		if (len < 0 || len <= snap->len)
			break;
		spin_unlock(&info->lock);
		kvfree(snap->msgs);
		snap->len = 0;
		if (len > CKPT_MQ_QUEUE_MAX)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"POSIX message queue /%s holds %zd bytes: not supported",
					h->name, len);
		snap->msgs = kvmalloc(len, GFP_KERNEL | __GFP_NOWARN);
		if (!snap->msgs)
			return -ENOMEM;
		snap->len = len;
	}
	if (len < 0) {
		spin_unlock(&info->lock);
		return ckpt_err(ctx, -EOPNOTSUPP,
				"POSIX message queue /%s holds a message of more than %u bytes: not supported",
				h->name, CKPT_MQ_MSG_MAX);
	}
	snap->len = len;
	h->maxmsg = info->attr.mq_maxmsg;
	h->msgsize = info->attr.mq_msgsize;
	h->nr_msgs = info->attr.mq_curmsgs;
	/* mq_notify(3) keeps only the kind of a SIGEV_NONE registration. */
	if (info->notify_owner) {
		*owner = get_pid(info->notify_owner);
		*exec_id = info->notify_self_exec_id;
		h->notify = info->notify.sigev_notify;
	}
	if (info->notify_owner && h->notify != SIGEV_NONE) {
		h->notify_signo = info->notify.sigev_signo;
		h->notify_value =
			(unsigned long)info->notify.sigev_value.sival_ptr;
	}
	spin_unlock(&info->lock);
	return 0;
}

/*
 * The process registered with mq_notify(3) must be saved too, and be
 * told by a signal or not at all: a thread (SIGEV_THREAD) is told
 * through a netlink socket, which is not saved.  Only a signal is kept
 * from a process that ran execve(2) since (mq_notify() records the
 * exec count for SIGEV_SIGNAL alone).
 */
static int ckpt_mq_notify(struct ckpt_ctx *ctx, struct ckpt_hdr_ipc_mq *h,
			  struct pid *owner, u32 exec_id)
{
	struct task_struct *t;
	int err = 0;

	if (h->notify != SIGEV_SIGNAL && h->notify != SIGEV_NONE)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"POSIX message queue /%s: notification of a thread (SIGEV_THREAD): not supported",
				h->name);
	if (!ckpt_pid_saved(ctx, owner, PIDTYPE_TGID))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"POSIX message queue /%s: pid %d, registered with mq_notify(), is not saved",
				h->name, pid_vnr(owner));
	h->notify_pid = pid_nr_ns(owner, ctx->root_pidns);
	rcu_read_lock();
	t = pid_task(owner, PIDTYPE_TGID);
	if (!t)
		err = -ESRCH;
	else if (h->notify == SIGEV_SIGNAL && t->self_exec_id != exec_id)
		h->notify_flags |= CKPT_MQ_NOTIFY_STALE;
	rcu_read_unlock();
	return err;
}

/* Copy the queue @name; 1 if it was unlinked meanwhile. */
static int ckpt_mq_snap(struct ckpt_ctx *ctx, struct dentry *root,
			const char *name, struct ckpt_mq_snap *snap)
{
	struct user_namespace *uns = current_user_ns();
	struct ckpt_hdr_ipc_mq *h;
	struct timespec64 ts;
	struct dentry *dentry;
	struct inode *inode;
	struct pid *owner = NULL;
	u32 exec_id = 0;
	int err;

	/* One unlinked since it was listed is gone: so are its descriptors. */
	dentry = lookup_positive_unlocked(name, root, strlen(name));
	if (dentry == ERR_PTR(-ENOENT))
		return 1;
	if (IS_ERR(dentry))
		return ckpt_err(ctx, PTR_ERR(dentry),
				"cannot look up POSIX message queue /%s", name);
	inode = d_inode(dentry);
	if (!ckpt_inode_mqueue(inode)) {
		dput(dentry);
		return ckpt_err(ctx, -EINVAL, "/%s is no POSIX message queue",
				name);
	}
	snap->inode = igrab(inode);
	dput(dentry);
	if (!snap->inode)
		return 1;
	h = ckpt_hdr_alloc(sizeof(*h), CKPT_HDR_IPC_MQ);
	if (!h)
		return -ENOMEM;
	snap->h = h;
	strscpy(h->name, name, sizeof(h->name));
	/* As mq_receive(3): the checkpointer must be able to read it. */
	err = inode_permission(&nop_mnt_idmap, inode, MAY_READ);
	if (err)
		return ckpt_err(ctx, err,
				"no read permission on POSIX message queue /%s",
				name);

	err = ckpt_mq_copy(ctx, snap, &owner, &exec_id);
	if (err)
		return err;
	if (owner) {
		err = ckpt_mq_notify(ctx, h, owner, exec_id);
		put_pid(owner);
		if (err)
			return err;
	}
	h->uid = from_kuid_munged(uns, inode->i_uid);
	h->gid = from_kgid_munged(uns, inode->i_gid);
	h->mode = inode->i_mode & S_IALLUGO;
	ts = inode_get_atime(inode);
	h->atime_sec = ts.tv_sec;
	h->atime_nsec = ts.tv_nsec;
	ts = inode_get_mtime(inode);
	h->mtime_sec = ts.tv_sec;
	h->mtime_nsec = ts.tv_nsec;
	ts = inode_get_ctime(inode);
	h->ctime_sec = ts.tv_sec;
	h->ctime_nsec = ts.tv_nsec;
	return 0;
}

static void ckpt_mq_snap_free(struct ckpt_mq_snap *snap)
{
	iput(snap->inode);
	kvfree(snap->h);
	kvfree(snap->msgs);
}

/* Put a queue in the table, by its inode, which its descriptors name. */
static int ckpt_mq_write(struct ckpt_ctx *ctx, struct ckpt_mq_snap *snap)
{
	size_t pos = 0;
	int err;

	err = ckpt_obj_add(ctx, snap->inode, &ckpt_ipc_mq_ops,
			   &snap->h->h.objref) ?:
	      ckpt_write_record(ctx, &snap->h->h.h);
	while (!err && pos < snap->len) {
		struct ckpt_hdr *h = snap->msgs + pos;

		err = ckpt_write_record(ctx, h);
		pos += ALIGN(h->len, CKPT_ALIGN);
	}
	return err;
}

static int ckpt_mq_write_ns(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	struct ckpt_hdr_ipc_mq_ns *h;
	int err;

	h = ckpt_hdr_alloc(sizeof(*h), CKPT_HDR_IPC_MQ_NS);
	if (!h)
		return -ENOMEM;
	h->queues_max = min_t(unsigned int, READ_ONCE(ns->mq_queues_max),
			      INT_MAX);
	h->msg_max = READ_ONCE(ns->mq_msg_max);
	h->msgsize_max = READ_ONCE(ns->mq_msgsize_max);
	h->msg_default = READ_ONCE(ns->mq_msg_default);
	h->msgsize_default = READ_ONCE(ns->mq_msgsize_default);
	err = ckpt_obj_add(ctx, ns, &ckpt_ipc_mq_ns_ops, &h->h.objref) ?:
	      ckpt_write_record(ctx, &h->h.h);
	kvfree(h);
	return err;
}

/**
 * ckpt_write_mqueues - write the POSIX message queues of an IPC namespace
 * @ctx:	checkpoint context, with its tasks held still
 * @ns:		the IPC namespace of the tasks if the image has it, or NULL
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_mqueues(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	struct ckpt_mq_names names = { };
	struct ckpt_mq_snap *snaps = NULL;
	unsigned int i, nr = 0;
	int err;

	if (!ns)
		return 0;
	err = ckpt_mq_list(ns, &names);
	if (err) {
		ckpt_err(ctx, err, "cannot list the POSIX message queues");
		goto out;
	}
	snaps = kvcalloc(names.nr, sizeof(*snaps), GFP_KERNEL);
	if (names.nr && !snaps) {
		err = -ENOMEM;
		goto out;
	}
	/* Copy them all first: the writes may fault and sleep on a pipe. */
	for (i = 0; i < names.nr && !err; i++) {
		err = ckpt_mq_snap(ctx, ns->mq_mnt->mnt_root, names.names[i],
				   &snaps[nr]);
		if (err <= 0)
			nr++;
		if (err > 0) {
			ckpt_mq_snap_free(&snaps[nr]);
			memset(&snaps[nr], 0, sizeof(snaps[nr]));
			err = 0;
		}
	}
	err = err ?: ckpt_mq_write_ns(ctx, ns);
	for (i = 0; i < nr && !err; i++)
		err = ckpt_mq_write(ctx, &snaps[i]);
out:
	for (i = 0; i < nr; i++)
		ckpt_mq_snap_free(&snaps[i]);
	kvfree(snaps);
	ckpt_mq_names_free(&names);
	return err;
}

/**
 * ckpt_mq_file_save - what names the queue of a descriptor in its record
 * @ctx:	checkpoint context
 * @file:	a descriptor of a queue (ckpt_file_mqueue())
 * @path:	"/name" of the queue, CKPT_MQ_NAME_LEN + 1 bytes
 * @ref:	the objref of the queue, or 0 for a queue of the caller's
 *		IPC namespace
 *
 * Return: 0 or a negative errno.
 */
int ckpt_mq_file_save(struct ckpt_ctx *ctx, struct file *file, char *path,
		      u32 *ref)
{
	struct dentry *dentry = file->f_path.dentry;
	struct inode *inode = file_inode(file);
	struct mqueue_inode_info *info = MQUEUE_I(inode);
	struct ipc_namespace *ns = READ_ONCE(inode->i_sb->s_fs_info);
	struct pid *owner;
	bool ours;

	snprintf(path, CKPT_MQ_NAME_LEN + 1, "/%pd", dentry);
	if (d_unlinked(dentry))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"a POSIX message queue unlinked while open (%s): not supported",
				path);
	/* What O_PATH opened, or one that sends SIGIO, is not a queue's use. */
	if (file->f_flags & (O_PATH | FASYNC))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"POSIX message queue %s open with O_PATH or O_ASYNC: not supported",
				path);
	if (ns && ns == ctx->ipc) {
		if (ckpt_obj_lookup(ctx, inode, &ckpt_ipc_mq_ops, ref))
			return ckpt_err(ctx, -EAGAIN,
					"POSIX message queue %s was made during the checkpoint: try again",
					path);
		return 0;
	}
	/*
	 * One reopened by name is opened in the IPC namespace of the
	 * restored tasks: the checkpointer's, unless they have their own.
	 */
	if (!ns || ns != current->nsproxy->ipc_ns || ctx->ipc)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"POSIX message queue %s of another IPC namespace than the tasks': not supported",
				path);
	/* Reopened by name: the registration would be lost with the tasks. */
	spin_lock(&info->lock);
	owner = info->notify_owner;
	if (owner && !ckpt_pid_saved(ctx, owner, PIDTYPE_TGID))
		owner = NULL;
	ours = !!owner;
	spin_unlock(&info->lock);
	if (ours)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"mq_notify() registration on %s, a queue of the checkpointer's IPC namespace: not supported",
				path);
	*ref = 0;
	return 0;
}

/* Restart: a queue made again, held open for reading and writing. */
struct ckpt_mq_obj {
	struct file *file;	/* NULL when only checking the image */
	char name[CKPT_MQ_NAME_LEN];
	pid_t notify_pid;
	int notify, signo;
	u32 notify_flags;
	u64 value;
};

/*
 * The queues come right after the SysV objects of an IPC namespace of
 * the image, or right after its record if it has none, before the
 * first task: the limits, then the queues in name order.
 */
static bool restore_mq_after_sysv(struct ckpt_ctx *ctx, u32 objref)
{
	if (objref == 1)
		return true;
#ifdef CONFIG_SYSVIPC
	if (ckpt_obj_peek(ctx, objref - 1, &ckpt_ipc_shm_ops) ||
	    ckpt_obj_peek(ctx, objref - 1, &ckpt_ipc_msg_ops) ||
	    ckpt_obj_peek(ctx, objref - 1, &ckpt_ipc_sem_ops))
		return true;
#endif
	return false;
}

static int restore_mq_place(struct ckpt_ctx *ctx, u32 objref, bool ns)
{
	if (ctx->cur_task || !ctx->ns || !(ctx->ns->flags & CKPT_NS_IPC))
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queues come right after an IPC namespace of the image");
	if (ns ? restore_mq_after_sysv(ctx, objref) :
	    objref > 1 && (ckpt_obj_peek(ctx, objref - 1, &ckpt_ipc_mq_ns_ops) ||
			   ckpt_obj_peek(ctx, objref - 1, &ckpt_ipc_mq_ops)))
		return 0;
	return ckpt_err(ctx, -EINVAL, "POSIX message queue %s out of place",
			ns ? "limits" : "record");
}

static void *ckpt_ipc_mq_ns_restore(struct ckpt_ctx *ctx,
				    struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_ipc_mq_ns *h =
		container_of(hdr, struct ckpt_hdr_ipc_mq_ns, h.h);
	struct ipc_namespace *ns;
	int err;

	err = restore_mq_place(ctx, h->h.objref, true);
	if (err)
		return ERR_PTR(err);
	if (h->queues_max > INT_MAX ||
	    h->msg_max < CKPT_MQ_MSG_MIN || h->msg_max > CKPT_MQ_MAXMSG_MAX ||
	    h->msg_default < CKPT_MQ_MSG_MIN ||
	    h->msg_default > CKPT_MQ_MAXMSG_MAX ||
	    h->msgsize_max < CKPT_MQ_MSGSIZE_MIN ||
	    h->msgsize_max > CKPT_MQ_MSGSIZE_MAX ||
	    h->msgsize_default < CKPT_MQ_MSGSIZE_MIN ||
	    h->msgsize_default > CKPT_MQ_MSGSIZE_MAX)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"POSIX message queue limits %u %u %u %u %u",
					h->queues_max, h->msg_max,
					h->msgsize_max, h->msg_default,
					h->msgsize_default));
	if (ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "mq_ns _pad"))
		return ERR_PTR(-EINVAL);
	if (!ckpt_restoring(ctx))
		return ZERO_SIZE_PTR;
	/*
	 * The namespace is the one the root just made: nothing else is in
	 * it yet.  Its sysctls are for its root to set (mq_permissions()),
	 * or for a caller who could raise the limits anyway; another may
	 * only lower them.
	 */
	ns = current->nsproxy->ipc_ns;
	if (!uid_eq(current_euid(), make_kuid(ns->user_ns, 0)) &&
	    !ns_capable(ns->user_ns, CAP_SYS_RESOURCE) &&
	    (h->queues_max > ns->mq_queues_max || h->msg_max > ns->mq_msg_max ||
	     h->msgsize_max > ns->mq_msgsize_max ||
	     h->msg_default > ns->mq_msg_default ||
	     h->msgsize_default > ns->mq_msgsize_default)) {
		ckpt_err(ctx, -EPERM,
			 "raising the POSIX message queue limits needs CAP_SYS_RESOURCE");
		return ERR_PTR(-EPERM);
	}
	ns->mq_queues_max = h->queues_max;
	ns->mq_msg_max = h->msg_max;
	ns->mq_msgsize_max = h->msgsize_max;
	ns->mq_msg_default = h->msg_default;
	ns->mq_msgsize_default = h->msgsize_default;
	return ZERO_SIZE_PTR;
}

const struct ckpt_obj_ops ckpt_ipc_mq_ns_ops = {
	.type = CKPT_HDR_IPC_MQ_NS,
	.name = "POSIX message queue limits",
	.min_len = sizeof(struct ckpt_hdr_ipc_mq_ns),
	.max_len = sizeof(struct ckpt_hdr_ipc_mq_ns),
	.grab = ckpt_obj_nop,
	.drop = ckpt_obj_nop,
	.restore = ckpt_ipc_mq_ns_restore,
	.release = ckpt_obj_nop,
};

/* A name mq_open(3) takes, without its '/'. */
static bool restore_mq_name_ok(const char *name, size_t size)
{
	size_t len = strnlen(name, size);

	return len && len < size && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..");
}

static int restore_check_mq(struct ckpt_ctx *ctx,
			    const struct ckpt_hdr_ipc_mq *h)
{
	struct user_namespace *uns = current_user_ns();
	const struct ckpt_mq_obj *prev;
	size_t len;
	int err;

	err = restore_mq_place(ctx, h->h.objref, false);
	if (err)
		return err;
	if (!restore_mq_name_ok(h->name, sizeof(h->name)))
		return ckpt_err(ctx, -EINVAL, "POSIX message queue name");
	len = strlen(h->name);
	err = ckpt_check_zero(ctx, h->name + len, sizeof(h->name) - len,
			      "mq name");
	if (err)
		return err;
	prev = ckpt_obj_peek(ctx, h->h.objref - 1, &ckpt_ipc_mq_ops);
	if (prev && strcmp(prev->name, h->name) >= 0)
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue /%s out of order", h->name);
	if (h->mode & ~S_IALLUGO ||
	    !uid_valid(make_kuid(uns, h->uid)) ||
	    !gid_valid(make_kgid(uns, h->gid)))
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue /%s: mode %#o, owner %u:%u",
				h->name, h->mode, h->uid, h->gid);
	/* As chown(2) and chmod(2) would let the caller, who makes it. */
	if ((!uid_eq(make_kuid(uns, h->uid), current_fsuid()) ||
	     !in_group_p(make_kgid(uns, h->gid))) && !ns_capable(uns, CAP_CHOWN))
		return ckpt_err(ctx, -EPERM,
				"POSIX message queue /%s: owner %u:%u, mode %#o: not the caller's",
				h->name, h->uid, h->gid, h->mode);
	if (h->maxmsg < 1 || h->maxmsg > CKPT_MQ_MAXMSG_MAX ||
	    h->msgsize < 1 || h->msgsize > CKPT_MQ_MSGSIZE_MAX ||
	    h->nr_msgs > h->maxmsg)
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue /%s: %u messages, maxmsg %lld, msgsize %lld",
				h->name, h->nr_msgs, h->maxmsg, h->msgsize);
	if (h->atime_nsec >= NSEC_PER_SEC || h->mtime_nsec >= NSEC_PER_SEC ||
	    h->ctime_nsec >= NSEC_PER_SEC)
		return ckpt_err(ctx, -EINVAL, "POSIX message queue /%s: times",
				h->name);
	if (h->notify_pid) {
		err = ckpt_check_pid_ref(ctx, h->notify_pid, false);
		if (err)
			return err;
		if ((h->notify != SIGEV_SIGNAL && h->notify != SIGEV_NONE) ||
		    (h->notify == SIGEV_SIGNAL && h->notify_signo &&
		     !valid_signal(h->notify_signo)) ||
		    (h->notify == SIGEV_NONE &&
		     (h->notify_signo || h->notify_value)) ||
		    h->notify_flags & ~CKPT_MQ_NOTIFY_STALE)
			err = -EINVAL;
	} else if (h->notify || h->notify_signo || h->notify_flags ||
		   h->notify_value) {
		err = -EINVAL;
	}
	if (err)
		return ckpt_err(ctx, err,
				"POSIX message queue /%s: notification %d, signal %d, flags %#x",
				h->name, h->notify, h->notify_signo,
				h->notify_flags);
	return ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "mq _pad");
}

/* Read the messages of a queue, checked, and queue them if @inode is set. */
static int restore_mq_msgs(struct ckpt_ctx *ctx,
			   const struct ckpt_hdr_ipc_mq *h, struct inode *inode)
{
	size_t max = min_t(size_t, h->msgsize, CKPT_MQ_MSG_MAX);
	u32 i;

	for (i = 0; i < h->nr_msgs; i++) {
		struct ckpt_hdr_ipc_mq_msg *m;
		struct msg_msg *msg;
		int err = 0;

		m = ckpt_read_record(ctx, CKPT_HDR_IPC_MQ_MSG, sizeof(*m),
				     sizeof(*m) + max);
		if (IS_ERR(m))
			return PTR_ERR(m);
		if (m->prio >= CKPT_MQ_PRIO_MAX || m->size > max ||
		    m->h.len != sizeof(*m) + m->size)
			err = ckpt_err(ctx, -EINVAL,
				       "POSIX message queue /%s: message of %u bytes, priority %u, in a record of %u",
				       h->name, m->size, m->prio, m->h.len);
		if (!err && inode) {
			msg = load_kernel_msg(m + 1, m->size);
			if (IS_ERR(msg)) {
				err = PTR_ERR(msg);
			} else {
				msg->m_type = m->prio;
				msg->m_ts = m->size;
				err = mq_restore_msg(inode, msg);
				if (err)
					free_msg(msg);
			}
		}
		kvfree(m);
		if (err)
			return err;
	}
	return 0;
}

/* Make the queue of @h in current's IPC namespace, the new one of the root. */
static struct file *restore_mq(struct ckpt_ctx *ctx,
			       const struct ckpt_hdr_ipc_mq *h)
{
	struct mq_attr attr = {
		.mq_maxmsg = h->maxmsg,
		.mq_msgsize = h->msgsize,
	};
	struct user_namespace *uns = current_user_ns();
	struct filename *name;
	struct inode *inode;
	struct file *file;
	int err;

	name = getname_kernel(h->name);
	if (IS_ERR(name))
		return ERR_CAST(name);
	file = mq_open_file(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	putname(name);
	if (IS_ERR(file)) {
		ckpt_err(ctx, PTR_ERR(file),
			 "cannot make POSIX message queue /%s", h->name);
		return file;
	}
	inode = file_inode(file);
	err = restore_mq_msgs(ctx, h, inode);
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	inode_lock(inode);
	inode->i_uid = make_kuid(uns, h->uid);
	inode->i_gid = make_kgid(uns, h->gid);
	inode->i_mode = S_IFREG | h->mode;
	inode_set_atime(inode, h->atime_sec, h->atime_nsec);
	inode_set_mtime(inode, h->mtime_sec, h->mtime_nsec);
	inode_set_ctime(inode, h->ctime_sec, h->ctime_nsec);
	inode_unlock(inode);
	return file;
}

static void ckpt_ipc_mq_release(void *ptr)
{
	struct ckpt_mq_obj *obj = ptr;

	if (obj->file)
		fput(obj->file);
	kfree(obj);
}

static void *ckpt_ipc_mq_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_ipc_mq *h = container_of(hdr, struct ckpt_hdr_ipc_mq,
						 h.h);
	struct ckpt_mq_obj *obj;
	struct file *file;
	int err;

	err = restore_check_mq(ctx, h);
	if (err)
		return ERR_PTR(err);
	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	strscpy(obj->name, h->name, sizeof(obj->name));
	obj->notify_pid = h->notify_pid;
	obj->notify = h->notify;
	obj->signo = h->notify_signo;
	obj->notify_flags = h->notify_flags;
	obj->value = h->notify_value;
	if (!ckpt_restoring(ctx)) {
		err = restore_mq_msgs(ctx, h, NULL);
		if (err) {
			kfree(obj);
			return ERR_PTR(err);
		}
		return obj;
	}
	file = restore_mq(ctx, h);
	if (IS_ERR(file)) {
		kfree(obj);
		return file;
	}
	obj->file = file;
	return obj;
}

/*
 * Register the process again with mq_notify(), now that it exists, as
 * it registered itself: in its user namespace, and with the exec count
 * it had then, so that a process that ran execve(2) since is still not
 * signalled.
 */
static int ckpt_ipc_mq_finish(struct ckpt_ctx *ctx, void *ptr)
{
	struct ckpt_mq_obj *obj = ptr;
	struct mqueue_inode_info *info;
	struct user_namespace *uns;
	struct task_struct *t;
	struct pid *pid;
	u32 exec_id;

	if (!obj->file || !obj->notify_pid)
		return 0;
	pid = ckpt_restore_pid(ctx, obj->notify_pid);
	if (IS_ERR(pid))
		return PTR_ERR(pid);
	rcu_read_lock();
	t = pid_task(pid, PIDTYPE_TGID);
	if (!t) {
		rcu_read_unlock();
		return ckpt_err(ctx, -ESRCH,
				"pid %d, registered on POSIX message queue /%s, is gone",
				obj->notify_pid, obj->name);
	}
	uns = get_user_ns(__task_cred(t)->user_ns);
	exec_id = t->self_exec_id;
	rcu_read_unlock();
	/* One behind: the count only grows, it never matches again. */
	if (obj->notify_flags & CKPT_MQ_NOTIFY_STALE)
		exec_id--;

	info = MQUEUE_I(file_inode(obj->file));
	spin_lock(&info->lock);
	if (info->notify_owner) {
		spin_unlock(&info->lock);
		put_user_ns(uns);
		return ckpt_err(ctx, -EBUSY,
				"POSIX message queue /%s: a registration was made meanwhile",
				obj->name);
	}
	info->notify.sigev_notify = obj->notify;
	info->notify.sigev_signo = obj->signo;
	info->notify.sigev_value.sival_ptr =
		(void __user *)(unsigned long)obj->value;
	info->notify_owner = get_pid(pid);
	info->notify_user_ns = uns;
	info->notify_self_exec_id = exec_id;
	spin_unlock(&info->lock);
	return 0;
}

static void ckpt_ipc_mq_grab(void *ptr)
{
	ihold(ptr);
}

static void ckpt_ipc_mq_drop(void *ptr)
{
	iput(ptr);
}

/* Written by ckpt_write_mqueues(), which copies it first: no ->checkpoint. */
const struct ckpt_obj_ops ckpt_ipc_mq_ops = {
	.type = CKPT_HDR_IPC_MQ,
	.name = "POSIX message queue",
	.min_len = sizeof(struct ckpt_hdr_ipc_mq),
	.max_len = sizeof(struct ckpt_hdr_ipc_mq),
	.grab = ckpt_ipc_mq_grab,
	.drop = ckpt_ipc_mq_drop,
	.restore = ckpt_ipc_mq_restore,
	.release = ckpt_ipc_mq_release,
	.finish = ckpt_ipc_mq_finish,
};

/**
 * restore_check_mq_file - check the record of a queue's descriptor
 * @ctx:	restart context
 * @h:		the record, of kind CKPT_FILE_MQUEUE
 *
 * Return: 0 or -EINVAL.
 */
int restore_check_mq_file(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *h)
{
	const char *path = (const char *)(h + 1);
	const struct ckpt_mq_obj *obj;

	if (h->h.h.len != sizeof(*h) + h->path_len || h->path_len < 3 ||
	    h->path_len > CKPT_MQ_NAME_LEN + 1 || path[0] != '/' ||
	    strnlen(path, h->path_len) != h->path_len - 1 ||
	    !restore_mq_name_ok(path + 1, h->path_len - 1))
		return ckpt_err(ctx, -EINVAL, "POSIX message queue name");
	if (h->f_flags & ~CKPT_MQ_FILE_FLAGS ||
	    (h->f_flags & O_ACCMODE) == O_ACCMODE)
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue %s: f_flags %#x", path,
				h->f_flags);
	if (h->pos < 0 || !S_ISREG(h->mode) || h->rdev)
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue %s: offset, mode or rdev",
				path);
	/* Tasks in an IPC namespace of the image have no other queues. */
	if (!h->mq_ref && ctx->ns && (ctx->ns->flags & CKPT_NS_IPC))
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue %s by name in an IPC namespace of the image",
				path);
	if (!h->mq_ref)
		return 0;
	obj = ckpt_obj_fetch(ctx, h->mq_ref, &ckpt_ipc_mq_ops, "mq_ref");
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (strcmp(obj->name, path + 1))
		return ckpt_err(ctx, -EINVAL,
				"a descriptor of POSIX message queue %s names /%s",
				path, obj->name);
	return 0;
}

/**
 * restore_mq_file - open a descriptor of a queue again
 * @ctx:	restart context, restoring
 * @h:		its record, which restore_check_mq_file() checked
 *
 * A queue of the image is the caller's, who made it: it is opened with
 * the access saved.  One of the caller's IPC namespace is opened by
 * name, as mq_open(3) would, and must be the queue saved.
 *
 * Return: the file, or an ERR_PTR().
 */
struct file *restore_mq_file(struct ckpt_ctx *ctx,
			     const struct ckpt_hdr_file *h)
{
	const char *path = (const char *)(h + 1);
	const struct ckpt_mq_obj *obj;
	struct filename *name;
	struct inode *inode;
	struct file *file;

	if (h->mq_ref) {
		obj = ckpt_obj_fetch(ctx, h->mq_ref, &ckpt_ipc_mq_ops, "mq_ref");
		if (IS_ERR(obj))
			return ERR_CAST(obj);
		file = dentry_open(&obj->file->f_path, h->f_flags,
				   current_cred());
		if (IS_ERR(file))
			ckpt_err(ctx, PTR_ERR(file), "cannot open %s", path);
		return file;
	}
	name = getname_kernel(path + 1);
	if (IS_ERR(name))
		return ERR_CAST(name);
	file = mq_open_file(name, h->f_flags, 0, NULL);
	putname(name);
	if (IS_ERR(file))
		return ERR_PTR(ckpt_err(ctx, PTR_ERR(file),
					"cannot open POSIX message queue %s",
					path));
	inode = file_inode(file);
	if (inode->i_ino != h->ino ||
	    new_encode_dev(inode->i_sb->s_dev) != h->dev) {
		fput(file);
		return ERR_PTR(ckpt_err(ctx, -ESTALE,
					"POSIX message queue %s is not the queue saved",
					path));
	}
	return file;
}
