// SPDX-License-Identifier: GPL-2.0
/*
 * TCP connections inside a network namespace saved with its tasks.
 *
 * A server, the root of the tree, makes a network namespace of its own,
 * brings its loopback device up and listens on it, over IPv4 or IPv6; its
 * child, the client, connects and writes a stream of STREAM bytes that
 * the server does not read yet, until the client blocks in write(2).  The
 * server writes a reply of REPLY bytes that the client does not read
 * yet, as much as the connection takes, and tells the test.  So both
 * ends hold bytes received and not read, bytes sent and not acknowledged
 * and bytes not sent yet, and the client sleeps in a system call.
 *
 * Then the tree is checkpointed: it goes on, or it is killed and
 * restarted twice from one image, each time in a new network namespace.
 * The server reads the whole stream and writes the rest of its reply;
 * the client reads the whole reply.  Each checks the bytes it got
 * against the pattern, one checksum each way: not a byte lost or
 * duplicated.  The ends keep their addresses, ports and options.
 *
 * A connection to the outside, with CHECKPOINT_TCP_REPAIR: the client,
 * alone in the test's namespace, is connected to the test, and each end
 * holds bytes from the other it has not read.  The checkpoint kills it
 * without a word to the test, whose end stays open; restarted, the
 * client reads what it held and the rest of the test's stream and
 * writes the rest of its own, which the test reads on the same
 * connection: again, one checksum each way.
 *
 * Connections closing on one side: the client shut its side down after
 * its stream, so the server's end is in CLOSE_WAIT, the stream and its
 * end read or not; or the server shut its side down behind more bytes
 * than the client had room for, so its FIN is not sent yet (FIN_WAIT1).
 * After the checkpoint the server reads the stream (if it had not) then
 * end of file and answers, or the client reads every byte of the server
 * then end of file.
 *
 * Connections waiting for accept(2): the server listens and accepts none
 * while its clients connect in turn and write, the last shutting its
 * side down.  After the checkpoint, accept(2) gives each client in turn,
 * with its bytes (and end of file), its port, and the options of the
 * listening socket; the clients read the server's answer.
 *
 * A TCP socket of another network namespace than the tasks' makes the
 * checkpoint fail, naming it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPORT_NR_OTHER		1
#define REPORT_NR_STATUS	1
#define REPORT_NR_VALUE		1

#include "../kselftest_harness.h"
#include "checkpoint_util.h"
#include "restart_util.h"

#define PORT		7000
#define STREAM		(3 << 20)	/* client to server */
#define REPLY		(8 << 20)	/* server to client */
#define SALT_STREAM	11
#define SALT_REPLY	23
#define CONN_FD		110		/* the server's end */
#define HOST_FD		111		/* a socket of the test's namespace */

/* What the server tells the test, once set up and once done. */
struct tcp_report {
	int err;		/* enum step that failed, or 0 */
	int line;		/* where */
	int queued;		/* bytes of the stream it held unread */
	int replied;		/* bytes of the reply written before */
	int got;		/* bytes of the stream read in all */
	__u32 sum;		/* their checksum */
	int client_status;	/* the client's wait status */
	int lport, pport;	/* ports of its end */
	int nodelay;
	int keepalive;
};

static int family = AF_INET;

static socklen_t addr_of(struct sockaddr_storage *ss, int port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*sin);
	}
	((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
	((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	((struct sockaddr_in6 *)ss)->sin6_addr = in6addr_loopback;
	return sizeof(struct sockaddr_in6);
}

static int port_of(int fd, bool peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if ((peer ? getpeername : getsockname)(fd, (void *)&ss, &len))
		return -errno;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* Write the pattern from @from up to @total bytes, or until EAGAIN. */
static int put_stream(int fd, int salt, int from, int total)
{
	unsigned char buf[DATA_MAX];
	ssize_t n;
	int i, len;

	while (from < total) {
		len = total - from < DATA_MAX ? total - from : DATA_MAX;
		for (i = 0; i < len; i++)
			buf[i] = data_byte(salt, from + i);
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN ? from : -errno;
		from += n;
	}
	return from;
}

/* The client: the whole stream, blocking, then the whole reply. */
static void __noreturn client(void)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_of(&ss, PORT);
	int fd, one = 1, got;
	__u32 sum;

	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (void *)&ss, len) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		_exit(10);
	if (put_stream(fd, SALT_STREAM, 0, STREAM) != STREAM)
		_exit(11);
	if (take_data(fd, SALT_REPLY, REPLY, &got, &sum))
		_exit(12);
	_exit(0);
}

static void fail_at(struct tcp_report *r, int step, int line)
{
	r->err = step;
	r->line = line;
}

#define FAIL(r, step) fail_at(r, step, __LINE__)

static pid_t client_pid;

/* Once let go: the whole stream, the rest of the reply, the client. */
static void server_finish(void *report)
{
	struct tcp_report *r = report;
	unsigned char buf[DATA_MAX];
	int fd = CONN_FD, flags, i, n;
	__u32 sum = SUM_INIT;
	socklen_t len = sizeof(int);

	r->lport = port_of(fd, false);
	r->pport = port_of(fd, true);
	getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &r->nodelay, &len);
	len = sizeof(int);
	getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &r->keepalive, &len);
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)) {
		FAIL(r, STEP_SETUP);
		return;
	}
	while (r->got < STREAM) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			FAIL(r, STEP_DATA);
			return;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] != data_byte(SALT_STREAM, r->got + i) &&
			    !r->err)
				FAIL(r, STEP_DATA);
			sum = sum_byte(sum, buf[i]);
		}
		r->got += n;
	}
	r->sum = sum;
	if (put_stream(fd, SALT_REPLY, r->replied, REPLY) != REPLY ||
	    shutdown(fd, SHUT_WR)) {
		FAIL(r, STEP_DATA);
		return;
	}
	if (waitpid(client_pid, &r->client_status, 0) != client_pid)
		FAIL(r, STEP_WAIT);
}

