// SPDX-License-Identifier: GPL-2.0
/*
 * cr_restart - BLCR's restart command on top of restart(2).
 *
 * It takes the options of BLCR 0.8.5's cr_restart.  The restored
 * processes are its children: it passes on the signals it receives to
 * the restored root, waits, and exits as the root did, or dies of the
 * same signal without dumping core.  A failure exits with its errno &
 * 0xff (255 for bad usage), unless a --run-on-* hook for it exits
 * non-zero: then with the hook's status, silently.
 *
 * It registers for checkpoint notification and answers each with
 * PR_CHECKPOINT_OMIT, so that a checkpoint of its tree saves the
 * restored processes without it.
 *
 * --relocate OLD=NEW (relocate.c) hands restart(2) the image through a
 * pipe, with the paths under OLD moved under NEW and the files found
 * there taken as those saved.
 *
 * --no-restore-pid restarts in a new pid namespace, from a child that is
 * its init (see restart_in_pidns()), and in a new user namespace if the
 * caller may not make a pid namespace (see clone_userns_stub()).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckpt.h"

#define PROG		"cr_restart"

static const char usage_text[] =
	"Usage: cr_restart [OPTIONS] [FILE]\n"
	"Restore the processes saved in a context file; wait for them.\n"
	"\n"
	"Source (standard input if none):\n"
	"  -f, --file FILE         the context file FILE (or the last argument)\n"
	"  -F, --fd FD             the open file descriptor FD\n"
	"  -d, --dir DIR           not implemented (exit 22), as in BLCR\n"
	"After a successful restart:\n"
	"      --run               let the processes run (default)\n"
	"  -S, --signal NUM        send them signal NUM\n"
	"      --stop, --freeze, --term, --abort, --kill, --cont\n"
	"                          send them SIGSTOP, SIGSTOP, SIGTERM, SIGABRT,\n"
	"                          SIGKILL, SIGCONT\n"
	"Checkpoints of cr_restart's tree:\n"
	"      --omit-maybe        leave cr_restart out of them (default)\n"
	"      --omit-always       the same\n"
	"      --omit-never        save cr_restart too\n"
	"Hooks, run with /bin/sh -c; a non-zero exit status of the hook becomes\n"
	"cr_restart's and replaces its error message:\n"
	"      --run-on-success=CMD    once the processes are restored\n"
	"      --run-on-fail-args=CMD  on a bad argument or context file\n"
	"      --run-on-fail-temp=CMD  on ENOMEM or EBUSY (a saved pid in use)\n"
	"      --run-on-fail-env=CMD   on EACCES, EPERM, ENOENT, EEXIST, EISDIR\n"
	"                              or ENOTDIR\n"
	"      --run-on-fail-perm=CMD  on any other failure\n"
	"      --run-on-failure=CMD    on a failure without a hook of its own\n"
	"Files that moved:\n"
	"      --relocate OLD=NEW  reopen the files saved under the absolute path OLD\n"
	"                          (a directory or a file) from under NEW; up to 16,\n"
	"                          the first that matches applies; \\= and \\\\ escape\n"
	"                          = and \\.  Open and mapped files, executables,\n"
	"                          working and root directories and the ptmx\n"
	"                          devices of ptys move; addresses of unix sockets\n"
	"                          do not.  A file found under NEW is trusted to be\n"
	"                          the one saved: it is not checked against the\n"
	"                          image as other files are (ESTALE)\n"
	"Process ids:\n"
	"      --restore-pid       restore the saved pids (default): fails with\n"
	"                          EBUSY if one is in use\n"
	"      --no-restore-pid    restore them in a new pid namespace, where they\n"
	"                          are free, with cr_restart's child as its init:\n"
	"                          the processes get new pids outside of it, keep\n"
	"                          theirs inside, and cr_restart waits for every\n"
	"                          process of the namespace; without\n"
	"                          CAP_SYS_ADMIN, in a new user namespace too,\n"
	"                          where only the caller's uid and gid are mapped\n"
	"Accepted for BLCR compatibility:\n"
	"      --restore-pgid, --no-restore-pgid, --restore-sid, --no-restore-sid\n"
	"                          all alike: process groups and sessions are\n"
	"                          always restored as saved\n"
	"Messages:\n"
	"      --kmsg-none         never show the kernel's messages\n"
	"      --kmsg-error        show them if the restart fails (default)\n"
	"      --kmsg-warning      always show them\n"
	"  -q, --quiet             print no error message\n"
	"  -v, --version           print the version\n"
	"  -?, -h, --help          print this help\n"
	"\n"
	"Exit status: that of the restored root process, or its signal; 0 if\n"
	"there is none; 255 usage error; otherwise the errno of the failure\n"
	"& 0xff (16 EBUSY: a saved pid is in use; 22 not an image of this\n"
	"kernel) or the status of its hook.\n";

enum hook {
	HOOK_SUCCESS,
	HOOK_FAIL_ARGS,
	HOOK_FAIL_TEMP,
	HOOK_FAIL_ENV,
	HOOK_FAIL_PERM,
	HOOK_FAILURE,
	NR_HOOKS
};

struct options {
	const char *file;
	int fd;
	unsigned int sources;	/* number of -f, -F, -d and FILE given */
	bool dir;
	struct cr_opts cr;	/* -S, --kmsg-*, -q and the like */
	bool omit;
	const char *hook[NR_HOOKS];
	struct ckpt_relocations relocate;
	bool no_restore_pid;
	/* The first bad argument: reported once all hooks are known */
	int arg_err;
	char *arg_msg;
};

