/* SPDX-License-Identifier: Apache-2.0 */
/* Tables of rights and the per-ABI handled sets; see rights.h. Pure data and
 * lookups: no allocation except into caller buffers, no system calls. */
#include "rights.h"

#include <string.h>

#include "landlock_abi.h"

#define FS_READ (SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR)
#define FS_WRITE                                                                                   \
	(SBX_LL_FS_WRITE_FILE | SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV | SBX_LL_FS_READ_DIR |    \
	 SBX_LL_FS_REMOVE_DIR | SBX_LL_FS_REMOVE_FILE | SBX_LL_FS_MAKE_CHAR | SBX_LL_FS_MAKE_DIR | \
	 SBX_LL_FS_MAKE_REG | SBX_LL_FS_MAKE_SOCK | SBX_LL_FS_MAKE_FIFO | SBX_LL_FS_MAKE_BLOCK |   \
	 SBX_LL_FS_MAKE_SYM | SBX_LL_FS_REFER)

const struct sbx_right sbx_fs_rights[] = {
    {"r", NULL, "read", FS_READ, 1, "read files, list directories"},
    {"rx", NULL, "read_exec", FS_READ | SBX_LL_FS_EXECUTE, 1, "r, and execute files"},
    {"w", NULL, "write", FS_WRITE, 1,
     "write, truncate, create, remove, rename and link (lists directories too)"},
    {"rw", NULL, "read_write", FS_READ | FS_WRITE, 1, "r and w"},
    {"rwx", NULL, "read_write_exec", FS_READ | FS_WRITE | SBX_LL_FS_EXECUTE, 1, "r, w and execute"},
};
const size_t sbx_fs_rights_count = SBX_ARRAY_SIZE(sbx_fs_rights);

const struct sbx_right sbx_net_rights[] = {
    {"b", NULL, "bind", SBX_LL_NET_BIND_TCP, 4, "bind a TCP socket to the port"},
    {"c", NULL, "connect", SBX_LL_NET_CONNECT_TCP, 4, "connect to the TCP port"},
    {"bc", "cb", "bind_connect", SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP, 4,
     "bind and connect"},
    /* UDP: the TCP letters behind a "u", so that a rule says which
     * protocol it opens; c stays TCP, as on every ABI before. */
    {"ub", NULL, "udp_bind", SBX_LL_NET_BIND_UDP, SBX_LL_ABI_UDP,
     "bind a UDP socket to the port (ABI 10+)"},
    {"uc", NULL, "udp_connect", SBX_LL_NET_CONNECT_SEND_UDP, SBX_LL_ABI_UDP,
     "send UDP datagrams to the port (ABI 10+)"},
    {"ubc", "ucb", "udp_bind_connect", SBX_LL_NET_BIND_UDP | SBX_LL_NET_CONNECT_SEND_UDP,
     SBX_LL_ABI_UDP, "ub and uc"},
};
const size_t sbx_net_rights_count = SBX_ARRAY_SIZE(sbx_net_rights);

/* resolve_unix is handled only with restrict-unix (landlock_plan.c). */
const struct sbx_access_bit sbx_fs_access_bits[] = {
    {SBX_LL_FS_EXECUTE, "execute", 1},
    {SBX_LL_FS_WRITE_FILE, "write_file", 1},
    {SBX_LL_FS_READ_FILE, "read_file", 1},
    {SBX_LL_FS_READ_DIR, "read_dir", 1},
    {SBX_LL_FS_REMOVE_DIR, "remove_dir", 1},
    {SBX_LL_FS_REMOVE_FILE, "remove_file", 1},
    {SBX_LL_FS_MAKE_CHAR, "make_char", 1},
    {SBX_LL_FS_MAKE_DIR, "make_dir", 1},
    {SBX_LL_FS_MAKE_REG, "make_reg", 1},
    {SBX_LL_FS_MAKE_SOCK, "make_sock", 1},
    {SBX_LL_FS_MAKE_FIFO, "make_fifo", 1},
    {SBX_LL_FS_MAKE_BLOCK, "make_block", 1},
    {SBX_LL_FS_MAKE_SYM, "make_sym", 1},
    {SBX_LL_FS_REFER, "refer", 2},
    {SBX_LL_FS_TRUNCATE, "truncate", 3},
    {SBX_LL_FS_IOCTL_DEV, "ioctl_dev", 5},
    {SBX_LL_FS_RESOLVE_UNIX, "resolve_unix", SBX_LL_ABI_RESOLVE_UNIX},
};
const size_t sbx_fs_access_bits_count = SBX_ARRAY_SIZE(sbx_fs_access_bits);

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int name_matches(const char *name, const char *text, size_t len)
{
	size_t i;

	if (!name)
		return 0;
	/* Stops at the first difference, or at name's end: no strlen of
	 * every name tried. */
	for (i = 0; i < len; i++) {
		char c = text[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (!name[i] || c != name[i])
			return 0;
	}
	return name[len] == '\0';
}

const struct sbx_right *sbx_right_find(const struct sbx_right *table, size_t count,
				       const char *text, size_t len)
{
	size_t i;

	while (len && is_space(*text)) {
		text++;
		len--;
	}
	while (len && is_space(text[len - 1]))
		len--;
	for (i = 0; i < count; i++) {
		if (name_matches(table[i].short_name, text, len) ||
		    name_matches(table[i].alt_name, text, len) ||
		    name_matches(table[i].long_name, text, len))
			return &table[i];
	}
	return NULL;
}

const struct sbx_right *sbx_right_for_access(const struct sbx_right *table, size_t count,
					     uint64_t access)
{
	const struct sbx_right *best = NULL;
	size_t i;

	for (i = 0; i < count; i++) {
		if (table[i].access == access)
			return &table[i];
	}
	for (i = 0; i < count; i++) {
		if ((table[i].access & access) != access)
			continue;
		if (!best ||
		    __builtin_popcountll(table[i].access) < __builtin_popcountll(best->access))
			best = &table[i];
	}
	return best;
}

void sbx_rights_describe(struct sbx_buf *out, const struct sbx_right *table, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		sbx_buf_printf(out, "%s%s", i ? ", " : "", table[i].short_name);
		if (table[i].alt_name)
			sbx_buf_printf(out, "/%s", table[i].alt_name);
	}
	sbx_buf_puts(out, " (or ");
	for (i = 0; i < count; i++)
		sbx_buf_printf(out, "%s%s", i ? ", " : "", table[i].long_name);
	sbx_buf_puts(out, ")");
}

