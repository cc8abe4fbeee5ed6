/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the host-runtime resolver: the ELF reader (crafted and
 * hostile objects), the ld.so.cache parser (crafted old/new/hwcaps caches,
 * truncations), the probes (each path and file looked up once, real
 * paths) and the loader replay (RPATH inheritance, RUNPATH, $ORIGIN,
 * LD_LIBRARY_PATH, wrong-class skipping, symlinks, scripts, hostile $PATH
 * entries, the same result whatever the read-ahead threads). Fixtures are
 * generated at test time in a temporary directory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf_fixture.h"
#include "hostrt/elfread.h"
#include "hostrt/hostrt.h"
#include "hostrt/hostrt_probe.h"
#include "hostrt/hostrt_writable.h"
#include "engine/landlock_abi.h"
#include "hostrt/ldcache.h"
#include "engine/util.h"

static struct sbx_elf_lib lib;
static char tmpdir[PATH_MAX];

static int setup(void **state)
{
	struct sbx_error err;
	char tmpl[] = "/tmp/sbx-hostrt-XXXXXX";
	char *real;

	(void)state;
	if (sbx_elf_lib_open(&lib, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	if (!mkdtemp(tmpl) || !(real = realpath(tmpl, NULL)))
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "%s", real);
	free(real);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	sbx_elf_lib_close(&lib);
	/* The fixtures are ours, in a directory we created. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *tpath(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *tpath(const char *fmt, ...)
{
	char rel[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	return sbx_xasprintf("%s/%s", tmpdir, rel);
}

static void mkdirs(const char *rel)
{
	char *p = tpath("%s", rel), *s;

	for (s = p + strlen(tmpdir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
	free(p);
}

static void write_bytes(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	chmod(path, mode);
}

static void write_elf(const char *rel, const struct fx_elf *d, mode_t mode)
{
	size_t n;
	unsigned char *img = fx_build(d, &n);
	char *p = tpath("%s", rel);

	write_bytes(p, img, n, mode);
	free(p);
	free(img);
}

/* One fixture object, written at rel (a path in the test directory). */
struct fx_file {
	const char *rel;
	const struct fx_elf *elf;
	mode_t mode;
};

/* Writes each object, making its directory first. */
static void write_elfs(const struct fx_file *files, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		const char *slash = strrchr(files[k].rel, '/');
		char *dir = sbx_xstrndup(files[k].rel, (size_t)(slash - files[k].rel));

		mkdirs(dir);
		free(dir);
		write_elf(files[k].rel, files[k].elf, files[k].mode);
	}
}

static bool has_entry(const struct sbx_hostrt *rt, const char *path, const char *why)
{
	size_t i;

	for (i = 0; i < rt->len; i++)
		if (strcmp(rt->entries[i].path, path) == 0 &&
		    (!why || strcmp(rt->entries[i].why, why) == 0))
			return true;
	return false;
}

static bool has_tmp_entry(const struct sbx_hostrt *rt, const char *rel, const char *why)
{
	char *p = tpath("%s", rel);
	bool r = has_entry(rt, p, why);

	free(p);
	return r;
}

/* ---- ELF reader ---- */

static void elf_reads_interp_needed_and_runpath(void **state)
{
	struct fx_elf d = {.interp = "/lib64/ld-linux-x86-64.so.2",
			   .needed = {"liba.so.1", "libb.so.2"},
			   .soname = "libme.so.3",
			   .rpath = "/ignored",
			   .runpath = "$ORIGIN/../lib"};
	struct sbx_elf_info info;
	struct sbx_error err;
	unsigned char *img;
	size_t n;

	(void)state;
	img = fx_build(&d, &n);
	assert_int_equal(sbx_elf_read_mem(&lib, img, n, &info, &err), 0);
	assert_int_equal(info.status, SBX_ELF_OK);
	assert_string_equal(info.interp, "/lib64/ld-linux-x86-64.so.2");
	assert_int_equal(info.n_needed, 2);
	assert_string_equal(info.needed[0], "liba.so.1");
	assert_string_equal(info.needed[1], "libb.so.2");
	assert_string_equal(info.soname, "libme.so.3");
	assert_string_equal(info.runpath, "$ORIGIN/../lib");
	assert_null(info.rpath); /* ld.so ignores DT_RPATH next to DT_RUNPATH */
	assert_int_equal(info.e_machine, EM_X86_64);
	assert_true(info.has_dynamic);
	sbx_elf_info_free(&info);
	free(img);
}

static void elf_fd_and_memory_agree(void **state)
{
	struct fx_elf d = {.needed = {"libz.so.1"}, .rpath = "/opt/lib"};
	struct sbx_elf_info a, b;
	struct sbx_error err;
	unsigned char *img;
	size_t n;
	int fd;

	(void)state;
	img = fx_build(&d, &n);
	fd = memfd_create("t", MFD_CLOEXEC);
	assert_int_equal(write(fd, img, n), (ssize_t)n);
	assert_int_equal(sbx_elf_read_mem(&lib, img, n, &a, &err), 0);
	assert_int_equal(sbx_elf_read_fd(&lib, fd, n, &b, &err), 0);
	assert_int_equal(a.status, SBX_ELF_OK);
	assert_int_equal(b.status, SBX_ELF_OK);
	assert_string_equal(a.needed[0], b.needed[0]);
	assert_string_equal(a.rpath, b.rpath);
	sbx_elf_info_free(&a);
	sbx_elf_info_free(&b);
	close(fd);
	free(img);
}

/* Every prefix of a valid object: a classification, never a crash. */
static void elf_every_truncation_is_classified(void **state)
{
	struct fx_elf d = {.interp = "/lib/ld.so", .needed = {"libc.so.6"}, .runpath = "/x"};
	struct sbx_error err;
	unsigned char *img;
	size_t n, len;

	(void)state;
	img = fx_build(&d, &n);
	for (len = 0; len < n; len++) {
		struct sbx_elf_info info;
		unsigned char *copy = malloc(len ? len : 1);

		memcpy(copy, img, len);
		assert_int_equal(sbx_elf_read_mem(&lib, copy, len, &info, &err), 0);
		/* The dynamic segment is the tail: any cut loses part of it. */
		if (len < 64)
			assert_int_not_equal(info.status, SBX_ELF_OK);
		sbx_elf_info_free(&info);
		free(copy);
	}
	free(img);
}

/* One field of the fixture overwritten: of the ELF header, of program
 * header `index` (0 PT_LOAD, 1 PT_INTERP, 2 PT_DYNAMIC) or of dynamic entry
 * `index` (0 DT_NEEDED, 1 DT_STRTAB, 2 DT_STRSZ), at byte `off` of it. */
struct elf_patch {
	enum { PATCH_NONE, PATCH_EHDR, PATCH_PHDR, PATCH_DYN } in;
	size_t index, off, size;
	uint64_t value;
};

#define FIELD_SIZE(type, f) sizeof(((type *)0)->f)
#define EHDR_PATCH(f, v)                                                                           \
	{                                                                                          \
		PATCH_EHDR, 0, offsetof(Elf64_Ehdr, f), FIELD_SIZE(Elf64_Ehdr, f), v               \
	}
#define PHDR_PATCH(i, f, v)                                                                        \
	{                                                                                          \
		PATCH_PHDR, i, offsetof(Elf64_Phdr, f), FIELD_SIZE(Elf64_Phdr, f), v               \
	}
#define DYN_PATCH(i, v)                                                                            \
	{                                                                                          \
		PATCH_DYN, i, offsetof(Elf64_Dyn, d_un), FIELD_SIZE(Elf64_Dyn, d_un), v            \
	}

static void apply_patch(unsigned char *m, const struct elf_patch *p)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(m + sizeof(Elf64_Ehdr));
	uint16_t v16 = (uint16_t)p->value;
	uint32_t v32 = (uint32_t)p->value;
	size_t at = p->off;

	if (p->in == PATCH_PHDR)
		at += sizeof(Elf64_Ehdr) + p->index * sizeof(Elf64_Phdr);
	else if (p->in == PATCH_DYN)
		at += ph[2].p_offset + p->index * sizeof(Elf64_Dyn);
	memcpy(m + at,
	       p->size == 2   ? (const void *)&v16
	       : p->size == 4 ? (const void *)&v32
			      : &p->value,
	       p->size);
}

