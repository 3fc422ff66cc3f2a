// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint and restart of inotify instances.
 *
 * An inotify file is saved with its watches and the events queued on
 * it, in records that follow the file's.  A watch holds only its inode:
 * it is named by a path from the root of the caller of checkpoint(2),
 * through a dentry of the inode and a mount of its filesystem that
 * shows that dentry, and restart looks the path up and checks that it
 * leads to the same inode, as for a file reopened by path.  The watch
 * descriptors, the one inotify_add_watch(2) gives next, the length the
 * queue may reach, and the queued events with their cookies and names
 * come back as they were.
 *
 * The watches and the events are two snapshots, taken one after the
 * other: an IN_ONESHOT watch that fires in between is saved with its
 * event, and comes back armed.  A restored rename cookie may be given
 * again by the kernel to a later rename, as a cookie may once the
 * counter wraps.
 */
#include <linux/checkpoint.h>
#include <linux/fs_struct.h>
#include <linux/idr.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/sort.h>

#include "inotify.h"
#include "../fsnotify.h"

/* What read(2) shows of an event's mask. */
#define CKPT_INOTIFY_EVENT_BITS						\
	(IN_ALL_EVENTS | IN_ISDIR | IN_UNMOUNT | IN_IGNORED | IN_Q_OVERFLOW)

/* What inotify_add_watch(2) takes to make a watch again. */
#define CKPT_INOTIFY_WATCH_BITS	(IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK)

/* A watch, as found under the group's lock. */
struct ckpt_inotify_mark {
	struct inode *inode;
	int wd;
	u32 mask;
};

/* The records of an inotify, made before its file's record is written. */
struct ckpt_inotify_snap {
	struct ckpt_hdr_inotify_watch **watches;
	unsigned int nr_watches;
	void *events;		/* CKPT_HDR_INOTIFY_EVENT records, padded */
	size_t events_len;
};

bool ckpt_file_inotify(struct file *file)
{
	return inotify_file_group(file);
}

static int ckpt_inotify_mark_cmp(const void *a, const void *b)
{
	const struct ckpt_inotify_mark *x = a, *y = b;

	return x->wd < y->wd ? -1 : x->wd > y->wd;
}

static void ckpt_inotify_marks_put(struct ckpt_inotify_mark *marks,
				   unsigned int n)
{
	while (n)
		iput(marks[--n].inode);
	kvfree(marks);
}

/*
 * The watches of @group by increasing wd, with a reference on their
 * inodes.  A watch whose inode is being evicted is about to go, with
 * its IN_IGNORED event: it is not saved.
 */
static int ckpt_inotify_marks(struct ckpt_ctx *ctx,
			      struct fsnotify_group *group,
			      struct ckpt_inotify_mark **out)
{
	struct ckpt_inotify_mark *marks;
	struct fsnotify_mark *mark;
	unsigned int n = 0, max = 0;

	fsnotify_group_lock(group);
	list_for_each_entry(mark, &group->marks_list, g_list)
		max++;
	if (max > CKPT_INOTIFY_MAX_WATCHES) {
		fsnotify_group_unlock(group);
		return ckpt_err(ctx, -E2BIG, "an inotify with more than %d watches",
				CKPT_INOTIFY_MAX_WATCHES);
	}
	marks = kvcalloc(max ?: 1, sizeof(*marks), GFP_KERNEL);
	if (!marks) {
		fsnotify_group_unlock(group);
		return -ENOMEM;
	}
	list_for_each_entry(mark, &group->marks_list, g_list) {
		struct inotify_inode_mark *i_mark;

		/* As fdinfo: inotify marks only ever are on inodes. */
		if (mark->connector->type != FSNOTIFY_OBJ_TYPE_INODE)
			continue;
		i_mark = container_of(mark, struct inotify_inode_mark,
				      fsn_mark);
		marks[n].inode = igrab(fsnotify_conn_inode(mark->connector));
		if (!marks[n].inode)
			continue;
		marks[n].wd = i_mark->wd;
		marks[n].mask = inotify_mark_user_mask(mark);
		n++;
	}
	fsnotify_group_unlock(group);
	sort(marks, n, sizeof(*marks), ckpt_inotify_mark_cmp, NULL);
	*out = marks;
	return n;
}

