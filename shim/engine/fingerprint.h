/* SPDX-License-Identifier: Apache-2.0 */
/* The SANDBOXEC_* names in the one order the tree marker hashes them, and
 * the hash itself (docs/design.md §4.2). Header-only and free of libc, so
 * the engine (envsettings.c) and the fast audit entry (shim/fast/), which
 * links no libc, write the same marker by construction. */
#ifndef SBX_FINGERPRINT_H
#define SBX_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

/* The policy settings: with all of them set, the engine looks for no
 * config file (config_find.c, stronger_layers_complete). */
#define SBX_ENV_POLICY_NAMES                                                                       \
	"SANDBOXEC_FS", "SANDBOXEC_NET", "SANDBOXEC_ABI", "SANDBOXEC_BEST_EFFORT",                 \
	    "SANDBOXEC_IGNORE_IF_MISSING", "SANDBOXEC_RESTRICT_SCOPED", "SANDBOXEC_ALLOW_UDP",     \
	    "SANDBOXEC_RESTRICT_UNIX", "SANDBOXEC_UNSAFE_HOST_RUNTIME", "SANDBOXEC_LOG_DENIALS"
#define SBX_ENV_POLICY_COUNT 10

/* Then the others, in the marker's order; the last two do not shape the
 * policy and are left out of the marker. */
#define SBX_ENV_OTHER_NAMES                                                                        \
	"SANDBOXEC_ADD_FS", "SANDBOXEC_ADD_NET", "SANDBOXEC_CONFIG", "SANDBOXEC_NAMED_CONFIG",     \
	    "SANDBOXEC_PROFILE_PATH", "SANDBOXEC_TRUST_PROJECT", "SANDBOXEC_VERBOSE",              \
	    "SANDBOXEC_HINTS"
#define SBX_ENV_UNHASHED_COUNT 2

#define SBX_FINGERPRINT_SEED_A 0xcbf29ce484222325ULL
#define SBX_FINGERPRINT_SEED_B 0x84222325cbf29ce4ULL
#define SBX_FINGERPRINT_HEX    32

/* FNV-1a over len bytes, from hash. */
static inline uint64_t sbx_fnv1a(const char *data, size_t len, uint64_t hash)
{
	size_t i;

	for (i = 0; i < len; i++) {
		hash ^= (unsigned char)data[i];
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

/* One set setting into both halves: the name and the value, each with its
 * NUL, so name=value pairs stay apart. */
static inline void sbx_fingerprint_add(uint64_t h[2], const char *name, size_t name_len,
				       const char *value, size_t value_len)
{
	size_t k;

	for (k = 0; k < 2; k++) {
		h[k] = sbx_fnv1a(name, name_len, h[k]);
		h[k] = sbx_fnv1a("", 1, h[k]);
		h[k] = sbx_fnv1a(value, value_len, h[k]);
		h[k] = sbx_fnv1a("", 1, h[k]);
	}
}

/* The 32 hex digits, by hand (no printf on the cheapest paths). */
static inline void sbx_fingerprint_hex(const uint64_t h[2], char out[SBX_FINGERPRINT_HEX])
{
	size_t i;

	for (i = 0; i < SBX_FINGERPRINT_HEX; i++)
		out[i] = "0123456789abcdef"[(h[i / 16] >> (60 - 4 * (i % 16))) & 0xf];
}

#endif
