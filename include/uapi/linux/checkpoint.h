/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Checkpoint/restart: system call flags and the checkpoint image format.
 *
 * An image is a stream of records.  Every record starts with a
 * struct ckpt_hdr giving its type and its length in bytes (header
 * included).  The next record starts at the following multiple of 8
 * bytes; padding bytes are zero.  The first record is a
 * CKPT_HDR_HEADER, the last one a CKPT_HDR_TAIL.  The stream is written
 * and read in one pass, so it may go through a pipe or a socket.
 *
 * Objects that may be shared (credentials, memory maps, open files,
 * ...) are written once, in the record that defines them, and carry an
 * object reference ("objref").  Objrefs are allocated in increasing
 * order starting at 1: the n-th object defined in an image has objref n.
 * Later records refer to the object by its objref; a reference is valid
 * only if the object was defined earlier in the stream and has the
 * expected type.
 *
 * All integers are in the byte order of the architecture named in the
 * header.  All structures have explicit padding and are multiples of
 * 8 bytes long; reserved fields must be zero.
 *
 * Versioning: see Documentation/checkpoint/image.rst.  In short, a
 * kernel restores an image if the major version equals its own, the
 * minor version is not newer than its own, and it knows every bit set
 * in ckpt_hdr_header.features_required.
 */
#ifndef _UAPI_LINUX_CHECKPOINT_H
#define _UAPI_LINUX_CHECKPOINT_H

#include <linux/types.h>

/* checkpoint(2) flags */
#define CHECKPOINT_SCOPE_TREE	0x0000	/* the target and its descendants */
#define CHECKPOINT_SCOPE_TASK	0x0001	/* the target process alone */
#define CHECKPOINT_SCOPE_PGRP	0x0002	/* the process group led by the target */
#define CHECKPOINT_SCOPE_SESSION 0x0003	/* the session led by the target */
#define CHECKPOINT_SCOPE_CGROUP	0x0004	/* pid is an fd of a frozen cgroup dir */
#define CHECKPOINT_SCOPE_MASK	0x000f
#define CHECKPOINT_PIDFD	0x0010	/* pid is a pidfd */
#define CHECKPOINT_KILL		0x0020	/* then kill the tasks, before they run */
#define CHECKPOINT_STOP		0x0040	/* then stop them, before they run */
#define CHECKPOINT_NO_CALLBACKS	0x0080	/* do not tell registered processes */
/*
 * Save mapped files by their contents (as BLCR's --save-* options do),
 * so that the image restarts where they are gone or changed: restart
 * maps unlinked tmpfs copies of them.  Open descriptors are still saved
 * by path.
 */
#define CHECKPOINT_SAVE_EXE	0x0100	/* the executable */
#define CHECKPOINT_SAVE_PRIVATE	0x0200	/* files mapped privately, exe too */
#define CHECKPOINT_SAVE_SHARED	0x0400	/* files mapped shared */
#define CHECKPOINT_SAVE_ALL	(CHECKPOINT_SAVE_EXE | CHECKPOINT_SAVE_PRIVATE | \
				 CHECKPOINT_SAVE_SHARED)

/*
 * Save a socket of a kind restart cannot make (CKPT_SOCK_LOST) instead
 * of failing: it comes back as a reset one.
 */
#define CHECKPOINT_RESET_SOCKETS 0x0800
/*
 * Save the established TCP connections of the checkpointer's network
 * namespace as they are, to be repaired by restart(2), rather than as
 * reset ones; with CHECKPOINT_KILL, close them without a word to their
 * peers, which keep them for the restart.  Needs CAP_NET_ADMIN there.
 */
#define CHECKPOINT_TCP_REPAIR	0x1000

#define CHECKPOINT_FLAGS_ALL	(CHECKPOINT_SCOPE_MASK | CHECKPOINT_PIDFD | \
				 CHECKPOINT_KILL | CHECKPOINT_STOP | \
				 CHECKPOINT_NO_CALLBACKS | CHECKPOINT_SAVE_ALL | \
				 CHECKPOINT_RESET_SOCKETS | CHECKPOINT_TCP_REPAIR)

/* restart(2) flags */
#define RESTART_VALIDATE	0x0001	/* parse and check the image, restore nothing */
#define RESTART_CGROUP		0x0002	/* pid: fd of the cgroup v2 dir to use */

#define RESTART_FLAGS_ALL	(RESTART_VALIDATE | RESTART_CGROUP)

/* Image framing */
#define CKPT_MAGIC		"\177CKPTIMG"	/* 8 bytes, no NUL */
#define CKPT_MAGIC_LEN		8
#define CKPT_TAIL_MAGIC		"CKPTEND\177"
#define CKPT_VERSION_MAJOR	1
/*
 * Minor 1 added CKPT_HDR_RESTART_BLOCK, 2 CKPT_HDR_POSIX_TIMERS, 3
 * CKPT_HDR_PIPE, 4 CKPT_TASK_ZOMBIE, 5 CKPT_HDR_NAMESPACES, 6
 * CKPT_TASK_READY and ckpt_hdr_signal.checkpoint_signal, 7
 * CKPT_FILE_EVENTFD and CKPT_FILE_SIGNALFD, 8 CKPT_FILE_SOCKET and
 * CKPT_HDR_UNIX_PAIR, 9 CKPT_HDR_SHMEM and CKPT_VMA_SHMEM, 10
 * CKPT_FILE_TIMERFD, 11 CKPT_FILE_EPOLL, 12 CKPT_HDR_MEMFD, CKPT_VMA_MEMFD
 * and CKPT_FILE_MEMFD, 13 CKPT_HDR_FILE_LOCKS, the size and mtime of a
 * CKPT_HDR_FILE and CKPT_FILE_PROC, 14 SysV IPC objects (CKPT_HDR_IPC_*,
 * semaphore undo lists included) and CKPT_VMA_SYSVSHM, 15 unlinked
 * files saved by their contents (CKPT_MEMFD_UNLINKED,
 * ckpt_hdr_mm.exe_ref), 16 descriptors in flight on AF_UNIX sockets
 * (ckpt_unix_end.nr_fds) and CKPT_SOCK_LOST, 17 CKPT_HDR_PTY and
 * CKPT_FILE_PTY, 18 CKPT_FILE_PIDFD, 19 CKPT_VMA_FORKED and
 * CKPT_HDR_PAGES_COW, 20 CKPT_NS_NET, CKPT_SOCK_TCP and CKPT_HDR_TCP, 21
 * CKPT_NET_CONFIG, CKPT_HDR_NET, CKPT_TCP_RCV_FIN and CKPT_TCP_SND_FIN, 22
 * CKPT_HDR_TCP_ACCEPT and ckpt_socket.accept_ref, 23 POSIX message queues
 * (CKPT_HDR_IPC_MQ_NS, CKPT_HDR_IPC_MQ, CKPT_HDR_IPC_MQ_MSG and
 * CKPT_FILE_MQUEUE) and CKPT_VMA_HUGETLB, 24 CKPT_FILE_INOTIFY,
 * CKPT_HDR_INOTIFY_WATCH, CKPT_HDR_INOTIFY_EVENT, CKPT_HDR_SHMEM_HUGETLB,
 * shared CKPT_VMA_HUGETLB mappings, CKPT_SHM_HUGETLB segments
 * (ckpt_hdr_ipc_shm.huge_shift, _pad before), CKPT_MEMFD_HUGETLB and
 * CKPT_VMA_NORESERVE, 25 ckpt_pids.flags (_pad before) and
 * CKPT_VMA_NORESERVE of every kind of mapping but SysV and vDSO ones,
 * 26 CKPT_HDR_PIDNS, 27 CKPT_VMA_HUGEPAGE and CKPT_VMA_NOHUGEPAGE, 28
 * CKPT_ATTR_THP_DISABLE, 29 CKPT_SIGNALS_STOPPED, CKPT_SIGNALS_STOPPING,
 * CKPT_SIGNALS_STOP_REPORTED and ckpt_hdr_task_signals.stop_code (_pad
 * before).
 */
#define CKPT_VERSION_MINOR	29
#define CKPT_ALIGN		8

/* Architectures (ELF machine numbers) */
#define CKPT_ARCH_X86_64	62	/* EM_X86_64 */

/* Largest record other than bulk data records: a sanity bound. */
#define CKPT_RECORD_MAX		(64 * 1024)

/*
 * Record types, grouped by area.  A type number is never reused; a
 * record whose layout must change gets a new type.
 */
enum ckpt_type {
	/* framing, 1-99 */
	CKPT_HDR_HEADER = 1,
	CKPT_HDR_TAIL = 2,
	CKPT_HDR_ERROR = 3,

	/* tasks and credentials, 100-199 */
	CKPT_HDR_TREE = 100,
	CKPT_HDR_TASK = 101,
	CKPT_HDR_CRED = 102,
	CKPT_HDR_TASK_ATTRS = 103,
	CKPT_HDR_RESTART_BLOCK = 104,

	/* architecture, 200-299 */
	CKPT_HDR_X86_REGS = 200,
	CKPT_HDR_X86_XSTATE = 201,

	/* memory, 300-399 */
	CKPT_HDR_MM = 300,
	CKPT_HDR_VMA = 301,
	CKPT_HDR_PAGES = 302,
	CKPT_HDR_SHMEM = 303,
	CKPT_HDR_MEMFD = 304,
	CKPT_HDR_PAGES_COW = 305,
	CKPT_HDR_SHMEM_HUGETLB = 306,

	/* files, 400-499 */
	CKPT_HDR_FILE = 400,
	CKPT_HDR_FILES = 401,
	CKPT_HDR_FS = 402,
	CKPT_HDR_PIPE = 403,
	CKPT_HDR_FILE_LOCKS = 404,
	CKPT_HDR_INOTIFY_WATCH = 405,
	CKPT_HDR_INOTIFY_EVENT = 406,

	/* signals, 500-599 */
	CKPT_HDR_SIGHAND = 500,
	CKPT_HDR_SIGNAL = 501,
	CKPT_HDR_TASK_SIGNALS = 502,
	CKPT_HDR_POSIX_TIMERS = 503,