/* Absurd counts and offsets: each is refused or bounded. */
static void elf_absurd_fields_are_bounded(void **state)
{
	enum expect { REFUSED, CLIPPED, CLASSIFIED };
	static const struct {
		struct elf_patch patch[2];
		enum expect expect;
	} cases[] = {
	    {{EHDR_PATCH(e_phoff, UINT64_MAX - 8)}, REFUSED},
	    {{EHDR_PATCH(e_phnum, PN_XNUM)}, REFUSED},
	    {{EHDR_PATCH(e_phnum, 0xfffe)}, REFUSED},
	    /* PT_DYNAMIC clipped to the file: still readable */
	    {{PHDR_PATCH(2, p_filesz, 1ULL << 62)}, CLIPPED},
	    {{PHDR_PATCH(1, p_offset, 1ULL << 62)}, REFUSED},
	    {{DYN_PATCH(0, 1ULL << 40)}, REFUSED}, /* DT_NEEDED offset */
	    {{DYN_PATCH(1, 1ULL << 60)}, REFUSED}, /* DT_STRTAB */
	    /* extended numbering */
	    {{EHDR_PATCH(e_shnum, 0), EHDR_PATCH(e_shoff, 64)}, CLASSIFIED},
	    {{PHDR_PATCH(0, p_filesz, 1ULL << 62), DYN_PATCH(2, 1ULL << 62)}, CLASSIFIED},
	};
	struct fx_elf d = {.interp = "/lib/ld.so", .needed = {"libc.so.6"}};
	struct sbx_error err;
	unsigned char *img;
	size_t n, k, j;

	(void)state;
	img = fx_build(&d, &n);
	for (k = 0; k < SBX_ARRAY_SIZE(cases); k++) {
		unsigned char *m = malloc(n);
		struct sbx_elf_info info;

		memcpy(m, img, n);
		for (j = 0; j < SBX_ARRAY_SIZE(cases[k].patch) && cases[k].patch[j].in; j++)
			apply_patch(m, &cases[k].patch[j]);
		assert_int_equal(sbx_elf_read_mem(&lib, m, n, &info, &err), 0);
		if (cases[k].expect == CLIPPED)
			assert_int_equal(info.n_needed, 1);
		else if (cases[k].expect == REFUSED)
			assert_int_equal(info.status, SBX_ELF_BAD);
		sbx_elf_info_free(&info);
		free(m);
	}
	free(img);
}

#define BYTES(s) s, sizeof(s) - 1

static void elf_script_and_short_files(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		enum sbx_elf_status status;
		const char *why; /* NULL: not checked */
	} cases[] = {
	    {BYTES("#!/bin/sh\necho hi\n"), SBX_ELF_NOT_ELF, NULL},
	    {BYTES("\177ELF\2\1\1"), SBX_ELF_BAD, "file too short"},
	    {BYTES(""), SBX_ELF_NOT_ELF, NULL},
	};
	struct sbx_elf_info info;
	struct sbx_error err;
	size_t k;

	(void)state;
	for (k = 0; k < SBX_ARRAY_SIZE(cases); k++) {
		assert_int_equal(sbx_elf_read_mem(&lib, cases[k].bytes, cases[k].len, &info, &err),
				 0);
		assert_int_equal(info.status, cases[k].status);
		if (cases[k].why)
			assert_string_equal(info.why, cases[k].why);
		sbx_elf_info_free(&info);
	}
}

/* A 2 GB sparse file whose dynamic segment claims 1 GB at its end: read
 * fast, with bounded memory (at most SBX_ELF_MAX_DYNAMIC of it). */
