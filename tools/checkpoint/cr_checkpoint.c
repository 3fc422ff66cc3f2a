// SPDX-License-Identifier: GPL-2.0
/*
 * cr_checkpoint - BLCR's checkpoint command on top of checkpoint(2).
 *
 * It takes the options of BLCR 0.8.5's cr_checkpoint and exits as it
 * did: 0, the errno of the failure & 0xff, or 255 for bad usage.  The
 * context file is created with mode 0400 and, by default, written under
 * a temporary name that replaces the old file only once the image is
 * complete.  The kernel's messages come through a pipe given as the log
 * fd and are shown on failure.
 *
 * --kill and --stop are done by the kernel (CHECKPOINT_KILL and
 * CHECKPOINT_STOP) while the processes are still held, so nothing they
 * do after the image was taken is lost; other signals are sent once the
 * checkpoint is done, to the processes of the scope as /proc then shows
 * them.
 *
 * The caller of checkpoint(2) may be in the set it saves: restored, it
 * sees the call return 0, and this program then exits 0 at once.
 *
 * A checkpoint that met a tree changing under it, or another checkpoint,
 * is made again a few times when the context file is a regular file,
 * which is cut back first (ckpt_retry()); the messages of a try made
 * again are dropped, and -v tells of each retry.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ckpt.h"

#define PROG	"cr_checkpoint"

static const char usage_text[] =
	"Usage: cr_checkpoint [OPTIONS] ID\n"
	"Save the processes named by ID to a context file.\n"
	"\n"
	"Scope of ID:\n"
	"  -T, --tree             process ID and its descendants (default)\n"
	"  -p, --pid, --process   process ID alone (all its threads)\n"
	"  -g, --pgid, --group    the process group ID\n"
	"  -s, --sid, --session   the session ID\n"
	"Destination:\n"
	"  -c, --cwd              context.ID in the current directory (default)\n"
	"  -f, --file FILE        FILE (a regular file, a FIFO or a device)\n"
	"  -F, --fd FD            the open file descriptor FD\n"
	"  -d, --dir DIR          not implemented (exit 22), as in BLCR\n"
	"Replacing an existing file (mode 0400 either way):\n"
	"      --atomic           write FILE.tmp-XXXXXX, rename it over FILE once\n"
	"                         complete (default); a failure leaves FILE as it was\n"
	"      --backup[=NAME]    as --atomic, keeping the old FILE as NAME or as\n"
	"                         FILE.~N~ (the next free N)\n"
	"      --clobber          write FILE in place\n"
	"      --noclobber        fail with EEXIST if FILE exists\n"
	"      --sync, --nosync   fsync the file before it is renamed (default), or not\n"
	"After a successful checkpoint:\n"
	"      --run              let the processes run on (default)\n"
	"  -S, --signal NUM       send them signal NUM\n"
	"      --stop, --term, --abort, --kill, --cont\n"
	"                         send them SIGSTOP, SIGTERM, SIGABRT, SIGKILL, SIGCONT\n"
	"                         (SIGKILL and SIGSTOP before they run again)\n"
	"File contents (files unlinked while in use are always saved):\n"
	"      --save-none        save no other file contents (default)\n"
	"      --save-exe         save the executable\n"
	"      --save-private     save the files mapped privately (libraries, the\n"
	"                         executable)\n"
	"      --save-shared      save the files mapped shared\n"
	"      --save-all         save every mapped file; restart maps copies\n"
	"Accepted for BLCR compatibility:\n"
	"      --ptraced-error, --ptraced-skip, --ptraced-allow,\n"
	"      --ptracer-error, --ptracer-skip\n"
	"                         all alike: traced and tracing processes are saved\n"
	"                         as they are\n"
	"Messages:\n"
	"      --kmsg-none        never show the kernel's messages\n"
	"      --kmsg-error       show them if the checkpoint fails (default)\n"
	"      --kmsg-warning     always show them\n"
	"  -t, --time SEC         give up after SEC seconds (exit 110, ETIMEDOUT)\n"
	"  -q, --quiet            print no error message\n"
	"  -v, --verbose          say what is done\n"
	"  -?, -h, --help         print this help\n"
	"      --version          print the version\n"
	"\n"
	"Unlike BLCR, processes need not use libcr to be checkpointed.\n"
	"Exit status: 0 saved; 255 usage error; otherwise the errno of the\n"
	"failure & 0xff (3 ESRCH: no such process, or all omitted themselves;\n"
	"50 a process refused for now; 51 a process refused for good; 22 bad\n"
	"argument), or the code a refusing process gave.\n";

enum policy {
	POLICY_ATOMIC,
	POLICY_BACKUP,
	POLICY_CLOBBER,
	POLICY_NOCLOBBER,
};

enum dest_kind {
	DEST_CWD = 1 << 0,
	DEST_FILE = 1 << 1,
	DEST_FD = 1 << 2,
	DEST_DIR = 1 << 3,
};

struct options {
	unsigned long scope;	/* CHECKPOINT_SCOPE_* */
	pid_t id;
	unsigned int dests;	/* enum dest_kind given */
	const char *file;
	int fd;
	enum policy policy;
	const char *backup;	/* --backup=NAME */
	bool nosync;
	struct cr_opts cr;	/* -S, --kmsg-*, -q and the like */
	unsigned long save;	/* CHECKPOINT_SAVE_* of --save-* */
	int time;
	int verbose;
};

