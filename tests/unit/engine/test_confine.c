/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for confine.c, the one confine sequence of both front doors:
 * what goes through the print callback (the verbose plan, the warning, once),
 * which step a failure is reported as, and the SANDBOXEC_ACTIVE marker.
 * A kernel without Landlock is simulated through sbx_confine_at_abi; every
 * run that applies a layer happens in a fork()ed child that reports through
 * its exit status, so the test process is never confined. */
#include "unit_helpers.h"

#include <errno.h>
#include <sys/wait.h>

#include "engine/confine.h"
#include "engine/envsettings.h"
#include "engine/landlock_abi.h"
#include "engine/policy_print.h"
#include "engine/rights.h"

#define RX (sbx_fs_rights[1].access)

static void policy_init(struct sbx_policy *p, bool best_effort)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->best_effort = best_effort;
	for (i = 0; i < SBX_SETTING_COUNT; i++)
		p->origin[i] = strdup("default");
}

/* The callback: everything printed, in order, in one buffer. */
static void print_to_buf(void *ctx, const char *text, size_t len)
{
	sbx_buf_append(ctx, text, len);
}

static struct sbx_confine confine_for(struct sbx_policy *p, struct sbx_buf *printed)
{
	struct sbx_confine c = {
	    .policy = p,
	    .marker = "test-marker",
	    .print = print_to_buf,
	    .print_ctx = printed,
	};

	return c;
}

static const char *text_of(const struct sbx_buf *b)
{
	return b->len ? b->data : "";
}

/* Runs fn in a child and returns its exit status (0 = every check held). */
static int in_child(int (*fn)(const char *dir), const char *dir)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		unsetenv(SBX_ENV_ACTIVE);
		_exit(fn(dir));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* --- no Landlock (simulated ABI 0): nothing is applied --- */

static void test_no_landlock_best_effort_prints_the_warning_and_sets_no_marker(void **state)
{
	struct sbx_policy p;
	struct sbx_buf printed = {0};
	struct sbx_error err = {{0}};
	struct sbx_confine c;

	(void)state;
	unsetenv(SBX_ENV_ACTIVE);
	policy_init(&p, true);
	sbx_policy_add_fs(&p, "/", RX, "rx", "--fs");
	c = confine_for(&p, &printed);
	assert_int_equal(sbx_confine_at_abi(&c, 0, "no Landlock here", &err),
			 SBX_CONFINE_UNSANDBOXED);
	assert_string_equal(text_of(&printed), "sandboxec: warning: no Landlock here; "
					       "best-effort: running WITHOUT a sandbox\n");
	assert_null(getenv(SBX_ENV_ACTIVE));
	sbx_buf_free(&printed);
	sbx_policy_free(&p);
}

static void test_no_landlock_warning_already_printed_is_not_repeated(void **state)
{
	struct sbx_policy p;
	struct sbx_buf printed = {0};
	struct sbx_error err = {{0}};
	struct sbx_confine c;

	(void)state;
	policy_init(&p, true);
	c = confine_for(&p, &printed);
	c.unsandboxed_warning_printed = true;
	assert_int_equal(sbx_confine_at_abi(&c, 0, NULL, &err), SBX_CONFINE_UNSANDBOXED);
	assert_int_equal(printed.len, 0);
	sbx_buf_free(&printed);
	sbx_policy_free(&p);
}

static void test_no_landlock_without_best_effort_is_a_plan_failure(void **state)
{
	struct sbx_policy p;
	struct sbx_buf printed = {0};
	struct sbx_error err = {{0}};
	struct sbx_confine c;

	(void)state;
	policy_init(&p, false);
	p.verbose = true;
	c = confine_for(&p, &printed);
	assert_int_equal(sbx_confine_at_abi(&c, 0, NULL, &err), SBX_CONFINE_PLAN_FAILED);
	assert_string_equal(err.msg, "Landlock is not available; nothing was run (pass "
				     "--best-effort to run without a sandbox anyway)");
	assert_int_equal(printed.len, 0); /* not even the verbose plan */
	sbx_buf_free(&printed);
	sbx_policy_free(&p);
}

static void test_verbose_prints_the_plan_then_the_warning(void **state)
{
	struct sbx_policy p;
	struct sbx_buf printed = {0}, want = {0};
	struct sbx_error err = {{0}};
	struct sbx_plan plan;
	struct sbx_confine c;

	(void)state;
	policy_init(&p, true);
	p.verbose = true;
	assert_int_equal(sbx_plan_build(&p, 0, "gone", &plan, &err), 0);
	sbx_plan_write_yaml(&plan, &want);
	sbx_buf_printf(&want, "%s\n", plan.warning);
	sbx_plan_free(&plan);
	c = confine_for(&p, &printed);
	assert_int_equal(sbx_confine_at_abi(&c, 0, "gone", &err), SBX_CONFINE_UNSANDBOXED);
	assert_string_equal(text_of(&printed), want.data);
	assert_true(strncmp(text_of(&printed), "# sandboxec: effective policy\n", 30) == 0);
	sbx_buf_free(&want);
	sbx_buf_free(&printed);
	sbx_policy_free(&p);
}

