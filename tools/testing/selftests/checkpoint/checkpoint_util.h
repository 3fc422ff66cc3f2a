/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the checkpoint/restart selftests: system call
 * wrappers, a test process family (child, thread, grandchild) in a
 * chosen state, and an image walker with the small editing operations
 * that the corrupt-image tests are built from.
 *
 * Everything here is plain C that may run in forked children: nothing
 * calls the harness ASSERT macros, errors are returned.  Only the checks
 * of a piped child at the end do, for the tests that include
 * kselftest_harness.h first.
 */
#ifndef __CHECKPOINT_UTIL_H
#define __CHECKPOINT_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/checkpoint.h>

#include "../kselftest.h"

#ifndef __NR_checkpoint
#define __NR_checkpoint 463
#endif
#ifndef __NR_restart
#define __NR_restart 464
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

/* Room for the messages of one call on the log fd. */
#define CKPT_LOG_SIZE	8192

static inline long sys_checkpoint(pid_t pid, int fd, unsigned long flags,
				  int logfd)
{
	return syscall(__NR_checkpoint, (long)pid, (long)fd, flags, (long)logfd);
}

static inline long sys_restart(pid_t pid, int fd, unsigned long flags,
			       int logfd)
{
	return syscall(__NR_restart, (long)pid, (long)fd, flags, (long)logfd);
}

static inline int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return syscall(__NR_pidfd_open, (long)pid, (long)flags);
}

/*
 * The errno of a system call the kernel does not implement (ENOSYS):
 * no kernel has a system call -1.
 */
static inline int ckpt_no_syscall_errno(void)
{
	return syscall(-1) < 0 ? errno : 0;
}

/*
 * Does this kernel have checkpoint(2) and restart(2) at our numbers?
 * ENOSYS is not enough: from Linux 6.13 on, 463 and 464 are
 * setxattrat() and getxattrat(), which fail in other ways.  The symbol
 * table answers without calling anything; without /proc, ask restart(2)
 * about an empty image, which only it refuses with ENODATA and a line
 * on the log fd.
 */
static inline bool ckpt_kernel_has_syscalls(void)
{
	int fd, lp[2], no_syscall = ckpt_no_syscall_errno();
	char line[256], log[256] = "";
	bool found = false;
	long ret;
	FILE *f;

	if (sys_restart(0, -1, RESTART_VALIDATE, -1) < 0 && errno == no_syscall)
		return false;

	f = fopen("/proc/kallsyms", "re");
	if (f) {
		while (!found && fgets(line, sizeof(line), f)) {
			const char *name = strrchr(line, ' ');

			found = name && !strcmp(name + 1, "__x64_sys_checkpoint\n");
		}
		fclose(f);
		return found;
	}

	fd = memfd_create("ckpt-probe", MFD_CLOEXEC);
	if (fd < 0 || pipe2(lp, O_CLOEXEC | O_NONBLOCK))
		return false;
	ret = sys_restart(0, fd, RESTART_VALIDATE, lp[1]);
	if (ret == -1 && errno == ENODATA &&
	    read(lp[0], log, sizeof(log) - 1) > 0)
		found = !strncmp(log, "restart: ", 9);
	close(lp[0]);
	close(lp[1]);
	close(fd);
	return found;
}

/* The whole program is skipped on a kernel without the system calls. */
#define CKPT_NO_SYSCALLS_FMT \
	"no checkpoint(2)/restart(2) at syscalls %d/%d in this kernel (CONFIG_CHECKPOINT=n?)\n"

static void __attribute__((constructor)) ckpt_require_syscalls(void)
{
	if (!ckpt_kernel_has_syscalls())
		ksft_exit_skip(CKPT_NO_SYSCALLS_FMT, __NR_checkpoint, __NR_restart);
}

/* -errno of a failed call, the value of a successful one. */
static inline long ckpt_ret(long ret)
{
	return ret < 0 ? -errno : ret;
}

/* A pipe for the log fd; its read end is non-blocking. */
static inline int log_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK))
		return -errno;
	return 0;
}

/* Read whatever is in the log pipe into @log, NUL terminated. */
static inline size_t log_drain(int fd, char *log, size_t size)
{
	size_t len = 0;
	ssize_t n;
	char spill[256];

	for (;;) {
		if (len + 1 < size)
			n = read(fd, log + len, size - 1 - len);
		else
			n = read(fd, spill, sizeof(spill));
		if (n <= 0)
			break;
		if (len + 1 < size)
			len += n;
	}
	if (size)
		log[len] = '\0';
	return len;
}

