// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets.  A child holds:
 *
 *  - unix socket pairs of each type, with data queued both ways (message
 *    boundaries kept, empty datagrams included), one direction shut
 *    down, options set; one pair whose other end was closed;
 *  - a unix stream socket whose peer is the test, not saved, and a TCP
 *    connection: they come back reset (ECONNRESET, then end of file);
 *  - a TCP listener on loopback, an abstract unix listener, a unix
 *    listener and a unix datagram socket bound to paths, a bound and
 *    connected UDP socket and an unbound unix socket: they come back
 *    with their addresses, and take connections and datagrams (a path
 *    is taken over from the inode the killed process left there).
 *
 * The sockets of a checkpoint that goes on are untouched; restarted,
 * twice from one image, they are as above.  Kinds not supported make
 * the checkpoint fail with a message naming the descriptor, or come back
 * as reset sockets on request (CHECKPOINT_RESET_SOCKETS).
 */
#define _GNU_SOURCE
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define ST_A		10	/* stream pair: A has BIG bytes to read, then EOF */
#define ST_B		11	/* B has SMALL bytes to read; it shut writes */
#define DG_A		12	/* datagram pair: B has the messages of dg_lens */
#define DG_B		13
#define SQ_A		14	/* seqpacket pair: A has two messages */
#define SQ_B		15	/* with SO_RCVBUF, SO_PASSCRED, O_NONBLOCK */
#define HALF		16	/* its peer closed after writing HALF_LEN bytes */
#define OUT		17	/* its peer is the test's */
#define TCP_L		18	/* TCP listener, SO_REUSEADDR, TCP_NODELAY */
#define TCP_C		19	/* a TCP connection ... */
#define TCP_S		20	/* ... and its accepted end */
#define UDP		21	/* bound and connected */
#define UNB		22	/* a unix datagram socket, neither bound nor connected */
#define ABS		23	/* listening on an abstract name */
#define PATH_L		24	/* listening on a path */
#define PATH_D		25	/* a datagram socket bound to a path */

#define BIG		70000
#define SMALL		100
#define HALF_LEN	5
#define RCVBUF		65536
#define RCVTIMEO_US	250000
#define WAIT_MS		30000

static const int dg_lens[] = { 0, 1, 500, 3000, 0, 17 };
static const int sq_lens[] = { 10, 20 };

struct sock_report {
	int ready;
	unsigned short tcp_port, udp_port, udp_peer_port;
	char abs_name[32];
	char path_l[48], path_d[48];
	/* after */
	int st_a_bytes, st_a_ok, st_a_eof;
	int st_b_bytes, st_b_ok, st_b_write;	/* write on B: -EPIPE */
	int dg_n, dg_ok;
	int sq_n, sq_ok, sq_again, sq_flags, sq_passcred, sq_rcvbuf;
	int half_bytes, half_eof;
	int out_err, out_eof;
	int tcp_c_err, tcp_s_err, tcp_s_eof, tcp_c_send_err;
	int nodelay, reuse, accepted, got;
	unsigned short udp_port_after, udp_peer_after;
	int udp_got;
	int unb_len, unb_family;
	int abs_got, path_l_got, path_d_got, path_d_abs;
	long rcvtimeo_us;
};

static unsigned char pattern(int i, int seed)
{
	return (i * 31 + seed * 7 + (i >> 8)) & 0xff;
}

static void fill(unsigned char *buf, int len, int seed)
{
	int i;

	for (i = 0; i < len; i++)
		buf[i] = pattern(i, seed);
}

static int same(const unsigned char *buf, int len, int seed)
{
	int i;

	for (i = 0; i < len; i++)
		if (buf[i] != pattern(i, seed))
			return 0;
	return 1;
}

static unsigned short port_of(int fd, int peer)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if ((peer ? getpeername : getsockname)(fd, (struct sockaddr *)&sin,
					       &len))
		return 0;
	return ntohs(sin.sin_port);
}

