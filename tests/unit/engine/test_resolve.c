/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for resolve.c (and the config lookup it drives): the
 * precedence matrix of docs/design.md §3.2 — flags > SANDBOXEC_* > one config file >
 * defaults — for scalars and lists, which config file applies, missing
 * paths, and the implicit shim rule. Every test runs in a fresh temporary
 * tree with HOME and the XDG directories inside it, and in a temporary
 * current directory, so no real user or project config is ever found. */
#include "unit_helpers.h"

#include <sys/resource.h>

#include "engine/config_find.h"
#include "engine/landlock_abi.h"
#include "engine/resolve.h"
#include "engine/rights.h"
#include "engine/trust.h"

struct fx {
	char *root;
	char *home, *xdg_config, *xdg_data, *work, *profiles;
	char *dir_a, *dir_b, *dir_c;
	char *old_cwd;
	struct ut_env env;
	const void *row; /* the table row this test runs, if any */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char *found = NULL;
	struct sbx_error err = {{0}};

	assert_non_null(f);
	f->row = *state;
	f->root = ut_mkdtemp();
	f->home = ut_mkdir_in(f->root, "home");
	f->xdg_config = ut_mkdir_in(f->root, "config");
	f->xdg_data = ut_mkdir_in(f->root, "data");
	f->work = ut_mkdir_in(f->root, "work");
	f->profiles = ut_mkdir_in(f->root, "profiles");
	f->dir_a = ut_mkdir_in(f->root, "a");
	f->dir_b = ut_mkdir_in(f->root, "b");
	f->dir_c = ut_mkdir_in(f->root, "c");
	f->old_cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(f->work), 0);
	/* The tests assume no project file above the temporary directory. */
	assert_int_equal(sbx_project_file_find(&found, &err), 0);
	if (found)
		fail_msg("a project file %s exists above %s; remove it to run these tests", found,
			 f->work);
	ut_env_add(&f->env, "HOME=%s", f->home);
	ut_env_add(&f->env, "XDG_CONFIG_HOME=%s", f->xdg_config);
	ut_env_add(&f->env, "XDG_DATA_HOME=%s", f->xdg_data);
	ut_env_add(&f->env, "PATH=%s", "/usr/bin:/bin");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	assert_int_equal(chdir(f->old_cwd), 0);
	ut_env_free(&f->env);
	free(f->old_cwd);
	free(f->home);
	free(f->xdg_config);
	free(f->xdg_data);
	free(f->work);
	free(f->profiles);
	free(f->dir_a);
	free(f->dir_b);
	free(f->dir_c);
	ut_rmtree(f->root);
	free(f);
	return 0;
}

static int fx_resolve(struct fx *f, const struct sbx_layer *flags, const char *shim_path,
		      struct sbx_policy *out, struct sbx_error *err)
{
	struct sbx_resolve_input in = {flags, f->env.entry, NULL, shim_path, false};

	return sbx_resolve(&in, out, err);
}

static void fx_resolve_ok(struct fx *f, const struct sbx_layer *flags, struct sbx_policy *out)
{
	struct sbx_error err = {{0}};

	if (fx_resolve(f, flags, NULL, out, &err) != 0)
		fail_msg("resolution failed: %s", err.msg);
}

static void fx_resolve_fails(struct fx *f, const struct sbx_layer *flags, const char *want)
{
	struct sbx_policy out;
	struct sbx_error err = {{0}};

	if (fx_resolve(f, flags, NULL, &out, &err) != -1) {
		sbx_policy_free(&out);
		fail_msg("resolution succeeded; want \"%s\"", want);
	}
	assert_contains(err.msg, want);
}

