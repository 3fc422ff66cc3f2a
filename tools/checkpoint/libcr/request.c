// SPDX-License-Identifier: LGPL-2.1
/*
 * libcr: checkpoint and restart requests.
 *
 * A request of other processes runs checkpoint(2) or restart(2) in a
 * detached libcr thread: both calls are synchronous, and a thread of the
 * caller makes the restored processes its children, as BLCR's
 * cr_request_restart() does.  A checkpoint whose set holds the caller's
 * own process goes to the callback thread instead, which runs our
 * callbacks before it calls checkpoint(2) itself (libcr.c): the kernel
 * does not notify the process that calls it.
 *
 * The kernel's messages for the request go to a pipe, read once the
 * call returns, for cr_log_checkpoint().  A handle is the address of
 * the request, valid until it is reaped.
 *
 * A checkpoint that met a tree changing under it is made again a few
 * times when the image is a regular file (retry_checkpoint()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cr_private.h"

#define LOG_PIPE_SIZE	(1024 * 1024)	/* the kernel must never block on it */
#define RETRIES		9		/* of a checkpoint: 10 tries in all */
#define PAUSE_MS	10		/* before the first retry, then doubled */
#define PAUSE_MAX_MS	500
#define CHKPT_FLAGS_ALL	(CR_CHKPT_PROHIBIT_SELF | CR_CHKPT_PTRACED_ALLOW | \
			 CR_CHKPT_PTRACED_SKIP | CR_CHKPT_PTRACER_SKIP | \
			 CR_CHKPT_ASYNC_ERR | CR_CHKPT_DUMP_ALL)
#define RSTRT_FLAGS_ALL	(CR_RSTRT_ASYNC_ERR | CR_RSTRT_RESTORE_PID | \
			 CR_RSTRT_RESTORE_PGID | CR_RSTRT_RESTORE_SID)

static struct cri_req *reqs;		/* live requests, under cri_lock */

static void req_link(struct cri_req *q)
{
	sigset_t old;

	cri_lock_all(&old);
	q->next = reqs;
	reqs = q;
	cri_unlock_all(&old);
}

/* The live request of @handle, of @kind, or NULL with errno EINVAL. */
static struct cri_req *req_find(unsigned long handle, enum cri_req_kind kind,
				bool unlink)
{
	struct cri_req **pp, *q = NULL;
	sigset_t old;

	cri_lock_all(&old);
	for (pp = &reqs; *pp; pp = &(*pp)->next) {
		if ((unsigned long)*pp == handle && (*pp)->kind == kind) {
			q = *pp;
			if (unlink) {
				if (!cri_load(&q->done)) {
					q = NULL;
					errno = EAGAIN;
				} else {
					*pp = q->next;
				}
			}
			break;
		}
	}
	if (!q && !*pp)
		errno = EINVAL;
	cri_unlock_all(&old);
	return q;
}

static void req_free(struct cri_req *q)
{
	free(q->log);
	free(q);
}

static struct cri_req *req_new(enum cri_req_kind kind)
{
	struct cri_req *q = calloc(1, sizeof(*q));

	if (!q) {
		errno = ENOMEM;
		return NULL;
	}
	q->kind = kind;
	q->fd = -1;
	if (pipe2(q->logp, O_CLOEXEC)) {
		free(q);
		return NULL;
	}
	fcntl(q->logp[0], F_SETFL, O_NONBLOCK);
	fcntl(q->logp[1], F_SETPIPE_SZ, LOG_PIPE_SIZE);
	return q;
}

/* Add what the kernel wrote for the request to its log. */
static void read_log(struct cri_req *q)
{
	char buf[4096], *p;
	ssize_t n;

	if (q->logp[0] < 0)
		return;
	while ((n = read(q->logp[0], buf, sizeof(buf))) > 0) {
		p = realloc(q->log, q->loglen + n + 1);
		if (!p)
			break;
		memcpy(p + q->loglen, buf, n);
		q->loglen += n;
		p[q->loglen] = '\0';
		q->log = p;
	}
}

/* Read what is left of the log, and close the pipe. */
static void collect_log(struct cri_req *q)
{
	if (q->logp[0] < 0)
		return;
	read_log(q);
	close(q->logp[0]);
	close(q->logp[1]);
	q->logp[0] = -1;
	q->logp[1] = -1;
}

