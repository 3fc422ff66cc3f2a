// SPDX-License-Identifier: GPL-2.0
/*
 * Pseudo-terminals whose master is saved: made anew at restart, with
 * their slave's termios and window size, lock, packet mode and flow
 * state, and what each side holds for its reader.
 *
 * A process holds a pty in canonical mode without echo, its slave
 * unlocked to be opened three times and locked again, its master in
 * packet mode; typed on the master and not read yet: "hello\n", "bye"
 * ended by EOF, and "wor" of a line being typed; written on the slave
 * and not read yet: "out1\n"; then the slave's output is stopped with
 * tcflow(TCOOFF).  Whether it goes on or is restarted (twice from one
 * image), it reads the lines as they were typed, ends its line, finds
 * the stop in its master's packet status, its output, and its output
 * going on once started again.
 *
 * And a pty driven as a terminal emulator drives a program: a process
 * types lines on the master and reads the screen, its child leads a
 * session whose controlling terminal is the slave, reads it in canonical
 * mode with echo and answers each line.  Half a line is typed when the
 * two are checkpointed; after restart the rest of it is typed, and the
 * screen shows its echo and the answer to the whole line; the program's
 * session has the pty as its controlling terminal again, in the
 * foreground, and ^C interrupts it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define MASTER_FD	10
#define SLAVE_FD	11	/* O_NONBLOCK */
#define SLAVE_DUP	12	/* a dup() of SLAVE_FD */
#define SLAVE2_FD	13	/* the slave opened again, blocking */
#define WAIT_MS		30000

struct pty_report {
	int ready;
	/* after */
	int same_pty, dup_shared, flags_kept, termios_kept;
	int termios_at, termios_was, termios_is;
	int rows, cols, xpixel, ypixel, master_rows;
	int locked, packet;
	int line1, line2, partial, line3;
	int stop_status, out1, stopped, start_status, more;
};

/* Read from @fd within @ms, which must be readable by then. */
static ssize_t read_ready(int fd, void *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	len = read(fd, buf, len);
	return (ssize_t)len < 0 ? -errno : (ssize_t)len;
}

static int same_bytes(int fd, const char *want, size_t len)
{
	char buf[64];
	ssize_t n;

	n = read_ready(fd, buf, sizeof(buf), WAIT_MS);
	return n == (ssize_t)len && !memcmp(buf, want, len);
}

/*
 * The data of packet-mode reads of @fd, each after its TIOCPKT_DATA
 * byte, until they make @len bytes: the slave may write in pieces.
 */
static int same_packets(int fd, const char *want, size_t len)
{
	char buf[64];
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read_ready(fd, buf, sizeof(buf), WAIT_MS);
		if (n < 2 || buf[0] != TIOCPKT_DATA || got + n - 1 > len ||
		    memcmp(buf + 1, want + got, n - 1))
			return 0;
		got += n - 1;
	}
	return 1;
}

static struct termios saved_termios;

static int set_up(void)
{
	struct winsize ws = { .ws_row = 33, .ws_col = 101,
			      .ws_xpixel = 7, .ws_ypixel = 9 };
	int m, s, one = 1, zero = 0;
	struct termios t;
	char name[64];

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || fd_at(m, MASTER_FD) < 0 ||
	    ioctl(MASTER_FD, TIOCSPTLCK, &zero) ||
	    ptsname_r(MASTER_FD, name, sizeof(name)))
		return 1;
	s = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (s < 0 || fd_at(s, SLAVE_FD) < 0 ||
	    dup2(SLAVE_FD, SLAVE_DUP) != SLAVE_DUP)
		return 2;
	s = open(name, O_RDWR | O_NOCTTY);
	if (s < 0 || fd_at(s, SLAVE2_FD) < 0)
		return 3;
	if (ioctl(MASTER_FD, TIOCSPTLCK, &one) ||
	    ioctl(MASTER_FD, TIOCPKT, &one))
		return 4;
	if (tcgetattr(SLAVE_FD, &t))
		return 5;
	t.c_lflag |= ICANON | ISIG | IEXTEN;
	t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	t.c_iflag |= ICRNL;
	t.c_oflag |= OPOST | ONLCR;
	t.c_cc[VERASE] = 'X';
	t.c_cc[VEOL] = '%';
	if (tcsetattr(SLAVE_FD, TCSANOW, &t) ||
	    tcgetattr(SLAVE_FD, &saved_termios) ||
	    ioctl(SLAVE_FD, TIOCSWINSZ, &ws))
		return 6;
	/* Typed, not read: two whole lines, one ended by EOF, and a part. */
	if (write(MASTER_FD, "hello\nbye\x04wor", 13) != 13)
		return 7;
	/* Written on the slave, not read on the master; then stopped. */
	if (write(SLAVE_FD, "out1\n", 5) != 5 || tcflow(SLAVE_FD, TCOOFF))
		return 8;
	return 0;
}

