// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: open files, descriptor tables, working directory.
 *
 * Three kinds of objects, each written once however many tasks share it:
 *
 *  - a file (struct file): what open(2) made, with its offset and status
 *    flags.  Descriptors that share one (dup, fork) share the record and
 *    share the restored file, offset included;
 *  - a descriptor table (struct files_struct): fd number, close-on-exec
 *    flag and file of every descriptor;
 *  - an fs_struct: working directory, root and umask.
 *
 * Saved by path and reopened: regular files, directories, and the
 * character devices /dev/null, /dev/zero, /dev/full, /dev/random and
 * /dev/urandom; files and directories of procfs too, whose inodes are
 * made anew at each lookup and so are only checked to be of procfs.  A
 * pipe made by pipe(2) whose every open end is in the image is a fourth
 * kind of object, saved with the data it holds and made anew.  Pipes,
 * FIFOs and terminals whose other side is not in the image are restored
 * as the file the restarting process has at the same descriptor, as a
 * shell job gets the shell's terminal.  An eventfd, signalfd or timerfd
 * is saved by its state, which fs/eventfd.c, fs/signalfd.c and
 * fs/timerfd.c give and rebuild; a pidfd by the task it refers to,
 * which must be saved too; a socket by its state, which
 * net/checkpoint.c gives and rebuilds; an epoll by its interest list,
 * after the files it watches; an inotify by its watches and queued
 * events, which fs/notify/inotify/checkpoint.c gives and rebuilds; a
 * memfd as a file of a memfd object (mm/checkpoint.c), which holds its
 * memory and which its other files and its mappings share.  A regular
 * file unlinked while open has no path to reopen it by: it is saved by
 * its contents as a memfd object too, and comes back as an unlinked
 * tmpfs file.  Anything else (fanotify, ...) makes the checkpoint fail
 * with a message that names the descriptor and the file.
 *
 * File locks: the flock(2) and open file description locks of a file
 * follow its record, the POSIX record locks of the owner of a descriptor
 * table follow the table's; restart takes them again as those calls
 * would.  Leases are refused.
 *
 * Locks: file_lock of a descriptor table, to take references on its
 * files; fs->lock, to copy the working directory and root; flc_lock of
 * an inode, to copy its locks.  Paths are computed with no lock held.
 *
 * Restart reopens files with the rights of the restarting user, checks
 * that a file reopened by path is the same inode, and only then empties
 * the descriptor table the task was born with (a copy of the caller's)
 * and installs the saved descriptors.
 */

#include <linux/bsearch.h>
#include <linux/checkpoint.h>
#include <linux/dcache.h>
#include <linux/eventfd.h>
#include <uapi/linux/eventpoll.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/highmem.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pidfs.h>
#include <linux/pipe_fs_i.h>
#include <linux/restart_block.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/thread_info.h>
#include <linux/timekeeping.h>
#include <linux/timerfd.h>
#include <uapi/linux/pidfd.h>

#include "internal.h"

/* The events an epoll item may have, as epoll_ctl() leaves them. */
#define CKPT_EPOLL_EVENTS						\
	((__force u32)(EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLERR | EPOLLHUP |	\
		       EPOLLNVAL | EPOLLRDNORM | EPOLLRDBAND | EPOLLWRNORM |	\
		       EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP | EPOLLEXCLUSIVE |	\
		       EPOLLWAKEUP | EPOLLONESHOT | EPOLLET))

/* How deep epolls may watch epolls: more than the kernel allows. */
#define CKPT_EPOLL_DEPTH	8

/*
 * The status flags saved and restored; kernel-internal bits that may
 * sit in f_flags (__FMODE_EXEC, __FMODE_NONOTIFY, __O_TMPFILE) are not.
 */
#define CKPT_FILE_FLAGS							\
	(O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_DIRECT |	\
	 O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_SYNC |	\
	 O_PATH | FASYNC)

/* And a pipe end, besides its O_ACCMODE: O_DIRECT is packet mode. */
#define CKPT_PIPE_FLAGS		(O_NONBLOCK | O_APPEND | O_NOATIME | O_DIRECT)

/* The character devices reopened by path: null, zero, full, random, urandom. */
static bool ckpt_mem_chrdev(dev_t rdev)
{
	unsigned int minor = MINOR(rdev);

	return MAJOR(rdev) == MEM_MAJOR &&
	       (minor == 3 || minor == 5 || minor == 7 || minor == 8 ||
		minor == 9);
}

/* The pipe of @file if pipe(2) made it, not a FIFO, or NULL. */
static struct pipe_inode_info *ckpt_anon_pipe(struct file *file)
{
	if (file_inode(file)->i_sb->s_magic != PIPEFS_MAGIC)
		return NULL;
	return get_pipe_info(file, false);
}

/*
 * The files open in the descriptor tables of the tasks being saved, each
 * once and held: a snapshot, taken once the tasks are held, for the
 * questions asked of each pipe, socket and pty (are its other ends
 * saved too?), which would otherwise each go through every table.  A
 * table shared with a task that is not saved may change meanwhile: a
 * container's leak check refuses that anyway.
 */
struct ckpt_pipe_end {
	struct pipe_inode_info *pipe;
	fmode_t mode;
};

struct ckpt_open_files {
	struct file **files;		/* sorted by address */
	unsigned int nr;
	struct ckpt_pipe_end *ends;	/* of pipe(2)'s pipes, sorted by pipe */
	unsigned int nr_ends;
};

static int ckpt_cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Put the files of @files in @out, held, up to @max; return how many it
 * has.  With @max 0, only count them.
 */
static unsigned int ckpt_table_files(struct files_struct *files,
				     struct file **out, unsigned int max)
{
	struct fdtable *fdt;
	unsigned int fd, n = 0;

	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	for (fd = 0; fd < fdt->max_fds; fd++) {
		struct file *file = rcu_dereference_protected(fdt->fd[fd],
				lockdep_is_held(&files->file_lock));

		if (!file)
			continue;
		if (n < max)
			out[n] = get_file(file);
		n++;
	}
	spin_unlock(&files->file_lock);
	return n;
}

/*
 * The files of every table of the tasks (those of threads are one) in
 * @out, held, up to @max; return how many there are, beyond @max too.
 */
static unsigned int ckpt_tasks_files(struct ckpt_ctx *ctx, struct file **out,
				     unsigned int max)
{
	struct files_struct *files, *prev = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < ctx->nr_tasks; i++) {
		struct task_struct *t = ctx->tasks[i];

		task_lock(t);
		files = t->files;
		if (files && files != prev)
			n += ckpt_table_files(files, out + min(n, max),
					      max - min(n, max));
		prev = files;
		task_unlock(t);
	}
	return n;
}

/**
 * ckpt_open_files_take - snapshot the files the saved tasks have open
 * @ctx:	checkpoint context, its tasks held
 *
 * The snapshot holds a reference on each file: it is dropped, with
 * ckpt_open_files_put(), before the references to the objects of the
 * image are counted.
 *
 * Return: 0 or -ENOMEM.
 */
int ckpt_open_files_take(struct ckpt_ctx *ctx)
{
	struct ckpt_open_files *of;
	unsigned int i, n, max;

	of = kzalloc(sizeof(*of), GFP_KERNEL);
	if (!of)
		return -ENOMEM;
	ctx->open_files = of;
	max = ckpt_tasks_files(ctx, NULL, 0);
	of->files = kvmalloc_array(max ?: 1, sizeof(*of->files), GFP_KERNEL);
	if (!of->files)
		return -ENOMEM;
	n = min(ckpt_tasks_files(ctx, of->files, max), max);
	sort(of->files, n, sizeof(*of->files), ckpt_cmp_ptr, NULL);
	for (i = 0; i < n; i++) {
		if (of->nr && of->files[of->nr - 1] == of->files[i])
			fput(of->files[i]);
		else
			of->files[of->nr++] = of->files[i];
	}

	for (i = 0, n = 0; i < of->nr; i++)
		n += !!ckpt_anon_pipe(of->files[i]);
	of->ends = kvmalloc_array(n ?: 1, sizeof(*of->ends), GFP_KERNEL);
	if (!of->ends)
		return -ENOMEM;
	for (i = 0; i < of->nr; i++) {
		struct pipe_inode_info *pipe = ckpt_anon_pipe(of->files[i]);

		if (pipe) {
			of->ends[of->nr_ends].pipe = pipe;
			of->ends[of->nr_ends++].mode = of->files[i]->f_mode;
		}
	}
	sort(of->ends, of->nr_ends, sizeof(*of->ends), ckpt_cmp_ptr, NULL);
	return 0;
}

/* Drop the snapshot of ckpt_open_files_take(), if any. */
void ckpt_open_files_put(struct ckpt_ctx *ctx)
{
	struct ckpt_open_files *of = ctx->open_files;
	unsigned int i;

	if (!of)
		return;
	for (i = 0; i < of->nr; i++)
		fput(of->files[i]);
	kvfree(of->files);
	kvfree(of->ends);
	kfree(of);
	ctx->open_files = NULL;
}

/**
 * ckpt_file_match_in_tasks - whether a descriptor table saved has a file
 * @ctx:	checkpoint context
 * @match:	tells whether a file is the one sought; called with the
 *		file held
 * @arg:	for @match
 *
 * Return: true if a task being saved has a file open that @match takes.
 */
bool ckpt_file_match_in_tasks(struct ckpt_ctx *ctx,
			      bool (*match)(struct file *, const void *),
			      const void *arg)
{
	const struct ckpt_open_files *of = ctx->open_files;
	unsigned int i;

	for (i = 0; of && i < of->nr; i++)
		if (match(of->files[i], arg))
			return true;
	return false;
}

/**
 * ckpt_file_in_tasks - whether a file is in a descriptor table saved
 * @ctx:	checkpoint context
 * @file:	the file, which need not be held
 *
 * Return: true if a task being saved has @file open.
 */
bool ckpt_file_in_tasks(struct ckpt_ctx *ctx, struct file *file)
{
	const struct ckpt_open_files *of = ctx->open_files;

	return of && bsearch(&file, of->files, of->nr, sizeof(*of->files),
			     ckpt_cmp_ptr);
}

/*
 * Whether every open end of @pipe is a file of the tasks being saved:
 * then the pipe is saved and made anew, else it is inherited.
 */
static bool ckpt_pipe_inside(struct ckpt_ctx *ctx, struct pipe_inode_info *pipe)
{
	const struct ckpt_open_files *of = ctx->open_files;
	unsigned int readers = 0, writers = 0, i;
	struct ckpt_pipe_end *end;
	bool inside;

	if (!of)
		return false;
	end = bsearch(&pipe, of->ends, of->nr_ends, sizeof(*of->ends),
		      ckpt_cmp_ptr);
	if (!end)
		return false;
	/* The first of the pipe's ends, and the others after it. */
	while (end > of->ends && end[-1].pipe == pipe)
		end--;
	for (i = end - of->ends; i < of->nr_ends && of->ends[i].pipe == pipe; i++) {
		readers += !!(of->ends[i].mode & FMODE_READ);
		writers += !!(of->ends[i].mode & FMODE_WRITE);
	}
	pipe_lock(pipe);
	inside = readers == pipe->readers && writers == pipe->writers;
	pipe_unlock(pipe);
	return inside;
}

