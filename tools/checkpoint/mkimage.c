// SPDX-License-Identifier: GPL-2.0
/*
 * mkimage - write checkpoint images, for testing ckptinfo and restart(2)
 *
 *   mkimage          a valid image of a small process tree, laid out as
 *                    kernel/checkpoint/checkpoint.c writes one
 *   mkimage CASE     the same image, or another, valid or broken in one
 *                    place
 *   mkimage -l       the cases, one a line: name, errno name, errno
 *                    number and offset of the first bad byte that
 *                    restart(2) and ckptinfo must report ("- 0 -" for a
 *                    valid image)
 *   mkimage -r SEED  the valid image, damaged at random, for fuzzing
 *   mkimage -t N     the valid image cut to its first N bytes
 *   mkimage -x N     the valid image with the bits of byte N flipped
 *   mkimage -P       the runs of bytes of the valid image that are all
 *                    alike to a reader, so that a test may try only a
 *                    sample of them: page contents, XSAVE state but its
 *                    header, the padding of saved siginfos, the entries
 *                    of signal actions left all zero (but those of
 *                    SIGKILL and SIGSTOP), and the resource limits of
 *                    every task but the first, the same as the first
 *                    task's: offsets of the first and last byte of each
 *                    run, a line each
 *
 * The image goes to standard output.  This is a test helper: it is not
 * installed.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"

#define MAX_TASKS	((int)CKPT_TREE_MAX_TASKS)
#define MAX_CREDS	8
#define MAX_MMS		4
#define MAX_VMAS	8
#define MAX_RUNS	4
#define MAX_SHMS	2	/* shared anonymous memory objects */
#define MAX_MEMFDS	3	/* memfds */
#define MAX_SIGS	4	/* processes, each with its handlers and signals */
#define MAX_FILES	24	/* open files */
#define MAX_TABLES	4	/* descriptor tables */
#define MAX_FSS		4	/* working directories and roots */
#define MAX_PIPES	2	/* pipes made by pipe(2) */
#define MAX_SOCKS	12	/* sockets, each a file */
#define MAX_UPAIRS	4	/* pairs of connected unix sockets */
#define MAX_TCPS	6	/* TCP connections */
#define MAX_ACCEPTS	2	/* accept queues of listening TCP sockets */
#define MAX_PTYS	2	/* pseudo-terminals whose master is saved */
#define MAX_FDS		16	/* descriptors of a table sockets were added to */
#define MAX_TFDS	8	/* timerfds, each a file */
#define MAX_PIDFDS	8	/* pidfds, each a file */
#define MAX_EPOLLS	8	/* epolls, each a file */
#define MAX_ITEMS	6	/* items of an epoll */
#define MAX_LOCKS	6	/* locks of a file or of a table */
#define MAX_TIMERS	8	/* POSIX timers of a process, but copies */
#define MAX_TSETS	4	/* processes with POSIX timers */
#define MAX_IPC		3	/* SysV IPC objects of each kind */
#define MAX_TEXTS	4	/* messages of a SysV message queue */
#define MAX_UNDOS	3	/* SysV semaphore undo lists */
#define MAX_ADJS	3	/* sets of an undo list */
#define MAX_MQS		3	/* POSIX message queues */
#define MAX_MQ_MSGS	3	/* messages of a POSIX message queue */
#define MAX_INOTIFYS	2	/* inotify instances, each a file */
#define MAX_WATCHES	4	/* watches of an inotify */
#define MAX_IEVENTS	6	/* events queued on an inotify */
#define MAX_NETDEVS	(CKPT_NET_MAX + 1)	/* devices of a network namespace */
#define MAX_NETADDRS	4	/* ... their addresses */
#define MAX_NETROUTES	4	/* ... and routes */
#define MAX_PIDNS	40	/* pid namespaces below the root's */
#define MAX_NSTASKS	8	/* tasks that may be in them */
#define MAX_NSDEPTH	2	/* levels below the root's of those tasks */
#define PAGE		4096ULL
#define HPAGE		(2ULL << 20)	/* a huge page of x86_64, PMD_SIZE */
#define HPAGE_1G	(1024ULL << 20)	/* PUD_SIZE, on a CPU with gbpages */
#define XSTATE_SIZE	832	/* x87, SSE and AVX */

/*
 * The size of the XSAVE areas written: XSTATE_SIZE, or with
 * MKIMAGE_XSTATE=native in the environment, this CPU's, which restart(2)
 * requires (the state of the features beyond AVX is left at init).
 */
static unsigned int xstate_size = XSTATE_SIZE;

static void set_xstate_size(void)
{
	const char *s = getenv("MKIMAGE_XSTATE");
	unsigned int a = 0xd, b, c = 0, d;

	if (!s || strcmp(s, "native"))
		return;
	__asm__("cpuid" : "+a" (a), "=b" (b), "+c" (c), "=d" (d));
	if (b > XSTATE_SIZE)
		xstate_size = b;
}

#define CAP_FULL	((1ULL << 41) - 1)	/* CAP_LAST_CAP 40 */
#define NO_TASK		(-1)

/* Signals as x86 numbers them, whatever the host's are */
#define X86_SIGHUP	1
#define X86_SIGINT	2
#define X86_SIGQUIT	3
#define X86_SIGKILL	9
#define X86_SIGUSR1	10
#define X86_SIGUSR2	12
#define X86_SIGALRM	14
#define X86_SIGPIPE	13
#define X86_SIGTERM	15
#define X86_SIGCHLD	17
#define X86_SIGSTOP	19
#define X86_SIGTSTP	20
#define X86_SIGTTOU	22
#define X86_SIGRTMIN	32
#define SIGBIT(sig)	(1ULL << ((sig) - 1))
#define SA_NOCLDSTOP_	0x00000001ULL
#define SA_SIGINFO_	0x00000004ULL
#define SA_RESTORER_	0x04000000ULL
#define SA_RESTART_	0x10000000ULL
#define SA_KNOWN	0xdc000c07ULL	/* all restart(2) takes */
#define SI_USER_	0
#define SI_QUEUE_	(-1)
#define SI_TIMER_	(-2)
#define SI_TKILL_	(-6)
#define SS_DISABLE_	2
#define SS_AUTODISARM_	0x80000000U
#define MINSIGSTKSZ_	2048
#define TASK_SIZE_MAX	0x7ffffffff000ULL
#define KSIGINFO_SIZE	48	/* sizeof(kernel_siginfo_t): the rest is zero */
/* Open files: the x86 O_* flags and the modes, whatever the host's are */
#define O_RDONLY_	00000000
#define O_WRONLY_	00000001
#define O_RDWR_		00000002
#define O_CREAT_	00000100
#define O_EXCL_		00000200
#define O_APPEND_	00002000
#define O_NONBLOCK_	00004000
#define FASYNC_		00020000
#define O_LARGEFILE_	00100000
#define O_DIRECTORY_	00200000
#define O_NOFOLLOW_	00400000
#define O_NOATIME_	01000000
#define O_PATH_		010000000
#define O_KNOWN		015776003	/* CKPT_FILE_FLAGS: all restart(2) takes */
#define S_IFREG_	0100000
#define S_IFDIR_	0040000
#define S_IFCHR_	0020000
#define S_IFBLK_	0060000
#define S_IFIFO_	0010000
#define S_IFSOCK_	0140000
/* Sockets: the x86_64 numbers, whatever the host's are */
#define AF_UNIX_	1
#define AF_INET_	2
#define AF_INET6_	10
#define AF_NETLINK_	16
#define SOCK_STREAM_	1
#define SOCK_DGRAM_	2
#define SOCK_RAW_	3
#define SOCK_SEQPACKET_	5
#define IPPROTO_ICMP_	1
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define ECONNRESET_	104
#define EPIPE_		32
#define SOCKADDR_UN_LEN	110	/* sizeof(struct sockaddr_un) */
/* Network namespaces: the rtnetlink values */
#define RTPROT_KERNEL_	2
#define RTPROT_BOOT_	3
#define RTPROT_STATIC_	4
#define RTN_UNICAST_	1
#define RTN_LOCAL_	2
#define RTN_BLACKHOLE_	6
#define RT_SCOPE_LINK_	253
#define RT_SCOPE_HOST_	254
#define MAX_LFS_FILESIZE 0x7fffffffffffffffULL
#define DEV(ma, mi)	((uint32_t)((ma) << 8 | (mi)))	/* new_encode_dev(), minor < 256 */
/* File locks: the x86 values */
#define F_RDLCK_	0
#define F_WRLCK_	1
#define F_UNLCK_	2
#define OFFSET_MAX_	0x7fffffffffffffffLL
#define O_DIRECT_	00040000
/* Task attributes */
#define RLIM_INF	(~0ULL)
#define SCHED_FIFO_	1
#define SCHED_RR_	2
#define SCHED_BATCH_	3
#define SCHED_IDLE_	5
#define SCHED_DEADLINE_	6
#define ROBUST_LIST_SIZE 24	/* sizeof(struct robust_list_head) */
#define RSEQ_SIG_X86	0x53053053
/* POSIX timers: the clocks and SIGEV_* values of x86_64 */
#define CLOCK_REALTIME_	0
#define CLOCK_MONOTONIC_ 1
#define CLOCK_PROCESS_CPUTIME_ID_ 2
#define CLOCK_THREAD_CPUTIME_ID_ 3
#define CLOCK_MONOTONIC_RAW_ 4
#define CLOCK_BOOTTIME_	7
#define CLOCK_REALTIME_ALARM_ 8
#define CLOCK_TAI_	11
#define SIGEV_SIGNAL_	0
#define SIGEV_NONE_	1
#define SIGEV_THREAD_	2
#define SIGEV_THREAD_ID_ 4
#define REQUEUE_PENDING	1	/* in it_requeue_pending */
#define NSEC		1000000000LL
#define MS		1000000LL
#define KTIME_MAX	INT64_MAX
#define KTIME_SEC_MAX	(KTIME_MAX / NSEC)
#define TIME_MAX	(KTIME_SEC_MAX * NSEC)	/* the largest time of a timer */
/* Terminals: the x86 termios flags, whatever the host's are */
#define ICRNL_		0000400
#define IXON_		0002000
#define OPOST_		0000001
#define ONLCR_		0000004
#define B38400_		0000017
#define CS8_		0000060
#define CREAD_		0000200
#define ISIG_		0000001
#define ICANON_		0000002
#define ECHO_		0000010
#define ECHOE_		0000020
#define ECHOK_		0000040
#define ECHOCTL_	0001000
#define ECHOKE_		0004000
#define IEXTEN_		0100000

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* Offset of field @f of the record of struct @s at @off */
#define AT(off, s, f)	((off) + offsetof(struct s, f))

struct mcred {
	uint32_t uid, euid, suid, fsuid, gid, egid, sgid, fsgid;
	uint64_t cap_inheritable, cap_permitted, cap_effective, cap_bset;
	uint64_t cap_ambient;
	uint32_t securebits;
	uint32_t ngroups;
	uint32_t groups[CKPT_CRED_MAX_GROUPS];
};

/*
 * A pending signal, as siginfo_t: what is not here is zero.  For
 * SI_TIMER, @pid is the timer id, @uid the overrun count, @value the
 * timer's sigev_value and @sys_private the kernel's it_requeue_pending,
 * which the kernel now saves as 0 (the timer record has it) but older
 * images have.
 */
struct msiginfo {
	int32_t signo, code;
	int32_t pid;		/* of the sender, for SI_USER, SI_QUEUE, ... */
	uint32_t uid;
	uint64_t value;		/* of sigqueue() */
	int32_t sys_private;
};

/* What the threads of a process share: its handlers and pending signals */
struct msig {
	struct ckpt_sigaction action[CKPT_NSIG];	/* host byte order */
	int64_t it_real_value, it_real_interval;	/* ITIMER_REAL, in ns */
	int64_t it_virt_value, it_virt_interval;	/* ITIMER_VIRTUAL */
	int64_t it_prof_value, it_prof_interval;	/* ITIMER_PROF */
	uint32_t nr_pending;	/* of copies of @pending */
	struct msiginfo pending;
};

/* An open file, as ckpt_file_checkpoint() saves it */
struct mfile {
	uint32_t kind, f_flags;
	int64_t pos;
	uint32_t mode, rdev;
	uint64_t ino, dev;
	const char *path;	/* NULL for CKPT_FILE_INHERIT and CKPT_FILE_PIPE */
	int pipe;		/* CKPT_FILE_PIPE: 1 + index in img.pipes */
	int sock;		/* CKPT_FILE_SOCKET: 1 + index in img.socks */
	int tfd;		/* CKPT_FILE_TIMERFD: 1 + index in img.tfds */
	int epoll;		/* CKPT_FILE_EPOLL: 1 + index in img.epolls */
};

/* An epoll, as ckpt_epoll_record() saves it: its items */
struct mepoll {
	int nr_items;
	struct mitem {
		int file;	/* index in img.files */
		int32_t fd;
		uint32_t events;
		uint64_t data;
	} items[MAX_ITEMS];
};

/* A pipe, as ckpt_pipe_checkpoint() saves it */
struct mpipe {
	uint32_t size, ends, nr_bytes;
	const char *data;	/* NULL: a pattern of nr_bytes */
};

/*
 * A pair of connected unix sockets, as ckpt_unix_pair_checkpoint() saves
 * it: for each end, what it has to read, and the files in flight to it
 * (SCM_RIGHTS), which build() writes before the pair
 */
struct mupair {
	uint32_t type, ends;
	struct mend {
		uint32_t shutdown;
		int32_t err;
		uint32_t nr_msgs, nr_bytes;
		const uint32_t *msgs;	/* NULL: nr_bytes spread over nr_msgs */
		const char *data;	/* NULL: a pattern of nr_bytes */
		uint32_t nr_fds;	/* descriptors in flight, 0: none */
		const uint32_t *msg_fds;	/* of each message; NULL: all on the first */
		const int *files;	/* nr_fds indexes in img.files; NULL: objrefs 0 */
	} end[2];
};

/*
 * The connections a listening TCP socket holds for accept(2), as
 * ckpt_tcp_accept_save() saves them: indexes in img.tcps, in the order
 * accept(2) takes them
 */
struct maccept {
	uint32_t nr_conns;
	int conns[MAX_TCPS];
};

/*
 * A pseudo-terminal, as ckpt_pty_checkpoint() saves it: its state, the
 * termios (host byte order) and window size of its slave, the path of
 * its ptmx device, and what each side holds for its reader, in[0] the
 * slave's, in[1] the master's
 */
struct mpty {
	uint32_t index, flags, master_acc;
	int32_t session, fg_pgrp;	/* 0: not a controlling terminal saved */
	uint8_t pktstatus;
	struct ckpt_termios termios;
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
	const char *path;
	struct mttyq {
		uint32_t len, canon, pending, flags, column, canon_column;
		const char *data;	/* NULL: a pattern of len bytes */
		const char *pending_data;	/* NULL: a pattern of pending bytes */
		uint64_t ends;		/* bit j: byte j ends a line (canon <= 64) */
	} in[2];
	uint32_t extra;		/* zero bytes after in[1]'s, for the cases that want them */
};

/* A descriptor: its number, CKPT_FD_* flags and file (index in img.files) */
struct mfd {
	int32_t fd;
	uint32_t flags;
	int file;
};

struct mtable {
	int nr_fds;
	const struct mfd *fds;
};

/* The size and modification time of a CKPT_FILE_REG file, as saved */
struct mstat {
	uint64_t size;
	int64_t mtime_sec;
	uint32_t mtime_nsec;
};

/*
 * The locks of a CKPT_HDR_FILE_LOCKS record, after a file or a table, as
 * ckpt_write_locks() writes them: none, no record
 */
struct mlocks {
	int nr;
	struct ckpt_file_lock l[MAX_LOCKS];
};

/* Working directory, root and umask */
struct mfs {
	uint32_t umask;
	const char *cwd, *root;
};

/* The task_attrs record, in host byte order */
struct mattrs {
	int32_t nice;
	uint32_t policy, rt_priority, flags;
	int32_t pdeath_signal;
	uint32_t dumpable;
	uint64_t clear_child_tid, robust_list, robust_list_len, rseq;
	uint32_t rseq_len, rseq_sig;
	struct ckpt_rlimit rlim[CKPT_RLIM_NLIMITS];
};

/* A POSIX timer, as struct ckpt_posix_timer */
struct mtimer {
	int32_t id, clockid, notify, signo, notify_tid;
	uint32_t flags;
	uint64_t sigval;
	int64_t value, interval, overrun, overrun_last;
	uint32_t requeue;
};

/* The POSIX timers of a process, in the record of its leader */
struct mtimers {
	uint32_t next_id;
	uint32_t nr;		/* in @t */
	uint32_t nr_more;	/* copies of the last after it, with the next ids */
	struct mtimer t[MAX_TIMERS];
};

struct mtask {
	int32_t pid, tgid, ppid, pgid, sid;
	int32_t exit_signal;
	uint32_t personality;
	int cred, real_cred;	/* indexes in img.creds */
	const char *comm;
	int mm;			/* index in img.mms */
	bool self;		/* the task that called checkpoint(2) */
	int sig;		/* index in img.sigs: that of its leader */
	struct mtsig {		/* its own signal state */
		uint64_t blocked, saved_sigmask;
		uint64_t ss_sp, ss_size;
		uint32_t ss_flags;
		uint32_t flags;
		uint32_t nr_pending;	/* of copies of @pending */
		uint32_t stop_code;
		struct msiginfo pending;
	} ts;
	int files;		/* index in img.tables */
	int fs;			/* index in img.fss */
	struct mattrs at;
	struct mrestart {	/* kind 0: no restart block record */
		uint32_t kind, flags;
		int32_t clockid;
		uint32_t val, bitset, nfds;
		uint64_t addr, timeout_ns;
	} rb;
	int timers;		/* 1 + index in img.tsets, 0: no timers record */
	/* A process that exited: its task record alone, without objects */
	bool zombie;
	int32_t exit_code;	/* of a zombie, as wait(2) reports it */
	uint32_t flags;		/* CKPT_PIDS_* of its tree entry */
	/*
	 * 1 + index in img.sigs of the signal handlers it uses, those of
	 * its parent's process with CKPT_PIDS_SHARE_SIGHAND; 0: those of @sig
	 */
	int sighand;
};

/* A run of saved pages */
struct mrun {
	uint64_t addr;
	uint32_t nr;
};

struct mvma {
	uint64_t start, end, pgoff;
	uint32_t kind, flags;
	const char *path;	/* of a file mapping */
	int nr_runs;
	struct mrun runs[MAX_RUNS];
};

/*
 * Shared anonymous memory, as ckpt_shmem_checkpoint() saves it: its size,
 * and its runs of pages, whose addr is the offset in it; of huge pages
 * (MAP_HUGETLB), as ckpt_shmem_hugetlb_checkpoint() saves it, with the
 * size of its pages
 */
struct mshm {
	uint64_t size;
	int nr_runs;
	struct mrun runs[MAX_RUNS];
	uint64_t page_size;	/* 0: a CKPT_HDR_SHMEM, else a CKPT_HDR_SHMEM_HUGETLB */
};

/*
 * A memfd, as ckpt_memfd_checkpoint() saves it: its size, seals, mode and
 * name (NULL: name_len 0), and its runs of pages, whose addr is the
 * offset in it
 */
struct mmemfd {
	uint64_t size;
	uint32_t seals, mode;
	const char *name;
	int nr_runs;
	struct mrun runs[MAX_RUNS];
	uint32_t flags;		/* set by the cases that want it */
};

/* The kinds of SysV IPC objects: those of img.ipc_order */
enum { M_SHM = 1, M_MSG, M_SEM };

/* The struct ckpt_ipc_perm of a SysV IPC object */
struct mperm {
	int32_t id, key;
	uint32_t uid, gid, cuid, cgid, mode;
};

/* A SysV shared memory segment, and its runs of pages (addr an offset in it) */
struct mipc_shm {
	struct mperm perm;
	uint64_t size;
	int64_t atime, dtime, ctime;
	uint32_t flags;
	int nr_runs;
	struct mrun runs[MAX_RUNS];
	uint32_t huge_shift;	/* of a segment of huge pages, set by the cases that want it */
};

/* A SysV message queue: nr_msgs in its record, nr_texts records after it */
struct mipc_msg {
	struct mperm perm;
	int64_t stime, rtime, ctime;
	uint64_t qbytes;
	uint32_t nr_msgs;
	int nr_texts;
	struct mtext {
		int64_t mtype;
		uint32_t size;
		const char *text;	/* NULL: a pattern of size bytes */
	} texts[MAX_TEXTS];
};

/* A SysV semaphore set */
struct mipc_sem {
	struct mperm perm;
	int64_t otime, ctime;
	uint32_t nsems;
	uint16_t vals[CKPT_IPC_SEMS_MAX];
};

/* The adjustments of a SysV semaphore undo list to the set semid */
struct madj {
	int32_t semid;
	uint32_t nsems;
	const int16_t *vals;	/* NULL: a pattern of nsems values */
};

/*
 * The SysV semaphore undo list of a process: nr_sets in its record,
 * nr_adjs records after it.  It comes right before the task record of
 * task @task, or before the other objects of that task (@first).
 */
struct mundo {
	int task;
	bool first;
	uint32_t nr_sets;
	int nr_adjs;
	struct madj adjs[MAX_ADJS];
};

/*
 * A POSIX message queue, as ckpt_mq_snap() saves it: nr_msgs in its
 * record, nr_texts records after it, highest priority first
 */
struct mmq {
	const char *name;	/* without its '/' */
	uint32_t uid, gid, mode, nr_msgs;
	int64_t maxmsg, msgsize;
	int64_t atime, mtime, ctime;	/* seconds */
	uint32_t nsec;		/* of each of them */
	int32_t notify_pid, notify, signo;	/* of mq_notify(3), pid 0: none */
	uint32_t notify_flags;
	uint64_t value;
	int nr_texts;
	struct mmq_msg {
		uint32_t prio, size;
		const char *data;	/* NULL: a pattern of size bytes */
	} msgs[MAX_MQ_MSGS];
};

/*
 * An inotify, as ckpt_inotify_save() saves it: the wd inotify_add_watch(2)
 * gives next, how long its queue may grow, the events queued on it and
 * its watches by increasing wd, as many as its record says
 */
struct minotify {
	int32_t next_wd;
	uint32_t max_events;
	int nr_watches, nr_events;
	struct mwatch {
		int32_t wd;
		uint32_t mask;
		uint64_t ino, dev;
		uint32_t mode;		/* the type of the inode */
		const char *path;
	} watches[MAX_WATCHES];
	struct mievent {
		int32_t wd;
		uint32_t mask, cookie;
		const char *name;	/* NULL: none */
	} events[MAX_IEVENTS];
};

/* The layout fields, in the order of struct ckpt_hdr_mm */
enum { L_START_CODE, L_END_CODE, L_START_DATA, L_END_DATA, L_START_BRK, L_BRK,
	L_START_STACK, L_ARG_START, L_ARG_END, L_ENV_START, L_ENV_END, NR_LAYOUT };

struct mmm {
	uint64_t layout[NR_LAYOUT];
	uint32_t nr_auxv;
	uint64_t auxv[8];
	const char *exe;
	int nr_vmas;
	struct mvma vmas[MAX_VMAS];
};

struct img {
	uint8_t *buf;
	size_t len, cap;
	uint64_t nr_records;

	/* the model */
	uint32_t flags;
	uint16_t minor;		/* of the header, 0: CKPT_VERSION_MINOR */
	int nr_tasks;
	struct mtask tasks[MAX_TASKS];
	int nr_creds;
	struct mcred creds[MAX_CREDS];
	int nr_mms;
	struct mmm mms[MAX_MMS];
	int nr_shms;
	struct mshm shms[MAX_SHMS];
	/*
	 * of a CKPT_VMA_SHMEM or a shared CKPT_VMA_HUGETLB: 1 + index in
	 * shms; of a CKPT_VMA_MEMFD: in memfds; of a CKPT_VMA_SYSVSHM: in
	 * ipc_shms
	 */
	int vma_shm[MAX_MMS][MAX_VMAS];
	/*
	 * of a mapping: bit n set if its run n lists pages of the parent, a
	 * CKPT_HDR_PAGES_COW record (in a mapping marked CKPT_VMA_FORKED)
	 */
	uint32_t vma_cow[MAX_MMS][MAX_VMAS];
	int nr_memfds;
	struct mmemfd memfds[MAX_MEMFDS];
	int file_memfd[MAX_FILES];	/* of a CKPT_FILE_MEMFD: 1 + index in memfds */
	int file_pty[MAX_FILES];	/* of a CKPT_FILE_PTY: 1 + index in ptys */
	uint32_t file_pty_end[MAX_FILES];	/* and which end it is, CKPT_PTY_* */
	int file_pidfd[MAX_FILES];	/* of a CKPT_FILE_PIDFD: 1 + index in pidfds */
	int file_mq[MAX_FILES];	/* of a CKPT_FILE_MQUEUE: 1 + index in mqs, 0: mq_ref 0 */
	int file_inotify[MAX_FILES];	/* of a CKPT_FILE_INOTIFY: 1 + index in inotifys */
	/*
	 * of a CKPT_SOCK_TCP socket: 1 + index in tcps, which build() makes
	 * its tcp_ref; of a listening TCP socket: 1 + index in accepts, its
	 * accept_ref (0: none)
	 */
	int file_tcp[MAX_FILES], file_accept[MAX_FILES];
	int nr_sigs;
	struct msig sigs[MAX_SIGS];
	int nr_files;
	struct mfile files[MAX_FILES];
	struct mstat fstat[MAX_FILES];	/* written for CKPT_FILE_REG files only */
	struct mlocks file_locks[MAX_FILES];	/* flock(2) and OFD locks */
	int nr_tables;
	struct mtable tables[MAX_TABLES];
	struct mlocks table_locks[MAX_TABLES];	/* POSIX locks */
	int nr_fss;
	struct mfs fss[MAX_FSS];
	int nr_pipes;
	struct mpipe pipes[MAX_PIPES];
	/*
	 * Sockets, in host byte order; pair_ref is 1 + the index of the
	 * pair in upairs, which build() makes the pair's objref
	 */
	int nr_socks;
	struct ckpt_socket socks[MAX_SOCKS];
	int nr_upairs;
	struct mupair upairs[MAX_UPAIRS];
	/*
	 * TCP connections, as ckpt_tcp_checkpoint() saves them: each its
	 * record in host byte order, its header left to build(), which
	 * writes the bytes received then those to send after it (a
	 * pattern); and of each, 1 + the index of its other end if the
	 * image holds it, which build() writes right after it, else 0
	 */
	int nr_tcps;
	struct ckpt_hdr_tcp tcps[MAX_TCPS];
	int tcp_peer[MAX_TCPS];
	int nr_accepts;
	struct maccept accepts[MAX_ACCEPTS];
	int nr_ptys;
	struct mpty ptys[MAX_PTYS];
	struct mfd fd_copy[MAX_TABLES][MAX_FDS];	/* of tables add_fd() grew */
	int nr_tfds;
	struct ckpt_timerfd tfds[MAX_TFDS];
	int nr_epolls;
	struct mepoll epolls[MAX_EPOLLS];
	int nr_pidfds;
	struct ckpt_pidfd pidfds[MAX_PIDFDS];	/* host byte order */
	int nr_inotifys;
	struct minotify inotifys[MAX_INOTIFYS];
	struct mtimers tsets[MAX_TSETS];
	bool timers_before_rb;	/* the timers record before the restart block */
	int fail_task;		/* an error record instead of this task */
	int extra_cred_task;	/* an unused cred before this task */
	bool extra_cred_tail;	/* an unused cred before the tail */
	bool zombie_records;	/* the records of a live task after a zombie's */
	/* The namespaces of a container: a record after the tree */
	bool ns;
	uint32_t ns_flags;
	uint32_t ns_net;	/* CKPT_NET_*, with CKPT_NS_NET */
	const char *nodename, *domainname;	/* NULL: left zero */
	bool ns_before_tree;	/* the record before the tree, not after */
	int ns_again_task;	/* a copy before this task (nr_tasks: the tail) */
	/*
	 * The devices, addresses and routes of its network namespace, in
	 * host byte order: a net record right after the namespaces record
	 * when ns_net has CKPT_NET_CONFIG, but with no_net; with net_always
	 * whatever ns_net has, and with net_twice a copy after it
	 */
	int nr_netdevs, nr_netaddrs, nr_netroutes;
	struct ckpt_netdev netdevs[MAX_NETDEVS];
	struct ckpt_netaddr netaddrs[MAX_NETADDRS];
	struct ckpt_netroute netroutes[MAX_NETROUTES];
	bool no_net, net_always, net_twice;
	/*
	 * The SysV IPC objects of its IPC namespace: written before the
	 * objects of task ipc_task (0: right after the namespaces record),
	 * or after them, kinds in the order of ipc_order (all 0: M_SHM,
	 * M_MSG, M_SEM)
	 */
	int nr_ipc_shms, nr_ipc_msgs, nr_ipc_sems;
	struct mipc_shm ipc_shms[MAX_IPC];
	struct mipc_msg ipc_msgs[MAX_IPC];
	struct mipc_sem ipc_sems[MAX_IPC];
	int ipc_task;
	bool ipc_after_objects;
	int ipc_order[3];
	/* The SysV semaphore undo lists of its processes */
	int nr_undos;
	struct mundo undos[MAX_UNDOS];
	/*
	 * Its POSIX message queues, after its SysV objects: with mq_ns, the
	 * limits of the namespace (host byte order, its header left to
	 * build()), then the queues, in the order of mqs
	 */
	bool mq_ns;
	struct ckpt_hdr_ipc_mq_ns mq_limits;
	int nr_mqs;
	struct mmq mqs[MAX_MQS];

	/*
	 * The pid namespaces below the root's, with pidns: a record right
	 * after the tree, or where pidns_at says, and with pidns_twice a
	 * copy after it.  Namespace k is pidns_ns[k - 1] (host byte order);
	 * the first MAX_NSTASKS tasks have their namespace and their
	 * children's, and their pids in the namespaces below the root's, in
	 * nstask[]; the others are in the root's.
	 */
	bool pidns, pidns_twice;
	int pidns_at;		/* PIDNS_* */
	uint32_t nr_pidns;
	struct ckpt_pidns pidns_ns[MAX_PIDNS];
	struct mnstask {
		uint32_t ns, children;
		uint32_t nr_pids;
		int32_t pids[MAX_NSDEPTH];
	} nstask[MAX_NSTASKS];

	/* where build() put the records */
	size_t tree_off, tail_off;
	size_t pidns_off, pidns_again_off;
	size_t ns_off, ns_again_off;
	size_t net_off, net_again_off;
	size_t task_off[MAX_TASKS];
	size_t cred_off[MAX_CREDS];	/* by index in creds */
	size_t extra_off, error_off;
	size_t mm_off[MAX_MMS];
	size_t vma_off[MAX_MMS][MAX_VMAS];
	size_t pages_off[MAX_MMS][MAX_VMAS][MAX_RUNS];
	size_t shm_off[MAX_SHMS], shm_pages_off[MAX_SHMS][MAX_RUNS];
	size_t memfd_off[MAX_MEMFDS], memfd_pages_off[MAX_MEMFDS][MAX_RUNS];
	size_t regs_off[MAX_TASKS], xstate_off[MAX_TASKS];
	size_t sighand_off[MAX_SIGS], signal_off[MAX_SIGS];
	size_t tsig_off[MAX_TASKS];
	size_t attrs_off[MAX_TASKS], rb_off[MAX_TASKS], pt_off[MAX_TASKS];
	size_t file_off[MAX_FILES], files_off[MAX_TABLES], fs_off[MAX_FSS];
	size_t file_locks_off[MAX_FILES], table_locks_off[MAX_TABLES];
	size_t pipe_off[MAX_PIPES];
	size_t upair_off[MAX_UPAIRS];
	size_t tcp_off[MAX_TCPS], accept_off[MAX_ACCEPTS];
	size_t pty_off[MAX_PTYS];
	size_t ipc_shm_off[MAX_IPC], ipc_shm_pages_off[MAX_IPC][MAX_RUNS];
	size_t ipc_msg_off[MAX_IPC], ipc_text_off[MAX_IPC][MAX_TEXTS];
	size_t ipc_sem_off[MAX_IPC];
	size_t undo_off[MAX_UNDOS], adj_off[MAX_UNDOS][MAX_ADJS];
	size_t mq_ns_off, mq_off[MAX_MQS], mq_msg_off[MAX_MQS][MAX_MQ_MSGS];
	size_t watch_off[MAX_INOTIFYS][MAX_WATCHES], ievent_off[MAX_INOTIFYS][MAX_IEVENTS];

	/* the objrefs build() gave the objects, by index in the model */
	uint32_t cred_ref[MAX_CREDS], mm_ref[MAX_MMS], shm_ref[MAX_SHMS];
	uint32_t memfd_ref[MAX_MEMFDS];
	uint32_t sighand_ref[MAX_SIGS], signal_ref[MAX_SIGS];
	uint32_t file_ref[MAX_FILES], files_ref[MAX_TABLES], fs_ref[MAX_FSS];
	uint32_t pipe_ref[MAX_PIPES];
	uint32_t upair_ref[MAX_UPAIRS];
	uint32_t tcp_ref[MAX_TCPS], accept_ref[MAX_ACCEPTS];
	uint32_t pty_ref[MAX_PTYS];
	uint32_t ipc_shm_ref[MAX_IPC], ipc_msg_ref[MAX_IPC], ipc_sem_ref[MAX_IPC];
	uint32_t mq_ref[MAX_MQS];
};

static void put16(struct img *im, size_t off, uint16_t v)
{
	im->buf[off] = v;
	im->buf[off + 1] = v >> 8;
}

static void put32(struct img *im, size_t off, uint32_t v)
{
	put16(im, off, v);
	put16(im, off + 2, v >> 16);
}

static void put64(struct img *im, size_t off, uint64_t v)
{
	put32(im, off, v);
	put32(im, off + 4, v >> 32);
}

static uint32_t get32(const struct img *im, size_t off)
{
	return im->buf[off] | im->buf[off + 1] << 8 | im->buf[off + 2] << 16 |
	       (uint32_t)im->buf[off + 3] << 24;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("mkimage");
		exit(1);
	}
	return p;
}

/* Append a zeroed record of @len bytes, padding included; return its offset. */
static size_t new_record(struct img *im, uint32_t type, uint32_t len)
{
	size_t off = im->len, n = (len + CKPT_ALIGN - 1) & ~(CKPT_ALIGN - 1);

	if (im->len + n > im->cap) {
		im->cap = 2 * (im->len + n);
		im->buf = xrealloc(im->buf, im->cap);
	}
	memset(im->buf + off, 0, n);
	im->len += n;
	put32(im, AT(off, ckpt_hdr, type), type);
	put32(im, AT(off, ckpt_hdr, len), len);
	im->nr_records++;
	return off;
}

static void emit_header(struct img *im)
{
	size_t off = new_record(im, CKPT_HDR_HEADER, sizeof(struct ckpt_hdr_header));
	static const char release[] = "6.12.0-ckpt";

	memcpy(im->buf + AT(off, ckpt_hdr_header, magic), CKPT_MAGIC, CKPT_MAGIC_LEN);
	put16(im, AT(off, ckpt_hdr_header, major), CKPT_VERSION_MAJOR);
	put16(im, AT(off, ckpt_hdr_header, minor), im->minor ?: CKPT_VERSION_MINOR);
	put16(im, AT(off, ckpt_hdr_header, arch), CKPT_ARCH_X86_64);
	put32(im, AT(off, ckpt_hdr_header, page_size), 4096);
	put32(im, AT(off, ckpt_hdr_header, flags), im->flags);
	put64(im, AT(off, ckpt_hdr_header, time), 1700000000);
	memcpy(im->buf + AT(off, ckpt_hdr_header, release), release, sizeof(release));
}

static void emit_tree(struct img *im)
{
	size_t off, e;
	int i;

	off = new_record(im, CKPT_HDR_TREE, sizeof(struct ckpt_hdr_tree) +
			 im->nr_tasks * sizeof(struct ckpt_pids));
	im->tree_off = off;
	put32(im, AT(off, ckpt_hdr_tree, nr_tasks), im->nr_tasks);
	for (i = 0; i < im->nr_tasks; i++) {
		e = off + sizeof(struct ckpt_hdr_tree) + i * sizeof(struct ckpt_pids);
		put32(im, AT(e, ckpt_pids, pid), im->tasks[i].pid);
		put32(im, AT(e, ckpt_pids, tgid), im->tasks[i].tgid);
		put32(im, AT(e, ckpt_pids, ppid), im->tasks[i].ppid);
		put32(im, AT(e, ckpt_pids, pgid), im->tasks[i].pgid);
		put32(im, AT(e, ckpt_pids, sid), im->tasks[i].sid);
		put32(im, AT(e, ckpt_pids, flags), im->tasks[i].flags);
	}
}

static size_t emit_cred(struct img *im, const struct mcred *c, uint32_t objref)
{
	size_t off;
	uint32_t i;

	off = new_record(im, CKPT_HDR_CRED, sizeof(struct ckpt_hdr_cred) +
			 c->ngroups * sizeof(uint32_t));
	put32(im, AT(off, ckpt_hdr_cred, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_cred, uid), c->uid);
	put32(im, AT(off, ckpt_hdr_cred, euid), c->euid);
	put32(im, AT(off, ckpt_hdr_cred, suid), c->suid);
	put32(im, AT(off, ckpt_hdr_cred, fsuid), c->fsuid);
	put32(im, AT(off, ckpt_hdr_cred, gid), c->gid);
	put32(im, AT(off, ckpt_hdr_cred, egid), c->egid);
	put32(im, AT(off, ckpt_hdr_cred, sgid), c->sgid);
	put32(im, AT(off, ckpt_hdr_cred, fsgid), c->fsgid);
	put64(im, AT(off, ckpt_hdr_cred, cap_inheritable), c->cap_inheritable);
	put64(im, AT(off, ckpt_hdr_cred, cap_permitted), c->cap_permitted);
	put64(im, AT(off, ckpt_hdr_cred, cap_effective), c->cap_effective);
	put64(im, AT(off, ckpt_hdr_cred, cap_bset), c->cap_bset);
	put64(im, AT(off, ckpt_hdr_cred, cap_ambient), c->cap_ambient);
	put32(im, AT(off, ckpt_hdr_cred, securebits), c->securebits);
	put32(im, AT(off, ckpt_hdr_cred, ngroups), c->ngroups);
	for (i = 0; i < c->ngroups; i++)
		put32(im, off + sizeof(struct ckpt_hdr_cred) + 4 * i, c->groups[i]);
	return off;
}

static size_t emit_task(struct img *im, const struct mtask *t)
{
	size_t off = new_record(im, CKPT_HDR_TASK, sizeof(struct ckpt_hdr_task));

	put32(im, AT(off, ckpt_hdr_task, pid), t->pid);
	put32(im, AT(off, ckpt_hdr_task, exit_signal), t->exit_signal);
	put32(im, AT(off, ckpt_hdr_task, personality), t->personality);
	put32(im, AT(off, ckpt_hdr_task, flags),
	      (t->pid == t->tgid ? CKPT_TASK_THREAD_LEADER : 0) |
	      (t->self ? CKPT_TASK_SELF : 0) | (t->zombie ? CKPT_TASK_ZOMBIE : 0));
	memcpy(im->buf + AT(off, ckpt_hdr_task, comm), t->comm,
	       strnlen(t->comm, CKPT_COMM_LEN - 1));
	put32(im, AT(off, ckpt_hdr_task, exit_code), t->exit_code);
	if (t->zombie)		/* it uses no object */
		return off;
	put32(im, AT(off, ckpt_hdr_task, cred_ref), im->cred_ref[t->cred]);
	put32(im, AT(off, ckpt_hdr_task, real_cred_ref), im->cred_ref[t->real_cred]);
	put32(im, AT(off, ckpt_hdr_task, mm_ref), im->mm_ref[t->mm]);
	put32(im, AT(off, ckpt_hdr_task, sighand_ref),
	      im->sighand_ref[t->sighand ? t->sighand - 1 : t->sig]);
	put32(im, AT(off, ckpt_hdr_task, signal_ref), im->signal_ref[t->sig]);
	put32(im, AT(off, ckpt_hdr_task, files_ref), im->files_ref[t->files]);
	put32(im, AT(off, ckpt_hdr_task, fs_ref), im->fs_ref[t->fs]);
	return off;
}

/* As ckpt_sock_save(): the struct ckpt_socket of a file record, at @off */
static void emit_sock(struct img *im, size_t off, const struct ckpt_socket *s)
{
	put16(im, AT(off, ckpt_socket, family), s->family);
	put16(im, AT(off, ckpt_socket, type), s->type);
	put16(im, AT(off, ckpt_socket, protocol), s->protocol);
	put16(im, AT(off, ckpt_socket, state), s->state);
	if (s->pair_ref)
		put32(im, AT(off, ckpt_socket, pair_ref), im->upair_ref[s->pair_ref - 1]);
	put32(im, AT(off, ckpt_socket, end), s->end);
	put32(im, AT(off, ckpt_socket, opts), s->opts);
	put32(im, AT(off, ckpt_socket, sndbuf), s->sndbuf);
	put32(im, AT(off, ckpt_socket, rcvbuf), s->rcvbuf);
	put32(im, AT(off, ckpt_socket, rcvlowat), s->rcvlowat);
	put32(im, AT(off, ckpt_socket, linger), s->linger);
	put32(im, AT(off, ckpt_socket, backlog), s->backlog);
	put64(im, AT(off, ckpt_socket, rcvtimeo_us), s->rcvtimeo_us);
	put64(im, AT(off, ckpt_socket, sndtimeo_us), s->sndtimeo_us);
	put32(im, AT(off, ckpt_socket, addr_len), s->addr_len);
	put32(im, AT(off, ckpt_socket, peer_len), s->peer_len);
	memcpy(im->buf + AT(off, ckpt_socket, addr), s->addr, CKPT_SOCK_ADDR_MAX);
	memcpy(im->buf + AT(off, ckpt_socket, peer), s->peer, CKPT_SOCK_ADDR_MAX);
}

/* The items of epoll @e at @off, their files written before */
static void emit_items(struct img *im, size_t off, const struct mepoll *e)
{
	const struct mitem *it;
	int i;

	for (i = 0; i < e->nr_items; i++, off += sizeof(struct ckpt_epoll_item)) {
		it = &e->items[i];
		put32(im, AT(off, ckpt_epoll_item, file_ref), im->file_ref[it->file]);
		put32(im, AT(off, ckpt_epoll_item, fd), it->fd);
		put32(im, AT(off, ckpt_epoll_item, events), it->events);
		put64(im, AT(off, ckpt_epoll_item, data), it->data);
	}
}

/* As ckpt_file_checkpoint(): file @i */
static size_t emit_file(struct img *im, int i, uint32_t objref)
{
	const struct mfile *f = &im->files[i];
	int pty = im->file_pty[i], pidfd = im->file_pidfd[i], inot = im->file_inotify[i];
	uint32_t path_len = f->sock ? sizeof(struct ckpt_socket) :
			    f->tfd ? sizeof(struct ckpt_timerfd) :
			    f->epoll ? im->epolls[f->epoll - 1].nr_items *
				       sizeof(struct ckpt_epoll_item) :
			    pty ? sizeof(struct ckpt_pty_file) :
			    pidfd ? sizeof(struct ckpt_pidfd) :
			    inot ? sizeof(struct ckpt_inotify) :
			    f->path ? strlen(f->path) + 1 : 0;
	size_t off = new_record(im, CKPT_HDR_FILE, sizeof(struct ckpt_hdr_file) + path_len);
	size_t data = off + sizeof(struct ckpt_hdr_file);
	const struct minotify *in;
	const struct ckpt_timerfd *t;

	put32(im, AT(off, ckpt_hdr_file, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_file, kind), f->kind);
	put32(im, AT(off, ckpt_hdr_file, f_flags), f->f_flags);
	put64(im, AT(off, ckpt_hdr_file, pos), f->pos);
	put32(im, AT(off, ckpt_hdr_file, mode), f->mode);
	put32(im, AT(off, ckpt_hdr_file, rdev), f->rdev);
	put64(im, AT(off, ckpt_hdr_file, ino), f->ino);
	put64(im, AT(off, ckpt_hdr_file, dev), f->dev);
	put32(im, AT(off, ckpt_hdr_file, path_len), path_len);
	if (f->pipe)
		put32(im, AT(off, ckpt_hdr_file, pipe_ref), im->pipe_ref[f->pipe - 1]);
	if (pty)
		put32(im, AT(off, ckpt_hdr_file, pty_ref), im->pty_ref[pty - 1]);
	if (im->file_mq[i])
		put32(im, AT(off, ckpt_hdr_file, mq_ref), im->mq_ref[im->file_mq[i] - 1]);
	if (f->sock) {
		emit_sock(im, data, &im->socks[f->sock - 1]);
		if (im->file_tcp[i])
			put32(im, AT(data, ckpt_socket, tcp_ref),
			      im->tcp_ref[im->file_tcp[i] - 1]);
		if (im->file_accept[i])
			put32(im, AT(data, ckpt_socket, accept_ref),
			      im->accept_ref[im->file_accept[i] - 1]);
	} else if (f->tfd) {
		t = &im->tfds[f->tfd - 1];
		put32(im, AT(data, ckpt_timerfd, clockid), t->clockid);
		put32(im, AT(data, ckpt_timerfd, flags), t->flags);
		put64(im, AT(data, ckpt_timerfd, ticks), t->ticks);
		put64(im, AT(data, ckpt_timerfd, value_ns), t->value_ns);
		put64(im, AT(data, ckpt_timerfd, interval_ns), t->interval_ns);
	} else if (f->epoll) {
		emit_items(im, data, &im->epolls[f->epoll - 1]);
	} else if (pty) {
		put32(im, AT(data, ckpt_pty_file, end), im->file_pty_end[i]);
	} else if (pidfd) {
		put32(im, AT(data, ckpt_pidfd, pid), im->pidfds[pidfd - 1].pid);
		put32(im, AT(data, ckpt_pidfd, flags), im->pidfds[pidfd - 1].flags);
	} else if (inot) {
		in = &im->inotifys[inot - 1];
		put32(im, AT(data, ckpt_inotify, nr_watches), in->nr_watches);
		put32(im, AT(data, ckpt_inotify, nr_events), in->nr_events);
		put32(im, AT(data, ckpt_inotify, next_wd), in->next_wd);
		put32(im, AT(data, ckpt_inotify, max_events), in->max_events);
	} else if (path_len) {
		memcpy(im->buf + data, f->path, path_len - 1);
	}
	return off;
}

/*
 * As ckpt_write_inotify(): the events queued on inotify @n, each with its
 * name, then its watches, each with its path
 */
static void emit_inotify(struct img *im, int n)
{
	const struct minotify *in = &im->inotifys[n];
	const size_t wlen = sizeof(struct ckpt_hdr_inotify_watch);
	const size_t elen = sizeof(struct ckpt_hdr_inotify_event);
	const struct mievent *e;
	const struct mwatch *w;
	uint32_t len;
	size_t off;
	int k;

	for (k = 0; k < in->nr_events; k++) {
		e = &in->events[k];
		len = e->name ? strlen(e->name) : 0;
		off = new_record(im, CKPT_HDR_INOTIFY_EVENT, elen + len);
		put32(im, AT(off, ckpt_hdr_inotify_event, wd), e->wd);
		put32(im, AT(off, ckpt_hdr_inotify_event, mask), e->mask);
		put32(im, AT(off, ckpt_hdr_inotify_event, cookie), e->cookie);
		put32(im, AT(off, ckpt_hdr_inotify_event, name_len), len);
		memcpy(im->buf + off + elen, e->name ? e->name : "", len);
		im->ievent_off[n][k] = off;
	}
	for (k = 0; k < in->nr_watches; k++) {
		w = &in->watches[k];
		len = strlen(w->path) + 1;
		off = new_record(im, CKPT_HDR_INOTIFY_WATCH, wlen + len);
		put32(im, AT(off, ckpt_hdr_inotify_watch, wd), w->wd);
		put32(im, AT(off, ckpt_hdr_inotify_watch, mask), w->mask);
		put64(im, AT(off, ckpt_hdr_inotify_watch, ino), w->ino);
		put64(im, AT(off, ckpt_hdr_inotify_watch, dev), w->dev);
		put32(im, AT(off, ckpt_hdr_inotify_watch, mode), w->mode);
		put32(im, AT(off, ckpt_hdr_inotify_watch, path_len), len);
		memcpy(im->buf + off + wlen, w->path, len - 1);
		im->watch_off[n][k] = off;
	}
}

/* As ckpt_pipe_checkpoint(): its data follow */
static size_t emit_pipe(struct img *im, const struct mpipe *p, uint32_t objref)
{
	size_t off = new_record(im, CKPT_HDR_PIPE, sizeof(struct ckpt_hdr_pipe) +
				p->nr_bytes);
	uint8_t *data = im->buf + off + sizeof(struct ckpt_hdr_pipe);
	uint32_t i;

	put32(im, AT(off, ckpt_hdr_pipe, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_pipe, size), p->size);
	put32(im, AT(off, ckpt_hdr_pipe, nr_bytes), p->nr_bytes);
	put32(im, AT(off, ckpt_hdr_pipe, ends), p->ends);
	for (i = 0; i < p->nr_bytes; i++)
		data[i] = p->data ? (uint8_t)p->data[i] : 'a' + i % 26;
	return off;
}

/* Offset of field @f of end @i of the unix pair record at @off */
#define UEND_AT(off, i, f) ((off) + offsetof(struct ckpt_hdr_unix_pair, end) + \
			    (i) * sizeof(struct ckpt_unix_end) + \
			    offsetof(struct ckpt_unix_end, f))

/* As ckpt_unix_end_len(): the bytes after a unix pair record for end @e */
static size_t mend_len(const struct mend *e)
{
	size_t words = e->nr_msgs;

	if (e->nr_fds)
		words += e->nr_msgs + e->nr_fds;
	return words * sizeof(uint32_t) + e->nr_bytes;
}

/*
 * As ckpt_unix_pair_checkpoint(): for each end, its message lengths, then
 * if it has descriptors in flight how many each message brought and the
 * objrefs of their files, then its data
 */
static size_t emit_upair(struct img *im, const struct mupair *u, uint32_t objref)
{
	size_t len = sizeof(struct ckpt_hdr_unix_pair), off, d;
	const struct mend *e;
	uint32_t j, n;
	int i;

	for (i = 0; i < 2; i++)
		len += mend_len(&u->end[i]);
	off = new_record(im, CKPT_HDR_UNIX_PAIR, len);
	put32(im, AT(off, ckpt_hdr_unix_pair, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_unix_pair, type), u->type);
	put32(im, AT(off, ckpt_hdr_unix_pair, ends), u->ends);
	d = off + sizeof(struct ckpt_hdr_unix_pair);
	for (i = 0; i < 2; i++) {
		e = &u->end[i];
		put32(im, UEND_AT(off, i, shutdown), e->shutdown);
		put32(im, UEND_AT(off, i, err), e->err);
		put32(im, UEND_AT(off, i, nr_msgs), e->nr_msgs);
		put32(im, UEND_AT(off, i, nr_bytes), e->nr_bytes);
		put32(im, UEND_AT(off, i, nr_fds), e->nr_fds);
		for (j = 0; j < e->nr_msgs; j++, d += sizeof(uint32_t)) {
			n = e->nr_bytes / e->nr_msgs;
			if (j == e->nr_msgs - 1)
				n += e->nr_bytes % e->nr_msgs;
			put32(im, d, e->msgs ? e->msgs[j] : n);
		}
		for (j = 0; e->nr_fds && j < e->nr_msgs; j++, d += sizeof(uint32_t))
			put32(im, d, e->msg_fds ? e->msg_fds[j] : j ? 0 : e->nr_fds);
		for (j = 0; j < e->nr_fds; j++, d += sizeof(uint32_t))
			put32(im, d, e->files ? im->file_ref[e->files[j]] : 0);
		for (j = 0; j < e->nr_bytes; j++)
			im->buf[d++] = e->data ? (uint8_t)e->data[j] : 'A' + j % 26;
	}
	return off;
}

/*
 * As ckpt_tcp_write(): connection @k, its bytes received then those to
 * send after it
 */
static size_t emit_tcp(struct img *im, int k, uint32_t objref)
{
	const struct ckpt_hdr_tcp *t = &im->tcps[k];
	size_t off = new_record(im, CKPT_HDR_TCP, sizeof(*t) + t->rcv_len + t->snd_len);
	uint8_t *data = im->buf + off + sizeof(*t);
	uint32_t i;

	put32(im, AT(off, ckpt_hdr_tcp, h.objref), objref);
	put16(im, AT(off, ckpt_hdr_tcp, family), t->family);
	put16(im, AT(off, ckpt_hdr_tcp, flags), t->flags);
	put32(im, AT(off, ckpt_hdr_tcp, addr_len), t->addr_len);
	put32(im, AT(off, ckpt_hdr_tcp, peer_len), t->peer_len);
	put32(im, AT(off, ckpt_hdr_tcp, snd_una), t->snd_una);
	put32(im, AT(off, ckpt_hdr_tcp, copied_seq), t->copied_seq);
	put32(im, AT(off, ckpt_hdr_tcp, snd_len), t->snd_len);
	put32(im, AT(off, ckpt_hdr_tcp, unsent_len), t->unsent_len);
	put32(im, AT(off, ckpt_hdr_tcp, rcv_len), t->rcv_len);
	put32(im, AT(off, ckpt_hdr_tcp, snd_wl1), t->snd_wl1);
	put32(im, AT(off, ckpt_hdr_tcp, snd_wnd), t->snd_wnd);
	put32(im, AT(off, ckpt_hdr_tcp, max_window), t->max_window);
	put32(im, AT(off, ckpt_hdr_tcp, rcv_wnd), t->rcv_wnd);
	put32(im, AT(off, ckpt_hdr_tcp, rcv_wup), t->rcv_wup);
	put32(im, AT(off, ckpt_hdr_tcp, tsval), t->tsval);
	put16(im, AT(off, ckpt_hdr_tcp, mss_clamp), t->mss_clamp);
	im->buf[AT(off, ckpt_hdr_tcp, snd_wscale)] = t->snd_wscale;
	im->buf[AT(off, ckpt_hdr_tcp, rcv_wscale)] = t->rcv_wscale;
	put32(im, AT(off, ckpt_hdr_tcp, sndbuf), t->sndbuf);
	put32(im, AT(off, ckpt_hdr_tcp, rcvbuf), t->rcvbuf);
	memcpy(im->buf + AT(off, ckpt_hdr_tcp, addr), t->addr, CKPT_SOCK_ADDR_MAX);
	memcpy(im->buf + AT(off, ckpt_hdr_tcp, peer), t->peer, CKPT_SOCK_ADDR_MAX);
	for (i = 0; i < t->rcv_len + t->snd_len; i++)
		data[i] = 'a' + i % 26;
	return off;
}

/* As ckpt_tcp_accept_save(): the objrefs of the connections follow */
static size_t emit_accept(struct img *im, const struct maccept *a, uint32_t objref)
{
	size_t off = new_record(im, CKPT_HDR_TCP_ACCEPT, sizeof(struct ckpt_hdr_tcp_accept) +
				a->nr_conns * sizeof(uint32_t));
	size_t d = off + sizeof(struct ckpt_hdr_tcp_accept);
	uint32_t j;

	put32(im, AT(off, ckpt_hdr_tcp_accept, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_tcp_accept, nr_conns), a->nr_conns);
	for (j = 0; j < a->nr_conns; j++, d += sizeof(uint32_t))
		put32(im, d, im->tcp_ref[a->conns[j]]);
	return off;
}

/* Offset of field @f of queue @i of the pty record at @off */
#define TTYQ_AT(off, i, f) ((off) + offsetof(struct ckpt_hdr_pty, in) + \
			    (i) * sizeof(struct ckpt_tty_queue) + \
			    offsetof(struct ckpt_tty_queue, f))

/* As ckpt_tty_bytes(): the bytes after a pty record for queue @q */
static size_t mttyq_len(const struct mttyq *q)
{
	return (size_t)q->len + q->pending + (q->canon + 7) / 8;
}

/*
 * As ckpt_pty_checkpoint(): the path of its ptmx device, NUL included,
 * then for in[0] and in[1] in turn their data, their pending bytes and
 * their line ends, as ckpt_tty_put() writes them
 */
static size_t emit_pty(struct img *im, const struct mpty *p, uint32_t objref)
{
	uint32_t path_len = strlen(p->path) + 1, j;
	size_t len = sizeof(struct ckpt_hdr_pty) + path_len + p->extra, off, d;
	const struct mttyq *q;
	int i;

	for (i = 0; i < 2; i++)
		len += mttyq_len(&p->in[i]);
	off = new_record(im, CKPT_HDR_PTY, len);
	put32(im, AT(off, ckpt_hdr_pty, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_pty, index), p->index);
	put32(im, AT(off, ckpt_hdr_pty, flags), p->flags);
	put32(im, AT(off, ckpt_hdr_pty, path_len), path_len);
	put32(im, AT(off, ckpt_hdr_pty, master_acc), p->master_acc);
	put32(im, AT(off, ckpt_hdr_pty, session), p->session);
	put32(im, AT(off, ckpt_hdr_pty, fg_pgrp), p->fg_pgrp);
	im->buf[AT(off, ckpt_hdr_pty, pktstatus)] = p->pktstatus;
	put32(im, AT(off, ckpt_hdr_pty, termios.c_iflag), p->termios.c_iflag);
	put32(im, AT(off, ckpt_hdr_pty, termios.c_oflag), p->termios.c_oflag);
	put32(im, AT(off, ckpt_hdr_pty, termios.c_cflag), p->termios.c_cflag);
	put32(im, AT(off, ckpt_hdr_pty, termios.c_lflag), p->termios.c_lflag);
	im->buf[AT(off, ckpt_hdr_pty, termios.c_line)] = p->termios.c_line;
	memcpy(im->buf + AT(off, ckpt_hdr_pty, termios.c_cc), p->termios.c_cc,
	       sizeof(p->termios.c_cc));
	put32(im, AT(off, ckpt_hdr_pty, termios.c_ispeed), p->termios.c_ispeed);
	put32(im, AT(off, ckpt_hdr_pty, termios.c_ospeed), p->termios.c_ospeed);
	put16(im, AT(off, ckpt_hdr_pty, ws_row), p->ws_row);
	put16(im, AT(off, ckpt_hdr_pty, ws_col), p->ws_col);
	put16(im, AT(off, ckpt_hdr_pty, ws_xpixel), p->ws_xpixel);
	put16(im, AT(off, ckpt_hdr_pty, ws_ypixel), p->ws_ypixel);
	d = off + sizeof(struct ckpt_hdr_pty);
	memcpy(im->buf + d, p->path, path_len - 1);
	d += path_len;
	for (i = 0; i < 2; i++) {
		q = &p->in[i];
		put32(im, TTYQ_AT(off, i, len), q->len);
		put32(im, TTYQ_AT(off, i, canon), q->canon);
		put32(im, TTYQ_AT(off, i, pending), q->pending);
		put32(im, TTYQ_AT(off, i, flags), q->flags);
		put32(im, TTYQ_AT(off, i, column), q->column);
		put32(im, TTYQ_AT(off, i, canon_column), q->canon_column);
		for (j = 0; j < q->len; j++)
			im->buf[d++] = q->data ? (uint8_t)q->data[j] : 'a' + j % 26;
		for (j = 0; j < q->pending; j++)
			im->buf[d++] = q->pending_data ? (uint8_t)q->pending_data[j] : 'A' + j % 26;
		for (j = 0; j < (q->canon + 7) / 8; j++)
			im->buf[d++] = j < 8 ? q->ends >> (8 * j) : 0;
	}
	return off;
}

/* As ckpt_files_checkpoint(), once the files are written */
static size_t emit_files(struct img *im, const struct mtable *tb, uint32_t objref)
{
	size_t off = new_record(im, CKPT_HDR_FILES, sizeof(struct ckpt_hdr_files) +
				tb->nr_fds * sizeof(struct ckpt_fd));
	size_t e = off + sizeof(struct ckpt_hdr_files);
	int i;

	put32(im, AT(off, ckpt_hdr_files, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_files, nr_fds), tb->nr_fds);
	for (i = 0; i < tb->nr_fds; i++, e += sizeof(struct ckpt_fd)) {
		put32(im, AT(e, ckpt_fd, fd), tb->fds[i].fd);
		put32(im, AT(e, ckpt_fd, flags), tb->fds[i].flags);
		put32(im, AT(e, ckpt_fd, file_ref), im->file_ref[tb->fds[i].file]);
	}
	return off;
}

/* As ckpt_write_locks(): the locks after the record of what owns them */
static size_t emit_locks(struct img *im, const struct mlocks *lk)
{
	size_t off = new_record(im, CKPT_HDR_FILE_LOCKS, sizeof(struct ckpt_hdr_file_locks) +
				lk->nr * sizeof(struct ckpt_file_lock));
	size_t e = off + sizeof(struct ckpt_hdr_file_locks);
	int i;

	put32(im, AT(off, ckpt_hdr_file_locks, nr_locks), lk->nr);
	for (i = 0; i < lk->nr; i++, e += sizeof(struct ckpt_file_lock)) {
		put32(im, AT(e, ckpt_file_lock, kind), lk->l[i].kind);
		put32(im, AT(e, ckpt_file_lock, fd), lk->l[i].fd);
		put32(im, AT(e, ckpt_file_lock, type), lk->l[i].type);
		put64(im, AT(e, ckpt_file_lock, start), lk->l[i].start);
		put64(im, AT(e, ckpt_file_lock, end), lk->l[i].end);
	}
	return off;
}

/* As ckpt_fs_checkpoint() */
static size_t emit_fs(struct img *im, const struct mfs *fs, uint32_t objref)
{
	uint32_t cwd_len = strlen(fs->cwd) + 1, root_len = strlen(fs->root) + 1;
	size_t off = new_record(im, CKPT_HDR_FS, sizeof(struct ckpt_hdr_fs) +
				cwd_len + root_len);

	put32(im, AT(off, ckpt_hdr_fs, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_fs, umask), fs->umask);
	put32(im, AT(off, ckpt_hdr_fs, cwd_len), cwd_len);
	put32(im, AT(off, ckpt_hdr_fs, root_len), root_len);
	memcpy(im->buf + off + sizeof(struct ckpt_hdr_fs), fs->cwd, cwd_len - 1);
	memcpy(im->buf + off + sizeof(struct ckpt_hdr_fs) + cwd_len, fs->root,
	       root_len - 1);
	return off;
}

/* As ckpt_write_restart_block() */
static size_t emit_restart_block(struct img *im, const struct mtask *t)
{
	size_t off = new_record(im, CKPT_HDR_RESTART_BLOCK,
				sizeof(struct ckpt_hdr_restart_block));
	const struct mrestart *rb = &t->rb;

	put32(im, AT(off, ckpt_hdr_restart_block, kind), rb->kind);
	put32(im, AT(off, ckpt_hdr_restart_block, flags), rb->flags);
	put32(im, AT(off, ckpt_hdr_restart_block, clockid), rb->clockid);
	put32(im, AT(off, ckpt_hdr_restart_block, val), rb->val);
	put32(im, AT(off, ckpt_hdr_restart_block, bitset), rb->bitset);
	put32(im, AT(off, ckpt_hdr_restart_block, nfds), rb->nfds);
	put64(im, AT(off, ckpt_hdr_restart_block, addr), rb->addr);
	put64(im, AT(off, ckpt_hdr_restart_block, timeout_ns), rb->timeout_ns);
	return off;
}

/* As ckpt_write_posix_timers() */
static size_t emit_posix_timers(struct img *im, const struct mtimers *ts)
{
	const size_t hlen = sizeof(struct ckpt_hdr_posix_timers);
	const size_t elen = sizeof(struct ckpt_posix_timer);
	uint32_t nr = ts->nr + ts->nr_more, i;
	size_t off = new_record(im, CKPT_HDR_POSIX_TIMERS, hlen + nr * elen), e;
	const struct mtimer *m;

	put32(im, AT(off, ckpt_hdr_posix_timers, nr_timers), nr);
	put32(im, AT(off, ckpt_hdr_posix_timers, next_id), ts->next_id);
	for (i = 0; i < nr; i++) {
		e = off + hlen + i * elen;
		m = &ts->t[i < ts->nr ? i : ts->nr - 1];
		put32(im, AT(e, ckpt_posix_timer, id),
		      m->id + (i < ts->nr ? 0 : i - ts->nr + 1));
		put32(im, AT(e, ckpt_posix_timer, clockid), m->clockid);
		put32(im, AT(e, ckpt_posix_timer, notify), m->notify);
		put32(im, AT(e, ckpt_posix_timer, signo), m->signo);
		put32(im, AT(e, ckpt_posix_timer, notify_tid), m->notify_tid);
		put32(im, AT(e, ckpt_posix_timer, flags), m->flags);
		put64(im, AT(e, ckpt_posix_timer, sigval), m->sigval);
		put64(im, AT(e, ckpt_posix_timer, value), m->value);
		put64(im, AT(e, ckpt_posix_timer, interval), m->interval);
		put64(im, AT(e, ckpt_posix_timer, overrun), m->overrun);
		put64(im, AT(e, ckpt_posix_timer, overrun_last), m->overrun_last);
		put32(im, AT(e, ckpt_posix_timer, requeue), m->requeue);
	}
	return off;
}

/* As ckpt_write_task_attrs() */
static size_t emit_task_attrs(struct img *im, const struct mtask *t)
{
	size_t off = new_record(im, CKPT_HDR_TASK_ATTRS, sizeof(struct ckpt_hdr_task_attrs));
	const struct mattrs *a = &t->at;
	size_t e = AT(off, ckpt_hdr_task_attrs, rlim);
	int i;

	for (i = 0; i < CKPT_RLIM_NLIMITS; i++, e += sizeof(struct ckpt_rlimit)) {
		put64(im, AT(e, ckpt_rlimit, cur), a->rlim[i].cur);
		put64(im, AT(e, ckpt_rlimit, max), a->rlim[i].max);
	}
	put32(im, AT(off, ckpt_hdr_task_attrs, nice), a->nice);
	put32(im, AT(off, ckpt_hdr_task_attrs, policy), a->policy);
	put32(im, AT(off, ckpt_hdr_task_attrs, rt_priority), a->rt_priority);
	put32(im, AT(off, ckpt_hdr_task_attrs, flags), a->flags);
	put32(im, AT(off, ckpt_hdr_task_attrs, pdeath_signal), a->pdeath_signal);
	put32(im, AT(off, ckpt_hdr_task_attrs, dumpable), a->dumpable);
	put64(im, AT(off, ckpt_hdr_task_attrs, clear_child_tid), a->clear_child_tid);
	put64(im, AT(off, ckpt_hdr_task_attrs, robust_list), a->robust_list);
	put64(im, AT(off, ckpt_hdr_task_attrs, robust_list_len), a->robust_list_len);
	put64(im, AT(off, ckpt_hdr_task_attrs, rseq), a->rseq);
	put32(im, AT(off, ckpt_hdr_task_attrs, rseq_len), a->rseq_len);
	put32(im, AT(off, ckpt_hdr_task_attrs, rseq_sig), a->rseq_sig);
	return off;
}

/* As ckpt_sighand_checkpoint() */
static size_t emit_sighand(struct img *im, const struct msig *s, uint32_t objref)
{
	size_t off = new_record(im, CKPT_HDR_SIGHAND, sizeof(struct ckpt_hdr_sighand));
	size_t a;
	int i;

	put32(im, AT(off, ckpt_hdr_sighand, h.objref), objref);
	for (i = 0; i < CKPT_NSIG; i++) {
		a = AT(off, ckpt_hdr_sighand, action) + i * sizeof(struct ckpt_sigaction);
		put64(im, AT(a, ckpt_sigaction, handler), s->action[i].handler);
		put64(im, AT(a, ckpt_sigaction, flags), s->action[i].flags);
		put64(im, AT(a, ckpt_sigaction, restorer), s->action[i].restorer);
		put64(im, AT(a, ckpt_sigaction, mask), s->action[i].mask);
	}
	return off;
}

/* @nr copies of @si at @off, as copy_siginfo_to_external() writes them */
static void emit_siginfos(struct img *im, size_t off, const struct msiginfo *si,
			  uint32_t nr)
{
	uint32_t i;

	for (i = 0; i < nr; i++, off += CKPT_SIGINFO_SIZE) {
		put32(im, off, si->signo);	/* si_signo, then si_errno 0 */
		put32(im, off + 8, si->code);	/* si_code, then a hole */
		put32(im, off + 16, si->pid);
		put32(im, off + 20, si->uid);
		put64(im, off + 24, si->value);
		put32(im, off + 32, si->sys_private);
	}
}

/* As ckpt_signal_checkpoint() */
static size_t emit_signal(struct img *im, const struct msig *s, uint32_t objref)
{
	const size_t hlen = sizeof(struct ckpt_hdr_signal);
	size_t off = new_record(im, CKPT_HDR_SIGNAL,
				hlen + s->nr_pending * CKPT_SIGINFO_SIZE);

	put32(im, AT(off, ckpt_hdr_signal, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_signal, nr_pending), s->nr_pending);
	put64(im, AT(off, ckpt_hdr_signal, it_real_value), s->it_real_value);
	put64(im, AT(off, ckpt_hdr_signal, it_real_interval), s->it_real_interval);
	put64(im, AT(off, ckpt_hdr_signal, it_virt_value), s->it_virt_value);
	put64(im, AT(off, ckpt_hdr_signal, it_virt_interval), s->it_virt_interval);
	put64(im, AT(off, ckpt_hdr_signal, it_prof_value), s->it_prof_value);
	put64(im, AT(off, ckpt_hdr_signal, it_prof_interval), s->it_prof_interval);
	emit_siginfos(im, off + hlen, &s->pending, s->nr_pending);
	return off;
}

/* As ckpt_write_task_signals() */
static size_t emit_task_signals(struct img *im, const struct mtask *t)
{
	const size_t hlen = sizeof(struct ckpt_hdr_task_signals);
	const struct mtsig *ts = &t->ts;
	size_t off = new_record(im, CKPT_HDR_TASK_SIGNALS,
				hlen + ts->nr_pending * CKPT_SIGINFO_SIZE);

	put64(im, AT(off, ckpt_hdr_task_signals, blocked), ts->blocked);
	put64(im, AT(off, ckpt_hdr_task_signals, saved_sigmask), ts->saved_sigmask);
	put64(im, AT(off, ckpt_hdr_task_signals, altstack_sp), ts->ss_sp);
	put64(im, AT(off, ckpt_hdr_task_signals, altstack_size), ts->ss_size);
	put32(im, AT(off, ckpt_hdr_task_signals, altstack_flags), ts->ss_flags);
	put32(im, AT(off, ckpt_hdr_task_signals, flags), ts->flags);
	put32(im, AT(off, ckpt_hdr_task_signals, nr_pending), ts->nr_pending);
	put32(im, AT(off, ckpt_hdr_task_signals, stop_code), ts->stop_code);
	emit_siginfos(im, off + hlen, &ts->pending, ts->nr_pending);
	return off;
}

/* The pages of a run: a pattern that differs from page to page */
static size_t emit_pages(struct img *im, const struct mrun *run)
{
	size_t off = new_record(im, CKPT_HDR_PAGES,
				sizeof(struct ckpt_hdr_pages) + run->nr * PAGE);
	uint8_t *data = im->buf + off + sizeof(struct ckpt_hdr_pages);
	size_t i;

	put64(im, AT(off, ckpt_hdr_pages, addr), run->addr);
	put32(im, AT(off, ckpt_hdr_pages, nr_pages), run->nr);
	for (i = 0; i < run->nr * PAGE; i++)
		data[i] = (uint8_t)((run->addr >> 12) + i / PAGE + i % 251);
	return off;
}

/* A run of pages of the parent, as ckpt_write_pages() lists it: no contents */
static size_t emit_pages_cow(struct img *im, const struct mrun *run)
{
	size_t off = new_record(im, CKPT_HDR_PAGES_COW, sizeof(struct ckpt_hdr_pages));

	put64(im, AT(off, ckpt_hdr_pages, addr), run->addr);
	put32(im, AT(off, ckpt_hdr_pages, nr_pages), run->nr);
	return off;
}

/*
 * Mapping @vi of mm @m: a file mapping with its path and the file's
 * identity, shared memory or a memfd with the objref of its object,
 * hugetlb memory with the size of its pages, 2 MiB, and shared, the
 * objref of its object too
 */
static size_t emit_vma(struct img *im, int m, int vi)
{
	const struct mvma *v = &im->mms[m].vmas[vi];
	int k = im->vma_shm[m][vi] - 1;
	bool huge_shm = v->kind == CKPT_VMA_HUGETLB && (v->flags & CKPT_VMA_SHARED);
	bool shm = v->kind == CKPT_VMA_SHMEM || v->kind == CKPT_VMA_MEMFD ||
		   v->kind == CKPT_VMA_SYSVSHM || huge_shm;
	uint32_t path_len = v->kind == CKPT_VMA_FILE ? strlen(v->path) + 1 :
			    shm ? sizeof(struct ckpt_vma_shmem) : 0;
	size_t off = new_record(im, CKPT_HDR_VMA, sizeof(struct ckpt_hdr_vma) + path_len);

	put64(im, AT(off, ckpt_hdr_vma, start), v->start);
	put64(im, AT(off, ckpt_hdr_vma, end), v->end);
	put64(im, AT(off, ckpt_hdr_vma, pgoff), v->pgoff);
	put32(im, AT(off, ckpt_hdr_vma, kind), v->kind);
	put32(im, AT(off, ckpt_hdr_vma, flags), v->flags);
	put32(im, AT(off, ckpt_hdr_vma, path_len), path_len);
	if (v->kind == CKPT_VMA_HUGETLB)
		put64(im, AT(off, ckpt_hdr_vma, size), HPAGE);
	if (shm && k >= 0)
		put32(im, off + sizeof(struct ckpt_hdr_vma) +
		      offsetof(struct ckpt_vma_shmem, shmem_ref),
		      v->kind == CKPT_VMA_SHMEM || huge_shm ? im->shm_ref[k] :
		      v->kind == CKPT_VMA_MEMFD ? im->memfd_ref[k] : im->ipc_shm_ref[k]);
	if (v->kind == CKPT_VMA_FILE) {
		put64(im, AT(off, ckpt_hdr_vma, ino), 131075);
		put64(im, AT(off, ckpt_hdr_vma, dev), 0x801);
		put64(im, AT(off, ckpt_hdr_vma, size), 125640);
		put64(im, AT(off, ckpt_hdr_vma, mtime_sec), 1690000000);
		put32(im, AT(off, ckpt_hdr_vma, mtime_nsec), 123456789);
		memcpy(im->buf + off + sizeof(struct ckpt_hdr_vma), v->path, path_len - 1);
	}
	return off;
}

/*
 * As ckpt_shmem_checkpoint() or, of huge pages, ckpt_shmem_hugetlb_checkpoint(),
 * then ckpt_shmem_pages()
 */
static void emit_shmem(struct img *im, int k, uint32_t objref)
{
	const struct mshm *shm = &im->shms[k];
	size_t off;
	int n;

	if (shm->page_size) {
		off = new_record(im, CKPT_HDR_SHMEM_HUGETLB,
				 sizeof(struct ckpt_hdr_shmem_hugetlb));
		put64(im, AT(off, ckpt_hdr_shmem_hugetlb, page_size), shm->page_size);
	} else {
		off = new_record(im, CKPT_HDR_SHMEM, sizeof(struct ckpt_hdr_shmem));
	}
	im->shm_off[k] = off;
	put32(im, AT(off, ckpt_hdr_shmem, h.objref), objref);
	put64(im, AT(off, ckpt_hdr_shmem, size), shm->size);
	for (n = 0; n < shm->nr_runs; n++)
		im->shm_pages_off[k][n] = emit_pages(im, &shm->runs[n]);
}

/* As ckpt_memfd_checkpoint(), then ckpt_shmem_pages() */
static void emit_memfd(struct img *im, int k, uint32_t objref)
{
	const struct mmemfd *mf = &im->memfds[k];
	uint32_t name_len = mf->name ? strlen(mf->name) + 1 : 0;
	size_t off = new_record(im, CKPT_HDR_MEMFD, sizeof(struct ckpt_hdr_memfd) + name_len);
	int n;

	im->memfd_off[k] = off;
	put32(im, AT(off, ckpt_hdr_memfd, h.objref), objref);
	put64(im, AT(off, ckpt_hdr_memfd, size), mf->size);
	put32(im, AT(off, ckpt_hdr_memfd, seals), mf->seals);
	put32(im, AT(off, ckpt_hdr_memfd, mode), mf->mode);
	put32(im, AT(off, ckpt_hdr_memfd, name_len), name_len);
	put32(im, AT(off, ckpt_hdr_memfd, flags), mf->flags);
	if (name_len)
		memcpy(im->buf + off + sizeof(struct ckpt_hdr_memfd), mf->name, name_len - 1);
	for (n = 0; n < mf->nr_runs; n++)
		im->memfd_pages_off[k][n] = emit_pages(im, &mf->runs[n]);
}

/* Memfd @k (an index in img.memfds), once, before the first that uses it */
static void build_memfd(struct img *im, int k, uint32_t *nr_objs)
{
	if (k < 0 || im->memfd_ref[k])
		return;
	im->memfd_ref[k] = ++*nr_objs;
	emit_memfd(im, k, im->memfd_ref[k]);
}

/* The struct ckpt_ipc_perm at @off */
static void emit_perm(struct img *im, size_t off, const struct mperm *p)
{
	put32(im, AT(off, ckpt_ipc_perm, id), p->id);
	put32(im, AT(off, ckpt_ipc_perm, key), p->key);
	put32(im, AT(off, ckpt_ipc_perm, uid), p->uid);
	put32(im, AT(off, ckpt_ipc_perm, gid), p->gid);
	put32(im, AT(off, ckpt_ipc_perm, cuid), p->cuid);
	put32(im, AT(off, ckpt_ipc_perm, cgid), p->cgid);
	put32(im, AT(off, ckpt_ipc_perm, mode), p->mode);
}

/* SysV shared memory segment @k, then its pages */
static void emit_ipc_shm(struct img *im, int k, uint32_t objref)
{
	const struct mipc_shm *sh = &im->ipc_shms[k];
	size_t off = new_record(im, CKPT_HDR_IPC_SHM, sizeof(struct ckpt_hdr_ipc_shm));
	int n;

	im->ipc_shm_off[k] = off;
	put32(im, AT(off, ckpt_hdr_ipc_shm, h.objref), objref);
	emit_perm(im, AT(off, ckpt_hdr_ipc_shm, perm), &sh->perm);
	put64(im, AT(off, ckpt_hdr_ipc_shm, size), sh->size);
	put64(im, AT(off, ckpt_hdr_ipc_shm, atime), sh->atime);
	put64(im, AT(off, ckpt_hdr_ipc_shm, dtime), sh->dtime);
	put64(im, AT(off, ckpt_hdr_ipc_shm, ctime), sh->ctime);
	put32(im, AT(off, ckpt_hdr_ipc_shm, flags), sh->flags);
	put32(im, AT(off, ckpt_hdr_ipc_shm, huge_shift), sh->huge_shift);
	for (n = 0; n < sh->nr_runs; n++)
		im->ipc_shm_pages_off[k][n] = emit_pages(im, &sh->runs[n]);
}

/* SysV message queue @k, then a record a message, oldest first */
static void emit_ipc_msg(struct img *im, int k, uint32_t objref)
{
	const size_t tlen = sizeof(struct ckpt_hdr_ipc_msg_text);
	const struct mipc_msg *q = &im->ipc_msgs[k];
	size_t off = new_record(im, CKPT_HDR_IPC_MSG, sizeof(struct ckpt_hdr_ipc_msg));
	const struct mtext *t;
	uint32_t i;
	int n;

	im->ipc_msg_off[k] = off;
	put32(im, AT(off, ckpt_hdr_ipc_msg, h.objref), objref);
	emit_perm(im, AT(off, ckpt_hdr_ipc_msg, perm), &q->perm);
	put64(im, AT(off, ckpt_hdr_ipc_msg, stime), q->stime);
	put64(im, AT(off, ckpt_hdr_ipc_msg, rtime), q->rtime);
	put64(im, AT(off, ckpt_hdr_ipc_msg, ctime), q->ctime);
	put64(im, AT(off, ckpt_hdr_ipc_msg, qbytes), q->qbytes);
	put32(im, AT(off, ckpt_hdr_ipc_msg, nr_msgs), q->nr_msgs);
	for (n = 0; n < q->nr_texts; n++) {
		t = &q->texts[n];
		off = new_record(im, CKPT_HDR_IPC_MSG_TEXT, tlen + t->size);
		im->ipc_text_off[k][n] = off;
		put64(im, AT(off, ckpt_hdr_ipc_msg_text, mtype), t->mtype);
		put32(im, AT(off, ckpt_hdr_ipc_msg_text, size), t->size);
		for (i = 0; i < t->size; i++)
			im->buf[off + tlen + i] = t->text ? t->text[i] : (uint8_t)(n + i % 251);
	}
}

/* SysV semaphore set @k and its values */
static void emit_ipc_sem(struct img *im, int k, uint32_t objref)
{
	const size_t hlen = sizeof(struct ckpt_hdr_ipc_sem);
	const struct mipc_sem *ss = &im->ipc_sems[k];
	size_t off = new_record(im, CKPT_HDR_IPC_SEM, hlen + ss->nsems * sizeof(uint16_t));
	uint32_t i;

	im->ipc_sem_off[k] = off;
	put32(im, AT(off, ckpt_hdr_ipc_sem, h.objref), objref);
	emit_perm(im, AT(off, ckpt_hdr_ipc_sem, perm), &ss->perm);
	put64(im, AT(off, ckpt_hdr_ipc_sem, otime), ss->otime);
	put64(im, AT(off, ckpt_hdr_ipc_sem, ctime), ss->ctime);
	put32(im, AT(off, ckpt_hdr_ipc_sem, nsems), ss->nsems);
	for (i = 0; i < ss->nsems; i++)
		put16(im, off + hlen + i * sizeof(uint16_t), ss->vals[i]);
}

/* Semaphore undo list @u, then a record a set it has adjustments for */
static void emit_undo(struct img *im, int u, uint32_t objref)
{
	const size_t alen = sizeof(struct ckpt_hdr_ipc_sem_adj);
	const struct mundo *ud = &im->undos[u];
	size_t off = new_record(im, CKPT_HDR_IPC_SEM_UNDO, sizeof(struct ckpt_hdr_ipc_sem_undo));
	const struct madj *a;
	uint32_t i;
	int n;

	im->undo_off[u] = off;
	put32(im, AT(off, ckpt_hdr_ipc_sem_undo, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_ipc_sem_undo, nr_sets), ud->nr_sets);
	for (n = 0; n < ud->nr_adjs; n++) {
		a = &ud->adjs[n];
		off = new_record(im, CKPT_HDR_IPC_SEM_ADJ, alen + a->nsems * sizeof(int16_t));
		im->adj_off[u][n] = off;
		put32(im, AT(off, ckpt_hdr_ipc_sem_adj, semid), a->semid);
		put32(im, AT(off, ckpt_hdr_ipc_sem_adj, nsems), a->nsems);
		/* the pattern: 32767, -32768, -32767, ... */
		for (i = 0; i < a->nsems; i++)
			put16(im, off + alen + i * sizeof(int16_t),
			      a->vals ? (uint16_t)a->vals[i] : (uint16_t)(0x7fff + i));
	}
}

/* As ckpt_mq_write_ns(): the limits of the POSIX message queues */
static size_t emit_mq_ns(struct img *im, uint32_t objref)
{
	const struct ckpt_hdr_ipc_mq_ns *l = &im->mq_limits;
	size_t off = new_record(im, CKPT_HDR_IPC_MQ_NS, sizeof(struct ckpt_hdr_ipc_mq_ns));

	put32(im, AT(off, ckpt_hdr_ipc_mq_ns, h.objref), objref);
	put32(im, AT(off, ckpt_hdr_ipc_mq_ns, queues_max), l->queues_max);
	put32(im, AT(off, ckpt_hdr_ipc_mq_ns, msg_max), l->msg_max);
	put32(im, AT(off, ckpt_hdr_ipc_mq_ns, msgsize_max), l->msgsize_max);
	put32(im, AT(off, ckpt_hdr_ipc_mq_ns, msg_default), l->msg_default);
	put32(im, AT(off, ckpt_hdr_ipc_mq_ns, msgsize_default), l->msgsize_default);
	return off;
}

/* As ckpt_mq_write(): POSIX message queue @k, then a record a message */
static void emit_mq(struct img *im, int k, uint32_t objref)
{
	const size_t mlen = sizeof(struct ckpt_hdr_ipc_mq_msg);
	const struct mmq *q = &im->mqs[k];
	size_t off = new_record(im, CKPT_HDR_IPC_MQ, sizeof(struct ckpt_hdr_ipc_mq));
	const struct mmq_msg *m;
	uint32_t i;
	int n;

	im->mq_off[k] = off;
	put32(im, AT(off, ckpt_hdr_ipc_mq, h.objref), objref);
	memcpy(im->buf + AT(off, ckpt_hdr_ipc_mq, name), q->name,
	       strnlen(q->name, CKPT_MQ_NAME_LEN));
	put32(im, AT(off, ckpt_hdr_ipc_mq, uid), q->uid);
	put32(im, AT(off, ckpt_hdr_ipc_mq, gid), q->gid);
	put32(im, AT(off, ckpt_hdr_ipc_mq, mode), q->mode);
	put32(im, AT(off, ckpt_hdr_ipc_mq, nr_msgs), q->nr_msgs);
	put64(im, AT(off, ckpt_hdr_ipc_mq, maxmsg), q->maxmsg);
	put64(im, AT(off, ckpt_hdr_ipc_mq, msgsize), q->msgsize);
	put64(im, AT(off, ckpt_hdr_ipc_mq, atime_sec), q->atime);
	put64(im, AT(off, ckpt_hdr_ipc_mq, mtime_sec), q->mtime);
	put64(im, AT(off, ckpt_hdr_ipc_mq, ctime_sec), q->ctime);
	put32(im, AT(off, ckpt_hdr_ipc_mq, atime_nsec), q->nsec);
	put32(im, AT(off, ckpt_hdr_ipc_mq, mtime_nsec), q->nsec);
	put32(im, AT(off, ckpt_hdr_ipc_mq, ctime_nsec), q->nsec);
	put32(im, AT(off, ckpt_hdr_ipc_mq, notify_pid), q->notify_pid);
	put32(im, AT(off, ckpt_hdr_ipc_mq, notify), q->notify);
	put32(im, AT(off, ckpt_hdr_ipc_mq, notify_signo), q->signo);
	put32(im, AT(off, ckpt_hdr_ipc_mq, notify_flags), q->notify_flags);
	put64(im, AT(off, ckpt_hdr_ipc_mq, notify_value), q->value);
	for (n = 0; n < q->nr_texts; n++) {
		m = &q->msgs[n];
		off = new_record(im, CKPT_HDR_IPC_MQ_MSG, mlen + m->size);
		im->mq_msg_off[k][n] = off;
		put32(im, AT(off, ckpt_hdr_ipc_mq_msg, prio), m->prio);
		put32(im, AT(off, ckpt_hdr_ipc_mq_msg, size), m->size);
		for (i = 0; i < m->size; i++)
			im->buf[off + mlen + i] = m->data ? (uint8_t)m->data[i] :
						  (uint8_t)('a' + i % 26);
	}
}

/* The undo lists that come before the objects of task @i (@first) or after them */
static void build_undos(struct img *im, int i, bool first, uint32_t *nr_objs)
{
	int u;

	for (u = 0; u < im->nr_undos; u++)
		if (im->undos[u].task == i && im->undos[u].first == first)
			emit_undo(im, u, ++*nr_objs);
}

/*
 * The SysV IPC objects of the IPC namespace of the image: the segments,
 * then the queues, then the semaphore sets, unless img.ipc_order says
 * otherwise; then, as ckpt_write_mqueues(), the limits of its POSIX
 * message queues and the queues
 */
static void build_ipc(struct img *im, uint32_t *nr_objs)
{
	static const int order[3] = { M_SHM, M_MSG, M_SEM };
	const int *kinds = im->ipc_order[0] ? im->ipc_order : order;
	int i, k;

	for (i = 0; i < 3; i++) {
		switch (kinds[i]) {
		case M_SHM:
			for (k = 0; k < im->nr_ipc_shms; k++) {
				im->ipc_shm_ref[k] = ++*nr_objs;
				emit_ipc_shm(im, k, im->ipc_shm_ref[k]);
			}
			break;
		case M_MSG:
			for (k = 0; k < im->nr_ipc_msgs; k++) {
				im->ipc_msg_ref[k] = ++*nr_objs;
				emit_ipc_msg(im, k, im->ipc_msg_ref[k]);
			}
			break;
		case M_SEM:
			for (k = 0; k < im->nr_ipc_sems; k++) {
				im->ipc_sem_ref[k] = ++*nr_objs;
				emit_ipc_sem(im, k, im->ipc_sem_ref[k]);
			}
			break;
		}
	}
	if (im->mq_ns)
		im->mq_ns_off = emit_mq_ns(im, ++*nr_objs);
	for (k = 0; k < im->nr_mqs; k++) {
		im->mq_ref[k] = ++*nr_objs;
		emit_mq(im, k, im->mq_ref[k]);
	}
}

/* An mm, its VMAs and their pages, as ckpt_mm_checkpoint() */
static void emit_mm(struct img *im, int m, uint32_t objref)
{
	const struct mmm *mm = &im->mms[m];
	uint32_t exe_len = mm->exe ? strlen(mm->exe) + 1 : 0;
	size_t off, auxv;
	uint32_t i;
	int v, n;

	off = new_record(im, CKPT_HDR_MM, sizeof(struct ckpt_hdr_mm) +
			 mm->nr_auxv * sizeof(uint64_t) + exe_len);
	im->mm_off[m] = off;
	put32(im, AT(off, ckpt_hdr_mm, h.objref), objref);
	for (i = 0; i < NR_LAYOUT; i++)
		put64(im, AT(off, ckpt_hdr_mm, start_code) + 8 * i, mm->layout[i]);
	put32(im, AT(off, ckpt_hdr_mm, nr_vmas), mm->nr_vmas);
	put32(im, AT(off, ckpt_hdr_mm, nr_auxv), mm->nr_auxv);
	put32(im, AT(off, ckpt_hdr_mm, exe_len), exe_len);
	auxv = off + sizeof(struct ckpt_hdr_mm);
	for (i = 0; i < mm->nr_auxv; i++)
		put64(im, auxv + 8 * i, mm->auxv[i]);
	if (exe_len)
		memcpy(im->buf + auxv + 8 * mm->nr_auxv, mm->exe, exe_len - 1);
	for (v = 0; v < mm->nr_vmas; v++) {
		im->vma_off[m][v] = emit_vma(im, m, v);
		for (n = 0; n < mm->vmas[v].nr_runs; n++)
			im->pages_off[m][v][n] = im->vma_cow[m][v] & 1U << n ?
				emit_pages_cow(im, &mm->vmas[v].runs[n]) :
				emit_pages(im, &mm->vmas[v].runs[n]);
	}
}

/*
 * The thread descriptor of glibc, where fs_base points: that of the
 * main thread in the data segment, the others' at the top of their stack.
 */
static uint64_t tcb(const struct mtask *t)
{
	return t->pid == t->tgid ? 0x7f0012340740ULL : 0x7f0011b3f6c0ULL;
}

/* Registers as ckpt_x86_regs() saves them: a task in a system call */
static size_t emit_regs(struct img *im, const struct mtask *t)
{
	size_t off = new_record(im, CKPT_HDR_X86_REGS, sizeof(struct ckpt_hdr_x86_regs));

#define REG(f, v)	put64(im, AT(off, ckpt_hdr_x86_regs, f), v)
	REG(bx, t->pid);
	REG(ax, t->self ? 0 : (uint64_t)-4);	/* -EINTR */
	REG(orig_ax, t->self ? (uint64_t)-1 : 61);	/* wait4 */
	REG(di, (uint64_t)-1);
	REG(ip, 0x401234);
	REG(cs, 0x33);
	REG(flags, 0x246);
	REG(sp, 0x7ffc12345000ULL - 64 * t->pid);
	REG(ss, 0x2b);
	REG(fs_base, tcb(t));
#undef REG
	return off;
}

/* FPU state: what XSAVE writes after init, with the AVX state in use */
static size_t emit_xstate(struct img *im)
{
	size_t off = new_record(im, CKPT_HDR_X86_XSTATE,
				sizeof(struct ckpt_hdr_x86_xstate) + xstate_size);
	size_t xs = off + sizeof(struct ckpt_hdr_x86_xstate);

	put32(im, AT(off, ckpt_hdr_x86_xstate, size), xstate_size);
	put64(im, AT(off, ckpt_hdr_x86_xstate, xfeatures), 0x7);
	put16(im, xs, 0x37f);			/* fcw */
	put32(im, xs + 24, 0x1f80);		/* mxcsr */
	put32(im, xs + 28, 0xffff);		/* mxcsr_mask */
	put64(im, xs + 512, 0x6);		/* xstate_bv: SSE, AVX */
	return off;
}

/*
 * As ckpt_write_namespaces(): the names go with CKPT_NS_UTS, the
 * CKPT_NET_* flags with CKPT_NS_NET
 */
static size_t emit_namespaces(struct img *im)
{
	size_t off = new_record(im, CKPT_HDR_NAMESPACES, sizeof(struct ckpt_hdr_namespaces));

	put32(im, AT(off, ckpt_hdr_namespaces, flags), im->ns_flags);
	put32(im, AT(off, ckpt_hdr_namespaces, net), im->ns_net);
	if (im->nodename)
		memcpy(im->buf + AT(off, ckpt_hdr_namespaces, nodename), im->nodename,
		       strnlen(im->nodename, CKPT_NS_NAME_LEN));
	if (im->domainname)
		memcpy(im->buf + AT(off, ckpt_hdr_namespaces, domainname), im->domainname,
		       strnlen(im->domainname, CKPT_NS_NAME_LEN));
	return off;
}

/*
 * As ckpt_net_save(): the devices of the network namespace, then their
 * addresses, then its routes
 */
static size_t emit_net(struct img *im)
{
	const size_t hlen = sizeof(struct ckpt_hdr_net);
	const size_t dsize = sizeof(struct ckpt_netdev);
	const size_t asize = sizeof(struct ckpt_netaddr);
	const size_t rsize = sizeof(struct ckpt_netroute);
	size_t off = new_record(im, CKPT_HDR_NET, hlen + im->nr_netdevs * dsize +
				im->nr_netaddrs * asize + im->nr_netroutes * rsize);
	size_t e = off + hlen;
	int i;

	put32(im, AT(off, ckpt_hdr_net, nr_devs), im->nr_netdevs);
	put32(im, AT(off, ckpt_hdr_net, nr_addrs), im->nr_netaddrs);
	put32(im, AT(off, ckpt_hdr_net, nr_routes), im->nr_netroutes);
	for (i = 0; i < im->nr_netdevs; i++, e += dsize) {
		const struct ckpt_netdev *d = &im->netdevs[i];

		put32(im, AT(e, ckpt_netdev, ifindex), d->ifindex);
		put32(im, AT(e, ckpt_netdev, kind), d->kind);
		put32(im, AT(e, ckpt_netdev, flags), d->flags);
		put32(im, AT(e, ckpt_netdev, mtu), d->mtu);
		put32(im, AT(e, ckpt_netdev, peer_ifindex), d->peer_ifindex);
		put32(im, AT(e, ckpt_netdev, peer_flags), d->peer_flags);
		put32(im, AT(e, ckpt_netdev, peer_mtu), d->peer_mtu);
		put32(im, AT(e, ckpt_netdev, addr_len), d->addr_len);
		memcpy(im->buf + AT(e, ckpt_netdev, addr), d->addr, sizeof(d->addr));
		memcpy(im->buf + AT(e, ckpt_netdev, peer_addr), d->peer_addr,
		       sizeof(d->peer_addr));
		memcpy(im->buf + AT(e, ckpt_netdev, name), d->name, sizeof(d->name));
		memcpy(im->buf + AT(e, ckpt_netdev, peer_name), d->peer_name,
		       sizeof(d->peer_name));
	}
	for (i = 0; i < im->nr_netaddrs; i++, e += asize) {
		const struct ckpt_netaddr *a = &im->netaddrs[i];

		put32(im, AT(e, ckpt_netaddr, ifindex), a->ifindex);
		put16(im, AT(e, ckpt_netaddr, family), a->family);
		im->buf[AT(e, ckpt_netaddr, prefixlen)] = a->prefixlen;
		im->buf[AT(e, ckpt_netaddr, scope)] = a->scope;
		put32(im, AT(e, ckpt_netaddr, flags), a->flags);
		memcpy(im->buf + AT(e, ckpt_netaddr, local), a->local, sizeof(a->local));
		memcpy(im->buf + AT(e, ckpt_netaddr, address), a->address,
		       sizeof(a->address));
		memcpy(im->buf + AT(e, ckpt_netaddr, broadcast), a->broadcast,
		       sizeof(a->broadcast));
		memcpy(im->buf + AT(e, ckpt_netaddr, label), a->label, sizeof(a->label));
	}
	for (i = 0; i < im->nr_netroutes; i++, e += rsize) {
		const struct ckpt_netroute *rt = &im->netroutes[i];

		put16(im, AT(e, ckpt_netroute, family), rt->family);
		im->buf[AT(e, ckpt_netroute, dst_len)] = rt->dst_len;
		im->buf[AT(e, ckpt_netroute, tos)] = rt->tos;
		im->buf[AT(e, ckpt_netroute, protocol)] = rt->protocol;
		im->buf[AT(e, ckpt_netroute, scope)] = rt->scope;
		im->buf[AT(e, ckpt_netroute, type)] = rt->type;
		put32(im, AT(e, ckpt_netroute, flags), rt->flags);
		put32(im, AT(e, ckpt_netroute, oif), rt->oif);
		put32(im, AT(e, ckpt_netroute, priority), rt->priority);
		memcpy(im->buf + AT(e, ckpt_netroute, dst), rt->dst, sizeof(rt->dst));
		memcpy(im->buf + AT(e, ckpt_netroute, gateway), rt->gateway,
		       sizeof(rt->gateway));
		memcpy(im->buf + AT(e, ckpt_netroute, prefsrc), rt->prefsrc,
		       sizeof(rt->prefsrc));
	}
	return off;
}

/* As ckpt_write_namespaces(): the net record right after the namespaces one */
static void build_net(struct img *im)
{
	if (im->no_net || !(im->net_always || im->ns_net & CKPT_NET_CONFIG))
		return;
	im->net_off = emit_net(im);
	if (im->net_twice)
		im->net_again_off = emit_net(im);
}

enum { PIDNS_AFTER_TREE, PIDNS_BEFORE_TREE, PIDNS_AFTER_NS };

/*
 * As ckpt_write_pidns(): the namespaces, an entry a task, then the pids
 * of each task in the namespaces below the root's
 */
static size_t emit_pidns(struct img *im)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pidns);
	const struct mnstask *t;
	uint32_t nr_pids = 0, k, j;
	size_t off, e, p;
	int i;

	for (i = 0; i < im->nr_tasks && i < MAX_NSTASKS; i++)
		nr_pids += im->nstask[i].nr_pids;
	off = new_record(im, CKPT_HDR_PIDNS, hlen +
			 im->nr_pidns * sizeof(struct ckpt_pidns) +
			 im->nr_tasks * sizeof(struct ckpt_task_pidns) +
			 nr_pids * sizeof(int32_t));
	put32(im, AT(off, ckpt_hdr_pidns, nr_ns), im->nr_pidns);
	put32(im, AT(off, ckpt_hdr_pidns, nr_pids), nr_pids);
	e = off + hlen;
	for (k = 0; k < im->nr_pidns; k++, e += sizeof(struct ckpt_pidns)) {
		put32(im, AT(e, ckpt_pidns, parent), im->pidns_ns[k].parent);
		put32(im, AT(e, ckpt_pidns, init), im->pidns_ns[k].init);
		put32(im, AT(e, ckpt_pidns, next_pid), im->pidns_ns[k].next_pid);
		put32(im, AT(e, ckpt_pidns, _pad), im->pidns_ns[k]._pad);
	}
	p = e + im->nr_tasks * sizeof(struct ckpt_task_pidns);
	for (i = 0; i < im->nr_tasks && i < MAX_NSTASKS; i++) {
		t = &im->nstask[i];
		e = off + hlen + im->nr_pidns * sizeof(struct ckpt_pidns) +
		    i * sizeof(struct ckpt_task_pidns);
		put32(im, AT(e, ckpt_task_pidns, ns), t->ns);
		put32(im, AT(e, ckpt_task_pidns, children), t->children);
		for (j = 0; j < t->nr_pids; j++, p += sizeof(int32_t))
			put32(im, p, t->pids[j]);
	}
	return off;
}

/* The pidns record, if the model has one and it goes @at this place */
static void build_pidns(struct img *im, int at)
{
	if (!im->pidns || im->pidns_at != at)
		return;
	im->pidns_off = emit_pidns(im);
	if (im->pidns_twice)
		im->pidns_again_off = emit_pidns(im);
}

/* As ckpt_write_error(): the message and its NUL. */
static size_t emit_error(struct img *im, int errnum, const char *msg)
{
	size_t len = strlen(msg) + 1;
	size_t off = new_record(im, CKPT_HDR_ERROR,
				sizeof(struct ckpt_hdr_error) + len);

	put32(im, AT(off, ckpt_hdr_error, errnum), errnum);
	memcpy(im->buf + off + sizeof(struct ckpt_hdr_error), msg, len - 1);
	im->nr_records--;	/* not counted by the tail */
	return off;
}

static void emit_tail(struct img *im)
{
	uint64_t records = im->nr_records, bytes = im->len;
	size_t off = new_record(im, CKPT_HDR_TAIL, sizeof(struct ckpt_hdr_tail));

	im->tail_off = off;
	memcpy(im->buf + AT(off, ckpt_hdr_tail, magic), CKPT_TAIL_MAGIC,
	       CKPT_MAGIC_LEN);
	put64(im, AT(off, ckpt_hdr_tail, records), records);
	put64(im, AT(off, ckpt_hdr_tail, bytes), bytes);
}

/*
 * TCP connection @k, once, as ckpt_obj_checkpoint() writes it: then its
 * other end, unless the image holds it already
 */
static void build_tcp(struct img *im, int k, uint32_t *nr_objs)
{
	int p = im->tcp_peer[k] - 1;

	if (im->tcp_ref[k])
		return;
	im->tcp_ref[k] = ++*nr_objs;
	im->tcp_off[k] = emit_tcp(im, k, im->tcp_ref[k]);
	if (p >= 0 && !im->tcp_ref[p]) {
		im->tcp_ref[p] = ++*nr_objs;
		im->tcp_off[p] = emit_tcp(im, p, im->tcp_ref[p]);
	}
}

/* Accept queue @a, once, as ckpt_tcp_accept_save(): its connections, then it */
static void build_accept(struct img *im, int a, uint32_t *nr_objs)
{
	const struct maccept *q = &im->accepts[a];
	uint32_t j;

	if (im->accept_ref[a])
		return;
	for (j = 0; j < q->nr_conns; j++)
		build_tcp(im, q->conns[j], nr_objs);
	im->accept_ref[a] = ++*nr_objs;
	im->accept_off[a] = emit_accept(im, q, im->accept_ref[a]);
}

/* The files of a task's descriptor table, then the table, as ckpt_task_files() */
/*
 * File @f, once, as ckpt_save_file(): first the pipe or unix pair it is an
 * end of, the TCP connection of its socket or the accept queue of its
 * listening socket, the pty or memfd it is a file of, or the files an
 * epoll watches
 */
static void build_file(struct img *im, int f, uint32_t *nr_objs)
{
	const struct ckpt_socket *s;
	const struct mepoll *e;
	const struct mend *u;
	uint32_t j;
	int i, p;

	if (im->file_ref[f])
		return;
	p = im->files[f].pipe - 1;
	if (p >= 0 && !im->pipe_ref[p]) {	/* before its first end */
		im->pipe_ref[p] = ++*nr_objs;
		im->pipe_off[p] = emit_pipe(im, &im->pipes[p], im->pipe_ref[p]);
	}
	p = im->file_pty[f] - 1;
	if (p >= 0 && !im->pty_ref[p]) {	/* ckpt_pty_prepare(): before its first file */
		im->pty_ref[p] = ++*nr_objs;
		im->pty_off[p] = emit_pty(im, &im->ptys[p], im->pty_ref[p]);
	}
	s = im->files[f].sock ? &im->socks[im->files[f].sock - 1] : NULL;
	p = s && s->state == CKPT_SOCK_PAIR ? (int)s->pair_ref - 1 : -1;
	if (p >= 0 && p < im->nr_upairs && !im->upair_ref[p]) {
		/* ckpt_unix_save_files(): its files in flight, end 0's then end 1's */
		for (i = 0; i < 2; i++) {
			u = &im->upairs[p].end[i];
			for (j = 0; u->files && j < u->nr_fds; j++)
				build_file(im, u->files[j], nr_objs);
		}
		im->upair_ref[p] = ++*nr_objs;
		im->upair_off[p] = emit_upair(im, &im->upairs[p], im->upair_ref[p]);
	}
	/* ckpt_sock_prepare(): its TCP connection, or the connections it holds */
	if (im->file_tcp[f])
		build_tcp(im, im->file_tcp[f] - 1, nr_objs);
	if (im->file_accept[f])
		build_accept(im, im->file_accept[f] - 1, nr_objs);
	e = im->files[f].epoll ? &im->epolls[im->files[f].epoll - 1] : NULL;
	for (i = 0; e && i < e->nr_items; i++)
		build_file(im, e->items[i].file, nr_objs);
	p = im->file_memfd[f] - 1;
	build_memfd(im, p, nr_objs);
	im->file_ref[f] = ++*nr_objs;
	im->file_off[f] = emit_file(im, f, im->file_ref[f]);
	if (p >= 0)	/* where a pipe end has its pipe_ref */
		put32(im, AT(im->file_off[f], ckpt_hdr_file, memfd_ref), im->memfd_ref[p]);
	if (im->files[f].kind == CKPT_FILE_REG) {
		put64(im, AT(im->file_off[f], ckpt_hdr_file, size), im->fstat[f].size);
		put64(im, AT(im->file_off[f], ckpt_hdr_file, mtime_sec), im->fstat[f].mtime_sec);
		put32(im, AT(im->file_off[f], ckpt_hdr_file, mtime_nsec), im->fstat[f].mtime_nsec);
	}
	/* ckpt_write_inotify(): the events and watches of an inotify, right after it */
	if (im->file_inotify[f])
		emit_inotify(im, im->file_inotify[f] - 1);
	/* ckpt_file_locks(): its flock(2) and OFD locks, right after it */
	if (im->file_locks[f].nr)
		im->file_locks_off[f] = emit_locks(im, &im->file_locks[f]);
}

static void build_files(struct img *im, const struct mtask *t, uint32_t *nr_objs)
{
	const struct mtable *tb = &im->tables[t->files];
	int i;

	if (!im->files_ref[t->files]) {
		for (i = 0; i < tb->nr_fds; i++)
			build_file(im, tb->fds[i].file, nr_objs);
		im->files_ref[t->files] = ++*nr_objs;
		im->files_off[t->files] = emit_files(im, tb, im->files_ref[t->files]);
		/* ckpt_files_locks(): the POSIX locks of its owner, right after it */
		if (im->table_locks[t->files].nr)
			im->table_locks_off[t->files] =
				emit_locks(im, &im->table_locks[t->files]);
	}
	if (!im->fs_ref[t->fs]) {
		im->fs_ref[t->fs] = ++*nr_objs;
		im->fs_off[t->fs] = emit_fs(im, &im->fss[t->fs], im->fs_ref[t->fs]);
	}
}

/* The objects task @t is the first to use, as ckpt_write_task() writes them */
static void build_objects(struct img *im, const struct mtask *t, uint32_t *nr_objs)
{
	uint32_t *objref = im->cred_ref, *mm_ref = im->mm_ref;
	uint32_t *sighand_ref = im->sighand_ref, *signal_ref = im->signal_ref;
	int c, s, v, k;

	if (!mm_ref[t->mm]) {
		/* ckpt_mm_prepare(): the shared memory and memfds it maps, before it */
		for (v = 0; v < im->mms[t->mm].nr_vmas; v++) {
			k = im->vma_shm[t->mm][v] - 1;
			/* a SysV segment is an object of the IPC namespace */
			if (im->mms[t->mm].vmas[v].kind == CKPT_VMA_SYSVSHM)
				continue;
			if (im->mms[t->mm].vmas[v].kind == CKPT_VMA_MEMFD) {
				build_memfd(im, k, nr_objs);
				continue;
			}
			if (k >= 0 && !im->shm_ref[k]) {
				im->shm_ref[k] = ++*nr_objs;
				emit_shmem(im, k, im->shm_ref[k]);
			}
		}
		mm_ref[t->mm] = ++*nr_objs;
		emit_mm(im, t->mm, mm_ref[t->mm]);
	}
	c = t->cred;
	if (!objref[c]) {
		objref[c] = ++*nr_objs;
		im->cred_off[c] = emit_cred(im, &im->creds[c], objref[c]);
	}
	c = t->real_cred;
	if (!objref[c]) {
		objref[c] = ++*nr_objs;
		im->cred_off[c] = emit_cred(im, &im->creds[c], objref[c]);
	}
	/* the handlers of another process (the parent's), or of its own */
	s = t->sighand ? t->sighand - 1 : t->sig;
	if (!sighand_ref[s]) {
		sighand_ref[s] = ++*nr_objs;
		im->sighand_off[s] = emit_sighand(im, &im->sigs[s], sighand_ref[s]);
	}
	s = t->sig;
	if (!signal_ref[s]) {
		signal_ref[s] = ++*nr_objs;
		im->signal_off[s] = emit_signal(im, &im->sigs[s], signal_ref[s]);
	}
	build_files(im, t, nr_objs);
}

/* Lay the model out as do_checkpoint() does. */
static void build(struct img *im)
{
	const struct mtask *t;
	uint32_t nr_objs = 0;
	int i;

	im->len = 0;
	im->nr_records = 0;
	memset(im->cred_ref, 0, sizeof(im->cred_ref));
	memset(im->mm_ref, 0, sizeof(im->mm_ref));
	memset(im->shm_ref, 0, sizeof(im->shm_ref));
	memset(im->memfd_ref, 0, sizeof(im->memfd_ref));
	memset(im->sighand_ref, 0, sizeof(im->sighand_ref));
	memset(im->signal_ref, 0, sizeof(im->signal_ref));
	memset(im->file_ref, 0, sizeof(im->file_ref));
	memset(im->files_ref, 0, sizeof(im->files_ref));
	memset(im->fs_ref, 0, sizeof(im->fs_ref));
	memset(im->pipe_ref, 0, sizeof(im->pipe_ref));
	memset(im->upair_ref, 0, sizeof(im->upair_ref));
	memset(im->tcp_ref, 0, sizeof(im->tcp_ref));
	memset(im->accept_ref, 0, sizeof(im->accept_ref));
	memset(im->pty_ref, 0, sizeof(im->pty_ref));
	memset(im->ipc_shm_ref, 0, sizeof(im->ipc_shm_ref));
	memset(im->ipc_msg_ref, 0, sizeof(im->ipc_msg_ref));
	memset(im->ipc_sem_ref, 0, sizeof(im->ipc_sem_ref));
	memset(im->mq_ref, 0, sizeof(im->mq_ref));
	emit_header(im);
	build_pidns(im, PIDNS_BEFORE_TREE);
	if (im->ns && im->ns_before_tree) {
		im->ns_off = emit_namespaces(im);
		build_net(im);
	}
	emit_tree(im);
	build_pidns(im, PIDNS_AFTER_TREE);
	if (im->ns && !im->ns_before_tree) {
		im->ns_off = emit_namespaces(im);
		build_net(im);
	}
	build_pidns(im, PIDNS_AFTER_NS);
	for (i = 0; i < im->nr_tasks; i++) {
		t = &im->tasks[i];
		build_undos(im, i, true, &nr_objs);
		if (i == im->ipc_task && !im->ipc_after_objects)
			build_ipc(im, &nr_objs);
		if (i == im->fail_task) {
			im->error_off = emit_error(im, EBUSY,
						   "pid 102 (sudo) is running: stop or freeze it first");
			return;
		}
		if (i == im->ns_again_task)
			im->ns_again_off = emit_namespaces(im);
		if (i == im->extra_cred_task)
			im->extra_off = emit_cred(im, &im->creds[0], ++nr_objs);
		/* A zombie uses no object, and has no record but its task record. */
		if (!t->zombie)
			build_objects(im, t, &nr_objs);
		if (i == im->ipc_task && im->ipc_after_objects)
			build_ipc(im, &nr_objs);
		/* the undo list of a process, right before the record of its leader */
		build_undos(im, i, false, &nr_objs);
		im->task_off[i] = emit_task(im, t);
		if (t->zombie && !im->zombie_records)
			continue;
		im->regs_off[i] = emit_regs(im, t);
		im->xstate_off[i] = emit_xstate(im);
		if (t->timers && im->timers_before_rb)
			im->pt_off[i] = emit_posix_timers(im, &im->tsets[t->timers - 1]);
		if (t->rb.kind)
			im->rb_off[i] = emit_restart_block(im, t);
		if (t->timers && !im->timers_before_rb)
			im->pt_off[i] = emit_posix_timers(im, &im->tsets[t->timers - 1]);
		im->tsig_off[i] = emit_task_signals(im, t);
		im->attrs_off[i] = emit_task_attrs(im, t);
	}
	if (im->extra_cred_tail)
		im->extra_off = emit_cred(im, &im->creds[0], ++nr_objs);
	if (im->ns_again_task == im->nr_tasks)
		im->ns_again_off = emit_namespaces(im);
	if (im->ipc_task == im->nr_tasks)
		build_ipc(im, &nr_objs);
	build_undos(im, im->nr_tasks, false, &nr_objs);
	emit_tail(im);
}

/*
 * The default model: a shell (100) with a second thread (101), a child
 * 102 with other effective creds, and its child 103 with a thread 104.
 *
 * The shell handles and ignores signals, has an alarm, an alternate
 * stack and a signal pending for the whole process, its thread one for
 * itself; sudo handles signals too and has an interval timer, and two
 * POSIX timers left of the four it made: one set to an absolute
 * CLOCK_REALTIME time, one periodic whose signal, blocked, is pending;
 * cat leaves them all alone.
 *
 * Each process has its descriptor table and working directory, which
 * its threads share.  Standard input, output and error are the
 * terminal the shell got from its parent (an inherited file, shared
 * by the three processes, which forked), but cat reads a pipe whose
 * writer exited, leaving data in it (a pipe object before its end).  Each
 * also has a regular file, a directory and /dev/null open, and a
 * second descriptor for one of its files, as dup() makes.  All have the
 * resource limits of a login session; each task has the addresses
 * glibc gives the kernel, a thread its own.
 *
 *   records: header, tree,
 *	      mm 1 (its VMAs and pages), cred 2, sighand 3, signal 4,
 *	      file 5 (the terminal), file 6, file 7, file 8, files 9, fs 10,
 *	      task 100 (x86_regs, x86_xstate, task_signals, task_attrs),
 *	      task 101 (...),
 *	      mm 11 (...), cred 12, sighand 13, signal 14, file 15, file 16,
 *	      file 17, files 18, fs 19, task 102 (..., restart_block,
 *	      posix_timers, ...),
 *	      mm 20 (...), cred 21, sighand 22, signal 23, pipe 24,
 *	      file 25 (its read end), file 26, file 27, file 28, files 29,
 *	      fs 30, task 103 (...),
 *	      task 104 (...), tail
 */
static void model(struct img *im)
{
	static const struct mtask tasks[] = {
		{ 100, 100, 0, 100, 90, 17, 0, 0, 0, "sh", 0, false, 0, { 0 }, 0, 0, { 0 }, { 0 },
		  0, false, 0, 0, 0 },
		{ 101, 100, 0, 100, 90, -1, 0, 0, 0, "sh", 0, false, 0, { 0 }, 0, 0, { 0 }, { 0 },
		  0, false, 0, 0, 0 },
		{ 102, 102, 100, 100, 90, 17, 0, 1, 0, "sudo", 1, false, 1, { 0 }, 1, 1, { 0 },
		  { 0 }, 1, false, 0, 0, 0 },
		{ 103, 103, 102, 103, 90, 17, 0x400000, 2, 2, "cat", 2, false, 2, { 0 }, 2, 2,
		  { 0 }, { 0 }, 0, false, 0, 0, 0 },
		{ 104, 103, 102, 103, 90, -1, 0x400000, 2, 2, "cat-\xc3\xa9", 2, false, 2, { 0 },
		  2, 2, { 0 }, { 0 }, 0, false, 0, 0, 0 },
	};
	/* ext4 on 8:1 and 8:3, devtmpfs 0:5, devpts 0:26, pipefs 0:13 */
	static const struct mfile files[] = {
		/* the terminal: sh, sudo and cat share it */
		{ CKPT_FILE_INHERIT, O_RDWR_ | O_LARGEFILE_, 0, S_IFCHR_ | 0620, 0,
		  3, DEV(0, 26), NULL, 0, 0, 0, 0 },
		/* sh */
		{ CKPT_FILE_REG, O_WRONLY_ | O_APPEND_ | O_LARGEFILE_, 18734,
		  S_IFREG_ | 0600, 0, 1835021, DEV(8, 1), "/home/user/.sh_history", 0, 0, 0, 0 },
		{ CKPT_FILE_DIR, O_RDONLY_ | O_NONBLOCK_ | O_DIRECTORY_ | O_LARGEFILE_,
		  0x1d3c6a4f8e2b7c90LL, S_IFDIR_ | 0755, 0, 1835010, DEV(8, 1),
		  "/home/user", 0, 0, 0, 0 },
		{ CKPT_FILE_CHR, O_RDWR_ | O_LARGEFILE_, 0, S_IFCHR_ | 0666, DEV(1, 3),
		  4, DEV(0, 5), "/dev/null", 0, 0, 0, 0 },
		/* sudo: its log, a directory read to its end (ext4's EOF cookie) */
		{ CKPT_FILE_REG, O_WRONLY_ | O_APPEND_ | O_LARGEFILE_, 73728,
		  S_IFREG_ | 0600, 0, 393219, DEV(8, 1), "/var/log/sudo.log", 0, 0, 0, 0 },
		{ CKPT_FILE_DIR, O_RDONLY_ | O_NONBLOCK_ | O_DIRECTORY_ | O_LARGEFILE_,
		  INT64_MAX, S_IFDIR_ | 0750, 0, 262150, DEV(8, 1), "/etc/sudoers.d", 0, 0, 0, 0 },
		{ CKPT_FILE_CHR, O_WRONLY_ | O_LARGEFILE_, 0, S_IFCHR_ | 0666, DEV(1, 3),
		  4, DEV(0, 5), "/dev/null", 0, 0, 0, 0 },
		/* cat: a pipe, the file it reads, its directory as an O_PATH fd */
		{ CKPT_FILE_PIPE, O_RDONLY_, 0, S_IFIFO_ | 0600, 0, 81234, DEV(0, 13),
		  NULL, 1, 0, 0, 0 },
		{ CKPT_FILE_REG, O_RDONLY_ | O_LARGEFILE_ | O_NOATIME_, 1048576,
		  S_IFREG_ | 0644, 0, 524301, DEV(8, 3),
		  "/srv/data/r\xc3\xa9sum\xc3\xa9.txt", 0, 0, 0, 0 },
		{ CKPT_FILE_DIR, O_PATH_ | O_DIRECTORY_ | O_LARGEFILE_, 0, S_IFDIR_ | 0755, 0,
		  524289, DEV(8, 3), "/srv/data", 0, 0, 0, 0 },
		{ CKPT_FILE_CHR, O_RDWR_ | O_LARGEFILE_, 0, S_IFCHR_ | 0666, DEV(1, 3),
		  4, DEV(0, 5), "/dev/null", 0, 0, 0, 0 },
	};
	/* dash keeps a copy of a redirected fd at 10, close-on-exec */
	static const struct mfd sh_fds[] = {
		{ 0, 0, 0 }, { 1, 0, 0 }, { 2, 0, 0 }, { 3, 0, 1 },
		{ 4, CKPT_FD_CLOEXEC, 2 }, { 5, 0, 3 }, { 10, CKPT_FD_CLOEXEC, 1 },
	}, sudo_fds[] = {
		{ 0, 0, 0 }, { 1, 0, 0 }, { 2, 0, 0 }, { 3, CKPT_FD_CLOEXEC, 4 },
		{ 4, CKPT_FD_CLOEXEC, 5 }, { 5, 0, 6 }, { 7, 0, 4 },
	}, cat_fds[] = {
		{ 0, 0, 7 }, { 1, 0, 0 }, { 2, 0, 0 }, { 3, 0, 8 },
		{ 4, CKPT_FD_CLOEXEC, 9 }, { 5, 0, 10 }, { 6, 0, 8 },
	};
	static const struct mfs fss[] = {
		{ 022, "/home/user", "/" },
		{ 022, "/home/user", "/" },
		{ 077, "/srv/data", "/" },
	};
	/* Debian's, under systemd: those of every process of the session */
	static const struct ckpt_rlimit rlim[CKPT_RLIM_NLIMITS] = {
		{ RLIM_INF, RLIM_INF }, { RLIM_INF, RLIM_INF },		/* CPU, FSIZE */
		{ RLIM_INF, RLIM_INF }, { 8388608, RLIM_INF },		/* DATA, STACK */
		{ 0, RLIM_INF }, { RLIM_INF, RLIM_INF },		/* CORE, RSS */
		{ 63457, 63457 }, { 1024, 524288 },			/* NPROC, NOFILE */
		{ 8388608, 8388608 }, { RLIM_INF, RLIM_INF },		/* MEMLOCK, AS */
		{ RLIM_INF, RLIM_INF }, { 63457, 63457 },		/* LOCKS, SIGPENDING */
		{ 819200, 819200 }, { 0, 0 },				/* MSGQUEUE, NICE */
		{ 0, 0 }, { RLIM_INF, RLIM_INF },			/* RTPRIO, RTTIME */
	};
	static const struct mmm mms[] = {
		{
			.layout = { 0x400000, 0x401800, 0x402000, 0x402400,
				    0x404000, 0x406800, 0x7ffc12345000ULL,
				    0x7ffc12345100ULL, 0x7ffc12345180ULL,
				    0x7ffc12345180ULL, 0x7ffc12345f00ULL },
			.nr_auxv = 6,
			.auxv = { 6, 4096, 9, 0x401000, 0, 0 },	/* PAGESZ, ENTRY, NULL */
			.exe = "/usr/bin/dash",
			.nr_vmas = 6,
			.vmas = {
				{ 0x400000, 0x402000, 0, CKPT_VMA_FILE, 0x75,
				  "/usr/bin/dash", 0, { { 0 } } },
				{ 0x402000, 0x404000, 2, CKPT_VMA_FILE, 0x33,
				  "/usr/bin/dash", 1, { { 0x403000, 1 } } },
				{ 0x404000, 0x408000, 0, CKPT_VMA_ANON, 0x33, NULL,
				  2, { { 0x404000, 2 }, { 0x407000, 1 } } },
				{ 0x7ffc12320000ULL, 0x7ffc12346000ULL, 0, CKPT_VMA_ANON,
				  0x133, NULL, 1, { { 0x7ffc12345000ULL, 1 } } },
				{ 0x7ffc123f0000ULL, 0x7ffc123f4000ULL, 0, CKPT_VMA_VVAR,
				  0x11, NULL, 0, { { 0 } } },
				{ 0x7ffc123f4000ULL, 0x7ffc123f6000ULL, 0, CKPT_VMA_VDSO,
				  0x75, NULL, 0, { { 0 } } },
			},
		}, {
			.layout = { 0x500000, 0x500000, 0x500000, 0x500000,
				    0x600000, 0x600000, 0x7ffd00001000ULL,
				    0, 0, 0, 0 },
			.nr_auxv = 2,
			.exe = "/usr/bin/sudo",
			.nr_vmas = 3,
			.vmas = {
				{ 0x500000, 0x501000, 0, CKPT_VMA_ANON, 0x3b, NULL,
				  1, { { 0x500000, 1 } } },
				{ 0x7f0000000000ULL, 0x7f0000004000ULL, 0, CKPT_VMA_FILE,
				  0x3b, "/dev/shm/sudo \xe2\x9c\x93", 0, { { 0 } } },
				{ 0x7ffd00000000ULL, 0x7ffd00002000ULL, 0, CKPT_VMA_VDSO,
				  0x75, NULL, 0, { { 0 } } },
			},
		}, {	/* no executable, nothing saved */
			.nr_vmas = 1,
			.vmas = {
				{ 0x10000, 0x20000, 0, CKPT_VMA_ANON, 0x73, NULL,
				  0, { { 0 } } },
			},
		},
	};
	uint8_t *buf = im->buf;
	size_t cap = im->cap;
	struct ckpt_sigaction *a;
	struct mattrs *at;
	struct mcred *c;
	struct msig *s;
	static bool dirty;
	int i;

	/* The first time the image is all zero: spare the pages of its task arrays. */
	if (dirty)
		memset(im, 0, sizeof(*im));
	dirty = true;
	im->buf = buf;
	im->cap = cap;
	im->fail_task = NO_TASK;
	im->extra_cred_task = NO_TASK;
	im->ns_again_task = NO_TASK;
	im->nr_tasks = ARRAY_SIZE(tasks);
	memcpy(im->tasks, tasks, sizeof(tasks));
	im->nr_creds = 3;
	im->nr_mms = ARRAY_SIZE(mms);
	memcpy(im->mms, mms, sizeof(mms));
	im->nr_files = ARRAY_SIZE(files);
	memcpy(im->files, files, sizeof(files));
	/* what stat(2) gave of the regular files: the history sh appends to, ... */
	im->fstat[1] = (struct mstat){ 18734, 1700000000, 123456789 };
	im->fstat[4] = (struct mstat){ 73728, 1699990000, 0 };
	im->fstat[8] = (struct mstat){ 3145728, -86400, 999999999 };
	im->nr_tables = 3;
	im->tables[0] = (struct mtable){ ARRAY_SIZE(sh_fds), sh_fds };
	im->tables[1] = (struct mtable){ ARRAY_SIZE(sudo_fds), sudo_fds };
	im->tables[2] = (struct mtable){ ARRAY_SIZE(cat_fds), cat_fds };
	im->nr_fss = ARRAY_SIZE(fss);
	memcpy(im->fss, fss, sizeof(fss));
	/* cat's standard input: what a writer that exited left in a pipe */
	im->nr_pipes = 1;
	im->pipes[0] = (struct mpipe){ 65536, CKPT_PIPE_READER, 20,
				       "line 1\nline 2\n\x00\xff\tend" };

	c = &im->creds[0];
	c->uid = 1000;
	c->euid = 1000;
	c->suid = 1000;
	c->fsuid = 1000;
	c->gid = 1000;
	c->egid = 1000;
	c->sgid = 1000;
	c->fsgid = 1000;
	c->cap_bset = CAP_FULL;
	c->ngroups = 3;
	c->groups[0] = 4;
	c->groups[1] = 24;
	c->groups[2] = 27;

	c = &im->creds[1];
	c->uid = 1000;
	c->gid = 1000;
	c->cap_permitted = CAP_FULL;
	c->cap_effective = CAP_FULL;
	c->cap_bset = CAP_FULL;

	c = &im->creds[2];
	c->uid = 1001;
	c->euid = 1001;
	c->suid = 1001;
	c->fsuid = 1001;
	c->gid = 1001;
	c->egid = 1001;
	c->sgid = 1001;
	c->fsgid = 1001;
	c->cap_bset = CAP_FULL;
	c->securebits = 0x15;
	c->ngroups = 2;
	c->groups[0] = 1001;
	c->groups[1] = 100;

	/* Signals: glibc's sigaction() always sets SA_RESTORER. */
	im->nr_sigs = 3;
	s = &im->sigs[0];
	a = s->action;
	a[X86_SIGINT - 1] = (struct ckpt_sigaction){ 0x401a30, SA_RESTORER_ | SA_RESTART_,
						     0x401f00, 0 };
	a[X86_SIGQUIT - 1] = (struct ckpt_sigaction){ 1, SA_RESTORER_, 0x401f00, 0 };
	a[X86_SIGUSR1 - 1] = (struct ckpt_sigaction){
		0x401b00, SA_RESTORER_ | SA_RESTART_ | SA_SIGINFO_, 0x401f00,
		SIGBIT(X86_SIGUSR2) | SIGBIT(X86_SIGTERM) };
	a[X86_SIGCHLD - 1] = (struct ckpt_sigaction){
		0x401c00, SA_RESTORER_ | SA_RESTART_ | SA_NOCLDSTOP_, 0x401f00, 0 };
	a[X86_SIGTTOU - 1] = (struct ckpt_sigaction){ 1, SA_RESTORER_, 0x401f00, 0 };
	s->nr_pending = 1;
	s->pending = (struct msiginfo){ X86_SIGUSR2, SI_USER_, 102, 1000, 0, 0 };
	s->it_real_value = 2500000000LL;	/* alarm(3), half a second ago */

	s = &im->sigs[1];
	a = s->action;
	a[X86_SIGHUP - 1] = (struct ckpt_sigaction){
		0x7f0000001200ULL, SA_RESTORER_ | SA_RESTART_ | SA_SIGINFO_,
		0x7f0000000f00ULL, SIGBIT(X86_SIGINT) | SIGBIT(X86_SIGTERM) };
	a[X86_SIGINT - 1] = a[X86_SIGHUP - 1];
	a[X86_SIGTERM - 1] = a[X86_SIGHUP - 1];
	a[X86_SIGPIPE - 1] = (struct ckpt_sigaction){ 1, SA_RESTORER_, 0x7f0000000f00ULL, 0 };
	s->it_real_value = 300000000;		/* ticks every second */
	s->it_real_interval = 1000000000;
	s->it_prof_value = 7000000;		/* profiles every 10 ms of CPU */
	s->it_prof_interval = 10000000;

	for (i = 0; i < im->nr_tasks; i++)
		im->tasks[i].ts.ss_flags = SS_DISABLE_;
	/* SIGUSR2 blocked by both threads of the shell */
	im->tasks[0].ts.blocked = SIGBIT(X86_SIGUSR2);
	im->tasks[0].ts.ss_sp = 0x7f0012300000ULL;
	im->tasks[0].ts.ss_size = 0x8000;
	im->tasks[0].ts.ss_flags = SS_AUTODISARM_;
	im->tasks[1].ts.blocked = SIGBIT(X86_SIGUSR2) | SIGBIT(X86_SIGRTMIN + 2);
	im->tasks[1].ts.nr_pending = 1;
	im->tasks[1].ts.pending = (struct msiginfo){ X86_SIGRTMIN + 2, SI_QUEUE_, 103, 1001,
						     42, 0 };

	/*
	 * Attributes: glibc's set_tid_address(), set_robust_list() and
	 * rseq() in each thread's descriptor.  sudo is set-user-ID, so not
	 * dumpable; cat runs niced, its thread idle, with no_new_privs and
	 * a parent death signal; the shell is a child subreaper.
	 */
	for (i = 0; i < im->nr_tasks; i++) {
		at = &im->tasks[i].at;
		memcpy(at->rlim, rlim, sizeof(rlim));
		at->dumpable = 1;
		at->clear_child_tid = tcb(&im->tasks[i]) + 0x2d0;
		at->robust_list = tcb(&im->tasks[i]) + 0x2e0;
		at->robust_list_len = ROBUST_LIST_SIZE;
		at->rseq = tcb(&im->tasks[i]) + 0x9a0;
		at->rseq_len = 32;
		at->rseq_sig = RSEQ_SIG_X86;
	}
	im->tasks[0].at.flags = CKPT_ATTR_CHILD_SUBREAPER;
	im->tasks[1].at.flags = CKPT_ATTR_CHILD_SUBREAPER;
	im->tasks[2].at.dumpable = 0;
	im->tasks[3].at.nice = 5;
	im->tasks[3].at.policy = SCHED_BATCH_;
	im->tasks[3].at.flags = CKPT_ATTR_NO_NEW_PRIVS;
	im->tasks[3].at.pdeath_signal = X86_SIGKILL;
	im->tasks[4].at.nice = 5;
	im->tasks[4].at.policy = SCHED_IDLE_;
	im->tasks[4].at.flags = CKPT_ATTR_NO_NEW_PRIVS;

	/*
	 * The shell's thread waits on a futex with a timeout; sudo sleeps
	 * in nanosleep(), its time left to be written back.
	 */
	im->tasks[1].rb = (struct mrestart){
		.kind = CKPT_RESTART_FUTEX_WAIT, .flags = CKPT_RESTART_TIMEOUT,
		.val = 2, .bitset = ~0U, .addr = tcb(&im->tasks[1]) + 0x3a0,
		.timeout_ns = 250000000,
	};
	im->tasks[2].rb = (struct mrestart){
		.kind = CKPT_RESTART_NANOSLEEP, .flags = CKPT_RESTART_TIMEOUT,
		.clockid = 1, .addr = 0x7ffc10e0c000ULL - 0x40,
		.timeout_ns = 3000000000ULL,
	};

	/*
	 * sudo's timers: 0 expires a minute after the checkpoint; 3 ticks
	 * every 250 ms, with SIGRTMIN+3 blocked: it expired once, its signal
	 * pending, then twice more (overruns), 150 ms before the next time.
	 * Both were set once (it_requeue_pending 2), then 3 queued its signal
	 * (3, odd while the signal is pending; not saved in the siginfo).
	 */
	im->tsets[0] = (struct mtimers){
		.next_id = 4, .nr = 2, .t = {
			{ .id = 0, .clockid = CLOCK_REALTIME_, .notify = SIGEV_SIGNAL_,
			  .signo = X86_SIGALRM, .flags = CKPT_TIMER_ABSTIME,
			  .sigval = 0x7f0000002010ULL, .value = 1700000060 * NSEC,
			  .overrun = -1, .requeue = 2 },
			{ .id = 3, .clockid = CLOCK_MONOTONIC_, .notify = SIGEV_SIGNAL_,
			  .signo = X86_SIGRTMIN + 3, .flags = CKPT_TIMER_PENDING,
			  .sigval = 3, .value = 150 * MS, .interval = 250 * MS,
			  .overrun = 2, .requeue = 3 },
		},
	};
	im->tasks[2].ts.blocked = SIGBIT(X86_SIGRTMIN + 3);
	s = &im->sigs[1];
	s->nr_pending = 1;
	s->pending = (struct msiginfo){ X86_SIGRTMIN + 3, SI_TIMER_, 3, 0, 3, 0 };
}

/* Offsets in the default image */
#define TREE_E(im, i, f) \
	((im)->tree_off + sizeof(struct ckpt_hdr_tree) + \
	 (i) * sizeof(struct ckpt_pids) + offsetof(struct ckpt_pids, f))
#define CRED(im, i, f)	AT((im)->cred_off[i], ckpt_hdr_cred, f)
#define TASK(im, i, f)	AT((im)->task_off[i], ckpt_hdr_task, f)
#define TAIL(im, f)	AT((im)->tail_off, ckpt_hdr_tail, f)
#define NS(im, f)	AT((im)->ns_off, ckpt_hdr_namespaces, f)
#define HDR(f)		offsetof(struct ckpt_hdr_header, f)
#define MM(im, m, f)	AT((im)->mm_off[m], ckpt_hdr_mm, f)
#define VMA(im, m, v, f) AT((im)->vma_off[m][v], ckpt_hdr_vma, f)
#define PG(im, m, v, n, f) AT((im)->pages_off[m][v][n], ckpt_hdr_pages, f)
#define REGS(im, t, f)	AT((im)->regs_off[t], ckpt_hdr_x86_regs, f)
#define XS(im, t, f)	AT((im)->xstate_off[t], ckpt_hdr_x86_xstate, f)
#define XSAVE(im, t)	((im)->xstate_off[t] + sizeof(struct ckpt_hdr_x86_xstate))
#define SA(im, s, sig, f) \
	(AT((im)->sighand_off[s], ckpt_hdr_sighand, action) + \
	 ((sig) - 1) * sizeof(struct ckpt_sigaction) + offsetof(struct ckpt_sigaction, f))
#define SIGNAL(im, s, f) AT((im)->signal_off[s], ckpt_hdr_signal, f)
#define TSIG(im, t, f)	AT((im)->tsig_off[t], ckpt_hdr_task_signals, f)
/* The siginfo @i after the signal record of @s, the task signals one of @t */
#define SIGNAL_SI(im, s, i) \
	((im)->signal_off[s] + sizeof(struct ckpt_hdr_signal) + (i) * CKPT_SIGINFO_SIZE)
#define TSIG_SI(im, t, i) \
	((im)->tsig_off[t] + sizeof(struct ckpt_hdr_task_signals) + (i) * CKPT_SIGINFO_SIZE)
#define LEN(off)	AT(off, ckpt_hdr, len)
#define FREC(im, f, fld) AT((im)->file_off[f], ckpt_hdr_file, fld)
#define FPATH(im, f)	((im)->file_off[f] + sizeof(struct ckpt_hdr_file))
#define FILES(im, tb, fld) AT((im)->files_off[tb], ckpt_hdr_files, fld)
/* Field @fld of the descriptor @i of the table @tb */
#define FD(im, tb, i, fld) \
	((im)->files_off[tb] + sizeof(struct ckpt_hdr_files) + \
	 (i) * sizeof(struct ckpt_fd) + offsetof(struct ckpt_fd, fld))
#define FSR(im, s, fld)	AT((im)->fs_off[s], ckpt_hdr_fs, fld)
#define FS_CWD(im, s)	((im)->fs_off[s] + sizeof(struct ckpt_hdr_fs))
#define TA(im, t, fld)	AT((im)->attrs_off[t], ckpt_hdr_task_attrs, fld)
#define RLIM(im, t, i, fld) \
	(TA(im, t, rlim) + (i) * sizeof(struct ckpt_rlimit) + offsetof(struct ckpt_rlimit, fld))

/*
 * The cases.  Each builds its image and returns the offset of the first
 * bad byte (anything for a valid image).
 */
#define CASE(name)	static size_t case_##name(struct img *im)

CASE(good)
{
	build(im);
	return 0;
}

CASE(single_task)
{
	im->flags = CHECKPOINT_SCOPE_TASK;
	im->nr_tasks = 2;
	build(im);
	return 0;
}

CASE(tree_max)
{
	int i;

	im->nr_tasks = MAX_TASKS;
	for (i = 1; i < MAX_TASKS; i++) {
		im->tasks[i] = im->tasks[1];
		im->tasks[i].pid = 1000 + i;
	}
	build(im);
	return 0;
}

CASE(groups_max)
{
	uint32_t i;

	im->creds[2].ngroups = CKPT_CRED_MAX_GROUPS;
	for (i = 0; i < CKPT_CRED_MAX_GROUPS; i++)
		im->creds[2].groups[i] = 2000 + i;
	build(im);
	return 0;
}

CASE(pid_max)
{
	im->tasks[4].pid = 4 * 1024 * 1024;
	build(im);
	return 0;
}

CASE(exit_signal_0_64)
{
	im->tasks[0].exit_signal = 0;
	im->tasks[2].exit_signal = 64;
	build(im);
	return 0;
}

CASE(optional_feature)
{
	build(im);
	put64(im, HDR(features_optional), 1ULL << 63);
	return 0;
}

CASE(scope_session)	/* the header flags are checked for unknown bits only */
{
	im->flags = CHECKPOINT_SCOPE_SESSION | CHECKPOINT_PIDFD;
	build(im);
	return 0;
}

CASE(unused_cred)
{
	im->extra_cred_task = 2;
	build(im);
	return 0;
}

CASE(trailing_data)
{
	build(im);
	new_record(im, 300, 16);
	return 0;
}

CASE(empty)
{
	build(im);
	im->len = 0;
	return 0;
}

CASE(short_header)
{
	build(im);
	im->len = 5;
	return 5;
}

CASE(text)
{
	static const char s[] = "#!/bin/sh\necho this is not an image\n";

	build(im);
	memcpy(im->buf, s, sizeof(s) - 1);
	im->len = sizeof(s) - 1;
	return 0;
}

CASE(hdr_len_below_8)
{
	build(im);
	put32(im, HDR(h.len), 4);
	return HDR(h.len);
}

CASE(hdr_len_above_max)
{
	build(im);
	put32(im, HDR(h.len), CKPT_RECORD_MAX + 1);
	return HDR(h.len);
}

CASE(hdr_padding)
{
	build(im);
	put32(im, HDR(h.len), HDR(_pad2));
	im->buf[HDR(_pad2) + 2] = 1;
	return HDR(_pad2) + 2;
}

CASE(hdr_no_room_for_magic)
{
	build(im);
	put32(im, HDR(h.len), 12);
	memset(im->buf + 12, 0, 4);
	return HDR(h.len);
}

CASE(magic)
{
	build(im);
	im->buf[HDR(magic) + 3] = 'k';
	return HDR(magic) + 3;
}

CASE(hdr_len_too_short)
{
	build(im);
	put32(im, HDR(h.len), HDR(major));
	return HDR(h.len);
}

CASE(hdr_len_wrong)
{
	build(im);
	put32(im, HDR(h.len), HDR(arch));
	memset(im->buf + HDR(arch), 0, 4);
	return HDR(h.len);
}

CASE(major)
{
	build(im);
	put16(im, HDR(major), 2);
	return HDR(major);
}

CASE(minor)
{
	build(im);
	put16(im, HDR(minor), CKPT_VERSION_MINOR + 1);
	return HDR(minor);
}

CASE(major_before_len)	/* the version is checked before the length */
{
	build(im);
	put32(im, HDR(h.len), 256);
	put16(im, HDR(major), 2);
	return HDR(major);
}

CASE(arch)
{
	build(im);
	put16(im, HDR(arch), 183);
	return HDR(arch);
}

CASE(page_size)
{
	build(im);
	put32(im, HDR(page_size), 65536);
	return HDR(page_size);
}

CASE(required_feature)
{
	build(im);
	put64(im, HDR(features_required), 4);
	return HDR(features_required);
}

CASE(hdr_flags)	/* the lowest bit that is not a flag */
{
	build(im);
	put32(im, HDR(flags), (CHECKPOINT_FLAGS_ALL + 1) & ~CHECKPOINT_FLAGS_ALL);
	return HDR(flags);
}

CASE(hdr_flags_kill)
{
	im->flags = CHECKPOINT_KILL;
	build(im);
	return 0;
}

CASE(hdr_flags_stop)
{
	im->flags = CHECKPOINT_SCOPE_TASK | CHECKPOINT_PIDFD | CHECKPOINT_STOP;
	im->nr_tasks = 2;
	build(im);
	return 0;
}

CASE(hdr_pad)
{
	build(im);
	im->buf[HDR(_pad) + 1] = 0x80;
	return HDR(_pad) + 1;
}

CASE(hdr_pad2)
{
	build(im);
	im->buf[HDR(_pad2) + 6] = 1;
	return HDR(_pad2) + 6;
}

CASE(release)
{
	build(im);
	memset(im->buf + HDR(release), 'x', CKPT_RELEASE_LEN);
	return HDR(release);
}

CASE(error_first)
{
	im->len = 0;
	im->error_off = emit_error(im, EPERM, "no permission");
	return 0;
}

CASE(error_first_bad_len)
{
	im->len = 0;
	emit_error(im, EPERM, "no permission");
	put32(im, AT(0, ckpt_hdr, len), 12);
	return AT(0, ckpt_hdr, len);
}

CASE(error_first_too_long)	/* E2BIG is not turned into ENOEXEC */
{
	im->len = 0;
	emit_error(im, EPERM, "no permission");
	put32(im, AT(0, ckpt_hdr, len), CKPT_RECORD_MAX + 1);
	return AT(0, ckpt_hdr, len);
}

CASE(error_first_pad)
{
	im->len = 0;
	emit_error(im, EPERM, "no permission");
	im->buf[AT(0, ckpt_hdr_error, _pad)] = 1;
	return AT(0, ckpt_hdr_error, _pad);
}

CASE(no_tree)
{
	build(im);
	im->len = im->tree_off;
	return im->tree_off;
}

CASE(tree_type)
{
	build(im);
	put32(im, AT(im->tree_off, ckpt_hdr, type), CKPT_HDR_TASK);
	return AT(im->tree_off, ckpt_hdr, type);
}

CASE(tree_len_below_min)
{
	build(im);
	put32(im, AT(im->tree_off, ckpt_hdr, len), 12);
	return AT(im->tree_off, ckpt_hdr, len);
}

CASE(tree_len_above_max)
{
	build(im);
	put32(im, AT(im->tree_off, ckpt_hdr, len),
	      sizeof(struct ckpt_hdr_tree) +
	      (CKPT_TREE_MAX_TASKS + 1) * sizeof(struct ckpt_pids));
	return AT(im->tree_off, ckpt_hdr, len);
}

CASE(nr_tasks_0)
{
	build(im);
	put32(im, AT(im->tree_off, ckpt_hdr_tree, nr_tasks), 0);
	return AT(im->tree_off, ckpt_hdr_tree, nr_tasks);
}

CASE(nr_tasks_above_max)
{
	build(im);
	put32(im, AT(im->tree_off, ckpt_hdr_tree, nr_tasks), CKPT_TREE_MAX_TASKS + 1);
	return AT(im->tree_off, ckpt_hdr_tree, nr_tasks);
}

CASE(nr_tasks_len)
{
	build(im);
	put32(im, AT(im->tree_off, ckpt_hdr_tree, nr_tasks), 4);
	return AT(im->tree_off, ckpt_hdr, len);
}

CASE(tree_pad)
{
	build(im);
	im->buf[AT(im->tree_off, ckpt_hdr_tree, _pad) + 2] = 1;
	return AT(im->tree_off, ckpt_hdr_tree, _pad) + 2;
}

CASE(tree_error)
{
	build(im);
	im->len = im->tree_off;
	im->error_off = emit_error(im, ENOMEM, "");
	return im->error_off;
}

CASE(pid_0)
{
	im->tasks[3].pid = 0;
	build(im);
	return TREE_E(im, 3, pid);
}

CASE(pid_above_max)
{
	im->tasks[4].pid = 4 * 1024 * 1024 + 1;
	build(im);
	return TREE_E(im, 4, pid);
}

CASE(pgid_negative)
{
	im->tasks[2].pgid = -1;
	build(im);
	return TREE_E(im, 2, pgid);
}

CASE(sid_above_max)
{
	im->tasks[1].sid = 4 * 1024 * 1024 + 1;
	build(im);
	return TREE_E(im, 1, sid);
}

/*
 * The CKPT_PIDS_* flags of a process its parent created sharing its mm
 * or handlers (see the cases after process_shares_signal): unknown ones,
 * flags of a thread or of a process without a parent in the image, the
 * handlers without the mm, as clone(2) refuses, and two vfork() children
 * of a parent, which waits for one.
 */
CASE(pids_flags_unknown)
{
	im->tasks[2].flags = CKPT_PIDS_FLAGS_ALL + 1;
	build(im);
	return TREE_E(im, 2, flags);
}

CASE(pids_flags_high)	/* what was _pad before version 1.25 */
{
	build(im);
	im->buf[TREE_E(im, 2, flags) + 3] = 1;
	return TREE_E(im, 2, flags);
}

CASE(pids_flags_thread)
{
	im->tasks[4].flags = CKPT_PIDS_SHARE_VM;
	build(im);
	return TREE_E(im, 4, flags);
}

CASE(pids_flags_root)
{
	im->tasks[0].flags = CKPT_PIDS_SHARE_VM | CKPT_PIDS_VFORK;
	build(im);
	return TREE_E(im, 0, flags);
}

CASE(pids_flags_no_parent)	/* sudo's parent is not saved */
{
	im->tasks[2].ppid = 0;
	im->tasks[2].flags = CKPT_PIDS_VFORK;
	build(im);
	return TREE_E(im, 2, flags);
}

CASE(pids_sighand_without_vm)
{
	im->tasks[3].flags = CKPT_PIDS_SHARE_SIGHAND;
	build(im);
	return TREE_E(im, 3, flags);
}

CASE(pids_vfork_twice)	/* sudo and cat, both children of the shell */
{
	im->tasks[3].ppid = 100;
	im->tasks[4].ppid = 100;
	im->tasks[2].flags = CKPT_PIDS_SHARE_VM | CKPT_PIDS_VFORK;
	im->tasks[3].flags = CKPT_PIDS_VFORK;
	build(im);
	return TREE_E(im, 3, flags);
}

CASE(root_is_thread)
{
	im->tasks[0].tgid = 99;
	build(im);
	return TREE_E(im, 0, tgid);
}

CASE(thread_of_thread)
{
	im->tasks[4].tgid = 101;
	build(im);
	return TREE_E(im, 4, tgid);
}

CASE(thread_before_leader)
{
	struct mtask t = im->tasks[4];

	im->tasks[4] = im->tasks[3];
	im->tasks[3] = t;
	build(im);
	return TREE_E(im, 3, tgid);
}

CASE(thread_ppid)
{
	im->tasks[4].ppid = 100;
	build(im);
	return TREE_E(im, 4, ppid);
}

CASE(root_ppid)
{
	im->tasks[0].ppid = 1;
	im->tasks[1].ppid = 1;
	build(im);
	return TREE_E(im, 0, ppid);
}

CASE(child_before_parent)
{
	im->tasks[2].ppid = 103;
	build(im);
	return TREE_E(im, 2, ppid);
}

CASE(parent_is_thread)
{
	im->tasks[3].ppid = 101;
	im->tasks[4].ppid = 101;
	build(im);
	return TREE_E(im, 3, ppid);
}

/* A process whose parent was not saved: restart makes it the caller's. */
CASE(no_parent)
{
	im->tasks[2].ppid = 0;
	build(im);
	return 0;
}

CASE(pid_twice)
{
	im->tasks[3].pid = 102;
	im->tasks[3].tgid = 102;
	build(im);
	return TREE_E(im, 3, pid);
}

CASE(no_tasks)
{
	build(im);
	im->len = im->cred_off[0];
	return im->cred_off[0];
}

CASE(task_missing)
{
	build(im);
	im->len = im->task_off[4];
	return im->task_off[4];
}

CASE(task_header_cut)
{
	build(im);
	im->len = im->task_off[4] + 5;
	return im->len;
}

CASE(not_an_object)
{
	build(im);
	put32(im, AT(im->cred_off[1], ckpt_hdr, type), CKPT_HDR_VMA);
	return im->cred_off[1];
}

CASE(tail_too_early)
{
	build(im);
	put32(im, AT(im->cred_off[2], ckpt_hdr, type), CKPT_HDR_TAIL);
	return im->cred_off[2];
}

CASE(header_again)
{
	build(im);
	put32(im, AT(im->cred_off[0], ckpt_hdr, type), CKPT_HDR_HEADER);
	return im->cred_off[0];
}

CASE(task_len_below_8)
{
	build(im);
	put32(im, AT(im->task_off[1], ckpt_hdr, len), 7);
	return AT(im->task_off[1], ckpt_hdr, len);
}

CASE(object_len_below_8)
{
	build(im);
	put32(im, AT(im->cred_off[1], ckpt_hdr, len), 0);
	return AT(im->cred_off[1], ckpt_hdr, len);
}

CASE(objref_sequence)
{
	build(im);
	put32(im, CRED(im, 1, h.objref), 3);
	return CRED(im, 1, h.objref);
}

CASE(objref_pad)
{
	build(im);
	im->buf[CRED(im, 0, h._pad)] = 1;
	return CRED(im, 0, h._pad);
}

CASE(cred_len_below_min)
{
	build(im);
	put32(im, AT(im->cred_off[1], ckpt_hdr, len), sizeof(struct ckpt_hdr_cred) - 8);
	return AT(im->cred_off[1], ckpt_hdr, len);
}

CASE(cred_len_above_max)
{
	build(im);
	put32(im, AT(im->cred_off[1], ckpt_hdr, len),
	      sizeof(struct ckpt_hdr_cred) + 4 * CKPT_CRED_MAX_GROUPS + 8);
	return AT(im->cred_off[1], ckpt_hdr, len);
}

CASE(cred_padding)
{
	build(im);
	im->buf[im->cred_off[0] + sizeof(struct ckpt_hdr_cred) + 12 + 2] = 1;
	return im->cred_off[0] + sizeof(struct ckpt_hdr_cred) + 12 + 2;
}

CASE(cred_truncated)
{
	build(im);
	im->len = im->cred_off[2] + 50;
	return im->len;
}

CASE(ngroups_above_max)
{
	build(im);
	put32(im, CRED(im, 0, ngroups), CKPT_CRED_MAX_GROUPS + 1);
	return CRED(im, 0, ngroups);
}

CASE(ngroups_len)
{
	build(im);
	put32(im, CRED(im, 0, ngroups), 2);
	return AT(im->cred_off[0], ckpt_hdr, len);
}

CASE(securebits)
{
	im->creds[2].securebits = 0x100;
	build(im);
	return CRED(im, 2, securebits);
}

CASE(uid_invalid)
{
	im->creds[1].suid = -1;
	build(im);
	return CRED(im, 1, suid);
}

CASE(fsgid_invalid)
{
	im->creds[0].fsgid = -1;
	build(im);
	return CRED(im, 0, fsgid);
}

CASE(group_invalid)
{
	im->creds[0].groups[2] = -1;
	build(im);
	return im->cred_off[0] + sizeof(struct ckpt_hdr_cred) + 8;
}

CASE(cap_effective)
{
	im->creds[1].cap_effective = 1ULL << 41;
	build(im);
	return CRED(im, 1, cap_effective);
}

CASE(cap_ambient)
{
	im->creds[2].cap_ambient = 1ULL << 63;
	build(im);
	return CRED(im, 2, cap_ambient);
}

CASE(task_len_below_min)
{
	build(im);
	put32(im, AT(im->task_off[2], ckpt_hdr, len), sizeof(struct ckpt_hdr_task) - 8);
	return AT(im->task_off[2], ckpt_hdr, len);
}

CASE(task_len_above_max)
{
	build(im);
	put32(im, AT(im->task_off[2], ckpt_hdr, len), sizeof(struct ckpt_hdr_task) + 8);
	return AT(im->task_off[2], ckpt_hdr, len);
}

CASE(task_pid)
{
	build(im);
	put32(im, TASK(im, 3, pid), 104);
	return TASK(im, 3, pid);
}

CASE(task_flags)
{
	build(im);
	put32(im, TASK(im, 0, flags), 0x11);
	return TASK(im, 0, flags);
}

CASE(leader_flag_missing)
{
	build(im);
	put32(im, TASK(im, 2, flags), 0);
	return TASK(im, 2, flags);
}

CASE(leader_flag_on_thread)
{
	build(im);
	put32(im, TASK(im, 1, flags), CKPT_TASK_THREAD_LEADER);
	return TASK(im, 1, flags);
}

CASE(exit_signal_root_sigkill)	/* it would kill the caller of restart(2) */
{
	im->tasks[0].exit_signal = 9;
	build(im);
	return TASK(im, 0, exit_signal);
}

CASE(exit_signal_root_sigstop)
{
	im->tasks[0].exit_signal = 19;
	build(im);
	return TASK(im, 0, exit_signal);
}

CASE(exit_signal_child_sigkill)	/* its parent is in the image */
{
	im->tasks[2].exit_signal = 9;
	build(im);
	return 0;
}

CASE(exit_signal_65)
{
	im->tasks[3].exit_signal = 65;
	build(im);
	return TASK(im, 3, exit_signal);
}

CASE(exit_signal_leader_negative)
{
	im->tasks[0].exit_signal = -1;
	build(im);
	return TASK(im, 0, exit_signal);
}

CASE(exit_signal_thread)
{
	im->tasks[4].exit_signal = 17;
	build(im);
	return TASK(im, 4, exit_signal);
}

CASE(cred_ref_0)
{
	build(im);
	put32(im, TASK(im, 0, cred_ref), 0);
	return TASK(im, 0, cred_ref);
}

CASE(cred_ref_later)
{
	build(im);
	put32(im, TASK(im, 1, cred_ref), im->cred_ref[1]);
	return TASK(im, 1, cred_ref);
}

CASE(real_cred_ref_unknown)
{
	build(im);
	put32(im, TASK(im, 4, real_cred_ref), 0xffffffff);
	return TASK(im, 4, real_cred_ref);
}

CASE(comm)
{
	build(im);
	memset(im->buf + TASK(im, 2, comm), 'a', CKPT_COMM_LEN);
	return TASK(im, 2, comm);
}

CASE(task_error)
{
	im->fail_task = 2;
	build(im);
	return im->error_off;
}

CASE(task_error_bad_len)
{
	im->fail_task = 2;
	build(im);
	put32(im, AT(im->error_off, ckpt_hdr, len), CKPT_RECORD_MAX + 8);
	return AT(im->error_off, ckpt_hdr, len);
}

CASE(task_error_pad)
{
	im->fail_task = 3;
	build(im);
	im->buf[AT(im->error_off, ckpt_hdr_error, _pad) + 1] = 1;
	return AT(im->error_off, ckpt_hdr_error, _pad) + 1;
}

CASE(task_error_pad_cut)	/* the fixed part is checked before the message is read */
{
	im->fail_task = 3;
	build(im);
	im->buf[AT(im->error_off, ckpt_hdr_error, _pad)] = 1;
	im->len = im->error_off + sizeof(struct ckpt_hdr_error) + 2;
	return AT(im->error_off, ckpt_hdr_error, _pad);
}

CASE(task_error_fixed_cut)
{
	im->fail_task = 3;
	build(im);
	im->len = im->error_off + sizeof(struct ckpt_hdr_error) - 2;
	return im->len;
}

CASE(task_error_truncated)
{
	im->fail_task = 2;
	build(im);
	im->len -= 8;
	return im->len;
}

CASE(object_before_tail)
{
	im->extra_cred_tail = true;
	build(im);
	return im->extra_off;
}

CASE(no_tail)
{
	build(im);
	im->len = im->tail_off;
	return im->len;
}

CASE(tail_len)
{
	build(im);
	put32(im, AT(im->tail_off, ckpt_hdr, len), sizeof(struct ckpt_hdr_tail) + 8);
	new_record(im, 0, 8);
	return AT(im->tail_off, ckpt_hdr, len);
}

CASE(tail_magic)
{
	build(im);
	im->buf[TAIL(im, magic) + 7] = 0;
	return TAIL(im, magic) + 7;
}

CASE(tail_records)
{
	build(im);
	put64(im, TAIL(im, records), 11);
	return TAIL(im, records);
}

CASE(tail_bytes)
{
	build(im);
	put64(im, TAIL(im, bytes), im->tail_off + 32);
	return TAIL(im, bytes);
}

CASE(tail_error)
{
	build(im);
	im->len = im->tail_off;
	im->error_off = emit_error(im, EIO, "write error\n\x01");
	return im->error_off;
}

/* ---- address spaces ---- */

CASE(task_self)
{
	im->tasks[2].self = true;
	build(im);
	return 0;
}

CASE(pages_max)
{
	struct mvma *v = &im->mms[2].vmas[0];

	v->end = v->start + CKPT_PAGES_MAX * PAGE + PAGE;
	v->nr_runs = 2;
	v->runs[0].addr = v->start;
	v->runs[0].nr = CKPT_PAGES_MAX;
	v->runs[1].addr = v->start + CKPT_PAGES_MAX * PAGE;
	v->runs[1].nr = 1;
	build(im);
	return 0;
}

CASE(pages_adjacent)	/* runs may touch; the kernel cuts them at 256 pages */
{
	im->mms[0].vmas[2].runs[1].addr = 0x406000;
	build(im);
	return 0;
}

CASE(mm_no_exe_no_auxv)
{
	im->mms[0].exe = NULL;
	im->mms[0].nr_auxv = 0;
	build(im);
	return 0;
}

CASE(mm_len_below_min)
{
	build(im);
	put32(im, LEN(im->mm_off[1]), sizeof(struct ckpt_hdr_mm) - 8);
	return LEN(im->mm_off[1]);
}

CASE(mm_len_above_max)
{
	build(im);
	put32(im, LEN(im->mm_off[1]), sizeof(struct ckpt_hdr_mm) +
	      CKPT_MM_MAX_AUXV * 8 + CKPT_PATH_MAX + 1);
	return LEN(im->mm_off[1]);
}

CASE(mm_objref)
{
	build(im);
	put32(im, MM(im, 1, h.objref), 1);
	return MM(im, 1, h.objref);
}

CASE(mm_nr_vmas)
{
	build(im);
	put32(im, MM(im, 0, nr_vmas), CKPT_MM_MAX_VMAS + 1);
	return MM(im, 0, nr_vmas);
}

CASE(mm_nr_auxv_odd)
{
	build(im);
	put32(im, MM(im, 0, nr_auxv), 5);
	return MM(im, 0, nr_auxv);
}

CASE(mm_nr_auxv_above_max)
{
	build(im);
	put32(im, MM(im, 0, nr_auxv), CKPT_MM_MAX_AUXV + 2);
	return MM(im, 0, nr_auxv);
}

CASE(mm_exe_len_above_max)
{
	build(im);
	put32(im, MM(im, 1, exe_len), CKPT_PATH_MAX + 1);
	return MM(im, 1, exe_len);
}

CASE(mm_len)
{
	build(im);
	put32(im, MM(im, 0, nr_auxv), 4);
	return LEN(im->mm_off[0]);
}

CASE(mm_exe_relative)
{
	im->mms[1].exe = "usr/bin/sudo";
	build(im);
	return im->mm_off[1] + sizeof(struct ckpt_hdr_mm) + 16;
}

CASE(mm_exe_nul)
{
	build(im);
	im->buf[im->mm_off[1] + sizeof(struct ckpt_hdr_mm) + 16 + 4] = 0;
	return im->mm_off[1] + sizeof(struct ckpt_hdr_mm) + 16 + 4;
}

CASE(mm_exe_no_nul)
{
	build(im);
	im->buf[im->mm_off[1] + sizeof(struct ckpt_hdr_mm) + 16 + 13] = 'x';
	return im->mm_off[1] + sizeof(struct ckpt_hdr_mm) + 16 + 13;
}

CASE(mm_code_order)
{
	im->mms[0].layout[L_END_CODE] = 0x3ff000;
	build(im);
	return MM(im, 0, start_code);
}

CASE(mm_env_order)
{
	im->mms[0].layout[L_ENV_START] = 0x7ffc12346000ULL;
	build(im);
	return MM(im, 0, env_start);
}

CASE(mm_brk_above_task_size)
{
	im->mms[1].layout[L_BRK] = 0x7ffffffff001ULL;
	build(im);
	return MM(im, 1, brk);
}

CASE(mm_stack_task_size)	/* the layout may reach TASK_SIZE_MAX itself */
{
	im->mms[1].layout[L_START_STACK] = 0x7ffffffff000ULL;
	build(im);
	return 0;
}

CASE(mm_exe_ref_undefined)	/* no object 4096 */
{
	build(im);
	put32(im, MM(im, 0, exe_ref), 4096);
	return MM(im, 0, exe_ref);
}

CASE(mm_exe_ref_not_memfd)	/* object 1 is not a memfd */
{
	build(im);
	put32(im, MM(im, 0, exe_ref), 1);
	return MM(im, 0, exe_ref);
}

CASE(mm_exe_ref_without_exe)	/* the third mm has no executable */
{
	build(im);
	put32(im, MM(im, 2, exe_ref), 1);
	return MM(im, 2, exe_ref);
}

CASE(vma_missing)
{
	build(im);
	put32(im, MM(im, 2, nr_vmas), 2);
	return AT(im->cred_off[2], ckpt_hdr, type);
}

CASE(vma_type)
{
	build(im);
	put32(im, AT(im->vma_off[0][0], ckpt_hdr, type), CKPT_HDR_PAGES);
	return AT(im->vma_off[0][0], ckpt_hdr, type);
}

CASE(vma_len_above_max)
{
	build(im);
	put32(im, LEN(im->vma_off[0][0]), sizeof(struct ckpt_hdr_vma) + CKPT_PATH_MAX + 1);
	return LEN(im->vma_off[0][0]);
}

CASE(vma_truncated)
{
	build(im);
	im->len = im->vma_off[1][1] + 60;
	return im->len;
}

CASE(vma_empty)
{
	im->mms[2].vmas[0].end = 0x10000;
	build(im);
	return VMA(im, 2, 0, start);
}

CASE(vma_pgoff_last)	/* the mapping ends where the largest file can */
{
	im->mms[0].vmas[0].pgoff = CKPT_VMA_PGOFF_MAX - 2;
	build(im);
	return 0;
}

CASE(vma_pgoff_beyond_files)
{
	im->mms[0].vmas[0].pgoff = CKPT_VMA_PGOFF_MAX - 1;
	build(im);
	return VMA(im, 0, 0, pgoff);
}

CASE(vma_start_unaligned)
{
	im->mms[2].vmas[0].start = 0x10008;
	build(im);
	return VMA(im, 2, 0, start);
}

CASE(vma_end_unaligned)
{
	im->mms[2].vmas[0].end = 0x20800;
	build(im);
	return VMA(im, 2, 0, end);
}

CASE(vma_end_above_task_size)
{
	im->mms[2].vmas[0].end = 0x800000000000ULL;
	build(im);
	return VMA(im, 2, 0, end);
}

CASE(vma_overlap)
{
	im->mms[0].vmas[1].start = 0x401000;
	build(im);
	return VMA(im, 0, 1, start);
}

CASE(vma_kind_0)
{
	im->mms[2].vmas[0].kind = 0;
	build(im);
	return VMA(im, 2, 0, kind);
}

CASE(vma_kind_9)
{
	im->mms[2].vmas[0].kind = CKPT_VMA_HUGETLB + 1;
	build(im);
	return VMA(im, 2, 0, kind);
}

CASE(vma_vdso_twice)
{
	build(im);
	put32(im, VMA(im, 0, 5, kind), CKPT_VMA_VVAR);
	return VMA(im, 0, 5, kind);
}

CASE(vma_flags)
{
	im->mms[2].vmas[0].flags |= 0x80;
	build(im);
	return VMA(im, 2, 0, flags);
}

CASE(vma_hugepage_and_not)	/* MADV_HUGEPAGE and MADV_NOHUGEPAGE at once */
{
	im->mms[2].vmas[0].flags |= CKPT_VMA_HUGEPAGE | CKPT_VMA_NOHUGEPAGE;
	build(im);
	return VMA(im, 2, 0, flags);
}

CASE(vma_hugepage_advice)	/* either, alone, is taken as advice */
{
	im->mms[2].vmas[0].flags |= CKPT_VMA_HUGEPAGE;
	im->mms[0].vmas[0].flags |= CKPT_VMA_NOHUGEPAGE;
	build(im);
	return 0;
}

CASE(vma_path_len)
{
	build(im);
	put32(im, VMA(im, 0, 0, path_len), 13);
	return LEN(im->vma_off[0][0]);
}

CASE(vma_anon_path)	/* an anonymous mapping names no file */
{
	build(im);
	put32(im, VMA(im, 1, 1, kind), CKPT_VMA_ANON);
	return VMA(im, 1, 1, path_len);
}

CASE(vma_file_no_path)
{
	im->mms[1].vmas[1].path = "";
	build(im);
	return VMA(im, 1, 1, path_len);
}

CASE(vma_path_relative)
{
	im->mms[0].vmas[1].path = "dash";
	build(im);
	return im->vma_off[0][1] + sizeof(struct ckpt_hdr_vma);
}

CASE(vma_path_no_nul)
{
	build(im);
	im->buf[im->vma_off[0][0] + sizeof(struct ckpt_hdr_vma) + 13] = '/';
	return im->vma_off[0][0] + sizeof(struct ckpt_hdr_vma) + 13;
}

CASE(pages_len_below_min)	/* the minimum is the fixed part */
{
	build(im);
	put32(im, LEN(im->pages_off[0][1][0]), sizeof(struct ckpt_hdr_pages) - 8);
	return LEN(im->pages_off[0][1][0]);
}

CASE(pages_len_no_page)
{
	build(im);
	put32(im, LEN(im->pages_off[0][1][0]), sizeof(struct ckpt_hdr_pages) + 8);
	return LEN(im->pages_off[0][1][0]);
}

CASE(pages_len_above_max)
{
	build(im);
	put32(im, LEN(im->pages_off[0][2][0]),
	      sizeof(struct ckpt_hdr_pages) + (CKPT_PAGES_MAX + 1) * PAGE);
	return LEN(im->pages_off[0][2][0]);
}

CASE(pages_nr_0)
{
	build(im);
	put32(im, PG(im, 0, 2, 0, nr_pages), 0);
	return PG(im, 0, 2, 0, nr_pages);
}

CASE(pages_nr_len)
{
	build(im);
	put32(im, PG(im, 0, 2, 0, nr_pages), 1);
	return LEN(im->pages_off[0][2][0]);
}

CASE(pages_unaligned)
{
	build(im);
	put64(im, PG(im, 0, 2, 1, addr), 0x407010);
	return PG(im, 0, 2, 1, addr);
}

CASE(pages_before_vma)
{
	build(im);
	put64(im, PG(im, 0, 2, 0, addr), 0x403000);
	return PG(im, 0, 2, 0, addr);
}

CASE(pages_after_vma)
{
	build(im);
	put64(im, PG(im, 0, 2, 1, addr), 0x408000);
	return PG(im, 0, 2, 1, addr);
}

CASE(pages_overlap)
{
	build(im);
	put64(im, PG(im, 0, 2, 1, addr), 0x405000);
	return PG(im, 0, 2, 1, addr);
}

CASE(pages_vdso)
{
	build(im);
	put32(im, VMA(im, 0, 3, kind), CKPT_VMA_VDSO);
	put32(im, VMA(im, 0, 5, kind), CKPT_VMA_ANON);
	return im->pages_off[0][3][0];
}

CASE(pages_shared_file)
{
	build(im);
	put32(im, VMA(im, 0, 1, flags), 0x3b);
	return im->pages_off[0][1][0];
}

CASE(pages_shared_anon)	/* as images before minor 9 saved shared memory */
{
	build(im);
	put32(im, VMA(im, 0, 2, flags), 0x3b);
	return 0;
}

CASE(pages_pad)
{
	build(im);
	im->buf[PG(im, 1, 0, 0, _pad) + 3] = 1;
	return PG(im, 1, 0, 0, _pad) + 3;
}

CASE(pages_cut)
{
	build(im);
	im->len = im->pages_off[0][2][0] + 5000;
	return im->len;
}

CASE(pages_cut_fixed)
{
	build(im);
	im->len = PG(im, 0, 2, 0, nr_pages) + 2;
	return im->len;
}

CASE(pages_cut_bad_addr)	/* the fixed part is checked before the pages are read */
{
	build(im);
	put64(im, PG(im, 0, 2, 0, addr), 0x408000);
	im->len = im->pages_off[0][2][0] + 5000;
	return PG(im, 0, 2, 0, addr);
}

CASE(pages_addr_wrap)	/* the run would end at 0, modulo 2^64 */
{
	build(im);
	put64(im, PG(im, 1, 0, 0, addr), 0xfffffffffffff000ULL);
	return PG(im, 1, 0, 0, addr);
}

/*
 * Shared anonymous memory: each a shmem object, written with its pages
 * before the first mm that maps it, and the CKPT_VMA_SHMEM mappings that
 * name it.
 */
#define SHM(im, k, fld)	AT((im)->shm_off[k], ckpt_hdr_shmem, fld)
#define SPG(im, k, n, fld) AT((im)->shm_pages_off[k][n], ckpt_hdr_pages, fld)
#define VSHM(im, m, v, fld) \
	AT((im)->vma_off[m][v] + sizeof(struct ckpt_hdr_vma), ckpt_vma_shmem, fld)

/* Map shared memory @shm (1 + index in img.shms) in mm @m, in address order */
static void add_vma(struct img *im, int m, const struct mvma *v, int shm)
{
	struct mmm *mm = &im->mms[m];
	int i;

	if (mm->nr_vmas >= MAX_VMAS) {
		fprintf(stderr, "mkimage: too many mappings\n");
		exit(1);
	}
	for (i = mm->nr_vmas; i > 0 && mm->vmas[i - 1].start > v->start; i--) {
		mm->vmas[i] = mm->vmas[i - 1];
		im->vma_shm[m][i] = im->vma_shm[m][i - 1];
		im->vma_cow[m][i] = im->vma_cow[m][i - 1];
	}
	mm->vmas[i] = *v;
	im->vma_shm[m][i] = shm;
	im->vma_cow[m][i] = 0;
	mm->nr_vmas++;
}

/*
 * What sh mapped with MAP_SHARED | MAP_ANONYMOUS before forking sudo:
 * 4 pages and 100 bytes, pages 0, 2, 3 and 4 saved (1 a hole).  sh
 * maps pages 0 and 1; sudo pages 2 to 4, in two mappings, as mprotect(2)
 * split them: the first read-only.  cat maps a page of memory of its
 * own, never touched.
 *
 *   objects: shmem 1 (its pages), mm 2 (sh's), ..., mm 12 (sudo's), ...,
 *	      shmem 21, mm 22 (cat's), ...
 *   mappings: vmas[3] of mm 0, vmas[2] and vmas[3] of mm 1, vmas[1] of mm 2
 */
static void shared_memory(struct img *im)
{
	static const struct mvma sh = {
		0x7f0012400000ULL, 0x7f0012402000ULL, 0, CKPT_VMA_SHMEM, 0x3b, NULL, 0,
		{ { 0 } } };
	static const struct mvma sudo[] = {
		{ 0x7f0000010000ULL, 0x7f0000011000ULL, 2, CKPT_VMA_SHMEM, 0x39, NULL, 0,
		  { { 0 } } },
		{ 0x7f0000011000ULL, 0x7f0000013000ULL, 3, CKPT_VMA_SHMEM, 0x3b, NULL, 0,
		  { { 0 } } },
	};
	static const struct mvma cat = {
		0x30000, 0x31000, 0, CKPT_VMA_SHMEM, 0x3b, NULL, 0, { { 0 } } };

	im->nr_shms = 2;
	im->shms[0] = (struct mshm){ 4 * PAGE + 100, 2, { { 0, 1 }, { 2 * PAGE, 3 } }, 0 };
	im->shms[1] = (struct mshm){ PAGE, 0, { { 0 } }, 0 };
	add_vma(im, 0, &sh, 1);
	add_vma(im, 1, &sudo[0], 1);
	add_vma(im, 1, &sudo[1], 1);
	add_vma(im, 2, &cat, 2);
}

CASE(shmem_shared)
{
	shared_memory(im);
	build(im);
	return 0;
}

CASE(shmem_size_max)	/* as large as a file may be */
{
	shared_memory(im);
	im->shms[1].size = MAX_LFS_FILESIZE;
	im->shms[1].nr_runs = 1;
	im->shms[1].runs[0] = (struct mrun){ MAX_LFS_FILESIZE & ~(PAGE - 1), 1 };
	build(im);
	return 0;
}

CASE(shmem_unused)	/* an object no mapping names */
{
	shared_memory(im);
	im->mms[2].nr_vmas = 1;
	build(im);
	return 0;
}

CASE(shmem_anon_old_minor)	/* what an image of minor 8 holds of it */
{
	im->minor = 8;
	im->mms[0].vmas[2].flags = 0x3b;
	build(im);
	return 0;
}

CASE(vma_shmem_pgoff_last)	/* the mapping ends where the largest file can */
{
	shared_memory(im);
	im->mms[0].vmas[3].pgoff = CKPT_VMA_PGOFF_MAX - 2;
	build(im);
	return 0;
}

CASE(shmem_len_below_min)
{
	shared_memory(im);
	build(im);
	put32(im, LEN(im->shm_off[0]), sizeof(struct ckpt_hdr_shmem) - 8);
	return LEN(im->shm_off[0]);
}

CASE(shmem_len_above_max)
{
	shared_memory(im);
	build(im);
	put32(im, LEN(im->shm_off[1]), sizeof(struct ckpt_hdr_shmem) + 8);
	return LEN(im->shm_off[1]);
}

CASE(shmem_objref)
{
	shared_memory(im);
	build(im);
	put32(im, SHM(im, 1, h.objref), im->shm_ref[1] - 1);
	return SHM(im, 1, h.objref);
}

CASE(shmem_size_0)
{
	shared_memory(im);
	im->shms[1].size = 0;
	build(im);
	return SHM(im, 1, size);
}

CASE(shmem_size_above_max)
{
	shared_memory(im);
	im->shms[1].size = MAX_LFS_FILESIZE + 1;
	build(im);
	return SHM(im, 1, size);
}

CASE(shmem_size_before_pages)	/* the pages are read after the size is checked */
{
	shared_memory(im);
	im->shms[0].size = 0;
	build(im);
	put32(im, SPG(im, 0, 0, nr_pages), 0);
	return SHM(im, 0, size);
}

CASE(shmem_truncated)	/* the image ends where its pages would start */
{
	shared_memory(im);
	build(im);
	im->len = im->shm_pages_off[0][0];
	return im->len;
}

CASE(shmem_pages_nr_0)
{
	shared_memory(im);
	build(im);
	put32(im, SPG(im, 0, 0, nr_pages), 0);
	return SPG(im, 0, 0, nr_pages);
}

CASE(shmem_pages_nr_above_max)
{
	shared_memory(im);
	build(im);
	put32(im, SPG(im, 0, 1, nr_pages), CKPT_PAGES_MAX + 1);
	return SPG(im, 0, 1, nr_pages);
}

CASE(shmem_pages_nr_len)
{
	shared_memory(im);
	build(im);
	put32(im, SPG(im, 0, 1, nr_pages), 2);
	return LEN(im->shm_pages_off[0][1]);
}

CASE(shmem_pages_len_above_max)
{
	shared_memory(im);
	build(im);
	put32(im, LEN(im->shm_pages_off[0][0]),
	      sizeof(struct ckpt_hdr_pages) + (CKPT_PAGES_MAX + 1) * PAGE);
	return LEN(im->shm_pages_off[0][0]);
}

CASE(shmem_pages_unaligned)
{
	shared_memory(im);
	im->shms[0].runs[1].addr += 16;
	build(im);
	return SPG(im, 0, 1, addr);
}

CASE(shmem_pages_order)
{
	shared_memory(im);
	im->shms[0].runs[1].addr = 0;
	build(im);
	return SPG(im, 0, 1, addr);
}

CASE(shmem_pages_overlap)
{
	shared_memory(im);
	im->shms[0].runs[0].nr = 3;
	build(im);
	return SPG(im, 0, 1, addr);
}

CASE(shmem_pages_beyond_size)	/* page 5 of 4 pages and 100 bytes */
{
	shared_memory(im);
	im->shms[0].runs[1] = (struct mrun){ 5 * PAGE, 1 };
	build(im);
	return SPG(im, 0, 1, addr);
}

CASE(shmem_pages_overrun)	/* pages 3 to 5 */
{
	shared_memory(im);
	im->shms[0].runs[1].addr = 3 * PAGE;
	build(im);
	return SPG(im, 0, 1, addr);
}

CASE(shmem_pages_size_aligned)	/* 4 pages: page 4 is beyond them */
{
	shared_memory(im);
	im->shms[0].size = 4 * PAGE;
	build(im);
	return SPG(im, 0, 1, addr);
}

CASE(shmem_pages_beyond_files)	/* an offset no file reaches */
{
	shared_memory(im);
	im->shms[1].size = MAX_LFS_FILESIZE;
	im->shms[1].nr_runs = 1;
	im->shms[1].runs[0] = (struct mrun){ 0xfffffffffffff000ULL, 1 };
	build(im);
	return SPG(im, 1, 0, addr);
}

CASE(shmem_pages_pad)
{
	shared_memory(im);
	build(im);
	im->buf[SPG(im, 0, 1, _pad) + 1] = 1;
	return SPG(im, 0, 1, _pad) + 1;
}

CASE(shmem_pages_cut)
{
	shared_memory(im);
	build(im);
	im->len = im->shm_pages_off[0][1] + 5000;
	return im->len;
}

CASE(shmem_pages_error)	/* the checkpoint failed while it wrote the pages */
{
	shared_memory(im);
	build(im);
	im->len = im->shm_pages_off[0][1];
	im->error_off = emit_error(im, EINTR, "interrupted");
	return im->error_off;
}

/* restore_check_vma() of a CKPT_VMA_SHMEM mapping */
CASE(vma_shmem_no_payload)	/* shared memory names its object */
{
	build(im);
	put32(im, VMA(im, 2, 0, kind), CKPT_VMA_SHMEM);
	return VMA(im, 2, 0, path_len);
}

CASE(vma_shmem_path_len)
{
	shared_memory(im);
	build(im);
	put32(im, VMA(im, 1, 2, path_len), 4);
	return LEN(im->vma_off[1][2]);
}

CASE(vma_shmem_path_len_16)
{
	shared_memory(im);
	build(im);
	put32(im, VMA(im, 1, 3, path_len), 16);
	put32(im, LEN(im->vma_off[1][3]), sizeof(struct ckpt_hdr_vma) + 16);
	return VMA(im, 1, 3, path_len);
}

CASE(vma_anon_shmem_ref)	/* an anonymous mapping names nothing */
{
	shared_memory(im);
	build(im);
	put32(im, VMA(im, 0, 3, kind), CKPT_VMA_ANON);
	return VMA(im, 0, 3, path_len);
}

CASE(vma_shmem_vdso)	/* a vDSO mapping names no shared memory */
{
	shared_memory(im);
	build(im);
	put32(im, VMA(im, 1, 4, kind), CKPT_VMA_VVAR);
	put32(im, VMA(im, 1, 3, kind), CKPT_VMA_VDSO);
	return VMA(im, 1, 3, path_len);
}

CASE(vma_shmem_pgoff_beyond_files)
{
	shared_memory(im);
	im->mms[0].vmas[3].pgoff = CKPT_VMA_PGOFF_MAX - 1;
	build(im);
	return VMA(im, 0, 3, pgoff);
}

CASE(vma_shmem_private)	/* MAP_PRIVATE of /dev/zero is anonymous memory */
{
	shared_memory(im);
	im->mms[1].vmas[3].flags = 0x33;
	build(im);
	return VMA(im, 1, 3, flags);
}

CASE(vma_shmem_ino)
{
	shared_memory(im);
	build(im);
	put64(im, VMA(im, 1, 2, ino), 131075);
	return VMA(im, 1, 2, ino);
}

CASE(vma_shmem_dev)
{
	shared_memory(im);
	build(im);
	put64(im, VMA(im, 0, 3, dev), 1);
	return VMA(im, 0, 3, dev);
}

CASE(vma_shmem_size)
{
	shared_memory(im);
	build(im);
	put64(im, VMA(im, 0, 3, size), 4 * PAGE + 100);
	return VMA(im, 0, 3, size);
}

CASE(vma_shmem_mtime)
{
	shared_memory(im);
	build(im);
	put64(im, VMA(im, 2, 1, mtime_sec), -1);
	return VMA(im, 2, 1, mtime_sec);
}

CASE(vma_shmem_mtime_nsec)
{
	shared_memory(im);
	build(im);
	put32(im, VMA(im, 2, 1, mtime_nsec), 1);
	return VMA(im, 2, 1, mtime_nsec);
}

CASE(vma_shmem_ref_0)
{
	shared_memory(im);
	build(im);
	put32(im, VSHM(im, 1, 3, shmem_ref), 0);
	return VSHM(im, 1, 3, shmem_ref);
}

CASE(vma_shmem_ref_later)	/* cat's, written after sh's mm */
{
	shared_memory(im);
	build(im);
	put32(im, VSHM(im, 0, 3, shmem_ref), im->shm_ref[1]);
	return VSHM(im, 0, 3, shmem_ref);
}

CASE(vma_shmem_ref_self)	/* the mm is not defined until it is read */
{
	shared_memory(im);
	build(im);
	put32(im, VSHM(im, 2, 1, shmem_ref), im->mm_ref[2]);
	return VSHM(im, 2, 1, shmem_ref);
}

CASE(vma_shmem_ref_mm)
{
	shared_memory(im);
	build(im);
	put32(im, VSHM(im, 1, 2, shmem_ref), im->mm_ref[0]);
	return VSHM(im, 1, 2, shmem_ref);
}

CASE(vma_shmem_ref_file)	/* the shmem file is no open file */
{
	shared_memory(im);
	build(im);
	put32(im, VSHM(im, 2, 1, shmem_ref), im->file_ref[3]);
	return VSHM(im, 2, 1, shmem_ref);
}

CASE(vma_shmem_pad)
{
	shared_memory(im);
	build(im);
	im->buf[VSHM(im, 1, 2, _pad) + 3] = 1;
	return VSHM(im, 1, 2, _pad) + 3;
}

/*
 * sh mapped it with MAP_NORESERVE too, which fork(2) kept: kept by each
 * mapping, though the object is made accounted whole all the same
 */
CASE(vma_shmem_noreserve)
{
	shared_memory(im);
	im->mms[0].vmas[3].flags |= CKPT_VMA_NORESERVE;
	im->mms[1].vmas[2].flags |= CKPT_VMA_NORESERVE;
	im->mms[1].vmas[3].flags |= CKPT_VMA_NORESERVE;
	build(im);
	return 0;
}

CASE(vma_shmem_pages)	/* its pages follow its object, not the mapping */
{
	shared_memory(im);
	im->mms[1].vmas[2].nr_runs = 1;
	im->mms[1].vmas[2].runs[0] = (struct mrun){ 0x7f0000010000ULL, 1 };
	build(im);
	return im->pages_off[1][2][0];
}

CASE(vma_shmem_path_len_before_pgoff)
{
	shared_memory(im);
	im->mms[0].vmas[3].pgoff = CKPT_VMA_PGOFF_MAX;
	build(im);
	put32(im, VMA(im, 0, 3, path_len), 0);
	put32(im, LEN(im->vma_off[0][3]), sizeof(struct ckpt_hdr_vma));
	return VMA(im, 0, 3, path_len);
}

CASE(vma_shmem_pgoff_before_flags)
{
	shared_memory(im);
	im->mms[0].vmas[3].pgoff = CKPT_VMA_PGOFF_MAX;
	im->mms[0].vmas[3].flags = 0x33;
	build(im);
	return VMA(im, 0, 3, pgoff);
}

CASE(vma_shmem_flags_before_ref)
{
	shared_memory(im);
	im->mms[1].vmas[2].flags = 0x31;
	build(im);
	put32(im, VSHM(im, 1, 2, shmem_ref), 0);
	return VMA(im, 1, 2, flags);
}

CASE(vma_shmem_ref_before_pad)
{
	shared_memory(im);
	build(im);
	put32(im, VSHM(im, 1, 3, shmem_ref), im->cred_ref[0]);
	im->buf[VSHM(im, 1, 3, _pad)] = 1;
	return VSHM(im, 1, 3, shmem_ref);
}

/*
 * What sudo mapped with MAP_PRIVATE | MAP_ANONYMOUS before forking cat:
 * 4 pages, 0, 1 and 3 saved (2 a hole).  cat has it as fork(2) copied
 * it (CKPT_VMA_FORKED): pages 0 and 3 still sudo's, listed in
 * CKPT_HDR_PAGES_COW records and not saved again, page 1 its own since
 * it wrote it, page 2 a hole still.
 *
 *   mappings: vmas[2] of mm 1, vmas[1] of mm 2 (runs 0 and 2 sudo's)
 */
static void forked_mapping(struct img *im)
{
	static const struct mvma sudo = {
		0x7f0000050000ULL, 0x7f0000054000ULL, 0, CKPT_VMA_ANON, 0x33, NULL, 2,
		{ { 0x7f0000050000ULL, 2 }, { 0x7f0000053000ULL, 1 } } };
	static const struct mvma cat = {
		0x7f0000050000ULL, 0x7f0000054000ULL, 0, CKPT_VMA_ANON,
		CKPT_VMA_FORKED | 0x33, NULL, 3,
		{ { 0x7f0000050000ULL, 1 }, { 0x7f0000051000ULL, 1 },
		  { 0x7f0000053000ULL, 1 } } };

	add_vma(im, 1, &sudo, 0);
	add_vma(im, 2, &cat, 0);
	im->vma_cow[2][1] = 1U << 0 | 1U << 2;
}

/* Field @fld of run @n of cat's mapping from sudo: 0 and 2 are CKPT_HDR_PAGES_COW */
#define COW(im, n, fld)	PG(im, 2, 1, n, fld)

CASE(vma_forked)
{
	forked_mapping(im);
	build(im);
	return 0;
}

CASE(vma_forked_file)	/* libc's data, as sudo wrote it, in both */
{
	struct mvma *v[] = { &im->mms[1].vmas[2], &im->mms[2].vmas[1] };
	int i;

	forked_mapping(im);
	for (i = 0; i < 2; i++) {
		v[i]->kind = CKPT_VMA_FILE;
		v[i]->pgoff = 27;
		v[i]->path = "/usr/lib/x86_64-linux-gnu/libc.so.6";
	}
	build(im);
	return 0;
}

CASE(pages_cow_max)	/* as many pages of the parent as a record lists */
{
	struct mvma *v[] = { &im->mms[1].vmas[2], &im->mms[2].vmas[1] };
	int i;

	forked_mapping(im);
	for (i = 0; i < 2; i++) {
		v[i]->end = v[i]->start + (CKPT_PAGES_MAX + 1) * PAGE;
		v[i]->nr_runs = 2;
		v[i]->runs[0] = (struct mrun){ v[i]->start, CKPT_PAGES_MAX };
		v[i]->runs[1] = (struct mrun){ v[i]->start + CKPT_PAGES_MAX * PAGE, 1 };
	}
	im->vma_cow[2][1] = 1U << 0;
	build(im);
	return 0;
}

/* restore_check_vma(): a mapping kept from the parent */
CASE(vma_forked_root)	/* sh, the first task, has no parent in the image */
{
	im->mms[0].vmas[2].flags |= CKPT_VMA_FORKED;
	build(im);
	return VMA(im, 0, 2, flags);
}

CASE(vma_forked_no_parent)	/* cat's parent was not saved */
{
	forked_mapping(im);
	im->tasks[3].ppid = 0;
	im->tasks[4].ppid = 0;
	build(im);
	return VMA(im, 2, 1, flags);
}

CASE(vma_forked_vdso)	/* only anonymous memory and files are kept */
{
	forked_mapping(im);
	im->mms[2].vmas[1].kind = CKPT_VMA_VDSO;
	build(im);
	return VMA(im, 2, 1, flags);
}

CASE(vma_forked_shared)	/* fork(2) shares a shared mapping: nothing is copied */
{
	forked_mapping(im);
	im->mms[2].vmas[1].flags |= CKPT_VMA_SHARED;
	build(im);
	return VMA(im, 2, 1, flags);
}

CASE(vma_forked_locked)	/* fork(2) does not copy mlock(2) */
{
	forked_mapping(im);
	im->mms[2].vmas[1].flags |= CKPT_VMA_LOCKED;
	build(im);
	return VMA(im, 2, 1, flags);
}

CASE(vma_forked_dontfork)	/* fork(2) leaves out a MADV_DONTFORK mapping */
{
	forked_mapping(im);
	im->mms[2].vmas[1].flags |= CKPT_VMA_DONTFORK;
	build(im);
	return VMA(im, 2, 1, flags);
}

CASE(vma_forked_wipeonfork)	/* fork(2) gives a MADV_WIPEONFORK mapping zeroes */
{
	forked_mapping(im);
	im->mms[2].vmas[1].flags |= CKPT_VMA_WIPEONFORK;
	build(im);
	return VMA(im, 2, 1, flags);
}

CASE(vma_forked_noreserve)	/* mapped with MAP_NORESERVE, which fork(2) kept */
{
	forked_mapping(im);
	im->mms[1].vmas[2].flags |= CKPT_VMA_NORESERVE;
	im->mms[2].vmas[1].flags |= CKPT_VMA_NORESERVE;
	build(im);
	return 0;
}

CASE(vma_forked_before_path_len)
{
	forked_mapping(im);
	im->mms[2].vmas[1].flags |= CKPT_VMA_LOCKED;
	build(im);
	put32(im, VMA(im, 2, 1, path_len), 8);
	return VMA(im, 2, 1, flags);
}

/* restore_pages() of a CKPT_HDR_PAGES_COW record */
CASE(pages_cow_not_forked)	/* pages of the parent in a mapping of its own */
{
	forked_mapping(im);
	im->mms[2].vmas[1].flags &= ~CKPT_VMA_FORKED;
	build(im);
	return im->pages_off[2][1][0];
}

CASE(pages_cow_len_below_min)
{
	forked_mapping(im);
	build(im);
	put32(im, LEN(im->pages_off[2][1][0]), sizeof(struct ckpt_hdr_pages) - 8);
	return LEN(im->pages_off[2][1][0]);
}

CASE(pages_cow_payload)	/* the parent's page is not saved again */
{
	forked_mapping(im);
	build(im);
	put32(im, LEN(im->pages_off[2][1][0]), sizeof(struct ckpt_hdr_pages) + PAGE);
	return LEN(im->pages_off[2][1][0]);
}

CASE(pages_cow_nr_0)
{
	forked_mapping(im);
	build(im);
	put32(im, COW(im, 0, nr_pages), 0);
	return COW(im, 0, nr_pages);
}

CASE(pages_cow_nr_above_max)
{
	forked_mapping(im);
	build(im);
	put32(im, COW(im, 0, nr_pages), CKPT_PAGES_MAX + 1);
	return COW(im, 0, nr_pages);
}

CASE(pages_cow_unaligned)
{
	forked_mapping(im);
	build(im);
	put64(im, COW(im, 2, addr), 0x7f0000053010ULL);
	return COW(im, 2, addr);
}

CASE(pages_cow_before_vma)
{
	forked_mapping(im);
	build(im);
	put64(im, COW(im, 0, addr), 0x7f000004f000ULL);
	return COW(im, 0, addr);
}

CASE(pages_cow_after_vma)	/* the run goes on past the end of the mapping */
{
	forked_mapping(im);
	build(im);
	put32(im, COW(im, 2, nr_pages), 2);
	return COW(im, 2, addr);
}

CASE(pages_cow_overlap)	/* over the page saved before it */
{
	forked_mapping(im);
	build(im);
	put64(im, COW(im, 2, addr), 0x7f0000051000ULL);
	return COW(im, 2, addr);
}

CASE(pages_cow_pad)
{
	forked_mapping(im);
	build(im);
	im->buf[COW(im, 2, _pad) + 3] = 1;
	return COW(im, 2, _pad) + 3;
}

CASE(pages_cow_addr_before_forked)
{
	forked_mapping(im);
	im->mms[2].vmas[1].flags &= ~CKPT_VMA_FORKED;
	build(im);
	put64(im, COW(im, 0, addr), 0x7f0000054000ULL);
	return COW(im, 0, addr);
}

CASE(pages_cow_forked_before_pad)
{
	forked_mapping(im);
	im->mms[2].vmas[1].flags &= ~CKPT_VMA_FORKED;
	build(im);
	im->buf[COW(im, 0, _pad)] = 1;
	return im->pages_off[2][1][0];
}

CASE(pages_cow_cut)
{
	forked_mapping(im);
	build(im);
	im->len = COW(im, 0, nr_pages);
	return im->len;
}

CASE(pages_cow_cut_bad_addr)	/* read whole, unlike pages: the cut comes first */
{
	forked_mapping(im);
	build(im);
	put64(im, COW(im, 0, addr), 0x7f0000054000ULL);
	im->len = COW(im, 0, nr_pages);
	return im->len;
}

CASE(shmem_pages_cow)	/* shared memory has no parent to share pages with */
{
	shared_memory(im);
	build(im);
	put32(im, AT(im->shm_pages_off[0][1], ckpt_hdr, type), CKPT_HDR_PAGES_COW);
	put32(im, LEN(im->shm_pages_off[0][1]), sizeof(struct ckpt_hdr_pages));
	return AT(im->shm_pages_off[0][1], ckpt_hdr, type);
}

/* ---- Hugetlb memory ---- */

/*
 * What sudo mapped with MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB: one
 * huge page of 2 MiB, as ckpt_vma_pages() saves it, in base pages: the
 * first three, which sudo wrote, and the last, the other base pages of
 * the huge page zeroes and left out.
 *
 *   mappings: vmas[2] of mm 1
 */
static void hugetlb(struct img *im)
{
	static const struct mvma sudo = {
		0x7f0000200000ULL, 0x7f0000200000ULL + HPAGE, 0, CKPT_VMA_HUGETLB, 0x73, NULL,
		2, { { 0x7f0000200000ULL, 3 }, { 0x7f0000200000ULL + HPAGE - PAGE, 1 } } };

	add_vma(im, 1, &sudo, 0);
}

/* Field @fld of sudo's hugetlb mapping */
#define HVMA(im, fld)	VMA(im, 1, 2, fld)

CASE(hugetlb)
{
	hugetlb(im);
	build(im);
	return 0;
}

CASE(hugetlb_several)	/* three: the first written whole, the second never touched */
{
	struct mvma *v = &im->mms[1].vmas[2];

	hugetlb(im);
	v->end = v->start + 3 * HPAGE;
	v->nr_runs = 3;
	v->runs[0] = (struct mrun){ v->start, CKPT_PAGES_MAX };
	v->runs[1] = (struct mrun){ v->start + CKPT_PAGES_MAX * PAGE, CKPT_PAGES_MAX };
	v->runs[2] = (struct mrun){ v->start + 2 * HPAGE + 5 * PAGE, 2 };
	build(im);
	return 0;
}

CASE(hugetlb_read_only)	/* mprotect(PROT_READ) after it was written */
{
	hugetlb(im);
	im->mms[1].vmas[2].flags = 0x71;
	build(im);
	return 0;
}

CASE(hugetlb_dontdump)	/* MADV_DONTDUMP: its pages are not saved */
{
	hugetlb(im);
	im->mms[1].vmas[2].flags |= CKPT_VMA_DONTDUMP;
	im->mms[1].vmas[2].nr_runs = 0;
	build(im);
	return 0;
}

/* restore_check_huge(): a size of huge pages the kernel has */
CASE(vma_hugetlb_size_0)
{
	hugetlb(im);
	build(im);
	put64(im, HVMA(im, size), 0);
	return HVMA(im, size);
}

CASE(vma_hugetlb_size_4096)	/* base pages */
{
	hugetlb(im);
	build(im);
	put64(im, HVMA(im, size), PAGE);
	return HVMA(im, size);
}

CASE(vma_hugetlb_size_3m)	/* not a power of two */
{
	hugetlb(im);
	build(im);
	put64(im, HVMA(im, size), 3 * HPAGE / 2);
	return HVMA(im, size);
}

CASE(vma_hugetlb_size_4m)	/* a power of two, but no size x86_64 has */
{
	hugetlb(im);
	build(im);
	put64(im, HVMA(im, size), 2 * HPAGE);
	return HVMA(im, size);
}

CASE(vma_hugetlb_size_2_63)	/* a power of two, of no huge page */
{
	hugetlb(im);
	build(im);
	put64(im, HVMA(im, size), 1ULL << 63);
	return HVMA(im, size);
}

/* With gbpages a size the kernel has, the range not aligned to it; else none */
CASE(vma_hugetlb_1g_unaligned)
{
	hugetlb(im);
	build(im);
	put64(im, HVMA(im, size), HPAGE_1G);
	return HVMA(im, start);
}

CASE(vma_hugetlb_start_unaligned)	/* aligned to a base page only */
{
	hugetlb(im);
	im->mms[1].vmas[2].start += PAGE;
	im->mms[1].vmas[2].runs[0] = (struct mrun){ 0x7f0000201000ULL, 2 };
	build(im);
	return HVMA(im, start);
}

CASE(vma_hugetlb_end_unaligned)
{
	hugetlb(im);
	im->mms[1].vmas[2].end += PAGE;
	build(im);
	return HVMA(im, end);
}

/* ... with no file; private, it names no object */
CASE(vma_hugetlb_shared_no_ref)	/* shared, it names its object */
{
	hugetlb(im);
	build(im);
	put32(im, HVMA(im, flags), 0x7b);
	return HVMA(im, path_len);
}

CASE(vma_hugetlb_growsdown)	/* MAP_GROWSDOWN makes no hugetlb mapping */
{
	hugetlb(im);
	im->mms[1].vmas[2].flags |= CKPT_VMA_GROWSDOWN;
	build(im);
	return HVMA(im, flags);
}

CASE(vma_hugetlb_wipeonfork)	/* MADV_WIPEONFORK refuses a hugetlb mapping */
{
	hugetlb(im);
	im->mms[1].vmas[2].flags |= CKPT_VMA_WIPEONFORK;
	build(im);
	return HVMA(im, flags);
}

CASE(vma_hugetlb_forked)	/* only anonymous memory and files are kept */
{
	hugetlb(im);
	im->mms[1].vmas[2].flags |= CKPT_VMA_FORKED;
	build(im);
	return HVMA(im, flags);
}

CASE(vma_hugetlb_pgoff)
{
	hugetlb(im);
	im->mms[1].vmas[2].pgoff = HPAGE / PAGE;
	build(im);
	return HVMA(im, pgoff);
}

CASE(vma_hugetlb_ino)
{
	hugetlb(im);
	build(im);
	put64(im, HVMA(im, ino), 131075);
	return HVMA(im, ino);
}

CASE(vma_hugetlb_dev)
{
	hugetlb(im);
	build(im);
	put64(im, HVMA(im, dev), 0x801);
	return HVMA(im, dev);
}

CASE(vma_hugetlb_mtime)
{
	hugetlb(im);
	build(im);
	put64(im, HVMA(im, mtime_sec), 1690000000);
	return HVMA(im, mtime_sec);
}

CASE(vma_hugetlb_mtime_nsec)
{
	hugetlb(im);
	build(im);
	put32(im, HVMA(im, mtime_nsec), 123456789);
	return HVMA(im, mtime_nsec);
}

CASE(vma_hugetlb_path)	/* hugetlb memory names no file */
{
	build(im);
	put32(im, VMA(im, 1, 1, kind), CKPT_VMA_HUGETLB);
	return VMA(im, 1, 1, path_len);
}

CASE(vma_hugetlb_before_size)	/* the length is checked first */
{
	hugetlb(im);
	build(im);
	put64(im, HVMA(im, size), 0);
	put32(im, HVMA(im, path_len), 8);
	return LEN(im->vma_off[1][2]);
}

CASE(vma_hugetlb_size_before_flags)
{
	hugetlb(im);
	im->mms[1].vmas[2].flags |= CKPT_VMA_GROWSDOWN;
	build(im);
	put64(im, HVMA(im, size), PAGE);
	return HVMA(im, size);
}

/* MAP_NORESERVE: its pages are taken from the pool as it touches them */
CASE(hugetlb_noreserve)
{
	hugetlb(im);
	im->mms[1].vmas[2].flags |= CKPT_VMA_NORESERVE;
	build(im);
	return 0;
}

CASE(vma_hugetlb_flags_unknown)	/* the bit after CKPT_VMA_NOHUGEPAGE */
{
	hugetlb(im);
	im->mms[1].vmas[2].flags |= CKPT_VMA_NOHUGEPAGE << 1;
	build(im);
	return HVMA(im, flags);
}

/*
 * restore_check_vma(): CKPT_VMA_NORESERVE (format 1.25) of any kind of
 * mapping but a SysV attachment and the vDSO.  Private anonymous memory
 * mapped with MAP_NORESERVE, as malloc(3) maps its arenas: nothing is
 * accounted for it when it is mapped again.
 */
CASE(vma_noreserve_anon)
{
	im->mms[2].vmas[0].flags |= CKPT_VMA_NORESERVE;
	build(im);
	return 0;
}

CASE(vma_noreserve_file)	/* a private mapping of a file, its text */
{
	im->mms[0].vmas[0].flags |= CKPT_VMA_NORESERVE;
	build(im);
	return 0;
}

CASE(vma_noreserve_file_written)	/* ... its data, a page of it written */
{
	im->mms[0].vmas[1].flags |= CKPT_VMA_NORESERVE;
	build(im);
	return 0;
}

CASE(vma_noreserve_vdso)	/* a special mapping: no MAP_NORESERVE */
{
	build(im);
	put32(im, VMA(im, 1, 2, flags), 0x75 | CKPT_VMA_NORESERVE);
	return VMA(im, 1, 2, flags);
}

CASE(vma_noreserve_vvar)
{
	build(im);
	put32(im, VMA(im, 0, 4, flags), 0x11 | CKPT_VMA_NORESERVE);
	return VMA(im, 0, 4, flags);
}

CASE(vma_noreserve_flags_unknown)	/* the bit after the last, of anonymous memory */
{
	build(im);
	put32(im, VMA(im, 2, 0, flags), 0x73 | CKPT_VMA_NOHUGEPAGE << 1);
	return VMA(im, 2, 0, flags);
}

/* ---- Shared memory of huge pages ---- */

/*
 * What sh mapped with MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB before
 * forking sudo: two huge pages of 2 MiB, the first written, saved whole
 * in base pages by ckpt_shmem_pages(), the second never touched.  sh
 * maps both; sudo, which unmapped the first, the second, read-only.
 *
 *   objects: shmem_hugetlb 1 (its pages), mm 2 (sh's), ...
 *   mappings: vmas[3] of mm 0, vmas[2] of mm 1
 */
static void hugetlb_shared(struct img *im)
{
	static const struct mvma sh = {
		0x7f0012400000ULL, 0x7f0012400000ULL + 2 * HPAGE, 0, CKPT_VMA_HUGETLB, 0x3b,
		NULL, 0, { { 0 } } };
	static const struct mvma sudo = {
		0x7f0000400000ULL, 0x7f0000400000ULL + HPAGE, HPAGE / PAGE, CKPT_VMA_HUGETLB,
		0x39, NULL, 0, { { 0 } } };

	im->nr_shms = 1;
	im->shms[0] = (struct mshm){ 2 * HPAGE, 2,
		{ { 0, CKPT_PAGES_MAX }, { CKPT_PAGES_MAX * PAGE, CKPT_PAGES_MAX } }, HPAGE };
	add_vma(im, 0, &sh, 1);
	add_vma(im, 1, &sudo, 1);
}

/* Field @fld of its object; of sh's mapping, of sudo's and of their payloads */
#define HSHM(im, fld)		AT((im)->shm_off[0], ckpt_hdr_shmem_hugetlb, fld)
#define SH_HVMA(im, fld)	VMA(im, 0, 3, fld)
#define SUDO_HVMA(im, fld)	VMA(im, 1, 2, fld)
#define SH_HSHM(im, fld)	VSHM(im, 0, 3, fld)
#define SUDO_HSHM(im, fld)	VSHM(im, 1, 2, fld)

CASE(hugetlb_shared)
{
	hugetlb_shared(im);
	build(im);
	return 0;
}

CASE(hugetlb_shared_noreserve)	/* mapped with MAP_NORESERVE, which fork(2) kept */
{
	hugetlb_shared(im);
	im->mms[0].vmas[3].flags |= CKPT_VMA_NORESERVE;
	im->mms[1].vmas[2].flags |= CKPT_VMA_NORESERVE;
	build(im);
	return 0;
}

CASE(shmem_hugetlb_untouched)	/* no page saved */
{
	hugetlb_shared(im);
	im->shms[0].nr_runs = 0;
	build(im);
	return 0;
}

CASE(shmem_hugetlb_size_max)	/* as many huge pages as a file holds, sh maps the last two */
{
	uint64_t size = MAX_LFS_FILESIZE & ~(HPAGE - 1);

	hugetlb_shared(im);
	im->shms[0].size = size;
	im->shms[0].runs[1] = (struct mrun){ size - PAGE, 1 };
	im->mms[0].vmas[3].pgoff = (size - 2 * HPAGE) / PAGE;
	build(im);
	return 0;
}

/* ckpt_shmem_hugetlb_restore(): the object */
CASE(shmem_hugetlb_len_below_min)
{
	hugetlb_shared(im);
	build(im);
	put32(im, LEN(im->shm_off[0]), sizeof(struct ckpt_hdr_shmem_hugetlb) - 8);
	return LEN(im->shm_off[0]);
}

CASE(shmem_hugetlb_len_above_max)
{
	hugetlb_shared(im);
	build(im);
	put32(im, LEN(im->shm_off[0]), sizeof(struct ckpt_hdr_shmem_hugetlb) + 8);
	return LEN(im->shm_off[0]);
}

CASE(shmem_hugetlb_objref)
{
	hugetlb_shared(im);
	build(im);
	put32(im, HSHM(im, h.objref), 2);
	return HSHM(im, h.objref);
}

CASE(shmem_hugetlb_page_size_0)
{
	hugetlb_shared(im);
	build(im);
	put64(im, HSHM(im, page_size), 0);
	return HSHM(im, page_size);
}

CASE(shmem_hugetlb_page_size_4096)	/* base pages */
{
	hugetlb_shared(im);
	im->shms[0].page_size = PAGE;
	build(im);
	return HSHM(im, page_size);
}

CASE(shmem_hugetlb_page_size_3m)	/* not a power of two */
{
	hugetlb_shared(im);
	im->shms[0].page_size = 3 * HPAGE / 2;
	im->shms[0].size = 3 * HPAGE;
	build(im);
	return HSHM(im, page_size);
}

CASE(shmem_hugetlb_page_size_4m)	/* a power of two, but no size x86_64 has */
{
	hugetlb_shared(im);
	im->shms[0].page_size = 2 * HPAGE;
	build(im);
	return HSHM(im, page_size);
}

CASE(shmem_hugetlb_size_0)
{
	hugetlb_shared(im);
	im->shms[0].size = 0;
	build(im);
	return HSHM(im, size);
}

CASE(shmem_hugetlb_size_unaligned)	/* a whole number of huge pages, but a base page */
{
	hugetlb_shared(im);
	im->shms[0].size = 2 * HPAGE + PAGE;
	build(im);
	return HSHM(im, size);
}

/* With gbpages a size the kernel has, which 4 MiB is no multiple of; else none */
CASE(shmem_hugetlb_size_1g_unaligned)
{
	hugetlb_shared(im);
	im->shms[0].page_size = HPAGE_1G;
	build(im);
	return HSHM(im, size);
}

CASE(shmem_hugetlb_size_above_max)	/* huge pages, more than a file holds */
{
	hugetlb_shared(im);
	im->shms[0].size = 1ULL << 63;
	build(im);
	return HSHM(im, size);
}

CASE(shmem_hugetlb_page_size_before_size)
{
	hugetlb_shared(im);
	im->shms[0].size = 0;
	im->shms[0].page_size = PAGE;
	build(im);
	return HSHM(im, page_size);
}

CASE(shmem_hugetlb_size_before_pages)	/* the pages are read after the record is checked */
{
	hugetlb_shared(im);
	im->shms[0].size = HPAGE + PAGE;
	build(im);
	put32(im, SPG(im, 0, 0, nr_pages), 0);
	return HSHM(im, size);
}

/* Its pages: restore_shmem_pages(), as those of shared memory */
CASE(shmem_hugetlb_pages_beyond_size)	/* the first base page of a third huge page */
{
	hugetlb_shared(im);
	im->shms[0].runs[1] = (struct mrun){ 2 * HPAGE, 1 };
	build(im);
	return SPG(im, 0, 1, addr);
}

CASE(shmem_hugetlb_pages_overrun)	/* the last 128 base pages, and 128 more */
{
	hugetlb_shared(im);
	im->shms[0].runs[1].addr = 2 * HPAGE - CKPT_PAGES_MAX / 2 * PAGE;
	build(im);
	return SPG(im, 0, 1, addr);
}

CASE(shmem_hugetlb_pages_order)
{
	hugetlb_shared(im);
	im->shms[0].runs[1].addr = PAGE;
	build(im);
	return SPG(im, 0, 1, addr);
}

CASE(shmem_hugetlb_pages_unaligned)
{
	hugetlb_shared(im);
	im->shms[0].runs[1].addr += 16;
	build(im);
	return SPG(im, 0, 1, addr);
}

CASE(shmem_hugetlb_pages_nr_0)
{
	hugetlb_shared(im);
	build(im);
	put32(im, SPG(im, 0, 1, nr_pages), 0);
	return SPG(im, 0, 1, nr_pages);
}

CASE(shmem_hugetlb_pages_pad)
{
	hugetlb_shared(im);
	build(im);
	im->buf[SPG(im, 0, 0, _pad) + 2] = 1;
	return SPG(im, 0, 0, _pad) + 2;
}

CASE(shmem_hugetlb_truncated)	/* the image ends where its pages would start */
{
	hugetlb_shared(im);
	build(im);
	im->len = im->shm_pages_off[0][0];
	return im->len;
}

/* restore_check_huge() of a shared mapping, and what it names */
CASE(vma_hugetlb_shared_path_len_16)
{
	hugetlb_shared(im);
	build(im);
	put32(im, SUDO_HVMA(im, path_len), 16);
	put32(im, LEN(im->vma_off[1][2]), sizeof(struct ckpt_hdr_vma) + 16);
	return SUDO_HVMA(im, path_len);
}

CASE(vma_hugetlb_private_ref)	/* a private one names no object */
{
	hugetlb_shared(im);
	build(im);
	put32(im, SUDO_HVMA(im, flags), 0x31);
	return SUDO_HVMA(im, path_len);
}

CASE(vma_hugetlb_shared_pgoff_unaligned)	/* a base page into the second huge page */
{
	hugetlb_shared(im);
	im->mms[1].vmas[2].pgoff++;
	build(im);
	return SUDO_HVMA(im, pgoff);
}

CASE(vma_hugetlb_shared_pgoff_beyond_files)
{
	hugetlb_shared(im);
	im->mms[1].vmas[2].pgoff = CKPT_VMA_PGOFF_MAX & ~(HPAGE / PAGE - 1);
	build(im);
	return SUDO_HVMA(im, pgoff);
}

CASE(vma_hugetlb_shared_beyond)	/* the third huge page of two */
{
	hugetlb_shared(im);
	im->mms[1].vmas[2].pgoff = 2 * HPAGE / PAGE;
	build(im);
	return SUDO_HVMA(im, end);
}

CASE(vma_hugetlb_shared_overrun)	/* three huge pages of two */
{
	hugetlb_shared(im);
	im->mms[0].vmas[3].end += HPAGE;
	build(im);
	return SH_HVMA(im, end);
}

/* With gbpages memory of pages of 1 GiB, mapped as of 2 MiB ones; else none */
CASE(vma_hugetlb_shared_page_size)
{
	hugetlb_shared(im);
	im->shms[0].size = HPAGE_1G;
	im->shms[0].page_size = HPAGE_1G;
	build(im);
	return SH_HVMA(im, size);
}

CASE(vma_hugetlb_shared_growsdown)
{
	hugetlb_shared(im);
	im->mms[0].vmas[3].flags |= CKPT_VMA_GROWSDOWN;
	build(im);
	return SH_HVMA(im, flags);
}

CASE(vma_hugetlb_shared_forked)	/* fork(2) shares it: kept, it is not the parent's copy */
{
	hugetlb_shared(im);
	im->mms[1].vmas[2].flags |= CKPT_VMA_FORKED;
	build(im);
	return SUDO_HVMA(im, flags);
}

CASE(vma_hugetlb_shared_ino)
{
	hugetlb_shared(im);
	build(im);
	put64(im, SUDO_HVMA(im, ino), 131075);
	return SUDO_HVMA(im, ino);
}

CASE(vma_hugetlb_shared_mtime)
{
	hugetlb_shared(im);
	build(im);
	put64(im, SH_HVMA(im, mtime_sec), 1690000000);
	return SH_HVMA(im, mtime_sec);
}

CASE(vma_hugetlb_shared_ref_0)
{
	hugetlb_shared(im);
	build(im);
	put32(im, SUDO_HSHM(im, shmem_ref), 0);
	return SUDO_HSHM(im, shmem_ref);
}

CASE(vma_hugetlb_shared_ref_mm)
{
	hugetlb_shared(im);
	build(im);
	put32(im, SUDO_HSHM(im, shmem_ref), im->mm_ref[0]);
	return SUDO_HSHM(im, shmem_ref);
}

CASE(vma_hugetlb_shared_ref_shmem)	/* shared memory of base pages */
{
	hugetlb_shared(im);
	im->shms[0].page_size = 0;
	build(im);
	return SH_HSHM(im, shmem_ref);
}

CASE(vma_shmem_ref_hugetlb)	/* shared memory of base pages, naming huge ones */
{
	hugetlb_shared(im);
	build(im);
	put32(im, SUDO_HVMA(im, kind), CKPT_VMA_SHMEM);
	put64(im, SUDO_HVMA(im, size), 0);
	return SUDO_HSHM(im, shmem_ref);
}

CASE(vma_hugetlb_shared_pad)
{
	hugetlb_shared(im);
	build(im);
	im->buf[SH_HSHM(im, _pad) + 1] = 1;
	return SH_HSHM(im, _pad) + 1;
}

CASE(vma_hugetlb_shared_pages)	/* its pages follow its object, not the mapping */
{
	hugetlb_shared(im);
	im->mms[1].vmas[2].nr_runs = 1;
	im->mms[1].vmas[2].runs[0] = (struct mrun){ 0x7f0000400000ULL, 1 };
	build(im);
	return im->pages_off[1][2][0];
}

CASE(vma_hugetlb_shared_size_before_ref)
{
	hugetlb_shared(im);
	build(im);
	put64(im, SUDO_HVMA(im, size), 0);
	put32(im, SUDO_HSHM(im, shmem_ref), 0);
	return SUDO_HVMA(im, size);
}

CASE(vma_hugetlb_shared_fields_before_ref)
{
	hugetlb_shared(im);
	build(im);
	put64(im, SUDO_HVMA(im, dev), 0x801);
	put32(im, SUDO_HSHM(im, shmem_ref), im->mm_ref[1]);
	return SUDO_HVMA(im, dev);
}

CASE(vma_hugetlb_shared_ref_before_pad)
{
	hugetlb_shared(im);
	build(im);
	put32(im, SH_HSHM(im, shmem_ref), 0);
	im->buf[SH_HSHM(im, _pad)] = 1;
	return SH_HSHM(im, shmem_ref);
}

CASE(vma_hugetlb_shared_beyond_before_pad)
{
	hugetlb_shared(im);
	im->mms[1].vmas[2].pgoff = 2 * HPAGE / PAGE;
	build(im);
	im->buf[SUDO_HSHM(im, _pad) + 3] = 1;
	return SUDO_HVMA(im, end);
}

CASE(task_flags_16)
{
	build(im);
	put32(im, TASK(im, 3, flags), CKPT_TASK_THREAD_LEADER | 16);
	return TASK(im, 3, flags);
}

CASE(task_ready_self)
{
	build(im);
	put32(im, TASK(im, 3, flags),
	      CKPT_TASK_THREAD_LEADER | CKPT_TASK_READY | CKPT_TASK_SELF);
	return TASK(im, 3, flags);
}

CASE(exit_code_live)	/* only a zombie has one */
{
	build(im);
	put32(im, TASK(im, 1, exit_code), 7 << 8);
	return TASK(im, 1, exit_code);
}

CASE(mm_ref_0)
{
	build(im);
	put32(im, TASK(im, 0, mm_ref), 0);
	return TASK(im, 0, mm_ref);
}

CASE(mm_ref_later)
{
	build(im);
	put32(im, TASK(im, 2, mm_ref), im->mm_ref[2]);
	return TASK(im, 2, mm_ref);
}

CASE(mm_ref_cred)
{
	build(im);
	put32(im, TASK(im, 2, mm_ref), im->cred_ref[0]);
	return TASK(im, 2, mm_ref);
}

CASE(cred_ref_mm)
{
	build(im);
	put32(im, TASK(im, 2, cred_ref), im->mm_ref[0]);
	return TASK(im, 2, cred_ref);
}

CASE(thread_mm)
{
	build(im);
	put32(im, TASK(im, 4, mm_ref), im->mm_ref[0]);
	return TASK(im, 4, mm_ref);
}

CASE(thread_sighand)	/* a thread with the handlers of another process */
{
	build(im);
	put32(im, TASK(im, 4, sighand_ref), im->sighand_ref[1]);
	return TASK(im, 4, sighand_ref);
}

CASE(thread_signal)
{
	build(im);
	put32(im, TASK(im, 4, signal_ref), im->signal_ref[1]);
	return TASK(im, 4, signal_ref);
}

CASE(thread_own_signals)	/* a thread with a sighand and signal of its own */
{
	im->nr_sigs = 4;
	im->sigs[3] = im->sigs[2];
	im->tasks[4].sig = 3;
	build(im);
	return im->sighand_off[3];	/* its records define handlers it shares */
}

CASE(thread_own_mm)	/* a thread whose records define an mm */
{
	im->nr_mms = 4;
	im->mms[3] = im->mms[2];
	im->tasks[4].mm = 3;
	build(im);
	return im->mm_off[3];
}

/*
 * Processes that share what only threads can share, and that no tree
 * flag says they share with their parent: the first user of the object
 * is another process, which restart(2) does not rebuild.
 */
CASE(process_shares_mm)	/* CLONE_VM without CLONE_THREAD */
{
	build(im);
	put32(im, TASK(im, 3, mm_ref), im->mm_ref[0]);
	put32(im, TASK(im, 4, mm_ref), im->mm_ref[0]);
	return TASK(im, 3, mm_ref);
}

CASE(process_shares_sighand)	/* CLONE_SIGHAND without CLONE_THREAD */
{
	im->tasks[3].sig = 1;
	im->tasks[4].sig = 1;
	build(im);
	return TASK(im, 3, sighand_ref);
}

CASE(process_shares_signal)
{
	build(im);
	put32(im, TASK(im, 3, signal_ref), im->signal_ref[1]);
	put32(im, TASK(im, 4, signal_ref), im->signal_ref[1]);
	return TASK(im, 3, signal_ref);
}

/*
 * Processes their parent created with CLONE_VM, and CLONE_SIGHAND, but
 * not CLONE_THREAD, as their tree entry says (CKPT_PIDS_SHARE_VM,
 * CKPT_PIDS_SHARE_SIGHAND): cat and its thread use the mm, and the
 * handlers, of sudo, its parent, which come before them in the image;
 * cat's signal is its own.  cat's own mm, or handlers, are not saved.
 */
static void share_with_parent(struct img *im, uint32_t flags)
{
	im->tasks[3].flags = flags;
	im->tasks[3].mm = 1;
	im->tasks[4].mm = 1;
	if (flags & CKPT_PIDS_SHARE_SIGHAND) {
		im->tasks[3].sighand = 1 + 1;
		im->tasks[4].sighand = 1 + 1;
	}
}

CASE(pids_share_vm)
{
	share_with_parent(im, CKPT_PIDS_SHARE_VM);
	build(im);
	return 0;
}

CASE(pids_share_vm_sighand)
{
	share_with_parent(im, CKPT_PIDS_SHARE_VM | CKPT_PIDS_SHARE_SIGHAND);
	build(im);
	return 0;
}

/*
 * A parent waiting in vfork() (system call 58) for its child, which
 * shares its mm until it execs or exits: cat, without its thread, and
 * sudo, whose registers say vfork() returns cat's pid.
 */
static void vfork_child(struct img *im, int parent, int child, uint32_t flags)
{
	im->tasks[child].flags = flags;
	if (flags & CKPT_PIDS_SHARE_VM)
		im->tasks[child].mm = im->tasks[parent].mm;
	im->tasks[parent].rb.kind = 0;
}

static void vfork_regs(struct img *im, int parent, int child)
{
	put64(im, REGS(im, parent, ax), im->tasks[child].pid);
	put64(im, REGS(im, parent, orig_ax), 58);
}

CASE(pids_vfork)
{
	im->nr_tasks = 4;
	vfork_child(im, 2, 3, CKPT_PIDS_SHARE_VM | CKPT_PIDS_VFORK);
	build(im);
	vfork_regs(im, 2, 3);
	return 0;
}

CASE(pids_vfork_chain)	/* the shell waits for sudo, which waits for cat */
{
	im->nr_tasks = 4;
	vfork_child(im, 0, 2, CKPT_PIDS_SHARE_VM | CKPT_PIDS_VFORK);
	vfork_child(im, 2, 3, CKPT_PIDS_SHARE_VM | CKPT_PIDS_VFORK);
	build(im);
	vfork_regs(im, 0, 2);
	vfork_regs(im, 2, 3);
	return 0;
}

CASE(pids_vfork_own_mm)	/* clone(CLONE_VFORK) without CLONE_VM */
{
	im->nr_tasks = 4;
	vfork_child(im, 2, 3, CKPT_PIDS_VFORK);
	build(im);
	vfork_regs(im, 2, 3);
	return 0;
}

CASE(pids_share_vm_own_mm)	/* the flag, but cat's records define its mm */
{
	im->tasks[3].flags = CKPT_PIDS_SHARE_VM;
	build(im);
	return im->mm_off[2];
}

CASE(pids_share_vm_grandparent_mm)	/* the shell's mm, not sudo's */
{
	share_with_parent(im, CKPT_PIDS_SHARE_VM);
	im->tasks[3].mm = 0;
	im->tasks[4].mm = 0;
	build(im);
	return TASK(im, 3, mm_ref);
}

CASE(pids_share_sighand_own)	/* the flags, but cat's records define its handlers */
{
	share_with_parent(im, CKPT_PIDS_SHARE_VM);
	im->tasks[3].flags |= CKPT_PIDS_SHARE_SIGHAND;
	build(im);
	return im->sighand_off[2];
}

CASE(pids_share_sighand_grandparent)	/* the shell's handlers, not sudo's */
{
	share_with_parent(im, CKPT_PIDS_SHARE_VM | CKPT_PIDS_SHARE_SIGHAND);
	im->tasks[3].sighand = 1 + 0;
	im->tasks[4].sighand = 1 + 0;
	build(im);
	return TASK(im, 3, sighand_ref);
}

CASE(pids_parent_mm_without_flag)	/* CLONE_VM, but the tree does not say */
{
	share_with_parent(im, CKPT_PIDS_SHARE_VM);
	im->tasks[3].flags = 0;
	build(im);
	return TASK(im, 3, mm_ref);
}

CASE(pids_parent_sighand_without_flag)
{
	share_with_parent(im, CKPT_PIDS_SHARE_VM | CKPT_PIDS_SHARE_SIGHAND);
	im->tasks[3].flags = CKPT_PIDS_SHARE_VM;
	build(im);
	return TASK(im, 3, sighand_ref);
}

CASE(pids_share_signal)	/* CLONE_SIGHAND, and sudo's signal too */
{
	share_with_parent(im, CKPT_PIDS_SHARE_VM | CKPT_PIDS_SHARE_SIGHAND);
	im->tasks[3].sig = 1;
	im->tasks[4].sig = 1;
	build(im);
	return TASK(im, 3, signal_ref);
}

/* ---- zombies ---- */

/*
 * Make task @i of the model a zombie, moving the tasks from @i on one
 * place down: process @pid, a child of @ppid in the shell's process
 * group, that exited with the status @code, which its parent has not
 * waited for yet.
 */
static void add_zombie(struct img *im, int i, int32_t pid, int32_t ppid, int32_t code)
{
	struct mtask *t = &im->tasks[i];

	memmove(t + 1, t, (im->nr_tasks - i) * sizeof(*t));
	im->nr_tasks++;
	*t = (struct mtask){
		.pid = pid, .tgid = pid, .ppid = ppid, .pgid = 100, .sid = 90,
		.exit_signal = X86_SIGCHLD, .comm = "make", .zombie = true,
		.exit_code = code,
	};
}

CASE(zombie)		/* a child of sudo exited 7: its record, then the tail */
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	build(im);
	return 0;
}

CASE(zombie_killed_core) /* a child of the shell: then cat's objects */
{
	add_zombie(im, 3, 105, 100, 0x80 | 11);	/* SIGSEGV, core dumped */
	build(im);
	return 0;
}

CASE(zombie_status_limits) /* exit(0), exit(255), SIGRTMAX: one after another */
{
	add_zombie(im, 3, 105, 100, 0);
	add_zombie(im, 4, 106, 102, 255 << 8);
	add_zombie(im, 5, 107, 102, 64);
	build(im);
	return 0;
}

CASE(zombie_root)
{
	build(im);
	put32(im, TASK(im, 0, flags), CKPT_TASK_THREAD_LEADER | CKPT_TASK_ZOMBIE);
	return TASK(im, 0, flags);
}

CASE(zombie_not_leader)
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	build(im);
	put32(im, TASK(im, 5, flags), CKPT_TASK_ZOMBIE);
	return TASK(im, 5, flags);
}

CASE(zombie_thread)	/* a thread does not stay a zombie: its leader reaps it */
{
	build(im);
	put32(im, TASK(im, 4, flags), CKPT_TASK_ZOMBIE);
	return TASK(im, 4, flags);
}

CASE(zombie_self)
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	build(im);
	put32(im, TASK(im, 5, flags),
	      CKPT_TASK_THREAD_LEADER | CKPT_TASK_ZOMBIE | CKPT_TASK_SELF);
	return TASK(im, 5, flags);
}

CASE(zombie_cred_ref)
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	build(im);
	put32(im, TASK(im, 5, cred_ref), im->cred_ref[1]);
	return TASK(im, 5, cred_ref);
}

CASE(zombie_fs_ref)
{
	add_zombie(im, 3, 105, 100, 15);
	build(im);
	put32(im, TASK(im, 3, fs_ref), im->fs_ref[0]);
	return TASK(im, 3, fs_ref);
}

CASE(zombie_exit_signal_65)
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	im->tasks[5].exit_signal = 65;
	build(im);
	return TASK(im, 5, exit_signal);
}

CASE(zombie_comm)
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	build(im);
	memset(im->buf + TASK(im, 5, comm), 'z', CKPT_COMM_LEN);
	return TASK(im, 5, comm);
}

CASE(zombie_records)	/* the records of a live task after it, not the tail */
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	im->zombie_records = true;
	build(im);
	return im->regs_off[5];
}

CASE(zombie_records_middle) /* ... not the objects or the record of cat */
{
	add_zombie(im, 3, 105, 100, 15);
	im->zombie_records = true;
	build(im);
	return im->regs_off[3];
}

CASE(zombie_with_thread) /* refused at the zombie, from the tree */
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	im->tasks[6] = im->tasks[4];
	im->tasks[6].pid = 106;
	im->tasks[6].tgid = 105;
	im->nr_tasks = 7;
	build(im);
	return TASK(im, 5, pid);
}

CASE(zombie_pids_flags)	/* a vfork() child that exited: its parent went on */
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	im->tasks[5].flags = CKPT_PIDS_SHARE_VM | CKPT_PIDS_VFORK;
	build(im);
	return TASK(im, 5, flags);
}

CASE(zombie_with_child)	/* its children were reparented as it exited */
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	im->tasks[6] = im->tasks[3];
	im->tasks[6].pid = 106;
	im->tasks[6].tgid = 106;
	im->tasks[6].ppid = 105;
	im->nr_tasks = 7;
	build(im);
	return TASK(im, 5, pid);
}

CASE(zombie_then_error)	/* the checkpoint failed after the zombie */
{
	add_zombie(im, 3, 105, 100, 15);
	im->fail_task = 4;
	build(im);
	return im->error_off;
}

CASE(zombie_after_object) /* a cred it does not use, right before its record */
{
	add_zombie(im, 5, 105, 102, 7 << 8);
	im->extra_cred_task = 5;
	build(im);
	return im->task_off[5];
}

/* A zombie whose status is @code: the offset of its exit_code */
static size_t zombie_status(struct img *im, int32_t code)
{
	add_zombie(im, 5, 105, 102, code);
	build(im);
	return TASK(im, 5, exit_code);
}

CASE(zombie_status_stopped)	/* stopped, not ended */
{
	return zombie_status(im, 0x7f);
}

CASE(zombie_status_signal_65)
{
	return zombie_status(im, 65);
}

CASE(zombie_status_core_alone)	/* a core dump, but no signal */
{
	return zombie_status(im, 0x80);
}

CASE(zombie_status_above_max)
{
	return zombie_status(im, 0x10000);
}

CASE(zombie_status_exit_and_signal)
{
	return zombie_status(im, 7 << 8 | 15);
}

CASE(zombie_status_negative)
{
	return zombie_status(im, -1);
}

/* ---- namespaces ---- */

/*
 * The tasks in namespaces of their own, as a container's: @flags, and
 * the names of its UTS namespace.
 */
static void set_ns(struct img *im, uint32_t flags, const char *nodename,
		   const char *domainname)
{
	im->ns = true;
	im->ns_flags = flags;
	im->nodename = nodename;
	im->domainname = domainname;
}

CASE(ns_uts)
{
	set_ns(im, CKPT_NS_UTS, "web-1", "(none)");
	build(im);
	return 0;
}

CASE(ns_ipc)		/* the names are those of the caller of restart(2) */
{
	set_ns(im, CKPT_NS_IPC, NULL, NULL);
	build(im);
	return 0;
}

CASE(ns_uts_ipc)
{
	set_ns(im, CKPT_NS_UTS | CKPT_NS_IPC, "db.example.org", "example.org");
	build(im);
	return 0;
}

CASE(ns_uts_names_limits)	/* a nodename of 64 bytes, an empty domainname */
{
	set_ns(im, CKPT_NS_UTS,
	       "node-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789-abcdefghij", "");
	build(im);
	return 0;
}

CASE(ns_net)		/* a network namespace whose loopback device is up */
{
	set_ns(im, CKPT_NS_NET, NULL, NULL);
	im->ns_net = CKPT_NET_LO_UP;
	build(im);
	return 0;
}

CASE(ns_net_lo_down)	/* ... or down, as unshare(2) makes it */
{
	set_ns(im, CKPT_NS_NET, NULL, NULL);
	build(im);
	return 0;
}

CASE(ns_uts_ipc_net)
{
	set_ns(im, CKPT_NS_ALL, "web-1", "(none)");
	im->ns_net = CKPT_NET_LO_UP;
	build(im);
	return 0;
}

CASE(ns_single_task)
{
	set_ns(im, CKPT_NS_UTS | CKPT_NS_IPC, "web-1", "(none)");
	im->flags = CHECKPOINT_SCOPE_TASK;
	im->nr_tasks = 2;
	build(im);
	return 0;
}

CASE(ns_flags_0)
{
	set_ns(im, 0, NULL, NULL);
	build(im);
	return NS(im, flags);
}

CASE(ns_flags_8)
{
	set_ns(im, CKPT_NS_IPC | 8, NULL, NULL);
	build(im);
	return NS(im, flags);
}

CASE(ns_flags_high)
{
	set_ns(im, CKPT_NS_UTS | 0x80000000, "web-1", "(none)");
	build(im);
	return NS(im, flags);
}

CASE(ns_nodename_no_nul)
{
	set_ns(im, CKPT_NS_UTS, "web-1", "(none)");
	build(im);
	memset(im->buf + NS(im, nodename), 'n', CKPT_NS_NAME_LEN);
	return NS(im, nodename);
}

CASE(ns_domainname_no_nul)
{
	set_ns(im, CKPT_NS_UTS | CKPT_NS_IPC, "web-1", "(none)");
	build(im);
	memset(im->buf + NS(im, domainname), 'd', CKPT_NS_NAME_LEN);
	return NS(im, domainname);
}

CASE(ns_ipc_nodename)		/* without CKPT_NS_UTS the names are zero */
{
	set_ns(im, CKPT_NS_IPC, "web-1", NULL);
	build(im);
	return NS(im, nodename);
}

CASE(ns_ipc_domainname)		/* ... to their last byte */
{
	set_ns(im, CKPT_NS_IPC, NULL, NULL);
	build(im);
	im->buf[NS(im, domainname) + CKPT_NS_NAME_LEN - 1] = 'x';
	return NS(im, domainname) + CKPT_NS_NAME_LEN - 1;
}

CASE(ns_net_without_ns_net)	/* the CKPT_NET_* flags go with CKPT_NS_NET */
{
	set_ns(im, CKPT_NS_UTS, "web-1", "(none)");
	im->ns_net = CKPT_NET_LO_UP;
	build(im);
	return NS(im, net);
}

CASE(ns_net_flag_2)
{
	set_ns(im, CKPT_NS_NET | CKPT_NS_IPC, NULL, NULL);
	im->ns_net = CKPT_NET_LO_UP | 2;
	build(im);
	return NS(im, net);
}

CASE(ns_net_flag_high)	/* ... without CKPT_NS_NET too */
{
	set_ns(im, CKPT_NS_IPC, NULL, NULL);
	im->ns_net = 0x80000000;
	build(im);
	return NS(im, net);
}

CASE(ns_pad2)
{
	set_ns(im, CKPT_NS_IPC, NULL, NULL);
	build(im);
	im->buf[NS(im, _pad2) + 5] = 0x80;
	return NS(im, _pad2) + 5;
}

CASE(ns_net_before_names)	/* net is checked before the names */
{
	set_ns(im, CKPT_NS_UTS, "web-1", "(none)");
	im->ns_net = CKPT_NET_LO_UP;
	build(im);
	memset(im->buf + NS(im, domainname), 'd', CKPT_NS_NAME_LEN);
	return NS(im, net);
}

CASE(ns_names_before_pad2)	/* ... and _pad2 after them */
{
	set_ns(im, CKPT_NS_UTS | CKPT_NS_NET, "web-1", "(none)");
	build(im);
	im->buf[NS(im, _pad2)] = 1;
	memset(im->buf + NS(im, nodename), 'n', CKPT_NS_NAME_LEN);
	return NS(im, nodename);
}

CASE(ns_flags_before_names)
{
	set_ns(im, CKPT_NS_UTS | 8, NULL, NULL);
	build(im);
	memset(im->buf + NS(im, nodename), 'n', CKPT_NS_NAME_LEN);
	return NS(im, flags);
}

CASE(ns_len_below_min)
{
	set_ns(im, CKPT_NS_IPC, NULL, NULL);
	build(im);
	put32(im, LEN(im->ns_off), sizeof(struct ckpt_hdr_namespaces) - 8);
	return LEN(im->ns_off);
}

CASE(ns_len_above_max)
{
	set_ns(im, CKPT_NS_IPC, NULL, NULL);
	build(im);
	put32(im, LEN(im->ns_off), sizeof(struct ckpt_hdr_namespaces) + 8);
	return LEN(im->ns_off);
}

CASE(ns_cut)
{
	set_ns(im, CKPT_NS_UTS, "web-1", "(none)");
	build(im);
	im->len = NS(im, domainname);
	return im->len;
}

CASE(ns_twice)		/* the second is not an object of the root */
{
	set_ns(im, CKPT_NS_UTS, "web-1", "(none)");
	im->ns_again_task = 0;
	build(im);
	return im->ns_again_off;
}

CASE(ns_between_tasks)	/* ... nor of sudo, with no record after the tree */
{
	im->ns_flags = CKPT_NS_IPC;
	im->ns_again_task = 2;
	build(im);
	return im->ns_again_off;
}

CASE(ns_before_tail)
{
	set_ns(im, CKPT_NS_UTS | CKPT_NS_IPC, "web-1", "(none)");
	im->ns_again_task = im->nr_tasks;
	build(im);
	return im->ns_again_off;
}

CASE(ns_before_tree)
{
	set_ns(im, CKPT_NS_UTS, "web-1", "(none)");
	im->ns_before_tree = true;
	build(im);
	return im->ns_off;
}

CASE(ns_then_error)	/* the checkpoint failed after the record */
{
	set_ns(im, CKPT_NS_IPC, NULL, NULL);
	im->fail_task = 0;
	build(im);
	return im->error_off;
}

/* ---- pid namespaces below the root's ---- */

/* Offsets in the pidns record: of namespace @k, of the entry of task @i, of pid @j */
#define PIDNS(im, f)	AT((im)->pidns_off, ckpt_hdr_pidns, f)
#define PIDNS_NS(im, k, f) \
	((im)->pidns_off + sizeof(struct ckpt_hdr_pidns) + \
	 ((k) - 1) * sizeof(struct ckpt_pidns) + offsetof(struct ckpt_pidns, f))
static size_t pidns_tasks(const struct img *im)
{
	return im->pidns_off + sizeof(struct ckpt_hdr_pidns) +
	       im->nr_pidns * sizeof(struct ckpt_pidns);
}

#define PIDNS_TASK(im, i, f) \
	(pidns_tasks(im) + (i) * sizeof(struct ckpt_task_pidns) + \
	 offsetof(struct ckpt_task_pidns, f))

static size_t pidns_pid(const struct img *im, unsigned int j)
{
	return pidns_tasks(im) + im->nr_tasks * sizeof(struct ckpt_task_pidns) +
	       j * sizeof(int32_t);
}

/*
 * As after "unshare -pf": the shell's children go to pid namespace 1,
 * whose init is sudo; sudo made namespace 2 for its child cat, the init
 * of it, whose thread is there too.  Two processes of namespace 1
 * exited: a child of sudo, and a child of the shell, made after sudo.
 *
 *   task  pid  ns  children  pids below the root's namespace (j)
 *   0     100  0   1         -
 *   1     101  0   0         -
 *   2     102  1   2         1 (0)
 *   3     103  2   2         2 1 (1, 2)
 *   4     104  2   2         3 2 (3, 4)
 *   5     105  1   1         4 (5)
 *   6     106  1   1         5 (6)
 */
static void pidns(struct img *im)
{
	static const struct mnstask nstask[] = {
		{ 0, 1, 0, { 0 } }, { 0, 0, 0, { 0 } }, { 1, 2, 1, { 1 } },
		{ 2, 2, 2, { 2, 1 } }, { 2, 2, 2, { 3, 2 } }, { 1, 1, 1, { 4 } },
		{ 1, 1, 1, { 5 } },
	};

	add_zombie(im, 5, 105, 102, 0);
	add_zombie(im, 6, 106, 100, 0);
	im->pidns = true;
	im->nr_pidns = 2;
	im->pidns_ns[0] = (struct ckpt_pidns){ .parent = 0, .init = 2,
						.next_pid = 6 };
	im->pidns_ns[1] = (struct ckpt_pidns){ .parent = 1, .init = 3,
						.next_pid = 4 };
	memcpy(im->nstask, nstask, sizeof(nstask));
}

CASE(pidns)
{
	pidns(im);
	build(im);
	return 0;
}

CASE(pidns_minor_25)	/* restart(2) does not check the minor of the image */
{
	pidns(im);
	im->minor = 25;
	build(im);
	return 0;
}

CASE(pidns_ns)		/* the namespaces record after it */
{
	pidns(im);
	set_ns(im, CKPT_NS_UTS | CKPT_NS_IPC, "db.example.org", "example.org");
	build(im);
	return 0;
}

CASE(pidns_standin_ns_0)	/* a process of the root's namespace, in a group left */
{
	pidns(im);
	add_zombie(im, 7, 107, 100, 0);
	im->tasks[7].pgid = 200;
	build(im);
	return 0;
}

CASE(pidns_before_tree)
{
	pidns(im);
	im->pidns_at = PIDNS_BEFORE_TREE;
	build(im);
	return im->pidns_off;
}

CASE(pidns_after_ns)
{
	pidns(im);
	set_ns(im, CKPT_NS_UTS, "web-1", "(none)");
	im->pidns_at = PIDNS_AFTER_NS;
	build(im);
	return im->pidns_off;
}

CASE(pidns_twice)
{
	pidns(im);
	im->pidns_twice = true;
	build(im);
	return im->pidns_again_off;
}

CASE(pidns_len_below_min)
{
	pidns(im);
	build(im);
	put32(im, LEN(im->pidns_off), sizeof(struct ckpt_hdr));
	return LEN(im->pidns_off);
}

CASE(pidns_len_above_max)
{
	pidns(im);
	build(im);
	put32(im, LEN(im->pidns_off), sizeof(struct ckpt_hdr_pidns) + CKPT_TREE_MAX_TASKS *
	      (sizeof(struct ckpt_pidns) + sizeof(struct ckpt_task_pidns) +
	       CKPT_PIDNS_MAX_DEPTH * sizeof(int32_t)) + 1);
	return LEN(im->pidns_off);
}

CASE(pidns_cut)
{
	pidns(im);
	build(im);
	im->len = pidns_pid(im, 3);
	return im->len;
}

CASE(pidns_nr_ns_0)
{
	pidns(im);
	im->nr_pidns = 0;
	build(im);
	return PIDNS(im, nr_ns);
}

CASE(pidns_nr_ns_above_tasks)	/* more namespaces than inits */
{
	pidns(im);
	im->nr_pidns = im->nr_tasks + 1;
	build(im);
	return PIDNS(im, nr_ns);
}

CASE(pidns_nr_pids_above_max)
{
	pidns(im);
	build(im);
	put32(im, PIDNS(im, nr_pids), im->nr_tasks * CKPT_PIDNS_MAX_DEPTH + 1);
	return PIDNS(im, nr_pids);
}

CASE(pidns_nr_pids_len)
{
	pidns(im);
	build(im);
	put32(im, PIDNS(im, nr_pids), 8);
	return LEN(im->pidns_off);
}

CASE(pidns_parent_self)
{
	pidns(im);
	im->pidns_ns[1].parent = 2;
	build(im);
	return PIDNS_NS(im, 2, parent);
}

/* 33 namespaces each below the one before: threads of the shell are their inits */
CASE(pidns_depth_above_max)
{
	uint32_t k;
	int i;

	im->nr_tasks = 40;
	for (i = 2; i < im->nr_tasks; i++) {
		im->tasks[i] = im->tasks[1];
		im->tasks[i].pid = 1000 + i;
	}
	im->pidns = true;
	im->nr_pidns = CKPT_PIDNS_MAX_DEPTH + 1;
	for (k = 0; k < im->nr_pidns; k++)
		im->pidns_ns[k] = (struct ckpt_pidns){ .parent = k, .init = k + 1 };
	build(im);
	return PIDNS_NS(im, CKPT_PIDNS_MAX_DEPTH + 1, parent);
}

CASE(pidns_init_above_max)
{
	pidns(im);
	im->pidns_ns[0].init = im->nr_tasks;
	build(im);
	return PIDNS_NS(im, 1, init);
}

CASE(pidns_next_pid_above_max)
{
	pidns(im);
	im->pidns_ns[1].next_pid = 4 * 1024 * 1024 + 1;
	build(im);
	return PIDNS_NS(im, 2, next_pid);
}

CASE(pidns_pad)
{
	pidns(im);
	im->pidns_ns[0]._pad = 1;
	build(im);
	return PIDNS_NS(im, 1, _pad);
}

CASE(pidns_task_ns_above_max)
{
	pidns(im);
	im->nstask[5].ns = 3;
	build(im);
	return PIDNS_TASK(im, 5, ns);
}

CASE(pidns_children_above_max)
{
	pidns(im);
	im->nstask[0].children = 3;
	build(im);
	return PIDNS_TASK(im, 0, children);
}

CASE(pidns_children_above_ns)	/* cat's children would go to namespace 1 */
{
	pidns(im);
	im->nstask[3].children = 1;
	build(im);
	return PIDNS_TASK(im, 3, children);
}

CASE(pidns_nr_pids_sum)	/* 105 in namespace 2 with one pid below the root's */
{
	pidns(im);
	im->nstask[5].ns = 2;
	im->nstask[5].children = 2;
	build(im);
	return PIDNS(im, nr_pids);
}

CASE(pidns_pid_0)
{
	pidns(im);
	im->nstask[2].pids[0] = 0;
	build(im);
	return pidns_pid(im, 0);
}

CASE(pidns_pid_above_max)
{
	pidns(im);
	im->nstask[6].pids[0] = 4 * 1024 * 1024 + 1;
	build(im);
	return pidns_pid(im, 6);
}

CASE(pidns_thread_ns)	/* cat's thread in namespace 1 */
{
	pidns(im);
	im->nstask[4] = (struct mnstask){ 1, 1, 1, { 3 } };
	build(im);
	return PIDNS_TASK(im, 4, ns);
}

CASE(pidns_thread_ns_0)	/* cat's thread in the root's namespace */
{
	pidns(im);
	im->nstask[4] = (struct mnstask){ 0, 0, 0, { 0 } };
	build(im);
	return PIDNS_TASK(im, 4, ns);
}

CASE(pidns_init_ns)	/* sudo, of namespace 1, the init of 2 */
{
	pidns(im);
	im->pidns_ns[1].init = 2;
	build(im);
	return PIDNS_NS(im, 2, init);
}

CASE(pidns_init_thread)	/* cat's thread the init of namespace 2 */
{
	pidns(im);
	im->pidns_ns[1].init = 4;
	build(im);
	return PIDNS_NS(im, 2, init);
}

CASE(pidns_init_pid_not_1)
{
	pidns(im);
	im->nstask[3].pids[1] = 7;
	build(im);
	return pidns_pid(im, 2);
}

CASE(pidns_init_no_parent)	/* sudo's parent is not saved */
{
	pidns(im);
	im->tasks[2].ppid = 0;
	build(im);
	return PIDNS_NS(im, 1, init);
}

/* Namespace 2 below the root's: its init, cat, a child of sudo of namespace 1 */
CASE(pidns_init_parent_ns)
{
	pidns(im);
	im->pidns_ns[1].parent = 0;
	im->nstask[2].children = 1;
	im->nstask[3] = (struct mnstask){ 2, 2, 1, { 1 } };
	im->nstask[4] = (struct mnstask){ 2, 2, 1, { 2 } };
	build(im);
	return PIDNS_NS(im, 2, init);
}

CASE(pidns_member_before_init)	/* 106, after sudo in the tree, the init of 1 */
{
	pidns(im);
	im->pidns_ns[0].init = 6;
	im->nstask[2].pids[0] = 5;
	im->nstask[6].pids[0] = 1;
	build(im);
	return PIDNS_TASK(im, 2, ns);
}

CASE(pidns_member_no_parent)	/* 106's parent is not saved */
{
	pidns(im);
	im->tasks[6].ppid = 0;
	build(im);
	return PIDNS_TASK(im, 6, ns);
}

CASE(pidns_member_parent_below)	/* 105 of namespace 1, a child of cat of 2 */
{
	pidns(im);
	im->tasks[5].ppid = 103;
	build(im);
	return PIDNS_TASK(im, 5, ns);
}

CASE(pidns_pid_twice)	/* cat's thread has cat's pid in namespace 1 */
{
	pidns(im);
	im->nstask[4].pids[0] = 2;
	build(im);
	return pidns_pid(im, 3);
}

CASE(pidns_pid_1_twice)	/* 105 has pid 1 in namespace 1, as sudo, its init */
{
	pidns(im);
	im->nstask[5].pids[0] = 1;
	build(im);
	return pidns_pid(im, 5);
}

CASE(pidns_pid_1_thread)	/* cat's thread has pid 1 in namespace 2, as cat */
{
	pidns(im);
	im->nstask[4].pids[1] = 1;
	build(im);
	return pidns_pid(im, 4);
}

/*
 * Refused when restoring only, before the tasks are made: a process of
 * a namespace below the root's would need a stand-in leader of its
 * process group (105 in group 200, which no task of the image leads),
 * or of its session (105 in session 200, not that of its parent sudo).
 */
CASE(pidns_standin_group)
{
	pidns(im);
	im->tasks[5].pgid = 200;
	build(im);
	return PIDNS_TASK(im, 5, ns);
}

CASE(pidns_standin_session)
{
	pidns(im);
	im->tasks[5].pgid = 200;
	im->tasks[5].sid = 200;
	build(im);
	return PIDNS_TASK(im, 5, ns);
}

/* ---- the configuration of a network namespace ---- */

/* Offsets in the net record */
#define NET(im, f)	AT((im)->net_off, ckpt_hdr_net, f)
#define NETDEV(im, i, f) \
	((im)->net_off + sizeof(struct ckpt_hdr_net) + \
	 (i) * sizeof(struct ckpt_netdev) + offsetof(struct ckpt_netdev, f))
#define NETADDR(im, i, f) (netaddr_off(im, i) + offsetof(struct ckpt_netaddr, f))
#define NETROUTE(im, i, f) (netroute_off(im, i) + offsetof(struct ckpt_netroute, f))

/* Offset of address @i of the net record, of route @i */
static size_t netaddr_off(const struct img *im, int i)
{
	return im->net_off + sizeof(struct ckpt_hdr_net) +
	       im->nr_netdevs * sizeof(struct ckpt_netdev) + i * sizeof(struct ckpt_netaddr);
}

static size_t netroute_off(const struct img *im, int i)
{
	return netaddr_off(im, im->nr_netaddrs) + i * sizeof(struct ckpt_netroute);
}

/* A device of the network namespace, its hardware address 02:00:00:00:00:@mac */
static struct ckpt_netdev *add_netdev(struct img *im, int32_t ifindex, uint32_t kind,
				      const char *name, uint32_t flags, uint32_t mtu,
				      uint8_t mac)
{
	struct ckpt_netdev *d = &im->netdevs[im->nr_netdevs++];

	memset(d, 0, sizeof(*d));
	d->ifindex = ifindex;
	d->kind = kind;
	d->flags = flags;
	d->mtu = mtu;
	d->addr_len = 6;	/* ETH_ALEN, as lo has too */
	if (mac) {
		d->addr[0] = 2;
		d->addr[5] = mac;
	}
	memcpy(d->name, name, strnlen(name, sizeof(d->name)));
	return d;
}

/* An address of device @ifindex: @ip, 4 or 16 bytes, local and address */
static struct ckpt_netaddr *add_netaddr(struct img *im, int32_t ifindex, uint16_t family,
					const uint8_t *ip, uint8_t prefixlen)
{
	struct ckpt_netaddr *a = &im->netaddrs[im->nr_netaddrs++];
	size_t alen = family == AF_INET_ ? 4 : 16;

	memset(a, 0, sizeof(*a));
	a->ifindex = ifindex;
	a->family = family;
	a->prefixlen = prefixlen;
	memcpy(a->local, ip, alen);
	memcpy(a->address, ip, alen);
	return a;
}

/* A unicast route to @dst/@dst_len through device @oif, added at boot */
static struct ckpt_netroute *add_netroute(struct img *im, uint16_t family,
					  const uint8_t *dst, uint8_t dst_len, int32_t oif)
{
	struct ckpt_netroute *rt = &im->netroutes[im->nr_netroutes++];

	memset(rt, 0, sizeof(*rt));
	rt->family = family;
	rt->dst_len = dst_len;
	rt->protocol = RTPROT_BOOT_;
	rt->type = RTN_UNICAST_;
	rt->oif = oif;
	memcpy(rt->dst, dst, family == AF_INET_ ? 4 : 16);
	return rt;
}

/*
 * The tasks in a network namespace of their own, saved with its devices
 * (CKPT_NET_CONFIG), as a container's: lo (ifindex 1), dummy0 (2) with
 * 10.7.0.1/24 and fd00:7::1/64, a veth pair both ends inside, veth0 (3)
 * and veth1 (4), all up, and a route to 10.9.0.0/16 by way of 10.7.0.2
 * on dummy0.
 *
 *   net record: dev 0 lo, dev 1 dummy0, dev 2 veth0, dev 3 veth1,
 *		 addr 0 10.7.0.1/24, addr 1 fd00:7::1/64, route 0
 */
static void set_net(struct img *im)
{
	static const uint8_t ip4[4] = { 10, 7, 0, 1 }, brd[4] = { 10, 7, 0, 255 };
	static const uint8_t ip6[16] = { 0xfd, 0, 0, 7, [15] = 1 };
	static const uint8_t dst[4] = { 10, 9 }, gw[4] = { 10, 7, 0, 2 };
	struct ckpt_netroute *rt;
	struct ckpt_netaddr *a;

	set_ns(im, CKPT_NS_NET, NULL, NULL);
	im->ns_net = CKPT_NET_CONFIG;
	im->nr_netdevs = 0;
	im->nr_netaddrs = 0;
	im->nr_netroutes = 0;
	add_netdev(im, 1, CKPT_NETDEV_LOOPBACK, "lo", CKPT_NETDEV_UP, 65536, 0);
	add_netdev(im, 2, CKPT_NETDEV_DUMMY, "dummy0", CKPT_NETDEV_UP | CKPT_NETDEV_NOARP,
		   1500, 1);
	add_netdev(im, 3, CKPT_NETDEV_VETH, "veth0", CKPT_NETDEV_UP | CKPT_NETDEV_MULTICAST,
		   1500, 3)->peer_ifindex = 4;
	add_netdev(im, 4, CKPT_NETDEV_VETH, "veth1", CKPT_NETDEV_UP | CKPT_NETDEV_MULTICAST,
		   1500, 4)->peer_ifindex = 3;
	a = add_netaddr(im, 2, AF_INET_, ip4, 24);
	memcpy(a->broadcast, brd, sizeof(brd));
	memcpy(a->label, "dummy0", 6);
	add_netaddr(im, 2, AF_INET6_, ip6, 64);
	rt = add_netroute(im, AF_INET_, dst, 16, 2);
	rt->flags = CKPT_ROUTE_GATEWAY;
	memcpy(rt->gateway, gw, sizeof(gw));
}

/* A third veth, ifindex 5, appended: its peer @peer, or outside named @peer_name */
static struct ckpt_netdev *add_veth2(struct img *im, int32_t peer, const char *peer_name)
{
	struct ckpt_netdev *d = add_netdev(im, 5, CKPT_NETDEV_VETH, "veth2",
					   CKPT_NETDEV_UP, 1500, 5);

	d->peer_ifindex = peer;
	memcpy(d->peer_name, peer_name, strnlen(peer_name, sizeof(d->peer_name)));
	return d;
}

/* Device 1, dummy0, named @name (16 bytes: not NUL terminated) */
static size_t net_dummy_name(struct img *im, const char *name)
{
	set_net(im);
	memset(im->netdevs[1].name, 0, sizeof(im->netdevs[1].name));
	memcpy(im->netdevs[1].name, name, strnlen(name, sizeof(im->netdevs[1].name)));
	build(im);
	return NETDEV(im, 1, name);
}

CASE(net_cfg)
{
	set_net(im);
	build(im);
	return 0;
}

CASE(net_cfg_lo_only)	/* as unshare(2) makes it, lo down, nothing else */
{
	set_net(im);
	im->nr_netdevs = 1;
	im->netdevs[0].flags = 0;
	im->nr_netaddrs = 0;
	im->nr_netroutes = 0;
	build(im);
	return 0;
}

CASE(net_cfg_uts_ipc)	/* with UTS and IPC namespaces of their own */
{
	set_net(im);
	set_ns(im, CKPT_NS_ALL, "web-1", "(none)");
	build(im);
	return 0;
}

CASE(net_cfg_max)	/* CKPT_NET_MAX devices */
{
	int i;

	set_net(im);
	for (i = im->nr_netdevs + 1; i <= CKPT_NET_MAX; i++) {
		char name[16];

		snprintf(name, sizeof(name), "d%d", i);
		add_netdev(im, i, CKPT_NETDEV_DUMMY, name, 0, 1500, i);
	}
	build(im);
	return 0;
}

CASE(net_cfg_limits)	/* names of 15 bytes and of dots, /32 and /128, a blackhole */
{
	static const uint8_t ip4[4] = { 192, 0, 2, 1 }, ip6[16] = { 0xfd, [15] = 9 };
	static const uint8_t none[16] = { 0 };
	struct ckpt_netroute *rt;

	set_net(im);
	memcpy(im->netdevs[1].name, "dummy-123456789", 15);
	memcpy(im->netdevs[3].name, "...", 4);
	add_netaddr(im, 2, AF_INET_, ip4, 32)->scope = RT_SCOPE_HOST_;
	add_netaddr(im, 4, AF_INET6_, ip6, 128)->flags = CKPT_NETADDR_NOPREFIXROUTE;
	rt = add_netroute(im, AF_INET6_, none, 0, 0);
	rt->type = RTN_BLACKHOLE_;
	rt->protocol = RTPROT_STATIC_;
	rt->priority = 1024;
	rt = &im->netroutes[0];
	rt->flags |= CKPT_ROUTE_PREFSRC | CKPT_ROUTE_ONLINK;
	memcpy(rt->prefsrc, ip4, sizeof(ip4));
	rt->scope = RT_SCOPE_LINK_;
	build(im);
	return 0;
}

CASE(net_cfg_lo_up_and_config)	/* not both */
{
	set_net(im);
	im->ns_net |= CKPT_NET_LO_UP;
	build(im);
	return NS(im, net);
}

CASE(net_cfg_flag_4)
{
	set_net(im);
	im->ns_net |= 4;
	build(im);
	return NS(im, net);
}

CASE(net_cfg_no_record)
{
	set_net(im);
	im->no_net = true;
	build(im);
	return AT(im->ns_off + sizeof(struct ckpt_hdr_namespaces), ckpt_hdr, type);
}

CASE(net_cfg_record_without_config)	/* not an object of the root */
{
	set_net(im);
	im->ns_net = CKPT_NET_LO_UP;
	im->net_always = true;
	build(im);
	return im->net_off;
}

CASE(net_cfg_twice)
{
	set_net(im);
	im->net_twice = true;
	build(im);
	return im->net_again_off;
}

CASE(net_cfg_after_pad2)	/* the record is read after the namespaces one is checked */
{
	set_net(im);
	im->netdevs[1].kind = 0;
	build(im);
	im->buf[NS(im, _pad2) + 1] = 1;
	return NS(im, _pad2) + 1;
}

CASE(net_cfg_len_below_min)
{
	set_net(im);
	build(im);
	put32(im, LEN(im->net_off), sizeof(struct ckpt_hdr_net) - 8);
	return LEN(im->net_off);
}

CASE(net_cfg_len_above_max)
{
	set_net(im);
	build(im);
	put32(im, LEN(im->net_off), CKPT_RECORD_MAX + 8);
	return LEN(im->net_off);
}

CASE(net_cfg_cut)
{
	set_net(im);
	build(im);
	im->len = NETDEV(im, 2, name);
	return im->len;
}

CASE(net_cfg_nr_devs_above_max)	/* as many as the record holds */
{
	int i;

	set_net(im);
	for (i = im->nr_netdevs + 1; i <= CKPT_NET_MAX + 1; i++) {
		char name[16];

		snprintf(name, sizeof(name), "d%d", i);
		add_netdev(im, i, CKPT_NETDEV_DUMMY, name, 0, 1500, i);
	}
	build(im);
	return NET(im, nr_devs);
}

CASE(net_cfg_nr_addrs_above_max)
{
	set_net(im);
	build(im);
	put32(im, NET(im, nr_addrs), CKPT_NET_MAX + 1);
	return NET(im, nr_addrs);
}

CASE(net_cfg_nr_routes_huge)	/* ... not wrapped around */
{
	set_net(im);
	build(im);
	put32(im, NET(im, nr_routes), 0xffffffff);
	return NET(im, nr_routes);
}

CASE(net_cfg_len_counts)	/* the record holds 2 addresses, not 3 */
{
	set_net(im);
	build(im);
	put32(im, NET(im, nr_addrs), 3);
	return LEN(im->net_off);
}

CASE(net_cfg_pad)
{
	set_net(im);
	build(im);
	im->buf[NET(im, _pad) + 2] = 0x10;
	return NET(im, _pad) + 2;
}

CASE(net_cfg_no_lo)
{
	set_net(im);
	memmove(&im->netdevs[0], &im->netdevs[1], 3 * sizeof(im->netdevs[0]));
	im->nr_netdevs = 3;
	build(im);
	return NET(im, nr_devs);
}

CASE(net_cfg_no_lo_before_devs)	/* ... said before the devices are checked */
{
	set_net(im);
	im->netdevs[0].ifindex = 5;
	im->netdevs[0].kind = 0;
	build(im);
	return NET(im, nr_devs);
}

CASE(net_cfg_lo_ifindex_2)	/* the loopback device is 1, and 1 the loopback device */
{
	set_net(im);
	im->netdevs[0].ifindex = 2;
	im->netdevs[1].ifindex = 1;
	build(im);
	return NETDEV(im, 0, kind);
}

CASE(net_cfg_dummy_ifindex_1)
{
	set_net(im);
	im->netdevs[0].kind = CKPT_NETDEV_DUMMY;
	build(im);
	return NETDEV(im, 0, kind);
}

CASE(net_cfg_ifindex_twice)
{
	set_net(im);
	add_netdev(im, 2, CKPT_NETDEV_DUMMY, "dummy1", 0, 1500, 2);
	build(im);
	return NETDEV(im, 4, ifindex);
}

CASE(net_cfg_ifindex_0)
{
	set_net(im);
	add_netdev(im, 0, CKPT_NETDEV_DUMMY, "dummy1", 0, 1500, 2);
	build(im);
	return NETDEV(im, 4, ifindex);
}

CASE(net_cfg_ifindex_negative)
{
	set_net(im);
	add_netdev(im, -2, CKPT_NETDEV_DUMMY, "dummy1", 0, 1500, 2);
	build(im);
	return NETDEV(im, 4, ifindex);
}

CASE(net_cfg_ifindex_high)	/* no room above it for restart's spare ifindexes */
{
	set_net(im);
	add_netdev(im, INT32_MAX - CKPT_NET_MAX + 1, CKPT_NETDEV_DUMMY, "dummy1", 0,
		   1500, 2);
	build(im);
	return NETDEV(im, 4, ifindex);
}

CASE(net_cfg_ifindex_highest)	/* ... the highest that leaves it */
{
	set_net(im);
	add_netdev(im, INT32_MAX - CKPT_NET_MAX, CKPT_NETDEV_DUMMY, "dummy1", 0,
		   1500, 2);
	build(im);
	return 0;
}

CASE(net_cfg_kind_0)
{
	set_net(im);
	im->netdevs[1].kind = 0;
	build(im);
	return NETDEV(im, 1, kind);
}

CASE(net_cfg_kind_4)
{
	set_net(im);
	im->netdevs[1].kind = CKPT_NETDEV_VETH + 1;
	build(im);
	return NETDEV(im, 1, kind);
}

CASE(net_cfg_dev_flag_unknown)
{
	set_net(im);
	im->netdevs[1].flags |= CKPT_NETDEV_ALL + 1;
	build(im);
	return NETDEV(im, 1, flags);
}

CASE(net_cfg_dev_peer_flag_unknown)	/* ... of any device */
{
	set_net(im);
	im->netdevs[1].peer_flags = 0x80000000;
	build(im);
	return NETDEV(im, 1, peer_flags);
}

CASE(net_cfg_addr_len_9)
{
	set_net(im);
	im->netdevs[1].addr_len = CKPT_NETDEV_ADDR_LEN + 1;
	build(im);
	return NETDEV(im, 1, addr_len);
}

CASE(net_cfg_addr_past_len)	/* bytes past addr_len are zero */
{
	set_net(im);
	im->netdevs[1].addr[6] = 1;
	build(im);
	return NETDEV(im, 1, addr) + 6;
}

CASE(net_cfg_name_no_nul)
{
	return net_dummy_name(im, "dummy0123456789x");
}

CASE(net_cfg_name_slash)
{
	return net_dummy_name(im, "a/b");
}

CASE(net_cfg_name_colon)
{
	return net_dummy_name(im, "dummy0:1");
}

CASE(net_cfg_name_space)
{
	return net_dummy_name(im, "dummy 0");
}

CASE(net_cfg_name_nbsp)		/* the kernel's isspace() takes Latin-1's no-break space */
{
	return net_dummy_name(im, "dummy\2400");
}

CASE(net_cfg_name_percent)	/* a pattern rtnetlink would make a name of */
{
	return net_dummy_name(im, "dummy%d");
}

CASE(net_cfg_name_empty)
{
	return net_dummy_name(im, "");
}

CASE(net_cfg_name_dot)
{
	return net_dummy_name(im, ".");
}

CASE(net_cfg_name_dotdot)
{
	return net_dummy_name(im, "..");
}

CASE(net_cfg_veth_peer_dummy)
{
	set_net(im);
	im->netdevs[2].peer_ifindex = 2;
	build(im);
	return NETDEV(im, 2, peer_ifindex);
}

CASE(net_cfg_veth_peer_not_back)	/* veth2 names veth1, which names veth0 */
{
	set_net(im);
	add_veth2(im, 4, "");
	build(im);
	return NETDEV(im, 4, peer_ifindex);
}

CASE(net_cfg_veth_peer_self)
{
	set_net(im);
	im->netdevs[2].peer_ifindex = 3;
	build(im);
	return NETDEV(im, 2, peer_ifindex);
}

CASE(net_cfg_veth_peer_missing)
{
	set_net(im);
	im->netdevs[2].peer_ifindex = 9;
	build(im);
	return NETDEV(im, 2, peer_ifindex);
}

CASE(net_cfg_veth_addr_len_differs)	/* the two ends have addresses of one length */
{
	set_net(im);
	im->netdevs[3].addr_len = 8;
	build(im);
	return NETDEV(im, 2, peer_ifindex);
}

CASE(net_cfg_veth_inside_peer_mtu)	/* the peer's fields are of a peer outside */
{
	set_net(im);
	im->netdevs[2].peer_mtu = 1500;
	build(im);
	return NETDEV(im, 2, peer_mtu);
}

CASE(net_cfg_veth_outside_no_name)
{
	set_net(im);
	add_veth2(im, 0, "");
	build(im);
	return NETDEV(im, 4, peer_name);
}

CASE(net_cfg_veth_outside_bad_name)
{
	set_net(im);
	add_veth2(im, 0, "host:0");
	build(im);
	return NETDEV(im, 4, peer_name);
}

CASE(net_cfg_veth_outside_peer_addr)	/* bytes past addr_len are zero */
{
	set_net(im);
	add_veth2(im, 0, "host0")->peer_addr[6] = 0xee;
	build(im);
	return NETDEV(im, 4, peer_addr) + 6;
}

CASE(net_cfg_dummy_peer)
{
	set_net(im);
	im->netdevs[1].peer_ifindex = 3;
	build(im);
	return NETDEV(im, 1, peer_ifindex);
}

CASE(net_cfg_dummy_peer_flags)
{
	set_net(im);
	im->netdevs[1].peer_flags = CKPT_NETDEV_UP;
	build(im);
	return NETDEV(im, 1, peer_flags);
}

CASE(net_cfg_dummy_peer_addr)
{
	set_net(im);
	im->netdevs[1].peer_addr[7] = 1;
	build(im);
	return NETDEV(im, 1, peer_addr) + 7;
}

CASE(net_cfg_dummy_peer_name)
{
	set_net(im);
	memcpy(im->netdevs[1].peer_name, "host0", 5);
	build(im);
	return NETDEV(im, 1, peer_name);
}

CASE(net_cfg_devs_before_addrs)
{
	set_net(im);
	memcpy(im->netdevs[1].name, "a/b", 4);
	im->netaddrs[0].family = 3;
	build(im);
	return NETDEV(im, 1, name);
}

CASE(net_cfg_addr_dev_unknown)
{
	set_net(im);
	im->netaddrs[0].ifindex = 9;
	build(im);
	return NETADDR(im, 0, ifindex);
}

CASE(net_cfg_addr_family_3)
{
	set_net(im);
	im->netaddrs[0].family = 3;
	build(im);
	return NETADDR(im, 0, family);
}

CASE(net_cfg_addr4_prefix_33)
{
	set_net(im);
	im->netaddrs[0].prefixlen = 33;
	build(im);
	return NETADDR(im, 0, prefixlen);
}

CASE(net_cfg_addr6_prefix_129)
{
	set_net(im);
	im->netaddrs[1].prefixlen = 129;
	build(im);
	return NETADDR(im, 1, prefixlen);
}

CASE(net_cfg_addr_flag_unknown)
{
	set_net(im);
	im->netaddrs[0].flags = 0x01;	/* IFA_F_SECONDARY */
	build(im);
	return NETADDR(im, 0, flags);
}

CASE(net_cfg_addr4_local_past_4)
{
	set_net(im);
	im->netaddrs[0].local[4] = 1;
	build(im);
	return NETADDR(im, 0, local) + 4;
}

CASE(net_cfg_addr4_address_past_4)
{
	set_net(im);
	im->netaddrs[0].address[15] = 1;
	build(im);
	return NETADDR(im, 0, address) + 15;
}

CASE(net_cfg_addr4_label_no_nul)
{
	set_net(im);
	memset(im->netaddrs[0].label, 'l', sizeof(im->netaddrs[0].label));
	build(im);
	return NETADDR(im, 0, label);
}

CASE(net_cfg_addr6_address_differs)	/* an IPv6 address has no peer */
{
	set_net(im);
	im->netaddrs[1].address[15] = 2;
	build(im);
	return NETADDR(im, 1, address) + 15;
}

CASE(net_cfg_addr6_scope)
{
	set_net(im);
	im->netaddrs[1].scope = RT_SCOPE_LINK_;
	build(im);
	return NETADDR(im, 1, scope);
}

CASE(net_cfg_addr6_broadcast)
{
	set_net(im);
	im->netaddrs[1].broadcast[3] = 255;
	build(im);
	return NETADDR(im, 1, broadcast) + 3;
}

CASE(net_cfg_addr6_label)
{
	set_net(im);
	memcpy(im->netaddrs[1].label, "dummy0", 6);
	build(im);
	return NETADDR(im, 1, label);
}

CASE(net_cfg_addr_pad)
{
	set_net(im);
	build(im);
	im->buf[NETADDR(im, 0, _pad) + 1] = 1;
	return NETADDR(im, 0, _pad) + 1;
}

CASE(net_cfg_addr_pad2)
{
	set_net(im);
	build(im);
	im->buf[NETADDR(im, 0, _pad2) + 3] = 0x80;
	return NETADDR(im, 0, _pad2) + 3;
}

CASE(net_cfg_addrs_before_routes)
{
	set_net(im);
	im->netaddrs[1].family = 0;
	im->netroutes[0].family = 0;
	build(im);
	return NETADDR(im, 1, family);
}

CASE(net_cfg_route_family_0)
{
	set_net(im);
	im->netroutes[0].family = 0;
	build(im);
	return NETROUTE(im, 0, family);
}

CASE(net_cfg_route4_dst_len_33)
{
	set_net(im);
	im->netroutes[0].dst_len = 33;
	build(im);
	return NETROUTE(im, 0, dst_len);
}

CASE(net_cfg_route6_dst_len_129)	/* to fd00:9::/129 by way of fd00:7::2 */
{
	static const uint8_t dst[16] = { 0xfd, 0, 0, 9 };
	static const uint8_t gw[16] = { 0xfd, 0, 0, 7, [15] = 2 };
	struct ckpt_netroute *rt;

	set_net(im);
	rt = add_netroute(im, AF_INET6_, dst, 129, 2);
	rt->flags = CKPT_ROUTE_GATEWAY;
	memcpy(rt->gateway, gw, sizeof(gw));
	build(im);
	return NETROUTE(im, 1, dst_len);
}

CASE(net_cfg_route_proto_kernel)	/* made again with what made it */
{
	set_net(im);
	im->netroutes[0].protocol = RTPROT_KERNEL_;
	build(im);
	return NETROUTE(im, 0, protocol);
}

CASE(net_cfg_route_type_local)
{
	set_net(im);
	im->netroutes[0].type = RTN_LOCAL_;
	build(im);
	return NETROUTE(im, 0, type);
}

CASE(net_cfg_route_type_0)
{
	set_net(im);
	im->netroutes[0].type = 0;
	build(im);
	return NETROUTE(im, 0, type);
}

CASE(net_cfg_route_oif_unknown)
{
	set_net(im);
	im->netroutes[0].oif = 9;
	build(im);
	return NETROUTE(im, 0, oif);
}

CASE(net_cfg_route_gateway_no_flag)
{
	set_net(im);
	im->netroutes[0].flags = 0;
	build(im);
	return NETROUTE(im, 0, gateway);
}

CASE(net_cfg_route_prefsrc_no_flag)
{
	set_net(im);
	im->netroutes[0].prefsrc[3] = 1;
	build(im);
	return NETROUTE(im, 0, prefsrc) + 3;
}

CASE(net_cfg_route_flag_unknown)
{
	set_net(im);
	im->netroutes[0].flags |= CKPT_ROUTE_ALL + 1;
	build(im);
	return NETROUTE(im, 0, flags);
}

CASE(net_cfg_route4_dst_past_4)
{
	set_net(im);
	im->netroutes[0].dst[4] = 1;
	build(im);
	return NETROUTE(im, 0, dst) + 4;
}

CASE(net_cfg_route4_gateway_past_4)
{
	set_net(im);
	im->netroutes[0].gateway[15] = 1;
	build(im);
	return NETROUTE(im, 0, gateway) + 15;
}

CASE(net_cfg_route_pad)
{
	set_net(im);
	build(im);
	im->buf[NETROUTE(im, 0, _pad)] = 1;
	return NETROUTE(im, 0, _pad);
}

CASE(net_cfg_route_pad2)
{
	set_net(im);
	build(im);
	im->buf[NETROUTE(im, 0, _pad2) + 1] = 1;
	return NETROUTE(im, 0, _pad2) + 1;
}

/* ---- registers ---- */

CASE(regs_missing)
{
	build(im);
	put32(im, AT(im->regs_off[1], ckpt_hdr, type), CKPT_HDR_X86_XSTATE);
	return AT(im->regs_off[1], ckpt_hdr, type);
}

CASE(regs_len_below_min)
{
	build(im);
	put32(im, LEN(im->regs_off[1]), sizeof(struct ckpt_hdr_x86_regs) - 8);
	return LEN(im->regs_off[1]);
}

CASE(regs_len_above_max)
{
	build(im);
	put32(im, LEN(im->regs_off[1]), sizeof(struct ckpt_hdr_x86_regs) + 1);
	return LEN(im->regs_off[1]);
}

CASE(regs_cs)
{
	build(im);
	put64(im, REGS(im, 0, cs), 0x23);
	return REGS(im, 0, cs);
}

CASE(regs_ss)
{
	build(im);
	put64(im, REGS(im, 2, ss), 0x2b + (1ULL << 32));
	return REGS(im, 2, ss);
}

CASE(regs_fs)
{
	build(im);
	put64(im, REGS(im, 3, fs), 0x63);
	return REGS(im, 3, fs);
}

CASE(regs_ip)
{
	build(im);
	put64(im, REGS(im, 4, ip), 0x7ffffffff000ULL);
	return REGS(im, 4, ip);
}

CASE(regs_gs_base)
{
	build(im);
	put64(im, REGS(im, 4, gs_base), 0xffffffff81000000ULL);
	return REGS(im, 4, gs_base);
}

CASE(regs_flags)
{
	build(im);
	put64(im, REGS(im, 1, flags), 0x20246);	/* VM */
	return REGS(im, 1, flags);
}

CASE(regs_flags_all)
{
	build(im);
	put64(im, REGS(im, 1, flags), 0x250fd7);
	return 0;
}

CASE(regs_orig_ax_max)
{
	build(im);
	put64(im, REGS(im, 1, orig_ax), 464);
	return 0;
}

CASE(regs_orig_ax_above_max)
{
	build(im);
	put64(im, REGS(im, 1, orig_ax), 465);
	return REGS(im, 1, orig_ax);
}

CASE(regs_orig_ax_negative)
{
	build(im);
	put64(im, REGS(im, 1, orig_ax), -2);
	return REGS(im, 1, orig_ax);
}

CASE(xstate_missing)
{
	build(im);
	put32(im, AT(im->xstate_off[2], ckpt_hdr, type), CKPT_HDR_TASK);
	return AT(im->xstate_off[2], ckpt_hdr, type);
}

CASE(xstate_len_below_min)
{
	build(im);
	put32(im, LEN(im->xstate_off[2]), 16);
	return LEN(im->xstate_off[2]);
}

CASE(xstate_len_above_max)
{
	build(im);
	put32(im, LEN(im->xstate_off[2]),
	      sizeof(struct ckpt_hdr_x86_xstate) + CKPT_X86_XSTATE_MAX + 1);
	return LEN(im->xstate_off[2]);
}

CASE(xstate_size)
{
	build(im);
	put32(im, XS(im, 2, size), xstate_size - 64);
	return LEN(im->xstate_off[2]);
}

CASE(xstate_too_small)
{
	build(im);
	put32(im, XS(im, 4, size), 512);
	put32(im, LEN(im->xstate_off[4]), sizeof(struct ckpt_hdr_x86_xstate) + 512);
	memset(im->buf + XSAVE(im, 4) + 512, 0, 320);
	return XS(im, 4, size);
}

CASE(xstate_bv)
{
	build(im);
	put64(im, XSAVE(im, 0) + 512, 0xe6);
	return XSAVE(im, 0) + 512;
}

CASE(xstate_xcomp_bv)
{
	build(im);
	put64(im, XSAVE(im, 0) + 520, 1ULL << 63);
	return XSAVE(im, 0) + 520;
}

CASE(xstate_reserved)
{
	build(im);
	im->buf[XSAVE(im, 3) + 575] = 1;
	return XSAVE(im, 3) + 575;
}

CASE(xstate_pad)
{
	build(im);
	im->buf[XS(im, 1, _pad)] = 1;
	return XS(im, 1, _pad);
}

CASE(xstate_cut)
{
	build(im);
	im->len = XSAVE(im, 1) + 100;
	return im->len;
}

/* ---- signals ---- */

CASE(signals_default)	/* nothing handled, blocked or pending, no altstack */
{
	int i;

	memset(im->sigs, 0, sizeof(im->sigs));
	for (i = 0; i < im->nr_tasks; i++) {
		memset(&im->tasks[i].ts, 0, sizeof(im->tasks[i].ts));
		im->tasks[i].ts.ss_flags = SS_DISABLE_;
	}
	build(im);
	return 0;
}

CASE(sighand_limits)	/* the restorer and mask are not checked */
{
	struct ckpt_sigaction *a = im->sigs[2].action;

	a[CKPT_NSIG - 1].handler = TASK_SIZE_MAX - 1;
	a[X86_SIGUSR2 - 1].flags = SA_KNOWN;
	a[X86_SIGKILL - 1].restorer = 0xffffffffffffffffULL;
	a[X86_SIGKILL - 1].mask = 0xffffffffffffffffULL;
	a[X86_SIGSTOP - 1].mask = SIGBIT(X86_SIGSTOP);
	a[X86_SIGRTMIN - 1].handler = 1;
	build(im);
	return 0;
}

CASE(sighand_len_below_min)
{
	build(im);
	put32(im, LEN(im->sighand_off[1]), sizeof(struct ckpt_hdr_sighand) - 8);
	return LEN(im->sighand_off[1]);
}

CASE(sighand_len_above_max)	/* E2BIG, by the framing, not EINVAL */
{
	build(im);
	put32(im, LEN(im->sighand_off[1]), sizeof(struct ckpt_hdr_sighand) + 8);
	return LEN(im->sighand_off[1]);
}

CASE(sighand_flags)	/* SA_IMMUTABLE is the kernel's own */
{
	im->sigs[0].action[X86_SIGUSR1 - 1].flags |= 0x00800000;
	build(im);
	return SA(im, 0, X86_SIGUSR1, flags);
}

CASE(sighand_flags_high)
{
	im->sigs[1].action[X86_SIGHUP - 1].flags |= 1ULL << 32;
	build(im);
	return SA(im, 1, X86_SIGHUP, flags);
}

CASE(sighand_handler)
{
	im->sigs[0].action[X86_SIGINT - 1].handler = TASK_SIZE_MAX;
	build(im);
	return SA(im, 0, X86_SIGINT, handler);
}

CASE(sighand_flags_before_handler)
{
	im->sigs[0].action[X86_SIGINT - 1].handler = 0xffffffff81000000ULL;
	im->sigs[0].action[X86_SIGINT - 1].flags |= 0x8;
	build(im);
	return SA(im, 0, X86_SIGINT, flags);
}

CASE(sighand_first_signal)	/* signal by signal */
{
	im->sigs[0].action[CKPT_NSIG - 1].flags = 0x100;
	im->sigs[0].action[X86_SIGQUIT - 1].handler = TASK_SIZE_MAX;
	build(im);
	return SA(im, 0, X86_SIGQUIT, handler);
}

CASE(sighand_sigkill_handler)
{
	im->sigs[2].action[X86_SIGKILL - 1].handler = 1;
	build(im);
	return SA(im, 2, X86_SIGKILL, handler);
}

CASE(sighand_sigstop_flags)
{
	im->sigs[1].action[X86_SIGSTOP - 1].flags = SA_RESTART_;
	build(im);
	return SA(im, 1, X86_SIGSTOP, flags);
}

CASE(signal_len_below_min)
{
	build(im);
	put32(im, LEN(im->signal_off[1]), sizeof(struct ckpt_hdr_signal) - 8);
	return LEN(im->signal_off[1]);
}

CASE(signal_len_above_max)
{
	build(im);
	put32(im, LEN(im->signal_off[1]), sizeof(struct ckpt_hdr_signal) +
	      (CKPT_PENDING_MAX + 1) * CKPT_SIGINFO_SIZE);
	return LEN(im->signal_off[1]);
}

CASE(signal_nr_pending_above_max)
{
	build(im);
	put32(im, SIGNAL(im, 0, nr_pending), CKPT_PENDING_MAX + 1);
	return SIGNAL(im, 0, nr_pending);
}

CASE(signal_len)
{
	build(im);
	put32(im, SIGNAL(im, 0, nr_pending), 0);
	return LEN(im->signal_off[0]);
}

CASE(signal_checkpoint_sigkill)
{
	build(im);
	put32(im, SIGNAL(im, 2, checkpoint_signal), 9);
	return SIGNAL(im, 2, checkpoint_signal);
}

CASE(signal_checkpoint_negative)
{
	build(im);
	put32(im, SIGNAL(im, 1, checkpoint_signal), -1);
	return SIGNAL(im, 1, checkpoint_signal);
}

CASE(signal_checkpoint_65)
{
	build(im);
	put32(im, SIGNAL(im, 0, checkpoint_signal), 65);
	return SIGNAL(im, 0, checkpoint_signal);
}

CASE(signal_it_real_value)
{
	im->sigs[0].it_real_value = -1;
	build(im);
	return SIGNAL(im, 0, it_real_value);
}

CASE(signal_it_virt_value)
{
	im->sigs[1].it_virt_value = -2;
	build(im);
	return SIGNAL(im, 1, it_virt_value);
}

CASE(signal_it_prof_interval)
{
	im->sigs[0].it_prof_interval = -1;
	build(im);
	return SIGNAL(im, 0, it_prof_interval);
}

CASE(signal_it_prof_too_far)
{
	im->sigs[1].it_prof_value = INT64_MAX / 2 + 1;
	build(im);
	return SIGNAL(im, 1, it_prof_value);
}

CASE(signal_it_real_interval)
{
	im->sigs[1].it_real_interval = INT64_MIN;
	build(im);
	return SIGNAL(im, 1, it_real_interval);
}

CASE(signal_siginfo_padding)
{
	build(im);
	im->buf[SIGNAL_SI(im, 0, 0) + CKPT_SIGINFO_SIZE - 1] = 1;
	return SIGNAL_SI(im, 0, 0) + CKPT_SIGINFO_SIZE - 1;
}

CASE(signal_siginfo_fields_end)	/* the last byte of a kernel_siginfo_t */
{
	build(im);
	im->buf[SIGNAL_SI(im, 0, 0) + KSIGINFO_SIZE - 1] = 1;
	return 0;
}

CASE(signal_signo_0)
{
	im->sigs[0].pending.signo = 0;
	build(im);
	return SIGNAL_SI(im, 0, 0);
}

CASE(signal_signo_65)
{
	im->sigs[0].pending.signo = 65;
	build(im);
	return SIGNAL_SI(im, 0, 0);
}

CASE(signal_signo_negative)
{
	im->sigs[0].pending.signo = -1;
	build(im);
	return SIGNAL_SI(im, 0, 0);
}

CASE(signal_padding_before_signo)
{
	im->sigs[1].nr_pending = 3;
	im->sigs[1].pending = (struct msiginfo){ X86_SIGTERM, SI_TKILL_, 1, 0, 0, 0 };
	build(im);
	put32(im, SIGNAL_SI(im, 1, 1), 0);
	im->buf[SIGNAL_SI(im, 1, 1) + 100] = 0x80;
	return SIGNAL_SI(im, 1, 1) + 100;
}

CASE(pending_max)
{
	im->sigs[1].nr_pending = CKPT_PENDING_MAX;
	im->sigs[1].pending = (struct msiginfo){ X86_SIGRTMIN, SI_QUEUE_, 100, 1000, 7, 0 };
	im->tasks[4].ts.nr_pending = CKPT_PENDING_MAX;
	im->tasks[4].ts.pending = (struct msiginfo){ CKPT_NSIG, SI_TKILL_, 103, 1001, 0, 0 };
	build(im);
	return 0;
}

CASE(task_signals_missing)
{
	build(im);
	put32(im, AT(im->tsig_off[2], ckpt_hdr, type), CKPT_HDR_TASK);
	return AT(im->tsig_off[2], ckpt_hdr, type);
}

CASE(task_signals_len_below_min)
{
	build(im);
	put32(im, LEN(im->tsig_off[2]), sizeof(struct ckpt_hdr_task_signals) - 8);
	return LEN(im->tsig_off[2]);
}

CASE(task_signals_len_above_max)
{
	build(im);
	put32(im, LEN(im->tsig_off[2]), sizeof(struct ckpt_hdr_task_signals) +
	      (CKPT_PENDING_MAX + 1) * CKPT_SIGINFO_SIZE);
	return LEN(im->tsig_off[2]);
}

CASE(task_signals_cut)
{
	build(im);
	im->len = TSIG_SI(im, 1, 0) + 60;
	return im->len;
}

CASE(task_signals_restore_mask)	/* in sigsuspend() */
{
	im->tasks[2].ts.flags = CKPT_SIGNALS_RESTORE_MASK;
	im->tasks[2].ts.saved_sigmask = SIGBIT(X86_SIGINT);
	im->tasks[2].ts.blocked = ~SIGBIT(X86_SIGCHLD);
	build(im);
	return 0;
}

CASE(task_signals_flags)
{
	build(im);
	put32(im, TSIG(im, 2, flags), CKPT_SIGNALS_RESTORE_MASK |
	      (CKPT_SIGNALS_FLAGS_ALL + 1));
	return TSIG(im, 2, flags);
}

/*
 * Job control: cat (103) stopped by SIGTSTP, not reported yet, with its
 * thread; sudo (102) stopped by SIGSTOP, reported; the shell stopping.
 */
CASE(task_signals_stopped)
{
	im->tasks[3].ts.flags = CKPT_SIGNALS_STOPPED;
	im->tasks[3].ts.stop_code = X86_SIGTSTP;
	im->tasks[2].ts.flags = CKPT_SIGNALS_STOPPED |
				CKPT_SIGNALS_STOP_REPORTED;
	im->tasks[2].ts.stop_code = X86_SIGSTOP;
	im->tasks[0].ts.flags = CKPT_SIGNALS_STOPPING;
	im->tasks[0].ts.stop_code = X86_SIGSTOP;
	build(im);
	return 0;
}

CASE(task_signals_stopping_reported)
{
	im->tasks[3].ts.flags = CKPT_SIGNALS_STOPPING |
				CKPT_SIGNALS_STOP_REPORTED;
	im->tasks[3].ts.stop_code = X86_SIGSTOP;
	build(im);
	return TSIG(im, 3, flags);
}

CASE(task_signals_stopped_without_code)
{
	im->tasks[2].ts.flags = CKPT_SIGNALS_STOPPED |
				CKPT_SIGNALS_STOP_REPORTED;
	build(im);
	return TSIG(im, 2, stop_code);
}

CASE(task_signals_stopped_thread)
{
	im->tasks[4].ts.flags = CKPT_SIGNALS_STOPPED;
	im->tasks[4].ts.stop_code = X86_SIGSTOP;
	build(im);
	return TSIG(im, 4, flags);
}

CASE(task_signals_stopped_and_stopping)
{
	im->tasks[3].ts.flags = CKPT_SIGNALS_STOPPED | CKPT_SIGNALS_STOPPING;
	im->tasks[3].ts.stop_code = X86_SIGSTOP;
	build(im);
	return TSIG(im, 3, flags);
}

CASE(task_signals_stopping_without_code)
{
	im->tasks[3].ts.flags = CKPT_SIGNALS_STOPPING;
	build(im);
	return TSIG(im, 3, stop_code);
}

CASE(task_signals_stop_code_not_stop)
{
	im->tasks[3].ts.flags = CKPT_SIGNALS_STOPPED;
	im->tasks[3].ts.stop_code = X86_SIGINT;
	build(im);
	return TSIG(im, 3, stop_code);
}

CASE(task_signals_stop_code_65)
{
	im->tasks[3].ts.flags = CKPT_SIGNALS_STOPPING;
	im->tasks[3].ts.stop_code = CKPT_NSIG + 1;
	build(im);
	return TSIG(im, 3, stop_code);
}

CASE(task_signals_saved_sigmask)
{
	im->tasks[3].ts.saved_sigmask = SIGBIT(X86_SIGINT);
	build(im);
	return TSIG(im, 3, saved_sigmask);
}

CASE(task_signals_nr_pending_above_max)
{
	build(im);
	put32(im, TSIG(im, 1, nr_pending), CKPT_PENDING_MAX + 1);
	return TSIG(im, 1, nr_pending);
}

CASE(task_signals_len)
{
	build(im);
	put32(im, TSIG(im, 1, nr_pending), 2);
	return LEN(im->tsig_off[1]);
}

CASE(task_signals_stop_code_without_stop)	/* _pad before 1.29 */
{
	im->tasks[4].ts.stop_code = X86_SIGSTOP;
	build(im);
	return TSIG(im, 4, stop_code);
}

CASE(task_signals_siginfo_padding)
{
	build(im);
	im->buf[TSIG_SI(im, 1, 0) + KSIGINFO_SIZE] = 1;
	return TSIG_SI(im, 1, 0) + KSIGINFO_SIZE;
}

CASE(task_signals_signo_0)
{
	im->tasks[1].ts.pending.signo = 0;
	build(im);
	return TSIG_SI(im, 1, 0);
}

CASE(task_signals_signo_65)
{
	im->tasks[1].ts.pending.signo = CKPT_NSIG + 1;
	build(im);
	return TSIG_SI(im, 1, 0);
}

CASE(altstack_limits)
{
	im->tasks[3].ts.ss_flags = 0;
	im->tasks[3].ts.ss_size = MINSIGSTKSZ_;
	im->tasks[3].ts.ss_sp = TASK_SIZE_MAX - MINSIGSTKSZ_;
	build(im);
	return 0;
}

CASE(altstack_disabled_sp)
{
	im->tasks[2].ts.ss_sp = 0x7f0000100000ULL;
	build(im);
	return TSIG(im, 2, altstack_sp);
}

CASE(altstack_disabled_size)
{
	im->tasks[2].ts.ss_size = 0x4000;
	build(im);
	return TSIG(im, 2, altstack_size);
}

CASE(altstack_flags)	/* SS_ONSTACK is a state, not a flag to restore */
{
	im->tasks[0].ts.ss_flags |= 1;
	build(im);
	return TSIG(im, 0, altstack_flags);
}

CASE(altstack_size_above_max)
{
	im->tasks[0].ts.ss_size = TASK_SIZE_MAX + 1;
	build(im);
	return TSIG(im, 0, altstack_size);
}

CASE(altstack_sp_above_max)
{
	im->tasks[0].ts.ss_sp = TASK_SIZE_MAX - 0x4000;
	build(im);
	return TSIG(im, 0, altstack_sp);
}

CASE(altstack_size_below_min)
{
	im->tasks[0].ts.ss_size = MINSIGSTKSZ_ - 1;
	build(im);
	return TSIG(im, 0, altstack_size);
}

CASE(altstack_none_not_disabled)	/* no altstack is SS_DISABLE, not 0 */
{
	im->tasks[4].ts.ss_flags = 0;
	build(im);
	return TSIG(im, 4, altstack_size);
}

CASE(sighand_ref_0)
{
	build(im);
	put32(im, TASK(im, 0, sighand_ref), 0);
	return TASK(im, 0, sighand_ref);
}

CASE(sighand_ref_later)
{
	build(im);
	put32(im, TASK(im, 2, sighand_ref), im->sighand_ref[2]);
	return TASK(im, 2, sighand_ref);
}

CASE(sighand_ref_signal)
{
	build(im);
	put32(im, TASK(im, 2, sighand_ref), im->signal_ref[1]);
	return TASK(im, 2, sighand_ref);
}

CASE(signal_ref_0)
{
	build(im);
	put32(im, TASK(im, 3, signal_ref), 0);
	return TASK(im, 3, signal_ref);
}

CASE(signal_ref_sighand)
{
	build(im);
	put32(im, TASK(im, 3, signal_ref), im->sighand_ref[2]);
	return TASK(im, 3, signal_ref);
}

CASE(signal_ref_mm)
{
	build(im);
	put32(im, TASK(im, 4, signal_ref), im->mm_ref[2]);
	return TASK(im, 4, signal_ref);
}

CASE(signal_ref_unknown)
{
	build(im);
	put32(im, TASK(im, 1, signal_ref), 0xffffffff);
	return TASK(im, 1, signal_ref);
}

CASE(mm_ref_before_sighand_ref)
{
	build(im);
	put32(im, TASK(im, 2, sighand_ref), 0);
	put32(im, TASK(im, 2, mm_ref), 0);
	return TASK(im, 2, mm_ref);
}

CASE(signal_ref_before_thread_mm)
{
	build(im);
	put32(im, TASK(im, 4, mm_ref), im->mm_ref[0]);
	put32(im, TASK(im, 4, signal_ref), 0);
	return TASK(im, 4, signal_ref);
}

CASE(signal_ref_before_cred_ref)
{
	build(im);
	put32(im, TASK(im, 2, cred_ref), 0);
	put32(im, TASK(im, 2, signal_ref), 0);
	return TASK(im, 2, signal_ref);
}

/* ---- files ---- */

CASE(files_empty)	/* sudo closed all its descriptors */
{
	im->tables[1].nr_fds = 0;
	build(im);
	return 0;
}

CASE(files_max)	/* all but fd 0 the same file */
{
	static struct mfd fds[CKPT_FILES_MAX];
	int i;

	for (i = 0; i < CKPT_FILES_MAX; i++)
		fds[i] = (struct mfd){ i, i % 3 ? 0 : CKPT_FD_CLOEXEC, i ? 8 : 7 };
	im->tables[2] = (struct mtable){ CKPT_FILES_MAX, fds };
	build(im);
	return 0;
}

CASE(thread_own_files)	/* unshare(CLONE_FILES | CLONE_FS) in a thread */
{
	im->nr_tables = 4;
	im->tables[3] = (struct mtable){ 6, im->tables[0].fds };
	im->nr_fss = 4;
	im->fss[3] = (struct mfs){ 027, "/tmp", "/" };
	im->tasks[1].files = 3;
	im->tasks[1].fs = 3;
	build(im);
	return 0;
}

CASE(process_shares_files)	/* clone(CLONE_FILES | CLONE_FS), no CLONE_THREAD */
{
	im->tasks[3].files = 0;
	im->tasks[3].fs = 0;
	im->tasks[4].files = 0;
	im->tasks[4].fs = 0;
	build(im);
	return 0;
}

CASE(file_flags_known)
{
	im->files[1].f_flags = O_KNOWN;
	build(im);
	return 0;
}

CASE(file_inherit_mode)	/* the type of an inherited file is not checked */
{
	im->files[0].mode = 0140777;
	build(im);
	return 0;
}

CASE(fs_chroot)
{
	im->fss[2] = (struct mfs){ 022, "/srv/jail/data", "/srv/jail" };
	build(im);
	return 0;
}

CASE(file_len_below_min)
{
	build(im);
	put32(im, LEN(im->file_off[1]), sizeof(struct ckpt_hdr_file) - 8);
	return LEN(im->file_off[1]);
}

CASE(file_len_above_max)
{
	build(im);
	put32(im, LEN(im->file_off[1]), sizeof(struct ckpt_hdr_file) +
	      CKPT_EPOLL_MAX_ITEMS * sizeof(struct ckpt_epoll_item) + 1);
	return LEN(im->file_off[1]);
}

CASE(file_objref)
{
	build(im);
	put32(im, FREC(im, 2, h.objref), 6);
	return FREC(im, 2, h.objref);
}

CASE(file_truncated)
{
	build(im);
	im->len = FPATH(im, 4) + 3;
	return im->len;
}

CASE(file_kind_0)
{
	im->files[2].kind = 0;
	build(im);
	return FREC(im, 2, kind);
}

CASE(file_kind_17)
{
	im->files[9].kind = CKPT_FILE_INOTIFY + 1;
	build(im);
	return FREC(im, 9, kind);
}

CASE(file_f_flags)	/* open(2) keeps O_CREAT out of f_flags */
{
	im->files[4].f_flags |= O_CREAT_;
	build(im);
	return FREC(im, 4, f_flags);
}

CASE(file_f_flags_high)
{
	im->files[0].f_flags |= 1U << 31;
	build(im);
	return FREC(im, 0, f_flags);
}

CASE(file_pos_negative)
{
	im->files[2].pos = INT64_MIN;
	build(im);
	return FREC(im, 2, pos);
}

CASE(file_len)
{
	build(im);
	put32(im, FREC(im, 1, path_len), 22);
	return LEN(im->file_off[1]);
}

CASE(file_inherit_path)	/* an inherited file has no path */
{
	im->files[1].kind = CKPT_FILE_INHERIT;
	build(im);
	return FREC(im, 1, path_len);
}

CASE(file_no_path)
{
	im->files[3].path = "";
	build(im);
	return FREC(im, 3, path_len);
}

CASE(file_path_relative)
{
	im->files[8].path = "r\\xc3\\xa9sum\\xc3\\xa9.txt";
	build(im);
	return FPATH(im, 8);
}

CASE(file_path_nul)
{
	build(im);
	im->buf[FPATH(im, 1) + 10] = 0;
	return FPATH(im, 1) + 10;
}

CASE(file_path_no_nul)
{
	build(im);
	im->buf[FPATH(im, 6) + 9] = 'x';
	return FPATH(im, 6) + 9;
}

CASE(file_mode_reg)
{
	im->files[1].mode = S_IFDIR_ | 0755;
	build(im);
	return FREC(im, 1, mode);
}

CASE(file_mode_dir)
{
	im->files[5].mode = S_IFREG_ | 0750;
	build(im);
	return FREC(im, 5, mode);
}

CASE(file_mode_chr)	/* a block device */
{
	im->files[10].mode = S_IFBLK_ | 0660;
	build(im);
	return FREC(im, 10, mode);
}

CASE(file_rdev)	/* only a reopened character device has one */
{
	im->files[0].rdev = DEV(136, 3);
	build(im);
	return FREC(im, 0, rdev);
}

CASE(file_pipe_ref)	/* only a pipe end has one */
{
	build(im);
	put32(im, FREC(im, 3, pipe_ref), 1 << 16);
	return FREC(im, 3, pipe_ref);
}

CASE(file_path_before_mode)
{
	im->files[1].path = "notes";
	im->files[1].mode = S_IFDIR_ | 0755;
	build(im);
	return FPATH(im, 1);
}

/*
 * Pipes: cat's standard input (file 7) is the read end of pipe 0, whose
 * record comes just before it.
 */
#define PIPE(im, p, fld) AT((im)->pipe_off[p], ckpt_hdr_pipe, fld)
#define PIPE_DATA(im, p) ((im)->pipe_off[p] + sizeof(struct ckpt_hdr_pipe))

/* A second end of pipe 0, file 11, at fd 8 of sudo (@cat false) or cat */
static void pipe_second_end(struct img *im, uint32_t f_flags, bool cat)
{
	static const struct mfd sudo_fds[] = {
		{ 0, 0, 0 }, { 1, 0, 0 }, { 2, 0, 0 }, { 3, CKPT_FD_CLOEXEC, 4 },
		{ 4, CKPT_FD_CLOEXEC, 5 }, { 5, 0, 6 }, { 7, 0, 4 }, { 8, 0, 11 },
	}, cat_fds[] = {
		{ 0, 0, 7 }, { 1, 0, 0 }, { 2, 0, 0 }, { 3, 0, 8 },
		{ 4, CKPT_FD_CLOEXEC, 9 }, { 5, 0, 10 }, { 6, 0, 8 }, { 8, 0, 11 },
	};

	im->files[11] = im->files[7];
	im->files[11].f_flags = f_flags;
	im->nr_files = 12;
	if (cat)
		im->tables[2] = (struct mtable){ ARRAY_SIZE(cat_fds), cat_fds };
	else
		im->tables[1] = (struct mtable){ ARRAY_SIZE(sudo_fds), sudo_fds };
	im->pipes[0].ends = CKPT_PIPE_READER | CKPT_PIPE_WRITER;
}

CASE(pipe_both_ends)	/* sudo writes to cat: the pipe comes with sudo's end */
{
	pipe_second_end(im, O_WRONLY_, false);
	build(im);
	return 0;
}

CASE(pipe_one_process)	/* both ends in cat */
{
	pipe_second_end(im, O_WRONLY_ | O_NONBLOCK_, true);
	build(im);
	return 0;
}

CASE(pipe_writer_only)	/* the reader exited */
{
	im->files[7].f_flags = O_WRONLY_;
	im->pipes[0].ends = CKPT_PIPE_WRITER;
	build(im);
	return 0;
}

CASE(pipe_empty)
{
	im->pipes[0].nr_bytes = 0;
	im->pipes[0].size = 4096;
	build(im);
	return 0;
}

CASE(pipe_nonblock)
{
	im->files[7].f_flags |= O_NONBLOCK_;
	build(im);
	return 0;
}

CASE(pipe_max_size)	/* full */
{
	im->pipes[0].size = CKPT_PIPE_MAX_SIZE;
	im->pipes[0].nr_bytes = CKPT_PIPE_MAX_SIZE;
	im->pipes[0].data = NULL;
	build(im);
	return 0;
}

CASE(pipe_len_above_max)
{
	build(im);
	put32(im, LEN(im->pipe_off[0]),
	      sizeof(struct ckpt_hdr_pipe) + CKPT_PIPE_MAX_SIZE + 1);
	return LEN(im->pipe_off[0]);
}

CASE(pipe_truncated)
{
	build(im);
	im->len = PIPE_DATA(im, 0) + 5;
	return im->len;
}

CASE(pipe_objref)
{
	build(im);
	put32(im, PIPE(im, 0, h.objref), 25);
	return PIPE(im, 0, h.objref);
}

CASE(pipe_size_unaligned)
{
	im->pipes[0].size = 65536 + 512;
	build(im);
	return PIPE(im, 0, size);
}

CASE(pipe_size_small)
{
	im->pipes[0].size = 2048;
	build(im);
	return PIPE(im, 0, size);
}

CASE(pipe_size_0)
{
	im->pipes[0].size = 0;
	im->pipes[0].nr_bytes = 0;
	build(im);
	return PIPE(im, 0, size);
}

CASE(pipe_size_big)
{
	im->pipes[0].size = 2 * CKPT_PIPE_MAX_SIZE;
	build(im);
	return PIPE(im, 0, size);
}

CASE(pipe_nr_bytes_above_size)
{
	im->pipes[0].size = 4096;
	im->pipes[0].nr_bytes = 4097;
	im->pipes[0].data = NULL;
	build(im);
	return PIPE(im, 0, nr_bytes);
}

CASE(pipe_len)
{
	build(im);
	put32(im, PIPE(im, 0, nr_bytes), im->pipes[0].nr_bytes - 1);
	return LEN(im->pipe_off[0]);
}

CASE(pipe_ends_0)
{
	im->pipes[0].ends = 0;
	build(im);
	return PIPE(im, 0, ends);
}

CASE(pipe_ends_unknown)
{
	im->pipes[0].ends = CKPT_PIPE_READER | 4;
	build(im);
	return PIPE(im, 0, ends);
}

CASE(pipe_pad)
{
	build(im);
	im->buf[PIPE(im, 0, _pad) + 3] = 1;
	return PIPE(im, 0, _pad) + 3;
}

CASE(pipe_end_rdwr)
{
	im->files[7].f_flags = O_RDWR_;
	build(im);
	return FREC(im, 7, f_flags);
}

CASE(pipe_end_flags)	/* known to files, not to pipe ends */
{
	im->files[7].f_flags |= O_LARGEFILE_;
	build(im);
	return FREC(im, 7, f_flags);
}

CASE(pipe_end_twice)
{
	pipe_second_end(im, O_RDONLY_, true);
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(pipe_end_closed)	/* the write end of a pipe whose writer exited */
{
	pipe_second_end(im, O_WRONLY_, false);
	im->pipes[0].ends = CKPT_PIPE_READER;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(pipe_ref_0)
{
	build(im);
	put32(im, FREC(im, 7, pipe_ref), 0);
	return FREC(im, 7, pipe_ref);
}

CASE(pipe_ref_undefined)	/* the file itself */
{
	build(im);
	put32(im, FREC(im, 7, pipe_ref), im->file_ref[7]);
	return FREC(im, 7, pipe_ref);
}

CASE(pipe_ref_signal)
{
	build(im);
	put32(im, FREC(im, 7, pipe_ref), im->signal_ref[2]);
	return FREC(im, 7, pipe_ref);
}

CASE(pipe_ref_file)	/* a file, not its pipe */
{
	pipe_second_end(im, O_WRONLY_, true);
	build(im);
	put32(im, FREC(im, 11, pipe_ref), im->file_ref[7]);
	return FREC(im, 11, pipe_ref);
}

CASE(pipe_ref_inherit)	/* of a file that is no pipe */
{
	build(im);
	put32(im, FREC(im, 0, pipe_ref), 1);
	return FREC(im, 0, pipe_ref);
}

CASE(pipe_file_path)
{
	im->files[7].path = "/run/fifo";
	build(im);
	return FREC(im, 7, path_len);
}

CASE(pipe_file_mode)
{
	im->files[7].mode = S_IFREG_ | 0600;
	build(im);
	return FREC(im, 7, mode);
}

CASE(pipe_file_rdev)
{
	im->files[7].rdev = DEV(1, 3);
	build(im);
	return FREC(im, 7, rdev);
}

CASE(pipe_mode_before_ref)
{
	im->files[7].mode = S_IFCHR_ | 0600;
	build(im);
	put32(im, FREC(im, 7, pipe_ref), 0);
	return FREC(im, 7, mode);
}

CASE(pipe_ref_before_flags)
{
	im->files[7].f_flags = O_RDWR_;
	build(im);
	put32(im, FREC(im, 7, pipe_ref), im->file_ref[7]);
	return FREC(im, 7, pipe_ref);
}

/*
 * Sockets: files whose record holds a struct ckpt_socket, and the pairs
 * of connected unix sockets, each an object before the first of its ends.
 */
#define SOCK(im, f, fld) AT(FPATH(im, f), ckpt_socket, fld)
#define UPAIR(im, u, fld) AT((im)->upair_off[u], ckpt_hdr_unix_pair, fld)
#define UEND(im, u, i, fld) UEND_AT((im)->upair_off[u], i, fld)

/* Give table @t descriptor @fd, above its others, for file @f */
static void add_fd(struct img *im, int t, int32_t fd, int f)
{
	struct mtable *tb = &im->tables[t];
	struct mfd *fds = im->fd_copy[t];

	if (tb->nr_fds >= MAX_FDS) {
		fprintf(stderr, "mkimage: too many descriptors\n");
		exit(1);
	}
	if (tb->fds != fds) {
		memcpy(fds, tb->fds, tb->nr_fds * sizeof(*fds));
		tb->fds = fds;
	}
	fds[tb->nr_fds++] = (struct mfd){ fd, 0, f };
}

/* A socket, open at descriptor @fd of table @t: its index in img.files */
static int add_sock(struct img *im, int t, int32_t fd, const struct ckpt_socket *s)
{
	int f = im->nr_files++, k = im->nr_socks++;

	if (f >= MAX_FILES || k >= MAX_SOCKS) {
		fprintf(stderr, "mkimage: too many sockets\n");
		exit(1);
	}
	im->socks[k] = *s;
	/* sockfs: 0:8, the inode a number of its own */
	im->files[f] = (struct mfile){ CKPT_FILE_SOCKET, O_RDWR_, 0, S_IFSOCK_ | 0777, 0,
				       48000 + k, DEV(0, 8), NULL, 0, k + 1, 0, 0 };
	add_fd(im, t, fd, f);
	return f;
}

/* A socket as socket(2) makes it, in @state, with the options it has */
static struct ckpt_socket msock(uint16_t family, uint16_t type, uint16_t protocol,
				uint16_t state)
{
	struct ckpt_socket s = {
		.family = family, .type = type, .protocol = protocol, .state = state,
		.rcvlowat = 1,
	};

	return s;
}

/* An end of unix pair @u (an index in img.upairs) */
static struct ckpt_socket msock_pair(const struct img *im, int u, uint32_t end)
{
	struct ckpt_socket s = msock(AF_UNIX_, im->upairs[u].type, 0, CKPT_SOCK_PAIR);

	s.pair_ref = u + 1;
	s.end = end;
	return s;
}

/* struct sockaddr_in, as getsockname(2) gives it: its length */
static uint32_t sa_in(uint8_t *a, uint32_t ip, uint16_t port)
{
	memset(a, 0, 16);
	a[0] = AF_INET_;
	a[2] = port >> 8;
	a[3] = port;
	a[4] = ip >> 24;
	a[5] = ip >> 16;
	a[6] = ip >> 8;
	a[7] = ip;
	return 16;
}

/* struct sockaddr_in6, of @ip in network byte order */
static uint32_t sa_in6(uint8_t *a, const char *ip, uint16_t port)
{
	memset(a, 0, 28);
	a[0] = AF_INET6_;
	a[2] = port >> 8;
	a[3] = port;
	memcpy(a + 8, ip, 16);
	return 28;
}

/* struct sockaddr_un of a path, NUL included, or of an abstract name */
static uint32_t sa_un(uint8_t *a, const char *name, bool abstract)
{
	size_t n = strlen(name);

	a[0] = AF_UNIX_;
	a[1] = 0;
	a[2] = 0;
	memcpy(a + 2 + abstract, name, n);
	return 2 + n + 1;
}

static const char in6_any[16], in6_loopback[16] = { [15] = 1 };
static const char in6_dns[16] = "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x35";

/* What cat and sudo say to each other: a stream pair, each end with data */
static void upair_stream(struct img *im, int u)
{
	im->upairs[u] = (struct mupair){ SOCK_STREAM_, CKPT_UNIX_END0 | CKPT_UNIX_END1, {
		{ 0, 0, 0, 5, NULL, "ping\n", 0, NULL, NULL },
		{ 0, 0, 0, 11, NULL, "pong\n\0pong\n", 0, NULL, NULL },
	} };
}

/*
 * The sockets most cases damage, files 11 to 16: sudo has end 0 of a
 * stream pair whose end 1 cat has, a listening TCP socket and a
 * connected UDP one; cat also has a datagram socket that sends to
 * /dev/log, and a TCP connection whose peer was not saved.
 *
 *   objects: ..., unix_pair 18, file 19 (end 0), file 20, file 21,
 *	      files 22, ..., file 33 (end 1), file 34, file 35, files 36, ...
 */
static void sockets(struct img *im)
{
	struct ckpt_socket s;

	im->nr_upairs = 1;
	upair_stream(im, 0);
	s = msock_pair(im, 0, 0);
	add_sock(im, 1, 8, &s);
	s = msock(AF_INET_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_LISTEN);
	s.opts = CKPT_SO_REUSEADDR;
	s.backlog = 4096;
	s.addr_len = sa_in(s.addr, 0, 8080);
	add_sock(im, 1, 9, &s);
	s = msock(AF_INET_, SOCK_DGRAM_, IPPROTO_UDP_, CKPT_SOCK_BOUND);
	s.addr_len = sa_in(s.addr, 0xc0a80117, 40000);
	s.peer_len = sa_in(s.peer, 0x0a000035, 53);
	add_sock(im, 1, 10, &s);
	s = msock_pair(im, 0, 1);
	add_sock(im, 2, 8, &s);
	s = msock(AF_UNIX_, SOCK_DGRAM_, 0, CKPT_SOCK_BOUND);
	s.peer_len = sa_un(s.peer, "/dev/log", false);
	add_sock(im, 2, 9, &s);
	s = msock(AF_INET6_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_RESET);
	s.opts = CKPT_SO_KEEPALIVE | CKPT_SO_TCP_NODELAY;
	add_sock(im, 2, 10, &s);
}

CASE(sock_unix_stream_pair)	/* data queued both ways, between two processes */
{
	sockets(im);
	build(im);
	return 0;
}

CASE(sock_unix_dgram_pair)	/* both ends in sh, messages of 0 bytes too */
{
	static const uint32_t msgs0[] = { 5, 0, 3 }, msgs1[] = { 0 };
	struct ckpt_socket s;

	im->nr_upairs = 1;
	im->upairs[0] = (struct mupair){ SOCK_DGRAM_, CKPT_UNIX_END0 | CKPT_UNIX_END1, {
		{ 0, 0, 3, 8, msgs0, "hellobye", 0, NULL, NULL },
		{ 0, 0, 1, 0, msgs1, NULL, 0, NULL, NULL },
	} };
	s = msock_pair(im, 0, 0);
	s.opts = CKPT_SO_PASSCRED | CKPT_SO_SNDBUF;
	s.sndbuf = 425984;
	add_sock(im, 0, 11, &s);
	s = msock_pair(im, 0, 1);
	im->files[add_sock(im, 0, 12, &s)].f_flags |= O_NONBLOCK_;
	build(im);
	return 0;
}

CASE(sock_unix_seqpacket_pair)	/* end 0 shut down for writing */
{
	static const uint32_t msgs1[] = { 4, 6 };
	struct ckpt_socket s;

	im->nr_upairs = 1;
	im->upairs[0] = (struct mupair){ SOCK_SEQPACKET_, CKPT_UNIX_END0 | CKPT_UNIX_END1, {
		{ CKPT_SHUT_WR, 0, 0, 0, NULL, NULL, 0, NULL, NULL },
		{ CKPT_SHUT_RD, 0, 2, 10, msgs1, "quitreload", 0, NULL, NULL },
	} };
	s = msock_pair(im, 0, 1);
	add_sock(im, 1, 8, &s);
	s = msock_pair(im, 0, 0);
	add_sock(im, 2, 8, &s);
	build(im);
	return 0;
}

CASE(sock_unix_pair_closed)	/* end 1 closed with data unread: a reset */
{
	struct ckpt_socket s;

	im->nr_upairs = 1;
	im->upairs[0] = (struct mupair){ SOCK_STREAM_, CKPT_UNIX_END0, {
		{ CKPT_SHUT_RD | CKPT_SHUT_WR, ECONNRESET_, 0, 4, NULL, "bye\n", 0, NULL, NULL },
	} };
	s = msock_pair(im, 0, 0);
	add_sock(im, 2, 8, &s);
	build(im);
	return 0;
}

CASE(sock_unix_pair_max)	/* as many messages and bytes as a pair holds */
{
	struct ckpt_socket s;

	im->nr_upairs = 1;
	im->upairs[0] = (struct mupair){ SOCK_DGRAM_, CKPT_UNIX_END0 | CKPT_UNIX_END1, {
		{ 0, 0, CKPT_UNIX_MAX_MSGS, CKPT_UNIX_MAX_BYTES, NULL, NULL, 0, NULL, NULL },
		{ 0, 0, CKPT_UNIX_MAX_MSGS, 0, NULL, NULL, 0, NULL, NULL },
	} };
	s = msock_pair(im, 0, 0);
	add_sock(im, 2, 8, &s);
	s = msock_pair(im, 0, 1);
	add_sock(im, 2, 9, &s);
	build(im);
	return 0;
}

/*
 * Descriptors in flight (SCM_RIGHTS), as ckpt_unix_pair_checkpoint()
 * saves them: the runs, descriptor counts and objrefs of an end, at
 * uend_at(im, u, i, UA_*, j) in its pair record, as emit_upair() lays
 * them out from the model
 */
enum { UA_MSGS, UA_NFDS, UA_REFS, UA_DATA };

static size_t uend_at(const struct img *im, int u, int i, int a, uint32_t j)
{
	const struct mend *e = &im->upairs[u].end[i];
	size_t d = im->upair_off[u] + sizeof(struct ckpt_hdr_unix_pair);

	if (i)
		d += mend_len(&im->upairs[u].end[0]);
	if (a > UA_MSGS)
		d += e->nr_msgs * sizeof(uint32_t);
	if (a > UA_NFDS && e->nr_fds)
		d += e->nr_msgs * sizeof(uint32_t);
	if (a > UA_REFS)
		d += e->nr_fds * sizeof(uint32_t);
	return d + (a == UA_DATA ? j : j * sizeof(uint32_t));
}

/* File @f, open at descriptor @fd of table @t: its index in img.files */
static int add_mfile(struct img *im, int t, int32_t fd, const struct mfile *f)
{
	int k = im->nr_files++;

	if (k >= MAX_FILES) {
		fprintf(stderr, "mkimage: too many files\n");
		exit(1);
	}
	im->files[k] = *f;
	add_fd(im, t, fd, k);
	return k;
}

/*
 * sockets(), and files in flight as unix_rights.c leaves them.  cat's
 * end 1 of the stream pair has "pong\n\0" then "pong\n", which brought
 * the file cat reads (8): two runs.  sh has a datagram pair, files 17
 * and 18, whose end 1 has "hello" with the write end of a pipe (20) and
 * /dev/null (3), a message of 0 bytes, and "bye" with sh's history (1).
 * sh has both ends of that pipe, at fds 13 (19) and 14: a pipe with an
 * end only in flight would be inherited, which checkpoint(2) refuses.
 * The files in flight are written before their pair:
 *
 *   objects: ..., pipe 9, file 10 (its write end), unix_pair 11 (the
 *	      datagrams), file 12 (end 0), file 13, file 14 (the read
 *	      end), ..., file 24 (cat's file 8), unix_pair 25 (the
 *	      stream), file 26 (end 0), ...
 */
static void rights(struct img *im)
{
	static const uint32_t runs[] = { 6, 5 }, run_fds[] = { 0, 1 };
	static const uint32_t msgs[] = { 5, 0, 3 }, msg_fds[] = { 2, 0, 1 };
	static const int run_files[] = { 8 };
	/* the ends of the pipe */
	struct mfile rd = { CKPT_FILE_PIPE, O_RDONLY_, 0, S_IFIFO_ | 0600, 0, 81240,
			    DEV(0, 13), NULL, 2, 0, 0, 0 }, wr = rd;
	static int files[3];
	struct ckpt_socket s;
	struct mend *e;

	sockets(im);
	e = &im->upairs[0].end[1];
	e->nr_msgs = 2;
	e->msgs = runs;
	e->nr_fds = 1;
	e->msg_fds = run_fds;
	e->files = run_files;

	im->nr_upairs = 2;
	im->upairs[1] = (struct mupair){ SOCK_DGRAM_, CKPT_UNIX_END0 | CKPT_UNIX_END1, {
		{ 0, 0, 1, 2, NULL, "ok", 0, NULL, NULL },
		{ 0, 0, 3, 8, msgs, "hellobye", 3, msg_fds, files },
	} };
	s = msock_pair(im, 1, 0);
	add_sock(im, 0, 11, &s);
	s = msock_pair(im, 1, 1);
	add_sock(im, 0, 12, &s);
	im->nr_pipes = 2;
	im->pipes[1] = (struct mpipe){ 65536, CKPT_PIPE_READER | CKPT_PIPE_WRITER, 3, "abc" };
	add_mfile(im, 0, 13, &rd);
	wr.f_flags = O_WRONLY_;
	files[0] = add_mfile(im, 0, 14, &wr);
	files[1] = 3;
	files[2] = 1;
}

CASE(sock_unix_rights)	/* a datagram and a stream with files in flight */
{
	rights(im);
	build(im);
	return 0;
}

CASE(sock_unix_rights_max)	/* as many descriptors in flight as an end holds */
{
	static uint32_t msg_fds0[CKPT_UNIX_MAX_FDS], msg_fds1[17];
	static int files[CKPT_UNIX_MAX_FDS];
	struct ckpt_socket s;
	uint32_t j;

	for (j = 0; j < CKPT_UNIX_MAX_FDS; j++) {
		msg_fds0[j] = 1;
		files[j] = j % 2 ? 3 : 8;
	}
	/* SCM_MAX_FD each but the last */
	for (j = 0; j < 17; j++)
		msg_fds1[j] = j < 16 ? CKPT_UNIX_MAX_MSG_FDS :
			      CKPT_UNIX_MAX_FDS - 16 * CKPT_UNIX_MAX_MSG_FDS;
	im->nr_upairs = 1;
	im->upairs[0] = (struct mupair){ SOCK_SEQPACKET_, CKPT_UNIX_END0 | CKPT_UNIX_END1, {
		{ 0, 0, CKPT_UNIX_MAX_FDS, 0, NULL, NULL, CKPT_UNIX_MAX_FDS, msg_fds0, files },
		{ 0, 0, 17, 170, NULL, NULL, CKPT_UNIX_MAX_FDS, msg_fds1, files },
	} };
	s = msock_pair(im, 0, 0);
	add_sock(im, 2, 8, &s);
	s = msock_pair(im, 0, 1);
	add_sock(im, 2, 9, &s);
	build(im);
	return 0;
}

CASE(sock_fresh)	/* neither bound nor connected, options set */
{
	struct ckpt_socket s;

	s = msock(AF_INET_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_FRESH);
	s.opts = CKPT_SO_REUSEADDR | CKPT_SO_TCP_NODELAY | CKPT_SO_RCVBUF;
	s.rcvbuf = 131072;
	s.rcvtimeo_us = 2500000;
	add_sock(im, 1, 8, &s);
	s = msock(AF_INET6_, SOCK_DGRAM_, IPPROTO_UDP_, CKPT_SOCK_FRESH);
	s.opts = CKPT_SO_V6ONLY | CKPT_SO_BROADCAST;
	add_sock(im, 1, 9, &s);
	s = msock(AF_UNIX_, SOCK_SEQPACKET_, 0, CKPT_SOCK_FRESH);
	s.sndtimeo_us = 100000;
	add_sock(im, 1, 10, &s);
	build(im);
	return 0;
}

CASE(sock_bound_inet)	/* UDP bound, and connected: its default destination */
{
	struct ckpt_socket s;

	s = msock(AF_INET_, SOCK_DGRAM_, IPPROTO_UDP_, CKPT_SOCK_BOUND);
	s.addr_len = sa_in(s.addr, 0x7f000001, 5353);
	add_sock(im, 1, 8, &s);
	s = msock(AF_INET_, SOCK_DGRAM_, IPPROTO_UDP_, CKPT_SOCK_BOUND);
	s.addr_len = sa_in(s.addr, 0xc0a80117, 40000);
	s.peer_len = sa_in(s.peer, 0x0a000035, 53);
	add_sock(im, 1, 9, &s);
	s = msock(AF_INET6_, SOCK_DGRAM_, IPPROTO_UDP_, CKPT_SOCK_BOUND);
	s.opts = CKPT_SO_V6ONLY;
	s.addr_len = sa_in6(s.addr, in6_loopback, 123);
	s.peer_len = sa_in6(s.peer, in6_dns, 53);
	add_sock(im, 1, 10, &s);
	s = msock(AF_INET_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_BOUND);
	s.addr_len = sa_in(s.addr, 0, 2222);
	add_sock(im, 1, 11, &s);
	build(im);
	return 0;
}

CASE(sock_unix_dgram_peer)	/* sends to /dev/log, bound to nothing */
{
	struct ckpt_socket s;

	s = msock(AF_UNIX_, SOCK_DGRAM_, 0, CKPT_SOCK_BOUND);
	s.peer_len = sa_un(s.peer, "/dev/log", false);
	add_sock(im, 2, 8, &s);
	s = msock(AF_UNIX_, SOCK_DGRAM_, 0, CKPT_SOCK_BOUND);
	s.addr_len = sa_un(s.addr, "client-1", true);
	s.peer_len = sa_un(s.peer, "server", true);
	add_sock(im, 2, 9, &s);
	build(im);
	return 0;
}

CASE(sock_listen)
{
	struct ckpt_socket s;

	s = msock(AF_INET_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_LISTEN);
	s.opts = CKPT_SO_REUSEADDR | CKPT_SO_REUSEPORT;
	s.backlog = 4096;
	s.addr_len = sa_in(s.addr, 0, 8080);
	add_sock(im, 1, 8, &s);
	s = msock(AF_INET6_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_LISTEN);
	s.opts = CKPT_SO_V6ONLY;
	s.backlog = 0;
	s.addr_len = sa_in6(s.addr, in6_any, 443);
	add_sock(im, 1, 9, &s);
	s = msock(AF_UNIX_, SOCK_STREAM_, 0, CKPT_SOCK_LISTEN);
	s.backlog = 128;
	s.addr_len = sa_un(s.addr, "/tmp/.X11-unix/X0", true);
	add_sock(im, 1, 10, &s);
	s = msock(AF_UNIX_, SOCK_SEQPACKET_, 0, CKPT_SOCK_LISTEN);
	s.backlog = 16;
	s.addr_len = sa_un(s.addr, "\x01\xff", true);
	add_sock(im, 1, 11, &s);
	build(im);
	return 0;
}

CASE(sock_reset)	/* connections whose peers were not saved */
{
	struct ckpt_socket s;

	s = msock(AF_INET_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_RESET);
	s.opts = CKPT_SO_KEEPALIVE | CKPT_SO_LINGER;
	s.linger = 30;
	add_sock(im, 0, 11, &s);
	s = msock(AF_INET6_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_RESET);
	add_sock(im, 0, 12, &s);
	s = msock(AF_UNIX_, SOCK_STREAM_, 0, CKPT_SOCK_RESET);
	add_sock(im, 0, 13, &s);
	s = msock(AF_UNIX_, SOCK_DGRAM_, 0, CKPT_SOCK_RESET);
	add_sock(im, 0, 14, &s);
	build(im);
	return 0;
}

CASE(sock_limits)	/* every option, the largest values restart(2) takes */
{
	struct ckpt_socket s;

	s = msock(AF_INET6_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_LISTEN);
	s.opts = CKPT_SO_ALL;
	s.sndbuf = INT32_MAX;
	s.rcvbuf = 1;
	s.rcvlowat = INT32_MAX;
	s.linger = INT32_MAX;
	s.backlog = INT32_MAX;
	s.rcvtimeo_us = UINT64_MAX;
	s.sndtimeo_us = UINT64_MAX;
	s.addr_len = sa_in6(s.addr, in6_any, 65535);
	add_sock(im, 1, 8, &s);
	s = msock(AF_UNIX_, SOCK_DGRAM_, 0, CKPT_SOCK_BOUND);
	s.addr_len = SOCKADDR_UN_LEN;
	s.peer_len = SOCKADDR_UN_LEN;
	s.addr[0] = AF_UNIX_;
	s.peer[0] = AF_UNIX_;
	memset(s.addr + 3, 'a', SOCKADDR_UN_LEN - 3);
	memset(s.peer + 3, 0xff, SOCKADDR_UN_LEN - 3);
	add_sock(im, 1, 9, &s);
	s = msock(AF_UNIX_, SOCK_DGRAM_, 0, CKPT_SOCK_BOUND);
	s.addr_len = sa_un(s.addr, "0001f", true);	/* autobind's name */
	add_sock(im, 1, 10, &s);
	build(im);
	return 0;
}

CASE(sock_nonblock)
{
	sockets(im);
	im->files[12].f_flags |= O_NONBLOCK_;
	build(im);
	return 0;
}

CASE(sock_append_noatime)	/* what fcntl(F_SETFL) gives a socket */
{
	sockets(im);
	im->files[12].f_flags |= O_APPEND_ | O_NOATIME_;
	im->files[15].f_flags |= O_APPEND_ | O_NONBLOCK_;
	build(im);
	return 0;
}

CASE(sock_linger_forever)	/* SO_LINGER with a negative time, and with 0 */
{
	sockets(im);
	im->socks[5].opts |= CKPT_SO_LINGER;
	im->socks[5].linger = CKPT_SO_LINGER_FOREVER;
	im->socks[1].opts |= CKPT_SO_LINGER;
	build(im);
	return 0;
}

CASE(sock_addr_min)	/* the shortest addresses of each family */
{
	struct ckpt_socket s;

	s = msock(AF_INET6_, SOCK_DGRAM_, IPPROTO_UDP_, CKPT_SOCK_BOUND);
	s.addr_len = sa_in6(s.addr, in6_loopback, 123) - 4;	/* SIN6_LEN_RFC2133 */
	s.peer_len = sa_in6(s.peer, in6_dns, 53) - 4;
	add_sock(im, 1, 8, &s);
	s = msock(AF_UNIX_, SOCK_DGRAM_, 0, CKPT_SOCK_BOUND);
	s.addr_len = sa_un(s.addr, "", true);	/* the empty abstract name */
	s.peer_len = sa_un(s.peer, "", true);
	add_sock(im, 1, 9, &s);
	build(im);
	return 0;
}

/* restore_check_sock() */
CASE(sock_path_len)
{
	sockets(im);
	build(im);
	put32(im, FREC(im, 12, path_len), sizeof(struct ckpt_socket) - 8);
	return FREC(im, 12, path_len);
}

CASE(sock_len)	/* the record ends before its socket does */
{
	sockets(im);
	build(im);
	put32(im, LEN(im->file_off[12]), get32(im, LEN(im->file_off[12])) - 8);
	return LEN(im->file_off[12]);
}

CASE(sock_mode)
{
	sockets(im);
	im->files[12].mode = S_IFIFO_ | 0600;
	build(im);
	return FREC(im, 12, mode);
}

CASE(sock_mode_0)
{
	sockets(im);
	im->files[12].mode = 0;
	build(im);
	return FREC(im, 12, mode);
}

CASE(sock_rdev)
{
	sockets(im);
	im->files[12].rdev = DEV(1, 3);
	build(im);
	return FREC(im, 12, rdev);
}

CASE(sock_pipe_ref)
{
	sockets(im);
	build(im);
	put32(im, FREC(im, 12, pipe_ref), 1);
	return FREC(im, 12, pipe_ref);
}

CASE(sock_pos)
{
	sockets(im);
	im->files[12].pos = 1;
	build(im);
	return FREC(im, 12, pos);
}

CASE(sock_rdonly)
{
	sockets(im);
	im->files[12].f_flags = O_RDONLY_;
	build(im);
	return FREC(im, 12, f_flags);
}

CASE(sock_f_flags)	/* checkpoint refuses a socket with O_ASYNC */
{
	sockets(im);
	im->files[12].f_flags |= FASYNC_;
	build(im);
	return FREC(im, 12, f_flags);
}

CASE(sock_f_flags_largefile)	/* socket(2) does not give O_LARGEFILE */
{
	sockets(im);
	im->files[15].f_flags |= O_LARGEFILE_ | O_APPEND_;
	build(im);
	return FREC(im, 15, f_flags);
}

CASE(sock_mode_before_flags)
{
	sockets(im);
	im->files[12].mode = S_IFREG_ | 0600;
	im->files[12].f_flags = O_WRONLY_;
	build(im);
	return FREC(im, 12, mode);
}

CASE(sock_flags_before_family)
{
	sockets(im);
	im->files[12].f_flags = O_RDONLY_;
	im->socks[1].family = AF_NETLINK_;
	build(im);
	return FREC(im, 12, f_flags);
}

/* ckpt_sock_check(): family, type and protocol */
CASE(sock_family_netlink)
{
	sockets(im);
	im->socks[1].family = AF_NETLINK_;
	build(im);
	return SOCK(im, 12, family);
}

CASE(sock_family_0)
{
	sockets(im);
	im->socks[4].family = 0;
	build(im);
	return SOCK(im, 15, family);
}

CASE(sock_unix_raw)
{
	sockets(im);
	im->socks[4].type = SOCK_RAW_;
	build(im);
	return SOCK(im, 15, type);
}

CASE(sock_unix_protocol)
{
	sockets(im);
	im->socks[4].protocol = 1;
	build(im);
	return SOCK(im, 15, protocol);
}

CASE(sock_inet_raw)
{
	sockets(im);
	im->socks[2].type = SOCK_RAW_;
	im->socks[2].protocol = IPPROTO_ICMP_;
	build(im);
	return SOCK(im, 13, type);
}

CASE(sock_inet_seqpacket)	/* SCTP's */
{
	sockets(im);
	im->socks[1].type = SOCK_SEQPACKET_;
	im->socks[1].protocol = 132;
	build(im);
	return SOCK(im, 12, type);
}

CASE(sock_tcp_protocol_udp)
{
	sockets(im);
	im->socks[1].protocol = IPPROTO_UDP_;
	build(im);
	return SOCK(im, 12, protocol);
}

CASE(sock_udp_protocol_0)	/* socket(2) saves it as IPPROTO_UDP */
{
	sockets(im);
	im->socks[2].protocol = 0;
	build(im);
	return SOCK(im, 13, protocol);
}

/* state */
CASE(sock_state_0)
{
	sockets(im);
	im->socks[1].state = 0;
	build(im);
	return SOCK(im, 12, state);
}

CASE(sock_state_8)
{
	sockets(im);
	im->socks[5].state = CKPT_SOCK_TCP + 1;
	build(im);
	return SOCK(im, 16, state);
}

/* Saved by their kind alone (CHECKPOINT_RESET_SOCKETS): reset unix ones */
CASE(sock_lost)
{
	struct ckpt_socket s;

	s = msock(AF_NETLINK_, SOCK_RAW_, 0, CKPT_SOCK_LOST);
	s.rcvlowat = 0;
	add_sock(im, 0, 11, &s);
	s = msock(AF_INET_, SOCK_RAW_, IPPROTO_ICMP_, CKPT_SOCK_LOST);
	s.rcvlowat = 0;
	add_sock(im, 0, 12, &s);
	build(im);
	return 0;
}

CASE(sock_lost_unix)	/* a unix socket is never lost */
{
	struct ckpt_socket s = msock(AF_UNIX_, SOCK_STREAM_, 0, CKPT_SOCK_LOST);

	s.rcvlowat = 0;
	add_sock(im, 0, 11, &s);
	build(im);
	return SOCK(im, 11, family);
}

CASE(sock_lost_type)
{
	struct ckpt_socket s = msock(AF_NETLINK_, 11, 0, CKPT_SOCK_LOST);

	s.rcvlowat = 0;
	add_sock(im, 0, 11, &s);
	build(im);
	return SOCK(im, 11, type);
}

CASE(sock_lost_opts)	/* nothing but its kind is saved */
{
	struct ckpt_socket s = msock(AF_NETLINK_, SOCK_RAW_, 0, CKPT_SOCK_LOST);

	add_sock(im, 0, 11, &s);
	build(im);
	return SOCK(im, 11, rcvlowat);
}

CASE(sock_state_pair_inet)	/* only a unix socket is an end of a pair */
{
	sockets(im);
	im->socks[5].state = CKPT_SOCK_PAIR;
	im->socks[5].pair_ref = 1;
	build(im);
	return SOCK(im, 16, state);
}

CASE(sock_state_tcp_udp)	/* only a TCP socket is a TCP connection */
{
	sockets(im);
	im->socks[2].state = CKPT_SOCK_TCP;
	build(im);
	return SOCK(im, 13, state);
}

CASE(sock_state_tcp_unix)
{
	sockets(im);
	im->socks[4].state = CKPT_SOCK_TCP;
	build(im);
	return SOCK(im, 15, state);
}

CASE(sock_tcp_ref_0)		/* a TCP connection names its CKPT_HDR_TCP */
{
	sockets(im);
	im->socks[5].state = CKPT_SOCK_TCP;
	build(im);
	return SOCK(im, 16, tcp_ref);
}

CASE(sock_tcp_ref_unix_pair)	/* ... not a unix pair (tcp_ref: as pair_ref) */
{
	sockets(im);
	im->socks[5].state = CKPT_SOCK_TCP;
	im->socks[5].pair_ref = 1;
	build(im);
	return SOCK(im, 16, tcp_ref);
}

CASE(sock_listen_udp)
{
	sockets(im);
	im->socks[2].state = CKPT_SOCK_LISTEN;
	im->socks[2].peer_len = 0;
	memset(im->socks[2].peer, 0, CKPT_SOCK_ADDR_MAX);
	build(im);
	return SOCK(im, 13, state);
}

CASE(sock_reset_udp)	/* only a TCP or unix connection is reset */
{
	sockets(im);
	im->socks[2].state = CKPT_SOCK_RESET;
	build(im);
	return SOCK(im, 13, state);
}

CASE(sock_reset_udp6)
{
	sockets(im);
	im->socks[5].type = SOCK_DGRAM_;
	im->socks[5].protocol = IPPROTO_UDP_;
	im->socks[5].opts = CKPT_SO_KEEPALIVE;
	build(im);
	return SOCK(im, 16, state);
}

CASE(sock_listen_unix_dgram)
{
	sockets(im);
	im->socks[4].state = CKPT_SOCK_LISTEN;
	build(im);
	return SOCK(im, 15, state);
}

CASE(sock_state_before_protocol)
{
	sockets(im);
	im->socks[1].state = 0;
	im->socks[1].protocol = 0;
	build(im);
	return SOCK(im, 12, protocol);
}

/* pair_ref and end */
CASE(sock_pair_ref_0)
{
	sockets(im);
	build(im);
	put32(im, SOCK(im, 11, pair_ref), 0);
	return SOCK(im, 11, pair_ref);
}

CASE(sock_pair_end_2)
{
	sockets(im);
	im->socks[3].end = 2;
	build(im);
	return SOCK(im, 14, end);
}

CASE(sock_listen_pair_ref)	/* a TCP listener's accept_ref: a pair is no accept queue */
{
	sockets(im);
	build(im);
	put32(im, SOCK(im, 12, pair_ref), im->upair_ref[0]);
	return SOCK(im, 12, pair_ref);
}

CASE(sock_reset_end)
{
	sockets(im);
	im->socks[5].end = 1;
	build(im);
	return SOCK(im, 16, end);
}

/* options */
CASE(sock_opts_unknown)
{
	sockets(im);
	im->socks[1].opts |= CKPT_SO_ALL + 1;
	build(im);
	return SOCK(im, 12, opts);
}

CASE(sock_opts_high)
{
	sockets(im);
	im->socks[1].opts |= 1U << 31;
	build(im);
	return SOCK(im, 12, opts);
}

CASE(sock_nodelay_udp)
{
	sockets(im);
	im->socks[2].opts = CKPT_SO_TCP_NODELAY;
	build(im);
	return SOCK(im, 13, opts);
}

CASE(sock_nodelay_unix)
{
	sockets(im);
	im->socks[0].opts = CKPT_SO_TCP_NODELAY;
	build(im);
	return SOCK(im, 11, opts);
}

CASE(sock_v6only_inet)
{
	sockets(im);
	im->socks[1].opts |= CKPT_SO_V6ONLY;
	build(im);
	return SOCK(im, 12, opts);
}

CASE(sock_v6only_unix)
{
	sockets(im);
	im->socks[4].opts = CKPT_SO_V6ONLY;
	build(im);
	return SOCK(im, 15, opts);
}

/* buffers, linger, low mark, backlog */
CASE(sock_sndbuf_0)
{
	sockets(im);
	im->socks[1].opts |= CKPT_SO_SNDBUF;
	build(im);
	return SOCK(im, 12, sndbuf);
}

CASE(sock_sndbuf_unset)	/* a size without the option */
{
	sockets(im);
	im->socks[1].sndbuf = 16384;
	build(im);
	return SOCK(im, 12, sndbuf);
}

CASE(sock_rcvbuf_negative)
{
	sockets(im);
	im->socks[2].opts |= CKPT_SO_RCVBUF;
	im->socks[2].rcvbuf = -2;
	build(im);
	return SOCK(im, 13, rcvbuf);
}

CASE(sock_rcvbuf_unset)
{
	sockets(im);
	im->socks[0].rcvbuf = 1;
	build(im);
	return SOCK(im, 11, rcvbuf);
}

CASE(sock_linger_above_max)	/* what setsockopt(2) takes: INT_MAX seconds at most */
{
	sockets(im);
	im->socks[5].opts |= CKPT_SO_LINGER;
	im->socks[5].linger = (uint32_t)INT32_MAX + 1;
	build(im);
	return SOCK(im, 16, linger);
}

CASE(sock_linger_below_forever)
{
	sockets(im);
	im->socks[1].opts |= CKPT_SO_LINGER;
	im->socks[1].linger = CKPT_SO_LINGER_FOREVER - 1;
	build(im);
	return SOCK(im, 12, linger);
}

CASE(sock_linger_forever_unset)	/* for ever, without the option */
{
	sockets(im);
	im->socks[5].linger = CKPT_SO_LINGER_FOREVER;
	build(im);
	return SOCK(im, 16, linger);
}

CASE(sock_linger_unset)
{
	sockets(im);
	im->socks[5].linger = 10;
	build(im);
	return SOCK(im, 16, linger);
}

CASE(sock_rcvlowat_negative)
{
	sockets(im);
	im->socks[1].rcvlowat = -1;
	build(im);
	return SOCK(im, 12, rcvlowat);
}

CASE(sock_backlog_above_int)
{
	sockets(im);
	im->socks[1].backlog = (uint32_t)INT32_MAX + 1;
	build(im);
	return SOCK(im, 12, backlog);
}

CASE(sock_backlog_not_listening)
{
	sockets(im);
	im->socks[2].backlog = 5;
	build(im);
	return SOCK(im, 13, backlog);
}

CASE(sock_sndbuf_before_backlog)
{
	sockets(im);
	im->socks[2].backlog = 5;
	im->socks[2].sndbuf = -1;
	build(im);
	return SOCK(im, 13, sndbuf);
}

/* addresses */
CASE(sock_addr_len_above_max)
{
	sockets(im);
	im->socks[1].addr_len = CKPT_SOCK_ADDR_MAX + 1;
	build(im);
	return SOCK(im, 12, addr_len);
}

CASE(sock_addr_len_1)
{
	sockets(im);
	im->socks[1].addr_len = 1;
	memset(im->socks[1].addr + 1, 0, CKPT_SOCK_ADDR_MAX - 1);
	build(im);
	return SOCK(im, 12, addr_len);
}

CASE(sock_addr_family)	/* an IPv6 address for an IPv4 socket */
{
	sockets(im);
	im->socks[1].addr_len = sa_in6(im->socks[1].addr, in6_any, 8080);
	build(im);
	return SOCK(im, 12, addr);
}

CASE(sock_peer_family)
{
	sockets(im);
	im->socks[4].peer[0] = AF_INET_;
	build(im);
	return SOCK(im, 15, peer);
}

CASE(sock_peer_len_above_max)
{
	sockets(im);
	im->socks[2].peer_len = UINT32_MAX;
	build(im);
	return SOCK(im, 13, peer_len);
}

CASE(sock_listen_no_addr)
{
	sockets(im);
	im->socks[1].addr_len = 0;
	memset(im->socks[1].addr, 0, CKPT_SOCK_ADDR_MAX);
	build(im);
	return SOCK(im, 12, addr_len);
}

CASE(sock_bound_no_addr)
{
	sockets(im);
	im->socks[4].peer_len = 0;
	memset(im->socks[4].peer, 0, CKPT_SOCK_ADDR_MAX);
	build(im);
	return SOCK(im, 15, addr_len);
}

CASE(sock_fresh_addr)	/* not bound, yet an address */
{
	sockets(im);
	im->socks[5].state = CKPT_SOCK_FRESH;
	im->socks[5].addr_len = sa_in6(im->socks[5].addr, in6_loopback, 22);
	build(im);
	return SOCK(im, 16, addr_len);
}

CASE(sock_pair_addr)	/* a pair made by connect(2) and accept(2) comes back unnamed */
{
	sockets(im);
	im->socks[3].addr_len = sa_un(im->socks[3].addr, "srv", true);
	build(im);
	return SOCK(im, 14, addr_len);
}

CASE(sock_peer_tcp)	/* only a datagram socket is connected again */
{
	sockets(im);
	im->socks[1].state = CKPT_SOCK_BOUND;
	im->socks[1].backlog = 0;
	im->socks[1].peer_len = sa_in(im->socks[1].peer, 0x0a000001, 80);
	build(im);
	return SOCK(im, 12, peer_len);
}

CASE(sock_peer_reset)
{
	sockets(im);
	im->socks[5].peer_len = sa_in6(im->socks[5].peer, in6_loopback, 22);
	build(im);
	return SOCK(im, 16, peer_len);
}

CASE(sock_peer_unix_stream)
{
	sockets(im);
	im->socks[4].type = SOCK_STREAM_;
	build(im);
	return SOCK(im, 15, peer_len);
}

CASE(sock_addr_tail)	/* a byte after the address */
{
	sockets(im);
	im->socks[1].addr[16] = 1;
	build(im);
	return SOCK(im, 12, addr) + 16;
}

CASE(sock_peer_tail)
{
	sockets(im);
	im->socks[4].peer[CKPT_SOCK_ADDR_MAX - 1] = 0x80;
	build(im);
	return SOCK(im, 15, peer) + CKPT_SOCK_ADDR_MAX - 1;
}

CASE(sock_addr_inet_short)	/* shorter than a struct sockaddr_in */
{
	sockets(im);
	im->socks[1].addr_len = 15;
	build(im);
	return SOCK(im, 12, addr_len);
}

CASE(sock_peer_inet_short)
{
	sockets(im);
	im->socks[2].peer_len = 8;
	memset(im->socks[2].peer + 8, 0, 8);
	build(im);
	return SOCK(im, 13, peer_len);
}

CASE(sock_addr_inet6_short)	/* shorter than SIN6_LEN_RFC2133 */
{
	sockets(im);
	im->socks[2].family = AF_INET6_;
	im->socks[2].addr_len = sa_in6(im->socks[2].addr, in6_loopback, 5353) - 5;
	im->socks[2].peer_len = sa_in6(im->socks[2].peer, in6_dns, 53);
	build(im);
	return SOCK(im, 13, addr_len);
}

CASE(sock_peer_inet6_short)
{
	sockets(im);
	im->socks[2].family = AF_INET6_;
	im->socks[2].addr_len = sa_in6(im->socks[2].addr, in6_loopback, 5353);
	im->socks[2].peer_len = sa_in6(im->socks[2].peer, in6_dns, 53) - 5;
	build(im);
	return SOCK(im, 13, peer_len);
}

CASE(sock_addr_unix_unnamed)	/* a family alone: autobind names it */
{
	sockets(im);
	im->socks[4].addr_len = 2;
	im->socks[4].addr[0] = AF_UNIX_;
	build(im);
	return SOCK(im, 15, addr_len);
}

CASE(sock_peer_unix_unnamed)
{
	sockets(im);
	im->socks[4].peer_len = 2;
	memset(im->socks[4].peer + 2, 0, CKPT_SOCK_ADDR_MAX - 2);
	build(im);
	return SOCK(im, 15, peer_len);
}

CASE(sock_addr_unix_above_sun)	/* longer than a struct sockaddr_un */
{
	sockets(im);
	im->socks[4].addr_len = SOCKADDR_UN_LEN + 1;
	im->socks[4].addr[0] = AF_UNIX_;
	memset(im->socks[4].addr + 3, 'x', SOCKADDR_UN_LEN - 2);
	build(im);
	return SOCK(im, 15, addr_len);
}

CASE(sock_peer_unix_above_sun)
{
	sockets(im);
	im->socks[4].peer_len = SOCKADDR_UN_LEN + 1;
	build(im);
	return SOCK(im, 15, peer_len);
}

CASE(sock_addr_unix_path)	/* a socket bound to a path is bound to it again */
{
	sockets(im);
	im->socks[4].addr_len = sa_un(im->socks[4].addr, "/run/user/1000/bus", false);
	build(im);
	return 0;
}

CASE(sock_listen_unix_path)
{
	struct ckpt_socket s;

	s = msock(AF_UNIX_, SOCK_STREAM_, 0, CKPT_SOCK_LISTEN);
	s.backlog = 128;
	s.addr_len = sa_un(s.addr, "/tmp/.X11-unix/X0", false);
	add_sock(im, 1, 8, &s);
	build(im);
	return 0;
}

CASE(sock_addr_short_before_peer)
{
	sockets(im);
	im->socks[2].addr_len = 4;
	memset(im->socks[2].addr + 4, 0, 12);
	im->socks[2].peer[0] = AF_INET6_;
	build(im);
	return SOCK(im, 13, addr_len);
}

CASE(sock_addr_len_before_tail)
{
	sockets(im);
	im->socks[5].addr[0] = AF_INET6_;
	im->socks[5].addr[3] = 1;
	im->socks[5].addr_len = 2;
	build(im);
	return SOCK(im, 16, addr_len);
}

/* restore_check_unix_pair(): sockets()'s pair, 18, just before file 19 */
CASE(upair_len_below_min)
{
	sockets(im);
	build(im);
	put32(im, LEN(im->upair_off[0]), sizeof(struct ckpt_hdr_unix_pair) - 8);
	return LEN(im->upair_off[0]);
}

CASE(upair_len_above_max)
{
	sockets(im);
	build(im);
	put32(im, LEN(im->upair_off[0]), sizeof(struct ckpt_hdr_unix_pair) +
	      2 * ((2 * CKPT_UNIX_MAX_MSGS + CKPT_UNIX_MAX_FDS) * sizeof(uint32_t) +
		   CKPT_UNIX_MAX_BYTES) + 1);
	return LEN(im->upair_off[0]);
}

CASE(upair_truncated)
{
	sockets(im);
	build(im);
	im->len = im->upair_off[0] + sizeof(struct ckpt_hdr_unix_pair) + 3;
	return im->len;
}

CASE(upair_objref)
{
	sockets(im);
	build(im);
	put32(im, UPAIR(im, 0, h.objref), im->upair_ref[0] + 1);
	return UPAIR(im, 0, h.objref);
}

CASE(upair_objref_pad)
{
	sockets(im);
	build(im);
	im->buf[UPAIR(im, 0, h._pad) + 2] = 1;
	return UPAIR(im, 0, h._pad) + 2;
}

CASE(upair_type_raw)
{
	sockets(im);
	im->upairs[0].type = SOCK_RAW_;
	build(im);
	return UPAIR(im, 0, type);
}

CASE(upair_type_0)
{
	sockets(im);
	im->upairs[0].type = 0;
	build(im);
	return UPAIR(im, 0, type);
}

CASE(upair_ends_0)	/* both closed: no pair */
{
	sockets(im);
	im->upairs[0].ends = 0;
	build(im);
	return UPAIR(im, 0, ends);
}

CASE(upair_ends_unknown)
{
	sockets(im);
	im->upairs[0].ends |= 4;
	build(im);
	return UPAIR(im, 0, ends);
}

CASE(upair_closed_end_data)	/* a closed end holds nothing */
{
	sockets(im);
	im->upairs[0].ends = CKPT_UNIX_END0;
	build(im);
	return UEND(im, 0, 1, nr_bytes);
}

CASE(upair_closed_end_shutdown)
{
	sockets(im);
	im->upairs[0].ends = CKPT_UNIX_END1;
	im->upairs[0].end[0] = (struct mend){ .shutdown = CKPT_SHUT_RD };
	build(im);
	return UEND(im, 0, 0, shutdown);
}

CASE(upair_closed_end_err)
{
	sockets(im);
	im->upairs[0].ends = CKPT_UNIX_END0;
	im->upairs[0].end[1] = (struct mend){ .err = ECONNRESET_ };
	build(im);
	return UEND(im, 0, 1, err);
}

CASE(upair_shutdown)
{
	sockets(im);
	im->upairs[0].end[1].shutdown = 4;
	build(im);
	return UEND(im, 0, 1, shutdown);
}

CASE(upair_err_epipe)	/* only ECONNRESET is pending on a unix socket */
{
	sockets(im);
	im->upairs[0].end[0].err = EPIPE_;
	build(im);
	return UEND(im, 0, 0, err);
}

CASE(upair_err_negative)
{
	sockets(im);
	im->upairs[0].end[1].err = -ECONNRESET_;
	build(im);
	return UEND(im, 0, 1, err);
}

CASE(upair_nr_bytes_above_max)
{
	sockets(im);
	build(im);
	put32(im, UEND(im, 0, 1, nr_bytes), CKPT_UNIX_MAX_BYTES + 1);
	return UEND(im, 0, 1, nr_bytes);
}

CASE(upair_nr_msgs_above_max)
{
	sockets(im);
	im->upairs[0].type = SOCK_DGRAM_;
	im->socks[0].type = SOCK_DGRAM_;
	im->socks[3].type = SOCK_DGRAM_;
	im->upairs[0].end[0].nr_msgs = 1;
	build(im);
	put32(im, UEND(im, 0, 0, nr_msgs), CKPT_UNIX_MAX_MSGS + 1);
	return UEND(im, 0, 0, nr_msgs);
}

CASE(upair_stream_msgs)	/* a stream has no message boundaries */
{
	sockets(im);
	im->upairs[0].end[1].nr_msgs = 2;
	build(im);
	return UEND(im, 0, 1, nr_msgs);
}

CASE(upair_len)
{
	sockets(im);
	build(im);
	put32(im, UEND(im, 0, 0, nr_bytes), im->upairs[0].end[0].nr_bytes - 1);
	return LEN(im->upair_off[0]);
}

CASE(upair_msgs_sum)	/* message lengths that do not add up */
{
	static const uint32_t msgs[] = { 4, 5 };

	sockets(im);
	im->upairs[0].type = SOCK_SEQPACKET_;
	im->socks[0].type = SOCK_SEQPACKET_;
	im->socks[3].type = SOCK_SEQPACKET_;
	im->upairs[0].end[0].nr_msgs = 1;
	im->upairs[0].end[1].nr_msgs = 2;
	im->upairs[0].end[1].msgs = msgs;
	build(im);
	return UEND(im, 0, 1, nr_bytes);
}

CASE(upair_dgram_no_msgs)	/* datagram bytes outside any message */
{
	sockets(im);
	im->upairs[0].type = SOCK_DGRAM_;
	im->socks[0].type = SOCK_DGRAM_;
	im->socks[3].type = SOCK_DGRAM_;
	build(im);
	return UEND(im, 0, 0, nr_bytes);
}

CASE(upair_msgs_sum_wrap)	/* lengths whose sum wraps in 32 bits */
{
	static const uint32_t msgs[] = { 0xfffffffd, 5, 3 };

	sockets(im);
	im->upairs[0].type = SOCK_DGRAM_;
	im->socks[0].type = SOCK_DGRAM_;
	im->socks[3].type = SOCK_DGRAM_;
	im->upairs[0].end[0] = (struct mend){ 0, 0, 1, 5, NULL, "ping\n", 0, NULL, NULL };
	im->upairs[0].end[1] = (struct mend){ 0, 0, 3, 5, msgs, "pong\n", 0, NULL, NULL };
	build(im);
	return UEND(im, 0, 1, nr_bytes);
}

CASE(upair_shutdown_before_bytes)
{
	sockets(im);
	im->upairs[0].end[0].shutdown = 8;
	build(im);
	put32(im, UEND(im, 0, 0, nr_bytes), CKPT_UNIX_MAX_BYTES + 1);
	return UEND(im, 0, 0, shutdown);
}

CASE(upair_end0_before_end1)
{
	sockets(im);
	im->upairs[0].end[0].err = 1;
	im->upairs[0].end[1].shutdown = 4;
	build(im);
	return UEND(im, 0, 0, err);
}

/*
 * Descriptors in flight: rights()'s pairs, the stream 0 (end 1 with two
 * runs) and the datagram pair 1 (end 1 with three messages)
 */
#define UA(im, u, i, a, j) uend_at(im, u, i, a, j)

CASE(upair_fds_msg_above_max)	/* a message brings at most SCM_MAX_FD */
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 1, UA_NFDS, 2), CKPT_UNIX_MAX_MSG_FDS + 1);
	return UA(im, 1, 1, UA_NFDS, 2);
}

CASE(upair_fds_sum)	/* counts that do not add up to nr_fds */
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 1, UA_NFDS, 0), 1);
	return UEND(im, 1, 1, nr_fds);
}

CASE(upair_fds_ref_0)
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 1, UA_REFS, 1), 0);
	return UA(im, 1, 1, UA_REFS, 1);
}

CASE(upair_fds_ref_pipe)	/* the pipe, not a file of it */
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 1, UA_REFS, 0), im->pipe_ref[1]);
	return UA(im, 1, 1, UA_REFS, 0);
}

CASE(upair_fds_ref_mm)
{
	rights(im);
	build(im);
	put32(im, UA(im, 0, 1, UA_REFS, 0), im->mm_ref[0]);
	return UA(im, 0, 1, UA_REFS, 0);
}

CASE(upair_fds_ref_self)	/* the pair itself */
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 1, UA_REFS, 2), im->upair_ref[1]);
	return UA(im, 1, 1, UA_REFS, 2);
}

CASE(upair_fds_ref_later)	/* the read end of the pipe, written after the pair */
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 1, UA_REFS, 2), im->file_ref[19]);
	return UA(im, 1, 1, UA_REFS, 2);
}

CASE(upair_fds_ref_inherit)	/* the terminal: restart has no descriptor for it */
{
	rights(im);
	build(im);
	put32(im, UA(im, 0, 1, UA_REFS, 0), im->file_ref[0]);
	return UA(im, 0, 1, UA_REFS, 0);
}

CASE(upair_stream_runs_no_fds)	/* runs are cut where descriptors came */
{
	rights(im);
	build(im);
	put32(im, UEND(im, 0, 1, nr_fds), 0);
	return UEND(im, 0, 1, nr_msgs);
}

CASE(upair_stream_run_0)	/* a run of a stream has bytes */
{
	static const uint32_t runs[] = { 6, 0, 5 }, run_fds[] = { 0, 0, 1 };

	rights(im);
	im->upairs[0].end[1].nr_msgs = 3;
	im->upairs[0].end[1].msgs = runs;
	im->upairs[0].end[1].msg_fds = run_fds;
	build(im);
	return UA(im, 0, 1, UA_MSGS, 1);
}

CASE(upair_stream_runs_sum)	/* runs that do not add up to nr_bytes */
{
	static const uint32_t runs[] = { 6, 4 };

	rights(im);
	im->upairs[0].end[1].msgs = runs;
	build(im);
	return UEND(im, 0, 1, nr_bytes);
}

CASE(upair_fds_pad)
{
	rights(im);
	build(im);
	im->buf[UEND(im, 1, 1, _pad) + 2] = 1;
	return UEND(im, 1, 1, _pad) + 2;
}

CASE(upair_nr_fds_above_max)
{
	rights(im);
	build(im);
	put32(im, UEND(im, 1, 0, nr_fds), CKPT_UNIX_MAX_FDS + 1);
	return UEND(im, 1, 0, nr_fds);
}

CASE(upair_closed_end_fds)	/* a closed end holds no descriptors either */
{
	sockets(im);
	im->upairs[0].ends = CKPT_UNIX_END0;
	im->upairs[0].end[1] = (struct mend){ .nr_fds = 1 };
	build(im);
	return UEND(im, 0, 1, nr_fds);
}

CASE(upair_nr_fds_before_pad)
{
	rights(im);
	build(im);
	put32(im, UEND(im, 1, 1, nr_fds), CKPT_UNIX_MAX_FDS + 1);
	im->buf[UEND(im, 1, 1, _pad)] = 1;
	return UEND(im, 1, 1, nr_fds);
}

CASE(upair_fds_pad_before_len)	/* end 1's _pad, before the length of both */
{
	rights(im);
	build(im);
	put32(im, UEND(im, 1, 0, nr_bytes), 1);
	im->buf[UEND(im, 1, 1, _pad) + 3] = 0x80;
	return UEND(im, 1, 1, _pad) + 3;
}

CASE(upair_fds_msg_before_sum)	/* each message, before the sums */
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 1, UA_MSGS, 0), 4);
	put32(im, UA(im, 1, 1, UA_NFDS, 2), CKPT_UNIX_MAX_MSG_FDS + 1);
	return UA(im, 1, 1, UA_NFDS, 2);
}

CASE(upair_fds_bytes_before_fds)	/* the bytes, then the descriptors */
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 1, UA_MSGS, 0), 4);
	put32(im, UA(im, 1, 1, UA_NFDS, 0), 1);
	return UEND(im, 1, 1, nr_bytes);
}

CASE(upair_fds_sum_before_ref)	/* the counts, then the files */
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 1, UA_NFDS, 2), 0);
	put32(im, UA(im, 1, 1, UA_REFS, 0), im->pipe_ref[1]);
	return UEND(im, 1, 1, nr_fds);
}

CASE(upair_fds_end0_before_end1)	/* the messages of end 0, then end 1's */
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 0, UA_MSGS, 0), 1);
	put32(im, UA(im, 1, 1, UA_REFS, 0), 0);
	return UEND(im, 1, 0, nr_bytes);
}

CASE(upair_fds_pad_before_msgs)	/* end 1's _pad, before the messages of end 0 */
{
	rights(im);
	build(im);
	put32(im, UA(im, 1, 0, UA_MSGS, 0), 1);
	im->buf[UEND(im, 1, 1, _pad) + 1] = 1;
	return UEND(im, 1, 1, _pad) + 1;
}

/* ckpt_unix_pair_take() */
CASE(sock_pair_end_twice)
{
	sockets(im);
	im->socks[3].end = 0;
	build(im);
	return SOCK(im, 14, end);
}

CASE(sock_pair_end_closed)	/* end 1 of a pair whose end 1 was closed */
{
	sockets(im);
	im->upairs[0].ends = CKPT_UNIX_END0;
	im->upairs[0].end[1] = (struct mend){ 0 };
	build(im);
	return SOCK(im, 14, end);
}

CASE(sock_pair_ref_later)	/* the file itself */
{
	sockets(im);
	build(im);
	put32(im, SOCK(im, 11, pair_ref), im->file_ref[11]);
	return SOCK(im, 11, pair_ref);
}

CASE(sock_pair_ref_file)	/* the file of end 0, not its pair */
{
	sockets(im);
	build(im);
	put32(im, SOCK(im, 14, pair_ref), im->file_ref[11]);
	return SOCK(im, 14, pair_ref);
}

CASE(sock_pair_ref_pipe)
{
	sockets(im);
	build(im);
	put32(im, SOCK(im, 14, pair_ref), im->pipe_ref[0]);
	return SOCK(im, 14, pair_ref);
}

CASE(sock_pair_type)	/* refused by --validate too */
{
	sockets(im);
	im->socks[3].type = SOCK_DGRAM_;
	build(im);
	return SOCK(im, 14, type);
}

CASE(sock_pair_ref_before_end)
{
	sockets(im);
	im->socks[3].end = 0;
	build(im);
	put32(im, SOCK(im, 14, pair_ref), im->file_ref[11]);
	return SOCK(im, 14, pair_ref);
}

CASE(sock_pair_end_before_type)
{
	sockets(im);
	im->socks[3].end = 0;
	im->socks[3].type = SOCK_SEQPACKET_;
	build(im);
	return SOCK(im, 14, end);
}

/*
 * A TCP connection over IPv4 from @ip:@port to @peer_ip:@peer_port, as
 * Linux leaves one established on the loopback: SACK, timestamps and
 * window scaling, nothing in flight; @snd_una the next byte it sends,
 * @copied_seq the next it reads
 */
static struct ckpt_hdr_tcp mtcp(uint32_t ip, uint16_t port, uint32_t peer_ip,
				uint16_t peer_port, uint32_t snd_una, uint32_t copied_seq)
{
	struct ckpt_hdr_tcp t = {
		.family = AF_INET_,
		.flags = CKPT_TCP_SACK | CKPT_TCP_TIMESTAMPS | CKPT_TCP_WSCALE,
		.snd_una = snd_una, .copied_seq = copied_seq,
		.snd_wl1 = copied_seq, .snd_wnd = 65536, .max_window = 65536,
		.rcv_wnd = 65536, .rcv_wup = copied_seq, .tsval = 3141592,
		.mss_clamp = 65495, .snd_wscale = 7, .rcv_wscale = 7,
		.sndbuf = 2626560, .rcvbuf = 131072,
	};

	t.addr_len = sa_in(t.addr, ip, port);
	t.peer_len = sa_in(t.peer, peer_ip, peer_port);
	return t;
}

/* What connection @k received and acknowledged, not read yet: @len bytes */
static void mtcp_rcv(struct img *im, int k, uint32_t len)
{
	im->tcps[k].rcv_len = len;
	im->tcps[k].snd_wl1 += len;
	im->tcps[k].rcv_wup += len;
}

/*
 * A listening TCP socket holding connections for accept(2), as a server
 * that did not accept them yet leaves it: sudo listens on port 8080
 * (file 11, fd 9); its queue holds a connection from the process of
 * table @client (file 12, fd 11, its end), which sent 6 bytes, then one
 * from a host not saved, which sent 4 bytes and closed its side.  The
 * queue comes before the listener's file, after its connections, each
 * with its other end if the image holds it.  With cat as the client:
 *
 *   objects: ..., tcp 18 (from cat), tcp 19 (cat's end), tcp 20 (from
 *	      192.168.1.50), tcp_accept 21, file 22 (the listener), ...,
 *	      file 34 (cat's end), ...
 */
static void accepts(struct img *im, int client)
{
	struct ckpt_socket s;
	int f;

	im->nr_tcps = 3;
	im->tcps[0] = mtcp(0x7f000001, 8080, 0x7f000001, 45678, 0x8a6e0001, 0x1f3d0001);
	mtcp_rcv(im, 0, 6);
	im->tcps[1] = mtcp(0x7f000001, 45678, 0x7f000001, 8080, 0x1f3d0001 + 6, 0x8a6e0001);
	im->tcp_peer[0] = 2;
	im->tcp_peer[1] = 1;
	im->tcps[2] = mtcp(0xc0a80117, 8080, 0xc0a80132, 51000, 0x77001234, 0x5500abcd);
	im->tcps[2].flags |= CKPT_TCP_RCV_FIN;
	mtcp_rcv(im, 2, 4);
	im->tcps[2].rcv_wup++;		/* its FIN */
	im->nr_accepts = 1;
	im->accepts[0] = (struct maccept){ 2, { 0, 2 } };

	s = msock(AF_INET_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_LISTEN);
	s.opts = CKPT_SO_REUSEADDR;
	s.backlog = 128;
	s.addr_len = sa_in(s.addr, 0, 8080);
	f = add_sock(im, 1, 9, &s);
	im->file_accept[f] = 1;
	s = msock(AF_INET_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_TCP);
	f = add_sock(im, client, 11, &s);
	im->file_tcp[f] = 2;
}

/* Offsets in the image of accepts() */
#define TCPA(im, a, fld) AT((im)->accept_off[a], ckpt_hdr_tcp_accept, fld)
/* The objref of connection @j of accept queue @a */
#define TCPA_REF(im, a, j) \
	((im)->accept_off[a] + sizeof(struct ckpt_hdr_tcp_accept) + (j) * sizeof(uint32_t))

CASE(tcp_accept)	/* connections waiting for accept(2), cat's end of one */
{
	accepts(im, 2);
	build(im);
	return 0;
}

CASE(tcp_accept_client_first)	/* sh's end of one: written before the queue */
{
	accepts(im, 0);
	build(im);
	return 0;
}

CASE(tcp_accept_inet6)	/* a connection over IPv6 whose peer was not saved */
{
	struct ckpt_hdr_tcp *t = &im->tcps[0];
	struct ckpt_socket s;
	int f;

	im->nr_tcps = 1;
	*t = mtcp(0, 443, 0, 50000, 0x10000001, 0x20000001);
	t->family = AF_INET6_;
	t->flags = CKPT_TCP_SACK | CKPT_TCP_WSCALE;
	t->mss_clamp = 1440;
	t->rcv_wscale = 9;
	t->addr_len = sa_in6(t->addr, in6_dns, 443);
	t->peer_len = sa_in6(t->peer, in6_loopback, 50000);
	mtcp_rcv(im, 0, 517);	/* a TLS ClientHello */
	im->nr_accepts = 1;
	im->accepts[0] = (struct maccept){ 1, { 0 } };
	s = msock(AF_INET6_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_LISTEN);
	s.opts = CKPT_SO_V6ONLY | CKPT_SO_TCP_NODELAY;
	s.backlog = 4096;
	s.addr_len = sa_in6(s.addr, in6_any, 443);
	f = add_sock(im, 2, 9, &s);
	im->file_accept[f] = 1;
	build(im);
	return 0;
}

CASE(tcp_accept_no_conns)	/* checkpoint writes none, restart(2) takes it */
{
	accepts(im, 2);
	im->accepts[0].nr_conns = 0;
	im->tcp_peer[1] = 0;
	build(im);
	return 0;
}

CASE(tcp_accept_not_named)	/* its listener names no queue: it is not restored */
{
	accepts(im, 2);
	build(im);
	put32(im, SOCK(im, 11, accept_ref), 0);
	return 0;
}

/* ckpt_tcp_accept_restore() */
CASE(tcp_accept_len_below_min)
{
	accepts(im, 2);
	build(im);
	put32(im, LEN(im->accept_off[0]), sizeof(struct ckpt_hdr_tcp_accept) - 8);
	return LEN(im->accept_off[0]);
}

CASE(tcp_accept_len_above_max)
{
	accepts(im, 2);
	build(im);
	put32(im, LEN(im->accept_off[0]), sizeof(struct ckpt_hdr_tcp_accept) +
	      (CKPT_TCP_ACCEPT_MAX + 1) * sizeof(uint32_t));
	return LEN(im->accept_off[0]);
}

CASE(tcp_accept_nr_conns_above_max)
{
	accepts(im, 2);
	build(im);
	put32(im, TCPA(im, 0, nr_conns), CKPT_TCP_ACCEPT_MAX + 1);
	return TCPA(im, 0, nr_conns);
}

CASE(tcp_accept_len)	/* the record holds 2 connections, not 3 */
{
	accepts(im, 2);
	build(im);
	put32(im, TCPA(im, 0, nr_conns), 3);
	return LEN(im->accept_off[0]);
}

CASE(tcp_accept_len_more)	/* ... not 1 */
{
	accepts(im, 2);
	build(im);
	put32(im, TCPA(im, 0, nr_conns), 1);
	return LEN(im->accept_off[0]);
}

CASE(tcp_accept_pad)
{
	accepts(im, 2);
	build(im);
	im->buf[TCPA(im, 0, _pad) + 2] = 1;
	return TCPA(im, 0, _pad) + 2;
}

CASE(tcp_accept_ref_0)
{
	accepts(im, 2);
	build(im);
	put32(im, TCPA_REF(im, 0, 1), 0);
	return TCPA_REF(im, 0, 1);
}

CASE(tcp_accept_ref_self)	/* not defined before */
{
	accepts(im, 2);
	build(im);
	put32(im, TCPA_REF(im, 0, 0), im->accept_ref[0]);
	return TCPA_REF(im, 0, 0);
}

CASE(tcp_accept_ref_later)	/* the file of cat's end */
{
	accepts(im, 2);
	build(im);
	put32(im, TCPA_REF(im, 0, 1), im->file_ref[12]);
	return TCPA_REF(im, 0, 1);
}

CASE(tcp_accept_ref_mm)		/* not a TCP connection */
{
	accepts(im, 2);
	build(im);
	put32(im, TCPA_REF(im, 0, 1), im->mm_ref[1]);
	return TCPA_REF(im, 0, 1);
}

CASE(tcp_accept_ref_file)	/* ... nor the file of one */
{
	accepts(im, 0);
	build(im);
	put32(im, TCPA_REF(im, 0, 0), im->file_ref[12]);
	return TCPA_REF(im, 0, 0);
}

CASE(tcp_accept_conn_twice)
{
	accepts(im, 2);
	im->accepts[0] = (struct maccept){ 3, { 0, 2, 0 } };
	build(im);
	return TCPA_REF(im, 0, 2);
}

CASE(tcp_accept_conn_two_queues)	/* another listener on the port, as SO_REUSEPORT */
{
	struct ckpt_socket s;
	int f;

	accepts(im, 2);
	im->socks[0].opts |= CKPT_SO_REUSEPORT;
	s = im->socks[0];
	f = add_sock(im, 1, 10, &s);
	im->nr_accepts = 2;
	im->accepts[1] = (struct maccept){ 1, { 2 } };
	im->file_accept[f] = 2;
	build(im);
	return TCPA_REF(im, 1, 0);
}

CASE(tcp_accept_conn_of_file)	/* one a file of sh took before */
{
	struct ckpt_socket s;
	int f;

	accepts(im, 2);
	s = msock(AF_INET_, SOCK_STREAM_, IPPROTO_TCP_, CKPT_SOCK_TCP);
	f = add_sock(im, 0, 11, &s);
	im->file_tcp[f] = 1;
	build(im);
	return TCPA_REF(im, 0, 0);
}

CASE(tcp_accept_conn_sent)	/* one that has bytes to send */
{
	accepts(im, 2);
	im->tcps[0].snd_len = 3;
	im->tcps[0].unsent_len = 1;
	build(im);
	return TCPA_REF(im, 0, 0);
}

CASE(tcp_accept_conn_snd_fin)	/* one shut down for writing */
{
	accepts(im, 2);
	im->tcps[2].flags |= CKPT_TCP_SND_FIN;
	build(im);
	return TCPA_REF(im, 0, 1);
}

/* ckpt_tcp_take(): a connection the queue took */
CASE(tcp_accept_conn_taken)	/* by cat's file */
{
	accepts(im, 2);
	im->file_tcp[12] = 1;
	build(im);
	return SOCK(im, 12, tcp_ref);
}

/* ckpt_sock_check(): a listening TCP socket may name an accept queue */
CASE(tcp_accept_ref_udp)	/* a UDP socket bound to the port */
{
	accepts(im, 2);
	im->socks[0].type = SOCK_DGRAM_;
	im->socks[0].protocol = IPPROTO_UDP_;
	im->socks[0].state = CKPT_SOCK_BOUND;
	im->socks[0].backlog = 0;
	build(im);
	return SOCK(im, 11, accept_ref);
}

CASE(tcp_accept_ref_unix)	/* a listening unix socket */
{
	accepts(im, 2);
	im->socks[0].family = AF_UNIX_;
	im->socks[0].protocol = 0;
	memset(im->socks[0].addr, 0, CKPT_SOCK_ADDR_MAX);
	im->socks[0].addr_len = sa_un(im->socks[0].addr, "/run/app.sock", false);
	build(im);
	return SOCK(im, 11, accept_ref);
}

CASE(tcp_accept_end)
{
	accepts(im, 2);
	im->socks[0].end = 1;
	build(im);
	return SOCK(im, 11, end);
}

/* ckpt_tcp_accept_take() */
CASE(tcp_accept_ref_tcp)	/* a connection, not an accept queue */
{
	accepts(im, 2);
	build(im);
	put32(im, SOCK(im, 11, accept_ref), im->tcp_ref[0]);
	return SOCK(im, 11, accept_ref);
}

CASE(tcp_accept_ref_listener)	/* its own file: not defined before */
{
	accepts(im, 2);
	build(im);
	put32(im, SOCK(im, 11, accept_ref), im->file_ref[11]);
	return SOCK(im, 11, accept_ref);
}

CASE(tcp_accept_twice)	/* two listeners on the port, one queue */
{
	struct ckpt_socket s;
	int f;

	accepts(im, 2);
	im->socks[0].opts |= CKPT_SO_REUSEPORT;
	s = im->socks[0];
	f = add_sock(im, 1, 10, &s);
	im->file_accept[f] = 1;
	build(im);
	return SOCK(im, f, accept_ref);
}

CASE(tcp_accept_twice_before_port)
{
	struct ckpt_socket s;
	int f;

	accepts(im, 2);
	s = im->socks[0];
	s.addr_len = sa_in(s.addr, 0, 8081);
	f = add_sock(im, 1, 10, &s);
	im->file_accept[f] = 1;
	build(im);
	return SOCK(im, f, accept_ref);
}

CASE(tcp_accept_family)	/* an IPv6 listener: it would take IPv4-mapped ones */
{
	accepts(im, 2);
	im->socks[0].family = AF_INET6_;
	im->socks[0].addr_len = sa_in6(im->socks[0].addr, in6_any, 8080);
	build(im);
	return SOCK(im, 11, family);
}

CASE(tcp_accept_family_second)	/* the second connection over IPv6 */
{
	struct ckpt_hdr_tcp *t = &im->tcps[2];

	accepts(im, 2);
	t->family = AF_INET6_;
	t->addr_len = sa_in6(t->addr, in6_dns, 8080);
	t->peer_len = sa_in6(t->peer, in6_loopback, 51000);
	build(im);
	return SOCK(im, 11, family);
}

CASE(tcp_accept_port)
{
	accepts(im, 2);
	im->socks[0].addr_len = sa_in(im->socks[0].addr, 0, 8081);
	build(im);
	return SOCK(im, 11, addr) + 2;
}

CASE(tcp_accept_port_second)	/* the second connection on another port */
{
	accepts(im, 2);
	im->tcps[2].addr_len = sa_in(im->tcps[2].addr, 0xc0a80117, 8443);
	build(im);
	return SOCK(im, 11, addr) + 2;
}

CASE(files_len_below_min)
{
	build(im);
	put32(im, LEN(im->files_off[0]), sizeof(struct ckpt_hdr_files) - 8);
	return LEN(im->files_off[0]);
}

CASE(files_len_above_max)
{
	build(im);
	put32(im, LEN(im->files_off[1]), sizeof(struct ckpt_hdr_files) +
	      (CKPT_FILES_MAX + 1) * sizeof(struct ckpt_fd));
	return LEN(im->files_off[1]);
}

CASE(files_nr_fds_above_max)
{
	build(im);
	put32(im, FILES(im, 1, nr_fds), CKPT_FILES_MAX + 1);
	return FILES(im, 1, nr_fds);
}

CASE(files_len)
{
	build(im);
	put32(im, FILES(im, 2, nr_fds), 6);
	return LEN(im->files_off[2]);
}

CASE(files_cut)
{
	build(im);
	im->len = FD(im, 2, 3, flags);
	return im->len;
}

CASE(files_fd_negative)
{
	build(im);
	put32(im, FD(im, 0, 0, fd), -1);
	return FD(im, 0, 0, fd);
}

CASE(files_fd_twice)
{
	build(im);
	put32(im, FD(im, 0, 6, fd), 5);
	return FD(im, 0, 6, fd);
}

CASE(files_fd_order)
{
	build(im);
	put32(im, FD(im, 1, 6, fd), 4);
	return FD(im, 1, 6, fd);
}

CASE(files_fd_flags)	/* O_CLOEXEC is not CKPT_FD_CLOEXEC */
{
	build(im);
	put32(im, FD(im, 2, 4, flags), 02000000);
	return FD(im, 2, 4, flags);
}

CASE(files_fd_pad)
{
	build(im);
	im->buf[FD(im, 1, 2, _pad) + 1] = 1;
	return FD(im, 1, 2, _pad) + 1;
}

CASE(files_file_ref_0)
{
	build(im);
	put32(im, FD(im, 0, 5, file_ref), 0);
	return FD(im, 0, 5, file_ref);
}

CASE(files_file_ref_later)
{
	build(im);
	put32(im, FD(im, 0, 3, file_ref), im->file_ref[4]);
	return FD(im, 0, 3, file_ref);
}

CASE(files_file_ref_self)	/* the table is not defined until it is read */
{
	build(im);
	put32(im, FD(im, 2, 0, file_ref), im->files_ref[2]);
	return FD(im, 2, 0, file_ref);
}

CASE(files_file_ref_mm)
{
	build(im);
	put32(im, FD(im, 1, 4, file_ref), im->mm_ref[1]);
	return FD(im, 1, 4, file_ref);
}

CASE(files_file_ref_files)
{
	build(im);
	put32(im, FD(im, 1, 0, file_ref), im->files_ref[0]);
	return FD(im, 1, 0, file_ref);
}

CASE(files_pad)
{
	build(im);
	im->buf[FILES(im, 2, _pad) + 3] = 1;
	return FILES(im, 2, _pad) + 3;
}

CASE(files_fd_before_pad)	/* the descriptors are checked first */
{
	build(im);
	im->buf[FILES(im, 0, _pad)] = 1;
	put32(im, FD(im, 0, 6, file_ref), 0);
	return FD(im, 0, 6, file_ref);
}

CASE(fs_len_below_min)
{
	build(im);
	put32(im, LEN(im->fs_off[0]), sizeof(struct ckpt_hdr_fs) - 8);
	return LEN(im->fs_off[0]);
}

CASE(fs_len_above_max)
{
	build(im);
	put32(im, LEN(im->fs_off[0]), sizeof(struct ckpt_hdr_fs) + 2 * CKPT_PATH_MAX + 8);
	return LEN(im->fs_off[0]);
}

CASE(fs_umask)
{
	im->fss[1].umask = 01022;
	build(im);
	return FSR(im, 1, umask);
}

CASE(fs_cwd_len_1)
{
	im->fss[2].cwd = "";
	build(im);
	return FSR(im, 2, cwd_len);
}

CASE(fs_root_len_above_max)
{
	build(im);
	put32(im, FSR(im, 0, root_len), CKPT_PATH_MAX + 1);
	return FSR(im, 0, root_len);
}

CASE(fs_len)
{
	build(im);
	put32(im, FSR(im, 1, cwd_len), 12);
	return LEN(im->fs_off[1]);
}

CASE(fs_cwd_relative)
{
	im->fss[0].cwd = "home/user";
	build(im);
	return FS_CWD(im, 0);
}

CASE(fs_cwd_no_nul)	/* the cwd runs into the root */
{
	build(im);
	put32(im, FSR(im, 2, cwd_len), 9);
	put32(im, FSR(im, 2, root_len), 3);
	return FS_CWD(im, 2) + 8;
}

CASE(fs_root_relative)
{
	im->fss[1].root = ".";
	build(im);
	return FS_CWD(im, 1) + 11;
}

CASE(fs_pad)
{
	build(im);
	im->buf[FSR(im, 2, _pad) + 1] = 1;
	return FSR(im, 2, _pad) + 1;
}

CASE(files_ref_0)
{
	build(im);
	put32(im, TASK(im, 0, files_ref), 0);
	return TASK(im, 0, files_ref);
}

CASE(files_ref_later)
{
	build(im);
	put32(im, TASK(im, 1, files_ref), im->files_ref[1]);
	return TASK(im, 1, files_ref);
}

CASE(files_ref_fs)
{
	build(im);
	put32(im, TASK(im, 2, files_ref), im->fs_ref[1]);
	return TASK(im, 2, files_ref);
}

CASE(files_ref_file)
{
	build(im);
	put32(im, TASK(im, 3, files_ref), im->file_ref[7]);
	return TASK(im, 3, files_ref);
}

CASE(fs_ref_0)
{
	build(im);
	put32(im, TASK(im, 4, fs_ref), 0);
	return TASK(im, 4, fs_ref);
}

CASE(fs_ref_later)
{
	build(im);
	put32(im, TASK(im, 2, fs_ref), im->fs_ref[2]);
	return TASK(im, 2, fs_ref);
}

CASE(fs_ref_files)
{
	build(im);
	put32(im, TASK(im, 3, fs_ref), im->files_ref[2]);
	return TASK(im, 3, fs_ref);
}

CASE(signal_ref_before_files_ref)
{
	build(im);
	put32(im, TASK(im, 2, files_ref), 0);
	put32(im, TASK(im, 2, signal_ref), 0);
	return TASK(im, 2, signal_ref);
}

CASE(files_ref_before_fs_ref)
{
	build(im);
	put32(im, TASK(im, 0, fs_ref), 0);
	put32(im, TASK(im, 0, files_ref), 0);
	return TASK(im, 0, files_ref);
}

CASE(fs_ref_before_thread_mm)
{
	build(im);
	put32(im, TASK(im, 4, mm_ref), im->mm_ref[0]);
	put32(im, TASK(im, 4, fs_ref), 0);
	return TASK(im, 4, fs_ref);
}

CASE(fs_ref_before_cred_ref)
{
	build(im);
	put32(im, TASK(im, 3, real_cred_ref), 0);
	put32(im, TASK(im, 3, fs_ref), im->files_ref[2]);
	return TASK(im, 3, fs_ref);
}

/*
 * Pseudo-terminals: sudo runs its command in a pty of its own, as
 * use_pty has it.  Its fds 3, 4 and 5 are the master (file 11), the
 * slave (12), non-blocking, and the slave opened a second time (13); its
 * log stays at fd 7.  The pty is in canonical mode, with the termios a
 * pty starts with and a window of 24x80, its master in packet mode: the
 * slave's reader has "hello\n" in a whole line and "wor" being edited,
 * then "ld\n" not taken in yet; the master's reader has "output\r\n".
 *
 *   objects: ..., signal 14, pty 15, file 16 (the master), file 17,
 *	      file 18, file 19 (the log), files 20, fs 21, ...
 */
#define PTY(im, k, fld)	AT((im)->pty_off[k], ckpt_hdr_pty, fld)
#define TTYQ(im, k, i, fld) TTYQ_AT((im)->pty_off[k], i, fld)
#define PTY_PATH(im, k)	((im)->pty_off[k] + sizeof(struct ckpt_hdr_pty))
#define PTYF(im, f, fld) AT(FPATH(im, f), ckpt_pty_file, fld)

/* The line ends of queue @i of pty @k, as emit_pty() lays them out */
static size_t pty_ends_at(const struct img *im, int k, int i)
{
	const struct mpty *p = &im->ptys[k];
	size_t d = PTY_PATH(im, k) + strlen(p->path) + 1;

	if (i)
		d += mttyq_len(&p->in[0]);
	return d + p->in[i].len + p->in[i].pending;
}

/* A file of pty 0, open at descriptor @fd of table @t: its index in img.files */
static int add_pty_file(struct img *im, int t, int32_t fd, uint32_t end, uint32_t f_flags)
{
	int f = im->nr_files++;

	if (f >= MAX_FILES) {
		fprintf(stderr, "mkimage: too many files\n");
		exit(1);
	}
	/* /dev/ptmx on devtmpfs (0:5); /dev/pts/1 on devpts (0:26), index + 3 */
	if (end == CKPT_PTY_MASTER)
		im->files[f] = (struct mfile){ .kind = CKPT_FILE_PTY, .f_flags = f_flags,
					       .mode = S_IFCHR_ | 0666, .ino = 87,
					       .dev = DEV(0, 5) };
	else
		im->files[f] = (struct mfile){ .kind = CKPT_FILE_PTY, .f_flags = f_flags,
					       .mode = S_IFCHR_ | 0620,
					       .ino = im->ptys[0].index + 3, .dev = DEV(0, 26) };
	im->file_pty[f] = 1;
	im->file_pty_end[f] = end;
	add_fd(im, t, fd, f);
	return f;
}

/* sudo's pty, with its files at fds 3 to 5 (@slaves) or its master alone */
static void pty(struct img *im, bool slaves)
{
	/* INIT_C_CC: ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, ^Q ^S ^Z, ^R ^O ^W ^V */
	static const uint8_t cc[19] = {
		3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026,
	};
	static const struct mfd sudo_fds[] = {
		{ 0, 0, 0 }, { 1, 0, 0 }, { 2, 0, 0 },
	};
	struct mpty *p = &im->ptys[0];

	im->nr_ptys = 1;
	*p = (struct mpty){
		.index = 1, .flags = CKPT_PTY_PACKET, .master_acc = O_RDWR_,
		.termios = {
			.c_iflag = ICRNL_ | IXON_, .c_oflag = OPOST_ | ONLCR_,
			.c_cflag = B38400_ | CS8_ | CREAD_,
			.c_lflag = ICANON_ | ECHO_ | ISIG_ | IEXTEN_ | ECHOE_ | ECHOK_ |
				   ECHOCTL_ | ECHOKE_,
			.c_ispeed = 38400, .c_ospeed = 38400,
		},
		.ws_row = 24, .ws_col = 80, .path = "/dev/ptmx",
		.in = {
			{ 9, 6, 3, 0, 3, 0, "hello\nwor", "ld\n", 1 << 5 },
			{ 8, 0, 0, 0, 0, 0, "output\r\n", NULL, 0 },
		},
	};
	memcpy(p->termios.c_cc, cc, sizeof(cc));
	im->nr_files = 11;
	im->tables[1] = (struct mtable){ ARRAY_SIZE(sudo_fds), sudo_fds };
	add_pty_file(im, 1, 3, CKPT_PTY_MASTER, O_RDWR_ | O_LARGEFILE_);
	if (slaves) {
		add_pty_file(im, 1, 4, CKPT_PTY_SLAVE, O_RDWR_ | O_LARGEFILE_ | O_NONBLOCK_);
		add_pty_file(im, 1, 5, CKPT_PTY_SLAVE, O_RDWR_ | O_LARGEFILE_);
	}
	add_fd(im, 1, 7, 4);
}

CASE(pty)
{
	pty(im, true);
	build(im);
	return 0;
}

/*
 * Its slave locked and closed, no slave file: what was typed at it is
 * "ab" then EOF, a line that ends where the EOF was, and ICANON set with
 * it queued
 */
CASE(pty_locked_eof)
{
	pty(im, false);
	im->ptys[0].flags = CKPT_PTY_LOCKED | CKPT_PTY_SLAVE_CLOSED;
	im->ptys[0].in[0] = (struct mttyq){ 3, 3, 0, CKPT_TTYQ_PUSH, 2, 2, "ab\0", NULL,
					    1 << 2 };
	im->ptys[0].in[1] = (struct mttyq){ 0 };
	build(im);
	return 0;
}

CASE(pty_len)	/* 8 bytes after in[1]'s */
{
	pty(im, true);
	im->ptys[0].extra = 8;
	build(im);
	return LEN(im->pty_off[0]);
}

CASE(pty_path_len)	/* no room for a path */
{
	pty(im, true);
	build(im);
	put32(im, PTY(im, 0, path_len), 1);
	return PTY(im, 0, path_len);
}

CASE(pty_path_rel)
{
	pty(im, true);
	im->ptys[0].path = "dev/ptmx";
	build(im);
	return PTY_PATH(im, 0);
}

CASE(pty_flags)
{
	pty(im, true);
	im->ptys[0].flags |= 0x20;
	build(im);
	return PTY(im, 0, flags);
}

CASE(pty_pktstatus)	/* a packet status, not in packet mode */
{
	pty(im, true);
	im->ptys[0].flags = 0;
	im->ptys[0].pktstatus = 0x08;	/* TIOCPKT_START */
	build(im);
	return PTY(im, 0, pktstatus);
}

CASE(pty_pktstatus_bits)	/* above TIOCPKT_IOCTL */
{
	pty(im, true);
	im->ptys[0].pktstatus = 0x80;
	build(im);
	return PTY(im, 0, pktstatus);
}

CASE(pty_master_acc)
{
	pty(im, true);
	im->ptys[0].master_acc = 3;
	build(im);
	return PTY(im, 0, master_acc);
}

CASE(pty_session)	/* not a pid */
{
	pty(im, true);
	im->ptys[0].session = -1;
	build(im);
	return PTY(im, 0, session);
}

CASE(pty_fg_pgrp)	/* a foreground group, in no session */
{
	pty(im, true);
	im->ptys[0].fg_pgrp = 102;
	build(im);
	return PTY(im, 0, fg_pgrp);
}

CASE(pty_line)	/* N_SLIP */
{
	pty(im, true);
	im->ptys[0].termios.c_line = 1;
	build(im);
	return PTY(im, 0, termios.c_line);
}

CASE(pty_pad)
{
	pty(im, true);
	build(im);
	im->buf[PTY(im, 0, _pad) + 3] = 1;
	return PTY(im, 0, _pad) + 3;
}

CASE(pty_termios_pad)
{
	pty(im, true);
	build(im);
	im->buf[PTY(im, 0, termios._pad) + 1] = 1;
	return PTY(im, 0, termios._pad) + 1;
}

CASE(pty_qlen)	/* more than N_TTY_BUF_SIZE bytes */
{
	pty(im, true);
	im->ptys[0].in[0].len = CKPT_TTY_BUF_SIZE + 1;
	im->ptys[0].in[0].data = NULL;
	build(im);
	return TTYQ(im, 0, 0, len);
}

CASE(pty_canon)	/* more bytes in lines than bytes */
{
	pty(im, true);
	im->ptys[0].in[0].canon = 10;
	im->ptys[0].in[0].ends = 1 << 9;
	build(im);
	return TTYQ(im, 0, 0, canon);
}

CASE(pty_pending)
{
	pty(im, true);
	im->ptys[0].in[0].pending = CKPT_TTY_MAX_PENDING + 1;
	im->ptys[0].in[0].pending_data = NULL;
	build(im);
	return TTYQ(im, 0, 0, pending);
}

CASE(pty_qflags)
{
	pty(im, true);
	im->ptys[0].in[0].flags = 0x8;
	build(im);
	return TTYQ(im, 0, 0, flags);
}

CASE(pty_canon_raw)	/* lines for the master's reader, whose termios is raw */
{
	pty(im, true);
	im->ptys[0].in[1].canon = 8;
	im->ptys[0].in[1].ends = 1 << 7;
	build(im);
	return TTYQ(im, 0, 1, canon);
}

CASE(pty_push_raw)	/* PUSH on the slave's queue, not in canonical mode */
{
	pty(im, true);
	im->ptys[0].termios.c_lflag &= ~ICANON_;
	im->ptys[0].in[0].canon = 0;
	im->ptys[0].in[0].ends = 0;
	im->ptys[0].in[0].flags = CKPT_TTYQ_PUSH;
	build(im);
	return TTYQ(im, 0, 0, flags);
}

CASE(pty_lnext_raw)	/* literal next on the master's queue, never canonical */
{
	pty(im, true);
	im->ptys[0].in[1].flags = CKPT_TTYQ_LNEXT;
	build(im);
	return TTYQ(im, 0, 1, flags);
}

CASE(pty_end_past)	/* a line end at byte 6, past the 6 in lines */
{
	pty(im, true);
	im->ptys[0].in[0].ends |= 1 << 6;
	build(im);
	return pty_ends_at(im, 0, 0);
}

CASE(pty_no_end)	/* 6 bytes in lines, none ending one */
{
	pty(im, true);
	im->ptys[0].in[0].ends = 0;
	build(im);
	return pty_ends_at(im, 0, 0);
}

CASE(ptyfile_end)
{
	pty(im, true);
	im->file_pty_end[12] = 2;
	build(im);
	return PTYF(im, 12, end);
}

CASE(ptyfile_pad)
{
	pty(im, true);
	build(im);
	im->buf[PTYF(im, 12, _pad) + 2] = 1;
	return PTYF(im, 12, _pad) + 2;
}

CASE(ptyfile_mode)
{
	pty(im, true);
	im->files[12].mode = S_IFREG_ | 0620;
	build(im);
	return FREC(im, 12, mode);
}

CASE(ptyfile_rdev)	/* the slave's device number: only CKPT_FILE_CHR has one */
{
	pty(im, true);
	im->files[12].rdev = DEV(136, 1);
	build(im);
	return FREC(im, 12, rdev);
}

CASE(ptyfile_pos)
{
	pty(im, true);
	im->files[12].pos = 1;
	build(im);
	return FREC(im, 12, pos);
}

CASE(ptyfile_flags)	/* O_APPEND is kept, not O_DIRECT */
{
	pty(im, true);
	im->files[12].f_flags = O_RDWR_ | O_APPEND_ | O_DIRECT_;
	build(im);
	return FREC(im, 12, f_flags);
}

CASE(ptyfile_len)
{
	pty(im, true);
	build(im);
	put32(im, FREC(im, 12, path_len), 0);
	return FREC(im, 12, path_len);
}

CASE(ptyfile_ref)	/* the terminal sudo inherited, a file */
{
	pty(im, true);
	build(im);
	put32(im, FREC(im, 11, pty_ref), im->file_ref[0]);
	return FREC(im, 11, pty_ref);
}

CASE(ptyfile_master_twice)
{
	pty(im, true);
	im->files[13] = im->files[11];
	im->file_pty_end[13] = CKPT_PTY_MASTER;
	build(im);
	return PTYF(im, 13, end);
}

CASE(ptyfile_master_acc)	/* the master open otherwise than the ptmx open saved */
{
	pty(im, true);
	im->files[11].f_flags = O_RDONLY_ | O_LARGEFILE_;
	build(im);
	return FREC(im, 11, f_flags);
}

/* ---- restart blocks ---- */

#define RB(im, t, fld)	AT((im)->rb_off[t], ckpt_hdr_restart_block, fld)

CASE(rb_poll)	/* poll() without a timeout, and ppoll()'s restart */
{
	im->tasks[3].rb = (struct mrestart){
		.kind = CKPT_RESTART_POLL, .nfds = 3, .addr = 0x7ffc10e0b000ULL,
	};
	im->tasks[4].rb = (struct mrestart){
		.kind = CKPT_RESTART_POLL, .flags = CKPT_RESTART_TIMEOUT,
		.nfds = 0, .timeout_ns = ~0ULL,
	};
	build(im);
	return 0;
}

CASE(rb_futex_shared_realtime)
{
	im->tasks[1].rb.flags |= CKPT_RESTART_FUTEX_SHARED |
				 CKPT_RESTART_FUTEX_REALTIME;
	im->tasks[2].rb.clockid = 11;	/* CLOCK_TAI */
	im->tasks[2].rb.addr = 0;
	build(im);
	return 0;
}

CASE(rb_kind_0)
{
	build(im);
	put32(im, RB(im, 2, kind), 0);
	return RB(im, 2, kind);
}

CASE(rb_kind_4)
{
	build(im);
	put32(im, RB(im, 2, kind), 4);
	return RB(im, 2, kind);
}

CASE(rb_nanosleep_cpu_clock)	/* CLOCK_PROCESS_CPUTIME_ID */
{
	im->tasks[2].rb.clockid = 2;
	build(im);
	return RB(im, 2, clockid);
}

CASE(rb_nanosleep_no_timeout)
{
	im->tasks[2].rb.flags = 0;
	build(im);
	return im->rb_off[2];
}

CASE(rb_nanosleep_rmtp_kernel)
{
	im->tasks[2].rb.addr = TASK_SIZE_MAX;
	build(im);
	return im->rb_off[2];
}

CASE(rb_futex_bitset_0)
{
	im->tasks[1].rb.bitset = 0;
	build(im);
	return im->rb_off[1];
}

CASE(rb_futex_unaligned)
{
	im->tasks[1].rb.addr += 2;
	build(im);
	return im->rb_off[1];
}

CASE(rb_futex_unknown_flag)
{
	im->tasks[1].rb.flags |= 0x8;
	build(im);
	return im->rb_off[1];
}

CASE(rb_poll_timeout_without_flag)
{
	im->tasks[3].rb = (struct mrestart){
		.kind = CKPT_RESTART_POLL, .nfds = 1, .timeout_ns = 1,
	};
	build(im);
	return im->rb_off[3];
}

CASE(rb_poll_nfds_above_int)
{
	im->tasks[3].rb = (struct mrestart){
		.kind = CKPT_RESTART_POLL, .nfds = 0x80000000U,
	};
	build(im);
	return im->rb_off[3];
}

CASE(rb_len_below_min)
{
	build(im);
	put32(im, LEN(im->rb_off[2]), sizeof(struct ckpt_hdr_restart_block) - 8);
	return LEN(im->rb_off[2]);
}

CASE(rb_cut)
{
	build(im);
	im->len = RB(im, 2, addr);
	return im->len;
}

/* ---- POSIX timers ---- */

/* Field @fld of the timers record of task @t, of its timer @i */
#define PT(im, t, fld)	AT((im)->pt_off[t], ckpt_hdr_posix_timers, fld)
#define PTE(im, t, i, fld) \
	((im)->pt_off[t] + sizeof(struct ckpt_hdr_posix_timers) + \
	 (i) * sizeof(struct ckpt_posix_timer) + offsetof(struct ckpt_posix_timer, fld))
/* sudo's timers: 0 absolute on CLOCK_REALTIME, 1 periodic with its signal pending */
#define SUDO_T(im, i)	(&(im)->tsets[0].t[i])

/*
 * Give cat (103, with its thread 104) a timers record, without timers
 * for now, its next id @next_id.  The cases make timers with ids below,
 * some missing as the process deleted them.
 */
static struct mtimers *cat_timers(struct img *im, uint32_t next_id)
{
	im->tasks[3].timers = 2;
	im->tsets[1] = (struct mtimers){ .next_id = next_id };
	return &im->tsets[1];
}

/* A one-shot timer on @clockid, set (it_requeue_pending 2), not yet expired */
static struct mtimer oneshot(int32_t id, int32_t clockid, int32_t signo, int64_t value)
{
	return (struct mtimer){
		.id = id, .clockid = clockid, .notify = SIGEV_SIGNAL_, .signo = signo,
		.sigval = 0x7f0000003000ULL + id, .value = value, .overrun = -1,
		.requeue = 2,
	};
}

CASE(timers_oneshot)	/* armed, and expired with its signal pending */
{
	struct mtimers *ts = cat_timers(im, 3);

	ts->nr = 2;
	ts->t[0] = oneshot(1, CLOCK_MONOTONIC_, X86_SIGRTMIN, 5 * NSEC);
	ts->t[1] = oneshot(2, CLOCK_BOOTTIME_, X86_SIGUSR1, 0);
	ts->t[1].flags = CKPT_TIMER_PENDING;
	im->sigs[2].nr_pending = 1;
	im->sigs[2].pending = (struct msiginfo){ X86_SIGUSR1, SI_TIMER_, 2, 0,
						 ts->t[1].sigval, 0 };
	build(im);
	return 0;
}

/*
 * Periodic timers with their signal pending: its siginfo saved, or not
 * (it expired while the process was being saved, its signal queued
 * after the others at restart); one was set to an absolute time.  The
 * siginfo is that of an older kernel, which saved it_requeue_pending in
 * it.
 */
CASE(timers_periodic_pending)
{
	struct mtimers *ts = cat_timers(im, 9);

	ts->nr = 3;
	ts->t[0] = oneshot(1, CLOCK_BOOTTIME_, X86_SIGRTMIN + 1, 40 * MS);
	ts->t[0].interval = 100 * MS;
	ts->t[0].flags = CKPT_TIMER_PENDING;
	ts->t[0].overrun = 7;
	ts->t[0].overrun_last = 3;
	ts->t[0].requeue = 5;
	ts->t[1] = oneshot(4, CLOCK_TAI_, X86_SIGRTMIN + 2, 2 * MS);
	ts->t[1].interval = 10 * MS;
	ts->t[1].flags = CKPT_TIMER_PENDING;
	ts->t[1].overrun = 0;
	ts->t[1].requeue = 3;
	ts->t[2] = oneshot(8, CLOCK_REALTIME_, X86_SIGALRM, 1700000000 * NSEC + 500 * MS);
	ts->t[2].interval = NSEC;
	ts->t[2].flags = CKPT_TIMER_ABSTIME | CKPT_TIMER_PENDING;
	ts->t[2].overrun = 0;
	ts->t[2].requeue = 7;
	im->sigs[2].nr_pending = 1;
	im->sigs[2].pending = (struct msiginfo){ X86_SIGRTMIN + 1, SI_TIMER_, 1, 0,
						 ts->t[0].sigval, 5 };
	build(im);
	return 0;
}

CASE(timers_sigev_none)	/* read with timer_gettime(): no signal, any signo */
{
	struct mtimers *ts = cat_timers(im, 5);

	ts->nr = 5;
	ts->t[0] = oneshot(0, CLOCK_BOOTTIME_, 0, 300 * MS);
	ts->t[0].notify = SIGEV_NONE_;
	ts->t[0].interval = NSEC;
	ts->t[0].overrun = 12;
	ts->t[1] = oneshot(1, CLOCK_MONOTONIC_, -7, 0);	/* expired */
	ts->t[1].notify = SIGEV_NONE_;
	ts->t[2] = oneshot(2, CLOCK_PROCESS_CPUTIME_ID_, 200, KTIME_MAX / 2);
	ts->t[2].notify = SIGEV_NONE_;
	ts->t[3] = oneshot(3, CLOCK_TAI_, INT32_MIN, 0);
	ts->t[3].notify = SIGEV_NONE_;
	ts->t[4] = oneshot(4, CLOCK_REALTIME_, CKPT_NSIG + 1, 20 * MS);
	ts->t[4].notify = SIGEV_NONE_;
	ts->t[4].interval = 20 * MS;
	ts->t[4].requeue = 3;	/* no signal to wait for: not pending */
	build(im);
	return 0;
}

/*
 * SIGEV_THREAD_ID: to the leader itself, expired, its signal pending for
 * it alone; to its thread, on the CPU time of the thread that made it.
 */
CASE(timers_thread_id)
{
	struct mtimers *ts = cat_timers(im, 2);

	ts->nr = 2;
	ts->t[0] = oneshot(0, CLOCK_MONOTONIC_, X86_SIGRTMIN + 4, 0);
	ts->t[0].notify = SIGEV_THREAD_ID_;
	ts->t[0].notify_tid = 103;
	ts->t[0].flags = CKPT_TIMER_PENDING;
	ts->t[1] = oneshot(1, CLOCK_THREAD_CPUTIME_ID_, X86_SIGRTMIN + 5, 20 * MS);
	ts->t[1].notify = SIGEV_THREAD_ID_;
	ts->t[1].notify_tid = 104;
	im->tasks[3].ts.nr_pending = 1;
	im->tasks[3].ts.pending = (struct msiginfo){ X86_SIGRTMIN + 4, SI_TIMER_, 0, 0,
						     ts->t[0].sigval, 0 };
	build(im);
	return 0;
}

/*
 * SIGEV_THREAD: user space starts a thread on the signal (glibc uses
 * SIGEV_THREAD_ID for it, the kernel takes both); one expired, its
 * signal pending, the other signals with the last signal there is.
 */
CASE(timers_sigev_thread)
{
	struct mtimers *ts = cat_timers(im, 2);

	ts->nr = 2;
	ts->t[0] = oneshot(0, CLOCK_MONOTONIC_, X86_SIGRTMIN + 6, 0);
	ts->t[0].notify = SIGEV_THREAD_;
	ts->t[0].flags = CKPT_TIMER_PENDING;
	ts->t[1] = oneshot(1, CLOCK_BOOTTIME_, CKPT_NSIG, 2 * NSEC);
	ts->t[1].notify = SIGEV_THREAD_;
	ts->t[1].interval = NSEC;
	im->sigs[2].nr_pending = 1;
	im->sigs[2].pending = (struct msiginfo){ X86_SIGRTMIN + 6, SI_TIMER_, 0, 0,
						 ts->t[0].sigval, 0 };
	build(im);
	return 0;
}

/*
 * Timers set again while the signal of an earlier expiry is pending:
 * they run, and do not wait for the signal to be taken (it_requeue_pending
 * even), the signal only a signal.  Periodic, on any clock, or one-shot.
 */
CASE(timers_pending_set_again)
{
	struct mtimers *ts = cat_timers(im, 4);

	ts->nr = 4;
	ts->t[0] = oneshot(0, CLOCK_MONOTONIC_, X86_SIGRTMIN + 1, 30 * MS);
	ts->t[0].interval = 100 * MS;
	ts->t[0].flags = CKPT_TIMER_PENDING;
	ts->t[0].overrun = 0;
	ts->t[0].requeue = 4;
	ts->t[1] = oneshot(1, CLOCK_PROCESS_CPUTIME_ID_, X86_SIGRTMIN + 2, 10 * MS);
	ts->t[1].interval = 50 * MS;
	ts->t[1].flags = CKPT_TIMER_PENDING;
	ts->t[1].overrun = 0;
	ts->t[1].requeue = 6;
	ts->t[2] = oneshot(2, CLOCK_BOOTTIME_, X86_SIGUSR1, 5 * NSEC);
	ts->t[2].flags = CKPT_TIMER_PENDING;
	ts->t[2].requeue = 4;
	ts->t[3] = oneshot(3, CLOCK_TAI_, X86_SIGUSR2, 0);	/* then disarmed */
	ts->t[3].interval = 100 * MS;
	ts->t[3].flags = CKPT_TIMER_PENDING;
	ts->t[3].requeue = 8;
	im->sigs[2].nr_pending = 1;
	im->sigs[2].pending = (struct msiginfo){ X86_SIGRTMIN + 1, SI_TIMER_, 0, 0,
						 ts->t[0].sigval, 0 };
	build(im);
	return 0;
}

CASE(timers_abstime)	/* CLOCK_REALTIME: absolute, and relative to now */
{
	struct mtimers *ts = cat_timers(im, 6);

	ts->nr = 2;
	ts->t[0] = oneshot(3, CLOCK_REALTIME_, X86_SIGALRM, 1700003600 * NSEC + 1);
	ts->t[0].flags = CKPT_TIMER_ABSTIME;
	ts->t[1] = oneshot(5, CLOCK_REALTIME_, X86_SIGALRM, 90 * NSEC);
	build(im);
	return 0;
}

CASE(timers_all_deleted)	/* made timers, has none left */
{
	cat_timers(im, 17);
	build(im);
	return 0;
}

CASE(timers_max)
{
	struct mtimers *ts = cat_timers(im, CKPT_POSIX_TIMERS_MAX);

	ts->nr = 1;
	ts->nr_more = CKPT_POSIX_TIMERS_MAX - 1;
	ts->t[0] = oneshot(0, CLOCK_MONOTONIC_, X86_SIGRTMIN, NSEC);
	build(im);
	return 0;
}

CASE(timers_limits)
{
	struct mtimers *ts = cat_timers(im, INT32_MAX);

	ts->nr = 3;
	ts->t[0] = oneshot(0, CLOCK_REALTIME_, CKPT_NSIG, TIME_MAX);
	ts->t[0].interval = TIME_MAX;
	ts->t[0].flags = CKPT_TIMER_ABSTIME | CKPT_TIMER_PENDING;
	ts->t[0].overrun = INT64_MAX;
	ts->t[0].overrun_last = INT64_MAX;
	ts->t[0].requeue = ~0U;
	ts->t[1] = oneshot(1, CLOCK_THREAD_CPUTIME_ID_, 1, KTIME_MAX / 2);
	ts->t[1].interval = TIME_MAX;
	ts->t[2] = oneshot(INT32_MAX, CLOCK_PROCESS_CPUTIME_ID_, 1, 0);
	ts->t[2].flags = CKPT_TIMER_PENDING;
	build(im);
	return 0;
}

CASE(timers_len_below_min)
{
	build(im);
	put32(im, LEN(im->pt_off[2]), sizeof(struct ckpt_hdr_posix_timers) - 8);
	return LEN(im->pt_off[2]);
}

CASE(timers_len_above_max)
{
	build(im);
	put32(im, LEN(im->pt_off[2]), sizeof(struct ckpt_hdr_posix_timers) +
	      (CKPT_POSIX_TIMERS_MAX + 1) * sizeof(struct ckpt_posix_timer));
	return LEN(im->pt_off[2]);
}

CASE(timers_len)
{
	build(im);
	put32(im, PT(im, 2, nr_timers), 1);
	return LEN(im->pt_off[2]);
}

CASE(timers_len_partial)	/* room for half a timer more */
{
	build(im);
	put32(im, LEN(im->pt_off[2]), sizeof(struct ckpt_hdr_posix_timers) +
	      2 * sizeof(struct ckpt_posix_timer) - 32);
	return LEN(im->pt_off[2]);
}

CASE(timers_nr_above_max)	/* E2BIG before the length is checked */
{
	build(im);
	put32(im, PT(im, 2, nr_timers), CKPT_POSIX_TIMERS_MAX + 1);
	return PT(im, 2, nr_timers);
}

CASE(timers_nr_u32_max)
{
	build(im);
	put32(im, PT(im, 2, nr_timers), ~0U);
	return PT(im, 2, nr_timers);
}

CASE(timers_nr_before_next_id)
{
	im->tsets[0].next_id = ~0U;
	build(im);
	put32(im, PT(im, 2, nr_timers), CKPT_POSIX_TIMERS_MAX + 1);
	return PT(im, 2, nr_timers);
}

CASE(timers_next_id_above_int_max)
{
	im->tsets[0].next_id = 0x80000000U;
	build(im);
	return PT(im, 2, next_id);
}

CASE(timers_len_before_next_id)
{
	im->tsets[0].next_id = ~0U;
	build(im);
	put32(im, PT(im, 2, nr_timers), 3);
	return LEN(im->pt_off[2]);
}

CASE(timers_id_order)
{
	SUDO_T(im, 0)->id = 5;
	build(im);
	return PTE(im, 2, 1, id);
}

CASE(timers_id_twice)
{
	SUDO_T(im, 1)->id = 0;
	build(im);
	return PTE(im, 2, 1, id);
}

CASE(timers_id_negative)
{
	SUDO_T(im, 0)->id = -1;
	build(im);
	return PTE(im, 2, 0, id);
}

CASE(timers_next_id_before_ids)
{
	im->tsets[0].next_id = 0x80000000U;
	SUDO_T(im, 0)->id = -1;
	build(im);
	return PT(im, 2, next_id);
}

CASE(timers_clock_monotonic_raw)	/* not a clock of timer_create() */
{
	SUDO_T(im, 1)->clockid = CLOCK_MONOTONIC_RAW_;
	build(im);
	return PTE(im, 2, 1, clockid);
}

CASE(timers_clock_alarm)	/* a clock restart(2) does not take yet */
{
	SUDO_T(im, 1)->clockid = CLOCK_REALTIME_ALARM_;
	build(im);
	return PTE(im, 2, 1, clockid);
}

CASE(timers_clock_cpu_of_pid)	/* clock_getcpuclockid() of pid 102 */
{
	SUDO_T(im, 1)->clockid = ~102 * 8 | 2;
	build(im);
	return PTE(im, 2, 1, clockid);
}

CASE(timers_id_before_clock)
{
	SUDO_T(im, 1)->id = 0;
	SUDO_T(im, 1)->clockid = 12;
	build(im);
	return PTE(im, 2, 1, id);
}

CASE(timers_flags)
{
	SUDO_T(im, 0)->flags |= 0x4;
	build(im);
	return PTE(im, 2, 0, flags);
}

CASE(timers_flags_high)
{
	SUDO_T(im, 1)->flags |= 0x80000000U;
	build(im);
	return PTE(im, 2, 1, flags);
}

CASE(timers_pad)
{
	build(im);
	im->buf[PTE(im, 2, 1, _pad) + 3] = 1;
	return PTE(im, 2, 1, _pad);
}

/* SIGEV_NONE | SIGEV_THREAD: not a sigev_notify of timer_create() */
CASE(timers_notify_3)
{
	SUDO_T(im, 0)->notify = SIGEV_NONE_ | SIGEV_THREAD_;
	build(im);
	return PTE(im, 2, 0, notify);
}

CASE(timers_notify_none_thread_id)	/* SIGEV_THREAD_ID only with SIGEV_SIGNAL */
{
	SUDO_T(im, 0)->notify = SIGEV_NONE_ | SIGEV_THREAD_ID_;
	SUDO_T(im, 0)->notify_tid = 102;
	build(im);
	return PTE(im, 2, 0, notify);
}

CASE(timers_notify_thread_thread_id)
{
	SUDO_T(im, 1)->notify = SIGEV_THREAD_ | SIGEV_THREAD_ID_;
	SUDO_T(im, 1)->notify_tid = 102;
	build(im);
	return PTE(im, 2, 1, notify);
}

CASE(timers_notify_negative)
{
	SUDO_T(im, 1)->notify = -1;
	build(im);
	return PTE(im, 2, 1, notify);
}

CASE(timers_notify_high)
{
	SUDO_T(im, 0)->notify = 8;
	build(im);
	return PTE(im, 2, 0, notify);
}

CASE(timers_flags_before_notify)
{
	SUDO_T(im, 1)->flags |= 0x8;
	SUDO_T(im, 1)->notify = 3;
	build(im);
	return PTE(im, 2, 1, flags);
}

CASE(timers_signo_0)
{
	SUDO_T(im, 0)->signo = 0;
	build(im);
	return PTE(im, 2, 0, signo);
}

CASE(timers_signo_65)
{
	SUDO_T(im, 1)->signo = CKPT_NSIG + 1;
	build(im);
	return PTE(im, 2, 1, signo);
}

CASE(timers_signo_negative)
{
	SUDO_T(im, 1)->signo = INT32_MIN;
	build(im);
	return PTE(im, 2, 1, signo);
}

CASE(timers_signo_sigev_thread)	/* SIGEV_THREAD sends a signal too */
{
	SUDO_T(im, 0)->notify = SIGEV_THREAD_;
	SUDO_T(im, 0)->signo = -1;
	build(im);
	return PTE(im, 2, 0, signo);
}

CASE(timers_signo_thread_id)
{
	SUDO_T(im, 1)->notify = SIGEV_THREAD_ID_;
	SUDO_T(im, 1)->notify_tid = 102;
	SUDO_T(im, 1)->signo = 0;
	build(im);
	return PTE(im, 2, 1, signo);
}

CASE(timers_notify_before_signo)
{
	SUDO_T(im, 0)->notify = 3;
	SUDO_T(im, 0)->signo = 0;
	build(im);
	return PTE(im, 2, 0, notify);
}

CASE(timers_tid_without_thread_id)
{
	SUDO_T(im, 1)->notify_tid = 102;
	build(im);
	return PTE(im, 2, 1, notify_tid);
}

CASE(timers_tid_sigev_none)
{
	SUDO_T(im, 0)->notify = SIGEV_NONE_;
	SUDO_T(im, 0)->notify_tid = 102;
	build(im);
	return PTE(im, 2, 0, notify_tid);
}

CASE(timers_thread_id_without_tid)
{
	SUDO_T(im, 1)->notify = SIGEV_THREAD_ID_;
	build(im);
	return PTE(im, 2, 1, notify_tid);
}

CASE(timers_thread_id_tid_negative)
{
	SUDO_T(im, 1)->notify = SIGEV_THREAD_ID_;
	SUDO_T(im, 1)->notify_tid = -102;
	build(im);
	return PTE(im, 2, 1, notify_tid);
}

CASE(timers_signo_before_tid)
{
	SUDO_T(im, 0)->signo = CKPT_NSIG + 1;
	SUDO_T(im, 0)->notify_tid = 102;
	build(im);
	return PTE(im, 2, 0, signo);
}

CASE(timers_pending_sigev_none)	/* no signal to be pending */
{
	SUDO_T(im, 1)->notify = SIGEV_NONE_;
	build(im);
	return PTE(im, 2, 1, flags);
}

CASE(timers_pending_sigev_none_oneshot)
{
	SUDO_T(im, 0)->notify = SIGEV_NONE_;
	SUDO_T(im, 0)->flags = CKPT_TIMER_PENDING;
	SUDO_T(im, 0)->value = 0;
	build(im);
	return PTE(im, 2, 0, flags);
}

CASE(timers_tid_before_pending_sigev_none)
{
	SUDO_T(im, 1)->notify = SIGEV_NONE_;
	SUDO_T(im, 1)->notify_tid = 102;
	build(im);
	return PTE(im, 2, 1, notify_tid);
}

CASE(timers_pending_sigev_none_before_time)
{
	SUDO_T(im, 1)->notify = SIGEV_NONE_;
	SUDO_T(im, 1)->value = -1;
	build(im);
	return PTE(im, 2, 1, flags);
}

CASE(timers_value_negative)
{
	SUDO_T(im, 1)->value = -1;
	build(im);
	return PTE(im, 2, 1, value);
}

CASE(timers_interval_negative)
{
	SUDO_T(im, 1)->interval = INT64_MIN;
	build(im);
	return PTE(im, 2, 1, interval);
}

CASE(timers_value_above_max)
{
	SUDO_T(im, 0)->value = TIME_MAX + 1;
	build(im);
	return PTE(im, 2, 0, value);
}

CASE(timers_interval_above_max)
{
	SUDO_T(im, 1)->interval = TIME_MAX + 1;
	build(im);
	return PTE(im, 2, 1, interval);
}

CASE(timers_cpu_value_too_far)	/* as for the CPU interval timers */
{
	*SUDO_T(im, 0) = oneshot(0, CLOCK_PROCESS_CPUTIME_ID_, X86_SIGALRM,
				 KTIME_MAX / 2 + 1);
	build(im);
	return PTE(im, 2, 0, value);
}

CASE(timers_abstime_monotonic)
{
	SUDO_T(im, 0)->clockid = CLOCK_MONOTONIC_;
	build(im);
	return PTE(im, 2, 0, flags);
}

CASE(timers_abstime_cpu)
{
	SUDO_T(im, 0)->clockid = CLOCK_THREAD_CPUTIME_ID_;
	SUDO_T(im, 0)->value = NSEC;
	build(im);
	return PTE(im, 2, 0, flags);
}

CASE(timers_abstime_value_0)	/* a disarmed timer has no absolute time */
{
	SUDO_T(im, 0)->value = 0;
	build(im);
	return PTE(im, 2, 0, value);
}

CASE(timers_abstime_value_0_periodic)
{
	SUDO_T(im, 0)->value = 0;
	SUDO_T(im, 0)->interval = NSEC;
	build(im);
	return PTE(im, 2, 0, value);
}

CASE(timers_abstime_clock_before_value_0)
{
	SUDO_T(im, 0)->clockid = CLOCK_BOOTTIME_;
	SUDO_T(im, 0)->value = 0;
	build(im);
	return PTE(im, 2, 0, flags);
}

CASE(timers_overrun_below_minus_1)
{
	SUDO_T(im, 1)->overrun = -2;
	build(im);
	return PTE(im, 2, 1, overrun);
}

CASE(timers_overrun_last_negative)
{
	SUDO_T(im, 1)->overrun_last = -1;
	build(im);
	return PTE(im, 2, 1, overrun_last);
}

/* Set again while its signal is pending: it no longer waits for it */
CASE(timers_pending_periodic_set_again)
{
	SUDO_T(im, 1)->requeue = 4;
	build(im);
	return 0;
}

CASE(timers_pending_periodic_value_0)	/* waits, but never to expire */
{
	SUDO_T(im, 1)->value = 0;
	build(im);
	return PTE(im, 2, 1, value);
}

CASE(timers_pending_periodic_cpu)	/* checkpoint(2) refuses one */
{
	SUDO_T(im, 1)->clockid = CLOCK_PROCESS_CPUTIME_ID_;
	build(im);
	return PTE(im, 2, 1, clockid);
}

CASE(timers_pending_periodic_cpu_set_again)	/* checkpoint(2) takes one */
{
	SUDO_T(im, 1)->clockid = CLOCK_PROCESS_CPUTIME_ID_;
	SUDO_T(im, 1)->requeue = 2;
	build(im);
	return 0;
}

CASE(timers_pending_periodic_value_0_set_again)	/* set again, to disarm it */
{
	SUDO_T(im, 1)->value = 0;
	SUDO_T(im, 1)->requeue = 6;
	build(im);
	return 0;
}

CASE(timers_pending_oneshot_running)	/* set again once it expired */
{
	SUDO_T(im, 1)->interval = 0;
	SUDO_T(im, 1)->requeue = 4;
	build(im);
	return 0;
}

CASE(timers_pending_overruns_before_waiting)
{
	SUDO_T(im, 1)->clockid = CLOCK_THREAD_CPUTIME_ID_;
	SUDO_T(im, 1)->overrun_last = INT64_MIN;
	build(im);
	return PTE(im, 2, 1, overrun_last);
}

CASE(timers_second_timer)	/* the first is valid, the second not */
{
	SUDO_T(im, 1)->overrun = -3;
	SUDO_T(im, 1)->requeue = 2;
	build(im);
	return PTE(im, 2, 1, overrun);
}

CASE(timers_non_leader)	/* on cat's thread 104 */
{
	im->tasks[4].timers = 1;
	build(im);
	return im->pt_off[4];
}

CASE(timers_non_leader_bad)	/* refused before its contents are read */
{
	im->tasks[4].timers = 3;
	im->tsets[2] = im->tsets[0];
	im->tsets[2].next_id = ~0U;
	build(im);
	put32(im, LEN(im->pt_off[4]), 8);
	return im->pt_off[4];
}

CASE(timers_before_restart_block)
{
	im->timers_before_rb = true;
	build(im);
	return AT(im->rb_off[2], ckpt_hdr, type);
}

CASE(timers_cut)
{
	build(im);
	im->len = PTE(im, 2, 1, sigval);
	return im->len;
}

CASE(timers_error)	/* the checkpoint failed at the timers */
{
	build(im);
	im->len = im->pt_off[2];
	im->error_off = emit_error(im, EOPNOTSUPP,
				   "pid 102 (sudo): timer 5 is on clock 8: not supported");
	return im->error_off;
}

/* ---- task attributes ---- */

CASE(attrs_rt)
{
	im->tasks[0].at.policy = SCHED_FIFO_;
	im->tasks[0].at.rt_priority = 99;
	im->tasks[2].at.policy = SCHED_RR_;
	im->tasks[2].at.rt_priority = 1;
	build(im);
	return 0;
}

CASE(attrs_limits)
{
	struct mattrs *a = &im->tasks[2].at;
	int i;

	for (i = 0; i < CKPT_RLIM_NLIMITS; i++)
		a->rlim[i] = (struct ckpt_rlimit){ RLIM_INF, RLIM_INF };
	a->nice = -20;
	a->pdeath_signal = CKPT_NSIG;
	a->dumpable = 2;
	a->clear_child_tid = TASK_SIZE_MAX - 4;
	a->robust_list = TASK_SIZE_MAX - ROBUST_LIST_SIZE;
	a->rseq = TASK_SIZE_MAX - 32;
	a->flags = CKPT_ATTR_FLAGS_ALL;
	im->tasks[4].at.nice = 19;
	im->tasks[4].at.rseq = TASK_SIZE_MAX - PAGE;
	im->tasks[4].at.rseq_len = PAGE;
	build(im);
	return 0;
}

CASE(attrs_unset)	/* a static program without threads */
{
	struct mattrs *a = &im->tasks[3].at;

	a->clear_child_tid = 0;
	a->robust_list = 0;
	a->robust_list_len = 0;
	a->rseq = 0;
	a->rseq_len = 0;
	a->rseq_sig = 0;
	build(im);
	return 0;
}

CASE(attrs_rseq_len_33)	/* other than 32: aligned on 32 bytes, at least 28 */
{
	im->tasks[1].at.rseq_len = 33;
	build(im);
	return 0;
}

CASE(attrs_missing)
{
	build(im);
	put32(im, AT(im->attrs_off[2], ckpt_hdr, type), CKPT_HDR_TASK_SIGNALS);
	return AT(im->attrs_off[2], ckpt_hdr, type);
}

CASE(attrs_len_below_min)
{
	build(im);
	put32(im, LEN(im->attrs_off[1]), sizeof(struct ckpt_hdr_task_attrs) - 8);
	return LEN(im->attrs_off[1]);
}

CASE(attrs_len_above_max)
{
	build(im);
	put32(im, LEN(im->attrs_off[1]), sizeof(struct ckpt_hdr_task_attrs) + 8);
	return LEN(im->attrs_off[1]);
}

CASE(attrs_cut)
{
	build(im);
	im->len = TA(im, 4, nice);
	return im->len;
}

CASE(attrs_error)	/* the checkpoint failed after the task's signals */
{
	build(im);
	im->len = im->attrs_off[4];
	im->error_off = emit_error(im, ENOMEM, "out of memory");
	return im->error_off;
}

CASE(attrs_rlim)
{
	im->tasks[2].at.rlim[7].cur = 524289;
	build(im);
	return RLIM(im, 2, 7, cur);
}

CASE(attrs_rlim_infinite_soft)
{
	im->tasks[4].at.rlim[0].max = 3600;
	build(im);
	return RLIM(im, 4, 0, cur);
}

CASE(attrs_rlim_first)
{
	im->tasks[0].at.rlim[15].max = 0;
	im->tasks[0].at.rlim[13].cur = 1;
	build(im);
	return RLIM(im, 0, 13, cur);
}

CASE(attrs_nice_20)
{
	im->tasks[3].at.nice = 20;
	build(im);
	return TA(im, 3, nice);
}

CASE(attrs_nice_minus_21)
{
	im->tasks[1].at.nice = -21;
	build(im);
	return TA(im, 1, nice);
}

CASE(attrs_policy_4)
{
	im->tasks[0].at.policy = 4;
	build(im);
	return TA(im, 0, policy);
}

CASE(attrs_policy_deadline)
{
	im->tasks[4].at.policy = SCHED_DEADLINE_;
	build(im);
	return TA(im, 4, policy);
}

CASE(attrs_rt_priority_0)
{
	im->tasks[2].at.policy = SCHED_FIFO_;
	build(im);
	return TA(im, 2, rt_priority);
}

CASE(attrs_rt_priority_100)
{
	im->tasks[2].at.policy = SCHED_RR_;
	im->tasks[2].at.rt_priority = 100;
	build(im);
	return TA(im, 2, rt_priority);
}

CASE(attrs_rt_priority_batch)
{
	im->tasks[3].at.rt_priority = 1;
	build(im);
	return TA(im, 3, rt_priority);
}

CASE(attrs_flags)
{
	im->tasks[1].at.flags |= CKPT_ATTR_FLAGS_ALL + 1;
	build(im);
	return TA(im, 1, flags);
}

CASE(attrs_pdeath_signal_65)
{
	im->tasks[3].at.pdeath_signal = CKPT_NSIG + 1;
	build(im);
	return TA(im, 3, pdeath_signal);
}

CASE(attrs_pdeath_signal_negative)
{
	im->tasks[0].at.pdeath_signal = -1;
	build(im);
	return TA(im, 0, pdeath_signal);
}

CASE(attrs_dumpable_3)
{
	im->tasks[2].at.dumpable = 3;
	build(im);
	return TA(im, 2, dumpable);
}

CASE(attrs_clear_child_tid)
{
	im->tasks[4].at.clear_child_tid = TASK_SIZE_MAX - 3;
	build(im);
	return TA(im, 4, clear_child_tid);
}

CASE(attrs_robust_list_len)
{
	im->tasks[1].at.robust_list_len = 32;
	build(im);
	return TA(im, 1, robust_list_len);
}

CASE(attrs_robust_list_len_no_list)
{
	im->tasks[3].at.robust_list = 0;
	build(im);
	return TA(im, 3, robust_list_len);
}

CASE(attrs_robust_list_addr)
{
	im->tasks[0].at.robust_list = TASK_SIZE_MAX - 16;
	build(im);
	return TA(im, 0, robust_list);
}

CASE(attrs_rseq_len_no_rseq)
{
	im->tasks[2].at.rseq = 0;
	im->tasks[2].at.rseq_sig = 0;
	build(im);
	return TA(im, 2, rseq_len);
}

CASE(attrs_rseq_sig_no_rseq)
{
	im->tasks[2].at.rseq = 0;
	im->tasks[2].at.rseq_len = 0;
	build(im);
	return TA(im, 2, rseq_sig);
}

CASE(attrs_rseq_len_31)
{
	im->tasks[4].at.rseq_len = 31;
	build(im);
	return TA(im, 4, rseq_len);
}

CASE(attrs_rseq_len_above_page)
{
	im->tasks[4].at.rseq_len = PAGE + 32;
	build(im);
	return TA(im, 4, rseq_len);
}

CASE(attrs_rseq_unaligned)
{
	im->tasks[1].at.rseq += 16;
	build(im);
	return TA(im, 1, rseq);
}

CASE(attrs_rseq_unaligned_long)
{
	im->tasks[1].at.rseq += 16;
	im->tasks[1].at.rseq_len = 64;
	build(im);
	return TA(im, 1, rseq);
}

CASE(attrs_rseq_addr)
{
	im->tasks[3].at.rseq = TASK_SIZE_MAX - 32;
	im->tasks[3].at.rseq_len = 64;
	build(im);
	return TA(im, 3, rseq);
}

CASE(attrs_rlim_before_nice)
{
	im->tasks[1].at.nice = 40;
	im->tasks[1].at.rlim[0].max = 10;
	build(im);
	return RLIM(im, 1, 0, cur);
}

CASE(attrs_robust_list_before_rseq)
{
	im->tasks[2].at.rseq_len = 0;
	im->tasks[2].at.robust_list_len = 0;
	build(im);
	return TA(im, 2, robust_list_len);
}

/*
 * Timerfds and epolls: files of the anonymous inode (anon_inodefs, 0:15),
 * their state after their record.  An epoll's items name files written
 * before it, as ckpt_save_file() writes the files it watches first.
 */
#define TFD(im, f, fld)	AT(FPATH(im, f), ckpt_timerfd, fld)
#define EPI(im, f, i, fld) \
	AT(FPATH(im, f) + (i) * sizeof(struct ckpt_epoll_item), ckpt_epoll_item, fld)
#define ANON_INO	1057
#define TFD_TIMER_ABSTIME_ 1
#define EPOLLIN_	0x00000001U
#define EPOLLPRI_	0x00000002U
#define EPOLLOUT_	0x00000004U
#define EPOLLERR_	0x00000008U
#define EPOLLHUP_	0x00000010U
#define EPOLLRDHUP_	0x00002000U
#define EPOLL_URING_WAKE_ 0x08000000U
#define EPOLLEXCLUSIVE_	0x10000000U
#define EPOLLWAKEUP_	0x20000000U
#define EPOLLONESHOT_	0x40000000U
#define EPOLLET_	0x80000000U
#define EV(e)		((e) | EPOLLERR_ | EPOLLHUP_)	/* as epoll_ctl() leaves them */

/* A file of kind @kind of the anonymous inode, at descriptor @fd of table @t */
static int add_anon(struct img *im, int t, int32_t fd, uint32_t kind)
{
	int f = im->nr_files++;

	if (f >= MAX_FILES) {
		fprintf(stderr, "mkimage: too many files\n");
		exit(1);
	}
	im->files[f] = (struct mfile){ .kind = kind, .f_flags = O_RDWR_, .mode = 0600,
				       .ino = ANON_INO, .dev = DEV(0, 15) };
	add_fd(im, t, fd, f);
	return f;
}

/* A timerfd: its index in img.files */
static int add_timerfd(struct img *im, int t, int32_t fd, int32_t clockid, uint32_t flags,
		       uint64_t ticks, uint64_t value, uint64_t interval)
{
	int k = im->nr_tfds++, f;

	if (k >= MAX_TFDS) {
		fprintf(stderr, "mkimage: too many timerfds\n");
		exit(1);
	}
	f = add_anon(im, t, fd, CKPT_FILE_TIMERFD);
	im->tfds[k] = (struct ckpt_timerfd){ clockid, flags, ticks, value, interval };
	im->files[f].tfd = k + 1;
	return f;
}

/* An epoll with no items yet: its index in img.files */
static int add_epoll(struct img *im, int t, int32_t fd)
{
	int k = im->nr_epolls++, f;

	if (k >= MAX_EPOLLS) {
		fprintf(stderr, "mkimage: too many epolls\n");
		exit(1);
	}
	f = add_anon(im, t, fd, CKPT_FILE_EPOLL);
	im->files[f].epoll = k + 1;
	return f;
}

/* Make epoll @f watch file @file, added with descriptor @fd */
static void add_item(struct img *im, int f, int file, int32_t fd, uint32_t events,
		     uint64_t data)
{
	struct mepoll *e = &im->epolls[im->files[f].epoll - 1];

	if (e->nr_items >= MAX_ITEMS) {
		fprintf(stderr, "mkimage: too many epoll items\n");
		exit(1);
	}
	e->items[e->nr_items++] = (struct mitem){ file, fd, events, data };
}

/*
 * The timerfds of sh, files 11 to 16 at descriptors 11 to 16: periodic
 * on CLOCK_MONOTONIC with 3 expirations unread, one-shot on
 * CLOCK_BOOTTIME, relative and absolute (daily from 2027-01-01) on
 * CLOCK_REALTIME, disarmed with an interval and O_NONBLOCK, and expired
 * with its expiration unread.
 *
 *   objects: ..., file 8, file 9 (11) to file 14 (16), files 15, ...
 */
static void timerfds(struct img *im)
{
	add_timerfd(im, 0, 11, CLOCK_MONOTONIC_, 0, 3, 250 * MS, 1000 * MS);
	add_timerfd(im, 0, 12, CLOCK_BOOTTIME_, 0, 0, 30 * NSEC, 0);
	add_timerfd(im, 0, 13, CLOCK_REALTIME_, 0, 0, 5 * NSEC + 1, 0);
	add_timerfd(im, 0, 14, CLOCK_REALTIME_, TFD_TIMER_ABSTIME_, 0, 1798761600 * NSEC,
		    86400 * NSEC);
	im->files[add_timerfd(im, 0, 15, CLOCK_MONOTONIC_, 0, 0, 0, 500 * MS)].f_flags |=
		O_NONBLOCK_;
	add_timerfd(im, 0, 16, CLOCK_BOOTTIME_, 0, 1, 0, 0);
}

/*
 * cat's event loop: epoll A (file 11, fd 7) watches its pipe, the
 * terminal and a timerfd (file 13, fd 9) made after it; epoll B (file
 * 12, fd 8) watches A.  The timerfd is written before A, A before B.
 *
 *   objects: ..., pipe 24, file 25, file 26, file 27, file 28,
 *	      file 29 (the timerfd), file 30 (A), file 31 (B), files 32, ...
 */
static void epolls(struct img *im)
{
	int a = add_epoll(im, 2, 7), b = add_epoll(im, 2, 8);
	int t = add_timerfd(im, 2, 9, CLOCK_MONOTONIC_, 0, 0, 2 * NSEC, 2 * NSEC);

	add_item(im, a, 7, 0, EV(EPOLLIN_), 0);
	add_item(im, a, 0, 2, EV(EPOLLOUT_ | EPOLLET_), 0x200000002ULL);
	add_item(im, a, t, 9, EV(EPOLLIN_), 0xdeadbeefcafef00dULL);
	add_item(im, b, a, 7, EV(EPOLLIN_), 7);
}

/* @n epolls in sh, from fd 11, each but the first watching the one before */
static int epoll_chain(struct img *im, int n)
{
	int i, e = add_epoll(im, 0, 11);

	add_item(im, e, 0, 0, EV(EPOLLIN_), 0);
	for (i = 1; i < n; i++) {
		e = add_epoll(im, 0, 11 + i);
		add_item(im, e, e - 1, 10 + i, EV(EPOLLIN_), i);
	}
	return e;
}

CASE(tfd_clocks)
{
	timerfds(im);
	build(im);
	return 0;
}

CASE(tfd_limits)	/* the longest times, and as many expirations as a u64 holds */
{
	add_timerfd(im, 0, 11, CLOCK_MONOTONIC_, 0, UINT64_MAX, KTIME_MAX, KTIME_MAX);
	add_timerfd(im, 0, 12, CLOCK_REALTIME_, TFD_TIMER_ABSTIME_, 0, KTIME_MAX, 1);
	add_timerfd(im, 0, 13, CLOCK_REALTIME_, TFD_TIMER_ABSTIME_, 0, 1, 0);
	build(im);
	return 0;
}

CASE(epoll_watch)
{
	epolls(im);
	build(im);
	return 0;
}

CASE(epoll_empty)
{
	im->files[add_epoll(im, 0, 11)].f_flags |= O_NONBLOCK_;
	build(im);
	return 0;
}

CASE(epoll_sockets)	/* a server's: a listening socket shared by threads, a dup */
{
	int e;

	sockets(im);
	e = add_epoll(im, 1, 11);
	add_item(im, e, 12, 9, EV(EPOLLIN_ | EPOLLEXCLUSIVE_ | EPOLLET_ | EPOLLWAKEUP_), 9);
	add_item(im, e, 11, 8, EV(EPOLLIN_ | EPOLLRDHUP_ | EPOLLPRI_), 8);
	add_item(im, e, 11, 20, EV(EPOLLOUT_), 20);	/* added with a dup, closed since */
	add_item(im, e, 16, 10, EV(EPOLLIN_ | EPOLLOUT_ | EPOLLRDHUP_), UINT64_MAX);
	build(im);
	return 0;
}

CASE(epoll_oneshot_fired)	/* epoll_wait() left EP_PRIVATE_BITS only */
{
	int e = add_epoll(im, 0, 11);

	add_item(im, e, 1, 3, EPOLLONESHOT_ | EPOLLET_, 1);
	add_item(im, e, 0, 0, 0, 2);
	build(im);
	return 0;
}

CASE(epoll_nested_max)	/* EP_MAX_NESTS epolls under the last */
{
	epoll_chain(im, 5);
	build(im);
	return 0;
}

/* restore_check_anon() */
CASE(tfd_path_len)
{
	timerfds(im);
	build(im);
	put32(im, FREC(im, 11, path_len), sizeof(struct ckpt_timerfd) - 8);
	return FREC(im, 11, path_len);
}

CASE(tfd_path_len_eventfd)	/* the length of another kind */
{
	timerfds(im);
	build(im);
	put32(im, FREC(im, 11, path_len), sizeof(struct ckpt_eventfd));
	return FREC(im, 11, path_len);
}

CASE(tfd_len)	/* the record ends before its timerfd does */
{
	timerfds(im);
	build(im);
	put32(im, LEN(im->file_off[11]), get32(im, LEN(im->file_off[11])) - 8);
	return LEN(im->file_off[11]);
}

CASE(tfd_mode)
{
	timerfds(im);
	im->files[11].mode = S_IFREG_ | 0600;
	build(im);
	return FREC(im, 11, mode);
}

CASE(tfd_rdev)
{
	timerfds(im);
	im->files[11].rdev = DEV(1, 3);
	build(im);
	return FREC(im, 11, rdev);
}

CASE(tfd_pipe_ref)
{
	timerfds(im);
	build(im);
	put32(im, FREC(im, 11, pipe_ref), 1);
	return FREC(im, 11, pipe_ref);
}

CASE(tfd_pos)
{
	timerfds(im);
	im->files[11].pos = 8;
	build(im);
	return FREC(im, 11, pos);
}

CASE(tfd_len_before_mode)
{
	timerfds(im);
	im->files[11].mode = S_IFREG_ | 0600;
	build(im);
	put32(im, FREC(im, 11, path_len), sizeof(struct ckpt_timerfd) + 8);
	return FREC(im, 11, path_len);
}

/* restore_check_timerfd() */
CASE(tfd_clock_alarm)	/* checkpoint refuses alarm clocks */
{
	timerfds(im);
	im->tfds[3].clockid = CLOCK_REALTIME_ALARM_;
	build(im);
	return TFD(im, 14, clockid);
}

CASE(tfd_clock_tai)
{
	timerfds(im);
	im->tfds[0].clockid = CLOCK_TAI_;
	build(im);
	return TFD(im, 11, clockid);
}

CASE(tfd_clock_cpu)
{
	timerfds(im);
	im->tfds[0].clockid = CLOCK_PROCESS_CPUTIME_ID_;
	build(im);
	return TFD(im, 11, clockid);
}

CASE(tfd_clock_negative)
{
	timerfds(im);
	im->tfds[0].clockid = -1;
	build(im);
	return TFD(im, 11, clockid);
}

CASE(tfd_flags_cancel_on_set)	/* TFD_TIMER_CANCEL_ON_SET is not saved */
{
	timerfds(im);
	im->tfds[3].flags |= 2;
	build(im);
	return TFD(im, 14, flags);
}

CASE(tfd_flags_high)
{
	timerfds(im);
	im->tfds[2].flags = 0x80000000U;
	build(im);
	return TFD(im, 13, flags);
}

CASE(tfd_abstime_monotonic)	/* saved as the time left */
{
	timerfds(im);
	im->tfds[0].flags = TFD_TIMER_ABSTIME_;
	build(im);
	return TFD(im, 11, flags);
}

CASE(tfd_abstime_boottime)
{
	timerfds(im);
	im->tfds[1].flags = TFD_TIMER_ABSTIME_;
	build(im);
	return TFD(im, 12, flags);
}

CASE(tfd_value_above_max)
{
	timerfds(im);
	im->tfds[1].value_ns = (uint64_t)KTIME_MAX + 1;
	build(im);
	return TFD(im, 12, value_ns);
}

CASE(tfd_interval_above_max)
{
	timerfds(im);
	im->tfds[0].interval_ns = UINT64_MAX;
	build(im);
	return TFD(im, 11, interval_ns);
}

CASE(tfd_clock_before_flags)
{
	timerfds(im);
	im->tfds[0].clockid = CLOCK_REALTIME_ALARM_;
	im->tfds[0].flags = 2;
	build(im);
	return TFD(im, 11, clockid);
}

CASE(tfd_flags_before_value)
{
	timerfds(im);
	im->tfds[0].flags = TFD_TIMER_ABSTIME_;
	im->tfds[0].value_ns = UINT64_MAX;
	build(im);
	return TFD(im, 11, flags);
}

CASE(tfd_mode_before_clock)
{
	timerfds(im);
	im->files[11].mode = S_IFSOCK_ | 0777;
	im->tfds[0].clockid = CLOCK_TAI_;
	build(im);
	return FREC(im, 11, mode);
}

/* restore_check_epoll() */
CASE(epoll_path_len)	/* not a whole number of items */
{
	epolls(im);
	build(im);
	put32(im, FREC(im, 11, path_len), 3 * sizeof(struct ckpt_epoll_item) - 8);
	return FREC(im, 11, path_len);
}

CASE(epoll_items_above_max)
{
	epolls(im);
	build(im);
	put32(im, FREC(im, 11, path_len),
	      (CKPT_EPOLL_MAX_ITEMS + 1) * sizeof(struct ckpt_epoll_item));
	return FREC(im, 11, path_len);
}

CASE(epoll_len)	/* the record ends before its last item does */
{
	epolls(im);
	build(im);
	put32(im, LEN(im->file_off[11]),
	      get32(im, LEN(im->file_off[11])) - sizeof(struct ckpt_epoll_item));
	return LEN(im->file_off[11]);
}

CASE(epoll_mode)
{
	epolls(im);
	im->files[11].mode = S_IFIFO_ | 0600;
	build(im);
	return FREC(im, 11, mode);
}

CASE(epoll_rdev)
{
	epolls(im);
	im->files[11].rdev = DEV(1, 3);
	build(im);
	return FREC(im, 11, rdev);
}

CASE(epoll_pipe_ref)
{
	epolls(im);
	build(im);
	put32(im, FREC(im, 11, pipe_ref), 24);
	return FREC(im, 11, pipe_ref);
}

CASE(epoll_pos)
{
	epolls(im);
	im->files[12].pos = -1;
	build(im);
	return FREC(im, 12, pos);
}

CASE(epoll_rdonly)
{
	epolls(im);
	im->files[11].f_flags = O_RDONLY_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(epoll_append)	/* fcntl(F_SETFL) gives it, restart gives it back */
{
	epolls(im);
	im->files[11].f_flags |= O_APPEND_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(epoll_largefile)	/* epoll_create1() does not give O_LARGEFILE */
{
	epolls(im);
	im->files[12].f_flags |= O_NONBLOCK_ | O_LARGEFILE_;
	build(im);
	return FREC(im, 12, f_flags);
}

CASE(epoll_mode_before_flags)
{
	epolls(im);
	im->files[11].f_flags = O_WRONLY_;
	im->files[11].mode = S_IFREG_ | 0600;
	build(im);
	return FREC(im, 11, mode);
}

CASE(epoll_len_before_mode)
{
	epolls(im);
	im->files[11].mode = S_IFREG_ | 0600;
	build(im);
	put32(im, FREC(im, 11, path_len), 4 * sizeof(struct ckpt_epoll_item));
	return LEN(im->file_off[11]);
}

CASE(epoll_item_fd_negative)
{
	epolls(im);
	im->epolls[0].items[1].fd = -1;
	build(im);
	return EPI(im, 11, 1, fd);
}

CASE(epoll_item_events)	/* EPOLL_URING_WAKE is io_uring's own */
{
	epolls(im);
	im->epolls[0].items[2].events |= EPOLL_URING_WAKE_;
	build(im);
	return EPI(im, 11, 2, events);
}

CASE(epoll_item_events_bit11)	/* between EPOLLMSG and EPOLLRDHUP */
{
	epolls(im);
	im->epolls[1].items[0].events |= 0x800;
	build(im);
	return EPI(im, 12, 0, events);
}

CASE(epoll_item_pad)
{
	epolls(im);
	build(im);
	put32(im, EPI(im, 11, 1, _pad), 1);
	return EPI(im, 11, 1, _pad);
}

CASE(epoll_item_ref_0)
{
	epolls(im);
	build(im);
	put32(im, EPI(im, 11, 0, file_ref), 0);
	return EPI(im, 11, 0, file_ref);
}

CASE(epoll_item_ref_self)	/* not defined before */
{
	epolls(im);
	build(im);
	put32(im, EPI(im, 11, 2, file_ref), im->file_ref[11]);
	return EPI(im, 11, 2, file_ref);
}

CASE(epoll_item_ref_later)	/* B, written after A */
{
	epolls(im);
	build(im);
	put32(im, EPI(im, 11, 2, file_ref), im->file_ref[12]);
	return EPI(im, 11, 2, file_ref);
}

CASE(epoll_item_ref_pipe)	/* a pipe, not a file */
{
	epolls(im);
	build(im);
	put32(im, EPI(im, 11, 0, file_ref), im->pipe_ref[0]);
	return EPI(im, 11, 0, file_ref);
}

CASE(epoll_item_ref_files)	/* sh's descriptor table, not a file */
{
	epolls(im);
	build(im);
	put32(im, EPI(im, 12, 0, file_ref), im->files_ref[0]);
	return EPI(im, 12, 0, file_ref);
}

CASE(epoll_item_fd_before_events)
{
	epolls(im);
	im->epolls[0].items[1].fd = INT32_MIN;
	im->epolls[0].items[1].events = UINT32_MAX;
	build(im);
	return EPI(im, 11, 1, fd);
}

CASE(epoll_item_pad_before_ref)
{
	epolls(im);
	build(im);
	put32(im, EPI(im, 11, 1, _pad), 0x100);
	put32(im, EPI(im, 11, 1, file_ref), 1000);
	return EPI(im, 11, 1, _pad);
}

CASE(epoll_item_ref_before_next_fd)	/* item by item */
{
	epolls(im);
	im->epolls[0].items[2].fd = -5;
	build(im);
	put32(im, EPI(im, 11, 1, file_ref), im->files_ref[0]);
	return EPI(im, 11, 1, file_ref);
}

/* eventpoll_restore_add(): refused when restoring only */
CASE(epoll_exclusive_epoll)
{
	epolls(im);
	im->epolls[1].items[0].events |= EPOLLEXCLUSIVE_;
	build(im);
	return EPI(im, 12, 0, events);
}

CASE(epoll_exclusive_events)	/* EPOLLPRI is not of EPOLLEXCLUSIVE_OK_BITS */
{
	epolls(im);
	im->epolls[0].items[2].events |= EPOLLEXCLUSIVE_ | EPOLLPRI_;
	build(im);
	return EPI(im, 11, 2, events);
}

CASE(epoll_exclusive_oneshot)
{
	epolls(im);
	im->epolls[0].items[0].events |= EPOLLEXCLUSIVE_ | EPOLLONESHOT_;
	build(im);
	return EPI(im, 11, 0, events);
}

CASE(epoll_nested_too_deep)
{
	int e;

	e = epoll_chain(im, 6);
	build(im);
	return EPI(im, e, 0, file_ref);
}

CASE(epoll_item_twice)	/* the same file and descriptor */
{
	epolls(im);
	add_item(im, 11, 7, 0, EV(EPOLLOUT_), 1);
	build(im);
	return EPI(im, 11, 3, file_ref);
}

CASE(epoll_inherit_twice)	/* restart finds both at the restarting process's fd 2 */
{
	int f;

	epolls(im);
	f = im->nr_files;
	im->files[im->nr_files++] = im->files[0];
	add_fd(im, 2, 10, f);
	add_item(im, 11, f, 2, EV(EPOLLIN_), 1);
	build(im);
	return EPI(im, 11, 3, file_ref);
}

CASE(epoll_check_before_add)	/* every item is checked before any is added */
{
	epolls(im);
	im->epolls[0].items[0].events |= EPOLLEXCLUSIVE_ | EPOLLPRI_;
	im->epolls[0].items[2].fd = -1;
	build(im);
	return EPI(im, 11, 2, fd);
}

/*
 * Pidfds: files of pidfs (0:14), which gives each struct pid an inode of
 * its own, S_IFREG | S_IRWXU; the records have S_IRWXU alone, the mode
 * restore_check_anon() takes.  The task a pidfd refers to follows its
 * record, by its pid in the image.  The shell holds a pidfd of sudo, its
 * child, as clone3(CLONE_PIDFD) gives it (file 11, fd 11), which sudo
 * inherited (its fd 8); one of itself (file 12, fd 12); PIDFD_THREAD
 * pidfds of cat's second thread (file 13, fd 13) and, non-blocking, of
 * cat's leader (file 14, fd 14).  cat holds a pidfd of the shell (file
 * 15, fd 7).  The shell's pidfds of sudo and cat come before the tasks
 * they refer to.
 *
 *   objects: ..., signal 4, file 5, ..., file 8, file 9 (fd 11),
 *	      file 10 (fd 12), file 11 (fd 13), file 12 (fd 14), files 13,
 *	      fs 14, ..., file 33 (cat's), files 34, ...
 */
#define PIDF(im, f, fld) AT(FPATH(im, f), ckpt_pidfd, fld)
#define PIDFS_INO	3000	/* + the pid: the inode pidfs gave its struct pid */

/* A pidfd of task @pid, at descriptor @fd of table @t: its index in img.files */
static int add_pidfd(struct img *im, int t, int32_t fd, int32_t pid, uint32_t flags)
{
	int k = im->nr_pidfds++, f;

	if (k >= MAX_PIDFDS) {
		fprintf(stderr, "mkimage: too many pidfds\n");
		exit(1);
	}
	f = add_anon(im, t, fd, CKPT_FILE_PIDFD);
	im->files[f].mode = S_IFREG_ | 0700;	/* as pidfs makes its inodes */
	im->files[f].ino = PIDFS_INO + pid;
	im->files[f].dev = DEV(0, 14);
	im->pidfds[k] = (struct ckpt_pidfd){ pid, flags };
	im->file_pidfd[f] = k + 1;
	return f;
}

static void pidfds(struct img *im)
{
	add_pidfd(im, 0, 11, 102, 0);
	add_pidfd(im, 0, 12, 100, 0);
	add_pidfd(im, 0, 13, 104, CKPT_PIDFD_THREAD);
	im->files[add_pidfd(im, 0, 14, 103, CKPT_PIDFD_THREAD)].f_flags |= O_NONBLOCK_;
	add_pidfd(im, 2, 7, 100, 0);
	add_fd(im, 1, 8, 11);
}

CASE(pidfd)
{
	pidfds(im);
	build(im);
	return 0;
}

/*
 * The shell's child make exited 7; the shell has a non-blocking pidfd of
 * it (file 12, fd 12) and one of sudo (file 11, fd 11), which an epoll
 * (file 13, fd 13) watches, to reap them.  The zombie comes after sudo.
 */
CASE(pidfd_zombie_epoll)
{
	int e;

	add_zombie(im, 3, 105, 100, 7 << 8);
	add_pidfd(im, 0, 11, 102, 0);
	im->files[add_pidfd(im, 0, 12, 105, 0)].f_flags |= O_NONBLOCK_;
	e = add_epoll(im, 0, 13);
	add_item(im, e, 11, 11, EV(EPOLLIN_), 102);
	add_item(im, e, 12, 12, EV(EPOLLIN_), 105);
	build(im);
	return 0;
}

CASE(pidfd_append_noatime)	/* fcntl(F_SETFL) takes them */
{
	pidfds(im);
	im->files[11].f_flags |= O_APPEND_ | O_NOATIME_;
	build(im);
	return 0;
}

/*
 * An image of minor 17 cannot hold a pidfd, but restart(2) checks the
 * kind of a file against the range it knows, not against the minor of
 * the image: it takes one.
 */
CASE(pidfd_minor_17)
{
	im->minor = 17;
	pidfds(im);
	build(im);
	return 0;
}

/* restore_check_file(): what a file of any kind but CKPT_FILE_REG has not */
CASE(pidfd_size)
{
	pidfds(im);
	build(im);
	put64(im, FREC(im, 12, size), 8);
	return FREC(im, 12, size);
}

/* restore_check_anon() */
CASE(pidfd_path_len)
{
	pidfds(im);
	build(im);
	put32(im, FREC(im, 11, path_len), 0);
	return FREC(im, 11, path_len);
}

CASE(pidfd_path_len_timerfd)	/* the length of another kind */
{
	pidfds(im);
	build(im);
	put32(im, FREC(im, 13, path_len), sizeof(struct ckpt_timerfd));
	return FREC(im, 13, path_len);
}

CASE(pidfd_len)	/* the record ends before its pidfd does */
{
	pidfds(im);
	build(im);
	put32(im, LEN(im->file_off[11]), get32(im, LEN(im->file_off[11])) - 4);
	return LEN(im->file_off[11]);
}

CASE(pidfd_mode)	/* another file type than pidfs gives its inodes */
{
	pidfds(im);
	im->files[11].mode = 0700;
	build(im);
	return FREC(im, 11, mode);
}

CASE(pidfd_rdev)
{
	pidfds(im);
	im->files[12].rdev = DEV(1, 3);
	build(im);
	return FREC(im, 12, rdev);
}

CASE(pidfd_pipe_ref)
{
	pidfds(im);
	build(im);
	put32(im, FREC(im, 13, pipe_ref), im->pipe_ref[0]);
	return FREC(im, 13, pipe_ref);
}

CASE(pidfd_pos)
{
	pidfds(im);
	im->files[14].pos = 1;
	build(im);
	return FREC(im, 14, pos);
}

CASE(pidfd_wronly)
{
	pidfds(im);
	im->files[11].f_flags = O_WRONLY_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(pidfd_rdonly)
{
	pidfds(im);
	im->files[15].f_flags = O_RDONLY_;
	build(im);
	return FREC(im, 15, f_flags);
}

CASE(pidfd_excl)	/* PIDFD_THREAD is O_EXCL, which f_flags does not keep */
{
	pidfds(im);
	im->files[13].f_flags |= O_EXCL_;
	build(im);
	return FREC(im, 13, f_flags);
}

CASE(pidfd_largefile)	/* pidfd_open() does not give O_LARGEFILE */
{
	pidfds(im);
	im->files[12].f_flags |= O_LARGEFILE_;
	build(im);
	return FREC(im, 12, f_flags);
}

CASE(pidfd_async)
{
	pidfds(im);
	im->files[14].f_flags |= FASYNC_;
	build(im);
	return FREC(im, 14, f_flags);
}

CASE(pidfd_len_before_mode)
{
	pidfds(im);
	im->files[11].mode = S_IFREG_ | 0700;
	build(im);
	put32(im, FREC(im, 11, path_len), sizeof(struct ckpt_pidfd) + 8);
	return FREC(im, 11, path_len);
}

CASE(pidfd_mode_before_flags)	/* the file's checks before the pidfd's */
{
	pidfds(im);
	im->files[12].mode = S_IFCHR_ | 0700;
	im->pidfds[1].flags = 2;
	build(im);
	return FREC(im, 12, mode);
}

CASE(pidfd_pos_before_pid)
{
	pidfds(im);
	im->files[11].pos = 8;
	im->pidfds[0].pid = 105;
	build(im);
	return FREC(im, 11, pos);
}

/* restore_check_pidfd() */
CASE(pidfd_flags)
{
	pidfds(im);
	im->pidfds[0].flags = 2;
	build(im);
	return PIDF(im, 11, flags);
}

CASE(pidfd_flags_high)
{
	pidfds(im);
	im->pidfds[2].flags |= 0x80000000U;
	build(im);
	return PIDF(im, 13, flags);
}

CASE(pidfd_flags_before_pid)
{
	pidfds(im);
	im->pidfds[1].flags = 4;
	im->pidfds[1].pid = 0;
	build(im);
	return PIDF(im, 12, flags);
}

/* ckpt_check_pid_ref() */
CASE(pidfd_pid_absent)	/* a pid the tree does not have */
{
	pidfds(im);
	im->pidfds[0].pid = 105;
	build(im);
	return PIDF(im, 11, pid);
}

CASE(pidfd_pid_absent_thread)	/* PIDFD_THREAD does not make it a task */
{
	pidfds(im);
	im->pidfds[2].pid = 106;
	build(im);
	return PIDF(im, 13, pid);
}

CASE(pidfd_reaped)	/* pid 0: of a task that was reaped, of a thread too */
{
	pidfds(im);
	im->pidfds[1].pid = 0;
	im->pidfds[2].pid = 0;
	build(im);
	return 0;
}

CASE(pidfd_pid_negative)	/* -100, as a process group would be named */
{
	pidfds(im);
	im->pidfds[4].pid = -100;
	build(im);
	return PIDF(im, 15, pid);
}

CASE(pidfd_pid_above_max)
{
	pidfds(im);
	im->pidfds[4].pid = 4 * 1024 * 1024 + 1;
	build(im);
	return PIDF(im, 15, pid);
}

CASE(pidfd_pid_sid)	/* the session of the tree, whose leader is not in it */
{
	pidfds(im);
	im->pidfds[1].pid = 90;
	build(im);
	return PIDF(im, 12, pid);
}

CASE(pidfd_thread_as_process)	/* cat's second thread, without PIDFD_THREAD */
{
	pidfds(im);
	im->pidfds[2].flags = 0;
	build(im);
	return PIDF(im, 13, pid);
}

CASE(pidfd_own_thread_as_process)	/* the shell's second thread */
{
	pidfds(im);
	im->pidfds[1].pid = 101;
	build(im);
	return PIDF(im, 12, pid);
}

CASE(pidfd_own_thread)	/* ... with PIDFD_THREAD, as it should be */
{
	pidfds(im);
	im->pidfds[1].pid = 101;
	im->pidfds[1].flags = CKPT_PIDFD_THREAD;
	build(im);
	return 0;
}

/*
 * Memfds: each an object, written with its pages before the first file
 * or mm that uses it.  Its files name it by memfd_ref, which is pipe_ref
 * by another name; its mappings, shared or private, by the shmem_ref of
 * their struct ckpt_vma_shmem, and the pages a private one wrote follow
 * the mapping.
 */
#define MFD(im, k, fld)	AT((im)->memfd_off[k], ckpt_hdr_memfd, fld)
#define MFD_NAME(im, k)	((im)->memfd_off[k] + sizeof(struct ckpt_hdr_memfd))
#define MPG(im, k, n, fld) AT((im)->memfd_pages_off[k][n], ckpt_hdr_pages, fld)
#define F_SEAL_SEAL_	0x0001
#define F_SEAL_SHRINK_	0x0002
#define F_SEAL_GROW_	0x0004
#define F_SEAL_WRITE_	0x0008
#define F_SEAL_EXEC_	0x0020
#define F_SEAL_ALL	0x003f	/* CKPT_MEMFD_SEALS: all restart(2) takes */
#define S_IALLUGO_	07777

/* A memfd as memfd_create(2) made it: its index in img.memfds */
static int add_memfd(struct img *im, const struct mmemfd *mf)
{
	int k = im->nr_memfds++;

	if (k >= MAX_MEMFDS) {
		fprintf(stderr, "mkimage: too many memfds\n");
		exit(1);
	}
	im->memfds[k] = *mf;
	return k;
}

/* A file of memfd @k, open at descriptor @fd of table @t: its index in img.files */
static int add_memfd_file(struct img *im, int t, int32_t fd, int k, uint32_t f_flags,
			  int64_t pos)
{
	int f = im->nr_files++;

	if (f >= MAX_FILES) {
		fprintf(stderr, "mkimage: too many files\n");
		exit(1);
	}
	/* the kernel's internal shmem mount: 0:1 */
	im->files[f] = (struct mfile){ .kind = CKPT_FILE_MEMFD, .f_flags = f_flags,
				       .pos = pos, .mode = S_IFREG_ | im->memfds[k].mode,
				       .ino = 1029 + k, .dev = DEV(0, 1) };
	im->file_memfd[f] = k + 1;
	add_fd(im, t, fd, f);
	return f;
}

/*
 * What sh made with memfd_create(2) before forking sudo: memfd 0,
 * "ckpt-memfd", 5 pages and 100 bytes, pages 0, 1 and 3 to 5 saved (2 a
 * hole), sealed against shrinking, mode 0640.  sh has it open at fd 11
 * (the file memfd_create() gave) and fd 12 (a read-only reopen through
 * /proc, at an offset of its own), maps pages 1 to 3 shared and pages 0
 * and 1 privately, and wrote page 1 of its private mapping.  sudo maps
 * pages 4 and 5 shared, read-only, and memfd 1, "sealed": two pages,
 * sealed against writes then sealed, its descriptor closed.  cat has
 * memfd 2 open at fd 7: made empty, with an empty name, by
 * MFD_NOEXEC_SEAL.
 *
 *   objects: memfd 1 (its pages), mm 2 (sh's, the private page), ...,
 *	      file 10 (fd 11), file 11 (fd 12), files 12, fs 13, ...,
 *	      memfd 14 (its pages), mm 15 (sudo's), ..., file 29 (cat's
 *	      pipe end), ..., memfd 33, file 34 (fd 7), files 35, ...
 *   mappings: vmas[3] (shared) and vmas[4] (private) of mm 0, vmas[2]
 *	       and vmas[3] of mm 1
 *   files: 11 (fd 11 of sh), 12 (fd 12 of sh), 13 (fd 7 of cat)
 */
static void memfds(struct img *im)
{
	static const struct mmemfd mf[] = {
		{ 5 * PAGE + 100, F_SEAL_SHRINK_, 0640, "ckpt-memfd", 2,
		  { { 0, 2 }, { 3 * PAGE, 3 } }, 0 },
		{ 2 * PAGE, F_SEAL_WRITE_ | F_SEAL_SEAL_, 0600, "sealed", 1,
		  { { 0, 2 } }, 0 },
		{ 0, F_SEAL_EXEC_, 0666, "", 0, { { 0 } }, 0 },
	};
	static const struct mvma sh[] = {
		{ 0x7f0012500000ULL, 0x7f0012503000ULL, 1, CKPT_VMA_MEMFD, 0x3b, NULL, 0,
		  { { 0 } } },
		{ 0x7f0012600000ULL, 0x7f0012602000ULL, 0, CKPT_VMA_MEMFD, 0x33, NULL, 1,
		  { { 0x7f0012601000ULL, 1 } } },
	};
	static const struct mvma sudo[] = {
		{ 0x7f0000020000ULL, 0x7f0000022000ULL, 4, CKPT_VMA_MEMFD, 0x39, NULL, 0,
		  { { 0 } } },
		{ 0x7f0000030000ULL, 0x7f0000032000ULL, 0, CKPT_VMA_MEMFD, 0x19, NULL, 0,
		  { { 0 } } },
	};
	int m0 = add_memfd(im, &mf[0]), m1 = add_memfd(im, &mf[1]);
	int m2 = add_memfd(im, &mf[2]);

	add_vma(im, 0, &sh[0], m0 + 1);
	add_vma(im, 0, &sh[1], m0 + 1);
	add_vma(im, 1, &sudo[0], m0 + 1);
	add_vma(im, 1, &sudo[1], m1 + 1);
	add_memfd_file(im, 0, 11, m0, O_RDWR_ | O_LARGEFILE_, 777);
	add_memfd_file(im, 0, 12, m0, O_RDONLY_ | O_LARGEFILE_, 55);
	add_memfd_file(im, 2, 7, m2, O_RDWR_ | O_LARGEFILE_, 0);
}

/* A name of @n bytes, for memfd @k */
static void memfd_name(struct img *im, int k, size_t n)
{
	static char name[CKPT_MEMFD_NAME_MAX + 8];

	memset(name, 'n', n);
	name[n] = '\0';
	im->memfds[k].name = name;
}

CASE(memfd)
{
	memfds(im);
	build(im);
	return 0;
}

CASE(memfd_name_max)	/* as long as memfd_create(2) takes */
{
	memfds(im);
	memfd_name(im, 0, CKPT_MEMFD_NAME_MAX - 1);
	build(im);
	return 0;
}

CASE(memfd_size_max)	/* as large as a file may be, its last page saved */
{
	memfds(im);
	im->memfds[2].size = MAX_LFS_FILESIZE;
	im->memfds[2].nr_runs = 1;
	im->memfds[2].runs[0] = (struct mrun){ MAX_LFS_FILESIZE & ~(PAGE - 1), 1 };
	build(im);
	return 0;
}

CASE(memfd_seals_mode_all)	/* every seal, every permission bit */
{
	memfds(im);
	im->memfds[2].seals = F_SEAL_ALL;
	im->memfds[2].mode = S_IALLUGO_;
	im->files[13].mode = S_IFREG_ | S_IALLUGO_;
	build(im);
	return 0;
}

CASE(memfd_len_below_min)
{
	memfds(im);
	build(im);
	put32(im, LEN(im->memfd_off[2]), sizeof(struct ckpt_hdr_memfd) - 8);
	return LEN(im->memfd_off[2]);
}

CASE(memfd_len_above_max)
{
	memfds(im);
	build(im);
	put32(im, LEN(im->memfd_off[0]),
	      sizeof(struct ckpt_hdr_memfd) + CKPT_MEMFD_NAME_MAX + 1);
	return LEN(im->memfd_off[0]);
}

CASE(memfd_objref)
{
	memfds(im);
	build(im);
	put32(im, MFD(im, 1, h.objref), im->memfd_ref[1] + 1);
	return MFD(im, 1, h.objref);
}

CASE(memfd_name_len_0)
{
	memfds(im);
	im->memfds[2].name = NULL;
	build(im);
	return MFD(im, 2, name_len);
}

CASE(memfd_name_len)	/* the name and its NUL, but the record is longer */
{
	memfds(im);
	build(im);
	put32(im, MFD(im, 0, name_len), strlen("ckpt-memfd"));
	return LEN(im->memfd_off[0]);
}

CASE(memfd_name_too_long)	/* longer than memfd_create(2) takes */
{
	memfds(im);
	memfd_name(im, 0, CKPT_MEMFD_NAME_MAX);
	build(im);
	return LEN(im->memfd_off[0]);
}

CASE(memfd_name_no_nul)
{
	memfds(im);
	build(im);
	im->buf[MFD_NAME(im, 1) + strlen("sealed")] = 'x';
	return MFD_NAME(im, 1) + strlen("sealed");
}

CASE(memfd_name_nul)	/* a NUL before the end */
{
	memfds(im);
	build(im);
	im->buf[MFD_NAME(im, 0) + 4] = 0;
	return MFD_NAME(im, 0) + 4;
}

CASE(memfd_name_empty_no_nul)
{
	memfds(im);
	build(im);
	im->buf[MFD_NAME(im, 2)] = '/';
	return MFD_NAME(im, 2);
}

CASE(memfd_size_above_max)
{
	memfds(im);
	im->memfds[2].size = MAX_LFS_FILESIZE + 1;
	build(im);
	return MFD(im, 2, size);
}

CASE(memfd_seals_unknown)	/* the bit after F_SEAL_EXEC */
{
	memfds(im);
	im->memfds[1].seals |= F_SEAL_ALL + 1;
	build(im);
	return MFD(im, 1, seals);
}

CASE(memfd_seals_high)
{
	memfds(im);
	im->memfds[0].seals |= 1U << 31;
	build(im);
	return MFD(im, 0, seals);
}

CASE(memfd_mode_type)	/* the permissions only, not the file type */
{
	memfds(im);
	im->memfds[0].mode = S_IFREG_ | 0640;
	build(im);
	return MFD(im, 0, mode);
}

CASE(memfd_mode_high)	/* the bit after S_ISUID */
{
	memfds(im);
	im->memfds[2].mode = S_IALLUGO_ + 1;
	build(im);
	return MFD(im, 2, mode);
}

CASE(memfd_flags_unknown)	/* the bit after CKPT_MEMFD_HUGETLB */
{
	memfds(im);
	im->memfds[2].seals = 0;
	im->memfds[2].flags = CKPT_MEMFD_HUGETLB << 1;
	build(im);
	return MFD(im, 2, flags);
}

CASE(memfd_flags_below_huge_mask)	/* the bit before CKPT_MEMFD_HUGE_MASK */
{
	memfds(im);
	im->memfds[1].flags = 1U << (CKPT_MEMFD_HUGE_SHIFT - 1);
	build(im);
	return MFD(im, 1, flags);
}

CASE(memfd_unlinked_sealed)	/* an unlinked file has no seals */
{
	memfds(im);
	im->memfds[1].flags = CKPT_MEMFD_UNLINKED;
	build(im);
	return MFD(im, 1, flags);
}

/* An unlinked file saved by its contents, the executable of the first mm */
CASE(memfd_unlinked_exe)
{
	memfds(im);
	im->memfds[0].seals = 0;
	im->memfds[0].flags = CKPT_MEMFD_UNLINKED;
	build(im);
	put32(im, MM(im, 0, exe_ref), im->memfd_ref[0]);
	return 0;
}

CASE(memfd_name_before_size)
{
	memfds(im);
	im->memfds[0].size = MAX_LFS_FILESIZE + 1;
	build(im);
	put32(im, MFD(im, 0, name_len), 0);
	return LEN(im->memfd_off[0]);
}

CASE(memfd_size_before_seals)
{
	memfds(im);
	im->memfds[1].size = ~0ULL;
	im->memfds[1].seals = ~0U;
	build(im);
	return MFD(im, 1, size);
}

CASE(memfd_seals_before_mode)
{
	memfds(im);
	im->memfds[1].seals = F_SEAL_ALL + 1;
	im->memfds[1].mode = ~0U;
	build(im);
	return MFD(im, 1, seals);
}

CASE(memfd_mode_before_flags)
{
	memfds(im);
	im->memfds[2].mode = S_IFREG_;
	im->memfds[2].flags = ~0U;
	build(im);
	return MFD(im, 2, mode);
}

/* The pages of a memfd: restore_shmem_pages(), as those of shared memory */
CASE(memfd_pages_beyond_size)	/* page 6 of 5 pages and 100 bytes */
{
	memfds(im);
	im->memfds[0].runs[1] = (struct mrun){ 6 * PAGE, 1 };
	build(im);
	return MPG(im, 0, 1, addr);
}

CASE(memfd_pages_overrun)	/* pages 4 to 6 */
{
	memfds(im);
	im->memfds[0].runs[1].addr = 4 * PAGE;
	build(im);
	return MPG(im, 0, 1, addr);
}

CASE(memfd_pages_size_0)	/* an empty memfd has no page */
{
	memfds(im);
	im->memfds[2].nr_runs = 1;
	im->memfds[2].runs[0] = (struct mrun){ 0, 1 };
	build(im);
	return MPG(im, 2, 0, addr);
}

CASE(memfd_pages_order)
{
	memfds(im);
	im->memfds[0].runs[1].addr = PAGE;
	build(im);
	return MPG(im, 0, 1, addr);
}

CASE(memfd_pages_unaligned)
{
	memfds(im);
	im->memfds[1].runs[0].addr = 100;
	build(im);
	return MPG(im, 1, 0, addr);
}

CASE(memfd_pages_nr_0)
{
	memfds(im);
	build(im);
	put32(im, MPG(im, 1, 0, nr_pages), 0);
	return MPG(im, 1, 0, nr_pages);
}

CASE(memfd_pages_pad)
{
	memfds(im);
	build(im);
	im->buf[MPG(im, 0, 0, _pad) + 3] = 1;
	return MPG(im, 0, 0, _pad) + 3;
}

CASE(memfd_pages_cut)
{
	memfds(im);
	build(im);
	im->len = im->memfd_pages_off[0][1] + 5000;
	return im->len;
}

CASE(memfd_truncated)	/* the image ends where its pages would start */
{
	memfds(im);
	build(im);
	im->len = im->memfd_pages_off[1][0];
	return im->len;
}

CASE(memfd_size_before_pages)	/* the pages are read after the record is checked */
{
	memfds(im);
	im->memfds[1].size = MAX_LFS_FILESIZE + 1;
	build(im);
	put32(im, MPG(im, 1, 0, nr_pages), 0);
	return MFD(im, 1, size);
}

CASE(memfd_pages_error)	/* the checkpoint failed while it wrote the pages */
{
	memfds(im);
	build(im);
	im->len = im->memfd_pages_off[0][1];
	im->error_off = emit_error(im, EINTR, "interrupted");
	return im->error_off;
}

CASE(vma_memfd_noreserve)	/* MAP_NORESERVE, kept of a memfd too */
{
	memfds(im);
	im->mms[1].vmas[3].flags |= CKPT_VMA_NORESERVE;
	build(im);
	return 0;
}

CASE(vma_memfd_private_noreserve)	/* private and written: nothing accounted */
{
	memfds(im);
	im->mms[0].vmas[4].flags |= CKPT_VMA_NORESERVE;
	build(im);
	return 0;
}

/* The flags of a memfd of huge pages of 1 << @shift bytes */
#define MFD_HUGE(shift)	(CKPT_MEMFD_HUGETLB | (uint32_t)(shift) << CKPT_MEMFD_HUGE_SHIFT)

/*
 * ... and memfd 2 made with MFD_HUGETLB | MFD_HUGE_2MB, of two huge
 * pages, the first written, saved whole in base pages, the second
 * never touched: cat maps it whole, shared.
 *
 *   mappings: vmas[1] of mm 2
 */
static void memfd_hugetlb(struct img *im)
{
	static const struct mvma cat = {
		0x7f0000400000ULL, 0x7f0000400000ULL + 2 * HPAGE, 0, CKPT_VMA_MEMFD, 0x3b, NULL,
		0, { { 0 } } };
	struct mmemfd *mf = &im->memfds[2];

	memfds(im);
	mf->size = 2 * HPAGE;
	mf->flags = MFD_HUGE(21);
	mf->nr_runs = 2;
	mf->runs[0] = (struct mrun){ 0, CKPT_PAGES_MAX };
	mf->runs[1] = (struct mrun){ CKPT_PAGES_MAX * PAGE, CKPT_PAGES_MAX };
	add_vma(im, 2, &cat, 3);
}

CASE(memfd_hugetlb)
{
	memfd_hugetlb(im);
	build(im);
	return 0;
}

CASE(memfd_hugetlb_empty)	/* made, never grown */
{
	memfds(im);
	im->memfds[2].flags = MFD_HUGE(21);
	build(im);
	return 0;
}

/* restore_check_memfd(): the flags of huge pages, and the size */
CASE(memfd_hugetlb_unlinked)	/* an unlinked file is no memfd of huge pages */
{
	memfd_hugetlb(im);
	im->memfds[2].seals = 0;
	im->memfds[2].flags |= CKPT_MEMFD_UNLINKED;
	build(im);
	return MFD(im, 2, flags);
}

CASE(memfd_hugetlb_shift_0)	/* no size: the default huge page's is saved */
{
	memfd_hugetlb(im);
	im->memfds[2].flags = MFD_HUGE(0);
	build(im);
	return MFD(im, 2, flags);
}

CASE(memfd_hugetlb_shift_12)	/* base pages */
{
	memfd_hugetlb(im);
	im->memfds[2].flags = MFD_HUGE(12);
	build(im);
	return MFD(im, 2, flags);
}

CASE(memfd_hugetlb_shift_22)	/* 4 MiB, no size x86_64 has */
{
	memfd_hugetlb(im);
	im->memfds[2].flags = MFD_HUGE(22);
	build(im);
	return MFD(im, 2, flags);
}

CASE(memfd_hugetlb_shift_63)	/* the largest shift the flags hold */
{
	memfd_hugetlb(im);
	im->memfds[2].flags = MFD_HUGE(63);
	build(im);
	return MFD(im, 2, flags);
}

CASE(memfd_huge_shift_no_hugetlb)	/* a size of huge pages for a memfd of base pages */
{
	memfds(im);
	im->memfds[0].flags = 21U << CKPT_MEMFD_HUGE_SHIFT;
	build(im);
	return MFD(im, 0, flags);
}

CASE(memfd_hugetlb_size_unaligned)	/* a huge page and a base page */
{
	memfd_hugetlb(im);
	im->memfds[2].size = HPAGE + PAGE;
	im->mms[2].vmas[1].end -= HPAGE - PAGE;
	build(im);
	return MFD(im, 2, size);
}

/* With gbpages a size the kernel has, which 4 MiB is no multiple of; else none */
CASE(memfd_hugetlb_size_1g_unaligned)
{
	memfd_hugetlb(im);
	im->memfds[2].flags = MFD_HUGE(30);
	build(im);
	return MFD(im, 2, size);
}

CASE(memfd_hugetlb_flags_before_size)
{
	memfd_hugetlb(im);
	im->memfds[2].size = HPAGE + PAGE;
	im->memfds[2].flags = MFD_HUGE(12);
	build(im);
	return MFD(im, 2, flags);
}

CASE(memfd_hugetlb_pages_beyond_size)	/* a base page of a third huge page */
{
	memfd_hugetlb(im);
	im->memfds[2].runs[1] = (struct mrun){ 2 * HPAGE, 1 };
	build(im);
	return MPG(im, 2, 1, addr);
}

/* restore_check_file() of a CKPT_FILE_MEMFD file */
CASE(memfd_file_path)	/* a memfd is not reopened by its path */
{
	memfds(im);
	im->files[11].path = "/memfd:ckpt-memfd (deleted)";
	build(im);
	return FREC(im, 11, path_len);
}

CASE(memfd_file_len)
{
	memfds(im);
	build(im);
	put32(im, FREC(im, 12, path_len), 8);
	return LEN(im->file_off[12]);
}

CASE(memfd_file_f_flags)
{
	memfds(im);
	im->files[11].f_flags |= O_CREAT_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(memfd_file_pos_negative)
{
	memfds(im);
	im->files[12].pos = -1;
	build(im);
	return FREC(im, 12, pos);
}

CASE(memfd_file_mode)	/* a memfd is a regular file */
{
	memfds(im);
	im->files[13].mode = S_IFIFO_ | 0666;
	build(im);
	return FREC(im, 13, mode);
}

CASE(memfd_file_mode_0)
{
	memfds(im);
	im->files[11].mode = 0640;
	build(im);
	return FREC(im, 11, mode);
}

CASE(memfd_file_rdev)
{
	memfds(im);
	im->files[12].rdev = DEV(1, 3);
	build(im);
	return FREC(im, 12, rdev);
}

CASE(memfd_ref_0)
{
	memfds(im);
	build(im);
	put32(im, FREC(im, 11, memfd_ref), 0);
	return FREC(im, 11, memfd_ref);
}

CASE(memfd_ref_undefined)	/* the file itself */
{
	memfds(im);
	build(im);
	put32(im, FREC(im, 13, memfd_ref), im->file_ref[13]);
	return FREC(im, 13, memfd_ref);
}

CASE(memfd_ref_later)	/* sudo's memfd, from sh */
{
	memfds(im);
	build(im);
	put32(im, FREC(im, 12, memfd_ref), im->memfd_ref[1]);
	return FREC(im, 12, memfd_ref);
}

CASE(memfd_ref_mm)
{
	memfds(im);
	build(im);
	put32(im, FREC(im, 11, memfd_ref), im->mm_ref[0]);
	return FREC(im, 11, memfd_ref);
}

CASE(memfd_ref_file)	/* another file of the memfd, not the memfd */
{
	memfds(im);
	build(im);
	put32(im, FREC(im, 12, memfd_ref), im->file_ref[11]);
	return FREC(im, 12, memfd_ref);
}

CASE(memfd_ref_pipe)
{
	memfds(im);
	build(im);
	put32(im, FREC(im, 13, memfd_ref), im->pipe_ref[0]);
	return FREC(im, 13, memfd_ref);
}

CASE(memfd_mode_before_ref)
{
	memfds(im);
	im->files[13].mode = S_IFDIR_ | 0755;
	build(im);
	put32(im, FREC(im, 13, memfd_ref), 0);
	return FREC(im, 13, mode);
}

CASE(memfd_ref_reg)	/* a regular file has no memfd_ref, as it has no pipe_ref */
{
	memfds(im);
	build(im);
	put32(im, FREC(im, 1, memfd_ref), im->memfd_ref[0]);
	return FREC(im, 1, memfd_ref);
}

CASE(pipe_ref_memfd)	/* a pipe end names a memfd */
{
	memfds(im);
	build(im);
	put32(im, FREC(im, 7, pipe_ref), im->memfd_ref[0]);
	return FREC(im, 7, pipe_ref);
}

/* restore_check_vma() of a CKPT_VMA_MEMFD mapping */
CASE(vma_memfd_no_payload)	/* a memfd mapping names its object */
{
	build(im);
	put32(im, VMA(im, 2, 0, kind), CKPT_VMA_MEMFD);
	return VMA(im, 2, 0, path_len);
}

CASE(vma_memfd_path)	/* a memfd is not mapped by its path */
{
	build(im);
	put32(im, VMA(im, 1, 1, kind), CKPT_VMA_MEMFD);
	return VMA(im, 1, 1, path_len);
}

CASE(vma_memfd_pgoff_beyond_files)
{
	memfds(im);
	im->mms[1].vmas[3].pgoff = CKPT_VMA_PGOFF_MAX - 1;
	build(im);
	return VMA(im, 1, 3, pgoff);
}

CASE(vma_memfd_pgoff_last)	/* the mapping ends where the largest file can */
{
	memfds(im);
	im->mms[1].vmas[3].pgoff = CKPT_VMA_PGOFF_MAX - 2;
	build(im);
	return 0;
}

CASE(vma_memfd_ino)
{
	memfds(im);
	build(im);
	put64(im, VMA(im, 0, 3, ino), 1029);
	return VMA(im, 0, 3, ino);
}

CASE(vma_memfd_private_dev)	/* a private mapping has no file fields either */
{
	memfds(im);
	build(im);
	put64(im, VMA(im, 0, 4, dev), DEV(0, 1));
	return VMA(im, 0, 4, dev);
}

CASE(vma_memfd_size)
{
	memfds(im);
	build(im);
	put64(im, VMA(im, 1, 2, size), 5 * PAGE + 100);
	return VMA(im, 1, 2, size);
}

CASE(vma_memfd_mtime)
{
	memfds(im);
	build(im);
	put64(im, VMA(im, 1, 3, mtime_sec), 1700000000);
	return VMA(im, 1, 3, mtime_sec);
}

CASE(vma_memfd_mtime_nsec)
{
	memfds(im);
	build(im);
	put32(im, VMA(im, 0, 4, mtime_nsec), 999999999);
	return VMA(im, 0, 4, mtime_nsec);
}

CASE(vma_memfd_ref_0)
{
	memfds(im);
	build(im);
	put32(im, VSHM(im, 0, 3, shmem_ref), 0);
	return VSHM(im, 0, 3, shmem_ref);
}

CASE(vma_memfd_private_ref_0)	/* private, yet it names its memfd */
{
	memfds(im);
	build(im);
	put32(im, VSHM(im, 0, 4, shmem_ref), 0);
	return VSHM(im, 0, 4, shmem_ref);
}

CASE(vma_memfd_ref_later)	/* sudo's memfd, from sh */
{
	memfds(im);
	build(im);
	put32(im, VSHM(im, 0, 3, shmem_ref), im->memfd_ref[1]);
	return VSHM(im, 0, 3, shmem_ref);
}

CASE(vma_memfd_ref_self)	/* the mm is not defined until it is read */
{
	memfds(im);
	build(im);
	put32(im, VSHM(im, 1, 3, shmem_ref), im->mm_ref[1]);
	return VSHM(im, 1, 3, shmem_ref);
}

CASE(vma_memfd_ref_file)	/* a file of the memfd, not the memfd */
{
	memfds(im);
	build(im);
	put32(im, VSHM(im, 1, 2, shmem_ref), im->file_ref[11]);
	return VSHM(im, 1, 2, shmem_ref);
}

CASE(vma_memfd_ref_shmem)	/* shared anonymous memory, not a memfd */
{
	shared_memory(im);
	build(im);
	put32(im, VMA(im, 1, 2, kind), CKPT_VMA_MEMFD);
	return VSHM(im, 1, 2, shmem_ref);
}

CASE(vma_shmem_ref_memfd)	/* a memfd, not shared anonymous memory */
{
	memfds(im);
	build(im);
	put32(im, VMA(im, 0, 3, kind), CKPT_VMA_SHMEM);
	return VSHM(im, 0, 3, shmem_ref);
}

CASE(vma_shmem_private_memfd)	/* a private memfd mapping, as shared memory */
{
	memfds(im);
	build(im);
	put32(im, VMA(im, 0, 4, kind), CKPT_VMA_SHMEM);
	return VMA(im, 0, 4, flags);
}

CASE(vma_memfd_pad)
{
	memfds(im);
	build(im);
	im->buf[VSHM(im, 1, 3, _pad) + 1] = 1;
	return VSHM(im, 1, 3, _pad) + 1;
}

CASE(vma_memfd_pages_shared)	/* the pages of a shared mapping follow its memfd */
{
	memfds(im);
	im->mms[0].vmas[3].nr_runs = 1;
	im->mms[0].vmas[3].runs[0] = (struct mrun){ 0x7f0012501000ULL, 1 };
	build(im);
	return im->pages_off[0][3][0];
}

CASE(vma_memfd_pages_outside)
{
	memfds(im);
	im->mms[0].vmas[4].runs[0].addr = 0x7f0012602000ULL;
	build(im);
	return PG(im, 0, 4, 0, addr);
}

CASE(vma_memfd_fields_before_ref)
{
	memfds(im);
	build(im);
	put64(im, VMA(im, 1, 2, ino), 1);
	put32(im, VSHM(im, 1, 2, shmem_ref), 0);
	return VMA(im, 1, 2, ino);
}

CASE(vma_memfd_ref_before_pad)
{
	memfds(im);
	build(im);
	put32(im, VSHM(im, 1, 3, shmem_ref), im->cred_ref[0]);
	im->buf[VSHM(im, 1, 3, _pad)] = 1;
	return VSHM(im, 1, 3, shmem_ref);
}

/*
 * Status flags of files restart(2) makes anew: fcntl(F_SETFL) gives an
 * epoll, eventfd, signalfd, timerfd or socket O_NONBLOCK, O_APPEND and
 * O_NOATIME, a pipe end O_DIRECT (packet mode) too, and checkpoint
 * refuses O_ASYNC
 */
CASE(epoll_noatime)
{
	epolls(im);
	im->files[12].f_flags |= O_NOATIME_ | O_APPEND_;
	build(im);
	return 0;
}

CASE(epoll_async)
{
	epolls(im);
	im->files[11].f_flags |= FASYNC_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(tfd_append_noatime)
{
	timerfds(im);
	im->files[12].f_flags |= O_APPEND_ | O_NOATIME_;
	im->files[15].f_flags |= O_APPEND_;
	build(im);
	return 0;
}

CASE(tfd_largefile)	/* timerfd_create() does not give O_LARGEFILE */
{
	timerfds(im);
	im->files[13].f_flags |= O_LARGEFILE_;
	build(im);
	return FREC(im, 13, f_flags);
}

CASE(tfd_rdonly)
{
	timerfds(im);
	im->files[11].f_flags = O_RDONLY_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(tfd_async)
{
	timerfds(im);
	im->files[16].f_flags |= FASYNC_;
	build(im);
	return FREC(im, 16, f_flags);
}

CASE(tfd_pos_before_flags)
{
	timerfds(im);
	im->files[14].f_flags = O_WRONLY_;
	im->files[14].pos = 1;
	build(im);
	return FREC(im, 14, pos);
}

CASE(pipe_end_packet)	/* pipe2(O_DIRECT), then F_SETFL */
{
	im->files[7].f_flags |= O_DIRECT_ | O_NONBLOCK_ | O_APPEND_ | O_NOATIME_;
	build(im);
	return 0;
}

CASE(pipe_end_async)
{
	im->files[7].f_flags |= FASYNC_;
	build(im);
	return FREC(im, 7, f_flags);
}

CASE(pipe_end_directory)
{
	im->files[7].f_flags |= O_DIRECTORY_;
	build(im);
	return FREC(im, 7, f_flags);
}

/*
 * The size and modification time of a regular file, which restart(2)
 * checks for a file open read-only; 0 for other kinds
 */
CASE(file_stat_limits)
{
	im->fstat[1] = (struct mstat){ ~0ULL, INT64_MIN, 999999999 };
	im->fstat[4] = (struct mstat){ 0, INT64_MAX, 0 };
	build(im);
	return 0;
}

CASE(file_size_dir)
{
	build(im);
	put64(im, FREC(im, 2, size), 4096);
	return FREC(im, 2, size);
}

CASE(file_mtime_chr)
{
	build(im);
	put64(im, FREC(im, 3, mtime_sec), 1700000000);
	return FREC(im, 3, mtime_sec);
}

CASE(file_mtime_negative_inherit)
{
	build(im);
	put64(im, FREC(im, 0, mtime_sec), -1);
	return FREC(im, 0, mtime_sec);
}

CASE(file_mtime_nsec_pipe)
{
	build(im);
	put32(im, FREC(im, 7, mtime_nsec), 1);
	return FREC(im, 7, mtime_nsec);
}

CASE(file_mtime_nsec_second)	/* a whole second of nanoseconds */
{
	im->fstat[8].mtime_nsec = NSEC;
	build(im);
	return FREC(im, 8, mtime_nsec);
}

CASE(file_mtime_nsec_high)
{
	im->fstat[1].mtime_nsec = ~0U;
	build(im);
	return FREC(im, 1, mtime_nsec);
}

CASE(file_stat_pad)
{
	build(im);
	im->buf[FREC(im, 4, _pad) + 3] = 0x80;
	return FREC(im, 4, _pad) + 3;
}

CASE(file_stat_pad_dir)
{
	build(im);
	im->buf[FREC(im, 9, _pad)] = 1;
	return FREC(im, 9, _pad);
}

CASE(file_size_memfd)	/* a memfd's size is in its object */
{
	memfds(im);
	build(im);
	put64(im, FREC(im, 11, size), 5 * PAGE + 100);
	return FREC(im, 11, size);
}

CASE(file_size_socket)
{
	sockets(im);
	build(im);
	put64(im, FREC(im, 13, size), 1);
	return FREC(im, 13, size);
}

CASE(file_mtime_tfd)
{
	timerfds(im);
	build(im);
	put64(im, FREC(im, 12, mtime_sec), 1700000000);
	return FREC(im, 12, mtime_sec);
}

CASE(file_size_epoll)
{
	epolls(im);
	build(im);
	put64(im, FREC(im, 12, size), 1);
	return FREC(im, 12, size);
}

CASE(file_kind_before_stat)
{
	im->files[2].kind = CKPT_FILE_INOTIFY + 1;
	build(im);
	put64(im, FREC(im, 2, size), 1);
	return FREC(im, 2, kind);
}

CASE(file_stat_before_flags)	/* checked right after the kind */
{
	im->files[5].f_flags |= O_CREAT_;
	build(im);
	put64(im, FREC(im, 5, size), 4096);
	return FREC(im, 5, size);
}

CASE(file_stat_before_epoll)
{
	epolls(im);
	im->files[11].mode = S_IFREG_ | 0600;
	build(im);
	im->buf[FREC(im, 11, _pad)] = 1;
	return FREC(im, 11, _pad);
}

CASE(file_size_before_mtime)
{
	build(im);
	put64(im, FREC(im, 6, size), 1);
	put64(im, FREC(im, 6, mtime_sec), 1);
	put32(im, FREC(im, 6, mtime_nsec), NSEC);
	return FREC(im, 6, size);
}

CASE(file_nsec_before_pad)
{
	im->fstat[8].mtime_nsec = NSEC;
	build(im);
	im->buf[FREC(im, 8, _pad)] = 1;
	return FREC(im, 8, mtime_nsec);
}

/* The character devices restart(2) reopens: null, zero, full, random, urandom */
CASE(file_chr_devices)
{
	im->files[3].rdev = DEV(1, 5);
	im->files[3].path = "/dev/zero";
	im->files[6].rdev = DEV(1, 7);
	im->files[6].path = "/dev/full";
	im->files[10].rdev = DEV(1, 9);
	im->files[10].path = "/dev/urandom";
	build(im);
	return 0;
}

CASE(file_chr_random)
{
	im->files[10].rdev = DEV(1, 8);
	im->files[10].path = "/dev/random";
	build(im);
	return 0;
}

CASE(file_chr_mem)	/* /dev/mem: 1:1 */
{
	im->files[3].rdev = DEV(1, 1);
	build(im);
	return FREC(im, 3, rdev);
}

CASE(file_chr_kmsg)	/* /dev/kmsg: 1:11 */
{
	im->files[6].rdev = DEV(1, 11);
	build(im);
	return FREC(im, 6, rdev);
}

CASE(file_chr_tty)	/* /dev/tty: 5:0 */
{
	im->files[10].rdev = DEV(5, 0);
	build(im);
	return FREC(im, 10, rdev);
}

CASE(file_chr_rdev_0)
{
	im->files[3].rdev = 0;
	build(im);
	return FREC(im, 3, rdev);
}

CASE(file_chr_minor_high)	/* 1:259, a minor with bits above the low 8 */
{
	im->files[3].rdev = DEV(1, 3) | 1U << 20;
	build(im);
	return FREC(im, 3, rdev);
}

CASE(file_chr_major_high)	/* 257:3, a major with bits above the low 8 */
{
	im->files[3].rdev = DEV(1, 3) | 1U << 16;
	build(im);
	return FREC(im, 3, rdev);
}

CASE(file_chr_mode_before_rdev)	/* a block device, 8:0 */
{
	im->files[10].mode = S_IFBLK_ | 0660;
	im->files[10].rdev = DEV(8, 0);
	build(im);
	return FREC(im, 10, mode);
}

/* A memfd reopened through /proc with O_DIRECTORY: open(2) gives ENOTDIR */
CASE(memfd_file_directory)
{
	memfds(im);
	im->files[12].f_flags |= O_DIRECTORY_;
	build(im);
	return FREC(im, 12, f_flags);
}

CASE(memfd_file_mode_before_directory)
{
	memfds(im);
	im->files[13].f_flags |= O_DIRECTORY_;
	im->files[13].mode = S_IFDIR_ | 0666;
	build(im);
	return FREC(im, 13, mode);
}

CASE(memfd_file_directory_before_ref)
{
	memfds(im);
	im->files[11].f_flags |= O_DIRECTORY_;
	build(im);
	put32(im, FREC(im, 11, memfd_ref), 0);
	return FREC(im, 11, f_flags);
}

/*
 * Files of procfs: reopened by path, only checked to be of procfs and of
 * their type, with no size or mtime
 */
#define PROC_DEV	DEV(0, 22)

/* A file reopened by @path, open at descriptor @fd of table @t: its index */
static int add_path_file(struct img *im, int t, int32_t fd, uint32_t kind, uint32_t f_flags,
			 int64_t pos, uint32_t mode, uint64_t ino, uint32_t dev, const char *path)
{
	int f = im->nr_files++;

	if (f >= MAX_FILES) {
		fprintf(stderr, "mkimage: too many files\n");
		exit(1);
	}
	im->files[f] = (struct mfile){ .kind = kind, .f_flags = f_flags, .pos = pos,
				       .mode = mode, .ino = ino, .dev = dev, .path = path };
	add_fd(im, t, fd, f);
	return f;
}

/*
 * cat has /proc/self/status open at fd 7, read to offset 1024, and its
 * task directory at fd 8: files 11 and 12
 */
static void procfs(struct img *im)
{
	add_path_file(im, 2, 7, CKPT_FILE_PROC, O_RDONLY_ | O_LARGEFILE_, 1024, S_IFREG_ | 0444,
		      4026532021ULL, PROC_DEV, "/proc/self/status");
	add_path_file(im, 2, 8, CKPT_FILE_PROC, O_RDONLY_ | O_DIRECTORY_ | O_LARGEFILE_, 0,
		      S_IFDIR_ | 0555, 4026532022ULL, PROC_DEV, "/proc/self/task");
}

CASE(file_proc)
{
	procfs(im);
	build(im);
	return 0;
}

CASE(file_proc_mode_chr)
{
	procfs(im);
	im->files[11].mode = S_IFCHR_ | 0444;
	build(im);
	return FREC(im, 11, mode);
}

CASE(file_proc_mode_link)	/* a symbolic link, /proc/self/exe opened O_PATH */
{
	procfs(im);
	im->files[12].mode = 0120777;
	im->files[12].f_flags = O_PATH_ | O_NOFOLLOW_;
	build(im);
	return FREC(im, 12, mode);
}

CASE(file_proc_rdev)
{
	procfs(im);
	im->files[11].rdev = DEV(1, 3);
	build(im);
	return FREC(im, 11, rdev);
}

CASE(file_proc_size)	/* procfs gives no size that would mean anything */
{
	procfs(im);
	build(im);
	put64(im, FREC(im, 11, size), 1234);
	return FREC(im, 11, size);
}

CASE(file_proc_no_path)
{
	procfs(im);
	im->files[12].path = NULL;
	build(im);
	return FREC(im, 12, path_len);
}

CASE(file_proc_relative)
{
	procfs(im);
	im->files[11].path = "self/status";
	build(im);
	return FPATH(im, 11);
}

CASE(file_proc_pipe_ref)
{
	procfs(im);
	build(im);
	put32(im, FREC(im, 12, pipe_ref), im->pipe_ref[0]);
	return FREC(im, 12, pipe_ref);
}

/*
 * File locks: a CKPT_HDR_FILE_LOCKS record right after a file's, with
 * its flock(2) and OFD locks, or right after a table's, with the POSIX
 * locks its owner holds, each through a descriptor of the table
 */
#define FLK(im, f, fld)	AT((im)->file_locks_off[f], ckpt_hdr_file_locks, fld)
#define TLK(im, t, fld)	AT((im)->table_locks_off[t], ckpt_hdr_file_locks, fld)
/* Field @fld of lock @i of the record at @off */
#define LK(off, i, fld) \
	AT((off) + sizeof(struct ckpt_hdr_file_locks) + (i) * sizeof(struct ckpt_file_lock), \
	   ckpt_file_lock, fld)
#define FLK_L(im, f, i, fld)	LK((im)->file_locks_off[f], i, fld)
#define TLK_L(im, t, i, fld)	LK((im)->table_locks_off[t], i, fld)

static void add_lock(struct mlocks *lk, uint32_t kind, int32_t fd, uint32_t type,
		     int64_t start, int64_t end)
{
	if (lk->nr >= MAX_LOCKS) {
		fprintf(stderr, "mkimage: too many locks\n");
		exit(1);
	}
	lk->l[lk->nr++] = (struct ckpt_file_lock){ .kind = kind, .fd = fd, .type = type,
						   .start = start, .end = end };
}

/*
 * sh holds flock(LOCK_EX) on its history (file 1, open for writing at
 * its fds 3 and 10), OFD write locks on its first 100 bytes and from
 * its end on, and through fd 3 a POSIX write lock on the bytes between;
 * cat holds flock(LOCK_SH) and an OFD read lock on the file it reads
 * (file 8, its fds 3 and 6), and through fd 3 POSIX read locks on its
 * first page and from 1 MiB on.
 */
static void file_locks(struct img *im)
{
	add_lock(&im->file_locks[1], CKPT_LOCK_FLOCK, 0, F_WRLCK_, 0, OFFSET_MAX_);
	add_lock(&im->file_locks[1], CKPT_LOCK_OFD, 0, F_WRLCK_, 0, 99);
	add_lock(&im->file_locks[1], CKPT_LOCK_OFD, 0, F_WRLCK_, 18734, OFFSET_MAX_);
	add_lock(&im->table_locks[0], CKPT_LOCK_POSIX, 3, F_WRLCK_, 100, 18733);
	add_lock(&im->file_locks[8], CKPT_LOCK_FLOCK, 0, F_RDLCK_, 0, OFFSET_MAX_);
	add_lock(&im->file_locks[8], CKPT_LOCK_OFD, 0, F_RDLCK_, 4096, 8191);
	add_lock(&im->table_locks[2], CKPT_LOCK_POSIX, 3, F_RDLCK_, 0, 4095);
	add_lock(&im->table_locks[2], CKPT_LOCK_POSIX, 3, F_RDLCK_, 1048576, OFFSET_MAX_);
}

CASE(locks)
{
	file_locks(im);
	build(im);
	return 0;
}

CASE(locks_pipe_end)	/* a pipe restart(2) makes can be locked */
{
	add_lock(&im->file_locks[7], CKPT_LOCK_FLOCK, 0, F_RDLCK_, 0, OFFSET_MAX_);
	add_lock(&im->table_locks[2], CKPT_LOCK_POSIX, 0, F_RDLCK_, 0, 0);
	build(im);
	return 0;
}

CASE(locks_posix_any_fd)	/* through any descriptor of the table */
{
	add_lock(&im->table_locks[0], CKPT_LOCK_POSIX, 10, F_WRLCK_, 0, OFFSET_MAX_);
	add_lock(&im->table_locks[0], CKPT_LOCK_POSIX, 0, F_RDLCK_, OFFSET_MAX_, OFFSET_MAX_);
	add_lock(&im->table_locks[1], CKPT_LOCK_POSIX, 7, F_WRLCK_, 1, 1);
	build(im);
	return 0;
}

CASE(locks_ofd_only)	/* sudo's log, open for reading too */
{
	im->files[4].f_flags = O_RDWR_ | O_APPEND_ | O_LARGEFILE_;
	add_lock(&im->file_locks[4], CKPT_LOCK_OFD, 0, F_WRLCK_, 0, 0);
	add_lock(&im->file_locks[4], CKPT_LOCK_OFD, 0, F_RDLCK_, 1, OFFSET_MAX_);
	build(im);
	return 0;
}

CASE(locks_len_below_min)
{
	file_locks(im);
	build(im);
	put32(im, LEN(im->file_locks_off[1]), sizeof(struct ckpt_hdr_file_locks) - 4);
	return LEN(im->file_locks_off[1]);
}

CASE(locks_len_above_max)
{
	file_locks(im);
	build(im);
	put32(im, LEN(im->table_locks_off[2]), sizeof(struct ckpt_hdr_file_locks) +
	      (CKPT_LOCKS_MAX + 1) * sizeof(struct ckpt_file_lock));
	return LEN(im->table_locks_off[2]);
}

CASE(locks_nr_0)
{
	file_locks(im);
	build(im);
	put32(im, FLK(im, 8, nr_locks), 0);
	return FLK(im, 8, nr_locks);
}

CASE(locks_nr_above_max)
{
	file_locks(im);
	build(im);
	put32(im, TLK(im, 0, nr_locks), CKPT_LOCKS_MAX + 1);
	return TLK(im, 0, nr_locks);
}

CASE(locks_len)	/* 3 locks, nr_locks 2 */
{
	file_locks(im);
	build(im);
	put32(im, FLK(im, 1, nr_locks), 2);
	return LEN(im->file_locks_off[1]);
}

CASE(locks_pad)
{
	file_locks(im);
	build(im);
	im->buf[FLK(im, 8, _pad) + 1] = 1;
	return FLK(im, 8, _pad) + 1;
}

CASE(locks_nr_before_pad)
{
	file_locks(im);
	build(im);
	put32(im, TLK(im, 2, nr_locks), 0);
	im->buf[TLK(im, 2, _pad)] = 1;
	return TLK(im, 2, nr_locks);
}

CASE(locks_cut)
{
	file_locks(im);
	build(im);
	im->len = TLK_L(im, 2, 1, start);
	return im->len;
}

CASE(locks_kind_0)
{
	file_locks(im);
	im->file_locks[1].l[1].kind = 0;
	build(im);
	return FLK_L(im, 1, 1, kind);
}

CASE(locks_kind_4)
{
	file_locks(im);
	im->file_locks[8].l[1].kind = CKPT_LOCK_POSIX + 1;
	build(im);
	return FLK_L(im, 8, 1, kind);
}

CASE(locks_posix_after_file)	/* a POSIX lock is its table's */
{
	file_locks(im);
	im->file_locks[8].l[1] = im->table_locks[2].l[0];
	build(im);
	return FLK_L(im, 8, 1, kind);
}

CASE(locks_flock_after_table)	/* a flock(2) lock is its open file's */
{
	file_locks(im);
	im->table_locks[2].l[1] = im->file_locks[8].l[0];
	build(im);
	return TLK_L(im, 2, 1, kind);
}

CASE(locks_ofd_after_table)
{
	file_locks(im);
	im->table_locks[0].l[0] = im->file_locks[1].l[1];
	build(im);
	return TLK_L(im, 0, 0, kind);
}

CASE(locks_inherit)	/* checkpoint refuses locks on a file restart does not make */
{
	add_lock(&im->file_locks[0], CKPT_LOCK_FLOCK, 0, F_WRLCK_, 0, OFFSET_MAX_);
	build(im);
	return im->file_locks_off[0];
}

CASE(locks_kind_before_inherit)
{
	add_lock(&im->file_locks[0], CKPT_LOCK_POSIX, 0, F_WRLCK_, 0, OFFSET_MAX_);
	build(im);
	return FLK_L(im, 0, 0, kind);
}

CASE(locks_file_fd)	/* a flock(2) or OFD lock names no descriptor */
{
	file_locks(im);
	im->file_locks[1].l[2].fd = 3;
	build(im);
	return FLK_L(im, 1, 2, fd);
}

CASE(locks_file_fd_negative)
{
	file_locks(im);
	im->file_locks[8].l[0].fd = -1;
	build(im);
	return FLK_L(im, 8, 0, fd);
}

CASE(locks_type_unlck)
{
	file_locks(im);
	im->file_locks[8].l[1].type = F_UNLCK_;
	build(im);
	return FLK_L(im, 8, 1, type);
}

CASE(locks_type_high)
{
	file_locks(im);
	im->table_locks[0].l[0].type = 1U << 31 | F_WRLCK_;
	build(im);
	return TLK_L(im, 0, 0, type);
}

CASE(locks_lock_pad)
{
	file_locks(im);
	build(im);
	im->buf[TLK_L(im, 2, 1, _pad) + 2] = 1;
	return TLK_L(im, 2, 1, _pad) + 2;
}

CASE(locks_start_negative)
{
	file_locks(im);
	im->file_locks[1].l[1].start = -1;
	build(im);
	return FLK_L(im, 1, 1, start);
}

CASE(locks_end_before_start)
{
	file_locks(im);
	im->table_locks[2].l[0].end = -1;
	build(im);
	return TLK_L(im, 2, 0, end);
}

CASE(locks_end_negative)
{
	file_locks(im);
	im->table_locks[2].l[1].start = 0;
	im->table_locks[2].l[1].end = INT64_MIN;
	build(im);
	return TLK_L(im, 2, 1, end);
}

CASE(locks_flock_start)	/* a flock(2) lock is of the whole file */
{
	file_locks(im);
	im->file_locks[8].l[0].start = 1;
	build(im);
	return FLK_L(im, 8, 0, start);
}

CASE(locks_flock_end)
{
	file_locks(im);
	im->file_locks[1].l[0].end = OFFSET_MAX_ - 1;
	build(im);
	return FLK_L(im, 1, 0, end);
}

CASE(locks_flock_twice)	/* an open file has one flock(2) lock */
{
	file_locks(im);
	add_lock(&im->file_locks[8], CKPT_LOCK_FLOCK, 0, F_WRLCK_, 0, OFFSET_MAX_);
	build(im);
	return FLK_L(im, 8, 2, kind);
}

CASE(locks_posix_fd_missing)	/* cat has no fd 7 */
{
	file_locks(im);
	im->table_locks[2].l[1].fd = 7;
	build(im);
	return TLK_L(im, 2, 1, fd);
}

CASE(locks_posix_fd_other_table)	/* sh's fd 10, not cat's */
{
	file_locks(im);
	im->table_locks[2].l[0].fd = 10;
	build(im);
	return TLK_L(im, 2, 0, fd);
}

CASE(locks_posix_fd_negative)
{
	file_locks(im);
	im->table_locks[0].l[0].fd = -1;
	build(im);
	return TLK_L(im, 0, 0, fd);
}

CASE(locks_posix_fd_empty_table)	/* no descriptor to lock through */
{
	im->tables[1].nr_fds = 0;
	add_lock(&im->table_locks[1], CKPT_LOCK_POSIX, 0, F_RDLCK_, 0, 0);
	build(im);
	return TLK_L(im, 1, 0, fd);
}

CASE(locks_kind_before_fd)
{
	file_locks(im);
	im->file_locks[1].l[1].kind = CKPT_LOCK_POSIX;
	im->file_locks[1].l[1].fd = 3;
	build(im);
	return FLK_L(im, 1, 1, kind);
}

CASE(locks_fd_before_type)
{
	file_locks(im);
	im->file_locks[1].l[2].fd = 1;
	im->file_locks[1].l[2].type = F_UNLCK_;
	build(im);
	return FLK_L(im, 1, 2, fd);
}

CASE(locks_type_before_pad)
{
	file_locks(im);
	im->table_locks[0].l[0].type = F_UNLCK_;
	build(im);
	im->buf[TLK_L(im, 0, 0, _pad)] = 1;
	return TLK_L(im, 0, 0, type);
}

CASE(locks_pad_before_range)
{
	file_locks(im);
	im->file_locks[8].l[1].start = -5;
	build(im);
	im->buf[FLK_L(im, 8, 1, _pad)] = 1;
	return FLK_L(im, 8, 1, _pad);
}

CASE(locks_range_before_fd)
{
	file_locks(im);
	im->table_locks[2].l[1].fd = 99;
	im->table_locks[2].l[1].start = -1;
	build(im);
	return TLK_L(im, 2, 1, start);
}

CASE(locks_bad_before_flock_twice)	/* each lock is checked, then counted */
{
	file_locks(im);
	add_lock(&im->file_locks[8], CKPT_LOCK_FLOCK, 0, F_UNLCK_, 0, OFFSET_MAX_);
	build(im);
	return FLK_L(im, 8, 2, type);
}

CASE(locks_in_order)	/* the first bad lock, the others good */
{
	file_locks(im);
	im->table_locks[2].l[0].fd = 8;
	im->table_locks[2].l[1].fd = 9;
	build(im);
	return TLK_L(im, 2, 0, fd);
}

CASE(locks_posix_write_read_only)	/* cat's fd 3 is open read-only */
{
	file_locks(im);
	im->table_locks[2].l[1].type = F_WRLCK_;
	build(im);
	return TLK_L(im, 2, 1, type);
}

CASE(locks_ofd_read_write_only)	/* sh's history is open write-only */
{
	file_locks(im);
	im->file_locks[1].l[2].type = F_RDLCK_;
	build(im);
	return FLK_L(im, 1, 2, type);
}

CASE(locks_flock_path)	/* cat's directory is open O_PATH */
{
	add_lock(&im->file_locks[9], CKPT_LOCK_FLOCK, 0, F_RDLCK_, 0, OFFSET_MAX_);
	build(im);
	return FLK_L(im, 9, 0, type);
}

CASE(locks_fd_before_mode)	/* the fd is looked up first */
{
	file_locks(im);
	im->table_locks[2].l[0].fd = 7;
	im->table_locks[2].l[0].type = F_WRLCK_;
	build(im);
	return TLK_L(im, 2, 0, fd);
}

CASE(locks_twice)	/* one record of locks after a file */
{
	file_locks(im);
	build(im);
	put32(im, AT(im->file_off[2], ckpt_hdr, type), CKPT_HDR_FILE_LOCKS);
	return im->file_off[2];
}

CASE(locks_before_objects)	/* locks of nothing */
{
	build(im);
	put32(im, AT(im->cred_off[0], ckpt_hdr, type), CKPT_HDR_FILE_LOCKS);
	return im->cred_off[0];
}

CASE(locks_after_fs)	/* a working directory holds no lock */
{
	size_t next;

	build(im);
	next = im->fs_off[0] + ((get32(im, LEN(im->fs_off[0])) + CKPT_ALIGN - 1) &
				~(size_t)(CKPT_ALIGN - 1));
	put32(im, AT(next, ckpt_hdr, type), CKPT_HDR_FILE_LOCKS);
	return next;
}

/* ---- SysV IPC ---- */

/*
 * SysV IPC objects: each an object of the IPC namespace of the image,
 * right after the namespaces record: the segments, each with its pages
 * (their addr an offset in it), then the queues, each with a record a
 * message, then the semaphore sets, each kind in increasing id order.
 * An attachment of a segment is a CKPT_VMA_SYSVSHM mapping of all of it
 * whose struct ckpt_vma_shmem names it.
 */
#define ISHM(im, k, fld)	AT((im)->ipc_shm_off[k], ckpt_hdr_ipc_shm, fld)
#define IPG(im, k, n, fld)	AT((im)->ipc_shm_pages_off[k][n], ckpt_hdr_pages, fld)
#define IMSG(im, k, fld)	AT((im)->ipc_msg_off[k], ckpt_hdr_ipc_msg, fld)
#define ITXT(im, k, n, fld)	AT((im)->ipc_text_off[k][n], ckpt_hdr_ipc_msg_text, fld)
#define ISEM(im, k, fld)	AT((im)->ipc_sem_off[k], ckpt_hdr_ipc_sem, fld)
#define ISEMV(im, k, i) \
	((im)->ipc_sem_off[k] + sizeof(struct ckpt_hdr_ipc_sem) + (i) * sizeof(uint16_t))
/* What shmat(2) maps: read-write, or read-only (SHM_RDONLY) */
#define SHM_RW		0x7b	/* READ, WRITE, SHARED, MAYREAD, MAYWRITE, MAYEXEC */
#define SHM_RO		0x59	/* READ, SHARED, MAYREAD, MAYEXEC */
#define IPC_SEMVMX	32767
#define INT_MAX_	0x7fffffffULL

/* The index of the first CKPT_VMA_SYSVSHM mapping of mm @m */
static int sysv_vma(const struct img *im, int m)
{
	int v;

	for (v = 0; v < im->mms[m].nr_vmas; v++)
		if (im->mms[m].vmas[v].kind == CKPT_VMA_SYSVSHM)
			return v;
	fprintf(stderr, "mkimage: no SysV shared memory mapping in mm %d\n", m);
	exit(1);
}

/*
 * The tasks in an IPC namespace of their own, which holds segment 0 of
 * 3 pages less 100 bytes, its second page saved (the others were never
 * touched); queue 32768, private (made after another one was removed),
 * given by its creator to cat's user, with two messages waiting; and
 * semaphore set 1 of 3 semaphores, the last at its largest value.
 *
 *   records: header, tree, namespaces, ipc_shm 1 (pages), ipc_msg 2
 *	      (ipc_msg_text, ipc_msg_text), ipc_sem 3, mm 4, ...
 */
static void sysv_ipc_objects(struct img *im)
{
	static const struct mipc_shm shm = {
		{ 0, 0x5eed0001, 1000, 1000, 1000, 1000, 0640 },
		3 * PAGE - 100, 1700000100, 0, 1700000000, 0, 1, { { PAGE, 1 } }, 0,
	};
	static const struct mipc_msg msg = {
		{ 32768, 0, 1001, 1001, 1000, 1000, 0660 },
		1700000200, 1700000150, 1700000010, 16384, 2, 2,
		{ { 1, 13, "hello, world\n" },
		  { 42, 8, "\x00\x01\x02\x03\xfc\xfd\xfe\xff" } },
	};
	static const struct mperm sem = { 1, 0x5eed0002, 1000, 100, 1000, 1000, 0666 };
	struct mipc_sem *ss = &im->ipc_sems[0];

	set_ns(im, CKPT_NS_IPC, NULL, NULL);
	im->nr_ipc_shms = 1;
	im->ipc_shms[0] = shm;
	im->nr_ipc_msgs = 1;
	im->ipc_msgs[0] = msg;
	im->nr_ipc_sems = 1;
	ss->perm = sem;
	ss->otime = 1700000300;
	ss->ctime = 1700000020;
	ss->nsems = 3;
	ss->vals[0] = 0;
	ss->vals[1] = 1;
	ss->vals[2] = IPC_SEMVMX;
}

/*
 * ... and segment 0 attached by sh, read-write, and by sudo, read-only:
 * shmat(2) maps all of it, from its start.
 *
 *   mappings: vmas[3] of mm 0, vmas[2] of mm 1
 */
static void sysv_ipc(struct img *im)
{
	static const struct mvma sh = {
		0x7f0012700000ULL, 0x7f0012703000ULL, 0, CKPT_VMA_SYSVSHM, SHM_RW, NULL, 0,
		{ { 0 } } };
	static const struct mvma sudo = {
		0x7f0000040000ULL, 0x7f0000043000ULL, 0, CKPT_VMA_SYSVSHM, SHM_RO, NULL, 0,
		{ { 0 } } };

	sysv_ipc_objects(im);
	add_vma(im, 0, &sh, 1);
	add_vma(im, 1, &sudo, 1);
}

CASE(sysv_ipc)
{
	sysv_ipc(im);
	build(im);
	return 0;
}

CASE(sysv_ipc_unmapped)		/* a segment no task attaches */
{
	sysv_ipc_objects(im);
	build(im);
	return 0;
}

CASE(sysv_ipc_shm_only)
{
	sysv_ipc(im);
	im->nr_ipc_msgs = 0;
	im->nr_ipc_sems = 0;
	build(im);
	return 0;
}

CASE(sysv_ipc_msg_only)
{
	sysv_ipc_objects(im);
	im->nr_ipc_shms = 0;
	im->nr_ipc_sems = 0;
	build(im);
	return 0;
}

CASE(sysv_ipc_sem_only)
{
	sysv_ipc_objects(im);
	im->nr_ipc_shms = 0;
	im->nr_ipc_msgs = 0;
	build(im);
	return 0;
}

CASE(sysv_ipc_uts_single_task)	/* with a UTS namespace, of sh alone */
{
	sysv_ipc(im);
	set_ns(im, CKPT_NS_UTS | CKPT_NS_IPC, "web-1", "(none)");
	im->flags = CHECKPOINT_SCOPE_TASK;
	im->nr_tasks = 2;
	build(im);
	return 0;
}

/* Objects of each kind with increasing ids, the last the largest */
static void sysv_ipc_ids(struct img *im)
{
	int k;

	sysv_ipc_objects(im);
	im->nr_ipc_shms = 3;
	im->nr_ipc_msgs = 3;
	im->nr_ipc_sems = 3;
	for (k = 1; k < 3; k++) {
		im->ipc_shms[k] = im->ipc_shms[0];
		im->ipc_shms[k].perm.key += k;
		im->ipc_msgs[k] = im->ipc_msgs[0];
		im->ipc_sems[k] = im->ipc_sems[0];
		im->ipc_sems[k].perm.key += k;
	}
	im->ipc_shms[1].perm.id = 65537;
	im->ipc_shms[2].perm.id = CKPT_IPC_ID_MAX;
	im->ipc_msgs[0].perm.id = 0;
	im->ipc_msgs[1].perm.id = 1;
	im->ipc_msgs[2].perm.id = CKPT_IPC_ID_MAX;
	im->ipc_sems[1].perm.id = 2;
	im->ipc_sems[2].perm.id = 98306;
}

CASE(sysv_ipc_ids)	/* each kind starts again after the largest id */
{
	sysv_ipc_ids(im);
	build(im);
	return 0;
}

CASE(sysv_ipc_perm_limits)	/* every permission bit, the largest ids */
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].perm = (struct mperm){ CKPT_IPC_ID_MAX, -1, 0, 0, 0xfffffffe,
					       0xfffffffe, 0777 };
	im->ipc_msgs[0].perm.mode = 0;
	im->ipc_sems[0].perm.key = INT32_MIN;
	build(im);
	return 0;
}

CASE(sysv_ipc_shm_dest)	/* removed while attached: no key */
{
	sysv_ipc(im);
	im->ipc_shms[0].perm.key = 0;
	im->ipc_shms[0].flags = CKPT_SHM_DEST;
	build(im);
	return 0;
}

CASE(sysv_ipc_shm_size_max)	/* 64 TiB, its last page saved, attached by sh */
{
	static const struct mvma sh = {
		0x100000000000ULL, 0x100000000000ULL + CKPT_IPC_SHM_SIZE_MAX, 0,
		CKPT_VMA_SYSVSHM, SHM_RW, NULL, 0, { { 0 } } };

	sysv_ipc_objects(im);
	im->ipc_shms[0].size = CKPT_IPC_SHM_SIZE_MAX;
	im->ipc_shms[0].runs[0] = (struct mrun){ CKPT_IPC_SHM_SIZE_MAX - PAGE, 1 };
	add_vma(im, 0, &sh, 1);
	build(im);
	return 0;
}

CASE(sysv_ipc_shm_one_byte)	/* a page, none saved */
{
	sysv_ipc(im);
	im->ipc_shms[0].size = 1;
	im->ipc_shms[0].nr_runs = 0;
	im->mms[0].vmas[3].end = im->mms[0].vmas[3].start + PAGE;
	im->mms[1].vmas[2].end = im->mms[1].vmas[2].start + PAGE;
	build(im);
	return 0;
}

CASE(sysv_ipc_msg_limits)	/* the longest message, an empty one, qbytes full */
{
	struct mipc_msg *q = &im->ipc_msgs[0];

	sysv_ipc_objects(im);
	q->qbytes = CKPT_IPC_MSG_MAX;
	q->texts[0] = (struct mtext){ INT64_MAX, CKPT_IPC_MSG_MAX, NULL };
	q->texts[1] = (struct mtext){ 1, 0, NULL };
	build(im);
	return 0;
}

CASE(sysv_ipc_msg_empty)	/* no message, qbytes at its bounds */
{
	sysv_ipc_objects(im);
	im->nr_ipc_msgs = 2;
	im->ipc_msgs[1] = im->ipc_msgs[0];
	im->ipc_msgs[1].perm.id = 32769;
	im->ipc_msgs[0].qbytes = 0;
	im->ipc_msgs[0].nr_msgs = 0;
	im->ipc_msgs[0].nr_texts = 0;
	im->ipc_msgs[1].qbytes = INT_MAX_;
	build(im);
	return 0;
}

CASE(sysv_ipc_sem_limits)	/* as many semaphores as a set may have, all at SEMVMX */
{
	uint32_t i;

	sysv_ipc_objects(im);
	im->ipc_sems[0].nsems = CKPT_IPC_SEMS_MAX;
	for (i = 0; i < CKPT_IPC_SEMS_MAX; i++)
		im->ipc_sems[0].vals[i] = IPC_SEMVMX;
	build(im);
	return 0;
}

/* Where the objects are */
CASE(ipc_no_ns)		/* without a namespaces record */
{
	sysv_ipc_objects(im);
	im->ns = false;
	build(im);
	return im->ipc_shm_off[0];
}

CASE(ipc_ns_uts)	/* after a UTS namespace alone */
{
	sysv_ipc_objects(im);
	set_ns(im, CKPT_NS_UTS, "web-1", "(none)");
	build(im);
	return im->ipc_shm_off[0];
}

CASE(net_cfg_sysv_ipc)	/* after the net record, which is right after the namespaces */
{
	set_net(im);
	sysv_ipc_objects(im);
	im->ns_flags = CKPT_NS_IPC | CKPT_NS_NET;
	build(im);
	return 0;
}

CASE(ipc_after_objects)	/* after the objects of the root, not right after the namespaces */
{
	sysv_ipc_objects(im);
	im->ipc_after_objects = true;
	build(im);
	return im->ipc_shm_off[0];
}

CASE(ipc_task_2)	/* among the objects of sudo */
{
	sysv_ipc_objects(im);
	im->ipc_task = 2;
	build(im);
	return im->ipc_shm_off[0];
}

CASE(ipc_before_tail)
{
	sysv_ipc_objects(im);
	im->ipc_task = im->nr_tasks;
	build(im);
	return im->ipc_shm_off[0];
}

CASE(ipc_then_error)	/* the checkpoint failed after them */
{
	sysv_ipc(im);
	im->fail_task = 0;
	build(im);
	return im->error_off;
}

CASE(ipc_owner_before_place)	/* its perm is checked before its place */
{
	sysv_ipc_objects(im);
	im->ns = false;
	im->ipc_shms[0].perm.uid = -1;
	build(im);
	return ISHM(im, 0, perm.uid);
}

/* Their order */
CASE(ipc_shm_id_twice)
{
	sysv_ipc_objects(im);
	im->nr_ipc_shms = 2;
	im->ipc_shms[1] = im->ipc_shms[0];
	im->ipc_shms[1].perm.key++;
	build(im);
	return ISHM(im, 1, perm.id);
}

CASE(ipc_msg_id_order)
{
	sysv_ipc_objects(im);
	im->nr_ipc_msgs = 2;
	im->ipc_msgs[1] = im->ipc_msgs[0];
	im->ipc_msgs[1].perm.id = 5;
	build(im);
	return IMSG(im, 1, perm.id);
}

CASE(ipc_sem_id_order)
{
	sysv_ipc_ids(im);
	im->ipc_sems[2].perm.id = 1;
	build(im);
	return ISEM(im, 2, perm.id);
}

CASE(ipc_msg_before_shm)
{
	sysv_ipc_objects(im);
	im->ipc_order[0] = M_MSG;
	im->ipc_order[1] = M_SHM;
	im->ipc_order[2] = M_SEM;
	build(im);
	return ISHM(im, 0, perm.id);
}

CASE(ipc_sem_before_msg)
{
	sysv_ipc_objects(im);
	im->ipc_order[0] = M_SHM;
	im->ipc_order[1] = M_SEM;
	im->ipc_order[2] = M_MSG;
	build(im);
	return IMSG(im, 0, perm.id);
}

/* Their struct ckpt_ipc_perm */
CASE(ipc_shm_id_negative)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].perm.id = -1;
	build(im);
	return ISHM(im, 0, perm.id);
}

CASE(ipc_msg_id_min)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].perm.id = INT32_MIN;
	build(im);
	return IMSG(im, 0, perm.id);
}

CASE(ipc_sem_mode_sticky)
{
	sysv_ipc_objects(im);
	im->ipc_sems[0].perm.mode = 01666;
	build(im);
	return ISEM(im, 0, perm.mode);
}

CASE(ipc_msg_mode_high)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].perm.mode = 0x80000000 | 0600;
	build(im);
	return IMSG(im, 0, perm.mode);
}

CASE(ipc_shm_perm_pad)
{
	sysv_ipc_objects(im);
	build(im);
	im->buf[ISHM(im, 0, perm._pad) + 2] = 1;
	return ISHM(im, 0, perm._pad) + 2;
}

CASE(ipc_sem_perm_pad)
{
	sysv_ipc_objects(im);
	build(im);
	im->buf[ISEM(im, 0, perm._pad)] = 0x80;
	return ISEM(im, 0, perm._pad);
}

CASE(ipc_shm_uid)	/* an owner with no uid in the caller's user namespace */
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].perm.uid = -1;
	build(im);
	return ISHM(im, 0, perm.uid);
}

CASE(ipc_msg_gid)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].perm.gid = -1;
	build(im);
	return IMSG(im, 0, perm.gid);
}

CASE(ipc_sem_cuid)
{
	sysv_ipc_objects(im);
	im->ipc_sems[0].perm.cuid = -1;
	build(im);
	return ISEM(im, 0, perm.cuid);
}

CASE(ipc_shm_cgid)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].perm.cgid = -1;
	build(im);
	return ISHM(im, 0, perm.cgid);
}

CASE(ipc_id_before_mode)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].perm.id = -2;
	im->ipc_msgs[0].perm.mode = 01000;
	build(im);
	return IMSG(im, 0, perm.id);
}

CASE(ipc_mode_before_pad)
{
	sysv_ipc_objects(im);
	im->ipc_sems[0].perm.mode = 02666;
	build(im);
	im->buf[ISEM(im, 0, perm._pad)] = 1;
	return ISEM(im, 0, perm.mode);
}

CASE(ipc_pad_before_owner)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].perm.uid = -1;
	build(im);
	im->buf[ISHM(im, 0, perm._pad) + 3] = 1;
	return ISHM(im, 0, perm._pad) + 3;
}

CASE(ipc_owner_before_order)
{
	sysv_ipc_objects(im);
	im->nr_ipc_shms = 2;
	im->ipc_shms[1] = im->ipc_shms[0];
	im->ipc_shms[1].perm.gid = -1;
	build(im);
	return ISHM(im, 1, perm.gid);
}

CASE(ipc_order_before_size)
{
	sysv_ipc_objects(im);
	im->nr_ipc_shms = 2;
	im->ipc_shms[1] = im->ipc_shms[0];
	im->ipc_shms[1].size = 0;
	build(im);
	return ISHM(im, 1, perm.id);
}

/* A segment */
CASE(ipc_shm_len_below_min)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, LEN(im->ipc_shm_off[0]), sizeof(struct ckpt_hdr_ipc_shm) - 8);
	return LEN(im->ipc_shm_off[0]);
}

CASE(ipc_shm_len_above_max)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, LEN(im->ipc_shm_off[0]), sizeof(struct ckpt_hdr_ipc_shm) + 8);
	return LEN(im->ipc_shm_off[0]);
}

CASE(ipc_shm_objref)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, ISHM(im, 0, h.objref), 2);
	return ISHM(im, 0, h.objref);
}

CASE(ipc_shm_size_0)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].size = 0;
	build(im);
	return ISHM(im, 0, size);
}

CASE(ipc_shm_size_above_max)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].size = CKPT_IPC_SHM_SIZE_MAX + 1;
	build(im);
	return ISHM(im, 0, size);
}

CASE(ipc_shm_flags)	/* the bit after CKPT_SHM_HUGETLB */
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].flags = CKPT_SHM_HUGETLB << 1;
	build(im);
	return ISHM(im, 0, flags);
}

CASE(ipc_shm_flags_high)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].perm.key = 0;
	im->ipc_shms[0].flags = CKPT_SHM_DEST | 0x80000000;
	build(im);
	return ISHM(im, 0, flags);
}

CASE(ipc_shm_dest_key)	/* a removed segment lost its key */
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].flags = CKPT_SHM_DEST;
	build(im);
	return ISHM(im, 0, perm.key);
}

CASE(ipc_shm_huge_shift)	/* the size of huge pages, for a segment of base pages */
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].huge_shift = 21;
	build(im);
	return ISHM(im, 0, huge_shift);
}

CASE(ipc_shm_huge_shift_high)
{
	sysv_ipc_objects(im);
	build(im);
	im->buf[ISHM(im, 0, huge_shift) + 3] = 0x80;
	return ISHM(im, 0, huge_shift);
}

CASE(ipc_shm_size_before_flags)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].size = 0;
	im->ipc_shms[0].flags = 2;
	build(im);
	return ISHM(im, 0, size);
}

CASE(ipc_shm_flags_before_key)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].flags = CKPT_SHM_DEST | 4;
	build(im);
	return ISHM(im, 0, flags);
}

CASE(ipc_shm_huge_shift_before_key)	/* checked with the flags */
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].flags = CKPT_SHM_DEST;
	im->ipc_shms[0].huge_shift = 1;
	build(im);
	return ISHM(im, 0, huge_shift);
}

CASE(ipc_shm_huge_shift_before_pages)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].huge_shift = 1;
	build(im);
	put32(im, IPG(im, 0, 0, nr_pages), 0);
	return ISHM(im, 0, huge_shift);
}

CASE(ipc_shm_pages_beyond_size)	/* page 3 of 3 pages less 100 bytes */
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].runs[0].addr = 3 * PAGE;
	build(im);
	return IPG(im, 0, 0, addr);
}

CASE(ipc_shm_pages_overrun)	/* pages 2 and 3 */
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].runs[0] = (struct mrun){ 2 * PAGE, 2 };
	build(im);
	return IPG(im, 0, 0, addr);
}

CASE(ipc_shm_pages_unaligned)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].runs[0].addr = PAGE + 16;
	build(im);
	return IPG(im, 0, 0, addr);
}

CASE(ipc_shm_pages_order)
{
	sysv_ipc_objects(im);
	im->ipc_shms[0].nr_runs = 2;
	im->ipc_shms[0].runs[0] = (struct mrun){ 2 * PAGE, 1 };
	im->ipc_shms[0].runs[1] = (struct mrun){ 0, 1 };
	build(im);
	return IPG(im, 0, 1, addr);
}

CASE(ipc_shm_pages_nr_0)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, IPG(im, 0, 0, nr_pages), 0);
	return IPG(im, 0, 0, nr_pages);
}

CASE(ipc_shm_pages_pad)
{
	sysv_ipc_objects(im);
	build(im);
	im->buf[IPG(im, 0, 0, _pad) + 2] = 1;
	return IPG(im, 0, 0, _pad) + 2;
}

CASE(ipc_shm_truncated)	/* the image ends where its pages would start */
{
	sysv_ipc_objects(im);
	build(im);
	im->len = im->ipc_shm_pages_off[0][0];
	return im->len;
}

CASE(ipc_shm_pages_cut)
{
	sysv_ipc_objects(im);
	build(im);
	im->len = im->ipc_shm_pages_off[0][0] + 1000;
	return im->len;
}

/*
 * Segment 0 made with SHM_HUGETLB | SHM_HUGE_2MB, of a huge page and 100
 * bytes: it holds two huge pages, the first written, the second where
 * its last bytes are, each saved whole in base pages.  sh attaches it
 * read-write, sudo read-only, each all of its huge pages.
 *
 *   mappings: vmas[3] of mm 0, vmas[2] of mm 1
 */
static void sysv_ipc_hugetlb(struct img *im)
{
	static const struct mvma sh = {
		0x7f0012800000ULL, 0x7f0012800000ULL + 2 * HPAGE, 0, CKPT_VMA_SYSVSHM, SHM_RW,
		NULL, 0, { { 0 } } };
	static const struct mvma sudo = {
		0x7f0000400000ULL, 0x7f0000400000ULL + 2 * HPAGE, 0, CKPT_VMA_SYSVSHM, SHM_RO,
		NULL, 0, { { 0 } } };
	struct mipc_shm *sh_seg = &im->ipc_shms[0];
	int n;

	sysv_ipc_objects(im);
	sh_seg->size = HPAGE + 100;
	sh_seg->flags = CKPT_SHM_HUGETLB;
	sh_seg->huge_shift = 21;
	sh_seg->nr_runs = 4;
	for (n = 0; n < 4; n++)
		sh_seg->runs[n] = (struct mrun){ n * CKPT_PAGES_MAX * PAGE, CKPT_PAGES_MAX };
	add_vma(im, 0, &sh, 1);
	add_vma(im, 1, &sudo, 1);
}

CASE(sysv_ipc_shm_hugetlb)
{
	sysv_ipc_hugetlb(im);
	build(im);
	return 0;
}

CASE(sysv_ipc_shm_hugetlb_removed)	/* removed while attached */
{
	sysv_ipc_hugetlb(im);
	im->ipc_shms[0].perm.key = 0;
	im->ipc_shms[0].flags |= CKPT_SHM_DEST;
	build(im);
	return 0;
}

/* ckpt_ipc_shm_restore(): the shift of a size of huge pages the kernel has */
CASE(ipc_shm_hugetlb_shift_0)
{
	sysv_ipc_hugetlb(im);
	im->ipc_shms[0].huge_shift = 0;
	build(im);
	return ISHM(im, 0, huge_shift);
}

CASE(ipc_shm_hugetlb_shift_12)	/* base pages */
{
	sysv_ipc_hugetlb(im);
	im->ipc_shms[0].huge_shift = 12;
	build(im);
	return ISHM(im, 0, huge_shift);
}

CASE(ipc_shm_hugetlb_shift_22)	/* 4 MiB, no size x86_64 has */
{
	sysv_ipc_hugetlb(im);
	im->ipc_shms[0].huge_shift = 22;
	build(im);
	return ISHM(im, 0, huge_shift);
}

CASE(ipc_shm_hugetlb_shift_48)	/* beyond the shifts taken */
{
	sysv_ipc_hugetlb(im);
	im->ipc_shms[0].huge_shift = 48;
	build(im);
	return ISHM(im, 0, huge_shift);
}

CASE(ipc_shm_hugetlb_shift_high)	/* 21 in its low byte */
{
	sysv_ipc_hugetlb(im);
	im->ipc_shms[0].huge_shift = 0x80000015;
	build(im);
	return ISHM(im, 0, huge_shift);
}

CASE(ipc_shm_hugetlb_flags_before_shift)
{
	sysv_ipc_hugetlb(im);
	im->ipc_shms[0].flags |= CKPT_SHM_HUGETLB << 1;
	im->ipc_shms[0].huge_shift = 0;
	build(im);
	return ISHM(im, 0, flags);
}

CASE(ipc_shm_hugetlb_size_before_shift)
{
	sysv_ipc_hugetlb(im);
	im->ipc_shms[0].size = 0;
	im->ipc_shms[0].huge_shift = 12;
	build(im);
	return ISHM(im, 0, size);
}

CASE(ipc_shm_hugetlb_pages_beyond)	/* past its two huge pages */
{
	sysv_ipc_hugetlb(im);
	im->ipc_shms[0].runs[3] = (struct mrun){ 2 * HPAGE, 1 };
	build(im);
	return IPG(im, 0, 3, addr);
}

/* restore_check_sysvshm(): a segment of huge pages is mapped whole, all of them */
CASE(vma_sysvshm_hugetlb_size)	/* its size in base pages */
{
	sysv_ipc_hugetlb(im);
	im->mms[0].vmas[3].end = im->mms[0].vmas[3].start + HPAGE + PAGE;
	build(im);
	return VMA(im, 0, 3, end);
}

/* A SysV attachment's reserve is its segment's: SHM_NORESERVE is not saved */
CASE(vma_sysvshm_noreserve)
{
	sysv_ipc_hugetlb(im);
	im->mms[1].vmas[2].flags |= CKPT_VMA_NORESERVE;
	build(im);
	return VMA(im, 1, 2, flags);
}

/* A queue and its messages */
CASE(ipc_msg_len_below_min)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, LEN(im->ipc_msg_off[0]), sizeof(struct ckpt_hdr_ipc_msg) - 8);
	return LEN(im->ipc_msg_off[0]);
}

CASE(ipc_msg_len_above_max)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, LEN(im->ipc_msg_off[0]), sizeof(struct ckpt_hdr_ipc_msg) + 1);
	return LEN(im->ipc_msg_off[0]);
}

CASE(ipc_msg_objref)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, IMSG(im, 0, h.objref), 1);
	return IMSG(im, 0, h.objref);
}

CASE(ipc_msg_qbytes)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].qbytes = INT_MAX_ + 1;
	build(im);
	return IMSG(im, 0, qbytes);
}

CASE(ipc_msg_nr_msgs)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].nr_msgs = CKPT_IPC_MSGS_MAX + 1;
	build(im);
	return IMSG(im, 0, nr_msgs);
}

CASE(ipc_msg_pad)
{
	sysv_ipc_objects(im);
	build(im);
	im->buf[IMSG(im, 0, _pad) + 3] = 1;
	return IMSG(im, 0, _pad) + 3;
}

CASE(ipc_msg_qbytes_before_nr)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].qbytes = ~0ULL;
	im->ipc_msgs[0].nr_msgs = ~0U;
	build(im);
	return IMSG(im, 0, qbytes);
}

CASE(ipc_msg_nr_before_pad)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].nr_msgs = CKPT_IPC_MSGS_MAX + 1;
	build(im);
	im->buf[IMSG(im, 0, _pad)] = 1;
	return IMSG(im, 0, nr_msgs);
}

CASE(ipc_msg_text_missing)	/* nr_msgs 3, two messages: the set comes next */
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].nr_msgs = 3;
	build(im);
	return AT(im->ipc_sem_off[0], ckpt_hdr, type);
}

CASE(ipc_msg_text_extra)	/* nr_msgs 1, two messages: the second is no object */
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].nr_msgs = 1;
	build(im);
	return im->ipc_text_off[0][1];
}

CASE(ipc_msg_text_mtype_0)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].texts[1].mtype = 0;
	build(im);
	return ITXT(im, 0, 1, mtype);
}

CASE(ipc_msg_text_mtype_negative)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].texts[0].mtype = INT64_MIN;
	build(im);
	return ITXT(im, 0, 0, mtype);
}

CASE(ipc_msg_text_size)		/* the record is a byte short of it */
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, ITXT(im, 0, 0, size), 14);
	return LEN(im->ipc_text_off[0][0]);
}

CASE(ipc_msg_text_size_above_max)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, ITXT(im, 0, 1, size), CKPT_IPC_MSG_MAX + 1);
	return ITXT(im, 0, 1, size);
}

CASE(ipc_msg_text_len_above_max)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, LEN(im->ipc_text_off[0][0]),
	      sizeof(struct ckpt_hdr_ipc_msg_text) + CKPT_IPC_MSG_MAX + 1);
	return LEN(im->ipc_text_off[0][0]);
}

CASE(ipc_msg_text_len_below_min)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, LEN(im->ipc_text_off[0][1]), sizeof(struct ckpt_hdr_ipc_msg_text) - 8);
	return LEN(im->ipc_text_off[0][1]);
}

CASE(ipc_msg_text_pad)
{
	sysv_ipc_objects(im);
	build(im);
	im->buf[ITXT(im, 0, 1, _pad) + 3] = 1;
	return ITXT(im, 0, 1, _pad) + 3;
}

CASE(ipc_msg_qbytes_exceeded)	/* a byte less than the two messages */
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].qbytes = 13 + 8 - 1;
	build(im);
	return ITXT(im, 0, 1, size);
}

CASE(ipc_msg_qbytes_0)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].qbytes = 0;
	build(im);
	return ITXT(im, 0, 0, size);
}

CASE(ipc_msg_mtype_before_size)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].texts[0].mtype = -1;
	build(im);
	put32(im, ITXT(im, 0, 0, size), 12);
	return ITXT(im, 0, 0, mtype);
}

CASE(ipc_msg_text_size_before_pad)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, ITXT(im, 0, 1, size), 7);
	im->buf[ITXT(im, 0, 1, _pad)] = 1;
	return LEN(im->ipc_text_off[0][1]);
}

CASE(ipc_msg_text_pad_before_qbytes)
{
	sysv_ipc_objects(im);
	im->ipc_msgs[0].qbytes = 13;
	build(im);
	im->buf[ITXT(im, 0, 1, _pad)] = 1;
	return ITXT(im, 0, 1, _pad);
}

CASE(ipc_msg_text_cut)
{
	sysv_ipc_objects(im);
	build(im);
	im->len = im->ipc_text_off[0][1] + 20;
	return im->len;
}

CASE(ipc_msg_text_error)	/* the checkpoint failed while it wrote the messages */
{
	sysv_ipc_objects(im);
	build(im);
	im->len = im->ipc_text_off[0][1];
	im->error_off = emit_error(im, ENOMEM, "out of memory");
	return im->error_off;
}

/* A semaphore set */
CASE(ipc_sem_len_below_min)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, LEN(im->ipc_sem_off[0]), sizeof(struct ckpt_hdr_ipc_sem) - 8);
	return LEN(im->ipc_sem_off[0]);
}

CASE(ipc_sem_len_above_max)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, LEN(im->ipc_sem_off[0]),
	      sizeof(struct ckpt_hdr_ipc_sem) + (CKPT_IPC_SEMS_MAX + 1) * sizeof(uint16_t));
	return LEN(im->ipc_sem_off[0]);
}

CASE(ipc_sem_objref)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, ISEM(im, 0, h.objref), 0);
	return ISEM(im, 0, h.objref);
}

CASE(ipc_sem_nsems_0)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, ISEM(im, 0, nsems), 0);
	return ISEM(im, 0, nsems);
}

CASE(ipc_sem_nsems_above_max)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, ISEM(im, 0, nsems), CKPT_IPC_SEMS_MAX + 1);
	return ISEM(im, 0, nsems);
}

CASE(ipc_sem_len)	/* 3 values for 2 semaphores */
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, ISEM(im, 0, nsems), 2);
	return LEN(im->ipc_sem_off[0]);
}

CASE(ipc_sem_value)	/* SEMVMX + 1 */
{
	sysv_ipc_objects(im);
	im->ipc_sems[0].vals[1] = IPC_SEMVMX + 1;
	build(im);
	return ISEMV(im, 0, 1);
}

CASE(ipc_sem_value_ffff)
{
	sysv_ipc_objects(im);
	im->ipc_sems[0].vals[2] = 0xffff;
	build(im);
	return ISEMV(im, 0, 2);
}

CASE(ipc_sem_pad)
{
	sysv_ipc_objects(im);
	build(im);
	im->buf[ISEM(im, 0, _pad) + 1] = 1;
	return ISEM(im, 0, _pad) + 1;
}

CASE(ipc_sem_nsems_before_len)
{
	sysv_ipc_objects(im);
	build(im);
	put32(im, ISEM(im, 0, nsems), 0);
	put32(im, LEN(im->ipc_sem_off[0]), sizeof(struct ckpt_hdr_ipc_sem) + 8);
	return ISEM(im, 0, nsems);
}

CASE(ipc_sem_len_before_values)
{
	sysv_ipc_objects(im);
	im->ipc_sems[0].vals[0] = 40000;
	build(im);
	put32(im, ISEM(im, 0, nsems), 4);
	return LEN(im->ipc_sem_off[0]);
}

CASE(ipc_sem_value_before_pad)
{
	sysv_ipc_objects(im);
	im->ipc_sems[0].vals[2] = IPC_SEMVMX + 2;
	build(im);
	im->buf[ISEM(im, 0, _pad)] = 1;
	return ISEMV(im, 0, 2);
}

/* Attachments: restore_check_vma() of a CKPT_VMA_SYSVSHM mapping */
CASE(vma_sysvshm_exec)	/* SHM_EXEC */
{
	sysv_ipc(im);
	im->mms[0].vmas[3].flags = SHM_RW | CKPT_VMA_EXEC;
	build(im);
	return 0;
}

CASE(vma_sysvshm_locked)	/* shmat(2) cannot remake an mlock()ed one */
{
	sysv_ipc(im);
	im->mms[1].vmas[2].flags = SHM_RO | CKPT_VMA_LOCKED;
	build(im);
	return VMA(im, 1, 2, flags);
}

CASE(vma_sysvshm_no_payload)
{
	sysv_ipc(im);
	build(im);
	put32(im, VMA(im, 0, 3, path_len), 0);
	put32(im, LEN(im->vma_off[0][3]), sizeof(struct ckpt_hdr_vma));
	return VMA(im, 0, 3, path_len);
}

CASE(vma_sysvshm_private)
{
	sysv_ipc(im);
	im->mms[0].vmas[3].flags = SHM_RW & ~CKPT_VMA_SHARED;
	build(im);
	return VMA(im, 0, 3, flags);
}

CASE(vma_sysvshm_pgoff)		/* shmat(2) maps a segment from its start */
{
	sysv_ipc(im);
	im->mms[1].vmas[2].pgoff = 1;
	build(im);
	return VMA(im, 1, 2, pgoff);
}

CASE(vma_sysvshm_pgoff_beyond_files)
{
	sysv_ipc(im);
	im->mms[1].vmas[2].pgoff = CKPT_VMA_PGOFF_MAX;
	build(im);
	return VMA(im, 1, 2, pgoff);
}

CASE(vma_sysvshm_ino)
{
	sysv_ipc(im);
	build(im);
	put64(im, VMA(im, 0, 3, ino), 32768);
	return VMA(im, 0, 3, ino);
}

CASE(vma_sysvshm_dev)
{
	sysv_ipc(im);
	build(im);
	put64(im, VMA(im, 1, 2, dev), 1);
	return VMA(im, 1, 2, dev);
}

CASE(vma_sysvshm_size)
{
	sysv_ipc(im);
	build(im);
	put64(im, VMA(im, 0, 3, size), 3 * PAGE - 100);
	return VMA(im, 0, 3, size);
}

CASE(vma_sysvshm_mtime)
{
	sysv_ipc(im);
	build(im);
	put64(im, VMA(im, 0, 3, mtime_sec), 1700000000);
	return VMA(im, 0, 3, mtime_sec);
}

CASE(vma_sysvshm_mtime_nsec)
{
	sysv_ipc(im);
	build(im);
	put32(im, VMA(im, 1, 2, mtime_nsec), 1);
	return VMA(im, 1, 2, mtime_nsec);
}

CASE(vma_sysvshm_no_read)
{
	sysv_ipc(im);
	im->mms[0].vmas[3].flags = SHM_RW & ~CKPT_VMA_READ;
	build(im);
	return VMA(im, 0, 3, flags);
}

CASE(vma_sysvshm_no_mayread)
{
	sysv_ipc(im);
	im->mms[1].vmas[2].flags = SHM_RO & ~CKPT_VMA_MAYREAD;
	build(im);
	return VMA(im, 1, 2, flags);
}

CASE(vma_sysvshm_mprotect)	/* attached read-write, made read-only */
{
	sysv_ipc(im);
	im->mms[0].vmas[3].flags = SHM_RW & ~CKPT_VMA_WRITE;
	build(im);
	return VMA(im, 0, 3, flags);
}

CASE(vma_sysvshm_write_no_maywrite)
{
	sysv_ipc(im);
	im->mms[1].vmas[2].flags = SHM_RO | CKPT_VMA_WRITE;
	build(im);
	return VMA(im, 1, 2, flags);
}

CASE(vma_sysvshm_growsdown)
{
	sysv_ipc(im);
	im->mms[0].vmas[3].flags = SHM_RW | CKPT_VMA_GROWSDOWN;
	build(im);
	return VMA(im, 0, 3, flags);
}

CASE(vma_sysvshm_ref_0)
{
	sysv_ipc(im);
	build(im);
	put32(im, VSHM(im, 0, 3, shmem_ref), 0);
	return VSHM(im, 0, 3, shmem_ref);
}

CASE(vma_sysvshm_ref_msg)	/* a message queue, not a segment */
{
	sysv_ipc(im);
	build(im);
	put32(im, VSHM(im, 1, 2, shmem_ref), im->ipc_msg_ref[0]);
	return VSHM(im, 1, 2, shmem_ref);
}

CASE(vma_sysvshm_ref_sem)
{
	sysv_ipc(im);
	build(im);
	put32(im, VSHM(im, 0, 3, shmem_ref), im->ipc_sem_ref[0]);
	return VSHM(im, 0, 3, shmem_ref);
}

CASE(vma_sysvshm_ref_shmem)	/* shared anonymous memory, not a segment */
{
	int v;

	shared_memory(im);
	sysv_ipc(im);
	build(im);
	v = sysv_vma(im, 0);
	put32(im, VSHM(im, 0, v, shmem_ref), im->shm_ref[0]);
	return VSHM(im, 0, v, shmem_ref);
}

CASE(vma_shmem_ref_sysv)	/* a segment, not shared anonymous memory */
{
	shared_memory(im);
	sysv_ipc(im);
	build(im);
	put32(im, VSHM(im, 2, 1, shmem_ref), im->ipc_shm_ref[0]);
	return VSHM(im, 2, 1, shmem_ref);
}

CASE(vma_memfd_ref_sysv)	/* a segment, not a memfd */
{
	sysv_ipc_objects(im);
	memfds(im);
	build(im);
	put32(im, VSHM(im, 1, 3, shmem_ref), im->ipc_shm_ref[0]);
	return VSHM(im, 1, 3, shmem_ref);
}

CASE(vma_sysvshm_size_short)	/* two pages of three */
{
	sysv_ipc(im);
	im->mms[0].vmas[3].end -= PAGE;
	build(im);
	return VMA(im, 0, 3, end);
}

CASE(vma_sysvshm_size_long)	/* a page past the segment */
{
	sysv_ipc(im);
	im->mms[1].vmas[2].end += PAGE;
	build(im);
	return VMA(im, 1, 2, end);
}

CASE(vma_sysvshm_pad)
{
	sysv_ipc(im);
	build(im);
	im->buf[VSHM(im, 1, 2, _pad) + 1] = 1;
	return VSHM(im, 1, 2, _pad) + 1;
}

CASE(vma_sysvshm_pages)	/* its pages follow its segment, not the mapping */
{
	sysv_ipc(im);
	im->mms[0].vmas[3].nr_runs = 1;
	im->mms[0].vmas[3].runs[0] = (struct mrun){ 0x7f0012701000ULL, 1 };
	build(im);
	return im->pages_off[0][3][0];
}

CASE(vma_sysvshm_fields_before_flags)
{
	sysv_ipc(im);
	im->mms[0].vmas[3].flags = SHM_RW & ~CKPT_VMA_READ;
	build(im);
	put64(im, VMA(im, 0, 3, dev), 5);
	return VMA(im, 0, 3, dev);
}

CASE(vma_sysvshm_flags_before_ref)
{
	sysv_ipc(im);
	im->mms[1].vmas[2].flags = SHM_RO | CKPT_VMA_GROWSDOWN;
	build(im);
	put32(im, VSHM(im, 1, 2, shmem_ref), 0);
	return VMA(im, 1, 2, flags);
}

CASE(vma_sysvshm_ref_before_size)
{
	sysv_ipc(im);
	im->mms[0].vmas[3].end += PAGE;
	build(im);
	put32(im, VSHM(im, 0, 3, shmem_ref), im->ipc_msg_ref[0]);
	return VSHM(im, 0, 3, shmem_ref);
}

CASE(vma_sysvshm_size_before_pad)
{
	sysv_ipc(im);
	im->mms[0].vmas[3].end -= 2 * PAGE;
	build(im);
	im->buf[VSHM(im, 0, 3, _pad)] = 1;
	return VMA(im, 0, 3, end);
}

CASE(vma_sysvshm_ref_later)	/* the segments come after the root's objects */
{
	sysv_ipc(im);
	im->ipc_after_objects = true;
	build(im);
	put32(im, VSHM(im, 0, 3, shmem_ref), im->ipc_shm_ref[0]);
	return VSHM(im, 0, 3, shmem_ref);
}

/* ---- SysV semaphore undo lists ---- */

/*
 * The undo list of a process: an object right before the task record of
 * its leader, followed by a CKPT_HDR_IPC_SEM_ADJ record a set of the
 * image it has adjustments for, in increasing id order, each with as
 * many adjustments as the set has semaphores.
 */
#define IUNDO(im, u, fld)	AT((im)->undo_off[u], ckpt_hdr_ipc_sem_undo, fld)
#define IADJ(im, u, n, fld)	AT((im)->adj_off[u][n], ckpt_hdr_ipc_sem_adj, fld)
#define ADJ_LEN(nsems)	(sizeof(struct ckpt_hdr_ipc_sem_adj) + (nsems) * sizeof(int16_t))

/*
 * The undo lists of sh, which raised semaphore 1 of set 1 with SEM_UNDO
 * (its adjustment -1), and of cat, whose operations on semaphore 0 undid
 * each other (its adjustments all 0, yet written)
 *
 *   records: ..., task_attrs, ipc_sem_undo, ipc_sem_adj, task 0 (sh),
 *	      ..., ipc_sem_undo, ipc_sem_adj, task 3 (cat), ...
 */
static void sysv_undo_lists(struct img *im)
{
	static const int16_t sh[] = { 0, -1, 0 }, cat[] = { 0, 0, 0 };

	im->nr_undos = 2;
	im->undos[0] = (struct mundo){ 0, false, 1, 1, { { 1, 3, sh } } };
	im->undos[1] = (struct mundo){ 3, false, 1, 1, { { 1, 3, cat } } };
}

/* ... of the tasks of sysv_ipc_objects(), the segment unmapped */
static void sysv_undo_objects(struct img *im)
{
	sysv_ipc_objects(im);
	sysv_undo_lists(im);
}

/* sh's undo list for the three sets of sysv_ipc_ids(): 1, 2 and 98306 */
static void sysv_undo_ids(struct img *im)
{
	static const int16_t a[] = { 1, 2, 3 }, b[] = { -32768, 32767, -1 };

	sysv_ipc_ids(im);
	im->nr_undos = 1;
	im->undos[0] = (struct mundo){ 0, false, 3, 3,
				       { { 1, 3, a }, { 2, 3, b }, { 98306, 3, a } } };
}

CASE(sysv_undo)
{
	sysv_ipc(im);
	sysv_undo_lists(im);
	build(im);
	return 0;
}

CASE(sysv_undo_sets)	/* three sets, the extreme adjustments */
{
	sysv_undo_ids(im);
	build(im);
	return 0;
}

CASE(sysv_undo_some_sets)	/* sudo's, for two sets of three */
{
	sysv_undo_ids(im);
	im->undos[0].task = 2;
	im->undos[0].nr_sets = 2;
	im->undos[0].nr_adjs = 2;
	im->undos[0].adjs[0] = im->undos[0].adjs[2];
	im->undos[0].adjs[0].semid = 2;
	im->undos[0].adjs[1].semid = 98306;
	build(im);
	return 0;
}

CASE(sysv_undo_limits)	/* a set as large as may be, every adjustment from 32767 on */
{
	sysv_ipc_objects(im);
	im->ipc_sems[0].nsems = CKPT_IPC_SEMS_MAX;
	im->nr_undos = 1;
	im->undos[0] = (struct mundo){ 3, false, 1, 1, { { 1, CKPT_IPC_SEMS_MAX, NULL } } };
	build(im);
	return 0;
}

CASE(sysv_undo_single_task)	/* of sh alone, with its thread */
{
	sysv_ipc(im);
	sysv_undo_lists(im);
	im->flags = CHECKPOINT_SCOPE_TASK;
	im->nr_tasks = 2;
	im->nr_undos = 1;
	build(im);
	return 0;
}

/* Where it is */
CASE(ipc_undo_thread)	/* before the record of sh's thread */
{
	sysv_undo_objects(im);
	im->undos[0].task = 1;
	build(im);
	return im->undo_off[0];
}

CASE(ipc_undo_thread_of_cat)
{
	sysv_undo_objects(im);
	im->undos[1].task = 4;
	build(im);
	return im->undo_off[1];
}

CASE(ipc_undo_twice)	/* two before sh's record */
{
	sysv_undo_objects(im);
	im->undos[1].task = 0;
	build(im);
	return im->undo_off[1];
}

CASE(ipc_undo_before_tail)
{
	sysv_undo_objects(im);
	im->undos[1].task = im->nr_tasks;
	build(im);
	return im->undo_off[1];
}

CASE(ipc_undo_before_sets)	/* before the sets of the image */
{
	sysv_undo_objects(im);
	im->undos[0].first = true;
	build(im);
	return IADJ(im, 0, 0, semid);
}

CASE(ipc_undo_no_ipc)	/* an image without an IPC namespace */
{
	sysv_undo_lists(im);
	build(im);
	return IADJ(im, 0, 0, semid);
}

CASE(ipc_undo_thread_before_nr_sets)
{
	sysv_undo_objects(im);
	im->undos[0].task = 1;
	im->undos[0].nr_sets = 0;
	build(im);
	return im->undo_off[0];
}

CASE(ipc_undo_nr_sets_before_twice)	/* its fields first, then whether it is a second */
{
	sysv_undo_objects(im);
	im->undos[1].task = 0;
	im->undos[1].nr_sets = 0;
	build(im);
	return IUNDO(im, 1, nr_sets);
}

CASE(ipc_undo_pad_before_twice)
{
	sysv_undo_objects(im);
	im->undos[1].task = 0;
	build(im);
	im->buf[IUNDO(im, 1, _pad) + 1] = 1;
	return IUNDO(im, 1, _pad) + 1;
}

CASE(ipc_undo_twice_before_adj)
{
	sysv_undo_objects(im);
	im->undos[1].task = 0;
	im->undos[1].adjs[0].semid = 2;
	build(im);
	return im->undo_off[1];
}

CASE(ipc_undo_thread_before_objref)	/* the objref is checked first, as for any object */
{
	sysv_undo_objects(im);
	im->undos[0].task = 1;
	build(im);
	put32(im, IUNDO(im, 0, h.objref), 1);
	return IUNDO(im, 0, h.objref);
}

/* The undo list */
CASE(ipc_undo_len_below_min)
{
	sysv_undo_objects(im);
	build(im);
	put32(im, LEN(im->undo_off[0]), sizeof(struct ckpt_hdr_ipc_sem_undo) - 8);
	return LEN(im->undo_off[0]);
}

CASE(ipc_undo_len_above_max)
{
	sysv_undo_objects(im);
	build(im);
	put32(im, LEN(im->undo_off[1]), sizeof(struct ckpt_hdr_ipc_sem_undo) + 8);
	return LEN(im->undo_off[1]);
}

CASE(ipc_undo_objref)
{
	sysv_undo_objects(im);
	build(im);
	put32(im, IUNDO(im, 0, h.objref), 1);
	return IUNDO(im, 0, h.objref);
}

CASE(ipc_undo_objref_pad)
{
	sysv_undo_objects(im);
	build(im);
	im->buf[IUNDO(im, 1, h._pad) + 1] = 1;
	return IUNDO(im, 1, h._pad) + 1;
}

CASE(ipc_undo_nr_sets_0)
{
	sysv_undo_objects(im);
	im->undos[0].nr_sets = 0;
	im->undos[0].nr_adjs = 0;
	build(im);
	return IUNDO(im, 0, nr_sets);
}

CASE(ipc_undo_nr_sets_above_max)
{
	sysv_undo_objects(im);
	im->undos[1].nr_sets = CKPT_IPC_UNDO_SETS_MAX + 1;
	build(im);
	return IUNDO(im, 1, nr_sets);
}

CASE(ipc_undo_nr_sets_high)
{
	sysv_undo_objects(im);
	im->undos[0].nr_sets = 0x80000001;
	build(im);
	return IUNDO(im, 0, nr_sets);
}

CASE(ipc_undo_nr_sets_max)	/* taken, but the task record comes after the first set */
{
	sysv_undo_objects(im);
	im->undos[0].nr_sets = CKPT_IPC_UNDO_SETS_MAX;
	build(im);
	return im->task_off[0];
}

CASE(ipc_undo_pad)
{
	sysv_undo_objects(im);
	build(im);
	im->buf[IUNDO(im, 0, _pad) + 2] = 1;
	return IUNDO(im, 0, _pad) + 2;
}

CASE(ipc_undo_nr_sets_before_pad)
{
	sysv_undo_objects(im);
	im->undos[1].nr_sets = 0;
	build(im);
	im->buf[IUNDO(im, 1, _pad)] = 1;
	return IUNDO(im, 1, nr_sets);
}

CASE(ipc_undo_pad_before_adj)
{
	sysv_undo_objects(im);
	im->undos[0].adjs[0].semid = 7;
	build(im);
	im->buf[IUNDO(im, 0, _pad) + 3] = 0x80;
	return IUNDO(im, 0, _pad) + 3;
}

CASE(ipc_undo_truncated)	/* the image ends where its first set would start */
{
	sysv_undo_objects(im);
	build(im);
	im->len = im->adj_off[0][0];
	return im->len;
}

/* Its sets */
CASE(ipc_undo_adj_missing)	/* two sets said, one written */
{
	sysv_undo_objects(im);
	im->undos[1].nr_sets = 2;
	build(im);
	return im->task_off[3];
}

CASE(ipc_undo_adj_extra)	/* one set said, two written */
{
	sysv_undo_ids(im);
	im->undos[0].nr_sets = 1;
	build(im);
	return im->adj_off[0][1];
}

CASE(ipc_undo_adj_alone)	/* a set without its undo list */
{
	sysv_undo_objects(im);
	build(im);
	put32(im, AT(im->undo_off[0], ckpt_hdr, type), CKPT_HDR_IPC_SEM_ADJ);
	return im->undo_off[0];
}

CASE(ipc_undo_adj_retyped)	/* a message where a set is expected */
{
	sysv_undo_objects(im);
	build(im);
	put32(im, AT(im->adj_off[1][0], ckpt_hdr, type), CKPT_HDR_IPC_MSG_TEXT);
	return im->adj_off[1][0];
}

CASE(ipc_undo_adj_len_below_min)
{
	sysv_undo_objects(im);
	build(im);
	put32(im, LEN(im->adj_off[0][0]), sizeof(struct ckpt_hdr_ipc_sem_adj) - 4);
	return LEN(im->adj_off[0][0]);
}

CASE(ipc_undo_adj_len_above_max)
{
	sysv_undo_objects(im);
	build(im);
	put32(im, LEN(im->adj_off[1][0]), ADJ_LEN(CKPT_IPC_SEMS_MAX + 1));
	return LEN(im->adj_off[1][0]);
}

CASE(ipc_undo_adj_len)	/* 3 adjustments for 2 semaphores */
{
	sysv_undo_objects(im);
	build(im);
	put32(im, IADJ(im, 0, 0, nsems), 2);
	return LEN(im->adj_off[0][0]);
}

CASE(ipc_undo_adj_len_short)	/* 3 adjustments for 4 semaphores */
{
	sysv_undo_objects(im);
	build(im);
	put32(im, IADJ(im, 1, 0, nsems), 4);
	return LEN(im->adj_off[1][0]);
}

CASE(ipc_undo_adj_nsems_above_max)
{
	sysv_undo_objects(im);
	build(im);
	put32(im, IADJ(im, 0, 0, nsems), CKPT_IPC_SEMS_MAX + 1);
	return LEN(im->adj_off[0][0]);
}

CASE(ipc_undo_adj_nsems_huge)	/* a length that would wrap in 32 bits */
{
	sysv_undo_objects(im);
	build(im);
	put32(im, IADJ(im, 0, 0, nsems), 0x80000000);
	return LEN(im->adj_off[0][0]);
}

CASE(ipc_undo_adj_semid_unknown)
{
	sysv_undo_objects(im);
	im->undos[0].adjs[0].semid = 5;
	build(im);
	return IADJ(im, 0, 0, semid);
}

CASE(ipc_undo_adj_semid_negative)
{
	sysv_undo_objects(im);
	im->undos[1].adjs[0].semid = -1;
	build(im);
	return IADJ(im, 1, 0, semid);
}

CASE(ipc_undo_adj_semid_shm)	/* the id of the segment */
{
	sysv_undo_objects(im);
	im->undos[0].adjs[0].semid = 0;
	build(im);
	return IADJ(im, 0, 0, semid);
}

CASE(ipc_undo_adj_semid_msg)	/* the id of the queue */
{
	sysv_undo_objects(im);
	im->undos[0].adjs[0].semid = 32768;
	build(im);
	return IADJ(im, 0, 0, semid);
}

CASE(ipc_undo_adj_semid_next_seq)	/* the index of set 1, another sequence */
{
	sysv_undo_objects(im);
	im->undos[1].adjs[0].semid = 1 + 32768;
	build(im);
	return IADJ(im, 1, 0, semid);
}

CASE(ipc_undo_adj_nsems_fewer)	/* for 2 semaphores of 3 */
{
	sysv_undo_objects(im);
	im->undos[0].adjs[0].nsems = 2;
	build(im);
	return IADJ(im, 0, 0, nsems);
}

CASE(ipc_undo_adj_nsems_more)
{
	sysv_undo_objects(im);
	im->undos[1].adjs[0] = (struct madj){ 1, 4, NULL };
	build(im);
	return IADJ(im, 1, 0, nsems);
}

CASE(ipc_undo_adj_nsems_0)
{
	sysv_undo_objects(im);
	im->undos[0].adjs[0].nsems = 0;
	build(im);
	return IADJ(im, 0, 0, nsems);
}

CASE(ipc_undo_adj_order)
{
	sysv_undo_ids(im);
	im->undos[0].adjs[0].semid = 2;
	im->undos[0].adjs[1].semid = 1;
	build(im);
	return IADJ(im, 0, 1, semid);
}

CASE(ipc_undo_adj_twice)
{
	sysv_undo_ids(im);
	im->undos[0].adjs[1].semid = 1;
	build(im);
	return IADJ(im, 0, 1, semid);
}

CASE(ipc_undo_adj_order_last)
{
	sysv_undo_ids(im);
	im->undos[0].adjs[1].semid = 98306;
	im->undos[0].adjs[2].semid = 2;
	build(im);
	return IADJ(im, 0, 2, semid);
}

CASE(ipc_undo_adj_len_before_semid)
{
	sysv_undo_objects(im);
	im->undos[0].adjs[0].semid = 5;
	build(im);
	put32(im, IADJ(im, 0, 0, nsems), 1);
	return LEN(im->adj_off[0][0]);
}

CASE(ipc_undo_adj_semid_before_nsems)
{
	sysv_undo_objects(im);
	im->undos[0].adjs[0] = (struct madj){ 32768, 2, NULL };
	build(im);
	return IADJ(im, 0, 0, semid);
}

CASE(ipc_undo_adj_nsems_before_order)
{
	sysv_undo_ids(im);
	im->undos[0].adjs[1] = (struct madj){ 1, 2, NULL };
	build(im);
	return IADJ(im, 0, 1, nsems);
}

CASE(ipc_undo_adj_cut)
{
	sysv_undo_objects(im);
	build(im);
	im->len = im->adj_off[1][0] + 20;
	return im->len;
}

CASE(ipc_undo_adj_error)	/* the checkpoint failed while it wrote the sets */
{
	sysv_undo_ids(im);
	build(im);
	im->len = im->adj_off[0][1];
	im->error_off = emit_error(im, ENOMEM, "out of memory");
	return im->error_off;
}

/* ---- POSIX message queues ---- */

/*
 * POSIX message queues: objects of the IPC namespace of the image, after
 * its SysV objects: the limits of the namespace (the fs.mqueue sysctls),
 * then each queue, in name order, with a record a message, highest
 * priority first.  A descriptor of a queue is a CKPT_FILE_MQUEUE file
 * whose path is "/name" and whose mq_ref names the queue, or is 0 for a
 * queue of the namespace of the caller of checkpoint(2), reopened by name.
 */
#define MQNS(im, fld)		AT((im)->mq_ns_off, ckpt_hdr_ipc_mq_ns, fld)
#define MQ(im, k, fld)		AT((im)->mq_off[k], ckpt_hdr_ipc_mq, fld)
#define MQMSG(im, k, n, fld)	AT((im)->mq_msg_off[k][n], ckpt_hdr_ipc_mq_msg, fld)
#define MQ_DEV			DEV(0, 19)	/* the mqueue filesystem of the namespace */
#define MQ_INO			5000		/* + 1 + the index of the queue */
#define MQ_PRIO_MAX_		32768
#define O_DSYNC_		00010000
#define O_SYNC_			04010000
#define O_ACCMODE_		00000003
#define MQ_MSGSIZE_MAX_		(16 << 20)	/* HARD_MSGSIZEMAX */
#define MQ_MAXMSG_MAX_		65536		/* HARD_MSGMAX */

/*
 * The tasks in an IPC namespace of their own, without SysV objects, with
 * the limits of a new namespace and two queues: "jobs", of cat's user,
 * with two messages waiting, the first of a higher priority; and "log",
 * the shell's, empty.
 *
 *   records: header, tree, namespaces, ipc_mq_ns 1, ipc_mq 2 (ipc_mq_msg,
 *	      ipc_mq_msg), ipc_mq 3, mm 4, ...
 */
static void mq_objects(struct img *im)
{
	static const struct mmq jobs = {
		"jobs", 1001, 1001, 0660, 2, 10, 8192, 1700000400, 1700000300,
		1700000000, 500000000, 0, 0, 0, 0, 0, 2,
		{ { 5, 12, "build world\n" }, { 0, 4, "\x00\x01\xfe\xff" } },
	}, log = {
		"log", 1000, 1000, 0600, 0, 5, 1024, 1700000000, 1700000000,
		1700000000, 0, 0, 0, 0, 0, 0, 0, { { 0 } },
	};

	set_ns(im, CKPT_NS_IPC, NULL, NULL);
	im->mq_ns = true;
	im->mq_limits = (struct ckpt_hdr_ipc_mq_ns){
		.queues_max = 256, .msg_max = 10, .msgsize_max = 8192,
		.msg_default = 10, .msgsize_default = 8192,
	};
	im->nr_mqs = 2;
	im->mqs[0] = jobs;
	im->mqs[1] = log;
}

/*
 * A descriptor of the queue @path, at descriptor @fd of table @t, open
 * with @f_flags: of queue @q - 1 of the image, or of the caller's
 * namespace with @q 0.  Its index in img.files.
 */
static int add_mq_file(struct img *im, int t, int32_t fd, const char *path, int q,
		       uint32_t f_flags)
{
	int f = im->nr_files++;

	if (f >= MAX_FILES) {
		fprintf(stderr, "mkimage: too many files\n");
		exit(1);
	}
	im->files[f] = (struct mfile){ .kind = CKPT_FILE_MQUEUE, .f_flags = f_flags,
				       .mode = S_IFREG_ | 0660, .ino = MQ_INO + q,
				       .dev = MQ_DEV, .path = path };
	im->file_mq[f] = q;
	add_fd(im, t, fd, f);
	return f;
}

/*
 * ... the shell's descriptor of "jobs", non-blocking (file 11, fd 11),
 * and cat's of "log", write-only (file 12, fd 7)
 */
static void mqueues(struct img *im)
{
	mq_objects(im);
	add_mq_file(im, 0, 11, "/jobs", 1, O_RDWR_ | O_NONBLOCK_);
	add_mq_file(im, 2, 7, "/log", 2, O_WRONLY_);
}

/*
 * A descriptor of the queue @path of the caller's namespace, which
 * restart(2) reopens by name: read-only (file 11, fd 11)
 */
static int mq_file_by_name(struct img *im, const char *path)
{
	return add_mq_file(im, 0, 11, path, 0, O_RDONLY_);
}

CASE(mqueue)
{
	mqueues(im);
	build(im);
	return 0;
}

CASE(mqueue_after_sysv)	/* after the SysV objects of the namespace */
{
	sysv_ipc(im);
	mqueues(im);
	build(im);
	return 0;
}

CASE(mqueue_ns_only)	/* a namespace without queues */
{
	mq_objects(im);
	im->nr_mqs = 0;
	build(im);
	return 0;
}

CASE(mqueue_notify)	/* sh told of a message on "log" by SIGUSR1 */
{
	mqueues(im);
	im->mqs[1].notify_pid = 100;
	im->mqs[1].notify = SIGEV_SIGNAL_;
	im->mqs[1].signo = X86_SIGUSR1;
	im->mqs[1].value = 0x7f0012345678ULL;
	build(im);
	return 0;
}

/*
 * sudo registered for nothing (SIGEV_NONE) on "jobs", then ran
 * execve(2); cat is told of "log" by signal 0, none, which a
 * SIGEV_SIGNAL may have
 */
CASE(mqueue_notify_none_stale)
{
	mqueues(im);
	im->mqs[0].notify_pid = 102;
	im->mqs[0].notify = SIGEV_NONE_;
	im->mqs[0].notify_flags = CKPT_MQ_NOTIFY_STALE;
	im->mqs[1].notify_pid = 103;
	build(im);
	return 0;
}

CASE(mqueue_notify_sigrtmax)	/* signal 64, the last */
{
	mqueues(im);
	im->mqs[1].notify_pid = 100;
	im->mqs[1].signo = 64;
	build(im);
	return 0;
}

/*
 * The limits at their bounds; "jobs" of as many messages as a queue may
 * have, of one byte, the first of the highest priority, the second
 * empty; "log" with the longest name, one message of the largest size
 * a queue may have
 */
CASE(mqueue_limits)
{
	static char name[CKPT_MQ_NAME_LEN];

	mq_objects(im);
	im->mq_limits = (struct ckpt_hdr_ipc_mq_ns){
		.queues_max = INT_MAX_, .msg_max = MQ_MAXMSG_MAX_,
		.msgsize_max = MQ_MSGSIZE_MAX_, .msg_default = 1, .msgsize_default = 128,
	};
	memset(name, 'x', sizeof(name) - 1);
	im->mqs[0].maxmsg = MQ_MAXMSG_MAX_;
	im->mqs[0].msgsize = 1;
	im->mqs[0].msgs[0] = (struct mmq_msg){ MQ_PRIO_MAX_ - 1, 1, NULL };
	im->mqs[0].msgs[1] = (struct mmq_msg){ 0, 0, NULL };
	im->mqs[0].mode = 0777;
	im->mqs[1].name = name;
	im->mqs[1].maxmsg = 1;
	im->mqs[1].msgsize = MQ_MSGSIZE_MAX_;
	im->mqs[1].nr_msgs = 1;
	im->mqs[1].nr_texts = 1;
	im->mqs[1].msgs[0] = (struct mmq_msg){ 1, 1000, NULL };
	im->mqs[1].nsec = 999999999;
	build(im);
	return 0;
}

CASE(mqueue_names)	/* a space, dots, UTF-8: what mq_open(3) takes */
{
	mqueues(im);
	im->nr_mqs = 3;
	im->mqs[2] = im->mqs[1];
	im->mqs[0].name = " ";
	im->mqs[1].name = "...";
	im->mqs[2].name = "caf\xc3\xa9";
	im->files[11].path = "/ ";
	im->files[12].path = "/caf\xc3\xa9";
	im->file_mq[12] = 3;
	build(im);
	return 0;
}

/* S_ISUID, S_ISGID and S_ISVTX, which chmod(2) on the mqueue filesystem sets */
CASE(mqueue_mode_suid)
{
	mqueues(im);
	im->mqs[0].mode = 07777;
	build(im);
	return 0;
}

CASE(mqueue_file_by_name)	/* without a namespace: mq_ref 0 */
{
	mq_file_by_name(im, "/shared");
	build(im);
	return 0;
}

CASE(mqueue_file_flags)	/* every flag mq_open(3) passes on */
{
	mqueues(im);
	im->files[11].f_flags = O_RDWR_ | O_NONBLOCK_ | O_APPEND_ | O_DSYNC_ | O_SYNC_ |
				O_LARGEFILE_ | O_NOATIME_;
	build(im);
	return 0;
}

CASE(mqueue_file_name_max)	/* a path of "/" and 255 bytes */
{
	static char path[CKPT_MQ_NAME_LEN + 1];

	path[0] = '/';
	memset(path + 1, 'q', CKPT_MQ_NAME_LEN - 1);
	mq_file_by_name(im, path);
	build(im);
	return 0;
}

/* The limits */
CASE(mq_ns_queues_max)
{
	mq_objects(im);
	im->mq_limits.queues_max = INT_MAX_ + 1;
	build(im);
	return MQNS(im, queues_max);
}

CASE(mq_ns_msg_max_0)
{
	mq_objects(im);
	im->mq_limits.msg_max = 0;
	build(im);
	return MQNS(im, msg_max);
}

CASE(mq_ns_msg_max_above_max)
{
	mq_objects(im);
	im->mq_limits.msg_max = MQ_MAXMSG_MAX_ + 1;
	build(im);
	return MQNS(im, msg_max);
}

CASE(mq_ns_msgsize_max_below_min)
{
	mq_objects(im);
	im->mq_limits.msgsize_max = 127;
	build(im);
	return MQNS(im, msgsize_max);
}

CASE(mq_ns_msgsize_max_above_max)
{
	mq_objects(im);
	im->mq_limits.msgsize_max = MQ_MSGSIZE_MAX_ + 1;
	build(im);
	return MQNS(im, msgsize_max);
}

CASE(mq_ns_msg_default_0)
{
	mq_objects(im);
	im->mq_limits.msg_default = 0;
	build(im);
	return MQNS(im, msg_default);
}

CASE(mq_ns_msgsize_default_above_max)
{
	mq_objects(im);
	im->mq_limits.msgsize_default = 0xffffffff;
	build(im);
	return MQNS(im, msgsize_default);
}

CASE(mq_ns_pad)
{
	mq_objects(im);
	build(im);
	im->buf[MQNS(im, _pad) + 2] = 1;
	return MQNS(im, _pad) + 2;
}

CASE(mq_ns_limits_before_pad)
{
	mq_objects(im);
	im->mq_limits.msgsize_default = 0;
	build(im);
	im->buf[MQNS(im, _pad)] = 1;
	return MQNS(im, msgsize_default);
}

CASE(mq_ns_len_below_min)
{
	mq_objects(im);
	build(im);
	put32(im, LEN(im->mq_ns_off), sizeof(struct ckpt_hdr_ipc_mq_ns) - 8);
	return LEN(im->mq_ns_off);
}

CASE(mq_ns_len_above_max)
{
	mq_objects(im);
	build(im);
	put32(im, LEN(im->mq_ns_off), sizeof(struct ckpt_hdr_ipc_mq_ns) + 8);
	return LEN(im->mq_ns_off);
}

/* Where they are */
CASE(mq_ns_no_ns)	/* without a namespaces record */
{
	mq_objects(im);
	im->ns = false;
	build(im);
	return im->mq_ns_off;
}

CASE(mq_ns_uts)		/* after a UTS namespace alone */
{
	mq_objects(im);
	set_ns(im, CKPT_NS_UTS, "web-1", "(none)");
	build(im);
	return im->mq_ns_off;
}

CASE(mq_ns_after_objects)	/* after the objects of the root */
{
	mq_objects(im);
	im->ipc_after_objects = true;
	build(im);
	return im->mq_ns_off;
}

CASE(mq_ns_task_2)	/* among the objects of sudo */
{
	mq_objects(im);
	im->ipc_task = 2;
	build(im);
	return im->mq_ns_off;
}

CASE(mq_ns_place_before_limits)
{
	mq_objects(im);
	im->ns = false;
	im->mq_limits.msg_max = 0;
	build(im);
	return im->mq_ns_off;
}

CASE(mq_no_limits)	/* queues after the SysV objects, without the limits */
{
	sysv_ipc_objects(im);
	mq_objects(im);
	im->mq_ns = false;
	build(im);
	return im->mq_off[0];
}

CASE(mq_first)		/* ... or first of all */
{
	mq_objects(im);
	im->mq_ns = false;
	build(im);
	return im->mq_off[0];
}

CASE(mq_place_before_name)
{
	mq_objects(im);
	im->mq_ns = false;
	im->mqs[0].name = ".";
	build(im);
	return im->mq_off[0];
}

/* A queue */
CASE(mq_order)
{
	mq_objects(im);
	im->mqs[0].name = "log";
	im->mqs[1].name = "jobs";
	build(im);
	return MQ(im, 1, name);
}

CASE(mq_name_twice)
{
	mq_objects(im);
	im->mqs[1].name = "jobs";
	build(im);
	return MQ(im, 1, name);
}

CASE(mq_name_prefix)	/* "jobs" comes after "job" */
{
	mq_objects(im);
	im->mqs[1].name = "job";
	build(im);
	return MQ(im, 1, name);
}

CASE(mq_name_slash)
{
	mq_objects(im);
	im->mqs[0].name = "jo/bs";
	build(im);
	return MQ(im, 0, name) + 2;
}

CASE(mq_name_leading_slash)	/* saved without its '/' */
{
	mq_objects(im);
	im->mqs[0].name = "/jobs";
	build(im);
	return MQ(im, 0, name);
}

CASE(mq_name_dot)
{
	mq_objects(im);
	im->mqs[0].name = ".";
	build(im);
	return MQ(im, 0, name);
}

CASE(mq_name_dotdot)	/* checked before the order */
{
	mq_objects(im);
	im->mqs[1].name = "..";
	build(im);
	return MQ(im, 1, name);
}

CASE(mq_name_empty)
{
	mq_objects(im);
	im->mqs[0].name = "";
	build(im);
	return MQ(im, 0, name);
}

CASE(mq_name_tail)	/* zero after its NUL */
{
	mq_objects(im);
	build(im);
	im->buf[MQ(im, 0, name) + 10] = 'x';
	return MQ(im, 0, name) + 10;
}

CASE(mq_name_tail_before_order)
{
	mq_objects(im);
	im->mqs[1].name = "jobs";
	build(im);
	im->buf[MQ(im, 1, name) + CKPT_MQ_NAME_LEN - 1] = 1;
	return MQ(im, 1, name) + CKPT_MQ_NAME_LEN - 1;
}

CASE(mq_name_no_nul)
{
	mq_objects(im);
	build(im);
	memset(im->buf + MQ(im, 1, name), 'z', CKPT_MQ_NAME_LEN);
	return MQ(im, 1, name) + CKPT_MQ_NAME_LEN - 1;
}

CASE(mq_mode)
{
	mq_objects(im);
	im->mqs[0].mode = 010000;
	build(im);
	return MQ(im, 0, mode);
}

CASE(mq_uid)		/* an owner with no uid in the caller's user namespace */
{
	mq_objects(im);
	im->mqs[0].uid = -1;
	build(im);
	return MQ(im, 0, uid);
}

CASE(mq_gid)
{
	mq_objects(im);
	im->mqs[1].gid = -1;
	build(im);
	return MQ(im, 1, gid);
}

CASE(mq_mode_before_owner)
{
	mq_objects(im);
	im->mqs[0].mode = 0x80000000;
	im->mqs[0].uid = -1;
	build(im);
	return MQ(im, 0, mode);
}

CASE(mq_maxmsg_0)
{
	mq_objects(im);
	im->mqs[1].maxmsg = 0;
	build(im);
	return MQ(im, 1, maxmsg);
}

CASE(mq_maxmsg_negative)
{
	mq_objects(im);
	im->mqs[0].maxmsg = -1;
	build(im);
	return MQ(im, 0, maxmsg);
}

CASE(mq_maxmsg_above_max)
{
	mq_objects(im);
	im->mqs[0].maxmsg = MQ_MAXMSG_MAX_ + 1;
	build(im);
	return MQ(im, 0, maxmsg);
}

CASE(mq_msgsize_0)
{
	mq_objects(im);
	im->mqs[1].msgsize = 0;
	build(im);
	return MQ(im, 1, msgsize);
}

CASE(mq_msgsize_above_max)
{
	mq_objects(im);
	im->mqs[1].msgsize = MQ_MSGSIZE_MAX_ + 1;
	build(im);
	return MQ(im, 1, msgsize);
}

CASE(mq_nr_msgs_above_maxmsg)	/* two messages in a queue of one */
{
	mq_objects(im);
	im->mqs[0].maxmsg = 1;
	build(im);
	return MQ(im, 0, nr_msgs);
}

CASE(mq_maxmsg_before_nr_msgs)
{
	mq_objects(im);
	im->mqs[0].maxmsg = 0;
	im->mqs[0].msgsize = 0;
	build(im);
	return MQ(im, 0, maxmsg);
}

CASE(mq_atime_nsec)
{
	mq_objects(im);
	build(im);
	put32(im, MQ(im, 0, atime_nsec), 1000000000);
	return MQ(im, 0, atime_nsec);
}

CASE(mq_ctime_nsec)
{
	mq_objects(im);
	build(im);
	put32(im, MQ(im, 1, ctime_nsec), 0xffffffff);
	return MQ(im, 1, ctime_nsec);
}

CASE(mq_pad)
{
	mq_objects(im);
	build(im);
	im->buf[MQ(im, 0, _pad) + 1] = 1;
	return MQ(im, 0, _pad) + 1;
}

CASE(mq_notify_before_pad)
{
	mq_objects(im);
	im->mqs[0].notify_flags = 1;
	build(im);
	im->buf[MQ(im, 0, _pad)] = 1;
	return MQ(im, 0, notify_flags);
}

CASE(mq_len_below_min)
{
	mq_objects(im);
	build(im);
	put32(im, LEN(im->mq_off[0]), sizeof(struct ckpt_hdr_ipc_mq) - 8);
	return LEN(im->mq_off[0]);
}

CASE(mq_len_above_max)
{
	mq_objects(im);
	build(im);
	put32(im, LEN(im->mq_off[1]), sizeof(struct ckpt_hdr_ipc_mq) + 1);
	return LEN(im->mq_off[1]);
}

/* The process registered with mq_notify(3) */
CASE(mq_notify_no_pid)		/* a SIGEV_NONE, but nobody registered */
{
	mq_objects(im);
	im->mqs[1].notify = SIGEV_NONE_;
	build(im);
	return MQ(im, 1, notify);
}

CASE(mq_notify_signo_no_pid)
{
	mq_objects(im);
	im->mqs[1].signo = X86_SIGUSR1;
	build(im);
	return MQ(im, 1, notify_signo);
}

CASE(mq_notify_flags_no_pid)
{
	mq_objects(im);
	im->mqs[1].notify_flags = CKPT_MQ_NOTIFY_STALE;
	build(im);
	return MQ(im, 1, notify_flags);
}

CASE(mq_notify_value_no_pid)
{
	mq_objects(im);
	im->mqs[0].value = 0x100;
	build(im);
	return MQ(im, 0, notify_value) + 1;
}

CASE(mq_notify_thread)		/* SIGEV_THREAD: told through a netlink socket */
{
	mq_objects(im);
	im->mqs[1].notify_pid = 100;
	im->mqs[1].notify = SIGEV_THREAD_;
	build(im);
	return MQ(im, 1, notify);
}

CASE(mq_notify_thread_id)
{
	mq_objects(im);
	im->mqs[1].notify_pid = 100;
	im->mqs[1].notify = SIGEV_THREAD_ID_;
	build(im);
	return MQ(im, 1, notify);
}

CASE(mq_notify_none_signo)	/* a SIGEV_NONE sends no signal */
{
	mq_objects(im);
	im->mqs[1].notify_pid = 100;
	im->mqs[1].notify = SIGEV_NONE_;
	im->mqs[1].signo = X86_SIGUSR1;
	build(im);
	return MQ(im, 1, notify_signo);
}

CASE(mq_notify_none_value)	/* ... nor a value */
{
	mq_objects(im);
	im->mqs[1].notify_pid = 100;
	im->mqs[1].notify = SIGEV_NONE_;
	im->mqs[1].value = 0x7f0000000000ULL;
	build(im);
	return MQ(im, 1, notify_value) + 5;
}

CASE(mq_notify_signo_65)
{
	mq_objects(im);
	im->mqs[1].notify_pid = 100;
	im->mqs[1].signo = 65;
	build(im);
	return MQ(im, 1, notify_signo);
}

CASE(mq_notify_signo_negative)
{
	mq_objects(im);
	im->mqs[1].notify_pid = 100;
	im->mqs[1].signo = -1;
	build(im);
	return MQ(im, 1, notify_signo);
}

CASE(mq_notify_flags)
{
	mq_objects(im);
	im->mqs[1].notify_pid = 100;
	im->mqs[1].notify_flags = CKPT_MQ_NOTIFY_STALE << 1;
	build(im);
	return MQ(im, 1, notify_flags);
}

CASE(mq_notify_pid_absent)
{
	mq_objects(im);
	im->mqs[1].notify_pid = 999;
	build(im);
	return MQ(im, 1, notify_pid);
}

CASE(mq_notify_pid_thread)	/* the shell's second thread */
{
	mq_objects(im);
	im->mqs[1].notify_pid = 101;
	build(im);
	return MQ(im, 1, notify_pid);
}

CASE(mq_notify_pid_negative)
{
	mq_objects(im);
	im->mqs[0].notify_pid = -100;
	build(im);
	return MQ(im, 0, notify_pid);
}

CASE(mq_notify_pid_before_kind)
{
	mq_objects(im);
	im->mqs[1].notify_pid = 104;
	im->mqs[1].notify = SIGEV_THREAD_;
	build(im);
	return MQ(im, 1, notify_pid);
}

/* Its messages */
CASE(mq_msg_prio)
{
	mq_objects(im);
	im->mqs[0].msgs[1].prio = MQ_PRIO_MAX_;
	build(im);
	return MQMSG(im, 0, 1, prio);
}

CASE(mq_msg_prio_before_size)
{
	mq_objects(im);
	im->mqs[0].msgs[0].prio = ~0U;
	build(im);
	put32(im, MQMSG(im, 0, 0, size), ~0U);
	return MQMSG(im, 0, 0, prio);
}

CASE(mq_msg_size_above_msgsize)	/* 13 bytes in a queue of 12, in a record of 4 */
{
	mq_objects(im);
	im->mqs[0].msgsize = 12;
	build(im);
	put32(im, MQMSG(im, 0, 1, size), 13);
	return MQMSG(im, 0, 1, size);
}

CASE(mq_msg_len_above_msgsize)	/* a record of 12 bytes in a queue of 11 */
{
	mq_objects(im);
	im->mqs[0].msgsize = 11;
	build(im);
	return LEN(im->mq_msg_off[0][0]);
}

CASE(mq_msg_len_above_max)	/* of more than CKPT_MQ_MSG_MAX bytes */
{
	mq_objects(im);
	im->mqs[1].msgsize = 2 * CKPT_MQ_MSG_MAX;
	im->mqs[1].nr_msgs = 1;
	im->mqs[1].nr_texts = 1;
	im->mqs[1].msgs[0] = (struct mmq_msg){ 0, CKPT_MQ_MSG_MAX + 1, NULL };
	build(im);
	return LEN(im->mq_msg_off[1][0]);
}

CASE(mq_msg_len)		/* the record is a byte longer than its message */
{
	mq_objects(im);
	build(im);
	put32(im, MQMSG(im, 0, 0, size), 11);
	return LEN(im->mq_msg_off[0][0]);
}

CASE(mq_msg_len_below_min)
{
	mq_objects(im);
	build(im);
	put32(im, LEN(im->mq_msg_off[0][1]), 8);
	return LEN(im->mq_msg_off[0][1]);
}

CASE(mq_msg_missing)	/* nr_msgs 3, two messages: the next queue comes instead */
{
	mq_objects(im);
	im->mqs[0].nr_msgs = 3;
	build(im);
	return im->mq_off[1];
}

CASE(mq_msg_extra)	/* nr_msgs 1, two messages: the second is no object */
{
	mq_objects(im);
	im->mqs[0].nr_msgs = 1;
	build(im);
	return im->mq_msg_off[0][1];
}

CASE(mq_msg_cut)
{
	mq_objects(im);
	build(im);
	im->len = im->mq_msg_off[0][0] + 20;
	return im->len;
}

CASE(mq_msg_error)	/* the checkpoint failed while it wrote the messages */
{
	mq_objects(im);
	build(im);
	im->len = im->mq_msg_off[0][1];
	im->error_off = emit_error(im, ENOMEM, "out of memory");
	return im->error_off;
}

/* A descriptor of a queue */
CASE(mq_file_size)	/* the size of a queue is not saved */
{
	mqueues(im);
	build(im);
	put64(im, FREC(im, 11, size), 1);
	return FREC(im, 11, size);
}

CASE(mq_file_len)
{
	mqueues(im);
	build(im);
	put32(im, FREC(im, 11, path_len), 5);
	return LEN(im->file_off[11]);
}

CASE(mq_file_root)	/* "/": no name */
{
	mq_file_by_name(im, "/");
	build(im);
	return FREC(im, 11, path_len);
}

CASE(mq_file_path_len_above_max)	/* "/" and 256 bytes */
{
	static char path[CKPT_MQ_NAME_LEN + 2];

	path[0] = '/';
	memset(path + 1, 'q', CKPT_MQ_NAME_LEN);
	mq_file_by_name(im, path);
	build(im);
	return FREC(im, 11, path_len);
}

CASE(mq_file_relative)
{
	mq_file_by_name(im, "shared");
	build(im);
	return FPATH(im, 11);
}

CASE(mq_file_slash)
{
	mq_file_by_name(im, "/dev/shared");
	build(im);
	return FPATH(im, 11) + 4;
}

CASE(mq_file_dot)
{
	mq_file_by_name(im, "/.");
	build(im);
	return FPATH(im, 11) + 1;
}

CASE(mq_file_dotdot)
{
	mq_file_by_name(im, "/..");
	build(im);
	return FPATH(im, 11) + 1;
}

CASE(mq_file_name_empty)	/* "/", then a NUL and a byte */
{
	mq_file_by_name(im, "/x");
	build(im);
	im->buf[FPATH(im, 11) + 1] = '\0';
	return FPATH(im, 11) + 1;
}

CASE(mq_file_no_nul)
{
	mqueues(im);
	build(im);
	im->buf[FPATH(im, 11) + 5] = 'x';
	return FPATH(im, 11) + 5;
}

CASE(mq_file_path_nul_early)	/* "/jobs", a NUL, then a byte */
{
	mqueues(im);
	im->files[11].path = "/jobs-x";
	build(im);
	im->buf[FPATH(im, 11) + 5] = '\0';
	return FPATH(im, 11) + 5;
}

CASE(mq_file_name_before_flags)
{
	mq_file_by_name(im, "/.");
	im->files[11].f_flags = O_DIRECTORY_;
	build(im);
	return FPATH(im, 11) + 1;
}

CASE(mq_file_directory)
{
	mqueues(im);
	im->files[11].f_flags |= O_DIRECTORY_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(mq_file_async)	/* who gets its SIGIO is not saved */
{
	mqueues(im);
	im->files[12].f_flags |= FASYNC_;
	build(im);
	return FREC(im, 12, f_flags);
}

CASE(mq_file_accmode_3)
{
	mqueues(im);
	im->files[11].f_flags = O_ACCMODE_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(mq_file_flags_before_mode)
{
	mqueues(im);
	im->files[11].f_flags = O_ACCMODE_;
	im->files[11].mode = S_IFCHR_ | 0660;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(mq_file_pos)
{
	mqueues(im);
	im->files[11].pos = -1;
	build(im);
	return FREC(im, 11, pos);
}

CASE(mq_file_mode)
{
	mqueues(im);
	im->files[12].mode = S_IFCHR_ | 0620;
	build(im);
	return FREC(im, 12, mode);
}

CASE(mq_file_rdev)
{
	mqueues(im);
	im->files[11].rdev = DEV(1, 3);
	build(im);
	return FREC(im, 11, rdev);
}

/* A queue reopened by name, in an image whose tasks have their own namespace */
CASE(mq_file_by_name_in_ns)
{
	mqueues(im);
	add_mq_file(im, 1, 8, "/jobs", 0, O_RDWR_);
	build(im);
	return FREC(im, 13, mq_ref);
}

CASE(mq_file_by_name_in_ns_no_queues)	/* ... which has no queue */
{
	set_ns(im, CKPT_NS_IPC, NULL, NULL);
	mq_file_by_name(im, "/shared");
	build(im);
	return FREC(im, 11, mq_ref);
}

CASE(mq_file_mode_before_ns)
{
	mqueues(im);
	im->files[add_mq_file(im, 1, 8, "/jobs", 0, O_RDWR_)].mode = 0;
	build(im);
	return FREC(im, 13, mode);
}

CASE(mq_file_ref_mm)	/* not a queue */
{
	mqueues(im);
	build(im);
	put32(im, FREC(im, 11, mq_ref), im->mm_ref[0]);
	return FREC(im, 11, mq_ref);
}

CASE(mq_file_ref_limits)	/* ... nor the limits */
{
	mqueues(im);
	build(im);
	put32(im, FREC(im, 11, mq_ref), 1);
	return FREC(im, 11, mq_ref);
}

CASE(mq_file_ref_later)	/* its own objref */
{
	mqueues(im);
	build(im);
	put32(im, FREC(im, 12, mq_ref), im->file_ref[12]);
	return FREC(im, 12, mq_ref);
}

CASE(mq_file_ref_no_ns)	/* a queue of the image, which has none */
{
	mq_file_by_name(im, "/shared");
	build(im);
	put32(im, FREC(im, 11, mq_ref), 2);
	return FREC(im, 11, mq_ref);
}

CASE(mq_file_name_mismatch)	/* "/log" naming "jobs" */
{
	mqueues(im);
	im->files[11].path = "/log";
	build(im);
	return FPATH(im, 11) + 1;
}

CASE(mq_file_name_prefix)	/* "/job" naming "jobs" */
{
	mqueues(im);
	im->files[11].path = "/job";
	build(im);
	return FPATH(im, 11) + 1;
}

/* ---- inotify ---- */

/*
 * inotify instances: files of the anonymous inode (anon_inodefs, 0:15),
 * O_RDONLY as inotify_init1(2) makes them, whose struct ckpt_inotify
 * follows their record (with fs.inotify.max_queued_events as it was when
 * they were made, 16384 by default); then, as ckpt_write_inotify() writes
 * them, the events queued on them, in the order read(2) returns them,
 * each with its name, and their watches by increasing wd, each with the
 * path (from the checkpointer's root), inode number, device and type of
 * the inode it watches; then their locks.  restart(2) reads the events
 * and watches even when it only validates; it looks the paths up only
 * when it restores, so the inodes here need not exist where the images
 * are checked.
 */
#define INF(im, f, fld)		AT(FPATH(im, f), ckpt_inotify, fld)
#define INW(im, n, w, fld)	AT((im)->watch_off[n][w], ckpt_hdr_inotify_watch, fld)
#define INW_PATH(im, n, w)	((im)->watch_off[n][w] + sizeof(struct ckpt_hdr_inotify_watch))
#define INE(im, n, e, fld)	AT((im)->ievent_off[n][e], ckpt_hdr_inotify_event, fld)
#define INE_NAME(im, n, e)	((im)->ievent_off[n][e] + sizeof(struct ckpt_hdr_inotify_event))
#define IN_MODIFY_	0x00000002U
#define IN_ATTRIB_	0x00000004U
#define IN_CLOSE_WRITE_	0x00000008U
#define IN_MOVED_FROM_	0x00000040U
#define IN_MOVED_TO_	0x00000080U
#define IN_CREATE_	0x00000100U
#define IN_DELETE_	0x00000200U
#define IN_DELETE_SELF_	0x00000400U
#define IN_MOVE_SELF_	0x00000800U
#define IN_ALL_EVENTS_	0x00000fffU
#define IN_UNMOUNT_	0x00002000U
#define IN_Q_OVERFLOW_	0x00004000U
#define IN_IGNORED_	0x00008000U
#define IN_DONT_FOLLOW_	0x02000000U
#define IN_EXCL_UNLINK_	0x04000000U
#define IN_ISDIR_	0x40000000U
#define IN_ONESHOT_	0x80000000U
#define S_IFLNK_	0120000
#define NAME_MAX_	255
#define HOME_INO	1835010		/* /home/user, on 8:1 */
#define HISTORY_INO	1835021		/* /home/user/.sh_history */
#define SUDOERS_D_INO	262150		/* /etc/sudoers.d */

/* An inotify with no watch and no event, at descriptor @fd of table @t: its index in img.files */
static int add_inotify(struct img *im, int t, int32_t fd)
{
	int k = im->nr_inotifys++, f;

	if (k >= MAX_INOTIFYS) {
		fprintf(stderr, "mkimage: too many inotifys\n");
		exit(1);
	}
	f = add_anon(im, t, fd, CKPT_FILE_INOTIFY);
	im->files[f].f_flags = O_RDONLY_;
	im->inotifys[k].next_wd = 1;
	im->inotifys[k].max_events = 16384;
	im->file_inotify[f] = k + 1;
	return f;
}

/*
 * Make inotify @f watch the inode @ino of device @dev, of type @mode, at
 * @path, with descriptor @wd: the next one inotify_add_watch(2) gives is
 * then above it
 */
static void add_watch(struct img *im, int f, int32_t wd, uint32_t mask, const char *path,
		      uint64_t ino, uint64_t dev, uint32_t mode)
{
	struct minotify *in = &im->inotifys[im->file_inotify[f] - 1];

	if (in->nr_watches >= MAX_WATCHES) {
		fprintf(stderr, "mkimage: too many watches\n");
		exit(1);
	}
	in->watches[in->nr_watches++] = (struct mwatch){ wd, mask, ino, dev, mode, path };
	if (wd >= in->next_wd && wd < INT32_MAX)
		in->next_wd = wd + 1;
}

/* Queue an event on inotify @f */
static void add_ievent(struct img *im, int f, int32_t wd, uint32_t mask, uint32_t cookie,
		       const char *name)
{
	struct minotify *in = &im->inotifys[im->file_inotify[f] - 1];

	if (in->nr_events >= MAX_IEVENTS) {
		fprintf(stderr, "mkimage: too many inotify events\n");
		exit(1);
	}
	in->events[in->nr_events++] = (struct mievent){ wd, mask, cookie, name };
}

/*
 * The shell's inotify (file 11, fd 11), as a job watching files would
 * have it: watches of its home directory (wd 1), its history (2,
 * IN_ONESHOT, not fired yet) and /etc/sudoers.d (4; 3 was removed),
 * the next wd 5.  Queued: a file made in the home directory, then
 * renamed (two events tied by a cookie), the IN_IGNORED of watch 3, and
 * a write to the history.
 *
 *   objects: ..., file 8, file 9 (the inotify: 5 inotify_event and 3
 *	      inotify_watch records after it), files 10, fs 11, ...
 */
static int inotifys(struct img *im)
{
	int f = add_inotify(im, 0, 11);

	add_watch(im, f, 1, IN_CREATE_ | IN_DELETE_ | IN_MOVED_FROM_ | IN_MOVED_TO_ |
		  IN_EXCL_UNLINK_, "/home/user", HOME_INO, DEV(8, 1), S_IFDIR_);
	add_watch(im, f, 2, IN_MODIFY_ | IN_CLOSE_WRITE_ | IN_ONESHOT_,
		  "/home/user/.sh_history", HISTORY_INO, DEV(8, 1), S_IFREG_);
	add_watch(im, f, 4, IN_ATTRIB_ | IN_CREATE_ | IN_DELETE_, "/etc/sudoers.d",
		  SUDOERS_D_INO, DEV(8, 1), S_IFDIR_);
	add_ievent(im, f, 1, IN_CREATE_, 0, "notes.txt~");
	add_ievent(im, f, 1, IN_MOVED_FROM_, 0x1f2e, "notes.txt~");
	add_ievent(im, f, 1, IN_MOVED_TO_, 0x1f2e, "notes.txt");
	add_ievent(im, f, 3, IN_IGNORED_, 0, NULL);
	add_ievent(im, f, 2, IN_MODIFY_, 0, NULL);
	return f;
}

CASE(inotify)
{
	inotifys(im);
	build(im);
	return 0;
}

CASE(inotify_empty)	/* no watch yet, nothing queued */
{
	im->files[add_inotify(im, 0, 11)].f_flags |= O_NONBLOCK_;
	build(im);
	return 0;
}

/*
 * The queue overflowed (fs.inotify.max_queued_events), then was read in
 * part: events queued since come after the overflow event
 */
CASE(inotify_overflow)
{
	int f = add_inotify(im, 0, 11);

	add_watch(im, f, 1, IN_CREATE_ | IN_DELETE_, "/home/user", HOME_INO, DEV(8, 1),
		  S_IFDIR_);
	add_ievent(im, f, 1, IN_CREATE_, 0, "a");
	add_ievent(im, f, -1, IN_Q_OVERFLOW_, 0, NULL);
	add_ievent(im, f, 1, IN_DELETE_, 0, "a");
	add_ievent(im, f, 1, IN_CREATE_ | IN_ISDIR_, 0, "d");
	build(im);
	return 0;
}

/*
 * The largest wd and next wd, every bit of a watch's mask, every flag
 * fcntl(F_SETFL) gives, the longest queue; an event with every bit
 * read(2) shows but IN_Q_OVERFLOW (which the overflow event has alone),
 * the largest cookie and a name of NAME_MAX bytes, and one with a name of
 * a space and UTF-8
 */
CASE(inotify_limits)
{
	static char name[NAME_MAX_ + 1];
	int f = add_inotify(im, 0, 11);

	memset(name, 'n', NAME_MAX_);
	im->files[f].f_flags |= O_NONBLOCK_ | O_APPEND_ | O_NOATIME_;
	add_watch(im, f, 1, IN_ALL_EVENTS_ | IN_ONESHOT_ | IN_EXCL_UNLINK_, "/", 2,
		  DEV(8, 1), S_IFDIR_);
	add_watch(im, f, INT32_MAX, IN_DELETE_SELF_, "/home/user", HOME_INO, DEV(8, 1),
		  S_IFDIR_);
	im->inotifys[0].next_wd = INT32_MAX;
	im->inotifys[0].max_events = UINT32_MAX;
	add_ievent(im, f, INT32_MAX, IN_ALL_EVENTS_ | IN_ISDIR_ | IN_UNMOUNT_ | IN_IGNORED_,
		   UINT32_MAX, name);
	add_ievent(im, f, 1, IN_CREATE_, 0, "caf\xc3\xa9 au lait");
	build(im);
	return 0;
}

/* A queue of one event at most, which overflowed */
CASE(inotify_max_events_1)
{
	int f = add_inotify(im, 0, 11);

	im->inotifys[0].max_events = 1;
	add_watch(im, f, 1, IN_CREATE_, "/home/user", HOME_INO, DEV(8, 1), S_IFDIR_);
	add_ievent(im, f, 1, IN_CREATE_, 0, "a");
	add_ievent(im, f, -1, IN_Q_OVERFLOW_, 0, NULL);
	build(im);
	return 0;
}

/*
 * Watches without events, as inotify_add_watch(2) makes them with
 * IN_ONESHOT alone, or with IN_DONT_FOLLOW alone, which it does not keep
 */
CASE(inotify_watch_no_event)
{
	inotifys(im);
	im->inotifys[0].watches[1].mask = IN_ONESHOT_ | IN_EXCL_UNLINK_;
	im->inotifys[0].watches[2].mask = 0;
	build(im);
	return 0;
}

/*
 * Watches of a symbolic link itself (added with IN_DONT_FOLLOW, which the
 * watch does not keep), a device and a mount point
 */
CASE(inotify_watch_types)
{
	int f = add_inotify(im, 0, 11);

	add_watch(im, f, 1, IN_ATTRIB_ | IN_DELETE_SELF_ | IN_MOVE_SELF_, "/usr/bin/sh",
		  131090, DEV(8, 1), S_IFLNK_);
	add_watch(im, f, 2, IN_ATTRIB_, "/dev/null", 4, DEV(0, 5), S_IFCHR_);
	add_watch(im, f, 3, IN_CREATE_, "/srv", 2, DEV(8, 3), S_IFDIR_);
	build(im);
	return 0;
}

/*
 * The shell's inotify inherited by sudo (its fd 8), written once, and
 * cat's own (file 12, fd 7), watching the directory it reads in
 */
CASE(inotify_shared)
{
	int f = inotifys(im), g;

	add_fd(im, 1, 8, f);
	g = add_inotify(im, 2, 7);
	add_watch(im, g, 1, IN_MODIFY_, "/srv/data", 524289, DEV(8, 3), S_IFDIR_);
	add_ievent(im, g, 1, IN_MODIFY_, 0, "r\xc3\xa9sum\xc3\xa9.txt");
	build(im);
	return 0;
}

CASE(inotify_in_epoll)	/* an event loop: an epoll (fd 12) watching the inotify */
{
	int f = inotifys(im), e = add_epoll(im, 0, 12);

	add_item(im, e, f, 11, EV(EPOLLIN_), 11);
	build(im);
	return 0;
}

CASE(inotify_flock)	/* its lock follows its watches */
{
	int f = inotifys(im);

	add_lock(&im->file_locks[f], CKPT_LOCK_FLOCK, 0, F_RDLCK_, 0, OFFSET_MAX_);
	build(im);
	return 0;
}

/* restart(2) checks the kind against the range it knows, not the minor */
CASE(inotify_minor_23)
{
	im->minor = 23;
	inotifys(im);
	build(im);
	return 0;
}

/* restore_check_inotify() */
CASE(inotify_path_len)
{
	int f = inotifys(im);

	build(im);
	put32(im, FREC(im, f, path_len), sizeof(struct ckpt_inotify) - 8);
	return FREC(im, f, path_len);
}

CASE(inotify_len)	/* the record runs into the first event */
{
	int f = inotifys(im);

	build(im);
	put32(im, LEN(im->file_off[f]), get32(im, LEN(im->file_off[f])) + 8);
	return LEN(im->file_off[f]);
}

CASE(inotify_mode)	/* of a type */
{
	im->files[inotifys(im)].mode = S_IFREG_ | 0600;
	build(im);
	return FREC(im, 11, mode);
}

CASE(inotify_rdev)
{
	im->files[inotifys(im)].rdev = DEV(1, 3);
	build(im);
	return FREC(im, 11, rdev);
}

CASE(inotify_pipe_ref)
{
	int f = inotifys(im);

	build(im);
	put32(im, FREC(im, f, pipe_ref), 1);
	return FREC(im, f, pipe_ref);
}

CASE(inotify_pos)
{
	im->files[inotifys(im)].pos = 1;
	build(im);
	return FREC(im, 11, pos);
}

CASE(inotify_rdwr)	/* inotify_init1(2) makes it O_RDONLY */
{
	im->files[inotifys(im)].f_flags = O_RDWR_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(inotify_largefile)
{
	im->files[inotifys(im)].f_flags |= O_LARGEFILE_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(inotify_async)	/* who gets its SIGIO is not saved */
{
	im->files[inotifys(im)].f_flags |= FASYNC_;
	build(im);
	return FREC(im, 11, f_flags);
}

CASE(inotify_size)	/* restore_check_file(): a size for a kind but CKPT_FILE_REG */
{
	int f = inotifys(im);

	build(im);
	put64(im, FREC(im, f, size), 1);
	return FREC(im, f, size);
}

CASE(inotify_len_before_mode)
{
	int f = inotifys(im);

	im->files[f].mode = S_IFIFO_ | 0600;
	build(im);
	put32(im, FREC(im, f, path_len), sizeof(struct ckpt_inotify) + 8);
	return FREC(im, f, path_len);
}

CASE(inotify_mode_before_flags)
{
	int f = inotifys(im);

	im->files[f].mode = S_IFREG_ | 0600;
	im->files[f].f_flags = O_WRONLY_;
	build(im);
	return FREC(im, f, mode);
}

CASE(inotify_watches_above_max)
{
	int f = inotifys(im);

	build(im);
	put32(im, INF(im, f, nr_watches), CKPT_INOTIFY_MAX_WATCHES + 1);
	return INF(im, f, nr_watches);
}

CASE(inotify_events_above_max)
{
	int f = inotifys(im);

	build(im);
	put32(im, INF(im, f, nr_events), CKPT_INOTIFY_MAX_EVENTS + 1);
	return INF(im, f, nr_events);
}

CASE(inotify_next_wd_0)
{
	int f = inotifys(im);

	im->inotifys[0].next_wd = 0;
	build(im);
	return INF(im, f, next_wd);
}

CASE(inotify_next_wd_negative)
{
	int f = inotifys(im);

	im->inotifys[0].next_wd = INT32_MIN;
	build(im);
	return INF(im, f, next_wd);
}

CASE(inotify_max_events_0)
{
	int f = inotifys(im);

	im->inotifys[0].max_events = 0;
	build(im);
	return INF(im, f, max_events);
}

CASE(inotify_flags_before_counts)
{
	int f = inotifys(im);

	im->files[f].f_flags = O_RDWR_;
	build(im);
	put32(im, INF(im, f, nr_events), UINT32_MAX);
	return FREC(im, f, f_flags);
}

CASE(inotify_next_wd_before_max_events)
{
	int f = inotifys(im);

	im->inotifys[0].next_wd = 0;
	im->inotifys[0].max_events = 0;
	build(im);
	return INF(im, f, next_wd);
}

/* restore_inotify_watch(): nr_watches records of watches, after the events */
CASE(inotify_watch_missing)	/* the table where the fourth watch should be */
{
	int f = inotifys(im);

	build(im);
	put32(im, INF(im, f, nr_watches), 4);
	return AT(im->files_off[0], ckpt_hdr, type);
}

CASE(inotify_watch_not_counted)	/* a watch where an object should be */
{
	int f = inotifys(im);

	build(im);
	put32(im, INF(im, f, nr_watches), 2);
	return im->watch_off[0][2];
}

CASE(inotify_watch_len_below_min)	/* no room for a path of "/" */
{
	inotifys(im);
	build(im);
	put32(im, LEN(im->watch_off[0][0]), sizeof(struct ckpt_hdr_inotify_watch) + 1);
	return LEN(im->watch_off[0][0]);
}

CASE(inotify_watch_len_above_max)
{
	inotifys(im);
	build(im);
	put32(im, LEN(im->watch_off[0][0]),
	      sizeof(struct ckpt_hdr_inotify_watch) + CKPT_PATH_MAX + 1);
	return LEN(im->watch_off[0][0]);
}

CASE(inotify_watch_wd_0)
{
	inotifys(im);
	im->inotifys[0].watches[0].wd = 0;
	build(im);
	return INW(im, 0, 0, wd);
}

CASE(inotify_watch_wd_negative)
{
	inotifys(im);
	im->inotifys[0].watches[0].wd = -1;
	build(im);
	return INW(im, 0, 0, wd);
}

CASE(inotify_watch_wd_twice)
{
	inotifys(im);
	im->inotifys[0].watches[1].wd = 1;
	build(im);
	return INW(im, 0, 1, wd);
}

CASE(inotify_watch_wd_order)	/* 1, 4, 2 */
{
	inotifys(im);
	im->inotifys[0].watches[1].wd = 4;
	im->inotifys[0].watches[2].wd = 2;
	build(im);
	return INW(im, 0, 2, wd);
}

CASE(inotify_watch_mask_isdir)	/* of an event, not of a watch */
{
	inotifys(im);
	im->inotifys[0].watches[0].mask |= IN_ISDIR_;
	build(im);
	return INW(im, 0, 0, mask);
}

CASE(inotify_watch_mask_dont_follow)	/* a flag of inotify_add_watch(2), not kept */
{
	inotifys(im);
	im->inotifys[0].watches[2].mask |= IN_DONT_FOLLOW_;
	build(im);
	return INW(im, 0, 2, mask);
}

CASE(inotify_watch_mask_bit12)	/* after IN_MOVE_SELF, no event */
{
	inotifys(im);
	im->inotifys[0].watches[0].mask |= 0x1000;
	build(im);
	return INW(im, 0, 0, mask);
}

CASE(inotify_watch_mode_0)
{
	inotifys(im);
	im->inotifys[0].watches[2].mode = 0;
	build(im);
	return INW(im, 0, 2, mode);
}

CASE(inotify_watch_mode_perm)	/* the type only */
{
	inotifys(im);
	im->inotifys[0].watches[0].mode = S_IFDIR_ | 0755;
	build(im);
	return INW(im, 0, 0, mode);
}

CASE(inotify_watch_len)	/* path_len a byte short of the record */
{
	inotifys(im);
	build(im);
	put32(im, INW(im, 0, 1, path_len), strlen("/home/user/.sh_history"));
	return LEN(im->watch_off[0][1]);
}

CASE(inotify_watch_relative)
{
	inotifys(im);
	im->inotifys[0].watches[2].path = "etc/sudoers.d";
	build(im);
	return INW_PATH(im, 0, 2);
}

CASE(inotify_watch_no_nul)
{
	inotifys(im);
	build(im);
	im->buf[INW_PATH(im, 0, 0) + strlen("/home/user")] = '/';
	return INW_PATH(im, 0, 0) + strlen("/home/user");
}

CASE(inotify_watch_nul_early)	/* "/home", a NUL, then "user" */
{
	inotifys(im);
	build(im);
	im->buf[INW_PATH(im, 0, 0) + 5] = 0;
	return INW_PATH(im, 0, 0) + 5;
}

CASE(inotify_watch_wd_before_mask)
{
	inotifys(im);
	im->inotifys[0].watches[1].wd = 1;
	im->inotifys[0].watches[1].mask = 0;
	build(im);
	return INW(im, 0, 1, wd);
}

CASE(inotify_watch_mask_before_mode)
{
	inotifys(im);
	im->inotifys[0].watches[1].mask = IN_ISDIR_;
	im->inotifys[0].watches[1].mode = 0;
	build(im);
	return INW(im, 0, 1, mask);
}

CASE(inotify_watch_mode_before_path)
{
	inotifys(im);
	im->inotifys[0].watches[1].mode = S_IFREG_ | 0600;
	im->inotifys[0].watches[1].path = "home/user/.sh_history";
	build(im);
	return INW(im, 0, 1, mode);
}

CASE(inotify_watch_cut)
{
	inotifys(im);
	build(im);
	im->len = INW_PATH(im, 0, 1) + 3;
	return im->len;
}

CASE(inotify_watch_error)	/* the checkpoint failed while it wrote the watches */
{
	inotifys(im);
	build(im);
	im->len = im->watch_off[0][1];
	im->error_off = emit_error(im, EOPNOTSUPP,
				   "inotify watch 2: inode 1835021 of device sda1 has no path from the caller's root");
	return im->error_off;
}

/* restore_inotify_event(): nr_events records of events, before the watches */
CASE(inotify_event_missing)	/* a watch where the sixth event should be */
{
	int f = inotifys(im);

	build(im);
	put32(im, INF(im, f, nr_events), 6);
	return AT(im->watch_off[0][0], ckpt_hdr, type);
}

CASE(inotify_event_not_counted)	/* an event where the first watch should be */
{
	int f = inotifys(im);

	build(im);
	put32(im, INF(im, f, nr_events), 4);
	return AT(im->ievent_off[0][4], ckpt_hdr, type);
}

CASE(inotify_event_len_below_min)
{
	inotifys(im);
	build(im);
	put32(im, LEN(im->ievent_off[0][3]), sizeof(struct ckpt_hdr_inotify_event) - 8);
	return LEN(im->ievent_off[0][3]);
}

CASE(inotify_event_len_above_max)
{
	inotifys(im);
	build(im);
	put32(im, LEN(im->ievent_off[0][0]),
	      sizeof(struct ckpt_hdr_inotify_event) + NAME_MAX_ + 1);
	return LEN(im->ievent_off[0][0]);
}

CASE(inotify_event_name_len_above_max)	/* a name of NAME_MAX bytes, said longer */
{
	static char name[NAME_MAX_ + 1];

	memset(name, 'n', NAME_MAX_);
	inotifys(im);
	im->inotifys[0].events[0].name = name;
	build(im);
	put32(im, INE(im, 0, 0, name_len), NAME_MAX_ + 1);
	return INE(im, 0, 0, name_len);
}

CASE(inotify_event_len)	/* name_len a byte short of the record */
{
	inotifys(im);
	build(im);
	put32(im, INE(im, 0, 2, name_len), strlen("notes.txt") - 1);
	return LEN(im->ievent_off[0][2]);
}

CASE(inotify_event_name_nul)	/* "not", a NUL, then "es.txt" */
{
	inotifys(im);
	build(im);
	im->buf[INE_NAME(im, 0, 2) + 3] = 0;
	return INE_NAME(im, 0, 2) + 3;
}

CASE(inotify_event_name_slash)
{
	inotifys(im);
	im->inotifys[0].events[0].name = "notes/txt";
	build(im);
	return INE_NAME(im, 0, 0) + 5;
}

CASE(inotify_event_name_first_bad)	/* a '/', then a NUL: the first */
{
	inotifys(im);
	im->inotifys[0].events[1].name = "a/b";
	build(im);
	im->buf[INE_NAME(im, 0, 1) + 2] = 0;
	return INE_NAME(im, 0, 1) + 1;
}

CASE(inotify_event_mask_0)
{
	inotifys(im);
	im->inotifys[0].events[4].mask = 0;
	build(im);
	return INE(im, 0, 4, mask);
}

CASE(inotify_event_mask_oneshot)	/* of a watch, not of an event */
{
	inotifys(im);
	im->inotifys[0].events[4].mask |= IN_ONESHOT_;
	build(im);
	return INE(im, 0, 4, mask);
}

CASE(inotify_event_mask_bit12)
{
	inotifys(im);
	im->inotifys[0].events[0].mask |= 0x1000;
	build(im);
	return INE(im, 0, 0, mask);
}

CASE(inotify_event_wd_0)
{
	inotifys(im);
	im->inotifys[0].events[4].wd = 0;
	build(im);
	return INE(im, 0, 4, wd);
}

CASE(inotify_event_wd_negative)	/* -1 is the overflow event's only */
{
	inotifys(im);
	im->inotifys[0].events[0].wd = -1;
	build(im);
	return INE(im, 0, 0, wd);
}

CASE(inotify_event_overflow_wd)
{
	inotifys(im);
	im->inotifys[0].events[3] = (struct mievent){ 3, IN_Q_OVERFLOW_, 0, NULL };
	build(im);
	return INE(im, 0, 3, wd);
}

CASE(inotify_event_overflow_cookie)
{
	inotifys(im);
	im->inotifys[0].events[3] = (struct mievent){ -1, IN_Q_OVERFLOW_, 1, NULL };
	build(im);
	return INE(im, 0, 3, cookie);
}

CASE(inotify_event_overflow_name)
{
	inotifys(im);
	im->inotifys[0].events[3] = (struct mievent){ -1, IN_Q_OVERFLOW_, 0, "x" };
	build(im);
	return INE(im, 0, 3, name_len);
}

CASE(inotify_event_overflow_not_alone)	/* IN_Q_OVERFLOW is the overflow event's */
{
	inotifys(im);
	im->inotifys[0].events[3].mask |= IN_Q_OVERFLOW_;
	build(im);
	return INE(im, 0, 3, mask);
}

CASE(inotify_event_overflow_twice)	/* queued once at most */
{
	inotifys(im);
	im->inotifys[0].events[0] = (struct mievent){ -1, IN_Q_OVERFLOW_, 0, NULL };
	im->inotifys[0].events[3] = im->inotifys[0].events[0];
	build(im);
	return INE(im, 0, 3, mask);
}

CASE(inotify_event_name_before_mask)
{
	inotifys(im);
	im->inotifys[0].events[0].name = "a/b";
	im->inotifys[0].events[0].mask = 0;
	build(im);
	return INE_NAME(im, 0, 0) + 1;
}

CASE(inotify_event_mask_before_wd)
{
	inotifys(im);
	im->inotifys[0].events[4].mask = IN_ONESHOT_;
	im->inotifys[0].events[4].wd = 0;
	build(im);
	return INE(im, 0, 4, mask);
}

CASE(inotify_event_cut)
{
	inotifys(im);
	build(im);
	im->len = INE_NAME(im, 0, 1) + 2;
	return im->len;
}

CASE(inotify_event_error)	/* the checkpoint failed while it wrote the events */
{
	inotifys(im);
	build(im);
	im->len = im->ievent_off[0][2];
	im->error_off = emit_error(im, ENOMEM, "out of memory");
	return im->error_off;
}

/* restore_locks(): after the watches, as after any file */
CASE(inotify_ofd_write_lock)	/* through a file open read-only */
{
	int f = inotifys(im);

	add_lock(&im->file_locks[f], CKPT_LOCK_OFD, 0, F_WRLCK_, 0, 99);
	build(im);
	return FLK_L(im, f, 0, type);
}

struct tcase {
	const char *name;
	int err;
	size_t (*make)(struct img *im);
};

#define C(name, err)	{ #name, err, case_##name }
static const struct tcase cases[] = {
	C(good, 0),
	C(single_task, 0),
	C(tree_max, 0),
	C(groups_max, 0),
	C(pid_max, 0),
	C(exit_signal_0_64, 0),
	C(optional_feature, 0),
	C(scope_session, 0),
	C(unused_cred, 0),
	C(trailing_data, 0),
	C(empty, ENODATA),
	C(short_header, ENODATA),
	C(text, ENOEXEC),
	C(hdr_len_below_8, ENOEXEC),
	C(hdr_len_above_max, E2BIG),
	C(hdr_padding, ENOEXEC),
	C(hdr_no_room_for_magic, ENOEXEC),
	C(magic, ENOEXEC),
	C(hdr_len_too_short, EINVAL),
	C(hdr_len_wrong, EINVAL),
	C(major, EPROTONOSUPPORT),
	C(minor, EPROTONOSUPPORT),
	C(major_before_len, EPROTONOSUPPORT),
	C(arch, ENOEXEC),
	C(page_size, ENOEXEC),
	C(required_feature, EPROTONOSUPPORT),
	C(hdr_flags, EINVAL),
	C(hdr_flags_kill, 0),
	C(hdr_flags_stop, 0),
	C(hdr_pad, EINVAL),
	C(hdr_pad2, EINVAL),
	C(release, EINVAL),
	C(error_first, EBADMSG),
	C(error_first_bad_len, ENOEXEC),
	C(error_first_too_long, E2BIG),
	C(error_first_pad, ENOEXEC),
	C(no_tree, ENODATA),
	C(tree_type, EINVAL),
	C(tree_len_below_min, EINVAL),
	C(tree_len_above_max, E2BIG),
	C(nr_tasks_0, EINVAL),
	C(nr_tasks_above_max, EINVAL),
	C(nr_tasks_len, EINVAL),
	C(tree_pad, EINVAL),
	C(tree_error, EBADMSG),
	C(pid_0, EINVAL),
	C(pid_above_max, EINVAL),
	C(pgid_negative, EINVAL),
	C(sid_above_max, EINVAL),
	C(pids_flags_unknown, EINVAL),
	C(pids_flags_high, EINVAL),
	C(pids_flags_thread, EINVAL),
	C(pids_flags_root, EINVAL),
	C(pids_flags_no_parent, EINVAL),
	C(pids_sighand_without_vm, EINVAL),
	C(pids_vfork_twice, EINVAL),
	C(root_is_thread, EINVAL),
	C(thread_of_thread, EINVAL),
	C(thread_before_leader, EINVAL),
	C(thread_ppid, EINVAL),
	C(root_ppid, EINVAL),
	C(child_before_parent, EINVAL),
	C(parent_is_thread, EINVAL),
	C(no_parent, 0),
	C(pid_twice, EINVAL),
	C(no_tasks, ENODATA),
	C(task_missing, ENODATA),
	C(task_header_cut, ENODATA),
	C(not_an_object, EINVAL),
	C(tail_too_early, EINVAL),
	C(header_again, EINVAL),
	C(task_len_below_8, EINVAL),
	C(object_len_below_8, EINVAL),
	C(objref_sequence, EINVAL),
	C(objref_pad, EINVAL),
	C(cred_len_below_min, EINVAL),
	C(cred_len_above_max, E2BIG),
	C(cred_padding, EINVAL),
	C(cred_truncated, ENODATA),
	C(ngroups_above_max, E2BIG),
	C(ngroups_len, EINVAL),
	C(securebits, EINVAL),
	C(uid_invalid, EINVAL),
	C(fsgid_invalid, EINVAL),
	C(group_invalid, EINVAL),
	C(cap_effective, EINVAL),
	C(cap_ambient, EINVAL),
	C(task_len_below_min, EINVAL),
	C(task_len_above_max, E2BIG),
	C(task_pid, EINVAL),
	C(task_flags, EINVAL),
	C(leader_flag_missing, EINVAL),
	C(leader_flag_on_thread, EINVAL),
	C(exit_signal_root_sigkill, EPERM),
	C(exit_signal_root_sigstop, EPERM),
	C(exit_signal_child_sigkill, 0),
	C(exit_signal_65, EINVAL),
	C(exit_signal_leader_negative, EINVAL),
	C(exit_signal_thread, EINVAL),
	C(cred_ref_0, EBADR),
	C(cred_ref_later, EBADR),
	C(real_cred_ref_unknown, EBADR),
	C(comm, EINVAL),
	C(task_error, EBADMSG),
	C(task_error_bad_len, E2BIG),
	C(task_error_pad, EINVAL),
	C(task_error_pad_cut, EINVAL),
	C(task_error_fixed_cut, ENODATA),
	C(task_error_truncated, ENODATA),
	C(object_before_tail, EINVAL),
	C(no_tail, ENODATA),
	C(tail_len, E2BIG),
	C(tail_magic, EINVAL),
	C(tail_records, EINVAL),
	C(tail_bytes, EINVAL),
	C(tail_error, EBADMSG),
	C(task_self, 0),
	C(pages_max, 0),
	C(pages_adjacent, 0),
	C(mm_no_exe_no_auxv, 0),
	C(mm_len_below_min, EINVAL),
	C(mm_len_above_max, E2BIG),
	C(mm_objref, EINVAL),
	C(mm_nr_vmas, EINVAL),
	C(mm_nr_auxv_odd, EINVAL),
	C(mm_nr_auxv_above_max, EINVAL),
	C(mm_exe_len_above_max, EINVAL),
	C(mm_len, EINVAL),
	C(mm_exe_relative, EINVAL),
	C(mm_exe_nul, EINVAL),
	C(mm_exe_no_nul, EINVAL),
	C(mm_code_order, EINVAL),
	C(mm_env_order, EINVAL),
	C(mm_brk_above_task_size, EINVAL),
	C(mm_stack_task_size, 0),
	C(mm_exe_ref_undefined, EBADR),
	C(mm_exe_ref_not_memfd, EBADR),
	C(mm_exe_ref_without_exe, EINVAL),
	C(vma_missing, EINVAL),
	C(vma_type, EINVAL),
	C(vma_len_above_max, E2BIG),
	C(vma_truncated, ENODATA),
	C(vma_empty, EINVAL),
	C(vma_pgoff_last, 0),
	C(vma_pgoff_beyond_files, EINVAL),
	C(vma_start_unaligned, EINVAL),
	C(vma_end_unaligned, EINVAL),
	C(vma_end_above_task_size, EINVAL),
	C(vma_overlap, EINVAL),
	C(vma_kind_0, EINVAL),
	C(vma_kind_9, EINVAL),
	C(vma_vdso_twice, EINVAL),
	C(vma_flags, EINVAL),
	C(vma_hugepage_and_not, EINVAL),
	C(vma_hugepage_advice, 0),
	C(vma_path_len, EINVAL),
	C(vma_anon_path, EINVAL),
	C(vma_file_no_path, EINVAL),
	C(vma_path_relative, EINVAL),
	C(vma_path_no_nul, EINVAL),
	C(pages_len_below_min, EINVAL),
	C(pages_len_no_page, EINVAL),
	C(pages_len_above_max, E2BIG),
	C(pages_nr_0, EINVAL),
	C(pages_nr_len, EINVAL),
	C(pages_unaligned, EINVAL),
	C(pages_before_vma, EINVAL),
	C(pages_after_vma, EINVAL),
	C(pages_overlap, EINVAL),
	C(pages_vdso, EINVAL),
	C(pages_shared_file, EINVAL),
	C(pages_shared_anon, 0),
	C(pages_pad, EINVAL),
	C(pages_cut, ENODATA),
	C(pages_cut_fixed, ENODATA),
	C(pages_cut_bad_addr, EINVAL),
	C(pages_addr_wrap, EINVAL),
	C(shmem_shared, 0),
	C(shmem_size_max, 0),
	C(shmem_unused, 0),
	C(shmem_anon_old_minor, 0),
	C(vma_shmem_pgoff_last, 0),
	C(shmem_len_below_min, EINVAL),
	C(shmem_len_above_max, E2BIG),
	C(shmem_objref, EINVAL),
	C(shmem_size_0, EINVAL),
	C(shmem_size_above_max, EINVAL),
	C(shmem_size_before_pages, EINVAL),
	C(shmem_truncated, ENODATA),
	C(shmem_pages_nr_0, EINVAL),
	C(shmem_pages_nr_above_max, EINVAL),
	C(shmem_pages_nr_len, EINVAL),
	C(shmem_pages_len_above_max, E2BIG),
	C(shmem_pages_unaligned, EINVAL),
	C(shmem_pages_order, EINVAL),
	C(shmem_pages_overlap, EINVAL),
	C(shmem_pages_beyond_size, EINVAL),
	C(shmem_pages_overrun, EINVAL),
	C(shmem_pages_size_aligned, EINVAL),
	C(shmem_pages_beyond_files, EINVAL),
	C(shmem_pages_pad, EINVAL),
	C(shmem_pages_cut, ENODATA),
	C(shmem_pages_error, EBADMSG),
	C(vma_shmem_no_payload, EINVAL),
	C(vma_shmem_path_len, EINVAL),
	C(vma_shmem_path_len_16, EINVAL),
	C(vma_anon_shmem_ref, EINVAL),
	C(vma_shmem_vdso, EINVAL),
	C(vma_shmem_pgoff_beyond_files, EINVAL),
	C(vma_shmem_private, EINVAL),
	C(vma_shmem_ino, EINVAL),
	C(vma_shmem_dev, EINVAL),
	C(vma_shmem_size, EINVAL),
	C(vma_shmem_mtime, EINVAL),
	C(vma_shmem_mtime_nsec, EINVAL),
	C(vma_shmem_ref_0, EBADR),
	C(vma_shmem_ref_later, EBADR),
	C(vma_shmem_ref_self, EBADR),
	C(vma_shmem_ref_mm, EBADR),
	C(vma_shmem_ref_file, EBADR),
	C(vma_shmem_pad, EINVAL),
	C(vma_shmem_noreserve, 0),
	C(vma_shmem_pages, EINVAL),
	C(vma_shmem_path_len_before_pgoff, EINVAL),
	C(vma_shmem_pgoff_before_flags, EINVAL),
	C(vma_shmem_flags_before_ref, EINVAL),
	C(vma_shmem_ref_before_pad, EBADR),
	C(vma_forked, 0),
	C(vma_forked_file, 0),
	C(pages_cow_max, 0),
	C(vma_forked_root, EINVAL),
	C(vma_forked_no_parent, EINVAL),
	C(vma_forked_vdso, EINVAL),
	C(vma_forked_shared, EINVAL),
	C(vma_forked_locked, EINVAL),
	C(vma_forked_dontfork, EINVAL),
	C(vma_forked_wipeonfork, EINVAL),
	C(vma_forked_noreserve, 0),
	C(vma_forked_before_path_len, EINVAL),
	C(pages_cow_not_forked, EINVAL),
	C(pages_cow_len_below_min, EINVAL),
	C(pages_cow_payload, E2BIG),
	C(pages_cow_nr_0, EINVAL),
	C(pages_cow_nr_above_max, EINVAL),
	C(pages_cow_unaligned, EINVAL),
	C(pages_cow_before_vma, EINVAL),
	C(pages_cow_after_vma, EINVAL),
	C(pages_cow_overlap, EINVAL),
	C(pages_cow_pad, EINVAL),
	C(pages_cow_addr_before_forked, EINVAL),
	C(pages_cow_forked_before_pad, EINVAL),
	C(pages_cow_cut, ENODATA),
	C(pages_cow_cut_bad_addr, ENODATA),
	C(shmem_pages_cow, EINVAL),
	C(hugetlb, 0),
	C(hugetlb_several, 0),
	C(hugetlb_read_only, 0),
	C(hugetlb_dontdump, 0),
	C(vma_hugetlb_size_0, EINVAL),
	C(vma_hugetlb_size_4096, EINVAL),
	C(vma_hugetlb_size_3m, EINVAL),
	C(vma_hugetlb_size_4m, EINVAL),
	C(vma_hugetlb_size_2_63, EINVAL),
	C(vma_hugetlb_1g_unaligned, EINVAL),
	C(vma_hugetlb_start_unaligned, EINVAL),
	C(vma_hugetlb_end_unaligned, EINVAL),
	C(vma_hugetlb_shared_no_ref, EINVAL),
	C(vma_hugetlb_growsdown, EINVAL),
	C(vma_hugetlb_wipeonfork, EINVAL),
	C(vma_hugetlb_forked, EINVAL),
	C(vma_hugetlb_pgoff, EINVAL),
	C(vma_hugetlb_ino, EINVAL),
	C(vma_hugetlb_dev, EINVAL),
	C(vma_hugetlb_mtime, EINVAL),
	C(vma_hugetlb_mtime_nsec, EINVAL),
	C(vma_hugetlb_path, EINVAL),
	C(vma_hugetlb_before_size, EINVAL),
	C(vma_hugetlb_size_before_flags, EINVAL),
	C(hugetlb_noreserve, 0),
	C(vma_hugetlb_flags_unknown, EINVAL),
	C(vma_noreserve_anon, 0),
	C(vma_noreserve_file, 0),
	C(vma_noreserve_file_written, 0),
	C(vma_noreserve_vdso, EINVAL),
	C(vma_noreserve_vvar, EINVAL),
	C(vma_noreserve_flags_unknown, EINVAL),
	C(hugetlb_shared, 0),
	C(hugetlb_shared_noreserve, 0),
	C(shmem_hugetlb_untouched, 0),
	C(shmem_hugetlb_size_max, 0),
	C(shmem_hugetlb_len_below_min, EINVAL),
	C(shmem_hugetlb_len_above_max, E2BIG),
	C(shmem_hugetlb_objref, EINVAL),
	C(shmem_hugetlb_page_size_0, EINVAL),
	C(shmem_hugetlb_page_size_4096, EINVAL),
	C(shmem_hugetlb_page_size_3m, EINVAL),
	C(shmem_hugetlb_page_size_4m, EINVAL),
	C(shmem_hugetlb_size_0, EINVAL),
	C(shmem_hugetlb_size_unaligned, EINVAL),
	C(shmem_hugetlb_size_1g_unaligned, EINVAL),
	C(shmem_hugetlb_size_above_max, EINVAL),
	C(shmem_hugetlb_page_size_before_size, EINVAL),
	C(shmem_hugetlb_size_before_pages, EINVAL),
	C(shmem_hugetlb_pages_beyond_size, EINVAL),
	C(shmem_hugetlb_pages_overrun, EINVAL),
	C(shmem_hugetlb_pages_order, EINVAL),
	C(shmem_hugetlb_pages_unaligned, EINVAL),
	C(shmem_hugetlb_pages_nr_0, EINVAL),
	C(shmem_hugetlb_pages_pad, EINVAL),
	C(shmem_hugetlb_truncated, ENODATA),
	C(vma_hugetlb_shared_path_len_16, EINVAL),
	C(vma_hugetlb_private_ref, EINVAL),
	C(vma_hugetlb_shared_pgoff_unaligned, EINVAL),
	C(vma_hugetlb_shared_pgoff_beyond_files, EINVAL),
	C(vma_hugetlb_shared_beyond, EINVAL),
	C(vma_hugetlb_shared_overrun, EINVAL),
	C(vma_hugetlb_shared_page_size, EINVAL),
	C(vma_hugetlb_shared_growsdown, EINVAL),
	C(vma_hugetlb_shared_forked, EINVAL),
	C(vma_hugetlb_shared_ino, EINVAL),
	C(vma_hugetlb_shared_mtime, EINVAL),
	C(vma_hugetlb_shared_ref_0, EBADR),
	C(vma_hugetlb_shared_ref_mm, EBADR),
	C(vma_hugetlb_shared_ref_shmem, EBADR),
	C(vma_shmem_ref_hugetlb, EBADR),
	C(vma_hugetlb_shared_pad, EINVAL),
	C(vma_hugetlb_shared_pages, EINVAL),
	C(vma_hugetlb_shared_size_before_ref, EINVAL),
	C(vma_hugetlb_shared_fields_before_ref, EINVAL),
	C(vma_hugetlb_shared_ref_before_pad, EBADR),
	C(vma_hugetlb_shared_beyond_before_pad, EINVAL),
	C(task_flags_16, EINVAL),
	C(task_ready_self, EINVAL),
	C(exit_code_live, EINVAL),
	C(mm_ref_0, EBADR),
	C(mm_ref_later, EBADR),
	C(mm_ref_cred, EBADR),
	C(cred_ref_mm, EBADR),
	C(thread_mm, EINVAL),
	C(thread_sighand, EINVAL),
	C(thread_signal, EINVAL),
	C(thread_own_signals, EINVAL),
	C(thread_own_mm, EINVAL),
	C(process_shares_mm, EOPNOTSUPP),
	C(process_shares_sighand, EOPNOTSUPP),
	C(process_shares_signal, EOPNOTSUPP),
	C(pids_share_vm, 0),
	C(pids_share_vm_sighand, 0),
	C(pids_vfork, 0),
	C(pids_vfork_chain, 0),
	C(pids_vfork_own_mm, 0),
	C(pids_share_vm_own_mm, EINVAL),
	C(pids_share_vm_grandparent_mm, EINVAL),
	C(pids_share_sighand_own, EINVAL),
	C(pids_share_sighand_grandparent, EINVAL),
	C(pids_parent_mm_without_flag, EOPNOTSUPP),
	C(pids_parent_sighand_without_flag, EOPNOTSUPP),
	C(pids_share_signal, EOPNOTSUPP),
	C(zombie, 0),
	C(zombie_killed_core, 0),
	C(zombie_status_limits, 0),
	C(zombie_root, EINVAL),
	C(zombie_not_leader, EINVAL),
	C(zombie_thread, EINVAL),
	C(zombie_self, EINVAL),
	C(zombie_cred_ref, EINVAL),
	C(zombie_fs_ref, EINVAL),
	C(zombie_exit_signal_65, EINVAL),
	C(zombie_comm, EINVAL),
	C(zombie_records, EINVAL),
	C(zombie_records_middle, EINVAL),
	C(zombie_with_thread, EINVAL),
	C(zombie_pids_flags, EINVAL),
	C(zombie_with_child, EINVAL),
	C(zombie_then_error, EBADMSG),
	C(zombie_after_object, EINVAL),
	C(zombie_status_stopped, EINVAL),
	C(zombie_status_signal_65, EINVAL),
	C(zombie_status_core_alone, EINVAL),
	C(zombie_status_above_max, EINVAL),
	C(zombie_status_exit_and_signal, EINVAL),
	C(zombie_status_negative, EINVAL),
	C(ns_uts, 0),
	C(ns_ipc, 0),
	C(ns_uts_ipc, 0),
	C(ns_uts_names_limits, 0),
	C(ns_net, 0),
	C(ns_net_lo_down, 0),
	C(ns_uts_ipc_net, 0),
	C(ns_single_task, 0),
	C(ns_flags_0, EINVAL),
	C(ns_flags_8, EINVAL),
	C(ns_flags_high, EINVAL),
	C(ns_nodename_no_nul, EINVAL),
	C(ns_domainname_no_nul, EINVAL),
	C(ns_ipc_nodename, EINVAL),
	C(ns_ipc_domainname, EINVAL),
	C(ns_net_without_ns_net, EINVAL),
	C(ns_net_flag_2, EINVAL),
	C(ns_net_flag_high, EINVAL),
	C(ns_pad2, EINVAL),
	C(ns_net_before_names, EINVAL),
	C(ns_names_before_pad2, EINVAL),
	C(ns_flags_before_names, EINVAL),
	C(ns_len_below_min, EINVAL),
	C(ns_len_above_max, E2BIG),
	C(ns_cut, ENODATA),
	C(ns_twice, EINVAL),
	C(ns_between_tasks, EINVAL),
	C(ns_before_tail, EINVAL),
	C(ns_before_tree, EINVAL),
	C(ns_then_error, EBADMSG),
	C(pidns, 0),
	C(pidns_minor_25, 0),
	C(pidns_ns, 0),
	C(pidns_standin_ns_0, 0),
	C(pidns_before_tree, EINVAL),
	C(pidns_after_ns, EINVAL),
	C(pidns_twice, EINVAL),
	C(pidns_len_below_min, EINVAL),
	C(pidns_len_above_max, E2BIG),
	C(pidns_cut, ENODATA),
	C(pidns_nr_ns_0, EINVAL),
	C(pidns_nr_ns_above_tasks, EINVAL),
	C(pidns_nr_pids_above_max, EINVAL),
	C(pidns_nr_pids_len, EINVAL),
	C(pidns_parent_self, EINVAL),
	C(pidns_depth_above_max, EINVAL),
	C(pidns_init_above_max, EINVAL),
	C(pidns_next_pid_above_max, EINVAL),
	C(pidns_pad, EINVAL),
	C(pidns_task_ns_above_max, EINVAL),
	C(pidns_children_above_max, EINVAL),
	C(pidns_children_above_ns, EINVAL),
	C(pidns_nr_pids_sum, EINVAL),
	C(pidns_pid_0, EINVAL),
	C(pidns_pid_above_max, EINVAL),
	C(pidns_thread_ns, EINVAL),
	C(pidns_thread_ns_0, EINVAL),
	C(pidns_init_ns, EINVAL),
	C(pidns_init_thread, EINVAL),
	C(pidns_init_pid_not_1, EINVAL),
	C(pidns_init_no_parent, EINVAL),
	C(pidns_init_parent_ns, EINVAL),
	C(pidns_member_before_init, EINVAL),
	C(pidns_member_no_parent, EINVAL),
	C(pidns_member_parent_below, EINVAL),
	C(pidns_pid_twice, EINVAL),
	C(pidns_pid_1_twice, EINVAL),
	C(pidns_pid_1_thread, EINVAL),
	C(pidns_standin_group, EOPNOTSUPP),
	C(pidns_standin_session, EOPNOTSUPP),
	C(net_cfg, 0),
	C(net_cfg_lo_only, 0),
	C(net_cfg_uts_ipc, 0),
	C(net_cfg_sysv_ipc, 0),
	C(net_cfg_max, 0),
	C(net_cfg_limits, 0),
	C(net_cfg_lo_up_and_config, EINVAL),
	C(net_cfg_flag_4, EINVAL),
	C(net_cfg_no_record, EINVAL),
	C(net_cfg_record_without_config, EINVAL),
	C(net_cfg_twice, EINVAL),
	C(net_cfg_after_pad2, EINVAL),
	C(net_cfg_len_below_min, EINVAL),
	C(net_cfg_len_above_max, E2BIG),
	C(net_cfg_cut, ENODATA),
	C(net_cfg_nr_devs_above_max, EINVAL),
	C(net_cfg_nr_addrs_above_max, EINVAL),
	C(net_cfg_nr_routes_huge, EINVAL),
	C(net_cfg_len_counts, EINVAL),
	C(net_cfg_pad, EINVAL),
	C(net_cfg_no_lo, EINVAL),
	C(net_cfg_no_lo_before_devs, EINVAL),
	C(net_cfg_lo_ifindex_2, EINVAL),
	C(net_cfg_dummy_ifindex_1, EINVAL),
	C(net_cfg_ifindex_twice, EINVAL),
	C(net_cfg_ifindex_0, EINVAL),
	C(net_cfg_ifindex_negative, EINVAL),
	C(net_cfg_ifindex_high, EINVAL),
	C(net_cfg_ifindex_highest, 0),
	C(net_cfg_kind_0, EINVAL),
	C(net_cfg_kind_4, EINVAL),
	C(net_cfg_dev_flag_unknown, EINVAL),
	C(net_cfg_dev_peer_flag_unknown, EINVAL),
	C(net_cfg_addr_len_9, EINVAL),
	C(net_cfg_addr_past_len, EINVAL),
	C(net_cfg_name_no_nul, EINVAL),
	C(net_cfg_name_slash, EINVAL),
	C(net_cfg_name_colon, EINVAL),
	C(net_cfg_name_space, EINVAL),
	C(net_cfg_name_nbsp, EINVAL),
	C(net_cfg_name_percent, EINVAL),
	C(net_cfg_name_empty, EINVAL),
	C(net_cfg_name_dot, EINVAL),
	C(net_cfg_name_dotdot, EINVAL),
	C(net_cfg_veth_peer_dummy, EINVAL),
	C(net_cfg_veth_peer_not_back, EINVAL),
	C(net_cfg_veth_peer_self, EINVAL),
	C(net_cfg_veth_peer_missing, EINVAL),
	C(net_cfg_veth_addr_len_differs, EINVAL),
	C(net_cfg_veth_inside_peer_mtu, EINVAL),
	C(net_cfg_veth_outside_no_name, EINVAL),
	C(net_cfg_veth_outside_bad_name, EINVAL),
	C(net_cfg_veth_outside_peer_addr, EINVAL),
	C(net_cfg_dummy_peer, EINVAL),
	C(net_cfg_dummy_peer_flags, EINVAL),
	C(net_cfg_dummy_peer_addr, EINVAL),
	C(net_cfg_dummy_peer_name, EINVAL),
	C(net_cfg_devs_before_addrs, EINVAL),
	C(net_cfg_addr_dev_unknown, EINVAL),
	C(net_cfg_addr_family_3, EINVAL),
	C(net_cfg_addr4_prefix_33, EINVAL),
	C(net_cfg_addr6_prefix_129, EINVAL),
	C(net_cfg_addr_flag_unknown, EINVAL),
	C(net_cfg_addr4_local_past_4, EINVAL),
	C(net_cfg_addr4_address_past_4, EINVAL),
	C(net_cfg_addr4_label_no_nul, EINVAL),
	C(net_cfg_addr6_address_differs, EINVAL),
	C(net_cfg_addr6_scope, EINVAL),
	C(net_cfg_addr6_broadcast, EINVAL),
	C(net_cfg_addr6_label, EINVAL),
	C(net_cfg_addr_pad, EINVAL),
	C(net_cfg_addr_pad2, EINVAL),
	C(net_cfg_addrs_before_routes, EINVAL),
	C(net_cfg_route_family_0, EINVAL),
	C(net_cfg_route4_dst_len_33, EINVAL),
	C(net_cfg_route6_dst_len_129, EINVAL),
	C(net_cfg_route_proto_kernel, EINVAL),
	C(net_cfg_route_type_local, EINVAL),
	C(net_cfg_route_type_0, EINVAL),
	C(net_cfg_route_oif_unknown, EINVAL),
	C(net_cfg_route_gateway_no_flag, EINVAL),
	C(net_cfg_route_prefsrc_no_flag, EINVAL),
	C(net_cfg_route_flag_unknown, EINVAL),
	C(net_cfg_route4_dst_past_4, EINVAL),
	C(net_cfg_route4_gateway_past_4, EINVAL),
	C(net_cfg_route_pad, EINVAL),
	C(net_cfg_route_pad2, EINVAL),
	C(regs_missing, EINVAL),
	C(regs_len_below_min, EINVAL),
	C(regs_len_above_max, E2BIG),
	C(regs_cs, EINVAL),
	C(regs_ss, EINVAL),
	C(regs_fs, EINVAL),
	C(regs_ip, EINVAL),
	C(regs_gs_base, EINVAL),
	C(regs_flags, EINVAL),
	C(regs_flags_all, 0),
	C(regs_orig_ax_max, 0),
	C(regs_orig_ax_above_max, EINVAL),
	C(regs_orig_ax_negative, EINVAL),
	C(xstate_missing, EINVAL),
	C(xstate_len_below_min, EINVAL),
	C(xstate_len_above_max, E2BIG),
	C(xstate_size, EINVAL),
	C(xstate_too_small, ENOEXEC),
	C(xstate_bv, EINVAL),
	C(xstate_xcomp_bv, EINVAL),
	C(xstate_reserved, EINVAL),
	C(xstate_pad, EINVAL),
	C(xstate_cut, ENODATA),
	C(signals_default, 0),
	C(sighand_limits, 0),
	C(sighand_len_below_min, EINVAL),
	C(sighand_len_above_max, E2BIG),
	C(sighand_flags, EINVAL),
	C(sighand_flags_high, EINVAL),
	C(sighand_handler, EINVAL),
	C(sighand_flags_before_handler, EINVAL),
	C(sighand_first_signal, EINVAL),
	C(sighand_sigkill_handler, EINVAL),
	C(sighand_sigstop_flags, EINVAL),
	C(signal_len_below_min, EINVAL),
	C(signal_len_above_max, E2BIG),
	C(signal_nr_pending_above_max, E2BIG),
	C(signal_len, EINVAL),
	C(signal_checkpoint_sigkill, EINVAL),
	C(signal_checkpoint_negative, EINVAL),
	C(signal_checkpoint_65, EINVAL),
	C(signal_it_real_value, EINVAL),
	C(signal_it_real_interval, EINVAL),
	C(signal_it_virt_value, EINVAL),
	C(signal_it_prof_interval, EINVAL),
	C(signal_it_prof_too_far, EINVAL),
	C(signal_siginfo_padding, EINVAL),
	C(signal_siginfo_fields_end, 0),
	C(signal_signo_0, EINVAL),
	C(signal_signo_65, EINVAL),
	C(signal_signo_negative, EINVAL),
	C(signal_padding_before_signo, EINVAL),
	C(pending_max, 0),
	C(task_signals_missing, EINVAL),
	C(task_signals_len_below_min, EINVAL),
	C(task_signals_len_above_max, E2BIG),
	C(task_signals_cut, ENODATA),
	C(task_signals_restore_mask, 0),
	C(task_signals_flags, EINVAL),
	C(task_signals_stopped, 0),
	C(task_signals_stopping_reported, EINVAL),
	C(task_signals_stopped_without_code, EINVAL),
	C(task_signals_stopped_thread, EINVAL),
	C(task_signals_stopped_and_stopping, EINVAL),
	C(task_signals_stopping_without_code, EINVAL),
	C(task_signals_stop_code_not_stop, EINVAL),
	C(task_signals_stop_code_65, EINVAL),
	C(task_signals_saved_sigmask, EINVAL),
	C(task_signals_nr_pending_above_max, E2BIG),
	C(task_signals_len, EINVAL),
	C(task_signals_stop_code_without_stop, EINVAL),
	C(task_signals_siginfo_padding, EINVAL),
	C(task_signals_signo_0, EINVAL),
	C(task_signals_signo_65, EINVAL),
	C(altstack_limits, 0),
	C(altstack_disabled_sp, EINVAL),
	C(altstack_disabled_size, EINVAL),
	C(altstack_flags, EINVAL),
	C(altstack_size_above_max, EINVAL),
	C(altstack_sp_above_max, EINVAL),
	C(altstack_size_below_min, EINVAL),
	C(altstack_none_not_disabled, EINVAL),
	C(sighand_ref_0, EBADR),
	C(sighand_ref_later, EBADR),
	C(sighand_ref_signal, EBADR),
	C(signal_ref_0, EBADR),
	C(signal_ref_sighand, EBADR),
	C(signal_ref_mm, EBADR),
	C(signal_ref_unknown, EBADR),
	C(mm_ref_before_sighand_ref, EBADR),
	C(signal_ref_before_thread_mm, EBADR),
	C(signal_ref_before_cred_ref, EBADR),
	C(files_empty, 0),
	C(files_max, 0),
	C(thread_own_files, 0),
	C(process_shares_files, 0),
	C(file_flags_known, 0),
	C(file_inherit_mode, 0),
	C(pipe_both_ends, 0),
	C(pipe_one_process, 0),
	C(pipe_writer_only, 0),
	C(pipe_empty, 0),
	C(pipe_nonblock, 0),
	C(pipe_max_size, 0),
	C(sock_unix_stream_pair, 0),
	C(sock_unix_dgram_pair, 0),
	C(sock_unix_seqpacket_pair, 0),
	C(sock_unix_pair_closed, 0),
	C(sock_unix_pair_max, 0),
	C(sock_unix_rights, 0),
	C(sock_unix_rights_max, 0),
	C(sock_fresh, 0),
	C(sock_bound_inet, 0),
	C(sock_unix_dgram_peer, 0),
	C(sock_listen, 0),
	C(sock_reset, 0),
	C(sock_lost, 0),
	C(sock_limits, 0),
	C(sock_nonblock, 0),
	C(sock_append_noatime, 0),
	C(sock_linger_forever, 0),
	C(sock_addr_min, 0),
	C(fs_chroot, 0),
	C(file_len_below_min, EINVAL),
	C(file_len_above_max, E2BIG),
	C(file_objref, EINVAL),
	C(file_truncated, ENODATA),
	C(file_kind_0, EINVAL),
	C(file_kind_17, EINVAL),
	C(file_f_flags, EINVAL),
	C(file_f_flags_high, EINVAL),
	C(file_pos_negative, EINVAL),
	C(file_len, EINVAL),
	C(file_inherit_path, EINVAL),
	C(file_no_path, EINVAL),
	C(file_path_relative, EINVAL),
	C(file_path_nul, EINVAL),
	C(file_path_no_nul, EINVAL),
	C(file_mode_reg, EINVAL),
	C(file_mode_dir, EINVAL),
	C(file_mode_chr, EINVAL),
	C(file_rdev, EINVAL),
	C(file_pipe_ref, EINVAL),
	C(file_path_before_mode, EINVAL),
	C(pipe_len_above_max, E2BIG),
	C(pipe_truncated, ENODATA),
	C(pipe_objref, EINVAL),
	C(pipe_size_unaligned, EINVAL),
	C(pipe_size_small, EINVAL),
	C(pipe_size_0, EINVAL),
	C(pipe_size_big, EINVAL),
	C(pipe_nr_bytes_above_size, EINVAL),
	C(pipe_len, EINVAL),
	C(pipe_ends_0, EINVAL),
	C(pipe_ends_unknown, EINVAL),
	C(pipe_pad, EINVAL),
	C(pipe_end_rdwr, EINVAL),
	C(pipe_end_flags, EINVAL),
	C(pipe_end_twice, EOPNOTSUPP),
	C(pipe_end_closed, EOPNOTSUPP),
	C(pipe_ref_0, EBADR),
	C(pipe_ref_undefined, EBADR),
	C(pipe_ref_signal, EBADR),
	C(pipe_ref_file, EBADR),
	C(pipe_ref_inherit, EINVAL),
	C(pipe_file_path, EINVAL),
	C(pipe_file_mode, EINVAL),
	C(pipe_file_rdev, EINVAL),
	C(pipe_mode_before_ref, EINVAL),
	C(pipe_ref_before_flags, EBADR),
	C(sock_path_len, EINVAL),
	C(sock_len, EINVAL),
	C(sock_mode, EINVAL),
	C(sock_mode_0, EINVAL),
	C(sock_rdev, EINVAL),
	C(sock_pipe_ref, EINVAL),
	C(sock_pos, EINVAL),
	C(sock_rdonly, EINVAL),
	C(sock_f_flags, EINVAL),
	C(sock_f_flags_largefile, EINVAL),
	C(sock_mode_before_flags, EINVAL),
	C(sock_flags_before_family, EINVAL),
	C(sock_family_netlink, EINVAL),
	C(sock_family_0, EINVAL),
	C(sock_unix_raw, EINVAL),
	C(sock_unix_protocol, EINVAL),
	C(sock_inet_raw, EINVAL),
	C(sock_inet_seqpacket, EINVAL),
	C(sock_tcp_protocol_udp, EINVAL),
	C(sock_udp_protocol_0, EINVAL),
	C(sock_state_0, EINVAL),
	C(sock_state_8, EINVAL),
	C(sock_lost_unix, EINVAL),
	C(sock_lost_type, EINVAL),
	C(sock_lost_opts, EINVAL),
	C(sock_state_pair_inet, EINVAL),
	C(sock_state_tcp_udp, EINVAL),
	C(sock_state_tcp_unix, EINVAL),
	C(sock_tcp_ref_0, EINVAL),
	C(sock_tcp_ref_unix_pair, EBADR),
	C(sock_listen_udp, EINVAL),
	C(sock_listen_unix_dgram, EINVAL),
	C(sock_state_before_protocol, EINVAL),
	C(sock_pair_ref_0, EINVAL),
	C(sock_pair_end_2, EINVAL),
	C(sock_listen_pair_ref, EBADR),
	C(sock_reset_end, EINVAL),
	C(sock_reset_udp, EINVAL),
	C(sock_reset_udp6, EINVAL),
	C(sock_opts_unknown, EINVAL),
	C(sock_opts_high, EINVAL),
	C(sock_nodelay_udp, EINVAL),
	C(sock_nodelay_unix, EINVAL),
	C(sock_v6only_inet, EINVAL),
	C(sock_v6only_unix, EINVAL),
	C(sock_sndbuf_0, EINVAL),
	C(sock_sndbuf_unset, EINVAL),
	C(sock_rcvbuf_negative, EINVAL),
	C(sock_rcvbuf_unset, EINVAL),
	C(sock_linger_above_max, EINVAL),
	C(sock_linger_below_forever, EINVAL),
	C(sock_linger_forever_unset, EINVAL),
	C(sock_linger_unset, EINVAL),
	C(sock_rcvlowat_negative, EINVAL),
	C(sock_backlog_above_int, EINVAL),
	C(sock_backlog_not_listening, EINVAL),
	C(sock_sndbuf_before_backlog, EINVAL),
	C(sock_addr_len_above_max, EINVAL),
	C(sock_addr_len_1, EINVAL),
	C(sock_addr_family, EINVAL),
	C(sock_peer_family, EINVAL),
	C(sock_peer_len_above_max, EINVAL),
	C(sock_listen_no_addr, EINVAL),
	C(sock_bound_no_addr, EINVAL),
	C(sock_fresh_addr, EINVAL),
	C(sock_pair_addr, EINVAL),
	C(sock_peer_tcp, EINVAL),
	C(sock_peer_reset, EINVAL),
	C(sock_peer_unix_stream, EINVAL),
	C(sock_addr_tail, EINVAL),
	C(sock_peer_tail, EINVAL),
	C(sock_addr_inet_short, EINVAL),
	C(sock_peer_inet_short, EINVAL),
	C(sock_addr_inet6_short, EINVAL),
	C(sock_peer_inet6_short, EINVAL),
	C(sock_addr_unix_unnamed, EINVAL),
	C(sock_peer_unix_unnamed, EINVAL),
	C(sock_addr_unix_above_sun, EINVAL),
	C(sock_peer_unix_above_sun, EINVAL),
	C(sock_addr_unix_path, 0),
	C(sock_listen_unix_path, 0),
	C(sock_addr_short_before_peer, EINVAL),
	C(sock_addr_len_before_tail, EINVAL),
	C(upair_len_below_min, EINVAL),
	C(upair_len_above_max, E2BIG),
	C(upair_truncated, ENODATA),
	C(upair_objref, EINVAL),
	C(upair_objref_pad, EINVAL),
	C(upair_type_raw, EINVAL),
	C(upair_type_0, EINVAL),
	C(upair_ends_0, EINVAL),
	C(upair_ends_unknown, EINVAL),
	C(upair_closed_end_data, EINVAL),
	C(upair_closed_end_shutdown, EINVAL),
	C(upair_closed_end_err, EINVAL),
	C(upair_shutdown, EINVAL),
	C(upair_err_epipe, EINVAL),
	C(upair_err_negative, EINVAL),
	C(upair_nr_bytes_above_max, EINVAL),
	C(upair_nr_msgs_above_max, EINVAL),
	C(upair_stream_msgs, EINVAL),
	C(upair_len, EINVAL),
	C(upair_msgs_sum, EINVAL),
	C(upair_dgram_no_msgs, EINVAL),
	C(upair_msgs_sum_wrap, EINVAL),
	C(upair_shutdown_before_bytes, EINVAL),
	C(upair_end0_before_end1, EINVAL),
	C(upair_fds_msg_above_max, EINVAL),
	C(upair_fds_sum, EINVAL),
	C(upair_fds_ref_0, EBADR),
	C(upair_fds_ref_pipe, EBADR),
	C(upair_fds_ref_mm, EBADR),
	C(upair_fds_ref_self, EBADR),
	C(upair_fds_ref_later, EBADR),
	C(upair_fds_ref_inherit, EINVAL),
	C(upair_stream_runs_no_fds, EINVAL),
	C(upair_stream_run_0, EINVAL),
	C(upair_stream_runs_sum, EINVAL),
	C(upair_fds_pad, EINVAL),
	C(upair_nr_fds_above_max, EINVAL),
	C(upair_closed_end_fds, EINVAL),
	C(upair_nr_fds_before_pad, EINVAL),
	C(upair_fds_pad_before_len, EINVAL),
	C(upair_fds_msg_before_sum, EINVAL),
	C(upair_fds_bytes_before_fds, EINVAL),
	C(upair_fds_sum_before_ref, EINVAL),
	C(upair_fds_end0_before_end1, EINVAL),
	C(upair_fds_pad_before_msgs, EINVAL),
	C(sock_pair_end_twice, EINVAL),
	C(sock_pair_end_closed, EINVAL),
	C(sock_pair_ref_later, EBADR),
	C(sock_pair_ref_file, EBADR),
	C(sock_pair_ref_pipe, EBADR),
	C(sock_pair_type, EINVAL),
	C(sock_pair_ref_before_end, EBADR),
	C(sock_pair_end_before_type, EINVAL),
	C(tcp_accept, 0),
	C(tcp_accept_client_first, 0),
	C(tcp_accept_inet6, 0),
	C(tcp_accept_no_conns, 0),
	C(tcp_accept_not_named, 0),
	C(tcp_accept_len_below_min, EINVAL),
	C(tcp_accept_len_above_max, E2BIG),
	C(tcp_accept_nr_conns_above_max, EINVAL),
	C(tcp_accept_len, EINVAL),
	C(tcp_accept_len_more, EINVAL),
	C(tcp_accept_pad, EINVAL),
	C(tcp_accept_ref_0, EBADR),
	C(tcp_accept_ref_self, EBADR),
	C(tcp_accept_ref_later, EBADR),
	C(tcp_accept_ref_mm, EBADR),
	C(tcp_accept_ref_file, EBADR),
	C(tcp_accept_conn_twice, EINVAL),
	C(tcp_accept_conn_two_queues, EINVAL),
	C(tcp_accept_conn_of_file, EINVAL),
	C(tcp_accept_conn_sent, EINVAL),
	C(tcp_accept_conn_snd_fin, EINVAL),
	C(tcp_accept_conn_taken, EINVAL),
	C(tcp_accept_ref_udp, EINVAL),
	C(tcp_accept_ref_unix, EINVAL),
	C(tcp_accept_end, EINVAL),
	C(tcp_accept_ref_tcp, EBADR),
	C(tcp_accept_ref_listener, EBADR),
	C(tcp_accept_twice, EINVAL),
	C(tcp_accept_twice_before_port, EINVAL),
	C(tcp_accept_family, EINVAL),
	C(tcp_accept_family_second, EINVAL),
	C(tcp_accept_port, EINVAL),
	C(tcp_accept_port_second, EINVAL),
	C(files_len_below_min, EINVAL),
	C(files_len_above_max, E2BIG),
	C(files_nr_fds_above_max, E2BIG),
	C(files_len, EINVAL),
	C(files_cut, ENODATA),
	C(files_fd_negative, EINVAL),
	C(files_fd_twice, EINVAL),
	C(files_fd_order, EINVAL),
	C(files_fd_flags, EINVAL),
	C(files_fd_pad, EINVAL),
	C(files_file_ref_0, EBADR),
	C(files_file_ref_later, EBADR),
	C(files_file_ref_self, EBADR),
	C(files_file_ref_mm, EBADR),
	C(files_file_ref_files, EBADR),
	C(files_pad, EINVAL),
	C(files_fd_before_pad, EBADR),
	C(fs_len_below_min, EINVAL),
	C(fs_len_above_max, E2BIG),
	C(fs_umask, EINVAL),
	C(fs_cwd_len_1, EINVAL),
	C(fs_root_len_above_max, EINVAL),
	C(fs_len, EINVAL),
	C(fs_cwd_relative, EINVAL),
	C(fs_cwd_no_nul, EINVAL),
	C(fs_root_relative, EINVAL),
	C(fs_pad, EINVAL),
	C(files_ref_0, EBADR),
	C(files_ref_later, EBADR),
	C(files_ref_fs, EBADR),
	C(files_ref_file, EBADR),
	C(fs_ref_0, EBADR),
	C(fs_ref_later, EBADR),
	C(fs_ref_files, EBADR),
	C(signal_ref_before_files_ref, EBADR),
	C(files_ref_before_fs_ref, EBADR),
	C(fs_ref_before_thread_mm, EBADR),
	C(fs_ref_before_cred_ref, EBADR),
	C(rb_poll, 0),
	C(rb_futex_shared_realtime, 0),
	C(rb_kind_0, EINVAL),
	C(rb_kind_4, EINVAL),
	C(rb_nanosleep_cpu_clock, EINVAL),
	C(rb_nanosleep_no_timeout, EINVAL),
	C(rb_nanosleep_rmtp_kernel, EINVAL),
	C(rb_futex_bitset_0, EINVAL),
	C(rb_futex_unaligned, EINVAL),
	C(rb_futex_unknown_flag, EINVAL),
	C(rb_poll_timeout_without_flag, EINVAL),
	C(rb_poll_nfds_above_int, EINVAL),
	C(rb_len_below_min, EINVAL),
	C(rb_cut, ENODATA),
	C(timers_oneshot, 0),
	C(timers_periodic_pending, 0),
	C(timers_sigev_none, 0),
	C(timers_thread_id, 0),
	C(timers_sigev_thread, 0),
	C(timers_pending_set_again, 0),
	C(timers_abstime, 0),
	C(timers_all_deleted, 0),
	C(timers_max, 0),
	C(timers_limits, 0),
	C(timers_len_below_min, EINVAL),
	C(timers_len_above_max, E2BIG),
	C(timers_len, EINVAL),
	C(timers_len_partial, EINVAL),
	C(timers_nr_above_max, E2BIG),
	C(timers_nr_u32_max, E2BIG),
	C(timers_nr_before_next_id, E2BIG),
	C(timers_next_id_above_int_max, EINVAL),
	C(timers_len_before_next_id, EINVAL),
	C(timers_id_order, EINVAL),
	C(timers_id_twice, EINVAL),
	C(timers_id_negative, EINVAL),
	C(timers_next_id_before_ids, EINVAL),
	C(timers_clock_monotonic_raw, EINVAL),
	C(timers_clock_alarm, EINVAL),
	C(timers_clock_cpu_of_pid, EINVAL),
	C(timers_id_before_clock, EINVAL),
	C(timers_flags, EINVAL),
	C(timers_flags_high, EINVAL),
	C(timers_pad, EINVAL),
	C(timers_notify_3, EINVAL),
	C(timers_notify_none_thread_id, EINVAL),
	C(timers_notify_thread_thread_id, EINVAL),
	C(timers_notify_negative, EINVAL),
	C(timers_notify_high, EINVAL),
	C(timers_flags_before_notify, EINVAL),
	C(timers_signo_0, EINVAL),
	C(timers_signo_65, EINVAL),
	C(timers_signo_negative, EINVAL),
	C(timers_signo_sigev_thread, EINVAL),
	C(timers_signo_thread_id, EINVAL),
	C(timers_notify_before_signo, EINVAL),
	C(timers_tid_without_thread_id, EINVAL),
	C(timers_tid_sigev_none, EINVAL),
	C(timers_thread_id_without_tid, EINVAL),
	C(timers_thread_id_tid_negative, EINVAL),
	C(timers_signo_before_tid, EINVAL),
	C(timers_pending_sigev_none, EINVAL),
	C(timers_pending_sigev_none_oneshot, EINVAL),
	C(timers_tid_before_pending_sigev_none, EINVAL),
	C(timers_pending_sigev_none_before_time, EINVAL),
	C(timers_value_negative, EINVAL),
	C(timers_interval_negative, EINVAL),
	C(timers_value_above_max, EINVAL),
	C(timers_interval_above_max, EINVAL),
	C(timers_cpu_value_too_far, EINVAL),
	C(timers_abstime_monotonic, EINVAL),
	C(timers_abstime_cpu, EINVAL),
	C(timers_abstime_value_0, EINVAL),
	C(timers_abstime_value_0_periodic, EINVAL),
	C(timers_abstime_clock_before_value_0, EINVAL),
	C(timers_overrun_below_minus_1, EINVAL),
	C(timers_overrun_last_negative, EINVAL),
	C(timers_pending_periodic_set_again, 0),
	C(timers_pending_periodic_value_0, EINVAL),
	C(timers_pending_periodic_cpu, EINVAL),
	C(timers_pending_periodic_cpu_set_again, 0),
	C(timers_pending_periodic_value_0_set_again, 0),
	C(timers_pending_oneshot_running, 0),
	C(timers_pending_overruns_before_waiting, EINVAL),
	C(timers_second_timer, EINVAL),
	C(timers_non_leader, EINVAL),
	C(timers_non_leader_bad, EINVAL),
	C(timers_before_restart_block, EINVAL),
	C(timers_cut, ENODATA),
	C(timers_error, EBADMSG),
	C(attrs_rt, 0),
	C(attrs_limits, 0),
	C(attrs_unset, 0),
	C(attrs_rseq_len_33, 0),
	C(attrs_missing, EINVAL),
	C(attrs_len_below_min, EINVAL),
	C(attrs_len_above_max, E2BIG),
	C(attrs_cut, ENODATA),
	C(attrs_error, EBADMSG),
	C(attrs_rlim, EINVAL),
	C(attrs_rlim_infinite_soft, EINVAL),
	C(attrs_rlim_first, EINVAL),
	C(attrs_nice_20, EINVAL),
	C(attrs_nice_minus_21, EINVAL),
	C(attrs_policy_4, EINVAL),
	C(attrs_policy_deadline, EINVAL),
	C(attrs_rt_priority_0, EINVAL),
	C(attrs_rt_priority_100, EINVAL),
	C(attrs_rt_priority_batch, EINVAL),
	C(attrs_flags, EINVAL),
	C(attrs_pdeath_signal_65, EINVAL),
	C(attrs_pdeath_signal_negative, EINVAL),
	C(attrs_dumpable_3, EINVAL),
	C(attrs_clear_child_tid, EINVAL),
	C(attrs_robust_list_len, EINVAL),
	C(attrs_robust_list_len_no_list, EINVAL),
	C(attrs_robust_list_addr, EINVAL),
	C(attrs_rseq_len_no_rseq, EINVAL),
	C(attrs_rseq_sig_no_rseq, EINVAL),
	C(attrs_rseq_len_31, EINVAL),
	C(attrs_rseq_len_above_page, EINVAL),
	C(attrs_rseq_unaligned, EINVAL),
	C(attrs_rseq_unaligned_long, EINVAL),
	C(attrs_rseq_addr, EINVAL),
	C(attrs_rlim_before_nice, EINVAL),
	C(attrs_robust_list_before_rseq, EINVAL),
	C(tfd_clocks, 0),
	C(tfd_limits, 0),
	C(epoll_watch, 0),
	C(epoll_empty, 0),
	C(epoll_sockets, 0),
	C(epoll_oneshot_fired, 0),
	C(epoll_nested_max, 0),
	C(tfd_path_len, EINVAL),
	C(tfd_path_len_eventfd, EINVAL),
	C(tfd_len, EINVAL),
	C(tfd_mode, EINVAL),
	C(tfd_rdev, EINVAL),
	C(tfd_pipe_ref, EINVAL),
	C(tfd_pos, EINVAL),
	C(tfd_len_before_mode, EINVAL),
	C(tfd_clock_alarm, EINVAL),
	C(tfd_clock_tai, EINVAL),
	C(tfd_clock_cpu, EINVAL),
	C(tfd_clock_negative, EINVAL),
	C(tfd_flags_cancel_on_set, EINVAL),
	C(tfd_flags_high, EINVAL),
	C(tfd_abstime_monotonic, EINVAL),
	C(tfd_abstime_boottime, EINVAL),
	C(tfd_value_above_max, EINVAL),
	C(tfd_interval_above_max, EINVAL),
	C(tfd_clock_before_flags, EINVAL),
	C(tfd_flags_before_value, EINVAL),
	C(tfd_mode_before_clock, EINVAL),
	C(epoll_path_len, EINVAL),
	C(epoll_items_above_max, EINVAL),
	C(epoll_len, EINVAL),
	C(epoll_mode, EINVAL),
	C(epoll_rdev, EINVAL),
	C(epoll_pipe_ref, EINVAL),
	C(epoll_pos, EINVAL),
	C(epoll_rdonly, EINVAL),
	C(epoll_append, 0),
	C(epoll_largefile, EINVAL),
	C(epoll_mode_before_flags, EINVAL),
	C(epoll_len_before_mode, EINVAL),
	C(epoll_item_fd_negative, EINVAL),
	C(epoll_item_events, EINVAL),
	C(epoll_item_events_bit11, EINVAL),
	C(epoll_item_pad, EINVAL),
	C(epoll_item_ref_0, EBADR),
	C(epoll_item_ref_self, EBADR),
	C(epoll_item_ref_later, EBADR),
	C(epoll_item_ref_pipe, EBADR),
	C(epoll_item_ref_files, EBADR),
	C(epoll_item_fd_before_events, EINVAL),
	C(epoll_item_pad_before_ref, EINVAL),
	C(epoll_item_ref_before_next_fd, EBADR),
	C(epoll_exclusive_epoll, EINVAL),
	C(epoll_exclusive_events, EINVAL),
	C(epoll_exclusive_oneshot, EINVAL),
	C(epoll_nested_too_deep, ELOOP),
	C(epoll_item_twice, EEXIST),
	C(epoll_inherit_twice, EEXIST),
	C(epoll_check_before_add, EINVAL),
	C(pidfd, 0),
	C(pidfd_zombie_epoll, 0),
	C(pidfd_append_noatime, 0),
	C(pidfd_minor_17, 0),
	C(pidfd_own_thread, 0),
	C(pidfd_reaped, 0),
	C(pidfd_size, EINVAL),
	C(pidfd_path_len, EINVAL),
	C(pidfd_path_len_timerfd, EINVAL),
	C(pidfd_len, EINVAL),
	C(pidfd_mode, EINVAL),
	C(pidfd_rdev, EINVAL),
	C(pidfd_pipe_ref, EINVAL),
	C(pidfd_pos, EINVAL),
	C(pidfd_wronly, EINVAL),
	C(pidfd_rdonly, EINVAL),
	C(pidfd_excl, EINVAL),
	C(pidfd_largefile, EINVAL),
	C(pidfd_async, EINVAL),
	C(pidfd_len_before_mode, EINVAL),
	C(pidfd_mode_before_flags, EINVAL),
	C(pidfd_pos_before_pid, EINVAL),
	C(pidfd_flags, EINVAL),
	C(pidfd_flags_high, EINVAL),
	C(pidfd_flags_before_pid, EINVAL),
	C(pidfd_pid_absent, EINVAL),
	C(pidfd_pid_absent_thread, EINVAL),
	C(pidfd_pid_negative, EINVAL),
	C(pidfd_pid_above_max, EINVAL),
	C(pidfd_pid_sid, EINVAL),
	C(pidfd_thread_as_process, EINVAL),
	C(pidfd_own_thread_as_process, EINVAL),
	C(memfd, 0),
	C(memfd_name_max, 0),
	C(memfd_size_max, 0),
	C(memfd_seals_mode_all, 0),
	C(vma_memfd_pgoff_last, 0),
	C(memfd_len_below_min, EINVAL),
	C(memfd_len_above_max, E2BIG),
	C(memfd_objref, EINVAL),
	C(memfd_name_len_0, EINVAL),
	C(memfd_name_len, EINVAL),
	C(memfd_name_too_long, E2BIG),
	C(memfd_name_no_nul, EINVAL),
	C(memfd_name_nul, EINVAL),
	C(memfd_name_empty_no_nul, EINVAL),
	C(memfd_size_above_max, EINVAL),
	C(memfd_seals_unknown, EINVAL),
	C(memfd_seals_high, EINVAL),
	C(memfd_mode_type, EINVAL),
	C(memfd_mode_high, EINVAL),
	C(memfd_flags_unknown, EINVAL),
	C(memfd_flags_below_huge_mask, EINVAL),
	C(memfd_unlinked_sealed, EINVAL),
	C(memfd_unlinked_exe, 0),
	C(memfd_name_before_size, EINVAL),
	C(memfd_size_before_seals, EINVAL),
	C(memfd_seals_before_mode, EINVAL),
	C(memfd_mode_before_flags, EINVAL),
	C(memfd_pages_beyond_size, EINVAL),
	C(memfd_pages_overrun, EINVAL),
	C(memfd_pages_size_0, EINVAL),
	C(memfd_pages_order, EINVAL),
	C(memfd_pages_unaligned, EINVAL),
	C(memfd_pages_nr_0, EINVAL),
	C(memfd_pages_pad, EINVAL),
	C(memfd_pages_cut, ENODATA),
	C(memfd_truncated, ENODATA),
	C(memfd_size_before_pages, EINVAL),
	C(memfd_pages_error, EBADMSG),
	C(vma_memfd_noreserve, 0),
	C(vma_memfd_private_noreserve, 0),
	C(memfd_hugetlb, 0),
	C(memfd_hugetlb_empty, 0),
	C(memfd_hugetlb_unlinked, EINVAL),
	C(memfd_hugetlb_shift_0, EINVAL),
	C(memfd_hugetlb_shift_12, EINVAL),
	C(memfd_hugetlb_shift_22, EINVAL),
	C(memfd_hugetlb_shift_63, EINVAL),
	C(memfd_huge_shift_no_hugetlb, EINVAL),
	C(memfd_hugetlb_size_unaligned, EINVAL),
	C(memfd_hugetlb_size_1g_unaligned, EINVAL),
	C(memfd_hugetlb_flags_before_size, EINVAL),
	C(memfd_hugetlb_pages_beyond_size, EINVAL),
	C(memfd_file_path, EINVAL),
	C(memfd_file_len, EINVAL),
	C(memfd_file_f_flags, EINVAL),
	C(memfd_file_pos_negative, EINVAL),
	C(memfd_file_mode, EINVAL),
	C(memfd_file_mode_0, EINVAL),
	C(memfd_file_rdev, EINVAL),
	C(memfd_ref_0, EBADR),
	C(memfd_ref_undefined, EBADR),
	C(memfd_ref_later, EBADR),
	C(memfd_ref_mm, EBADR),
	C(memfd_ref_file, EBADR),
	C(memfd_ref_pipe, EBADR),
	C(memfd_mode_before_ref, EINVAL),
	C(memfd_ref_reg, EINVAL),
	C(pipe_ref_memfd, EBADR),
	C(vma_memfd_no_payload, EINVAL),
	C(vma_memfd_path, EINVAL),
	C(vma_memfd_pgoff_beyond_files, EINVAL),
	C(vma_memfd_ino, EINVAL),
	C(vma_memfd_private_dev, EINVAL),
	C(vma_memfd_size, EINVAL),
	C(vma_memfd_mtime, EINVAL),
	C(vma_memfd_mtime_nsec, EINVAL),
	C(vma_memfd_ref_0, EBADR),
	C(vma_memfd_private_ref_0, EBADR),
	C(vma_memfd_ref_later, EBADR),
	C(vma_memfd_ref_self, EBADR),
	C(vma_memfd_ref_file, EBADR),
	C(vma_memfd_ref_shmem, EBADR),
	C(vma_shmem_ref_memfd, EBADR),
	C(vma_shmem_private_memfd, EINVAL),
	C(vma_memfd_pad, EINVAL),
	C(vma_memfd_pages_shared, EINVAL),
	C(vma_memfd_pages_outside, EINVAL),
	C(vma_memfd_fields_before_ref, EINVAL),
	C(vma_memfd_ref_before_pad, EBADR),
	C(epoll_noatime, 0),
	C(epoll_async, EINVAL),
	C(tfd_append_noatime, 0),
	C(tfd_largefile, EINVAL),
	C(tfd_rdonly, EINVAL),
	C(tfd_async, EINVAL),
	C(tfd_pos_before_flags, EINVAL),
	C(pipe_end_packet, 0),
	C(pipe_end_async, EINVAL),
	C(pipe_end_directory, EINVAL),
	C(file_stat_limits, 0),
	C(file_size_dir, EINVAL),
	C(file_mtime_chr, EINVAL),
	C(file_mtime_negative_inherit, EINVAL),
	C(file_mtime_nsec_pipe, EINVAL),
	C(file_mtime_nsec_second, EINVAL),
	C(file_mtime_nsec_high, EINVAL),
	C(file_stat_pad, EINVAL),
	C(file_stat_pad_dir, EINVAL),
	C(file_size_memfd, EINVAL),
	C(file_size_socket, EINVAL),
	C(file_mtime_tfd, EINVAL),
	C(file_size_epoll, EINVAL),
	C(file_kind_before_stat, EINVAL),
	C(file_stat_before_flags, EINVAL),
	C(file_stat_before_epoll, EINVAL),
	C(file_size_before_mtime, EINVAL),
	C(file_nsec_before_pad, EINVAL),
	C(file_chr_devices, 0),
	C(file_chr_random, 0),
	C(file_chr_mem, EINVAL),
	C(file_chr_kmsg, EINVAL),
	C(file_chr_tty, EINVAL),
	C(file_chr_rdev_0, EINVAL),
	C(file_chr_minor_high, EINVAL),
	C(file_chr_major_high, EINVAL),
	C(file_chr_mode_before_rdev, EINVAL),
	C(memfd_file_directory, EINVAL),
	C(memfd_file_mode_before_directory, EINVAL),
	C(memfd_file_directory_before_ref, EINVAL),
	C(file_proc, 0),
	C(file_proc_mode_chr, EINVAL),
	C(file_proc_mode_link, EINVAL),
	C(file_proc_rdev, EINVAL),
	C(file_proc_size, EINVAL),
	C(file_proc_no_path, EINVAL),
	C(file_proc_relative, EINVAL),
	C(file_proc_pipe_ref, EINVAL),
	C(pty, 0),
	C(pty_locked_eof, 0),
	C(pty_len, EINVAL),
	C(pty_path_len, EINVAL),
	C(pty_path_rel, EINVAL),
	C(pty_flags, EINVAL),
	C(pty_pktstatus, EINVAL),
	C(pty_pktstatus_bits, EINVAL),
	C(pty_master_acc, EINVAL),
	C(pty_session, EINVAL),
	C(pty_fg_pgrp, EINVAL),
	C(pty_line, EINVAL),
	C(pty_pad, EINVAL),
	C(pty_termios_pad, EINVAL),
	C(pty_qlen, EINVAL),
	C(pty_canon, EINVAL),
	C(pty_pending, EINVAL),
	C(pty_qflags, EINVAL),
	C(pty_canon_raw, EINVAL),
	C(pty_push_raw, EINVAL),
	C(pty_lnext_raw, EINVAL),
	C(pty_end_past, EINVAL),
	C(pty_no_end, EINVAL),
	C(ptyfile_end, EINVAL),
	C(ptyfile_pad, EINVAL),
	C(ptyfile_mode, EINVAL),
	C(ptyfile_rdev, EINVAL),
	C(ptyfile_pos, EINVAL),
	C(ptyfile_flags, EINVAL),
	C(ptyfile_len, EINVAL),
	C(ptyfile_ref, EBADR),
	C(ptyfile_master_twice, EINVAL),
	C(ptyfile_master_acc, EINVAL),
	C(locks, 0),
	C(locks_pipe_end, 0),
	C(locks_posix_any_fd, 0),
	C(locks_ofd_only, 0),
	C(locks_len_below_min, EINVAL),
	C(locks_len_above_max, E2BIG),
	C(locks_nr_0, EINVAL),
	C(locks_nr_above_max, EINVAL),
	C(locks_len, EINVAL),
	C(locks_pad, EINVAL),
	C(locks_nr_before_pad, EINVAL),
	C(locks_cut, ENODATA),
	C(locks_kind_0, EINVAL),
	C(locks_kind_4, EINVAL),
	C(locks_posix_after_file, EINVAL),
	C(locks_flock_after_table, EINVAL),
	C(locks_ofd_after_table, EINVAL),
	C(locks_inherit, EINVAL),
	C(locks_kind_before_inherit, EINVAL),
	C(locks_file_fd, EINVAL),
	C(locks_file_fd_negative, EINVAL),
	C(locks_type_unlck, EINVAL),
	C(locks_type_high, EINVAL),
	C(locks_lock_pad, EINVAL),
	C(locks_start_negative, EINVAL),
	C(locks_end_before_start, EINVAL),
	C(locks_end_negative, EINVAL),
	C(locks_flock_start, EINVAL),
	C(locks_flock_end, EINVAL),
	C(locks_flock_twice, EINVAL),
	C(locks_posix_fd_missing, EINVAL),
	C(locks_posix_fd_other_table, EINVAL),
	C(locks_posix_fd_negative, EINVAL),
	C(locks_posix_fd_empty_table, EINVAL),
	C(locks_kind_before_fd, EINVAL),
	C(locks_fd_before_type, EINVAL),
	C(locks_type_before_pad, EINVAL),
	C(locks_pad_before_range, EINVAL),
	C(locks_range_before_fd, EINVAL),
	C(locks_bad_before_flock_twice, EINVAL),
	C(locks_in_order, EINVAL),
	C(locks_posix_write_read_only, EINVAL),
	C(locks_ofd_read_write_only, EINVAL),
	C(locks_flock_path, EINVAL),
	C(locks_fd_before_mode, EINVAL),
	C(locks_twice, EINVAL),
	C(locks_before_objects, EINVAL),
	C(locks_after_fs, EINVAL),
	C(sysv_ipc, 0),
	C(sysv_ipc_unmapped, 0),
	C(sysv_ipc_shm_only, 0),
	C(sysv_ipc_msg_only, 0),
	C(sysv_ipc_sem_only, 0),
	C(sysv_ipc_uts_single_task, 0),
	C(sysv_ipc_ids, 0),
	C(sysv_ipc_perm_limits, 0),
	C(sysv_ipc_shm_dest, 0),
	C(sysv_ipc_shm_size_max, 0),
	C(sysv_ipc_shm_one_byte, 0),
	C(sysv_ipc_msg_limits, 0),
	C(sysv_ipc_msg_empty, 0),
	C(sysv_ipc_sem_limits, 0),
	C(ipc_no_ns, EINVAL),
	C(ipc_ns_uts, EINVAL),
	C(ipc_after_objects, EINVAL),
	C(ipc_task_2, EINVAL),
	C(ipc_before_tail, EINVAL),
	C(ipc_then_error, EBADMSG),
	C(ipc_owner_before_place, EINVAL),
	C(ipc_shm_id_twice, EINVAL),
	C(ipc_msg_id_order, EINVAL),
	C(ipc_sem_id_order, EINVAL),
	C(ipc_msg_before_shm, EINVAL),
	C(ipc_sem_before_msg, EINVAL),
	C(ipc_shm_id_negative, EINVAL),
	C(ipc_msg_id_min, EINVAL),
	C(ipc_sem_mode_sticky, EINVAL),
	C(ipc_msg_mode_high, EINVAL),
	C(ipc_shm_perm_pad, EINVAL),
	C(ipc_sem_perm_pad, EINVAL),
	C(ipc_shm_uid, EINVAL),
	C(ipc_msg_gid, EINVAL),
	C(ipc_sem_cuid, EINVAL),
	C(ipc_shm_cgid, EINVAL),
	C(ipc_id_before_mode, EINVAL),
	C(ipc_mode_before_pad, EINVAL),
	C(ipc_pad_before_owner, EINVAL),
	C(ipc_owner_before_order, EINVAL),
	C(ipc_order_before_size, EINVAL),
	C(ipc_shm_len_below_min, EINVAL),
	C(ipc_shm_len_above_max, E2BIG),
	C(ipc_shm_objref, EINVAL),
	C(ipc_shm_size_0, EINVAL),
	C(ipc_shm_size_above_max, EINVAL),
	C(ipc_shm_flags, EINVAL),
	C(ipc_shm_flags_high, EINVAL),
	C(ipc_shm_dest_key, EINVAL),
	C(ipc_shm_huge_shift, EINVAL),
	C(ipc_shm_huge_shift_high, EINVAL),
	C(ipc_shm_size_before_flags, EINVAL),
	C(ipc_shm_flags_before_key, EINVAL),
	C(ipc_shm_huge_shift_before_key, EINVAL),
	C(ipc_shm_huge_shift_before_pages, EINVAL),
	C(ipc_shm_pages_beyond_size, EINVAL),
	C(ipc_shm_pages_overrun, EINVAL),
	C(ipc_shm_pages_unaligned, EINVAL),
	C(ipc_shm_pages_order, EINVAL),
	C(ipc_shm_pages_nr_0, EINVAL),
	C(ipc_shm_pages_pad, EINVAL),
	C(ipc_shm_truncated, ENODATA),
	C(ipc_shm_pages_cut, ENODATA),
	C(sysv_ipc_shm_hugetlb, 0),
	C(sysv_ipc_shm_hugetlb_removed, 0),
	C(ipc_shm_hugetlb_shift_0, EINVAL),
	C(ipc_shm_hugetlb_shift_12, EINVAL),
	C(ipc_shm_hugetlb_shift_22, EINVAL),
	C(ipc_shm_hugetlb_shift_48, EINVAL),
	C(ipc_shm_hugetlb_shift_high, EINVAL),
	C(ipc_shm_hugetlb_flags_before_shift, EINVAL),
	C(ipc_shm_hugetlb_size_before_shift, EINVAL),
	C(ipc_shm_hugetlb_pages_beyond, EINVAL),
	C(vma_sysvshm_hugetlb_size, EINVAL),
	C(vma_sysvshm_noreserve, EINVAL),
	C(ipc_msg_len_below_min, EINVAL),
	C(ipc_msg_len_above_max, E2BIG),
	C(ipc_msg_objref, EINVAL),
	C(ipc_msg_qbytes, EINVAL),
	C(ipc_msg_nr_msgs, EINVAL),
	C(ipc_msg_pad, EINVAL),
	C(ipc_msg_qbytes_before_nr, EINVAL),
	C(ipc_msg_nr_before_pad, EINVAL),
	C(ipc_msg_text_missing, EINVAL),
	C(ipc_msg_text_extra, EINVAL),
	C(ipc_msg_text_mtype_0, EINVAL),
	C(ipc_msg_text_mtype_negative, EINVAL),
	C(ipc_msg_text_size, EINVAL),
	C(ipc_msg_text_size_above_max, EINVAL),
	C(ipc_msg_text_len_above_max, E2BIG),
	C(ipc_msg_text_len_below_min, EINVAL),
	C(ipc_msg_text_pad, EINVAL),
	C(ipc_msg_qbytes_exceeded, EINVAL),
	C(ipc_msg_qbytes_0, EINVAL),
	C(ipc_msg_mtype_before_size, EINVAL),
	C(ipc_msg_text_size_before_pad, EINVAL),
	C(ipc_msg_text_pad_before_qbytes, EINVAL),
	C(ipc_msg_text_cut, ENODATA),
	C(ipc_msg_text_error, EBADMSG),
	C(ipc_sem_len_below_min, EINVAL),
	C(ipc_sem_len_above_max, E2BIG),
	C(ipc_sem_objref, EINVAL),
	C(ipc_sem_nsems_0, EINVAL),
	C(ipc_sem_nsems_above_max, EINVAL),
	C(ipc_sem_len, EINVAL),
	C(ipc_sem_value, ERANGE),
	C(ipc_sem_value_ffff, ERANGE),
	C(ipc_sem_pad, EINVAL),
	C(ipc_sem_nsems_before_len, EINVAL),
	C(ipc_sem_len_before_values, EINVAL),
	C(ipc_sem_value_before_pad, ERANGE),
	C(vma_sysvshm_exec, 0),
	C(vma_sysvshm_locked, EINVAL),
	C(vma_sysvshm_no_payload, EINVAL),
	C(vma_sysvshm_private, EINVAL),
	C(vma_sysvshm_pgoff, EINVAL),
	C(vma_sysvshm_pgoff_beyond_files, EINVAL),
	C(vma_sysvshm_ino, EINVAL),
	C(vma_sysvshm_dev, EINVAL),
	C(vma_sysvshm_size, EINVAL),
	C(vma_sysvshm_mtime, EINVAL),
	C(vma_sysvshm_mtime_nsec, EINVAL),
	C(vma_sysvshm_no_read, EINVAL),
	C(vma_sysvshm_no_mayread, EINVAL),
	C(vma_sysvshm_mprotect, EINVAL),
	C(vma_sysvshm_write_no_maywrite, EINVAL),
	C(vma_sysvshm_growsdown, EINVAL),
	C(vma_sysvshm_ref_0, EBADR),
	C(vma_sysvshm_ref_msg, EBADR),
	C(vma_sysvshm_ref_sem, EBADR),
	C(vma_sysvshm_ref_shmem, EBADR),
	C(vma_shmem_ref_sysv, EBADR),
	C(vma_memfd_ref_sysv, EBADR),
	C(vma_sysvshm_size_short, EINVAL),
	C(vma_sysvshm_size_long, EINVAL),
	C(vma_sysvshm_pad, EINVAL),
	C(vma_sysvshm_pages, EINVAL),
	C(vma_sysvshm_fields_before_flags, EINVAL),
	C(vma_sysvshm_flags_before_ref, EINVAL),
	C(vma_sysvshm_ref_before_size, EBADR),
	C(vma_sysvshm_size_before_pad, EINVAL),
	C(vma_sysvshm_ref_later, EBADR),
	C(sysv_undo, 0),
	C(sysv_undo_sets, 0),
	C(sysv_undo_some_sets, 0),
	C(sysv_undo_limits, 0),
	C(sysv_undo_single_task, 0),
	C(ipc_undo_thread, EINVAL),
	C(ipc_undo_thread_of_cat, EINVAL),
	C(ipc_undo_twice, EINVAL),
	C(ipc_undo_before_tail, EINVAL),
	C(ipc_undo_before_sets, EBADR),
	C(ipc_undo_no_ipc, EBADR),
	C(ipc_undo_thread_before_nr_sets, EINVAL),
	C(ipc_undo_nr_sets_before_twice, EINVAL),
	C(ipc_undo_pad_before_twice, EINVAL),
	C(ipc_undo_twice_before_adj, EINVAL),
	C(ipc_undo_thread_before_objref, EINVAL),
	C(ipc_undo_len_below_min, EINVAL),
	C(ipc_undo_len_above_max, E2BIG),
	C(ipc_undo_objref, EINVAL),
	C(ipc_undo_objref_pad, EINVAL),
	C(ipc_undo_nr_sets_0, EINVAL),
	C(ipc_undo_nr_sets_above_max, EINVAL),
	C(ipc_undo_nr_sets_high, EINVAL),
	C(ipc_undo_nr_sets_max, EINVAL),
	C(ipc_undo_pad, EINVAL),
	C(ipc_undo_nr_sets_before_pad, EINVAL),
	C(ipc_undo_pad_before_adj, EINVAL),
	C(ipc_undo_truncated, ENODATA),
	C(ipc_undo_adj_missing, EINVAL),
	C(ipc_undo_adj_extra, EINVAL),
	C(ipc_undo_adj_alone, EINVAL),
	C(ipc_undo_adj_retyped, EINVAL),
	C(ipc_undo_adj_len_below_min, EINVAL),
	C(ipc_undo_adj_len_above_max, E2BIG),
	C(ipc_undo_adj_len, EINVAL),
	C(ipc_undo_adj_len_short, EINVAL),
	C(ipc_undo_adj_nsems_above_max, EINVAL),
	C(ipc_undo_adj_nsems_huge, EINVAL),
	C(ipc_undo_adj_semid_unknown, EBADR),
	C(ipc_undo_adj_semid_negative, EBADR),
	C(ipc_undo_adj_semid_shm, EBADR),
	C(ipc_undo_adj_semid_msg, EBADR),
	C(ipc_undo_adj_semid_next_seq, EBADR),
	C(ipc_undo_adj_nsems_fewer, EINVAL),
	C(ipc_undo_adj_nsems_more, EINVAL),
	C(ipc_undo_adj_nsems_0, EINVAL),
	C(ipc_undo_adj_order, EINVAL),
	C(ipc_undo_adj_twice, EINVAL),
	C(ipc_undo_adj_order_last, EINVAL),
	C(ipc_undo_adj_len_before_semid, EINVAL),
	C(ipc_undo_adj_semid_before_nsems, EBADR),
	C(ipc_undo_adj_nsems_before_order, EINVAL),
	C(ipc_undo_adj_cut, ENODATA),
	C(ipc_undo_adj_error, EBADMSG),
	C(mqueue, 0),
	C(mqueue_after_sysv, 0),
	C(mqueue_ns_only, 0),
	C(mqueue_notify, 0),
	C(mqueue_notify_none_stale, 0),
	C(mqueue_notify_sigrtmax, 0),
	C(mqueue_limits, 0),
	C(mqueue_names, 0),
	C(mqueue_mode_suid, 0),
	C(mqueue_file_by_name, 0),
	C(mqueue_file_flags, 0),
	C(mqueue_file_name_max, 0),
	C(mq_ns_queues_max, EINVAL),
	C(mq_ns_msg_max_0, EINVAL),
	C(mq_ns_msg_max_above_max, EINVAL),
	C(mq_ns_msgsize_max_below_min, EINVAL),
	C(mq_ns_msgsize_max_above_max, EINVAL),
	C(mq_ns_msg_default_0, EINVAL),
	C(mq_ns_msgsize_default_above_max, EINVAL),
	C(mq_ns_pad, EINVAL),
	C(mq_ns_limits_before_pad, EINVAL),
	C(mq_ns_len_below_min, EINVAL),
	C(mq_ns_len_above_max, E2BIG),
	C(mq_ns_no_ns, EINVAL),
	C(mq_ns_uts, EINVAL),
	C(mq_ns_after_objects, EINVAL),
	C(mq_ns_task_2, EINVAL),
	C(mq_ns_place_before_limits, EINVAL),
	C(mq_no_limits, EINVAL),
	C(mq_first, EINVAL),
	C(mq_place_before_name, EINVAL),
	C(mq_order, EINVAL),
	C(mq_name_twice, EINVAL),
	C(mq_name_prefix, EINVAL),
	C(mq_name_slash, EINVAL),
	C(mq_name_leading_slash, EINVAL),
	C(mq_name_dot, EINVAL),
	C(mq_name_dotdot, EINVAL),
	C(mq_name_empty, EINVAL),
	C(mq_name_tail, EINVAL),
	C(mq_name_tail_before_order, EINVAL),
	C(mq_name_no_nul, EINVAL),
	C(mq_mode, EINVAL),
	C(mq_uid, EINVAL),
	C(mq_gid, EINVAL),
	C(mq_mode_before_owner, EINVAL),
	C(mq_maxmsg_0, EINVAL),
	C(mq_maxmsg_negative, EINVAL),
	C(mq_maxmsg_above_max, EINVAL),
	C(mq_msgsize_0, EINVAL),
	C(mq_msgsize_above_max, EINVAL),
	C(mq_nr_msgs_above_maxmsg, EINVAL),
	C(mq_maxmsg_before_nr_msgs, EINVAL),
	C(mq_atime_nsec, EINVAL),
	C(mq_ctime_nsec, EINVAL),
	C(mq_pad, EINVAL),
	C(mq_notify_before_pad, EINVAL),
	C(mq_len_below_min, EINVAL),
	C(mq_len_above_max, E2BIG),
	C(mq_notify_no_pid, EINVAL),
	C(mq_notify_signo_no_pid, EINVAL),
	C(mq_notify_flags_no_pid, EINVAL),
	C(mq_notify_value_no_pid, EINVAL),
	C(mq_notify_thread, EINVAL),
	C(mq_notify_thread_id, EINVAL),
	C(mq_notify_none_signo, EINVAL),
	C(mq_notify_none_value, EINVAL),
	C(mq_notify_signo_65, EINVAL),
	C(mq_notify_signo_negative, EINVAL),
	C(mq_notify_flags, EINVAL),
	C(mq_notify_pid_absent, EINVAL),
	C(mq_notify_pid_thread, EINVAL),
	C(mq_notify_pid_negative, EINVAL),
	C(mq_notify_pid_before_kind, EINVAL),
	C(mq_msg_prio, EINVAL),
	C(mq_msg_prio_before_size, EINVAL),
	C(mq_msg_size_above_msgsize, EINVAL),
	C(mq_msg_len_above_msgsize, E2BIG),
	C(mq_msg_len_above_max, E2BIG),
	C(mq_msg_len, EINVAL),
	C(mq_msg_len_below_min, EINVAL),
	C(mq_msg_missing, EINVAL),
	C(mq_msg_extra, EINVAL),
	C(mq_msg_cut, ENODATA),
	C(mq_msg_error, EBADMSG),
	C(mq_file_size, EINVAL),
	C(mq_file_len, EINVAL),
	C(mq_file_root, EINVAL),
	C(mq_file_path_len_above_max, EINVAL),
	C(mq_file_relative, EINVAL),
	C(mq_file_slash, EINVAL),
	C(mq_file_dot, EINVAL),
	C(mq_file_dotdot, EINVAL),
	C(mq_file_name_empty, EINVAL),
	C(mq_file_no_nul, EINVAL),
	C(mq_file_path_nul_early, EINVAL),
	C(mq_file_name_before_flags, EINVAL),
	C(mq_file_directory, EINVAL),
	C(mq_file_async, EINVAL),
	C(mq_file_accmode_3, EINVAL),
	C(mq_file_flags_before_mode, EINVAL),
	C(mq_file_pos, EINVAL),
	C(mq_file_mode, EINVAL),
	C(mq_file_rdev, EINVAL),
	C(mq_file_by_name_in_ns, EINVAL),
	C(mq_file_by_name_in_ns_no_queues, EINVAL),
	C(mq_file_mode_before_ns, EINVAL),
	C(mq_file_ref_mm, EBADR),
	C(mq_file_ref_limits, EBADR),
	C(mq_file_ref_later, EBADR),
	C(mq_file_ref_no_ns, EBADR),
	C(mq_file_name_mismatch, EINVAL),
	C(mq_file_name_prefix, EINVAL),
	C(inotify, 0),
	C(inotify_empty, 0),
	C(inotify_overflow, 0),
	C(inotify_limits, 0),
	C(inotify_watch_types, 0),
	C(inotify_shared, 0),
	C(inotify_in_epoll, 0),
	C(inotify_flock, 0),
	C(inotify_minor_23, 0),
	C(inotify_max_events_1, 0),
	C(inotify_watch_no_event, 0),
	C(inotify_path_len, EINVAL),
	C(inotify_len, EINVAL),
	C(inotify_mode, EINVAL),
	C(inotify_rdev, EINVAL),
	C(inotify_pipe_ref, EINVAL),
	C(inotify_pos, EINVAL),
	C(inotify_rdwr, EINVAL),
	C(inotify_largefile, EINVAL),
	C(inotify_async, EINVAL),
	C(inotify_size, EINVAL),
	C(inotify_len_before_mode, EINVAL),
	C(inotify_mode_before_flags, EINVAL),
	C(inotify_watches_above_max, EINVAL),
	C(inotify_events_above_max, EINVAL),
	C(inotify_next_wd_0, EINVAL),
	C(inotify_next_wd_negative, EINVAL),
	C(inotify_max_events_0, EINVAL),
	C(inotify_flags_before_counts, EINVAL),
	C(inotify_next_wd_before_max_events, EINVAL),
	C(inotify_watch_missing, EINVAL),
	C(inotify_watch_not_counted, EINVAL),
	C(inotify_watch_len_below_min, EINVAL),
	C(inotify_watch_len_above_max, E2BIG),
	C(inotify_watch_wd_0, EINVAL),
	C(inotify_watch_wd_negative, EINVAL),
	C(inotify_watch_wd_twice, EINVAL),
	C(inotify_watch_wd_order, EINVAL),
	C(inotify_watch_mask_isdir, EINVAL),
	C(inotify_watch_mask_dont_follow, EINVAL),
	C(inotify_watch_mask_bit12, EINVAL),
	C(inotify_watch_mode_0, EINVAL),
	C(inotify_watch_mode_perm, EINVAL),
	C(inotify_watch_len, EINVAL),
	C(inotify_watch_relative, EINVAL),
	C(inotify_watch_no_nul, EINVAL),
	C(inotify_watch_nul_early, EINVAL),
	C(inotify_watch_wd_before_mask, EINVAL),
	C(inotify_watch_mask_before_mode, EINVAL),
	C(inotify_watch_mode_before_path, EINVAL),
	C(inotify_watch_cut, ENODATA),
	C(inotify_watch_error, EBADMSG),
	C(inotify_event_missing, EINVAL),
	C(inotify_event_not_counted, EINVAL),
	C(inotify_event_len_below_min, EINVAL),
	C(inotify_event_len_above_max, E2BIG),
	C(inotify_event_name_len_above_max, EINVAL),
	C(inotify_event_len, EINVAL),
	C(inotify_event_name_nul, EINVAL),
	C(inotify_event_name_slash, EINVAL),
	C(inotify_event_name_first_bad, EINVAL),
	C(inotify_event_mask_0, EINVAL),
	C(inotify_event_mask_oneshot, EINVAL),
	C(inotify_event_mask_bit12, EINVAL),
	C(inotify_event_wd_0, EINVAL),
	C(inotify_event_wd_negative, EINVAL),
	C(inotify_event_overflow_wd, EINVAL),
	C(inotify_event_overflow_cookie, EINVAL),
	C(inotify_event_overflow_name, EINVAL),
	C(inotify_event_overflow_not_alone, EINVAL),
	C(inotify_event_overflow_twice, EINVAL),
	C(inotify_event_name_before_mask, EINVAL),
	C(inotify_event_mask_before_wd, EINVAL),
	C(inotify_event_cut, ENODATA),
	C(inotify_event_error, EBADMSG),
	C(inotify_ofd_write_lock, EINVAL),
};

#undef C

static const char *const errno_names[] = {
	[ENODATA] = "ENODATA", [ENOEXEC] = "ENOEXEC", [E2BIG] = "E2BIG",
	[EINVAL] = "EINVAL", [EPROTONOSUPPORT] = "EPROTONOSUPPORT",
	[EBADMSG] = "EBADMSG", [EBADR] = "EBADR", [EOPNOTSUPP] = "EOPNOTSUPP",
	[EPERM] = "EPERM", [ELOOP] = "ELOOP", [EEXIST] = "EEXIST",
	[ERANGE] = "ERANGE",
};

/* A tiny deterministic generator, the same on every libc. */
static uint64_t rnd_state;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rnd_state >> 33) % n;
}

/* Damage the valid image at random: a few bytes, fields or lengths. */
static void damage(struct img *im, unsigned long seed)
{
	static const uint32_t values[] = {
		0, 1, 2, 3, 7, 8, 100, 101, 102, 0x7f, 0x80, 0xff, 0x7fffffff,
		0x80000000, 0xfffffff8, 0xffffffff, 65536, 65537, 4194304,
	};
	int i, n;
	size_t off;

	rnd_state = seed;
	build(im);
	n = 1 + rnd(4);
	for (i = 0; i < n && im->len; i++) {
		off = rnd(im->len);
		switch (rnd(4)) {
		case 0:
			im->buf[off] ^= 1 << rnd(8);
			break;
		case 1:
			im->buf[off] = rnd(256);
			break;
		case 2:
			off &= ~(size_t)3;
			put32(im, off, values[rnd(ARRAY_SIZE(values))]);
			break;
		case 3:
			if (!rnd(4))
				im->len = off;
			break;
		}
	}
}

static int write_all(const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* The siginfos at @off: their padding, beyond the kernel_siginfo_t */
static void print_siginfo_runs(size_t off, uint32_t nr)
{
	uint32_t i;

	for (i = 0; i < nr; i++, off += CKPT_SIGINFO_SIZE)
		printf("%zu %zu\n", off + KSIGINFO_SIZE, off + CKPT_SIGINFO_SIZE - 1);
}

/* The entries left all zero of the sighand record at @off, but SIGKILL's and SIGSTOP's */
static void print_sighand_runs(const struct img *im, size_t off)
{
	const size_t esize = sizeof(struct ckpt_sigaction);
	size_t a = AT(off, ckpt_hdr_sighand, action), e, first = 0, j;
	bool zero, in_run = false;
	int sig;

	for (sig = 1; sig <= CKPT_NSIG + 1; sig++) {
		e = a + (sig - 1) * esize;
		zero = sig <= CKPT_NSIG && sig != X86_SIGKILL && sig != X86_SIGSTOP;
		for (j = 0; zero && j < esize; j++)
			zero = !im->buf[e + j];
		if (zero && !in_run)
			first = e;
		else if (!zero && in_run)
			printf("%zu %zu\n", first, e - 1);
		in_run = zero;
	}
}

/* mkimage -P, in the valid image */
static void print_runs(const struct img *im)
{
	const size_t rlim = offsetof(struct ckpt_hdr_task_attrs, rlim);
	const size_t rlim_size = CKPT_RLIM_NLIMITS * sizeof(struct ckpt_rlimit);
	size_t off, end, i;
	uint32_t type, len;
	bool first_attrs = true;

	for (off = 0; off < im->len; off = end) {
		type = get32(im, AT(off, ckpt_hdr, type));
		len = get32(im, AT(off, ckpt_hdr, len));
		end = off + ((len + CKPT_ALIGN - 1) & ~(CKPT_ALIGN - 1));
		switch (type) {
		case CKPT_HDR_PAGES:	/* not CKPT_HDR_PAGES_COW: no contents */
			printf("%zu %zu\n", off + sizeof(struct ckpt_hdr_pages), off + len - 1);
			break;
		case CKPT_HDR_X86_XSTATE:
			i = off + sizeof(struct ckpt_hdr_x86_xstate);
			printf("%zu %zu\n%zu %zu\n", i, i + 511, i + 576, off + len - 1);
			break;
		case CKPT_HDR_SIGHAND:
			print_sighand_runs(im, off);
			break;
		case CKPT_HDR_SIGNAL:
			print_siginfo_runs(off + sizeof(struct ckpt_hdr_signal),
					   get32(im, AT(off, ckpt_hdr_signal, nr_pending)));
			break;
		case CKPT_HDR_TASK_SIGNALS:
			print_siginfo_runs(off + sizeof(struct ckpt_hdr_task_signals),
					   get32(im, AT(off, ckpt_hdr_task_signals, nr_pending)));
			break;
		case CKPT_HDR_TASK_ATTRS:
			if (!first_attrs)
				printf("%zu %zu\n", off + rlim, off + rlim + rlim_size - 1);
			first_attrs = false;
			break;
		}
	}
}

static void usage(void)
{
	fprintf(stderr, "Usage: mkimage [CASE] | -l | -P | -r SEED | -t N | -x N\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct img im;
	const struct tcase *tc = &cases[0];
	size_t i, off;

	set_xstate_size();
	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			model(&im);
			off = cases[i].make(&im);
			if (cases[i].err)
				printf("%s %s %d %zu\n", cases[i].name,
				       errno_names[cases[i].err], cases[i].err, off);
			else
				printf("%s - 0 -\n", cases[i].name);
		}
		return 0;
	}
	model(&im);
	if (argc == 2 && !strcmp(argv[1], "-P")) {
		build(&im);
		print_runs(&im);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "-r")) {
		damage(&im, strtoul(argv[2], NULL, 0));
	} else if (argc == 3 && !strcmp(argv[1], "-t")) {
		build(&im);
		off = strtoul(argv[2], NULL, 0);
		if (off < im.len)
			im.len = off;
	} else if (argc == 3 && !strcmp(argv[1], "-x")) {
		build(&im);
		off = strtoul(argv[2], NULL, 0);
		if (off < im.len)
			im.buf[off] ^= 0xff;
	} else if (argc <= 2) {
		if (argc == 2) {
			for (i = 0; i < ARRAY_SIZE(cases); i++)
				if (!strcmp(argv[1], cases[i].name))
					break;
			if (i == ARRAY_SIZE(cases))
				usage();
			tc = &cases[i];
		}
		tc->make(&im);
	} else {
		usage();
	}
	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "mkimage: not writing an image to a terminal\n");
		return 2;
	}
	if (write_all(im.buf, im.len)) {
		perror("mkimage");
		return 1;
	}
	return 0;
}