/* The context file being written */
struct dest {
	char *path;		/* final name; NULL for --fd */
	char *tmp;		/* temporary name (--atomic, --backup) */
	int fd;
	bool made;		/* created by us (--noclobber) */
};

enum {
	OPT_ATOMIC = CR_OPT_NEXT,
	OPT_BACKUP,
	OPT_CLOBBER,
	OPT_NOCLOBBER,
	OPT_SYNC,
	OPT_NOSYNC,
	OPT_SAVE_EXE,
	OPT_SAVE_PRIVATE,
	OPT_SAVE_SHARED,
	OPT_SAVE_ALL,
	OPT_SAVE_NONE,
	OPT_PTRACE,		/* --ptraced-*, --ptracer-* */
	OPT_VERSION,
};

static const struct option long_options[] = {
	{ "tree",		no_argument,		NULL, 'T' },
	{ "pid",		no_argument,		NULL, 'p' },
	{ "process",		no_argument,		NULL, 'p' },
	{ "pgid",		no_argument,		NULL, 'g' },
	{ "group",		no_argument,		NULL, 'g' },
	{ "sid",		no_argument,		NULL, 's' },
	{ "session",		no_argument,		NULL, 's' },
	{ "cwd",		no_argument,		NULL, 'c' },
	{ "file",		required_argument,	NULL, 'f' },
	{ "fd",			required_argument,	NULL, 'F' },
	{ "dir",		required_argument,	NULL, 'd' },
	{ "atomic",		no_argument,		NULL, OPT_ATOMIC },
	{ "backup",		optional_argument,	NULL, OPT_BACKUP },
	{ "clobber",		no_argument,		NULL, OPT_CLOBBER },
	{ "noclobber",		no_argument,		NULL, OPT_NOCLOBBER },
	{ "run",		no_argument,		NULL, CR_OPT_RUN },
	{ "signal",		required_argument,	NULL, 'S' },
	{ "stop",		no_argument,		NULL, CR_OPT_STOP },
	{ "term",		no_argument,		NULL, CR_OPT_TERM },
	{ "abort",		no_argument,		NULL, CR_OPT_ABORT },
	{ "kill",		no_argument,		NULL, CR_OPT_KILL },
	{ "cont",		no_argument,		NULL, CR_OPT_CONT },
	{ "sync",		no_argument,		NULL, OPT_SYNC },
	{ "nosync",		no_argument,		NULL, OPT_NOSYNC },
	{ "save-exe",		no_argument,		NULL, OPT_SAVE_EXE },
	{ "save-private",	no_argument,		NULL, OPT_SAVE_PRIVATE },
	{ "save-shared",	no_argument,		NULL, OPT_SAVE_SHARED },
	{ "save-all",		no_argument,		NULL, OPT_SAVE_ALL },
	{ "save-none",		no_argument,		NULL, OPT_SAVE_NONE },
	{ "ptraced-error",	no_argument,		NULL, OPT_PTRACE },
	{ "ptraced-skip",	no_argument,		NULL, OPT_PTRACE },
	{ "ptraced-allow",	no_argument,		NULL, OPT_PTRACE },
	{ "ptracer-error",	no_argument,		NULL, OPT_PTRACE },
	{ "ptracer-skip",	no_argument,		NULL, OPT_PTRACE },
	{ "kmsg-none",		no_argument,		NULL, CR_OPT_KMSG_NONE },
	{ "kmsg-error",		no_argument,		NULL, CR_OPT_KMSG_ERROR },
	{ "kmsg-warning",	no_argument,		NULL, CR_OPT_KMSG_WARNING },
	{ "time",		required_argument,	NULL, 't' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL,			0,			NULL, 0 }
};