static void __noreturn server(void)
{
	struct tcp_report r = { };
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, i;

	if (unshare(CLONE_NEWNET) || lo_up()) {
		FAIL(&r, STEP_SETUP);
		piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), server_finish);
	}
	len = addr_of(&ss, PORT);
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (void *)&ss, len) || listen(fd, 4)) {
		FAIL(&r, STEP_SETUP);
		piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), server_finish);
	}
	client_pid = fork();
	if (!client_pid)
		client();
	if (client_pid < 0 || fd_at(accept(fd, NULL, NULL), CONN_FD) ||
	    setsockopt(CONN_FD, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    setsockopt(CONN_FD, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    fcntl(CONN_FD, F_SETFL, O_NONBLOCK)) {
		FAIL(&r, STEP_SETUP);
		piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), server_finish);
	}
	/* The client fills the connection; the reply fills it back. */
	for (i = 0; i < WAIT_SECS * 10; i++) {
		int before = r.queued;

		usleep(100000);
		if (ioctl(CONN_FD, FIONREAD, &r.queued))
			break;
		if (r.queued > 65536 && r.queued == before)
			break;
	}
	r.replied = put_stream(CONN_FD, SALT_REPLY, 0, REPLY);
	if (r.queued <= 65536 || r.replied <= 0)
		FAIL(&r, STEP_SETUP);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), server_finish);
}

static void check_server(struct __test_metadata *_metadata, int ctl, int res)
{
	struct tcp_report r;

	ASSERT_EQ(1, write(ctl, "g", 1));
	ASSERT_EQ(0, read_timed(res, &r, sizeof(r)));
	EXPECT_EQ(0, r.err) TH_LOG("server failed at %s, line %d",
				   step_name(r.err), r.line);
	EXPECT_EQ(STREAM, r.got);
	EXPECT_EQ(pattern_sum(SALT_STREAM, STREAM), r.sum);
	EXPECT_TRUE(WIFEXITED(r.client_status) &&
		    !WEXITSTATUS(r.client_status))
		TH_LOG("client status %#x", r.client_status);
	EXPECT_EQ(PORT, r.lport);
	EXPECT_LT(0, r.pport);
	EXPECT_NE(PORT, r.pport);
	EXPECT_EQ(1, r.nodelay);
	EXPECT_EQ(1, r.keepalive);
}

FIXTURE(tcp) {
	struct piped_child pc;
	struct tcp_report first;
};

FIXTURE_VARIANT(tcp) {
	int family;
};

FIXTURE_VARIANT_ADD(tcp, ipv4) {
	.family = AF_INET,
};

FIXTURE_VARIANT_ADD(tcp, ipv6) {
	.family = AF_INET6,
};