static void flag_rule(struct sbx_layer *flags, enum sbx_setting id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds one --fs or --net rule to a flags layer, as the CLI does. */
static void flag_rule(struct sbx_layer *flags, enum sbx_setting id, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;

	va_start(ap, fmt);
	assert_true(vasprintf(&text, fmt, ap) > 0);
	va_end(ap);
	sbx_layer_add_rule(flags, id, text, id == SBX_SET_FS ? "--fs" : "--net", NULL);
	free(text);
}

/* --- defaults --- */

static void test_defaults_when_nothing_is_given(void **state)
{
	struct fx *f = *state;
	struct sbx_policy p;
	size_t i;

	fx_resolve_ok(f, NULL, &p);
	assert_int_equal(p.abi, 0);
	assert_false(p.best_effort);
	assert_false(p.ignore_if_missing);
	assert_false(p.restrict_scoped);
	assert_false(p.unsafe_host_runtime);
	assert_int_equal(p.mode, SBX_MODE_RUN);
	for (i = 0; i < SBX_SETTING_COUNT; i++)
		assert_string_equal(p.origin[i], "default");
	assert_int_equal(p.n_fs, 0);
	assert_int_equal(p.n_net, 0);
	assert_int_equal(p.n_skipped, 0);
	assert_null(p.config_path);
	assert_false(p.has_source);
	assert_false(p.verbose);
	sbx_policy_free(&p);
}

static void test_empty_flags_layer_is_no_source(void **state)
{
	struct fx *f = *state;
	struct sbx_layer flags;
	struct sbx_policy p;

	sbx_layer_init(&flags, "flags");
	fx_resolve_ok(f, &flags, &p);
	assert_false(p.has_source);
	sbx_policy_free(&p);
	sbx_layer_set_scalar(&flags, SBX_SET_BEST_EFFORT, 0, "--best-effort");
	fx_resolve_ok(f, &flags, &p);
	assert_true(p.has_source);
	sbx_policy_free(&p);
	sbx_layer_free(&flags);
}

/* --- the precedence matrix --- */

enum { HAS_FILE = 1, HAS_ENV = 2, HAS_FLAG = 4 };

/* One cell of the precedence matrix: a copy of the fixture (so the
 * environment entry can be dropped again), the flags layer and the
 * resolved policy. */
struct cell {
	struct fx g;
	struct sbx_layer flags;
	struct sbx_policy p;
};

/* Which layer wins in a combination: 3 the flag, 2 the environment, 1 the
 * file, 0 none (the default). Indexes each test's table of expectations. */
static int strongest_of(int combo)
{
	return combo & HAS_FLAG ? 3 : combo & HAS_ENV ? 2 : combo & HAS_FILE ? 1 : 0;
}

/* Sets up the weaker layers of a combination: --config naming cfg and the
 * environment entry. The caller adds its own flag, then calls
 * cell_resolve. */
static void cell_begin(struct cell *c, const struct fx *f, int combo, const char *cfg,
		       const char *env_entry)
{
	c->g = *f;
	sbx_layer_init(&c->flags, "flags");
	if (combo & HAS_FILE)
		sbx_layer_name_config(&c->flags, false, cfg, "--config");
	if (combo & HAS_ENV)
		ut_env_add(&c->g.env, "%s", env_entry);
}

static void cell_resolve(struct cell *c)
{
	fx_resolve_ok(&c->g, &c->flags, &c->p);
}

static void cell_end(struct cell *c, int combo)
{
	sbx_policy_free(&c->p);
	sbx_layer_free(&c->flags);
	if (combo & HAS_ENV)
		ut_env_drop_last(&c->g.env);
}

/* One scalar setting through the matrix: the file sets it to values[1]
 * (written at cfg_pos), the environment entry to values[2], the flag to
 * values[3]; values[0] is the default. For every combination the
 * strongest present layer must give both the value and the origin. */
struct scalar_case {
	const char *name;
	enum sbx_setting id;
	const char *yaml;
	const char *cfg_pos; /* "line:col" of the value in yaml */
	const char *env_entry;
	const char *flag;
	int values[4];
};

static int policy_scalar(const struct sbx_policy *p, enum sbx_setting id)
{
	return id == SBX_SET_ABI ? p->abi : (int)p->best_effort;
}

static void scalar_matrix(struct fx *f, const struct scalar_case *sc)
{
	char *cfg = ut_write_file_in(f->root, "cfg.yaml", sc->yaml);
	char *cfg_origin = NULL;
	int combo;

	assert_true(asprintf(&cfg_origin, "%s:%s", cfg, sc->cfg_pos) > 0);
	for (combo = 0; combo < 8; combo++) {
		const char *want_origin[] = {"default", cfg_origin, sbx_settings[sc->id].env_name,
					     sc->flag};
		int top = strongest_of(combo);
		struct cell c;
		int got;

		cell_begin(&c, f, combo, cfg, sc->env_entry);
		if (combo & HAS_FLAG)
			sbx_layer_set_scalar(&c.flags, sc->id, sc->values[3], sc->flag);
		cell_resolve(&c);
		got = policy_scalar(&c.p, sc->id);
		if (got != sc->values[top] || strcmp(c.p.origin[sc->id], want_origin[top]) != 0)
			fail_msg("combination %d: %s %d from %s, want %d from %s", combo,
				 sbx_settings[sc->id].yaml_key, got, c.p.origin[sc->id],
				 sc->values[top], want_origin[top]);
		cell_end(&c, combo);
	}
	free(cfg_origin);
	free(cfg);
}

static const struct scalar_case scalar_rows[] = {
    /* The ABI: file 1, env 2, flag 3. */
    {
	.name = "test_scalar_precedence_matrix_abi",
	.id = SBX_SET_ABI,
	.yaml = "abi: 1\n",
	.cfg_pos = "1:6",
	.env_entry = "SANDBOXEC_ABI=2",
	.flag = "--abi",
	.values = {0, 1, 2, 3},
    },
    /* A bool, where a stronger layer can also turn it off. */
    {
	.name = "test_scalar_precedence_matrix_bool",
	.id = SBX_SET_BEST_EFFORT,
	.yaml = "fs: []\nbest-effort: true\n",
	.cfg_pos = "2:14",
	.env_entry = "SANDBOXEC_BEST_EFFORT=off",
	.flag = "--best-effort",
	.values = {0, 1, 0, 1},
    },
};

static void test_scalar_row(void **state)
{
	struct fx *f = *state;

	scalar_matrix(f, f->row);
}

/* For every combination: the strongest layer's fs list replaces the weaker
 * ones whole (file rx:A, env rx:B, flag rx:C). */
static void test_list_precedence_matrix_fs(void **state)
{
	struct fx *f = *state;
	char *yaml = NULL, *cfg, *cfg_origin = NULL, *env_entry = NULL;
	int combo;

	assert_true(asprintf(&yaml, "fs:\n  - rx:%s\n", f->dir_a) > 0);
	cfg = ut_write_file_in(f->root, "cfg.yaml", yaml);
	assert_true(asprintf(&cfg_origin, "%s:2:5", cfg) > 0);
	assert_true(asprintf(&env_entry, "SANDBOXEC_FS=rx:%s", f->dir_b) > 0);
	for (combo = 0; combo < 8; combo++) {
		const char *want_path[] = {NULL, f->dir_a, f->dir_b, f->dir_c};
		/* NULL: the file list's own position, checked below */
		const char *want_origin[] = {"default", NULL, "SANDBOXEC_FS", "--fs"};
		const char *want_rule_origin[] = {NULL, cfg_origin, "SANDBOXEC_FS entry 1", "--fs"};
		int top = strongest_of(combo);
		struct cell c;

		cell_begin(&c, f, combo, cfg, env_entry);
		if (combo & HAS_FLAG)
			flag_rule(&c.flags, SBX_SET_FS, "rx:%s", f->dir_c);
		cell_resolve(&c);
		if (!want_path[top]) {
			assert_int_equal(c.p.n_fs, 0);
			assert_string_equal(c.p.origin[SBX_SET_FS], "default");
		} else {
			if (c.p.n_fs != 1)
				fail_msg("combination %d: %zu fs rules, want 1", combo, c.p.n_fs);
			assert_string_equal(c.p.fs[0].path, want_path[top]);
			assert_string_equal(c.p.fs[0].origin, want_rule_origin[top]);
			assert_string_equal(c.p.fs[0].rights, "rx");
			assert_int_equal(c.p.fs[0].kind, SBX_RULE_USER);
			if (want_origin[top])
				assert_string_equal(c.p.origin[SBX_SET_FS], want_origin[top]);
			else
				assert_contains(c.p.origin[SBX_SET_FS], cfg);
		}
		cell_end(&c, combo);
	}
	free(env_entry);
	free(cfg_origin);
	free(cfg);
	free(yaml);
}

static void test_list_precedence_matrix_net(void **state)
{
	struct fx *f = *state;
	char *cfg = ut_write_file_in(f->root, "cfg.yaml", "net:\n  - c:1\n  - c:11\n");
	int combo;

	for (combo = 0; combo < 8; combo++) {
		const size_t want_n[] = {0, 2, 1, 1};
		const unsigned want_port[] = {0, 1, 2, 3};
		int top = strongest_of(combo);
		struct cell c;

		cell_begin(&c, f, combo, cfg, "SANDBOXEC_NET=b:2");
		if (combo & HAS_FLAG)
			flag_rule(&c.flags, SBX_SET_NET, "%s", "bc:3");
		cell_resolve(&c);
		if (c.p.n_net != want_n[top] || (want_n[top] && c.p.net[0].port != want_port[top]))
			fail_msg(
			    "combination %d: %zu net rules (first port %u), want %zu (port %u)",
			    combo, c.p.n_net, c.p.n_net ? c.p.net[0].port : 0, want_n[top],
			    want_port[top]);
		cell_end(&c, combo);
	}
	free(cfg);
}

static void test_lists_resolve_independently(void **state)
{
	struct fx *f = *state;
	struct sbx_layer flags;
	struct sbx_policy p;

	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rw:%s", f->dir_a);
	ut_env_add(&f->env, "SANDBOXEC_NET=%s", "c:443");
	ut_env_add(&f->env, "SANDBOXEC_FS=r:%s", f->dir_b);
	fx_resolve_ok(f, &flags, &p);
	assert_int_equal(p.n_fs, 1);
	assert_string_equal(p.fs[0].path, f->dir_a);
	assert_int_equal(p.n_net, 1);
	assert_int_equal(p.net[0].port, 443);
	assert_string_equal(p.net[0].rights, "c");
	assert_true(p.net[0].access == SBX_LL_NET_CONNECT_TCP);
	assert_string_equal(p.net[0].origin, "SANDBOXEC_NET entry 1");
	sbx_policy_free(&p);
	sbx_layer_free(&flags);
}

static void test_empty_env_fs_replaces_the_files_list(void **state)
{
	struct fx *f = *state;
	char *yaml = NULL, *cfg;
	struct sbx_policy p;

	assert_true(asprintf(&yaml, "fs:\n  - rx:%s\nnet: [c:80]\n", f->dir_a) > 0);
	cfg = ut_write_file_in(f->root, "cfg.yaml", yaml);
	ut_env_add(&f->env, "SANDBOXEC_CONFIG=%s", cfg);
	ut_env_add(&f->env, "SANDBOXEC_FS=%s", "");
	fx_resolve_ok(f, NULL, &p);
	assert_int_equal(p.n_fs, 0);
	assert_string_equal(p.origin[SBX_SET_FS], "SANDBOXEC_FS");
	/* The file's other list still applies. */
	assert_int_equal(p.n_net, 1);
	assert_int_equal(p.net[0].port, 80);
	sbx_policy_free(&p);
	free(cfg);
	free(yaml);
}

static void test_empty_file_list_replaces_nothing_weaker(void **state)
{
	struct fx *f = *state;
	char *cfg = ut_write_file_in(f->root, "cfg.yaml", "fs: []\n");
	struct sbx_policy p;

	ut_env_add(&f->env, "SANDBOXEC_CONFIG=%s", cfg);
	fx_resolve_ok(f, NULL, &p);
	assert_int_equal(p.n_fs, 0);
	assert_contains(p.origin[SBX_SET_FS], cfg);
	assert_true(p.has_source);
	sbx_policy_free(&p);
	free(cfg);
}

static void test_repeated_flags_append(void **state)
{
	struct fx *f = *state;
	struct sbx_layer flags;
	struct sbx_policy p;

	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rx:%s", f->dir_a);
	flag_rule(&flags, SBX_SET_FS, "rw:%s", f->dir_b);
	flag_rule(&flags, SBX_SET_FS, "r:%s", f->dir_a);
	flag_rule(&flags, SBX_SET_NET, "%s", "c:443");
	flag_rule(&flags, SBX_SET_NET, "%s", "b:8080");
	ut_env_add(&f->env, "SANDBOXEC_FS=rwx:%s", f->dir_c);
	fx_resolve_ok(f, &flags, &p);
	assert_int_equal(p.n_fs, 3);
	assert_string_equal(p.fs[0].path, f->dir_a);
	assert_string_equal(p.fs[0].rights, "rx");
	assert_string_equal(p.fs[1].path, f->dir_b);
	assert_string_equal(p.fs[1].rights, "rw");
	assert_string_equal(p.fs[2].path, f->dir_a); /* several rules on a path add up */
	assert_string_equal(p.fs[2].rights, "r");
	assert_int_equal(p.n_net, 2);
	assert_int_equal(p.net[1].port, 8080);
	sbx_policy_free(&p);
	sbx_layer_free(&flags);
}

/* --- additions (--add-fs, SANDBOXEC_ADD_FS): docs/design.md §3.2 --- */

static void test_additions_add_to_the_files_list(void **state)
{
	struct fx *f = *state;
	char *yaml = NULL, *cfg, *rule = NULL;
	struct sbx_layer flags;
	struct sbx_policy p;

	assert_true(asprintf(&yaml, "fs:\n  - rx:%s\nnet: [c:80]\n", f->dir_a) > 0);
	cfg = ut_write_file_in(f->root, "cfg.yaml", yaml);
	ut_env_add(&f->env, "SANDBOXEC_CONFIG=%s", cfg);
	ut_env_add(&f->env, "SANDBOXEC_ADD_FS=r:%s", f->dir_c);
	sbx_layer_init(&flags, "flags");
	assert_true(asprintf(&rule, "rw:%s", f->dir_b) > 0);
	sbx_layer_add_extra_rule(&flags, SBX_SET_FS, rule, "--add-fs");
	free(rule);
	sbx_layer_add_extra_rule(&flags, SBX_SET_NET, "c:443", "--add-net");
	fx_resolve_ok(f, &flags, &p);
	/* The file's list, then the weaker layer's additions, then the flags'. */
	assert_int_equal(p.n_fs, 3);
	assert_string_equal(p.fs[0].path, f->dir_a);
	assert_contains(p.fs[0].origin, cfg);
	assert_string_equal(p.fs[1].path, f->dir_c);
	assert_string_equal(p.fs[1].origin, "SANDBOXEC_ADD_FS entry 1");
	assert_string_equal(p.fs[2].path, f->dir_b);
	assert_string_equal(p.fs[2].rights, "rw");
	assert_string_equal(p.fs[2].origin, "--add-fs");
	/* The list's origin stays the file's: the additions do not replace it. */
	assert_contains(p.origin[SBX_SET_FS], cfg);
	assert_int_equal(p.n_net, 2);
	assert_int_equal(p.net[0].port, 80);
	assert_int_equal(p.net[1].port, 443);
	assert_string_equal(p.net[1].origin, "--add-net");
	assert_true(p.has_source);
	sbx_policy_free(&p);
	sbx_layer_free(&flags);
	free(cfg);
	free(yaml);
}

static void test_a_stronger_list_replaces_weaker_additions(void **state)
{
	struct fx *f = *state;
	struct sbx_layer flags;
	struct sbx_policy p;

	ut_env_add(&f->env, "SANDBOXEC_ADD_FS=r:%s", f->dir_c);
	ut_env_add(&f->env, "SANDBOXEC_ADD_NET=%s", "c:22");
	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rx:%s", f->dir_a);
	flag_rule(&flags, SBX_SET_NET, "%s", "c:443");
	fx_resolve_ok(f, &flags, &p);
	assert_int_equal(p.n_fs, 1);
	assert_string_equal(p.fs[0].path, f->dir_a);
	assert_int_equal(p.n_net, 1);
	assert_int_equal(p.net[0].port, 443);
	sbx_policy_free(&p);
	sbx_layer_free(&flags);
}

static void test_additions_alone_are_the_list(void **state)
{
	struct fx *f = *state;
	struct sbx_policy p;

	ut_env_add(&f->env, "SANDBOXEC_ADD_FS=r:%s", f->dir_c);
	fx_resolve_ok(f, NULL, &p);
	assert_int_equal(p.n_fs, 1);
	assert_string_equal(p.fs[0].path, f->dir_c);
	assert_string_equal(p.origin[SBX_SET_FS], "default");
	assert_true(p.has_source);
	sbx_policy_free(&p);
}

static void test_bad_addition_is_an_error_even_when_replaced(void **state)
{
	struct fx *f = *state;
	struct sbx_layer flags;

	ut_env_add(&f->env, "SANDBOXEC_ADD_FS=%s", "rxw:/tmp");
	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rx:%s", f->dir_a);
	fx_resolve_fails(f, &flags, "SANDBOXEC_ADD_FS entry 1: unknown filesystem rights \"rxw\"");
	sbx_layer_free(&flags);
	sbx_layer_init(&flags, "flags");
	sbx_layer_add_extra_rule(&flags, SBX_SET_NET, "c:70000", "--add-net");
	fx_resolve_fails(f, &flags, "--add-net: port \"70000\" in \"c:70000\" is above 65535");
	sbx_layer_free(&flags);
}

static void test_file_scalars_apply_when_env_sets_only_lists(void **state)
{
	struct fx *f = *state;
	char *cfg =
	    ut_write_file_in(f->root, "cfg.yaml",
			     "abi: 4\nignore-if-missing: true\nrestrict-scoped: yes\nmode: mcp\n");
	struct sbx_policy p;

	ut_env_add(&f->env, "SANDBOXEC_CONFIG=%s", cfg);
	ut_env_add(&f->env, "SANDBOXEC_FS=rx:%s", f->dir_a);
	fx_resolve_ok(f, NULL, &p);
	assert_int_equal(p.abi, 4);
	assert_true(p.ignore_if_missing);
	assert_true(p.restrict_scoped);
	assert_int_equal(p.mode, SBX_MODE_MCP);
	assert_string_equal(p.config_path, cfg);
	assert_int_equal(p.n_fs, 1);
	sbx_policy_free(&p);
	free(cfg);
}

/* --- which config file, or which error: one table ---
 * Each row writes its files, adds its environment entries and config
 * flags, resolves, and names the config file that applies (with the abi
 * and best-effort it sets) or the message resolution fails with. An "@"
 * in a path, an entry or a message stands for the fixture's root. */

struct resolve_row {
	const char *name;
	struct {
		const char *path, *content;
	} files[2];
	const char *env[2];
	const char *flag_config; /* --config PATH */
	const char *flag_named;	 /* --named-config NAME */
	const char *want_config;
	int want_abi;
	bool want_best_effort;
	const char *want_error;
};

static const struct resolve_row resolve_rows[] = {
    {
	.name = "test_config_named_in_flags_beats_envs",
	.files = {{"@/flag.yaml", "abi: 3\n"}, {"@/env.yaml", "abi: 5\n"}},
	.env = {"SANDBOXEC_CONFIG=@/env.yaml"},
	.flag_config = "@/flag.yaml",
	.want_config = "@/flag.yaml",
	.want_abi = 3,
    },
    {
	.name = "test_named_config_in_flags_beats_env_config_file",
	.files = {{"@/env.yaml", "abi: 5\n"}, {"@/profiles/mine.yml", "abi: 2\n"}},
	.env = {"SANDBOXEC_PROFILE_PATH=@/profiles", "SANDBOXEC_CONFIG=@/env.yaml"},
	.flag_named = "mine",
	.want_config = "@/profiles/mine.yml",
	.want_abi = 2,
    },
    {
	.name = "test_env_named_config_is_found_on_profile_path",
	.files = {{"@/profiles/languages/py.yaml", "best-effort: true\n"}},
	.env = {"SANDBOXEC_PROFILE_PATH=/nonexistent:@/profiles",
		"SANDBOXEC_NAMED_CONFIG=languages/py"},
	.want_config = "@/profiles/languages/py.yaml",
	.want_best_effort = true,
    },
    {
	.name = "test_config_and_named_config_in_flags_is_an_error",
	.files = {{"@/cfg.yaml", "abi: 1\n"}},
	.flag_config = "@/cfg.yaml",
	.flag_named = "whatever",
	.want_error = "--config and --named-config both name a config; give only one of them",
    },
    {
	.name = "test_config_and_named_config_in_env_is_an_error",
	.files = {{"@/cfg.yaml", "abi: 1\n"}},
	.env = {"SANDBOXEC_CONFIG=@/cfg.yaml", "SANDBOXEC_NAMED_CONFIG=whatever"},
	.want_error = "SANDBOXEC_CONFIG and SANDBOXEC_NAMED_CONFIG both name a config; give "
		      "only one of them",
    },
    /* The environment is inconsistent whatever the flags say; the shim
     * (no flags) rejects it, so the CLI must too. */
    {
	.name = "test_env_naming_both_is_an_error_even_when_flags_name_one",
	.files = {{"@/cfg.yaml", "abi: 1\n"}},
	.env = {"SANDBOXEC_CONFIG=@/cfg.yaml", "SANDBOXEC_NAMED_CONFIG=whatever"},
	.flag_config = "@/cfg.yaml",
	.want_error = "SANDBOXEC_CONFIG and SANDBOXEC_NAMED_CONFIG both name a config",
    },
    {
	.name = "test_config_that_does_not_exist_is_an_error",
	.env = {"SANDBOXEC_CONFIG=@/missing.yaml"},
	.want_error = "@/missing.yaml",
    },
    {
	.name = "test_config_that_is_a_directory_is_an_error",
	.env = {"SANDBOXEC_CONFIG=@/a"},
	.want_error = "@/a",
    },
    {
	.name = "test_unknown_named_config_is_an_error",
	.env = {"SANDBOXEC_PROFILE_PATH=@/profiles", "SANDBOXEC_NAMED_CONFIG=no/such"},
	.want_error = "SANDBOXEC_NAMED_CONFIG: unknown named config \"no/such\"",
    },
    {
	.name = "test_named_config_with_dotdot_is_an_error",
	.env = {"SANDBOXEC_NAMED_CONFIG=../etc/x"},
	.want_error = "contains \"..\"",
    },
    {
	.name = "test_user_config_in_home_dot_config",
	.files = {{"@/home/.config/sandboxec/sandboxec.yml", "abi: 2\n"}},
	.want_config = "@/home/.config/sandboxec/sandboxec.yml",
	.want_abi = 2,
    },
    {
	.name = "test_naming_a_config_skips_the_project_file",
	/* untrusted: it would be an error */
	.files = {{"@/work/.sandboxec.yaml", "abi: 2\n"}, {"@/cfg.yaml", "abi: 5\n"}},
	.env = {"SANDBOXEC_CONFIG=@/cfg.yaml"},
	.want_config = "@/cfg.yaml",
	.want_abi = 5,
    },
    {
	.name = "test_ignore_if_missing_does_not_hide_other_errors",
	.files = {{"@/plain", "x"}},
	/* ENOTDIR, not ENOENT */
	.env = {"SANDBOXEC_IGNORE_IF_MISSING=1", "SANDBOXEC_FS=rx:@/plain/child"},
	.want_error = "Not a directory; fix the rule",
    },
    {
	.name = "test_unset_variable_in_env_rule_is_an_error",
	.env = {"SANDBOXEC_FS=rw:$SBX_UNIT_UNSET/x"},
	.want_error = "SANDBOXEC_FS entry 1: variable $SBX_UNIT_UNSET",
    },
    {
	.name = "test_bad_environment_fails_resolution",
	.env = {"SANDBOXEC_NETT=c:443"},
	.want_error = "unknown variable SANDBOXEC_NETT",
    },
};

/* text with every "@" replaced by the fixture's root (caller frees). */
static char *fx_expand(const struct fx *f, const char *text)
{
	struct sbx_buf buf = {0};

	for (; *text; text++) {
		if (*text == '@')
			sbx_buf_puts(&buf, f->root);
		else
			sbx_buf_putc(&buf, *text);
	}
	return sbx_buf_steal(&buf);
}

static void test_resolve_row(void **state)
{
	struct fx *f = *state;
	const struct resolve_row *row = f->row;
	struct sbx_layer flags, *given = NULL;
	struct sbx_policy p;
	char *text;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(row->files) && row->files[i].path; i++) {
		text = fx_expand(f, row->files[i].path);
		ut_write_file_mkdirs(text, row->files[i].content);
		free(text);
	}
	for (i = 0; i < SBX_ARRAY_SIZE(row->env) && row->env[i]; i++) {
		text = fx_expand(f, row->env[i]);
		ut_env_add(&f->env, "%s", text);
		free(text);
	}
	sbx_layer_init(&flags, "flags");
	if (row->flag_config) {
		text = fx_expand(f, row->flag_config);
		sbx_layer_name_config(&flags, false, text, "--config");
		free(text);
		given = &flags;
	}
	if (row->flag_named) {
		sbx_layer_name_config(&flags, true, row->flag_named, "--named-config");
		given = &flags;
	}
	if (row->want_error) {
		text = fx_expand(f, row->want_error);
		fx_resolve_fails(f, given, text);
	} else {
		text = fx_expand(f, row->want_config);
		fx_resolve_ok(f, given, &p);
		assert_string_equal(p.config_path, text);
		assert_int_equal(p.abi, row->want_abi);
		assert_int_equal(p.best_effort, row->want_best_effort);
		sbx_policy_free(&p);
	}
	free(text);
	sbx_layer_free(&flags);
}

