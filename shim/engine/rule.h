/* SPDX-License-Identifier: Apache-2.0 */
/* Parsing one rule as written — "RIGHTS:PATH" or "RIGHTS:PORT" — into its
 * Landlock access and its expanded, absolute path or port. Knows nothing of
 * where the rule came from beyond the origin it puts in messages. */
#ifndef SBX_RULE_H
#define SBX_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "rights.h"
#include "util.h"

/* Expands ~, ~/…, $VAR, ${VAR}, ${VAR:-default} and $$ in a path. An
 * unset or empty variable is an error, never an empty string, except in
 * ${VAR:-default}, which then takes the default. A value ${VAR:-…} takes
 * must be absolute where it begins the path, have no ".." component, and
 * not make the path / or the home directory or above it
 * (docs/design.md §2.1). */
int sbx_expand_path(const char *in, char *const *envp, char **out, struct sbx_error *err);

/* Whether a rule path holds a ${VAR:-default}: its target is then checked
 * again, with links followed, when the rule is resolved. */
bool sbx_path_follows_variable(const char *text);

/* "rx:/usr" → access and an absolute path (relative paths are taken
 * against base_dir, or the current directory when base_dir is NULL). */
int sbx_rule_parse_fs(const char *text, char *const *envp, const char *base_dir,
		      const struct sbx_right **right, char **path, struct sbx_error *err);
/* The same, the path written into *path in place of what it held: one
 * buffer for thousands of rules, not an allocation each. */
int sbx_rule_parse_fs_into(const char *text, char *const *envp, const char *base_dir,
			   const struct sbx_right **right, struct sbx_buf *path,
			   struct sbx_error *err);

/* "c:443" → access and port. */
int sbx_rule_parse_net(const char *text, const struct sbx_right **right, uint16_t *port,
		       struct sbx_error *err);

#endif