/* The kinds of files of an anonymous inode, saved by their state. */
static bool ckpt_file_anon(u32 kind)
{
	return kind == CKPT_FILE_EVENTFD || kind == CKPT_FILE_SIGNALFD ||
	       kind == CKPT_FILE_TIMERFD || kind == CKPT_FILE_PIDFD;
}

static const char *ckpt_anon_name(u32 kind)
{
	return kind == CKPT_FILE_EVENTFD ? "eventfd" :
	       kind == CKPT_FILE_SIGNALFD ? "signalfd" :
	       kind == CKPT_FILE_TIMERFD ? "timerfd" : "pidfd";
}

static size_t ckpt_anon_len(u32 kind)
{
	return kind == CKPT_FILE_EVENTFD ? sizeof(struct ckpt_eventfd) :
	       kind == CKPT_FILE_SIGNALFD ? sizeof(struct ckpt_signalfd) :
	       kind == CKPT_FILE_TIMERFD ? sizeof(struct ckpt_timerfd) :
					   sizeof(struct ckpt_pidfd);
}

/*
 * A pidfd refers to a task that is saved too, by its pid in the image:
 * the process whose leader it is, or with PIDFD_THREAD one thread.  Or
 * to a task that was reaped, which no pid names any more: pid 0.
 */
static int ckpt_pidfd_save(struct ckpt_ctx *ctx, struct file *file,
			   struct ckpt_pidfd *p)
{
	struct pid *pid = pidfd_pid(file);

	if (file->f_flags & PIDFD_THREAD)
		p->flags = CKPT_PIDFD_THREAD;
	if (!pid_has_task(pid, PIDTYPE_PID))
		return 0;
	if (!ckpt_pid_saved(ctx, pid, PIDTYPE_PID))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"a pidfd of pid %d, which is not saved",
				pid_vnr(pid));
	p->pid = pid_nr_ns(pid, ctx->root_pidns);
	return ckpt_pidns_pidfd(ctx, pid);
}

/* What is saved of one open file, and how it comes back. */
static int ckpt_file_kind(struct ckpt_ctx *ctx, struct file *file)
{
	struct inode *inode = file_inode(file);
	struct pipe_inode_info *pipe;
	dev_t rdev = inode->i_rdev;
	unsigned int efd_flags;
	u64 count;

	if (!eventfd_checkpoint(file, &count, &efd_flags))
		return CKPT_FILE_EVENTFD;
	if (!signalfd_checkpoint(file, &count))
		return CKPT_FILE_SIGNALFD;
	if (!timerfd_checkpoint(file, NULL))
		return CKPT_FILE_TIMERFD;
	if (!eventpoll_checkpoint(file, NULL, 0))
		return CKPT_FILE_EPOLL;
	if (!IS_ERR(pidfd_pid(file)))
		return CKPT_FILE_PIDFD;
	if (ckpt_file_inotify(file))
		return CKPT_FILE_INOTIFY;
	if (sock_from_file(file))
		return CKPT_FILE_SOCKET;
	if (ckpt_file_mqueue(file))
		return CKPT_FILE_MQUEUE;
	/* A file unlinked while open is saved by its contents, as a memfd. */
	if (ckpt_file_memfd(file) || ckpt_file_unlinked(file))
		return CKPT_FILE_MEMFD;
	if (inode->i_sb->s_magic == PROC_SUPER_MAGIC &&
	    (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode)))
		return CKPT_FILE_PROC;
	if (S_ISREG(inode->i_mode))
		return d_unlinked(file->f_path.dentry) ? -EOPNOTSUPP :
							CKPT_FILE_REG;
	if (S_ISDIR(inode->i_mode))
		return CKPT_FILE_DIR;
	pipe = ckpt_anon_pipe(file);
	if (pipe && ckpt_pipe_inside(ctx, pipe))
		return CKPT_FILE_PIPE;
	if (S_ISFIFO(inode->i_mode))
		return CKPT_FILE_INHERIT;
	if (!S_ISCHR(inode->i_mode))
		return -EOPNOTSUPP;
	if (ckpt_mem_chrdev(rdev))
		return CKPT_FILE_CHR;
	if (ckpt_pty_kind(ctx, file))
		return CKPT_FILE_PTY;
	if (MAJOR(rdev) == TTY_MAJOR || MAJOR(rdev) == TTYAUX_MAJOR ||
	    (MAJOR(rdev) >= UNIX98_PTY_SLAVE_MAJOR &&
	     MAJOR(rdev) < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT))
		return CKPT_FILE_INHERIT;
	return -EOPNOTSUPP;
}

/*
 * The interest list of an epoll, with references on its files, in
 * *@items to free with ckpt_epoll_put().  Returns the number of items
 * or a negative errno.
 */
static int ckpt_epoll_get(struct ckpt_ctx *ctx, struct file *file,
			  struct ckpt_epoll_target **items)
{
	unsigned int max = 64;
	int n;

	for (;;) {
		*items = kvmalloc_array(max, sizeof(**items), GFP_KERNEL);
		if (!*items)
			return -ENOMEM;
		n = eventpoll_checkpoint(file, *items, max);
		if (n != -E2BIG || max == CKPT_EPOLL_MAX_ITEMS)
			break;
		kvfree(*items);
		max = CKPT_EPOLL_MAX_ITEMS;
	}
	if (n < 0) {
		kvfree(*items);
		*items = NULL;
	}
	if (n == -E2BIG)
		return ckpt_err(ctx, n, "an epoll watching more than %d files",
				CKPT_EPOLL_MAX_ITEMS);
	return n;
}

static void ckpt_epoll_put(struct ckpt_epoll_target *items, int n)
{
	while (n > 0)
		fput(items[--n].file);
	kvfree(items);
}

/* The record of an epoll: the objrefs of the files it watches. */
static int ckpt_epoll_record(struct ckpt_ctx *ctx, struct file *file,
			     struct ckpt_epoll_item **out, u32 *len)
{
	struct ckpt_epoll_target *items;
	struct ckpt_epoll_item *it;
	int n, i, err = 0;

	n = ckpt_epoll_get(ctx, file, &items);
	if (n < 0)
		return n;
	it = kvcalloc(max(n, 1), sizeof(*it), GFP_KERNEL);
	if (!it)
		err = -ENOMEM;
	for (i = 0; i < n && !err; i++) {
		if (ckpt_obj_lookup(ctx, items[i].file, &ckpt_file_ops,
				    &it[i].file_ref))
			err = ckpt_err(ctx, -EBUSY,
				       "an epoll watches fd %d, opened while the checkpoint ran",
				       items[i].fd);
		it[i].fd = items[i].fd;
		it[i].events = items[i].events;
		it[i].data = items[i].data;
	}
	ckpt_epoll_put(items, n);
	if (err) {
		kvfree(it);
		return err;
	}
	*out = it;
	*len = n * sizeof(*it);
	return 0;
}

static void ckpt_file_grab(void *ptr)
{
	get_file(ptr);
}

static void ckpt_file_drop(void *ptr)
{
	fput(ptr);
}

/*
 * Locks.  Where to find some of the locks on a file's inode: those of
 * @kind that @owner holds (the open file for flock(2) and OFD locks, a
 * descriptor table for POSIX ones), and the descriptors of the table
 * through which a read and a write lock can be taken again.
 */
struct ckpt_lock_src {
	struct file *file;
	u32 kind;
	const void *owner;
	int rd_fd, wr_fd;
};

/*
 * Copy at most @max of the locks @src names into @locks.  Returns how
 * many there are, which may be more, or -EOPNOTSUPP for a lock that no
 * descriptor could take again.
 */
static int ckpt_copy_locks(const struct ckpt_lock_src *src,
			   struct ckpt_file_lock *locks, int max)
{
	bool want_ofd = src->kind == CKPT_LOCK_OFD;
	struct file_lock_context *flctx;
	struct file_lock *fl;
	int n = 0, fd;

	flctx = locks_inode_context(file_inode(src->file));
	if (!flctx)
		return 0;
	spin_lock(&flctx->flc_lock);
	for_each_file_lock(fl, src->kind == CKPT_LOCK_FLOCK ?
			   &flctx->flc_flock : &flctx->flc_posix) {
		bool ofd = fl->c.flc_flags & FL_OFDLCK;

		if (fl->c.flc_owner != src->owner || ofd != want_ofd)
			continue;
		fd = fl->c.flc_type == F_WRLCK ? src->wr_fd : src->rd_fd;
		if (fd < 0) {
			n = -EOPNOTSUPP;
			break;
		}
		if (n < max)
			locks[n] = (struct ckpt_file_lock) {
				.kind = src->kind,
				.fd = fd,
				.type = fl->c.flc_type,
				.start = fl->fl_start,
				.end = fl->fl_end,
			};
		n++;
	}
	spin_unlock(&flctx->flc_lock);
	return n;
}

/* Write the locks that @src names, if any, in one record. */
static int ckpt_write_locks(struct ckpt_ctx *ctx,
			    const struct ckpt_lock_src *src, int nr_src)
{
	struct ckpt_hdr_file_locks *h;
	struct ckpt_file_lock *locks;
	int i, n, nr = 0, got = 0;
	int err;

	for (i = 0; i < nr_src; i++) {
		n = ckpt_copy_locks(&src[i], NULL, 0);
		if (n < 0)
			return ckpt_err(ctx, n, "a lock taken through a descriptor since closed");
		/* Restart takes them again in the lock lists, not on a server. */
		if (n && (src[i].file->f_op->lock || src[i].file->f_op->flock))
			return ckpt_err(ctx, -EOPNOTSUPP,
					"locks a filesystem keeps itself: not supported");
		nr += n;
	}
	if (!nr)
		return 0;
	if (nr > CKPT_LOCKS_MAX)
		return ckpt_err(ctx, -E2BIG, "more than %d locks", CKPT_LOCKS_MAX);
	h = ckpt_hdr_alloc(sizeof(*h) + nr * sizeof(*locks),
			   CKPT_HDR_FILE_LOCKS);
	if (!h)
		return -ENOMEM;
	locks = (struct ckpt_file_lock *)(h + 1);
	for (i = 0; i < nr_src && got <= nr; i++) {
		n = ckpt_copy_locks(&src[i], locks + got, nr - got);
		got = n < 0 ? nr + 1 : got + n;
	}
	if (got == nr) {
		h->nr_locks = nr;
		err = ckpt_write_record(ctx, &h->h);
	} else {
		err = ckpt_err(ctx, -EBUSY, "locks changed while the checkpoint ran");
	}
	kvfree(h);
	return err;
}

/* The flock(2) and OFD locks of an open file, after its record. */
static int ckpt_file_locks(struct ckpt_ctx *ctx, struct file *file, int kind)
{
	struct file_lock_context *flctx = locks_inode_context(file_inode(file));
	const struct ckpt_lock_src src[] = {
		{ file, CKPT_LOCK_FLOCK, file, 0, 0 },
		{ file, CKPT_LOCK_OFD, file, 0, 0 },
	};
	struct file_lock_core *flc;
	bool leased = false;

	if (!flctx)
		return 0;
	spin_lock(&flctx->flc_lock);
	list_for_each_entry(flc, &flctx->flc_lease, flc_list)
		leased |= flc->flc_file == file;
	spin_unlock(&flctx->flc_lock);
	if (leased)
		return ckpt_err(ctx, -EOPNOTSUPP, "a file with a lease: not supported");
	if (kind == CKPT_FILE_INHERIT &&
	    (ckpt_copy_locks(&src[0], NULL, 0) ||
	     ckpt_copy_locks(&src[1], NULL, 0)))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"locks on a pipe or terminal that restart does not make");
	return ckpt_write_locks(ctx, src, ARRAY_SIZE(src));
}

