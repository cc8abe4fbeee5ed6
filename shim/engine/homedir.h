/* SPDX-License-Identifier: Apache-2.0 */
/* Whether a directory is /, the home directory or one above it: the one
 * check behind every rule or repository that must not grant the whole
 * home (a followed variable, a ".git" file, a dotfiles repository). Stats
 * paths; prints nothing, keeps no state. */
#ifndef SBX_HOMEDIR_H
#define SBX_HOMEDIR_H

#include <sys/stat.h>

enum sbx_home_place {
	SBX_HOME_BELOW_OR_ELSEWHERE, /* neither of the two below */
	SBX_HOME_ROOT,		     /* the directory / */
	SBX_HOME_OR_ABOVE,	     /* $HOME itself or a directory above it */
};

/* Where the directory target (an fstat() or stat() result, links
 * followed) lies. Compared by device and inode, so a link or a bind mount
 * of the home directory counts as the home directory. "Above" takes both
 * spellings of $HOME: the directories its text names on the way up
 * (/home for HOME=/home/u, even when /home/u is a link elsewhere) and
 * those above the directory it resolves to (/data for /home/u -> /data/u).
 * With HOME unset, empty or relative, only / is checked. */
enum sbx_home_place sbx_home_place(const struct stat *target, char *const *envp);

/* The same for a path, links followed; a path that cannot be stat()ed
 * counts as the home directory (the check fails closed). */
enum sbx_home_place sbx_home_place_of_path(const char *path, char *const *envp);

#endif
