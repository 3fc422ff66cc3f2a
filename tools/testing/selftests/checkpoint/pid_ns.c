// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks in pid namespaces nested below the pid namespace of the root of
 * a checkpoint, and tasks whose children go to one.
 *
 * Four trees, each left running after the checkpoint (_continues) and
 * killed and restarted twice from one image (_restarts_twice):
 *
 * - clone_newpid: the root R makes I with clone(CLONE_NEWPID); I forks
 *   A and B (pids 2 and 3 of I's namespace) and holds a pidfd of A; A
 *   makes I2 with clone(CLONE_NEWPID) (4 in I's namespace, 1 in its own)
 *   and I2 forks C (5 and 2).  Once let go, I's pidfd names A and a
 *   signal 0 reaches A through it, A forks a child, which gets a new pid
 *   in I's namespace, and B forks one and exits: the orphan goes to I,
 *   the init of their namespace, which reaps it.
 * - unshare_fork: R calls unshare(CLONE_NEWPID) and forks I and J (1 and
 *   2 of the new namespace).  R's children still go there: once let go,
 *   R forks K, which is 3 in it.
 * - zombie_vfork_timer: R makes I with clone(CLONE_NEWPID).  In I's
 *   namespace: Z (2) exited with 7 and I did not reap it yet; V (3) is
 *   in vfork() for its child VC (4); T (5) has a thread TT (6) and a
 *   POSIX timer with SIGEV_THREAD_ID for its main thread, due TIMER_S
 *   after it was set.  Once let go, I waits for Z and gets 7 with Z's
 *   pid as I sees it, V's vfork() returns VC's pid as V sees it, and the
 *   timer's signal comes to T's main thread, after the restart.
 * - container_in_container: the root P is the init of a pid namespace of
 *   its own (and leads its session); it makes I with clone(CLONE_NEWPID)
 *   (2 in P's namespace), which forks D (3, and 2 in I's).  The image is
 *   restarted by a helper that called unshare(CLONE_NEWPID): P is pid 1
 *   of a new namespace and I's is a new one below it.
 *
 * Each task reports its pids as it sees them (getpid(), getppid(), the
 * NSpid of /proc/thread-self/status) when set up and at its end.  Before
 * the checkpoint and before the restored tasks are let go, we look at
 * them from outside: their NSpid and parent in /proc/PID/status, which
 * of them share a pid namespace (/proc/PID/ns/pid, pid_for_children)
 * and the parent of each namespace (NS_GET_PARENT).  Inodes change at
 * restart: what is compared is which tasks share a namespace.  A
 * restored tree has the same pids at every level (in our namespace too,
 * but for the container), the same parents and namespaces; checkpointed
 * again, it gives the same pid namespace record.  The image has a
 * CKPT_HDR_PIDNS record right after the tree record that says so.
 *
 * Refused with EOPNOTSUPP, the tasks running on unharmed:
 * - unshare_without_fork: a process that unshared CLONE_NEWPID but did
 *   not fork yet (the namespace has no init).  Once it forked, it is
 *   saved.
 * - init_not_saved: the process alone (CHECKPOINT_SCOPE_TASK) whose
 *   children go to a namespace whose init is its child.  Its tree is
 *   saved.
 * - init_parent_not_saved: the process group of X
 *   (CHECKPOINT_SCOPE_PGRP), which is saved as long as X is alone in it,
 *   once it has the init I of a nested namespace, whose parent R is not
 *   in the group.
 * - setns_joined: the tree of R, whose child I is the init of a nested
 *   namespace, once X, which we fork, joined it with setns(2) and forked
 *   Y there (2 in it): the namespace has a task that is not saved.  Once
 *   Y exited and X reaped it, the tree is saved (X still outside).
 * - nested_group_leader_exited: the tree of R, whose child I is the init
 *   of a nested namespace, in which L made a group of its own, forked M
 *   into it and exited: M would need a stand-in leader for its group.
 *   Once M leads a group of its own, the tree is saved.
 * - pidfd_of_later_init: the tree of R, whose child I is the init of a
 *   nested namespace, once R holds a pidfd of A, I's child: restart would
 *   need A's pid, in the namespace of I, before it makes I.  Once R
 *   closed it, the tree is saved.
 *
 * The tasks wait on CTL_FD and report on RES_FD, pipes whose other ends
 * are ours: restart gives the restored tasks the restarting process's
 * descriptors of the same numbers.  Every wait is bounded; the
 * teardowns kill what the tests started (the init of a namespace takes
 * its namespace with it).
 *
 * The checks in loops are in braces: EXPECT_*() TH_LOG() is two
 * statements, the second of which would run after the loop.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/nsfs.h>

/* What a task reports in struct report, besides its ids. */
enum value {
	V_TID,		/* gettid() */
	V_LEVELS,	/* levels of its NSpid, in other[] */
	V_PIDNS,	/* the inode of its pid namespace */
	V_CHILD,	/* what fork() or vfork() returned once let go */
	V_ORPHAN,	/* an init: what waitpid(-1) returned after its children */
	V_ECHILD,	/* an init: errno of waitpid(-1) once all are reaped */
	V_ZOMBIE,	/* waitid(WNOWAIT) of its zombie: si_pid, */
	V_ZOMBIE_CODE,	/* si_code */
	V_ZOMBIE_STATUS,	/* and si_status */
	V_REAPED,	/* what waitpid() of its zombie returned */
	V_TIMER,	/* the id of its timer */
	V_EARLY,	/* 1 if the timer's signal was pending when let go */
	V_QUEUED,	/* where it was queued: enum queued */
	V_SIGNO,	/* the signal that came: signo, */
	V_SICODE,	/* si_code, */
	V_SITIMER,	/* si_timerid */
	V_SIVAL,	/* and si_value */
	V_HANDLED,	/* the tid that ran the handler, 0 if none */
	V_PIDFD,	/* the pid its pidfd names, as its fdinfo shows it */
	V_PIDFD_SIG,	/* errno of pidfd_send_signal(0) to it, 0 if none */
	V_NR,
};

/* The arrays of struct report, of restart_util.h. */
#define REPORT_NR_OTHER		3	/* its NSpid, ours first */
#define REPORT_NR_STATUS	3	/* of its children */
#define REPORT_NR_VALUE		V_NR

#include "checkpoint_util.h"
#include "restart_util.h"
#include "../kselftest_harness.h"

#ifndef NS_GET_PARENT
#define NS_GET_PARENT		_IO(0xb7, 0x2)
#endif
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal	424
#endif

#define NR_ROLES	8	/* the most tasks of a tree, new ones too */
#define MAX_LEVELS	REPORT_NR_OTHER
#define TIMER_S		12	/* the timer of zombie_vfork_timer */
#define SIGVAL		0x5eed
#define SIGTIMER	(SIGRTMIN + 1)

/* Where a signal is pending, as /proc/thread-self/status shows it. */
enum queued {
	Q_NONE,
	Q_THREAD = 1,		/* SigPnd: for the thread */
	Q_SHARED = 2,		/* ShdPnd: for the process */
};

/* ------------------------------------------------------------------ */
/* What a task says of itself, and what we see of it                   */

/* Of /proc/.../status: the state, parent and pids at each level. */
struct proc_status {
	char state;
	pid_t ppid;
	int levels;
	pid_t nspid[MAX_LEVELS];
};

/* Parse the status file at @path: the number of NSpid levels, or -errno. */
static int status_read(const char *path, struct proc_status *s)
{
	char buf[4096], *p, *end;
	int n;

	memset(s, 0, sizeof(*s));
	n = read_small_file(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	p = strstr(buf, "\nState:\t");
	if (p)
		s->state = p[8];
	p = strstr(buf, "\nPPid:\t");
	if (p)
		s->ppid = atoi(p + 7);
	p = strstr(buf, "\nNSpid:");
	if (!p)
		return -ENOENT;
	for (p += 7; s->levels < MAX_LEVELS; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		s->nspid[s->levels++] = v;
	}
	return s->levels;
}

/* The inode of the namespace file @path, or 0. */
static unsigned long ns_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

/* The ids of the calling thread, at every level of pid namespaces. */
static void fill_ns(struct report *r)
{
	struct proc_status s;
	int i, n;

	fill_ids(r);
	r->value[V_TID] = gettid();
	/* /proc is our procfs: this is the tid in our namespace, and below. */
	n = status_read("/proc/thread-self/status", &s);
	r->value[V_LEVELS] = n;
	for (i = 0; i < n; i++)
		r->other[i] = s.nspid[i];
	r->value[V_PIDNS] = (int)ns_ino("/proc/thread-self/ns/pid");
	if (n <= 0 && !r->err)
		r->err = STEP_SETUP;
}

/* Report the set-up, and go on. */
static void report_set_up(struct report *r)
{
	fill_ns(r);
	put_report(r);
}

/* Report the set-up, then wait for the byte on CTL_FD that lets it go. */
static void ns_set_up(struct report *r)
{
	report_set_up(r);
	wait_byte(r);
}

/* Wait for a byte on @fd, a pipe from another task of the tree. */
static void wait_on(int fd, struct report *r)
{
	ssize_t n;
	char c;

	do {
		n = read(fd, &c, 1);
	} while (n < 0 && errno == EINTR);
	if (n != 1 && !r->err)
		r->err = STEP_CTL;
}

/* Write the byte @c to @fd, a pipe to another task of the tree. */
static void send_byte(struct report *r, int fd, char c)
{
	if (write(fd, &c, 1) != 1 && !r->err)
		r->err = STEP_DATA;
}

/* The final report; the task exits with 10 + its role. */
static void __noreturn finish(struct report *r)
{
	fill_ns(r);
	r->done = 1;
	put_report(r);
	_exit(10 + r->role);
}

/* Reap child @pid into r->status[@slot]. */
static void wait_child(pid_t pid, struct report *r, int slot)
{
	int st = -1;

	if ((pid <= 0 || waitpid(pid, &st, 0) != pid) && !r->err)
		r->err = STEP_WAIT;
	r->status[slot] = st;
}

/*
 * Should the test die: a root dies with it, the init of a namespace
 * with its parent, and the namespace with its init.
 */
static void die_with_parent(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/*
 * fork() into a new pid namespace: the child is its pid 1.  Without a
 * stack of its own, as fork(); the C library's idea of the child's tid
 * is its parent's, so the child calls nothing that uses it (raise(),
 * threads).
 */
static pid_t clone_newpid(void)
{
	fflush(stdout);
	fflush(stderr);
	return syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, NULL, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* Pieces of the roles of the tasks                                    */

/* fork(), or clone_newpid() if @newpid, a child that runs @fn. */
static pid_t spawn(void (*fn)(void), bool newpid)
{
	pid_t pid = newpid ? clone_newpid() : fork();

	if (!pid)
		fn();
	return pid;
}

/* Wait for the byte that lets the task go: on @fd, or on CTL_FD if -1. */
static void wait_go(struct report *r, int fd)
{
	if (fd < 0)
		wait_byte(r);
	else
		wait_on(fd, r);
}

/*
 * A task whose one child is @child, as spawn() returned it (-1: not
 * made): report the set-up; once let go, by a byte on @fd or on CTL_FD
 * if -1, reap the child into status[0].
 */
static void parent_set_up(struct report *r, pid_t child, int fd)
{
	if (child < 0)
		r->err = STEP_SETUP;
	report_set_up(r);
	wait_go(r, fd);
	wait_child(child, r, 0);
}

/* The rest of such a task, let go on CTL_FD: it reports its end. */
static void __noreturn parent_of(struct report *r, pid_t child)
{
	parent_set_up(r, child, -1);
	finish(r);
}

/* A task that reports its set-up and, once let go, its end. */
static void __noreturn leaf(int role)
{
	struct report r = { .role = role };

	ns_set_up(&r);
	finish(&r);
}

/* A task, @role, whose one child is a leaf() of @leaf_role. */
static void __noreturn parent_of_leaf(int role, int leaf_role)
{
	struct report r = { .role = role };
	pid_t pid;

	die_with_parent();
	pid = fork();
	if (!pid)
		leaf(leaf_role);
	parent_of(&r, pid);
}

/* A task made once let go: it reports its end and exits. */
static void __noreturn end_only(int role)
{
	struct report r = { .role = role };

	finish(&r);
}

/* Once let go: a child that runs @fn, in value[V_CHILD] and status[0]. */
static void new_child(struct report *r, void (*fn)(void))
{
	pid_t pid = spawn(fn, false);

	r->value[V_CHILD] = pid;
	wait_child(pid, r, 0);
}

/* A child that reports and exits when let go, on CTL_FD or on @fd. */
static void __noreturn plain_child(int role, int fd)
{
	struct report r = { .role = role };

	die_with_parent();
	report_set_up(&r);
	wait_go(&r, fd);
	finish(&r);
}

/* Wait until the task is a child of the init of its namespace. */
static void wait_reparented(struct report *r)
{
	int i;

	for (i = 0; getppid() != 1 && i < WAIT_SECS * 1000; i++)
		usleep(1000);
	if (getppid() != 1)
		r->err = STEP_REPARENT;
}

/* ------------------------------------------------------------------ */
/* The shapes of the trees                                             */

#define OUTSIDE		-1	/* a parent that is not in the tree */
#define PPID_US		-1	/* getppid() of the root: our pid */

/* Labels of pid namespaces: a role, the first in the namespace, or */
#define NS_NONE		-1	/* none: no parent we may see, a zombie's children */
#define NS_OURS		-2	/* ours */
#define NS_OTHER	-3	/* another, of no task of the tree */

enum waits { W_READ, W_VFORK, W_ZOMBIE };

struct role_shape {
	const char *name;
	int parent;		/* its role, OUTSIDE; of a thread, its process */
	bool thread;		/* a thread of the process @parent */
	int depth;		/* levels of pid namespaces below ours */
	pid_t nspid[MAX_LEVELS - 1];	/* its pids there, outermost first */
	pid_t ppid;		/* getppid() as it sees it */
	int ns, children;	/* labels of its namespace and its children's */
	int ns_parent;		/* label of the parent of its namespace */
	enum waits waits;	/* where it is at the checkpoint */
	__u32 pids_flags;	/* of its tree entry */
	int exit_code;		/* of a zombie, as wait(2) gives it */
};

/* clone_newpid */
enum { N_R, N_I, N_A, N_B, N_I2, N_C, N_K, N_G };

static const struct role_shape newpid_roles[] = {
	[N_R] = { "R", OUTSIDE, .ppid = PPID_US, .ns = NS_OURS,
		  .children = NS_OURS, .ns_parent = NS_NONE },
	[N_I] = { "I", N_R, .depth = 1, .nspid = { 1 }, .ppid = 0, .ns = N_I,
		  .children = N_I, .ns_parent = NS_OURS },
	[N_A] = { "A", N_I, .depth = 1, .nspid = { 2 }, .ppid = 1, .ns = N_I,
		  .children = N_I, .ns_parent = NS_OURS },
	[N_B] = { "B", N_I, .depth = 1, .nspid = { 3 }, .ppid = 1, .ns = N_I,
		  .children = N_I, .ns_parent = NS_OURS },
	[N_I2] = { "I2", N_A, .depth = 2, .nspid = { 4, 1 }, .ppid = 0,
		   .ns = N_I2, .children = N_I2, .ns_parent = N_I },
	[N_C] = { "C", N_I2, .depth = 2, .nspid = { 5, 2 }, .ppid = 1,
		  .ns = N_I2, .children = N_I2, .ns_parent = N_I },
};

/* unshare_fork */
enum { U_R, U_I, U_J, U_K };

static const struct role_shape unshare_roles[] = {
	[U_R] = { "R", OUTSIDE, .ppid = PPID_US, .ns = NS_OURS,
		  .children = U_I, .ns_parent = NS_NONE },
	[U_I] = { "I", U_R, .depth = 1, .nspid = { 1 }, .ppid = 0, .ns = U_I,
		  .children = U_I, .ns_parent = NS_OURS },
	[U_J] = { "J", U_R, .depth = 1, .nspid = { 2 }, .ppid = 0, .ns = U_I,
		  .children = U_I, .ns_parent = NS_OURS },
};

/* zombie_vfork_timer */
enum { Z_R, Z_I, Z_Z, Z_V, Z_VC, Z_T, Z_TT };

static const struct role_shape zombie_roles[] = {
	[Z_R] = { "R", OUTSIDE, .ppid = PPID_US, .ns = NS_OURS,
		  .children = NS_OURS, .ns_parent = NS_NONE },
	[Z_I] = { "I", Z_R, .depth = 1, .nspid = { 1 }, .ppid = 0, .ns = Z_I,
		  .children = Z_I, .ns_parent = NS_OURS },
	[Z_Z] = { "Z", Z_I, .depth = 1, .nspid = { 2 }, .ppid = 1, .ns = Z_I,
		  .children = NS_NONE, .ns_parent = NS_OURS, .waits = W_ZOMBIE,
		  .exit_code = 7 << 8 },
	[Z_V] = { "V", Z_I, .depth = 1, .nspid = { 3 }, .ppid = 1, .ns = Z_I,
		  .children = Z_I, .ns_parent = NS_OURS, .waits = W_VFORK },
	[Z_VC] = { "VC", Z_V, .depth = 1, .nspid = { 4 }, .ppid = 3, .ns = Z_I,
		   .children = Z_I, .ns_parent = NS_OURS,
		   .pids_flags = CKPT_PIDS_SHARE_VM | CKPT_PIDS_VFORK },
	[Z_T] = { "T", Z_I, .depth = 1, .nspid = { 5 }, .ppid = 1, .ns = Z_I,
		  .children = Z_I, .ns_parent = NS_OURS },
	[Z_TT] = { "TT", Z_T, .thread = true, .depth = 1, .nspid = { 6 },
		   .ppid = 1, .ns = Z_I, .children = Z_I, .ns_parent = NS_OURS },
};

/* container_in_container */
enum { C_P, C_I, C_D };

static const struct role_shape container_roles[] = {
	[C_P] = { "P", OUTSIDE, .depth = 1, .nspid = { 1 }, .ppid = 0,
		  .ns = C_P, .children = C_P, .ns_parent = NS_OURS },
	[C_I] = { "I", C_P, .depth = 2, .nspid = { 2, 1 }, .ppid = 0,
		  .ns = C_I, .children = C_I, .ns_parent = C_P },
	[C_D] = { "D", C_I, .depth = 2, .nspid = { 3, 2 }, .ppid = 1,
		  .ns = C_I, .children = C_I, .ns_parent = C_P },
};

/* The checks of the end reports that a tree has of its own. */
typedef void (*end_check_t)(struct __test_metadata *_metadata,
			    const struct report *setup,
			    const struct report *end);

struct tree_kind {
	void (*root)(void);	/* the root's body */
	bool root_newpid;	/* the root is made with CLONE_NEWPID */
	const struct role_shape *roles;	/* the root first, parents first */
	int nr_roles;		/* that report their set-up */
	int nr_final;		/* end reports, new children's too */
	int nr_ctl;		/* tasks that wait for a byte on CTL_FD */
	int nr_ns;		/* pid namespaces nested in the root's */
	end_check_t check_end;
};

/* ------------------------------------------------------------------ */
/* clone_newpid                                                        */

static int go_pipe[2];		/* I to A: B is forked, A may make I2 */

static void __noreturn newpid_i2(void)
{
	parent_of_leaf(N_I2, N_C);
}

/* A's child, made once let go: it reports and exits. */
static void __noreturn newpid_k(void)
{
	end_only(N_K);
}

/* B's child, made once let go: it waits to be I's, reports and exits. */
static void __noreturn newpid_g(void)
{
	struct report r = { .role = N_G };

	wait_reparented(&r);
	finish(&r);
}

/* value[V_CHILD]: its new child K; status[] of K and I2. */
static void __noreturn newpid_a(void)
{
	struct report r = { .role = N_A };
	pid_t i2;
	char c;

	close(go_pipe[1]);
	if (read(go_pipe[0], &c, 1) != 1)
		r.err = STEP_SETUP;
	close(go_pipe[0]);
	i2 = spawn(newpid_i2, true);
	if (i2 < 0)
		r.err = STEP_SETUP;
	ns_set_up(&r);
	new_child(&r, newpid_k);
	wait_child(i2, &r, 1);
	finish(&r);
}

/* value[V_CHILD]: its new child G, which it leaves to I. */
static void __noreturn newpid_b(void)
{
	struct report r = { .role = N_B };
	pid_t g;

	ns_set_up(&r);
	g = spawn(newpid_g, false);
	if (g < 0 && !r.err)
		r.err = STEP_SETUP;
	r.value[V_CHILD] = g;
	finish(&r);
}

/*
 * The pid the pidfd at @fd names, as the fdinfo of our /proc shows it
 * (in our namespace: -1 once reaped), or -ENOENT.  Not pidfd_fdinfo_pid():
 * /proc/PID of the pid we see of ourselves is not us below our /proc.
 */
static pid_t pidfd_pid_seen(int fd)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (read_small_file(path, buf, sizeof(buf)) < 0)
		return -ENOENT;
	p = strstr(buf, "\nPid:\t");
	return p ? atoi(p + 6) : -ENOENT;
}

/*
 * Report the set-up of a task that holds the pidfd @fd (-1: none); once
 * let go, value[V_PIDFD_SIG] says whether a signal 0 reaches the task
 * of the pidfd through it, value[V_PIDFD] what it names; it is closed.
 */
static void pidfd_set_up(struct report *r, int fd)
{
	if (fd < 0)
		r->err = STEP_SETUP;
	ns_set_up(r);
	r->value[V_PIDFD_SIG] = syscall(__NR_pidfd_send_signal, fd, 0, NULL, 0) ?
				errno : 0;
	r->value[V_PIDFD] = pidfd_pid_seen(fd);
	close(fd);
}

/*
 * status[] of A, B and of the orphan that waitpid(-1) then returned in
 * value[V_ORPHAN]; value[V_ECHILD] is the errno of the next one.  It
 * holds a pidfd of A, its child, of its own namespace: once let go, and
 * before it reaps A, value[V_PIDFD] and value[V_PIDFD_SIG] say what the
 * pidfd names and whether a signal 0 reaches A through it.
 */
static void __noreturn newpid_i(void)
{
	struct report r = { .role = N_I };
	pid_t a, b;
	int st = -1;

	die_with_parent();
	if (pipe(go_pipe))
		_exit(91);
	a = spawn(newpid_a, false);
	b = fork();
	if (!b) {
		close(go_pipe[0]);
		close(go_pipe[1]);
		newpid_b();
	}
	close(go_pipe[0]);
	if (a < 0 || b < 0 || write(go_pipe[1], "g", 1) != 1)
		r.err = STEP_SETUP;
	close(go_pipe[1]);
	/* After B's fork: B does not inherit it. */
	pidfd_set_up(&r, sys_pidfd_open(a, 0));
	wait_child(a, &r, 0);
	wait_child(b, &r, 1);
	r.value[V_ORPHAN] = waitpid(-1, &st, 0);
	r.status[2] = st;
	r.value[V_ECHILD] = waitpid(-1, NULL, WNOHANG) < 0 ? errno : 0;
	finish(&r);
}

/*
 * R holds a pidfd of I, the init it made, as a container runtime does:
 * restart makes I's namespace when R's records need the pidfd, before
 * I exists.
 */
static void __noreturn newpid_r(void)
{
	struct report r = { .role = N_R };
	pid_t i = spawn(newpid_i, true);

	pidfd_set_up(&r, i > 0 ? sys_pidfd_open(i, 0) : -1);
	wait_child(i, &r, 0);
	finish(&r);
}

/* A task made once let go, in the namespace of @peer, with @ppid. */
static void check_new_child(struct __test_metadata *_metadata,
			    const struct report *kid, const struct report *peer,
			    pid_t ppid, const char *name)
{
	EXPECT_EQ(2, kid->value[V_LEVELS]) TH_LOG("%s", name);
	EXPECT_EQ(kid->pid, kid->other[1]) TH_LOG("%s", name);
	EXPECT_EQ(kid->pid, kid->value[V_TID]) TH_LOG("%s", name);
	EXPECT_EQ(ppid, kid->ppid) TH_LOG("%s", name);
	EXPECT_EQ(peer->value[V_PIDNS], kid->value[V_PIDNS])
		TH_LOG("%s is not in the namespace of its parent's children", name);
}

static void newpid_end(struct __test_metadata *_metadata,
		       const struct report *setup, const struct report *end)
{
	const struct report *k = &end[N_K], *g = &end[N_G];

	EXPECT_EQ((10 + N_I) << 8, end[N_R].status[0]);
	EXPECT_EQ((10 + N_A) << 8, end[N_I].status[0]);
	EXPECT_EQ((10 + N_B) << 8, end[N_I].status[1]);
	EXPECT_EQ((10 + N_K) << 8, end[N_A].status[0]);
	EXPECT_EQ((10 + N_I2) << 8, end[N_A].status[1]);
	EXPECT_EQ((10 + N_C) << 8, end[N_I2].status[0]);

	/* A's and B's new children are in I's namespace, after its five. */
	EXPECT_EQ(k->pid, end[N_A].value[V_CHILD]);
	EXPECT_EQ(g->pid, end[N_B].value[V_CHILD]);
	check_new_child(_metadata, k, &end[N_A], setup[N_A].pid, "A's child");
	check_new_child(_metadata, g, &end[N_I], 1, "B's orphan");
	EXPECT_EQ(6, k->pid < g->pid ? k->pid : g->pid)
		TH_LOG("new pids %d and %d", k->pid, g->pid);
	EXPECT_EQ(7, k->pid < g->pid ? g->pid : k->pid)
		TH_LOG("new pids %d and %d", k->pid, g->pid);

	/* The orphan came to I, the init of its namespace, which reaped it. */
	EXPECT_EQ(g->pid, end[N_I].value[V_ORPHAN]);
	EXPECT_EQ((10 + N_G) << 8, end[N_I].status[2]);
	EXPECT_EQ(ECHILD, end[N_I].value[V_ECHILD]) TH_LOG("a child of I is left");

	/* I's pidfd of A names A (our pid of it), and reaches it. */
	EXPECT_EQ(0, end[N_I].value[V_PIDFD_SIG])
		TH_LOG("pidfd_send_signal(): %s", strerror(end[N_I].value[V_PIDFD_SIG]));
	EXPECT_EQ(end[N_A].other[0], end[N_I].value[V_PIDFD])
		TH_LOG("I's pidfd of A names pid %d", end[N_I].value[V_PIDFD]);
	/* So does R's of I. */
	EXPECT_EQ(0, end[N_R].value[V_PIDFD_SIG])
		TH_LOG("pidfd_send_signal(): %s", strerror(end[N_R].value[V_PIDFD_SIG]));
	EXPECT_EQ(end[N_I].other[0], end[N_R].value[V_PIDFD])
		TH_LOG("R's pidfd of I names pid %d", end[N_R].value[V_PIDFD]);
}

static const struct tree_kind newpid_kind = {
	.root = newpid_r,
	.roles = newpid_roles,
	.nr_roles = ARRAY_SIZE(newpid_roles),
	.nr_final = ARRAY_SIZE(newpid_roles) + 2,
	.nr_ctl = ARRAY_SIZE(newpid_roles),
	.nr_ns = 2,
	.check_end = newpid_end,
};

/* ------------------------------------------------------------------ */
/* unshare_fork                                                        */

static int i_pipe[2], j_pipe[2];	/* R to I and J: "you may go" */

/*
 * Fork I or J, @role, which waits for a byte on @own, a pipe from R,
 * with the other's pipe @other closed.
 */
static pid_t unshare_member(int role, int own[2], int other[2])
{
	pid_t pid = fork();

	if (!pid) {
		close(own[1]);
		close(other[0]);
		close(other[1]);
		plain_child(role, own[0]);
	}
	return pid;
}

static void __noreturn unshare_k(void)
{
	end_only(U_K);
}

/* value[V_CHILD]: K; status[] of K, J and I. */
static void __noreturn unshare_r(void)
{
	struct report r = { .role = U_R };
	pid_t i = -1, j = -1;

	if (unshare(CLONE_NEWPID) || pipe(i_pipe) || pipe(j_pipe)) {
		r.err = STEP_SETUP;
	} else {
		i = unshare_member(U_I, i_pipe, j_pipe);
		j = unshare_member(U_J, j_pipe, i_pipe);
		close(i_pipe[0]);
		close(j_pipe[0]);
		if (i < 0 || j < 0)
			r.err = STEP_SETUP;
	}
	ns_set_up(&r);
	new_child(&r, unshare_k);
	/* J first: the end of I, the init, would take J with it. */
	send_byte(&r, j_pipe[1], 'x');
	wait_child(j, &r, 1);
	send_byte(&r, i_pipe[1], 'x');
	wait_child(i, &r, 2);
	finish(&r);
}

static void unshare_end(struct __test_metadata *_metadata,
			const struct report *setup, const struct report *end)
{
	const struct report *k = &end[U_K];

	EXPECT_EQ((10 + U_K) << 8, end[U_R].status[0]);
	EXPECT_EQ((10 + U_J) << 8, end[U_R].status[1]);
	EXPECT_EQ((10 + U_I) << 8, end[U_R].status[2]);
	/* R's fork() went on into the namespace of I and J: K is 3 there. */
	check_new_child(_metadata, k, &end[U_I], 0, "R's new child");
	EXPECT_EQ(3, k->pid);
	EXPECT_EQ(k->other[0], end[U_R].value[V_CHILD]);
}

static const struct tree_kind unshare_kind = {
	.root = unshare_r,
	.roles = unshare_roles,
	.nr_roles = ARRAY_SIZE(unshare_roles),
	.nr_final = ARRAY_SIZE(unshare_roles) + 1,
	.nr_ctl = 1,
	.nr_ns = 1,
	.check_end = unshare_end,
};

/* ------------------------------------------------------------------ */
/* zombie_vfork_timer                                                  */

static int sync_pipe[2];	/* VC to I: it runs, I may fork T */
static int tt_pipe[2];		/* T to TT: the timer's signal came */
static int handled_tid;

static void on_timer_signal(int sig, siginfo_t *si, void *uc)
{
	__atomic_store_n(&handled_tid, gettid(), __ATOMIC_SEQ_CST);
}

static void __noreturn zombie_z(void)
{
	struct report r = { .role = Z_Z };

	report_set_up(&r);
	_exit(7);
}

/* The vfork() child: it runs on V's stack, below V's frame, until it exits. */
static void __noreturn zombie_vc(void)
{
	struct report r = { .role = Z_VC };

	if (write(sync_pipe[1], "v", 1) != 1)
		r.err = STEP_SETUP;
	close(sync_pipe[1]);
	ns_set_up(&r);
	finish(&r);
}

/*
 * value[V_CHILD]: what vfork() returned; status[0]: VC's.  The report
 * is not on the stack, which VC uses while V waits.
 */
static void __noreturn zombie_v(void)
{
	static struct report r = { .role = Z_V };
	pid_t c;

	close(sync_pipe[0]);
	report_set_up(&r);
	c = vfork();
	if (!c)
		zombie_vc();
	close(sync_pipe[1]);
	r.value[V_CHILD] = c;
	wait_child(c, &r, 0);
	finish(&r);
}

/* Where @sig is pending for the calling thread: enum queued, or -errno. */
static int sig_queued(int sig)
{
	char buf[4096], *p;
	int n, where = Q_NONE;

	n = read_small_file("/proc/thread-self/status", buf, sizeof(buf));
	if (n < 0)
		return n;
	p = strstr(buf, "\nSigPnd:\t");
	if (p && (strtoull(p + 9, NULL, 16) >> (sig - 1) & 1))
		where |= Q_THREAD;
	p = strstr(buf, "\nShdPnd:\t");
	if (p && (strtoull(p + 9, NULL, 16) >> (sig - 1) & 1))
		where |= Q_SHARED;
	return where;
}

/*
 * T's thread takes the timer's signal, if it comes to the process
 * rather than to T's main thread; it stays until the main thread got
 * it.
 */
static void *zombie_tt(void *arg)
{
	struct report r = { .role = Z_TT };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTIMER);
	if (pthread_sigmask(SIG_UNBLOCK, &set, NULL))
		r.err = STEP_SETUP;
	ns_set_up(&r);
	wait_on(tt_pipe[0], &r);
	fill_ns(&r);
	r.done = 1;
	put_report(&r);
	return NULL;
}

/*
 * value[V_TIMER]: its timer; at the end, value[V_EARLY], where the
 * signal was queued (V_QUEUED), what sigwaitinfo() then got (V_SIGNO to
 * V_SIVAL) and V_HANDLED.  The main thread blocks the signal all along,
 * TT does not: one for the process would go to TT's handler.
 */
static void __noreturn zombie_t(void)
{
	struct sigaction sa = {
		.sa_sigaction = on_timer_signal,
		.sa_flags = SA_SIGINFO | SA_RESTART,
	};
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD_ID,
		.sigev_value.sival_int = SIGVAL,
	};
	struct itimerspec its = { .it_value = { TIMER_S, 0 } };
	struct report r = { .role = Z_T };
	int id = -1, queued = Q_NONE, i;
	siginfo_t si;
	pthread_t tt;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTIMER);
	sigemptyset(&sa.sa_mask);
	if (sigprocmask(SIG_BLOCK, &set, NULL) ||
	    sigaction(SIGTIMER, &sa, NULL) || pipe(tt_pipe) ||
	    pthread_create(&tt, NULL, zombie_tt, NULL))
		_exit(92);
	sev.sigev_signo = SIGTIMER;
	sev._sigev_un._tid = gettid();
	if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id) ||
	    syscall(SYS_timer_settime, id, 0, &its, NULL))
		r.err = STEP_SETUP;
	r.value[V_TIMER] = id;
	ns_set_up(&r);

	r.value[V_EARLY] = sig_queued(SIGTIMER) != Q_NONE;
	for (i = 0; i < (TIMER_S + WAIT_SECS) * 100; i++) {
		queued = sig_queued(SIGTIMER);
		if (queued != Q_NONE ||
		    __atomic_load_n(&handled_tid, __ATOMIC_SEQ_CST))
			break;
		usleep(10000);
	}
	r.value[V_QUEUED] = queued;
	memset(&si, 0, sizeof(si));
	if (queued > 0 && sigwaitinfo(&set, &si) == SIGTIMER) {
		r.value[V_SIGNO] = si.si_signo;
		r.value[V_SICODE] = si.si_code;
		r.value[V_SITIMER] = si.si_timerid;
		r.value[V_SIVAL] = si.si_value.sival_int;
	}
	r.value[V_HANDLED] = __atomic_load_n(&handled_tid, __ATOMIC_SEQ_CST);
	if ((write(tt_pipe[1], "x", 1) != 1 || pthread_join(tt, NULL)) && !r.err)
		r.err = STEP_WAIT;
	finish(&r);
}

