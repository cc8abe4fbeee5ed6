/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for gitroot.c: the ".git" and "commondir" file parser, and
 * the walk up to the repository on real directory trees (a plain
 * repository, a worktree, a submodule) and its traps (a dotfiles
 * repository in $HOME, GIT_DIR, a hostile or malformed ".git" file). */
#include "unit_helpers.h"

#include <limits.h>

#include "engine/gitroot.h"

struct pointer_row {
	const char *name;
	const char *content;
	const char *prefix;
	const char *want; /* NULL: an error */
};

static const struct pointer_row pointer_rows[] = {
    {"a worktree's .git file", "gitdir: /srv/repo/.git/worktrees/wt\n",
     "gitdir: ", "/srv/repo/.git/worktrees/wt"},
    {"a relative gitdir, CRLF", "gitdir: ../.git/modules/lib\r\n",
     "gitdir: ", "../.git/modules/lib"},
    {"no newline", "gitdir: /no/newline", "gitdir: ", "/no/newline"},
    {"a commondir file", "../..\n", "", "../.."},
    {"no space after the colon", "gitdir:/a\n", "gitdir: ", NULL},
    {"upper case", "GITDIR: /a\n", "gitdir: ", NULL},
    {"empty gitdir", "gitdir: \n", "gitdir: ", NULL},
    {"two lines", "gitdir: /a\n/b\n", "gitdir: ", NULL},
    {"empty file", "", "", NULL},
    {"empty line", "\n", "", NULL},
};

static void test_pointer_row(void **state)
{
	const struct pointer_row *r = *state;
	struct sbx_error err = {{0}};
	char *out = NULL;
	int ret =
	    sbx_git_parse_pointer(r->content, strlen(r->content), r->prefix, "x/.git", &out, &err);

	if (r->want) {
		assert_int_equal(ret, 0);
		assert_string_equal(out, r->want);
	} else {
		assert_int_equal(ret, -1);
		assert_contains(err.msg, "x/.git");
	}
	free(out);
}

static void test_pointer_with_nul_is_refused(void **state)
{
	static const char content[] = "gitdir: /a\0/b\n";
	struct sbx_error err = {{0}};
	char *out = NULL;

	(void)state;
	assert_int_equal(
	    sbx_git_parse_pointer(content, sizeof(content) - 1, "gitdir: ", "f", &out, &err), -1);
	assert_contains(err.msg, "NUL");
	assert_null(out);
}

/* A scratch tree (links resolved, so paths compare with realpath's), with
 * HOME at T/home. */
struct tree {
	char *top;
	char *env_home;
	char *env[3];
};

static void tree_init(struct tree *t)
{
	char *dir = ut_mkdtemp();
	char real[PATH_MAX];

	assert_non_null(realpath(dir, real));
	free(dir);
	t->top = strdup(real);
	assert_non_null(t->top);
	free(ut_mkdir_in(t->top, "home"));
	assert_true(asprintf(&t->env_home, "HOME=%s/home", t->top) > 0);
	t->env[0] = t->env_home;
	t->env[1] = NULL;
}

static void tree_free(struct tree *t)
{
	free(t->env_home);
	ut_rmtree(t->top);
}

static char *tpath(const struct tree *t, const char *rel)
{
	return ut_join(t->top, rel);
}

/* T/rel: a git directory (HEAD, objects/). */
static void make_git_dir(const struct tree *t, const char *rel)
{
	char *path = tpath(t, rel), *file;

	file = ut_join(path, "HEAD");
	ut_write_file_mkdirs(file, "ref: refs/heads/main\n");
	free(file);
	file = ut_join(path, "objects/.keep");
	ut_write_file_mkdirs(file, "");
	free(file);
	free(path);
}

static void write_t(const struct tree *t, const char *rel, const char *content)
{
	char *path = tpath(t, rel);

	ut_write_file_mkdirs(path, content);
	free(path);
}

static int find_in(const struct tree *t, const char *rel, char *const *env,
		   struct sbx_git_repo *repo, struct sbx_error *err)
{
	char *cwd = tpath(t, rel);
	int ret;

	ret = sbx_git_find(cwd, env ? env : t->env, repo, err);
	free(cwd);
	return ret;
}

static void assert_tpath(const struct tree *t, const char *got, const char *rel)
{
	char *want = tpath(t, rel);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(want);
}

static void test_walk_from_a_subdirectory(void **state)
{
	struct tree t;
	struct sbx_git_repo repo;
	struct sbx_error err = {{0}};

	(void)state;
	tree_init(&t);
	make_git_dir(&t, "repo/.git");
	write_t(&t, "repo/a/b/file", "");
	assert_int_equal(find_in(&t, "repo/a/b", NULL, &repo, &err), 0);
	assert_tpath(&t, repo.root, "repo");
	assert_tpath(&t, repo.git_dir, "repo/.git");
	assert_tpath(&t, repo.common_dir, "repo/.git");
	sbx_git_repo_free(&repo);
	tree_free(&t);
}

