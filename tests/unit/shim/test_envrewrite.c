/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for envrewrite.c: how the LD_AUDIT copy of the shim edits the
 * shared initial environment block in place (it can replace and remove
 * slots, never grow the array), and the load lists without the shim. */
#include "unit_helpers.h"

#include "envrewrite.h"

#define ENV(...)                                                                                   \
	{                                                                                          \
		__VA_ARGS__, NULL                                                                  \
	}
#define EDITS(...) ((const char *const[]){__VA_ARGS__})

/* Compares a NULL-terminated array with the NULL-terminated `want`. */
static void expect_env(char **got, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] && got[i]; i++)
		assert_string_equal(got[i], want[i]);
	if (want[i] || got[i])
		fail_msg("entry %zu: got \"%s\", want \"%s\"", i, got[i] ? got[i] : "(end)",
			 want[i] ? want[i] : "(end)");
}

static void test_marker_takes_the_slot_ld_audit_frees(void **state)
{
	char *env[] = ENV("A=1", "LD_AUDIT=/x/libsandboxec.so", "B=2");

	(void)state;
	assert_int_equal(sbx_envp_rewrite(env, EDITS("SANDBOXEC_ACTIVE=f", "LD_AUDIT"), 2), 0);
	expect_env(env, (const char *const[])ENV("A=1", "SANDBOXEC_ACTIVE=f", "B=2"));
}

static void test_existing_marker_slot_is_replaced_and_ld_audit_removed(void **state)
{
	char *env[] = ENV("SANDBOXEC_ACTIVE=flags", "LD_AUDIT=/x/libsandboxec.so", "B=2");

	(void)state;
	assert_int_equal(sbx_envp_rewrite(env, EDITS("SANDBOXEC_ACTIVE=f", "LD_AUDIT"), 2), 0);
	expect_env(env, (const char *const[])ENV("SANDBOXEC_ACTIVE=f", "B=2"));
}

static void test_removal_listed_after_the_set_still_frees_a_slot(void **state)
{
	char *env[] = ENV("LD_PRELOAD=/x/libsandboxec.so", "LD_AUDIT=/a.so:/x/libsandboxec.so");

	(void)state;
	assert_int_equal(
	    sbx_envp_rewrite(env, EDITS("SANDBOXEC_ACTIVE=f", "LD_AUDIT=/a.so", "LD_PRELOAD"), 3),
	    0);
	expect_env(env, (const char *const[])ENV("SANDBOXEC_ACTIVE=f", "LD_AUDIT=/a.so"));
}

static void test_no_slot_left_reports_the_set_it_could_not_place(void **state)
{
	char *env[] = ENV("LD_AUDIT=/a.so:/x/libsandboxec.so", "C=3");

	(void)state;
	assert_int_equal(sbx_envp_rewrite(env, EDITS("SANDBOXEC_ACTIVE=f", "LD_AUDIT=/a.so"), 2),
			 1);
	expect_env(env, (const char *const[])ENV("LD_AUDIT=/a.so", "C=3"));
}

static void test_removing_an_absent_variable_changes_nothing(void **state)
{
	char *env[] = ENV("A=1", "LD_AUDITX=2");

	(void)state;
	assert_int_equal(sbx_envp_rewrite(env, EDITS("LD_AUDIT"), 1), 0);
	expect_env(env, (const char *const[])ENV("A=1", "LD_AUDITX=2"));
}

static void test_empty_environment(void **state)
{
	char *env[] = {NULL};

	(void)state;
	assert_int_equal(sbx_envp_rewrite(env, EDITS("SANDBOXEC_ACTIVE=f", "LD_AUDIT"), 2), 1);
	assert_null(env[0]);
}

static void test_loadlist_drops_every_copy_of_the_shim(void **state)
{
	char *rest;

	(void)state;
	assert_null(sbx_loadlist_without_shim("/x/libsandboxec.so", ":", NULL));
	assert_null(sbx_loadlist_without_shim("libsandboxec.so::/y/libsandboxec.so", ":", NULL));
	rest = sbx_loadlist_without_shim("/a.so:/x/libsandboxec.so:/b.so", ":", NULL);
	assert_string_equal(rest, "/a.so:/b.so");
	free(rest);
	/* LD_PRELOAD also splits at blanks; LD_AUDIT does not. */
	rest = sbx_loadlist_without_shim("/a.so /x/libsandboxec.so", ": \t", NULL);
	assert_string_equal(rest, "/a.so");
	free(rest);
	/* The fast audit entry goes with it: descendants must not load it. */
	assert_null(
	    sbx_loadlist_without_shim("/x/libsandboxec-fast.so:/x/libsandboxec.so", ":", NULL));
	rest = sbx_loadlist_without_shim("/x/libsandboxec-fast.so:/a.so", ":", NULL);
	assert_string_equal(rest, "/a.so");
	free(rest);
	rest = sbx_loadlist_without_shim("/a b/libsandboxec.so.1", ":", NULL);
	assert_string_equal(rest, "/a b/libsandboxec.so.1");
	free(rest);
}