/*
 * At the end: V_ZOMBIE to V_ZOMBIE_STATUS and V_REAPED of its zombie
 * Z; status[] of Z, V and T.
 */
static void __noreturn zombie_i(void)
{
	struct report r = { .role = Z_I };
	pid_t z, v, t;
	siginfo_t si;
	int st = -1;
	char c;

	die_with_parent();
	z = spawn(zombie_z, false);
	if (z < 0 || waitid(P_PID, z, &si, WEXITED | WNOWAIT))
		r.err = STEP_ZOMBIE;
	if (pipe(sync_pipe))
		_exit(93);
	v = spawn(zombie_v, false);
	close(sync_pipe[1]);
	/* VC runs: T's pid is the next. */
	if (v < 0 || read(sync_pipe[0], &c, 1) != 1)
		r.err = STEP_SETUP;
	close(sync_pipe[0]);
	t = spawn(zombie_t, false);
	if (t < 0)
		r.err = STEP_SETUP;
	ns_set_up(&r);

	/* The zombie is as it died, and waitpid() reaps it. */
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, z, &si, WEXITED | WNOWAIT | WNOHANG) && !r.err)
		r.err = STEP_ZOMBIE;
	r.value[V_ZOMBIE] = si.si_pid;
	r.value[V_ZOMBIE_CODE] = si.si_code;
	r.value[V_ZOMBIE_STATUS] = si.si_status;
	r.value[V_REAPED] = waitpid(z, &st, WNOHANG);
	r.status[0] = st;
	wait_child(v, &r, 1);
	wait_child(t, &r, 2);
	finish(&r);
}

