/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp filter; see seccomp_filter.h. Raw classic BPF generated from
 * two tables below: which system calls each CPU ABI numbers how, and which
 * (call, argument test) pairs are denied with which errno. libseccomp would
 * be a dependency for a program of a few dozen instructions. The filter
 * must never allow a call it was meant to deny: an architecture it does not
 * know in seccomp_data kills the process instead of guessing. */
#include "seccomp_filter.h"

#include <endian.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "util.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif
#define SOCK_TYPE_BITS 0xfu /* the kernel's SOCK_TYPE_MASK: type without its flags */

/* The system calls the filter looks at. CALL_END (0) ends an ABI's list,
 * so a list's unused, zeroed tail can never name a real call. */
enum filter_call {
	CALL_END = 0,
	CALL_IOCTL,
	CALL_SOCKET,
	CALL_SENDTO,
	CALL_SENDMSG,
	CALL_SENDMMSG,
	CALL_SETSOCKOPT,
	CALL_IO_URING_SETUP,
	CALL_SOCKETCALL,
	CALL_LISTEN,
	CALL_SOCKETPAIR,
	CALL_COUNT
};

struct abi_call {
	enum filter_call call;
	uint32_t nr;
};

/* One system-call ABI the kernel may report for this process: a 64-bit
 * x86 process can still enter through int $0x80 (the i386 table) or with
 * the x32 bit set, so every ABI the CPU offers needs its own numbers. A
 * call may have two numbers in one ABI (x86-64 and x32 share an arch). */
struct filter_abi {
	uint32_t arch;	  /* AUDIT_ARCH_* as in seccomp_data.arch */
	uint32_t nr_mask; /* bits of the syscall number that select the call: all, or all but one */
	struct abi_call calls[16];
};

#define X32_SYSCALL_BIT 0x40000000u

/* The generic table (asm-generic/unistd.h) of aarch64 and riscv. */
#define GENERIC_CALLS                                                                              \
	{                                                                                          \
		{CALL_IOCTL, 29}, {CALL_SOCKET, 198}, {CALL_SENDTO, 206}, {CALL_SENDMSG, 211},     \
		    {CALL_SENDMMSG, 269}, {CALL_SETSOCKOPT, 208}, {CALL_IO_URING_SETUP, 425},      \
		    {CALL_LISTEN, 201}, {CALL_SOCKETPAIR, 199},                                    \
	}
/* 32-bit ARM (EABI), also reachable from aarch64 in compat mode; 102 is
 * socketcall in the old ABI only, denied anyway. */
#define ARM_CALLS                                                                                  \
	{                                                                                          \
		{CALL_IOCTL, 54}, {CALL_SOCKET, 281}, {CALL_SENDTO, 290}, {CALL_SENDMSG, 296},     \
		    {CALL_SENDMMSG, 374}, {CALL_SETSOCKOPT, 294}, {CALL_IO_URING_SETUP, 425},      \
		    {CALL_SOCKETCALL, 102}, {CALL_LISTEN, 284}, {CALL_SOCKETPAIR, 288},            \
	}
/* i386: socketcall multiplexes every socket call behind a pointer seccomp
 * cannot read, so it is denied whole; the direct calls exist since 4.3. */
#define I386_CALLS                                                                                 \
	{                                                                                          \
		{CALL_IOCTL, 54}, {CALL_SOCKET, 359}, {CALL_SENDTO, 369}, {CALL_SENDMSG, 370},     \
		    {CALL_SENDMMSG, 345}, {CALL_SETSOCKOPT, 366}, {CALL_IO_URING_SETUP, 425},      \
		    {CALL_SOCKETCALL, 102}, {CALL_LISTEN, 363}, {CALL_SOCKETPAIR, 360},            \
	}

