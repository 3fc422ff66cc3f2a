// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of SysV IPC objects.
 *
 * The objects of an IPC namespace that the tasks of an image have of
 * their own (a container's) are saved right after the namespaces record,
 * shared memory segments, then message queues, then semaphore sets, each
 * kind in id order.  The root of a restart reads them just after it made
 * the new IPC namespace, before any task exists in it, and makes each
 * again with its id (as the kernel.*_next_id sysctls let CRIU do from
 * userspace), key, owner, permissions and times: a segment with its
 * pages, a queue with its messages, a set with its values.  Attachments
 * of segments are mappings of the tasks: mm/checkpoint.c saves each as a
 * CKPT_VMA_SYSVSHM mapping naming its segment, which restart attaches
 * again with shmat(2) at the same address.  The semaphore undo list of
 * a process is an object right before the task record of its leader,
 * which takes it on as it is restored; its threads, made with
 * CLONE_SYSVSEM, share it.
 *
 * A segment of huge pages (SHM_HUGETLB) is made again so, which takes
 * the rights shmget(2) asks for them (CAP_IPC_LOCK or the group of
 * vm.hugetlb_shm_group) and huge pages in the pool for all of it.
 *
 * Not saved: the pids of the last operations, locked (SHM_LOCK)
 * segments, attachments of segments and undo entries for sets of an IPC
 * namespace the image does not have.
 */

#include <linux/checkpoint.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/ipc_namespace.h>
#include <linux/list_sort.h>
#include <linux/mm.h>
#include <linux/msg.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/syscalls.h>
#include <uapi/linux/shm.h>

#include "util.h"

/*
 * Restart: what a restored object is known by.  The namespace is that
 * of the root, which made it; NULL when the image is only checked.
 */
struct ckpt_ipc_obj {
	struct ipc_namespace *ns;
	int id;
	u64 size;		/* of a segment */
	u32 nsems;		/* of a set */
	bool dest;		/* a segment to remove once attached */
	bool removed;
};

/* The order of the kinds in an image. */
static const int ckpt_ipc_order[] = { IPC_SHM_IDS, IPC_MSG_IDS, IPC_SEM_IDS };

static const char *const ckpt_ipc_kind[] = {
	[IPC_SHM_IDS] = "shared memory segment",
	[IPC_MSG_IDS] = "message queue",
	[IPC_SEM_IDS] = "semaphore set",
};

/*
 * Checkpoint side, in two passes for each kind.  The first copies every
 * object under the ids' rwsem, each under its own lock: the record and
 * what follows it (a queue's messages, a set's values; a segment's file,
 * with a reference, whose pages are read later).  The second puts them
 * in the table and writes them, without the rwsem, which a task that
 * detaches a segment takes under its mmap lock, which a page fault in
 * the write to a pipe may need.
 */
struct ckpt_ipc_snap {
	struct list_head list;
	struct ckpt_hdr_obj *h;		/* the record */
	void *data;			/* the records that follow it */
	size_t len;
	struct file *file;		/* a segment's, with a reference */
};

/* Why the first pass stopped: reported in the second. */
struct ckpt_ipc_refusal {
	int err;
	int kind, id;
	enum {
		CKPT_IPC_UNREADABLE,
		CKPT_IPC_SHM_LOCKED,
		CKPT_IPC_MSG_BIG,
		CKPT_IPC_MSG_OVER,
		CKPT_IPC_MSG_MANY,
		CKPT_IPC_SEM_MANY,
	} why;
	unsigned int n;
};

static int ckpt_ipc_refuse(struct ckpt_ipc_refusal *r, int why, int kind,
			   int id, unsigned int n)
{
	r->err = why == CKPT_IPC_UNREADABLE ? -EACCES : -EOPNOTSUPP;
	r->why = why;
	r->kind = kind;
	r->id = id;
	r->n = n;
	return r->err;
}

static int ckpt_ipc_report(struct ckpt_ctx *ctx,
			   const struct ckpt_ipc_refusal *r)
{
	static const char *const fmt[] = {
		[CKPT_IPC_UNREADABLE] = "no read permission on SysV %s %d",
		[CKPT_IPC_SHM_LOCKED] = "SysV %s %d is locked (SHM_LOCK): not supported",
		[CKPT_IPC_MSG_BIG] =
			"SysV %s %d holds a message of more than %u bytes: not supported",
		[CKPT_IPC_MSG_OVER] = "SysV %s %d holds more than its msg_qbytes: not supported",
		[CKPT_IPC_MSG_MANY] = "SysV %s %d holds %u messages: not supported",
		[CKPT_IPC_SEM_MANY] = "SysV %s %d has %u semaphores: not supported",
	};

	return ckpt_err(ctx, r->err, fmt[r->why], ckpt_ipc_kind[r->kind],
			r->id, r->n);
}

static void ckpt_ipc_snap_free(void *ptr)
{
	struct ckpt_ipc_snap *snap = ptr;

	if (snap->file)
		fput(snap->file);
	kvfree(snap->h);
	kvfree(snap->data);
	kfree(snap);
}

static struct ckpt_ipc_snap *ckpt_ipc_snap_alloc(size_t len, u32 type)
{
	struct ckpt_ipc_snap *snap = kzalloc(sizeof(*snap), GFP_KERNEL);

	if (!snap)
		return NULL;
	snap->h = ckpt_hdr_alloc(len, type);
	if (!snap->h) {
		kfree(snap);
		return NULL;
	}
	return snap;
}

/* Copy the common part of a locked object; false if it is unreadable. */
static bool ckpt_ipc_perm(struct ipc_namespace *ns, struct kern_ipc_perm *p,
			  struct ckpt_ipc_perm *h)
{
	struct user_namespace *uns = current_user_ns();

	h->id = p->id;
	h->key = p->key;
	h->uid = from_kuid_munged(uns, p->uid);
	h->gid = from_kgid_munged(uns, p->gid);
	h->cuid = from_kuid_munged(uns, p->cuid);
	h->cgid = from_kgid_munged(uns, p->cgid);
	h->mode = p->mode & 0777;
	/* As IPC_STAT: the checkpointer must be able to read it. */
	return !ipcperms(ns, p, 0444);
}

static int ckpt_snap_shm(struct ipc_namespace *ns, struct shmid_kernel *shp,
			 struct ckpt_ipc_snap *snap,
			 struct ckpt_ipc_refusal *r)
{
	struct ckpt_hdr_ipc_shm *h = (void *)snap->h;
	bool readable;
	int mode;

	ipc_lock_object(&shp->shm_perm);
	readable = ckpt_ipc_perm(ns, &shp->shm_perm, &h->perm);
	mode = shp->shm_perm.mode;
	h->size = shp->shm_segsz;
	h->atime = shp->shm_atim;
	h->dtime = shp->shm_dtim;
	h->ctime = shp->shm_ctim;
	snap->file = get_file(shp->shm_file);
	ipc_unlock_object(&shp->shm_perm);

	if (!readable)
		return ckpt_ipc_refuse(r, CKPT_IPC_UNREADABLE, IPC_SHM_IDS,
				       h->perm.id, 0);
	if (mode & SHM_LOCKED)
		return ckpt_ipc_refuse(r, CKPT_IPC_SHM_LOCKED, IPC_SHM_IDS,
				       h->perm.id, 0);
	if (is_file_hugepages(snap->file)) {
		h->flags |= CKPT_SHM_HUGETLB;
		h->huge_shift = huge_page_shift(hstate_file(snap->file));
	}
	if (mode & SHM_DEST)
		h->flags |= CKPT_SHM_DEST;
	return 0;
}

/*
 * The messages of a locked queue, each a CKPT_HDR_IPC_MSG_TEXT record,
 * into @buf of @size bytes.  Return: the bytes used, or -ENOSPC.
 */
static ssize_t ckpt_msg_texts(struct msg_queue *msq, void *buf, size_t size)
{
	struct msg_msg *msg;
	size_t pos = 0;

	list_for_each_entry(msg, &msq->q_messages, m_list) {
		struct ckpt_hdr_ipc_msg_text *t = buf + pos;
		size_t len = sizeof(*t) + msg->m_ts;

		if (ALIGN(len, CKPT_ALIGN) > size - pos)
			return -ENOSPC;
		memset(t, 0, ALIGN(len, CKPT_ALIGN));
		t->h.type = CKPT_HDR_IPC_MSG_TEXT;
		t->h.len = len;
		t->mtype = msg->m_type;
		t->size = msg->m_ts;
		store_kernel_msg(t + 1, msg, msg->m_ts);
		pos += ALIGN(len, CKPT_ALIGN);
	}
	return pos;
}

/* The room the texts of a locked queue need, or -E2BIG. */
static ssize_t ckpt_msg_room(struct msg_queue *msq)
{
	struct msg_msg *msg;
	size_t size = 0;

	list_for_each_entry(msg, &msq->q_messages, m_list) {
		if (msg->m_ts > CKPT_IPC_MSG_MAX)
			return -E2BIG;
		size += ALIGN(sizeof(struct ckpt_hdr_ipc_msg_text) + msg->m_ts,
			      CKPT_ALIGN);
	}
	return size;
}

static int ckpt_snap_msg(struct ipc_namespace *ns, struct msg_queue *msq,
			 struct ckpt_ipc_snap *snap,
			 struct ckpt_ipc_refusal *r)
{
	struct ckpt_hdr_ipc_msg *h = (void *)snap->h;
	int id = msq->q_perm.id;
	size_t cbytes;
	bool readable;
	ssize_t len;

	/* Size the copy, then take it; again if messages came meanwhile. */
	for (;;) {
		ipc_lock_object(&msq->q_perm);
		len = ckpt_msg_texts(msq, snap->data, snap->len);
		if (len >= 0)
			break;
		len = ckpt_msg_room(msq);
		ipc_unlock_object(&msq->q_perm);
		if (len < 0)
			return ckpt_ipc_refuse(r, CKPT_IPC_MSG_BIG, IPC_MSG_IDS,
					       id, CKPT_IPC_MSG_MAX);
		kvfree(snap->data);
		snap->len = 0;
		snap->data = kvmalloc(len, GFP_KERNEL);
		if (!snap->data)
			return -ENOMEM;
		snap->len = len;
	}
	readable = ckpt_ipc_perm(ns, &msq->q_perm, &h->perm);
	h->stime = msq->q_stime;
	h->rtime = msq->q_rtime;
	h->ctime = msq->q_ctime;
	h->qbytes = msq->q_qbytes;
	h->nr_msgs = msq->q_qnum;
	cbytes = msq->q_cbytes;
	ipc_unlock_object(&msq->q_perm);
	snap->len = len;

	if (!readable)
		return ckpt_ipc_refuse(r, CKPT_IPC_UNREADABLE, IPC_MSG_IDS, id, 0);
	if (cbytes > h->qbytes)
		return ckpt_ipc_refuse(r, CKPT_IPC_MSG_OVER, IPC_MSG_IDS, id, 0);
	if (h->nr_msgs > CKPT_IPC_MSGS_MAX)
		return ckpt_ipc_refuse(r, CKPT_IPC_MSG_MANY, IPC_MSG_IDS, id,
				       h->nr_msgs);
	return 0;
}

static int ckpt_snap_sem(struct ipc_namespace *ns, struct sem_array *sma,
			 struct ckpt_ipc_snap *snap,
			 struct ckpt_ipc_refusal *r)
{
	struct ckpt_hdr_ipc_sem *h = (void *)snap->h;
	u16 *vals = (u16 *)(h + 1);
	time64_t otime = 0;
	bool readable;
	int i;

	ipc_lock_object(&sma->sem_perm);
	readable = ckpt_ipc_perm(ns, &sma->sem_perm, &h->perm);
	for (i = 0; i < sma->sem_nsems; i++) {
		vals[i] = READ_ONCE(sma->sems[i].semval);
		otime = max(otime, READ_ONCE(sma->sems[i].sem_otime));
	}
	h->otime = otime;
	h->ctime = sma->sem_ctime;
	h->nsems = sma->sem_nsems;
	ipc_unlock_object(&sma->sem_perm);

	if (!readable)
		return ckpt_ipc_refuse(r, CKPT_IPC_UNREADABLE, IPC_SEM_IDS,
				       h->perm.id, 0);
	return 0;
}

static const u32 ckpt_ipc_type[] = {
	[IPC_SHM_IDS] = CKPT_HDR_IPC_SHM,
	[IPC_MSG_IDS] = CKPT_HDR_IPC_MSG,
	[IPC_SEM_IDS] = CKPT_HDR_IPC_SEM,
};

static const size_t ckpt_ipc_hlen[] = {
	[IPC_SHM_IDS] = sizeof(struct ckpt_hdr_ipc_shm),
	[IPC_MSG_IDS] = sizeof(struct ckpt_hdr_ipc_msg),
	[IPC_SEM_IDS] = sizeof(struct ckpt_hdr_ipc_sem),
};

/* Copy one object, whose ids' rwsem is held, to the end of @snaps. */
static int ckpt_snap_ipc(struct ipc_namespace *ns, int kind,
			 struct kern_ipc_perm *p, struct list_head *snaps,
			 struct ckpt_ipc_refusal *r)
{
	struct ckpt_ipc_snap *snap;
	size_t len = ckpt_ipc_hlen[kind];
	int nsems = 0, err;

	if (kind == IPC_SEM_IDS) {
		/* Fixed when the set is made. */
		nsems = container_of(p, struct sem_array, sem_perm)->sem_nsems;
		if (nsems > CKPT_IPC_SEMS_MAX)
			return ckpt_ipc_refuse(r, CKPT_IPC_SEM_MANY, kind, p->id,
					       nsems);
		len += nsems * sizeof(u16);
	}
	snap = ckpt_ipc_snap_alloc(len, ckpt_ipc_type[kind]);
	if (!snap)
		return -ENOMEM;
	list_add_tail(&snap->list, snaps);
	if (kind == IPC_SHM_IDS)
		err = ckpt_snap_shm(ns, container_of(p, struct shmid_kernel,
						     shm_perm), snap, r);
	else if (kind == IPC_MSG_IDS)
		err = ckpt_snap_msg(ns, container_of(p, struct msg_queue,
						     q_perm), snap, r);
	else
		err = ckpt_snap_sem(ns, container_of(p, struct sem_array,
						     sem_perm), snap, r);
	return err;
}

static const struct ckpt_obj_ops *const ckpt_ipc_ops[] = {
	[IPC_SHM_IDS] = &ckpt_ipc_shm_ops,
	[IPC_MSG_IDS] = &ckpt_ipc_msg_ops,
	[IPC_SEM_IDS] = &ckpt_ipc_sem_ops,
};

/*
 * Put one copied object in the table and write it.  A segment is known
 * by its file, which its mappings find it by, a queue or a set by its
 * copy, which the table then owns.
 */
static int ckpt_write_snap(struct ckpt_ctx *ctx, int kind,
			   struct ckpt_ipc_snap *snap)
{
	size_t pos = 0;
	int err;

	if (kind == IPC_SHM_IDS) {
		err = ckpt_obj_add(ctx, snap->file, &ckpt_ipc_shm_ops,
				   &snap->h->objref) ?:
		      ckpt_write_record(ctx, &snap->h->h) ?:
		      ckpt_write_shmem_pages(ctx, file_inode(snap->file));
		ckpt_ipc_snap_free(snap);
		return err;
	}
	err = ckpt_obj_add(ctx, snap, ckpt_ipc_ops[kind], &snap->h->objref);
	if (err) {
		ckpt_ipc_snap_free(snap);
		return err;
	}
	err = ckpt_write_record(ctx, &snap->h->h);
	while (!err && pos < snap->len) {
		struct ckpt_hdr *h = snap->data + pos;

		err = ckpt_write_record(ctx, h);
		pos += ALIGN(h->len, CKPT_ALIGN);
	}
	/* Only the address stays in the table. */
	kvfree(snap->data);
	snap->data = NULL;
	return err;
}

static int ckpt_ipc_snap_cmp(void *priv, const struct list_head *a,
			     const struct list_head *b)
{
	const struct ckpt_ipc_snap *sa = list_entry(a, struct ckpt_ipc_snap, list);
	const struct ckpt_ipc_snap *sb = list_entry(b, struct ckpt_ipc_snap, list);

	/* perm is the first field after the objref of each record. */
	return ((struct ckpt_hdr_ipc_shm *)sa->h)->perm.id -
	       ((struct ckpt_hdr_ipc_shm *)sb->h)->perm.id;
}

static int ckpt_write_ipc_kind(struct ckpt_ctx *ctx, struct ipc_namespace *ns,
			       int kind)
{
	struct ipc_ids *ids = &ns->ids[kind];
	struct ckpt_ipc_refusal r = { };
	struct ckpt_ipc_snap *snap, *tmp;
	struct kern_ipc_perm *p;
	LIST_HEAD(snaps);
	int idx, err = 0;

	down_read(&ids->rwsem);
	idr_for_each_entry(&ids->ipcs_idr, p, idx) {
		err = ckpt_snap_ipc(ns, kind, p, &snaps, &r);
		if (err)
			break;
	}
	up_read(&ids->rwsem);

	if (r.err)
		err = ckpt_ipc_report(ctx, &r);
	/* The idr is in index order; the image is in id order. */
	list_sort(NULL, &snaps, ckpt_ipc_snap_cmp);
	list_for_each_entry_safe(snap, tmp, &snaps, list) {
		list_del(&snap->list);
		if (err)
			ckpt_ipc_snap_free(snap);
		else
			err = ckpt_write_snap(ctx, kind, snap);
	}
	return err;
}

/*
 * Whether @t, held still, has undo entries.  A thread made with
 * CLONE_SYSVSEM, as pthread_create() does, has an undo list, empty
 * unless semop(2) with SEM_UNDO filled it; a zombie has none.
 */
static bool ckpt_sem_undoes(struct task_struct *t)
{
	struct sem_undo_list *ulp = READ_ONCE(t->sysvsem.undo_list);

	return ulp && !list_empty_careful(&ulp->list_proc);
}

/**
 * ckpt_write_ipc - check the tasks' SysV IPC state and write the objects
 * @ctx:	checkpoint context, with its tasks held still
 * @ns:		the IPC namespace of the tasks if the image has it, or NULL
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_ipc(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < ctx->nr_tasks; i++) {
		struct task_struct *t = ctx->tasks[i];
		pid_t pid = task_pid_nr_ns(t, ctx->root_pidns);

		if (!ckpt_sem_undoes(t) &&
		    (thread_group_leader(t) || !ckpt_sem_undoes(t->group_leader)))
			continue;
		if (!ns)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"pid %d has SysV semaphore undo entries for sets of the checkpointer's IPC namespace: not supported",
					pid);
		/* Restart makes threads with CLONE_SYSVSEM, as glibc does. */
		if (READ_ONCE(t->sysvsem.undo_list) !=
		    READ_ONCE(t->group_leader->sysvsem.undo_list))
			return ckpt_err(ctx, -EOPNOTSUPP,
					"pid %d: threads with SysV semaphore undo lists of their own: not supported",
					pid);
	}
	if (!ns)
		return 0;
	for (i = 0; i < ARRAY_SIZE(ckpt_ipc_order) && !err; i++)
		err = ckpt_write_ipc_kind(ctx, ns, ckpt_ipc_order[i]);
	return err;
}

