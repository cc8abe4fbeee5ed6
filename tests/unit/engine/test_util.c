/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for util.c's formatting (sbx_xasprintf and sbx_buf_printf
 * write %s, %zu, %d, %u and %% themselves, and hand any other conversion
 * to vsnprintf: both must give what snprintf gives), sbx_path_join, and
 * util.c's sbx_env_get, which compares names by hand, and sbx_env_get_many,
 * which must find what sbx_env_get finds for every name. */
#include "unit_helpers.h"

#include <limits.h>
#include <stdio.h>

#include "engine/rule.h"

static void check_same_as_snprintf(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void test_xasprintf_matches_snprintf_for_simple_conversions(void **state)
{
	char want[256];

	(void)state;
	snprintf(want, sizeof(want), "%s entry %zu", "SANDBOXEC_FS", (size_t)12);
	check_same_as_snprintf(sbx_xasprintf("%s entry %zu", "SANDBOXEC_FS", (size_t)12), want);
	snprintf(want, sizeof(want), "[%d|%d|%d|%u|%u|%zu]", 0, -7, INT_MIN, 0u, UINT_MAX,
		 (size_t)-1);
	check_same_as_snprintf(
	    sbx_xasprintf("[%d|%d|%d|%u|%u|%zu]", 0, -7, INT_MIN, 0u, UINT_MAX, (size_t)-1), want);
	check_same_as_snprintf(sbx_xasprintf("100%% %s%s", "", "x"), "100% x");
	check_same_as_snprintf(sbx_xasprintf("%s", ""), "");
	check_same_as_snprintf(sbx_xasprintf("no conversion"), "no conversion");
}

static void test_xasprintf_other_conversions_fall_back(void **state)
{
	char want[256];

	(void)state;
	snprintf(want, sizeof(want), "%-6s|%.3s|%x|%5d|%ld", "ab", "abcdef", 255u, 42, -3L);
	check_same_as_snprintf(sbx_xasprintf("%-6s|%.3s|%x|%5d|%ld", "ab", "abcdef", 255u, 42, -3L),
			       want);
}

static void test_buf_printf_appends(void **state)
{
	struct sbx_buf buf = {0};
	int i;

	(void)state;
	sbx_buf_puts(&buf, "a");
	for (i = 0; i < 40; i++)
		sbx_buf_printf(&buf, ",%s%d", "n", i);
	sbx_buf_printf(&buf, "|%04d", 7);
	assert_int_equal(buf.len, strlen(buf.data));
	assert_true(strncmp(buf.data, "a,n0,n1,n2,", 11) == 0);
	assert_non_null(strstr(buf.data, ",n39|0007"));
	sbx_buf_free(&buf);
}

static void test_path_join_adds_one_slash(void **state)
{
	(void)state;
	check_same_as_snprintf(sbx_path_join("/a/b", "c.yaml"), "/a/b/c.yaml");
	check_same_as_snprintf(sbx_path_join("/", "c"), "/c");
	check_same_as_snprintf(sbx_path_join("", "c"), "/c");
}

/* A walk up visits what sbx_path_dirname would give at each step, and
 * ends at "/" or at a name without a slash (never loops on "."). */
static void test_path_step_up_walks_as_dirname_does(void **state)
{
	const char *paths[] = {"/a/bc/d", "/a/b/", "/x", "//a", "rel/dir", "rel"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *walk = sbx_xstrdup(paths[i]), *want = sbx_xstrdup(paths[i]);
		int steps = 0;

		while (strchr(want, '/') && strcmp(want, "/") != 0) {
			char *up = sbx_path_dirname(want);

			free(want);
			want = up;
			assert_true(sbx_path_step_up(walk));
			assert_string_equal(walk, want);
			assert_true(++steps < 8);
		}
		assert_false(sbx_path_step_up(walk));
		assert_string_equal(walk, want);
		free(walk);
		free(want);
	}
}

static void test_env_get_matches_whole_names_only(void **state)
{
	char *const env[] = {"SANDBOXEC_FSX=no",
			     "SANDBOXEC_F=no",
			     "SANDBOXEC_FS",
			     "SANDBOXEC_FS=rx:/usr",
			     "EMPTY=",
			     "SANDBOXEC_FS=second",
			     NULL};

	(void)state;
	assert_string_equal(sbx_env_get(env, "SANDBOXEC_FS"), "rx:/usr");
	assert_string_equal(sbx_env_get(env, "EMPTY"), "");
	assert_null(sbx_env_get(env, "SANDBOXEC"));
	assert_null(sbx_env_get(env, "SANDBOXEC_NET"));
	assert_null(sbx_env_get(NULL, "SANDBOXEC_FS"));
}

/* One pass for many names gives, name by name, what sbx_env_get gives:
 * the first entry of the name, whole names only, empty values kept, and
 * entries without '=' or sharing a first byte skipped. */
static void test_env_get_many_finds_what_env_get_finds(void **state)
{
	char *env[] = {"SANDBOXEC_FSX=no",
		       "PATH=/bin",
		       "SANDBOXEC_FS=rx:/usr",
		       "SANDBOXEC_FS=second",
		       "SANDBOXEC_ABI",
		       "SANDBOXEC_NET=",
		       "S=s",
		       "=empty-name",
		       "HOME=/root",
		       "SANDBOXEC_ABI=4",
		       NULL};
	const char *names[] = {"SANDBOXEC_FS",
			       "SANDBOXEC_NET",
			       "SANDBOXEC_ABI",
			       "SANDBOXEC",
			       "S",
			       "HOME",
			       "MISSING",
			       "",
			       "SANDBOXEC_FS"};
	const char *values[SBX_ARRAY_SIZE(names)];
	size_t i;

	(void)state;
	sbx_env_get_many(env, names, SBX_ARRAY_SIZE(names), values);
	for (i = 0; i < SBX_ARRAY_SIZE(names); i++) {
		const char *want = sbx_env_get(env, names[i]);

		if (want != values[i])
			fail_msg("%s: got %s, want %s", names[i], values[i] ? values[i] : "(unset)",
				 want ? want : "(unset)");
	}
	assert_string_equal(values[0], "rx:/usr");
	assert_string_equal(values[1], "");
	assert_string_equal(values[2], "4");
	assert_null(values[3]);
	assert_string_equal(values[7], "empty-name");
	sbx_env_get_many(NULL, names, SBX_ARRAY_SIZE(names), values);
	for (i = 0; i < SBX_ARRAY_SIZE(names); i++)
		assert_null(values[i]);
}

/* Rows are found by the name field at the same offset in every row; a row
 * with a NULL name never matches, and a missing name gives -1. */
static void test_table_index_finds_rows_by_name(void **state)
{
	static const struct {
		int value;
		const char *name;
	} rows[] = {{1, "run"}, {2, NULL}, {3, "mcp"}, {4, "env"}};

	(void)state;
	assert_int_equal(sbx_table_index(&rows[0].name, 4, sizeof(rows[0]), "run"), 0);
	assert_int_equal(sbx_table_index(&rows[0].name, 4, sizeof(rows[0]), "env"), 3);
	assert_int_equal(sbx_table_index(&rows[0].name, 4, sizeof(rows[0]), "mc"), -1);
	assert_int_equal(sbx_table_index(&rows[0].name, 3, sizeof(rows[0]), "env"), -1);
	assert_int_equal(sbx_table_index(&rows[0].name, 0, sizeof(rows[0]), "run"), -1);
}

/* Files of a few bytes to many pages (the buffer of a large one is mapped
 * before the reads fill it) read back whole, NUL-terminated; the size
 * limit still holds. */
static void test_read_file_reads_every_size_whole(void **state)
{
	static const size_t sizes[] = {0, 1, 4095, 4096, 65537, 300000};
	char *dir = ut_mkdtemp(), *path = sbx_path_join(dir, "f");
	size_t i, j;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(sizes); i++) {
		char *want = malloc(sizes[i] + 1), *data = NULL;
		struct sbx_error err = {{0}};
		size_t len = 0;

		assert_non_null(want);
		for (j = 0; j < sizes[i]; j++)
			want[j] = (char)('a' + j % 23);
		want[sizes[i]] = '\0';
		ut_write_file(path, want);
		assert_int_equal(sbx_read_file(path, 1 << 20, &data, &len, &err), 0);
		assert_int_equal(len, sizes[i]);
		assert_memory_equal(data, want, sizes[i] + 1);
		free(data);
		if (sizes[i] > 1) {
			assert_int_equal(sbx_read_file(path, sizes[i] - 1, &data, &len, &err), -1);
			assert_contains(err.msg, "larger than");
		}
		free(want);
	}
	free(path);
	ut_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_xasprintf_matches_snprintf_for_simple_conversions),
	    cmocka_unit_test(test_xasprintf_other_conversions_fall_back),
	    cmocka_unit_test(test_buf_printf_appends),
	    cmocka_unit_test(test_path_join_adds_one_slash),
	    cmocka_unit_test(test_path_step_up_walks_as_dirname_does),
	    cmocka_unit_test(test_env_get_matches_whole_names_only),
	    cmocka_unit_test(test_env_get_many_finds_what_env_get_finds),
	    cmocka_unit_test(test_table_index_finds_rows_by_name),
	    cmocka_unit_test(test_read_file_reads_every_size_whole),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