	/* ipc, 600-699 */
	CKPT_HDR_IPC_SHM = 600,
	CKPT_HDR_IPC_MSG = 601,
	CKPT_HDR_IPC_MSG_TEXT = 602,
	CKPT_HDR_IPC_SEM = 603,
	CKPT_HDR_IPC_SEM_UNDO = 604,
	CKPT_HDR_IPC_SEM_ADJ = 605,
	CKPT_HDR_IPC_MQ_NS = 606,
	CKPT_HDR_IPC_MQ = 607,
	CKPT_HDR_IPC_MQ_MSG = 608,
	/* namespaces, 700-799 */
	CKPT_HDR_NAMESPACES = 700,
	CKPT_HDR_NET = 701,
	CKPT_HDR_PIDNS = 702,
	/* sockets, 800-899 */
	CKPT_HDR_UNIX_PAIR = 800,
	CKPT_HDR_TCP = 801,
	CKPT_HDR_TCP_ACCEPT = 802,
	/* terminals, 900-999 */
	CKPT_HDR_PTY = 900,
};

/* Every record starts with this. */
struct ckpt_hdr {
	__u32 type;	/* enum ckpt_type */
	__u32 len;	/* bytes in the record, this header included */
};

/* Records that define a shared object start with this. */
struct ckpt_hdr_obj {
	struct ckpt_hdr h;
	__u32 objref;	/* 1, 2, 3, ... in stream order */
	__u32 _pad;
};

/* ckpt_hdr_header.features_required: restart fails if any is unknown */
#define CKPT_FEAT_REQUIRED_ALL	0ULL
/* ckpt_hdr_header.features_optional: unknown bits are ignored */
#define CKPT_FEAT_OPTIONAL_ALL	0ULL

#define CKPT_RELEASE_LEN	65	/* __NEW_UTS_LEN + 1 */

/* CKPT_HDR_HEADER: first record of every image */
struct ckpt_hdr_header {
	struct ckpt_hdr h;
	__u8 magic[CKPT_MAGIC_LEN];	/* CKPT_MAGIC */
	__u16 major;			/* CKPT_VERSION_MAJOR */
	__u16 minor;			/* CKPT_VERSION_MINOR */
	__u16 arch;			/* CKPT_ARCH_* */
	__u16 _pad;
	__u32 page_size;
	__u32 flags;			/* checkpoint(2) flags used */
	__u64 features_required;
	__u64 features_optional;
	__s64 time;			/* CLOCK_REALTIME seconds */
	char release[CKPT_RELEASE_LEN];	/* uname -r, NUL terminated */
	__u8 _pad2[7];
};

/* CKPT_HDR_TAIL: last record of every image */
struct ckpt_hdr_tail {
	struct ckpt_hdr h;
	__u8 magic[CKPT_MAGIC_LEN];	/* CKPT_TAIL_MAGIC */
	__u64 records;	/* records before this one, header included */
	__u64 bytes;	/* bytes before this record */
};

/*
 * CKPT_HDR_ERROR: written instead of the tail when checkpoint fails
 * after the header went out, so a reader learns why the image ends.
 * Followed by a NUL terminated message of len - sizeof() bytes.
 */
struct ckpt_hdr_error {
	struct ckpt_hdr h;
	__s32 errnum;		/* positive errno */
	__u32 _pad;
};

/* CKPT_HDR_TREE: the processes of the image, parents before children */
struct ckpt_pids {
	__s32 pid;	/* all four in the pid namespace of the root task */
	__s32 tgid;
	__s32 ppid;	/* 0 for the root of the image */
	__s32 pgid;
	__s32 sid;
	__u32 flags;	/* CKPT_PIDS_*: of a process whose parent is saved */
};

/*
 * How a process shares with its parent, which restart(2) creates it
 * with: clone(2) with CLONE_VM, with CLONE_VM | CLONE_SIGHAND, and a
 * vfork() that its parent waits in until it execs or exits.  A vfork()
 * parent is saved as returning the child's pid.
 */
#define CKPT_PIDS_SHARE_VM	0x1
#define CKPT_PIDS_SHARE_SIGHAND	0x2
#define CKPT_PIDS_VFORK		0x4
#define CKPT_PIDS_FLAGS_ALL	0x7

struct ckpt_hdr_tree {
	struct ckpt_hdr h;
	__u32 nr_tasks;	/* followed by nr_tasks struct ckpt_pids */
	__u32 _pad;
};

/*
 * CKPT_HDR_PIDNS: the pid namespaces nested in the root's, right after
 * the tree record, when a task is in one or has its children go to one
 * (unshare(2) or setns(2) with CLONE_NEWPID).  Namespace 0 is the
 * root's; namespace k, from 1 to nr_ns, is entry k - 1 of the first
 * array: its parent, a namespace before it, its init, the process of
 * the tree whose pid is 1 in it, a child of a process of the parent
 * namespace, and where it looks for a free pid for the next new task.
 * restart(2) creates an init with CLONE_NEWPID, before any other task
 * of its namespace.  Then comes one entry per task of the
 * tree, in its order; then, task after task, the pids of each task in
 * the namespaces between the root's and its own, outermost first: a
 * task whose namespace is d levels below the root's has d of them (its
 * pid in the tree record is that in namespace 0).
 */
struct ckpt_pidns {
	__u32 parent;	/* index of its parent namespace, below its own */
	__u32 init;	/* index in the tree of its init */
	__u32 next_pid;	/* its ns_last_pid + 1 */
	__u32 _pad;
};

struct ckpt_task_pidns {
	__u32 ns;	/* index of the pid namespace of the task */
	__u32 children;	/* that its new children go to: ns or below */
};

struct ckpt_hdr_pidns {
	struct ckpt_hdr h;
	__u32 nr_ns;	/* followed by nr_ns struct ckpt_pidns, */
	__u32 nr_pids;	/* nr_tasks struct ckpt_task_pidns, nr_pids __s32 */
};

/* Levels of pid namespaces below the root's, as the kernel's limit */
#define CKPT_PIDNS_MAX_DEPTH	32

/*
 * The tree and pid namespace records may exceed CKPT_RECORD_MAX, as may
 * the bulk records (pages, descriptor tables, pending signals, XSAVE):
 * each kind has its own bound, given with its struct or here.
 */
#define CKPT_TREE_MAX_TASKS	32768

/*
 * CKPT_HDR_CRED: an object, referenced by tasks.  Ids are as the caller
 * of checkpoint(2) sees them, in its user namespace.  A supplementary
 * group that has no mapping there is CKPT_GROUP_UNMAPPED: a task of a
 * user namespace made by an unprivileged user keeps groups that the
 * namespace cannot name, which restart takes as its caller's.
 */
#define CKPT_CRED_MAX_GROUPS	256
#define CKPT_GROUP_UNMAPPED	0xffffffff

struct ckpt_hdr_cred {
	struct ckpt_hdr_obj h;
	__u32 uid, euid, suid, fsuid;
	__u32 gid, egid, sgid, fsgid;
	__u64 cap_inheritable;
	__u64 cap_permitted;
	__u64 cap_effective;
	__u64 cap_bset;
	__u64 cap_ambient;
	__u32 securebits;
	__u32 ngroups;		/* followed by ngroups __u32 gids */
};

/*
 * CKPT_HDR_NAMESPACES: optional, right after the tree.  The namespaces
 * of the root that are its own, not those of the caller of checkpoint(2):
 * every task of the image shares them, and restart makes them anew for
 * the root, which the other tasks then share.
 */
#define CKPT_NS_UTS		0x0001	/* a UTS namespace: the names below */
#define CKPT_NS_IPC		0x0002	/* an IPC namespace: its objects follow */
#define CKPT_NS_NET		0x0004	/* a network namespace: net below */
#define CKPT_NS_ALL		(CKPT_NS_UTS | CKPT_NS_IPC | CKPT_NS_NET)
#define CKPT_NS_NAME_LEN	65	/* __NEW_UTS_LEN + 1 */

/*
 * The network namespace (CKPT_NS_NET): either its devices, addresses and
 * routes follow in a CKPT_HDR_NET record (CKPT_NET_CONFIG), or, in
 * images of minor 20, it holds its loopback device only, with the
 * addresses and routes that device gets when it goes up, up if
 * CKPT_NET_LO_UP says so.  Not both.
 */
#define CKPT_NET_LO_UP		0x0001	/* the loopback device is up */
#define CKPT_NET_CONFIG		0x0002	/* a CKPT_HDR_NET record follows */
#define CKPT_NET_ALL		(CKPT_NET_LO_UP | CKPT_NET_CONFIG)

/*
 * CKPT_HDR_NET: right after CKPT_HDR_NAMESPACES when its net has
 * CKPT_NET_CONFIG.  The devices of the network namespace, their
 * addresses and the routes of its main tables, which restart makes again
 * through rtnetlink, as ip(8) would, with the rights of the restarting
 * user: devices first, up if they were (each with its ifindex, so that
 * addresses and routes name them by it), then addresses, then routes.
 * nr_devs struct ckpt_netdev, nr_addrs struct ckpt_netaddr and nr_routes
 * struct ckpt_netroute follow the header, in that order.  Routes that
 * the kernel makes itself (for an address, a device going up) are not
 * saved: they come back with what made them.
 */
#define CKPT_NET_MAX		256	/* of each kind */

struct ckpt_hdr_net {
	struct ckpt_hdr h;
	__u32 nr_devs;
	__u32 nr_addrs;
	__u32 nr_routes;
	__u32 _pad;
};

/* What a device is (ckpt_netdev.kind) */
enum ckpt_netdev_kind {
	CKPT_NETDEV_LOOPBACK = 1,	/* the namespace's own: not made */
	CKPT_NETDEV_DUMMY = 2,
	CKPT_NETDEV_VETH = 3,		/* a pair: see peer_ifindex */
};

/* ckpt_netdev.flags and peer_flags */
#define CKPT_NETDEV_UP		0x0001	/* IFF_UP */
#define CKPT_NETDEV_NOARP	0x0002	/* IFF_NOARP */
#define CKPT_NETDEV_MULTICAST	0x0004	/* IFF_MULTICAST */
#define CKPT_NETDEV_PROMISC	0x0008	/* IFF_PROMISC, set by a user */
#define CKPT_NETDEV_ALLMULTI	0x0010	/* IFF_ALLMULTI, set by a user */
#define CKPT_NETDEV_ALL		0x001f
#define CKPT_NETDEV_ADDR_LEN	8

