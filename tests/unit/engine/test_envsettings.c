/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for envsettings.c: reading SANDBOXEC_* into a layer (docs/design.md §3.5):
 * unknown names, bool and ABI values, empty lists, origins. */
#include "unit_helpers.h"

#include "engine/envsettings.h"

static void read_ok(char *const *envp, struct sbx_env_settings *env)
{
	struct sbx_error err = {{0}};

	if (sbx_env_settings_read(envp, env, &err) != 0)
		fail_msg("reading the environment failed: %s", err.msg);
}

static void read_fails(char *const *envp, const char *want_msg)
{
	struct sbx_env_settings env;
	struct sbx_error err = {{0}};

	if (sbx_env_settings_read(envp, &env, &err) != -1)
		fail_msg("the environment was accepted; want \"%s\"", want_msg);
	assert_contains(err.msg, want_msg);
}

#define ENV(...) ((char *const[]){__VA_ARGS__, NULL})

static void test_no_sandboxec_variables_is_no_policy(void **state)
{
	struct sbx_env_settings env;
	size_t i;

	(void)state;
	read_ok(ENV("HOME=/h", "PATH=/bin", "sandboxec_fs=lowercase is not ours"), &env);
	assert_false(env.any_policy);
	for (i = 0; i < SBX_SETTING_COUNT; i++)
		assert_false(env.layer.set[i]);
	assert_null(env.layer.config_file);
	assert_null(env.layer.named_config);
	assert_null(env.profile_path);
	assert_null(env.active);
	assert_false(env.trust_project);
	assert_false(env.verbose);
	assert_string_equal(env.layer.name, "environment");
	sbx_env_settings_free(&env);
}

static void test_every_known_name_is_accepted(void **state)
{
	struct sbx_env_settings env;

	(void)state;
	read_ok(ENV("SANDBOXEC_FS=rx:/usr", "SANDBOXEC_NET=c:443", "SANDBOXEC_ABI=3",
		    "SANDBOXEC_BEST_EFFORT=1", "SANDBOXEC_IGNORE_IF_MISSING=1",
		    "SANDBOXEC_RESTRICT_SCOPED=1", "SANDBOXEC_UNSAFE_HOST_RUNTIME=0",
		    "SANDBOXEC_CONFIG=/c.yaml", "SANDBOXEC_PROFILE_PATH=/p1:/p2",
		    "SANDBOXEC_TRUST_PROJECT=1", "SANDBOXEC_VERBOSE=1", "SANDBOXEC_ACTIVE=abc"),
		&env);
	assert_true(env.any_policy);
	assert_int_equal(env.layer.value[SBX_SET_ABI], 3);
	assert_true(env.layer.set[SBX_SET_UNSAFE_HOST_RUNTIME]);
	assert_int_equal(env.layer.value[SBX_SET_UNSAFE_HOST_RUNTIME], 0);
	assert_false(env.layer.set[SBX_SET_MODE]);
	assert_string_equal(env.layer.config_file, "/c.yaml");
	assert_string_equal(env.layer.config_origin, "SANDBOXEC_CONFIG");
	assert_string_equal(env.profile_path, "/p1:/p2");
	assert_string_equal(env.active, "abc");
	assert_true(env.trust_project);
	assert_true(env.verbose);
	sbx_env_settings_free(&env);
}

