// SPDX-License-Identifier: GPL-2.0
/*
 * Path relocation at restart, in user space: --relocate OLD=NEW of
 * restart and cr_restart (BLCR's cr_restart option).
 *
 * restart(2) reopens files by the paths the image holds.  When they
 * moved, the tools copy the image record by record into a pipe that
 * restart(2) reads, and rewrite on the way every such path that starts
 * with OLD as a whole path component prefix ("/a" is "/a" and what is
 * below it, not "/ab"): the path of an open file (CKPT_HDR_FILE of the
 * kinds reopened by path: regular files, directories, character
 * devices, procfs files), of a mapped file (CKPT_HDR_VMA of a
 * CKPT_VMA_FILE), of the executable of an address space (CKPT_HDR_MM),
 * the working directory and root of a task (CKPT_HDR_FS; a root of "/"
 * is the restarting process's own and is left alone), the ptmx device a
 * pseudo-terminal's master was opened by (CKPT_HDR_PTY) and the file or
 * directory a watch of an inotify watches (CKPT_HDR_INOTIFY_WATCH).  The
 * first relocation that matches, in the order given, applies, once.
 * Nothing else names a file that restart(2) reopens: the addresses of
 * unix sockets are names that restart binds or connects to again, and
 * memfds, pipes and the rest are made anew.
 *
 * A rewritten record gets its new length, and the tail record, which
 * counts the bytes before it, the new count.  Every other byte is
 * copied as it is, with splice(2) when it can be, and only the records
 * that carry paths are read whole: memory stays bounded whatever the
 * size of the image.  A record that does not have the layout restart(2)
 * checks for (lengths, paths, padding) is left as it is, and so is a
 * stream that cannot be framed any further: restart(2) refuses them
 * with its own message, as without relocation.
 *
 * restart(2) checks that a file it reopens is the file saved: same
 * inode and device, and for a mapped file or a regular file open
 * read-only, same size and modification time, else ESTALE.  A relocated
 * path names another file, a copy or a moved file, so the identity of
 * the file now at the new path (as statx(2) shows it, the device being
 * that of the mount's superblock, which restart(2) compares) is written
 * into the rewritten record: the user's relocation vouches for it.  A
 * new path that cannot be looked up keeps the saved identity, and
 * restart(2) fails on it with the error of the lookup, naming the path.
 * The inode of an inotify watch is looked up without following a last
 * symbolic link, as restart(2) does, and checked by inode, device and
 * type only: those are written.  A ptmx device has no identity in the
 * image: restart(2) only checks that what it opens at the path is a ptmx
 * device, and makes a new pty.
 *
 * The copy runs in a thread, not a child process, which would take a
 * pid the image may need, or become the init of the pid namespace of
 * restart --pidns.  The thread works in a descriptor table of its own
 * that holds only the image, the write end of the pipe and standard
 * error: the tasks restart(2) creates start with a copy of the caller's
 * table, and would otherwise keep the pipe open for writing while they
 * read it, so that a truncated image would never end.  Once restart(2)
 * returns, the read end is closed: the thread, writing or waiting for
 * input, stops.
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ckpt.h"

#define OUT_SIZE	(64 * 1024)	/* output buffer */
#define SPLICE_MIN	(16 * 1024)	/* bytes worth a splice(2) */
#define PIPE_SIZE	(1024 * 1024)	/* the pipe to restart(2), if allowed */

/*
 * Room for any record read whole, as restart(2) bounds them: a file or
 * a mapping and its path, an address space with the most auxiliary
 * vector words and its executable, a CKPT_HDR_FS and its two paths, a
 * pty, its ptmx path and what each side holds for its reader, an
 * inotify watch and its path.  Rewritten, none is larger: a new path is
 * CKPT_PATH_MAX at most.
 */
#define MM_MAX		(sizeof(struct ckpt_hdr_mm) + \
			 CKPT_MM_MAX_AUXV * sizeof(__u64) + 2 * CKPT_PATH_MAX)
#define REC_MAX		CKPT_PTY_MAX_LEN
static_assert(CKPT_PTY_MAX_LEN >= MM_MAX, "a pty record is the largest");

