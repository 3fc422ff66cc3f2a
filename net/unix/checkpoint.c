// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: AF_UNIX sockets.
 *
 * Two connected sockets whose files are both saved, or one of whose
 * files was closed, are one object, a CKPT_HDR_UNIX_PAIR, written with
 * the data queued to each end.  Restart makes them anew as
 * socketpair(2) does, sends each end its data from the other end, and
 * gives each end its shutdown state and pending error; an end that was
 * closed is closed again once its peer has its data, so that its peer
 * reads what it held, then end of file.  A pair made by connect(2) and
 * accept(2) comes back unnamed.
 *
 * A socket connected to one that is not saved is a CKPT_SOCK_RESET,
 * unless it is a datagram socket whose peer has a name: that one is
 * connected to the name again, as connect(2) would.
 *
 * A socket bound to a name is bound to it again.  One bound to a path
 * left its inode behind when it was closed: restart takes the path over
 * if nothing is bound to that inode any more, as a server that starts
 * again does (see ckpt_unix_unlink_stale()).
 */

#include <linux/checkpoint.h>
#include <linux/file.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <net/af_unix.h>
#include <net/sock.h>

/* The end of a pair the objhash knows it by: its peer is the other one. */
static struct sock *ckpt_unix_key(struct sock *sk, struct sock *peer)
{
	if (sock_flag(peer, SOCK_DEAD))
		return sk;
	return sk < peer ? sk : peer;
}

/* Whether the file of @peer, if it has one, belongs to a saved task. */
static bool ckpt_unix_peer_saved(struct ckpt_ctx *ctx, struct sock *peer)
{
	struct file *file = NULL;

	read_lock_bh(&peer->sk_callback_lock);
	if (peer->sk_socket)
		file = peer->sk_socket->file;
	read_unlock_bh(&peer->sk_callback_lock);
	return file && ckpt_file_in_tasks(ctx, file);
}

static int __ckpt_unix_describe(struct ckpt_ctx *ctx, struct socket *sock,
				struct ckpt_socket *s, struct sock **key)
{
	struct sock *sk = sock->sk, *peer;
	struct unix_sock *u = unix_sk(sk);
	struct unix_address *addr;
	int err = 0;

	*key = NULL;
	unix_state_lock(sk);
	addr = u->addr;
	if (addr) {
		s->addr_len = addr->len;
		memcpy(s->addr, addr->name, addr->len);
	}
	if (sk->sk_state == TCP_LISTEN) {
		s->state = CKPT_SOCK_LISTEN;
		s->backlog = READ_ONCE(sk->sk_max_ack_backlog);
	}
	peer = unix_peer(sk);
	if (peer)
		sock_hold(peer);
	unix_state_unlock(sk);

	if (s->state == CKPT_SOCK_LISTEN)
		return 0;
	if (!peer) {
		s->state = addr ? CKPT_SOCK_BOUND : CKPT_SOCK_FRESH;
		if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
			err = ckpt_err(ctx, -EOPNOTSUPP,
				       "an unconnected unix socket holding data: not supported");
		return err;
	}

	if (sock_flag(peer, SOCK_DEAD) ||
	    (unix_peer(peer) == sk && ckpt_unix_peer_saved(ctx, peer))) {
		s->state = CKPT_SOCK_PAIR;
		*key = ckpt_unix_key(sk, peer);
		s->end = *key != sk;
	} else if (sk->sk_type == SOCK_DGRAM && unix_peer(peer) != sk) {
		/* It sends to a socket by name: connect to the name again. */
		unix_state_lock(peer);
		addr = unix_sk(peer)->addr;
		if (addr) {
			s->peer_len = addr->len;
			memcpy(s->peer, addr->name, addr->len);
		}
		unix_state_unlock(peer);
		s->state = addr ? CKPT_SOCK_BOUND : CKPT_SOCK_RESET;
		if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
			err = ckpt_err(ctx, -EOPNOTSUPP,
				       "a unix datagram socket holding data from sockets not saved: not supported");
	} else {
		s->state = CKPT_SOCK_RESET;
	}
	sock_put(peer);
	/* A connection comes back unnamed. */
	if (s->state != CKPT_SOCK_BOUND) {
		s->addr_len = 0;
		memset(s->addr, 0, sizeof(s->addr));
	}
	return err;
}

