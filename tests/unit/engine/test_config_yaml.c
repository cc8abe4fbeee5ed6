/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for config_yaml.c: every key of docs/design.md §3.1, and errors that name
 * the exact file:line:col (unknown keys, wrong types, bad values, duplicate
 * keys, malformed YAML, a root that is not a mapping). */
#include "unit_helpers.h"

#include "engine/config_yaml.h"

#define CFG "/p/cfg.yaml"

static void parse_ok(const char *yaml, const char *base_dir, struct sbx_config_doc *doc)
{
	struct sbx_error err = {{0}};

	if (sbx_config_parse(yaml, strlen(yaml), CFG, base_dir, doc, &err) != 0)
		fail_msg("parsing failed: %s", err.msg);
}

/* The message must start with want_prefix (the position) and contain
 * want_more. */
static void parse_fails(const char *yaml, const char *want_prefix, const char *want_more)
{
	struct sbx_config_doc doc;
	struct sbx_error err = {{0}};

	if (sbx_config_parse(yaml, strlen(yaml), CFG, NULL, &doc, &err) != -1) {
		sbx_config_doc_free(&doc);
		fail_msg("\"%s\" was accepted", yaml);
	}
	if (strncmp(err.msg, want_prefix, strlen(want_prefix)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"", err.msg, want_prefix);
	if (want_more)
		assert_contains(err.msg, want_more);
	/* A failed parse leaves nothing to free. */
	assert_null(doc.layer.name);
	assert_int_equal(doc.layer.fs.len, 0);
	assert_int_equal(doc.extends.len, 0);
}

static void test_every_key_loads(void **state)
{
	static const char yaml[] = "abi: 5\n"
				   "best-effort: true\n"
				   "ignore-if-missing: yes\n"
				   "restrict-scoped: on\n"
				   "allow-udp: true\n"
				   "restrict-unix: off\n"
				   "unsafe-host-runtime: false\n"
				   "log-denials: true\n"
				   "mode: mcp\n"
				   "fs:\n"
				   "  - rx:/usr\n"
				   "  - rw:$PWD\n"
				   "net:\n"
				   "  - c:443\n";
	struct sbx_config_doc doc;
	const struct sbx_layer *l = &doc.layer;
	size_t i;

	(void)state;
	parse_ok(yaml, NULL, &doc);
	for (i = 0; i < SBX_SETTING_COUNT; i++)
		assert_true(l->set[i]);
	assert_string_equal(l->name, "config " CFG);
	assert_int_equal(l->value[SBX_SET_ABI], 5);
	assert_int_equal(l->value[SBX_SET_BEST_EFFORT], 1);
	assert_int_equal(l->value[SBX_SET_IGNORE_IF_MISSING], 1);
	assert_int_equal(l->value[SBX_SET_RESTRICT_SCOPED], 1);
	assert_int_equal(l->value[SBX_SET_ALLOW_UDP], 1);
	assert_int_equal(l->value[SBX_SET_RESTRICT_UNIX], 0);
	assert_int_equal(l->value[SBX_SET_UNSAFE_HOST_RUNTIME], 0);
	assert_int_equal(l->value[SBX_SET_MODE], SBX_MODE_MCP);
	assert_int_equal(l->fs.len, 2);
	assert_string_equal(l->fs.items[0].text, "rx:/usr");
	assert_string_equal(l->fs.items[1].text, "rw:$PWD"); /* expanded later */
	assert_int_equal(l->net.len, 1);
	assert_string_equal(l->net.items[0].text, "c:443");
	assert_int_equal(doc.extends.len, 0);
	sbx_config_doc_free(&doc);
}

static void test_values_and_rules_carry_their_position(void **state)
{
	static const char yaml[] = "abi: 5\n"
				   "best-effort: true\n"
				   "fs:\n"
				   "  - rx:/usr\n"
				   "  -   rw:/tmp\n"
				   "net: [c:443, 'b:80']\n";
	struct sbx_config_doc doc;
	const struct sbx_layer *l = &doc.layer;

	(void)state;
	parse_ok(yaml, NULL, &doc);
	assert_string_equal(l->origin[SBX_SET_ABI], CFG ":1:6");
	assert_string_equal(l->origin[SBX_SET_BEST_EFFORT], CFG ":2:14");
	assert_string_equal(l->fs.items[0].origin, CFG ":4:5");
	assert_string_equal(l->fs.items[1].origin, CFG ":5:7");
	assert_string_equal(l->net.items[0].origin, CFG ":6:7");
	assert_string_equal(l->net.items[1].origin, CFG ":6:14");
	assert_string_equal(l->net.items[1].text, "b:80");
	sbx_config_doc_free(&doc);
}

static void test_mode_run_loads(void **state)
{
	struct sbx_config_doc doc;

	(void)state;
	parse_ok("mode: run\n", NULL, &doc);
	assert_true(doc.layer.set[SBX_SET_MODE]);
	assert_int_equal(doc.layer.value[SBX_SET_MODE], SBX_MODE_RUN);
	sbx_config_doc_free(&doc);
}

/* Keys, `extends` and the mode are matched in any case, as the original
 * tool does; a key given twice in two cases is still given twice. */
static void test_keys_and_mode_in_any_case(void **state)
{
	struct sbx_config_doc doc;

	(void)state;
	parse_ok("Mode: MCP\nBest-Effort: TRUE\nFS:\n  - rx:/usr\nExtends: [base/dynamic]\n", NULL,
		 &doc);
	assert_int_equal(doc.layer.value[SBX_SET_MODE], SBX_MODE_MCP);
	assert_int_equal(doc.layer.value[SBX_SET_BEST_EFFORT], 1);
	assert_int_equal(doc.layer.fs.len, 1);
	assert_int_equal(doc.extends.len, 1);
	sbx_config_doc_free(&doc);
}

static void test_quoted_scalars_are_values_too(void **state)
{
	struct sbx_config_doc doc;

	(void)state;
	parse_ok("abi: \"3\"\nbest-effort: 'No'\n", NULL, &doc);
	assert_int_equal(doc.layer.value[SBX_SET_ABI], 3);
	assert_true(doc.layer.set[SBX_SET_BEST_EFFORT]);
	assert_int_equal(doc.layer.value[SBX_SET_BEST_EFFORT], 0);
	sbx_config_doc_free(&doc);
}

static void test_empty_documents_set_nothing(void **state)
{
	static const char *const yamls[] = {"", "\n", "# only a comment\n", "---\n", "~\n"};
	size_t i, j;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(yamls); i++) {
		struct sbx_config_doc doc;

		parse_ok(yamls[i], NULL, &doc);
		for (j = 0; j < SBX_SETTING_COUNT; j++)
			assert_false(doc.layer.set[j]);
		sbx_config_doc_free(&doc);
	}
}

