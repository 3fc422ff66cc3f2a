/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart: interfaces between the core and the subsystems.
 *
 * The core (kernel/checkpoint/) owns the context, the record stream and
 * the object table.  A subsystem that saves an object kind provides a
 * pair of functions, one writing its records and one reading them back,
 * and describes the kind with a struct ckpt_obj_ops.
 */
#ifndef _LINUX_CHECKPOINT_H
#define _LINUX_CHECKPOINT_H

#include <uapi/linux/checkpoint.h>

#ifdef CONFIG_CHECKPOINT
long checkpoint_prctl(int option, unsigned long arg2, unsigned long arg3,
		      unsigned long arg4, unsigned long arg5);
#else
#include <linux/errno.h>

static inline long checkpoint_prctl(int option, unsigned long arg2,
				    unsigned long arg3, unsigned long arg4,
				    unsigned long arg5)
{
	return -EINVAL;
}
#endif

#ifdef CONFIG_CHECKPOINT

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/resource.h>
#include <linux/xarray.h>
#include <linux/types.h>

struct callback_head;
struct cred;
struct file;
struct task_struct;
struct pid;
struct pid_namespace;
struct net;
struct cgroup;
struct ckpt_park;
struct ckpt_open_files;
struct ckpt_pidns_map;

/* Which way the context is going. */
enum ckpt_dir {
	CKPT_DIR_CHECKPOINT,
	CKPT_DIR_RESTART,
};

/*
 * Restart: the limits, policy and nice value of a child of the caller,
 * which restored attributes are checked from (attrs.c).
 */
struct ckpt_attrs_base {
	struct rlimit rlim[RLIM_NLIMITS];
	int nice;
	u32 policy;
	u32 rt_priority;
};

/**
 * struct ckpt_ctx - state of one checkpoint(2) or restart(2) call
 * @dir:	checkpoint or restart
 * @flags:	the flags passed to the syscall
 * @file:	the image
 * @logfile:	where messages go, or NULL
 * @errmsg:	the first error logged, for the image's error record
 * @buf:	staging buffer for records (write) or read-ahead (read)
 * @buf_len:	bytes in @buf: pending output, or valid input
 * @buf_pos:	read side: next byte of the input to hand out
 * @win:	read side: where the input is: @buf, or the folio of the
 *		image's page cache that @win_folio holds
 * @win_folio:	read side: that folio, with a reference, or NULL
 * @pos:	bytes of the image produced or consumed so far
 * @nr_records:	records produced or consumed so far
 * @rec_start:	read side: offset of the record being parsed
 * @rec_type:	read side: type of the record being parsed
 * @obj_hash:	checkpoint side: object pointer -> objref
 * @obj_array:	restart side: objref -> object
 * @nr_objs:	objrefs allocated so far
 * @tasks:	checkpoint side: pinned tasks, parents before children
 * @park:	checkpoint side: how the running tasks are held still
 * @nr_tasks:	entries in @tasks (checkpoint) or @pids (restart)
 * @tasks_cap:	checkpoint side: room in @tasks
 * @pids:	the tree record's entries: read (restart) or written
 *		(checkpoint)
 * @refs:	restart side: objects of each task read so far, for its
 *		threads to be checked against
 * @root_pidns:	pid namespace in which pids are expressed
 * @cur_task:	index of the task whose records are read or written
 * @open_files:	checkpoint side: the files the tasks have open, once they
 *		are held (fs/checkpoint.c)
 */
struct ckpt_ctx {
	enum ckpt_dir dir;
	unsigned long flags;
	struct file *file;
	struct file *logfile;
	char *errmsg;

	void *buf;
	size_t buf_len;
	size_t buf_pos;
	const void *win;
	struct folio *win_folio;
	u64 pos;
	u64 nr_records;
	u64 rec_start;
	u32 rec_type;

	DECLARE_HASHTABLE(obj_hash, 8);
	struct xarray obj_array;
	u32 nr_objs;

