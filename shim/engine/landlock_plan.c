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
#include "rights.h"
#include "seccomp_filter.h"

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
	const char *name;    /* "network rules" */
	const char *needs;   /* "need" or "needs" */
	const char *pronoun; /* "them" or "it" */
	const char *dropped; /* the best-effort note */
} abi_needs[] = {
    {4, SBX_SET_NET, "network rules", "need", "them", "all network rules (they need ABI 4)"},
    {6, SBX_SET_RESTRICT_SCOPED, "restrict-scoped", "needs", "it",
     "restrict-scoped (it needs ABI 6)"},
    {7, SBX_SET_LOG_DENIALS, "log-denials", "needs", "it", "log-denials (it needs ABI 7)"},
};

static bool policy_uses(const struct sbx_policy *policy, enum sbx_setting setting)
{
	if (setting == SBX_SET_NET)
		return policy->n_net > 0;
	if (setting == SBX_SET_LOG_DENIALS)
		return policy->log_denials;
	return setting == SBX_SET_RESTRICT_SCOPED && policy->restrict_scoped;
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

		if (!policy_uses(policy, need->setting) || out->abi >= need->abi)
			continue;
		if (!policy->best_effort)
			return sbx_error_set(
			    err,
			    "%s (%s) %s Landlock ABI %d, but the ABI in use is "
			    "%d%s; remove %s, raise the ABI, or pass --best-effort "
			    "to drop %s",
			    need->name, policy->origin[need->setting], need->needs, need->abi,
			    out->abi, which, need->pronoun, need->pronoun);
		note_dropped(dropped, need->dropped);
		if (need->setting == SBX_SET_NET)
			out->net_dropped = true;
	}
	return 0;
}

/* What a rule grants on a path: its rights masked to the ABI (and, on a
 * non-directory, to file rights), plus RESOLVE_UNIX with write when
 * Landlock restricts pathname unix sockets: connecting to a socket is
 * writing to it, so the file rules decide (docs/design.md §2.3). */
