/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for options.c: how the command line becomes the flags layer
 * and the CLI fields (long, short and --opt=value forms, BOOL options,
 * repeated rules), where parsing stops, and every usage error's exact text. */
#include "unit_helpers.h"

#include "options.h"

/* A NULL-terminated argv whose argv[0] is "sandboxec". */
#define ARGV(...) ((char *[]){"sandboxec", __VA_ARGS__, NULL})
#define ARGV0	  ((char *[]){"sandboxec", NULL})

/* What a parse left behind, stderr included. */
struct parsed {
	struct sbx_cli cli;
	const struct sbx_mode_def *mode;
	enum sbx_parse_status status;
	char *err;
};

/* Redirects fd into a temporary file until capture_end(). */
struct capture {
	int fd, saved;
	FILE *tmp;
};

static void capture_start(struct capture *c, int fd)
{
	fflush(NULL);
	c->fd = fd;
	c->tmp = tmpfile();
	assert_non_null(c->tmp);
	c->saved = dup(fd);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->tmp), fd) >= 0);
}

/* What was written, NUL-terminated; the caller frees it. */
static char *capture_end(struct capture *c)
{
	long len;
	char *text;

	fflush(NULL);
	assert_true(dup2(c->saved, c->fd) >= 0);
	close(c->saved);
	len = ftell(c->tmp);
	assert_true(len >= 0);
	text = calloc(1, (size_t)len + 1);
	assert_non_null(text);
	rewind(c->tmp);
	assert_int_equal(fread(text, 1, (size_t)len, c->tmp), (size_t)len);
	fclose(c->tmp);
	return text;
}

static void parse(struct parsed *p, char **argv)
{
	struct capture err;
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(p, 0, sizeof(*p));
	sbx_layer_init(&p->cli.flags, "flags");
	capture_start(&err, STDERR_FILENO);
	p->status = sbx_options_parse(&p->cli, argc, argv, &p->mode);
	p->err = capture_end(&err);
}

static void parsed_free(struct parsed *p)
{
	sbx_layer_free(&p->cli.flags);
	free(p->err);
}

/* Parses argv and expects success with nothing printed. */
static void parse_ok(struct parsed *p, char **argv)
{
	parse(p, argv);
	assert_string_equal(p->err, "");
	assert_int_equal(p->status, SBX_PARSE_OK);
}

static void expect_rules(const struct sbx_rule_list *list, const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(list->len, n);
	for (i = 0; i < n; i++)
		assert_string_equal(list->items[i].text, want[i]);
}

/* --- rules: every spelling lands in one list, in order --- */

static void test_fs_rule_in_each_spelling(void **state)
{
	char **argvs[] = {
	    ARGV("--fs", "rx:/usr"),
	    ARGV("--fs=rx:/usr"),
	    ARGV("-f", "rx:/usr"),
	    ARGV("-frx:/usr"),
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(argvs); i++) {
		struct parsed p;

		parse_ok(&p, argvs[i]);
		assert_true(p.cli.flags.set[SBX_SET_FS]);
		expect_rules(&p.cli.flags.fs, (const char *[]){"rx:/usr"}, 1);
		assert_string_equal(p.cli.flags.fs.items[0].origin, "--fs");
		assert_null(p.cli.flags.fs.items[0].base_dir);
		assert_false(p.cli.flags.set[SBX_SET_NET]);
		assert_int_equal(p.cli.argc, 0);
		parsed_free(&p);
	}
}

static void test_fs_and_net_repeat_and_keep_their_order(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(
	    &p, ARGV("--fs", "rx:/usr", "-n", "c:443", "-frw:/tmp", "--net=b:8080", "--fs=r:/etc"));
	expect_rules(&p.cli.flags.fs, (const char *[]){"rx:/usr", "rw:/tmp", "r:/etc"}, 3);
	expect_rules(&p.cli.flags.net, (const char *[]){"c:443", "b:8080"}, 2);
	assert_string_equal(p.cli.flags.net.items[1].origin, "--net");
	parsed_free(&p);
}

/* "--fs RULE" is taken without getopt_long past the first argument; it
 * must read as getopt_long reads it: the next argument is the rule even
 * when it looks like an option or is "--", in order with the other
 * spellings, and "--fs" last still needs its argument. */
