// SPDX-License-Identifier: GPL-2.0
/*
 * A structure-aware fuzzer for restart(2).
 *
 * Seed images are checkpoints of real children made by the test: a
 * process holding every kind of resource the kernel saves (anonymous,
 * shared and file mappings, the vDSO, regular files, directories,
 * devices, inherited pipes, a working directory, handlers, queued
 * signals, an altstack, ITIMER_REAL, limits and prctl state), one in
 * sigsuspend(), one spinning in user mode, one running as nobody with
 * supplementary groups, one that checkpointed itself, a process with a
 * thread, a process with a child (and pidfds of both), one with a child
 * sharing its address space and handlers (clone(2) with CLONE_VM |
 * CLONE_SIGHAND, on a static stack) and a child waiting in vfork() for
 * its own, one whose child is the init of a pid namespace, with a zombie
 * in it and a process (which the init holds a pidfd of) whose child is
 * the init of a namespace below, with a child, one holding unix
 * socket pairs of each type with data queued, a TCP listener and a UDP
 * socket, a process and
 * its child sharing memory, one holding timerfds and an epoll (watched
 * by another) made before the files it watches, one holding memfds (open
 * twice, mapped shared and privately, sealed and mapped with its
 * descriptor closed, empty and made with MFD_NOEXEC_SEAL), one holding
 * flock(2), OFD and POSIX record locks, one in an IPC namespace of its
 * own holding a SysV shared memory segment (attached read-write and
 * read-only), a message queue with messages waiting and a semaphore set
 * it has an undo list for (SEM_UNDO), one holding two pseudo-terminals
 * (one in packet mode, in canonical mode, with input and output not read
 * yet, the other locked, its slave closed), one leading a session whose
 * controlling terminal is a pty, the group of its child in the
 * foreground, one in a network namespace of its own holding TCP
 * connections over IPv4 and IPv6 with bytes queued both ways, one
 * holding inotify instances (watches of a directory and of a file in it,
 * with IN_ONESHOT, and events queued: names, a rename's cookie, the
 * IN_IGNORED of a watch removed), and the image of a failed checkpoint
 * (a descriptor in flight on a unix socket).
 *
 * Each image is split into records and mutated with a seeded PRNG:
 * fields of every record kind (counts, lengths, object references,
 * flags, pids, the flags of a task in the tree (the address space and
 * handlers it shares with its parent, the vfork() its parent waits in),
 * the nested pid namespaces (their parents, inits and next pids, the
 * namespace of each task and of its children, by index, and the pids
 * of the tasks in them), registers, addresses, XSAVE header, siginfo, socket
 * families, types, states and addresses, message lengths, the flags of
 * a network namespace, the devices, addresses and routes of its
 * configuration (ifindexes, peers, kinds, flags, MTUs, hardware
 * addresses and their length, names, families, prefix lengths, scopes,
 * route types and protocols, and fresh elements when a count grows), the
 * addresses, sequence numbers, windows, options
 * and queue lengths of a TCP connection, the connections of an accept
 * queue, offsets in shared memory and
 * memfds, memfd seals and modes, timerfd clocks and
 * times, epoll items, the size and mtime of files, lock kinds, types,
 * descriptors and ranges, SysV IPC ids, keys, owners, modes, sizes,
 * flags, qbytes, message counts, types and sizes, semaphore counts and
 * values, the sets of an undo list and their adjustments, the limits of
 * POSIX message queues, their names, owners, modes, attributes, times
 * and notifications, their messages' priorities and sizes, pty flags,
 * packet status, sessions and foreground groups, termios, window sizes,
 * the lengths, flags and columns of what each side of a pty holds and
 * its line ends, the task of a pidfd, the size of the pages of hugetlb
 * memory, with the range of a mapping made hugetlb aligned to them, the
 * size and page size of shared memory of huge pages, the huge page size
 * of a SysV segment (given one when it is made of huge pages) and the
 * flags of a memfd with its huge page size, the
 * counts, next wd and queue length of an inotify, the wds, masks,
 * identities and types of its watches, the wds, masks, cookies and name
 * lengths of its events, ...),
 * the payload of a file or mapping by its kind (the end of a pty a file
 * is, ...), payload sizes kept consistent with their
 * counts (and the data of a unix socket with its messages, the items of
 * an epoll with its payload length, the lines of a pty queue with its
 * bytes), object references to ptys, paths
 * replaced by other files (with their real identity, to get past the
 * identity checks; that of a symbolic link itself for an inotify watch,
 * as restart does not follow it), records dropped, duplicated, swapped, moved,
 * retyped, taken from another seed or cut short, and random bytes.
 * Record lengths, the tail and objref numbering are fixed up most of
 * the time so that mutations reach the code behind the framing checks.
 *
 * Every image goes through restart(RESTART_VALIDATE) and a real
 * restart(2), both as root and as nobody, in a fresh process that has
 * an alarm armed.  Any result is accepted except:
 *
 *   - an errno outside the set documented in kernel/checkpoint/restart.c;
 *   - a refusal without a line on the log fd;
 *   - a call that does not return (the alarm fires);
 *   - a restored process that cannot be killed and reaped, or whose pid
 *     is not the one of the image;
 *   - a task left behind by a failed restart;
 *   - a kernel report (BUG, WARNING, KASAN, ...) in /dev/kmsg.
 *
 * Each failure is saved as a reproducer image named by seed and
 * iteration in $CKPT_FUZZ_DIR (default /tmp/ckpt-fuzz), with a .txt
 * file describing the mutations and the results.
 *
 * Environment:
 *   CKPT_FUZZ_SEED=N	the PRNG seed (default: from the clock; printed)
 *   CKPT_FUZZ_ITERS=N	images to fuzz: the long mode (test long_run)
 *   CKPT_FUZZ_REPORT=N	print the images per second every N images
 *   CKPT_FUZZ_DIR=DIR	where reproducers go
 *   CKPT_FUZZ_DUMP=1	also print reproducers in base64 on stdout
 *   CKPT_FUZZ_REPLAY=F	run the image in file F once and report (long_run)
 *   CKPT_FUZZ_ALARM=S	seconds one restart may take (default 30)
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#define CTL_FD		100	/* seed children block reading this fd */
#define REP_FD		99	/* they say they are ready on this one */
#define BATCH_ITERS	150	/* the default batch: see the Makefile */
#define MAX_RECS	4096
#define MAX_SEG		(2U << 20)	/* largest payload a resize makes */
#define DESC_LEN	1024
#define LOG_LEN		512
#define MAX_KEYS	256
#define SAVE_PER_KEY	3
#define MAX_DUMPS	64
#define PAGE		4096
#define HPAGE		(2ULL << 20)	/* a huge page of x86_64, PMD_SIZE */
#define HPAGE_1G	(1024ULL << 20)	/* PUD_SIZE, on a CPU with gbpages */
#define NSEC		1000000000ULL
#define KTIME_MAX_NS	0x7fffffffffffffffULL

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL		0x0008U
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE	0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC		0x0020
#endif
#ifndef IN_MASK_CREATE
#define IN_MASK_CREATE		0x10000000
#endif

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64, reproducible from the printed seed                */

static __u64 rng;

static __u64 rnd(void)
{
	__u64 z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd_below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static bool one_in(unsigned int n)
{
	return rnd_below(n) == 0;
}

/* The array as the variadic argument: checkpatch counts sizeof as a use. */
#define PICK(...)	((__VA_ARGS__)[rnd_below(ARRAY_SIZE(__VA_ARGS__))])

/* ------------------------------------------------------------------ */
/* The image format, as tables                                         */

enum kind {
	K_INT, K_COUNT, K_LEN, K_REF, K_FLAGS, K_ADDR, K_PID, K_SIG, K_ENUM,
	K_SEG, K_SYSNR, K_REG, K_ID, K_PAD, K_RECLEN, K_BYTES,
	K_TFLAGS,	/* CKPT_TASK_* */
	K_STATUS,	/* a wait(2) status */
	K_NSFLAGS,	/* CKPT_NS_* */
	K_FAMILY,	/* a socket's address family */
	K_SOCKTYPE,	/* SOCK_STREAM, ... */
	K_PROTO,	/* IPPROTO_TCP, ... */
	K_SOOPTS,	/* CKPT_SO_* */
	K_SALEN,	/* the length of a socket address */
	K_PORT,		/* a port, in network order */
	K_INADDR,	/* an IPv4 address, in network order */
	K_ERRNO,	/* a pending error */
	K_OFF,		/* an offset in shared memory or a memfd, or its size */
	K_CLOCK,	/* a clockid_t */
	K_TFDFLAGS,	/* TFD_TIMER_* */
	K_NSEC,		/* a time in nanoseconds, up to KTIME_MAX and past */
	K_TICKS,	/* expirations not read */
	K_FILEREF,	/* the objref of a file an epoll item watches */
	K_FD,		/* a descriptor */
	K_EVENTS,	/* EPOLL* */
	K_SEALS,	/* F_SEAL_* */
	K_MODE,		/* the permission bits of a memfd or an IPC object */
	K_LOFF,		/* an offset a lock starts or ends at */
	K_IPCID,	/* the id of a SysV IPC object */
	K_SEMVAL,	/* the value of a semaphore */
	K_SEMADJ,	/* the adjustment of a semaphore in an undo list */
	K_PTYFLAGS,	/* CKPT_PTY_* */
	K_PKTSTATUS,	/* TIOCPKT_* */
	K_ACCMODE,	/* the O_ACCMODE of a file */
	K_TPID,		/* a pid, group or session of the tree, or any pid */
	K_LFLAG,	/* the c_lflag of a termios */
	K_TTYQFLAGS,	/* CKPT_TTYQ_* */
	K_IFINDEX,	/* the ifindex of a device of a network namespace */
	K_NETFLAGS,	/* CKPT_NETDEV_*, CKPT_NETADDR_*, CKPT_ROUTE_* */
	K_PREFIX,	/* the prefix length of an address or a route */
	K_SCOPE,	/* RT_SCOPE_* */
	K_IFNAME,	/* a device name, or an address label: IFNAMSIZ bytes */
	K_VMASIZE,	/* the size of a mapped file, or of the pages of hugetlb memory */
	K_WD,		/* an inotify watch descriptor */
	K_INMASK,	/* IN_* of an inotify watch or event */
	K_HSHIFT,	/* the shift of the size of the pages of a SysV segment */
	K_MFDFLAGS,	/* CKPT_MEMFD_*, the shift of a size of huge pages included */
	K_PIDSFLAGS,	/* CKPT_PIDS_* */
	K_NSIDX,	/* the index of a pid namespace of the pidns record */
	K_TASKIDX,	/* the index of a task of the tree */
};

struct field {
	const char *name;
	unsigned short off, size;
	unsigned char kind;
};

/* F(struct, member, kind) */
#define F(type, k, ...)	{ #__VA_ARGS__, offsetof(struct type, __VA_ARGS__), \
			  sizeof(((struct type *)0)->__VA_ARGS__), k }

/*
 * A payload segment after the record's struct, sized by a count field:
 * count elements, or for S_BITS a bit for each, in (count + 7) / 8 bytes.
 * A segment whose count is in another record (count_size 0) takes what
 * the segments after it leave of the record.
 */
enum seg_kind { S_ARRAY, S_PATH, S_BYTES, S_BITS };

struct seg {
	unsigned short count_off, count_size;
	unsigned int elem;
	unsigned char kind;
	const struct field *f;	/* fields of one element */
	int nf;
};

/* An array inside the struct itself. */
struct fixed_array {
	unsigned short off, count, elem;
	const struct field *f;
	int nf;
};

struct rtype {
	__u32 type;
	const char *name;
	unsigned int size;
	bool obj;
	const struct field *f;
	int nf;
	const struct seg *segs;
	int nsegs;
	const struct fixed_array *fa;
};

static const struct field f_header[] = {
	F(ckpt_hdr_header, K_RECLEN, h.len), F(ckpt_hdr_header, K_BYTES, magic),
	F(ckpt_hdr_header, K_INT, major), F(ckpt_hdr_header, K_INT, minor),
	F(ckpt_hdr_header, K_INT, arch), F(ckpt_hdr_header, K_PAD, _pad),
	F(ckpt_hdr_header, K_COUNT, page_size), F(ckpt_hdr_header, K_FLAGS, flags),
	F(ckpt_hdr_header, K_FLAGS, features_required),
	F(ckpt_hdr_header, K_FLAGS, features_optional),
	F(ckpt_hdr_header, K_INT, time), F(ckpt_hdr_header, K_BYTES, release),
	F(ckpt_hdr_header, K_PAD, _pad2),
};

static const struct field f_tail[] = {
	F(ckpt_hdr_tail, K_RECLEN, h.len), F(ckpt_hdr_tail, K_BYTES, magic),
	F(ckpt_hdr_tail, K_COUNT, records), F(ckpt_hdr_tail, K_COUNT, bytes),
};

static const struct field f_error[] = {
	F(ckpt_hdr_error, K_RECLEN, h.len), F(ckpt_hdr_error, K_INT, errnum),
	F(ckpt_hdr_error, K_PAD, _pad),
};

static const struct field f_pids[] = {
	F(ckpt_pids, K_PID, pid), F(ckpt_pids, K_PID, tgid),
	F(ckpt_pids, K_PID, ppid), F(ckpt_pids, K_PID, pgid),
	F(ckpt_pids, K_PID, sid), F(ckpt_pids, K_PIDSFLAGS, flags),
};

static const struct field f_tree[] = {
	F(ckpt_hdr_tree, K_RECLEN, h.len), F(ckpt_hdr_tree, K_COUNT, nr_tasks),
	F(ckpt_hdr_tree, K_PAD, _pad),
};

static const struct seg s_tree[] = {
	{ offsetof(struct ckpt_hdr_tree, nr_tasks), 4, sizeof(struct ckpt_pids),
	  S_ARRAY, f_pids, ARRAY_SIZE(f_pids) },
};

/*
 * Format 1.26: the pid namespaces nested in the root's, right after the
 * tree: nr_ns namespaces, an entry per task of the tree (whose count is
 * the tree's), and nr_pids pids of the tasks below the root's namespace.
 */
static const struct field f_pidns[] = {
	F(ckpt_hdr_pidns, K_RECLEN, h.len), F(ckpt_hdr_pidns, K_COUNT, nr_ns),
	F(ckpt_hdr_pidns, K_COUNT, nr_pids),
};

static const struct field f_pidns_ns[] = {
	F(ckpt_pidns, K_NSIDX, parent), F(ckpt_pidns, K_TASKIDX, init),
	F(ckpt_pidns, K_PID, next_pid), F(ckpt_pidns, K_PAD, _pad),
};

static const struct field f_task_pidns[] = {
	F(ckpt_task_pidns, K_NSIDX, ns), F(ckpt_task_pidns, K_NSIDX, children),
};

static const struct field f_nspid[] = { { "pid", 0, 4, K_PID } };

static const struct seg s_pidns[] = {
	{ offsetof(struct ckpt_hdr_pidns, nr_ns), 4, sizeof(struct ckpt_pidns),
	  S_ARRAY, f_pidns_ns, ARRAY_SIZE(f_pidns_ns) },
	{ 0, 0, sizeof(struct ckpt_task_pidns), S_ARRAY, f_task_pidns,
	  ARRAY_SIZE(f_task_pidns) },
	{ offsetof(struct ckpt_hdr_pidns, nr_pids), 4, sizeof(__s32), S_ARRAY,
	  f_nspid, ARRAY_SIZE(f_nspid) },
};

static const struct field f_gid[] = { { "gid", 0, 4, K_ID } };

static const struct field f_cred[] = {
	F(ckpt_hdr_cred, K_RECLEN, h.h.len), F(ckpt_hdr_cred, K_REF, h.objref),
	F(ckpt_hdr_cred, K_PAD, h._pad),
	F(ckpt_hdr_cred, K_ID, uid), F(ckpt_hdr_cred, K_ID, euid),
	F(ckpt_hdr_cred, K_ID, suid), F(ckpt_hdr_cred, K_ID, fsuid),
	F(ckpt_hdr_cred, K_ID, gid), F(ckpt_hdr_cred, K_ID, egid),
	F(ckpt_hdr_cred, K_ID, sgid), F(ckpt_hdr_cred, K_ID, fsgid),
	F(ckpt_hdr_cred, K_FLAGS, cap_inheritable),
	F(ckpt_hdr_cred, K_FLAGS, cap_permitted),
	F(ckpt_hdr_cred, K_FLAGS, cap_effective),
	F(ckpt_hdr_cred, K_FLAGS, cap_bset),
	F(ckpt_hdr_cred, K_FLAGS, cap_ambient),
	F(ckpt_hdr_cred, K_FLAGS, securebits),
	F(ckpt_hdr_cred, K_COUNT, ngroups),
};

static const struct seg s_cred[] = {
	{ offsetof(struct ckpt_hdr_cred, ngroups), 4, 4, S_ARRAY, f_gid, 1 },
};

static const struct field f_task[] = {
	F(ckpt_hdr_task, K_RECLEN, h.len), F(ckpt_hdr_task, K_PID, pid),
	F(ckpt_hdr_task, K_REF, cred_ref), F(ckpt_hdr_task, K_REF, real_cred_ref),
	F(ckpt_hdr_task, K_SIG, exit_signal),
	F(ckpt_hdr_task, K_FLAGS, personality), F(ckpt_hdr_task, K_TFLAGS, flags),
	F(ckpt_hdr_task, K_BYTES, comm), F(ckpt_hdr_task, K_REF, mm_ref),
	F(ckpt_hdr_task, K_REF, sighand_ref), F(ckpt_hdr_task, K_REF, signal_ref),
	F(ckpt_hdr_task, K_REF, files_ref), F(ckpt_hdr_task, K_REF, fs_ref),
	F(ckpt_hdr_task, K_STATUS, exit_code),
};

/*
 * Format 1.5: the namespaces of a container, after the tree.  Only a seed
 * made in a container has one (the children share the test's namespaces),
 * but another record may be retyped to one.
 */
static const struct field f_ns[] = {
	F(ckpt_hdr_namespaces, K_RECLEN, h.len),
	F(ckpt_hdr_namespaces, K_NSFLAGS, flags),
	F(ckpt_hdr_namespaces, K_FLAGS, net),	/* format 1.20: CKPT_NET_* */
	F(ckpt_hdr_namespaces, K_BYTES, nodename),
	F(ckpt_hdr_namespaces, K_BYTES, domainname),
	F(ckpt_hdr_namespaces, K_PAD, _pad2),
};

static const struct field f_rlimit[] = {
	F(ckpt_rlimit, K_COUNT, cur), F(ckpt_rlimit, K_COUNT, max),
};

static const struct fixed_array fa_attrs = {
	offsetof(struct ckpt_hdr_task_attrs, rlim), CKPT_RLIM_NLIMITS,
	sizeof(struct ckpt_rlimit), f_rlimit, ARRAY_SIZE(f_rlimit),
};

static const struct field f_attrs[] = {
	F(ckpt_hdr_task_attrs, K_RECLEN, h.len),
	F(ckpt_hdr_task_attrs, K_INT, nice),
	F(ckpt_hdr_task_attrs, K_ENUM, policy),
	F(ckpt_hdr_task_attrs, K_INT, rt_priority),
	F(ckpt_hdr_task_attrs, K_FLAGS, flags),
	F(ckpt_hdr_task_attrs, K_SIG, pdeath_signal),
	F(ckpt_hdr_task_attrs, K_ENUM, dumpable),
	F(ckpt_hdr_task_attrs, K_ADDR, clear_child_tid),
	F(ckpt_hdr_task_attrs, K_ADDR, robust_list),
	F(ckpt_hdr_task_attrs, K_COUNT, robust_list_len),
	F(ckpt_hdr_task_attrs, K_ADDR, rseq),
	F(ckpt_hdr_task_attrs, K_COUNT, rseq_len),
	F(ckpt_hdr_task_attrs, K_INT, rseq_sig),
};

static const struct field f_regs[] = {
	F(ckpt_hdr_x86_regs, K_RECLEN, h.len),
	F(ckpt_hdr_x86_regs, K_REG, r15), F(ckpt_hdr_x86_regs, K_REG, r14),
	F(ckpt_hdr_x86_regs, K_REG, r13), F(ckpt_hdr_x86_regs, K_REG, r12),
	F(ckpt_hdr_x86_regs, K_ADDR, bp), F(ckpt_hdr_x86_regs, K_REG, bx),
	F(ckpt_hdr_x86_regs, K_FLAGS, r11), F(ckpt_hdr_x86_regs, K_REG, r10),
	F(ckpt_hdr_x86_regs, K_REG, r9), F(ckpt_hdr_x86_regs, K_REG, r8),
	F(ckpt_hdr_x86_regs, K_REG, ax), F(ckpt_hdr_x86_regs, K_ADDR, cx),
	F(ckpt_hdr_x86_regs, K_REG, dx), F(ckpt_hdr_x86_regs, K_ADDR, si),
	F(ckpt_hdr_x86_regs, K_REG, di), F(ckpt_hdr_x86_regs, K_SYSNR, orig_ax),
	F(ckpt_hdr_x86_regs, K_ADDR, ip), F(ckpt_hdr_x86_regs, K_SEG, cs),
	F(ckpt_hdr_x86_regs, K_FLAGS, flags), F(ckpt_hdr_x86_regs, K_ADDR, sp),
	F(ckpt_hdr_x86_regs, K_SEG, ss), F(ckpt_hdr_x86_regs, K_ADDR, fs_base),
	F(ckpt_hdr_x86_regs, K_ADDR, gs_base), F(ckpt_hdr_x86_regs, K_SEG, ds),
	F(ckpt_hdr_x86_regs, K_SEG, es), F(ckpt_hdr_x86_regs, K_SEG, fs),
	F(ckpt_hdr_x86_regs, K_SEG, gs),
};

/* The XSAVE area: legacy header, software bytes and XSAVE header. */
static const struct field f_xsave[] = {
	{ "fcw", 0, 2, K_FLAGS }, { "fsw", 2, 2, K_FLAGS },
	{ "ftw", 4, 1, K_FLAGS }, { "mxcsr", 24, 4, K_FLAGS },
	{ "mxcsr_mask", 28, 4, K_FLAGS }, { "st0", 32, 8, K_REG },
	{ "xmm0", 160, 8, K_REG }, { "sw_magic1", 464, 4, K_INT },
	{ "sw_extended_size", 468, 4, K_COUNT }, { "sw_xfeatures", 472, 8, K_FLAGS },
	{ "sw_xstate_size", 480, 4, K_COUNT }, { "xstate_bv", 512, 8, K_FLAGS },
	{ "xcomp_bv", 520, 8, K_FLAGS }, { "xsave_reserved", 528, 8, K_PAD },
	{ "ymmh0", 576, 8, K_REG },
};

static const struct field f_xstate[] = {
	F(ckpt_hdr_x86_xstate, K_RECLEN, h.len),
	F(ckpt_hdr_x86_xstate, K_COUNT, size),
	F(ckpt_hdr_x86_xstate, K_PAD, _pad),
	F(ckpt_hdr_x86_xstate, K_FLAGS, xfeatures),
};

/* The XSAVE area is one "element" of a segment as long as the area. */
static const struct seg s_xstate[] = {
	{ offsetof(struct ckpt_hdr_x86_xstate, size), 4, 1, S_BYTES,
	  f_xsave, ARRAY_SIZE(f_xsave) },
};

static const struct field f_auxv[] = { { "auxv", 0, 8, K_INT } };

static const struct field f_mm[] = {
	F(ckpt_hdr_mm, K_RECLEN, h.h.len), F(ckpt_hdr_mm, K_REF, h.objref),
	F(ckpt_hdr_mm, K_PAD, h._pad),
	F(ckpt_hdr_mm, K_ADDR, start_code), F(ckpt_hdr_mm, K_ADDR, end_code),
	F(ckpt_hdr_mm, K_ADDR, start_data), F(ckpt_hdr_mm, K_ADDR, end_data),
	F(ckpt_hdr_mm, K_ADDR, start_brk), F(ckpt_hdr_mm, K_ADDR, brk),
	F(ckpt_hdr_mm, K_ADDR, start_stack), F(ckpt_hdr_mm, K_ADDR, arg_start),
	F(ckpt_hdr_mm, K_ADDR, arg_end), F(ckpt_hdr_mm, K_ADDR, env_start),
	F(ckpt_hdr_mm, K_ADDR, env_end), F(ckpt_hdr_mm, K_COUNT, nr_vmas),
	F(ckpt_hdr_mm, K_COUNT, nr_auxv), F(ckpt_hdr_mm, K_LEN, exe_len),
	F(ckpt_hdr_mm, K_REF, exe_ref),
};

static const struct seg s_mm[] = {
	{ offsetof(struct ckpt_hdr_mm, nr_auxv), 4, 8, S_ARRAY, f_auxv, 1 },
	{ offsetof(struct ckpt_hdr_mm, exe_len), 4, 1, S_PATH, NULL, 0 },
};

static const struct field f_vma[] = {
	F(ckpt_hdr_vma, K_RECLEN, h.len), F(ckpt_hdr_vma, K_ADDR, start),
	F(ckpt_hdr_vma, K_ADDR, end), F(ckpt_hdr_vma, K_COUNT, pgoff),
	F(ckpt_hdr_vma, K_ENUM, kind), F(ckpt_hdr_vma, K_FLAGS, flags),
	F(ckpt_hdr_vma, K_INT, ino), F(ckpt_hdr_vma, K_INT, dev),
	F(ckpt_hdr_vma, K_VMASIZE, size), F(ckpt_hdr_vma, K_INT, mtime_sec),
	F(ckpt_hdr_vma, K_INT, mtime_nsec), F(ckpt_hdr_vma, K_LEN, path_len),
};

static const struct seg s_vma[] = {
	{ offsetof(struct ckpt_hdr_vma, path_len), 4, 1, S_PATH, NULL, 0 },
};

static const struct field f_pages[] = {
	F(ckpt_hdr_pages, K_RECLEN, h.len), F(ckpt_hdr_pages, K_ADDR, addr),
	F(ckpt_hdr_pages, K_COUNT, nr_pages), F(ckpt_hdr_pages, K_PAD, _pad),
};

static const struct seg s_pages[] = {
	{ offsetof(struct ckpt_hdr_pages, nr_pages), 4, PAGE, S_BYTES, NULL, 0 },
};

static const struct field f_file[] = {
	F(ckpt_hdr_file, K_RECLEN, h.h.len), F(ckpt_hdr_file, K_REF, h.objref),
	F(ckpt_hdr_file, K_PAD, h._pad), F(ckpt_hdr_file, K_ENUM, kind),
	F(ckpt_hdr_file, K_FLAGS, f_flags), F(ckpt_hdr_file, K_INT, pos),
	F(ckpt_hdr_file, K_FLAGS, mode), F(ckpt_hdr_file, K_INT, rdev),
	F(ckpt_hdr_file, K_INT, ino), F(ckpt_hdr_file, K_INT, dev),
	F(ckpt_hdr_file, K_LEN, path_len), F(ckpt_hdr_file, K_REF, pipe_ref),
	/* Format 1.13: the size and mtime of a regular file, 0 for others */
	F(ckpt_hdr_file, K_COUNT, size), F(ckpt_hdr_file, K_INT, mtime_sec),
	F(ckpt_hdr_file, K_INT, mtime_nsec), F(ckpt_hdr_file, K_PAD, _pad),
};

static const struct seg s_file[] = {
	{ offsetof(struct ckpt_hdr_file, path_len), 4, 1, S_PATH, NULL, 0 },
};

static const struct field f_pipe[] = {
	F(ckpt_hdr_pipe, K_RECLEN, h.h.len), F(ckpt_hdr_pipe, K_REF, h.objref),
	F(ckpt_hdr_pipe, K_PAD, h._pad), F(ckpt_hdr_pipe, K_INT, size),
	F(ckpt_hdr_pipe, K_COUNT, nr_bytes), F(ckpt_hdr_pipe, K_FLAGS, ends),
	F(ckpt_hdr_pipe, K_PAD, _pad),
};

static const struct seg s_pipe[] = {
	{ offsetof(struct ckpt_hdr_pipe, nr_bytes), 4, 1, S_BYTES, NULL, 0 },
};

