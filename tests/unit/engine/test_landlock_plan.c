/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for landlock_plan.c: ABI negotiation (docs/design.md §2.4) with the kernel ABI
 * injected, 0 to 11 and above, best-effort or not; the one warning line; the
 * handled sets; per-rule masking for files and directories. sbx_plan_apply
 * runs only in a fork()ed child, so the test process is never confined. */
#include "unit_helpers.h"

#include <errno.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "engine/landlock_abi.h"
#include "engine/rights.h"
#include "engine/landlock_plan.h"
#include "engine/seccomp_filter.h"

#define RWX	(sbx_fs_rights[4].access)
#define NET_TCP (SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP)
#define SCOPES	(SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET | SBX_LL_SCOPE_SIGNAL)

static void policy_init(struct sbx_policy *p, int abi, bool best_effort)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->abi = abi;
	p->best_effort = best_effort;
	for (i = 0; i < SBX_SETTING_COUNT; i++)
		p->origin[i] = strdup("default");
	free(p->origin[SBX_SET_ABI]);
	p->origin[SBX_SET_ABI] = strdup("--abi");
	free(p->origin[SBX_SET_NET]);
	p->origin[SBX_SET_NET] = strdup("--net");
	free(p->origin[SBX_SET_RESTRICT_SCOPED]);
	p->origin[SBX_SET_RESTRICT_SCOPED] = strdup("--restrict-scoped");
}

static void plan_ok(const struct sbx_policy *p, int kernel_abi, struct sbx_plan *plan)
{
	struct sbx_error err = {{0}};

	if (sbx_plan_build(p, kernel_abi, NULL, plan, &err) != 0)
		fail_msg("planning (abi %d, kernel %d) failed: %s", p->abi, kernel_abi, err.msg);
}

static void plan_fails(const struct sbx_policy *p, int kernel_abi, const char *want)
{
	struct sbx_plan plan;
	struct sbx_error err = {{0}};

	if (sbx_plan_build(p, kernel_abi, NULL, &plan, &err) != -1) {
		sbx_plan_free(&plan);
		fail_msg("planning (abi %d, kernel %d) succeeded; want \"%s\"", p->abi, kernel_abi,
			 want);
	}
	assert_contains(err.msg, want);
}

static void assert_one_line(const char *s)
{
	assert_non_null(s);
	assert_null(strchr(s, '\n'));
	assert_true(strncmp(s, "sandboxec: warning: ", 20) == 0);
}

/* --- no Landlock --- */

static void test_no_landlock_without_best_effort_is_an_error(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;
	struct sbx_error err = {{0}};

	(void)state;
	policy_init(&p, 0, false);
	assert_int_equal(sbx_plan_build(&p, 0,
					"Landlock is disabled at boot (add landlock to lsm=)",
					&plan, &err),
			 -1);
	assert_string_equal(err.msg,
			    "Landlock is disabled at boot (add landlock to lsm=); nothing "
			    "was run (pass --best-effort to run without a sandbox anyway)");
	plan_fails(&p, 0, "Landlock is not available; nothing was run");
	p.abi = 3;
	plan_fails(&p, 0, "pass --best-effort");
	sbx_policy_free(&p);
}