/* One set's adjustments, copied from an undo list. */
struct ckpt_undo_copy {
	int semid;
	u32 nsems;
	s16 *adj;
};

static int ckpt_undo_cmp(const void *a, const void *b)
{
	const struct ckpt_undo_copy *ua = a, *ub = b;

	return ua->semid - ub->semid;
}

/*
 * Copy the entries of @ulp for sets that still exist into @ents, or count
 * them: the number of entries and of adjustments.
 */
static void ckpt_undo_scan(struct ipc_namespace *ns, struct sem_undo_list *ulp,
			   struct ckpt_undo_copy *ents, s16 *adj,
			   unsigned int *nr, size_t *nr_adj)
{
	struct sem_undo *un;
	unsigned int n = 0;
	size_t total = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(un, &ulp->list_proc, list_proc) {
		int semid = READ_ONCE(un->semid);
		struct kern_ipc_perm *p;
		u32 nsems;

		if (semid < 0)
			continue;
		p = ipc_obtain_object_check(&ns->ids[IPC_SEM_IDS], semid);
		if (IS_ERR(p))
			continue;
		nsems = container_of(p, struct sem_array, sem_perm)->sem_nsems;
		if (ents && (n == *nr || total + nsems > *nr_adj))
			break;
		if (ents) {
			ents[n].semid = semid;
			ents[n].nsems = nsems;
			ents[n].adj = adj + total;
			memcpy(adj + total, un->semadj, nsems * sizeof(*adj));
		}
		n++;
		total += nsems;
	}
	rcu_read_unlock();
	*nr = n;
	*nr_adj = total;
}