/* --- which config file: the cases that need more than the table --- */

static void test_user_config_in_xdg_config_home(void **state)
{
	struct fx *f = *state;
	char *dir = ut_join(f->xdg_config, "sandboxec");
	char *cfg = ut_join(dir, "sandboxec.yaml");
	struct sbx_policy p;

	ut_mkdir(dir);
	ut_write_file(cfg, "abi: 6\nfs:\n  - rx:sub\n");
	ut_mkdir("sub"); /* relative to the current directory, not the file's */
	fx_resolve_ok(f, NULL, &p);
	assert_string_equal(p.config_path, cfg);
	assert_int_equal(p.abi, 6);
	assert_true(p.has_source);
	assert_int_equal(p.n_fs, 1);
	assert_contains(p.fs[0].path, "/work/sub");
	sbx_policy_free(&p);
	free(cfg);
	free(dir);
}

/* A place that is not a directory holds no config: the search moves on to
 * the next place (it looks at the directory before the two names). */
static void test_user_config_place_that_is_a_file_is_skipped(void **state)
{
	struct fx *f = *state;
	char *not_a_dir = ut_join(f->xdg_config, "sandboxec");
	char *dot_config = ut_join(f->home, ".config");
	char *dir = ut_join(dot_config, "sandboxec");
	char *cfg = ut_join(dir, "sandboxec.yml");
	struct sbx_policy p;

	ut_write_file(not_a_dir, "abi: 9\n");
	ut_mkdir(dot_config);
	ut_mkdir(dir);
	ut_write_file(cfg, "abi: 3\n");
	fx_resolve_ok(f, NULL, &p);
	assert_string_equal(p.config_path, cfg);
	assert_int_equal(p.abi, 3);
	sbx_policy_free(&p);
	free(cfg);
	free(dir);
	free(dot_config);
	free(not_a_dir);
}

