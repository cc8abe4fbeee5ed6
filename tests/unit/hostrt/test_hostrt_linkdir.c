/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for hostrt_linkdir.c: which directory goes with a program a
 * $PATH entry links to outside every $PATH directory. */
#include "unit_helpers.h"

#include "engine/util.h"
#include "hostrt/hostrt_linkdir.h"

static const char *const path_dirs[] = {"/usr/bin", "/usr/local/bin", "/root/.local/bin"};

static void expect_dirs(const char *real, const char *want_dir, const char *want_prefix)
{
	struct sbx_hostrt_linkdirs ld;

	sbx_hostrt_link_dirs(real, path_dirs, SBX_ARRAY_SIZE(path_dirs), &ld);
	if (want_dir)
		assert_string_equal(ld.dir, want_dir);
	else
		assert_null(ld.dir);
	if (want_prefix)
		assert_string_equal(ld.prefix, want_prefix);
	else
		assert_null(ld.prefix);
	sbx_hostrt_link_dirs_free(&ld);
}

static void test_a_package_tree_under_usr_or_opt_goes_whole(void **state)
{
	(void)state;
	expect_dirs("/usr/lib/llvm-14/bin/clang", "/usr/lib/llvm-14/bin", "/usr/lib/llvm-14");
	expect_dirs("/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
		    "/usr/lib/jvm/java-17-openjdk-amd64/bin", "/usr/lib/jvm/java-17-openjdk-amd64");
	expect_dirs("/opt/tool/sbin/daemon", "/opt/tool/sbin", "/opt/tool");
}

static void test_under_home_only_the_bin_directory(void **state)
{
	(void)state;
	expect_dirs("/root/.nvm/versions/node/v20.1.0/bin/node",
		    "/root/.nvm/versions/node/v20.1.0/bin", NULL);
	expect_dirs("/root/bin/tool", "/root/bin", NULL);
	expect_dirs("/home/me/bin/tool", "/home/me/bin", NULL);
}

static void test_a_directory_that_is_not_of_programs_is_never_granted(void **state)
{
	(void)state;
	expect_dirs("/etc/init.d/ssh", NULL, NULL);
	expect_dirs("/root/tool", NULL, NULL);
	expect_dirs("/root/.ssh/tool", NULL, NULL);
	expect_dirs("/usr/lib/systemd/systemd", NULL, NULL);
	expect_dirs("/tool", NULL, NULL);
}

static void test_never_the_root_nor_a_system_prefix(void **state)
{
	(void)state;
	expect_dirs("/bin/tool", NULL, NULL);		  /* depth 1 */
	expect_dirs("/usr/sbin/tool", "/usr/sbin", NULL); /* /usr holds /usr/bin */
	expect_dirs("/usr/local/sbin/tool", "/usr/local/sbin", NULL);
	expect_dirs("/usr/lib/bin/tool", "/usr/lib/bin", NULL); /* /usr/lib: too wide */
	expect_dirs("/root/.local/sbin/x", "/root/.local/sbin", NULL);
}

static void test_a_directory_holding_a_path_directory_is_refused(void **state)
{
	static const char *const nested[] = {"/opt/tool/bin/inner"};
	struct sbx_hostrt_linkdirs ld;

	(void)state;
	sbx_hostrt_link_dirs("/opt/tool/bin/x", nested, 1, &ld);
	assert_null(ld.dir);
	assert_null(ld.prefix);
	sbx_hostrt_link_dirs_free(&ld);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_package_tree_under_usr_or_opt_goes_whole),
	    cmocka_unit_test(test_under_home_only_the_bin_directory),
	    cmocka_unit_test(test_a_directory_that_is_not_of_programs_is_never_granted),
	    cmocka_unit_test(test_never_the_root_nor_a_system_prefix),
	    cmocka_unit_test(test_a_directory_holding_a_path_directory_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
