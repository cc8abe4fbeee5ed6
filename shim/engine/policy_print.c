/* SPDX-License-Identifier: Apache-2.0 */
/* Policy → YAML for explain and verbose; see policy_print.h. Rules the
 * engine adds by itself (the shim, the host runtime) are printed as
 * comments, so feeding the output back gives the same policy, not a
 * doubled one. */
#include "policy_print.h"

#include <stdio.h>
#include <string.h>

#include "landlock_abi.h"
#include "rights.h"
#include "seccomp_filter.h"
#include "visible.h"

void sbx_yaml_quote_path(struct sbx_buf *out, const char *text)
{
	char esc[SBX_VISIBLE_ESC_MAX];
	size_t left = strlen(text), unit;

	sbx_buf_putc(out, '"');
	while (left) {
		if (*text == '"' || *text == '\\' || *text == '$') {
			sbx_buf_puts(out, *text == '"' ? "\\\"" : *text == '\\' ? "\\\\" : "$$");
			unit = 1;
		} else if (sbx_visible_escape(text, left, &unit, esc)) {
			/* Shown escaped for review (docs/design.md §5); YAML reads
			 * the escape back as the same character. */
			sbx_buf_puts(out, esc);
		} else {
			sbx_buf_append(out, text, unit);
		}
		text += unit;
		left -= unit;
	}
	sbx_buf_putc(out, '"');
}

/* One comment line: nothing in it may end the line or hide what follows. */
static void write_comment_text(struct sbx_buf *out, const char *text)
{
	sbx_buf_put_visible(out, text, strlen(text), 0);
}

static void write_scalar(struct sbx_buf *out, const struct sbx_policy *policy, enum sbx_setting id,
			 const char *value)
{
	sbx_buf_printf(out, "%s: %s  # ", sbx_settings[id].yaml_key, value);
	write_comment_text(out, policy->origin[id]);
	sbx_buf_putc(out, '\n');
}

static const char *yes_no(bool b)
{
	return b ? "true" : "false";
}

/* /proc/self and /proc/thread-self are links the kernel resolves for the
 * process that opens them: the rule binds to /proc/PID of the process
 * applying the policy, and every child, with a PID of its own, is denied
 * (docs/design.md §2.1). */
