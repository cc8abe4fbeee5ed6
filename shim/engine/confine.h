/* SPDX-License-Identifier: Apache-2.0 */
/* Confining the calling process: the one sequence both front doors run
 * (kernel ABI, plan, verbose YAML, the best-effort warning, apply, the
 * SANDBOXEC_ACTIVE marker). It prints only through the front door's
 * callback and never exits; the front door words the error and ends. */
#ifndef SBX_CONFINE_H
#define SBX_CONFINE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "landlock_plan.h"
#include "policy.h"

/* Builds the plan for the running kernel (sbx_kernel_abi, then
 * sbx_plan_build): what explain prints and sbx_confine applies. */
int sbx_confine_plan(const struct sbx_policy *policy, struct sbx_plan *plan, struct sbx_error *err);

/* Writes text (len bytes, not NUL-terminated) where the front door's
 * diagnostics go: stdio for the CLI, write(2) for the shim. */
typedef void sbx_confine_print_fn(void *ctx, const char *text, size_t len);

struct sbx_confine {
	struct sbx_policy *policy; /* its held descriptors are closed once applied */
	/* The value SANDBOXEC_ACTIVE gets once the layer is in force
	 * (docs/design.md §4.2). */
	const char *marker;
	/* The caller sets SANDBOXEC_ACTIVE to marker itself when the result
	 * is SBX_CONFINED (the shim edits environ's own slots). */
	bool marker_left_to_caller;
	/* The best-effort warning for running without Landlock was already
	 * printed (by the shim's audit copy): do not print it again. */
	bool unsandboxed_warning_printed;
	/* sbx_seccomp_flag bits added to the plan's filter: --report's tracer
	 * asks for SBX_SECCOMP_TRACE_NET. */
	unsigned seccomp_extra;
	sbx_confine_print_fn *print;
	void *print_ctx;
};

enum sbx_confine_result {
	SBX_CONFINED = 0,	      /* one Landlock layer is in force, marker set (or left) */
	SBX_CONFINE_UNSANDBOXED = 1,  /* best-effort without Landlock, after its warning */
	SBX_CONFINE_PLAN_FAILED = -1, /* nothing was changed; err says why */
	SBX_CONFINE_APPLY_FAILED = -2 /* applying or marking failed part way; err says why */
};

/* Plans c->policy for the running kernel, prints the plan as YAML when the
 * policy is verbose and the plan's warning if any, applies it and sets the
 * marker (docs/design.md §2.4, §4.2). */
enum sbx_confine_result sbx_confine(const struct sbx_confine *c, struct sbx_error *err);

/* The same for a given kernel ABI (0: no Landlock, kernel_why says why),
 * so that tests can simulate any kernel. */
enum sbx_confine_result sbx_confine_at_abi(const struct sbx_confine *c, int kernel_abi,
					   const char *kernel_why, struct sbx_error *err);

#endif