enum {
	OPT_OMIT_MAYBE = CR_OPT_NEXT,
	OPT_OMIT_ALWAYS,
	OPT_OMIT_NEVER,
	OPT_HOOK,		/* + enum hook */
	OPT_RELOCATE = OPT_HOOK + NR_HOOKS,
	OPT_RESTORE_PID,
	OPT_NO_RESTORE_PID,
	OPT_RESTORE_IDS,	/* --[no-]restore-pgid, --[no-]restore-sid */
};

static const struct option long_options[] = {
	{ "file",		required_argument,	NULL, 'f' },
	{ "fd",			required_argument,	NULL, 'F' },
	{ "dir",		required_argument,	NULL, 'd' },
	{ "run",		no_argument,		NULL, CR_OPT_RUN },
	{ "signal",		required_argument,	NULL, 'S' },
	{ "stop",		no_argument,		NULL, CR_OPT_STOP },
	{ "freeze",		no_argument,		NULL, CR_OPT_STOP },
	{ "term",		no_argument,		NULL, CR_OPT_TERM },
	{ "abort",		no_argument,		NULL, CR_OPT_ABORT },
	{ "kill",		no_argument,		NULL, CR_OPT_KILL },
	{ "cont",		no_argument,		NULL, CR_OPT_CONT },
	{ "omit-maybe",		no_argument,		NULL, OPT_OMIT_MAYBE },
	{ "omit-always",	no_argument,		NULL, OPT_OMIT_ALWAYS },
	{ "omit-never",		no_argument,		NULL, OPT_OMIT_NEVER },
	{ "run-on-success",	required_argument,	NULL, OPT_HOOK + HOOK_SUCCESS },
	{ "run-on-fail-args",	required_argument,	NULL, OPT_HOOK + HOOK_FAIL_ARGS },
	{ "run-on-fail-temp",	required_argument,	NULL, OPT_HOOK + HOOK_FAIL_TEMP },
	{ "run-on-fail-env",	required_argument,	NULL, OPT_HOOK + HOOK_FAIL_ENV },
	{ "run-on-fail-perm",	required_argument,	NULL, OPT_HOOK + HOOK_FAIL_PERM },
	{ "run-on-failure",	required_argument,	NULL, OPT_HOOK + HOOK_FAILURE },
	{ "relocate",		required_argument,	NULL, OPT_RELOCATE },
	{ "restore-pid",	no_argument,		NULL, OPT_RESTORE_PID },
	{ "no-restore-pid",	no_argument,		NULL, OPT_NO_RESTORE_PID },
	{ "restore-pgid",	no_argument,		NULL, OPT_RESTORE_IDS },
	{ "no-restore-pgid",	no_argument,		NULL, OPT_RESTORE_IDS },
	{ "restore-sid",	no_argument,		NULL, OPT_RESTORE_IDS },
	{ "no-restore-sid",	no_argument,		NULL, OPT_RESTORE_IDS },
	{ "kmsg-none",		no_argument,		NULL, CR_OPT_KMSG_NONE },
	{ "kmsg-error",		no_argument,		NULL, CR_OPT_KMSG_ERROR },
	{ "kmsg-warning",	no_argument,		NULL, CR_OPT_KMSG_WARNING },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "version",		no_argument,		NULL, 'v' },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL,			0,			NULL, 0 }
};