FIXTURE_SETUP(tcp)
{
	struct ckpt_hdr_namespaces *ns;
	const struct ckpt_netdev *dev;
	struct ckpt_hdr_net *net;
	struct ckpt_hdr_tcp *h;
	long ret;

	if (geteuid())
		SKIP(return, "a network namespace needs root");
	family = variant->family;
	catch_alarm();
	ASSERT_LT(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, server));
	ASSERT_EQ(0, read_timed(self->pc.res, &self->first,
				sizeof(self->first)));
	ASSERT_EQ(0, self->first.err) TH_LOG("server set-up failed at line %d",
					     self->first.line);
	TH_LOG("the server holds %d bytes unread, %d of its reply written",
	       self->first.queued, self->first.replied);

	ret = checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE, &self->pc.img,
			       self->pc.log, sizeof(self->pc.log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s\n%s", strerror(-ret),
				 self->pc.log);
	ns = image_rec(&self->pc.img, CKPT_HDR_NAMESPACES, 0);
	ASSERT_NE(NULL, ns);
	EXPECT_TRUE(ns->flags & CKPT_NS_NET);
	EXPECT_EQ(CKPT_NET_CONFIG, ns->net);
	net = image_rec(&self->pc.img, CKPT_HDR_NET, 0);
	ASSERT_NE(NULL, net);
	/* lo alone, up; the tunnels' fallback devices are left out. */
	ASSERT_EQ(1, net->nr_devs);
	dev = (const void *)(net + 1);
	EXPECT_EQ(CKPT_NETDEV_LOOPBACK, dev->kind);
	EXPECT_TRUE(dev->flags & CKPT_NETDEV_UP);
	EXPECT_EQ(0, net->nr_routes);
	/* Both ends, the listener aside; the queues each way. */
	ASSERT_EQ(2, image_count(&self->pc.img, CKPT_HDR_TCP));
	h = image_rec(&self->pc.img, CKPT_HDR_TCP, 0);
	EXPECT_EQ(variant->family, h->family);
	EXPECT_LT(0, h->rcv_len + h->snd_len);
	ASSERT_EQ(0, validate_image(&self->pc.img, self->pc.log,
				    sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
}

FIXTURE_TEARDOWN(tcp)
{
	piped_child_end(&self->pc);
}

/* The tree goes on as if nothing happened. */
TEST_F(tcp, continues)
{
	piped_child_finish(_metadata, &self->pc, check_server);
}

/* Killed, and restarted twice from the image. */
TEST_F(tcp, restarted)
{
	struct piped_check c = { _metadata, check_server };
	long ret;

	/* The image is taken: this one is for the kill. */
	image_free(&self->pc.img);
	ret = kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE, 2,
				      piped_check_restored, &c);
	ASSERT_LT(0, ret) TH_LOG("%s\n%s", strerror(-ret), self->pc.log);
}

/* ------------------------------------------------------------------ */
/* Connections closing on one side                                     */

#define HALF_STREAM	(64 * 1024)	/* client to server, before its FIN */
#define HALF_REPLY	(32 * 1024)	/* server to client, when it closed */
#define HALF_PIPE	112		/* the server's end of a pipe to the client */

static bool self_closes;	/* the server shuts down its side, else the client */
static bool read_first;		/* the server read the client's end before */

struct half_report {
	int err, line;
	int state;		/* of the server's end, checkpointed */
	int replied;		/* bytes it wrote before shutting down */
	int got;		/* bytes it read before end of file */
	__u32 sum;
	int client_status;
};

static void half_fail(struct half_report *r, int step, int line)
{
	r->err = step;
	r->line = line;
}

#define HFAIL(r, step) half_fail(r, step, __LINE__)

/*
 * The client closes its side after its stream, then reads the reply to
 * the end; or, when the server closes its side, it waits on a pipe for
 * the length of the reply, then reads it to the end.
 */
static void __noreturn half_client(int rfd)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_of(&ss, PORT);
	int fd, got, total = HALF_REPLY;
	__u32 sum;

	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (void *)&ss, len))
		_exit(10);
	if (self_closes) {
		if (read(rfd, &total, sizeof(total)) != sizeof(total))
			_exit(11);
	} else if (put_stream(fd, SALT_STREAM, 0, HALF_STREAM) != HALF_STREAM ||
		   shutdown(fd, SHUT_WR)) {
		_exit(12);
	}
	if (take_data(fd, SALT_REPLY, total, &got, &sum))
		_exit(13);
	_exit(0);
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -1;
	return ti.tcpi_state;
}

static void half_finish(void *report)
{
	struct half_report *r = report;
	int fd = CONN_FD;

	if (self_closes) {
		/* Its FIN comes after the rest of what it wrote. */
		if (write(HALF_PIPE, &r->replied, sizeof(r->replied)) !=
		    sizeof(r->replied))
			HFAIL(r, STEP_DATA);
	} else {
		/* The stream, then end of file: the client's FIN. */
		if (fcntl(fd, F_SETFL, 0) ||
		    (!read_first &&
		     take_data(fd, SALT_STREAM, HALF_STREAM, &r->got, &r->sum)) ||
		    put_stream(fd, SALT_REPLY, 0, HALF_REPLY) != HALF_REPLY)
			HFAIL(r, STEP_DATA);
		close(fd);
	}
	if (waitpid(client_pid, &r->client_status, 0) != client_pid)
		HFAIL(r, STEP_WAIT);
}

