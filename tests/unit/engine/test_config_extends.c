/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for `extends` composition in config_find.c: parents load in
 * order and before the file, lists concatenate, the extending file's
 * scalars win, a profile reached twice contributes once, and a cycle or an
 * unknown name is an error naming file:line:col. Each test writes its
 * profiles into its own temporary SANDBOXEC_PROFILE_PATH. */
#include "unit_helpers.h"

#include "engine/config_find.h"
#include "engine/envsettings.h"
#include "engine/util.h"

struct fx {
	char *root;
	char *env_path, *env_named, *env_home;
	char *envp[4];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->root = ut_mkdtemp();
	assert_true(asprintf(&f->env_path, "SANDBOXEC_PROFILE_PATH=%s", f->root) > 0);
	assert_true(asprintf(&f->env_home, "HOME=%s", f->root) > 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ut_rmtree(f->root);
	free(f->env_path);
	free(f->env_named);
	free(f->env_home);
	free(f);
	return 0;
}

static void profile(struct fx *f, const char *name, const char *yaml)
{
	char *file;

	assert_true(asprintf(&file, "%s/%s.yaml", f->root, name) > 0);
	ut_write_file(file, yaml);
	free(file);
}

/* Loads the named profile as `-C NAME` through SANDBOXEC_NAMED_CONFIG. */
static int load(struct fx *f, const char *name, struct sbx_layer *out, struct sbx_error *err)
{
	struct sbx_env_settings env;
	struct sbx_config_search search = {0};
	char *path = NULL;
	bool found = false;
	int ret;

	free(f->env_named);
	assert_true(asprintf(&f->env_named, "SANDBOXEC_NAMED_CONFIG=%s", name) > 0);
	f->envp[0] = f->env_path;
	f->envp[1] = f->env_named;
	f->envp[2] = f->env_home;
	f->envp[3] = NULL;
	assert_int_equal(sbx_env_settings_read(f->envp, &env, err), 0);
	search.env = &env;
	search.envp = f->envp;
	ret = sbx_config_find_and_load(&search, out, &found, &path, err);
	if (ret == 0)
		assert_true(found);
	free(path);
	sbx_env_settings_free(&env);
	return ret;
}

static void assert_rules(const struct sbx_rule_list *list, const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(list->len, n);
	for (i = 0; i < n; i++)
		assert_string_equal(list->items[i].text, want[i]);
}

static void test_lists_concatenate_parents_first_in_order(void **state)
{
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	struct sbx_layer layer;
	static const char *const fs[] = {"rx:/a", "r:/b", "rw:/c"};
	static const char *const net[] = {"c:1", "c:2", "c:3"};

	profile(f, "a", "fs: [rx:/a]\nnet: [c:1]\n");
	profile(f, "b", "fs: [r:/b]\nnet: [c:2]\n");
	profile(f, "child", "extends: [a, b]\nfs: [rw:/c]\nnet: [c:3]\n");
	assert_int_equal(load(f, "child", &layer, &err), 0);
	assert_true(layer.set[SBX_SET_FS]);
	assert_rules(&layer.fs, fs, 3);
	assert_rules(&layer.net, net, 3);
	sbx_layer_free(&layer);
}

static void test_a_list_only_a_parent_sets_is_inherited(void **state)
{
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	struct sbx_layer layer;
	static const char *const net[] = {"c:443"};

	profile(f, "https", "net: [c:443]\n");
	profile(f, "child", "extends: [https]\nfs: [rx:/usr]\n");
	assert_int_equal(load(f, "child", &layer, &err), 0);
	assert_true(layer.set[SBX_SET_NET]);
	assert_rules(&layer.net, net, 1);
	sbx_layer_free(&layer);
}

static void test_extending_file_scalars_win_then_later_parents(void **state)
{
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	struct sbx_layer layer;

	profile(f, "a", "abi: 3\nbest-effort: true\nrestrict-scoped: true\n");
	profile(f, "b", "abi: 4\n");
	profile(f, "child", "extends: [a, b]\nrestrict-scoped: false\n");
	assert_int_equal(load(f, "child", &layer, &err), 0);
	assert_int_equal(layer.value[SBX_SET_ABI], 4);		   /* later parent */
	assert_int_equal(layer.value[SBX_SET_BEST_EFFORT], 1);	   /* inherited */
	assert_int_equal(layer.value[SBX_SET_RESTRICT_SCOPED], 0); /* the file's own */
	assert_non_null(strstr(layer.origin[SBX_SET_RESTRICT_SCOPED], "child.yaml:2:18"));
	sbx_layer_free(&layer);
}

static void test_a_diamond_contributes_the_shared_parent_once(void **state)
{
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	struct sbx_layer layer;
	static const char *const fs[] = {"rx:/usr", "r:/left", "r:/right"};

	profile(f, "base", "fs: [rx:/usr]\n");
	profile(f, "left", "extends: [base]\nfs: [r:/left]\n");
	profile(f, "right", "extends: [base]\nfs: [r:/right]\n");
	profile(f, "top", "extends: [left, right]\n");
	assert_int_equal(load(f, "top", &layer, &err), 0);
	assert_rules(&layer.fs, fs, 3);
	sbx_layer_free(&layer);
}

static void test_the_same_rule_written_twice_in_one_file_stays(void **state)
{
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	struct sbx_layer layer;
	static const char *const fs[] = {"rx:/usr", "rx:/usr"};

	/* Only a file reached twice is deduplicated, not what a user wrote. */
	profile(f, "p", "fs: [rx:/usr]\n");
	profile(f, "child", "extends: [p]\nfs: [rx:/usr]\n");
	assert_int_equal(load(f, "child", &layer, &err), 0);
	assert_rules(&layer.fs, fs, 2);
	sbx_layer_free(&layer);
}

static void test_a_cycle_is_an_error_naming_the_entries(void **state)
{
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	struct sbx_layer layer;

	profile(f, "x", "fs: [rx:/usr]\nextends: [y]\n");
	profile(f, "y", "extends:\n  - x\n");
	assert_int_equal(load(f, "x", &layer, &err), -1);
	assert_non_null(strstr(err.msg, "/x.yaml:2:11: "));
	assert_non_null(strstr(err.msg, "/y.yaml:2:5: "));
	assert_non_null(strstr(err.msg, "cycle"));
}

static void test_an_unknown_parent_is_an_error_naming_the_entry(void **state)
{
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	struct sbx_layer layer;

	profile(f, "child", "extends: [nowhere/none]\n");
	assert_int_equal(load(f, "child", &layer, &err), -1);
	assert_non_null(strstr(err.msg, "/child.yaml:1:11: unknown named config \"nowhere/none\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_lists_concatenate_parents_first_in_order, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_a_list_only_a_parent_sets_is_inherited, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_extending_file_scalars_win_then_later_parents,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_diamond_contributes_the_shared_parent_once,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_the_same_rule_written_twice_in_one_file_stays,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_cycle_is_an_error_naming_the_entries, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_an_unknown_parent_is_an_error_naming_the_entry,
					    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