static void check_pty(void *report)
{
	struct pty_report *r = report;
	struct winsize ws = { };
	struct stat st[3];
	struct termios t;
	char name[64], buf[64];
	int v;

	/* Its number may differ: the slave files are of the master's pty. */
	r->same_pty = !ptsname_r(MASTER_FD, name, sizeof(name)) &&
		      !stat(name, &st[0]) && !fstat(SLAVE_FD, &st[1]) &&
		      !fstat(SLAVE2_FD, &st[2]) &&
		      st[0].st_rdev == st[1].st_rdev &&
		      st[1].st_rdev == st[2].st_rdev;
	r->dup_shared = !fcntl(SLAVE_DUP, F_SETFL, 0) &&
			!(fcntl(SLAVE_FD, F_GETFL) & O_NONBLOCK) &&
			!fcntl(SLAVE_DUP, F_SETFL, O_NONBLOCK);
	r->flags_kept = (fcntl(SLAVE_FD, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) ==
			(O_RDWR | O_NONBLOCK) &&
			(fcntl(SLAVE2_FD, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) == O_RDWR &&
			(fcntl(MASTER_FD, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) == O_RDWR;
	r->termios_kept = !tcgetattr(SLAVE2_FD, &t) &&
			  !memcmp(&t, &saved_termios, sizeof(t));
	if (!r->termios_kept) {
		unsigned char *a = (void *)&t, *b = (void *)&saved_termios;

		for (v = 0; v < (int)sizeof(t) && a[v] == b[v]; v++)
			;
		r->termios_at = v;
		r->termios_was = b[v];
		r->termios_is = a[v];
	}
	if (!ioctl(SLAVE_FD, TIOCGWINSZ, &ws)) {
		r->rows = ws.ws_row;
		r->cols = ws.ws_col;
		r->xpixel = ws.ws_xpixel;
		r->ypixel = ws.ws_ypixel;
	}
	if (!ioctl(MASTER_FD, TIOCGWINSZ, &ws))
		r->master_rows = ws.ws_row;
	r->locked = ioctl(MASTER_FD, TIOCGPTLCK, &v) ? -errno : v;
	r->packet = ioctl(MASTER_FD, TIOCGPKT, &v) ? -errno : v;

	/* The input, line by line; the line being typed is not yet one. */
	r->line1 = same_bytes(SLAVE_FD, "hello\n", 6);
	r->line2 = same_bytes(SLAVE_FD, "bye", 3);
	r->partial = read(SLAVE_FD, buf, sizeof(buf)) < 0 ? -errno : 0;
	r->line3 = write(MASTER_FD, "ld\n", 3) == 3 &&
		   same_bytes(SLAVE2_FD, "world\n", 6);

	/* The master's reader: the stop first, the output, nothing more. */
	r->stop_status = same_bytes(MASTER_FD, "\x04", 1);
	r->out1 = same_packets(MASTER_FD, "out1\r\n", 6);
	r->stopped = write(SLAVE_FD, "x", 1) < 0 ? -errno : 0;
	r->start_status = !tcflow(SLAVE_FD, TCOON) &&
			  same_bytes(MASTER_FD, "\x08", 1);
	r->more = write(SLAVE_FD, "more\n", 5) == 5 &&
		  same_packets(MASTER_FD, "more\r\n", 6);
}

static void __noreturn child(void)
{
	struct pty_report r = { 0 };

	r.ready = set_up();
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), check_pty);
}

static void check(struct __test_metadata *_metadata, int ctl, int res)
{
	struct pty_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(1, r.same_pty);
	EXPECT_EQ(1, r.dup_shared);
	EXPECT_EQ(1, r.flags_kept);
	EXPECT_EQ(1, r.termios_kept)
		TH_LOG("termios byte %d: %#x, was %#x", r.termios_at,
		       r.termios_is, r.termios_was);
	EXPECT_EQ(33, r.rows);
	EXPECT_EQ(101, r.cols);
	EXPECT_EQ(7, r.xpixel);
	EXPECT_EQ(9, r.ypixel);
	EXPECT_EQ(33, r.master_rows);
	EXPECT_EQ(1, r.locked);
	EXPECT_EQ(1, r.packet);
	EXPECT_EQ(1, r.line1);
	EXPECT_EQ(1, r.line2);
	EXPECT_EQ(-EAGAIN, r.partial);
	EXPECT_EQ(1, r.line3);
	EXPECT_EQ(1, r.stop_status);
	EXPECT_EQ(1, r.out1);
	EXPECT_EQ(-EAGAIN, r.stopped);
	EXPECT_EQ(1, r.start_status);
	EXPECT_EQ(1, r.more);
}

FIXTURE(pty) {
	struct piped_child pc;
};

FIXTURE_SETUP(pty)
{
	struct pty_report r;

	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, child));
	ASSERT_EQ(0, read_within(self->pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, r.ready);
}

