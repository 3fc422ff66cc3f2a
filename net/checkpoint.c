// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: sockets.
 *
 * A socket is saved in the record of its file, a struct ckpt_socket:
 * its family, type and protocol, the options a program sets with
 * setsockopt(2), and how it comes back (enum ckpt_sock_state).
 *
 *  - AF_UNIX: see net/unix/checkpoint.c.  A connected pair whose ends
 *    are both saved comes back with the data queued to each end.
 *  - AF_INET and AF_INET6, TCP and UDP: a socket not yet bound comes
 *    back as socket(2) made it; a bound or listening one is bound to the
 *    same address and port again, and listens; a UDP socket is connected
 *    to the same destination again.  A TCP connection of the network
 *    namespace saved with the tasks, established or closing, is made
 *    again in repair mode, with its sequence numbers, windows, queues
 *    and FINs (CKPT_HDR_TCP, below), and so is one of the
 *    checkpointer's namespace with CHECKPOINT_TCP_REPAIR, which a
 *    CHECKPOINT_KILL closes silently.  So are the connections a
 *    listening socket holds for accept(2), queued to it again once
 *    made (CKPT_HDR_TCP_ACCEPT).
 *    Another TCP connection, whose peer is not saved, comes back reset:
 *    its first read or write fails with ECONNRESET, as when a peer
 *    resets a connection, so that its descriptor stays a socket.
 *    Datagrams queued to a UDP socket are not saved: they are lost, as
 *    a network may lose them.
 *  - Any other family or protocol makes the checkpoint fail with a
 *    message that names the descriptor and the socket; with
 *    CHECKPOINT_RESET_SOCKETS, it is saved by its kind alone and comes
 *    back as a reset AF_UNIX socket, a descriptor that fails as a
 *    connection the peer reset does, rather than one given to another
 *    file or none.
 *
 * Restart makes sockets in the network namespace of the restarting
 * process, or the one it made for the tasks, with its rights: binding a
 * port below 1024, for one, needs what bind(2) needs.  Each step is what
 * the system call would do, security hooks included.
 *
 * The network namespace of the tasks' own, with its devices, addresses
 * and routes, is saved by net/core/checkpoint.c.
 */

#include <linux/checkpoint.h>
#include <linux/file.h>
#include <linux/in.h>
#include <linux/inetdevice.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/security.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/un.h>
#include <net/addrconf.h>
#include <net/inet6_hashtables.h>
#include <net/inet_connection_sock.h>
#include <net/inet_hashtables.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

/* ---------------------------------------------------------------- */
/* Sockets                                                            */

static int ckpt_tcp_accept_save(struct ckpt_ctx *ctx, struct sock *sk);

/* The states of a TCP connection that can be made again. */
#define CKPT_TCPF_SAVED	(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 | \
			 TCPF_FIN_WAIT2 | TCPF_CLOSING | TCPF_LAST_ACK)

/* The options of @sock a program may have changed. */
static void ckpt_sock_opts(struct socket *sock, struct ckpt_socket *s)
{
	struct sock *sk = sock->sk;
	long timeo;

	lock_sock(sk);
	if (sk->sk_reuse)
		s->opts |= CKPT_SO_REUSEADDR;
	if (sk->sk_reuseport)
		s->opts |= CKPT_SO_REUSEPORT;
	if (sock_flag(sk, SOCK_KEEPOPEN))
		s->opts |= CKPT_SO_KEEPALIVE;
	if (sock_flag(sk, SOCK_BROADCAST))
		s->opts |= CKPT_SO_BROADCAST;
	if (sock_flag(sk, SOCK_URGINLINE))
		s->opts |= CKPT_SO_OOBINLINE;
	if (test_bit(SOCK_PASSCRED, &sock->flags))
		s->opts |= CKPT_SO_PASSCRED;
	if (sock_flag(sk, SOCK_LINGER)) {
		unsigned long t = READ_ONCE(sk->sk_lingertime);

		s->opts |= CKPT_SO_LINGER;
		s->linger = t == MAX_SCHEDULE_TIMEOUT ? CKPT_SO_LINGER_FOREVER :
			    min_t(unsigned long, t / HZ, INT_MAX);
	}
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK) {
		s->opts |= CKPT_SO_SNDBUF;
		s->sndbuf = READ_ONCE(sk->sk_sndbuf);
	}
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK) {
		s->opts |= CKPT_SO_RCVBUF;
		s->rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	}
	if (sk_is_tcp(sk) &&
	    tcp_sk(sk)->nonagle & TCP_NAGLE_OFF)
		s->opts |= CKPT_SO_TCP_NODELAY;
	if (sk->sk_family == AF_INET6 && sk->sk_ipv6only)
		s->opts |= CKPT_SO_V6ONLY;
	s->rcvlowat = READ_ONCE(sk->sk_rcvlowat);
	timeo = READ_ONCE(sk->sk_rcvtimeo);
	if (timeo != MAX_SCHEDULE_TIMEOUT)
		s->rcvtimeo_us = jiffies_to_usecs(timeo);
	timeo = READ_ONCE(sk->sk_sndtimeo);
	if (timeo != MAX_SCHEDULE_TIMEOUT)
		s->sndtimeo_us = jiffies_to_usecs(timeo);
	release_sock(sk);
}

/* An AF_INET or AF_INET6 socket of TCP or UDP. */
static int ckpt_inet_describe(struct ckpt_ctx *ctx, struct socket *sock,
			      struct ckpt_socket *s, struct sock **key)
{
	struct sock *sk = sock->sk;
	bool bound = inet_sk(sk)->inet_num;
	int state = READ_ONCE(sk->sk_state);
	int len;

	if (!net_eq(sock_net(sk), ctx->net))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"a socket of another network namespace than the tasks': not supported");
	/* A connection of the namespace saved is made again as it is. */
	if (sk->sk_protocol == IPPROTO_TCP && (1 << state) & CKPT_TCPF_SAVED &&
	    (ctx->own_net || ctx->flags & CHECKPOINT_TCP_REPAIR)) {
		if (!ctx->own_net &&
		    !ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN))
			return ckpt_err(ctx, -EPERM,
					"repairing a TCP connection needs CAP_NET_ADMIN");
		s->state = CKPT_SOCK_TCP;
		*key = sk;
		return 0;
	}
	/* Another TCP connection, or one being made, cannot be remade. */
	if (sk->sk_protocol == IPPROTO_TCP && state != TCP_LISTEN &&
	    state != TCP_CLOSE) {
		s->state = CKPT_SOCK_RESET;
		return 0;
	}
	if (state == TCP_LISTEN) {
		s->state = CKPT_SOCK_LISTEN;
		s->backlog = READ_ONCE(sk->sk_max_ack_backlog);
		/* And the connections it holds for accept(2), if any. */
		if (sk->sk_protocol == IPPROTO_TCP &&
		    (ctx->own_net || ctx->flags & CHECKPOINT_TCP_REPAIR))
			*key = sk;
	} else {
		s->state = bound ? CKPT_SOCK_BOUND : CKPT_SOCK_FRESH;
	}
	if (!bound)
		return 0;
	len = kernel_getsockname(sock, (struct sockaddr *)s->addr);
	if (len < 0)
		return ckpt_err(ctx, len, "cannot read the address of a socket");
	s->addr_len = len;
	if (sk->sk_protocol == IPPROTO_UDP && state == TCP_ESTABLISHED) {
		len = kernel_getpeername(sock, (struct sockaddr *)s->peer);
		if (len < 0)
			return ckpt_err(ctx, len, "cannot read the peer of a socket");
		s->peer_len = len;
	}
	return 0;
}

/*
 * How the socket of @file is saved, and the object written before it
 * that it refers to, if any: the pair of connected AF_UNIX sockets it
 * belongs to, its TCP connection, or the connections a listening TCP
 * socket holds for accept(2).
 */