static int ckpt_write_undo_copy(struct ckpt_ctx *ctx, struct sem_undo_list *ulp,
				const struct ckpt_undo_copy *ents, unsigned int nr)
{
	struct ckpt_hdr_ipc_sem_undo h = {
		.h.h.type = CKPT_HDR_IPC_SEM_UNDO,
		.h.h.len = sizeof(h),
		.nr_sets = nr,
	};
	struct ckpt_hdr_ipc_sem_adj *a;
	unsigned int i;
	int err;

	a = ckpt_hdr_alloc(sizeof(*a) + CKPT_IPC_SEMS_MAX * sizeof(s16),
			   CKPT_HDR_IPC_SEM_ADJ);
	if (!a)
		return -ENOMEM;
	err = ckpt_obj_add(ctx, ulp, &ckpt_ipc_undo_ops, &h.h.objref) ?:
	      ckpt_write_record(ctx, &h.h.h);
	for (i = 0; i < nr && !err; i++) {
		a->h.len = sizeof(*a) + ents[i].nsems * sizeof(s16);
		a->semid = ents[i].semid;
		a->nsems = ents[i].nsems;
		memcpy(a + 1, ents[i].adj, ents[i].nsems * sizeof(s16));
		err = ckpt_write_record(ctx, &a->h);
	}
	kvfree(a);
	return err;
}

