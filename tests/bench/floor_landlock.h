/* SPDX-License-Identifier: Apache-2.0 */
/* The floor rows of `make bench`: the least code that applies the bench's
 * 6-rule policy with Landlock, so the table shows what the kernel's part
 * costs and how much the project adds on top. Reads the rules in the
 * SANDBOXEC_FS syntax (RIGHTS:PATH, comma-separated; rights r, w, x) from
 * BENCH_FS, handles every file-system right and TCP bind/connect the
 * kernel has (no port allowed, as in the bench's policy), and per rule does
 * what the project does: open with O_PATH, check the type, add, close
 * (floor_add_path, which the kernel sample's peer row uses too).
 *
 * It calls no libc function at all, so an audit module that links no libc
 * can use it: the includer defines floor_sys(nr, a, b, c, d, e) before
 * including, as syscall(2) or as the raw instruction. Errors end the
 * process with status 1 and a line on stderr: a row that did not apply its
 * policy is no figure. */
#ifndef SBX_BENCH_FLOOR_LANDLOCK_H
#define SBX_BENCH_FLOOR_LANDLOCK_H

#include <linux/prctl.h>
#include <linux/stat.h>

#include "engine/landlock_abi.h"

#define FLOOR_O_PATH	    010000000L
#define FLOOR_O_CLOEXEC	    02000000L
#define FLOOR_AT_FDCWD	    (-100L)
#define FLOOR_AT_EMPTY_PATH 0x1000L
#define FLOOR_S_IFMT	    0170000
#define FLOOR_S_IFDIR	    0040000

#define FLOOR_FS_READ (SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR)

__attribute__((unused)) static void floor_fail(const char *what)
{
	static const char head[] = "bench floor: cannot ";
	long n = 0;

	while (what[n])
		n++;
	floor_sys(__NR_write, 2, (long)head, sizeof(head) - 1, 0, 0);
	floor_sys(__NR_write, 2, (long)what, n, 0, 0);
	floor_sys(__NR_write, 2, (long)"\n", 1, 0, 0);
	floor_sys(__NR_exit_group, 1, 0, 0, 0, 0);
}

static unsigned long long floor_fs_handled(long abi)
{
	unsigned long long fs = (SBX_LL_FS_MAKE_SYM << 1) - 1; /* the 13 rights of ABI 1 */

	if (abi >= 2)
		fs |= SBX_LL_FS_REFER;
	if (abi >= 3)
		fs |= SBX_LL_FS_TRUNCATE;
	if (abi >= 5)
		fs |= SBX_LL_FS_IOCTL_DEV;
	return fs;
}

/* What became of one path's rule (floor_add_path): the includer says which
 * step failed in its own words. */
enum floor_step {
	FLOOR_ADDED,
	FLOOR_OPEN_FAILED,
	FLOOR_STAT_FAILED,
	FLOOR_ADD_FAILED,
};

/* Adds one rule: opens path with O_PATH, checks its type (a file keeps the
 * file rights of access), adds it, closes it. */
static enum floor_step floor_add_path(long ruleset, const char *path, unsigned long long access)
{
	struct statx stx;
	struct sbx_ll_path_beneath_attr rule;
	enum floor_step step = FLOOR_ADDED;
	long fd = floor_sys(__NR_openat, FLOOR_AT_FDCWD, (long)path, FLOOR_O_PATH | FLOOR_O_CLOEXEC,
			    0, 0);

	if (fd < 0)
		return FLOOR_OPEN_FAILED;
	if (floor_sys(__NR_statx, fd, (long)"", FLOOR_AT_EMPTY_PATH, STATX_TYPE, (long)&stx) != 0) {
		step = FLOOR_STAT_FAILED;
	} else {
		if ((stx.stx_mode & FLOOR_S_IFMT) != FLOOR_S_IFDIR)
			access &= SBX_LL_FS_FILE_RIGHTS;
		rule.allowed_access = access;
		rule.parent_fd = (int)fd;
		if (floor_sys(__NR_landlock_add_rule, ruleset, SBX_LL_RULE_PATH_BENEATH,
			      (long)&rule, 0, 0) != 0)
			step = FLOOR_ADD_FAILED;
	}
	floor_sys(__NR_close, fd, 0, 0, 0, 0);
	return step;
}

/* Adds one RIGHTS:PATH rule; spec ends at a comma or NUL. */
__attribute__((unused)) static void floor_add(long ruleset, const char *spec,
					      unsigned long long handled)
{
	static const char *const failed[] = {
	    [FLOOR_OPEN_FAILED] = "open a BENCH_FS path",
	    [FLOOR_STAT_FAILED] = "stat a BENCH_FS path",
	    [FLOOR_ADD_FAILED] = "add a Landlock rule",
	};
	unsigned long long access = 0;
	char path[4096];
	enum floor_step step;
	long n = 0;

	for (; *spec && *spec != ':'; spec++)
		access |= *spec == 'r'	 ? FLOOR_FS_READ
			  : *spec == 'x' ? SBX_LL_FS_EXECUTE
			  : *spec == 'w' ? handled & ~FLOOR_FS_READ & ~SBX_LL_FS_EXECUTE
					 : 0;
	if (*spec++ != ':')
		floor_fail("parse BENCH_FS (RIGHTS:PATH,...)");
	while (spec[n] && spec[n] != ',' && n < (long)sizeof(path) - 1) {
		path[n] = spec[n];
		n++;
	}
	path[n] = '\0';
	step = floor_add_path(ruleset, path, access & handled);
	if (step != FLOOR_ADDED)
		floor_fail(failed[step]);
}

__attribute__((unused)) static void floor_apply(const char *rules)
{
	struct sbx_ll_ruleset_attr attr = {0};
	long abi =
	    floor_sys(__NR_landlock_create_ruleset, 0, 0, SBX_LL_CREATE_RULESET_VERSION, 0, 0);
	long ruleset;

	if (!rules)
		floor_fail("find BENCH_FS in the environment");
	if (abi < 1)
		floor_fail("use Landlock (this kernel has none)");
	attr.handled_access_fs = floor_fs_handled(abi);
	if (abi >= 4)
		attr.handled_access_net = SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP;
	ruleset = floor_sys(__NR_landlock_create_ruleset, (long)&attr,
			    abi >= 4 ? (long)sizeof(attr) : (long)sizeof(attr.handled_access_fs), 0,
			    0, 0);
	if (ruleset < 0)
		floor_fail("create a Landlock ruleset");
	for (;;) {
		floor_add(ruleset, rules, attr.handled_access_fs);
		while (*rules && *rules != ',')
			rules++;
		if (!*rules++)
			break;
	}
	if (floor_sys(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    floor_sys(__NR_landlock_restrict_self, ruleset, 0, 0, 0, 0) != 0)
		floor_fail("restrict itself with Landlock");
	floor_sys(__NR_close, ruleset, 0, 0, 0, 0);
}

#endif