/* The test's end of OUT, which the child must not hold. */
static int test_end = -1;

static int set_up(struct sock_report *r)
{
	static unsigned char buf[BIG];
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_usec = RCVTIMEO_US };
	int one = 1, rcvbuf = RCVBUF / 2, fd, l, i;
	socklen_t len;

	/* Stream: BIG bytes to A, SMALL to B, then B shuts writes. */
	if (pair_at(SOCK_STREAM, ST_A, ST_B))
		return 1;
	fill(buf, BIG, 1);
	if (write(ST_B, buf, BIG) != BIG)
		return 2;
	fill(buf, SMALL, 2);
	if (write(ST_A, buf, SMALL) != SMALL || shutdown(ST_B, SHUT_WR))
		return 3;

	if (pair_at(SOCK_DGRAM, DG_A, DG_B))
		return 4;
	for (i = 0; i < (int)ARRAY_SIZE(dg_lens); i++) {
		fill(buf, dg_lens[i], 10 + i);
		if (send(DG_A, buf, dg_lens[i], 0) != dg_lens[i])
			return 5;
	}

	if (pair_at(SOCK_SEQPACKET, SQ_A, SQ_B) ||
	    setsockopt(SQ_B, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) ||
	    setsockopt(SQ_B, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) ||
	    setsockopt(SQ_B, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    fcntl(SQ_B, F_SETFL, O_NONBLOCK))
		return 6;
	/* As the kernel keeps it, in jiffies. */
	len = sizeof(tv);
	if (getsockopt(SQ_B, SOL_SOCKET, SO_RCVTIMEO, &tv, &len))
		return 6;
	r->rcvtimeo_us = tv.tv_sec * 1000000L + tv.tv_usec;
	for (i = 0; i < (int)ARRAY_SIZE(sq_lens); i++) {
		fill(buf, sq_lens[i], 20 + i);
		if (send(SQ_B, buf, sq_lens[i], 0) != sq_lens[i])
			return 7;
	}

	/* A pair whose other end wrote, then was closed. */
	if (pair_at(SOCK_STREAM, HALF, 50))
		return 8;
	fill(buf, HALF_LEN, 30);
	if (write(50, buf, HALF_LEN) != HALF_LEN)
		return 9;
	close(50);

	/* TCP: a listener, and a connection to it, accepted. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 7) ||
	    fd_at(fd, TCP_L))
		return 10;
	r->tcp_port = port_of(TCP_L, 0);
	sin.sin_port = htons(r->tcp_port);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    fd_at(fd, TCP_C) || fd_at(accept(TCP_L, NULL, NULL), TCP_S))
		return 11;

	/* UDP: bound to a port, connected to another. */
	sin.sin_port = 0;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    fd_at(fd, UDP))
		return 12;
	r->udp_port = port_of(UDP, 0);
	r->udp_peer_port = r->udp_port + 1;
	sin.sin_port = htons(r->udp_peer_port);
	if (connect(UDP, (struct sockaddr *)&sin, sizeof(sin)))
		return 13;

	if (fd_at(socket(AF_UNIX, SOCK_DGRAM, 0), UNB))
		return 14;

	snprintf(r->abs_name, sizeof(r->abs_name), "ckpt-sockets-%d", getpid());
	memcpy(sun.sun_path + 1, r->abs_name, strlen(r->abs_name));
	len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(r->abs_name);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sun, len) || listen(l, 3) ||
	    fd_at(l, ABS))
		return 15;

	snprintf(r->path_l, sizeof(r->path_l), "/tmp/ckpt-sock-l-%d", getpid());
	snprintf(r->path_d, sizeof(r->path_d), "/tmp/ckpt-sock-d-%d", getpid());
	unlink(r->path_l);
	unlink(r->path_d);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, r->path_l, strlen(r->path_l));
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(l, 3) || fd_at(l, PATH_L))
		return 16;
	/* Bound by a relative path: saved as the absolute one. */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, r->path_d + 5, strlen(r->path_d + 5));
	l = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (l < 0 || chdir("/tmp") ||
	    bind(l, (struct sockaddr *)&sun, sizeof(sun)) || fd_at(l, PATH_D))
		return 17;
	return 0;
}

