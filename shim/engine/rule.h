/* SPDX-License-Identifier: Apache-2.0 */
/* Parsing one rule as written — "RIGHTS:PATH" or "RIGHTS:PORT" — into its
 * Landlock access and its expanded, absolute path or port. Knows nothing of
 * where the rule came from beyond the origin it puts in messages. */
#ifndef SBX_RULE_H
#define SBX_RULE_H

#include <stdint.h>

#include "error.h"
#include "rights.h"

/* Expands ~, ~/…, $VAR, ${VAR} and $$ in a path. An unset or empty
 * variable is an error, never an empty string. */
int sbx_expand_path(const char *in, char *const *envp, char **out, struct sbx_error *err);

/* "rx:/usr" → access and an absolute path (relative paths are taken
 * against base_dir, or the current directory when base_dir is NULL). */
int sbx_rule_parse_fs(const char *text, char *const *envp, const char *base_dir,
		      const struct sbx_right **right, char **path, struct sbx_error *err);

/* "c:443" → access and port. */
int sbx_rule_parse_net(const char *text, const struct sbx_right **right, uint16_t *port,
		       struct sbx_error *err);

#endif
