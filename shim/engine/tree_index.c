/* SPDX-License-Identifier: Apache-2.0 */
/* A hash of the indexed trees by their path without trailing slashes; see
 * tree_index.h. A path's trees are its prefixes that end where a
 * component does, so one walk along the path, hashing as it goes, meets
 * them shortest first. */
#include "tree_index.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct sbx_tree_entry {
	const struct sbx_fs_rule *rule;
	size_t len;	/* of the path without its trailing slashes ("/" keeps its one) */
	uint64_t hash;	/* FNV-1a of those len bytes */
	size_t earlier; /* the previous entry of the same tree, plus one; 0: none */
};

#define TREE_HASH_START	     14695981039346656037ULL
#define TREE_HASH_STEP(h, c) (((h) ^ (unsigned char)(c)) * 1099511628211ULL)

static size_t tree_key_len(const char *path)
{
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	return len;
}

static bool entry_is(const struct sbx_tree_entry *e, const char *path, size_t len, uint64_t hash)
{
	return e->hash == hash && e->len == len && memcmp(e->rule->path, path, len) == 0;
}

/* The slot of the tree path[0..len), or the empty one where it would go. */
static size_t *tree_slot(const struct sbx_tree_index *ix, const char *path, size_t len,
			 uint64_t hash)
{
	size_t i = (size_t)(hash ^ (hash >> 32)) & ix->mask;

	for (;; i = (i + 1) & ix->mask) {
		if (!ix->slot[i] || entry_is(&ix->entry[ix->slot[i] - 1], path, len, hash))
			return &ix->slot[i];
	}
}

void sbx_tree_index_init(struct sbx_tree_index *ix, const struct sbx_fs_rule *rules, size_t n,
			 uint64_t access)
{
	size_t i, size = 16;

	memset(ix, 0, sizeof(*ix));
	for (i = 0; i < n; i++)
		ix->n += (rules[i].access & access) != 0;
	if (!ix->n)
		return;
	while (size < 2 * ix->n)
		size *= 2;
	/* One allocation: entries, then slots (a policy of a few rules pays
	 * for this at every cold start). */
	ix->entry = sbx_xcalloc(1, ix->n * sizeof(*ix->entry) + size * sizeof(*ix->slot));
	ix->slot = (size_t *)(ix->entry + ix->n);
	ix->mask = size - 1;
	ix->n = 0;
	for (i = 0; i < n; i++) {
		struct sbx_tree_entry *e = &ix->entry[ix->n];
		size_t k, *slot;

		if (!(rules[i].access & access))
			continue;
		e->rule = &rules[i];
		e->len = tree_key_len(rules[i].path);
		e->hash = TREE_HASH_START;
		for (k = 0; k < e->len; k++)
			e->hash = TREE_HASH_STEP(e->hash, rules[i].path[k]);
		/* The slot names the latest entry of a tree, which names the
		 * one before it. */
		slot = tree_slot(ix, rules[i].path, e->len, e->hash);
		e->earlier = *slot;
		*slot = ++ix->n;
	}
}

void sbx_tree_index_free(struct sbx_tree_index *ix)
{
	free(ix->entry);
	memset(ix, 0, sizeof(*ix));
}

/* Whether path[0..i) can name a tree that holds path: "" holds every
 * absolute path (and ""), "/" every absolute path, any other tree the
 * paths that go on with '/' or end there. A tree's key never ends with
 * '/' unless it is "/". */
static bool tree_may_hold(const char *path, size_t i)
{
	if (i == 0)
		return path[0] == '/' || path[0] == '\0';
	if (i == 1 && path[0] == '/')
		return true;
	return (path[i] == '/' || path[i] == '\0') && path[i - 1] != '/';
}

const struct sbx_fs_rule *sbx_tree_index_above(const struct sbx_tree_index *ix, const char *path)
{
	uint64_t hash = TREE_HASH_START;
	size_t i;

	if (!ix->n)
		return NULL;
	for (i = 0;; i++) {
		if (tree_may_hold(path, i)) {
			size_t at = *tree_slot(ix, path, i, hash);

			/* Shortest first: the first tree met with a rule not
			 * spelled as path itself is the outermost. */
			for (; at; at = ix->entry[at - 1].earlier) {
				const struct sbx_fs_rule *w = ix->entry[at - 1].rule;

				if (strcmp(w->path, path) != 0)
					return w;
			}
		}
		if (!path[i])
			return NULL;
		hash = TREE_HASH_STEP(hash, path[i]);
	}
}