/*
 * Format 1.8: sockets, and pairs of connected AF_UNIX sockets; 1.20: the
 * TCP connection a socket names with tcp_ref, where pair_ref is; 1.22:
 * the accept queue a listening TCP socket names with accept_ref, there
 * too.
 */
#define SOCK_ADDR(m)	offsetof(struct ckpt_socket, m)

static const struct field f_socket[] = {
	F(ckpt_socket, K_FAMILY, family), F(ckpt_socket, K_SOCKTYPE, type),
	F(ckpt_socket, K_PROTO, protocol), F(ckpt_socket, K_ENUM, state),
	F(ckpt_socket, K_REF, pair_ref), F(ckpt_socket, K_ENUM, end),
	F(ckpt_socket, K_SOOPTS, opts), F(ckpt_socket, K_COUNT, sndbuf),
	F(ckpt_socket, K_COUNT, rcvbuf), F(ckpt_socket, K_COUNT, rcvlowat),
	F(ckpt_socket, K_COUNT, linger), F(ckpt_socket, K_COUNT, backlog),
	F(ckpt_socket, K_COUNT, rcvtimeo_us), F(ckpt_socket, K_COUNT, sndtimeo_us),
	F(ckpt_socket, K_SALEN, addr_len), F(ckpt_socket, K_SALEN, peer_len),
	F(ckpt_socket, K_BYTES, addr), F(ckpt_socket, K_BYTES, peer),
	/* sockaddr_in: family, port, address; sun_path[0] of sockaddr_un */
	{ "addr.family", SOCK_ADDR(addr), 2, K_FAMILY },
	{ "addr.port", SOCK_ADDR(addr) + 2, 2, K_PORT },
	{ "addr.in", SOCK_ADDR(addr) + 4, 4, K_INADDR },
	{ "peer.family", SOCK_ADDR(peer), 2, K_FAMILY },
	{ "peer.port", SOCK_ADDR(peer) + 2, 2, K_PORT },
	{ "peer.in", SOCK_ADDR(peer) + 4, 4, K_INADDR },
};

static const struct field f_unix_pair[] = {
	F(ckpt_hdr_unix_pair, K_RECLEN, h.h.len),
	F(ckpt_hdr_unix_pair, K_REF, h.objref),
	F(ckpt_hdr_unix_pair, K_PAD, h._pad),
	F(ckpt_hdr_unix_pair, K_SOCKTYPE, type),
	F(ckpt_hdr_unix_pair, K_FLAGS, ends),
	F(ckpt_hdr_unix_pair, K_FLAGS, end[0].shutdown),
	F(ckpt_hdr_unix_pair, K_ERRNO, end[0].err),
	F(ckpt_hdr_unix_pair, K_COUNT, end[0].nr_msgs),
	F(ckpt_hdr_unix_pair, K_COUNT, end[0].nr_bytes),
	F(ckpt_hdr_unix_pair, K_FLAGS, end[1].shutdown),
	F(ckpt_hdr_unix_pair, K_ERRNO, end[1].err),
	F(ckpt_hdr_unix_pair, K_COUNT, end[1].nr_msgs),
	F(ckpt_hdr_unix_pair, K_COUNT, end[1].nr_bytes),
};

static const struct field f_msg_len[] = { { "msg_len", 0, 4, K_LEN } };

/* For end 0 then end 1: its message lengths, then its bytes. */
static const struct seg s_unix_pair[] = {
	{ offsetof(struct ckpt_hdr_unix_pair, end[0].nr_msgs), 4, 4, S_ARRAY,
	  f_msg_len, 1 },
	{ offsetof(struct ckpt_hdr_unix_pair, end[0].nr_bytes), 4, 1, S_BYTES,
	  NULL, 0 },
	{ offsetof(struct ckpt_hdr_unix_pair, end[1].nr_msgs), 4, 4, S_ARRAY,
	  f_msg_len, 1 },
	{ offsetof(struct ckpt_hdr_unix_pair, end[1].nr_bytes), 4, 1, S_BYTES,
	  NULL, 0 },
};

/*
 * Format 1.20: an established TCP connection of the network namespace of
 * the image, an object before its file: addresses, sequence numbers,
 * windows and options, then the bytes received (rcv_len) and those to
 * send (snd_len, the last unsent_len of them not sent yet).
 */
#define TCP_ADDR(m)	offsetof(struct ckpt_hdr_tcp, m)

static const struct field f_tcp[] = {
	F(ckpt_hdr_tcp, K_RECLEN, h.h.len), F(ckpt_hdr_tcp, K_REF, h.objref),
	F(ckpt_hdr_tcp, K_PAD, h._pad), F(ckpt_hdr_tcp, K_FAMILY, family),
	F(ckpt_hdr_tcp, K_FLAGS, flags), F(ckpt_hdr_tcp, K_SALEN, addr_len),
	F(ckpt_hdr_tcp, K_SALEN, peer_len), F(ckpt_hdr_tcp, K_INT, snd_una),
	F(ckpt_hdr_tcp, K_INT, copied_seq), F(ckpt_hdr_tcp, K_COUNT, snd_len),
	F(ckpt_hdr_tcp, K_LEN, unsent_len), F(ckpt_hdr_tcp, K_COUNT, rcv_len),
	F(ckpt_hdr_tcp, K_INT, snd_wl1), F(ckpt_hdr_tcp, K_COUNT, snd_wnd),
	F(ckpt_hdr_tcp, K_COUNT, max_window), F(ckpt_hdr_tcp, K_COUNT, rcv_wnd),
	F(ckpt_hdr_tcp, K_INT, rcv_wup), F(ckpt_hdr_tcp, K_INT, tsval),
	F(ckpt_hdr_tcp, K_COUNT, mss_clamp), F(ckpt_hdr_tcp, K_COUNT, snd_wscale),
	F(ckpt_hdr_tcp, K_COUNT, rcv_wscale), F(ckpt_hdr_tcp, K_COUNT, sndbuf),
	F(ckpt_hdr_tcp, K_COUNT, rcvbuf), F(ckpt_hdr_tcp, K_PAD, _pad),
	F(ckpt_hdr_tcp, K_BYTES, addr), F(ckpt_hdr_tcp, K_BYTES, peer),
	{ "addr.family", TCP_ADDR(addr), 2, K_FAMILY },
	{ "addr.port", TCP_ADDR(addr) + 2, 2, K_PORT },
	{ "addr.in", TCP_ADDR(addr) + 4, 4, K_INADDR },
	{ "peer.family", TCP_ADDR(peer), 2, K_FAMILY },
	{ "peer.port", TCP_ADDR(peer) + 2, 2, K_PORT },
	{ "peer.in", TCP_ADDR(peer) + 4, 4, K_INADDR },
};

/* The bytes received, then those to send. */
static const struct seg s_tcp[] = {
	{ offsetof(struct ckpt_hdr_tcp, rcv_len), 4, 1, S_BYTES, NULL, 0 },
	{ offsetof(struct ckpt_hdr_tcp, snd_len), 4, 1, S_BYTES, NULL, 0 },
};

/*
 * Format 1.22: the connections a listening TCP socket holds for
 * accept(2), an object before the socket's file, after them: nr_conns
 * objrefs of CKPT_HDR_TCP records after the header.  A count that grows
 * repeats the last: a connection twice.
 */
static const struct field f_tcp_accept[] = {
	F(ckpt_hdr_tcp_accept, K_RECLEN, h.h.len), F(ckpt_hdr_tcp_accept, K_REF, h.objref),
	F(ckpt_hdr_tcp_accept, K_PAD, h._pad), F(ckpt_hdr_tcp_accept, K_COUNT, nr_conns),
	F(ckpt_hdr_tcp_accept, K_PAD, _pad),
};

static const struct field f_tcp_conn[] = { { "tcp_ref", 0, 4, K_REF } };

static const struct seg s_tcp_accept[] = {
	{ offsetof(struct ckpt_hdr_tcp_accept, nr_conns), 4, 4, S_ARRAY, f_tcp_conn, 1 },
};

/*
 * Format 1.21: the configuration of the network namespace of a container,
 * right after the namespaces record when its net has CKPT_NET_CONFIG:
 * nr_devs devices, nr_addrs addresses and nr_routes routes after the
 * header, three arrays in this order.  Only the tcp seed has one (its
 * loopback device, up, and its addresses).
 */
#define NETADDR_OFF(m)	offsetof(struct ckpt_netaddr, m)
#define NETROUTE_OFF(m)	offsetof(struct ckpt_netroute, m)

static const struct field f_net[] = {
	F(ckpt_hdr_net, K_RECLEN, h.len), F(ckpt_hdr_net, K_COUNT, nr_devs),
	F(ckpt_hdr_net, K_COUNT, nr_addrs), F(ckpt_hdr_net, K_COUNT, nr_routes),
	F(ckpt_hdr_net, K_PAD, _pad),
};

static const struct field f_netdev[] = {
	F(ckpt_netdev, K_IFINDEX, ifindex), F(ckpt_netdev, K_ENUM, kind),
	F(ckpt_netdev, K_NETFLAGS, flags), F(ckpt_netdev, K_COUNT, mtu),
	F(ckpt_netdev, K_IFINDEX, peer_ifindex), F(ckpt_netdev, K_NETFLAGS, peer_flags),
	F(ckpt_netdev, K_COUNT, peer_mtu), F(ckpt_netdev, K_LEN, addr_len),
	F(ckpt_netdev, K_BYTES, addr), F(ckpt_netdev, K_BYTES, peer_addr),
	F(ckpt_netdev, K_IFNAME, name), F(ckpt_netdev, K_IFNAME, peer_name),
};

static const struct field f_netaddr[] = {
	F(ckpt_netaddr, K_IFINDEX, ifindex), F(ckpt_netaddr, K_FAMILY, family),
	F(ckpt_netaddr, K_PREFIX, prefixlen), F(ckpt_netaddr, K_SCOPE, scope),
	F(ckpt_netaddr, K_NETFLAGS, flags), F(ckpt_netaddr, K_PAD, _pad),
	F(ckpt_netaddr, K_BYTES, local), F(ckpt_netaddr, K_BYTES, address),
	F(ckpt_netaddr, K_BYTES, broadcast), F(ckpt_netaddr, K_IFNAME, label),
	F(ckpt_netaddr, K_PAD, _pad2),
	{ "local.in", NETADDR_OFF(local), 4, K_INADDR },
	{ "address.in", NETADDR_OFF(address), 4, K_INADDR },
	{ "broadcast.in", NETADDR_OFF(broadcast), 4, K_INADDR },
};

static const struct field f_netroute[] = {
	F(ckpt_netroute, K_FAMILY, family), F(ckpt_netroute, K_PREFIX, dst_len),
	F(ckpt_netroute, K_INT, tos), F(ckpt_netroute, K_ENUM, protocol),
	F(ckpt_netroute, K_SCOPE, scope), F(ckpt_netroute, K_ENUM, type),
	F(ckpt_netroute, K_PAD, _pad), F(ckpt_netroute, K_NETFLAGS, flags),
	F(ckpt_netroute, K_IFINDEX, oif), F(ckpt_netroute, K_COUNT, priority),
	F(ckpt_netroute, K_PAD, _pad2), F(ckpt_netroute, K_BYTES, dst),
	F(ckpt_netroute, K_BYTES, gateway), F(ckpt_netroute, K_BYTES, prefsrc),
	{ "dst.in", NETROUTE_OFF(dst), 4, K_INADDR },
	{ "gateway.in", NETROUTE_OFF(gateway), 4, K_INADDR },
	{ "prefsrc.in", NETROUTE_OFF(prefsrc), 4, K_INADDR },
};

/* The devices, then the addresses, then the routes. */
static const struct seg s_net[] = {
	{ offsetof(struct ckpt_hdr_net, nr_devs), 4, sizeof(struct ckpt_netdev),
	  S_ARRAY, f_netdev, ARRAY_SIZE(f_netdev) },
	{ offsetof(struct ckpt_hdr_net, nr_addrs), 4, sizeof(struct ckpt_netaddr),
	  S_ARRAY, f_netaddr, ARRAY_SIZE(f_netaddr) },
	{ offsetof(struct ckpt_hdr_net, nr_routes), 4, sizeof(struct ckpt_netroute),
	  S_ARRAY, f_netroute, ARRAY_SIZE(f_netroute) },
};

/* The segments of a net record */
#define NET_SEG_DEVS	0
#define NET_SEG_ADDRS	1
#define NET_SEG_ROUTES	2

/*
 * Format 1.9: shared anonymous memory, its pages after it (their addr
 * an offset in it), and the mappings that name it.
 */
static const struct field f_shmem[] = {
	F(ckpt_hdr_shmem, K_RECLEN, h.h.len), F(ckpt_hdr_shmem, K_REF, h.objref),
	F(ckpt_hdr_shmem, K_PAD, h._pad), F(ckpt_hdr_shmem, K_OFF, size),
};

/*
 * Format 1.24: shared memory of huge pages, as shared memory, with the
 * size of its pages; shared CKPT_VMA_HUGETLB mappings name it.
 */
static const struct field f_shmem_hugetlb[] = {
	F(ckpt_hdr_shmem_hugetlb, K_RECLEN, h.h.len),
	F(ckpt_hdr_shmem_hugetlb, K_REF, h.objref),
	F(ckpt_hdr_shmem_hugetlb, K_PAD, h._pad),
	F(ckpt_hdr_shmem_hugetlb, K_OFF, size),
	F(ckpt_hdr_shmem_hugetlb, K_VMASIZE, page_size),
};

static const struct field f_vma_shmem[] = {
	F(ckpt_vma_shmem, K_REF, shmem_ref), F(ckpt_vma_shmem, K_PAD, _pad),
};

/*
 * Format 1.12: a memfd, its size, seals, permissions and name, its pages
 * after it (their addr an offset in it).  Its files name it by memfd_ref,
 * which is pipe_ref; its mappings, shared or private, as those of shared
 * memory name theirs.
 */
static const struct field f_memfd[] = {
	F(ckpt_hdr_memfd, K_RECLEN, h.h.len), F(ckpt_hdr_memfd, K_REF, h.objref),
	F(ckpt_hdr_memfd, K_PAD, h._pad), F(ckpt_hdr_memfd, K_OFF, size),
	F(ckpt_hdr_memfd, K_SEALS, seals), F(ckpt_hdr_memfd, K_MODE, mode),
	F(ckpt_hdr_memfd, K_LEN, name_len), F(ckpt_hdr_memfd, K_MFDFLAGS, flags),
};

/*
 * Format 1.13: the locks right after a file (flock(2) and OFD ones, fd 0)
 * or a descriptor table (POSIX ones, through one of its descriptors).
 */
static const struct field f_file_lock[] = {
	F(ckpt_file_lock, K_ENUM, kind), F(ckpt_file_lock, K_FD, fd),
	F(ckpt_file_lock, K_ENUM, type), F(ckpt_file_lock, K_PAD, _pad),
	F(ckpt_file_lock, K_LOFF, start), F(ckpt_file_lock, K_LOFF, end),
};

static const struct field f_file_locks[] = {
	F(ckpt_hdr_file_locks, K_RECLEN, h.len),
	F(ckpt_hdr_file_locks, K_COUNT, nr_locks),
	F(ckpt_hdr_file_locks, K_PAD, _pad),
};

static const struct seg s_file_locks[] = {
	{ offsetof(struct ckpt_hdr_file_locks, nr_locks), 4, sizeof(struct ckpt_file_lock),
	  S_ARRAY, f_file_lock, ARRAY_SIZE(f_file_lock) },
};

/*
 * Format 1.14: the SysV IPC objects of an IPC namespace, right after the
 * namespaces record: segments (their pages after them, addr an offset in
 * them), queues (a record a message after them, its text a segment of
 * size bytes), semaphore sets (nsems values after them).  A
 * CKPT_VMA_SYSVSHM mapping names its segment as shared memory does.
 */
static const struct field f_ipc_shm[] = {
	F(ckpt_hdr_ipc_shm, K_RECLEN, h.h.len), F(ckpt_hdr_ipc_shm, K_REF, h.objref),
	F(ckpt_hdr_ipc_shm, K_PAD, h._pad),
	F(ckpt_hdr_ipc_shm, K_IPCID, perm.id), F(ckpt_hdr_ipc_shm, K_INT, perm.key),
	F(ckpt_hdr_ipc_shm, K_ID, perm.uid), F(ckpt_hdr_ipc_shm, K_ID, perm.gid),
	F(ckpt_hdr_ipc_shm, K_ID, perm.cuid), F(ckpt_hdr_ipc_shm, K_ID, perm.cgid),
	F(ckpt_hdr_ipc_shm, K_MODE, perm.mode), F(ckpt_hdr_ipc_shm, K_PAD, perm._pad),
	F(ckpt_hdr_ipc_shm, K_OFF, size), F(ckpt_hdr_ipc_shm, K_INT, atime),
	F(ckpt_hdr_ipc_shm, K_INT, dtime), F(ckpt_hdr_ipc_shm, K_INT, ctime),
	F(ckpt_hdr_ipc_shm, K_FLAGS, flags), F(ckpt_hdr_ipc_shm, K_HSHIFT, huge_shift),
};

static const struct field f_ipc_msg[] = {
	F(ckpt_hdr_ipc_msg, K_RECLEN, h.h.len), F(ckpt_hdr_ipc_msg, K_REF, h.objref),
	F(ckpt_hdr_ipc_msg, K_PAD, h._pad),
	F(ckpt_hdr_ipc_msg, K_IPCID, perm.id), F(ckpt_hdr_ipc_msg, K_INT, perm.key),
	F(ckpt_hdr_ipc_msg, K_ID, perm.uid), F(ckpt_hdr_ipc_msg, K_ID, perm.gid),
	F(ckpt_hdr_ipc_msg, K_ID, perm.cuid), F(ckpt_hdr_ipc_msg, K_ID, perm.cgid),
	F(ckpt_hdr_ipc_msg, K_MODE, perm.mode), F(ckpt_hdr_ipc_msg, K_PAD, perm._pad),
	F(ckpt_hdr_ipc_msg, K_INT, stime), F(ckpt_hdr_ipc_msg, K_INT, rtime),
	F(ckpt_hdr_ipc_msg, K_INT, ctime), F(ckpt_hdr_ipc_msg, K_COUNT, qbytes),
	F(ckpt_hdr_ipc_msg, K_COUNT, nr_msgs), F(ckpt_hdr_ipc_msg, K_PAD, _pad),
};

static const struct field f_ipc_msg_text[] = {
	F(ckpt_hdr_ipc_msg_text, K_RECLEN, h.len), F(ckpt_hdr_ipc_msg_text, K_INT, mtype),
	F(ckpt_hdr_ipc_msg_text, K_COUNT, size), F(ckpt_hdr_ipc_msg_text, K_PAD, _pad),
};

static const struct seg s_ipc_msg_text[] = {
	{ offsetof(struct ckpt_hdr_ipc_msg_text, size), 4, 1, S_BYTES, NULL, 0 },
};

static const struct field f_ipc_sem[] = {
	F(ckpt_hdr_ipc_sem, K_RECLEN, h.h.len), F(ckpt_hdr_ipc_sem, K_REF, h.objref),
	F(ckpt_hdr_ipc_sem, K_PAD, h._pad),
	F(ckpt_hdr_ipc_sem, K_IPCID, perm.id), F(ckpt_hdr_ipc_sem, K_INT, perm.key),
	F(ckpt_hdr_ipc_sem, K_ID, perm.uid), F(ckpt_hdr_ipc_sem, K_ID, perm.gid),
	F(ckpt_hdr_ipc_sem, K_ID, perm.cuid), F(ckpt_hdr_ipc_sem, K_ID, perm.cgid),
	F(ckpt_hdr_ipc_sem, K_MODE, perm.mode), F(ckpt_hdr_ipc_sem, K_PAD, perm._pad),
	F(ckpt_hdr_ipc_sem, K_INT, otime), F(ckpt_hdr_ipc_sem, K_INT, ctime),
	F(ckpt_hdr_ipc_sem, K_COUNT, nsems), F(ckpt_hdr_ipc_sem, K_PAD, _pad),
};

static const struct field f_semval[] = { { "value", 0, 2, K_SEMVAL } };

static const struct seg s_ipc_sem[] = {
	{ offsetof(struct ckpt_hdr_ipc_sem, nsems), 4, 2, S_ARRAY, f_semval, 1 },
};

/*
 * The semaphore undo list of a process, an object right before the task
 * record of its leader, then a record a set it has adjustments for: the
 * id of the set, nsems adjustments after it.
 */
static const struct field f_ipc_sem_undo[] = {
	F(ckpt_hdr_ipc_sem_undo, K_RECLEN, h.h.len), F(ckpt_hdr_ipc_sem_undo, K_REF, h.objref),
	F(ckpt_hdr_ipc_sem_undo, K_PAD, h._pad), F(ckpt_hdr_ipc_sem_undo, K_COUNT, nr_sets),
	F(ckpt_hdr_ipc_sem_undo, K_PAD, _pad),
};

static const struct field f_ipc_sem_adj[] = {
	F(ckpt_hdr_ipc_sem_adj, K_RECLEN, h.len), F(ckpt_hdr_ipc_sem_adj, K_IPCID, semid),
	F(ckpt_hdr_ipc_sem_adj, K_COUNT, nsems),
};

static const struct field f_semadj[] = { { "adjustment", 0, 2, K_SEMADJ } };

static const struct seg s_ipc_sem_adj[] = {
	{ offsetof(struct ckpt_hdr_ipc_sem_adj, nsems), 4, 2, S_ARRAY, f_semadj, 1 },
};

/*
 * Format 1.23: the POSIX message queues of an IPC namespace, after its
 * SysV objects: the limits of the namespace, then each queue, its name a
 * string in its struct, its notify_pid a process of the tree, then a
 * record a message, its bytes a segment of size bytes.  A descriptor of
 * a queue (CKPT_FILE_MQUEUE) has its path, "/name", and names it by
 * mq_ref, which is pipe_ref.
 */
static const struct field f_ipc_mq_ns[] = {
	F(ckpt_hdr_ipc_mq_ns, K_RECLEN, h.h.len), F(ckpt_hdr_ipc_mq_ns, K_REF, h.objref),
	F(ckpt_hdr_ipc_mq_ns, K_PAD, h._pad), F(ckpt_hdr_ipc_mq_ns, K_COUNT, queues_max),
	F(ckpt_hdr_ipc_mq_ns, K_COUNT, msg_max), F(ckpt_hdr_ipc_mq_ns, K_COUNT, msgsize_max),
	F(ckpt_hdr_ipc_mq_ns, K_COUNT, msg_default),
	F(ckpt_hdr_ipc_mq_ns, K_COUNT, msgsize_default), F(ckpt_hdr_ipc_mq_ns, K_PAD, _pad),
};

static const struct field f_ipc_mq[] = {
	F(ckpt_hdr_ipc_mq, K_RECLEN, h.h.len), F(ckpt_hdr_ipc_mq, K_REF, h.objref),
	F(ckpt_hdr_ipc_mq, K_PAD, h._pad), F(ckpt_hdr_ipc_mq, K_BYTES, name),
	F(ckpt_hdr_ipc_mq, K_ID, uid), F(ckpt_hdr_ipc_mq, K_ID, gid),
	F(ckpt_hdr_ipc_mq, K_MODE, mode), F(ckpt_hdr_ipc_mq, K_COUNT, nr_msgs),
	F(ckpt_hdr_ipc_mq, K_COUNT, maxmsg), F(ckpt_hdr_ipc_mq, K_COUNT, msgsize),
	F(ckpt_hdr_ipc_mq, K_INT, atime_sec), F(ckpt_hdr_ipc_mq, K_INT, mtime_sec),
	F(ckpt_hdr_ipc_mq, K_INT, ctime_sec), F(ckpt_hdr_ipc_mq, K_INT, atime_nsec),
	F(ckpt_hdr_ipc_mq, K_INT, mtime_nsec), F(ckpt_hdr_ipc_mq, K_INT, ctime_nsec),
	F(ckpt_hdr_ipc_mq, K_TPID, notify_pid), F(ckpt_hdr_ipc_mq, K_ENUM, notify),
	F(ckpt_hdr_ipc_mq, K_SIG, notify_signo), F(ckpt_hdr_ipc_mq, K_FLAGS, notify_flags),
	F(ckpt_hdr_ipc_mq, K_PAD, _pad), F(ckpt_hdr_ipc_mq, K_INT, notify_value),
};

static const struct field f_ipc_mq_msg[] = {
	F(ckpt_hdr_ipc_mq_msg, K_RECLEN, h.len), F(ckpt_hdr_ipc_mq_msg, K_COUNT, prio),
	F(ckpt_hdr_ipc_mq_msg, K_COUNT, size),
};

static const struct seg s_ipc_mq_msg[] = {
	{ offsetof(struct ckpt_hdr_ipc_mq_msg, size), 4, 1, S_BYTES, NULL, 0 },
};

/*
 * Format 1.24: an inotify (CKPT_FILE_INOTIFY), its counts, the wd
 * inotify_add_watch(2) gives next and how long its queue may grow; after
 * its record, nr_events records of the events queued on it, each with
 * its name, a segment of name_len bytes without NUL, then nr_watches
 * records of its watches, each with the identity and type of the inode
 * it watches and its path, a segment of path_len bytes.
 */
static const struct field f_inotify[] = {
	F(ckpt_inotify, K_COUNT, nr_watches), F(ckpt_inotify, K_COUNT, nr_events),
	F(ckpt_inotify, K_WD, next_wd), F(ckpt_inotify, K_COUNT, max_events),
};

static const struct field f_inotify_watch[] = {
	F(ckpt_hdr_inotify_watch, K_RECLEN, h.len), F(ckpt_hdr_inotify_watch, K_WD, wd),
	F(ckpt_hdr_inotify_watch, K_INMASK, mask), F(ckpt_hdr_inotify_watch, K_INT, ino),
	F(ckpt_hdr_inotify_watch, K_INT, dev), F(ckpt_hdr_inotify_watch, K_MODE, mode),
	F(ckpt_hdr_inotify_watch, K_LEN, path_len),
};

static const struct seg s_inotify_watch[] = {
	{ offsetof(struct ckpt_hdr_inotify_watch, path_len), 4, 1, S_PATH, NULL, 0 },
};

static const struct field f_inotify_event[] = {
	F(ckpt_hdr_inotify_event, K_RECLEN, h.len), F(ckpt_hdr_inotify_event, K_WD, wd),
	F(ckpt_hdr_inotify_event, K_INMASK, mask), F(ckpt_hdr_inotify_event, K_INT, cookie),
	F(ckpt_hdr_inotify_event, K_LEN, name_len),
};

static const struct seg s_inotify_event[] = {
	{ offsetof(struct ckpt_hdr_inotify_event, name_len), 4, 1, S_BYTES, NULL, 0 },
};

/* The name: NUL terminated as a path is, which a resize keeps it */
static const struct seg s_memfd[] = {
	{ offsetof(struct ckpt_hdr_memfd, name_len), 4, 1, S_PATH, NULL, 0 },
};

/*
 * Format 1.10: a timerfd, its clock, flags, expirations not read and
 * times.  Format 1.11: an epoll, an array of items, path_len bytes.
 */
static const struct field f_timerfd[] = {
	F(ckpt_timerfd, K_CLOCK, clockid), F(ckpt_timerfd, K_TFDFLAGS, flags),
	F(ckpt_timerfd, K_TICKS, ticks), F(ckpt_timerfd, K_NSEC, value_ns),
	F(ckpt_timerfd, K_NSEC, interval_ns),
};

static const struct field f_epoll_item[] = {
	F(ckpt_epoll_item, K_FILEREF, file_ref), F(ckpt_epoll_item, K_FD, fd),
	F(ckpt_epoll_item, K_EVENTS, events), F(ckpt_epoll_item, K_PAD, _pad),
	F(ckpt_epoll_item, K_INT, data),
};

/*
 * Format 1.17: a pseudo-terminal, an object before the first of its
 * files: its flags, session, termios, window size and what each side
 * holds, in[0] for the slave's reader and in[1] for the master's.  After
 * the struct: the path of the ptmx device, then for in[0] and in[1] in
 * turn its len bytes, its pending bytes and its line ends, a bit for
 * each of its first canon bytes.  A file of it (CKPT_FILE_PTY) names it
 * by pty_ref, which is pipe_ref, and says which end it is.
 */