static int ckpt_file_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	struct file *file = ptr;
	struct inode *inode = file_inode(file);
	int kind = ckpt_file_kind(ctx, file);
	union {
		struct ckpt_eventfd efd;
		struct ckpt_signalfd sfd;
		struct ckpt_timerfd tfd;
		struct ckpt_pidfd pidfd;
		struct ckpt_socket sock;
		struct ckpt_pty_file pty;
		struct ckpt_inotify inotify;
	} data = { };
	struct ckpt_inotify_snap *snap = NULL;
	struct ckpt_epoll_item *items = NULL;
	struct ckpt_hdr_file *h;
	char *buf = NULL, *path = NULL;
	u32 path_len = 0, ref = 0;
	int err;

	if (kind < 0)
		return kind;
	/* Who gets its SIGIO is not saved. */
	if ((file->f_flags & FASYNC) && file->f_op->fasync)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"a file with O_ASYNC: not supported");
	if (kind == CKPT_FILE_PIDFD) {
		err = ckpt_pidfd_save(ctx, file, &data.pidfd);
		if (err)
			return err;
		path = (char *)&data;
		path_len = sizeof(data.pidfd);
	} else if (ckpt_file_anon(kind)) {
		/* Saved by their state, which their subsystem gives. */
		if (kind == CKPT_FILE_EVENTFD) {
			err = eventfd_checkpoint(file, &data.efd.count,
						 &data.efd.flags);
			path_len = sizeof(data.efd);
		} else if (kind == CKPT_FILE_SIGNALFD) {
			err = signalfd_checkpoint(file, &data.sfd.mask);
			path_len = sizeof(data.sfd);
		} else {
			err = timerfd_checkpoint(file, &data.tfd);
			path_len = sizeof(data.tfd);
		}
		if (WARN_ON_ONCE(err))
			return err;
		path = (char *)&data;
	} else if (kind == CKPT_FILE_SOCKET) {
		err = ckpt_sock_save(ctx, file, &data.sock);
		if (err)
			return err;
		path = (char *)&data;
		path_len = sizeof(data.sock);
	} else if (kind == CKPT_FILE_EPOLL) {
		/* The files it watches were written just before. */
		err = ckpt_epoll_record(ctx, file, &items, &path_len);
		if (err)
			return err;
		path = (char *)items;
	} else if (kind == CKPT_FILE_INOTIFY) {
		/* Its watches and events follow its record. */
		snap = ckpt_inotify_save(ctx, file, &data.inotify);
		if (IS_ERR(snap))
			return PTR_ERR(snap);
		path = (char *)&data;
		path_len = sizeof(data.inotify);
	} else if (kind == CKPT_FILE_PTY) {
		/* Its pty was written just before. */
		err = ckpt_pty_save(ctx, file, &data.pty, &ref);
		if (err)
			return err;
		path = (char *)&data;
		path_len = sizeof(data.pty);
	} else if (kind == CKPT_FILE_PIPE) {
		/* Its pipe was written just before. */
		err = ckpt_obj_lookup(ctx, ckpt_anon_pipe(file),
				      &ckpt_pipe_ops, &ref);
		if (WARN_ON_ONCE(err))
			return err;
	} else if (kind == CKPT_FILE_MEMFD) {
		/* Its memfd was written just before. */
		err = ckpt_obj_lookup(ctx, inode, &ckpt_memfd_ops, &ref);
		if (WARN_ON_ONCE(err))
			return err;
	} else if (kind == CKPT_FILE_MQUEUE) {
		/* Its queue, if of the image, was written with the namespace. */
		buf = kmalloc(CKPT_MQ_NAME_LEN + 1, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		err = ckpt_mq_file_save(ctx, file, buf, &ref);
		if (err) {
			kfree(buf);
			return err;
		}
		path = buf;
		path_len = strlen(path) + 1;
	} else if (kind != CKPT_FILE_INHERIT) {
		buf = kmalloc(CKPT_PATH_MAX, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		path = file_path(file, buf, CKPT_PATH_MAX);
		if (IS_ERR(path) || path[0] != '/') {
			kfree(buf);
			return ckpt_err(ctx, -ENAMETOOLONG,
					"a file has no path from the caller's root");
		}
		path_len = strlen(path) + 1;
	}

	err = -ENOMEM;
	h = ckpt_hdr_alloc(sizeof(*h) + path_len, CKPT_HDR_FILE);
	if (h) {
		h->h.objref = objref;
		h->kind = kind;
		h->f_flags = file->f_flags & (kind == CKPT_FILE_MQUEUE ?
					      CKPT_MQ_FILE_FLAGS :
					      CKPT_FILE_FLAGS);
		h->pos = file->f_pos;
		h->mode = inode->i_mode;
		if (kind == CKPT_FILE_CHR)
			h->rdev = new_encode_dev(inode->i_rdev);
		h->ino = inode->i_ino;
		h->dev = new_encode_dev(inode->i_sb->s_dev);
		if (kind == CKPT_FILE_REG) {
			struct timespec64 mtime = inode_get_mtime(inode);

			h->size = i_size_read(inode);
			h->mtime_sec = mtime.tv_sec;
			h->mtime_nsec = mtime.tv_nsec;
		}
		h->path_len = path_len;
		h->pipe_ref = ref;	/* or memfd_ref, pty_ref, mq_ref */
		memcpy(h + 1, path, path_len);
		err = ckpt_write_record(ctx, &h->h.h);
		if (!err && snap)
			err = ckpt_write_inotify(ctx, snap);
		if (!err)
			err = ckpt_file_locks(ctx, file, kind);
		kvfree(h);
	}
	ckpt_inotify_free(snap);
	kvfree(items);
	kfree(buf);
	return err;
}

/*
 * A pipe stays while the files of its ends do, and the table holds
 * those: it needs no reference of its own.
 */
static int ckpt_pipe_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	struct pipe_inode_info *pipe = ptr;
	const char *why = NULL;
	struct ckpt_hdr_pipe *h;
	unsigned int size, n = 0, i;
	int err = 0;

	size = pipe->max_usage * PAGE_SIZE;
	if (size > CKPT_PIPE_MAX_SIZE)
		return ckpt_err(ctx, -EOPNOTSUPP, "a pipe of %u bytes: more than %d",
				size, CKPT_PIPE_MAX_SIZE);
	h = ckpt_hdr_alloc_data(sizeof(*h), size, CKPT_HDR_PIPE);
	if (!h)
		return -ENOMEM;
	pipe_lock(pipe);
	if (pipe_has_watch_queue(pipe))
		why = "a notification pipe";
	for (i = pipe->tail; !why && i != pipe->head; i++) {
		struct pipe_buffer *buf = &pipe->bufs[i & (pipe->ring_size - 1)];

		if (buf->flags & PIPE_BUF_FLAG_PACKET)
			why = "a packet pipe holding data";
		else if (n + buf->len > size || pipe_buf_confirm(pipe, buf))
			why = "a pipe whose data cannot be read";
		else
			memcpy_from_page((char *)(h + 1) + n, buf->page,
					 buf->offset, buf->len);
		n += buf->len;
	}
	if (pipe->readers)
		h->ends |= CKPT_PIPE_READER;
	if (pipe->writers)
		h->ends |= CKPT_PIPE_WRITER;
	pipe_unlock(pipe);

	if (why) {
		err = ckpt_err(ctx, -EOPNOTSUPP, "%s: not supported", why);
	} else {
		h->h.objref = objref;
		h->h.h.len = sizeof(*h) + n;
		h->size = size;
		h->nr_bytes = n;
		err = ckpt_write_record(ctx, &h->h.h);
	}
	kvfree(h);
	return err;
}

/* One descriptor, with a reference on its file. */
struct ckpt_fd_snap {
	unsigned int fd;
	bool cloexec;
	struct file *file;
};

/*
 * Copy the descriptors of @files.  Returns their number, or -E2BIG if
 * there are more than @cap.
 */
static int ckpt_snap_fds(struct files_struct *files, struct ckpt_fd_snap *snap,
			 unsigned int cap)
{
	struct fdtable *fdt;
	unsigned int fd, n = 0;

	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	for (fd = 0; fd < fdt->max_fds; fd++) {
		struct file *file = rcu_dereference_protected(fdt->fd[fd],
				lockdep_is_held(&files->file_lock));

		if (!file)
			continue;
		if (n == cap)
			break;
		snap[n].fd = fd;
		snap[n].cloexec = close_on_exec(fd, files);
		snap[n].file = get_file(file);
		n++;
	}
	spin_unlock(&files->file_lock);
	return fd < fdt->max_fds ? -E2BIG : n;
}

static void ckpt_files_grab(void *ptr)
{
	struct files_struct *files = ptr;

	atomic_inc(&files->count);
}

static void ckpt_files_drop(void *ptr)
{
	put_files_struct(ptr);
}

/* Name the kind of a file that cannot be saved, for the message. */
static int ckpt_refuse_fd(struct ckpt_ctx *ctx, unsigned int fd,
			  struct file *file)
{
	char *buf = kmalloc(CKPT_PATH_MAX, GFP_KERNEL);
	char *name = buf ? d_path(&file->f_path, buf, CKPT_PATH_MAX) : NULL;

	ckpt_err(ctx, -EOPNOTSUPP, "fd %u: %s%s is not supported", fd,
		 IS_ERR_OR_NULL(name) ? "this file" : name,
		 S_ISREG(file_inode(file)->i_mode) ? " (a deleted file)" : "");
	kfree(buf);
	return -EOPNOTSUPP;
}

/*
 * Take references on the descriptors of @files.  Returns their number,
 * with *@snap to free, or a negative errno.
 */
static int ckpt_files_snap(struct ckpt_ctx *ctx, struct files_struct *files,
			   struct ckpt_fd_snap **snap)
{
	int n;

	*snap = kvmalloc_array(CKPT_FILES_MAX, sizeof(**snap), GFP_KERNEL);
	if (!*snap)
		return -ENOMEM;
	n = ckpt_snap_fds(files, *snap, CKPT_FILES_MAX);
	if (n < 0) {
		kvfree(*snap);
		return ckpt_err(ctx, n, "more than %d open descriptors",
				CKPT_FILES_MAX);
	}
	return n;
}

static void ckpt_files_unsnap(struct ckpt_fd_snap *snap, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fput(snap[i].file);
	kvfree(snap);
}

/* Write the files of a descriptor table, before the table itself. */
static int ckpt_save_file(struct ckpt_ctx *ctx, int fd, struct file *file,
			  unsigned int depth);

/*
 * The files an epoll watches, before it: they may be open at later
 * descriptors, in another task, or be epolls themselves.
 */
static int ckpt_epoll_prepare(struct ckpt_ctx *ctx, struct file *file,
			      unsigned int depth)
{
	struct ckpt_epoll_target *items;
	int n, i, err = 0;
	u32 ref;

	if (depth >= CKPT_EPOLL_DEPTH)
		return ckpt_err(ctx, -ELOOP, "epolls nested too deep");
	n = ckpt_epoll_get(ctx, file, &items);
	if (n < 0)
		return n;
	for (i = 0; i < n && !err; i++)
		if (ckpt_obj_lookup(ctx, items[i].file, &ckpt_file_ops, &ref))
			err = ckpt_save_file(ctx, items[i].fd, items[i].file,
					     depth + 1);
	ckpt_epoll_put(items, n);
	return err;
}

