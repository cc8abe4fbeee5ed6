/* SPDX-License-Identifier: Apache-2.0 */
/* Reads glibc's /etc/ld.so.cache (old "ld.so-1.7.0" format, new
 * "glibc-ld.so.cache1.1" format, and the new one embedded in the old) and
 * looks names up exactly as ld.so's search_cache() does, including the
 * glibc-hwcaps extension entries. Pure: works on a buffer, no system calls. */
#ifndef SBX_LDCACHE_H
#define SBX_LDCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/error.h"

#define SBX_LDCACHE_PATH     "/etc/ld.so.cache"
#define SBX_LDCACHE_MAX_SIZE (64u << 20)

/* ldconfig's flags: what kind of library an entry is. */
#define SBX_LDCACHE_FLAG_ELF_LIBC6     0x0003
#define SBX_LDCACHE_FLAG_X8664_LIB64   0x0300
#define SBX_LDCACHE_FLAG_AARCH64_LIB64 0x0a00

struct sbx_ldcache {
	char *data; /* owned copy of the file, with a NUL after its end */
	size_t len;
	const char *strtab; /* string offsets are relative to this */
	size_t strtab_size;
	const unsigned char *entries;
	uint32_t nlibs;
	size_t entry_size;	     /* 12 (old format) or 24 (new format) */
	const unsigned char *hwcaps; /* uint32 string offsets, or NULL */
	uint32_t n_hwcaps;
};

/* What the running loader would accept, computed once per host. */
struct sbx_ldcache_query {
	uint32_t flags;			/* e.g. FLAG_ELF_LIBC6 | FLAG_X8664_LIB64 */
	const char *const *hwcaps_prio; /* active glibc-hwcaps names, best first */
	size_t n_hwcaps_prio;
	uint64_t hwcap_exclude; /* legacy hwcap bits that rule an entry out */
	uint64_t platform_mask; /* _DL_HWCAP_PLATFORM */
	uint64_t platform;	/* this CPU's platform bit, or all ones */
};

/* Parses a copy of buf. A buffer that is not a cache is an error; an empty
 * but valid cache is not. */
int sbx_ldcache_parse(const void *buf, size_t len, struct sbx_ldcache *out, struct sbx_error *err);
void sbx_ldcache_free(struct sbx_ldcache *cache);

/* The path ld.so would try for `name`, or NULL. Points into the cache. */
const char *sbx_ldcache_lookup(const struct sbx_ldcache *cache, const char *name,
			       const struct sbx_ldcache_query *q);

/* ldconfig's ordering: digit runs compare numerically. */
int sbx_ldcache_libcmp(const char *a, const char *b);

#endif