static uint64_t rule_access(const struct sbx_plan *plan, uint64_t access, bool is_dir)
{
	uint64_t effective = sbx_fs_access_effective(access, plan->abi, is_dir);

	if (plan->resolve_unix && (access & SBX_LL_FS_WRITE_FILE))
		effective |= SBX_LL_FS_RESOLVE_UNIX;
	return effective;
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

unsigned sbx_plan_seccomp_flags(const struct sbx_plan *plan)
{
	const struct sbx_policy *policy = plan->policy;
	bool tcp = plan->handled_net && !plan->net_dropped, bind = false;
	unsigned flags = tcp ? SBX_SECCOMP_TCP : 0;
	size_t i;

	if (plan->unsandboxed)
		return 0;
	for (i = 0; i < policy->n_net; i++)
		bind |= (policy->net[i].access & SBX_LL_NET_BIND_TCP) != 0;
	/* No TCP port at all means no network: on every ABI, also below 4
	 * where TCP itself cannot be restricted. A rule best-effort dropped
	 * still counts as a port asked for. */
	if (!policy->n_net)
		flags |= SBX_SECCOMP_NO_IP;
	if (policy->allow_udp)
		flags |= SBX_SECCOMP_ALLOW_UDP;
	/* Only where TCP bind is checked: elsewhere an explicit bind is as
	 * open as listen's implicit one. */
	if (tcp && !bind)
		flags |= SBX_SECCOMP_NO_LISTEN;
	if (policy->restrict_unix && !plan->resolve_unix)
		flags |= SBX_SECCOMP_NO_UNIX;
	return flags;
}

int sbx_plan_build(const struct sbx_policy *policy, int kernel_abi, const char *kernel_why,
		   struct sbx_plan *out, struct sbx_error *err)
{
	struct sbx_buf dropped = {0};

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
	out->handled_fs = sbx_abi_handled_fs(out->abi);
	out->handled_net = sbx_abi_handled_net(out->abi);
	out->scoped = policy->restrict_scoped ? sbx_abi_scoped(out->abi) : 0;
	/* Landlock logs a domain's denials only until the next exec unless
	 * asked; sandboxec always execs the command, so the flag is what
	 * makes them reach the audit log at all. */
	if (policy->log_denials && out->abi >= 7)
		out->restrict_flags = SBX_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON;
	/* restrict-unix: Landlock where the kernel restricts pathname unix
	 * sockets and the ABI is not pinned below it, with the abstract ones
	 * scoped too; elsewhere the filter refuses socket(AF_UNIX). */
	if (policy->restrict_unix && !policy->abi && kernel_abi >= SBX_LL_ABI_RESOLVE_UNIX) {
		out->resolve_unix = true;
		out->handled_fs |= SBX_LL_FS_RESOLVE_UNIX;
		out->scoped |= SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET;
	}
	out->seccomp = sbx_plan_seccomp_flags(out);
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

/* The rules that let the sandbox write, gathered once per application:
 * every rule is checked against them, and they are few. */
struct writable_rules {
	const struct sbx_fs_rule **rule;
	size_t n;
};

static void writable_rules_gather(const struct sbx_policy *policy, struct writable_rules *w)
{
	size_t i;

	w->rule = sbx_xcalloc(policy->n_fs + 1, sizeof(*w->rule));
	w->n = 0;
	for (i = 0; i < policy->n_fs; i++) {
		if (policy->fs[i].access & SBX_FS_WRITE_ACCESS)
			w->rule[w->n++] = &policy->fs[i];
	}
}

/* The outermost writable rule whose tree lies strictly above `rule`'s
 * path, or NULL. */
static const struct sbx_fs_rule *writable_above(const struct writable_rules *wr,
						const struct sbx_fs_rule *rule)
{
	const struct sbx_fs_rule *above = NULL;
	size_t i;

	for (i = 0; i < wr->n; i++) {
		const struct sbx_fs_rule *w = wr->rule[i];

		if (w == rule || strcmp(w->path, rule->path) == 0 ||
		    !sbx_path_in_tree(rule->path, w->path))
			continue;
		if (!above || sbx_path_in_tree(above->path, w->path))
			above = w;
	}
	return above;
}

/* Opens a rule's path (O_PATH). Every load opens the paths afresh, after
 * the sandboxed commands of earlier loads ran: a path inside a tree the
 * same policy makes writable could by now be a symlink they put there,
 * turning the rule into one on whatever it points at. Below such a tree
 * no symlink is followed (openat2 RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH);
 * a link there is an error, not a rule. */
static int open_rule_path(const struct writable_rules *wr, const struct sbx_fs_rule *rule,
			  const struct sbx_fs_rule **through)
{
	const struct sbx_fs_rule *w = writable_above(wr, rule);
	struct open_how how = {.flags = O_PATH | O_CLOEXEC,
			       .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH};
	const char *rel;
	int dir, fd, saved;

	*through = w;
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
	int fd, ret = 0;

	fd = open_rule_path(wr, rule, &through);
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
	if (fstat(fd, &st) < 0) {
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
	close(fd);
	return ret;
}

static int add_net_rules(int ruleset, const struct sbx_plan *plan, struct sbx_error *err)
{
	const struct sbx_policy *policy = plan->policy;
	size_t i;

	if (!plan->handled_net || plan->net_dropped)
		return 0;
	for (i = 0; i < policy->n_net; i++) {
		struct sbx_ll_net_port_attr attr = {
		    .allowed_access = policy->net[i].access & plan->handled_net,
		    .port = policy->net[i].port,
		};

		if (sbx_ll_add_rule(ruleset, SBX_LL_RULE_NET_PORT, &attr, 0) < 0)
			return sbx_error_set(err, "%s: Landlock refused the rule for port %u: %s",
					     policy->net[i].origin, policy->net[i].port,
					     strerror(errno));
	}
	return 0;
}

int sbx_plan_apply(const struct sbx_plan *plan, struct sbx_error *err)
{
	struct sbx_ll_ruleset_attr attr = {
	    .handled_access_fs = plan->handled_fs,
	    .handled_access_net = plan->handled_net,
	    .scoped = plan->scoped,
	};
	size_t size = sizeof(attr);
	size_t i;
	struct writable_rules wr = {0};
	int ruleset, ret = -1;

	if (plan->unsandboxed)
		return 0;
	/* Older kernels reject fields they do not know, even when zero. */
	if (plan->abi < 6)
		size = offsetof(struct sbx_ll_ruleset_attr, scoped);
	if (plan->abi < 4)
		size = offsetof(struct sbx_ll_ruleset_attr, handled_access_net);
	ruleset = (int)sbx_ll_create_ruleset(&attr, size, 0);
	if (ruleset < 0)
		return sbx_error_set(err, "cannot create a Landlock ruleset for ABI %d: %s",
				     plan->abi, strerror(errno));
	writable_rules_gather(plan->policy, &wr);
	for (i = 0; i < plan->n_fs; i++) {
		if (add_fs_rule(ruleset, plan, &wr, plan->fs[i].rule, err) < 0)
			goto out;
	}
	if (add_net_rules(ruleset, plan, err) < 0)
		goto out;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		sbx_error_set(err, "cannot set no_new_privs: %s", strerror(errno));
		goto out;
	}
	/* With the layer, one filter for what Landlock does not reach: ioctls
	 * on the terminal fd the process inherited and the network calls its
	 * TCP rules do not see (docs/audit-and-seccomp.md). */
	if (sbx_seccomp_filter_install(plan->seccomp, err) < 0)
		goto out;
	if (sbx_ll_restrict_self(ruleset, plan->restrict_flags) < 0) {
		if (errno == E2BIG)
			sbx_error_set(err, "cannot add a Landlock layer: this process already has "
					   "16 stacked layers (something applies a policy on every "
					   "exec; set the same policy once at the top)");
		else
			sbx_error_set(err, "cannot enforce the Landlock ruleset: %s",
				      strerror(errno));
		goto out;
	}
	ret = 0;
out:
	free(wr.rule);
	close(ruleset);
	return ret;
}
