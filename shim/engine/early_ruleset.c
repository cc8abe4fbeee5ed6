/* SPDX-License-Identifier: Apache-2.0 */
/* The early ruleset; see early_ruleset.h and docs/perf.md §6 (Many rules). */
#include "early_ruleset.h"

#include <sys/stat.h>
#include <unistd.h>

#include "landlock_abi.h"
#include "landlock_plan.h"
#include "plan_sets.h"

void sbx_early_ruleset_begin(struct sbx_policy *policy, const struct sbx_policy *settings)
{
	const char *why = NULL;
	int kernel_abi = sbx_kernel_abi(&why);
	struct sbx_plan plan;
	int fd;

	sbx_policy_drop_early(policy);
	/* Its error goes unsaid (NULL: the engine's errors take none): applying
	 * builds the plan again and words it. A 2 KiB message buffer on the
	 * heap took the shim's cold path to a second heap page. */
	if (sbx_plan_build(settings, kernel_abi, why, &plan, NULL) < 0)
		return;
	fd = plan.unsandboxed ? -1 : sbx_plan_create_ruleset(&plan);
	if (fd >= 0)
		policy->early = (struct sbx_early_ruleset){
		    .open = true,
		    .fd = fd,
		    .kernel_abi = kernel_abi,
		    .abi = plan.abi,
		    .resolve_unix = plan.resolve_unix,
		    .handled_fs = plan.handled_fs,
		    .handled_net = plan.handled_net,
		    .scoped = plan.scoped,
		};
	sbx_plan_free(&plan);
}

void sbx_early_ruleset_add(struct sbx_policy *policy, struct sbx_fs_rule *rule)
{
	struct sbx_ll_path_beneath_attr attr = {0};

	if (!policy->early.open || rule->held_fd < 0)
		return;
	/* As applying masks a held descriptor's rule (landlock_plan.c). */
	attr.allowed_access = sbx_plan_rule_access(
	    rule->access, policy->early.abi, S_ISDIR(rule->stat_mode), policy->early.resolve_unix);
	attr.parent_fd = rule->held_fd;
	if (attr.allowed_access &&
	    sbx_ll_add_rule(policy->early.fd, SBX_LL_RULE_PATH_BENEATH, &attr, 0) < 0) {
		sbx_policy_drop_early(policy);
		return;
	}
	close(rule->held_fd);
	rule->held_fd = -1;
	rule->in_early_ruleset = true;
}