static int ckpt_sock_describe(struct ckpt_ctx *ctx, struct file *file,
			      struct ckpt_socket *s, struct sock **key,
			      const struct ckpt_obj_ops **ops)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock->sk;
	int err = 0;

	*key = NULL;
	memset(s, 0, sizeof(*s));
	if (!sk)
		return ckpt_err(ctx, -EOPNOTSUPP, "a socket being closed");
	s->family = sk->sk_family;
	s->type = sk->sk_type;
	s->protocol = sk->sk_protocol;

	if (s->family == AF_UNIX &&
	    (s->type == SOCK_STREAM || s->type == SOCK_DGRAM ||
	     s->type == SOCK_SEQPACKET))
		err = ckpt_unix_describe(ctx, sock, s, key);
	else if ((s->family == AF_INET || s->family == AF_INET6) &&
		 ((s->type == SOCK_STREAM && s->protocol == IPPROTO_TCP) ||
		  (s->type == SOCK_DGRAM && s->protocol == IPPROTO_UDP)))
		err = ckpt_inet_describe(ctx, sock, s, key);
	else if (ctx->flags & CHECKPOINT_RESET_SOCKETS)
		s->state = CKPT_SOCK_LOST;
	else
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "a socket of family %u, type %u, protocol %u: not supported",
			       s->family, s->type, s->protocol);
	if (!err && s->state != CKPT_SOCK_LOST)
		ckpt_sock_opts(sock, s);
	if (s->state == CKPT_SOCK_TCP)
		*ops = &ckpt_tcp_ops;
	else if (s->state == CKPT_SOCK_LISTEN)
		*ops = &ckpt_tcp_accept_ops;
	else
		*ops = &ckpt_unix_pair_ops;
	return err;
}

/**
 * ckpt_sock_prepare - write what the record of a socket's file names
 * @ctx:	checkpoint context
 * @file:	a socket's file
 *
 * The pair of connected AF_UNIX sockets it belongs to comes before it,
 * after the files in flight to the pair; or its TCP connection; or the
 * connections waiting for accept(2) on it, if there are some.
 *
 * Return: 0, or a negative errno with a message.
 */
int ckpt_sock_prepare(struct ckpt_ctx *ctx, struct file *file)
{
	const struct ckpt_obj_ops *ops;
	struct ckpt_socket s;
	struct sock *key;
	u32 ref;
	int err;

	err = ckpt_sock_describe(ctx, file, &s, &key, &ops);
	if (err || !key || !ckpt_obj_lookup(ctx, key, ops, &ref))
		return err;
	if (ops == &ckpt_tcp_accept_ops)
		return ckpt_tcp_accept_save(ctx, key);
	if (ops == &ckpt_unix_pair_ops)
		err = ckpt_unix_prepare(ctx, key);
	return err ?: ckpt_obj_checkpoint(ctx, key, ops, &ref);
}

/**
 * ckpt_sock_save - describe the socket of a file for its record
 * @ctx:	checkpoint context
 * @file:	a socket's file, after ckpt_sock_prepare()
 * @s:		filled
 *
 * Return: 0 or a negative errno.
 */
int ckpt_sock_save(struct ckpt_ctx *ctx, struct file *file,
		   struct ckpt_socket *s)
{
	const struct ckpt_obj_ops *ops;
	struct sock *key;
	int err;

	err = ckpt_sock_describe(ctx, file, s, &key, &ops);
	if (!err && key)
		err = ckpt_obj_lookup(ctx, key, ops, &s->pair_ref);
	/* A listening socket that held no connection: none to name. */
	if (err == -ENOENT && ops == &ckpt_tcp_accept_ops)
		err = 0;
	return err;
}

/* ---------------------------------------------------------------- */
/* TCP connections                                                    */

/* Why the connection @sk, locked, cannot be saved, or NULL. */
static const char *ckpt_tcp_unsupported(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!((1 << sk->sk_state) & CKPT_TCPF_SAVED))
		return "a connection closed while the checkpoint ran";
	if (tp->repair)
		return "a connection in repair mode";
	if (tp->urg_data)
		return "urgent data";
	if (inet_csk_has_ulp(sk))
		return "an upper layer protocol (TCP_ULP)";
#ifdef CONFIG_TCP_MD5SIG
	if (rcu_access_pointer(tp->md5sig_info))
		return "TCP-MD5 keys";
#endif
#ifdef CONFIG_TCP_AO
	if (rcu_access_pointer(tp->ao_info))
		return "TCP-AO keys";
#endif
	if (tp->rcv_nxt - tp->copied_seq > CKPT_TCP_QUEUE_MAX ||
	    tp->write_seq - tp->snd_una > CKPT_TCP_QUEUE_MAX)
		return "more than 16 MiB queued";
	return NULL;
}

/*
 * Copy the bytes of @skb whose sequence numbers are in [@from, @to) to
 * @buf, which starts at @start.  Returns how many, or a negative errno.
 */
static int ckpt_tcp_copy(const struct sk_buff *skb, u32 from, u32 to,
			 u32 start, u8 *buf)
{
	u32 seq = TCP_SKB_CB(skb)->seq, end = seq + skb->len;
	int err;

	if (before(from, seq))
		from = seq;
	if (after(to, end))
		to = end;
	if (!before(from, to))
		return 0;
	err = skb_copy_bits(skb, from - seq, buf + (from - start), to - from);
	return err ?: to - from;
}

/* The queues of @sk, locked: as @h says, into @buf. */
static int ckpt_tcp_read_queues(struct sock *sk, const struct ckpt_hdr_tcp *h,
				u8 *buf)
{
	u32 rcv = h->rcv_len, snd = h->snd_len;
	struct sk_buff *skb;
	u32 got = 0;
	int n;

	skb_queue_walk(&sk->sk_receive_queue, skb) {
		n = ckpt_tcp_copy(skb, h->copied_seq, h->copied_seq + rcv,
				  h->copied_seq, buf);
		if (n < 0)
			return n;
		got += n;
	}
	if (got != rcv)
		return -EBUSY;
	buf += rcv;
	got = 0;
	skb_rbtree_walk(skb, &sk->tcp_rtx_queue) {
		n = ckpt_tcp_copy(skb, h->snd_una, h->snd_una + snd, h->snd_una,
				  buf);
		if (n < 0)
			return n;
		got += n;
	}
	skb_queue_walk(&sk->sk_write_queue, skb) {
		n = ckpt_tcp_copy(skb, h->snd_una, h->snd_una + snd, h->snd_una,
				  buf);
		if (n < 0)
			return n;
		got += n;
	}
	return got == snd ? 0 : -EBUSY;
}

/*
 * The state of @sk, locked, but its addresses: see ckpt_hdr_tcp.  A FIN
 * takes a sequence number after the bytes: the peer's is counted in
 * rcv_nxt, this side's in write_seq, and in snd_una once acknowledged.
 */
static void ckpt_tcp_state(struct sock *sk, struct ckpt_hdr_tcp *h)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int state = 1 << sk->sk_state;
	u32 ts, fin = 0;

	h->family = sk->sk_family;
	if (state & (TCPF_CLOSE_WAIT | TCPF_CLOSING | TCPF_LAST_ACK))
		h->flags |= CKPT_TCP_RCV_FIN;
	if (state & (TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 | TCPF_CLOSING |
		     TCPF_LAST_ACK)) {
		h->flags |= CKPT_TCP_SND_FIN;
		fin = 1;
	}
	/*
	 * A peer's FIN that the program read (read(2) gave 0) is counted in
	 * copied_seq too: save it as not read, which reads the same.
	 */
	h->copied_seq = tp->copied_seq;
	if (h->flags & CKPT_TCP_RCV_FIN && tp->copied_seq == tp->rcv_nxt)
		h->copied_seq--;
	h->rcv_len = tp->rcv_nxt - h->copied_seq -
		     !!(h->flags & CKPT_TCP_RCV_FIN);
	h->snd_len = tp->write_seq - tp->snd_una;
	h->unsent_len = tp->write_seq - tp->snd_nxt;
	if (fin && !h->snd_len) {
		/* The FIN was acknowledged: snd_una counts it. */
		h->snd_una = tp->snd_una - 1;
	} else {
		h->snd_una = tp->snd_una;
		h->snd_len -= fin;
		/* A FIN not sent yet is the last of what was not sent. */
		if (h->unsent_len)
			h->unsent_len -= fin;
	}
	h->snd_wl1 = tp->snd_wl1;
	h->snd_wnd = tp->snd_wnd;
	h->max_window = tp->max_window;
	h->rcv_wnd = tp->rcv_wnd;
	h->rcv_wup = tp->rcv_wup;
	h->mss_clamp = tp->rx_opt.mss_clamp;
	if (tp->rx_opt.sack_ok)
		h->flags |= CKPT_TCP_SACK;
	if (tp->rx_opt.tstamp_ok)
		h->flags |= CKPT_TCP_TIMESTAMPS;
	if (tp->rx_opt.wscale_ok) {
		h->flags |= CKPT_TCP_WSCALE;
		h->snd_wscale = tp->rx_opt.snd_wscale;
		h->rcv_wscale = tp->rx_opt.rcv_wscale;
	}
	/* As getsockopt(TCP_TIMESTAMP) gives it: the low bit for usecs. */
	ts = tcp_clock_ts(tp->tcp_usec_ts) + READ_ONCE(tp->tsoffset);
	h->tsval = tp->tcp_usec_ts ? ts | 1 : ts & ~1;
	h->sndbuf = READ_ONCE(sk->sk_sndbuf);
	h->rcvbuf = READ_ONCE(sk->sk_rcvbuf);
}