/* Write a file of descriptor @fd, and first the objects it refers to. */
static int ckpt_save_file(struct ckpt_ctx *ctx, int fd, struct file *file,
			  unsigned int depth)
{
	int kind = ckpt_file_kind(ctx, file);
	int err = 0;
	u32 ref;

	if (kind < 0)
		return ckpt_refuse_fd(ctx, fd, file);
	if (kind == CKPT_FILE_INHERIT && ckpt_container(ctx) &&
	    ckpt_anon_pipe(file))
		return ckpt_err(ctx, -EBUSY,
				"fd %d: a pipe shared with a task outside the checkpoint",
				fd);
	/* A pipe before its ends, so that objrefs stay in order. */
	if (kind == CKPT_FILE_PIPE)
		err = ckpt_obj_checkpoint(ctx, ckpt_anon_pipe(file),
					  &ckpt_pipe_ops, &ref);
	else if (kind == CKPT_FILE_MEMFD)
		err = ckpt_memfd_save(ctx, file, &ref);
	else if (kind == CKPT_FILE_PTY)
		err = ckpt_pty_prepare(ctx, file);
	else if (kind == CKPT_FILE_SOCKET)
		err = ckpt_sock_prepare(ctx, file);
	else if (kind == CKPT_FILE_EPOLL)
		err = ckpt_epoll_prepare(ctx, file, depth);
	if (!err)
		err = ckpt_obj_checkpoint(ctx, file, &ckpt_file_ops, &ref);
	if (err && fd >= 0)
		ckpt_err(ctx, err, "fd %d: cannot save its file", fd);
	return err;
}

/**
 * ckpt_file_save_inflight - write a file that a socket holds in flight
 * @ctx:	checkpoint context
 * @file:	a file of an SCM_RIGHTS message queued to a saved socket
 * @objref:	set to the objref of its file record
 *
 * As the file of a descriptor, after the objects it refers to.  A file
 * that restart would not make anew but inherit (an end of a pipe whose
 * other end is not saved, a terminal) has no descriptor to be inherited
 * from: it is refused, and so is a file of a pty that no descriptor
 * table holds.
 *
 * Return: 0, or a negative errno with a message.
 */
int ckpt_file_save_inflight(struct ckpt_ctx *ctx, struct file *file,
			    u32 *objref)
{
	int kind = ckpt_file_kind(ctx, file);
	int err;

	/*
	 * Whether a pty is made anew is told by the descriptor tables: a
	 * master only in flight would leave its slaves inherited.
	 */
	if (kind == CKPT_FILE_PTY && !ckpt_file_in_tasks(ctx, file))
		kind = -EOPNOTSUPP;
	if (kind < 0 || kind == CKPT_FILE_INHERIT) {
		char *buf = kmalloc(CKPT_PATH_MAX, GFP_KERNEL);
		char *name = buf ? d_path(&file->f_path, buf, CKPT_PATH_MAX) :
				   NULL;

		ckpt_err(ctx, -EOPNOTSUPP,
			 "%s in flight (SCM_RIGHTS) is not supported",
			 IS_ERR_OR_NULL(name) ? "this file" : name);
		kfree(buf);
		return -EOPNOTSUPP;
	}
	err = ckpt_save_file(ctx, -1, file, 0) ?:
	      ckpt_obj_lookup(ctx, file, &ckpt_file_ops, objref);
	if (err)
		ckpt_err(ctx, err, "cannot save a file in flight");
	return err;
}

static int ckpt_files_save(struct ckpt_ctx *ctx, struct files_struct *files)
{
	struct ckpt_fd_snap *snap;
	int n, i, err = 0;

	n = ckpt_files_snap(ctx, files, &snap);
	if (n < 0)
		return n;
	for (i = 0; i < n && !err; i++)
		err = ckpt_save_file(ctx, snap[i].fd, snap[i].file, 0);
	ckpt_files_unsnap(snap, n);
	return err;
}

static bool ckpt_posix_locked(struct file *file)
{
	struct file_lock_context *flctx = locks_inode_context(file_inode(file));

	return flctx && !list_empty_careful(&flctx->flc_posix);
}

/*
 * The POSIX locks the owner of a table holds, after its record: for each
 * inode locked, once, with the first descriptors of it open for reading
 * and for writing.  A lock is dropped when its owner closes any
 * descriptor of the inode, so the one it was taken through is open.
 */
static int ckpt_files_locks(struct ckpt_ctx *ctx, struct files_struct *files,
			    const struct ckpt_fd_snap *snap, int n)
{
	struct ckpt_lock_src *src;
	struct inode *inode;
	int i, j, nr = 0, err;

	for (i = 0; i < n && !ckpt_posix_locked(snap[i].file); i++)
		;
	if (i == n)
		return 0;
	src = kvmalloc_array(n, sizeof(*src), GFP_KERNEL);
	if (!src)
		return -ENOMEM;
	for (; i < n; i++) {
		inode = file_inode(snap[i].file);
		if (!ckpt_posix_locked(snap[i].file))
			continue;
		for (j = 0; j < nr && file_inode(src[j].file) != inode; j++)
			;
		if (j == nr)
			src[nr++] = (struct ckpt_lock_src) {
				.file = snap[i].file,
				.kind = CKPT_LOCK_POSIX,
				.owner = files,
				.rd_fd = -1,
				.wr_fd = -1,
			};
		if (src[j].rd_fd < 0 && (snap[i].file->f_mode & FMODE_READ))
			src[j].rd_fd = snap[i].fd;
		if (src[j].wr_fd < 0 && (snap[i].file->f_mode & FMODE_WRITE))
			src[j].wr_fd = snap[i].fd;
	}
	err = ckpt_write_locks(ctx, src, nr);
	kvfree(src);
	return err;
}

static int ckpt_files_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	struct files_struct *files = ptr;
	struct ckpt_hdr_files *h;
	struct ckpt_fd_snap *snap;
	struct ckpt_fd *fds;
	int n, i, err = 0;

	n = ckpt_files_snap(ctx, files, &snap);
	if (n < 0)
		return n;
	h = ckpt_hdr_alloc(sizeof(*h) + n * sizeof(*fds), CKPT_HDR_FILES);
	if (!h) {
		err = -ENOMEM;
		goto out;
	}
	fds = (struct ckpt_fd *)(h + 1);
	for (i = 0; i < n && !err; i++) {
		fds[i].fd = snap[i].fd;
		fds[i].flags = snap[i].cloexec ? CKPT_FD_CLOEXEC : 0;
		err = ckpt_obj_lookup(ctx, snap[i].file, &ckpt_file_ops,
				      &fds[i].file_ref);
		if (err)
			err = ckpt_err(ctx, -EBUSY,
				       "fd %u was opened while the checkpoint ran",
				       snap[i].fd);
	}
	if (!err) {
		h->h.objref = objref;
		h->nr_fds = n;
		err = ckpt_write_record(ctx, &h->h.h) ?:
		      ckpt_files_locks(ctx, files, snap, n);
	}
	kvfree(h);
out:
	ckpt_files_unsnap(snap, n);
	return err;
}

static void ckpt_fs_grab(void *ptr)
{
	struct fs_struct *fs = ptr;

	spin_lock(&fs->lock);
	fs->users++;
	spin_unlock(&fs->lock);
}

static void ckpt_fs_drop(void *ptr)
{
	struct fs_struct *fs = ptr;
	bool last;

	spin_lock(&fs->lock);
	last = !--fs->users;
	spin_unlock(&fs->lock);
	if (last)
		free_fs_struct(fs);
}

static int ckpt_fs_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	struct fs_struct *fs = ptr;
	struct path pwd, root;
	char *buf, *cwd, *rootp;
	struct ckpt_hdr_fs *h;
	u32 umask, cwd_len, root_len;
	int err;

	spin_lock(&fs->lock);
	pwd = fs->pwd;
	path_get(&pwd);
	root = fs->root;
	path_get(&root);
	umask = fs->umask;
	spin_unlock(&fs->lock);

	err = -ENOMEM;
	buf = kmalloc(2 * CKPT_PATH_MAX, GFP_KERNEL);
	if (!buf)
		goto out;
	cwd = d_path(&pwd, buf, CKPT_PATH_MAX);
	rootp = d_path(&root, buf + CKPT_PATH_MAX, CKPT_PATH_MAX);
	if (IS_ERR(cwd) || IS_ERR(rootp) || cwd[0] != '/' || rootp[0] != '/') {
		err = ckpt_err(ctx, -ENAMETOOLONG,
			       "the working directory or root has no path from the caller's root");
		goto out;
	}
	cwd_len = strlen(cwd) + 1;
	root_len = strlen(rootp) + 1;
	err = -ENOMEM;
	h = ckpt_hdr_alloc(sizeof(*h) + cwd_len + root_len, CKPT_HDR_FS);
	if (h) {
		h->h.objref = objref;
		h->umask = umask;
		h->cwd_len = cwd_len;
		h->root_len = root_len;
		memcpy(h + 1, cwd, cwd_len);
		memcpy((void *)(h + 1) + cwd_len, rootp, root_len);
		err = ckpt_write_record(ctx, &h->h.h);
		kvfree(h);
	}
out:
	kfree(buf);
	path_put(&pwd);
	path_put(&root);
	return err;
}

/**
 * ckpt_task_files - save the descriptor table and fs_struct of a task
 * @ctx:	checkpoint context
 * @t:		the task, held still
 * @files_ref:	set to the objref of its descriptor table
 * @fs_ref:	set to the objref of its fs_struct
 *
 * Return: 0 or a negative errno.
 */
int ckpt_task_files(struct ckpt_ctx *ctx, struct task_struct *t,
		    u32 *files_ref, u32 *fs_ref)
{
	struct files_struct *files;
	struct fs_struct *fs;
	int err;

	task_lock(t);
	files = t->files;
	if (files)
		ckpt_files_grab(files);
	fs = t->fs;
	if (fs)
		ckpt_fs_grab(fs);
	task_unlock(t);

	if (!files || !fs)
		err = ckpt_err(ctx, -ESRCH, "pid %d (%s) has no files",
			       task_pid_vnr(t), t->comm);
	else
		err = ckpt_files_save(ctx, files) ?:
		      ckpt_obj_checkpoint(ctx, files, &ckpt_files_ops,
					  files_ref) ?:
		      ckpt_obj_checkpoint(ctx, fs, &ckpt_fs_ops, fs_ref);
	if (files)
		ckpt_files_drop(files);
	if (fs)
		ckpt_fs_drop(fs);
	return err;
}

/* ---------------------------------------------------------------- */
/* Restart                                                            */

/* A restored file; an inherited one is found when its fd is known. */
struct ckpt_file_restore {
	u32 f_flags;		/* of its record, for the locks taken on it */
	struct file *file;
	u32 kind;
};

/* A restored pipe: its ends, until the files of the image take them. */
struct ckpt_pipe_restore {
	struct file *end[2];		/* read, write */
	bool taken[2];
};