static void test_trusted_project_file_beats_user_config(void **state)
{
	struct fx *f = *state;
	char *user_dir = ut_join(f->xdg_config, "sandboxec");
	char *user_cfg = ut_join(user_dir, "sandboxec.yaml");
	char *project = ut_join(f->work, ".sandboxec.yaml");
	char *sub = ut_join(f->work, "deeper");
	char *bin = ut_join(f->work, "bin");
	struct sbx_policy p;

	ut_mkdir(user_dir);
	ut_write_file(user_cfg, "abi: 6\n");
	ut_write_file(project, "abi: 2\nfs:\n  - rx:bin\n");
	ut_mkdir(bin);
	ut_mkdir(sub);
	/* Searched upward from a subdirectory; rule paths relative to the file. */
	assert_int_equal(chdir(sub), 0);
	ut_env_add(&f->env, "SANDBOXEC_TRUST_PROJECT=%s", "1");
	fx_resolve_ok(f, NULL, &p);
	assert_non_null(p.config_path);
	assert_contains(p.config_path, "/work/.sandboxec.yaml");
	assert_int_equal(p.abi, 2);
	assert_int_equal(p.n_fs, 1);
	assert_contains(p.fs[0].path, "/work/bin");
	assert_not_contains(p.fs[0].path, "deeper");
	sbx_policy_free(&p);
	free(bin);
	free(sub);
	free(project);
	free(user_cfg);
	free(user_dir);
}

