/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for rule.c: "RIGHTS:PATH" and "RIGHTS:PORT" parsing and path
 * expansion (~, $VAR, ${VAR}, $$, unset and empty variables, relative
 * paths). Every test passes its own envp; none reads the real environment. */
#include "unit_helpers.h"

#include "engine/landlock_abi.h"
#include "engine/rule.h"

static char *const test_env[] = {
    "HOME=/home/tester", "PROJ=/srv/proj", "EMPTY=",	      "REL=rel/dir",
    "DOLLAR=$HOME",	 "HOMEX=/wrong",   "WITH_SPACE=/a b", NULL,
};

/* Parses an fs rule that must succeed; returns the path (caller frees). */
static char *parse_fs_ok(const char *text, const char *base_dir, const char *want_right)
{
	const struct sbx_right *right = NULL;
	struct sbx_error err = {{0}};
	char *path = NULL;

	if (sbx_rule_parse_fs(text, test_env, base_dir, &right, &path, &err) != 0)
		fail_msg("\"%s\" failed: %s", text, err.msg);
	assert_non_null(right);
	assert_string_equal(right->short_name, want_right);
	assert_non_null(path);
	return path;
}

/* Parses an fs rule that must fail; checks the message and that no path
 * was handed out. */
static void parse_fs_fails(const char *text, const char *want_msg)
{
	const struct sbx_right *right = NULL;
	struct sbx_error err = {{0}};
	char *path = NULL;

	if (sbx_rule_parse_fs(text, test_env, NULL, &right, &path, &err) != -1)
		fail_msg("\"%s\" was accepted as %s", text, path ? path : "(null)");
	assert_null(path);
	assert_contains(err.msg, want_msg);
}

static char *expand_ok(const char *in)
{
	struct sbx_error err = {{0}};
	char *out = NULL;

	if (sbx_expand_path(in, test_env, &out, &err) != 0)
		fail_msg("expanding \"%s\" failed: %s", in, err.msg);
	return out;
}

static void expand_fails(const char *in, const char *want_msg)
{
	struct sbx_error err = {{0}};
	char *out = NULL;

	if (sbx_expand_path(in, test_env, &out, &err) != -1)
		fail_msg("\"%s\" expanded to \"%s\"", in, out ? out : "(null)");
	assert_null(out);
	assert_contains(err.msg, want_msg);
}

