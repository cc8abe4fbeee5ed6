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
	t->env[1] = t->env[2] = NULL;
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

/* The text with each "$T" replaced by the tree's top. */
static char *subst_top(const struct tree *t, const char *text)
{
	const char *mark = strstr(text, "$T");
	char *rest, *out;

	if (!mark)
		return strdup(text);
	rest = subst_top(t, mark + 2);
	assert_true(asprintf(&out, "%.*s%s%s", (int)(mark - text), text, t->top, rest) > 0);
	free(rest);
	return out;
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

/* The fixtures: each builds one tree shape; arg is the row's. */

static void build_repo(const struct tree *t, const char *arg)
{
	(void)arg;
	make_git_dir(t, "repo/.git");
	write_t(t, "repo/a/b/file", "");
}

static void build_plain(const struct tree *t, const char *arg)
{
	(void)arg;
	write_t(t, "plain/file", "");
	/* A .git directory without HEAD is not a repository (git skips it too). */
	write_t(t, "plain/.git/junk", "");
}

/* arg: where the worktree's git directory says its .git file is. */
static void build_worktree(const struct tree *t, const char *arg)
{
	make_worktree(t, arg);
	write_t(t, "wt/sub/file", "");
}

static void build_submodule(const struct tree *t, const char *arg)
{
	(void)arg;
	make_git_dir(t, "super/.git");
	make_git_dir(t, "super/.git/modules/lib");
	write_t(t, "super/lib/.git", "gitdir: ../.git/modules/lib\n");
}

/* arg: proj/.git's content. */
static void build_hostile(const struct tree *t, const char *arg)
{
	char *line = subst_top(t, arg);

	make_git_dir(t, "main/.git");
	write_t(t, "main/notgit/file", "");
	/* Make home look like a git directory: only the home check stops it. */
	write_t(t, "home/HEAD", "ref: refs/heads/main\n");
	write_t(t, "proj/.git", line);
	free(line);
}

static void build_oversized(const struct tree *t, const char *arg)
{
	char big[5000];

	(void)arg;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "gitdir: ", 8);
	write_t(t, "proj/.git", big);
}

static void build_git_link(const struct tree *t, const char *arg)
{
	char *target = tpath(t, "main/.git"), *link = tpath(t, "proj/.git");

	(void)arg;
	make_git_dir(t, "main/.git");
	free(ut_mkdir_in(t->top, "proj"));
	assert_int_equal(symlink(target, link), 0);
	free(target);
	free(link);
}

static void build_dotfiles(const struct tree *t, const char *arg)
{
	(void)arg;
	make_git_dir(t, "home/.git");
	write_t(t, "home/proj/file", "");
}

/* One walk: a tree, where it starts, and what it must find (paths
 * relative to the tree; NULL: unset) or the error it must give. */
struct walk_row {
	const char *name;
	void (*build)(const struct tree *t, const char *arg);
	const char *arg;
	const char *cwd;
	const char *extra_env; /* besides HOME */
	const char *root, *git_dir, *common_dir;
	const char *want_msg; /* non-NULL: the walk is refused with it */
};

static const struct walk_row walk_rows[] = {
    {"walk from a subdirectory", build_repo, NULL, "repo/a/b", NULL, "repo", "repo/.git",
     "repo/.git", NULL},
    {"walk outside a repository finds nothing", build_plain, NULL, "plain", NULL, NULL, NULL, NULL,
     NULL},
    {"a worktree grants its git dir and the common dir", build_worktree, "wt/.git", "wt/sub", NULL,
     "wt", "main/.git/worktrees/wt", "main/.git", NULL},
    {"a worktree whose back link names another is refused", build_worktree, "elsewhere/.git", "wt",
     NULL, NULL, NULL, NULL, "borrows another work tree's directory"},
    {"a submodule grants its dir in the superproject", build_submodule, NULL, "super/lib", NULL,
     "super/lib", "super/.git/modules/lib", "super/.git/modules/lib", NULL},
    {"a .git file that borrows another repository's .git", build_hostile, "gitdir: $T/main/.git\n",
     "proj", NULL, NULL, NULL, NULL, "neither a worktree's nor a submodule's"},
    {"a .git file that names /", build_hostile, "gitdir: /\n", "proj", NULL, NULL, NULL, NULL,
     "is / or your home directory"},
    {"a .git file that climbs to / with ..", build_hostile,
     "gitdir: ../../../../../../../../../../../../../../..\n", "proj", NULL, NULL, NULL, NULL,
     "is / or your home directory"},
    {"a .git file that names the home directory", build_hostile, "gitdir: $T/home\n", "proj", NULL,
     NULL, NULL, NULL, "is / or your home directory"},
    {"a .git file that names a directory that is no git directory", build_hostile,
     "gitdir: $T/main/notgit\n", "proj", NULL, NULL, NULL, NULL, "is not a git directory"},
    {"a .git file that names nothing", build_hostile, "gitdir: $T/missing\n", "proj", NULL, NULL,
     NULL, NULL, "No such file"},
    {"a .git file that is malformed", build_hostile, "worktree: /main/.git\n", "proj", NULL, NULL,
     NULL, NULL, "does not begin with"},
    {"an oversized .git file is refused", build_oversized, NULL, "proj", NULL, NULL, NULL, NULL,
     "larger than"},
    {"a .git link is refused", build_git_link, NULL, "proj", NULL, NULL, NULL, NULL,
     "is a symbolic link"},
    {"a dotfiles repository in home is not followed from below", build_dotfiles, NULL, "home/proj",
     NULL, NULL, NULL, NULL, NULL},
    {"a dotfiles repository in home is not followed from home", build_dotfiles, NULL, "home", NULL,
     NULL, NULL, NULL, NULL},
    {"GIT_DIR set is refused", build_repo, NULL, "repo", "GIT_DIR=/srv/x/.git", NULL, NULL, NULL,
     "GIT_DIR or GIT_WORK_TREE is set"},
    {"GIT_WORK_TREE set is refused", build_repo, NULL, "repo", "GIT_WORK_TREE=/srv/x", NULL, NULL,
     NULL, "GIT_DIR or GIT_WORK_TREE is set"},
};

static void assert_tpath(const struct tree *t, const char *got, const char *rel)
{
	char *want;

	if (!rel) {
		assert_null(got);
		return;
	}
	want = tpath(t, rel);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(want);
}

static void test_walk_row(void **state)
{
	const struct walk_row *r = *state;
	struct tree t;
	struct sbx_git_repo repo;
	struct sbx_error err = {{0}};
	char *cwd;

	tree_init(&t);
	r->build(&t, r->arg);
	t.env[1] = (char *)r->extra_env;
	cwd = tpath(&t, r->cwd);
	assert_int_equal(sbx_git_find(cwd, t.env, &repo, &err), r->want_msg ? -1 : 0);
	free(cwd);
	if (r->want_msg)
		assert_contains(err.msg, r->want_msg);
	assert_tpath(&t, repo.root, r->root);
	assert_tpath(&t, repo.git_dir, r->git_dir);
	assert_tpath(&t, repo.common_dir, r->common_dir);
	sbx_git_repo_free(&repo);
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
	    cmocka_unit_test(test_env_replaces_the_callers_git_variables),
	};
	struct ut_suite suite = {0};

	UT_SUITE_ADD_TESTS(&suite, singles);
	UT_SUITE_ADD_ROWS(&suite, test_pointer_row, NULL, NULL, pointer_rows);
	UT_SUITE_ADD_ROWS(&suite, test_walk_row, NULL, NULL, walk_rows);
	return ut_suite_run(&suite, "gitroot");
}