/* cr_signal after a checkpoint: to the targets (the root of a tree). */
static void send_after(struct cri_req *q, pid_t pid)
{
	int sig = q->args.cr_signal;

	if (sig <= 0 || sig == SIGKILL || sig == SIGSTOP)
		return;		/* none, or done by checkpoint(2) */
	if (q->args.cr_scope == CR_SCOPE_PGRP ||
	    q->args.cr_scope == CR_SCOPE_SESS)
		kill(-pid, sig);
	else
		kill(pid, sig);
}

void cri_req_finish(struct cri_req *q, long result)
{
	collect_log(q);
	if (q->close_fd && q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	q->result = result;
	if (q->kind == CRI_REQ_CHECKPOINT && result > 0 && !q->restarted)
		send_after(q, q->target ? q->target : getpid());
	cri_set(&q->done, 1);
}

/* In a forked child, the requests of the parent never finish. */
void cri_requests_after_fork(void)
{
	struct cri_req *q;

	for (q = reqs; q; q = q->next) {
		if (!q->done) {
			q->result = -ECHILD;
			q->done = 1;
		}
	}
}

/* Now + @tv, or the time left until @deadline into @tv. */
static struct timespec ts_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

/* Wait for the request to finish, as select() would; 1, 0 or -1. */
static int req_wait(struct cri_req *q, struct timeval *tv)
{
	struct timespec end, now, rel;

	if (!tv) {
		cri_wait_for(&q->done, 1);
		return 1;
	}
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000) {
		errno = EINVAL;
		return -1;
	}
	end = ts_now();
	end.tv_sec += tv->tv_sec;
	end.tv_nsec += tv->tv_usec * 1000;
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	for (;;) {
		now = ts_now();
		rel.tv_sec = end.tv_sec - now.tv_sec;
		rel.tv_nsec = end.tv_nsec - now.tv_nsec;
		if (rel.tv_nsec < 0) {
			rel.tv_sec--;
			rel.tv_nsec += 1000000000;
		}
		if (rel.tv_sec < 0) {
			rel.tv_sec = 0;
			rel.tv_nsec = 0;
		}
		if (cri_load(&q->done)) {
			tv->tv_sec = rel.tv_sec;
			tv->tv_usec = rel.tv_nsec / 1000;
			return 1;
		}
		if (!rel.tv_sec && !rel.tv_nsec) {
			tv->tv_sec = 0;
			tv->tv_usec = 0;
			return 0;
		}
		cri_futex_wait_timed(&q->done, 0, &rel);
	}
}

static int req_log(struct cri_req *q, unsigned int len, char *msg)
{
	size_t n = q->loglen;

	if (len && msg) {
		if (n > len - 1)
			n = len - 1;
		if (n)
			memcpy(msg, q->log, n);
		msg[n] = '\0';
	}
	return q->loglen + 1;
}

/* ------------------------------------------------------------------ */
/* Checkpoint requests                                                 */

int cri_init_checkpoint_args_t(cr_version_t version, cr_checkpoint_args_t *args)
{
	if (!args) {
		errno = EINVAL;
		return -1;
	}
	if (version != CR_CHECKPOINT_ARGS_VERSION) {
		errno = CR_EVERSION;
		return -1;
	}
	memset(args, 0, sizeof(*args));
	args->cr_version = version;
	args->cr_scope = CR_SCOPE_PROC;
	args->cr_target = 0;
	args->cr_fd = -1;
	return 0;
}

/* The parent of @pid, from /proc; 0 if unknown. */
static pid_t ppid_of(pid_t pid)
{
	char path[64], buf[512], *p;
	pid_t ppid = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

/* Does checkpoint(2) of @pid in @scope take the caller's process? */
static bool contains_self(cr_scope_t scope, pid_t pid)
{
	pid_t p = getpid();
	int i;

	switch (scope) {
	case CR_SCOPE_PROC:
		return pid == p;
	case CR_SCOPE_PGRP:
		return getpgrp() == pid;
	case CR_SCOPE_SESS:
		return getsid(0) == pid;
	case CR_SCOPE_TREE:
		if (pid == p)
			return true;
		p = getppid();
		for (i = 0; i < 4096 && p > 0; i++) {
			if (p == pid)
				return true;
			p = ppid_of(p);
		}
		return false;
	}
	return false;
}

/* Is @pid ptraced?  (From /proc; false if it cannot tell.) */
static bool is_ptraced(pid_t pid)
{
	char path[64], buf[4096], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "\nTracerPid:");
	return p && strtol(p + 11, NULL, 10) != 0;
}

