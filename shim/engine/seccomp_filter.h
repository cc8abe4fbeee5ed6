/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp filter installed with every Landlock layer. It closes what
 * Landlock cannot see, and allows every other system call:
 *
 * - always: ioctl(TIOCSTI) (push bytes into a terminal's input, as if
 *   typed) and ioctl(TIOCLINUX) (the virtual console's paste), which act
 *   on a terminal fd the process inherited, opened before the policy;
 * - when the layer handles TCP (ABI >= 4, network rules not dropped):
 *   the ways around Landlock's TCP port rules on the kernels we target —
 *   MPTCP sockets, TCP Fast Open's connect inside sendto/sendmsg, and
 *   io_uring, whose requests (IORING_OP_SOCKET...) seccomp never sees.
 *
 * The table of denials and the numbers they apply to are in
 * seccomp_filter.c; docs/audit-and-seccomp.md explains each one. */
#ifndef SBX_SECCOMP_FILTER_H
#define SBX_SECCOMP_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Installs the filter on the calling thread; net_handled adds the network
 * denials. no_new_privs must already be set (the kernel refuses a filter
 * from an unprivileged process without it). The filter is inherited by
 * every child and survives execve. */
int sbx_seccomp_filter_install(bool net_handled, struct sbx_error *err);

struct sock_filter;
/* The filter's instructions, without installing them (for tests): writes
 * them to prog (cap entries) and returns how many, or 0 when they do not
 * fit (in cap, or in classic BPF's jump offsets). */
size_t sbx_seccomp_filter_build(bool net_handled, struct sock_filter *prog, size_t cap);

#endif