/* Keep the first bad argument, to fail with once the options are read. */
static void
bad_arg(struct options *o, int err, const char *fmt, ...)
{
	va_list ap;

	if (o->arg_err)
		return;
	o->arg_err = err;
	va_start(ap, fmt);
	if (vasprintf(&o->arg_msg, fmt, ap) < 0)
		o->arg_msg = NULL;
	va_end(ap);
}

/* --relocate OLD=NEW: checked here, done by relocate.c */
static void parse_relocate(struct options *o, const char *arg)
{
	char *msg;
	int err;

	err = ckpt_relocate_parse(&o->relocate, arg, &msg);
	if (err)
		bad_arg(o, err, "%s", msg ? msg : strerror(err));
	free(msg);
}

static void parse_source(struct options *o, int c, const char *arg)
{
	o->sources++;
	if (c == 'F') {
		o->fd = cr_parse_uint(arg);
		if (o->fd < 0)
			bad_arg(o, EINVAL, "invalid file descriptor '%s'", arg);
	} else if (c == 'd') {
		o->dir = true;
	} else {
		o->file = arg;
	}
}

static void parse_option(struct options *o, int c, const char *arg)
{
	int ret;

	if (c >= OPT_HOOK && c < OPT_HOOK + NR_HOOKS) {
		o->hook[c - OPT_HOOK] = arg;
		return;
	}
	ret = cr_opts_parse(&o->cr, c, arg);
	if (ret < 0)
		bad_arg(o, EINVAL, "invalid signal number '%s'", arg);
	if (ret)
		return;
	switch (c) {
	case 'f':
	case 'F':
	case 'd':
		parse_source(o, c, arg);
		break;
	case OPT_OMIT_MAYBE:
	case OPT_OMIT_ALWAYS:
	case OPT_OMIT_NEVER:
		o->omit = c != OPT_OMIT_NEVER;
		break;
	case OPT_RELOCATE:
		parse_relocate(o, arg);
		break;
	case OPT_RESTORE_PID:
	case OPT_NO_RESTORE_PID:
		o->no_restore_pid = c == OPT_NO_RESTORE_PID;
		break;
	case OPT_RESTORE_IDS:
		break;
	case 'v':
		cr_version(PROG);
	case 'h':
		cr_help(usage_text);
	default:
		cr_usage_error(PROG, NULL);
	}
}

/* What BLCR refused, or what this kernel cannot do, once all is read */
static void check_options(struct options *o)
{
	if (o->sources > 1)
		bad_arg(o, EINVAL, "conflicting sources: give one of -f, -F, -d and FILE");
	if (o->dir)
		bad_arg(o, EINVAL, "--dir: not yet implemented");
	cr_opts_check(&o->cr);
}

static void parse_options(int argc, char **argv, struct options *o)
{
	int c;

	while ((c = cr_getopt(argc, argv, "f:F:d:S:qvh?", long_options, NULL,
			      PROG)) != -1)
		parse_option(o, c, optarg);
	if (optind < argc - 1)
		cr_usage_error(PROG, "too many arguments");
	if (optind == argc - 1)
		parse_source(o, 'f', argv[optind]);
	check_options(o);
}

/*
 * Run a hook with /bin/sh -c, with the signal mask and dispositions
 * this program started with.  Return its exit status.
 */
