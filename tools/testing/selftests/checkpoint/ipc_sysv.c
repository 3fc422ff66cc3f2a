// SPDX-License-Identifier: GPL-2.0
/*
 * SysV IPC objects of a container.  The root of the checkpointed tree
 * unshares an IPC namespace (CLONE_NEWIPC), so that the image holds the
 * namespace with its objects, and makes in it:
 *
 *  - A: IPC_PRIVATE, 3 pages and 100 bytes, mode 0640; the root writes
 *    page 0 and the 100 bytes of page 3, its child attaches A too and
 *    writes page 2, page 1 is never touched (a hole);
 *  - B: key 0x5eed0001, 1 MiB, mode 0660, four pages written; attached
 *    twice by the root, read-write and SHM_RDONLY;
 *  - C: key 0x5eed0002, 2 pages and a byte, mode 0604; written, then
 *    detached;
 *  - D: key 0x5eed0004, 2 pages, mode 0600; attached, written, then
 *    removed with IPC_RMID while attached;
 *  - Q: message queue of key 0x5eed0003, mode 0600, msg_qbytes lowered
 *    to 13000, holding five messages of types 1, 2, 3, 2, 7 and of 0, 1,
 *    100, 4096 and 8000 bytes;
 *  - S: IPC_PRIVATE set of five semaphores, mode 0664, of values 0, 1,
 *    2, 100 and 32767; S2: key 0x5eed0005, three semaphores, mode 0660;
 *    S3: IPC_PRIVATE, two semaphores, mode 0640.
 * A segment, a queue and a set made and removed first give them other
 * ids than the first ones of a namespace.
 *
 * The child has a second thread and an undo list (SEM_UNDO) that the
 * two share: both did semop()s with SEM_UNDO on S and S2, the child
 * two on S3 that cancel out, in an order that puts the entries of its
 * list in neither the order of the ids nor its reverse.
 *
 * The tree goes on after the checkpoint, or is killed and restarted, or
 * restarted twice from one image.  Each time the root then checks and
 * reports: the ids (by key, or by IPC_STAT of the saved id), IPC_STAT of
 * each object, the totals of the namespace (SHM_INFO, MSG_INFO,
 * SEM_INFO), each attachment in /proc/self/maps (the inode is the id)
 * and every byte of it, B's two attachments being one memory of which
 * the read-only one faults on a write, D removed (key 0, not found by
 * key) but usable until its shmdt() and gone after it, the messages as
 * msgrcv() returns them by type and msg_qbytes enforced, the semaphore
 * values, a semop() that works and two that must fail.  Then root and
 * child each write a word to A that the other must see.  The child
 * finds the semaphore values as the root left them; its thread does one
 * more semop() with SEM_UNDO and exits, which must undo nothing (the
 * list is the child's too); the child exits, and the root finds every
 * adjustment of the list applied: the values are those it set, with
 * its own semop() on S.  The image is checked too: the records of the
 * objects, their pages (not A's hole, not B's untouched pages), the
 * CKPT_VMA_SYSVSHM mappings, and the child's undo list, one
 * CKPT_HDR_IPC_SEM_UNDO object with a CKPT_HDR_IPC_SEM_ADJ record per
 * set by increasing id, right before the child's task record.
 *
 * Refused with EOPNOTSUPP and a message naming the object, the target
 * running on unharmed: a task with SEM_UNDO entries on a set of our IPC
 * namespace (applied at its exit), an attachment of a segment of our
 * IPC namespace, an attachment of which a page was unmapped or
 * mprotect()ed or that was mprotect()ed whole, a segment locked with
 * SHM_LOCK, attached or not.  What they made in our namespace is
 * removed.
 */
#include <assert.h>
#include <limits.h>
#include <setjmp.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		100
#define RES_FD		101
#define KEY_B		0x5eed0001
#define KEY_C		0x5eed0002
#define KEY_Q		0x5eed0003
#define KEY_D		0x5eed0004
#define KEY_S2		0x5eed0005
#define A_HOLE		1	/* the page of A nobody touches */
#define A_KID_PAGE	2	/* the page of A the child writes */
#define B_SIZE		(1024 * 1024)
#define NR_MSGS		5
#define MSG_MAX		8000
#define MSG_BYTES	(0 + 1 + 100 + 4096 + 8000)
#define Q_QBYTES	13000
#define Q_MODE		0600
#define NR_SEMS		5	/* of S, the largest set */
#define S_MODE		0664
#define SEMVMX		32767
#define TOKEN_ROOT	0x600dcafeu
#define TOKEN_KID	0x5eedbeefu
#define TOKEN_ROOT_OFF	(A_HOLE * psz)
#define TOKEN_KID_OFF	(A_HOLE * psz + 64)
#define WAIT_MS		30000
#define THREAD_MS	5000	/* the child's waits for its thread: less */

/* The segments, and the salt of their bytes. */
enum { SEG_A, SEG_B, SEG_C, SEG_D, NR_SEGS };
/* The root's attachments. */
enum { MAP_A, MAP_B_RW, MAP_B_RO, MAP_D, NR_MAPS };

static const int seg_key[NR_SEGS] = { IPC_PRIVATE, KEY_B, KEY_C, KEY_D };
static const unsigned int seg_mode[NR_SEGS] = { 0640, 0660, 0604, 0600 };
static const int seg_nattch[NR_SEGS] = { 2, 2, 0, 1 };
static const int map_seg[NR_MAPS] = { SEG_A, SEG_B, SEG_B, SEG_D };
static const char *const map_name[NR_MAPS] = { "A", "B", "B read-only", "D" };
static const int b_pages[] = { 0, 1, 77, 255 };

static const long msg_type[NR_MSGS] = { 1, 2, 3, 2, 7 };
static const int msg_size[NR_MSGS] = { 0, 1, 100, 4096, 8000 };
#define MSG_SALT	10	/* + the message's index */

/* The msgrcv() calls after the checkpoint: the type asked, the message. */
static const struct {
	long type;
	int msg;
} rcv_plan[NR_MSGS] = {
	{ 0, 0 },	/* the oldest: type 1, empty */
	{ 7, 4 },	/* the only one of type 7, the newest */
	{ 2, 1 },	/* the older one of type 2 */
	{ -3, 3 },	/* the first of the lowest type up to 3: the other 2 */
	{ 0, 2 },	/* the one left, of type 3 */
};

/* Then these msgsnd() with IPC_NOWAIT: the third would exceed Q_QBYTES. */
static const int snd_size[] = { 8000, 4096, 1000, 904 };

/* The semaphore sets. */
enum { SET_S, SET_S2, SET_S3, NR_SETS };

static const char *const set_name[NR_SETS] = { "S", "S2", "S3" };
static const int set_key[NR_SETS] = { IPC_PRIVATE, KEY_S2, IPC_PRIVATE };
static const unsigned int set_mode[NR_SETS] = { S_MODE, 0660, 0640 };
static const int set_nsems[NR_SETS] = { NR_SEMS, 3, 2 };
/* The values the root gives them. */
static const unsigned short set_init[NR_SETS][NR_SEMS] = {
	{ 0, 1, 2, 100, SEMVMX },
	{ 10, 20, 30 },
	{ 7, 8 },
};

/*
 * The semop()s with SEM_UNDO before the checkpoint, in this order, of
 * the child's main thread, then of its second thread.  The kernel keeps
 * the entry of the set last used first: the list is S2, S, S3, neither
 * the order of the ids nor its reverse.  S3's adjustments come back to
 * 0; S's #1 and #4 are left alone, for the root's semop()s.
 */
static const struct {
	int set, sem, op;
	bool thread;
} undo_ops[] = {
	{ SET_S2, 1, 7, false },
	{ SET_S3, 0, 1, false },
	{ SET_S3, 0, -1, false },
	{ SET_S, 0, 5, false },
	{ SET_S, 3, -1, false },
	{ SET_S, 2, 4, true },
	{ SET_S2, 2, -2, true },
};

/* The semop() with SEM_UNDO of the child's thread after the checkpoint. */
#define LATE_SET	SET_S2
#define LATE_SEM	0
#define LATE_OP		1

/*
 * The root's semop() on S after the checkpoint, without SEM_UNDO: +3 on
 * #0, -1 on #1 and -SEMVMX on #4.
 */
static const short root_op[NR_SEMS] = { 3, -1, 0, 0, -SEMVMX };

/* The adjustment for semaphore @sem of @set in the child's undo list. */
static int undo_adj(int set, int sem)
{
	unsigned int i;
	int adj = 0;

	for (i = 0; i < ARRAY_SIZE(undo_ops); i++)
		if (undo_ops[i].set == set && undo_ops[i].sem == sem)
			adj -= undo_ops[i].op;
	return adj;
}

/* When the test looks at the semaphore values. */
enum sem_when {
	AT_CHECKPOINT,
	AFTER_ROOT,	/* the root's semop() on S */
	AFTER_THREAD,	/* the late semop() of the child's thread, and its exit */
	AFTER_CHILD,	/* the child's exit: every adjustment of its list undone */
};

/* The value of semaphore @sem of @set then. */
static int sem_want(int set, int sem, enum sem_when when)
{
	int val = set_init[set][sem];

	if (set == SET_S && when >= AFTER_ROOT)
		val += root_op[sem];
	if (when == AFTER_CHILD)
		return val;
	val -= undo_adj(set, sem);
	if (set == LATE_SET && sem == LATE_SEM && when >= AFTER_THREAD)
		val += LATE_OP;
	return val;
}

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

/* IPC_STAT of an object: the fields of its kind, the others 0. */
struct ipc_stat {
	int err;		/* errno of IPC_STAT, or 0 */
	int key;
	unsigned int mode, uid, gid, cuid, cgid;
	unsigned long long size;	/* shm_segsz, msg_qbytes, sem_nsems */
	unsigned long long count;	/* shm_nattch, msg_qnum */
	unsigned long long bytes;	/* msg_cbytes */
	long long time[3];	/* shm a/d/ctime, msg s/r/ctime, sem otime, 0, ctime */
};