static void __noreturn zombie_r(void)
{
	struct report r = { .role = Z_R };

	parent_of(&r, spawn(zombie_i, true));
}

static void zombie_end(struct __test_metadata *_metadata,
		       const struct report *setup, const struct report *end)
{
	const struct report *i = &end[Z_I], *t = &end[Z_T];
	pid_t z = setup[Z_Z].pid;

	EXPECT_EQ((10 + Z_I) << 8, end[Z_R].status[0]);

	/* I's zombie, by its pid in I's namespace, with its status. */
	EXPECT_EQ(z, i->value[V_ZOMBIE]);
	EXPECT_EQ(CLD_EXITED, i->value[V_ZOMBIE_CODE]);
	EXPECT_EQ(7, i->value[V_ZOMBIE_STATUS]);
	EXPECT_EQ(z, i->value[V_REAPED]);
	EXPECT_EQ(7 << 8, i->status[0]);
	EXPECT_EQ((10 + Z_V) << 8, i->status[1]);
	EXPECT_EQ((10 + Z_T) << 8, i->status[2]);

	/* V's vfork() returned VC's pid as V sees it. */
	EXPECT_EQ(setup[Z_VC].pid, end[Z_V].value[V_CHILD]);
	EXPECT_EQ(4, end[Z_V].value[V_CHILD]);
	EXPECT_EQ((10 + Z_VC) << 8, end[Z_V].status[0]);

	/* The timer's signal, for T's main thread, came to it alone. */
	EXPECT_EQ(0, t->value[V_EARLY])
		TH_LOG("the timer fired before T was let go, not after the restart");
	EXPECT_EQ(Q_THREAD, t->value[V_QUEUED])
		TH_LOG("the signal was queued for %s",
		       t->value[V_QUEUED] == Q_SHARED ? "the process" :
		       t->value[V_QUEUED] == Q_NONE ? "no one" : "?");
	EXPECT_EQ(SIGTIMER, t->value[V_SIGNO]) TH_LOG("no signal of the timer");
	EXPECT_EQ(SI_TIMER, t->value[V_SICODE]);
	EXPECT_EQ(setup[Z_T].value[V_TIMER], t->value[V_SITIMER]);
	EXPECT_EQ(SIGVAL, t->value[V_SIVAL]);
	EXPECT_EQ(0, t->value[V_HANDLED])
		TH_LOG("thread %d took the signal of thread %d", t->value[V_HANDLED],
		       t->value[V_TID]);
}