/*
 * Its task is to be killed, and its peer, if outside the image (through
 * a veth of the namespace saved, or in the checkpointer's namespace with
 * CHECKPOINT_TCP_REPAIR), to keep the connection for restart(2): in
 * repair mode, closing it sends nothing.  When both ends are in the
 * image, both go without a word.
 */
static void ckpt_tcp_kill(struct ckpt_ctx *ctx, void *ptr)
{
	struct sock *sk = ptr;

	/* As TCP_REPAIR itself: else it closes as any socket does. */
	if (!ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN))
		return;
	lock_sock(sk);
	tcp_sk(sk)->repair = 1;
	tcp_sk(sk)->repair_queue = TCP_NO_QUEUE;
	release_sock(sk);
}

static void ckpt_tcp_grab(void *ptr)
{
	sock_hold(ptr);
}

static void ckpt_tcp_drop(void *ptr)
{
	sock_put(ptr);
}

/* Whether @child waits in the accept queue of the listening socket @sk. */
static bool ckpt_tcp_queued(struct sock *sk, const struct sock *child)
{
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;
	struct request_sock *req;
	bool found = false;

	spin_lock_bh(&queue->rskq_lock);
	for (req = queue->rskq_accept_head; req && !found; req = req->dl_next)
		found = req->sk == child;
	spin_unlock_bh(&queue->rskq_lock);
	return found;
}

/* A connection without a socket, and where to put its listening socket. */
struct ckpt_tcp_find {
	const struct sock *conn;
	struct sock **listener;
};

/*
 * For ckpt_file_match_in_tasks(): is @file the listening socket that the
 * connection of @arg waits on?  If so, it is held in *listener.
 */
static bool ckpt_tcp_listener_of(struct file *file, const void *arg)
{
	const struct ckpt_tcp_find *f = arg;
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? sock->sk : NULL;

	if (!sk || !sk_is_tcp(sk) || READ_ONCE(sk->sk_state) != TCP_LISTEN ||
	    !ckpt_tcp_queued(sk, f->conn))
		return false;
	sock_hold(sk);
	*f->listener = sk;
	return true;
}

/*
 * Whether the connection @sk is saved with the tasks: its file is
 * theirs, or it has none yet and waits on a listening socket of theirs
 * for accept(2), which is then held in *@listener, if @listener is not
 * NULL.
 */
static bool ckpt_tcp_in_tasks(struct ckpt_ctx *ctx, struct sock *sk,
			      struct sock **listener)
{
	struct ckpt_tcp_find f = { .conn = sk, .listener = listener };
	struct socket *sock;
	bool in = false;

	/* A socket being closed is freed after a grace period. */
	rcu_read_lock();
	sock = READ_ONCE(sk->sk_socket);
	if (sock)
		in = ckpt_file_in_tasks(ctx, READ_ONCE(sock->file));
	rcu_read_unlock();
	if (sock || !listener || sock_flag(sk, SOCK_DEAD))
		return in;
	return ckpt_file_match_in_tasks(ctx, ckpt_tcp_listener_of, &f);
}

/*
 * The other end of the connection @sk, if it is a socket of the image
 * not saved yet: with a reference, or NULL.  If it waits for accept(2),
 * its listening socket is held in *@listener; with @listener NULL, such
 * a peer is not looked for.
 */
static struct sock *ckpt_tcp_peer(struct ckpt_ctx *ctx, struct sock *sk,
				  struct sock **listener)
{
	struct net *net = sock_net(sk);
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;
	const struct inet_sock *inet = inet_sk(sk);
	struct sock *peer;
	u32 ref;

	rcu_read_lock();
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6 && !ipv6_addr_v4mapped(&sk->sk_v6_daddr))
		peer = __inet6_lookup_established(net, hinfo,
						  &sk->sk_v6_rcv_saddr,
						  inet->inet_sport,
						  &sk->sk_v6_daddr,
						  ntohs(inet->inet_dport), 0, 0);
	else
#endif
		peer = __inet_lookup_established(net, hinfo, inet->inet_saddr,
						 inet->inet_sport,
						 inet->inet_daddr,
						 ntohs(inet->inet_dport), 0, 0);
	rcu_read_unlock();
	if (!peer)
		return NULL;
	if (peer == sk || !sk_fullsock(peer) ||
	    !((1 << peer->sk_state) & CKPT_TCPF_SAVED) ||
	    !ckpt_tcp_in_tasks(ctx, peer, listener) ||
	    !ckpt_obj_lookup(ctx, peer, &ckpt_tcp_ops, &ref)) {
		sock_gen_put(peer);
		return NULL;
	}
	return peer;
}

/* One end of a connection, as read while its socket was locked. */
struct ckpt_tcp_snap {
	struct sock *sk;
	struct ckpt_hdr_tcp *h;
	const char *why;	/* what cannot be saved */
	int err;
};

static void ckpt_tcp_snap(struct ckpt_tcp_snap *t)
{
	struct sock *sk = t->sk;
	struct tcp_sock *tp = tcp_sk(sk);
	u32 len;

	t->why = ckpt_tcp_unsupported(sk);
	if (t->why)
		return;
	/* The queues, and the FINs of a closing connection: at most. */
	len = tp->rcv_nxt - tp->copied_seq + tp->write_seq - tp->snd_una;
	t->h = ckpt_hdr_alloc_data(sizeof(*t->h), len, CKPT_HDR_TCP);
	if (!t->h) {
		t->err = -ENOMEM;
		return;
	}
	ckpt_tcp_state(sk, t->h);
	t->err = ckpt_tcp_read_queues(sk, t->h, (u8 *)(t->h + 1));
	if (t->err == -EBUSY)
		t->why = "queues with holes";
	t->h->h.h.len += t->h->rcv_len + t->h->snd_len;
}

/* The port of a saved IPv4 or IPv6 address: sin6_port is where sin_port is. */
static __be16 ckpt_inet_port(const u8 *addr)
{
	return ((const struct sockaddr_in *)addr)->sin_port;
}

/*
 * The address of the connection @sk, or of its peer, as getsockname(2)
 * or getpeername(2) give it, into @out: its length.  Read from the
 * connection, which may have no socket yet.
 */
static u32 ckpt_tcp_addr(struct sock *sk, bool peer, u8 *out)
{
	const struct inet_sock *inet = inet_sk(sk);
	__be16 port = peer ? inet->inet_dport : inet->inet_sport;
	struct sockaddr_in *sin = (struct sockaddr_in *)out;
#if IS_ENABLED(CONFIG_IPV6)
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;

	if (sk->sk_family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = port;
		if (peer)
			sin6->sin6_addr = sk->sk_v6_daddr;
		else if (ipv6_addr_any(&sk->sk_v6_rcv_saddr))
			sin6->sin6_addr = inet6_sk(sk)->saddr;
		else
			sin6->sin6_addr = sk->sk_v6_rcv_saddr;
		sin6->sin6_scope_id = ipv6_iface_scope_id(&sin6->sin6_addr,
							  sk->sk_bound_dev_if);
		return sizeof(*sin6);
	}
#endif
	sin->sin_family = AF_INET;
	sin->sin_port = port;
	if (peer)
		sin->sin_addr.s_addr = inet->inet_daddr;
	else
		sin->sin_addr.s_addr = inet->inet_rcv_saddr ?: inet->inet_saddr;
	return sizeof(*sin);
}

static int ckpt_tcp_write(struct ckpt_ctx *ctx, struct ckpt_tcp_snap *t,
			  u32 objref)
{
	struct ckpt_hdr_tcp *h = t->h;

	if (t->why)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"a TCP connection with %s: not supported", t->why);
	if (t->err)
		return t->err;
	h->h.objref = objref;
	h->addr_len = ckpt_tcp_addr(t->sk, false, h->addr);
	h->peer_len = ckpt_tcp_addr(t->sk, true, h->peer);
	return ckpt_write_record(ctx, &h->h.h);
}

/*
 * The connection @sk (@objref) as it is while its socket is locked: the
 * segments that come in meanwhile wait in its backlog.  Its other end,
 * if the image holds it, is read under the same locks and written right
 * after it, so that what each end has received and acknowledged agrees
 * with what the other has sent: no byte that one end dropped as
 * acknowledged is missing from the other.
 *
 * A connection waiting for accept(2) is locked under its listening
 * socket, which alone may take it from its queue (inet_csk_accept(),
 * inet_csk_listen_stop()): @listener, held by the caller, if @sk is one,
 * or the peer's if the peer is one.
 */