static void test_untrusted_project_file_is_an_error_not_a_fallthrough(void **state)
{
	struct fx *f = *state;
	char *user_dir = ut_join(f->xdg_config, "sandboxec");
	char *user_cfg = ut_join(user_dir, "sandboxec.yaml");
	char *project = ut_join(f->work, ".sandboxec.yml");

	ut_mkdir(user_dir);
	ut_write_file(user_cfg, "abi: 6\n");
	ut_write_file(project, "abi: 2\n");
	fx_resolve_fails(f, NULL, "is not trusted");
	fx_resolve_fails(f, NULL, "sandboxec --mode trust");
	free(project);
	free(user_cfg);
	free(user_dir);
}

static void test_project_file_recorded_in_trust_store_is_used(void **state)
{
	struct fx *f = *state;
	static const char content[] = "abi: 3\n";
	char *project = ut_join(f->work, ".sandboxec.yaml");
	char *real;
	struct sbx_error err = {{0}};
	struct sbx_policy p;

	ut_write_file(project, content);
	real = realpath(project, NULL);
	assert_non_null(real);
	assert_int_equal(sbx_trust_record(f->env.entry, real, content, strlen(content), &err), 0);
	fx_resolve_ok(f, NULL, &p);
	assert_int_equal(p.abi, 3);
	sbx_policy_free(&p);
	/* An edit revokes the trust. */
	ut_write_file(project, "abi: 4\n");
	fx_resolve_fails(f, NULL, "is not trusted");
	free(real);
	free(project);
}

/* --- rules: parsing errors, missing paths, the implicit rule --- */

static void test_missing_path_is_an_error(void **state)
{
	struct fx *f = *state;
	char *missing = ut_join(f->root, "missing");
	char *want = NULL;
	struct sbx_layer flags;

	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rx:%s", missing);
	assert_true(asprintf(&want,
			     "--fs: %s: No such file or directory; create it, fix the rule, "
			     "or pass --ignore-if-missing",
			     missing) > 0);
	fx_resolve_fails(f, &flags, want);
	sbx_layer_free(&flags);
	free(want);
	free(missing);
}

static void test_ignore_if_missing_skips_and_reports_the_rule(void **state)
{
	struct fx *f = *state;
	char *missing = ut_join(f->root, "missing");
	struct sbx_policy p;
	char *list = NULL;

	assert_true(asprintf(&list, "rx:%s,rw:%s", missing, f->dir_a) > 0);
	ut_env_add(&f->env, "SANDBOXEC_IGNORE_IF_MISSING=%s", "1");
	ut_env_add(&f->env, "SANDBOXEC_FS=%s", list);
	free(list);
	fx_resolve_ok(f, NULL, &p);
	assert_true(p.ignore_if_missing);
	assert_int_equal(p.n_fs, 1);
	assert_string_equal(p.fs[0].path, f->dir_a);
	assert_int_equal(p.n_skipped, 1);
	assert_string_equal(p.skipped[0].path, missing);
	assert_string_equal(p.skipped[0].origin, "SANDBOXEC_FS entry 1");
	assert_string_equal(p.skipped[0].rights, "rx");
	sbx_policy_free(&p);
	free(missing);
}

static void test_bad_rules_are_errors_naming_where_they_were_written(void **state)
{
	struct fx *f = *state;
	char *cfg = ut_write_file_in(f->root, "cfg.yaml", "fs:\n  - rx:/usr\n  - rxw:/tmp\n");
	char *want = NULL;
	struct sbx_layer flags;

	assert_true(asprintf(&want, "%s:3:5: unknown filesystem rights \"rxw\"", cfg) > 0);
	sbx_layer_init(&flags, "flags");
	sbx_layer_name_config(&flags, false, cfg, "--config");
	fx_resolve_fails(f, &flags, want);
	sbx_layer_free(&flags);
	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_NET, "%s", "c:70000");
	fx_resolve_fails(f, &flags, "--net: port \"70000\" in \"c:70000\" is above 65535");
	sbx_layer_free(&flags);
	free(want);
	free(cfg);
}

static void test_bad_rule_in_a_replaced_layer_is_still_an_error(void **state)
{
	struct fx *f = *state;
	char *cfg =
	    ut_write_file_in(f->root, "cfg.yaml", "fs:\n  - rx:/usr\n  - rxw:/tmp\nnet: [c:1]\n");
	char *want = NULL;
	struct sbx_layer flags;

	/* The env's fs list replaces the file's, but the file's typo is
	 * reported all the same. */
	assert_true(asprintf(&want, "%s:3:5: unknown filesystem rights \"rxw\"", cfg) > 0);
	ut_env_add(&f->env, "SANDBOXEC_CONFIG=%s", cfg);
	ut_env_add(&f->env, "SANDBOXEC_FS=rx:%s", f->dir_a);
	fx_resolve_fails(f, NULL, want);
	/* Likewise a bad net rule in the environment under a flag's list. */
	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rx:%s", f->dir_a);
	flag_rule(&flags, SBX_SET_NET, "%s", "c:443");
	ut_env_add(&f->env, "SANDBOXEC_NET=%s", "c:http");
	fx_resolve_fails(f, &flags,
			 "SANDBOXEC_NET entry 1: port \"http\" in \"c:http\" is not a "
			 "number");
	sbx_layer_free(&flags);
	free(want);
	free(cfg);
}

