/* SPDX-License-Identifier: Apache-2.0 */
/* Confining the calling process, for both front doors; see confine.h.
 * What it prints goes through the caller's callback: the shim must never
 * touch the program's stdio. */
#include "confine.h"

#include <stdlib.h>
#include <string.h>

#include "envsettings.h"
#include "policy_print.h"
#include "util.h"

int sbx_confine_plan(const struct sbx_policy *policy, struct sbx_plan *plan, struct sbx_error *err)
{
	const char *why = NULL;
	int abi = sbx_kernel_abi(&why);

	return sbx_plan_build(policy, abi, why, plan, err);
}

/* SANDBOXEC_VERBOSE: the plan as YAML, before it is applied. */
static void print_plan(const struct sbx_confine *c, const struct sbx_plan *plan)
{
	struct sbx_buf text = {0};

	sbx_plan_write_yaml(plan, &text);
	c->print(c->print_ctx, text.data, text.len);
	sbx_buf_free(&text);
}

static void print_warning(const struct sbx_confine *c, const struct sbx_plan *plan)
{
	if (!plan->warning || (plan->unsandboxed && c->unsandboxed_warning_printed))
		return;
	c->print(c->print_ctx, plan->warning, strlen(plan->warning));
	c->print(c->print_ctx, "\n", 1);
}

/* What --unsafe-host-runtime left out, one line each: the user must learn
 * why a program does not start (docs/host-runtime.md "Writable trees"). A
 * shim whose audit copy already ran without Landlock said it already. */
static void print_hostrt_refusals(const struct sbx_confine *c, const struct sbx_plan *plan)
{
	size_t i;

	if (plan->unsandboxed && c->unsandboxed_warning_printed)
		return;
	for (i = 0; i < c->policy->n_hostrt_refused; i++) {
		struct sbx_buf line = {0};

		sbx_buf_printf(&line, "sandboxec: warning: %s\n", c->policy->hostrt_refused[i]);
		c->print(c->print_ctx, line.data, line.len);
		sbx_buf_free(&line);
	}
}

enum sbx_confine_result sbx_confine_at_abi(const struct sbx_confine *c, int kernel_abi,
					   const char *kernel_why, struct sbx_error *err)
{
	enum sbx_confine_result result = SBX_CONFINED;
	struct sbx_plan plan;
	bool apply_failed;

	if (sbx_plan_build(c->policy, kernel_abi, kernel_why, &plan, err) < 0)
		return SBX_CONFINE_PLAN_FAILED;
	plan.seccomp |= c->seccomp_extra;
	if (c->policy->verbose)
		print_plan(c, &plan);
	print_warning(c, &plan);
	print_hostrt_refusals(c, &plan);
	apply_failed = sbx_plan_apply(&plan, err) < 0;
	/* The command and a serving front door (mcp) must not inherit them. */
	sbx_policy_close_held(c->policy);
	if (apply_failed)
		result = SBX_CONFINE_APPLY_FAILED;
	else if (plan.unsandboxed)
		result = SBX_CONFINE_UNSANDBOXED;
	/* Marks the tree as confined, so that a shim in a descendant that
	 * would build this very policy adds no layer (docs/design.md §4.2). */
	else if (!c->marker_left_to_caller && setenv(SBX_ENV_ACTIVE, c->marker, 1) < 0) {
		sbx_error_set(err, "cannot set SANDBOXEC_ACTIVE; out of memory");
		result = SBX_CONFINE_APPLY_FAILED;
	}
	sbx_plan_free(&plan);
	return result;
}

enum sbx_confine_result sbx_confine(const struct sbx_confine *c, struct sbx_error *err)
{
	const char *why = NULL;
	/* An early ruleset exists only where the kernel answered. */
	int abi = c->policy->early.open ? c->policy->early.kernel_abi : sbx_kernel_abi(&why);

	return sbx_confine_at_abi(c, abi, why, err);
}
