// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of pseudo-terminals.
 *
 * A Unix 98 pty whose master is open in a task being saved is saved as
 * an object, CKPT_HDR_PTY, before the first of its files: the termios
 * and window size of its slave, its lock, packet mode and flow state,
 * and what each side holds for its reader, the bytes its line
 * discipline took in and those still in the buffers of its port.  At
 * restart it is made anew by opening the ptmx device its master was
 * opened by, with the rights of the restarting task; its slave files
 * are opened as TIOCGPTPEER opens them; once every task exists, it is
 * again the controlling terminal of its session if the leader of that
 * session is restored, with its foreground group.  A slave whose master
 * is not saved is a terminal to inherit, as before.
 */

#include <linux/checkpoint.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/devpts_fs.h>
#include <linux/tty_driver.h>
#include <linux/tty_flip.h>
#include <linux/tty_ldisc.h>

#include "tty.h"

#define PTMX_RDEV	MKDEV(TTYAUX_MAJOR, 2)
static struct tty_struct *ckpt_file_tty(struct file *file)
{
	return ((struct tty_file_private *)file->private_data)->tty;
}

/* The status flags of a file of a pty that are kept, besides O_ACCMODE. */
#define CKPT_PTY_FILE_FLAGS	(O_NONBLOCK | O_APPEND | O_LARGEFILE)

/* A file of a Unix 98 pty: its master, or NULL. */
static struct tty_struct *ckpt_pty_of(struct file *file, bool *master)
{
	struct inode *inode = file_inode(file);
	unsigned int major = MAJOR(inode->i_rdev);
	struct tty_struct *tty;
	bool is_master;

	if (!S_ISCHR(inode->i_mode) || (file->f_mode & FMODE_PATH))
		return NULL;
	*master = inode->i_rdev == PTMX_RDEV;
	if (!*master && (major < UNIX98_PTY_SLAVE_MAJOR ||
			 major >= UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT))
		return NULL;
	/* A file hung up is no longer its terminal's. */
	if (tty_hung_up_p(file))
		return NULL;
	tty = ckpt_file_tty(file);
	if (tty->driver->type != TTY_DRIVER_TYPE_PTY)
		return NULL;
	is_master = tty->driver->subtype == PTY_TYPE_MASTER;
	if (*master != is_master)
		return NULL;
	return *master ? tty : tty->link;
}

static bool ckpt_is_master_of(struct file *file, const void *tty)
{
	bool master;

	return ckpt_pty_of(file, &master) == tty && master;
}

/**
 * ckpt_pty_kind - whether a file is of a pty that is made anew
 * @ctx:	checkpoint context
 * @file:	an open file
 *
 * Return: CKPT_FILE_PTY for the master of a Unix 98 pty, or one of its
 * slaves if its master is open in a task being saved; else 0.
 */
int ckpt_pty_kind(struct ckpt_ctx *ctx, struct file *file)
{
	struct tty_struct *tty;
	bool master;

	tty = ckpt_pty_of(file, &master);
	if (!tty)
		return 0;
	if (master || ckpt_file_match_in_tasks(ctx, ckpt_is_master_of, tty))
		return CKPT_FILE_PTY;
	return 0;
}

/* The bytes that the buffers of @port hold, not given to its ldisc yet. */
static int ckpt_tty_pending(struct tty_port *port, u8 *buf, u32 *len)
{
	struct tty_buffer *b;
	unsigned int n = 0;

	/* Paired with the release in __tty_buffer_request_room(). */
	for (b = port->buf.head; b; b = smp_load_acquire(&b->next)) {
		/* Paired with the release in tty_flip_buffer_commit(). */
		unsigned int count = smp_load_acquire(&b->commit) - b->read;

		if (b->flags &&
		    memchr_inv(flag_buf_ptr(b, b->read), TTY_NORMAL, count))
			return -EOPNOTSUPP;
		if (count > CKPT_TTY_MAX_PENDING - n)
			return -E2BIG;
		memcpy(buf + n, char_buf_ptr(b, b->read), count);
		n += count;
	}
	*len = n;
	return 0;
}

/* One side of a pty: what its reader has not read. */
struct ckpt_tty_side {
	struct n_tty_snapshot snap;
	u32 pending;
	u8 buf[CKPT_TTY_MAX_PENDING];
};