static void test_fs_flags_in_a_long_run_read_as_getopt_reads_them(void **state)
{
	struct parsed p;

	(void)state;
	assert_int_equal(sbx_options[SBX_OPT_FS].id, SBX_OPT_FS);
	parse_ok(&p, ARGV("--fs", "a", "-fb", "--fs", "c", "--net", "c:1", "--fs", "--fs", "--fs",
			  "--", "--fs", "-x", "--", "--fs", "x"));
	expect_rules(&p.cli.flags.fs, (const char *[]){"a", "b", "c", "--fs", "--", "-x"}, 6);
	assert_string_equal(p.cli.flags.fs.items[3].origin, "--fs");
	expect_rules(&p.cli.flags.net, (const char *[]){"c:1"}, 1);
	assert_int_equal(p.cli.argc, 2);
	assert_string_equal(p.cli.argv[0], "--fs");
	parsed_free(&p);
	/* A value that is a word, not a rule: taken as the rule, not as
	 * a command. */
	parse_ok(&p, ARGV("--best-effort", "--fs", "true", "ls"));
	expect_rules(&p.cli.flags.fs, (const char *[]){"true"}, 1);
	assert_int_equal(p.cli.argc, 1);
	assert_string_equal(p.cli.argv[0], "ls");
	parsed_free(&p);
	/* The value of another option is not an option. */
	parse_ok(&p, ARGV("--fs", "a", "--config", "--fs", "b"));
	expect_rules(&p.cli.flags.fs, (const char *[]){"a"}, 1);
	assert_string_equal(p.cli.flags.config_file, "--fs");
	assert_int_equal(p.cli.argc, 1);
	assert_string_equal(p.cli.argv[0], "b");
	parsed_free(&p);
	parse(&p, ARGV("--fs", "a", "--fs", "b", "--fs"));
	assert_int_equal(p.status, SBX_PARSE_ERROR);
	assert_string_equal(p.err,
			    "sandboxec: option --fs needs an argument; see sandboxec --help\n");
	parsed_free(&p);
	/* After --fs, the bool-after-a-switch check sees the rule's flag. */
	parse(&p, ARGV("--fs", "a", "--restrict-unix", "--fs", "b", "--log-denials", "no"));
	assert_int_equal(p.status, SBX_PARSE_ERROR);
	assert_contains(p.err, "--log-denials takes its value after");
	parsed_free(&p);
}

static void test_rule_text_is_not_checked_while_parsing(void **state)
{
	struct parsed p;

	/* Rules are parsed when the policy is resolved, with the other layers. */
	(void)state;
	parse_ok(&p, ARGV("--fs", "nonsense", "--net", "x:y"));
	expect_rules(&p.cli.flags.fs, (const char *[]){"nonsense"}, 1);
	expect_rules(&p.cli.flags.net, (const char *[]){"x:y"}, 1);
	parsed_free(&p);
}

/* --- scalars --- */