static bool quiet;

/* A failure: say why unless --quiet, exit with @err & 0xff. */
static noreturn void
die(int err, const char *fmt, ...)
{
	va_list ap;

	if (!quiet) {
		va_start(ap, fmt);
		cr_vwarn(PROG, fmt, ap);
		va_end(ap);
	}
	exit(cr_exit_status(err));
}

static void set_time(struct options *o, const char *arg)
{
	o->time = cr_parse_uint(arg);
	if (o->time < 0)
		die(EINVAL, "invalid time '%s': a number of seconds, 0 for none", arg);
}

static void set_fd(struct options *o, const char *arg)
{
	o->fd = cr_parse_uint(arg);
	if (o->fd < 0)
		die(EINVAL, "invalid file descriptor '%s'", arg);
}

/* The options that name a scope, a destination or what comes after */
static bool parse_target_option(int c, struct options *o)
{
	switch (c) {
	case 'T':
		o->scope = CHECKPOINT_SCOPE_TREE;
		break;
	case 'p':
		o->scope = CHECKPOINT_SCOPE_TASK;
		break;
	case 'g':
		o->scope = CHECKPOINT_SCOPE_PGRP;
		break;
	case 's':
		o->scope = CHECKPOINT_SCOPE_SESSION;
		break;
	case 'c':
		o->dests |= DEST_CWD;
		break;
	case 'f':
		o->dests |= DEST_FILE;
		o->file = optarg;
		break;
	case 'F':
		o->dests |= DEST_FD;
		set_fd(o, optarg);
		break;
	case 'd':
		o->dests |= DEST_DIR;
		break;
	case OPT_ATOMIC:
		o->policy = POLICY_ATOMIC;
		break;
	case OPT_BACKUP:
		o->policy = POLICY_BACKUP;
		o->backup = optarg;
		break;
	case OPT_CLOBBER:
		o->policy = POLICY_CLOBBER;
		break;
	case OPT_NOCLOBBER:
		o->policy = POLICY_NOCLOBBER;
		break;
	default:
		return false;
	}
	return true;
}

/* The options cr_restart has too: -S and the like, --kmsg-*, -q */
static bool parse_common_option(int c, struct options *o)
{
	int ret = cr_opts_parse(&o->cr, c, optarg);

	if (ret < 0)
		die(EINVAL, "invalid signal number '%s'", optarg);
	quiet = o->cr.quiet;
	return ret;
}

static bool parse_other_option(int c, struct options *o)
{
	switch (c) {
	case OPT_SYNC:
	case OPT_NOSYNC:
		o->nosync = c == OPT_NOSYNC;
		break;
	case OPT_SAVE_NONE:
		o->save = 0;
		break;
	case OPT_PTRACE:
		break;
	case 't':
		set_time(o, optarg);
		break;
	case 'v':
		o->verbose++;
		break;
	case 'h':
		cr_help(usage_text);
	case OPT_VERSION:
		cr_version(PROG);
	default:
		return false;
	}
	return true;
}

static void parse_id(const char *arg, struct options *o)
{
	int id = cr_parse_uint(arg);

	if (id <= 0) {
		fprintf(stderr, PROG ": invalid ID '%s'\n", arg);
		cr_usage_error(PROG, NULL);
	}
	o->id = id;
}

static void check_options(struct options *o)
{
	unsigned int d = o->dests;

	if (d & (d - 1))
		die(EINVAL, "conflicting destinations: give one of -c, -f, -F and -d");
	if (d & DEST_DIR)
		die(EINVAL, "--dir: not yet implemented");
	if (o->dests == DEST_FD && o->policy == POLICY_BACKUP)
		die(EINVAL, "--backup needs a file, not --fd");
	cr_opts_check(&o->cr);
}