/* Looking for a mount that shows a dentry from the caller's root. */
struct ckpt_inotify_lookup {
	struct path root;	/* of the mounts collected */
	struct dentry *dentry;
	char *buf;
	char *path;		/* found: in buf */
	int err;		/* -ENAMETOOLONG if a path was too long */
};

/*
 * A path to l->dentry through @mnt, if @mnt shows it and nothing
 * mounted over it or over a directory on the way hides it: looked up
 * from the caller's root, as restart will, the path must lead to it.
 */
static int ckpt_inotify_find(struct vfsmount *mnt, void *arg)
{
	struct ckpt_inotify_lookup *l = arg;
	struct path p = { .mnt = mnt, .dentry = l->dentry };
	struct path found;
	char *path;
	bool same;

	if (mnt->mnt_sb != l->dentry->d_sb ||
	    !is_subdir(l->dentry, mnt->mnt_root))
		return 0;
	path = __d_path(&p, &l->root, l->buf, CKPT_PATH_MAX);
	if (IS_ERR(path))
		l->err = PTR_ERR(path);
	if (IS_ERR_OR_NULL(path) || path[0] != '/')
		return 0;
	if (kern_path(path, 0, &found))
		return 0;
	same = found.dentry->d_inode == l->dentry->d_inode;
	path_put(&found);
	if (!same)
		return 0;
	l->path = path;
	return 1;
}

/* The record of a watch, its path found among @mnts. */
static struct ckpt_hdr_inotify_watch *
ckpt_inotify_watch(struct ckpt_ctx *ctx, struct vfsmount *mnts,
		   const struct ckpt_inotify_mark *m, char *buf)
{
	struct ckpt_inotify_lookup l = {
		.root = { .mnt = mnts, .dentry = mnts->mnt_root },
		.buf = buf,
	};
	struct ckpt_hdr_inotify_watch *w = NULL;
	size_t len;

	l.dentry = d_find_alias(m->inode);
	if (l.dentry && !d_unlinked(l.dentry))
		iterate_mounts(ckpt_inotify_find, &l, mnts);
	dput(l.dentry);
	if (!l.path)
		return ERR_PTR(ckpt_err(ctx, l.err ?: -EOPNOTSUPP,
					"inotify watch %d: inode %lu of device %s has no path from the caller's root",
					m->wd, m->inode->i_ino,
					m->inode->i_sb->s_id));
	len = strlen(l.path) + 1;
	w = ckpt_hdr_alloc(sizeof(*w) + len, CKPT_HDR_INOTIFY_WATCH);
	if (!w)
		return ERR_PTR(-ENOMEM);
	w->wd = m->wd;
	w->mask = m->mask;
	w->ino = m->inode->i_ino;
	w->dev = new_encode_dev(m->inode->i_sb->s_dev);
	w->mode = m->inode->i_mode & S_IFMT;
	w->path_len = len;
	memcpy(w + 1, l.path, len);
	return w;
}

static int ckpt_inotify_watches(struct ckpt_ctx *ctx,
				struct fsnotify_group *group,
				struct ckpt_inotify_snap *snap)
{
	struct ckpt_inotify_mark *marks;
	struct vfsmount *mnts = NULL;
	struct path root;
	char *buf = NULL;
	int n, i, err = 0;