/* The line of /proc/self/maps of a mapping starting at an address. */
/* What the root's child tells it: once set up, then once done. */
struct kid_report {
	int setup;		/* 0, or the line where the set-up failed */
	int err;		/* its errno */
	unsigned long a;	/* where it attached A */
	unsigned long ns;	/* inode of its IPC namespace */
	pid_t pid, tid;		/* its own, its second thread's */
	/* done */
	struct map_info map;	/* of A */
	long bad;		/* first offset of A not as it should be, or -1 */
	int token_seen;		/* TOKEN_ROOT, which the root wrote to A */
	/* Semaphore values, as get_sems() gives them */
	unsigned short sem_seen[NR_SETS][NR_SEMS];	/* once the root did its semop() */
	int late_err;		/* errno of the thread's semop() after the checkpoint */
	pid_t late_tid;		/* the thread's tid then */
	int thread_gone;	/* the thread left /proc/self/task, after exit_sem() */
	unsigned short sem_joined[NR_SETS][NR_SEMS];	/* then */
};

/* What the root tells the test: once set up, then once done. */
struct ipc_report {
	int setup;		/* 0, or the line where the set-up failed */
	int err;		/* its errno */
	int id[NR_SEGS], q_id, set_id[NR_SETS];
	unsigned long addr[NR_MAPS];
	unsigned long ns;	/* inode of its IPC namespace */
	long long default_qbytes;	/* msg_qbytes of a new queue */
	struct ipc_stat seg[NR_SEGS], q, set[NR_SETS];
	struct kid_report kid;
	/* done */
	int by_key[NR_SEGS];	/* shmget() by key: the id or -errno; not A */
	int q_by_key, s2_by_key;
	int shm_ids, shm_ids_after_d;	/* SHM_INFO: segments, then after D's shmdt() */
	unsigned long long shm_pages;
	int msg_queues, msg_msgs, msg_bytes;	/* MSG_INFO */
	int sem_sets, sem_sems;	/* SEM_INFO */
	struct map_info map[NR_MAPS];
	long bad[NR_MAPS];	/* first offset not as it should be, or -1; -2: not mapped */
	int c_attach_err;
	long c_bad;
	int b_shared, b_rw_faults, b_ro_faults;
	int d_key_err, d_write_faults, d_dt_err, d_gone_err, d_unmapped, d_faults;
	long long rcv_type[NR_MSGS];
	int rcv_size[NR_MSGS];	/* or -errno */
	int rcv_bad[NR_MSGS];	/* bytes not as they should be */
	int rcv_empty_err;
	struct ipc_stat q_empty;
	int snd_err[ARRAY_SIZE(snd_size)];
	struct ipc_stat q_full;
	int sem_get_err;
	unsigned short sem_val[NR_SETS][NR_SEMS];	/* as get_sems() gives them */
	int sem_range_err, sem_block_err, sem_op_err;
	unsigned short sem_after[NR_SEMS];	/* of S */
	int token_seen;		/* TOKEN_KID, which the child wrote to A */
	int kid_status;
	unsigned short sem_exit[NR_SETS][NR_SEMS];	/* after the child's exit */
};

/* One write() to a pipe, one read() from it. */
static_assert(sizeof(struct ipc_report) <= PIPE_BUF, "report too large");

static long psz;

static size_t seg_size(int seg)
{
	switch (seg) {
	case SEG_A:
		return 3 * psz + 100;
	case SEG_B:
		return B_SIZE;
	case SEG_C:
		return 2 * psz + 1;
	}
	return 2 * psz;
}

static size_t page_align(size_t len)
{
	return (len + psz - 1) / psz * psz;
}

static size_t seg_pages(int seg)
{
	return page_align(seg_size(seg)) / psz;
}

/* Was page @page of segment @seg written? */
static bool has_data(int seg, size_t page)
{
	unsigned int i;

	if (page >= seg_pages(seg))
		return false;
	if (seg == SEG_A)
		return page != A_HOLE;
	if (seg != SEG_B)
		return true;
	for (i = 0; i < ARRAY_SIZE(b_pages); i++)
		if ((size_t)b_pages[i] == page)
			return true;
	return false;
}

static size_t pages_with_data(int seg)
{
	size_t page, nr = 0;

	for (page = 0; page < seg_pages(seg); page++)
		nr += has_data(seg, page);
	return nr;
}

static unsigned char pat(int salt, size_t off)
{
	return off * 7 + off / psz * 13 + salt * 41 + 1;
}

/* The byte at @off of segment @seg: 0 in a hole and past its size. */
static unsigned char want(int seg, size_t off)
{
	if (off >= seg_size(seg) || !has_data(seg, off / psz))
		return 0;
	return pat(seg, off);
}

/*
 * The first offset in [@from, @to) of segment @seg, whose byte at @from
 * is @mem[0], that does not hold want(), but [@skip, @skip + @skip_len);
 * -1 if none.
 */
static long first_bad(const unsigned char *mem, int seg, size_t from,
		      size_t to, size_t skip, size_t skip_len)
{
	size_t off;

	for (off = from; off < to; off++) {
		if (off >= skip && off < skip + skip_len)
			continue;
		if (mem[off - from] != want(seg, off))
			return off;
	}
	return -1;
}

/* Write page @page of segment @seg attached at @mem, up to its size. */
static void fill_page(unsigned char *mem, int seg, size_t page)
{
	size_t off, end = (page + 1) * psz;

	if (end > seg_size(seg))
		end = seg_size(seg);
	for (off = page * psz; off < end; off++)
		mem[off] = pat(seg, off);
}

static unsigned int load32(const unsigned char *p)
{
	unsigned int v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void store32(unsigned char *p, unsigned int v)
{
	memcpy(p, &v, sizeof(v));
}

static unsigned long ipc_ns(void)
{
	struct stat st;

	return stat("/proc/self/ns/ipc", &st) ? 0 : st.st_ino;
}

static sigjmp_buf probe_env;

static void on_fault(int sig)
{
	siglongjmp(probe_env, 1);
}

/* 1 if reading the byte at @p, and with @store writing it back, faults. */
static int faults(unsigned char *p, bool store)
{
	struct sigaction sa = { .sa_handler = on_fault }, old_segv, old_bus;
	int ret;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	if (sigsetjmp(probe_env, 1)) {
		ret = 1;
	} else {
		unsigned char c = __atomic_load_n(p, __ATOMIC_RELAXED);

		if (store)
			__atomic_store_n(p, c, __ATOMIC_RELAXED);
		ret = 0;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return ret;
}

static int id_or_err(int ret)
{
	return ret < 0 ? -errno : ret;
}

static void stat_perm(struct ipc_stat *s, const struct ipc_perm *p)
{
	s->key = p->__key;
	s->mode = p->mode;
	s->uid = p->uid;
	s->gid = p->gid;
	s->cuid = p->cuid;
	s->cgid = p->cgid;
}

static void stat_shm(int id, struct ipc_stat *s)
{
	struct shmid_ds ds;

	memset(s, 0, sizeof(*s));
	if (shmctl(id, IPC_STAT, &ds)) {
		s->err = errno;
		return;
	}
	stat_perm(s, &ds.shm_perm);
	s->size = ds.shm_segsz;
	s->count = ds.shm_nattch;
	s->time[0] = ds.shm_atime;
	s->time[1] = ds.shm_dtime;
	s->time[2] = ds.shm_ctime;
}

static void stat_msg(int id, struct ipc_stat *s)
{
	struct msqid_ds ds;

	memset(s, 0, sizeof(*s));
	if (msgctl(id, IPC_STAT, &ds)) {
		s->err = errno;
		return;
	}
	stat_perm(s, &ds.msg_perm);
	s->size = ds.msg_qbytes;
	s->count = ds.msg_qnum;
	s->bytes = ds.__msg_cbytes;
	s->time[0] = ds.msg_stime;
	s->time[1] = ds.msg_rtime;
	s->time[2] = ds.msg_ctime;
}

static void stat_sem(int id, struct ipc_stat *s)
{
	union semun arg;
	struct semid_ds ds;

	memset(s, 0, sizeof(*s));
	arg.buf = &ds;
	if (semctl(id, 0, IPC_STAT, arg)) {
		s->err = errno;
		return;
	}
	stat_perm(s, &ds.sem_perm);
	s->size = ds.sem_nsems;
	s->time[0] = ds.sem_otime;
	s->time[2] = ds.sem_ctime;
}

/* ------------------------------------------------------------------ */
/* The tree: the root and its child                                    */

static int ids[NR_SEGS], q_id, set_ids[NR_SETS];
static unsigned char *maps_at[NR_MAPS];	/* the root's attachments */
static int go_fd, back_fd;		/* the root's pipes to its child */
static pid_t kid;
static int thread_go[2], thread_back[2];	/* the child's pipes to its thread */

/* What the child's thread tells it: once set up, then once done. */
struct thread_report {
	int err;		/* errno of its semop() */
	pid_t tid;
};

static int failed(struct ipc_report *r, int line)
{
	r->setup = line;
	r->err = errno;
	return -1;
}

/*
 * GETALL of every set into @vals, 0xffff for a set it fails on, which
 * no semaphore holds.  Returns 0 or the first errno.
 */
static int get_sems(unsigned short vals[][NR_SEMS])
{
	union semun arg;
	int set, err = 0;

	for (set = 0; set < NR_SETS; set++) {
		arg.array = vals[set];
		if (semctl(set_ids[set], 0, GETALL, arg)) {
			err = err ?: errno;
			memset(vals[set], 0xff, sizeof(vals[set]));
		}
	}
	return err;
}

static int undo_op(int set, int sem, int op)
{
	struct sembuf b = { sem, op, IPC_NOWAIT | SEM_UNDO };

	return semop(set_ids[set], &b, 1) ? errno : 0;
}

/* The semop()s of undo_ops[] of the main thread or of the other one. */
static int undo_ops_of(bool thread)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(undo_ops); i++) {
		if (undo_ops[i].thread != thread)
			continue;
		err = undo_op(undo_ops[i].set, undo_ops[i].sem, undo_ops[i].op);
		if (err)
			return err;
	}
	return 0;
}