static void test_replaced_layer_is_not_expanded_or_checked_for_existence(void **state)
{
	struct fx *f = *state;
	struct sbx_layer flags;
	struct sbx_policy p;

	/* Only syntax is checked in a list that does not apply. */
	ut_env_add(&f->env, "SANDBOXEC_FS=%s", "rx:$SBX_UNIT_UNSET,rw:/nonexistent/sbx-unit");
	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rx:%s", f->dir_a);
	fx_resolve_ok(f, &flags, &p);
	assert_int_equal(p.n_fs, 1);
	assert_string_equal(p.fs[0].path, f->dir_a);
	sbx_policy_free(&p);
	sbx_layer_free(&flags);
}

static void test_complete_stronger_layers_skip_the_project_file(void **state)
{
	struct fx *f = *state;
	char *project = ut_join(f->work, ".sandboxec.yaml");
	struct sbx_policy p;

	ut_write_file(project, "abi: 2\n"); /* untrusted: would be an error */
	ut_env_add(&f->env, "SANDBOXEC_FS=rx:%s", f->dir_a);
	ut_env_add(&f->env, "SANDBOXEC_NET=%s", "");
	ut_env_add(&f->env, "SANDBOXEC_ABI=%s", "0");
	ut_env_add(&f->env, "SANDBOXEC_BEST_EFFORT=%s", "0");
	ut_env_add(&f->env, "SANDBOXEC_IGNORE_IF_MISSING=%s", "0");
	ut_env_add(&f->env, "SANDBOXEC_RESTRICT_SCOPED=%s", "0");
	ut_env_add(&f->env, "SANDBOXEC_ALLOW_UDP=%s", "0");
	ut_env_add(&f->env, "SANDBOXEC_RESTRICT_UNIX=%s", "1");
	ut_env_add(&f->env, "SANDBOXEC_UNSAFE_HOST_RUNTIME=%s", "0");
	ut_env_add(&f->env, "SANDBOXEC_LOG_DENIALS=%s", "0");
	fx_resolve_ok(f, NULL, &p);
	assert_true(p.restrict_unix);
	assert_false(p.allow_udp);
	assert_null(p.config_path);
	assert_int_equal(p.n_fs, 1);
	sbx_policy_free(&p);
	/* One setting fewer, and the project file is looked for again. */
	ut_env_drop_last(&f->env);
	fx_resolve_fails(f, NULL, "is not trusted");
	free(project);
}

static void test_rule_variables_come_from_the_given_envp(void **state)
{
	struct fx *f = *state;
	char *want = ut_join(f->home, "proj");
	struct sbx_policy p;

	ut_mkdir(want);
	ut_env_add(&f->env, "MYDIR=%s", want);
	ut_env_add(&f->env, "SANDBOXEC_FS=%s", "rx:$MYDIR,rx:~/proj,rx:${HOME}/proj");
	fx_resolve_ok(f, NULL, &p);
	assert_int_equal(p.n_fs, 3);
	assert_string_equal(p.fs[0].path, want);
	assert_string_equal(p.fs[1].path, want);
	assert_string_equal(p.fs[2].path, want);
	sbx_policy_free(&p);
	free(want);
}

static void test_rules_carry_the_tables_access(void **state)
{
	struct fx *f = *state;
	struct sbx_policy p;

	ut_env_add(&f->env, "SANDBOXEC_FS=read_write_exec:%s", f->dir_a);
	ut_env_add(&f->env, "SANDBOXEC_NET=%s", "CB:22");
	fx_resolve_ok(f, NULL, &p);
	assert_string_equal(p.fs[0].rights, "rwx");
	assert_true(p.fs[0].access ==
		    sbx_right_find(sbx_fs_rights, sbx_fs_rights_count, "rwx", 3)->access);
	assert_string_equal(p.net[0].rights, "bc");
	assert_true(p.net[0].access == (SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP));
	sbx_policy_free(&p);
}

static void test_implicit_shim_rule_is_added_last(void **state)
{
	struct fx *f = *state;
	struct sbx_layer flags;
	struct sbx_policy p;
	struct sbx_error err = {{0}};

	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rx:%s", f->dir_a);
	assert_int_equal(fx_resolve(f, &flags, "/opt/sbx/lib/libsandboxec.so", &p, &err), 0);
	assert_int_equal(p.n_fs, 2);
	assert_int_equal(p.fs[0].kind, SBX_RULE_USER);
	assert_int_equal(p.fs[1].kind, SBX_RULE_IMPLICIT);
	assert_string_equal(p.fs[1].path, "/opt/sbx/lib/libsandboxec.so");
	assert_true(p.fs[1].access == SBX_LL_FS_READ_FILE);
	assert_string_equal(p.fs[1].rights, "r");
	assert_string_equal(p.fs[1].origin, "implicit: the sandboxec shim");
	sbx_policy_free(&p);
	sbx_layer_free(&flags);
}

static void test_implicit_shim_rule_is_added_even_with_no_rules(void **state)
{
	struct fx *f = *state;
	struct sbx_policy p;
	struct sbx_error err = {{0}};

	ut_env_add(&f->env, "SANDBOXEC_FS=%s", "");
	assert_int_equal(fx_resolve(f, NULL, "/l/libsandboxec.so", &p, &err), 0);
	assert_int_equal(p.n_fs, 1);
	assert_int_equal(p.fs[0].kind, SBX_RULE_IMPLICIT);
	sbx_policy_free(&p);
	/* Without a shim path there is nothing implicit. */
	fx_resolve_ok(f, NULL, &p);
	assert_int_equal(p.n_fs, 0);
	sbx_policy_free(&p);
}

static void test_resolve_rules_directly(void **state)
{
	struct fx *f = *state;
	struct sbx_layer layer;
	struct sbx_resolve_input in = {NULL, f->env.entry, NULL, "/x/libsandboxec.so", false};
	struct sbx_policy p = {0};
	struct sbx_error err = {{0}};

	sbx_layer_init(&layer, "test");
	sbx_layer_add_rule(&layer, SBX_SET_FS, "r:sub", "t:1", f->root);
	ut_mkdir("../sub");
	sbx_layer_add_rule(&layer, SBX_SET_NET, "b:0", "t:2", NULL);
	assert_int_equal(sbx_resolve_rules(&in, &layer.fs, &layer.net, &p, &err), 0);
	assert_int_equal(p.n_fs, 2);
	assert_contains(p.fs[0].path, "/sub");
	assert_string_equal(p.fs[0].origin, "t:1");
	assert_int_equal(p.n_net, 1);
	assert_int_equal(p.net[0].port, 0);
	sbx_policy_free(&p);
	sbx_layer_free(&layer);
}

/* --- one path walk per rule: the descriptor resolving opened --- */

/* Resolves `n` rules on the directories a, b, c in turn. */
static void resolve_many(struct fx *f, size_t n, struct sbx_policy *p)
{
	const char *dirs[] = {f->dir_a, f->dir_b, f->dir_c};
	struct sbx_resolve_input in = {NULL, f->env.entry, NULL, NULL, false};
	struct sbx_error err = {{0}};
	struct sbx_layer layer;
	size_t i;

	sbx_layer_init(&layer, "test");
	for (i = 0; i < n; i++) {
		char *text;

		assert_true(asprintf(&text, "r:%s", dirs[i % 3]) > 0);
		sbx_layer_add_rule(&layer, SBX_SET_FS, text, "t", NULL);
		free(text);
	}
	if (sbx_resolve_rules(&in, &layer.fs, NULL, p, &err) < 0)
		fail_msg("%s", err.msg);
	sbx_layer_free(&layer);
}