static int ckpt_tty_side(struct ckpt_ctx *ctx, struct tty_struct *tty,
			 struct ckpt_tty_side *side, struct ckpt_tty_queue *q)
{
	struct tty_ldisc *ld;
	int err;

	ld = tty_ldisc_ref(tty);
	if (!ld)
		return ckpt_err(ctx, -EBUSY, "a pty whose line discipline is changing");
	if (ld->ops->num != N_TTY) {
		tty_ldisc_deref(ld);
		return ckpt_err(ctx, -EOPNOTSUPP,
				"a pty with line discipline %d: not supported",
				ld->ops->num);
	}
	/* Keep the buffer work from handing bytes to the ldisc meanwhile. */
	tty_buffer_lock_exclusive(tty->port);
	err = n_tty_checkpoint(tty, &side->snap);
	if (!err)
		err = ckpt_tty_pending(tty->port, side->buf, &side->pending);
	tty_buffer_unlock_exclusive(tty->port);
	tty_ldisc_deref(ld);
	if (err == -EBUSY)
		return ckpt_err(ctx, err, "a pty with echoes not written yet");
	if (err == -E2BIG)
		return ckpt_err(ctx, err, "a pty holding more than %d bytes not received",
				CKPT_TTY_MAX_PENDING);
	if (err)
		return ckpt_err(ctx, err, "a pty holding bytes with errors");

	q->len = side->snap.len;
	q->canon = side->snap.canon;
	q->pending = side->pending;
	q->flags = (side->snap.lnext ? CKPT_TTYQ_LNEXT : 0) |
		   (side->snap.erasing ? CKPT_TTYQ_ERASING : 0) |
		   (side->snap.push ? CKPT_TTYQ_PUSH : 0);
	q->column = side->snap.column;
	q->canon_column = side->snap.canon_column;
	return 0;
}

/* The bytes of one side in the record: data, pending, line ends. */
static size_t ckpt_tty_bytes(const struct ckpt_tty_queue *q)
{
	return (size_t)q->len + q->pending + DIV_ROUND_UP(q->canon, 8);
}

static u8 *ckpt_tty_put(u8 *p, const struct ckpt_tty_side *side,
			const struct ckpt_tty_queue *q)
{
	unsigned int i;

	memcpy(p, side->snap.buf, q->len);
	p += q->len;
	memcpy(p, side->buf, q->pending);
	p += q->pending;
	for (i = 0; i < DIV_ROUND_UP(q->canon, 8); i++)
		p[i] = 0;
	for (i = 0; i < q->canon; i++)
		if (test_bit(i, side->snap.ends))
			p[i / 8] |= 1 << (i % 8);
	return p + DIV_ROUND_UP(q->canon, 8);
}

static void ckpt_termios_save(struct ckpt_termios *t, struct tty_struct *tty)
{
	down_read(&tty->termios_rwsem);
	t->c_iflag = tty->termios.c_iflag;
	t->c_oflag = tty->termios.c_oflag;
	t->c_cflag = tty->termios.c_cflag;
	t->c_lflag = tty->termios.c_lflag;
	t->c_line = tty->termios.c_line;
	BUILD_BUG_ON(sizeof(t->c_cc) != sizeof(tty->termios.c_cc));
	memcpy(t->c_cc, tty->termios.c_cc, sizeof(t->c_cc));
	t->c_ispeed = tty->termios.c_ispeed;
	t->c_ospeed = tty->termios.c_ospeed;
	up_read(&tty->termios_rwsem);
}

/*
 * The path of the ptmx device the master of @tty was opened by, and the
 * access mode of the master's file.
 */
static int ckpt_ptmx_path(struct ckpt_ctx *ctx, struct tty_struct *tty,
			  char *buf, u32 *len, u32 *acc)
{
	struct tty_file_private *priv;
	char *path = ERR_PTR(-ENOENT);

	spin_lock(&tty->files_lock);
	priv = list_first_entry_or_null(&tty->tty_files,
					struct tty_file_private, list);
	if (priv) {
		path = file_path(priv->file, buf, CKPT_PATH_MAX);
		*acc = priv->file->f_flags & O_ACCMODE;
	}
	spin_unlock(&tty->files_lock);
	if (IS_ERR(path) || path[0] != '/')
		return ckpt_err(ctx, -ENAMETOOLONG,
				"a pty master with no path from the caller's root");
	*len = strlen(path) + 1;
	memmove(buf, path, *len);
	return 0;
}

