/* SPDX-License-Identifier: Apache-2.0 */
/* Which config file applies (docs/design.md §3.2 step 3, §3.3, §3.4) and loading it,
 * with `extends` composition for profiles. The first that applies wins:
 * --config/SANDBOXEC_CONFIG, else -C/SANDBOXEC_NAMED_CONFIG (a stronger
 * layer's choice beats a weaker one's), else the trusted project file
 * searched from the current directory up, else the user's config. */
#ifndef SBX_CONFIG_FIND_H
#define SBX_CONFIG_FIND_H

#include <stdbool.h>

#include "envlist.h"
#include "envsettings.h"
#include "policy.h"

/* The largest config file read; the trust store's copies of project files
 * are held to it too. */
#define SBX_CONFIG_MAX_SIZE (4u << 20)

struct sbx_config_search {
	const struct sbx_layer *flags; /* NULL in the shim */
	const struct sbx_env_settings *env;
	char *const *envp;
	const char *self_dir; /* where the binary or the shim lives, or NULL */
};

/* Loads the applicable config into *out (name = where it came from) and
 * sets *found; with no config anywhere, *found is false and out is an empty
 * layer. An untrusted project file is an error, never a fall-through. On
 * an error, out holds nothing that needs freeing. */
int sbx_config_find_and_load(const struct sbx_config_search *search, struct sbx_layer *out,
			     bool *found, char **path, struct sbx_error *err);

/* The project file for the current directory: .sandboxec.yaml or
 * .sandboxec.yml, searched upward to /. NULL in *path when there is none.
 * The path is where it was found (the directory as getcwd() names it, the
 * file itself not resolved); a link, a directory or anything else that is
 * not a regular file under either name is an error (docs/design.md §3.3). */
int sbx_project_file_find(char **path, struct sbx_error *err);

/* The path a project file named on the command line is trusted under:
 * its directory resolved as getcwd() would name it, its own name kept, so
 * it matches what sbx_project_file_find() returns there. */
int sbx_project_file_path(const char *file, char **path, struct sbx_error *err);

/* Reads a project file without following a link at its path; anything but
 * a regular file there is an error. */
int sbx_project_file_read(const char *path, char **data, size_t *len, struct sbx_error *err);

/* Resolves a profile name (docs/design.md §3.4) to a file. */
int sbx_named_config_find(const char *name, char *const *envp, const char *profile_path,
			  const char *self_dir, char **path, struct sbx_error *err);

/* The directories profiles are searched in, in order. */
void sbx_profile_dirs(char *const *envp, const char *profile_path, const char *self_dir,
		      struct sbx_strv *out);

#endif
