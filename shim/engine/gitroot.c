/* SPDX-License-Identifier: Apache-2.0 */
/* Finding the repository for the built-in rule variables; see gitroot.h.
 * Reads ".git" files and stats directories; applies nothing. */
#include "gitroot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "homedir.h"
#include "util.h"

/* git writes one short line; anything longer is not its file. */
#define POINTER_MAX 4096

static const char *const builtins[] = {"SANDBOXEC_GIT_ROOT", "SANDBOXEC_GIT_DIR",
				       "SANDBOXEC_GIT_COMMON_DIR"};

void sbx_git_repo_free(struct sbx_git_repo *repo)
{
	free(repo->root);
	free(repo->git_dir);
	free(repo->common_dir);
	repo->root = repo->git_dir = repo->common_dir = NULL;
}

bool sbx_git_is_builtin(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (strcmp(name, builtins[i]) == 0)
			return true;
	}
	return false;
}

bool sbx_git_text_uses_builtin(const char *text)
{
	return strstr(text, "SANDBOXEC_GIT_") != NULL;
}

int sbx_git_parse_pointer(const char *content, size_t len, const char *prefix, const char *shown,
			  char **out, struct sbx_error *err)
{
	size_t plen = strlen(prefix), end;

	if (memchr(content, '\0', len))
		return sbx_error_set(err, "%s holds a NUL byte; it is not git's file", shown);
	if (len < plen || strncmp(content, prefix, plen) != 0)
		return sbx_error_set(err, "%s does not begin with \"%s\"; it is not git's file",
				     shown, prefix);
	end = len;
	if (end > plen && content[end - 1] == '\n')
		end--;
	if (end > plen && content[end - 1] == '\r')
		end--;
	if (memchr(content + plen, '\n', end - plen))
		return sbx_error_set(err, "%s has more than one line; it is not git's file", shown);
	if (end == plen)
		return sbx_error_set(err, "%s names no directory", shown);
	*out = sbx_xstrndup(content + plen, end - plen);
	return 0;
}

/* A small regular file, never through a link: the .git file belongs to
 * the project, which may not be trusted. */
static int read_pointer(const char *path, const char *prefix, char **out, struct sbx_error *err)
{
	struct stat st;
	char *content;
	size_t len;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return sbx_error_set(err, "cannot read %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sbx_error_set(err, "%s is not a regular file", path);
	}
	ret = sbx_read_fd(fd, path, POINTER_MAX, &content, &len, err);
	close(fd);
	if (ret < 0)
		return -1;
	ret = sbx_git_parse_pointer(content, len, prefix, path, out, err);
	free(content);
	return ret < 0 || !*out ? -1 : 0;
}

static bool has_file(const char *dir, const char *name, bool want_dir)
{
	char *path = sbx_path_join(dir, name);
	struct stat st;
	bool ok = stat(path, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));

	free(path);
	return ok;
}

/* A directory a pointer file names, relative to the file's directory as
 * git reads it, links and ".." resolved, checked to be a git directory. */
static int follow_pointer(const char *base, const char *target, const char *shown,
			  bool want_objects, char *const *envp, char **out, struct sbx_error *err)
{
	char *joined = target[0] == '/' ? sbx_xstrdup(target) : sbx_path_join(base, target);
	char real[PATH_MAX];

	if (!realpath(joined, real)) {
		sbx_error_set(err, "%s names %s: %s; repair or remove it", shown, joined,
			      strerror(errno));
		free(joined);
		return -1;
	}
	free(joined);
	if (sbx_home_place_of_path(real, envp) != SBX_HOME_BELOW_OR_ELSEWHERE)
		return sbx_error_set(err,
				     "%s names %s, which is / or your home directory or above "
				     "it; repair or remove it",
				     shown, real);
	if (!has_file(real, "HEAD", false) || (want_objects && !has_file(real, "objects", true)))
		return sbx_error_set(err,
				     "%s names %s, which is not a git directory; repair "
				     "or remove it",
				     shown, real);
	*out = sbx_xstrdup(real);
	return 0;
}

/* A worktree's git directory names its .git file back (in its "gitdir"
 * file, which git writes): a .git file cannot borrow another work tree's
 * git directory. */
static int check_back_link(const char *git_dir, const char *dotgit, struct sbx_error *err)
{
	char *back_file = sbx_path_join(git_dir, "gitdir"), *back = NULL;
	char real[PATH_MAX];
	int ret = 0;

	if (read_pointer(back_file, "", &back, err) < 0) {
		ret = -1;
	} else if (!realpath(back, real) || strcmp(real, dotgit) != 0) {
		ret = sbx_error_set(err,
				    "%s names %s, not this work tree's %s: the .git file "
				    "borrows another work tree's directory; repair it with "
				    "\"git worktree repair\"",
				    back_file, back, dotgit);
	}
	free(back);
	free(back_file);
	return ret;
}

/* A submodule's git directory lies in a superproject's: below
 * <A>/.git/modules for a directory A above the submodule. */
