/* SPDX-License-Identifier: Apache-2.0 */
/* The memory the shim's own code allocates: a bump arena in the shim's
 * .bss before the C library's heap. The shim's link routes its (and the
 * engine's) malloc, calloc, realloc, free and strdup here with
 * --wrap (Makefile, SHIM_LDFLAGS); the program's own calls, and the C
 * library's calls from inside its functions, are not affected.
 *
 * Why: a cold exec of a small policy allocates a few KiB, and the first
 * malloc of a process starts libc's allocator: getrandom, two brk calls,
 * the arena's first page and libc's malloc code and data pages, about
 * 60 µs on the VM of docs/perf.md §2 — more than the constructor's whole
 * Landlock layer. Most programs pay it later anyway; /bin/true and many
 * short build steps never do.
 *
 * What it must never do: hand out memory twice or lose a block's bytes.
 * Blocks are carved with a compare-and-swap (the host-runtime resolver
 * allocates from its threads), and never reused, except the most recent
 * block, which free and realloc may give back or grow in place. A block
 * that does not fit comes from libc's malloc, as before; free and realloc
 * tell the two apart by address. */
#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "startup_arena.h"

#define HIDDEN __attribute__((visibility("hidden")))

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
void __real_free(void *ptr);

HIDDEN void *__wrap_malloc(size_t size);
HIDDEN void *__wrap_calloc(size_t count, size_t size);
HIDDEN void *__wrap_realloc(void *ptr, size_t size);
HIDDEN void __wrap_free(void *ptr);
HIDDEN char *__wrap_strdup(const char *s);

/* A block's header holds its size, and keeps the payload aligned as
 * malloc's is. */
#define ARENA_ALIGN alignof(max_align_t)
#define HEADER	    ARENA_ALIGN

static alignas(ARENA_ALIGN) unsigned char arena[SBX_STARTUP_ARENA_SIZE];
static _Atomic size_t arena_used;

/* The bytes a payload of n bytes takes, at least one (malloc(0) gives a
 * block of its own). */
static size_t payload_span(size_t n)
{
	return ((n ? n : 1) + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
}

bool sbx_startup_arena_holds(const void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;

	return p >= (uintptr_t)arena && p < (uintptr_t)arena + sizeof(arena);
}

static size_t block_size(const unsigned char *payload)
{
	size_t size;

	memcpy(&size, payload - HEADER, sizeof(size));
	return size;
}

static void set_block_size(unsigned char *payload, size_t size)
{
	memcpy(payload - HEADER, &size, sizeof(size));
}

/* Where the block at payload ends in the arena, as an offset. */
static size_t block_end(const unsigned char *payload)
{
	return (size_t)(payload - arena) + payload_span(block_size(payload));
}

/* A fresh block of size bytes, or NULL when the arena has no room. */
static void *arena_carve(size_t size)
{
	size_t used = atomic_load(&arena_used), need;

	if (size > sizeof(arena))
		return NULL;
	need = HEADER + payload_span(size);
	do {
		if (need > sizeof(arena) - used)
			return NULL;
	} while (!atomic_compare_exchange_weak(&arena_used, &used, used + need));
	set_block_size(arena + used + HEADER, size);
	return arena + used + HEADER;
}

/* Gives the block back when it is the most recent one. */
static void arena_release(unsigned char *payload)
{
	size_t end = block_end(payload), start = (size_t)(payload - arena) - HEADER;

	atomic_compare_exchange_strong(&arena_used, &end, start);
}

/* Grows or shrinks the most recent block where it lies; false when it is
 * not the most recent or there is no room. */
static bool arena_resize_in_place(unsigned char *payload, size_t size)
{
	size_t end = block_end(payload), start = (size_t)(payload - arena);

	if (size > sizeof(arena) - start)
		return false;
	if (!atomic_compare_exchange_strong(&arena_used, &end, start + payload_span(size)))
		return false;
	set_block_size(payload, size);
	return true;
}

void *__wrap_malloc(size_t size)
{
	void *p = arena_carve(size);

	return p ? p : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM; /* as calloc fails */
		return NULL;
	}
	p = arena_carve(count * size);
	return p ? memset(p, 0, count * size) : __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
	unsigned char *old = ptr;
	size_t old_size;
	void *fresh;

	if (!ptr)
		return __wrap_malloc(size);
	if (!sbx_startup_arena_holds(ptr))
		return __real_realloc(ptr, size);
	if (arena_resize_in_place(old, size))
		return old;
	old_size = block_size(old);
	fresh = __wrap_malloc(size);
	if (!fresh)
		return NULL;
	memcpy(fresh, old, old_size < size ? old_size : size);
	__wrap_free(old);
	return fresh;
}

void __wrap_free(void *ptr)
{
	if (!ptr)
		return;
	if (sbx_startup_arena_holds(ptr))
		arena_release(ptr);
	else
		__real_free(ptr);
}

char *__wrap_strdup(const char *s)
{
	size_t len = strlen(s) + 1;
	char *copy = __wrap_malloc(len);

	return copy ? memcpy(copy, s, len) : NULL;
}

size_t sbx_startup_arena_used(void)
{
	return atomic_load(&arena_used);
}