static void test_no_landlock_with_best_effort_runs_unsandboxed_after_a_warning(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;
	struct sbx_error err = {{0}};

	(void)state;
	policy_init(&p, 0, true);
	sbx_policy_add_fs(&p, "/", RWX, "rwx", "--fs");
	sbx_policy_add_net(&p, 443, SBX_LL_NET_CONNECT_TCP, "c", "--net");
	assert_int_equal(sbx_plan_build(&p, 0, "no Landlock here", &plan, &err), 0);
	assert_true(plan.unsandboxed);
	assert_int_equal(plan.abi, 0);
	assert_int_equal(plan.kernel_abi, 0);
	assert_true(plan.handled_fs == 0);
	assert_true(plan.handled_net == 0);
	assert_true(plan.scoped == 0);
	assert_int_equal(plan.n_fs, 0);
	assert_one_line(plan.warning);
	assert_string_equal(plan.warning,
			    "sandboxec: warning: no Landlock here; best-effort: running WITHOUT a "
			    "sandbox");
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

/* --- ABI selection and handled sets --- */

static void test_default_abi_is_the_kernels_for_1_to_11(void **state)
{
	int k;

	(void)state;
	for (k = 1; k <= SBX_ABI_MAX; k++) {
		struct sbx_policy p;
		struct sbx_plan plan;

		policy_init(&p, 0, false);
		plan_ok(&p, k, &plan);
		assert_int_equal(plan.abi, k);
		assert_int_equal(plan.kernel_abi, k);
		assert_false(plan.unsandboxed);
		assert_null(plan.warning);
		/* No UDP rule: UDP stays unhandled on ABI 10 and 11 too. */
		if (plan.handled_fs != sbx_abi_handled_fs(k) ||
		    plan.handled_net != (sbx_abi_handled_net(k) & NET_TCP))
			fail_msg("kernel %d: handled fs 0x%llx net 0x%llx", k,
				 (unsigned long long)plan.handled_fs,
				 (unsigned long long)plan.handled_net);
		assert_true(plan.scoped == 0); /* restrict-scoped is off */
		sbx_plan_free(&plan);
		sbx_policy_free(&p);
	}
}

static void test_handled_sets_per_abi_exact_values(void **state)
{
	static const struct {
		int abi;
		uint64_t fs, net;
	} want[] = {
	    {1, 0x1fff, 0},	   {2, 0x3fff, 0},	  {3, 0x7fff, 0},
	    {4, 0x7fff, NET_TCP},  {5, 0xffff, NET_TCP},  {6, 0xffff, NET_TCP},
	    {7, 0xffff, NET_TCP},  {8, 0xffff, NET_TCP},  {9, 0xffff, NET_TCP},
	    {10, 0xffff, NET_TCP}, {11, 0xffff, NET_TCP},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(want); i++) {
		struct sbx_policy p;
		struct sbx_plan plan;

		policy_init(&p, want[i].abi, false);
		p.restrict_scoped = want[i].abi >= 6;
		plan_ok(&p, SBX_ABI_MAX, &plan);
		assert_int_equal(plan.abi, want[i].abi);
		if (plan.handled_fs != want[i].fs || plan.handled_net != want[i].net)
			fail_msg("ABI %d: handled fs 0x%llx net 0x%llx", want[i].abi,
				 (unsigned long long)plan.handled_fs,
				 (unsigned long long)plan.handled_net);
		assert_true(plan.scoped == (want[i].abi >= 6 ? SCOPES : 0));
		sbx_plan_free(&plan);
		sbx_policy_free(&p);
	}
}

static void test_kernel_newer_than_the_project_uses_abi_11(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;

	(void)state;
	policy_init(&p, 0, false);
	plan_ok(&p, 13, &plan);
	assert_int_equal(plan.abi, 11);
	assert_int_equal(plan.kernel_abi, 13);
	assert_null(plan.warning);
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

static void test_asked_abi_at_or_below_the_kernel_is_used_exactly(void **state)
{
	int asked, k;

	(void)state;
	for (k = 1; k <= SBX_ABI_MAX; k++) {
		for (asked = 1; asked <= k; asked++) {
			struct sbx_policy p;
			struct sbx_plan plan;

			policy_init(&p, asked, false);
			plan_ok(&p, k, &plan);
			assert_int_equal(plan.abi, asked);
			assert_true(plan.handled_fs == sbx_abi_handled_fs(asked));
			assert_true(plan.handled_net == (sbx_abi_handled_net(asked) & NET_TCP));
			assert_null(plan.warning); /* asking for less is not degrading */
			sbx_plan_free(&plan);
			sbx_policy_free(&p);
		}
	}
}

static void test_asked_abi_above_the_kernel_is_an_error_without_best_effort(void **state)
{
	int asked, k;

	(void)state;
	for (k = 1; k <= SBX_ABI_MAX; k++) {
		for (asked = k + 1; asked <= SBX_ABI_MAX; asked++) {
			struct sbx_policy p;
			char want[200];

			policy_init(&p, asked, false);
			snprintf(
			    want, sizeof(want),
			    "Landlock ABI %d was asked for (--abi) but this kernel has ABI %d; "
			    "lower the ABI or pass --best-effort",
			    asked, k);
			plan_fails(&p, k, want);
			sbx_policy_free(&p);
		}
	}
}

static void test_asked_abi_above_the_kernel_degrades_with_best_effort(void **state)
{
	int asked, k;

	(void)state;
	for (k = 1; k <= SBX_ABI_MAX; k++) {
		for (asked = k + 1; asked <= SBX_ABI_MAX; asked++) {
			struct sbx_policy p;
			struct sbx_plan plan;
			char want[200];

			policy_init(&p, asked, true);
			plan_ok(&p, k, &plan);
			assert_int_equal(plan.abi, k);
			assert_true(plan.handled_fs == sbx_abi_handled_fs(k));
			assert_true(plan.handled_net == (sbx_abi_handled_net(k) & NET_TCP));
			assert_one_line(plan.warning);
			snprintf(
			    want, sizeof(want),
			    "sandboxec: warning: best-effort: using Landlock ABI %d (the kernel "
			    "has %d); dropped ABI %d semantics (using ABI %d)",
			    k, k, asked, k);
			assert_string_equal(plan.warning, want);
			sbx_plan_free(&plan);
			sbx_policy_free(&p);
		}
	}
}

static void test_out_of_range_abi_is_an_error(void **state)
{
	struct sbx_policy p;

	(void)state;
	policy_init(&p, 12, true);
	plan_fails(&p, 11,
		   "Landlock ABI 12 is out of range; use 0 (the highest available) or 1 to 11");
	p.abi = -1;
	plan_fails(&p, 7, "Landlock ABI -1 is out of range");
	/* Also when there is no Landlock to fall back from. */
	plan_fails(&p, 0, "is out of range");
	sbx_policy_free(&p);
}

/* --- network rules --- */

static void test_net_rules_below_abi_4_are_an_error_without_best_effort(void **state)
{
	struct sbx_policy p;
	int k;

	(void)state;
	policy_init(&p, 3, false);
	sbx_policy_add_net(&p, 443, SBX_LL_NET_CONNECT_TCP, "c", "--net");
	plan_fails(&p, 7,
		   "network rules (--net) need Landlock ABI 4, but the ABI in use is 3 (asked "
		   "for); remove them, raise the ABI, or pass --best-effort to drop them");
	p.abi = 0;
	for (k = 1; k <= 3; k++) {
		char want[120];

		snprintf(want, sizeof(want), "but the ABI in use is %d (the kernel's)", k);
		plan_fails(&p, k, want);
	}
	sbx_policy_free(&p);
}

static void test_net_rules_below_abi_4_are_dropped_with_best_effort(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;

	(void)state;
	policy_init(&p, 0, true);
	sbx_policy_add_net(&p, 443, SBX_LL_NET_CONNECT_TCP, "c", "--net");
	plan_ok(&p, 3, &plan);
	assert_int_equal(plan.abi, 3);
	assert_true(plan.net_dropped);
	assert_true(plan.handled_net == 0);
	assert_one_line(plan.warning);
	assert_string_equal(plan.warning,
			    "sandboxec: warning: best-effort: using Landlock ABI 3 "
			    "(the kernel has 3); dropped all network rules (they need "
			    "ABI 4)");
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

static void test_net_rules_at_abi_4_and_above_are_kept(void **state)
{
	int k;

	(void)state;
	for (k = 4; k <= 7; k++) {
		struct sbx_policy p;
		struct sbx_plan plan;

		policy_init(&p, 0, false);
		sbx_policy_add_net(&p, 80, NET_TCP, "bc", "--net");
		plan_ok(&p, k, &plan);
		assert_false(plan.net_dropped);
		assert_true(plan.handled_net == NET_TCP);
		assert_null(plan.warning);
		sbx_plan_free(&plan);
		sbx_policy_free(&p);
	}
}

static void test_no_net_rules_below_abi_4_is_fine(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;

	(void)state;
	policy_init(&p, 1, false);
	plan_ok(&p, 7, &plan);
	assert_false(plan.net_dropped);
	assert_null(plan.warning);
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

/* --- the seccomp filter's network flags (docs/design.md §2.2) --- */

struct seccomp_row {
	int abi, kernel;
	bool best_effort, allow_udp, restrict_unix;
	uint64_t net_access; /* one rule on port 443 with this, or 0: none */
	unsigned want;
};

static const struct seccomp_row seccomp_rows[] = {
    /* No net rule: no network, listen refused where TCP bind is checked. */
    {0, 7, false, false, false, 0, SBX_SECCOMP_TCP | SBX_SECCOMP_NO_IP | SBX_SECCOMP_NO_LISTEN},
    {0, 7, false, true, true, 0,
     SBX_SECCOMP_TCP | SBX_SECCOMP_NO_IP | SBX_SECCOMP_ALLOW_UDP | SBX_SECCOMP_NO_LISTEN |
	 SBX_SECCOMP_NO_UNIX},
    /* A connect port: UDP open; no bind port: listen still refused. */
    {0, 7, false, false, false, SBX_LL_NET_CONNECT_TCP, SBX_SECCOMP_TCP | SBX_SECCOMP_NO_LISTEN},
    /* A bind port: listen allowed (the auto-bind gap). */
    {0, 7, false, false, false, SBX_LL_NET_BIND_TCP, SBX_SECCOMP_TCP},
    /* Below ABI 4 the no-network rows stay; listen has nothing to add. */
    {3, 7, false, false, true, 0, SBX_SECCOMP_NO_IP | SBX_SECCOMP_NO_UNIX},
    /* Rules best-effort dropped still count as ports asked for. */
    {0, 3, true, false, false, SBX_LL_NET_CONNECT_TCP, 0},
    /* ABI 9's RESOLVE_UNIX takes restrict-unix over from the filter... */
    {0, 9, false, false, true, SBX_LL_NET_BIND_TCP, SBX_SECCOMP_TCP},
    /* ...unless the ABI is pinned below it. */
    {7, 9, false, false, true, SBX_LL_NET_BIND_TCP, SBX_SECCOMP_TCP | SBX_SECCOMP_NO_UNIX},
};

static void test_seccomp_flags_follow_the_policy(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(seccomp_rows) / sizeof(seccomp_rows[0]); i++) {
		const struct seccomp_row *r = &seccomp_rows[i];
		struct sbx_policy p;
		struct sbx_plan plan;

		policy_init(&p, r->abi, r->best_effort);
		p.allow_udp = r->allow_udp;
		p.restrict_unix = r->restrict_unix;
		if (r->net_access)
			sbx_policy_add_net(&p, 443, r->net_access, "c", "--net");
		plan_ok(&p, r->kernel, &plan);
		if (plan.seccomp != r->want)
			fail_msg("row %zu: flags %#x, want %#x", i, plan.seccomp, r->want);
		sbx_plan_free(&plan);
		sbx_policy_free(&p);
	}
}

/* restrict-unix by Landlock where the kernel has ABI 9: RESOLVE_UNIX is
 * handled, granted with w (on files too), and abstract sockets scoped. */
static void test_restrict_unix_on_abi_9_uses_landlock_and_the_file_rules(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;

	(void)state;
	policy_init(&p, 0, false);
	p.restrict_unix = true;
	sbx_policy_add_fs(&p, "/", sbx_fs_rights[3].access, "rw", "--fs");
	sbx_policy_add_fs(&p, "/usr", sbx_fs_rights[1].access, "rx", "--fs");
	plan_ok(&p, 9, &plan);
	assert_int_equal(plan.abi, 9);
	assert_true(plan.resolve_unix);
	assert_true(plan.handled_fs & SBX_LL_FS_RESOLVE_UNIX);
	assert_true(plan.scoped == SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET);
	assert_true(plan.fs[0].access & SBX_LL_FS_RESOLVE_UNIX);
	assert_false(plan.fs[1].access & SBX_LL_FS_RESOLVE_UNIX);
	sbx_plan_free(&plan);
	/* On this project's ABIs, nothing of it: the filter does the work. */
	plan_ok(&p, 7, &plan);
	assert_false(plan.resolve_unix);
	assert_false(plan.handled_fs & SBX_LL_FS_RESOLVE_UNIX);
	assert_false(plan.fs[0].access & SBX_LL_FS_RESOLVE_UNIX);
	assert_true(plan.scoped == 0);
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

/* The ABI in use decides, not the kernel's: pinned below 9, the filter
 * keeps the job; at 9 and above, Landlock has it. */
static void test_restrict_unix_follows_the_abi_in_use(void **state)
{
	int asked;

	(void)state;
	for (asked = 1; asked <= SBX_ABI_MAX; asked++) {
		struct sbx_policy p;
		struct sbx_plan plan;

		policy_init(&p, asked, false);
		p.restrict_unix = true;
		plan_ok(&p, SBX_ABI_MAX, &plan);
		assert_int_equal(plan.resolve_unix, asked >= 9);
		assert_int_equal(!!(plan.seccomp & SBX_SECCOMP_NO_UNIX), asked < 9);
		assert_int_equal(!!(plan.handled_fs & SBX_LL_FS_RESOLVE_UNIX), asked >= 9);
		sbx_plan_free(&plan);
		sbx_policy_free(&p);
	}
}

#define NET_UDP (SBX_LL_NET_BIND_UDP | SBX_LL_NET_CONNECT_SEND_UDP)

/* A UDP rule makes the layer handle UDP: to the ports named only, plus the
 * ephemeral bind a sender needs. */
static void test_udp_rules_are_handled_from_abi_10(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;
	int k;

	(void)state;
	for (k = 10; k <= SBX_ABI_MAX; k++) {
		policy_init(&p, 0, false);
		sbx_policy_add_net(&p, 53, SBX_LL_NET_CONNECT_SEND_UDP, "uc", "--net");
		plan_ok(&p, k, &plan);
		assert_int_equal(plan.abi, k);
		assert_true(plan.handled_net == (NET_TCP | NET_UDP));
		assert_true(sbx_plan_udp_ephemeral_bind(&plan));
		assert_null(plan.warning);
		/* A port rule, so the filter leaves UDP sockets to Landlock;
		 * no TCP bind port: listen refused. */
		assert_int_equal(plan.seccomp, SBX_SECCOMP_TCP | SBX_SECCOMP_NO_LISTEN);
		sbx_plan_free(&plan);
		sbx_policy_free(&p);
	}
	/* A bind-only UDP rule adds no ephemeral bind. */
	policy_init(&p, 0, false);
	sbx_policy_add_net(&p, 5353, SBX_LL_NET_BIND_UDP, "ub", "--net");
	plan_ok(&p, 10, &plan);
	assert_true(plan.handled_net == (NET_TCP | NET_UDP));
	assert_false(sbx_plan_udp_ephemeral_bind(&plan));
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

/* TCP rules alone keep UDP open on ABI 10 as on every older ABI: name
 * resolution needs it, and the policy named no UDP port. */
static void test_tcp_rules_alone_leave_udp_unhandled_on_abi_10(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;

	(void)state;
	policy_init(&p, 0, false);
	sbx_policy_add_net(&p, 443, SBX_LL_NET_CONNECT_TCP, "c", "--net");
	plan_ok(&p, 11, &plan);
	assert_true(plan.handled_net == NET_TCP);
	assert_false(sbx_plan_udp_ephemeral_bind(&plan));
	assert_false(plan.seccomp & SBX_SECCOMP_NO_IP);
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

static void test_udp_rules_below_abi_10_are_an_error_without_best_effort(void **state)
{
	int k;

	(void)state;
	for (k = 4; k < 10; k++) {
		struct sbx_policy p;

		policy_init(&p, 0, false);
		sbx_policy_add_net(&p, 443, SBX_LL_NET_CONNECT_TCP, "c", "--net");
		sbx_policy_add_net(&p, 53, SBX_LL_NET_CONNECT_SEND_UDP, "uc", "--net");
		plan_fails(&p, k,
			   "UDP port rules (--net) need Landlock ABI 10, but the ABI in use is");
		sbx_policy_free(&p);
	}
}

/* Dropped: UDP is then open to every port (a port rule is there), the TCP
 * rules stay. */
static void test_udp_rules_below_abi_10_are_dropped_with_best_effort(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;

	(void)state;
	policy_init(&p, 0, true);
	sbx_policy_add_net(&p, 443, SBX_LL_NET_CONNECT_TCP, "c", "--net");
	sbx_policy_add_net(&p, 53, SBX_LL_NET_CONNECT_SEND_UDP, "uc", "--net");
	plan_ok(&p, 7, &plan);
	assert_int_equal(plan.abi, 7);
	assert_false(plan.net_dropped);
	assert_true(plan.handled_net == NET_TCP);
	assert_false(sbx_plan_udp_ephemeral_bind(&plan));
	assert_false(plan.seccomp & SBX_SECCOMP_NO_IP);
	assert_one_line(plan.warning);
	assert_string_equal(plan.warning,
			    "sandboxec: warning: best-effort: using Landlock ABI 7 (the kernel has "
			    "7); dropped the UDP port rules (they need ABI 10; UDP is open to "
			    "every port)");
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

static void test_udp_rules_below_abi_4_fall_under_the_tcp_note(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;

	(void)state;
	policy_init(&p, 0, true);
	sbx_policy_add_net(&p, 53, SBX_LL_NET_CONNECT_SEND_UDP, "uc", "--net");
	plan_ok(&p, 3, &plan);
	assert_true(plan.net_dropped);
	assert_string_equal(plan.warning,
			    "sandboxec: warning: best-effort: using Landlock ABI 3 (the kernel has "
			    "3); dropped all network rules (they need ABI 4)");
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

/* TSYNC from kernel ABI 8 and NO_NEW_PRIVS from 11, whatever ABI the
 * policy pins: they change how the layer is applied, not what it allows. */
static void test_restrict_flags_follow_the_kernel_abi(void **state)
{
	int k, asked;

	(void)state;
	for (k = 1; k <= SBX_ABI_MAX + 1; k++) {
		for (asked = 0; asked <= k && asked <= SBX_ABI_MAX; asked++) {
			struct sbx_policy p;
			struct sbx_plan plan;
			uint32_t want = 0;

			policy_init(&p, asked, true);
			p.log_denials = true;
			plan_ok(&p, k, &plan);
			if (plan.abi >= 7)
				want |= SBX_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON;
			if (k >= 8)
				want |= SBX_LL_RESTRICT_SELF_TSYNC;
			if (k >= 11)
				want |= SBX_LL_RESTRICT_SELF_NO_NEW_PRIVS;
			if (plan.restrict_flags != want)
				fail_msg("kernel %d, --abi %d: flags %#x, want %#x", k, asked,
					 plan.restrict_flags, want);
			sbx_plan_free(&plan);
			sbx_policy_free(&p);
		}
	}
	/* The uapi values (include/uapi/linux/landlock.h, Linux 7.3). */
	assert_int_equal(SBX_LL_RESTRICT_SELF_TSYNC, 1u << 3);
	assert_int_equal(SBX_LL_RESTRICT_SELF_NO_NEW_PRIVS, 1u << 4);
	assert_true(SBX_LL_FS_RESOLVE_UNIX == 1ull << 16);
	assert_true(SBX_LL_NET_BIND_UDP == 1ull << 2);
	assert_true(SBX_LL_NET_CONNECT_SEND_UDP == 1ull << 3);
}

/* --- restrict-scoped --- */

static void test_restrict_scoped_below_abi_6_is_an_error_without_best_effort(void **state)
{
	struct sbx_policy p;

	(void)state;
	policy_init(&p, 5, false);
	p.restrict_scoped = true;
	plan_fails(&p, 7,
		   "restrict-scoped (--restrict-scoped) needs Landlock ABI 6, but the ABI in "
		   "use is 5 (asked for); remove it, raise the ABI, or pass --best-effort to "
		   "drop it");
	p.abi = 0;
	plan_fails(&p, 5, "but the ABI in use is 5 (the kernel's)");
	plan_fails(&p, 1, "but the ABI in use is 1 (the kernel's)");
	sbx_policy_free(&p);
}

static void test_restrict_scoped_below_abi_6_is_dropped_with_best_effort(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;

	(void)state;
	policy_init(&p, 5, true);
	p.restrict_scoped = true;
	plan_ok(&p, 7, &plan);
	assert_int_equal(plan.abi, 5);
	assert_true(plan.scoped == 0);
	assert_one_line(plan.warning);
	assert_string_equal(plan.warning, "sandboxec: warning: best-effort: using Landlock ABI 5 "
					  "(the kernel has 7); dropped restrict-scoped (it needs "
					  "ABI 6)");
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

static void test_restrict_scoped_at_abi_6_and_7_scopes_both(void **state)
{
	int k;

	(void)state;
	for (k = 6; k <= 7; k++) {
		struct sbx_policy p;
		struct sbx_plan plan;

		policy_init(&p, 0, false);
		p.restrict_scoped = true;
		plan_ok(&p, k, &plan);
		assert_true(plan.scoped == SCOPES);
		assert_null(plan.warning);
		sbx_plan_free(&plan);
		sbx_policy_free(&p);
	}
}

/* --- the one warning line --- */

static void test_everything_dropped_is_named_in_one_line(void **state)
{
	struct sbx_policy p;
	struct sbx_plan plan;

	(void)state;
	policy_init(&p, 7, true);
	p.restrict_scoped = true;
	sbx_policy_add_net(&p, 443, SBX_LL_NET_CONNECT_TCP, "c", "--net");
	plan_ok(&p, 3, &plan);
	assert_int_equal(plan.abi, 3);
	assert_true(plan.net_dropped);
	assert_true(plan.scoped == 0);
	assert_true(plan.handled_net == 0);
	assert_one_line(plan.warning);
	assert_string_equal(
	    plan.warning,
	    "sandboxec: warning: best-effort: using Landlock ABI 3 (the kernel has 3); "
	    "dropped ABI 7 semantics (using ABI 3); all network rules (they need "
	    "ABI 4); restrict-scoped (it needs ABI 6)");
	sbx_plan_free(&plan);
	sbx_policy_free(&p);
}

static void test_best_effort_with_nothing_to_drop_is_silent(void **state)
{
	int k;

	(void)state;
	for (k = 1; k <= 7; k++) {
		struct sbx_policy p;
		struct sbx_plan plan;

		policy_init(&p, 0, true);
		sbx_policy_add_fs(&p, "/", RWX, "rwx", "--fs");
		plan_ok(&p, k, &plan);
		assert_null(plan.warning);
		assert_false(plan.unsandboxed);
		sbx_plan_free(&plan);
		sbx_policy_free(&p);
	}
}

/* --- per-rule masking --- */

struct masking_fx {
	char *dir, *file, *missing, *link_to_dir;
};

static int masking_setup(void **state)
{
	struct masking_fx *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->dir = ut_mkdtemp();
	m->file = ut_join(m->dir, "file");
	m->missing = ut_join(m->dir, "missing");
	m->link_to_dir = ut_join(m->dir, "link");
	ut_write_file(m->file, "content\n");
	assert_int_equal(symlink(m->dir, m->link_to_dir), 0);
	*state = m;
	return 0;
}

static int masking_teardown(void **state)
{
	struct masking_fx *m = *state;

	free(m->file);
	free(m->missing);
	free(m->link_to_dir);
	ut_rmtree(m->dir);
	free(m);
	return 0;
}

static void test_rule_access_is_masked_per_abi_for_dirs_and_files(void **state)
{
	struct masking_fx *m = *state;
	const uint64_t file_rights = SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE |
				     SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV;
	int abi;

	for (abi = 1; abi <= 7; abi++) {
		struct sbx_policy p;
		struct sbx_plan plan;

		policy_init(&p, abi, false);
		p.ignore_if_missing = true;
		sbx_policy_add_fs(&p, m->dir, RWX, "rwx", "--fs 1");
		sbx_policy_add_fs(&p, m->file, RWX, "rwx", "--fs 2");
		sbx_policy_add_fs(&p, m->missing, RWX, "rwx", "--fs 3");
		sbx_policy_add_fs(&p, m->link_to_dir, RWX, "rwx", "--fs 4");
		plan_ok(&p, 7, &plan);
		assert_int_equal(plan.n_fs, 4);
		assert_ptr_equal(plan.fs[1].rule, &p.fs[1]);

		assert_true(plan.fs[0].exists);
		assert_true(plan.fs[0].is_dir);
		assert_true(plan.fs[0].access == sbx_abi_handled_fs(abi));

		assert_true(plan.fs[1].exists);
		assert_false(plan.fs[1].is_dir);
		assert_true(plan.fs[1].access == (sbx_abi_handled_fs(abi) & file_rights));

		assert_false(plan.fs[2].exists);
		assert_false(plan.fs[2].is_dir);
		assert_true(plan.fs[2].access == (sbx_abi_handled_fs(abi) & file_rights));

		assert_true(plan.fs[3].exists); /* a symlink to a directory is a directory */
		assert_true(plan.fs[3].is_dir);
		assert_true(plan.fs[3].access == sbx_abi_handled_fs(abi));
		sbx_plan_free(&plan);
		sbx_policy_free(&p);
	}
}

static void test_file_masking_exact_values(void **state)
{
	struct masking_fx *m = *state;
	static const uint64_t want_file_rw[] = {
	    [1] = SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE,
	    [2] = SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE,
	    [3] = SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE,
	    [4] = SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE,
	    [5] = SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE |
		  SBX_LL_FS_IOCTL_DEV,
	    [6] = SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE |
		  SBX_LL_FS_IOCTL_DEV,
	    [7] = SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE |
		  SBX_LL_FS_IOCTL_DEV,
	};
	int abi;

	for (abi = 1; abi <= 7; abi++) {
		struct sbx_policy p;
		struct sbx_plan plan;

		policy_init(&p, 0, false);
		sbx_policy_add_fs(&p, m->file, sbx_fs_rights[3].access, "rw", "--fs");
		sbx_policy_add_fs(&p, m->file, sbx_fs_rights[1].access, "rx", "--fs");
		sbx_policy_add_fs(&p, m->dir, sbx_fs_rights[1].access, "rx", "--fs");
		plan_ok(&p, abi, &plan);
		if (plan.fs[0].access != want_file_rw[abi])
			fail_msg("ABI %d: rw on a file is 0x%llx, want 0x%llx", abi,
				 (unsigned long long)plan.fs[0].access,
				 (unsigned long long)want_file_rw[abi]);
		assert_true(plan.fs[1].access == (SBX_LL_FS_READ_FILE | SBX_LL_FS_EXECUTE));
		assert_true(plan.fs[2].access ==
			    (SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR | SBX_LL_FS_EXECUTE));
		sbx_plan_free(&plan);
		sbx_policy_free(&p);
	}
}

static void test_kernel_abi_reports_a_reason_when_absent(void **state)
{
	const char *why = "unset";
	int abi;

	(void)state;
	abi = sbx_kernel_abi(&why);
	assert_true(abi >= 0);
	if (abi > 0)
		assert_null(why);
	else
		assert_non_null(why);
	assert_int_equal(sbx_kernel_abi(NULL), abi);
}

/* Applies a plan in a child: rx on `allowed` only. The child reports
 * through its status: 0 = reading allowed/ worked and reading denied/ was
 * refused with EACCES. */
static void test_applied_plan_allows_and_denies_in_a_child(void **state)
{
	struct masking_fx *m = *state;
	char *allowed = ut_join(m->dir, "allowed");
	char *denied = ut_join(m->dir, "denied");
	char *allowed_file = ut_join(allowed, "f");
	char *denied_file = ut_join(denied, "f");
	int kernel = sbx_kernel_abi(NULL);
	int status;
	pid_t pid;

	if (kernel <= 0) {
		free(allowed);
		free(denied);
		free(allowed_file);
		free(denied_file);
		skip();
	}
	ut_mkdir(allowed);
	ut_mkdir(denied);
	ut_write_file(allowed_file, "a");
	ut_write_file(denied_file, "d");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sbx_policy p;
		struct sbx_plan plan;
		struct sbx_error err = {{0}};
		int fd;

		policy_init(&p, 0, false);
		sbx_policy_add_fs(&p, allowed, sbx_fs_rights[1].access, "rx", "--fs");
		if (sbx_plan_build(&p, kernel, NULL, &plan, &err) < 0 ||
		    sbx_plan_apply(&plan, &err) < 0)
			_exit(10);
		fd = open(allowed_file, O_RDONLY);
		if (fd < 0)
			_exit(11);
		close(fd);
		fd = open(denied_file, O_RDONLY);
		if (fd >= 0)
			_exit(12);
		if (errno != EACCES)
			_exit(13);
		/* Writing where only rx was granted is denied too. */
		fd = open(allowed_file, O_WRONLY);
		if (fd >= 0 || errno != EACCES)
			_exit(14);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* The test process itself is not confined. */
	ut_write_file(denied_file, "still writable");
	free(allowed);
	free(denied);
	free(allowed_file);
	free(denied_file);
}

/* A thread already running when the plan is applied: from kernel ABI 8
 * (TSYNC) it is confined with the caller, and no_new_privs reaches it,
 * whether the prctl (ABI 8-10) or the layer itself (ABI 11) sets it. Each
 * kernel ABI from 8 to the running kernel's is simulated in its own child
 * (the kernel accepts the older ABIs' flags). Skips below ABI 8. */
struct early_thread {
	int go[2];
	const char *denied_file;
};

static void *early_thread_try(void *arg)
{
	struct early_thread *t = arg;
	char c;
	int fd;

	if (read(t->go[0], &c, 1) != 1)
		return (void *)1L;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return (void *)2L;
	fd = open(t->denied_file, O_RDONLY);
	if (fd >= 0) {
		close(fd);
		return (void *)3L;
	}
	return errno == EACCES ? (void *)0L : (void *)4L;
}

static int apply_with_a_running_thread(int kernel_abi, const char *allowed, const char *denied_file)
{
	struct early_thread t = {.denied_file = denied_file};
	struct sbx_policy p;
	struct sbx_plan plan;
	struct sbx_error err = {{0}};
	pthread_t thread;
	void *ret;

	if (pipe(t.go) < 0 || pthread_create(&thread, NULL, early_thread_try, &t) != 0)
		return 20;
	policy_init(&p, 0, false);
	sbx_policy_add_fs(&p, allowed, sbx_fs_rights[1].access, "rx", "--fs");
	if (sbx_plan_build(&p, kernel_abi, NULL, &plan, &err) < 0)
		return 21;
	if (!(plan.restrict_flags & SBX_LL_RESTRICT_SELF_TSYNC))
		return 22;
	if (sbx_plan_apply(&plan, &err) < 0)
		return 23;
	if (write(t.go[1], "g", 1) != 1 || pthread_join(thread, &ret) != 0)
		return 24;
	return (int)(long)ret;
}

static void test_applied_plan_confines_a_running_thread_from_abi_8(void **state)
{
	struct masking_fx *m = *state;
	char *allowed = ut_join(m->dir, "allowed");
	char *denied = ut_join(m->dir, "denied");
	char *denied_file = ut_join(denied, "f");
	int kernel = sbx_kernel_abi(NULL), k;

	if (kernel < SBX_LL_ABI_TSYNC) {
		free(allowed);
		free(denied);
		free(denied_file);
		skip();
	}
	ut_mkdir(allowed);
	ut_mkdir(denied);
	ut_write_file(denied_file, "d");
	for (k = SBX_LL_ABI_TSYNC; k <= kernel && k <= SBX_ABI_MAX; k++) {
		pid_t pid = fork();
		int status;

		assert_true(pid >= 0);
		if (pid == 0)
			_exit(apply_with_a_running_thread(k, allowed, denied_file));
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) != 0)
			fail_msg("kernel ABI %d simulated: status %d", k, WEXITSTATUS(status));
	}
	free(allowed);
	free(denied);
	free(denied_file);
}

int main(void)
{
#define M(name) cmocka_unit_test_setup_teardown(name, masking_setup, masking_teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_landlock_without_best_effort_is_an_error),
	    cmocka_unit_test(test_no_landlock_with_best_effort_runs_unsandboxed_after_a_warning),
	    cmocka_unit_test(test_default_abi_is_the_kernels_for_1_to_11),
	    cmocka_unit_test(test_handled_sets_per_abi_exact_values),
	    cmocka_unit_test(test_kernel_newer_than_the_project_uses_abi_11),
	    cmocka_unit_test(test_asked_abi_at_or_below_the_kernel_is_used_exactly),
	    cmocka_unit_test(test_asked_abi_above_the_kernel_is_an_error_without_best_effort),
	    cmocka_unit_test(test_asked_abi_above_the_kernel_degrades_with_best_effort),
	    cmocka_unit_test(test_out_of_range_abi_is_an_error),
	    cmocka_unit_test(test_net_rules_below_abi_4_are_an_error_without_best_effort),
	    cmocka_unit_test(test_net_rules_below_abi_4_are_dropped_with_best_effort),
	    cmocka_unit_test(test_net_rules_at_abi_4_and_above_are_kept),
	    cmocka_unit_test(test_no_net_rules_below_abi_4_is_fine),
	    cmocka_unit_test(test_restrict_scoped_below_abi_6_is_an_error_without_best_effort),
	    cmocka_unit_test(test_restrict_scoped_below_abi_6_is_dropped_with_best_effort),
	    cmocka_unit_test(test_restrict_scoped_at_abi_6_and_7_scopes_both),
	    cmocka_unit_test(test_seccomp_flags_follow_the_policy),
	    cmocka_unit_test(test_restrict_unix_on_abi_9_uses_landlock_and_the_file_rules),
	    cmocka_unit_test(test_restrict_unix_follows_the_abi_in_use),
	    cmocka_unit_test(test_udp_rules_are_handled_from_abi_10),
	    cmocka_unit_test(test_tcp_rules_alone_leave_udp_unhandled_on_abi_10),
	    cmocka_unit_test(test_udp_rules_below_abi_10_are_an_error_without_best_effort),
	    cmocka_unit_test(test_udp_rules_below_abi_10_are_dropped_with_best_effort),
	    cmocka_unit_test(test_udp_rules_below_abi_4_fall_under_the_tcp_note),
	    cmocka_unit_test(test_restrict_flags_follow_the_kernel_abi),
	    cmocka_unit_test(test_everything_dropped_is_named_in_one_line),
	    cmocka_unit_test(test_best_effort_with_nothing_to_drop_is_silent),
	    M(test_rule_access_is_masked_per_abi_for_dirs_and_files),
	    M(test_file_masking_exact_values),
	    cmocka_unit_test(test_kernel_abi_reports_a_reason_when_absent),
	    M(test_applied_plan_allows_and_denies_in_a_child),
	    M(test_applied_plan_confines_a_running_thread_from_abi_8),
	};
#undef M

	return cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
}