/*
 * A veth device whose peer is in the namespace too has that peer's
 * ifindex in peer_ifindex, and the two records name each other; one
 * whose peer is outside (a container's link to its host) has
 * peer_ifindex 0 and the peer's name, flags, MTU and address: restart
 * makes that peer in the network namespace of its caller.
 */
struct ckpt_netdev {
	__s32 ifindex;		/* > 0, unique in the image, <= INT_MAX - 256 */
	__u32 kind;		/* enum ckpt_netdev_kind */
	__u32 flags;		/* CKPT_NETDEV_* */
	__u32 mtu;
	__s32 peer_ifindex;	/* CKPT_NETDEV_VETH */
	__u32 peer_flags;	/* CKPT_NETDEV_VETH, peer outside */
	__u32 peer_mtu;
	__u32 addr_len;		/* of addr and peer_addr, at most 8 */
	__u8 addr[CKPT_NETDEV_ADDR_LEN];	/* hardware address */
	__u8 peer_addr[CKPT_NETDEV_ADDR_LEN];
	char name[16];		/* NUL terminated, IFNAMSIZ */
	char peer_name[16];	/* veth, peer outside */
};

/*
 * An IPv4 or IPv6 address of a device: local is the address, address
 * the peer's of a point-to-point link (else the same), broadcast the
 * IPv4 broadcast address.  Addresses come back permanent; IPv6 ones
 * without duplicate address detection (IFA_F_NODAD), usable at once.
 */
#define CKPT_NETADDR_NOPREFIXROUTE	0x0200	/* IFA_F_NOPREFIXROUTE */
#define CKPT_NETADDR_ALL		CKPT_NETADDR_NOPREFIXROUTE

struct ckpt_netaddr {
	__s32 ifindex;		/* a device of the image */
	__u16 family;		/* AF_INET or AF_INET6 */
	__u8 prefixlen;
	__u8 scope;		/* RT_SCOPE_*, IPv4 */
	__u32 flags;		/* CKPT_NETADDR_* */
	__u32 _pad;
	__u8 local[16];		/* 4 bytes for IPv4, rest zero */
	__u8 address[16];
	__u8 broadcast[4];
	char label[16];		/* IPv4, NUL terminated, or empty */
	__u32 _pad2;
};

/*
 * A route of the main table (RT_TABLE_MAIN) added by a user (protocol
 * other than RTPROT_KERNEL): unicast through a device or a gateway,
 * or of a type that discards (blackhole, unreachable, prohibit).
 */
#define CKPT_ROUTE_GATEWAY	0x0001	/* gateway is set */
#define CKPT_ROUTE_PREFSRC	0x0002	/* prefsrc is set */
#define CKPT_ROUTE_ONLINK	0x0004	/* RTNH_F_ONLINK */
#define CKPT_ROUTE_ALL		0x0007

struct ckpt_netroute {
	__u16 family;		/* AF_INET or AF_INET6 */
	__u8 dst_len;
	__u8 tos;
	__u8 protocol;		/* RTPROT_*, not RTPROT_KERNEL */
	__u8 scope;		/* RT_SCOPE_* */
	__u8 type;		/* RTN_UNICAST, _BLACKHOLE, ... */
	__u8 _pad;
	__u32 flags;		/* CKPT_ROUTE_* */
	__s32 oif;		/* a device of the image, or 0 */
	__u32 priority;		/* the metric */
	__u32 _pad2;
	__u8 dst[16];
	__u8 gateway[16];
	__u8 prefsrc[16];
};

struct ckpt_hdr_namespaces {
	struct ckpt_hdr h;
	__u32 flags;		/* CKPT_NS_* */
	__u32 net;		/* CKPT_NS_NET: CKPT_NET_* */
	char nodename[CKPT_NS_NAME_LEN];	/* NUL terminated; CKPT_NS_UTS */
	char domainname[CKPT_NS_NAME_LEN];
	__u8 _pad2[6];
};

/*
 * SysV IPC objects of the IPC namespace of the image (CKPT_NS_IPC): each
 * an object, right after CKPT_HDR_NAMESPACES, shared memory segments
 * first, then message queues, then semaphore sets, each kind in
 * increasing id order.  Restart makes them again in the new IPC
 * namespace with the same ids and keys.  uid, gid, cuid and cgid are
 * in the user namespace of the caller of checkpoint(2), as IPC_STAT
 * shows them there.  The pids of the last operations (shm_cpid,
 * msg_lspid, sempid, ...) are not saved.
 */
struct ckpt_ipc_perm {
	__s32 id;		/* as shmget(2), msgget(2), semget(2) returned it */
	__s32 key;		/* IPC_PRIVATE (0) or the key */
	__u32 uid, gid;		/* owner */
	__u32 cuid, cgid;	/* creator */
	__u32 mode;		/* permission bits, 0777 at most */
	__u32 _pad;
};

/* Bounds restart checks; larger objects are refused at checkpoint. */
#define CKPT_IPC_ID_MAX		0x7fffffff
#define CKPT_IPC_SHM_SIZE_MAX	(1ULL << 46)	/* 64 TiB */
#define CKPT_IPC_MSG_MAX	65000		/* bytes of one message */
#define CKPT_IPC_MSGS_MAX	(1U << 20)	/* messages of one queue */
#define CKPT_IPC_SEMS_MAX	32000		/* SEMMSL */

/*
 * CKPT_HDR_IPC_SHM: a shared memory segment: its size, times and state,
 * then its pages in CKPT_HDR_PAGES records whose addr is the offset in
 * it.  A segment removed with IPC_RMID that is still attached
 * (CKPT_SHM_DEST) has key 0 and goes once its last mapping does.  A
 * segment of huge pages (SHM_HUGETLB: CKPT_SHM_HUGETLB) has pages of
 * 1 << huge_shift bytes, each saved whole, and is mapped, and holds
 * pages, up to its size rounded up to them.  Each attachment is a
 * CKPT_VMA_SYSVSHM mapping naming it.
 */
#define CKPT_SHM_DEST		0x0001
#define CKPT_SHM_HUGETLB	0x0002

struct ckpt_hdr_ipc_shm {
	struct ckpt_hdr_obj h;
	struct ckpt_ipc_perm perm;
	__u64 size;		/* shm_segsz */
	__s64 atime, dtime, ctime;	/* seconds */
	__u32 flags;		/* CKPT_SHM_* */
	__u32 huge_shift;	/* CKPT_SHM_HUGETLB: its pages' size; else 0 */
};

/*
 * CKPT_HDR_IPC_MSG: a message queue, followed by nr_msgs
 * CKPT_HDR_IPC_MSG_TEXT records, oldest first, of qbytes bytes at most
 * in all.
 */
struct ckpt_hdr_ipc_msg {
	struct ckpt_hdr_obj h;
	struct ckpt_ipc_perm perm;
	__s64 stime, rtime, ctime;	/* seconds */
	__u64 qbytes;		/* msg_qbytes: the bound on bytes queued */
	__u32 nr_msgs;
	__u32 _pad;
};

/* CKPT_HDR_IPC_MSG_TEXT: one queued message; size bytes of text follow */
struct ckpt_hdr_ipc_msg_text {
	struct ckpt_hdr h;
	__s64 mtype;		/* > 0 */
	__u32 size;		/* CKPT_IPC_MSG_MAX at most */
	__u32 _pad;
};

/*
 * CKPT_HDR_IPC_SEM: a semaphore set; nsems __u16 values follow (each
 * SEMVMX at most).
 */
struct ckpt_hdr_ipc_sem {
	struct ckpt_hdr_obj h;
	struct ckpt_ipc_perm perm;
	__s64 otime, ctime;	/* seconds */
	__u32 nsems;		/* 1 to CKPT_IPC_SEMS_MAX */
	__u32 _pad;
};

/*
 * CKPT_HDR_IPC_SEM_UNDO: an object, the semaphore undo list (SEM_UNDO)
 * of a process, which its threads share, right before the task record
 * of its leader, which takes it on.  nr_sets CKPT_HDR_IPC_SEM_ADJ
 * records follow, one per set of the image the process has
 * adjustments for, in increasing id order.
 */
struct ckpt_hdr_ipc_sem_undo {
	struct ckpt_hdr_obj h;
	__u32 nr_sets;		/* CKPT_IPC_UNDO_SETS_MAX at most */
	__u32 _pad;
};

#define CKPT_IPC_UNDO_SETS_MAX	32000	/* SEMMNI */

/*
 * CKPT_HDR_IPC_SEM_ADJ: the adjustments to apply to set semid at exit;
 * nsems __s16 follow, nsems being that of the set.
 */
struct ckpt_hdr_ipc_sem_adj {
	struct ckpt_hdr h;
	__s32 semid;
	__u32 nsems;
};

/*
 * POSIX message queues of the IPC namespace of the image (CKPT_NS_IPC),
 * after its SysV objects: a CKPT_HDR_IPC_MQ_NS object with the limits of
 * the namespace (the fs.mqueue sysctls), then each queue that has a
 * name, a CKPT_HDR_IPC_MQ object, in increasing name order (strcmp()),
 * followed by its nr_msgs messages, CKPT_HDR_IPC_MQ_MSG records in the
 * order mq_receive(3) would return them.  Restart makes the queues
 * again in the new IPC namespace, with the rights of its caller, as
 * mq_open(3) with O_CREAT would, then gives them the owner, mode,
 * messages and times saved.
 */
struct ckpt_hdr_ipc_mq_ns {
	struct ckpt_hdr_obj h;
	__u32 queues_max;	/* fs.mqueue.queues_max */
	__u32 msg_max;		/* 1 to CKPT_MQ_MAXMSG_MAX */
	__u32 msgsize_max;	/* 128 to CKPT_MQ_MSGSIZE_MAX */
	__u32 msg_default;	/* 1 to CKPT_MQ_MAXMSG_MAX */
	__u32 msgsize_default;	/* 128 to CKPT_MQ_MSGSIZE_MAX */
	__u32 _pad;
};

