/* SPDX-License-Identifier: Apache-2.0 */
/* Whether a path the host-runtime resolver would grant lies in, or is
 * reached through a symlink in, a tree the same policy makes writable: a
 * sandboxed program could then have planted it, and the next run would
 * grant what it chose (docs/host-runtime.md "Writable trees"). It may
 * lstat and readlink; it must never open, write or follow anything else.
 * Internal to the engine. */
#ifndef SBX_HOSTRT_WRITABLE_H
#define SBX_HOSTRT_WRITABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "hostrt_arena.h"
#include "hostrt_map.h"

/* The writable trees, by real path (a Landlock rule names the inode its
 * path leads to), and what is known of the directories looked up so far:
 * the libraries of a whole $PATH live in a handful of them. */
struct sbx_hostrt_writable {
	const char *const *trees;
	size_t n;
	struct sbx_hostrt_map dirs; /* lexical directory -> struct hostrt_wdir */
	struct sbx_hostrt_arena arena;
};

void sbx_hostrt_writable_init(struct sbx_hostrt_writable *w, const char *const *trees, size_t n);
void sbx_hostrt_writable_fini(struct sbx_hostrt_writable *w);

/* What the caller already knows of the last component of a path (from
 * getdents or a readlink done ahead), to spare the lookup a system call. */
struct sbx_hostrt_last {
	bool is_link;	    /* false: not a symlink */
	const char *target; /* its target when is_link, or NULL: not read yet */
	bool target_plain;  /* target is a name in the same directory, no symlink */
};

/* Resolves path (absolute) one component at a time, as the kernel would,
 * and returns the first writable tree a step of the lookup lies in, or
 * NULL. *via is set (the caller frees it) to the first symlink in that
 * tree the lookup met, and left NULL when it met none there (the path lies
 * in the tree). last may be NULL. */
const char *sbx_hostrt_writable_hit(struct sbx_hostrt_writable *w, const char *path,
				    const struct sbx_hostrt_last *last, char **via);

#endif