static int run_hook(const char *cmd)
{
	sigset_t none;
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 0;
	if (!pid) {
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 0;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

static enum hook failure_kind(int err)
{
	switch (err) {
	case ENOMEM:
	case EBUSY:
		return HOOK_FAIL_TEMP;
	case EACCES:
	case EPERM:
	case ENOENT:
	case EEXIST:
	case EISDIR:
	case ENOTDIR:
		return HOOK_FAIL_ENV;
	default:
		return HOOK_FAIL_PERM;
	}
}

/*
 * A failure of kind @kind: the hook for it, or --run-on-failure, decides
 * the exit status if it exits non-zero; else say why and exit with @err.
 */
static noreturn void
fail_log(const struct options *o, enum hook kind, int err,
	 const struct cr_kmsg_log *log, const char *fmt, ...)
{
	const char *hook = o->hook[kind] ? o->hook[kind] : o->hook[HOOK_FAILURE];
	va_list ap;
	int st;

	if (hook) {
		st = run_hook(hook);
		if (st)
			exit(st);
	}
	if (!o->cr.quiet) {
		va_start(ap, fmt);
		cr_vwarn(PROG, fmt, ap);
		va_end(ap);
	}
	if (log && o->cr.kmsg != CR_KMSG_NONE)
		cr_kmsg_print(log, PROG);
	exit(cr_exit_status(err));
}

#define fail(o, kind, err, ...)	fail_log(o, kind, err, NULL, __VA_ARGS__)

/*
 * Refuse what is not an image of this kernel (a context file of BLCR,
 * say) before restart(2), where that can be read without consuming it.
 */
static void check_magic(const struct options *o, int fd, const char *name)
{
	struct {
		struct ckpt_hdr h;
		char magic[CKPT_MAGIC_LEN];
	} start;
	off_t pos = lseek(fd, 0, SEEK_CUR);
	ssize_t n;

	if (pos < 0)
		return;		/* a pipe: restart(2) will tell */
	n = pread(fd, &start, sizeof(start), pos);
	if (n < 0)
		fail(o, HOOK_FAIL_ARGS, errno, "%s: %s", name, strerror(errno));
	if (n < (ssize_t)sizeof(start) ||
	    memcmp(start.magic, CKPT_MAGIC, CKPT_MAGIC_LEN))
		fail(o, HOOK_FAIL_ARGS, EINVAL,
		     "%s is not a checkpoint image of this kernel (a BLCR context file cannot be restarted here)",
		     name);
}

static int open_source(const struct options *o, const char **name)
{
	struct stat st;
	int fd;

	if (o->fd >= 0) {
		*name = "--fd";
		fd = o->fd;
	} else if (o->file && strcmp(o->file, "-")) {
		*name = o->file;
		fd = open(o->file, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	} else {
		*name = "standard input";
		fd = STDIN_FILENO;
		if (isatty(fd))
			cr_usage_error(PROG, "no context file given");
	}
	if (fd < 0 || fstat(fd, &st))
		fail(o, HOOK_FAIL_ARGS, errno, "%s: %s", *name, strerror(errno));
	if (S_ISDIR(st.st_mode))
		fail(o, HOOK_FAIL_ARGS, EISDIR, "%s: %s", *name, strerror(EISDIR));
	check_magic(o, fd, *name);
	return fd;
}

/* --omit-*: answer every checkpoint with "leave me out" */
static void on_checkpoint(int sig)
{
	int err = errno;

	(void)sig;
	prctl(PR_CHECKPOINT_READY, PR_CHECKPOINT_OMIT, 0, 0, 0);
	errno = err;
}

/* A kernel without process callbacks refuses the prctl: nothing to omit. */
static void register_omit(void)
{
	struct sigaction sa = { .sa_handler = on_checkpoint,
				.sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGRTMAX - 1, &sa, NULL))
		return;
	if (prctl(PR_SET_CHECKPOINT_SIGNAL, SIGRTMAX - 1, 0, 0, 0))
		signal(SIGRTMAX - 1, SIG_DFL);
}

static sig_atomic_t root_pid;	/* read and written with __atomic_*() */

static bool is_stop_signal(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Pass a signal on to the restored root; a stop stops us too. */
static void forward(int sig)
{
	pid_t pid = __atomic_load_n(&root_pid, __ATOMIC_RELAXED);
	int err = errno;

	if (pid > 0)
		kill(pid, sig);
	if (is_stop_signal(sig))
		kill(getpid(), SIGSTOP);
	errno = err;
}

/* The signals passed on: all but our own faults and those we use */
static bool forwarded(int sig)
{
	switch (sig) {
	case SIGKILL:
	case SIGSTOP:
	case SIGCHLD:
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP:
	case SIGSYS:
	case SIGPIPE:
		return false;
	default:
		return sig != SIGRTMAX - 1;
	}
}

/*
 * Block the forwarded signals until the root is known, so that none
 * sent during restart(2) is lost: they are passed on once it returns.
 */
static void setup_forwarding(sigset_t *blocked)
{
	struct sigaction sa = { .sa_handler = forward, .sa_flags = SA_RESTART };
	int sig;

	sigemptyset(blocked);
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig <= SIGRTMAX; sig++) {
		if (!forwarded(sig))
			continue;
		if (!sigaction(sig, &sa, NULL))
			sigaddset(blocked, sig);
	}
	sigprocmask(SIG_BLOCK, blocked, NULL);
}

/*
 * -S and the like: to every process restored, our descendants but the
 * init of --no-restore-pid's namespace, @stub (or 0)
 */
static void send_after(const struct options *o, pid_t stub)
{
	struct cr_tasks ts;
	size_t i;

	if (!o->cr.signal)
		return;
	if (cr_tasks_find(&ts, CHECKPOINT_SCOPE_TREE, getpid())) {
		if (!o->cr.quiet)
			fprintf(stderr, PROG ": /proc: %s\n", strerror(errno));
		return;
	}
	for (i = 0; i < ts.nr; i++)
		if (ts.task[i].pid == stub)
			ts.task[i].in_set = false;
	if (cr_tasks_kill(&ts, o->cr.signal, getpid()) < 0 && !o->cr.quiet)
		fprintf(stderr, PROG ": signal %d: %s\n", o->cr.signal, strerror(errno));
	cr_tasks_free(&ts);
}

/* End as @status says the root ended: its exit status, or its signal. */
static noreturn int exit_as(int status)
{
	struct rlimit no_core = { 0, 0 };
	int sig;

	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	sig = WTERMSIG(status);
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	raise(sig);
	exit(128 + sig);
}

/* Read @len bytes from the pipe @fd: 0, or -1 if it ended first. */
static int read_all(int fd, void *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf = (char *)buf + n;
		len -= n;
	}
	return 0;
}

/*
 * Reap every child until there is none; *@root_st gets the status of
 * root_pid's.  Return: whether it was among them.
 */
static bool reap_children(int *root_st)
{
	bool root_done = false;
	int st;
	pid_t p;

	for (;;) {
		p = waitpid(-1, &st, 0);
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			break;
		if (p == __atomic_load_n(&root_pid, __ATOMIC_RELAXED)) {
			__atomic_store_n(&root_pid, 0, __ATOMIC_RELAXED);
			*root_st = st;
			root_done = true;
		}
	}
	return root_done;
}

/*
 * Wait for every child: the root, and those restored without their
 * parent (a process group or session image).  End as the root did, or
 * with 0 if there was none.  With --no-restore-pid the one child is the
 * init of the namespace, which tells on @stub_res how the root ended.
 */
static void wait_children(int stub_res)
{
	int st, root_st = 0;

	if (!reap_children(&root_st))
		exit(EXIT_OK);
	if (stub_res >= 0 && WIFEXITED(root_st) && !WEXITSTATUS(root_st) &&
	    read_all(stub_res, &st, sizeof(st)) == 0)
		root_st = st;
	exit_as(root_st);
}

static noreturn void
restart_failed(const struct options *o, int err, const char *name,
	       const struct cr_kmsg_log *log)
{
	fail_log(o, failure_kind(err), err, log, "restart from %s failed: %s%s%s",
		 name, strerror(err), ckpt_no_syscall(err) ? NO_SYSCALL_HINT : "",
		 err == EBUSY ? " (a saved pid is in use)" : "");
}

/*
 * After restart(2), with --relocate: a failure to relocate cut the image
 * short, and restart(2) said it ended early; that is not news.
 */
static void relocate_finish(const struct options *o, struct ckpt_relocate_feed *feed,
			    long ret, int err)
{
	char msg[512];
	int rerr;

	rerr = ckpt_relocate_finish(feed, msg, sizeof(msg));
	if (ret < 0 && err == ENODATA && rerr)
		fail(o, rerr == ENOMEM ? HOOK_FAIL_TEMP : HOOK_FAIL_ARGS, rerr,
		     "--relocate: %s", msg);
}

/*
 * --no-restore-pid.  restart(2) gives every process the pid it was saved
 * with, and fails with EBUSY if one is taken, as when the saved processes
 * still run.  BLCR's option restarts them with new pids.  Here they keep
 * theirs, in a new pid namespace where every pid is free, and get new
 * ones in ours: restart(2) is called by a child of cr_restart that is the
 * init of the namespace, the stub.  The restored processes see the pids
 * they had; seen from outside they are new.
 *
 * The stub passes the signals cr_restart passes on to it on to the
 * restored root, reaps the processes of the namespace, which would all
 * be killed if it exited, and once the last has ended, writes how the
 * root ended to cr_restart and exits.  It writes the result of
 * restart(2) first: return value, then errno.
 */
struct stub_result {
	long ret;		/* or STUB_NO_MAPS */
	int err;
};

/* The stub could not write its maps: restart(2) was not called. */
#define STUB_NO_MAPS	(-2L)

static noreturn void stub_main(int img, int logfd, int res,
			       const sigset_t *blocked)
{
	struct stub_result r;
	int root_st = 0;

	r.ret = sys_restart(0, img, 0, logfd);
	r.err = r.ret < 0 ? errno : 0;
	if (write(res, &r, sizeof(r)) != sizeof(r) || r.ret < 0)
		_exit(EXIT_FAIL);
	close(img);
	close(logfd);
	__atomic_store_n(&root_pid, r.ret, __ATOMIC_RELAXED);
	sigprocmask(SIG_UNBLOCK, blocked, NULL);
	reap_children(&root_st);
	if (write(res, &root_st, sizeof(root_st)) != sizeof(root_st))
		_exit(EXIT_FAIL);
	_exit(EXIT_OK);
}

/*
 * A user who may not make a pid namespace may make one in a user
 * namespace of its own, as unshare(1) -U -p does: the stub is cloned
 * into both and maps our uid and gid there, to themselves, with
 * setgroups(2) denied, as a user may.  There it holds every right over
 * its namespaces, none over anything else: restart(2) gives the
 * processes only credentials the stub holds (the image's uids and gids
 * must be ours; its supplementary groups, ours, some of which that
 * namespace cannot name).  @drop are fds of ours the stub closes.
 *
 * The clone is a raw system call, without what fork(3) does for the C
 * library, and --relocate's thread may hold its locks: the stub only
 * makes system calls (stub_main(), ckpt_self_maps_write()), no stdio,
 * no malloc.
 * Returns its pid, or -1 with errno set.
 */
static pid_t clone_userns_stub(int img, int logfd, int res, const int *drop,
			       int nr_drop, const sigset_t *blocked)
{
	struct ckpt_self_maps maps;
	pid_t pid;
	int i;

	ckpt_self_maps_init(&maps);
	fflush(NULL);
	pid = syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | SIGCHLD,
		      NULL, NULL, NULL, 0);
	if (pid)
		return pid;
	for (i = 0; i < nr_drop; i++)
		close(drop[i]);
	if (ckpt_self_maps_write(&maps)) {
		struct stub_result r = { .ret = STUB_NO_MAPS, .err = errno };

		if (write(res, &r, sizeof(r)) != sizeof(r))
			_exit(EXIT_FAIL);
		_exit(EXIT_FAIL);
	}
	stub_main(img, logfd, res, blocked);
}