static unsigned long checkpoint_flags(const cr_checkpoint_args_t *a)
{
	static const unsigned long scope[] = {
		[CR_SCOPE_PROC] = CHECKPOINT_SCOPE_TASK,
		[CR_SCOPE_PGRP] = CHECKPOINT_SCOPE_PGRP,
		[CR_SCOPE_SESS] = CHECKPOINT_SCOPE_SESSION,
		[CR_SCOPE_TREE] = CHECKPOINT_SCOPE_TREE,
	};
	unsigned long flags = scope[a->cr_scope];

	if (a->cr_signal == SIGKILL)
		flags |= CHECKPOINT_KILL;
	else if (a->cr_signal == SIGSTOP)
		flags |= CHECKPOINT_STOP;
	/* BLCR's "dump" flags: mapped files saved by their contents */
	if (a->cr_flags & CR_CHKPT_DUMP_EXEC)
		flags |= CHECKPOINT_SAVE_EXE;
	if (a->cr_flags & CR_CHKPT_DUMP_PRIVATE)
		flags |= CHECKPOINT_SAVE_PRIVATE;
	if (a->cr_flags & CR_CHKPT_DUMP_SHARED)
		flags |= CHECKPOINT_SAVE_SHARED;
	return flags;
}

/*
 * checkpoint(2) fails with EAGAIN, and a log line that says ": try
 * again", when the set changed (a fork, an exit) while it was being
 * held: the tasks are released unharmed and the call may be made again.
 * After try @n (from 0) that failed with *@err: true, once the image is
 * cut back to @start (-1: not a regular file, which cannot be) and a
 * pause that grows is over, if the call is to be made again; the try's
 * messages are then dropped.  A process that refused the checkpoint
 * (EAGAIN too, but no "try again") is not asked again.  A pause cut
 * short by a signal sets *@err to EINTR.
 */
static bool retry_checkpoint(struct cri_req *q, off_t start, int n, int *err)
{
	long ms = (long)PAUSE_MS << (n < 8 ? n : 8);
	struct timespec ts;

	read_log(q);
	if (*err != EAGAIN || n >= RETRIES || start < 0 || !q->log ||
	    !strstr(q->log, ": try again") || ftruncate(q->fd, start) ||
	    lseek(q->fd, start, SEEK_SET) != start)
		return false;
	free(q->log);
	q->log = NULL;
	q->loglen = 0;
	if (ms > PAUSE_MAX_MS)
		ms = PAUSE_MAX_MS;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = ms % 1000 * 1000000;
	if (nanosleep(&ts, NULL)) {
		*err = errno;
		return false;
	}
	return true;
}

/*
 * checkpoint(2) for @q in the calling thread, bounded by cr_timeout:
 * a timer signals the thread, which ends the call with EINTR (reported
 * as ETIMEDOUT).  The call is made again while retry_checkpoint() says
 * so.  Returns the result of the last try or -errno.
 */
static long checkpoint_call(struct cri_req *q)
{
	struct itimerspec its = { .it_value.tv_sec = q->args.cr_timeout };
	struct sigevent sev;
	sigset_t set, old;
	bool timed = false;
	timer_t timer;
	off_t start = -1;
	struct stat st;
	long ret;
	int err, n;

	/* With O_APPEND, the image starts at the end. */
	if (!fstat(q->fd, &st) && S_ISREG(st.st_mode))
		start = fcntl(q->fd, F_GETFL) & O_APPEND ? st.st_size :
			lseek(q->fd, 0, SEEK_CUR);
	if (q->args.cr_timeout && !cri_global_init()) {
		memset(&sev, 0, sizeof(sev));
		sev.sigev_notify = SIGEV_THREAD_ID;
		sev.sigev_signo = cri_signal;
		sev.sigev_value.sival_ptr = &cri_timer_cookie;
		sev._sigev_un._tid = gettid();
		if (!timer_create(CLOCK_MONOTONIC, &sev, &timer)) {
			timed = true;
			sigemptyset(&set);
			sigaddset(&set, cri_signal);
			pthread_sigmask(SIG_UNBLOCK, &set, &old);
			timer_settime(timer, 0, &its, NULL);
		}
	}
	for (n = 0;; n++) {
		ret = cri_sys_checkpoint(q->target, q->fd, q->flags, q->logp[1]);
		err = errno;
		if (ret >= 0 || !retry_checkpoint(q, start, n, &err))
			break;
	}
	if (timed) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		timer_gettime(timer, &its);
		timer_delete(timer);
		if (ret < 0 && err == EINTR && !its.it_value.tv_sec &&
		    !its.it_value.tv_nsec)
			err = ETIMEDOUT;
	}
	return ret < 0 ? -err : ret;
}