static int restore_check_pipe(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_pipe *h)
{
	if (h->size < PAGE_SIZE || h->size > CKPT_PIPE_MAX_SIZE ||
	    h->size % PAGE_SIZE)
		return ckpt_err(ctx, -EINVAL, "pipe size %u", h->size);
	if (h->nr_bytes > h->size ||
	    h->h.h.len != sizeof(*h) + h->nr_bytes)
		return ckpt_err(ctx, -EINVAL, "length %u does not match nr_bytes %u",
				h->h.h.len, h->nr_bytes);
	if (!h->ends || h->ends & ~(CKPT_PIPE_READER | CKPT_PIPE_WRITER))
		return ckpt_err(ctx, -EINVAL, "pipe ends %#x", h->ends);
	return ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad");
}

/* Make the pipe with its capacity and data, as pipe(2) and write(2). */
static int restore_pipe(struct ckpt_ctx *ctx, const struct ckpt_hdr_pipe *h,
			struct ckpt_pipe_restore *r)
{
	loff_t pos = 0;
	ssize_t n;
	long ret;

	ret = create_pipe_files(r->end, 0);
	if (ret) {
		/* It may leave an ERR_PTR() in an end. */
		r->end[0] = NULL;
		r->end[1] = NULL;
		return ckpt_err(ctx, ret, "cannot make a pipe");
	}
	ret = pipe_fcntl(r->end[1], F_SETPIPE_SZ, h->size);
	if (ret < 0)
		return ckpt_err(ctx, ret, "cannot give a pipe %u bytes", h->size);
	if (h->nr_bytes) {
		/* It fits: never blocks. */
		r->end[1]->f_flags |= O_NONBLOCK;
		n = kernel_write(r->end[1], h + 1, h->nr_bytes, &pos);
		r->end[1]->f_flags &= ~O_NONBLOCK;
		if (n != h->nr_bytes)
			return ckpt_err(ctx, n < 0 ? n : -EIO,
					"cannot fill a pipe with %u bytes",
					h->nr_bytes);
	}
	return 0;
}

static void ckpt_pipe_release(void *ptr)
{
	struct ckpt_pipe_restore *r = ptr;

	if (r->end[0])
		fput(r->end[0]);
	if (r->end[1])
		fput(r->end[1]);
	kfree(r);
}

static void *ckpt_pipe_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_pipe *h = container_of(hdr, struct ckpt_hdr_pipe, h.h);
	struct ckpt_pipe_restore *r;
	int err;

	err = restore_check_pipe(ctx, h);
	if (err)
		return ERR_PTR(err);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	if (ckpt_restoring(ctx)) {
		err = restore_pipe(ctx, h, r);
		if (err) {
			ckpt_pipe_release(r);
			return ERR_PTR(err);
		}
		/* An end no task had open is closed, as it was. */
		if (!(h->ends & CKPT_PIPE_READER)) {
			fput(r->end[0]);
			r->end[0] = NULL;
		}
		if (!(h->ends & CKPT_PIPE_WRITER)) {
			fput(r->end[1]);
			r->end[1] = NULL;
		}
	}
	/* In both modes: which ends exist, for the files to check. */
	r->taken[0] = !(h->ends & CKPT_PIPE_READER);
	r->taken[1] = !(h->ends & CKPT_PIPE_WRITER);
	return r;
}

/* The end of its pipe a CKPT_FILE_PIPE file is, taken once. */
/*
 * Give a file made anew the status flags of @f_flags as fcntl(F_SETFL)
 * would, with its check: O_NOATIME only on a file the caller owns.
 * None of the files it is given has ->fasync or ->check_flags.
 */
static int restore_setfl(struct ckpt_ctx *ctx, struct file *file,
			 unsigned int f_flags)
{
	if ((f_flags & O_NOATIME) &&
	    !inode_owner_or_capable(file_mnt_idmap(file), file_inode(file)))
		return ckpt_err(ctx, -EPERM, "O_NOATIME on a file the caller does not own");
	spin_lock(&file->f_lock);
	file->f_flags |= f_flags;
	file->f_iocb_flags = iocb_flags(file);
	spin_unlock(&file->f_lock);
	return 0;
}

static int restore_pipe_end(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *h,
			    struct file **file)
{
	struct ckpt_pipe_restore *pipe;
	unsigned int end;

	pipe = ckpt_obj_fetch(ctx, h->pipe_ref, &ckpt_pipe_ops, "pipe_ref");
	if (IS_ERR(pipe))
		return PTR_ERR(pipe);
	switch (h->f_flags & O_ACCMODE) {
	case O_RDONLY:
		end = 0;
		break;
	case O_WRONLY:
		end = 1;
		break;
	default:
		return ckpt_err(ctx, -EINVAL, "a pipe end open for both");
	}
	if (h->f_flags & ~(O_ACCMODE | CKPT_PIPE_FLAGS))
		return ckpt_err(ctx, -EINVAL, "pipe end flags %#x", h->f_flags);
	if (pipe->taken[end])
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pipe %u: its %s end twice, or closed: not supported",
				h->pipe_ref, end ? "write" : "read");
	pipe->taken[end] = true;
	if (!ckpt_restoring(ctx))
		return 0;
	*file = get_file(pipe->end[end]);
	return restore_setfl(ctx, *file, h->f_flags & CKPT_PIPE_FLAGS);
}

/*
 * An eventfd, signalfd or timerfd: no path, an anonymous inode, and its
 * state: an eventfd's counter and mode, the signals a signalfd reads
 * (any; the subsystem drops SIGKILL and SIGSTOP as signalfd(2) does), a
 * timerfd's clock, timer and expirations not read.
 */
static int restore_check_timerfd(struct ckpt_ctx *ctx,
				 const struct ckpt_timerfd *t)
{
	if ((t->clockid != CLOCK_MONOTONIC && t->clockid != CLOCK_REALTIME &&
	     t->clockid != CLOCK_BOOTTIME) ||
	    t->flags & ~TFD_TIMER_ABSTIME ||
	    (t->flags && t->clockid != CLOCK_REALTIME) ||
	    t->value_ns > KTIME_MAX || t->interval_ns > KTIME_MAX)
		return ckpt_err(ctx, -EINVAL,
				"timerfd: clock %d, flags %#x, value %llu, interval %llu",
				t->clockid, t->flags, t->value_ns,
				t->interval_ns);
	return 0;
}

static int restore_check_pidfd(struct ckpt_ctx *ctx,
			       const struct ckpt_pidfd *p)
{
	if (p->flags & ~CKPT_PIDFD_THREAD)
		return ckpt_err(ctx, -EINVAL, "pidfd: unknown flags %#x",
				p->flags);
	if (!p->pid)
		return 0;
	return ckpt_check_pid_ref(ctx, p->pid, p->flags & CKPT_PIDFD_THREAD);
}

static int restore_check_anon(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_file *h)
{
	const struct ckpt_eventfd *e = (const void *)(h + 1);
	u32 len = ckpt_anon_len(h->kind);

	if (h->path_len != len || h->h.h.len != sizeof(*h) + len)
		return ckpt_err(ctx, -EINVAL, "length %u, path_len %u of kind %u",
				h->h.h.len, h->path_len, h->kind);
	/* Of the anonymous inodes, those of pidfs are regular files. */
	if ((h->mode & S_IFMT) != (h->kind == CKPT_FILE_PIDFD ? S_IFREG : 0) ||
	    h->rdev || h->pipe_ref || h->pos ||
	    (h->f_flags & ~CKPT_ANON_FLAGS) != O_RDWR)
		return ckpt_err(ctx, -EINVAL,
				"mode %#o, flags %#x, rdev, pipe_ref or pos of kind %u",
				h->mode, h->f_flags, h->kind);
	if (h->kind == CKPT_FILE_TIMERFD)
		return restore_check_timerfd(ctx, (const void *)(h + 1));
	if (h->kind == CKPT_FILE_PIDFD)
		return restore_check_pidfd(ctx, (const void *)(h + 1));
	if (h->kind != CKPT_FILE_EVENTFD)
		return 0;
	if (e->count == ULLONG_MAX || e->flags & ~EFD_SEMAPHORE)
		return ckpt_err(ctx, -EINVAL, "eventfd: count %#llx, flags %#x",
				e->count, e->flags);
	return ckpt_check_zero(ctx, &e->_pad, sizeof(e->_pad), "eventfd _pad");
}

/* A socket: its state, a struct ckpt_socket, which net/ checks. */
static int restore_check_sock(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_file *h)
{
	if (h->path_len != sizeof(struct ckpt_socket) ||
	    h->h.h.len != sizeof(*h) + h->path_len)
		return ckpt_err(ctx, -EINVAL, "length %u, path_len %u of a socket",
				h->h.h.len, h->path_len);
	if ((h->mode & S_IFMT) != S_IFSOCK || h->rdev || h->pipe_ref || h->pos)
		return ckpt_err(ctx, -EINVAL, "mode %#o, rdev, pipe_ref or pos of a socket",
				h->mode);
	if ((h->f_flags & ~CKPT_ANON_FLAGS) != O_RDWR)
		return ckpt_err(ctx, -EINVAL, "socket flags %#x", h->f_flags);
	return ckpt_sock_check(ctx, (const struct ckpt_socket *)(h + 1));
}

/*
 * An epoll: its items, each naming a file written before it, with the
 * descriptor it was added with and its events; restart adds them as
 * epoll_ctl(EPOLL_CTL_ADD) would, which checks them again.
 */
static int restore_check_epoll(struct ckpt_ctx *ctx,
			       const struct ckpt_hdr_file *h)
{
	const struct ckpt_epoll_item *it = (const void *)(h + 1);
	u32 n = h->path_len / sizeof(*it), i;
	void *obj;

	if (h->path_len % sizeof(*it) || n > CKPT_EPOLL_MAX_ITEMS ||
	    h->h.h.len != sizeof(*h) + h->path_len)
		return ckpt_err(ctx, -EINVAL, "length %u, path_len %u of an epoll",
				h->h.h.len, h->path_len);
	if (h->mode & S_IFMT || h->rdev || h->pipe_ref || h->pos ||
	    (h->f_flags & ~CKPT_ANON_FLAGS) != O_RDWR)
		return ckpt_err(ctx, -EINVAL,
				"mode %#o, flags %#x, rdev, pipe_ref or pos of an epoll",
				h->mode, h->f_flags);
	for (i = 0; i < n; i++) {
		if (it[i].fd < 0 || it[i].events & ~CKPT_EPOLL_EVENTS ||
		    it[i]._pad)
			return ckpt_err(ctx, -EINVAL, "epoll item %u: fd %d, events %#x",
					i, it[i].fd, it[i].events);
		obj = ckpt_obj_fetch(ctx, it[i].file_ref, &ckpt_file_ops,
				     "epoll file_ref");
		if (IS_ERR(obj))
			return PTR_ERR(obj);
	}
	return 0;
}

/*
 * Make an epoll and add its items.  A file that was inherited is the
 * restarting process's at the descriptor the item was added with.
 */
