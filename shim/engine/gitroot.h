/* SPDX-License-Identifier: Apache-2.0 */
/* The repository the working directory is in, for the built-in rule
 * variables SANDBOXEC_GIT_ROOT, SANDBOXEC_GIT_DIR and
 * SANDBOXEC_GIT_COMMON_DIR (docs/design.md §2.1). */
#ifndef SBX_GITROOT_H
#define SBX_GITROOT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The three directories git itself would use (its --show-toplevel,
 * --git-dir and --git-common-dir), all absolute with links resolved; all
 * NULL when there is no repository to follow. */
struct sbx_git_repo {
	char *root;
	char *git_dir;
	char *common_dir;
};

void sbx_git_repo_free(struct sbx_git_repo *repo);

/* The path a ".git" file ("gitdir: PATH\n") or a "commondir" file
 * ("PATH\n") names: one line, no NUL, not empty; prefix is "gitdir: " or
 * "". Pure. */
int sbx_git_parse_pointer(const char *content, size_t len, const char *prefix, const char *shown,
			  char **out, struct sbx_error *err);

/* Whether the name is one of the built-in variables. */
bool sbx_git_is_builtin(const char *name);

/* Whether a rule text uses a built-in variable: only then is the
 * repository looked for. Pure. */
bool sbx_git_text_uses_builtin(const char *text);

/* Walks up from cwd to the first ".git" (a directory, or a file naming
 * the git directory: a worktree or a submodule), on one filesystem as git
 * does. No repository, or one whose top is / or the home directory or
 * above it (a dotfiles repository), leaves *out empty: the rules take
 * their defaults. Refused with one line: GIT_DIR or GIT_WORK_TREE set, a
 * ".git" that is a link, a ".git" file that is malformed, too large, or
 * names a directory that is not a git directory, is /, the home directory
 * or above it, or does not name this work tree back. */
int sbx_git_find(const char *cwd, char *const *envp, struct sbx_git_repo *out,
		 struct sbx_error *err);

/* envp without any SANDBOXEC_GIT_* entry, plus the repository's: a
 * variable of the caller's can never stand in for the walk. Free with
 * sbx_git_env_free. */
char **sbx_git_env(char *const *envp, const struct sbx_git_repo *repo);
void sbx_git_env_free(char **env);

#endif
