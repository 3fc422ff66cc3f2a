// SPDX-License-Identifier: GPL-2.0
/*
 * The rights of an unprivileged user (Documentation/checkpoint/
 * syscalls.rst, "Permissions" and "Rights: restart never gives a task
 * more than the caller holds").  The tests run as root and switch, in
 * forked children, to one of two users:
 *
 *   nobody	uid and gid 65534, no supplementary group, no capability;
 *   restorer	the same ids with CAP_CHECKPOINT_RESTORE only, so that it
 *		may choose pids and every other refusal of restart(2) can
 *		be seen; CAP_SYS_MODULE is also out of its bounding set.
 *
 * Each rule is checked by its exact errno and by checking that nothing
 * was created or changed: a refused checkpoint writes no byte and its
 * target runs on undisturbed; a refused restart leaves no task and the
 * saved pid free.
 *
 * - nobody checkpoints its own child, which runs on; it cannot restart
 *   it in its own pid namespace (EPERM: choosing pids needs
 *   CAP_CHECKPOINT_RESTORE), but can in a user and pid namespace of its
 *   own, where the image's init becomes pid 1 again, also when the
 *   init forked a child before it raised its nice value and lowered
 *   its hard limits.
 * - nobody cannot checkpoint (EPERM) another user's process, a process
 *   of its own that is not dumpable (alone or as a grandchild in a
 *   tree), nor set-user-id style processes: saved uid 0, saved gid 0,
 *   or its own ids with capabilities it lacks.
 * - An edited image gains nothing (EPERM): other uids or gids, a
 *   supplementary group, capabilities (permitted, effective,
 *   inheritable, ambient, bounding set) or securebits; a file or a
 *   mapping of a file it cannot open (EACCES), or write (a shared
 *   writable mapping of a read-only file, EACCES).  The image of root's
 *   process cannot be restarted by the restorer (EPERM).
 * - Images hold no kernel address.
 * - Two holes: a stopped task that is continued while its tree is
 *   saved can exec a set-user-id program whose memory and credentials
 *   then go into the image, and restart in a user namespace where
 *   setgroups(2) is denied may drop a supplementary group.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#define NOBODY		65534
#define OTHER_UID	1000
#define CTL		100	/* a target waits for a byte on this fd */
#define RES		101	/* the set-uid holder says it is ready here */
#define DATA_FD		102	/* a target's own file */
#define EXIT_OK		42	/* it got its byte, nothing else happened */
#define EXIT_DISTURBED	43
#define EXIT_BAD_DATA	44
#define WAIT_SECS	60	/* the longest a helper waits for anything */
#define CAP_BIT(c)	(1ULL << (c))
#define SECRET		"ckpt-privilege-secret-5d3a9c71e0"
#define SUID_ARG	"--ckpt-suid-holder"
#define FILE_PAGES	2

/* ------------------------------------------------------------------ */
/* Users                                                               */

static int capget_sets(__u64 *eff, __u64 *prm, __u64 *inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	*eff = d[0].effective | (__u64)d[1].effective << 32;
	*prm = d[0].permitted | (__u64)d[1].permitted << 32;
	*inh = d[0].inheritable | (__u64)d[1].inheritable << 32;
	return 0;
}

static int capset_sets(__u64 caps)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (__u32)caps, (__u32)caps, 0 },
		{ caps >> 32, caps >> 32, 0 },
	};

	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/*
 * Become @uid and @gid, with @groups, keeping exactly @caps (effective
 * and permitted; nothing inheritable or ambient), and dumpable so that
 * our children may be checkpointed.  0 or -errno.
 */
static int become(uid_t uid, gid_t gid, const gid_t *groups, int ngroups,
		  __u64 caps)
{
	__u64 eff = 0, prm = 0, inh = 0;

	if ((caps && prctl(PR_SET_KEEPCAPS, 1)) ||
	    setgroups(ngroups, groups) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	if (capset_sets(caps) || prctl(PR_SET_KEEPCAPS, 0) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) ||
	    prctl(PR_SET_DUMPABLE, 1))
		return -errno;
	if (capget_sets(&eff, &prm, &inh) || eff != caps || prm != caps || inh)
		return -EPERM;
	return 0;
}

static int become_nobody(void)
{
	return become(NOBODY, NOBODY, NULL, 0, 0);
}

/* Needs to run as root: dropping from the bounding set needs CAP_SETPCAP. */
static int become_restorer(void)
{
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_MODULE, 0, 0, 0))
		return -errno;
	return become(NOBODY, NOBODY, NULL, 0, CAP_BIT(CAP_CHECKPOINT_RESTORE));
}

/*
 * What a helper that ran as another user tells the test.  The helpers
 * never use the harness's macros: they fill this in shared memory.
 */
#define NR_CASES	24

struct result {
	int setup;		/* line of the set-up step that failed, or 0 */
	int setup_err;		/* its errno */
	pid_t pid[4];
	long ret[NR_CASES];
	bool ok[NR_CASES];	/* the case's own checks */
	bool clean[NR_CASES];	/* nothing was left behind */
	int status[4];
	char log[NR_CASES][512];
};

/* Record that the set-up of a helper failed at @line with @err; exit. */
static void __noreturn setup_fail(struct result *r, int line, int err)
{
	r->setup = line;
	r->setup_err = err < 0 ? -err : err;
	_exit(1);
}

#define SETUP_FAIL(r, err) setup_fail(r, __LINE__, err)

/* Fork a helper that runs @fn(@r, @arg), and wait for it. */
static int run_helper(void (*fn)(struct result *, void *), struct result *r,
		      void *arg)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(10 * WAIT_SECS);
		fn(r, arg);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -errno;
	return st;
}

#define ASSERT_HELPER(r, st) do {					\
	const struct result *_hr = (r);					\
	int _hst = (st);						\
									\
	ASSERT_EQ(0, _hr->setup)					\
		TH_LOG("helper set-up failed at line %d: %s",		\
		       _hr->setup, strerror(_hr->setup_err));		\
	ASSERT_TRUE(WIFEXITED(_hst) && !WEXITSTATUS(_hst))		\
		TH_LOG("helper ended with status %#x", _hst);		\
} while (0)

/* ------------------------------------------------------------------ */
/* Targets: a child that waits for a byte on CTL                      */

struct target {
	pid_t pid;
	pid_t extra;		/* a grandchild, if its set-up made one */
	int ctl;		/* our end of its CTL pipe */
};

struct target_report {
	int err;
	pid_t extra;
};

typedef int (*setup_fn)(const void *arg, pid_t *extra);

/* Exit EXIT_OK if a byte came and no signal is pending. */
static void __noreturn target_wait(int (*check)(const void *),
				   const void *arg)
{
	sigset_t pending;
	char c;
	ssize_t n;

	n = read(CTL, &c, 1);
	sigpending(&pending);
	if (n != 1 || !sigisemptyset(&pending))
		_exit(EXIT_DISTURBED);
	_exit(check && check(arg) ? EXIT_BAD_DATA : EXIT_OK);
}

/*
 * Fork a target set up by @setup (as the child, before it waits), then
 * wait until it sleeps in read(2) if @wait.  0 or -errno.
 */
static int target_spawn(struct target *t, setup_fn setup, const void *arg,
			int (*check)(const void *), bool wait)
{
	struct target_report rep = { 0 };
	int rp[2], cp[2];
	ssize_t n;

	memset(t, 0, sizeof(*t));
	t->ctl = -1;
	if (pipe2(rp, O_CLOEXEC))
		return -errno;
	if (pipe(cp)) {
		close(rp[0]);
		close(rp[1]);
		return -errno;
	}
	fflush(stdout);
	fflush(stderr);
	t->pid = fork();
	if (t->pid < 0)
		return -errno;
	if (!t->pid) {
		close(rp[0]);
		close(cp[1]);
		if (dup2(cp[0], CTL) != CTL)
			rep.err = errno;
		close(cp[0]);
		if (!rep.err && setup)
			rep.err = setup(arg, &rep.extra);
		/* After the set-up: a change of credentials clears it. */
		if (!rep.err && prctl(PR_SET_PDEATHSIG, SIGKILL))
			rep.err = errno;
		if (write(rp[1], &rep, sizeof(rep)) != sizeof(rep) || rep.err)
			_exit(1);
		close(rp[1]);
		target_wait(check, arg);
	}
	close(rp[1]);
	close(cp[0]);
	t->ctl = cp[1];
	n = read(rp[0], &rep, sizeof(rep));
	close(rp[0]);
	if (n != sizeof(rep) || rep.err) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
		close(t->ctl);
		return n != sizeof(rep) ? -EIO : -rep.err;
	}
	t->extra = rep.extra;
	return wait ? wait_in_read(t->pid) : 0;
}

/* Let it read its byte: its exit code, 128 + signal, or -errno. */
static int target_release(struct target *t)
{
	int st;

	if (write(t->ctl, "x", 1) != 1)
		return -errno;
	close(t->ctl);
	t->ctl = -1;
	if (waitpid(t->pid, &st, 0) != t->pid)
		return -errno;
	t->pid = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void target_kill(struct target *t)
{
	if (t->extra > 0)
		kill(t->extra, SIGKILL);
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
	}
	if (t->ctl >= 0)
		close(t->ctl);
	t->pid = 0;
	t->ctl = -1;
}

