/* SPDX-License-Identifier: Apache-2.0 */
/* The vocabulary of rights: one table for filesystem rights, one for network
 * rights, and the per-ABI handled sets. The parser, --help, explain and
 * error messages all read these tables; adding a right is one line. */
#ifndef SBX_RIGHTS_H
#define SBX_RIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "landlock_abi.h"

/* The rights by which a sandboxed program changes what a path names or
 * holds: a tree granted any of them is one it could plant files in. */
#define SBX_FS_WRITE_ACCESS                                                                        \
	(SBX_LL_FS_WRITE_FILE | SBX_LL_FS_REMOVE_DIR | SBX_LL_FS_REMOVE_FILE |                     \
	 SBX_LL_FS_MAKE_CHAR | SBX_LL_FS_MAKE_DIR | SBX_LL_FS_MAKE_REG | SBX_LL_FS_MAKE_SOCK |     \
	 SBX_LL_FS_MAKE_FIFO | SBX_LL_FS_MAKE_BLOCK | SBX_LL_FS_MAKE_SYM | SBX_LL_FS_REFER |       \
	 SBX_LL_FS_TRUNCATE)

struct sbx_right {
	const char *short_name; /* "rx" */
	const char *alt_name;	/* another short spelling ("cb"), or NULL */
	const char *long_name;	/* "read_exec" */
	uint64_t access;	/* Landlock bits */
	int min_abi;		/* first ABI where the right means anything */
	const char *help;	/* one line for --help */
};

extern const struct sbx_right sbx_fs_rights[];
extern const size_t sbx_fs_rights_count;
extern const struct sbx_right sbx_net_rights[];
extern const size_t sbx_net_rights_count;

/* One Landlock access bit, named as the kernel names it, for explain and
 * for the best-effort warning. */
struct sbx_access_bit {
	uint64_t bit;
	const char *name;
	int min_abi;
};

extern const struct sbx_access_bit sbx_fs_access_bits[];
extern const size_t sbx_fs_access_bits_count;

/* Finds a right by any of its names, case-insensitively, ignoring
 * surrounding whitespace. NULL if unknown. */
const struct sbx_right *sbx_right_find(const struct sbx_right *table, size_t count,
				       const char *text, size_t len);

/* The best table entry for a set of bits (exact match first, else the
 * smallest entry covering them), for printing rules back. */
const struct sbx_right *sbx_right_for_access(const struct sbx_right *table, size_t count,
					     uint64_t access);

/* "r, rx, w, rw, rwx (or read, read_exec, …)" for error messages. */
void sbx_rights_describe(struct sbx_buf *out, const struct sbx_right *table, size_t count);

/* What each ABI adds, as sandboxec uses it, for --help and explain: one
 * row per ABI, 1 to SBX_ABI_MAX in order. */
struct sbx_abi_feature {
	int abi;
	const char *adds;
};

extern const struct sbx_abi_feature sbx_abi_features[];
extern const size_t sbx_abi_features_count;

/* What a ruleset can handle at a given ABI (0 outside 1..SBX_ABI_MAX);
 * the plan narrows these (UDP only with a UDP rule, landlock_plan.c). */
uint64_t sbx_abi_handled_fs(int abi);
uint64_t sbx_abi_handled_net(int abi);
uint64_t sbx_abi_scoped(int abi);

/* Masks a requested access to the ABI and, for a non-directory, to the
 * rights a file can carry. */
uint64_t sbx_fs_access_effective(uint64_t access, int abi, int is_dir);

/* Lists the names of the bits in `bits`, "A, B and C" style, into out. */
void sbx_fs_access_names(struct sbx_buf *out, uint64_t bits);

#endif