/*
 * restart(2) of @img by the stub, in a new pid namespace.  Returns what
 * restart(2) returned, with its errno, and the stub in *@stub, the pipe
 * it writes to in *@res; or fails.
 */
static long restart_in_pidns(const struct options *o, int img, int logfd,
			     int logrd, const sigset_t *blocked, pid_t *stub,
			     int *res)
{
	struct stub_result r;
	int fd[2], ns, err;
	int drop[3];

	ns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (ns < 0 || pipe2(fd, O_CLOEXEC))
		fail(o, HOOK_FAIL_TEMP, errno, "--no-restore-pid: %s",
		     strerror(errno));
	drop[0] = fd[0];
	drop[1] = ns;
	drop[2] = logrd;
	if (!unshare(CLONE_NEWPID)) {
		fflush(NULL);
		*stub = fork();
		if (!*stub) {
			close(fd[0]);
			stub_main(img, logfd, fd[1], blocked);
		}
		err = errno;
		/* Our other children (hooks) go on being born in ours. */
		if (setns(ns, CLONE_NEWPID) && *stub > 0)
			kill(*stub, SIGKILL);
	} else if (errno == EPERM && geteuid()) {
		/* Not for root: mapping uid 0 needs CAP_SETFCAP too. */
		*stub = clone_userns_stub(img, logfd, fd[1], drop, 3, blocked);
		err = errno;
		if (*stub < 0)
			fail(o, failure_kind(err), err,
			     "--no-restore-pid: cannot make a user and a pid namespace%s: %s",
			     err == ENOSPC || err == EINVAL ?
			     " (user namespaces are disabled)" : "",
			     strerror(err));
	} else {
		err = errno;
		fail(o, failure_kind(err), err,
		     "--no-restore-pid: cannot make a pid namespace: %s",
		     strerror(err));
	}
	close(ns);
	close(fd[1]);
	if (*stub < 0)
		fail(o, HOOK_FAIL_TEMP, err, "--no-restore-pid: fork: %s",
		     strerror(err));
	*res = fd[0];
	if (read_all(fd[0], &r, sizeof(r))) {
		/* It died before it could say. */
		waitpid(*stub, NULL, 0);
		errno = ECHILD;
		return -1;
	}
	if (r.ret < 0)
		waitpid(*stub, NULL, 0);
	if (r.ret == STUB_NO_MAPS)
		fail(o, failure_kind(r.err), r.err,
		     "--no-restore-pid: cannot map our uid and gid in a new user namespace: %s",
		     strerror(r.err));
	errno = r.err;
	return r.ret;
}