/*
 * The path a socket is bound to, made absolute: bind(2) may have been
 * given a relative one, which restart would resolve from elsewhere.
 */
static int ckpt_unix_abs_path(struct ckpt_ctx *ctx, struct sock *sk,
			      struct ckpt_socket *s)
{
	const size_t off = offsetof(struct sockaddr_un, sun_path);
	struct sockaddr_un *sun = (struct sockaddr_un *)s->addr;
	struct path path;
	char *buf, *name;
	size_t len;
	int err = 0;

	if (s->addr_len <= off || !sun->sun_path[0])
		return 0;
	unix_state_lock(sk);
	path = unix_sk(sk)->path;
	if (path.dentry)
		path_get(&path);
	unix_state_unlock(sk);
	if (!path.dentry)
		return ckpt_err(ctx, -EBUSY, "a unix socket was closed while saved");

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	name = buf ? d_path(&path, buf, PATH_MAX) : ERR_PTR(-ENOMEM);
	if (IS_ERR(name))
		err = PTR_ERR(name);
	else if (d_unlinked(path.dentry))
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "a unix socket bound to a path removed since: not supported");
	else if (name[0] != '/' || strlen(name) >= sizeof(sun->sun_path))
		err = ckpt_err(ctx, -ENAMETOOLONG,
			       "a unix socket bound to %s: no absolute path that fits",
			       name);
	if (!err) {
		len = strlen(name);
		memset(sun->sun_path, 0, sizeof(sun->sun_path));
		memcpy(sun->sun_path, name, len);
		s->addr_len = off + len + 1;
	}
	kfree(buf);
	path_put(&path);
	return err;
}

/**
 * ckpt_unix_describe - how an AF_UNIX socket is saved
 * @ctx:	checkpoint context
 * @sock:	the socket, of a saved file
 * @s:		its family and type set; state and addresses to fill
 * @key:	set, for CKPT_SOCK_PAIR, to the object of its pair
 *
 * Return: 0, or a negative errno with a message naming what is not
 * supported.
 */
int ckpt_unix_describe(struct ckpt_ctx *ctx, struct socket *sock,
		       struct ckpt_socket *s, struct sock **key)
{
	int err = __ckpt_unix_describe(ctx, sock, s, key);

	if (!err && s->addr_len)
		err = ckpt_unix_abs_path(ctx, sock->sk, s);
	return err;
}

/*
 * The data a saved end of a pair has to read: counted when @buf is
 * NULL, else copied to @buf, its message lengths then its bytes.  A
 * stream's data is one run: its message boundaries do not matter.
 */
static int ckpt_unix_queue(struct sock *sk, struct ckpt_unix_end *e, u8 *buf,
			   const char **why)
{
	bool stream = sk->sk_type == SOCK_STREAM;
	u8 *data = buf ? buf + e->nr_msgs * sizeof(u32) : NULL;
	struct sk_buff *skb;
	u32 msgs = 0, bytes = 0;
	int err = 0;

	spin_lock(&sk->sk_receive_queue.lock);
#if IS_ENABLED(CONFIG_AF_UNIX_OOB)
	if (unix_sk(sk)->oob_skb) {
		*why = "out-of-band data";
		err = -EOPNOTSUPP;
	}
#endif
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		u32 off = stream ? UNIXCB(skb).consumed : 0;
		u32 len = skb->len - off;

		if (err)
			break;
		if (UNIXCB(skb).fp) {
			*why = "descriptors in flight (SCM_RIGHTS)";
			err = -EOPNOTSUPP;
		} else if (stream && !len) {
			continue;
		} else if (!buf) {
			if (msgs >= CKPT_UNIX_MAX_MSGS ||
			    len > CKPT_UNIX_MAX_BYTES - bytes) {
				*why = "more queued data than an image holds";
				err = -E2BIG;
			}
		} else if ((!stream && msgs >= e->nr_msgs) ||
			   len > e->nr_bytes - bytes) {
			err = -EBUSY;
		} else if (skb_copy_bits(skb, off, data + bytes, len)) {
			*why = "data that cannot be read";
			err = -EFAULT;
		} else if (!stream) {
			put_unaligned(len, (u32 *)buf + msgs);
		}
		bytes += len;
		msgs += !stream;
	}
	spin_unlock(&sk->sk_receive_queue.lock);

	if (!err && buf && (msgs != e->nr_msgs || bytes != e->nr_bytes))
		err = -EBUSY;
	if (err == -EBUSY)
		*why = "data queued while the checkpoint ran";
	if (!err && !buf) {
		e->nr_msgs = msgs;
		e->nr_bytes = bytes;
	}
	return err;
}

