/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for early_ruleset.c and its use by sbx_plan_apply: a policy
 * resolved with an early ruleset holds no descriptor, applies the same
 * layer as one without, and a rule in it that lies below a writable tree,
 * or an early ruleset another plan would not build, is added afresh as
 * before. Every test runs in a fresh temporary tree with HOME inside it
 * (no user or project config is found); applying runs only in a fork()ed
 * child, so the test process is never confined. Skipped without Landlock. */
#include "unit_helpers.h"

#include <errno.h>
#include <sys/wait.h>

#include "engine/config_find.h"
#include "engine/landlock_plan.h"
#include "engine/resolve.h"

struct fx {
	char *root, *home, *work;
	char *allowed, *denied, *allowed_file, *denied_file;
	char *old_cwd;
	struct ut_env env;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->root = ut_mkdtemp();
	f->home = ut_mkdir_in(f->root, "home");
	f->work = ut_mkdir_in(f->root, "work");
	f->allowed = ut_mkdir_in(f->root, "allowed");
	f->denied = ut_mkdir_in(f->root, "denied");
	f->allowed_file = ut_write_file_in(f->allowed, "f", "a");
	f->denied_file = ut_write_file_in(f->denied, "f", "d");
	f->old_cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(f->work), 0);
	ut_env_add(&f->env, "HOME=%s", f->home);
	ut_env_add(&f->env, "XDG_CONFIG_HOME=%s/config", f->root);
	ut_env_add(&f->env, "XDG_DATA_HOME=%s/data", f->root);
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
	free(f->work);
	free(f->allowed);
	free(f->denied);
	free(f->allowed_file);
	free(f->denied_file);
	ut_rmtree(f->root);
	free(f);
	return 0;
}

/* The policy of `--fs RULE...`, resolved with or without an early ruleset. */
static int resolve_rules(struct fx *f, bool early, const char *const *rules, size_t n,
			 struct sbx_policy *out, struct sbx_error *err)
{
	struct sbx_layer flags;
	struct sbx_resolve_input in = {&flags, f->env.entry, NULL, NULL, early};
	size_t i;
	int ret;

	sbx_layer_init(&flags, "flags");
	for (i = 0; i < n; i++)
		sbx_layer_add_rule(&flags, SBX_SET_FS, rules[i], "--fs", NULL);
	ret = sbx_resolve(&in, out, err);
	sbx_layer_free(&flags);
	return ret;
}

static void skip_without_landlock(void)
{
	if (sbx_kernel_abi(NULL) <= 0)
		skip();
}

/* In a child: resolve, plan at kernel_abi (0: the kernel's), maybe drop
 * the early ruleset, apply, then read what was granted and what was not.
 * Returns the child's status: 0, or where it failed. */
static int apply_in_child(struct fx *f, bool early, int kernel_abi, const char *const *rules,
			  size_t n, const char *want_error)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct sbx_policy p;
		struct sbx_plan plan;
		struct sbx_error err = {{0}};
		int fd;

		if (resolve_rules(f, early, rules, n, &p, &err) < 0)
			_exit(10);
		if (early != p.early.open)
			_exit(11);
		if (sbx_plan_build(&p, kernel_abi ? kernel_abi : sbx_kernel_abi(NULL), NULL, &plan,
				   &err) < 0)
			_exit(12);
		if (sbx_plan_apply(&plan, &err) < 0)
			_exit(want_error && strstr(err.msg, want_error) ? 0 : 13);
		if (want_error)
			_exit(14);
		fd = open(f->allowed_file, O_RDONLY);
		if (fd < 0)
			_exit(15);
		close(fd);
		fd = open(f->denied_file, O_RDONLY);
		if (fd >= 0 || errno != EACCES)
			_exit(16);
		/* Writing where only rx was granted is denied too. */
		fd = open(f->allowed_file, O_WRONLY);
		if (fd >= 0 || errno != EACCES)
			_exit(17);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_early_ruleset_takes_each_rule_and_holds_no_descriptor(void **state)
{
	struct fx *f = *state;
	char *rules[2];
	struct sbx_policy early, held;
	struct sbx_error err = {{0}};
	size_t i;

	skip_without_landlock();
	rules[0] = sbx_xasprintf("rx:%s", f->allowed);
	rules[1] = sbx_xasprintf("r:%s", f->allowed_file);
	assert_int_equal(resolve_rules(f, true, (const char *const *)rules, 2, &early, &err), 0);
	assert_int_equal(resolve_rules(f, false, (const char *const *)rules, 2, &held, &err), 0);
	assert_true(early.early.open);
	assert_false(held.early.open);
	assert_int_equal(early.n_fs, 2);
	for (i = 0; i < early.n_fs; i++) {
		assert_true(early.fs[i].in_early_ruleset);
		assert_int_equal(early.fs[i].held_fd, -1);
		assert_int_equal(early.fs[i].stat_mode, held.fs[i].stat_mode);
		assert_false(held.fs[i].in_early_ruleset);
		assert_true(held.fs[i].held_fd >= 0);
	}
	/* Closing what resolving holds closes the early ruleset too. */
	sbx_policy_close_held(&early);
	assert_false(early.early.open);
	sbx_policy_free(&early);
	sbx_policy_free(&held);
	free(rules[0]);
	free(rules[1]);
}

static void test_applied_early_ruleset_allows_and_denies_as_without(void **state)
{
	struct fx *f = *state;
	char *rule;

	skip_without_landlock();
	rule = sbx_xasprintf("rx:%s", f->allowed);
	assert_int_equal(apply_in_child(f, true, 0, (const char *const *)&rule, 1, NULL), 0);
	assert_int_equal(apply_in_child(f, false, 0, (const char *const *)&rule, 1, NULL), 0);
	free(rule);
}

/* Planned for another ABI than the early ruleset was: its handled sets
 * differ, so applying builds its own and opens the rule's path again. */
static void test_early_ruleset_another_plan_would_not_build_is_not_used(void **state)
{
	struct fx *f = *state;
	int kernel = sbx_kernel_abi(NULL);
	char *rule;

	skip_without_landlock();
	if (kernel < 2)
		skip();
	rule = sbx_xasprintf("rx:%s", f->allowed);
	assert_int_equal(apply_in_child(f, true, kernel - 1, (const char *const *)&rule, 1, NULL),
			 0);
	free(rule);
}

/* rw:DIR and r:DIR/link, the link pointing outside: resolving follows it
 * into the early ruleset, but a rule below a writable tree is opened
 * afresh without following links, and refused, as without one. */
static void test_early_rule_below_a_writable_tree_is_refused_through_its_link(void **state)
{
	struct fx *f = *state;
	char *link = ut_join(f->allowed, "link");
	char *rules[2];
	int early;

	skip_without_landlock();
	assert_int_equal(symlink(f->denied, link), 0);
	rules[0] = sbx_xasprintf("rw:%s", f->allowed);
	rules[1] = sbx_xasprintf("r:%s", link);
	for (early = 0; early < 2; early++)
		assert_int_equal(apply_in_child(f, early, 0, (const char *const *)rules, 2,
						"is reached through a symlink inside rw:"),
				 0);
	free(rules[0]);
	free(rules[1]);
	free(link);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_early_ruleset_takes_each_rule_and_holds_no_descriptor),
	    T(test_applied_early_ruleset_allows_and_denies_as_without),
	    T(test_early_ruleset_another_plan_would_not_build_is_not_used),
	    T(test_early_rule_below_a_writable_tree_is_refused_through_its_link),
	};
#undef T
	return cmocka_run_group_tests_name("early_ruleset", tests, NULL, NULL);
}