static int ckpt_tcp_save(struct ckpt_ctx *ctx, struct sock *sk, u32 objref,
			 struct sock *listener)
{
	struct ckpt_tcp_snap t[2] = { { .sk = sk } };
	struct sock *peer_listener = NULL, *lsk;
	int i, sub, err = 0;
	u32 peer_ref;

	/* Closed: not a connection waiting for accept(2), which has none. */
	if (sock_flag(sk, SOCK_DEAD))
		return ckpt_err(ctx, -EBUSY, "a TCP socket closed while the checkpoint ran");
	t[1].sk = ckpt_tcp_peer(ctx, sk, listener ? NULL : &peer_listener);
	lsk = listener ?: peer_listener;
	if (lsk) {
		lock_sock(lsk);
		if (listener && !ckpt_tcp_queued(lsk, sk)) {
			err = ckpt_err(ctx, -EAGAIN,
				       "a connection left the queue of its listening socket: try again");
			goto unlock;
		}
		/* A peer taken from the queue meanwhile is not saved. */
		if (!listener && !ckpt_tcp_queued(lsk, t[1].sk)) {
			sock_gen_put(t[1].sk);
			t[1].sk = NULL;
		}
	}
	sub = lsk ? SINGLE_DEPTH_NESTING : 0;
	if (!t[1].sk) {
		lock_sock_nested(sk, sub);
		ckpt_tcp_snap(&t[0]);
		release_sock(sk);
	} else {
		/* In address order: another checkpoint may lock them too. */
		i = t[1].sk < t[0].sk;
		lock_sock_nested(t[i].sk, sub);
		lock_sock_nested(t[!i].sk, sub + 1);
		ckpt_tcp_snap(&t[0]);
		ckpt_tcp_snap(&t[1]);
		release_sock(t[!i].sk);
		release_sock(t[i].sk);
	}
unlock:
	if (lsk)
		release_sock(lsk);
	if (peer_listener)
		sock_put(peer_listener);
	err = err ?: ckpt_tcp_write(ctx, &t[0], objref);
	if (!err && t[1].sk)
		err = ckpt_obj_add(ctx, t[1].sk, &ckpt_tcp_ops, &peer_ref) ?:
		      ckpt_tcp_write(ctx, &t[1], peer_ref);
	for (i = 0; i < 2; i++)
		kvfree(t[i].h);
	if (t[1].sk)
		sock_gen_put(t[1].sk);
	return err;
}

static int ckpt_tcp_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	return ckpt_tcp_save(ctx, ptr, objref, NULL);
}

/*
 * The connections waiting in the accept queue of the listening socket
 * @sk, in the order accept(2) takes them, held, into @conns: how
 * many there are, up to @max + 1.  One the peer reset is left out, as if
 * the reset had come before the handshake, unless it was saved already
 * as the peer of another; *@why tells of one that cannot be saved, and
 * *@busy of one that cannot be saved yet.
 */
static unsigned int ckpt_tcp_accept_queue(struct ckpt_ctx *ctx, struct sock *sk,
					  struct sock **conns, unsigned int max,
					  const char **why, const char **busy)
{
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;
	struct request_sock *req;
	unsigned int n = 0;
	u32 ref;

	spin_lock_bh(&queue->rskq_lock);
	for (req = queue->rskq_accept_head; req && n <= max; req = req->dl_next) {
		struct sock *child = req->sk;
		int state = READ_ONCE(child->sk_state);

		if (state == TCP_CLOSE &&
		    ckpt_obj_lookup(ctx, child, &ckpt_tcp_ops, &ref))
			continue;
		if (tcp_rsk(req)->tfo_listener && state == TCP_SYN_RECV)
			*why = "a TCP Fast Open connection not accepted yet";
		/* Between its handshake and tcp_child_process(). */
		else if (state == TCP_SYN_RECV)
			*busy = "a connection being made";
		if (n < max)
			conns[n] = child;
		if (n++ < max)
			sock_hold(child);
	}
	spin_unlock_bh(&queue->rskq_lock);
	return n;
}

/*
 * The connections waiting for accept(2) on the listening socket @sk,
 * if any: each, with its peer if the image holds it, then the record
 * that lists them, an object named by the socket's file record.  They
 * have no socket yet, so no program wrote to them.
 */
static int ckpt_tcp_accept_save(struct ckpt_ctx *ctx, struct sock *sk)
{
	struct ckpt_hdr_tcp_accept *h = NULL;
	const char *why = NULL, *busy = NULL;
	unsigned int i, nr, max;
	struct sock **conns;
	u32 *refs;
	int err = 0;

	if (reqsk_queue_empty(&inet_csk(sk)->icsk_accept_queue))
		return 0;
	/* The queue may grow meanwhile, by connections from outside. */
	max = min(READ_ONCE(sk->sk_ack_backlog) + 64U, CKPT_TCP_ACCEPT_MAX);
	conns = kvmalloc_array(max, sizeof(*conns), GFP_KERNEL);
	if (!conns)
		return -ENOMEM;
	nr = ckpt_tcp_accept_queue(ctx, sk, conns, max, &why, &busy);
	if (nr > max && max == CKPT_TCP_ACCEPT_MAX) {
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "a listening socket holding more than %u connections: not supported",
			       CKPT_TCP_ACCEPT_MAX);
		goto out;
	}
	if (nr > max)
		busy = "an accept queue growing";
	if (why || busy) {
		err = why ? ckpt_err(ctx, -EOPNOTSUPP, "%s: not supported", why) :
			    ckpt_err(ctx, -EAGAIN, "%s: try again", busy);
		goto out;
	}
	if (!nr)
		goto out;
	if (!ctx->own_net && !ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN)) {
		err = ckpt_err(ctx, -EPERM,
			       "repairing a TCP connection needs CAP_NET_ADMIN");
		goto out;
	}
	h = ckpt_hdr_alloc(sizeof(*h) + nr * sizeof(*refs), CKPT_HDR_TCP_ACCEPT);
	if (!h) {
		err = -ENOMEM;
		goto out;
	}
	h->nr_conns = nr;
	refs = (u32 *)(h + 1);
	for (i = 0; i < nr && !err; i++) {
		if (!ckpt_obj_lookup(ctx, conns[i], &ckpt_tcp_ops, &refs[i]))
			continue;
		err = ckpt_obj_add(ctx, conns[i], &ckpt_tcp_ops, &refs[i]) ?:
		      ckpt_tcp_save(ctx, conns[i], refs[i], sk);
	}
	err = err ?: ckpt_obj_add(ctx, sk, &ckpt_tcp_accept_ops, &h->h.objref) ?:
	      ckpt_write_record(ctx, &h->h.h);
out:
	for (i = 0; i < min(nr, max); i++)
		sock_put(conns[i]);
	kvfree(conns);
	kvfree(h);
	return err;
}

/* ---------------------------------------------------------------- */
/* Restart                                                            */

/* An address of the socket's family, long enough for it. */
static bool restore_sock_addr_ok(sa_family_t sfamily, const u8 *addr, u32 len)
{
	const size_t path = offsetof(struct sockaddr_un, sun_path);
	sa_family_t family;

	if (len > CKPT_SOCK_ADDR_MAX)
		return false;
	if (!len)
		return true;
	if (len < sizeof(family))
		return false;
	memcpy(&family, addr, sizeof(family));
	if (family != sfamily)
		return false;
	switch (family) {
	case AF_INET:
		return len >= sizeof(struct sockaddr_in);
	case AF_INET6:
		return len >= SIN6_LEN_RFC2133;
	default:
		return len > path && len <= sizeof(struct sockaddr_un);
	}
}

/* A socket saved by what it was: nothing else. */
static int restore_check_sock_lost(struct ckpt_ctx *ctx,
				   const struct ckpt_socket *s)
{
	struct ckpt_socket rest = *s;

	if (!s->family || s->family >= AF_MAX || s->family == AF_UNIX ||
	    !s->type || s->type > SOCK_PACKET)
		return ckpt_err(ctx, -EINVAL, "lost socket of family %u, type %u",
				s->family, s->type);
	rest.family = 0;
	rest.type = 0;
	rest.protocol = 0;
	rest.state = 0;
	return ckpt_check_zero(ctx, &rest, sizeof(rest), "lost socket");
}

/**
 * ckpt_sock_check - check the socket of a file record
 * @ctx:	restart context
 * @s:		the struct ckpt_socket of the record
 *
 * Return: 0, or a negative errno with a message.
 */
