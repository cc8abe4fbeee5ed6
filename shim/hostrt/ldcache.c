/* SPDX-License-Identifier: Apache-2.0 */
/* The ld.so.cache reader; see ldcache.h. Every offset in the file is
 * checked against the copy's length, and the copy ends with a NUL, so a
 * corrupt or hostile cache can only make a lookup fail. */
#include "ldcache.h"

#include <stdlib.h>
#include <string.h>

#include "engine/util.h"

#define OLD_MAGIC  "ld.so-1.7.0"
#define NEW_MAGIC  "glibc-ld.so.cache1.1"
#define OLD_HEADER 16u /* magic[11], pad, uint32 nlibs */
#define OLD_ENTRY  12u /* int32 flags, uint32 key, uint32 value */
#define NEW_HEADER                                                                                 \
	48u			 /* magic+version[20], nlibs, len_strings, flags, pad[3],          \
				    extension_offset, unused[3] */
#define NEW_ENTRY	     24u /* flags, key, value, osversion, uint64 hwcap */
#define EXT_MAGIC	     0xeaa42174u
#define EXT_TAG_GLIBC_HWCAPS 1u
#define HWCAP_EXTENSION	     (1ULL << 62)

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int sbx_ldcache_libcmp(const char *p1, const char *p2)
{
	while (*p1 != '\0') {
		if (*p1 >= '0' && *p1 <= '9') {
			uint64_t v1, v2;

			if (!(*p2 >= '0' && *p2 <= '9'))
				return 1;
			/* glibc uses int and overflows on long runs; saturate
			 * instead (no cache written by ldconfig has them). */
			v1 = (uint64_t)(*p1++ - '0');
			v2 = (uint64_t)(*p2++ - '0');
			for (; *p1 >= '0' && *p1 <= '9'; p1++)
				if (v1 <= UINT32_MAX)
					v1 = v1 * 10 + (uint64_t)(*p1 - '0');
			for (; *p2 >= '0' && *p2 <= '9'; p2++)
				if (v2 <= UINT32_MAX)
					v2 = v2 * 10 + (uint64_t)(*p2 - '0');
			if (v1 != v2)
				return v1 < v2 ? -1 : 1;
		} else if (*p2 >= '0' && *p2 <= '9') {
			return -1;
		} else if (*p1 != *p2) {
			return (unsigned char)*p1 - (unsigned char)*p2;
		} else {
			p1++;
			p2++;
		}
	}
	return -(int)(unsigned char)*p2;
}

/* Finds the glibc-hwcaps section among the new format's extensions. */
static void ldcache_extensions(struct sbx_ldcache *c, const unsigned char *base, size_t avail,
			       uint32_t ext_off)
{
	uint32_t count, i;

	if (ext_off == 0 || ext_off % 4 || ext_off > avail || avail - ext_off < 8)
		return;
	if (rd32(base + ext_off) != EXT_MAGIC)
		return;
	count = rd32(base + ext_off + 4);
	if (count > (avail - ext_off - 8) / 16)
		return;
	for (i = 0; i < count; i++) {
		const unsigned char *sec = base + ext_off + 8 + 16 * (size_t)i;
		uint32_t off = rd32(sec + 8), size = rd32(sec + 12);

		if (rd32(sec) != EXT_TAG_GLIBC_HWCAPS)
			continue;
		if (off > avail || size > avail - off || off % 4)
			return;
		c->hwcaps = base + off;
		c->n_hwcaps = size / 4;
		return;
	}
}

static bool ldcache_new(struct sbx_ldcache *c, const unsigned char *base, size_t avail)
{
	uint32_t nlibs;

	if (avail <= NEW_HEADER || memcmp(base, NEW_MAGIC, strlen(NEW_MAGIC)) != 0)
		return false;
	nlibs = rd32(base + 20);
	if ((avail - NEW_HEADER) / NEW_ENTRY < nlibs)
		return false;
	/* Offsets are relative to the new header (ld.so bounds them by the
	 * whole file size; we bound them by what actually follows). */
	c->strtab = (const char *)base;
	c->strtab_size = avail;
	c->entries = base + NEW_HEADER;
	c->entry_size = NEW_ENTRY;
	c->nlibs = nlibs;
	ldcache_extensions(c, base, avail, rd32(base + 32));
	return true;
}

