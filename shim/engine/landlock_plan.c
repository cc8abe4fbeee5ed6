/* SPDX-License-Identifier: Apache-2.0 */
/* ABI negotiation and applying the Landlock layer; see landlock_plan.h. */
#include "landlock_plan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "landlock_abi.h"
#include "plan_sets.h"
#include "rights.h"
#include "seccomp_filter.h"
#include "tree_index.h"

int sbx_kernel_abi(const char **why)
{
	long abi = sbx_ll_create_ruleset(NULL, 0, SBX_LL_CREATE_RULESET_VERSION);

	if (abi > 0) {
		if (why)
			*why = NULL;
		return (int)abi;
	}
	if (why) {
		if (errno == EOPNOTSUPP)
			*why = "Landlock is disabled at boot (add landlock to the lsm= kernel "
			       "parameter)";
		else if (errno == ENOSYS)
			*why = "this kernel has no Landlock (it needs Linux 5.13 or later built "
			       "with CONFIG_SECURITY_LANDLOCK)";
		else
			*why = "Landlock is not available";
	}
	return 0;
}

static void note_dropped(struct sbx_buf *dropped, const char *what)
{
	if (dropped->len)
		sbx_buf_puts(dropped, "; ");
	sbx_buf_puts(dropped, what);
}

/* Best-effort without Landlock: an unsandboxed plan and its warning. */
static int plan_without_landlock(const struct sbx_policy *policy, const char *kernel_why,
				 struct sbx_plan *out, struct sbx_error *err)
{
	if (!kernel_why)
		kernel_why = "Landlock is not available";
	if (!policy->best_effort)
		return sbx_error_set(err,
				     "%s; nothing was run (pass --best-effort to run "
				     "without a sandbox anyway)",
				     kernel_why);
	out->unsandboxed = true;
	out->warning = sbx_xasprintf("sandboxec: warning: %s; best-effort: running WITHOUT "
				     "a sandbox",
				     kernel_why);
	return 0;
}

/* The ABI whose semantics apply: the one asked for, else the kernel's (up
 * to the highest this build knows); one above the kernel's is lowered only
 * with best-effort. */
static int choose_abi(const struct sbx_policy *policy, struct sbx_plan *out,
		      struct sbx_buf *dropped, struct sbx_error *err)
{
	int kernel_abi = out->kernel_abi;

	out->abi =
	    policy->abi ? policy->abi : (kernel_abi < SBX_ABI_MAX ? kernel_abi : SBX_ABI_MAX);
	if (out->abi <= kernel_abi)
		return 0;
	if (!policy->best_effort)
		return sbx_error_set(err,
				     "Landlock ABI %d was asked for (%s) but this kernel has "
				     "ABI %d; lower the ABI or pass --best-effort",
				     out->abi, policy->origin[SBX_SET_ABI], kernel_abi);
	sbx_buf_printf(dropped, "ABI %d semantics (using ABI %d)", out->abi, kernel_abi);
	out->abi = kernel_abi;
	return 0;
}

/* The settings that need a newer ABI than the first: one row each, with
 * the words of the error and of the best-effort note. */
static const struct abi_need {
	int abi;
	enum sbx_setting setting;
	uint64_t net_bits;   /* SBX_SET_NET: only the rules with these bits (0: all) */
	const char *name;    /* "network rules" */
	const char *needs;   /* "need" or "needs" */
	const char *pronoun; /* "them" or "it" */
	const char *dropped; /* the best-effort note */
} abi_needs[] = {
    {4, SBX_SET_NET, 0, "network rules", "need", "them", "all network rules (they need ABI 4)"},
    {6, SBX_SET_RESTRICT_SCOPED, 0, "restrict-scoped", "needs", "it",
     "restrict-scoped (it needs ABI 6)"},
    {7, SBX_SET_LOG_DENIALS, 0, "log-denials", "needs", "it", "log-denials (it needs ABI 7)"},
    {SBX_LL_ABI_UDP, SBX_SET_NET, SBX_LL_NET_BIND_UDP | SBX_LL_NET_CONNECT_SEND_UDP,
     "UDP port rules", "need", "them",
     "the UDP port rules (they need ABI 10; UDP is open to every port)"},
};

static bool policy_has_net_bits(const struct sbx_policy *policy, uint64_t bits)
{
	size_t i;

	for (i = 0; i < policy->n_net; i++) {
		if (policy->net[i].access & bits)
			return true;
	}
	return false;
}