#define PTY_OFF(m)	offsetof(struct ckpt_hdr_pty, m)

static const struct field f_pty[] = {
	F(ckpt_hdr_pty, K_RECLEN, h.h.len), F(ckpt_hdr_pty, K_REF, h.objref),
	F(ckpt_hdr_pty, K_PAD, h._pad), F(ckpt_hdr_pty, K_INT, index),
	F(ckpt_hdr_pty, K_PTYFLAGS, flags), F(ckpt_hdr_pty, K_LEN, path_len),
	F(ckpt_hdr_pty, K_ACCMODE, master_acc), F(ckpt_hdr_pty, K_TPID, session),
	F(ckpt_hdr_pty, K_TPID, fg_pgrp), F(ckpt_hdr_pty, K_PKTSTATUS, pktstatus),
	F(ckpt_hdr_pty, K_PAD, _pad),
	F(ckpt_hdr_pty, K_FLAGS, termios.c_iflag),
	F(ckpt_hdr_pty, K_FLAGS, termios.c_oflag),
	F(ckpt_hdr_pty, K_FLAGS, termios.c_cflag),
	F(ckpt_hdr_pty, K_LFLAG, termios.c_lflag),
	F(ckpt_hdr_pty, K_ENUM, termios.c_line),
	F(ckpt_hdr_pty, K_BYTES, termios.c_cc),
	F(ckpt_hdr_pty, K_COUNT, termios.c_ispeed),
	F(ckpt_hdr_pty, K_COUNT, termios.c_ospeed),
	F(ckpt_hdr_pty, K_PAD, termios._pad),
	F(ckpt_hdr_pty, K_COUNT, ws_row), F(ckpt_hdr_pty, K_COUNT, ws_col),
	F(ckpt_hdr_pty, K_COUNT, ws_xpixel), F(ckpt_hdr_pty, K_COUNT, ws_ypixel),
	F(ckpt_hdr_pty, K_LEN, in[0].len), F(ckpt_hdr_pty, K_LEN, in[0].canon),
	F(ckpt_hdr_pty, K_LEN, in[0].pending),
	F(ckpt_hdr_pty, K_TTYQFLAGS, in[0].flags),
	F(ckpt_hdr_pty, K_COUNT, in[0].column),
	F(ckpt_hdr_pty, K_COUNT, in[0].canon_column),
	F(ckpt_hdr_pty, K_LEN, in[1].len), F(ckpt_hdr_pty, K_LEN, in[1].canon),
	F(ckpt_hdr_pty, K_LEN, in[1].pending),
	F(ckpt_hdr_pty, K_TTYQFLAGS, in[1].flags),
	F(ckpt_hdr_pty, K_COUNT, in[1].column),
	F(ckpt_hdr_pty, K_COUNT, in[1].canon_column),
};

/* A byte of line ends: 8 bytes of the queue, bit i for byte i % 8. */
static const struct field f_tty_ends[] = { { "ends", 0, 1, K_FLAGS } };

/* The path, then for each side its bytes, its pending bytes, its ends. */
static const struct seg s_pty[] = {
	{ PTY_OFF(path_len), 4, 1, S_PATH, NULL, 0 },
	{ PTY_OFF(in[0].len), 4, 1, S_BYTES, NULL, 0 },
	{ PTY_OFF(in[0].pending), 4, 1, S_BYTES, NULL, 0 },
	{ PTY_OFF(in[0].canon), 4, 1, S_BITS, f_tty_ends, 1 },
	{ PTY_OFF(in[1].len), 4, 1, S_BYTES, NULL, 0 },
	{ PTY_OFF(in[1].pending), 4, 1, S_BYTES, NULL, 0 },
	{ PTY_OFF(in[1].canon), 4, 1, S_BITS, f_tty_ends, 1 },
};

/* The segments of side @i of a pty: its bytes and its line ends. */
#define PTY_SEG_LEN(i)	(1 + 3 * (i))
#define PTY_SEG_ENDS(i)	(3 + 3 * (i))

static const struct field f_pty_file[] = {
	F(ckpt_pty_file, K_ENUM, end), F(ckpt_pty_file, K_PAD, _pad),
};

/* Format 1.18: a pidfd, the pid of a task of the tree and its flags. */
static const struct field f_pidfd[] = {
	F(ckpt_pidfd, K_TPID, pid), F(ckpt_pidfd, K_FLAGS, flags),
};

static const struct field f_fd[] = {
	F(ckpt_fd, K_INT, fd), F(ckpt_fd, K_FLAGS, flags),
	F(ckpt_fd, K_REF, file_ref), F(ckpt_fd, K_PAD, _pad),
};

static const struct field f_files[] = {
	F(ckpt_hdr_files, K_RECLEN, h.h.len), F(ckpt_hdr_files, K_REF, h.objref),
	F(ckpt_hdr_files, K_PAD, h._pad), F(ckpt_hdr_files, K_COUNT, nr_fds),
	F(ckpt_hdr_files, K_PAD, _pad),
};

static const struct seg s_files[] = {
	{ offsetof(struct ckpt_hdr_files, nr_fds), 4, sizeof(struct ckpt_fd),
	  S_ARRAY, f_fd, ARRAY_SIZE(f_fd) },
};

static const struct field f_fs[] = {
	F(ckpt_hdr_fs, K_RECLEN, h.h.len), F(ckpt_hdr_fs, K_REF, h.objref),
	F(ckpt_hdr_fs, K_PAD, h._pad), F(ckpt_hdr_fs, K_FLAGS, umask),
	F(ckpt_hdr_fs, K_LEN, cwd_len), F(ckpt_hdr_fs, K_LEN, root_len),
	F(ckpt_hdr_fs, K_PAD, _pad),
};

static const struct seg s_fs[] = {
	{ offsetof(struct ckpt_hdr_fs, cwd_len), 4, 1, S_PATH, NULL, 0 },
	{ offsetof(struct ckpt_hdr_fs, root_len), 4, 1, S_PATH, NULL, 0 },
};

static const struct field f_sigaction[] = {
	F(ckpt_sigaction, K_ADDR, handler), F(ckpt_sigaction, K_FLAGS, flags),
	F(ckpt_sigaction, K_ADDR, restorer), F(ckpt_sigaction, K_FLAGS, mask),
};

static const struct fixed_array fa_sighand = {
	offsetof(struct ckpt_hdr_sighand, action), CKPT_NSIG,
	sizeof(struct ckpt_sigaction), f_sigaction, ARRAY_SIZE(f_sigaction),
};

static const struct field f_sighand[] = {
	F(ckpt_hdr_sighand, K_RECLEN, h.h.len),
	F(ckpt_hdr_sighand, K_REF, h.objref), F(ckpt_hdr_sighand, K_PAD, h._pad),
};

/* The siginfo fields user space sees, by offset. */
static const struct field f_siginfo[] = {
	{ "si_signo", 0, 4, K_SIG }, { "si_errno", 4, 4, K_INT },
	{ "si_code", 8, 4, K_INT }, { "si_pid", 16, 4, K_PID },
	{ "si_uid", 20, 4, K_ID }, { "si_value", 24, 8, K_ADDR },
	{ "si_extra", 32, 8, K_INT }, { "si_tail", 120, 8, K_INT },
};

static const struct field f_signal[] = {
	F(ckpt_hdr_signal, K_RECLEN, h.h.len), F(ckpt_hdr_signal, K_REF, h.objref),
	F(ckpt_hdr_signal, K_PAD, h._pad), F(ckpt_hdr_signal, K_COUNT, nr_pending),
	F(ckpt_hdr_signal, K_SIG, checkpoint_signal),
	F(ckpt_hdr_signal, K_INT, it_real_value),
	F(ckpt_hdr_signal, K_INT, it_real_interval),
	F(ckpt_hdr_signal, K_INT, it_virt_value),
	F(ckpt_hdr_signal, K_INT, it_virt_interval),
	F(ckpt_hdr_signal, K_INT, it_prof_value),
	F(ckpt_hdr_signal, K_INT, it_prof_interval),
};

static const struct seg s_signal[] = {
	{ offsetof(struct ckpt_hdr_signal, nr_pending), 4, CKPT_SIGINFO_SIZE,
	  S_ARRAY, f_siginfo, ARRAY_SIZE(f_siginfo) },
};

static const struct field f_tsig[] = {
	F(ckpt_hdr_task_signals, K_RECLEN, h.len),
	F(ckpt_hdr_task_signals, K_FLAGS, blocked),
	F(ckpt_hdr_task_signals, K_FLAGS, saved_sigmask),
	F(ckpt_hdr_task_signals, K_ADDR, altstack_sp),
	F(ckpt_hdr_task_signals, K_COUNT, altstack_size),
	F(ckpt_hdr_task_signals, K_FLAGS, altstack_flags),
	F(ckpt_hdr_task_signals, K_FLAGS, flags),
	F(ckpt_hdr_task_signals, K_COUNT, nr_pending),
	F(ckpt_hdr_task_signals, K_SIG, stop_code),	/* format 1.29 */
};

static const struct seg s_tsig[] = {
	{ offsetof(struct ckpt_hdr_task_signals, nr_pending), 4,
	  CKPT_SIGINFO_SIZE, S_ARRAY, f_siginfo, ARRAY_SIZE(f_siginfo) },
};

/* Format 1.1: the restart block of a sleeping system call. */
static const struct field f_ptimers[] = {
	F(ckpt_hdr_posix_timers, K_RECLEN, h.len),
	F(ckpt_hdr_posix_timers, K_COUNT, nr_timers),
	F(ckpt_hdr_posix_timers, K_INT, next_id),
};

static const struct field f_ptimer[] = {
	F(ckpt_posix_timer, K_INT, id), F(ckpt_posix_timer, K_INT, clockid),
	F(ckpt_posix_timer, K_FLAGS, notify), F(ckpt_posix_timer, K_SIG, signo),
	F(ckpt_posix_timer, K_PID, notify_tid), F(ckpt_posix_timer, K_FLAGS, flags),
	F(ckpt_posix_timer, K_INT, sigval), F(ckpt_posix_timer, K_INT, value),
	F(ckpt_posix_timer, K_INT, interval), F(ckpt_posix_timer, K_INT, overrun),
	F(ckpt_posix_timer, K_INT, overrun_last),
	F(ckpt_posix_timer, K_INT, requeue), F(ckpt_posix_timer, K_PAD, _pad),
};

static const struct seg s_ptimers[] = {
	{ offsetof(struct ckpt_hdr_posix_timers, nr_timers), 4,
	  sizeof(struct ckpt_posix_timer), S_ARRAY, f_ptimer, ARRAY_SIZE(f_ptimer) },
};

static const struct field f_rblock[] = {
	F(ckpt_hdr_restart_block, K_RECLEN, h.len),
	F(ckpt_hdr_restart_block, K_ENUM, kind),
	F(ckpt_hdr_restart_block, K_FLAGS, flags),
	F(ckpt_hdr_restart_block, K_INT, clockid),
	F(ckpt_hdr_restart_block, K_INT, val),
	F(ckpt_hdr_restart_block, K_FLAGS, bitset),
	F(ckpt_hdr_restart_block, K_COUNT, nfds),
	F(ckpt_hdr_restart_block, K_ADDR, addr),
	F(ckpt_hdr_restart_block, K_INT, timeout_ns),
};

/* T(type, name, struct, object, segs, nr_segs, fixup, fields) */
#define T(t, n, s, o, sg, nsg, fa, ...) \
	{ t, n, sizeof(struct s), o, __VA_ARGS__, ARRAY_SIZE(__VA_ARGS__), sg, nsg, fa }

static const struct rtype rtypes[] = {
	T(CKPT_HDR_HEADER, "header", ckpt_hdr_header, false, NULL, 0, NULL, f_header),
	T(CKPT_HDR_TAIL, "tail", ckpt_hdr_tail, false, NULL, 0, NULL, f_tail),
	T(CKPT_HDR_ERROR, "error", ckpt_hdr_error, false, NULL, 0, NULL, f_error),
	T(CKPT_HDR_TREE, "tree", ckpt_hdr_tree, false, s_tree, ARRAY_SIZE(s_tree), NULL, f_tree),
	T(CKPT_HDR_PIDNS, "pidns", ckpt_hdr_pidns, false, s_pidns, ARRAY_SIZE(s_pidns),
	  NULL, f_pidns),
	T(CKPT_HDR_TASK, "task", ckpt_hdr_task, false, NULL, 0, NULL, f_task),
	T(CKPT_HDR_NAMESPACES, "namespaces", ckpt_hdr_namespaces, false, NULL, 0, NULL, f_ns),
	T(CKPT_HDR_NET, "net", ckpt_hdr_net, false, s_net, ARRAY_SIZE(s_net), NULL, f_net),
	T(CKPT_HDR_CRED, "cred", ckpt_hdr_cred, true, s_cred, ARRAY_SIZE(s_cred), NULL, f_cred),
	T(CKPT_HDR_TASK_ATTRS, "task_attrs", ckpt_hdr_task_attrs, false,
	  NULL, 0, &fa_attrs, f_attrs),
	T(CKPT_HDR_X86_REGS, "x86_regs", ckpt_hdr_x86_regs, false, NULL, 0, NULL, f_regs),
	T(CKPT_HDR_X86_XSTATE, "x86_xstate", ckpt_hdr_x86_xstate, false,
	  s_xstate, ARRAY_SIZE(s_xstate), NULL, f_xstate),
	T(CKPT_HDR_MM, "mm", ckpt_hdr_mm, true, s_mm, ARRAY_SIZE(s_mm), NULL, f_mm),
	T(CKPT_HDR_VMA, "vma", ckpt_hdr_vma, false, s_vma, ARRAY_SIZE(s_vma), NULL, f_vma),
	T(CKPT_HDR_PAGES, "pages", ckpt_hdr_pages, false,
	  s_pages, ARRAY_SIZE(s_pages), NULL, f_pages),
	T(CKPT_HDR_PAGES_COW, "pages_cow", ckpt_hdr_pages, false,
	  NULL, 0, NULL, f_pages),
	T(CKPT_HDR_FILE, "file", ckpt_hdr_file, true, s_file, ARRAY_SIZE(s_file), NULL, f_file),
	T(CKPT_HDR_FILES, "files", ckpt_hdr_files, true,
	  s_files, ARRAY_SIZE(s_files), NULL, f_files),
	T(CKPT_HDR_FS, "fs", ckpt_hdr_fs, true, s_fs, ARRAY_SIZE(s_fs), NULL, f_fs),
	T(CKPT_HDR_SIGHAND, "sighand", ckpt_hdr_sighand, true, NULL, 0, &fa_sighand, f_sighand),
	T(CKPT_HDR_SIGNAL, "signal", ckpt_hdr_signal, true,
	  s_signal, ARRAY_SIZE(s_signal), NULL, f_signal),
	T(CKPT_HDR_TASK_SIGNALS, "task_signals", ckpt_hdr_task_signals, false,
	  s_tsig, ARRAY_SIZE(s_tsig), NULL, f_tsig),
	T(CKPT_HDR_RESTART_BLOCK, "restart_block", ckpt_hdr_restart_block, false,
	  NULL, 0, NULL, f_rblock),
	T(CKPT_HDR_POSIX_TIMERS, "posix_timers", ckpt_hdr_posix_timers, false,
	  s_ptimers, ARRAY_SIZE(s_ptimers), NULL, f_ptimers),
	T(CKPT_HDR_PIPE, "pipe", ckpt_hdr_pipe, true, s_pipe, ARRAY_SIZE(s_pipe),
	  NULL, f_pipe),
	T(CKPT_HDR_UNIX_PAIR, "unix_pair", ckpt_hdr_unix_pair, true,
	  s_unix_pair, ARRAY_SIZE(s_unix_pair), NULL, f_unix_pair),
	T(CKPT_HDR_TCP, "tcp", ckpt_hdr_tcp, true, s_tcp, ARRAY_SIZE(s_tcp),
	  NULL, f_tcp),
	T(CKPT_HDR_TCP_ACCEPT, "tcp_accept", ckpt_hdr_tcp_accept, true,
	  s_tcp_accept, ARRAY_SIZE(s_tcp_accept), NULL, f_tcp_accept),
	T(CKPT_HDR_SHMEM, "shmem", ckpt_hdr_shmem, true, NULL, 0, NULL, f_shmem),
	T(CKPT_HDR_SHMEM_HUGETLB, "shmem_hugetlb", ckpt_hdr_shmem_hugetlb, true,
	  NULL, 0, NULL, f_shmem_hugetlb),
	T(CKPT_HDR_MEMFD, "memfd", ckpt_hdr_memfd, true, s_memfd, ARRAY_SIZE(s_memfd),
	  NULL, f_memfd),
	T(CKPT_HDR_FILE_LOCKS, "file_locks", ckpt_hdr_file_locks, false,
	  s_file_locks, ARRAY_SIZE(s_file_locks), NULL, f_file_locks),
	T(CKPT_HDR_IPC_SHM, "ipc_shm", ckpt_hdr_ipc_shm, true, NULL, 0, NULL, f_ipc_shm),
	T(CKPT_HDR_IPC_MSG, "ipc_msg", ckpt_hdr_ipc_msg, true, NULL, 0, NULL, f_ipc_msg),
	T(CKPT_HDR_IPC_MSG_TEXT, "ipc_msg_text", ckpt_hdr_ipc_msg_text, false,
	  s_ipc_msg_text, ARRAY_SIZE(s_ipc_msg_text), NULL, f_ipc_msg_text),
	T(CKPT_HDR_IPC_SEM, "ipc_sem", ckpt_hdr_ipc_sem, true,
	  s_ipc_sem, ARRAY_SIZE(s_ipc_sem), NULL, f_ipc_sem),
	T(CKPT_HDR_IPC_SEM_UNDO, "ipc_sem_undo", ckpt_hdr_ipc_sem_undo, true,
	  NULL, 0, NULL, f_ipc_sem_undo),
	T(CKPT_HDR_IPC_SEM_ADJ, "ipc_sem_adj", ckpt_hdr_ipc_sem_adj, false,
	  s_ipc_sem_adj, ARRAY_SIZE(s_ipc_sem_adj), NULL, f_ipc_sem_adj),
	T(CKPT_HDR_IPC_MQ_NS, "ipc_mq_ns", ckpt_hdr_ipc_mq_ns, true, NULL, 0, NULL, f_ipc_mq_ns),
	T(CKPT_HDR_IPC_MQ, "ipc_mq", ckpt_hdr_ipc_mq, true, NULL, 0, NULL, f_ipc_mq),
	T(CKPT_HDR_IPC_MQ_MSG, "ipc_mq_msg", ckpt_hdr_ipc_mq_msg, false,
	  s_ipc_mq_msg, ARRAY_SIZE(s_ipc_mq_msg), NULL, f_ipc_mq_msg),
	T(CKPT_HDR_PTY, "pty", ckpt_hdr_pty, true, s_pty, ARRAY_SIZE(s_pty), NULL, f_pty),
	T(CKPT_HDR_INOTIFY_WATCH, "inotify_watch", ckpt_hdr_inotify_watch, false,
	  s_inotify_watch, ARRAY_SIZE(s_inotify_watch), NULL, f_inotify_watch),
	T(CKPT_HDR_INOTIFY_EVENT, "inotify_event", ckpt_hdr_inotify_event, false,
	  s_inotify_event, ARRAY_SIZE(s_inotify_event), NULL, f_inotify_event),
};

/*
 * Payloads that depend on the kind of a record: right after its struct,
 * path_len bytes long (the segment of its path).  A payload that is an
 * array has items elem bytes long, as many as fit in path_len; key_off
 * is the offset in an item of the 4-byte field that tells items apart.
 */
struct variant {
	__u32 type;
	unsigned short kind_off;
	__u32 kind;
	const struct field *f;
	int nf;
	unsigned int elem;
	unsigned short key_off;
};

static const struct variant variants[] = {
	{ CKPT_HDR_FILE, offsetof(struct ckpt_hdr_file, kind), CKPT_FILE_SOCKET,
	  f_socket, ARRAY_SIZE(f_socket), 0, 0 },
	{ CKPT_HDR_FILE, offsetof(struct ckpt_hdr_file, kind), CKPT_FILE_TIMERFD,
	  f_timerfd, ARRAY_SIZE(f_timerfd), 0, 0 },
	{ CKPT_HDR_FILE, offsetof(struct ckpt_hdr_file, kind), CKPT_FILE_EPOLL,
	  f_epoll_item, ARRAY_SIZE(f_epoll_item), sizeof(struct ckpt_epoll_item),
	  offsetof(struct ckpt_epoll_item, fd) },
	{ CKPT_HDR_FILE, offsetof(struct ckpt_hdr_file, kind), CKPT_FILE_PTY,
	  f_pty_file, ARRAY_SIZE(f_pty_file), 0, 0 },
	{ CKPT_HDR_FILE, offsetof(struct ckpt_hdr_file, kind), CKPT_FILE_PIDFD,
	  f_pidfd, ARRAY_SIZE(f_pidfd), 0, 0 },
	{ CKPT_HDR_FILE, offsetof(struct ckpt_hdr_file, kind), CKPT_FILE_INOTIFY,
	  f_inotify, ARRAY_SIZE(f_inotify), 0, 0 },
	{ CKPT_HDR_VMA, offsetof(struct ckpt_hdr_vma, kind), CKPT_VMA_SHMEM,
	  f_vma_shmem, ARRAY_SIZE(f_vma_shmem), 0, 0 },
	{ CKPT_HDR_VMA, offsetof(struct ckpt_hdr_vma, kind), CKPT_VMA_MEMFD,
	  f_vma_shmem, ARRAY_SIZE(f_vma_shmem), 0, 0 },
	{ CKPT_HDR_VMA, offsetof(struct ckpt_hdr_vma, kind), CKPT_VMA_SYSVSHM,
	  f_vma_shmem, ARRAY_SIZE(f_vma_shmem), 0, 0 },
	/* shared; a private one has no payload */
	{ CKPT_HDR_VMA, offsetof(struct ckpt_hdr_vma, kind), CKPT_VMA_HUGETLB,
	  f_vma_shmem, ARRAY_SIZE(f_vma_shmem), 0, 0 },
};

static const struct rtype *rtype_of(__u32 type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rtypes); i++)
		if (rtypes[i].type == type)
			return &rtypes[i];
	return NULL;
}

static const char *type_name(__u32 type)
{
	const struct rtype *t = rtype_of(type);

	return t ? t->name : "unknown";
}

/* ------------------------------------------------------------------ */
/* Images as lists of records                                          */

struct recs {
	struct ckpt_rec r[MAX_RECS];
	int n;
	size_t end;	/* where the walk stopped: the rest is not framed */
};

/* Walk as far as the framing holds. */
static void walk(const struct ckpt_image *img, struct recs *rs)
{
	size_t off = 0;

	rs->n = 0;
	while (rs->n < MAX_RECS && img->len - off >= sizeof(struct ckpt_hdr)) {
		struct ckpt_hdr h;

		memcpy(&h, img->buf + off, sizeof(h));
		if (h.len < sizeof(h) ||
		    CKPT_ALIGN_UP((size_t)h.len) > img->len - off)
			break;
		rs->r[rs->n].off = off;
		rs->r[rs->n].type = h.type;
		rs->r[rs->n].len = h.len;
		rs->n++;
		off += CKPT_ALIGN_UP((size_t)h.len);
	}
	rs->end = off;
}

static __u64 get_le(const unsigned char *p, unsigned int size)
{
	__u64 v = 0;

	memcpy(&v, p, size);
	return v;
}

static void put_le(unsigned char *p, unsigned int size, __u64 v)
{
	memcpy(p, &v, size);
}

/* Replace the record at @r (with its padding) by @len bytes of @data. */
static int rec_replace(struct ckpt_image *img, const struct ckpt_rec *r,
		       const unsigned char *data, size_t len)
{
	size_t padded = CKPT_ALIGN_UP(len);
	unsigned char *tmp = calloc(1, padded ? padded : 1);
	int err;

	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, data, len);
	image_delete(img, r->off, CKPT_ALIGN_UP((size_t)r->len));
	err = image_insert(img, r->off, tmp, padded);
	free(tmp);
	return err;
}

/* A record being edited, out of the image. */
struct rbuf {
	unsigned char *p;
	size_t len;
};

static int rbuf_get(struct rbuf *b, const struct ckpt_image *img,
		    const struct ckpt_rec *r)
{
	b->len = r->len;
	b->p = malloc(b->len + 1);
	if (!b->p)
		return -ENOMEM;
	memcpy(b->p, img->buf + r->off, b->len);
	return 0;
}

/* Resize the bytes at [off, off + old) to @new, zero filled. */
static int rbuf_resize(struct rbuf *b, size_t off, size_t old, size_t new)
{
	unsigned char *p;

	if (off > b->len || old > b->len - off)
		return -EINVAL;
	if (new > old) {
		p = realloc(b->p, b->len + new - old + 1);
		if (!p)
			return -ENOMEM;
		b->p = p;
		memmove(p + off + new, p + off + old, b->len - off - old);
		memset(p + off + old, 0, new - old);
	} else {
		memmove(b->p + off + new, b->p + off + old, b->len - off - old);
	}
	b->len = b->len + new - old;
	return 0;
}

/* Put an edited record back, its length field made to match or not. */
static int rbuf_put(struct rbuf *b, struct ckpt_image *img,
		    const struct ckpt_rec *r, bool fix_len)
{
	int err;

	if (fix_len && b->len >= sizeof(struct ckpt_hdr))
		((struct ckpt_hdr *)b->p)->len = b->len;
	err = rec_replace(img, r, b->p, b->len);
	free(b->p);
	b->p = NULL;
	return err;
}

/* The bytes a segment of @n elements takes. */
static __u64 seg_bytes(const struct seg *s, __u64 n)
{
	return s->kind == S_BITS ? n / 8 + !!(n % 8) : n * s->elem;
}

/* The bytes of segment @i of a record, from its count; false if past @len. */
static bool seg_counted(const struct rtype *t, const struct rbuf *b, int i,
			__u64 *n)
{
	const struct seg *s = &t->segs[i];

	if (!s->count_size || s->count_off + s->count_size > b->len)
		return false;
	*n = seg_bytes(s, get_le(b->p + s->count_off, s->count_size));
	return *n <= b->len;
}