static void test_resolving_holds_the_descriptor_applying_uses(void **state)
{
	struct fx *f = *state;
	struct sbx_policy p = {0};
	struct stat by_path, by_fd;
	int fd;

	resolve_many(f, 3, &p);
	assert_int_equal(p.n_fs, 3);
	assert_true(p.fs[1].held_fd >= 0);
	fd = p.fs[1].held_fd;
	assert_int_equal(stat(f->dir_b, &by_path), 0);
	assert_int_equal(fstat(fd, &by_fd), 0);
	assert_true(by_path.st_ino == by_fd.st_ino && by_path.st_dev == by_fd.st_dev);
	assert_true(fcntl(fd, F_GETFL) & O_PATH);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(p.fs[1].stat_mode & S_IFMT, S_IFDIR);
	sbx_policy_close_held(&p);
	assert_int_equal(p.fs[1].held_fd, -1);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	sbx_policy_free(&p);
}

/* Far more rules than the soft RLIMIT_NOFILE allows descriptors: every
 * rule still resolves; only those below the ceiling hold one, and the
 * table keeps room for the rest of the load. */
static void test_rules_past_the_descriptor_limit_resolve_without_one(void **state)
{
	struct fx *f = *state;
	struct sbx_policy p = {0};
	struct rlimit old, low;
	size_t i, held = 0;
	int probe;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = 128;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	resolve_many(f, 500, &p);
	assert_int_equal(p.n_fs, 500);
	for (i = 0; i < p.n_fs; i++) {
		assert_int_equal(p.fs[i].stat_mode & S_IFMT, S_IFDIR);
		if (p.fs[i].held_fd >= 0) {
			assert_true(p.fs[i].held_fd < 128 - 64);
			held++;
		}
	}
	assert_true(held > 0 && held < 128 - 64);
	probe = open("/", O_PATH | O_CLOEXEC);
	assert_true(probe >= 0);
	close(probe);
	sbx_policy_free(&p);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
}

/* --- telling a directory by the open, not by fstat() --- */

/* Resolves one flag rule and checks what the policy holds for it: the
 * type applying masks the rights by, and a held descriptor of what the
 * path leads to (want, links followed). */
static void expect_typed_rule(struct fx *f, const char *path, const char *want, bool is_dir)
{
	struct sbx_layer flags;
	struct sbx_policy p;
	struct stat by_path, by_fd;

	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rw:%s", path);
	fx_resolve_ok(f, &flags, &p);
	assert_int_equal(p.n_fs, 1);
	assert_string_equal(p.fs[0].path, path);
	assert_int_equal(S_ISDIR(p.fs[0].stat_mode), is_dir);
	assert_int_not_equal(p.fs[0].stat_mode, 0);
	assert_true(p.fs[0].held_fd >= 0);
	assert_int_equal(stat(want, &by_path), 0);
	assert_int_equal(fstat(p.fs[0].held_fd, &by_fd), 0);
	assert_true(by_path.st_ino == by_fd.st_ino && by_path.st_dev == by_fd.st_dev);
	assert_true(fcntl(p.fs[0].held_fd, F_GETFL) & O_PATH);
	assert_true(fcntl(p.fs[0].held_fd, F_GETFD) & FD_CLOEXEC);
	sbx_policy_free(&p);
	sbx_layer_free(&flags);
}

static void test_rule_types_come_from_the_open(void **state)
{
	struct fx *f = *state;
	char *file = ut_write_file_in(f->root, "file", "x");
	char *to_file = ut_join(f->root, "to-file");
	char *to_dir = ut_join(f->root, "to-dir");
	char *trailing = NULL;

	assert_int_equal(symlink(file, to_file), 0);
	assert_int_equal(symlink(f->dir_a, to_dir), 0);
	expect_typed_rule(f, f->dir_a, f->dir_a, true);
	expect_typed_rule(f, file, file, false);
	expect_typed_rule(f, to_dir, f->dir_a, true);
	expect_typed_rule(f, to_file, file, false);
	assert_true(asprintf(&trailing, "%s/", f->dir_b) > 0);
	expect_typed_rule(f, trailing, f->dir_b, true);
	free(trailing);
	free(to_dir);
	free(to_file);
	free(file);
}

/* A path that goes on below a file, or ends in "/" after one, fails as
 * the single open did: the second open tells it from a file. */
static void test_a_path_through_a_file_is_not_a_directory(void **state)
{
	struct fx *f = *state;
	char *file = ut_write_file_in(f->root, "file", "x");
	const char *const tails[] = {"/below", "/"};
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(tails); i++) {
		struct sbx_layer flags;
		char *want = NULL;

		sbx_layer_init(&flags, "flags");
		flag_rule(&flags, SBX_SET_FS, "r:%s%s", file, tails[i]);
		assert_true(asprintf(&want, "--fs: %s%s: Not a directory; fix the rule", file,
				     tails[i]) > 0);
		fx_resolve_fails(f, &flags, want);
		free(want);
		sbx_layer_free(&flags);
	}
	free(file);
}

/* A rule that follows a variable still gets its target's identity: a
 * link to the home directory, or to / through a second link, is refused;
 * the same link without a variable is an ordinary rule, and a followed
 * variable naming a link to a file is not a directory to check. */
static void test_a_followed_variable_still_checks_its_target(void **state)
{
	struct fx *f = *state;
	char *to_home = ut_join(f->root, "to-home");
	char *to_root = ut_join(f->root, "to-root");
	char *to_to_root = ut_join(f->root, "to-to-root");
	char *file = ut_write_file_in(f->root, "file", "x");
	char *to_file = ut_join(f->root, "to-file");
	char *want = NULL;
	struct sbx_layer flags;
	struct sbx_policy p;

	assert_int_equal(symlink(f->home, to_home), 0);
	assert_int_equal(symlink("/", to_root), 0);
	assert_int_equal(symlink(to_root, to_to_root), 0);
	assert_int_equal(symlink(file, to_file), 0);
	ut_env_add(&f->env, "LINKED=%s", to_home);
	ut_env_add(&f->env, "ROOTED=%s", to_to_root);
	ut_env_add(&f->env, "FILED=%s", to_file);

	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rw:${LINKED:-%s}", f->dir_a);
	assert_true(asprintf(&want, "--fs: %s is your home directory or above it (through a link)",
			     to_home) > 0);
	fx_resolve_fails(f, &flags, want);
	free(want);
	sbx_layer_free(&flags);

	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rw:${ROOTED:-%s}", f->dir_a);
	assert_true(asprintf(&want, "--fs: %s is / (through a link)", to_to_root) > 0);
	fx_resolve_fails(f, &flags, want);
	free(want);
	sbx_layer_free(&flags);

	sbx_layer_init(&flags, "flags");
	flag_rule(&flags, SBX_SET_FS, "rw:%s", to_home);
	flag_rule(&flags, SBX_SET_FS, "rw:${FILED:-%s}", f->dir_a);
	fx_resolve_ok(f, &flags, &p);
	assert_int_equal(p.n_fs, 2);
	assert_true(S_ISDIR(p.fs[0].stat_mode));
	assert_false(S_ISDIR(p.fs[1].stat_mode));
	assert_string_equal(p.fs[1].path, to_file);
	sbx_policy_free(&p);
	sbx_layer_free(&flags);
	free(to_file);
	free(file);
	free(to_to_root);
	free(to_root);
	free(to_home);
}

/* --- the host runtime: what --unsafe-host-runtime adds --- */