static const struct tree_kind zombie_kind = {
	.root = zombie_r,
	.roles = zombie_roles,
	.nr_roles = ARRAY_SIZE(zombie_roles),
	.nr_final = ARRAY_SIZE(zombie_roles) - 1,	/* not the zombie */
	.nr_ctl = 5,					/* R, I, VC, T, TT */
	.nr_ns = 1,
	.check_end = zombie_end,
};

/* ------------------------------------------------------------------ */
/* container_in_container                                              */

static void __noreturn container_i(void)
{
	parent_of_leaf(C_I, C_D);
}

/* The init of its own namespace, and of its session and group. */
static void __noreturn container_p(void)
{
	struct report r = { .role = C_P };

	if (setsid() < 0)
		r.err = STEP_PGRP;
	parent_of(&r, spawn(container_i, true));
}

static void container_end(struct __test_metadata *_metadata,
			  const struct report *setup, const struct report *end)
{
	EXPECT_EQ((10 + C_I) << 8, end[C_P].status[0]);
	EXPECT_EQ((10 + C_D) << 8, end[C_I].status[0]);
	EXPECT_EQ(1, end[C_P].pgid);
	EXPECT_EQ(1, end[C_P].sid);
	/* P's session is not of I's namespace. */
	EXPECT_EQ(0, end[C_D].sid);
}

static const struct tree_kind container_kind = {
	.root = container_p,
	.root_newpid = true,
	.roles = container_roles,
	.nr_roles = ARRAY_SIZE(container_roles),
	.nr_final = ARRAY_SIZE(container_roles),
	.nr_ctl = ARRAY_SIZE(container_roles),
	.nr_ns = 1,
	.check_end = container_end,
};

/* ------------------------------------------------------------------ */
/* Looking at the tasks from outside                                   */

struct task_view {
	pid_t outer;		/* its pid in our namespace */
	int levels;
	pid_t nspid[MAX_LEVELS];
	char state;
	pid_t ppid;		/* PPid, ours */
	int parent;		/* the role of its parent, or OUTSIDE */
	int ns, children;	/* labels of its namespace, its children's */
	int ns_parent;		/* label of the parent of its namespace */
};

/* The inode of the parent of the pid namespace of @pid, or 0. */
static unsigned long ns_parent_ino(pid_t pid)
{
	unsigned long ino = 0;
	char path[64];
	struct stat st;
	int fd, pfd;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	pfd = ioctl(fd, NS_GET_PARENT);
	if (pfd >= 0) {
		if (!fstat(pfd, &st))
			ino = st.st_ino;
		close(pfd);
	}
	close(fd);
	return ino;
}

/* The pid namespace files of @pid: its own, its children's, the parent. */
static void ns_inodes(pid_t pid, unsigned long ino[3])
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	ino[0] = ns_ino(path);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid_for_children", pid);
	ino[1] = ns_ino(path);
	ino[2] = ns_parent_ino(pid);
}

/* What we see of the tasks of the tree, their pids in @outer. */
static void take_views(struct __test_metadata *_metadata,
		       const struct tree_kind *k, const pid_t *outer,
		       struct task_view *v)
{
	unsigned long ino[NR_ROLES][3], ours = ns_ino("/proc/self/ns/pid");
	int i, j, l;

	for (i = 0; i < k->nr_roles; i++) {
		struct proc_status s;
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/status", outer[i]);
		ASSERT_LT(0, status_read(path, &s))
			TH_LOG("%s of %s", path, k->roles[i].name);
		memset(&v[i], 0, sizeof(v[i]));
		v[i].outer = outer[i];
		v[i].levels = s.levels;
		memcpy(v[i].nspid, s.nspid, sizeof(s.nspid));
		v[i].state = s.state;
		v[i].ppid = s.ppid;
		ns_inodes(outer[i], ino[i]);
	}
	for (i = 0; i < k->nr_roles; i++) {
		int *label[3] = { &v[i].ns, &v[i].children, &v[i].ns_parent };

		for (l = 0; l < 3; l++) {
			unsigned long x = ino[i][l];

			*label[l] = !x ? NS_NONE : x == ours ? NS_OURS : NS_OTHER;
			for (j = 0; x && x != ours && j < k->nr_roles; j++) {
				if (ino[j][0] == x) {
					*label[l] = j;
					break;
				}
			}
		}
		v[i].parent = OUTSIDE;
		for (j = 0; j < k->nr_roles; j++)
			if (!k->roles[j].thread && outer[j] == v[i].ppid)
				v[i].parent = j;
	}
}

/* The tasks are where the shape of the tree says. */
static void check_views(struct __test_metadata *_metadata,
			const struct tree_kind *k, const struct task_view *v)
{
	int i, l;

	for (i = 0; i < k->nr_roles; i++) {
		const struct role_shape *sh = &k->roles[i];
		int parent = sh->thread ? k->roles[sh->parent].parent : sh->parent;

		ASSERT_EQ(sh->depth + 1, v[i].levels)
			TH_LOG("%s (pid %d) is %d levels deep", sh->name,
			       v[i].outer, v[i].levels - 1);
		for (l = 0; l < sh->depth; l++) {
			EXPECT_EQ(sh->nspid[l], v[i].nspid[l + 1])
				TH_LOG("%s (pid %d), level %d", sh->name,
				       v[i].outer, l + 1);
		}
		EXPECT_EQ(parent, v[i].parent)
			TH_LOG("%s (pid %d): parent %d", sh->name, v[i].outer,
			       v[i].ppid);
		EXPECT_EQ(sh->ns, v[i].ns)
			TH_LOG("%s (pid %d): pid namespace", sh->name, v[i].outer);
		EXPECT_EQ(sh->children, v[i].children)
			TH_LOG("%s (pid %d): pid namespace of its children",
			       sh->name, v[i].outer);
		EXPECT_EQ(sh->ns_parent, v[i].ns_parent)
			TH_LOG("%s (pid %d): parent of its pid namespace",
			       sh->name, v[i].outer);
		if (sh->waits == W_ZOMBIE)
			EXPECT_EQ('Z', v[i].state) TH_LOG("%s", sh->name);
		if (sh->waits == W_VFORK)
			EXPECT_EQ('D', v[i].state) TH_LOG("%s", sh->name);
	}
}

/*
 * Two looks at the same tree are the same: pids at every level from
 * the root's (and so in ours, but for a container), parents, grouping
 * in namespaces.
 */
static void compare_views(struct __test_metadata *_metadata,
			  const struct tree_kind *k, const struct task_view *a,
			  const struct task_view *b)
{
	int base = k->roles[0].depth, i, l;

	for (i = 0; i < k->nr_roles; i++) {
		const char *name = k->roles[i].name;

		ASSERT_EQ(a[i].levels, b[i].levels) TH_LOG("%s", name);
		for (l = base; l < a[i].levels; l++) {
			EXPECT_EQ(a[i].nspid[l], b[i].nspid[l])
				TH_LOG("%s, level %d", name, l);
		}
		EXPECT_EQ(a[i].parent, b[i].parent) TH_LOG("%s", name);
		EXPECT_EQ(a[i].ns, b[i].ns) TH_LOG("%s", name);
		EXPECT_EQ(a[i].children, b[i].children) TH_LOG("%s", name);
		EXPECT_EQ(a[i].ns_parent, b[i].ns_parent) TH_LOG("%s", name);
	}
}

/*
 * The task in @dir (/proc, or a task directory) with @levels levels of
 * pids, the last @own, and parent @ppid (0: any).  Their number goes to
 * *@nr, the pid of the last one is returned.
 */
