/* SPDX-License-Identifier: Apache-2.0 */
/* The words for a refusal of the seccomp filter; see report_refusal.h. */
#include "report_refusal.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/netlink.h>

#include "report_syscalls.h"

#define TYPE_BITS 0xfu /* the socket type without SOCK_NONBLOCK, SOCK_CLOEXEC */

static const char *socket_words(int domain, int type, int proto, enum sbx_seccomp_fix *fix)
{
	type &= (int)TYPE_BITS;
	if (domain == AF_UNIX)
		return "a unix socket (restrict-unix: pathname sockets cannot be restricted "
		       "otherwise)";
	if (domain == AF_NETLINK)
		return "a NETLINK_USERSOCK socket (it reaches any process, like an unrestricted "
		       "unix socket)";
	if (domain != AF_INET && domain != AF_INET6)
		return "a socket of an address family other than unix, netlink and IP";
	if (type == SOCK_DGRAM && (proto == 0 || proto == IPPROTO_UDP)) {
		*fix = SBX_FIX_ALLOW_UDP;
		return "a UDP socket (no TCP port is allowed, so no other network either)";
	}
	if (type == SOCK_DGRAM)
		return "a datagram socket of another IP protocol (ICMP, UDP-Lite ...)";
	if (type == SOCK_STREAM)
		return "a stream socket that is not plain TCP (MPTCP, SMC, SCTP: they get past "
		       "the TCP port rules)";
	return "a raw, packet or SCTP socket (it gets past the TCP port rules)";
}

const char *sbx_refusal_words(uint32_t arch, uint64_t nr, const uint64_t args[6],
			      enum sbx_seccomp_fix *fix)
{
	*fix = SBX_FIX_NONE;
	if (arch != SBX_TRACED_ARCH)
		return "a network call of a 32-bit program";
	switch (nr) {
	case __NR_socket:
		return socket_words((int)args[0], (int)args[1], (int)args[2], fix);
	case __NR_socketpair:
		return "a datagram socketpair (restrict-unix: it can name any pathname socket)";
	case __NR_listen:
		*fix = SBX_FIX_BIND_PORT;
		return "listen() (no bind port is allowed, and it would bind an ephemeral port)";
	case __NR_sendto:
	case __NR_sendmsg:
	case __NR_sendmmsg:
		return "TCP Fast Open (MSG_FASTOPEN connects without the port check)";
	case __NR_setsockopt:
		return "TCP Fast Open (TCP_FASTOPEN_CONNECT)";
	case __NR_io_uring_setup:
		return "io_uring (its requests never pass seccomp)";
	default:
		return "a network call";
	}
}