static void elf_sparse_2g_file_is_cheap(void **state)
{
	struct fx_elf d = {.needed = {"libc.so.6"}};
	const uint64_t size = 2ULL << 30;
	struct sbx_elf_info info;
	struct sbx_error err;
	struct timespec t0, t1;
	unsigned char *img;
	char *p = tpath("sparse2g");
	size_t n;
	int fd;

	(void)state;
	img = fx_build(&d, &n);
	((Elf64_Phdr *)(img + 64))[1].p_offset = size - 4096;
	((Elf64_Phdr *)(img + 64))[1].p_filesz = 1ULL << 30;
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0755);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, img, n), (ssize_t)n);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sbx_elf_read_fd(&lib, fd, size, &info, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	assert_true(info.has_dynamic); /* zeros: DT_NULL at once */
	assert_int_equal(info.n_needed, 0);
	sbx_elf_info_free(&info);
	close(fd);
	unlink(p);
	free(p);
	free(img);
}

/* ---- ld.so.cache ---- */

static void ldcache_libcmp_orders_numbers(void **state)
{
	static const struct {
		const char *a, *b;
		int sign; /* of sbx_ldcache_libcmp(a, b) */
	} cases[] = {
	    {"libfoo.so.10", "libfoo.so.9", 1},
	    {"libfoo.so.2", "libfoo.so.10", -1},
	    {"libc.so.6", "libc.so.6", 0},
	    /* Digit runs longer than any integer: ordered, and terminates. */
	    {"a99999999999999999999999999", "a1", 1},
	    {"a99999999999999999999999999", "a99999999999999999999999999", 0},
	};
	size_t k;

	(void)state;
	for (k = 0; k < SBX_ARRAY_SIZE(cases); k++) {
		int r = sbx_ldcache_libcmp(cases[k].a, cases[k].b);

		assert_int_equal((r > 0) - (r < 0), cases[k].sign);
	}
}

struct cache_ent {
	const char *key, *value;
	uint64_t hwcap;
};

/* A new-format cache (with a glibc-hwcaps extension when hwcaps given). */
static unsigned char *build_cache(const struct cache_ent *e, size_t n, const char *const *hwcaps,
				  size_t n_hw, size_t *len)
{
	size_t base = 48 + 24 * n, cap = 4096, slen = 0, i, ext_off = 0, total;
	unsigned char *buf = calloc(1, cap);
	uint32_t u;

	memcpy(buf, "glibc-ld.so.cache1.1", 20);
	for (i = 0; i < n; i++) {
		unsigned char *ent = buf + 48 + 24 * i;
		int32_t flags = 0x0303;

		memcpy(ent, &flags, 4);
		u = (uint32_t)(base + slen);
		memcpy(ent + 4, &u, 4);
		strcpy((char *)buf + base + slen, e[i].key);
		slen += strlen(e[i].key) + 1;
		u = (uint32_t)(base + slen);
		memcpy(ent + 8, &u, 4);
		strcpy((char *)buf + base + slen, e[i].value);
		slen += strlen(e[i].value) + 1;
		memcpy(ent + 16, &e[i].hwcap, 8);
	}
	total = base + slen;
	if (n_hw) {
		uint32_t hdr[6], offs[8];

		for (i = 0; i < n_hw; i++) {
			offs[i] = (uint32_t)total;
			strcpy((char *)buf + total, hwcaps[i]);
			total += strlen(hwcaps[i]) + 1;
		}
		ext_off = (total + 7) & ~(size_t)7;
		hdr[0] = 0xeaa42174;
		hdr[1] = 1;
		hdr[2] = 1; /* glibc-hwcaps */
		hdr[3] = 0;
		hdr[4] = (uint32_t)(ext_off + 24);
		hdr[5] = (uint32_t)(4 * n_hw);
		memcpy(buf + ext_off, hdr, sizeof(hdr));
		memcpy(buf + ext_off + 24, offs, 4 * n_hw);
		total = ext_off + 24 + 4 * n_hw;
	}
	u = (uint32_t)n;
	memcpy(buf + 20, &u, 4);
	u = (uint32_t)slen;
	memcpy(buf + 24, &u, 4);
	u = (uint32_t)ext_off;
	memcpy(buf + 32, &u, 4);
	*len = total;
	return buf;
}

static struct sbx_ldcache_query test_query(const char *const *prio, size_t n)
{
	struct sbx_ldcache_query q = {
	    .flags = SBX_LDCACHE_FLAG_ELF_LIBC6 | SBX_LDCACHE_FLAG_X8664_LIB64,
	    .hwcaps_prio = prio,
	    .n_hwcaps_prio = n,
	    .hwcap_exclude = ~((1ULL << 1) | (3ULL << 32) | (1ULL << 63)),
	    .platform_mask = 3ULL << 32,
	    .platform = UINT64_MAX,
	};
	return q;
}