static void test_bool_options_with_and_without_a_value(void **state)
{
	static const struct {
		const char *arg;
		enum sbx_setting id;
		int want;
	} cases[] = {
	    {"--best-effort", SBX_SET_BEST_EFFORT, 1},
	    {"--best-effort=false", SBX_SET_BEST_EFFORT, 0},
	    {"--best-effort=0", SBX_SET_BEST_EFFORT, 0},
	    {"--best-effort=no", SBX_SET_BEST_EFFORT, 0},
	    {"--best-effort=OFF", SBX_SET_BEST_EFFORT, 0},
	    {"--best-effort=true", SBX_SET_BEST_EFFORT, 1},
	    {"--best-effort=Yes", SBX_SET_BEST_EFFORT, 1},
	    {"--best-effort=on", SBX_SET_BEST_EFFORT, 1},
	    {"--ignore-if-missing", SBX_SET_IGNORE_IF_MISSING, 1},
	    {"--ignore-if-missing=off", SBX_SET_IGNORE_IF_MISSING, 0},
	    {"--restrict-scoped", SBX_SET_RESTRICT_SCOPED, 1},
	    {"--restrict-scoped=false", SBX_SET_RESTRICT_SCOPED, 0},
	    {"--unsafe-host-runtime", SBX_SET_UNSAFE_HOST_RUNTIME, 1},
	    {"--unsafe-host-runtime=0", SBX_SET_UNSAFE_HOST_RUNTIME, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++) {
		struct parsed p;
		char *argv[] = {"sandboxec", (char *)cases[i].arg, NULL};

		parse_ok(&p, argv);
		if (!p.cli.flags.set[cases[i].id] ||
		    p.cli.flags.value[cases[i].id] != cases[i].want)
			fail_msg("%s: set %d value %d, want %d", cases[i].arg,
				 p.cli.flags.set[cases[i].id], p.cli.flags.value[cases[i].id],
				 cases[i].want);
		assert_string_equal(p.cli.flags.origin[cases[i].id],
				    sbx_settings[cases[i].id].flag);
		parsed_free(&p);
	}
}

static void test_bool_value_is_never_the_next_argument(void **state)
{
	struct parsed p;

	/* An optional argument needs "=": after "--", "false" is the COMMAND. */
	(void)state;
	parse_ok(&p, ARGV("--best-effort", "--", "false"));
	assert_int_equal(p.cli.flags.value[SBX_SET_BEST_EFFORT], 1);
	assert_int_equal(p.cli.argc, 1);
	assert_string_equal(p.cli.argv[0], "false");
	parsed_free(&p);
	/* A word that is no boolean is a command as ever. */
	parse_ok(&p, ARGV("--best-effort", "ls"));
	assert_string_equal(p.cli.argv[0], "ls");
	parsed_free(&p);
	/* After an option with a required value, "true" is the command. */
	parse_ok(&p, ARGV("--fs", "rx:/usr", "true"));
	assert_string_equal(p.cli.argv[0], "true");
	parsed_free(&p);
}

static void test_abi_in_both_long_forms(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, ARGV("--abi", "3"));
	assert_true(p.cli.flags.set[SBX_SET_ABI]);
	assert_int_equal(p.cli.flags.value[SBX_SET_ABI], 3);
	parsed_free(&p);
	parse_ok(&p, ARGV("--abi=0"));
	assert_int_equal(p.cli.flags.value[SBX_SET_ABI], 0);
	parsed_free(&p);
}

static void test_config_and_named_config(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, ARGV("-c", "a.yaml", "--named-config=languages/python"));
	assert_string_equal(p.cli.flags.config_file, "a.yaml");
	assert_string_equal(p.cli.flags.config_origin, "--config");
	assert_string_equal(p.cli.flags.named_config, "languages/python");
	assert_string_equal(p.cli.flags.named_origin, "--named-config");
	parsed_free(&p);
	/* Naming the same kind again replaces it. */
	parse_ok(&p, ARGV("--config", "a.yaml", "-C", "x", "-c", "b.yaml"));
	assert_string_equal(p.cli.flags.config_file, "b.yaml");
	assert_string_equal(p.cli.flags.named_config, "x");
	parsed_free(&p);
}

static void test_mode_selects_a_row_and_only_run_and_mcp_reach_the_layer(void **state)
{
	static const struct {
		const char *name;
		int config_mode; /* -1: the layer's mode stays unset */
	} cases[] = {
	    {"run", SBX_MODE_RUN}, {"mcp", SBX_MODE_MCP}, {"env", -1},
	    {"explain", -1},	   {"trust", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++) {
		struct parsed p;
		char *argv[] = {"sandboxec", "-m", (char *)cases[i].name, NULL};

		parse_ok(&p, argv);
		assert_non_null(p.mode);
		assert_string_equal(p.mode->name, cases[i].name);
		assert_int_equal(p.cli.flags.set[SBX_SET_MODE], cases[i].config_mode >= 0);
		if (cases[i].config_mode >= 0) {
			assert_int_equal(p.cli.flags.value[SBX_SET_MODE], cases[i].config_mode);
			assert_string_equal(p.cli.flags.origin[SBX_SET_MODE], "--mode");
		}
		parsed_free(&p);
	}
}

static void test_without_mode_the_mode_is_left_alone(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, ARGV("--fs", "rx:/usr"));
	assert_null(p.mode);
	assert_false(p.cli.flags.set[SBX_SET_MODE]);
	parsed_free(&p);
}

