/* SPDX-License-Identifier: Apache-2.0 */
/* A string-keyed hash map for the host-runtime resolver's memo tables
 * (probed paths, directories, files by identity, granted paths). Keys are
 * copied (into an arena the map owns, freed with it: the resolver stores
 * thousands of short keys and never removes one); values are the caller's.
 * Internal to the engine. */
#ifndef SBX_HOSTRT_MAP_H
#define SBX_HOSTRT_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "hostrt_arena.h"

struct sbx_hostrt_map_slot {
	char *key;
	void *value;
	uint64_t hash; /* compared before the key */
};

struct sbx_hostrt_map {
	struct sbx_hostrt_map_slot *slots;
	struct sbx_hostrt_arena keys;
	size_t cap; /* a power of two, or 0 */
	size_t len;
};

/* The value stored for key, or NULL. */
void *sbx_hostrt_map_get(const struct sbx_hostrt_map *map, const char *key);
/* Stores value under key (replacing any previous value). Returns the
 * map's own copy of the key. */
const char *sbx_hostrt_map_put(struct sbx_hostrt_map *map, const char *key, void *value);
/* Frees the keys and the table; calls free_value on each value if given. */
void sbx_hostrt_map_free(struct sbx_hostrt_map *map, void (*free_value)(void *));

#endif