static const struct filter_abi filter_abis[] = {
#if defined(__x86_64__)
    /* The mask clears the x32 bit, so x32 entries use their table number
     * (514 ioctl, 518 sendmsg, 538 sendmmsg, 541 setsockopt); the x32
     * numbers below 512 are the x86-64 ones. */
    {AUDIT_ARCH_X86_64,
     ~X32_SYSCALL_BIT,
     {{CALL_IOCTL, 16},
      {CALL_IOCTL, 514},
      {CALL_SOCKET, 41},
      {CALL_SENDTO, 44},
      {CALL_SENDMSG, 46},
      {CALL_SENDMSG, 518},
      {CALL_SENDMMSG, 307},
      {CALL_SENDMMSG, 538},
      {CALL_SETSOCKOPT, 54},
      {CALL_SETSOCKOPT, 541},
      {CALL_IO_URING_SETUP, 425},
      {CALL_LISTEN, 50},
      {CALL_SOCKETPAIR, 53}}},
    {AUDIT_ARCH_I386, ~0u, I386_CALLS},
#elif defined(__i386__)
    {AUDIT_ARCH_I386, ~0u, I386_CALLS},
#elif defined(__aarch64__)
    {AUDIT_ARCH_AARCH64, ~0u, GENERIC_CALLS},
    {AUDIT_ARCH_ARM, ~0u, ARM_CALLS},
#elif defined(__arm__)
    {AUDIT_ARCH_ARM, ~0u, ARM_CALLS},
#elif defined(__riscv) && __riscv_xlen == 64
    {AUDIT_ARCH_RISCV64, ~0u, GENERIC_CALLS},
    {AUDIT_ARCH_RISCV32, ~0u, GENERIC_CALLS},
#else
#error "seccomp_filter.c: add this CPU's AUDIT_ARCH_* values and syscall numbers to filter_abis"
#endif
};

/* "Argument ARG, masked with MASK, equals VALUE" (or, with NE, does not).
 * Only the low 32 bits are compared: every argument tested is an int or
 * unsigned int in the kernel, which ignores the high half (socket(...,
 * IPPROTO_MPTCP | 1UL << 32) is still MPTCP, TIOCSTI | 1UL << 32 still
 * TIOCSTI). */
struct arg_test {
	uint8_t arg;
	uint32_t mask;
	uint32_t value;
	bool ne;
};

/* When a row is in the filter, from the sbx_seccomp_flag set. */
enum denial_when {
	ALWAYS,
	TCP,	      /* the layer restricts TCP ports */
	TCP_OR_NO_IP, /* ... or the policy allows no TCP port */
	NO_UDP,	      /* no TCP port and UDP not allowed */
	UDP_ONLY,     /* no TCP port, UDP allowed: other datagrams still refused */
	NO_LISTEN,    /* no bind port */
	NO_UNIX,      /* restrict-unix, by seccomp */
	ANY_NET,      /* any of the above: calls whose arguments seccomp cannot see */
};

/* A call is denied with ERR when every one of its N_TESTS tests holds
 * (N_TESTS 0: always). Calls with several rows try them in order. */
struct denial {
	enum filter_call call;
	enum denial_when when;
	uint8_t n_tests;
	struct arg_test tests[4];
	int err;
};

/* The fields of one arg_test, for rows that read as the call is written. */
#define EQ(arg, value)	    arg, ~0u, (uint32_t)(value), false
#define NE(arg, value)	    arg, ~0u, (uint32_t)(value), true
#define TYPE_EQ(value)	    1, SOCK_TYPE_BITS, value, false
#define TYPE_NE(value)	    1, SOCK_TYPE_BITS, value, true
#define FLAG_SET(arg, flag) arg, flag, flag, false

/* Where a program may try a feature and fall back, the errno is what a
 * kernel without it answers: no MPTCP or SCTP, no such address family,
 * client Fast Open switched off (net.ipv4.tcp_fastopen), io_uring disabled
 * (kernel.io_uring_disabled). What the policy forbids outright (UDP,
 * listen, unix sockets) gets EACCES, Landlock's own answer. */