static pid_t find_task(const char *dir, pid_t ppid, int levels, pid_t own,
		       int *nr)
{
	struct dirent *e;
	pid_t found = -1;
	DIR *d;

	*nr = 0;
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		struct proc_status s;
		char path[300], *end;
		long pid = strtol(e->d_name, &end, 10);

		if (end == e->d_name || *end)
			continue;
		snprintf(path, sizeof(path), "%s/%ld/status", dir, pid);
		if (status_read(path, &s) != levels || s.nspid[levels - 1] != own ||
		    (ppid && s.ppid != ppid))
			continue;
		found = pid;
		(*nr)++;
	}
	closedir(d);
	return found;
}

/*
 * Our pids of the tasks of the tree whose root is @root, found by their
 * parents and their pids in their namespaces.
 */
static void find_outer(struct __test_metadata *_metadata,
		       const struct tree_kind *k, pid_t root, pid_t *outer)
{
	int i, nr;

	outer[0] = root;
	for (i = 1; i < k->nr_roles; i++) {
		const struct role_shape *sh = &k->roles[i];
		pid_t own = sh->nspid[sh->depth - 1], ppid = 0;
		char dir[64] = "/proc";

		if (sh->thread)
			snprintf(dir, sizeof(dir), "/proc/%d/task", outer[sh->parent]);
		else
			ppid = outer[sh->parent];
		outer[i] = find_task(dir, ppid, sh->depth + 1, own, &nr);
		ASSERT_EQ(1, nr)
			TH_LOG("%s: %d tasks of pid %d in %s, parent %d", sh->name,
			       nr, own, dir, ppid);
	}
}

/* Wait until each task is where it is saved. */
static void wait_in_place(struct __test_metadata *_metadata,
			  const struct tree_kind *k, const pid_t *outer)
{
	int i, j;

	for (i = 0; i < k->nr_roles; i++) {
		const struct role_shape *sh = &k->roles[i];
		pid_t ppid;
		char state = '?';

		switch (sh->waits) {
		case W_READ:
		case W_VFORK:
			ASSERT_EQ(0, wait_in_syscall(outer[i], sh->waits == W_READ ?
						     __NR_read : __NR_vfork))
				TH_LOG("%s (pid %d) does not wait in %s", sh->name,
				       outer[i], sh->waits == W_READ ? "read()" : "vfork()");
			break;
		case W_ZOMBIE:
			for (j = 0; j < WAIT_SECS * 1000; j++) {
				if (!proc_stat(outer[i], &state, &ppid) && state == 'Z')
					break;
				usleep(1000);
			}
			ASSERT_EQ('Z', state) TH_LOG("%s (pid %d)", sh->name, outer[i]);
			break;
		}
	}
}

/* ------------------------------------------------------------------ */
/* The image                                                           */

/* The role whose pid in the root's namespace is @pid, or -1. */
static int image_role(const struct tree_kind *k, const struct task_view *v,
		      pid_t pid)
{
	int base = k->roles[0].depth, i;

	for (i = 0; i < k->nr_roles; i++)
		if (v[i].nspid[base] == pid)
			return i;
	return -1;
}

/*
 * The index in the image of the namespace of label @label: 0 for the
 * root's, k for that whose init is that of entry k - 1; or -1.  The
 * roles of the tree entries are in @role_at, 0 past them.
 */
static int image_ns(const struct task_view *v, const struct ckpt_pidns *ns,
		    int nr_ns, const int *role_at, int label)
{
	int i;

	if (label == v[0].ns)
		return 0;
	for (i = 0; i < nr_ns; i++)
		if (ns[i].init < NR_ROLES && role_at[ns[i].init] == label)
			return i + 1;
	return -1;
}

/*
 * The tree and pid namespace records of @img are those of the tasks we
 * saw as @v: pids in the root's namespace in the tree, then each
 * nested namespace with its init and parent, each task's namespace and
 * its children's, and its pids below the root's namespace.
 */
static void check_image(struct __test_metadata *_metadata,
			const struct tree_kind *k, const struct ckpt_image *img,
			const struct task_view *v)
{
	int base = k->roles[0].depth, role_at[NR_ROLES] = { 0 };
	int seen[NR_ROLES] = { 0 };
	struct ckpt_rec recs[CKPT_MAX_RECS];
	const struct ckpt_task_pidns *tp;
	const struct ckpt_hdr_pidns *h;
	const struct ckpt_hdr_tree *tree;
	const struct ckpt_pidns *ns;
	const struct ckpt_pids *p;
	int n, t, i, l, off;
	const __s32 *pids;

	n = image_walk(img, recs, CKPT_MAX_RECS);
	ASSERT_LT(0, n) TH_LOG("the image does not parse");
	for (t = 0; t < n && recs[t].type != CKPT_HDR_TREE; t++)
		;
	ASSERT_LT(t + 1, n) TH_LOG("no tree record");
	EXPECT_EQ(CKPT_HDR_PIDNS, recs[t + 1].type)
		TH_LOG("record %u follows the tree record", recs[t + 1].type);
	ASSERT_EQ(1, image_count(img, CKPT_HDR_PIDNS));

	tree = (const void *)(img->buf + recs[t].off);
	p = (const struct ckpt_pids *)(tree + 1);
	ASSERT_EQ(k->nr_roles, tree->nr_tasks);
	h = image_rec(img, CKPT_HDR_PIDNS, 0);
	ASSERT_EQ(k->nr_ns, h->nr_ns);
	ASSERT_EQ(sizeof(*h) + h->nr_ns * sizeof(*ns) +
		  tree->nr_tasks * sizeof(*tp) + h->nr_pids * sizeof(*pids),
		  h->h.len);
	ns = (const void *)(h + 1);
	tp = (const void *)(ns + h->nr_ns);
	pids = (const void *)(tp + tree->nr_tasks);

	/* The tree entries, in the root's namespace. */
	for (i = 0; i < k->nr_roles; i++) {
		const struct role_shape *sh;
		int r = image_role(k, v, p[i].pid), parent;

		ASSERT_LE(0, r) TH_LOG("pid %d of the image is none of ours", p[i].pid);
		ASSERT_EQ(0, seen[r]++) TH_LOG("%s twice", k->roles[r].name);
		role_at[i] = r;
		sh = &k->roles[r];
		parent = sh->thread ? k->roles[sh->parent].parent : sh->parent;
		/* 0 for the root, whose parent is not saved. */
		EXPECT_EQ(parent == OUTSIDE ? 0 : v[parent].nspid[base], p[i].ppid)
			TH_LOG("%s", sh->name);
		EXPECT_EQ(v[sh->thread ? sh->parent : r].nspid[base], p[i].tgid)
			TH_LOG("%s", sh->name);
		EXPECT_EQ(sh->pids_flags, p[i].flags) TH_LOG("%s", sh->name);
		if (sh->waits == W_ZOMBIE) {
			struct ckpt_hdr_task *task = image_task(img, p[i].pid);

			ASSERT_NE(NULL, task) TH_LOG("%s", sh->name);
			EXPECT_TRUE(task->flags & CKPT_TASK_ZOMBIE);
			EXPECT_EQ(sh->exit_code, task->exit_code);
		}
	}
	EXPECT_EQ(0, role_at[0]) TH_LOG("the root is not first");

	/* Each nested namespace: its init, pid 1 in it, and its parent. */
	for (i = 0; i < (int)h->nr_ns; i++) {
		int x;

		ASSERT_LT(ns[i].init, tree->nr_tasks) TH_LOG("namespace %d", i + 1);
		x = role_at[ns[i].init];
		EXPECT_EQ(x, v[x].ns)
			TH_LOG("the init of namespace %d is %s", i + 1, k->roles[x].name);
		EXPECT_EQ(1, v[x].nspid[v[x].levels - 1]) TH_LOG("%s", k->roles[x].name);
		EXPECT_LE(ns[i].parent, i) TH_LOG("namespace %d", i + 1);
		EXPECT_EQ(image_ns(v, ns, h->nr_ns, role_at, v[x].ns_parent),
			  (int)ns[i].parent)
			TH_LOG("the parent of namespace %d, of %s", i + 1,
			       k->roles[x].name);
	}

	/* Each task: its namespaces, and its pids below the root's. */
	for (i = 0, off = 0; i < k->nr_roles; i++) {
		int r = role_at[i], d = v[r].levels - 1 - base;
		const char *name = k->roles[r].name;
		int children = v[r].children;

		/* A zombie's children, which it has none of, are of its own. */
		if (k->roles[r].waits == W_ZOMBIE)
			children = v[r].ns;
		EXPECT_EQ(image_ns(v, ns, h->nr_ns, role_at, v[r].ns), (int)tp[i].ns)
			TH_LOG("the pid namespace of %s", name);
		EXPECT_EQ(image_ns(v, ns, h->nr_ns, role_at, children),
			  (int)tp[i].children)
			TH_LOG("the pid namespace of %s's children", name);
		ASSERT_LE(off + d, (int)h->nr_pids) TH_LOG("%s", name);
		for (l = 0; l < d; l++) {
			EXPECT_EQ(v[r].nspid[base + 1 + l], pids[off + l])
				TH_LOG("%s, level %d", name, base + 1 + l);
		}
		off += d;
	}
	EXPECT_EQ(off, (int)h->nr_pids);
}

/* ------------------------------------------------------------------ */
/* The trees, left running or restarted                                */