	n = ckpt_inotify_marks(ctx, group, &marks);
	if (n < 0)
		return n;
	if (!n)
		goto out;
	snap->watches = kvcalloc(n, sizeof(*snap->watches), GFP_KERNEL);
	buf = kmalloc(CKPT_PATH_MAX, GFP_KERNEL);
	if (!snap->watches || !buf) {
		err = -ENOMEM;
		goto out;
	}
	get_fs_root(current->fs, &root);
	mnts = collect_mounts(&root);
	path_put(&root);
	if (IS_ERR(mnts)) {
		err = ckpt_err(ctx, PTR_ERR(mnts),
			       "cannot collect the mounts of the caller's root");
		mnts = NULL;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct ckpt_hdr_inotify_watch *w;

		/* Each looks through every mount of the caller's. */
		cond_resched();
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		w = ckpt_inotify_watch(ctx, mnts, &marks[i], buf);
		if (IS_ERR(w)) {
			err = PTR_ERR(w);
			break;
		}
		snap->watches[snap->nr_watches++] = w;
	}
out:
	if (mnts)
		drop_collected_mounts(mnts);
	kfree(buf);
	ckpt_inotify_marks_put(marks, n);
	return err;
}

static size_t ckpt_inotify_event_len(struct fsnotify_event *fse)
{
	return ALIGN(sizeof(struct ckpt_hdr_inotify_event) +
		     INOTIFY_E(fse)->name_len, CKPT_ALIGN);
}

/*
 * Copy the events queued into @buf of @len bytes, in order, as many as
 * fit; with @buf NULL, count them all.  Returns the bytes they take,
 * and sets *@odd if one cannot be restored: its name is longer than
 * restart takes (FUSE allows it), or read(2) would show no event.
 * Called with the group's notification_lock held.
 */
static size_t ckpt_inotify_copy(struct fsnotify_group *group, void *buf,
				size_t len, unsigned int *nr, bool *odd)
{
	struct fsnotify_event *fse;
	size_t off = 0;

	*nr = 0;
	list_for_each_entry(fse, &group->notification_list, list) {
		struct inotify_event_info *event = INOTIFY_E(fse);
		size_t elen = ckpt_inotify_event_len(fse);
		struct ckpt_hdr_inotify_event *e;

		if (event->name_len > NAME_MAX ||
		    !(event->mask & CKPT_INOTIFY_EVENT_BITS))
			*odd = true;
		if (buf && off + elen > len)
			break;
		if (buf) {
			e = buf + off;
			e->h.type = CKPT_HDR_INOTIFY_EVENT;
			e->h.len = sizeof(*e) + event->name_len;
			e->wd = event->wd;
			e->mask = event->mask & CKPT_INOTIFY_EVENT_BITS;
			e->cookie = event->sync_cookie;
			e->name_len = event->name_len;
			memcpy(e + 1, event->name, event->name_len);
		}
		off += elen;
		(*nr)++;
	}
	return off;
}

/*
 * The events queued.  They may still come and go while the tasks that
 * hold the file are frozen, through its other holders and through the
 * files watched: they are counted, then copied, as many as fit in the
 * room counted and some more.  Those that arrive late and do not fit
 * are left out, as if the checkpoint had been a moment earlier.
 */
static int ckpt_inotify_events(struct ckpt_ctx *ctx,
			       struct fsnotify_group *group,
			       struct ckpt_inotify_snap *snap,
			       unsigned int *nr_events)
{
	bool odd = false;
	size_t len;

	spin_lock(&group->notification_lock);
	len = ckpt_inotify_copy(group, NULL, 0, nr_events, &odd);
	spin_unlock(&group->notification_lock);
	if (*nr_events > CKPT_INOTIFY_MAX_EVENTS)
		return ckpt_err(ctx, -E2BIG,
				"an inotify with more than %d events queued",
				CKPT_INOTIFY_MAX_EVENTS);
	if (!len)
		return 0;
	len += len / 8;
	snap->events = kvzalloc(len, GFP_KERNEL);
	if (!snap->events)
		return -ENOMEM;
	spin_lock(&group->notification_lock);
	snap->events_len = ckpt_inotify_copy(group, snap->events, len,
					     nr_events, &odd);
	spin_unlock(&group->notification_lock);
	if (odd)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"an inotify with an event whose name is longer than %d bytes",
				NAME_MAX);
	return 0;
}

