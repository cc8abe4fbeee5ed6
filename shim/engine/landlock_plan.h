/* SPDX-License-Identifier: Apache-2.0 */
/* From a resolved policy to exactly one Landlock layer. Planning is pure
 * (the kernel ABI is a parameter, so unit tests cover ABIs 1 to 11 on any
 * kernel); applying is the only code that calls landlock_*() and prctl(). */
#ifndef SBX_LANDLOCK_PLAN_H
#define SBX_LANDLOCK_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "policy.h"

/* The kernel's Landlock ABI, 0 when absent or disabled; *why (may be NULL)
 * then says which, and what to do about it. */
int sbx_kernel_abi(const char **why);

struct sbx_plan_fs {
	const struct sbx_fs_rule *rule; /* points into the policy */
	bool exists;
	bool is_dir;
	uint64_t access; /* masked to the ABI and, for a non-directory, to file rights */
};

struct sbx_plan {
	const struct sbx_policy *policy;
	int kernel_abi;
	int abi;	  /* the ABI whose semantics are applied; 0 = no sandbox */
	bool unsandboxed; /* best-effort without Landlock: nothing is applied */
	uint64_t handled_fs;
	uint64_t handled_net;
	uint64_t scoped;
	/* for landlock_restrict_self: log-denials, and TSYNC (kernel ABI >= 8)
	 * and NO_NEW_PRIVS (>= 11) whatever ABI is in use */
	uint32_t restrict_flags;
	struct sbx_plan_fs *fs;
	size_t n_fs;
	bool net_dropped; /* best-effort dropped the network rules */
	/* restrict-unix by Landlock (the ABI in use >= 9): RESOLVE_UNIX is
	 * handled and granted with write; else by seccomp. */
	bool resolve_unix;
	unsigned seccomp; /* sbx_seccomp_flag set for the filter */
	char *warning;	  /* the one best-effort warning line, or NULL */
};

/* The filter's flags for a plan whose ABI, handled sets and net_dropped
 * are settled (docs/design.md §2.3); pure, for sbx_plan_build and tests. */
unsigned sbx_plan_seccomp_flags(const struct sbx_plan *plan);

/* Negotiates the ABI (docs/design.md §2.4). Without best-effort, anything that cannot
 * be honoured is an error that says how to fix it. */
int sbx_plan_build(const struct sbx_policy *policy, int kernel_abi, const char *kernel_why,
		   struct sbx_plan *out, struct sbx_error *err);
void sbx_plan_free(struct sbx_plan *plan);

/* Whether applying adds the UDP bind on port 0 that a uc rule needs (an
 * unbound sender binds an ephemeral port), for explain. */
bool sbx_plan_udp_ephemeral_bind(const struct sbx_plan *plan);

/* A ruleset with the plan's handled sets; the descriptor (close-on-exec),
 * or -1 with errno set. */
int sbx_plan_create_ruleset(const struct sbx_plan *plan);

/* no_new_privs, the seccomp filter (seccomp_filter.h), then one ruleset
 * and one landlock_restrict_self() for the calling thread, or for every
 * thread with TSYNC (at ABI 11 the filter comes last: the call sets
 * no_new_privs). Opens every path afresh (O_PATH) and masks by what it is
 * now, so a path swapped since planning gets no more than file rights. The
 * policy's early ruleset, when it is the one the plan asks for, is used
 * instead of a new one, with its rules (struct sbx_early_ruleset). */
int sbx_plan_apply(const struct sbx_plan *plan, struct sbx_error *err);

#endif
