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

#define CHECKPOINT_FLAGS_ALL	(CHECKPOINT_SCOPE_MASK | CHECKPOINT_PIDFD)

/* restart(2) flags */
#define RESTART_VALIDATE	0x0001	/* parse and check the image, restore nothing */

#define RESTART_FLAGS_ALL	(RESTART_VALIDATE)

/* Image framing */
#define CKPT_MAGIC		"\177CKPTIMG"	/* 8 bytes, no NUL */
#define CKPT_MAGIC_LEN		8
#define CKPT_TAIL_MAGIC		"CKPTEND\177"
#define CKPT_VERSION_MAJOR	1
#define CKPT_VERSION_MINOR	0
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

	/* architecture, 200-299 */
	/* memory, 300-399 */
	/* files, 400-499 */
	/* signals, 500-599 */
	/* ipc, 600-699 */
	/* namespaces, 700-799 */
	/* sockets, 800-899 */
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
	__u32 _pad;
};

struct ckpt_hdr_tree {
	struct ckpt_hdr h;
	__u32 nr_tasks;	/* followed by nr_tasks struct ckpt_pids */
	__u32 _pad;
};

/* The tree record is the one record allowed above CKPT_RECORD_MAX. */
#define CKPT_TREE_MAX_TASKS	32768

/* CKPT_HDR_CRED: an object, referenced by tasks */
#define CKPT_CRED_MAX_GROUPS	256

struct ckpt_hdr_cred {
	struct ckpt_hdr_obj h;
	__u32 uid, euid, suid, fsuid;	/* in the initial user namespace */
	__u32 gid, egid, sgid, fsgid;
	__u64 cap_inheritable;
	__u64 cap_permitted;
	__u64 cap_effective;
	__u64 cap_bset;
	__u64 cap_ambient;
	__u32 securebits;
	__u32 ngroups;		/* followed by ngroups __u32 gids */
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
};

#define CKPT_TASK_THREAD_LEADER	0x0001

#endif /* _UAPI_LINUX_CHECKPOINT_H */