/* Offset and size of payload segment @i of a record, from its counts. */
static bool seg_span(const struct rtype *t, const struct rbuf *b, int i,
		     size_t *off, size_t *size)
{
	size_t o = t->size;
	int k, j;

	for (k = 0; k <= i; k++) {
		const struct seg *s = &t->segs[k];
		__u64 n, after = 0, m;

		if (s->count_size) {
			if (!seg_counted(t, b, k, &n))
				return false;
		} else {
			/* What the segments after it leave */
			for (j = k + 1; j < t->nsegs; j++) {
				if (!seg_counted(t, b, j, &m))
					return false;
				after += m;
			}
			if (o > b->len || after > b->len - o)
				return false;
			n = b->len - o - after;
		}
		if (k == i) {
			*off = o;
			*size = n;
			return o <= b->len && n <= b->len - o;
		}
		o += n;
		if (o > b->len)
			return false;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* The fuzzing context                                                 */

enum phase { P_START, P_VALIDATE, P_RESTART, P_REAP, P_CHILDREN, P_DONE };

static const char * const phase_names[] = {
	"setup", "restart(RESTART_VALIDATE)", "restart()", "kill and reap",
	"children check", "done",
};

struct outcome {
	int phase;
	long ret[2];		/* validate, restart: value or -errno */
	char log[2][LOG_LEN];
	long reaped;		/* waitpid() of the restored pid */
	int status;
	pid_t leftover;		/* a child found after the restart */
};

struct seed {
	const char *name;
	struct ckpt_image img;
	long base[4];		/* unmutated: validate/restart, root/nobody */
};

#define NR_SEEDS	21

struct fuzz {
	struct seed seeds[NR_SEEDS];
	int nr_seeds;
	char work[128];		/* our files: data, fifo, loop, ... */
	char data[160];		/* the file the seeds map and open */
	char outdir[256];
	struct stat data_st;
	__u64 seed;
	unsigned int alarm_s;
	pid_t pid_max;
	bool dump;
	bool use_fifo;
	int kmsg;
	/* the image being mutated */
	char desc[DESC_LEN];
	__u64 addrs[64];	/* addresses found in it */
	int nr_addrs;
	__u64 shm_sizes[8];	/* sizes of its shared memory, memfds and segments */
	int nr_shm;
	__u32 file_refs[64];	/* objrefs of its files */
	int nr_files;
	__u32 epoll_refs[16];	/* ... and of its epolls */
	int nr_epolls;
	__u32 pty_refs[8];	/* objrefs of its ptys */
	int nr_ptys;
	pid_t tree_pids[48];	/* pids, groups and sessions of its tree */
	int nr_tree_pids;
	__s32 ifindexes[16];	/* of the devices of its network namespace */
	int nr_ifindexes;
	__u32 nr_tasks;		/* of its tree */
	__u32 nr_pidns;		/* nested pid namespaces of its pidns record */
	__u32 cur_ref;		/* objref of the record being mutated */
	__u32 nr_objs;
	/* results */
	unsigned long images, runs, restored, refused, failures, saved, dumped;
	unsigned long validated;
	struct {
		char key[128];
		unsigned long count;
	} keys[MAX_KEYS];
	int nr_keys;
	struct outcome last;	/* of the last image fed as root */
	double t0;		/* when the setup began */
};

static void desc_add(struct fuzz *fz, const char *fmt, ...)
{
	size_t len = strlen(fz->desc);
	va_list ap;

	if (len + 2 >= sizeof(fz->desc))
		return;
	if (len)
		fz->desc[len++] = ';';
	va_start(ap, fmt);
	vsnprintf(fz->desc + len, sizeof(fz->desc) - len, fmt, ap);
	va_end(ap);
}

/* The pids, groups and sessions of the tasks of a tree record. */
static void scan_tree(struct fuzz *fz, const unsigned char *p, size_t len)
{
	const struct ckpt_hdr_tree *t = (const void *)p;
	const struct ckpt_pids *pids = (const void *)(t + 1);
	size_t n = (len - sizeof(*t)) / sizeof(*pids), k;

	if (n > t->nr_tasks)
		n = t->nr_tasks;
	for (k = 0; k < n && fz->nr_tree_pids + 3 <= (int)ARRAY_SIZE(fz->tree_pids);
	     k++) {
		fz->tree_pids[fz->nr_tree_pids++] = pids[k].pid;
		fz->tree_pids[fz->nr_tree_pids++] = pids[k].pgid;
		fz->tree_pids[fz->nr_tree_pids++] = pids[k].sid;
	}
}

/* The ifindexes of the devices of a net record. */
static void scan_net(struct fuzz *fz, const unsigned char *p, size_t len)
{
	const struct ckpt_hdr_net *h = (const void *)p;
	const struct ckpt_netdev *d = (const void *)(h + 1);
	size_t n = (len - sizeof(*h)) / sizeof(*d), k;

	if (n > h->nr_devs)
		n = h->nr_devs;
	for (k = 0; k < n && fz->nr_ifindexes < (int)ARRAY_SIZE(fz->ifindexes); k++)
		fz->ifindexes[fz->nr_ifindexes++] = d[k].ifindex;
}

/* Addresses and object counts of the image, for plausible values. */
static void scan_image(struct fuzz *fz, const struct ckpt_image *img)
{
	struct recs *rs = malloc(sizeof(*rs));
	int i;

	fz->nr_addrs = 0;
	fz->nr_shm = 0;
	fz->nr_files = 0;
	fz->nr_epolls = 0;
	fz->nr_ptys = 0;
	fz->nr_tree_pids = 0;
	fz->nr_ifindexes = 0;
	fz->nr_tasks = 0;
	fz->nr_pidns = 0;
	fz->nr_objs = 0;
	if (!rs)
		return;
	walk(img, rs);
	for (i = 0; i < rs->n; i++) {
		const unsigned char *p = img->buf + rs->r[i].off;
		const struct rtype *t = rtype_of(rs->r[i].type);

		if (t && t->obj)
			fz->nr_objs++;
		if (rs->r[i].type == CKPT_HDR_VMA &&
		    rs->r[i].len >= sizeof(struct ckpt_hdr_vma) &&
		    fz->nr_addrs + 2 <= (int)ARRAY_SIZE(fz->addrs)) {
			const struct ckpt_hdr_vma *v = (const void *)p;

			fz->addrs[fz->nr_addrs++] = v->start;
			fz->addrs[fz->nr_addrs++] = v->end;
		}
		if (rs->r[i].type == CKPT_HDR_SHMEM &&
		    rs->r[i].len >= sizeof(struct ckpt_hdr_shmem) &&
		    fz->nr_shm < (int)ARRAY_SIZE(fz->shm_sizes))
			fz->shm_sizes[fz->nr_shm++] =
				((const struct ckpt_hdr_shmem *)p)->size;
		if (rs->r[i].type == CKPT_HDR_SHMEM_HUGETLB &&
		    rs->r[i].len >= sizeof(struct ckpt_hdr_shmem_hugetlb) &&
		    fz->nr_shm < (int)ARRAY_SIZE(fz->shm_sizes))
			fz->shm_sizes[fz->nr_shm++] =
				((const struct ckpt_hdr_shmem_hugetlb *)p)->size;
		if (rs->r[i].type == CKPT_HDR_MEMFD &&
		    rs->r[i].len >= sizeof(struct ckpt_hdr_memfd) &&
		    fz->nr_shm < (int)ARRAY_SIZE(fz->shm_sizes))
			fz->shm_sizes[fz->nr_shm++] =
				((const struct ckpt_hdr_memfd *)p)->size;
		if (rs->r[i].type == CKPT_HDR_IPC_SHM &&
		    rs->r[i].len >= sizeof(struct ckpt_hdr_ipc_shm) &&
		    fz->nr_shm < (int)ARRAY_SIZE(fz->shm_sizes))
			fz->shm_sizes[fz->nr_shm++] =
				((const struct ckpt_hdr_ipc_shm *)p)->size;
		if (rs->r[i].type == CKPT_HDR_FILE &&
		    rs->r[i].len >= sizeof(struct ckpt_hdr_file)) {
			const struct ckpt_hdr_file *f = (const void *)p;

			if (fz->nr_files < (int)ARRAY_SIZE(fz->file_refs))
				fz->file_refs[fz->nr_files++] = f->h.objref;
			if (f->kind == CKPT_FILE_EPOLL &&
			    fz->nr_epolls < (int)ARRAY_SIZE(fz->epoll_refs))
				fz->epoll_refs[fz->nr_epolls++] = f->h.objref;
		}
		if (rs->r[i].type == CKPT_HDR_PTY &&
		    rs->r[i].len >= sizeof(struct ckpt_hdr_pty) &&
		    fz->nr_ptys < (int)ARRAY_SIZE(fz->pty_refs))
			fz->pty_refs[fz->nr_ptys++] =
				((const struct ckpt_hdr_pty *)p)->h.objref;
		if (rs->r[i].type == CKPT_HDR_TREE &&
		    rs->r[i].len >= sizeof(struct ckpt_hdr_tree)) {
			scan_tree(fz, p, rs->r[i].len);
			fz->nr_tasks = ((const struct ckpt_hdr_tree *)p)->nr_tasks;
		}
		if (rs->r[i].type == CKPT_HDR_PIDNS &&
		    rs->r[i].len >= sizeof(struct ckpt_hdr_pidns))
			fz->nr_pidns = ((const struct ckpt_hdr_pidns *)p)->nr_ns;
		if (rs->r[i].type == CKPT_HDR_NET &&
		    rs->r[i].len >= sizeof(struct ckpt_hdr_net))
			scan_net(fz, p, rs->r[i].len);
	}
	free(rs);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

#define TASK_SIZE_MAX_X86	0x7ffffffff000ULL

static __u64 gen_int(__u64 old, unsigned int size)
{
	const __u64 top = 1ULL << (size * 8 - 1);

	switch (rnd_below(14)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return ~0ULL;
	case 3: return old + 1;
	case 4: return old - 1;
	case 5: return old ^ (1ULL << rnd_below(size * 8));
	case 6: return rnd();
	case 7: return rnd_below(256);
	case 8: return top;
	case 9: return top - 1;
	case 10: return old << 1;
	case 11: return old >> 1;
	case 12: return 0x80000000ULL;
	default: return 0x100000000ULL + rnd_below(3) - 1;
	}
}

static __u64 gen_count(__u64 old)
{
	static const __u64 edges[] = {
		0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 65, 127, 128, 129,
		255, 256, 257, 1023, 1024, 4095, 4096, 4097, 32767, 32768,
		32769, 65535, 65536, 65537, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ULL, ~0ULL,
	};

	switch (rnd_below(6)) {
	case 0: return old + 1;
	case 1: return old - 1;
	case 2: return old * 2;
	case 3: return old / 2;
	default: return PICK(edges);
	}
}

static __u64 gen_addr(const struct fuzz *fz, __u64 old)
{
	static const __u64 specials[] = {
		0, 1, 0x1000, 0x10000, 0x400000, TASK_SIZE_MAX_X86 - 0x1000,
		TASK_SIZE_MAX_X86 - 1, TASK_SIZE_MAX_X86, 0x7fffffffffffULL,
		0x800000000000ULL, 0x00ff800000000000ULL, 0x8000000000000000ULL,
		0xffff800000000000ULL, 0xffffffff81000000ULL, 0xffffffffff600000ULL,
		~0ULL, ~0xfffULL,
	};

	switch (rnd_below(8)) {
	case 0:
	case 1:
		return PICK(specials);
	case 2:
		return fz->nr_addrs ? fz->addrs[rnd_below(fz->nr_addrs)] : old;
	case 3:
		return old + (rnd_below(2) ? PAGE : -PAGE);
	case 4:
		return old + rnd_below(16) - 8;
	case 5:
		return (0x10000 + rnd() % (TASK_SIZE_MAX_X86 - 0x10000)) & ~0xfffULL;
	case 6:
		return fz->nr_addrs ? fz->addrs[rnd_below(fz->nr_addrs)] +
				      PAGE * ((__u64)rnd_below(9) - 4) : old;
	default:
		return gen_int(old, 8);
	}
}

/*
 * An offset in shared memory or a memfd, for its pages, or its size:
 * pages inside it, at and past its end, unaligned, and the largest a
 * file may be.
 */
static __u64 gen_off(const struct fuzz *fz, __u64 old)
{
	static const __u64 specials[] = {
		0, 1, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, 256 * PAGE, 257 * PAGE,
		1ULL << 32, 0x7ffffffffffff000ULL, 0x7fffffffffffffffULL,
		0x8000000000000000ULL, ~0xfffULL, ~0ULL,
	};
	__u64 size = fz->nr_shm ? fz->shm_sizes[rnd_below(fz->nr_shm)] : 0;

	if (!size || size > (1ULL << 30))
		size = 8 * PAGE;
	switch (rnd_below(8)) {
	case 0:
	case 1:
		return PICK(specials);
	case 2:
		return size;
	case 3:
		return size - PAGE;
	case 4:
		return old + (rnd_below(2) ? PAGE : -PAGE);
	case 5:
		return (__u64)rnd_below(2 * size / PAGE + 1) * PAGE;
	case 6:
		return old + rnd_below(16) - 8;
	default:
		return gen_count(old);
	}
}

/*
 * A time in nanoseconds, a timerfd's value or interval: short ones (a
 * timer that fires at once, or all the time), around a second, around
 * now on CLOCK_REALTIME (an absolute expiry just past or to come), and
 * around KTIME_MAX and the last second a ktime holds.
 */
static __u64 gen_nsec(__u64 old)
{
	static const __u64 specials[] = {
		0, 1, 1000, NSEC - 1, NSEC, NSEC + 1, 1000 * NSEC, 1ULL << 32,
		KTIME_MAX_NS / NSEC * NSEC, KTIME_MAX_NS / NSEC * NSEC + NSEC - 1,
		KTIME_MAX_NS - NSEC, KTIME_MAX_NS - 1, KTIME_MAX_NS,
		KTIME_MAX_NS + 1, ~0ULL,
	};
	struct timespec ts;

	switch (rnd_below(7)) {
	case 0:
	case 1:
		return PICK(specials);
	case 2:
		clock_gettime(CLOCK_REALTIME, &ts);
		return ts.tv_sec * NSEC + ts.tv_nsec +
		       ((__u64)rnd_below(5) - 2) * NSEC;
	case 3:
		return old + rnd_below(3) - 1;
	case 4:
		return one_in(2) ? old * 2 : old / 2;
	case 5:
		return (__u64)rnd_below(1000) * 1000000;
	default:
		return gen_count(old);
	}
}

/*
 * The file an epoll item watches: a file of the image, one defined
 * before the epoll (as restart wants), an epoll, the epoll itself, an
 * object defined after it, none, or an object that is no file.
 */
static __u64 gen_fileref(const struct fuzz *fz, __u64 old)
{
	int n = 0, k;

	switch (rnd_below(8)) {
	case 0:
		return fz->nr_files ? fz->file_refs[rnd_below(fz->nr_files)] : old;
	case 1:
		for (k = 0; k < fz->nr_files; k++)
			n += fz->file_refs[k] < fz->cur_ref;
		if (!n)
			return old;
		n = rnd_below(n);
		for (k = 0; k < fz->nr_files; k++)
			if (fz->file_refs[k] < fz->cur_ref && !n--)
				break;
		return fz->file_refs[k];
	case 2:
		return fz->nr_epolls ?
		       fz->epoll_refs[rnd_below(fz->nr_epolls)] : old;
	case 3:
		return fz->cur_ref;
	case 4:
		return fz->cur_ref + 1 + rnd_below(3);
	case 5:
		return 0;
	case 6:
		return fz->nr_objs + 1 + rnd_below(3);
	default:
		return 1 + rnd_below(fz->nr_objs ? fz->nr_objs : 1);
	}
}

/*
 * The ifindex of a device: one of the image (the peer of a veth, the
 * device of an address or a route, or a duplicate), the loopback
 * device's, none, one past those of the image, negative, the largest.
 */
static __u64 gen_ifindex(const struct fuzz *fz, __u64 old)
{
	static const __s64 specials[] = { 0, 1, 2, -1, INT_MAX, INT_MIN };
	__s32 max = 0;
	int k;

	switch (rnd_below(6)) {
	case 0:
	case 1:
		return fz->nr_ifindexes ? fz->ifindexes[rnd_below(fz->nr_ifindexes)] : 1;
	case 2:
		for (k = 0; k < fz->nr_ifindexes; k++)
			if (fz->ifindexes[k] > max)
				max = fz->ifindexes[k];
		return max + 1;
	case 3:
		return old + rnd_below(3) - 1;
	default:
		return PICK(specials);
	}
}

/*
 * The length of a payload of @elem byte items (an epoll's, the only
 * one): an item more or less, none, a few, twice as many, at and past
 * CKPT_EPOLL_MAX_ITEMS, or a length that is no whole number of items.
 */
static __u64 gen_items_len(__u64 old, unsigned int elem)
{
	static const __u64 counts[] = {
		0, 1, 2, 3, 4, 8, 64, CKPT_EPOLL_MAX_ITEMS,
		CKPT_EPOLL_MAX_ITEMS + 1,
	};
	__u64 n = old / elem;

	switch (rnd_below(6)) {
	case 0:
		return (n + 1) * elem;
	case 1:
		return n > 1 ? (n - 1) * elem : 0;
	case 2:
		return 2 * n * elem;
	case 3:
		return old + 1 + rnd_below(elem - 1);
	case 4:
		return gen_count(old);
	default:
		return PICK(counts) * elem;
	}
}

static __u64 gen_value(const struct fuzz *fz, int kind, __u64 old,
		       unsigned int size)
{
	static const __s64 sysnrs[] = {
		-1, -2, 0, 1, 15, 35, 56, 57, 59, 60, 61, 219, 230, 231, 435,
		461, 462, 463, 464, 465, 1000, -512, -516,
	};
	static const __s64 regs[] = {
		0, -4, -512, -513, -514, -516, -1, 0x7fffffffffffffffLL,
	};
	static const __u64 segs[] = { 0x33, 0x2b, 0x23, 0x10, 0, 3, 0xffff, 0x3b };
	static const __s64 ids[] = { 0, 1, 65534, 65535, 1000, -1, 0x7fffffff };
	/*
	 * SysV IPC ids: the first of a namespace, the first of the next
	 * sequence (the index is the low 15 bits), the largest, negative
	 */
	static const __s64 ipcids[] = {
		0, 1, 32767, 32768, 32769, 65536, INT_MAX - 1, INT_MAX, -1, INT_MIN,
	};
	/* Semaphore values: 0, 1, SEMVMX, past it */
	static const __u64 semvals[] = { 0, 1, 32766, 32767, 32768, 65535 };
	/* Adjustments: any __s16, those that take a value past 0 or SEMVMX */
	static const __s64 semadjs[] = { 0, 1, -1, -2, 32767, -32767, -32768 };
	static const __s64 sigs[] = {
		0, -1, 1, 9, 10, 12, 17, 19, 31, 32, 33, 34, 63, 64, 65, 128,
	};
	/* exit(0), exit(7), exit(255), killed, with a core, and not statuses */
	static const __s64 statuses[] = {
		0, 7 << 8, 0xff00, 9, 15, 0x8b, 64, 65, 0x7f, 0x80, 0x10000,
		7 << 8 | 15, -1,
	};
	static const __u64 tflags[] = {
		CKPT_TASK_THREAD_LEADER, CKPT_TASK_SELF, CKPT_TASK_ZOMBIE,
		CKPT_TASK_ZOMBIE | CKPT_TASK_THREAD_LEADER, CKPT_TASK_READY,
		CKPT_TASK_READY | CKPT_TASK_THREAD_LEADER,
		CKPT_TASK_READY | CKPT_TASK_SELF, CKPT_TASK_READY << 1,
	};
	/* the valid sets, none, and the next flag, which the kernel does not know */
	static const __u64 nsflags[] = {
		CKPT_NS_UTS, CKPT_NS_IPC, CKPT_NS_NET, CKPT_NS_ALL, 0,
		CKPT_NS_NET << 1, CKPT_NS_UTS | CKPT_NS_NET << 1,
	};
	/*
	 * How a process shares with its parent: the valid sets, none, the
	 * handlers without the mm, and the next flag
	 */
	static const __u64 pidsflags[] = {
		CKPT_PIDS_SHARE_VM, CKPT_PIDS_SHARE_VM | CKPT_PIDS_SHARE_SIGHAND,
		CKPT_PIDS_SHARE_VM | CKPT_PIDS_VFORK, CKPT_PIDS_VFORK,
		CKPT_PIDS_FLAGS_ALL, 0, CKPT_PIDS_SHARE_SIGHAND,
		CKPT_PIDS_FLAGS_ALL + 1,
	};
	/* Families restart makes, others socket(2) knows, and none. */
	static const __u64 families[] = {
		AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET,
		AF_VSOCK, AF_MAX, 0xffff,
	};
	static const __u64 socktypes[] = {
		0, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_RDM, SOCK_SEQPACKET,
		SOCK_DCCP, SOCK_PACKET, SOCK_STREAM | SOCK_NONBLOCK, 11, 0xffff,
	};
	static const __u64 protos[] = {
		0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_RAW,
		IPPROTO_SCTP, IPPROTO_UDPLITE, 262 /* IPPROTO_MPTCP */, 0xffff,
	};
	static const __u64 soopts[] = {
		CKPT_SO_REUSEADDR, CKPT_SO_REUSEPORT, CKPT_SO_KEEPALIVE,
		CKPT_SO_BROADCAST, CKPT_SO_OOBINLINE, CKPT_SO_PASSCRED,
		CKPT_SO_LINGER, CKPT_SO_SNDBUF, CKPT_SO_RCVBUF,
		CKPT_SO_TCP_NODELAY, CKPT_SO_V6ONLY, CKPT_SO_ALL,
		CKPT_SO_ALL + 1,
	};
	/* sockaddr_in, _in6 (and RFC 2133's), _un, _storage, and around */
	static const __u64 salens[] = {
		0, 1, 2, 3, 4, 15, 16, 17, 23, 24, 27, 28, 29, 109, 110, 111,
		127, 128, 129, 0x80000000, 0xffffffff,
	};
	/* 0, privileged ports, the first unprivileged one and the last */
	static const __u64 ports[] = { 0, 1, 22, 80, 1023, 1024, 65535 };
	/* any, loopback, another loopback, broadcast, multicast, remote */
	static const __u64 inaddrs[] = {
		0, 0x7f000001, 0x7f000002, 0xffffffff, 0xe0000001, 0x0a000001,
	};
	static const __s64 errnos[] = {
		0, ECONNRESET, EPIPE, ECONNREFUSED, ETIMEDOUT, EINVAL, 4095,
		4096, -ECONNRESET, -1, 0x7fffffff,
	};
	/*
	 * The clocks a timerfd takes, the alarm ones it refuses, the others
	 * (CPU clocks of the caller as -6 and -2), and no clock at all.
	 */
	static const __s64 clocks[] = {
		CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME,
		CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM,
		CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
		CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
		CLOCK_MONOTONIC_COARSE, 10, CLOCK_TAI, 12, 15, 16, -1, -2, -6,
		0x7fffffff, INT_MIN,
	};
	/* TFD_TIMER_*, the timerfd_create() flags, and unknown ones */
	static const __u64 tfdflags[] = {
		0, TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET,
		TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, 4, TFD_NONBLOCK,
		TFD_CLOEXEC, 0x80000000,
	};
	static const __u64 ticks[] = {
		0, 1, 2, 1000, 0xffffffff, 1ULL << 32, 1ULL << 63, ~0ULL - 1,
		~0ULL,
	};
	/* stdio, the fuzzer's CTL_FD and REP_FD, past a table, negative */
	static const __s64 fds[] = {
		0, 1, 2, 3, REP_FD, CTL_FD, 1023, 1024, 65535, 1 << 20,
		INT_MAX, -1, INT_MIN,
	};
	/* Each EPOLL* bit (glibc has no EPOLLNVAL), and bits none knows. */
	static const __u64 evbits[] = {
		EPOLLIN, EPOLLPRI, EPOLLOUT, EPOLLERR, EPOLLHUP, POLLNVAL,
		EPOLLRDNORM, EPOLLRDBAND, EPOLLWRNORM, EPOLLWRBAND, EPOLLMSG,
		EPOLLRDHUP, EPOLLEXCLUSIVE, EPOLLWAKEUP, EPOLLONESHOT, EPOLLET,
		0x800, 0x1000, 0x4000, 0x8000, 1 << 16, 1 << 27,
	};
	/*
	 * Seals a memfd has: one, those sealed against writes, those an
	 * executable memfd sealed with F_SEAL_EXEC gets, all, and more.
	 */
	static const __u64 sealsets[] = {
		0, F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE,
		F_SEAL_FUTURE_WRITE, F_SEAL_EXEC, F_SEAL_WRITE | F_SEAL_SEAL,
		F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE |
		F_SEAL_EXEC, 0x3f, 0x40, 0x7f, 0x80000000,
	};
	/*
	 * Permissions of a memfd: executable or not (vm.memfd_noexec), set-id
	 * and sticky bits, and bits above them, a file type's among them.
	 */
	static const __u64 modes[] = {
		0, 0400, 0600, 0640, 0666, 0700, 0755, 0777, 04755, 02755, 01777,
		07777, 010000, S_IFREG | 0644, 0xffffffff,
	};
	/* Where a lock starts or ends: OFFSET_MAX for "to the end" */
	static const __s64 loffs[] = {
		0, 1, 99, 100, PAGE - 1, PAGE, LLONG_MAX - 1, LLONG_MAX, -1,
		LLONG_MIN,
	};
	/* Sets epoll_ctl() takes, and some its EPOLLEXCLUSIVE rules refuse. */
	static const __u64 evsets[] = {
		0, EPOLLIN, EPOLLIN | EPOLLET, EPOLLIN | EPOLLOUT | EPOLLRDHUP,
		EPOLLERR | EPOLLHUP, EPOLLWAKEUP | EPOLLIN,
		EPOLLONESHOT | EPOLLIN, EPOLLEXCLUSIVE | EPOLLIN,
		EPOLLEXCLUSIVE | EPOLLIN | EPOLLOUT | EPOLLWAKEUP | EPOLLET,
		EPOLLEXCLUSIVE | EPOLLONESHOT | EPOLLIN,
		EPOLLEXCLUSIVE | EPOLLRDHUP, EPOLLEXCLUSIVE | EPOLLPRI,
		0xffffffff,
	};
	/* Each CKPT_PTY_* flag, and the next, which the kernel does not know */
	static const __u64 ptyflags[] = {
		CKPT_PTY_LOCKED, CKPT_PTY_PACKET, CKPT_PTY_STOPPED, CKPT_PTY_TCOOFF,
		CKPT_PTY_SLAVE_CLOSED, CKPT_PTY_FLAGS + 1, 0x80000000,
	};
	/* Each TIOCPKT_* status a master in packet mode reads, and the 8th bit */
	static const __u64 pktbits[] = {
		TIOCPKT_FLUSHREAD, TIOCPKT_FLUSHWRITE, TIOCPKT_STOP, TIOCPKT_START,
		TIOCPKT_NOSTOP, TIOCPKT_DOSTOP, TIOCPKT_IOCTL, 0x80,
	};
	/* The access modes, the fourth (ioctl only) and other open(2) flags */
	static const __u64 accmodes[] = {
		O_RDONLY, O_WRONLY, O_RDWR, O_ACCMODE, O_RDWR | O_NONBLOCK,
		O_RDWR | O_APPEND, 4, 0xffffffff,
	};
	/* What n_tty does with input and echoes; ICANON, what lines need */
	static const __u64 lflags[] = {
		ICANON, ICANON, ECHO, ECHOE, ECHOK, ECHONL, ISIG, IEXTEN, NOFLSH,
		TOSTOP, ECHOCTL, ECHOPRT, ECHOKE, FLUSHO, PENDIN, EXTPROC,
	};
	/* Each CKPT_TTYQ_* flag, and one none is */
	static const __u64 ttyqflags[] = {
		CKPT_TTYQ_LNEXT, CKPT_TTYQ_ERASING, CKPT_TTYQ_PUSH,
		CKPT_TTYQ_PUSH << 1, 0x80000000,
	};
	/* The flags of devices, addresses and routes, and the next of each */
	static const __u64 netflags[] = {
		CKPT_NETDEV_UP, CKPT_NETDEV_NOARP, CKPT_NETDEV_MULTICAST,
		CKPT_NETDEV_PROMISC, CKPT_NETDEV_ALLMULTI, CKPT_NETDEV_ALL + 1,
		CKPT_NETADDR_NOPREFIXROUTE, CKPT_NETADDR_NOPREFIXROUTE << 1,
		CKPT_ROUTE_GATEWAY, CKPT_ROUTE_PREFSRC, CKPT_ROUTE_ONLINK,
		CKPT_ROUTE_ALL + 1,
	};
	/* None, the usual, all of IPv4 and of IPv6, and past them */
	static const __u64 prefixes[] = {
		0, 1, 8, 16, 24, 31, 32, 33, 48, 64, 127, 128, 129, 255,
	};
	/* RT_SCOPE_UNIVERSE, _SITE, _LINK, _HOST, _NOWHERE, and one none is */
	static const __u64 scopes[] = { 0, 200, 253, 254, 255, 1 };
	/*
	 * Sizes of huge pages: x86_64's (1 GiB with gbpages), a base page,
	 * those of other CPUs, sizes that are not a power of two, and none
	 */
	static const __u64 hpsizes[] = {
		HPAGE, HPAGE, HPAGE_1G, PAGE, 64 << 10, 16ULL << 30, HPAGE << 1,
		HPAGE + PAGE, 3 * HPAGE / 2, 1ULL << 63, 0, ~0ULL,
	};
	/*
	 * Shifts of sizes of huge pages: x86_64's (1 GiB with gbpages), a
	 * base page's, none, those of no size x86_64 has, past the largest
	 * taken and past 64
	 */
	static const __u64 hshifts[] = { 21, 21, 30, 12, 0, 13, 16, 22, 34, 47, 48, 63, 64 };
	/*
	 * Flags of a memfd: none, unlinked, of huge pages of the sizes above
	 * (unlinked too), a size without CKPT_MEMFD_HUGETLB, the bits between
	 */
	static const __u64 mfdflags[] = {
		0, CKPT_MEMFD_UNLINKED, CKPT_MEMFD_HUGETLB | 21U << CKPT_MEMFD_HUGE_SHIFT,
		CKPT_MEMFD_HUGETLB | 21U << CKPT_MEMFD_HUGE_SHIFT,
		CKPT_MEMFD_HUGETLB | 30U << CKPT_MEMFD_HUGE_SHIFT, CKPT_MEMFD_HUGETLB,
		CKPT_MEMFD_HUGETLB | 12U << CKPT_MEMFD_HUGE_SHIFT,
		CKPT_MEMFD_HUGETLB | 22U << CKPT_MEMFD_HUGE_SHIFT,
		CKPT_MEMFD_HUGETLB | CKPT_MEMFD_HUGE_MASK,
		CKPT_MEMFD_HUGETLB | CKPT_MEMFD_UNLINKED | 21U << CKPT_MEMFD_HUGE_SHIFT,
		21U << CKPT_MEMFD_HUGE_SHIFT, CKPT_MEMFD_HUGETLB << 1,
		1U << (CKPT_MEMFD_HUGE_SHIFT - 1),
	};
	/* Watch descriptors: the first ones, none, the overflow event's, the largest */
	static const __s64 wds[] = { 1, 2, 3, 0, -1, -2, INT_MAX - 1, INT_MAX, INT_MIN };
	/* Each IN_* bit, and those no watch or event has (12, 16, 27) */
	static const __u64 inbits[] = {
		IN_ACCESS, IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE,
		IN_OPEN, IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE,
		IN_DELETE_SELF, IN_MOVE_SELF, IN_UNMOUNT, IN_Q_OVERFLOW, IN_IGNORED,
		IN_ONLYDIR, IN_DONT_FOLLOW, IN_EXCL_UNLINK, IN_MASK_CREATE,
		IN_MASK_ADD, IN_ISDIR, IN_ONESHOT, 1 << 12, 1 << 16, 1 << 27,
	};
	/*
	 * Masks of watches, with and without events, and of events: the
	 * overflow event's, alone and not, IN_IGNORED, a directory's
	 */
	static const __u64 insets[] = {
		0, IN_ALL_EVENTS, IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK,
		IN_ONESHOT, IN_ONESHOT | IN_EXCL_UNLINK, IN_Q_OVERFLOW,
		IN_Q_OVERFLOW | IN_IGNORED, IN_IGNORED, IN_CREATE | IN_ISDIR,
		IN_MOVED_FROM, IN_MOVED_TO, 0xffffffff,
	};

	if (one_in(6))
		return gen_int(old, size);
	switch (kind) {
	case K_COUNT:
	case K_LEN:
		return gen_count(old);
	case K_REF:
		switch (rnd_below(6)) {
		case 0: return 0;
		case 1: return old + 1;
		case 2: return old - 1;
		case 3: return fz->nr_objs + 1 + rnd_below(3);
		case 4:
			/* A pty: for a file of another kind, or another pty */
			if (fz->nr_ptys)
				return fz->pty_refs[rnd_below(fz->nr_ptys)];
			return 1 + rnd_below(fz->nr_objs ? fz->nr_objs : 1);
		default: return 1 + rnd_below(fz->nr_objs ? fz->nr_objs : 1);
		}
	case K_FLAGS:
		switch (rnd_below(5)) {
		case 0: return 0;
		case 1: return ~0ULL;
		case 2: return old | (1ULL << rnd_below(size * 8));
		default: return old ^ (1ULL << rnd_below(size * 8));
		}
	case K_ADDR:
		return gen_addr(fz, old);
	case K_PID:
		switch (rnd_below(8)) {
		case 0: return 0;
		case 1: return 1;
		case 2: return -1;
		case 3: return getpid();
		case 4: return fz->pid_max + rnd_below(2);
		case 5: return 4194304 + rnd_below(2);
		case 6: return old - 1;
		default: return old + 1;
		}
	case K_SIG:
		return PICK(sigs);
	case K_STATUS:
		return PICK(statuses);
	case K_TFLAGS:
		if (one_in(2))
			return old ^ PICK(tflags);
		return gen_value(fz, K_FLAGS, old, size);
	case K_NSFLAGS:
		if (one_in(2))
			return PICK(nsflags);
		return gen_value(fz, K_FLAGS, old, size);
	case K_PIDSFLAGS:
		if (one_in(2))
			return PICK(pidsflags);
		return gen_value(fz, K_FLAGS, old, size);
	case K_NSIDX:
		/* The root's namespace, another, the last, one past it */
		switch (rnd_below(4)) {
		case 0: return rnd_below(fz->nr_pidns + 1);
		case 1: return fz->nr_pidns + rnd_below(2);
		case 2: return old + rnd_below(3) - 1;
		default: return gen_count(old);
		}
	case K_TASKIDX: {
		unsigned int n = fz->nr_tasks ? fz->nr_tasks : 1;

		/* A task of the tree: any, the root, the last, one past it */
		switch (rnd_below(5)) {
		case 0: return rnd_below(n);
		case 1: return 0;
		case 2: return n - 1 + rnd_below(2);
		case 3: return old + rnd_below(3) - 1;
		default: return gen_count(old);
		}
	}
	case K_SOOPTS:
		if (one_in(2))
			return old ^ PICK(soopts);
		return gen_value(fz, K_FLAGS, old, size);
	case K_FAMILY:
		return PICK(families);
	case K_SOCKTYPE:
		return PICK(socktypes);
	case K_PROTO:
		return PICK(protos);
	case K_SALEN:
		return one_in(4) ? old + rnd_below(3) - 1 : PICK(salens);
	case K_PORT:
		if (one_in(3))
			return htons(ntohs(old) + rnd_below(3) - 1);
		return htons(PICK(ports));
	case K_INADDR:
		return one_in(4) ? old ^ htonl(1) : htonl(PICK(inaddrs));
	case K_ERRNO:
		return PICK(errnos);
	case K_OFF:
		return gen_off(fz, old);
	case K_CLOCK:
		if (one_in(8))
			return old + rnd_below(3) - 1;
		return PICK(clocks);
	case K_TFDFLAGS:
		if (one_in(2))
			return PICK(tfdflags);
		return gen_value(fz, K_FLAGS, old, size);
	case K_NSEC:
		return gen_nsec(old);
	case K_TICKS:
		return one_in(2) ? PICK(ticks) : gen_count(old);
	case K_FILEREF:
		return gen_fileref(fz, old);
	case K_FD:
		switch (rnd_below(3)) {
		case 0: return old + rnd_below(5) - 2;
		case 1: return rnd_below(64);
		default: return PICK(fds);
		}
	case K_EVENTS:
		switch (rnd_below(4)) {
		case 0: return old ^ PICK(evbits);
		case 1: return old | PICK(evbits);
		case 2: return old & ~PICK(evbits);
		default: return PICK(evsets);
		}
	case K_SEALS:
		return one_in(2) ? old ^ (1ULL << rnd_below(7)) : PICK(sealsets);
	case K_MODE:
		return one_in(3) ? old ^ (1ULL << rnd_below(17)) : PICK(modes);
	case K_ENUM:
		/* 0, the values of every enum, and a few past the largest. */
		return rnd_below(16);
	case K_LOFF:
		/* the bounds flock(2) and fcntl(2) give, and past them */
		return one_in(2) ? (__u64)PICK(loffs) : old + rnd_below(9) - 4;
	case K_SEG:
		return PICK(segs);
	case K_SYSNR:
		return PICK(sysnrs);
	case K_REG:
		return one_in(2) ? (__u64)PICK(regs) : gen_addr(fz, old);
	case K_ID:
		return PICK(ids);
	case K_IPCID:
		switch (rnd_below(4)) {
		case 0: return old + 1;
		case 1: return old - 1;
		case 2: return old + 32768;
		default: return PICK(ipcids);
		}
	case K_SEMVAL:
		return one_in(4) ? old + rnd_below(3) - 1 : PICK(semvals);
	case K_SEMADJ:
		return one_in(4) ? old + rnd_below(3) - 1 : (__u64)PICK(semadjs);
	case K_PTYFLAGS:
		switch (rnd_below(6)) {
		case 0: return 0;
		case 1: return CKPT_PTY_FLAGS;
		case 2: return gen_value(fz, K_FLAGS, old, size);
		default: return old ^ PICK(ptyflags);
		}
	case K_PKTSTATUS:
		switch (rnd_below(4)) {
		case 0: return 0;
		case 1: return CKPT_TIOCPKT_ALL;
		default: return old ^ PICK(pktbits);
		}
	case K_ACCMODE:
		return PICK(accmodes);
	case K_TPID:
		/* Of the tree: a task, its group, its session; or out of it */
		if (fz->nr_tree_pids && !one_in(3))
			return fz->tree_pids[rnd_below(fz->nr_tree_pids)];
		return gen_value(fz, K_PID, old, size);
	case K_LFLAG:
		return one_in(4) ? gen_value(fz, K_FLAGS, old, size) : old ^ PICK(lflags);
	case K_TTYQFLAGS:
		return one_in(4) ? gen_value(fz, K_FLAGS, old, size) : old ^ PICK(ttyqflags);
	case K_IFINDEX:
		return gen_ifindex(fz, old);
	case K_NETFLAGS:
		return one_in(4) ? gen_value(fz, K_FLAGS, old, size) : old ^ PICK(netflags);
	case K_PREFIX:
		return one_in(4) ? old + rnd_below(3) - 1 : PICK(prefixes);
	case K_SCOPE:
		return PICK(scopes);
	case K_VMASIZE:
		return one_in(2) ? PICK(hpsizes) : gen_count(old);
	case K_HSHIFT:
		return one_in(4) ? old + rnd_below(3) - 1 : PICK(hshifts);
	case K_MFDFLAGS:
		return one_in(3) ? gen_value(fz, K_FLAGS, old, size) : PICK(mfdflags);
	case K_WD:
		return one_in(3) ? old + rnd_below(5) - 2 : (__u64)PICK(wds);
	case K_INMASK:
		switch (rnd_below(4)) {
		case 0: return old ^ PICK(inbits);
		case 1: return old | PICK(inbits);
		case 2: return old & ~PICK(inbits);
		default: return PICK(insets);
		}
	case K_PAD:
		return one_in(2) ? 1ULL << rnd_below(size * 8) : rnd();
	case K_RECLEN: {
		static const __u64 lens[] = {
			0, 1, 4, 7, 8, 9, 15, 16, 65535, 65536, 65537,
			0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff8,
		};

		switch (rnd_below(4)) {
		case 0: return old + (rnd_below(17) - 8);
		case 1: return old * 2;
		case 2: return old / 2;
		default: return PICK(lens);
		}
	}
	default:
		return gen_int(old, size);
	}
}

/* ------------------------------------------------------------------ */
/* Mutators: each returns 0 if it changed the image                    */

/* Pick a record, preferring kinds that have fields. */
static int pick_rec(const struct recs *rs, bool skip_pages)
{
	int i, tries;

	for (tries = 0; tries < 8; tries++) {
		i = rnd_below(rs->n);
		if (!skip_pages || rs->r[i].type != CKPT_HDR_PAGES || one_in(8))
			return i;
	}
	return rnd_below(rs->n);
}

/*
 * After a count changed: make its segment as long as it says, unless
 * that would be absurdly large.
 */
static void resize_seg(struct fuzz *fz, const struct rtype *t, struct rbuf *b,
		       int si, __u64 oldn, __u64 newn)
{
	const struct seg *s = &t->segs[si];
	size_t off, size, newsize;
	__u64 want = seg_bytes(s, newn);

	if (newn > MAX_SEG || want > MAX_SEG)
		return;
	/* The span as it was, from the old count. */
	put_le(b->p + s->count_off, s->count_size, oldn);
	if (!seg_span(t, b, si, &off, &size)) {
		put_le(b->p + s->count_off, s->count_size, newn);
		return;
	}
	put_le(b->p + s->count_off, s->count_size, newn);
	newsize = want;
	if (newsize > size) {
		if (rbuf_resize(b, off + size, 0, newsize - size))
			return;
		if (s->kind == S_ARRAY && size >= s->elem) {
			size_t k;

			/* Repeat the last element: plausible entries. */
			for (k = size; k + s->elem <= newsize; k += s->elem)
				memcpy(b->p + off + k, b->p + off + size - s->elem,
				       s->elem);
		} else if (s->kind == S_BYTES && !one_in(4)) {
			size_t k;

			for (k = size; k < newsize; k++)
				b->p[off + k] = rnd();
		}
	} else {
		rbuf_resize(b, off + newsize, size - newsize, 0);
	}
	if (s->kind == S_PATH && newsize) {
		size_t k;

		/* An absolute path of the new length, NUL terminated. */
		for (k = size ? size - 1 : 0; k + 1 < newsize; k++)
			b->p[off + k] = k % 8 ? 'a' + k % 26 : '/';
		b->p[off] = '/';
		b->p[off + newsize - 1] = '\0';
	}
	if (s->kind == S_BITS && newn && !one_in(4)) {
		unsigned char *last = b->p + off + (newn - 1) / 8;
		unsigned int bit = (newn - 1) % 8;

		/* Lines that end where they do: the last one, none past it. */
		*last = (*last & ((2U << bit) - 1)) | 1U << bit;
	}
	desc_add(fz, "resized");
}

/* The payload of the kind of a record, if it has one. */
static const struct variant *variant_of(const struct rtype *t,
					const struct rbuf *b)
{
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(variants); k++) {
		const struct variant *v = &variants[k];

		if (v->type == t->type && v->kind_off + 4 <= b->len &&
		    get_le(b->p + v->kind_off, 4) == v->kind)
			return v;
	}
	return NULL;
}

/*
 * After the length of a payload of items (segment @si) changed: make it
 * as long, cut, or grown with copies of its last item, usually with
 * another key (an epoll item on another descriptor) so that restart
 * adds each rather than finds it there already.
 */
static void resize_items(struct fuzz *fz, const struct rtype *t,
			 const struct variant *v, struct rbuf *b, int si,
			 __u64 oldlen, __u64 newlen)
{
	const struct seg *s = &t->segs[si];
	size_t off, size, k, n, last;
	bool same = one_in(4);
	__u32 key;

	if (newlen > MAX_SEG)
		return;
	put_le(b->p + s->count_off, s->count_size, oldlen);
	if (!seg_span(t, b, si, &off, &size)) {
		put_le(b->p + s->count_off, s->count_size, newlen);
		return;
	}
	put_le(b->p + s->count_off, s->count_size, newlen);
	if (newlen <= size) {
		rbuf_resize(b, off + newlen, size - newlen, 0);
		desc_add(fz, "items cut");
		return;
	}
	if (rbuf_resize(b, off + size, 0, newlen - size))
		return;
	n = size / v->elem;
	if (n) {
		last = off + (n - 1) * v->elem;
		key = get_le(b->p + last + v->key_off, 4);
		for (k = n * v->elem; k + v->elem <= newlen; k += v->elem) {
			memcpy(b->p + off + k, b->p + last, v->elem);
			if (!same)
				put_le(b->p + off + k + v->key_off, 4,
				       key + k / v->elem - n + 1);
		}
	}
	desc_add(fz, "items grown%s", same ? ", the same" : "");
}

/*
 * Whether the pages record @i is of shared memory (of huge pages or
 * not), a memfd or a SysV segment, not of a mapping.
 */
static bool shmem_pages(const struct recs *rs, int i)
{
	while (i > 0 && rs->r[i].type == CKPT_HDR_PAGES)
		i--;
	return rs->r[i].type == CKPT_HDR_SHMEM || rs->r[i].type == CKPT_HDR_MEMFD ||
	       rs->r[i].type == CKPT_HDR_IPC_SHM ||
	       rs->r[i].type == CKPT_HDR_SHMEM_HUGETLB;
}

/*
 * The messages of an end of a unix pair add up to the bytes it holds:
 * after a message length or count changed, make its data as long as
 * its messages, so that restart gets to sending them.
 */
static void fix_unix_msgs(struct fuzz *fz, const struct rtype *t,
			  struct rbuf *b)
{
	int end;

	for (end = 0; end < 2; end++) {
		const struct seg *lens = &t->segs[2 * end];
		const struct seg *data = &t->segs[2 * end + 1];
		size_t off, size, k;
		__u64 sum = 0, old;

		if (!seg_span(t, b, 2 * end, &off, &size))
			return;
		for (k = 0; k + lens->elem <= size; k += lens->elem)
			sum += get_le(b->p + off + k, lens->elem);
		old = get_le(b->p + data->count_off, data->count_size);
		if (size && sum != old)
			resize_seg(fz, t, b, 2 * end + 1, old, sum);
	}
}

/*
 * The lines a side of a pty holds are among its bytes: after one of its
 * lengths changed, make it hold as many bytes as its lines, or as many
 * lines as its bytes, so that restart gets past its length checks.
 */
static void fix_pty_queues(struct fuzz *fz, const struct rtype *t,
			   struct rbuf *b)
{
	int i;

	if (b->len < t->size)
		return;
	for (i = 0; i < 2; i++) {
		int sl = PTY_SEG_LEN(i), se = PTY_SEG_ENDS(i);
		__u64 len = get_le(b->p + t->segs[sl].count_off, 4);
		__u64 canon = get_le(b->p + t->segs[se].count_off, 4);

		if (canon <= len)
			continue;
		if (one_in(2))
			resize_seg(fz, t, b, sl, len, canon);
		else
			resize_seg(fz, t, b, se, canon, len);
		desc_add(fz, "in[%d] lines within its bytes", i);
	}
}

/*
 * A mapping made hugetlb memory: give it huge pages, of 2 MiB mostly, and
 * widen its range to be aligned to them, so that restart gets past its
 * checks of them (and maps huge pages, if the pool has some).
 */
static void fix_huge(struct fuzz *fz, struct rbuf *b)
{
	const size_t size_off = offsetof(struct ckpt_hdr_vma, size);
	const size_t start_off = offsetof(struct ckpt_hdr_vma, start);
	const size_t end_off = offsetof(struct ckpt_hdr_vma, end);
	__u64 size = one_in(8) ? HPAGE_1G : HPAGE, start, end;

	if (b->len < sizeof(struct ckpt_hdr_vma))
		return;
	start = get_le(b->p + start_off, 8) & ~(size - 1);
	end = (get_le(b->p + end_off, 8) + size - 1) & ~(size - 1);
	put_le(b->p + size_off, 8, size);
	put_le(b->p + start_off, 8, start);
	put_le(b->p + end_off, 8, end);
	desc_add(fz, "hugetlb %#llx-%#llx of pages of %#llx", (unsigned long long)start,
		 (unsigned long long)end, (unsigned long long)size);
}

/*
 * A SysV segment made of huge pages: give it their size, 2 MiB mostly,
 * if it had none; a memfd made of huge pages of a size x86_64 may have:
 * make its size a whole number of them.  So restart gets past its checks
 * of them (and makes the segment or the memfd, if the pool has pages).
 */
static void fix_huge_obj(struct fuzz *fz, __u32 type, struct rbuf *b)
{
	const size_t shift_off = offsetof(struct ckpt_hdr_ipc_shm, huge_shift);
	const size_t flags_off = offsetof(struct ckpt_hdr_memfd, flags);
	const size_t size_off = offsetof(struct ckpt_hdr_memfd, size);
	__u64 shift, size;

	if (type == CKPT_HDR_IPC_SHM) {
		if (b->len < sizeof(struct ckpt_hdr_ipc_shm) || get_le(b->p + shift_off, 4))
			return;
		shift = one_in(8) ? 30 : 21;
		put_le(b->p + shift_off, 4, shift);
		desc_add(fz, "ipc_shm of pages of 1 << %llu", (unsigned long long)shift);
		return;
	}
	if (b->len < sizeof(struct ckpt_hdr_memfd))
		return;
	shift = (get_le(b->p + flags_off, 4) & CKPT_MEMFD_HUGE_MASK) >> CKPT_MEMFD_HUGE_SHIFT;
	size = get_le(b->p + size_off, 8);
	if (shift < 21 || shift > 30 || size > 1ULL << 62)
		return;
	size = (size + (1ULL << shift) - 1) & ~((1ULL << shift) - 1);
	put_le(b->p + size_off, 8, size);
	desc_add(fz, "memfd of %#llx bytes of pages of 1 << %llu", (unsigned long long)size,
		 (unsigned long long)shift);
}

/*
 * Devices, addresses and routes a count of a net record added, from
 * @oldn on, are copies of the last one, or zero: make them fresh, mostly,
 * so that restart gets past its checks of duplicates (an ifindex, a name,
 * an address) and of zero families to what comes after.  A device is
 * made a dummy with an ifindex and name of its own, an address one more
 * than the last, a route to another 10.n.0.0/16 (or of lo, when zero).
 */
static void fix_net(struct fuzz *fz, const struct rtype *t, struct rbuf *b, int si,
		    __u64 oldn)
{
	const struct seg *s = &t->segs[si];
	size_t off, size, k, n;

	if (!seg_span(t, b, si, &off, &size))
		return;
	n = size / s->elem;
	for (k = oldn; k < n; k++) {
		unsigned char *e = b->p + off + k * s->elem;

		if (si == NET_SEG_DEVS) {
			struct ckpt_netdev d;

			memcpy(&d, e, sizeof(d));
			d.ifindex = 100 + k;
			d.kind = CKPT_NETDEV_DUMMY;
			d.peer_ifindex = 0;
			d.peer_flags = 0;
			d.peer_mtu = 0;
			memset(d.peer_addr, 0, sizeof(d.peer_addr));
			memset(d.peer_name, 0, sizeof(d.peer_name));
			memset(d.name, 0, sizeof(d.name));
			snprintf(d.name, sizeof(d.name), "fz%zu", k);
			if (!d.mtu) {
				d.flags = CKPT_NETDEV_UP;
				d.mtu = 1500;
				d.addr_len = 6;
				d.addr[0] = 2;
				d.addr[5] = k;
			}
			memcpy(e, &d, sizeof(d));
		} else if (si == NET_SEG_ADDRS) {
			struct ckpt_netaddr a;
			size_t alen;

			memcpy(&a, e, sizeof(a));
			if (a.family != AF_INET && a.family != AF_INET6) {
				memset(&a, 0, sizeof(a));
				a.ifindex = 1;
				a.family = AF_INET;
				a.prefixlen = 24;
				a.local[0] = 10;
				a.local[1] = k;
				a.local[3] = 1;
				memcpy(a.address, a.local, 4);
			}
			alen = a.family == AF_INET ? 4 : 16;
			a.local[alen - 1] += k - oldn + 1;
			a.address[alen - 1] += k - oldn + 1;
			memcpy(e, &a, sizeof(a));
		} else {
			struct ckpt_netroute r;

			memcpy(&r, e, sizeof(r));
			if (r.family != AF_INET && r.family != AF_INET6) {
				memset(&r, 0, sizeof(r));
				r.family = AF_INET;
				r.dst_len = 16;
				r.protocol = 3;		/* RTPROT_BOOT */
				r.scope = 253;		/* RT_SCOPE_LINK */
				r.type = 1;		/* RTN_UNICAST */
				r.oif = 1;
				r.dst[0] = 10;
			}
			r.dst[1] += k - oldn + 1;
			memcpy(e, &r, sizeof(r));
		}
	}
	desc_add(fz, "net: %zu fresh", n > oldn ? n - (size_t)oldn : 0);
}

/* Device names: valid ones, those taken, and those dev_valid_name() refuses */
static const char * const ifnames[] = {
	"lo", "eth0", "dummy0", "veth0", "veth1", "sit0", "tunl0", "...",
	"x123456789abcde", "dummy%d", "%d", "", ".", "..", "a/b", "lo:1", "a b",
	"a\tb", "a\240b", "x123456789abcdef",
};

static int mut_field(struct fuzz *fz, struct ckpt_image *img,
		     const struct recs *rs)
{
	int i = pick_rec(rs, true);
	const struct ckpt_rec *r = &rs->r[i];
	const struct rtype *t = rtype_of(r->type);
	const struct variant *v;
	const struct field *f;
	size_t base = 0, off, items = 0;
	struct rbuf b;
	__u64 old, val;
	int si = -1, kind;
	bool fix = true, msgs = false, items_len;

	if (!t)
		return -1;
	if (rbuf_get(&b, img, r))
		return -1;
	v = variant_of(t, &b);
	/* A field of the struct, of an array in it or of the payload. */
	if (t->fa && one_in(2)) {
		base = t->fa->off + rnd_below(t->fa->count) * t->fa->elem;
		f = &t->fa->f[rnd_below(t->fa->nf)];
	} else if (v && one_in(2)) {
		/* Of the payload of its kind, or of one of its items. */
		base = t->size;
		if (v->elem) {
			items = b.len > t->size ? (b.len - t->size) / v->elem : 0;
			if (!items)
				goto fixed;
			base += rnd_below(items) * v->elem;
		}
		f = &v->f[rnd_below(v->nf)];
	} else if (t->nsegs && one_in(3)) {
		size_t span;
		int k = rnd_below(t->nsegs);

		if (!t->segs[k].nf || !seg_span(t, &b, k, &base, &span) ||
		    span < t->segs[k].elem || span < t->segs[k].f[0].size)
			goto fixed;
		f = &t->segs[k].f[rnd_below(t->segs[k].nf)];
		if (t->segs[k].kind == S_ARRAY || t->segs[k].kind == S_BITS)
			base += rnd_below(span / t->segs[k].elem) * t->segs[k].elem;
		else if (f->off + f->size > span)
			goto fixed;
		msgs = true;
	} else {
fixed:
		base = 0;
		f = &t->f[rnd_below(t->nf)];
	}
	off = base + f->off;
	if (off + f->size > b.len) {
		free(b.p);
		return -1;
	}
	if (f->kind == K_IFNAME && !one_in(4)) {
		const char *name = PICK(ifnames);

		memset(b.p + off, 0, f->size);
		memcpy(b.p + off, name, strnlen(name, f->size));
		desc_add(fz, "%s.%s@%zu=\"%s\"", t->name, f->name, off, name);
		return rbuf_put(&b, img, r, true) ? -1 : 0;
	}
	if (f->kind == K_BYTES || f->kind == K_IFNAME) {
		unsigned int k = rnd_below(f->size);

		b.p[off + k] = one_in(2) ? 0 : rnd();
		desc_add(fz, "%s.%s[%u]=%#x", t->name, f->name, k, b.p[off + k]);
		return rbuf_put(&b, img, r, true) ? -1 : 0;
	}
	kind = f->kind;
	if (kind == K_ADDR && r->type == CKPT_HDR_PAGES && shmem_pages(rs, i))
		kind = K_OFF;
	/* The payload length of items: in items, mostly. */
	items_len = v && v->elem && !base && t->nsegs &&
		    f->off == t->segs[t->nsegs - 1].count_off;
	fz->cur_ref = t->obj && b.len >= sizeof(struct ckpt_hdr_obj) ?
		      ((struct ckpt_hdr_obj *)b.p)->objref : 0;
	old = get_le(b.p + off, f->size > 8 ? 8 : f->size);
	if (items_len && !one_in(4))
		val = gen_items_len(old, v->elem);
	else if (items > 1 && one_in(4))
		/* The same field of another item: twice the same file. */
		val = get_le(b.p + t->size + rnd_below(items) * v->elem +
			     f->off, f->size);
	else
		val = gen_value(fz, kind, old, f->size > 8 ? 8 : f->size);
	if (f->size < 8)
		val &= (1ULL << (f->size * 8)) - 1;
	if (val == old)
		val ^= 1;
	put_le(b.p + off, f->size > 8 ? 8 : f->size, val);
	desc_add(fz, "rec%d %s.%s@%zu: %#llx->%#llx", i, t->name, f->name, off,
		 (unsigned long long)old, (unsigned long long)val);
	if (f->kind == K_RECLEN)
		fix = false;
	if (!base) {
		for (si = 0; si < t->nsegs; si++)
			if (t->segs[si].count_size && t->segs[si].count_off == f->off)
				break;
		if (si < t->nsegs && items_len && !one_in(4))
			resize_items(fz, t, v, &b, si, old, val);
		else if (si < t->nsegs && !items_len && !one_in(4))
			resize_seg(fz, t, &b, si, old, val);
		else if (si < t->nsegs)
			desc_add(fz, "length kept");
		msgs |= si < t->nsegs && t->segs[si].kind == S_ARRAY;
	}
	if (r->type == CKPT_HDR_UNIX_PAIR && msgs && !one_in(4))
		fix_unix_msgs(fz, t, &b);
	/* A length of a side of a pty (not its path) */
	if (r->type == CKPT_HDR_PTY && si > 0 && si < t->nsegs && !one_in(4))
		fix_pty_queues(fz, t, &b);
	/* A count of a net record that grew */
	if (r->type == CKPT_HDR_NET && !base && si < t->nsegs && val > old &&
	    !one_in(4))
		fix_net(fz, t, &b, si, old);
	if (r->type == CKPT_HDR_VMA && !base && f->off == offsetof(struct ckpt_hdr_vma, kind) &&
	    val == CKPT_VMA_HUGETLB && !one_in(4))
		fix_huge(fz, &b);
	if (r->type == CKPT_HDR_IPC_SHM && !base &&
	    f->off == offsetof(struct ckpt_hdr_ipc_shm, flags) &&
	    (val & CKPT_SHM_HUGETLB) && !one_in(4))
		fix_huge_obj(fz, r->type, &b);
	if (r->type == CKPT_HDR_MEMFD && !base &&
	    f->off == offsetof(struct ckpt_hdr_memfd, flags) &&
	    (val & CKPT_MEMFD_HUGETLB) && !one_in(4))
		fix_huge_obj(fz, r->type, &b);
	return rbuf_put(&b, img, r, fix) ? -1 : 0;
}

/* Paths to give to files, mappings, the executable and directories. */
static const char *pick_path(struct fuzz *fz, char *buf, size_t size)
{
	static const char * const paths[] = {
		"/", "/tmp", "/dev/null", "/dev/zero", "/dev/full",
		"/dev/urandom", "/proc/self/exe", "/proc/self/mem",
		"/proc/self/maps", "/proc/self/status", "/proc/self/fd",
		"/sys/kernel/mm/transparent_hugepage/enabled", "/bin/busybox",
		"/init", "/nonexistent", "relative", "//", "/./tmp/..",
		"/dev/shm", "/proc/self/cwd", "/dev/ptmx", "/dev/pts/ptmx",
	};
	unsigned int k = rnd_below(8);

	switch (k) {
	case 0:
		snprintf(buf, size, "%s", fz->data);
		break;
	case 1:
		snprintf(buf, size, "%s/%s", fz->work,
			 fz->use_fifo && one_in(4) ? "fifo" :
			 one_in(3) ? "loop" : one_in(2) ? "noaccess" : "dir");
		break;
	case 2: {
		size_t len = 2 + rnd_below(one_in(2) ? 300 : CKPT_PATH_MAX);
		size_t i;

		if (len >= size)
			len = size - 1;
		for (i = 0; i < len; i++)
			buf[i] = i % 2 ? '.' : '/';
		buf[len] = '\0';
		break;
	}
	default:
		snprintf(buf, size, "%s", PICK(paths));
	}
	return buf;
}

static __u32 encode_dev(dev_t d)
{
	return (minor(d) & 0xff) | (major(d) << 8) | ((minor(d) & ~0xffU) << 12);
}

/*
 * Give a file, mapping, executable or directory another path, a memfd a
 * name, a pty another ptmx device (or something else), an inotify watch
 * another inode.
 */
static int mut_path(struct fuzz *fz, struct ckpt_image *img,
		    const struct recs *rs)
{
	static const __u32 types[] = {
		CKPT_HDR_FILE, CKPT_HDR_VMA, CKPT_HDR_MM, CKPT_HDR_FS, CKPT_HDR_MEMFD,
		CKPT_HDR_PTY, CKPT_HDR_INOTIFY_WATCH,
	};
	/* The ptmx of /dev/pts and the one of devtmpfs, and other terminals */
	static const char * const ptmxs[] = {
		"/dev/ptmx", "/dev/pts/ptmx", "/dev/tty", "/dev/pts/0", "/dev/pts",
	};
	__u32 type = PICK(types);
	char path[CKPT_PATH_MAX + 16];
	const struct rtype *t = rtype_of(type);
	int cand[MAX_RECS], n = 0, i, si;
	size_t off, size, len;
	struct rbuf b;
	struct stat st;

	for (i = 0; i < rs->n; i++)
		if (rs->r[i].type == type)
			cand[n++] = i;
	if (!n)
		return -1;
	i = cand[rnd_below(n)];
	if (rbuf_get(&b, img, &rs->r[i]))
		return -1;
	/* The path of a pty is its first segment, that of the others their last */
	if (type == CKPT_HDR_PTY)
		si = 0;
	else
		si = t->nsegs - 1 - (t->nsegs > 1 && one_in(2) && type == CKPT_HDR_FS);
	if (!seg_span(t, &b, si, &off, &size)) {
		free(b.p);
		return -1;
	}
	if (type == CKPT_HDR_PTY && !one_in(3))
		snprintf(path, sizeof(path), "%s", PICK(ptmxs));
	else
		pick_path(fz, path, sizeof(path));
	len = strlen(path) + (one_in(16) ? 0 : 1);
	if (rbuf_resize(&b, off, size, len)) {
		free(b.p);
		return -1;
	}
	memcpy(b.p + off, path, len);
	put_le(b.p + t->segs[si].count_off, 4, len);
	desc_add(fz, "rec%d %s path=%.60s%s", i, t->name, path,
		 strlen(path) > 60 ? "..." : "");
	/*
	 * Usually make the identity fields those of the new file: of a
	 * symbolic link itself for a watch, whose last link restart does
	 * not follow.
	 */
	if (!one_in(4) &&
	    !(type == CKPT_HDR_INOTIFY_WATCH ? lstat(path, &st) : stat(path, &st))) {
		if (type == CKPT_HDR_VMA) {
			struct ckpt_hdr_vma *v = (void *)b.p;

			v->ino = st.st_ino;
			v->dev = encode_dev(st.st_dev);
			v->size = st.st_size;
			v->mtime_sec = st.st_mtim.tv_sec;
			v->mtime_nsec = st.st_mtim.tv_nsec;
			if (one_in(2))
				v->kind = CKPT_VMA_FILE;
		} else if (type == CKPT_HDR_FILE) {
			struct ckpt_hdr_file *f = (void *)b.p;

			f->ino = st.st_ino;
			f->dev = encode_dev(st.st_dev);
			f->mode = st.st_mode;
			f->rdev = S_ISCHR(st.st_mode) ? encode_dev(st.st_rdev) : 0;
			f->kind = S_ISREG(st.st_mode) ? CKPT_FILE_REG :
				  S_ISDIR(st.st_mode) ? CKPT_FILE_DIR :
				  S_ISCHR(st.st_mode) ? CKPT_FILE_CHR : f->kind;
			if (!strncmp(path, "/proc/", 6) &&
			    (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
				f->kind = CKPT_FILE_PROC;
			/* what a file open read-only is checked against */
			f->size = f->kind == CKPT_FILE_REG ? st.st_size : 0;
			f->mtime_sec = f->kind == CKPT_FILE_REG ? st.st_mtim.tv_sec : 0;
			f->mtime_nsec = f->kind == CKPT_FILE_REG ? st.st_mtim.tv_nsec : 0;
		} else if (type == CKPT_HDR_INOTIFY_WATCH) {
			struct ckpt_hdr_inotify_watch *w = (void *)b.p;

			w->ino = st.st_ino;
			w->dev = encode_dev(st.st_dev);
			w->mode = st.st_mode & S_IFMT;
		}
		desc_add(fz, "identity of the new file");
	}
	return rbuf_put(&b, img, &rs->r[i], true) ? -1 : 0;
}

/* Random bytes at random places of a record's payload. */
static int mut_bytes(struct fuzz *fz, struct ckpt_image *img,
		     const struct recs *rs)
{
	int i = pick_rec(rs, false), k, n = 1 + rnd_below(8);
	const struct ckpt_rec *r = &rs->r[i];

	if (r->len <= sizeof(struct ckpt_hdr))
		return -1;
	for (k = 0; k < n; k++) {
		size_t off = r->off + sizeof(struct ckpt_hdr) +
			     rnd_below(r->len - sizeof(struct ckpt_hdr));

		switch (rnd_below(4)) {
		case 0:
			img->buf[off] ^= 1 << rnd_below(8);
			break;
		case 1:
			img->buf[off] = 0xff;
			break;
		case 2:
			img->buf[off] = 0;
			break;
		default:
			img->buf[off] = rnd();
		}
	}
	desc_add(fz, "rec%d %s: %d random bytes", i, type_name(r->type), n);
	return 0;
}

/* Renumber the object records 1, 2, 3, ... after records moved. */
static void renumber(struct fuzz *fz, struct ckpt_image *img)
{
	struct recs *rs = malloc(sizeof(*rs));
	__u32 next = 1;
	int i;

	if (!rs)
		return;
	walk(img, rs);
	for (i = 0; i < rs->n; i++) {
		const struct rtype *t = rtype_of(rs->r[i].type);

		if (t && t->obj && rs->r[i].len >= sizeof(struct ckpt_hdr_obj))
			((struct ckpt_hdr_obj *)(img->buf + rs->r[i].off))->objref =
				next++;
	}
	free(rs);
	desc_add(fz, "objrefs renumbered");
}

static int mut_records(struct fuzz *fz, struct ckpt_image *img,
		       const struct recs *rs, const struct fuzz *src)
{
	int i = 1 + rnd_below(rs->n > 1 ? rs->n - 1 : 1), j;
	const struct ckpt_rec *r;
	size_t size;
	int err = 0;

	if (i >= rs->n)
		i = rs->n - 1;
	r = &rs->r[i];
	size = CKPT_ALIGN_UP((size_t)r->len);
	switch (rnd_below(8)) {
	case 0:
		image_delete(img, r->off, size);
		desc_add(fz, "drop rec%d %s", i, type_name(r->type));
		break;
	case 1:
		j = rnd_below(rs->n);
		err = image_dup_rec(img, r->off, rs->r[j].off);
		desc_add(fz, "dup rec%d %s before rec%d", i, type_name(r->type), j);
		break;
	case 2: {
		/* Swap with the next record. */
		unsigned char *tmp;

		if (i + 1 >= rs->n)
			return -1;
		tmp = malloc(size);
		if (!tmp)
			return -1;
		memcpy(tmp, img->buf + r->off, size);
		image_delete(img, r->off, size);
		err = image_insert(img, r->off + CKPT_ALIGN_UP((size_t)rs->r[i + 1].len),
				   tmp, size);
		free(tmp);
		desc_add(fz, "swap rec%d %s with the next", i, type_name(r->type));
		break;
	}
	case 3: {
		/* Move it elsewhere. */
		unsigned char *tmp = malloc(size);
		size_t dst;

		if (!tmp)
			return -1;
		j = rnd_below(rs->n);
		memcpy(tmp, img->buf + r->off, size);
		dst = rs->r[j].off;
		image_delete(img, r->off, size);
		if (dst > r->off)
			dst -= size;
		err = image_insert(img, dst, tmp, size);
		free(tmp);
		desc_add(fz, "move rec%d %s to rec%d", i, type_name(r->type), j);
		break;
	}
	case 4: {
		__u32 type = one_in(4) ? rnd() : PICK(rtypes).type;

		((struct ckpt_hdr *)(img->buf + r->off))->type = type;
		desc_add(fz, "retype rec%d %s to %u", i, type_name(r->type), type);
		break;
	}
	case 5: {
		/* A record of another seed, of the same kind or not. */
		const struct seed *s = &src->seeds[rnd_below(src->nr_seeds)];
		struct recs *o = malloc(sizeof(*o));

		if (!o)
			return -1;
		walk(&s->img, o);
		if (o->n < 2) {
			free(o);
			return -1;
		}
		j = 1 + rnd_below(o->n - 1);
		err = image_insert(img, r->off, s->img.buf + o->r[j].off,
				   CKPT_ALIGN_UP((size_t)o->r[j].len));
		desc_add(fz, "insert %s rec%d %s before rec%d", s->name, j,
			 type_name(o->r[j].type), i);
		if (one_in(2)) {
			/* ... or in place of this one. */
			image_delete(img, r->off + CKPT_ALIGN_UP((size_t)o->r[j].len),
				     size);
			desc_add(fz, "replacing it");
		}
		free(o);
		break;
	}
	case 6: {
		/* An error record, or a bare header of any type. */
		unsigned char rec[64];
		size_t len;

		if (one_in(2)) {
			len = ckpt_make_error(rec, rnd_below(200), "fuzz");
		} else {
			struct ckpt_hdr *h = (void *)rec;

			memset(rec, 0, sizeof(rec));
			h->type = PICK(rtypes).type;
			h->len = 8 + 8 * rnd_below(7);
			len = h->len;
		}
		err = image_insert(img, r->off, rec, len);
		desc_add(fz, "insert a %s record before rec%d",
			 type_name(((struct ckpt_hdr *)rec)->type), i);
		break;
	}
	default: {
		/* Shorten or lengthen a record, keeping its length right. */
		struct rbuf b;
		size_t cut;

		if (rbuf_get(&b, img, r))
			return -1;
		if (one_in(2) && b.len > 8) {
			cut = 1 + rnd_below(b.len - 8);
			rbuf_resize(&b, b.len - cut, cut, 0);
			desc_add(fz, "rec%d %s cut by %zu", i, type_name(r->type), cut);
		} else {
			cut = 1 + rnd_below(one_in(4) ? 70000 : 64);
			rbuf_resize(&b, b.len, 0, cut);
			desc_add(fz, "rec%d %s grown by %zu", i, type_name(r->type), cut);
		}
		err = rbuf_put(&b, img, r, true);
	}
	}
	return err ? -1 : 0;
}

/* Set the tail's counts to what precedes it, if there is one at the end. */
static void fix_tail(struct ckpt_image *img)
{
	struct recs *rs = malloc(sizeof(*rs));
	struct ckpt_hdr_tail *t;

	if (!rs)
		return;
	walk(img, rs);
	if (rs->n && rs->end == img->len &&
	    rs->r[rs->n - 1].type == CKPT_HDR_TAIL &&
	    rs->r[rs->n - 1].len >= sizeof(*t)) {
		t = (void *)(img->buf + rs->r[rs->n - 1].off);
		t->records = rs->n - 1;
		t->bytes = rs->r[rs->n - 1].off;
	}
	free(rs);
}

/*
 * Move the pids of an image (tree and task records) to free ones, so
 * that real restarts are not refused for a pid taken since the seed was
 * made.  Pids not of the image (a process group, a session) stay.
 */
static void relocate(struct fuzz *fz, struct ckpt_image *img)
{
	struct recs *rs = malloc(sizeof(*rs));
	struct ckpt_hdr_tree *tree = NULL;
	struct ckpt_pids *p;
	pid_t lo = INT_MAX, hi = 0, delta = 0;
	unsigned int i, n = 0;
	int k, tries;

	if (!rs)
		return;
	walk(img, rs);
	for (k = 0; k < rs->n && !tree; k++)
		if (rs->r[k].type == CKPT_HDR_TREE)
			tree = (void *)(img->buf + rs->r[k].off);
	if (!tree || tree->h.len != sizeof(*tree) + tree->nr_tasks * sizeof(*p))
		goto out;
	p = (void *)(tree + 1);
	n = tree->nr_tasks;
	for (i = 0; i < n; i++) {
		if (p[i].pid < lo)
			lo = p[i].pid;
		if (p[i].pid > hi)
			hi = p[i].pid;
	}
	if (lo <= 0 || hi - lo > 1000)
		goto out;
	for (tries = 0; tries < 50; tries++) {
		pid_t base = 1000 + rnd_below(fz->pid_max - 2000 - (hi - lo));

		delta = base - lo;
		for (i = 0; i < n; i++)
			if (kill(p[i].pid + delta, 0) == 0 || errno != ESRCH)
				break;
		if (i == n)
			break;
	}
	if (tries == 50)
		goto out;
	for (k = 0; k < rs->n; k++) {
		struct ckpt_hdr_task *t = (void *)(img->buf + rs->r[k].off);

		if (rs->r[k].type == CKPT_HDR_TASK && rs->r[k].len >= sizeof(*t))
			t->pid += delta;
	}
	/*
	 * The session a pty controls and its foreground group, the task of
	 * a pidfd, the process a POSIX message queue notifies: of the tree.
	 */
	for (k = 0; k < rs->n; k++) {
		struct ckpt_hdr_pty *y = (void *)(img->buf + rs->r[k].off);
		struct ckpt_hdr_file *h = (void *)y;
		struct ckpt_hdr_ipc_mq *q = (void *)y;
		struct ckpt_pidfd *pfd = (void *)(h + 1);
		pid_t *f[2] = { NULL, NULL };
		unsigned int m, j;

		if (rs->r[k].type == CKPT_HDR_PTY && rs->r[k].len >= sizeof(*y)) {
			f[0] = &y->session;
			f[1] = &y->fg_pgrp;
		} else if (rs->r[k].type == CKPT_HDR_IPC_MQ && rs->r[k].len >= sizeof(*q)) {
			f[0] = &q->notify_pid;
		} else if (rs->r[k].type == CKPT_HDR_FILE &&
			   rs->r[k].len >= sizeof(*h) + sizeof(*pfd) &&
			   h->kind == CKPT_FILE_PIDFD) {
			f[0] = &pfd->pid;
		} else {
			continue;
		}
		for (m = 0; m < ARRAY_SIZE(f) && f[m]; m++)
			for (j = 0; j < n; j++)
				if (*f[m] == p[j].pid) {
					*f[m] += delta;
					break;
				}
	}
	for (i = 0; i < n; i++) {
		pid_t *f[] = { &p[i].ppid, &p[i].pgid, &p[i].sid };
		unsigned int m, j;

		for (m = 0; m < ARRAY_SIZE(f); m++)
			for (j = 0; j < n; j++)
				if (*f[m] == p[j].pid) {
					*f[m] += delta;
					break;
				}
	}
	for (i = 0; i < n; i++) {
		p[i].pid += delta;
		p[i].tgid += delta;
	}
out:
	free(rs);
}

/* Kill the tasks a successful restart of @img made. */
static void image_kill_tasks(const struct ckpt_image *img)
{
	struct recs *rs = malloc(sizeof(*rs));
	int k;

	if (!rs)
		return;
	walk(img, rs);
	for (k = 0; k < rs->n; k++) {
		const struct ckpt_hdr_tree *t = (void *)(img->buf + rs->r[k].off);
		const struct ckpt_pids *p = (const void *)(t + 1);
		unsigned int i;

		if (rs->r[k].type != CKPT_HDR_TREE || rs->r[k].len < sizeof(*t) ||
		    t->nr_tasks > (rs->r[k].len - sizeof(*t)) / sizeof(*p))
			continue;
		for (i = 0; i < t->nr_tasks; i++)
			if (p[i].pid > 0)
				kill(p[i].pid, SIGKILL);
		break;
	}
	free(rs);
}

/* The pid the tree of an image gives its root, or 0. */
static pid_t image_root_pid(const struct ckpt_image *img)
{
	struct recs *rs = malloc(sizeof(*rs));
	pid_t pid = 0;
	int k;

	if (!rs)
		return 0;
	walk(img, rs);
	for (k = 0; k < rs->n; k++) {
		const struct ckpt_hdr_tree *t = (void *)(img->buf + rs->r[k].off);

		if (rs->r[k].type == CKPT_HDR_TREE &&
		    rs->r[k].len >= sizeof(*t) + sizeof(struct ckpt_pids)) {
			pid = ((const struct ckpt_pids *)(t + 1))->pid;
			break;
		}
	}
	free(rs);
	return pid;
}

/* The exit signal the task record of @pid gives it, or 0. */
static int image_exit_signal(const struct ckpt_image *img, pid_t pid)
{
	struct recs *rs = malloc(sizeof(*rs));
	int k, sig = 0;

	if (!rs)
		return 0;
	walk(img, rs);
	for (k = 0; k < rs->n; k++) {
		const struct ckpt_hdr_task *t = (void *)(img->buf + rs->r[k].off);

		if (rs->r[k].type == CKPT_HDR_TASK && rs->r[k].len >= sizeof(*t) &&
		    t->pid == pid) {
			sig = t->exit_signal;
			break;
		}
	}
	free(rs);
	return sig;
}

/* Make one fuzzed image from a seed; the description goes to fz->desc. */
static void mutate(struct fuzz *fz, struct ckpt_image *img)
{
	struct recs *rs = malloc(sizeof(*rs));
	int n = 1, k, tries;
	bool moved = false;

	fz->desc[0] = '\0';
	if (!rs)
		return;
	while (n < 8 && one_in(2))
		n++;
	scan_image(fz, img);
	for (k = 0; k < n; k++) {
		walk(img, rs);
		if (rs->n < 2)
			break;
		for (tries = 0; tries < 10; tries++) {
			unsigned int op = rnd_below(100);
			int err;

			if (op < 50) {
				err = mut_field(fz, img, rs);
			} else if (op < 62) {
				err = mut_path(fz, img, rs);
			} else if (op < 72) {
				err = mut_bytes(fz, img, rs);
			} else if (op < 97) {
				err = mut_records(fz, img, rs, fz);
				moved |= !err;
			} else {
				/* Cut the image short. */
				size_t len = one_in(2) ?
					rs->r[rnd_below(rs->n)].off :
					rnd_below(img->len);

				image_truncate(img, len);
				desc_add(fz, "truncate at %zu", len);
				err = 0;
			}
			if (!err)
				break;
		}
	}
	if (moved && !one_in(3))
		renumber(fz, img);
	if (!one_in(10))
		fix_tail(img);
	else
		desc_add(fz, "tail not fixed");
	free(rs);
}

/* ------------------------------------------------------------------ */
/* Running an image                                                    */

static const int documented[] = {
	ENOEXEC, EPROTONOSUPPORT, ENODATA, EINVAL, E2BIG, EBADR, EBADMSG,
	EPERM, EBUSY, ESTALE, EOPNOTSUPP, EBADF,
	/* Of what restart does as the task would: open, seek, map, chdir. */
	ENOENT, EACCES, ENOTDIR, ELOOP, EISDIR, ETXTBSY, ENODEV, ESPIPE,
	ENOMEM, EFAULT, ENAMETOOLONG,
	/* ... and socket, bind, listen, connect and send. */
	EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, ECONNREFUSED, ENETUNREACH,
	EPROTOTYPE, ENOBUFS,
	/* ... and epoll_ctl: an item twice, more than max_user_watches. */
	EEXIST, ENOSPC,
	/*
	 * ... and flock(2) and fcntl(2): a lock held by another owner, of
	 * the image too (Documentation/checkpoint/status.rst says so).
	 */
	EAGAIN,
	/* A SysV semaphore value above SEMVMX. */
	ERANGE,
	/* A pty's session whose leader restart did not make. */
	ESRCH,
	/* A descriptor number above the caller's hard RLIMIT_NOFILE. */
	EMFILE,
};

static bool is_documented(long ret)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(documented); i++)
		if (ret == -documented[i])
			return true;
	return false;
}

/* One line for the report: the log's line ends become "|". */
static void flatten(char *log)
{
	size_t len = strlen(log);

	while (len && log[len - 1] == '\n')
		log[--len] = '\0';
	for (; *log; log++)
		if (*log == '\n')
			*log = '|';
}

/*
 * Kill and reap every child of the caller; returns how many there were.
 * The children are listed again after each one reaped: the orphans of a
 * child come to us, a subreaper, as it dies, and need not die with it (a
 * vfork() child whose parent was killed first, with no PR_SET_PDEATHSIG:
 * a failed restart's leftovers, or a mutated image's).
 */
static int kill_children(void)
{
	char path[64];
	int n = 0, pid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", gettid());
	for (;;) {
		f = fopen(path, "re");
		if (f) {
			while (fscanf(f, "%d", &pid) == 1)
				kill(pid, SIGKILL);
			fclose(f);
		}
		if (waitpid(-1, NULL, __WALL) <= 0)
			break;
		n++;
	}
	return n;
}

/* A helper that cannot set itself up says why in its log. */
static void helper_fail(struct outcome *o, const char *what)
{
	snprintf(o->log[0], sizeof(o->log[0]), "helper: %s: %s", what,
		 strerror(errno));
	_exit(2);
}

/*
 * The exit signal of a restored root goes to us, its parent, and an
 * image may make it any signal: 33 would end the helper, SIGTSTP stop
 * it.  Ignore all that can be ignored, but SIGCHLD (which would reap
 * the children for us) and SIGALRM (the hang detector, which must stay
 * fatal to end killable waits); see ended_by_exit_signal() for the
 * others.  The system call itself: the C library refuses to touch the
 * signals it keeps for itself, 32 and 33.
 */
static void ignore_exit_signals(void)
{
	struct {
		unsigned long handler, flags, restorer, mask;
	} ign = { .handler = (unsigned long)SIG_IGN };
	int sig;

	for (sig = 1; sig <= CKPT_NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD &&
		    sig != SIGALRM)
			syscall(SYS_rt_sigaction, sig, &ign, NULL, sizeof(ign.mask));
}

/* In a fresh process: both calls, then kill, reap and look for leftovers. */
static void run_image(int fd, bool nobody, struct outcome *o,
		      unsigned int alarm_s, const struct ckpt_image *img)
{
	int lp[2], ctl[2], null, k;
	pid_t pid;

	alarm(alarm_s);
	o->phase = P_START;
	ignore_exit_signals();
	/* The restored tasks whose parents are killed come back to us. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		helper_fail(o, "PR_SET_CHILD_SUBREAPER");
	/* Inherited descriptors the images name: harmless ones. */
	null = open("/dev/null", O_RDWR);
	if (null < 0)
		helper_fail(o, "open /dev/null");
	if (pipe(ctl) || dup2(ctl[0], CTL_FD) != CTL_FD ||
	    dup2(ctl[1], REP_FD) != REP_FD)
		helper_fail(o, "control pipe");
	for (k = 0; k < 3; k++)
		dup2(null, k);
	if (log_pipe(lp))
		helper_fail(o, "log pipe");
	if (nobody && drop_to_nobody())
		helper_fail(o, "drop_to_nobody");
	for (k = 0; k < 2; k++) {
		o->phase = k ? P_RESTART : P_VALIDATE;
		if (lseek(fd, 0, SEEK_SET))
			helper_fail(o, "lseek");
		o->ret[k] = ckpt_ret(sys_restart(0, fd, k ? 0 : RESTART_VALIDATE,
						 lp[1]));
		log_drain(lp[0], o->log[k], sizeof(o->log[k]));
		flatten(o->log[k]);
	}
	o->phase = P_REAP;
	if (o->ret[1] > 0) {
		/* All of them, the root last, before any is reaped. */
		image_kill_tasks(img);
		kill(o->ret[1], SIGKILL);
		o->reaped = waitpid(o->ret[1], &o->status, __WALL);
		if (o->reaped < 0)
			o->reaped = -errno;
		/* Then the others of the image, now ours. */
		while (kill_children() > 0)
			;
	}
	o->phase = P_CHILDREN;
	pid = waitpid(-1, NULL, WNOHANG | __WALL);
	if (pid >= 0 || errno != ECHILD) {
		o->leftover = pid ? pid : -1;
		kill_children();
	}
	o->phase = P_DONE;
	_exit(0);
}

/*
 * The kernel's line about a fault of a user process, such as a restored
 * one whose code a mutation moved: "traps: comm[pid] general protection
 * fault ip:... sp:... error:..." or "comm[pid]: segfault at ... ip ...
 * sp ... error ...".  Not a kernel report, whatever the task's name.
 */
static bool user_fault(const char *msg)
{
	if (!strncmp(msg, "traps: ", 7) && strstr(msg, "] ") &&
	    strstr(msg, " ip:") && strstr(msg, " sp:") && strstr(msg, " error:"))
		return true;
	return strstr(msg, "]: segfault at ") && strstr(msg, " ip ") &&
	       strstr(msg, " sp ") && strstr(msg, " error ");
}

/* Read what the kernel logged since the last call; true on a report. */
static bool kmsg_check(struct fuzz *fz, char *excerpt, size_t size)
{
	static const char * const bad[] = {
		"BUG:", "WARNING:", "KASAN", "Oops", "general protection",
		"kernel BUG", "lockdep", "circular locking", "recursive locking",
		"inconsistent lock", "suspicious RCU", "UBSAN", "refcount_t:",
		"list_add corruption", "list_del corruption", "blocked for more",
		"stall", "DEBUG_LOCKS_WARN_ON",
	};
	char rec[1024];
	bool found = false;
	ssize_t n;
	unsigned int i;

	if (fz->kmsg < 0)
		return false;
	while ((n = read(fz->kmsg, rec, sizeof(rec) - 1)) > 0 ||
	       (n < 0 && errno == EPIPE)) {
		const char *msg;

		if (n <= 0)
			continue;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		if (user_fault(msg))
			continue;
		for (i = 0; i < ARRAY_SIZE(bad); i++)
			if (strstr(msg, bad[i]))
				break;
		if (i < ARRAY_SIZE(bad) && !found) {
			found = true;
			snprintf(excerpt, size, "%.500s", msg);
		}
	}
	return found;
}

static void dump_b64(const char *name, const unsigned char *p, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char line[80];
	size_t i, o = 0;

	printf("ckpt-fuzz-dump-begin %s %zu\n", name, len);
	for (i = 0; i < len; i += 3) {
		__u32 v = p[i] << 16 | (i + 1 < len ? p[i + 1] << 8 : 0) |
			  (i + 2 < len ? p[i + 2] : 0);

		line[o++] = tab[v >> 18 & 63];
		line[o++] = tab[v >> 12 & 63];
		line[o++] = i + 1 < len ? tab[v >> 6 & 63] : '=';
		line[o++] = i + 2 < len ? tab[v & 63] : '=';
		if (o == 76 || i + 3 >= len) {
			line[o] = '\0';
			printf("ckpt-fuzz-b64 %s\n", line);
			o = 0;
		}
	}
	printf("ckpt-fuzz-dump-end %s\n", name);
	fflush(stdout);
}

/* Record a failure: count it by kind, save the first images of a kind. */
static void failure(struct fuzz *fz, const struct ckpt_image *img,
		    unsigned long iter, const char *key, const char *detail)
{
	char name[PATH_MAX], base[96];
	bool first;
	int k;
	FILE *f;

	fz->failures++;
	for (k = 0; k < fz->nr_keys; k++)
		if (!strcmp(fz->keys[k].key, key))
			break;
	if (k == fz->nr_keys && k < MAX_KEYS) {
		snprintf(fz->keys[k].key, sizeof(fz->keys[k].key), "%s", key);
		fz->nr_keys++;
	}
	if (k < MAX_KEYS && fz->keys[k].count++ >= SAVE_PER_KEY)
		return;
	first = k < MAX_KEYS && fz->keys[k].count == 1;

	snprintf(base, sizeof(base), "seed-%llu-iter-%lu",
		 (unsigned long long)fz->seed, iter);
	ksft_print_msg("FAIL %s: %s\n", base, key);
	ksft_print_msg("  mutations: %s\n", fz->desc);
	ksft_print_msg("  %s\n", detail);
	mkdir(fz->outdir, 0755);
	snprintf(name, sizeof(name), "%s/%s.img", fz->outdir, base);
	f = fopen(name, "we");
	if (f) {
		if (fwrite(img->buf, 1, img->len, f) != img->len)
			ksft_print_msg("  short write of %s\n", name);
		fclose(f);
		fz->saved++;
		ksft_print_msg("  reproducer: %s\n", name);
	}
	snprintf(name, sizeof(name), "%s/%s.txt", fz->outdir, base);
	f = fopen(name, "ae");
	if (f) {
		fprintf(f, "kind: %s\nmutations: %s\n%s\n", key, fz->desc,
			detail);
		fclose(f);
	}
	/* On the console: the first image of each kind of failure. */
	if (fz->dump && first && fz->dumped++ < MAX_DUMPS)
		dump_b64(base, img->buf, img->len);
}

/* The record type named by the first log line, for grouping failures. */
static void log_where(const char *log, char *buf, size_t size)
{
	const char *p = strstr(log, "record "), *q;

	q = p ? strchr(p, '(') : NULL;
	if (q && strchr(q, ')') && strchr(q, ')') - q < 20)
		snprintf(buf, size, "%.*s", (int)(strchr(q, ')') - q - 1), q + 1);
	else
		snprintf(buf, size, "-");
}

static const char *errname(long ret)
{
	const char *s = ret < 0 ? strerrorname_np(-ret) : NULL;

	return s ? s : ret < 0 ? "?" : "ok";
}

/* Check one run of one image; report what is wrong with it. */
/*
 * Whether the helper was ended, as it killed the restored root, by the
 * root's exit signal: one it cannot ignore, SIGKILL or SIGALRM, or
 * SIGSTOP, after which wait_helper() killed it.  The restored tasks
 * are then reparented to us, and reaped by kill_children().
 */
static bool ended_by_exit_signal(const struct ckpt_image *img, pid_t root,
				 const struct outcome *o, int wstatus)
{
	int sig, exit_signal;

	if (!WIFSIGNALED(wstatus) || o->phase != P_REAP || o->ret[1] <= 0 ||
	    !root || o->ret[1] != root)
		return false;
	sig = WTERMSIG(wstatus);
	exit_signal = image_exit_signal(img, root);
	return sig == exit_signal || (exit_signal == SIGSTOP && sig == SIGKILL);
}

static void judge(struct fuzz *fz, const struct ckpt_image *img,
		  unsigned long iter, bool nobody, int wstatus,
		  const struct outcome *o, pid_t root)
{
	const char *who = nobody ? "nobody" : "root";
	char key[128], detail[2 * LOG_LEN + 256], where[32];
	int k;

	snprintf(detail, sizeof(detail),
		 "as %s: validate %ld (%s) log: %.*s; restart %ld (%s) log: %.*s",
		 who, o->ret[0], errname(o->ret[0]), LOG_LEN, o->log[0],
		 o->ret[1], errname(o->ret[1]), LOG_LEN, o->log[1]);
	if (ended_by_exit_signal(img, root, o, wstatus)) {
		fz->runs += 2;
		fz->restored++;
		if (!o->ret[0])
			fz->validated++;
		return;
	}
	if (WIFSIGNALED(wstatus)) {
		snprintf(key, sizeof(key), "%s in %s as %s",
			 WTERMSIG(wstatus) == SIGALRM ? "hang" : "helper killed",
			 phase_names[o->phase], who);
		failure(fz, img, iter, key, detail);
		return;
	}
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) || o->phase != P_DONE) {
		snprintf(key, sizeof(key), "helper failed in %s as %s",
			 phase_names[o->phase], who);
		failure(fz, img, iter, key, detail);
		return;
	}
	fz->runs += 2;
	for (k = 0; k < 2; k++) {
		long ret = o->ret[k];

		log_where(o->log[k], where, sizeof(where));
		if (ret >= 0) {
			if (k == 0 && ret) {
				snprintf(key, sizeof(key), "validate returned %ld", ret);
				failure(fz, img, iter, key, detail);
			}
			continue;
		}
		if (!is_documented(ret)) {
			snprintf(key, sizeof(key), "undocumented errno %s from %s as %s at %s",
				 errname(ret), k ? "restart" : "validate", who, where);
			failure(fz, img, iter, key, detail);
		} else if (!o->log[k][0]) {
			snprintf(key, sizeof(key), "%s without a log line from %s as %s",
				 errname(ret), k ? "restart" : "validate", who);
			failure(fz, img, iter, key, detail);
		}
	}
	if (!o->ret[0])
		fz->validated++;
	if (o->ret[1] > 0) {
		fz->restored++;
		if (o->reaped != o->ret[1]) {
			snprintf(key, sizeof(key), "restored pid not reaped (%ld) as %s",
				 o->reaped, who);
			failure(fz, img, iter, key, detail);
		}
		if (root && o->ret[1] != root) {
			snprintf(key, sizeof(key), "restart returned pid %ld, the tree says %d",
				 o->ret[1], root);
			failure(fz, img, iter, key, detail);
		}
	} else {
		fz->refused++;
	}
	if (o->leftover) {
		snprintf(key, sizeof(key), "%s left a task behind as %s",
			 o->ret[1] > 0 ? "restart" : "failed restart", who);
		failure(fz, img, iter, key, detail);
	}
}

