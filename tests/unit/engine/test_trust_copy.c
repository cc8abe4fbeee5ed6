/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for trust_copy.c: the copies of trusted project files kept
 * for the next review's diff (docs/design.md §3.3). A copy is used only
 * when it is exactly what the store records for the path; a missing,
 * linked, shared, oversized or swapped copy is "lost" (show the whole
 * file), never an error and never a diff against it. Every test has its
 * own temporary XDG_DATA_HOME. */
#include "unit_helpers.h"

#include "engine/config_find.h"
#include "engine/trust.h"
#include "engine/trust_copy.h"

#define PATH "/p/.sandboxec.yaml"

struct fx {
	char *root, *data, *dir, *copy;
	struct ut_env env;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char name[SBX_SHA256_HEX_LEN];
	struct sbx_error err = {{0}};

	assert_non_null(f);
	f->root = ut_mkdtemp();
	f->data = ut_join(f->root, "data");
	assert_true(asprintf(&f->dir, "%s/sandboxec/trust-copies", f->data) > 0);
	assert_int_equal(sbx_sha256_hex(PATH, strlen(PATH), name, &err), 0);
	f->copy = ut_join(f->dir, name);
	ut_env_add(&f->env, "HOME=%s", f->root);
	ut_env_add(&f->env, "XDG_DATA_HOME=%s", f->data);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->data);
	free(f->dir);
	free(f->copy);
	ut_env_free(&f->env);
	ut_rmtree(f->root);
	free(f);
	return 0;
}

/* Trusts content at PATH as --mode trust does: the copy, then the line. */
static void trust(struct fx *f, const char *content)
{
	struct sbx_error err = {{0}};

	if (sbx_trust_copy_save(f->env.entry, PATH, content, strlen(content), &err) < 0 ||
	    sbx_trust_record(f->env.entry, PATH, content, strlen(content), &err) < 0)
		fail_msg("trusting failed: %s", err.msg);
}

static void load(struct fx *f, struct sbx_trust_prior *prior)
{
	struct sbx_error err = {{0}};

	if (sbx_trust_copy_load(f->env.entry, PATH, prior, &err) < 0)
		fail_msg("load failed: %s", err.msg);
}

/* The copy is lost, for a reason that mentions want. */
static void expect_lost(struct fx *f, const char *want)
{
	struct sbx_trust_prior prior;

	load(f, &prior);
	assert_int_equal(prior.state, SBX_TRUST_PRIOR_LOST);
	assert_null(prior.data);
	assert_contains(prior.why.msg, want);
	sbx_trust_prior_free(&prior);
}

static void test_never_trusted_path_has_no_prior(void **state)
{
	struct fx *f = *state;
	struct sbx_trust_prior prior;
	struct sbx_error err = {{0}};

	load(f, &prior);
	assert_int_equal(prior.state, SBX_TRUST_PRIOR_NONE);
	/* Trusting one path leaves another never trusted. */
	trust(f, "fs: [rx:/usr]\n");
	assert_int_equal(sbx_trust_copy_load(f->env.entry, "/q/.sandboxec.yaml", &prior, &err), 0);
	assert_int_equal(prior.state, SBX_TRUST_PRIOR_NONE);
}

static void test_saved_copy_is_the_prior_version(void **state)
{
	struct fx *f = *state;
	struct sbx_trust_prior prior;

	trust(f, "one\n");
	trust(f, "two\n");
	load(f, &prior);
	assert_int_equal(prior.state, SBX_TRUST_PRIOR_COPY);
	assert_int_equal(prior.len, 4);
	assert_memory_equal(prior.data, "two\n", 4);
	sbx_trust_prior_free(&prior);
}

