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
 *    to the same destination again.  A TCP connection, whose peer is
 *    not saved, comes back reset: its first read or write fails with
 *    ECONNRESET, as when a peer resets a connection, so that its
 *    descriptor stays a socket.  Datagrams queued to a UDP socket are
 *    not saved: they are lost, as a network may lose them.
 *  - Any other family or protocol makes the checkpoint fail with a
 *    message that names the descriptor and the socket; with
 *    CHECKPOINT_RESET_SOCKETS, it is saved by its kind alone and comes
 *    back as a reset AF_UNIX socket, a descriptor that fails as a
 *    connection the peer reset does, rather than one given to another
 *    file or none.
 *
 * Restart makes sockets in the network namespace of the restarting
 * process, with its rights: binding a port below 1024, for one, needs
 * what bind(2) needs.  Each step is what the system call would do,
 * security hooks included.
 */

#include <linux/checkpoint.h>
#include <linux/file.h>
#include <linux/in.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/security.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/un.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

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
			      struct ckpt_socket *s)
{
	struct sock *sk = sock->sk;
	bool bound = inet_sk(sk)->inet_num;
	int state = READ_ONCE(sk->sk_state);
	int len;

	/* A TCP connection, or one being made, cannot be remade. */
	if (sk->sk_protocol == IPPROTO_TCP && state != TCP_LISTEN &&
	    state != TCP_CLOSE) {
		s->state = CKPT_SOCK_RESET;
		return 0;
	}
	if (state == TCP_LISTEN) {
		s->state = CKPT_SOCK_LISTEN;
		s->backlog = READ_ONCE(sk->sk_max_ack_backlog);
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
 * How the socket of @file is saved, and the pair of connected AF_UNIX
 * sockets it belongs to, if it does.
 */
static int ckpt_sock_describe(struct ckpt_ctx *ctx, struct file *file,
			      struct ckpt_socket *s, struct sock **pair)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock->sk;
	int err;

	*pair = NULL;
	memset(s, 0, sizeof(*s));
	if (!sk)
		return ckpt_err(ctx, -EOPNOTSUPP, "a socket being closed");
	s->family = sk->sk_family;
	s->type = sk->sk_type;
	s->protocol = sk->sk_protocol;

	if (s->family == AF_UNIX &&
	    (s->type == SOCK_STREAM || s->type == SOCK_DGRAM ||
	     s->type == SOCK_SEQPACKET))
		err = ckpt_unix_describe(ctx, sock, s, pair);
	else if ((s->family == AF_INET || s->family == AF_INET6) &&
		 ((s->type == SOCK_STREAM && s->protocol == IPPROTO_TCP) ||
		  (s->type == SOCK_DGRAM && s->protocol == IPPROTO_UDP)))
		err = ckpt_inet_describe(ctx, sock, s);
	else if (ctx->flags & CHECKPOINT_RESET_SOCKETS)
		s->state = CKPT_SOCK_LOST;
	else
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "a socket of family %u, type %u, protocol %u: not supported",
			       s->family, s->type, s->protocol);
	if (!err && s->state != CKPT_SOCK_LOST)
		ckpt_sock_opts(sock, s);
	return err;
}

/**
 * ckpt_sock_prepare - write what the record of a socket's file names
 * @ctx:	checkpoint context
 * @file:	a socket's file
 *
 * The pair of connected AF_UNIX sockets it belongs to comes before it,
 * after the files in flight to the pair.
 *
 * Return: 0, or a negative errno with a message.
 */
int ckpt_sock_prepare(struct ckpt_ctx *ctx, struct file *file)
{
	struct ckpt_socket s;
	struct sock *pair;
	u32 ref;
	int err;

	err = ckpt_sock_describe(ctx, file, &s, &pair);
	if (err || !pair ||
	    !ckpt_obj_lookup(ctx, pair, &ckpt_unix_pair_ops, &ref))
		return err;
	return ckpt_unix_prepare(ctx, pair) ?:
	       ckpt_obj_checkpoint(ctx, pair, &ckpt_unix_pair_ops, &ref);
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
	struct sock *pair;
	int err;

	err = ckpt_sock_describe(ctx, file, s, &pair);
	if (!err && pair)
		err = ckpt_obj_lookup(ctx, pair, &ckpt_unix_pair_ops,
				      &s->pair_ref);
	return err;
}

/* ---------------------------------------------------------------- */
/* Restart                                                            */

/* An address of the socket's family, long enough for it. */
static bool restore_sock_addr_ok(const struct ckpt_socket *s, const u8 *addr,
				 u32 len)
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
	if (family != s->family)
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
	if (s->state < CKPT_SOCK_FRESH || s->state > CKPT_SOCK_RESET ||
	    (s->state == CKPT_SOCK_PAIR && !unix_sock) ||
	    (s->state == CKPT_SOCK_RESET && inet && !tcp) ||
	    (s->state == CKPT_SOCK_LISTEN && s->type == SOCK_DGRAM))
		return ckpt_err(ctx, -EINVAL, "socket state %u", s->state);
	if ((s->state == CKPT_SOCK_PAIR && (!s->pair_ref || s->end > 1)) ||
	    (s->state != CKPT_SOCK_PAIR && (s->pair_ref || s->end)))
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
	if (!restore_sock_addr_ok(s, s->addr, s->addr_len) ||
	    !restore_sock_addr_ok(s, s->peer, s->peer_len) ||
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
	if (!err && s->opts & CKPT_SO_V6ONLY)
		err = ip6_sock_set_v6only(sk);
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
	struct socket *sock;
	int err;

	err = sock_create(s->family, s->type, s->protocol, &sock);
	if (err)
		return ERR_PTR(err);
	err = restore_sock_opts(ctx, sock, s) ?:
	      restore_sock_state(ctx, sock, s);
	if (err) {
		sock_release(sock);
		return ERR_PTR(err);
	}
	return sock_alloc_file(sock, 0, NULL);
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

	if (s->state == CKPT_SOCK_PAIR) {
		err = ckpt_unix_pair_take(ctx, s, &file);
		if (!err && file)
			err = restore_sock_opts(ctx, sock_from_file(file), s);
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