/* The child's second thread: its semop()s, then, after the checkpoint, one more. */
static void *kid_thread(void *arg)
{
	struct thread_report t = { 0 };
	char c;

	t.tid = gettid();
	t.err = undo_ops_of(true);
	if (write(thread_back[1], &t, sizeof(t)) != sizeof(t) || t.err)
		return (void *)-1L;
	t.err = EPIPE;
	if (read(thread_go[0], &c, 1) == 1)
		t.err = undo_op(LATE_SET, LATE_SEM, LATE_OP);
	t.tid = gettid();
	if (write(thread_back[1], &t, sizeof(t)) != sizeof(t))
		return (void *)-1L;	/* the child sees EPIPE */
	return NULL;
}

/* Wait until thread @tid is gone from /proc: it went through exit_sem(). */
static int thread_gone(pid_t tid)
{
	char path[64];
	int i;

	snprintf(path, sizeof(path), "/proc/self/task/%d", tid);
	for (i = 0; i < THREAD_MS; i++) {
		if (access(path, F_OK) && errno == ENOENT)
			return 1;
		usleep(1000);
	}
	return 0;
}

static int kid_failed(struct kid_report *k, int line, int err)
{
	k->setup = line;
	k->err = err;
	return -1;
}

/* A's page, the semop()s with SEM_UNDO, the second thread and its own. */
static int kid_set_up(struct kid_report *k, pthread_t *thread)
{
	struct thread_report t;
	unsigned char *a;
	int err;

	k->ns = ipc_ns();
	k->pid = getpid();
	a = shmat(ids[SEG_A], NULL, 0);
	if (a == (void *)-1)
		return kid_failed(k, __LINE__, errno);
	fill_page(a, SEG_A, A_KID_PAGE);
	k->a = (unsigned long)a;

	if (pipe(thread_go) || pipe(thread_back))
		return kid_failed(k, __LINE__, errno);
	err = undo_ops_of(false);
	if (err)
		return kid_failed(k, __LINE__, err);
	err = pthread_create(thread, NULL, kid_thread, NULL);
	if (err)
		return kid_failed(k, __LINE__, err);
	if (read_within(thread_back[0], &t, sizeof(t), THREAD_MS))
		return kid_failed(k, __LINE__, EPIPE);
	if (t.err)
		return kid_failed(k, __LINE__, t.err);
	k->tid = t.tid;
	return 0;
}

/*
 * Once the root did its semop(): the values, then those once the
 * thread did its last semop() with SEM_UNDO and exited.
 */
static void kid_sems(struct kid_report *k, pthread_t thread)
{
	struct thread_report t = { EPIPE, 0 };

	get_sems(k->sem_seen);
	if (write(thread_go[1], "g", 1) != 1 ||
	    read_within(thread_back[0], &t, sizeof(t), THREAD_MS)) {
		t.err = EPIPE;
		t.tid = 0;
	}
	k->late_err = t.err;
	k->late_tid = t.tid;
	if (t.tid && !pthread_join(thread, NULL))
		k->thread_gone = thread_gone(t.tid);
	get_sems(k->sem_joined);
}

static void __noreturn kid_main(int go, int back)
{
	size_t len = page_align(seg_size(SEG_A));
	struct kid_report k = { 0 };
	pthread_t thread;
	unsigned char *a;
	char c;

	kid_set_up(&k, &thread);
	if (write(back, &k, sizeof(k)) != sizeof(k) || k.setup)
		_exit(80);
	if (read(go, &c, 1) != 1)
		_exit(81);

	a = (unsigned char *)k.a;
	k.ns = ipc_ns();
	find_map(k.a, &k.map);
	k.bad = -2;
	if (k.map.found && k.map.len == len) {
		k.bad = first_bad(a, SEG_A, 0, len, TOKEN_ROOT_OFF, 4);
		k.token_seen = load32(a + TOKEN_ROOT_OFF) == TOKEN_ROOT;
		store32(a + TOKEN_KID_OFF, TOKEN_KID);
	}
	kid_sems(&k, thread);
	if (write(back, &k, sizeof(k)) != sizeof(k))
		_exit(82);
	_exit(0);
}

/* Make an object of each kind and remove it: the next ids are not the first. */
static int skip_first_ids(void)
{
	int shm = shmget(IPC_PRIVATE, psz, 0600);
	int msq = msgget(IPC_PRIVATE, 0600);
	int sem = semget(IPC_PRIVATE, 1, 0600);

	if (shm < 0 || msq < 0 || sem < 0 || shmctl(shm, IPC_RMID, NULL) ||
	    msgctl(msq, IPC_RMID, NULL) || semctl(sem, 0, IPC_RMID))
		return -1;
	return 0;
}

static int make_segments(struct ipc_report *r)
{
	int i;

	for (i = 0; i < NR_SEGS; i++) {
		ids[i] = shmget(seg_key[i], seg_size(i),
				IPC_CREAT | IPC_EXCL | seg_mode[i]);
		if (ids[i] < 0)
			return failed(r, __LINE__);
	}
	return 0;
}

static int attach_and_fill(struct ipc_report *r)
{
	unsigned char *c;
	size_t page;
	int i;

	maps_at[MAP_A] = shmat(ids[SEG_A], NULL, 0);
	maps_at[MAP_B_RW] = shmat(ids[SEG_B], NULL, 0);
	maps_at[MAP_B_RO] = shmat(ids[SEG_B], NULL, SHM_RDONLY);
	maps_at[MAP_D] = shmat(ids[SEG_D], NULL, 0);
	c = shmat(ids[SEG_C], NULL, 0);
	for (i = 0; i < NR_MAPS; i++)
		if (maps_at[i] == (void *)-1)
			return failed(r, __LINE__);
	if (c == (void *)-1)
		return failed(r, __LINE__);

	/* Page A_KID_PAGE is the child's; only what has_data() says. */
	for (page = 0; page < seg_pages(SEG_A); page++)
		if (has_data(SEG_A, page) && page != A_KID_PAGE)
			fill_page(maps_at[MAP_A], SEG_A, page);
	for (i = 0; i < (int)ARRAY_SIZE(b_pages); i++)
		fill_page(maps_at[MAP_B_RW], SEG_B, b_pages[i]);
	for (page = 0; page < seg_pages(SEG_C); page++)
		fill_page(c, SEG_C, page);
	for (page = 0; page < seg_pages(SEG_D); page++)
		fill_page(maps_at[MAP_D], SEG_D, page);
	if (shmdt(c) || shmctl(ids[SEG_D], IPC_RMID, NULL))
		return failed(r, __LINE__);
	for (i = 0; i < NR_MAPS; i++)
		r->addr[i] = (unsigned long)maps_at[i];
	return 0;
}

static int make_queue(struct ipc_report *r)
{
	static struct {
		long mtype;
		unsigned char text[MSG_MAX];
	} buf;
	struct msqid_ds ds;
	int i, j;

	q_id = msgget(KEY_Q, IPC_CREAT | IPC_EXCL | Q_MODE);
	if (q_id < 0 || msgctl(q_id, IPC_STAT, &ds))
		return failed(r, __LINE__);
	r->default_qbytes = ds.msg_qbytes;
	ds.msg_qbytes = Q_QBYTES;
	if (msgctl(q_id, IPC_SET, &ds))
		return failed(r, __LINE__);
	for (i = 0; i < NR_MSGS; i++) {
		buf.mtype = msg_type[i];
		for (j = 0; j < msg_size[i]; j++)
			buf.text[j] = pat(MSG_SALT + i, j);
		if (msgsnd(q_id, &buf, msg_size[i], IPC_NOWAIT))
			return failed(r, __LINE__);
	}
	return 0;
}

static int make_sems(struct ipc_report *r)
{
	unsigned short vals[NR_SEMS];
	union semun arg = { .array = vals };
	int set;

	for (set = 0; set < NR_SETS; set++) {
		memcpy(vals, set_init[set], sizeof(vals));
		set_ids[set] = semget(set_key[set], set_nsems[set],
				      IPC_CREAT | IPC_EXCL | set_mode[set]);
		if (set_ids[set] < 0 || semctl(set_ids[set], 0, SETALL, arg))
			return failed(r, __LINE__);
	}
	return 0;
}

static int root_set_up(struct ipc_report *r)
{
	int go[2], back[2], i;

	if (unshare(CLONE_NEWIPC))
		return failed(r, __LINE__);
	r->ns = ipc_ns();
	if (skip_first_ids())
		return failed(r, __LINE__);
	/* The sets first: the child uses them. */
	if (make_segments(r) || make_sems(r))
		return -1;

	/* The child attaches A itself, and inherits no other attachment. */
	if (pipe(go) || pipe(back))
		return failed(r, __LINE__);
	kid = fork();
	if (kid < 0)
		return failed(r, __LINE__);
	if (!kid) {
		close(go[1]);
		close(back[0]);
		close(CTL_FD);
		close(RES_FD);
		kid_main(go[0], back[1]);
	}
	close(go[0]);
	close(back[1]);
	go_fd = go[1];
	back_fd = back[0];

	if (attach_and_fill(r) || make_queue(r))
		return -1;
	if (read(back_fd, &r->kid, sizeof(r->kid)) != sizeof(r->kid))
		return failed(r, __LINE__);
	if (r->kid.setup)
		return -1;

	for (i = 0; i < NR_SEGS; i++) {
		r->id[i] = ids[i];
		stat_shm(ids[i], &r->seg[i]);
	}
	r->q_id = q_id;
	stat_msg(q_id, &r->q);
	for (i = 0; i < NR_SETS; i++) {
		r->set_id[i] = set_ids[i];
		stat_sem(set_ids[i], &r->set[i]);
	}
	return 0;
}