static int read_all(int fd, unsigned char *buf, int len)
{
	int n = 0, k;

	while (n < len) {
		k = read(fd, buf + n, len - n);
		if (k <= 0)
			break;
		n += k;
	}
	return n;
}

/* A read of one byte: 0 at end of file, -errno, or 1. */
static int read_one(int fd, int flags)
{
	char c;
	int n = recv(fd, &c, 1, flags);

	return n < 0 ? -errno : n;
}

static void check_sockets(struct sock_report *r)
{
	static unsigned char buf[BIG + 1];
	struct pollfd p;
	socklen_t len;
	int i, n, v, fd;

	r->st_a_bytes = read_all(ST_A, buf, BIG + 1);
	r->st_a_ok = same(buf, BIG, 1);
	r->st_a_eof = read_one(ST_A, 0) == 0;
	r->st_b_bytes = read_all(ST_B, buf, SMALL);
	r->st_b_ok = same(buf, SMALL, 2);
	r->st_b_write = send(ST_B, "x", 1, MSG_NOSIGNAL) < 0 ? -errno : 0;

	r->dg_ok = 1;
	for (i = 0; i < (int)ARRAY_SIZE(dg_lens); i++) {
		n = recv(DG_B, buf, sizeof(buf), MSG_DONTWAIT);
		if (n != dg_lens[i] || !same(buf, n, 10 + i))
			r->dg_ok = 0;
		r->dg_n += n >= 0;
	}
	r->sq_ok = 1;
	for (i = 0; i < (int)ARRAY_SIZE(sq_lens); i++) {
		n = recv(SQ_A, buf, sizeof(buf), MSG_DONTWAIT);
		if (n != sq_lens[i] || !same(buf, n, 20 + i))
			r->sq_ok = 0;
		r->sq_n += n >= 0;
	}
	r->sq_again = read_one(SQ_B, 0) == -EAGAIN;
	r->sq_flags = fcntl(SQ_B, F_GETFL);
	len = sizeof(v);
	if (!getsockopt(SQ_B, SOL_SOCKET, SO_PASSCRED, &v, &len))
		r->sq_passcred = v;
	len = sizeof(v);
	if (!getsockopt(SQ_B, SOL_SOCKET, SO_RCVBUF, &v, &len))
		r->sq_rcvbuf = v;
	{
		struct timeval tv;

		len = sizeof(tv);
		if (!getsockopt(SQ_B, SOL_SOCKET, SO_RCVTIMEO, &tv, &len))
			r->rcvtimeo_us = tv.tv_sec * 1000000L + tv.tv_usec;
	}

	r->half_bytes = read_all(HALF, buf, HALF_LEN + 1);
	r->half_eof = r->half_bytes == HALF_LEN && same(buf, HALF_LEN, 30);

	r->out_err = read_one(OUT, MSG_DONTWAIT);
	r->out_eof = read_one(OUT, MSG_DONTWAIT);

	r->tcp_c_err = read_one(TCP_C, MSG_DONTWAIT);
	r->tcp_c_send_err = send(TCP_C, "x", 1, MSG_NOSIGNAL) < 0 ? -errno : 0;
	r->tcp_s_err = read_one(TCP_S, MSG_DONTWAIT);
	r->tcp_s_eof = read_one(TCP_S, MSG_DONTWAIT);
	len = sizeof(v);
	if (!getsockopt(TCP_L, IPPROTO_TCP, TCP_NODELAY, &v, &len))
		r->nodelay = v;
	len = sizeof(v);
	if (!getsockopt(TCP_L, SOL_SOCKET, SO_REUSEADDR, &v, &len))
		r->reuse = v;
	r->udp_port_after = port_of(UDP, 0);
	r->udp_peer_after = port_of(UDP, 1);
	{
		struct sockaddr_un sun;

		len = sizeof(sun);
		if (!getsockname(UNB, (struct sockaddr *)&sun, &len)) {
			r->unb_len = len;
			r->unb_family = sun.sun_family;
		}
	}

	{
		struct sockaddr_un sun;

		len = sizeof(sun);
		if (!getsockname(PATH_D, (struct sockaddr *)&sun, &len))
			r->path_d_abs = !strcmp(sun.sun_path, r->path_d);
	}

	/* The test now connects to the listeners and sends to UDP. */
	if (write(RES_FD, r, sizeof(*r)) != sizeof(*r))
		_exit(96);
	p.fd = TCP_L;
	p.events = POLLIN;
	if (poll(&p, 1, WAIT_MS) == 1) {
		fd = accept(TCP_L, NULL, NULL);
		r->accepted = fd >= 0;
		if (fd >= 0 && read_all(fd, buf, 4) == 4)
			r->got = !memcmp(buf, "ping", 4);
	}
	p.fd = UDP;
	if (poll(&p, 1, WAIT_MS) == 1)
		r->udp_got = recv(UDP, buf, sizeof(buf), 0) == 4 &&
			     !memcmp(buf, "pong", 4);
	p.fd = ABS;
	if (poll(&p, 1, WAIT_MS) == 1) {
		fd = accept(ABS, NULL, NULL);
		if (fd >= 0 && read_all(fd, buf, 3) == 3)
			r->abs_got = !memcmp(buf, "abs", 3);
	}
	p.fd = PATH_L;
	if (poll(&p, 1, WAIT_MS) == 1) {
		fd = accept(PATH_L, NULL, NULL);
		if (fd >= 0 && read_all(fd, buf, 4) == 4)
			r->path_l_got = !memcmp(buf, "path", 4);
	}
	p.fd = PATH_D;
	if (poll(&p, 1, WAIT_MS) == 1)
		r->path_d_got = recv(PATH_D, buf, sizeof(buf), 0) == 5 &&
				!memcmp(buf, "dgram", 5);
}

