/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for trust.c: the project-file trust store (docs/design.md §3.3) —
 * record then check, edits revoke, re-recording replaces, awkward paths
 * round-trip, and where the store lives (XDG_DATA_HOME vs HOME). Every test
 * has its own temporary HOME and XDG_DATA_HOME. */
#include "unit_helpers.h"

#include <dirent.h>

#include "engine/trust.h"
#include "engine/util.h"

struct fx {
	char *root, *home, *data;
	struct ut_env env;	 /* HOME and XDG_DATA_HOME */
	struct ut_env home_only; /* HOME */
	char *store;		 /* data/sandboxec/trust */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->root = ut_mkdtemp();
	f->home = ut_mkdir_in(f->root, "home");
	f->data = ut_join(f->root, "data");
	assert_true(asprintf(&f->store, "%s/sandboxec/trust", f->data) > 0);
	ut_env_add(&f->env, "HOME=%s", f->home);
	ut_env_add(&f->env, "XDG_DATA_HOME=%s", f->data);
	ut_env_add(&f->home_only, "HOME=%s", f->home);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->home);
	free(f->data);
	ut_env_free(&f->env);
	ut_env_free(&f->home_only);
	free(f->store);
	ut_rmtree(f->root);
	free(f);
	return 0;
}

static void record(char *const *envp, const char *path, const char *data)
{
	struct sbx_error err = {{0}};

	if (sbx_trust_record(envp, path, data, strlen(data), &err) != 0)
		fail_msg("recording %s failed: %s", path, err.msg);
}

static bool is_trusted(char *const *envp, const char *path, const char *data)
{
	struct sbx_error err = {{0}};
	bool trusted = true;

	if (sbx_trust_check(envp, path, data, strlen(data), &trusted, &err) != 0)
		fail_msg("checking %s failed: %s", path, err.msg);
	return trusted;
}

