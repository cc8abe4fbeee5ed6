/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for linediff.c: the line diff the trust review shows
 * (docs/design.md §3.3) — exact hunks for edits at the start, middle and
 * end, context and the merging of near changes, a missing final newline,
 * hidden characters escaped on their line, and the size bound. */
#include "unit_helpers.h"

#include "engine/linediff.h"

/* The diff of two C strings, as text; *changed gets the return value. */
static char *diff(const char *old, const char *new, long *changed, size_t *hidden)
{
	struct sbx_buf out = {0};
	size_t ignored;

	*changed =
	    sbx_line_diff(old, strlen(old), new, strlen(new), &out, hidden ? hidden : &ignored);
	return sbx_buf_steal(&out);
}

static void expect_diff(const char *old, const char *new, long want_changed, const char *want)
{
	long changed;
	char *got = diff(old, new, &changed, NULL);

	assert_string_equal(got, want);
	assert_int_equal(changed, want_changed);
	free(got);
}

static void test_same_texts_give_no_hunk(void **state)
{
	(void)state;
	expect_diff("a\nb\n", "a\nb\n", 0, "");
	expect_diff("", "", 0, "");
}

static void test_one_line_changed_in_the_middle(void **state)
{
	(void)state;
	expect_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n", 2,
		    "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n");
}

static void test_line_added_at_the_end(void **state)
{
	(void)state;
	expect_diff("fs:\n  - rx:/usr\n", "fs:\n  - rx:/usr\n  - rwx:/\n", 1,
		    "@@ -1,2 +1,3 @@\n fs:\n   - rx:/usr\n+  - rwx:/\n");
}

static void test_line_removed_at_the_start(void **state)
{
	(void)state;
	expect_diff("abi: 4\nfs:\n  - rx:/usr\n", "fs:\n  - rx:/usr\n", 1,
		    "@@ -1,3 +1,2 @@\n-abi: 4\n fs:\n   - rx:/usr\n");
}

static void test_from_and_to_an_empty_text(void **state)
{
	(void)state;
	expect_diff("", "a\nb\n", 2, "@@ -0,0 +1,2 @@\n+a\n+b\n");
	expect_diff("a\n", "", 1, "@@ -1,1 +0,0 @@\n-a\n");
}

/* Changes more than twice the context apart are two hunks; closer, one. */
static void test_far_changes_are_separate_hunks(void **state)
{
	(void)state;
	expect_diff("a\n1\n2\n3\n4\n5\n6\n7\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\nB\n", 4,
		    "@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n"
		    "@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n");
	expect_diff("a\n1\n2\n3\n4\n5\n6\nb\n", "A\n1\n2\n3\n4\n5\n6\nB\n", 4,
		    "@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n");
}

/* A common line between changes is kept, not shown removed and added. */
static void test_common_lines_are_kept(void **state)
{
	(void)state;
	expect_diff("x\nkeep\ny\n", "X\nkeep\nY\n", 4, "@@ -1,3 +1,3 @@\n-x\n+X\n keep\n-y\n+Y\n");
}

/* "a" and "a\n" differ, and the diff says why the lines look alike. */
static void test_missing_final_newline_is_marked(void **state)
{
	(void)state;
	expect_diff("a\n", "a", 2, "@@ -1,1 +1,1 @@\n-a\n+a\n\\ no newline at end of file\n");
}

/* A CR or a bidi control stays on its diff line, escaped and counted: it
 * cannot hide the +/- mark of the line or start a line of its own. */
static void test_hidden_characters_are_escaped_and_counted(void **state)
{
	long changed;
	size_t hidden;
	char *got;

	(void)state;
	got = diff("fs:\n  - rw:./out\n", "fs:\n  - rwx:/\r  - rw:./\xe2\x80\xaeout\n", &changed,
		   &hidden);
	assert_int_equal(changed, 2);
	assert_string_equal(got, "@@ -1,2 +1,2 @@\n fs:\n-  - rw:./out\n"
				 "+  - rwx:/\\r  - rw:./\\u202eout\n");
	assert_int_equal(hidden, 2);
	free(got);
}

/* A rewrite larger than the bound is refused with nothing appended; the
 * same size with a small change in it is diffed (head and tail trimmed). */
static void test_size_bound(void **state)
{
	struct sbx_buf a = {0}, b = {0}, out = {0};
	size_t hidden, i;

	(void)state;
	for (i = 0; i < 3000; i++) {
		sbx_buf_printf(&a, "old %zu\n", i);
		sbx_buf_printf(&b, "new %zu\n", i);
	}
	assert_int_equal(sbx_line_diff(a.data, a.len, b.data, b.len, &out, &hidden), -1);
	assert_int_equal(out.len, 0);
	sbx_buf_free(&b);
	for (i = 0; i < 3000; i++)
		sbx_buf_printf(&b, i == 1500 ? "changed %zu\n" : "old %zu\n", i);
	assert_int_equal(sbx_line_diff(a.data, a.len, b.data, b.len, &out, &hidden), 2);
	assert_contains(out.data, "-old 1500\n+changed 1500\n");
	sbx_buf_free(&a);
	sbx_buf_free(&b);
	sbx_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_texts_give_no_hunk),
	    cmocka_unit_test(test_one_line_changed_in_the_middle),
	    cmocka_unit_test(test_line_added_at_the_end),
	    cmocka_unit_test(test_line_removed_at_the_start),
	    cmocka_unit_test(test_from_and_to_an_empty_text),
	    cmocka_unit_test(test_far_changes_are_separate_hunks),
	    cmocka_unit_test(test_common_lines_are_kept),
	    cmocka_unit_test(test_missing_final_newline_is_marked),
	    cmocka_unit_test(test_hidden_characters_are_escaped_and_counted),
	    cmocka_unit_test(test_size_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