static void __noreturn child(void)
{
	struct sock_report r = { 0 };
	char c;

	close(test_end);
	r.ready = set_up(&r);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(93);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(94);
	check_sockets(&r);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(95);
	_exit(0);
}

/* The test's side: connect to the listeners, send to the UDP socket. */
static void poke(struct __test_metadata *_metadata,
		 const struct sock_report *r)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	sin.sin_port = htons(r->tcp_port);
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(4, write(fd, "ping", 4));
	close(fd);

	/* From the port the UDP socket is connected to. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	sin.sin_port = htons(r->udp_peer_port);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sin, sizeof(sin)));
	sin.sin_port = htons(r->udp_port);
	ASSERT_EQ(4, sendto(fd, "pong", 4, 0, (struct sockaddr *)&sin,
			    sizeof(sin)));
	close(fd);

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	memcpy(sun.sun_path + 1, r->abs_name, strlen(r->abs_name));
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&sun,
			     offsetof(struct sockaddr_un, sun_path) + 1 +
			     strlen(r->abs_name)));
	ASSERT_EQ(3, write(fd, "abs", 3));
	close(fd);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, r->path_l, strlen(r->path_l));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&sun, sizeof(sun)));
	ASSERT_EQ(4, write(fd, "path", 4));
	close(fd);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, r->path_d, strlen(r->path_d));
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(5, sendto(fd, "dgram", 5, 0, (struct sockaddr *)&sun,
			    sizeof(sun)));
	close(fd);
}

/* What holds whether the sockets went on or were restarted. */
static void check(struct __test_metadata *_metadata, int ctl, int res,
		  const struct sock_report *before, bool restarted)
{
	struct sock_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(BIG, r.st_a_bytes);
	EXPECT_EQ(1, r.st_a_ok);
	EXPECT_EQ(1, r.st_a_eof);
	EXPECT_EQ(SMALL, r.st_b_bytes);
	EXPECT_EQ(1, r.st_b_ok);
	EXPECT_EQ(-EPIPE, r.st_b_write);
	EXPECT_EQ((int)ARRAY_SIZE(dg_lens), r.dg_n);
	EXPECT_EQ(1, r.dg_ok);
	EXPECT_EQ((int)ARRAY_SIZE(sq_lens), r.sq_n);
	EXPECT_EQ(1, r.sq_ok);
	EXPECT_EQ(1, r.sq_again);
	EXPECT_EQ(O_RDWR | O_NONBLOCK, r.sq_flags & (O_ACCMODE | O_NONBLOCK));
	EXPECT_EQ(1, r.sq_passcred);
	EXPECT_EQ(RCVBUF, r.sq_rcvbuf);
	EXPECT_EQ(before->rcvtimeo_us, r.rcvtimeo_us);
	EXPECT_LE(RCVTIMEO_US, r.rcvtimeo_us);
	EXPECT_EQ(1, r.half_eof);
	if (restarted) {
		EXPECT_EQ(1, r.path_d_abs);
		EXPECT_EQ(-ECONNRESET, r.out_err);
		EXPECT_EQ(0, r.out_eof);
		EXPECT_EQ(-ECONNRESET, r.tcp_c_err);
		EXPECT_EQ(-EPIPE, r.tcp_c_send_err);
		EXPECT_EQ(-ECONNRESET, r.tcp_s_err);
		EXPECT_EQ(0, r.tcp_s_eof);
	} else {
		EXPECT_EQ(-EAGAIN, r.out_err);
		EXPECT_EQ(-EAGAIN, r.tcp_c_err);
		EXPECT_EQ(0, r.tcp_c_send_err);
		EXPECT_EQ(1, r.tcp_s_err);	/* the "x" C sent */
	}
	EXPECT_EQ(1, r.nodelay);
	EXPECT_EQ(1, r.reuse);
	EXPECT_EQ(before->udp_port, r.udp_port_after);
	EXPECT_EQ(before->udp_peer_port, r.udp_peer_after);
	EXPECT_EQ(sizeof(sa_family_t), r.unb_len);
	EXPECT_EQ(AF_UNIX, r.unb_family);

	poke(_metadata, before);
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(1, r.accepted);
	EXPECT_EQ(1, r.got);
	EXPECT_EQ(1, r.udp_got);
	EXPECT_EQ(1, r.abs_got);
	EXPECT_EQ(1, r.path_l_got);
	EXPECT_EQ(1, r.path_d_got);
}