static char *slurp(const char *path)
{
	struct sbx_error err = {{0}};
	char *data = NULL;
	size_t len;

	if (sbx_read_file(path, 1 << 20, &data, &len, &err) != 0)
		fail_msg("%s", err.msg);
	return data;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_sha256_of_known_inputs(void **state)
{
	char hex[SBX_SHA256_HEX_LEN];
	struct sbx_error err = {{0}};

	(void)state;
	assert_int_equal(sbx_sha256_hex("abc", 3, hex, &err), 0);
	assert_string_equal(hex,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(sbx_sha256_hex("", 0, hex, &err), 0);
	assert_string_equal(hex,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* Bytes after a NUL count. */
	assert_int_equal(sbx_sha256_hex("a\0b", 3, hex, &err), 0);
	assert_string_not_equal(hex,
				"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
}

static void test_store_path_prefers_xdg_data_home(void **state)
{
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	char *path = NULL;

	assert_int_equal(sbx_trust_store_path(f->env.entry, &path, &err), 0);
	assert_string_equal(path, f->store);
	free(path);
}

static void test_store_path_defaults_to_home_local_share(void **state)
{
	struct fx *f = *state;
	struct sbx_error err = {{0}};
	char *path = NULL, *want = NULL;
	char *const relative_xdg[] = {f->home_only.entry[0], "XDG_DATA_HOME=relative/dir", NULL};

	assert_true(asprintf(&want, "%s/.local/share/sandboxec/trust", f->home) > 0);
	assert_int_equal(sbx_trust_store_path(f->home_only.entry, &path, &err), 0);
	assert_string_equal(path, want);
	free(path);
	/* A relative XDG_DATA_HOME is ignored, as the XDG spec says. */
	assert_int_equal(sbx_trust_store_path(relative_xdg, &path, &err), 0);
	assert_string_equal(path, want);
	free(path);
	free(want);
}

static void test_store_path_without_home_is_an_error(void **state)
{
	char *const empty[] = {NULL};
	char *const relative_home[] = {"HOME=rel", NULL};
	struct sbx_error err = {{0}};
	char *path = NULL;

	(void)state;
	assert_int_equal(sbx_trust_store_path(empty, &path, &err), -1);
	assert_null(path);
	assert_contains(err.msg, "cannot find the trust store: set HOME or XDG_DATA_HOME");
	assert_int_equal(sbx_trust_store_path(relative_home, &path, &err), -1);
	assert_null(path);
}

static void test_missing_store_means_untrusted(void **state)
{
	struct fx *f = *state;
	struct stat st;

	assert_false(is_trusted(f->env.entry, "/p/.sandboxec.yaml", "abi: 1\n"));
	/* Checking never creates the store. */
	assert_int_equal(stat(f->store, &st), -1);
}

static void test_record_then_check_is_trusted(void **state)
{
	struct fx *f = *state;
	struct stat st;
	char *content;

	record(f->env.entry, "/p/.sandboxec.yaml", "abi: 1\n");
	assert_true(is_trusted(f->env.entry, "/p/.sandboxec.yaml", "abi: 1\n"));
	assert_int_equal(stat(f->store, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	content = slurp(f->store);
	/* sha256("abi: 1\n") followed by the path. */
	assert_int_equal(strlen(content), 64 + 1 + strlen("/p/.sandboxec.yaml") + 1);
	assert_string_equal(content + 64, " /p/.sandboxec.yaml\n");
	free(content);
}

static void test_edited_content_is_not_trusted(void **state)
{
	struct fx *f = *state;

	record(f->env.entry, "/p/.sandboxec.yaml", "abi: 1\n");
	assert_false(is_trusted(f->env.entry, "/p/.sandboxec.yaml", "abi: 1\n "));
	assert_false(is_trusted(f->env.entry, "/p/.sandboxec.yaml", "abi: 2\n"));
	assert_false(is_trusted(f->env.entry, "/p/.sandboxec.yaml", ""));
}

static void test_same_content_at_another_path_is_not_trusted(void **state)
{
	struct fx *f = *state;

	record(f->env.entry, "/p/.sandboxec.yaml", "abi: 1\n");
	assert_false(is_trusted(f->env.entry, "/q/.sandboxec.yaml", "abi: 1\n"));
	assert_false(is_trusted(f->env.entry, "/p/.sandboxec.yml", "abi: 1\n"));
	assert_false(is_trusted(f->env.entry, "/p/.sandboxec.yaml/", "abi: 1\n"));
}

static void test_record_replaces_an_older_entry_for_the_same_path(void **state)
{
	struct fx *f = *state;
	char *content;

	record(f->env.entry, "/other/.sandboxec.yaml", "fs: []\n");
	record(f->env.entry, "/p/.sandboxec.yaml", "abi: 1\n");
	record(f->env.entry, "/p/.sandboxec.yaml", "abi: 2\n");
	assert_false(is_trusted(f->env.entry, "/p/.sandboxec.yaml", "abi: 1\n"));
	assert_true(is_trusted(f->env.entry, "/p/.sandboxec.yaml", "abi: 2\n"));
	/* Other entries are kept. */
	assert_true(is_trusted(f->env.entry, "/other/.sandboxec.yaml", "fs: []\n"));
	content = slurp(f->store);
	assert_int_equal(count_lines(content), 2);
	free(content);
	/* Recording the same thing again does not duplicate it. */
	record(f->env.entry, "/p/.sandboxec.yaml", "abi: 2\n");
	content = slurp(f->store);
	assert_int_equal(count_lines(content), 2);
	free(content);
}

static void test_record_does_not_replace_a_path_that_only_shares_a_prefix(void **state)
{
	struct fx *f = *state;

	record(f->env.entry, "/p/.sandboxec.yaml", "a\n");
	record(f->env.entry, "/p/.sandboxec.yaml.bak", "b\n");
	record(f->env.entry, "/p/.sandboxec.yam", "c\n");
	assert_true(is_trusted(f->env.entry, "/p/.sandboxec.yaml", "a\n"));
	assert_true(is_trusted(f->env.entry, "/p/.sandboxec.yaml.bak", "b\n"));
	assert_true(is_trusted(f->env.entry, "/p/.sandboxec.yam", "c\n"));
}

static void test_paths_with_newline_and_backslash_round_trip(void **state)
{
	struct fx *f = *state;
	static const char *const paths[] = {
	    "/p/new\nline/.sandboxec.yaml", "/p/back\\slash/.sandboxec.yaml",
	    "/p/\\n/.sandboxec.yaml",  /* a literal backslash and n */
	    "/p/\\\n/.sandboxec.yaml", /* a backslash, then a newline */
	    "/p/sp ace/\t/.sandboxec.yaml",
	};
	char *content;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(paths); i++)
		record(f->env.entry, paths[i], paths[i]); /* content differs per path */
	for (i = 0; i < SBX_ARRAY_SIZE(paths); i++) {
		if (!is_trusted(f->env.entry, paths[i], paths[i]))
			fail_msg("path %zu is not trusted after recording it", i);
	}
	/* The escaped forms do not collide with each other. */
	assert_false(is_trusted(f->env.entry, "/p/\\n/.sandboxec.yaml", paths[0]));
	assert_false(is_trusted(f->env.entry, "/p/new\nline/.sandboxec.yaml", paths[2]));
	content = slurp(f->store);
	assert_int_equal(count_lines(content), SBX_ARRAY_SIZE(paths)); /* one line each */
	free(content);
	/* And re-recording an awkward path replaces its entry. */
	record(f->env.entry, paths[3], "new");
	assert_false(is_trusted(f->env.entry, paths[3], paths[3]));
	assert_true(is_trusted(f->env.entry, paths[3], "new"));
	content = slurp(f->store);
	assert_int_equal(count_lines(content), SBX_ARRAY_SIZE(paths));
	free(content);
}

static void test_a_path_cannot_forge_another_entry(void **state)
{
	struct fx *f = *state;
	char hex[SBX_SHA256_HEX_LEN];
	struct sbx_error err = {{0}};
	char *forged = NULL;

	assert_int_equal(sbx_sha256_hex("evil", 4, hex, &err), 0);
	assert_true(asprintf(&forged, "/x\n%s /victim/.sandboxec.yaml", hex) > 0);
	record(f->env.entry, forged, "evil");
	assert_false(is_trusted(f->env.entry, "/victim/.sandboxec.yaml", "evil"));
	assert_true(is_trusted(f->env.entry, forged, "evil"));
	free(forged);
}

static void test_store_under_home_when_no_xdg_data_home(void **state)
{
	struct fx *f = *state;
	char *want = NULL;
	struct stat st;

	record(f->home_only.entry, "/p/.sandboxec.yaml", "abi: 1\n");
	assert_true(asprintf(&want, "%s/.local/share/sandboxec/trust", f->home) > 0);
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(stat(f->store, &st), -1);
	assert_true(is_trusted(f->home_only.entry, "/p/.sandboxec.yaml", "abi: 1\n"));
	/* The XDG store is another store. */
	assert_false(is_trusted(f->env.entry, "/p/.sandboxec.yaml", "abi: 1\n"));
	free(want);
}

static void test_record_leaves_no_temporary_files(void **state)
{
	struct fx *f = *state;
	char *dir = ut_join(f->data, "sandboxec");
	struct dirent *e;
	DIR *d;
	size_t n = 0;

	record(f->env.entry, "/p/a", "1");
	record(f->env.entry, "/p/b", "2");
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		assert_string_equal(e->d_name, "trust");
		n++;
	}
	closedir(d);
	assert_int_equal(n, 1);
	free(dir);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sha256_of_known_inputs),
	    T(test_store_path_prefers_xdg_data_home),
	    T(test_store_path_defaults_to_home_local_share),
	    cmocka_unit_test(test_store_path_without_home_is_an_error),
	    T(test_missing_store_means_untrusted),
	    T(test_record_then_check_is_trusted),
	    T(test_edited_content_is_not_trusted),
	    T(test_same_content_at_another_path_is_not_trusted),
	    T(test_record_replaces_an_older_entry_for_the_same_path),
	    T(test_record_does_not_replace_a_path_that_only_shares_a_prefix),
	    T(test_paths_with_newline_and_backslash_round_trip),
	    T(test_a_path_cannot_forge_another_entry),
	    T(test_store_under_home_when_no_xdg_data_home),
	    T(test_record_leaves_no_temporary_files),
	};
#undef T

	return cmocka_run_group_tests_name("trust", tests, NULL, NULL);
}