static void test_empty_or_null_list_is_a_present_empty_list(void **state)
{
	struct sbx_config_doc doc;

	(void)state;
	parse_ok("fs: []\nnet:\n", NULL, &doc);
	assert_true(doc.layer.set[SBX_SET_FS]);
	assert_int_equal(doc.layer.fs.len, 0);
	assert_string_equal(doc.layer.origin[SBX_SET_FS], CFG ":1:5");
	assert_true(doc.layer.set[SBX_SET_NET]);
	assert_int_equal(doc.layer.net.len, 0);
	sbx_config_doc_free(&doc);
}

static void test_extends_list_is_stored_in_order(void **state)
{
	static const char yaml[] = "extends:\n"
				   "  - languages/python\n"
				   "  - base\n"
				   "fs:\n"
				   "  - rx:/usr\n";
	struct sbx_config_doc doc;

	(void)state;
	parse_ok(yaml, NULL, &doc);
	assert_int_equal(doc.extends.len, 2);
	assert_string_equal(doc.extends.items[0], "languages/python");
	assert_string_equal(doc.extends.items[1], "base");
	assert_int_equal(doc.extends_origin.len, 2);
	assert_string_equal(doc.extends_origin.items[0], CFG ":2:5");
	assert_string_equal(doc.extends_origin.items[1], CFG ":3:5");
	assert_int_equal(doc.layer.fs.len, 1);
	sbx_config_doc_free(&doc);
}

static void test_relative_rule_paths_get_base_dir(void **state)
{
	struct sbx_config_doc doc;

	(void)state;
	parse_ok("fs:\n  - rx:bin\n  - rw:/abs\nnet:\n  - c:1\n", "/proj/dir", &doc);
	assert_int_equal(doc.layer.fs.len, 2);
	assert_string_equal(doc.layer.fs.items[0].base_dir, "/proj/dir");
	assert_string_equal(doc.layer.fs.items[1].base_dir, "/proj/dir");
	sbx_config_doc_free(&doc);
	parse_ok("fs:\n  - rx:bin\n", NULL, &doc);
	assert_null(doc.layer.fs.items[0].base_dir);
	sbx_config_doc_free(&doc);
}