#define CKPT_MQ_NAME_LEN	256		/* NAME_MAX + 1 */
#define CKPT_MQ_MAXMSG_MAX	65536		/* HARD_MSGMAX */
#define CKPT_MQ_MSGSIZE_MAX	(16 << 20)	/* HARD_MSGSIZEMAX */
#define CKPT_MQ_MSG_MAX		(1 << 20)	/* bytes of one message saved */
#define CKPT_MQ_PRIO_MAX	32768		/* MQ_PRIO_MAX */

/*
 * CKPT_HDR_IPC_MQ: a queue, its attributes (mq_getattr(3)), owner and
 * times (as stat(2) on the mqueue filesystem shows them), and the
 * process registered with mq_notify(3), if any, by its pid in the pid
 * namespace of the image: a signal (SIGEV_SIGNAL; signo 0 sends none)
 * or nothing (SIGEV_NONE, whose signo and value are 0) when a message
 * arrives on the empty queue.  uid and gid are in the user namespace of
 * the caller of checkpoint(2); restart gives them only as chown(2) would
 * let its caller.
 */
struct ckpt_hdr_ipc_mq {
	struct ckpt_hdr_obj h;
	char name[CKPT_MQ_NAME_LEN];	/* without '/', NUL terminated */
	__u32 uid, gid;
	__u32 mode;		/* permission bits, 07777 at most */
	__u32 nr_msgs;		/* maxmsg at most */
	__s64 maxmsg;		/* 1 to CKPT_MQ_MAXMSG_MAX */
	__s64 msgsize;		/* 1 to CKPT_MQ_MSGSIZE_MAX */
	__s64 atime_sec, mtime_sec, ctime_sec;
	__u32 atime_nsec, mtime_nsec, ctime_nsec;
	__s32 notify_pid;	/* 0: nobody registered */
	__s32 notify;		/* SIGEV_SIGNAL or SIGEV_NONE */
	__s32 notify_signo;
	__u32 notify_flags;	/* CKPT_MQ_NOTIFY_* */
	__u32 _pad;
	__u64 notify_value;	/* sigev_value */
};

/*
 * The process registered has run execve(2) since: it is not signalled,
 * but the registration holds the queue until it closes it.
 */
#define CKPT_MQ_NOTIFY_STALE	0x1

/* CKPT_HDR_IPC_MQ_MSG: one queued message; size bytes follow */
struct ckpt_hdr_ipc_mq_msg {
	struct ckpt_hdr h;
	__u32 prio;		/* below CKPT_MQ_PRIO_MAX */
	__u32 size;		/* msgsize and CKPT_MQ_MSG_MAX at most */
};

/* CKPT_HDR_TASK: one per task, in the order of CKPT_HDR_TREE */
#define CKPT_COMM_LEN	16

struct ckpt_hdr_task {
	struct ckpt_hdr h;
	__s32 pid;		/* must match the tree entry */
	__u32 cred_ref;		/* objref of the task's CKPT_HDR_CRED */
	__u32 real_cred_ref;	/* objref of its real (objective) creds */
	__s32 exit_signal;
	__u32 personality;
	__u32 flags;		/* CKPT_TASK_* */
	char comm[CKPT_COMM_LEN];	/* NUL terminated */
	__u32 mm_ref;		/* objref of its CKPT_HDR_MM */
	__u32 sighand_ref;	/* objref of its CKPT_HDR_SIGHAND */
	__u32 signal_ref;	/* objref of its CKPT_HDR_SIGNAL */
	__u32 files_ref;	/* objref of its CKPT_HDR_FILES */
	__u32 fs_ref;		/* objref of its CKPT_HDR_FS */
	__s32 exit_code;	/* of a zombie, as wait(2) reports it; else 0 */
};

#define CKPT_TASK_THREAD_LEADER	0x0001
#define CKPT_TASK_SELF		0x0002	/* the task that called checkpoint(2) */
/*
 * A process that has exited and that its parent has not waited for yet.
 * Its record has no object references (all 0) and no records follow it.
 */
#define CKPT_TASK_ZOMBIE	0x0004
/*
 * The thread that waited in prctl(PR_CHECKPOINT_READY): its registers
 * show the call as complete, and restart(2) makes it return a positive
 * value (Documentation/checkpoint/callbacks.rst).
 */
#define CKPT_TASK_READY		0x0008

/*
 * CKPT_HDR_TASK_ATTRS: the last record of a task: its resource limits
 * (those of its process), scheduling, the prctl() and set_tid_address(),
 * set_robust_list() and rseq() state a C library relies on.
 */
#define CKPT_RLIM_NLIMITS	16

struct ckpt_rlimit {
	__u64 cur, max;		/* ~0 for RLIM_INFINITY */
};

struct ckpt_hdr_task_attrs {
	struct ckpt_hdr h;
	struct ckpt_rlimit rlim[CKPT_RLIM_NLIMITS];
	__s32 nice;
	__u32 policy;		/* SCHED_OTHER, SCHED_BATCH, ... */
	__u32 rt_priority;
	__u32 flags;		/* CKPT_ATTR_* */
	__s32 pdeath_signal;
	__u32 dumpable;		/* as PR_GET_DUMPABLE */
	__u64 clear_child_tid;
	__u64 robust_list;
	__u64 robust_list_len;
	__u64 rseq;
	__u32 rseq_len;
	__u32 rseq_sig;
};

#define CKPT_ATTR_NO_NEW_PRIVS		0x0001
#define CKPT_ATTR_CHILD_SUBREAPER	0x0002
#define CKPT_ATTR_THP_DISABLE		0x0004	/* of its mm: PR_SET_THP_DISABLE */
#define CKPT_ATTR_FLAGS_ALL		0x0007

/*
 * CKPT_HDR_RESTART_BLOCK: follows the architecture records of a task
 * that was stopped in a system call that continues through
 * restart_syscall(2) (its ax is -ERESTART_RESTARTBLOCK): a sleep in
 * nanosleep() or clock_nanosleep(), futex() FUTEX_WAIT with a timeout,
 * poll() or ppoll().  A timeout is kept as the time that was left of it,
 * so the call sleeps as long in total as it would have without the
 * checkpoint, however long the image waits to be restarted.  A task
 * without this record whose call needs one returns -EINTR from it.
 */
enum ckpt_restart_kind {
	CKPT_RESTART_NANOSLEEP = 1,	/* clockid, addr = rmtp or 0 */
	CKPT_RESTART_FUTEX_WAIT = 2,	/* addr, val, bitset */
	CKPT_RESTART_POLL = 3,		/* addr = ufds, nfds */
};

#define CKPT_RESTART_TIMEOUT		0x0001	/* timeout_ns is valid */
#define CKPT_RESTART_FUTEX_SHARED	0x0002	/* not FUTEX_PRIVATE_FLAG */
#define CKPT_RESTART_FUTEX_REALTIME	0x0004	/* FUTEX_CLOCK_REALTIME */

struct ckpt_hdr_restart_block {
	struct ckpt_hdr h;
	__u32 kind;		/* enum ckpt_restart_kind */
	__u32 flags;		/* CKPT_RESTART_* */
	__s32 clockid;
	__u32 val;
	__u32 bitset;
	__u32 nfds;
	__u64 addr;		/* user address the call works on */
	__u64 timeout_ns;	/* nanoseconds that were left */
};

/*
 * After each task record come its architecture records.
 *
 * CKPT_HDR_X86_REGS: the user registers, in the layout of
 * struct user_regs_struct.  For the task that called checkpoint(2) they
 * describe its return from the call with the value 0.
 */
struct ckpt_hdr_x86_regs {
	struct ckpt_hdr h;
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	__u64 ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
	__u64 fs_base, gs_base, ds, es, fs, gs;
};

/* CKPT_HDR_X86_XSTATE: FPU/SSE/AVX state, standard XSAVE format */
#define CKPT_X86_XSTATE_MAX	(64 * 1024)

struct ckpt_hdr_x86_xstate {
	struct ckpt_hdr h;
	__u32 size;		/* bytes of XSAVE area that follow */
	__u32 _pad;
	__u64 xfeatures;	/* features the saving kernel supports */
};

/*
 * CKPT_HDR_MM: an address space, an object.  nr_auxv __u64 words of the
 * saved ELF auxiliary vector follow, then the NUL terminated path of the
 * executable (exe_len bytes, NUL included).  An executable saved by
 * its contents (unlinked, or CHECKPOINT_SAVE_EXE) is named by exe_ref,
 * a CKPT_HDR_MEMFD flagged CKPT_MEMFD_UNLINKED, which restart makes the
 * executable; the path is then only a reminder of where it was.  Then come nr_vmas
 * CKPT_HDR_VMA records, each followed by the CKPT_HDR_PAGES records of
 * the pages saved for it.
 */
#define CKPT_MM_MAX_VMAS	65536
#define CKPT_MM_MAX_AUXV	128
#define CKPT_PATH_MAX		4096

struct ckpt_hdr_mm {
	struct ckpt_hdr_obj h;
	__u64 start_code, end_code, start_data, end_data;
	__u64 start_brk, brk, start_stack;
	__u64 arg_start, arg_end, env_start, env_end;
	__u32 nr_vmas;
	__u32 nr_auxv;
	__u32 exe_len;
	__u32 exe_ref;		/* 0, or the executable's CKPT_HDR_MEMFD */
};

/* ckpt_hdr_vma.kind */
enum ckpt_vma_kind {
	CKPT_VMA_ANON = 1,	/* anonymous memory */
	CKPT_VMA_FILE = 2,	/* a mapped file, reopened by path */
	CKPT_VMA_VDSO = 3,	/* the vDSO text */
	CKPT_VMA_VVAR = 4,	/* the vDSO data */
	/*
	 * Shared anonymous memory: a struct ckpt_vma_shmem follows, which
	 * names its CKPT_HDR_SHMEM; pgoff is the offset in it.
	 */
	CKPT_VMA_SHMEM = 5,
	/*
	 * A memfd, shared or private: a struct ckpt_vma_shmem follows, which
	 * names its CKPT_HDR_MEMFD; pgoff is the offset in it.  The pages of
	 * a private mapping that it wrote follow, as for CKPT_VMA_FILE.
	 */
	CKPT_VMA_MEMFD = 6,
	/*
	 * A whole SysV shared memory segment as shmat(2) attached it: a
	 * struct ckpt_vma_shmem follows, which names its CKPT_HDR_IPC_SHM;
	 * pgoff is 0 and the mapping covers the whole segment.
	 */
	CKPT_VMA_SYSVSHM = 7,
	/*
	 * Anonymous memory of huge pages, as mmap(2) with MAP_ANONYMOUS |
	 * MAP_HUGETLB makes it: size is the size of its pages, which start
	 * and end are aligned to.  Private, pgoff is 0 and its pages are
	 * saved as for CKPT_VMA_ANON, each huge page that was touched by
	 * those of its base pages that are not zero.  Shared (as fork(2)
	 * shares it), a struct ckpt_vma_shmem follows, which names its
	 * CKPT_HDR_SHMEM_HUGETLB; pgoff is the offset in it, a multiple of
	 * its pages.
	 */
	CKPT_VMA_HUGETLB = 8,
};