static const struct denial denials[] = {
    /* Terminal injection: Landlock does not reach an inherited tty. */
    {CALL_IOCTL, ALWAYS, 1, {{EQ(1, TIOCSTI)}}, EPERM},
    {CALL_IOCTL, ALWAYS, 1, {{EQ(1, TIOCLINUX)}}, EPERM},
    /* socket(domain, type, protocol). Landlock's TCP rights cover only
     * IPPROTO_TCP stream sockets of AF_INET and AF_INET6; everything else
     * that reaches the network passes it by. Other families carry IP
     * traffic Landlock never sees (AF_SMC, RDS over TCP, RxRPC and TIPC
     * over UDP, AF_PACKET) or reach other machines (vsock, Bluetooth,
     * CAN): only unix, netlink and IP remain. */
    {CALL_SOCKET,
     TCP_OR_NO_IP,
     4,
     {{NE(0, AF_UNIX)}, {NE(0, AF_NETLINK)}, {NE(0, AF_INET)}, {NE(0, AF_INET6)}},
     EAFNOSUPPORT},
    {CALL_SOCKET, NO_UNIX, 1, {{EQ(0, AF_UNIX)}}, EACCES},
    /* A datagram end of a socketpair can still name any pathname socket
     * in sendto() or a second connect(); a stream or seqpacket pair is
     * connected for good (EISCONN). */
    {CALL_SOCKETPAIR, NO_UNIX, 1, {{TYPE_EQ(SOCK_DGRAM)}}, EACCES},
    /* NETLINK_USERSOCK carries messages from any process to any other
     * bound to a port id, like a unix socket nobody restricts; the other
     * protocols let only the kernel (or CAP_NET_ADMIN) be reached. */
    {CALL_SOCKET, ANY_NET, 2, {{EQ(0, AF_NETLINK)}, {EQ(2, NETLINK_USERSOCK)}}, EPROTONOSUPPORT},
    /* Raw sockets (and SOCK_PACKET, which AF_INET turns into a packet
     * socket) write TCP by hand; SOCK_SEQPACKET is SCTP. EPERM, as to a
     * process without CAP_NET_RAW. */
    {CALL_SOCKET,
     TCP_OR_NO_IP,
     3,
     {{EQ(0, AF_INET)}, {TYPE_NE(SOCK_STREAM)}, {TYPE_NE(SOCK_DGRAM)}},
     EPERM},
    {CALL_SOCKET,
     TCP_OR_NO_IP,
     3,
     {{EQ(0, AF_INET6)}, {TYPE_NE(SOCK_STREAM)}, {TYPE_NE(SOCK_DGRAM)}},
     EPERM},
    /* A stream that is not IPPROTO_TCP: MPTCP and SMC fall back to plain
     * TCP and reach any port; SCTP. EPROTONOSUPPORT, as from a kernel
     * without them, so programs fall back to TCP. */
    {CALL_SOCKET,
     TCP_OR_NO_IP,
     4,
     {{EQ(0, AF_INET)}, {TYPE_EQ(SOCK_STREAM)}, {NE(2, 0)}, {NE(2, IPPROTO_TCP)}},
     EPROTONOSUPPORT},
    {CALL_SOCKET,
     TCP_OR_NO_IP,
     4,
     {{EQ(0, AF_INET6)}, {TYPE_EQ(SOCK_STREAM)}, {NE(2, 0)}, {NE(2, IPPROTO_TCP)}},
     EPROTONOSUPPORT},
    /* No TCP port: no datagrams either (UDP, ICMP echo, UDP-Lite, L2TP);
     * with allow-udp, UDP alone. Landlock on this kernel has no UDP
     * rights, so UDP is all or nothing. */
    {CALL_SOCKET, NO_UDP, 2, {{EQ(0, AF_INET)}, {TYPE_EQ(SOCK_DGRAM)}}, EACCES},
    {CALL_SOCKET, NO_UDP, 2, {{EQ(0, AF_INET6)}, {TYPE_EQ(SOCK_DGRAM)}}, EACCES},
    {CALL_SOCKET,
     UDP_ONLY,
     4,
     {{EQ(0, AF_INET)}, {TYPE_EQ(SOCK_DGRAM)}, {NE(2, 0)}, {NE(2, IPPROTO_UDP)}},
     EACCES},
    {CALL_SOCKET,
     UDP_ONLY,
     4,
     {{EQ(0, AF_INET6)}, {TYPE_EQ(SOCK_DGRAM)}, {NE(2, 0)}, {NE(2, IPPROTO_UDP)}},
     EACCES},
    /* listen() on an unbound socket binds it to an ephemeral port without
     * the bind hook Landlock checks. Its only arguments are the fd and the
     * backlog, so every listen goes, unix sockets' too. */
    {CALL_LISTEN, NO_LISTEN, 0, {{0}}, EACCES},
    /* MSG_FASTOPEN connects inside sendmsg, where no LSM hook checks the
     * port; TCP_FASTOPEN_CONNECT defers the connect to the first write
     * (connect() itself is still checked: denied for depth). */
    {CALL_SENDTO, TCP, 1, {{FLAG_SET(3, MSG_FASTOPEN)}}, EOPNOTSUPP},
    {CALL_SENDMSG, TCP, 1, {{FLAG_SET(2, MSG_FASTOPEN)}}, EOPNOTSUPP},
    {CALL_SENDMMSG, TCP, 1, {{FLAG_SET(3, MSG_FASTOPEN)}}, EOPNOTSUPP},
    {CALL_SETSOCKOPT, TCP, 2, {{EQ(1, IPPROTO_TCP)}, {EQ(2, TCP_FASTOPEN_CONNECT)}}, EOPNOTSUPP},
    /* A ring's requests (IORING_OP_SOCKET, IORING_OP_LISTEN,
     * IORING_OP_SENDMSG with MSG_FASTOPEN) never pass through seccomp. */
    {CALL_IO_URING_SETUP, ANY_NET, 0, {{0}}, EPERM},
    /* Arguments behind a pointer: nothing to test, so nothing allowed. */
    {CALL_SOCKETCALL, ANY_NET, 0, {{0}}, EPERM},
};