static int check_in_superproject(const char *git_dir, const char *dir, const char *dotgit,
				 struct sbx_error *err)
{
	char *up = sbx_path_dirname(dir);

	for (;;) {
		char *modules = sbx_path_join(up, ".git/modules");
		char real[PATH_MAX];
		bool inside = realpath(modules, real) && sbx_path_in_tree(git_dir, real);

		free(modules);
		if (inside) {
			free(up);
			return 0;
		}
		if (!sbx_path_step_up(up))
			break;
	}
	free(up);
	return sbx_error_set(err,
			     "%s names %s, which is neither a worktree's nor a submodule's git "
			     "directory; grant it with --add-fs and write the rule without "
			     "SANDBOXEC_GIT_*",
			     dotgit, git_dir);
}

static int follow_git_file(const char *dir, const char *dotgit, char *const *envp,
			   struct sbx_git_repo *out, struct sbx_error *err)
{
	char *target = NULL, *common_file = NULL, *common = NULL;
	int ret = -1;

	if (read_pointer(dotgit, "gitdir: ", &target, err) < 0 || !target)
		goto out;
	if (follow_pointer(dir, target, dotgit, false, envp, &out->git_dir, err) < 0)
		goto out;
	common_file = sbx_path_join(out->git_dir, "commondir");
	if (access(common_file, F_OK) == 0) {
		if (read_pointer(common_file, "", &common, err) < 0 || !common ||
		    follow_pointer(out->git_dir, common, common_file, true, envp, &out->common_dir,
				   err) < 0 ||
		    check_back_link(out->git_dir, dotgit, err) < 0)
			goto out;
	} else {
		if (check_in_superproject(out->git_dir, dir, dotgit, err) < 0)
			goto out;
		out->common_dir = sbx_xstrdup(out->git_dir);
	}
	ret = 0;
out:
	free(target);
	free(common_file);
	free(common);
	return ret;
}

int sbx_git_find(const char *cwd, char *const *envp, struct sbx_git_repo *out,
		 struct sbx_error *err)
{
	struct stat start;
	char *dir;
	int ret = 0;

	*out = (struct sbx_git_repo){0};
	/* With either set, git looks for nothing: the walk would grant a
	 * directory git does not use. */
	if (sbx_env_get(envp, "GIT_DIR") || sbx_env_get(envp, "GIT_WORK_TREE"))
		return sbx_error_set(err, "GIT_DIR or GIT_WORK_TREE is set, so the repository "
					  "is not found by walking up (SANDBOXEC_GIT_*): unset "
					  "them, or use a profile without SANDBOXEC_GIT_* and "
					  "grant the directories with --add-fs");
	if (stat(cwd, &start) < 0)
		return 0;
	dir = sbx_xstrdup(cwd);
	for (;;) {
		char *dotgit = sbx_path_join(dir, ".git");
		struct stat st;
		struct stat parent;

		if (lstat(dotgit, &st) == 0) {
			if (sbx_home_place_of_path(dir, envp) != SBX_HOME_BELOW_OR_ELSEWHERE) {
				/* A dotfiles repository: not one to grant. */
				free(dotgit);
				break;
			}
			if (S_ISLNK(st.st_mode)) {
				ret = sbx_error_set(err,
						    "%s is a symbolic link; grant its target with "
						    "--add-fs and use a profile without "
						    "SANDBOXEC_GIT_*",
						    dotgit);
				free(dotgit);
				break;
			}
			if (S_ISDIR(st.st_mode) && has_file(dotgit, "HEAD", false)) {
				out->root = sbx_xstrdup(dir);
				out->git_dir = sbx_xstrdup(dotgit);
				out->common_dir = sbx_xstrdup(dotgit);
				free(dotgit);
				break;
			}
			if (S_ISREG(st.st_mode)) {
				ret = follow_git_file(dir, dotgit, envp, out, err);
				if (ret == 0)
					out->root = sbx_xstrdup(dir);
				free(dotgit);
				break;
			}
		}
		free(dotgit);
		if (!sbx_path_step_up(dir))
			break;
		/* git stops at a filesystem boundary; so does the walk. */
		if (stat(dir, &parent) < 0 || parent.st_dev != start.st_dev)
			break;
	}
	free(dir);
	if (ret < 0)
		sbx_git_repo_free(out);
	return ret;
}

char **sbx_git_env(char *const *envp, const struct sbx_git_repo *repo)
{
	const char *values[3] = {repo->root, repo->git_dir, repo->common_dir};
	size_t n = 0, i, k = 0;
	char **env;

	while (envp && envp[n])
		n++;
	env = sbx_xcalloc(n + 4, sizeof(*env));
	for (i = 0; i < n; i++) {
		if (strncmp(envp[i], "SANDBOXEC_GIT_", 14) != 0)
			env[k++] = sbx_xstrdup(envp[i]);
	}
	for (i = 0; i < 3; i++) {
		if (values[i])
			env[k++] = sbx_xasprintf("%s=%s", builtins[i], values[i]);
	}
	env[k] = NULL;
	return env;
}

void sbx_git_env_free(char **env)
{
	size_t i;

	for (i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}
