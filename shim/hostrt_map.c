/* Open-addressing string map (FNV-1a, linear probing, load <= 1/2); see
 * hostrt_map.h. Allocation failure ends the process via sbx_x*alloc. */
#include "hostrt_map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static uint64_t map_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
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