static void __noreturn half_server(void)
{
	struct half_report r = { };
	struct sockaddr_storage ss;
	socklen_t len = addr_of(&ss, PORT);
	int fd, one = 1, p[2], i, queued = 0;

	if (unshare(CLONE_NEWNET) || lo_up() || pipe(p) ||
	    fd_at(p[1], HALF_PIPE)) {
		HFAIL(&r, STEP_SETUP);
		piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), half_finish);
	}
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (void *)&ss, len) || listen(fd, 4)) {
		HFAIL(&r, STEP_SETUP);
		piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), half_finish);
	}
	client_pid = fork();
	if (!client_pid)
		half_client(p[0]);
	close(p[0]);
	if (client_pid < 0 || fd_at(accept(fd, NULL, NULL), CONN_FD) ||
	    fcntl(CONN_FD, F_SETFL, O_NONBLOCK)) {
		HFAIL(&r, STEP_SETUP);
		piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), half_finish);
	}
	close(fd);
	if (self_closes) {
		/* What the client's window takes, then the FIN behind more. */
		r.replied = put_stream(CONN_FD, SALT_REPLY, 0, 16 << 20);
		usleep(200000);
		r.replied = put_stream(CONN_FD, SALT_REPLY, r.replied, 16 << 20);
		if (r.replied <= 0 || shutdown(CONN_FD, SHUT_WR))
			HFAIL(&r, STEP_SETUP);
	} else {
		for (i = 0; i < WAIT_SECS * 10; i++) {
			if (ioctl(CONN_FD, FIONREAD, &queued) ||
			    (queued == HALF_STREAM &&
			     tcp_state(CONN_FD) == TCP_CLOSE_WAIT))
				break;
			usleep(100000);
		}
		/* All of it and its end, read(2) giving 0: the FIN read too. */
		if (read_first &&
		    (fcntl(CONN_FD, F_SETFL, 0) ||
		     take_data(CONN_FD, SALT_STREAM, HALF_STREAM, &r.got, &r.sum)))
			HFAIL(&r, STEP_DATA);
	}
	r.state = tcp_state(CONN_FD);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), half_finish);
}

static void check_half(struct __test_metadata *_metadata, int ctl, int res)
{
	struct half_report r;

	ASSERT_EQ(1, write(ctl, "g", 1));
	ASSERT_EQ(0, read_timed(res, &r, sizeof(r)));
	EXPECT_EQ(0, r.err) TH_LOG("server failed at %s, line %d",
				   step_name(r.err), r.line);
	if (!self_closes) {
		EXPECT_EQ(HALF_STREAM, r.got);
		EXPECT_EQ(pattern_sum(SALT_STREAM, HALF_STREAM), r.sum);
	}
	EXPECT_TRUE(WIFEXITED(r.client_status) &&
		    !WEXITSTATUS(r.client_status))
		TH_LOG("client status %#x", r.client_status);
}

FIXTURE(closing) {
	struct piped_child pc;
};

FIXTURE_VARIANT(closing) {
	bool self_closes;
	bool read_first;
	int state;		/* of the server's end */
	__u16 server_flags;	/* of its CKPT_HDR_TCP */
	__u16 client_flags;
};

/* CLOSE_WAIT, the client in FIN_WAIT2: the FIN received and acknowledged. */
FIXTURE_VARIANT_ADD(closing, peer_closed) {
	.self_closes = false,
	.state = TCP_CLOSE_WAIT,
	.server_flags = CKPT_TCP_RCV_FIN,
	.client_flags = CKPT_TCP_SND_FIN,
};

/* ... and the server read it all, end of file included. */
FIXTURE_VARIANT_ADD(closing, peer_closed_read) {
	.self_closes = false,
	.read_first = true,
	.state = TCP_CLOSE_WAIT,
	.server_flags = CKPT_TCP_RCV_FIN,
	.client_flags = CKPT_TCP_SND_FIN,
};

/* FIN_WAIT1, its FIN not sent yet, behind bytes the client has no room for. */
FIXTURE_VARIANT_ADD(closing, self_closed) {
	.self_closes = true,
	.state = TCP_FIN_WAIT1,
	.server_flags = CKPT_TCP_SND_FIN,
	.client_flags = 0,
};

FIXTURE_SETUP(closing)
{
	const __u16 fins = CKPT_TCP_RCV_FIN | CKPT_TCP_SND_FIN;
	struct half_report first;
	struct ckpt_hdr_tcp *h[2];
	long ret;

	if (geteuid())
		SKIP(return, "a network namespace needs root");
	family = AF_INET;
	self_closes = variant->self_closes;
	read_first = variant->read_first;
	catch_alarm();
	ASSERT_LT(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, half_server));
	ASSERT_EQ(0, read_timed(self->pc.res, &first, sizeof(first)));
	ASSERT_EQ(0, first.err) TH_LOG("server set-up failed at line %d",
				       first.line);
	ASSERT_EQ(variant->state, first.state);

	ret = checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE, &self->pc.img,
			       self->pc.log, sizeof(self->pc.log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s\n%s", strerror(-ret),
				 self->pc.log);
	ASSERT_EQ(2, image_count(&self->pc.img, CKPT_HDR_TCP));
	/* The server's end first: its file comes first. */
	h[0] = image_rec(&self->pc.img, CKPT_HDR_TCP, 0);
	h[1] = image_rec(&self->pc.img, CKPT_HDR_TCP, 1);
	EXPECT_EQ(variant->server_flags, h[0]->flags & fins);
	EXPECT_EQ(variant->client_flags, h[1]->flags & fins);
	/* Bytes not sent yet, before its FIN; or the stream, before the peer's */
	EXPECT_TRUE(self_closes ? h[0]->unsent_len > 0 :
				  h[0]->rcv_len == (read_first ? 0 : HALF_STREAM))
		TH_LOG("unsent %u, received %u", h[0]->unsent_len, h[0]->rcv_len);
	ASSERT_EQ(0, validate_image(&self->pc.img, self->pc.log,
				    sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
}

FIXTURE_TEARDOWN(closing)
{
	piped_child_end(&self->pc);
}

TEST_F(closing, continues)
{
	piped_child_finish(_metadata, &self->pc, check_half);
}

TEST_F(closing, restarted)
{
	struct piped_check c = { _metadata, check_half };
	long ret;

	image_free(&self->pc.img);
	ret = kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE, 2,
				      piped_check_restored, &c);
	ASSERT_LT(0, ret) TH_LOG("%s\n%s", strerror(-ret), self->pc.log);
}