static void count_objects(struct ipc_report *r, bool after_d)
{
	struct shm_info shm;
	struct msginfo msg;
	struct seminfo sem;
	union semun arg = { .__buf = &sem };

	memset(&shm, 0, sizeof(shm));
	shmctl(0, SHM_INFO, (struct shmid_ds *)&shm);
	if (after_d) {
		r->shm_ids_after_d = shm.used_ids;
		return;
	}
	r->shm_ids = shm.used_ids;
	r->shm_pages = shm.shm_tot;
	memset(&msg, 0, sizeof(msg));
	msgctl(0, MSG_INFO, (struct msqid_ds *)&msg);
	r->msg_queues = msg.msgpool;
	r->msg_msgs = msg.msgmap;
	r->msg_bytes = msg.msgtql;
	memset(&sem, 0, sizeof(sem));
	semctl(0, 0, SEM_INFO, arg);
	r->sem_sets = sem.semusz;
	r->sem_sems = sem.semaem;
}

/* C, attached again; B's attachments; D, until its shmdt(). */
static void after_segments(struct ipc_report *r, const bool *mapped)
{
	unsigned char *b_rw = maps_at[MAP_B_RW], *b_ro = maps_at[MAP_B_RO];
	unsigned char *c, *d = maps_at[MAP_D];
	struct shmid_ds ds;
	struct map_info m;

	c = shmat(ids[SEG_C], NULL, SHM_RDONLY);
	r->c_bad = -2;
	if (c == (void *)-1) {
		r->c_attach_err = errno;
	} else {
		r->c_bad = first_bad(c, SEG_C, 0, page_align(seg_size(SEG_C)),
				     0, 0);
		shmdt(c);
	}

	if (mapped[MAP_B_RW] && mapped[MAP_B_RO]) {
		r->b_rw_faults = faults(b_rw + 5 * psz, true);
		r->b_ro_faults = faults(b_ro + 5 * psz, true);
		__atomic_store_n(b_rw + 5 * psz + 9, 0x42, __ATOMIC_RELAXED);
		r->b_shared = __atomic_load_n(b_ro + 5 * psz + 9,
					      __ATOMIC_RELAXED) == 0x42;
	}

	r->d_key_err = shmget(KEY_D, 0, 0) < 0 ? errno : 0;
	r->d_write_faults = -1;
	r->d_dt_err = -1;
	if (mapped[MAP_D]) {
		r->d_write_faults = faults(d + psz, true);
		r->d_dt_err = shmdt(d) ? errno : 0;
	}
	r->d_gone_err = shmctl(ids[SEG_D], IPC_STAT, &ds) ? errno : 0;
	find_map((unsigned long)d, &m);
	r->d_unmapped = !m.found;
	r->d_faults = faults(d, false);
	count_objects(r, true);
}

static void after_messages(struct ipc_report *r)
{
	static struct {
		long mtype;
		unsigned char text[MSG_MAX];
	} buf;
	unsigned int i;
	ssize_t n;
	int j, msg;

	for (i = 0; i < NR_MSGS; i++) {
		msg = rcv_plan[i].msg;
		buf.mtype = 0;
		n = msgrcv(q_id, &buf, MSG_MAX, rcv_plan[i].type, IPC_NOWAIT);
		r->rcv_size[i] = n < 0 ? -errno : n;
		r->rcv_type[i] = buf.mtype;
		for (j = 0; j < n; j++)
			r->rcv_bad[i] += buf.text[j] != pat(MSG_SALT + msg, j);
	}
	r->rcv_empty_err = msgrcv(q_id, &buf, MSG_MAX, 0, IPC_NOWAIT) < 0 ?
			   errno : 0;
	stat_msg(q_id, &r->q_empty);

	buf.mtype = 1;
	memset(buf.text, 0x5a, sizeof(buf.text));
	for (i = 0; i < ARRAY_SIZE(snd_size); i++)
		r->snd_err[i] = msgsnd(q_id, &buf, snd_size[i], IPC_NOWAIT) ?
				errno : 0;
	stat_msg(q_id, &r->q_full);
}

static int sem_ops(struct sembuf *ops, int nr)
{
	return semop(set_ids[SET_S], ops, nr) ? errno : 0;
}

static void after_sems(struct ipc_report *r)
{
	struct sembuf over = { 4, 1, IPC_NOWAIT };
	struct sembuf under = { 1, -2, IPC_NOWAIT };
	struct sembuf ops[NR_SEMS];
	union semun arg = { .array = r->sem_after };
	int i, nr = 0;

	for (i = 0; i < NR_SEMS; i++) {
		if (!root_op[i])
			continue;
		ops[nr].sem_num = i;
		ops[nr].sem_op = root_op[i];
		ops[nr++].sem_flg = IPC_NOWAIT;
	}
	r->sem_get_err = get_sems(r->sem_val);
	r->sem_range_err = sem_ops(&over, 1);
	r->sem_block_err = sem_ops(&under, 1);
	r->sem_op_err = sem_ops(ops, nr);
	semctl(set_ids[SET_S], 0, GETALL, arg);
}

/* What the root checks after the checkpoint, in this order. */
static void after(struct ipc_report *r)
{
	unsigned char *a = maps_at[MAP_A];
	bool mapped[NR_MAPS];
	int i, st;

	r->ns = ipc_ns();
	for (i = 0; i < NR_MAPS; i++) {
		size_t len = page_align(seg_size(map_seg[i]));

		find_map((unsigned long)maps_at[i], &r->map[i]);
		mapped[i] = r->map[i].found && r->map[i].len == len;
		r->bad[i] = mapped[i] ? first_bad(maps_at[i], map_seg[i], 0,
						  len, 0, 0) : -2;
	}
	for (i = 0; i < NR_SEGS; i++) {
		if (seg_key[i] != IPC_PRIVATE)
			r->by_key[i] = id_or_err(shmget(seg_key[i], 0, 0));
		stat_shm(ids[i], &r->seg[i]);
	}
	r->q_by_key = id_or_err(msgget(KEY_Q, 0));
	r->s2_by_key = id_or_err(semget(KEY_S2, 0, 0));
	stat_msg(q_id, &r->q);
	for (i = 0; i < NR_SETS; i++)
		stat_sem(set_ids[i], &r->set[i]);
	count_objects(r, false);

	after_segments(r, mapped);
	after_messages(r);
	after_sems(r);

	/* A word each way through A, between the root and its child. */
	if (mapped[MAP_A])
		store32(a + TOKEN_ROOT_OFF, TOKEN_ROOT);
	if (write(go_fd, "g", 1) != 1 ||
	    read(back_fd, &r->kid, sizeof(r->kid)) != sizeof(r->kid))
		r->kid.bad = -3;
	if (mapped[MAP_A])
		r->token_seen = load32(a + TOKEN_KID_OFF) == TOKEN_KID;
	/* A zombie went through exit_sem(): its adjustments are applied. */
	r->kid_status = waitpid(kid, &st, 0) == kid ? st : -1;
	get_sems(r->sem_exit);
}

static void __noreturn ipc_root(void)
{
	struct ipc_report r = { 0 };
	char c;

	psz = sysconf(_SC_PAGESIZE);
	root_set_up(&r);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r) || r.setup || r.kid.setup)
		_exit(90);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(91);
	after(&r);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(92);
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* The test's side                                                     */

FIXTURE(sysv) {
	struct piped_child pc;
	struct ipc_report before;
};

FIXTURE_VARIANT(sysv) {
	int restarts;		/* 0: the tree goes on after the checkpoint */
};

FIXTURE_VARIANT_ADD(sysv, continues) {
	.restarts = 0,
};

FIXTURE_VARIANT_ADD(sysv, restarts) {
	.restarts = 1,
};

FIXTURE_VARIANT_ADD(sysv, restarts_twice) {
	.restarts = 2,
};

/* An object as IPC_STAT should show it, with the times of @b in @times. */
static void expect_stat(struct __test_metadata *_metadata, const char *what,
			const struct ipc_stat *s, int key, unsigned int mode,
			unsigned long long size, unsigned long long count,
			unsigned long long bytes, const struct ipc_stat *b,
			unsigned int times)
{
	int i;

	EXPECT_EQ(0, s->err) TH_LOG("IPC_STAT of %s: %s", what, strerror(s->err));
	if (s->err)
		return;
	EXPECT_EQ(key, s->key) TH_LOG("key of %s", what);
	EXPECT_EQ(mode, s->mode & (0777 | SHM_DEST | SHM_LOCKED)) TH_LOG("mode of %s", what);
	EXPECT_EQ(getuid(), s->uid) TH_LOG("owner of %s", what);
	EXPECT_EQ(getgid(), s->gid) TH_LOG("group of %s", what);
	EXPECT_EQ(getuid(), s->cuid) TH_LOG("creator of %s", what);
	EXPECT_EQ(getgid(), s->cgid) TH_LOG("creator group of %s", what);
	EXPECT_EQ(size, s->size) TH_LOG("size of %s", what);
	EXPECT_EQ(count, s->count) TH_LOG("attachments or messages of %s", what);
	EXPECT_EQ(bytes, s->bytes) TH_LOG("bytes of %s", what);
	for (i = 0; i < 3; i++)
		if (times & (1 << i))
			EXPECT_EQ(b->time[i], s->time[i]) TH_LOG("time %d of %s", i, what);
}

