/* SPDX-License-Identifier: Apache-2.0 */
/* A peer row of `make bench`: a wrapper of the same shape as the Linux
 * kernel's samples/landlock/sandboxer (written here, not copied): a
 * dynamically linked program that reads colon-separated paths from
 * LL_FS_RO (read and execute) and LL_FS_RW (every right), handles every
 * file-system right, TCP bind/connect and the scopes the kernel has, adds
 * one rule per path (open O_PATH, stat, add, close: floor_add_path, the
 * floor rows' own, so the two differ only in what wraps it), sets
 * no_new_privs, restricts itself and execs the command through execvpe.
 *
 *   LL_FS_RO=/usr:/etc LL_FS_RW=/tmp sandboxer_ref COMMAND [ARG...] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define floor_sys(nr, a, b, c, d, e) syscall(nr, a, b, c, d, e)
#include "floor_landlock.h"

#define RO_ACCESS (SBX_LL_FS_EXECUTE | SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR)

/* Adds a rule for every path of the colon-separated list in env var NAME. */
static int add_paths(int ruleset, const char *name, unsigned long long access)
{
	const char *value = getenv(name);
	char *list, *path, *save = NULL;
	int ret = 0;

	if (!value || !*value)
		return 0;
	list = strdup(value);
	if (!list)
		return -1;
	for (path = strtok_r(list, ":", &save); path && !ret; path = strtok_r(NULL, ":", &save)) {
		enum floor_step step = floor_add_path(ruleset, path, access);

		if (step == FLOOR_OPEN_FAILED || step == FLOOR_STAT_FAILED)
			fprintf(stderr, "sandboxer_ref: %s: %s\n", path, strerror(errno));
		else if (step == FLOOR_ADD_FAILED)
			fprintf(stderr, "sandboxer_ref: rule for %s: %s\n", path, strerror(errno));
		ret = step == FLOOR_ADDED ? 0 : -1;
	}
	free(list);
	return ret;
}

int main(int argc, char **argv, char **envp)
{
	struct sbx_ll_ruleset_attr attr = {0};
	unsigned long long all;
	int abi, ruleset;

	if (argc < 2) {
		fputs("usage: LL_FS_RO=PATHS LL_FS_RW=PATHS sandboxer_ref COMMAND [ARG...]\n",
		      stderr);
		return 2;
	}
	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, SBX_LL_CREATE_RULESET_VERSION);
	if (abi < 1) {
		perror("sandboxer_ref: Landlock");
		return 1;
	}
	all = floor_fs_handled(abi);
	attr.handled_access_fs = all;
	if (abi >= 4)
		attr.handled_access_net = SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP;
	if (abi >= 6)
		attr.scoped = SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET | SBX_LL_SCOPE_SIGNAL;
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (ruleset < 0) {
		perror("sandboxer_ref: create ruleset");
		return 1;
	}
	if (add_paths(ruleset, "LL_FS_RO", RO_ACCESS & all) || add_paths(ruleset, "LL_FS_RW", all))
		return 1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) {
		perror("sandboxer_ref: restrict");
		return 1;
	}
	close(ruleset);
	execvpe(argv[1], &argv[1], envp);
	fprintf(stderr, "sandboxer_ref: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