/* ------------------------------------------------------------------ */
/* Connections waiting for accept(2)                                   */

#define NR_WAITING	3		/* connections the server did not accept */
#define WAIT_BYTES(i)	(1000 * ((i) + 1))	/* what client i wrote */
#define SALT_WAIT	40
#define LISTEN_FD	113

struct wait_hello {
	int index;		/* which client */
	int port;		/* its port */
};

struct wait_report {
	int err, line;
	int order;		/* accept(2) gave the clients in turn */
	int port_ok;		/* each peer's port what the client said */
	int nodelay, keepalive;	/* of each accepted end, from the listener */
	int more;		/* errno of one more accept(2): EAGAIN */
	int client_status[NR_WAITING];
};

static void wait_fail(struct wait_report *r, int step, int line)
{
	r->err = step;
	r->line = line;
}

#define WFAIL(r, step) wait_fail(r, step, __LINE__)

/* Read exactly @len bytes. */
static int read_full(int fd, void *buf, int len)
{
	int got = 0, n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

/*
 * Client @i: connects, says who it is and writes its bytes, the last
 * shutting its side down after them; tells the server on @wfd, then
 * waits for the server's answer, its index, and end of file.
 */
static void __noreturn wait_client(int i, int wfd)
{
	struct wait_hello hello = { .index = i };
	struct sockaddr_storage ss;
	socklen_t len = addr_of(&ss, PORT);
	char c;
	int fd, answer;

	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (void *)&ss, len))
		_exit(10);
	hello.port = port_of(fd, false);
	if (write(fd, &hello, sizeof(hello)) != sizeof(hello) ||
	    put_stream(fd, SALT_WAIT + i, 0, WAIT_BYTES(i)) != WAIT_BYTES(i))
		_exit(11);
	if (i == NR_WAITING - 1 && shutdown(fd, SHUT_WR))
		_exit(12);
	if (write(wfd, "c", 1) != 1)
		_exit(13);
	close(wfd);
	if (read_full(fd, &answer, sizeof(answer)) || answer != i + 100)
		_exit(14);
	if (read(fd, &c, 1) != 0)
		_exit(15);
	_exit(0);
}

static pid_t wait_pids[NR_WAITING];

/* Accept each in turn, check it, answer it; then the clients' ends. */
static void wait_finish(void *report)
{
	struct wait_report *r = report;
	struct pollfd pfd = { .fd = LISTEN_FD, .events = POLLIN };
	int i, fd, got, answer, val;
	struct wait_hello hello;
	socklen_t len;
	__u32 sum;

	r->order = 1;
	r->port_ok = 1;
	r->nodelay = 1;
	r->keepalive = 1;
	for (i = 0; i < NR_WAITING && !r->err; i++) {
		if (poll(&pfd, 1, WAIT_SECS * 1000) != 1) {
			WFAIL(r, STEP_DATA);
			break;
		}
		fd = accept(LISTEN_FD, NULL, NULL);
		if (fd < 0 || read_full(fd, &hello, sizeof(hello))) {
			WFAIL(r, STEP_DATA);
			break;
		}
		if (hello.index != i)
			r->order = 0;
		if (port_of(fd, true) != hello.port)
			r->port_ok = 0;
		len = sizeof(val);
		if (getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &val, &len) || !val)
			r->nodelay = 0;
		len = sizeof(val);
		if (getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &val, &len) || !val)
			r->keepalive = 0;
		/* Its bytes; and end of file after them from the last. */
		if (hello.index < 0 || hello.index >= NR_WAITING) {
			WFAIL(r, STEP_DATA);
		} else if (hello.index == NR_WAITING - 1) {
			if (take_data(fd, SALT_WAIT + hello.index,
				      WAIT_BYTES(hello.index), &got, &sum))
				WFAIL(r, STEP_DATA);
		} else {
			unsigned char buf[WAIT_BYTES(NR_WAITING)];
			int j;

			if (read_full(fd, buf, WAIT_BYTES(hello.index)))
				WFAIL(r, STEP_DATA);
			for (j = 0; j < WAIT_BYTES(hello.index); j++)
				if (buf[j] != data_byte(SALT_WAIT + hello.index, j))
					WFAIL(r, STEP_DATA);
		}
		answer = hello.index + 100;
		if (write(fd, &answer, sizeof(answer)) != sizeof(answer))
			WFAIL(r, STEP_DATA);
		close(fd);
	}
	/* And no more. */
	if (fcntl(LISTEN_FD, F_SETFL, O_NONBLOCK))
		WFAIL(r, STEP_DATA);
	fd = accept(LISTEN_FD, NULL, NULL);
	r->more = fd < 0 ? errno : 0;
	for (i = 0; i < NR_WAITING; i++)
		if (waitpid(wait_pids[i], &r->client_status[i], 0) != wait_pids[i])
			WFAIL(r, STEP_WAIT);
}