static void ldcache_hwcaps_entries_win_by_priority(void **state)
{
	static const char *const hw[] = {"x86-64-v2", "x86-64-v3"};
	const uint64_t ext = 1ULL << 62;
	/* ldconfig order: descending names; hwcaps entries of a name first. */
	const struct cache_ent e[] = {
	    {"libz.so.1", "/l/glibc-hwcaps/x86-64-v2/libz.so.1", ext | 0},
	    {"libz.so.1", "/l/glibc-hwcaps/x86-64-v3/libz.so.1", ext | 1},
	    {"libz.so.1", "/l/libz.so.1", 0},
	    {"libc.so.6", "/l/libc.so.6", 0},
	    {"liba.so.1", "/l/liba.so.1", 0},
	};
	static const char *const v3v2[] = {"x86-64-v3", "x86-64-v2"};
	static const char *const v2[] = {"x86-64-v2"};
	static const struct {
		const char *const *prio; /* the active hwcaps, best first */
		size_t n_prio;
		uint64_t flags; /* 0: a 64-bit loader's */
		const char *name, *want;
	} lookups[] = {
	    {v3v2, 2, 0, "libz.so.1", "/l/glibc-hwcaps/x86-64-v3/libz.so.1"},
	    {v2, 1, 0, "libz.so.1", "/l/glibc-hwcaps/x86-64-v2/libz.so.1"},
	    {NULL, 0, 0, "libz.so.1", "/l/libz.so.1"},
	    {NULL, 0, 0, "libc.so.6", "/l/libc.so.6"},
	    {NULL, 0, 0, "liba.so.1", "/l/liba.so.1"},
	    {NULL, 0, 0, "libnope.so", NULL},
	    /* a 32-bit loader sees none */
	    {NULL, 0, SBX_LDCACHE_FLAG_ELF_LIBC6, "libc.so.6", NULL},
	};
	struct sbx_ldcache c;
	struct sbx_error err;
	unsigned char *buf;
	size_t len, k;

	(void)state;
	buf = build_cache(e, 5, hw, 2, &len);
	assert_int_equal(sbx_ldcache_parse(buf, len, &c, &err), 0);
	for (k = 0; k < SBX_ARRAY_SIZE(lookups); k++) {
		struct sbx_ldcache_query q = test_query(lookups[k].prio, lookups[k].n_prio);
		const char *got;

		if (lookups[k].flags)
			q.flags = lookups[k].flags;
		got = sbx_ldcache_lookup(&c, lookups[k].name, &q);
		if (lookups[k].want)
			assert_string_equal(got, lookups[k].want);
		else
			assert_null(got);
	}
	sbx_ldcache_free(&c);
	free(buf);
}

static void ldcache_every_truncation_is_safe(void **state)
{
	const struct cache_ent e[] = {
	    {"libz.so.1", "/l/libz.so.1", 0},
	    {"libc.so.6", "/l/libc.so.6", 0},
	};
	static const char *const hw[] = {"x86-64-v2"};
	struct sbx_ldcache_query q = test_query(hw, 1);
	struct sbx_error err;
	unsigned char *buf;
	size_t len, cut;

	(void)state;
	buf = build_cache(e, 2, hw, 1, &len);
	for (cut = 0; cut <= len; cut++) {
		struct sbx_ldcache c;

		if (sbx_ldcache_parse(buf, cut, &c, &err) < 0)
			continue;
		(void)sbx_ldcache_lookup(&c, "libc.so.6", &q);
		(void)sbx_ldcache_lookup(&c, "libz.so.1", &q);
		sbx_ldcache_free(&c);
	}
	/* Not a cache at all. */
	{
		struct sbx_ldcache c;

		assert_int_equal(sbx_ldcache_parse("hello", 5, &c, &err), -1);
	}
	free(buf);
}

static void ldcache_old_format_and_embedded_new(void **state)
{
	unsigned char buf[256] = {0};
	struct sbx_ldcache_query q = test_query(NULL, 0);
	struct sbx_ldcache c;
	struct sbx_error err;
	int32_t flags = 0x0303;
	uint32_t u;

	(void)state;
	memcpy(buf, "ld.so-1.7.0", 11);
	u = 1;
	memcpy(buf + 12, &u, 4);
	memcpy(buf + 16, &flags, 4);
	u = 0;
	memcpy(buf + 20, &u, 4);
	u = 10;
	memcpy(buf + 24, &u, 4);
	memcpy(buf + 28, "libc.so.6\0/old/libc\0", 20);
	assert_int_equal(sbx_ldcache_parse(buf, 48, &c, &err), 0);
	assert_string_equal(sbx_ldcache_lookup(&c, "libc.so.6", &q), "/old/libc");
	sbx_ldcache_free(&c);
}

static void ldcache_reads_this_hosts_cache(void **state)
{
	struct sbx_hostrt rt;
	struct sbx_error err;
	char *data;
	size_t len;
	struct sbx_ldcache c;
	static const char *const prio[] = {"x86-64-v3", "x86-64-v2"};
	struct sbx_ldcache_query q = test_query(prio, 2);
	const char *libc;

	(void)state;
	(void)rt;
	if (sbx_read_file(SBX_LDCACHE_PATH, SBX_LDCACHE_MAX_SIZE, &data, &len, &err) < 0)
		skip();
	assert_int_equal(sbx_ldcache_parse(data, len, &c, &err), 0);
	libc = sbx_ldcache_lookup(&c, "libc.so.6", &q);
	assert_non_null(libc);
	assert_int_equal(access(libc, R_OK), 0);
	sbx_ldcache_free(&c);
	free(data);
}

/* ---- Probes ---- */

/* Each path is looked up once, each file kept once under all its names,
 * and a file's real path resolves symlinked directories and the file's
 * own link. */
static void probe_each_path_and_file_once(void **state)
{
	struct fx_elf obj = {.soname = "libsbxp.so.1"};
	const struct fx_file files[] = {{"p1/d/libsbxp.so.1.0", &obj, 0644}};
	char *file = tpath("p1/d/libsbxp.so.1.0"), *link = tpath("p1/d/libsbxp.so.1");
	char *dir_link = tpath("p1/l"), *via = tpath("p1/l/libsbxp.so.1");
	char *missing = tpath("p1/d/absent.so"), *dir = tpath("p1/d");
	struct sbx_hostrt_arena arena = {0};
	struct sbx_hostrt_probes pr;
	struct hostrt_probe *p, *again, *direct, *gone, *d;

	(void)state;
	write_elfs(files, SBX_ARRAY_SIZE(files));
	assert_int_equal(symlink("libsbxp.so.1.0", link), 0);
	assert_int_equal(symlink("d", dir_link), 0);
	sbx_hostrt_probe_init(&pr, &lib, &arena);
	p = sbx_hostrt_probe_path(&pr, via);
	assert_int_equal(p->open_errno, 0);
	assert_non_null(p->file);
	assert_true(p->file->is_reg);
	assert_string_equal(p->file->info.soname, "libsbxp.so.1");
	again = sbx_hostrt_probe_path(&pr, via);
	assert_ptr_equal(again, p);
	direct = sbx_hostrt_probe_path(&pr, file);
	assert_ptr_not_equal(direct, p);
	assert_ptr_equal(direct->file, p->file); /* one file, two names */
	assert_string_equal(sbx_hostrt_probe_real(&pr, p->file), file);
	assert_ptr_equal(sbx_hostrt_probe_real(&pr, p->file), sbx_hostrt_probe_real(&pr, p->file));
	gone = sbx_hostrt_probe_path(&pr, missing);
	assert_int_equal(gone->open_errno, ENOENT);
	assert_null(gone->file);
	d = sbx_hostrt_probe_path(&pr, dir);
	assert_int_equal(d->open_errno, 0);
	assert_non_null(d->file);
	assert_false(d->file->is_reg);
	sbx_hostrt_probe_fini(&pr);
	sbx_hostrt_arena_free(&arena);
	free(file);
	free(link);
	free(dir_link);
	free(via);
	free(missing);
	free(dir);
}

