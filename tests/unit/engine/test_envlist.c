/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for envlist.c: the SANDBOXEC_FS / SANDBOXEC_NET list syntax
 * (separators, escapes, empty entries) and escape() → split() round trips. */
#include "unit_helpers.h"

#include "engine/envlist.h"

/* Splits `value` and compares with the NULL-terminated `want`. */
static void expect_split(const char *value, const char *const *want)
{
	struct sbx_strv v = {0};
	struct sbx_error err = {{0}};
	size_t n = 0, i;

	while (want[n])
		n++;
	if (sbx_envlist_split(value, &v, &err) != 0)
		fail_msg("splitting \"%s\" failed: %s", value, err.msg);
	if (v.len != n)
		fail_msg("\"%s\": %zu entries, want %zu", value, v.len, n);
	for (i = 0; i < n; i++)
		assert_string_equal(v.items[i], want[i]);
	sbx_strv_free(&v);
}

static void expect_split_fails(const char *value, const char *want_msg)
{
	struct sbx_strv v = {0};
	struct sbx_error err = {{0}};

	if (sbx_envlist_split(value, &v, &err) != -1)
		fail_msg("\"%s\" was accepted (%zu entries)", value, v.len);
	assert_int_equal(v.len, 0);
	assert_null(v.items);
	assert_contains(err.msg, want_msg);
}

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE	  ((const char *const[]){NULL})

static void test_split_on_commas(void **state)
{
	(void)state;
	expect_split("rx:/usr", LIST("rx:/usr"));
	expect_split("rx:/usr,rw:/tmp", LIST("rx:/usr", "rw:/tmp"));
	expect_split("a,b,c", LIST("a", "b", "c"));
}

static void test_split_on_newlines(void **state)
{
	(void)state;
	expect_split("rx:/usr\nrw:/tmp", LIST("rx:/usr", "rw:/tmp"));
	expect_split("a\nb,c\nd", LIST("a", "b", "c", "d"));
	expect_split("a\n", LIST("a"));
}

static void test_split_keeps_spaces_inside_entries(void **state)
{
	(void)state;
	/* Trimming is the rule parser's job; the list keeps bytes as written. */
	expect_split(" rx : /a b ", LIST(" rx : /a b "));
}

static void test_split_ignores_empty_entries(void **state)
{
	(void)state;
	expect_split("", NONE);
	expect_split(",", NONE);
	expect_split(",,\n,\n", NONE);
	expect_split(",a,,b,", LIST("a", "b"));
	expect_split("\n\na\n\n", LIST("a"));
	expect_split("a, ,b", LIST("a", "b"));
	expect_split("a,\t,b", LIST("a", "b"));
}

static void test_split_escaped_comma_stays_in_entry(void **state)
{
	(void)state;
	expect_split("rw:/a\\,b", LIST("rw:/a,b"));
	expect_split("\\,", LIST(","));
	expect_split("a\\,,b", LIST("a,", "b"));
}

static void test_split_escaped_backslash_is_one_backslash(void **state)
{
	(void)state;
	expect_split("rw:/a\\\\b", LIST("rw:/a\\b"));
	expect_split("a\\\\,b", LIST("a\\", "b")); /* \\ then a separator */
	expect_split("\\\\\\\\", LIST("\\\\"));
}

static void test_split_escaped_n_is_a_newline(void **state)
{
	(void)state;
	expect_split("rw:/a\\nb", LIST("rw:/a\nb"));
	expect_split("a\\n,b", LIST("a\n", "b"));
	/* An escaped newline alone is not an empty entry. */
	expect_split("\\n", LIST("\n"));
}

static void test_split_other_escapes_are_errors(void **state)
{
	(void)state;
	expect_split_fails("rw:/a\\tb",
			   "unknown escape \"\\t\"; only \\, \\\\ and \\n are escapes");
	expect_split_fails("a,b\\x", "unknown escape \"\\x\"");
	expect_split_fails("\\ ", "unknown escape \"\\ \"");
	expect_split_fails("\\N", "unknown escape \"\\N\"");
	expect_split_fails("\\$", "unknown escape \"\\$\"");
}

static void test_split_error_drops_entries_already_split(void **state)
{
	(void)state;
	/* expect_split_fails asserts the output vector is empty. */
	expect_split_fails("rx:/usr,rw:/tmp,rw:/a\\qb", "unknown escape \"\\q\"");
}