static bool policy_uses(const struct sbx_policy *policy, const struct abi_need *need)
{
	if (need->setting == SBX_SET_NET)
		return need->net_bits ? policy_has_net_bits(policy, need->net_bits)
				      : policy->n_net > 0;
	if (need->setting == SBX_SET_LOG_DENIALS)
		return policy->log_denials;
	return need->setting == SBX_SET_RESTRICT_SCOPED && policy->restrict_scoped;
}

/* Below the ABI a setting needs: an error that says how to fix it, or
 * with best-effort a note of what was dropped. */
static int drop_what_the_abi_lacks(const struct sbx_policy *policy, struct sbx_plan *out,
				   struct sbx_buf *dropped, struct sbx_error *err)
{
	const char *which = policy->abi ? " (asked for)" : " (the kernel's)";
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(abi_needs); i++) {
		const struct abi_need *need = &abi_needs[i];

		if (!policy_uses(policy, need) || out->abi >= need->abi)
			continue;
		if (!policy->best_effort)
			return sbx_error_set(
			    err,
			    "%s (%s) %s Landlock ABI %d, but the ABI in use is "
			    "%d%s; remove %s, raise the ABI, or pass --best-effort "
			    "to drop %s",
			    need->name, policy->origin[need->setting], need->needs, need->abi,
			    out->abi, which, need->pronoun, need->pronoun);
		/* Below ABI 4 the TCP note covers the UDP rules too. */
		if (need->net_bits && out->net_dropped)
			continue;
		note_dropped(dropped, need->dropped);
		if (need->setting == SBX_SET_NET && !need->net_bits)
			out->net_dropped = true;
	}
	return 0;
}

static uint64_t rule_access(const struct sbx_plan *plan, uint64_t access, bool is_dir)
{
	return sbx_plan_rule_access(access, plan->abi, is_dir, plan->resolve_unix);
}

/* Each fs rule, masked to the ABI and, for what is not a directory now,
 * to file rights. */
static void plan_fs_rules(const struct sbx_policy *policy, struct sbx_plan *out)
{
	size_t i;

	out->fs = sbx_xcalloc(policy->n_fs, sizeof(*out->fs));
	out->n_fs = policy->n_fs;
	for (i = 0; i < policy->n_fs; i++) {
		struct stat st;

		out->fs[i].rule = &policy->fs[i];
		st.st_mode = policy->fs[i].stat_mode;
		out->fs[i].exists = st.st_mode || stat(policy->fs[i].path, &st) == 0;
		out->fs[i].is_dir = out->fs[i].exists && S_ISDIR(st.st_mode);
		out->fs[i].access = rule_access(out, policy->fs[i].access, out->fs[i].is_dir);
	}
}

/* What planning needs to know of the policy (plan_sets.h). */
static void plan_facts(const struct sbx_plan *plan, struct sbx_plan_facts *f)
{
	const struct sbx_policy *policy = plan->policy;
	size_t i;

	*f = (struct sbx_plan_facts){
	    .abi = plan->abi,
	    .kernel_abi = plan->kernel_abi,
	    .log_denials = policy->log_denials,
	    .restrict_scoped = policy->restrict_scoped,
	    .restrict_unix = policy->restrict_unix,
	    .allow_udp = policy->allow_udp,
	    .any_net = policy->n_net > 0,
	    .udp_rule =
		policy_has_net_bits(policy, SBX_LL_NET_BIND_UDP | SBX_LL_NET_CONNECT_SEND_UDP),
	    .net_dropped = plan->net_dropped,
	};
	for (i = 0; i < policy->n_net; i++)
		f->tcp_bind_rule |= (policy->net[i].access & SBX_LL_NET_BIND_TCP) != 0;
}

unsigned sbx_plan_seccomp_flags(const struct sbx_plan *plan)
{
	struct sbx_plan_facts f;

	if (plan->unsandboxed)
		return 0;
	plan_facts(plan, &f);
	return sbx_plan_seccomp_for(&f, plan->handled_net, plan->resolve_unix);
}

int sbx_plan_build(const struct sbx_policy *policy, int kernel_abi, const char *kernel_why,
		   struct sbx_plan *out, struct sbx_error *err)
{
	struct sbx_buf dropped = {0};
	struct sbx_plan_facts facts;
	struct sbx_plan_sets sets;