	struct task_struct **tasks;
	unsigned int nr_tasks;
	unsigned int tasks_cap;
	struct ckpt_park *park;
	struct ckpt_pids *pids;
	struct ckpt_task_refs *refs;
	struct mutex pids_lock;	/* restart: giving out refs[].pid */
	struct pid_namespace *root_pidns;
	struct ckpt_pidns_map *pidns;	/* both: nested pid namespaces */
	struct pid *set;	/* checkpoint: the group or session saved */
	int set_type;		/* its PIDTYPE_PGID or PIDTYPE_SID */
	unsigned int cur_task;
	unsigned int nr_sghosts;	/* restart: sessions whose leader exited */
	int cgroup_fd;		/* restart: RESTART_CGROUP */
	struct ckpt_hdr_namespaces *ns;	/* restart: the namespaces record */
	struct ckpt_hdr_net *netcfg;	/* restart: its network namespace */
	struct cgroup *cgroup;	/* checkpoint: CHECKPOINT_SCOPE_CGROUP */
	struct ckpt_notify_req *notify;	/* checkpoint: processes told */
	struct pid *caller;	/* restart: the process of the caller */
	unsigned int inflight_depth;	/* checkpoint: files in flight nested */
	struct ckpt_open_files *open_files;	/* checkpoint: of the tasks */
	/*
	 * Checkpoint: the network namespace of the tasks, compared by
	 * address only.  Both: whether the image holds it (CKPT_NS_NET),
	 * which restart made anew.
	 */
	struct net *net;
	bool own_net;
	/* Checkpoint: the IPC namespace of the tasks if the image has it. */
	struct ipc_namespace *ipc;
	/* Restart: the attributes a child of the caller starts with. */
	struct ckpt_attrs_base base;
};

/*
 * Restart: what the threads of a process must share with its leader, a
 * process with its parent (ckpt_pids.flags).
 */
struct ckpt_task_refs {
	u32 mm;
	u32 sighand;
	u32 signal;
	unsigned int parent;	/* index of its parent's leader, if saved */
	bool creates;		/* has children or threads in the image */
	bool vfork_waits;	/* for a child of CKPT_PIDS_VFORK */
	pid_t ghost_pgid;	/* first member of this group, which has no leader */
	/*
	 * A process of a session whose leader exited, whose parent is in
	 * another session: it is created by the stand-in leader number
	 * sghost (from 1) of that session.
	 */
	unsigned int sghost;
	struct pid *pid;	/* its pid, once created or given out */
	bool reserved;		/* given out for a pidfd; not a task's yet */
};

/**
 * struct ckpt_obj_ops - one kind of shared object
 * @type:	record type that defines the object
 * @name:	for messages
 * @min_len:	smallest valid defining record
 * @max_len:	largest valid defining record
 * @grab:	checkpoint: take a reference on the kernel object
 * @drop:	checkpoint: drop the reference taken by @grab
 * @checkpoint:	write the defining record; the objref is already set
 * @restore:	check the defining record, whose framing and objref the core
 *		has checked, and build the object; return it with a reference
 * @release:	restart: drop the object returned by @restore
 * @users:	checkpoint, optional: how many references to the object
 *		there are, besides the one @grab took; each use in the image
 *		accounts for one, a reference from outside is a leak
 * @account:	checkpoint, optional: account with ckpt_obj_account() for
 *		the references the object holds to others of the image
 * @finish:	restart, optional: complete the object once every task of
 *		the image exists and is in its process group, before any
 *		of them runs; called by the caller of restart(2)
 * @commit:	restart, optional: the restart succeeded; give the object's
 *		tasks what they take on before any of them runs, called by
 *		the caller of restart(2)
 * @kill:	checkpoint, optional: the image is written and its tasks
 *		are about to be killed (CHECKPOINT_KILL)
 */
