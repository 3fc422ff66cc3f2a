// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptors in flight: files sent with SCM_RIGHTS on unix socket pairs
 * and not received yet.  A child holds:
 *
 *  - a datagram pair whose receiving end has three messages: one with a
 *    regular file that the child also has open (the two share an
 *    offset), an empty one, and one with a memfd and an eventfd that only
 *    the message holds;
 *  - a stream pair with "abc", then "def" bringing a file, then "ghi":
 *    a read stops after the bytes that brought descriptors;
 *  - a seqpacket pair with a message each way, each with a file.
 *
 * Whether the child goes on or is restarted (twice from one image), each
 * message comes with the same bytes and the same files: offsets, shared
 * offsets, contents and counters.  Files that cannot be in flight in an
 * image make the checkpoint fail with a message, and the child goes on.
 */
#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define DG_A		10	/* datagram pair: B has three messages */
#define DG_B		11
#define ST_A		12	/* stream pair: B has "abc", "def" + file, "ghi" */
#define ST_B		13
#define SQ_A		14	/* seqpacket pair: a message each way */
#define SQ_B		15
#define FILE_FD		20	/* the file of the first datagram, open here too */
#define MEMFD_LEN	8192
#define EFD_COUNT	42
#define EFD_COUNT2	7
#define WAIT_MS		30000

struct rights_report {
	int ready;
	/* after */
	int dg1_len, dg1_nfds, dg1_reg, dg1_pos, dg1_shared, dg1_data;
	int dg2_len, dg2_nfds;
	int dg3_len, dg3_nfds, dg3_memfd_size, dg3_memfd_ok;
	long long dg3_efd;
	int dg_more;
	int st1_len, st1_nfds, st1_ok, st1_pos, st1_data;
	int st2_len, st2_nfds, st2_ok;
	int sq1_len, sq1_nfds;
	long long sq1_efd;
	int sq2_len, sq2_nfds, sq2_shared;
};

static char path[64];

static unsigned char pattern(int i)
{
	return (i * 13 + (i >> 9)) & 0xff;
}

/*
 * Receive a message into @buf and its descriptors into @fds (at most 4);
 * returns its length, or -errno, and sets *@n.
 */
static int recv_fds(int fd, char *buf, size_t size, int *fds, int *n)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(4 * sizeof(int))];
	} u;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	ssize_t len;

	*n = 0;
	len = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (len < 0)
		return -errno;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		*n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(fds, CMSG_DATA(c), *n * sizeof(int));
	}
	if (msg.msg_flags & MSG_CTRUNC)
		return -EMSGSIZE;
	return len;
}

static int set_up(void)
{
	unsigned char buf[MEMFD_LEN];
	int fd, fds[2], i;

	/* The file: "0123456789", at offset 5, open here and in flight. */
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "0123456789", 10) != 10 ||
	    lseek(fd, 5, SEEK_SET) != 5 || fd_at(fd, FILE_FD))
		return -1;
	if (pair_at(SOCK_DGRAM, DG_A, DG_B) ||
	    pair_at(SOCK_STREAM, ST_A, ST_B) ||
	    pair_at(SOCK_SEQPACKET, SQ_A, SQ_B))
		return -2;

	fds[0] = FILE_FD;
	if (send_fds(DG_A, "one", 3, fds, 1) || send_fds(DG_A, "", 0, NULL, 0))
		return -3;
	/* A memfd and an eventfd that only the message holds. */
	fds[0] = memfd_create("rights", 0);
	fds[1] = eventfd(EFD_COUNT, 0);
	for (i = 0; i < MEMFD_LEN; i++)
		buf[i] = pattern(i);
	if (fds[0] < 0 || fds[1] < 0 ||
	    write(fds[0], buf, MEMFD_LEN) != MEMFD_LEN ||
	    send_fds(DG_A, "three", 5, fds, 2))
		return -4;
	close(fds[0]);
	close(fds[1]);

	/* The same file again, opened anew, at offset 3. */
	fds[0] = open(path, O_RDONLY);
	if (fds[0] < 0 || lseek(fds[0], 3, SEEK_SET) != 3 ||
	    write(ST_A, "abc", 3) != 3 || send_fds(ST_A, "def", 3, fds, 1) ||
	    write(ST_A, "ghi", 3) != 3)
		return -5;
	close(fds[0]);

	fds[0] = eventfd(EFD_COUNT2, 0);
	if (fds[0] < 0 || send_fds(SQ_A, "seq", 3, fds, 1))
		return -6;
	close(fds[0]);
	fds[0] = FILE_FD;
	if (send_fds(SQ_B, "back", 4, fds, 1))
		return -7;
	return 0;
}