/**
 * ckpt_inotify_save - what is saved of an inotify file
 * @ctx:	checkpoint context
 * @file:	an inotify file
 * @in:	its struct ckpt_inotify, filled
 *
 * Return: its watches and events, to write after the file's record
 * with ckpt_write_inotify() and free with ckpt_inotify_free(), or an
 * ERR_PTR(): a watch whose inode has no path from the caller's root is
 * -EOPNOTSUPP, and named in the log.
 */
struct ckpt_inotify_snap *ckpt_inotify_save(struct ckpt_ctx *ctx,
					    struct file *file,
					    struct ckpt_inotify *in)
{
	struct fsnotify_group *group = inotify_file_group(file);
	struct ckpt_inotify_snap *snap;
	unsigned int next;
	int err;

	snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return ERR_PTR(-ENOMEM);
	err = ckpt_inotify_watches(ctx, group, snap) ?:
	      ckpt_inotify_events(ctx, group, snap, &in->nr_events);
	if (err) {
		ckpt_inotify_free(snap);
		return ERR_PTR(err);
	}
	in->nr_watches = snap->nr_watches;
	in->max_events = group->max_events;
	/* The cyclic allocator starts from 1 when its cursor is below. */
	spin_lock(&group->inotify_data.idr_lock);
	next = idr_get_cursor(&group->inotify_data.idr);
	spin_unlock(&group->inotify_data.idr_lock);
	in->next_wd = (int)next < 1 ? 1 : next;
	return snap;
}

int ckpt_write_inotify(struct ckpt_ctx *ctx, struct ckpt_inotify_snap *snap)
{
	struct ckpt_hdr *h;
	size_t off;
	unsigned int i;
	int err = 0;

	for (off = 0; off < snap->events_len && !err;
	     off += ALIGN(h->len, CKPT_ALIGN)) {
		h = snap->events + off;
		err = ckpt_write_record(ctx, h);
	}
	for (i = 0; i < snap->nr_watches && !err; i++)
		err = ckpt_write_record(ctx, &snap->watches[i]->h);
	return err;
}

void ckpt_inotify_free(struct ckpt_inotify_snap *snap)
{
	if (!snap)
		return;
	while (snap->nr_watches)
		kvfree(snap->watches[--snap->nr_watches]);
	kvfree(snap->watches);
	kvfree(snap->events);
	kfree(snap);
}

/*
 * Restart.  The file's record was checked by restore_check_inotify();
 * restore_inotify() reads and checks the records of its events and
 * watches, and when restoring makes the inotify, queues the events,
 * then adds the watches with their descriptors, as inotify_add_watch(2)
 * would with the rights of the caller.
 */
int restore_check_inotify(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *h)
{
	const struct ckpt_inotify *in = (const void *)(h + 1);

	if (h->path_len != sizeof(*in) || h->h.h.len != sizeof(*h) + sizeof(*in))
		return ckpt_err(ctx, -EINVAL, "length %u, path_len %u of an inotify",
				h->h.h.len, h->path_len);
	if (h->mode & S_IFMT || h->rdev || h->pipe_ref || h->pos ||
	    (h->f_flags & ~CKPT_ANON_FLAGS) != O_RDONLY)
		return ckpt_err(ctx, -EINVAL,
				"mode %#o, flags %#x, rdev, pipe_ref or pos of an inotify",
				h->mode, h->f_flags);
	if (in->nr_watches > CKPT_INOTIFY_MAX_WATCHES ||
	    in->nr_events > CKPT_INOTIFY_MAX_EVENTS || in->next_wd < 1 ||
	    !in->max_events)
		return ckpt_err(ctx, -EINVAL,
				"an inotify with %u watches, %u events, next wd %d, %u events at most",
				in->nr_watches, in->nr_events, in->next_wd,
				in->max_events);
	return 0;
}

