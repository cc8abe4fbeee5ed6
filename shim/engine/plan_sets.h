/* SPDX-License-Identifier: Apache-2.0 */
/* The pure core of planning a layer (landlock_plan.c): from the ABI in use
 * and a few facts about the policy, the handled sets, the flags of
 * landlock_restrict_self, the seccomp filter's flags and what a rule
 * grants. No allocation, no system call, no libc: the fast audit entry
 * (shim/fast/), which links no libc, compiles this file too, so its layer
 * and filter are the engine's by construction. */
#ifndef SBX_PLAN_SETS_H
#define SBX_PLAN_SETS_H

#include <stdbool.h>
#include <stdint.h>

struct sbx_plan_facts {
	int abi;	/* the ABI whose semantics apply, >= 1 */
	int kernel_abi; /* the kernel's */
	bool log_denials;
	bool restrict_scoped;
	bool restrict_unix;
	bool allow_udp;
	bool any_net;	    /* the policy has a network rule */
	bool udp_rule;	    /* one with a UDP right */
	bool tcp_bind_rule; /* one with the TCP bind right */
	bool net_dropped;   /* best-effort dropped the network rules */
};

struct sbx_plan_sets {
	uint64_t handled_fs;
	uint64_t handled_net;
	uint64_t scoped;
	uint32_t restrict_flags; /* for landlock_restrict_self */
	bool resolve_unix;	 /* restrict-unix by Landlock, else by seccomp */
	unsigned seccomp;	 /* sbx_seccomp_flag set */
};

void sbx_plan_sets_compute(const struct sbx_plan_facts *facts, struct sbx_plan_sets *out);

/* The filter's flags, from the facts and the two sets they depend on. */
unsigned sbx_plan_seccomp_for(const struct sbx_plan_facts *facts, uint64_t handled_net,
			      bool resolve_unix);

/* What a rule with `access` grants on a path that is (or not) a directory
 * now, under `abi`. */
uint64_t sbx_plan_rule_access(uint64_t access, int abi, bool is_dir, bool resolve_unix);

#endif
