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
 * Files in flight (SCM_RIGHTS) in the queues are written before the
 * pair (ckpt_unix_prepare()), as the files of descriptors are, and each
 * message brings them again at restart, sent by the restarting task
 * that reads the pair.
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
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <net/af_unix.h>
#include <net/scm.h>
#include <net/sock.h>

/* How many files in flight may lead to others in flight, in turn. */
#define CKPT_UNIX_INFLIGHT_DEPTH	4

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

/* What an end of a pair has to read, as the image holds it. */
struct ckpt_unix_queue {
	struct ckpt_unix_end e;
	struct file **files;	/* in flight, with references, queue order */
	u32 *refs;		/* their objrefs */
};

/* The bytes that follow the record for an end: see ckpt_unix_end. */
static u64 ckpt_unix_end_len(const struct ckpt_unix_end *e)
{
	u64 words = e->nr_msgs;

	if (e->nr_fds)
		words += (u64)e->nr_msgs + e->nr_fds;
	return words * sizeof(u32) + e->nr_bytes;
}

/*
 * Read the queue of @sk: counted when @buf is NULL, else copied to @buf
 * as ckpt_unix_end says.  A stream's data is one run, whose message
 * boundaries do not matter, but for descriptors in flight: a recvmsg()
 * stops after the bytes that brought them, so these are a run of their
 * own.
 */
static int ckpt_unix_read_queue(struct sock *sk, struct ckpt_unix_queue *q,
				u8 *buf, const char **why)
{
	struct ckpt_unix_end *e = &q->e;
	bool stream = sk->sk_type == SOCK_STREAM;
	bool runs = !stream || !buf || e->nr_fds;
	u32 *lens = (u32 *)buf, *nfds = NULL, *refs = NULL;
	u8 *data = buf ? buf + e->nr_msgs * sizeof(u32) : NULL;
	u32 msgs = 0, bytes = 0, fds = 0;
	bool cut = false;
	struct sk_buff *skb;
	int err = 0;

	if (buf && e->nr_fds) {
		nfds = lens + e->nr_msgs;
		refs = nfds + e->nr_msgs;
		data = (u8 *)(refs + e->nr_fds);
	}
	spin_lock(&sk->sk_receive_queue.lock);
#if IS_ENABLED(CONFIG_AF_UNIX_OOB)
	if (unix_sk(sk)->oob_skb) {
		*why = "out-of-band data";
		err = -EOPNOTSUPP;
	}
#endif
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		struct scm_fp_list *fp = UNIXCB(skb).fp;
		u32 off = stream ? UNIXCB(skb).consumed : 0;
		u32 len = skb->len - off, n = fp ? fp->count : 0, i;
		bool start = runs && (!stream || fp || cut || !msgs);

		if (err)
			break;
		if (stream && !len)
			continue;
		if (!buf) {
			if (msgs + start > CKPT_UNIX_MAX_MSGS ||
			    len > CKPT_UNIX_MAX_BYTES - bytes) {
				*why = "more queued data than an image holds";
				err = -E2BIG;
			} else if (n > CKPT_UNIX_MAX_FDS - fds) {
				*why = "more descriptors in flight than an image holds";
				err = -E2BIG;
			}
		} else if ((start && msgs >= e->nr_msgs) ||
			   len > e->nr_bytes - bytes || n > e->nr_fds - fds) {
			err = -EBUSY;
		} else if (skb_copy_bits(skb, off, data + bytes, len)) {
			*why = "data that cannot be read";
			err = -EFAULT;
		} else if (runs) {
			if (start) {
				put_unaligned(0, lens + msgs);
				if (nfds)
					put_unaligned(n, nfds + msgs);
			}
			put_unaligned(get_unaligned(lens + msgs - !start) + len,
				      lens + msgs - !start);
			for (i = 0; i < n && !err; i++) {
				if (fp->fp[i] != q->files[fds + i])
					err = -EBUSY;
				put_unaligned(q->refs[fds + i], refs + fds + i);
			}
		}
		bytes += len;
		msgs += start;
		fds += n;
		cut = fp;
	}
	spin_unlock(&sk->sk_receive_queue.lock);

	if (!err && buf &&
	    (msgs != e->nr_msgs || bytes != e->nr_bytes || fds != e->nr_fds))
		err = -EBUSY;
	if (err == -EBUSY)
		*why = "data queued while the checkpoint ran";
	if (!err && !buf) {
		/* A stream without descriptors in flight is one run. */
		e->nr_msgs = stream && !fds ? 0 : msgs;
		e->nr_bytes = bytes;
		e->nr_fds = fds;
	}
	return err;
}