static int restore_check_inotify_watch(struct ckpt_ctx *ctx,
				       const struct ckpt_hdr_inotify_watch *w,
				       int prev)
{
	const char *path = (const char *)(w + 1);

	if (w->wd <= prev)
		return ckpt_err(ctx, -EINVAL,
				"inotify watch %d after watch %d", w->wd, prev);
	if (w->mask & ~CKPT_INOTIFY_WATCH_BITS || !w->mode ||
	    w->mode & ~S_IFMT)
		return ckpt_err(ctx, -EINVAL, "inotify watch %d: mask %#x, mode %#o",
				w->wd, w->mask, w->mode);
	if (w->h.len != sizeof(*w) + w->path_len || w->path_len < 2 ||
	    strnlen(path, w->path_len) != w->path_len - 1 || path[0] != '/')
		return ckpt_err(ctx, -EINVAL,
				"inotify watch %d: path of %u bytes is not absolute and NUL terminated",
				w->wd, w->path_len);
	return 0;
}

static bool restore_inotify_same(const struct inode *inode,
				 const struct ckpt_hdr_inotify_watch *w)
{
	return inode->i_ino == w->ino &&
	       new_encode_dev(inode->i_sb->s_dev) == w->dev &&
	       (inode->i_mode & S_IFMT) == w->mode;
}

/* Add a watch that was checked to @group, as its owner would. */
static int restore_inotify_add(struct ckpt_ctx *ctx,
			       struct fsnotify_group *group,
			       const struct ckpt_hdr_inotify_watch *w)
{
	const char *name = (const char *)(w + 1);
	struct path path;
	int err;

	err = kern_path(name, 0, &path);
	if (err)
		return ckpt_err(ctx, err, "inotify watch %d: cannot find %s",
				w->wd, name);
	if (!restore_inotify_same(d_inode(path.dentry), w)) {
		err = ckpt_err(ctx, -ESTALE,
			       "inotify watch %d: %s is not the file watched",
			       w->wd, name);
		goto out;
	}
	err = path_permission(&path, MAY_READ) ?:
	      security_path_notify(&path, w->mask & IN_ALL_EVENTS,
				   FSNOTIFY_OBJ_TYPE_INODE);
	if (err) {
		ckpt_err(ctx, err, "inotify watch %d: may not watch %s",
			 w->wd, name);
		goto out;
	}
	err = inotify_restore_watch(group, d_inode(path.dentry), w->mask,
				    w->wd);
	if (err)
		ckpt_err(ctx, err, "inotify watch %d: cannot watch %s", w->wd,
			 name);
out:
	path_put(&path);
	return err;
}

static int restore_inotify_watch(struct ckpt_ctx *ctx,
				 struct fsnotify_group *group, int *prev)
{
	struct ckpt_hdr_inotify_watch *w;
	int err;

	w = ckpt_read_record(ctx, CKPT_HDR_INOTIFY_WATCH, sizeof(*w) + 2,
			     sizeof(*w) + CKPT_PATH_MAX);
	if (IS_ERR(w))
		return PTR_ERR(w);
	err = restore_check_inotify_watch(ctx, w, *prev);
	*prev = w->wd;
	if (!err && group)
		err = restore_inotify_add(ctx, group, w);
	kvfree(w);
	return err;
}