/* ckpt_hdr_vma.flags */
#define CKPT_VMA_READ		0x0001
#define CKPT_VMA_WRITE		0x0002
#define CKPT_VMA_EXEC		0x0004
#define CKPT_VMA_SHARED		0x0008
#define CKPT_VMA_MAYREAD	0x0010
#define CKPT_VMA_MAYWRITE	0x0020
#define CKPT_VMA_MAYEXEC	0x0040
#define CKPT_VMA_GROWSDOWN	0x0100
#define CKPT_VMA_LOCKED		0x0200
#define CKPT_VMA_DONTDUMP	0x0400
#define CKPT_VMA_DONTFORK	0x0800
#define CKPT_VMA_WIPEONFORK	0x1000
#define CKPT_VMA_FORKED		0x2000	/* see below */
#define CKPT_VMA_NORESERVE	0x4000	/* MAP_NORESERVE; not of SysV, vDSO */
#define CKPT_VMA_HUGEPAGE	0x8000	/* MADV_HUGEPAGE */
#define CKPT_VMA_NOHUGEPAGE	0x10000	/* MADV_NOHUGEPAGE; not with the above */
#define CKPT_VMA_FLAGS_ALL	0x1ff7f

/*
 * CKPT_HDR_VMA: one mapping.  For a file mapping the path (path_len
 * bytes, NUL included) follows, with the file's identity at checkpoint
 * time, so that restart can refuse a file that changed; for shared
 * anonymous memory, a struct ckpt_vma_shmem.  The pages saved for an
 * anonymous or file mapping follow in zero or more CKPT_HDR_PAGES
 * records, in increasing address order.  (Images before minor 9 saved
 * shared anonymous memory as CKPT_VMA_ANON with CKPT_VMA_SHARED and its
 * pages: restart takes those as memory of that process alone.)
 *
 * CKPT_VMA_FORKED marks a private anonymous or file mapping that the
 * process has from its parent in the image, as fork(2) copied it: the
 * parent maps the same range with the same flags, file and offset.
 * The pages the two still share, copy-on-write, are not saved again:
 * CKPT_HDR_PAGES_COW records list them, in address order among the
 * CKPT_HDR_PAGES records of the mapping, and restart creates the
 * process from its parent as fork(2) would and keeps them, shared.
 * Its other pages are the process's own, as for any mapping.
 */
/* The last page offset a file mapping may reach: MAX_LFS_FILESIZE pages */
#define CKPT_VMA_PGOFF_MAX	(0x7fffffffffffffffULL >> 12)

struct ckpt_hdr_vma {
	struct ckpt_hdr h;
	__u64 start, end;
	__u64 pgoff;		/* in pages */
	__u32 kind;		/* enum ckpt_vma_kind */
	__u32 flags;		/* CKPT_VMA_* */
	__u64 ino, dev, size;	/* the file's, for CKPT_VMA_FILE; see _HUGETLB */
	__s64 mtime_sec;
	__u32 mtime_nsec;
	__u32 path_len;
};

struct ckpt_vma_shmem {
	__u32 shmem_ref;	/* objref of its CKPT_HDR_SHMEM, _MEMFD or _IPC_SHM */
	__u32 _pad;
};

/*
 * CKPT_HDR_SHMEM: an object, the shared anonymous memory that mmap(2)
 * with MAP_SHARED | MAP_ANONYMOUS made and that fork(2) shares, defined
 * before the first address space that maps it: its size in bytes, then
 * its pages in CKPT_HDR_PAGES records whose addr is the offset in it.
 */
struct ckpt_hdr_shmem {
	struct ckpt_hdr_obj h;
	__u64 size;
};

/*
 * CKPT_HDR_SHMEM_HUGETLB: an object, as CKPT_HDR_SHMEM, of the shared
 * memory of huge pages that mmap(2) with MAP_SHARED | MAP_ANONYMOUS |
 * MAP_HUGETLB made: its size is a multiple of page_size, the size of
 * its pages; each huge page it holds is saved whole.
 */
struct ckpt_hdr_shmem_hugetlb {
	struct ckpt_hdr_obj h;
	__u64 size;
	__u64 page_size;
};

/*
 * CKPT_HDR_MEMFD: an object, the memory of a memfd that memfd_create(2)
 * made, defined before the first file or mapping of it: its size, its
 * seals (as F_GET_SEALS shows them), its permissions and its name (as
 * given to memfd_create(2), NUL included; name_len bytes follow), then
 * its pages in CKPT_HDR_PAGES records whose addr is the offset in it.
 *
 * A regular file that was unlinked while open or mapped (or made with
 * O_TMPFILE) has no path to be reopened by: it is saved the same way,
 * flagged CKPT_MEMFD_UNLINKED, with the last component of its name
 * (cut to fit) and no seals.  So is a mapped file that checkpoint(2)
 * was asked to save by its contents (CHECKPOINT_SAVE_*).  Restart makes
 * it an unlinked tmpfs file that its files and mappings share, as they
 * shared the file.
 */
#define CKPT_MEMFD_NAME_MAX	250	/* NAME_MAX less "memfd:", NUL included */
#define CKPT_MEMFD_UNLINKED	0x1	/* ckpt_hdr_memfd.flags */
/*
 * A memfd of huge pages (MFD_HUGETLB): the shift of their size in the
 * bits of CKPT_MEMFD_HUGE_MASK, as memfd_create(2) takes it; its size
 * is a multiple of it and each huge page it holds is saved whole.
 */
#define CKPT_MEMFD_HUGETLB	0x2
#define CKPT_MEMFD_HUGE_SHIFT	26
#define CKPT_MEMFD_HUGE_MASK	(0x3fU << CKPT_MEMFD_HUGE_SHIFT)

struct ckpt_hdr_memfd {
	struct ckpt_hdr_obj h;
	__u64 size;
	__u32 seals;		/* F_SEAL_* */
	__u32 mode;		/* the permission bits, 07777 at most */
	__u32 name_len;
	__u32 flags;		/* CKPT_MEMFD_UNLINKED, CKPT_MEMFD_HUGETLB */
};

/*
 * CKPT_HDR_PAGES: the contents of nr_pages consecutive pages starting
 * at addr.  Only pages that exist are saved: never touched ones and
 * those still mapping the zero page are not, and read back as zeroes.
 */
#define CKPT_PAGES_MAX		256

struct ckpt_hdr_pages {
	struct ckpt_hdr h;
	__u64 addr;
	__u32 nr_pages;
	__u32 _pad;
};

/*
 * CKPT_HDR_PAGES_COW: a struct ckpt_hdr_pages without contents, in a
 * mapping marked CKPT_VMA_FORKED: nr_pages consecutive pages from addr
 * that are those of the parent at the same addresses.
 */

/*
 * Files.  An open file (what open(2) creates and dup(2) shares, with
 * its offset and status flags) is an object; so is a descriptor table,
 * which refers to the files it holds, and the fs_struct of a task (its
 * working directory, root and umask).  Paths are as seen from the root
 * of the task that called checkpoint(2).
 */
enum ckpt_file_kind {
	CKPT_FILE_REG = 1,	/* a regular file, reopened by path */
	CKPT_FILE_DIR = 2,	/* a directory, reopened by path */
	CKPT_FILE_CHR = 3,	/* /dev/null, /dev/zero, ..., reopened by path */
	/*
	 * A pipe, FIFO or terminal whose other side is not saved: restored
	 * as the file the restarting process has at the same descriptor,
	 * as a shell job gets the shell's standard input and output.
	 */
	CKPT_FILE_INHERIT = 4,
	/*
	 * An end of a pipe made by pipe(2) whose every open end is in the
	 * image: pipe_ref names its CKPT_HDR_PIPE, O_ACCMODE which end.
	 */
	CKPT_FILE_PIPE = 5,
	/* An eventfd: its counter and mode follow, a struct ckpt_eventfd. */
	CKPT_FILE_EVENTFD = 6,
	/* A signalfd: the signals it reads follow, a struct ckpt_signalfd. */
	CKPT_FILE_SIGNALFD = 7,
	/* A socket: a struct ckpt_socket follows. */
	CKPT_FILE_SOCKET = 8,
	/* A timerfd: its clock and timer follow, a struct ckpt_timerfd. */
	CKPT_FILE_TIMERFD = 9,
	/*
	 * An epoll: its interest list follows, a struct ckpt_epoll_item per
	 * item, whose files are written before it.
	 */
	CKPT_FILE_EPOLL = 10,
	/*
	 * An open file of a memfd: memfd_ref names its CKPT_HDR_MEMFD, which
	 * its other open files and its mappings share.
	 */
	CKPT_FILE_MEMFD = 11,
	/*
	 * A regular file or directory of procfs (/proc/self/status, say),
	 * reopened by path: its inode number is not kept, only its type.
	 */
	CKPT_FILE_PROC = 12,
	/*
	 * An end of a pseudo-terminal whose master is in the image:
	 * pty_ref names its CKPT_HDR_PTY, a struct ckpt_pty_file follows.
	 */
	CKPT_FILE_PTY = 13,
	/* A pidfd: the task it refers to follows, a struct ckpt_pidfd. */
	CKPT_FILE_PIDFD = 14,
	/*
	 * A POSIX message queue descriptor (mq_open(3)); the path is
	 * "/name".  mq_ref names its CKPT_HDR_IPC_MQ, or is 0 for a queue
	 * of the IPC namespace of the caller of checkpoint(2), which restart
	 * reopens by name in its caller's and checks by inode and device.
	 */
	CKPT_FILE_MQUEUE = 15,
	/*
	 * An inotify instance: a struct ckpt_inotify follows, and after the
	 * record the events queued on it and its watches, nr_events
	 * CKPT_HDR_INOTIFY_EVENT and nr_watches CKPT_HDR_INOTIFY_WATCH records.
	 */
	CKPT_FILE_INOTIFY = 16,
};