/**
 * ckpt_write_sem_undo - write the semaphore undo list of a process
 * @ctx:	checkpoint context, whose IPC objects are written
 * @t:		the leader of the process, held still
 *
 * Its threads share it (ckpt_write_ipc() checked).  Entries of sets
 * removed since are left out.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_sem_undo(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct sem_undo_list *ulp = READ_ONCE(t->sysvsem.undo_list);
	struct ckpt_undo_copy *ents = NULL;
	struct ipc_namespace *ns;
	unsigned int nr, got;
	size_t nr_adj, adj_got;
	s16 *adj = NULL;
	int err, tries;

	if (!ckpt_sem_undoes(t))
		return 0;
	task_lock(t);
	ns = t->nsproxy ? t->nsproxy->ipc_ns : NULL;
	task_unlock(t);
	if (!ns)
		return 0;

	/* Only its frozen threads or a removal change it: a few tries. */
	for (tries = 0; tries < 3; tries++) {
		ckpt_undo_scan(ns, ulp, NULL, NULL, &nr, &nr_adj);
		if (!nr)
			return 0;
		err = -E2BIG;
		if (nr > CKPT_IPC_UNDO_SETS_MAX)
			break;
		err = -ENOMEM;
		ents = kvmalloc_array(nr, sizeof(*ents), GFP_KERNEL);
		adj = kvmalloc_array(nr_adj, sizeof(*adj), GFP_KERNEL);
		if (!ents || !adj)
			break;
		got = nr;
		adj_got = nr_adj;
		ckpt_undo_scan(ns, ulp, ents, adj, &got, &adj_got);
		if (got == nr && adj_got == nr_adj)
			break;
		err = -EAGAIN;
		kvfree(ents);
		kvfree(adj);
		ents = NULL;
		adj = NULL;
	}
	if (ents && adj) {
		sort(ents, nr, sizeof(*ents), ckpt_undo_cmp, NULL);
		err = ckpt_write_undo_copy(ctx, ulp, ents, nr);
	} else if (err == -E2BIG || err == -EAGAIN) {
		err = ckpt_err(ctx, err == -E2BIG ? -EOPNOTSUPP : -EAGAIN,
			       "pid %d: SysV semaphore undo list of %u sets: not saved",
			       task_pid_nr_ns(t, ctx->root_pidns), nr);
	}
	kvfree(ents);
	kvfree(adj);
	return err;
}

/**
 * ckpt_file_sysvshm - whether a file is that of a shmat(2) mapping
 * @file:	the file of a mapping
 *
 * Return: true if it is.
 */
bool ckpt_file_sysvshm(struct file *file)
{
	return is_file_shm(file);
}

/**
 * ckpt_sysvshm_vma - the segment a mapping attaches
 * @ctx:	checkpoint context
 * @file:	the mapping's file, which ckpt_file_sysvshm() took
 * @start:	start of the mapping
 * @end:	its end
 * @pgoff:	its offset in the segment, in pages
 * @vm_flags:	its flags
 * @objref:	set to the segment's objref
 *
 * Only a whole attachment, as shmat(2) made it, of a segment saved with
 * its IPC namespace, can be made again.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_sysvshm_vma(struct ckpt_ctx *ctx, struct file *file,
		     unsigned long start, unsigned long end,
		     unsigned long pgoff, unsigned long vm_flags, u32 *objref)
{
	struct shm_file_data *sfd = shm_file_data(file);
	u64 size = i_size_read(file_inode(sfd->file));

	if (ckpt_obj_lookup(ctx, sfd->file, &ckpt_ipc_shm_ops, objref))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"SysV shared memory segment %d at %#lx: only saved with an IPC namespace of the container",
				sfd->id, start);
	if (pgoff || end - start != PAGE_ALIGN(size) ||
	    !(vm_flags & VM_READ) || (vm_flags & VM_LOCKED) ||
	    !(vm_flags & VM_WRITE) != !(vm_flags & VM_MAYWRITE))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"SysV shared memory segment %d at %#lx is partly mapped, mprotect()ed or locked: not supported",
				sfd->id, start);
	return 0;
}

/* Restart side. */

/*
 * The objects come right after an IPC namespace of the image, before
 * the first task: by kind, in the order of ckpt_ipc_ops, then by id.
 */