static void test_format_and_mcp_limits(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, ARGV("--format", "json", "--max-output=4096", "--max-timeout-ms", "86400000"));
	assert_string_equal(p.cli.format, "json");
	assert_int_equal(p.cli.max_output, 4096);
	assert_int_equal(p.cli.max_timeout_ms, 86400000L);
	parsed_free(&p);
	parse_ok(&p, ARGV("--max-output", "1073741824", "--max-timeout-ms=1"));
	assert_int_equal(p.cli.max_output, 1UL << 30);
	assert_int_equal(p.cli.max_timeout_ms, 1);
	parsed_free(&p);
}

/* --- where parsing stops --- */

static void test_stops_at_the_first_non_option(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, ARGV("--fs", "rx:/usr", "ls", "-la", "--fs", "rw:/"));
	expect_rules(&p.cli.flags.fs, (const char *[]){"rx:/usr"}, 1);
	assert_int_equal(p.cli.argc, 4);
	assert_string_equal(p.cli.argv[0], "ls");
	assert_string_equal(p.cli.argv[1], "-la");
	assert_string_equal(p.cli.argv[2], "--fs");
	assert_null(p.cli.argv[4]);
	parsed_free(&p);
}

static void test_double_dash_ends_the_options(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, ARGV("--fs", "rx:/usr", "--", "--fs", "x"));
	expect_rules(&p.cli.flags.fs, (const char *[]){"rx:/usr"}, 1);
	assert_int_equal(p.cli.argc, 2);
	assert_string_equal(p.cli.argv[0], "--fs");
	parsed_free(&p);
	/* Only the first "--" is eaten. */
	parse_ok(&p, ARGV("--", "--"));
	assert_int_equal(p.cli.argc, 1);
	assert_string_equal(p.cli.argv[0], "--");
	parsed_free(&p);
	parse_ok(&p, ARGV("--"));
	assert_int_equal(p.cli.argc, 0);
	parsed_free(&p);
}

static void test_no_arguments_and_a_lone_dash(void **state)
{
	struct parsed p;

	(void)state;
	parse_ok(&p, ARGV0);
	assert_int_equal(p.cli.argc, 0);
	assert_null(p.mode);
	parsed_free(&p);
	/* "-" is an operand, not an option. */
	parse_ok(&p, ARGV("-"));
	assert_int_equal(p.cli.argc, 1);
	assert_string_equal(p.cli.argv[0], "-");
	parsed_free(&p);
}

static void test_help_and_version_stop_parsing(void **state)
{
	const struct {
		char **argv;
		enum sbx_parse_status want;
	} cases[] = {
	    {ARGV("--help"), SBX_PARSE_HELP},
	    {ARGV("-h"), SBX_PARSE_HELP},
	    {ARGV("--version"), SBX_PARSE_VERSION},
	    {ARGV("-V"), SBX_PARSE_VERSION},
	    {ARGV("--he"), SBX_PARSE_HELP}, /* getopt_long takes unique prefixes */
	    {ARGV("--help", "--bogus"), SBX_PARSE_HELP},
	    {ARGV("--fs", "rx:/usr", "-V", "--abi", "99"), SBX_PARSE_VERSION},
	    {ARGV("--bogus", "--help"), SBX_PARSE_ERROR},
	    {ARGV("ls", "--help"), SBX_PARSE_OK},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++) {
		struct parsed p;

		parse(&p, cases[i].argv);
		if (p.status != cases[i].want)
			fail_msg("case %zu (%s): status %d, want %d", i, cases[i].argv[1], p.status,
				 cases[i].want);
		if (cases[i].want != SBX_PARSE_ERROR)
			assert_string_equal(p.err, "");
		parsed_free(&p);
	}
}

static void test_parsing_again_starts_over(void **state)
{
	struct parsed p;

	/* getopt keeps state between calls; a second parse must not inherit
	 * the first one's position (here: inside a cluster of short options). */
	(void)state;
	parse(&p, ARGV("-x", "ls"));
	assert_int_equal(p.status, SBX_PARSE_ERROR);
	parsed_free(&p);
	parse_ok(&p, ARGV("-frx:/usr", "echo"));
	expect_rules(&p.cli.flags.fs, (const char *[]){"rx:/usr"}, 1);
	assert_int_equal(p.cli.argc, 1);
	assert_string_equal(p.cli.argv[0], "echo");
	parsed_free(&p);
}