static int count_file_kind(const struct ckpt_image *img, __u32 kind)
{
	const struct ckpt_hdr_file *f;
	int i, n = 0;

	for (i = 0; (f = image_rec(img, CKPT_HDR_FILE, i)); i++)
		n += f->kind == kind;
	return n;
}

FIXTURE(sockets) {
	struct piped_child pc;
	int out;
	struct sock_report before;
};

FIXTURE_SETUP(sockets)
{
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(OUT, dup2(sv[1], OUT));
	close(sv[1]);
	self->out = sv[0];
	test_end = sv[0];
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, child));
	close(OUT);
	ASSERT_EQ(0, read_within(self->pc.res, &self->before,
				 sizeof(self->before), WAIT_MS));
	ASSERT_EQ(0, self->before.ready);
}

FIXTURE_TEARDOWN(sockets)
{
	piped_child_end(&self->pc);
	unlink(self->before.path_l);
	unlink(self->before.path_d);
	close(self->out);
}

/* The process that goes on has its sockets as they were. */
TEST_F(sockets, continues)
{
	int status;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	/* Four pairs; every socket but the closed end has a file record. */
	EXPECT_EQ(4, image_count(&self->pc.img, CKPT_HDR_UNIX_PAIR));
	EXPECT_EQ(16, count_file_kind(&self->pc.img, CKPT_FILE_SOCKET));
	check(_metadata, self->pc.ctl, self->pc.res, &self->before, false);
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, &status, 0));
	self->pc.pid = -1;
	EXPECT_EQ(0, status);
}