int ckpt_sock_check(struct ckpt_ctx *ctx, const struct ckpt_socket *s)
{
	bool unix_sock = s->family == AF_UNIX;
	bool inet = s->family == AF_INET || s->family == AF_INET6;
	bool tcp = inet && s->type == SOCK_STREAM;
	bool bound = s->state == CKPT_SOCK_BOUND ||
		     s->state == CKPT_SOCK_LISTEN;

	if (s->state == CKPT_SOCK_LOST)
		return restore_check_sock_lost(ctx, s);
	if (!(unix_sock && (s->type == SOCK_STREAM || s->type == SOCK_DGRAM ||
			    s->type == SOCK_SEQPACKET) && !s->protocol) &&
	    !(tcp && s->protocol == IPPROTO_TCP) &&
	    !(inet && s->type == SOCK_DGRAM && s->protocol == IPPROTO_UDP))
		return ckpt_err(ctx, -EINVAL, "socket of family %u, type %u, protocol %u",
				s->family, s->type, s->protocol);
	if (s->state < CKPT_SOCK_FRESH || s->state > CKPT_SOCK_TCP ||
	    (s->state == CKPT_SOCK_PAIR && !unix_sock) ||
	    (s->state == CKPT_SOCK_TCP && !tcp) ||
	    (s->state == CKPT_SOCK_RESET && inet && !tcp) ||
	    (s->state == CKPT_SOCK_LISTEN && s->type == SOCK_DGRAM))
		return ckpt_err(ctx, -EINVAL, "socket state %u", s->state);
	if ((s->state == CKPT_SOCK_PAIR && (!s->pair_ref || s->end > 1)) ||
	    (s->state == CKPT_SOCK_TCP && (!s->tcp_ref || s->end)) ||
	    (s->state == CKPT_SOCK_LISTEN && ((s->accept_ref && !tcp) || s->end)) ||
	    (s->state != CKPT_SOCK_PAIR && s->state != CKPT_SOCK_TCP &&
	     s->state != CKPT_SOCK_LISTEN && (s->pair_ref || s->end)))
		return ckpt_err(ctx, -EINVAL, "socket pair_ref %u, end %u",
				s->pair_ref, s->end);
	if (s->opts & ~CKPT_SO_ALL ||
	    (s->opts & CKPT_SO_TCP_NODELAY && !tcp) ||
	    (s->opts & CKPT_SO_V6ONLY && s->family != AF_INET6))
		return ckpt_err(ctx, -EINVAL, "socket options %#x", s->opts);
	if ((s->opts & CKPT_SO_SNDBUF ? s->sndbuf <= 0 : s->sndbuf) ||
	    (s->opts & CKPT_SO_RCVBUF ? s->rcvbuf <= 0 : s->rcvbuf) ||
	    (s->opts & CKPT_SO_LINGER ?
	     s->linger > INT_MAX && s->linger != CKPT_SO_LINGER_FOREVER :
	     s->linger) ||
	    s->rcvlowat < 0 ||
	    (s->state == CKPT_SOCK_LISTEN ? s->backlog > INT_MAX : s->backlog))
		return ckpt_err(ctx, -EINVAL, "socket buffer, linger, low mark or backlog");
	if (!restore_sock_addr_ok(s->family, s->addr, s->addr_len) ||
	    !restore_sock_addr_ok(s->family, s->peer, s->peer_len) ||
	    (s->state == CKPT_SOCK_LISTEN && !s->addr_len) ||
	    (s->state == CKPT_SOCK_BOUND && !s->addr_len && !s->peer_len) ||
	    (!bound && s->addr_len) ||
	    (s->peer_len && (s->state != CKPT_SOCK_BOUND || s->type != SOCK_DGRAM)))
		return ckpt_err(ctx, -EINVAL, "socket addresses of %u and %u bytes",
				s->addr_len, s->peer_len);
	if (ckpt_check_zero(ctx, s->addr + s->addr_len,
			    CKPT_SOCK_ADDR_MAX - s->addr_len, "socket addr") ||
	    ckpt_check_zero(ctx, s->peer + s->peer_len,
			    CKPT_SOCK_ADDR_MAX - s->peer_len, "socket peer"))
		return -EINVAL;
	return 0;
}

static int restore_sock_opt(struct socket *sock, int level, int name, int val)
{
	return sock_setsockopt(sock, level, name, KERNEL_SOCKPTR(&val),
			       sizeof(val));
}

/* As setsockopt(2) would set them, with the rights of current. */
static int restore_sock_opts(struct ckpt_ctx *ctx, struct socket *sock,
			     const struct ckpt_socket *s)
{
	static const struct {
		u32 opt;
		int name;
	} flags[] = {
		{ CKPT_SO_REUSEADDR, SO_REUSEADDR },
		{ CKPT_SO_REUSEPORT, SO_REUSEPORT },
		{ CKPT_SO_KEEPALIVE, SO_KEEPALIVE },
		{ CKPT_SO_BROADCAST, SO_BROADCAST },
		{ CKPT_SO_OOBINLINE, SO_OOBINLINE },
		{ CKPT_SO_PASSCRED, SO_PASSCRED },
	};
	struct sock *sk = sock->sk;
	/* A negative time lingers for ever, as SO_LINGER takes it. */
	struct linger ling = { .l_onoff = 1, .l_linger = (int)s->linger };
	unsigned int i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(flags) && !err; i++)
		if (s->opts & flags[i].opt)
			err = restore_sock_opt(sock, SOL_SOCKET, flags[i].name, 1);
	/* SO_SNDBUF and SO_RCVBUF read twice what they were given. */
	if (!err && s->opts & CKPT_SO_SNDBUF)
		err = restore_sock_opt(sock, SOL_SOCKET, SO_SNDBUF, s->sndbuf / 2);
	if (!err && s->opts & CKPT_SO_RCVBUF)
		err = restore_sock_opt(sock, SOL_SOCKET, SO_RCVBUF, s->rcvbuf / 2);
	if (!err && s->rcvlowat > 1)
		err = restore_sock_opt(sock, SOL_SOCKET, SO_RCVLOWAT, s->rcvlowat);
	if (!err && s->opts & CKPT_SO_LINGER)
		err = sock_setsockopt(sock, SOL_SOCKET, SO_LINGER,
				      KERNEL_SOCKPTR(&ling), sizeof(ling));
	if (!err && s->opts & CKPT_SO_TCP_NODELAY)
		tcp_sock_set_nodelay(sk);
	/* A connection made again is bound already: the flag alone. */
	if (!err && s->opts & CKPT_SO_V6ONLY && s->state == CKPT_SOCK_TCP) {
		lock_sock(sk);
		sk->sk_ipv6only = 1;
		release_sock(sk);
	} else if (!err && s->opts & CKPT_SO_V6ONLY) {
		err = ip6_sock_set_v6only(sk);
	}
	if (err)
		return ckpt_err(ctx, err, "cannot set the options %#x of a socket",
				s->opts);
	if (s->rcvtimeo_us)
		WRITE_ONCE(sk->sk_rcvtimeo,
			   min_t(u64, usecs_to_jiffies(min_t(u64, s->rcvtimeo_us,
							     UINT_MAX)),
				 MAX_SCHEDULE_TIMEOUT - 1));
	if (s->sndtimeo_us)
		WRITE_ONCE(sk->sk_sndtimeo,
			   min_t(u64, usecs_to_jiffies(min_t(u64, s->sndtimeo_us,
							     UINT_MAX)),
				 MAX_SCHEDULE_TIMEOUT - 1));
	return 0;
}

/*
 * The connections of a listening TCP socket may be made before it: those
 * it held for accept(2), and accepted ones whose files come first.  In
 * repair mode they took its port whatever it says (SK_FORCE_REUSE), and
 * so does it, but only in the network namespace restart made for the
 * tasks, which holds no other socket than theirs.
 */
static void restore_sock_reuse(struct ckpt_ctx *ctx, struct socket *sock,
			       const struct ckpt_socket *s, unsigned char *reuse)
{
	struct sock *sk = sock->sk;
	unsigned char old;

	if (s->state != CKPT_SOCK_LISTEN || s->protocol != IPPROTO_TCP ||
	    !ctx->own_net)
		return;
	lock_sock(sk);
	old = sk->sk_reuse;
	sk->sk_reuse = *reuse;
	*reuse = old;
	release_sock(sk);
}

