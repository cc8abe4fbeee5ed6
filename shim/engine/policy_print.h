/* SPDX-License-Identifier: Apache-2.0 */
/* Printing a planned policy as YAML that is itself a valid config (explain,
 * SANDBOXEC_VERBOSE): effective values, each with where it came from. */
#ifndef SBX_POLICY_PRINT_H
#define SBX_POLICY_PRINT_H

#include "landlock_plan.h"
#include "util.h"

void sbx_plan_write_yaml(const struct sbx_plan *plan, struct sbx_buf *out);

/* A YAML double-quoted scalar whose value, once the config loader expands
 * it, is exactly `text` ("$" is written "$$"). */
void sbx_yaml_quote_path(struct sbx_buf *out, const char *text);

#endif