/* Does @log contain the decimal number @n, not as part of a longer one? */
static inline bool log_has_number(const char *log, long n)
{
	char num[32];
	const char *p = log;
	size_t len;

	snprintf(num, sizeof(num), "%ld", n);
	len = strlen(num);
	while ((p = strstr(p, num))) {
		bool digit_before = p > log && p[-1] >= '0' && p[-1] <= '9';
		bool digit_after = p[len] >= '0' && p[len] <= '9';

		if (!digit_before && !digit_after &&
		    !(n >= 0 && p > log && p[-1] == '-'))
			return true;
		p++;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Images in memory                                                    */

#define CKPT_ALIGN_UP(x)	(((x) + CKPT_ALIGN - 1) & ~(size_t)(CKPT_ALIGN - 1))
#define CKPT_MAX_RECS		1024

struct ckpt_image {
	unsigned char *buf;
	size_t len;
	size_t cap;
};

struct ckpt_rec {
	size_t off;	/* offset of the record in the image */
	__u32 type;
	__u32 len;	/* the record's len field */
};

static inline void image_free(struct ckpt_image *img)
{
	free(img->buf);
	img->buf = NULL;
	img->len = 0;
	img->cap = 0;
}

static inline int image_reserve(struct ckpt_image *img, size_t len)
{
	unsigned char *p;
	size_t cap = img->cap ? img->cap : 4096;

	if (len <= img->cap)
		return 0;
	while (cap < len)
		cap *= 2;
	p = realloc(img->buf, cap);
	if (!p)
		return -ENOMEM;
	memset(p + img->cap, 0, cap - img->cap);
	img->buf = p;
	img->cap = cap;
	return 0;
}

static inline int image_set(struct ckpt_image *img, const void *data, size_t len)
{
	int err = image_reserve(img, len ? len : 1);

	if (err)
		return err;
	if (len)
		memcpy(img->buf, data, len);
	img->len = len;
	return 0;
}

static inline int image_copy(struct ckpt_image *dst, const struct ckpt_image *src)
{
	memset(dst, 0, sizeof(*dst));
	return image_set(dst, src->buf, src->len);
}

/* Load the whole content of @fd, from offset 0. */
static inline int image_read_fd(struct ckpt_image *img, int fd)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st))
		return -errno;
	if (image_reserve(img, st.st_size + 1))
		return -ENOMEM;
	n = pread(fd, img->buf, st.st_size, 0);
	if (n != st.st_size)
		return n < 0 ? -errno : -EIO;
	img->len = n;
	return 0;
}

/* A memfd holding the image, positioned at its start. */
static inline int image_memfd(const struct ckpt_image *img)
{
	int fd = memfd_create("ckpt-image", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -errno;
	while (done < img->len) {
		ssize_t n = write(fd, img->buf + done, img->len - done);

		if (n <= 0) {
			close(fd);
			return -EIO;
		}
		done += n;
	}
	if (lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return -EIO;
	}
	return fd;
}

/*
 * Walk the records of a well-formed image into @recs.  Returns their
 * number, or -1 if the framing is broken (a length below 8, a record or
 * its padding beyond the end) or there are more than @max records.
 */
static inline int image_walk(const struct ckpt_image *img,
			     struct ckpt_rec *recs, int max)
{
	size_t off = 0;
	int n = 0;

	while (off < img->len) {
		struct ckpt_hdr h;

		if (n == max || img->len - off < sizeof(h))
			return -1;
		memcpy(&h, img->buf + off, sizeof(h));
		if (h.len < sizeof(h) || CKPT_ALIGN_UP((size_t)h.len) > img->len - off)
			return -1;
		recs[n].off = off;
		recs[n].type = h.type;
		recs[n].len = h.len;
		n++;
		off += CKPT_ALIGN_UP((size_t)h.len);
	}
	return n;
}

/* Offset of the @nth (from 0) record of @type, or -1. */
static inline long image_find(const struct ckpt_image *img, __u32 type, int nth)
{
	struct ckpt_rec recs[CKPT_MAX_RECS];
	int n = image_walk(img, recs, CKPT_MAX_RECS), i;

	for (i = 0; i < n; i++)
		if (recs[i].type == type && nth-- == 0)
			return recs[i].off;
	return -1;
}

/* Pointer to the @nth record of @type, or NULL.  Valid until the next edit. */
static inline void *image_rec(const struct ckpt_image *img, __u32 type, int nth)
{
	long off = image_find(img, type, nth);

	return off < 0 ? NULL : img->buf + off;
}

/* Number of records of @type. */
static inline int image_count(const struct ckpt_image *img, __u32 type)
{
	int n = 0;

	while (image_find(img, type, n) >= 0)
		n++;
	return n;
}

/* Size of the record at @off with its padding. */
static inline size_t image_rec_size(const struct ckpt_image *img, size_t off)
{
	struct ckpt_hdr h;

	memcpy(&h, img->buf + off, sizeof(h));
	return CKPT_ALIGN_UP((size_t)h.len);
}

static inline struct ckpt_hdr_tree *image_tree(const struct ckpt_image *img)
{
	return image_rec(img, CKPT_HDR_TREE, 0);
}

static inline struct ckpt_pids *image_pids(const struct ckpt_image *img)
{
	struct ckpt_hdr_tree *t = image_tree(img);

	return t ? (struct ckpt_pids *)(t + 1) : NULL;
}

/* The task record of @pid, or NULL.  Valid until the next edit. */
static inline struct ckpt_hdr_task *image_task(const struct ckpt_image *img,
					       pid_t pid)
{
	struct ckpt_hdr_task *t;
	int i;

	for (i = 0; (t = image_rec(img, CKPT_HDR_TASK, i)); i++)
		if (t->pid == pid)
			return t;
	return NULL;
}

/* Keep the first @len bytes. */
static inline void image_truncate(struct ckpt_image *img, size_t len)
{
	if (len < img->len)
		img->len = len;
}

static inline int image_insert(struct ckpt_image *img, size_t off,
			       const void *data, size_t len)
{
	int err;

	if (off > img->len)
		return -EINVAL;
	err = image_reserve(img, img->len + len);
	if (err)
		return err;
	memmove(img->buf + off + len, img->buf + off, img->len - off);
	memcpy(img->buf + off, data, len);
	img->len += len;
	return 0;
}

static inline void image_delete(struct ckpt_image *img, size_t off, size_t len)
{
	if (off >= img->len)
		return;
	if (len > img->len - off)
		len = img->len - off;
	memmove(img->buf + off, img->buf + off + len, img->len - off - len);
	img->len -= len;
}

/* Replace the record at @off (with its padding) by @len bytes of @data. */
static inline int image_replace_rec(struct ckpt_image *img, size_t off,
				    const void *data, size_t len)
{
	image_delete(img, off, image_rec_size(img, off));
	return image_insert(img, off, data, len);
}

/* Insert a copy of the record at @src (with its padding) at @dst. */
static inline int image_dup_rec(struct ckpt_image *img, size_t src, size_t dst)
{
	size_t size = image_rec_size(img, src);
	unsigned char *copy = malloc(size);
	int err;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, img->buf + src, size);
	err = image_insert(img, dst, copy, size);
	free(copy);
	return err;
}