/* --- usage errors: one line each, exact text --- */

static void test_each_usage_error_says_what_is_wrong(void **state)
{
	const struct {
		char **argv;
		const char *message;
	} cases[] = {
	    {ARGV("--bogus"), "unknown option --bogus; see sandboxec --help"},
	    {ARGV("--bogus=1"), "unknown option --bogus=1; see sandboxec --help"},
	    {ARGV("-x"), "unknown option -x; see sandboxec --help"},
	    {ARGV("--help=x"), "option --help takes no value; see sandboxec --help"},
	    {ARGV("--version=1"), "option --version takes no value; see sandboxec --help"},
	    {ARGV("-fx", "-q"), "unknown option -q; see sandboxec --help"},
	    {ARGV("--fs"), "option --fs needs an argument; see sandboxec --help"},
	    {ARGV("-f"), "option -f needs an argument; see sandboxec --help"},
	    {ARGV("--mode"), "option --mode needs an argument; see sandboxec --help"},
	    {ARGV("--mode", "nope"),
	     "unknown mode \"nope\"; use run, mcp, env, explain, trust or learn"},
	    {ARGV("--best-effort", "false"),
	     "--best-effort takes its value after \"=\" (--best-effort=false); as written, "
	     "\"false\" would run as the COMMAND; to run that command, put -- before it"},
	    {ARGV("--fs", "rx:/usr", "--restrict-unix", "NO", "-la"),
	     "--restrict-unix takes its value after \"=\" (--restrict-unix=NO); as written, "
	     "\"NO\" would run as the COMMAND; to run that command, put -- before it"},
	    {ARGV("--report", "audit"),
	     "--report takes its value after \"=\" (--report=audit); as written, \"audit\" "
	     "would run as the COMMAND; to run that command, put -- before it"},
	    {ARGV("--abi", "99"),
	     "--abi: invalid Landlock ABI \"99\"; use 0 (the highest available) or 1 to 11"},
	    {ARGV("--best-effort=maybe"), "--best-effort: invalid value \"maybe\" for "
					  "best-effort; use 1/true/yes/on or 0/false/no/off"},
	    {ARGV("--best-effort="), "--best-effort: invalid value \"\" for "
				     "best-effort; use 1/true/yes/on or 0/false/no/off"},
	    {ARGV("--max-output", "0"),
	     "--max-output \"0\" must be a whole number from 1 to 1073741824"},
	    {ARGV("--max-output", "-1"),
	     "--max-output \"-1\" must be a whole number from 1 to 1073741824"},
	    /* strtoull would wrap this one to 1. */
	    {ARGV("--max-output", "-18446744073709551615"),
	     "--max-output \"-18446744073709551615\" must be a whole number from 1 to 1073741824"},
	    {ARGV("--max-output", "1073741825"),
	     "--max-output \"1073741825\" must be a whole number from 1 to 1073741824"},
	    {ARGV("--max-output", "12k"),
	     "--max-output \"12k\" must be a whole number from 1 to 1073741824"},
	    {ARGV("--max-output="),
	     "--max-output \"\" must be a whole number from 1 to 1073741824"},
	    {ARGV("--max-timeout-ms", "x"),
	     "--max-timeout-ms \"x\" must be a whole number from 1 to 86400000"},
	    {ARGV("--max-timeout-ms", "86400001"),
	     "--max-timeout-ms \"86400001\" must be a whole number from 1 to 86400000"},
	    {ARGV("--max-timeout-ms", "99999999999999999999999"),
	     "--max-timeout-ms \"99999999999999999999999\" must be a whole number from 1 to "
	     "86400000"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++) {
		struct parsed p;
		char *want = NULL;

		assert_true(asprintf(&want, "sandboxec: %s\n", cases[i].message) > 0);
		parse(&p, cases[i].argv);
		if (p.status != SBX_PARSE_ERROR || strcmp(p.err, want) != 0)
			fail_msg("case %zu (%s): status %d, stderr \"%s\", want \"%s\"", i,
				 cases[i].argv[1], p.status, p.err, want);
		free(want);
		parsed_free(&p);
	}
}

static void test_an_error_stops_before_later_options(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, ARGV("--fs", "a", "--abi", "x", "--fs", "b"));
	assert_int_equal(p.status, SBX_PARSE_ERROR);
	expect_rules(&p.cli.flags.fs, (const char *[]){"a"}, 1);
	parsed_free(&p);
}