/* Whether @fd shares its offset with FILE_FD: move one, read the other. */
static int shares_offset(int fd)
{
	off_t was = lseek(FILE_FD, 0, SEEK_CUR);
	int ok = lseek(fd, 7, SEEK_SET) == 7 &&
		 lseek(FILE_FD, 0, SEEK_CUR) == 7;

	lseek(FILE_FD, was, SEEK_SET);
	return ok;
}

static void check_rights(void *report)
{
	struct rights_report *r = report;
	unsigned char mem[MEMFD_LEN];
	char buf[64];
	int fds[4], i;
	struct stat st;
	uint64_t v;

	r->dg1_len = recv_fds(DG_B, buf, sizeof(buf), fds, &r->dg1_nfds);
	if (r->dg1_len == 3 && r->dg1_nfds == 1) {
		r->dg1_reg = !fstat(fds[0], &st) && S_ISREG(st.st_mode) &&
			     !memcmp(buf, "one", 3);
		r->dg1_pos = lseek(fds[0], 0, SEEK_CUR);
		r->dg1_shared = shares_offset(fds[0]);
		r->dg1_data = pread(fds[0], buf, 3, 7) == 3 &&
			      !memcmp(buf, "789", 3);
		close(fds[0]);
	}
	r->dg2_len = recv_fds(DG_B, buf, sizeof(buf), fds, &r->dg2_nfds);
	r->dg3_len = recv_fds(DG_B, buf, sizeof(buf), fds, &r->dg3_nfds);
	if (r->dg3_len == 5 && r->dg3_nfds == 2 && !memcmp(buf, "three", 5)) {
		if (!fstat(fds[0], &st))
			r->dg3_memfd_size = st.st_size;
		r->dg3_memfd_ok = pread(fds[0], mem, MEMFD_LEN, 0) == MEMFD_LEN;
		for (i = 0; i < MEMFD_LEN && r->dg3_memfd_ok; i++)
			r->dg3_memfd_ok = mem[i] == pattern(i);
		r->dg3_efd = read(fds[1], &v, sizeof(v)) == sizeof(v) ? v : -1;
		close(fds[0]);
		close(fds[1]);
	}
	r->dg_more = recv_fds(DG_B, buf, sizeof(buf), fds, &i);

	/* A read stops after the bytes that brought descriptors. */
	r->st1_len = recv_fds(ST_B, buf, sizeof(buf), fds, &r->st1_nfds);
	if (r->st1_len == 6 && r->st1_nfds == 1) {
		r->st1_ok = !memcmp(buf, "abcdef", 6);
		r->st1_pos = lseek(fds[0], 0, SEEK_CUR);
		r->st1_data = read(fds[0], buf, 2) == 2 && !memcmp(buf, "34", 2);
		close(fds[0]);
	}
	r->st2_len = recv_fds(ST_B, buf, sizeof(buf), fds, &r->st2_nfds);
	r->st2_ok = r->st2_len == 3 && !memcmp(buf, "ghi", 3);

	r->sq1_len = recv_fds(SQ_B, buf, sizeof(buf), fds, &r->sq1_nfds);
	if (r->sq1_len == 3 && r->sq1_nfds == 1) {
		r->sq1_efd = read(fds[0], &v, sizeof(v)) == sizeof(v) ? v : -1;
		close(fds[0]);
	}
	r->sq2_len = recv_fds(SQ_A, buf, sizeof(buf), fds, &r->sq2_nfds);
	if (r->sq2_len == 4 && r->sq2_nfds == 1) {
		r->sq2_shared = shares_offset(fds[0]);
		close(fds[0]);
	}
}

static void __noreturn child(void)
{
	struct rights_report r = { 0 };

	r.ready = set_up();
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), check_rights);
}

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct rights_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(3, r.dg1_len);
	EXPECT_EQ(1, r.dg1_nfds);
	EXPECT_EQ(1, r.dg1_reg);
	EXPECT_EQ(5, r.dg1_pos);
	EXPECT_EQ(1, r.dg1_shared);
	EXPECT_EQ(1, r.dg1_data);
	EXPECT_EQ(0, r.dg2_len);
	EXPECT_EQ(0, r.dg2_nfds);
	EXPECT_EQ(5, r.dg3_len);
	EXPECT_EQ(2, r.dg3_nfds);
	EXPECT_EQ(MEMFD_LEN, r.dg3_memfd_size);
	EXPECT_EQ(1, r.dg3_memfd_ok);
	EXPECT_EQ(EFD_COUNT, r.dg3_efd);
	EXPECT_EQ(-EAGAIN, r.dg_more);
	EXPECT_EQ(6, r.st1_len);
	EXPECT_EQ(1, r.st1_nfds);
	EXPECT_EQ(1, r.st1_ok);
	EXPECT_EQ(3, r.st1_pos);
	EXPECT_EQ(1, r.st1_data);
	EXPECT_EQ(3, r.st2_len);
	EXPECT_EQ(0, r.st2_nfds);
	EXPECT_EQ(1, r.st2_ok);
	EXPECT_EQ(3, r.sq1_len);
	EXPECT_EQ(1, r.sq1_nfds);
	EXPECT_EQ(EFD_COUNT2, r.sq1_efd);
	EXPECT_EQ(4, r.sq2_len);
	EXPECT_EQ(1, r.sq2_nfds);
	EXPECT_EQ(1, r.sq2_shared);
}

