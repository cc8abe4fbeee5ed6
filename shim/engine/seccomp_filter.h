/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp filter installed with every Landlock layer. It closes what
 * Landlock cannot see, and allows every other system call:
 *
 * - always: ioctl(TIOCSTI) (push bytes into a terminal's input, as if
 *   typed) and ioctl(TIOCLINUX) (the virtual console's paste), which act
 *   on a terminal fd the process inherited, opened before the policy;
 * - when the layer handles TCP (ABI >= 4, network rules not dropped):
 *   the ways around Landlock's TCP port rules on the kernels we target —
 *   MPTCP, SMC and SCTP sockets, raw and packet sockets, address families
 *   other than unix, netlink and IP, TCP Fast Open's connect inside
 *   sendto/sendmsg, and io_uring, whose requests (IORING_OP_SOCKET...)
 *   seccomp never sees;
 * - when the policy allows no TCP port at all: the same, and UDP (unless
 *   allowed), ICMP and every other IP protocol, on any ABI;
 * - when it allows no bind port: listen(), which binds an unbound socket
 *   to an ephemeral port without the bind hook Landlock checks;
 * - with restrict-unix, where Landlock cannot restrict pathname unix
 *   sockets itself: socket(AF_UNIX) (socketpair stays).
 *
 * The table of denials and the numbers they apply to are in
 * seccomp_filter.c; docs/audit-and-seccomp.md explains each one. */
#ifndef SBX_SECCOMP_FILTER_H
#define SBX_SECCOMP_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Which groups of denials the filter carries beyond the terminal ioctls;
 * landlock_plan.c derives them from the plan (docs/design.md §2.3). */
enum sbx_seccomp_flag {
	SBX_SECCOMP_TCP = 1u << 0,	 /* the layer restricts TCP ports */
	SBX_SECCOMP_NO_IP = 1u << 1,	 /* no TCP port allowed: no other network */
	SBX_SECCOMP_ALLOW_UDP = 1u << 2, /* with NO_IP: UDP stays open */
	SBX_SECCOMP_NO_LISTEN = 1u << 3, /* no bind port: listen() refused */
	SBX_SECCOMP_NO_UNIX = 1u << 4,	 /* restrict-unix by seccomp */
	SBX_SECCOMP_TRACE_NET = 1u << 5, /* --report's tracer: see below */
};

/* With SBX_SECCOMP_TRACE_NET every refusal but the terminal ioctls returns
 * SECCOMP_RET_TRACE, its data this bit and the errno, instead of
 * SECCOMP_RET_ERRNO: the tracer of --report names the refusal and fails
 * the call with that errno itself. Without a tracer the kernel fails such
 * a call with ENOSYS, so it stays refused (seccomp(2)); a tracer that does
 * nothing would let it run, so only a tracer that holds every process of
 * the tree may ask for this (docs/diagnostics.md). */
#define SBX_SECCOMP_TRACE_REFUSAL 0x8000u

/* Installs the filter on the calling thread, or with all_threads on every
 * thread of the process (SECCOMP_FILTER_FLAG_TSYNC); flags is a set of
 * sbx_seccomp_flag. no_new_privs must already be set (the kernel refuses a
 * filter from an unprivileged process without it). The filter is inherited
 * by every child and survives execve. */
int sbx_seccomp_filter_install(unsigned flags, bool all_threads, struct sbx_error *err);

struct sock_filter;
/* The filter's instructions, without installing them (for tests): writes
 * them to prog (cap entries) and returns how many, or 0 when they do not
 * fit (in cap, or in classic BPF's jump offsets). */
size_t sbx_seccomp_filter_build(unsigned flags, struct sock_filter *prog, size_t cap);

#endif