#if __BYTE_ORDER == __LITTLE_ENDIAN
#define ARG_LOW_WORD(i) (offsetof(struct seccomp_data, args[0]) + 8 * (i))
#else
#define ARG_LOW_WORD(i) (offsetof(struct seccomp_data, args[0]) + 8 * (i) + 4)
#endif

/* Per ABI, the number block is a search tree over the intervals the
 * listed numbers cut the number space into: at most two intervals per
 * listed number and one more, so at most that many less one JGE nodes.
 * A masked ABI lists each number twice, with and without the bit its mask
 * clears (abi_intervals). */
#define MAX_LISTED    (2 * SBX_ARRAY_SIZE(filter_abis[0].calls))
#define MAX_INTERVALS (2 * MAX_LISTED + 1)
#define FILTER_MAX                                                                                 \
	(SBX_ARRAY_SIZE(filter_abis) * (4 + MAX_INTERVALS) + SBX_ARRAY_SIZE(denials) * 13 + 2)

/* Attaching a filter makes the kernel run it once for every system-call
 * number of each ABI (about 450 each), to cache the calls it allows
 * whatever their arguments; every instruction on the way of an unlisted
 * number costs about 4 us on every exec of a sandboxed program. The tree
 * is balanced by how many of those numbers fall in each interval. */
#define EMULATED_NRS 512u

struct emitter {
	struct sock_filter *prog;
	size_t pc;
	bool too_far; /* a jump did not fit classic BPF's 8-bit offsets */
};

static void stmt(struct emitter *e, uint16_t code, uint32_t k)
{
	e->prog[e->pc++] = (struct sock_filter)BPF_STMT(code, k);
}

/* "A op k": on to absolute instruction yes, else to no (both forward). */
static void jump(struct emitter *e, uint16_t op, uint32_t k, size_t yes, size_t no)
{
	size_t at = e->pc;

	if (yes - at - 1 > 255 || no - at - 1 > 255)
		e->too_far = true;
	e->prog[e->pc++] = (struct sock_filter)BPF_JUMP(
	    BPF_JMP | op | BPF_K, k, (uint8_t)(yes - at - 1), (uint8_t)(no - at - 1));
}

static void jeq(struct emitter *e, uint32_t k, size_t yes, size_t no)
{
	jump(e, BPF_JEQ, k, yes, no);
}