static int restore_check_ipc_place(struct ckpt_ctx *ctx, u32 objref,
				   int kind, int id)
{
	struct ckpt_ipc_obj *prev = NULL;
	int k, rank = 0;

	if (ctx->cur_task || !ctx->ns || !(ctx->ns->flags & CKPT_NS_IPC))
		return ckpt_err(ctx, -EINVAL,
				"SysV IPC objects come right after an IPC namespace of the image");
	if (objref == 1)
		return 0;
	while (ckpt_ipc_order[rank] != kind)
		rank++;
	for (k = 0; k < ARRAY_SIZE(ckpt_ipc_order) && !prev; k++)
		prev = ckpt_obj_peek(ctx, objref - 1,
				     ckpt_ipc_ops[ckpt_ipc_order[k]]);
	if (!prev)
		return ckpt_err(ctx, -EINVAL,
				"SysV IPC objects come right after an IPC namespace of the image");
	/* k - 1 is the rank of the kind before. */
	if (k - 1 > rank || (k - 1 == rank && prev->id >= id))
		return ckpt_err(ctx, -EINVAL, "SysV %s %d out of order",
				ckpt_ipc_kind[kind], id);
	return 0;
}

struct ckpt_ipc_ids {
	kuid_t uid, cuid;
	kgid_t gid, cgid;
};

static int restore_check_ipc_perm(struct ckpt_ctx *ctx, u32 objref, int kind,
				  const struct ckpt_ipc_perm *p,
				  struct ckpt_ipc_ids *ids)
{
	struct user_namespace *uns = current_user_ns();

	if (p->id < 0)
		return ckpt_err(ctx, -EINVAL, "SysV %s id %d",
				ckpt_ipc_kind[kind], p->id);
	if (p->mode & ~0777)
		return ckpt_err(ctx, -EINVAL, "SysV %s %d: mode %#o",
				ckpt_ipc_kind[kind], p->id, p->mode);
	if (ckpt_check_zero(ctx, &p->_pad, sizeof(p->_pad), "ipc _pad"))
		return -EINVAL;
	ids->uid = make_kuid(uns, p->uid);
	ids->gid = make_kgid(uns, p->gid);
	ids->cuid = make_kuid(uns, p->cuid);
	ids->cgid = make_kgid(uns, p->cgid);
	if (!uid_valid(ids->uid) || !gid_valid(ids->gid) ||
	    !uid_valid(ids->cuid) || !gid_valid(ids->cgid))
		return ckpt_err(ctx, -EINVAL,
				"SysV %s %d: owner or creator %u:%u %u:%u",
				ckpt_ipc_kind[kind], p->id, p->uid, p->gid,
				p->cuid, p->cgid);
	return restore_check_ipc_place(ctx, objref, kind, p->id);
}

/*
 * Make an object with the id and key of @p in current's IPC namespace,
 * the new one of the root; @get is shmget(2), msgget(2) or semget(2)
 * with its size argument bound.  Return: 0 or a negative errno.
 */
static int restore_ipc_make(struct ckpt_ctx *ctx, int kind,
			    const struct ckpt_ipc_perm *p, long made)
{
	if (made == p->id)
		return 0;
	if (made >= 0)
		return ckpt_err(ctx, -EBUSY, "SysV %s %d was made with id %ld",
				ckpt_ipc_kind[kind], p->id, made);
	return ckpt_err(ctx, made, "cannot make SysV %s %d",
			ckpt_ipc_kind[kind], p->id);
}

static void restore_ipc_set_next(struct ipc_namespace *ns, int kind, int id)
{
	/* Only the root is in the namespace yet: nobody else makes objects. */
	ns->ids[kind].next_id = id;
}

static void restore_ipc_perm(struct kern_ipc_perm *perm,
			     const struct ckpt_ipc_perm *p,
			     const struct ckpt_ipc_ids *ids)
{
	perm->uid = ids->uid;
	perm->gid = ids->gid;
	perm->cuid = ids->cuid;
	perm->cgid = ids->cgid;
	perm->mode = (perm->mode & ~0777) | p->mode;
}

static struct ckpt_ipc_obj *restore_ipc_obj(struct ckpt_ctx *ctx, int id)
{
	struct ckpt_ipc_obj *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return NULL;
	obj->id = id;
	if (ckpt_restoring(ctx))
		obj->ns = get_ipc_ns(current->nsproxy->ipc_ns);
	return obj;
}

/*
 * Mark a segment removed, as IPC_RMID does while it is attached: its key
 * is gone, and it goes at its last detach.  One that nothing attached
 * (its mappings were not in the image) stays until its namespace goes.
 */
static void restore_shm_rmid(struct ckpt_ipc_obj *obj)
{
	struct ipc_ids *ids = &obj->ns->ids[IPC_SHM_IDS];
	struct kern_ipc_perm *ipcp;

	down_write(&ids->rwsem);
	rcu_read_lock();
	ipcp = ipc_obtain_object_check(ids, obj->id);
	if (!IS_ERR(ipcp)) {
		ipc_lock_object(ipcp);
		ipcp->mode |= SHM_DEST;
		ipc_set_key_private(ids, ipcp);
		ipc_unlock_object(ipcp);
	}
	rcu_read_unlock();
	up_write(&ids->rwsem);
	obj->removed = true;
}

static void ckpt_ipc_release(void *ptr)
{
	struct ckpt_ipc_obj *obj = ptr;

	if (obj->ns && obj->dest && !obj->removed)
		restore_shm_rmid(obj);
	if (obj->ns)
		put_ipc_ns(obj->ns);
	kfree(obj);
}

/* Make the segment of @h in current's IPC namespace and fill it. */
static int restore_shm(struct ckpt_ctx *ctx, const struct ckpt_hdr_ipc_shm *h,
		       const struct ckpt_ipc_ids *ids, struct ckpt_ipc_obj *obj)
{
	struct ipc_namespace *ns = obj->ns;
	struct kern_ipc_perm *ipcp;
	int shmflg = IPC_CREAT | IPC_EXCL | 0600;
	struct shmid_kernel *shp;
	struct file *file;
	long made;
	int err;

	if (h->flags & CKPT_SHM_HUGETLB)
		shmflg |= SHM_HUGETLB | h->huge_shift << SHM_HUGE_SHIFT;
	restore_ipc_set_next(ns, IPC_SHM_IDS, h->perm.id);
	made = ksys_shmget(h->perm.key, h->size, shmflg);
	err = restore_ipc_make(ctx, IPC_SHM_IDS, &h->perm, made);
	if (err)
		return err;

	rcu_read_lock();
	ipcp = ipc_obtain_object_check(&ns->ids[IPC_SHM_IDS], h->perm.id);
	if (IS_ERR(ipcp)) {
		rcu_read_unlock();
		return PTR_ERR(ipcp);
	}
	shp = container_of(ipcp, struct shmid_kernel, shm_perm);
	ipc_lock_object(ipcp);
	restore_ipc_perm(ipcp, &h->perm, ids);
	shp->shm_atim = h->atime;
	shp->shm_dtim = h->dtime;
	shp->shm_ctim = h->ctime;
	file = get_file(shp->shm_file);
	ipc_unlock_object(ipcp);
	rcu_read_unlock();

	err = restore_shmem_contents(ctx, file, obj->size);
	fput(file);
	return err;
}