static void test_walk_outside_a_repository_finds_nothing(void **state)
{
	struct tree t;
	struct sbx_git_repo repo;
	struct sbx_error err = {{0}};

	(void)state;
	tree_init(&t);
	write_t(&t, "plain/file", "");
	/* A .git directory without HEAD is not a repository (git skips it too). */
	write_t(&t, "plain/.git/junk", "");
	assert_int_equal(find_in(&t, "plain", NULL, &repo, &err), 0);
	assert_null(repo.root);
	assert_null(repo.git_dir);
	tree_free(&t);
}

static void make_worktree(const struct tree *t, const char *back_link)
{
	char *line;

	make_git_dir(t, "main/.git");
	make_git_dir(t, "main/.git/worktrees/wt");
	write_t(t, "main/.git/worktrees/wt/commondir", "../..\n");
	assert_true(asprintf(&line, "%s/%s\n", t->top, back_link) > 0);
	write_t(t, "main/.git/worktrees/wt/gitdir", line);
	free(line);
	assert_true(asprintf(&line, "gitdir: %s/main/.git/worktrees/wt\n", t->top) > 0);
	write_t(t, "wt/.git", line);
	free(line);
}

static void test_worktree_grants_its_git_dir_and_the_common_dir(void **state)
{
	struct tree t;
	struct sbx_git_repo repo;
	struct sbx_error err = {{0}};

	(void)state;
	tree_init(&t);
	make_worktree(&t, "wt/.git");
	write_t(&t, "wt/sub/file", "");
	assert_int_equal(find_in(&t, "wt/sub", NULL, &repo, &err), 0);
	assert_tpath(&t, repo.root, "wt");
	assert_tpath(&t, repo.git_dir, "main/.git/worktrees/wt");
	assert_tpath(&t, repo.common_dir, "main/.git");
	sbx_git_repo_free(&repo);
	tree_free(&t);
}

static void test_worktree_whose_back_link_names_another_is_refused(void **state)
{
	struct tree t;
	struct sbx_git_repo repo;
	struct sbx_error err = {{0}};

	(void)state;
	tree_init(&t);
	make_worktree(&t, "elsewhere/.git");
	assert_int_equal(find_in(&t, "wt", NULL, &repo, &err), -1);
	assert_contains(err.msg, "borrows another work tree's directory");
	assert_null(repo.root);
	tree_free(&t);
}

static void test_submodule_grants_its_dir_in_the_superproject(void **state)
{
	struct tree t;
	struct sbx_git_repo repo;
	struct sbx_error err = {{0}};

	(void)state;
	tree_init(&t);
	make_git_dir(&t, "super/.git");
	make_git_dir(&t, "super/.git/modules/lib");
	write_t(&t, "super/lib/.git", "gitdir: ../.git/modules/lib\n");
	assert_int_equal(find_in(&t, "super/lib", NULL, &repo, &err), 0);
	assert_tpath(&t, repo.root, "super/lib");
	assert_tpath(&t, repo.git_dir, "super/.git/modules/lib");
	assert_tpath(&t, repo.common_dir, "super/.git/modules/lib");
	sbx_git_repo_free(&repo);
	tree_free(&t);
}

struct hostile_row {
	const char *name;
	bool in_tree; /* the path follows "gitdir: " and the tree's top */
	const char *git_file;
	const char *want_msg;
};

static const struct hostile_row hostile_rows[] = {
    {"borrows another repository's .git", true, "/main/.git\n",
     "neither a worktree's nor a submodule's"},
    {"names /", false, "gitdir: /\n", "is / or your home directory"},
    {"climbs to / with ..", false, "gitdir: ../../../../../../../../../../../../../../..\n",
     "is / or your home directory"},
    {"names the home directory", true, "/home\n", "is / or your home directory"},
    {"names a directory that is no git directory", true, "/main/notgit\n",
     "is not a git directory"},
    {"names nothing", true, "/missing\n", "No such file"},
    {"is malformed", false, "worktree: /main/.git\n", "does not begin with"},
};

static void test_hostile_git_file_row(void **state)
{
	const struct hostile_row *r = *state;
	struct tree t;
	struct sbx_git_repo repo;
	struct sbx_error err = {{0}};
	char *line;

	tree_init(&t);
	make_git_dir(&t, "main/.git");
	write_t(&t, "main/notgit/file", "");
	/* Make home look like a git directory: only the home check stops it. */
	write_t(&t, "home/HEAD", "ref: refs/heads/main\n");
	if (r->in_tree)
		assert_true(asprintf(&line, "gitdir: %s%s", t.top, r->git_file) > 0);
	else
		line = strdup(r->git_file);
	assert_non_null(line);
	write_t(&t, "proj/.git", line);
	free(line);
	assert_int_equal(find_in(&t, "proj", NULL, &repo, &err), -1);
	assert_contains(err.msg, r->want_msg);
	assert_null(repo.root);
	tree_free(&t);
}