/* Private from the start, whatever the umask. */
static void test_copy_dir_is_0700_and_copy_0600(void **state)
{
	struct fx *f = *state;
	mode_t old = umask(0);
	struct stat st;

	trust(f, "x\n");
	umask(old);
	assert_int_equal(lstat(f->dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(lstat(f->copy, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

/* Trusted before the copies existed (or the copy deleted): lost. */
static void test_missing_copy_is_lost(void **state)
{
	struct fx *f = *state;

	trust(f, "x\n");
	assert_int_equal(unlink(f->copy), 0);
	expect_lost(f, "missing");
}

/* A copy swapped for other content (say, the edited file, so that the
 * diff would show no change) does not match the store's hash. */
static void test_swapped_copy_is_lost(void **state)
{
	struct fx *f = *state;

	trust(f, "fs: [rx:/usr]\n");
	ut_write_file(f->copy, "fs: [rwx:/]\n");
	expect_lost(f, "not the content the trust store records");
}

static void test_symlinked_copy_is_lost(void **state)
{
	struct fx *f = *state;
	char *elsewhere = ut_join(f->root, "elsewhere");

	trust(f, "x\n");
	ut_write_file(elsewhere, "x\n");
	assert_int_equal(unlink(f->copy), 0);
	assert_int_equal(symlink(elsewhere, f->copy), 0);
	expect_lost(f, "symbolic link");
	free(elsewhere);
}

static void test_copy_writable_by_others_is_lost(void **state)
{
	struct fx *f = *state;

	trust(f, "x\n");
	assert_int_equal(chmod(f->copy, 0666), 0);
	expect_lost(f, "writable by other users");
	assert_int_equal(chmod(f->copy, 0620), 0);
	expect_lost(f, "writable by other users");
}

static void test_copy_of_another_owner_is_lost(void **state)
{
	struct fx *f = *state;

	if (geteuid() != 0)
		skip();
	trust(f, "x\n");
	assert_int_equal(chown(f->copy, 65534, 65534), 0);
	expect_lost(f, "owned by another user");
}

static void test_oversized_copy_is_lost(void **state)
{
	struct fx *f = *state;

	trust(f, "x\n");
	assert_int_equal(truncate(f->copy, (off_t)SBX_CONFIG_MAX_SIZE + 1), 0);
	expect_lost(f, "larger than a config file may be");
}

static void test_copy_that_is_a_directory_is_lost(void **state)
{
	struct fx *f = *state;

	trust(f, "x\n");
	assert_int_equal(unlink(f->copy), 0);
	ut_mkdir(f->copy);
	expect_lost(f, "not a regular file");
}

/* The directory swapped for a link (to a directory holding a matching
 * copy) or opened to others: lost, and no copy is written through it. */
static void test_odd_copy_dir_is_lost_and_refused_for_saving(void **state)
{
	struct fx *f = *state;
	char *moved = ut_join(f->root, "moved");
	struct sbx_error err = {{0}};

	trust(f, "x\n");
	assert_int_equal(rename(f->dir, moved), 0);
	assert_int_equal(symlink(moved, f->dir), 0);
	expect_lost(f, "is a symbolic link or not a directory");
	assert_int_equal(sbx_trust_copy_save(f->env.entry, PATH, "y\n", 2, &err), -1);
	assert_contains(err.msg, "cannot keep a copy of the trusted file");
	assert_contains(err.msg, "remove it and trust again");
	assert_int_equal(unlink(f->dir), 0);
	assert_int_equal(rename(moved, f->dir), 0);
	assert_int_equal(chmod(f->dir, 0777), 0);
	expect_lost(f, "writable by other users");
	assert_int_equal(sbx_trust_copy_save(f->env.entry, PATH, "y\n", 2, &err), -1);
	free(moved);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_never_trusted_path_has_no_prior),
	    T(test_saved_copy_is_the_prior_version),
	    T(test_copy_dir_is_0700_and_copy_0600),
	    T(test_missing_copy_is_lost),
	    T(test_swapped_copy_is_lost),
	    T(test_symlinked_copy_is_lost),
	    T(test_copy_writable_by_others_is_lost),
	    T(test_copy_of_another_owner_is_lost),
	    T(test_oversized_copy_is_lost),
	    T(test_copy_that_is_a_directory_is_lost),
	    T(test_odd_copy_dir_is_lost_and_refused_for_saving),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
