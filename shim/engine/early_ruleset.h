/* SPDX-License-Identifier: Apache-2.0 */
/* The early ruleset (struct sbx_early_ruleset in policy.h): made while
 * resolving, once the settings are known, so that each rule reaches the
 * kernel right after its path is opened. Kernel-facing; applying decides
 * whether to use it (landlock_plan.c). */
#ifndef SBX_EARLY_RULESET_H
#define SBX_EARLY_RULESET_H

#include "policy.h"

/* Creates policy->early from the plan that `settings` (policy's settings
 * and network rules, no fs rule yet) gives on this kernel. Leaves none,
 * silently, where that plan fails or confines nothing, or the kernel
 * refuses the ruleset: applying then builds its own and says why. */
void sbx_early_ruleset_begin(struct sbx_policy *policy, const struct sbx_policy *settings);

/* Adds `rule`, whose descriptor resolving holds, to policy->early with the
 * rights that plan gives it, then closes the descriptor. A refusal drops
 * the early ruleset (applying repeats the call and words the error) and
 * leaves the descriptor held. Does nothing without an early ruleset or a
 * held descriptor. */
void sbx_early_ruleset_add(struct sbx_policy *policy, struct sbx_fs_rule *rule);

#endif