/* IPC_STAT of every object; @b: the report of the set-up, for the times. */
static void expect_stats(struct __test_metadata *_metadata,
			 const struct ipc_report *r, const struct ipc_report *b)
{
	static const char *const names[NR_SEGS] = { "A", "B", "C", "D" };
	int seg, set;

	for (seg = 0; seg < NR_SEGS; seg++) {
		bool d = seg == SEG_D;

		/* What shmat() and shmdt() change is only C's to keep. */
		expect_stat(_metadata, names[seg], &r->seg[seg],
			    d ? IPC_PRIVATE : seg_key[seg],
			    seg_mode[seg] | (d ? SHM_DEST : 0), seg_size(seg),
			    seg_nattch[seg], 0, &b->seg[seg],
			    seg == SEG_C ? 7 : 4);
	}
	expect_stat(_metadata, "Q", &r->q, KEY_Q, Q_MODE, Q_QBYTES, NR_MSGS,
		    MSG_BYTES, &b->q, 7);
	EXPECT_EQ(0, r->q.time[1]) TH_LOG("Q was read from");
	for (set = 0; set < NR_SETS; set++) {
		expect_stat(_metadata, set_name[set], &r->set[set], set_key[set],
			    set_mode[set], set_nsems[set], 0, 0, &b->set[set], 5);
		EXPECT_NE(0, r->set[set].time[0])
			TH_LOG("%s has no sem_otime after the child's semop()", set_name[set]);
	}
}

static void expect_map(struct __test_metadata *_metadata, const char *what,
		       const struct map_info *m, int seg, int id, const char *perms)
{
	char name[24];

	EXPECT_TRUE(m->found) TH_LOG("%s is not mapped", what);
	if (!m->found)
		return;
	EXPECT_EQ(page_align(seg_size(seg)), m->len) TH_LOG("%s", what);
	EXPECT_STREQ(perms, m->perms) TH_LOG("%s", what);
	/* The inode of an attachment is the segment's id. */
	EXPECT_EQ(id, m->ino) TH_LOG("%s", what);
	/* A removed segment is made again with key 0: D keeps no name. */
	if (seg == SEG_D)
		return;
	snprintf(name, sizeof(name), "/SYSV%08x", seg_key[seg]);
	EXPECT_EQ(0, strncmp(name, m->name, strlen(name)))
		TH_LOG("%s is named \"%s\"", what, m->name);
}

static void check_segments(struct __test_metadata *_metadata,
			   const struct ipc_report *r, const struct ipc_report *b)
{
	size_t pages = 0;
	int i;

	for (i = SEG_B; i < NR_SEGS; i++)
		if (i != SEG_D)
			EXPECT_EQ(b->id[i], r->by_key[i]) TH_LOG("shmget() of segment %d", i);
	EXPECT_EQ(-ENOENT, r->by_key[SEG_D]) TH_LOG("shmget() of D, removed");
	for (i = 0; i < NR_SEGS; i++)
		pages += seg_pages(i);
	EXPECT_EQ(NR_SEGS, r->shm_ids);
	EXPECT_EQ(pages, r->shm_pages);

	for (i = 0; i < NR_MAPS; i++) {
		expect_map(_metadata, map_name[i], &r->map[i], map_seg[i],
			   b->id[map_seg[i]], i == MAP_B_RO ? "r--s" : "rw-s");
		EXPECT_EQ(-1, r->bad[i]) TH_LOG("%s at offset %ld", map_name[i], r->bad[i]);
	}
	expect_map(_metadata, "A in the child", &r->kid.map, SEG_A, b->id[SEG_A], "rw-s");
	EXPECT_EQ(-1, r->kid.bad) TH_LOG("A in the child at offset %ld", r->kid.bad);

	EXPECT_EQ(0, r->c_attach_err) TH_LOG("shmat(C): %s", strerror(r->c_attach_err));
	EXPECT_EQ(-1, r->c_bad) TH_LOG("C at offset %ld", r->c_bad);

	EXPECT_EQ(0, r->b_rw_faults);
	EXPECT_EQ(1, r->b_ro_faults) TH_LOG("B attached SHM_RDONLY is writable");
	EXPECT_EQ(1, r->b_shared) TH_LOG("B's attachments are not one memory");

	/* D: usable while attached, gone with its last attachment. */
	EXPECT_EQ(0, r->d_write_faults);
	EXPECT_EQ(0, r->d_dt_err) TH_LOG("shmdt(D): %s", strerror(r->d_dt_err));
	EXPECT_EQ(EINVAL, r->d_gone_err) TH_LOG("D is still there after its shmdt()");
	EXPECT_EQ(1, r->d_unmapped);
	EXPECT_EQ(1, r->d_faults);
	EXPECT_EQ(NR_SEGS - 1, r->shm_ids_after_d);

	/* What one process writes to A, the other sees. */
	EXPECT_EQ(1, r->kid.token_seen) TH_LOG("the child does not see the root's word");
	EXPECT_EQ(1, r->token_seen) TH_LOG("the root does not see the child's word");
	EXPECT_EQ(0, r->kid_status);
}

static void check_messages(struct __test_metadata *_metadata,
			   const struct ipc_report *r, const struct ipc_report *b)
{
	int i, msg;

	EXPECT_EQ(b->q_id, r->q_by_key) TH_LOG("msgget() of Q");
	EXPECT_EQ(1, r->msg_queues);
	EXPECT_EQ(NR_MSGS, r->msg_msgs);
	EXPECT_EQ(MSG_BYTES, r->msg_bytes);
	for (i = 0; i < NR_MSGS; i++) {
		msg = rcv_plan[i].msg;
		EXPECT_EQ(msg_size[msg], r->rcv_size[i])
			TH_LOG("msgrcv() %d of type %ld", i, rcv_plan[i].type);
		EXPECT_EQ(msg_type[msg], r->rcv_type[i])
			TH_LOG("msgrcv() %d of type %ld", i, rcv_plan[i].type);
		EXPECT_EQ(0, r->rcv_bad[i]) TH_LOG("message %d", msg);
	}
	EXPECT_EQ(ENOMSG, r->rcv_empty_err) TH_LOG("more than %d messages", NR_MSGS);
	EXPECT_EQ(0, r->q_empty.count);
	EXPECT_EQ(0, r->q_empty.bytes);
	/* msg_qbytes holds: 8000 + 4096 + 1000 bytes do not fit. */
	EXPECT_EQ(0, r->snd_err[0]);
	EXPECT_EQ(0, r->snd_err[1]);
	EXPECT_EQ(EAGAIN, r->snd_err[2]) TH_LOG("msg_qbytes is not %d", Q_QBYTES);
	EXPECT_EQ(0, r->snd_err[3]);
	EXPECT_EQ(3, r->q_full.count);
	EXPECT_EQ(Q_QBYTES, r->q_full.bytes);
}

/* Values as get_sems() gave them, as they should be @when. */
static void expect_sems(struct __test_metadata *_metadata,
			const unsigned short vals[][NR_SEMS], enum sem_when when,
			const char *what)
{
	int set, sem;

	for (set = 0; set < NR_SETS; set++) {
		const char *name = set_name[set];

		for (sem = 0; sem < set_nsems[set]; sem++)
			EXPECT_EQ(sem_want(set, sem, when), vals[set][sem])
				TH_LOG("semaphore %d of %s %s", sem, name, what);
	}
}

static void check_sems(struct __test_metadata *_metadata,
		       const struct ipc_report *r, const struct ipc_report *b)
{
	const struct kid_report *k = &r->kid;
	int i, set, nr_sems = 0;

	for (set = 0; set < NR_SETS; set++)
		nr_sems += set_nsems[set];
	EXPECT_EQ(NR_SETS, r->sem_sets);
	EXPECT_EQ(nr_sems, r->sem_sems);
	EXPECT_EQ(b->set_id[SET_S2], r->s2_by_key) TH_LOG("semget() of S2");
	EXPECT_EQ(0, r->sem_get_err) TH_LOG("GETALL: %s", strerror(r->sem_get_err));
	expect_sems(_metadata, r->sem_val, AT_CHECKPOINT, "");
	EXPECT_EQ(ERANGE, r->sem_range_err) TH_LOG("semaphore 4 is not at SEMVMX");
	EXPECT_EQ(EAGAIN, r->sem_block_err) TH_LOG("semaphore 1 is not 1");
	EXPECT_EQ(0, r->sem_op_err) TH_LOG("semop(): %s", strerror(r->sem_op_err));
	for (i = 0; i < NR_SEMS; i++)
		EXPECT_EQ(sem_want(SET_S, i, AFTER_ROOT), r->sem_after[i])
			TH_LOG("semaphore %d of S after semop()", i);

	/* The child's undo list, which its thread shares, then applied. */
	expect_sems(_metadata, k->sem_seen, AFTER_ROOT, "in the child");
	EXPECT_EQ(0, k->late_err)
		TH_LOG("semop() of the child's thread: %s", strerror(k->late_err));
	EXPECT_EQ(b->kid.tid, k->late_tid);
	EXPECT_EQ(1, k->thread_gone) TH_LOG("the child's thread is still there");
	expect_sems(_metadata, k->sem_joined, AFTER_THREAD,
		    "after the exit of the child's thread: its undo list is not the child's");
	expect_sems(_metadata, r->sem_exit, AFTER_CHILD,
		    "after the child's exit: its adjustments were not applied");
}