static void ckpt_unix_grab(void *ptr)
{
	sock_hold(ptr);
}

static void ckpt_unix_drop(void *ptr)
{
	sock_put(ptr);
}

static int ckpt_unix_pair_checkpoint(struct ckpt_ctx *ctx, void *ptr,
				     u32 objref)
{
	struct sock *sk[2] = { ptr, unix_peer_get(ptr) };
	struct ckpt_unix_end e[2] = { };
	struct ckpt_hdr_unix_pair *h = NULL;
	const char *why = NULL;
	size_t len = sizeof(*h);
	u8 *p;
	int i, err = 0;

	if (!sk[1])
		return ckpt_err(ctx, -EBUSY,
				"a unix socket was disconnected while the checkpoint ran");
	for (i = 0; i < 2 && !err; i++) {
		int shut = READ_ONCE(sk[i]->sk_shutdown);

		if (sock_flag(sk[i], SOCK_DEAD))
			continue;
		err = ckpt_unix_queue(sk[i], &e[i], NULL, &why);
		len += e[i].nr_msgs * sizeof(u32) + e[i].nr_bytes;
		e[i].shutdown = (shut & RCV_SHUTDOWN ? CKPT_SHUT_RD : 0) |
				(shut & SEND_SHUTDOWN ? CKPT_SHUT_WR : 0);
		e[i].err = READ_ONCE(sk[i]->sk_err);
		if (!err && e[i].err && e[i].err != ECONNRESET) {
			why = "a pending error other than ECONNRESET";
			err = -EOPNOTSUPP;
		}
	}
	if (!err) {
		h = ckpt_hdr_alloc(len, CKPT_HDR_UNIX_PAIR);
		if (!h)
			err = -ENOMEM;
	}
	p = h ? (u8 *)(h + 1) : NULL;
	for (i = 0; i < 2 && !err; i++) {
		if (sock_flag(sk[i], SOCK_DEAD))
			continue;
		h->ends |= i ? CKPT_UNIX_END1 : CKPT_UNIX_END0;
		h->end[i] = e[i];
		err = ckpt_unix_queue(sk[i], &e[i], p, &why);
		p += e[i].nr_msgs * sizeof(u32) + e[i].nr_bytes;
	}
	if (!err) {
		h->h.objref = objref;
		h->type = sk[0]->sk_type;
		err = ckpt_write_record(ctx, &h->h.h);
	} else if (why) {
		err = ckpt_err(ctx, err, "a unix socket holding %s: not supported",
			       why);
	}
	kvfree(h);
	sock_put(sk[1]);
	return err;
}

/* ---------------------------------------------------------------- */
/* Restart                                                            */

/* A restored pair: the files of its ends, until the image takes them. */
struct ckpt_unix_pair_restore {
	struct file *end[2];
	bool taken[2];
	u32 type;
};