/* Wait for a helper; a helper that does not end even when killed is fatal. */
static int wait_helper(pid_t pid, unsigned int timeout_s, int *status)
{
	int pfd = sys_pidfd_open(pid, 0);
	struct pollfd p = { .fd = pfd, .events = POLLIN };
	unsigned int waited;
	siginfo_t si;

	/* One stopped (by a restored root's exit signal) is killed at once. */
	for (waited = 0; pfd >= 0 && waited < timeout_s; waited++) {
		if (poll(&p, 1, 1000) > 0)
			break;
		si.si_pid = 0;
		if (!waitid(P_PID, pid, &si, WSTOPPED | WNOHANG | WNOWAIT) &&
		    si.si_pid == pid)
			break;
	}
	if (pfd >= 0 && poll(&p, 1, 0) == 0) {
		kill(pid, SIGKILL);
		if (poll(&p, 1, 60 * 1000) == 0) {
			close(pfd);
			return -ETIMEDOUT;
		}
	}
	if (pfd >= 0)
		close(pfd);
	return waitpid(pid, status, 0) == pid ? 0 : -errno;
}

/*
 * Feed one image as root and as nobody.  Returns -1 if fuzzing cannot
 * go on (a task that does not die).
 */
static int feed(struct fuzz *fz, const struct ckpt_image *img,
		unsigned long iter, long *results)
{
	struct outcome *o = shared_alloc(sizeof(*o));
	char excerpt[512];
	int fd, who, status, err;
	pid_t pid, root = image_root_pid(img);

	if (!o)
		return -1;
	fd = image_memfd(img);
	if (fd < 0) {
		munmap(o, sizeof(*o));
		return -1;
	}
	for (who = 0; who < 2; who++) {
		memset(o, 0, sizeof(*o));
		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (pid < 0)
			break;
		if (!pid)
			run_image(fd, who, o, fz->alarm_s, img);
		err = wait_helper(pid, fz->alarm_s + 30, &status);
		if (err) {
			failure(fz, img, iter, "unkillable helper",
				"a restart helper did not die after SIGKILL");
			close(fd);
			return -1;
		}
		judge(fz, img, iter, who, status, o, root);
		if (!who)
			fz->last = *o;
		if (results) {
			results[2 * who] = o->ret[0];
			results[2 * who + 1] = o->ret[1];
		}
		/*
		 * Orphans of a killed helper come to us, the subreaper; the
		 * restored tasks do if the root's exit signal ended it.
		 */
		if (kill_children() &&
		    !ended_by_exit_signal(img, root, o, status))
			failure(fz, img, iter, "orphan task after a helper ended",
				"a task outlived its restart helper");
	}
	close(fd);
	munmap(o, sizeof(*o));
	if (kmsg_check(fz, excerpt, sizeof(excerpt)))
		failure(fz, img, iter, "kernel report in the log", excerpt);
	fz->images++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Seed processes                                                      */

enum seed_kind {
	SEED_RICH, SEED_SIGSUSPEND, SEED_SPIN, SEED_NOBODY, SEED_SELF,
	SEED_THREAD, SEED_TREE, SEED_ERROR, SEED_SLEEP, SEED_SOCKETS,
	SEED_SHMEM, SEED_EVENTS, SEED_MEMFD, SEED_LOCKS, SEED_SYSV_IPC,
	SEED_PTY, SEED_PTY_CTTY, SEED_TCP, SEED_INOTIFY, SEED_SHARED_VM,
	SEED_NESTED_PIDNS,
};

static const char * const seed_names[NR_SEEDS] = {
	"rich", "sigsuspend", "spin", "nobody", "self", "thread", "tree",
	"error", "nanosleep", "sockets", "shmem", "events", "memfd", "locks",
	"sysv_ipc", "pty", "pty_ctty", "tcp", "inotify", "shared_vm",
	"nested_pidns",
};

static char altstack_mem[32 * 1024];

static void on_sig(int sig, siginfo_t *si, void *uc)
{
}

static void *idle_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/* The state of the rich seed: one of each resource. */
static int rich_state(const char *data, const char *dir)
{
	struct sigaction sa = { .sa_sigaction = on_sig,
				.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK };
	struct itimerval it = { { 7, 0 }, { 1000, 0 } };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGRTMIN };
	struct itimerspec once = { .it_value = { 1000, 0 } };
	struct itimerspec every = { { 0, 10000000 }, { 0, 10000000 } };
	timer_t tm;
	stack_t ss = { .ss_sp = altstack_mem, .ss_size = sizeof(altstack_mem) };
	struct rlimit rl = { 1536, 2048 };
	long psz = PAGE;
	unsigned char *a, *m;
	union sigval v;
	sigset_t set;
	int fd, k, pp[2];

	a = mmap(NULL, 16 * psz, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return -1;
	for (k = 0; k < 8; k++)
		memset(a + k * psz, 0x11 * k + 1, psz);
	if (mprotect(a + 12 * psz, 2 * psz, PROT_READ) ||
	    mprotect(a + 14 * psz, 2 * psz, PROT_NONE) ||
	    madvise(a + 8 * psz, psz, MADV_DONTDUMP) ||
	    madvise(a + 9 * psz, psz, MADV_DONTFORK) ||
	    madvise(a + 10 * psz, psz, MADV_WIPEONFORK))
		return -1;
	m = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	memset(m, 0x5a, psz);
	m = mmap(NULL, psz, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	m = mmap(NULL, psz, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	m[0] = 1;
	fd = open(data, O_RDWR);
	if (fd < 0)
		return -1;
	m = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return -1;
	m[0] = 0x77;
	m = mmap(NULL, psz, PROT_READ, MAP_SHARED, fd, psz);
	if (m == MAP_FAILED)
		return -1;
	/* Executable if /tmp allows it. */
	mmap(NULL, psz, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (dup2(fd, 101) != 101 || close(fd) ||
	    lseek(101, 1000, SEEK_SET) != 1000 || dup2(101, 102) != 102)
		return -1;
	fd = open("/dev/null", O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || dup3(fd, 103, O_CLOEXEC) != 103 || close(fd))
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || dup2(fd, 104) != 104 || close(fd))
		return -1;
	fd = open("/dev/zero", O_RDONLY | O_NONBLOCK);
	if (fd < 0 || dup2(fd, 105) != 105 || close(fd))
		return -1;
	fd = open(data, O_RDONLY | O_NOATIME);
	if (fd < 0 || dup2(fd, 106) != 106 || close(fd))
		return -1;
	if (setrlimit(RLIMIT_NOFILE, &rl) || dup2(103, 1500) != 1500)
		return -1;
	fd = open(data, O_PATH);
	if (fd < 0 || dup2(fd, 107) != 107 || close(fd))
		return -1;
	/* A pipe with both ends here, holding data. */
	if (pipe(pp) || dup2(pp[0], 108) != 108 || dup2(pp[1], 109) != 109 ||
	    close(pp[0]) || close(pp[1]) || write(109, "in the pipe", 11) != 11)
		return -1;
	umask(027);
	if (chdir(dir))
		return -1;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN);
	sa.sa_mask = set;
	if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGUSR2, &sa, NULL) ||
	    sigaction(SIGRTMIN, &sa, NULL) || signal(SIGPIPE, SIG_IGN) == SIG_ERR ||
	    sigprocmask(SIG_BLOCK, &set, NULL) || sigaltstack(&ss, NULL))
		return -1;
	v.sival_int = 1234;
	if (sigqueue(getpid(), SIGUSR2, v))
		return -1;
	for (k = 0; k < 3; k++) {
		v.sival_int = k;
		if (sigqueue(getpid(), SIGRTMIN, v))
			return -1;
	}
	if (syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1))
		return -1;
	if (setitimer(ITIMER_REAL, &it, NULL))
		return -1;
	/* POSIX timers: a deleted one, a one-shot, a periodic one pending. */
	if (timer_create(CLOCK_MONOTONIC, NULL, &tm) || timer_delete(tm) ||
	    timer_create(CLOCK_BOOTTIME, &sev, &tm) ||
	    timer_settime(tm, 0, &once, NULL) ||
	    timer_create(CLOCK_MONOTONIC, &sev, &tm) ||
	    timer_settime(tm, 0, &every, NULL))
		return -1;
	sev.sigev_notify = SIGEV_NONE;
	if (timer_create(CLOCK_REALTIME, &sev, &tm) ||
	    timer_settime(tm, 0, &once, NULL))
		return -1;
	if (setpriority(PRIO_PROCESS, 0, 3) ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1) ||
	    prctl(PR_SET_PDEATHSIG, SIGKILL) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_NAME, "ckpt-fuzz-rich"))
		return -1;
	return 0;
}

