/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for writable.c: which rule lets the sandbox change what a path
 * names — the file's own tree, a directory on the way (also one reached
 * through a symlink that lies in a writable tree), never a read-only rule
 * or a sibling tree. */
#include "unit_helpers.h"

#include <limits.h>

#include "engine/writable.h"

struct fixture {
	char *root; /* root/{out,opt/lib/shim.so}, root/out/link -> ../opt */
	char shim[PATH_MAX], via_link[PATH_MAX + 16];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char link[PATH_MAX - 16];

	f->root = ut_mkdtemp();
	free(ut_mkdir_in(f->root, "out"));
	free(ut_mkdir_in(f->root, "opt"));
	snprintf(f->shim, sizeof(f->shim), "%s/opt/shim.so", f->root);
	ut_write_file(f->shim, "x");
	snprintf(link, sizeof(link), "%s/out/link", f->root);
	assert_int_equal(symlink("../opt", link), 0);
	snprintf(f->via_link, sizeof(f->via_link), "%s/shim.so", link);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ut_rmtree(f->root);
	free(f);
	return 0;
}

static const struct sbx_fs_rule *writing(const char *rule, uint64_t access, const char *path)
{
	static struct sbx_policy policy;

	sbx_policy_free(&policy);
	memset(&policy, 0, sizeof(policy));
	sbx_policy_add_fs(&policy, rule, access, "w", "test");
	return sbx_policy_rule_writing(&policy, path);
}

static void test_the_files_own_tree(void **state)
{
	struct fixture *f = *state;
	char opt[PATH_MAX];

	snprintf(opt, sizeof(opt), "%s/opt", f->root);
	assert_non_null(writing(opt, SBX_LL_FS_WRITE_FILE, f->shim));
	assert_non_null(writing(f->shim, SBX_LL_FS_TRUNCATE, f->shim));
	assert_non_null(writing(opt, SBX_LL_FS_MAKE_SYM, f->shim));
	assert_null(
	    writing(opt, SBX_LL_FS_READ_FILE | SBX_LL_FS_EXECUTE | SBX_LL_FS_READ_DIR, f->shim));
}

static void test_a_symlink_in_a_writable_tree_on_the_way(void **state)
{
	struct fixture *f = *state;
	char out[PATH_MAX];

	snprintf(out, sizeof(out), "%s/out", f->root);
	/* The file is outside out/, but the name the settings use goes
	 * through out/link, which the sandbox could point elsewhere. */
	assert_null(writing(out, SBX_LL_FS_WRITE_FILE, f->shim));
	assert_non_null(writing(out, SBX_LL_FS_REMOVE_FILE, f->via_link));
}

static void test_a_parent_tree_and_not_a_sibling(void **state)
{
	struct fixture *f = *state;
	char out[PATH_MAX];

	assert_non_null(writing(f->root, SBX_LL_FS_MAKE_REG, f->shim));
	snprintf(out, sizeof(out), "%s/out", f->root);
	assert_null(writing(out, SBX_LL_FS_MAKE_REG, f->shim));
	assert_null(writing("/nonexistent/sbx", SBX_LL_FS_WRITE_FILE, f->shim));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_the_files_own_tree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_symlink_in_a_writable_tree_on_the_way, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_a_parent_tree_and_not_a_sibling, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