static void test_bool_values_in_any_case(void **state)
{
	static const char *const names[] = {"SANDBOXEC_BEST_EFFORT", "SANDBOXEC_IGNORE_IF_MISSING",
					    "SANDBOXEC_RESTRICT_SCOPED",
					    "SANDBOXEC_UNSAFE_HOST_RUNTIME"};
	static const enum sbx_setting ids[] = {SBX_SET_BEST_EFFORT, SBX_SET_IGNORE_IF_MISSING,
					       SBX_SET_RESTRICT_SCOPED,
					       SBX_SET_UNSAFE_HOST_RUNTIME};
	static const struct {
		const char *text;
		int value;
	} values[] = {
	    {"1", 1},	  {"true", 1}, {"TRUE", 1}, {"True", 1}, {"yes", 1},
	    {"YES", 1},	  {"on", 1},   {"On", 1},   {"0", 0},	 {"false", 0},
	    {"FALSE", 0}, {"no", 0},   {"No", 0},   {"off", 0},	 {"OFF", 0},
	};
	size_t n, v;

	(void)state;
	for (n = 0; n < SBX_ARRAY_SIZE(names); n++) {
		for (v = 0; v < SBX_ARRAY_SIZE(values); v++) {
			struct sbx_env_settings env;
			char *var = NULL;

			assert_true(asprintf(&var, "%s=%s", names[n], values[v].text) > 0);
			read_ok(ENV(var), &env);
			if (!env.layer.set[ids[n]] || env.layer.value[ids[n]] != values[v].value)
				fail_msg("%s: set %d value %d", var, env.layer.set[ids[n]],
					 env.layer.value[ids[n]]);
			assert_string_equal(env.layer.origin[ids[n]], names[n]);
			assert_true(env.any_policy);
			sbx_env_settings_free(&env);
			free(var);
		}
	}
}

static void test_trust_project_and_verbose_take_bools(void **state)
{
	struct sbx_env_settings env;

	(void)state;
	read_ok(ENV("SANDBOXEC_TRUST_PROJECT=yes", "SANDBOXEC_VERBOSE=off"), &env);
	assert_true(env.trust_project);
	assert_false(env.verbose);
	/* Neither describes a policy. */
	assert_false(env.any_policy);
	sbx_env_settings_free(&env);
	read_fails(ENV("SANDBOXEC_TRUST_PROJECT=maybe"),
		   "SANDBOXEC_TRUST_PROJECT=\"maybe\": use 1/true/yes/on or 0/false/no/off");
	read_fails(ENV("SANDBOXEC_VERBOSE=2"), "SANDBOXEC_VERBOSE=\"2\"");
}

static void test_abi_values(void **state)
{
	static const char *const good[] = {"0", "1", "4", "7", "10", "11"};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(good); i++) {
		struct sbx_env_settings env;
		char *var = NULL;

		assert_true(asprintf(&var, "SANDBOXEC_ABI=%s", good[i]) > 0);
		read_ok(ENV(var), &env);
		assert_true(env.layer.set[SBX_SET_ABI]);
		assert_int_equal(env.layer.value[SBX_SET_ABI], atoi(good[i]));
		assert_string_equal(env.layer.origin[SBX_SET_ABI], "SANDBOXEC_ABI");
		sbx_env_settings_free(&env);
		free(var);
	}
}

static void test_empty_fs_is_a_present_empty_list(void **state)
{
	struct sbx_env_settings env;

	(void)state;
	read_ok(ENV("SANDBOXEC_FS="), &env);
	assert_true(env.layer.set[SBX_SET_FS]);
	assert_int_equal(env.layer.fs.len, 0);
	assert_string_equal(env.layer.origin[SBX_SET_FS], "SANDBOXEC_FS");
	assert_false(env.layer.set[SBX_SET_NET]);
	assert_true(env.any_policy);
	sbx_env_settings_free(&env);
}

static void test_list_of_only_separators_is_a_present_empty_list(void **state)
{
	struct sbx_env_settings env;

	(void)state;
	read_ok(ENV("SANDBOXEC_NET=,\n,"), &env);
	assert_true(env.layer.set[SBX_SET_NET]);
	assert_int_equal(env.layer.net.len, 0);
	sbx_env_settings_free(&env);
}

static void test_unset_fs_is_not_a_list(void **state)
{
	struct sbx_env_settings env;

	(void)state;
	read_ok(ENV("SANDBOXEC_NET=c:443"), &env);
	assert_false(env.layer.set[SBX_SET_FS]);
	assert_int_equal(env.layer.fs.len, 0);
	sbx_env_settings_free(&env);
}

