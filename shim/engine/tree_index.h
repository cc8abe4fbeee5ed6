/* SPDX-License-Identifier: Apache-2.0 */
/* The trees a set of fs rules grants (the writable ones, when applying),
 * indexed by path, so finding the outermost of them above a rule's path
 * costs one pass over that path, not one comparison per tree. Pure: no
 * system calls, no state beyond the index the caller holds. */
#ifndef SBX_TREE_INDEX_H
#define SBX_TREE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

struct sbx_tree_entry;

struct sbx_tree_index {
	struct sbx_tree_entry *entry;
	size_t n;
	size_t *slot; /* open addressing; an entry's index plus one, 0: empty */
	size_t mask;
};

/* Indexes the rules among rules[0..n) whose access has a bit of `access`;
 * the index points into rules, which must outlive it. */
void sbx_tree_index_init(struct sbx_tree_index *ix, const struct sbx_fs_rule *rules, size_t n,
			 uint64_t access);
void sbx_tree_index_free(struct sbx_tree_index *ix);

/* The outermost indexed rule whose tree holds `path` (sbx_path_in_tree)
 * and whose path is not `path` spelled the same; among rules naming that
 * tree with different trailing slashes, the last in policy order. NULL
 * when none does. */
const struct sbx_fs_rule *sbx_tree_index_above(const struct sbx_tree_index *ix, const char *path);

#endif