FIXTURE(pidns)
{
	pid_t root;		/* the root, or -1 */
	pid_t helper;		/* that restarted a container, or -1 */
	pid_t outer[NR_ROLES];	/* our pids of the tasks, 0 for none */
	struct report setup[NR_ROLES];
	struct task_view before[NR_ROLES];
	int ctl, res;
	struct helper_out *out;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_VARIANT(pidns)
{
	const struct tree_kind *kind;
	int restarts;		/* 0: carry on after the checkpoint */
};

FIXTURE_VARIANT_ADD(pidns, clone_newpid_continues)
{
	.kind = &newpid_kind,
};

FIXTURE_VARIANT_ADD(pidns, clone_newpid_restarts_twice)
{
	.kind = &newpid_kind,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(pidns, unshare_fork_continues)
{
	.kind = &unshare_kind,
};

FIXTURE_VARIANT_ADD(pidns, unshare_fork_restarts_twice)
{
	.kind = &unshare_kind,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(pidns, zombie_vfork_timer_continues)
{
	.kind = &zombie_kind,
};

FIXTURE_VARIANT_ADD(pidns, zombie_vfork_timer_restarts_twice)
{
	.kind = &zombie_kind,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(pidns, container_in_container_continues)
{
	.kind = &container_kind,
};

FIXTURE_VARIANT_ADD(pidns, container_in_container_restarts_twice)
{
	.kind = &container_kind,
	.restarts = 2,
};

/* Is /proc the procfs of our pid namespace, as the tests assume? */
static bool proc_is_ours(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n <= 0)
		return false;
	buf[n] = '\0';
	return atoi(buf) == getpid();
}

/* Catch the alarm of the bounded waits; why the tests cannot run, or NULL. */
static const char *prepare(void)
{
	catch_alarm();
	if (geteuid())
		return "needs root (CLONE_NEWPID)";
	if (!proc_is_ours())
		return "/proc is not the procfs of our pid namespace";
	return NULL;
}

FIXTURE_SETUP(pidns)
{
	const char *why;

	memset(&self->img, 0, sizeof(self->img));
	memset(self->outer, 0, sizeof(self->outer));
	self->root = -1;
	self->helper = -1;
	self->ctl = -1;
	self->res = -1;
	why = prepare();
	if (why)
		SKIP(return, "%s", why);
	self->out = shared_alloc(sizeof(*self->out));
	ASSERT_NE(NULL, self->out);
	/* Orphans of a killed tree come to us, to be reaped. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

/* Kill the @nr pids of @pids that are set; inits take their namespace. */
static void kill_all(const pid_t *pids, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	reap_all();
}

/*
 * As in restart_ns.c, the teardowns run in the parent of the test
 * process, or in the test process if an assertion failed (the harness
 * may run FIXTURE_TEARDOWN of a failed test in neither): they use no
 * descriptor or memory of the test, only the pids of the shared fixture
 * data, which only the test process writes.  The orphans of the tasks
 * they kill go to init, which reaps them.  If the test process dies
 * first, the roots die with it and the inits with their parents
 * (PR_SET_PDEATHSIG), each taking its namespace with it.
 */
FIXTURE_TEARDOWN_PARENT(pidns)
{
	pid_t left[NR_ROLES + 2];

	memcpy(left, self->outer, sizeof(self->outer));
	left[NR_ROLES] = self->helper;
	left[NR_ROLES + 1] = self->root;
	kill_all(left, NR_ROLES + 2);
}

/* The tasks' pipes: their ends at CTL_FD and RES_FD, ours in self. */
static void open_pipes(struct __test_metadata *_metadata, int *ctl, int *res)
{
	*ctl = pipe_at(CTL_FD, true);
	*res = pipe_at(RES_FD, false);
	ASSERT_LE(0, *ctl);
	ASSERT_LE(0, *res);
}

/* The tree ended: wait until every pid is free; close our pipes. */
static void tree_gone(struct __test_metadata *_metadata,
		      struct _test_data_pidns *self)
{
	int i;

	for (i = 0; i < NR_ROLES; i++) {
		if (self->outer[i] > 0) {
			ASSERT_EQ(0, wait_gone(self->outer[i]))
				TH_LOG("pid %d stays", self->outer[i]);
		}
		self->outer[i] = 0;
	}
	close_ctl_res(&self->ctl, &self->res);
}

/* Start the tree; return once its tasks reported their set-up. */
static void start_tree(struct __test_metadata *_metadata,
		       struct _test_data_pidns *self, const struct tree_kind *k)
{
	int i, l;
	pid_t pid;

	open_pipes(_metadata, &self->ctl, &self->res);
	fflush(stdout);
	fflush(stderr);
	pid = k->root_newpid ? clone_newpid() : fork();
	ASSERT_LE(0, pid) TH_LOG("%s: %s", k->root_newpid ? "clone" : "fork",
				 strerror(errno));
	if (!pid) {
		close(self->ctl);
		close(self->res);
		die_with_parent();
		k->root();
		_exit(99);
	}
	self->root = pid;
	close(CTL_FD);
	close(RES_FD);

	ASSERT_EQ(0, read_reports(self->res, self->setup, NR_ROLES, k->nr_roles, 0))
		TH_LOG("the tree did not report its set-up");
	for (i = 0; i < k->nr_roles; i++) {
		const struct role_shape *sh = &k->roles[i];
		const struct report *r = &self->setup[i];
		pid_t own = sh->depth ? sh->nspid[sh->depth - 1] : pid;
		pid_t ppid = sh->ppid == PPID_US ? getpid() : sh->ppid;

		ASSERT_EQ(0, r->err)
			TH_LOG("set-up of %s failed: %s", sh->name, step_name(r->err));
		ASSERT_EQ(sh->depth + 1, r->value[V_LEVELS]) TH_LOG("%s", sh->name);
		self->outer[i] = r->other[0];
		/* What it sees of itself. */
		EXPECT_EQ(own, r->value[V_TID]) TH_LOG("%s", sh->name);
		EXPECT_EQ(sh->thread ? k->roles[sh->parent].nspid[sh->depth - 1] :
			  own, r->pid) TH_LOG("%s", sh->name);
		EXPECT_EQ(ppid, r->ppid) TH_LOG("%s", sh->name);
		for (l = 0; l < sh->depth; l++) {
			EXPECT_EQ(sh->nspid[l], r->other[l + 1])
				TH_LOG("%s, level %d", sh->name, l + 1);
		}
	}
	ASSERT_EQ(pid, self->outer[0]);
}

/* Let the tree go; check its end reports and the end of the root. */
static void release_tree(struct __test_metadata *_metadata,
			 struct _test_data_pidns *self,
			 const struct tree_kind *k)
{
	int base = k->roles[0].depth, i, l, st;
	struct report end[NR_ROLES];
	char bytes[NR_ROLES];

	memset(end, 0, sizeof(end));
	for (i = 0; i < NR_ROLES; i++)
		end[i].role = -1;
	memset(bytes, 'x', sizeof(bytes));
	ASSERT_EQ(k->nr_ctl, write(self->ctl, bytes, k->nr_ctl));
	ASSERT_EQ(0, read_reports(self->res, end, NR_ROLES, k->nr_final, 1))
		TH_LOG("the tree did not report its end");
	for (i = 0; i < NR_ROLES; i++) {
		if (end[i].role != i)
			continue;
		EXPECT_EQ(0, end[i].err)
			TH_LOG("role %d failed: %s", i, step_name(end[i].err));
		/* They are gone, or about to be. */
		if (i >= k->nr_roles)
			self->outer[i] = end[i].other[0];
	}

	/* As each saw itself at its set-up, whatever happened in between. */
	for (i = 0; i < k->nr_roles; i++) {
		const struct report *a = &self->setup[i], *b = &end[i];
		const char *name = k->roles[i].name;

		if (k->roles[i].waits == W_ZOMBIE)
			continue;
		ASSERT_EQ(i, b->role) TH_LOG("no end report of %s", name);
		EXPECT_EQ(a->pid, b->pid) TH_LOG("%s", name);
		EXPECT_EQ(a->value[V_TID], b->value[V_TID]) TH_LOG("%s", name);
		EXPECT_EQ(a->ppid, b->ppid) TH_LOG("%s", name);
		EXPECT_EQ(a->pgid, b->pgid) TH_LOG("%s", name);
		EXPECT_EQ(a->sid, b->sid) TH_LOG("%s", name);
		ASSERT_EQ(a->value[V_LEVELS], b->value[V_LEVELS]) TH_LOG("%s", name);
		for (l = base; l < a->value[V_LEVELS]; l++) {
			EXPECT_EQ(a->other[l], b->other[l])
				TH_LOG("%s, level %d", name, l);
		}
	}
	k->check_end(_metadata, self->setup, end);

	if (self->helper > 0) {
		ASSERT_EQ(0, wait_timed(self->helper, &st))
			TH_LOG("the helper does not exit");
		self->helper = -1;
		EXPECT_EQ(0, st);
		ASSERT_TRUE(self->out->reaped) TH_LOG("the helper did not reap the root");
		st = self->out->status;
	} else {
		ASSERT_EQ(0, wait_timed(self->root, &st)) TH_LOG("the root does not exit");
	}
	self->root = -1;
	EXPECT_EQ((10 + 0) << 8, st) TH_LOG("the root's end");
	tree_gone(_metadata, self);
}

static void __noreturn restart_helper(struct helper_out *out, int imgfd,
				      int notify)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWPID))
		helper_failed(out, "unshare(CLONE_NEWPID)");
	else
		helper_restart(out, 0, imgfd, 0);
	helper_exit(out, notify);
}

/*
 * Restart the image from a helper in a new pid namespace, which the
 * root, pid 1 of its own, is the init of.  Returns the root's pid.
 */
static pid_t restart_in_new_pidns(struct __test_metadata *_metadata,
				  struct _test_data_pidns *self)
{
	int notify[2], fd, err;
	pid_t pid;
	char c;

	memset(self->out, 0, sizeof(*self->out));
	fd = image_memfd(&self->img);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe2(notify, O_CLOEXEC));
	open_pipes(_metadata, &self->ctl, &self->res);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(notify[0]);
		close(self->ctl);
		close(self->res);
		restart_helper(self->out, fd, notify[1]);
	}
	self->helper = pid;
	close(notify[1]);
	close(fd);
	close(CTL_FD);
	close(RES_FD);
	err = read_timed(notify[0], &c, 1);
	close(notify[0]);
	ASSERT_EQ(0, err) TH_LOG("restart(2) does not return: %s", strerror(-err));
	ASSERT_LT(0, self->out->ret)
		TH_LOG("restart: %s; log: %s", strerror(-self->out->ret),
		       self->out->log);
	return self->out->ret;
}

/* Checkpoint with CHECKPOINT_KILL done: wait until every pid is free. */
static void tree_killed(struct __test_metadata *_metadata,
			struct _test_data_pidns *self)
{
	int st;

	ASSERT_EQ(0, wait_timed(self->root, &st)) TH_LOG("the killed root stays");
	self->root = -1;
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	tree_gone(_metadata, self);
}