/* A pty, by its master, whose files hold it while it is saved. */
static int ckpt_pty_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	struct tty_struct *tty = ptr, *slave = tty->link;
	struct ckpt_tty_side *side[2] = { };
	struct ckpt_hdr_pty *h = NULL;
	char *path;
	u32 path_len;
	size_t len;
	u8 *p;
	int err = -ENOMEM, i;

	path = kmalloc(CKPT_PATH_MAX, GFP_KERNEL);
	side[0] = kvmalloc(sizeof(*side[0]), GFP_KERNEL);
	side[1] = kvmalloc(sizeof(*side[1]), GFP_KERNEL);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!path || !side[0] || !side[1] || !h)
		goto out;
	err = ckpt_ptmx_path(ctx, tty, path, &path_len, &h->master_acc);
	if (err)
		goto out;
	err = -EOPNOTSUPP;
	if (tty->flow.stopped) {
		ckpt_err(ctx, err, "a pty whose master's output is stopped");
		goto out;
	}
	/* In side[0] what the slave's reader will read, in side[1] the master's. */
	err = ckpt_tty_side(ctx, slave, side[0], &h->in[0]) ?:
	      ckpt_tty_side(ctx, tty, side[1], &h->in[1]);
	if (err)
		goto out;
	/* The master's termios is the driver's, raw: no lines there. */
	if (WARN_ON_ONCE(h->in[1].canon)) {
		err = -EINVAL;
		goto out;
	}

	h->index = tty->index;
	if (test_bit(TTY_PTY_LOCK, &tty->flags))
		h->flags |= CKPT_PTY_LOCKED;
	if (test_bit(TTY_OTHER_CLOSED, &tty->flags))
		h->flags |= CKPT_PTY_SLAVE_CLOSED;
	spin_lock_irq(&slave->ctrl.lock);
	if (tty->ctrl.packet) {
		h->flags |= CKPT_PTY_PACKET;
		h->pktstatus = slave->ctrl.pktstatus & CKPT_TIOCPKT_ALL;
	}
	/*
	 * The session it is the controlling terminal of, if its leader is
	 * saved, and the foreground group if it is saved.
	 */
	rcu_read_lock();
	if (slave->ctrl.session &&
	    ckpt_pid_saved(ctx, slave->ctrl.session, PIDTYPE_PID)) {
		h->session = pid_nr_ns(slave->ctrl.session, ctx->root_pidns);
		if (slave->ctrl.pgrp &&
		    ckpt_pid_saved(ctx, slave->ctrl.pgrp, PIDTYPE_PGID))
			h->fg_pgrp = pid_nr_ns(slave->ctrl.pgrp,
					       ctx->root_pidns);
	}
	rcu_read_unlock();
	spin_unlock_irq(&slave->ctrl.lock);
	spin_lock_irq(&slave->flow.lock);
	if (slave->flow.stopped)
		h->flags |= CKPT_PTY_STOPPED;
	if (slave->flow.tco_stopped)
		h->flags |= CKPT_PTY_TCOOFF;
	spin_unlock_irq(&slave->flow.lock);
	ckpt_termios_save(&h->termios, slave);
	mutex_lock(&slave->winsize_mutex);
	h->ws_row = slave->winsize.ws_row;
	h->ws_col = slave->winsize.ws_col;
	h->ws_xpixel = slave->winsize.ws_xpixel;
	h->ws_ypixel = slave->winsize.ws_ypixel;
	mutex_unlock(&slave->winsize_mutex);

	len = sizeof(*h) + path_len + ckpt_tty_bytes(&h->in[0]) +
	      ckpt_tty_bytes(&h->in[1]);
	p = ckpt_hdr_alloc(len, CKPT_HDR_PTY);
	err = -ENOMEM;
	if (!p)
		goto out;
	h->h.h = ((struct ckpt_hdr_pty *)p)->h.h;
	h->h.objref = objref;
	h->path_len = path_len;
	memcpy(p, h, sizeof(*h));
	memcpy(p + sizeof(*h), path, path_len);
	ckpt_tty_put(ckpt_tty_put(p + sizeof(*h) + path_len, side[0], &h->in[0]),
		     side[1], &h->in[1]);
	err = ckpt_write_record(ctx, (struct ckpt_hdr *)p);
	kvfree(p);