	memset(out, 0, sizeof(*out));
	out->policy = policy;
	out->kernel_abi = kernel_abi;
	if (policy->abi < 0 || policy->abi > SBX_ABI_MAX)
		return sbx_error_set(err,
				     "Landlock ABI %d is out of range; use 0 (the highest "
				     "available) or 1 to %d",
				     policy->abi, SBX_ABI_MAX);
	if (kernel_abi <= 0)
		return plan_without_landlock(policy, kernel_why, out, err);
	if (choose_abi(policy, out, &dropped, err) < 0 ||
	    drop_what_the_abi_lacks(policy, out, &dropped, err) < 0) {
		sbx_buf_free(&dropped);
		return -1;
	}
	plan_facts(out, &facts);
	sbx_plan_sets_compute(&facts, &sets);
	out->handled_fs = sets.handled_fs;
	out->handled_net = sets.handled_net;
	out->scoped = sets.scoped;
	out->restrict_flags = sets.restrict_flags;
	out->resolve_unix = sets.resolve_unix;
	out->seccomp = sets.seccomp;
	plan_fs_rules(policy, out);
	if (dropped.len)
		out->warning = sbx_xasprintf("sandboxec: warning: best-effort: using Landlock "
					     "ABI %d (the kernel has %d); dropped %s",
					     out->abi, kernel_abi, dropped.data);
	sbx_buf_free(&dropped);
	return 0;
}

void sbx_plan_free(struct sbx_plan *plan)
{
	free(plan->fs);
	free(plan->warning);
	memset(plan, 0, sizeof(*plan));
}

/* The trees that let the sandbox write, indexed once per application:
 * every rule is looked up in them, and a policy may hold thousands. */
struct writable_rules {
	struct sbx_tree_index index;
};

static void writable_rules_gather(const struct sbx_policy *policy, struct writable_rules *w)
{
	sbx_tree_index_init(&w->index, policy->fs, policy->n_fs, SBX_FS_WRITE_ACCESS);
}

/* The outermost writable rule whose tree lies strictly above `rule`'s
 * path, or NULL. */
static const struct sbx_fs_rule *writable_above(const struct writable_rules *wr,
						const struct sbx_fs_rule *rule)
{
	return sbx_tree_index_above(&wr->index, rule->path);
}

/* Opens a rule's path (O_PATH). Every load opens the paths afresh, after
 * the sandboxed commands of earlier loads ran: a path inside a tree the
 * same policy makes writable could by now be a symlink they put there,
 * turning the rule into one on whatever it points at. Below such a tree
 * no symlink is followed (openat2 RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH);
 * a link there is an error, not a rule. Elsewhere the descriptor this
 * load's resolving opened, when it held one (*held), is that same open:
 * the same process, with no command run in between. */