static inline uint64_t rec_align(uint64_t len)
{
	return (len + CKPT_ALIGN - 1) & ~(uint64_t)(CKPT_ALIGN - 1);
}

/* A mount: its id and the device of its superblock, new_encode_dev()d */
struct mount_dev {
	uint64_t id;
	uint64_t dev;
};

/* The state of a copy */
struct reloc {
	const struct ckpt_relocations *rl;
	int in, out;
	bool no_splice;		/* splice(2) failed: read(2) and write(2) */
	bool poll_in;		/* the input may block: a pipe, a socket */
	bool eof;		/* the input ended */
	bool stopped;		/* the reader closed the pipe */
	uint64_t in_off, out_off;	/* bytes before the current record */
	uint64_t records;	/* records before it */
	struct mount_dev *mounts;	/* of /proc/self/mountinfo, once read */
	size_t nr_mounts;
	bool mounts_read;
	int err;		/* the errno of a failure, msg says what */
	char msg[320];
	size_t out_len;		/* bytes in out_buf */
	unsigned char out_buf[OUT_SIZE];
	/* a record read whole, and its rewrite */
	union {
		struct ckpt_hdr h;
		__u64 align;
		unsigned char b[REC_MAX];
	} rec, nrec;
	char path[2][CKPT_PATH_MAX];	/* new paths */
};

/* --relocate OLD=NEW */

/* The first "=" that no backslash escapes, or NULL */
static const char *find_equals(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' && (s[1] == '=' || s[1] == '\\'))
			s++;
		else if (*s == '=')
			return s;
	}
	return NULL;
}

/*
 * Copy @len bytes of @s to @out, of CKPT_PATH_MAX bytes, turning "\="
 * into "=" and "\\" into "\", squeezing repeated slashes, and trimming
 * trailing slashes but that of "/": paths in an image have none of
 * those.  -1 if it does not fit.
 */
static int unescape_path(char *out, const char *s, size_t len)
{
	char *p = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '=' || s[i + 1] == '\\'))
			i++;
		else if (s[i] == '/' && p > out && p[-1] == '/')
			continue;
		if (p == out + CKPT_PATH_MAX - 1)
			return -1;
		*p++ = s[i];
	}
	while (p > out + 1 && p[-1] == '/')
		p--;
	*p = '\0';
	return 0;
}

static int parse_error(char **msg, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(msg, fmt, ap) < 0)
		*msg = NULL;
	va_end(ap);
	return err;
}

int ckpt_relocate_parse(struct ckpt_relocations *rl, const char *arg, char **msg)
{
	const char *eq = find_equals(arg);
	struct ckpt_relocate *r = &rl->r[rl->nr];

	*msg = NULL;
	if (rl->nr == CKPT_RELOCATE_MAX)
		return parse_error(msg, EINVAL, "--relocate: at most %d", CKPT_RELOCATE_MAX);
	if (!eq)
		return parse_error(msg, EINVAL, "--relocate '%s': not OLD=NEW", arg);
	if (unescape_path(r->old_path, arg, eq - arg) ||
	    unescape_path(r->new_path, eq + 1, strlen(eq + 1)))
		return parse_error(msg, ENAMETOOLONG,
				   "--relocate '%s': a path longer than %d bytes", arg,
				   CKPT_PATH_MAX - 1);
	if (r->old_path[0] != '/' || r->new_path[0] != '/')
		return parse_error(msg, EINVAL, "--relocate '%s': the paths must be absolute",
				   arg);
	rl->nr++;
	return 0;
}

/* Rewriting the image */