static void test_empty_trailing_documents_are_fine(void **state)
{
	struct sbx_config_doc doc;

	(void)state;
	parse_ok("abi: 2\n---\n", NULL, &doc);
	assert_int_equal(doc.layer.value[SBX_SET_ABI], 2);
	sbx_config_doc_free(&doc);
	parse_ok("---\nabi: 2\n...\n---\n~\n", NULL, &doc);
	assert_int_equal(doc.layer.value[SBX_SET_ABI], 2);
	sbx_config_doc_free(&doc);
}

static void test_rules_are_not_parsed_at_load(void **state)
{
	struct sbx_config_doc doc;

	(void)state;
	/* Bad rules are reported at resolution, prefixed by their position. */
	parse_ok("fs:\n  - bogus\n  - rw:$UNSET\n", NULL, &doc);
	assert_int_equal(doc.layer.fs.len, 2);
	assert_string_equal(doc.layer.fs.items[1].text, "rw:$UNSET");
	assert_string_equal(doc.layer.fs.items[1].origin, CFG ":3:5");
	sbx_config_doc_free(&doc);
}

/* --- configs that are refused: one table --- */

/* A config and the message parsing it fails with: it must start with
 * prefix (the position) and, when more is given, contain more. */
struct refused_case {
	const char *yaml, *prefix, *more;
};

struct refused_row {
	const char *name;
	const struct refused_case *cases; /* up to a case whose yaml is NULL */
};

#define REFUSED(...) ((const struct refused_case[]){__VA_ARGS__, {NULL, NULL, NULL}})