int sbx_ldcache_parse(const void *buf, size_t len, struct sbx_ldcache *out, struct sbx_error *err)
{
	const unsigned char *p;
	uint32_t nlibs;
	size_t off;

	memset(out, 0, sizeof(*out));
	if (len > SBX_LDCACHE_MAX_SIZE)
		return sbx_error_set(err, "%s: larger than %u bytes", SBX_LDCACHE_PATH,
				     SBX_LDCACHE_MAX_SIZE);
	out->data = sbx_xmalloc(len + 1);
	if (len)
		memcpy(out->data, buf, len);
	out->data[len] = '\0';
	out->len = len;
	p = (const unsigned char *)out->data;
	if (ldcache_new(out, p, len))
		return 0;
	if (len <= OLD_HEADER || memcmp(p, OLD_MAGIC, strlen(OLD_MAGIC)) != 0)
		goto bad;
	nlibs = rd32(p + 12);
	if ((len - OLD_HEADER) / OLD_ENTRY < nlibs)
		goto bad;
	/* A new-format cache may follow the old one, 8-byte aligned. */
	off = (OLD_HEADER + (size_t)nlibs * OLD_ENTRY + 7) & ~(size_t)7;
	if (off < len && ldcache_new(out, p + off, len - off))
		return 0;
	out->entries = p + OLD_HEADER;
	out->entry_size = OLD_ENTRY;
	out->nlibs = nlibs;
	out->strtab = (const char *)p + OLD_HEADER + (size_t)nlibs * OLD_ENTRY;
	out->strtab_size = len - (OLD_HEADER + (size_t)nlibs * OLD_ENTRY);
	return 0;
bad:
	sbx_ldcache_free(out);
	return sbx_error_set(err, "%s: not an ld.so cache", SBX_LDCACHE_PATH);
}

void sbx_ldcache_free(struct sbx_ldcache *cache)
{
	if (!cache)
		return;
	free(cache->data);
	memset(cache, 0, sizeof(*cache));
}

/* Lower is better; 0 means this glibc-hwcaps subdirectory is not usable. */
static uint32_t ldcache_hwcaps_priority(const struct sbx_ldcache *c, uint32_t index,
					const struct sbx_ldcache_query *q)
{
	uint32_t off;
	size_t i;

	if (!c->hwcaps || index >= c->n_hwcaps)
		return 0;
	off = rd32(c->hwcaps + 4 * (size_t)index);
	if (off >= c->strtab_size)
		return 0;
	for (i = 0; i < q->n_hwcaps_prio; i++)
		if (strcmp(c->strtab + off, q->hwcaps_prio[i]) == 0)
			return (uint32_t)i + 1;
	return 0;
}

struct ldcache_entry {
	int32_t flags;
	uint32_t key, value;
	uint64_t hwcap;
};

static struct ldcache_entry ldcache_entry(const struct sbx_ldcache *c, size_t i)
{
	const unsigned char *e = c->entries + i * c->entry_size;
	struct ldcache_entry r;

	r.flags = (int32_t)rd32(e);
	r.key = rd32(e + 4);
	r.value = rd32(e + 8);
	r.hwcap = c->entry_size >= NEW_ENTRY ? rd64(e + 16) : 0;
	return r;
}

/* Mirrors glibc 2.36 search_cache(): binary search on the key (the table
 * is sorted in descending ldconfig order), back up to the first equal key,
 * then take the best usable entry; hwcaps entries come first. */
const char *sbx_ldcache_lookup(const struct sbx_ldcache *c, const char *name,
			       const struct sbx_ldcache_query *q)
{
	const char *best = NULL;
	uint32_t best_priority = 0;
	int64_t left = 0, right = (int64_t)c->nlibs - 1;

	while (left <= right) {
		int64_t middle = (left + right) / 2;
		struct ldcache_entry e = ldcache_entry(c, (size_t)middle);
		int cmp;

		if (e.key >= c->strtab_size)
			return NULL;
		cmp = sbx_ldcache_libcmp(name, c->strtab + e.key);
		if (cmp == 0) {
			left = middle;
			while (middle > 0) {
				struct ldcache_entry prev = ldcache_entry(c, (size_t)middle - 1);

				if (prev.key >= c->strtab_size ||
				    sbx_ldcache_libcmp(name, c->strtab + prev.key) != 0)
					break;
				middle--;
			}
			do {
				bool named;

				e = ldcache_entry(c, (size_t)middle);
				if (middle > left &&
				    (e.key >= c->strtab_size ||
				     sbx_ldcache_libcmp(name, c->strtab + e.key) != 0))
					break;
				if ((uint32_t)e.flags != q->flags || e.value >= c->strtab_size)
					continue;
				named = false;
				if (c->entry_size >= NEW_ENTRY) {
					named = (e.hwcap >> 32) == (HWCAP_EXTENSION >> 32);
					if (!named && best)
						break;
					if (!named && (e.hwcap & q->hwcap_exclude))
						continue;
					if ((e.hwcap & q->platform_mask) != 0 &&
					    (e.hwcap & q->platform_mask) != q->platform)
						continue;
					if (named) {
						uint32_t prio = ldcache_hwcaps_priority(
						    c, (uint32_t)e.hwcap, q);

						if (prio == 0)
							continue;
						if (best && prio >= best_priority)
							continue;
						best_priority = prio;
					}
				}
				best = c->strtab + e.value;
				if (!named)
					break;
			} while (++middle <= right);
			break;
		}
		if (cmp < 0)
			left = middle + 1;
		else
			right = middle - 1;
	}
	return best;
}