/* ---- The loader replay ---- */

static struct sbx_hostrt resolve_one(const char *rel, const char *llp)
{
	struct sbx_hostrt rt;
	struct sbx_error err;
	char *p = tpath("%s", rel);
	const char *files[] = {p};

	assert_int_equal(sbx_hostrt_resolve_files(files, 1, llp, &rt, &err), 0);
	free(p);
	return rt;
}

/* One executable resolved alone: what it must be granted (for why, or for
 * any reason when why is NULL) and what it must not. Paths are relative
 * to the test directory; the lists end at the first NULL. */
struct closure_case {
	const char *exe, *llp;
	const char *granted[2];
	const char *why;
	const char *absent[3];
};

static void check_closure(const struct closure_case *c)
{
	char *llp = c->llp ? tpath("%s", c->llp) : NULL;
	struct sbx_hostrt rt = resolve_one(c->exe, llp);
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(c->granted) && c->granted[i]; i++)
		assert_true(has_tmp_entry(&rt, c->granted[i], c->why));
	for (i = 0; i < SBX_ARRAY_SIZE(c->absent) && c->absent[i]; i++)
		assert_false(has_tmp_entry(&rt, c->absent[i], NULL));
	sbx_hostrt_free(&rt);
	free(llp);
}

static void check_closures(const struct closure_case *cases, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		check_closure(&cases[k]);
}

/* DT_RPATH is inherited down the loading chain; DT_RUNPATH is not. */
static void resolve_rpath_inherited_runpath_not(void **state)
{
	struct fx_elf exe_rpath = {
	    .type = ET_DYN, .needed = {"libsbxa.so"}, .rpath = "$ORIGIN/../lib"};
	struct fx_elf exe_runpath = {
	    .type = ET_DYN, .needed = {"libsbxa.so"}, .runpath = "$ORIGIN/../lib"};
	struct fx_elf liba = {.needed = {"libsbxb.so"}, .soname = "libsbxa.so"};
	struct fx_elf libb = {.soname = "libsbxb.so"};
	const struct fx_file files[] = {
	    {"r1/bin/with-rpath", &exe_rpath, 0755},
	    {"r1/bin/with-runpath", &exe_runpath, 0755},
	    {"r1/lib/libsbxa.so", &liba, 0755},
	    {"r1/lib/libsbxb.so", &libb, 0755},
	};
	static const struct closure_case cases[] = {
	    {"r1/bin/with-rpath",
	     NULL,
	     {"r1/lib/libsbxa.so", "r1/lib/libsbxb.so"},
	     SBX_HOSTRT_WHY_LIBRARY,
	     {NULL}},
	    /* libsbxb.so is then not found: the program cannot start, so
	     * none of its closure is granted (ld.so --list prints nothing
	     * either). */
	    {"r1/bin/with-runpath", NULL, {NULL}, NULL, {"r1/lib/libsbxa.so", "r1/lib/libsbxb.so"}},
	};

	(void)state;
	write_elfs(files, SBX_ARRAY_SIZE(files));
	check_closures(cases, SBX_ARRAY_SIZE(cases));
}

/* A candidate of the wrong class or machine is skipped, and the search goes
 * on; a symlinked name is granted through its target. */
static void resolve_skips_wrong_class_and_follows_symlinks(void **state)
{
	struct fx_elf exe = {
	    .type = ET_DYN, .needed = {"libsbxc.so.1"}, .rpath = "$ORIGIN/a:$ORIGIN/b:$ORIGIN/c"};
	struct fx_elf lib32 = {.ei_class = ELFCLASS32};
	struct fx_elf arm = {.machine = EM_AARCH64};
	struct fx_elf good = {.soname = "libsbxc.so.1"};
	const struct fx_file files[] = {
	    {"r2/exe", &exe, 0755},
	    {"r2/a/libsbxc.so.1", &lib32, 0644},
	    {"r2/b/libsbxc.so.1", &arm, 0644},
	    {"r2/c/libsbxc.so.1.2.3", &good, 0644},
	};
	static const struct closure_case closure = {
	    "r2/exe",
	    NULL,
	    {"r2/c/libsbxc.so.1.2.3"},
	    SBX_HOSTRT_WHY_LIBRARY,
	    {"r2/c/libsbxc.so.1", "r2/a/libsbxc.so.1", "r2/b/libsbxc.so.1"}};
	char *target, *link;

	(void)state;
	write_elfs(files, SBX_ARRAY_SIZE(files));
	target = sbx_xstrdup("libsbxc.so.1.2.3");
	link = tpath("r2/c/libsbxc.so.1");
	assert_int_equal(symlink(target, link), 0);
	check_closure(&closure);
	free(target);
	free(link);
}