static int restore_check_unix_pair(struct ckpt_ctx *ctx,
				   const struct ckpt_hdr_unix_pair *h)
{
	const u8 *p = (const u8 *)(h + 1);
	u64 len = sizeof(*h);
	unsigned int i, j;

	if (h->type != SOCK_STREAM && h->type != SOCK_DGRAM &&
	    h->type != SOCK_SEQPACKET)
		return ckpt_err(ctx, -EINVAL, "unix pair of type %u", h->type);
	if (!h->ends || h->ends & ~(CKPT_UNIX_END0 | CKPT_UNIX_END1))
		return ckpt_err(ctx, -EINVAL, "unix pair ends %#x", h->ends);
	for (i = 0; i < 2; i++) {
		const struct ckpt_unix_end *e = &h->end[i];

		if (!(h->ends & (1 << i)) &&
		    (e->shutdown || e->err || e->nr_msgs || e->nr_bytes))
			return ckpt_err(ctx, -EINVAL, "unix pair: closed end %u has state",
					i);
		if (e->shutdown & ~(CKPT_SHUT_RD | CKPT_SHUT_WR) ||
		    (e->err && e->err != ECONNRESET))
			return ckpt_err(ctx, -EINVAL, "unix pair end %u: shutdown %#x, error %d",
					i, e->shutdown, e->err);
		if (e->nr_bytes > CKPT_UNIX_MAX_BYTES ||
		    e->nr_msgs > CKPT_UNIX_MAX_MSGS ||
		    (h->type == SOCK_STREAM && e->nr_msgs))
			return ckpt_err(ctx, -EINVAL, "unix pair end %u: %u messages, %u bytes",
					i, e->nr_msgs, e->nr_bytes);
		len += (u64)e->nr_msgs * sizeof(u32) + e->nr_bytes;
	}
	if (h->h.h.len != len)
		return ckpt_err(ctx, -EINVAL, "unix pair: length %u, not %llu",
				h->h.h.len, len);
	for (i = 0; i < 2; i++) {
		const struct ckpt_unix_end *e = &h->end[i];
		u64 sum = 0;

		for (j = 0; j < e->nr_msgs; j++)
			sum += get_unaligned((const u32 *)p + j);
		if (h->type != SOCK_STREAM && sum != e->nr_bytes)
			return ckpt_err(ctx, -EINVAL,
					"unix pair end %u: messages of %llu bytes, not %u",
					i, sum, e->nr_bytes);
		p += e->nr_msgs * sizeof(u32) + e->nr_bytes;
	}
	return 0;
}

/* Send @len bytes from @sock to its peer, without waiting. */
static int restore_unix_send(struct socket *sock, const u8 *data, u32 len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = (void *)data, .iov_len = len };
	int n;

	n = kernel_sendmsg(sock, &msg, &iov, 1, len);
	return n == len ? 0 : n < 0 ? n : -EIO;
}

/*
 * Give the end @to its data, sent by its peer @from.  Its peer may send
 * as much as the image holds for the time: the data was queued once, under
 * limits restart does not know.
 */
static int restore_unix_fill(struct socket *from,
			     const struct ckpt_unix_end *e, const u8 *p)
{
	const u8 *data = p + e->nr_msgs * sizeof(u32);
	struct sock *sk = from->sk;
	int sndbuf = READ_ONCE(sk->sk_sndbuf);
	unsigned int i;
	int err = 0;

	WRITE_ONCE(sk->sk_sndbuf, INT_MAX / 2);
	if (!e->nr_msgs && e->nr_bytes)
		err = restore_unix_send(from, data, e->nr_bytes);
	for (i = 0; i < e->nr_msgs && !err; i++) {
		u32 len = get_unaligned((const u32 *)p + i);

		err = restore_unix_send(from, data, len);
		data += len;
	}
	WRITE_ONCE(sk->sk_sndbuf, sndbuf);
	return err;
}

