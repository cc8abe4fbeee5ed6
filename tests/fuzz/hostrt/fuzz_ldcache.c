/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the ld.so.cache parser and lookup over arbitrary bytes,
 * looking up fixed names and every key the input itself declares. */
#include <stdint.h>
#include <string.h>

#include "hostrt/ldcache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const prio[] = {"x86-64-v3", "x86-64-v2"};
	static const char *const names[] = {"libc.so.6", "libz.so.1", "libm.so.6", "",
					    "lib1.so.10"};
	struct sbx_ldcache_query q = {
	    .flags = SBX_LDCACHE_FLAG_ELF_LIBC6 | SBX_LDCACHE_FLAG_X8664_LIB64,
	    .hwcaps_prio = prio,
	    .n_hwcaps_prio = 2,
	    .hwcap_exclude = ~((1ULL << 1) | (3ULL << 32) | (1ULL << 63)),
	    .platform_mask = 3ULL << 32,
	    .platform = UINT64_MAX,
	};
	struct sbx_ldcache c;
	struct sbx_error err;
	size_t i;

	if (sbx_ldcache_parse(data, size, &c, &err) < 0)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *r = sbx_ldcache_lookup(&c, names[i], &q);

		if (r)
			(void)strlen(r);
	}
	/* Every key the cache claims, bounded so a huge table stays fast. */
	for (i = 0; i < c.nlibs && i < 64; i++) {
		uint32_t key;
		const char *r;

		memcpy(&key, c.entries + i * c.entry_size + 4, sizeof(key));
		if (key >= c.strtab_size)
			continue;
		r = sbx_ldcache_lookup(&c, c.strtab + key, &q);
		if (r)
			(void)strlen(r);
	}
	sbx_ldcache_free(&c);
	return 0;
}
