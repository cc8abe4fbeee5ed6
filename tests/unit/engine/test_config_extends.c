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

struct extends_row;

struct fx {
	const struct extends_row *row; /* the table row this test runs, if any */
	char *root;
	struct ut_env env; /* SANDBOXEC_PROFILE_PATH, HOME, SANDBOXEC_NAMED_CONFIG */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->row = *state;
	f->root = ut_mkdtemp();
	ut_env_add(&f->env, "SANDBOXEC_PROFILE_PATH=%s", f->root);
	ut_env_add(&f->env, "HOME=%s", f->root);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ut_rmtree(f->root);
	ut_env_free(&f->env);
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

	ut_env_set(&f->env, "SANDBOXEC_NAMED_CONFIG", name);
	assert_int_equal(sbx_env_settings_read(f->env.entry, &env, err), 0);
	search.env = &env;
	search.envp = f->env.entry;
	ret = sbx_config_find_and_load(&search, out, &found, &path, err);
	if (ret == 0)
		assert_true(found);
	free(path);
	sbx_env_settings_free(&env);
	return ret;
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

/* --- composing lists, and refusing a bad chain: one table ---
 * Each row writes its profiles, loads one, and gives the fs and net rules
 * it must end up with (a list no profile sets stays unset), or parts of
 * the message loading fails with. */

struct extends_row {
	const char *name;
	struct {
		const char *name, *yaml;
	} profiles[4];
	const char *load;
	const char *want_fs[5], *want_net[4]; /* up to NULL */
	const char *want_error[3];	      /* up to NULL */
};

static const struct extends_row extends_rows[] = {
    {
	.name = "test_lists_concatenate_parents_first_in_order",
	.profiles = {{"a", "fs: [rx:/a]\nnet: [c:1]\n"},
		     {"b", "fs: [r:/b]\nnet: [c:2]\n"},
		     {"child", "extends: [a, b]\nfs: [rw:/c]\nnet: [c:3]\n"}},
	.load = "child",
	.want_fs = {"rx:/a", "r:/b", "rw:/c"},
	.want_net = {"c:1", "c:2", "c:3"},
    },
    {
	.name = "test_a_list_only_a_parent_sets_is_inherited",
	.profiles = {{"https", "net: [c:443]\n"}, {"child", "extends: [https]\nfs: [rx:/usr]\n"}},
	.load = "child",
	.want_fs = {"rx:/usr"},
	.want_net = {"c:443"},
    },
    {
	.name = "test_a_diamond_contributes_the_shared_parent_once",
	.profiles = {{"base", "fs: [rx:/usr]\n"},
		     {"left", "extends: [base]\nfs: [r:/left]\n"},
		     {"right", "extends: [base]\nfs: [r:/right]\n"},
		     {"top", "extends: [left, right]\n"}},
	.load = "top",
	.want_fs = {"rx:/usr", "r:/left", "r:/right"},
    },
    /* Where a shared profile's rules land: where it was first reached. */
    {
	.name = "test_a_profile_reached_again_keeps_its_first_place",
	.profiles = {{"base", "fs: [rx:/usr, r:/etc]\n"},
		     {"left", "extends: [base]\nfs: [r:/left]\n"},
		     {"right", "extends: [left, base]\nfs: [r:/right]\n"},
		     {"top", "extends: [right, base, left]\nfs: [r:/top]\n"}},
	.load = "top",
	.want_fs = {"rx:/usr", "r:/etc", "r:/left", "r:/right", "r:/top"},
    },
    /* Only a file reached twice is deduplicated, not what a user wrote. */
    {
	.name = "test_the_same_rule_written_twice_in_one_file_stays",
	.profiles = {{"p", "fs: [rx:/usr]\n"}, {"child", "extends: [p]\nfs: [rx:/usr]\n"}},
	.load = "child",
	.want_fs = {"rx:/usr", "rx:/usr"},
    },
    {
	.name = "test_a_cycle_is_an_error_naming_the_entries",
	.profiles = {{"x", "fs: [rx:/usr]\nextends: [y]\n"}, {"y", "extends:\n  - x\n"}},
	.load = "x",
	.want_error = {"/x.yaml:2:11: ", "/y.yaml:2:5: ", "cycle"},
    },
    {
	.name = "test_an_unknown_parent_is_an_error_naming_the_entry",
	.profiles = {{"child", "extends: [nowhere/none]\n"}},
	.load = "child",
	.want_error = {"/child.yaml:1:11: unknown named config \"nowhere/none\""},
    },
};

static void assert_rules(const struct sbx_layer *layer, enum sbx_setting id,
			 const char *const *want)
{
	const struct sbx_rule_list *list = id == SBX_SET_FS ? &layer->fs : &layer->net;
	size_t n = 0;

	while (n < (id == SBX_SET_FS ? 5 : 4) && want[n])
		n++;
	assert_int_equal(layer->set[id], n > 0);
	assert_int_equal(list->len, n);
	for (n = 0; n < list->len; n++)
		assert_string_equal(list->items[n].text, want[n]);
}

static void test_extends_row(void **state)
{
	struct fx *f = *state;
	const struct extends_row *row = f->row;
	struct sbx_error err = {{0}};
	struct sbx_layer layer;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(row->profiles) && row->profiles[i].name; i++)
		profile(f, row->profiles[i].name, row->profiles[i].yaml);
	if (row->want_error[0]) {
		assert_int_equal(load(f, row->load, &layer, &err), -1);
		for (i = 0; i < SBX_ARRAY_SIZE(row->want_error) && row->want_error[i]; i++)
			assert_contains(err.msg, row->want_error[i]);
		return;
	}
	if (load(f, row->load, &layer, &err) != 0)
		fail_msg("loading %s failed: %s", row->load, err.msg);
	assert_rules(&layer, SBX_SET_FS, row->want_fs);
	assert_rules(&layer, SBX_SET_NET, row->want_net);
	sbx_layer_free(&layer);
}

