/* SPDX-License-Identifier: Apache-2.0 */
/* See plan_sets.h; docs/design.md §2.2 and §2.3 say why each choice. */
#include "plan_sets.h"

#include "landlock_abi.h"
#include "rights.h"
#include "seccomp_filter.h"

uint64_t sbx_plan_rule_access(uint64_t access, int abi, bool is_dir, bool resolve_unix)
{
	uint64_t effective = sbx_fs_access_effective(access, abi, is_dir);

	/* Connecting to a pathname unix socket is writing to it: where
	 * Landlock restricts those, the file rules decide. */
	if (resolve_unix && (access & SBX_LL_FS_WRITE_FILE))
		effective |= SBX_LL_FS_RESOLVE_UNIX;
	return effective;
}

/* TCP from ABI 4; UDP from ABI 10, and only when the policy names a UDP
 * port: a policy of TCP rules keeps UDP open (name resolution needs it)
 * as on every older ABI, and one with a UDP rule means "UDP to these
 * ports only". */
static uint64_t handled_net(const struct sbx_plan_facts *f)
{
	const uint64_t udp = SBX_LL_NET_BIND_UDP | SBX_LL_NET_CONNECT_SEND_UDP;
	uint64_t handled = sbx_abi_handled_net(f->abi);

	if (!f->udp_rule)
		handled &= ~udp;
	return handled;
}

/* Landlock logs a domain's denials only until the next exec unless asked;
 * sandboxec always execs the command, so LOG_NEW_EXEC_ON is what makes
 * them reach the audit log at all. TSYNC, where the kernel has it (a
 * mechanism, not an ABI's semantics: also under a pinned ABI), puts every
 * thread in the domain, so no thread a library started escapes it; and
 * NO_NEW_PRIVS sets no_new_privs only if the layer applies, in place of a
 * separate prctl. */
static uint32_t restrict_flags(const struct sbx_plan_facts *f)
{
	uint32_t flags = 0;

	if (f->log_denials && f->abi >= 7)
		flags |= SBX_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON;
	if (f->kernel_abi >= SBX_LL_ABI_TSYNC)
		flags |= SBX_LL_RESTRICT_SELF_TSYNC;
	if (f->kernel_abi >= SBX_LL_ABI_NO_NEW_PRIVS)
		flags |= SBX_LL_RESTRICT_SELF_NO_NEW_PRIVS;
	return flags;
}

unsigned sbx_plan_seccomp_for(const struct sbx_plan_facts *f, uint64_t handled, bool resolve_unix)
{
	bool tcp = handled && !f->net_dropped;
	unsigned flags = tcp ? SBX_SECCOMP_TCP : 0;

	/* No TCP port at all means no network: on every ABI, also below 4
	 * where TCP itself cannot be restricted. A rule best-effort dropped
	 * still counts as a port asked for. */
	if (!f->any_net)
		flags |= SBX_SECCOMP_NO_IP;
	if (f->allow_udp)
		flags |= SBX_SECCOMP_ALLOW_UDP;
	/* Only where TCP bind is checked: elsewhere an explicit bind is as
	 * open as listen's implicit one. */
	if (tcp && !f->tcp_bind_rule)
		flags |= SBX_SECCOMP_NO_LISTEN;
	if (f->restrict_unix && !resolve_unix)
		flags |= SBX_SECCOMP_NO_UNIX;
	return flags;
}

void sbx_plan_sets_compute(const struct sbx_plan_facts *f, struct sbx_plan_sets *out)
{
	out->handled_fs = sbx_abi_handled_fs(f->abi);
	out->handled_net = handled_net(f);
	out->scoped = f->restrict_scoped ? sbx_abi_scoped(f->abi) : 0;
	out->restrict_flags = restrict_flags(f);
	out->resolve_unix = false;
	/* restrict-unix: Landlock where the ABI in use restricts pathname unix
	 * sockets, with the abstract ones scoped too; below it the filter
	 * refuses socket(AF_UNIX). */
	if (f->restrict_unix && f->abi >= SBX_LL_ABI_RESOLVE_UNIX) {
		out->resolve_unix = true;
		out->handled_fs |= SBX_LL_FS_RESOLVE_UNIX;
		out->scoped |= SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET;
	}
	out->seccomp = sbx_plan_seccomp_for(f, out->handled_net, out->resolve_unix);
}