/*
 * After an edit that adds, removes or resizes records: make the tail
 * count the records and bytes before it again.  The last record must
 * be the tail.
 */
static inline int image_fix_tail(struct ckpt_image *img)
{
	struct ckpt_rec recs[CKPT_MAX_RECS];
	struct ckpt_hdr_tail *t;
	int n = image_walk(img, recs, CKPT_MAX_RECS);

	if (n < 1 || recs[n - 1].type != CKPT_HDR_TAIL)
		return -EINVAL;
	t = (struct ckpt_hdr_tail *)(img->buf + recs[n - 1].off);
	t->records = n - 1;
	t->bytes = recs[n - 1].off;
	return 0;
}

/*
 * Build an error record carrying @errnum and @msg into @buf (at least
 * sizeof(struct ckpt_hdr_error) + strlen(msg) + 8 bytes).  Returns its
 * size with padding.
 */
static inline size_t ckpt_make_error(void *buf, int errnum, const char *msg)
{
	struct ckpt_hdr_error *e = buf;
	size_t len = sizeof(*e) + strlen(msg) + 1;

	memset(buf, 0, CKPT_ALIGN_UP(len));
	e->h.type = CKPT_HDR_ERROR;
	e->h.len = len;
	e->errnum = errnum;
	memcpy(e + 1, msg, strlen(msg));
	return CKPT_ALIGN_UP(len);
}

/*
 * restart(RESTART_VALIDATE) of the image in @fd, read from its current
 * position.  Returns 0 or -errno; the log goes to @log.
 */
static inline long validate_fd(int fd, char *log, size_t logsize)
{
	int lp[2];
	long ret;

	ret = log_pipe(lp);
	if (ret)
		return ret;
	ret = ckpt_ret(sys_restart(0, fd, RESTART_VALIDATE, lp[1]));
	log_drain(lp[0], log, logsize);
	close(lp[0]);
	close(lp[1]);
	return ret;
}

static inline long validate_image(const struct ckpt_image *img, char *log,
				  size_t logsize)
{
	int fd = image_memfd(img);
	long ret;

	if (fd < 0)
		return fd;
	ret = validate_fd(fd, log, logsize);
	close(fd);
	return ret;
}

/*
 * checkpoint(2) of @pid with @flags into a fresh memfd.  Returns the
 * checkpoint id or -errno; the image (possibly empty) goes to @img if
 * not NULL and the log to @log if not NULL.
 */