static void *ckpt_ipc_shm_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_ipc_shm *h = container_of(hdr, struct ckpt_hdr_ipc_shm,
						  h.h);
	struct ckpt_ipc_obj *obj;
	struct ckpt_ipc_ids ids;
	int err;

	err = restore_check_ipc_perm(ctx, h->h.objref, IPC_SHM_IDS, &h->perm,
				     &ids);
	if (err)
		return ERR_PTR(err);
	if (!h->size || h->size > CKPT_IPC_SHM_SIZE_MAX)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"SysV shared memory segment %d of %llu bytes",
					h->perm.id, h->size));
	if (h->flags & ~(CKPT_SHM_DEST | CKPT_SHM_HUGETLB) ||
	    (h->flags & CKPT_SHM_HUGETLB ?
	     h->huge_shift <= PAGE_SHIFT || h->huge_shift >= 48 ||
	     !size_to_hstate(1UL << h->huge_shift) : h->huge_shift))
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"SysV shared memory segment %d: flags %#x, huge_shift %u",
					h->perm.id, h->flags, h->huge_shift));
	if ((h->flags & CKPT_SHM_DEST) && h->perm.key != IPC_PRIVATE)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"a removed segment has key %d",
					h->perm.key));

	obj = restore_ipc_obj(ctx, h->perm.id);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	/* What is mapped, and may hold pages: whole huge pages. */
	obj->size = h->flags & CKPT_SHM_HUGETLB ?
		    round_up(h->size, 1ULL << h->huge_shift) : h->size;
	obj->dest = h->flags & CKPT_SHM_DEST;
	err = obj->ns ? restore_shm(ctx, h, &ids, obj) :
			restore_shmem_contents(ctx, NULL, obj->size);
	if (err) {
		/* Not made, or the namespace takes it away with the rest. */
		obj->dest = false;
		ckpt_ipc_release(obj);
		return ERR_PTR(err);
	}
	return obj;
}

/**
 * restore_check_sysvshm - check a mapping of a SysV shared memory segment
 * @ctx:	restart context
 * @shm_ref:	the objref it names
 * @start:	start of the mapping
 * @end:	its end
 * @flags:	its CKPT_VMA_* flags
 *
 * Return: 0 or a negative errno.
 */
int restore_check_sysvshm(struct ckpt_ctx *ctx, u32 shm_ref, u64 start,
			  u64 end, u32 flags)
{
	struct ckpt_ipc_obj *obj;

	if (!(flags & CKPT_VMA_READ) || !(flags & CKPT_VMA_MAYREAD) ||
	    !(flags & CKPT_VMA_WRITE) != !(flags & CKPT_VMA_MAYWRITE) ||
	    (flags & (CKPT_VMA_GROWSDOWN | CKPT_VMA_LOCKED)))
		return ckpt_err(ctx, -EINVAL,
				"SysV shared memory mapping with flags %#x", flags);
	obj = ckpt_obj_fetch(ctx, shm_ref, &ckpt_ipc_shm_ops, "shmem_ref");
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (end - start != PAGE_ALIGN(obj->size))
		return ckpt_err(ctx, -EINVAL,
				"mapping of %#llx bytes of a segment of %llu",
				end - start, obj->size);
	return 0;
}

/**
 * restore_sysvshm - attach a SysV shared memory segment again
 * @ctx:	restart context
 * @shm_ref:	the objref of the segment, which restore_check_sysvshm()
 *		accepted
 * @start:	where
 * @flags:	CKPT_VMA_* flags of the mapping
 *
 * As shmat(2) at @start, in current's mm.  A segment removed before the
 * checkpoint is removed again once attached: it then stays only for its
 * mappings, and the tasks that attach it next find it by its id, as
 * Linux allows.
 *
 * Return: 0 or a negative errno.
 */
int restore_sysvshm(struct ckpt_ctx *ctx, u32 shm_ref, u64 start, u32 flags)
{
	struct ckpt_ipc_obj *obj;
	unsigned long addr;
	int shmflg = 0;
	long err;

	obj = ckpt_obj_fetch(ctx, shm_ref, &ckpt_ipc_shm_ops, "shmem_ref");
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (!(flags & CKPT_VMA_MAYWRITE))
		shmflg |= SHM_RDONLY;
	if (flags & CKPT_VMA_EXEC)
		shmflg |= SHM_EXEC;
	if (obj->ns != current->nsproxy->ipc_ns)
		return ckpt_err(ctx, -EINVAL,
				"SysV shared memory segment %d mapped outside its IPC namespace",
				obj->id);
	err = do_shmat(obj->id, (char __user *)start, shmflg, &addr, SHMLBA);
	if (err)
		return ckpt_err(ctx, err,
				"cannot attach SysV shared memory segment %d at %#llx",
				obj->id, start);
	if (addr != start)
		return ckpt_err(ctx, -EINVAL,
				"SysV shared memory segment %d was attached at %#lx",
				obj->id, addr);
	if (obj->dest && !obj->removed)
		restore_shm_rmid(obj);
	return 0;
}

static void ckpt_ipc_shm_grab(void *ptr)
{
	get_file(ptr);
}

static void ckpt_ipc_shm_drop(void *ptr)
{
	fput(ptr);
}

/* Written by ckpt_write_shm(), which finds it locked: no ->checkpoint. */
const struct ckpt_obj_ops ckpt_ipc_shm_ops = {
	.type = CKPT_HDR_IPC_SHM,
	.name = "SysV shared memory segment",
	.min_len = sizeof(struct ckpt_hdr_ipc_shm),
	.max_len = sizeof(struct ckpt_hdr_ipc_shm),
	.grab = ckpt_ipc_shm_grab,
	.drop = ckpt_ipc_shm_drop,
	.restore = ckpt_ipc_shm_restore,
	.release = ckpt_ipc_release,
};

/*
 * Read the messages of a queue, checked, and make them if @msgs is not
 * NULL: on that list, in order.
 */
static int restore_msg_texts(struct ckpt_ctx *ctx,
			     const struct ckpt_hdr_ipc_msg *h,
			     struct list_head *msgs, size_t *bytes)
{
	u64 total = 0;
	u32 i;

