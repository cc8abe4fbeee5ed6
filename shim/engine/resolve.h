/* SPDX-License-Identifier: Apache-2.0 */
/* The one resolution function (docs/design.md §3.2) both front ends call: flags (CLI
 * only) > SANDBOXEC_* > one config file > defaults, then every rule parsed,
 * expanded and checked. Its output is all the Landlock planner needs. */
#ifndef SBX_RESOLVE_H
#define SBX_RESOLVE_H

#include "envsettings.h"
#include "policy.h"

struct sbx_resolve_input {
	const struct sbx_layer *flags; /* NULL in the shim */
	char *const *envp;
	const char *self_dir;  /* for profile lookup; may be NULL */
	const char *shim_path; /* libsandboxec.so, always readable; may be NULL */
	/* The caller applies the policy next, once: give it an early ruleset
	 * (struct sbx_early_ruleset in policy.h). */
	bool early_ruleset;
};

int sbx_resolve(const struct sbx_resolve_input *in, struct sbx_policy *out, struct sbx_error *err);

/* Rules with the settings already known: parse, expand, check existence,
 * and add the implicit and host-runtime rules. Exposed for tests. */
int sbx_resolve_rules(const struct sbx_resolve_input *in, const struct sbx_rule_list *fs,
		      const struct sbx_rule_list *net, struct sbx_policy *out,
		      struct sbx_error *err);

#endif