struct restarted_arg {
	struct __test_metadata *md;
	const struct sock_report *before;
};

static void check_restored(struct restart_round *r, void *arg)
{
	struct restarted_arg *a = arg;
	struct __test_metadata *_metadata = a->md;
	int status;

	check(_metadata, r->ctl, r->res, a->before, true);
	ASSERT_EQ(r->root, waitpid(r->root, &status, 0));
	EXPECT_EQ(0, status);
}

/* Killed and restarted twice from one image. */
TEST_F(sockets, restarts_twice)
{
	struct restarted_arg a = { _metadata, &self->before };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, check_restored, &a))
		TH_LOG("%s", self->pc.log);
}

/* ---------------------------------------------------------------- */
/* Refused: the checkpoint fails, naming the descriptor, and the       */
/* process goes on.                                                   */

#define BAD_FD	30
static int bad_kind;

static void __noreturn refused_child(void)
{
	int sv[2], fd = -1;
	char c = 0;

	switch (bad_kind) {
	case 0:
		fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
		break;
	case 1:
		fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
		break;
	case 2:
		/* A descriptor in flight, never received. */
		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
			_exit(91);
		if (send_fds(sv[0], &c, 1, &sv[0], 1) ||
		    fd_at(sv[0], BAD_FD + 1))
			_exit(92);
		fd = sv[1];
		break;
	case 3:
		/* Who gets its SIGIO is not saved. */
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || fcntl(fd, F_SETFL, O_ASYNC))
			_exit(94);
		break;
	}
	if (fd_at(fd, BAD_FD))
		_exit(90);
	if (write(RES_FD, &c, 1) != 1 || read(CTL_FD, &c, 1) != 1)
		_exit(93);
	_exit(fcntl(BAD_FD, F_GETFD) < 0 ? 94 : 0);
}

static void refused(struct __test_metadata *_metadata, int kind,
		    const char *what)
{
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE], fdname[16], c;
	int ctl, res, status;
	pid_t pid;

	bad_kind = kind;
	pid = fork_with_pipes(CTL_FD, &ctl, RES_FD, &res, refused_child);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, read_within(res, &c, 1, WAIT_MS));
	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(pid, CHECKPOINT_SCOPE_TASK,
						&img, log, sizeof(log)));
	snprintf(fdname, sizeof(fdname), "fd %d", BAD_FD);
	EXPECT_NE(NULL, strstr(log, fdname))
		TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, what))
		TH_LOG("%s", log);
	/* It goes on, its socket still open. */
	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	close(ctl);
	close(res);
	image_free(&img);
}

TEST(refuses_netlink)
{
	refused(_metadata, 0, "family 16");
}

TEST(refuses_raw)
{
	refused(_metadata, 1, "family 2, type 3, protocol 1");
}

TEST(refuses_fd_in_flight)
{
	refused(_metadata, 2, "SCM_RIGHTS");
}

TEST(refuses_async)
{
	refused(_metadata, 3, "O_ASYNC");
}

/* ---------------------------------------------------------------- */
/* Saved as reset ones on request (CHECKPOINT_RESET_SOCKETS).         */

struct lost_report {
	int ready;
	int sock[2], domain[2], type[2], err[2], again[2];
	int nonblock;
};

