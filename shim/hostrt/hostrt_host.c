/* SPDX-License-Identifier: Apache-2.0 */
/* The host loader's search parameters; see hostrt_host.h. Reads CPU
 * features the way glibc does (through <sys/platform/x86.h>, glibc's own
 * view of what is usable) and the auxiliary vector; executes nothing. */
#include "hostrt_host.h"

#include <elf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "engine/util.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <sys/platform/x86.h>

#define HOST_CLASS	 ELFCLASS64
#define HOST_MACHINE	 EM_X86_64
#define HOST_LIB	 "lib/x86_64-linux-gnu"
#define HOST_CACHE_FLAGS (SBX_LDCACHE_FLAG_ELF_LIBC6 | SBX_LDCACHE_FLAG_X8664_LIB64)
static const char *const host_system_dirs[] = {
    "/lib/x86_64-linux-gnu/",
    "/usr/lib/x86_64-linux-gnu/",
    "/lib/",
    "/usr/lib/",
};
#elif defined(__aarch64__)
#define HOST_CLASS	 ELFCLASS64
#define HOST_MACHINE	 EM_AARCH64
#define HOST_LIB	 "lib/aarch64-linux-gnu"
#define HOST_CACHE_FLAGS (SBX_LDCACHE_FLAG_ELF_LIBC6 | SBX_LDCACHE_FLAG_AARCH64_LIB64)
static const char *const host_system_dirs[] = {
    "/lib/aarch64-linux-gnu/",
    "/usr/lib/aarch64-linux-gnu/",
    "/lib/",
    "/usr/lib/",
};
#elif defined(__i386__)
/* The i386 copy of the shim (docs/shim.md, "32-bit programs") never
 * resolves: sbx_hostrt_add_rules refuses. This block only describes an
 * i386 host honestly so that the copy builds. */
#define HOST_CLASS	 ELFCLASS32
#define HOST_MACHINE	 EM_386
#define HOST_LIB	 "lib/i386-linux-gnu"
#define HOST_CACHE_FLAGS SBX_LDCACHE_FLAG_ELF_LIBC6
static const char *const host_system_dirs[] = {
    "/lib/i386-linux-gnu/",
    "/usr/lib/i386-linux-gnu/",
    "/lib/",
    "/usr/lib/",
};
#else
#error "sandboxec's host-runtime resolver knows x86_64 and aarch64 (Debian multiarch)"
#endif

/* Legacy hwcap bits (sysdeps/x86/dl-hwcap.h). */
#define HWCAP_X86_64	   (1ULL << 1)
#define HWCAP_X86_AVX512_1 (1ULL << 2)
#define HWCAP_TLS_MASK	   (1ULL << 63)
#define X86_FIRST_PLATFORM 32

#if defined(__x86_64__)
static bool host_is_intel(void)
{
	unsigned int eax, ebx, ecx, edx;

	if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx))
		return false;
	return ebx == 0x756e6547 && edx == 0x49656e69 && ecx == 0x6c65746e;
}

/* glibc's CPU_FEATURE_ACTIVE, restated: the header's inline version shifts
 * an int 1 by up to 31 places, which is undefined (UBSan stops there on a
 * CPU with AVX512VL, bit 31 of its word). Same lookup, unsigned shift. */
static bool cpu_active(unsigned int index)
{
	const unsigned int word_bits = 8 * sizeof(unsigned int);
	const struct cpuid_feature *leaf = __x86_get_cpuid_feature_leaf(index / (word_bits * 4));
	unsigned int reg = (index & (word_bits * 4 - 1)) / word_bits;

	return leaf->active_array[reg] & (1U << (index & (word_bits - 1)));
}
#undef CPU_FEATURE_ACTIVE
#define CPU_FEATURE_ACTIVE(name) cpu_active(x86_cpu_##name)

/* glibc 2.36 sysdeps/x86/cpu-features.c: dl_hwcap and dl_platform. */
static uint64_t host_x86_hwcap(const char **platform)
{
	uint64_t hwcap = HWCAP_X86_64;

	if (!host_is_intel())
		return hwcap;
	if (CPU_FEATURE_ACTIVE(AVX512CD)) {
		if (CPU_FEATURE_ACTIVE(AVX512ER)) {
			if (CPU_FEATURE_ACTIVE(AVX512PF))
				*platform = "xeon_phi";
		} else if (CPU_FEATURE_ACTIVE(AVX512BW) && CPU_FEATURE_ACTIVE(AVX512DQ) &&
			   CPU_FEATURE_ACTIVE(AVX512VL)) {
			hwcap |= HWCAP_X86_AVX512_1;
		}
	}
	if (!*platform && CPU_FEATURE_ACTIVE(AVX2) && CPU_FEATURE_ACTIVE(FMA) &&
	    CPU_FEATURE_ACTIVE(BMI1) && CPU_FEATURE_ACTIVE(BMI2) && CPU_FEATURE_ACTIVE(LZCNT) &&
	    CPU_FEATURE_ACTIVE(MOVBE) && CPU_FEATURE_ACTIVE(POPCNT))
		*platform = "haswell";
	return hwcap;
}