static struct file *restore_epoll(struct ckpt_ctx *ctx,
				  const struct ckpt_hdr_file *h)
{
	const struct ckpt_epoll_item *it = (const void *)(h + 1);
	u32 n = h->path_len / sizeof(*it), i;
	struct ckpt_file_restore *r;
	struct file *file, *tfile;
	int err = 0;

	file = eventpoll_restore();
	if (IS_ERR(file))
		return ERR_PTR(ckpt_err(ctx, PTR_ERR(file), "cannot make an epoll"));
	for (i = 0; i < n && !err; i++) {
		r = ckpt_obj_fetch(ctx, it[i].file_ref, &ckpt_file_ops,
				   "epoll file_ref");
		if (IS_ERR(r)) {
			err = PTR_ERR(r);
			break;
		}
		tfile = r->file ? get_file(r->file) : fget_raw(it[i].fd);
		if (!tfile) {
			err = ckpt_err(ctx, -EBADF,
				       "an epoll watched inherited fd %d: the restarting process has none",
				       it[i].fd);
			break;
		}
		err = eventpoll_restore_add(file, tfile, it[i].fd,
					    it[i].events, it[i].data);
		fput(tfile);
		if (err)
			ckpt_err(ctx, err, "cannot make an epoll watch fd %d again",
				 it[i].fd);
	}
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

/* Make the eventfd, signalfd or timerfd of a checked record. */
/* A pidfd of a task of the image, which may not be created yet. */
static struct file *restore_pidfd(struct ckpt_ctx *ctx,
				  const struct ckpt_pidfd *p)
{
	struct pid *pid = p->pid ? ckpt_restore_pid(ctx, p->pid) :
				   ckpt_reaped_pid(ctx);
	struct file *file;

	if (IS_ERR(pid))
		return ERR_CAST(pid);
	file = pidfs_alloc_file(pid, O_RDWR);
	if (!p->pid)
		put_pid(pid);
	/* As pidfd_prepare(): the open ignores O_EXCL. */
	if (!IS_ERR(file) && (p->flags & CKPT_PIDFD_THREAD))
		file->f_flags |= PIDFD_THREAD;
	return file;
}

static struct file *restore_anon(struct ckpt_ctx *ctx,
				 const struct ckpt_hdr_file *h)
{
	const struct ckpt_eventfd *e = (const void *)(h + 1);
	const struct ckpt_signalfd *sfd = (const void *)(h + 1);
	const struct ckpt_timerfd *tfd = (const void *)(h + 1);
	const struct ckpt_pidfd *p = (const void *)(h + 1);
	struct file *file;

	if (h->kind == CKPT_FILE_EVENTFD)
		file = eventfd_restore(e->count, e->flags);
	else if (h->kind == CKPT_FILE_SIGNALFD)
		file = signalfd_restore(sfd->mask, 0);
	else if (h->kind == CKPT_FILE_TIMERFD)
		file = timerfd_restore(tfd, 0);
	else
		file = restore_pidfd(ctx, p);
	if (IS_ERR(file))
		ckpt_err(ctx, PTR_ERR(file), "cannot make the %s",
			 ckpt_anon_name(h->kind));
	return file;
}

static int restore_check_file(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_file *h)
{
	const char *path = (const char *)(h + 1);
	bool inherit = h->kind == CKPT_FILE_INHERIT ||
		       h->kind == CKPT_FILE_PIPE || h->kind == CKPT_FILE_MEMFD;

	if (h->kind < CKPT_FILE_REG || h->kind > CKPT_FILE_INOTIFY)
		return ckpt_err(ctx, -EINVAL, "unknown kind %u", h->kind);
	if ((h->kind != CKPT_FILE_REG &&
	     (h->size || h->mtime_sec || h->mtime_nsec)) ||
	    h->mtime_nsec >= NSEC_PER_SEC || h->_pad)
		return ckpt_err(ctx, -EINVAL, "size, mtime or _pad of kind %u",
				h->kind);
	if (h->kind == CKPT_FILE_EPOLL)
		return restore_check_epoll(ctx, h);
	if (ckpt_file_anon(h->kind))
		return restore_check_anon(ctx, h);
	if (h->kind == CKPT_FILE_SOCKET)
		return restore_check_sock(ctx, h);
	if (h->kind == CKPT_FILE_PTY)
		return restore_check_pty_file(ctx, h);
	if (h->kind == CKPT_FILE_MQUEUE)
		return restore_check_mq_file(ctx, h);
	if (h->kind == CKPT_FILE_INOTIFY)
		return restore_check_inotify(ctx, h);
	if (h->f_flags & ~CKPT_FILE_FLAGS)
		return ckpt_err(ctx, -EINVAL, "unknown f_flags %#x",
				h->f_flags & ~CKPT_FILE_FLAGS);
	if (h->pos < 0)
		return ckpt_err(ctx, -EINVAL, "negative offset %lld", h->pos);
	if (h->h.h.len != sizeof(*h) + h->path_len ||
	    (!inherit && (h->path_len < 2 || h->path_len > CKPT_PATH_MAX)) ||
	    (inherit && h->path_len))
		return ckpt_err(ctx, -EINVAL, "length %u does not match path_len %u",
				h->h.h.len, h->path_len);
	if (!inherit && (strnlen(path, h->path_len) != h->path_len - 1 ||
			 path[0] != '/'))
		return ckpt_err(ctx, -EINVAL, "path is not absolute and NUL terminated");
	if ((h->kind == CKPT_FILE_REG && !S_ISREG(h->mode)) ||
	    (h->kind == CKPT_FILE_DIR && !S_ISDIR(h->mode)) ||
	    (h->kind == CKPT_FILE_CHR && !S_ISCHR(h->mode)) ||
	    (h->kind == CKPT_FILE_PIPE && !S_ISFIFO(h->mode)) ||
	    (h->kind == CKPT_FILE_MEMFD && !S_ISREG(h->mode)) ||
	    (h->kind == CKPT_FILE_PROC && !S_ISREG(h->mode) &&
	     !S_ISDIR(h->mode)) ||
	    (h->kind != CKPT_FILE_CHR && h->rdev) ||
	    (h->kind == CKPT_FILE_CHR && !ckpt_mem_chrdev(new_decode_dev(h->rdev))))
		return ckpt_err(ctx, -EINVAL, "mode %#o or rdev does not fit kind %u",
				h->mode, h->kind);
	/* open(2) of a memfd through /proc gives ENOTDIR. */
	if (h->kind == CKPT_FILE_MEMFD && (h->f_flags & O_DIRECTORY))
		return ckpt_err(ctx, -EINVAL, "a memfd open with O_DIRECTORY");
	if (h->kind == CKPT_FILE_MEMFD)
		return PTR_ERR_OR_ZERO(ckpt_obj_fetch(ctx, h->memfd_ref,
						      &ckpt_memfd_ops,
						      "memfd_ref"));
	if (h->kind != CKPT_FILE_PIPE && h->pipe_ref)
		return ckpt_err(ctx, -EINVAL, "pipe_ref of a file that is no pipe");
	return 0;
}

/* Reopen a file by path and check it is the one that was saved. */
/**
 * ckpt_open_path - open a file an image names, if it is the file saved
 * @ctx:	restart context
 * @path:	the path in the image
 * @flags:	open(2) flags
 * @same:	tells whether an inode is the file saved
 * @arg:	for @same
 *
 * The file is opened with the rights of current, as open(2) would.  Its
 * inode is checked before the open, so that an image cannot have restart
 * open some other file, whose open could block (a FIFO) or act (a
 * device), and again after it, in case the path changed in between.
 *
 * Return: the file, or an ERR_PTR(): -ESTALE if it is not the file
 * saved, or the error of the lookup or of the open.
 */
struct file *ckpt_open_path(struct ckpt_ctx *ctx, const char *path, int flags,
			    bool (*same)(const struct inode *, const void *),
			    const void *arg)
{
	struct file *file;
	struct path p;
	bool ok;
	int err;

	err = kern_path(path, flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW, &p);
	if (err)
		return ERR_PTR(ckpt_err(ctx, err, "cannot find %s", path));
	ok = same(d_inode(p.dentry), arg);
	path_put(&p);
	if (ok) {
		file = filp_open(path, flags | O_LARGEFILE, 0);
		if (IS_ERR(file))
			return ERR_PTR(ckpt_err(ctx, PTR_ERR(file),
						"cannot open %s", path));
		if (same(file_inode(file), arg))
			return file;
		fput(file);
	}
	return ERR_PTR(ckpt_err(ctx, -ESTALE,
				"%s is not the file saved or changed since", path));
}

static bool restore_same_file(const struct inode *inode, const void *arg)
{
	const struct ckpt_hdr_file *h = arg;
	struct timespec64 mtime = inode_get_mtime(inode);

	/* procfs makes its inodes as they are looked up. */
	if (h->kind == CKPT_FILE_PROC)
		return inode->i_sb->s_magic == PROC_SUPER_MAGIC &&
		       (inode->i_mode & S_IFMT) == (h->mode & S_IFMT);
	/* A file open read-only must hold what it held. */
	if (h->kind == CKPT_FILE_REG && (h->f_flags & O_ACCMODE) == O_RDONLY &&
	    (i_size_read(inode) != h->size || mtime.tv_sec != h->mtime_sec ||
	     mtime.tv_nsec != h->mtime_nsec))
		return false;
	return inode->i_ino == h->ino &&
	       new_encode_dev(inode->i_sb->s_dev) == h->dev &&
	       (inode->i_mode & S_IFMT) == (h->mode & S_IFMT) &&
	       (h->kind != CKPT_FILE_CHR ||
		new_encode_dev(inode->i_rdev) == h->rdev);
}

/* Seek a file just opened to the offset saved. */
static int restore_seek(struct ckpt_ctx *ctx, struct file *file,
			const struct ckpt_hdr_file *h)
{
	loff_t pos;

	if (!h->pos || (file->f_mode & FMODE_PATH))
		return 0;
	pos = vfs_llseek(file, h->pos, SEEK_SET);
	if (pos == h->pos)
		return 0;
	return ckpt_err(ctx, -ESPIPE, "%s: cannot seek to %lld",
			h->kind == CKPT_FILE_MEMFD ? "memfd" :
			(const char *)(h + 1), h->pos);
}

static int ckpt_fd_cmp(const void *key, const void *elt)
{
	int fd = *(const int *)key;
	const struct ckpt_fd *e = elt;

	return fd < e->fd ? -1 : fd > e->fd;
}

/*
 * Restart of locks.  @fds are those of the table the locks follow, or
 * NULL after a file, whose @kind is given.
 */
static int restore_check_lock(struct ckpt_ctx *ctx,
			      const struct ckpt_file_lock *l,
			      const struct ckpt_hdr_files *fds, int kind,
			      u32 f_flags)
{
	const struct ckpt_file_restore *r;
	const struct ckpt_fd *fd = NULL;
	fmode_t mode;

	if (fds ? l->kind != CKPT_LOCK_POSIX :
	    l->kind != CKPT_LOCK_FLOCK && l->kind != CKPT_LOCK_OFD)
		return ckpt_err(ctx, -EINVAL, "lock of kind %u after a %s",
				l->kind, fds ? "descriptor table" : "file");
	if (!fds && (kind == CKPT_FILE_INHERIT || l->fd))
		return ckpt_err(ctx, -EINVAL, "lock on a file inherited, or with an fd");
	if ((l->type != F_RDLCK && l->type != F_WRLCK) || l->_pad ||
	    l->start < 0 || l->end < l->start ||
	    (l->kind == CKPT_LOCK_FLOCK && (l->start || l->end != OFFSET_MAX)))
		return ckpt_err(ctx, -EINVAL, "lock of type %u on %lld-%lld",
				l->type, l->start, l->end);
	if (fds) {
		fd = bsearch(&l->fd, fds + 1, fds->nr_fds, sizeof(*fd),
			     ckpt_fd_cmp);
		if (!fd)
			return ckpt_err(ctx, -EINVAL, "lock through fd %d, not in the table",
					l->fd);
		r = ckpt_obj_fetch(ctx, fd->file_ref, &ckpt_file_ops,
				   "file_ref");
		if (IS_ERR(r))
			return PTR_ERR(r);
		f_flags = r->f_flags;
	}
	/* As flock(2) and fcntl(2) want the file open. */
	f_flags &= O_PATH | O_ACCMODE;
	mode = f_flags & O_PATH ? 0 : OPEN_FMODE(f_flags);
	if (!(mode & (l->kind == CKPT_LOCK_FLOCK ? FMODE_READ | FMODE_WRITE :
		      l->type == F_WRLCK ? FMODE_WRITE : FMODE_READ)))
		return ckpt_err(ctx, -EINVAL, "lock of type %u through a file open with %#x",
				l->type, f_flags);
	return 0;
}

/* Take a checked lock again, as flock(2) or fcntl(2) would. */
static int restore_lock(struct ckpt_ctx *ctx, struct file *file,
			const struct ckpt_file_lock *l)
{
	struct flock fl = {
		.l_type = l->type,
		.l_whence = SEEK_SET,
		.l_start = l->start,
		.l_len = l->end == OFFSET_MAX ? 0 : l->end - l->start + 1,
	};
	struct file_lock *lock;
	int err;

	switch (l->kind) {
	case CKPT_LOCK_FLOCK:
		err = -EBADF;
		if (!(file->f_mode & (FMODE_READ | FMODE_WRITE)))
			break;
		err = -ENOLCK;
		lock = locks_alloc_lock();
		if (!lock)
			break;
		lock->c.flc_file = file;
		lock->c.flc_owner = file;
		lock->c.flc_pid = current->tgid;
		lock->c.flc_flags = FL_FLOCK;
		lock->c.flc_type = l->type;
		lock->fl_end = OFFSET_MAX;
		err = security_file_lock(file, l->type) ?:
		      locks_lock_file_wait(file, lock);
		locks_free_lock(lock);
		break;
	case CKPT_LOCK_OFD:
		err = fcntl_setlk(0, file, F_OFD_SETLK, &fl);
		break;
	default:
		err = -EBADF;
		file = fget_raw(l->fd);
		if (file) {
			err = fcntl_setlk(l->fd, file, F_SETLK, &fl);
			fput(file);
		}
	}
	if (err)
		ckpt_err(ctx, err, "cannot take lock %lld-%lld of type %u again",
			 l->start, l->end, l->type);
	return err;
}

/*
 * Read the CKPT_HDR_FILE_LOCKS record after a file or table record if
 * there is one, and take its locks: on @file, of @kind and open with
 * @f_flags, or through the descriptors of the table @fds, just
 * installed.  A lock must fit how its file is open, as the calls that
 * take it check.
 */
static int restore_locks(struct ckpt_ctx *ctx, struct file *file, int kind,
			 u32 f_flags, const struct ckpt_hdr_files *fds)
{
	struct ckpt_hdr_file_locks *h;
	const struct ckpt_file_lock *l;
	unsigned int i, nr_flock = 0;
	u32 type;
	int err;

	err = ckpt_peek_type(ctx, &type);
	if (err || type != CKPT_HDR_FILE_LOCKS)
		return err;
	h = ckpt_read_record(ctx, CKPT_HDR_FILE_LOCKS, sizeof(*h),
			     sizeof(*h) + CKPT_LOCKS_MAX * sizeof(*l));
	if (IS_ERR(h))
		return PTR_ERR(h);
	l = (const struct ckpt_file_lock *)(h + 1);
	if (!h->nr_locks || h->nr_locks > CKPT_LOCKS_MAX ||
	    h->h.len != sizeof(*h) + h->nr_locks * sizeof(*l))
		err = ckpt_err(ctx, -EINVAL, "length %u does not match nr_locks %u",
			       h->h.len, h->nr_locks);
	else
		err = ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad");
	for (i = 0; i < h->nr_locks && !err; i++) {
		err = restore_check_lock(ctx, &l[i], fds, kind, f_flags);
		if (!err && l[i].kind == CKPT_LOCK_FLOCK && nr_flock++)
			err = ckpt_err(ctx, -EINVAL, "two flock locks on one file");
		if (!err && ckpt_restoring(ctx))
			err = restore_lock(ctx, file, &l[i]);
	}
	kvfree(h);
	return err;
}

/*
 * The file of a checked record, made anew or opened; NULL for one that
 * is inherited, and for all but pipe ends and unix pairs, whose objects
 * must be taken, when only validating.
 */
static struct file *restore_file(struct ckpt_ctx *ctx,
				 const struct ckpt_hdr_file *h)
{
	struct file *file = NULL;
	bool opened = false;
	int err;

	if (h->kind == CKPT_FILE_PIPE) {
		err = restore_pipe_end(ctx, h, &file);
		return err ? ERR_PTR(err) : file;
	}
	if (h->kind == CKPT_FILE_PTY)
		return restore_pty_file(ctx, h);
	if (h->kind == CKPT_FILE_SOCKET) {
		file = ckpt_sock_restore(ctx, (const void *)(h + 1));
	} else if (h->kind == CKPT_FILE_INOTIFY) {
		/* Its watches and events are read even when validating. */
		file = restore_inotify(ctx, h);
	} else if (!ckpt_restoring(ctx) || h->kind == CKPT_FILE_INHERIT) {
		return NULL;
	} else if (h->kind == CKPT_FILE_EPOLL) {
		file = restore_epoll(ctx, h);
	} else if (ckpt_file_anon(h->kind)) {
		file = restore_anon(ctx, h);
	} else if (h->kind == CKPT_FILE_MQUEUE) {
		file = restore_mq_file(ctx, h);
		opened = true;
	} else {
		/* A file of a memfd is opened anew on the memfd restored before. */
		file = h->kind == CKPT_FILE_MEMFD ?
		       ckpt_memfd_open(ctx, h->memfd_ref, h->f_flags) :
		       ckpt_open_path(ctx, (const char *)(h + 1), h->f_flags,
				      restore_same_file, h);
		opened = true;
	}
	if (IS_ERR_OR_NULL(file))
		return file;
	/*
	 * Opened: with its status flags, at its offset.  Made anew: the
	 * status flags are given back here.
	 */
	if (opened)
		err = restore_seek(ctx, file, h);
	else
		err = restore_setfl(ctx, file, h->f_flags & CKPT_ANON_FLAGS);
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

static void *ckpt_file_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_file *h = container_of(hdr, struct ckpt_hdr_file, h.h);
	struct ckpt_file_restore *r;
	struct file *file;
	int err;

	err = restore_check_file(ctx, h);
	if (err)
		return ERR_PTR(err);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	file = restore_file(ctx, h);
	if (IS_ERR(file)) {
		kfree(r);
		return file;
	}
	err = restore_locks(ctx, file, h->kind, h->f_flags, NULL);
	if (err) {
		if (file)
			fput(file);
		kfree(r);
		return ERR_PTR(err);
	}
	r->kind = h->kind;
	r->f_flags = h->f_flags;
	r->file = file;
	return r;
}

/**
 * ckpt_file_inflight - a restored file to put in flight on a socket
 * @ctx:	restart context
 * @objref:	its objref, from the record of the socket
 *
 * Return: the file, which the table keeps a reference on; NULL when
 * only validating; or an ERR_PTR().
 */
struct file *ckpt_file_inflight(struct ckpt_ctx *ctx, u32 objref)
{
	struct ckpt_file_restore *r;

	r = ckpt_obj_fetch(ctx, objref, &ckpt_file_ops, "in-flight file_ref");
	if (IS_ERR(r))
		return ERR_CAST(r);
	if (r->kind == CKPT_FILE_INHERIT)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"file %u in flight is one to inherit",
					objref));
	return r->file;
}