out:
	for (i = 0; i < 2; i++)
		kvfree(side[i]);
	kfree(h);
	kfree(path);
	return err;
}

static void ckpt_pty_grab(void *ptr)
{
	tty_kref_get(ptr);
}

static void ckpt_pty_drop(void *ptr)
{
	tty_kref_put(ptr);
}

/**
 * ckpt_pty_prepare - write the pty of a file, before the file
 * @ctx:	checkpoint context
 * @file:	a file ckpt_pty_kind() found to be CKPT_FILE_PTY
 *
 * Return: 0, or a negative errno with a message.
 */
int ckpt_pty_prepare(struct ckpt_ctx *ctx, struct file *file)
{
	struct tty_struct *tty;
	bool master;
	u32 ref;

	tty = ckpt_pty_of(file, &master);
	if (WARN_ON_ONCE(!tty))
		return -EINVAL;
	return ckpt_obj_checkpoint(ctx, tty, &ckpt_pty_ops, &ref);
}

/**
 * ckpt_pty_save - what the record of a file of a pty says
 * @ctx:	checkpoint context
 * @file:	the file, whose pty ckpt_pty_prepare() wrote
 * @p:		set to which end it is
 * @objref:	set to the objref of its pty
 *
 * Return: 0, or a negative errno.
 */
int ckpt_pty_save(struct ckpt_ctx *ctx, struct file *file,
		  struct ckpt_pty_file *p, u32 *objref)
{
	struct tty_struct *tty;
	bool master;

	tty = ckpt_pty_of(file, &master);
	if (WARN_ON_ONCE(!tty))
		return -EINVAL;
	if (file->f_flags & ~(O_ACCMODE | CKPT_PTY_FILE_FLAGS))
		return ckpt_err(ctx, -EOPNOTSUPP, "a pty file with flags %#x: not supported",
				file->f_flags & ~(O_ACCMODE | CKPT_PTY_FILE_FLAGS));
	p->end = master ? CKPT_PTY_MASTER : CKPT_PTY_SLAVE;
	return ckpt_obj_lookup(ctx, tty, &ckpt_pty_ops, objref);
}

/* ---------------------------------------------------------------- */
/* Restart                                                            */

/* A restored pty: its master's file, until the file of the image takes it. */
struct ckpt_pty_restore {
	struct file *master;
	pid_t session, fg_pgrp;
	u32 master_acc;
	bool locked;
	bool master_taken;
};

/* The flags and line ends of a queue whose lengths were checked. */
static int restore_check_queue(struct ckpt_ctx *ctx,
			       const struct ckpt_tty_queue *q, bool icanon,
			       const u8 *ends)
{
	unsigned int i;

	/* Lines, literal next, erasing and push are of canonical mode. */
	if (q->flags & ~(CKPT_TTYQ_LNEXT | CKPT_TTYQ_ERASING | CKPT_TTYQ_PUSH) ||
	    (!icanon && (q->canon || q->flags)))
		return ckpt_err(ctx, -EINVAL, "pty queue flags %#x, %u bytes in lines, ICANON %d",
				q->flags, q->canon, icanon);
	/* Line ends among the whole lines only, and the last byte of them one. */
	for (i = q->canon; i < round_up(q->canon, 8); i++)
		if (ends[i / 8] & (1 << (i % 8)))
			return ckpt_err(ctx, -EINVAL, "pty line end past the lines");
	if (q->canon && !(ends[(q->canon - 1) / 8] & (1 << ((q->canon - 1) % 8))))
		return ckpt_err(ctx, -EINVAL, "pty lines with no end");
	return 0;
}