/* Take references on the files in flight to @sk, in queue order. */
static int ckpt_unix_hold_files(struct sock *sk, struct ckpt_unix_queue *q)
{
	struct sk_buff *skb;
	u32 fds = 0, i;

	q->files = kvcalloc(q->e.nr_fds, sizeof(*q->files), GFP_KERNEL);
	q->refs = kvcalloc(q->e.nr_fds, sizeof(*q->refs), GFP_KERNEL);
	if (!q->files || !q->refs)
		return -ENOMEM;
	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		struct scm_fp_list *fp = UNIXCB(skb).fp;

		for (i = 0; fp && i < fp->count && fds < q->e.nr_fds; i++)
			q->files[fds++] = get_file(fp->fp[i]);
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	return fds == q->e.nr_fds ? 0 : -EBUSY;
}

static void ckpt_unix_put_files(struct ckpt_unix_queue *q)
{
	u32 i;

	for (i = 0; q->files && i < q->e.nr_fds && q->files[i]; i++)
		fput(q->files[i]);
	kvfree(q->files);
	kvfree(q->refs);
}

/*
 * Write the files in flight to an end, as the files of descriptors are.
 * One of them may hold files in flight in turn, but not without end:
 * an epoll watching the socket it was sent on would lead back here.
 */
static int ckpt_unix_save_files(struct ckpt_ctx *ctx,
				struct ckpt_unix_queue *q)
{
	struct socket *sock;
	u32 i;
	int err = 0;

	if (ctx->inflight_depth >= CKPT_UNIX_INFLIGHT_DEPTH)
		return ckpt_err(ctx, -ELOOP,
				"descriptors in flight nested too deep, or leading back to their socket: not supported");
	ctx->inflight_depth++;
	for (i = 0; i < q->e.nr_fds && !err; i++) {
		/* Whether its peer is saved is told by descriptor tables. */
		sock = sock_from_file(q->files[i]);
		if (sock && sock->sk && sock->sk->sk_family == AF_UNIX)
			err = ckpt_err(ctx, -EOPNOTSUPP,
				       "a unix socket in flight (SCM_RIGHTS): not supported");
		else
			err = ckpt_file_save_inflight(ctx, q->files[i],
						      &q->refs[i]);
	}
	ctx->inflight_depth--;
	return err;
}

/*
 * The objrefs of the files in flight to an end, written before its pair
 * by ckpt_unix_prepare().
 */
static int ckpt_unix_find_files(struct ckpt_ctx *ctx,
				struct ckpt_unix_queue *q)
{
	u32 i;

	for (i = 0; i < q->e.nr_fds; i++)
		if (ckpt_obj_lookup(ctx, q->files[i], &ckpt_file_ops,
				    &q->refs[i]))
			return -EBUSY;
	return 0;
}

/**
 * ckpt_unix_prepare - write what a pair refers to, before the pair
 * @ctx:	checkpoint context
 * @key:	the pair, as ckpt_unix_describe() gives it, not yet written
 *
 * The files in flight (SCM_RIGHTS) to its ends come before it, so that
 * objrefs stay in stream order.
 *
 * Return: 0, or a negative errno with a message.
 */