/* Bind, listen and connect as bind(2), listen(2) and connect(2). */
static int restore_sock_state(struct ckpt_ctx *ctx, struct socket *sock,
			      const struct ckpt_socket *s)
{
	struct sockaddr_storage addr = { };
	int err = 0;

	if (s->addr_len) {
		memcpy(&addr, s->addr, s->addr_len);
		err = security_socket_bind(sock, (struct sockaddr *)&addr,
					   s->addr_len) ?:
		      kernel_bind(sock, (struct sockaddr *)&addr, s->addr_len);
		/* The inode a closed socket left at its path. */
		if (err == -EADDRINUSE && s->family == AF_UNIX)
			err = ckpt_unix_unlink_stale(s->type, (void *)&addr,
						     s->addr_len) ?:
			      kernel_bind(sock, (struct sockaddr *)&addr,
					  s->addr_len);
		if (err)
			return ckpt_err(ctx, err, "cannot bind a socket again");
	}
	if (s->state == CKPT_SOCK_LISTEN) {
		err = security_socket_listen(sock, s->backlog) ?:
		      kernel_listen(sock, s->backlog);
		if (err)
			return ckpt_err(ctx, err, "cannot listen on a socket again");
	}
	if (s->peer_len) {
		memcpy(&addr, s->peer, s->peer_len);
		memset((u8 *)&addr + s->peer_len, 0, sizeof(addr) - s->peer_len);
		err = security_socket_connect(sock, (struct sockaddr *)&addr,
					      s->peer_len) ?:
		      kernel_connect(sock, (struct sockaddr *)&addr, s->peer_len,
				     0);
		if (err)
			return ckpt_err(ctx, err, "cannot connect a datagram socket again");
	}
	return 0;
}

/* A TCP connection whose peer was not saved: a reset one. */
static struct file *restore_inet_reset(const struct ckpt_socket *s)
{
	struct socket *sock;
	struct sock *sk;
	int err;

	err = sock_create(s->family, s->type, s->protocol, &sock);
	if (err)
		return ERR_PTR(err);
	sk = sock->sk;
	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	WRITE_ONCE(sk->sk_err, ECONNRESET);
	release_sock(sk);
	return sock_alloc_file(sock, 0, NULL);
}

static struct file *restore_sock_new(struct ckpt_ctx *ctx,
				     const struct ckpt_socket *s)
{
	unsigned char reuse = SK_FORCE_REUSE;
	struct socket *sock;
	int err;

	err = sock_create(s->family, s->type, s->protocol, &sock);
	if (err)
		return ERR_PTR(err);
	err = restore_sock_opts(ctx, sock, s);
	if (!err) {
		restore_sock_reuse(ctx, sock, s, &reuse);
		err = restore_sock_state(ctx, sock, s);
		restore_sock_reuse(ctx, sock, s, &reuse);
	}
	if (err) {
		sock_release(sock);
		return ERR_PTR(err);
	}
	return sock_alloc_file(sock, 0, NULL);
}

/* A restored TCP connection, until its file is taken and it is let go. */
struct ckpt_tcp_restore {
	struct file *file;
	bool taken;
	u16 family;
	u16 flags;		/* CKPT_TCP_* */
	__be16 port;		/* its own */
	u8 *snd;		/* the send queue, written by ckpt_tcp_finish() */
	u32 snd_len, unsent_len;
	s32 sndbuf, rcvbuf;
};

static int restore_check_tcp(struct ckpt_ctx *ctx, const struct ckpt_hdr_tcp *h)
{
	if (h->family != AF_INET && h->family != AF_INET6)
		return ckpt_err(ctx, -EINVAL, "TCP family %u", h->family);
	if (h->flags & ~CKPT_TCP_ALL ||
	    (!(h->flags & CKPT_TCP_WSCALE) && (h->snd_wscale || h->rcv_wscale)) ||
	    h->snd_wscale > TCP_MAX_WSCALE || h->rcv_wscale > TCP_MAX_WSCALE ||
	    !h->mss_clamp)
		return ckpt_err(ctx, -EINVAL, "TCP flags %#x, mss %u, scales %u and %u",
				h->flags, h->mss_clamp, h->snd_wscale,
				h->rcv_wscale);
	if (h->rcv_len > CKPT_TCP_QUEUE_MAX || h->snd_len > CKPT_TCP_QUEUE_MAX ||
	    h->unsent_len > h->snd_len ||
	    h->h.h.len != sizeof(*h) + h->rcv_len + h->snd_len)
		return ckpt_err(ctx, -EINVAL, "TCP queues of %u and %u bytes in %u",
				h->rcv_len, h->snd_len, h->h.h.len);
	if (h->max_window < h->snd_wnd || h->sndbuf <= 0 || h->rcvbuf <= 0)
		return ckpt_err(ctx, -EINVAL, "TCP window %u of %u, buffers %d and %d",
				h->snd_wnd, h->max_window, h->sndbuf, h->rcvbuf);
	if (!h->addr_len || !h->peer_len ||
	    !restore_sock_addr_ok(h->family, h->addr, h->addr_len) ||
	    !restore_sock_addr_ok(h->family, h->peer, h->peer_len))
		return ckpt_err(ctx, -EINVAL, "TCP addresses of %u and %u bytes",
				h->addr_len, h->peer_len);
	return ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad") ?:
	       ckpt_check_zero(ctx, h->addr + h->addr_len,
			       CKPT_SOCK_ADDR_MAX - h->addr_len, "TCP addr") ?:
	       ckpt_check_zero(ctx, h->peer + h->peer_len,
			       CKPT_SOCK_ADDR_MAX - h->peer_len, "TCP peer");
}

/* As setsockopt(2) would, at level SOL_TCP. */
static int restore_tcp_opt(struct socket *sock, int name, void *val, int len)
{
	return security_socket_setsockopt(sock, SOL_TCP, name) ?:
	       READ_ONCE(sock->ops)->setsockopt(sock, SOL_TCP, name,
						KERNEL_SOCKPTR(val), len);
}

static int restore_tcp_int(struct socket *sock, int name, int val)
{
	return restore_tcp_opt(sock, name, &val, sizeof(val));
}

/* Send @len bytes, in repair mode to the queue it is set to. */
static int restore_tcp_send(struct socket *sock, const u8 *data, u32 len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov;
	int n;

	while (len) {
		iov.iov_base = (void *)data;
		iov.iov_len = min_t(u32, len, SZ_64K);
		n = kernel_sendmsg(sock, &msg, &iov, 1, iov.iov_len);
		if (n <= 0)
			return n ?: -EIO;
		data += n;
		len -= n;
	}
	return 0;
}

/* Room in a buffer for @len bytes more than it holds, while restoring. */
static void restore_tcp_room(int *buf, u32 len)
{
	int room = min_t(u64, 2ULL * len + SZ_1M, INT_MAX / 2);

	if (READ_ONCE(*buf) < room)
		WRITE_ONCE(*buf, room);
}

/*
 * The peer had closed its side: its FIN, received and acknowledged after
 * the bytes queued, as tcp_fin() takes one.  Reads give those bytes,
 * then end of file.  Only once out of repair mode: leaving it sends the
 * window probe that has the peer acknowledge and resend what it must,
 * and tcp_send_window_probe() probes from ESTABLISHED only.  Unless the
 * peer sent its FIN again since.
 */
static void restore_tcp_rcv_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	lock_sock(sk);
	if (sk->sk_state == TCP_ESTABLISHED &&
	    !(sk->sk_shutdown & RCV_SHUTDOWN)) {
		WRITE_ONCE(tp->rcv_nxt, tp->rcv_nxt + 1);
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
		sock_set_flag(sk, SOCK_DONE);
		tcp_set_state(sk, TCP_CLOSE_WAIT);
	}
	release_sock(sk);
}

/*
 * Make the connection again in repair mode: it sends nothing, and its
 * peer may not exist yet.  Its send queue waits for ckpt_tcp_finish().
 */
static int restore_tcp(struct ckpt_ctx *ctx, const struct ckpt_hdr_tcp *h,
		       struct ckpt_tcp_restore *r)
{
	struct tcp_repair_window win = {
		.snd_wl1 = h->snd_wl1,
		.snd_wnd = h->snd_wnd,
		.max_window = h->max_window,
		.rcv_wnd = h->rcv_wnd,
		.rcv_wup = h->rcv_wup,
	};
	struct tcp_repair_opt opts[4];
	struct sockaddr_storage addr = { }, peer = { };
	struct socket *sock;
	int nr = 0, err;

	err = sock_create(h->family, SOCK_STREAM, IPPROTO_TCP, &sock);
	if (err)
		return ckpt_err(ctx, err, "cannot make a TCP socket");
	r->file = sock_alloc_file(sock, 0, NULL);
	if (IS_ERR(r->file)) {
		err = PTR_ERR(r->file);
		r->file = NULL;
		return ckpt_err(ctx, err, "cannot make a TCP socket");
	}
	err = restore_tcp_int(sock, TCP_REPAIR, TCP_REPAIR_ON);
	if (err)
		return ckpt_err(ctx, err, "cannot repair a TCP connection (CAP_NET_ADMIN)");