static bool denial_active(const struct denial *d, unsigned flags)
{
	bool tcp = flags & SBX_SECCOMP_TCP, no_ip = flags & SBX_SECCOMP_NO_IP;
	bool udp = flags & SBX_SECCOMP_ALLOW_UDP;

	switch (d->when) {
	case ALWAYS:
		return true;
	case TCP:
		return tcp;
	case TCP_OR_NO_IP:
		return tcp || no_ip;
	case NO_UDP:
		return no_ip && !udp;
	case UDP_ONLY:
		return no_ip && udp;
	case NO_LISTEN:
		return flags & SBX_SECCOMP_NO_LISTEN;
	case NO_UNIX:
		return flags & SBX_SECCOMP_NO_UNIX;
	case ANY_NET:
		return flags & (SBX_SECCOMP_TCP | SBX_SECCOMP_NO_IP | SBX_SECCOMP_NO_LISTEN |
				SBX_SECCOMP_NO_UNIX);
	}
	return true;
}

/* Test k of a row finds its value already in A: the test before it loaded
 * the same argument with the same mask (a passed test falls through, so A
 * still holds it). */
static bool test_reuses_a(const struct denial *d, size_t k)
{
	const struct arg_test *t = d->tests;

	if (k == 0 || k >= SBX_ARRAY_SIZE(d->tests))
		return false;
	return t[k - 1].arg == t[k].arg && t[k - 1].mask == t[k].mask;
}

static size_t denial_len(const struct denial *d)
{
	size_t i, len = 1; /* the return */

	for (i = 0; i < d->n_tests; i++)
		len += 1 + (test_reuses_a(d, i) ? 0 : d->tests[i].mask == ~0u ? 1 : 2);
	return len;
}

/* [start, next interval's start) goes to call's chain, or (CALL_END) is
 * allowed. */
struct interval {
	uint32_t start;
	enum filter_call call;
};

static void insert_sorted(struct abi_call *sorted, size_t *n, struct abi_call call)
{
	size_t j;

	/* Insertion sort; equal numbers stay in table order. */
	for (j = *n; j > 0 && sorted[j - 1].nr > call.nr; j--)
		sorted[j] = sorted[j - 1];
	sorted[j] = call;
	++*n;
}

/* The intervals of one ABI's number space, in order, adjacent ones with the
 * same destination merged. A number listed twice keeps its first call, as
 * a list of jumps tried in order would. The tree tests the number as the
 * kernel reports it: an ABI whose mask clears one bit (x32's) lists every
 * number also with that bit set, since (nr & mask) == n holds exactly for
 * nr == n and nr == (n | bit). That saves masking the number, one
 * instruction on the way of every call, against a few more tree nodes
 * that only numbers beyond the kernel's table ever reach. */
static size_t abi_intervals(const struct filter_abi *abi, const bool active[CALL_COUNT],
			    struct interval iv[MAX_INTERVALS])
{
	struct abi_call sorted[MAX_LISTED];
	uint32_t bit = ~abi->nr_mask;
	size_t n = 0, m = 0, i, j;

	for (i = 0; abi->calls[i].call != CALL_END; i++) {
		if (!active[abi->calls[i].call])
			continue;
		insert_sorted(sorted, &n, abi->calls[i]);
		if (bit)
			insert_sorted(
			    sorted, &n,
			    (struct abi_call){abi->calls[i].call, abi->calls[i].nr | bit});
	}
	iv[m++] = (struct interval){0, CALL_END};
	for (i = 0; i < n; i++) {
		if (i > 0 && sorted[i].nr == sorted[i - 1].nr)
			continue;
		if (iv[m - 1].start == sorted[i].nr)
			iv[m - 1].call = sorted[i].call; /* an empty gap: replaced */
		else if (iv[m - 1].call != sorted[i].call)
			iv[m++] = (struct interval){sorted[i].nr, sorted[i].call};
		if (sorted[i].nr != UINT32_MAX && sorted[i].call != CALL_END)
			iv[m++] = (struct interval){sorted[i].nr + 1, CALL_END};
	}
	/* Merge neighbours with one destination (a gap emptied above). */
	for (i = 1, j = 1; i < m; i++) {
		if (iv[i].call != iv[j - 1].call)
			iv[j++] = iv[i];
	}
	return j;
}

/* How many of the numbers the kernel emulates fall in interval k, plus
 * one, so that an interval it never tries still sits at a bounded depth. */