static void test_list_entries_carry_their_origin(void **state)
{
	struct sbx_env_settings env;

	(void)state;
	read_ok(ENV("SANDBOXEC_FS=rx:/usr,,rw:/a\\,b\nr:/etc", "SANDBOXEC_NET=c:443,b:8080"), &env);
	assert_int_equal(env.layer.fs.len, 3);
	assert_string_equal(env.layer.fs.items[0].text, "rx:/usr");
	assert_string_equal(env.layer.fs.items[0].origin, "SANDBOXEC_FS entry 1");
	assert_string_equal(env.layer.fs.items[1].text, "rw:/a,b");
	assert_string_equal(env.layer.fs.items[1].origin, "SANDBOXEC_FS entry 2");
	assert_string_equal(env.layer.fs.items[2].text, "r:/etc");
	assert_string_equal(env.layer.fs.items[2].origin, "SANDBOXEC_FS entry 3");
	assert_null(env.layer.fs.items[0].base_dir);
	assert_int_equal(env.layer.net.len, 2);
	assert_string_equal(env.layer.net.items[1].text, "b:8080");
	assert_string_equal(env.layer.net.items[1].origin, "SANDBOXEC_NET entry 2");
	sbx_env_settings_free(&env);
}

static void test_list_rules_are_not_parsed_here(void **state)
{
	struct sbx_env_settings env;

	(void)state;
	/* Rules are parsed (and expanded) at resolution, with their origin. */
	read_ok(ENV("SANDBOXEC_FS=bogus,$UNSET/x"), &env);
	assert_int_equal(env.layer.fs.len, 2);
	assert_string_equal(env.layer.fs.items[1].text, "$UNSET/x");
	sbx_env_settings_free(&env);
}

static void test_config_names_are_recorded_with_origin(void **state)
{
	struct sbx_env_settings env;

	(void)state;
	read_ok(ENV("SANDBOXEC_NAMED_CONFIG=languages/python"), &env);
	assert_string_equal(env.layer.named_config, "languages/python");
	assert_string_equal(env.layer.named_origin, "SANDBOXEC_NAMED_CONFIG");
	assert_null(env.layer.config_file);
	assert_true(env.any_policy);
	sbx_env_settings_free(&env);
	/* Both at once is read here; resolution rejects the pair. */
	read_ok(ENV("SANDBOXEC_CONFIG=/c.yaml", "SANDBOXEC_NAMED_CONFIG=x"), &env);
	assert_string_equal(env.layer.config_file, "/c.yaml");
	assert_string_equal(env.layer.named_config, "x");
	sbx_env_settings_free(&env);
}

static void test_profile_path_and_active_point_into_envp(void **state)
{
	char *envp[] = {"SANDBOXEC_PROFILE_PATH=/a:/b", "SANDBOXEC_ACTIVE=0123", NULL};
	struct sbx_env_settings env;

	(void)state;
	read_ok(envp, &env);
	assert_ptr_equal(env.profile_path, envp[0] + strlen("SANDBOXEC_PROFILE_PATH="));
	assert_ptr_equal(env.active, envp[1] + strlen("SANDBOXEC_ACTIVE="));
	assert_false(env.any_policy);
	sbx_env_settings_free(&env);
}

static void test_absolute_profile_path_entries_are_accepted(void **state)
{
	static const char *const values[] = {"/", "/a", "/a:/b", "/a/../b:/c/./d", "//x:/y/"};
	struct sbx_env_settings env;
	char entry[64];
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(values); i++) {
		snprintf(entry, sizeof(entry), "SANDBOXEC_PROFILE_PATH=%s", values[i]);
		read_ok(ENV(entry), &env);
		assert_string_equal(env.profile_path, values[i]);
		sbx_env_settings_free(&env);
	}
}

/* SANDBOXEC_ADD_*: rules kept apart from the lists, so they add to
 * whatever list resolves; they do not set the list (docs/design.md §3.2). */
static void test_additions_are_read_apart_from_the_lists(void **state)
{
	struct sbx_env_settings env;

	(void)state;
	read_ok(ENV("SANDBOXEC_ADD_FS=rx:/usr,rw:/a\\,b", "SANDBOXEC_ADD_NET=c:443"), &env);
	assert_false(env.layer.set[SBX_SET_FS]);
	assert_false(env.layer.set[SBX_SET_NET]);
	assert_true(env.any_policy);
	assert_int_equal(env.layer.add_fs.len, 2);
	assert_string_equal(env.layer.add_fs.items[1].text, "rw:/a,b");
	assert_string_equal(env.layer.add_fs.items[1].origin, "SANDBOXEC_ADD_FS entry 2");
	assert_int_equal(env.layer.add_net.len, 1);
	assert_string_equal(env.layer.add_net.items[0].origin, "SANDBOXEC_ADD_NET entry 1");
	sbx_env_settings_free(&env);
	/* Empty: no additions (what --mode env writes). */
	read_ok(ENV("SANDBOXEC_ADD_FS=", "SANDBOXEC_ADD_NET="), &env);
	assert_int_equal(env.layer.add_fs.len, 0);
	assert_int_equal(env.layer.add_net.len, 0);
	sbx_env_settings_free(&env);
}

