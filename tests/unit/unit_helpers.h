/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the cmocka unit tests: temporary directories that are
 * removed again, writing small files, and substring assertions. Header-only
 * (static functions) so each test binary stays one translation unit. */
#ifndef SBX_UNIT_HELPERS_H
#define SBX_UNIT_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fails the test, showing both strings, unless needle occurs in haystack. */
#define assert_contains(haystack, needle)                                                          \
	do {                                                                                       \
		const char *h_ = (haystack), *n_ = (needle);                                       \
		if (!h_ || !strstr(h_, n_))                                                        \
			fail_msg("expected \"%s\" to contain \"%s\"", h_ ? h_ : "(null)", n_);     \
	} while (0)

#define assert_not_contains(haystack, needle)                                                      \
	do {                                                                                       \
		const char *h_ = (haystack), *n_ = (needle);                                       \
		if (h_ && strstr(h_, n_))                                                          \
			fail_msg("expected \"%s\" not to contain \"%s\"", h_, n_);                 \
	} while (0)

/* A fresh directory under /tmp; the caller removes it with ut_rmtree. */
static inline char *ut_mkdtemp(void)
{
	char *dir = strdup("/tmp/sbxunit.XXXXXX");

	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	return dir;
}

static inline int ut_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static inline void ut_rmtree(char *dir)
{
	if (!dir)
		return;
	nftw(dir, ut_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

static inline char *ut_join(const char *dir, const char *name)
{
	char *out = NULL;

	assert_true(asprintf(&out, "%s/%s", dir, name) > 0);
	return out;
}

static inline void ut_write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static inline void ut_mkdir(const char *path)
{
	assert_int_equal(mkdir(path, 0700), 0);
}

#endif