static void test_host_runtime_rules_are_marked_and_never_write(void **state)
{
	struct fx *f = *state;
	char *path, *link = ut_join(f->dir_b, "true"), *real_b = realpath(f->dir_b, NULL);
	char *cache = realpath("/etc/ld.so.cache", NULL);
	struct sbx_policy p;
	bool saw_dir = false, saw_cache = false, saw_libc = false;
	size_t i;

	assert_int_equal(symlink("/bin/true", link), 0);
	assert_true(asprintf(&path, "%s:.::relative", f->dir_b) > 0);
	ut_env_set(&f->env, "PATH", path);
	ut_env_add(&f->env, "SANDBOXEC_UNSAFE_HOST_RUNTIME=%s", "1");
	ut_env_add(&f->env, "SANDBOXEC_FS=rx:%s", f->dir_a);
	fx_resolve_ok(f, NULL, &p);
	assert_true(p.unsafe_host_runtime);
	assert_int_equal(p.fs[0].kind, SBX_RULE_USER);
	assert_true(p.n_fs > 3);
	for (i = 1; i < p.n_fs; i++) {
		const struct sbx_fs_rule *r = &p.fs[i];

		assert_int_equal(r->kind, SBX_RULE_HOST_RUNTIME);
		assert_contains(r->origin, "host runtime: ");
		assert_true((r->access &
			     ~(SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR | SBX_LL_FS_EXECUTE)) == 0);
		/* The current directory ("." and the empty element) is never
		 * granted, nor anything relative. */
		assert_true(strcmp(r->path, f->work) != 0);
		assert_true(r->path[0] == '/');
		if (strcmp(r->path, real_b) == 0) {
			saw_dir = true;
			assert_string_equal(r->rights, "rx");
			assert_string_equal(r->origin, "host runtime: PATH directory");
		}
		if (cache && strcmp(r->path, cache) == 0) {
			saw_cache = true;
			assert_string_equal(r->rights, "r");
			assert_false(r->access & SBX_LL_FS_EXECUTE);
		}
		if (strstr(r->path, "/libc.so.6")) {
			saw_libc = true;
			assert_string_equal(r->rights, "rx");
			assert_string_equal(r->origin, "host runtime: shared library");
		}
	}
	assert_true(saw_dir);
	assert_true(saw_cache || !cache);
	assert_true(saw_libc);
	sbx_policy_free(&p);
	free(cache);
	free(real_b);
	free(path);
	free(link);
}

/* docs/host-runtime.md "Writable trees": a $PATH directory the policy's
 * own rw rule covers is not granted, and the policy says so; an r rule
 * changes nothing. */
static void test_host_runtime_skips_what_a_writable_rule_covers(void **state)
{
	struct fx *f = *state;
	char *bin = ut_mkdir_in(f->dir_b, "bin"), *path;
	char *real_bin = realpath(bin, NULL), *real_b = realpath(f->dir_b, NULL);
	struct sbx_policy p;
	size_t i;

	assert_true(asprintf(&path, "%s:/usr/bin", bin) > 0);
	ut_env_set(&f->env, "PATH", path);
	ut_env_add(&f->env, "SANDBOXEC_UNSAFE_HOST_RUNTIME=%s", "1");
	ut_env_add(&f->env, "SANDBOXEC_FS=rw:%s", f->dir_b);
	fx_resolve_ok(f, NULL, &p);
	for (i = 0; i < p.n_fs; i++)
		assert_true(strcmp(p.fs[i].path, real_bin) != 0);
	assert_int_equal(p.n_hostrt_refused, 1);
	assert_contains(p.hostrt_refused[0], "host runtime: not granted: ");
	assert_contains(p.hostrt_refused[0], bin);
	assert_contains(p.hostrt_refused[0], real_b);
	sbx_policy_free(&p);
	free(path);
	assert_true(asprintf(&path, "r:%s", f->dir_b) > 0);
	ut_env_set(&f->env, "SANDBOXEC_FS", path);
	fx_resolve_ok(f, NULL, &p);
	assert_int_equal(p.n_hostrt_refused, 0);
	for (i = 0; i < p.n_fs && strcmp(p.fs[i].path, real_bin) != 0; i++)
		;
	assert_true(i < p.n_fs);
	sbx_policy_free(&p);
	free(real_b);
	free(real_bin);
	free(path);
	free(bin);
}

static void test_host_runtime_off_adds_nothing(void **state)
{
	struct fx *f = *state;
	struct sbx_policy p;

	ut_env_add(&f->env, "SANDBOXEC_FS=rx:%s", f->dir_a);
	fx_resolve_ok(f, NULL, &p);
	assert_false(p.unsafe_host_runtime);
	assert_int_equal(p.n_fs, 1);
	sbx_policy_free(&p);
}

/* --- environment errors and flags --- */

static void test_env_policy_is_a_source_and_verbose_is_passed(void **state)
{
	struct fx *f = *state;
	struct sbx_policy p;

	ut_env_add(&f->env, "SANDBOXEC_VERBOSE=%s", "1");
	fx_resolve_ok(f, NULL, &p);
	assert_false(p.has_source); /* verbose alone describes no policy */
	assert_true(p.verbose);
	sbx_policy_free(&p);
	ut_env_add(&f->env, "SANDBOXEC_FS=%s", "");
	fx_resolve_ok(f, NULL, &p);
	assert_true(p.has_source);
	sbx_policy_free(&p);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	static const struct CMUnitTest singles[] = {
	    T(test_defaults_when_nothing_is_given),
	    T(test_resolving_holds_the_descriptor_applying_uses),
	    T(test_rules_past_the_descriptor_limit_resolve_without_one),
	    T(test_rule_types_come_from_the_open),
	    T(test_a_path_through_a_file_is_not_a_directory),
	    T(test_a_followed_variable_still_checks_its_target),
	    T(test_empty_flags_layer_is_no_source),
	    T(test_list_precedence_matrix_fs),
	    T(test_list_precedence_matrix_net),
	    T(test_lists_resolve_independently),
	    T(test_empty_env_fs_replaces_the_files_list),
	    T(test_empty_file_list_replaces_nothing_weaker),
	    T(test_repeated_flags_append),
	    T(test_additions_add_to_the_files_list),
	    T(test_a_stronger_list_replaces_weaker_additions),
	    T(test_additions_alone_are_the_list),
	    T(test_bad_addition_is_an_error_even_when_replaced),
	    T(test_file_scalars_apply_when_env_sets_only_lists),
	    T(test_user_config_in_xdg_config_home),
	    T(test_user_config_place_that_is_a_file_is_skipped),
	    T(test_trusted_project_file_beats_user_config),
	    T(test_untrusted_project_file_is_an_error_not_a_fallthrough),
	    T(test_project_file_recorded_in_trust_store_is_used),
	    T(test_missing_path_is_an_error),
	    T(test_ignore_if_missing_skips_and_reports_the_rule),
	    T(test_bad_rules_are_errors_naming_where_they_were_written),
	    T(test_bad_rule_in_a_replaced_layer_is_still_an_error),
	    T(test_replaced_layer_is_not_expanded_or_checked_for_existence),
	    T(test_complete_stronger_layers_skip_the_project_file),
	    T(test_rule_variables_come_from_the_given_envp),
	    T(test_rules_carry_the_tables_access),
	    T(test_implicit_shim_rule_is_added_last),
	    T(test_implicit_shim_rule_is_added_even_with_no_rules),
	    T(test_resolve_rules_directly),
	    T(test_host_runtime_rules_are_marked_and_never_write),
	    T(test_host_runtime_skips_what_a_writable_rule_covers),
	    T(test_host_runtime_off_adds_nothing),
	    T(test_env_policy_is_a_source_and_verbose_is_passed),
	};
#undef T
	struct ut_suite suite = {0};

	UT_SUITE_ADD_TESTS(&suite, singles);
	UT_SUITE_ADD_ROWS(&suite, test_scalar_row, setup, teardown, scalar_rows);
	UT_SUITE_ADD_ROWS(&suite, test_resolve_row, setup, teardown, resolve_rows);
	return ut_suite_run(&suite, "resolve");
}