static int fail(struct reloc *r, int err, const char *fmt, ...)
{
	va_list ap;

	if (!r->err) {
		r->err = err;
		va_start(ap, fmt);
		vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Wait for input that may never come (a pipe whose writer is idle)
 * only while the reader of the output is there: once restart(2) has
 * given up, the thread must end.
 */
static int wait_input(struct reloc *r)
{
	struct pollfd p[2] = {
		{ .fd = r->in, .events = POLLIN },
		{ .fd = r->out },	/* POLLERR: no reader */
	};

	if (!r->poll_in)
		return 0;
	while (poll(p, 2, -1) < 0)
		if (errno != EINTR)
			return fail(r, errno, "poll: %s", strerror(errno));
	if (p[1].revents & POLLERR) {
		r->stopped = true;
		return -1;
	}
	return 0;
}

/* Read up to @n bytes: fewer only where the input ends. */
static ssize_t read_in(struct reloc *r, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t k;

	while (got < n && !r->eof) {
		if (wait_input(r))
			return -1;
		k = read(r->in, (char *)buf + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return fail(r, errno, "reading the image: %s", strerror(errno));
		if (!k)
			r->eof = true;
		got += k;
	}
	return got;
}

static int write_out(struct reloc *r, const void *buf, size_t n)
{
	ssize_t k;

	while (n) {
		k = write(r->out, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EPIPE) {
			r->stopped = true;
			return -1;
		}
		if (k < 0)
			return fail(r, errno, "writing the image: %s", strerror(errno));
		buf = (const char *)buf + k;
		n -= k;
	}
	return 0;
}

static int flush_out(struct reloc *r)
{
	size_t n = r->out_len;

	r->out_len = 0;
	return write_out(r, r->out_buf, n);
}

static int emit(struct reloc *r, const void *buf, size_t n)
{
	if (r->out_len + n > OUT_SIZE) {
		if (flush_out(r))
			return -1;
		if (n > OUT_SIZE)
			return write_out(r, buf, n);
	}
	memcpy(r->out_buf + r->out_len, buf, n);
	r->out_len += n;
	return 0;
}

/* Move up to @n bytes from the input to the output with splice(2). */
static int splice_some(struct reloc *r, uint64_t *n)
{
	ssize_t k;

	if (flush_out(r) || wait_input(r))
		return -1;
	k = splice(r->in, NULL, r->out, NULL, *n < (1U << 30) ? *n : (1U << 30),
		   SPLICE_F_MOVE | SPLICE_F_MORE);
	if (k > 0) {
		*n -= k;
	} else if (!k) {
		r->eof = true;
	} else if (errno == EPIPE) {
		r->stopped = true;
		return -1;
	} else if (errno != EINTR) {
		/* Neither end is a pipe, or the input cannot splice. */
		r->no_splice = true;
	}
	return 0;
}

/* Copy @n bytes of the input as they are, or all of it up to its end. */
static int copy_through(struct reloc *r, uint64_t n)
{
	size_t chunk;
	ssize_t got;

	while (n && !r->eof) {
		if (!r->no_splice && n >= SPLICE_MIN) {
			if (splice_some(r, &n))
				return -1;
			continue;
		}
		if (r->out_len == OUT_SIZE && flush_out(r))
			return -1;
		chunk = OUT_SIZE - r->out_len;
		if (chunk > n)
			chunk = n;
		got = read_in(r, r->out_buf + r->out_len, chunk);
		if (got < 0)
			return -1;
		r->out_len += got;
		n -= got;
	}
	return 0;
}

/* The relocation of paths */

/*
 * Write into @out the relocation of @path, if one applies: the length
 * of the new path, 0 if none applies, -1 if it is too long.
 */
static int relocate_path(struct reloc *r, const char *path, char *out)
{
	const struct ckpt_relocate *m = NULL;
	const char *rest = NULL;
	unsigned int i;
	size_t n;
	int len;

	for (i = 0; i < r->rl->nr && !m; i++) {
		n = strlen(r->rl->r[i].old_path);
		if (n == 1) {
			/* "/": every path, and all of it follows */
			rest = strcmp(path, "/") ? path : "";
		} else if (!strncmp(path, r->rl->r[i].old_path, n) &&
			   (path[n] == '/' || !path[n])) {
			rest = path + n;
		} else {
			continue;
		}
		m = &r->rl->r[i];
	}
	if (!m)
		return 0;
	/* rest is "" or starts with "/" */
	if (!strcmp(m->new_path, "/"))
		len = snprintf(out, CKPT_PATH_MAX, "%s", *rest ? rest : "/");
	else
		len = snprintf(out, CKPT_PATH_MAX, "%s%s", m->new_path, rest);
	if (len >= CKPT_PATH_MAX)
		return fail(r, ENAMETOOLONG, "%s: relocated, a path longer than %d bytes",
			    path, CKPT_PATH_MAX - 1);
	return len;
}

/* A path of @len bytes, NUL included, as restart(2) takes one */
static bool path_ok(const char *path, uint64_t len)
{
	return len >= 2 && len <= CKPT_PATH_MAX && path[0] == '/' &&
	       strnlen(path, len) == len - 1;
}

/* What restart(2) compares of a file it reopens, or an inode it watches */
struct identity {
	uint64_t ino, dev, size;
	int64_t mtime_sec;
	uint32_t mtime_nsec;
	uint32_t mode;
};

/* new_encode_dev(), as the kernel writes a device in an image */
static uint64_t encode_dev(uint32_t major, uint32_t minor)
{
	return (minor & 0xff) | ((uint64_t)major << 8) | ((uint64_t)(minor & ~0xffU) << 12);
}

/* Read the id and device of every mount of /proc/self/mountinfo. */
static void read_mounts(struct reloc *r)
{
	unsigned int major, minor;
	struct mount_dev *m;
	unsigned long id;
	size_t size = 0;
	char *line = NULL;
	FILE *f;

	free(r->mounts);
	r->mounts = NULL;
	r->nr_mounts = 0;
	r->mounts_read = true;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	while (getline(&line, &size, f) > 0) {
		if (sscanf(line, "%lu %*u %u:%u", &id, &major, &minor) != 3)
			continue;
		m = realloc(r->mounts, (r->nr_mounts + 1) * sizeof(*m));
		if (!m)
			break;
		r->mounts = m;
		m[r->nr_mounts].id = id;
		m[r->nr_mounts].dev = encode_dev(major, minor);
		r->nr_mounts++;
	}
	free(line);
	fclose(f);
}

/*
 * The device of the superblock of mount @id, which restart(2) compares:
 * stat(2) shows another on btrfs (that of a subvolume).  Mounts made
 * since the list was read are looked for in a new one.
 */
static bool mount_dev(struct reloc *r, uint64_t id, uint64_t *dev)
{
	bool again = r->mounts_read;
	size_t i;

	if (!r->mounts_read)
		read_mounts(r);
	for (;;) {
		for (i = 0; i < r->nr_mounts; i++) {
			if (r->mounts[i].id == id) {
				*dev = r->mounts[i].dev;
				return true;
			}
		}
		if (!again)
			return false;
		read_mounts(r);
		again = false;
	}
}

/*
 * The identity of the file at @path, following a last symbolic link if
 * @follow, as restart(2) looks it up.  False if it cannot be looked up:
 * restart(2) will say why.
 */
static bool identity(struct reloc *r, const char *path, bool follow, struct identity *id)
{
	struct statx st;

	if (statx(AT_FDCWD, path, follow ? 0 : AT_SYMLINK_NOFOLLOW,
		  STATX_BASIC_STATS | STATX_MNT_ID, &st))
		return false;
	id->ino = st.stx_ino;
	id->size = st.stx_size;
	id->mtime_sec = st.stx_mtime.tv_sec;
	id->mtime_nsec = st.stx_mtime.tv_nsec;
	id->mode = st.stx_mode;
	if (!(st.stx_mask & STATX_MNT_ID) || !mount_dev(r, st.stx_mnt_id, &id->dev))
		id->dev = encode_dev(st.stx_dev_major, st.stx_dev_minor);
	return true;
}

/*
 * Each rewrite_*() takes the record in r->rec and, if it relocates a
 * path of it, writes the new record in r->nrec and returns 1; 0 leaves
 * the record as it is; -1 is a failure.
 */

/* The kinds of open files that restart(2) reopens by path */
static bool file_by_path(uint32_t kind)
{
	return kind == CKPT_FILE_REG || kind == CKPT_FILE_DIR ||
	       kind == CKPT_FILE_CHR || kind == CKPT_FILE_PROC;
}

static int rewrite_file(struct reloc *r)
{
	const struct ckpt_hdr_file *h = (const void *)r->rec.b;
	struct ckpt_hdr_file *nh = (void *)r->nrec.b;
	const char *path = (const char *)(h + 1);
	struct identity id;
	int len;

	if (h->h.h.len < sizeof(*h) || !file_by_path(h->kind) ||
	    h->h.h.len != sizeof(*h) + (uint64_t)h->path_len || !path_ok(path, h->path_len))
		return 0;
	len = relocate_path(r, path, r->path[0]);
	if (len <= 0)
		return len;
	*nh = *h;
	nh->path_len = len + 1;
	nh->h.h.len = sizeof(*nh) + len + 1;
	memcpy(nh + 1, r->path[0], len + 1);
	/* procfs makes its inodes as it is looked up: they are not saved. */
	if (h->kind != CKPT_FILE_PROC &&
	    identity(r, r->path[0], !(h->f_flags & O_NOFOLLOW), &id)) {
		nh->ino = id.ino;
		nh->dev = id.dev;
		if (h->kind == CKPT_FILE_REG) {
			nh->size = id.size;
			nh->mtime_sec = id.mtime_sec;
			nh->mtime_nsec = id.mtime_nsec;
		}
	}
	return 1;
}

static int rewrite_vma(struct reloc *r)
{
	const struct ckpt_hdr_vma *h = (const void *)r->rec.b;
	struct ckpt_hdr_vma *nh = (void *)r->nrec.b;
	const char *path = (const char *)(h + 1);
	struct identity id;
	int len;

	if (h->h.len < sizeof(*h) || h->kind != CKPT_VMA_FILE ||
	    h->h.len != sizeof(*h) + (uint64_t)h->path_len || !path_ok(path, h->path_len))
		return 0;
	len = relocate_path(r, path, r->path[0]);
	if (len <= 0)
		return len;
	*nh = *h;
	nh->path_len = len + 1;
	nh->h.len = sizeof(*nh) + len + 1;
	memcpy(nh + 1, r->path[0], len + 1);
	if (identity(r, r->path[0], true, &id)) {
		nh->ino = id.ino;
		nh->dev = id.dev;
		nh->size = id.size;
		nh->mtime_sec = id.mtime_sec;
		nh->mtime_nsec = id.mtime_nsec;
	}
	return 1;
}

/* The executable, after the auxiliary vector; restart(2) only wants a regular file. */
static int rewrite_mm(struct reloc *r)
{
	const struct ckpt_hdr_mm *h = (const void *)r->rec.b;
	struct ckpt_hdr_mm *nh = (void *)r->nrec.b;
	size_t head;
	int len;

	if (h->h.h.len < sizeof(*h) || h->nr_auxv > CKPT_MM_MAX_AUXV ||
	    h->exe_len > CKPT_PATH_MAX)
		return 0;
	head = sizeof(*h) + h->nr_auxv * sizeof(__u64);
	if (h->h.h.len != head + h->exe_len ||
	    !path_ok((const char *)h + head, h->exe_len))
		return 0;
	len = relocate_path(r, (const char *)h + head, r->path[0]);
	if (len <= 0)
		return len;
	memcpy(nh, h, head);
	memcpy((char *)nh + head, r->path[0], len + 1);
	nh->exe_len = len + 1;
	nh->h.h.len = head + len + 1;
	return 1;
}

/*
 * The working directory, and the root if it is not "/", which stands
 * for the restarting process's root: no file of the image.
 */
static int rewrite_fs(struct reloc *r)
{
	const struct ckpt_hdr_fs *h = (const void *)r->rec.b;
	struct ckpt_hdr_fs *nh = (void *)r->nrec.b;
	const char *cwd = (const char *)(h + 1), *root;
	int cwd_len, root_len = 0;
	char *p;

	if (h->h.h.len < sizeof(*h) ||
	    h->h.h.len != sizeof(*h) + (uint64_t)h->cwd_len + h->root_len ||
	    !path_ok(cwd, h->cwd_len) || !path_ok(cwd + h->cwd_len, h->root_len))
		return 0;
	root = cwd + h->cwd_len;
	cwd_len = relocate_path(r, cwd, r->path[0]);
	if (cwd_len >= 0 && strcmp(root, "/"))
		root_len = relocate_path(r, root, r->path[1]);
	if (cwd_len < 0 || root_len < 0)
		return -1;
	if (!cwd_len && !root_len)
		return 0;
	*nh = *h;
	p = (char *)(nh + 1);
	if (cwd_len)
		cwd = r->path[0];
	if (root_len)
		root = r->path[1];
	nh->cwd_len = strlen(cwd) + 1;
	nh->root_len = strlen(root) + 1;
	memcpy(p, cwd, nh->cwd_len);
	memcpy(p + nh->cwd_len, root, nh->root_len);
	nh->h.h.len = sizeof(*nh) + nh->cwd_len + nh->root_len;
	return 1;
}

/* As ckpt_tty_bytes(): the bytes after a pty record for queue @q */
static uint64_t tty_bytes(const struct ckpt_tty_queue *q)
{
	return (uint64_t)q->len + q->pending + (q->canon + 7) / 8;
}

/*
 * The ptmx device a pty's master was opened by.  What follows the path,
 * the bytes of each side's queue, is copied as it is.  restart(2) only
 * checks that the file at the path is a ptmx device: there is no
 * identity to update.
 */
static int rewrite_pty(struct reloc *r)
{
	const struct ckpt_hdr_pty *h = (const void *)r->rec.b;
	struct ckpt_hdr_pty *nh = (void *)r->nrec.b;
	const char *path = (const char *)(h + 1);
	uint64_t rest = 0;
	int i, len;

	if (h->h.h.len < sizeof(*h) || h->path_len > CKPT_PATH_MAX)
		return 0;
	for (i = 0; i < 2; i++) {
		if (h->in[i].len > CKPT_TTY_BUF_SIZE || h->in[i].canon > h->in[i].len ||
		    h->in[i].pending > CKPT_TTY_MAX_PENDING)
			return 0;
		rest += tty_bytes(&h->in[i]);
	}
	if (h->h.h.len != sizeof(*h) + (uint64_t)h->path_len + rest ||
	    !path_ok(path, h->path_len))
		return 0;
	len = relocate_path(r, path, r->path[0]);
	if (len <= 0)
		return len;
	*nh = *h;
	nh->path_len = len + 1;
	nh->h.h.len = sizeof(*nh) + len + 1 + rest;
	memcpy(nh + 1, r->path[0], len + 1);
	memcpy((char *)(nh + 1) + len + 1, path + h->path_len, rest);
	return 1;
}

/*
 * The inode a watch of an inotify watches.  restart(2) looks the path up
 * without following a last symbolic link, and checks the inode number,
 * device and type of what it finds: those of the file at the new path
 * are written, the type only where the saved mode is a type, which
 * restart(2) wants, so that a record it refuses stays refused.
 */
static int rewrite_watch(struct reloc *r)
{
	const struct ckpt_hdr_inotify_watch *h = (const void *)r->rec.b;
	struct ckpt_hdr_inotify_watch *nh = (void *)r->nrec.b;
	const char *path = (const char *)(h + 1);
	struct identity id;
	int len;

	if (h->h.len < sizeof(*h) || h->h.len != sizeof(*h) + (uint64_t)h->path_len ||
	    !path_ok(path, h->path_len))
		return 0;
	len = relocate_path(r, path, r->path[0]);
	if (len <= 0)
		return len;
	*nh = *h;
	nh->path_len = len + 1;
	nh->h.len = sizeof(*nh) + len + 1;
	memcpy(nh + 1, r->path[0], len + 1);
	if (identity(r, r->path[0], false, &id)) {
		nh->ino = id.ino;
		nh->dev = id.dev;
		if (h->mode && !(h->mode & ~S_IFMT))
			nh->mode = id.mode & S_IFMT;
	}
	return 1;
}

static bool carries_paths(uint32_t type)
{
	return type == CKPT_HDR_FILE || type == CKPT_HDR_VMA || type == CKPT_HDR_MM ||
	       type == CKPT_HDR_FS || type == CKPT_HDR_PTY ||
	       type == CKPT_HDR_INOTIFY_WATCH;
}

static bool zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/*
 * A record that may carry paths, whose header is in r->rec: read it,
 * with its padding, and write it relocated or as it is.
 */
static int relocate_record(struct reloc *r)
{
	uint64_t size = rec_align(r->rec.h.len), nsize;
	ssize_t got;
	int ret;

	got = read_in(r, r->rec.b + sizeof(r->rec.h), size - sizeof(r->rec.h));
	if (got < 0)
		return -1;
	if (r->eof && (uint64_t)got < size - sizeof(r->rec.h))
		return emit(r, r->rec.b, sizeof(r->rec.h) + got);
	/* Padding that is not zero is for restart(2) to refuse. */
	ret = 0;
	if (zero(r->rec.b + r->rec.h.len, size - r->rec.h.len)) {
		switch (r->rec.h.type) {
		case CKPT_HDR_FILE:
			ret = rewrite_file(r);
			break;
		case CKPT_HDR_VMA:
			ret = rewrite_vma(r);
			break;
		case CKPT_HDR_MM:
			ret = rewrite_mm(r);
			break;
		case CKPT_HDR_PTY:
			ret = rewrite_pty(r);
			break;
		case CKPT_HDR_INOTIFY_WATCH:
			ret = rewrite_watch(r);
			break;
		default:
			ret = rewrite_fs(r);
			break;
		}
	}
	if (ret < 0)
		return -1;
	if (!ret) {
		r->out_off += size;
		return emit(r, r->rec.b, size);
	}
	nsize = rec_align(r->nrec.h.len);
	memset(r->nrec.b + r->nrec.h.len, 0, nsize - r->nrec.h.len);
	r->out_off += nsize;
	return emit(r, r->nrec.b, nsize);
}

/*
 * The tail counts the records and bytes before it: the records are the
 * same, one for one, the bytes those written.  A tail that did not
 * count the input right is left so, for restart(2) to refuse.
 */
static int relocate_tail(struct reloc *r)
{
	struct ckpt_hdr_tail *t = (void *)r->rec.b;
	ssize_t got;

	got = read_in(r, r->rec.b + sizeof(t->h), sizeof(*t) - sizeof(t->h));
	if (got < 0)
		return -1;
	if ((size_t)got < sizeof(*t) - sizeof(t->h))
		return emit(r, t, sizeof(t->h) + got);
	if (!memcmp(t->magic, CKPT_TAIL_MAGIC, CKPT_MAGIC_LEN) &&
	    t->records == r->records && t->bytes == r->in_off)
		t->bytes = r->out_off;
	return emit(r, t, sizeof(*t));
}

/* Copy the image, relocated, up to its tail or an error record. */
static int relocate_stream(struct reloc *r)
{
	struct ckpt_hdr *h = &r->rec.h;
	uint64_t size;
	ssize_t got;
	int err;

	for (;;) {
		got = read_in(r, h, sizeof(*h));
		if (got < 0)
			break;
		if ((size_t)got < sizeof(*h)) {
			/* The end: restart(2) tells whether it came early. */
			emit(r, h, got);
			break;
		}
		if (h->len < sizeof(*h)) {
			/* No way to find the next record: the rest as it is */
			if (!emit(r, h, sizeof(*h)))
				copy_through(r, UINT64_MAX);
			break;
		}
		size = rec_align(h->len);
		if (carries_paths(h->type) && size <= REC_MAX) {
			err = relocate_record(r);
		} else if (h->type == CKPT_HDR_TAIL && h->len == sizeof(struct ckpt_hdr_tail)) {
			err = relocate_tail(r);
		} else {
			r->out_off += size;
			err = emit(r, h, sizeof(*h)) ?: copy_through(r, size - sizeof(*h));
		}
		if (err || r->eof || h->type == CKPT_HDR_TAIL || h->type == CKPT_HDR_ERROR)
			break;
		r->in_off += size;
		r->records++;
	}
	flush_out(r);
	return r->err ? -1 : 0;
}

static struct reloc *reloc_new(const struct ckpt_relocations *rl, int in, int out)
{
	struct reloc *r = calloc(1, sizeof(*r));
	struct stat st;

	if (r) {
		r->rl = rl;
		r->in = in;
		r->out = out;
		r->poll_in = fstat(in, &st) || !S_ISREG(st.st_mode);
	}
	return r;
}

static void reloc_free(struct reloc *r)
{
	free(r->mounts);
	free(r);
}

static int reloc_result(struct reloc *r, char *msg, size_t size)
{
	int err = r->err;

	if (err && size)
		snprintf(msg, size, "%s", r->msg);
	reloc_free(r);
	return err;
}

int ckpt_relocate_copy(const struct ckpt_relocations *rl, int in, int out,
		       char *msg, size_t size)
{
	struct reloc *r = reloc_new(rl, in, out);

	if (!r) {
		/* calloc() said why */
		snprintf(msg, size, "%s", strerror(errno));
		return errno;
	}
	relocate_stream(r);
	return reloc_result(r, msg, size);
}

/* The thread that feeds restart(2) */

struct ckpt_relocate_feed {
	struct reloc *r;
	int fd[2];		/* the pipe */
	pthread_t thread;
	sem_t ready;		/* the thread has its own descriptor table */
	int start_err;		/* or could not have it: set before ready */
};

/* Close every descriptor but standard error, @in and @out. */
static void keep_only(int in, int out)
{
	int keep[3] = { STDERR_FILENO, in, out }, lo = 0, i, j, t;

	for (i = 0; i < 3; i++) {
		for (j = i + 1; j < 3; j++) {
			if (keep[j] < keep[i]) {
				t = keep[i];
				keep[i] = keep[j];
				keep[j] = t;
			}
		}
	}
	for (i = 0; i < 3; i++) {
		if (keep[i] > lo)
			close_range(lo, keep[i] - 1, 0);
		lo = keep[i] + 1;
	}
	close_range(lo, ~0U, 0);
}

static void *feed(void *arg)
{
	struct ckpt_relocate_feed *f = arg;
	struct reloc *r = f->r;

	if (unshare(CLONE_FILES)) {
		f->start_err = errno;
		sem_post(&f->ready);
		return NULL;
	}
	keep_only(r->in, r->out);
	sem_post(&f->ready);
	relocate_stream(r);
	/* restart(2) now reads the end of the image. */
	close(r->out);
	return NULL;
}

int ckpt_relocate_start(const struct ckpt_relocations *rl, int in,
			struct ckpt_relocate_feed **feedp)
{
	struct ckpt_relocate_feed *f = calloc(1, sizeof(*f));
	sigset_t all, old;
	int err = ENOMEM;

	if (!f)
		goto out;
	f->r = reloc_new(rl, in, -1);
	if (!f->r)
		goto out_free;
	if (pipe2(f->fd, O_CLOEXEC)) {
		err = errno;
		goto out_free;
	}
	/* Fewer switches between the thread and restart(2), if allowed */
	fcntl(f->fd[1], F_SETPIPE_SZ, PIPE_SIZE);
	f->r->out = f->fd[1];
	sem_init(&f->ready, 0, 0);
	/* Signals are for the main thread: cr_restart passes them on. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&f->thread, NULL, feed, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		goto out_close;
	while (sem_wait(&f->ready) && errno == EINTR)
		;
	if (f->start_err) {
		pthread_join(f->thread, NULL);
		err = f->start_err;
		goto out_close;
	}
	/* Only the thread writes: its end of file is the image's. */
	close(f->fd[1]);
	*feedp = f;
	return f->fd[0];

out_close:
	sem_destroy(&f->ready);
	close(f->fd[0]);
	close(f->fd[1]);
out_free:
	if (f->r)
		reloc_free(f->r);
	free(f);
out:
	errno = err;
	return -1;
}

int ckpt_relocate_finish(struct ckpt_relocate_feed *f, char *msg, size_t size)
{
	int err;

	/* A thread still writing gets EPIPE: restart(2) read what it wanted. */
	close(f->fd[0]);
	pthread_join(f->thread, NULL);
	sem_destroy(&f->ready);
	err = reloc_result(f->r, msg, size);
	free(f);
	return err;
}