/**
 * ckpt_unix_socketpair - make two connected AF_UNIX sockets and files
 * @type:	SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET
 * @files:	set to the files of the two ends
 *
 * As socketpair(2), in the network namespace of current.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_unix_socketpair(int type, struct file *files[2])
{
	struct socket *sock[2] = { };
	int i, err;

	files[0] = NULL;
	files[1] = NULL;
	err = sock_create(AF_UNIX, type, 0, &sock[0]);
	if (!err)
		err = sock_create(AF_UNIX, type, 0, &sock[1]);
	if (!err)
		err = sock[0]->ops->socketpair(sock[0], sock[1]);
	for (i = 0; i < 2; i++) {
		if (err) {
			if (sock[i])
				sock_release(sock[i]);
			continue;
		}
		files[i] = sock_alloc_file(sock[i], 0, NULL);
		if (IS_ERR(files[i])) {
			err = PTR_ERR(files[i]);
			files[i] = NULL;
		}
	}
	if (err && files[0]) {
		fput(files[0]);
		files[0] = NULL;
	}
	return err;
}

static int restore_unix_pair(struct ckpt_ctx *ctx,
			     const struct ckpt_hdr_unix_pair *h,
			     struct ckpt_unix_pair_restore *r)
{
	const u8 *p[2];
	int i, err;

	err = ckpt_unix_socketpair(h->type, r->end);
	if (err)
		return ckpt_err(ctx, err, "cannot make a unix socket pair");
	p[0] = (const u8 *)(h + 1);
	p[1] = p[0] + h->end[0].nr_msgs * sizeof(u32) + h->end[0].nr_bytes;
	for (i = 0; i < 2; i++) {
		err = restore_unix_fill(sock_from_file(r->end[!i]), &h->end[i],
					p[i]);
		if (err)
			return ckpt_err(ctx, err, "cannot queue %u bytes to a unix socket",
					h->end[i].nr_bytes);
	}
	for (i = 0; i < 2; i++) {
		struct sock *sk = sock_from_file(r->end[i])->sk;
		u32 shut = h->end[i].shutdown;

		unix_state_lock(sk);
		WRITE_ONCE(sk->sk_shutdown,
			   (shut & CKPT_SHUT_RD ? RCV_SHUTDOWN : 0) |
			   (shut & CKPT_SHUT_WR ? SEND_SHUTDOWN : 0));
		unix_state_unlock(sk);
	}
	/* An end that was closed is closed again, its peer has its data. */
	for (i = 0; i < 2; i++) {
		if (h->ends & (1 << i))
			continue;
		fput(r->end[i]);
		r->end[i] = NULL;
	}
	for (i = 0; i < 2; i++)
		if (r->end[i])
			WRITE_ONCE(sock_from_file(r->end[i])->sk->sk_err,
				   h->end[i].err);
	return 0;
}

static void ckpt_unix_pair_release(void *ptr)
{
	struct ckpt_unix_pair_restore *r = ptr;

	if (r->end[0])
		fput(r->end[0]);
	if (r->end[1])
		fput(r->end[1]);
	kfree(r);
}

static void *ckpt_unix_pair_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_unix_pair *h = container_of(hdr, struct ckpt_hdr_unix_pair,
						    h.h);
	struct ckpt_unix_pair_restore *r;
	int err;

	err = restore_check_unix_pair(ctx, h);
	if (err)
		return ERR_PTR(err);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	if (ckpt_restoring(ctx)) {
		err = restore_unix_pair(ctx, h, r);
		if (err) {
			ckpt_unix_pair_release(r);
			return ERR_PTR(err);
		}
	}
	r->taken[0] = !(h->ends & CKPT_UNIX_END0);
	r->taken[1] = !(h->ends & CKPT_UNIX_END1);
	r->type = h->type;
	return r;
}

/**
 * ckpt_unix_pair_take - the file of an end of a restored pair, once
 * @ctx:	restart context
 * @s:		a checked CKPT_SOCK_PAIR socket
 * @file:	set, when restoring, to the file, with a reference
 *
 * Return: 0 or a negative errno.
 */
int ckpt_unix_pair_take(struct ckpt_ctx *ctx, const struct ckpt_socket *s,
			struct file **file)
{
	struct ckpt_unix_pair_restore *r;

