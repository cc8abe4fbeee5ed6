/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for rule.c: "RIGHTS:PATH" and "RIGHTS:PORT" parsing and path
 * expansion (~, $VAR, ${VAR}, $$, unset and empty variables, relative
 * paths). Every test passes its own envp; none reads the real environment. */
#include "unit_helpers.h"

#include "engine/landlock_abi.h"
#include "engine/rule.h"

static char *const test_env[] = {
    "HOME=/home/tester",
    "PROJ=/srv/proj",
    "EMPTY=",
    "REL=rel/dir",
    "DOLLAR=$HOME",
    "HOMEX=/wrong",
    "WITH_SPACE=/a b",
    /* Values a ${VAR:-default} may follow or must refuse. */
    "TOOL=/srv/tool",
    "TOOL_REL=tool",
    "TOOL_UP=/srv/tool/..",
    "TOOL_ROOT=/",
    "TOOL_SLASHES=//",
    "TOOL_HOME=/home/tester",
    "TOOL_HOME_SLASH=/home/tester/",
    "TOOL_HOME_DOT=/home/tester/.",
    "TOOL_ABOVE=/home",
    "TOOL_BRACE=/srv/${PROJ}",
    NULL,
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

/* --- fs rules: one table --- */

/* A rule and what it parses to (the path, the right), or the message it
 * fails with. A case leaves out the fields it does not need. */
struct fs_case {
	const char *text, *want_path, *want_right, *base_dir, *error;
};

struct fs_row {
	const char *name;
	const struct fs_case *cases; /* up to a case whose text is NULL */
};

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define FS_CASES(...) ((const struct fs_case[]){__VA_ARGS__, {NULL}})

static const struct fs_row fs_rows[] = {
    {"test_fs_rule_whitespace_around_rights_and_path_is_ignored",
     FS_CASES({"rx:/usr", "/usr", "rx"}, {"  rx  :  /usr  ", "/usr", "rx"},
	      {"\tRW\t:\t/tmp\t", "/tmp", "rw"}, {" read_write_exec :/opt\n", "/opt", "rwx"},
	      /* Whitespace inside the path is kept. */
	      {"r: /a b /c ", "/a b /c", "r"})},
    {"test_fs_rule_every_right_parses",
     FS_CASES({"r:/x", "/x", "r"}, {"read:/x", "/x", "r"}, {"rx:/x", "/x", "rx"},
	      {"w:/x", "/x", "w"}, {"write:/x", "/x", "w"}, {"rw:/x", "/x", "rw"},
	      {"rwx:/x", "/x", "rwx"}, {"READ_EXEC:/x", "/x", "rx"})},
    {"test_fs_rule_colon_inside_path_is_kept",
     FS_CASES({"rw:/a:b", "/a:b", "rw"}, {"r:/x::y:", "/x::y:", "r"})},
    {"test_fs_rule_empty_path_is_an_error",
     FS_CASES({"rx:", .error = "has an empty path"}, {"rx:   ", .error = "has an empty path"},
	      {"rx:\t\n", .error = "has an empty path"})},
    {"test_fs_rule_without_colon_is_an_error",
     FS_CASES({"rx/usr", .error = "has no colon; write RIGHTS:PATH"},
	      {"/usr", .error = "has no colon"}, {"", .error = "has no colon"})},
    {"test_fs_rule_unknown_rights_name_the_choices",
     FS_CASES({"rxw:/usr", .error = "unknown filesystem rights \"rxw\" in \"rxw:/usr\"; use r, rx"},
	      {"x:/usr", .error = "read_write_exec"},
	      {":/usr", .error = "unknown filesystem rights \"\""},
	      {"+rx:/usr", .error = "unknown filesystem rights \"+rx\""},
	      {"-rx:/usr", .error = "unknown filesystem rights \"-rx\""},
	      {"c:/usr", .error = "unknown filesystem rights"})},
    {"test_fs_rule_unset_variable_never_becomes_empty",
     FS_CASES({"rw:$UNSET/x", .error = "variable $UNSET in \"$UNSET/x\" is not set"},
	      {"rw:${UNSET}/x", .error = "is not set"},
	      {"rw:$EMPTY/x", .error = "variable $EMPTY in \"$EMPTY/x\" is empty"})},
    {"test_fs_rule_relative_path_is_taken_against_base_dir",
     FS_CASES({"rx:sub/dir", "/proj/sub/dir", "rx", "/proj"},
	      {"rx:sub", "/proj/sub", "rx", "/proj/"}, {"rx:sub", "/sub", "rx", "/"},
	      /* Only the path is joined, not the blanks around it. */
	      {"rx: sub/d \t", "/proj/sub/d", "rx", "/proj"},
	      /* Not canonicalised: "." and ".." are kept as written. */
	      {"rx:./a/../b", "/proj/./a/../b", "rx", "/proj"}, {"rx:.", "/proj/.", "rx", "/proj"},
	      /* An absolute path ignores base_dir. */
	      {"rx:/usr", "/usr", "rx", "/proj"},
	      /* A variable that expands to a relative path is relative too. */
	      {"rx:$REL/x", "/proj/rel/dir/x", "rx", "/proj"},
	      {"rx:$PROJ/x", "/srv/proj/x", "rx", "/elsewhere"},
	      {"rx:~/x", "/home/tester/x", "rx", "/proj"})},
};

static void expect_fs(const struct fs_case *c)
{
	char *path;

	if (c->error) {
		parse_fs_fails(c->text, c->error);
		return;
	}
	path = parse_fs_ok(c->text, c->base_dir, c->want_right);
	if (strcmp(path, c->want_path) != 0)
		fail_msg("\"%s\" gave the path \"%s\", want \"%s\"", c->text, path, c->want_path);
	free(path);
}

static void test_fs_row(void **state)
{
	const struct fs_row *row = *state;
	const struct fs_case *c;

	for (c = row->cases; c->text; c++)
		expect_fs(c);
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
	expect_fs(&(struct fs_case){"rx:sub/dir", want, "rx"});
	free(want);
	want = ut_join(cwd, "rel/dir");
	expect_fs(&(struct fs_case){"rx:$REL", want, "rx"});
	free(want);
	assert_int_equal(chdir(old), 0);
	free(cwd);
	free(old);
	ut_rmtree(dir);
}

/* --- path expansion: one table --- */

/* A path and what it expands to with test_env, or the message it fails
 * with. */
struct expand_case {
	const char *in, *want, *error;
};

struct expand_row {
	const char *name;
	const struct expand_case *cases; /* up to a case whose in is NULL */
};

#define EXPAND_CASES(...) ((const struct expand_case[]){__VA_ARGS__, {NULL}})

static const struct expand_row expand_rows[] = {
    {"test_expand_tilde_is_home",
     EXPAND_CASES({"~", "/home/tester"}, {"~/x", "/home/tester/x"}, {"~/", "/home/tester/"},
		  /* Only a leading ~ expands. */
		  {"/a/~/b", "/a/~/b"}, {"/a~", "/a~"})},
    {"test_expand_tilde_user_is_an_error",
     EXPAND_CASES({"~user", .error = "\"~user\": only ~ and ~/ are expanded"},
		  {"~root/x", .error = "only ~ and ~/ are expanded"},
		  {"~~", .error = "only ~ and ~/ are expanded"})},
    {"test_expand_dollar_var",
     EXPAND_CASES({"$PROJ", "/srv/proj"}, {"$PROJ/src", "/srv/proj/src"},
		  {"/x/$PROJ/y", "/x//srv/proj/y"}, {"$HOME-$PROJ", "/home/tester-/srv/proj"},
		  {"$HOMEX", "/wrong"}, /* the longest name is taken */
		  {"$WITH_SPACE", "/a b"})},
    {"test_expand_braced_var", EXPAND_CASES({"${PROJ}", "/srv/proj"}, {"${HOME}X", "/home/testerX"},
					    {"${PROJ}/${REL}", "/srv/proj/rel/dir"})},
    {"test_expand_double_dollar_is_a_literal_dollar",
     EXPAND_CASES({"$$", "$"}, {"/a/$$HOME", "/a/$HOME"}, {"$$$$", "$$"},
		  {"$$$PROJ", "$/srv/proj"})},
    {"test_expand_values_are_not_expanded_again", EXPAND_CASES({"$DOLLAR/x", "$HOME/x"})},
    {"test_expand_unset_variable_is_an_error",
     EXPAND_CASES({"$UNSET", .error = "variable $UNSET in \"$UNSET\" is not set"},
		  {"/a/${UNSET}/b", .error = "variable $UNSET in \"/a/${UNSET}/b\" is not set"},
		  {"$PROJ/$UNSET", .error = "$UNSET"},
		  /* A prefix of a set variable's name is its own, unset, name. */
		  {"$HOM/x", .error = "variable $HOM in"})},
    {"test_expand_empty_variable_is_an_error",
     EXPAND_CASES({"$EMPTY/x", .error = "variable $EMPTY in \"$EMPTY/x\" is empty"},
		  {"${EMPTY}", .error = "is empty"})},
    {"test_expand_unterminated_brace_is_an_error",
     EXPAND_CASES({"${PROJ", .error = "\"${PROJ\": unterminated ${; close it with }"},
		  {"/a/${", .error = "unterminated ${"})},
    {"test_expand_bad_braced_name_is_an_error",
     EXPAND_CASES({"${}", .error = "bad variable name in ${"},
		  {"${1A}", .error = "bad variable name"}, {"${A-B}", .error = "bad variable name"},
		  /* Only :- of the shell's operators. */
		  {"${PROJ:=/x}", .error = "write ${NAME} or ${NAME:-default}"},
		  {"${PROJ:+/x}", .error = "write ${NAME} or ${NAME:-default}"},
		  {"${PROJ:?}", .error = "write ${NAME} or ${NAME:-default}"},
		  {"${PROJ-/x}", .error = "write ${NAME} or ${NAME:-default}"},
		  {"${#PROJ}", .error = "bad variable name"})},
    {"test_expand_default_is_taken_when_unset_or_empty",
     EXPAND_CASES({"${UNSET:-/srv/d}", "/srv/d"}, {"${EMPTY:-/srv/d}/x", "/srv/d/x"},
		  {"${UNSET:-~/.tool}", "/home/tester/.tool"}, {"${UNSET:-~}/x", "/home/tester/x"},
		  {"${UNSET:-$HOME/.tool}", "/home/tester/.tool"},
		  {"${UNSET:-${HOME}/.tool}", .error = "${ inside a default"},
		  {"${UNSET:-$PROJ}/$$x", "/srv/proj/$x"}, {"${UNSET:-/a$$b}", "/a$b"},
		  {"~/${UNSET:-.tool}/x", "/home/tester/.tool/x"})},
    {"test_expand_default_variable_is_followed_when_set",
     EXPAND_CASES({"${TOOL:-~/.tool}", "/srv/tool"}, {"${TOOL:-~/.tool}/state", "/srv/tool/state"},
		  {"${TOOL_BRACE:-/x}", "/srv/${PROJ}"}, /* a value is not expanded again */
		  {"${TOOL_ABOVE:-~/.local/share}/tool", "/home/tool"},
		  {"${TOOL_HOME:-~/.config}/tool", "/home/tester/tool"})},
    {"test_expand_default_errors",
     EXPAND_CASES({"${UNSET:-}", .error = "${UNSET:-} has an empty default"},
		  {"${UNSET:-/a", .error = "unterminated ${"},
		  {"${UNSET:-$NOPE/x}", .error = "variable $NOPE in"},
		  {"${UNSET:-$}", .error = "a lone $"},
		  {"${UNSET:-~user}", .error = "only ~ and ~/ are expanded"},
		  {"/a/${UNSET:-~/x}", .error = "~ in a default expands only where"},
		  {"${UNSET:-${UNSET:-/a}}", .error = "${ inside a default"},
		  {"${UNSET:-/a${}", .error = "${ inside a default"})},
    {"test_expand_followed_value_must_stay_in_its_directory",
     EXPAND_CASES({"${TOOL_REL:-~/.tool}", .error = "$TOOL_REL=tool is not an absolute path"},
		  {"${TOOL_UP:-~/.tool}", .error = "$TOOL_UP=/srv/tool/.. has a \"..\" component"},
		  {"${TOOL_ROOT:-~/.tool}", .error = "$TOOL_ROOT=/ makes the rule cover /"},
		  {"${TOOL_SLASHES:-~/.tool}", .error = "makes the rule cover /"},
		  {"${TOOL_HOME:-~/.tool}",
		   .error = "$TOOL_HOME=/home/tester makes the rule cover the home directory"},
		  {"${TOOL_HOME_SLASH:-~/.tool}", .error = "cover the home directory"},
		  {"${TOOL_HOME_DOT:-~/.tool}", .error = "cover the home directory"},
		  {"${TOOL_ABOVE:-~/.tool}", .error = "cover the home directory"},
		  {"${TOOL_HOME:-~/.tool}/.", .error = "cover the home directory"},
		  /* A plain $VAR is the user's own path, as before. */
		  {"$TOOL_HOME", "/home/tester"}, {"${TOOL_ROOT}", "/"})},
    {"test_expand_lone_dollar_is_an_error",
     EXPAND_CASES({"$", .error = "\"$\": a lone $; write $$ for a literal $"},
		  {"/a/$", .error = "a lone $"}, {"/a/$/b", .error = "a lone $"},
		  {"$1", .error = "a lone $"}, {"$-", .error = "a lone $"})},
    {"test_expand_plain_path_is_unchanged",
     EXPAND_CASES({"/usr/lib", "/usr/lib"}, {"rel", "rel"}, {"", ""})},
};

static void test_expand_row(void **state)
{
	const struct expand_row *row = *state;
	const struct expand_case *c;

	for (c = row->cases; c->in; c++) {
		char *got;

		if (c->error) {
			expand_fails(c->in, c->error);
			continue;
		}
		got = expand_ok(c->in);
		if (strcmp(got, c->want) != 0)
			fail_msg("\"%s\" expanded to \"%s\", want \"%s\"", c->in, got, c->want);
		free(got);
	}
}

/* --- path expansion without a usable HOME --- */

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

/* A rule and its right and port, or the message it fails with. */
struct net_case {
	const char *text, *want_right;
	unsigned want_port;
	const char *error;
};

struct net_row {
	const char *name;
	const struct net_case *cases; /* up to a case whose text is NULL */
};

#define NET_CASES(...) ((const struct net_case[]){__VA_ARGS__, {NULL}})

static const struct net_row net_rows[] = {
    {"test_net_rule_parses_rights_and_port",
     NET_CASES({"c:443", "c", 443}, {"b:8080", "b", 8080}, {"bc:22", "bc", 22}, {"cb:22", "bc", 22},
	       {"BIND_CONNECT:22", "bc", 22}, {"connect:00443", "c", 443}, {"uc:53", "uc", 53},
	       {"UDP_BIND:5353", "ub", 5353}, {"ucb:0", "ubc", 0})},
    {"test_net_rule_whitespace_is_ignored",
     NET_CASES({"  c  :  443  ", "c", 443}, {"\tbind\t:\t80\n", "b", 80})},
    {"test_net_rule_port_bounds",
     NET_CASES({"c:0", "c", 0}, {"c:65535", "c", 65535},
	       {"c:65536", .error = "port \"65536\" in \"c:65536\" is above 65535"},
	       {"c:99999999999999999999999", .error = "is above 65535"})},
    {"test_net_rule_port_not_a_number_is_an_error",
     NET_CASES(
	 {"c:https", .error = "port \"https\" in \"c:https\" is not a number; use 0 to 65535"},
	 {"c:44 3", .error = "is not a number"}, {"c:0x50", .error = "is not a number"},
	 {"c:443:80", .error = "is not a number"}, {"c:1e3", .error = "is not a number"})},
    {"test_net_rule_leading_sign_is_rejected",
     NET_CASES({"c:+443", .error = "port \"+443\" in \"c:+443\" is not a number"},
	       {"c:-1", .error = "port \"-1\" in \"c:-1\" is not a number"},
	       {"c:-0", .error = "is not a number"})},
    {"test_net_rule_missing_port_or_colon_is_an_error",
     NET_CASES({"c:", .error = "network rule \"c:\" has no port"}, {"c:  ", .error = "has no port"},
	       {"c443", .error = "network rule \"c443\" has no colon; write RIGHTS:PORT"},
	       {"", .error = "has no colon"})},
    {"test_net_rule_unknown_rights_name_the_choices",
     NET_CASES({"rx:443", .error = "unknown network rights \"rx\" in \"rx:443\"; use b, c, bc/cb, "
				   "ub, uc, ubc/ucb (or bind, connect, bind_connect, udp_bind, "
				   "udp_connect, udp_bind_connect)"},
	       {"u:53", .error = "unknown network rights \"u\" in \"u:53\""},
	       {":443", .error = "unknown network rights \"\""},
	       {"+c:443", .error = "unknown network rights \"+c\""})},
};

static void test_net_row(void **state)
{
	const struct net_row *row = *state;
	const struct net_case *c;

	for (c = row->cases; c->text; c++) {
		if (c->error)
			parse_net_fails(c->text, c->error);
		else
			parse_net_ok(c->text, c->want_right, c->want_port);
	}
}

int main(void)
{
	static const struct CMUnitTest singles[] = {
	    cmocka_unit_test(test_env_get_matches_whole_names_only),
	    cmocka_unit_test(test_fs_rule_relative_path_is_taken_against_cwd),
	    cmocka_unit_test(test_expand_tilde_without_home_is_an_error),
	};
	struct ut_suite suite = {0};

	UT_SUITE_ADD_TESTS(&suite, singles);
	UT_SUITE_ADD_ROWS(&suite, test_fs_row, NULL, NULL, fs_rows);
	UT_SUITE_ADD_ROWS(&suite, test_expand_row, NULL, NULL, expand_rows);
	UT_SUITE_ADD_ROWS(&suite, test_net_row, NULL, NULL, net_rows);
	return ut_suite_run(&suite, "rule");
}