static int restore_check_inotify_event(struct ckpt_ctx *ctx,
				       const struct ckpt_hdr_inotify_event *e,
				       bool *overflow)
{
	bool is_overflow = e->mask == IN_Q_OVERFLOW;

	if (e->h.len != sizeof(*e) + e->name_len || e->name_len > NAME_MAX ||
	    memchr(e + 1, '\0', e->name_len) || memchr(e + 1, '/', e->name_len))
		return ckpt_err(ctx, -EINVAL,
				"inotify event: name of %u bytes in a record of %u",
				e->name_len, e->h.len);
	if (e->mask & ~CKPT_INOTIFY_EVENT_BITS || !e->mask ||
	    (is_overflow && (e->wd != -1 || e->cookie || e->name_len ||
			     *overflow)) ||
	    (!is_overflow && (e->wd < 1 || e->mask & IN_Q_OVERFLOW)))
		return ckpt_err(ctx, -EINVAL, "inotify event: wd %d, mask %#x",
				e->wd, e->mask);
	*overflow |= is_overflow;
	return 0;
}

/* Queue an event that was checked on @group. */
static int restore_inotify_queue(struct ckpt_ctx *ctx,
				 struct fsnotify_group *group,
				 const struct ckpt_hdr_inotify_event *e)
{
	struct inotify_event_info *event;

	/* Queued at most once, however many times it is added. */
	if (e->mask == IN_Q_OVERFLOW) {
		fsnotify_queue_overflow(group);
		return 0;
	}
	event = kmalloc(sizeof(*event) + e->name_len + 1, GFP_KERNEL_ACCOUNT);
	if (!event)
		return -ENOMEM;
	fsnotify_init_event(&event->fse);
	event->mask = e->mask;
	event->wd = e->wd;
	event->sync_cookie = e->cookie;
	event->name_len = e->name_len;
	memcpy(event->name, e + 1, e->name_len);
	event->name[e->name_len] = '\0';
	if (fsnotify_add_event(group, &event->fse, NULL)) {
		fsnotify_destroy_event(group, &event->fse);
		return ckpt_err(ctx, -ENOSPC,
				"an inotify with more events queued than fs.inotify.max_queued_events (%u)",
				group->max_events);
	}
	return 0;
}

static int restore_inotify_event(struct ckpt_ctx *ctx,
				 struct fsnotify_group *group, bool *overflow)
{
	struct ckpt_hdr_inotify_event *e;
	int err;

	e = ckpt_read_record(ctx, CKPT_HDR_INOTIFY_EVENT, sizeof(*e),
			     sizeof(*e) + NAME_MAX);
	if (IS_ERR(e))
		return PTR_ERR(e);
	err = restore_check_inotify_event(ctx, e, overflow);
	if (!err && group)
		err = restore_inotify_queue(ctx, group, e);
	kvfree(e);
	return err;
}

/**
 * restore_inotify - read the watches and events of an inotify
 * @ctx:	restart context
 * @h:		the record of its file, checked by restore_check_inotify()
 *
 * Return: the inotify file, NULL when only validating, or an ERR_PTR().
 */
struct file *restore_inotify(struct ckpt_ctx *ctx,
			     const struct ckpt_hdr_file *h)
{
	const struct ckpt_inotify *in = (const void *)(h + 1);
	struct fsnotify_group *group = NULL;
	struct file *file = NULL;
	bool overflow = false;
	int err = 0, prev = 0;
	u32 i;

	if (ckpt_restoring(ctx)) {
		file = inotify_restore_file(in->max_events);
		if (IS_ERR(file))
			return ERR_PTR(ckpt_err(ctx, PTR_ERR(file),
						"cannot make an inotify"));
		group = inotify_file_group(file);
	}
	for (i = 0; i < in->nr_events && !err; i++)
		err = restore_inotify_event(ctx, group, &overflow);
	for (i = 0; i < in->nr_watches && !err; i++)
		err = restore_inotify_watch(ctx, group, &prev);
	if (!err && group) {
		spin_lock(&group->inotify_data.idr_lock);
		idr_set_cursor(&group->inotify_data.idr, in->next_wd);
		spin_unlock(&group->inotify_data.idr_lock);
	}
	if (err) {
		if (file)
			fput(file);
		return ERR_PTR(err);
	}
	return file;
}