struct ckpt_obj_ops {
	enum ckpt_type type;
	const char *name;
	size_t min_len;
	size_t max_len;
	void (*grab)(void *ptr);
	void (*drop)(void *ptr);
	int (*checkpoint)(struct ckpt_ctx *ctx, void *ptr, u32 objref);
	void *(*restore)(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
	void (*release)(void *ptr);
	unsigned long (*users)(void *ptr);
	void (*account)(struct ckpt_ctx *ctx, void *ptr);
	int (*finish)(struct ckpt_ctx *ctx, void *ptr);
	void (*commit)(struct ckpt_ctx *ctx, void *ptr);
	void (*kill)(struct ckpt_ctx *ctx, void *ptr);
};

extern const struct ckpt_obj_ops ckpt_cred_ops;
extern const struct ckpt_obj_ops ckpt_mm_ops;
extern const struct ckpt_obj_ops ckpt_shmem_ops;
extern const struct ckpt_obj_ops ckpt_shmem_hugetlb_ops;
extern const struct ckpt_obj_ops ckpt_memfd_ops;
extern const struct ckpt_obj_ops ckpt_sighand_ops;
extern const struct ckpt_obj_ops ckpt_signal_ops;
extern const struct ckpt_obj_ops ckpt_file_ops;
extern const struct ckpt_obj_ops ckpt_pipe_ops;
extern const struct ckpt_obj_ops ckpt_files_ops;
extern const struct ckpt_obj_ops ckpt_fs_ops;
extern const struct ckpt_obj_ops ckpt_unix_pair_ops;
extern const struct ckpt_obj_ops ckpt_tcp_ops;
extern const struct ckpt_obj_ops ckpt_tcp_accept_ops;
extern const struct ckpt_obj_ops ckpt_pty_ops;
extern const struct ckpt_obj_ops ckpt_ipc_shm_ops;
extern const struct ckpt_obj_ops ckpt_ipc_msg_ops;
extern const struct ckpt_obj_ops ckpt_ipc_sem_ops;
extern const struct ckpt_obj_ops ckpt_ipc_undo_ops;
extern const struct ckpt_obj_ops ckpt_ipc_mq_ns_ops;
extern const struct ckpt_obj_ops ckpt_ipc_mq_ops;

/* Messages to the log fd; never include kernel addresses. */
__printf(2, 3) void ckpt_msg(struct ckpt_ctx *ctx, const char *fmt, ...);
__printf(3, 4) int ckpt_err(struct ckpt_ctx *ctx, int err,
			    const char *fmt, ...);

/* Writing records */
void *ckpt_hdr_alloc(size_t len, enum ckpt_type type);
void *ckpt_hdr_alloc_data(size_t len, size_t data, enum ckpt_type type);
int ckpt_write(struct ckpt_ctx *ctx, const void *data, size_t len);
int ckpt_write_record(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int ckpt_flush(struct ckpt_ctx *ctx);

/* Reading records */
void *ckpt_read_record(struct ckpt_ctx *ctx, enum ckpt_type type,
		       size_t min_len, size_t max_len);
void *ckpt_read_record_head(struct ckpt_ctx *ctx, enum ckpt_type type,
			    size_t head_len, size_t max_len, u32 *payload);
int ckpt_read_payload(struct ckpt_ctx *ctx, void *dst, size_t len, bool last);
int ckpt_write_page_run(struct ckpt_ctx *ctx, struct page **pages,
			unsigned int nr);
int ckpt_read_page_run(struct ckpt_ctx *ctx, struct page **pages,
		       unsigned int nr, bool last);
int ckpt_peek_type(struct ckpt_ctx *ctx, u32 *type);
int ckpt_check_zero(struct ckpt_ctx *ctx, const void *p, size_t len,
		    const char *field);
int ckpt_check_string(struct ckpt_ctx *ctx, const char *s, size_t len,
		      const char *field);
const char *ckpt_type_name(u32 type);

/* Objects */
int ckpt_obj_checkpoint(struct ckpt_ctx *ctx, void *ptr,
			const struct ckpt_obj_ops *ops, u32 *objref);
int ckpt_obj_add(struct ckpt_ctx *ctx, void *ptr,
		 const struct ckpt_obj_ops *ops, u32 *objref);
void ckpt_obj_nop(void *ptr);
int ckpt_obj_lookup(struct ckpt_ctx *ctx, void *ptr,
		    const struct ckpt_obj_ops *ops, u32 *objref);
int ckpt_obj_restore(struct ckpt_ctx *ctx);
void ckpt_obj_kill_all(struct ckpt_ctx *ctx);
void *ckpt_obj_fetch(struct ckpt_ctx *ctx, u32 objref,
		     const struct ckpt_obj_ops *ops, const char *field);
void *ckpt_obj_peek(struct ckpt_ctx *ctx, u32 objref,
		    const struct ckpt_obj_ops *ops);
const struct ckpt_obj_ops *ckpt_obj_ops_find(u32 type);
void ckpt_obj_account(struct ckpt_ctx *ctx, void *ptr);
unsigned int ckpt_obj_first_task(struct ckpt_ctx *ctx, void *ptr);
int ckpt_obj_check_leaks(struct ckpt_ctx *ctx);
unsigned int ckpt_obj_owner(struct ckpt_ctx *ctx, u32 objref);
int ckpt_obj_finish_all(struct ckpt_ctx *ctx);
void ckpt_obj_commit_all(struct ckpt_ctx *ctx);
void ckpt_obj_release_all(struct ckpt_ctx *ctx);

/*
 * Containers: the tasks of a frozen cgroup.  Nothing of theirs may be
 * shared with a task outside.
 */
static inline bool ckpt_container(const struct ckpt_ctx *ctx)
{
	return (ctx->flags & CHECKPOINT_SCOPE_MASK) == CHECKPOINT_SCOPE_CGROUP;
}

#ifdef CONFIG_CGROUPS
struct task_struct *ckpt_cgroup_root(struct ckpt_ctx *ctx, int fd);
int ckpt_cgroup_check(struct ckpt_ctx *ctx);
void ckpt_cgroup_put(struct ckpt_ctx *ctx);
bool ckpt_cgroup_freezing(void);
#else
static inline struct task_struct *ckpt_cgroup_root(struct ckpt_ctx *ctx, int fd)
{
	return ERR_PTR(ckpt_err(ctx, -EOPNOTSUPP, "no cgroups in this kernel"));
}

static inline int ckpt_cgroup_check(struct ckpt_ctx *ctx)
{
	return 0;
}

static inline void ckpt_cgroup_put(struct ckpt_ctx *ctx)
{
}

static inline bool ckpt_cgroup_freezing(void)
{
	return false;
}
#endif

/* Namespaces of the tasks, after the tree */
int ckpt_write_namespaces(struct ckpt_ctx *ctx);
int ckpt_read_namespaces(struct ckpt_ctx *ctx);
int ckpt_restore_namespaces(struct ckpt_ctx *ctx);

/* Credentials */
int ckpt_cred_may_restore(struct ckpt_ctx *ctx, const struct cred *new);

/* Address spaces: the objects an mm refers to, before it */
int ckpt_mm_prepare(struct ckpt_ctx *ctx, struct mm_struct *mm);

/* Shmem objects' pages: shared memory, memfds, SysV segments */
int ckpt_write_shmem_pages(struct ckpt_ctx *ctx, struct inode *inode);
int restore_shmem_contents(struct ckpt_ctx *ctx, struct file *file, u64 size);

/*
 * SysV IPC: the objects of an IPC namespace of the image, after the
 * namespaces record, and the mappings of shared memory segments.
 */
struct ipc_namespace;
#ifdef CONFIG_SYSVIPC
int ckpt_write_ipc(struct ckpt_ctx *ctx, struct ipc_namespace *ns);
int ckpt_write_sem_undo(struct ckpt_ctx *ctx, struct task_struct *t);
bool ckpt_file_sysvshm(struct file *file);
int ckpt_sysvshm_vma(struct ckpt_ctx *ctx, struct file *file,
		     unsigned long start, unsigned long end,
		     unsigned long pgoff, unsigned long vm_flags, u32 *objref);
int restore_check_sysvshm(struct ckpt_ctx *ctx, u32 shm_ref, u64 start,
			  u64 end, u32 flags);
int restore_sysvshm(struct ckpt_ctx *ctx, u32 shm_ref, u64 start, u32 flags);
#else
static inline int ckpt_write_ipc(struct ckpt_ctx *ctx,
				 struct ipc_namespace *ns)
{
	return 0;
}

static inline int ckpt_write_sem_undo(struct ckpt_ctx *ctx,
				      struct task_struct *t)
{
	return 0;
}

static inline bool ckpt_file_sysvshm(struct file *file)
{
	return false;
}

static inline int ckpt_sysvshm_vma(struct ckpt_ctx *ctx, struct file *file,
				   unsigned long start, unsigned long end,
				   unsigned long pgoff, unsigned long vm_flags,
				   u32 *objref)
{
	return -EOPNOTSUPP;
}

static inline int restore_check_sysvshm(struct ckpt_ctx *ctx, u32 shm_ref,
					u64 start, u64 end, u32 flags)
{
	return ckpt_err(ctx, -EOPNOTSUPP, "no SysV IPC in this kernel");
}

static inline int restore_sysvshm(struct ckpt_ctx *ctx, u32 shm_ref,
				  u64 start, u32 flags)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * The status flags that fcntl(F_SETFL) may give a file that restart
 * makes anew rather than opens by path, besides its access mode: an
 * eventfd, signalfd, timerfd, epoll, socket or inotify.  (O_ASYNC is
 * refused.)
 */
#define CKPT_ANON_FLAGS		(O_NONBLOCK | O_APPEND | O_NOATIME)

/*
 * Inotify instances: the watches and queued events of one follow the
 * record of its file (fs/notify/inotify/checkpoint.c).
 */
struct ckpt_inotify_snap;

#ifdef CONFIG_INOTIFY_USER
bool ckpt_file_inotify(struct file *file);
struct ckpt_inotify_snap *ckpt_inotify_save(struct ckpt_ctx *ctx,
					    struct file *file,
					    struct ckpt_inotify *in);
int ckpt_write_inotify(struct ckpt_ctx *ctx, struct ckpt_inotify_snap *snap);
void ckpt_inotify_free(struct ckpt_inotify_snap *snap);
int restore_check_inotify(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *h);
struct file *restore_inotify(struct ckpt_ctx *ctx,
			     const struct ckpt_hdr_file *h);
#else
static inline bool ckpt_file_inotify(struct file *file)
{
	return false;
}

static inline struct ckpt_inotify_snap *
ckpt_inotify_save(struct ckpt_ctx *ctx, struct file *file,
		  struct ckpt_inotify *in)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int ckpt_write_inotify(struct ckpt_ctx *ctx,
				     struct ckpt_inotify_snap *snap)
{
	return 0;
}

static inline void ckpt_inotify_free(struct ckpt_inotify_snap *snap)
{
}

static inline int restore_check_inotify(struct ckpt_ctx *ctx,
					const struct ckpt_hdr_file *h)
{
	return ckpt_err(ctx, -EOPNOTSUPP, "no inotify in this kernel");
}

static inline struct file *restore_inotify(struct ckpt_ctx *ctx,
					   const struct ckpt_hdr_file *h)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

/*
 * POSIX message queues: those of an IPC namespace of the image, after
 * its SysV objects, and the descriptors open on queues.
 */
struct ckpt_hdr_file;

/* The status flags of a queue's descriptor: mq_open(3) passes its own on. */
#define CKPT_MQ_FILE_FLAGS						\
	(O_ACCMODE | O_NONBLOCK | O_APPEND | O_DSYNC | O_SYNC |	\
	 O_LARGEFILE | O_NOATIME)

#ifdef CONFIG_POSIX_MQUEUE
int ckpt_write_mqueues(struct ckpt_ctx *ctx, struct ipc_namespace *ns);
bool ckpt_file_mqueue(struct file *file);
int ckpt_mq_file_save(struct ckpt_ctx *ctx, struct file *file, char *path,
		      u32 *ref);
int restore_check_mq_file(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *h);
struct file *restore_mq_file(struct ckpt_ctx *ctx,
			     const struct ckpt_hdr_file *h);
#else
static inline int ckpt_write_mqueues(struct ckpt_ctx *ctx,
				     struct ipc_namespace *ns)
{
	return 0;
}

static inline bool ckpt_file_mqueue(struct file *file)
{
	return false;
}

static inline int ckpt_mq_file_save(struct ckpt_ctx *ctx, struct file *file,
				    char *path, u32 *ref)
{
	return -EOPNOTSUPP;
}

static inline int restore_check_mq_file(struct ckpt_ctx *ctx,
					const struct ckpt_hdr_file *h)
{
	return ckpt_err(ctx, -EOPNOTSUPP,
			"no POSIX message queues in this kernel");
}

static inline struct file *restore_mq_file(struct ckpt_ctx *ctx,
					   const struct ckpt_hdr_file *h)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

/* Memfds, which open files and mappings share */
bool ckpt_file_memfd(struct file *file);
bool ckpt_file_unlinked(struct file *file);
int ckpt_memfd_save(struct ckpt_ctx *ctx, struct file *file, u32 *objref);
struct file *ckpt_memfd_open(struct ckpt_ctx *ctx, u32 objref, int flags);

/* Tasks */
int ckpt_collect_tasks(struct ckpt_ctx *ctx, struct task_struct *root);
struct task_struct *ckpt_vfork_child(struct task_struct *t);
bool ckpt_vfork_return(struct ckpt_ctx *ctx, long *ret);
int ckpt_check_vforks(struct ckpt_ctx *ctx);
int ckpt_check_held_vforks(struct ckpt_ctx *ctx);
int ckpt_check_own(struct ckpt_ctx *ctx, u32 flag, const char *what);
int ckpt_write_tree(struct ckpt_ctx *ctx);
struct task_struct *ckpt_image_parent(struct ckpt_ctx *ctx, unsigned int i);
int ckpt_write_task(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_read_tree(struct ckpt_ctx *ctx);
struct ckpt_task_finish;
int ckpt_read_task(struct ckpt_ctx *ctx, unsigned int index,
		   struct ckpt_task_finish *fin);
void ckpt_task_finish(struct ckpt_task_finish *fin, bool commit);
int ckpt_check_sessions(struct ckpt_ctx *ctx);
int ckpt_restore_session(struct ckpt_ctx *ctx, unsigned int index);
int ckpt_restore_pgrp(struct ckpt_ctx *ctx, unsigned int index,
		      struct pid *pid);
bool ckpt_pid_saved(struct ckpt_ctx *ctx, struct pid *pid,
		    enum pid_type type);
int ckpt_check_pid_ref(struct ckpt_ctx *ctx, pid_t nr, bool thread);
struct pid *ckpt_restore_pid(struct ckpt_ctx *ctx, pid_t nr);
struct pid *ckpt_reaped_pid(struct ckpt_ctx *ctx);
struct pid *ckpt_task_pid(struct ckpt_ctx *ctx, pid_t nr);
pid_t ckpt_task_vnr(struct ckpt_ctx *ctx, pid_t nr);
int ckpt_pidns_pidfd(struct ckpt_ctx *ctx, struct pid *pid);
int switch_pid_ns_for_children(struct pid_namespace *ns);
void ckpt_put_pids(struct ckpt_ctx *ctx);

/*
 * Whether a restart rebuilds tasks, as opposed to only checking the
 * image (RESTART_VALIDATE).  When it does, the records of a task are
 * read by that task itself, which restart(2) created, and the restore
 * functions apply them to current.
 */
static inline bool ckpt_restoring(const struct ckpt_ctx *ctx)
{
	return ctx->dir == CKPT_DIR_RESTART && !(ctx->flags & RESTART_VALIDATE);
}

/* Task attributes: the last record of a task */
struct ckpt_attrs_late {
	int pdeath_signal;
	bool dumpable;
	bool no_new_privs;
};

/*
 * Signal state a restored task takes on last: its mask, and a SIGKILL
 * that was pending for it or its process (queued during restart, it
 * would end it; queued by the caller before the task is committed, it
 * would end it as a failed restart would).
 */
#define CKPT_SIGNALS_LATE_MAX	2	/* own, shared */
struct ckpt_signals_late {
	sigset_t blocked;
	unsigned int nr;
	kernel_siginfo_t info[CKPT_SIGNALS_LATE_MAX];
	bool shared[CKPT_SIGNALS_LATE_MAX];
};

/**
 * struct ckpt_task_finish - what a restored task takes on last
 * @work:	architecture work to run on the way to user mode
 * @cred:	its credentials: until they are set, it acts with the
 *		rights of the caller of restart(2)
 * @signals:	its signal mask (until it is set, all signals are blocked,
 *		so that the task can create the tasks of the image it is
 *		the parent of, and no signal cuts its restart short), and
 *		a pending SIGKILL
 * @late:	attributes that depend on the credentials
 * @exit_signal: the signal its parent gets when it exits
 * @zombie:	it is to exit, with @exit_code, as soon as it is made
 * @exit_code:	the exit status of a zombie
 * @ready_ret:	if not 0, what the thread that waited in
 *		PR_CHECKPOINT_READY returns from it
 * @notify:	the registration of a process that had one
 *
 * These are given only once the whole image has been read and applied.
 */
struct ckpt_task_finish {
	struct callback_head *work;
	struct cred *cred;
	struct ckpt_signals_late signals;
	struct ckpt_attrs_late late;
	int exit_signal;
	bool zombie;
	int exit_code;
	long ready_ret;
	struct ckpt_notify *notify;
};

/* Processes that asked to be told of checkpoints (callbacks.rst) */
struct ckpt_notify;
bool ckpt_notify_waiting(struct ckpt_ctx *ctx, struct task_struct *t);
bool ckpt_notify_omitted(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_notify_signal(struct pid *tgid);
int ckpt_signal_notify(const void *shared);
struct ckpt_notify *ckpt_notify_prepare(struct ckpt_ctx *ctx, int sig);
void ckpt_notify_commit(struct ckpt_notify *n, bool commit);

int ckpt_write_task_attrs(struct ckpt_ctx *ctx, struct task_struct *t);
void ckpt_task_attrs_base(struct ckpt_ctx *ctx);
int ckpt_read_task_attrs(struct ckpt_ctx *ctx, struct ckpt_attrs_late *late);
void ckpt_task_attrs_late(const struct ckpt_attrs_late *late);

/* Files of other subsystems, saved and rebuilt beside them */
#ifdef CONFIG_EVENTFD
int eventfd_checkpoint(struct file *file, u64 *count, unsigned int *flags);
struct file *eventfd_restore(u64 count, unsigned int flags);
#else
static inline int eventfd_checkpoint(struct file *file, u64 *count,
				     unsigned int *flags)
{
	return -EINVAL;
}

static inline struct file *eventfd_restore(u64 count, unsigned int flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

#ifdef CONFIG_SIGNALFD
int signalfd_checkpoint(struct file *file, u64 *mask);
struct file *signalfd_restore(u64 mask, unsigned int flags);
#else
static inline int signalfd_checkpoint(struct file *file, u64 *mask)
{
	return -EINVAL;
}

static inline struct file *signalfd_restore(u64 mask, unsigned int flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

/*
 * Sockets (net/checkpoint.c, net/unix/checkpoint.c) and network
 * namespaces (net/core/checkpoint.c)
 */
struct socket;
struct sock;
int ckpt_sock_prepare(struct ckpt_ctx *ctx, struct file *file);
int ckpt_sock_save(struct ckpt_ctx *ctx, struct file *file,
		   struct ckpt_socket *s);
int ckpt_sock_check(struct ckpt_ctx *ctx, const struct ckpt_socket *s);
struct file *ckpt_sock_restore(struct ckpt_ctx *ctx,
			       const struct ckpt_socket *s);
struct ckpt_hdr_net *ckpt_net_save(struct ckpt_ctx *ctx, struct net *net);
int ckpt_net_read(struct ckpt_ctx *ctx);
int ckpt_net_restore(struct ckpt_ctx *ctx, u32 flags, struct net *outer);
int ckpt_unix_describe(struct ckpt_ctx *ctx, struct socket *sock,
		       struct ckpt_socket *s, struct sock **key);
int ckpt_unix_prepare(struct ckpt_ctx *ctx, struct sock *key);
int ckpt_unix_socketpair(int type, struct file *files[2]);
int ckpt_unix_pair_take(struct ckpt_ctx *ctx, const struct ckpt_socket *s,
			struct file **file);
struct file *ckpt_unix_reset(int type);
struct sockaddr_un;
int ckpt_unix_unlink_stale(int type, const struct sockaddr_un *sun, int len);

#ifdef CONFIG_TIMERFD
int timerfd_checkpoint(struct file *file, struct ckpt_timerfd *t);
struct file *timerfd_restore(const struct ckpt_timerfd *t, int flags);
#else
static inline int timerfd_checkpoint(struct file *file, struct ckpt_timerfd *t)
{
	return -EINVAL;
}

static inline struct file *timerfd_restore(const struct ckpt_timerfd *t,
					   int flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

/* An item of an epoll's interest list, with a reference on its file. */
struct ckpt_epoll_target {
	struct file *file;
	int fd;
	u32 events;
	u64 data;
};

#ifdef CONFIG_EPOLL
int eventpoll_checkpoint(struct file *file, struct ckpt_epoll_target *items,
			 unsigned int max);
struct file *eventpoll_restore(void);
int eventpoll_restore_add(struct file *file, struct file *tfile, int fd,
			  u32 events, u64 data);
#else
static inline int eventpoll_checkpoint(struct file *file,
				       struct ckpt_epoll_target *items,
				       unsigned int max)
{
	return -EINVAL;
}

static inline struct file *eventpoll_restore(void)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int eventpoll_restore_add(struct file *file, struct file *tfile,
					int fd, u32 events, u64 data)
{
	return -EOPNOTSUPP;
}
#endif

/* Files: the descriptor table and fs_struct of a task */
int ckpt_open_files_take(struct ckpt_ctx *ctx);
void ckpt_open_files_put(struct ckpt_ctx *ctx);
bool ckpt_file_in_tasks(struct ckpt_ctx *ctx, struct file *file);
bool ckpt_file_match_in_tasks(struct ckpt_ctx *ctx,
			      bool (*match)(struct file *, const void *),
			      const void *arg);
int ckpt_file_save_inflight(struct ckpt_ctx *ctx, struct file *file,
			    u32 *objref);
struct file *ckpt_file_inflight(struct ckpt_ctx *ctx, u32 objref);
struct file *ckpt_open_path(struct ckpt_ctx *ctx, const char *path, int flags,
			    bool (*same)(const struct inode *, const void *),
			    const void *arg);
int ckpt_task_files(struct ckpt_ctx *ctx, struct task_struct *t,
		    u32 *files_ref, u32 *fs_ref);
void ckpt_restore_task_files(void *files, void *fs);

/* Pseudo-terminals whose master is saved, made anew at restart */
struct ckpt_hdr_file;
struct ckpt_pty_file;
#ifdef CONFIG_UNIX98_PTYS
int ckpt_pty_kind(struct ckpt_ctx *ctx, struct file *file);
int ckpt_pty_prepare(struct ckpt_ctx *ctx, struct file *file);
int ckpt_pty_save(struct ckpt_ctx *ctx, struct file *file,
		  struct ckpt_pty_file *p, u32 *objref);
int restore_check_pty_file(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *h);
struct file *restore_pty_file(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_file *h);
#else
static inline int ckpt_pty_kind(struct ckpt_ctx *ctx, struct file *file)
{
	return 0;
}

static inline int ckpt_pty_prepare(struct ckpt_ctx *ctx, struct file *file)
{
	return -EOPNOTSUPP;
}

static inline int ckpt_pty_save(struct ckpt_ctx *ctx, struct file *file,
				struct ckpt_pty_file *p, u32 *objref)
{
	return -EOPNOTSUPP;
}

static inline int restore_check_pty_file(struct ckpt_ctx *ctx,
					 const struct ckpt_hdr_file *h)
{
	return ckpt_err(ctx, -EOPNOTSUPP, "no Unix 98 ptys in this kernel");
}

static inline struct file *restore_pty_file(struct ckpt_ctx *ctx,
					    const struct ckpt_hdr_file *h)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

/* Signals: the records that follow the architecture records */
struct ckpt_posix_timers;
int ckpt_write_task_signals(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_read_task_signals(struct ckpt_ctx *ctx, void *signal, bool leader,
			   struct ckpt_posix_timers *timers,
			   struct ckpt_signals_late *late);
void ckpt_task_signals_commit(struct ckpt_signals_late *late);

/* POSIX timers of a process, before the signals of its leader */
int ckpt_write_posix_timers(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_read_posix_timers(struct ckpt_ctx *ctx, bool leader,
			   struct ckpt_posix_timers **timersp);
bool ckpt_posix_timer_queue(struct ckpt_posix_timers *timers,
			    const kernel_siginfo_t *info);
int ckpt_posix_timers_start(struct ckpt_ctx *ctx,
			    struct ckpt_posix_timers *timers);
void ckpt_posix_timers_free(struct ckpt_posix_timers *timers);

/*
 * System calls continued by restart_syscall(2): each subsystem saves the
 * restart block of its own calls, and sets current's from a record.
 */
struct restart_block;
bool ckpt_nanosleep_save(const struct restart_block *rb,
			 struct ckpt_hdr_restart_block *h);
int ckpt_nanosleep_restore(struct ckpt_ctx *ctx,
			   const struct ckpt_hdr_restart_block *h);
bool ckpt_poll_save(const struct restart_block *rb,
		    struct ckpt_hdr_restart_block *h);
int ckpt_poll_restore(struct ckpt_ctx *ctx,
		      const struct ckpt_hdr_restart_block *h);
#ifdef CONFIG_FUTEX
bool ckpt_futex_wait_save(const struct restart_block *rb,
			  struct ckpt_hdr_restart_block *h);
int ckpt_futex_wait_restore(struct ckpt_ctx *ctx,
			    const struct ckpt_hdr_restart_block *h);
#else
static inline bool ckpt_futex_wait_save(const struct restart_block *rb,
					struct ckpt_hdr_restart_block *h)
{
	return false;
}

static inline int ckpt_futex_wait_restore(struct ckpt_ctx *ctx,
					  const struct ckpt_hdr_restart_block *h)
{
	return ckpt_err(ctx, -EOPNOTSUPP, "futex wait: no futexes in this kernel");
}
#endif

/* Architecture: records that follow each task record */
int ckpt_write_arch(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_read_arch(struct ckpt_ctx *ctx, struct callback_head **finish);
void ckpt_arch_set_return(struct callback_head *finish, long ret);
int ckpt_arch_map_vdso(u64 vvar_start, u64 vvar_end, u64 vdso_start,
		       u64 vdso_end);

#endif /* CONFIG_CHECKPOINT */

#endif /* _LINUX_CHECKPOINT_H */