static uint64_t interval_weight(const struct interval *iv, size_t m, size_t k)
{
	uint64_t lo = iv[k].start, hi = k + 1 < m ? iv[k + 1].start : 1ull << 32;

	lo = lo < EMULATED_NRS ? lo : EMULATED_NRS;
	hi = hi < EMULATED_NRS ? hi : EMULATED_NRS;
	return hi - lo + 1;
}

/* Emits the search over intervals [a, b): one "nr >= start" node per
 * split, its false side first; a side that is a single interval is a jump
 * straight to its chain (to[call]) or to ALLOW (to[CALL_END]). Exactly
 * b - a - 1 instructions. */
static void emit_tree(struct emitter *e, const struct interval *iv, size_t m, size_t a, size_t b,
		      const size_t to[CALL_COUNT])
{
	uint64_t total = 0, left = 0, best_diff = UINT64_MAX;
	size_t k, split = a + 1, node, left_end;

	if (b - a < 2)
		return;
	for (k = a; k < b; k++)
		total += interval_weight(iv, m, k);
	/* The split that halves the weight best. */
	for (k = a + 1; k < b; k++) {
		uint64_t diff;

		left += interval_weight(iv, m, k - 1);
		diff = 2 * left > total ? 2 * left - total : total - 2 * left;
		if (diff < best_diff) {
			best_diff = diff;
			split = k;
		}
	}
	node = e->pc;
	left_end = node + 1 + (split - a - 1); /* where the true side starts */
	jump(e, BPF_JGE, iv[split].start, b - split == 1 ? to[iv[split].call] : left_end,
	     split - a == 1 ? to[iv[a].call] : node + 1);
	emit_tree(e, iv, m, a, split, to);
	emit_tree(e, iv, m, split, b, to);
}

/* Instructions of one ABI's block: the arch loaded (first block only: a
 * failed arch test leaves it in A for the next) and tested, the number
 * loaded, then the tree, or a lone ALLOW when no number is listed. */
static size_t abi_block_len(bool first, size_t n_intervals)
{
	return first + 2 + (n_intervals > 1 ? n_intervals - 1 : 1);
}

/* Row i's tests and its errno; a failed test goes on to the call's next
 * active row (start[]), after the last to ALLOW. */
static void emit_denial(struct emitter *e, size_t i, unsigned flags, const size_t *start,
			size_t allow)
{
	const struct denial *d = &denials[i];
	size_t fail = allow, k;

	for (k = i + 1; k < SBX_ARRAY_SIZE(denials); k++) {
		if (denials[k].call == d->call && denial_active(&denials[k], flags)) {
			fail = start[k];
			break;
		}
	}
	for (k = 0; k < d->n_tests; k++) {
		const struct arg_test *t = &d->tests[k];

		if (!test_reuses_a(d, k)) {
			stmt(e, BPF_LD | BPF_W | BPF_ABS, (uint32_t)ARG_LOW_WORD(t->arg));
			if (t->mask != ~0u)
				stmt(e, BPF_ALU | BPF_AND | BPF_K, t->mask);
		}
		if (t->ne)
			jeq(e, t->value, fail, e->pc + 1);
		else
			jeq(e, t->value, e->pc + 1, fail);
	}
	if ((flags & SBX_SECCOMP_TRACE_NET) && d->when != ALWAYS)
		stmt(e, BPF_RET | BPF_K,
		     SECCOMP_RET_TRACE | SBX_SECCOMP_TRACE_REFUSAL | ((uint32_t)d->err & 0xffu));
	else
		stmt(e, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((uint32_t)d->err & SECCOMP_RET_DATA));
}

/* Layout:
 *   the arch, loaded once
 *   per ABI: arch matches? load the number; a search tree whose leaves are
 *            the chains of the calls with an active denial, and ALLOW
 *   KILL     (no ABI matched)
 *   chains:  per call, its active denials in table order; a failed test
 *            goes on to the call's next denial, after the last to ALLOW
 *   ALLOW */