static void test_known_names_table_is_null_terminated_and_complete(void **state)
{
	size_t n = 0;

	(void)state;
	while (sbx_env_known_names[n])
		n++;
	assert_int_equal(n, 19);
	assert_string_equal(sbx_env_known_names[n - 1], SBX_ENV_ACTIVE);
}

/* --- environments that are refused: one table --- */

/* An environment and the message reading it fails with. */
struct refused_case {
	char *const *envp;
	const char *error;
};

struct refused_row {
	const char *name;
	const struct refused_case *cases; /* up to a case whose envp is NULL */
};

#define REFUSED(...) ((const struct refused_case[]){__VA_ARGS__, {NULL, NULL}})

static const struct refused_row refused_rows[] = {
    {"test_unknown_sandboxec_name_is_an_error",
     REFUSED({ENV("SANDBOXEC_FSS=rx:/usr"),
	      "unknown variable SANDBOXEC_FSS; known SANDBOXEC_* variables are SANDBOXEC_FS, "
	      "SANDBOXEC_NET, SANDBOXEC_ABI"},
	     {ENV("HOME=/h", "SANDBOXEC_BESTEFFORT=1"), "unknown variable SANDBOXEC_BESTEFFORT"},
	     {ENV("SANDBOXEC_MODE=run"), "unknown variable SANDBOXEC_MODE"},
	     {ENV("SANDBOXEC_=1"), "unknown variable SANDBOXEC_;"},
	     {ENV("SANDBOXEC_fs=rx:/usr"), "unknown variable SANDBOXEC_fs"},
	     {ENV("SANDBOXEC_FS_=x"), "unknown variable SANDBOXEC_FS_"})},
    {"test_unknown_name_is_an_error_even_after_valid_ones",
     REFUSED({ENV("SANDBOXEC_FS=rx:/usr", "SANDBOXEC_ABI=3", "SANDBOXEC_VERBOS=1"),
	      "unknown variable SANDBOXEC_VERBOS"})},
    {"test_bad_bool_values_are_errors",
     REFUSED({ENV("SANDBOXEC_BEST_EFFORT=2"),
	      "SANDBOXEC_BEST_EFFORT: invalid value \"2\" for best-effort; use 1/true/yes/on or "
	      "0/false/no/off"},
	     {ENV("SANDBOXEC_IGNORE_IF_MISSING=y"), "invalid value \"y\""},
	     {ENV("SANDBOXEC_RESTRICT_SCOPED=enabled"), "invalid value \"enabled\""},
	     {ENV("SANDBOXEC_UNSAFE_HOST_RUNTIME= 1"), "invalid value \" 1\""},
	     {ENV("SANDBOXEC_BEST_EFFORT=truee"), "invalid value \"truee\""},
	     {ENV("SANDBOXEC_BEST_EFFORT=-1"), "invalid value \"-1\""})},
    {"test_empty_bool_is_an_error",
     REFUSED({ENV("SANDBOXEC_BEST_EFFORT="),
	      "SANDBOXEC_BEST_EFFORT is set but empty; give it a value or unset it"})},
    {"test_bad_abi_values_are_errors",
     REFUSED({ENV("SANDBOXEC_ABI=12"),
	      "SANDBOXEC_ABI: invalid Landlock ABI \"12\"; use 0 (the highest available) or 1 "
	      "to 11"},
	     {ENV("SANDBOXEC_ABI=-1"), "invalid Landlock ABI \"-1\""},
	     {ENV("SANDBOXEC_ABI=three"), "invalid Landlock ABI \"three\""},
	     {ENV("SANDBOXEC_ABI=3 "), "invalid Landlock ABI \"3 \""},
	     {ENV("SANDBOXEC_ABI=99999999999999999999"), "invalid Landlock ABI"})},
    {"test_empty_abi_is_an_error",
     REFUSED({ENV("SANDBOXEC_ABI="), "SANDBOXEC_ABI is set but empty"})},
    {"test_bad_list_escape_names_the_variable",
     REFUSED({ENV("SANDBOXEC_FS=rw:/a\\tb"), "SANDBOXEC_FS: unknown escape \"\\t\""},
	     {ENV("SANDBOXEC_NET=c:443\\"), "SANDBOXEC_NET: the list ends in an unterminated"})},
    {"test_empty_config_names_are_errors",
     REFUSED({ENV("SANDBOXEC_CONFIG="), "SANDBOXEC_CONFIG is set but empty"},
	     {ENV("SANDBOXEC_NAMED_CONFIG="), "SANDBOXEC_NAMED_CONFIG is set but empty"})},
    {"test_relative_profile_path_entry_is_an_error",
     REFUSED({ENV("SANDBOXEC_PROFILE_PATH=profiles"),
	      "SANDBOXEC_PROFILE_PATH entry 1 \"profiles\" is relative; use an absolute "
	      "directory (e.g. \"$PWD/profiles\")"},
	     {ENV("SANDBOXEC_PROFILE_PATH=/a:./b:/c"), "entry 2 \"./b\" is relative"},
	     {ENV("SANDBOXEC_PROFILE_PATH=/a:/b:~/c"), "entry 3 \"~/c\" is relative"},
	     {ENV("SANDBOXEC_FS=rx:/usr", "SANDBOXEC_PROFILE_PATH=../p"),
	      "entry 1 \"../p\" is relative"})},
    {"test_empty_profile_path_entry_is_an_error",
     REFUSED({ENV("SANDBOXEC_PROFILE_PATH="),
	      "SANDBOXEC_PROFILE_PATH is set but empty; list absolute directories separated by "
	      "':' or unset it"},
	     {ENV("SANDBOXEC_PROFILE_PATH=/a::/b"),
	      "SANDBOXEC_PROFILE_PATH entry 2 is empty (a PATH-style list reads that as the "
	      "current directory)"},
	     {ENV("SANDBOXEC_PROFILE_PATH=:/a"), "entry 1 is empty"},
	     {ENV("SANDBOXEC_PROFILE_PATH=/a:"), "entry 2 is empty"},
	     {ENV("SANDBOXEC_PROFILE_PATH=:"), "entry 1 is empty"})},
};

