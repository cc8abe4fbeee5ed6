/* SPDX-License-Identifier: Apache-2.0 */
/* Turning the host runtime (hostrt.h) into policy rules for
 * --unsafe-host-runtime. */
#ifndef SBX_HOSTRT_RULES_H
#define SBX_HOSTRT_RULES_H

#include "engine/policy.h"

int sbx_hostrt_add_rules(char *const *envp, struct sbx_policy *policy, struct sbx_error *err);

#endif