static int restore_check_pty(struct ckpt_ctx *ctx, const struct ckpt_hdr_pty *h)
{
	const char *path = (const char *)(h + 1);
	const u8 *p;
	size_t len;
	int i, err;

	if (h->path_len < 2 || h->path_len > CKPT_PATH_MAX)
		return ckpt_err(ctx, -EINVAL, "pty path_len %u", h->path_len);
	len = sizeof(*h) + h->path_len;
	for (i = 0; i < 2; i++) {
		if (h->in[i].len > CKPT_TTY_BUF_SIZE || h->in[i].canon > h->in[i].len ||
		    h->in[i].pending > CKPT_TTY_MAX_PENDING)
			return ckpt_err(ctx, -EINVAL,
					"pty queue %d: %u bytes, %u in lines, %u pending",
					i, h->in[i].len, h->in[i].canon,
					h->in[i].pending);
		len += ckpt_tty_bytes(&h->in[i]);
	}
	if (h->h.h.len != len)
		return ckpt_err(ctx, -EINVAL, "pty length %u, expected %zu",
				h->h.h.len, len);
	if (strnlen(path, h->path_len) != h->path_len - 1 || path[0] != '/')
		return ckpt_err(ctx, -EINVAL, "pty path is not absolute and NUL terminated");
	if (h->flags & ~CKPT_PTY_FLAGS ||
	    h->pktstatus & ~CKPT_TIOCPKT_ALL ||
	    (h->pktstatus && !(h->flags & CKPT_PTY_PACKET)))
		return ckpt_err(ctx, -EINVAL, "pty flags %#x, packet status %#x",
				h->flags, h->pktstatus);
	if (h->master_acc != O_RDONLY && h->master_acc != O_WRONLY &&
	    h->master_acc != O_RDWR)
		return ckpt_err(ctx, -EINVAL, "pty master_acc %#x", h->master_acc);
	if (h->session < 0 || h->fg_pgrp < 0 || (h->fg_pgrp && !h->session))
		return ckpt_err(ctx, -EINVAL, "pty session %d, foreground group %d",
				h->session, h->fg_pgrp);
	if (h->termios.c_line != N_TTY)
		return ckpt_err(ctx, -EINVAL, "pty line discipline %u", h->termios.c_line);
	err = ckpt_check_zero(ctx, h->_pad, sizeof(h->_pad), "_pad") ?:
	      ckpt_check_zero(ctx, &h->termios._pad, sizeof(h->termios._pad),
			      "termios._pad");
	if (err)
		return err;
	p = (const u8 *)path + h->path_len;
	for (i = 0; i < 2 && !err; i++) {
		bool icanon = i == 0 && (h->termios.c_lflag & ICANON);

		p += h->in[i].len + h->in[i].pending;
		err = restore_check_queue(ctx, &h->in[i], icanon, p);
		p += DIV_ROUND_UP(h->in[i].canon, 8);
	}
	return err;
}

static bool restore_is_ptmx(const struct inode *inode, const void *arg)
{
	return S_ISCHR(inode->i_mode) && inode->i_rdev == PTMX_RDEV;
}

/* Give a side of the pty the bytes its ldisc had taken in, as they were. */
static int restore_tty_side(struct ckpt_ctx *ctx, struct tty_struct *tty,
			    const struct ckpt_tty_queue *q, const u8 *p)
{
	struct n_tty_snapshot *snap;
	struct tty_ldisc *ld;
	unsigned int i;
	int err = 0;

	if (!q->len && !q->flags && !q->column && !q->canon_column)
		return 0;
	snap = kvzalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	snap->len = q->len;
	snap->canon = q->canon;
	memcpy(snap->buf, p, q->len);
	for (i = 0; i < q->canon; i++)
		if (p[q->len + q->pending + i / 8] & (1 << (i % 8)))
			__set_bit(i, snap->ends);
	snap->lnext = q->flags & CKPT_TTYQ_LNEXT;
	snap->erasing = q->flags & CKPT_TTYQ_ERASING;
	snap->push = q->flags & CKPT_TTYQ_PUSH;
	snap->column = q->column;
	snap->canon_column = q->canon_column;

	ld = tty_ldisc_ref(tty);
	if (!ld || ld->ops->num != N_TTY)
		err = -EIO;
	else
		err = n_tty_restore(tty, snap);
	if (ld)
		tty_ldisc_deref(ld);
	kvfree(snap);
	if (err)
		return ckpt_err(ctx, err, "cannot give a pty its queued bytes");
	return 0;
}

