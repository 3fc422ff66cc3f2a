// SPDX-License-Identifier: GPL-2.0
/*
 * cr_run - run a program that does not use libcr so that it can be
 * checkpointed as BLCR's cr_run did: with libcr_run.so.0 preloaded,
 * ahead of anything LD_PRELOAD already holds.
 *
 * The library is $LIBCR_RUN if set, else the first libcr_run.so.0 found
 * in ../lib and in the directory of this program, then in the libdir it
 * was built for; else the dynamic linker looks for it by its soname.
 */

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"

#define PROG		"cr_run"
#define LIBCR_RUN	"libcr_run.so.0"

#ifndef CR_LIBDIR
#define CR_LIBDIR	"/usr/local/lib"
#endif

static const char usage_text[] =
	"Usage: cr_run PROGRAM [ARGS]\n"
	"Run PROGRAM with " LIBCR_RUN " preloaded, so that it can be\n"
	"checkpointed with cr_checkpoint although it does not use libcr.\n"
	"The library is $LIBCR_RUN if set, else looked for in ../lib and in\n"
	"the directory of cr_run, then in " CR_LIBDIR ".\n"
	"\n"
	"  -?, -h, --help  print this help\n"
	"      --version   print the version\n"
	"\n"
	"Exit status: that of PROGRAM; 127 if it is not found, 126 if it cannot\n"
	"be run, 255 for a usage error.\n";

/* @dir/@rel/libcr_run.so.0 if it exists */
static char *lib_in(const char *dir, const char *rel)
{
	char *path;

	if (asprintf(&path, "%s/%s" LIBCR_RUN, dir, rel) < 0)
		return NULL;
	if (!access(path, R_OK))
		return path;
	free(path);
	return NULL;
}

static char *find_lib(void)
{
	char exe[PATH_MAX], *dir, *path = NULL;
	const char *env = getenv("LIBCR_RUN");
	ssize_t n;

	if (env && *env)
		return strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		dir = dirname(exe);
		path = lib_in(dir, "../lib/");
		if (!path)
			path = lib_in(dir, "");
	}
	if (!path)
		path = lib_in(CR_LIBDIR, "");
	return path ? path : strdup(LIBCR_RUN);
}

/* LD_PRELOAD with @lib first, unless it is there already */
static int set_preload(const char *lib)
{
	const char *old = getenv("LD_PRELOAD");
	char *val;
	int err;

	if (!old || !*old)
		return setenv("LD_PRELOAD", lib, 1);
	if (strstr(old, lib))
		return 0;
	if (asprintf(&val, "%s %s", lib, old) < 0)
		return -1;
	err = setenv("LD_PRELOAD", val, 1);
	free(val);
	return err;
}

int main(int argc, char **argv)
{
	char *lib;
	int arg = 1;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "-?") ||
			 !strcmp(argv[1], "--help")))
		cr_help(usage_text);
	if (argc > 1 && !strcmp(argv[1], "--version"))
		cr_version(PROG);
	if (argc > 1 && !strcmp(argv[1], "--")) {
		arg++;
	} else if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		fprintf(stderr, PROG ": unknown option '%s'\n", argv[1]);
		arg = argc;
	}
	if (arg >= argc) {
		fputs(usage_text, stderr);
		return CR_EXIT_USAGE;
	}

	lib = find_lib();
	if (!lib || set_preload(lib)) {
		fprintf(stderr, PROG ": %s\n", strerror(ENOMEM));
		return cr_exit_status(ENOMEM);
	}
	free(lib);
	execvp(argv[arg], argv + arg);
	fprintf(stderr, PROG ": %s: %s\n", argv[arg], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