	err = restore_tcp_int(sock, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE) ?:
	      restore_tcp_int(sock, TCP_QUEUE_SEQ, h->snd_una) ?:
	      restore_tcp_int(sock, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE) ?:
	      restore_tcp_int(sock, TCP_QUEUE_SEQ, h->copied_seq);
	if (!err && h->flags & CKPT_TCP_TIMESTAMPS)
		err = restore_tcp_int(sock, TCP_TIMESTAMP, h->tsval);
	if (err)
		return ckpt_err(ctx, err, "cannot set the sequence numbers of a TCP connection");

	memcpy(&addr, h->addr, h->addr_len);
	memcpy(&peer, h->peer, h->peer_len);
	err = security_socket_bind(sock, (struct sockaddr *)&addr, h->addr_len) ?:
	      kernel_bind(sock, (struct sockaddr *)&addr, h->addr_len);
	if (err)
		return ckpt_err(ctx, err, "cannot bind a TCP connection again");
	err = security_socket_connect(sock, (struct sockaddr *)&peer,
				      h->peer_len) ?:
	      kernel_connect(sock, (struct sockaddr *)&peer, h->peer_len, 0);
	if (err)
		return ckpt_err(ctx, err, "cannot connect a TCP connection again");

	opts[nr++] = (struct tcp_repair_opt){ TCPOPT_MSS, h->mss_clamp };
	if (h->flags & CKPT_TCP_WSCALE)
		opts[nr++] = (struct tcp_repair_opt){ TCPOPT_WINDOW,
			h->snd_wscale | (u32)h->rcv_wscale << 16 };
	if (h->flags & CKPT_TCP_SACK)
		opts[nr++] = (struct tcp_repair_opt){ TCPOPT_SACK_PERM, 0 };
	if (h->flags & CKPT_TCP_TIMESTAMPS)
		opts[nr++] = (struct tcp_repair_opt){ TCPOPT_TIMESTAMP, 0 };
	err = restore_tcp_opt(sock, TCP_REPAIR_OPTIONS, opts,
			      nr * sizeof(opts[0]));
	if (err)
		return ckpt_err(ctx, err, "cannot set the options of a TCP connection");

	restore_tcp_room(&sock->sk->sk_rcvbuf, h->rcv_len);
	err = restore_tcp_int(sock, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE) ?:
	      restore_tcp_send(sock, (const u8 *)(h + 1), h->rcv_len);
	if (err)
		return ckpt_err(ctx, err, "cannot queue %u bytes to a TCP connection",
				h->rcv_len);
	/* The peer's FIN is taken once the connection is let go. */
	if (h->flags & CKPT_TCP_RCV_FIN &&
	    win.rcv_wup == h->copied_seq + h->rcv_len + 1)
		win.rcv_wup--;
	err = restore_tcp_opt(sock, TCP_REPAIR_WINDOW, &win, sizeof(win));
	if (err)
		return ckpt_err(ctx, err, "cannot set the windows of a TCP connection");

	if (h->snd_len) {
		r->snd = kvmemdup((const u8 *)(h + 1) + h->rcv_len, h->snd_len,
				  GFP_KERNEL);
		if (!r->snd)
			return -ENOMEM;
	}
	r->unsent_len = h->unsent_len;
	r->sndbuf = h->sndbuf;
	r->rcvbuf = h->rcvbuf;
	return 0;
}

static void ckpt_tcp_release(void *ptr)
{
	struct ckpt_tcp_restore *r = ptr;

	if (r->file)
		fput(r->file);
	kvfree(r->snd);
	kfree(r);
}

static void *ckpt_tcp_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_tcp *h = container_of(hdr, struct ckpt_hdr_tcp, h.h);
	struct ckpt_tcp_restore *r;
	int err;

	err = restore_check_tcp(ctx, h);
	if (err)
		return ERR_PTR(err);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->family = h->family;
	r->flags = h->flags;
	r->snd_len = h->snd_len;
	r->port = ckpt_inet_port(h->addr);
	if (ckpt_restoring(ctx)) {
		err = restore_tcp(ctx, h, r);
		if (err) {
			ckpt_tcp_release(r);
			return ERR_PTR(err);
		}
	}
	return r;
}

/*
 * Every connection of the image exists: let each go.  What it had sent
 * goes to its send queue as sent, to be sent again if its peer does not
 * acknowledge it, and the window probe that leaving repair mode sends
 * asks the peer to; then what it had not sent yet is sent.
 */
static int ckpt_tcp_finish(struct ckpt_ctx *ctx, void *ptr)
{
	struct ckpt_tcp_restore *r = ptr;
	u32 sent = r->snd_len - r->unsent_len;
	struct socket *sock;
	struct sock *sk;
	int err;

	if (!r->file)
		return 0;
	sock = sock_from_file(r->file);
	sk = sock->sk;
	restore_tcp_room(&sk->sk_sndbuf, r->snd_len);
	err = restore_tcp_int(sock, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE) ?:
	      restore_tcp_send(sock, r->snd, sent) ?:
	      restore_tcp_int(sock, TCP_REPAIR, TCP_REPAIR_OFF);
	if (!err && r->flags & CKPT_TCP_RCV_FIN)
		restore_tcp_rcv_fin(sk);
	err = err ?: restore_tcp_send(sock, r->snd + sent, r->unsent_len);
	/*
	 * This side was shut down: its FIN goes after its bytes again, and
	 * a peer that had it acknowledges it once more.
	 */
	if (!err && r->flags & CKPT_TCP_SND_FIN)
		err = security_socket_shutdown(sock, SHUT_WR) ?:
		      kernel_sock_shutdown(sock, SHUT_WR);
	WRITE_ONCE(sk->sk_sndbuf, r->sndbuf);
	WRITE_ONCE(sk->sk_rcvbuf, r->rcvbuf);
	/*
	 * A peer that is gone answered the probe of leaving repair mode
	 * with a reset: the program finds the connection reset, as if the
	 * reset had come after the restart.
	 */
	if (err == -EPIPE || err == -ECONNRESET || err == -ENOTCONN)
		err = 0;
	if (err)
		return ckpt_err(ctx, err, "cannot let a TCP connection with %u bytes to send go",
				r->snd_len);
	return 0;
}

/* The file of a restored connection, once. */
static int ckpt_tcp_take(struct ckpt_ctx *ctx, const struct ckpt_socket *s,
			 struct file **file)
{
	struct ckpt_tcp_restore *r;

	r = ckpt_obj_fetch(ctx, s->tcp_ref, &ckpt_tcp_ops, "tcp_ref");
	if (IS_ERR(r))
		return PTR_ERR(r);
	if (r->taken)
		return ckpt_err(ctx, -EINVAL, "TCP connection %u twice",
				s->tcp_ref);
	if (r->family != s->family)
		return ckpt_err(ctx, -EINVAL, "TCP connection %u: not of family %u",
				s->tcp_ref, s->family);
	r->taken = true;
	if (ckpt_restoring(ctx))
		*file = get_file(r->file);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Connections waiting for accept(2)                                  */

/* The connections of a CKPT_HDR_TCP_ACCEPT, until they are queued. */
struct ckpt_tcp_accept_restore {
	struct file *listener;	/* the listening socket's, once taken */
	bool taken;
	unsigned int nr;
	struct ckpt_tcp_restore *conns[] __counted_by(nr);
};

static void ckpt_tcp_accept_release(void *ptr)
{
	struct ckpt_tcp_accept_restore *a = ptr;

	if (a->listener)
		fput(a->listener);
	kfree(a);
}

/*
 * Each connection is one of the image not taken by another, that sent
 * nothing: the listening socket takes them.
 */
static void *ckpt_tcp_accept_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_tcp_accept *h = container_of(hdr, struct ckpt_hdr_tcp_accept,
						     h.h);
	const u32 *refs = (const u32 *)(h + 1);
	struct ckpt_tcp_accept_restore *a;
	struct ckpt_tcp_restore *r;
	unsigned int i;