/*
 * CKPT_HDR_FILE: an object, one open file.  What follows, path_len
 * bytes: the path, NUL included, for the kinds reopened by path; a
 * struct ckpt_eventfd, ckpt_signalfd, ckpt_socket, ckpt_timerfd,
 * ckpt_pty_file, ckpt_pidfd or ckpt_inotify for CKPT_FILE_EVENTFD,
 * _SIGNALFD, _SOCKET, _TIMERFD, _PTY, _PIDFD and _INOTIFY; the items
 * of a CKPT_FILE_EPOLL; nothing for the others.
 */
struct ckpt_hdr_file {
	struct ckpt_hdr_obj h;
	__u32 kind;		/* enum ckpt_file_kind */
	__u32 f_flags;		/* O_* flags, as fcntl(F_GETFL) shows them */
	__s64 pos;		/* the offset */
	__u32 mode;		/* the inode's type and permissions */
	__u32 rdev;		/* CKPT_FILE_CHR: the device */
	__u64 ino, dev;		/* the inode, checked at restart */
	__u32 path_len;
	union {
		__u32 pipe_ref;		/* CKPT_FILE_PIPE: objref of its pipe */
		__u32 memfd_ref;	/* CKPT_FILE_MEMFD: of its memfd */
		__u32 pty_ref;		/* CKPT_FILE_PTY: of its pty */
		__u32 mq_ref;		/* CKPT_FILE_MQUEUE: of its queue */
	};
	/*
	 * CKPT_FILE_REG: the size and modification time, which restart
	 * checks for a file open read-only: a program reading it would
	 * read something else.  0 for other kinds.
	 */
	__u64 size;
	__s64 mtime_sec;
	__u32 mtime_nsec;
	__u32 _pad;
};

struct ckpt_eventfd {
	__u64 count;		/* below ~0ULL */
	__u32 flags;		/* EFD_SEMAPHORE or 0 */
	__u32 _pad;
};

struct ckpt_signalfd {
	__u64 mask;		/* bit N-1 for signal N, as signalfd(2) takes it */
};

/*
 * A pidfd refers to a task of the image, by its pid in the image's pid
 * namespace: to a process (its thread group leader) or, made with
 * PIDFD_THREAD, to one thread.  pid is 0 for a task that was reaped.
 */
struct ckpt_pidfd {
	__s32 pid;
	__u32 flags;		/* CKPT_PIDFD_* */
};

#define CKPT_PIDFD_THREAD	0x1	/* pidfd_open(PIDFD_THREAD) */

/*
 * An inotify instance.  next_wd is the watch descriptor that
 * inotify_add_watch(2) would give next, were it free (descriptors are
 * given in turn, from 1 up); max_events the length its queue may reach
 * before it overflows, fs.inotify.max_queued_events when it was made
 * (restart takes the lower of it and the value of the sysctl then).
 * The events come first: restart queues them before it adds the
 * watches, which may report new ones at once.
 */
struct ckpt_inotify {
	__u32 nr_watches;	/* at most CKPT_INOTIFY_MAX_WATCHES */
	__u32 nr_events;	/* at most CKPT_INOTIFY_MAX_EVENTS */
	__s32 next_wd;		/* 1 to INT_MAX */
	__u32 max_events;	/* at least 1 */
};

#define CKPT_INOTIFY_MAX_WATCHES	(1 << 20)
#define CKPT_INOTIFY_MAX_EVENTS		(1 << 20)

/*
 * CKPT_HDR_INOTIFY_WATCH: a watch of the inotify whose CKPT_HDR_FILE
 * and events come before, by increasing wd: the inode watched, named
 * by a path (path_len bytes, NUL included, follow) that restart looks
 * up without following a last symbolic link and checks by inode
 * number, device and type; and the mask inotify_add_watch(2) would
 * take to make it again.
 */
struct ckpt_hdr_inotify_watch {
	struct ckpt_hdr h;
	__s32 wd;		/* 1 to INT_MAX */
	__u32 mask;		/* IN_ALL_EVENTS bits, IN_ONESHOT, IN_EXCL_UNLINK */
	__u64 ino, dev;
	__u32 mode;		/* the inode's type */
	__u32 path_len;
};

/*
 * CKPT_HDR_INOTIFY_EVENT: an event queued on the inotify, in the order
 * read(2) returns them, as struct inotify_event gives it; name_len
 * bytes of the name follow, without NUL.  The event that says the queue
 * overflowed is wd -1, mask IN_Q_OVERFLOW, and is queued at most once.
 */
struct ckpt_hdr_inotify_event {
	struct ckpt_hdr h;
	__s32 wd;
	__u32 mask;		/* IN_* as read(2) gives it */
	__u32 cookie;
	__u32 name_len;		/* at most NAME_MAX, 0 for no name */
};

/*
 * A timerfd on CLOCK_MONOTONIC, CLOCK_REALTIME or CLOCK_BOOTTIME (alarm
 * clocks and TFD_TIMER_CANCEL_ON_SET are not saved).  value_ns is the
 * time left, or, with TFD_TIMER_ABSTIME (CLOCK_REALTIME only), the
 * expiry; 0 if disarmed.  ticks counts the expirations not read yet.
 */
struct ckpt_epoll_item {
	__u32 file_ref;		/* objref of the file watched */
	__s32 fd;		/* the descriptor it was added with */
	__u32 events;		/* EPOLL*, as epoll_ctl() left them */
	__u32 _pad;
	__u64 data;
};

#define CKPT_EPOLL_MAX_ITEMS	65536

struct ckpt_timerfd {
	__s32 clockid;
	__u32 flags;		/* TFD_TIMER_ABSTIME or 0 */
	__u64 ticks;
	__u64 value_ns;		/* at most KTIME_MAX */
	__u64 interval_ns;	/* at most KTIME_MAX */
};

/*
 * CKPT_HDR_PIPE: an object, a pipe made by pipe(2), defined before the
 * first of its ends: its capacity (as F_GETPIPE_SZ), the ends still open
 * (a restored pipe whose write end was closed reads its data, then end
 * of file), and the nr_bytes of data it holds, which follow.
 */
struct ckpt_hdr_pipe {
	struct ckpt_hdr_obj h;
	__u32 size;
	__u32 nr_bytes;
	__u32 ends;		/* CKPT_PIPE_* */
	__u32 _pad;
};

#define CKPT_PIPE_READER	0x0001
#define CKPT_PIPE_WRITER	0x0002
#define CKPT_PIPE_MAX_SIZE	(1 << 20)

/*
 * Sockets.  How a socket comes back (struct ckpt_socket state):
 *
 *  - CKPT_SOCK_FRESH: as socket(2) made it, neither bound nor connected;
 *  - CKPT_SOCK_BOUND: bound to addr; a datagram socket connected to
 *    peer when peer_len is not zero (connect(2) of a datagram socket
 *    only sets its default destination);
 *  - CKPT_SOCK_LISTEN: bound to addr and listening with backlog.  A TCP
 *    socket of the network namespace saved (or of the checkpointer's,
 *    with CHECKPOINT_TCP_REPAIR) has the connections waiting for
 *    accept(2) in the CKPT_HDR_TCP_ACCEPT that accept_ref names, if it
 *    had any; others are not saved;
 *  - CKPT_SOCK_PAIR: an end of a connected AF_UNIX pair whose other end
 *    is saved too, or was closed: pair_ref names its CKPT_HDR_UNIX_PAIR
 *    and end which end it is;
 *  - CKPT_SOCK_RESET: a connection to a peer that is not saved.  It
 *    comes back as a socket of the same family, type and protocol whose
 *    first read or write fails with ECONNRESET and that reads end of
 *    file after, as a connection the peer reset: its descriptor is
 *    never silently given to another file;
 *  - CKPT_SOCK_LOST: a socket of another family or protocol (netlink,
 *    packet, raw, ...), saved so with CHECKPOINT_RESET_SOCKETS: family,
 *    type and protocol say what it was, nothing else is saved.  It
 *    comes back as a reset AF_UNIX socket (as CKPT_SOCK_RESET), of type
 *    SOCK_STREAM if it was one, else SOCK_SEQPACKET;
 *  - CKPT_SOCK_TCP: an established TCP connection of the network
 *    namespace saved with the tasks (CKPT_NS_NET), or of the
 *    checkpointer's with CHECKPOINT_TCP_REPAIR: tcp_ref names its
 *    CKPT_HDR_TCP, which holds its addresses; addr_len and peer_len
 *    are 0.
 *
 * Addresses are as getsockname(2) and getpeername(2) give them.
 */
enum ckpt_sock_state {
	CKPT_SOCK_FRESH = 1,
	CKPT_SOCK_BOUND = 2,
	CKPT_SOCK_LISTEN = 3,
	CKPT_SOCK_PAIR = 4,
	CKPT_SOCK_RESET = 5,
	CKPT_SOCK_LOST = 6,
	CKPT_SOCK_TCP = 7,
};

#define CKPT_SOCK_ADDR_MAX	128	/* sizeof(struct sockaddr_storage) */

