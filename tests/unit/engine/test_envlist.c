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

/* A list value and the entries it splits into, or the message it fails
 * with (and then no entries: expect_split_fails checks the output vector
 * is left empty). */
struct split_case {
	const char *value;
	const char *const *want;
	const char *error;
};

struct split_row {
	const char *name;
	const struct split_case *cases; /* up to a case whose value is NULL */
};

#define SPLIT_CASES(...) ((const struct split_case[]){__VA_ARGS__, {NULL, NULL, NULL}})

static const struct split_row split_rows[] = {
    {"test_split_on_commas", SPLIT_CASES({"rx:/usr", LIST("rx:/usr"), NULL},
					 {"rx:/usr,rw:/tmp", LIST("rx:/usr", "rw:/tmp"), NULL},
					 {"a,b,c", LIST("a", "b", "c"), NULL})},
    {"test_split_on_newlines",
     SPLIT_CASES({"rx:/usr\nrw:/tmp", LIST("rx:/usr", "rw:/tmp"), NULL},
		 {"a\nb,c\nd", LIST("a", "b", "c", "d"), NULL}, {"a\n", LIST("a"), NULL})},
    /* Trimming is the rule parser's job; the list keeps bytes as written. */
    {"test_split_keeps_spaces_inside_entries",
     SPLIT_CASES({" rx : /a b ", LIST(" rx : /a b "), NULL})},
    {"test_split_ignores_empty_entries",
     SPLIT_CASES({"", NONE, NULL}, {",", NONE, NULL}, {",,\n,\n", NONE, NULL},
		 {",a,,b,", LIST("a", "b"), NULL}, {"\n\na\n\n", LIST("a"), NULL},
		 {"a, ,b", LIST("a", "b"), NULL}, {"a,\t,b", LIST("a", "b"), NULL})},
    {"test_split_escaped_comma_stays_in_entry",
     SPLIT_CASES({"rw:/a\\,b", LIST("rw:/a,b"), NULL}, {"\\,", LIST(","), NULL},
		 {"a\\,,b", LIST("a,", "b"), NULL})},
    {"test_split_escaped_backslash_is_one_backslash",
     SPLIT_CASES({"rw:/a\\\\b", LIST("rw:/a\\b"), NULL},
		 {"a\\\\,b", LIST("a\\", "b"), NULL}, /* \\ then a separator */
		 {"\\\\\\\\", LIST("\\\\"), NULL})},
    {"test_split_escaped_n_is_a_newline",
     SPLIT_CASES({"rw:/a\\nb", LIST("rw:/a\nb"), NULL}, {"a\\n,b", LIST("a\n", "b"), NULL},
		 /* An escaped newline alone is not an empty entry. */
		 {"\\n", LIST("\n"), NULL})},
    {"test_split_other_escapes_are_errors",
     SPLIT_CASES({"rw:/a\\tb", NULL, "unknown escape \"\\t\"; only \\, \\\\ and \\n are escapes"},
		 {"a,b\\x", NULL, "unknown escape \"\\x\""},
		 {"\\ ", NULL, "unknown escape \"\\ \""}, {"\\N", NULL, "unknown escape \"\\N\""},
		 {"\\$", NULL, "unknown escape \"\\$\""})},
    {"test_split_error_drops_entries_already_split",
     SPLIT_CASES({"rx:/usr,rw:/tmp,rw:/a\\qb", NULL, "unknown escape \"\\q\""})},
    {"test_split_trailing_backslash_is_an_error",
     SPLIT_CASES({"rw:/a\\", NULL, "the list ends in an unterminated escape"},
		 {"\\", NULL, "unterminated escape"}, {"a,\\\\\\", NULL, "unterminated escape"})},
};

static void test_split_row(void **state)
{
	const struct split_row *row = *state;
	const struct split_case *c;

	for (c = row->cases; c->value; c++) {
		if (c->error)
			expect_split_fails(c->value, c->error);
		else
			expect_split(c->value, c->want);
	}
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
	static const struct CMUnitTest singles[] = {
	    cmocka_unit_test(test_split_appends_to_the_output),
	    cmocka_unit_test(test_escape_writes_only_the_three_escapes),
	    cmocka_unit_test(test_escape_then_split_round_trips),
	};
	struct ut_suite suite = {0};

	UT_SUITE_ADD_ROWS(&suite, test_split_row, NULL, NULL, split_rows);
	UT_SUITE_ADD_TESTS(&suite, singles);
	return ut_suite_run(&suite, "envlist");
}