static void parse_options(int argc, char **argv, struct options *o)
{
	int c, idx;

	while ((c = cr_getopt(argc, argv, "TpgscF:f:d:S:t:qvh?", long_options,
			      &idx, PROG)) != -1) {
		if (c >= OPT_SAVE_EXE && c <= OPT_SAVE_ALL) {
			o->save |= c == OPT_SAVE_EXE ? CHECKPOINT_SAVE_EXE :
				   c == OPT_SAVE_PRIVATE ? CHECKPOINT_SAVE_PRIVATE :
				   c == OPT_SAVE_SHARED ? CHECKPOINT_SAVE_SHARED :
				   CHECKPOINT_SAVE_ALL;
			continue;
		}
		if (!parse_target_option(c, o) && !parse_common_option(c, o) &&
		    !parse_other_option(c, o))
			cr_usage_error(PROG, NULL);
	}
	if (optind != argc - 1)
		cr_usage_error(PROG, optind < argc ? "too many arguments" : "no ID given");
	parse_id(argv[optind], o);
	check_options(o);
}

/* Make a file of ours read-only for its owner, as BLCR did. */
static void make_private(int fd)
{
	struct stat st;

	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_uid == geteuid())
		fchmod(fd, 0400);
}

/*
 * --clobber: write over the file.  Ours is 0400 from an earlier
 * checkpoint: let its owner write it again, as root always may.
 */
static int open_clobber(const char *path)
{
	int flags = O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY | O_CLOEXEC;
	struct stat st;
	int fd;

	fd = open(path, flags, 0400);
	if (fd < 0 && errno == EACCES && !lstat(path, &st) &&
	    S_ISREG(st.st_mode) && st.st_uid == geteuid() && !chmod(path, 0600))
		fd = open(path, flags, 0400);
	return fd;
}

/* --atomic, --backup: a new file next to the destination */
static int open_tmp(struct dest *d)
{
	int fd;

	if (asprintf(&d->tmp, "%s.tmp-XXXXXX", d->path) < 0) {
		d->tmp = NULL;
		errno = ENOMEM;
		return -1;
	}
	fd = mkostemp(d->tmp, O_CLOEXEC);
	if (fd < 0) {
		free(d->tmp);
		d->tmp = NULL;
	}
	return fd;
}