static inline long checkpoint_image(pid_t pid, unsigned long flags,
				    struct ckpt_image *img, char *log,
				    size_t logsize)
{
	char spill[64];
	int fd, lp[2];
	long ret;

	fd = memfd_create("ckpt-image", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = log_pipe(lp);
	if (ret) {
		close(fd);
		return ret;
	}
	ret = ckpt_ret(sys_checkpoint(pid, fd, flags, lp[1]));
	if (log)
		log_drain(lp[0], log, logsize);
	else
		log_drain(lp[0], spill, sizeof(spill));
	if (img) {
		int err = image_read_fd(img, fd);

		if (err && ret >= 0)
			ret = err;
	}
	close(lp[0]);
	close(lp[1]);
	close(fd);
	return ret;
}

/* ------------------------------------------------------------------ */
/* A family of test processes                                          */

enum family_state {
	FAMILY_STOPPED,		/* stopped by SIGSTOP, seen by waitpid(WUNTRACED) */
	FAMILY_BLOCKED,		/* asleep in read() on the control pipe */
	FAMILY_SPINNING,	/* busy polling the control pipe */
};

enum family_gc {
	GC_NONE,
	GC_STOPPED,		/* the grandchild stopped itself */
	GC_RUNNING,		/* the grandchild sleeps in pause() */
	GC_ZOMBIE,		/* the grandchild exited and is not reaped */
};

/* A running child that reads a byte on the control pipe exits with this. */
#define FAMILY_EXIT_OK		42
/* ... and with this if its read failed or a signal was pending. */
#define FAMILY_EXIT_DISTURBED	43

struct family_opts {
	const char *comm;	/* PR_SET_NAME of the child, if set */
	const gid_t *groups;	/* setgroups() in the child first, if set */
	int ngroups;
	bool thread;		/* the child starts a second thread */
	enum family_gc gc;
	enum family_state state;
};

struct family {
	pid_t child;
	pid_t thread;		/* tid of the child's second thread */
	pid_t grandchild;
	int ctl;		/* write end of the control pipe */
};

struct family_report {
	int err;		/* errno of a failed setup step */
	pid_t thread;
	pid_t grandchild;
};

static pid_t family_thread_tid;

static inline void *family_thread_fn(void *arg)
{
	__atomic_store_n(&family_thread_tid, gettid(), __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return NULL;
}

static inline void family_child(const struct family_opts *o, int rep, int ctl)
{
	struct family_report r = { 0 };
	sigset_t pending;
	ssize_t n = -1;
	char c;
	int st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (o->groups && setgroups(o->ngroups, o->groups)) {
		r.err = errno;
		goto report;
	}
	if (o->comm && prctl(PR_SET_NAME, o->comm)) {
		r.err = errno;
		goto report;
	}
	if (o->thread) {
		pthread_t t;

		r.err = pthread_create(&t, NULL, family_thread_fn, NULL);
		if (r.err)
			goto report;
		while (!__atomic_load_n(&family_thread_tid, __ATOMIC_SEQ_CST))
			sched_yield();
		r.thread = family_thread_tid;
	}
	if (o->gc != GC_NONE) {
		pid_t g = fork();

		if (g < 0) {
			r.err = errno;
			goto report;
		}
		if (g == 0) {
			close(rep);
			close(ctl);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (o->gc == GC_ZOMBIE)
				_exit(0);
			if (o->gc == GC_STOPPED)
				raise(SIGSTOP);
			for (;;)
				pause();
		}
		r.grandchild = g;
		if (o->gc == GC_STOPPED) {
			if (waitpid(g, &st, WUNTRACED) != g || !WIFSTOPPED(st))
				r.err = ECHILD;
		} else if (o->gc == GC_ZOMBIE) {
			siginfo_t si;

			if (waitid(P_PID, g, &si, WEXITED | WNOWAIT))
				r.err = errno;
		}
	}
report:
	if (write(rep, &r, sizeof(r)) != sizeof(r) || r.err)
		_exit(1);
	close(rep);

	switch (o->state) {
	case FAMILY_STOPPED:
		raise(SIGSTOP);
		for (;;)
			pause();
	case FAMILY_BLOCKED:
		n = read(ctl, &c, 1);
		break;
	case FAMILY_SPINNING:
		fcntl(ctl, F_SETFL, O_NONBLOCK);
		do {
			n = read(ctl, &c, 1);
		} while (n < 0 && errno == EAGAIN);
		break;
	}
	sigpending(&pending);
	_exit(n == 1 && sigisemptyset(&pending) ? FAMILY_EXIT_OK :
	      FAMILY_EXIT_DISTURBED);
}

static inline void family_kill(struct family *f)
{
	if (f->grandchild > 0)
		kill(f->grandchild, SIGKILL);
	if (f->child > 0) {
		kill(f->child, SIGKILL);
		waitpid(f->child, NULL, 0);
	}
	if (f->ctl >= 0)
		close(f->ctl);
	f->child = 0;
	f->thread = 0;
	f->grandchild = 0;
	f->ctl = -1;
}

/*
 * Fork a child set up as @o says.  When this returns 0, the child (and
 * its grandchild and thread, if any) are in the requested states.
 * Returns -errno on failure, with nothing left behind.
 */
static inline int family_spawn(struct family *f, const struct family_opts *o)
{
	struct family_report r;
	int rep[2], ctl[2], st;
	ssize_t n;

	memset(f, 0, sizeof(*f));
	f->ctl = -1;
	if (pipe2(rep, O_CLOEXEC))
		return -errno;
	if (pipe2(ctl, O_CLOEXEC)) {
		close(rep[0]);
		close(rep[1]);
		return -errno;
	}
	fflush(stdout);
	fflush(stderr);
	f->child = fork();
	if (f->child < 0) {
		int err = -errno;

		close(rep[0]);
		close(rep[1]);
		close(ctl[0]);
		close(ctl[1]);
		return err;
	}
	if (f->child == 0) {
		close(rep[0]);
		close(ctl[1]);
		family_child(o, rep[1], ctl[0]);
		_exit(1);
	}
	close(rep[1]);
	close(ctl[0]);
	f->ctl = ctl[1];
	n = read(rep[0], &r, sizeof(r));
	close(rep[0]);
	if (n != sizeof(r) || r.err) {
		family_kill(f);
		return n != sizeof(r) ? -EIO : -r.err;
	}
	f->thread = r.thread;
	f->grandchild = r.grandchild;
	if (o->state == FAMILY_STOPPED) {
		if (waitpid(f->child, &st, WUNTRACED) != f->child ||
		    !WIFSTOPPED(st)) {
			family_kill(f);
			return -ECHILD;
		}
	}
	return 0;
}

/* Let a running child exit; returns its wait status or -errno. */
static inline int family_release(struct family *f, int wait_flags)
{
	int st;

	if (write(f->ctl, "x", 1) != 1)
		return -errno;
	if (waitpid(f->child, &st, wait_flags) != f->child)
		return -errno;
	f->child = 0;
	return st;
}

/*
 * Write the string @s to the file @path, as "echo -n" would: a sysctl,
 * a cgroup file, a user namespace's map.  Returns 0 or -errno (-EIO for
 * a short write).
 */
static inline int write_string(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

/*
 * Read what one read(2) of the file at @path gives, up to @size - 1
 * bytes, into @buf, NUL-terminated.  Return its length, -errno if it
 * cannot be opened, or -EIO if nothing could be read.
 */
static inline int read_small_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return n;
}

/*
 * The number a file holds, as a sysctl or a sysfs file shows it: >= 0,
 * or -errno (-EIO if nothing could be read).
 */
static inline long read_number(const char *path)
{
	char buf[32];
	int n = read_small_file(path, buf, sizeof(buf));

	if (n < 0)
		return n;
	return strtol(buf, NULL, 10);
}

/*
 * Read /proc/@pid/@name into @buf, NUL-terminated.  Return its length,
 * -errno if it cannot be opened, or -EIO if nothing could be read.
 */
static inline int proc_read(pid_t pid, const char *name, char *buf,
			    size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	return read_small_file(path, buf, size);
}

/* State and parent in /proc/PID/stat; 0 or -errno. */
static inline int proc_stat(pid_t pid, char *state, pid_t *ppid)
{
	char buf[512], *p;
	int n;

	n = proc_read(pid, "stat", buf, sizeof(buf));
	if (n < 0)
		return n;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %d", state, ppid) != 2)
		return -EIO;
	return 0;
}

/* The parent in /proc/PID/stat; 0 or -errno. */
static inline int proc_ppid(pid_t pid, pid_t *ppid)
{
	char state;

	return proc_stat(pid, &state, ppid);
}

/*
 * The pid that the caller's pidfd at @fd names, as its fdinfo shows it
 * (-1 for a task that was reaped), or -ENOENT.
 */
static inline pid_t pidfd_fdinfo_pid(int fd)
{
	char name[32], buf[512], *p;

	snprintf(name, sizeof(name), "fdinfo/%d", fd);
	if (proc_read(getpid(), name, buf, sizeof(buf)) < 0)
		return -ENOENT;
	p = strstr(buf, "\nPid:\t");
	return p ? atoi(p + 6) : -ENOENT;
}

/*
 * Wait until @pid sleeps in system call @nr: the first field of
 * /proc/PID/syscall.  With @nr -1, until it runs in user mode.
 */
static inline int wait_in_syscall(pid_t pid, long nr)
{
	char buf[64];
	int i, n;

	for (i = 0; i < 10000; i++) {
		n = proc_read(pid, "syscall", buf, sizeof(buf));
		if (n < 0 && n != -EIO)
			return n;
		if (n > 0) {
			if (nr < 0 ? !strncmp(buf, "running", 7) :
			    strtol(buf, NULL, 10) == nr && buf[0] != '-' &&
			    strchr(buf, ' '))
				return 0;
		}
		usleep(1000);
	}
	return -ETIMEDOUT;
}

static inline int wait_in_read(pid_t pid)
{
	return wait_in_syscall(pid, __NR_read);
}

/*
 * A fresh pipe at @fd, the end given by @read_end, whose other end is
 * returned: restart gives a restored task the restarting process's
 * descriptors of the numbers its pipes had.
 */
static inline int pipe_at(int fd, bool read_end)
{
	int p[2], keep, give;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	keep = read_end ? p[0] : p[1];
	give = read_end ? p[1] : p[0];
	if (dup2(keep, fd) != fd) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(keep);
	return give;
}

/* Move @fd to descriptor @want: 0, or -1 if @fd is not one. */
static inline int fd_at(int fd, int want)
{
	if (fd < 0 || dup2(fd, want) != want)
		return -1;
	close(fd);
	return 0;
}

/* socketpair(AF_UNIX, @type), its ends at descriptors @a and @b. */
static inline int pair_at(int type, int a, int b)
{
	int sv[2];

	if (socketpair(AF_UNIX, type, 0, sv))
		return -1;
	return fd_at(sv[0], a) || fd_at(sv[1], b) ? -1 : 0;
}

/*
 * Send @len bytes of @data from socket @fd with the @n descriptors of
 * @fds (at most 4) in flight (SCM_RIGHTS): 0, or -1 with errno.
 */
static inline int send_fds(int fd, const void *data, size_t len,
			   const int *fds, int n)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(4 * sizeof(int))];
	} u = { 0 };
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (n < 0 || n > 4)
		return errno = EINVAL, -1;
	if (n) {
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
		u.h.cmsg_level = SOL_SOCKET;
		u.h.cmsg_type = SCM_RIGHTS;
		u.h.cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(&u.h), fds, n * sizeof(int));
	}
	return sendmsg(fd, &msg, 0) == (ssize_t)len ? 0 : -1;
}