#define EXPECT_EXPANDS(in, want)                                                                   \
	do {                                                                                       \
		char *got_ = expand_ok(in);                                                        \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

#define EXPECT_FS(text, base, right, want)                                                         \
	do {                                                                                       \
		char *got_ = parse_fs_ok(text, base, right);                                       \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

/* --- sbx_env_get --- */

static void test_env_get_matches_whole_names_only(void **state)
{
	(void)state;
	assert_string_equal(sbx_env_get(test_env, "HOME"), "/home/tester");
	assert_string_equal(sbx_env_get(test_env, "HOMEX"), "/wrong");
	assert_string_equal(sbx_env_get(test_env, "EMPTY"), "");
	assert_null(sbx_env_get(test_env, "HOM"));
	assert_null(sbx_env_get(test_env, "UNSET"));
	assert_null(sbx_env_get(NULL, "HOME"));
}

/* --- fs rules --- */

static void test_fs_rule_whitespace_around_rights_and_path_is_ignored(void **state)
{
	(void)state;
	EXPECT_FS("rx:/usr", NULL, "rx", "/usr");
	EXPECT_FS("  rx  :  /usr  ", NULL, "rx", "/usr");
	EXPECT_FS("\tRW\t:\t/tmp\t", NULL, "rw", "/tmp");
	EXPECT_FS(" read_write_exec :/opt\n", NULL, "rwx", "/opt");
	/* Whitespace inside the path is kept. */
	EXPECT_FS("r: /a b /c ", NULL, "r", "/a b /c");
}

static void test_fs_rule_every_right_parses(void **state)
{
	(void)state;
	EXPECT_FS("r:/x", NULL, "r", "/x");
	EXPECT_FS("read:/x", NULL, "r", "/x");
	EXPECT_FS("rx:/x", NULL, "rx", "/x");
	EXPECT_FS("w:/x", NULL, "w", "/x");
	EXPECT_FS("write:/x", NULL, "w", "/x");
	EXPECT_FS("rw:/x", NULL, "rw", "/x");
	EXPECT_FS("rwx:/x", NULL, "rwx", "/x");
	EXPECT_FS("READ_EXEC:/x", NULL, "rx", "/x");
}

static void test_fs_rule_colon_inside_path_is_kept(void **state)
{
	(void)state;
	EXPECT_FS("rw:/a:b", NULL, "rw", "/a:b");
	EXPECT_FS("r:/x::y:", NULL, "r", "/x::y:");
}

static void test_fs_rule_empty_path_is_an_error(void **state)
{
	(void)state;
	parse_fs_fails("rx:", "has an empty path");
	parse_fs_fails("rx:   ", "has an empty path");
	parse_fs_fails("rx:\t\n", "has an empty path");
}

static void test_fs_rule_without_colon_is_an_error(void **state)
{
	(void)state;
	parse_fs_fails("rx/usr", "has no colon; write RIGHTS:PATH");
	parse_fs_fails("/usr", "has no colon");
	parse_fs_fails("", "has no colon");
}

static void test_fs_rule_unknown_rights_name_the_choices(void **state)
{
	(void)state;
	parse_fs_fails("rxw:/usr", "unknown filesystem rights \"rxw\" in \"rxw:/usr\"; use r, rx");
	parse_fs_fails("x:/usr", "read_write_exec");
	parse_fs_fails(":/usr", "unknown filesystem rights \"\"");
	parse_fs_fails("+rx:/usr", "unknown filesystem rights \"+rx\"");
	parse_fs_fails("-rx:/usr", "unknown filesystem rights \"-rx\"");
	parse_fs_fails("c:/usr", "unknown filesystem rights");
}

static void test_fs_rule_unset_variable_never_becomes_empty(void **state)
{
	(void)state;
	parse_fs_fails("rw:$UNSET/x", "variable $UNSET in \"$UNSET/x\" is not set");
	parse_fs_fails("rw:${UNSET}/x", "is not set");
	parse_fs_fails("rw:$EMPTY/x", "variable $EMPTY in \"$EMPTY/x\" is empty");
}

static void test_fs_rule_relative_path_is_taken_against_base_dir(void **state)
{
	(void)state;
	EXPECT_FS("rx:sub/dir", "/proj", "rx", "/proj/sub/dir");
	EXPECT_FS("rx:sub", "/proj/", "rx", "/proj/sub");
	EXPECT_FS("rx:sub", "/", "rx", "/sub");
	/* Not canonicalised: "." and ".." are kept as written. */
	EXPECT_FS("rx:./a/../b", "/proj", "rx", "/proj/./a/../b");
	EXPECT_FS("rx:.", "/proj", "rx", "/proj/.");
	/* An absolute path ignores base_dir. */
	EXPECT_FS("rx:/usr", "/proj", "rx", "/usr");
	/* A variable that expands to a relative path is relative too. */
	EXPECT_FS("rx:$REL/x", "/proj", "rx", "/proj/rel/dir/x");
	EXPECT_FS("rx:$PROJ/x", "/elsewhere", "rx", "/srv/proj/x");
	EXPECT_FS("rx:~/x", "/proj", "rx", "/home/tester/x");
}

static void test_fs_rule_relative_path_is_taken_against_cwd(void **state)
{
	char *dir = ut_mkdtemp();
	char *old = getcwd(NULL, 0);
	char *cwd, *want;

	(void)state;
	assert_int_equal(chdir(dir), 0);
	cwd = getcwd(NULL, 0);
	want = ut_join(cwd, "sub/dir");
	EXPECT_FS("rx:sub/dir", NULL, "rx", want);
	free(want);
	want = ut_join(cwd, "rel/dir");
	EXPECT_FS("rx:$REL", NULL, "rx", want);
	free(want);
	assert_int_equal(chdir(old), 0);
	free(cwd);
	free(old);
	ut_rmtree(dir);
}

/* --- path expansion --- */

static void test_expand_tilde_is_home(void **state)
{
	(void)state;
	EXPECT_EXPANDS("~", "/home/tester");
	EXPECT_EXPANDS("~/x", "/home/tester/x");
	EXPECT_EXPANDS("~/", "/home/tester/");
	/* Only a leading ~ expands. */
	EXPECT_EXPANDS("/a/~/b", "/a/~/b");
	EXPECT_EXPANDS("/a~", "/a~");
}

static void test_expand_tilde_user_is_an_error(void **state)
{
	(void)state;
	expand_fails("~user", "\"~user\": only ~ and ~/ are expanded");
	expand_fails("~root/x", "only ~ and ~/ are expanded");
	expand_fails("~~", "only ~ and ~/ are expanded");
}

static void test_expand_tilde_without_home_is_an_error(void **state)
{
	char *const no_home[] = {"PATH=/bin", NULL};
	char *const empty_home[] = {"HOME=", NULL};
	struct sbx_error err = {{0}};
	char *out = NULL;

	(void)state;
	assert_int_equal(sbx_expand_path("~/x", no_home, &out, &err), -1);
	assert_null(out);
	assert_contains(err.msg, "variable $HOME in \"~/x\" is not set");
	assert_int_equal(sbx_expand_path("~", empty_home, &out, &err), -1);
	assert_null(out);
	assert_contains(err.msg, "variable $HOME in \"~\" is empty");
	assert_int_equal(sbx_expand_path("~", NULL, &out, &err), -1);
	assert_null(out);
}

static void test_expand_dollar_var(void **state)
{
	(void)state;
	EXPECT_EXPANDS("$PROJ", "/srv/proj");
	EXPECT_EXPANDS("$PROJ/src", "/srv/proj/src");
	EXPECT_EXPANDS("/x/$PROJ/y", "/x//srv/proj/y");
	EXPECT_EXPANDS("$HOME-$PROJ", "/home/tester-/srv/proj");
	EXPECT_EXPANDS("$HOMEX", "/wrong"); /* the longest name is taken */
	EXPECT_EXPANDS("$WITH_SPACE", "/a b");
}

static void test_expand_braced_var(void **state)
{
	(void)state;
	EXPECT_EXPANDS("${PROJ}", "/srv/proj");
	EXPECT_EXPANDS("${HOME}X", "/home/testerX");
	EXPECT_EXPANDS("${PROJ}/${REL}", "/srv/proj/rel/dir");
}

static void test_expand_double_dollar_is_a_literal_dollar(void **state)
{
	(void)state;
	EXPECT_EXPANDS("$$", "$");
	EXPECT_EXPANDS("/a/$$HOME", "/a/$HOME");
	EXPECT_EXPANDS("$$$$", "$$");
	EXPECT_EXPANDS("$$$PROJ", "$/srv/proj");
}

static void test_expand_values_are_not_expanded_again(void **state)
{
	(void)state;
	EXPECT_EXPANDS("$DOLLAR/x", "$HOME/x");
}

static void test_expand_unset_variable_is_an_error(void **state)
{
	(void)state;
	expand_fails("$UNSET", "variable $UNSET in \"$UNSET\" is not set");
	expand_fails("/a/${UNSET}/b", "variable $UNSET in \"/a/${UNSET}/b\" is not set");
	expand_fails("$PROJ/$UNSET", "$UNSET");
	/* A prefix of a set variable's name is its own, unset, name. */
	expand_fails("$HOM/x", "variable $HOM in");
}

static void test_expand_empty_variable_is_an_error(void **state)
{
	(void)state;
	expand_fails("$EMPTY/x", "variable $EMPTY in \"$EMPTY/x\" is empty");
	expand_fails("${EMPTY}", "is empty");
}

static void test_expand_unterminated_brace_is_an_error(void **state)
{
	(void)state;
	expand_fails("${PROJ", "\"${PROJ\": unterminated ${; close it with }");
	expand_fails("/a/${", "unterminated ${");
}

static void test_expand_bad_braced_name_is_an_error(void **state)
{
	(void)state;
	expand_fails("${}", "bad variable name in ${");
	expand_fails("${1A}", "bad variable name");
	expand_fails("${A-B}", "bad variable name");
	expand_fails("${PROJ:-/x}", "bad variable name");
}

static void test_expand_lone_dollar_is_an_error(void **state)
{
	(void)state;
	expand_fails("$", "\"$\": a lone $; write $$ for a literal $");
	expand_fails("/a/$", "a lone $");
	expand_fails("/a/$/b", "a lone $");
	expand_fails("$1", "a lone $");
	expand_fails("$-", "a lone $");
}

static void test_expand_plain_path_is_unchanged(void **state)
{
	(void)state;
	EXPECT_EXPANDS("/usr/lib", "/usr/lib");
	EXPECT_EXPANDS("rel", "rel");
	EXPECT_EXPANDS("", "");
}

/* --- net rules --- */

static void parse_net_ok(const char *text, const char *want_right, unsigned want_port)
{
	const struct sbx_right *right = NULL;
	struct sbx_error err = {{0}};
	uint16_t port = 1234;

	if (sbx_rule_parse_net(text, &right, &port, &err) != 0)
		fail_msg("\"%s\" failed: %s", text, err.msg);
	assert_non_null(right);
	assert_string_equal(right->short_name, want_right);
	assert_int_equal(port, want_port);
}

static void parse_net_fails(const char *text, const char *want_msg)
{
	const struct sbx_right *right = NULL;
	struct sbx_error err = {{0}};
	uint16_t port = 0;

	if (sbx_rule_parse_net(text, &right, &port, &err) != -1)
		fail_msg("\"%s\" was accepted as port %u", text, port);
	assert_contains(err.msg, want_msg);
}

static void test_net_rule_parses_rights_and_port(void **state)
{
	(void)state;
	parse_net_ok("c:443", "c", 443);
	parse_net_ok("b:8080", "b", 8080);
	parse_net_ok("bc:22", "bc", 22);
	parse_net_ok("cb:22", "bc", 22);
	parse_net_ok("BIND_CONNECT:22", "bc", 22);
	parse_net_ok("connect:00443", "c", 443);
}

static void test_net_rule_whitespace_is_ignored(void **state)
{
	(void)state;
	parse_net_ok("  c  :  443  ", "c", 443);
	parse_net_ok("\tbind\t:\t80\n", "b", 80);
}

static void test_net_rule_port_bounds(void **state)
{
	(void)state;
	parse_net_ok("c:0", "c", 0);
	parse_net_ok("c:65535", "c", 65535);
	parse_net_fails("c:65536", "port \"65536\" in \"c:65536\" is above 65535");
	parse_net_fails("c:99999999999999999999999", "is above 65535");
}

static void test_net_rule_port_not_a_number_is_an_error(void **state)
{
	(void)state;
	parse_net_fails("c:https", "port \"https\" in \"c:https\" is not a number; use 0 to 65535");
	parse_net_fails("c:44 3", "is not a number");
	parse_net_fails("c:0x50", "is not a number");
	parse_net_fails("c:443:80", "is not a number");
	parse_net_fails("c:1e3", "is not a number");
}

static void test_net_rule_leading_sign_is_rejected(void **state)
{
	(void)state;
	parse_net_fails("c:+443", "port \"+443\" in \"c:+443\" is not a number");
	parse_net_fails("c:-1", "port \"-1\" in \"c:-1\" is not a number");
	parse_net_fails("c:-0", "is not a number");
}

static void test_net_rule_missing_port_or_colon_is_an_error(void **state)
{
	(void)state;
	parse_net_fails("c:", "network rule \"c:\" has no port");
	parse_net_fails("c:  ", "has no port");
	parse_net_fails("c443", "network rule \"c443\" has no colon; write RIGHTS:PORT");
	parse_net_fails("", "has no colon");
}

static void test_net_rule_unknown_rights_name_the_choices(void **state)
{
	(void)state;
	parse_net_fails("rx:443", "unknown network rights \"rx\" in \"rx:443\"; use b, c, bc/cb "
				  "(or bind, connect, bind_connect)");
	parse_net_fails(":443", "unknown network rights \"\"");
	parse_net_fails("+c:443", "unknown network rights \"+c\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_env_get_matches_whole_names_only),
	    cmocka_unit_test(test_fs_rule_whitespace_around_rights_and_path_is_ignored),
	    cmocka_unit_test(test_fs_rule_every_right_parses),
	    cmocka_unit_test(test_fs_rule_colon_inside_path_is_kept),
	    cmocka_unit_test(test_fs_rule_empty_path_is_an_error),
	    cmocka_unit_test(test_fs_rule_without_colon_is_an_error),
	    cmocka_unit_test(test_fs_rule_unknown_rights_name_the_choices),
	    cmocka_unit_test(test_fs_rule_unset_variable_never_becomes_empty),
	    cmocka_unit_test(test_fs_rule_relative_path_is_taken_against_base_dir),
	    cmocka_unit_test(test_fs_rule_relative_path_is_taken_against_cwd),
	    cmocka_unit_test(test_expand_tilde_is_home),
	    cmocka_unit_test(test_expand_tilde_user_is_an_error),
	    cmocka_unit_test(test_expand_tilde_without_home_is_an_error),
	    cmocka_unit_test(test_expand_dollar_var),
	    cmocka_unit_test(test_expand_braced_var),
	    cmocka_unit_test(test_expand_double_dollar_is_a_literal_dollar),
	    cmocka_unit_test(test_expand_values_are_not_expanded_again),
	    cmocka_unit_test(test_expand_unset_variable_is_an_error),
	    cmocka_unit_test(test_expand_empty_variable_is_an_error),
	    cmocka_unit_test(test_expand_unterminated_brace_is_an_error),
	    cmocka_unit_test(test_expand_bad_braced_name_is_an_error),
	    cmocka_unit_test(test_expand_lone_dollar_is_an_error),
	    cmocka_unit_test(test_expand_plain_path_is_unchanged),
	    cmocka_unit_test(test_net_rule_parses_rights_and_port),
	    cmocka_unit_test(test_net_rule_whitespace_is_ignored),
	    cmocka_unit_test(test_net_rule_port_bounds),
	    cmocka_unit_test(test_net_rule_port_not_a_number_is_an_error),
	    cmocka_unit_test(test_net_rule_leading_sign_is_rejected),
	    cmocka_unit_test(test_net_rule_missing_port_or_colon_is_an_error),
	    cmocka_unit_test(test_net_rule_unknown_rights_name_the_choices),
	};

	return cmocka_run_group_tests_name("rule", tests, NULL, NULL);
}