/* RPATH, then LD_LIBRARY_PATH, then RUNPATH. */
static void resolve_ld_library_path_order(void **state)
{
	struct fx_elf exe_rpath = {.type = ET_DYN, .needed = {"libsbxd.so"}, .rpath = "$ORIGIN/rp"};
	struct fx_elf exe_runpath = {
	    .type = ET_DYN, .needed = {"libsbxd.so"}, .runpath = "$ORIGIN/rp"};
	struct fx_elf libd = {.soname = "libsbxd.so"};
	const struct fx_file files[] = {
	    {"r3/exe-rpath", &exe_rpath, 0755},
	    {"r3/exe-runpath", &exe_runpath, 0755},
	    {"r3/rp/libsbxd.so", &libd, 0644},
	    {"r3/llp/libsbxd.so", &libd, 0644},
	};
	static const struct closure_case cases[] = {
	    {"r3/exe-rpath", "r3/llp", {"r3/rp/libsbxd.so"}, NULL, {"r3/llp/libsbxd.so"}},
	    {"r3/exe-runpath", "r3/llp", {"r3/llp/libsbxd.so"}, NULL, {"r3/rp/libsbxd.so"}},
	};

	(void)state;
	write_elfs(files, SBX_ARRAY_SIZE(files));
	check_closures(cases, SBX_ARRAY_SIZE(cases));
}

/* A dependency cycle ends; a library that is an executable (ET_EXEC) or a
 * PIE makes the program unstartable, so nothing of its closure is granted. */
static void resolve_cycles_and_fatal_candidates(void **state)
{
	struct fx_elf exe = {.type = ET_DYN, .needed = {"libsbxe.so"}, .rpath = "$ORIGIN"};
	struct fx_elf libe = {.needed = {"libsbxf.so"}, .soname = "libsbxe.so"};
	struct fx_elf libf = {.needed = {"libsbxe.so", "libsbxf.so"}, .soname = "libsbxf.so"};
	struct fx_elf exe2 = {
	    .type = ET_DYN, .needed = {"libsbxe.so", "libsbxpie.so"}, .rpath = "$ORIGIN"};
	struct fx_elf pie = {.flags_1 = DF_1_PIE};
	const struct fx_file files[] = {
	    {"r4/exe", &exe, 0755},	     {"r4/exe2", &exe2, 0755},
	    {"r4/libsbxe.so", &libe, 0644},  {"r4/libsbxf.so", &libf, 0644},
	    {"r4/libsbxpie.so", &pie, 0644},
	};
	static const struct closure_case cases[] = {
	    {"r4/exe", NULL, {"r4/libsbxe.so", "r4/libsbxf.so"}, NULL, {NULL}},
	    {"r4/exe2", NULL, {NULL}, NULL, {"r4/libsbxe.so", "r4/libsbxpie.so"}},
	};

	(void)state;
	write_elfs(files, SBX_ARRAY_SIZE(files));
	check_closures(cases, SBX_ARRAY_SIZE(cases));
}

/* $PATH with hostile entries: a FIFO and a directory named like binaries,
 * a truncated ELF, a 2 GB sparse file, a script that names itself, and a
 * real script; plus a missing and a duplicate directory. */
static void resolve_path_with_hostile_entries(void **state)
{
	struct fx_elf exe = {.type = ET_DYN, .needed = {"libsbxg.so"}, .rpath = "$ORIGIN/../lib"};
	struct fx_elf libg = {.soname = "libsbxg.so"};
	static const char sh_script[] = "#!/bin/sh\nexit 0\n";
	struct sbx_hostrt rt;
	struct sbx_error err;
	struct timespec t0, t1;
	char *bin = tpath("r5/bin"), *path_env, *p, *self, *sh_real;
	unsigned char *img;
	size_t n;
	int fd;

	(void)state;
	mkdirs("r5/bin/cat");
	mkdirs("r5/lib");
	write_elf("r5/bin/good", &exe, 0755);
	write_elf("r5/lib/libsbxg.so", &libg, 0644);
	p = tpath("r5/bin/ls");
	assert_int_equal(mkfifo(p, 0755), 0);
	free(p);
	img = fx_build(&exe, &n);
	p = tpath("r5/bin/truncated");
	write_bytes(p, img, n / 2, 0755);
	free(p);
	p = tpath("r5/bin/sparse");
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	assert_int_equal(write(fd, img, 64), 64);
	assert_int_equal(ftruncate(fd, (off_t)(2ULL << 30)), 0);
	close(fd);
	free(p);
	free(img);
	self = tpath("r5/bin/loop");
	p = sbx_xasprintf("#!%s\n", self);
	write_bytes(self, p, strlen(p), 0755);
	free(p);
	p = tpath("r5/bin/script");
	write_bytes(p, sh_script, sizeof(sh_script) - 1, 0755);
	free(p);

	path_env = sbx_xasprintf("%s:%s/missing:%s/", bin, tmpdir, bin);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sbx_hostrt_resolve(path_env, NULL, &rt, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 5);
	assert_true(has_entry(&rt, bin, SBX_HOSTRT_WHY_PATH_DIR));
	assert_true(has_tmp_entry(&rt, "r5/lib/libsbxg.so", SBX_HOSTRT_WHY_LIBRARY));
	assert_false(has_tmp_entry(&rt, "r5/missing", NULL));
	/* The #! script contributes its interpreter (and that one's closure). */
	sh_real = realpath("/bin/sh", NULL);
	if (sh_real)
		assert_true(has_entry(&rt, sh_real, SBX_HOSTRT_WHY_INTERP));
	/* Every entry is unique and carries the documented access. */
	for (n = 0; n < rt.len; n++) {
		size_t k;
		uint64_t rx = SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR | SBX_LL_FS_EXECUTE;

		for (k = n + 1; k < rt.len; k++)
			assert_string_not_equal(rt.entries[n].path, rt.entries[k].path);
		if (strcmp(rt.entries[n].why, SBX_HOSTRT_WHY_LDCACHE) == 0)
			assert_int_equal(rt.entries[n].access, rx & ~SBX_LL_FS_EXECUTE);
		else
			assert_int_equal(rt.entries[n].access, rx);
	}
	sbx_hostrt_free(&rt);
	free(sh_real);
	free(self);
	free(path_env);
	free(bin);
}

static bool has_refusal(const struct sbx_hostrt *rt, const char *path, const char *says)
{
	size_t i;

	for (i = 0; i < rt->n_refused; i++)
		if (strcmp(rt->refused[i].real, path) == 0 && strstr(rt->refused[i].text, says))
			return true;
	return false;
}