struct ckpt_socket {
	__u16 family;		/* AF_UNIX, AF_INET or AF_INET6 */
	__u16 type;		/* SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET */
	__u16 protocol;		/* IPPROTO_TCP, IPPROTO_UDP, or 0 */
	__u16 state;		/* enum ckpt_sock_state */
	union {
		__u32 pair_ref;	/* CKPT_SOCK_PAIR: its CKPT_HDR_UNIX_PAIR */
		__u32 tcp_ref;	/* CKPT_SOCK_TCP: its CKPT_HDR_TCP */
		__u32 accept_ref; /* CKPT_SOCK_LISTEN: CKPT_HDR_TCP_ACCEPT or 0 */
	};
	__u32 end;		/* CKPT_SOCK_PAIR: 0 or 1 */
	__u32 opts;		/* CKPT_SO_*: options set */
	__s32 sndbuf;		/* CKPT_SO_SNDBUF: as SO_SNDBUF reads it */
	__s32 rcvbuf;		/* CKPT_SO_RCVBUF: as SO_RCVBUF reads it */
	__s32 rcvlowat;		/* SO_RCVLOWAT */
	__u32 linger;		/* CKPT_SO_LINGER: seconds, or _FOREVER */
	__u32 backlog;		/* CKPT_SOCK_LISTEN */
	__u64 rcvtimeo_us;	/* SO_RCVTIMEO, 0 for none */
	__u64 sndtimeo_us;	/* SO_SNDTIMEO, 0 for none */
	__u32 addr_len;		/* CKPT_SOCK_BOUND, CKPT_SOCK_LISTEN */
	__u32 peer_len;		/* CKPT_SOCK_BOUND datagram sockets */
	__u8 addr[CKPT_SOCK_ADDR_MAX];
	__u8 peer[CKPT_SOCK_ADDR_MAX];
};

#define CKPT_SO_REUSEADDR	0x0001
#define CKPT_SO_REUSEPORT	0x0002
#define CKPT_SO_KEEPALIVE	0x0004
#define CKPT_SO_BROADCAST	0x0008
#define CKPT_SO_OOBINLINE	0x0010
#define CKPT_SO_PASSCRED	0x0020
#define CKPT_SO_LINGER		0x0040
#define CKPT_SO_SNDBUF		0x0080	/* set by SO_SNDBUF, else the default */
#define CKPT_SO_RCVBUF		0x0100	/* set by SO_RCVBUF, else the default */
#define CKPT_SO_TCP_NODELAY	0x0200
#define CKPT_SO_V6ONLY		0x0400
#define CKPT_SO_ALL		0x07ff
#define CKPT_SO_LINGER_FOREVER	0xffffffff

/*
 * CKPT_HDR_TCP: an object, a TCP connection of the network namespace of
 * the image, established or closing on one side or both, defined before
 * its file.  It is made again in
 * repair mode (TCP_REPAIR, see tcp(7)): the same addresses, sequence
 * numbers, windows, options and timestamp clock, the bytes received and
 * not read yet (rcv_len), and the bytes written and not acknowledged
 * yet (snd_len, of which the last unsent_len were not sent yet), which
 * follow the record in this order.  The connection's peer, if the image
 * holds it, is made again the same way, and both take up where they
 * were, retransmitting what the other may have missed; a peer that is
 * not in the image resets the connection on the first segment it gets,
 * as a host that rebooted would.
 *
 * Sequence numbers are those of the connection (snd_una, the first byte
 * not acknowledged; copied_seq, the first byte not read).  Urgent data
 * and connections using an upper layer protocol (kTLS, MPTCP, ...) or
 * TCP-MD5 are not saved: a checkpoint that meets one fails.
 */
/*
 * A side that closed sent a FIN after its bytes, which takes one
 * sequence number: CKPT_TCP_RCV_FIN, the peer's came after the bytes
 * received (CLOSE_WAIT, LAST_ACK, CLOSING); CKPT_TCP_SND_FIN, this
 * side's comes after the bytes written (FIN_WAIT1, FIN_WAIT2, CLOSING,
 * LAST_ACK).  snd_una, snd_len, unsent_len and rcv_len count bytes, not
 * FINs: restart makes the connection established, takes the peer's FIN
 * as received, and shuts this side down (shutdown(2), SHUT_WR) once it
 * let the connection go, which sends its FIN again.
 */
#define CKPT_TCP_SACK		0x0001	/* SACK permitted */
#define CKPT_TCP_TIMESTAMPS	0x0002	/* timestamps (tsval below) */
#define CKPT_TCP_WSCALE		0x0004	/* window scaling: the scales below */
#define CKPT_TCP_RCV_FIN	0x0008	/* the peer closed its side */
#define CKPT_TCP_SND_FIN	0x0010	/* this side was shut down */
#define CKPT_TCP_ALL		0x001f
#define CKPT_TCP_QUEUE_MAX	(16U << 20)	/* rcv_len and snd_len */

struct ckpt_hdr_tcp {
	struct ckpt_hdr_obj h;
	__u16 family;		/* AF_INET or AF_INET6 */
	__u16 flags;		/* CKPT_TCP_* */
	__u32 addr_len;		/* as getsockname(2) gives it */
	__u32 peer_len;		/* as getpeername(2) gives it */
	__u32 snd_una;
	__u32 copied_seq;
	__u32 snd_len, unsent_len, rcv_len;
	__u32 snd_wl1, snd_wnd, max_window, rcv_wnd, rcv_wup;
	__u32 tsval;		/* as getsockopt(TCP_TIMESTAMP) gives it */
	__u16 mss_clamp;
	__u8 snd_wscale, rcv_wscale;
	__s32 sndbuf, rcvbuf;	/* the buffer sizes the kernel had */
	__u32 _pad;
	__u8 addr[CKPT_SOCK_ADDR_MAX];
	__u8 peer[CKPT_SOCK_ADDR_MAX];
};

/*
 * CKPT_HDR_TCP_ACCEPT: an object, the connections a listening TCP socket
 * holds for accept(2), their handshake done: nr_conns objrefs of
 * CKPT_HDR_TCP (__u32) follow the record, in the order accept(2) gives
 * them, each defined before it and named nowhere else.  No program had
 * a descriptor of them yet, so none sent a byte: their snd_len is 0 and
 * CKPT_TCP_SND_FIN is clear; the peer may have sent bytes and its FIN.
 * Restart makes them as any other connection and, once every connection
 * is made, queues them to the listening socket whose file record names
 * the object (ckpt_socket.accept_ref).
 */
#define CKPT_TCP_ACCEPT_MAX	65536

struct ckpt_hdr_tcp_accept {
	struct ckpt_hdr_obj h;
	__u32 nr_conns;
	__u32 _pad;
};

/*
 * CKPT_HDR_UNIX_PAIR: an object, two connected AF_UNIX sockets (made by
 * socketpair(2), or by connect(2) and accept(2)), defined before the
 * first of their files.  An end whose file was closed is not in ends;
 * it holds no data.  After the record, for end 0 then end 1, all __u32
 * but the data:
 *
 *  - nr_msgs message lengths: the datagrams of a datagram or seqpacket
 *    socket.  A stream's bytes are one run, and it has none, unless it
 *    holds descriptors in flight: then its runs, each cut where a
 *    message that brought descriptors starts;
 *  - if nr_fds: how many descriptors each message brought (nr_msgs,
 *    each at most CKPT_UNIX_MAX_MSG_FDS), then the objrefs of their
 *    files (nr_fds), files of the image defined before the pair;
 *  - the nr_bytes the end has to read, oldest first.
 *
 * Out-of-band data is not saved: a checkpoint that meets it fails.
 */
struct ckpt_unix_end {
	__u32 shutdown;		/* CKPT_SHUT_*: as shutdown(2) left the end */
	__s32 err;		/* pending error: 0 or ECONNRESET */
	__u32 nr_msgs;
	__u32 nr_bytes;
	__u32 nr_fds;		/* descriptors in flight (SCM_RIGHTS) */
	__u32 _pad;
};

struct ckpt_hdr_unix_pair {
	struct ckpt_hdr_obj h;
	__u32 type;		/* SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET */
	__u32 ends;		/* CKPT_UNIX_END0 | CKPT_UNIX_END1: still open */
	struct ckpt_unix_end end[2];
};

#define CKPT_UNIX_END0		0x0001
#define CKPT_UNIX_END1		0x0002
#define CKPT_SHUT_RD		0x0001	/* reads no more */
#define CKPT_SHUT_WR		0x0002	/* writes no more */
#define CKPT_UNIX_MAX_BYTES	(4 << 20)	/* queued, per end */
#define CKPT_UNIX_MAX_MSGS	65536		/* queued, per end */
#define CKPT_UNIX_MAX_FDS	4096		/* in flight, per end */
#define CKPT_UNIX_MAX_MSG_FDS	253		/* per message: SCM_MAX_FD */

/* A descriptor: its number, flags and open file. */
struct ckpt_fd {
	__s32 fd;
	__u32 flags;		/* CKPT_FD_* */
	__u32 file_ref;		/* objref of a CKPT_HDR_FILE */
	__u32 _pad;
};

#define CKPT_FD_CLOEXEC		0x0001
#define CKPT_FILES_MAX		65536

/* CKPT_HDR_FILES: a descriptor table, nr_fds entries in fd order */
struct ckpt_hdr_files {
	struct ckpt_hdr_obj h;
	__u32 nr_fds;
	__u32 _pad;
};

/*
 * CKPT_HDR_FILE_LOCKS: locks, right after the record of what owns them.
 * After a CKPT_HDR_FILE, the flock(2) lock and the open file description
 * locks (F_OFD_SETLK) of that open file; after a CKPT_HDR_FILES, the
 * POSIX record locks (F_SETLK) that the processes sharing that table
 * hold, each with a descriptor of the table through which to take it
 * again.  nr_locks struct ckpt_file_lock follow.  There is no record
 * when there is no lock.
 */
enum ckpt_lock_kind {
	CKPT_LOCK_FLOCK = 1,
	CKPT_LOCK_OFD = 2,
	CKPT_LOCK_POSIX = 3,
};

#define CKPT_LOCKS_MAX		4096

struct ckpt_hdr_file_locks {
	struct ckpt_hdr h;
	__u32 nr_locks;
	__u32 _pad;
};

struct ckpt_file_lock {
	__u32 kind;		/* enum ckpt_lock_kind */
	__s32 fd;		/* CKPT_LOCK_POSIX: the descriptor; else 0 */
	__u32 type;		/* F_RDLCK or F_WRLCK */
	__u32 _pad;
	__s64 start, end;	/* bytes locked, end included; flock: 0, LLONG_MAX */
};

/*
 * CKPT_HDR_FS: an object, the working directory, root and umask of a
 * task.  cwd_len bytes of path, then root_len, both NUL terminated.
 */
struct ckpt_hdr_fs {
	struct ckpt_hdr_obj h;
	__u32 umask;
	__u32 cwd_len;
	__u32 root_len;
	__u32 _pad;
};

/*
 * Signals.  A pending signal is saved as the siginfo_t user space would
 * see (128 bytes); signal sets are 64-bit masks, bit (N - 1) for signal N.
 */