/* --- the running kernel's Landlock, in a child --- */

static int kernel_abi_or_skip(void)
{
	int abi = sbx_kernel_abi(NULL);

	if (abi <= 0)
		skip();
	return abi;
}

/* rx on dir only: confined, quiet, marked; writing in dir is denied. */
static int child_confined_and_marked(const char *dir)
{
	struct sbx_policy p;
	struct sbx_buf printed = {0};
	struct sbx_error err = {{0}};
	struct sbx_confine c;
	const char *marker;
	char *file = NULL;
	int fd;

	policy_init(&p, false);
	sbx_policy_add_fs(&p, dir, RX, "rx", "--fs");
	c = confine_for(&p, &printed);
	if (sbx_confine(&c, &err) != SBX_CONFINED)
		return 10;
	if (printed.len)
		return 11;
	marker = getenv(SBX_ENV_ACTIVE);
	if (!marker || strcmp(marker, "test-marker") != 0)
		return 12;
	if (asprintf(&file, "%s/f", dir) < 0)
		return 13;
	fd = open(file, O_WRONLY | O_CREAT, 0600);
	if (fd >= 0 || errno != EACCES)
		return 14;
	return 0;
}

static void test_confined_process_gets_the_marker_and_prints_nothing(void **state)
{
	char *dir;

	(void)state;
	kernel_abi_or_skip();
	dir = ut_mkdtemp();
	assert_int_equal(in_child(child_confined_and_marked, dir), 0);
	ut_rmtree(dir);
}

/* Best-effort at a simulated ABI 3 drops the network rules: the warning
 * goes through the callback and the ABI 3 layer still applies. */
static int child_degraded_warns_and_confines(const char *dir)
{
	struct sbx_policy p;
	struct sbx_buf printed = {0};
	struct sbx_error err = {{0}};
	struct sbx_confine c;

	policy_init(&p, true);
	sbx_policy_add_fs(&p, dir, RX, "rx", "--fs");
	sbx_policy_add_net(&p, 443, SBX_LL_NET_CONNECT_TCP, "c", "--net");
	c = confine_for(&p, &printed);
	if (sbx_confine_at_abi(&c, 3, NULL, &err) != SBX_CONFINED)
		return 10;
	if (strcmp(text_of(&printed), "sandboxec: warning: best-effort: using Landlock ABI 3 "
				      "(the kernel has 3); dropped all network rules (they "
				      "need ABI 4)\n") != 0)
		return 11;
	if (!getenv(SBX_ENV_ACTIVE))
		return 12;
	if (open("/", O_RDONLY | O_DIRECTORY) >= 0 || errno != EACCES)
		return 13;
	return 0;
}

static void test_degraded_plan_warns_and_still_confines(void **state)
{
	char *dir;

	(void)state;
	if (kernel_abi_or_skip() < 3)
		skip();
	dir = ut_mkdtemp();
	assert_int_equal(in_child(child_degraded_warns_and_confines, dir), 0);
	ut_rmtree(dir);
}

/* A rule for a path that is gone by apply time fails applying, not
 * planning (the CLI words the two differently), and marks nothing. */
static int child_apply_failure(const char *dir)
{
	struct sbx_policy p;
	struct sbx_buf printed = {0};
	struct sbx_error err = {{0}};
	struct sbx_confine c;
	char *missing = NULL;

	if (asprintf(&missing, "%s/missing", dir) < 0)
		return 13;
	policy_init(&p, false);
	sbx_policy_add_fs(&p, missing, RX, "rx", "--fs");
	c = confine_for(&p, &printed);
	if (sbx_confine(&c, &err) != SBX_CONFINE_APPLY_FAILED)
		return 10;
	if (!strstr(err.msg, "cannot open") || !strstr(err.msg, missing))
		return 11;
	if (getenv(SBX_ENV_ACTIVE) || printed.len)
		return 12;
	return 0;
}

static void test_apply_failure_is_its_own_result_and_sets_no_marker(void **state)
{
	char *dir;

	(void)state;
	kernel_abi_or_skip();
	dir = ut_mkdtemp();
	assert_int_equal(in_child(child_apply_failure, dir), 0);
	ut_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_landlock_best_effort_prints_the_warning_and_sets_no_marker),
	    cmocka_unit_test(test_no_landlock_warning_already_printed_is_not_repeated),
	    cmocka_unit_test(test_no_landlock_without_best_effort_is_a_plan_failure),
	    cmocka_unit_test(test_verbose_prints_the_plan_then_the_warning),
	    cmocka_unit_test(test_confined_process_gets_the_marker_and_prints_nothing),
	    cmocka_unit_test(test_degraded_plan_warns_and_still_confines),
	    cmocka_unit_test(test_apply_failure_is_its_own_result_and_sets_no_marker),
	};

	return cmocka_run_group_tests_name("confine", tests, NULL, NULL);
}