int main(int argc, char **argv)
{
	struct options o = { .fd = -1, .omit = true, .cr.kmsg = CR_KMSG_ERROR };
	struct cr_kmsg_log log = { .fd = { -1, -1 } };
	struct ckpt_relocate_feed *feed = NULL;
	int fd, img, st, stub_res = -1;
	const char *name;
	pid_t stub = 0;
	sigset_t blocked;
	long ret;

	parse_options(argc, argv, &o);
	if (o.arg_err)
		fail(&o, HOOK_FAIL_ARGS, o.arg_err, "%s",
		     o.arg_msg ? o.arg_msg : strerror(o.arg_err));
	fd = open_source(&o, &name);
	img = fd;
	if (o.relocate.nr) {
		img = ckpt_relocate_start(&o.relocate, fd, &feed);
		st = errno;
		if (img < 0)
			fail(&o, failure_kind(st), st, "--relocate: %s", strerror(st));
	}
	if (cr_kmsg_open(&log))
		fail(&o, HOOK_FAIL_TEMP, errno, "pipe: %s", strerror(errno));
	if (o.omit)
		register_omit();
	setup_forwarding(&blocked);

	if (o.no_restore_pid)
		ret = restart_in_pidns(&o, img, log.fd[1], log.fd[0], &blocked,
				       &stub, &stub_res);
	else
		ret = sys_restart(0, img, 0, log.fd[1]);
	st = ret < 0 ? errno : 0;
	if (feed)
		relocate_finish(&o, feed, ret, st);
	if (ret < 0) {
		cr_kmsg_collect(&log);
		restart_failed(&o, st, name, &log);
	}
	cr_kmsg_collect(&log);
	if (o.cr.kmsg == CR_KMSG_WARNING)
		cr_kmsg_print(&log, PROG);
	cr_kmsg_close(&log);
	if (fd != STDIN_FILENO && fd != o.fd)
		close(fd);

	/* With --no-restore-pid, signals go to the root through the stub. */
	__atomic_store_n(&root_pid, stub ?: ret, __ATOMIC_RELAXED);
	sigprocmask(SIG_UNBLOCK, &blocked, NULL);
	if (o.hook[HOOK_SUCCESS]) {
		st = run_hook(o.hook[HOOK_SUCCESS]);
		if (st)
			exit(st);
	}
	send_after(&o, stub);
	wait_children(stub_res);
	return EXIT_OK;
}
