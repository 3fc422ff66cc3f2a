// SPDX-License-Identifier: GPL-2.0
/*
 * Code shared by the BLCR-compatible tools cr_checkpoint and cr_restart:
 * the pipe that collects the kernel's messages, the options they share,
 * usage, help and version, and finding and signalling the processes of
 * a checkpoint scope.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"

/*
 * The write end is non-blocking: the kernel writes to it while the
 * caller is inside the system call and cannot read, so a full pipe must
 * drop messages rather than block the call.
 */
int cr_kmsg_open(struct cr_kmsg_log *log)
{
	log->text = NULL;
	if (pipe2(log->fd, O_CLOEXEC))
		return -1;
	if (fcntl(log->fd[1], F_SETFL, O_NONBLOCK)) {
		cr_kmsg_close(log);
		return -1;
	}
	return 0;
}

/* After the system call: read what the kernel wrote. */
void cr_kmsg_collect(struct cr_kmsg_log *log)
{
	size_t len = 0, size = 0;
	char *p;
	ssize_t n;

	if (log->fd[1] >= 0) {
		close(log->fd[1]);
		log->fd[1] = -1;
	}
	if (log->fd[0] < 0)
		return;
	for (;;) {
		if (size - len < 1024) {
			p = realloc(log->text, size + 4096);
			if (!p)
				break;
			log->text = p;
			size += 4096;
		}
		n = read(log->fd[0], log->text + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	if (log->text)
		log->text[len] = '\0';
}

/* Each line of the kernel's messages, prefixed with "- ". */
void cr_kmsg_print(const struct cr_kmsg_log *log, const char *prog)
{
	const char *line = log->text, *end;

	if (!line || !*line)
		return;
	fprintf(stderr, "%s: the kernel said:\n", prog);
	for (; *line; line = end) {
		end = strchrnul(line, '\n');
		fprintf(stderr, "- %.*s\n", (int)(end - line), line);
		if (*end)
			end++;
	}
}

void cr_kmsg_close(struct cr_kmsg_log *log)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (log->fd[i] >= 0)
			close(log->fd[i]);
		log->fd[i] = -1;
	}
	free(log->text);
	log->text = NULL;
}

noreturn void cr_usage_error(const char *prog, const char *msg)
{
	if (msg)
		fprintf(stderr, "%s: %s\n", prog, msg);
	fprintf(stderr, "Try '%s --help'.\n", prog);
	exit(CR_EXIT_USAGE);
}

noreturn void cr_help(const char *usage)
{
	fputs(usage, stdout);
	exit(EXIT_OK);
}

noreturn void cr_version(const char *prog)
{
	printf("%s (Linux tools/checkpoint) compatible with BLCR " CR_VERSION "\n",
	       prog);
	exit(EXIT_OK);
}

void cr_vwarn(const char *prog, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/*
 * getopt_long() returned '?': for -? itself, or for an error.  glibc
 * sets optopt to 0 for both -? and an unknown long option, which is the
 * argument before optind.
 */
static bool opt_is_help(char **argv)
{
	return !optopt && strncmp(argv[optind - 1], "--", 2);
}

int cr_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *longopts, int *idx, const char *prog)
{
	int c = getopt_long(argc, argv, shortopts, longopts, idx);

	if (c == '?' && !opt_is_help(argv))
		cr_usage_error(prog, NULL);
	return c == '?' ? 'h' : c;
}

int cr_parse_uint(const char *s)
{
	char *end;
	long val;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	val = strtol(s, &end, 10);
	if (errno || *end || val > INT_MAX)
		return -1;
	return val;
}

int cr_parse_signal(const char *s)
{
	int sig = cr_parse_uint(s);

	return sig <= SIGRTMAX ? sig : -1;
}

int cr_opts_parse(struct cr_opts *o, int c, const char *arg)
{
	static const int sigs[] = {
		[CR_OPT_RUN - CR_OPT_RUN] = 0,
		[CR_OPT_STOP - CR_OPT_RUN] = SIGSTOP,
		[CR_OPT_TERM - CR_OPT_RUN] = SIGTERM,
		[CR_OPT_ABORT - CR_OPT_RUN] = SIGABRT,
		[CR_OPT_KILL - CR_OPT_RUN] = SIGKILL,
		[CR_OPT_CONT - CR_OPT_RUN] = SIGCONT,
	};

	switch (c) {
	case 'S':
		o->signal = cr_parse_signal(arg);
		return o->signal < 0 ? -1 : 1;
	case CR_OPT_RUN ... CR_OPT_CONT:
		o->signal = sigs[c - CR_OPT_RUN];
		return 1;
	case CR_OPT_KMSG_NONE:
	case CR_OPT_KMSG_ERROR:
	case CR_OPT_KMSG_WARNING:
		o->kmsg = c - CR_OPT_KMSG_NONE + CR_KMSG_NONE;
		o->kmsg_set = true;
		return 1;
	case 'q':
		o->quiet = true;
		return 1;
	default:
		return 0;
	}
}