/* --- the tables behind --help --- */

static void test_help_lists_every_option_and_mode(void **state)
{
	struct capture out;
	char *text, *want;
	size_t i;

	(void)state;
	capture_start(&out, STDOUT_FILENO);
	sbx_options_print_help();
	text = capture_end(&out);
	assert_contains(text, "Usage: sandboxec [OPTIONS] [--] COMMAND [ARG...]\n");
	for (i = 0; i < SBX_OPT_COUNT; i++) {
		want = sbx_xasprintf("--%s", sbx_options[i].long_name);
		assert_contains(text, want);
		free(want);
		assert_contains(text, sbx_options[i].help);
	}
	for (i = 0; i < sbx_modes_count; i++) {
		want = sbx_xasprintf("\n  %-10s %s\n", sbx_modes[i].name, sbx_modes[i].help);
		assert_contains(text, want);
		free(want);
	}
	/* A short form, a BOOL and a required argument as each is shown. */
	assert_contains(text, "\n  -f, --fs RIGHTS:PATH ");
	assert_contains(text, "\n      --best-effort[=BOOL] ");
	assert_contains(text, "\n      --abi N ");
	free(text);
}

static void test_version_names_the_release(void **state)
{
	struct capture out;
	char *text;

	(void)state;
	capture_start(&out, STDOUT_FILENO);
	sbx_options_print_version();
	text = capture_end(&out);
	assert_contains(text, "sandboxec " SBX_VERSION "\nLandlock ABI: ");
	free(text);
}

static void test_mode_lookups(void **state)
{
	(void)state;
	assert_string_equal(sbx_mode_find("explain")->name, "explain");
	/* Any case, as the original tool. */
	assert_string_equal(sbx_mode_find("Explain")->name, "explain");
	assert_string_equal(sbx_mode_find("RUN")->name, "run");
	assert_null(sbx_mode_find(""));
	assert_string_equal(sbx_mode_for_config(SBX_MODE_MCP)->name, "mcp");
	assert_string_equal(sbx_mode_for_config(SBX_MODE_RUN)->name, "run");
	assert_string_equal(sbx_mode_for_config(12345)->name, "run");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fs_rule_in_each_spelling),
	    cmocka_unit_test(test_fs_and_net_repeat_and_keep_their_order),
	    cmocka_unit_test(test_fs_flags_in_a_long_run_read_as_getopt_reads_them),
	    cmocka_unit_test(test_rule_text_is_not_checked_while_parsing),
	    cmocka_unit_test(test_bool_options_with_and_without_a_value),
	    cmocka_unit_test(test_bool_value_is_never_the_next_argument),
	    cmocka_unit_test(test_abi_in_both_long_forms),
	    cmocka_unit_test(test_config_and_named_config),
	    cmocka_unit_test(test_mode_selects_a_row_and_only_run_and_mcp_reach_the_layer),
	    cmocka_unit_test(test_without_mode_the_mode_is_left_alone),
	    cmocka_unit_test(test_format_and_mcp_limits),
	    cmocka_unit_test(test_stops_at_the_first_non_option),
	    cmocka_unit_test(test_double_dash_ends_the_options),
	    cmocka_unit_test(test_no_arguments_and_a_lone_dash),
	    cmocka_unit_test(test_help_and_version_stop_parsing),
	    cmocka_unit_test(test_parsing_again_starts_over),
	    cmocka_unit_test(test_each_usage_error_says_what_is_wrong),
	    cmocka_unit_test(test_an_error_stops_before_later_options),
	    cmocka_unit_test(test_help_lists_every_option_and_mode),
	    cmocka_unit_test(test_version_names_the_release),
	    cmocka_unit_test(test_mode_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