TEST_F_TIMEOUT(pidns, restored, 240)
{
	const struct tree_kind *k = variant->kind;
	struct task_view now[NR_ROLES];
	pid_t found[NR_ROLES];
	struct ckpt_image again;
	int i, round;
	long ret;

	start_tree(_metadata, self, k);
	/* Found from outside where they say they are. */
	find_outer(_metadata, k, self->root, found);
	for (i = 0; i < k->nr_roles; i++) {
		EXPECT_EQ(self->outer[i], found[i])
			TH_LOG("%s", k->roles[i].name);
	}
	wait_in_place(_metadata, k, self->outer);
	take_views(_metadata, k, self->outer, self->before);
	check_views(_metadata, k, self->before);

	if (!variant->restarts) {
		ret = checkpoint_timed(self->root, 0, &self->img, self->log,
				       sizeof(self->log));
		ASSERT_LT(0, ret)
			TH_LOG("checkpoint: %s; log: %s", strerror(-ret), self->log);
		check_image(_metadata, k, &self->img, self->before);
		/* Nothing changed, and they go on. */
		wait_in_place(_metadata, k, self->outer);
		take_views(_metadata, k, self->outer, now);
		compare_views(_metadata, k, self->before, now);
		release_tree(_metadata, self, k);
		return;
	}

	ret = checkpoint_timed(self->root, CHECKPOINT_KILL, &self->img, self->log,
			       sizeof(self->log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s; log: %s", strerror(-ret), self->log);
	check_image(_metadata, k, &self->img, self->before);
	tree_killed(_metadata, self);

	for (round = 0; round < variant->restarts; round++) {
		pid_t root;

		if (k->root_newpid) {
			root = restart_in_new_pidns(_metadata, self);
			self->root = root;
		} else {
			ret = restart_timed(&self->img, &self->ctl, &self->res,
					    self->log, sizeof(self->log));
			if (ret > 0)
				self->root = ret;
			ASSERT_EQ(self->before[0].outer, ret)
				TH_LOG("restart %d: %s; log: %s", round + 1,
				       ret < 0 ? strerror(-ret) : "another pid",
				       self->log);
			root = ret;
		}
		find_outer(_metadata, k, root, found);
		memcpy(self->outer, found, k->nr_roles * sizeof(found[0]));
		wait_in_place(_metadata, k, self->outer);
		take_views(_metadata, k, self->outer, now);
		check_views(_metadata, k, now);
		compare_views(_metadata, k, self->before, now);
		for (i = 0; !k->root_newpid && i < k->nr_roles; i++) {
			EXPECT_EQ(self->before[i].outer, now[i].outer)
				TH_LOG("restart %d: %s", round + 1,
				       k->roles[i].name);
		}

		/* Checkpointed again, the restored tree is the same. */
		if (!round) {
			memset(&again, 0, sizeof(again));
			ret = checkpoint_timed(root, 0, &again, self->log,
					       sizeof(self->log));
			ASSERT_LT(0, ret)
				TH_LOG("checkpoint of the restored tree: %s; log: %s",
				       strerror(-ret), self->log);
			check_image(_metadata, k, &again, now);
			image_free(&again);
			wait_in_place(_metadata, k, self->outer);
		}
		release_tree(_metadata, self, k);
	}
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */

FIXTURE(refused)
{
	pid_t root;
	pid_t outer[NR_ROLES];	/* our pids of the tasks, 0 for none */
	struct report setup[NR_ROLES];
	int ctl, res;
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(refused)
{
	const char *why;

	memset(&self->img, 0, sizeof(self->img));
	memset(self->outer, 0, sizeof(self->outer));
	self->root = -1;
	self->ctl = -1;
	self->res = -1;
	why = prepare();
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

/* See FIXTURE_TEARDOWN_PARENT(pidns). */
FIXTURE_TEARDOWN_PARENT(refused)
{
	pid_t left[NR_ROLES + 1];

	memcpy(left, self->outer, sizeof(self->outer));
	left[NR_ROLES] = self->root;
	kill_all(left, NR_ROLES + 1);
}

/* Read @nr set-up reports; wait until those tasks are in read(). */
static void refused_reports(struct __test_metadata *_metadata,
			    struct _test_data_refused *self, int nr)
{
	struct report r[NR_ROLES];
	int i;

	for (i = 0; i < NR_ROLES; i++)
		r[i].role = -1;
	ASSERT_EQ(0, read_reports(self->res, r, NR_ROLES, nr, 0))
		TH_LOG("the tasks did not report their set-up");
	for (i = 0; i < NR_ROLES; i++) {
		if (r[i].role != i)
			continue;
		ASSERT_EQ(0, r[i].err)
			TH_LOG("set-up of role %d failed: %s", i, step_name(r[i].err));
		self->setup[i] = r[i];
		self->outer[i] = r[i].other[0];
		ASSERT_EQ(0, wait_in_read(self->outer[i]))
			TH_LOG("role %d (pid %d) does not wait in read()", i,
			       self->outer[i]);
	}
}

/* Fork the root to run @fn; return once @nr tasks reported. */
static void refused_start(struct __test_metadata *_metadata,
			  struct _test_data_refused *self, void (*fn)(void),
			  int nr)
{
	pid_t pid;

	open_pipes(_metadata, &self->ctl, &self->res);
	pid = fork_tasks(self->ctl, self->res);
	ASSERT_LE(0, pid);
	if (!pid) {
		die_with_parent();
		fn();
		_exit(99);
	}
	self->root = pid;
	refused_reports(_metadata, self, nr);
	ASSERT_EQ(pid, self->outer[0]);
}

/*
 * checkpoint(2) of @pid with @flags | CHECKPOINT_KILL is refused with
 * EOPNOTSUPP and a message that names one of @a and @b; the first @nr
 * tasks still wait in read(), where they were.
 */
static void refused_checkpoint(struct __test_metadata *_metadata,
			       struct _test_data_refused *self, pid_t pid,
			       unsigned long flags, pid_t a, pid_t b, int nr)
{
	long ret;
	int i;

	ret = checkpoint_timed(pid, flags | CHECKPOINT_KILL, NULL, self->log,
			       sizeof(self->log));
	EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("log: %s", self->log);
	EXPECT_NE('\0', self->log[0]) TH_LOG("no message on the log");
	EXPECT_TRUE(log_has_number(self->log, a) || log_has_number(self->log, b))
		TH_LOG("neither %d nor %d in: %s", a, b, self->log);
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, wait_in_read(self->outer[i]))
			TH_LOG("role %d (pid %d) was disturbed", i, self->outer[i]);
	}
}

/*
 * Checkpoint @pid with @flags: its image has one nested namespace,
 * whose init is @init; the root's children go to namespace @children.
 */
static void checkpoint_one_pidns(struct __test_metadata *_metadata,
				 struct _test_data_refused *self, pid_t pid,
				 unsigned long flags, pid_t init, __u32 children)
{
	const struct ckpt_task_pidns *tp;
	const struct ckpt_hdr_pidns *h;
	const struct ckpt_hdr_tree *tree;
	const struct ckpt_pidns *ns;
	const struct ckpt_pids *p;
	long ret;

	ret = checkpoint_timed(pid, flags, &self->img, self->log, sizeof(self->log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s; log: %s", strerror(-ret), self->log);
	tree = image_tree(&self->img);
	p = image_pids(&self->img);
	h = image_rec(&self->img, CKPT_HDR_PIDNS, 0);
	ASSERT_NE(NULL, tree);
	ASSERT_NE(NULL, h) TH_LOG("no pid namespace record");
	ASSERT_EQ(1, h->nr_ns);
	ns = (const void *)(h + 1);
	tp = (const void *)(ns + 1);
	EXPECT_EQ(0, ns[0].parent);
	ASSERT_LT(ns[0].init, tree->nr_tasks);
	EXPECT_EQ(init, p[ns[0].init].pid);
	EXPECT_EQ(1, tp[ns[0].init].ns);
	EXPECT_EQ(0, tp[0].ns);
	EXPECT_EQ(children, tp[0].children);
	image_free(&self->img);
}

/* Let the tasks go; @nr_ctl wait for a byte, @nr report their end. */
static void refused_release(struct __test_metadata *_metadata,
			    struct _test_data_refused *self, int nr_ctl, int nr)
{
	struct report end[NR_ROLES];
	int i, st;

	for (i = 0; i < NR_ROLES; i++)
		end[i].role = -1;
	ASSERT_EQ(nr_ctl, write(self->ctl, "xxxxxxxx", nr_ctl));
	ASSERT_EQ(0, read_reports(self->res, end, NR_ROLES, nr, 1))
		TH_LOG("the tasks did not report their end");
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(i, end[i].role) TH_LOG("no end report of role %d", i);
		EXPECT_EQ(0, end[i].err)
			TH_LOG("role %d failed: %s", i, step_name(end[i].err));
	}
	for (i = 1; i < nr; i++) {
		EXPECT_EQ((10 + i) << 8, end[0].status[i - 1])
			TH_LOG("role %d", i);
	}
	ASSERT_EQ(0, wait_timed(self->root, &st)) TH_LOG("the root does not exit");
	self->root = -1;
	EXPECT_EQ(10 << 8, st);
	for (i = 0; i < NR_ROLES; i++) {
		if (self->outer[i] > 0)
			ASSERT_EQ(0, wait_gone(self->outer[i]));
		self->outer[i] = 0;
	}
	close_ctl_res(&self->ctl, &self->res);
}

/* Role 1, a plain_child() let go on CTL_FD. */
static void __noreturn plain_one(void)
{
	plain_child(1, -1);
}

/* Unshares its pid namespace; forks its init once let go. */
static void __noreturn unshared_alone(void)
{
	struct report r = { .role = 0 };
	pid_t i;

	if (unshare(CLONE_NEWPID))
		r.err = STEP_SETUP;
	ns_set_up(&r);
	i = spawn(plain_one, false);
	if (i < 0)
		r.err = STEP_SETUP;
	wait_byte(&r);
	wait_child(i, &r, 0);
	finish(&r);
}

TEST_F_TIMEOUT(refused, unshare_without_fork, 120)
{
	unsigned long scopes[] = { CHECKPOINT_SCOPE_TREE, CHECKPOINT_SCOPE_TASK };
	char path[2][64];
	pid_t r;
	int i;

	refused_start(_metadata, self, unshared_alone, 1);
	r = self->root;
	for (i = 0; i < 2; i++)
		refused_checkpoint(_metadata, self, r, scopes[i], r, r, 1);
	/* Its children still go to a namespace of their own. */
	snprintf(path[0], sizeof(path[0]), "/proc/%d/ns/pid", r);
	snprintf(path[1], sizeof(path[1]), "/proc/%d/ns/pid_for_children", r);
	EXPECT_NE(ns_ino(path[0]), ns_ino(path[1]));

	/* Once it forked the init of its namespace, it is saved. */
	ASSERT_EQ(1, write(self->ctl, "x", 1));
	refused_reports(_metadata, self, 1);
	EXPECT_EQ(1, self->setup[1].pid);
	ASSERT_EQ(0, wait_in_read(r));
	checkpoint_one_pidns(_metadata, self, r, 0, self->outer[1], 1);
	refused_release(_metadata, self, 2, 2);
}

/* Unshares its pid namespace and forks its init, I. */
static void __noreturn unsharing_parent(void)
{
	struct report r = { .role = 0 };
	pid_t i = -1;

	if (!unshare(CLONE_NEWPID))
		i = spawn(plain_one, false);
	parent_of(&r, i);
}

TEST_F_TIMEOUT(refused, init_not_saved, 120)
{
	pid_t r, i;

	refused_start(_metadata, self, unsharing_parent, 2);
	r = self->root;
	i = self->outer[1];
	refused_checkpoint(_metadata, self, r, CHECKPOINT_SCOPE_TASK, r, i, 2);
	/* With its child, the init, it is saved. */
	checkpoint_one_pidns(_metadata, self, r, CHECKPOINT_SCOPE_TREE, i, 1);
	refused_release(_metadata, self, 2, 2);
}

static int x_pipe[2];		/* R to X: "you may go" */

/*
 * Forks X, the leader of a group; once let go, makes I with
 * clone(CLONE_NEWPID) and puts it in X's group.
 */
static void __noreturn group_parent(void)
{
	struct report r = { .role = 0 };
	pid_t x, i;

	if (pipe(x_pipe))
		_exit(91);
	x = fork();
	if (!x) {
		close(x_pipe[1]);
		if (setpgid(0, 0))
			_exit(92);
		plain_child(1, x_pipe[0]);
	}
	close(x_pipe[0]);
	/* Both of us set it: the group is there before we go on. */
	if (x < 0 || setpgid(x, x))
		r.err = STEP_PGRP;
	ns_set_up(&r);
	i = clone_newpid();
	if (!i)
		plain_child(2, -1);
	if (i < 0 || setpgid(i, x))
		r.err = STEP_PGRP;
	wait_byte(&r);
	send_byte(&r, x_pipe[1], 'x');
	wait_child(x, &r, 0);
	wait_child(i, &r, 1);
	finish(&r);
}

TEST_F_TIMEOUT(refused, init_parent_not_saved, 120)
{
	pid_t r, x, i;

	refused_start(_metadata, self, group_parent, 2);
	r = self->root;
	x = self->outer[1];
	/* X alone in its group is saved, without its parent. */
	EXPECT_LT(0, checkpoint_timed(x, CHECKPOINT_SCOPE_PGRP, NULL, self->log,
				      sizeof(self->log)))
		TH_LOG("log: %s", self->log);

	/* Not once I, whose parent R is not in the group, is in it. */
	ASSERT_EQ(1, write(self->ctl, "x", 1));
	refused_reports(_metadata, self, 1);
	i = self->outer[2];
	ASSERT_EQ(0, wait_in_read(r));
	ASSERT_EQ(x, getpgid(i));
	refused_checkpoint(_metadata, self, x, CHECKPOINT_SCOPE_PGRP, i, r, 3);
	/* The tree of R is saved. */
	checkpoint_one_pidns(_metadata, self, r, CHECKPOINT_SCOPE_TREE, i, 0);
	refused_release(_metadata, self, 2, 3);
}

/* The log of the last checkpoint says @what. */
static void log_says(struct __test_metadata *_metadata,
		     struct _test_data_refused *self, const char *what)
{
	EXPECT_NE(NULL, strstr(self->log, what))
		TH_LOG("\"%s\" not in the log: %s", what, self->log);
}

/* Makes I with clone(CLONE_NEWPID), which forks nothing and waits. */
static void __noreturn newpid_parent(void)
{
	struct report r = { .role = 0 };

	parent_of(&r, spawn(plain_one, true));
}

/*
 * X, which we fork: joins the pid namespace of @init with setns(2) and
 * forks Y there, which waits for a byte from X.  X sends us Y's pid on
 * @back; on a byte of @cmd, it lets Y go, reaps it and sends us its
 * wait status; it exits at the end of @cmd.
 */
static void __noreturn joiner(pid_t init, int cmd, int back)
{
	int ns, y_pipe[2], st = -1;
	char path[64], c;
	pid_t y;

	die_with_parent();
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0 || setns(ns, CLONE_NEWPID) || pipe(y_pipe))
		_exit(91);
	close(ns);
	y = fork();
	if (!y) {
		close(y_pipe[1]);
		close(cmd);
		close(back);
		die_with_parent();
		_exit(read(y_pipe[0], &c, 1) == 1 ? 7 : 92);
	}
	close(y_pipe[0]);
	if (y < 0 || write(back, &y, sizeof(y)) != sizeof(y))
		_exit(93);
	if (read(cmd, &c, 1) != 1 || write(y_pipe[1], "y", 1) != 1 ||
	    waitpid(y, &st, 0) != y || write(back, &st, sizeof(st)) != sizeof(st))
		_exit(94);
	_exit(read(cmd, &c, 1) ? 95 : 0);
}

TEST_F_TIMEOUT(refused, setns_joined, 120)
{
	int cmd[2], back[2], st = -1;
	char path[2][64];
	struct proc_status s;
	pid_t r, i, x, y = -1;

	refused_start(_metadata, self, newpid_parent, 2);
	r = self->root;
	i = self->outer[1];

	/* X, not of R's tree, joins I's namespace and forks Y, 2 there. */
	ASSERT_EQ(0, pipe2(cmd, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(back, O_CLOEXEC));
	fflush(stdout);
	fflush(stderr);
	x = fork();
	ASSERT_LE(0, x);
	if (!x) {
		close(self->ctl);
		close(self->res);
		close(cmd[1]);
		close(back[0]);
		joiner(i, cmd[0], back[1]);
	}
	self->outer[2] = x;
	close(cmd[0]);
	close(back[1]);
	ASSERT_EQ(0, read_timed(back[0], &y, sizeof(y))) TH_LOG("X forked no Y");
	ASSERT_LT(0, y);
	self->outer[3] = y;
	ASSERT_EQ(0, wait_in_read(x));
	ASSERT_EQ(0, wait_in_read(y));
	snprintf(path[0], sizeof(path[0]), "/proc/%d/status", y);
	ASSERT_EQ(2, status_read(path[0], &s));
	EXPECT_EQ(2, s.nspid[1]);
	EXPECT_EQ(x, s.ppid);
	snprintf(path[0], sizeof(path[0]), "/proc/%d/ns/pid", i);
	snprintf(path[1], sizeof(path[1]), "/proc/%d/ns/pid", y);
	EXPECT_EQ(ns_ino(path[0]), ns_ino(path[1]));

	refused_checkpoint(_metadata, self, r, CHECKPOINT_SCOPE_TREE, i, i, 2);
	log_says(_metadata, self, "has tasks that are not saved");
	ASSERT_EQ(0, wait_in_read(x)) TH_LOG("X (pid %d) was disturbed", x);
	ASSERT_EQ(0, wait_in_read(y)) TH_LOG("Y (pid %d) was disturbed", y);

	/* Once Y exited and X reaped it, the namespace is saved whole. */
	ASSERT_EQ(1, write(cmd[1], "x", 1));
	ASSERT_EQ(0, read_timed(back[0], &st, sizeof(st))) TH_LOG("X did not reap Y");
	EXPECT_EQ(7 << 8, st);
	ASSERT_EQ(0, wait_gone(y));
	self->outer[3] = 0;
	ASSERT_EQ(0, wait_in_read(x));
	/* X's children would still go there: X is not of the tree. */
	checkpoint_one_pidns(_metadata, self, r, CHECKPOINT_SCOPE_TREE, i, 0);

	close(cmd[1]);
	ASSERT_EQ(0, wait_timed(x, &st)) TH_LOG("X does not exit");
	self->outer[2] = 0;
	EXPECT_EQ(0, st);
	close(back[0]);
	refused_release(_metadata, self, 2, 2);
}

static int m_pipe[2];		/* I to M: "lead your group", then "go" */
static int r_pipe[2];		/* I to R: "you may go" */

/*
 * M, forked by L into L's group: once L exited and M is I's, reports
 * (pid 3, group 2 in I's namespace); on I's first byte leads a group of
 * its own and reports again; exits on the second, unreported.  No
 * PR_SET_PDEATHSIG: its parent exits; I's namespace takes it with it.
 */
static void __noreturn group_orphan(void)
{
	struct report r = { .role = 2 };

	close(m_pipe[1]);
	close(r_pipe[1]);
	wait_reparented(&r);
	report_set_up(&r);
	wait_on(m_pipe[0], &r);
	if (setpgid(0, 0) && !r.err)
		r.err = STEP_PGRP;
	report_set_up(&r);
	wait_on(m_pipe[0], &r);
	_exit(r.err ? 99 : 10 + r.role);
}

/* L: leads a group of its own, forks M into it and exits. */
static void __noreturn group_leader(void)
{
	pid_t m;

	if (setpgid(0, 0))
		_exit(91);
	m = spawn(group_orphan, false);
	_exit(m < 0 ? 92 : 0);
}

/*
 * I, the only task that waits on CTL_FD: forks L and reaps it, M coming
 * to it.  On our first byte it has M lead its group; on the second it
 * lets M go, reaps it (status[0]), and lets R go.
 */
static void __noreturn group_init(void)
{
	struct report r = { .role = 1 };
	pid_t l, m;
	int st = -1;

	die_with_parent();
	close(r_pipe[0]);
	if (pipe(m_pipe))
		_exit(91);
	l = spawn(group_leader, false);
	close(m_pipe[0]);
	if (l < 0 || waitpid(l, &st, 0) != l || st)
		r.err = STEP_SETUP;
	ns_set_up(&r);
	send_byte(&r, m_pipe[1], 'p');
	wait_byte(&r);
	send_byte(&r, m_pipe[1], 'x');
	/* M, its only child */
	st = -1;
	m = waitpid(-1, &st, 0);
	r.status[0] = st;
	if ((m <= 0 || st != (10 + 2) << 8) && !r.err)
		r.err = STEP_WAIT;
	send_byte(&r, r_pipe[1], 'x');
	finish(&r);
}

/* R: makes I with clone(CLONE_NEWPID); goes once I says so. */
static void __noreturn group_newpid_parent(void)
{
	struct report r = { .role = 0 };
	pid_t i;

	if (pipe(r_pipe))
		_exit(91);
	i = spawn(group_init, true);
	close(r_pipe[1]);
	parent_set_up(&r, i, r_pipe[0]);
	finish(&r);
}

TEST_F_TIMEOUT(refused, nested_group_leader_exited, 120)
{
	pid_t r, i, m;

	refused_start(_metadata, self, group_newpid_parent, 3);
	r = self->root;
	i = self->outer[1];
	m = self->outer[2];
	/* M, 3 in I's namespace, is I's, in the group of L (2), gone. */
	EXPECT_EQ(3, self->setup[2].pid);
	EXPECT_EQ(1, self->setup[2].ppid);
	EXPECT_EQ(2, self->setup[2].pgid);
	EXPECT_NE(m, getpgid(m));

	refused_checkpoint(_metadata, self, r, CHECKPOINT_SCOPE_TREE, m, m, 3);
	log_says(_metadata, self,
		 "nested pid namespace and in a group or session whose leader exited");

	/* Once M leads a group of its own, the tree is saved. */
	ASSERT_EQ(1, write(self->ctl, "x", 1));
	refused_reports(_metadata, self, 1);
	EXPECT_EQ(self->setup[2].pid, self->setup[2].pgid);
	EXPECT_EQ(m, getpgid(m));
	ASSERT_EQ(0, wait_in_read(i));
	checkpoint_one_pidns(_metadata, self, r, CHECKPOINT_SCOPE_TREE, i, 0);
	refused_release(_metadata, self, 1, 2);
}

static int let_go[2];		/* R to I and A: "you may go", a byte each */
static int told[2];		/* A to R: A's pid, as R sees it */

/* A, I's child: tells R its pid, reports, exits when let go, unreported. */
static void __noreturn told_child(void)
{
	struct report r = { .role = 2 };
	pid_t outer;

	fill_ns(&r);
	outer = r.other[0];
	if (write(told[1], &outer, sizeof(outer)) != sizeof(outer))
		r.err = STEP_DATA;
	close(told[1]);
	report_set_up(&r);
	wait_on(let_go[0], &r);
	_exit(r.err ? 99 : 10 + r.role);
}

/* I: forks A; once let go, reaps it (status[0]). */
static void __noreturn pidfd_init(void)
{
	struct report r = { .role = 1 };
	pid_t a;

	die_with_parent();
	close(let_go[1]);
	close(told[0]);
	a = spawn(told_child, false);
	close(told[1]);
	parent_set_up(&r, a, let_go[0]);
	if (r.status[0] != (10 + 2) << 8 && !r.err)
		r.err = STEP_WAIT;
	finish(&r);
}

/*
 * R, the only task that waits on CTL_FD: makes I with clone(CLONE_NEWPID),
 * which forks A, and holds a pidfd of A (value[V_CHILD]: our pid of A).
 * On our first byte it closes the pidfd and reports again; on the
 * second it lets I and A go.
 */
static void __noreturn pidfd_parent(void)
{
	struct report r = { .role = 0 };
	pid_t i, a = -1;
	int fd = -1;

	if (pipe(let_go) || pipe(told))
		_exit(91);
	i = spawn(pidfd_init, true);
	close(let_go[0]);
	close(told[1]);
	if (i < 0 || read(told[0], &a, sizeof(a)) != sizeof(a))
		r.err = STEP_SETUP;
	else
		fd = sys_pidfd_open(a, 0);
	close(told[0]);
	if (fd < 0 && !r.err)
		r.err = STEP_SETUP;
	r.value[V_CHILD] = a;
	ns_set_up(&r);
	close(fd);
	ns_set_up(&r);
	if (write(let_go[1], "xx", 2) != 2 && !r.err)
		r.err = STEP_DATA;
	wait_child(i, &r, 0);
	finish(&r);
}

TEST_F_TIMEOUT(refused, pidfd_of_later_init, 120)
{
	pid_t r, i, a;

	refused_start(_metadata, self, pidfd_parent, 3);
	r = self->root;
	i = self->outer[1];
	a = self->outer[2];
	EXPECT_EQ(a, self->setup[0].value[V_CHILD]);
	EXPECT_EQ(2, self->setup[2].pid);

	/* R's records come before I, whose namespace A is of. */
	refused_checkpoint(_metadata, self, r, CHECKPOINT_SCOPE_TREE, a, r, 3);
	log_says(_metadata, self, "a pidfd of pid");
	log_says(_metadata, self, "in a pid namespace made after pid");

	/* Once R closed it, the tree is saved. */
	ASSERT_EQ(1, write(self->ctl, "x", 1));
	refused_reports(_metadata, self, 1);
	ASSERT_EQ(0, wait_in_read(i));
	ASSERT_EQ(0, wait_in_read(a));
	checkpoint_one_pidns(_metadata, self, r, CHECKPOINT_SCOPE_TREE, i, 0);
	refused_release(_metadata, self, 1, 2);
}

TEST_HARNESS_MAIN
