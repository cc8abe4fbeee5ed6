/* SPDX-License-Identifier: Apache-2.0 */
/* Is this directory /, the home directory or above it; see homedir.h.
 * Stats paths, and resolves $HOME when a link is on its way; applies
 * nothing. */
#include "homedir.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Whether path, links followed, is target; *linked is set when path
 * itself is a symbolic link or missing. */
static bool same_file(const char *path, const struct stat *target, bool *linked)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		*linked = true;
		return false;
	}
	if (S_ISLNK(st.st_mode)) {
		*linked = true;
		if (stat(path, &st) < 0)
			return false;
	}
	return st.st_dev == target->st_dev && st.st_ino == target->st_ino;
}

/* Walks from dir up to / by its text, comparing each directory with
 * target; skip (when not NULL) is a walk already done whose directories
 * need no second look. *linked as for same_file, for any of them. */
static enum sbx_home_place walk_up(const char *dir, const struct stat *target, const char *skip,
				   bool *linked)
{
	enum sbx_home_place place = SBX_HOME_BELOW_OR_ELSEWHERE;
	char *cur = sbx_xstrdup(dir);

	for (;;) {
		if ((!skip || !sbx_path_in_tree(skip, cur)) && same_file(cur, target, linked)) {
			place = strcmp(cur, "/") == 0 ? SBX_HOME_ROOT : SBX_HOME_OR_ABOVE;
			break;
		}
		if (!sbx_path_step_up(cur))
			break;
	}
	free(cur);
	return place;
}

enum sbx_home_place sbx_home_place(const struct stat *target, char *const *envp)
{
	const char *home = sbx_env_get(envp, "HOME");
	char real[PATH_MAX];
	enum sbx_home_place place;
	bool linked = false;

	if (!home || home[0] != '/')
		home = "/";
	/* The text first, down to /: a match at / itself is named as /. */
	place = walk_up(home, target, NULL, &linked);
	/* Every component of $HOME ends one of the paths the text walk
	 * looked at; with none a link, resolving it (".." included) reaches
	 * no directory the walk did not, and realpath() is spared. */
	if (place != SBX_HOME_BELOW_OR_ELSEWHERE || !linked || !realpath(home, real))
		return place;
	/* What is above the resolved home and not on the text walk (never /
	 * again, which the text walk ended on). */
	return walk_up(real, target, home, &linked);
}

enum sbx_home_place sbx_home_place_of_path(const char *path, char *const *envp)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return SBX_HOME_OR_ABOVE;
	return sbx_home_place(&st, envp);
}
