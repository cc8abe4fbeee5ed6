/* SPDX-License-Identifier: Apache-2.0 */
/* Which directories go with a program that a $PATH entry links to outside
 * every $PATH directory (/usr/bin/clang -> /usr/lib/llvm-14/bin/clang,
 * /usr/bin/java -> /etc/alternatives/java -> a JDK's bin/java): such a
 * program finds its own files next to its real path. Pure: strings only;
 * the caller checks the answer against the policy's writable trees. */
#ifndef SBX_HOSTRT_LINKDIR_H
#define SBX_HOSTRT_LINKDIR_H

#include <stddef.h>

struct sbx_hostrt_linkdirs {
	char *dir;    /* the program's own directory, when it is a bin or sbin, or NULL */
	char *prefix; /* dir's parent, a package's installation under /usr or /opt, or NULL */
};

/* real_exe: the program's real path (absolute, resolved); path_dirs: the
 * real paths of the $PATH directories, none of which holds it. A
 * directory is never one that holds a $PATH directory (/usr, /usr/local):
 * that is a system prefix, not one program's home. */
void sbx_hostrt_link_dirs(const char *real_exe, const char *const *path_dirs, size_t n_path_dirs,
			  struct sbx_hostrt_linkdirs *out);
void sbx_hostrt_link_dirs_free(struct sbx_hostrt_linkdirs *ld);

#endif