/* An interpreter is granted only when it can be one: PT_INTERP an
 * executable ELF shared object of this class and machine, #! an
 * executable ELF or script. Anything else a program names there (a key,
 * an ET_EXEC, a 0644 file) would never start it, and is reported, not
 * granted. */
static void resolve_refuses_unfit_interpreters(void **state)
{
	char *secret = tpath("r7/secret"), *notloader = tpath("r7/notloader");
	char *loader = tpath("r7/loader"), *bin = tpath("r7/bin"), *p;
	struct fx_elf to_secret = {.type = ET_DYN, .interp = secret};
	struct fx_elf to_exec = {.type = ET_DYN, .interp = notloader};
	struct fx_elf to_loader = {.type = ET_DYN, .interp = loader};
	struct fx_elf exec = {.type = ET_EXEC};
	struct fx_elf real_loader = {.soname = "ld-sbx.so"};
	const struct fx_file files[] = {
	    {"r7/bin/elf-secret", &to_secret, 0755}, {"r7/bin/elf-exec", &to_exec, 0755},
	    {"r7/bin/elf-good", &to_loader, 0755},   {"r7/notloader", &exec, 0755},
	    {"r7/loader", &real_loader, 0755},
	};
	struct sbx_hostrt rt;
	struct sbx_error err;

	(void)state;
	write_elfs(files, SBX_ARRAY_SIZE(files));
	write_bytes(secret, "PRIVATE KEY\n", 12, 0600);
	p = sbx_xasprintf("#!%s\n", secret);
	{
		char *script = tpath("r7/bin/script-secret");

		write_bytes(script, p, strlen(p), 0755);
		free(script);
	}
	free(p);
	assert_int_equal(sbx_hostrt_resolve(bin, NULL, &rt, &err), 0);
	assert_false(has_entry(&rt, secret, NULL));
	assert_false(has_entry(&rt, notloader, NULL));
	assert_true(has_entry(&rt, loader, SBX_HOSTRT_WHY_INTERP));
	assert_true(has_refusal(&rt, secret, "not an executable file"));
	assert_true(has_refusal(&rt, notloader, "not an ELF dynamic loader"));
	sbx_hostrt_free(&rt);
	free(secret);
	free(notloader);
	free(loader);
	free(bin);
}

/* With writable trees, nothing reached in or through one is granted: a
 * $PATH directory in one (not even read), one reached by a symlink in one,
 * a library found there; the path each was named by is reported. */
static void resolve_guarded_skips_writable_trees(void **state)
{
	char *w = tpath("r8/w"), *wbin = tpath("r8/w/bin"), *link = tpath("r8/w/link");
	char *out = tpath("r8/out"), *bin = tpath("r8/bin"), *wlib = tpath("r8/w/lib/libsbxw.so");
	const char *trees[] = {w};
	struct fx_elf exe = {.type = ET_DYN, .needed = {"libsbxw.so"}, .rpath = "$ORIGIN/../w/lib"};
	struct fx_elf libw = {.soname = "libsbxw.so"};
	const struct fx_file files[] = {
	    {"r8/bin/uses-w", &exe, 0755},
	    {"r8/w/bin/planted", &exe, 0755},
	    {"r8/w/lib/libsbxw.so", &libw, 0755},
	    {"r8/out/x", &libw, 0755},
	};
	char *path_env = sbx_xasprintf("%s:%s:%s", wbin, link, bin);
	struct sbx_hostrt rt;
	struct sbx_error err;
	char *via = NULL;
	struct sbx_hostrt_writable wr;

	(void)state;
	write_elfs(files, SBX_ARRAY_SIZE(files));
	assert_int_equal(symlink(out, link), 0);
	assert_int_equal(sbx_hostrt_resolve_guarded(path_env, NULL, trees, 1, &rt, &err), 0);
	assert_true(has_entry(&rt, bin, SBX_HOSTRT_WHY_PATH_DIR));
	assert_false(has_entry(&rt, wbin, NULL));
	assert_false(has_entry(&rt, out, NULL));
	assert_false(has_entry(&rt, wlib, NULL));
	assert_true(has_refusal(&rt, wbin, "it lies in"));
	assert_true(has_refusal(&rt, out, "reached through the symlink"));
	assert_true(has_refusal(&rt, wlib, "it lies in"));
	sbx_hostrt_free(&rt);
	/* Unguarded, the same $PATH grants all three. */
	assert_int_equal(sbx_hostrt_resolve(path_env, NULL, &rt, &err), 0);
	assert_true(has_entry(&rt, wbin, NULL) && has_entry(&rt, out, NULL) &&
		    has_entry(&rt, wlib, NULL));
	assert_int_equal(rt.n_refused, 0);
	sbx_hostrt_free(&rt);
	/* The lookup itself: the symlink is named, a plain path is not. */
	sbx_hostrt_writable_init(&wr, trees, 1);
	assert_ptr_equal(sbx_hostrt_writable_hit(&wr, link, NULL, &via), w);
	assert_string_equal(via, link);
	free(via);
	assert_ptr_equal(sbx_hostrt_writable_hit(&wr, wlib, NULL, &via), w);
	assert_null(via);
	assert_null(sbx_hostrt_writable_hit(&wr, bin, NULL, &via));
	sbx_hostrt_writable_fini(&wr);
	assert_true(sbx_path_in_tree("/a/b", "/a") && sbx_path_in_tree("/a", "/a/") &&
		    !sbx_path_in_tree("/ab", "/a") && sbx_path_in_tree("/x", "/"));
	free(path_env);
	free(w);
	free(wbin);
	free(link);
	free(out);
	free(bin);
	free(wlib);
}

/* Copies the system programs of a fixed list that exist here into rel (a
 * test directory): a snapshot, so the host changing under /usr/bin during
 * the test does not change what the resolver is given. Returns how many. */