	for (i = 0; i < h->nr_msgs; i++) {
		struct ckpt_hdr_ipc_msg_text *t;
		struct msg_msg *msg;
		int err = -EINVAL;

		t = ckpt_read_record(ctx, CKPT_HDR_IPC_MSG_TEXT, sizeof(*t),
				     sizeof(*t) + CKPT_IPC_MSG_MAX);
		if (IS_ERR(t))
			return PTR_ERR(t);
		total += t->size;
		if (t->mtype < 1)
			ckpt_err(ctx, err, "message type %lld", t->mtype);
		else if (t->size > CKPT_IPC_MSG_MAX ||
			 t->h.len != sizeof(*t) + t->size)
			ckpt_err(ctx, err, "message of %u bytes in a record of %u",
				 t->size, t->h.len);
		else
			err = ckpt_check_zero(ctx, &t->_pad, sizeof(t->_pad),
					      "message _pad");
		if (!err && total > h->qbytes)
			err = ckpt_err(ctx, -EINVAL,
				       "messages of %llu bytes exceed qbytes %llu",
				       total, h->qbytes);
		if (!err && msgs) {
			msg = load_kernel_msg(t + 1, t->size);
			if (IS_ERR(msg)) {
				err = PTR_ERR(msg);
			} else {
				msg->m_type = t->mtype;
				msg->m_ts = t->size;
				list_add_tail(&msg->m_list, msgs);
			}
		}
		kvfree(t);
		if (err)
			return err;
	}
	*bytes = total;
	return 0;
}

static int restore_msg(struct ckpt_ctx *ctx, const struct ckpt_hdr_ipc_msg *h,
		       const struct ckpt_ipc_ids *ids, struct ckpt_ipc_obj *obj)
{
	struct ipc_namespace *ns = obj->ns;
	struct kern_ipc_perm *ipcp;
	struct msg_queue *msq;
	struct msg_msg *msg, *tmp;
	LIST_HEAD(msgs);
	size_t bytes;
	long made;
	int err;

	if (h->qbytes > ns->msg_ctlmnb && !capable(CAP_SYS_RESOURCE))
		return ckpt_err(ctx, -EPERM,
				"SysV message queue %d: qbytes %llu needs CAP_SYS_RESOURCE",
				h->perm.id, h->qbytes);
	restore_ipc_set_next(ns, IPC_MSG_IDS, h->perm.id);
	made = ksys_msgget(h->perm.key, IPC_CREAT | IPC_EXCL | 0600);
	err = restore_ipc_make(ctx, IPC_MSG_IDS, &h->perm, made) ?:
	      restore_msg_texts(ctx, h, &msgs, &bytes);
	if (err)
		goto out;

	rcu_read_lock();
	ipcp = ipc_obtain_object_check(&ns->ids[IPC_MSG_IDS], h->perm.id);
	if (IS_ERR(ipcp)) {
		rcu_read_unlock();
		err = PTR_ERR(ipcp);
		goto out;
	}
	msq = container_of(ipcp, struct msg_queue, q_perm);
	ipc_lock_object(ipcp);
	restore_ipc_perm(ipcp, &h->perm, ids);
	msq->q_stime = h->stime;
	msq->q_rtime = h->rtime;
	msq->q_ctime = h->ctime;
	msq->q_qbytes = h->qbytes;
	list_splice_tail_init(&msgs, &msq->q_messages);
	msq->q_cbytes = bytes;
	msq->q_qnum = h->nr_msgs;
	percpu_counter_add_local(&ns->percpu_msg_bytes, bytes);
	percpu_counter_add_local(&ns->percpu_msg_hdrs, h->nr_msgs);
	ipc_unlock_object(ipcp);
	rcu_read_unlock();
out:
	list_for_each_entry_safe(msg, tmp, &msgs, m_list)
		free_msg(msg);
	return err;
}

static void *ckpt_ipc_msg_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_ipc_msg *h = container_of(hdr, struct ckpt_hdr_ipc_msg,
						  h.h);
	struct ckpt_ipc_obj *obj;
	struct ckpt_ipc_ids ids;
	size_t bytes;
	int err;

	err = restore_check_ipc_perm(ctx, h->h.objref, IPC_MSG_IDS, &h->perm,
				     &ids);
	if (err)
		return ERR_PTR(err);
	if (h->qbytes > INT_MAX)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"SysV message queue %d: qbytes %llu",
					h->perm.id, h->qbytes));
	if (h->nr_msgs > CKPT_IPC_MSGS_MAX)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"SysV message queue %d: %u messages",
					h->perm.id, h->nr_msgs));
	if (ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "msg _pad"))
		return ERR_PTR(-EINVAL);

	obj = restore_ipc_obj(ctx, h->perm.id);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	err = obj->ns ? restore_msg(ctx, h, &ids, obj) :
			restore_msg_texts(ctx, h, NULL, &bytes);
	if (err) {
		ckpt_ipc_release(obj);
		return ERR_PTR(err);
	}
	return obj;
}

static void ckpt_ipc_snap_grab(void *ptr)
{
}

const struct ckpt_obj_ops ckpt_ipc_msg_ops = {
	.type = CKPT_HDR_IPC_MSG,
	.name = "SysV message queue",
	.min_len = sizeof(struct ckpt_hdr_ipc_msg),
	.max_len = sizeof(struct ckpt_hdr_ipc_msg),
	.grab = ckpt_ipc_snap_grab,
	.drop = ckpt_ipc_snap_free,
	.restore = ckpt_ipc_msg_restore,
	.release = ckpt_ipc_release,
};

static int restore_sem(struct ckpt_ctx *ctx, const struct ckpt_hdr_ipc_sem *h,
		       const struct ckpt_ipc_ids *ids, struct ckpt_ipc_obj *obj)
{
	const u16 *vals = (const u16 *)(h + 1);
	struct ipc_namespace *ns = obj->ns;
	struct kern_ipc_perm *ipcp;
	struct sem_array *sma;
	long made;
	u32 i;
	int err;

	restore_ipc_set_next(ns, IPC_SEM_IDS, h->perm.id);
	made = ksys_semget(h->perm.key, h->nsems, IPC_CREAT | IPC_EXCL | 0600);
	err = restore_ipc_make(ctx, IPC_SEM_IDS, &h->perm, made);
	if (err)
		return err;

	rcu_read_lock();
	ipcp = ipc_obtain_object_check(&ns->ids[IPC_SEM_IDS], h->perm.id);
	if (IS_ERR(ipcp)) {
		rcu_read_unlock();
		return PTR_ERR(ipcp);
	}
	sma = container_of(ipcp, struct sem_array, sem_perm);
	/* A new set takes the global lock for every operation. */
	ipc_lock_object(ipcp);
	restore_ipc_perm(ipcp, &h->perm, ids);
	for (i = 0; i < h->nsems; i++)
		sma->sems[i].semval = vals[i];
	sma->sems[0].sem_otime = h->otime;
	sma->sem_ctime = h->ctime;
	ipc_unlock_object(ipcp);
	rcu_read_unlock();
	return 0;
}