/*
 * The state of the sockets seed: a unix socket pair of each type with
 * data queued both ways (an empty message included, options set, one
 * direction shut down), a stream pair whose other end wrote and was
 * closed with data unread, a TCP listener and a UDP socket bound on the
 * loopback (connected to the listener's port), and a unix datagram
 * socket bound to an abstract name.
 */
static int sockets_state(void)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	const struct sockaddr_in lo = { .sin_family = AF_INET,
					.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in sin = lo;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { 0, 250000 };
	int sv[2], fd, one = 1, rcvbuf = 32768;
	socklen_t len = sizeof(sin);
	char buf[3000];
	unsigned int k;

	memset(buf, 0x3c, sizeof(buf));
	for (k = 0; k < ARRAY_SIZE(types); k++) {
		if (socketpair(AF_UNIX, types[k], 0, sv) ||
		    send(sv[0], buf, 1000 + k, 0) != 1000 + k ||
		    send(sv[0], buf, 0, 0) || send(sv[0], "ab", 2, 0) != 2 ||
		    send(sv[1], buf, sizeof(buf), 0) != sizeof(buf))
			return -1;
	}
	/* The last pair, a seqpacket one: options on one end. */
	if (setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) ||
	    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) ||
	    setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    fcntl(sv[1], F_SETFL, O_NONBLOCK) || shutdown(sv[0], SHUT_WR))
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
	    send(sv[0], "unread", 6, 0) != 6 || send(sv[1], "bye", 3, 0) != 3 ||
	    close(sv[1]))
		return -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 5) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len))
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (const struct sockaddr *)&lo, sizeof(lo)) ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		return -1;
	snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "ckpt-fuzz-%d",
		 getpid());
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun,
			   offsetof(struct sockaddr_un, sun_path) + 1 +
			   strlen(sun.sun_path + 1)))
		return -1;
	return 0;
}