static void ckpt_file_release(void *ptr)
{
	struct ckpt_file_restore *r = ptr;

	if (r->file)
		fput(r->file);
	kfree(r);
}

static int restore_check_files(struct ckpt_ctx *ctx,
			       const struct ckpt_hdr_files *h)
{
	const struct ckpt_fd *fds = (const struct ckpt_fd *)(h + 1);
	unsigned int i;
	void *obj;

	if (h->nr_fds > CKPT_FILES_MAX)
		return ckpt_err(ctx, -E2BIG, "nr_fds %u is above %d", h->nr_fds,
				CKPT_FILES_MAX);
	if (h->h.h.len != sizeof(*h) + (u64)h->nr_fds * sizeof(*fds))
		return ckpt_err(ctx, -EINVAL, "length %u does not match nr_fds %u",
				h->h.h.len, h->nr_fds);
	for (i = 0; i < h->nr_fds; i++) {
		if (fds[i].fd < 0 || (i && fds[i].fd <= fds[i - 1].fd))
			return ckpt_err(ctx, -EINVAL, "fd %d out of order", fds[i].fd);
		if (fds[i].flags & ~CKPT_FD_CLOEXEC)
			return ckpt_err(ctx, -EINVAL, "fd %d: unknown flags %#x",
					fds[i].fd, fds[i].flags);
		if (fds[i]._pad)
			return ckpt_err(ctx, -EINVAL, "fd %d: _pad is not zero",
					fds[i].fd);
		obj = ckpt_obj_fetch(ctx, fds[i].file_ref, &ckpt_file_ops,
				     "file_ref");
		if (IS_ERR(obj))
			return PTR_ERR(obj);
	}
	return ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad");
}

/*
 * Make room for descriptor @maxfd: the task was born with the caller's
 * RLIMIT_NOFILE, its own comes with its attributes, later.  The soft
 * limit may be raised up to the hard one, as setrlimit(2) allows.
 */
static int restore_nofile_room(struct ckpt_ctx *ctx, unsigned int maxfd)
{
	struct task_struct *leader = current->group_leader;
	struct rlimit *rlim = current->signal->rlim + RLIMIT_NOFILE;
	int err = 0;

	task_lock(leader);
	if (maxfd >= rlim->rlim_cur) {
		if (maxfd >= rlim->rlim_max)
			err = -EMFILE;
		else
			rlim->rlim_cur = maxfd + 1;
	}
	task_unlock(leader);
	if (err)
		return ckpt_err(ctx, err, "fd %u is above the hard RLIMIT_NOFILE",
				maxfd);
	return 0;
}

/*
 * Give current the saved descriptors.  An inherited file is taken from
 * current's table, the copy of the caller's, at the same descriptor,
 * descriptor by descriptor: a job's standard input and output may be
 * one terminal when saved and two files in the shell that restarts it.
 * All are found before the table is emptied.
 */