static bool binds_to_applier(const char *path)
{
	static const char *const links[] = {"/proc/self", "/proc/thread-self"};
	size_t i, n;

	for (i = 0; i < SBX_ARRAY_SIZE(links); i++) {
		n = strlen(links[i]);
		if (strncmp(path, links[i], n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return true;
	}
	return false;
}

static void write_fs_rule(struct sbx_buf *out, const struct sbx_plan_fs *fs, bool commented)
{
	const struct sbx_fs_rule *rule = fs->rule;

	sbx_buf_puts(out, commented ? "  # - " : "  - ");
	{
		struct sbx_buf text = {0};

		sbx_buf_printf(&text, "%s:", rule->rights);
		sbx_buf_puts(&text, rule->path);
		sbx_yaml_quote_path(out, text.data);
		sbx_buf_free(&text);
	}
	sbx_buf_puts(out, "  # ");
	write_comment_text(out, rule->origin);
	sbx_buf_printf(out, "; %s; ", fs->is_dir ? "directory" : "file");
	if (fs->access)
		sbx_fs_access_names(out, fs->access);
	else
		sbx_buf_puts(out, "nothing at this ABI");
	sbx_buf_putc(out, '\n');
	if (binds_to_applier(rule->path))
		sbx_buf_puts(out, "    # warning: this rule binds to the process that applies the "
				  "policy (its /proc/PID); the command's children are denied: "
				  "grant r:/proc or the /proc files they need instead\n");
}

/* What the policy names but does not grant: rules skipped as missing, and
 * what the host runtime refused (docs/host-runtime.md "Writable trees"). */
static void write_left_out(struct sbx_buf *out, const struct sbx_policy *policy)
{
	size_t i;

	for (i = 0; i < policy->n_skipped; i++) {
		sbx_buf_printf(out, "  # skipped, missing: %s:", policy->skipped[i].rights);
		write_comment_text(out, policy->skipped[i].path);
		sbx_buf_puts(out, " (");
		write_comment_text(out, policy->skipped[i].origin);
		sbx_buf_puts(out, ")\n");
	}
	for (i = 0; i < policy->n_hostrt_refused; i++) {
		sbx_buf_puts(out, "  # ");
		write_comment_text(out, policy->hostrt_refused[i]);
		sbx_buf_putc(out, '\n');
	}
}

/* What the seccomp filter does with the network beyond Landlock's TCP
 * rules (docs/audit-and-seccomp.md), in one comment line. */
static void write_network_note(struct sbx_buf *out, const struct sbx_plan *plan)
{
	unsigned f = plan->seccomp;

	sbx_buf_puts(out, "# network beyond TCP: ");
	if (plan->handled_net & SBX_LL_NET_CONNECT_SEND_UDP)
		sbx_buf_puts(out, "UDP to the ports the ub/uc rules name (Landlock ABI 10)");
	else if (!(f & SBX_SECCOMP_NO_IP))
		sbx_buf_puts(out, plan->abi >= SBX_LL_ABI_UDP
				      ? "UDP open, to every port (a TCP port is allowed; no ub/uc "
					"rule names a UDP port)"
				      : "UDP open, to every port (a TCP port is allowed; below ABI "
					"10 UDP cannot be filtered by port)");
	else if (f & SBX_SECCOMP_ALLOW_UDP)
		sbx_buf_puts(out, "UDP open, to every port (allow-udp); other protocols refused");
	else
		sbx_buf_puts(out, "none (no TCP port is allowed): UDP, ICMP and every other "
				  "protocol refused");
	if (f & (SBX_SECCOMP_TCP | SBX_SECCOMP_NO_IP))
		sbx_buf_puts(out, "; raw, packet, SCTP, MPTCP and SMC sockets refused, and "
				  "every family but unix, netlink and IP");
	if (f & SBX_SECCOMP_NO_LISTEN)
		sbx_buf_puts(out, "; listen refused (no bind port)");
	else if (f & SBX_SECCOMP_TCP)
		sbx_buf_puts(out, "; listen without bind takes an ephemeral port");
	if (plan->resolve_unix)
		sbx_buf_puts(out, "; pathname unix sockets as the fs rules grant (w)");
	else if (f & SBX_SECCOMP_NO_UNIX)
		sbx_buf_puts(out, "; no unix sockets (socketpair and inherited ones work)");
	else
		sbx_buf_puts(out, "; pathname unix sockets open");
	sbx_buf_putc(out, '\n');
}

/* How the layer reaches the process's threads, and whether no_new_privs
 * comes with it (docs/design.md §2.3). */
static void write_threads_note(struct sbx_buf *out, const struct sbx_plan *plan)
{
	sbx_buf_printf(out, "# threads: %s; no_new_privs: %s\n",
		       plan->restrict_flags & SBX_LL_RESTRICT_SELF_TSYNC
			   ? "every thread of the process (TSYNC)"
			   : "the calling thread (the shim stops a program with more)",
		       plan->restrict_flags & SBX_LL_RESTRICT_SELF_NO_NEW_PRIVS
			   ? "set by the layer itself"
			   : "set by prctl before the layer");
}

/* What the ABIs above the one in use would add: why an older kernel (or a
 * pinned ABI) gives less (docs/design.md §2.4). */
static void write_newer_abis(struct sbx_buf *out, const struct sbx_plan *plan)
{
	size_t i;

	for (i = 0; i < sbx_abi_features_count; i++) {
		if (sbx_abi_features[i].abi > plan->abi)
			sbx_buf_printf(out, "# ABI %d would add: %s\n", sbx_abi_features[i].abi,
				       sbx_abi_features[i].adds);
	}
}

/* The comment lines on top: the kernel, what the layer handles and how it
 * is applied. */
static void write_layer_comments(struct sbx_buf *out, const struct sbx_plan *plan)
{
	sbx_buf_puts(out, "# sandboxec: effective policy\n");
	sbx_buf_printf(out, "# kernel Landlock ABI: %d\n", plan->kernel_abi);
	if (plan->unsandboxed) {
		sbx_buf_puts(out, "# NO SANDBOX: best-effort without Landlock\n");
		return;
	}
	sbx_buf_printf(out, "# handled: fs ");
	sbx_fs_access_names(out, plan->handled_fs);
	sbx_buf_printf(
	    out, "; net %s%s; scoped %s\n",
	    plan->handled_net && !plan->net_dropped ? "bind, connect" : "none (TCP unrestricted)",
	    plan->handled_net & SBX_LL_NET_CONNECT_SEND_UDP ? ", udp_bind, udp_connect" : "",
	    plan->scoped ? "abstract unix sockets, signals" : "none");
	write_network_note(out, plan);
	write_threads_note(out, plan);
	write_newer_abis(out, plan);
}

void sbx_plan_write_yaml(const struct sbx_plan *plan, struct sbx_buf *out)
{
	const struct sbx_policy *policy = plan->policy;
	char abi[16];
	size_t i;
	bool any_added = false;

	write_layer_comments(out, plan);
	if (policy->config_path) {
		sbx_buf_puts(out, "# config file: ");
		write_comment_text(out, policy->config_path);
		sbx_buf_putc(out, '\n');
	}
	if (plan->warning) {
		sbx_buf_puts(out, "# ");
		write_comment_text(out, plan->warning);
		sbx_buf_putc(out, '\n');
	}
	snprintf(abi, sizeof(abi), "%d", plan->abi);
	write_scalar(out, policy, SBX_SET_ABI, abi);
	write_scalar(out, policy, SBX_SET_BEST_EFFORT, yes_no(policy->best_effort));
	write_scalar(out, policy, SBX_SET_IGNORE_IF_MISSING, yes_no(policy->ignore_if_missing));
	write_scalar(out, policy, SBX_SET_RESTRICT_SCOPED,
		     yes_no(policy->restrict_scoped && plan->scoped));
	write_scalar(out, policy, SBX_SET_ALLOW_UDP, yes_no(policy->allow_udp));
	write_scalar(out, policy, SBX_SET_RESTRICT_UNIX, yes_no(policy->restrict_unix));
	write_scalar(out, policy, SBX_SET_UNSAFE_HOST_RUNTIME, yes_no(policy->unsafe_host_runtime));
	write_scalar(out, policy, SBX_SET_LOG_DENIALS,
		     yes_no(policy->log_denials &&
			    (plan->restrict_flags & SBX_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON)));
	write_scalar(out, policy, SBX_SET_MODE, policy->mode == SBX_MODE_MCP ? "mcp" : "run");
	sbx_buf_puts(out, "fs:");
	if (!policy->n_fs)
		sbx_buf_puts(out, " []");
	sbx_buf_puts(out, "  # ");
	write_comment_text(out, policy->origin[SBX_SET_FS]);
	sbx_buf_putc(out, '\n');
	for (i = 0; i < plan->n_fs; i++) {
		if (plan->fs[i].rule->kind == SBX_RULE_USER)
			write_fs_rule(out, &plan->fs[i], false);
		else
			any_added = true;
	}
	if (any_added) {
		sbx_buf_puts(out,
			     "  # added by sandboxec itself (not config; shown for review):\n");
		for (i = 0; i < plan->n_fs; i++) {
			if (plan->fs[i].rule->kind != SBX_RULE_USER)
				write_fs_rule(out, &plan->fs[i], true);
		}
	}
	write_left_out(out, policy);
	sbx_buf_puts(out, "net:");
	if (!policy->n_net || plan->net_dropped)
		sbx_buf_puts(out, " []");
	sbx_buf_puts(out, "  # ");
	write_comment_text(out, policy->origin[SBX_SET_NET]);
	sbx_buf_putc(out, '\n');
	for (i = 0; i < policy->n_net && !plan->net_dropped; i++) {
		/* A UDP rule best-effort dropped below ABI 10: shown, not kept. */
		bool dropped = !(policy->net[i].access & plan->handled_net);

		sbx_buf_printf(out, "  %s- \"%s:%u\"  # ", dropped ? "# " : "",
			       policy->net[i].rights, policy->net[i].port);
		write_comment_text(out, policy->net[i].origin);
		if (dropped)
			sbx_buf_puts(out, "; dropped: UDP rules need ABI 10");
		sbx_buf_putc(out, '\n');
	}
	if (!plan->unsandboxed && sbx_plan_udp_ephemeral_bind(plan))
		sbx_buf_puts(out, "  # - \"ub:0\"  # added by sandboxec: a uc rule sends from "
				  "an unbound socket, which binds an ephemeral port\n");
}