/* No child of ours, zombie or not, and @pid is free. */
static bool nothing_left(pid_t pid)
{
	return waitpid(-1, NULL, WNOHANG | __WALL) < 0 && errno == ECHILD &&
	       kill(pid, 0) && errno == ESRCH;
}

/* restart(2) of @img with a pipe at CTL; *ctl gets its write end. */
static long restart_img(const struct ckpt_image *img, int *ctl, char *log,
			size_t size)
{
	return restart_with_pipes(img, CTL, ctl, -1, NULL, log, size, NULL);
}

/* The "Name:" line of /proc/PID/status, after the tab; NULL if none. */
static char *status_field(pid_t pid, const char *name, char *buf, size_t size)
{
	char key[32], *p, *end;

	if (proc_read(pid, "status", buf, size) < 0)
		return NULL;
	snprintf(key, sizeof(key), "\n%s:", name);
	p = strstr(buf, key);
	if (!p)
		return NULL;
	p += strlen(key);
	while (*p == '\t' || *p == ' ')
		p++;
	end = strchr(p, '\n');
	if (end)
		*end = '\0';
	return p;
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

FIXTURE(priv)
{
	char own[64];	/* a file of the unprivileged user, made by it */
	char sec[64];	/* root's, mode 0600: the same length of path */
	char pub[64];	/* root's, mode 0644 */
	char suid[64];	/* a set-user-id root copy of this program */
	struct result *r;
};

static int write_file(const char *path, mode_t mode, char fill)
{
	long psz = sysconf(_SC_PAGESIZE);
	char *buf = malloc(psz);
	int fd, i, err = 0;

	if (!buf)
		return -ENOMEM;
	memset(buf, fill, psz);
	if (fill == 's')
		memcpy(buf, SECRET, sizeof(SECRET));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (i = 0; i < FILE_PAGES && !err; i++)
		if (write(fd, buf, psz) != psz)
			err = -EIO;
	if (!err && fchmod(fd, mode))
		err = -errno;
	close(fd);
	free(buf);
	return err;
}

FIXTURE_SETUP(priv)
{
	int pid = getpid();

	if (geteuid())
		SKIP(return, "needs root to become other users");
	/* Same length, so that a path can be swapped for another in place. */
	snprintf(self->own, sizeof(self->own), "/tmp/ckpt-priv-own.%08d", pid);
	snprintf(self->sec, sizeof(self->sec), "/tmp/ckpt-priv-sec.%08d", pid);
	snprintf(self->pub, sizeof(self->pub), "/tmp/ckpt-priv-pub.%08d", pid);
	snprintf(self->suid, sizeof(self->suid), "/tmp/ckpt-priv-uid.%08d", pid);
	ASSERT_EQ(0, write_file(self->sec, 0600, 's'));
	ASSERT_EQ(0, write_file(self->pub, 0644, 'p'));
	self->r = shared_alloc(sizeof(*self->r));
	ASSERT_NE(NULL, self->r);
	memset(self->r, 0, sizeof(*self->r));
}

FIXTURE_TEARDOWN(priv)
{
	unlink(self->own);
	unlink(self->sec);
	unlink(self->pub);
	unlink(self->suid);
	if (self->r)
		munmap(self->r, sizeof(*self->r));
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
}

/* ------------------------------------------------------------------ */
/* 1. nobody and its own processes                                     */

static void own_checkpoint(struct result *r, void *arg)
{
	struct ckpt_image img = { 0 };
	struct ckpt_hdr_cred *c;
	struct target t;
	int err;

	err = become_nobody();
	if (err)
		SETUP_FAIL(r, err);
	err = target_spawn(&t, NULL, NULL, NULL, true);
	if (err)
		SETUP_FAIL(r, err);
	r->pid[0] = t.pid;
	r->ret[0] = checkpoint_image(t.pid, CHECKPOINT_SCOPE_TREE, &img,
				     r->log[0], sizeof(r->log[0]));
	c = image_rec(&img, CKPT_HDR_CRED, 0);
	r->ok[0] = c && c->uid == NOBODY && c->euid == NOBODY &&
		   c->suid == NOBODY && c->fsuid == NOBODY &&
		   c->gid == NOBODY && !c->ngroups && !c->cap_permitted &&
		   !c->cap_effective && !c->cap_inheritable && !c->cap_ambient;
	r->ret[1] = validate_image(&img, r->log[1], sizeof(r->log[1]));
	/* Held still, not signalled: it reads its byte and exits. */
	r->status[0] = target_release(&t);
	image_free(&img);
}

TEST_F_TIMEOUT(priv, nobody_checkpoints_its_child_which_runs_on, 300)
{
	struct result *r = self->r;
	int st = run_helper(own_checkpoint, r, NULL);

	ASSERT_HELPER(r, st);
	EXPECT_LT(0, r->ret[0]) TH_LOG("log: %s", r->log[0]);
	EXPECT_TRUE(r->ok[0]) TH_LOG("the image's credentials are not nobody's");
	EXPECT_EQ(0, r->ret[1]) TH_LOG("log: %s", r->log[1]);
	EXPECT_EQ(EXIT_OK, r->status[0]);
}

/*
 * Each task is created with its saved pid, as clone3()'s set_tid: the
 * caller needs CAP_CHECKPOINT_RESTORE over its pid namespace.  nobody
 * has not, even for a free pid of its own process.
 */
static void own_restart(struct result *r, void *arg)
{
	struct ckpt_image img = { 0 };
	struct target t;
	int err, ctl;

	err = become_nobody();
	if (err)
		SETUP_FAIL(r, err);
	err = target_spawn(&t, NULL, NULL, NULL, true);
	if (err)
		SETUP_FAIL(r, err);
	r->pid[0] = t.pid;
	r->ret[0] = checkpoint_image(t.pid, CHECKPOINT_SCOPE_TASK | CHECKPOINT_KILL,
				     &img, r->log[0], sizeof(r->log[0]));
	waitpid(t.pid, &r->status[0], 0);
	close(t.ctl);
	r->ret[1] = restart_img(&img, &ctl, r->log[1], sizeof(r->log[1]));
	close(ctl);
	r->clean[1] = nothing_left(t.pid);
	if (r->ret[1] > 0) {
		kill(r->ret[1], SIGKILL);
		waitpid(r->ret[1], NULL, __WALL);
	}
	image_free(&img);
}

TEST_F_TIMEOUT(priv, nobody_cannot_choose_its_pid_back, 300)
{
	struct result *r = self->r;
	int st = run_helper(own_restart, r, NULL);

	ASSERT_HELPER(r, st);
	ASSERT_LT(0, r->ret[0]) TH_LOG("log: %s", r->log[0]);
	EXPECT_TRUE(WIFSIGNALED(r->status[0]) && WTERMSIG(r->status[0]) == SIGKILL);
	EXPECT_EQ(-EPERM, r->ret[1]) TH_LOG("log: %s", r->log[1]);
	EXPECT_NE(NULL, strstr(r->log[1], "CAP_CHECKPOINT_RESTORE"))
		TH_LOG("log: %s", r->log[1]);
	EXPECT_TRUE(r->clean[1]);
}

/*
 * In a user namespace of its own, nobody owns a new pid namespace and
 * may choose pids there: the init of a pid namespace it made comes
 * back as pid 1 of another one, with its memory.
 *
 * S, nobody in user namespace N (uid and gid 65534 mapped to
 * themselves, setgroups denied), makes pid namespace P1 whose init I
 * has a pattern in memory and waits on CTL; S checkpoints I with
 * CHECKPOINT_KILL (as S, or as nobody outside N if @outside).  R, a
 * child of S, unshares pid namespace P2 and restarts the image.
 */
#define NS_PAGES	16

struct ns_args {
	bool outside;		/* nobody checkpoints, from outside N */
	int ngroups;		/* nobody's supplementary groups, if any */
	gid_t groups[2];
	bool edit;		/* and gives the image's cred these instead: */
	int image_ngroups;
	gid_t image_groups[2];
	int lowered;		/* I forks C, then lowers its own attributes */
};

static unsigned char ns_byte(int i)
{
	return i * 29 + 3;
}

static unsigned char *ns_mem;

/*
 * With @lowered: I forks C, then raises its own nice value by
 * NS_NICE_UP and halves its hard limit of open files; C sets its hard
 * limit of open files to three quarters and RLIMIT_NICE to 0.  With
 * NS_LOWER_NICE, C first lowers its nice value to NS_CHILD_NICE (the
 * test gives both an RLIMIT_NICE of NS_NICE_RLIM to allow it), which it
 * could not do again itself; with NS_KEEP_NICE, the test gives neither
 * any RLIMIT_NICE and C keeps the caller's nice value, which it could
 * not get back from I's.  Each must get its own back, though C is
 * created by the restored I.
 */
#define NS_LOWER_NICE	1
#define NS_KEEP_NICE	2
#define NS_NICE_UP	7
#define NS_NICE_RLIM	25
#define NS_CHILD_NICE	(-2)

struct ns_attrs {
	int nice;
	struct rlimit nofile;
	struct rlimit nice_lim;
};

static pid_t ns_child;
static struct ns_attrs ns_own, ns_kid;	/* as set in I and C */

static struct rlimit ns_limit(const struct rlimit *from, rlim_t max)
{
	struct rlimit r = { from->rlim_cur < max ? from->rlim_cur : max, max };

	return r;
}

static int ns_set(const struct ns_attrs *a)
{
	return setpriority(PRIO_PROCESS, 0, a->nice) ||
	       setrlimit(RLIMIT_NICE, &a->nice_lim) ||
	       setrlimit(RLIMIT_NOFILE, &a->nofile) ? errno : 0;
}

static bool ns_has(pid_t pid, const struct ns_attrs *a)
{
	struct rlimit nofile, nice_lim;
	int nice;

	errno = 0;
	nice = getpriority(PRIO_PROCESS, pid);
	if (errno || prlimit(pid, RLIMIT_NOFILE, NULL, &nofile) ||
	    prlimit(pid, RLIMIT_NICE, NULL, &nice_lim))
		return false;
	return nice == a->nice && !memcmp(&nofile, &a->nofile, sizeof(nofile)) &&
	       !memcmp(&nice_lim, &a->nice_lim, sizeof(nice_lim));
}

/* In I: EPERM would be taken for the lack of user namespaces. */
static int ns_lower(int lowered)
{
	struct rlimit nofile, nice_lim;
	unsigned char err;
	int nice, p[2];

	errno = 0;
	nice = getpriority(PRIO_PROCESS, 0);
	if (errno || getrlimit(RLIMIT_NOFILE, &nofile) ||
	    getrlimit(RLIMIT_NICE, &nice_lim) || pipe(p))
		return errno ?: EIO;
	ns_own.nice = nice + NS_NICE_UP < 19 ? nice + NS_NICE_UP : 19;
	ns_own.nofile = ns_limit(&nofile, nofile.rlim_max / 2);
	ns_own.nice_lim = nice_lim;
	ns_kid.nice = lowered == NS_LOWER_NICE ? NS_CHILD_NICE : nice;
	ns_kid.nofile = ns_limit(&nofile, nofile.rlim_max / 4 * 3);
	ns_kid.nice_lim.rlim_cur = 0;
	ns_kid.nice_lim.rlim_max = 0;
	ns_child = fork();
	if (ns_child < 0)
		return errno;
	if (!ns_child) {
		struct rlimit up = { NS_NICE_RLIM, NS_NICE_RLIM };

		if (lowered == NS_LOWER_NICE && setrlimit(RLIMIT_NICE, &up))
			err = errno;
		else
			err = ns_set(&ns_kid);
		if (write(p[1], &err, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &err, 1) != 1)
		err = EIO;
	close(p[0]);
	if (!err)
		err = ns_set(&ns_own);
	return err == EPERM ? EACCES : err;
}

static int ns_check(const void *arg)
{
	const struct ns_args *args = arg;
	long psz = sysconf(_SC_PAGESIZE);
	int i;

	if (getpid() != 1)
		return -1;
	for (i = 0; i < NS_PAGES * psz; i++)
		if (ns_mem[i] != ns_byte(i / psz))
			return -1;
	if (args->lowered && (!ns_has(0, &ns_own) || !ns_has(ns_child, &ns_kid)))
		return -1;
	return 0;
}

static int ns_init_setup(const void *arg, pid_t *extra)
{
	const struct ns_args *args = arg;
	long psz = sysconf(_SC_PAGESIZE);
	int i;

	ns_mem = mmap(NULL, NS_PAGES * psz, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ns_mem == MAP_FAILED)
		return errno;
	for (i = 0; i < NS_PAGES * psz; i++)
		ns_mem[i] = ns_byte(i / psz);
	if (args->lowered && getpid() == 1)
		return ns_lower(args->lowered);
	return getpid() == 1 ? 0 : ESRCH;
}

static int enter_userns(void)
{
	char map[32];

	snprintf(map, sizeof(map), "%d %d 1", NOBODY, NOBODY);
	if (unshare(CLONE_NEWUSER))
		return -errno;
	return write_string("/proc/self/setgroups", "deny") ?:
	       write_string("/proc/self/uid_map", map) ?:
	       write_string("/proc/self/gid_map", map);
}

/* Set the supplementary groups of the image's only cred record. */
static int edit_groups(struct ckpt_image *img, int n, const gid_t *groups)
{
	long off = image_find(img, CKPT_HDR_CRED, 0);
	struct {
		struct ckpt_hdr_cred c;
		__u32 groups[2];
	} rec;
	int i;

	if (off < 0 || image_count(img, CKPT_HDR_CRED) != 1 || n > 2)
		return -ENOENT;
	memcpy(&rec.c, img->buf + off, sizeof(rec.c));
	rec.c.ngroups = n;
	rec.c.h.h.len = sizeof(rec.c) + n * sizeof(__u32);
	for (i = 0; i < n; i++)
		rec.groups[i] = groups[i];
	return image_replace_rec(img, off, &rec, rec.c.h.h.len) ?:
	       image_fix_tail(img);
}

/* Poll @flag in shared memory until it is set or @r records a failure. */
static bool wait_flag(struct result *r, const int *flag)
{
	int i;

	for (i = 0; i < WAIT_SECS * 100 &&
	     !__atomic_load_n(flag, __ATOMIC_RELAXED) && !r->setup; i++)
		usleep(10000);
	return __atomic_load_n(flag, __ATOMIC_RELAXED) && !r->setup;
}

/* Whether the NSpid line ends with pid 1. */
static bool nspid_is_1(const char *nspid)
{
	size_t len = strlen(nspid);

	return len >= 2 && !strcmp(nspid + len - 2, "\t1");
}

static void ns_helper(struct result *r, void *p)
{
	const struct ns_args *args = p;
	struct ckpt_image img = { 0 };
	char buf[2048], *f;
	int err, ctl = -1, st, imgfd;
	struct target t;
	pid_t a, s, rst;

	if (args->lowered) {
		struct rlimit nice_lim = {
			0, args->lowered == NS_LOWER_NICE ? NS_NICE_RLIM : 0
		};

		if (setrlimit(RLIMIT_NICE, &nice_lim))
			SETUP_FAIL(r, errno);
	}
	err = become(NOBODY, NOBODY, args->groups, args->ngroups, 0);
	if (err)
		SETUP_FAIL(r, err);
	/* How the image gets from nobody outside to S. */
	imgfd = memfd_create("ckpt-image", MFD_CLOEXEC);
	if (imgfd < 0)
		SETUP_FAIL(r, errno);
	if (args->outside) {
		fflush(stdout);
		fflush(stderr);
		s = fork();
		if (s < 0)
			SETUP_FAIL(r, errno);
		if (s) {
			/* nobody, outside N: it owns N, and checkpoints I. */
			if (!wait_flag(r, &r->pid[0]) || wait_in_read(r->pid[0])) {
				waitpid(s, NULL, 0);
				if (!r->setup)
					SETUP_FAIL(r, ETIMEDOUT);
				return;
			}
			r->ret[0] = checkpoint_image(r->pid[0],
						     CHECKPOINT_SCOPE_TREE | CHECKPOINT_KILL,
						     &img, r->log[0], sizeof(r->log[0]));
			if (args->edit &&
			    edit_groups(&img, args->image_ngroups,
					args->image_groups))
				r->ret[0] = -ENOENT;
			if (pwrite(imgfd, img.buf, img.len, 0) != (ssize_t)img.len)
				r->ret[0] = -EIO;
			r->status[3] = 1;
			waitpid(s, NULL, 0);
			image_free(&img);
			return;
		}
	}

	/* S, in N */
	err = enter_userns();
	if (err)
		SETUP_FAIL(r, err);
	/* A unshares P1 and forks I, its init, then reaps it. */
	fflush(stdout);
	fflush(stderr);
	a = fork();
	if (a < 0)
		SETUP_FAIL(r, errno);
	if (!a) {
		/* I may hold no deleted file: no memfd. */
		close(imgfd);
		if (unshare(CLONE_NEWPID))
			SETUP_FAIL(r, errno);
		err = target_spawn(&t, ns_init_setup, args, ns_check, false);
		if (err)
			SETUP_FAIL(r, err);
		r->pid[0] = t.pid;
		waitpid(t.pid, &st, 0);
		_exit(0);
	}
	if (!wait_flag(r, &r->pid[0]))
		SETUP_FAIL(r, r->setup_err ?: ETIMEDOUT);
	if (args->outside) {
		if (!wait_flag(r, &r->status[3]) || image_read_fd(&img, imgfd))
			SETUP_FAIL(r, EIO);
	} else {
		if (wait_in_read(r->pid[0]))
			SETUP_FAIL(r, ETIMEDOUT);
		r->ret[0] = checkpoint_image(r->pid[0],
					     CHECKPOINT_SCOPE_TREE | CHECKPOINT_KILL,
					     &img, r->log[0], sizeof(r->log[0]));
	}
	close(imgfd);
	waitpid(a, NULL, 0);
	if (r->ret[0] <= 0)
		return;

	/* R: the restart, into P2. */
	fflush(stdout);
	fflush(stderr);
	rst = fork();
	if (rst < 0)
		SETUP_FAIL(r, errno);
	if (!rst) {
		if (unshare(CLONE_NEWPID))
			SETUP_FAIL(r, errno);
		r->ret[1] = restart_img(&img, &ctl, r->log[1], sizeof(r->log[1]));
		if (r->ret[1] <= 0) {
			r->clean[1] = waitpid(-1, NULL, WNOHANG | __WALL) < 0 &&
				      errno == ECHILD;
			close(ctl);
			_exit(0);
		}
		f = status_field(r->ret[1], "NSpid", buf, sizeof(buf));
		snprintf(r->log[2], sizeof(r->log[2]), "%s", f ?: "?");
		f = status_field(r->ret[1], "Groups", buf, sizeof(buf));
		snprintf(r->log[3], sizeof(r->log[3]), "%s", f ?: "?");
		if (write(ctl, "x", 1) != 1)
			SETUP_FAIL(r, errno);
		close(ctl);
		if (waitpid(r->ret[1], &st, __WALL) == r->ret[1])
			r->status[1] = WIFEXITED(st) ? WEXITSTATUS(st) :
					128 + WTERMSIG(st);
		_exit(0);
	}
	waitpid(rst, &st, 0);
	image_free(&img);
}

/* Run ns_helper with @lowered and check that I came back as pid 1. */
static void restart_in_own_ns(struct __test_metadata *_metadata,
			      struct result *r, int lowered)
{
	struct ns_args args = { .lowered = lowered };
	int st = run_helper(ns_helper, r, &args);

	if (r->setup && r->setup_err == EPERM && !r->pid[0])
		SKIP(return, "no unprivileged user namespaces here");
	ASSERT_HELPER(r, st);
	ASSERT_LT(0, r->ret[0]) TH_LOG("log: %s", r->log[0]);
	ASSERT_LT(0, r->ret[1]) TH_LOG("log: %s", r->log[1]);
	/* NSpid: its pid outside, then 1 in P2. */
	EXPECT_TRUE(nspid_is_1(r->log[2])) TH_LOG("NSpid: %s", r->log[2]);
	EXPECT_EQ(EXIT_OK, r->status[1]);
}

TEST_F_TIMEOUT(priv, nobody_restarts_its_pid_namespace_in_its_user_namespace, 300)
{
	restart_in_own_ns(_metadata, self->r, 0);
}

/*
 * A child forked before its parent raised its nice value and lowered
 * its hard limits comes back with its own, although the restored parent
 * creates it: its limits, policy and nice value are checked from those
 * of a child of the caller, not from those it inherits.
 */
TEST_F_TIMEOUT(priv, nobody_restarts_a_child_with_a_lower_nice_value, 300)
{
	restart_in_own_ns(_metadata, self->r, NS_LOWER_NICE);
}

TEST_F_TIMEOUT(priv, nobody_restarts_a_child_with_the_callers_nice_value, 300)
{
	restart_in_own_ns(_metadata, self->r, NS_KEEP_NICE);
}

/* ------------------------------------------------------------------ */
/* 2. Processes nobody may not checkpoint                              */

static int set_creds(uid_t ruid, uid_t euid, uid_t suid, gid_t rgid,
		     gid_t egid, gid_t sgid, __u64 caps)
{
	if ((caps && prctl(PR_SET_KEEPCAPS, 1)) || setgroups(0, NULL) ||
	    setresgid(rgid, egid, sgid) || setresuid(ruid, euid, suid))
		return errno;
	if (caps && capset_sets(caps))
		return errno;
	/* A change of uid made it non-dumpable: only the ids count here. */
	return prctl(PR_SET_DUMPABLE, 1) ? errno : 0;
}

static int other_user(const void *arg, pid_t *extra)
{
	return set_creds(OTHER_UID, OTHER_UID, OTHER_UID, OTHER_UID,
			 OTHER_UID, OTHER_UID, 0);
}

static int saved_uid_root(const void *arg, pid_t *extra)
{
	return set_creds(NOBODY, NOBODY, 0, NOBODY, NOBODY, NOBODY, 0);
}

static int saved_gid_root(const void *arg, pid_t *extra)
{
	return set_creds(NOBODY, NOBODY, NOBODY, NOBODY, NOBODY, 0, 0);
}

static int nobody_with_caps(const void *arg, pid_t *extra)
{
	return set_creds(NOBODY, NOBODY, NOBODY, NOBODY, NOBODY, NOBODY,
			 CAP_BIT(CAP_NET_RAW));
}

static const struct {
	const char *name;
	setup_fn setup;
} others[] = {
	{ "another user's process", other_user },
	{ "a process with saved uid 0", saved_uid_root },
	{ "a process with saved gid 0", saved_gid_root },
	{ "a process of nobody with CAP_NET_RAW", nobody_with_caps },
};

static void checkpoint_others(struct result *r, void *arg)
{
	const pid_t *pids = arg;
	unsigned int i;
	int err;

	err = become_nobody();
	if (err)
		SETUP_FAIL(r, err);
	for (i = 0; i < ARRAY_SIZE(others); i++) {
		struct ckpt_image img = { 0 };

		r->ret[i] = checkpoint_image(pids[i], CHECKPOINT_SCOPE_TASK,
					     &img, r->log[i], sizeof(r->log[i]));
		/* Refused before the header: not a byte written. */
		r->clean[i] = img.len == 0;
		image_free(&img);
	}
}

TEST_F_TIMEOUT(priv, nobody_cannot_checkpoint_what_it_cannot_ptrace, 300)
{
	struct target t[ARRAY_SIZE(others)];
	pid_t pids[ARRAY_SIZE(others)];
	struct result *r = self->r;
	unsigned int i;
	int st;

	for (i = 0; i < ARRAY_SIZE(others); i++) {
		ASSERT_EQ(0, target_spawn(&t[i], others[i].setup, NULL, NULL, true))
			TH_LOG("%s", others[i].name);
		pids[i] = t[i].pid;
	}
	st = run_helper(checkpoint_others, r, pids);
	ASSERT_HELPER(r, st);
	for (i = 0; i < ARRAY_SIZE(others); i++) {
		EXPECT_EQ(-EPERM, r->ret[i]) TH_LOG("%s", others[i].name);
		EXPECT_TRUE(r->clean[i]) TH_LOG("%s: an image was written",
						others[i].name);
		EXPECT_TRUE(log_has_number(r->log[i], pids[i]) &&
			    strstr(r->log[i], "no permission"))
			TH_LOG("%s: log: %s", others[i].name, r->log[i]);
		/* It was not held, nor signalled. */
		EXPECT_EQ(EXIT_OK, target_release(&t[i])) TH_LOG("%s", others[i].name);
	}
}

static int not_dumpable(const void *arg, pid_t *extra)
{
	return prctl(PR_SET_DUMPABLE, 0) ? errno : 0;
}

/* A dumpable child with a grandchild that is not. */
static int not_dumpable_grandchild(const void *arg, pid_t *extra)
{
	int p[2];
	char c;

	if (pipe(p))
		return errno;
	*extra = fork();
	if (*extra < 0)
		return errno;
	if (!*extra) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (prctl(PR_SET_DUMPABLE, 0) || write(p[1], "g", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	return read(p[0], &c, 1) == 1 ? 0 : EIO;
}

static void checkpoint_not_dumpable(struct result *r, void *arg)
{
	setup_fn setups[] = { not_dumpable, not_dumpable_grandchild };
	unsigned int i;
	int err;

	err = become_nobody();
	if (err)
		SETUP_FAIL(r, err);
	for (i = 0; i < ARRAY_SIZE(setups); i++) {
		struct ckpt_image img = { 0 };
		struct target t;

		/* /proc/PID/syscall of a non-dumpable task is not ours. */
		err = target_spawn(&t, setups[i], NULL, NULL, false);
		if (err)
			SETUP_FAIL(r, err);
		r->pid[i] = t.extra ? t.extra : t.pid;
		r->ret[i] = checkpoint_image(t.pid, CHECKPOINT_SCOPE_TREE, &img,
					     r->log[i], sizeof(r->log[i]));
		r->clean[i] = img.len == 0;
		image_free(&img);
		r->status[i] = target_release(&t);
		if (t.extra > 0) {
			kill(t.extra, SIGKILL);
			t.extra = 0;
		}
	}
}

TEST_F_TIMEOUT(priv, nobody_cannot_checkpoint_a_process_that_is_not_dumpable, 300)
{
	static const char *const what[] = { "the root", "a grandchild" };
	struct result *r = self->r;
	unsigned int i;
	int st;

	st = run_helper(checkpoint_not_dumpable, r, NULL);
	ASSERT_HELPER(r, st);
	for (i = 0; i < ARRAY_SIZE(what); i++) {
		EXPECT_EQ(-EPERM, r->ret[i]) TH_LOG("%s not dumpable", what[i]);
		EXPECT_TRUE(r->clean[i]) TH_LOG("%s: an image was written", what[i]);
		EXPECT_TRUE(log_has_number(r->log[i], r->pid[i]))
			TH_LOG("%s: log: %s", what[i], r->log[i]);
		EXPECT_EQ(EXIT_OK, r->status[i]) TH_LOG("%s", what[i]);
	}
}

/* ------------------------------------------------------------------ */
/* 3. Edited images                                                    */

static struct ckpt_hdr_cred *cred_of(struct ckpt_image *img)
{
	return image_rec(img, CKPT_HDR_CRED, 0);
}

static int add_group(struct ckpt_image *img, gid_t g)
{
	long off = image_find(img, CKPT_HDR_CRED, 0);
	unsigned char buf[sizeof(struct ckpt_hdr_cred) + 8] = { 0 };
	struct ckpt_hdr_cred *c = (void *)buf;

	if (off < 0)
		return -ENOENT;
	memcpy(c, img->buf + off, sizeof(*c));
	if (c->ngroups)
		return -EEXIST;
	c->ngroups = 1;
	c->h.h.len = sizeof(*c) + sizeof(__u32);
	*(__u32 *)(c + 1) = g;
	return image_replace_rec(img, off, buf, CKPT_ALIGN_UP(c->h.h.len)) ?:
	       image_fix_tail(img);
}

enum cred_edit {
	E_UID, E_EUID, E_SUID, E_FSUID, E_UID_OTHER,
	E_GID, E_EGID, E_SGID, E_FSGID, E_GROUP_ROOT, E_GROUP_OWN,
	E_CAP_PERMITTED, E_CAP_EFFECTIVE, E_CAP_INHERITABLE, E_CAP_AMBIENT,
	E_CAP_BSET, E_SECUREBITS, E_NR
};

static const struct {
	const char *name;
	const char *log;	/* what the refusal says */
} cred_edits[E_NR] = {
	[E_UID] = { "uid 0", "uids" },
	[E_EUID] = { "euid 0", "uids" },
	[E_SUID] = { "suid 0", "uids" },
	[E_FSUID] = { "fsuid 0", "uids" },
	[E_UID_OTHER] = { "uid of another user", "uids" },
	[E_GID] = { "gid 0", "gids" },
	[E_EGID] = { "egid 0", "gids" },
	[E_SGID] = { "sgid 0", "gids" },
	[E_FSGID] = { "fsgid 0", "gids" },
	[E_GROUP_ROOT] = { "supplementary group 0", "supplementary groups" },
	[E_GROUP_OWN] = { "its own gid as a supplementary group",
			  "supplementary groups" },
	[E_CAP_PERMITTED] = { "CAP_SYS_ADMIN permitted", "capabilities" },
	[E_CAP_EFFECTIVE] = { "CAP_SYS_ADMIN effective", "capabilities" },
	[E_CAP_INHERITABLE] = { "CAP_SYS_ADMIN inheritable", "capabilities" },
	[E_CAP_AMBIENT] = { "CAP_CHECKPOINT_RESTORE ambient", "capabilities" },
	[E_CAP_BSET] = { "CAP_SYS_MODULE back in the bounding set", "capabilities" },
	[E_SECUREBITS] = { "SECBIT_NOROOT", "securebits" },
};

static int edit_cred(struct ckpt_image *img, int e)
{
	struct ckpt_hdr_cred *c = cred_of(img);

	if (!c)
		return -ENOENT;
	switch (e) {
	case E_UID:
		c->uid = 0;
		break;
	case E_EUID:
		c->euid = 0;
		break;
	case E_SUID:
		c->suid = 0;
		break;
	case E_FSUID:
		c->fsuid = 0;
		break;
	case E_UID_OTHER:
		c->uid = OTHER_UID;
		c->euid = OTHER_UID;
		c->suid = OTHER_UID;
		c->fsuid = OTHER_UID;
		break;
	case E_GID:
		c->gid = 0;
		break;
	case E_EGID:
		c->egid = 0;
		break;
	case E_SGID:
		c->sgid = 0;
		break;
	case E_FSGID:
		c->fsgid = 0;
		break;
	case E_GROUP_ROOT:
		return add_group(img, 0);
	case E_GROUP_OWN:
		return add_group(img, NOBODY);
	case E_CAP_PERMITTED:
		c->cap_permitted |= CAP_BIT(CAP_SYS_ADMIN);
		break;
	case E_CAP_EFFECTIVE:
		c->cap_effective |= CAP_BIT(CAP_SYS_ADMIN);
		break;
	case E_CAP_INHERITABLE:
		c->cap_inheritable |= CAP_BIT(CAP_SYS_ADMIN);
		break;
	case E_CAP_AMBIENT:
		c->cap_ambient |= CAP_BIT(CAP_CHECKPOINT_RESTORE);
		break;
	case E_CAP_BSET:
		c->cap_bset |= CAP_BIT(CAP_SYS_MODULE);
		break;
	case E_SECUREBITS:
		c->securebits |= SECBIT_NOROOT;
		break;
	}
	return 0;
}

/*
 * Restart @img as edited by @edit(@img, @arg), expecting a refusal: the
 * result, its log and whether nothing was left go to case @i of @r.
 */
static void restart_edited(struct result *r, int i, const struct ckpt_image *orig,
			   int (*edit)(struct ckpt_image *, long), long arg,
			   pid_t pid)
{
	struct ckpt_image img = { 0 };
	int ctl;

	if (image_copy(&img, orig) || edit(&img, arg)) {
		r->ret[i] = -ENOTRECOVERABLE;
		image_free(&img);
		return;
	}
	r->ret[i] = restart_img(&img, &ctl, r->log[i], sizeof(r->log[i]));
	close(ctl);
	r->clean[i] = nothing_left(pid);
	if (r->ret[i] > 0) {
		kill(r->ret[i], SIGKILL);
		waitpid(r->ret[i], NULL, __WALL);
	}
	image_free(&img);
}

static int edit_cred_long(struct ckpt_image *img, long e)
{
	return edit_cred(img, e);
}

/* Checkpoint and kill a target of ours; 0 or the failed step's -errno. */
static long checkpoint_and_kill(struct result *r, struct target *t,
				struct ckpt_image *img)
{
	long ret;

	ret = checkpoint_image(t->pid, CHECKPOINT_SCOPE_TASK | CHECKPOINT_KILL,
			       img, r->log[NR_CASES - 1],
			       sizeof(r->log[NR_CASES - 1]));
	waitpid(t->pid, NULL, 0);
	close(t->ctl);
	t->ctl = -1;
	return ret < 0 ? ret : 0;
}

/* The unedited image comes back, with the restorer's rights. */
static void restart_unedited(struct result *r, int i, const struct ckpt_image *img,
			     pid_t pid)
{
	char buf[2048], *f;
	int ctl, st;

	r->ret[i] = restart_img(img, &ctl, r->log[i], sizeof(r->log[i]));
	if (r->ret[i] <= 0) {
		close(ctl);
		return;
	}
	f = status_field(r->ret[i], "Uid", buf, sizeof(buf));
	r->ok[i] = f && !strcmp(f, "65534\t65534\t65534\t65534");
	f = status_field(r->ret[i], "CapEff", buf, sizeof(buf));
	r->ok[i] = r->ok[i] && f && strtoull(f, NULL, 16) ==
				     CAP_BIT(CAP_CHECKPOINT_RESTORE);
	f = status_field(r->ret[i], "Groups", buf, sizeof(buf));
	r->ok[i] = r->ok[i] && f && !*f;
	if (write(ctl, "x", 1) != 1)
		r->ok[i] = false;
	close(ctl);
	if (waitpid(r->ret[i], &st, 0) == r->ret[i])
		r->status[0] = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void restorer_creds(struct result *r, void *arg)
{
	struct ckpt_image img = { 0 };
	struct target t;
	long err;
	int e;

	err = become_restorer();
	if (err)
		SETUP_FAIL(r, err);
	err = target_spawn(&t, NULL, NULL, NULL, true);
	if (err)
		SETUP_FAIL(r, err);
	r->pid[0] = t.pid;
	err = checkpoint_and_kill(r, &t, &img);
	if (err || image_count(&img, CKPT_HDR_CRED) != 1)
		SETUP_FAIL(r, err ?: -EINVAL);
	for (e = 0; e < E_NR; e++)
		restart_edited(r, e, &img, edit_cred_long, e, t.pid);
	restart_unedited(r, E_NR, &img, t.pid);
	image_free(&img);
}

TEST_F_TIMEOUT(priv, edited_credentials_are_refused, 600)
{
	struct result *r = self->r;
	int st = run_helper(restorer_creds, r, NULL), e;

	ASSERT_HELPER(r, st);
	for (e = 0; e < E_NR; e++) {
		EXPECT_EQ(-EPERM, r->ret[e])
			TH_LOG("%s: log: %s", cred_edits[e].name, r->log[e]);
		EXPECT_NE(NULL, strstr(r->log[e], cred_edits[e].log))
			TH_LOG("%s: log: %s", cred_edits[e].name, r->log[e]);
		EXPECT_TRUE(r->clean[e])
			TH_LOG("%s: a task was left behind", cred_edits[e].name);
	}
	/* Unedited, it comes back as it was: the edits are what is refused. */
	EXPECT_EQ(r->pid[0], r->ret[E_NR]) TH_LOG("log: %s", r->log[E_NR]);
	EXPECT_TRUE(r->ok[E_NR]) TH_LOG("restored with other credentials");
	EXPECT_EQ(EXIT_OK, r->status[0]);
}

/* Files: a target with its own file open at DATA_FD and mapped. */
struct file_args {
	const char *own, *sec, *pub;
};

static char *own_map;

static int own_file_setup(const void *arg, pid_t *extra)
{
	const struct file_args *a = arg;
	long psz = sysconf(_SC_PAGESIZE);
	int fd = open(a->own, O_RDONLY);

	if (fd < 0 || dup2(fd, DATA_FD) != DATA_FD)
		return errno;
	close(fd);
	own_map = mmap(NULL, FILE_PAGES * psz, PROT_READ, MAP_PRIVATE,
		       DATA_FD, 0);
	return own_map == MAP_FAILED ? errno : 0;
}

static int own_file_check(const void *arg)
{
	char c;

	return pread(DATA_FD, &c, 1, 0) == 1 && c == 'o' && own_map[0] == 'o' ?
	       0 : -1;
}

enum file_edit { F_FILE, F_FILE_PATH_ONLY, F_VMA, F_VMA_SHARED_WRITE, F_NR };

static const struct {
	const char *name;
	int err;
} file_edits[F_NR] = {
	[F_FILE] = { "a file record naming root's 0600 file", EACCES },
	[F_FILE_PATH_ONLY] = { "only its path changed", ESTALE },
	[F_VMA] = { "a mapping of root's 0600 file", EACCES },
	[F_VMA_SHARED_WRITE] = { "a shared writable mapping of root's 0644 file", EACCES },
};

static __u32 encode_dev(dev_t d)
{
	return (minor(d) & 0xff) | (major(d) << 8) | ((minor(d) & ~0xffU) << 12);
}

static struct file_args *edit_files;

/* The record of @type (FILE or VMA) that names our own file. */
static void *own_record(struct ckpt_image *img, __u32 type, const char *own)
{
	void *h;
	int n;

	for (n = 0; (h = image_rec(img, type, n)); n++) {
		const char *path;

		if (type == CKPT_HDR_FILE) {
			struct ckpt_hdr_file *f = h;

			if (f->kind != CKPT_FILE_REG)
				continue;
			path = (const char *)(f + 1);
		} else {
			struct ckpt_hdr_vma *v = h;

			if (v->kind != CKPT_VMA_FILE)
				continue;
			path = (const char *)(v + 1);
		}
		if (!strcmp(path, own))
			return h;
	}
	return NULL;
}

static int edit_file(struct ckpt_image *img, long e)
{
	const char *to = e == F_VMA_SHARED_WRITE ? edit_files->pub : edit_files->sec;
	__u32 type = e <= F_FILE_PATH_ONLY ? CKPT_HDR_FILE : CKPT_HDR_VMA;
	void *h = own_record(img, type, edit_files->own);
	struct stat st;

	if (!h || stat(to, &st))
		return -ENOENT;
	if (type == CKPT_HDR_FILE) {
		struct ckpt_hdr_file *f = h;

		memcpy(f + 1, to, strlen(to) + 1);
		if (e == F_FILE_PATH_ONLY)
			return 0;
		f->ino = st.st_ino;
		f->dev = encode_dev(st.st_dev);
		f->size = st.st_size;
		f->mtime_sec = st.st_mtim.tv_sec;
		f->mtime_nsec = st.st_mtim.tv_nsec;
	} else {
		struct ckpt_hdr_vma *v = h;

		memcpy(v + 1, to, strlen(to) + 1);
		v->ino = st.st_ino;
		v->dev = encode_dev(st.st_dev);
		v->size = st.st_size;
		v->mtime_sec = st.st_mtim.tv_sec;
		v->mtime_nsec = st.st_mtim.tv_nsec;
		if (e == F_VMA_SHARED_WRITE)
			v->flags |= CKPT_VMA_SHARED | CKPT_VMA_WRITE |
				    CKPT_VMA_MAYWRITE;
	}
	return 0;
}

static void restorer_files(struct result *r, void *arg)
{
	struct ckpt_image img = { 0 };
	struct ckpt_hdr_file *f;
	struct target t;
	struct stat st;
	int e, ctl, st2;
	long err;

	edit_files = arg;
	err = become_restorer();
	if (err)
		SETUP_FAIL(r, err);
	err = write_file(edit_files->own, 0644, 'o');
	if (err)
		SETUP_FAIL(r, err);
	err = target_spawn(&t, own_file_setup, edit_files, own_file_check, true);
	if (err)
		SETUP_FAIL(r, err);
	r->pid[0] = t.pid;
	err = checkpoint_and_kill(r, &t, &img);
	if (err)
		SETUP_FAIL(r, err);
	/* The records to edit, and how the image encodes a device. */
	f = own_record(&img, CKPT_HDR_FILE, edit_files->own);
	if (!f || !own_record(&img, CKPT_HDR_VMA, edit_files->own))
		SETUP_FAIL(r, ENOENT);
	if (stat(edit_files->own, &st) || f->ino != st.st_ino ||
	    f->dev != encode_dev(st.st_dev))
		SETUP_FAIL(r, EINVAL);
	for (e = 0; e < F_NR; e++)
		restart_edited(r, e, &img, edit_file, e, t.pid);
	/* Unedited: it finds its file, by descriptor and mapping. */
	r->ret[F_NR] = restart_img(&img, &ctl, r->log[F_NR], sizeof(r->log[F_NR]));
	if (r->ret[F_NR] > 0 && write(ctl, "x", 1) == 1 &&
	    waitpid(r->ret[F_NR], &st2, 0) == r->ret[F_NR])
		r->status[0] = WIFEXITED(st2) ? WEXITSTATUS(st2) : 128 + WTERMSIG(st2);
	close(ctl);
	image_free(&img);
}

TEST_F_TIMEOUT(priv, files_are_opened_with_the_restarting_users_rights, 600)
{
	struct file_args args = { self->own, self->sec, self->pub };
	struct result *r = self->r;
	int st = run_helper(restorer_files, r, &args), e;

	ASSERT_HELPER(r, st);
	for (e = 0; e < F_NR; e++) {
		const char *path = e == F_VMA_SHARED_WRITE ? self->pub : self->sec;

		EXPECT_EQ(-file_edits[e].err, r->ret[e])
			TH_LOG("%s: log: %s", file_edits[e].name, r->log[e]);
		EXPECT_NE(NULL, strstr(r->log[e], path))
			TH_LOG("%s: log: %s", file_edits[e].name, r->log[e]);
		EXPECT_TRUE(r->clean[e])
			TH_LOG("%s: a task was left behind", file_edits[e].name);
	}
	EXPECT_EQ(r->pid[0], r->ret[F_NR]) TH_LOG("log: %s", r->log[F_NR]);
	EXPECT_EQ(EXIT_OK, r->status[0]);
}

/* 5. The image of root's process is root's to restart. */
static void restorer_roots_image(struct result *r, void *arg)
{
	const struct ckpt_image *img = arg;
	pid_t pid = image_pids(img)->pid;
	int err, ctl;

	err = become_restorer();
	if (err)
		SETUP_FAIL(r, err);
	r->ret[0] = restart_img(img, &ctl, r->log[0], sizeof(r->log[0]));
	close(ctl);
	r->clean[0] = nothing_left(pid);
	if (r->ret[0] > 0) {
		kill(r->ret[0], SIGKILL);
		waitpid(r->ret[0], NULL, __WALL);
	}
}

TEST_F_TIMEOUT(priv, restorer_cannot_restart_roots_process, 300)
{
	struct ckpt_image img = { 0 };
	struct result *r = self->r;
	char log[CKPT_LOG_SIZE];
	struct target t;
	int st;

	ASSERT_EQ(0, target_spawn(&t, NULL, NULL, NULL, true));
	ASSERT_LT(0, checkpoint_image(t.pid, CHECKPOINT_SCOPE_TASK | CHECKPOINT_KILL,
				      &img, log, sizeof(log)))
		TH_LOG("log: %s", log);
	target_kill(&t);
	st = run_helper(restorer_roots_image, r, &img);
	ASSERT_HELPER(r, st);
	EXPECT_EQ(-EPERM, r->ret[0]) TH_LOG("log: %s", r->log[0]);
	EXPECT_NE(NULL, strstr(r->log[0], "are not the caller's"))
		TH_LOG("log: %s", r->log[0]);
	EXPECT_TRUE(r->clean[0]);
	image_free(&img);
}

/* ------------------------------------------------------------------ */
/* 4. No kernel address in an image                                    */

/*
 * Kernel addresses are in the upper half, from 0xff00000000000000 with
 * 5-level paging and 0xffff800000000000 with 4.  Two kinds of values
 * there are numbers, not addresses: the last page below 0 (-1, as
 * RLIM_INFINITY is saved, and small negative errnos), and a 32-bit -1
 * above a small 32-bit field (the exit_signal of a thread, -1, after
 * its real_cred_ref): with 0xffffffff above, kernel addresses (text,
 * modules, fixmap) have their low half at 0x80000000 or above.
 */
#define KERNEL_LOW	0xff00000000000000ULL
#define NOT_KERNEL_HIGH	0xfffffffffffff000ULL

static bool kernel_like(__u64 v)
{
	if (v < KERNEL_LOW || v >= NOT_KERNEL_HIGH)
		return false;
	return (v >> 32) != 0xffffffff || (__u32)v >= 0x80000000;
}

struct skip {
	size_t off, len;
};

/*
 * What is user data, which the user chooses and the kernel copies: the
 * contents of pages, of XSAVE areas and of pipes, the general purpose
 * registers, and bit masks and flags that may hold any high bits
 * (signal masks; sigaction flags, which the C library sign-extends from
 * int: SA_RESETHAND makes them 0xffffffff8...; the sigval of a timer).
 * Returns the number of ranges put in @s.
 */
/* Add the range at @off of @len bytes to @s, if it has room. */
static void skip_add(struct skip *s, int *n, int max, size_t off, size_t len)
{
	if (*n < max) {
		s[*n].off = off;
		s[*n].len = len;
		(*n)++;
	}
}

/* Add the rest of @h from @start to @s, if there is a rest. */
static void skip_from(const struct ckpt_hdr *h, struct skip *s, int *n,
		      int max, size_t start)
{
	if (h->len > start)
		skip_add(s, n, max, start, h->len - start);
}

static int user_data(const struct ckpt_hdr *h, struct skip *s, int max)
{
	int n = 0, i;

	switch (h->type) {
	case CKPT_HDR_PAGES:
		skip_from(h, s, &n, max, sizeof(struct ckpt_hdr_pages));
		break;
	case CKPT_HDR_X86_XSTATE:
		skip_from(h, s, &n, max, sizeof(struct ckpt_hdr_x86_xstate));
		break;
	case CKPT_HDR_PIPE:
		skip_from(h, s, &n, max, sizeof(struct ckpt_hdr_pipe));
		break;
	case CKPT_HDR_X86_REGS:
		if (n < max) {
			s[n].off = offsetof(struct ckpt_hdr_x86_regs, r15);
			s[n++].len = offsetof(struct ckpt_hdr_x86_regs, ip) -
				     offsetof(struct ckpt_hdr_x86_regs, r15);
		}
		break;
	case CKPT_HDR_SIGHAND:
		for (i = 0; i < CKPT_NSIG && n + 2 <= max; i++) {
			size_t a = offsetof(struct ckpt_hdr_sighand, action) +
				   i * sizeof(struct ckpt_sigaction);

			s[n].off = a + offsetof(struct ckpt_sigaction, flags);
			s[n++].len = 8;
			s[n].off = a + offsetof(struct ckpt_sigaction, mask);
			s[n++].len = 8;
		}
		break;
	case CKPT_HDR_TASK_SIGNALS: {
		const struct ckpt_hdr_task_signals *ts = (const void *)h;

		skip_add(s, &n, max, offsetof(typeof(*ts), blocked),
			 sizeof(ts->blocked));
		skip_add(s, &n, max, offsetof(typeof(*ts), saved_sigmask),
			 sizeof(ts->saved_sigmask));
		break;
	}
	case CKPT_HDR_POSIX_TIMERS: {
		const struct ckpt_hdr_posix_timers *pt = (const void *)h;

		for (i = 0; i < (int)pt->nr_timers && n < max; i++) {
			s[n].off = sizeof(*pt) + i * sizeof(struct ckpt_posix_timer) +
				   offsetof(struct ckpt_posix_timer, sigval);
			s[n++].len = 8;
		}
		break;
	}
	}
	return n;
}

/*
 * Offsets in @img of the 8-byte words, 8-byte aligned, outside user
 * data, that look like kernel addresses; returns their number (at most
 * @max are stored).
 */
static int kernel_words(const struct ckpt_image *img, size_t *found, int max)
{
	static struct ckpt_rec recs[CKPT_MAX_RECS];
	struct skip skips[2 * CKPT_NSIG];
	int nr = image_walk(img, recs, CKPT_MAX_RECS), hits = 0, i, k, ns;

	if (nr < 0)
		return -1;
	for (i = 0; i < nr; i++) {
		const struct ckpt_hdr *h = (const void *)(img->buf + recs[i].off);
		size_t end = CKPT_ALIGN_UP((size_t)h->len), o;

		ns = user_data(h, skips, ARRAY_SIZE(skips));
		for (o = sizeof(*h); o + 8 <= end; o += 8) {
			__u64 v;

			for (k = 0; k < ns; k++)
				if (o >= skips[k].off && o < skips[k].off + skips[k].len)
					break;
			if (k < ns)
				continue;
			memcpy(&v, img->buf + recs[i].off + o, 8);
			if (kernel_like(v)) {
				if (hits < max)
					found[hits] = recs[i].off + o;
				hits++;
			}
		}
	}
	return hits;
}

/*
 * A process that holds a bit of everything: a thread, a child asleep in
 * nanosleep(2) (a restart block), a zombie child, a pipe with data whose
 * both ends it holds, files, a directory, handlers, a queued signal, an
 * interval timer and a POSIX timer.
 */
static void *pause_fn(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
}

static int busy_setup(const void *arg, pid_t *extra)
{
	struct sigaction sa = { .sa_sigaction = on_usr1,
				.sa_flags = SA_SIGINFO | SA_RESTART };
	struct itimerspec its = { .it_value = { .tv_sec = 1000 } };
	struct itimerval itv = { .it_value = { .tv_sec = 1000 } };
	struct timespec ts = { .tv_sec = 100000 };
	union sigval v = { .sival_int = 7 };
	siginfo_t si;
	timer_t timer;
	pthread_t th;
	sigset_t set;
	int p[2], fd;
	pid_t z;

	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	if (sigaction(SIGUSR1, &sa, NULL) || sigprocmask(SIG_BLOCK, &set, NULL) ||
	    sigqueue(getpid(), SIGUSR2, v))
		return errno;
	if (pipe(p) || write(p[1], "pipe data", 9) != 9)
		return errno;
	fd = open("/dev/null", O_RDWR);
	if (fd < 0 || open("/tmp", O_RDONLY | O_DIRECTORY) < 0)
		return errno;
	if (timer_create(CLOCK_MONOTONIC, NULL, &timer) ||
	    timer_settime(timer, 0, &its, NULL) ||
	    setitimer(ITIMER_REAL, &itv, NULL))
		return errno;
	if (pthread_create(&th, NULL, pause_fn, NULL)) {
		errno = EAGAIN;
		return errno;
	}
	z = fork();
	if (z < 0)
		return errno;
	if (!z)
		_exit(3);
	if (waitid(P_PID, z, &si, WEXITED | WNOWAIT))
		return errno;
	*extra = fork();
	if (*extra < 0)
		return errno;
	if (!*extra) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		syscall(SYS_nanosleep, &ts, NULL);
		_exit(0);
	}
	return 0;
}

TEST_F_TIMEOUT(priv, images_hold_no_kernel_address, 300)
{
	static const __u32 types[] = {
		CKPT_HDR_TASK, CKPT_HDR_CRED, CKPT_HDR_MM, CKPT_HDR_VMA,
		CKPT_HDR_PAGES, CKPT_HDR_FILE, CKPT_HDR_FILES, CKPT_HDR_FS,
		CKPT_HDR_PIPE, CKPT_HDR_SIGHAND, CKPT_HDR_SIGNAL,
		CKPT_HDR_TASK_SIGNALS, CKPT_HDR_POSIX_TIMERS,
		CKPT_HDR_RESTART_BLOCK, CKPT_HDR_TASK_ATTRS, CKPT_HDR_X86_REGS,
		CKPT_HDR_X86_XSTATE,
	};
	struct ckpt_image img = { 0 }, planted = { 0 };
	struct ckpt_hdr_header *hh;
	char log[CKPT_LOG_SIZE];
	size_t found[16];
	struct target t;
	unsigned int i;
	int n;

	ASSERT_EQ(0, target_spawn(&t, busy_setup, NULL, NULL, true));
	ASSERT_EQ(0, wait_in_syscall(t.extra, __NR_nanosleep));
	ASSERT_LT(0, checkpoint_image(t.pid, CHECKPOINT_SCOPE_TREE, &img, log,
				      sizeof(log)))
		TH_LOG("log: %s", log);
	target_kill(&t);
	for (i = 0; i < ARRAY_SIZE(types); i++)
		EXPECT_LT(0, image_count(&img, types[i]))
			TH_LOG("no record of type %u to look at", types[i]);

	n = kernel_words(&img, found, ARRAY_SIZE(found));
	ASSERT_LE(0, n);
	for (i = 0; i < (unsigned int)n && i < ARRAY_SIZE(found); i++) {
		struct ckpt_rec recs[CKPT_MAX_RECS];
		int nr = image_walk(&img, recs, CKPT_MAX_RECS), k;
		__u64 v;

		memcpy(&v, img.buf + found[i], 8);
		for (k = nr - 1; k > 0 && recs[k].off > found[i]; k--)
			;
		TH_LOG("%#llx at offset %zu, byte %zu of a record of type %u",
		       (unsigned long long)v, found[i], found[i] - recs[k].off,
		       recs[k].type);
	}
	EXPECT_EQ(0, n);

	/* The scan finds what it looks for. */
	ASSERT_EQ(0, image_copy(&planted, &img));
	hh = (struct ckpt_hdr_header *)planted.buf;
	hh->features_optional = 0xffffffff81000000ULL;
	EXPECT_EQ(1, kernel_words(&planted, found, 1));
	EXPECT_EQ(offsetof(struct ckpt_hdr_header, features_optional), found[0]);
	image_free(&planted);
	image_free(&img);
}

/* ------------------------------------------------------------------ */
/* Holes                                                               */

/*
 * The set-user-id copy of this program: with SUID_ARG it reads root's
 * file into its memory, says so on RES and waits on CTL.
 */
static char holder_secret[4096];

static void __attribute__((constructor)) suid_holder(int argc, char **argv)
{
	char c;
	int fd;

	if (argc != 3 || strcmp(argv[1], SUID_ARG))
		return;
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, holder_secret, sizeof(holder_secret)) <= 0)
		_exit(1);
	if (write(RES, "r", 1) != 1)
		_exit(1);
	if (read(CTL, &c, 1) < 0)
		_exit(1);
	_exit(0);
}

static int copy_self(const char *to)
{
	char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out, err = 0;
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (out < 0) {
		close(in);
		return -errno;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			err = -EIO;
	if (n < 0 || fchown(out, 0, 0) || fchmod(out, 04755))
		err = err ?: -errno;
	close(in);
	close(out);
	return err;
}

static bool memmem_found(const struct ckpt_image *img, const char *s)
{
	return !!memmem(img->buf, img->len, s, strlen(s));
}

#define BIG_PAGES	1024	/* the tree's root: 4 MiB to write */

struct suid_args {
	const char *suid, *sec;
};

static void proc_state(pid_t pid, char *state)
{
	char buf[512], *p;

	*state = '?';
	if (proc_read(pid, "stat", buf, sizeof(buf)) <= 0)
		return;
	p = strrchr(buf, ')');
	if (p)
		sscanf(p + 1, " %c", state);
}

/*
 * nobody's tree: A, with 4 MiB of memory, and its child C, stopped.
 * While checkpoint(2) of A's tree is blocked writing A's pages into a
 * full pipe, C is continued and execs the set-user-id program.
 */
static void on_alarm(int sig)
{
}

static const struct sigaction alarm_sa = { .sa_handler = on_alarm };

static void suid_during_checkpoint(struct result *r, void *arg)
{
	const struct suid_args *sa = arg;
	long psz = sysconf(_SC_PAGESIZE);
	struct ckpt_image img = { 0 };
	int ctl[2], res[2], ip[2], err, i, avail;
	pid_t a, c, k;
	char state, ch;
	ssize_t n;

	err = become_nobody();
	if (err)
		SETUP_FAIL(r, err);
	/* The alarm interrupts a wait for the holder, it does not kill us. */
	if (sigaction(SIGALRM, &alarm_sa, NULL))
		SETUP_FAIL(r, errno);
	if (pipe(ctl) || pipe(res))
		SETUP_FAIL(r, errno);
	if (dup2(ctl[0], CTL) != CTL || dup2(res[1], RES) != RES)
		SETUP_FAIL(r, errno);
	close(ctl[0]);
	close(res[1]);
	fflush(stdout);
	fflush(stderr);
	a = fork();
	if (a < 0)
		SETUP_FAIL(r, errno);
	if (!a) {
		unsigned char *big;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(ctl[1]);
		close(res[0]);
		big = mmap(NULL, BIG_PAGES * psz, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (big == MAP_FAILED)
			_exit(1);
		memset(big, 0x5a, BIG_PAGES * psz);
		c = fork();
		if (c < 0)
			_exit(1);
		if (!c) {
			char *const argv[] = { "ckpt-suid", SUID_ARG,
					       (char *)sa->sec, NULL };

			raise(SIGSTOP);
			execv(sa->suid, argv);
			_exit(1);
		}
		r->pid[1] = c;
		for (;;)
			pause();
	}
	r->pid[0] = a;
	close(CTL);
	close(RES);
	for (i = 0; i < WAIT_SECS * 100 && !r->pid[1]; i++)
		usleep(10000);
	c = r->pid[1];
	for (i = 0, state = '?'; c && i < WAIT_SECS * 100 && state != 'T'; i++) {
		proc_state(c, &state);
		usleep(10000);
	}
	if (state != 'T')
		SETUP_FAIL(r, ETIMEDOUT);

	/* The image goes into a one-page pipe that nobody reads yet. */
	if (pipe(ip))
		SETUP_FAIL(r, errno);
	fcntl(ip[1], F_SETPIPE_SZ, psz);
	k = fork();
	if (k < 0)
		SETUP_FAIL(r, errno);
	if (!k) {
		close(ip[0]);
		r->ret[0] = ckpt_ret(sys_checkpoint(a, ip[1], CHECKPOINT_SCOPE_TREE, -1));
		_exit(0);
	}
	close(ip[1]);
	/*
	 * Full: checkpoint(2) sleeps in the middle of A's pages.  A small
	 * first write may leave the one buffer of the pipe part empty, so
	 * wait for data and for the writer to sleep, twice in a row.
	 */
	for (i = 0, avail = 0, n = 0; i < WAIT_SECS * 100 && n < 2; i++) {
		if (ioctl(ip[0], FIONREAD, &avail))
			SETUP_FAIL(r, errno);
		proc_state(k, &state);
		n = avail > 0 && state == 'S' ? n + 1 : 0;
		usleep(50000);
	}
	/* checkpoint(2) failed, or never filled the pipe: say which. */
	if (n < 2)
		SETUP_FAIL(r, r->ret[0] < 0 ? -r->ret[0] : ETIMEDOUT);
	/* C was not held: it may run, and exec. */
	if (kill(c, SIGCONT))
		SETUP_FAIL(r, errno);
	alarm(WAIT_SECS);
	n = read(res[0], &ch, 1);
	alarm(0);
	r->ok[0] = n == 1;	/* the holder runs as root, with the secret */

	/* Take the image. */
	for (;;) {
		if (image_reserve(&img, img.len + 65536))
			SETUP_FAIL(r, ENOMEM);
		n = read(ip[0], img.buf + img.len, 65536);
		if (n <= 0)
			break;
		img.len += n;
	}
	waitpid(k, NULL, 0);
	r->ok[1] = memmem_found(&img, SECRET);
	for (i = 0; cred_of(&img) && image_rec(&img, CKPT_HDR_CRED, i); i++) {
		struct ckpt_hdr_cred *cr = image_rec(&img, CKPT_HDR_CRED, i);

		if (!cr->euid || !cr->suid)
			r->ok[2] = true;
	}
	kill(c, SIGKILL);
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	image_free(&img);
}

/*
 * Tasks that are stopped when the checkpoint starts are not held: they
 * are saved as they are.  Continued meanwhile, one may exec a set-user-
 * id program, and its memory and credentials go into an image that the
 * user reads, though it could not have checkpointed such a process: the
 * rights are checked once, before.  This must fail (EPERM), or at least
 * write nothing of the new program.
 */
TEST_F_TIMEOUT(priv, task_continued_during_checkpoint_cannot_exec_setuid, 300)
{
	struct suid_args args = { self->suid, self->sec };
	struct result *r = self->r;
	int st;

	ASSERT_EQ(0, copy_self(self->suid));
	st = run_helper(suid_during_checkpoint, r, &args);
	ASSERT_HELPER(r, st);
	if (!r->ok[0])
		TH_LOG("the stopped task was held: the set-user-id program did not run");
	if (r->ret[0] > 0) {
		EXPECT_FALSE(r->ok[1])
			TH_LOG("the image holds the memory of a set-user-id root process");
		EXPECT_FALSE(r->ok[2])
			TH_LOG("the image holds root credentials");
	} else {
		EXPECT_EQ(-EPERM, r->ret[0]);
	}
}

/*
 * setgroups(2) is denied in a user namespace whose gid map an
 * unprivileged user wrote: a process there may not drop a supplementary
 * group it has from outside (negative group permissions would no longer
 * apply to it).  restart(2) must not give a task a group list that the
 * caller could not set with setgroups(2) either.
 */
TEST_F_TIMEOUT(priv, restart_cannot_drop_a_group_where_setgroups_is_denied, 300)
{
	struct ns_args args = { .outside = true, .ngroups = 1, .groups = { 4242 },
				.edit = true, .image_ngroups = 0 };
	struct result *r = self->r;
	int st = run_helper(ns_helper, r, &args);

	if (r->setup && r->setup_err == EPERM && !r->pid[0])
		SKIP(return, "no unprivileged user namespaces here");
	ASSERT_HELPER(r, st);
	ASSERT_LT(0, r->ret[0]) TH_LOG("log: %s", r->log[0]);
	EXPECT_EQ(-EPERM, r->ret[1])
		TH_LOG("restored without group 4242 (Groups: %s); log: %s",
		       r->log[3], r->log[1]);
}

/*
 * The group 4242 that nobody keeps in its user namespace, which cannot
 * name it, comes back: the caller's own, the only ones it could have.
 */
TEST_F_TIMEOUT(priv, restart_keeps_a_group_the_namespace_cannot_name, 300)
{
	struct ns_args args = { .outside = true, .ngroups = 1, .groups = { 4242 } };
	struct result *r = self->r;
	int st = run_helper(ns_helper, r, &args);

	if (r->setup && r->setup_err == EPERM && !r->pid[0])
		SKIP(return, "no unprivileged user namespaces here");
	ASSERT_HELPER(r, st);
	ASSERT_LT(0, r->ret[0]) TH_LOG("log: %s", r->log[0]);
	ASSERT_LT(0, r->ret[1]) TH_LOG("log: %s", r->log[1]);
	/* Seen from N, which maps nobody's gid alone; each is followed by a space. */
	EXPECT_STREQ("65534 ", r->log[3]);
	EXPECT_EQ(EXIT_OK, r->status[1]);
}

/*
 * An image whose groups are the caller's in number but not in kind
 * (65534 twice for 65534 and 4242) does not get the caller's.
 */
TEST_F_TIMEOUT(priv, restart_cannot_trade_a_group_where_setgroups_is_denied, 300)
{
	struct ns_args args = { .outside = true, .ngroups = 2,
				.groups = { NOBODY, 4242 }, .edit = true,
				.image_ngroups = 2,
				.image_groups = { NOBODY, NOBODY } };
	struct result *r = self->r;
	int st = run_helper(ns_helper, r, &args);

	if (r->setup && r->setup_err == EPERM && !r->pid[0])
		SKIP(return, "no unprivileged user namespaces here");
	ASSERT_HELPER(r, st);
	ASSERT_LT(0, r->ret[0]) TH_LOG("log: %s", r->log[0]);
	EXPECT_EQ(-EPERM, r->ret[1])
		TH_LOG("restored with Groups: %s; log: %s", r->log[3], r->log[1]);
}

TEST_HARNESS_MAIN