static void test_split_trailing_backslash_is_an_error(void **state)
{
	(void)state;
	expect_split_fails("rw:/a\\", "the list ends in an unterminated escape");
	expect_split_fails("\\", "unterminated escape");
	expect_split_fails("a,\\\\\\", "unterminated escape");
}

static void test_split_appends_to_the_output(void **state)
{
	struct sbx_strv v = {0};
	struct sbx_error err = {{0}};

	(void)state;
	sbx_strv_push(&v, "first");
	assert_int_equal(sbx_envlist_split("a,b", &v, &err), 0);
	assert_int_equal(v.len, 3);
	assert_string_equal(v.items[0], "first");
	assert_string_equal(v.items[2], "b");
	sbx_strv_free(&v);
	assert_int_equal(v.len, 0);
	assert_null(v.items);
}

static void test_escape_writes_only_the_three_escapes(void **state)
{
	struct sbx_buf buf = {0};

	(void)state;
	sbx_envlist_escape(&buf, "a,b\\c\nd$e f\t");
	assert_string_equal(buf.data, "a\\,b\\\\c\\nd$e f\t");
	sbx_buf_free(&buf);
}

static void test_escape_then_split_round_trips(void **state)
{
	static const char *const awkward[] = {
	    "rw:/plain",
	    "rw:/comma,in,path",
	    "rw:/back\\slash",
	    "rw:/trailing\\",
	    "rw:/new\nline",
	    "rw:/\\n-looks-like-an-escape",
	    "rw:/\\,-also",
	    ",",
	    "\\",
	    "\\\\,\n,\\",
	    "rw:/$$dollar ${x} ~",
	    "rw:/sp ace/tab\there",
	    "rw:/\xc3\xa9t\xc3\xa9/\xff\x01",
	    "\n",
	};
	struct sbx_buf joined = {0};
	struct sbx_strv v = {0};
	struct sbx_error err = {{0}};
	size_t i;

	(void)state;
	/* Each entry alone. */
	for (i = 0; i < SBX_ARRAY_SIZE(awkward); i++) {
		struct sbx_buf one = {0};

		sbx_envlist_escape(&one, awkward[i]);
		if (sbx_envlist_split(one.data, &v, &err) != 0)
			fail_msg("\"%s\" did not split: %s", one.data, err.msg);
		assert_int_equal(v.len, 1);
		assert_string_equal(v.items[0], awkward[i]);
		sbx_strv_free(&v);
		sbx_buf_free(&one);
	}
	/* All of them in one list, alternating separators. */
	for (i = 0; i < SBX_ARRAY_SIZE(awkward); i++) {
		if (i)
			sbx_buf_putc(&joined, i % 2 ? ',' : '\n');
		sbx_envlist_escape(&joined, awkward[i]);
	}
	assert_int_equal(sbx_envlist_split(joined.data, &v, &err), 0);
	assert_int_equal(v.len, SBX_ARRAY_SIZE(awkward));
	for (i = 0; i < SBX_ARRAY_SIZE(awkward); i++)
		assert_string_equal(v.items[i], awkward[i]);
	sbx_strv_free(&v);
	sbx_buf_free(&joined);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_on_commas),
	    cmocka_unit_test(test_split_on_newlines),
	    cmocka_unit_test(test_split_keeps_spaces_inside_entries),
	    cmocka_unit_test(test_split_ignores_empty_entries),
	    cmocka_unit_test(test_split_escaped_comma_stays_in_entry),
	    cmocka_unit_test(test_split_escaped_backslash_is_one_backslash),
	    cmocka_unit_test(test_split_escaped_n_is_a_newline),
	    cmocka_unit_test(test_split_other_escapes_are_errors),
	    cmocka_unit_test(test_split_error_drops_entries_already_split),
	    cmocka_unit_test(test_split_trailing_backslash_is_an_error),
	    cmocka_unit_test(test_split_appends_to_the_output),
	    cmocka_unit_test(test_escape_writes_only_the_three_escapes),
	    cmocka_unit_test(test_escape_then_split_round_trips),
	};

	return cmocka_run_group_tests_name("envlist", tests, NULL, NULL);
}