/*
 * The server listens with TCP_NODELAY and SO_KEEPALIVE, which the
 * connections it accepts take from it, and accepts none: its clients
 * connect one after the other and write, the last closing its side.
 * Not with SO_REUSEADDR: restart binds its port after its connections'.
 */
static void __noreturn wait_server(void)
{
	struct wait_report r = { };
	struct sockaddr_storage ss;
	socklen_t len = addr_of(&ss, PORT);
	int fd, one = 1, p[2], i;
	char c;

	if (unshare(CLONE_NEWNET) || lo_up() || pipe(p)) {
		WFAIL(&r, STEP_SETUP);
		piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), wait_finish);
	}
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    bind(fd, (void *)&ss, len) || listen(fd, 8) ||
	    fd_at(fd, LISTEN_FD)) {
		WFAIL(&r, STEP_SETUP);
		piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), wait_finish);
	}
	for (i = 0; i < NR_WAITING; i++) {
		wait_pids[i] = fork();
		if (!wait_pids[i]) {
			close(p[0]);
			wait_client(i, p[1]);
		}
		if (wait_pids[i] < 0 || read(p[0], &c, 1) != 1) {
			WFAIL(&r, STEP_SETUP);
			break;
		}
	}
	close(p[0]);
	close(p[1]);
	/* Over loopback the bytes are there once written: settle anyway. */
	usleep(100000);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), wait_finish);
}

static void check_wait(struct __test_metadata *_metadata, int ctl, int res)
{
	struct wait_report r;
	int i;

	ASSERT_EQ(1, write(ctl, "g", 1));
	ASSERT_EQ(0, read_timed(res, &r, sizeof(r)));
	EXPECT_EQ(0, r.err) TH_LOG("server failed at %s, line %d",
				   step_name(r.err), r.line);
	EXPECT_EQ(1, r.order);
	EXPECT_EQ(1, r.port_ok);
	EXPECT_EQ(1, r.nodelay);
	EXPECT_EQ(1, r.keepalive);
	EXPECT_EQ(EAGAIN, r.more);
	for (i = 0; i < NR_WAITING; i++) {
		int st = r.client_status[i];

		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
			TH_LOG("client %d status %#x", i, st);
	}
}

FIXTURE(accept_queue) {
	struct piped_child pc;
};

FIXTURE_VARIANT(accept_queue) {
	int family;
	bool memcg;	/* restart in a memory cgroup of its own */
};

FIXTURE_VARIANT_ADD(accept_queue, ipv4) {
	.family = AF_INET,
};

FIXTURE_VARIANT_ADD(accept_queue, ipv6) {
	.family = AF_INET6,
};

/*
 * The connections restart makes are charged to its memory cgroup; those
 * it queues for accept(2) to that of the task that accepts them.
 */
FIXTURE_VARIANT_ADD(accept_queue, ipv4_memcg) {
	.family = AF_INET,
	.memcg = true,
};

#define MEMCG_DIR	"/sys/fs/cgroup/ckpt-accept-queue"

/* Move the test into a cgroup of its own with the memory controller. */
static int enter_memcg(void)
{
	if (write_string("/sys/fs/cgroup/cgroup.subtree_control", "+memory") ||
	    (mkdir(MEMCG_DIR, 0755) && errno != EEXIST))
		return -1;
	return write_string(MEMCG_DIR "/cgroup.procs", "0");
}

/*
 * The socket memory charged to the cgroup, from memory.stat: back to 0
 * once every connection is closed, if each charge had its uncharge.
 */
static long memcg_sock_bytes(void)
{
	char buf[8192], *p;
	int i;

	for (i = 0; i < 50; i++) {
		if (read_small_file(MEMCG_DIR "/memory.stat", buf, sizeof(buf)) < 0)
			return -1;
		p = strstr(buf, "\nsock ");
		if (!p)
			return -1;
		if (!atol(p + 6))
			return 0;
		usleep(100000);
	}
	return atol(p + 6);
}

static void leave_memcg(void)
{
	write_string("/sys/fs/cgroup/cgroup.procs", "0");
	rmdir(MEMCG_DIR);
}

