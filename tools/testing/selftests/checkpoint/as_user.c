// SPDX-License-Identifier: GPL-2.0
/*
 * as_user UID GID[,GID...] PROG [ARG...]: run PROG with UID as its
 * real, effective and saved uid, the first GID as its gids and all the
 * GIDs as its supplementary groups, as login(1) would run a user's
 * shell.  For cr_tools.sh, which runs as root in the test VM, to run the
 * tools as a user without privileges.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_GROUPS	16

int main(int argc, char **argv)
{
	gid_t groups[MAX_GROUPS];
	char *p, *end;
	int n = 0;
	uid_t uid;

	if (argc < 4) {
		fprintf(stderr, "usage: as_user UID GID[,GID...] PROG [ARG...]\n");
		return 2;
	}
	uid = strtoul(argv[1], &end, 10);
	if (*end)
		return 2;
	for (p = argv[2]; n < MAX_GROUPS; p = end + 1) {
		groups[n++] = strtoul(p, &end, 10);
		if (*end != ',')
			break;
	}
	if (*end)
		return 2;
	if (setgroups(n, groups) ||
	    setresgid(groups[0], groups[0], groups[0]) ||
	    setresuid(uid, uid, uid)) {
		perror("as_user");
		return 126;
	}
	execvp(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