/* What the ldisc had not taken in yet, it takes in now, as it would have. */
static int restore_tty_pending(struct ckpt_ctx *ctx, struct tty_struct *tty,
			       const struct ckpt_tty_queue *q, const u8 *p)
{
	if (!q->pending)
		return 0;
	if (tty_insert_flip_string(tty->port, p + q->len, q->pending) !=
	    q->pending)
		return ckpt_err(ctx, -ENOMEM, "cannot queue %u bytes to a pty",
				q->pending);
	tty_flip_buffer_push(tty->port);
	return 0;
}

static int restore_pty(struct ckpt_ctx *ctx, const struct ckpt_hdr_pty *h,
		       struct ckpt_pty_restore *r)
{
	const char *path = (const char *)(h + 1);
	struct tty_struct *tty, *slave;
	struct ktermios kt = { };
	struct winsize ws = { };
	const u8 *p, *p1;
	int err;

	r->master = ckpt_open_path(ctx, path, h->master_acc | O_NOCTTY,
				   restore_is_ptmx, NULL);
	if (IS_ERR(r->master)) {
		err = PTR_ERR(r->master);
		r->master = NULL;
		return ckpt_err(ctx, err, "cannot open %s", path);
	}
	tty = ckpt_file_tty(r->master);
	if (tty->driver->type != TTY_DRIVER_TYPE_PTY ||
	    tty->driver->subtype != PTY_TYPE_MASTER)
		return ckpt_err(ctx, -EIO, "%s gave no pty master", path);
	slave = tty->link;

	kt.c_iflag = h->termios.c_iflag;
	kt.c_oflag = h->termios.c_oflag;
	kt.c_cflag = h->termios.c_cflag;
	kt.c_lflag = h->termios.c_lflag;
	kt.c_line = N_TTY;
	memcpy(kt.c_cc, h->termios.c_cc, sizeof(kt.c_cc));
	kt.c_ispeed = h->termios.c_ispeed;
	kt.c_ospeed = h->termios.c_ospeed;
	tty_set_termios(slave, &kt);
	ws.ws_row = h->ws_row;
	ws.ws_col = h->ws_col;
	ws.ws_xpixel = h->ws_xpixel;
	ws.ws_ypixel = h->ws_ypixel;
	err = tty_do_resize(slave, &ws);
	if (err)
		return ckpt_err(ctx, err, "cannot size a pty");

	/*
	 * Both ldiscs first: the bytes the slave's takes in next may echo
	 * to the master's.
	 */
	p = (const u8 *)path + h->path_len;
	p1 = p + ckpt_tty_bytes(&h->in[0]);
	err = restore_tty_side(ctx, slave, &h->in[0], p) ?:
	      restore_tty_side(ctx, tty, &h->in[1], p1) ?:
	      restore_tty_pending(ctx, slave, &h->in[0], p) ?:
	      restore_tty_pending(ctx, tty, &h->in[1], p1);
	if (err)
		return err;

	if (h->flags & CKPT_PTY_STOPPED)
		stop_tty(slave);
	if (h->flags & CKPT_PTY_TCOOFF) {
		spin_lock_irq(&slave->flow.lock);
		slave->flow.tco_stopped = true;
		spin_unlock_irq(&slave->flow.lock);
	}
	/* After the stop, which reports itself to a master in packet mode. */
	spin_lock_irq(&slave->ctrl.lock);
	tty->ctrl.packet = h->flags & CKPT_PTY_PACKET;
	slave->ctrl.pktstatus = h->pktstatus;
	spin_unlock_irq(&slave->ctrl.lock);
	/* Its master reads EIO until a slave file of the image opens it. */
	if (h->flags & CKPT_PTY_SLAVE_CLOSED)
		set_bit(TTY_OTHER_CLOSED, &tty->flags);
	/* Locked as ptmx left it: the slave files unlock it to be opened. */
	return 0;
}

static void ckpt_pty_release(void *ptr)
{
	struct ckpt_pty_restore *r = ptr;

	if (r->master)
		fput(r->master);
	kfree(r);
}

