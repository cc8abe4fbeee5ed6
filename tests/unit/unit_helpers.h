/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the cmocka unit tests: temporary directories that are
 * removed again, writing small files, environments to pass as envp,
 * substring assertions, and tables of cases run as one test a row.
 * Header-only (static functions) so each test binary stays one translation
 * unit. */
#ifndef SBX_UNIT_HELPERS_H
#define SBX_UNIT_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
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

/* dir/name, created; returns the path (caller frees). */
static inline char *ut_mkdir_in(const char *dir, const char *name)
{
	char *path = ut_join(dir, name);

	ut_mkdir(path);
	return path;
}

/* Writes dir/name with the content; returns the path (caller frees). */
static inline char *ut_write_file_in(const char *dir, const char *name, const char *content)
{
	char *path = ut_join(dir, name);

	ut_write_file(path, content);
	return path;
}

/* Writes path like ut_write_file, making its missing parent directories
 * first. */
static inline void ut_write_file_mkdirs(const char *path, const char *content)
{
	char *dir = strdup(path);
	char *slash;

	assert_non_null(dir);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", dir, strerror(errno));
		*slash = '/';
	}
	free(dir);
	ut_write_file(path, content);
}

/* --- environments ---
 * An environment a test builds and passes as envp (env.entry, always
 * NULL-terminated), so no test reads or changes the real one. */
struct ut_env {
	char *entry[32];
	size_t len;
};

static inline void ut_env_add(struct ut_env *env, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Adds one "NAME=value" entry, formatted like printf. */
static inline void ut_env_add(struct ut_env *env, const char *fmt, ...)
{
	char *entry = NULL;
	va_list ap;

	assert_true(env->len + 1 < sizeof(env->entry) / sizeof(env->entry[0]));
	va_start(ap, fmt);
	assert_true(vasprintf(&entry, fmt, ap) > 0);
	va_end(ap);
	env->entry[env->len++] = entry;
	env->entry[env->len] = NULL;
}

/* Sets name to value: replaces its entry, or adds one. */
static inline void ut_env_set(struct ut_env *env, const char *name, const char *value)
{
	size_t i, n = strlen(name);

	for (i = 0; i < env->len; i++) {
		if (strncmp(env->entry[i], name, n) == 0 && env->entry[i][n] == '=') {
			free(env->entry[i]);
			assert_true(asprintf(&env->entry[i], "%s=%s", name, value) > 0);
			return;
		}
	}
	ut_env_add(env, "%s=%s", name, value);
}

/* Removes the entry added last. */
static inline void ut_env_drop_last(struct ut_env *env)
{
	assert_true(env->len > 0);
	free(env->entry[--env->len]);
	env->entry[env->len] = NULL;
}

static inline void ut_env_free(struct ut_env *env)
{
	while (env->len)
		ut_env_drop_last(env);
}

/* --- table-driven tests ---
 * A table of cases walked by one function: each row is one counted cmocka
 * test, named after the row (the behaviour it pins), whose state is the
 * row. Add the one-off tests and the tables to a suite, then run it:
 *
 *	struct ut_suite suite = {0};
 *
 *	UT_SUITE_ADD_TESTS(&suite, singles);
 *	UT_SUITE_ADD_ROWS(&suite, test_spelling_row, NULL, NULL, spelling_rows);
 *	return ut_suite_run(&suite, "rights");
 *
 * With a setup function, setup finds the row in *state before it puts its
 * own fixture there. */
struct ut_suite {
	struct CMUnitTest tests[96];
	size_t len;
};

static inline void ut_suite_add(struct ut_suite *suite, const char *name, CMUnitTestFunction func,
				CMFixtureFunction setup, CMFixtureFunction teardown,
				const void *row)
{
	struct CMUnitTest *t;

	/* Called from main, outside any test: cmocka cannot fail it. */
	if (suite->len == sizeof(suite->tests) / sizeof(suite->tests[0])) {
		fprintf(stderr, "too many tests for one suite; raise the size of ut_suite.tests\n");
		abort();
	}
	t = &suite->tests[suite->len++];
	t->name = name;
	t->test_func = func;
	t->setup_func = setup;
	t->teardown_func = teardown;
	t->initial_state = (void *)row;
}

static inline void ut_suite_add_tests(struct ut_suite *suite, const struct CMUnitTest *tests,
				      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ut_suite_add(suite, tests[i].name, tests[i].test_func, tests[i].setup_func,
			     tests[i].teardown_func, tests[i].initial_state);
}

/* Adds every test of the array `tests`. */
#define UT_SUITE_ADD_TESTS(suite, tests)                                                           \
	ut_suite_add_tests((suite), (tests), sizeof(tests) / sizeof((tests)[0]))

/* Adds one test per row of the array `rows`, whose elements have a
 * `name`. */
#define UT_SUITE_ADD_ROWS(suite, func, setup, teardown, rows)                                      \
	do {                                                                                       \
		size_t ut_i_;                                                                      \
                                                                                                   \
		for (ut_i_ = 0; ut_i_ < sizeof(rows) / sizeof((rows)[0]); ut_i_++)                 \
			ut_suite_add((suite), (rows)[ut_i_].name, (func), (setup), (teardown),     \
				     &(rows)[ut_i_]);                                              \
	} while (0)

static inline int ut_suite_run(const struct ut_suite *suite, const char *group)
{
	return _cmocka_run_group_tests(group, suite->tests, suite->len, NULL, NULL);
}

#endif