	r = ckpt_obj_fetch(ctx, s->pair_ref, &ckpt_unix_pair_ops, "pair_ref");
	if (IS_ERR(r))
		return PTR_ERR(r);
	if (r->taken[s->end])
		return ckpt_err(ctx, -EINVAL,
				"unix pair %u: end %u twice, or closed",
				s->pair_ref, s->end);
	if (r->type != s->type)
		return ckpt_err(ctx, -EINVAL, "unix pair %u: not of type %u",
				s->pair_ref, s->type);
	r->taken[s->end] = true;
	if (!ckpt_restoring(ctx))
		return 0;
	*file = get_file(r->end[s->end]);
	return 0;
}

/**
 * ckpt_unix_unlink_stale - take over the path of a socket inode left behind
 * @type:	the type of the socket to bind
 * @sun:	the path
 * @len:	its length, as bind(2) takes it
 *
 * A socket bound to a path leaves its inode there when it is closed, and
 * binding the path again fails with EADDRINUSE.  If connecting to it is
 * refused, nothing is bound to the inode any more: remove it with the
 * rights of current, as unlink(2) would, so that the path can be bound.
 *
 * Return: 0; -EADDRINUSE if a socket is bound to the path or it is not a
 * socket; or the error of the lookup or the unlink.
 */
int ckpt_unix_unlink_stale(int type, const struct sockaddr_un *sun, int len)
{
	char name[sizeof(sun->sun_path) + 1] = { };
	struct path parent, old;
	struct socket *probe;
	struct dentry *d;
	int err;

	if (len <= offsetof(struct sockaddr_un, sun_path) || !sun->sun_path[0])
		return -EADDRINUSE;
	err = sock_create(AF_UNIX, type, 0, &probe);
	if (err)
		return err;
	err = kernel_connect(probe, (struct sockaddr *)sun, len, O_NONBLOCK);
	sock_release(probe);
	if (err != -ECONNREFUSED)
		return -EADDRINUSE;

	memcpy(name, sun->sun_path, len - offsetof(struct sockaddr_un, sun_path));
	/* As do_unlinkat(): write access to the mount, then the lock. */
	err = kern_path(name, 0, &old);
	if (err)
		return err;
	err = mnt_want_write(old.mnt);
	if (err)
		goto out;
	d = kern_path_locked(name, &parent);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto drop;
	}
	err = -EADDRINUSE;
	if (parent.mnt == old.mnt && d == old.dentry &&
	    S_ISSOCK(d_inode(d)->i_mode))
		err = vfs_unlink(mnt_idmap(parent.mnt), d_inode(parent.dentry),
				 d, NULL);
	inode_unlock(d_inode(parent.dentry));
	dput(d);
	path_put(&parent);
drop:
	mnt_drop_write(old.mnt);
out:
	path_put(&old);
	return err;
}

/**
 * ckpt_unix_reset - a connected AF_UNIX socket whose peer is gone
 * @type:	its type
 *
 * Its first read or write fails with ECONNRESET; it reads end of file
 * after.
 *
 * Return: its file, or an ERR_PTR().
 */
struct file *ckpt_unix_reset(int type)
{
	struct file *files[2];
	struct sock *sk;
	int err;

	err = ckpt_unix_socketpair(type, files);
	if (err)
		return ERR_PTR(err);
	fput(files[1]);
	sk = sock_from_file(files[0])->sk;
	unix_state_lock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	WRITE_ONCE(sk->sk_err, ECONNRESET);
	unix_state_unlock(sk);
	return files[0];
}

const struct ckpt_obj_ops ckpt_unix_pair_ops = {
	.type = CKPT_HDR_UNIX_PAIR,
	.name = "unix socket pair",
	.min_len = sizeof(struct ckpt_hdr_unix_pair),
	.max_len = sizeof(struct ckpt_hdr_unix_pair) +
		   2 * (CKPT_UNIX_MAX_MSGS * sizeof(u32) + CKPT_UNIX_MAX_BYTES),
	.grab = ckpt_unix_grab,
	.drop = ckpt_unix_drop,
	.checkpoint = ckpt_unix_pair_checkpoint,
	.restore = ckpt_unix_pair_restore,
	.release = ckpt_unix_pair_release,
};