static int restore_files(struct ckpt_ctx *ctx, const struct ckpt_hdr_files *h)
{
	const struct ckpt_fd *fds = (const struct ckpt_fd *)(h + 1);
	struct ckpt_file_restore *r;
	struct file **files;
	unsigned int i;
	int ret = 0;

	files = kvcalloc(h->nr_fds, sizeof(*files), GFP_KERNEL);
	if (!files)
		return -ENOMEM;
	for (i = 0; i < h->nr_fds && !ret; i++) {
		r = ckpt_obj_fetch(ctx, fds[i].file_ref, &ckpt_file_ops,
				   "file_ref");
		files[i] = r->file ? get_file(r->file) : fget_raw(fds[i].fd);
		if (!files[i])
			ret = ckpt_err(ctx, -EBADF,
				       "fd %d was a pipe or terminal: the restarting process must have an fd %d to give",
				       fds[i].fd, fds[i].fd);
	}
	if (!ret && h->nr_fds)
		ret = restore_nofile_room(ctx, fds[h->nr_fds - 1].fd);
	if (!ret)
		ret = __close_range(0, ~0U, 0);
	for (i = 0; i < h->nr_fds && !ret; i++) {
		ret = replace_fd(fds[i].fd, files[i],
				 fds[i].flags & CKPT_FD_CLOEXEC ? O_CLOEXEC : 0);
		if (ret < 0)
			ret = ckpt_err(ctx, ret, "cannot install fd %d", fds[i].fd);
		else
			ret = 0;
	}
	for (i = 0; i < h->nr_fds; i++)
		if (files[i])
			fput(files[i]);
	kvfree(files);
	return ret;
}

/*
 * The descriptor table is checked, and when restoring given to current,
 * as soon as it is read: the files it refers to were read before it.
 */
static void *ckpt_files_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_files *h = container_of(hdr, struct ckpt_hdr_files,
						h.h);
	int err;

	err = restore_check_files(ctx, h);
	if (!err && ckpt_restoring(ctx))
		err = restore_files(ctx, h);
	if (!err)
		err = restore_locks(ctx, NULL, -1, 0, h);
	if (err)
		return ERR_PTR(err);
	if (!ckpt_restoring(ctx))
		return ZERO_SIZE_PTR;
	/* Kept for the other tasks that share it. */
	ckpt_files_grab(current->files);
	return current->files;
}

static void ckpt_files_release(void *ptr)
{
	if (ptr != ZERO_SIZE_PTR)
		ckpt_files_drop(ptr);
}

static int restore_check_fs(struct ckpt_ctx *ctx, const struct ckpt_hdr_fs *h)
{
	const char *cwd = (const char *)(h + 1);
	const char *root = cwd + h->cwd_len;

	if (h->umask & ~0777)
		return ckpt_err(ctx, -EINVAL, "umask %#o", h->umask);
	if (h->cwd_len < 2 || h->cwd_len > CKPT_PATH_MAX ||
	    h->root_len < 2 || h->root_len > CKPT_PATH_MAX ||
	    h->h.h.len != sizeof(*h) + h->cwd_len + h->root_len)
		return ckpt_err(ctx, -EINVAL, "length %u does not match cwd_len %u and root_len %u",
				h->h.h.len, h->cwd_len, h->root_len);
	if (strnlen(cwd, h->cwd_len) != h->cwd_len - 1 || cwd[0] != '/' ||
	    strnlen(root, h->root_len) != h->root_len - 1 || root[0] != '/')
		return ckpt_err(ctx, -EINVAL, "paths are not absolute and NUL terminated");
	return ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad");
}

/* Look up a directory as chdir(2) would. */
static int restore_dir(struct ckpt_ctx *ctx, const char *name,
		       struct path *path)
{
	int err;

	err = kern_path(name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, path);
	if (!err) {
		err = path_permission(path, MAY_EXEC | MAY_CHDIR);
		if (err)
			path_put(path);
	}
	if (err)
		return ckpt_err(ctx, err, "cannot enter directory %s", name);
	return 0;
}

/* Both paths are resolved from the caller's root, then set. */
static int restore_fs(struct ckpt_ctx *ctx, const struct ckpt_hdr_fs *h)
{
	const char *cwd = (const char *)(h + 1);
	const char *root = cwd + h->cwd_len;
	struct path pwd, newroot;
	bool chroot = strcmp(root, "/");
	int err;

	err = restore_dir(ctx, cwd, &pwd);
	if (err)
		return err;
	if (chroot) {
		if (!ns_capable(current_user_ns(), CAP_SYS_CHROOT)) {
			path_put(&pwd);
			return ckpt_err(ctx, -EPERM,
					"the saved root %s needs CAP_SYS_CHROOT",
					root);
		}
		err = restore_dir(ctx, root, &newroot);
		if (err) {
			path_put(&pwd);
			return err;
		}
		set_fs_root(current->fs, &newroot);
		path_put(&newroot);
	}
	set_fs_pwd(current->fs, &pwd);
	path_put(&pwd);
	current->fs->umask = h->umask;
	return 0;
}

static void *ckpt_fs_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_fs *h = container_of(hdr, struct ckpt_hdr_fs, h.h);
	int err;

	err = restore_check_fs(ctx, h);
	if (!err && ckpt_restoring(ctx))
		err = restore_fs(ctx, h);
	if (err)
		return ERR_PTR(err);
	if (!ckpt_restoring(ctx))
		return ZERO_SIZE_PTR;
	/* Kept for the other tasks that share it. */
	ckpt_fs_grab(current->fs);
	return current->fs;
}

static void ckpt_fs_release(void *ptr)
{
	if (ptr != ZERO_SIZE_PTR)
		ckpt_fs_drop(ptr);
}

/**
 * ckpt_restore_task_files - give current the descriptor table and fs
 * @files:	the files object its task record names
 * @fs:		the fs object its task record names
 *
 * A task that read the objects itself has them already.  One that names
 * objects another task of the image read shares them, as after
 * clone(CLONE_FILES | CLONE_FS), and lets go of its own.
 */
void ckpt_restore_task_files(void *files, void *fs)
{
	struct files_struct *old_files = current->files;
	struct fs_struct *old_fs = current->fs;

	if (files != old_files) {
		ckpt_files_grab(files);
		task_lock(current);
		current->files = files;
		task_unlock(current);
		ckpt_files_drop(old_files);
	}
	if (fs != old_fs) {
		ckpt_fs_grab(fs);
		task_lock(current);
		current->fs = fs;
		task_unlock(current);
		ckpt_fs_drop(old_fs);
	}
}

/* Leak detection: see ckpt_obj_check_leaks() */
static unsigned long ckpt_file_users(void *ptr)
{
	struct file *file = ptr;

	return file_count(file) - 1;
}

static unsigned long ckpt_files_users(void *ptr)
{
	struct files_struct *files = ptr;

	return atomic_read(&files->count) - 1;
}

static unsigned long ckpt_fs_users(void *ptr)
{
	struct fs_struct *fs = ptr;
	unsigned long users;

	spin_lock(&fs->lock);
	users = fs->users - 1;
	spin_unlock(&fs->lock);
	return users;
}

const struct ckpt_obj_ops ckpt_file_ops = {
	.type = CKPT_HDR_FILE,
	.name = "file",
	.min_len = sizeof(struct ckpt_hdr_file),
	.max_len = sizeof(struct ckpt_hdr_file) +
		   CKPT_EPOLL_MAX_ITEMS * sizeof(struct ckpt_epoll_item),
	.grab = ckpt_file_grab,
	.drop = ckpt_file_drop,
	.checkpoint = ckpt_file_checkpoint,
	.restore = ckpt_file_restore,
	.release = ckpt_file_release,
	.users = ckpt_file_users,
};

const struct ckpt_obj_ops ckpt_pipe_ops = {
	.type = CKPT_HDR_PIPE,
	.name = "pipe",
	.min_len = sizeof(struct ckpt_hdr_pipe),
	.max_len = sizeof(struct ckpt_hdr_pipe) + CKPT_PIPE_MAX_SIZE,
	.grab = ckpt_obj_nop,
	.drop = ckpt_obj_nop,
	.checkpoint = ckpt_pipe_checkpoint,
	.restore = ckpt_pipe_restore,
	.release = ckpt_pipe_release,
};

const struct ckpt_obj_ops ckpt_files_ops = {
	.type = CKPT_HDR_FILES,
	.name = "files",
	.min_len = sizeof(struct ckpt_hdr_files),
	.max_len = sizeof(struct ckpt_hdr_files) +
		   CKPT_FILES_MAX * sizeof(struct ckpt_fd),
	.grab = ckpt_files_grab,
	.drop = ckpt_files_drop,
	.checkpoint = ckpt_files_checkpoint,
	.restore = ckpt_files_restore,
	.release = ckpt_files_release,
	.users = ckpt_files_users,
};

const struct ckpt_obj_ops ckpt_fs_ops = {
	.type = CKPT_HDR_FS,
	.name = "fs",
	.min_len = sizeof(struct ckpt_hdr_fs),
	.max_len = sizeof(struct ckpt_hdr_fs) + 2 * CKPT_PATH_MAX,
	.grab = ckpt_fs_grab,
	.drop = ckpt_fs_drop,
	.checkpoint = ckpt_fs_checkpoint,
	.restore = ckpt_fs_restore,
	.release = ckpt_fs_release,
	.users = ckpt_fs_users,
};

/*
 * A poll() or ppoll() that a checkpoint interrupted is continued by
 * restart_syscall(2) with do_restart_poll(), from the restart block,
 * which holds the end of the timeout as a CLOCK_MONOTONIC time.  The
 * image keeps the time that was left instead (see kernel/time/checkpoint.c).
 */
bool ckpt_poll_save(const struct restart_block *rb,
		    struct ckpt_hdr_restart_block *h)
{
	struct timespec64 end, now;
	s64 left;

	if (rb->fn != do_restart_poll)
		return false;

	h->kind = CKPT_RESTART_POLL;
	h->addr = (unsigned long)rb->poll.ufds;
	h->nfds = rb->poll.nfds;
	if (rb->poll.has_timeout) {
		end.tv_sec = rb->poll.tv_sec;
		end.tv_nsec = rb->poll.tv_nsec;
		ktime_get_ts64(&now);
		left = timespec64_to_ns(&end) - timespec64_to_ns(&now);
		h->flags = CKPT_RESTART_TIMEOUT;
		h->timeout_ns = left > 0 ? left : 0;
	}
	return true;
}

int ckpt_poll_restore(struct ckpt_ctx *ctx,
		      const struct ckpt_hdr_restart_block *h)
{
	struct restart_block *rb = &current->restart_block;
	struct timespec64 end, left;

	if (h->flags & ~CKPT_RESTART_TIMEOUT || h->clockid || h->val ||
	    h->bitset || h->nfds > INT_MAX || h->addr >= TASK_SIZE_MAX ||
	    (!(h->flags & CKPT_RESTART_TIMEOUT) && h->timeout_ns))
		return ckpt_err(ctx, -EINVAL, "bad poll restart block");
	if (!ckpt_restoring(ctx))
		return 0;

	rb->poll.ufds = u64_to_user_ptr(h->addr);
	rb->poll.nfds = h->nfds;
	rb->poll.has_timeout = !!(h->flags & CKPT_RESTART_TIMEOUT);
	if (rb->poll.has_timeout) {
		/* As poll_select_set_timeout() computes it. */
		left = ns_to_timespec64(min_t(u64, h->timeout_ns, KTIME_MAX));
		ktime_get_ts64(&end);
		end = timespec64_add_safe(end, left);
		rb->poll.tv_sec = end.tv_sec;
		rb->poll.tv_nsec = end.tv_nsec;
	}
	set_restart_fn(rb, do_restart_poll);
	return 0;
}