FIXTURE_SETUP(sysv)
{
	struct ipc_report *b = &self->before;

	psz = sysconf(_SC_PAGESIZE);
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, ipc_root));
	ASSERT_EQ(0, read_within(self->pc.res, b, sizeof(*b), WAIT_MS));
	ASSERT_EQ(0, b->setup) TH_LOG("set-up failed at line %d: %s", b->setup,
				      strerror(b->err));
	ASSERT_EQ(0, b->kid.setup) TH_LOG("set-up of the child failed at line %d: %s",
					  b->kid.setup, strerror(b->kid.err));
	ASSERT_NE(ipc_ns(), b->ns) TH_LOG("the root is in our IPC namespace");
	EXPECT_EQ(b->ns, b->kid.ns);
	ASSERT_LT(0, b->kid.tid);
	ASSERT_NE(b->kid.pid, b->kid.tid);
	EXPECT_LT(Q_QBYTES, b->default_qbytes) TH_LOG("13000 is not below the default");
	/* The objects are as the test means them to be. */
	expect_stats(_metadata, b, b);
	ASSERT_EQ(0, wait_in_read(self->pc.pid));
}

FIXTURE_TEARDOWN(sysv)
{
	piped_child_end(&self->pc);
}

static void check(struct __test_metadata *_metadata, const struct ipc_report *b,
		  int ctl, int res, bool restored)
{
	struct ipc_report r;

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS))
		TH_LOG("no report from the root");
	EXPECT_NE(ipc_ns(), r.ns) TH_LOG("the root is in our IPC namespace");
	EXPECT_EQ(r.ns, r.kid.ns) TH_LOG("the child is in another IPC namespace");
	if (!restored)
		EXPECT_EQ(b->ns, r.ns);
	EXPECT_EQ(b->kid.a, r.kid.a);
	expect_stats(_metadata, &r, b);
	check_segments(_metadata, &r, b);
	check_messages(_metadata, &r, b);
	check_sems(_metadata, &r, b);
}

/* The record of segment @seg in the image and the pages after it, at @i. */
static void check_image_shm(struct __test_metadata *_metadata,
			    const struct ckpt_image *img,
			    const struct ckpt_rec *recs, int n, int i, int seg,
			    const struct ipc_report *b)
{
	const struct ckpt_hdr_ipc_shm *h = (const void *)(img->buf + recs[i].off);
	bool d = seg == SEG_D;
	size_t saved = 0;
	int j;

	EXPECT_EQ(sizeof(*h), recs[i].len);
	EXPECT_EQ(d ? IPC_PRIVATE : seg_key[seg], h->perm.key) TH_LOG("segment %d", seg);
	EXPECT_EQ(seg_mode[seg], h->perm.mode) TH_LOG("segment %d", seg);
	EXPECT_EQ(getuid(), h->perm.uid);
	EXPECT_EQ(getgid(), h->perm.cgid);
	EXPECT_EQ(seg_size(seg), h->size) TH_LOG("segment %d", seg);
	EXPECT_EQ(d ? CKPT_SHM_DEST : 0, h->flags) TH_LOG("segment %d", seg);
	EXPECT_EQ(b->seg[seg].time[2], h->ctime) TH_LOG("segment %d", seg);
	if (seg == SEG_C) {
		EXPECT_EQ(b->seg[seg].time[0], h->atime);
		EXPECT_EQ(b->seg[seg].time[1], h->dtime);
	}
	/* Its pages: those written, holes left out. */
	for (j = i + 1; j < n && recs[j].type == CKPT_HDR_PAGES; j++) {
		const struct ckpt_hdr_pages *p = (const void *)(img->buf + recs[j].off);
		const unsigned char *data = (const unsigned char *)(p + 1);
		size_t k, page;

		ASSERT_EQ(0, p->addr % psz);
		for (k = 0; k < p->nr_pages; k++) {
			page = p->addr / psz + k;
			EXPECT_TRUE(has_data(seg, page))
				TH_LOG("page %zu of segment %d is saved", page, seg);
			EXPECT_EQ(-1, first_bad(data + k * psz, seg, page * psz,
						(page + 1) * psz, 0, 0))
				TH_LOG("page %zu of segment %d", page, seg);
			saved++;
		}
	}
	EXPECT_EQ(pages_with_data(seg), saved) TH_LOG("pages of segment %d", seg);
}

static void check_image_msg(struct __test_metadata *_metadata,
			    const struct ckpt_image *img,
			    const struct ckpt_rec *recs, int n, int i,
			    const struct ipc_report *b)
{
	const struct ckpt_hdr_ipc_msg *h = (const void *)(img->buf + recs[i].off);
	int m, k;

	EXPECT_EQ(b->q_id, h->perm.id);
	EXPECT_EQ(KEY_Q, h->perm.key);
	EXPECT_EQ(Q_MODE, h->perm.mode);
	EXPECT_EQ(Q_QBYTES, h->qbytes);
	EXPECT_EQ(b->q.time[0], h->stime);
	EXPECT_EQ(b->q.time[2], h->ctime);
	ASSERT_EQ(NR_MSGS, h->nr_msgs);
	ASSERT_LT(i + NR_MSGS, n);
	for (m = 0; m < NR_MSGS; m++) {
		const struct ckpt_hdr_ipc_msg_text *t;
		const unsigned char *text;
		int bad = 0;

		ASSERT_EQ(CKPT_HDR_IPC_MSG_TEXT, recs[i + 1 + m].type);
		t = (const void *)(img->buf + recs[i + 1 + m].off);
		text = (const unsigned char *)(t + 1);
		EXPECT_EQ(msg_type[m], t->mtype) TH_LOG("message %d", m);
		ASSERT_EQ(msg_size[m], t->size) TH_LOG("message %d", m);
		EXPECT_EQ(sizeof(*t) + msg_size[m], t->h.len) TH_LOG("message %d", m);
		for (k = 0; k < msg_size[m]; k++)
			bad += text[k] != pat(MSG_SALT + m, k);
		EXPECT_EQ(0, bad) TH_LOG("message %d", m);
	}
}

static void check_image_sem(struct __test_metadata *_metadata,
			    const struct ckpt_image *img, const struct ckpt_rec *rec,
			    const struct ipc_report *b)
{
	const struct ckpt_hdr_ipc_sem *h = (const void *)(img->buf + rec->off);
	const __u16 *vals = (const __u16 *)(h + 1);
	int i, set;

	for (set = 0; set < NR_SETS && b->set_id[set] != h->perm.id; set++)
		;
	ASSERT_GT(NR_SETS, set) TH_LOG("semaphore set %d is not ours", h->perm.id);
	EXPECT_EQ(set_key[set], h->perm.key) TH_LOG("%s", set_name[set]);
	EXPECT_EQ(set_mode[set], h->perm.mode) TH_LOG("%s", set_name[set]);
	ASSERT_EQ(set_nsems[set], h->nsems) TH_LOG("%s", set_name[set]);
	ASSERT_EQ(sizeof(*h) + set_nsems[set] * sizeof(*vals), rec->len);
	for (i = 0; i < set_nsems[set]; i++)
		EXPECT_EQ(sem_want(set, i, AT_CHECKPOINT), vals[i])
			TH_LOG("semaphore %d of %s", i, set_name[set]);
	EXPECT_EQ(b->set[set].time[0], h->otime) TH_LOG("%s", set_name[set]);
	EXPECT_EQ(b->set[set].time[2], h->ctime) TH_LOG("%s", set_name[set]);
}

/*
 * The child's undo list at @i: an entry per set, by increasing id, each
 * with the adjustments of undo_ops[] (S3's all 0), then right after
 * them the child's task record: the list is the child's, and its
 * thread's with it.
 */
static void check_image_undo(struct __test_metadata *_metadata,
			     const struct ckpt_image *img,
			     const struct ckpt_rec *recs, int n, int i,
			     const struct ipc_report *b)
{
	const struct ckpt_hdr_ipc_sem_undo *h = (const void *)(img->buf + recs[i].off);
	const struct ckpt_hdr_task *t;
	int j, set, sem, last_id = -1;

	EXPECT_EQ(sizeof(*h), recs[i].len);
	EXPECT_EQ(0, h->_pad);
	ASSERT_EQ(NR_SETS, h->nr_sets);
	ASSERT_LT(i + NR_SETS + 1, n);
	for (j = i + 1; j <= i + NR_SETS; j++) {
		const struct ckpt_hdr_ipc_sem_adj *a = (const void *)(img->buf + recs[j].off);
		const __s16 *adj = (const __s16 *)(a + 1);

		ASSERT_EQ(CKPT_HDR_IPC_SEM_ADJ, recs[j].type)
			TH_LOG("record %d of the undo list", j - i);
		for (set = 0; set < NR_SETS && b->set_id[set] != a->semid; set++)
			;
		ASSERT_GT(NR_SETS, set) TH_LOG("undo entry of set %d", a->semid);
		/* Increasing, and NR_SETS of them: each set once. */
		EXPECT_LT(last_id, a->semid) TH_LOG("undo entry of %s out of order",
						    set_name[set]);
		last_id = a->semid;
		ASSERT_EQ(set_nsems[set], a->nsems) TH_LOG("undo entry of %s", set_name[set]);
		ASSERT_EQ(sizeof(*a) + set_nsems[set] * sizeof(*adj), recs[j].len);
		for (sem = 0; sem < set_nsems[set]; sem++)
			EXPECT_EQ(undo_adj(set, sem), adj[sem])
				TH_LOG("adjustment of semaphore %d of %s", sem, set_name[set]);
	}
	ASSERT_EQ(CKPT_HDR_TASK, recs[j].type)
		TH_LOG("the undo list is followed by type %u", recs[j].type);
	t = (const void *)(img->buf + recs[j].off);
	EXPECT_EQ(b->kid.pid, t->pid) TH_LOG("the undo list is not the child's");
	EXPECT_TRUE(t->flags & CKPT_TASK_THREAD_LEADER);
}

/*
 * An attachment: whole, at an address where one of segment @seg was,
 * named by its objref; read-only (no MAYWRITE) only where B was
 * attached SHM_RDONLY.
 */
