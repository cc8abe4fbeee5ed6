/* SPDX-License-Identifier: Apache-2.0 */
/* Open-addressing string map (word-at-a-time hash, linear probing, load <= 1/2); see
 * hostrt_map.h. Allocation failure ends the process via sbx_x*alloc. */
#include "hostrt_map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/util.h"

/* Eight bytes at a time, then mixed so that the low bits (the slot index)
 * depend on every byte: keys are paths, tens of bytes long, and every
 * probe hashes one. */
static uint64_t map_hash(const char *s)
{
	size_t len = strlen(s), i;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (i < len) {
		unsigned k;

		for (w = 0, k = 0; i < len; i++, k += 8)
			w |= (uint64_t)(unsigned char)s[i] << k;
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static struct sbx_hostrt_map_slot *map_find(const struct sbx_hostrt_map *map, const char *key,
					    uint64_t h)
{
	size_t i;

	if (!map->cap)
		return NULL;
	for (i = h & (map->cap - 1);; i = (i + 1) & (map->cap - 1)) {
		struct sbx_hostrt_map_slot *s = &map->slots[i];

		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
	}
}

void *sbx_hostrt_map_get(const struct sbx_hostrt_map *map, const char *key)
{
	struct sbx_hostrt_map_slot *s = map_find(map, key, map_hash(key));

	return s && s->key ? s->value : NULL;
}

static void map_grow(struct sbx_hostrt_map *map)
{
	struct sbx_hostrt_map old = *map;
	size_t i;

	map->cap = old.cap ? old.cap * 2 : 64;
	map->slots = sbx_xcalloc(map->cap, sizeof(*map->slots));
	for (i = 0; i < old.cap; i++) {
		if (old.slots[i].key)
			*map_find(map, old.slots[i].key, old.slots[i].hash) = old.slots[i];
	}
	free(old.slots);
}

const char *sbx_hostrt_map_put(struct sbx_hostrt_map *map, const char *key, void *value)
{
	uint64_t h = map_hash(key);
	struct sbx_hostrt_map_slot *s;

	if ((map->len + 1) * 2 > map->cap)
		map_grow(map);
	s = map_find(map, key, h);
	if (!s->key) {
		s->key = sbx_hostrt_arena_strdup(&map->keys, key);
		s->hash = h;
		map->len++;
	}
	s->value = value;
	return s->key;
}

void sbx_hostrt_map_free(struct sbx_hostrt_map *map, void (*free_value)(void *))
{
	size_t i;

	for (i = 0; free_value && i < map->cap; i++) {
		if (map->slots[i].key)
			free_value(map->slots[i].value);
	}
	sbx_hostrt_arena_free(&map->keys);
	free(map->slots);
	memset(map, 0, sizeof(*map));
}
