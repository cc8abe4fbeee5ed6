/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for lazylib.c: a library is opened only by absolute path from
 * the system directories given, never searched for; a copy elsewhere (a
 * relative directory, a file that is not a library) is not used, and every
 * failure names the library, the directories and the package. zlib stands
 * in for the optional libraries: every system sandboxec builds on has it. */
#include "unit_helpers.h"

#include <dlfcn.h>
#include <limits.h>

#include "engine/lazylib.h"

static void *zlib_version;
static const struct sbx_lazy_sym zlib_syms[] = {{"zlibVersion", &zlib_version}};

static void test_opens_from_the_system_directories(void **state)
{
	struct sbx_error err = {{0}};
	void *h = NULL;
	Dl_info info;

	(void)state;
	zlib_version = NULL;
	assert_int_equal(sbx_lazy_open("libz.so.1", "zlib1g", zlib_syms, 1, &h, &err), 0);
	assert_non_null(zlib_version);
	assert_true(dladdr(zlib_version, &info));
	assert_true(strncmp(info.dli_fname, SBX_SYSTEM_LIBDIRS, strcspn(SBX_SYSTEM_LIBDIRS, ":")) ==
		    0);
	sbx_lazy_close(h);
}

static void test_a_later_directory_is_tried_when_the_first_lacks_it(void **state)
{
	struct sbx_error err = {{0}};
	char *dir = ut_mkdtemp();
	char dirs[PATH_MAX];
	void *h = NULL;

	(void)state;
	snprintf(dirs, sizeof(dirs), "%s:%s", dir, SBX_SYSTEM_LIBDIRS);
	assert_int_equal(sbx_lazy_open_from(dirs, "libz.so.1", "zlib1g", zlib_syms, 1, &h, &err),
			 0);
	sbx_lazy_close(h);
	ut_rmtree(dir);
}

static void test_a_file_that_is_no_library_fails_naming_everything(void **state)
{
	struct sbx_error err = {{0}};
	char *dir = ut_mkdtemp();
	char path[PATH_MAX];
	void *h = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/libz.so.1", dir);
	ut_write_file(path, "not a library\n");
	assert_int_equal(sbx_lazy_open_from(dir, "libz.so.1", "zlib1g", zlib_syms, 1, &h, &err),
			 -1);
	assert_null(h);
	assert_contains(err.msg, "cannot load libz.so.1 from ");
	assert_contains(err.msg, dir);
	assert_contains(err.msg, "install the Debian package zlib1g");
	ut_rmtree(dir);
}

/* A relative directory would be looked up from the current directory,
 * which the sandboxed program chooses: it is skipped, even when it holds a
 * working copy. */
static void test_a_relative_directory_is_never_used(void **state)
{
	struct sbx_error err = {{0}};
	char *dir = ut_mkdtemp();
	char real[PATH_MAX], link[PATH_MAX], cwd[PATH_MAX];
	void *h = NULL;

	(void)state;
	snprintf(real, sizeof(real), "%.*s/libz.so.1", (int)strcspn(SBX_SYSTEM_LIBDIRS, ":"),
		 SBX_SYSTEM_LIBDIRS);
	snprintf(link, sizeof(link), "%s/libz.so.1", dir);
	assert_int_equal(symlink(real, link), 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(sbx_lazy_open_from(".", "libz.so.1", "zlib1g", zlib_syms, 1, &h, &err),
			 -1);
	assert_contains(err.msg, "no system library directory to look in");
	assert_int_equal(chdir(cwd), 0);
	ut_rmtree(dir);
}

static void test_a_missing_symbol_names_it(void **state)
{
	static void *nothing;
	static const struct sbx_lazy_sym missing[] = {{"sbx_no_such_symbol", &nothing}};
	struct sbx_error err = {{0}};
	void *h = NULL;

	(void)state;
	assert_int_equal(sbx_lazy_open("libz.so.1", "zlib1g", missing, 1, &h, &err), -1);
	assert_null(h);
	assert_contains(err.msg, "libz.so.1 lacks sbx_no_such_symbol; install a current zlib1g");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_opens_from_the_system_directories),
	    cmocka_unit_test(test_a_later_directory_is_tried_when_the_first_lacks_it),
	    cmocka_unit_test(test_a_file_that_is_no_library_fails_naming_everything),
	    cmocka_unit_test(test_a_relative_directory_is_never_used),
	    cmocka_unit_test(test_a_missing_symbol_names_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