static void *ckpt_pty_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_pty *h = container_of(hdr, struct ckpt_hdr_pty, h.h);
	struct ckpt_pty_restore *r;
	int err;

	err = restore_check_pty(ctx, h);
	if (err)
		return ERR_PTR(err);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->master_acc = h->master_acc;
	r->session = h->session;
	r->fg_pgrp = h->fg_pgrp;
	r->locked = h->flags & CKPT_PTY_LOCKED;
	if (ckpt_restoring(ctx)) {
		err = restore_pty(ctx, h, r);
		if (err) {
			ckpt_pty_release(r);
			return ERR_PTR(err);
		}
	}
	return r;
}

/* tasklist_lock keeps the sighand of a task from changing. */
static struct sighand_struct *ckpt_sighand_locked(struct task_struct *p)
{
	return rcu_dereference_protected(p->sighand,
					 lockdep_is_held(&tasklist_lock));
}

/* Whether @p's process has a controlling terminal; tasklist_lock held. */
static bool ckpt_has_tty(struct task_struct *p)
{
	struct sighand_struct *sighand = ckpt_sighand_locked(p);
	bool ret;

	spin_lock_irq(&sighand->siglock);
	ret = p->signal->tty;
	spin_unlock_irq(&sighand->siglock);
	return ret;
}

/*
 * Once the tasks exist: the pty is again the controlling terminal of its
 * session, whose leader restart made with setsid(), as TIOCSCTTY makes
 * it for a leader and fork() for the processes it creates, and its
 * foreground group is the one saved (the leader's, if that one is not).
 */
static int ckpt_pty_finish(struct ckpt_ctx *ctx, void *ptr)
{
	struct ckpt_pty_restore *r = ptr;
	struct task_struct *leader, *p;
	struct pid *sid, *pgrp = NULL;
	struct tty_struct *slave;
	int err = 0;

	if (!r->master || !r->session)
		return 0;
	slave = ckpt_file_tty(r->master)->link;

	/*
	 * Only a session that restart made: a session of a process outside
	 * the image with the same pid must not get the pty.  Nor can any
	 * process but those restored be in it, nor in its groups.
	 */
	sid = ckpt_task_pid(ctx, r->session);
	rcu_read_lock();
	leader = sid ? pid_task(sid, PIDTYPE_PID) : NULL;
	if (!leader || task_session(leader) != sid || !leader->signal->leader) {
		err = -ESRCH;
	} else {
		pgrp = r->fg_pgrp ? find_pid_ns(r->fg_pgrp, ctx->root_pidns) :
				    task_pgrp(leader);
		p = pid_task(pgrp, PIDTYPE_PGID);
		if (!p || task_session(p) != sid)
			err = -EPERM;
	}
	if (!err) {
		get_pid(sid);
		get_pid(pgrp);
	}
	rcu_read_unlock();
	if (err == -ESRCH)
		return ckpt_err(ctx, err, "the leader of session %d is not restored",
				r->session);
	if (err)
		return ckpt_err(ctx, err, "group %d is not in session %d",
				r->fg_pgrp, r->session);

	tty_lock(slave);
	read_lock(&tasklist_lock);
	/* Another pty of the image may have taken the session already. */
	leader = pid_task(sid, PIDTYPE_PID);
	if (slave->ctrl.session || !leader || ckpt_has_tty(leader)) {
		err = -EBUSY;
	} else {
		do_each_pid_task(sid, PIDTYPE_SID, p) {
			struct sighand_struct *sighand = ckpt_sighand_locked(p);

			spin_lock_irq(&sighand->siglock);
			if (!p->signal->tty)
				p->signal->tty = tty_kref_get(slave);
			spin_unlock_irq(&sighand->siglock);
		} while_each_pid_task(sid, PIDTYPE_SID, p);
		spin_lock_irq(&slave->ctrl.lock);
		slave->ctrl.session = get_pid(sid);
		slave->ctrl.pgrp = get_pid(pgrp);
		spin_unlock_irq(&slave->ctrl.lock);
	}
	read_unlock(&tasklist_lock);
	tty_unlock(slave);
	put_pid(pgrp);
	put_pid(sid);
	if (err)
		return ckpt_err(ctx, err,
				"a pty already controls a session, or session %d has a terminal",
				r->session);
	return 0;
}

