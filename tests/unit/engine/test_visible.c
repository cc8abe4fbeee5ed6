/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for visible.c: what a terminal would hide is escaped (controls,
 * bidi controls, zero-width and invisible code points, bytes that are not
 * UTF-8), ordinary text (accents, CJK, emoji) is kept, and in the
 * line-keeping form the lines shown are the lines YAML reads. */
#include "unit_helpers.h"

#include <string.h>

#include "engine/visible.h"

static char *shown(const char *text, size_t len, unsigned flags, size_t *count)
{
	struct sbx_buf out = {0};

	*count = sbx_buf_put_visible(&out, text, len, flags);
	return sbx_buf_steal(&out);
}

static void check(const char *text, unsigned flags, const char *want, size_t want_count)
{
	size_t count;
	char *got = shown(text, strlen(text), flags, &count);

	assert_string_equal(got, want);
	assert_int_equal(count, want_count);
	free(got);
}

static void test_ordinary_text_is_kept(void **state)
{
	(void)state;
	check("rw:./out", 0, "rw:./out", 0);
	check("rw:/home/zo\xc3\xab/caf\xc3\xa9", 0, "rw:/home/zo\xc3\xab/caf\xc3\xa9", 0);
	check("r:/srv/\xe6\x97\xa5\xe6\x9c\xac", 0, "r:/srv/\xe6\x97\xa5\xe6\x9c\xac", 0);
	check("emoji \xf0\x9f\x98\x80", 0, "emoji \xf0\x9f\x98\x80", 0);
}

static void test_controls_are_escaped(void **state)
{
	(void)state;
	check("- rwx:/\r  - rw:.", 0, "- rwx:/\\r  - rw:.", 1);
	check("a\x1b[2Kb", 0, "a\\x1b[2Kb", 1);
	check("a\b\x7f\x01", 0, "a\\x08\\x7f\\x01", 3);
	check("a\nb\tc", 0, "a\\nb\\tc", 2);
	check("csi \xc2\x9b"
	      "2K nel \xc2\x85",
	      0, "csi \\u009b2K nel \\u0085", 2);
}

static void test_bidi_and_invisible_are_escaped(void **state)
{
	static const struct {
		const char *utf8, *esc;
	} cases[] = {
	    {"\xe2\x80\xaa", "\\u202a"},	 {"\xe2\x80\xab", "\\u202b"},
	    {"\xe2\x80\xac", "\\u202c"},	 {"\xe2\x80\xad", "\\u202d"},
	    {"\xe2\x80\xae", "\\u202e"},	 {"\xe2\x81\xa6", "\\u2066"},
	    {"\xe2\x81\xa7", "\\u2067"},	 {"\xe2\x81\xa8", "\\u2068"},
	    {"\xe2\x81\xa9", "\\u2069"},	 {"\xe2\x80\x8b", "\\u200b"},
	    {"\xe2\x80\x8c", "\\u200c"},	 {"\xe2\x80\x8d", "\\u200d"},
	    {"\xe2\x80\x8e", "\\u200e"},	 {"\xe2\x80\x8f", "\\u200f"},
	    {"\xef\xbb\xbf", "\\ufeff"},	 {"\xc2\xa0", "\\u00a0"},
	    {"\xf3\xa0\x80\x81", "\\U000e0001"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++) {
		char *text = sbx_xasprintf("./out%s/x", cases[i].utf8);
		char *want = sbx_xasprintf("./out%s/x", cases[i].esc);

		check(text, 0, want, 1);
		free(text);
		free(want);
	}
}

static void test_bytes_that_are_not_utf8_are_escaped(void **state)
{
	(void)state;
	check("\xff", 0, "\\xff", 1);
	check("a\xc3", 0, "a\\xc3", 1);				 /* cut short */
	check("\xc0\xaf", 0, "\\xc0\\xaf", 2);			 /* overlong "/" */
	check("\xed\xa0\x80", 0, "\\xed\\xa0\\x80", 3);		 /* a surrogate */
	check("\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80", 4); /* past U+10FFFF */
}

static void test_lines_are_kept_as_yaml_reads_them(void **state)
{
	size_t count;
	char *got;

	(void)state;
	check("fs:\n\t- rw:.\n", SBX_VISIBLE_LINES, "fs:\n\t- rw:.\n", 0);
	/* CRLF: the CR is shown, the line ends once. */
	check("a\r\nb\r\n", SBX_VISIBLE_LINES, "a\\r\nb\\r\n", 2);
	/* A lone CR, NEL, LS or PS ends a YAML line: the review starts one. */
	check("- rwx:/\r  - rw:.", SBX_VISIBLE_LINES, "- rwx:/\\r\n  - rw:.", 1);
	check("a\xc2\x85"
	      "b\xe2\x80\xa8"
	      "c\xe2\x80\xa9"
	      "d",
	      SBX_VISIBLE_LINES, "a\\u0085\nb\\u2028\nc\\u2029\nd", 3);
	/* A NUL inside the data is shown, not the end of it. */
	got = shown("a\0b", 3, SBX_VISIBLE_LINES, &count);
	assert_string_equal(got, "a\\x00b");
	assert_int_equal(count, 1);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ordinary_text_is_kept),
	    cmocka_unit_test(test_controls_are_escaped),
	    cmocka_unit_test(test_bidi_and_invisible_are_escaped),
	    cmocka_unit_test(test_bytes_that_are_not_utf8_are_escaped),
	    cmocka_unit_test(test_lines_are_kept_as_yaml_reads_them),
	};

	return cmocka_run_group_tests_name("visible", tests, NULL, NULL);
}