FIXTURE_TEARDOWN(pty)
{
	piped_child_end(&self->pc);
}

/* The process that goes on finds its pty as it was. */
TEST_F(pty, continues)
{
	const struct ckpt_hdr_pty *h;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TASK,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	ASSERT_EQ(1, image_count(&self->pc.img, CKPT_HDR_PTY));
	h = image_rec(&self->pc.img, CKPT_HDR_PTY, 0);
	EXPECT_EQ(CKPT_PTY_LOCKED | CKPT_PTY_PACKET | CKPT_PTY_TCOOFF |
		  CKPT_PTY_STOPPED, h->flags);
	EXPECT_EQ(TIOCPKT_STOP, h->pktstatus);
	/* Received or not yet, all 13 bytes typed are there. */
	EXPECT_EQ(13, h->in[0].len + h->in[0].pending);
	EXPECT_EQ(6, h->in[1].len + h->in[1].pending);	/* "out1\r\n" */
	piped_child_finish(_metadata, &self->pc, check);
}

/* Killed and restarted twice from one image. */
TEST_F(pty, restarts_twice)
{
	struct piped_check c = { _metadata, check };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TASK,
					     2, piped_check_restored, &c))
		TH_LOG("%s", self->pc.log);
}

/* ---------------------------------------------------------------- */
/* A terminal emulator and the program it runs                        */

#define SCREEN_MAX	128

struct screen_report {
	int ready;
	pid_t child;
	int len;
	char screen[SCREEN_MAX];
};

static void on_sigint(int sig)
{
}

/*
 * The program: leads a session whose controlling terminal is the pty,
 * reads lines and answers each: "?" with its session, group, the
 * terminal's foreground group and whether it has a controlling terminal.
 * An interrupt (^C) is answered too.
 */
static void __noreturn answerer(void)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	char line[64], out[128];
	ssize_t n;
	int len, fd;

	/* When the emulator closes the master, it ends at EIO, not SIGHUP. */
	if (setsid() < 0 || ioctl(0, TIOCSCTTY, 0) ||
	    sigaction(SIGINT, &sa, NULL) || signal(SIGHUP, SIG_IGN) == SIG_ERR)
		_exit(82);
	for (;;) {
		n = read(0, line, sizeof(line) - 1);
		/* The master closed: EIO, or end of file once hung up. */
		if (!n || (n < 0 && errno == EIO))
			_exit(0);
		if (n < 0 && errno == EINTR) {
			snprintf(line, sizeof(line), "int");
		} else if (n < 0) {
			_exit(80);
		} else {
			line[n] = '\0';
			line[strcspn(line, "\n")] = '\0';
		}
		if (!strcmp(line, "?")) {
			fd = open("/dev/tty", O_RDWR);
			if (fd >= 0)
				close(fd);
			snprintf(line, sizeof(line),
				 "? sid=%d pgrp=%d fg=%d tty=%d", getsid(0),
				 getpgrp(), tcgetpgrp(0), fd >= 0);
		}
		len = snprintf(out, sizeof(out), "got %s\n", line);
		if (write(1, out, len) != len)
			_exit(81);
	}
}