/**
 * restore_check_pty_file - check the record of a file of a pty
 * @ctx:	restart context
 * @h:		the record, of kind CKPT_FILE_PTY
 *
 * Return: 0, or a negative errno with a message.
 */
int restore_check_pty_file(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *h)
{
	const struct ckpt_pty_file *p = (const void *)(h + 1);
	struct ckpt_pty_restore *r;

	if (h->path_len != sizeof(*p) || h->h.h.len != sizeof(*h) + sizeof(*p))
		return ckpt_err(ctx, -EINVAL, "length %u does not match path_len %u",
				h->h.h.len, h->path_len);
	if (p->end > CKPT_PTY_SLAVE || p->_pad)
		return ckpt_err(ctx, -EINVAL, "pty end %u, _pad %u", p->end,
				p->_pad);
	if (!S_ISCHR(h->mode) || h->rdev || h->pos)
		return ckpt_err(ctx, -EINVAL, "mode %#o, rdev or offset of a pty",
				h->mode);
	if (h->f_flags & ~(O_ACCMODE | CKPT_PTY_FILE_FLAGS))
		return ckpt_err(ctx, -EINVAL, "pty file flags %#x", h->f_flags);
	r = ckpt_obj_fetch(ctx, h->pty_ref, &ckpt_pty_ops, "pty_ref");
	if (IS_ERR(r))
		return PTR_ERR(r);
	if (p->end == CKPT_PTY_MASTER &&
	    (r->master_taken || (h->f_flags & O_ACCMODE) != r->master_acc))
		return ckpt_err(ctx, -EINVAL, "pty %u: its master twice, or open otherwise",
				h->pty_ref);
	return 0;
}

/* A slave file, opened as TIOCGPTPEER opens it, through a descriptor. */
static struct file *restore_pty_slave(struct ckpt_ctx *ctx,
				      struct ckpt_pty_restore *r, u32 f_flags)
{
	struct tty_struct *tty = ckpt_file_tty(r->master);
	struct file *file;
	int fd;

	clear_bit(TTY_PTY_LOCK, &tty->flags);
	fd = ptm_open_peer(r->master, tty,
			   (f_flags & (O_ACCMODE | O_NONBLOCK)) | O_NOCTTY |
			   O_CLOEXEC);
	if (r->locked)
		set_bit(TTY_PTY_LOCK, &tty->flags);
	if (fd < 0)
		return ERR_PTR(ckpt_err(ctx, fd, "cannot open the slave of a pty"));
	file = fget(fd);
	close_fd(fd);
	return file ?: ERR_PTR(-EBADF);
}

/**
 * restore_pty_file - a file of a pty made anew
 * @ctx:	restart context
 * @h:		its record, checked by restore_check_pty_file()
 *
 * Return: the file with its status flags, NULL when only validating, or
 * an ERR_PTR().
 */
struct file *restore_pty_file(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_file *h)
{
	const struct ckpt_pty_file *p = (const void *)(h + 1);
	struct ckpt_pty_restore *r;
	struct file *file;

	r = ckpt_obj_fetch(ctx, h->pty_ref, &ckpt_pty_ops, "pty_ref");
	if (IS_ERR(r))
		return ERR_CAST(r);
	if (p->end == CKPT_PTY_MASTER)
		r->master_taken = true;
	if (!ckpt_restoring(ctx))
		return NULL;
	if (p->end == CKPT_PTY_MASTER)
		file = get_file(r->master);
	else
		file = restore_pty_slave(ctx, r, h->f_flags);
	if (IS_ERR(file))
		return file;
	spin_lock(&file->f_lock);
	file->f_flags |= h->f_flags & CKPT_PTY_FILE_FLAGS;
	file->f_iocb_flags = iocb_flags(file);
	spin_unlock(&file->f_lock);
	return file;
}

const struct ckpt_obj_ops ckpt_pty_ops = {
	.type = CKPT_HDR_PTY,
	.name = "pty",
	.min_len = sizeof(struct ckpt_hdr_pty),
	.max_len = CKPT_PTY_MAX_LEN,
	.grab = ckpt_pty_grab,
	.drop = ckpt_pty_drop,
	.checkpoint = ckpt_pty_checkpoint,
	.restore = ckpt_pty_restore,
	.release = ckpt_pty_release,
	.finish = ckpt_pty_finish,
};
