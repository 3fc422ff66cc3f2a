// SPDX-License-Identifier: GPL-2.0
/*
 * ckptinfo - print and check a checkpoint image
 *
 * The image is read whole into memory and parsed from there with an
 * explicit bounds check before every access: it may be anything.
 * Integers are read byte by byte as little endian, the byte order of
 * the only architecture restart(2) knows, whatever the host.
 *
 * Two passes over the image:
 *
 *  - check() reads it as kernel/checkpoint/restart.c does, in the same
 *    order, with the same rules, and stops at the first problem, which
 *    it reports with the errno restart(2) would return and the offset of
 *    the first bad byte.  "ckptinfo --validate" and "restart --validate"
 *    must agree on every image.
 *
 *  - dump() prints every record it can frame, valid or not, as text or
 *    as one JSON document.
 *
 * A record kind is one entry of kinds[]: its name, its framing bounds,
 * and functions to check and to print it.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __x86_64__
#include <cpuid.h>
#endif

#include "ckpt.h"

/*
 * What restart(2) of Linux 6.12 on x86_64 accepts, beyond what the
 * uapi header says.  ckptinfo checks images for that kernel, whatever
 * the host it runs on.
 */
#define K_ARCH			CKPT_ARCH_X86_64	/* ELF_ARCH */
#define K_PAGE_SIZE		4096U			/* PAGE_SIZE */
#define K_PAGE_SHIFT		12			/* PAGE_SHIFT */
/*
 * The sizes of huge pages, of which size_to_hstate() knows a pool: PMD_SIZE,
 * and PUD_SIZE on a CPU with gbpages, which is taken whatever the host.
 */
#define K_HPAGE_PMD_SIZE	(2ULL << 20)
#define K_HPAGE_PUD_SIZE	(1024ULL << 20)
/* ckpt_ipc_shm_restore(): the shift of the pages of a SysV segment is below it */
#define K_SHM_HUGE_SHIFT_END	48
#define K_PID_MAX_LIMIT		(4 * 1024 * 1024)	/* PID_MAX_LIMIT, 64-bit */
#define K_CAP_LAST_CAP		40			/* CAP_CHECKPOINT_RESTORE */
#define K_CAP_VALID_MASK	((1ULL << (K_CAP_LAST_CAP + 1)) - 1)
#define K_SECUREBITS_VALID	0xffU	/* SECURE_ALL_BITS | SECURE_ALL_LOCKS */
#define K_NSIG			64	/* _NSIG */
/* (uid_t)-1 has no mapping in any user namespace; other ids may lack one. */
#define K_ID_INVALID		0xffffffffU
#define K_TASK_SIZE_MAX		0x7ffffffff000ULL	/* 4-level paging */
#define K_NR_SYSCALLS		465	/* NR_syscalls: restart(2) is 464 */
#define K_USER_CS		0x33	/* __USER_CS */
#define K_USER_DS		0x2b	/* __USER_DS */
/* CKPT_X86_USER_FLAGS: CF 1 PF AF ZF SF TF IF DF OF RF AC ID */
#define K_USER_EFLAGS		0x250fd7ULL
/* XSAVE area: the legacy region, then the header at 512 */
#define XSAVE_HDR_OFF		512
#define XSAVE_HDR_BV		(XSAVE_HDR_OFF + 0)	/* xfeatures */
#define XSAVE_HDR_COMP		(XSAVE_HDR_OFF + 8)	/* xcomp_bv */
#define XSAVE_HDR_RSVD		(XSAVE_HDR_OFF + 16)	/* reserved[6] */
#define XSAVE_MIN_SIZE		576	/* legacy region and header */
/* Signals: the x86 numbers and flags, whatever the host's are */
#define K_SIGKILL		9
#define K_SIGSTOP		19
#define K_SIGTSTP		20
#define K_SIGTTIN		21
#define K_SIGTTOU		22
#define K_SIGRTMIN		32
/*
 * CKPT_SA_FLAGS_KNOWN: SA_NOCLDSTOP 0x1, SA_NOCLDWAIT 0x2, SA_SIGINFO
 * 0x4, SA_UNSUPPORTED 0x400, SA_EXPOSE_TAGBITS 0x800, SA_RESTORER
 * 0x04000000, SA_ONSTACK 0x08000000, SA_RESTART 0x10000000, SA_NODEFER
 * 0x40000000, SA_RESETHAND 0x80000000
 */
#define K_SA_FLAGS_KNOWN	0xdc000c07ULL
#define K_SS_DISABLE		2
#define K_SS_AUTODISARM		0x80000000U
#define K_MINSIGSTKSZ		2048
#define K_KSIGINFO_SIZE		48	/* sizeof(kernel_siginfo_t): the rest is zero */
/* Open files: the x86 O_* flags (asm-generic), whatever the host's are */
#define K_O_ACCMODE		00000003
#define K_O_RDONLY		00000000
#define K_O_RDWR		00000002
#define K_O_APPEND		00002000
#define K_O_NONBLOCK		00004000
#define K_O_DSYNC		00010000
#define K_FASYNC		00020000
#define K_O_DIRECT		00040000
#define K_O_LARGEFILE		00100000
#define K_O_DIRECTORY		00200000
#define K_O_NOFOLLOW		00400000
#define K_O_NOATIME		01000000
#define K_O_SYNC		04010000	/* __O_SYNC | O_DSYNC */
#define K_O_PATH		010000000
/* CKPT_FILE_FLAGS: the f_flags restart(2) reopens a file with */
#define K_FILE_FLAGS		(K_O_ACCMODE | K_O_APPEND | K_O_NONBLOCK | \
				 K_O_DSYNC | K_O_DIRECT | K_O_LARGEFILE | \
				 K_O_DIRECTORY | K_O_NOFOLLOW | K_O_NOATIME | \
				 K_O_SYNC | K_O_PATH | K_FASYNC)
/*
 * CKPT_ANON_FLAGS: the status flags fcntl(F_SETFL) gives a file restart(2)
 * makes anew, besides O_RDWR; CKPT_PIPE_FLAGS: a pipe end's, besides its
 * O_ACCMODE (O_DIRECT is packet mode)
 */
#define K_ANON_FLAGS		(K_O_NONBLOCK | K_O_APPEND | K_O_NOATIME)
#define K_PIPE_FLAGS		(K_ANON_FLAGS | K_O_DIRECT)
#define K_S_IFMT		0170000
#define K_S_IFREG		0100000
#define K_S_IFDIR		0040000
#define K_S_IFCHR		0020000
#define K_S_IFIFO		0010000
#define K_S_IFSOCK		0140000
/* Sockets: the x86_64 numbers, whatever the host's are */
#define K_AF_UNIX		1
#define K_AF_INET		2
#define K_AF_INET6		10
#define K_SOCK_STREAM		1
#define K_SOCK_DGRAM		2
#define K_SOCK_RAW		3
#define K_SOCK_SEQPACKET	5
#define K_SOCK_PACKET		10
#define K_AF_MAX		46
#define K_IPPROTO_TCP		6
#define K_IPPROTO_UDP		17
#define K_ECONNRESET		104
#define K_SOCKADDR_IN_LEN	16	/* sizeof(struct sockaddr_in) */
#define K_SIN6_LEN_RFC2133	24	/* the shortest struct sockaddr_in6 */
#define K_SOCKADDR_UN_LEN	110	/* sizeof(struct sockaddr_un) */
#define K_SUN_PATH		2	/* offsetof(struct sockaddr_un, sun_path) */
#define K_TCP_MAX_WSCALE	14	/* TCP_MAX_WSCALE */
#define K_MAX_LFS_FILESIZE	0x7fffffffffffffffULL
#define K_MEM_MAJOR		1	/* /dev/null, /dev/zero, ... */
/* Network namespaces: IFNAMSIZ, LOOPBACK_IFINDEX and the rtnetlink values */
#define K_IFNAMSIZ		16
#define K_LOOPBACK_IFINDEX	1
#define K_RTPROT_KERNEL		2
#define K_RTN_UNICAST		1
#define K_RTN_BLACKHOLE		6
#define K_RTN_UNREACHABLE	7
#define K_RTN_PROHIBIT		8
/* File locks: the x86 F_RDLCK and F_WRLCK, and OFFSET_MAX */
#define K_F_RDLCK		0
#define K_F_WRLCK		1
#define K_OFFSET_MAX		0x7fffffffffffffffLL
#define K_S_IALLUGO		07777	/* the permission bits of a mode */
#define K_S_IRWXUGO		00777	/* S_IRWXUGO: those of a SysV IPC object */
#define K_SEMVMX		32767	/* SEMVMX: the largest value of a semaphore */
#define K_MEMFD_SEALS		0x3fU	/* CKPT_MEMFD_SEALS: every F_SEAL_* */
/* POSIX message queues: the bounds of the fs.mqueue sysctls (MIN_MSGMAX, MIN_MSGSIZEMAX) */
#define K_MQ_MSG_MIN		1
#define K_MQ_MSGSIZE_MIN	128
/* CKPT_MQ_FILE_FLAGS: the f_flags of a descriptor of a queue, as mq_open(3) passes them */
#define K_MQ_FILE_FLAGS		(K_O_ACCMODE | K_O_NONBLOCK | K_O_APPEND | K_O_DSYNC | \
				 K_O_SYNC | K_O_LARGEFILE | K_O_NOATIME)
/* timerfd and epoll: the uapi values */
#define K_TFD_TIMER_ABSTIME	1
#define K_EPOLLIN		0x00000001U
#define K_EPOLLOUT		0x00000004U
#define K_EPOLLERR		0x00000008U
#define K_EPOLLHUP		0x00000010U
#define K_EPOLLRDHUP		0x00002000U
#define K_EPOLLEXCLUSIVE	0x10000000U
#define K_EPOLLWAKEUP		0x20000000U
#define K_EPOLLONESHOT		0x40000000U
#define K_EPOLLET		0x80000000U
/* CKPT_EPOLL_EVENTS: EPOLLIN to EPOLLMSG, EPOLLRDHUP, and the four above */
#define K_EPOLL_EVENTS		(0x7ffU | K_EPOLLRDHUP | K_EPOLLEXCLUSIVE | \
				 K_EPOLLWAKEUP | K_EPOLLONESHOT | K_EPOLLET)
#define K_EPOLLEXCLUSIVE_OK_BITS (K_EPOLLIN | K_EPOLLOUT | K_EPOLLERR | K_EPOLLHUP | \
				  K_EPOLLWAKEUP | K_EPOLLET | K_EPOLLEXCLUSIVE)
#define K_EP_MAX_NESTS		4	/* how deep epolls may watch epolls */
/* inotify: the uapi values, and NAME_MAX, the longest name of an event */
#define K_IN_ALL_EVENTS		0x00000fffU	/* IN_ACCESS to IN_MOVE_SELF */
#define K_IN_UNMOUNT		0x00002000U
#define K_IN_Q_OVERFLOW		0x00004000U
#define K_IN_IGNORED		0x00008000U
#define K_IN_EXCL_UNLINK	0x04000000U
#define K_IN_ISDIR		0x40000000U
#define K_IN_ONESHOT		0x80000000U
/* CKPT_INOTIFY_WATCH_BITS: what inotify_add_watch(2) takes to make a watch again */
#define K_INOTIFY_WATCH_BITS	(K_IN_ALL_EVENTS | K_IN_ONESHOT | K_IN_EXCL_UNLINK)
/* CKPT_INOTIFY_EVENT_BITS: what read(2) shows of the mask of an event */
#define K_INOTIFY_EVENT_BITS	(K_IN_ALL_EVENTS | K_IN_ISDIR | K_IN_UNMOUNT | \
				 K_IN_IGNORED | K_IN_Q_OVERFLOW)
#define K_NAME_MAX		255
/* Task attributes */
#define K_MIN_NICE		(-20)
#define K_MAX_NICE		19
#define K_MAX_RT_PRIO		100
#define K_SCHED_NORMAL		0
#define K_SCHED_FIFO		1
#define K_SCHED_RR		2
#define K_SCHED_BATCH		3
#define K_SCHED_IDLE		5
#define K_SUID_DUMP_ROOT	2
#define K_ROBUST_LIST_SIZE	24	/* sizeof(struct robust_list_head) */
#define K_ORIG_RSEQ_SIZE	32
#define K_RSEQ_ALIGN		32	/* __alignof__(struct rseq) */
#define K_INT_MAX		0x7fffffffU
#define K_RSEQ_END		28	/* offsetof(struct rseq, end) */
#define K_RLIM_INFINITY		(~0ULL)
/* POSIX timers: the clocks and SIGEV_* values of x86_64 */
#define K_CLOCK_REALTIME	0
#define K_CLOCK_MONOTONIC	1
#define K_CLOCK_PROCESS_CPUTIME_ID 2
#define K_CLOCK_THREAD_CPUTIME_ID 3
#define K_CLOCK_BOOTTIME	7
#define K_CLOCK_TAI		11
#define K_SIGEV_SIGNAL		0
#define K_SIGEV_NONE		1
#define K_SIGEV_THREAD		2
#define K_SIGEV_THREAD_ID	4
#define K_REQUEUE_PENDING	1
#define K_NSEC_PER_SEC		1000000000LL
#define K_KTIME_MAX		INT64_MAX
#define K_KTIME_SEC_MAX		(K_KTIME_MAX / K_NSEC_PER_SEC)
#define K_SI_TIMER		(-2)
/* Terminals: the x86 c_lflag ICANON, and N_TTY */
#define K_ICANON		0000002
#define K_N_TTY			0
/* CKPT_PTY_FILE_FLAGS: the status flags of a file of a pty, besides O_ACCMODE */
#define K_PTY_FILE_FLAGS	(K_O_NONBLOCK | K_O_APPEND | K_O_LARGEFILE)

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Bytes of a record shown when it cannot be decoded. */
#define DUMP_BYTES		64

static const char usage_text[] =
	"Usage: ckptinfo [OPTIONS] [FILE]\n"
	"Print the records of a checkpoint image and check it as restart(2)\n"
	"would.  With no FILE, or when FILE is -, read standard input.\n"
	"\n"
	"  -j, --json      print one JSON document instead of text\n"
	"  -p, --pages     also print a checksum (FNV-1a) of every saved page\n"
	"  -c, --validate  only check the image; print nothing if it is valid\n"
	"  -h, --help      print this help\n"
	"\n"
	"The first problem found is reported on standard error with its offset\n"
	"and the errno restart(2) would fail with.\n"
	"Exit status: 0 valid, 1 invalid, 2 usage error or unreadable input.\n";

static const struct option long_options[] = {
	{ "json",	no_argument,	NULL, 'j' },
	{ "pages",	no_argument,	NULL, 'p' },
	{ "validate",	no_argument,	NULL, 'c' },
	{ "help",	no_argument,	NULL, 'h' },
	{ NULL,		0,		NULL, 0 }
};

/* Little-endian readers; the caller has checked the bounds. */
static uint16_t get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const uint8_t *p)
{
	return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

struct image {
	const char *name;	/* for messages */
	const uint8_t *buf;
	size_t size;
};

/* A record of the image.  Only @avail of its @len bytes may be present. */
struct rec {
	size_t off;		/* offset in the image */
	unsigned long index;	/* 0 for the first record */
	uint32_t type;
	uint32_t len;
	size_t avail;
	const uint8_t *p;	/* its first byte */
};

/* Fields of a record, by struct and member name.  @r must be whole. */
#define AT(r, s, f)	((r)->off + offsetof(struct s, f))
#define U16(r, s, f)	get_u16((r)->p + offsetof(struct s, f))
#define U32(r, s, f)	get_u32((r)->p + offsetof(struct s, f))
#define S32(r, s, f)	((int32_t)U32(r, s, f))
#define U64(r, s, f)	get_u64((r)->p + offsetof(struct s, f))

/* Frame the record at @off: at least a struct ckpt_hdr must be there. */
static void frame(const struct image *im, size_t off, unsigned long index,
		  struct rec *r)
{
	size_t left = im->size - off;

	r->off = off;
	r->index = index;
	r->p = im->buf + off;
	r->type = get_u32(r->p + offsetof(struct ckpt_hdr, type));
	r->len = get_u32(r->p + offsetof(struct ckpt_hdr, len));
	r->avail = r->len < left ? r->len : left;
}

static uint64_t align_rec(uint32_t len)
{
	return ((uint64_t)len + CKPT_ALIGN - 1) & ~(uint64_t)(CKPT_ALIGN - 1);
}

/* The first problem found in an image. */
struct problem {
	int err;		/* positive errno, 0 if none */
	size_t offset;		/* of the first bad byte */
	unsigned long record;	/* index of the record at fault */
	bool has_type;		/* false: not even its header is there */
	uint32_t type;
	char msg[512];
};

/* An entry of the tree record, in host byte order */
struct ckpt_pids_host {
	int32_t pid, tgid, ppid, pgid, sid;
	uint32_t flags;		/* CKPT_PIDS_* */
};

/* A pid namespace of the pidns record, in host byte order */
struct ckpt_pidns_host {
	uint32_t parent, init;
	uint32_t depth;		/* levels below the root's */
};

/* The entry of a task in the pidns record */
struct ckpt_task_pidns_host {
	uint32_t ns, children;
	uint32_t first;		/* index of its first pid in the record */
};

/* The largest pidns record restart(2) reads */
#define PIDNS_MAX_LEN	(sizeof(struct ckpt_hdr_pidns) + CKPT_TREE_MAX_TASKS * \
			 (sizeof(struct ckpt_pidns) + sizeof(struct ckpt_task_pidns) + \
			  CKPT_PIDNS_MAX_DEPTH * sizeof(int32_t)))

/*
 * What an accept queue checks of a TCP connection of the image, as the
 * kernel's struct ckpt_tcp_restore has it (its family is in obj_sotype)
 */
struct ckpt_tcp_host {
	uint32_t snd_len;
	uint16_t flags;		/* CKPT_TCP_* */
	uint16_t port;		/* its own: the bytes of sin_port, as read */
};

/* The fields of a task record that a thread shares with its leader */
static const struct {
	const char *name;
	size_t off;
} shared_refs[] = {
	{ "mm_ref", offsetof(struct ckpt_hdr_task, mm_ref) },
	{ "sighand_ref", offsetof(struct ckpt_hdr_task, sighand_ref) },
	{ "signal_ref", offsetof(struct ckpt_hdr_task, signal_ref) },
};

/* Their values in the record of a task, as struct ckpt_task_refs */
struct ckpt_task_refs_host {
	uint32_t ref[ARRAY_SIZE(shared_refs)];
};

/* A SysV semaphore set of the image, which undo lists name by its id */
struct ckpt_sem_set_host {
	int32_t id;
	uint32_t nsems;
};

/* State of check(), as the kernel's struct ckpt_ctx on restart */
struct check {
	const struct image *im;
	struct problem *pb;
	size_t pos;		/* offset of the next record */
	unsigned long index;	/* records framed, error records included */
	uint64_t nr_records;	/* records read, as the kernel counts them */
	unsigned long rec_index; /* the record being read, for messages */
	bool rec_has_type;
	uint32_t rec_type;
	uint32_t nr_tasks;	/* from the tree record */
	uint32_t cur_task;	/* index of the task whose records are read */
	struct ckpt_pids_host *pids;
	uint32_t *seen;		/* seen[pid]: 1 + index of the tree entry */
	uint32_t nr_objs;	/* objects defined so far */
	uint32_t *obj_type;	/* obj_type[n - 1]: record type of objref n */
	uint32_t *obj_owner;	/* obj_owner[n - 1]: the task that defined it */
	/*
	 * of a pipe or unix pair: its ends taken or closed, 1 << end; of a
	 * pty: 1 << CKPT_PTY_MASTER once a file took its master; of a TCP
	 * connection: 1 once a file or an accept queue took it; of an
	 * accept queue: 1 once a listening socket took it
	 */
	uint8_t *obj_taken;
	uint8_t *obj_acc;	/* of a pty: the O_ACCMODE of its master's file */
	/* of a unix pair: its socket type; of a TCP connection: its family */
	uint8_t *obj_sotype;
	struct ckpt_tcp_host *obj_tcp;	/* of a TCP connection */
	/* the offset of its record: an accept queue's objrefs follow it */
	size_t *obj_off;
	uint8_t *obj_fkind;	/* of a file: its kind */
	uint32_t *obj_fflags;	/* of a file: its f_flags, for the locks through it */
	uint8_t *obj_epdepth;	/* of an epoll: how deep the epolls it watches go */
	/*
	 * of a SysV shared memory segment: its size, in whole huge pages for
	 * one of them; of shared memory of huge pages: its size
	 */
	uint64_t *obj_size;
	size_t obj_cap;
	struct ckpt_task_refs_host *refs; /* refs[i]: those of task i, once read */
	bool *creates;		/* creates[i]: task i has children or threads */
	bool *vforks;		/* vforks[i]: a child of task i has CKPT_PIDS_VFORK */
	bool *zombies;		/* zombies[i]: task i is a zombie, once read */
	/*
	 * Of the pidns record, nr_pidns 0 without one: namespace k is
	 * pidns[k] (pidns[0], the root's, has depth 0), task i is in
	 * task_ns[i].ns; the index of the record, and where its task entries
	 * and its pids start in the image
	 */
	uint32_t nr_pidns;
	struct ckpt_pidns_host *pidns;
	struct ckpt_task_pidns_host *task_ns;
	unsigned long pidns_index;
	size_t pidns_tasks, pidns_pids;
	uint32_t ns_flags;	/* of the namespaces record, 0 without one */
	int32_t ipc_id;		/* of the last SysV IPC object read */
	struct ckpt_sem_set_host *sems;	/* the semaphore sets, ids increasing */
	uint32_t nr_sems;
	size_t sems_cap;
	uint32_t undo_task;	/* 1 + the task an undo list was read before, 0: none */
};

struct out;

/* One kind of record. */
struct kind {
	uint32_t type;
	const char *name;
	size_t size;		/* of its struct: shorter ones are not decoded */
	size_t min_len;		/* framing bounds, as restart(2) reads it */
	size_t max_len;
	bool object;		/* defines an object: starts with ckpt_hdr_obj */
	bool opaque;		/* memory contents: never dumped */
	int (*check)(struct check *c, const struct rec *r);	/* objects */
	void (*print)(struct out *o, const struct rec *r);
};

static const struct kind *find_kind(uint32_t type);

static const char *type_name(uint32_t type)
{
	const struct kind *k = find_kind(type);

	return k ? k->name : "unknown";
}

/* "EINVAL" for EINVAL; "errno N" for a number the C library does not name */
static const char *errno_name(int num, char *buf, size_t len)
{
	const char *name = num > 0 ? strerrorname_np(num) : NULL;

	if (name)
		return name;
	snprintf(buf, len, "errno %d", num);
	return buf;
}

/*
 * Quote @n bytes of @s, up to a NUL, into @dst as C escapes: the
 * result is printable ASCII.  Cut with "..." when @dst is too short.
 */
static void c_quote(char *dst, size_t size, const uint8_t *s, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n && s[i]; i++) {
		/* room for the longest escape, then for "..." and the NUL */
		if (j + 8 > size) {
			snprintf(dst + j, size - j, "...");
			return;
		}
		if (s[i] == '"' || s[i] == '\\')
			j += snprintf(dst + j, size - j, "\\%c", s[i]);
		else if (s[i] >= 0x20 && s[i] < 0x7f)
			j += snprintf(dst + j, size - j, "%c", s[i]);
		else
			j += snprintf(dst + j, size - j, "\\x%02x", s[i]);
	}
	dst[j] = '\0';
}

/* ---- check: what restart(2) does ---- */

/* The message of the problem being reported */
static char fail_msg[sizeof(((struct problem *)0)->msg)];

/* Record the problem, its message in fail_msg, and return -@err. */
static int fail_report(struct check *c, int err, size_t offset)
{
	struct problem *pb = c->pb;

	pb->err = err;
	pb->offset = offset;
	pb->record = c->rec_index;
	pb->has_type = c->rec_has_type;
	pb->type = c->rec_type;
	memcpy(pb->msg, fail_msg, sizeof(pb->msg));
	return -err;
}

/*
 * fail(c, err, offset, fmt, ...): as ckpt_err(), report a problem at
 * @offset and return -@err.  snprintf() formats, so the compiler checks
 * the arguments.
 */
#define fail(c, err, offset, ...)					\
	(snprintf(fail_msg, sizeof(fail_msg), __VA_ARGS__),		\
	 fail_report(c, err, offset))

/* Start reading the record at c->pos. */
static void begin_record(struct check *c)
{
	c->rec_index = c->index;
	c->rec_has_type = false;
}

static void set_type(struct check *c, uint32_t type)
{
	c->rec_has_type = true;
	c->rec_type = type;
}

/* ckpt_check_zero(): @len bytes at @off in the record must be zero. */
static int check_zero(struct check *c, const struct rec *r, size_t off,
		      size_t len, const char *field)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (r->p[off + i])
			return fail(c, EINVAL, r->off + off + i,
				    "reserved field %s is not zero", field);
	return 0;
}

/*
 * The offset in the image of the first byte not zero of the @len at @off
 * in the record, or 0
 */
static size_t nonzero_at(const struct rec *r, size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (r->p[off + i])
			return r->off + off + i;
	return 0;
}

/* ckpt_check_string(): a fixed-size string field must hold a NUL. */
static int check_string(struct check *c, const struct rec *r, size_t off,
			size_t len, const char *field)
{
	if (!memchr(r->p + off, '\0', len))
		return fail(c, EINVAL, r->off + off,
			    "field %s is not NUL terminated", field);
	return 0;
}

/* ckpt_read_hdr(): the header of the next record, expected of @type. */
static int read_hdr(struct check *c, uint32_t type, struct rec *r)
{
	const struct image *im = c->im;
	size_t left = im->size - c->pos;

	begin_record(c);
	if (!left && !c->pos)
		return fail(c, ENODATA, im->size, "the image is empty");
	if (!left)
		return fail(c, ENODATA, im->size, "image ends before the %s record",
			    type_name(type));
	if (left < sizeof(struct ckpt_hdr))
		return fail(c, ENODATA, im->size,
			    "image ends inside a record header, after %zu bytes", left);
	frame(im, c->pos, c->index, r);
	set_type(c, r->type);
	if (r->len < sizeof(struct ckpt_hdr))
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "length %u is shorter than a record header", r->len);
	return 0;
}

/* The body and padding of a record whose header was read. */
static int read_body(struct check *c, const struct rec *r, bool counted)
{
	size_t left = c->im->size - r->off;
	uint64_t end = align_rec(r->len), i;

	if (left < r->len)
		return fail(c, ENODATA, c->im->size,
			    "image ends inside the record, after %zu of its %u bytes",
			    left, r->len);
	if (left < end)
		return fail(c, ENODATA, c->im->size,
			    "image ends inside the padding after the record");
	for (i = r->len; i < end; i++)
		if (r->p[i])
			return fail(c, EINVAL, r->off + i,
				    "padding after the record is not zero");
	c->pos = r->off + end;
	c->index++;
	if (counted)
		c->nr_records++;
	return 0;
}

/* ckpt_read_error(): an error record where another was expected. */
static int read_error(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_error);
	char name[32], msg[256];
	int32_t errnum;
	int err;

	if (r->len < hlen)
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "length %u is below the minimum %zu", r->len, hlen);
	if (r->len > CKPT_RECORD_MAX)
		return fail(c, E2BIG, AT(r, ckpt_hdr, len),
			    "length %u is above the maximum %u", r->len,
			    CKPT_RECORD_MAX);
	/* The fixed part is read and checked before the message. */
	if (c->im->size - r->off < hlen)
		return fail(c, ENODATA, c->im->size,
			    "image ends inside the record, after %zu of its %u bytes",
			    c->im->size - r->off, r->len);
	err = check_zero(c, r, offsetof(struct ckpt_hdr_error, _pad),
			 sizeof(((struct ckpt_hdr_error *)0)->_pad), "_pad") ?:
	      read_body(c, r, false);
	if (err)
		return err;
	errnum = S32(r, ckpt_hdr_error, errnum);
	c_quote(msg, sizeof(msg), r->p + hlen, r->len - hlen);
	return fail(c, EBADMSG, r->off, "the checkpoint failed with %s: \"%s\"",
		    errno_name(errnum, name, sizeof(name)), msg);
}

/* ckpt_read_record(): the next record, which must be of @type. */
static int read_record(struct check *c, uint32_t type, size_t min_len,
		       size_t max_len, struct rec *r)
{
	int err;

	err = read_hdr(c, type, r);
	if (err)
		return err;
	if (r->type == CKPT_HDR_ERROR && type != CKPT_HDR_ERROR)
		return read_error(c, r);
	if (r->type != type)
		return fail(c, EINVAL, AT(r, ckpt_hdr, type), "expected a %s record",
			    type_name(type));
	if (r->len < min_len)
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "length %u is below the minimum %zu", r->len, min_len);
	if (r->len > max_len)
		return fail(c, E2BIG, AT(r, ckpt_hdr, len),
			    "length %u is above the maximum %zu", r->len, max_len);
	return read_body(c, r, true);
}

/*
 * ckpt_read_record_head(): the header and the fixed part, @head_len
 * bytes, of a bulk record, whose payload is read after the fixed part is
 * checked, by read_body().
 */
static int read_record_head(struct check *c, uint32_t type, size_t head_len,
			    size_t max_len, struct rec *r)
{
	size_t left;
	int err;

	err = read_hdr(c, type, r);
	if (err)
		return err;
	if (r->type == CKPT_HDR_ERROR)
		return read_error(c, r);
	if (r->type != type)
		return fail(c, EINVAL, AT(r, ckpt_hdr, type), "expected a %s record",
			    type_name(type));
	if (r->len < head_len)
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "length %u is below the minimum %zu", r->len, head_len);
	if (r->len > max_len)
		return fail(c, E2BIG, AT(r, ckpt_hdr, len),
			    "length %u is above the maximum %zu", r->len, max_len);
	left = c->im->size - r->off;
	if (left < head_len)
		return fail(c, ENODATA, c->im->size,
			    "image ends inside the record, after %zu of its %u bytes",
			    left, r->len);
	return 0;
}

/* The type of the record at c->pos, as ckpt_peek_type() */
static int peek_type(struct check *c, uint32_t *type)
{
	size_t left = c->im->size - c->pos;

	if (left < sizeof(struct ckpt_hdr)) {
		begin_record(c);
		return fail(c, ENODATA, c->im->size,
			    "image ends at offset %zu without a tail record",
			    c->im->size);
	}
	*type = get_u32(c->im->buf + c->pos);
	return 0;
}

/* Index of the first byte where @a and @b differ, or -1. */
static int mismatch(const uint8_t *a, const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (a[i] != (uint8_t)b[i])
			return i;
	return -1;
}

/* restore_read_header() and restore_check_header() */
static int check_header(struct check *c)
{
	struct rec r;
	uint16_t major, minor, arch;
	uint64_t feat;
	uint32_t v;
	int err, i;

	err = read_record(c, CKPT_HDR_HEADER, sizeof(struct ckpt_hdr),
			  CKPT_RECORD_MAX, &r);
	if (err == -EINVAL && c->nr_records == 0) {
		/* Whatever the first bytes are, they are not an image. */
		char msg[sizeof(c->pb->msg)];

		memcpy(msg, c->pb->msg, sizeof(msg));
		snprintf(c->pb->msg, sizeof(c->pb->msg),
			 "not a checkpoint image (%.400s)", msg);
		c->pb->err = ENOEXEC;
		return -ENOEXEC;
	}
	if (err)
		return err;

	if (r.len < sizeof(struct ckpt_hdr) + CKPT_MAGIC_LEN)
		return fail(c, ENOEXEC, AT(&r, ckpt_hdr, len),
			    "not a checkpoint image (length %u, no room for the magic)",
			    r.len);
	i = mismatch(r.p + offsetof(struct ckpt_hdr_header, magic), CKPT_MAGIC,
		     CKPT_MAGIC_LEN);
	if (i >= 0)
		return fail(c, ENOEXEC, AT(&r, ckpt_hdr_header, magic) + i,
			    "not a checkpoint image (bad magic)");
	if (r.len < offsetof(struct ckpt_hdr_header, minor) +
		    sizeof(((struct ckpt_hdr_header *)0)->minor))
		return fail(c, EINVAL, AT(&r, ckpt_hdr, len), "length %u is too short",
			    r.len);
	major = U16(&r, ckpt_hdr_header, major);
	minor = U16(&r, ckpt_hdr_header, minor);
	if (major != CKPT_VERSION_MAJOR || minor > CKPT_VERSION_MINOR)
		return fail(c, EPROTONOSUPPORT, major != CKPT_VERSION_MAJOR ?
			    AT(&r, ckpt_hdr_header, major) :
			    AT(&r, ckpt_hdr_header, minor),
			    "image version %u.%u, restart(2) reads %u.0 to %u.%u",
			    major, minor, CKPT_VERSION_MAJOR, CKPT_VERSION_MAJOR,
			    CKPT_VERSION_MINOR);
	if (r.len != sizeof(struct ckpt_hdr_header))
		return fail(c, EINVAL, AT(&r, ckpt_hdr, len), "length %u, expected %zu",
			    r.len, sizeof(struct ckpt_hdr_header));
	arch = U16(&r, ckpt_hdr_header, arch);
	if (arch != K_ARCH)
		return fail(c, ENOEXEC, AT(&r, ckpt_hdr_header, arch),
			    "image is for architecture %u, not %u", arch, K_ARCH);
	v = U32(&r, ckpt_hdr_header, page_size);
	if (v != K_PAGE_SIZE)
		return fail(c, ENOEXEC, AT(&r, ckpt_hdr_header, page_size),
			    "image page size %u, not %u", v, K_PAGE_SIZE);
	feat = U64(&r, ckpt_hdr_header, features_required);
	if (feat & ~CKPT_FEAT_REQUIRED_ALL)
		return fail(c, EPROTONOSUPPORT,
			    AT(&r, ckpt_hdr_header, features_required),
			    "image requires unknown features %#llx",
			    (unsigned long long)(feat & ~CKPT_FEAT_REQUIRED_ALL));
	v = U32(&r, ckpt_hdr_header, flags);
	if (v & ~CHECKPOINT_FLAGS_ALL)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_header, flags),
			    "unknown checkpoint flags %#x", v);
	return check_zero(c, &r, offsetof(struct ckpt_hdr_header, _pad),
			  sizeof(((struct ckpt_hdr_header *)0)->_pad), "_pad") ?:
	       check_zero(c, &r, offsetof(struct ckpt_hdr_header, _pad2),
			  sizeof(((struct ckpt_hdr_header *)0)->_pad2), "_pad2") ?:
	       check_string(c, &r, offsetof(struct ckpt_hdr_header, release),
			    CKPT_RELEASE_LEN, "release");
}

/* The tree entry checked before with pid @pid, as xa_load(seen, pid). */
static const struct ckpt_pids_host *seen(const struct check *c, int32_t pid)
{
	if (pid <= 0 || pid > K_PID_MAX_LIMIT || !c->seen[pid])
		return NULL;
	return &c->pids[c->seen[pid] - 1];
}

/* restore_check_pids() */
static int check_pids(struct check *c, const struct rec *r, uint32_t i)
{
	const struct ckpt_pids_host *p = &c->pids[i], *leader, *parent;
	size_t at = r->off + sizeof(struct ckpt_hdr_tree) + i * sizeof(struct ckpt_pids);

#define PIDS_AT(f)	(at + offsetof(struct ckpt_pids, f))
	if (p->pid <= 0 || p->pid > K_PID_MAX_LIMIT)
		return fail(c, EINVAL, PIDS_AT(pid), "task %u: pid %d out of range",
			    i, p->pid);
	if (p->pgid < 0 || p->pgid > K_PID_MAX_LIMIT ||
	    p->sid < 0 || p->sid > K_PID_MAX_LIMIT)
		return fail(c, EINVAL, p->pgid < 0 || p->pgid > K_PID_MAX_LIMIT ?
			    PIDS_AT(pgid) : PIDS_AT(sid),
			    "task %u: pgid %d or sid %d out of range",
			    i, p->pgid, p->sid);
	/*
	 * The flags say how a process was created by its parent: a thread,
	 * and a process whose parent is not in the image, have none.
	 */
	if (p->flags & ~CKPT_PIDS_FLAGS_ALL)
		return fail(c, EINVAL, PIDS_AT(flags), "task %u: unknown flags %#x",
			    i, p->flags);
	if (p->flags && (p->tgid != p->pid || !p->ppid))
		return fail(c, EINVAL, PIDS_AT(flags),
			    "task %u: flags %#x of a %s", i, p->flags,
			    p->tgid != p->pid ? "thread" :
			    "process without a parent in the image");
	/* clone(2) refuses CLONE_SIGHAND without CLONE_VM */
	if ((p->flags & CKPT_PIDS_SHARE_SIGHAND) && !(p->flags & CKPT_PIDS_SHARE_VM))
		return fail(c, EINVAL, PIDS_AT(flags),
			    "task %u: flags %#x: the signal handlers shared without the mm",
			    i, p->flags);

	if (p->tgid != p->pid) {
		leader = seen(c, p->tgid);
		if (!leader || leader->tgid != leader->pid)
			return fail(c, EINVAL, PIDS_AT(tgid),
				    "task %u: thread %d comes before its leader %d",
				    i, p->pid, p->tgid);
		if (p->ppid != leader->ppid)
			return fail(c, EINVAL, PIDS_AT(ppid),
				    "task %u: thread %d has ppid %d, its leader %d",
				    i, p->pid, p->ppid, leader->ppid);
		c->creates[leader - c->pids] = true;
	} else if (i == 0 && p->ppid) {
		return fail(c, EINVAL, PIDS_AT(ppid), "root task has ppid %d, not 0",
			    p->ppid);
	} else if (p->ppid) {
		parent = seen(c, p->ppid);
		if (!parent || parent->tgid != parent->pid)
			return fail(c, EINVAL, PIDS_AT(ppid),
				    "task %u: pid %d comes before its parent %d",
				    i, p->pid, p->ppid);
		c->creates[parent - c->pids] = true;
		/* A parent waits in vfork() for one child. */
		if (p->flags & CKPT_PIDS_VFORK) {
			if (c->vforks[parent - c->pids])
				return fail(c, EINVAL, PIDS_AT(flags),
					    "task %u: pid %d is a second vfork() child of %d",
					    i, p->pid, p->ppid);
			c->vforks[parent - c->pids] = true;
		}
	}
	if (seen(c, p->pid))
		return fail(c, EINVAL, PIDS_AT(pid), "task %u: pid %d appears twice",
			    i, p->pid);
#undef PIDS_AT
	c->seen[p->pid] = i + 1;
	return 0;
}

/* ckpt_read_tree() */
static int check_tree(struct check *c)
{
	const size_t hlen = sizeof(struct ckpt_hdr_tree);
	const size_t elen = sizeof(struct ckpt_pids);
	const uint8_t *e;
	struct rec r;
	uint32_t n, i;
	int err;

	err = read_record(c, CKPT_HDR_TREE, hlen,
			  hlen + CKPT_TREE_MAX_TASKS * elen, &r);
	if (err)
		return err;
	n = U32(&r, ckpt_hdr_tree, nr_tasks);
	if (!n || n > CKPT_TREE_MAX_TASKS)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_tree, nr_tasks),
			    "nr_tasks %u out of range", n);
	if (r.len != hlen + n * elen)
		return fail(c, EINVAL, AT(&r, ckpt_hdr, len),
			    "length %u does not match nr_tasks %u", r.len, n);
	err = check_zero(c, &r, offsetof(struct ckpt_hdr_tree, _pad),
			 sizeof(((struct ckpt_hdr_tree *)0)->_pad), "tree pad");
	if (err)
		return err;

	c->pids = calloc(n, sizeof(*c->pids));
	c->refs = calloc(n, sizeof(*c->refs));
	c->creates = calloc(n, sizeof(*c->creates));
	c->vforks = calloc(n, sizeof(*c->vforks));
	c->zombies = calloc(n, sizeof(*c->zombies));
	c->seen = calloc(K_PID_MAX_LIMIT + 1, sizeof(*c->seen));
	if (!c->pids || !c->refs || !c->creates || !c->vforks || !c->zombies ||
	    !c->seen) {
		perror("ckptinfo");
		exit(EXIT_USAGE);
	}
	for (i = 0; i < n; i++) {
		e = r.p + hlen + i * elen;
		c->pids[i].pid = get_u32(e + offsetof(struct ckpt_pids, pid));
		c->pids[i].tgid = get_u32(e + offsetof(struct ckpt_pids, tgid));
		c->pids[i].ppid = get_u32(e + offsetof(struct ckpt_pids, ppid));
		c->pids[i].pgid = get_u32(e + offsetof(struct ckpt_pids, pgid));
		c->pids[i].sid = get_u32(e + offsetof(struct ckpt_pids, sid));
		c->pids[i].flags = get_u32(e + offsetof(struct ckpt_pids, flags));
	}
	c->nr_tasks = n;
	for (i = 0; i < n; i++) {
		err = check_pids(c, &r, i);
		if (err)
			return err;
	}
	return 0;
}

/*
 * An element of an array, by what may not appear twice in it (an epoll
 * item's file as restart(2) finds it and its fd, a pid in a namespace),
 * and its index
 */
struct twice_key {
	uint64_t key;
	uint32_t i;
};

static int twice_key_cmp(const void *a, const void *b)
{
	const struct twice_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Sort the @n @keys, and return flags by index of the elements: set for
 * those whose key an element before them has
 */
static uint8_t *mark_twice(struct twice_key *keys, uint32_t n)
{
	uint8_t *twice = calloc(n ?: 1, 1);
	uint32_t i;

	if (!twice) {
		perror("ckptinfo");
		exit(EXIT_USAGE);
	}
	if (n)
		qsort(keys, n, sizeof(*keys), twice_key_cmp);
	for (i = 1; i < n; i++)
		if (keys[i].key == keys[i - 1].key)
			twice[keys[i].i] = 1;
	return twice;
}

/* Whether pid namespace @k is @anc or one below it */
static bool pidns_below(const struct check *c, uint32_t k, uint32_t anc)
{
	while (k > anc)
		k = c->pidns[k].parent;
	return k == anc;
}

/* The pid namespace @depth levels below the root's on the way to @k */
static uint32_t pidns_up(const struct check *c, uint32_t k, uint32_t depth)
{
	while (c->pidns[k].depth > depth)
		k = c->pidns[k].parent;
	return k;
}

/* Offsets in the image of the ns field of task @i, of its pid @l */
#define TASK_NS_AT(c, i, f) \
	((c)->pidns_tasks + (size_t)(i) * sizeof(struct ckpt_task_pidns) + \
	 offsetof(struct ckpt_task_pidns, f))
static size_t nspid_at(const struct check *c, uint32_t i, uint32_t l)
{
	return c->pidns_pids + ((size_t)c->task_ns[i].first + l) * sizeof(int32_t);
}

static int32_t nspid(const struct check *c, uint32_t i, uint32_t l)
{
	return (int32_t)get_u32(c->im->buf + nspid_at(c, i, l));
}

/*
 * The pid namespaces (the root's, 0, aside) and their inits, in order:
 * each below one before it, its init an entry of the tree
 */
static int check_pidns_list(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pidns);
	struct ckpt_pidns_host *ns;
	const uint8_t *e;
	size_t at;
	uint32_t k;

	for (k = 1; k <= c->nr_pidns; k++) {
		ns = &c->pidns[k];
		e = r->p + hlen + (k - 1) * sizeof(struct ckpt_pidns);
		at = r->off + hlen + (k - 1) * sizeof(struct ckpt_pidns);
		ns->parent = get_u32(e + offsetof(struct ckpt_pidns, parent));
		ns->init = get_u32(e + offsetof(struct ckpt_pidns, init));
		if (ns->parent >= k)
			return fail(c, EINVAL, at + offsetof(struct ckpt_pidns, parent),
				    "pid namespace %u: parent %u is not a namespace before it",
				    k, ns->parent);
		ns->depth = c->pidns[ns->parent].depth + 1;
		if (ns->depth > CKPT_PIDNS_MAX_DEPTH)
			return fail(c, EINVAL, at + offsetof(struct ckpt_pidns, parent),
				    "pid namespace %u: %u levels below the root's, above the maximum %u",
				    k, ns->depth, CKPT_PIDNS_MAX_DEPTH);
		if (ns->init >= c->nr_tasks)
			return fail(c, EINVAL, at + offsetof(struct ckpt_pidns, init),
				    "pid namespace %u: init %u is not an entry of the tree (%u tasks)",
				    k, ns->init, c->nr_tasks);
		if (get_u32(e + offsetof(struct ckpt_pidns, next_pid)) > K_PID_MAX_LIMIT)
			return fail(c, EINVAL, at + offsetof(struct ckpt_pidns, next_pid),
				    "pid namespace %u: next pid %u above the maximum %u",
				    k, get_u32(e + offsetof(struct ckpt_pidns, next_pid)),
				    K_PID_MAX_LIMIT);
		if (get_u32(e + offsetof(struct ckpt_pidns, _pad)))
			return fail(c, EINVAL, at + offsetof(struct ckpt_pidns, _pad),
				    "pid namespace %u: _pad is not zero", k);
	}
	return 0;
}

/*
 * The namespace of each task, and that of its new children: the same
 * or one below it; and as many pids as all of them are levels below the
 * root's namespace
 */
static int check_pidns_tasks(struct check *c, const struct rec *r, uint32_t nr_pids)
{
	struct ckpt_task_pidns_host *t;
	uint32_t i, sum = 0;

	for (i = 0; i < c->nr_tasks; i++) {
		t = &c->task_ns[i];
		t->ns = get_u32(c->im->buf + TASK_NS_AT(c, i, ns));
		t->children = get_u32(c->im->buf + TASK_NS_AT(c, i, children));
		if (t->ns > c->nr_pidns || t->children > c->nr_pidns)
			return fail(c, EINVAL, t->ns > c->nr_pidns ? TASK_NS_AT(c, i, ns) :
				    TASK_NS_AT(c, i, children),
				    "task %u: pid namespace %u, of its children %u: not one of the %u",
				    i, t->ns, t->children, c->nr_pidns);
		if (!pidns_below(c, t->children, t->ns))
			return fail(c, EINVAL, TASK_NS_AT(c, i, children),
				    "task %u: its children go to pid namespace %u, not its own %u or one below it",
				    i, t->children, t->ns);
		t->first = sum;
		sum += c->pidns[t->ns].depth;
	}
	if (sum != nr_pids)
		return fail(c, EINVAL, AT(r, ckpt_hdr_pidns, nr_pids),
			    "nr_pids %u, but the tasks have %u pids in the namespaces below the root's",
			    nr_pids, sum);
	return 0;
}

/* The pids of each task in the namespaces below the root's, in range */
static int check_pidns_pids(struct check *c)
{
	uint32_t i, l, k;
	int32_t pid;

	for (i = 0; i < c->nr_tasks; i++) {
		k = c->task_ns[i].ns;
		for (l = 0; l < c->pidns[k].depth; l++) {
			pid = nspid(c, i, l);
			if (pid <= 0 || pid > K_PID_MAX_LIMIT)
				return fail(c, EINVAL, nspid_at(c, i, l),
					    "task %u: pid %d in pid namespace %u out of range",
					    i, pid, pidns_up(c, k, l + 1));
		}
	}
	return 0;
}

/*
 * The init of each namespace: a process of it, with pid 1 there, created
 * by a process of the namespace above it
 */
static int check_pidns_inits(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pidns);
	const struct ckpt_pids_host *p, *parent;
	uint32_t k, j, d, pk;
	size_t at;

	for (k = 1; k <= c->nr_pidns; k++) {
		j = c->pidns[k].init;
		p = &c->pids[j];
		d = c->pidns[k].depth;
		at = r->off + hlen + (k - 1) * sizeof(struct ckpt_pidns) +
		     offsetof(struct ckpt_pidns, init);
		if (c->task_ns[j].ns != k)
			return fail(c, EINVAL, at,
				    "pid namespace %u: its init, task %u, is in pid namespace %u",
				    k, j, c->task_ns[j].ns);
		if (p->pid != p->tgid)
			return fail(c, EINVAL, at,
				    "pid namespace %u: its init, task %u, is a thread", k, j);
		if (nspid(c, j, d - 1) != 1)
			return fail(c, EINVAL, nspid_at(c, j, d - 1),
				    "pid namespace %u: its init, pid %d, has pid %d in it, not 1",
				    k, p->pid, nspid(c, j, d - 1));
		parent = seen(c, p->ppid);
		if (!parent)
			return fail(c, EINVAL, at,
				    "pid namespace %u: its init, pid %d, has no parent in the image",
				    k, p->pid);
		pk = c->task_ns[parent - c->pids].ns;
		if (pk != c->pidns[k].parent)
			return fail(c, EINVAL, at,
				    "pid namespace %u: the parent %d of its init is in pid namespace %u, not %u",
				    k, p->ppid, pk, c->pidns[k].parent);
	}
	return 0;
}

/*
 * The other tasks of a namespace: after its init; a thread in the
 * namespace of its leader (in the root's too); a process a child of a
 * process of the namespace or of one above it
 */
static int check_pidns_members(struct check *c)
{
	const struct ckpt_pids_host *p, *parent;
	uint32_t i, k, pk;

	for (i = 0; i < c->nr_tasks; i++) {
		k = c->task_ns[i].ns;
		p = &c->pids[i];
		if (k && i < c->pidns[k].init)
			return fail(c, EINVAL, TASK_NS_AT(c, i, ns),
				    "task %u: pid %d of pid namespace %u comes before its init, task %u",
				    i, p->pid, k, c->pidns[k].init);
		if (p->pid != p->tgid) {
			pk = c->task_ns[seen(c, p->tgid) - c->pids].ns;
			if (k != pk)
				return fail(c, EINVAL, TASK_NS_AT(c, i, ns),
					    "task %u: thread %d in pid namespace %u, its leader %d in %u",
					    i, p->pid, k, p->tgid, pk);
			continue;
		}
		if (!k || c->pidns[k].init == i)
			continue;
		parent = seen(c, p->ppid);
		if (!parent)
			return fail(c, EINVAL, TASK_NS_AT(c, i, ns),
				    "task %u: pid %d of pid namespace %u, not its init, has no parent in the image",
				    i, p->pid, k);
		pk = c->task_ns[parent - c->pids].ns;
		if (!pidns_below(c, k, pk))
			return fail(c, EINVAL, TASK_NS_AT(c, i, ns),
				    "task %u: pid %d of pid namespace %u has its parent %d in %u, not above it",
				    i, p->pid, k, p->ppid, pk);
	}
	return 0;
}

/* No two tasks with the same pid in a namespace, at any level */
static int check_pidns_unique(struct check *c, uint32_t nr_pids)
{
	struct twice_key *keys;
	uint32_t i, l, k, n = 0;
	uint8_t *twice;
	int err = 0;

	keys = malloc((nr_pids ?: 1) * sizeof(*keys));
	if (!keys) {
		perror("ckptinfo");
		exit(EXIT_USAGE);
	}
	for (i = 0; i < c->nr_tasks; i++) {
		k = c->task_ns[i].ns;
		for (l = 0; l < c->pidns[k].depth; l++, n++) {
			keys[n].key = (uint64_t)pidns_up(c, k, l + 1) << 32 |
				      (uint32_t)nspid(c, i, l);
			keys[n].i = n;
		}
	}
	twice = mark_twice(keys, n);
	for (i = 0; i < c->nr_tasks && !err; i++) {
		k = c->task_ns[i].ns;
		for (l = 0; l < c->pidns[k].depth && !err; l++)
			if (twice[c->task_ns[i].first + l])
				err = fail(c, EINVAL, nspid_at(c, i, l),
					   "task %u: pid %d in pid namespace %u, which a task before it has",
					   i, nspid(c, i, l), pidns_up(c, k, l + 1));
	}
	free(keys);
	free(twice);
	return err;
}

/*
 * ckpt_read_pidns(): the pid namespaces record, if the tree is followed
 * by one.  nr_ns namespaces, 1 to the number of tasks; then one entry a
 * task; then the pids of the tasks in the namespaces between the root's
 * and their own, no more than CKPT_PIDNS_MAX_DEPTH a task.  Another
 * one, or one elsewhere, is refused by whatever reads it next, as a
 * record it does not expect.  The minor version of the image is not
 * checked.
 */
static int check_pidns(struct check *c)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pidns);
	uint32_t type, nr_ns, nr_pids, n = c->nr_tasks;
	uint64_t len;
	struct rec r;
	int err;

	err = peek_type(c, &type);
	if (err || type != CKPT_HDR_PIDNS)
		return err;
	err = read_record(c, CKPT_HDR_PIDNS, hlen, PIDNS_MAX_LEN, &r);
	if (err)
		return err;
	nr_ns = U32(&r, ckpt_hdr_pidns, nr_ns);
	nr_pids = U32(&r, ckpt_hdr_pidns, nr_pids);
	if (!nr_ns || nr_ns > n)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_pidns, nr_ns),
			    "nr_ns %u out of range: %u tasks", nr_ns, n);
	if (nr_pids > (uint64_t)n * CKPT_PIDNS_MAX_DEPTH)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_pidns, nr_pids),
			    "nr_pids %u above the maximum %u for %u tasks", nr_pids,
			    n * CKPT_PIDNS_MAX_DEPTH, n);
	len = hlen + (uint64_t)nr_ns * sizeof(struct ckpt_pidns) +
	      (uint64_t)n * sizeof(struct ckpt_task_pidns) +
	      (uint64_t)nr_pids * sizeof(int32_t);
	if (r.len != len)
		return fail(c, EINVAL, AT(&r, ckpt_hdr, len),
			    "length %u does not match nr_ns %u, nr_pids %u and %u tasks",
			    r.len, nr_ns, nr_pids, n);

	c->pidns = calloc(nr_ns + 1, sizeof(*c->pidns));
	c->task_ns = calloc(n, sizeof(*c->task_ns));
	if (!c->pidns || !c->task_ns) {
		perror("ckptinfo");
		exit(EXIT_USAGE);
	}
	c->nr_pidns = nr_ns;
	c->pidns_index = r.index;
	c->pidns_tasks = r.off + hlen + nr_ns * sizeof(struct ckpt_pidns);
	c->pidns_pids = c->pidns_tasks + n * sizeof(struct ckpt_task_pidns);
	return check_pidns_list(c, &r) ?: check_pidns_tasks(c, &r, nr_pids) ?:
	       check_pidns_pids(c) ?: check_pidns_inits(c, &r) ?:
	       check_pidns_members(c) ?: check_pidns_unique(c, nr_pids);
}

/*
 * A CKPT_HDR_NET record being checked, whose counts match its length:
 * its devices, addresses and routes, and where each array starts in it.
 */
struct net_rec {
	const struct rec *r;
	uint32_t nr_devs, nr_addrs, nr_routes;
	size_t devs, addrs, routes;
};

/* Offset in the record of field @f of its device, address or route @i */
#define ND_OFF(n, i, f)	((n)->devs + (size_t)(i) * sizeof(struct ckpt_netdev) + \
			 offsetof(struct ckpt_netdev, f))
#define NA_OFF(n, i, f)	((n)->addrs + (size_t)(i) * sizeof(struct ckpt_netaddr) + \
			 offsetof(struct ckpt_netaddr, f))
#define NR_OFF(n, i, f)	((n)->routes + (size_t)(i) * sizeof(struct ckpt_netroute) + \
			 offsetof(struct ckpt_netroute, f))

/* The __u32 at @off in the record */
static uint32_t net_u32(const struct net_rec *n, size_t off)
{
	return get_u32(n->r->p + off);
}

/* ckpt_netdev_find(): the index of the first device @ifindex, or -1 */
static long net_dev_find(const struct net_rec *n, int32_t ifindex)
{
	uint32_t i;

	for (i = 0; i < n->nr_devs; i++)
		if ((int32_t)net_u32(n, ND_OFF(n, i, ifindex)) == ifindex)
			return i;
	return -1;
}

/* isspace() of the kernel (lib/ctype.c): Latin-1's no-break space too */
static bool k_isspace(uint8_t ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r') || ch == 0xa0;
}

/*
 * dev_valid_name(), of a name NUL terminated in its K_IFNAMSIZ bytes, and
 * no '%', which rtnetlink takes as a pattern: ckpt_check_ifname()
 */
static bool dev_valid_name(const uint8_t *name)
{
	const char *s = (const char *)name;
	size_t i;

	if (!name[0] || strnlen(s, K_IFNAMSIZ) == K_IFNAMSIZ)
		return false;
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (i = 0; name[i]; i++)
		if (name[i] == '/' || name[i] == ':' || name[i] == '%' ||
		    k_isspace(name[i]))
			return false;
	return true;
}

/* ckpt_check_ifname(): the name at @off, a device name as dev_valid_name() takes it */
static int check_ifname(struct check *c, const struct rec *r, size_t off,
			const char *field)
{
	char name[4 * K_IFNAMSIZ + 8];
	int err = check_string(c, r, off, K_IFNAMSIZ, field);

	if (!err && !dev_valid_name(r->p + off)) {
		c_quote(name, sizeof(name), r->p + off, K_IFNAMSIZ);
		err = fail(c, EINVAL, r->off + off, "%s \"%s\" is not a device name",
			   field, name);
	}
	return err;
}

/*
 * ckpt_netdev_check(): device @i.  A veth whose peer is in the record
 * names it by peer_ifindex, and the peer names it back; one whose peer
 * is outside has peer_ifindex 0, the peer's name, flags, MTU and address.
 * Any other device has no peer.
 */
static int check_netdev(struct check *c, const struct net_rec *n, uint32_t i)
{
	const struct rec *r = n->r;
	int32_t ifindex = net_u32(n, ND_OFF(n, i, ifindex));
	int32_t peer_ifindex = net_u32(n, ND_OFF(n, i, peer_ifindex));
	uint32_t kind = net_u32(n, ND_OFF(n, i, kind));
	uint32_t flags = net_u32(n, ND_OFF(n, i, flags));
	uint32_t peer_flags = net_u32(n, ND_OFF(n, i, peer_flags));
	uint32_t peer_mtu = net_u32(n, ND_OFF(n, i, peer_mtu));
	uint32_t addr_len = net_u32(n, ND_OFF(n, i, addr_len));
	long peer;
	size_t at;
	int err;

	if (ifindex <= 0 || ifindex > INT32_MAX - CKPT_NET_MAX ||
	    net_dev_find(n, ifindex) != (long)i)
		return fail(c, EINVAL, r->off + ND_OFF(n, i, ifindex), "device ifindex %d",
			    ifindex);
	if (kind < CKPT_NETDEV_LOOPBACK || kind > CKPT_NETDEV_VETH)
		return fail(c, EINVAL, r->off + ND_OFF(n, i, kind), "device %d of kind %u",
			    ifindex, kind);
	/* The loopback device, and it alone, is at K_LOOPBACK_IFINDEX. */
	if (kind == CKPT_NETDEV_LOOPBACK ? ifindex != K_LOOPBACK_IFINDEX :
					   ifindex == K_LOOPBACK_IFINDEX)
		return fail(c, EINVAL, r->off + ND_OFF(n, i, kind), "device %d of kind %u",
			    ifindex, kind);
	if ((flags | peer_flags) & ~CKPT_NETDEV_ALL || addr_len > CKPT_NETDEV_ADDR_LEN) {
		if (flags & ~CKPT_NETDEV_ALL)
			at = ND_OFF(n, i, flags);
		else if (peer_flags & ~CKPT_NETDEV_ALL)
			at = ND_OFF(n, i, peer_flags);
		else
			at = ND_OFF(n, i, addr_len);
		return fail(c, EINVAL, r->off + at,
			    "device %d flags %#x, %#x, address length %u",
			    ifindex, flags, peer_flags, addr_len);
	}
	err = check_zero(c, r, ND_OFF(n, i, addr) + addr_len,
			 CKPT_NETDEV_ADDR_LEN - addr_len, "addr") ?:
	      check_ifname(c, r, ND_OFF(n, i, name), "device name");
	if (err)
		return err;
	if (kind != CKPT_NETDEV_VETH && peer_ifindex)
		return fail(c, EINVAL, r->off + ND_OFF(n, i, peer_ifindex),
			    "device %d of kind %u with a peer", ifindex, kind);
	if (kind == CKPT_NETDEV_VETH && peer_ifindex) {
		peer = net_dev_find(n, peer_ifindex);
		if (peer < 0 || peer == (long)i ||
		    net_u32(n, ND_OFF(n, peer, kind)) != CKPT_NETDEV_VETH ||
		    (int32_t)net_u32(n, ND_OFF(n, peer, peer_ifindex)) != ifindex ||
		    net_u32(n, ND_OFF(n, peer, addr_len)) != addr_len)
			return fail(c, EINVAL, r->off + ND_OFF(n, i, peer_ifindex),
				    "veth %d: peer %d", ifindex, peer_ifindex);
	} else if (kind == CKPT_NETDEV_VETH) {
		return check_zero(c, r, ND_OFF(n, i, peer_addr) + addr_len,
				  CKPT_NETDEV_ADDR_LEN - addr_len, "peer_addr") ?:
		       check_ifname(c, r, ND_OFF(n, i, peer_name), "peer name");
	}
	if (peer_flags || peer_mtu)
		return fail(c, EINVAL, r->off + (peer_flags ? ND_OFF(n, i, peer_flags) :
						 ND_OFF(n, i, peer_mtu)),
			    "device %d: a peer outside", ifindex);
	return check_zero(c, r, ND_OFF(n, i, peer_addr), CKPT_NETDEV_ADDR_LEN,
			  "peer_addr") ?:
	       check_zero(c, r, ND_OFF(n, i, peer_name), K_IFNAMSIZ, "peer_name");
}

/*
 * ckpt_netaddr_check(): address @i, of a device of the record.  Of an
 * IPv6 address, local and address are the same and the IPv4 fields zero.
 */
static int check_netaddr(struct check *c, const struct net_rec *n, uint32_t i)
{
	const struct rec *r = n->r;
	int32_t ifindex = get_u32(r->p + NA_OFF(n, i, ifindex));
	uint16_t family = get_u16(r->p + NA_OFF(n, i, family));
	uint8_t prefixlen = r->p[NA_OFF(n, i, prefixlen)];
	uint32_t flags = get_u32(r->p + NA_OFF(n, i, flags));
	size_t alen = family == K_AF_INET ? 4 : 16, at = 0, k;

	if (net_dev_find(n, ifindex) < 0)
		return fail(c, EINVAL, r->off + NA_OFF(n, i, ifindex),
			    "an address of device %d, not saved", ifindex);
	if ((family != K_AF_INET && family != K_AF_INET6) || prefixlen > alen * 8 ||
	    flags & ~CKPT_NETADDR_ALL) {
		if (family != K_AF_INET && family != K_AF_INET6)
			at = NA_OFF(n, i, family);
		else if (prefixlen > alen * 8)
			at = NA_OFF(n, i, prefixlen);
		else
			at = NA_OFF(n, i, flags);
		return fail(c, EINVAL, r->off + at,
			    "address family %u, prefix length %u, flags %#x",
			    family, prefixlen, flags);
	}
	if (family == K_AF_INET6) {
		if (r->p[NA_OFF(n, i, scope)])
			at = r->off + NA_OFF(n, i, scope);
		for (k = 0; !at && k < 16; k++)
			if (r->p[NA_OFF(n, i, local) + k] != r->p[NA_OFF(n, i, address) + k])
				at = r->off + NA_OFF(n, i, address) + k;
		if (!at)
			at = nonzero_at(r, NA_OFF(n, i, broadcast), 4);
		if (!at)
			at = nonzero_at(r, NA_OFF(n, i, label), K_IFNAMSIZ);
		if (at)
			return fail(c, EINVAL, at, "IPv6 address with IPv4 fields");
	}
	return check_zero(c, r, NA_OFF(n, i, local) + alen, 16 - alen, "local") ?:
	       check_zero(c, r, NA_OFF(n, i, address) + alen, 16 - alen, "address") ?:
	       check_string(c, r, NA_OFF(n, i, label), K_IFNAMSIZ, "label") ?:
	       check_zero(c, r, NA_OFF(n, i, _pad), 4, "_pad") ?:
	       check_zero(c, r, NA_OFF(n, i, _pad2), 4, "_pad2");
}

/*
 * ckpt_netroute_check(): route @i, of a type that restart makes, not one
 * the kernel made, through a device of the record if any.  Its gateway
 * and source address are zero without their flags.
 */
static int check_netroute(struct check *c, const struct net_rec *n, uint32_t i)
{
	const struct rec *r = n->r;
	uint16_t family = get_u16(r->p + NR_OFF(n, i, family));
	uint8_t dst_len = r->p[NR_OFF(n, i, dst_len)];
	uint8_t protocol = r->p[NR_OFF(n, i, protocol)];
	uint8_t type = r->p[NR_OFF(n, i, type)];
	uint32_t flags = get_u32(r->p + NR_OFF(n, i, flags));
	int32_t oif = get_u32(r->p + NR_OFF(n, i, oif));
	size_t alen = family == K_AF_INET ? 4 : 16, at;
	bool type_ok = type == K_RTN_UNICAST || type == K_RTN_BLACKHOLE ||
		       type == K_RTN_UNREACHABLE || type == K_RTN_PROHIBIT;

	if ((family != K_AF_INET && family != K_AF_INET6) || dst_len > alen * 8 ||
	    flags & ~CKPT_ROUTE_ALL || protocol == K_RTPROT_KERNEL || !type_ok) {
		if (family != K_AF_INET && family != K_AF_INET6)
			at = NR_OFF(n, i, family);
		else if (dst_len > alen * 8)
			at = NR_OFF(n, i, dst_len);
		else if (flags & ~CKPT_ROUTE_ALL)
			at = NR_OFF(n, i, flags);
		else if (protocol == K_RTPROT_KERNEL)
			at = NR_OFF(n, i, protocol);
		else
			at = NR_OFF(n, i, type);
		return fail(c, EINVAL, r->off + at,
			    "route family %u, length %u, flags %#x, protocol %u, type %u",
			    family, dst_len, flags, protocol, type);
	}
	if (oif && net_dev_find(n, oif) < 0)
		return fail(c, EINVAL, r->off + NR_OFF(n, i, oif),
			    "a route through device %d, not saved", oif);
	at = flags & CKPT_ROUTE_GATEWAY ? 0 : nonzero_at(r, NR_OFF(n, i, gateway), 16);
	if (at)
		return fail(c, EINVAL, at, "route gateway without its flag");
	at = flags & CKPT_ROUTE_PREFSRC ? 0 : nonzero_at(r, NR_OFF(n, i, prefsrc), 16);
	if (at)
		return fail(c, EINVAL, at, "route source without its flag");
	return check_zero(c, r, NR_OFF(n, i, dst) + alen, 16 - alen, "dst") ?:
	       check_zero(c, r, NR_OFF(n, i, gateway) + alen, 16 - alen, "gateway") ?:
	       check_zero(c, r, NR_OFF(n, i, prefsrc) + alen, 16 - alen, "prefsrc") ?:
	       check_zero(c, r, NR_OFF(n, i, _pad), 1, "_pad") ?:
	       check_zero(c, r, NR_OFF(n, i, _pad2), 4, "_pad2");
}

/*
 * ckpt_net_read(): the CKPT_HDR_NET record, right after a namespaces
 * record whose net has CKPT_NET_CONFIG.  Its counts, at most CKPT_NET_MAX
 * each, make its length; the loopback device (ifindex 1) is among its
 * devices; then each device, each address and each route is checked, in
 * this order.  What rtnetlink alone refuses when restart makes them (a
 * name already taken, an MTU out of range, ...) is not checked.
 */
static int check_net(struct check *c)
{
	const size_t hlen = sizeof(struct ckpt_hdr_net);
	struct net_rec n;
	struct rec r;
	uint64_t len;
	uint32_t i;
	size_t at;
	int err;

	err = read_record(c, CKPT_HDR_NET, hlen, CKPT_RECORD_MAX, &r);
	if (err)
		return err;
	n.r = &r;
	n.nr_devs = U32(&r, ckpt_hdr_net, nr_devs);
	n.nr_addrs = U32(&r, ckpt_hdr_net, nr_addrs);
	n.nr_routes = U32(&r, ckpt_hdr_net, nr_routes);
	len = hlen + (uint64_t)n.nr_devs * sizeof(struct ckpt_netdev) +
	      (uint64_t)n.nr_addrs * sizeof(struct ckpt_netaddr) +
	      (uint64_t)n.nr_routes * sizeof(struct ckpt_netroute);
	if (n.nr_devs > CKPT_NET_MAX || n.nr_addrs > CKPT_NET_MAX ||
	    n.nr_routes > CKPT_NET_MAX || U32(&r, ckpt_hdr_net, _pad) || r.len != len) {
		if (n.nr_devs > CKPT_NET_MAX)
			at = AT(&r, ckpt_hdr_net, nr_devs);
		else if (n.nr_addrs > CKPT_NET_MAX)
			at = AT(&r, ckpt_hdr_net, nr_addrs);
		else if (n.nr_routes > CKPT_NET_MAX)
			at = AT(&r, ckpt_hdr_net, nr_routes);
		else if (U32(&r, ckpt_hdr_net, _pad))
			at = nonzero_at(&r, offsetof(struct ckpt_hdr_net, _pad), 4);
		else
			at = AT(&r, ckpt_hdr, len);
		return fail(c, EINVAL, at, "%u devices, %u addresses, %u routes in %u bytes",
			    n.nr_devs, n.nr_addrs, n.nr_routes, r.len);
	}
	n.devs = hlen;
	n.addrs = n.devs + n.nr_devs * sizeof(struct ckpt_netdev);
	n.routes = n.addrs + n.nr_addrs * sizeof(struct ckpt_netaddr);
	if (net_dev_find(&n, K_LOOPBACK_IFINDEX) < 0)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_net, nr_devs), "no loopback device");
	for (i = 0; i < n.nr_devs; i++) {
		err = check_netdev(c, &n, i);
		if (err)
			return err;
	}
	for (i = 0; i < n.nr_addrs; i++) {
		err = check_netaddr(c, &n, i);
		if (err)
			return err;
	}
	for (i = 0; i < n.nr_routes; i++) {
		err = check_netroute(c, &n, i);
		if (err)
			return err;
	}
	return 0;
}

/*
 * ckpt_read_namespaces(): the namespaces record, if the tree is followed
 * by one.  Another one, or one elsewhere, is refused by whatever reads
 * it next, as a record it does not expect.  An IPC namespace may be
 * followed by its SysV IPC objects, which check_tasks() reads as objects
 * of the root.  A network namespace, CKPT_NS_NET, has the CKPT_NET_*
 * flags in net, which is zero without one, and not CKPT_NET_LO_UP and
 * CKPT_NET_CONFIG both.  With CKPT_NET_CONFIG, its devices, addresses and
 * routes follow in a CKPT_HDR_NET record, right after this one (before
 * the SysV IPC objects), which check_net() reads; images of minor 20
 * have CKPT_NET_LO_UP alone, and no such record.  When it restores, the
 * kernel makes them again through rtnetlink, or brings the loopback
 * device up if CKPT_NET_LO_UP says so, which needs CAP_NET_ADMIN in the
 * new namespace (and in the caller's for the peer of a veth that was
 * outside): that depends on the machine, and is not checked.
 */
static int check_namespaces(struct check *c)
{
	const size_t len = sizeof(struct ckpt_hdr_namespaces);
	uint32_t type, flags, net;
	struct rec r;
	int err;

	err = peek_type(c, &type);
	if (err || type != CKPT_HDR_NAMESPACES)
		return err;
	err = read_record(c, CKPT_HDR_NAMESPACES, len, len, &r);
	if (err)
		return err;
	flags = U32(&r, ckpt_hdr_namespaces, flags);
	net = U32(&r, ckpt_hdr_namespaces, net);
	if (!flags || flags & ~CKPT_NS_ALL)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_namespaces, flags), "flags %#x", flags);
	/* the CKPT_NET_* flags go with CKPT_NS_NET, LO_UP and CONFIG not both */
	if (flags & CKPT_NS_NET ? net & ~CKPT_NET_ALL || net == CKPT_NET_ALL : net)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_namespaces, net),
			    "network namespace flags %#x", net);
	c->ns_flags = flags;
	if (flags & CKPT_NS_UTS)
		err = check_string(c, &r, offsetof(struct ckpt_hdr_namespaces, nodename),
				   CKPT_NS_NAME_LEN, "nodename") ?:
		      check_string(c, &r, offsetof(struct ckpt_hdr_namespaces, domainname),
				   CKPT_NS_NAME_LEN, "domainname");
	else
		err = check_zero(c, &r, offsetof(struct ckpt_hdr_namespaces, nodename),
				 CKPT_NS_NAME_LEN, "nodename") ?:
		      check_zero(c, &r, offsetof(struct ckpt_hdr_namespaces, domainname),
				 CKPT_NS_NAME_LEN, "domainname");
	err = err ?:
	      check_zero(c, &r, offsetof(struct ckpt_hdr_namespaces, _pad2),
			 sizeof(((struct ckpt_hdr_namespaces *)0)->_pad2), "_pad2");
	if (!err && net & CKPT_NET_CONFIG)
		err = check_net(c);
	return err;
}

/*
 * When it restores, before it creates a task, restart(2) checks that it
 * can make the sessions and process groups again (ckpt_check_sessions()):
 * a process whose group has no leader in the image needs a stand-in
 * leader (ckpt_check_ghost()), one in a session whose leader is not its
 * parent's and not in the image a stand-in session leader
 * (ckpt_check_sghost()).  A process of a pid namespace below the root's
 * cannot have one (EOPNOTSUPP): that is checked, even though
 * RESTART_VALIDATE does not get there.  The other refusals of
 * ckpt_check_sessions(), which come from the tree alone too, are not,
 * but the check stops at them as the kernel's does.
 */
static int check_standin(struct check *c, uint32_t i, const char *what)
{
	if (!c->task_ns[i].ns)
		return 0;
	c->rec_index = c->pidns_index;
	set_type(c, CKPT_HDR_PIDNS);
	return fail(c, EOPNOTSUPP, TASK_NS_AT(c, i, ns),
		    "pid %d, of pid namespace %u, needs a stand-in %s: not supported",
		    c->pids[i].pid, c->task_ns[i].ns, what);
}

/*
 * ckpt_check_session() of process @i: 0 to go on with the next process,
 * 1 where the kernel refuses the image for another reason, or the error
 */
static int check_session(struct check *c, uint32_t *ghosts, uint32_t *sessions,
			 uint32_t i)
{
	const struct ckpt_pids_host *root = &c->pids[0], *p = &c->pids[i], *g;
	bool outside;
	int err;

	if (p->sid == p->pid && p->pgid != p->pid)
		return 1;
	outside = !p->ppid && i && p->sid != p->pid &&
		  (root->sid == root->pid || p->sid != root->sid);
	if (p->ppid && p->sid != p->pid)
		outside = seen(c, p->ppid)->sid != p->sid;
	if (outside) {
		err = check_standin(c, i, "session leader");
		if (err)
			return err;
		if (p->sid <= 0 || p->flags || seen(c, p->sid))
			return 1;
		if (!sessions[p->sid])
			sessions[p->sid] = i + 1;
		else if (c->pids[sessions[p->sid] - 1].ppid != p->ppid)
			return 1;
	}
	if (p->pgid == p->pid || (root->pgid != root->pid && p->pgid == root->pgid))
		return 0;
	g = seen(c, p->pgid);
	if (!g && p->pgid == p->sid && sessions[p->sid])
		return 0;
	if (g)
		return g->pgid != p->pgid || g->sid != p->sid;
	err = check_standin(c, i, "process group leader");
	if (err || !p->pgid)
		return err ?: 1;
	if (!ghosts[p->pgid])
		ghosts[p->pgid] = i + 1;
	return c->pids[ghosts[p->pgid] - 1].sid != p->sid;
}

static int check_sessions(struct check *c)
{
	const struct ckpt_pids_host *p, *leader;
	uint32_t *ghosts, *sessions, i;
	int err = 0;

	/* Without a pidns record, every process is in the root's namespace. */
	if (!c->nr_pidns)
		return 0;
	ghosts = calloc(K_PID_MAX_LIMIT + 1, sizeof(*ghosts));
	sessions = calloc(K_PID_MAX_LIMIT + 1, sizeof(*sessions));
	if (!ghosts || !sessions) {
		perror("ckptinfo");
		exit(EXIT_USAGE);
	}
	for (i = 0; !err && i < c->nr_tasks; i++) {
		p = &c->pids[i];
		if (p->pid == p->tgid) {
			err = check_session(c, ghosts, sessions, i);
			continue;
		}
		leader = seen(c, p->tgid);
		if (p->pgid != leader->pgid || p->sid != leader->sid)
			err = 1;
	}
	free(ghosts);
	free(sessions);
	return err < 0 ? err : 0;
}

/* ckpt_obj_restore(): the record at c->pos defines an object of @k. */
static int check_object(struct check *c, const struct kind *k)
{
	struct rec r;
	uint32_t objref;
	int err;

	err = read_record(c, k->type, k->min_len, k->max_len, &r);
	if (err)
		return err;
	objref = U32(&r, ckpt_hdr_obj, objref);
	if (objref != c->nr_objs + 1)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_obj, objref),
			    "objref %u out of sequence, expected %u",
			    objref, c->nr_objs + 1);
	err = check_zero(c, &r, offsetof(struct ckpt_hdr_obj, _pad),
			 sizeof(((struct ckpt_hdr_obj *)0)->_pad), "objref pad");
	if (err)
		return err;

	/* Room for the object first: its check may set its state. */
	if (c->nr_objs == c->obj_cap) {
		size_t cap = c->obj_cap ? 2 * c->obj_cap : 64;
		uint32_t *t = realloc(c->obj_type, cap * sizeof(*t));
		uint8_t *taken = t ? realloc(c->obj_taken, cap) : NULL;
		uint32_t *owner = taken ? realloc(c->obj_owner, cap * sizeof(*owner)) : NULL;
		uint8_t *sotype = owner ? realloc(c->obj_sotype, cap) : NULL;
		uint8_t *fkind = sotype ? realloc(c->obj_fkind, cap) : NULL;
		uint8_t *epdepth = fkind ? realloc(c->obj_epdepth, cap) : NULL;
		uint32_t *fflags = epdepth ? realloc(c->obj_fflags, cap * sizeof(*fflags)) : NULL;
		uint64_t *size = fflags ? realloc(c->obj_size, cap * sizeof(*size)) : NULL;
		uint8_t *acc = size ? realloc(c->obj_acc, cap) : NULL;
		struct ckpt_tcp_host *tcp = acc ? realloc(c->obj_tcp, cap * sizeof(*tcp)) :
					    NULL;
		size_t *off = tcp ? realloc(c->obj_off, cap * sizeof(*off)) : NULL;

		if (!t || !taken || !owner || !sotype || !fkind || !epdepth || !fflags ||
		    !size || !acc || !tcp || !off) {
			perror("ckptinfo");
			exit(EXIT_USAGE);
		}
		c->obj_type = t;
		c->obj_taken = taken;
		c->obj_owner = owner;
		c->obj_sotype = sotype;
		c->obj_fkind = fkind;
		c->obj_epdepth = epdepth;
		c->obj_fflags = fflags;
		c->obj_size = size;
		c->obj_acc = acc;
		c->obj_tcp = tcp;
		c->obj_off = off;
		c->obj_cap = cap;
	}
	c->obj_taken[c->nr_objs] = 0;
	c->obj_sotype[c->nr_objs] = 0;
	c->obj_fkind[c->nr_objs] = 0;
	c->obj_epdepth[c->nr_objs] = 0;
	c->obj_fflags[c->nr_objs] = 0;
	c->obj_size[c->nr_objs] = 0;
	c->obj_acc[c->nr_objs] = 0;
	c->obj_tcp[c->nr_objs] = (struct ckpt_tcp_host){ 0 };
	c->obj_off[c->nr_objs] = r.off;
	err = k->check(c, &r);
	if (err)
		return err;
	c->obj_owner[c->nr_objs] = c->cur_task;
	c->obj_type[c->nr_objs++] = k->type;
	return 0;
}

/* ckpt_obj_fetch(): @objref must name an object of record type @type. */
static int check_ref(struct check *c, uint32_t objref, uint32_t type,
		     const char *field, size_t offset)
{
	if (!objref || objref > c->nr_objs)
		return fail(c, EBADR, offset,
			    "field %s refers to object %u, not defined before",
			    field, objref);
	if (c->obj_type[objref - 1] != type)
		return fail(c, EBADR, offset,
			    "field %s refers to object %u, a %s, not a %s", field,
			    objref, type_name(c->obj_type[objref - 1]),
			    type_name(type));
	return 0;
}

/*
 * ckpt_check_pid_ref(): @pid, at @offset, is the pid of a task of the
 * tree record and, unless @thread, of a process (a task whose pid is its
 * tgid).  Only the tree is looked at: the task may come later in the
 * image, and restart then allocates its pid before it.
 */
static int check_pid_ref(struct check *c, int32_t pid, bool thread, size_t offset)
{
	const struct ckpt_pids_host *p = seen(c, pid);

	if (!p)
		return fail(c, EINVAL, offset, "pid %d is no task of the image", pid);
	if (!thread && p->pid != p->tgid)
		return fail(c, EINVAL, offset, "pid %d is a thread, not a process", pid);
	return 0;
}

/*
 * A path of @len bytes at @off in the record, NUL included: absolute
 * and NUL terminated, as restore_check_vma() and restore_check_mm() want.
 */
static int check_path(struct check *c, const struct rec *r, size_t off,
		      uint32_t len, const char *what)
{
	const uint8_t *path = r->p + off;
	const uint8_t *nul = memchr(path, '\0', len);

	if (!nul || (size_t)(nul - path) != len - 1)
		return fail(c, EINVAL, r->off + off + (nul ? nul - path : len - 1),
			    "%s is not absolute and NUL terminated", what);
	if (path[0] != '/')
		return fail(c, EINVAL, r->off + off,
			    "%s is not absolute and NUL terminated", what);
	return 0;
}

/* The flags a mapping from the parent may have, as the kernel allows them */
#define VMA_FORKED_FLAGS	(CKPT_VMA_READ | CKPT_VMA_WRITE | CKPT_VMA_EXEC | \
				 CKPT_VMA_MAYREAD | CKPT_VMA_MAYWRITE |		\
				 CKPT_VMA_MAYEXEC | CKPT_VMA_GROWSDOWN |	\
				 CKPT_VMA_NORESERVE | CKPT_VMA_HUGEPAGE |	\
				 CKPT_VMA_NOHUGEPAGE | CKPT_VMA_FORKED)

/* ckpt_huge_size_ok(): whether the kernel has huge pages of @size bytes */
static bool huge_size_ok(uint64_t size)
{
	return size == K_HPAGE_PMD_SIZE || size == K_HPAGE_PUD_SIZE;
}

/* The size of the pages of shared memory of huge pages, object @objref */
static uint64_t shm_page_size(const struct check *c, uint32_t objref)
{
	return get_u64(c->im->buf + c->obj_off[objref - 1] +
		       offsetof(struct ckpt_hdr_shmem_hugetlb, page_size));
}

/*
 * restore_check_huge(): hugetlb memory, of pages of a size the kernel
 * has, its range and its offset aligned to it, neither growing down nor
 * wiped on fork, with no file identity.  Private, it has no offset;
 * shared, it names shared memory of huge pages (CKPT_HDR_SHMEM_HUGETLB)
 * of pages of that size, and maps it from its offset, within its size.
 */
static int check_huge(struct check *c, const struct rec *r)
{
	const size_t shm = sizeof(struct ckpt_hdr_vma);
	uint64_t start = U64(r, ckpt_hdr_vma, start), end = U64(r, ckpt_hdr_vma, end);
	uint64_t size = U64(r, ckpt_hdr_vma, size);
	uint64_t pgoff = U64(r, ckpt_hdr_vma, pgoff);
	uint32_t flags = U32(r, ckpt_hdr_vma, flags);
	bool shared = flags & CKPT_VMA_SHARED;
	uint64_t obj_size, obj_page;
	uint32_t ref;
	size_t at;
	int err;

	if (!huge_size_ok(size))
		at = AT(r, ckpt_hdr_vma, size);
	else if (start % size)
		at = AT(r, ckpt_hdr_vma, start);
	else if (end % size)
		at = AT(r, ckpt_hdr_vma, end);
	/* pgoff << PAGE_SHIFT, modulo 2^64: a private mapping's is not bounded */
	else if ((pgoff << K_PAGE_SHIFT) % size)
		at = AT(r, ckpt_hdr_vma, pgoff);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at,
			    "hugetlb mapping %#llx-%#llx at %#llx of pages of %llu bytes",
			    (unsigned long long)start, (unsigned long long)end,
			    (unsigned long long)pgoff, (unsigned long long)size);
	if (flags & (CKPT_VMA_GROWSDOWN | CKPT_VMA_WIPEONFORK))
		at = AT(r, ckpt_hdr_vma, flags);
	else if (!shared && pgoff)
		at = AT(r, ckpt_hdr_vma, pgoff);
	else if (U64(r, ckpt_hdr_vma, ino))
		at = AT(r, ckpt_hdr_vma, ino);
	else if (U64(r, ckpt_hdr_vma, dev))
		at = AT(r, ckpt_hdr_vma, dev);
	else if (U64(r, ckpt_hdr_vma, mtime_sec))
		at = AT(r, ckpt_hdr_vma, mtime_sec);
	else if (U32(r, ckpt_hdr_vma, mtime_nsec))
		at = AT(r, ckpt_hdr_vma, mtime_nsec);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "hugetlb mapping %#llx-%#llx: flags %#x or file fields",
			    (unsigned long long)start, (unsigned long long)end, flags);
	if (!shared)
		return 0;
	ref = get_u32(r->p + shm + offsetof(struct ckpt_vma_shmem, shmem_ref));
	err = check_ref(c, ref, CKPT_HDR_SHMEM_HUGETLB, "shmem_ref",
			r->off + shm + offsetof(struct ckpt_vma_shmem, shmem_ref));
	if (err)
		return err;
	/* pgoff is within CKPT_VMA_PGOFF_MAX: this does not wrap */
	obj_size = c->obj_size[ref - 1];
	obj_page = shm_page_size(c, ref);
	if (obj_page != size || (pgoff << K_PAGE_SHIFT) + (end - start) > obj_size)
		return fail(c, EINVAL, obj_page != size ? AT(r, ckpt_hdr_vma, size) :
			    AT(r, ckpt_hdr_vma, end),
			    "mapping %#llx-%#llx at %#llx of pages of %llu maps memory of %llu bytes of pages of %llu",
			    (unsigned long long)start, (unsigned long long)end,
			    (unsigned long long)pgoff, (unsigned long long)size,
			    (unsigned long long)obj_size, (unsigned long long)obj_page);
	return check_zero(c, r, shm + offsetof(struct ckpt_vma_shmem, _pad),
			  sizeof(((struct ckpt_vma_shmem *)0)->_pad), "shmem _pad");
}

/* restore_check_vma(): one VMA record against the one before it */
static int check_vma(struct check *c, const struct rec *r, uint64_t prev_end,
		     unsigned int *seen)
{
	uint64_t start = U64(r, ckpt_hdr_vma, start);
	uint64_t end = U64(r, ckpt_hdr_vma, end);
	uint32_t kind = U32(r, ckpt_hdr_vma, kind);
	uint32_t flags = U32(r, ckpt_hdr_vma, flags);
	uint32_t path_len = U32(r, ckpt_hdr_vma, path_len);
	uint64_t pgoff = U64(r, ckpt_hdr_vma, pgoff);
	const size_t hlen = sizeof(struct ckpt_hdr_vma);
	const size_t shm = hlen + offsetof(struct ckpt_vma_shmem, shmem_ref);
	bool file = kind == CKPT_VMA_FILE;
	bool sysv = kind == CKPT_VMA_SYSVSHM;
	bool huge = kind == CKPT_VMA_HUGETLB;
	/* shared hugetlb memory names its object as shared memory does */
	bool shmem = kind == CKPT_VMA_SHMEM || kind == CKPT_VMA_MEMFD || sysv ||
		     (huge && (flags & CKPT_VMA_SHARED));
	uint32_t payload = shmem ? sizeof(struct ckpt_vma_shmem) : 0;
	uint32_t ref;
	uint64_t size;
	size_t at;
	int err;

	if (start >= end || start % K_PAGE_SIZE || end % K_PAGE_SIZE ||
	    end > K_TASK_SIZE_MAX)
		return fail(c, EINVAL, start >= end || start % K_PAGE_SIZE ?
			    AT(r, ckpt_hdr_vma, start) : AT(r, ckpt_hdr_vma, end),
			    "bad range %#llx-%#llx", (unsigned long long)start,
			    (unsigned long long)end);
	if (start < prev_end)
		return fail(c, EINVAL, AT(r, ckpt_hdr_vma, start),
			    "range %#llx-%#llx overlaps or is out of order",
			    (unsigned long long)start, (unsigned long long)end);
	if (kind < CKPT_VMA_ANON || kind > CKPT_VMA_HUGETLB)
		return fail(c, EINVAL, AT(r, ckpt_hdr_vma, kind), "unknown kind %u",
			    kind);
	if (kind == CKPT_VMA_VDSO || kind == CKPT_VMA_VVAR) {
		if (*seen & (1U << kind))
			return fail(c, EINVAL, AT(r, ckpt_hdr_vma, kind),
				    "a second vDSO mapping");
		*seen |= 1U << kind;
	}
	/*
	 * MAP_NORESERVE is kept for every kind of mapping but a SysV
	 * attachment, whose reserve is its segment's, and the vDSO
	 */
	if ((flags & ~CKPT_VMA_FLAGS_ALL) ||
	    ((sysv || kind == CKPT_VMA_VDSO || kind == CKPT_VMA_VVAR) &&
	     (flags & CKPT_VMA_NORESERVE)) ||
	    ((flags & CKPT_VMA_HUGEPAGE) && (flags & CKPT_VMA_NOHUGEPAGE)))
		return fail(c, EINVAL, AT(r, ckpt_hdr_vma, flags),
			    "unknown flags %#x for kind %u", flags, kind);
	/* A mapping kept from the parent, as fork(2) copied it */
	if ((flags & CKPT_VMA_FORKED) &&
	    ((kind != CKPT_VMA_ANON && !file) || (flags & ~VMA_FORKED_FLAGS) ||
	     !c->pids[c->cur_task].ppid))
		return fail(c, EINVAL, AT(r, ckpt_hdr_vma, flags),
			    "kind %u, flags %#x: not a mapping a parent in the image gave",
			    kind, flags);
	if (r->len != hlen + path_len ||
	    (file && (path_len < 2 || path_len > CKPT_PATH_MAX)) ||
	    (!file && path_len != payload))
		return fail(c, EINVAL, r->len != hlen + path_len ?
			    AT(r, ckpt_hdr, len) : AT(r, ckpt_hdr_vma, path_len),
			    "length %u does not match path_len %u", r->len, path_len);
	if (file) {
		err = check_path(c, r, hlen, path_len, "path");
		if (err)
			return err;
	}
	/* A file mapping must end where a file can: mmap(2) would refuse. */
	if ((file || shmem) &&
	    (pgoff > CKPT_VMA_PGOFF_MAX ||
	     (end - start) / K_PAGE_SIZE > CKPT_VMA_PGOFF_MAX - pgoff))
		return fail(c, EINVAL, AT(r, ckpt_hdr_vma, pgoff),
			    "pgoff %#llx: beyond the end of any file",
			    (unsigned long long)pgoff);
	if (huge)
		return check_huge(c, r);
	if (!shmem)
		return 0;
	/*
	 * A memfd may be mapped privately, shared memory may not; a SysV
	 * segment is mapped whole, from its start.
	 */
	if (kind != CKPT_VMA_MEMFD && !(flags & CKPT_VMA_SHARED))
		at = AT(r, ckpt_hdr_vma, flags);
	else if (sysv && pgoff)
		at = AT(r, ckpt_hdr_vma, pgoff);
	else if (U64(r, ckpt_hdr_vma, ino))
		at = AT(r, ckpt_hdr_vma, ino);
	else if (U64(r, ckpt_hdr_vma, dev))
		at = AT(r, ckpt_hdr_vma, dev);
	else if (U64(r, ckpt_hdr_vma, size))
		at = AT(r, ckpt_hdr_vma, size);
	else if (U64(r, ckpt_hdr_vma, mtime_sec))
		at = AT(r, ckpt_hdr_vma, mtime_sec);
	else if (U32(r, ckpt_hdr_vma, mtime_nsec))
		at = AT(r, ckpt_hdr_vma, mtime_nsec);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "shared memory mapping: flags %#x or file fields",
			    flags);
	/* As shmat(2) attaches a segment, read-only or not, never mprotect()ed or locked */
	if (sysv && (!(flags & CKPT_VMA_READ) || !(flags & CKPT_VMA_MAYREAD) ||
		     !(flags & CKPT_VMA_WRITE) != !(flags & CKPT_VMA_MAYWRITE) ||
		     (flags & (CKPT_VMA_GROWSDOWN | CKPT_VMA_LOCKED))))
		return fail(c, EINVAL, AT(r, ckpt_hdr_vma, flags),
			    "SysV shared memory mapping with flags %#x", flags);
	ref = get_u32(r->p + shm);
	err = check_ref(c, ref, kind == CKPT_VMA_SHMEM ? CKPT_HDR_SHMEM :
			kind == CKPT_VMA_MEMFD ? CKPT_HDR_MEMFD : CKPT_HDR_IPC_SHM,
			"shmem_ref", r->off + shm);
	if (err)
		return err;
	/* All of the segment, from its start */
	size = sysv ? c->obj_size[ref - 1] : 0;
	if (sysv && end - start != ((size + K_PAGE_SIZE - 1) & ~(uint64_t)(K_PAGE_SIZE - 1)))
		return fail(c, EINVAL, AT(r, ckpt_hdr_vma, end),
			    "mapping of %#llx bytes of a segment of %llu",
			    (unsigned long long)(end - start), (unsigned long long)size);
	return check_zero(c, r, hlen + offsetof(struct ckpt_vma_shmem, _pad),
			  sizeof(((struct ckpt_vma_shmem *)0)->_pad), "shmem _pad");
}

/*
 * ckpt_vma_own_pages(): whether restart(2) takes saved pages for a
 * mapping of @kind and @flags: anonymous memory, private hugetlb memory,
 * and what a private mapping of a file or a memfd wrote; not for shared
 * memory, whose pages follow its CKPT_HDR_SHMEM, CKPT_HDR_SHMEM_HUGETLB,
 * CKPT_HDR_MEMFD or CKPT_HDR_IPC_SHM record.
 * Shared anonymous memory that images before minor 9 saved as an
 * anonymous mapping has its pages.
 */
static bool vma_has_pages(uint32_t kind, uint32_t flags)
{
	return kind == CKPT_VMA_ANON ||
	       ((kind == CKPT_VMA_FILE || kind == CKPT_VMA_MEMFD ||
		 kind == CKPT_VMA_HUGETLB) && !(flags & CKPT_VMA_SHARED));
}

/*
 * restore_pages(): the fixed part of the record is checked before the
 * pages are read, so that a record cut short by the end of the image is
 * refused for its fields first.  The end of the run, where the next one
 * may start, is computed modulo 2^64, as the kernel does.  A record of
 * @type CKPT_HDR_PAGES_COW lists pages of the parent, without contents.
 */
static int check_pages(struct check *c, const struct rec *vma, uint32_t type,
		       uint64_t *next)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pages);
	uint64_t addr, end, vma_end = U64(vma, ckpt_hdr_vma, end);
	bool cow = type == CKPT_HDR_PAGES_COW;
	uint32_t nr;
	struct rec r;
	int err;

	if (cow)
		err = read_record(c, type, hlen, hlen, &r);
	else
		err = read_record_head(c, type, hlen,
				       hlen + CKPT_PAGES_MAX * K_PAGE_SIZE, &r);
	if (err)
		return err;
	addr = U64(&r, ckpt_hdr_pages, addr);
	nr = U32(&r, ckpt_hdr_pages, nr_pages);
	end = addr + (uint64_t)nr * K_PAGE_SIZE;
	if (!nr || nr > CKPT_PAGES_MAX ||
	    r.len - hlen != (cow ? 0 : (uint64_t)nr * K_PAGE_SIZE))
		return fail(c, EINVAL, !nr || nr > CKPT_PAGES_MAX ?
			    AT(&r, ckpt_hdr_pages, nr_pages) : AT(&r, ckpt_hdr, len),
			    "nr_pages %u does not match length %u", nr, r.len);
	if (addr % K_PAGE_SIZE || addr < *next || addr >= vma_end ||
	    nr > (vma_end - addr) / K_PAGE_SIZE)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_pages, addr),
			    "pages %#llx-%#llx outside their mapping or out of order",
			    (unsigned long long)addr, (unsigned long long)end);
	if (!vma_has_pages(U32(vma, ckpt_hdr_vma, kind), U32(vma, ckpt_hdr_vma, flags)))
		return fail(c, EINVAL, r.off,
			    "pages for a mapping whose pages are not saved");
	if (cow && !(U32(vma, ckpt_hdr_vma, flags) & CKPT_VMA_FORKED))
		return fail(c, EINVAL, r.off,
			    "pages of the parent in a mapping not from it");
	err = check_zero(c, &r, offsetof(struct ckpt_hdr_pages, _pad),
			 sizeof(((struct ckpt_hdr_pages *)0)->_pad), "_pad");
	*next = end;
	return err ?: cow ? 0 : read_body(c, &r, true);
}

/* restore_check_vmas(): the VMA records of an mm, each with its pages */
static int check_vmas(struct check *c, uint32_t nr_vmas)
{
	const size_t hlen = sizeof(struct ckpt_hdr_vma);
	uint64_t prev_end = 0, next;
	unsigned int seen = 0;
	struct rec r;
	uint32_t i, type;
	int err;

	for (i = 0; i < nr_vmas; i++) {
		err = read_record(c, CKPT_HDR_VMA, hlen, hlen + CKPT_PATH_MAX, &r);
		if (err)
			return err;
		err = check_vma(c, &r, prev_end, &seen);
		if (err)
			return err;
		prev_end = U64(&r, ckpt_hdr_vma, end);
		next = U64(&r, ckpt_hdr_vma, start);
		for (;;) {
			err = peek_type(c, &type);
			if (err)
				return err;
			if (type != CKPT_HDR_PAGES && type != CKPT_HDR_PAGES_COW)
				break;
			err = check_pages(c, &r, type, &next);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * restore_shmem_pages(): a run of pages of shared memory or of a memfd of
 * @size bytes, at an offset in it, after the run that ended at *@next
 */
static int check_shmem_pages(struct check *c, uint64_t size, uint64_t *next)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pages);
	uint64_t addr;
	uint32_t nr;
	struct rec r;
	int err;

	err = read_record_head(c, CKPT_HDR_PAGES, hlen,
			       hlen + CKPT_PAGES_MAX * K_PAGE_SIZE, &r);
	if (err)
		return err;
	addr = U64(&r, ckpt_hdr_pages, addr);
	nr = U32(&r, ckpt_hdr_pages, nr_pages);
	size = (size + K_PAGE_SIZE - 1) & ~(uint64_t)(K_PAGE_SIZE - 1);
	if (!nr || nr > CKPT_PAGES_MAX || r.len - hlen != (uint64_t)nr * K_PAGE_SIZE)
		return fail(c, EINVAL, !nr || nr > CKPT_PAGES_MAX ?
			    AT(&r, ckpt_hdr_pages, nr_pages) : AT(&r, ckpt_hdr, len),
			    "nr_pages %u does not match length %u", nr, r.len);
	if (addr % K_PAGE_SIZE || addr < *next || addr >= size ||
	    nr > (size - addr) / K_PAGE_SIZE)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_pages, addr),
			    "pages at %#llx outside the shared memory or out of order",
			    (unsigned long long)addr);
	err = check_zero(c, &r, offsetof(struct ckpt_hdr_pages, _pad),
			 sizeof(((struct ckpt_hdr_pages *)0)->_pad), "_pad");
	if (err)
		return err;
	*next = addr + (uint64_t)nr * K_PAGE_SIZE;
	return read_body(c, &r, true);
}

/*
 * restore_shmem_contents(): the pages that follow the record of shared
 * memory or of a memfd of @size bytes, while the next record is one
 */
static int check_shmem_contents(struct check *c, uint64_t size)
{
	uint64_t next = 0;
	uint32_t type;
	int err;

	for (;;) {
		err = peek_type(c, &type);
		if (err || type != CKPT_HDR_PAGES)
			return err;
		err = check_shmem_pages(c, size, &next);
		if (err)
			return err;
	}
}

/*
 * ckpt_shmem_restore(): shared anonymous memory, its size, then the
 * pages that follow its record.  When it restores, the kernel makes a
 * shmem file of that size, which the memory limits of the machine may
 * refuse: that is not checked.
 */
static int check_shmem(struct check *c, const struct rec *r)
{
	uint64_t size = U64(r, ckpt_hdr_shmem, size);

	if (!size || size > K_MAX_LFS_FILESIZE)
		return fail(c, EINVAL, AT(r, ckpt_hdr_shmem, size),
			    "shared memory of %llu bytes", (unsigned long long)size);
	return check_shmem_contents(c, size);
}

/*
 * ckpt_shmem_hugetlb_restore(): shared memory of huge pages, of pages of
 * a size the kernel has, a whole number of them and no more than a file
 * may hold, then the pages that follow its record, as those of shared
 * memory.  Its size, and in its record that of its pages, are kept for
 * its mappings.  When it restores, the kernel makes a hugetlbfs file
 * and takes the huge pages of the image from the pool, which may have
 * too few (ENOMEM): that is not checked.
 */
static int check_shmem_hugetlb(struct check *c, const struct rec *r)
{
	uint64_t size = U64(r, ckpt_hdr_shmem_hugetlb, size);
	uint64_t page_size = U64(r, ckpt_hdr_shmem_hugetlb, page_size);
	size_t at;

	if (!huge_size_ok(page_size))
		at = AT(r, ckpt_hdr_shmem_hugetlb, page_size);
	else if (!size || size % page_size || size > K_MAX_LFS_FILESIZE)
		at = AT(r, ckpt_hdr_shmem_hugetlb, size);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "shared memory of %llu bytes of pages of %llu",
			    (unsigned long long)size, (unsigned long long)page_size);
	c->obj_size[c->nr_objs] = size;
	return check_shmem_contents(c, size);
}

/*
 * ckpt_memfd_restore(): restore_check_memfd(), then the pages that follow
 * its record, as those of shared memory, within a size that may be 0.
 * Its name, as memfd_create(2) was given it, is NUL terminated, at most
 * CKPT_MEMFD_NAME_MAX bytes with the NUL, and may be empty.  When it
 * restores, the kernel makes the memfd, which vm.memfd_noexec refuses if
 * it is executable (EACCES), fills it, gives it its mode and seals it:
 * that depends on the machine, and is not checked.
 */
static int check_memfd(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_memfd);
	uint64_t size = U64(r, ckpt_hdr_memfd, size);
	uint32_t seals = U32(r, ckpt_hdr_memfd, seals);
	uint32_t mode = U32(r, ckpt_hdr_memfd, mode);
	uint32_t name_len = U32(r, ckpt_hdr_memfd, name_len);
	uint32_t flags = U32(r, ckpt_hdr_memfd, flags);
	uint32_t shift = (flags & CKPT_MEMFD_HUGE_MASK) >> CKPT_MEMFD_HUGE_SHIFT;
	bool huge = flags & CKPT_MEMFD_HUGETLB;
	bool bad_len = r->len != hlen + (uint64_t)name_len;
	bool bad_name_len = !name_len || name_len > CKPT_MEMFD_NAME_MAX;
	size_t n = 0, at;

	if (!bad_len && !bad_name_len)
		n = strnlen((const char *)r->p + hlen, name_len);
	if (bad_len || bad_name_len || n != name_len - 1)
		return fail(c, EINVAL, bad_len ? AT(r, ckpt_hdr, len) :
			    bad_name_len ? AT(r, ckpt_hdr_memfd, name_len) :
			    r->off + hlen + (n < name_len ? n : name_len - 1),
			    "memfd name of %u bytes, or not NUL terminated", name_len);
	if (size > K_MAX_LFS_FILESIZE)
		at = AT(r, ckpt_hdr_memfd, size);
	else if (seals & ~K_MEMFD_SEALS)
		at = AT(r, ckpt_hdr_memfd, seals);
	else if (mode & ~K_S_IALLUGO)
		at = AT(r, ckpt_hdr_memfd, mode);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "memfd of %llu bytes, seals %#x or mode %#o",
			    (unsigned long long)size, seals, mode);
	/*
	 * An unlinked file saved by its contents has no seals.  A memfd of
	 * huge pages (MFD_HUGETLB), never an unlinked file, has the shift
	 * of their size, of a size the kernel has, in the bits of
	 * CKPT_MEMFD_HUGE_MASK, and its size is a multiple of it; another
	 * memfd has none.
	 */
	if ((flags & ~(CKPT_MEMFD_UNLINKED | CKPT_MEMFD_HUGETLB | CKPT_MEMFD_HUGE_MASK)) ||
	    ((flags & CKPT_MEMFD_UNLINKED) && seals) ||
	    (huge && ((flags & CKPT_MEMFD_UNLINKED) || shift <= K_PAGE_SHIFT ||
		      !huge_size_ok(1ULL << shift))) ||
	    (!huge && (flags & CKPT_MEMFD_HUGE_MASK)))
		at = AT(r, ckpt_hdr_memfd, flags);
	else if (huge && size % (1ULL << shift))
		at = AT(r, ckpt_hdr_memfd, size);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "memfd of %llu bytes, flags %#x with seals %#x",
			    (unsigned long long)size, flags, seals);
	return check_shmem_contents(c, size);
}

/*
 * SysV IPC objects: the kinds, in the order an image has them, each with
 * the offset of its struct ckpt_ipc_perm
 */
enum { IPC_SHM = 1, IPC_MSG, IPC_SEM };

static const struct {
	const char *name;
	size_t perm;
} ipc_kinds[] = {
	[IPC_SHM] = { "shared memory segment", offsetof(struct ckpt_hdr_ipc_shm, perm) },
	[IPC_MSG] = { "message queue", offsetof(struct ckpt_hdr_ipc_msg, perm) },
	[IPC_SEM] = { "semaphore set", offsetof(struct ckpt_hdr_ipc_sem, perm) },
};

/* The offset in a record of @kind of field @f of its struct ckpt_ipc_perm */
#define PERM_OFF(kind, f)	(ipc_kinds[kind].perm + offsetof(struct ckpt_ipc_perm, f))

/* The kind of SysV IPC object a record @type defines, or 0 */
static int ipc_kind_of(uint32_t type)
{
	switch (type) {
	case CKPT_HDR_IPC_SHM:
		return IPC_SHM;
	case CKPT_HDR_IPC_MSG:
		return IPC_MSG;
	case CKPT_HDR_IPC_SEM:
		return IPC_SEM;
	}
	return 0;
}

/*
 * What restart(2) checks first of every SysV IPC object: its struct
 * ckpt_ipc_perm, then where it is.  An owner or creator that does not
 * map in the user namespace of the caller of checkpoint(2) was saved as
 * (u32)-1.  The objects come right after a namespaces record with
 * CKPT_NS_IPC, before the first task record: the first is the first
 * object of the image, each other one comes right after another, of its
 * kind with a smaller id or of a kind before its own in ipc_kinds[].
 */
static int check_ipc_perm(struct check *c, const struct rec *r, int kind)
{
	const char *name = ipc_kinds[kind].name;
	int32_t id = (int32_t)get_u32(r->p + PERM_OFF(kind, id));
	uint32_t mode = get_u32(r->p + PERM_OFF(kind, mode));
	static const size_t ids[] = {
		offsetof(struct ckpt_ipc_perm, uid), offsetof(struct ckpt_ipc_perm, gid),
		offsetof(struct ckpt_ipc_perm, cuid), offsetof(struct ckpt_ipc_perm, cgid),
	};
	int prev;
	size_t i;
	int err;

	if (id < 0)
		return fail(c, EINVAL, r->off + PERM_OFF(kind, id), "SysV %s id %d", name, id);
	if (mode & ~K_S_IRWXUGO)
		return fail(c, EINVAL, r->off + PERM_OFF(kind, mode), "SysV %s %d: mode %#o",
			    name, id, mode);
	err = check_zero(c, r, PERM_OFF(kind, _pad),
			 sizeof(((struct ckpt_ipc_perm *)0)->_pad), "ipc _pad");
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		if (get_u32(r->p + ipc_kinds[kind].perm + ids[i]) == K_ID_INVALID)
			return fail(c, EINVAL, r->off + ipc_kinds[kind].perm + ids[i],
				    "SysV %s %d: owner or creator %u:%u %u:%u", name, id,
				    get_u32(r->p + PERM_OFF(kind, uid)),
				    get_u32(r->p + PERM_OFF(kind, gid)),
				    get_u32(r->p + PERM_OFF(kind, cuid)),
				    get_u32(r->p + PERM_OFF(kind, cgid)));

	/* Its place, the object before it being the last one checked */
	prev = c->nr_objs ? ipc_kind_of(c->obj_type[c->nr_objs - 1]) : 0;
	if (c->cur_task || !(c->ns_flags & CKPT_NS_IPC) || (c->nr_objs && !prev))
		return fail(c, EINVAL, r->off,
			    "SysV IPC objects come right after an IPC namespace of the image");
	if (prev > kind || (prev == kind && c->ipc_id >= id))
		return fail(c, EINVAL, r->off + PERM_OFF(kind, id), "SysV %s %d out of order",
			    name, id);
	c->ipc_id = id;
	return 0;
}

/*
 * A SysV shared memory segment, then the pages that follow its record,
 * as those of shared memory (restore_shmem_contents()).  A removed one
 * (IPC_RMID while attached) has no key.  One of huge pages
 * (CKPT_SHM_HUGETLB) has the shift of their size, of a size the kernel
 * has; another has none.  What is mapped of it, and may hold pages, is
 * its size, rounded up to whole huge pages for one of them: that is kept
 * for the mappings of it.  When it restores, the kernel makes it with
 * shmget(2), which kernel.shmmax and shmall, the rights for huge pages
 * and the pool of them may refuse: that is not checked.
 */
static int check_ipc_shm(struct check *c, const struct rec *r)
{
	uint64_t size = U64(r, ckpt_hdr_ipc_shm, size);
	uint32_t flags = U32(r, ckpt_hdr_ipc_shm, flags);
	uint32_t shift = U32(r, ckpt_hdr_ipc_shm, huge_shift);
	int32_t key = S32(r, ckpt_hdr_ipc_shm, perm.key);
	int32_t id = S32(r, ckpt_hdr_ipc_shm, perm.id);
	bool huge = flags & CKPT_SHM_HUGETLB;
	int err;

	err = check_ipc_perm(c, r, IPC_SHM);
	if (err)
		return err;
	if (!size || size > CKPT_IPC_SHM_SIZE_MAX)
		return fail(c, EINVAL, AT(r, ckpt_hdr_ipc_shm, size),
			    "SysV shared memory segment %d of %llu bytes", id,
			    (unsigned long long)size);
	if ((flags & ~(CKPT_SHM_DEST | CKPT_SHM_HUGETLB)) ||
	    (huge ? shift <= K_PAGE_SHIFT || shift >= K_SHM_HUGE_SHIFT_END ||
		    !huge_size_ok(1ULL << shift) : shift))
		return fail(c, EINVAL, flags & ~(CKPT_SHM_DEST | CKPT_SHM_HUGETLB) ?
			    AT(r, ckpt_hdr_ipc_shm, flags) :
			    AT(r, ckpt_hdr_ipc_shm, huge_shift),
			    "SysV shared memory segment %d: flags %#x, huge_shift %u", id,
			    flags, shift);
	if ((flags & CKPT_SHM_DEST) && key)
		return fail(c, EINVAL, AT(r, ckpt_hdr_ipc_shm, perm.key),
			    "a removed segment has key %d", key);
	if (huge)
		size = (size + (1ULL << shift) - 1) & ~((1ULL << shift) - 1);
	c->obj_size[c->nr_objs] = size;
	return check_shmem_contents(c, size);
}

/*
 * A message of a queue, the bytes of those before it in *@total, within
 * @qbytes in all
 */
static int check_ipc_msg_text(struct check *c, uint64_t qbytes, uint64_t *total)
{
	const size_t hlen = sizeof(struct ckpt_hdr_ipc_msg_text);
	int64_t mtype;
	uint32_t size;
	struct rec r;
	int err;

	err = read_record(c, CKPT_HDR_IPC_MSG_TEXT, hlen, hlen + CKPT_IPC_MSG_MAX, &r);
	if (err)
		return err;
	mtype = (int64_t)U64(&r, ckpt_hdr_ipc_msg_text, mtype);
	size = U32(&r, ckpt_hdr_ipc_msg_text, size);
	if (mtype < 1)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_ipc_msg_text, mtype),
			    "message type %lld", (long long)mtype);
	if (size > CKPT_IPC_MSG_MAX || r.len != hlen + (uint64_t)size)
		return fail(c, EINVAL, size > CKPT_IPC_MSG_MAX ?
			    AT(&r, ckpt_hdr_ipc_msg_text, size) : AT(&r, ckpt_hdr, len),
			    "message of %u bytes in a record of %u", size, r.len);
	err = check_zero(c, &r, offsetof(struct ckpt_hdr_ipc_msg_text, _pad),
			 sizeof(((struct ckpt_hdr_ipc_msg_text *)0)->_pad), "message _pad");
	if (err)
		return err;
	*total += size;
	if (*total > qbytes)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_ipc_msg_text, size),
			    "messages of %llu bytes exceed qbytes %llu",
			    (unsigned long long)*total, (unsigned long long)qbytes);
	return 0;
}

/*
 * A SysV message queue, then its nr_msgs messages, oldest first, each a
 * CKPT_HDR_IPC_MSG_TEXT record: anything else where one is expected is
 * refused by the record reader.
 */
static int check_ipc_msg(struct check *c, const struct rec *r)
{
	uint64_t qbytes = U64(r, ckpt_hdr_ipc_msg, qbytes), total = 0;
	uint32_t nr_msgs = U32(r, ckpt_hdr_ipc_msg, nr_msgs), i;
	int32_t id = S32(r, ckpt_hdr_ipc_msg, perm.id);
	int err;

	err = check_ipc_perm(c, r, IPC_MSG);
	if (err)
		return err;
	if (qbytes > K_INT_MAX)
		return fail(c, EINVAL, AT(r, ckpt_hdr_ipc_msg, qbytes),
			    "SysV message queue %d: qbytes %llu", id, (unsigned long long)qbytes);
	if (nr_msgs > CKPT_IPC_MSGS_MAX)
		return fail(c, EINVAL, AT(r, ckpt_hdr_ipc_msg, nr_msgs),
			    "SysV message queue %d: %u messages", id, nr_msgs);
	err = check_zero(c, r, offsetof(struct ckpt_hdr_ipc_msg, _pad),
			 sizeof(((struct ckpt_hdr_ipc_msg *)0)->_pad), "msg _pad");
	for (i = 0; !err && i < nr_msgs; i++)
		err = check_ipc_msg_text(c, qbytes, &total);
	return err;
}

/* A SysV semaphore set and its nsems values, SEMVMX at most (ERANGE) */
static int check_ipc_sem(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_ipc_sem);
	uint32_t nsems = U32(r, ckpt_hdr_ipc_sem, nsems), i;
	int32_t id = S32(r, ckpt_hdr_ipc_sem, perm.id);
	uint16_t v;
	int err;

	err = check_ipc_perm(c, r, IPC_SEM);
	if (err)
		return err;
	if (!nsems || nsems > CKPT_IPC_SEMS_MAX)
		return fail(c, EINVAL, AT(r, ckpt_hdr_ipc_sem, nsems),
			    "SysV semaphore set %d: %u semaphores", id, nsems);
	if (r->len != hlen + (uint64_t)nsems * sizeof(uint16_t))
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "SysV semaphore set %d: length %u for %u semaphores", id, r->len,
			    nsems);
	for (i = 0; i < nsems; i++) {
		v = get_u16(r->p + hlen + i * sizeof(uint16_t));
		if (v > K_SEMVMX)
			return fail(c, ERANGE, r->off + hlen + i * sizeof(uint16_t),
				    "semaphore %u value %u", i, v);
	}
	err = check_zero(c, r, offsetof(struct ckpt_hdr_ipc_sem, _pad),
			 sizeof(((struct ckpt_hdr_ipc_sem *)0)->_pad), "sem _pad");
	if (err)
		return err;

	/* Kept for the undo lists, in increasing id order as the sets are */
	if (c->nr_sems == c->sems_cap) {
		size_t cap = c->sems_cap ? 2 * c->sems_cap : 16;
		struct ckpt_sem_set_host *sems = realloc(c->sems, cap * sizeof(*sems));

		if (!sems) {
			perror("ckptinfo");
			exit(EXIT_USAGE);
		}
		c->sems = sems;
		c->sems_cap = cap;
	}
	c->sems[c->nr_sems].id = id;
	c->sems[c->nr_sems++].nsems = nsems;
	return 0;
}

/* The semaphore set of the image with id @id, or NULL */
static const struct ckpt_sem_set_host *find_sem_set(const struct check *c, int32_t id)
{
	uint32_t lo = 0, hi = c->nr_sems, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->sems[mid].id == id)
			return &c->sems[mid];
		if (c->sems[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * The adjustments of an undo list to set semid, which must be a set of
 * the image (EBADR), of as many semaphores, after the set named by the
 * record before it (*@prev, -1 for the first).  Any value of an
 * adjustment is taken.
 */
static int check_ipc_sem_adj(struct check *c, int32_t *prev)
{
	const size_t hlen = sizeof(struct ckpt_hdr_ipc_sem_adj);
	const struct ckpt_sem_set_host *set;
	uint32_t nsems;
	int32_t semid;
	struct rec r;
	int err;

	err = read_record(c, CKPT_HDR_IPC_SEM_ADJ, hlen,
			  hlen + CKPT_IPC_SEMS_MAX * sizeof(int16_t), &r);
	if (err)
		return err;
	semid = S32(&r, ckpt_hdr_ipc_sem_adj, semid);
	nsems = U32(&r, ckpt_hdr_ipc_sem_adj, nsems);
	if (r.len != hlen + (uint64_t)nsems * sizeof(int16_t))
		return fail(c, EINVAL, AT(&r, ckpt_hdr, len),
			    "undo list of set %d: length %u for %u semaphores", semid, r.len,
			    nsems);
	set = find_sem_set(c, semid);
	if (!set)
		return fail(c, EBADR, AT(&r, ckpt_hdr_ipc_sem_adj, semid),
			    "semaphore set %d of an undo list is not in the image", semid);
	if (nsems != set->nsems)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_ipc_sem_adj, nsems),
			    "undo list of set %d: %u semaphores, the set has %u", semid, nsems,
			    set->nsems);
	if (semid <= *prev)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_ipc_sem_adj, semid),
			    "undo list: set %d out of order", semid);
	*prev = semid;
	return 0;
}

/*
 * The SysV semaphore undo list of a process, an object among those read
 * before the task record of its leader, which takes it on (its threads
 * share it): none before a thread, one at most (checked once its own
 * fields are).  nr_sets CKPT_HDR_IPC_SEM_ADJ records follow it, one a
 * set, ids increasing.
 */
static int check_ipc_sem_undo(struct check *c, const struct rec *r)
{
	const struct ckpt_pids_host *p = &c->pids[c->cur_task];
	uint32_t nr_sets = U32(r, ckpt_hdr_ipc_sem_undo, nr_sets), i;
	int32_t prev = -1;
	int err;

	if (p->pid != p->tgid)
		return fail(c, EINVAL, r->off, "a semaphore undo list before a thread");
	if (!nr_sets || nr_sets > CKPT_IPC_UNDO_SETS_MAX)
		return fail(c, EINVAL, AT(r, ckpt_hdr_ipc_sem_undo, nr_sets),
			    "%u semaphore sets in an undo list", nr_sets);
	err = check_zero(c, r, offsetof(struct ckpt_hdr_ipc_sem_undo, _pad),
			 sizeof(((struct ckpt_hdr_ipc_sem_undo *)0)->_pad), "undo _pad");
	if (err)
		return err;
	if (c->undo_task == c->cur_task + 1)
		return fail(c, EINVAL, r->off, "a second semaphore undo list");
	c->undo_task = c->cur_task + 1;
	for (i = 0; !err && i < nr_sets; i++)
		err = check_ipc_sem_adj(c, &prev);
	return err;
}

/*
 * restore_mq_place(): the POSIX message queues of the IPC namespace of
 * the image come before the first task record: the limits (@ns) right
 * after its SysV IPC objects, or first of all the objects if it has
 * none, then each queue right after the limits or another queue.
 */
static int check_mq_place(struct check *c, const struct rec *r, bool ns)
{
	uint32_t prev = c->nr_objs ? c->obj_type[c->nr_objs - 1] : 0;

	if (c->cur_task || !(c->ns_flags & CKPT_NS_IPC))
		return fail(c, EINVAL, r->off,
			    "POSIX message queues come right after an IPC namespace of the image");
	if (ns ? !prev || ipc_kind_of(prev) :
		 prev == CKPT_HDR_IPC_MQ_NS || prev == CKPT_HDR_IPC_MQ)
		return 0;
	return fail(c, EINVAL, r->off, "POSIX message queue %s out of place",
		    ns ? "limits" : "record");
}

/* The limits of the IPC namespace, the fs.mqueue sysctls, and their bounds */
static const struct {
	const char *name;
	size_t off;
	uint32_t min, max;
} mq_limits[] = {
	{ "queues_max", offsetof(struct ckpt_hdr_ipc_mq_ns, queues_max), 0, K_INT_MAX },
	{ "msg_max", offsetof(struct ckpt_hdr_ipc_mq_ns, msg_max),
	  K_MQ_MSG_MIN, CKPT_MQ_MAXMSG_MAX },
	{ "msgsize_max", offsetof(struct ckpt_hdr_ipc_mq_ns, msgsize_max),
	  K_MQ_MSGSIZE_MIN, CKPT_MQ_MSGSIZE_MAX },
	{ "msg_default", offsetof(struct ckpt_hdr_ipc_mq_ns, msg_default),
	  K_MQ_MSG_MIN, CKPT_MQ_MAXMSG_MAX },
	{ "msgsize_default", offsetof(struct ckpt_hdr_ipc_mq_ns, msgsize_default),
	  K_MQ_MSGSIZE_MIN, CKPT_MQ_MSGSIZE_MAX },
};

/*
 * ckpt_ipc_mq_ns_restore(): the limits of the POSIX message queues of
 * the IPC namespace of the image, each within the bounds its sysctl
 * takes.  When it restores, the kernel sets them in the new namespace.
 */
static int check_ipc_mq_ns(struct check *c, const struct rec *r)
{
	uint32_t v;
	size_t i;
	int err;

	err = check_mq_place(c, r, true);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(mq_limits); i++) {
		v = get_u32(r->p + mq_limits[i].off);
		if (v < mq_limits[i].min || v > mq_limits[i].max)
			return fail(c, EINVAL, r->off + mq_limits[i].off,
				    "POSIX message queue limit %s %u", mq_limits[i].name, v);
	}
	return check_zero(c, r, offsetof(struct ckpt_hdr_ipc_mq_ns, _pad),
			  sizeof(((struct ckpt_hdr_ipc_mq_ns *)0)->_pad), "mq_ns _pad");
}

/*
 * restore_mq_name_ok(): the @size bytes at @name hold a name mq_open(3)
 * takes, without its '/': not empty, NUL terminated, without '/', not
 * "." or "..".  Return the offset in them of the first bad byte (the
 * last for a name without NUL), or -1.
 */
static long mq_name_bad(const uint8_t *name, size_t size)
{
	const uint8_t *nul = memchr(name, '\0', size), *slash;

	if (!nul)
		return size - 1;
	slash = memchr(name, '/', nul - name);
	if (slash)
		return slash - name;
	if (nul == name || !strcmp((const char *)name, ".") ||
	    !strcmp((const char *)name, ".."))
		return 0;
	return -1;
}

/*
 * A message of a queue whose messages are @max bytes at most: a priority
 * below CKPT_MQ_PRIO_MAX, its size bytes after it, which a record longer
 * than @max cannot hold (E2BIG).
 */
static int check_ipc_mq_msg(struct check *c, uint64_t max)
{
	const size_t hlen = sizeof(struct ckpt_hdr_ipc_mq_msg);
	uint32_t prio, size;
	struct rec r;
	size_t at;
	int err;

	err = read_record(c, CKPT_HDR_IPC_MQ_MSG, hlen, hlen + max, &r);
	if (err)
		return err;
	prio = U32(&r, ckpt_hdr_ipc_mq_msg, prio);
	size = U32(&r, ckpt_hdr_ipc_mq_msg, size);
	if (prio >= CKPT_MQ_PRIO_MAX)
		at = AT(&r, ckpt_hdr_ipc_mq_msg, prio);
	else if (size > max)
		at = AT(&r, ckpt_hdr_ipc_mq_msg, size);
	else if (r.len != hlen + (uint64_t)size)
		at = AT(&r, ckpt_hdr, len);
	else
		return 0;
	return fail(c, EINVAL, at, "message of %u bytes, priority %u, in a record of %u",
		    size, prio, r.len);
}

#define MQ_OFF(f)	offsetof(struct ckpt_hdr_ipc_mq, f)

/*
 * The process registered with mq_notify(3) on the queue @r, if any:
 * notify_pid a process of the tree, to be told by a signal (SIGEV_SIGNAL,
 * signo 0 to none) or not at all (SIGEV_NONE, signo and value 0), with
 * CKPT_MQ_NOTIFY_STALE at most.  Without one, its other fields are all
 * zero.
 */
static int check_mq_notify(struct check *c, const struct rec *r)
{
	int32_t pid = S32(r, ckpt_hdr_ipc_mq, notify_pid);
	int32_t notify = S32(r, ckpt_hdr_ipc_mq, notify);
	int32_t signo = S32(r, ckpt_hdr_ipc_mq, notify_signo);
	uint32_t flags = U32(r, ckpt_hdr_ipc_mq, notify_flags);
	size_t at;
	int err;

	if (!pid) {
		/* notify, notify_signo and notify_flags, then notify_value */
		at = nonzero_at(r, MQ_OFF(notify), MQ_OFF(_pad) - MQ_OFF(notify)) ?:
		     nonzero_at(r, MQ_OFF(notify_value),
				sizeof(((struct ckpt_hdr_ipc_mq *)0)->notify_value));
	} else {
		err = check_pid_ref(c, pid, false, AT(r, ckpt_hdr_ipc_mq, notify_pid));
		if (err)
			return err;
		/* valid_signal(): an unsigned long, which a negative one is not */
		if (notify != K_SIGEV_SIGNAL && notify != K_SIGEV_NONE)
			at = AT(r, ckpt_hdr_ipc_mq, notify);
		else if (notify == K_SIGEV_SIGNAL && (uint32_t)signo > K_NSIG)
			at = AT(r, ckpt_hdr_ipc_mq, notify_signo);
		else if (notify == K_SIGEV_NONE && (signo || U64(r, ckpt_hdr_ipc_mq, notify_value)))
			at = signo ? AT(r, ckpt_hdr_ipc_mq, notify_signo) :
			     nonzero_at(r, MQ_OFF(notify_value),
					sizeof(((struct ckpt_hdr_ipc_mq *)0)->notify_value));
		else if (flags & ~CKPT_MQ_NOTIFY_STALE)
			at = AT(r, ckpt_hdr_ipc_mq, notify_flags);
		else
			at = 0;
	}
	if (at)
		return fail(c, EINVAL, at,
			    "POSIX message queue: notification %d, signal %d, flags %#x",
			    notify, signo, flags);
	return 0;
}

/*
 * ckpt_ipc_mq_restore(): a POSIX message queue, in its place, with a name
 * mq_open(3) takes, zero after its NUL, after the name of the queue
 * before it (strcmp()); its permission bits and an owner and group that
 * map in the user namespace of the caller of restart(2); its attributes
 * within the bounds of the kernel (not those of the namespace, which its
 * maker may be exempt from); its times; the process registered with
 * mq_notify(3); then its nr_msgs messages, CKPT_HDR_IPC_MQ_MSG records.
 * The owner and group must also be ones chown(2) would let the caller
 * give (EPERM), and when it restores, the kernel makes the queue with
 * mq_open(3), as the caller, which the limits of the namespace and
 * RLIMIT_MSGQUEUE may refuse: that depends on the caller, and is not
 * checked.
 */
static int check_ipc_mq(struct check *c, const struct rec *r)
{
	const uint8_t *name = r->p + MQ_OFF(name);
	uint32_t mode = U32(r, ckpt_hdr_ipc_mq, mode);
	uint32_t uid = U32(r, ckpt_hdr_ipc_mq, uid), gid = U32(r, ckpt_hdr_ipc_mq, gid);
	uint32_t nr_msgs = U32(r, ckpt_hdr_ipc_mq, nr_msgs), i;
	int64_t maxmsg = (int64_t)U64(r, ckpt_hdr_ipc_mq, maxmsg);
	int64_t msgsize = (int64_t)U64(r, ckpt_hdr_ipc_mq, msgsize);
	static const size_t nsecs[] = {
		MQ_OFF(atime_nsec), MQ_OFF(mtime_nsec), MQ_OFF(ctime_nsec),
	};
	const uint8_t *prev;
	char qname[80];
	size_t at, len;
	long bad;
	int err;

	err = check_mq_place(c, r, false);
	if (err)
		return err;
	bad = mq_name_bad(name, CKPT_MQ_NAME_LEN);
	if (bad >= 0)
		return fail(c, EINVAL, r->off + MQ_OFF(name) + bad, "POSIX message queue name");
	len = strlen((const char *)name);
	err = check_zero(c, r, MQ_OFF(name) + len, CKPT_MQ_NAME_LEN - len, "mq name");
	if (err)
		return err;
	c_quote(qname, sizeof(qname), name, CKPT_MQ_NAME_LEN);
	if (c->obj_type[c->nr_objs - 1] == CKPT_HDR_IPC_MQ) {
		prev = c->im->buf + c->obj_off[c->nr_objs - 1] + MQ_OFF(name);
		if (strcmp((const char *)prev, (const char *)name) >= 0)
			return fail(c, EINVAL, r->off + MQ_OFF(name),
				    "POSIX message queue /%s out of order", qname);
	}
	if (mode & ~K_S_IALLUGO)
		at = AT(r, ckpt_hdr_ipc_mq, mode);
	else if (uid == K_ID_INVALID)
		at = AT(r, ckpt_hdr_ipc_mq, uid);
	else if (gid == K_ID_INVALID)
		at = AT(r, ckpt_hdr_ipc_mq, gid);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "POSIX message queue /%s: mode %#o, owner %u:%u",
			    qname, mode, uid, gid);
	if (maxmsg < 1 || maxmsg > CKPT_MQ_MAXMSG_MAX)
		at = AT(r, ckpt_hdr_ipc_mq, maxmsg);
	else if (msgsize < 1 || msgsize > CKPT_MQ_MSGSIZE_MAX)
		at = AT(r, ckpt_hdr_ipc_mq, msgsize);
	else if (nr_msgs > maxmsg)
		at = AT(r, ckpt_hdr_ipc_mq, nr_msgs);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at,
			    "POSIX message queue /%s: %u messages, maxmsg %lld, msgsize %lld",
			    qname, nr_msgs, (long long)maxmsg, (long long)msgsize);
	for (i = 0; i < ARRAY_SIZE(nsecs); i++)
		if (get_u32(r->p + nsecs[i]) >= K_NSEC_PER_SEC)
			return fail(c, EINVAL, r->off + nsecs[i], "POSIX message queue /%s: times",
				    qname);
	err = check_mq_notify(c, r) ?:
	      check_zero(c, r, MQ_OFF(_pad), sizeof(((struct ckpt_hdr_ipc_mq *)0)->_pad),
			 "mq _pad");
	for (i = 0; !err && i < nr_msgs; i++)
		err = check_ipc_mq_msg(c, msgsize < CKPT_MQ_MSG_MAX ? msgsize : CKPT_MQ_MSG_MAX);
	return err;
}

static const struct {
	size_t off;
	const char *name;
} mm_layout[] = {
	{ offsetof(struct ckpt_hdr_mm, start_code),	"start_code" },
	{ offsetof(struct ckpt_hdr_mm, end_code),	"end_code" },
	{ offsetof(struct ckpt_hdr_mm, start_data),	"start_data" },
	{ offsetof(struct ckpt_hdr_mm, end_data),	"end_data" },
	{ offsetof(struct ckpt_hdr_mm, start_brk),	"start_brk" },
	{ offsetof(struct ckpt_hdr_mm, brk),		"brk" },
	{ offsetof(struct ckpt_hdr_mm, start_stack),	"start_stack" },
	{ offsetof(struct ckpt_hdr_mm, arg_start),	"arg_start" },
	{ offsetof(struct ckpt_hdr_mm, arg_end),	"arg_end" },
	{ offsetof(struct ckpt_hdr_mm, env_start),	"env_start" },
	{ offsetof(struct ckpt_hdr_mm, env_end),	"env_end" },
};

/* restore_check_mm(): pairs in order, then fields within user space */
static const struct {
	size_t lo, hi;
} mm_order[] = {
	{ offsetof(struct ckpt_hdr_mm, start_code), offsetof(struct ckpt_hdr_mm, end_code) },
	{ offsetof(struct ckpt_hdr_mm, start_data), offsetof(struct ckpt_hdr_mm, end_data) },
	{ offsetof(struct ckpt_hdr_mm, start_brk), offsetof(struct ckpt_hdr_mm, brk) },
	{ offsetof(struct ckpt_hdr_mm, arg_start), offsetof(struct ckpt_hdr_mm, arg_end) },
	{ offsetof(struct ckpt_hdr_mm, env_start), offsetof(struct ckpt_hdr_mm, env_end) },
};

static const size_t mm_bounded[] = {
	offsetof(struct ckpt_hdr_mm, brk),
	offsetof(struct ckpt_hdr_mm, end_code),
	offsetof(struct ckpt_hdr_mm, end_data),
	offsetof(struct ckpt_hdr_mm, start_stack),
	offsetof(struct ckpt_hdr_mm, arg_end),
	offsetof(struct ckpt_hdr_mm, env_end),
};

/*
 * ckpt_check_own(): an mm, signal handlers (@flag CKPT_PIDS_SHARE_VM,
 * CKPT_PIDS_SHARE_SIGHAND) or signal state (0) that the records of the
 * task being read define, but that it shares from the moment it is
 * created: a thread has those of its leader, a process those its tree
 * entry says of its parent.
 */
static int check_own(struct check *c, const struct rec *r, uint32_t flag,
		     const char *what)
{
	const struct ckpt_pids_host *p = &c->pids[c->cur_task];

	if (p->pid == p->tgid && !(p->flags & flag))
		return 0;
	return fail(c, EINVAL, r->off, "pid %d shares its %s, which its records define anew",
		    p->pid, what);
}

/*
 * ckpt_mm_restore(): ckpt_check_own(), restore_check_mm(), then the VMAs
 * that follow
 */
static int check_mm(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_mm);
	uint32_t nr_vmas = U32(r, ckpt_hdr_mm, nr_vmas);
	uint32_t nr_auxv = U32(r, ckpt_hdr_mm, nr_auxv);
	uint32_t exe_len = U32(r, ckpt_hdr_mm, exe_len);
	uint32_t exe_ref = U32(r, ckpt_hdr_mm, exe_ref);
	size_t i;
	int err;

	err = check_own(c, r, CKPT_PIDS_SHARE_VM, "mm");
	if (err)
		return err;
	if (nr_vmas > CKPT_MM_MAX_VMAS)
		return fail(c, EINVAL, AT(r, ckpt_hdr_mm, nr_vmas),
			    "nr_vmas %u, nr_auxv %u or exe_len %u out of range",
			    nr_vmas, nr_auxv, exe_len);
	if (nr_auxv > CKPT_MM_MAX_AUXV || nr_auxv % 2)
		return fail(c, EINVAL, AT(r, ckpt_hdr_mm, nr_auxv),
			    "nr_vmas %u, nr_auxv %u or exe_len %u out of range",
			    nr_vmas, nr_auxv, exe_len);
	if (exe_len > CKPT_PATH_MAX)
		return fail(c, EINVAL, AT(r, ckpt_hdr_mm, exe_len),
			    "nr_vmas %u, nr_auxv %u or exe_len %u out of range",
			    nr_vmas, nr_auxv, exe_len);
	if (r->len != hlen + nr_auxv * sizeof(uint64_t) + exe_len)
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "length %u does not match its counts", r->len);
	if (exe_len) {
		err = check_path(c, r, hlen + nr_auxv * sizeof(uint64_t), exe_len,
				 "executable path");
		if (err)
			return err;
	}
	if (exe_ref && !exe_len)
		return fail(c, EINVAL, AT(r, ckpt_hdr_mm, exe_ref),
			    "exe_ref %u without a path", exe_ref);
	if (exe_ref) {
		err = check_ref(c, exe_ref, CKPT_HDR_MEMFD, "exe_ref",
				AT(r, ckpt_hdr_mm, exe_ref));
		if (err)
			return err;
	}
	for (i = 0; i < ARRAY_SIZE(mm_order); i++)
		if (get_u64(r->p + mm_order[i].lo) > get_u64(r->p + mm_order[i].hi))
			return fail(c, EINVAL, r->off + mm_order[i].lo,
				    "layout fields out of order or range");
	for (i = 0; i < ARRAY_SIZE(mm_bounded); i++)
		if (get_u64(r->p + mm_bounded[i]) > K_TASK_SIZE_MAX)
			return fail(c, EINVAL, r->off + mm_bounded[i],
				    "layout fields out of order or range");
	return check_vmas(c, nr_vmas);
}

static const struct {
	size_t off;
	const char *name;
} cred_ids[] = {
	{ offsetof(struct ckpt_hdr_cred, uid),		"uid" },
	{ offsetof(struct ckpt_hdr_cred, euid),		"euid" },
	{ offsetof(struct ckpt_hdr_cred, suid),		"suid" },
	{ offsetof(struct ckpt_hdr_cred, fsuid),	"fsuid" },
	{ offsetof(struct ckpt_hdr_cred, gid),		"gid" },
	{ offsetof(struct ckpt_hdr_cred, egid),		"egid" },
	{ offsetof(struct ckpt_hdr_cred, sgid),		"sgid" },
	{ offsetof(struct ckpt_hdr_cred, fsgid),	"fsgid" },
}, cred_caps[] = {
	{ offsetof(struct ckpt_hdr_cred, cap_inheritable), "cap_inheritable" },
	{ offsetof(struct ckpt_hdr_cred, cap_permitted), "cap_permitted" },
	{ offsetof(struct ckpt_hdr_cred, cap_effective), "cap_effective" },
	{ offsetof(struct ckpt_hdr_cred, cap_bset),	"cap_bset" },
	{ offsetof(struct ckpt_hdr_cred, cap_ambient),	"cap_ambient" },
};

/*
 * ckpt_cred_restore().  Whether an id has a mapping depends on the user
 * namespace of the restarting task; only -1 has none in every one.
 */
static int check_cred(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_cred);
	uint32_t ngroups, v, i;
	uint64_t cap;

	ngroups = U32(r, ckpt_hdr_cred, ngroups);
	if (ngroups > CKPT_CRED_MAX_GROUPS)
		return fail(c, E2BIG, AT(r, ckpt_hdr_cred, ngroups),
			    "ngroups %u is above %u", ngroups, CKPT_CRED_MAX_GROUPS);
	if (r->len != hlen + ngroups * sizeof(uint32_t))
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "length %u does not match ngroups %u", r->len, ngroups);
	v = U32(r, ckpt_hdr_cred, securebits);
	if (v & ~K_SECUREBITS_VALID)
		return fail(c, EINVAL, AT(r, ckpt_hdr_cred, securebits),
			    "unknown securebits %#x", v);
	for (i = 0; i < ARRAY_SIZE(cred_ids); i++) {
		v = get_u32(r->p + cred_ids[i].off);
		if (v == K_ID_INVALID)
			return fail(c, EINVAL, r->off + cred_ids[i].off,
				    "field %s: %s %u has no mapping in any user namespace",
				    cred_ids[i].name, i < 4 ? "uid" : "gid", v);
	}
	for (i = 0; i < ARRAY_SIZE(cred_caps); i++) {
		cap = get_u64(r->p + cred_caps[i].off);
		if (cap & ~K_CAP_VALID_MASK)
			return fail(c, EINVAL, r->off + cred_caps[i].off,
				    "field %s: unknown capabilities %#llx",
				    cred_caps[i].name,
				    (unsigned long long)(cap & ~K_CAP_VALID_MASK));
	}
	for (i = 0; i < ngroups; i++) {
		v = get_u32(r->p + hlen + i * sizeof(uint32_t));
		if (v == K_ID_INVALID)
			return fail(c, EINVAL, r->off + hlen + i * sizeof(uint32_t),
				    "field groups: gid %u has no mapping in any user namespace",
				    v);
	}
	return 0;
}

/* The entry of signal @sig in a sighand record, and its fields */
#define SA_OFF(sig)	(offsetof(struct ckpt_hdr_sighand, action) + \
			 ((sig) - 1) * sizeof(struct ckpt_sigaction))
#define SA_AT(r, sig, f) ((r)->off + SA_OFF(sig) + offsetof(struct ckpt_sigaction, f))
#define SA_GET(r, sig, f) get_u64((r)->p + SA_OFF(sig) + offsetof(struct ckpt_sigaction, f))

/*
 * ckpt_sighand_restore(): ckpt_check_own(), then restore_check_sigaction()
 * of each signal in turn.  The restorer and the mask are taken as they are.
 */
static int check_sighand(struct check *c, const struct rec *r)
{
	uint64_t handler, flags;
	int sig, err;

	/* never true: the record's min_len and max_len are its size */
	if (r->len != sizeof(struct ckpt_hdr_sighand))
		return fail(c, EINVAL, AT(r, ckpt_hdr, len), "length %u, expected %zu",
			    r->len, sizeof(struct ckpt_hdr_sighand));
	err = check_own(c, r, CKPT_PIDS_SHARE_SIGHAND, "signal handlers");
	if (err)
		return err;
	for (sig = 1; sig <= CKPT_NSIG; sig++) {
		handler = SA_GET(r, sig, handler);
		flags = SA_GET(r, sig, flags);
		if (flags & ~K_SA_FLAGS_KNOWN)
			return fail(c, EINVAL, SA_AT(r, sig, flags),
				    "signal %d: unknown flags %#llx", sig,
				    (unsigned long long)flags);
		if (handler > 1 && handler >= K_TASK_SIZE_MAX)
			return fail(c, EINVAL, SA_AT(r, sig, handler),
				    "signal %d: field handler %#llx is outside user space",
				    sig, (unsigned long long)handler);
		if ((sig == K_SIGKILL || sig == K_SIGSTOP) && (handler || flags))
			return fail(c, EINVAL, handler ? SA_AT(r, sig, handler) :
				    SA_AT(r, sig, flags),
				    "signal %d cannot have a handler: field %s is not zero",
				    sig, handler ? "handler" : "flags");
	}
	return 0;
}

/*
 * restore_pending(): @nr siginfos at @off in the record.  Only the
 * kernel_siginfo_t at the start of each may be set.
 */
static int check_siginfos(struct check *c, const struct rec *r, size_t off,
			  uint32_t nr)
{
	int32_t signo;
	uint32_t i;
	int err;

	for (i = 0; i < nr; i++, off += CKPT_SIGINFO_SIZE) {
		err = check_zero(c, r, off + K_KSIGINFO_SIZE,
				 CKPT_SIGINFO_SIZE - K_KSIGINFO_SIZE, "siginfo padding");
		if (err)
			return err;
		signo = (int32_t)get_u32(r->p + off);
		if (signo < 1 || signo > K_NSIG)
			return fail(c, EINVAL, r->off + off,
				    "siginfo %u: field si_signo %d is not a signal",
				    i, signo);
	}
	return 0;
}

/* The interval timers of a signal record, in the order of its fields */
static const char *const itimer_fields[] = {
	"it_real_value", "it_real_interval", "it_virt_value",
	"it_virt_interval", "it_prof_value", "it_prof_interval",
};

/*
 * ckpt_signal_restore(): ckpt_check_own(), interval timers, signals
 * pending for a process
 */
static int check_signal(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_signal);
	const size_t first = offsetof(struct ckpt_hdr_signal, it_real_value);
	uint32_t nr = U32(r, ckpt_hdr_signal, nr_pending);
	int64_t v;
	size_t i;
	int err;

	err = check_own(c, r, 0, "signal state");
	if (err)
		return err;
	if (nr > CKPT_PENDING_MAX)
		return fail(c, E2BIG, AT(r, ckpt_hdr_signal, nr_pending),
			    "nr_pending %u is above %d", nr, CKPT_PENDING_MAX);
	if (r->len != hlen + (uint64_t)nr * CKPT_SIGINFO_SIZE)
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "length %u does not match nr_pending %u", r->len, nr);
	v = S32(r, ckpt_hdr_signal, checkpoint_signal);
	if (v < 0 || v > K_NSIG || v == K_SIGKILL || v == K_SIGSTOP)
		return fail(c, EINVAL, AT(r, ckpt_hdr_signal, checkpoint_signal),
			    "checkpoint_signal %lld", (long long)v);
	for (i = 0; i < ARRAY_SIZE(itimer_fields); i++) {
		v = (int64_t)get_u64(r->p + first + 8 * i);
		if (v < 0)
			return fail(c, EINVAL, r->off + first + 8 * i,
				    "negative interval timer times: field %s is %lld",
				    itimer_fields[i], (long long)v);
	}
	for (i = 2; i < ARRAY_SIZE(itimer_fields); i += 2) {
		v = (int64_t)get_u64(r->p + first + 8 * i);
		if (v > INT64_MAX / 2)
			return fail(c, EINVAL, r->off + first + 8 * i,
				    "CPU time interval timer too far: field %s is %lld",
				    itimer_fields[i], (long long)v);
	}
	return check_siginfos(c, r, hlen, nr);
}

#define TS(r, f)	U64(r, ckpt_hdr_task_signals, f)
#define TS_AT(r, f)	AT(r, ckpt_hdr_task_signals, f)

/* sig_kernel_stop() */
static bool is_stop_signal(uint32_t sig)
{
	return sig == K_SIGSTOP || sig == K_SIGTSTP || sig == K_SIGTTIN ||
	       sig == K_SIGTTOU;
}

/* restore_check_stop() */
static int check_stop(struct check *c, const struct rec *r, bool leader)
{
	uint32_t flags = U32(r, ckpt_hdr_task_signals, flags);
	uint32_t stop = flags & CKPT_SIGNALS_STOP_MASK;
	uint32_t code = U32(r, ckpt_hdr_task_signals, stop_code);

	if (!stop) {
		if (code)
			return fail(c, EINVAL, TS_AT(r, stop_code),
				    "stop_code %u without a stop", code);
		return 0;
	}
	if (!leader)
		return fail(c, EINVAL, TS_AT(r, flags),
			    "the stop of a process on a thread that does not lead it");
	if (stop != CKPT_SIGNALS_STOPPED && stop != CKPT_SIGNALS_STOPPING &&
	    stop != (CKPT_SIGNALS_STOPPED | CKPT_SIGNALS_STOP_REPORTED))
		return fail(c, EINVAL, TS_AT(r, flags), "stop flags %#x", stop);
	if (!is_stop_signal(code))
		return fail(c, EINVAL, TS_AT(r, stop_code),
			    "stop_code %u is not a stop signal", code);
	return 0;
}

/*
 * restore_check_task_signals().  When it restores, not when it only
 * validates, the kernel also refuses an alternate stack too small for
 * the signal frames of the restored task's FPU state (ENOMEM, from
 * sigaltstack_size_valid()): that depends on the CPU, and is not checked.
 */
static int check_task_signals_rec(struct check *c, const struct rec *r,
				  bool leader)
{
	const size_t hlen = sizeof(struct ckpt_hdr_task_signals);
	uint32_t flags = U32(r, ckpt_hdr_task_signals, flags);
	uint32_t nr = U32(r, ckpt_hdr_task_signals, nr_pending);
	uint32_t ss_flags = U32(r, ckpt_hdr_task_signals, altstack_flags);
	uint64_t sp = TS(r, altstack_sp), size = TS(r, altstack_size);

	if (flags & ~CKPT_SIGNALS_FLAGS_ALL)
		return fail(c, EINVAL, TS_AT(r, flags), "unknown flags %#x", flags);
	if (!(flags & CKPT_SIGNALS_RESTORE_MASK) && TS(r, saved_sigmask))
		return fail(c, EINVAL, TS_AT(r, saved_sigmask),
			    "field saved_sigmask %#llx without CKPT_SIGNALS_RESTORE_MASK",
			    (unsigned long long)TS(r, saved_sigmask));
	if (nr > CKPT_PENDING_MAX)
		return fail(c, E2BIG, TS_AT(r, nr_pending), "nr_pending %u is above %d",
			    nr, CKPT_PENDING_MAX);
	if (r->len != hlen + (uint64_t)nr * CKPT_SIGINFO_SIZE)
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "length %u does not match nr_pending %u", r->len, nr);
	if (ss_flags == K_SS_DISABLE) {
		if (sp || size)
			return fail(c, EINVAL, sp ? TS_AT(r, altstack_sp) :
				    TS_AT(r, altstack_size),
				    "altstack_flags is SS_DISABLE, yet field %s is not zero",
				    sp ? "altstack_sp" : "altstack_size");
	} else if (ss_flags & ~K_SS_AUTODISARM) {
		return fail(c, EINVAL, TS_AT(r, altstack_flags),
			    "bad altstack: unknown altstack_flags %#x", ss_flags);
	} else if (size > K_TASK_SIZE_MAX) {
		return fail(c, EINVAL, TS_AT(r, altstack_size),
			    "bad altstack: altstack_size %#llx is above TASK_SIZE_MAX",
			    (unsigned long long)size);
	} else if (sp > K_TASK_SIZE_MAX - size) {
		return fail(c, EINVAL, TS_AT(r, altstack_sp),
			    "bad altstack: altstack_sp %#llx + altstack_size %#llx ends above TASK_SIZE_MAX",
			    (unsigned long long)sp, (unsigned long long)size);
	} else if (size < K_MINSIGSTKSZ) {
		return fail(c, EINVAL, TS_AT(r, altstack_size),
			    "bad altstack: altstack_size %llu is below MINSIGSTKSZ %d",
			    (unsigned long long)size, K_MINSIGSTKSZ);
	}
	return check_stop(c, r, leader) ?: check_siginfos(c, r, hlen, nr);
}

/* ckpt_read_task_signals(): the record after the architecture records */
static int check_task_signals(struct check *c, bool leader)
{
	const size_t hlen = sizeof(struct ckpt_hdr_task_signals);
	struct rec r;

	return read_record(c, CKPT_HDR_TASK_SIGNALS, hlen,
			   hlen + CKPT_PENDING_MAX * CKPT_SIGINFO_SIZE, &r) ?:
	       check_task_signals_rec(c, &r, leader);
}

static const char *const rlimit_names[CKPT_RLIM_NLIMITS] = {
	"RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
	"RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE",
	"RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
	"RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
};

/* The limit @i of a task_attrs record, and its fields */
#define RLIM_OFF(i, f)	(offsetof(struct ckpt_hdr_task_attrs, rlim) + \
			 (i) * sizeof(struct ckpt_rlimit) + offsetof(struct ckpt_rlimit, f))
#define TA(r, f)	U64(r, ckpt_hdr_task_attrs, f)
#define TA_AT(r, f)	AT(r, ckpt_hdr_task_attrs, f)

/* ckpt_user_addr(): @len bytes at @addr are all in user space */
static bool user_addr(uint64_t addr, uint64_t len)
{
	return addr < K_TASK_SIZE_MAX && len <= K_TASK_SIZE_MAX - addr;
}

/* restore_check_rseq(): the rules of rseq(2), and at most a page */
static int check_rseq(struct check *c, const struct rec *r)
{
	uint64_t rseq = TA(r, rseq);
	uint32_t len = U32(r, ckpt_hdr_task_attrs, rseq_len);
	uint32_t sig = U32(r, ckpt_hdr_task_attrs, rseq_sig);

	if (!rseq) {
		if (len || sig)
			return fail(c, EINVAL, len ? TA_AT(r, rseq_len) : TA_AT(r, rseq_sig),
				    "bad rseq area: field %s is not zero, yet rseq is",
				    len ? "rseq_len" : "rseq_sig");
		return 0;
	}
	if (len < K_ORIG_RSEQ_SIZE || len > K_PAGE_SIZE)
		return fail(c, EINVAL, TA_AT(r, rseq_len),
			    "bad rseq area: rseq_len %u is not between %d and %u", len,
			    K_ORIG_RSEQ_SIZE, K_PAGE_SIZE);
	if (len == K_ORIG_RSEQ_SIZE && rseq % K_ORIG_RSEQ_SIZE)
		return fail(c, EINVAL, TA_AT(r, rseq),
			    "bad rseq area: rseq %#llx is not aligned to %d bytes",
			    (unsigned long long)rseq, K_ORIG_RSEQ_SIZE);
	if (len != K_ORIG_RSEQ_SIZE && (rseq % K_RSEQ_ALIGN || len < K_RSEQ_END))
		return fail(c, EINVAL, rseq % K_RSEQ_ALIGN ? TA_AT(r, rseq) : TA_AT(r, rseq_len),
			    "bad rseq area: rseq %#llx is not aligned to %d bytes or rseq_len %u is below %d",
			    (unsigned long long)rseq, K_RSEQ_ALIGN, len, K_RSEQ_END);
	if (!user_addr(rseq, len))
		return fail(c, EINVAL, TA_AT(r, rseq),
			    "bad rseq area: rseq %#llx + rseq_len %u is outside user space",
			    (unsigned long long)rseq, len);
	return 0;
}

/* restore_check_task_attrs() */
static int check_task_attrs_rec(struct check *c, const struct rec *r)
{
	int32_t nice = S32(r, ckpt_hdr_task_attrs, nice);
	uint32_t policy = U32(r, ckpt_hdr_task_attrs, policy);
	uint32_t prio = U32(r, ckpt_hdr_task_attrs, rt_priority);
	uint32_t flags = U32(r, ckpt_hdr_task_attrs, flags);
	int32_t pdeath = S32(r, ckpt_hdr_task_attrs, pdeath_signal);
	uint32_t dumpable = U32(r, ckpt_hdr_task_attrs, dumpable);
	uint64_t robust = TA(r, robust_list), robust_len = TA(r, robust_list_len);
	bool rt = policy == K_SCHED_FIFO || policy == K_SCHED_RR;
	uint64_t cur, max;
	int i;

	for (i = 0; i < CKPT_RLIM_NLIMITS; i++) {
		cur = get_u64(r->p + RLIM_OFF(i, cur));
		max = get_u64(r->p + RLIM_OFF(i, max));
		if (cur > max)
			return fail(c, EINVAL, r->off + RLIM_OFF(i, cur),
				    "limit %d (%s): soft %llu above hard %llu", i,
				    rlimit_names[i], (unsigned long long)cur,
				    (unsigned long long)max);
	}
	if (nice < K_MIN_NICE || nice > K_MAX_NICE)
		return fail(c, EINVAL, TA_AT(r, nice), "nice %d out of range", nice);
	if (policy != K_SCHED_NORMAL && policy != K_SCHED_BATCH &&
	    policy != K_SCHED_IDLE && !rt)
		return fail(c, EINVAL, TA_AT(r, policy), "policy %u is not supported",
			    policy);
	if (rt ? prio < 1 || prio > K_MAX_RT_PRIO - 1 : prio)
		return fail(c, EINVAL, TA_AT(r, rt_priority),
			    "rt_priority %u for policy %u", prio, policy);
	if (flags & ~CKPT_ATTR_FLAGS_ALL)
		return fail(c, EINVAL, TA_AT(r, flags), "unknown flags %#x", flags);
	if (pdeath < 0 || pdeath > K_NSIG)
		return fail(c, EINVAL, TA_AT(r, pdeath_signal),
			    "pdeath_signal %d is not a signal", pdeath);
	if (dumpable > K_SUID_DUMP_ROOT)
		return fail(c, EINVAL, TA_AT(r, dumpable), "dumpable %u", dumpable);
	if (!user_addr(TA(r, clear_child_tid), sizeof(int32_t)))
		return fail(c, EINVAL, TA_AT(r, clear_child_tid),
			    "clear_child_tid %#llx outside user space",
			    (unsigned long long)TA(r, clear_child_tid));
	if (robust ? robust_len != K_ROBUST_LIST_SIZE || !user_addr(robust, robust_len) :
		     robust_len)
		return fail(c, EINVAL, robust && robust_len == K_ROBUST_LIST_SIZE ?
			    TA_AT(r, robust_list) : TA_AT(r, robust_list_len),
			    "bad robust_list: robust_list %#llx, robust_list_len %llu",
			    (unsigned long long)robust, (unsigned long long)robust_len);
	return check_rseq(c, r);
}

/* ckpt_read_task_attrs(): the last record of a task */
static int check_task_attrs(struct check *c)
{
	const size_t len = sizeof(struct ckpt_hdr_task_attrs);
	struct rec r;

	return read_record(c, CKPT_HDR_TASK_ATTRS, len, len, &r) ?:
	       check_task_attrs_rec(c, &r);
}

/* ckpt_*_restore() of a restart block: what each kind may hold */
static int check_restart_block_rec(struct check *c, const struct rec *r)
{
	uint32_t kind = U32(r, ckpt_hdr_restart_block, kind);
	uint32_t flags = U32(r, ckpt_hdr_restart_block, flags);
	int32_t clockid = S32(r, ckpt_hdr_restart_block, clockid);
	uint32_t val = U32(r, ckpt_hdr_restart_block, val);
	uint32_t bitset = U32(r, ckpt_hdr_restart_block, bitset);
	uint32_t nfds = U32(r, ckpt_hdr_restart_block, nfds);
	uint64_t addr = U64(r, ckpt_hdr_restart_block, addr);
	uint64_t timeout = U64(r, ckpt_hdr_restart_block, timeout_ns);
	bool ok;

	switch (kind) {
	case CKPT_RESTART_NANOSLEEP:
		ok = flags == CKPT_RESTART_TIMEOUT && !val && !bitset && !nfds &&
		     addr < K_TASK_SIZE_MAX;
		if (ok && clockid != 0 && clockid != 1 && clockid != 7 && clockid != 11)
			return fail(c, EINVAL, AT(r, ckpt_hdr_restart_block, clockid),
				    "nanosleep on clock %d", clockid);
		break;
	case CKPT_RESTART_FUTEX_WAIT:
		ok = !(flags & ~(CKPT_RESTART_TIMEOUT | CKPT_RESTART_FUTEX_SHARED |
				 CKPT_RESTART_FUTEX_REALTIME)) &&
		     !clockid && !nfds && bitset && addr < K_TASK_SIZE_MAX &&
		     !(addr % 4) && (flags & CKPT_RESTART_TIMEOUT || !timeout);
		break;
	case CKPT_RESTART_POLL:
		ok = !(flags & ~CKPT_RESTART_TIMEOUT) && !clockid && !val &&
		     !bitset && nfds <= K_INT_MAX && addr < K_TASK_SIZE_MAX &&
		     (flags & CKPT_RESTART_TIMEOUT || !timeout);
		break;
	default:
		return fail(c, EINVAL, AT(r, ckpt_hdr_restart_block, kind),
			    "restart block of kind %u", kind);
	}
	if (!ok)
		return fail(c, EINVAL, r->off, "bad %s restart block",
			    kind == CKPT_RESTART_NANOSLEEP ? "nanosleep" :
			    kind == CKPT_RESTART_FUTEX_WAIT ? "futex wait" : "poll");
	return 0;
}

/* ckpt_read_restart_block(): present only for a call that needs it */
static int check_restart_block(struct check *c)
{
	const size_t len = sizeof(struct ckpt_hdr_restart_block);
	uint32_t type;
	struct rec r;

	if (peek_type(c, &type) || type != CKPT_HDR_RESTART_BLOCK)
		return 0;	/* the next check reports a short image */
	return read_record(c, CKPT_HDR_RESTART_BLOCK, len, len, &r) ?:
	       check_restart_block_rec(c, &r);
}

/* ckpt_timer_clock_ok(): the clocks a timer may be on, and CPU clocks */
static bool timer_clock_ok(int32_t clockid, bool *cpu)
{
	*cpu = clockid == K_CLOCK_PROCESS_CPUTIME_ID ||
	       clockid == K_CLOCK_THREAD_CPUTIME_ID;
	return *cpu || clockid == K_CLOCK_REALTIME || clockid == K_CLOCK_MONOTONIC ||
	       clockid == K_CLOCK_BOOTTIME || clockid == K_CLOCK_TAI;
}

/*
 * ckpt_timer_waits(): the signal of a periodic timer is pending and the
 * timer waits for it to be taken to be rearmed.  One set again meanwhile
 * no longer waits: it runs, and the pending signal is only a signal.
 */
static bool timer_waits(uint32_t flags, int64_t interval, uint32_t requeue)
{
	return flags & CKPT_TIMER_PENDING && interval && requeue & K_REQUEUE_PENDING;
}

#define PT(r, e, f)	((r)->p + (e) + offsetof(struct ckpt_posix_timer, f))
#define PT_AT(r, e, f)	((r)->off + (e) + offsetof(struct ckpt_posix_timer, f))

/*
 * restore_check_timer(): the timer at @e in the record, after one with
 * id @prev_id.  Its notify, signo and notify_tid are checked as
 * timer_create() checks a sigevent, but for the thread to signal: the
 * kernel leaves it to timer_create() when it restores, not when it only
 * validates.
 */
static int check_timer(struct check *c, const struct rec *r, size_t e,
		       int32_t prev_id)
{
	int32_t id = (int32_t)get_u32(PT(r, e, id));
	int32_t clockid = (int32_t)get_u32(PT(r, e, clockid));
	int32_t notify = (int32_t)get_u32(PT(r, e, notify));
	int32_t signo = (int32_t)get_u32(PT(r, e, signo));
	int32_t tid = (int32_t)get_u32(PT(r, e, notify_tid));
	uint32_t flags = get_u32(PT(r, e, flags));
	uint32_t pad = get_u32(PT(r, e, _pad));
	int64_t value = (int64_t)get_u64(PT(r, e, value));
	int64_t interval = (int64_t)get_u64(PT(r, e, interval));
	int64_t overrun = (int64_t)get_u64(PT(r, e, overrun));
	int64_t overrun_last = (int64_t)get_u64(PT(r, e, overrun_last));
	uint32_t requeue = get_u32(PT(r, e, requeue));
	const int64_t max = K_KTIME_SEC_MAX * K_NSEC_PER_SEC;
	int32_t how = notify & ~K_SIGEV_THREAD_ID;
	bool thread_id = notify & K_SIGEV_THREAD_ID;
	const char *why = NULL;
	size_t at = 0;
	bool cpu;

	if (id < 0 || id <= prev_id) {
		why = "ids out of order";
		at = PT_AT(r, e, id);
	} else if (!timer_clock_ok(clockid, &cpu)) {
		why = "unknown clock";
		at = PT_AT(r, e, clockid);
	} else if (flags & ~(CKPT_TIMER_ABSTIME | CKPT_TIMER_PENDING) || pad) {
		why = "unknown flags";
		at = pad && !(flags & ~(CKPT_TIMER_ABSTIME | CKPT_TIMER_PENDING)) ?
		     PT_AT(r, e, _pad) : PT_AT(r, e, flags);
	} else if ((thread_id && how != K_SIGEV_SIGNAL) ||
		   (how != K_SIGEV_SIGNAL && how != K_SIGEV_NONE &&
		    how != K_SIGEV_THREAD)) {
		why = "unknown notification";
		at = PT_AT(r, e, notify);
	} else if (how != K_SIGEV_NONE && (signo <= 0 || signo > K_NSIG)) {
		why = "not a signal";
		at = PT_AT(r, e, signo);
	} else if (!thread_id != !tid || tid < 0) {
		why = "a thread to signal without SIGEV_THREAD_ID";
		at = PT_AT(r, e, notify_tid);
	} else if (how == K_SIGEV_NONE && flags & CKPT_TIMER_PENDING) {
		why = "a pending signal it does not send";
		at = PT_AT(r, e, flags);
	} else if (value < 0 || interval < 0 || value > max || interval > max) {
		why = "time out of range";
		at = value < 0 || value > max ? PT_AT(r, e, value) : PT_AT(r, e, interval);
	} else if (cpu && value > K_KTIME_MAX / 2) {
		why = "CPU time out of range";
		at = PT_AT(r, e, value);
	} else if (flags & CKPT_TIMER_ABSTIME && clockid != K_CLOCK_REALTIME) {
		why = "an absolute time on a clock other than CLOCK_REALTIME";
		at = PT_AT(r, e, flags);
	} else if (flags & CKPT_TIMER_ABSTIME && !value) {
		why = "an absolute time of 0";
		at = PT_AT(r, e, value);
	} else if (overrun < -1 || overrun_last < 0) {
		why = "negative overruns";
		at = overrun < -1 ? PT_AT(r, e, overrun) : PT_AT(r, e, overrun_last);
	} else if (timer_waits(flags, interval, requeue) && (cpu || !value)) {
		why = "a periodic timer waiting for its signal on a CPU clock or without an expiry";
		at = cpu ? PT_AT(r, e, clockid) : PT_AT(r, e, value);
	}
	if (why)
		return fail(c, EINVAL, at, "POSIX timer %d: %s", id, why);
	return 0;
}

/*
 * ckpt_read_posix_timers(): the timers of a process, only in the
 * records of its thread group leader (@leader, from its task record).
 */
static int check_posix_timers(struct check *c, bool leader)
{
	const size_t hlen = sizeof(struct ckpt_hdr_posix_timers);
	const size_t elen = sizeof(struct ckpt_posix_timer);
	uint32_t type, nr, next_id, i;
	struct rec r;
	int err;

	err = peek_type(c, &type);
	if (err || type != CKPT_HDR_POSIX_TIMERS)
		return err;
	if (!leader) {
		begin_record(c);
		set_type(c, type);
		return fail(c, EINVAL, c->pos,
			    "POSIX timers of a task that is not a thread group leader");
	}
	err = read_record(c, CKPT_HDR_POSIX_TIMERS, hlen,
			  hlen + CKPT_POSIX_TIMERS_MAX * elen, &r);
	if (err)
		return err;
	nr = U32(&r, ckpt_hdr_posix_timers, nr_timers);
	if (nr > CKPT_POSIX_TIMERS_MAX)
		return fail(c, E2BIG, AT(&r, ckpt_hdr_posix_timers, nr_timers),
			    "nr_timers %u is above %d", nr, CKPT_POSIX_TIMERS_MAX);
	if (r.len != hlen + (uint64_t)nr * elen)
		return fail(c, EINVAL, AT(&r, ckpt_hdr, len),
			    "length %u does not match nr_timers %u", r.len, nr);
	next_id = U32(&r, ckpt_hdr_posix_timers, next_id);
	if (next_id > K_INT_MAX)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_posix_timers, next_id),
			    "next timer id %u", next_id);
	for (i = 0; i < nr; i++) {
		err = check_timer(c, &r, hlen + i * elen,
				  i ? (int32_t)get_u32(PT(&r, hlen + (i - 1) * elen, id)) : -1);
		if (err)
			return err;
	}
	return 0;
}

static const char *const file_kinds[] = {
	[CKPT_FILE_REG] = "reg",
	[CKPT_FILE_DIR] = "dir",
	[CKPT_FILE_CHR] = "chr",
	[CKPT_FILE_INHERIT] = "inherit",
	[CKPT_FILE_PIPE] = "pipe",
	[CKPT_FILE_EVENTFD] = "eventfd",
	[CKPT_FILE_SIGNALFD] = "signalfd",
	[CKPT_FILE_SOCKET] = "socket",
	[CKPT_FILE_TIMERFD] = "timerfd",
	[CKPT_FILE_EPOLL] = "epoll",
	[CKPT_FILE_MEMFD] = "memfd",
	[CKPT_FILE_PROC] = "proc",
	[CKPT_FILE_PTY] = "pty",
	[CKPT_FILE_PIDFD] = "pidfd",
	[CKPT_FILE_MQUEUE] = "mqueue",
	[CKPT_FILE_INOTIFY] = "inotify",
};

static const char *file_kind_name(uint32_t kind)
{
	return kind < ARRAY_SIZE(file_kinds) && file_kinds[kind] ?
	       file_kinds[kind] : "unknown";
}

/*
 * ckpt_pipe_restore(): restore_check_pipe().  When it restores, the
 * kernel then makes the pipe and gives it its size with F_SETPIPE_SZ,
 * which the pipe limits of the restarting user may refuse (EPERM): that
 * depends on the machine, and is not checked.
 */
static int check_pipe(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pipe);
	uint32_t size = U32(r, ckpt_hdr_pipe, size);
	uint32_t nr_bytes = U32(r, ckpt_hdr_pipe, nr_bytes);
	uint32_t ends = U32(r, ckpt_hdr_pipe, ends);
	int err;

	if (size < K_PAGE_SIZE || size > CKPT_PIPE_MAX_SIZE || size % K_PAGE_SIZE)
		return fail(c, EINVAL, AT(r, ckpt_hdr_pipe, size), "pipe size %u", size);
	if (nr_bytes > size || r->len != hlen + (uint64_t)nr_bytes)
		return fail(c, EINVAL, nr_bytes > size ? AT(r, ckpt_hdr_pipe, nr_bytes) :
			    AT(r, ckpt_hdr, len),
			    "length %u does not match nr_bytes %u", r->len, nr_bytes);
	if (!ends || ends & ~(CKPT_PIPE_READER | CKPT_PIPE_WRITER))
		return fail(c, EINVAL, AT(r, ckpt_hdr_pipe, ends), "pipe ends %#x", ends);
	err = check_zero(c, r, offsetof(struct ckpt_hdr_pipe, _pad),
			 sizeof(((struct ckpt_hdr_pipe *)0)->_pad), "_pad");
	if (err)
		return err;
	/* An end closed at the checkpoint cannot be taken. */
	c->obj_taken[c->nr_objs] = (ends & CKPT_PIPE_READER ? 0 : 1) |
				   (ends & CKPT_PIPE_WRITER ? 0 : 2);
	return 0;
}

/* restore_pipe_end(): the end of its pipe a CKPT_FILE_PIPE file takes */
static int check_pipe_end(struct check *c, const struct rec *r)
{
	uint32_t pipe_ref = U32(r, ckpt_hdr_file, pipe_ref);
	uint32_t f_flags = U32(r, ckpt_hdr_file, f_flags);
	unsigned int end;
	int err;

	err = check_ref(c, pipe_ref, CKPT_HDR_PIPE, "pipe_ref",
			AT(r, ckpt_hdr_file, pipe_ref));
	if (err)
		return err;
	switch (f_flags & K_O_ACCMODE) {
	case 0:		/* O_RDONLY */
		end = 0;
		break;
	case 1:		/* O_WRONLY */
		end = 1;
		break;
	default:
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, f_flags),
			    "a pipe end open for both");
	}
	if (f_flags & ~(K_O_ACCMODE | K_PIPE_FLAGS))
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, f_flags),
			    "pipe end flags %#x", f_flags);
	if (c->obj_taken[pipe_ref - 1] & (1U << end))
		return fail(c, EOPNOTSUPP, AT(r, ckpt_hdr_file, f_flags),
			    "pipe %u: its %s end twice, or closed: not supported",
			    pipe_ref, end ? "write" : "read");
	c->obj_taken[pipe_ref - 1] |= 1U << end;
	return 0;
}

/* Offset of field @f of end @i of a unix pair record */
#define UEND_OFF(i, f)	(offsetof(struct ckpt_hdr_unix_pair, end) + \
			 (i) * sizeof(struct ckpt_unix_end) + \
			 offsetof(struct ckpt_unix_end, f))

/*
 * ckpt_unix_end_len(): the bytes that follow a unix pair record for its
 * end @i, all __u32 but the data: nr_msgs message lengths, then if
 * nr_fds, nr_msgs descriptor counts and nr_fds objrefs, then nr_bytes
 */
static uint64_t unix_end_len(const struct rec *r, unsigned int i)
{
	uint64_t words = get_u32(r->p + UEND_OFF(i, nr_msgs));

	if (get_u32(r->p + UEND_OFF(i, nr_fds)))
		words += words + get_u32(r->p + UEND_OFF(i, nr_fds));
	return words * sizeof(uint32_t) + get_u32(r->p + UEND_OFF(i, nr_bytes));
}

/*
 * restore_check_unix_msgs(): the messages of end @i, whose arrays start
 * at @off in the record, of a pair whose length was checked.  A stream's
 * runs hold bytes; the lengths of datagrams, or of a stream's runs, add
 * up to nr_bytes; the descriptor counts, each at most
 * CKPT_UNIX_MAX_MSG_FDS, to nr_fds; each objref names a file written
 * before the pair (EBADR) that is not one to inherit (EINVAL),
 * ckpt_file_inflight().
 */
static int check_unix_msgs(struct check *c, const struct rec *r, uint32_t type,
			   unsigned int i, size_t off)
{
	uint32_t nr_msgs = get_u32(r->p + UEND_OFF(i, nr_msgs));
	uint32_t nr_bytes = get_u32(r->p + UEND_OFF(i, nr_bytes));
	uint32_t nr_fds = get_u32(r->p + UEND_OFF(i, nr_fds));
	size_t lens = off, nfds = lens + (size_t)nr_msgs * sizeof(uint32_t);
	size_t refs = nfds + (nr_fds ? (size_t)nr_msgs * sizeof(uint32_t) : 0);
	uint64_t bytes = 0, fds = 0;
	uint32_t j, len, n, ref;
	int err;

	for (j = 0; j < nr_msgs; j++) {
		len = get_u32(r->p + lens + (size_t)j * sizeof(uint32_t));
		n = nr_fds ? get_u32(r->p + nfds + (size_t)j * sizeof(uint32_t)) : 0;
		if (n > CKPT_UNIX_MAX_MSG_FDS || (type == K_SOCK_STREAM && !len))
			return fail(c, EINVAL, r->off + (type == K_SOCK_STREAM && !len ?
							 lens : nfds) +
				    (size_t)j * sizeof(uint32_t),
				    "unix pair end %u: message %u of %u bytes, %u descriptors",
				    i, j, len, n);
		bytes += len;
		fds += n;
	}
	if ((type != K_SOCK_STREAM || nr_msgs) && bytes != nr_bytes)
		return fail(c, EINVAL, r->off + UEND_OFF(i, nr_bytes),
			    "unix pair end %u: messages of %llu bytes, not %u", i,
			    (unsigned long long)bytes, nr_bytes);
	if (fds != nr_fds)
		return fail(c, EINVAL, r->off + UEND_OFF(i, nr_fds),
			    "unix pair end %u: messages with %llu descriptors, not %u", i,
			    (unsigned long long)fds, nr_fds);
	for (j = 0; j < nr_fds; j++) {
		off = refs + (size_t)j * sizeof(uint32_t);
		ref = get_u32(r->p + off);
		err = check_ref(c, ref, CKPT_HDR_FILE, "in-flight file_ref", r->off + off);
		if (err)
			return err;
		if (c->obj_fkind[ref - 1] == CKPT_FILE_INHERIT)
			return fail(c, EINVAL, r->off + off,
				    "file %u in flight is one to inherit", ref);
	}
	return 0;
}

/*
 * ckpt_unix_pair_restore(): restore_check_unix_pair().  When it
 * restores, the kernel then makes the pair with socketpair(2) in the
 * network namespace of the restarting process and sends each end its
 * data, and its files in flight with SCM_RIGHTS, which its memory and
 * descriptor limits may refuse: that depends on the machine, and is not
 * checked.
 */
static int check_unix_pair(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_unix_pair);
	uint32_t type = U32(r, ckpt_hdr_unix_pair, type);
	uint32_t ends = U32(r, ckpt_hdr_unix_pair, ends);
	uint32_t shut, nr_msgs, nr_bytes, nr_fds;
	uint64_t len = hlen;
	size_t off = hlen, at;
	unsigned int i;
	int32_t err;
	int ret;

	if (type != K_SOCK_STREAM && type != K_SOCK_DGRAM && type != K_SOCK_SEQPACKET)
		return fail(c, EINVAL, AT(r, ckpt_hdr_unix_pair, type),
			    "unix pair of type %u", type);
	if (!ends || ends & ~(CKPT_UNIX_END0 | CKPT_UNIX_END1))
		return fail(c, EINVAL, AT(r, ckpt_hdr_unix_pair, ends),
			    "unix pair ends %#x", ends);
	for (i = 0; i < 2; i++) {
		shut = get_u32(r->p + UEND_OFF(i, shutdown));
		err = (int32_t)get_u32(r->p + UEND_OFF(i, err));
		nr_msgs = get_u32(r->p + UEND_OFF(i, nr_msgs));
		nr_bytes = get_u32(r->p + UEND_OFF(i, nr_bytes));
		nr_fds = get_u32(r->p + UEND_OFF(i, nr_fds));
		if (!(ends & (1U << i)) && (shut || err || nr_msgs || nr_bytes || nr_fds))
			return fail(c, EINVAL, r->off + (shut ? UEND_OFF(i, shutdown) :
							 err ? UEND_OFF(i, err) :
							 nr_msgs ? UEND_OFF(i, nr_msgs) :
							 nr_bytes ? UEND_OFF(i, nr_bytes) :
							 UEND_OFF(i, nr_fds)),
				    "unix pair: closed end %u has state", i);
		if (shut & ~(CKPT_SHUT_RD | CKPT_SHUT_WR) ||
		    (err && err != K_ECONNRESET))
			return fail(c, EINVAL, r->off + (shut & ~(CKPT_SHUT_RD | CKPT_SHUT_WR) ?
							 UEND_OFF(i, shutdown) :
							 UEND_OFF(i, err)),
				    "unix pair end %u: shutdown %#x, error %d", i, shut, err);
		/* A stream has runs only to cut its bytes where descriptors came. */
		if (nr_msgs > CKPT_UNIX_MAX_MSGS || (type == K_SOCK_STREAM && nr_msgs && !nr_fds))
			at = UEND_OFF(i, nr_msgs);
		else if (nr_bytes > CKPT_UNIX_MAX_BYTES)
			at = UEND_OFF(i, nr_bytes);
		else if (nr_fds > CKPT_UNIX_MAX_FDS)
			at = UEND_OFF(i, nr_fds);
		else
			at = 0;
		if (at)
			return fail(c, EINVAL, r->off + at,
				    "unix pair end %u: %u messages, %u bytes, %u descriptors", i,
				    nr_msgs, nr_bytes, nr_fds);
		ret = check_zero(c, r, UEND_OFF(i, _pad),
				 sizeof(((struct ckpt_unix_end *)0)->_pad), "unix end _pad");
		if (ret)
			return ret;
		len += unix_end_len(r, i);
	}
	if (r->len != len)
		return fail(c, EINVAL, AT(r, ckpt_hdr, len), "unix pair: length %u, not %llu",
			    r->len, (unsigned long long)len);
	for (i = 0; i < 2; i++) {
		ret = check_unix_msgs(c, r, type, i, off);
		if (ret)
			return ret;
		off += unix_end_len(r, i);
	}
	/* An end closed at the checkpoint cannot be taken. */
	c->obj_taken[c->nr_objs] = (ends & CKPT_UNIX_END0 ? 0 : 1) |
				   (ends & CKPT_UNIX_END1 ? 0 : 2);
	c->obj_sotype[c->nr_objs] = type;
	return 0;
}

/* Offset of field @f of queue @i of a pty record */
#define TTYQ_OFF(i, f)	(offsetof(struct ckpt_hdr_pty, in) + \
			 (i) * sizeof(struct ckpt_tty_queue) + \
			 offsetof(struct ckpt_tty_queue, f))
#define TTYQ_FLAGS	(CKPT_TTYQ_LNEXT | CKPT_TTYQ_ERASING | CKPT_TTYQ_PUSH)

/*
 * ckpt_tty_bytes(): the bytes that follow a pty record, after its path,
 * for its queue @i: its len bytes, its pending bytes, then its line
 * ends, (canon + 7) / 8 bytes
 */
static uint64_t tty_queue_len(const struct rec *r, unsigned int i)
{
	return (uint64_t)get_u32(r->p + TTYQ_OFF(i, len)) +
	       get_u32(r->p + TTYQ_OFF(i, pending)) +
	       ((uint64_t)get_u32(r->p + TTYQ_OFF(i, canon)) + 7) / 8;
}

/*
 * restore_check_queue(): the flags and line ends, at @ends in the
 * record, of queue @i of a pty whose lengths were checked.  Whole lines
 * (canon) and CKPT_TTYQ_PUSH only in canonical mode (@icanon), which
 * in[1], the master's, never is; line ends, bit j of byte j / 8, only
 * among the canon bytes, and the last of them one.
 */
static int check_tty_queue(struct check *c, const struct rec *r, unsigned int i,
			   bool icanon, size_t ends)
{
	uint32_t canon = get_u32(r->p + TTYQ_OFF(i, canon));
	uint32_t flags = get_u32(r->p + TTYQ_OFF(i, flags));
	uint32_t j;
	size_t at;

	if (flags & ~TTYQ_FLAGS)
		at = TTYQ_OFF(i, flags);
	else if (!icanon && canon)
		at = TTYQ_OFF(i, canon);
	else if (!icanon && flags)
		at = TTYQ_OFF(i, flags);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, r->off + at,
			    "pty queue flags %#x, %u bytes in lines, ICANON %d", flags, canon,
			    icanon);
	for (j = canon; j < (canon + 7) / 8 * 8; j++)
		if (r->p[ends + j / 8] & (1U << (j % 8)))
			return fail(c, EINVAL, r->off + ends + j / 8,
				    "pty line end past the lines");
	if (canon && !(r->p[ends + (canon - 1) / 8] & (1U << ((canon - 1) % 8))))
		return fail(c, EINVAL, r->off + ends + (canon - 1) / 8, "pty lines with no end");
	return 0;
}

/*
 * ckpt_pty_restore(): restore_check_pty().  When it restores, the kernel
 * then opens the ptmx device of the path, with the rights of the
 * restarting process, and refuses a file that is not one (ESTALE) or
 * that gives no pty master (EIO): that depends on the machine, and is
 * not checked.  Nor is, once the tasks exist, ckpt_pty_finish(): the
 * leader of its session restored (ESRCH), its foreground group in that
 * session (EPERM), no other pty controlling it (EBUSY).
 */
static int check_pty(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pty);
	uint32_t path_len = U32(r, ckpt_hdr_pty, path_len);
	uint32_t flags = U32(r, ckpt_hdr_pty, flags);
	uint32_t acc = U32(r, ckpt_hdr_pty, master_acc);
	int32_t session = S32(r, ckpt_hdr_pty, session);
	int32_t fg_pgrp = S32(r, ckpt_hdr_pty, fg_pgrp);
	uint32_t lflag = U32(r, ckpt_hdr_pty, termios.c_lflag);
	uint8_t pktstatus = r->p[offsetof(struct ckpt_hdr_pty, pktstatus)];
	uint8_t line = r->p[offsetof(struct ckpt_hdr_pty, termios.c_line)];
	uint32_t len, canon, pending;
	uint64_t total = hlen + (uint64_t)path_len;
	size_t at, off;
	unsigned int i;
	int err;

	if (path_len < 2 || path_len > CKPT_PATH_MAX)
		return fail(c, EINVAL, AT(r, ckpt_hdr_pty, path_len), "pty path_len %u",
			    path_len);
	for (i = 0; i < 2; i++) {
		len = get_u32(r->p + TTYQ_OFF(i, len));
		canon = get_u32(r->p + TTYQ_OFF(i, canon));
		pending = get_u32(r->p + TTYQ_OFF(i, pending));
		if (len > CKPT_TTY_BUF_SIZE)
			at = TTYQ_OFF(i, len);
		else if (canon > len)
			at = TTYQ_OFF(i, canon);
		else if (pending > CKPT_TTY_MAX_PENDING)
			at = TTYQ_OFF(i, pending);
		else
			at = 0;
		if (at)
			return fail(c, EINVAL, r->off + at,
				    "pty queue %u: %u bytes, %u in lines, %u pending", i, len,
				    canon, pending);
		total += tty_queue_len(r, i);
	}
	if (r->len != total)
		return fail(c, EINVAL, AT(r, ckpt_hdr, len), "pty length %u, expected %llu",
			    r->len, (unsigned long long)total);
	err = check_path(c, r, hlen, path_len, "pty path");
	if (err)
		return err;
	if (flags & ~CKPT_PTY_FLAGS || pktstatus & ~CKPT_TIOCPKT_ALL ||
	    (pktstatus && !(flags & CKPT_PTY_PACKET)))
		return fail(c, EINVAL, flags & ~CKPT_PTY_FLAGS ? AT(r, ckpt_hdr_pty, flags) :
			    AT(r, ckpt_hdr_pty, pktstatus),
			    "pty flags %#x, packet status %#x", flags, pktstatus);
	if (acc != 0 && acc != 1 && acc != K_O_RDWR)	/* O_RDONLY, O_WRONLY, O_RDWR */
		return fail(c, EINVAL, AT(r, ckpt_hdr_pty, master_acc), "pty master_acc %#x",
			    acc);
	if (session < 0 || fg_pgrp < 0 || (fg_pgrp && !session))
		return fail(c, EINVAL, session < 0 ? AT(r, ckpt_hdr_pty, session) :
			    AT(r, ckpt_hdr_pty, fg_pgrp),
			    "pty session %d, foreground group %d", session, fg_pgrp);
	if (line != K_N_TTY)
		return fail(c, EINVAL, AT(r, ckpt_hdr_pty, termios.c_line),
			    "pty line discipline %u", line);
	err = check_zero(c, r, offsetof(struct ckpt_hdr_pty, _pad),
			 sizeof(((struct ckpt_hdr_pty *)0)->_pad), "_pad") ?:
	      check_zero(c, r, offsetof(struct ckpt_hdr_pty, termios._pad),
			 sizeof(((struct ckpt_hdr_pty *)0)->termios._pad), "termios._pad");
	if (err)
		return err;
	/* the data and pending bytes of each queue, then its line ends */
	off = hlen + path_len;
	for (i = 0; i < 2; i++) {
		off += (size_t)get_u32(r->p + TTYQ_OFF(i, len)) +
		       get_u32(r->p + TTYQ_OFF(i, pending));
		err = check_tty_queue(c, r, i, i == 0 && (lflag & K_ICANON), off);
		if (err)
			return err;
		off += (get_u32(r->p + TTYQ_OFF(i, canon)) + 7) / 8;
	}
	c->obj_acc[c->nr_objs] = acc;
	return 0;
}

/* Offset in a file record of field @f of its struct ckpt_pty_file */
#define PTYF_OFF(f)	(sizeof(struct ckpt_hdr_file) + offsetof(struct ckpt_pty_file, f))

/*
 * restore_check_pty_file(): a file of a pty has no path but a struct
 * ckpt_pty_file, which end it is; a character device's mode, no rdev
 * and no offset; O_ACCMODE and the status flags restart(2) gives it
 * (O_NONBLOCK, O_APPEND, O_LARGEFILE); pty_ref names its pty, defined
 * before it (EBADR).  Its master is taken once, by a file open as the
 * pty's master was (master_acc), then restore_pty_file() marks it
 * taken.
 */
static int check_pty_file(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file);
	uint32_t path_len = U32(r, ckpt_hdr_file, path_len);
	uint32_t mode = U32(r, ckpt_hdr_file, mode);
	uint32_t f_flags = U32(r, ckpt_hdr_file, f_flags);
	uint32_t pty_ref = U32(r, ckpt_hdr_file, pty_ref);
	uint32_t end;
	bool taken;
	size_t at;
	int err;

	if (path_len != sizeof(struct ckpt_pty_file) || r->len != hlen + (uint64_t)path_len)
		return fail(c, EINVAL, path_len != sizeof(struct ckpt_pty_file) ?
			    AT(r, ckpt_hdr_file, path_len) : AT(r, ckpt_hdr, len),
			    "length %u does not match path_len %u", r->len, path_len);
	end = get_u32(r->p + PTYF_OFF(end));
	if (end > CKPT_PTY_SLAVE)
		at = r->off + PTYF_OFF(end);
	else
		at = nonzero_at(r, PTYF_OFF(_pad), sizeof(((struct ckpt_pty_file *)0)->_pad));
	if (at)
		return fail(c, EINVAL, at, "pty end %u, _pad %u", end,
			    get_u32(r->p + PTYF_OFF(_pad)));
	if ((mode & K_S_IFMT) != K_S_IFCHR)
		at = AT(r, ckpt_hdr_file, mode);
	else if (U32(r, ckpt_hdr_file, rdev))
		at = AT(r, ckpt_hdr_file, rdev);
	else if (U64(r, ckpt_hdr_file, pos))
		at = AT(r, ckpt_hdr_file, pos);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "mode %#o, rdev or offset of a pty", mode);
	if (f_flags & ~(K_O_ACCMODE | K_PTY_FILE_FLAGS))
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, f_flags), "pty file flags %#x",
			    f_flags);
	err = check_ref(c, pty_ref, CKPT_HDR_PTY, "pty_ref", AT(r, ckpt_hdr_file, pty_ref));
	if (err || end != CKPT_PTY_MASTER)
		return err;
	taken = c->obj_taken[pty_ref - 1] & (1U << CKPT_PTY_MASTER);
	if (taken || (f_flags & K_O_ACCMODE) != c->obj_acc[pty_ref - 1])
		return fail(c, EINVAL, taken ? r->off + PTYF_OFF(end) :
			    AT(r, ckpt_hdr_file, f_flags),
			    "pty %u: its master twice, or open otherwise", pty_ref);
	c->obj_taken[pty_ref - 1] |= 1U << CKPT_PTY_MASTER;
	return 0;
}

/* Offset in a file record of field @f of its struct ckpt_timerfd */
#define TFD_OFF(f)	(sizeof(struct ckpt_hdr_file) + offsetof(struct ckpt_timerfd, f))

/*
 * restore_check_timerfd(): a timerfd on CLOCK_MONOTONIC, CLOCK_REALTIME or
 * CLOCK_BOOTTIME, absolute (TFD_TIMER_ABSTIME) on CLOCK_REALTIME only, its
 * time left or expiry and its interval at most KTIME_MAX; any number of
 * expirations not read.
 */
static int check_timerfd(struct check *c, const struct rec *r)
{
	int32_t clockid = (int32_t)get_u32(r->p + TFD_OFF(clockid));
	uint32_t flags = get_u32(r->p + TFD_OFF(flags));
	uint64_t value = get_u64(r->p + TFD_OFF(value_ns));
	uint64_t interval = get_u64(r->p + TFD_OFF(interval_ns));
	size_t at;

	if (clockid != K_CLOCK_MONOTONIC && clockid != K_CLOCK_REALTIME &&
	    clockid != K_CLOCK_BOOTTIME)
		at = TFD_OFF(clockid);
	else if (flags & ~K_TFD_TIMER_ABSTIME || (flags && clockid != K_CLOCK_REALTIME))
		at = TFD_OFF(flags);
	else if (value > (uint64_t)K_KTIME_MAX)
		at = TFD_OFF(value_ns);
	else if (interval > (uint64_t)K_KTIME_MAX)
		at = TFD_OFF(interval_ns);
	else
		return 0;
	return fail(c, EINVAL, r->off + at,
		    "timerfd: clock %d, flags %#x, value %llu, interval %llu", clockid, flags,
		    (unsigned long long)value, (unsigned long long)interval);
}

/* Offset in a file record of field @f of its struct ckpt_pidfd */
#define PIDFD_OFF(f)	(sizeof(struct ckpt_hdr_file) + offsetof(struct ckpt_pidfd, f))

/*
 * restore_check_pidfd(): a pidfd's flags, CKPT_PIDFD_THREAD at most, then
 * ckpt_check_pid_ref(): its pid that of a task of the tree record and,
 * without CKPT_PIDFD_THREAD, of a process (a task whose pid is its tgid).
 * Only the tree is looked at: the task may come later in the image, as a
 * parent holds its children's pidfds, and restart then allocates its pid
 * before it.  Pid 0 is that of a task that was reaped.
 */
static int check_pidfd(struct check *c, const struct rec *r)
{
	int32_t pid = (int32_t)get_u32(r->p + PIDFD_OFF(pid));
	uint32_t flags = get_u32(r->p + PIDFD_OFF(flags));

	if (flags & ~CKPT_PIDFD_THREAD)
		return fail(c, EINVAL, r->off + PIDFD_OFF(flags), "pidfd: unknown flags %#x",
			    flags);
	if (!pid)
		return 0;
	return check_pid_ref(c, pid, flags & CKPT_PIDFD_THREAD, r->off + PIDFD_OFF(pid));
}

/*
 * The offset in a file record of the first of its mode, rdev, pipe_ref and
 * pos that is not zero (of its mode, only its type, which is that of a
 * regular file for a pidfd), or 0
 */
static size_t anon_bad(const struct rec *r, uint32_t kind)
{
	uint32_t type = kind == CKPT_FILE_PIDFD ? K_S_IFREG : 0;

	if ((U32(r, ckpt_hdr_file, mode) & K_S_IFMT) != type)
		return AT(r, ckpt_hdr_file, mode);
	if (U32(r, ckpt_hdr_file, rdev))
		return AT(r, ckpt_hdr_file, rdev);
	if (U32(r, ckpt_hdr_file, pipe_ref))
		return AT(r, ckpt_hdr_file, pipe_ref);
	if (U64(r, ckpt_hdr_file, pos))
		return AT(r, ckpt_hdr_file, pos);
	return 0;
}

/*
 * restore_check_anon(): an eventfd, signalfd, timerfd or pidfd has no
 * path, an anonymous inode, O_RDWR and the status flags fcntl(F_SETFL)
 * gives it (O_NONBLOCK, O_APPEND, O_NOATIME), and its state: an eventfd's
 * counter and mode, a signalfd's mask, a timerfd's clock, timer and
 * expirations not read, the task a pidfd refers to.
 */
static int check_anon(struct check *c, const struct rec *r, uint32_t kind)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file);
	uint32_t path_len = U32(r, ckpt_hdr_file, path_len);
	uint32_t mode = U32(r, ckpt_hdr_file, mode);
	uint32_t f_flags = U32(r, ckpt_hdr_file, f_flags);
	const uint8_t *e = r->p + hlen;
	size_t len = kind == CKPT_FILE_EVENTFD ? sizeof(struct ckpt_eventfd) :
		     kind == CKPT_FILE_SIGNALFD ? sizeof(struct ckpt_signalfd) :
		     kind == CKPT_FILE_TIMERFD ? sizeof(struct ckpt_timerfd) :
						 sizeof(struct ckpt_pidfd);
	uint64_t count;
	uint32_t flags;
	size_t at;

	if (path_len != len || r->len != hlen + len)
		return fail(c, EINVAL, path_len != len ? AT(r, ckpt_hdr_file, path_len) :
			    AT(r, ckpt_hdr, len),
			    "length %u, path_len %u of kind %u", r->len, path_len, kind);
	at = anon_bad(r, kind);
	if (!at && (f_flags & ~K_ANON_FLAGS) != K_O_RDWR)
		at = AT(r, ckpt_hdr_file, f_flags);
	if (at)
		return fail(c, EINVAL, at, "mode %#o, flags %#x, rdev, pipe_ref or pos of kind %u",
			    mode, f_flags, kind);
	if (kind == CKPT_FILE_TIMERFD)
		return check_timerfd(c, r);
	if (kind == CKPT_FILE_PIDFD)
		return check_pidfd(c, r);
	if (kind != CKPT_FILE_EVENTFD)
		return 0;
	count = get_u64(e + offsetof(struct ckpt_eventfd, count));
	flags = get_u32(e + offsetof(struct ckpt_eventfd, flags));
	if (count == UINT64_MAX || flags & ~1u)
		return fail(c, EINVAL, r->off + hlen +
			    (count == UINT64_MAX ? offsetof(struct ckpt_eventfd, count) :
			     offsetof(struct ckpt_eventfd, flags)),
			    "eventfd: count %#llx, flags %#x",
			    (unsigned long long)count, flags);
	return check_zero(c, r, hlen + offsetof(struct ckpt_eventfd, _pad),
			  sizeof(((struct ckpt_eventfd *)0)->_pad), "eventfd _pad");
}

/* Offset in a file record of field @f of its epoll item @i */
#define EPI_OFF(i, f)	(sizeof(struct ckpt_hdr_file) + \
			 (size_t)(i) * sizeof(struct ckpt_epoll_item) + \
			 offsetof(struct ckpt_epoll_item, f))

/*
 * restore_epoll(): when it restores, the kernel adds the @n items in
 * their order as epoll_ctl(EPOLL_CTL_ADD) does, which refuses
 * EPOLLEXCLUSIVE on an epoll or with events but EPOLLEXCLUSIVE_OK_BITS
 * (EINVAL), epolls watching epolls deeper than EP_MAX_NESTS (ELOOP) and
 * a file added twice with the same descriptor (EEXIST).  An inherited
 * file is the restarting process's at the item's descriptor, the same
 * for every inherited file at that descriptor.  RESTART_VALIDATE does not
 * add them, but restart(2) would refuse the image: they are checked.
 * Whether each file can be polled (EPERM, a regular file on most file
 * systems), the restarting process has an inherited file (EBADF), and
 * how many epolls watch a file (EINVAL) depends on the machine, and is
 * not checked.
 */
static int check_epoll_add(struct check *c, const struct rec *r, uint32_t n)
{
	struct twice_key *keys;
	uint32_t i, ref, events, depth = 0, d;
	uint8_t *twice;
	int err = 0;

	keys = malloc((n ?: 1) * sizeof(*keys));
	if (!keys) {
		perror("ckptinfo");
		exit(EXIT_USAGE);
	}
	for (i = 0; i < n; i++) {
		ref = get_u32(r->p + EPI_OFF(i, file_ref));
		if (c->obj_fkind[ref - 1] == CKPT_FILE_INHERIT)
			ref = 0;
		keys[i].key = (uint64_t)ref << 32 | get_u32(r->p + EPI_OFF(i, fd));
		keys[i].i = i;
	}
	twice = mark_twice(keys, n);
	for (i = 0; i < n && !err; i++) {
		ref = get_u32(r->p + EPI_OFF(i, file_ref));
		events = get_u32(r->p + EPI_OFF(i, events));
		d = c->obj_fkind[ref - 1] == CKPT_FILE_EPOLL ? c->obj_epdepth[ref - 1] + 1 : 0;
		if (events & K_EPOLLEXCLUSIVE &&
		    (d || events & ~K_EPOLLEXCLUSIVE_OK_BITS))
			err = fail(c, EINVAL, r->off + EPI_OFF(i, events),
				   "epoll item %u: EPOLLEXCLUSIVE %s", i,
				   d ? "on an epoll" : "with other events");
		else if (d > K_EP_MAX_NESTS)
			err = fail(c, ELOOP, r->off + EPI_OFF(i, file_ref),
				   "epoll item %u: epolls nested deeper than %d", i,
				   K_EP_MAX_NESTS);
		else if (twice[i])
			err = fail(c, EEXIST, r->off + EPI_OFF(i, file_ref),
				   "epoll item %u: its file and fd %d added before", i,
				   (int32_t)get_u32(r->p + EPI_OFF(i, fd)));
		if (d > depth)
			depth = d;
	}
	free(keys);
	free(twice);
	c->obj_epdepth[c->nr_objs] = depth;
	return err;
}

/*
 * restore_check_epoll(): an epoll has no path, an anonymous inode, O_RDWR
 * and at most O_NONBLOCK, O_APPEND and O_NOATIME (those fcntl(F_SETFL)
 * gives it), and its items: each names a file written before
 * it (EBADR), with the descriptor it was added with, its events and data.
 */
static int check_epoll(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file), ilen = sizeof(struct ckpt_epoll_item);
	uint32_t path_len = U32(r, ckpt_hdr_file, path_len);
	uint32_t mode = U32(r, ckpt_hdr_file, mode);
	uint32_t f_flags = U32(r, ckpt_hdr_file, f_flags);
	uint32_t n = path_len / ilen, i, events;
	bool bad_n = path_len % ilen || n > CKPT_EPOLL_MAX_ITEMS;
	int32_t fd;
	size_t at;
	int err;

	if (bad_n || r->len != hlen + (uint64_t)path_len)
		return fail(c, EINVAL, bad_n ? AT(r, ckpt_hdr_file, path_len) :
			    AT(r, ckpt_hdr, len),
			    "length %u, path_len %u of an epoll", r->len, path_len);
	at = anon_bad(r, CKPT_FILE_EPOLL);
	if (!at && (f_flags & ~K_ANON_FLAGS) != K_O_RDWR)
		at = AT(r, ckpt_hdr_file, f_flags);
	if (at)
		return fail(c, EINVAL, at, "mode %#o, flags %#x, rdev, pipe_ref or pos of an epoll",
			    mode, f_flags);
	for (i = 0; i < n; i++) {
		fd = (int32_t)get_u32(r->p + EPI_OFF(i, fd));
		events = get_u32(r->p + EPI_OFF(i, events));
		if (fd < 0)
			at = EPI_OFF(i, fd);
		else if (events & ~K_EPOLL_EVENTS)
			at = EPI_OFF(i, events);
		else if (get_u32(r->p + EPI_OFF(i, _pad)))
			at = EPI_OFF(i, _pad);
		else
			at = 0;
		if (at)
			return fail(c, EINVAL, r->off + at, "epoll item %u: fd %d, events %#x", i,
				    fd, events);
		err = check_ref(c, get_u32(r->p + EPI_OFF(i, file_ref)), CKPT_HDR_FILE,
				"epoll file_ref", r->off + EPI_OFF(i, file_ref));
		if (err)
			return err;
	}
	return check_epoll_add(c, r, n);
}

/* Offset in a file record of field @f of its struct ckpt_socket */
#define SOCK_OFF(f)	(sizeof(struct ckpt_hdr_file) + offsetof(struct ckpt_socket, f))

/*
 * ckpt_unix_pair_take(): the end of its pair a CKPT_SOCK_PAIR socket
 * takes, once and of the pair's type; the end is taken once both are
 * checked.
 */
static int check_unix_end(struct check *c, const struct rec *r)
{
	uint32_t pair_ref = get_u32(r->p + SOCK_OFF(pair_ref));
	uint32_t end = get_u32(r->p + SOCK_OFF(end));
	uint16_t type = get_u16(r->p + SOCK_OFF(type));
	int err;

	err = check_ref(c, pair_ref, CKPT_HDR_UNIX_PAIR, "pair_ref",
			r->off + SOCK_OFF(pair_ref));
	if (err)
		return err;
	if (c->obj_taken[pair_ref - 1] & (1U << end))
		return fail(c, EINVAL, r->off + SOCK_OFF(end),
			    "unix pair %u: end %u twice, or closed", pair_ref, end);
	if (c->obj_sotype[pair_ref - 1] != type)
		return fail(c, EINVAL, r->off + SOCK_OFF(type),
			    "unix pair %u: not of type %u", pair_ref, type);
	c->obj_taken[pair_ref - 1] |= 1U << end;
	return 0;
}

/*
 * restore_sock_addr_ok(): an address of @len bytes at @off, of the
 * socket's family and long enough for it.  The offset of the problem,
 * or 0.  (@own: the socket's own address; a path is accepted for it
 * too, as restart takes over the path of a socket inode left behind.)
 */
static size_t sock_addr_bad(const struct rec *r, size_t len_off, size_t off,
			    uint32_t len, uint16_t family, bool own)
{
	if (len > CKPT_SOCK_ADDR_MAX || (len && len < sizeof(uint16_t)))
		return r->off + len_off;
	if (!len)
		return 0;
	if (get_u16(r->p + off) != family)
		return r->off + off;
	switch (family) {
	case K_AF_INET:
		return len < K_SOCKADDR_IN_LEN ? r->off + len_off : 0;
	case K_AF_INET6:
		return len < K_SIN6_LEN_RFC2133 ? r->off + len_off : 0;
	}
	if (len <= K_SUN_PATH || len > K_SOCKADDR_UN_LEN)
		return r->off + len_off;
	(void)own;
	return 0;
}

/*
 * ckpt_tcp_restore(): restore_check_tcp().  The bytes received, then
 * those to send, follow the record.  When it restores, the kernel then
 * makes the connection again in repair mode, which needs CAP_NET_ADMIN
 * in its network namespace (the one made for the tasks with CKPT_NS_NET,
 * else the restarting process's), binds and connects it, which the
 * addresses in use may refuse, and queues its bytes, which its memory
 * limits may refuse: that depends on the machine, and is not checked.
 */
static int check_tcp(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_tcp);
	uint16_t family = U16(r, ckpt_hdr_tcp, family);
	uint16_t flags = U16(r, ckpt_hdr_tcp, flags);
	uint32_t addr_len = U32(r, ckpt_hdr_tcp, addr_len);
	uint32_t peer_len = U32(r, ckpt_hdr_tcp, peer_len);
	uint32_t snd_len = U32(r, ckpt_hdr_tcp, snd_len);
	uint32_t unsent_len = U32(r, ckpt_hdr_tcp, unsent_len);
	uint32_t rcv_len = U32(r, ckpt_hdr_tcp, rcv_len);
	uint32_t snd_wnd = U32(r, ckpt_hdr_tcp, snd_wnd);
	uint32_t max_window = U32(r, ckpt_hdr_tcp, max_window);
	uint16_t mss_clamp = U16(r, ckpt_hdr_tcp, mss_clamp);
	uint8_t snd_wscale = r->p[offsetof(struct ckpt_hdr_tcp, snd_wscale)];
	uint8_t rcv_wscale = r->p[offsetof(struct ckpt_hdr_tcp, rcv_wscale)];
	int32_t sndbuf = S32(r, ckpt_hdr_tcp, sndbuf);
	int32_t rcvbuf = S32(r, ckpt_hdr_tcp, rcvbuf);
	bool wscale = flags & CKPT_TCP_WSCALE;
	size_t at;
	int err;

	if (family != K_AF_INET && family != K_AF_INET6)
		return fail(c, EINVAL, AT(r, ckpt_hdr_tcp, family), "TCP family %u", family);
	if (flags & ~CKPT_TCP_ALL)
		at = AT(r, ckpt_hdr_tcp, flags);
	else if ((!wscale && snd_wscale) || snd_wscale > K_TCP_MAX_WSCALE)
		at = AT(r, ckpt_hdr_tcp, snd_wscale);
	else if ((!wscale && rcv_wscale) || rcv_wscale > K_TCP_MAX_WSCALE)
		at = AT(r, ckpt_hdr_tcp, rcv_wscale);
	else if (!mss_clamp)
		at = AT(r, ckpt_hdr_tcp, mss_clamp);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "TCP flags %#x, mss %u, scales %u and %u",
			    flags, mss_clamp, snd_wscale, rcv_wscale);
	if (rcv_len > CKPT_TCP_QUEUE_MAX)
		at = AT(r, ckpt_hdr_tcp, rcv_len);
	else if (snd_len > CKPT_TCP_QUEUE_MAX)
		at = AT(r, ckpt_hdr_tcp, snd_len);
	else if (unsent_len > snd_len)
		at = AT(r, ckpt_hdr_tcp, unsent_len);
	else if (r->len != hlen + (uint64_t)rcv_len + snd_len)
		at = AT(r, ckpt_hdr, len);
	if (at)
		return fail(c, EINVAL, at, "TCP queues of %u and %u bytes in %u",
			    rcv_len, snd_len, r->len);
	if (max_window < snd_wnd)
		at = AT(r, ckpt_hdr_tcp, max_window);
	else if (sndbuf <= 0)
		at = AT(r, ckpt_hdr_tcp, sndbuf);
	else if (rcvbuf <= 0)
		at = AT(r, ckpt_hdr_tcp, rcvbuf);
	if (at)
		return fail(c, EINVAL, at, "TCP window %u of %u, buffers %d and %d",
			    snd_wnd, max_window, sndbuf, rcvbuf);
	if (!addr_len)
		at = AT(r, ckpt_hdr_tcp, addr_len);
	else
		at = sock_addr_bad(r, offsetof(struct ckpt_hdr_tcp, addr_len),
				   offsetof(struct ckpt_hdr_tcp, addr), addr_len, family, false);
	if (!at && !peer_len)
		at = AT(r, ckpt_hdr_tcp, peer_len);
	else if (!at)
		at = sock_addr_bad(r, offsetof(struct ckpt_hdr_tcp, peer_len),
				   offsetof(struct ckpt_hdr_tcp, peer), peer_len, family, false);
	if (at)
		return fail(c, EINVAL, at, "TCP addresses of %u and %u bytes",
			    addr_len, peer_len);
	err = check_zero(c, r, offsetof(struct ckpt_hdr_tcp, _pad),
			 sizeof(((struct ckpt_hdr_tcp *)0)->_pad), "_pad") ?:
	      check_zero(c, r, offsetof(struct ckpt_hdr_tcp, addr) + addr_len,
			 CKPT_SOCK_ADDR_MAX - addr_len, "TCP addr") ?:
	      check_zero(c, r, offsetof(struct ckpt_hdr_tcp, peer) + peer_len,
			 CKPT_SOCK_ADDR_MAX - peer_len, "TCP peer");
	if (err)
		return err;
	/* the family of the socket that takes it; for an accept queue, more */
	c->obj_sotype[c->nr_objs] = family;
	c->obj_tcp[c->nr_objs] = (struct ckpt_tcp_host){
		.snd_len = snd_len, .flags = flags,
		/* sin6_port is where sin_port is */
		.port = get_u16(r->p + offsetof(struct ckpt_hdr_tcp, addr) + 2),
	};
	return 0;
}

/*
 * ckpt_tcp_take(): the connection a CKPT_SOCK_TCP socket takes, once and
 * of its family.
 */
static int check_tcp_take(struct check *c, const struct rec *r)
{
	uint32_t tcp_ref = get_u32(r->p + SOCK_OFF(tcp_ref));
	uint16_t family = get_u16(r->p + SOCK_OFF(family));
	int err;

	err = check_ref(c, tcp_ref, CKPT_HDR_TCP, "tcp_ref", r->off + SOCK_OFF(tcp_ref));
	if (err)
		return err;
	if (c->obj_taken[tcp_ref - 1])
		return fail(c, EINVAL, r->off + SOCK_OFF(tcp_ref),
			    "TCP connection %u twice", tcp_ref);
	if (c->obj_sotype[tcp_ref - 1] != family)
		return fail(c, EINVAL, r->off + SOCK_OFF(family),
			    "TCP connection %u: not of family %u", tcp_ref, family);
	c->obj_taken[tcp_ref - 1] = 1;
	return 0;
}

/*
 * ckpt_tcp_accept_restore(): the connections a listening TCP socket holds
 * for accept(2), nr_conns objrefs after the record, each a CKPT_HDR_TCP
 * defined before it and taken by nothing else (a file, another queue or
 * this one), that sent nothing: no byte to send, no FIN.  They are taken
 * now; the queue, by the listening socket that names it.
 */
static int check_tcp_accept(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_tcp_accept);
	uint32_t nr = U32(r, ckpt_hdr_tcp_accept, nr_conns), i, ref;
	const struct ckpt_tcp_host *t;
	size_t off;
	int err;

	if (nr > CKPT_TCP_ACCEPT_MAX || r->len != hlen + (uint64_t)nr * sizeof(uint32_t))
		return fail(c, EINVAL, nr > CKPT_TCP_ACCEPT_MAX ?
			    AT(r, ckpt_hdr_tcp_accept, nr_conns) : AT(r, ckpt_hdr, len),
			    "accept queue of %u connections in %u bytes", nr, r->len);
	err = check_zero(c, r, offsetof(struct ckpt_hdr_tcp_accept, _pad),
			 sizeof(((struct ckpt_hdr_tcp_accept *)0)->_pad), "_pad");
	if (err)
		return err;
	for (i = 0; i < nr; i++) {
		off = hlen + (size_t)i * sizeof(uint32_t);
		ref = get_u32(r->p + off);
		err = check_ref(c, ref, CKPT_HDR_TCP, "accept queue", r->off + off);
		if (err)
			return err;
		t = &c->obj_tcp[ref - 1];
		if (c->obj_taken[ref - 1] || t->snd_len || t->flags & CKPT_TCP_SND_FIN)
			return fail(c, EINVAL, r->off + off,
				    "TCP connection %u: not one waiting for accept(2)", ref);
		c->obj_taken[ref - 1] = 1;
	}
	return 0;
}

/*
 * ckpt_tcp_accept_take(): the accept queue a listening TCP socket names
 * with accept_ref, taken once, whose connections are all of its family
 * and on its port.
 */
static int check_tcp_accept_take(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_tcp_accept);
	uint32_t accept_ref = get_u32(r->p + SOCK_OFF(accept_ref));
	uint16_t family = get_u16(r->p + SOCK_OFF(family));
	/* sin6_port is where sin_port is */
	uint16_t port = get_u16(r->p + SOCK_OFF(addr) + 2);
	const uint8_t *q;
	uint32_t nr, i, ref;
	int err;

	err = check_ref(c, accept_ref, CKPT_HDR_TCP_ACCEPT, "accept_ref",
			r->off + SOCK_OFF(accept_ref));
	if (err)
		return err;
	if (c->obj_taken[accept_ref - 1])
		return fail(c, EINVAL, r->off + SOCK_OFF(accept_ref),
			    "accept queue %u twice", accept_ref);
	/* its record, checked whole when it was read */
	q = c->im->buf + c->obj_off[accept_ref - 1];
	nr = get_u32(q + offsetof(struct ckpt_hdr_tcp_accept, nr_conns));
	for (i = 0; i < nr; i++) {
		ref = get_u32(q + hlen + (size_t)i * sizeof(uint32_t));
		if (c->obj_sotype[ref - 1] != family || c->obj_tcp[ref - 1].port != port)
			return fail(c, EINVAL, r->off + (c->obj_sotype[ref - 1] != family ?
							 SOCK_OFF(family) : SOCK_OFF(addr) + 2),
				    "accept queue %u: a connection of another family or port",
				    accept_ref);
	}
	c->obj_taken[accept_ref - 1] = 1;
	return 0;
}

/*
 * restore_check_sock_lost(): a socket saved by its kind alone, with
 * CHECKPOINT_RESET_SOCKETS; any family but AF_UNIX, any type and
 * protocol, and nothing else.
 */
static int check_sock_lost(struct check *c, const struct rec *r)
{
	uint16_t family = get_u16(r->p + SOCK_OFF(family));
	uint16_t type = get_u16(r->p + SOCK_OFF(type));

	if (!family || family >= K_AF_MAX || family == K_AF_UNIX ||
	    !type || type > K_SOCK_PACKET)
		return fail(c, EINVAL, r->off + (!family || family >= K_AF_MAX ||
						 family == K_AF_UNIX ?
						 SOCK_OFF(family) : SOCK_OFF(type)),
			    "lost socket of family %u, type %u", family, type);
	return check_zero(c, r, SOCK_OFF(pair_ref),
			  sizeof(struct ckpt_socket) - offsetof(struct ckpt_socket, pair_ref),
			  "lost socket");
}

/*
 * ckpt_sock_check(): the socket of a file record.  When it restores,
 * the kernel then makes the socket in the network namespace of the
 * restarting process, or the one it made for the tasks (CKPT_NS_NET),
 * and binds, listens and connects it as the system calls would, which
 * its rights and the addresses in use may refuse (EACCES, EADDRINUSE,
 * ...): that depends on the machine, and is not checked.
 */
static int check_sock_state(struct check *c, const struct rec *r)
{
	uint16_t family = get_u16(r->p + SOCK_OFF(family));
	uint16_t type = get_u16(r->p + SOCK_OFF(type));
	uint16_t protocol = get_u16(r->p + SOCK_OFF(protocol));
	uint16_t state = get_u16(r->p + SOCK_OFF(state));
	uint32_t pair_ref = get_u32(r->p + SOCK_OFF(pair_ref));
	uint32_t end = get_u32(r->p + SOCK_OFF(end));
	uint32_t opts = get_u32(r->p + SOCK_OFF(opts));
	int32_t sndbuf = (int32_t)get_u32(r->p + SOCK_OFF(sndbuf));
	int32_t rcvbuf = (int32_t)get_u32(r->p + SOCK_OFF(rcvbuf));
	int32_t rcvlowat = (int32_t)get_u32(r->p + SOCK_OFF(rcvlowat));
	uint32_t linger = get_u32(r->p + SOCK_OFF(linger));
	uint32_t backlog = get_u32(r->p + SOCK_OFF(backlog));
	uint32_t addr_len = get_u32(r->p + SOCK_OFF(addr_len));
	uint32_t peer_len = get_u32(r->p + SOCK_OFF(peer_len));
	bool unix_sock = family == K_AF_UNIX;
	bool inet = family == K_AF_INET || family == K_AF_INET6;
	bool tcp = inet && type == K_SOCK_STREAM;
	/* the types of the family, for the offset of a problem */
	bool type_ok = type == K_SOCK_STREAM || type == K_SOCK_DGRAM ||
		       (unix_sock && type == K_SOCK_SEQPACKET);
	bool pair = state == CKPT_SOCK_PAIR;
	bool tcp_conn = state == CKPT_SOCK_TCP;
	bool listening = state == CKPT_SOCK_LISTEN;
	bool bound = state == CKPT_SOCK_BOUND || listening;
	bool bad_ref;
	size_t at;
	int err;

	if (state == CKPT_SOCK_LOST)
		return check_sock_lost(c, r);
	if (!(unix_sock && type_ok && !protocol) &&
	    !(tcp && protocol == K_IPPROTO_TCP) &&
	    !(inet && type == K_SOCK_DGRAM && protocol == K_IPPROTO_UDP)) {
		at = !unix_sock && !inet ? SOCK_OFF(family) :
		     !type_ok ? SOCK_OFF(type) : SOCK_OFF(protocol);
		return fail(c, EINVAL, r->off + at, "socket of family %u, type %u, protocol %u",
			    family, type, protocol);
	}
	if (state < CKPT_SOCK_FRESH || state > CKPT_SOCK_TCP || (pair && !unix_sock) ||
	    (tcp_conn && !tcp) ||
	    (state == CKPT_SOCK_RESET && inet && !tcp) ||
	    (state == CKPT_SOCK_LISTEN && type == K_SOCK_DGRAM))
		return fail(c, EINVAL, r->off + SOCK_OFF(state), "socket state %u", state);
	/*
	 * pair_ref is tcp_ref for a TCP connection, accept_ref for a listening
	 * socket: a TCP one may name its accept queue
	 */
	bad_ref = pair || tcp_conn ? !pair_ref : listening ? pair_ref && !tcp : pair_ref;
	if ((pair && (!pair_ref || end > 1)) || (tcp_conn && (!pair_ref || end)) ||
	    (listening && ((pair_ref && !tcp) || end)) ||
	    (!pair && !tcp_conn && !listening && (pair_ref || end)))
		return fail(c, EINVAL, r->off + (bad_ref ? SOCK_OFF(pair_ref) : SOCK_OFF(end)),
			    "socket pair_ref %u, end %u", pair_ref, end);
	if (opts & ~CKPT_SO_ALL || (opts & CKPT_SO_TCP_NODELAY && !tcp) ||
	    (opts & CKPT_SO_V6ONLY && family != K_AF_INET6))
		return fail(c, EINVAL, r->off + SOCK_OFF(opts), "socket options %#x", opts);
	if (opts & CKPT_SO_SNDBUF ? sndbuf <= 0 : sndbuf)
		at = SOCK_OFF(sndbuf);
	else if (opts & CKPT_SO_RCVBUF ? rcvbuf <= 0 : rcvbuf)
		at = SOCK_OFF(rcvbuf);
	else if (opts & CKPT_SO_LINGER ?
		 linger > K_INT_MAX && linger != CKPT_SO_LINGER_FOREVER : linger)
		at = SOCK_OFF(linger);
	else if (rcvlowat < 0)
		at = SOCK_OFF(rcvlowat);
	else if (state == CKPT_SOCK_LISTEN ? backlog > K_INT_MAX : backlog)
		at = SOCK_OFF(backlog);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, r->off + at,
			    "socket buffer, linger, low mark or backlog");
	at = sock_addr_bad(r, SOCK_OFF(addr_len), SOCK_OFF(addr), addr_len, family, true);
	if (!at)
		at = sock_addr_bad(r, SOCK_OFF(peer_len), SOCK_OFF(peer), peer_len, family,
				   false);
	if (!at && ((state == CKPT_SOCK_LISTEN && !addr_len) ||
		    (state == CKPT_SOCK_BOUND && !addr_len && !peer_len) ||
		    (!bound && addr_len)))
		at = r->off + SOCK_OFF(addr_len);
	if (!at && peer_len && (state != CKPT_SOCK_BOUND || type != K_SOCK_DGRAM))
		at = r->off + SOCK_OFF(peer_len);
	if (at)
		return fail(c, EINVAL, at, "socket addresses of %u and %u bytes",
			    addr_len, peer_len);
	err = check_zero(c, r, SOCK_OFF(addr) + addr_len, CKPT_SOCK_ADDR_MAX - addr_len,
			 "socket addr") ?:
	      check_zero(c, r, SOCK_OFF(peer) + peer_len, CKPT_SOCK_ADDR_MAX - peer_len,
			 "socket peer");
	if (err)
		return err;
	if (pair)
		return check_unix_end(c, r);
	if (tcp_conn)
		return check_tcp_take(c, r);
	if (listening && pair_ref)
		return check_tcp_accept_take(c, r);
	return 0;
}

/*
 * restore_check_sock(): a socket has no path, a socket inode, and its
 * state, a struct ckpt_socket, which ckpt_sock_check() checks; an end
 * of a unix pair then takes its end, a TCP connection its CKPT_HDR_TCP,
 * a listening TCP socket its CKPT_HDR_TCP_ACCEPT if it names one, in
 * ckpt_sock_restore().  Its status flags are those fcntl(F_SETFL)
 * gives a socket and restart(2) restores: O_NONBLOCK, O_APPEND and
 * O_NOATIME.
 */
static int check_sock(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file);
	uint32_t path_len = U32(r, ckpt_hdr_file, path_len);
	uint32_t mode = U32(r, ckpt_hdr_file, mode);
	uint32_t f_flags = U32(r, ckpt_hdr_file, f_flags);
	size_t at;

	if (path_len != sizeof(struct ckpt_socket) || r->len != hlen + (uint64_t)path_len)
		return fail(c, EINVAL, path_len != sizeof(struct ckpt_socket) ?
			    AT(r, ckpt_hdr_file, path_len) : AT(r, ckpt_hdr, len),
			    "length %u, path_len %u of a socket", r->len, path_len);
	if ((mode & K_S_IFMT) != K_S_IFSOCK)
		at = AT(r, ckpt_hdr_file, mode);
	else if (U32(r, ckpt_hdr_file, rdev))
		at = AT(r, ckpt_hdr_file, rdev);
	else if (U32(r, ckpt_hdr_file, pipe_ref))
		at = AT(r, ckpt_hdr_file, pipe_ref);
	else if (U64(r, ckpt_hdr_file, pos))
		at = AT(r, ckpt_hdr_file, pos);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "mode %#o, rdev, pipe_ref or pos of a socket", mode);
	if ((f_flags & ~K_ANON_FLAGS) != K_O_RDWR)
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, f_flags), "socket flags %#x",
			    f_flags);
	return check_sock_state(c, r);
}

/*
 * The offset of the first bad byte of the path of the descriptor of a
 * queue @r, or 0: "/name", NUL terminated, of a name mq_open(3) takes
 */
static size_t mq_path_bad(const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file);
	uint32_t path_len = U32(r, ckpt_hdr_file, path_len);
	const uint8_t *path = r->p + hlen, *nul;
	long bad;

	if (r->len != hlen + (uint64_t)path_len)
		return AT(r, ckpt_hdr, len);
	if (path_len < 3 || path_len > CKPT_MQ_NAME_LEN + 1)
		return AT(r, ckpt_hdr_file, path_len);
	if (path[0] != '/')
		return r->off + hlen;
	nul = memchr(path, '\0', path_len);
	if (nul != path + path_len - 1)
		return r->off + hlen + (nul ? (size_t)(nul - path) : path_len - 1);
	bad = mq_name_bad(path + 1, path_len - 1);
	return bad < 0 ? 0 : r->off + hlen + 1 + bad;
}

/*
 * restore_check_mq_file(): a descriptor of a POSIX message queue has its
 * path, "/name" (mq_path_bad()); O_ACCMODE but not both bits and the
 * flags mq_open(3) passes on; a regular file's mode, no rdev, an offset
 * not negative.  mq_ref names its queue, a queue of the image whose name
 * is the path's (EBADR for anything else), or is 0 for a queue of the
 * caller's IPC namespace, which an image with an IPC namespace of its own
 * cannot have.  The kernel reopens such a queue by name and checks it by
 * inode and device (ESTALE): that depends on the machine, and is not
 * checked.
 */
static int check_mq_file(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file);
	uint32_t f_flags = U32(r, ckpt_hdr_file, f_flags);
	uint32_t mode = U32(r, ckpt_hdr_file, mode);
	uint32_t mq_ref = U32(r, ckpt_hdr_file, mq_ref);
	const uint8_t *path = r->p + hlen, *name;
	size_t at = mq_path_bad(r);
	int err;

	if (at)
		return fail(c, EINVAL, at, "POSIX message queue name");
	if (f_flags & ~K_MQ_FILE_FLAGS || (f_flags & K_O_ACCMODE) == K_O_ACCMODE)
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, f_flags),
			    "POSIX message queue: f_flags %#x", f_flags);
	if ((int64_t)U64(r, ckpt_hdr_file, pos) < 0)
		at = AT(r, ckpt_hdr_file, pos);
	else if ((mode & K_S_IFMT) != K_S_IFREG)
		at = AT(r, ckpt_hdr_file, mode);
	else if (U32(r, ckpt_hdr_file, rdev))
		at = AT(r, ckpt_hdr_file, rdev);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "POSIX message queue: offset, mode %#o or rdev", mode);
	/* Tasks in an IPC namespace of the image have no other queues. */
	if (!mq_ref && c->ns_flags & CKPT_NS_IPC)
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, mq_ref),
			    "POSIX message queue by name in an IPC namespace of the image");
	if (!mq_ref)
		return 0;
	err = check_ref(c, mq_ref, CKPT_HDR_IPC_MQ, "mq_ref", AT(r, ckpt_hdr_file, mq_ref));
	if (err)
		return err;
	name = c->im->buf + c->obj_off[mq_ref - 1] + offsetof(struct ckpt_hdr_ipc_mq, name);
	if (strcmp((const char *)name, (const char *)path + 1))
		return fail(c, EINVAL, r->off + hlen + 1,
			    "a descriptor of a POSIX message queue names queue %u, of another name",
			    mq_ref);
	return 0;
}

/* Offset in a file record of field @f of its struct ckpt_inotify */
#define INOTIFY_OFF(f)	(sizeof(struct ckpt_hdr_file) + offsetof(struct ckpt_inotify, f))

/*
 * restore_check_inotify(): an inotify has no path, an anonymous inode,
 * O_RDONLY (as inotify_init1(2) makes it) and at most O_NONBLOCK,
 * O_APPEND and O_NOATIME (those fcntl(F_SETFL) gives it), and its struct
 * ckpt_inotify: at most CKPT_INOTIFY_MAX_WATCHES watches and
 * CKPT_INOTIFY_MAX_EVENTS events, the wd inotify_add_watch(2) gives next
 * 1 or more, a queue of 1 event at least.  Its events and watches follow
 * the record, for check_inotify_records().
 */
static int check_inotify(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file), ilen = sizeof(struct ckpt_inotify);
	uint32_t path_len = U32(r, ckpt_hdr_file, path_len);
	uint32_t mode = U32(r, ckpt_hdr_file, mode);
	uint32_t f_flags = U32(r, ckpt_hdr_file, f_flags);
	uint32_t nr_watches, nr_events, max_events;
	int32_t next_wd;
	size_t at;

	if (path_len != ilen || r->len != hlen + ilen)
		return fail(c, EINVAL, path_len != ilen ? AT(r, ckpt_hdr_file, path_len) :
			    AT(r, ckpt_hdr, len),
			    "length %u, path_len %u of an inotify", r->len, path_len);
	at = anon_bad(r, CKPT_FILE_INOTIFY);
	if (!at && (f_flags & ~K_ANON_FLAGS) != K_O_RDONLY)
		at = AT(r, ckpt_hdr_file, f_flags);
	if (at)
		return fail(c, EINVAL, at,
			    "mode %#o, flags %#x, rdev, pipe_ref or pos of an inotify", mode,
			    f_flags);
	nr_watches = get_u32(r->p + INOTIFY_OFF(nr_watches));
	nr_events = get_u32(r->p + INOTIFY_OFF(nr_events));
	next_wd = (int32_t)get_u32(r->p + INOTIFY_OFF(next_wd));
	max_events = get_u32(r->p + INOTIFY_OFF(max_events));
	if (nr_watches > CKPT_INOTIFY_MAX_WATCHES)
		at = INOTIFY_OFF(nr_watches);
	else if (nr_events > CKPT_INOTIFY_MAX_EVENTS)
		at = INOTIFY_OFF(nr_events);
	else if (next_wd < 1)
		at = INOTIFY_OFF(next_wd);
	else if (!max_events)
		at = INOTIFY_OFF(max_events);
	if (at)
		return fail(c, EINVAL, r->off + at,
			    "an inotify with %u watches, %u events, next wd %d, %u events at most",
			    nr_watches, nr_events, next_wd, max_events);
	return 0;
}

/*
 * restore_check_inotify_watch(): a watch of an inotify, after the one of
 * descriptor *@prev (0 before the first): its wd above it, a mask of
 * what inotify_add_watch(2) takes to make it again (IN_ALL_EVENTS bits,
 * IN_ONESHOT and IN_EXCL_UNLINK; no event at all is a watch too), the
 * type of its inode and nothing else in its mode, and its path, absolute
 * and NUL terminated, which the length matches.
 */
static int check_inotify_watch(struct check *c, int32_t *prev)
{
	const size_t hlen = sizeof(struct ckpt_hdr_inotify_watch);
	uint32_t mask, mode, path_len;
	char what[64];
	struct rec r;
	int32_t wd;
	size_t at;
	int err;

	err = read_record(c, CKPT_HDR_INOTIFY_WATCH, hlen + 2, hlen + CKPT_PATH_MAX, &r);
	if (err)
		return err;
	wd = S32(&r, ckpt_hdr_inotify_watch, wd);
	mask = U32(&r, ckpt_hdr_inotify_watch, mask);
	mode = U32(&r, ckpt_hdr_inotify_watch, mode);
	path_len = U32(&r, ckpt_hdr_inotify_watch, path_len);
	if (wd <= *prev)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_inotify_watch, wd),
			    "inotify watch %d after watch %d", wd, *prev);
	*prev = wd;
	if (mask & ~K_INOTIFY_WATCH_BITS)
		at = AT(&r, ckpt_hdr_inotify_watch, mask);
	else if (!mode || mode & ~K_S_IFMT)
		at = AT(&r, ckpt_hdr_inotify_watch, mode);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, at, "inotify watch %d: mask %#x, mode %#o", wd, mask,
			    mode);
	snprintf(what, sizeof(what), "inotify watch %d: path of %u bytes", wd, path_len);
	if (r.len != hlen + (uint64_t)path_len)
		return fail(c, EINVAL, AT(&r, ckpt_hdr, len),
			    "%s is not absolute and NUL terminated", what);
	return check_path(c, &r, hlen, path_len, what);
}

/*
 * restore_check_inotify_event(): an event queued on an inotify: its
 * name, name_len bytes that the length matches, NAME_MAX at most, without
 * NUL or '/'; its mask, not 0, of what read(2) shows; the event that says
 * the queue overflowed (mask IN_Q_OVERFLOW alone) with wd -1, no cookie
 * and no name, once (*@overflow: seen before), any other of a wd of 1 or
 * more and without IN_Q_OVERFLOW.  Its wd need not be a watch's: an
 * event outlives its watch.
 */
static int check_inotify_event(struct check *c, bool *overflow)
{
	const size_t hlen = sizeof(struct ckpt_hdr_inotify_event);
	uint32_t mask, cookie, name_len, i;
	bool is_overflow;
	struct rec r;
	int32_t wd;
	size_t at;
	int err;

	err = read_record(c, CKPT_HDR_INOTIFY_EVENT, hlen, hlen + K_NAME_MAX, &r);
	if (err)
		return err;
	wd = S32(&r, ckpt_hdr_inotify_event, wd);
	mask = U32(&r, ckpt_hdr_inotify_event, mask);
	cookie = U32(&r, ckpt_hdr_inotify_event, cookie);
	name_len = U32(&r, ckpt_hdr_inotify_event, name_len);
	is_overflow = mask == K_IN_Q_OVERFLOW;
	if (name_len > K_NAME_MAX)
		at = AT(&r, ckpt_hdr_inotify_event, name_len);
	else if (r.len != hlen + (uint64_t)name_len)
		at = AT(&r, ckpt_hdr, len);
	else
		at = 0;
	/* the first NUL or '/' of the name */
	for (i = 0; !at && i < name_len; i++)
		if (!r.p[hlen + i] || r.p[hlen + i] == '/')
			at = r.off + hlen + i;
	if (at)
		return fail(c, EINVAL, at, "inotify event: name of %u bytes in a record of %u",
			    name_len, r.len);
	if (mask & ~K_INOTIFY_EVENT_BITS || !mask)
		at = AT(&r, ckpt_hdr_inotify_event, mask);
	else if (is_overflow && wd != -1)
		at = AT(&r, ckpt_hdr_inotify_event, wd);
	else if (is_overflow && cookie)
		at = AT(&r, ckpt_hdr_inotify_event, cookie);
	else if (is_overflow && name_len)
		at = AT(&r, ckpt_hdr_inotify_event, name_len);
	else if (is_overflow && *overflow)
		at = AT(&r, ckpt_hdr_inotify_event, mask);
	else if (!is_overflow && wd < 1)
		at = AT(&r, ckpt_hdr_inotify_event, wd);
	else if (!is_overflow && mask & K_IN_Q_OVERFLOW)
		at = AT(&r, ckpt_hdr_inotify_event, mask);
	if (at)
		return fail(c, EINVAL, at, "inotify event: wd %d, mask %#x", wd, mask);
	*overflow |= is_overflow;
	return 0;
}

/*
 * restore_inotify(): the records that follow the record @r of an
 * inotify, checked by check_inotify(), before the locks of its file,
 * even when restart only validates: its nr_events events, in the order
 * read(2) returns them, then its nr_watches watches, by increasing wd.
 * When it restores, the kernel then queues the events on an inotify
 * whose queue is the lower of max_events and the restarting machine's
 * fs.inotify.max_queued_events (ENOSPC past it), looks the path of each
 * watch up without following a last symbolic link and refuses another
 * inode, device or type (ESTALE), checks that the caller may read it
 * (EACCES), and adds the watch with its wd as inotify_add_watch(2)
 * would, within fs.inotify.max_user_watches (ENOSPC): that depends on
 * the machine, and is not checked.  Nor is what RESTART_VALIDATE lets
 * through and checkpoint(2) never writes, but a restore refuses: an
 * event after max_events others, the overflow event counted (ENOSPC); a
 * watch whose inode and device are those of a watch before it, if both
 * paths lead there (EEXIST).
 */
static int check_inotify_records(struct check *c, const struct rec *r)
{
	uint32_t nr_watches = get_u32(r->p + INOTIFY_OFF(nr_watches));
	uint32_t nr_events = get_u32(r->p + INOTIFY_OFF(nr_events)), i;
	bool overflow = false;
	int32_t prev = 0;
	int err = 0;

	for (i = 0; i < nr_events && !err; i++)
		err = check_inotify_event(c, &overflow);
	for (i = 0; i < nr_watches && !err; i++)
		err = check_inotify_watch(c, &prev);
	return err;
}

/*
 * ckpt_mem_chrdev(): the character devices a CKPT_FILE_CHR file may be,
 * by their new_encode_dev() number: null, zero, full, random, urandom
 */
static bool mem_chrdev(uint32_t rdev)
{
	uint32_t major = (rdev & 0xfff00) >> 8;
	uint32_t minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);

	return major == K_MEM_MAJOR &&
	       (minor == 3 || minor == 5 || minor == 7 || minor == 8 || minor == 9);
}

/*
 * The offset in a file record of the first of its size, mtime_sec,
 * mtime_nsec and _pad that restore_check_file() refuses, or 0: a size or
 * mtime for a kind but CKPT_FILE_REG, nanoseconds of a second or more,
 * _pad not zero
 */
static size_t file_stat_bad(const struct rec *r, uint32_t kind)
{
	bool reg = kind == CKPT_FILE_REG;
	uint32_t nsec = U32(r, ckpt_hdr_file, mtime_nsec);

	if (!reg && U64(r, ckpt_hdr_file, size))
		return AT(r, ckpt_hdr_file, size);
	if (!reg && U64(r, ckpt_hdr_file, mtime_sec))
		return AT(r, ckpt_hdr_file, mtime_sec);
	if ((!reg && nsec) || nsec >= K_NSEC_PER_SEC)
		return AT(r, ckpt_hdr_file, mtime_nsec);
	return nonzero_at(r, offsetof(struct ckpt_hdr_file, _pad),
			  sizeof(((struct ckpt_hdr_file *)0)->_pad));
}

/*
 * restore_check_file().  When it restores, the kernel then reopens the
 * file by path and refuses another inode, a file open read-only whose
 * size or modification time changed (ESTALE), or an offset it cannot
 * seek to (ESPIPE): that depends on the files of the machine, and is not
 * checked.  A file of procfs is only checked to be of procfs and of its
 * type.  A file of a memfd has no path: memfd_ref names its memfd,
 * defined before it (EBADR), which the kernel opens again.  A file of a
 * pty is checked by check_pty_file(), a descriptor of a POSIX message
 * queue by check_mq_file(), an inotify by check_inotify(), before the
 * checks of the others.
 */
static int check_file_rec(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file);
	uint32_t kind = U32(r, ckpt_hdr_file, kind);
	uint32_t f_flags = U32(r, ckpt_hdr_file, f_flags);
	int64_t pos = (int64_t)U64(r, ckpt_hdr_file, pos);
	uint32_t mode = U32(r, ckpt_hdr_file, mode);
	uint32_t rdev = U32(r, ckpt_hdr_file, rdev);
	uint32_t path_len = U32(r, ckpt_hdr_file, path_len);
	uint32_t type = mode & K_S_IFMT;
	bool inherit = kind == CKPT_FILE_INHERIT || kind == CKPT_FILE_PIPE ||
		       kind == CKPT_FILE_MEMFD, bad_mode;
	size_t at;
	int err;

	if (kind < CKPT_FILE_REG || kind > CKPT_FILE_INOTIFY)
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, kind), "unknown kind %u", kind);
	at = file_stat_bad(r, kind);
	if (at)
		return fail(c, EINVAL, at, "size, mtime or _pad of kind %u (%s)", kind,
			    file_kind_name(kind));
	c->obj_fkind[c->nr_objs] = kind;
	c->obj_fflags[c->nr_objs] = f_flags;
	if (kind == CKPT_FILE_EPOLL)
		return check_epoll(c, r);
	if (kind == CKPT_FILE_EVENTFD || kind == CKPT_FILE_SIGNALFD ||
	    kind == CKPT_FILE_TIMERFD || kind == CKPT_FILE_PIDFD)
		return check_anon(c, r, kind);
	if (kind == CKPT_FILE_SOCKET)
		return check_sock(c, r);
	if (kind == CKPT_FILE_PTY)
		return check_pty_file(c, r);
	if (kind == CKPT_FILE_MQUEUE)
		return check_mq_file(c, r);
	if (kind == CKPT_FILE_INOTIFY)
		return check_inotify(c, r);
	if (f_flags & ~K_FILE_FLAGS)
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, f_flags), "unknown f_flags %#x",
			    f_flags & ~K_FILE_FLAGS);
	if (pos < 0)
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, pos), "negative offset %lld",
			    (long long)pos);
	if (r->len != hlen + (uint64_t)path_len ||
	    (!inherit && (path_len < 2 || path_len > CKPT_PATH_MAX)) ||
	    (inherit && path_len))
		return fail(c, EINVAL, r->len != hlen + (uint64_t)path_len ?
			    AT(r, ckpt_hdr, len) : AT(r, ckpt_hdr_file, path_len),
			    "length %u does not match path_len %u", r->len, path_len);
	if (!inherit) {
		err = check_path(c, r, hlen, path_len, "path");
		if (err)
			return err;
	}
	bad_mode = (kind == CKPT_FILE_REG && type != K_S_IFREG) ||
		   (kind == CKPT_FILE_DIR && type != K_S_IFDIR) ||
		   (kind == CKPT_FILE_CHR && type != K_S_IFCHR) ||
		   (kind == CKPT_FILE_PIPE && type != K_S_IFIFO) ||
		   (kind == CKPT_FILE_MEMFD && type != K_S_IFREG) ||
		   (kind == CKPT_FILE_PROC && type != K_S_IFREG && type != K_S_IFDIR);
	if (bad_mode || (kind != CKPT_FILE_CHR && rdev) ||
	    (kind == CKPT_FILE_CHR && !mem_chrdev(rdev)))
		return fail(c, EINVAL, bad_mode ? AT(r, ckpt_hdr_file, mode) :
			    AT(r, ckpt_hdr_file, rdev),
			    "mode %#o or rdev %#x does not fit kind %u (%s)", mode, rdev,
			    kind, file_kind_name(kind));
	/* open(2) of a memfd through /proc gives ENOTDIR */
	if (kind == CKPT_FILE_MEMFD && (f_flags & K_O_DIRECTORY))
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, f_flags),
			    "a memfd open with O_DIRECTORY");
	/* memfd_ref is pipe_ref, by another name */
	if (kind == CKPT_FILE_MEMFD)
		return check_ref(c, U32(r, ckpt_hdr_file, memfd_ref), CKPT_HDR_MEMFD,
				 "memfd_ref", AT(r, ckpt_hdr_file, memfd_ref));
	if (kind != CKPT_FILE_PIPE && U32(r, ckpt_hdr_file, pipe_ref))
		return fail(c, EINVAL, AT(r, ckpt_hdr_file, pipe_ref),
			    "pipe_ref of a file that is no pipe");
	return kind == CKPT_FILE_PIPE ? check_pipe_end(c, r) : 0;
}

/* Offset of field @f of the lock @i of a file locks record */
#define LOCK_OFF(i, f)	(sizeof(struct ckpt_hdr_file_locks) + \
			 (size_t)(i) * sizeof(struct ckpt_file_lock) + \
			 offsetof(struct ckpt_file_lock, f))
/* Offset of field @f of the descriptor @i of a files record */
#define FD_OFF(i, f)	(sizeof(struct ckpt_hdr_files) + \
			 (i) * sizeof(struct ckpt_fd) + offsetof(struct ckpt_fd, f))

/*
 * The entry of the checked files record @fds for descriptor @fd, as
 * bsearch(), plus one, or 0 if it has none
 */
static uint32_t files_find_fd(const struct rec *fds, int32_t fd)
{
	uint32_t lo = 0, hi = U32(fds, ckpt_hdr_files, nr_fds), mid;
	int32_t v;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		v = (int32_t)get_u32(fds->p + FD_OFF(mid, fd));
		if (v == fd)
			return mid + 1;
		if (fd < v)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/*
 * restore_check_lock(): lock @i of the locks record @r, after a file of
 * @kind open with @f_flags (@fds NULL) or after the files record @fds.
 * After a file, a flock(2) or OFD lock, fd 0, not on a file restart(2)
 * does not make; after a table, a POSIX lock through one of its
 * descriptors.  A read or write lock, _pad zero, of bytes start to end,
 * end included, both positive; a flock(2) lock of the whole file.  Last,
 * as flock(2) and fcntl(2) want, the lock fits how its file (after a
 * table, the one its fd names) is open: a flock(2) lock on a file open
 * for reading or writing, not O_PATH; a write lock on one open for
 * writing, a read lock on one open for reading.
 */
static int check_lock(struct check *c, const struct rec *r, uint32_t i, uint32_t kind,
		      uint32_t f_flags, const struct rec *fds)
{
	uint32_t lkind = get_u32(r->p + LOCK_OFF(i, kind));
	int32_t fd = (int32_t)get_u32(r->p + LOCK_OFF(i, fd));
	uint32_t type = get_u32(r->p + LOCK_OFF(i, type));
	int64_t start = (int64_t)get_u64(r->p + LOCK_OFF(i, start));
	int64_t end = (int64_t)get_u64(r->p + LOCK_OFF(i, end));
	bool flock = lkind == CKPT_LOCK_FLOCK;
	uint32_t mode, e;
	size_t at;

	if (fds ? lkind != CKPT_LOCK_POSIX : !flock && lkind != CKPT_LOCK_OFD)
		return fail(c, EINVAL, r->off + LOCK_OFF(i, kind), "lock %u of kind %u after a %s",
			    i, lkind, fds ? "descriptor table" : "file");
	/* No lock record may follow a file restart(2) does not make. */
	if (!fds && (kind == CKPT_FILE_INHERIT || fd))
		return fail(c, EINVAL,
			    kind == CKPT_FILE_INHERIT ? r->off : r->off + LOCK_OFF(i, fd),
			    "lock %u on a file inherited, or with fd %d", i, fd);
	if (type != K_F_RDLCK && type != K_F_WRLCK)
		at = LOCK_OFF(i, type);
	else if (get_u32(r->p + LOCK_OFF(i, _pad)))
		at = nonzero_at(r, LOCK_OFF(i, _pad), sizeof(uint32_t)) - r->off;
	else if (start < 0)
		at = LOCK_OFF(i, start);
	else if (end < start)
		at = LOCK_OFF(i, end);
	else if (flock && start)
		at = LOCK_OFF(i, start);
	else if (flock && end != K_OFFSET_MAX)
		at = LOCK_OFF(i, end);
	else
		at = 0;
	if (at)
		return fail(c, EINVAL, r->off + at, "lock %u of type %u on %lld-%lld", i, type,
			    (long long)start, (long long)end);
	if (fds) {
		e = files_find_fd(fds, fd);
		if (!e)
			return fail(c, EINVAL, r->off + LOCK_OFF(i, fd),
				    "lock %u through fd %d, not in the table", i, fd);
		f_flags = c->obj_fflags[get_u32(fds->p + FD_OFF(e - 1, file_ref)) - 1];
	}
	/* OPEN_FMODE(): 1 for reading, 2 for writing; none for O_PATH */
	f_flags &= K_O_PATH | K_O_ACCMODE;
	mode = f_flags & K_O_PATH ? 0 : (f_flags + 1) & K_O_ACCMODE;
	if (!(mode & (flock ? 3 : type == K_F_WRLCK ? 2 : 1)))
		return fail(c, EINVAL, r->off + LOCK_OFF(i, type),
			    "lock %u of type %u through a file open with %#x", i, type, f_flags);
	return 0;
}

/*
 * restore_locks(): the CKPT_HDR_FILE_LOCKS record after a file of @kind
 * open with @f_flags (@fds NULL) or after the files record @fds, if the
 * next record is one:
 * nr_locks of at most CKPT_LOCKS_MAX locks, which the length matches,
 * _pad zero, then each lock, at most one flock(2) lock.  When it
 * restores, the kernel then takes each again as flock(2) or fcntl(2)
 * would, which a lock another process holds may refuse (EAGAIN): that
 * depends on the machine, and is not checked.
 */
static int check_locks(struct check *c, uint32_t kind, uint32_t f_flags,
		       const struct rec *fds)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file_locks);
	const size_t llen = sizeof(struct ckpt_file_lock);
	uint32_t type, nr, i, nr_flock = 0;
	struct rec r;
	int err;

	err = peek_type(c, &type);
	if (err || type != CKPT_HDR_FILE_LOCKS)
		return err;
	err = read_record(c, CKPT_HDR_FILE_LOCKS, hlen, hlen + CKPT_LOCKS_MAX * llen, &r);
	if (err)
		return err;
	nr = U32(&r, ckpt_hdr_file_locks, nr_locks);
	if (!nr || nr > CKPT_LOCKS_MAX || r.len != hlen + (uint64_t)nr * llen)
		return fail(c, EINVAL, !nr || nr > CKPT_LOCKS_MAX ?
			    AT(&r, ckpt_hdr_file_locks, nr_locks) : AT(&r, ckpt_hdr, len),
			    "length %u does not match nr_locks %u", r.len, nr);
	err = check_zero(c, &r, offsetof(struct ckpt_hdr_file_locks, _pad),
			 sizeof(((struct ckpt_hdr_file_locks *)0)->_pad), "_pad");
	for (i = 0; i < nr && !err; i++) {
		err = check_lock(c, &r, i, kind, f_flags, fds);
		if (!err && get_u32(r.p + LOCK_OFF(i, kind)) == CKPT_LOCK_FLOCK && nr_flock++)
			err = fail(c, EINVAL, r.off + LOCK_OFF(i, kind),
				   "two flock locks on one file");
	}
	return err;
}

/*
 * ckpt_file_restore(): restore_check_file(), then the events and watches
 * of an inotify, then the locks that may follow the record
 */
static int check_file(struct check *c, const struct rec *r)
{
	uint32_t kind = U32(r, ckpt_hdr_file, kind);

	return check_file_rec(c, r) ?:
	       (kind == CKPT_FILE_INOTIFY ? check_inotify_records(c, r) : 0) ?:
	       check_locks(c, kind, U32(r, ckpt_hdr_file, f_flags), NULL);
}

/*
 * ckpt_files_restore(): restore_check_files(), then the POSIX locks that
 * may follow the record.  When it restores, the kernel also wants the
 * restarting process to have an open descriptor at the first number the
 * table gives each CKPT_FILE_INHERIT file (EBADF), and installs them
 * all: that depends on the caller, and is not checked.
 */
static int check_files(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_files);
	uint32_t nr = U32(r, ckpt_hdr_files, nr_fds), i, flags;
	int32_t fd, prev = 0;
	char field[40];
	size_t j;
	int err;

	if (nr > CKPT_FILES_MAX)
		return fail(c, E2BIG, AT(r, ckpt_hdr_files, nr_fds),
			    "nr_fds %u is above %d", nr, CKPT_FILES_MAX);
	if (r->len != hlen + (uint64_t)nr * sizeof(struct ckpt_fd))
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "length %u does not match nr_fds %u", r->len, nr);
	for (i = 0; i < nr; i++, prev = fd) {
		fd = (int32_t)get_u32(r->p + FD_OFF(i, fd));
		if (fd < 0 || (i && fd <= prev))
			return fail(c, EINVAL, r->off + FD_OFF(i, fd),
				    "fd %d out of order", fd);
		flags = get_u32(r->p + FD_OFF(i, flags));
		if (flags & ~CKPT_FD_CLOEXEC)
			return fail(c, EINVAL, r->off + FD_OFF(i, flags),
				    "fd %d: unknown flags %#x", fd, flags);
		for (j = 0; j < sizeof(((struct ckpt_fd *)0)->_pad); j++)
			if (r->p[FD_OFF(i, _pad) + j])
				return fail(c, EINVAL, r->off + FD_OFF(i, _pad) + j,
					    "fd %d: unknown flags: reserved field _pad is not zero",
					    fd);
		snprintf(field, sizeof(field), "file_ref of fd %d", fd);
		err = check_ref(c, get_u32(r->p + FD_OFF(i, file_ref)), CKPT_HDR_FILE,
				field, r->off + FD_OFF(i, file_ref));
		if (err)
			return err;
	}
	return check_zero(c, r, offsetof(struct ckpt_hdr_files, _pad),
			  sizeof(((struct ckpt_hdr_files *)0)->_pad), "_pad") ?:
	       check_locks(c, 0, 0, r);
}

/*
 * ckpt_fs_restore(): restore_check_fs().  When it restores, the kernel
 * then enters both directories (and wants CAP_SYS_CHROOT for a root
 * other than /): that depends on the machine, and is not checked.
 */
static int check_fs(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_fs);
	uint32_t umask = U32(r, ckpt_hdr_fs, umask);
	uint32_t cwd_len = U32(r, ckpt_hdr_fs, cwd_len);
	uint32_t root_len = U32(r, ckpt_hdr_fs, root_len);
	bool bad_cwd = cwd_len < 2 || cwd_len > CKPT_PATH_MAX;
	bool bad_root = root_len < 2 || root_len > CKPT_PATH_MAX;

	if (umask & ~0777U)
		return fail(c, EINVAL, AT(r, ckpt_hdr_fs, umask), "umask %#o", umask);
	if (bad_cwd || bad_root || r->len != hlen + (uint64_t)cwd_len + root_len)
		return fail(c, EINVAL, bad_cwd ? AT(r, ckpt_hdr_fs, cwd_len) :
			    bad_root ? AT(r, ckpt_hdr_fs, root_len) : AT(r, ckpt_hdr, len),
			    "length %u does not match cwd_len %u and root_len %u",
			    r->len, cwd_len, root_len);
	return check_path(c, r, hlen, cwd_len, "cwd") ?:
	       check_path(c, r, hlen + cwd_len, root_len, "root") ?:
	       check_zero(c, r, offsetof(struct ckpt_hdr_fs, _pad),
			  sizeof(((struct ckpt_hdr_fs *)0)->_pad), "_pad");
}

/*
 * A status as wait(2) reports it for a process that ended: exit(n), n
 * in the second byte, or killed by a signal, in the low 7 bits, with
 * the core dump bit 0x80 or not.
 */
static bool wait_status_valid(int32_t code)
{
	if (code < 0)
		return false;
	if (!(code & 0x7f))
		return code <= 0xff00 && !(code & 0xff);
	return !(code & ~0xff) && (code & 0x7f) <= K_NSIG;
}

/* The object references of a task record: none may be set in a zombie's */
static const struct {
	const char *name;
	size_t off;
} task_refs[] = {
	{ "cred_ref", offsetof(struct ckpt_hdr_task, cred_ref) },
	{ "real_cred_ref", offsetof(struct ckpt_hdr_task, real_cred_ref) },
	{ "mm_ref", offsetof(struct ckpt_hdr_task, mm_ref) },
	{ "sighand_ref", offsetof(struct ckpt_hdr_task, sighand_ref) },
	{ "signal_ref", offsetof(struct ckpt_hdr_task, signal_ref) },
	{ "files_ref", offsetof(struct ckpt_hdr_task, files_ref) },
	{ "fs_ref", offsetof(struct ckpt_hdr_task, fs_ref) },
};

/*
 * restore_check_zombie(): a process of one thread, not the root of the
 * image and without children (they were given to another parent as it
 * exited), that ended with a status wait(2) could report.  It shares
 * nothing with its parent any more (no CKPT_PIDS_* flags in the tree).
 * Its record refers to no object, and no record of its own follows it.
 */
static int check_zombie(struct check *c, const struct rec *r, uint32_t i)
{
	uint32_t flags = U32(r, ckpt_hdr_task, flags);
	int32_t code = S32(r, ckpt_hdr_task, exit_code);
	size_t j;

	if (flags != (CKPT_TASK_THREAD_LEADER | CKPT_TASK_ZOMBIE))
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, flags),
			    "flags %#x of a zombie, not a thread group leader alone", flags);
	if (!i)
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, flags),
			    "the root task is a zombie");
	if (c->creates[i])
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, pid),
			    "zombie %d has children or threads", c->pids[i].pid);
	if (c->pids[i].flags)
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, flags),
			    "zombie %d has flags %#x in the tree", c->pids[i].pid,
			    c->pids[i].flags);
	if (!wait_status_valid(code))
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, exit_code),
			    "exit_code %#x of a zombie is not a wait status", code);
	for (j = 0; j < ARRAY_SIZE(task_refs); j++)
		if (get_u32(r->p + task_refs[j].off))
			return fail(c, EINVAL, r->off + task_refs[j].off,
				    "%s %u of a zombie, which uses no object",
				    task_refs[j].name, get_u32(r->p + task_refs[j].off));
	c->zombies[i] = true;
	return check_string(c, r, offsetof(struct ckpt_hdr_task, comm),
			    CKPT_COMM_LEN, "comm");
}

/*
 * A thread shares the mm, sighand and signal of its leader, read before
 * it (EINVAL).  A thread group leader created with CLONE_VM (and
 * CLONE_SIGHAND) without CLONE_THREAD, as its tree entry says
 * (CKPT_PIDS_SHARE_VM, CKPT_PIDS_SHARE_SIGHAND), shares the mm (and the
 * handlers) of its parent (EINVAL); it is the first user of the others,
 * as the kernel does not rebuild processes that share them otherwise
 * (EOPNOTSUPP).  Its signal is always its own.  (What they share, their
 * records did not define: check_own().)  The references are checked to
 * be defined.
 */
static int check_shared(struct check *c, const struct rec *r, uint32_t i)
{
	/* the tree flag that lets a process share each of shared_refs */
	static const uint32_t share_flag[ARRAY_SIZE(shared_refs)] = {
		CKPT_PIDS_SHARE_VM, CKPT_PIDS_SHARE_SIGHAND, 0,
	};
	const struct ckpt_pids_host *p = &c->pids[i];
	struct ckpt_task_refs_host *t = &c->refs[i];
	const struct ckpt_task_refs_host *l;
	uint32_t owner;
	size_t j;

	for (j = 0; j < ARRAY_SIZE(shared_refs); j++)
		t->ref[j] = get_u32(r->p + shared_refs[j].off);
	if (p->pid != p->tgid) {
		l = &c->refs[c->seen[p->tgid] - 1];
		for (j = 0; j < ARRAY_SIZE(shared_refs); j++)
			if (t->ref[j] != l->ref[j])
				return fail(c, EINVAL, r->off + shared_refs[j].off,
					    "thread %d does not share the mm, sighand and signal of its leader %d: %s %u, not %u",
					    p->pid, p->tgid, shared_refs[j].name,
					    t->ref[j], l->ref[j]);
		return 0;
	}
	for (j = 0; j < ARRAY_SIZE(shared_refs); j++) {
		if (p->flags & share_flag[j]) {
			/* the parent's record came before: it created the child */
			l = &c->refs[c->seen[p->ppid] - 1];
			if (t->ref[j] != l->ref[j])
				return fail(c, EINVAL, r->off + shared_refs[j].off,
					    "pid %d has flags %#x but does not share the %s of its parent %d: %s %u, not %u",
					    p->pid, p->flags,
					    j ? "signal handlers" : "mm", p->ppid,
					    shared_refs[j].name, t->ref[j], l->ref[j]);
			continue;
		}
		owner = c->obj_owner[t->ref[j] - 1];
		if (owner != i)
			return fail(c, EOPNOTSUPP, r->off + shared_refs[j].off,
				    "pid %d shares its mm or signal handlers with another process (%s %u, first used by pid %d): not supported",
				    p->pid, shared_refs[j].name, t->ref[j],
				    c->pids[owner].pid);
	}
	return 0;
}

/* restore_check_task() */
static int check_task(struct check *c, const struct rec *r, uint32_t i)
{
	const struct ckpt_pids_host *p = &c->pids[i];
	bool leader = p->pid == p->tgid;
	uint32_t flags;
	int32_t v;
	int err;

	v = S32(r, ckpt_hdr_task, pid);
	if (v != p->pid)
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, pid),
			    "pid %d, but the tree says %d", v, p->pid);
	flags = U32(r, ckpt_hdr_task, flags);
	if (flags & ~(CKPT_TASK_THREAD_LEADER | CKPT_TASK_SELF | CKPT_TASK_ZOMBIE |
		      CKPT_TASK_READY))
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, flags),
			    "unknown flags %#x", flags);
	if ((flags & CKPT_TASK_READY) && (flags & CKPT_TASK_SELF))
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, flags),
			    "the caller of checkpoint(2) cannot be ready");
	if (!!(flags & CKPT_TASK_THREAD_LEADER) != leader)
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, flags),
			    "leader flag disagrees with the tree");
	v = S32(r, ckpt_hdr_task, exit_signal);
	if (leader ? v < 0 || v > K_NSIG : v != -1)
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, exit_signal),
			    "bad exit_signal %d", v);
	if (leader && !p->ppid && (v == K_SIGKILL || v == K_SIGSTOP))
		return fail(c, EPERM, AT(r, ckpt_hdr_task, exit_signal),
			    "exit_signal %d would be sent to the caller", v);
	if (flags & CKPT_TASK_ZOMBIE)
		return check_zombie(c, r, i);
	v = S32(r, ckpt_hdr_task, exit_code);
	if (v)
		return fail(c, EINVAL, AT(r, ckpt_hdr_task, exit_code),
			    "exit_code %d of a live task", v);
	err = check_ref(c, U32(r, ckpt_hdr_task, mm_ref), CKPT_HDR_MM, "mm_ref",
			AT(r, ckpt_hdr_task, mm_ref)) ?:
	      check_ref(c, U32(r, ckpt_hdr_task, sighand_ref), CKPT_HDR_SIGHAND,
			"sighand_ref", AT(r, ckpt_hdr_task, sighand_ref)) ?:
	      check_ref(c, U32(r, ckpt_hdr_task, signal_ref), CKPT_HDR_SIGNAL,
			"signal_ref", AT(r, ckpt_hdr_task, signal_ref)) ?:
	      check_ref(c, U32(r, ckpt_hdr_task, files_ref), CKPT_HDR_FILES,
			"files_ref", AT(r, ckpt_hdr_task, files_ref)) ?:
	      check_ref(c, U32(r, ckpt_hdr_task, fs_ref), CKPT_HDR_FS,
			"fs_ref", AT(r, ckpt_hdr_task, fs_ref));
	if (err)
		return err;
	err = check_shared(c, r, i);
	if (err)
		return err;
	err = check_ref(c, U32(r, ckpt_hdr_task, cred_ref), CKPT_HDR_CRED,
			"cred_ref", AT(r, ckpt_hdr_task, cred_ref)) ?:
	      check_ref(c, U32(r, ckpt_hdr_task, real_cred_ref), CKPT_HDR_CRED,
			"real_cred_ref", AT(r, ckpt_hdr_task, real_cred_ref));
	if (err)
		return err;
	return check_string(c, r, offsetof(struct ckpt_hdr_task, comm),
			    CKPT_COMM_LEN, "comm");
}

static const char *const x86_regs[] = {
	"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
	"ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss",
	"fs_base", "gs_base", "ds", "es", "fs", "gs",
};

#define REG(r, f)	U64(r, ckpt_hdr_x86_regs, f)
#define REG_AT(r, f)	AT(r, ckpt_hdr_x86_regs, f)

/* restore_check_x86_regs(): what PTRACE_SETREGS accepts of a 64-bit task */
static int check_regs(struct check *c, const struct rec *r)
{
	uint64_t cs = REG(r, cs), ss = REG(r, ss), flags = REG(r, flags);
	int64_t orig_ax = (int64_t)REG(r, orig_ax);

	if (cs != K_USER_CS || ss != K_USER_DS)
		return fail(c, EINVAL, cs != K_USER_CS ? REG_AT(r, cs) : REG_AT(r, ss),
			    "cs %#llx or ss %#llx is not a 64-bit user segment",
			    (unsigned long long)cs, (unsigned long long)ss);
	if (REG(r, ds) || REG(r, es) || REG(r, fs) || REG(r, gs))
		return fail(c, EINVAL, REG(r, ds) ? REG_AT(r, ds) :
			    REG(r, es) ? REG_AT(r, es) :
			    REG(r, fs) ? REG_AT(r, fs) : REG_AT(r, gs),
			    "segment selectors are not zero");
	if (REG(r, ip) >= K_TASK_SIZE_MAX || REG(r, fs_base) >= K_TASK_SIZE_MAX ||
	    REG(r, gs_base) >= K_TASK_SIZE_MAX)
		return fail(c, EINVAL, REG(r, ip) >= K_TASK_SIZE_MAX ? REG_AT(r, ip) :
			    REG(r, fs_base) >= K_TASK_SIZE_MAX ? REG_AT(r, fs_base) :
			    REG_AT(r, gs_base),
			    "ip, fs_base or gs_base outside user space");
	if (flags & ~K_USER_EFLAGS)
		return fail(c, EINVAL, REG_AT(r, flags),
			    "flags %#llx has bits user space cannot set",
			    (unsigned long long)flags);
	if (orig_ax < -1 || orig_ax >= K_NR_SYSCALLS)
		return fail(c, EINVAL, REG_AT(r, orig_ax),
			    "orig_ax %lld is not a system call", (long long)orig_ax);
	return 0;
}

/*
 * restore_check_x86_xstate(), but for what depends on the CPU: restart(2)
 * wants the size of this CPU's XSAVE area and no feature it lacks.  Here
 * the area must hold at least the legacy region and the header, which
 * every XSAVE area does; a smaller one is refused as a CPU mismatch.
 */
static int check_xstate(struct check *c, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_x86_xstate);
	uint32_t size = U32(r, ckpt_hdr_x86_xstate, size);
	uint64_t xfeatures = U64(r, ckpt_hdr_x86_xstate, xfeatures);
	const uint8_t *xs = r->p + hlen;
	size_t at = r->off + hlen, i;

	if (r->len != hlen + (uint64_t)size)
		return fail(c, EINVAL, AT(r, ckpt_hdr, len),
			    "length %u does not match size %u", r->len, size);
	if (size < XSAVE_MIN_SIZE)
		return fail(c, ENOEXEC, AT(r, ckpt_hdr_x86_xstate, size),
			    "XSAVE area of %u bytes, smaller than any CPU's", size);
	if (get_u64(xs + XSAVE_HDR_BV) & ~xfeatures)
		return fail(c, EINVAL, at + XSAVE_HDR_BV, "bad XSAVE header");
	if (get_u64(xs + XSAVE_HDR_COMP))
		return fail(c, EINVAL, at + XSAVE_HDR_COMP, "bad XSAVE header");
	for (i = XSAVE_HDR_RSVD; i < XSAVE_MIN_SIZE; i++)
		if (xs[i])
			return fail(c, EINVAL, at + i, "bad XSAVE header");
	return check_zero(c, r, offsetof(struct ckpt_hdr_x86_xstate, _pad),
			  sizeof(((struct ckpt_hdr_x86_xstate *)0)->_pad), "_pad");
}

/* ckpt_read_arch(): the records after a task record */
static int check_arch(struct check *c)
{
	const size_t rlen = sizeof(struct ckpt_hdr_x86_regs);
	const size_t xlen = sizeof(struct ckpt_hdr_x86_xstate);
	struct rec r;

	return read_record(c, CKPT_HDR_X86_REGS, rlen, rlen, &r) ?:
	       check_regs(c, &r) ?:
	       read_record(c, CKPT_HDR_X86_XSTATE, xlen, xlen + CKPT_X86_XSTATE_MAX, &r) ?:
	       check_xstate(c, &r);
}

/*
 * After the record of zombie @i: the records of the next task or the
 * tail, not those of a live task (which the next task or the tail
 * would refuse anyway, with the same errno at the same offset).
 */
static int check_after_zombie(struct check *c, uint32_t i)
{
	uint32_t type;

	if (c->im->size - c->pos < sizeof(struct ckpt_hdr))
		return 0;
	type = get_u32(c->im->buf + c->pos);
	switch (type) {
	case CKPT_HDR_X86_REGS:
	case CKPT_HDR_X86_XSTATE:
	case CKPT_HDR_RESTART_BLOCK:
	case CKPT_HDR_POSIX_TIMERS:
	case CKPT_HDR_TASK_SIGNALS:
	case CKPT_HDR_TASK_ATTRS:
		begin_record(c);
		set_type(c, type);
		return fail(c, EINVAL, c->pos, "a %s record after zombie %d, which has none",
			    type_name(type), c->pids[i].pid);
	}
	return 0;
}

/*
 * ckpt_read_task(): the objects task @i is the first to use (and the
 * semaphore undo list of its process if it leads one), then its record,
 * its architecture records, the system call it is to continue, the
 * POSIX timers of its process if it leads one, its signal state and its
 * attributes; a zombie has its record alone.
 */
static int check_tasks(struct check *c)
{
	const struct image *im = c->im;
	const struct kind *k;
	uint32_t i, type, objs;
	struct rec r;
	bool leader;
	size_t left;
	int err;

	for (i = 0; i < c->nr_tasks; i++) {
		c->cur_task = i;
		for (objs = 0;; objs++) {
			/* ckpt_peek_type() */
			begin_record(c);
			left = im->size - c->pos;
			if (!left)
				return fail(c, ENODATA, im->size,
					    "image ends before the record of task %u (pid %d)",
					    i, c->pids[i].pid);
			if (left < sizeof(struct ckpt_hdr))
				return fail(c, ENODATA, im->size,
					    "image ends inside a record header, after %zu bytes",
					    left);
			type = get_u32(im->buf + c->pos);
			if (type == CKPT_HDR_TASK)
				break;
			if (type == CKPT_HDR_ERROR)	/* fails, in read_error() */
				return read_record(c, CKPT_HDR_TASK,
						   sizeof(struct ckpt_hdr_task),
						   sizeof(struct ckpt_hdr_task), &r);
			k = find_kind(type);
			if (!k || !k->object) {
				set_type(c, type);
				return fail(c, EINVAL, c->pos, "not an object record");
			}
			err = check_object(c, k);
			if (err)
				return err;
		}
		err = read_record(c, CKPT_HDR_TASK, sizeof(struct ckpt_hdr_task),
				  sizeof(struct ckpt_hdr_task), &r);
		if (err)
			return err;
		leader = U32(&r, ckpt_hdr_task, flags) & CKPT_TASK_THREAD_LEADER;
		err = check_task(c, &r, i);
		if (err)
			return err;
		/* A zombie uses no object: none comes before its record */
		if (c->zombies[i] && objs)
			return fail(c, EINVAL, r.off,
				    "%u object records before the record of zombie %d",
				    objs, c->pids[i].pid);
		if (c->zombies[i]) {
			err = check_after_zombie(c, i);
			if (err)
				return err;
			continue;
		}
		err = check_arch(c) ?: check_restart_block(c) ?:
		      check_posix_timers(c, leader) ?:
		      check_task_signals(c, leader) ?:
		      check_task_attrs(c);
		if (err)
			return err;
	}
	return 0;
}

/* restore_read_tail() */
static int check_tail(struct check *c)
{
	uint64_t records = c->nr_records, bytes = c->pos, v;
	struct rec r;
	int err, i;

	err = read_record(c, CKPT_HDR_TAIL, sizeof(struct ckpt_hdr_tail),
			  sizeof(struct ckpt_hdr_tail), &r);
	if (err)
		return err;
	i = mismatch(r.p + offsetof(struct ckpt_hdr_tail, magic), CKPT_TAIL_MAGIC,
		     CKPT_MAGIC_LEN);
	if (i >= 0)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_tail, magic) + i,
			    "bad tail magic");
	v = U64(&r, ckpt_hdr_tail, records);
	if (v != records)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_tail, records),
			    "tail counts %llu records, read %llu",
			    (unsigned long long)v, (unsigned long long)records);
	v = U64(&r, ckpt_hdr_tail, bytes);
	if (v != bytes)
		return fail(c, EINVAL, AT(&r, ckpt_hdr_tail, bytes),
			    "tail counts %llu bytes, read %llu",
			    (unsigned long long)v, (unsigned long long)bytes);
	return 0;
}

/*
 * do_restart() with RESTART_VALIDATE, and what restart(2) refuses when it
 * restores before it reads the tasks (check_sessions()).  Returns 0 if
 * the image is valid, else fills @pb.
 */
static int check(const struct image *im, struct problem *pb)
{
	struct check c = { .im = im, .pb = pb };
	int err;

	memset(pb, 0, sizeof(*pb));
	err = check_header(&c) ?: check_tree(&c) ?: check_pidns(&c) ?:
	      check_namespaces(&c) ?: check_sessions(&c) ?: check_tasks(&c) ?:
	      check_tail(&c);
	free(c.pids);
	free(c.pidns);
	free(c.task_ns);
	free(c.refs);
	free(c.creates);
	free(c.vforks);
	free(c.zombies);
	free(c.seen);
	free(c.obj_type);
	free(c.obj_taken);
	free(c.obj_owner);
	free(c.obj_sotype);
	free(c.obj_fkind);
	free(c.obj_fflags);
	free(c.obj_epdepth);
	free(c.obj_size);
	free(c.obj_acc);
	free(c.obj_tcp);
	free(c.obj_off);
	free(c.sems);
	return err;
}

/* ---- dump: print the records ---- */

struct out {
	FILE *f;
	bool json;
	bool pages;	/* a checksum of every saved page */
	bool first;	/* JSON: no member written yet in this object */
	/* the entries of the last tree record printed, for the pidns record */
	const uint8_t *tree;
	uint32_t tree_tasks;
};

/* Length of the valid UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	size_t len, i;
	uint8_t lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/*
 * Print @n bytes of @s, up to a NUL, as a quoted string: JSON, with
 * bytes that are not UTF-8 as the code points of the same value, or C.
 */
static void put_quoted(struct out *o, const uint8_t *s, size_t n)
{
	size_t i, u;

	fputc('"', o->f);
	for (i = 0; i < n && s[i]; i++) {
		u = o->json && s[i] >= 0x80 ? utf8_len(s + i, n - i) : 0;
		if (s[i] == '"' || s[i] == '\\') {
			fprintf(o->f, "\\%c", s[i]);
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			fputc(s[i], o->f);
		} else if (!o->json) {
			fprintf(o->f, "\\x%02x", s[i]);
		} else if (u) {
			fwrite(s + i, 1, u, o->f);
			i += u - 1;
		} else {
			fprintf(o->f, "\\u%04x", s[i]);
		}
	}
	fputc('"', o->f);
}

static void field_begin(struct out *o, const char *name)
{
	if (o->json)
		fprintf(o->f, "%s\"%s\": ", o->first ? "" : ", ", name);
	else
		fprintf(o->f, "    %-18s ", name);
	o->first = false;
}

/* @note: said in parentheses after the value, in text only */
static void field_end(struct out *o, const char *note)
{
	if (o->json)
		return;
	if (note)
		fprintf(o->f, "  (%s)", note);
	fputc('\n', o->f);
}

/*
 * @name: the @nr __u32 at @p, as many as the @room bytes after them in
 * the record hold, which a note says when they are fewer
 */
static void put_u32_list(struct out *o, const char *name, const uint8_t *p,
			 uint32_t nr, size_t room)
{
	uint32_t n = nr, i;
	char note[48];

	if (n > room / sizeof(uint32_t))
		n = room / sizeof(uint32_t);
	field_begin(o, name);
	if (o->json)
		fputc('[', o->f);
	else if (!n)
		fputs("-", o->f);
	for (i = 0; i < n; i++)
		fprintf(o->f, "%s%u", i ? (o->json ? ", " : " ") : "",
			get_u32(p + (size_t)i * sizeof(uint32_t)));
	if (o->json)
		fputc(']', o->f);
	snprintf(note, sizeof(note), "only %u in the record", n);
	field_end(o, n < nr ? note : NULL);
}

static void put_u64(struct out *o, const char *name, uint64_t v, const char *note)
{
	field_begin(o, name);
	fprintf(o->f, "%llu", (unsigned long long)v);
	field_end(o, note);
}

static void put_s64(struct out *o, const char *name, int64_t v, const char *note)
{
	field_begin(o, name);
	fprintf(o->f, "%lld", (long long)v);
	field_end(o, note);
}

/* Bit masks: in hex, a string in JSON so that no bit is lost. */
static void put_hex(struct out *o, const char *name, uint64_t v, const char *note)
{
	field_begin(o, name);
	fprintf(o->f, o->json ? "\"0x%llx\"" : "0x%llx", (unsigned long long)v);
	field_end(o, note);
}

/* Modes and file permissions: in octal, a string in JSON */
static void put_oct(struct out *o, const char *name, uint64_t v, const char *note)
{
	field_begin(o, name);
	fprintf(o->f, o->json ? "\"0%llo\"" : "0%llo", (unsigned long long)v);
	field_end(o, note);
}

static void put_str(struct out *o, const char *name, const uint8_t *s, size_t n)
{
	field_begin(o, name);
	put_quoted(o, s, n);
	field_end(o, NULL);
}

/* The first bytes, at most @max, of a record that is not decoded. */
static void put_data(struct out *o, const struct rec *r, size_t max)
{
	size_t n = r->avail, i, j;

	if (n > max)
		n = max;

	if (o->json) {
		field_begin(o, "data");
		fputc('"', o->f);
		for (i = 0; i < n; i++)
			fprintf(o->f, "%02x", r->p[i]);
		fputc('"', o->f);
		return;
	}
	for (i = 0; i < n; i += 16) {
		fprintf(o->f, "    %08zx ", r->off + i);
		for (j = i; j < i + 16; j++) {
			if (j < n)
				fprintf(o->f, "%s %02x", j == i + 8 ? " " : "", r->p[j]);
			else
				fprintf(o->f, "%s   ", j == i + 8 ? " " : "");
		}
		fputs("  |", o->f);
		for (j = i; j < i + 16 && j < n; j++)
			fputc(r->p[j] >= 0x20 && r->p[j] < 0x7f ? r->p[j] : '.', o->f);
		fputs("|\n", o->f);
	}
	if (n < r->avail)
		fprintf(o->f, "    ...\n");
}

static void put_note(struct out *o, const char *note)
{
	if (o->json) {
		field_begin(o, "note");
		put_quoted(o, (const uint8_t *)note, strlen(note));
	} else {
		fprintf(o->f, "    (%s)\n", note);
	}
}

static const char *const scope_names[] = {
	[CHECKPOINT_SCOPE_TREE] = "tree",
	[CHECKPOINT_SCOPE_TASK] = "task",
	[CHECKPOINT_SCOPE_PGRP] = "pgrp",
	[CHECKPOINT_SCOPE_SESSION] = "session",
	[CHECKPOINT_SCOPE_CGROUP] = "cgroup",
};

static void print_header(struct out *o, const struct rec *r)
{
	uint32_t flags = U32(r, ckpt_hdr_header, flags);
	uint32_t scope = flags & CHECKPOINT_SCOPE_MASK;
	int64_t t = (int64_t)U64(r, ckpt_hdr_header, time);
	char note[64] = "", date[40];
	time_t tt = t;
	struct tm tm;

	put_str(o, "magic", r->p + offsetof(struct ckpt_hdr_header, magic),
		CKPT_MAGIC_LEN);
	put_u64(o, "major", U16(r, ckpt_hdr_header, major), NULL);
	put_u64(o, "minor", U16(r, ckpt_hdr_header, minor), NULL);
	put_u64(o, "arch", U16(r, ckpt_hdr_header, arch),
		U16(r, ckpt_hdr_header, arch) == CKPT_ARCH_X86_64 ? "x86_64" : NULL);
	put_u64(o, "page_size", U32(r, ckpt_hdr_header, page_size), NULL);
	snprintf(note, sizeof(note), "scope %s%s%s%s",
		 scope < ARRAY_SIZE(scope_names) && scope_names[scope] ?
		 scope_names[scope] : "unknown",
		 flags & CHECKPOINT_PIDFD ? ", pidfd" : "",
		 flags & CHECKPOINT_KILL ? ", kill" : "",
		 flags & CHECKPOINT_STOP ? ", stop" : "");
	put_hex(o, "flags", flags, note);
	put_hex(o, "features_required", U64(r, ckpt_hdr_header, features_required),
		NULL);
	put_hex(o, "features_optional", U64(r, ckpt_hdr_header, features_optional),
		NULL);
	if (gmtime_r(&tt, &tm) &&
	    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm))
		put_s64(o, "time", t, date);
	else
		put_s64(o, "time", t, NULL);
	put_str(o, "release", r->p + offsetof(struct ckpt_hdr_header, release),
		CKPT_RELEASE_LEN);
}

static void print_tail(struct out *o, const struct rec *r)
{
	put_str(o, "magic", r->p + offsetof(struct ckpt_hdr_tail, magic),
		CKPT_MAGIC_LEN);
	put_u64(o, "records", U64(r, ckpt_hdr_tail, records), NULL);
	put_u64(o, "bytes", U64(r, ckpt_hdr_tail, bytes), NULL);
}

static void print_error(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_error);
	int32_t errnum = S32(r, ckpt_hdr_error, errnum);
	char name[32];

	put_s64(o, "errnum", errnum, errno_name(errnum, name, sizeof(name)));
	put_str(o, "message", r->p + hlen, r->len - hlen);
}

/* A flag and its name, for flag_names() */
struct flag_name {
	uint32_t flag;
	const char *name;
};

/*
 * The names of the flags of @names[@n] in @v, with @sep between, then
 * "unknown" with those outside @all, into @buf
 */
static const char *flag_names(uint32_t v, const struct flag_name *names, size_t n,
			      uint32_t all, const char *sep, char *buf, size_t len)
{
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if (v & names[i].flag)
			k += snprintf(buf + k, len - k, "%s%s", k ? sep : "",
				      names[i].name);
	if (v & ~all)
		snprintf(buf + k, len - k, "%sunknown %#x", k ? sep : "", v & ~all);
	return buf;
}

static const struct flag_name pids_flags[] = {
	{ CKPT_PIDS_SHARE_VM, "share_vm" },
	{ CKPT_PIDS_SHARE_SIGHAND, "share_sighand" },
	{ CKPT_PIDS_VFORK, "vfork" },
};

/*
 * The entries of the tree: in text a line each, with the names of their
 * flags ("-" for none); in JSON an array of objects, the flags in hex
 * and their names in an array.
 */
static void print_tree(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_tree);
	const size_t elen = sizeof(struct ckpt_pids);
	uint32_t n = U32(r, ckpt_hdr_tree, nr_tasks), i, flags;
	int32_t pid, tgid, ppid, pgid, sid;
	char names[64], *name, *next;
	const uint8_t *e;

	put_u64(o, "nr_tasks", n, NULL);
	if (n > (r->len - hlen) / elen)
		n = (r->len - hlen) / elen;
	o->tree = r->p + hlen;
	o->tree_tasks = n;
	if (o->json) {
		field_begin(o, "pids");
		fputc('[', o->f);
	} else {
		fprintf(o->f, "    %4s %9s %9s %9s %9s %9s  %s\n",
			"task", "pid", "tgid", "ppid", "pgid", "sid", "flags");
	}
	for (i = 0; i < n; i++) {
		e = r->p + hlen + i * elen;
		pid = get_u32(e + offsetof(struct ckpt_pids, pid));
		tgid = get_u32(e + offsetof(struct ckpt_pids, tgid));
		ppid = get_u32(e + offsetof(struct ckpt_pids, ppid));
		pgid = get_u32(e + offsetof(struct ckpt_pids, pgid));
		sid = get_u32(e + offsetof(struct ckpt_pids, sid));
		flags = get_u32(e + offsetof(struct ckpt_pids, flags));
		flag_names(flags, pids_flags, ARRAY_SIZE(pids_flags),
			   CKPT_PIDS_FLAGS_ALL, ",", names, sizeof(names));
		if (!o->json) {
			fprintf(o->f, "    %4u %9d %9d %9d %9d %9d  %s\n",
				i, pid, tgid, ppid, pgid, sid, flags ? names : "-");
			continue;
		}
		fprintf(o->f,
			"%s{\"pid\": %d, \"tgid\": %d, \"ppid\": %d, \"pgid\": %d, \"sid\": %d, \"flags\": \"0x%x\", \"flag_names\": [",
			i ? ", " : "", pid, tgid, ppid, pgid, sid, flags);
		for (name = flags ? names : NULL; name; name = next) {
			next = strchr(name, ',');
			if (next)
				*next++ = '\0';
			fprintf(o->f, "%s\"%s\"", name == names ? "" : ", ", name);
		}
		fputs("]}", o->f);
	}
	if (o->json)
		fputc(']', o->f);
}

/* @n __s32 at @p, separated by spaces (text) or commas (JSON) */
static void put_s32s(struct out *o, const uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		fprintf(o->f, "%s%d", i ? (o->json ? ", " : " ") : "",
			(int32_t)get_u32(p + (size_t)i * sizeof(int32_t)));
}

/*
 * The levels below the root's of the @n namespaces at @e, where known
 * (0 where not: a parent that is not before it, too deep), into
 * @depth[1..n]
 */
static void pidns_depths(const uint8_t *e, uint32_t n, uint32_t *depth)
{
	uint32_t k, parent;

	for (k = 1; k <= n; k++, e += sizeof(struct ckpt_pidns)) {
		parent = get_u32(e + offsetof(struct ckpt_pidns, parent));
		if (parent < k && (!parent || depth[parent]) &&
		    depth[parent] < CKPT_PIDNS_MAX_DEPTH)
			depth[k] = depth[parent] + 1;
	}
}

static void print_pidns_list(struct out *o, const uint8_t *e, uint32_t n,
			     const uint32_t *depth)
{
	uint32_t k, parent, init, next;
	char dep[16];

	if (o->json) {
		field_begin(o, "namespaces");
		fputc('[', o->f);
	} else {
		fprintf(o->f, "    %4s %9s %9s %6s %9s\n", "ns", "parent", "init",
			"depth", "next_pid");
	}
	for (k = 1; k <= n; k++, e += sizeof(struct ckpt_pidns)) {
		parent = get_u32(e + offsetof(struct ckpt_pidns, parent));
		init = get_u32(e + offsetof(struct ckpt_pidns, init));
		next = get_u32(e + offsetof(struct ckpt_pidns, next_pid));
		if (depth[k])
			snprintf(dep, sizeof(dep), "%u", depth[k]);
		else
			snprintf(dep, sizeof(dep), "%s", o->json ? "null" : "?");
		if (o->json) {
			fprintf(o->f, "%s{\"ns\": %u, \"parent\": %u, \"init\": %u",
				k > 1 ? ", " : "", k, parent, init);
			fprintf(o->f, ", \"depth\": %s, \"next_pid\": %u}", dep, next);
		} else {
			fprintf(o->f, "    %4u %9u %9u %6s %9u\n", k, parent, init,
				dep, next);
		}
	}
	if (o->json)
		fputc(']', o->f);
}

/*
 * The pid namespaces, a line each in text, with their levels below the
 * root's ("?" where the record does not say); then a line a task, with
 * its pid in the tree record before, and its pids in the namespaces
 * below the root's, outermost first ("-" for none).  JSON has arrays of
 * objects.  The pids go with the tasks when the record has as many as
 * the levels of their namespaces, else in a list of their own.
 */
static void print_pidns(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pidns);
	const size_t nslen = sizeof(struct ckpt_pidns);
	const size_t tlen = sizeof(struct ckpt_task_pidns);
	uint32_t nr_ns = U32(r, ckpt_hdr_pidns, nr_ns), n = nr_ns, nr_tasks, i, k;
	uint32_t nr_pids = U32(r, ckpt_hdr_pidns, nr_pids), sum = 0, d;
	const uint8_t *tasks, *pids, *e;
	size_t room = r->len - hlen;
	uint32_t *depth;
	bool split;

	put_u64(o, "nr_ns", nr_ns, NULL);
	put_u64(o, "nr_pids", nr_pids, NULL);
	if (n > room / nslen)
		n = room / nslen;
	room -= n * nslen;
	/* as many tasks as the tree has, or as the length leaves room for */
	nr_tasks = o->tree_tasks;
	if (!o->tree)
		nr_tasks = (room - (nr_pids <= room / sizeof(int32_t) ?
				    nr_pids * sizeof(int32_t) : room)) / tlen;
	if (nr_tasks > room / tlen)
		nr_tasks = room / tlen;
	tasks = r->p + hlen + n * nslen;
	pids = tasks + nr_tasks * tlen;
	room -= nr_tasks * tlen;

	depth = calloc(n + 1, sizeof(*depth));
	if (!depth) {
		perror("ckptinfo");
		exit(EXIT_USAGE);
	}
	pidns_depths(r->p + hlen, n, depth);
	print_pidns_list(o, r->p + hlen, n, depth);
	split = n == nr_ns;
	for (i = 0; i < nr_tasks && split; i++) {
		k = get_u32(tasks + i * tlen + offsetof(struct ckpt_task_pidns, ns));
		split = k <= n && (!k || depth[k]);
		sum += split ? depth[k] : 0;
	}
	split = split && sum == nr_pids && room / sizeof(int32_t) >= nr_pids;

	if (o->json) {
		field_begin(o, "tasks");
		fputc('[', o->f);
	} else {
		fprintf(o->f, "    %4s %9s %4s %8s  %s\n", "task", "pid", "ns", "children",
			"pids");
	}
	for (i = 0, sum = 0; i < nr_tasks; i++, sum += d) {
		e = tasks + i * tlen;
		k = get_u32(e + offsetof(struct ckpt_task_pidns, ns));
		d = split ? depth[k] : 0;
		if (o->json)
			fprintf(o->f, "%s{\"pid\": ", i ? ", " : "");
		else
			fprintf(o->f, "    %4u ", i);
		if (i < o->tree_tasks)
			fprintf(o->f, o->json ? "%d" : "%9d",
				(int32_t)get_u32(o->tree + i * sizeof(struct ckpt_pids) +
						 offsetof(struct ckpt_pids, pid)));
		else
			fputs(o->json ? "null" : "        ?", o->f);
		fprintf(o->f, o->json ? ", \"ns\": %u, \"children\": %u" : " %4u %8u  ", k,
			get_u32(e + offsetof(struct ckpt_task_pidns, children)));
		if (o->json) {
			fputs(split ? ", \"pids\": [" : "}", o->f);
		} else if (!split || !d) {
			fputs(split ? "-\n" : "?\n", o->f);
			continue;
		}
		if (!split)
			continue;
		put_s32s(o, pids + (size_t)sum * sizeof(int32_t), d);
		fputs(o->json ? "]}" : "\n", o->f);
	}
	if (o->json)
		fputc(']', o->f);
	free(depth);
	if (split)
		return;
	n = nr_pids < room / sizeof(int32_t) ? nr_pids : room / sizeof(int32_t);
	field_begin(o, "pids");
	if (o->json)
		fputc('[', o->f);
	put_s32s(o, pids, n);
	if (o->json)
		fputc(']', o->f);
	field_end(o, "not split by task: they do not match the namespaces");
}

/*
 * The CKPT_NET_* flags are printed, as net, with CKPT_NS_NET or when
 * they are not zero: the loopback device up or down (images of minor
 * 20), or the devices, addresses and routes in the net record that
 * follows (CKPT_NET_CONFIG).
 */
static void print_namespaces(struct out *o, const struct rec *r)
{
	uint32_t flags = U32(r, ckpt_hdr_namespaces, flags);
	uint32_t net = U32(r, ckpt_hdr_namespaces, net);
	char note[128];

	/* each name after ", ", which the note skips */
	snprintf(note, sizeof(note), "%s%s%s%s%s",
		 flags & CKPT_NS_UTS ? ", UTS" : "", flags & CKPT_NS_IPC ? ", IPC" : "",
		 flags & CKPT_NS_NET ? ", network" : "",
		 flags & ~CKPT_NS_ALL ? ", unknown flags" : "", flags ? "" : ", none");
	put_hex(o, "flags", flags, note + 2);
	if (flags & CKPT_NS_NET || net) {
		snprintf(note, sizeof(note), "%s%s%s%s",
			 net & CKPT_NET_CONFIG ? "config follows" :
			 net & CKPT_NET_LO_UP ? "lo up" : "lo down",
			 (net & CKPT_NET_ALL) == CKPT_NET_ALL ? ", and lo up: not both" : "",
			 net & ~CKPT_NET_ALL ? ", unknown flags" : "",
			 flags & CKPT_NS_NET ? "" : ", without a network namespace");
		put_hex(o, "net", net, note);
	}
	put_str(o, "nodename", r->p + offsetof(struct ckpt_hdr_namespaces, nodename),
		CKPT_NS_NAME_LEN);
	put_str(o, "domainname", r->p + offsetof(struct ckpt_hdr_namespaces, domainname),
		CKPT_NS_NAME_LEN);
}

static void print_cred(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_cred);
	uint32_t n = U32(r, ckpt_hdr_cred, ngroups), i;

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	for (i = 0; i < ARRAY_SIZE(cred_ids); i++)
		put_u64(o, cred_ids[i].name, get_u32(r->p + cred_ids[i].off), NULL);
	for (i = 0; i < ARRAY_SIZE(cred_caps); i++)
		put_hex(o, cred_caps[i].name, get_u64(r->p + cred_caps[i].off), NULL);
	put_hex(o, "securebits", U32(r, ckpt_hdr_cred, securebits), NULL);
	put_u64(o, "ngroups", n, NULL);
	put_u32_list(o, "groups", r->p + hlen, n, r->len - hlen);
}

static const char *sig_name(int32_t sig, char *buf, size_t len);

/* What wait(2) says of the status @code of a zombie */
static void wait_status_note(int32_t code, char *buf, size_t len)
{
	char name[32];

	if (!wait_status_valid(code))
		snprintf(buf, len, "not a wait status");
	else if (!(code & 0x7f))
		snprintf(buf, len, "exited %d", code >> 8);
	else
		snprintf(buf, len, "killed by signal %d (%s)%s", code & 0x7f,
			 sig_name(code & 0x7f, name, sizeof(name)),
			 code & 0x80 ? ", core dumped" : "");
}

static void print_task(struct out *o, const struct rec *r)
{
	uint32_t flags = U32(r, ckpt_hdr_task, flags);
	int32_t sig = S32(r, ckpt_hdr_task, exit_signal);
	int32_t code = S32(r, ckpt_hdr_task, exit_code);
	char note[80];

	put_s64(o, "pid", S32(r, ckpt_hdr_task, pid), NULL);
	put_u64(o, "cred_ref", U32(r, ckpt_hdr_task, cred_ref), NULL);
	put_u64(o, "real_cred_ref", U32(r, ckpt_hdr_task, real_cred_ref), NULL);
	put_s64(o, "exit_signal", sig, NULL);
	put_hex(o, "personality", U32(r, ckpt_hdr_task, personality), NULL);
	snprintf(note, sizeof(note), "%s%s%s%s",
		 flags & CKPT_TASK_THREAD_LEADER ? "thread group leader" : "thread",
		 flags & CKPT_TASK_SELF ? ", self" : "",
		 flags & CKPT_TASK_ZOMBIE ? ", zombie" : "",
		 flags & CKPT_TASK_READY ? ", ready" : "");
	put_hex(o, "flags", flags, note);
	put_str(o, "comm", r->p + offsetof(struct ckpt_hdr_task, comm),
		CKPT_COMM_LEN);
	put_u64(o, "mm_ref", U32(r, ckpt_hdr_task, mm_ref), NULL);
	put_u64(o, "sighand_ref", U32(r, ckpt_hdr_task, sighand_ref), NULL);
	put_u64(o, "signal_ref", U32(r, ckpt_hdr_task, signal_ref), NULL);
	put_u64(o, "files_ref", U32(r, ckpt_hdr_task, files_ref), NULL);
	put_u64(o, "fs_ref", U32(r, ckpt_hdr_task, fs_ref), NULL);
	if (!(flags & CKPT_TASK_ZOMBIE)) {
		put_hex(o, "exit_code", (uint32_t)code, code ? "of a live task: not 0" : NULL);
		return;
	}
	wait_status_note(code, note, sizeof(note));
	put_hex(o, "exit_code", (uint32_t)code, note);
	if (o->json) {
		field_begin(o, "exit_status");
		put_quoted(o, (const uint8_t *)note, strlen(note));
	}
}

static void print_mm(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_mm);
	uint32_t nr_auxv = U32(r, ckpt_hdr_mm, nr_auxv);
	uint32_t exe_len = U32(r, ckpt_hdr_mm, exe_len), i;
	size_t room = r->len - hlen;
	const uint8_t *a;

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	for (i = 0; i < ARRAY_SIZE(mm_layout); i++)
		put_hex(o, mm_layout[i].name, get_u64(r->p + mm_layout[i].off), NULL);
	put_u64(o, "nr_vmas", U32(r, ckpt_hdr_mm, nr_vmas), NULL);
	put_u64(o, "nr_auxv", nr_auxv, NULL);
	put_u64(o, "exe_len", exe_len, NULL);
	put_u64(o, "exe_ref", U32(r, ckpt_hdr_mm, exe_ref),
		U32(r, ckpt_hdr_mm, exe_ref) ? "unlinked, by its contents" : NULL);
	/* what the record holds of them */
	if (nr_auxv > room / sizeof(uint64_t))
		nr_auxv = room / sizeof(uint64_t);
	room -= nr_auxv * sizeof(uint64_t);
	if (exe_len > room)
		exe_len = room;
	field_begin(o, "auxv");
	if (o->json)
		fputc('[', o->f);
	else if (nr_auxv < 2)
		fputs("-", o->f);
	for (i = 0; i + 1 < nr_auxv; i += 2) {
		a = r->p + hlen + i * sizeof(uint64_t);
		if (o->json)
			fprintf(o->f, "%s[%llu, \"0x%llx\"]", i ? ", " : "",
				(unsigned long long)get_u64(a),
				(unsigned long long)get_u64(a + 8));
		else
			fprintf(o->f, "%s%llu=0x%llx", i ? " " : "",
				(unsigned long long)get_u64(a),
				(unsigned long long)get_u64(a + 8));
	}
	if (o->json)
		fputc(']', o->f);
	field_end(o, NULL);
	put_str(o, "exe", r->p + hlen + nr_auxv * sizeof(uint64_t), exe_len);
}

static const char *const vma_kinds[] = {
	[CKPT_VMA_ANON] = "anon",
	[CKPT_VMA_FILE] = "file",
	[CKPT_VMA_VDSO] = "vdso",
	[CKPT_VMA_VVAR] = "vvar",
	[CKPT_VMA_SHMEM] = "shmem",
	[CKPT_VMA_MEMFD] = "memfd",
	[CKPT_VMA_SYSVSHM] = "sysvshm",
	[CKPT_VMA_HUGETLB] = "hugetlb",
};

/* The size of the pages of a hugetlb mapping, as hugetlbfs's pagesize= has it */
static const char *page_size_name(uint64_t size, char *buf, size_t len)
{
	static const char units[] = "KMG";
	int i = -1;

	while (size && !(size % 1024) && i < 2) {
		size /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu", (unsigned long long)size);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)size, units[i]);
	return buf;
}

static void print_vma(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_vma);
	uint64_t start = U64(r, ckpt_hdr_vma, start), end = U64(r, ckpt_hdr_vma, end);
	uint32_t kind = U32(r, ckpt_hdr_vma, kind), flags = U32(r, ckpt_hdr_vma, flags);
	uint32_t path_len = U32(r, ckpt_hdr_vma, path_len);
	const char *kname = kind < ARRAY_SIZE(vma_kinds) && vma_kinds[kind] ?
			    vma_kinds[kind] : "unknown";
	bool huge = kind == CKPT_VMA_HUGETLB;
	/* the object a mapping of shared memory or of a memfd names */
	bool shm = (kind == CKPT_VMA_SHMEM || kind == CKPT_VMA_MEMFD ||
		    kind == CKPT_VMA_SYSVSHM || (huge && (flags & CKPT_VMA_SHARED))) &&
		   path_len == sizeof(struct ckpt_vma_shmem) && r->len >= hlen + path_len;
	uint32_t shmem_ref = shm ? get_u32(r->p + hlen) : 0;
	char prot[5], psize[24];

	prot[0] = flags & CKPT_VMA_READ ? 'r' : '-';
	prot[1] = flags & CKPT_VMA_WRITE ? 'w' : '-';
	prot[2] = flags & CKPT_VMA_EXEC ? 'x' : '-';
	prot[3] = flags & CKPT_VMA_SHARED ? 's' : 'p';
	prot[4] = '\0';
	if (path_len > r->len - hlen)
		path_len = r->len - hlen;
	if (!o->json) {
		fprintf(o->f, "    %012llx-%012llx %s 0x%04x %s", (unsigned long long)start,
			(unsigned long long)end, prot, flags, kname);
		if (shm) {
			fprintf(o->f, " shmem_ref %u", shmem_ref);
		} else if (kind == CKPT_VMA_FILE || path_len) {
			fputc(' ', o->f);
			put_quoted(o, r->p + hlen, path_len);
			fprintf(o->f, " (ino %llu dev 0x%llx size %llu mtime %lld.%09u)",
				(unsigned long long)U64(r, ckpt_hdr_vma, ino),
				(unsigned long long)U64(r, ckpt_hdr_vma, dev),
				(unsigned long long)U64(r, ckpt_hdr_vma, size),
				(long long)U64(r, ckpt_hdr_vma, mtime_sec),
				U32(r, ckpt_hdr_vma, mtime_nsec));
		}
		if (huge)
			fprintf(o->f, " pagesize %s",
				page_size_name(U64(r, ckpt_hdr_vma, size), psize, sizeof(psize)));
		if (flags & CKPT_VMA_NORESERVE)
			fputs(" noreserve", o->f);
		fprintf(o->f, " pgoff %llu\n", (unsigned long long)U64(r, ckpt_hdr_vma, pgoff));
		return;
	}
	put_hex(o, "start", start, NULL);
	put_hex(o, "end", end, NULL);
	put_u64(o, "pgoff", U64(r, ckpt_hdr_vma, pgoff), NULL);
	field_begin(o, "kind");
	fprintf(o->f, "\"%s\"", kname);
	field_end(o, NULL);
	put_u64(o, "kind_num", kind, NULL);
	put_hex(o, "flags", flags, NULL);
	field_begin(o, "prot");
	fprintf(o->f, "\"%s\"", prot);
	field_end(o, NULL);
	put_u64(o, "ino", U64(r, ckpt_hdr_vma, ino), NULL);
	put_hex(o, "dev", U64(r, ckpt_hdr_vma, dev), NULL);
	put_u64(o, "size", U64(r, ckpt_hdr_vma, size), NULL);
	if (huge)
		put_u64(o, "page_size", U64(r, ckpt_hdr_vma, size), NULL);
	/*
	 * MAP_NORESERVE: nothing accounted when it is mapped, the pages of
	 * hugetlb memory taken from the pool as they are touched
	 */
	field_begin(o, "noreserve");
	fputs(flags & CKPT_VMA_NORESERVE ? "true" : "false", o->f);
	field_end(o, NULL);
	put_s64(o, "mtime_sec", (int64_t)U64(r, ckpt_hdr_vma, mtime_sec), NULL);
	put_u64(o, "mtime_nsec", U32(r, ckpt_hdr_vma, mtime_nsec), NULL);
	put_u64(o, "path_len", U32(r, ckpt_hdr_vma, path_len), NULL);
	if (shm)
		put_u64(o, "shmem_ref", shmem_ref, NULL);
	else
		put_str(o, "path", r->p + hlen, path_len);
}

static void print_shmem(struct out *o, const struct rec *r)
{
	uint64_t size = U64(r, ckpt_hdr_shmem, size);
	uint64_t pages = size / K_PAGE_SIZE + !!(size % K_PAGE_SIZE);
	char note[40];

	snprintf(note, sizeof(note), "%llu page%s", (unsigned long long)pages,
		 pages == 1 ? "" : "s");
	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_u64(o, "size", size, note);
}

/* Shared memory of huge pages: its size and that of its pages; its pages follow */
static void print_shmem_hugetlb(struct out *o, const struct rec *r)
{
	uint64_t size = U64(r, ckpt_hdr_shmem_hugetlb, size);
	uint64_t page_size = U64(r, ckpt_hdr_shmem_hugetlb, page_size);
	char note[40], psize[24];

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	if (page_size && !(size % page_size))
		snprintf(note, sizeof(note), "%llu huge page%s",
			 (unsigned long long)(size / page_size), size == page_size ? "" : "s");
	put_u64(o, "size", size, page_size && !(size % page_size) ? note : NULL);
	put_u64(o, "page_size", page_size, page_size_name(page_size, psize, sizeof(psize)));
}

static const char *const memfd_seals[] = {
	"F_SEAL_SEAL", "F_SEAL_SHRINK", "F_SEAL_GROW", "F_SEAL_WRITE",
	"F_SEAL_FUTURE_WRITE", "F_SEAL_EXEC",
};

/* The names of the F_SEAL_* bits of @seals, with "|" between, into @buf */
static const char *seal_names(uint32_t seals, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(memfd_seals) && n < len; i++)
		if (seals & (1U << i))
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "", memfd_seals[i]);
	if (seals & ~K_MEMFD_SEALS && n < len)
		snprintf(buf + n, len - n, "%sunknown %#x", n ? "|" : "",
			 seals & ~K_MEMFD_SEALS);
	return buf;
}

/* A memfd: its size, seals, permissions and name; its pages follow */
static void print_memfd(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_memfd);
	uint64_t size = U64(r, ckpt_hdr_memfd, size);
	uint64_t pages = size / K_PAGE_SIZE + !!(size % K_PAGE_SIZE);
	uint32_t seals = U32(r, ckpt_hdr_memfd, seals);
	uint32_t name_len = U32(r, ckpt_hdr_memfd, name_len);
	uint32_t flags = U32(r, ckpt_hdr_memfd, flags);
	uint32_t shift = (flags & CKPT_MEMFD_HUGE_MASK) >> CKPT_MEMFD_HUGE_SHIFT;
	bool huge = (flags & CKPT_MEMFD_HUGETLB) && shift > K_PAGE_SHIFT;
	char note[64], names[120], psize[24];

	/* of huge pages: how many it holds */
	if (huge)
		pages = size / (1ULL << shift) + !!(size % (1ULL << shift));
	snprintf(note, sizeof(note), "%llu %spage%s", (unsigned long long)pages,
		 huge ? "huge " : "", pages == 1 ? "" : "s");
	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_u64(o, "size", size, note);
	put_hex(o, "seals", seals, seals ? seal_names(seals, names, sizeof(names)) : NULL);
	put_oct(o, "mode", U32(r, ckpt_hdr_memfd, mode), NULL);
	put_u64(o, "name_len", name_len, NULL);
	/* each after ", ", which the note skips */
	snprintf(note, sizeof(note), "%s%s%s",
		 flags & CKPT_MEMFD_UNLINKED ? ", unlinked file" : "",
		 flags & CKPT_MEMFD_HUGETLB ? ", huge pages" : "",
		 flags & ~(CKPT_MEMFD_UNLINKED | CKPT_MEMFD_HUGETLB | CKPT_MEMFD_HUGE_MASK) ?
		 ", unknown flags" : "");
	put_hex(o, "flags", flags, note[0] ? note + 2 : NULL);
	/* MFD_HUGETLB: the size of its pages, from the shift in the flags */
	if (flags & CKPT_MEMFD_HUGETLB)
		put_u64(o, "page_size", 1ULL << shift,
			page_size_name(1ULL << shift, psize, sizeof(psize)));
	if (name_len > r->len - hlen)
		name_len = r->len - hlen;
	put_str(o, "name", r->p + hlen, name_len);
}

/* 32-bit FNV-1a of a page: to compare pages, not to secure them */
static uint32_t page_sum(const uint8_t *p)
{
	uint32_t h = 2166136261U;
	size_t i;

	for (i = 0; i < K_PAGE_SIZE; i++)
		h = (h ^ p[i]) * 16777619U;
	return h;
}

/* The contents are never printed, only with --pages a checksum of each page. */
static void print_pages(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pages);
	uint64_t addr = U64(r, ckpt_hdr_pages, addr);
	uint32_t nr = U32(r, ckpt_hdr_pages, nr_pages), i, n;

	n = (r->len - hlen) / K_PAGE_SIZE;
	if (n > nr)
		n = nr;
	if (o->json) {
		put_hex(o, "addr", addr, NULL);
		put_u64(o, "nr_pages", nr, NULL);
	} else {
		fprintf(o->f, "    addr 0x%llx nr_pages %u\n", (unsigned long long)addr, nr);
	}
	if (!o->pages)
		return;
	if (o->json) {
		field_begin(o, "checksums");
		fputc('[', o->f);
	}
	for (i = 0; i < n; i++) {
		uint32_t sum = page_sum(r->p + hlen + (size_t)i * K_PAGE_SIZE);

		if (o->json)
			fprintf(o->f, "%s\"%08x\"", i ? ", " : "", sum);
		else
			fprintf(o->f, "      %012llx %08x\n",
				(unsigned long long)(addr + (uint64_t)i * K_PAGE_SIZE), sum);
	}
	if (o->json)
		fputc(']', o->f);
}

static void print_regs(struct out *o, const struct rec *r)
{
	size_t i, off = offsetof(struct ckpt_hdr_x86_regs, r15);

	for (i = 0; i < ARRAY_SIZE(x86_regs); i++, off += sizeof(uint64_t)) {
		if (o->json) {
			put_hex(o, x86_regs[i], get_u64(r->p + off), NULL);
			continue;
		}
		fprintf(o->f, "%s%-7s 0x%016llx", i % 3 ? "  " : "    ", x86_regs[i],
			(unsigned long long)get_u64(r->p + off));
		if (i % 3 == 2 || i + 1 == ARRAY_SIZE(x86_regs))
			fputc('\n', o->f);
	}
}

#ifdef __x86_64__
/*
 * The size of this CPU's XSAVE area in standard format and the features
 * enabled in XCR0: what restart(2) compares an image with, on this
 * machine (fpu_user_cfg.max_size and max_features).
 */
static bool this_cpu_xsave(uint32_t *size, uint64_t *features)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) ||
	    !__get_cpuid_count(0xd, 0, &a, &b, &c, &d))
		return false;
	*size = b;
	__asm__ volatile ("xgetbv" : "=a" (a), "=d" (d) : "c" (0));
	*features = (uint64_t)d << 32 | a;
	return true;
}
#else
static bool this_cpu_xsave(uint32_t *size, uint64_t *features)
{
	(void)size;
	(void)features;
	return false;
}
#endif

/* Not a check: another machine may restore the image. */
static void print_this_cpu(struct out *o, uint32_t size, uint64_t xfeatures)
{
	uint32_t cpu_size;
	uint64_t cpu_features;
	char note[80];

	if (!this_cpu_xsave(&cpu_size, &cpu_features))
		return;
	snprintf(note, sizeof(note), "restart(2) on this CPU %s it",
		 size == cpu_size && !(xfeatures & ~cpu_features) ?
		 "takes" : "refuses");
	put_u64(o, "this_cpu_size", cpu_size, NULL);
	put_hex(o, "this_cpu_xfeatures", cpu_features, note);
}

static void print_xstate(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_x86_xstate);
	uint32_t size = U32(r, ckpt_hdr_x86_xstate, size);

	put_u64(o, "size", size, NULL);
	put_hex(o, "xfeatures", U64(r, ckpt_hdr_x86_xstate, xfeatures), NULL);
	if (r->len >= hlen + XSAVE_MIN_SIZE) {
		put_hex(o, "xstate_bv", get_u64(r->p + hlen + XSAVE_HDR_BV), NULL);
		put_hex(o, "xcomp_bv", get_u64(r->p + hlen + XSAVE_HDR_COMP), NULL);
	}
	print_this_cpu(o, size, U64(r, ckpt_hdr_x86_xstate, xfeatures));
}

/* Names of the x86 signals; the real-time ones are SIGRTMIN+N. */
static const char *const sig_names[K_SIGRTMIN] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
	[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
	[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [16] = "SIGSTKFLT",
	[17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG", [24] = "SIGXCPU",
	[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
	[29] = "SIGIO", [30] = "SIGPWR", [31] = "SIGSYS",
};

static const char *sig_name(int32_t sig, char *buf, size_t len)
{
	if (sig > 0 && sig < K_SIGRTMIN)
		return sig_names[sig];
	if (sig == K_SIGRTMIN)
		return "SIGRTMIN";
	if (sig > K_SIGRTMIN && sig <= K_NSIG)
		snprintf(buf, len, "SIGRTMIN+%d", sig - K_SIGRTMIN);
	else
		snprintf(buf, len, "not a signal");
	return buf;
}

static const struct {
	uint64_t flag;
	const char *name;
} sa_flags[] = {
	{ 0x00000001, "SA_NOCLDSTOP" },
	{ 0x00000002, "SA_NOCLDWAIT" },
	{ 0x00000004, "SA_SIGINFO" },
	{ 0x00000400, "SA_UNSUPPORTED" },
	{ 0x00000800, "SA_EXPOSE_TAGBITS" },
	{ 0x04000000, "SA_RESTORER" },
	{ 0x08000000, "SA_ONSTACK" },
	{ 0x10000000, "SA_RESTART" },
	{ 0x40000000, "SA_NODEFER" },
	{ 0x80000000, "SA_RESETHAND" },
};

/* The names of the SA_* flags in @flags, with "|" between, into @buf */
static const char *sa_flag_names(uint64_t flags, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(sa_flags); i++)
		if (flags & sa_flags[i].flag)
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
				      sa_flags[i].name);
	if (flags & ~K_SA_FLAGS_KNOWN)
		snprintf(buf + n, len - n, "%sunknown %#llx", n ? "|" : "",
			 (unsigned long long)(flags & ~K_SA_FLAGS_KNOWN));
	return buf;
}

/*
 * The signal actions that are not all zero (SIG_DFL, no flags): in text
 * a line each, in JSON an array of objects with the signal number.
 */
static void print_sighand(struct out *o, const struct rec *r)
{
	uint64_t handler, flags, restorer, mask;
	char name[24], names[200], hbuf[24];
	const char *h;
	int sig, n = 0;

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	for (sig = 1; sig <= CKPT_NSIG; sig++)
		if (SA_GET(r, sig, handler) || SA_GET(r, sig, flags) ||
		    SA_GET(r, sig, restorer) || SA_GET(r, sig, mask))
			n++;
	field_begin(o, "actions");
	if (o->json) {
		fputc('[', o->f);
	} else {
		fprintf(o->f, "%d set, the other %d SIG_DFL", n, CKPT_NSIG - n);
		field_end(o, NULL);
	}
	n = 0;
	for (sig = 1; sig <= CKPT_NSIG; sig++) {
		handler = SA_GET(r, sig, handler);
		flags = SA_GET(r, sig, flags);
		restorer = SA_GET(r, sig, restorer);
		mask = SA_GET(r, sig, mask);
		if (!handler && !flags && !restorer && !mask)
			continue;
		if (o->json) {
			fprintf(o->f,
				"%s{\"signal\": %d, \"name\": \"%s\", \"handler\": \"0x%llx\", \"flags\": \"0x%llx\", \"restorer\": \"0x%llx\", \"mask\": \"0x%llx\"}",
				n++ ? ", " : "", sig, sig_name(sig, name, sizeof(name)),
				(unsigned long long)handler, (unsigned long long)flags,
				(unsigned long long)restorer, (unsigned long long)mask);
			continue;
		}
		if (handler <= 1) {
			h = handler ? "SIG_IGN" : "SIG_DFL";
		} else {
			snprintf(hbuf, sizeof(hbuf), "0x%llx", (unsigned long long)handler);
			h = hbuf;
		}
		field_begin(o, sig_name(sig, name, sizeof(name)));
		fprintf(o->f, "handler %s flags 0x%llx restorer 0x%llx mask 0x%llx", h,
			(unsigned long long)flags, (unsigned long long)restorer,
			(unsigned long long)mask);
		field_end(o, flags ? sa_flag_names(flags, names, sizeof(names)) : NULL);
	}
	if (o->json)
		fputc(']', o->f);
}

static const char *si_code_name(int32_t code)
{
	switch (code) {
	case 0:
		return "SI_USER";
	case 0x80:
		return "SI_KERNEL";
	case -1:
		return "SI_QUEUE";
	case -2:
		return "SI_TIMER";
	case -3:
		return "SI_MESGQ";
	case -4:
		return "SI_ASYNCIO";
	case -5:
		return "SI_SIGIO";
	case -6:
		return "SI_TKILL";
	case -7:
		return "SI_DETHREAD";
	case -60:
		return "SI_ASYNCNL";
	}
	return NULL;
}

/* Offsets in a siginfo_t of x86_64 */
#define SI_SIGNO	0
#define SI_ERRNO	4
#define SI_CODE		8
#define SI_FIELDS	16	/* the union, after a hole of 4 bytes */
#define SI_PID		16	/* of _kill and _rt */
#define SI_UID		20
#define SI_VALUE	24	/* of _rt */
#define SI_TID		16	/* of _timer */
#define SI_OVERRUN	20
#define SI_SYS_PRIVATE	32

/*
 * @nr saved siginfos at @off in the record, as many as it holds.  Their
 * fields but si_signo, si_errno and si_code depend on the signal and on
 * si_code: the pid and uid of the sender, and the value of sigqueue(),
 * are decoded for SI_USER, SI_KERNEL and the negative codes but SI_TIMER
 * and SI_SIGIO (siginfo_layout()'s SIL_KILL and SIL_RT), and the timer
 * id, overrun count, value and kernel's sequence number of SI_TIMER
 * (SIL_TIMER: the kernel now saves the number as 0, the timer record
 * has it, but older images have it); the fields of other siginfos are
 * shown as they are, in hex.
 */
static void print_siginfos(struct out *o, const struct rec *r, size_t off,
			   uint32_t nr)
{
	char name[24], field[24];
	const char *cname;
	const uint8_t *si;
	int32_t signo, code;
	bool by_pid, rt, timer;
	uint32_t i, j;

	if (nr > (r->len - off) / CKPT_SIGINFO_SIZE)
		nr = (r->len - off) / CKPT_SIGINFO_SIZE;
	if (o->json) {
		field_begin(o, "pending");
		fputc('[', o->f);
	}
	for (i = 0; i < nr; i++) {
		si = r->p + off + (size_t)i * CKPT_SIGINFO_SIZE;
		signo = (int32_t)get_u32(si + SI_SIGNO);
		code = (int32_t)get_u32(si + SI_CODE);
		cname = si_code_name(code);
		timer = code == K_SI_TIMER;
		rt = code < 0 && !timer && code != -5;
		by_pid = rt || code == 0 || code == 0x80;
		if (o->json) {
			fprintf(o->f,
				"%s{\"signo\": %d, \"name\": \"%s\", \"errno\": %d, \"code\": %d",
				i ? ", " : "", signo, sig_name(signo, name, sizeof(name)),
				(int32_t)get_u32(si + SI_ERRNO), code);
			if (cname)
				fprintf(o->f, ", \"code_name\": \"%s\"", cname);
			if (by_pid)
				fprintf(o->f, ", \"pid\": %d, \"uid\": %u",
					(int32_t)get_u32(si + SI_PID), get_u32(si + SI_UID));
			if (rt || timer)
				fprintf(o->f, ", \"value\": \"0x%llx\"",
					(unsigned long long)get_u64(si + SI_VALUE));
			if (timer)
				fprintf(o->f,
					", \"timer\": %d, \"overrun\": %d, \"sys_private\": %d",
					(int32_t)get_u32(si + SI_TID),
					(int32_t)get_u32(si + SI_OVERRUN),
					(int32_t)get_u32(si + SI_SYS_PRIVATE));
			if (!by_pid && !timer) {
				fputs(", \"fields\": \"", o->f);
				for (j = SI_FIELDS; j < K_KSIGINFO_SIZE; j++)
					fprintf(o->f, "%02x", si[j]);
				fputc('"', o->f);
			}
			fputc('}', o->f);
			continue;
		}
		snprintf(field, sizeof(field), "pending %u", i);
		field_begin(o, field);
		fprintf(o->f, "%s (%d) errno %d code %d", sig_name(signo, name, sizeof(name)),
			signo, (int32_t)get_u32(si + SI_ERRNO), code);
		if (cname)
			fprintf(o->f, " (%s)", cname);
		if (by_pid)
			fprintf(o->f, " pid %d uid %u", (int32_t)get_u32(si + SI_PID),
				get_u32(si + SI_UID));
		if (timer)
			fprintf(o->f, " timer %d overrun %d value 0x%llx sys_private %d",
				(int32_t)get_u32(si + SI_TID), (int32_t)get_u32(si + SI_OVERRUN),
				(unsigned long long)get_u64(si + SI_VALUE),
				(int32_t)get_u32(si + SI_SYS_PRIVATE));
		if (rt)
			fprintf(o->f, " value 0x%llx",
				(unsigned long long)get_u64(si + SI_VALUE));
		if (!by_pid && !timer) {
			fputs(" fields", o->f);
			for (j = SI_FIELDS; j < K_KSIGINFO_SIZE; j += 4)
				fprintf(o->f, " %08x", get_u32(si + j));
		}
		field_end(o, NULL);
	}
	if (o->json)
		fputc(']', o->f);
}

static void print_signal(struct out *o, const struct rec *r)
{
	uint32_t nr = U32(r, ckpt_hdr_signal, nr_pending);

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_s64(o, "checkpoint_signal", S32(r, ckpt_hdr_signal, checkpoint_signal),
		S32(r, ckpt_hdr_signal, checkpoint_signal) ? NULL : "not registered");
	put_s64(o, "it_real_value", (int64_t)U64(r, ckpt_hdr_signal, it_real_value),
		U64(r, ckpt_hdr_signal, it_real_value) ? "ns" : "ITIMER_REAL not armed");
	put_s64(o, "it_real_interval",
		(int64_t)U64(r, ckpt_hdr_signal, it_real_interval), "ns");
	put_s64(o, "it_virt_value", (int64_t)U64(r, ckpt_hdr_signal, it_virt_value),
		U64(r, ckpt_hdr_signal, it_virt_value) ? "ns of CPU time" :
		"ITIMER_VIRTUAL not armed");
	put_s64(o, "it_virt_interval",
		(int64_t)U64(r, ckpt_hdr_signal, it_virt_interval), "ns");
	put_s64(o, "it_prof_value", (int64_t)U64(r, ckpt_hdr_signal, it_prof_value),
		U64(r, ckpt_hdr_signal, it_prof_value) ? "ns of CPU time" :
		"ITIMER_PROF not armed");
	put_s64(o, "it_prof_interval",
		(int64_t)U64(r, ckpt_hdr_signal, it_prof_interval), "ns");
	put_u64(o, "nr_pending", nr, NULL);
	print_siginfos(o, r, sizeof(struct ckpt_hdr_signal), nr);
}

static void print_task_signals(struct out *o, const struct rec *r)
{
	uint32_t ss_flags = U32(r, ckpt_hdr_task_signals, altstack_flags);
	uint32_t flags = U32(r, ckpt_hdr_task_signals, flags);
	uint32_t nr = U32(r, ckpt_hdr_task_signals, nr_pending);
	const char *note = NULL;
	char stop[64];

	put_hex(o, "blocked", TS(r, blocked), NULL);
	put_hex(o, "saved_sigmask", TS(r, saved_sigmask), NULL);
	put_hex(o, "altstack_sp", TS(r, altstack_sp), NULL);
	put_hex(o, "altstack_size", TS(r, altstack_size), NULL);
	if (ss_flags == K_SS_DISABLE)
		note = "SS_DISABLE: none";
	else if (ss_flags == K_SS_AUTODISARM)
		note = "SS_AUTODISARM";
	put_hex(o, "altstack_flags", ss_flags, note);
	snprintf(stop, sizeof(stop), "%s%s%s%s",
		 flags & CKPT_SIGNALS_RESTORE_MASK ? "restore the saved mask" : "",
		 flags & CKPT_SIGNALS_RESTORE_MASK &&
		 flags & CKPT_SIGNALS_STOP_MASK ? "; " : "",
		 flags & CKPT_SIGNALS_STOPPED ? "process stopped" :
		 flags & CKPT_SIGNALS_STOPPING ? "process stopping" : "",
		 flags & CKPT_SIGNALS_STOP_REPORTED ? ", reported" : "");
	put_hex(o, "flags", flags, stop[0] ? stop : NULL);
	put_u64(o, "nr_pending", nr, NULL);
	put_u64(o, "stop_code", U32(r, ckpt_hdr_task_signals, stop_code), NULL);
	print_siginfos(o, r, sizeof(struct ckpt_hdr_task_signals), nr);
}

/*
 * A field that takes one of a few values: in text its number and name,
 * in JSON its name, and its number as NAME_num.
 */
static void put_enum(struct out *o, const char *name, uint32_t v,
		     const char *const *names, size_t n)
{
	const char *s = v < n && names[v] ? names[v] : "unknown";
	char num[40];

	if (!o->json) {
		put_u64(o, name, v, s);
		return;
	}
	field_begin(o, name);
	fprintf(o->f, "\"%s\"", s);
	snprintf(num, sizeof(num), "%s_num", name);
	put_u64(o, num, v, NULL);
}

/* A device number as new_encode_dev() writes it, "major:minor" into @buf */
static const char *dev_name(uint64_t dev, char *buf, size_t len)
{
	snprintf(buf, len, "%llu:%llu", (unsigned long long)((dev & 0xfff00) >> 8),
		 (unsigned long long)((dev & 0xff) | ((dev >> 12) & 0xfff00)));
	return buf;
}

static const struct {
	uint32_t flag;
	const char *name;
} o_flags[] = {
	{ K_O_APPEND, "O_APPEND" },
	{ K_O_NONBLOCK, "O_NONBLOCK" },
	{ K_O_SYNC, "O_SYNC" },
	{ K_O_DSYNC, "O_DSYNC" },
	{ K_FASYNC, "FASYNC" },
	{ K_O_DIRECT, "O_DIRECT" },
	{ K_O_LARGEFILE, "O_LARGEFILE" },
	{ K_O_DIRECTORY, "O_DIRECTORY" },
	{ K_O_NOFOLLOW, "O_NOFOLLOW" },
	{ K_O_NOATIME, "O_NOATIME" },
	{ K_O_PATH, "O_PATH" },
};

/* The names of the O_* flags in @flags, with "|" between, into @buf */
static const char *o_flag_names(uint32_t flags, char *buf, size_t len)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	size_t i, n;

	n = snprintf(buf, len, "%s", acc[flags & K_O_ACCMODE]);
	flags &= ~K_O_ACCMODE;
	for (i = 0; i < ARRAY_SIZE(o_flags); i++) {
		if ((flags & o_flags[i].flag) != o_flags[i].flag)
			continue;
		n += snprintf(buf + n, len - n, "|%s", o_flags[i].name);
		flags &= ~o_flags[i].flag;
	}
	if (flags)
		snprintf(buf + n, len - n, "|unknown %#x", flags);
	return buf;
}

static const char *mode_type(uint32_t mode)
{
	switch (mode & K_S_IFMT) {
	case 0140000:
		return "socket";
	case 0120000:
		return "symbolic link";
	case K_S_IFREG:
		return "regular file";
	case 0060000:
		return "block device";
	case K_S_IFDIR:
		return "directory";
	case K_S_IFCHR:
		return "character device";
	case 0010000:
		return "FIFO";
	}
	return "unknown type";
}

static const char *const sock_families[] = {
	[K_AF_UNIX] = "AF_UNIX",
	[K_AF_INET] = "AF_INET",
	[K_AF_INET6] = "AF_INET6",
};

static const char *const sock_types[] = {
	[K_SOCK_STREAM] = "SOCK_STREAM",
	[K_SOCK_DGRAM] = "SOCK_DGRAM",
	[K_SOCK_RAW] = "SOCK_RAW",
	[K_SOCK_SEQPACKET] = "SOCK_SEQPACKET",
};

static const char *const sock_protocols[] = {
	[0] = "default",
	[K_IPPROTO_TCP] = "IPPROTO_TCP",
	[K_IPPROTO_UDP] = "IPPROTO_UDP",
};

static const char *const sock_states[] = {
	[CKPT_SOCK_FRESH] = "fresh",
	[CKPT_SOCK_BOUND] = "bound",
	[CKPT_SOCK_LISTEN] = "listen",
	[CKPT_SOCK_PAIR] = "pair",
	[CKPT_SOCK_RESET] = "reset",
	[CKPT_SOCK_LOST] = "lost",
	[CKPT_SOCK_TCP] = "tcp",
};

static const struct flag_name sock_opts[] = {
	{ CKPT_SO_REUSEADDR, "SO_REUSEADDR" },
	{ CKPT_SO_REUSEPORT, "SO_REUSEPORT" },
	{ CKPT_SO_KEEPALIVE, "SO_KEEPALIVE" },
	{ CKPT_SO_BROADCAST, "SO_BROADCAST" },
	{ CKPT_SO_OOBINLINE, "SO_OOBINLINE" },
	{ CKPT_SO_PASSCRED, "SO_PASSCRED" },
	{ CKPT_SO_LINGER, "SO_LINGER" },
	{ CKPT_SO_SNDBUF, "SO_SNDBUF" },
	{ CKPT_SO_RCVBUF, "SO_RCVBUF" },
	{ CKPT_SO_TCP_NODELAY, "TCP_NODELAY" },
	{ CKPT_SO_V6ONLY, "IPV6_V6ONLY" },
};

/*
 * A socket address of @len bytes, as getsockname(2) gives it, readable:
 * a.b.c.d:port, [IPv6]:port, a unix path or @ and an abstract name,
 * bytes that are not printable escaped; else its family and bytes in hex.
 */
static const char *sock_addr_name(const uint8_t *a, uint32_t len, char *buf,
				  size_t size)
{
	uint16_t family = len >= 2 ? get_u16(a) : 0;
	uint32_t port = len >= 4 ? (uint32_t)a[2] << 8 | a[3] : 0;
	uint32_t scope = len >= 28 ? get_u32(a + 24) : 0;
	const uint8_t *p = a + 2;
	char ip[INET6_ADDRSTRLEN];
	size_t n = 0, i, end;

	if (family == K_AF_INET && len >= 8) {
		snprintf(buf, size, "%u.%u.%u.%u:%u", a[4], a[5], a[6], a[7], port);
	} else if (family == K_AF_INET6 && len >= 24 &&
		   inet_ntop(AF_INET6, a + 8, ip, sizeof(ip))) {
		if (scope)
			snprintf(buf, size, "[%s%%%u]:%u", ip, scope, port);
		else
			snprintf(buf, size, "[%s]:%u", ip, port);
	} else if (family == K_AF_UNIX && len == 2) {
		snprintf(buf, size, "(unnamed)");
	} else if (family == K_AF_UNIX) {
		/* a path up to its NUL, or an abstract name: all its bytes */
		end = len - 2;
		if (!p[0]) {
			n = snprintf(buf, size, "@");
			p++;
			end--;
		} else {
			end = strnlen((const char *)p, end);
		}
		for (i = 0; i < end && n + 5 < size; i++)
			n += snprintf(buf + n, size - n, p[i] >= 0x20 && p[i] < 0x7f &&
				      p[i] != '\\' ? "%c" : "\\x%02x", p[i]);
	} else {
		n = snprintf(buf, size, "family %u:", family);
		for (i = 2; i < len && n + 3 < size; i++)
			n += snprintf(buf + n, size - n, "%02x", a[i]);
	}
	return buf;
}

/* A socket address field: in JSON null, in text "none", when it has none */
static void put_sock_addr(struct out *o, const char *name, const uint8_t *a,
			  uint32_t len)
{
	char buf[4 * CKPT_SOCK_ADDR_MAX + 16];

	field_begin(o, name);
	if (!len || len > CKPT_SOCK_ADDR_MAX) {
		fputs(o->json ? "null" : "none", o->f);
		field_end(o, len ? "too long" : NULL);
		return;
	}
	sock_addr_name(a, len, buf, sizeof(buf));
	if (o->json)
		put_quoted(o, (const uint8_t *)buf, strlen(buf));
	else
		fputs(buf, o->f);
	field_end(o, NULL);
}

/* The struct ckpt_socket of a file record, at @s */
static void print_socket(struct out *o, const uint8_t *s)
{
#define SK(f)	(s + offsetof(struct ckpt_socket, f))
	uint32_t opts = get_u32(SK(opts));
	uint32_t addr_len = get_u32(SK(addr_len));
	uint32_t peer_len = get_u32(SK(peer_len));
	uint16_t state = get_u16(SK(state));
	uint64_t timeo;
	char names[200];

	put_enum(o, "family", get_u16(SK(family)), sock_families,
		 ARRAY_SIZE(sock_families));
	put_enum(o, "sock_type", get_u16(SK(type)), sock_types, ARRAY_SIZE(sock_types));
	put_enum(o, "protocol", get_u16(SK(protocol)), sock_protocols,
		 ARRAY_SIZE(sock_protocols));
	put_enum(o, "state", state, sock_states, ARRAY_SIZE(sock_states));
	/*
	 * the same field: the CKPT_HDR_TCP of a TCP connection, the
	 * CKPT_HDR_TCP_ACCEPT of a listening socket
	 */
	if (state == CKPT_SOCK_TCP)
		put_u64(o, "tcp_ref", get_u32(SK(tcp_ref)), NULL);
	else if (state == CKPT_SOCK_LISTEN)
		put_u64(o, "accept_ref", get_u32(SK(accept_ref)),
			get_u32(SK(accept_ref)) ? NULL : "none saved");
	else
		put_u64(o, "pair_ref", get_u32(SK(pair_ref)), NULL);
	put_u64(o, "end", get_u32(SK(end)), NULL);
	if (opts)
		flag_names(opts, sock_opts, ARRAY_SIZE(sock_opts), CKPT_SO_ALL, "|",
			   names, sizeof(names));
	put_hex(o, "opts", opts, opts ? names : NULL);
	put_s64(o, "sndbuf", (int32_t)get_u32(SK(sndbuf)),
		opts & CKPT_SO_SNDBUF ? "bytes" : "the default");
	put_s64(o, "rcvbuf", (int32_t)get_u32(SK(rcvbuf)),
		opts & CKPT_SO_RCVBUF ? "bytes" : "the default");
	put_s64(o, "rcvlowat", (int32_t)get_u32(SK(rcvlowat)), NULL);
	put_u64(o, "linger", get_u32(SK(linger)), !(opts & CKPT_SO_LINGER) ? "off" :
		get_u32(SK(linger)) == CKPT_SO_LINGER_FOREVER ? "for ever" : "s");
	put_u64(o, "backlog", get_u32(SK(backlog)), NULL);
	timeo = get_u64(SK(rcvtimeo_us));
	put_u64(o, "rcvtimeo_us", timeo, timeo ? NULL : "none");
	timeo = get_u64(SK(sndtimeo_us));
	put_u64(o, "sndtimeo_us", timeo, timeo ? NULL : "none");
	put_u64(o, "addr_len", addr_len, NULL);
	put_sock_addr(o, "addr", SK(addr), addr_len);
	put_u64(o, "peer_len", peer_len, NULL);
	put_sock_addr(o, "peer", SK(peer), peer_len);
#undef SK
}

static const char *clock_name(int32_t clockid);
static const char *ns_secs(int64_t ns, char *buf, size_t len);
static const char *sigev_name(int32_t notify);
static void put_named(struct out *o, const char *name, const char *json_name,
		      int64_t v, const char *s);

/* The timerfd of a file record, at @t */
static void print_timerfd(struct out *o, const uint8_t *t)
{
	int32_t clockid = (int32_t)get_u32(t + offsetof(struct ckpt_timerfd, clockid));
	uint32_t flags = get_u32(t + offsetof(struct ckpt_timerfd, flags));
	uint64_t value = get_u64(t + offsetof(struct ckpt_timerfd, value_ns));
	uint64_t interval = get_u64(t + offsetof(struct ckpt_timerfd, interval_ns));
	char note[96], secs[48], date[40];
	struct tm tm;
	time_t tt;

	put_named(o, "clockid", "clock", clockid, clock_name(clockid));
	if (flags & ~K_TFD_TIMER_ABSTIME)
		snprintf(note, sizeof(note), "%sunknown %#x",
			 flags & K_TFD_TIMER_ABSTIME ? "TFD_TIMER_ABSTIME|" : "",
			 flags & ~K_TFD_TIMER_ABSTIME);
	else
		snprintf(note, sizeof(note), "%s", flags ? "TFD_TIMER_ABSTIME" : "relative");
	put_hex(o, "flags", flags, note);
	put_u64(o, "ticks", get_u64(t + offsetof(struct ckpt_timerfd, ticks)),
		"expirations not read");
	if (!value) {
		snprintf(note, sizeof(note), "disarmed");
	} else if (value > (uint64_t)K_KTIME_MAX) {
		snprintf(note, sizeof(note), "above KTIME_MAX");
	} else if (flags & K_TFD_TIMER_ABSTIME) {
		tt = value / K_NSEC_PER_SEC;
		if (gmtime_r(&tt, &tm) && strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm))
			snprintf(note, sizeof(note), "expires at %s.%09llu UTC", date,
				 (unsigned long long)(value % K_NSEC_PER_SEC));
		else
			snprintf(note, sizeof(note), "expires at %s of CLOCK_REALTIME",
				 ns_secs(value, secs, sizeof(secs)));
	} else {
		snprintf(note, sizeof(note), "%s left", ns_secs(value, secs, sizeof(secs)));
	}
	put_u64(o, "value_ns", value, note);
	if (interval > (uint64_t)K_KTIME_MAX)
		snprintf(note, sizeof(note), "above KTIME_MAX");
	else if (interval)
		snprintf(note, sizeof(note), "every %s", ns_secs(interval, secs, sizeof(secs)));
	else
		snprintf(note, sizeof(note), "one-shot");
	put_u64(o, "interval_ns", interval, note);
}

/* The pidfd of a file record, at @p */
static void print_pidfd(struct out *o, const uint8_t *p)
{
	int32_t pid = (int32_t)get_u32(p + offsetof(struct ckpt_pidfd, pid));
	uint32_t flags = get_u32(p + offsetof(struct ckpt_pidfd, flags));
	char note[64];

	put_s64(o, "pid", pid, !pid ? "reaped" :
		flags & CKPT_PIDFD_THREAD ? "a thread" : "a process");
	if (flags & ~CKPT_PIDFD_THREAD)
		snprintf(note, sizeof(note), "%sunknown %#x",
			 flags & CKPT_PIDFD_THREAD ? "PIDFD_THREAD|" : "",
			 flags & ~CKPT_PIDFD_THREAD);
	else
		snprintf(note, sizeof(note), "%s", flags ? "PIDFD_THREAD" : "none");
	put_hex(o, "flags", flags, note);
}

static const char *const epoll_events[32] = {
	"EPOLLIN", "EPOLLPRI", "EPOLLOUT", "EPOLLERR", "EPOLLHUP", "EPOLLNVAL",
	"EPOLLRDNORM", "EPOLLRDBAND", "EPOLLWRNORM", "EPOLLWRBAND", "EPOLLMSG",
	[13] = "EPOLLRDHUP", [27] = "EPOLL_URING_WAKE", [28] = "EPOLLEXCLUSIVE",
	[29] = "EPOLLWAKEUP", [30] = "EPOLLONESHOT", [31] = "EPOLLET",
};

/* The names of the EPOLL* bits of @events, with "|" between, into @buf */
static const char *epoll_event_names(uint32_t events, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 32 && n < len; i++) {
		if (!(events & (1U << i)))
			continue;
		if (epoll_events[i])
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "", epoll_events[i]);
		else
			n += snprintf(buf + n, len - n, "%sbit %u", n ? "|" : "", i);
	}
	if (!events)
		snprintf(buf, len, "none");
	return buf;
}

/* The items of an epoll's file record, as many as it holds */
static void print_epoll(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file);
	size_t nr = (r->len - hlen) / sizeof(struct ckpt_epoll_item), i;
	uint32_t ref, events;
	uint64_t data;
	char name[24], names[256];
	int32_t fd;

	if (o->json) {
		field_begin(o, "items");
		fputc('[', o->f);
	}
	for (i = 0; i < nr; i++) {
		ref = get_u32(r->p + EPI_OFF(i, file_ref));
		fd = (int32_t)get_u32(r->p + EPI_OFF(i, fd));
		events = get_u32(r->p + EPI_OFF(i, events));
		data = get_u64(r->p + EPI_OFF(i, data));
		epoll_event_names(events, names, sizeof(names));
		if (o->json) {
			fprintf(o->f, "%s{\"file_ref\": %u, \"fd\": %d, \"events\": \"0x%x\", ",
				i ? ", " : "", ref, fd, events);
			fprintf(o->f, "\"events_names\": \"%s\", \"data\": \"0x%llx\"}", names,
				(unsigned long long)data);
			continue;
		}
		snprintf(name, sizeof(name), "item %zu", i);
		field_begin(o, name);
		fprintf(o->f, "file_ref %u fd %d events 0x%x data 0x%llx", ref, fd, events,
			(unsigned long long)data);
		field_end(o, names);
	}
	if (o->json)
		fputc(']', o->f);
}

static const char *const inotify_bits[32] = {
	"IN_ACCESS", "IN_MODIFY", "IN_ATTRIB", "IN_CLOSE_WRITE", "IN_CLOSE_NOWRITE",
	"IN_OPEN", "IN_MOVED_FROM", "IN_MOVED_TO", "IN_CREATE", "IN_DELETE",
	"IN_DELETE_SELF", "IN_MOVE_SELF", [13] = "IN_UNMOUNT", [14] = "IN_Q_OVERFLOW",
	[15] = "IN_IGNORED", [24] = "IN_ONLYDIR", [25] = "IN_DONT_FOLLOW",
	[26] = "IN_EXCL_UNLINK", [28] = "IN_MASK_CREATE", [29] = "IN_MASK_ADD",
	[30] = "IN_ISDIR", [31] = "IN_ONESHOT",
};

/* The names of the IN_* bits of @mask, with "|" between, into @buf */
static const char *inotify_mask_names(uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 32 && n < len; i++) {
		if (!(mask & (1U << i)))
			continue;
		if (inotify_bits[i])
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "", inotify_bits[i]);
		else
			n += snprintf(buf + n, len - n, "%sbit %u", n ? "|" : "", i);
	}
	if (!mask)
		snprintf(buf, len, "none");
	return buf;
}

/* The struct ckpt_inotify of a file record, at @p: its events and watches follow */
static void print_inotify(struct out *o, const uint8_t *p)
{
	int32_t next_wd = (int32_t)get_u32(p + offsetof(struct ckpt_inotify, next_wd));

	put_u64(o, "nr_watches", get_u32(p + offsetof(struct ckpt_inotify, nr_watches)),
		"inotify_watch records follow the events");
	put_u64(o, "nr_events", get_u32(p + offsetof(struct ckpt_inotify, nr_events)),
		"inotify_event records follow, queued");
	put_s64(o, "next_wd", next_wd, "the wd inotify_add_watch() gives next");
	put_u64(o, "max_events", get_u32(p + offsetof(struct ckpt_inotify, max_events)),
		"the queue overflows past it");
}

static const char *const pty_ends[] = {
	[CKPT_PTY_MASTER] = "master",
	[CKPT_PTY_SLAVE] = "slave",
};

static void print_file(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file);
	uint32_t f_flags = U32(r, ckpt_hdr_file, f_flags);
	uint32_t mode = U32(r, ckpt_hdr_file, mode), rdev = U32(r, ckpt_hdr_file, rdev);
	uint32_t path_len = U32(r, ckpt_hdr_file, path_len);
	uint64_t dev = U64(r, ckpt_hdr_file, dev);
	uint32_t nsec = U32(r, ckpt_hdr_file, mtime_nsec);
	char names[200], dname[40], date[40], note[64];
	struct tm tm;
	time_t tt;

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_enum(o, "kind", U32(r, ckpt_hdr_file, kind), file_kinds, ARRAY_SIZE(file_kinds));
	put_hex(o, "f_flags", f_flags, o_flag_names(f_flags, names, sizeof(names)));
	put_s64(o, "pos", (int64_t)U64(r, ckpt_hdr_file, pos), NULL);
	put_oct(o, "mode", mode, mode_type(mode));
	put_hex(o, "rdev", rdev, rdev ? dev_name(rdev, dname, sizeof(dname)) : NULL);
	put_u64(o, "ino", U64(r, ckpt_hdr_file, ino), NULL);
	put_hex(o, "dev", dev, dev_name(dev, dname, sizeof(dname)));
	put_u64(o, "path_len", path_len, NULL);
	if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_MEMFD)
		put_u64(o, "memfd_ref", U32(r, ckpt_hdr_file, memfd_ref), NULL);
	else if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_PTY)
		put_u64(o, "pty_ref", U32(r, ckpt_hdr_file, pty_ref), NULL);
	else if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_MQUEUE)
		put_u64(o, "mq_ref", U32(r, ckpt_hdr_file, mq_ref),
			U32(r, ckpt_hdr_file, mq_ref) ? NULL :
			"a queue of the caller's IPC namespace, reopened by name");
	else
		put_u64(o, "pipe_ref", U32(r, ckpt_hdr_file, pipe_ref), NULL);
	put_u64(o, "size", U64(r, ckpt_hdr_file, size), NULL);
	tt = (int64_t)U64(r, ckpt_hdr_file, mtime_sec);
	if ((tt || nsec) && gmtime_r(&tt, &tm) &&
	    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(note, sizeof(note), "%s.%09u UTC", date, nsec);
	else
		note[0] = '\0';
	put_s64(o, "mtime_sec", tt, note[0] ? note : NULL);
	put_u64(o, "mtime_nsec", nsec, NULL);
	if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_SIGNALFD &&
	    r->len >= hlen + sizeof(struct ckpt_signalfd)) {
		put_hex(o, "mask", get_u64(r->p + hlen), NULL);
		return;
	}
	if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_EVENTFD &&
	    r->len >= hlen + sizeof(struct ckpt_eventfd)) {
		const uint8_t *e = r->p + hlen;

		put_u64(o, "count",
			get_u64(e + offsetof(struct ckpt_eventfd, count)), NULL);
		put_hex(o, "flags",
			get_u32(e + offsetof(struct ckpt_eventfd, flags)), NULL);
		return;
	}
	if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_SOCKET &&
	    r->len >= hlen + sizeof(struct ckpt_socket)) {
		print_socket(o, r->p + hlen);
		return;
	}
	if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_TIMERFD &&
	    r->len >= hlen + sizeof(struct ckpt_timerfd)) {
		print_timerfd(o, r->p + hlen);
		return;
	}
	if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_PIDFD &&
	    r->len >= hlen + sizeof(struct ckpt_pidfd)) {
		print_pidfd(o, r->p + hlen);
		return;
	}
	if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_EPOLL) {
		print_epoll(o, r);
		return;
	}
	if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_INOTIFY &&
	    r->len >= hlen + sizeof(struct ckpt_inotify)) {
		print_inotify(o, r->p + hlen);
		return;
	}
	if (U32(r, ckpt_hdr_file, kind) == CKPT_FILE_PTY &&
	    r->len >= hlen + sizeof(struct ckpt_pty_file)) {
		put_enum(o, "end", get_u32(r->p + PTYF_OFF(end)), pty_ends,
			 ARRAY_SIZE(pty_ends));
		return;
	}
	if (path_len > r->len - hlen)
		path_len = r->len - hlen;
	put_str(o, "path", r->p + hlen, path_len);
}

#define PIPE_PREVIEW	16	/* bytes of a pipe's or a unix end's data printed */

/*
 * At most PIPE_PREVIEW of the @nr_bytes bytes of data, of which the
 * record holds @avail at @data: in hex, then as text; in JSON also
 * "@name_text" and "@name_shown", how many bytes are shown.
 */
static void put_preview(struct out *o, const char *name, const uint8_t *data,
			size_t avail, uint32_t nr_bytes)
{
	char text[PIPE_PREVIEW + 1], note[40], key[40];
	size_t n = avail, i;

	if (n > nr_bytes)
		n = nr_bytes;
	if (n > PIPE_PREVIEW)
		n = PIPE_PREVIEW;
	for (i = 0; i < n; i++)
		text[i] = data[i] >= 0x20 && data[i] < 0x7f ? data[i] : '.';
	text[n] = '\0';
	field_begin(o, name);
	if (o->json)
		fputc('"', o->f);
	for (i = 0; i < n; i++)
		fprintf(o->f, "%02x", data[i]);
	if (o->json) {
		fputc('"', o->f);
		snprintf(key, sizeof(key), "%s_text", name);
		put_str(o, key, (const uint8_t *)text, n);
		snprintf(key, sizeof(key), "%s_shown", name);
		put_u64(o, key, n, NULL);
		return;
	}
	fprintf(o->f, "  |%s|", text);
	snprintf(note, sizeof(note), "the first %zu of %u bytes", n, nr_bytes);
	field_end(o, n < nr_bytes ? note : NULL);
}

static void print_pipe(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pipe);
	uint32_t ends = U32(r, ckpt_hdr_pipe, ends);
	uint32_t nr_bytes = U32(r, ckpt_hdr_pipe, nr_bytes);

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_u64(o, "size", U32(r, ckpt_hdr_pipe, size), NULL);
	put_hex(o, "ends", ends,
		ends == (CKPT_PIPE_READER | CKPT_PIPE_WRITER) ? "reader|writer" :
		ends == CKPT_PIPE_READER ? "reader, writer closed" :
		ends == CKPT_PIPE_WRITER ? "writer, reader closed" : NULL);
	put_u64(o, "nr_bytes", nr_bytes, NULL);
	/* what the record holds of it */
	put_preview(o, "data", r->p + hlen, r->len - hlen, nr_bytes);
}

/* A time in seconds, with its date in text; 0 is "never" */
static void put_time(struct out *o, const char *name, int64_t t)
{
	char date[40];
	time_t tt = t;
	struct tm tm;

	if (!t)
		put_s64(o, name, t, "never");
	else if (gmtime_r(&tt, &tm) &&
		 strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm))
		put_s64(o, name, t, date);
	else
		put_s64(o, name, t, NULL);
}

/* The objref and struct ckpt_ipc_perm of a SysV IPC object of @kind */
static void print_ipc_perm(struct out *o, const struct rec *r, int kind)
{
	int32_t key = (int32_t)get_u32(r->p + PERM_OFF(kind, key));
	static const struct {
		const char *name;
		size_t off;
	} ids[] = {
		{ "uid", offsetof(struct ckpt_ipc_perm, uid) },
		{ "gid", offsetof(struct ckpt_ipc_perm, gid) },
		{ "cuid", offsetof(struct ckpt_ipc_perm, cuid) },
		{ "cgid", offsetof(struct ckpt_ipc_perm, cgid) },
	};
	uint32_t v;
	size_t i;

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_s64(o, "id", (int32_t)get_u32(r->p + PERM_OFF(kind, id)), NULL);
	put_hex(o, "key", (uint32_t)key, key ? NULL : "IPC_PRIVATE");
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		v = get_u32(r->p + ipc_kinds[kind].perm + ids[i].off);
		put_u64(o, ids[i].name, v, v == K_ID_INVALID ? "unmapped" : NULL);
	}
	put_oct(o, "mode", get_u32(r->p + PERM_OFF(kind, mode)), NULL);
}

/* A SysV shared memory segment: its pages follow */
static void print_ipc_shm(struct out *o, const struct rec *r)
{
	uint64_t size = U64(r, ckpt_hdr_ipc_shm, size);
	uint64_t pages = size / K_PAGE_SIZE + !!(size % K_PAGE_SIZE);
	uint32_t flags = U32(r, ckpt_hdr_ipc_shm, flags);
	uint32_t shift = U32(r, ckpt_hdr_ipc_shm, huge_shift);
	bool huge = (flags & CKPT_SHM_HUGETLB) && shift > K_PAGE_SHIFT && shift < 64;
	char note[64], psize[24];

	print_ipc_perm(o, r, IPC_SHM);
	/* of huge pages: how many it holds, what is mapped of it */
	if (huge)
		pages = size / (1ULL << shift) + !!(size % (1ULL << shift));
	snprintf(note, sizeof(note), "%llu %spage%s", (unsigned long long)pages,
		 huge ? "huge " : "", pages == 1 ? "" : "s");
	put_u64(o, "size", size, note);
	put_time(o, "atime", (int64_t)U64(r, ckpt_hdr_ipc_shm, atime));
	put_time(o, "dtime", (int64_t)U64(r, ckpt_hdr_ipc_shm, dtime));
	put_time(o, "ctime", (int64_t)U64(r, ckpt_hdr_ipc_shm, ctime));
	/* each after ", ", which the note skips */
	snprintf(note, sizeof(note), "%s%s%s",
		 flags & CKPT_SHM_DEST ? ", removed, still attached" : "",
		 flags & CKPT_SHM_HUGETLB ? ", huge pages" : "",
		 flags & ~(CKPT_SHM_DEST | CKPT_SHM_HUGETLB) ? ", unknown flags" : "");
	put_hex(o, "flags", flags, note[0] ? note + 2 : NULL);
	/* SHM_HUGETLB: the size of its pages, 1 << huge_shift */
	put_u64(o, "huge_shift", shift, shift && shift < 64 ?
		page_size_name(1ULL << shift, psize, sizeof(psize)) : NULL);
}

/* A SysV message queue: its messages follow */
static void print_ipc_msg(struct out *o, const struct rec *r)
{
	print_ipc_perm(o, r, IPC_MSG);
	put_time(o, "stime", (int64_t)U64(r, ckpt_hdr_ipc_msg, stime));
	put_time(o, "rtime", (int64_t)U64(r, ckpt_hdr_ipc_msg, rtime));
	put_time(o, "ctime", (int64_t)U64(r, ckpt_hdr_ipc_msg, ctime));
	put_u64(o, "qbytes", U64(r, ckpt_hdr_ipc_msg, qbytes), NULL);
	put_u64(o, "nr_msgs", U32(r, ckpt_hdr_ipc_msg, nr_msgs), NULL);
}

/* A message of the queue before it: its type and the first of its bytes */
static void print_ipc_msg_text(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_ipc_msg_text);
	uint32_t size = U32(r, ckpt_hdr_ipc_msg_text, size);

	put_s64(o, "mtype", (int64_t)U64(r, ckpt_hdr_ipc_msg_text, mtype), NULL);
	put_u64(o, "size", size, NULL);
	put_preview(o, "text", r->p + hlen, r->len - hlen, size);
}

/* A SysV semaphore set and the values of its semaphores */
static void print_ipc_sem(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_ipc_sem);
	uint32_t n = U32(r, ckpt_hdr_ipc_sem, nsems), i;

	print_ipc_perm(o, r, IPC_SEM);
	put_time(o, "otime", (int64_t)U64(r, ckpt_hdr_ipc_sem, otime));
	put_time(o, "ctime", (int64_t)U64(r, ckpt_hdr_ipc_sem, ctime));
	put_u64(o, "nsems", n, NULL);
	/* what the record holds of them */
	if (n > (r->len - hlen) / sizeof(uint16_t))
		n = (r->len - hlen) / sizeof(uint16_t);
	field_begin(o, "values");
	if (o->json)
		fputc('[', o->f);
	else if (!n)
		fputs("-", o->f);
	for (i = 0; i < n; i++)
		fprintf(o->f, "%s%u", i ? (o->json ? ", " : " ") : "",
			get_u16(r->p + hlen + i * sizeof(uint16_t)));
	if (o->json)
		fputc(']', o->f);
	field_end(o, NULL);
}

/* A SysV semaphore undo list: its sets follow */
static void print_ipc_sem_undo(struct out *o, const struct rec *r)
{
	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_u64(o, "nr_sets", U32(r, ckpt_hdr_ipc_sem_undo, nr_sets), NULL);
}

/* The adjustments of an undo list to a set, one a semaphore */
static void print_ipc_sem_adj(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_ipc_sem_adj);
	uint32_t n = U32(r, ckpt_hdr_ipc_sem_adj, nsems), i;

	put_s64(o, "semid", S32(r, ckpt_hdr_ipc_sem_adj, semid), NULL);
	put_u64(o, "nsems", n, NULL);
	/* what the record holds of them */
	if (n > (r->len - hlen) / sizeof(int16_t))
		n = (r->len - hlen) / sizeof(int16_t);
	field_begin(o, "adjustments");
	if (o->json)
		fputc('[', o->f);
	else if (!n)
		fputs("-", o->f);
	for (i = 0; i < n; i++)
		fprintf(o->f, "%s%d", i ? (o->json ? ", " : " ") : "",
			(int16_t)get_u16(r->p + hlen + i * sizeof(int16_t)));
	if (o->json)
		fputc(']', o->f);
	field_end(o, NULL);
}

/* The limits of the POSIX message queues of an IPC namespace */
static void print_ipc_mq_ns(struct out *o, const struct rec *r)
{
	size_t i;

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	for (i = 0; i < ARRAY_SIZE(mq_limits); i++)
		put_u64(o, mq_limits[i].name, get_u32(r->p + mq_limits[i].off), NULL);
}

/* A time of a queue: seconds, with the date in text, then nanoseconds */
static void put_mq_time(struct out *o, const struct rec *r, const char *name,
			size_t sec_off, size_t nsec_off)
{
	char key[24];

	snprintf(key, sizeof(key), "%s_sec", name);
	put_time(o, key, (int64_t)get_u64(r->p + sec_off));
	snprintf(key, sizeof(key), "%s_nsec", name);
	put_u64(o, key, get_u32(r->p + nsec_off), NULL);
}

/* A POSIX message queue, and who mq_notify(3) tells: its messages follow */
static void print_ipc_mq(struct out *o, const struct rec *r)
{
	int32_t pid = S32(r, ckpt_hdr_ipc_mq, notify_pid);
	int32_t notify = S32(r, ckpt_hdr_ipc_mq, notify);
	int32_t signo = S32(r, ckpt_hdr_ipc_mq, notify_signo);
	uint32_t flags = U32(r, ckpt_hdr_ipc_mq, notify_flags);
	uint32_t uid = U32(r, ckpt_hdr_ipc_mq, uid), gid = U32(r, ckpt_hdr_ipc_mq, gid);
	char name[24], note[80];

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_str(o, "name", r->p + MQ_OFF(name), CKPT_MQ_NAME_LEN);
	put_u64(o, "uid", uid, uid == K_ID_INVALID ? "unmapped" : NULL);
	put_u64(o, "gid", gid, gid == K_ID_INVALID ? "unmapped" : NULL);
	put_oct(o, "mode", U32(r, ckpt_hdr_ipc_mq, mode), NULL);
	put_u64(o, "nr_msgs", U32(r, ckpt_hdr_ipc_mq, nr_msgs), NULL);
	put_s64(o, "maxmsg", (int64_t)U64(r, ckpt_hdr_ipc_mq, maxmsg), NULL);
	put_s64(o, "msgsize", (int64_t)U64(r, ckpt_hdr_ipc_mq, msgsize), NULL);
	put_mq_time(o, r, "atime", MQ_OFF(atime_sec), MQ_OFF(atime_nsec));
	put_mq_time(o, r, "mtime", MQ_OFF(mtime_sec), MQ_OFF(mtime_nsec));
	put_mq_time(o, r, "ctime", MQ_OFF(ctime_sec), MQ_OFF(ctime_nsec));
	put_s64(o, "notify_pid", pid, pid ? "registered with mq_notify()" : "nobody registered");
	put_named(o, "notify", "notify_name", notify,
		  pid ? sigev_name(notify) : "no registration");
	snprintf(note, sizeof(note), "%s%s", signo ? sig_name(signo, name, sizeof(name)) : "none",
		 notify == K_SIGEV_NONE ? ", not sent: SIGEV_NONE" : "");
	put_named(o, "notify_signo", "signal", signo, note);
	snprintf(note, sizeof(note), "%s%s",
		 flags & CKPT_MQ_NOTIFY_STALE ? "STALE: ran execve() since, not told" :
		 flags ? "" : "none",
		 flags & ~CKPT_MQ_NOTIFY_STALE ? ", unknown flags" : "");
	put_hex(o, "notify_flags", flags, note[0] == ',' ? note + 2 : note);
	put_hex(o, "notify_value", U64(r, ckpt_hdr_ipc_mq, notify_value), NULL);
}

/* A message of the queue before it: its priority and the first of its bytes */
static void print_ipc_mq_msg(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_ipc_mq_msg);
	uint32_t size = U32(r, ckpt_hdr_ipc_mq_msg, size);

	put_u64(o, "prio", U32(r, ckpt_hdr_ipc_mq_msg, prio), NULL);
	put_u64(o, "size", size, NULL);
	put_preview(o, "data", r->p + hlen, r->len - hlen, size);
}

#define MSGS_PREVIEW	16	/* message lengths, descriptor counts or objrefs printed */

/* The name of a field of an end of a unix pair, indented under it in text */
static inline const char *uend_field(const struct out *o, const char *name)
{
	return o->json ? name + 2 : name;
}

/*
 * At most MSGS_PREVIEW of the @nr __u32 of an array of an end of a unix
 * pair, of which the record holds @avail bytes at @p
 */
static void put_uend_u32s(struct out *o, const char *name, const uint8_t *p, size_t avail,
			  uint32_t nr)
{
	uint32_t n = nr, j;
	char note[40];

	if (n > avail / sizeof(uint32_t))
		n = avail / sizeof(uint32_t);
	if (n > MSGS_PREVIEW)
		n = MSGS_PREVIEW;
	field_begin(o, uend_field(o, name));
	if (o->json)
		fputc('[', o->f);
	for (j = 0; j < n; j++)
		fprintf(o->f, "%s%u", j ? (o->json ? ", " : " ") : "",
			get_u32(p + (size_t)j * sizeof(uint32_t)));
	if (o->json)
		fputc(']', o->f);
	snprintf(note, sizeof(note), "the first %u of %u", n, nr);
	field_end(o, n < nr ? note : NULL);
}

/* Skip @len of the @avail bytes at @p: at most all of them */
static void uend_skip(const uint8_t **p, size_t *avail, uint64_t len)
{
	if (len > *avail)
		len = *avail;
	*p += len;
	*avail -= len;
}

/*
 * End @i of a unix pair, whose message lengths, descriptor counts,
 * objrefs of files in flight and data are the @avail bytes at @p: in
 * text a line saying whether it is open then a line a field, in JSON an
 * object.
 */
static void print_unix_end(struct out *o, const struct rec *r, unsigned int i,
			   const uint8_t *p, size_t avail)
{
	const uint8_t *e = r->p + UEND_OFF(i, shutdown);
	bool open = U32(r, ckpt_hdr_unix_pair, ends) & (1U << i);
	uint32_t shut = get_u32(e + offsetof(struct ckpt_unix_end, shutdown));
	int32_t err = (int32_t)get_u32(e + offsetof(struct ckpt_unix_end, err));
	uint32_t nr_msgs = get_u32(e + offsetof(struct ckpt_unix_end, nr_msgs));
	uint32_t nr_bytes = get_u32(e + offsetof(struct ckpt_unix_end, nr_bytes));
	uint32_t nr_fds = get_u32(e + offsetof(struct ckpt_unix_end, nr_fds));
	uint64_t msgs_len = (uint64_t)nr_msgs * sizeof(uint32_t);
	char name[24];

	if (o->json) {
		fprintf(o->f, "%s{", i ? ", " : "");
		o->first = true;
		put_u64(o, "end", i, NULL);
		field_begin(o, "open");
		fputs(open ? "true" : "false", o->f);
	} else {
		snprintf(name, sizeof(name), "end %u", i);
		field_begin(o, name);
		fputs(open ? "open" : "closed", o->f);
		field_end(o, NULL);
	}
	put_hex(o, uend_field(o, "  shutdown"), shut,
		shut == (CKPT_SHUT_RD | CKPT_SHUT_WR) ? "RD|WR" :
		shut == CKPT_SHUT_RD ? "RD" : shut == CKPT_SHUT_WR ? "WR" : NULL);
	put_s64(o, uend_field(o, "  err"), err, err == K_ECONNRESET ? "ECONNRESET" : NULL);
	put_u64(o, uend_field(o, "  nr_msgs"), nr_msgs, NULL);
	put_u64(o, uend_field(o, "  nr_bytes"), nr_bytes, NULL);
	put_u64(o, uend_field(o, "  nr_fds"), nr_fds, NULL);

	/* what the record holds of them */
	if (nr_msgs)
		put_uend_u32s(o, "  msgs", p, avail, nr_msgs);
	uend_skip(&p, &avail, msgs_len);
	if (nr_fds) {
		/* how many descriptors each message brought, then their files */
		if (nr_msgs)
			put_uend_u32s(o, "  msg_fds", p, avail, nr_msgs);
		uend_skip(&p, &avail, msgs_len);
		put_uend_u32s(o, "  file_refs", p, avail, nr_fds);
		uend_skip(&p, &avail, (uint64_t)nr_fds * sizeof(uint32_t));
	}
	put_preview(o, uend_field(o, "  data"), p, avail, nr_bytes);
	if (o->json)
		fputc('}', o->f);
}

static void print_unix_pair(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_unix_pair);
	uint32_t ends = U32(r, ckpt_hdr_unix_pair, ends);
	const uint8_t *p = r->p + hlen;
	size_t avail = r->len - hlen;
	unsigned int i;

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_enum(o, "sock_type", U32(r, ckpt_hdr_unix_pair, type), sock_types,
		 ARRAY_SIZE(sock_types));
	put_hex(o, "ends", ends,
		ends == (CKPT_UNIX_END0 | CKPT_UNIX_END1) ? "end 0|end 1" :
		ends == CKPT_UNIX_END0 ? "end 0, end 1 closed" :
		ends == CKPT_UNIX_END1 ? "end 1, end 0 closed" : NULL);
	if (o->json) {
		field_begin(o, "end");
		fputc('[', o->f);
	}
	for (i = 0; i < 2; i++) {
		print_unix_end(o, r, i, p, avail);
		/* the arrays and data of end 0, then end 1's */
		uend_skip(&p, &avail, unix_end_len(r, i));
	}
	if (o->json) {
		fputc(']', o->f);
		o->first = false;
	}
}

static const char *const pty_flags[] = {
	"LOCKED", "PACKET", "STOPPED", "TCOOFF", "SLAVE_CLOSED",
};

static const char *const tiocpkt_names[] = {
	"TIOCPKT_FLUSHREAD", "TIOCPKT_FLUSHWRITE", "TIOCPKT_STOP", "TIOCPKT_START",
	"TIOCPKT_NOSTOP", "TIOCPKT_DOSTOP", "TIOCPKT_IOCTL",
};

static const char *const ttyq_flags[] = { "LNEXT", "ERASING", "PUSH" };

static const char *const acc_names[] = { "O_RDONLY", "O_WRONLY", "O_RDWR" };

/*
 * The names of the bits of @v, bit i that of @names[i] for the @n first,
 * with "|" between, into @buf; "none" for 0
 */
static const char *bit_names(uint32_t v, const char *const *names, size_t n, char *buf,
			     size_t len)
{
	uint32_t known = (1U << n) - 1;
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < n && k < len; i++)
		if (v & (1U << i))
			k += snprintf(buf + k, len - k, "%s%s", k ? "|" : "", names[i]);
	if (v & ~known && k < len)
		snprintf(buf + k, len - k, "%sunknown %#x", k ? "|" : "", v & ~known);
	if (!v)
		snprintf(buf, len, "none");
	return buf;
}

#define ENDS_PREVIEW	16	/* line ends of a pty queue printed */

/*
 * Queue @i of a pty, whose data, pending bytes and line ends are the
 * @avail bytes at @p: in text a line saying whose reader it waits for
 * then a line a field, in JSON an object.  The line ends are the offsets
 * of the bytes that end a line, bits past canon included.
 */
static void print_tty_queue(struct out *o, const struct rec *r, unsigned int i,
			    const uint8_t *p, size_t avail)
{
	uint32_t len = get_u32(r->p + TTYQ_OFF(i, len));
	uint32_t canon = get_u32(r->p + TTYQ_OFF(i, canon));
	uint32_t pending = get_u32(r->p + TTYQ_OFF(i, pending));
	uint32_t flags = get_u32(r->p + TTYQ_OFF(i, flags));
	uint64_t bits = ((uint64_t)canon + 7) / 8 * 8, j;
	uint32_t n = 0, shown = 0;
	char name[24], names[64], note[40];

	if (o->json) {
		fprintf(o->f, "%s{", i ? ", " : "");
		o->first = true;
		put_u64(o, "queue", i, NULL);
		field_begin(o, "reader");
		fputs(i ? "\"master\"" : "\"slave\"", o->f);
	} else {
		snprintf(name, sizeof(name), "in %u", i);
		field_begin(o, name);
		fputs(i ? "for the master's reader" : "for the slave's reader", o->f);
		field_end(o, NULL);
	}
	put_u64(o, uend_field(o, "  len"), len, NULL);
	put_u64(o, uend_field(o, "  canon"), canon, canon ? "in whole lines" : NULL);
	put_u64(o, uend_field(o, "  pending"), pending,
		pending ? "not taken in by the line discipline" : NULL);
	put_hex(o, uend_field(o, "  flags"), flags,
		bit_names(flags, ttyq_flags, ARRAY_SIZE(ttyq_flags), names, sizeof(names)));
	put_u64(o, uend_field(o, "  column"), get_u32(r->p + TTYQ_OFF(i, column)), NULL);
	put_u64(o, uend_field(o, "  canon_column"), get_u32(r->p + TTYQ_OFF(i, canon_column)),
		NULL);

	/* what the record holds of them */
	put_preview(o, uend_field(o, "  data"), p, avail, len);
	uend_skip(&p, &avail, len);
	put_preview(o, uend_field(o, "  pending_data"), p, avail, pending);
	uend_skip(&p, &avail, pending);
	if (bits > (uint64_t)avail * 8)
		bits = (uint64_t)avail * 8;
	field_begin(o, uend_field(o, "  ends"));
	if (o->json)
		fputc('[', o->f);
	for (j = 0; j < bits; j++) {
		if (!(p[j / 8] & (1U << (j % 8))))
			continue;
		if (n++ < ENDS_PREVIEW)
			fprintf(o->f, "%s%llu", shown++ ? (o->json ? ", " : " ") : "",
				(unsigned long long)j);
	}
	if (o->json)
		fputc(']', o->f);
	else if (!n)
		fputs("-", o->f);
	snprintf(note, sizeof(note), "the first %u of %u", shown, n);
	field_end(o, shown < n ? note : NULL);
	if (o->json)
		fputc('}', o->f);
}

/*
 * A pty: its state, the termios and window size of its slave, the path
 * of its ptmx device, then its two queues
 */
static void print_pty(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_pty);
	const size_t ncc = sizeof(((struct ckpt_termios *)0)->c_cc);
	const uint8_t *cc = r->p + offsetof(struct ckpt_hdr_pty, termios.c_cc);
	uint32_t index = U32(r, ckpt_hdr_pty, index);
	uint32_t flags = U32(r, ckpt_hdr_pty, flags);
	uint32_t path_len = U32(r, ckpt_hdr_pty, path_len);
	uint32_t lflag = U32(r, ckpt_hdr_pty, termios.c_lflag);
	uint8_t pkt = r->p[offsetof(struct ckpt_hdr_pty, pktstatus)];
	uint8_t line = r->p[offsetof(struct ckpt_hdr_pty, termios.c_line)];
	const uint8_t *p = r->p + hlen;
	size_t avail = r->len - hlen, i;
	char names[128], note[40];

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	/* "index" is the record's, in JSON */
	snprintf(note, sizeof(note), "/dev/pts/%u, not kept", index);
	put_u64(o, "pts_index", index, note);
	put_hex(o, "flags", flags,
		bit_names(flags, pty_flags, ARRAY_SIZE(pty_flags), names, sizeof(names)));
	put_enum(o, "master_acc", U32(r, ckpt_hdr_pty, master_acc), acc_names,
		 ARRAY_SIZE(acc_names));
	put_s64(o, "session", S32(r, ckpt_hdr_pty, session),
		S32(r, ckpt_hdr_pty, session) ? "its controlling terminal" : "none saved");
	put_s64(o, "fg_pgrp", S32(r, ckpt_hdr_pty, fg_pgrp),
		S32(r, ckpt_hdr_pty, fg_pgrp) ? "the foreground group" : NULL);
	put_hex(o, "pktstatus", pkt, pkt ? bit_names(pkt, tiocpkt_names,
						     ARRAY_SIZE(tiocpkt_names), names,
						     sizeof(names)) : NULL);
	put_hex(o, "c_iflag", U32(r, ckpt_hdr_pty, termios.c_iflag), NULL);
	put_hex(o, "c_oflag", U32(r, ckpt_hdr_pty, termios.c_oflag), NULL);
	put_hex(o, "c_cflag", U32(r, ckpt_hdr_pty, termios.c_cflag), NULL);
	put_hex(o, "c_lflag", lflag, lflag & K_ICANON ? "ICANON" : "not ICANON");
	put_u64(o, "c_line", line, line == K_N_TTY ? "N_TTY" : NULL);
	field_begin(o, "c_cc");
	if (o->json)
		fputc('[', o->f);
	for (i = 0; i < ncc; i++)
		fprintf(o->f, "%s%u", i ? (o->json ? ", " : " ") : "", cc[i]);
	if (o->json)
		fputc(']', o->f);
	field_end(o, NULL);
	put_u64(o, "c_ispeed", U32(r, ckpt_hdr_pty, termios.c_ispeed), NULL);
	put_u64(o, "c_ospeed", U32(r, ckpt_hdr_pty, termios.c_ospeed), NULL);
	put_u64(o, "ws_row", U16(r, ckpt_hdr_pty, ws_row), NULL);
	put_u64(o, "ws_col", U16(r, ckpt_hdr_pty, ws_col), NULL);
	put_u64(o, "ws_xpixel", U16(r, ckpt_hdr_pty, ws_xpixel), NULL);
	put_u64(o, "ws_ypixel", U16(r, ckpt_hdr_pty, ws_ypixel), NULL);
	put_u64(o, "path_len", path_len, NULL);
	/* what the record holds of them */
	put_str(o, "path", p, path_len < avail ? path_len : avail);
	uend_skip(&p, &avail, path_len);
	if (o->json) {
		field_begin(o, "in");
		fputc('[', o->f);
	}
	for (i = 0; i < 2; i++) {
		print_tty_queue(o, r, i, p, avail);
		/* the bytes of in[0], then in[1]'s */
		uend_skip(&p, &avail, tty_queue_len(r, i));
	}
	if (o->json) {
		fputc(']', o->f);
		o->first = false;
	}
}

static const char *const tcp_flags[] = {
	"SACK", "TIMESTAMPS", "WSCALE", "RCV_FIN", "SND_FIN"
};

/*
 * A TCP connection: its addresses, sequence numbers, windows and
 * options, then what the record holds of the bytes received and of
 * those to send.
 */
static void print_tcp(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_tcp);
	uint32_t flags = U16(r, ckpt_hdr_tcp, flags);
	uint32_t addr_len = U32(r, ckpt_hdr_tcp, addr_len);
	uint32_t peer_len = U32(r, ckpt_hdr_tcp, peer_len);
	uint32_t snd_len = U32(r, ckpt_hdr_tcp, snd_len);
	uint32_t unsent_len = U32(r, ckpt_hdr_tcp, unsent_len);
	uint32_t rcv_len = U32(r, ckpt_hdr_tcp, rcv_len);
	uint32_t tsval = U32(r, ckpt_hdr_tcp, tsval);
	const uint8_t *p = r->p + hlen;
	size_t avail = r->len - hlen;
	char names[64];

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_enum(o, "family", U16(r, ckpt_hdr_tcp, family), sock_families,
		 ARRAY_SIZE(sock_families));
	put_hex(o, "flags", flags,
		bit_names(flags, tcp_flags, ARRAY_SIZE(tcp_flags), names, sizeof(names)));
	put_u64(o, "addr_len", addr_len, NULL);
	put_sock_addr(o, "addr", r->p + offsetof(struct ckpt_hdr_tcp, addr), addr_len);
	put_u64(o, "peer_len", peer_len, NULL);
	put_sock_addr(o, "peer", r->p + offsetof(struct ckpt_hdr_tcp, peer), peer_len);
	put_u64(o, "snd_una", U32(r, ckpt_hdr_tcp, snd_una), "first byte not acknowledged");
	put_u64(o, "copied_seq", U32(r, ckpt_hdr_tcp, copied_seq), "first byte not read");
	put_u64(o, "snd_len", snd_len, "bytes to send");
	put_u64(o, "unsent_len", unsent_len, unsent_len ? "of them not sent yet" : NULL);
	put_u64(o, "rcv_len", rcv_len, "bytes received");
	put_u64(o, "snd_wl1", U32(r, ckpt_hdr_tcp, snd_wl1), NULL);
	put_u64(o, "snd_wnd", U32(r, ckpt_hdr_tcp, snd_wnd), NULL);
	put_u64(o, "max_window", U32(r, ckpt_hdr_tcp, max_window), NULL);
	put_u64(o, "rcv_wnd", U32(r, ckpt_hdr_tcp, rcv_wnd), NULL);
	put_u64(o, "rcv_wup", U32(r, ckpt_hdr_tcp, rcv_wup), NULL);
	put_u64(o, "tsval", tsval, !(flags & CKPT_TCP_TIMESTAMPS) ? NULL :
		tsval & 1 ? "microseconds" : "milliseconds");
	put_u64(o, "mss_clamp", U16(r, ckpt_hdr_tcp, mss_clamp), NULL);
	put_u64(o, "snd_wscale", r->p[offsetof(struct ckpt_hdr_tcp, snd_wscale)], NULL);
	put_u64(o, "rcv_wscale", r->p[offsetof(struct ckpt_hdr_tcp, rcv_wscale)], NULL);
	put_s64(o, "sndbuf", S32(r, ckpt_hdr_tcp, sndbuf), "bytes");
	put_s64(o, "rcvbuf", S32(r, ckpt_hdr_tcp, rcvbuf), "bytes");
	/* what the record holds of them: the bytes received, then to send */
	put_preview(o, "rcv_data", p, avail, rcv_len);
	uend_skip(&p, &avail, rcv_len);
	put_preview(o, "snd_data", p, avail, snd_len);
}

/*
 * The connections a listening TCP socket holds for accept(2): the
 * objrefs of their CKPT_HDR_TCP records, in the order accept(2) takes
 * them, as many as the record holds
 */
static void print_tcp_accept(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_tcp_accept);
	uint32_t nr = U32(r, ckpt_hdr_tcp_accept, nr_conns);

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_u64(o, "nr_conns", nr, NULL);
	put_u32_list(o, "tcp_refs", r->p + hlen, nr, r->len - hlen);
}

static const char *const netdev_kinds[] = {
	[CKPT_NETDEV_LOOPBACK] = "loopback",
	[CKPT_NETDEV_DUMMY] = "dummy",
	[CKPT_NETDEV_VETH] = "veth",
};

static const char *const netdev_flags[] = {
	"UP", "NOARP", "MULTICAST", "PROMISC", "ALLMULTI",
};

static const char *const route_flags[] = { "GATEWAY", "PREFSRC", "ONLINK" };

/* RTN_*, as ip(8) names them */
static const char *const route_types[] = {
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
	"blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve",
};

/* RTPROT_*, as ip(8) names them */
static const char *const route_protos[] = {
	[0] = "unspec", [1] = "redirect", [2] = "kernel", [3] = "boot",
	[4] = "static", [8] = "gated", [9] = "ra", [10] = "mrt", [11] = "zebra",
	[12] = "bird", [13] = "dnrouted", [14] = "xorp", [15] = "ntk",
	[16] = "dhcp", [17] = "mrouted", [18] = "keepalived",
};

/* An IPv4 or IPv6 address as ip(8) writes it; of another family, 16 bytes in hex */
static const char *net_ip(uint16_t family, const uint8_t *a, char *buf, size_t len)
{
	size_t i, n = 0;

	if (family == K_AF_INET) {
		snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		return buf;
	}
	if (family == K_AF_INET6 && inet_ntop(AF_INET6, a, buf, len))
		return buf;
	buf[0] = '\0';
	for (i = 0; i < 16 && n + 3 <= len; i++)
		n += snprintf(buf + n, len - n, "%02x", a[i]);
	return buf;
}

/* The first @len bytes, at most CKPT_NETDEV_ADDR_LEN, of a hardware address */
static const char *net_hwaddr(const uint8_t *a, uint32_t len, char *buf, size_t size)
{
	size_t i, n = 0;

	if (len > CKPT_NETDEV_ADDR_LEN)
		len = CKPT_NETDEV_ADDR_LEN;
	buf[0] = '\0';
	for (i = 0; i < len && n + 4 <= size; i++)
		n += snprintf(buf + n, size - n, "%s%02x", i ? ":" : "", a[i]);
	return buf;
}

/* RT_SCOPE_*, as ip(8) names them, or NULL */
static const char *net_scope(uint8_t scope)
{
	switch (scope) {
	case 0: return "global";
	case 200: return "site";
	case 253: return "link";
	case 254: return "host";
	case 255: return "nowhere";
	}
	return NULL;
}

static void put_ip(struct out *o, const char *name, uint16_t family, const uint8_t *a)
{
	char buf[64];

	net_ip(family, a, buf, sizeof(buf));
	put_str(o, name, (const uint8_t *)buf, strlen(buf));
}

/*
 * Device @i of a net record, at @d: in text a line, in JSON an object.
 * A veth names its peer by ifindex, or has that of its peer outside.
 */
static void print_netdev(struct out *o, const uint8_t *d, uint32_t i)
{
#define ND(f)	(d + offsetof(struct ckpt_netdev, f))
	uint32_t kind = get_u32(ND(kind)), flags = get_u32(ND(flags));
	uint32_t peer_flags = get_u32(ND(peer_flags)), addr_len = get_u32(ND(addr_len));
	int32_t peer = get_u32(ND(peer_ifindex));
	char name[24], hw[32], names[64];
	bool outside = !peer && (ND(peer_name)[0] || peer_flags || get_u32(ND(peer_mtu)));

	if (o->json) {
		fprintf(o->f, "%s{", i ? ", " : "");
		o->first = true;
		put_s64(o, "ifindex", (int32_t)get_u32(ND(ifindex)), NULL);
		put_enum(o, "kind", kind, netdev_kinds, ARRAY_SIZE(netdev_kinds));
		put_str(o, "name", ND(name), K_IFNAMSIZ);
		put_hex(o, "flags", flags, NULL);
		put_u64(o, "mtu", get_u32(ND(mtu)), NULL);
		put_u64(o, "addr_len", addr_len, NULL);
		net_hwaddr(ND(addr), addr_len, hw, sizeof(hw));
		put_str(o, "hwaddr", (const uint8_t *)hw, strlen(hw));
		put_s64(o, "peer_ifindex", peer, NULL);
		put_str(o, "peer_name", ND(peer_name), K_IFNAMSIZ);
		put_hex(o, "peer_flags", peer_flags, NULL);
		put_u64(o, "peer_mtu", get_u32(ND(peer_mtu)), NULL);
		net_hwaddr(ND(peer_addr), addr_len, hw, sizeof(hw));
		put_str(o, "peer_hwaddr", (const uint8_t *)hw, strlen(hw));
		fputc('}', o->f);
		return;
	}
	snprintf(name, sizeof(name), "dev %u", i);
	field_begin(o, name);
	fprintf(o->f, "ifindex %d ", (int32_t)get_u32(ND(ifindex)));
	put_quoted(o, ND(name), K_IFNAMSIZ);
	fprintf(o->f, " %s flags 0x%x (%s) mtu %u",
		kind < ARRAY_SIZE(netdev_kinds) && netdev_kinds[kind] ? netdev_kinds[kind] :
		"unknown", flags,
		bit_names(flags, netdev_flags, ARRAY_SIZE(netdev_flags), names, sizeof(names)),
		get_u32(ND(mtu)));
	fprintf(o->f, " hwaddr %s", addr_len ? net_hwaddr(ND(addr), addr_len, hw, sizeof(hw)) :
		"none");
	if (peer) {
		fprintf(o->f, " peer %d", peer);
	} else if (outside) {
		fputs(" peer outside ", o->f);
		put_quoted(o, ND(peer_name), K_IFNAMSIZ);
		fprintf(o->f, " flags 0x%x (%s) mtu %u", peer_flags,
			bit_names(peer_flags, netdev_flags, ARRAY_SIZE(netdev_flags), names,
				  sizeof(names)),
			get_u32(ND(peer_mtu)));
		if (addr_len)
			fprintf(o->f, " hwaddr %s",
				net_hwaddr(ND(peer_addr), addr_len, hw, sizeof(hw)));
	}
	field_end(o, NULL);
#undef ND
}

/* Address @i of a net record, at @a: in text a line, in JSON an object */
static void print_netaddr(struct out *o, const uint8_t *a, uint32_t i)
{
#define NA(f)	(a + offsetof(struct ckpt_netaddr, f))
	uint16_t family = get_u16(NA(family));
	uint8_t scope = *NA(scope);
	uint32_t flags = get_u32(NA(flags));
	char name[24], ip[64];
	const char *s = net_scope(scope);

	if (o->json) {
		fprintf(o->f, "%s{", i ? ", " : "");
		o->first = true;
		put_s64(o, "ifindex", (int32_t)get_u32(NA(ifindex)), NULL);
		put_enum(o, "family", family, sock_families, ARRAY_SIZE(sock_families));
		put_ip(o, "local", family, NA(local));
		put_u64(o, "prefixlen", *NA(prefixlen), NULL);
		put_ip(o, "address", family, NA(address));
		put_ip(o, "broadcast", K_AF_INET, NA(broadcast));
		put_u64(o, "scope", scope, NULL);
		put_hex(o, "flags", flags, NULL);
		put_str(o, "label", NA(label), K_IFNAMSIZ);
		fputc('}', o->f);
		return;
	}
	snprintf(name, sizeof(name), "addr %u", i);
	field_begin(o, name);
	fprintf(o->f, "ifindex %d %s/%u", (int32_t)get_u32(NA(ifindex)),
		net_ip(family, NA(local), ip, sizeof(ip)), *NA(prefixlen));
	if (memcmp(NA(local), NA(address), 16))
		fprintf(o->f, " peer %s", net_ip(family, NA(address), ip, sizeof(ip)));
	if (family != K_AF_INET6)
		fprintf(o->f, " brd %s", net_ip(K_AF_INET, NA(broadcast), ip, sizeof(ip)));
	if (s)
		fprintf(o->f, " scope %u (%s)", scope, s);
	else
		fprintf(o->f, " scope %u", scope);
	fprintf(o->f, " flags 0x%x", flags);
	if (flags)
		fprintf(o->f, " (%s%s)", flags & CKPT_NETADDR_NOPREFIXROUTE ? "NOPREFIXROUTE" : "",
			flags & ~CKPT_NETADDR_ALL ? (flags & CKPT_NETADDR_ALL ? "|unknown" :
						     "unknown") : "");
	if (NA(label)[0]) {
		fputs(" label ", o->f);
		put_quoted(o, NA(label), K_IFNAMSIZ);
	}
	field_end(o, family == K_AF_INET ? "IPv4" : family == K_AF_INET6 ? "IPv6" :
		  "unknown family");
#undef NA
}

/* Route @i of a net record, at @rt: in text a line, in JSON an object */
static void print_netroute(struct out *o, const uint8_t *rt, uint32_t i)
{
#define NR(f)	(rt + offsetof(struct ckpt_netroute, f))
	uint16_t family = get_u16(NR(family));
	uint8_t proto = *NR(protocol), type = *NR(type), scope = *NR(scope);
	uint32_t flags = get_u32(NR(flags));
	char name[24], ip[64], names[64];
	const char *s = net_scope(scope);

	if (o->json) {
		fprintf(o->f, "%s{", i ? ", " : "");
		o->first = true;
		put_enum(o, "family", family, sock_families, ARRAY_SIZE(sock_families));
		put_ip(o, "dst", family, NR(dst));
		put_u64(o, "dst_len", *NR(dst_len), NULL);
		put_u64(o, "tos", *NR(tos), NULL);
		put_enum(o, "protocol", proto, route_protos, ARRAY_SIZE(route_protos));
		put_u64(o, "scope", scope, NULL);
		put_enum(o, "type", type, route_types, ARRAY_SIZE(route_types));
		put_hex(o, "flags", flags, NULL);
		put_s64(o, "oif", (int32_t)get_u32(NR(oif)), NULL);
		put_u64(o, "metric", get_u32(NR(priority)), NULL);
		field_begin(o, "gateway");
		if (flags & CKPT_ROUTE_GATEWAY)
			fprintf(o->f, "\"%s\"", net_ip(family, NR(gateway), ip, sizeof(ip)));
		else
			fputs("null", o->f);
		field_begin(o, "prefsrc");
		if (flags & CKPT_ROUTE_PREFSRC)
			fprintf(o->f, "\"%s\"", net_ip(family, NR(prefsrc), ip, sizeof(ip)));
		else
			fputs("null", o->f);
		fputc('}', o->f);
		return;
	}
	snprintf(name, sizeof(name), "route %u", i);
	field_begin(o, name);
	fprintf(o->f, "%s/%u", net_ip(family, NR(dst), ip, sizeof(ip)), *NR(dst_len));
	if (flags & CKPT_ROUTE_GATEWAY)
		fprintf(o->f, " via %s", net_ip(family, NR(gateway), ip, sizeof(ip)));
	fprintf(o->f, " oif %d metric %u", (int32_t)get_u32(NR(oif)), get_u32(NR(priority)));
	if (flags & CKPT_ROUTE_PREFSRC)
		fprintf(o->f, " src %s", net_ip(family, NR(prefsrc), ip, sizeof(ip)));
	fprintf(o->f, " type %s proto %s",
		type < ARRAY_SIZE(route_types) ? route_types[type] : "unknown",
		proto < ARRAY_SIZE(route_protos) && route_protos[proto] ?
		route_protos[proto] : "unknown");
	if (s)
		fprintf(o->f, " scope %u (%s)", scope, s);
	else
		fprintf(o->f, " scope %u", scope);
	fprintf(o->f, " tos %u flags 0x%x (%s)", *NR(tos), flags,
		bit_names(flags, route_flags, ARRAY_SIZE(route_flags), names, sizeof(names)));
	field_end(o, family == K_AF_INET ? "IPv4" : family == K_AF_INET6 ? "IPv6" :
		  "unknown family");
#undef NR
}

/*
 * How many of @nr elements of @size bytes at @off a record holds, whose
 * counts may not match its length
 */
static uint32_t net_fit(const struct rec *r, uint64_t off, uint32_t nr, size_t size)
{
	uint64_t room = off < r->len ? (r->len - off) / size : 0;

	return nr < room ? nr : room;
}

/* Begin (@name) or end (NULL) the JSON array of the elements of a net record */
static void net_list(struct out *o, const char *name)
{
	if (!o->json)
		return;
	if (name) {
		field_begin(o, name);
		fputc('[', o->f);
	} else {
		fputc(']', o->f);
		o->first = false;
	}
}

/*
 * The network namespace of a container: its devices, their addresses,
 * and the routes a user added, then what the record holds of them.
 */
static void print_net(struct out *o, const struct rec *r)
{
	const size_t dsize = sizeof(struct ckpt_netdev);
	const size_t asize = sizeof(struct ckpt_netaddr);
	const size_t rsize = sizeof(struct ckpt_netroute);
	uint32_t nd = U32(r, ckpt_hdr_net, nr_devs), na = U32(r, ckpt_hdr_net, nr_addrs);
	uint32_t nr = U32(r, ckpt_hdr_net, nr_routes), n, i;
	uint64_t off = sizeof(struct ckpt_hdr_net);

	put_u64(o, "nr_devs", nd, NULL);
	put_u64(o, "nr_addrs", na, NULL);
	put_u64(o, "nr_routes", nr, NULL);
	net_list(o, "devs");
	n = net_fit(r, off, nd, dsize);
	for (i = 0; i < n; i++)
		print_netdev(o, r->p + off + i * dsize, i);
	net_list(o, NULL);
	off += (uint64_t)nd * dsize;
	net_list(o, "addrs");
	n = net_fit(r, off, na, asize);
	for (i = 0; i < n; i++)
		print_netaddr(o, r->p + off + i * asize, i);
	net_list(o, NULL);
	off += (uint64_t)na * asize;
	net_list(o, "routes");
	n = net_fit(r, off, nr, rsize);
	for (i = 0; i < n; i++)
		print_netroute(o, r->p + off + i * rsize, i);
	net_list(o, NULL);
}

static const char *const lock_kinds[] = {
	[CKPT_LOCK_FLOCK] = "flock",
	[CKPT_LOCK_OFD] = "ofd",
	[CKPT_LOCK_POSIX] = "posix",
};

static const char *const lock_types[] = {
	[K_F_RDLCK] = "F_RDLCK",
	[K_F_WRLCK] = "F_WRLCK",
};

static void print_file_locks(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_file_locks);
	uint32_t nr = U32(r, ckpt_hdr_file_locks, nr_locks), i, kind, type;
	const char *kname, *tname;
	int64_t start, end;
	char name[24];
	int32_t fd;

	put_u64(o, "nr_locks", nr, NULL);
	if (nr > (r->len - hlen) / sizeof(struct ckpt_file_lock))
		nr = (r->len - hlen) / sizeof(struct ckpt_file_lock);
	if (o->json) {
		field_begin(o, "locks");
		fputc('[', o->f);
	}
	for (i = 0; i < nr; i++) {
		kind = get_u32(r->p + LOCK_OFF(i, kind));
		fd = (int32_t)get_u32(r->p + LOCK_OFF(i, fd));
		type = get_u32(r->p + LOCK_OFF(i, type));
		start = (int64_t)get_u64(r->p + LOCK_OFF(i, start));
		end = (int64_t)get_u64(r->p + LOCK_OFF(i, end));
		kname = kind < ARRAY_SIZE(lock_kinds) && lock_kinds[kind] ?
			lock_kinds[kind] : "unknown";
		tname = type < ARRAY_SIZE(lock_types) ? lock_types[type] : "unknown";
		if (o->json) {
			fprintf(o->f, "%s{\"kind\": \"%s\", \"kind_num\": %u, \"fd\": %d, ",
				i ? ", " : "", kname, kind, fd);
			fprintf(o->f, "\"type\": \"%s\", \"type_num\": %u, ", tname, type);
			fprintf(o->f, "\"start\": %lld, \"end\": %lld}", (long long)start,
				(long long)end);
			continue;
		}
		snprintf(name, sizeof(name), "lock %u", i);
		field_begin(o, name);
		fprintf(o->f, "%s %s fd %d start %lld end %lld", kname, tname, fd,
			(long long)start, (long long)end);
		field_end(o, end == K_OFFSET_MAX ? "to the end of the file" : NULL);
	}
	if (o->json)
		fputc(']', o->f);
}

static void print_files(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_files);
	uint32_t nr = U32(r, ckpt_hdr_files, nr_fds), i, flags, ref;
	char name[24];
	int32_t fd;

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_u64(o, "nr_fds", nr, NULL);
	if (nr > (r->len - hlen) / sizeof(struct ckpt_fd))
		nr = (r->len - hlen) / sizeof(struct ckpt_fd);
	if (o->json) {
		field_begin(o, "fds");
		fputc('[', o->f);
	}
	for (i = 0; i < nr; i++) {
		fd = (int32_t)get_u32(r->p + FD_OFF(i, fd));
		flags = get_u32(r->p + FD_OFF(i, flags));
		ref = get_u32(r->p + FD_OFF(i, file_ref));
		if (o->json) {
			fprintf(o->f, "%s{\"fd\": %d, \"flags\": \"0x%x\", \"file_ref\": %u}",
				i ? ", " : "", fd, flags, ref);
			continue;
		}
		snprintf(name, sizeof(name), "fd %d", fd);
		field_begin(o, name);
		fprintf(o->f, "file_ref %u flags 0x%x", ref, flags);
		field_end(o, flags == CKPT_FD_CLOEXEC ? "close-on-exec" : NULL);
	}
	if (o->json)
		fputc(']', o->f);
}

static void print_fs(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_fs);
	uint32_t cwd_len = U32(r, ckpt_hdr_fs, cwd_len);
	uint32_t root_len = U32(r, ckpt_hdr_fs, root_len);
	size_t room = r->len - hlen;

	put_u64(o, "objref", U32(r, ckpt_hdr_obj, objref), NULL);
	put_oct(o, "umask", U32(r, ckpt_hdr_fs, umask), NULL);
	put_u64(o, "cwd_len", cwd_len, NULL);
	put_u64(o, "root_len", root_len, NULL);
	/* what the record holds of them */
	if (cwd_len > room)
		cwd_len = room;
	room -= cwd_len;
	if (root_len > room)
		root_len = room;
	put_str(o, "cwd", r->p + hlen, cwd_len);
	put_str(o, "root", r->p + hlen + cwd_len, root_len);
}

/* A watch of the inotify before it: the inode it watches, by path */
static void print_inotify_watch(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_inotify_watch);
	uint32_t mask = U32(r, ckpt_hdr_inotify_watch, mask);
	uint32_t mode = U32(r, ckpt_hdr_inotify_watch, mode);
	uint32_t path_len = U32(r, ckpt_hdr_inotify_watch, path_len);
	uint64_t dev = U64(r, ckpt_hdr_inotify_watch, dev);
	char names[400], dname[40];

	put_s64(o, "wd", S32(r, ckpt_hdr_inotify_watch, wd), NULL);
	put_hex(o, "mask", mask, inotify_mask_names(mask, names, sizeof(names)));
	put_u64(o, "ino", U64(r, ckpt_hdr_inotify_watch, ino), NULL);
	put_hex(o, "dev", dev, dev_name(dev, dname, sizeof(dname)));
	put_oct(o, "mode", mode, mode_type(mode));
	put_u64(o, "path_len", path_len, NULL);
	/* what the record holds of it */
	if (path_len > r->len - hlen)
		path_len = r->len - hlen;
	put_str(o, "path", r->p + hlen, path_len);
}

/* An event queued on the inotify before it, as read(2) gives it */
static void print_inotify_event(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_inotify_event);
	int32_t wd = S32(r, ckpt_hdr_inotify_event, wd);
	uint32_t mask = U32(r, ckpt_hdr_inotify_event, mask);
	uint32_t cookie = U32(r, ckpt_hdr_inotify_event, cookie);
	uint32_t name_len = U32(r, ckpt_hdr_inotify_event, name_len);
	char names[400];

	put_s64(o, "wd", wd, mask == K_IN_Q_OVERFLOW ? "the queue overflowed" : NULL);
	put_hex(o, "mask", mask, inotify_mask_names(mask, names, sizeof(names)));
	put_u64(o, "cookie", cookie, cookie ? "ties a rename's two events" : NULL);
	put_u64(o, "name_len", name_len, name_len ? NULL : "no name");
	/* what the record holds of it */
	if (name_len > r->len - hlen)
		name_len = r->len - hlen;
	put_str(o, "name", r->p + hlen, name_len);
}

static const char *const sched_policies[] = {
	[K_SCHED_NORMAL] = "SCHED_OTHER",
	[K_SCHED_FIFO] = "SCHED_FIFO",
	[K_SCHED_RR] = "SCHED_RR",
	[K_SCHED_BATCH] = "SCHED_BATCH",
	[K_SCHED_IDLE] = "SCHED_IDLE",
	[6] = "SCHED_DEADLINE",
	[7] = "SCHED_EXT",
};

static const char *const dumpable_names[] = {
	"SUID_DUMP_DISABLE", "SUID_DUMP_USER", "SUID_DUMP_ROOT",
};

/* A resource limit, RLIM_INFINITY as "unlimited" */
static void put_rlim(struct out *o, uint64_t v)
{
	if (v == K_RLIM_INFINITY)
		fputs(o->json ? "\"unlimited\"" : "unlimited", o->f);
	else
		fprintf(o->f, "%llu", (unsigned long long)v);
}

static const struct flag_name attr_flags[] = {
	{ CKPT_ATTR_NO_NEW_PRIVS, "no_new_privs" },
	{ CKPT_ATTR_CHILD_SUBREAPER, "child subreaper" },
	{ CKPT_ATTR_THP_DISABLE, "thp disabled" },
};

static void print_task_attrs(struct out *o, const struct rec *r)
{
	uint32_t flags = U32(r, ckpt_hdr_task_attrs, flags);
	uint32_t dumpable = U32(r, ckpt_hdr_task_attrs, dumpable);
	int32_t pdeath = S32(r, ckpt_hdr_task_attrs, pdeath_signal);
	char name[24], names[80];
	int i;

	if (o->json) {
		field_begin(o, "rlimits");
		fputc('[', o->f);
	}
	for (i = 0; i < CKPT_RLIM_NLIMITS; i++) {
		if (o->json) {
			fprintf(o->f, "%s{\"resource\": %d, \"name\": \"%s\", \"cur\": ",
				i ? ", " : "", i, rlimit_names[i]);
			put_rlim(o, get_u64(r->p + RLIM_OFF(i, cur)));
			fputs(", \"max\": ", o->f);
			put_rlim(o, get_u64(r->p + RLIM_OFF(i, max)));
			fputc('}', o->f);
			continue;
		}
		field_begin(o, rlimit_names[i]);
		fputs("cur ", o->f);
		put_rlim(o, get_u64(r->p + RLIM_OFF(i, cur)));
		fputs(" max ", o->f);
		put_rlim(o, get_u64(r->p + RLIM_OFF(i, max)));
		field_end(o, NULL);
	}
	if (o->json)
		fputc(']', o->f);
	put_s64(o, "nice", S32(r, ckpt_hdr_task_attrs, nice), NULL);
	put_enum(o, "policy", U32(r, ckpt_hdr_task_attrs, policy), sched_policies,
		 ARRAY_SIZE(sched_policies));
	put_u64(o, "rt_priority", U32(r, ckpt_hdr_task_attrs, rt_priority), NULL);
	if (flags)
		flag_names(flags, attr_flags, ARRAY_SIZE(attr_flags),
			   CKPT_ATTR_FLAGS_ALL, ", ", names, sizeof(names));
	put_hex(o, "flags", flags, flags ? names : NULL);
	put_s64(o, "pdeath_signal", pdeath,
		pdeath ? sig_name(pdeath, name, sizeof(name)) : NULL);
	put_u64(o, "dumpable", dumpable, dumpable < ARRAY_SIZE(dumpable_names) ?
		dumpable_names[dumpable] : NULL);
	put_hex(o, "clear_child_tid", TA(r, clear_child_tid), NULL);
	put_hex(o, "robust_list", TA(r, robust_list), NULL);
	put_u64(o, "robust_list_len", TA(r, robust_list_len), NULL);
	put_hex(o, "rseq", TA(r, rseq), NULL);
	put_u64(o, "rseq_len", U32(r, ckpt_hdr_task_attrs, rseq_len), NULL);
	put_hex(o, "rseq_sig", U32(r, ckpt_hdr_task_attrs, rseq_sig), NULL);
}

static const char *const restart_kinds[] = {
	[CKPT_RESTART_NANOSLEEP] = "nanosleep",
	[CKPT_RESTART_FUTEX_WAIT] = "futex_wait",
	[CKPT_RESTART_POLL] = "poll",
};

static void print_restart_block(struct out *o, const struct rec *r)
{
	uint32_t flags = U32(r, ckpt_hdr_restart_block, flags);

	put_enum(o, "kind", U32(r, ckpt_hdr_restart_block, kind), restart_kinds,
		 ARRAY_SIZE(restart_kinds));
	put_hex(o, "flags", flags, NULL);
	put_s64(o, "clockid", S32(r, ckpt_hdr_restart_block, clockid), NULL);
	put_u64(o, "val", U32(r, ckpt_hdr_restart_block, val), NULL);
	put_hex(o, "bitset", U32(r, ckpt_hdr_restart_block, bitset), NULL);
	put_u64(o, "nfds", U32(r, ckpt_hdr_restart_block, nfds), NULL);
	put_hex(o, "addr", U64(r, ckpt_hdr_restart_block, addr), NULL);
	put_u64(o, "timeout_ns", U64(r, ckpt_hdr_restart_block, timeout_ns),
		flags & CKPT_RESTART_TIMEOUT ? "left at the checkpoint" : NULL);
}

/* Nanoseconds as seconds, "-1.500000000 s", into @buf */
static const char *ns_secs(int64_t ns, char *buf, size_t len)
{
	uint64_t v = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;

	snprintf(buf, len, "%s%llu.%09llu s", ns < 0 ? "-" : "",
		 (unsigned long long)(v / K_NSEC_PER_SEC),
		 (unsigned long long)(v % K_NSEC_PER_SEC));
	return buf;
}

static const char *clock_name(int32_t clockid)
{
	static const char *const names[] = {
		"CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
		"CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW",
		"CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME",
		"CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", NULL, "CLOCK_TAI",
	};

	if (clockid >= 0 && (size_t)clockid < ARRAY_SIZE(names) && names[clockid])
		return names[clockid];
	return clockid < 0 ? "the CPU clock of a pid, or a clock of an fd" : "unknown";
}

static const char *sigev_name(int32_t notify)
{
	switch (notify) {
	case K_SIGEV_SIGNAL:
		return "SIGEV_SIGNAL";
	case K_SIGEV_NONE:
		return "SIGEV_NONE";
	case K_SIGEV_THREAD:
		return "SIGEV_THREAD";
	case K_SIGEV_THREAD_ID:
		return "SIGEV_THREAD_ID";
	}
	return "unknown";
}

/*
 * A number that has a name: in text the name is said after it, in JSON
 * it is the field @json_name.
 */
static void put_named(struct out *o, const char *name, const char *json_name,
		      int64_t v, const char *s)
{
	put_s64(o, name, v, s);
	if (o->json) {
		field_begin(o, json_name);
		put_quoted(o, (const uint8_t *)s, strlen(s));
	}
}

/* The name of a field of a timer, "  name": indented under it in text */
static inline const char *timer_field(const struct out *o, const char *name)
{
	return o->json ? name + 2 : name;
}

/* The timer at @t: in text a line with its id then a line a field, in JSON an object */
static void print_timer(struct out *o, const uint8_t *t, uint32_t i)
{
	int32_t id = (int32_t)get_u32(t + offsetof(struct ckpt_posix_timer, id));
	int32_t clockid = (int32_t)get_u32(t + offsetof(struct ckpt_posix_timer, clockid));
	int32_t notify = (int32_t)get_u32(t + offsetof(struct ckpt_posix_timer, notify));
	int32_t signo = (int32_t)get_u32(t + offsetof(struct ckpt_posix_timer, signo));
	int32_t tid = (int32_t)get_u32(t + offsetof(struct ckpt_posix_timer, notify_tid));
	uint32_t flags = get_u32(t + offsetof(struct ckpt_posix_timer, flags));
	int64_t value = (int64_t)get_u64(t + offsetof(struct ckpt_posix_timer, value));
	int64_t interval = (int64_t)get_u64(t + offsetof(struct ckpt_posix_timer, interval));
	uint32_t requeue = get_u32(t + offsetof(struct ckpt_posix_timer, requeue));
	bool cpu = clockid == K_CLOCK_PROCESS_CPUTIME_ID ||
		   clockid == K_CLOCK_THREAD_CPUTIME_ID;
	char name[24], secs[48], note[160], date[40];
	time_t tt;
	struct tm tm;
	size_t n;

	if (o->json) {
		fprintf(o->f, "%s{", i ? ", " : "");
		o->first = true;
		put_s64(o, "id", id, NULL);
	} else {
		snprintf(name, sizeof(name), "timer %u", i);
		field_begin(o, name);
		fprintf(o->f, "id %d", id);
		field_end(o, NULL);
	}
	put_named(o, timer_field(o, "  clockid"), "clock", clockid, clock_name(clockid));
	put_named(o, timer_field(o, "  notify"), "notify_name", notify, sigev_name(notify));
	snprintf(note, sizeof(note), "%s%s", sig_name(signo, name, sizeof(name)),
		 notify == K_SIGEV_NONE ? ", not sent: SIGEV_NONE" : "");
	put_named(o, timer_field(o, "  signo"), "signal", signo, note);
	put_s64(o, timer_field(o, "  notify_tid"), tid,
		notify & K_SIGEV_THREAD_ID ? "the thread it signals" : NULL);

	note[0] = '\0';
	n = 0;
	if (flags & CKPT_TIMER_ABSTIME)
		n += snprintf(note + n, sizeof(note) - n, "ABSTIME");
	if (flags & CKPT_TIMER_PENDING)
		n += snprintf(note + n, sizeof(note) - n, "%sPENDING: its signal is pending",
			      n ? "|" : "");
	if (flags & ~(CKPT_TIMER_ABSTIME | CKPT_TIMER_PENDING))
		snprintf(note + n, sizeof(note) - n, "%sunknown %#x", n ? "|" : "",
			 flags & ~(CKPT_TIMER_ABSTIME | CKPT_TIMER_PENDING));
	put_hex(o, timer_field(o, "  flags"), flags, note[0] ? note : NULL);
	put_hex(o, timer_field(o, "  sigval"),
		get_u64(t + offsetof(struct ckpt_posix_timer, sigval)), NULL);

	if (!value) {
		snprintf(note, sizeof(note), "%s", flags & CKPT_TIMER_PENDING ?
			 "disarmed: it expired, its signal is pending" : "disarmed");
	} else if (flags & CKPT_TIMER_ABSTIME) {
		tt = value / K_NSEC_PER_SEC;
		if (value > 0 && gmtime_r(&tt, &tm) &&
		    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm))
			snprintf(note, sizeof(note), "expires at %s.%09lld UTC", date,
				 (long long)(value % K_NSEC_PER_SEC));
		else
			snprintf(note, sizeof(note), "expires at %s of CLOCK_REALTIME",
				 ns_secs(value, secs, sizeof(secs)));
	} else {
		snprintf(note, sizeof(note), "%s%s left%s", ns_secs(value, secs, sizeof(secs)),
			 cpu ? " of CPU time" : "",
			 timer_waits(flags, interval, requeue) ?
			 " once its signal is taken" : "");
	}
	put_s64(o, timer_field(o, "  value"), value, note);
	if (interval)
		snprintf(note, sizeof(note), "every %s%s", ns_secs(interval, secs, sizeof(secs)),
			 cpu ? " of CPU time" : "");
	else
		snprintf(note, sizeof(note), "one-shot");
	put_s64(o, timer_field(o, "  interval"), interval, note);
	put_s64(o, timer_field(o, "  overrun"),
		(int64_t)get_u64(t + offsetof(struct ckpt_posix_timer, overrun)), NULL);
	put_s64(o, timer_field(o, "  overrun_last"),
		(int64_t)get_u64(t + offsetof(struct ckpt_posix_timer, overrun_last)),
		"what timer_getoverrun() returns");
	put_u64(o, timer_field(o, "  requeue"), requeue,
		requeue & K_REQUEUE_PENDING ? "odd: rearmed when its signal is taken" : NULL);
	if (o->json)
		fputc('}', o->f);
}

static void print_posix_timers(struct out *o, const struct rec *r)
{
	const size_t hlen = sizeof(struct ckpt_hdr_posix_timers);
	const size_t elen = sizeof(struct ckpt_posix_timer);
	uint32_t n = U32(r, ckpt_hdr_posix_timers, nr_timers), i;

	put_u64(o, "nr_timers", n, NULL);
	put_u64(o, "next_id", U32(r, ckpt_hdr_posix_timers, next_id),
		"of the next timer_create()");
	if (n > (r->len - hlen) / elen)
		n = (r->len - hlen) / elen;
	if (o->json) {
		field_begin(o, "timers");
		fputc('[', o->f);
	}
	for (i = 0; i < n; i++)
		print_timer(o, r->p + hlen + i * elen, i);
	if (o->json) {
		fputc(']', o->f);
		o->first = false;
	}
}

static const struct kind kinds[] = {
	{
		.type = CKPT_HDR_HEADER, .name = "header",
		.size = sizeof(struct ckpt_hdr_header),
		.min_len = sizeof(struct ckpt_hdr), .max_len = CKPT_RECORD_MAX,
		.print = print_header,
	}, {
		.type = CKPT_HDR_TAIL, .name = "tail",
		.size = sizeof(struct ckpt_hdr_tail),
		.min_len = sizeof(struct ckpt_hdr_tail),
		.max_len = sizeof(struct ckpt_hdr_tail),
		.print = print_tail,
	}, {
		.type = CKPT_HDR_ERROR, .name = "error",
		.size = sizeof(struct ckpt_hdr_error),
		.min_len = sizeof(struct ckpt_hdr_error), .max_len = CKPT_RECORD_MAX,
		.print = print_error,
	}, {
		.type = CKPT_HDR_TREE, .name = "tree",
		.size = sizeof(struct ckpt_hdr_tree),
		.min_len = sizeof(struct ckpt_hdr_tree),
		.max_len = sizeof(struct ckpt_hdr_tree) +
			   CKPT_TREE_MAX_TASKS * sizeof(struct ckpt_pids),
		.print = print_tree,
	}, {
		.type = CKPT_HDR_PIDNS, .name = "pidns",
		.size = sizeof(struct ckpt_hdr_pidns),
		.min_len = sizeof(struct ckpt_hdr_pidns), .max_len = PIDNS_MAX_LEN,
		.print = print_pidns,
	}, {
		.type = CKPT_HDR_NAMESPACES, .name = "namespaces",
		.size = sizeof(struct ckpt_hdr_namespaces),
		.min_len = sizeof(struct ckpt_hdr_namespaces),
		.max_len = sizeof(struct ckpt_hdr_namespaces),
		.print = print_namespaces,
	}, {
		.type = CKPT_HDR_NET, .name = "net",
		.size = sizeof(struct ckpt_hdr_net),
		.min_len = sizeof(struct ckpt_hdr_net), .max_len = CKPT_RECORD_MAX,
		.print = print_net,
	}, {
		.type = CKPT_HDR_TASK, .name = "task",
		.size = sizeof(struct ckpt_hdr_task),
		.min_len = sizeof(struct ckpt_hdr_task),
		.max_len = sizeof(struct ckpt_hdr_task),
		.print = print_task,
	}, {
		.type = CKPT_HDR_CRED, .name = "cred", .object = true,
		.size = sizeof(struct ckpt_hdr_cred),
		.min_len = sizeof(struct ckpt_hdr_cred),
		.max_len = sizeof(struct ckpt_hdr_cred) +
			   CKPT_CRED_MAX_GROUPS * sizeof(uint32_t),
		.check = check_cred, .print = print_cred,
	}, {
		.type = CKPT_HDR_MM, .name = "mm", .object = true,
		.size = sizeof(struct ckpt_hdr_mm),
		.min_len = sizeof(struct ckpt_hdr_mm),
		.max_len = sizeof(struct ckpt_hdr_mm) +
			   CKPT_MM_MAX_AUXV * sizeof(uint64_t) + CKPT_PATH_MAX,
		.check = check_mm, .print = print_mm,
	}, {
		.type = CKPT_HDR_VMA, .name = "vma",
		.size = sizeof(struct ckpt_hdr_vma),
		.min_len = sizeof(struct ckpt_hdr_vma),
		.max_len = sizeof(struct ckpt_hdr_vma) + CKPT_PATH_MAX,
		.print = print_vma,
	}, {
		.type = CKPT_HDR_PAGES, .name = "pages", .opaque = true,
		.size = sizeof(struct ckpt_hdr_pages),
		.min_len = sizeof(struct ckpt_hdr_pages),
		.max_len = sizeof(struct ckpt_hdr_pages) + CKPT_PAGES_MAX * K_PAGE_SIZE,
		.print = print_pages,
	}, {
		.type = CKPT_HDR_PAGES_COW, .name = "pages_cow",
		.size = sizeof(struct ckpt_hdr_pages),
		.min_len = sizeof(struct ckpt_hdr_pages),
		.max_len = sizeof(struct ckpt_hdr_pages),
		.print = print_pages,
	}, {
		.type = CKPT_HDR_SHMEM, .name = "shmem", .object = true,
		.size = sizeof(struct ckpt_hdr_shmem),
		.min_len = sizeof(struct ckpt_hdr_shmem),
		.max_len = sizeof(struct ckpt_hdr_shmem),
		.check = check_shmem, .print = print_shmem,
	}, {
		.type = CKPT_HDR_SHMEM_HUGETLB, .name = "shmem_hugetlb", .object = true,
		.size = sizeof(struct ckpt_hdr_shmem_hugetlb),
		.min_len = sizeof(struct ckpt_hdr_shmem_hugetlb),
		.max_len = sizeof(struct ckpt_hdr_shmem_hugetlb),
		.check = check_shmem_hugetlb, .print = print_shmem_hugetlb,
	}, {
		.type = CKPT_HDR_MEMFD, .name = "memfd", .object = true,
		.size = sizeof(struct ckpt_hdr_memfd),
		.min_len = sizeof(struct ckpt_hdr_memfd),
		.max_len = sizeof(struct ckpt_hdr_memfd) + CKPT_MEMFD_NAME_MAX,
		.check = check_memfd, .print = print_memfd,
	}, {
		.type = CKPT_HDR_IPC_SHM, .name = "ipc_shm", .object = true,
		.size = sizeof(struct ckpt_hdr_ipc_shm),
		.min_len = sizeof(struct ckpt_hdr_ipc_shm),
		.max_len = sizeof(struct ckpt_hdr_ipc_shm),
		.check = check_ipc_shm, .print = print_ipc_shm,
	}, {
		.type = CKPT_HDR_IPC_MSG, .name = "ipc_msg", .object = true,
		.size = sizeof(struct ckpt_hdr_ipc_msg),
		.min_len = sizeof(struct ckpt_hdr_ipc_msg),
		.max_len = sizeof(struct ckpt_hdr_ipc_msg),
		.check = check_ipc_msg, .print = print_ipc_msg,
	}, {
		.type = CKPT_HDR_IPC_MSG_TEXT, .name = "ipc_msg_text",
		.size = sizeof(struct ckpt_hdr_ipc_msg_text),
		.min_len = sizeof(struct ckpt_hdr_ipc_msg_text),
		.max_len = sizeof(struct ckpt_hdr_ipc_msg_text) + CKPT_IPC_MSG_MAX,
		.print = print_ipc_msg_text,
	}, {
		.type = CKPT_HDR_IPC_SEM, .name = "ipc_sem", .object = true,
		.size = sizeof(struct ckpt_hdr_ipc_sem),
		.min_len = sizeof(struct ckpt_hdr_ipc_sem),
		.max_len = sizeof(struct ckpt_hdr_ipc_sem) +
			   CKPT_IPC_SEMS_MAX * sizeof(uint16_t),
		.check = check_ipc_sem, .print = print_ipc_sem,
	}, {
		.type = CKPT_HDR_IPC_SEM_UNDO, .name = "ipc_sem_undo", .object = true,
		.size = sizeof(struct ckpt_hdr_ipc_sem_undo),
		.min_len = sizeof(struct ckpt_hdr_ipc_sem_undo),
		.max_len = sizeof(struct ckpt_hdr_ipc_sem_undo),
		.check = check_ipc_sem_undo, .print = print_ipc_sem_undo,
	}, {
		.type = CKPT_HDR_IPC_SEM_ADJ, .name = "ipc_sem_adj",
		.size = sizeof(struct ckpt_hdr_ipc_sem_adj),
		.min_len = sizeof(struct ckpt_hdr_ipc_sem_adj),
		.max_len = sizeof(struct ckpt_hdr_ipc_sem_adj) +
			   CKPT_IPC_SEMS_MAX * sizeof(int16_t),
		.print = print_ipc_sem_adj,
	}, {
		.type = CKPT_HDR_IPC_MQ_NS, .name = "ipc_mq_ns", .object = true,
		.size = sizeof(struct ckpt_hdr_ipc_mq_ns),
		.min_len = sizeof(struct ckpt_hdr_ipc_mq_ns),
		.max_len = sizeof(struct ckpt_hdr_ipc_mq_ns),
		.check = check_ipc_mq_ns, .print = print_ipc_mq_ns,
	}, {
		.type = CKPT_HDR_IPC_MQ, .name = "ipc_mq", .object = true,
		.size = sizeof(struct ckpt_hdr_ipc_mq),
		.min_len = sizeof(struct ckpt_hdr_ipc_mq),
		.max_len = sizeof(struct ckpt_hdr_ipc_mq),
		.check = check_ipc_mq, .print = print_ipc_mq,
	}, {
		.type = CKPT_HDR_IPC_MQ_MSG, .name = "ipc_mq_msg",
		.size = sizeof(struct ckpt_hdr_ipc_mq_msg),
		.min_len = sizeof(struct ckpt_hdr_ipc_mq_msg),
		.max_len = sizeof(struct ckpt_hdr_ipc_mq_msg) + CKPT_MQ_MSG_MAX,
		.print = print_ipc_mq_msg,
	}, {
		.type = CKPT_HDR_X86_REGS, .name = "x86_regs",
		.size = sizeof(struct ckpt_hdr_x86_regs),
		.min_len = sizeof(struct ckpt_hdr_x86_regs),
		.max_len = sizeof(struct ckpt_hdr_x86_regs),
		.print = print_regs,
	}, {
		.type = CKPT_HDR_X86_XSTATE, .name = "x86_xstate",
		.size = sizeof(struct ckpt_hdr_x86_xstate),
		.min_len = sizeof(struct ckpt_hdr_x86_xstate),
		.max_len = sizeof(struct ckpt_hdr_x86_xstate) + CKPT_X86_XSTATE_MAX,
		.print = print_xstate,
	}, {
		.type = CKPT_HDR_SIGHAND, .name = "sighand", .object = true,
		.size = sizeof(struct ckpt_hdr_sighand),
		.min_len = sizeof(struct ckpt_hdr_sighand),
		.max_len = sizeof(struct ckpt_hdr_sighand),
		.check = check_sighand, .print = print_sighand,
	}, {
		.type = CKPT_HDR_SIGNAL, .name = "signal", .object = true,
		.size = sizeof(struct ckpt_hdr_signal),
		.min_len = sizeof(struct ckpt_hdr_signal),
		.max_len = sizeof(struct ckpt_hdr_signal) +
			   CKPT_PENDING_MAX * CKPT_SIGINFO_SIZE,
		.check = check_signal, .print = print_signal,
	}, {
		.type = CKPT_HDR_TASK_SIGNALS, .name = "task_signals",
		.size = sizeof(struct ckpt_hdr_task_signals),
		.min_len = sizeof(struct ckpt_hdr_task_signals),
		.max_len = sizeof(struct ckpt_hdr_task_signals) +
			   CKPT_PENDING_MAX * CKPT_SIGINFO_SIZE,
		.print = print_task_signals,
	}, {
		.type = CKPT_HDR_TASK_ATTRS, .name = "task_attrs",
		.size = sizeof(struct ckpt_hdr_task_attrs),
		.min_len = sizeof(struct ckpt_hdr_task_attrs),
		.max_len = sizeof(struct ckpt_hdr_task_attrs),
		.print = print_task_attrs,
	}, {
		.type = CKPT_HDR_RESTART_BLOCK, .name = "restart_block",
		.size = sizeof(struct ckpt_hdr_restart_block),
		.min_len = sizeof(struct ckpt_hdr_restart_block),
		.max_len = sizeof(struct ckpt_hdr_restart_block),
		.print = print_restart_block,
	}, {
		.type = CKPT_HDR_POSIX_TIMERS, .name = "posix_timers",
		.size = sizeof(struct ckpt_hdr_posix_timers),
		.min_len = sizeof(struct ckpt_hdr_posix_timers),
		.max_len = sizeof(struct ckpt_hdr_posix_timers) +
			   CKPT_POSIX_TIMERS_MAX * sizeof(struct ckpt_posix_timer),
		.print = print_posix_timers,
	}, {
		.type = CKPT_HDR_PIPE, .name = "pipe", .object = true,
		.size = sizeof(struct ckpt_hdr_pipe),
		.min_len = sizeof(struct ckpt_hdr_pipe),
		.max_len = sizeof(struct ckpt_hdr_pipe) + CKPT_PIPE_MAX_SIZE,
		.check = check_pipe, .print = print_pipe,
	}, {
		.type = CKPT_HDR_UNIX_PAIR, .name = "unix_pair", .object = true,
		.size = sizeof(struct ckpt_hdr_unix_pair),
		.min_len = sizeof(struct ckpt_hdr_unix_pair),
		.max_len = sizeof(struct ckpt_hdr_unix_pair) +
			   2 * ((2 * CKPT_UNIX_MAX_MSGS + CKPT_UNIX_MAX_FDS) *
				sizeof(uint32_t) + CKPT_UNIX_MAX_BYTES),
		.check = check_unix_pair, .print = print_unix_pair,
	}, {
		.type = CKPT_HDR_TCP, .name = "tcp", .object = true,
		.size = sizeof(struct ckpt_hdr_tcp),
		.min_len = sizeof(struct ckpt_hdr_tcp),
		.max_len = sizeof(struct ckpt_hdr_tcp) + 2 * CKPT_TCP_QUEUE_MAX,
		.check = check_tcp, .print = print_tcp,
	}, {
		.type = CKPT_HDR_TCP_ACCEPT, .name = "tcp_accept", .object = true,
		.size = sizeof(struct ckpt_hdr_tcp_accept),
		.min_len = sizeof(struct ckpt_hdr_tcp_accept),
		.max_len = sizeof(struct ckpt_hdr_tcp_accept) +
			   CKPT_TCP_ACCEPT_MAX * sizeof(uint32_t),
		.check = check_tcp_accept, .print = print_tcp_accept,
	}, {
		.type = CKPT_HDR_PTY, .name = "pty", .object = true,
		.size = sizeof(struct ckpt_hdr_pty),
		.min_len = sizeof(struct ckpt_hdr_pty),
		.max_len = CKPT_PTY_MAX_LEN,
		.check = check_pty, .print = print_pty,
	}, {
		.type = CKPT_HDR_FILE, .name = "file", .object = true,
		.size = sizeof(struct ckpt_hdr_file),
		.min_len = sizeof(struct ckpt_hdr_file),
		.max_len = sizeof(struct ckpt_hdr_file) +
			   CKPT_EPOLL_MAX_ITEMS * sizeof(struct ckpt_epoll_item),
		.check = check_file, .print = print_file,
	}, {
		.type = CKPT_HDR_FILES, .name = "files", .object = true,
		.size = sizeof(struct ckpt_hdr_files),
		.min_len = sizeof(struct ckpt_hdr_files),
		.max_len = sizeof(struct ckpt_hdr_files) +
			   CKPT_FILES_MAX * sizeof(struct ckpt_fd),
		.check = check_files, .print = print_files,
	}, {
		.type = CKPT_HDR_FILE_LOCKS, .name = "file_locks",
		.size = sizeof(struct ckpt_hdr_file_locks),
		.min_len = sizeof(struct ckpt_hdr_file_locks),
		.max_len = sizeof(struct ckpt_hdr_file_locks) +
			   CKPT_LOCKS_MAX * sizeof(struct ckpt_file_lock),
		.print = print_file_locks,
	}, {
		.type = CKPT_HDR_INOTIFY_WATCH, .name = "inotify_watch",
		.size = sizeof(struct ckpt_hdr_inotify_watch),
		.min_len = sizeof(struct ckpt_hdr_inotify_watch) + 2,
		.max_len = sizeof(struct ckpt_hdr_inotify_watch) + CKPT_PATH_MAX,
		.print = print_inotify_watch,
	}, {
		.type = CKPT_HDR_INOTIFY_EVENT, .name = "inotify_event",
		.size = sizeof(struct ckpt_hdr_inotify_event),
		.min_len = sizeof(struct ckpt_hdr_inotify_event),
		.max_len = sizeof(struct ckpt_hdr_inotify_event) + K_NAME_MAX,
		.print = print_inotify_event,
	}, {
		.type = CKPT_HDR_FS, .name = "fs", .object = true,
		.size = sizeof(struct ckpt_hdr_fs),
		.min_len = sizeof(struct ckpt_hdr_fs),
		.max_len = sizeof(struct ckpt_hdr_fs) + 2 * CKPT_PATH_MAX,
		.check = check_fs, .print = print_fs,
	},
};

static const struct kind *find_kind(uint32_t type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kinds[i].type == type)
			return &kinds[i];
	return NULL;
}

static void print_record(struct out *o, const struct rec *r)
{
	const struct kind *k = find_kind(r->type);
	size_t max = k && k->opaque ? k->size : DUMP_BYTES;
	char note[80];

	if (o->json) {
		fprintf(o->f,
			"%s{\"index\": %lu, \"offset\": %zu, \"type\": \"%s\", \"type_num\": %u, \"len\": %u",
			r->index ? ",\n" : "",
			r->index, r->off, type_name(r->type), r->type, r->len);
		o->first = false;
	} else if (k) {
		fprintf(o->f, "record %lu at offset %zu: %s, len %u\n", r->index,
			r->off, k->name, r->len);
	} else {
		fprintf(o->f, "record %lu at offset %zu: unknown type %u, len %u\n",
			r->index, r->off, r->type, r->len);
	}

	if (r->len < sizeof(struct ckpt_hdr)) {
		put_note(o, "length is shorter than a record header");
	} else if (r->avail < r->len) {
		snprintf(note, sizeof(note), "truncated: %zu of %u bytes in the image",
			 r->avail, r->len);
		put_note(o, note);
		put_data(o, r, max);
	} else if (k && r->len >= k->size) {
		k->print(o, r);
	} else {
		if (k)
			put_note(o, "too short to decode");
		put_data(o, r, max);
	}
	if (o->json)
		fputc('}', o->f);
}

/*
 * Print every record that can be framed, up to the first tail.  Returns
 * the offset after the last record printed.
 */
static size_t dump(const struct image *im, struct out *o)
{
	unsigned long index = 0;
	size_t pos = 0, left;
	uint64_t end;
	struct rec r;

	while ((left = im->size - pos)) {
		if (left < sizeof(struct ckpt_hdr)) {
			if (!o->json)
				fprintf(o->f,
					"offset %zu: %zu bytes, too few for a record header\n",
					pos, left);
			break;
		}
		frame(im, pos, index++, &r);
		print_record(o, &r);
		if (r.len < sizeof(struct ckpt_hdr) || r.avail < r.len)
			break;
		end = align_rec(r.len);
		pos += end < left ? end : left;
		if (r.type == CKPT_HDR_TAIL)
			break;
	}
	return pos;
}

/* ---- main ---- */

static int read_all(int fd, uint8_t **bufp, size_t *sizep)
{
	size_t size = 0, cap = 64 * 1024;
	uint8_t *buf = malloc(cap), *nbuf;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (size == cap) {
			nbuf = cap < SIZE_MAX / 2 ? realloc(buf, 2 * cap) : NULL;
			if (!nbuf) {
				free(buf);
				return -ENOMEM;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + size, cap - size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			free(buf);
			return n;
		}
		if (!n)
			break;
		size += n;
	}
	*bufp = buf;
	*sizep = size;
	return 0;
}

static void usage_error(const char *msg)
{
	if (msg)
		fprintf(stderr, "ckptinfo: %s\n", msg);
	fprintf(stderr, "Try 'ckptinfo --help'.\n");
	exit(EXIT_USAGE);
}

static void print_problem(FILE *f, const struct image *im, const struct problem *pb)
{
	char type[32], name[32];

	if (!pb->has_type)
		snprintf(type, sizeof(type), "none");
	else if (find_kind(pb->type))
		snprintf(type, sizeof(type), "%s", type_name(pb->type));
	else
		snprintf(type, sizeof(type), "type %u", pb->type);
	fprintf(f, "ckptinfo: %s: offset %zu: record %lu (%s): %s (%s)\n", im->name,
		pb->offset, pb->record, type, pb->msg,
		errno_name(pb->err, name, sizeof(name)));
}

static void print_json_problem(struct out *o, const struct problem *pb)
{
	char name[32];

	fprintf(o->f, "{\"offset\": %zu, \"record\": %lu, \"type\": ", pb->offset,
		pb->record);
	if (pb->has_type)
		fprintf(o->f, "\"%s\", \"type_num\": %u", type_name(pb->type), pb->type);
	else
		fputs("null, \"type_num\": null", o->f);
	fprintf(o->f, ", \"errno\": \"%s\", \"errno_value\": %d, \"message\": ",
		errno_name(pb->err, name, sizeof(name)), pb->err);
	put_quoted(o, (const uint8_t *)pb->msg, strlen(pb->msg));
	fputc('}', o->f);
}

int main(int argc, char **argv)
{
	struct out o = { .f = stdout };
	bool validate = false;
	struct image im;
	struct problem pb;
	uint8_t *buf = NULL;
	size_t size = 0, end;
	int fd, c, err;

	while ((c = getopt_long(argc, argv, "jpch", long_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'p':
			o.pages = true;
			break;
		case 'c':
			validate = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			usage_error(NULL);
		}
	}
	if (argc - optind > 1)
		usage_error("too many arguments");
	if (o.json && validate)
		usage_error("--json and --validate do not go together");

	if (optind == argc || !strcmp(argv[optind], "-")) {
		im.name = "<stdin>";
		fd = STDIN_FILENO;
		if (isatty(fd))
			usage_error("refusing to read an image from a terminal");
	} else {
		im.name = argv[optind];
		fd = open(im.name, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "ckptinfo: %s: %s\n", im.name, strerror(errno));
			return EXIT_USAGE;
		}
	}
	err = read_all(fd, &buf, &size);
	if (err) {
		fprintf(stderr, "ckptinfo: %s: %s\n", im.name, strerror(-err));
		return EXIT_USAGE;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	im.buf = buf;
	im.size = size;

	check(&im, &pb);

	if (!validate) {
		if (o.json) {
			fputs("{\"file\": ", o.f);
			put_quoted(&o, (const uint8_t *)im.name, strlen(im.name));
			fprintf(o.f, ", \"size\": %zu, \"records\": [\n", im.size);
		}
		end = dump(&im, &o);
		if (o.json) {
			fprintf(o.f, "\n], \"trailing_bytes\": %zu, \"valid\": %s, \"error\": ",
				im.size - end, pb.err ? "false" : "true");
			if (pb.err)
				print_json_problem(&o, &pb);
			else
				fputs("null", o.f);
			fputs("}\n", o.f);
		} else {
			if (im.size > end && !pb.err)
				fprintf(o.f,
					"%zu bytes after the tail record, which restart(2) ignores\n",
					im.size - end);
			fprintf(o.f, "%s image, %zu bytes\n", pb.err ? "invalid" : "valid",
				im.size);
		}
		if (fflush(o.f) || ferror(o.f)) {
			fprintf(stderr, "ckptinfo: standard output: %s\n", strerror(errno));
			return EXIT_USAGE;
		}
	}
	free(buf);
	if (pb.err) {
		print_problem(stderr, &im, &pb);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