/* A mapping of the calling process, as /proc/self/maps shows it */
struct map_info {
	int found;
	char perms[5];
	unsigned long len, ino;
	char name[32];
};

/* Fill @m with the mapping that starts at @addr, if any. */
static inline void find_map(unsigned long addr, struct map_info *m)
{
	static char buf[65536];
	unsigned long lo, hi, ino;
	char perms[5], *line, *end;
	size_t len = 0;
	ssize_t n;
	int fd, at;

	memset(m, 0, sizeof(*m));
	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (len < sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (line = buf; *line; line = end + 1) {
		end = strchrnul(line, '\n');
		if (sscanf(line, "%lx-%lx %4s %*s %*s %lu %n", &lo, &hi, perms,
			   &ino, &at) == 4 && lo == addr) {
			m->found = 1;
			memcpy(m->perms, perms, sizeof(m->perms));
			m->len = hi - lo;
			m->ino = ino;
			if (line + at < end)
				snprintf(m->name, sizeof(m->name), "%.*s",
					 (int)(end - line - at), line + at);
			return;
		}
		if (!*end)
			break;
	}
}

/*
 * Read exactly @len bytes from @fd, waiting at most @ms milliseconds for
 * them to start: 0, -ETIMEDOUT, or -EPIPE at end of file or on a short
 * read.
 */
static inline int read_within(int fd, void *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	return read(fd, buf, len) == (ssize_t)len ? 0 : -EPIPE;
}

/*
 * Read the reports of @n processes, @size bytes each, from @res, each
 * within @ms: each starts with the index of its process (an int, 0 to
 * @n - 1), and goes to that place of @out.  Every process reports once.
 * Returns 0, or -1.
 */
static inline int read_reports_by_index(int res, void *out, size_t size,
					int n, int ms)
{
	unsigned int seen = 0;
	char buf[1024];
	int i, who;

	if (size > sizeof(buf) || size < sizeof(who) || n > 32)
		return -1;
	for (i = 0; i < n; i++) {
		if (read_within(res, buf, size, ms))
			return -1;
		memcpy(&who, buf, sizeof(who));
		if (who < 0 || who >= n || (seen & (1u << who)))
			return -1;
		seen |= 1u << who;
		memcpy((char *)out + who * size, buf, size);
	}
	return 0;
}

/*
 * Fork a child that runs @fn, which must not return, with the read end
 * of a fresh pipe at @ctl_fd and the write end of another at @res_fd:
 * the same numbers that restart_with_pipes() gives a restored child.
 * The other ends go to *@ctl and *@res.  Returns the pid, or -1.
 */
static inline pid_t fork_with_pipes(int ctl_fd, int *ctl, int res_fd,
				    int *res, void (*fn)(void))
{
	pid_t pid;

	*ctl = pipe_at(ctl_fd, true);
	*res = pipe_at(res_fd, false);
	if (*ctl < 0 || *res < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (!pid) {
		close(*ctl);
		close(*res);
		fn();
		_exit(99);
	}
	close(ctl_fd);
	close(res_fd);
	return pid;
}

/*
 * restart(2) of @img, its messages in @log.  The restored tasks find a
 * fresh pipe's read end at @ctl_fd and another's write end at @res_fd
 * (-1: none), whose other ends go to *@ctl and *@res.  @t, if not NULL,
 * gets the CLOCK_MONOTONIC times in ns just before and after the call.
 * Returns restart's result, or -errno if the set-up failed.
 */
static inline long restart_with_pipes(const struct ckpt_image *img,
				      int ctl_fd, int *ctl, int res_fd,
				      int *res, char *log, size_t logsize,
				      int64_t t[2])
{
	struct timespec ts;
	int fd, lp[2];
	long ret;

	*ctl = -1;
	if (res)
		*res = -1;
	fd = image_memfd(img);
	if (fd < 0)
		return fd;
	if (log_pipe(lp)) {
		close(fd);
		return -errno;
	}
	*ctl = pipe_at(ctl_fd, true);
	if (res_fd >= 0)
		*res = pipe_at(res_fd, false);
	if (*ctl < 0 || (res_fd >= 0 && *res < 0)) {
		ret = -errno;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (t)
		t[0] = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	ret = ckpt_ret(sys_restart(0, fd, 0, lp[1]));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (t)
		t[1] = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	log_drain(lp[0], log, logsize);
out:
	close(ctl_fd);
	if (res_fd >= 0)
		close(res_fd);
	close(lp[0]);
	close(lp[1]);
	close(fd);
	return ret;
}

/* One round of restart_rounds(), as its check sees it. */
struct restart_round {
	int round;		/* from 0 */
	pid_t root;		/* the restored root */
	int ctl, res;		/* the test's ends of the pipes, or -1 */
};

/*
 * Restart @img @rounds times in a row, each time as restart_with_pipes()
 * with @ctl_fd and @res_fd (-1: none), and call @check with the round
 * and @arg: it lets the restored tasks run to their end and reaps the
 * root, for the next round restores the same pids.  While @check runs,
 * *@live (if not NULL) holds the root for a teardown to kill, and -1
 * after.  The pipes are closed after each round, but those that @check
 * set to -1.  Returns the root of the last round, or the result of the
 * restart that failed (0 or -errno), its messages in @log.
 */
static inline long restart_rounds(const struct ckpt_image *img, int rounds,
				  int ctl_fd, int res_fd, char *log,
				  size_t logsize, pid_t *live,
				  void (*check)(struct restart_round *r,
						void *arg),
				  void *arg)
{
	struct restart_round r;
	long root = 0;

	for (r.round = 0; r.round < rounds; r.round++) {
		root = restart_with_pipes(img, ctl_fd, &r.ctl, res_fd, &r.res,
					  log, logsize, NULL);
		if (root > 0) {
			r.root = root;
			if (live)
				*live = root;
			check(&r, arg);
			if (live)
				*live = -1;
		}
		if (r.ctl >= 0)
			close(r.ctl);
		if (r.res >= 0)
			close(r.res);
		if (root <= 0)
			break;
	}
	return root;
}

/*
 * A test's child forked by fork_with_pipes(), and its image.  @pid is
 * -1 once the test reaped it; while restart_rounds() runs a check, it is
 * the restored root.  Either way, what a teardown kills.
 */
struct piped_child {
	pid_t pid;
	int ctl_fd, res_fd;	/* its ends, restored tasks' too */
	int ctl, res;		/* the test's ends of them */
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];	/* messages of the last call */
};

/*
 * Fork @pc's child to run @fn, as fork_with_pipes() with @ctl_fd and
 * @res_fd, its image empty.  Returns the pid, or -1.
 */
static inline pid_t piped_child_fork(struct piped_child *pc, int ctl_fd,
				     int res_fd, void (*fn)(void))
{
	memset(&pc->img, 0, sizeof(pc->img));
	pc->ctl_fd = ctl_fd;
	pc->res_fd = res_fd;
	pc->pid = fork_with_pipes(ctl_fd, &pc->ctl, res_fd, &pc->res, fn);
	return pc->pid;
}

/* For a teardown: kill and reap @pc's child if any, free its image. */
static inline void piped_child_end(struct piped_child *pc)
{
	if (pc->pid > 0) {
		kill(pc->pid, SIGKILL);
		waitpid(pc->pid, NULL, 0);
	}
	image_free(&pc->img);
}

/*
 * The body of a piped child that reports twice: send the @size bytes of
 * @report on @res_fd, wait for a byte on @ctl_fd, let @check fill
 * @report in and send it again.  Exits 0, or 93, 94 or 95 if the first
 * report, the wait or the second report fails.
 */
static inline void __noreturn piped_child_serve(int ctl_fd, int res_fd,
						void *report, size_t size,
						void (*check)(void *report))
{
	char c;

	if (write(res_fd, report, size) != (ssize_t)size)
		_exit(93);
	if (read(ctl_fd, &c, 1) != 1)
		_exit(94);
	check(report);
	if (write(res_fd, report, size) != (ssize_t)size)
		_exit(95);
	_exit(0);
}

/*
 * The body of a child that a test only looks at: send @ready (0 once
 * set up) on @res_fd, then exit 0 when a byte comes on @ctl_fd; 93 or
 * 94 if either fails.
 */
static inline void __noreturn piped_child_idle(int ctl_fd, int res_fd,
					       int ready)
{
	char c;

	if (write(res_fd, &ready, sizeof(ready)) != sizeof(ready))
		_exit(93);
	_exit(read(ctl_fd, &c, 1) == 1 ? 0 : 94);
}

/*
 * Checkpoint @pc's child with @flags | CHECKPOINT_KILL, reap it, close
 * the test's ends of its pipes, and restart the image @rounds times with
 * @check and @arg, as restart_rounds().  Returns the root of the last
 * round, or the first failure (0 or -errno) of the checkpoint, of the
 * wait for the child, or of a restart; @pc->log tells which.
 */
static inline long kill_and_restart_rounds(struct piped_child *pc,
					   unsigned long flags, int rounds,
					   void (*check)(struct restart_round *,
							 void *),
					   void *arg)
{
	long ret;

	ret = checkpoint_image(pc->pid, flags | CHECKPOINT_KILL, &pc->img,
			       pc->log, sizeof(pc->log));
	if (ret <= 0)
		return ret;
	if (waitpid(pc->pid, NULL, 0) != pc->pid) {
		ret = -errno;
		snprintf(pc->log, sizeof(pc->log),
			 "waitpid(%d) after the checkpoint: %s", pc->pid,
			 strerror(errno));
		return ret;
	}
	pc->pid = -1;
	close(pc->ctl);
	close(pc->res);
	return restart_rounds(&pc->img, rounds, pc->ctl_fd, pc->res_fd,
			      pc->log, sizeof(pc->log), &pc->pid, check, arg);
}

/*
 * Bring up the loopback device of the caller's network namespace, as
 * "ip link set lo up" does; 0 or -1.
 */
static inline int lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	ret = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (!ret) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return ret;
}

/* Shared memory for results from a forked helper process. */
static inline void *shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Become uid/gid 65534 with no supplementary groups; 0 or -errno. */
static inline int drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return -errno;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Checks of a piped child, with the harness's ASSERT and EXPECT       */

/* Only where kselftest_harness.h was included before this file. */
#ifdef __KSELFTEST_HARNESS_H

/* A test's check of its child: let it go on @ctl, judge its report on @res. */
typedef void (*piped_check_t)(struct __test_metadata *_metadata, int ctl,
			      int res);

/* The @arg of piped_check_restored(): the test and its check. */
struct piped_check {
	struct __test_metadata *md;
	piped_check_t check;
};

/*
 * A check of restart_rounds() and kill_and_restart_rounds(), with @arg a
 * struct piped_check: run its check on the round's pipes, then reap the
 * restored root, which must exit 0.
 */
static inline void piped_check_restored(struct restart_round *r, void *arg)
{
	struct piped_check *c = arg;
	struct __test_metadata *_metadata = c->md;
	int status;

	c->check(_metadata, r->ctl, r->res);
	ASSERT_EQ(r->root, waitpid(r->root, &status, 0));
	EXPECT_EQ(0, status);
}

/*
 * The end of a test whose child was let go: it must exit 0; its pipes
 * are closed and its image freed.
 */
static inline void piped_child_reap(struct __test_metadata *_metadata,
				    struct piped_child *pc)
{
	int status;

	ASSERT_EQ(pc->pid, waitpid(pc->pid, &status, 0));
	pc->pid = -1;
	EXPECT_EQ(0, status);
	piped_child_end(pc);
	close(pc->ctl);
	close(pc->res);
}

/* The end of a test whose child is a piped_child_idle() one: let it go. */
static inline void piped_child_release(struct __test_metadata *_metadata,
				       struct piped_child *pc)
{
	ASSERT_EQ(1, write(pc->ctl, "x", 1));
	piped_child_reap(_metadata, pc);
}

/*
 * The end of a test whose child goes on after its checkpoint: @check
 * it on @pc's pipes, then reap it, which must exit 0.
 */
static inline void piped_child_finish(struct __test_metadata *_metadata,
				      struct piped_child *pc,
				      piped_check_t check)
{
	int status;

	check(_metadata, pc->ctl, pc->res);
	ASSERT_EQ(pc->pid, waitpid(pc->pid, &status, 0));
	pc->pid = -1;
	EXPECT_EQ(0, status);
}

#endif /* __KSELFTEST_HARNESS_H */

#endif /* __CHECKPOINT_UTIL_H */