static void test_oversized_git_file_is_refused(void **state)
{
	struct tree t;
	struct sbx_git_repo repo;
	struct sbx_error err = {{0}};
	char big[5000];

	(void)state;
	tree_init(&t);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "gitdir: ", 8);
	write_t(&t, "proj/.git", big);
	assert_int_equal(find_in(&t, "proj", NULL, &repo, &err), -1);
	assert_contains(err.msg, "larger than");
	tree_free(&t);
}

static void test_git_link_is_refused(void **state)
{
	struct tree t;
	struct sbx_git_repo repo;
	struct sbx_error err = {{0}};
	char *target, *link;

	(void)state;
	tree_init(&t);
	make_git_dir(&t, "main/.git");
	free(ut_mkdir_in(t.top, "proj"));
	target = tpath(&t, "main/.git");
	link = tpath(&t, "proj/.git");
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(find_in(&t, "proj", NULL, &repo, &err), -1);
	assert_contains(err.msg, "is a symbolic link");
	free(target);
	free(link);
	tree_free(&t);
}

static void test_dotfiles_repository_in_home_is_not_followed(void **state)
{
	struct tree t;
	struct sbx_git_repo repo;
	struct sbx_error err = {{0}};

	(void)state;
	tree_init(&t);
	make_git_dir(&t, "home/.git");
	write_t(&t, "home/proj/file", "");
	assert_int_equal(find_in(&t, "home/proj", NULL, &repo, &err), 0);
	assert_null(repo.root);
	assert_null(repo.git_dir);
	assert_int_equal(find_in(&t, "home", NULL, &repo, &err), 0);
	assert_null(repo.root);
	tree_free(&t);
}

static void test_git_dir_or_work_tree_set_is_refused(void **state)
{
	static const char *const names[] = {"GIT_DIR=/srv/x/.git", "GIT_WORK_TREE=/srv/x"};
	struct tree t;
	size_t i;

	(void)state;
	tree_init(&t);
	make_git_dir(&t, "repo/.git");
	for (i = 0; i < 2; i++) {
		char *env[] = {t.env_home, (char *)names[i], NULL};
		struct sbx_git_repo repo;
		struct sbx_error err = {{0}};

		assert_int_equal(find_in(&t, "repo", env, &repo, &err), -1);
		assert_contains(err.msg, "GIT_DIR or GIT_WORK_TREE is set");
	}
	tree_free(&t);
}

static void test_env_replaces_the_callers_git_variables(void **state)
{
	char *const env[] = {"HOME=/home/u", "SANDBOXEC_GIT_ROOT=/", "SANDBOXEC_GIT_DIR=/etc",
			     NULL};
	struct sbx_git_repo repo = {"/srv/r", "/srv/r/.git", "/srv/r/.git"};
	struct sbx_git_repo none = {0};
	char **out;

	(void)state;
	out = sbx_git_env(env, &repo);
	assert_string_equal(out[0], "HOME=/home/u");
	assert_string_equal(out[1], "SANDBOXEC_GIT_ROOT=/srv/r");
	assert_string_equal(out[2], "SANDBOXEC_GIT_DIR=/srv/r/.git");
	assert_string_equal(out[3], "SANDBOXEC_GIT_COMMON_DIR=/srv/r/.git");
	assert_null(out[4]);
	sbx_git_env_free(out);
	out = sbx_git_env(env, &none);
	assert_string_equal(out[0], "HOME=/home/u");
	assert_null(out[1]);
	sbx_git_env_free(out);
	assert_true(sbx_git_is_builtin("SANDBOXEC_GIT_COMMON_DIR"));
	assert_false(sbx_git_is_builtin("SANDBOXEC_GIT"));
}

int main(void)
{
	static const struct CMUnitTest singles[] = {
	    cmocka_unit_test(test_pointer_with_nul_is_refused),
	    cmocka_unit_test(test_walk_from_a_subdirectory),
	    cmocka_unit_test(test_walk_outside_a_repository_finds_nothing),
	    cmocka_unit_test(test_worktree_grants_its_git_dir_and_the_common_dir),
	    cmocka_unit_test(test_worktree_whose_back_link_names_another_is_refused),
	    cmocka_unit_test(test_submodule_grants_its_dir_in_the_superproject),
	    cmocka_unit_test(test_oversized_git_file_is_refused),
	    cmocka_unit_test(test_git_link_is_refused),
	    cmocka_unit_test(test_dotfiles_repository_in_home_is_not_followed),
	    cmocka_unit_test(test_git_dir_or_work_tree_set_is_refused),
	    cmocka_unit_test(test_env_replaces_the_callers_git_variables),
	};
	struct ut_suite suite = {0};

	UT_SUITE_ADD_TESTS(&suite, singles);
	UT_SUITE_ADD_ROWS(&suite, test_pointer_row, NULL, NULL, pointer_rows);
	UT_SUITE_ADD_ROWS(&suite, test_hostile_git_file_row, NULL, NULL, hostile_rows);
	return ut_suite_run(&suite, "gitroot");
}
