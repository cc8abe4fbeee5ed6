/* SPDX-License-Identifier: Apache-2.0 */
/* The shim's allocator for its own start-up (startup_arena.c): the shim's
 * link sends its malloc family here, so a cold exec never starts the C
 * library's heap. */
#ifndef SBX_STARTUP_ARENA_H
#define SBX_STARTUP_ARENA_H

#include <stdbool.h>
#include <stddef.h>

/* Enough for a policy of a few dozen rules; a larger one goes on to
 * libc's malloc. Only the pages written are ever mapped. */
#define SBX_STARTUP_ARENA_SIZE (64 * 1024)

/* Bytes carved so far, and whether ptr lies in the arena (for tests and
 * measurements). */
size_t sbx_startup_arena_used(void);
bool sbx_startup_arena_holds(const void *ptr);

#endif