/*
 * The innermost step of a checkpoint of our own process, in the
 * callback thread once every callback is ready: checkpoint(2) unless a
 * callback refused (@how).  Returns > 0 if the image was written, 0 in
 * the restored copy, -errno if it failed.
 */
long cri_self_checkpoint(struct cri_req *q, int how, int code)
{
	long ret;

	switch (how) {
	case PR_CHECKPOINT_OK:
		ret = checkpoint_call(q);
		if (ret == 0)
			q->restarted = true;
		break;
	case PR_CHECKPOINT_OMIT:
		/* The kernel saves its caller: only "all omitted" works. */
		ret = q->args.cr_scope == CR_SCOPE_PROC ? -ESRCH :
							  -CR_ENOSUPPORT;
		break;
	case PR_CHECKPOINT_FAIL_TEMP:
		ret = code ? -code : -EAGAIN;
		break;
	default:
		ret = code ? -code : -ECANCELED;
		break;
	}
	q->result = ret;
	return ret;
}

static void *checkpoint_thread(void *arg)
{
	struct cri_req *q = arg;

	cri_req_finish(q, checkpoint_call(q));
	return NULL;
}

static void *restart_thread(void *arg)
{
	struct cri_req *q = arg;
	long ret;

	ret = cri_sys_restart(0, q->fd, 0, q->logp[1]);
	if (ret < 0)
		ret = -errno;
	else if (ret > 0 && q->rargs.cr_signal > 0)
		kill(ret, q->rargs.cr_signal);
	cri_req_finish(q, ret);
	return NULL;
}

/* A detached thread with every signal blocked runs @fn(@q). */
static int start_thread(void *(*fn)(void *), struct cri_req *q)
{
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t t;
	int err;

	sigfillset(&all);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 128 * 1024);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&t, &attr, fn, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return err;
}

/* The image fd of a request: @fd open for writing, or context.<pid>. */
static int open_dest(struct cri_req *q, int fd, pid_t pid)
{
	char cwd[PATH_MAX - 32];
	int fl;

	if (fd == CR_DEST_CWD) {
		snprintf(q->dest, sizeof(q->dest), "context.%d", pid);
		q->fd = open(q->dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0600);
		if (q->fd < 0)
			return -1;
		q->close_fd = true;
		if (getcwd(cwd, sizeof(cwd)))
			snprintf(q->dest, sizeof(q->dest), "%s/context.%d",
				 cwd, pid);
		return 0;
	}
	fl = fcntl(fd, F_GETFL);
	if (fd < 0 || fl < 0 || (fl & O_ACCMODE) == O_RDONLY) {
		errno = EBADF;
		return -1;
	}
	q->fd = fd;
	return 0;
}