static size_t build_filter(struct sock_filter *prog, unsigned flags, bool *too_far)
{
	struct emitter e = {.prog = prog};
	struct interval iv[SBX_ARRAY_SIZE(filter_abis)][MAX_INTERVALS];
	size_t n_iv[SBX_ARRAY_SIZE(filter_abis)];
	size_t to[CALL_COUNT] = {0}, start[SBX_ARRAY_SIZE(denials)];
	bool active[CALL_COUNT] = {false};
	size_t i, pc = 0, allow;
	int c;

	for (i = 0; i < SBX_ARRAY_SIZE(denials); i++)
		active[denials[i].call] |= denial_active(&denials[i], flags);
	/* Pass 1: where each ABI block, denial and the ALLOW will be. */
	for (i = 0; i < SBX_ARRAY_SIZE(filter_abis); i++) {
		n_iv[i] = abi_intervals(&filter_abis[i], active, iv[i]);
		pc += abi_block_len(i == 0, n_iv[i]);
	}
	pc += 1; /* KILL */
	for (c = CALL_END + 1; c < CALL_COUNT; c++) {
		for (i = 0; i < SBX_ARRAY_SIZE(denials); i++) {
			if ((int)denials[i].call != c || !denial_active(&denials[i], flags))
				continue;
			if (!to[c])
				to[c] = pc;
			start[i] = pc;
			pc += denial_len(&denials[i]);
		}
	}
	allow = pc;
	to[CALL_END] = allow;

	/* Pass 2: emit, in the shape pass 1 counted. */
	for (i = 0; i < SBX_ARRAY_SIZE(filter_abis); i++) {
		const struct filter_abi *abi = &filter_abis[i];
		size_t next = e.pc + abi_block_len(i == 0, n_iv[i]);

		if (i == 0)
			stmt(&e, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
		jeq(&e, abi->arch, e.pc + 1, next);
		stmt(&e, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		if (n_iv[i] > 1)
			emit_tree(&e, iv[i], n_iv[i], 0, n_iv[i], to);
		else
			stmt(&e, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		if (e.pc != next)
			e.too_far = true; /* the shape pass 1 counted was not kept */
	}
	stmt(&e, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	for (c = CALL_END + 1; c < CALL_COUNT; c++) {
		for (i = 0; i < SBX_ARRAY_SIZE(denials); i++) {
			if ((int)denials[i].call == c && denial_active(&denials[i], flags))
				emit_denial(&e, i, flags, start, allow);
		}
	}
	stmt(&e, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	*too_far = e.too_far || e.pc != allow + 1;
	return e.pc;
}

size_t sbx_seccomp_filter_build(unsigned flags, struct sock_filter *prog, size_t cap)
{
	struct sock_filter all[FILTER_MAX];
	bool bad;
	size_t len = build_filter(all, flags, &bad);

	if (bad || len > cap)
		return 0;
	memcpy(prog, all, len * sizeof(*prog));
	return len;
}

int sbx_seccomp_filter_install(unsigned flags, bool all_threads, struct sbx_error *err)
{
	struct sock_filter prog[FILTER_MAX];
	struct sock_fprog fprog = {.filter = prog};
	long ret;
	bool bad;

	fprog.len = (unsigned short)build_filter(prog, flags, &bad);
	if (bad)
		return sbx_error_set(err, "internal error: the seccomp filter does not fit classic "
					  "BPF's jumps; nothing was run (report this bug)");
	if (all_threads) {
		/* A positive answer is the id of a thread that could not take
		 * the filter (it has one of its own): none may stay without. */
		ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
			      &fprog);
		if (ret > 0)
			return sbx_error_set(err,
					     "cannot install the seccomp filter on every thread: "
					     "thread %ld has a filter of its own; nothing was run",
					     ret);
	} else {
		ret = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0);
	}
	if (ret < 0)
		return sbx_error_set(err,
				     "cannot install the seccomp filter that goes with the "
				     "Landlock layer (terminal injection%s): %s; the kernel needs "
				     "CONFIG_SECCOMP_FILTER, and a container must allow seccomp()",
				     flags & ~SBX_SECCOMP_TRACE_NET
					 ? "; the network calls Landlock does not check"
					 : "",
				     strerror(errno));
	return 0;
}
