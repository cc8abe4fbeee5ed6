/* SPDX-License-Identifier: Apache-2.0 */
/* Bump allocator; see hostrt_arena.h. */
#include "hostrt_arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/util.h"

/* Large enough that a whole-$PATH resolution needs a handful of blocks. */
#define ARENA_BLOCK_SIZE 65536

struct sbx_hostrt_arena_block {
	struct sbx_hostrt_arena_block *next;
	alignas(max_align_t) unsigned char data[];
};

/* size bytes aligned to align (a power of two, at most max_align_t's). */
static void *arena_take(struct sbx_hostrt_arena *a, size_t size, size_t align)
{
	struct sbx_hostrt_arena_block *b;
	size_t start;

	if (size > ARENA_BLOCK_SIZE / 4) {
		/* A block of its own, kept behind the newest one so that
		 * block's free space is not lost. An impossible size asks
		 * malloc for SIZE_MAX, which fails as out of memory. */
		b = sbx_xmalloc(size > SIZE_MAX - sizeof(*b) ? SIZE_MAX : sizeof(*b) + size);
		if (a->blocks) {
			b->next = a->blocks->next;
			a->blocks->next = b;
		} else {
			b->next = NULL;
			a->blocks = b;
			a->used = a->size = size;
		}
		return b->data;
	}
	start = (a->used + align - 1) & ~(align - 1);
	if (!a->blocks || start > a->size || a->size - start < size) {
		b = sbx_xmalloc(sizeof(*b) + ARENA_BLOCK_SIZE);
		b->next = a->blocks;
		a->blocks = b;
		a->size = ARENA_BLOCK_SIZE;
		start = 0;
	}
	a->used = start + size;
	return a->blocks->data + start;
}

void *sbx_hostrt_arena_zalloc(struct sbx_hostrt_arena *a, size_t size)
{
	return memset(arena_take(a, size, alignof(max_align_t)), 0, size);
}

char *sbx_hostrt_arena_strdup(struct sbx_hostrt_arena *a, const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(arena_take(a, len, 1), s, len);
}

char *sbx_hostrt_arena_join(struct sbx_hostrt_arena *a, const char *dir, const char *name)
{
	size_t len = strlen(dir), name_len = strlen(name);
	size_t slash = len && dir[len - 1] == '/' ? 0 : 1;
	char *out = arena_take(a, len + slash + name_len + 1, 1);

	memcpy(out, dir, len);
	out[len] = '/';
	memcpy(out + len + slash, name, name_len + 1);
	return out;
}

void sbx_hostrt_arena_free(struct sbx_hostrt_arena *a)
{
	while (a->blocks) {
		struct sbx_hostrt_arena_block *next = a->blocks->next;

		free(a->blocks);
		a->blocks = next;
	}
	a->used = a->size = 0;
}