static int request_checkpoint(cr_checkpoint_args_t *args,
			      cr_checkpoint_handle_t *handle, bool own_fd)
{
	struct cri_req *q;
	pid_t pid;
	int err;

	if (!args || !handle) {
		errno = EINVAL;
		return -1;
	}
	if (args->cr_version != CR_CHECKPOINT_ARGS_VERSION) {
		errno = CR_EVERSION;
		return -1;
	}
	if ((unsigned int)args->cr_scope > CR_SCOPE_TREE ||
	    (args->cr_flags & ~CHKPT_FLAGS_ALL) || args->cr_target < 0 ||
	    args->cr_signal < 0 || args->cr_signal >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	pid = args->cr_target ? args->cr_target : getpid();
	if (kill(args->cr_scope == CR_SCOPE_PGRP ? -pid : pid, 0))
		return -1;	/* ESRCH or EPERM */
	if (!(args->cr_flags & (CR_CHKPT_PTRACED_ALLOW |
				CR_CHKPT_PTRACED_SKIP)) && is_ptraced(pid)) {
		errno = CR_EPTRACED;
		return -1;
	}

	q = req_new(CRI_REQ_CHECKPOINT);
	if (!q)
		return -1;
	q->args = *args;
	q->self = contains_self(args->cr_scope, pid);
	q->target = q->self && pid == getpid() ? 0 : pid;
	q->flags = checkpoint_flags(args);
	if (q->self && (args->cr_flags & CR_CHKPT_PROHIBIT_SELF)) {
		err = EDEADLK;
		goto fail;
	}
	if (open_dest(q, args->cr_fd, pid)) {
		err = errno;
		goto fail;
	}
	if (own_fd)
		q->close_fd = true;	/* a legacy request's file */
	if (q->self) {
		/* the callback thread will run it */
		err = cri_global_init();
		if (err)
			goto fail;
	}
	req_link(q);
	if (q->self) {
		cri_queue_self(q);
	} else {
		err = start_thread(checkpoint_thread, q);
		if (err)
			cri_req_finish(q, -err);
	}
	*handle = (unsigned long)q;
	return 0;
fail:
	close(q->logp[0]);
	close(q->logp[1]);
	if (q->close_fd && !own_fd)
		close(q->fd);	/* context.<pid> we opened */
	req_free(q);
	errno = err;
	return -1;
}

int cr_request_checkpoint(cr_checkpoint_args_t *args,
			  cr_checkpoint_handle_t *handle)
{
	return request_checkpoint(args, handle, false);
}

int cr_wait_checkpoint(cr_checkpoint_handle_t *handle, struct timeval *timeout)
{
	struct cri_req *q;

	q = handle ? req_find(*handle, CRI_REQ_CHECKPOINT, false) : NULL;
	if (!q) {
		errno = EINVAL;
		return -1;
	}
	return req_wait(q, timeout);
}

int cr_log_checkpoint(cr_checkpoint_handle_t *handle, unsigned int len,
		      char *msg)
{
	struct cri_req *q;

	q = handle ? req_find(*handle, CRI_REQ_CHECKPOINT, false) : NULL;
	if (!q) {
		errno = EINVAL;
		return -1;
	}
	return req_log(q, len, msg);
}

/* A user's code in "refused the checkpoint (..., code N)", or 0. */
static int refusal_code(const struct cri_req *q)
{
	const char *p = q->log ? strstr(q->log, "refused the checkpoint") : NULL;

	p = p ? strstr(p, "code ") : NULL;
	return p ? (int)strtol(p + 5, NULL, 10) : 0;
}

int cr_reap_checkpoint(cr_checkpoint_handle_t *handle)
{
	struct cri_req *q;
	int err;

	if (!handle) {
		errno = EINVAL;
		return -1;
	}
	q = req_find(*handle, CRI_REQ_CHECKPOINT, true);
	if (!q)
		return -1;	/* EINVAL, or EAGAIN: not done */
	if (q->restarted) {
		err = CR_ERESTARTED;
	} else if (q->result > 0) {
		err = 0;
	} else {
		err = -q->result;
		if ((err == EAGAIN || err == ECANCELED) && !q->self &&
		    refusal_code(q) > 0)
			err = refusal_code(q);
		else if (err == EAGAIN)
			err = CR_ETEMPFAIL;
		else if (err == ECANCELED)
			err = CR_EPERMFAIL;
	}
	req_free(q);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Wait, then the messages, then reap; CR_POLL_* codes for each failure. */
static int poll_common(unsigned long *handle, struct timeval *timeout,
		       char **msg_p, enum cri_req_kind kind)
{
	struct cri_req *q;
	int rc, n;
	char *msg;

	q = handle ? req_find(*handle, kind, false) : NULL;
	if (!q)
		return CR_POLL_CHKPT_ERR_PRE;
	rc = req_wait(q, timeout);
	if (rc <= 0)
		return rc < 0 ? CR_POLL_CHKPT_ERR_PRE : 0;
	if (msg_p) {
		n = req_log(q, 0, NULL);
		msg = malloc(n);
		if (!msg) {
			errno = ENOMEM;
			return CR_POLL_CHKPT_ERR_LOG;
		}
		req_log(q, n, msg);
		*msg_p = msg;
	}
	if (kind == CRI_REQ_CHECKPOINT) {
		if (cr_reap_checkpoint(handle) < 0)
			return CR_POLL_CHKPT_ERR_POST;
		return rc;
	}
	n = cr_reap_restart(handle);
	return n < 0 ? CR_POLL_RSTRT_ERR_POST : n;
}

int cr_poll_checkpoint_msg(cr_checkpoint_handle_t *handle,
			   struct timeval *timeout, char **msg_p)
{
	return poll_common(handle, timeout, msg_p, CRI_REQ_CHECKPOINT);
}

int cr_poll_checkpoint(cr_checkpoint_handle_t *handle, struct timeval *timeout)
{
	return poll_common(handle, timeout, NULL, CRI_REQ_CHECKPOINT);
}

/* ------------------------------------------------------------------ */
/* Restart requests                                                    */

int cri_init_restart_args_t(cr_version_t version, cr_restart_args_t *args)
{
	if (!args) {
		errno = EINVAL;
		return -1;
	}
	if (version != CR_RESTART_ARGS_VERSION) {
		errno = CR_EVERSION;
		return -1;
	}
	memset(args, 0, sizeof(*args));
	args->cr_version = version;
	args->cr_fd = -1;
	args->cr_flags = CR_RSTRT_RESTORE_PID;
	return 0;
}

int cr_request_restart(cr_restart_args_t *args, cr_restart_handle_t *handle)
{
	struct cri_req *q;
	int fl, err;

	if (!args || !handle) {
		errno = EINVAL;
		return -1;
	}
	if (args->cr_version != CR_RESTART_ARGS_VERSION) {
		errno = CR_EVERSION;
		return -1;
	}
	if ((args->cr_flags & ~RSTRT_FLAGS_ALL) || args->cr_signal < 0 ||
	    args->cr_signal >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	/* The kernel restores files by their saved paths only. */
	if (args->cr_relocate && args->cr_relocate->count) {
		errno = args->cr_relocate->count > CR_MAX_RSTRT_RELOC ?
			EINVAL : CR_ENOSUPPORT;
		return -1;
	}
	fl = fcntl(args->cr_fd, F_GETFL);
	if (args->cr_fd < 0 || fl < 0 || (fl & O_ACCMODE) == O_WRONLY) {
		errno = EBADF;
		return -1;
	}
	q = req_new(CRI_REQ_RESTART);
	if (!q)
		return -1;
	q->rargs = *args;
	q->rargs.cr_relocate = NULL;
	q->fd = args->cr_fd;
	req_link(q);
	err = start_thread(restart_thread, q);
	if (err)
		cri_req_finish(q, -err);
	*handle = (unsigned long)q;
	return 0;
}

int cr_wait_restart(cr_restart_handle_t *handle, struct timeval *timeout)
{
	struct cri_req *q;

	q = handle ? req_find(*handle, CRI_REQ_RESTART, false) : NULL;
	if (!q) {
		errno = EINVAL;
		return -1;
	}
	return req_wait(q, timeout);
}

int cr_log_restart(cr_restart_handle_t *handle, unsigned int len, char *msg)
{
	struct cri_req *q;

	q = handle ? req_find(*handle, CRI_REQ_RESTART, false) : NULL;
	if (!q) {
		errno = EINVAL;
		return -1;
	}
	return req_log(q, len, msg);
}

int cr_reap_restart(cr_restart_handle_t *handle)
{
	struct cri_req *q;
	long ret;

	if (!handle) {
		errno = EINVAL;
		return -1;
	}
	q = req_find(*handle, CRI_REQ_RESTART, true);
	if (!q)
		return -1;
	ret = q->result;
	req_free(q);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

int cr_poll_restart_msg(cr_restart_handle_t *handle, struct timeval *timeout,
			char **msg_p)
{
	return poll_common(handle, timeout, msg_p, CRI_REQ_RESTART);
}

int cr_poll_restart(cr_restart_handle_t *handle, struct timeval *timeout)
{
	return poll_common(handle, timeout, NULL, CRI_REQ_RESTART);
}

/* ------------------------------------------------------------------ */
/* Legacy requests: the calling process, reaped by the next request    */

static cr_checkpoint_handle_t legacy;

static void legacy_request(int fd, bool close_fd)
{
	cr_checkpoint_args_t args;

	if (legacy) {
		if (cr_reap_checkpoint(&legacy) < 0 && errno == EAGAIN) {
			/* the previous one is still pending: it will do */
			if (close_fd)
				close(fd);
			return;
		}
		legacy = 0;
	}
	cr_initialize_checkpoint_args_t(&args);
	args.cr_scope = CR_SCOPE_PROC;
	args.cr_target = 0;
	args.cr_fd = fd;
	if (request_checkpoint(&args, &legacy, close_fd)) {
		if (close_fd)
			close(fd);
		legacy = 0;
	}
}

void cr_request(void)
{
	legacy_request(CR_DEST_CWD, false);
}

void cr_request_file(const char *filename)
{
	int fd;

	if (!filename) {
		errno = EINVAL;
		return;
	}
	fd = open(filename, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0)
		legacy_request(fd, true);
}

void cr_request_fd(int fd)
{
	legacy_request(fd, false);
}
