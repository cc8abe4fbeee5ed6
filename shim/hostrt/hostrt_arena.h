/* SPDX-License-Identifier: Apache-2.0 */
/* A bump allocator for the host-runtime resolver: the many small objects
 * one resolution makes (probes, memo entries, $PATH entry names) are taken
 * from a few large blocks and all freed at once, at the end. Not
 * thread-safe: one owner at a time. Internal to the engine. */
#ifndef SBX_HOSTRT_ARENA_H
#define SBX_HOSTRT_ARENA_H

#include <stddef.h>

struct sbx_hostrt_arena_block;

struct sbx_hostrt_arena {
	struct sbx_hostrt_arena_block *blocks; /* newest first */
	size_t used, size;		       /* of the newest block */
};

/* size zeroed bytes, aligned for any object; never NULL (allocation
 * failure ends the process, as sbx_xmalloc does). */
void *sbx_hostrt_arena_zalloc(struct sbx_hostrt_arena *a, size_t size);
/* A copy of s, or of dir "/" name (one slash between them, as
 * sbx_path_join). */
char *sbx_hostrt_arena_strdup(struct sbx_hostrt_arena *a, const char *s);
char *sbx_hostrt_arena_join(struct sbx_hostrt_arena *a, const char *dir, const char *name);
/* Frees every block: everything the arena handed out. */
void sbx_hostrt_arena_free(struct sbx_hostrt_arena *a);

#endif