const struct sbx_abi_feature sbx_abi_features[] = {
    {1, "filesystem rules (r, rx, w, rw, rwx)"},
    {2, "refer: w moves and links files across directories"},
    {3, "truncate is part of w"},
    {4, "TCP port rules (b, c, bc)"},
    {5, "ioctl_dev: device ioctls are part of w"},
    {6, "restrict-scoped: abstract unix sockets and signals"},
    {7, "log-denials: the audit log records denials after exec"},
    {8, "all threads confined at once (the shim runs threaded programs)"},
    {9, "restrict-unix by Landlock: w on a unix socket grants connecting"},
    {10, "UDP port rules (ub, uc, ubc); allow-udp needed only below"},
    {11, "no_new_privs set by the layer itself, only if it applies"},
};
const size_t sbx_abi_features_count = SBX_ARRAY_SIZE(sbx_abi_features);

/* The one place that knows which ABI brought which right. */
uint64_t sbx_abi_handled_fs(int abi)
{
	uint64_t handled = 0;

	/* ABI 9's resolve_unix is not here: it is handled only with
	 * restrict-unix (landlock_plan.c); ABIs 8, 10 and 11 add no fs right. */
	switch (abi) {
	case 11:
	case 10:
	case 9:
	case 8:
	case 7:
	case 6:
	case 5:
		handled |= SBX_LL_FS_IOCTL_DEV;
		/* fallthrough */
	case 4:
	case 3:
		handled |= SBX_LL_FS_TRUNCATE;
		/* fallthrough */
	case 2:
		handled |= SBX_LL_FS_REFER;
		/* fallthrough */
	case 1:
		handled |= SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE |
			   SBX_LL_FS_READ_DIR | SBX_LL_FS_REMOVE_DIR | SBX_LL_FS_REMOVE_FILE |
			   SBX_LL_FS_MAKE_CHAR | SBX_LL_FS_MAKE_DIR | SBX_LL_FS_MAKE_REG |
			   SBX_LL_FS_MAKE_SOCK | SBX_LL_FS_MAKE_FIFO | SBX_LL_FS_MAKE_BLOCK |
			   SBX_LL_FS_MAKE_SYM;
		break;
	default:
		break;
	}
	return handled;
}

uint64_t sbx_abi_handled_net(int abi)
{
	uint64_t handled = 0;

	if (abi >= 4 && abi <= SBX_ABI_MAX)
		handled |= SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP;
	if (abi >= SBX_LL_ABI_UDP && abi <= SBX_ABI_MAX)
		handled |= SBX_LL_NET_BIND_UDP | SBX_LL_NET_CONNECT_SEND_UDP;
	return handled;
}

uint64_t sbx_abi_scoped(int abi)
{
	return (abi >= 6 && abi <= SBX_ABI_MAX)
		   ? (SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET | SBX_LL_SCOPE_SIGNAL)
		   : 0;
}

uint64_t sbx_fs_access_effective(uint64_t access, int abi, int is_dir)
{
	access &= sbx_abi_handled_fs(abi);
	if (!is_dir)
		access &= SBX_LL_FS_FILE_RIGHTS;
	return access;
}

void sbx_fs_access_names(struct sbx_buf *out, uint64_t bits)
{
	size_t i;
	int first = 1;

	for (i = 0; i < sbx_fs_access_bits_count; i++) {
		if (!(bits & sbx_fs_access_bits[i].bit))
			continue;
		sbx_buf_printf(out, "%s%s", first ? "" : ", ", sbx_fs_access_bits[i].name);
		first = 0;
	}
}