/*
 * The state of the shmem seed: shared anonymous memory with data in
 * some pages and holes in others, mapped twice (the second mapping at
 * an offset), and a child sharing it that unmapped its first page, made
 * one read only and wrote another.
 */
static int shmem_state(void)
{
	const long psz = PAGE;
	unsigned char *m;
	int p[2], k;
	char c = 0;
	pid_t pid;

	m = mmap(NULL, 8 * psz, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || pipe(p))
		return -1;
	for (k = 0; k < 6; k++)
		if (k != 3 && k != 4)
			memset(m + k * psz, 0x21 + k, psz);
	if (mremap(m + 2 * psz, 0, 2 * psz, MREMAP_MAYMOVE) == MAP_FAILED)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(REP_FD);
		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (munmap(m, psz) || mprotect(m + 2 * psz, psz, PROT_READ))
			_exit(1);
		m[7 * psz] = 0x7e;
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	k = read(p[0], &c, 1);
	close(p[0]);
	return k == 1 ? 0 : -1;
}

/*
 * The state of the events seed: an epoll made before the files it
 * watches (a pipe with data, exclusively; an eventfd, edge-triggered; a
 * unix socket with data queued; a periodic timerfd, with EPOLLWAKEUP),
 * non-blocking, and a second epoll watching it; the periodic timerfd
 * with expirations not read, a one-shot one on CLOCK_BOOTTIME and an
 * absolute one on CLOCK_REALTIME, periodic too.
 */
static int events_state(void)
{
	/* The pipe, eventfd, socket and periodic timerfd it watches. */
	static const __u32 events[] = {
		EPOLLIN | EPOLLEXCLUSIVE, EPOLLIN | EPOLLET,
		EPOLLIN | EPOLLOUT | EPOLLRDHUP, EPOLLIN | EPOLLWAKEUP,
	};
	const struct itimerspec every = { { 0, 1000000 }, { 0, 1000000 } };
	const struct itimerspec once = { .it_value = { 1000, 0 } };
	struct itimerspec at = { .it_interval = { 60, 0 } };
	struct timespec pause_ms = { 0, 5000000 };
	struct epoll_event ev = { 0 };
	int ep, ep2, p[2], sv[2], fds[4], fd;
	struct pollfd pfd;
	unsigned int k;

	ep = epoll_create1(0);
	ep2 = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || ep2 < 0 || pipe(p) || write(p[1], "x", 1) != 1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
	    send(sv[1], "hi", 2, 0) != 2)
		return -1;
	fds[0] = p[0];
	fds[1] = eventfd(1, EFD_NONBLOCK);
	fds[2] = sv[0];
	fds[3] = timerfd_create(CLOCK_MONOTONIC, 0);
	if (fds[1] < 0 || fds[3] < 0 || timerfd_settime(fds[3], 0, &every, NULL))
		return -1;
	for (k = 0; k < ARRAY_SIZE(events); k++) {
		ev.events = events[k];
		ev.data.u64 = 0x1111ULL * (k + 1) << 32 | fds[k];
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[k], &ev))
			return -1;
	}
	ev.events = EPOLLIN;
	ev.data.u64 = 0x5555;
	if (epoll_ctl(ep2, EPOLL_CTL_ADD, ep, &ev) ||
	    fcntl(ep, F_SETFL, O_NONBLOCK))
		return -1;
	fd = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
	if (fd < 0 || timerfd_settime(fd, 0, &once, NULL))
		return -1;
	fd = timerfd_create(CLOCK_REALTIME, 0);
	if (fd < 0 || clock_gettime(CLOCK_REALTIME, &at.it_value))
		return -1;
	at.it_value.tv_sec += 1000;
	if (timerfd_settime(fd, TFD_TIMER_ABSTIME, &at, NULL))
		return -1;
	/* A few expirations of the periodic one, not read. */
	pfd.fd = fds[3];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 1000) != 1)
		return -1;
	nanosleep(&pause_ms, NULL);
	return 0;
}

/*
 * The state of the inotify seed: an inotify watching a directory of its
 * own in @work (wd 1) and a file in it (3, IN_ONESHOT), whose events are
 * queued: the file made, written and closed, then renamed (a cookie ties
 * the two events); the watch of @work (2) removed since, its IN_IGNORED
 * queued.  A second one, non-blocking, watches nothing.
 */
static int inotify_state(const char *work)
{
	char dir[200], a[220], b[220];
	int in, fd, wd;

	snprintf(dir, sizeof(dir), "%s/inotify", work);
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	in = inotify_init1(0);
	if (in < 0 || mkdir(dir, 0755) ||
	    inotify_add_watch(in, dir, IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_FROM |
			      IN_MOVED_TO | IN_DELETE | IN_EXCL_UNLINK) != 1)
		return -1;
	wd = inotify_add_watch(in, work, IN_ATTRIB);
	fd = open(a, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (wd != 2 || fd < 0 || write(fd, "x", 1) != 1 || close(fd) || rename(a, b) ||
	    inotify_add_watch(in, b, IN_MODIFY | IN_ONESHOT) != 3 ||
	    inotify_rm_watch(in, wd))
		return -1;
	return inotify_init1(IN_NONBLOCK) < 0 ? -1 : 0;
}

/*
 * The state of the memfd seed: a memfd of 5 pages and 100 bytes with data
 * in some pages and holes in others, mode 0640, sealed against shrinking,
 * open twice (the second a read-only reopen through /proc at an offset of
 * its own), mapped shared and privately (a page of the private mapping
 * written); a memfd sealed against writes then sealed, mapped shared
 * read-only, its descriptor closed; an empty one made by MFD_NOEXEC_SEAL.
 */
static int memfd_state(void)
{
	const long psz = PAGE;
	unsigned char *s, *p;
	char path[64];
	int fd, fd2;

	fd = memfd_create("ckpt-fuzz", MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, 5 * psz + 100))
		return -1;
	/* Pages 1 and 3 written through the shared mapping, 4 by pwrite(). */
	s = mmap(NULL, 3 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, psz);
	p = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (s == MAP_FAILED || p == MAP_FAILED)
		return -1;
	memset(s, 0x31, psz);
	memset(s + 2 * psz, 0x33, psz);
	p[psz] = 0x7e;
	if (pwrite(fd, "tail", 4, 4 * psz + 10) != 4 || fchmod(fd, 0640) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) || lseek(fd, 777, SEEK_SET) != 777)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fd2 = open(path, O_RDONLY);
	if (fd2 < 0 || lseek(fd2, 55, SEEK_SET) != 55)
		return -1;

	fd = memfd_create("sealed", MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, 2 * psz) || pwrite(fd, "sealed", 6, psz) != 6 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SEAL))
		return -1;
	s = mmap(NULL, 2 * psz, PROT_READ, MAP_SHARED, fd, 0);
	if (s == MAP_FAILED || close(fd))
		return -1;
	return memfd_create("", MFD_NOEXEC_SEAL) < 0 ? -1 : 0;
}

/*
 * The state of the locks seed, on the fuzzer's @data file: an open file
 * for reading and writing (fd 110) with flock(LOCK_SH) and an OFD write
 * lock on its first 100 bytes, a read-only one (fd 111) with
 * flock(LOCK_SH) and an OFD read lock on its second page, and POSIX
 * locks of the process: for writing through fd 110 on bytes 200 to 299,
 * for reading through fd 111 from the third page to the end.
 */
static int locks_state(const char *data)
{
	struct flock ofd_w = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 100 };
	struct flock ofd_r = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
			       .l_start = PAGE, .l_len = PAGE };
	struct flock px_w = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			      .l_start = 200, .l_len = 100 };
	struct flock px_r = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
			      .l_start = 2 * PAGE };
	int fd;

	fd = open(data, O_RDWR);
	if (fd < 0 || dup2(fd, 110) != 110 || close(fd))
		return -1;
	fd = open(data, O_RDONLY);
	if (fd < 0 || dup2(fd, 111) != 111 || close(fd))
		return -1;
	if (flock(110, LOCK_SH) || flock(111, LOCK_SH) ||
	    fcntl(110, F_OFD_SETLK, &ofd_w) || fcntl(111, F_OFD_SETLK, &ofd_r) ||
	    fcntl(110, F_SETLK, &px_w) || fcntl(111, F_SETLK, &px_r))
		return -1;
	return 0;
}

/* The argument of semctl(2), which the caller defines */
union semun_arg {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

/*
 * The state of the sysv_ipc seed, in an IPC namespace of its own (only
 * then are SysV IPC objects saved): a segment of 3 pages less 100 bytes
 * with data in its second page, attached read-write and read-only; a
 * private message queue with two messages waiting; a set of 3
 * semaphores, the last at SEMVMX, the first two changed with SEM_UNDO
 * (its undo list adjusts them by -2 and 1).
 */
static int sysv_ipc_state(void)
{
	unsigned short vals[3] = { 0, 1, 32767 };
	union semun_arg arg = { .array = vals };
	struct sembuf ops[] = {
		{ .sem_num = 0, .sem_op = 2, .sem_flg = SEM_UNDO },
		{ .sem_num = 1, .sem_op = -1, .sem_flg = SEM_UNDO | IPC_NOWAIT },
	};
	struct {
		long mtype;
		char mtext[16];
	} msg = { 1, "hello, world\n" };
	void *rw, *ro;
	int shm, q, sem;

	if (unshare(CLONE_NEWIPC))
		return -1;
	shm = shmget(0x5eed0001, 3 * PAGE - 100, IPC_CREAT | 0640);
	if (shm < 0)
		return -1;
	rw = shmat(shm, NULL, 0);
	ro = shmat(shm, NULL, SHM_RDONLY);
	if (rw == (void *)-1 || ro == (void *)-1)
		return -1;
	memset((char *)rw + PAGE, 0x5e, PAGE);
	q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (q < 0 || msgsnd(q, &msg, 13, IPC_NOWAIT))
		return -1;
	msg.mtype = 42;
	memcpy(msg.mtext, "\x00\x01\xfe\xff", 4);
	if (msgsnd(q, &msg, 4, IPC_NOWAIT))
		return -1;
	sem = semget(0x5eed0002, 3, IPC_CREAT | 0666);
	if (sem < 0 || semctl(sem, 0, SETALL, arg) || semop(sem, ops, ARRAY_SIZE(ops)))
		return -1;
	return 0;
}

/*
 * The state of the tcp seed, in a network namespace of its own with its
 * loopback device up: a TCP connection over IPv4 and one over IPv6, each
 * end with bytes from the other not read yet, their listeners, and on
 * each a connection not accepted yet, holding bytes.
 */
static int tcp_state(void)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char data[3000];
	int i;

