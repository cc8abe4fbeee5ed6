/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the SANDBOXEC_* environment into a layer (docs/design.md §3.5). Every
 * SANDBOXEC_* name must be one this table knows: a typo is an error. */
#ifndef SBX_ENVSETTINGS_H
#define SBX_ENVSETTINGS_H

#include <stdbool.h>

#include "policy.h"

#define SBX_ENV_ACTIVE "SANDBOXEC_ACTIVE"

struct sbx_env_settings {
	struct sbx_layer layer;	  /* FS, NET, ABI, the bools, CONFIG, NAMED_CONFIG */
	const char *profile_path; /* SANDBOXEC_PROFILE_PATH (points into envp) */
	const char *active;	  /* SANDBOXEC_ACTIVE (points into envp) */
	bool trust_project;	  /* SANDBOXEC_TRUST_PROJECT */
	bool verbose;		  /* SANDBOXEC_VERBOSE */
	bool any_policy;	  /* some variable describes a policy or names a config */
};

int sbx_env_settings_read(char *const *envp, struct sbx_env_settings *out, struct sbx_error *err);
void sbx_env_settings_free(struct sbx_env_settings *env);

/* The SANDBOXEC_ACTIVE marker for a process tree (docs/design.md §4.2): a hash of
 * every SANDBOXEC_* setting that shapes the policy, so a descendant whose
 * settings are the same skips the layer its tree already has, and one whose
 * settings differ adds its own. Cheap: no parsing, no file access. Not a
 * security boundary: it is only as trustworthy as the environment. */
#define SBX_FINGERPRINT_LEN 33
void sbx_env_fingerprint(char *const *envp, char out[SBX_FINGERPRINT_LEN]);

/* The names the project knows, for messages and docs. */
extern const char *const sbx_env_known_names[];

#endif