static void open_path(const struct options *o, struct dest *d)
{
	struct stat st;

	if (!stat(d->path, &st) && S_ISDIR(st.st_mode))
		die(EISDIR, "%s: %s", d->path, strerror(EISDIR));
	/* A FIFO, a socket or a device is written as it is. */
	if (!stat(d->path, &st) && !S_ISREG(st.st_mode)) {
		d->fd = open(d->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	} else if (o->policy == POLICY_CLOBBER) {
		d->fd = open_clobber(d->path);
	} else if (o->policy == POLICY_NOCLOBBER) {
		d->fd = open(d->path, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY |
			     O_CLOEXEC, 0400);
		d->made = d->fd >= 0;
	} else {
		d->fd = open_tmp(d);
	}
	if (d->fd < 0)
		die(errno, "%s: %s", d->path, strerror(errno));
	make_private(d->fd);
}

static void open_dest(const struct options *o, struct dest *d)
{
	d->path = NULL;
	d->tmp = NULL;
	d->made = false;
	if (o->dests == DEST_FD) {
		d->fd = o->fd;
		if (fcntl(d->fd, F_GETFL) < 0)
			die(errno, "--fd %d: %s", d->fd, strerror(errno));
		return;
	}
	if (o->file)
		d->path = strdup(o->file);
	else if (asprintf(&d->path, "context.%d", o->id) < 0)
		d->path = NULL;
	if (!d->path)
		die(ENOMEM, "%s", strerror(ENOMEM));
	open_path(o, d);
}

/* The name of a backup of @path: @name, or @path.~N~, N the first free. */
static char *backup_name(const char *path, const char *name)
{
	struct stat st;
	char *s = NULL;
	unsigned int n;

	if (name)
		return strdup(name);
	for (n = 1; n < UINT_MAX; n++) {
		if (asprintf(&s, "%s.~%u~", path, n) < 0)
			return NULL;
		if (lstat(s, &st) && errno == ENOENT)
			return s;
		free(s);
	}
	return NULL;
}

/*
 * Keep the old file under its backup name, as a second link so that
 * the destination never goes missing; where there are no hard links,
 * rename it.
 */
static int keep_backup(const struct options *o, const struct dest *d)
{
	struct stat st;
	char *name;
	int err = 0;

	if (lstat(d->path, &st))
		return errno == ENOENT ? 0 : -1;
	name = backup_name(d->path, o->backup);
	if (!name) {
		errno = ENOMEM;
		return -1;
	}
	if (o->backup && unlink(name) && errno != ENOENT)
		err = -1;
	else if (link(d->path, name) && rename(d->path, name))
		err = -1;
	else if (o->verbose)
		fprintf(stderr, PROG ": kept %s as %s\n", d->path, name);
	free(name);
	return err;
}

/* The image is complete: make it durable and give it its name. */
static void commit_dest(const struct options *o, struct dest *d)
{
	const char *name = d->tmp ? d->tmp : d->path;

	if (!o->nosync && fsync(d->fd) && errno != EINVAL && errno != EROFS)
		die(errno, "fsync %s: %s", name ? name : "--fd", strerror(errno));
	if (!d->path)
		return;
	if (close(d->fd))
		die(errno, "%s: %s", name, strerror(errno));
	d->fd = -1;
	if (!d->tmp)
		return;
	if (o->policy == POLICY_BACKUP && keep_backup(o, d))
		die(errno, "backup of %s: %s", d->path, strerror(errno));
	if (rename(d->tmp, d->path))
		die(errno, "%s: %s", d->path, strerror(errno));
	free(d->tmp);
	d->tmp = NULL;
}

/* After a failure: remove what was made; a previous file stays. */
static void discard_dest(struct dest *d)
{
	if (d->path && d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	if (d->tmp)
		unlink(d->tmp);
	else if (d->made)
		unlink(d->path);
}

static sig_atomic_t timed_out;	/* read and written with __atomic_*() */

static void on_alarm(int sig)
{
	(void)sig;
	__atomic_store_n(&timed_out, 1, __ATOMIC_RELAXED);
}

/* --time: an alarm interrupts checkpoint(2), which then fails with EINTR. */
static void start_timer(int sec)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	if (!sec)
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART */
	alarm(sec);
}

/*
 * SIGKILL and SIGSTOP are for the kernel to send while the processes
 * are still held, unless this process is one of them: it must go on
 * to finish the file, and sends the signal to the others itself.
 */
static unsigned long kernel_flags(const struct options *o)
{
	struct cr_tasks ts;
	bool self = false;

	if (o->cr.signal != SIGKILL && o->cr.signal != SIGSTOP)
		return 0;
	if (!cr_tasks_find(&ts, o->scope, o->id)) {
		self = cr_tasks_has(&ts, getpid());
		cr_tasks_free(&ts);
	}
	if (self)
		return 0;
	return o->cr.signal == SIGKILL ? CHECKPOINT_KILL : CHECKPOINT_STOP;
}

/* -S and the like, for what the kernel did not do */
static void send_after(const struct options *o, unsigned long flags)
{
	struct cr_tasks ts;
	int n;

	if (!o->cr.signal || (flags & (CHECKPOINT_KILL | CHECKPOINT_STOP)))
		return;
	if (o->scope == CHECKPOINT_SCOPE_TASK) {
		if (kill(o->id, o->cr.signal) && errno != ESRCH)
			die(errno, "kill %d: %s", o->id, strerror(errno));
		return;
	}
	if (cr_tasks_find(&ts, o->scope, o->id))
		die(errno, "/proc: %s", strerror(errno));
	n = cr_tasks_kill(&ts, o->cr.signal, getpid());
	cr_tasks_free(&ts);
	if (n < 0)
		die(errno, "sending signal %d: %s", o->cr.signal, strerror(errno));
	if (o->verbose)
		fprintf(stderr, PROG ": sent signal %d to %d processes\n", o->cr.signal, n);
}

/*
 * The exit status of a failed checkpoint: the code a refusing process
 * gave (PR_CHECKPOINT_FAIL_* with a code, logged by the kernel), BLCR's
 * CR_ETEMPFAIL or CR_EPERMFAIL for a refusal without one, else errno.
 */
static int failure_status(int err, const struct cr_kmsg_log *log)
{
	const char *p = log->text ? strstr(log->text, " refused the checkpoint (") : NULL;
	unsigned int code;

	if (p)
		p = strstr(p, ", code ");
	if (p && sscanf(p, ", code %u)", &code) == 1 && (code & 0xff))
		return code & 0xff;
	if (err == EAGAIN)
		return CR_ETEMPFAIL & 0xff;
	if (err == ECANCELED)
		return CR_EPERMFAIL & 0xff;
	return cr_exit_status(err);
}

static const char *scope_name(unsigned long scope)
{
	switch (scope) {
	case CHECKPOINT_SCOPE_TASK:
		return "process";
	case CHECKPOINT_SCOPE_PGRP:
		return "process group";
	case CHECKPOINT_SCOPE_SESSION:
		return "session";
	default:
		return "process tree";
	}
}

static noreturn void
fail(const struct options *o, int err, struct cr_kmsg_log *log)
{
	if (__atomic_load_n(&timed_out, __ATOMIC_RELAXED) && err == EINTR)
		err = ETIMEDOUT;
	if (!o->cr.quiet) {
		fprintf(stderr, PROG ": checkpoint of %s %d failed: %s%s\n",
			scope_name(o->scope), o->id,
			err == ETIMEDOUT ? "timed out" : strerror(err),
			ckpt_no_syscall(err) ? NO_SYSCALL_HINT : "");
		if (err == EAGAIN && log->text && strstr(log->text, ": try again"))
			fputs(PROG ": the processes changed while held: try again later\n",
			      stderr);
		else if (err == EAGAIN || err == ECANCELED)
			fprintf(stderr, PROG ": a process refused it%s\n",
				err == EAGAIN ? " for now: try again later" : "");
		if (err == ESRCH)
			fprintf(stderr, PROG ": no such process, or all omitted themselves\n");
	}
	if (o->cr.kmsg != CR_KMSG_NONE)
		cr_kmsg_print(log, PROG);
	exit(err == ETIMEDOUT ? ETIMEDOUT : failure_status(err, log));
}

/*
 * checkpoint(2), made again while it fails for a passing reason; @log
 * holds the messages of the last try.  0 in the restored copy.
 */
static long checkpoint_tries(const struct options *o, int fd,
			     unsigned long flags, struct cr_kmsg_log *log,
			     int *err)
{
	struct ckpt_retry r;
	long ret;

	ckpt_retry_init(&r, fd, CKPT_RETRIES);
	for (;;) {
		ret = sys_checkpoint(o->id, fd, flags, log->fd[1]);
		*err = errno;
		if (ret == 0)
			return 0;
		cr_kmsg_collect(log);
		if (ret > 0 || !ckpt_retry(&r, err, log->text,
					   o->verbose ? PROG : NULL))
			return ret;
		/* Without a new pipe, the next try has no log. */
		cr_kmsg_close(log);
		cr_kmsg_open(log);
	}
}

int main(int argc, char **argv)
{
	struct options o = {
		.scope = CHECKPOINT_SCOPE_TREE,
		.fd = -1,
		.cr.kmsg = CR_KMSG_ERROR,
	};
	struct cr_kmsg_log log = { .fd = { -1, -1 } };
	unsigned long flags;
	struct dest d;
	long ret;
	int err;

	parse_options(argc, argv, &o);
	open_dest(&o, &d);
	flags = o.scope | o.save | kernel_flags(&o);
	if (cr_kmsg_open(&log))
		die(errno, "pipe: %s", strerror(errno));
	if (o.verbose)
		fprintf(stderr, PROG ": checkpointing %s %d to %s\n",
			scope_name(o.scope), o.id, d.path ? d.path : "--fd");

	start_timer(o.time);
	ret = checkpoint_tries(&o, d.fd, flags, &log, &err);
	alarm(0);
	/* The copy of this process in the image, restarted: all is done. */
	if (ret == 0)
		return EXIT_OK;
	if (ret < 0) {
		discard_dest(&d);
		fail(&o, err, &log);
	}
	if (o.cr.kmsg == CR_KMSG_WARNING)
		cr_kmsg_print(&log, PROG);
	commit_dest(&o, &d);
	send_after(&o, flags);
	if (o.verbose)
		fprintf(stderr, PROG ": checkpoint %ld of %s %d written to %s\n",
			ret, scope_name(o.scope), o.id, d.path ? d.path : "--fd");
	cr_kmsg_close(&log);
	free(d.path);
	return EXIT_OK;
}