	if (unshare(CLONE_NEWNET) || lo_up())
		return -1;
	memset(data, 0x7c, sizeof(data));
	for (i = 0; i < 2; i++) {
		struct sockaddr *sa = i ? (void *)&sin6 : (void *)&sin;
		socklen_t len = i ? sizeof(sin6) : sizeof(sin);
		int l, c, a, w;

		l = socket(sa->sa_family, SOCK_STREAM, 0);
		c = socket(sa->sa_family, SOCK_STREAM, 0);
		w = socket(sa->sa_family, SOCK_STREAM, 0);
		if (l < 0 || c < 0 || w < 0 || bind(l, sa, len) ||
		    listen(l, 2) || getsockname(l, sa, &len) ||
		    connect(c, sa, len))
			return -1;
		a = accept(l, NULL, NULL);
		if (a < 0 || write(c, data, sizeof(data)) != sizeof(data) ||
		    write(a, data, 100 + i) != 100 + i)
			return -1;
		/* One more, waiting for accept(2): the tcp_accept record. */
		if (connect(w, sa, len) || write(w, data, 50 + i) != 50 + i)
			return -1;
	}
	return 0;
}

/*
 * The state of the pty seeds: a Unix 98 pty, its master (fd 120) in
 * packet mode, its slave open twice (fd 121, and fd 122 read-only and
 * non-blocking), in canonical mode without echo, with its own erase and
 * end of line characters and speed, and without IXON (for the master a
 * TIOCPKT_NOSTOP status not read), with a window size; typed on the
 * master and not read, a line and a part of one; written on the slave
 * and not read, a line.  The pty seed also holds a pty whose slave was
 * opened and closed, locked again (fd 123); the pty_ctty seed leads a
 * session whose controlling terminal is the first slave, with the
 * process group of its child, which holds the same files, in the
 * foreground.
 */
static int pty_state(bool ctty)
{
	struct winsize ws = { .ws_row = 40, .ws_col = 132,
			      .ws_xpixel = 640, .ws_ypixel = 480 };
	int fd, one = 1;
	struct termios t;
	char name[64];
	pid_t pid;

	if (ctty && setsid() < 0)
		return -1;
	fd = posix_openpt(O_RDWR | O_NOCTTY);
	if (fd < 0 || dup2(fd, 120) != 120 || close(fd) || grantpt(120) ||
	    unlockpt(120) || ptsname_r(120, name, sizeof(name)) ||
	    ioctl(120, TIOCPKT, &one))
		return -1;
	fd = open(name, O_RDWR | O_NOCTTY);
	if (fd < 0 || dup2(fd, 121) != 121 || close(fd))
		return -1;
	fd = open(name, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || dup2(fd, 122) != 122 || close(fd))
		return -1;
	if (ctty && ioctl(121, TIOCSCTTY, 0))
		return -1;
	if (tcgetattr(121, &t))
		return -1;
	t.c_lflag |= ICANON | ISIG | IEXTEN;
	t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	t.c_iflag &= ~IXON;
	t.c_cc[VERASE] = '#';
	t.c_cc[VEOL] = '%';
	if (cfsetspeed(&t, B9600) || tcsetattr(121, TCSANOW, &t) ||
	    ioctl(121, TIOCSWINSZ, &ws))
		return -1;
	/* Both queues hold data: "abc\n" a whole line, "de" being typed. */
	if (write(120, "abc\nde", 6) != 6 || write(121, "out\n", 4) != 4)
		return -1;
	if (ctty) {
		pid = fork();
		if (pid < 0)
			return -1;
		if (!pid) {
			close(REP_FD);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			setpgid(0, 0);
			for (;;)
				pause();
		}
		return setpgid(pid, pid) || tcsetpgrp(121, pid) ? -1 : 0;
	}
	fd = posix_openpt(O_RDWR | O_NOCTTY);
	if (fd < 0 || dup2(fd, 123) != 123 || close(fd) || grantpt(123) ||
	    unlockpt(123) || ptsname_r(123, name, sizeof(name)))
		return -1;
	fd = open(name, O_RDWR | O_NOCTTY);
	if (fd < 0 || close(fd) || ioctl(123, TIOCSPTLCK, &one))
		return -1;
	return 0;
}

static char shared_vm_stack[64 * 1024];

/*
 * A child of the shared_vm seed, asleep reading CTL_FD like the seed:
 * killed when its parent @parent dies, gone when the fuzzer closes the
 * other end.
 */
static void __noreturn shared_vm_block(pid_t parent)
{
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	_exit(read(CTL_FD, &c, 1) < 0);
}

static int shared_vm_clone(void *arg)
{
	close(REP_FD);
	shared_vm_block((pid_t)(long)arg);
}

/*
 * The state of the shared_vm seed: a child sharing its address space and
 * signal handlers (clone(2) with CLONE_VM | CLONE_SIGHAND, on a static
 * stack), and a forked child waiting in vfork() for its own child; the
 * clone(2) and the vfork() children asleep reading CTL_FD like the seed.
 * The tree record gives the first CKPT_PIDS_SHARE_VM |
 * CKPT_PIDS_SHARE_SIGHAND, the vfork() child CKPT_PIDS_SHARE_VM |
 * CKPT_PIDS_VFORK.  Ready once all three sleep where they are saved.
 */
static int shared_vm_state(void)
{
	pid_t self = getpid(), w, v, g;
	char name[32], buf[64];

	w = clone(shared_vm_clone, shared_vm_stack + sizeof(shared_vm_stack),
		  CLONE_VM | CLONE_SIGHAND | SIGCHLD, (void *)(long)self);
	if (w < 0)
		return -1;
	v = fork();
	if (v < 0)
		return -1;
	if (!v) {
		close(REP_FD);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != self)
			_exit(1);
		v = getpid();
		/* Until its child dies, or it is killed. */
		g = vfork();
		if (!g)
			shared_vm_block(v);
		_exit(g < 0);
	}
	/* The vfork() child is there once its parent sleeps in vfork(). */
	snprintf(name, sizeof(name), "task/%d/children", v);
	if (wait_in_syscall(v, SYS_vfork) || proc_read(v, name, buf, sizeof(buf)) < 0)
		return -1;
	g = atoi(buf);
	if (g <= 0 || wait_in_syscall(g, SYS_read) || wait_in_syscall(w, SYS_read))
		return -1;
	return 0;
}

static int nested_ready[2];	/* the tasks of nested_pidns to the seed */

/*
 * fork() into a new pid namespace, whose init the child is; without a
 * stack of its own, as pid_ns.c does it.
 */
static pid_t fork_newpid(void)
{
	return syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, NULL, NULL, 0);
}

/*
 * A task of the nested_pidns seed: tells the seed its pid, as the seed
 * sees it (that of our /proc), then sleeps reading CTL_FD like the seed.
 */
static void __noreturn nested_block(void)
{
	char buf[16] = "";
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	pid_t pid = n > 0 ? atoi(buf) : -1;

	if (write(nested_ready[1], &pid, sizeof(pid)) != sizeof(pid))
		_exit(1);
	close(nested_ready[1]);
	_exit(read(CTL_FD, buf, 1) < 0);
}

/* I2, the init of a namespace below I's: forks C. */
static void __noreturn nested_i2(void)
{
	pid_t c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	c = fork();
	if (!c)
		nested_block();
	if (c < 0)
		_exit(1);
	nested_block();
}

/* A, of I's namespace: makes I2 with clone(CLONE_NEWPID). */
static void __noreturn nested_a(void)
{
	pid_t i2 = fork_newpid();

	if (!i2)
		nested_i2();
	if (i2 < 0)
		_exit(1);
	nested_block();
}

/*
 * I, the init of its namespace: Z (2 in it) exits and stays a zombie,
 * then A (3) is forked, and I holds a pidfd of A at fd 40.
 */
static void __noreturn nested_i(void)
{
	siginfo_t si;
	pid_t z, a;
	int fd;

	close(REP_FD);
	close(nested_ready[0]);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	z = fork();
	if (!z)
		_exit(7);
	if (z < 0 || waitid(P_PID, z, &si, WEXITED | WNOWAIT))
		_exit(1);
	a = fork();
	if (!a)
		nested_a();
	fd = a < 0 ? -1 : sys_pidfd_open(a, 0);
	if (fd < 0 || dup2(fd, 40) != 40)
		_exit(1);
	close(fd);
	nested_block();
}

/*
 * The state of the nested_pidns seed: I, made with clone(CLONE_NEWPID),
 * is the init of a pid namespace in which Z is a zombie that I did not
 * reap, and A, of which I holds a pidfd, makes I2 with
 * clone(CLONE_NEWPID), which forks C in a namespace below I's.  The
 * image has a pidns record of two namespaces.  Ready once I, A, I2 and
 * C sleep reading CTL_FD, as the seed does.
 */
static int nested_pidns_state(void)
{
	pid_t i, pid;
	int k;

	if (pipe(nested_ready))
		return -1;
	i = fork_newpid();
	if (!i)
		nested_i();
	close(nested_ready[1]);
	if (i < 0)
		return -1;
	for (k = 0; k < 4; k++)
		if (read(nested_ready[0], &pid, sizeof(pid)) != sizeof(pid) ||
		    wait_in_syscall(pid, SYS_read))
			return -1;
	close(nested_ready[0]);
	return 0;
}

/* Put a descriptor in flight on @sock: a checkpoint refuses it. */
static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static void spin(void)
{
	register unsigned long r12 asm("r12") = 0x1122334455667788UL;
	register unsigned long r13 asm("r13") = 0;

	for (;;) {
		r13++;
		asm volatile("" : "+r" (r12), "+r" (r13));
	}
}

/* The body of a seed child: set up, say so on REP_FD, then wait. */
static void seed_child(struct fuzz *fz, int kind)
{
	static const gid_t groups[] = { 65534, 4242, 100 };
	struct timespec long_time = { 100000, 0 };
	sigset_t set;
	char c = 0;
	int fd, sv[2];
	pthread_t t;
	pid_t gc;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	switch (kind) {
	case SEED_RICH:
		if (rich_state(fz->data, fz->work))
			_exit(1);
		break;
	case SEED_NOBODY:
		if (setgroups(ARRAY_SIZE(groups), groups) ||
		    setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(1);
		break;
	case SEED_THREAD:
		if (pthread_create(&t, NULL, idle_thread, NULL))
			_exit(1);
		break;
	case SEED_TREE:
		gc = fork();
		if (gc < 0)
			_exit(1);
		if (!gc) {
			close(REP_FD);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		/* Pidfds of the child, made after it, and of itself. */
		if (dup2(sys_pidfd_open(gc, 0), 40) != 40 ||
		    dup2(sys_pidfd_open(getpid(), O_NONBLOCK), 41) != 41)
			_exit(1);
		break;
	case SEED_ERROR:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || dup2(sv[0], 50) != 50 ||
		    send_fd(sv[1], sv[1]))
			_exit(1);
		break;
	case SEED_SOCKETS:
		if (sockets_state())
			_exit(1);
		break;
	case SEED_SHMEM:
		if (shmem_state())
			_exit(1);
		break;
	case SEED_EVENTS:
		if (events_state())
			_exit(1);
		break;
	case SEED_MEMFD:
		if (memfd_state())
			_exit(1);
		break;
	case SEED_LOCKS:
		if (locks_state(fz->data))
			_exit(1);
		break;
	case SEED_SYSV_IPC:
		if (sysv_ipc_state())
			_exit(1);
		break;
	case SEED_PTY:
	case SEED_PTY_CTTY:
		if (pty_state(kind == SEED_PTY_CTTY))
			_exit(1);
		break;
	case SEED_TCP:
		if (tcp_state())
			_exit(1);
		break;
	case SEED_INOTIFY:
		if (inotify_state(fz->work))
			_exit(1);
		break;
	case SEED_SHARED_VM:
		if (shared_vm_state())
			_exit(1);
		break;
	case SEED_NESTED_PIDNS:
		if (nested_pidns_state())
			_exit(1);
		break;
	case SEED_SELF: {
		char path[200];
		long ret;

		/* Not a memfd: a deleted file would make it fail. */
		snprintf(path, sizeof(path), "%s/self.img", fz->work);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 60) != 60 || close(fd))
			_exit(1);
		ret = sys_checkpoint(0, 60, CHECKPOINT_SCOPE_TASK, -1);
		if (ret == 0)
			for (;;)	/* restored */
				pause();
		if (write(REP_FD, &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	}
	if (write(REP_FD, &c, 1) != 1)
		_exit(1);
	close(REP_FD);
	switch (kind) {
	case SEED_SIGSUSPEND:
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		sigemptyset(&set);
		sigaddset(&set, SIGUSR2);
		sigsuspend(&set);
		break;
	case SEED_SPIN:
		spin();
		break;
	case SEED_SLEEP:
		nanosleep(&long_time, NULL);
		break;
	default:
		if (read(CTL_FD, &c, 1) < 0)
			_exit(1);
	}
	_exit(0);
}

/* A seed child waiting to be checkpointed. */
struct seed_proc {
	int kind;
	pid_t pid;
	int ctl;	/* write end of its CTL_FD */
	int err;
};

/*
 * Fork a seed child.  All are forked before any image is read, so that
 * none inherits the images of the others in its heap.
 */
static void spawn_seed(struct fuzz *fz, struct seed_proc *sp)
{
	int rep[2], ctl[2];
	char c;

	sp->pid = -1;
	sp->ctl = -1;
	if (pipe(rep) || pipe(ctl)) {
		sp->err = -errno;
		return;
	}
	fflush(stdout);
	fflush(stderr);
	sp->pid = fork();
	if (sp->pid < 0) {
		sp->err = -errno;
		return;
	}
	if (!sp->pid) {
		if (dup2(rep[1], REP_FD) != REP_FD || dup2(ctl[0], CTL_FD) != CTL_FD)
			_exit(1);
		/* Only what the image should hold: stdio and our two fds. */
		close_range(3, REP_FD - 1, 0);
		close_range(CTL_FD + 1, ~0U, 0);
		seed_child(fz, sp->kind);
	}
	close(rep[1]);
	close(ctl[0]);
	sp->ctl = ctl[1];
	sp->err = read(rep[0], &c, 1) == 1 ? 0 : -EIO;
	close(rep[0]);
}

/* Checkpoint a seed child and kill it; the image goes to @s. */
static int take_seed(struct fuzz *fz, struct seed_proc *sp, struct seed *s)
{
	static const int syscalls[NR_SEEDS] = {
		[SEED_RICH] = SYS_read, [SEED_SIGSUSPEND] = SYS_rt_sigsuspend,
		[SEED_SPIN] = -1, [SEED_NOBODY] = SYS_read,
		[SEED_SELF] = SYS_pause, [SEED_THREAD] = SYS_read,
		[SEED_TREE] = SYS_read, [SEED_ERROR] = SYS_read,
		[SEED_SLEEP] = SYS_clock_nanosleep, [SEED_SOCKETS] = SYS_read,
		[SEED_SHMEM] = SYS_read, [SEED_EVENTS] = SYS_read,
		[SEED_MEMFD] = SYS_read, [SEED_LOCKS] = SYS_read,
		[SEED_SYSV_IPC] = SYS_read, [SEED_PTY] = SYS_read,
		[SEED_PTY_CTTY] = SYS_read, [SEED_TCP] = SYS_read,
		[SEED_INOTIFY] = SYS_read, [SEED_SHARED_VM] = SYS_read,
		[SEED_NESTED_PIDNS] = SYS_read,
	};
	unsigned long flags = CHECKPOINT_SCOPE_TASK;
	char log[CKPT_LOG_SIZE], path[64];
	long ret = sp->err;
	int st, fd;

	s->name = seed_names[sp->kind];
	memset(&s->img, 0, sizeof(s->img));
	if (!ret)
		ret = wait_in_syscall(sp->pid, syscalls[sp->kind]);
	if (!ret && sp->kind == SEED_SELF) {
		snprintf(path, sizeof(path), "/proc/%d/fd/60", sp->pid);
		fd = open(path, O_RDONLY);
		ret = fd < 0 ? -errno : image_read_fd(&s->img, fd);
		if (fd >= 0)
			close(fd);
	} else if (!ret) {
		if (sp->kind == SEED_TREE || sp->kind == SEED_SHMEM ||
		    sp->kind == SEED_SHARED_VM || sp->kind == SEED_NESTED_PIDNS)
			flags = CHECKPOINT_SCOPE_TREE;
		/* The session it leads, the one its pty controls */
		if (sp->kind == SEED_PTY_CTTY)
			flags = CHECKPOINT_SCOPE_SESSION;
		ret = checkpoint_image(sp->pid, flags, &s->img, log, sizeof(log));
		if (sp->kind == SEED_ERROR && ret == -EOPNOTSUPP)
			ret = 0;
		if (ret < 0)
			ksft_print_msg("seed %s: checkpoint: %ld: %s\n", s->name,
				       ret, log);
	}
	if (sp->pid > 0) {
		kill(sp->pid, SIGKILL);
		waitpid(sp->pid, &st, 0);
	}
	if (sp->ctl >= 0)
		close(sp->ctl);
	if (ret >= 0 && !s->img.len)
		ret = -ENODATA;
	return ret < 0 ? ret : 0;
}

/* ------------------------------------------------------------------ */
/* The test                                                            */

static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : def;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(fuzz)
{
	struct fuzz *fz;
};

FIXTURE_SETUP(fuzz)
{
	struct seed_proc procs[NR_SEEDS];
	struct fuzz *fz;
	char path[PATH_MAX];
	const char *dir;
	FILE *f;
	int fd, k;

	fz = calloc(1, sizeof(*fz));
	self->fz = fz;
	ASSERT_NE(NULL, fz);
	fz->kmsg = -1;
	fz->t0 = now();
	fz->seed = env_ulong("CKPT_FUZZ_SEED", 0);
	if (!fz->seed)
		fz->seed = (__u64)time(NULL) ^ ((__u64)getpid() << 32);
	rng = fz->seed;
	fz->alarm_s = env_ulong("CKPT_FUZZ_ALARM", 30);
	fz->dump = env_ulong("CKPT_FUZZ_DUMP", 0);
	fz->use_fifo = true;
	dir = getenv("CKPT_FUZZ_DIR");
	snprintf(fz->outdir, sizeof(fz->outdir), "%s",
		 dir && *dir ? dir : "/tmp/ckpt-fuzz");
	fz->pid_max = 32768;
	f = fopen("/proc/sys/kernel/pid_max", "re");
	if (f) {
		if (fscanf(f, "%d", &fz->pid_max) != 1 || fz->pid_max < 4096)
			fz->pid_max = 32768;
		fclose(f);
	}

	if (getuid() != 0)
		SKIP(return, "the fuzzer runs as root (it also drops to nobody)");
	/* Our files, readable by nobody: the images name them. */
	snprintf(fz->work, sizeof(fz->work), "/tmp/ckpt-fuzz-work.%d", getpid());
	ASSERT_EQ(0, mkdir(fz->work, 0755));
	snprintf(fz->data, sizeof(fz->data), "%s/data", fz->work);
	fd = open(fz->data, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	for (k = 0; k < 4; k++) {
		char page[PAGE];

		memset(page, 0xa0 + k, sizeof(page));
		ASSERT_EQ(PAGE, write(fd, page, sizeof(page)));
	}
	ASSERT_EQ(0, fstat(fd, &fz->data_st));
	close(fd);
	snprintf(path, sizeof(path), "%s/fifo", fz->work);
	ASSERT_EQ(0, mkfifo(path, 0666));
	snprintf(path, sizeof(path), "%s/loop", fz->work);
	ASSERT_EQ(0, symlink(path, path));
	snprintf(path, sizeof(path), "%s/dir", fz->work);
	ASSERT_EQ(0, mkdir(path, 0700));
	snprintf(path, sizeof(path), "%s/noaccess", fz->work);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	close(fd);

	/* Orphans of killed helpers come back to us. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));

	ksft_print_msg("seed %llu (CKPT_FUZZ_SEED=%llu to repeat the mutations)\n",
		       (unsigned long long)fz->seed,
		       (unsigned long long)fz->seed);
	for (k = 0; k < NR_SEEDS; k++) {
		procs[k].kind = k;
		spawn_seed(fz, &procs[k]);
	}
	for (k = 0; k < NR_SEEDS; k++) {
		int err = take_seed(fz, &procs[k], &fz->seeds[fz->nr_seeds]);

		if (err) {
			ksft_print_msg("seed %s not made: %s\n", seed_names[k],
				       strerror(-err));
			continue;
		}
		fz->nr_seeds++;
	}
	/*
	 * The children of the tree, shmem, pty_ctty, shared_vm and
	 * nested_pidns seeds (and the vfork() child of one), killed by
	 * PR_SET_PDEATHSIG with them (and the tasks of a pid namespace with
	 * its init).
	 */
	kill_children();
	ASSERT_LT(0, fz->nr_seeds);

	/* Kernel reports are told apart by image as they come. */
	fz->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fz->kmsg >= 0)
		lseek(fz->kmsg, 0, SEEK_END);
	else
		ksft_print_msg("no /dev/kmsg: only the console shows kernel reports\n");
}

FIXTURE_TEARDOWN(fuzz)
{
	struct fuzz *fz = self->fz;
	char cmd[PATH_MAX];
	int k;

	if (!fz)
		return;
	if (fz->work[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fz->work);
		if (system(cmd))
			ksft_print_msg("could not remove %s\n", fz->work);
	}
	for (k = 0; k < fz->nr_seeds; k++)
		image_free(&fz->seeds[k].img);
	if (fz->kmsg >= 0)
		close(fz->kmsg);
	free(fz);
}

/* Keep the data file as the seeds saw it: a restored process may write. */
static void restore_data_file(struct fuzz *fz)
{
	struct timespec t[2] = { fz->data_st.st_atim, fz->data_st.st_mtim };
	struct stat st;

	if (stat(fz->data, &st) || st.st_mtim.tv_sec != t[1].tv_sec ||
	    st.st_mtim.tv_nsec != t[1].tv_nsec || st.st_size != fz->data_st.st_size) {
		if (truncate(fz->data, fz->data_st.st_size) ||
		    utimensat(AT_FDCWD, fz->data, t, 0))
			ksft_print_msg("cannot restore %s\n", fz->data);
	}
}

/*
 * The unmutated seeds, as a reference for what mutations reach: the
 * results of validation and restart as root, then as nobody.
 */
static void baseline(struct fuzz *fz)
{
	int k;

	for (k = 0; k < fz->nr_seeds; k++) {
		struct seed *s = &fz->seeds[k];
		struct ckpt_image img;

		if (image_copy(&img, &s->img))
			continue;
		relocate(fz, &img);
		snprintf(fz->desc, sizeof(fz->desc), "unmutated seed %s", s->name);
		feed(fz, &img, 0, s->base);
		if (fz->last.ret[0] || fz->last.ret[1] <= 0)
			ksft_print_msg("seed %s as root: %s / %s\n", s->name,
				       fz->last.log[0], fz->last.log[1]);
		ksft_print_msg("seed %-10s %7zu bytes: root %s/%s, nobody %s/%s\n",
			       s->name, s->img.len,
			       s->base[0] ? errname(s->base[0]) : "ok",
			       s->base[1] > 0 ? "ok" : errname(s->base[1]),
			       s->base[2] ? errname(s->base[2]) : "ok",
			       s->base[3] > 0 ? "ok" : errname(s->base[3]));
		image_free(&img);
		restore_data_file(fz);
	}
}

static void fuzz_loop(struct fuzz *fz, unsigned long iters,
		      unsigned long report_every)
{
	double start = now(), last = start, elapsed;
	unsigned long i, last_images = 0;
	int k;

	for (i = 1; i <= iters; i++) {
		struct seed *s = &fz->seeds[rnd_below(fz->nr_seeds)];
		struct ckpt_image img;
		unsigned long before = fz->failures;

		if (image_copy(&img, &s->img))
			break;
		relocate(fz, &img);
		mutate(fz, &img);
		if (strlen(fz->desc) + 16 < sizeof(fz->desc)) {
			memmove(fz->desc + strlen(s->name) + 2, fz->desc,
				strlen(fz->desc) + 1);
			memcpy(fz->desc, s->name, strlen(s->name));
			memcpy(fz->desc + strlen(s->name), ": ", 2);
		}
		if (feed(fz, &img, i, NULL)) {
			image_free(&img);
			ksft_print_msg("stopping: a task does not die\n");
			break;
		}
		/* One report of a FIFO that blocks an open is enough. */
		if (fz->failures != before && strstr(fz->desc, "/fifo"))
			fz->use_fifo = false;
		image_free(&img);
		restore_data_file(fz);
		if (report_every && i % report_every == 0) {
			double t = now();

			ksft_print_msg("%lu images, %.2f images/s (last %lu: %.2f/s)\n",
				       fz->images, fz->images / (t - start),
				       fz->images - last_images,
				       (fz->images - last_images) / (t - last));
			ksft_print_msg("  %lu restored, %lu failures\n",
				       fz->restored, fz->failures);
			last = t;
			last_images = fz->images;
		}
	}
	elapsed = now() - start;
	ksft_print_msg("seed %llu: %lu images in %.1f s, %.2f images/s;\n",
		       (unsigned long long)fz->seed, fz->images, elapsed,
		       fz->images / elapsed);
	ksft_print_msg("  %lu runs, %lu validated, %lu restored, %lu refused\n",
		       fz->runs, fz->validated, fz->restored, fz->refused);
	ksft_print_msg("  %lu failures, %lu reproducers saved in %s\n",
		       fz->failures, fz->saved, fz->outdir);
	for (k = 0; k < fz->nr_keys; k++)
		ksft_print_msg("  %6lu x %s\n", fz->keys[k].count, fz->keys[k].key);
}

/* The bounded batch that every test run does. */
TEST_F_TIMEOUT(fuzz, batch, 900)
{
	struct fuzz *fz = self->fz;

	baseline(fz);
	fuzz_loop(fz, env_ulong("CKPT_FUZZ_BATCH", BATCH_ITERS),
		  env_ulong("CKPT_FUZZ_REPORT", 50));
	ksft_print_msg("batch done in %.1f s, seeds included\n", now() - fz->t0);
	EXPECT_EQ(0, fz->failures);
}

/*
 * The long mode: CKPT_FUZZ_ITERS images, or the image of
 * CKPT_FUZZ_REPLAY once.  Skipped unless one of them is set.
 */
TEST_F_TIMEOUT(fuzz, long_run, 30 * 24 * 3600)
{
	struct fuzz *fz = self->fz;
	const char *replay = getenv("CKPT_FUZZ_REPLAY");
	unsigned long iters = env_ulong("CKPT_FUZZ_ITERS", 0);

	if (replay && *replay) {
		struct ckpt_image img = { 0 };
		long res[4];
		int fd = open(replay, O_RDONLY | O_CLOEXEC);

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, image_read_fd(&img, fd));
		close(fd);
		snprintf(fz->desc, sizeof(fz->desc), "replay of %s", replay);
		snprintf(fz->outdir, sizeof(fz->outdir), "/tmp/ckpt-fuzz-replay");
		feed(fz, &img, 0, res);
		ksft_print_msg("%s: root %ld/%ld, nobody %ld/%ld\n", replay,
			       res[0], res[1], res[2], res[3]);
		image_free(&img);
		EXPECT_EQ(0, fz->failures);
		return;
	}
	if (!iters)
		SKIP(return, "set CKPT_FUZZ_ITERS (or CKPT_FUZZ_REPLAY) for the long mode");
	baseline(fz);
	fuzz_loop(fz, iters, env_ulong("CKPT_FUZZ_REPORT", 1000));
	EXPECT_EQ(0, fz->failures);
}

TEST_HARNESS_MAIN