#define CKPT_NSIG		64
#define CKPT_SIGINFO_SIZE	128
#define CKPT_PENDING_MAX	4096

struct ckpt_sigaction {
	__u64 handler;		/* SIG_DFL 0, SIG_IGN 1, or an address */
	__u64 flags;		/* SA_* */
	__u64 restorer;
	__u64 mask;
};

/* CKPT_HDR_SIGHAND: an object, the signal handlers of a process */
struct ckpt_hdr_sighand {
	struct ckpt_hdr_obj h;
	struct ckpt_sigaction action[CKPT_NSIG];	/* [N - 1] for signal N */
};

/*
 * CKPT_HDR_SIGNAL: an object, what the threads of a process share:
 * the ITIMER_REAL timer (time left and interval, in nanoseconds, as
 * getitimer(2) shows them: 0 left if it is not armed, which a periodic
 * timer whose SIGALRM is pending is not until the signal is taken),
 * ITIMER_VIRTUAL and ITIMER_PROF (the same,
 * in nanoseconds of the process's CPU time), and the signals pending
 * for the whole
 * process, nr_pending siginfos of CKPT_SIGINFO_SIZE bytes each
 * following the record, oldest first.  checkpoint_signal is the signal
 * the process registered with PR_SET_CHECKPOINT_SIGNAL, or 0.
 */
struct ckpt_hdr_signal {
	struct ckpt_hdr_obj h;
	__u32 nr_pending;
	__s32 checkpoint_signal;
	__s64 it_real_value;
	__s64 it_real_interval;
	__s64 it_virt_value;
	__s64 it_virt_interval;
	__s64 it_prof_value;
	__s64 it_prof_interval;
};

/*
 * CKPT_HDR_TASK_SIGNALS: after the architecture records of a task, its
 * own signal state, then nr_pending siginfos pending for the task only.
 *
 * The record of a thread group leader also says whether its process is
 * stopped by a stop signal, for job control: CKPT_SIGNALS_STOPPED, with
 * CKPT_SIGNALS_STOP_REPORTED once a wait(2) of its parent collected the
 * report of the stop; or CKPT_SIGNALS_STOPPING, a stop that not all of
 * its threads had reached yet.  stop_code is the stop signal, 0 if the
 * process is not stopped and in the records of other tasks.
 */
struct ckpt_hdr_task_signals {
	struct ckpt_hdr h;
	__u64 blocked;
	__u64 saved_sigmask;	/* if CKPT_SIGNALS_RESTORE_MASK */
	__u64 altstack_sp;
	__u64 altstack_size;
	__u32 altstack_flags;	/* SS_AUTODISARM, or SS_DISABLE if none */
	__u32 flags;		/* CKPT_SIGNALS_* */
	__u32 nr_pending;
	__u32 stop_code;
};

/*
 * The task is in a call that replaced its mask for the time of the
 * call (sigsuspend, ppoll, pselect, epoll_pwait): saved_sigmask is put
 * back when the call returns.
 */
#define CKPT_SIGNALS_RESTORE_MASK	0x0001
#define CKPT_SIGNALS_STOPPED		0x0002	/* its process, see above */
#define CKPT_SIGNALS_STOPPING		0x0004
#define CKPT_SIGNALS_STOP_REPORTED	0x0008
#define CKPT_SIGNALS_STOP_MASK		0x000e
#define CKPT_SIGNALS_FLAGS_ALL		0x000f

/*
 * CKPT_HDR_POSIX_TIMERS: the timers of a process made by timer_create(2),
 * before the CKPT_HDR_TASK_SIGNALS record of its thread group leader.
 * Written when the process has a timer or has ever made one.  nr_timers
 * struct ckpt_posix_timer follow, in increasing id order; next_id is
 * the id the next timer_create() of the process returns.
 */
struct ckpt_hdr_posix_timers {
	struct ckpt_hdr h;
	__u32 nr_timers;
	__u32 next_id;
};

#define CKPT_POSIX_TIMERS_MAX	4096

/*
 * One timer.  value is the time left before it expires, in nanoseconds
 * of its clock (0: disarmed), or with CKPT_TIMER_ABSTIME the
 * CLOCK_REALTIME time it expires at.  With CKPT_TIMER_PENDING, the
 * signal of its last expiry is still pending: it is the SI_TIMER
 * siginfo with si_tid == id among the saved pending signals (or, if
 * none is, it expired during the checkpoint and its signal is queued
 * after them); while that signal is pending a periodic timer is not
 * running, and value is when it expires next once the signal is taken.
 * overrun and overrun_last are the kernel's count of expiries not yet
 * reported and the value timer_getoverrun(2) returns; requeue is the
 * sequence number that ties a pending signal to the timer's rearming.
 */
struct ckpt_posix_timer {
	__s32 id;
	/* CLOCK_ REALTIME, MONOTONIC, BOOTTIME, TAI, PROCESS_/THREAD_CPUTIME_ID */
	__s32 clockid;
	__s32 notify;		/* SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID */
	__s32 signo;
	__s32 notify_tid;	/* with SIGEV_THREAD_ID: the thread's pid */
	__u32 flags;		/* CKPT_TIMER_* */
	__u64 sigval;		/* the sigev_value the signal carries */
	__s64 value;
	__s64 interval;		/* nanoseconds; 0 if it is not periodic */
	__s64 overrun;
	__s64 overrun_last;
	__u32 requeue;
	__u32 _pad;
};

#define CKPT_TIMER_ABSTIME	0x0001	/* value is a CLOCK_REALTIME time */
#define CKPT_TIMER_PENDING	0x0002	/* the signal of its expiry is pending */

/*
 * Terminals.  A Unix 98 pseudo-terminal whose master is open in a task
 * of the image is made anew at restart, by opening the ptmx device the
 * master was opened by; its slave ends are opened as TIOCGPTPEER opens
 * them.
 */
struct ckpt_pty_file {
	__u32 end;		/* CKPT_PTY_MASTER or CKPT_PTY_SLAVE */
	__u32 _pad;
};

#define CKPT_PTY_MASTER		0
#define CKPT_PTY_SLAVE		1

/* The termios of a terminal, as TCGETS2 gives it. */
struct ckpt_termios {
	__u32 c_iflag;
	__u32 c_oflag;
	__u32 c_cflag;
	__u32 c_lflag;
	__u8 c_line;		/* N_TTY */
	__u8 c_cc[19];		/* NCCS on x86 */
	__u32 c_ispeed;
	__u32 c_ospeed;
	__u32 _pad;
};

/*
 * What one side of a pty holds for its reader: the bytes its line
 * discipline took in and has not been read yet (len), of which the
 * first canon are whole lines in canonical mode, and then the bytes the
 * other side wrote that the line discipline has not taken in yet
 * (pending), which restart hands it again to process.  ends marks, bit
 * i of byte i / 8, each byte of the first canon that ends a line: a
 * newline, EOL or EOL2 character, or the place of an EOF character.
 */
struct ckpt_tty_queue {
	__u32 len;		/* at most CKPT_TTY_BUF_SIZE */
	__u32 canon;		/* at most len; 0 unless ICANON */
	__u32 pending;		/* at most CKPT_TTY_MAX_PENDING */
	__u32 flags;		/* CKPT_TTYQ_* */
	__u32 column;		/* the cursor's column, for tabs and erase */
	__u32 canon_column;	/* the column where the line being edited began */
};

#define CKPT_TTY_BUF_SIZE	4096
#define CKPT_TTY_MAX_PENDING	(64 * 1024)
#define CKPT_TTYQ_LNEXT		0x0001	/* the next byte is taken literally */
#define CKPT_TTYQ_ERASING	0x0002	/* in an ECHOPRT erase sequence */
#define CKPT_TTYQ_PUSH		0x0004	/* ICANON was set with data queued */

/*
 * CKPT_HDR_PTY: an object, a pseudo-terminal, defined before the first
 * of its files.  Its slave's termios and window size, its state, and
 * what each side holds for its reader: in[0] the input the slave's
 * reader has not read, in[1] the output the master's reader has not.
 * path_len bytes of the path of the ptmx device its master was opened
 * by follow, NUL included, then for in[0] and in[1] in turn: its len
 * bytes, its pending bytes, and its line ends, (canon + 7) / 8 bytes.
 */
struct ckpt_hdr_pty {
	struct ckpt_hdr_obj h;
	__u32 index;		/* the N of /dev/pts/N it was; not kept */
	__u32 flags;		/* CKPT_PTY_* */
	__u32 path_len;
	__u32 master_acc;	/* O_ACCMODE of its master's file */
	/*
	 * The session whose controlling terminal it is, if its leader is in
	 * the image, and its foreground process group; else 0.
	 */
	__s32 session;
	__s32 fg_pgrp;
	__u8 pktstatus;		/* the TIOCPKT_* status not read, packet mode */
	__u8 _pad[7];
	struct ckpt_termios termios;
	__u16 ws_row;
	__u16 ws_col;
	__u16 ws_xpixel;
	__u16 ws_ypixel;
	struct ckpt_tty_queue in[2];
};

/* The longest pty record: its path, and both sides full. */
#define CKPT_PTY_MAX_LEN	(sizeof(struct ckpt_hdr_pty) + CKPT_PATH_MAX + \
				 2 * (CKPT_TTY_BUF_SIZE + CKPT_TTY_MAX_PENDING + \
				      CKPT_TTY_BUF_SIZE / 8))

#define CKPT_PTY_LOCKED		0x0001	/* TIOCSPTLCK: its slave is locked */
#define CKPT_PTY_PACKET		0x0002	/* TIOCPKT: the master is in packet mode */
#define CKPT_PTY_STOPPED	0x0004	/* output stopped (STOP character) */
#define CKPT_PTY_TCOOFF		0x0008	/* output stopped by tcflow(TCOOFF) */
#define CKPT_PTY_SLAVE_CLOSED	0x0010	/* its slave was closed: master reads EIO */
#define CKPT_PTY_FLAGS		0x001f
#define CKPT_TIOCPKT_ALL	0x7f	/* TIOCPKT_FLUSHREAD ... TIOCPKT_IOCTL */

#endif /* _UAPI_LINUX_CHECKPOINT_H */