static const struct refused_row refused_rows[] = {
    {"test_unknown_key_names_file_line_col",
     REFUSED({"abi: 1\nbest_effort: true\n",
	      CFG
	      ":2:1: unknown key \"best_effort\"; known "
	      "keys are abi, best-effort, ignore-if-missing, "
	      "restrict-scoped, allow-udp, restrict-unix, unsafe-host-runtime, log-denials, mode, "
	      "fs, net, extends",
	      NULL},
	     {"fs: []\n  \nfss:\n  - rx:/usr\n", CFG ":3:1: unknown key \"fss\"", NULL},
	     {"{abi: 1,  netz: []}\n", CFG ":1:11: unknown key \"netz\"", NULL})},
    {"test_list_for_a_bool_names_file_line_col",
     REFUSED({"best-effort:\n  - true\n",
	      CFG ":2:3: best-effort must be a single value, "
		  "not a list",
	      NULL},
	     {"abi: 1\nrestrict-scoped: [on]\n",
	      CFG ":2:18: restrict-scoped must be a single value, not a list", NULL})},
    {"test_scalar_for_fs_names_file_line_col",
     REFUSED({"abi: 1\nfs: rx:/usr\n",
	      CFG ":2:5: fs must be a list of RIGHTS:PATH rules, not a single value", NULL},
	     {"net: 443\n",
	      CFG ":1:6: net must be a list of RIGHTS:PORT rules, not a single "
		  "value",
	      NULL},
	     {"fs:\n  rx: /usr\n",
	      CFG ":2:3: fs must be a list of RIGHTS:PATH rules, not a "
		  "mapping",
	      NULL})},
    {"test_mapping_for_abi_names_file_line_col",
     REFUSED({"abi:\n  version: 3\n", CFG ":2:3: abi must be a single value, not a mapping", NULL},
	     {"abi: {v: 3}\n", CFG ":1:6: abi must be a single value, not a mapping", NULL})},
    {"test_mapping_as_a_list_entry_names_file_line_col",
     REFUSED(/* "- rx: /usr" (with a space) is a mapping, not the rule "rx:/usr". */
	     {"fs:\n  - rx:/usr\n  - rw: /tmp\n",
	      CFG ":3:5: each entry of fs must be RIGHTS:PATH rules", NULL},
	     {"net:\n  - [c:443]\n", CFG ":2:5: each entry of net must be RIGHTS:PORT rules",
	      NULL})},
    {"test_bad_abi_value_names_file_line_col",
     REFUSED({"abi: 12\n",
	      CFG ":1:6: invalid Landlock ABI \"12\"; use 0 (the highest available) "
		  "or 1 to 11",
	      NULL},
	     {"fs: []\nabi: -1\n", CFG ":2:6: invalid Landlock ABI \"-1\"", NULL},
	     {"abi: 3.0\n", CFG ":1:6: invalid Landlock ABI \"3.0\"", NULL},
	     {"abi: ''\n", CFG ":1:6: invalid Landlock ABI \"\"", NULL})},
    {"test_bad_bool_and_mode_values_name_file_line_col",
     REFUSED({"ignore-if-missing: maybe\n",
	      CFG ":1:20: invalid value \"maybe\" for ignore-if-missing; use 1/true/yes/on or "
		  "0/false/no/off",
	      NULL},
	     {"mode: env\n", CFG ":1:7: invalid mode \"env\"; a config may say run or mcp", NULL},
	     {"mode: RUNS\n", CFG ":1:7: invalid mode \"RUNS\"", NULL})},
    {"test_duplicate_key_names_file_line_col",
     REFUSED({"abi: 1\nfs: []\nabi: 2\n", CFG ":3:1: key \"abi\" is given twice", NULL},
	     {"fs: []\nfs:\n  - rx:/usr\n", CFG ":2:1: key \"fs\" is given twice", NULL},
	     {"extends: [a]\nextends: [b]\n", CFG ":2:1: key \"extends\" is given twice", NULL},
	     {"abi: 1\nABI: 2\n", CFG ":2:1: key \"ABI\" is given twice", NULL})},
    {"test_malformed_yaml_names_file_line_col",
     REFUSED({"abi: [1, 2\n", CFG ":2:1: malformed YAML: ", "did not find expected ',' or ']'"},
	     {"abi: 1\n\tfs: []\n",
	      CFG ":2:1: malformed YAML: ", "found a tab character that violates indentation"},
	     {"fs:\n  - rx:/usr\n - rw:/tmp\n", CFG ":3:2: malformed YAML: ", NULL},
	     {"abi: \"1\n", CFG ":2:1: malformed YAML: ", "found unexpected end of stream"})},
    {"test_root_that_is_not_a_mapping_names_file_line_col",
     REFUSED({"- rx:/usr\n- rw:/tmp\n",
	      CFG ":1:1: a config must be a mapping of settings (key: value), not a list", NULL},
	     {"\n\n  rx:/usr\n",
	      CFG ":3:3: a config must be a mapping of settings (key: "
		  "value), not a single value",
	      NULL})},
    {"test_key_that_is_not_a_name_names_file_line_col",
     REFUSED({"? [abi]\n: 1\n", CFG ":1:3: a key must be a plain name, not a list", NULL})},
    {"test_extends_must_be_a_list_of_names",
     REFUSED({"extends: base\n",
	      CFG ":1:10: extends must be a list of profile names, not a single value", NULL},
	     {"extends:\n  - {a: b}\n", CFG ":2:5: each entry of extends must be profile names",
	      NULL})},
    {"test_second_document_is_an_error",
     REFUSED(/* Only one document is read; a second must not be silently ignored. */
	     {"abi: 1\n---\nabi: 9\nfs: [rx:/]\n", CFG ":2:1: a config is one YAML document", NULL},
	     {"abi: 1\n---\n---\nfs: [rx:/]\n", CFG ":3:1: a config is one YAML document", NULL},
	     {"abi: 1\n---\nfs: [\n", CFG ":4:1: malformed YAML: ", NULL})},
};

static void test_refused_row(void **state)
{
	const struct refused_row *row = *state;
	const struct refused_case *c;

	for (c = row->cases; c->yaml; c++)
		parse_fails(c->yaml, c->prefix, c->more);
}

int main(void)
{
	static const struct CMUnitTest singles[] = {
	    cmocka_unit_test(test_every_key_loads),
	    cmocka_unit_test(test_values_and_rules_carry_their_position),
	    cmocka_unit_test(test_mode_run_loads),
	    cmocka_unit_test(test_keys_and_mode_in_any_case),
	    cmocka_unit_test(test_quoted_scalars_are_values_too),
	    cmocka_unit_test(test_empty_documents_set_nothing),
	    cmocka_unit_test(test_empty_or_null_list_is_a_present_empty_list),
	    cmocka_unit_test(test_extends_list_is_stored_in_order),
	    cmocka_unit_test(test_relative_rule_paths_get_base_dir),
	    cmocka_unit_test(test_empty_trailing_documents_are_fine),
	    cmocka_unit_test(test_rules_are_not_parsed_at_load),
	};

	struct ut_suite suite = {0};

	UT_SUITE_ADD_TESTS(&suite, singles);
	UT_SUITE_ADD_ROWS(&suite, test_refused_row, NULL, NULL, refused_rows);
	return ut_suite_run(&suite, "config_yaml");
}