int ckpt_unix_prepare(struct ckpt_ctx *ctx, struct sock *key)
{
	struct sock *sk[2] = { key, unix_peer_get(key) };
	const char *why = NULL;
	int i, err = 0;

	if (!sk[1])
		return ckpt_err(ctx, -EBUSY,
				"a unix socket was disconnected while the checkpoint ran");
	for (i = 0; i < 2 && !err; i++) {
		struct ckpt_unix_queue q = { };

		if (sock_flag(sk[i], SOCK_DEAD))
			continue;
		err = ckpt_unix_read_queue(sk[i], &q, NULL, &why);
		if (!err && q.e.nr_fds) {
			err = ckpt_unix_hold_files(sk[i], &q);
			if (err == -EBUSY)
				why = "data queued while the checkpoint ran";
			if (!err)
				err = ckpt_unix_save_files(ctx, &q);
		}
		ckpt_unix_put_files(&q);
	}
	if (err && why)
		err = ckpt_err(ctx, err, "a unix socket holding %s: not supported",
			       why);
	sock_put(sk[1]);
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
	struct ckpt_unix_queue q[2] = { };
	struct ckpt_hdr_unix_pair *h = NULL;
	const char *why = NULL;
	u64 len = sizeof(*h);
	u8 *p;
	int i, err = 0;

	if (!sk[1])
		return ckpt_err(ctx, -EBUSY,
				"a unix socket was disconnected while the checkpoint ran");
	for (i = 0; i < 2 && !err; i++) {
		struct ckpt_unix_end *e = &q[i].e;
		int shut = READ_ONCE(sk[i]->sk_shutdown);

		if (sock_flag(sk[i], SOCK_DEAD))
			continue;
		err = ckpt_unix_read_queue(sk[i], &q[i], NULL, &why);
		len += ckpt_unix_end_len(e);
		e->shutdown = (shut & RCV_SHUTDOWN ? CKPT_SHUT_RD : 0) |
			      (shut & SEND_SHUTDOWN ? CKPT_SHUT_WR : 0);
		e->err = READ_ONCE(sk[i]->sk_err);
		if (!err && e->err && e->err != ECONNRESET) {
			why = "a pending error other than ECONNRESET";
			err = -EOPNOTSUPP;
		}
		if (!err && e->nr_fds) {
			err = ckpt_unix_hold_files(sk[i], &q[i]) ?:
			      ckpt_unix_find_files(ctx, &q[i]);
			if (err == -EBUSY)
				why = "data queued while the checkpoint ran";
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
		h->end[i] = q[i].e;
		err = ckpt_unix_read_queue(sk[i], &q[i], p, &why);
		p += ckpt_unix_end_len(&q[i].e);
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
	ckpt_unix_put_files(&q[0]);
	ckpt_unix_put_files(&q[1]);
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

/* Where the arrays and data of an end are, after its record. */
struct ckpt_unix_end_data {
	const u8 *lens;		/* nr_msgs */
	const u8 *nfds;		/* nr_msgs, if nr_fds */
	const u8 *refs;		/* nr_fds */
	const u8 *data;		/* nr_bytes */
};

static void ckpt_unix_end_data(const struct ckpt_unix_end *e, const u8 *p,
			       struct ckpt_unix_end_data *d)
{
	u32 nfds = e->nr_fds ? e->nr_msgs : 0;

	d->lens = p;
	d->nfds = d->lens + e->nr_msgs * sizeof(u32);
	d->refs = d->nfds + nfds * sizeof(u32);
	d->data = d->refs + e->nr_fds * sizeof(u32);
}

/* The messages of an end: lengths, descriptors in flight and their files. */
static int restore_check_unix_msgs(struct ckpt_ctx *ctx, u32 type,
				   unsigned int i, const struct ckpt_unix_end *e,
				   const u8 *p)
{
	struct ckpt_unix_end_data d;
	u64 bytes = 0, fds = 0;
	u32 j, len, n;
	struct file *file;

	ckpt_unix_end_data(e, p, &d);
	for (j = 0; j < e->nr_msgs; j++) {
		len = get_unaligned((const u32 *)d.lens + j);
		n = e->nr_fds ? get_unaligned((const u32 *)d.nfds + j) : 0;
		/* A run of a stream has bytes. */
		if (n > CKPT_UNIX_MAX_MSG_FDS || (type == SOCK_STREAM && !len))
			return ckpt_err(ctx, -EINVAL,
					"unix pair end %u: message %u of %u bytes, %u descriptors",
					i, j, len, n);
		bytes += len;
		fds += n;
	}
	if ((type != SOCK_STREAM || e->nr_msgs) && bytes != e->nr_bytes)
		return ckpt_err(ctx, -EINVAL,
				"unix pair end %u: messages of %llu bytes, not %u",
				i, bytes, e->nr_bytes);
	if (fds != e->nr_fds)
		return ckpt_err(ctx, -EINVAL,
				"unix pair end %u: messages with %llu descriptors, not %u",
				i, fds, e->nr_fds);
	for (j = 0; j < e->nr_fds; j++) {
		file = ckpt_file_inflight(ctx,
					  get_unaligned((const u32 *)d.refs + j));
		if (IS_ERR(file))
			return PTR_ERR(file);
	}
	return 0;
}

static int restore_check_unix_pair(struct ckpt_ctx *ctx,
				   const struct ckpt_hdr_unix_pair *h)
{
	const u8 *p = (const u8 *)(h + 1);
	u64 len = sizeof(*h);
	unsigned int i;
	int err;

	if (h->type != SOCK_STREAM && h->type != SOCK_DGRAM &&
	    h->type != SOCK_SEQPACKET)
		return ckpt_err(ctx, -EINVAL, "unix pair of type %u", h->type);
	if (!h->ends || h->ends & ~(CKPT_UNIX_END0 | CKPT_UNIX_END1))
		return ckpt_err(ctx, -EINVAL, "unix pair ends %#x", h->ends);
	for (i = 0; i < 2; i++) {
		const struct ckpt_unix_end *e = &h->end[i];

		if (!(h->ends & (1 << i)) &&
		    (e->shutdown || e->err || e->nr_msgs || e->nr_bytes ||
		     e->nr_fds))
			return ckpt_err(ctx, -EINVAL, "unix pair: closed end %u has state",
					i);
		if (e->shutdown & ~(CKPT_SHUT_RD | CKPT_SHUT_WR) ||
		    (e->err && e->err != ECONNRESET))
			return ckpt_err(ctx, -EINVAL, "unix pair end %u: shutdown %#x, error %d",
					i, e->shutdown, e->err);
		if (e->nr_bytes > CKPT_UNIX_MAX_BYTES ||
		    e->nr_msgs > CKPT_UNIX_MAX_MSGS ||
		    e->nr_fds > CKPT_UNIX_MAX_FDS ||
		    (h->type == SOCK_STREAM && e->nr_msgs && !e->nr_fds))
			return ckpt_err(ctx, -EINVAL,
					"unix pair end %u: %u messages, %u bytes, %u descriptors",
					i, e->nr_msgs, e->nr_bytes, e->nr_fds);
		if (ckpt_check_zero(ctx, &e->_pad, sizeof(e->_pad),
				    "unix end _pad"))
			return -EINVAL;
		len += ckpt_unix_end_len(e);
	}
	if (h->h.h.len != len)
		return ckpt_err(ctx, -EINVAL, "unix pair: length %u, not %llu",
				h->h.h.len, len);
	for (i = 0; i < 2; i++) {
		err = restore_check_unix_msgs(ctx, h->type, i, &h->end[i], p);
		if (err)
			return err;
		p += ckpt_unix_end_len(&h->end[i]);
	}
	return 0;
}

/*
 * Send @len bytes from @sock to its peer, without waiting, with the
 * files of @nr_fds objrefs at @refs in flight.  SCM_RIGHTS takes
 * descriptors: the files are given to current for the time of the send.
 */
static int restore_unix_send(struct ckpt_ctx *ctx, struct socket *sock,
			     const u8 *data, u32 len, const u8 *refs, u32 nr_fds)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = (void *)data, .iov_len = len };
	struct cmsghdr *cmsg = NULL;
	int *fds = NULL;
	struct file *file;
	u32 i;
	int n, err = 0;

	if (nr_fds) {
		msg.msg_controllen = CMSG_SPACE(nr_fds * sizeof(int));
		cmsg = kzalloc(msg.msg_controllen, GFP_KERNEL);
		if (!cmsg)
			return -ENOMEM;
		cmsg->cmsg_len = CMSG_LEN(nr_fds * sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		msg.msg_control = cmsg;
		fds = (int *)CMSG_DATA(cmsg);
		for (i = 0; i < nr_fds; i++)
			fds[i] = -1;
	}
	for (i = 0; i < nr_fds && !err; i++) {
		file = ckpt_file_inflight(ctx, get_unaligned((const u32 *)refs + i));
		if (IS_ERR(file)) {
			err = PTR_ERR(file);
			break;
		}
		fds[i] = get_unused_fd_flags(O_CLOEXEC);
		if (fds[i] < 0)
			err = fds[i];
		else
			fd_install(fds[i], get_file(file));
	}
	if (!err) {
		n = kernel_sendmsg(sock, &msg, &iov, 1, len);
		err = n == len ? 0 : n < 0 ? n : -EIO;
	}
	for (i = 0; i < nr_fds; i++)
		if (fds[i] >= 0)
			close_fd(fds[i]);
	kfree(cmsg);
	return err;
}

/*
 * Give the end @to its data, sent by its peer @from.  Its peer may send
 * as much as the image holds for the time: the data was queued once, under
 * limits restart does not know.
 */
static int restore_unix_fill(struct ckpt_ctx *ctx, struct socket *from,
			     const struct ckpt_unix_end *e, const u8 *p)
{
	struct sock *sk = from->sk;
	int sndbuf = READ_ONCE(sk->sk_sndbuf);
	struct ckpt_unix_end_data d;
	const u8 *refs;
	u32 i, len, n;
	int err = 0;

	ckpt_unix_end_data(e, p, &d);
	refs = d.refs;
	WRITE_ONCE(sk->sk_sndbuf, INT_MAX / 2);
	if (!e->nr_msgs && e->nr_bytes)
		err = restore_unix_send(ctx, from, d.data, e->nr_bytes, NULL, 0);
	for (i = 0; i < e->nr_msgs && !err; i++) {
		len = get_unaligned((const u32 *)d.lens + i);
		n = e->nr_fds ? get_unaligned((const u32 *)d.nfds + i) : 0;
		err = restore_unix_send(ctx, from, d.data, len, refs, n);
		d.data += len;
		refs += n * sizeof(u32);
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
	p[1] = p[0] + ckpt_unix_end_len(&h->end[0]);
	for (i = 0; i < 2; i++) {
		err = restore_unix_fill(ctx, sock_from_file(r->end[!i]),
					&h->end[i], p[i]);
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
		   2 * ((2 * CKPT_UNIX_MAX_MSGS + CKPT_UNIX_MAX_FDS) *
			sizeof(u32) + CKPT_UNIX_MAX_BYTES),
	.grab = ckpt_unix_grab,
	.drop = ckpt_unix_drop,
	.checkpoint = ckpt_unix_pair_checkpoint,
	.restore = ckpt_unix_pair_restore,
	.release = ckpt_unix_pair_release,
};