static void *ckpt_ipc_sem_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_ipc_sem *h = container_of(hdr, struct ckpt_hdr_ipc_sem,
						  h.h);
	const u16 *vals = (const u16 *)(h + 1);
	struct ckpt_ipc_obj *obj;
	struct ckpt_ipc_ids ids;
	u32 i;
	int err;

	err = restore_check_ipc_perm(ctx, h->h.objref, IPC_SEM_IDS, &h->perm,
				     &ids);
	if (err)
		return ERR_PTR(err);
	if (!h->nsems || h->nsems > CKPT_IPC_SEMS_MAX)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"SysV semaphore set %d: %u semaphores",
					h->perm.id, h->nsems));
	if (h->h.h.len != sizeof(*h) + h->nsems * sizeof(*vals))
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"SysV semaphore set %d: length %u for %u semaphores",
					h->perm.id, h->h.h.len, h->nsems));
	for (i = 0; i < h->nsems; i++)
		if (vals[i] > SEMVMX)
			return ERR_PTR(ckpt_err(ctx, -ERANGE,
						"semaphore %u value %u", i,
						vals[i]));
	if (ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "sem _pad"))
		return ERR_PTR(-EINVAL);

	obj = restore_ipc_obj(ctx, h->perm.id);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->nsems = h->nsems;
	err = obj->ns ? restore_sem(ctx, h, &ids, obj) : 0;
	if (err) {
		ckpt_ipc_release(obj);
		return ERR_PTR(err);
	}
	return obj;
}

/* The set of id @semid of the image, or NULL. */
static struct ckpt_ipc_obj *restore_find_sem(struct ckpt_ctx *ctx, int semid)
{
	struct ckpt_ipc_obj *obj;
	u32 ref;
	int k;

	/* The IPC objects are the first of the image. */
	for (ref = 1; ; ref++) {
		for (k = 0, obj = NULL; k < ARRAY_SIZE(ckpt_ipc_order) && !obj; k++)
			obj = ckpt_obj_peek(ctx, ref, ckpt_ipc_ops[ckpt_ipc_order[k]]);
		if (!obj)
			return NULL;
		if (ckpt_ipc_order[k - 1] == IPC_SEM_IDS && obj->id == semid)
			return obj;
	}
}

static int restore_sem_adj(struct ckpt_ctx *ctx, int *prev)
{
	struct ckpt_hdr_ipc_sem_adj *a;
	struct ckpt_ipc_obj *set;
	int err = -EINVAL;

	a = ckpt_read_record(ctx, CKPT_HDR_IPC_SEM_ADJ, sizeof(*a),
			     sizeof(*a) + CKPT_IPC_SEMS_MAX * sizeof(s16));
	if (IS_ERR(a))
		return PTR_ERR(a);
	set = restore_find_sem(ctx, a->semid);
	if (a->nsems > CKPT_IPC_SEMS_MAX ||
	    a->h.len != sizeof(*a) + a->nsems * sizeof(s16))
		ckpt_err(ctx, err, "undo list of set %d: length %u for %u semaphores",
			 a->semid, a->h.len, a->nsems);
	else if (!set)
		err = ckpt_err(ctx, -EBADR,
			       "semaphore set %d of an undo list is not in the image",
			       a->semid);
	else if (a->nsems != set->nsems)
		ckpt_err(ctx, err, "undo list of set %d: %u semaphores, the set has %u",
			 a->semid, a->nsems, set->nsems);
	else if (a->semid <= *prev)
		ckpt_err(ctx, err, "undo list: set %d out of order", a->semid);
	else
		err = 0;
	*prev = a->semid;
	if (!err && set->ns)
		err = sem_undo_restore(set->ns, a->semid, (const s16 *)(a + 1),
				       a->nsems);
	kvfree(a);
	return err;
}

/*
 * The undo list of the process whose leader is being restored: current
 * takes it on, and its threads, made with CLONE_SYSVSEM, share it.
 */
static void *ckpt_ipc_undo_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_ipc_sem_undo *h =
		container_of(hdr, struct ckpt_hdr_ipc_sem_undo, h.h);
	const struct ckpt_pids *p = &ctx->pids[ctx->cur_task];
	int prev = -1, err = 0;
	u32 ref, i;

	if (p->pid != p->tgid)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"a semaphore undo list before a thread"));
	if (!h->nr_sets || h->nr_sets > CKPT_IPC_UNDO_SETS_MAX)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"%u semaphore sets in an undo list",
					h->nr_sets));
	if (ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "undo _pad"))
		return ERR_PTR(-EINVAL);
	/* The objects of this task come after those of the one before. */
	for (ref = h->h.objref - 1;
	     ref && ckpt_obj_owner(ctx, ref) == ctx->cur_task; ref--)
		if (ckpt_obj_peek(ctx, ref, &ckpt_ipc_undo_ops))
			return ERR_PTR(ckpt_err(ctx, -EINVAL,
						"a second semaphore undo list"));
	for (i = 0; i < h->nr_sets && !err; i++)
		err = restore_sem_adj(ctx, &prev);
	return err ? ERR_PTR(err) : ZERO_SIZE_PTR;
}

/* Keyed by the list, which the threads of the process keep. */
const struct ckpt_obj_ops ckpt_ipc_undo_ops = {
	.type = CKPT_HDR_IPC_SEM_UNDO,
	.name = "SysV semaphore undo list",
	.min_len = sizeof(struct ckpt_hdr_ipc_sem_undo),
	.max_len = sizeof(struct ckpt_hdr_ipc_sem_undo),
	.grab = ckpt_obj_nop,
	.drop = ckpt_obj_nop,
	.restore = ckpt_ipc_undo_restore,
	.release = ckpt_obj_nop,
};

const struct ckpt_obj_ops ckpt_ipc_sem_ops = {
	.type = CKPT_HDR_IPC_SEM,
	.name = "SysV semaphore set",
	.min_len = sizeof(struct ckpt_hdr_ipc_sem),
	.max_len = sizeof(struct ckpt_hdr_ipc_sem) +
		   CKPT_IPC_SEMS_MAX * sizeof(u16),
	.grab = ckpt_ipc_snap_grab,
	.drop = ckpt_ipc_snap_free,
	.restore = ckpt_ipc_sem_restore,
	.release = ckpt_ipc_release,
};
