/* SPDX-License-Identifier: Apache-2.0 */
/* Directories granted with a program reached through a $PATH symlink; see
 * hostrt_linkdir.h and docs/host-runtime.md "Programs linked from $PATH".
 * Pure: no system calls. */
#include "hostrt_linkdir.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/util.h"

static bool holds_a_path_dir(const char *dir, const char *const *path_dirs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (sbx_path_in_tree(path_dirs[i], dir))
			return true;
	}
	return false;
}

static size_t depth(const char *path)
{
	size_t n = 0;

	for (; *path; path++)
		n += *path == '/' && path[1] && path[1] != '/';
	return n;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Where packages install a program with its own tree (a JDK under
 * /usr/lib/jvm, LLVM under /usr/lib/llvm-N, a vendor's /opt/NAME): a
 * directory below /usr/lib-like trees or /opt, never $HOME (its parent
 * holds the user's files) nor anywhere else a user may keep secrets. */
static bool is_package_prefix(const char *prefix)
{
	return (sbx_path_in_tree(prefix, "/usr") && depth(prefix) >= 3) ||
	       (sbx_path_in_tree(prefix, "/opt") && depth(prefix) >= 2);
}

void sbx_hostrt_link_dirs(const char *real_exe, const char *const *path_dirs, size_t n_path_dirs,
			  struct sbx_hostrt_linkdirs *out)
{
	char *dir = sbx_path_dirname(real_exe), *prefix;
	const char *base = base_name(dir);

	memset(out, 0, sizeof(*out));
	/* Only a directory of programs: one the link leads into anywhere
	 * else (/etc, $HOME, a directory beside a key) may hold anything. */
	if ((strcmp(base, "bin") != 0 && strcmp(base, "sbin") != 0) || depth(dir) < 2 ||
	    holds_a_path_dir(dir, path_dirs, n_path_dirs)) {
		free(dir);
		return;
	}
	out->dir = dir;
	prefix = sbx_path_dirname(dir);
	if (is_package_prefix(prefix) && !holds_a_path_dir(prefix, path_dirs, n_path_dirs))
		out->prefix = prefix;
	else
		free(prefix);
}

void sbx_hostrt_link_dirs_free(struct sbx_hostrt_linkdirs *ld)
{
	free(ld->dir);
	free(ld->prefix);
	memset(ld, 0, sizeof(*ld));
}