void cr_opts_check(struct cr_opts *o)
{
	if (o->quiet && !o->kmsg_set)
		o->kmsg = CR_KMSG_NONE;
}

/* Read pid, ppid, process group and session of /proc/@name/stat. */
static int read_stat(const char *name, struct cr_task *t)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name may hold anything, ')' included. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d %d %d", &t->ppid, &t->pgrp, &t->sid) != 3)
		return -1;
	t->pid = atoi(buf);
	t->in_set = false;
	return 0;
}

static int add_task(struct cr_tasks *ts, const char *name, size_t *size)
{
	struct cr_task *p;

	if (ts->nr == *size) {
		p = realloc(ts->task, (*size + 256) * sizeof(*p));
		if (!p)
			return -1;
		ts->task = p;
		*size += 256;
	}
	if (!read_stat(name, &ts->task[ts->nr]))
		ts->nr++;	/* else it has just exited */
	return 0;
}

/* Mark the descendants of the marked tasks, until none is added. */
static void mark_descendants(struct cr_tasks *ts)
{
	bool more = true;
	size_t i, j;

	while (more) {
		more = false;
		for (i = 0; i < ts->nr; i++) {
			if (ts->task[i].in_set)
				continue;
			for (j = 0; j < ts->nr; j++) {
				if (ts->task[j].in_set &&
				    ts->task[j].pid == ts->task[i].ppid) {
					ts->task[i].in_set = true;
					more = true;
					break;
				}
			}
		}
	}
}

static bool in_scope(const struct cr_task *t, unsigned long scope, pid_t id)
{
	switch (scope) {
	case CHECKPOINT_SCOPE_PGRP:
		return t->pgrp == id;
	case CHECKPOINT_SCOPE_SESSION:
		return t->sid == id;
	default:
		return t->pid == id;
	}
}

/*
 * The processes that checkpoint(2) would save for @scope and @id, as far
 * as /proc shows them: every process is listed, those of the set marked.
 */
int cr_tasks_find(struct cr_tasks *ts, unsigned long scope, pid_t id)
{
	size_t size = 0, i;
	struct dirent *d;
	DIR *dir;
	int err = 0;

	ts->task = NULL;
	ts->nr = 0;
	dir = opendir("/proc");
	if (!dir)
		return -1;
	while (!err && (d = readdir(dir)))
		if (isdigit((unsigned char)d->d_name[0]))
			err = add_task(ts, d->d_name, &size);
	closedir(dir);
	if (err) {
		cr_tasks_free(ts);
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < ts->nr; i++)
		ts->task[i].in_set = in_scope(&ts->task[i], scope, id);
	if (scope == CHECKPOINT_SCOPE_TREE)
		mark_descendants(ts);
	return 0;
}

bool cr_tasks_has(const struct cr_tasks *ts, pid_t pid)
{
	size_t i;

	for (i = 0; i < ts->nr; i++)
		if (ts->task[i].pid == pid)
			return ts->task[i].in_set;
	return false;
}

/*
 * Send @sig to every process of the set but @except.  Return the number
 * of processes signalled, or -1 if none could be and one failed.
 */
int cr_tasks_kill(const struct cr_tasks *ts, int sig, pid_t except)
{
	int n = 0, err = 0;
	size_t i;

	for (i = 0; i < ts->nr; i++) {
		if (!ts->task[i].in_set || ts->task[i].pid == except)
			continue;
		if (!kill(ts->task[i].pid, sig))
			n++;
		else if (errno != ESRCH)
			err = errno;
	}
	if (!n && err) {
		errno = err;
		return -1;
	}
	return n;
}

void cr_tasks_free(struct cr_tasks *ts)
{
	free(ts->task);
	ts->task = NULL;
	ts->nr = 0;
}