static void check_image_vma(struct __test_metadata *_metadata,
			    const struct ckpt_hdr_vma *v, int seg,
			    const struct ipc_report *b)
{
	const __u32 mask = CKPT_VMA_READ | CKPT_VMA_WRITE | CKPT_VMA_SHARED |
			   CKPT_VMA_MAYREAD | CKPT_VMA_MAYWRITE;
	__u32 flags = CKPT_VMA_READ | CKPT_VMA_SHARED | CKPT_VMA_MAYREAD;
	bool at = false;
	int i;

	for (i = 0; i < NR_MAPS; i++)
		at |= map_seg[i] == seg && v->start == b->addr[i];
	if (seg == SEG_A)
		at |= v->start == b->kid.a;
	EXPECT_TRUE(at) TH_LOG("segment %d mapped at %#llx", seg, v->start);
	EXPECT_EQ(page_align(seg_size(seg)), v->end - v->start);
	EXPECT_EQ(0, v->pgoff);
	if (seg != SEG_B || v->start != b->addr[MAP_B_RO])
		flags |= CKPT_VMA_WRITE | CKPT_VMA_MAYWRITE;
	EXPECT_EQ(flags, v->flags & mask) TH_LOG("mapping at %#llx", v->start);
}

/*
 * The IPC records come right after the namespaces record, before the
 * first task: segments, then the queue with its messages, then the
 * sets, each kind by increasing id.  Then the attachments, and the
 * child's undo list.
 */
static void check_image(struct __test_metadata *_metadata,
			const struct ckpt_image *img, const struct ipc_report *b)
{
	static struct ckpt_rec recs[CKPT_MAX_RECS];
	int n = image_walk(img, recs, CKPT_MAX_RECS), i, seg, kind = 0, last_id = -1;
	int nr_texts = 0, nr_kind[3] = { 0 }, nr_vmas[NR_SEGS] = { 0 };
	int nr_undo = 0, nr_adj = 0, nr_thread = 0;
	__u32 ref[NR_SEGS] = { 0 };
	bool ns_seen = false, task_seen = false;

	ASSERT_LT(0, n) TH_LOG("the image does not walk");
	for (i = 0; i < n; i++) {
		const void *rec = img->buf + recs[i].off;
		const struct ckpt_ipc_perm *perm = NULL;
		int k = -1;

		switch (recs[i].type) {
		case CKPT_HDR_NAMESPACES:
			ns_seen = true;
			EXPECT_TRUE(((const struct ckpt_hdr_namespaces *)rec)->flags &
				    CKPT_NS_IPC);
			break;
		case CKPT_HDR_TASK: {
			const struct ckpt_hdr_task *t = rec;

			task_seen = true;
			if (t->pid != b->kid.tid)
				break;
			nr_thread++;
			EXPECT_FALSE(t->flags & CKPT_TASK_THREAD_LEADER);
			break;
		}
		case CKPT_HDR_IPC_SEM_UNDO:
			nr_undo++;
			check_image_undo(_metadata, img, recs, n, i, b);
			break;
		case CKPT_HDR_IPC_SEM_ADJ:
			nr_adj++;
			break;
		case CKPT_HDR_IPC_SHM:
			k = 0;
			perm = &((const struct ckpt_hdr_ipc_shm *)rec)->perm;
			break;
		case CKPT_HDR_IPC_MSG:
			k = 1;
			perm = &((const struct ckpt_hdr_ipc_msg *)rec)->perm;
			break;
		case CKPT_HDR_IPC_SEM:
			k = 2;
			perm = &((const struct ckpt_hdr_ipc_sem *)rec)->perm;
			break;
		case CKPT_HDR_IPC_MSG_TEXT:
			nr_texts++;
			break;
		case CKPT_HDR_VMA: {
			const struct ckpt_hdr_vma *v = rec;
			const struct ckpt_vma_shmem *shm = (const void *)(v + 1);

			if (v->kind != CKPT_VMA_SYSVSHM)
				break;
			EXPECT_EQ(sizeof(*shm), v->path_len);
			for (seg = 0; seg < NR_SEGS && ref[seg] != shm->shmem_ref; seg++)
				;
			ASSERT_GT(NR_SEGS, seg)
				TH_LOG("mapping at %#llx names objref %u", v->start,
				       shm->shmem_ref);
			nr_vmas[seg]++;
			check_image_vma(_metadata, v, seg, b);
			break;
		}
		}
		if (k < 0)
			continue;

		EXPECT_TRUE(ns_seen && !task_seen)
			TH_LOG("IPC record %d is not between the namespaces and the tasks", i);
		EXPECT_LE(kind, k) TH_LOG("IPC record %d out of order", i);
		if (k != kind)
			last_id = -1;
		kind = k;
		EXPECT_LT(last_id, perm->id) TH_LOG("IPC record %d out of order", i);
		last_id = perm->id;
		EXPECT_EQ(getuid(), perm->cuid);
		EXPECT_EQ(getgid(), perm->gid);
		nr_kind[k]++;
		if (k == 1)
			check_image_msg(_metadata, img, recs, n, i, b);
		if (k == 2)
			check_image_sem(_metadata, img, &recs[i], b);
		if (k)
			continue;
		for (seg = 0; seg < NR_SEGS && b->id[seg] != perm->id; seg++)
			;
		ASSERT_GT(NR_SEGS, seg) TH_LOG("segment %d is not ours", perm->id);
		ref[seg] = ((const struct ckpt_hdr_obj *)rec)->objref;
		check_image_shm(_metadata, img, recs, n, i, seg, b);
	}
	EXPECT_TRUE(ns_seen) TH_LOG("no namespaces record");
	EXPECT_EQ(NR_SEGS, nr_kind[0]);
	EXPECT_EQ(1, nr_kind[1]);
	EXPECT_EQ(NR_SETS, nr_kind[2]);
	EXPECT_EQ(NR_MSGS, nr_texts);
	/* One undo list, the child's, which its thread shares. */
	EXPECT_EQ(1, nr_undo);
	EXPECT_EQ(NR_SETS, nr_adj);
	EXPECT_EQ(1, nr_thread) TH_LOG("task records of the child's thread");
	for (seg = 0; seg < NR_SEGS; seg++)
		EXPECT_EQ(seg_nattch[seg], nr_vmas[seg]) TH_LOG("mappings of segment %d", seg);
}

struct rounds {
	struct __test_metadata *metadata;
	const struct ipc_report *before;
	int done;
};

static void check_restored(struct restart_round *rr, void *arg)
{
	struct rounds *rounds = arg;
	struct __test_metadata *_metadata = rounds->metadata;
	int status;

	check(_metadata, rounds->before, rr->ctl, rr->res, true);
	ASSERT_EQ(rr->root, waitpid(rr->root, &status, 0));
	EXPECT_EQ(0, status);
	rounds->done++;
}

TEST_F_TIMEOUT(sysv, objects, 180)
{
	struct rounds rounds = { _metadata, &self->before, 0 };
	int status;

	if (!variant->restarts) {
		ASSERT_LT(0, checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE,
					      &self->pc.img, self->pc.log,
					      sizeof(self->pc.log)))
			TH_LOG("%s", self->pc.log);
		check_image(_metadata, &self->pc.img, &self->before);
		check(_metadata, &self->before, self->pc.ctl, self->pc.res, false);
		ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, &status, 0));
		self->pc.pid = -1;
		EXPECT_EQ(0, status);
		return;
	}
	ASSERT_LT(0, kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE,
					     variant->restarts, check_restored,
					     &rounds))
		TH_LOG("%s", self->pc.log);
	EXPECT_EQ(variant->restarts, rounds.done);
	check_image(_metadata, &self->pc.img, &self->before);
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */

#define R_PAGES		4	/* pages of a segment of a refusal test */
#define R_SALT		20
#define R_SKIP_IDS	41	/* its id, in a namespace of its own */

/* What the target of a refusal test tells the test once set up. */
struct refusal_report {
	int setup;		/* 0, or the line where the set-up failed */
	int err;		/* its errno */
	int lock_err;		/* errno of SHM_LOCK: the test is skipped */
	int id;			/* of its segment or set */
	unsigned long addr;	/* of its attachment */
};

FIXTURE(refusal) {
	struct piped_child pc;
	struct refusal_report r;
};

FIXTURE_VARIANT(refusal) {
	/* In the target: set up, then, let go, check it is unharmed (0). */
	int (*set_up)(struct refusal_report *r);
	int (*unharmed)(const struct refusal_report *r);
	const char *says;	/* in the message */
	bool names_pid;		/* it names the target, not the object */
	bool names_addr;	/* it names the attachment's address too */
	bool own_ns;		/* the target unshares CLONE_NEWIPC */
	bool our_shm, our_sem;	/* the target uses an object of ours */
	int page;		/* the page unmapped or mprotect()ed, or -1: all */
	bool mprotect;		/* mprotect(PROT_READ), not munmap() */
	bool detach;		/* the locked segment is not attached */
};

/* The test's objects that a target uses, and the target's variant. */
static int our_shm = -1, our_sem = -1, our_err;
static FIXTURE_VARIANT(refusal) refusal;

static int refusal_failed(struct refusal_report *r, int line)
{
	r->setup = line;
	r->err = errno;
	return -1;
}

static void fill_r(unsigned char *mem)
{
	size_t off;

	for (off = 0; off < R_PAGES * psz; off++)
		mem[off] = pat(R_SALT, off);
}

/* Pages of @mem, but @skip (-1: none), that do not hold the pattern. */
static int bad_r(const unsigned char *mem, int skip)
{
	size_t off;
	int bad = 0;

	for (off = 0; off < R_PAGES * psz; off++)
		if ((long)(off / psz) != skip && mem[off] != pat(R_SALT, off)) {
			bad++;
			off = (off / psz + 1) * psz - 1;
		}
	return bad;
}