static size_t copy_system_programs(const char *rel)
{
	static const char *const names[] = {"sh",   "ls",   "cat", "grep", "sed", "sort", "tar",
					    "gzip", "find", "xz",  "perl", "ssh", "git",  "curl"};
	char buf[65536];
	size_t k, copied = 0;

	mkdirs(rel);
	for (k = 0; k < SBX_ARRAY_SIZE(names); k++) {
		char *src = sbx_xasprintf("/usr/bin/%s", names[k]),
		     *dst = tpath("%s/%s", rel, names[k]);
		int in = open(src, O_RDONLY | O_CLOEXEC), out;
		ssize_t n;

		free(src);
		if (in < 0) {
			free(dst);
			continue;
		}
		out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
		assert_true(out >= 0);
		while ((n = read(in, buf, sizeof(buf))) > 0)
			assert_int_equal(write(out, buf, (size_t)n), n);
		assert_int_equal(n, 0);
		close(out);
		close(in);
		free(dst);
		copied++;
	}
	return copied;
}

/* The read-ahead threads change only how fast: the same entries, in the
 * same order, whatever the number of threads and run after run. The $PATH
 * names one file in every order (a symlink before its target in the same
 * directory and in another, a hard link elsewhere, a script whose
 * interpreter is one of those symlinks), holds a non-executable ELF, a
 * FIFO and a directory, and ends with copies of some system programs so
 * that the libraries the cache names are read ahead too. Copies, not
 * /usr/bin itself: a package installed on the host between two runs (an
 * apt-get in another shell) changed the entries and failed the test. */
static void resolve_same_result_whatever_the_threads(void **state)
{
	static const char ldso[] = "/lib64/ld-linux-x86-64.so.2";
	struct fx_elf exe = {
	    .interp = ldso, .needed = {"libc.so.6", "libsbxh.so"}, .rpath = "$ORIGIN/../lib"};
	struct fx_elf exe2 = {.interp = ldso, .needed = {"libm.so.6", "libc.so.6"}};
	struct fx_elf libh = {.soname = "libsbxh.so", .needed = {"libc.so.6"}};
	const struct fx_file files[] = {
	    {"r6/b/zeta", &exe, 0755},
	    {"r6/a/delta", &exe2, 0755},
	    {"r6/a/noexec", &exe2, 0644},
	    {"r6/lib/libsbxh.so", &libh, 0644},
	};
	static const char *const links[][2] = {
	    {"../b/zeta", "r6/a/alpha"}, {"delta", "r6/a/beta"}, {"zeta", "r6/b/omega"}};
	const int threads[] = {1, 2, 4};
	struct sbx_hostrt base, rt;
	struct sbx_error err;
	char *path_env, *p, *q, *script;
	size_t i, k, run;

	(void)state;
	mkdirs("r6/a/sub");
	write_elfs(files, SBX_ARRAY_SIZE(files));
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		p = tpath("%s", links[i][1]);
		assert_int_equal(symlink(links[i][0], p), 0);
		free(p);
	}
	p = tpath("r6/b/zeta");
	q = tpath("r6/a/hard");
	assert_int_equal(link(p, q), 0);
	free(q);
	free(p);
	p = tpath("r6/a/fifo");
	assert_int_equal(mkfifo(p, 0755), 0);
	free(p);
	p = tpath("r6/a/script");
	script = sbx_xasprintf("#!%s/r6/a/alpha\n", tmpdir);
	write_bytes(p, script, strlen(script), 0755);
	free(script);
	free(p);

	assert_true(copy_system_programs("r6/sys") > 0);
	path_env = sbx_xasprintf("%s/r6/a:%s/r6/b:%s/r6/sys", tmpdir, tmpdir, tmpdir);
	assert_int_equal(sbx_hostrt_resolve_threads(path_env, NULL, 0, &base, &err), 0);
	assert_true(has_tmp_entry(&base, "r6/lib/libsbxh.so", SBX_HOSTRT_WHY_LIBRARY));
	assert_true(has_tmp_entry(&base, "r6/b/zeta", SBX_HOSTRT_WHY_INTERP));
	assert_false(has_tmp_entry(&base, "r6/a/noexec", NULL));
	for (k = 0; k < sizeof(threads) / sizeof(threads[0]); k++) {
		for (run = 0; run < 4; run++) {
			assert_int_equal(
			    sbx_hostrt_resolve_threads(path_env, NULL, threads[k], &rt, &err), 0);
			assert_int_equal(rt.len, base.len);
			for (i = 0; i < rt.len; i++) {
				assert_string_equal(rt.entries[i].path, base.entries[i].path);
				assert_string_equal(rt.entries[i].why, base.entries[i].why);
				assert_int_equal(rt.entries[i].access, base.entries[i].access);
			}
			sbx_hostrt_free(&rt);
		}
	}
	sbx_hostrt_free(&base);
	free(path_env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(elf_reads_interp_needed_and_runpath),
	    cmocka_unit_test(elf_fd_and_memory_agree),
	    cmocka_unit_test(elf_every_truncation_is_classified),
	    cmocka_unit_test(elf_absurd_fields_are_bounded),
	    cmocka_unit_test(elf_script_and_short_files),
	    cmocka_unit_test(elf_sparse_2g_file_is_cheap),
	    cmocka_unit_test(ldcache_libcmp_orders_numbers),
	    cmocka_unit_test(ldcache_hwcaps_entries_win_by_priority),
	    cmocka_unit_test(ldcache_every_truncation_is_safe),
	    cmocka_unit_test(ldcache_old_format_and_embedded_new),
	    cmocka_unit_test(ldcache_reads_this_hosts_cache),
	    cmocka_unit_test(probe_each_path_and_file_once),
	    cmocka_unit_test(resolve_rpath_inherited_runpath_not),
	    cmocka_unit_test(resolve_skips_wrong_class_and_follows_symlinks),
	    cmocka_unit_test(resolve_ld_library_path_order),
	    cmocka_unit_test(resolve_cycles_and_fatal_candidates),
	    cmocka_unit_test(resolve_path_with_hostile_entries),
	    cmocka_unit_test(resolve_same_result_whatever_the_threads),
	    cmocka_unit_test(resolve_refuses_unfit_interpreters),
	    cmocka_unit_test(resolve_guarded_skips_writable_trees),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