/*
 * Add to the screen until it holds "got " and ends a line, if @answer,
 * else until it holds @min bytes.
 */
static int read_screen(struct screen_report *s, bool answer, int min)
{
	ssize_t n;

	for (;;) {
		bool done = s->len >= min;

		if (answer)
			done = strstr(s->screen, "got ") && s->len >= 2 &&
			       !strcmp(s->screen + s->len - 2, "\r\n");
		if (done)
			return 0;
		if (s->len == SCREEN_MAX - 1)
			return 1;
		n = read_ready(MASTER_FD, s->screen + s->len,
			       SCREEN_MAX - 1 - s->len, WAIT_MS);
		if (n <= 0)
			return 1;
		s->len += n;
		s->screen[s->len] = '\0';
	}
}

/* The emulator: types what it is told, reports the screen. */
static void __noreturn emulator(void)
{
	struct screen_report s = { 0 };
	char name[64], keys[32];
	int m, sl;
	pid_t pid;
	ssize_t n;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || fd_at(m, MASTER_FD) < 0 || grantpt(MASTER_FD) ||
	    unlockpt(MASTER_FD) || ptsname_r(MASTER_FD, name, sizeof(name)))
		_exit(70);
	sl = open(name, O_RDWR | O_NOCTTY);
	if (sl < 0)
		_exit(71);
	pid = fork();
	if (pid < 0)
		_exit(72);
	if (!pid) {
		if (dup2(sl, 0) || dup2(sl, 1) != 1)
			_exit(73);
		close(sl);
		close(MASTER_FD);
		close(CTL_FD);
		close(RES_FD);
		answerer();
	}
	close(sl);
	s.ready = 0;
	s.child = pid;
	if (write(RES_FD, &s, sizeof(s)) != sizeof(s))
		_exit(74);
	/* A command: 'L' keys, until the answer; 'P' keys, until their echo. */
	for (;;) {
		n = read(CTL_FD, keys, sizeof(keys) - 1);
		if (n <= 0)
			break;
		keys[n] = '\0';
		if (write(MASTER_FD, keys + 1, n - 1) != n - 1)
			_exit(75);
		memset(&s, 0, sizeof(s));
		s.ready = read_screen(&s, keys[0] == 'L', n - 1);
		if (write(RES_FD, &s, sizeof(s)) != sizeof(s))
			_exit(76);
	}
	close(MASTER_FD);
	if (waitpid(pid, &m, 0) != pid || !WIFEXITED(m))
		_exit(77);
	_exit(WEXITSTATUS(m));
}

static void type(struct __test_metadata *_metadata, int ctl, int res,
		 const char *cmd, struct screen_report *s)
{
	ASSERT_EQ((ssize_t)strlen(cmd), write(ctl, cmd, strlen(cmd)));
	ASSERT_EQ(0, read_within(res, s, sizeof(*s), WAIT_MS));
	ASSERT_EQ(0, s->ready);
}

/*
 * The session's terminal, its foreground group, and how it stops a
 * foreground program.
 */
static void check_session(struct __test_metadata *_metadata, int ctl,
			  int res, pid_t child)
{
	struct screen_report s;
	char want[SCREEN_MAX];

	snprintf(want, sizeof(want), "?\r\ngot ? sid=%d pgrp=%d fg=%d tty=1\r\n",
		 child, child, child);
	type(_metadata, ctl, res, "L?\r", &s);
	EXPECT_STREQ(want, s.screen);
	type(_metadata, ctl, res, "L\x03", &s);
	EXPECT_STREQ("^Cgot int\r\n", s.screen);
}

/* The rest of the line, typed after the checkpoint; then the session. */
static void finish_line(struct __test_metadata *_metadata, int ctl, int res,
			pid_t child)
{
	struct screen_report s;

	type(_metadata, ctl, res, "Lf\r", &s);
	EXPECT_STREQ("f\r\ngot def\r\n", s.screen);
	check_session(_metadata, ctl, res, child);
}