static void test_refused_row(void **state)
{
	const struct refused_row *row = *state;
	const struct refused_case *c;

	for (c = row->cases; c->envp; c++)
		read_fails(c->envp, c->error);
}

int main(void)
{
	static const struct CMUnitTest singles[] = {
	    cmocka_unit_test(test_no_sandboxec_variables_is_no_policy),
	    cmocka_unit_test(test_every_known_name_is_accepted),
	    cmocka_unit_test(test_bool_values_in_any_case),
	    cmocka_unit_test(test_trust_project_and_verbose_take_bools),
	    cmocka_unit_test(test_abi_values),
	    cmocka_unit_test(test_empty_fs_is_a_present_empty_list),
	    cmocka_unit_test(test_list_of_only_separators_is_a_present_empty_list),
	    cmocka_unit_test(test_unset_fs_is_not_a_list),
	    cmocka_unit_test(test_list_entries_carry_their_origin),
	    cmocka_unit_test(test_list_rules_are_not_parsed_here),
	    cmocka_unit_test(test_config_names_are_recorded_with_origin),
	    cmocka_unit_test(test_profile_path_and_active_point_into_envp),
	    cmocka_unit_test(test_absolute_profile_path_entries_are_accepted),
	    cmocka_unit_test(test_additions_are_read_apart_from_the_lists),
	    cmocka_unit_test(test_known_names_table_is_null_terminated_and_complete),
	};

	struct ut_suite suite = {0};

	UT_SUITE_ADD_TESTS(&suite, singles);
	UT_SUITE_ADD_ROWS(&suite, test_refused_row, NULL, NULL, refused_rows);
	return ut_suite_run(&suite, "envsettings");
}