/* At BAD_FD a netlink socket, O_NONBLOCK; at BAD_FD + 1 a raw one. */
static void __noreturn lost_child(void)
{
	struct lost_report r = { 0 };
	socklen_t len = sizeof(int);
	struct stat st;
	char c, buf[64];
	int i, fd;

	if (fd_at(socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, NETLINK_ROUTE),
		  BAD_FD) ||
	    fd_at(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), BAD_FD + 1))
		r.ready = -1;
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r) ||
	    read(CTL_FD, &c, 1) != 1)
		_exit(93);
	for (i = 0; i < 2; i++) {
		fd = BAD_FD + i;
		r.sock[i] = !fstat(fd, &st) && S_ISSOCK(st.st_mode);
		getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &r.domain[i], &len);
		getsockopt(fd, SOL_SOCKET, SO_TYPE, &r.type[i], &len);
		r.err[i] = recv(fd, buf, sizeof(buf), MSG_DONTWAIT) < 0 ?
			   -errno : 0;
		r.again[i] = recv(fd, buf, sizeof(buf), MSG_DONTWAIT) < 0 ?
			     -errno : 0;
	}
	r.nonblock = !!(fcntl(BAD_FD, F_GETFL) & O_NONBLOCK);
	_exit(write(RES_FD, &r, sizeof(r)) == sizeof(r) ? 0 : 95);
}

/* The sockets of @img saved as lost ones. */
static int count_lost(const struct ckpt_image *img)
{
	const struct ckpt_hdr_file *f;
	const struct ckpt_socket *so;
	int i, n = 0;

	for (i = 0; (f = image_rec(img, CKPT_HDR_FILE, i)); i++) {
		so = (const struct ckpt_socket *)(f + 1);
		n += f->kind == CKPT_FILE_SOCKET && so->state == CKPT_SOCK_LOST;
	}
	return n;
}

static void check_lost(struct __test_metadata *_metadata, int ctl, int res,
		       bool restarted)
{
	struct lost_report r;
	int i;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(1, r.sock[i]);
		if (restarted) {
			/* Reset unix sockets: they fail, then read EOF. */
			EXPECT_EQ(AF_UNIX, r.domain[i]);
			EXPECT_EQ(SOCK_SEQPACKET, r.type[i]);
			EXPECT_EQ(-ECONNRESET, r.err[i]);
			EXPECT_EQ(0, r.again[i]);
		} else {
			EXPECT_EQ(i ? AF_INET : AF_NETLINK, r.domain[i]);
			EXPECT_EQ(SOCK_RAW, r.type[i]);
			EXPECT_EQ(-EAGAIN, r.err[i]);
		}
	}
	EXPECT_EQ(1, r.nonblock);
}

TEST(resets_on_request_continues)
{
	struct piped_child pc;
	struct lost_report r;
	int status;

	ASSERT_LT(0, piped_child_fork(&pc, CTL_FD, RES_FD, lost_child));
	ASSERT_EQ(0, read_within(pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, r.ready);
	ASSERT_LT(0, checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TASK |
				      CHECKPOINT_RESET_SOCKETS, &pc.img,
				      pc.log, sizeof(pc.log)))
		TH_LOG("%s", pc.log);
	EXPECT_EQ(2, count_lost(&pc.img));
	check_lost(_metadata, pc.ctl, pc.res, false);
	EXPECT_EQ(pc.pid, waitpid(pc.pid, &status, 0));
	EXPECT_EQ(0, status);
	pc.pid = -1;
	piped_child_end(&pc);
}

static void check_lost_restored(struct restart_round *r, void *arg)
{
	struct __test_metadata *_metadata = arg;
	int status;

	check_lost(_metadata, r->ctl, r->res, true);
	ASSERT_EQ(r->root, waitpid(r->root, &status, 0));
	EXPECT_EQ(0, status);
}

TEST(resets_on_request_restarts_twice)
{
	struct piped_child pc;
	struct lost_report r;

	ASSERT_LT(0, piped_child_fork(&pc, CTL_FD, RES_FD, lost_child));
	ASSERT_EQ(0, read_within(pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, r.ready);
	EXPECT_LT(0, kill_and_restart_rounds(&pc, CHECKPOINT_SCOPE_TASK |
					     CHECKPOINT_RESET_SOCKETS, 2,
					     check_lost_restored, _metadata))
		TH_LOG("%s", pc.log);
	piped_child_end(&pc);
}

TEST_HARNESS_MAIN