/* Descriptors in flight on the ends of the pairs of @img. */
static int count_in_flight(const struct ckpt_image *img)
{
	const struct ckpt_hdr_unix_pair *h;
	int i, n = 0;

	for (i = 0; (h = image_rec(img, CKPT_HDR_UNIX_PAIR, i)); i++)
		n += h->end[0].nr_fds + h->end[1].nr_fds;
	return n;
}

FIXTURE(unix_rights) {
	struct piped_child pc;
};

FIXTURE_SETUP(unix_rights)
{
	struct rights_report r;

	snprintf(path, sizeof(path), "/tmp/ckpt_rights_%d", getpid());
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, child));
	ASSERT_EQ(0, read_within(self->pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, r.ready);
}

FIXTURE_TEARDOWN(unix_rights)
{
	piped_child_end(&self->pc);
	unlink(path);
}

/* The process that goes on finds its messages as they were. */
TEST_F(unix_rights, continues)
{
	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	EXPECT_EQ(3, image_count(&self->pc.img, CKPT_HDR_UNIX_PAIR));
	EXPECT_EQ(6, count_in_flight(&self->pc.img));
	piped_child_finish(_metadata, &self->pc, check);
}

/* Killed and restarted twice from one image. */
TEST_F(unix_rights, restarts_twice)
{
	struct piped_check c = { _metadata, check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

/* ---------------------------------------------------------------- */
/* Refused: the checkpoint fails with a message, the child goes on    */
/* and still receives what was in flight.                             */

static int bad_kind;

static void __noreturn refused_child(void)
{
	int p[2], fd, n, ep;
	struct epoll_event ev = { .events = EPOLLIN };
	char c = 0, buf[8];

	if (pair_at(SOCK_DGRAM, DG_A, DG_B))
		_exit(90);
	if (bad_kind == 0) {
		/* A pipe end in flight: restart would not know its pipe. */
		if (pipe(p) || write(p[1], "pipe", 4) != 4 ||
		    send_fds(DG_A, "x", 1, &p[0], 1))
			_exit(91);
		close(p[0]);
	} else {
		/* An epoll watching the socket whose queue holds it. */
		ep = epoll_create1(0);
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, DG_B, &ev) ||
		    send_fds(DG_A, "x", 1, &ep, 1))
			_exit(92);
		close(ep);
	}
	if (write(RES_FD, &c, 1) != 1 || read(CTL_FD, &c, 1) != 1)
		_exit(93);
	if (recv_fds(DG_B, buf, sizeof(buf), &fd, &n) != 1 || n != 1)
		_exit(94);
	if (bad_kind == 0)
		_exit(read(fd, buf, 4) == 4 && !memcmp(buf, "pipe", 4) ? 0 : 95);
	_exit(epoll_wait(fd, &ev, 1, 0) == 0 ? 0 : 96);
}

static void refused(struct __test_metadata *_metadata, int kind, int err,
		    const char *what)
{
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE], c;
	int ctl, res, status;
	pid_t pid;

	bad_kind = kind;
	pid = fork_with_pipes(CTL_FD, &ctl, RES_FD, &res, refused_child);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, read_within(res, &c, 1, WAIT_MS));
	EXPECT_EQ(-err, checkpoint_image(pid, CHECKPOINT_SCOPE_TASK, &img,
					 log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, what))
		TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, "fd 10"))
		TH_LOG("%s", log);
	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	close(ctl);
	close(res);
	image_free(&img);
}

TEST(refuses_pipe_in_flight)
{
	refused(_metadata, 0, EOPNOTSUPP, "in flight (SCM_RIGHTS) is not supported");
}

TEST(refuses_itself_in_flight)
{
	refused(_metadata, 1, ELOOP, "leading back to their socket");
}

TEST_HARNESS_MAIN