/* A generated profile of thousands of rules, reached through a diamond:
 * each rule once, in the order written, the extending file's last; the
 * rule a file repeats stays repeated. */
static void test_many_rules_through_a_diamond_keep_order_and_duplicates(void **state)
{
	enum { N = 6000 };
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	struct sbx_buf big = {0};
	struct sbx_layer layer;
	size_t i;

	sbx_buf_puts(&big, "fs:\n");
	for (i = 0; i < N; i++)
		sbx_buf_printf(&big, "  - r:/d%zu\n", i);
	sbx_buf_puts(&big, "  - r:/d0\n");
	profile(f, "big", big.data);
	sbx_buf_free(&big);
	profile(f, "left", "extends: [big]\nfs: [r:/left]\n");
	profile(f, "right", "extends: [big]\nfs: [r:/right]\n");
	profile(f, "top", "extends: [left, right]\nfs: [r:/top]\n");
	if (load(f, "top", &layer, &err) != 0)
		fail_msg("loading top failed: %s", err.msg);
	assert_int_equal(layer.fs.len, N + 4);
	for (i = 0; i < N; i++) {
		char want[32];

		snprintf(want, sizeof(want), "r:/d%zu", i);
		assert_string_equal(layer.fs.items[i].text, want);
	}
	assert_string_equal(layer.fs.items[N].text, "r:/d0");
	assert_string_equal(layer.fs.items[N + 1].text, "r:/left");
	assert_string_equal(layer.fs.items[N + 2].text, "r:/right");
	assert_string_equal(layer.fs.items[N + 3].text, "r:/top");
	sbx_layer_free(&layer);
}

/* A file without parents: its list is taken whole when read from events,
 * a rule written twice stays twice; an alias (read by the loader) repeats
 * one node, which composing counts once, as it always did. */
static void test_a_file_alone_keeps_repeats_and_an_alias_once(void **state)
{
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	struct sbx_layer layer;

	profile(f, "plain", "fs: [r:/a, r:/b, r:/a]\nnet: [c:1]\n");
	if (load(f, "plain", &layer, &err) != 0)
		fail_msg("loading plain failed: %s", err.msg);
	assert_int_equal(layer.fs.len, 3);
	assert_string_equal(layer.fs.items[2].text, "r:/a");
	assert_int_equal(layer.net.len, 1);
	sbx_layer_free(&layer);

	profile(f, "alias", "fs: [&r r:/a, *r, r:/b, *r]\n");
	if (load(f, "alias", &layer, &err) != 0)
		fail_msg("loading alias failed: %s", err.msg);
	assert_int_equal(layer.fs.len, 2);
	assert_string_equal(layer.fs.items[0].text, "r:/a");
	assert_string_equal(layer.fs.items[1].text, "r:/b");
	sbx_layer_free(&layer);
}

int main(void)
{
	static const struct CMUnitTest singles[] = {
	    cmocka_unit_test_setup_teardown(test_extending_file_scalars_win_then_later_parents,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_many_rules_through_a_diamond_keep_order_and_duplicates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_file_alone_keeps_repeats_and_an_alias_once,
					    setup, teardown),
	};
	struct ut_suite suite = {0};

	UT_SUITE_ADD_ROWS(&suite, test_extends_row, setup, teardown, extends_rows);
	UT_SUITE_ADD_TESTS(&suite, singles);
	return ut_suite_run(&suite, "config_extends");
}