FIXTURE_SETUP(accept_queue)
{
	struct ckpt_hdr_tcp_accept *q;
	struct wait_report first;
	struct ckpt_hdr_tcp *h;
	const __u32 *refs;
	long ret;
	int i, n;

	if (geteuid())
		SKIP(return, "a network namespace needs root");
	family = variant->family;
	catch_alarm();
	ASSERT_LT(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, wait_server));
	ASSERT_EQ(0, read_timed(self->pc.res, &first, sizeof(first)));
	ASSERT_EQ(0, first.err) TH_LOG("server set-up failed at line %d",
				       first.line);

	ret = checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE, &self->pc.img,
			       self->pc.log, sizeof(self->pc.log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s\n%s", strerror(-ret),
				 self->pc.log);
	/* Both ends of each connection; the server's ends in the queue. */
	ASSERT_EQ(2 * NR_WAITING, image_count(&self->pc.img, CKPT_HDR_TCP));
	ASSERT_EQ(1, image_count(&self->pc.img, CKPT_HDR_TCP_ACCEPT));
	q = image_rec(&self->pc.img, CKPT_HDR_TCP_ACCEPT, 0);
	ASSERT_EQ(NR_WAITING, q->nr_conns);
	refs = (const void *)(q + 1);
	for (i = 0; i < NR_WAITING; i++) {
		for (n = 0; n < 2 * NR_WAITING; n++) {
			h = image_rec(&self->pc.img, CKPT_HDR_TCP, n);
			if (h->h.objref == refs[i])
				break;
		}
		ASSERT_LT(n, 2 * NR_WAITING) TH_LOG("connection %u", refs[i]);
		EXPECT_EQ(variant->family, h->family);
		EXPECT_EQ(0, h->snd_len);
		EXPECT_EQ(sizeof(struct wait_hello) + WAIT_BYTES(i), h->rcv_len);
		EXPECT_EQ(i == NR_WAITING - 1 ? CKPT_TCP_RCV_FIN : 0,
			  h->flags & (CKPT_TCP_RCV_FIN | CKPT_TCP_SND_FIN));
	}
	ASSERT_EQ(0, validate_image(&self->pc.img, self->pc.log,
				    sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
}

FIXTURE_TEARDOWN(accept_queue)
{
	piped_child_end(&self->pc);
}

TEST_F(accept_queue, continues)
{
	piped_child_finish(_metadata, &self->pc, check_wait);
}

TEST_F(accept_queue, restarted)
{
	struct piped_check c = { _metadata, check_wait };
	long ret;

	image_free(&self->pc.img);
	if (variant->memcg && enter_memcg())
		SKIP(return, "no memory controller in /sys/fs/cgroup: %s",
		     strerror(errno));
	ret = kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE, 2,
				      piped_check_restored, &c);
	if (variant->memcg) {
		EXPECT_EQ(0, memcg_sock_bytes());
		leave_memcg();
	}
	ASSERT_LT(0, ret) TH_LOG("%s\n%s", strerror(-ret), self->pc.log);
}

/* A socket that came from another namespace cannot be saved. */
static void __noreturn outsider(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char c;

	if (fd_at(fd, HOST_FD) || unshare(CLONE_NEWNET) || lo_up())
		_exit(1);
	if (write(RES_FD, "r", 1) != 1 || read(CTL_FD, &c, 1) != 1)
		_exit(2);
	_exit(0);
}

TEST(other_namespace_refused)
{
	struct piped_child pc;
	char c;
	long ret;

	if (geteuid())
		SKIP(return, "a network namespace needs root");
	catch_alarm();
	ASSERT_LT(0, piped_child_fork(&pc, CTL_FD, RES_FD, outsider));
	ASSERT_EQ(0, read_timed(pc.res, &c, 1));
	ret = checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TREE, &pc.img, pc.log,
			       sizeof(pc.log));
	EXPECT_EQ(-EOPNOTSUPP, ret);
	EXPECT_NE(NULL, strstr(pc.log, "another network namespace"))
		TH_LOG("%s", pc.log);
	EXPECT_NE(NULL, strstr(pc.log, "111")) TH_LOG("%s", pc.log);
	EXPECT_EQ(1, write(pc.ctl, "g", 1));
	piped_child_end(&pc);
}

/* ------------------------------------------------------------------ */
/* A connection to the outside                                         */

#define OUT_CHUNK	32768		/* each way, before the checkpoint */
#define OUT_STREAM	(1024 * 1024)	/* client to test, in all */
#define OUT_TEST	(2 * OUT_CHUNK)	/* test to client, in all */

static int out_port, out_lfd;

struct out_report {
	int err, line;
	int got;		/* bytes of the test's stream read */
	__u32 sum;
	int lport;
};

/* Until the bytes of @fd are all acknowledged and @in bytes arrived. */
static int settle(int fd, int in)
{
	int i, outq, inq;

	for (i = 0; i < WAIT_SECS * 100; i++) {
		if (ioctl(fd, SIOCOUTQ, &outq) || ioctl(fd, FIONREAD, &inq))
			return -1;
		if (!outq && inq >= in)
			return 0;
		usleep(10000);
	}
	return -1;
}