	if (h->nr_conns > CKPT_TCP_ACCEPT_MAX ||
	    h->h.h.len != sizeof(*h) + h->nr_conns * sizeof(*refs))
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "accept queue of %u connections in %u bytes",
					h->nr_conns, h->h.h.len));
	if (ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad"))
		return ERR_PTR(-EINVAL);
	a = kzalloc(struct_size(a, conns, h->nr_conns), GFP_KERNEL);
	if (!a)
		return ERR_PTR(-ENOMEM);
	a->nr = h->nr_conns;
	for (i = 0; i < a->nr; i++) {
		r = ckpt_obj_fetch(ctx, refs[i], &ckpt_tcp_ops, "accept queue");
		if (IS_ERR(r)) {
			kfree(a);
			return ERR_CAST(r);
		}
		if (r->taken || r->snd_len || r->flags & CKPT_TCP_SND_FIN) {
			kfree(a);
			return ERR_PTR(ckpt_err(ctx, -EINVAL,
						"TCP connection %u: not one waiting for accept(2)",
						refs[i]));
		}
		r->taken = true;
		a->conns[i] = r;
	}
	return a;
}

/*
 * The connections for the listening socket of @s, once, with its @file.
 * They have its options, which they took from it as they were made.
 */
static int ckpt_tcp_accept_take(struct ckpt_ctx *ctx, const struct ckpt_socket *s,
				struct file *file)
{
	__be16 port = ckpt_inet_port(s->addr);
	struct ckpt_socket conn = *s;
	struct ckpt_tcp_accept_restore *a;
	unsigned int i;
	int err;

	a = ckpt_obj_fetch(ctx, s->accept_ref, &ckpt_tcp_accept_ops, "accept_ref");
	if (IS_ERR(a))
		return PTR_ERR(a);
	if (a->taken)
		return ckpt_err(ctx, -EINVAL, "accept queue %u twice", s->accept_ref);
	for (i = 0; i < a->nr; i++)
		if (a->conns[i]->family != s->family || a->conns[i]->port != port)
			return ckpt_err(ctx, -EINVAL,
					"accept queue %u: a connection of another family or port",
					s->accept_ref);
	a->taken = true;
	if (!file)
		return 0;
	conn.state = CKPT_SOCK_TCP;
	for (i = 0; i < a->nr; i++) {
		err = restore_sock_opts(ctx, sock_from_file(a->conns[i]->file),
					&conn);
		if (err)
			return err;
	}
	a->listener = get_file(file);
	return 0;
}

#ifdef CONFIG_MEMCG
/*
 * accept(2) charges what a connection it takes holds to the memory cgroup
 * of its caller (inet_csk_accept()): one waiting for it is charged to
 * none, as one the handshake made.  It sent nothing: its memory is what
 * it may allocate and what it received.
 */
static void restore_tcp_uncharge(struct sock *sk)
{
	if (!mem_cgroup_sockets_enabled || !sk->sk_memcg)
		return;
	mem_cgroup_uncharge_skmem(sk->sk_memcg,
				  sk_mem_pages(sk->sk_forward_alloc +
					       atomic_read(&sk->sk_rmem_alloc)));
	mem_cgroup_sk_free(sk);
	sk->sk_memcg = NULL;
}
#else
static void restore_tcp_uncharge(struct sock *sk)
{
}
#endif

/*
 * Queue the connection of @r to the listening socket @listener as the
 * handshake does: without a socket, behind a request that accept(2)
 * takes it from.  The queue takes the reference of the socket restart
 * made for it, which goes.
 */
static int restore_tcp_enqueue(struct sock *listener, struct ckpt_tcp_restore *r)
{
	struct socket *sock = sock_from_file(r->file);
	struct sock *sk = sock->sk;
	struct request_sock *req;

	req = inet_reqsk_alloc(&tcp_request_sock_ops, listener, false);
	if (!req)
		return -ENOMEM;
	tcp_rsk(req)->tfo_listener = false;

	lock_sock(listener);
	if (listener->sk_state != TCP_LISTEN) {
		release_sock(listener);
		reqsk_free(req);
		return -EINVAL;
	}
	lock_sock_nested(sk, SINGLE_DEPTH_NESTING);
	restore_tcp_uncharge(sk);
	write_lock_bh(&sk->sk_callback_lock);
	sk_set_socket(sk, NULL);
	RCU_INIT_POINTER(sk->sk_wq, NULL);
	write_unlock_bh(&sk->sk_callback_lock);
	sock->sk = NULL;
	release_sock(sk);

	refcount_set(&req->rsk_refcnt, 1);
	local_bh_disable();
	inet_csk_reqsk_queue_add(listener, req, sk);
	local_bh_enable();
	release_sock(listener);

	fput(r->file);
	r->file = NULL;
	return 0;
}

/*
 * Every connection is made and let go: hand those of @ptr to their
 * listening socket, in order, and wake whoever waits to accept one.
 */
static int ckpt_tcp_accept_finish(struct ckpt_ctx *ctx, void *ptr)
{
	struct ckpt_tcp_accept_restore *a = ptr;
	struct sock *sk;
	unsigned int i;
	int err = 0;

	if (!a->listener)
		return 0;
	sk = sock_from_file(a->listener)->sk;
	for (i = 0; i < a->nr && !err; i++)
		if (a->conns[i]->file)
			err = restore_tcp_enqueue(sk, a->conns[i]);
	sk->sk_data_ready(sk);
	if (err)
		return ckpt_err(ctx, err, "cannot queue a TCP connection for accept(2)");
	return 0;
}

/**
 * ckpt_sock_restore - make the socket of a checked file record
 * @ctx:	restart context
 * @s:		its struct ckpt_socket
 *
 * Its status flags are the caller's to give back.
 *
 * Return: the file; NULL if only validating; or an ERR_PTR().
 */
struct file *ckpt_sock_restore(struct ckpt_ctx *ctx,
			       const struct ckpt_socket *s)
{
	struct file *file = NULL;
	int err;

	if (s->state == CKPT_SOCK_PAIR || s->state == CKPT_SOCK_TCP) {
		err = s->state == CKPT_SOCK_PAIR ?
		      ckpt_unix_pair_take(ctx, s, &file) :
		      ckpt_tcp_take(ctx, s, &file);
		if (!err && file)
			err = restore_sock_opts(ctx, sock_from_file(file), s);
		if (err) {
			if (file)
				fput(file);
			return ERR_PTR(err);
		}
	} else if (s->state == CKPT_SOCK_LISTEN && s->accept_ref) {
		if (ckpt_restoring(ctx))
			file = restore_sock_new(ctx, s);
		err = IS_ERR(file) ? 0 : ckpt_tcp_accept_take(ctx, s, file);
		if (err) {
			if (file)
				fput(file);
			return ERR_PTR(err);
		}
	} else if (!ckpt_restoring(ctx)) {
		return NULL;
	} else if (s->state == CKPT_SOCK_LOST) {
		/* As near as restart can make: messages stay messages. */
		file = ckpt_unix_reset(s->type == SOCK_STREAM ? SOCK_STREAM :
				       SOCK_SEQPACKET);
	} else if (s->state == CKPT_SOCK_RESET) {
		file = s->family == AF_UNIX ? ckpt_unix_reset(s->type) :
					      restore_inet_reset(s);
		if (!IS_ERR(file)) {
			err = restore_sock_opts(ctx, sock_from_file(file), s);
			if (err) {
				fput(file);
				return ERR_PTR(err);
			}
		}
	} else {
		file = restore_sock_new(ctx, s);
	}
	if (IS_ERR(file)) {
		ckpt_err(ctx, PTR_ERR(file), "cannot make a socket of family %u, type %u",
			 s->family, s->type);
		return file;
	}
	return file;
}

const struct ckpt_obj_ops ckpt_tcp_ops = {
	.type = CKPT_HDR_TCP,
	.name = "TCP connection",
	.min_len = sizeof(struct ckpt_hdr_tcp),
	.max_len = sizeof(struct ckpt_hdr_tcp) + 2 * CKPT_TCP_QUEUE_MAX,
	.grab = ckpt_tcp_grab,
	.drop = ckpt_tcp_drop,
	.checkpoint = ckpt_tcp_checkpoint,
	.restore = ckpt_tcp_restore,
	.release = ckpt_tcp_release,
	.finish = ckpt_tcp_finish,
	.kill = ckpt_tcp_kill,
};

const struct ckpt_obj_ops ckpt_tcp_accept_ops = {
	.type = CKPT_HDR_TCP_ACCEPT,
	.name = "accept queue",
	.min_len = sizeof(struct ckpt_hdr_tcp_accept),
	.max_len = sizeof(struct ckpt_hdr_tcp_accept) +
		   CKPT_TCP_ACCEPT_MAX * sizeof(__u32),
	.grab = ckpt_tcp_grab,
	.drop = ckpt_tcp_drop,
	.restore = ckpt_tcp_accept_restore,
	.release = ckpt_tcp_accept_release,
	.finish = ckpt_tcp_accept_finish,
};