static void test_loadlist_drops_the_shim_under_another_name(void **state)
{
	char dir[] = "/tmp/sbx-envrewrite-XXXXXX";
	char *real, *link, *list, *rest;

	(void)state;
	assert_non_null(mkdtemp(dir));
	link = NULL;
	real = NULL;
	assert_true(asprintf(&real, "%s/libsandboxec.so", dir) > 0);
	assert_true(asprintf(&link, "%s/other-name.so", dir) > 0);
	close(open(real, O_WRONLY | O_CREAT, 0644));
	assert_int_equal(symlink(real, link), 0);
	assert_true(asprintf(&list, "%s:/a.so", link) > 0);
	rest = sbx_loadlist_without_shim(list, ":", real);
	assert_string_equal(rest, "/a.so");
	free(rest);
	unlink(link);
	unlink(real);
	rmdir(dir);
	free(list);
	free(link);
	free(real);
}

static void test_remove_takes_every_entry_of_the_name(void **state)
{
	char *env[] = ENV("LD_PRELOAD=/x", "A=1", "LD_PRELOADX=2", "LD_PRELOAD=/y", "LD_PRELOAD");

	(void)state;
	assert_int_equal(sbx_envp_remove(env, "LD_PRELOAD"), 2);
	expect_env(env, (const char *const[])ENV("A=1", "LD_PRELOADX=2", "LD_PRELOAD"));
	assert_int_equal(sbx_envp_remove(env, "B"), 0);
	expect_env(env, (const char *const[])ENV("A=1", "LD_PRELOADX=2", "LD_PRELOAD"));
}

static void test_set_replaces_the_first_entry_in_place(void **state)
{
	char *env[] = ENV("SANDBOXEC_ACTIVE=a", "B=2", "SANDBOXEC_ACTIVE=b");

	(void)state;
	assert_true(sbx_envp_set(env, "SANDBOXEC_ACTIVE=f", 0));
	expect_env(env,
		   (const char *const[])ENV("SANDBOXEC_ACTIVE=f", "B=2", "SANDBOXEC_ACTIVE=b"));
}

static void test_set_appends_only_into_room(void **state)
{
	char *env[] = ENV("A=1", "LD_PRELOAD=/x/libsandboxec.so", "B=2");
	size_t room;

	(void)state;
	assert_false(sbx_envp_set(env, "SANDBOXEC_ACTIVE=f", 0));
	expect_env(env, (const char *const[])ENV("A=1", "LD_PRELOAD=/x/libsandboxec.so", "B=2"));
	room = sbx_envp_remove(env, "LD_PRELOAD");
	assert_true(sbx_envp_set(env, "SANDBOXEC_ACTIVE=f", room));
	expect_env(env, (const char *const[])ENV("A=1", "B=2", "SANDBOXEC_ACTIVE=f"));
}

static void test_no_environment_is_left_to_setenv(void **state)
{
	(void)state;
	assert_int_equal(sbx_envp_remove(NULL, "LD_PRELOAD"), 0);
	assert_false(sbx_envp_set(NULL, "SANDBOXEC_ACTIVE=f", 1));
}

/* What the shim did with libc before: setenv of the marker, then unsetenv
 * of LD_PRELOAD; the in-place edits must leave the same array. */
static void test_same_array_as_setenv_then_unsetenv(void **state)
{
	static const char *const starts[][5] = {
	    {"A=1", "LD_PRELOAD=/x/libsandboxec.so", "B=2", NULL},
	    {"SANDBOXEC_ACTIVE=old", "LD_PRELOAD=/x/libsandboxec.so", "B=2", NULL},
	    {"LD_PRELOAD=/x/libsandboxec.so", "A=1", "LD_PRELOAD=/y", "B=2", NULL},
	    {"LD_PRELOAD=/x/libsandboxec.so", NULL},
	};
	extern char **environ;
	char **saved = environ;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		char *by_libc[6] = {0}, *in_place[6] = {0};

		for (n = 0; starts[i][n]; n++)
			by_libc[n] = in_place[n] = (char *)starts[i][n];
		environ = by_libc;
		assert_int_equal(setenv("SANDBOXEC_ACTIVE", "f", 1), 0);
		assert_int_equal(unsetenv("LD_PRELOAD"), 0);
		assert_true(sbx_envp_set(in_place, "SANDBOXEC_ACTIVE=f",
					 sbx_envp_remove(in_place, "LD_PRELOAD")));
		expect_env(in_place, (const char *const *)environ);
		environ = saved;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_marker_takes_the_slot_ld_audit_frees),
	    cmocka_unit_test(test_existing_marker_slot_is_replaced_and_ld_audit_removed),
	    cmocka_unit_test(test_removal_listed_after_the_set_still_frees_a_slot),
	    cmocka_unit_test(test_no_slot_left_reports_the_set_it_could_not_place),
	    cmocka_unit_test(test_removing_an_absent_variable_changes_nothing),
	    cmocka_unit_test(test_empty_environment),
	    cmocka_unit_test(test_loadlist_drops_every_copy_of_the_shim),
	    cmocka_unit_test(test_loadlist_drops_the_shim_under_another_name),
	    cmocka_unit_test(test_remove_takes_every_entry_of_the_name),
	    cmocka_unit_test(test_set_replaces_the_first_entry_in_place),
	    cmocka_unit_test(test_set_appends_only_into_room),
	    cmocka_unit_test(test_no_environment_is_left_to_setenv),
	    cmocka_unit_test(test_same_array_as_setenv_then_unsetenv),
	};

	return cmocka_run_group_tests_name("envrewrite", tests, NULL, NULL);
}