/* A segment of R_PAGES pages, of id R_SKIP_IDS, attached and written. */
static unsigned char *new_segment(struct refusal_report *r)
{
	unsigned char *mem;
	int i, id;

	for (i = 0; i < R_SKIP_IDS; i++) {
		id = shmget(IPC_PRIVATE, psz, 0600);
		if (id < 0 || shmctl(id, IPC_RMID, NULL))
			return NULL;
	}
	r->id = shmget(IPC_PRIVATE, R_PAGES * psz, 0600);
	if (r->id < 0)
		return NULL;
	mem = shmat(r->id, NULL, 0);
	if (mem == (void *)-1)
		return NULL;
	fill_r(mem);
	r->addr = (unsigned long)mem;
	return mem;
}

static int undo_set_up(struct refusal_report *r)
{
	struct sembuf op = { 0, 1, SEM_UNDO };

	r->id = our_sem;
	if (semop(r->id, &op, 1))
		return refusal_failed(r, __LINE__);
	return 0;
}

static int undo_unharmed(const struct refusal_report *r)
{
	return semctl(r->id, 0, GETVAL) == 1 ? 0 : 1;
}

static int ours_set_up(struct refusal_report *r)
{
	unsigned char *mem = shmat(our_shm, NULL, 0);

	if (mem == (void *)-1)
		return refusal_failed(r, __LINE__);
	fill_r(mem);
	r->id = our_shm;
	r->addr = (unsigned long)mem;
	return 0;
}

/* The pattern is there; the test then finds TOKEN_KID at its start. */
static int ours_unharmed(const struct refusal_report *r)
{
	unsigned char *mem = (unsigned char *)r->addr;

	if (bad_r(mem, -1))
		return 1;
	store32(mem, TOKEN_KID);
	return 0;
}

static int partial_set_up(struct refusal_report *r)
{
	unsigned char *mem = new_segment(r);
	size_t from = refusal.page < 0 ? 0 : refusal.page * psz;
	size_t len = refusal.page < 0 ? R_PAGES * psz : psz;

	if (!mem)
		return refusal_failed(r, __LINE__);
	if (refusal.mprotect ? mprotect(mem + from, len, PROT_READ) :
	    munmap(mem + from, len))
		return refusal_failed(r, __LINE__);
	return 0;
}

/*
 * The pages left are there, and writable but the mprotect()ed ones; an
 * unmapped page faults.
 */
static int partial_unharmed(const struct refusal_report *r)
{
	unsigned char *mem = (unsigned char *)r->addr;
	int page;

	if (bad_r(mem, refusal.mprotect ? -1 : refusal.page))
		return 1;
	for (page = 0; page < R_PAGES; page++) {
		bool changed = refusal.page < 0 || page == refusal.page;

		if (faults(mem + page * psz, true) != changed)
			return 2 + page;
	}
	return 0;
}

static int locked_set_up(struct refusal_report *r)
{
	unsigned char *mem = new_segment(r);

	if (!mem || (refusal.detach && shmdt(mem)))
		return refusal_failed(r, __LINE__);
	if (shmctl(r->id, SHM_LOCK, NULL))
		r->lock_err = errno;
	return 0;
}

static int locked_unharmed(const struct refusal_report *r)
{
	unsigned char *mem = (unsigned char *)r->addr;
	struct shmid_ds ds;

	if (shmctl(r->id, IPC_STAT, &ds) || !(ds.shm_perm.mode & SHM_LOCKED))
		return 1;
	if (refusal.detach)
		mem = shmat(r->id, NULL, SHM_RDONLY);
	if (mem == (void *)-1 || bad_r(mem, -1))
		return 2;
	return 0;
}

/* Those of a set of the target's own IPC namespace are saved: sysv. */
FIXTURE_VARIANT_ADD(refusal, sem_undo) {
	.set_up = undo_set_up,
	.unharmed = undo_unharmed,
	.says = "undo entries for sets of the checkpointer's IPC namespace: not supported",
	.names_pid = true,
	.our_sem = true,
};

FIXTURE_VARIANT_ADD(refusal, segment_of_our_namespace) {
	.set_up = ours_set_up,
	.unharmed = ours_unharmed,
	.says = "only saved with an IPC namespace",
	.names_addr = true,
	.our_shm = true,
};

FIXTURE_VARIANT_ADD(refusal, first_page_unmapped) {
	.set_up = partial_set_up,
	.unharmed = partial_unharmed,
	.says = "partly mapped",
	.own_ns = true,
	.page = 0,
};

FIXTURE_VARIANT_ADD(refusal, middle_page_unmapped) {
	.set_up = partial_set_up,
	.unharmed = partial_unharmed,
	.says = "partly mapped",
	.own_ns = true,
	.page = 1,
};

FIXTURE_VARIANT_ADD(refusal, last_page_unmapped) {
	.set_up = partial_set_up,
	.unharmed = partial_unharmed,
	.says = "partly mapped",
	.own_ns = true,
	.page = R_PAGES - 1,
};

FIXTURE_VARIANT_ADD(refusal, page_mprotected) {
	.set_up = partial_set_up,
	.unharmed = partial_unharmed,
	.says = "mprotect()ed",
	.own_ns = true,
	.page = 1,
	.mprotect = true,
};

FIXTURE_VARIANT_ADD(refusal, all_mprotected) {
	.set_up = partial_set_up,
	.unharmed = partial_unharmed,
	.says = "mprotect()ed",
	.own_ns = true,
	.page = -1,
	.mprotect = true,
};

FIXTURE_VARIANT_ADD(refusal, locked) {
	.set_up = locked_set_up,
	.unharmed = locked_unharmed,
	.says = "SHM_LOCK",
	.own_ns = true,
};

FIXTURE_VARIANT_ADD(refusal, locked_detached) {
	.set_up = locked_set_up,
	.unharmed = locked_unharmed,
	.says = "SHM_LOCK",
	.own_ns = true,
	.detach = true,
};

static void __noreturn refusal_target(void)
{
	struct refusal_report r = { 0 };
	char c;

	psz = sysconf(_SC_PAGESIZE);
	if (refusal.own_ns && unshare(CLONE_NEWIPC))
		refusal_failed(&r, __LINE__);
	else
		refusal.set_up(&r);
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r) || r.setup)
		_exit(90);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(91);
	_exit(refusal.unharmed(&r));
}

/*
 * No assertion here: the teardown, which removes our objects, only runs
 * after a set-up that completed.
 */
FIXTURE_SETUP(refusal)
{
	psz = sysconf(_SC_PAGESIZE);
	refusal = *variant;
	if (variant->our_shm)
		our_shm = shmget(IPC_PRIVATE, R_PAGES * psz, IPC_CREAT | 0600);
	if (variant->our_sem)
		our_sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	our_err = errno;
}

FIXTURE_TEARDOWN(refusal)
{
	piped_child_end(&self->pc);
	if (our_shm >= 0)
		shmctl(our_shm, IPC_RMID, NULL);
	if (our_sem >= 0)
		semctl(our_sem, 0, IPC_RMID);
	our_shm = -1;
	our_sem = -1;
}

/* After the target's exit, our object is as it left it. */
static void check_ours(struct __test_metadata *_metadata)
{
	unsigned char *mem;

	if (refusal.our_sem)
		EXPECT_EQ(0, semctl(our_sem, 0, GETVAL))
			TH_LOG("the target's SEM_UNDO entry was not applied at its exit");
	if (!refusal.our_shm)
		return;
	mem = shmat(our_shm, NULL, SHM_RDONLY);
	ASSERT_NE((void *)-1, mem) TH_LOG("shmat(): %s", strerror(errno));
	EXPECT_EQ(TOKEN_KID, load32(mem)) TH_LOG("the target's word is not there");
	EXPECT_EQ(0, shmdt(mem));
}

TEST_F(refusal, checkpoint_refused)
{
	struct refusal_report *r = &self->r;
	char *log = self->pc.log;
	char addr[32];
	int status;
	long ret;

	if (variant->our_shm)
		ASSERT_LE(0, our_shm) TH_LOG("shmget(): %s", strerror(our_err));
	if (variant->our_sem)
		ASSERT_LE(0, our_sem) TH_LOG("semget(): %s", strerror(our_err));
	ASSERT_LE(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, refusal_target));
	ASSERT_EQ(0, read_within(self->pc.res, r, sizeof(*r), WAIT_MS));
	ASSERT_EQ(0, r->setup) TH_LOG("set-up failed at line %d: %s", r->setup,
				      strerror(r->err));
	if (r->lock_err)
		SKIP(return, "SHM_LOCK: %s", strerror(r->lock_err));
	ASSERT_EQ(0, wait_in_read(self->pc.pid));

	ret = checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE, NULL, log,
			       sizeof(self->pc.log));
	EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("log: %s", log);
	EXPECT_NE(NULL, strstr(log, variant->says)) TH_LOG("log: %s", log);
	if (variant->names_pid) {
		EXPECT_TRUE(log_has_number(log, self->pc.pid)) TH_LOG("log: %s", log);
	} else {
		EXPECT_TRUE(log_has_number(log, r->id))
			TH_LOG("segment %d; log: %s", r->id, log);
	}
	snprintf(addr, sizeof(addr), "%#lx", r->addr);
	if (variant->names_addr)
		EXPECT_NE(NULL, strstr(log, addr)) TH_LOG("at %s; log: %s", addr, log);

	/* Still waiting for us, then unharmed. */
	EXPECT_EQ(0, wait_in_read(self->pc.pid));
	ASSERT_EQ(1, write(self->pc.ctl, "x", 1));
	ASSERT_EQ(self->pc.pid, waitpid(self->pc.pid, &status, 0));
	self->pc.pid = -1;
	EXPECT_EQ(0, status);
	check_ours(_metadata);
}

TEST_HARNESS_MAIN