static void out_client_finish(void *report)
{
	struct out_report *r = report;
	unsigned char c;
	__u32 sum = SUM_INIT;

	if (put_stream(CONN_FD, SALT_STREAM, OUT_CHUNK, OUT_STREAM) != OUT_STREAM ||
	    shutdown(CONN_FD, SHUT_WR)) {
		r->err = STEP_DATA;
		r->line = __LINE__;
		return;
	}
	while (r->got < OUT_TEST && read(CONN_FD, &c, 1) == 1) {
		if (c != data_byte(SALT_REPLY, r->got) && !r->err) {
			r->err = STEP_DATA;
			r->line = __LINE__;
		}
		sum = sum_byte(sum, c);
		r->got++;
	}
	r->sum = sum;
	r->lport = port_of(CONN_FD, false);
}

static void __noreturn out_client(void)
{
	struct out_report r = { };
	struct sockaddr_storage ss;
	socklen_t len = addr_of(&ss, out_port);
	int fd, one = 1;

	close(out_lfd);		/* the test's listener */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd_at(fd, CONN_FD) || connect(CONN_FD, (void *)&ss, len) ||
	    setsockopt(CONN_FD, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    put_stream(CONN_FD, SALT_STREAM, 0, OUT_CHUNK) != OUT_CHUNK ||
	    settle(CONN_FD, OUT_CHUNK)) {
		r.err = STEP_SETUP;
		r.line = __LINE__;
	}
	r.lport = port_of(CONN_FD, false);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), out_client_finish);
}

struct out_check {
	struct __test_metadata *md;
	int conn;		/* the test's end */
	int lport;		/* the client's port */
};

static void out_check_restored(struct restart_round *rr, void *arg)
{
	struct out_check *oc = arg;
	struct __test_metadata *_metadata = oc->md;
	struct out_report r;
	int got, status;
	__u32 sum;

	ASSERT_EQ(1, write(rr->ctl, "g", 1));
	EXPECT_EQ(OUT_TEST, put_stream(oc->conn, SALT_REPLY, OUT_CHUNK, OUT_TEST));
	arm();
	EXPECT_EQ(0, take_data(oc->conn, SALT_STREAM, OUT_STREAM, &got, &sum))
		TH_LOG("the test read %d bytes of %d", got, OUT_STREAM);
	disarm(0);
	ASSERT_EQ(0, read_timed(rr->res, &r, sizeof(r)));
	EXPECT_EQ(0, r.err) TH_LOG("client failed at line %d", r.line);
	EXPECT_EQ(OUT_TEST, r.got);
	EXPECT_EQ(pattern_sum(SALT_REPLY, OUT_TEST), r.sum);
	EXPECT_EQ(oc->lport, r.lport);
	ASSERT_EQ(rr->root, waitpid(rr->root, &status, 0));
	EXPECT_EQ(0, status);
}

TEST(outside_peer_repaired)
{
	struct out_check oc = { _metadata, -1 };
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sin);
	struct out_report first;
	struct piped_child pc;
	int lfd, one = 1;
	long ret;

	if (geteuid())
		SKIP(return, "TCP repair needs CAP_NET_ADMIN");
	family = AF_INET;
	catch_alarm();
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, lfd);
	out_lfd = lfd;
	ASSERT_EQ(0, bind(lfd, (void *)&sin, sizeof(sin)));
	ASSERT_EQ(0, listen(lfd, 1));
	ASSERT_EQ(0, getsockname(lfd, (void *)&sin, &len));
	out_port = ntohs(sin.sin_port);
	ASSERT_LT(0, piped_child_fork(&pc, CTL_FD, RES_FD, out_client));
	oc.conn = accept(lfd, NULL, NULL);
	ASSERT_LE(0, oc.conn);
	close(lfd);
	setsockopt(oc.conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	ASSERT_EQ(OUT_CHUNK, put_stream(oc.conn, SALT_REPLY, 0, OUT_CHUNK));
	ASSERT_EQ(0, read_timed(pc.res, &first, sizeof(first)));
	ASSERT_EQ(0, first.err) TH_LOG("client set-up failed at line %d",
				       first.line);
	oc.lport = first.lport;
	/* Nothing left for either side to send or acknowledge. */
	ASSERT_EQ(0, settle(oc.conn, OUT_CHUNK));

	ret = kill_and_restart_rounds(&pc, CHECKPOINT_SCOPE_TREE |
				      CHECKPOINT_TCP_REPAIR, 1,
				      out_check_restored, &oc);
	EXPECT_LT(0, ret) TH_LOG("%s\n%s", strerror(-ret), pc.log);
	EXPECT_EQ(1, image_count(&pc.img, CKPT_HDR_TCP));
	close(oc.conn);
	piped_child_end(&pc);
}

TEST_HARNESS_MAIN