static int open_rule_path(const struct writable_rules *wr, const struct sbx_fs_rule *rule,
			  const struct sbx_fs_rule **through, bool *held)
{
	const struct sbx_fs_rule *w = writable_above(wr, rule);
	struct open_how how = {.flags = O_PATH | O_CLOEXEC,
			       .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH};
	const char *rel;
	int dir, fd, saved;

	*through = w;
	*held = !w && rule->held_fd >= 0;
	if (*held)
		return rule->held_fd;
	if (!w)
		return open(rule->path, O_PATH | O_CLOEXEC);
	dir = open(w->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	rel = rule->path + strlen(w->path);
	while (*rel == '/')
		rel++;
	if (!*rel) /* the same directory, spelled with a trailing slash */
		return dir;
	fd = (int)syscall(SYS_openat2, dir, rel, &how, sizeof(how));
	saved = errno;
	close(dir);
	errno = saved;
	return fd;
}

static int add_fs_rule(int ruleset, const struct sbx_plan *plan, const struct writable_rules *wr,
		       const struct sbx_fs_rule *rule, struct sbx_error *err)
{
	struct sbx_ll_path_beneath_attr attr = {0};
	const struct sbx_fs_rule *through;
	struct stat st;
	bool held;
	int fd, ret = 0;

	fd = open_rule_path(wr, rule, &through, &held);
	if (fd < 0) {
		if (errno == ENOENT && plan->policy->ignore_if_missing)
			return 0;
		if (errno == ELOOP && through)
			return sbx_error_set(
			    err,
			    "%s: %s is reached through a symlink inside %s:%s, which the sandbox "
			    "may write: a sandboxed command could have pointed it anywhere; name "
			    "the link's target in the rule instead",
			    rule->origin, rule->path, through->rights, through->path);
		return sbx_error_set(err, "%s: cannot open %s: %s", rule->origin, rule->path,
				     strerror(errno));
	}
	/* A held descriptor was fstat()ed when opened; what it refers to
	 * cannot change type. fstatat with an empty name is the system call
	 * glibc's fstat makes, but the name is ours: glibc's lies in a page of
	 * libc's read-only data nothing else on the shim's cold path reads,
	 * and the kernel's read of it was a page fault (docs/perf.md §2). */
	if (held)
		st.st_mode = rule->stat_mode;
	else if (fstatat(fd, "", &st, AT_EMPTY_PATH) < 0) {
		ret = sbx_error_set(err, "%s: cannot stat %s: %s", rule->origin, rule->path,
				    strerror(errno));
		goto out;
	}
	attr.allowed_access = rule_access(plan, rule->access, S_ISDIR(st.st_mode));
	attr.parent_fd = fd;
	if (!attr.allowed_access)
		goto out;
	if (sbx_ll_add_rule(ruleset, SBX_LL_RULE_PATH_BENEATH, &attr, 0) < 0)
		ret = sbx_error_set(err, "%s: Landlock refused the rule for %s: %s", rule->origin,
				    rule->path, strerror(errno));
out:
	if (!held)
		close(fd);
	return ret;
}

bool sbx_plan_udp_ephemeral_bind(const struct sbx_plan *plan)
{
	return (plan->handled_net & SBX_LL_NET_CONNECT_SEND_UDP) &&
	       policy_has_net_bits(plan->policy, SBX_LL_NET_CONNECT_SEND_UDP);
}

static int add_net_rule(int ruleset, uint64_t access, unsigned port, const char *origin,
			struct sbx_error *err)
{
	struct sbx_ll_net_port_attr attr = {.allowed_access = access, .port = port};

	if (sbx_ll_add_rule(ruleset, SBX_LL_RULE_NET_PORT, &attr, 0) < 0)
		return sbx_error_set(err, "%s: Landlock refused the rule for port %u: %s", origin,
				     port, strerror(errno));
	return 0;
}

static int add_net_rules(int ruleset, const struct sbx_plan *plan, struct sbx_error *err)
{
	const struct sbx_policy *policy = plan->policy;
	size_t i;

	if (!plan->handled_net || plan->net_dropped)
		return 0;
	for (i = 0; i < policy->n_net; i++) {
		uint64_t access = policy->net[i].access & plan->handled_net;

		/* A UDP rule best-effort dropped below ABI 10. */
		if (access && add_net_rule(ruleset, access, policy->net[i].port,
					   policy->net[i].origin, err) < 0)
			return -1;
	}
	/* Sending from an unbound UDP socket binds it to an ephemeral port,
	 * which Landlock checks as a bind to port 0: without this a uc rule
	 * would let nothing be sent. */
	if (sbx_plan_udp_ephemeral_bind(plan))
		return add_net_rule(ruleset, SBX_LL_NET_BIND_UDP, 0,
				    "sandboxec (UDP senders bind an ephemeral port)", err);
	return 0;
}

/* no_new_privs, which the filter needs: below ABI 11 a prctl before
 * anything; from ABI 11 landlock_restrict_self sets it (only if the layer
 * applies), and the filter is installed after the layer. */
static int set_no_new_privs(const struct sbx_plan *plan, struct sbx_error *err)
{
	if (plan->restrict_flags & SBX_LL_RESTRICT_SELF_NO_NEW_PRIVS)
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return sbx_error_set(err, "cannot set no_new_privs: %s", strerror(errno));
	return 0;
}

static int restrict_self(int ruleset, const struct sbx_plan *plan, struct sbx_error *err)
{
	if (sbx_ll_restrict_self(ruleset, plan->restrict_flags) == 0)
		return 0;
	if (errno == E2BIG)
		return sbx_error_set(err, "cannot add a Landlock layer: this process already has "
					  "16 stacked layers (something applies a policy on every "
					  "exec; set the same policy once at the top)");
	return sbx_error_set(err, "cannot enforce the Landlock ruleset: %s", strerror(errno));
}

int sbx_plan_create_ruleset(const struct sbx_plan *plan)
{
	struct sbx_ll_ruleset_attr attr = {
	    .handled_access_fs = plan->handled_fs,
	    .handled_access_net = plan->handled_net,
	    .scoped = plan->scoped,
	};
	size_t size = sizeof(attr);

	/* Older kernels reject fields they do not know, even when zero. */
	if (plan->abi < 6)
		size = offsetof(struct sbx_ll_ruleset_attr, scoped);
	if (plan->abi < 4)
		size = offsetof(struct sbx_ll_ruleset_attr, handled_access_net);
	return (int)sbx_ll_create_ruleset(&attr, size, 0);
}

/* Whether the policy's early ruleset is the one this plan builds: the same
 * handled sets, every rule in it given the rights this plan gives it (the
 * ABI and resolve_unix mask them; sbx_plan_rule_access), and none of its
 * rules below a writable tree, whose path applying must open afresh. */
static bool early_ruleset_fits(const struct sbx_plan *plan, const struct writable_rules *wr)
{
	const struct sbx_early_ruleset *early = &plan->policy->early;
	size_t i;

	if (!early->open || early->abi != plan->abi || early->resolve_unix != plan->resolve_unix ||
	    early->handled_fs != plan->handled_fs || early->handled_net != plan->handled_net ||
	    early->scoped != plan->scoped)
		return false;
	for (i = 0; i < plan->n_fs; i++) {
		if (plan->fs[i].rule->in_early_ruleset && writable_above(wr, plan->fs[i].rule))
			return false;
	}
	return true;
}

/* Every fs rule into ruleset; with `early`, those already in it are skipped. */
static int add_fs_rules(int ruleset, bool early, const struct sbx_plan *plan,
			const struct writable_rules *wr, struct sbx_error *err)
{
	size_t i;

	for (i = 0; i < plan->n_fs; i++) {
		if (early && plan->fs[i].rule->in_early_ruleset)
			continue;
		if (add_fs_rule(ruleset, plan, wr, plan->fs[i].rule, err) < 0)
			return -1;
	}
	return 0;
}

int sbx_plan_apply(const struct sbx_plan *plan, struct sbx_error *err)
{
	struct writable_rules wr = {0};
	bool all_threads = plan->restrict_flags & SBX_LL_RESTRICT_SELF_TSYNC;
	bool early;
	int ruleset, ret = -1;

	if (plan->unsandboxed)
		return 0;
	writable_rules_gather(plan->policy, &wr);
	/* A rule in an early ruleset that does not fit is added again below,
	 * its path opened afresh, as one past the descriptors resolving
	 * holds. */
	early = early_ruleset_fits(plan, &wr);
	ruleset = early ? plan->policy->early.fd : sbx_plan_create_ruleset(plan);
	if (ruleset < 0) {
		sbx_tree_index_free(&wr.index);
		return sbx_error_set(err, "cannot create a Landlock ruleset for ABI %d: %s",
				     plan->abi, strerror(errno));
	}
	if (add_fs_rules(ruleset, early, plan, &wr, err) < 0 ||
	    add_net_rules(ruleset, plan, err) < 0 || set_no_new_privs(plan, err) < 0)
		goto out;
	/* With the layer, one filter for what Landlock does not reach: ioctls
	 * on the terminal fd the process inherited and the network calls its
	 * TCP rules do not see (docs/audit-and-seccomp.md); for every thread
	 * when the layer is. A failure after the layer applied leaves the
	 * process confined more, never less, and the front door ends it. */
	if (!(plan->restrict_flags & SBX_LL_RESTRICT_SELF_NO_NEW_PRIVS) &&
	    sbx_seccomp_filter_install(plan->seccomp, all_threads, err) < 0)
		goto out;
	if (restrict_self(ruleset, plan, err) < 0)
		goto out;
	if ((plan->restrict_flags & SBX_LL_RESTRICT_SELF_NO_NEW_PRIVS) &&
	    sbx_seccomp_filter_install(plan->seccomp, all_threads, err) < 0)
		goto out;
	ret = 0;
out:
	sbx_tree_index_free(&wr.index);
	/* The early ruleset is the policy's to close (sbx_policy_close_held). */
	if (!early)
		close(ruleset);
	return ret;
}