/* glibc's x86-64 ISA levels (sysdeps/x86/get-isa-level.h). */
static void host_x86_hwcaps_subdirs(struct sbx_hostrt_host *h)
{
	bool v2 = CPU_FEATURE_ACTIVE(CMPXCHG16B) && CPU_FEATURE_ACTIVE(LAHF64_SAHF64) &&
		  CPU_FEATURE_ACTIVE(POPCNT) && CPU_FEATURE_ACTIVE(SSE3) &&
		  CPU_FEATURE_ACTIVE(SSE4_1) && CPU_FEATURE_ACTIVE(SSE4_2) &&
		  CPU_FEATURE_ACTIVE(SSSE3);
	bool v3 =
	    v2 && CPU_FEATURE_ACTIVE(AVX) && CPU_FEATURE_ACTIVE(AVX2) && CPU_FEATURE_ACTIVE(BMI1) &&
	    CPU_FEATURE_ACTIVE(BMI2) && CPU_FEATURE_ACTIVE(F16C) && CPU_FEATURE_ACTIVE(FMA) &&
	    CPU_FEATURE_ACTIVE(LZCNT) && CPU_FEATURE_ACTIVE(MOVBE) && CPU_FEATURE_ACTIVE(OSXSAVE);
	bool v4 = v3 && CPU_FEATURE_ACTIVE(AVX512F) && CPU_FEATURE_ACTIVE(AVX512BW) &&
		  CPU_FEATURE_ACTIVE(AVX512CD) && CPU_FEATURE_ACTIVE(AVX512DQ) &&
		  CPU_FEATURE_ACTIVE(AVX512VL);

	if (v4)
		h->hwcaps_active[h->n_hwcaps_active++] = "x86-64-v4";
	if (v3)
		h->hwcaps_active[h->n_hwcaps_active++] = "x86-64-v3";
	if (v2)
		h->hwcaps_active[h->n_hwcaps_active++] = "x86-64-v2";
}
#endif

/* The legacy subdirectories: the power set of (hwcap names, platform,
 * "tls"), most specific first, as glibc 2.36's _dl_important_hwcaps()
 * builds it; the empty set last. Removed upstream in glibc 2.37. */
static void host_legacy_subdirs(struct sbx_hostrt_host *h, const char *const *names, size_t cnt)
{
	size_t k, n;

	for (k = 0; k < ((size_t)1 << cnt); k++) {
		size_t m = ((size_t)1 << cnt) - 1 - k;
		struct sbx_buf b = {0};

		for (n = cnt; n-- > 0;) {
			if (m & ((size_t)1 << n)) {
				sbx_buf_puts(&b, names[n]);
				sbx_buf_putc(&b, '/');
			}
		}
		if (h->n_subdirs < SBX_HOSTRT_MAX_SUBDIRS)
			h->subdirs[h->n_subdirs++] = sbx_buf_steal(&b);
		else
			sbx_buf_free(&b);
	}
}

void sbx_hostrt_host_init(struct sbx_hostrt_host *h)
{
	const char *legacy[4];
	const char *platform = NULL;
	uint64_t hwcap = 0, hwcap_mask = 0;
	size_t i, n_legacy = 0;
	const char *at_platform = (const char *)getauxval(AT_PLATFORM);

	memset(h, 0, sizeof(*h));
	h->ei_class = HOST_CLASS;
	h->e_machine = HOST_MACHINE;
	h->lib = HOST_LIB;
	h->system_dirs = host_system_dirs;
	h->n_system_dirs = SBX_ARRAY_SIZE(host_system_dirs);
#if defined(__x86_64__)
	hwcap = host_x86_hwcap(&platform);
	hwcap_mask = HWCAP_X86_64 | HWCAP_X86_AVX512_1; /* HWCAP_IMPORTANT */
	host_x86_hwcaps_subdirs(h);
	if (hwcap & hwcap_mask & HWCAP_X86_64)
		legacy[n_legacy++] = "x86_64";
	if (hwcap & hwcap_mask & HWCAP_X86_AVX512_1)
		legacy[n_legacy++] = "avx512_1";
	h->query.platform_mask = 3ULL << X86_FIRST_PLATFORM; /* haswell, xeon_phi */
#endif
	if (!platform)
		platform = at_platform;
	h->platform = platform ? sbx_xstrdup(platform) : NULL;
	if (h->platform)
		legacy[n_legacy++] = h->platform;
	legacy[n_legacy++] = "tls";
	for (i = 0; i < h->n_hwcaps_active; i++)
		h->subdirs[h->n_subdirs++] = sbx_xasprintf("glibc-hwcaps/%s/", h->hwcaps_active[i]);
	host_legacy_subdirs(h, legacy, n_legacy);

	h->query.flags = HOST_CACHE_FLAGS;
	h->query.hwcaps_prio = h->hwcaps_active;
	h->query.n_hwcaps_prio = h->n_hwcaps_active;
	h->query.hwcap_exclude = ~((hwcap & hwcap_mask) | h->query.platform_mask | HWCAP_TLS_MASK);
	h->query.platform = UINT64_MAX;
	if (platform && strcmp(platform, "haswell") == 0)
		h->query.platform = 1ULL << X86_FIRST_PLATFORM;
	else if (platform && strcmp(platform, "xeon_phi") == 0)
		h->query.platform = 1ULL << (X86_FIRST_PLATFORM + 1);
}

void sbx_hostrt_host_free(struct sbx_hostrt_host *h)
{
	size_t i;

	for (i = 0; i < h->n_subdirs; i++)
		free(h->subdirs[i]);
	free(h->platform);
	memset(h, 0, sizeof(*h));
}
