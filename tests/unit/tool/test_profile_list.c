/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for profile_list.c's summary: which comment text of a profile
 * --list-profiles shows (the listing itself runs in t_list_profiles.sh). */
#include "unit_helpers.h"

#include "profile_list.h"

static void expect_summary(const char *yaml, const char *name, const char *want)
{
	char *got = sbx_profile_summary(yaml, strlen(yaml), name);

	assert_string_equal(got, want);
	free(got);
}

static void test_the_first_sentence_after_the_spdx_line(void **state)
{
	(void)state;
	expect_summary("# SPDX-License-Identifier: Apache-2.0\n"
		       "# languages/python: run Python scripts on the project in the current\n"
		       "# directory. No network, no home.\n"
		       "extends: [base/shell]\n",
		       "languages/python",
		       "run Python scripts on the project in the current directory.");
}

static void test_the_name_is_dropped_only_when_it_leads(void **state)
{
	(void)state;
	expect_summary("# uses tools/git: fine.\n", "tools/git", "uses tools/git: fine.");
	expect_summary("# tools/gitx: other.\n", "tools/git", "tools/gitx: other.");
}

static void test_an_empty_comment_line_ends_the_paragraph(void **state)
{
	(void)state;
	expect_summary("#   no period here\n#\n# Second paragraph.\nfs: []\n", "x",
		       "no period here");
}

static void test_no_comment_before_the_first_key_is_empty(void **state)
{
	(void)state;
	expect_summary("fs:\n  # rx:/usr is in here\n  - rx:/usr\n", "x", "");
	expect_summary("", "x", "");
	expect_summary("# SPDX-License-Identifier: Apache-2.0\n\nfs: []\n", "x", "");
}

static void test_crlf_and_blank_lines_before_the_comment(void **state)
{
	(void)state;
	expect_summary("\r\n\n  # Windows line ends.\r\n", "x", "Windows line ends.");
}

static void test_a_period_inside_a_word_does_not_end_the_sentence(void **state)
{
	(void)state;
	expect_summary("# reads ~/.npmrc and the v1.2 cache. More.\n", "x",
		       "reads ~/.npmrc and the v1.2 cache.");
}

static void test_a_long_comment_is_cut(void **state)
{
	char yaml[1200];
	char *got;
	size_t i;

	(void)state;
	strcpy(yaml, "#");
	for (i = 0; i < 100; i++)
		strcat(yaml, " word word");
	strcat(yaml, "\n");
	got = sbx_profile_summary(yaml, strlen(yaml), "x");
	assert_true(strlen(got) <= 200);
	assert_true(strlen(got) > 100);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_first_sentence_after_the_spdx_line),
	    cmocka_unit_test(test_the_name_is_dropped_only_when_it_leads),
	    cmocka_unit_test(test_an_empty_comment_line_ends_the_paragraph),
	    cmocka_unit_test(test_no_comment_before_the_first_key_is_empty),
	    cmocka_unit_test(test_crlf_and_blank_lines_before_the_comment),
	    cmocka_unit_test(test_a_period_inside_a_word_does_not_end_the_sentence),
	    cmocka_unit_test(test_a_long_comment_is_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