FIXTURE(terminal) {
	struct piped_child pc;
	pid_t child;
};

FIXTURE_SETUP(terminal)
{
	struct screen_report s;

	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, emulator));
	ASSERT_EQ(0, read_within(self->pc.res, &s, sizeof(s), WAIT_MS));
	ASSERT_EQ(0, s.ready);
	self->child = s.child;
	check_session(_metadata, self->pc.ctl, self->pc.res, self->child);
	type(_metadata, self->pc.ctl, self->pc.res, "Labc\r", &s);
	EXPECT_STREQ("abc\r\ngot abc\r\n", s.screen);
	type(_metadata, self->pc.ctl, self->pc.res, "Pde", &s);
	EXPECT_STREQ("de", s.screen);
}

FIXTURE_TEARDOWN(terminal)
{
	piped_child_end(&self->pc);
}

/* Both processes go on; the line being typed is still there. */
TEST_F(terminal, continues)
{
	int status;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE,
				      &self->pc.img, self->pc.log,
				      sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	EXPECT_EQ(1, image_count(&self->pc.img, CKPT_HDR_PTY));
	finish_line(_metadata, self->pc.ctl, self->pc.res, self->child);
	/* Its master closed, the program reads EIO or end of file, exits. */
	close(self->pc.ctl);
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, &status, 0));
	self->pc.pid = -1;
	EXPECT_EQ(0, status);
}

struct terminal_arg {
	struct __test_metadata *_metadata;
	pid_t child;
};

static void check_terminal(struct restart_round *r, void *arg)
{
	struct terminal_arg *a = arg;
	struct __test_metadata *_metadata = a->_metadata;
	int status;

	finish_line(_metadata, r->ctl, r->res, a->child);
	close(r->ctl);
	r->ctl = -1;
	ASSERT_EQ(r->root, waitpid(r->root, &status, 0));
	EXPECT_EQ(0, status);
}

/* Both killed, and restarted twice from one image. */
TEST_F(terminal, restarts_twice)
{
	struct terminal_arg a = { _metadata, self->child };

	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE,
					     2, check_terminal, &a))
		TH_LOG("%s", self->pc.log);
}

/*
 * An image whose pty names as its session one that a process outside
 * the image leads: restart fails, with nothing left behind, and that
 * session does not get the pty as its terminal.
 */
TEST_F(terminal, foreign_session_refused)
{
	struct ckpt_hdr_pty *h;
	int go[2], ans[2], ctl, res, tty_err = 0;
	pid_t outsider;
	long ret;
	char c;

	ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE |
				      CHECKPOINT_KILL, &self->pc.img,
				      self->pc.log, sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, NULL, 0));
	self->pc.pid = -1;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ans));
	outsider = fork();
	ASSERT_LE(0, outsider);
	if (!outsider) {
		int fd, err = 0;

		if (setsid() < 0)
			_exit(1);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		fd = open("/dev/tty", O_RDWR);
		if (fd < 0)
			err = errno;
		_exit(write(ans[1], &err, sizeof(err)) == sizeof(err) ? 0 : 3);
	}
	h = image_rec(&self->pc.img, CKPT_HDR_PTY, 0);
	ASSERT_NE(NULL, h);
	ASSERT_EQ(self->child, h->session);
	h->session = outsider;
	ret = restart_with_pipes(&self->pc.img, CTL_FD, &ctl, RES_FD, &res,
				 self->pc.log, sizeof(self->pc.log), NULL);
	EXPECT_EQ(-ESRCH, ret);
	EXPECT_NE(NULL, strstr(self->pc.log, "is not restored"))
		TH_LOG("%s", self->pc.log);
	close(ctl);
	close(res);
	EXPECT_EQ(-1, kill(self->child, 0));

	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(0, read_within(ans[0], &tty_err, sizeof(tty_err), WAIT_MS));
	EXPECT_EQ(ENXIO, tty_err);
	ASSERT_EQ(outsider, waitpid(outsider, NULL, 0));
}

TEST_HARNESS_MAIN
