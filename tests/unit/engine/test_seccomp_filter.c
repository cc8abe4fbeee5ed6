/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for seccomp_filter.c, one per row of its denial table. Each
 * check runs in a forked child (a filter cannot be removed) and calls the
 * raw syscall with arguments the kernel itself rejects with a known errno
 * (a bad fd, a NULL pointer), so "the filter answered" (its errno) and "the
 * kernel answered" (EBADF, EFAULT, ENOTTY) are told apart without opening
 * a single connection. The same calls are made without the filter, with
 * the filter but no network handling, and with both. On x86-64, the filter
 * is also run through an interpreter for every number of every ABI. The
 * end-to-end proofs are tests/security/t_tiocsti.sh and t_escape_net.sh. */
#include "unit_helpers.h"

#include <linux/netlink.h>
#include "../../helpers/ia32_probe.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/seccomp_filter.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

#define NET_FLAGS SBX_SECCOMP_TCP
/* A policy with no net rule on ABI >= 4, with restrict-unix. */
#define NO_NET_FLAGS                                                                               \
	(SBX_SECCOMP_TCP | SBX_SECCOMP_NO_IP | SBX_SECCOMP_NO_LISTEN | SBX_SECCOMP_NO_UNIX)
/* No net rule on ABI < 4 (TCP not handled), with allow-udp. */
#define NO_IP_UDP_FLAGS (SBX_SECCOMP_NO_IP | SBX_SECCOMP_ALLOW_UDP)

static int err_of(long ret)
{
	return ret < 0 ? errno : 0;
}

static bool no_ip_of(bool filter, unsigned flags)
{
	return filter && (flags & SBX_SECCOMP_NO_IP);
}

/* errno of socket(AF_INET, SOCK_STREAM, proto), 0 on success. */
static int socket_errno(unsigned long proto)
{
	long fd = syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, proto);

	if (fd >= 0)
		close((int)fd);
	return err_of(fd);
}

#if defined(__x86_64__)
/* A system call through the i386 entry (int $0x80), as a 64-bit process
 * may make it; returns the raw result (-errno on failure). */
static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}
#endif

/* errno of socket(domain, type, proto), 0 on success. */
static int socket3_errno(unsigned long domain, unsigned long type, unsigned long proto)
{
	long fd = syscall(SYS_socket, domain, type, proto);

	if (fd >= 0)
		close((int)fd);
	return err_of(fd);
}

/* The rows that keep the network to what Landlock checks: each socket a
 * kernel makes without the filter, refused or not as the flags say. */
static int run_socket_checks(bool filter, unsigned flags)
{
	bool no_ip = filter && (flags & SBX_SECCOMP_NO_IP);
	bool udp = !no_ip || (flags & SBX_SECCOMP_ALLOW_UDP);
	bool unix_ok = !filter || !(flags & SBX_SECCOMP_NO_UNIX);

	if (socket3_errno(AF_INET, SOCK_DGRAM, 0) != (udp ? 0 : EACCES))
		return 70;
	if (socket3_errno(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP) !=
	    (udp ? 0 : EACCES))
		return 71;
	if (socket3_errno(AF_INET | (1UL << 32), SOCK_DGRAM, 0) != (udp ? 0 : EACCES))
		return 72;
	if (socket3_errno(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0) != 0)
		return 73;
	if (socket3_errno(AF_UNIX, SOCK_STREAM, 0) != (unix_ok ? 0 : EACCES))
		return 74;
	if (socket3_errno(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0) != (unix_ok ? 0 : EACCES))
		return 75;
	if (socket3_errno(AF_NETLINK, SOCK_RAW, 0) != 0)
		return 76;
	/* listen(-1): EBADF from the kernel. */
	if (err_of(syscall(SYS_listen, -1, 1)) !=
	    (filter && (flags & SBX_SECCOMP_NO_LISTEN) ? EACCES : EBADF))
		return 77;
	{
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			return 78;
		close(sv[0]);
		close(sv[1]);
	}
	return 0;
}

/* The checks, in a child; returns the first failing check's number, 0
 * when all held. */
static int run_checks(bool filter, unsigned flags)
{
	bool net = filter && (flags & SBX_SECCOMP_TCP), tty = filter;
	bool any_net = filter && flags != 0;
	struct msghdr msg = {0};
	int one = 1, arg = 0, failed;
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return 1;
	if (filter) {
		struct sbx_error err = {{0}};

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    sbx_seccomp_filter_install(flags, false, &err) < 0)
			return 2;
	}
	/* ioctl: TIOCSTI and TIOCLINUX, whatever the high half holds. */
	if (err_of(syscall(SYS_ioctl, fd, TIOCSTI, &arg)) != (tty ? EPERM : ENOTTY))
		return 10;
	if (err_of(syscall(SYS_ioctl, fd, TIOCSTI | (1UL << 32), &arg)) != (tty ? EPERM : ENOTTY))
		return 11;
	if (err_of(syscall(SYS_ioctl, fd, TIOCLINUX, &arg)) != (tty ? EPERM : ENOTTY))
		return 12;
	if (err_of(syscall(SYS_ioctl, fd, TIOCGWINSZ, &arg)) != ENOTTY)
		return 13;
	if (err_of(syscall(SYS_ioctl, fd, TIOCGWINSZ | ((unsigned long)TIOCSTI << 32), &arg)) !=
	    ENOTTY)
		return 14;

	/* socket: the protocol, as the int the kernel reads. */
	if (socket_errno(IPPROTO_MPTCP) != (net || no_ip_of(filter, flags) ? EPROTONOSUPPORT : 0))
		return 20;
	if (socket_errno(IPPROTO_MPTCP | (1UL << 32)) !=
	    (net || no_ip_of(filter, flags) ? EPROTONOSUPPORT : 0))
		return 21;
	if (socket_errno(IPPROTO_TCP) != 0 || socket_errno(0) != 0)
		return 22;

	/* MSG_FASTOPEN in the flags of sendto, sendmsg, sendmmsg; the bad fd
	 * makes the kernel's own answer EBADF. */
	if (err_of(syscall(SYS_sendto, -1, "x", 1, MSG_FASTOPEN, NULL, 0)) !=
	    (net ? EOPNOTSUPP : EBADF))
		return 30;
	if (err_of(syscall(SYS_sendto, -1, "x", 1, MSG_FASTOPEN | MSG_NOSIGNAL, NULL, 0)) !=
	    (net ? EOPNOTSUPP : EBADF))
		return 31;
	if (err_of(syscall(SYS_sendto, -1, "x", 1, MSG_NOSIGNAL, NULL, 0)) != EBADF)
		return 32;
	if (err_of(syscall(SYS_sendmsg, -1, &msg, MSG_FASTOPEN)) != (net ? EOPNOTSUPP : EBADF))
		return 33;
	if (err_of(syscall(SYS_sendmsg, -1, &msg, 0)) != EBADF)
		return 34;
	if (err_of(syscall(SYS_sendmmsg, -1, NULL, 0, MSG_FASTOPEN)) != (net ? EOPNOTSUPP : EBADF))
		return 35;
	if (err_of(syscall(SYS_sendmmsg, -1, NULL, 0, 0)) != EBADF)
		return 36;

	/* setsockopt: level and option both have to match. */
	if (err_of(syscall(SYS_setsockopt, -1, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one,
			   sizeof(one))) != (net ? EOPNOTSUPP : EBADF))
		return 40;
	if (err_of(syscall(SYS_setsockopt, -1, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one))) !=
	    EBADF)
		return 41;
	if (err_of(syscall(SYS_setsockopt, -1, SOL_SOCKET, TCP_FASTOPEN_CONNECT, &one,
			   sizeof(one))) != EBADF)
		return 42;
	/* Server-side Fast Open needs bind + listen, which Landlock checks. */
	if (err_of(syscall(SYS_setsockopt, -1, IPPROTO_TCP, TCP_FASTOPEN, &one, sizeof(one))) !=
	    EBADF)
		return 43;

	/* io_uring_setup with a NULL params pointer: EFAULT from the kernel
	 * (or EPERM when kernel.io_uring_disabled forbids it). */
	if (any_net && err_of(syscall(SYS_io_uring_setup, 1, NULL)) != EPERM)
		return 50;
	if (!any_net && err_of(syscall(SYS_io_uring_setup, 1, NULL)) == 0)
		return 51;
	failed = run_socket_checks(filter, flags);
	if (failed)
		return failed;

#if defined(__x86_64__)
	/* The i386 entry: socketcall(SYS_SOCKET, NULL) is EFAULT from the
	 * kernel; direct socket(AF_INET, SOCK_STREAM, MPTCP) is number 359.
	 * A kernel without ia32 emulation (ENOSYS, or SIGSEGV when it is
	 * disabled at boot): skipped. */
	if (ia32_entry_works()) {
		long s;

		if (int80(102, 1, 0, 0) != (any_net ? -EPERM : -EFAULT))
			return 60;
		s = int80(359, AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
		if (net ? s != -EPROTONOSUPPORT : s < 0)
			return 61;
		if (s >= 0)
			close((int)s);
		if (int80(54, fd, TIOCSTI, 0) != (tty ? -EPERM : -ENOTTY))
			return 62;
	}
#endif
	return 0;
}

static int child_status(bool filter, unsigned flags)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(run_checks(filter, flags));
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* The checks under each filter, one row each: run_checks knows what each
 * mode must answer. */
struct mode_row {
	const char *name;
	bool filter;
	unsigned flags;
};

static const struct mode_row mode_rows[] = {
    {"test_without_the_filter_the_kernel_answers", false, 0},
    {"test_without_net_handling_only_the_tty_ioctls_are_denied", true, 0},
    {"test_with_net_handling_mptcp_fastopen_io_uring_are_denied", true, NET_FLAGS},
    {"test_with_no_tcp_port_udp_listen_and_unix_sockets_are_denied", true, NO_NET_FLAGS},
    {"test_below_abi_4_no_net_rule_still_denies_all_but_tcp_and_udp_with_allow_udp", true,
     NO_IP_UDP_FLAGS},
};

static void test_mode_row(void **state)
{
	const struct mode_row *row = *state;
	int failed = child_status(row->filter, row->flags);

	if (failed)
		fail_msg("check %d failed", failed);
}

/* The forked check's verdict: it exits 0 when every step held. */
static void assert_child_exited_ok(pid_t pid)
{
	int status;

	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_filter_can_be_installed_twice(void **state)
{
	pid_t pid;

	(void)state;
	/* A nested layer adds its own copy; both must install. */
	pid = fork();
	if (pid == 0) {
		struct sbx_error err = {{0}};

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(10);
		_exit(sbx_seccomp_filter_install(NO_NET_FLAGS, false, &err) == 0 &&
			      sbx_seccomp_filter_install(0, false, &err) == 0
			  ? 0
			  : 1);
	}
	assert_child_exited_ok(pid);
}

/* Under --report the refusals go to the tracer (SECCOMP_RET_TRACE). With
 * no tracer the kernel fails such a call with ENOSYS: still refused. The
 * terminal ioctls keep their errno. */
static void test_refusals_for_the_tracer_stay_refused_without_one(void **state)
{
	pid_t pid;

	(void)state;
	pid = fork();
	if (pid == 0) {
		struct sbx_error err = {{0}};
		int arg = 0, fd = open("/dev/null", O_RDWR);

		if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    sbx_seccomp_filter_install(NO_NET_FLAGS | SBX_SECCOMP_TRACE_NET, false, &err) <
			0)
			_exit(10);
		if (err_of(syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0)) != ENOSYS)
			_exit(11);
		if (err_of(syscall(SYS_listen, 0, 1)) != ENOSYS)
			_exit(12);
		if (err_of(syscall(SYS_ioctl, fd, TIOCSTI, &arg)) != EPERM)
			_exit(13);
		if (err_of(syscall(SYS_getpid)) != 0)
			_exit(14);
		_exit(0);
	}
	assert_child_exited_ok(pid);
}

/* A thread started before the filter: with all_threads the filter reaches
 * it too (TIOCSTI refused with EPERM), without it the thread keeps the
 * kernel's own answer (ENOTTY on /dev/null). */
static void *tiocsti_after_go(void *arg)
{
	int *pipefd = arg, dummy = 0, fd;
	char go;

	if (read(pipefd[0], &go, 1) != 1)
		return (void *)(long)-1;
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return (void *)(long)-1;
	go = (char)err_of(syscall(SYS_ioctl, fd, TIOCSTI, &dummy));
	close(fd);
	return (void *)(long)go;
}

static int sibling_errno_after_install(bool all_threads)
{
	struct sbx_error err = {{0}};
	pthread_t thread;
	int pipefd[2];
	void *ret;

	if (pipe(pipefd) < 0 || pthread_create(&thread, NULL, tiocsti_after_go, pipefd) != 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    sbx_seccomp_filter_install(0, all_threads, &err) < 0)
		return -2;
	if (write(pipefd[1], "g", 1) != 1 || pthread_join(thread, &ret) != 0)
		return -3;
	return (int)(long)ret;
}

static void test_all_threads_puts_the_filter_on_a_running_thread(void **state)
{
	static const struct {
		bool all_threads;
		int want;
	} rows[] = {{true, EPERM}, {false, ENOTTY}};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		pid_t pid = fork();
		int status;

		assert_true(pid >= 0);
		if (pid == 0)
			_exit(sibling_errno_after_install(rows[i].all_threads) & 0xff);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), rows[i].want);
	}
}

#if defined(__x86_64__)
/* ---- Every number, every ABI, through an interpreter ----
 * The generator builds a search tree over each ABI's numbers; here the
 * program it builds is run, instruction by instruction, for every number
 * below 1100 (and the x32 ones), and each answer compared with what the
 * tables say, restated below independently of seccomp_filter.c. */

#define X32_BIT 0x40000000u

struct listed {
	long nr;
	const char *call;
};

static const struct listed x86_64_calls[] = {
    {16, "ioctl"},	{514, "ioctl"},	     {41, "socket"},	{44, "sendto"},
    {46, "sendmsg"},	{518, "sendmsg"},    {307, "sendmmsg"}, {538, "sendmmsg"},
    {54, "setsockopt"}, {541, "setsockopt"}, {425, "io_uring"}, {50, "listen"},
    {53, "socketpair"}, {-1, NULL}};
static const struct listed i386_calls[] = {
    {54, "ioctl"},     {359, "socket"},	    {369, "sendto"},   {370, "sendmsg"},
    {345, "sendmmsg"}, {366, "setsockopt"}, {425, "io_uring"}, {102, "socketcall"},
    {363, "listen"},   {360, "socketpair"}, {-1, NULL}};

static const char *call_of(const struct listed *t, uint32_t nr)
{
	for (; t->call; t++)
		if ((uint32_t)t->nr == nr)
			return t->call;
	return NULL;
}

/* socket(a0, a1, a2) as docs/audit-and-seccomp.md tables it. */
static uint32_t expected_socket(uint32_t domain, uint32_t type, uint32_t proto, unsigned flags)
{
	bool either = flags & (SBX_SECCOMP_TCP | SBX_SECCOMP_NO_IP);
	bool no_ip = flags & SBX_SECCOMP_NO_IP, udp = flags & SBX_SECCOMP_ALLOW_UDP;

	type &= 0xf;
	if (either && domain != AF_UNIX && domain != AF_NETLINK && domain != AF_INET &&
	    domain != AF_INET6)
		return SECCOMP_RET_ERRNO | EAFNOSUPPORT;
	if ((flags & SBX_SECCOMP_NO_UNIX) && domain == AF_UNIX)
		return SECCOMP_RET_ERRNO | EACCES;
	if ((flags & ~(unsigned)SBX_SECCOMP_ALLOW_UDP) && domain == AF_NETLINK &&
	    proto == NETLINK_USERSOCK)
		return SECCOMP_RET_ERRNO | EPROTONOSUPPORT;
	if (domain != AF_INET && domain != AF_INET6)
		return SECCOMP_RET_ALLOW;
	if (either && type != SOCK_STREAM && type != SOCK_DGRAM)
		return SECCOMP_RET_ERRNO | EPERM;
	if (either && type == SOCK_STREAM && proto != 0 && proto != IPPROTO_TCP)
		return SECCOMP_RET_ERRNO | EPROTONOSUPPORT;
	if (no_ip && type == SOCK_DGRAM && (!udp || (proto != 0 && proto != IPPROTO_UDP)))
		return SECCOMP_RET_ERRNO | EACCES;
	return SECCOMP_RET_ALLOW;
}

/* What the filter must answer, from the tables in seccomp_filter.h's
 * comment and docs/audit-and-seccomp.md. */
static uint32_t expected(const struct seccomp_data *d, unsigned flags)
{
	const char *call;
	uint32_t a0 = (uint32_t)d->args[0], a1 = (uint32_t)d->args[1];
	uint32_t a2 = (uint32_t)d->args[2], a3 = (uint32_t)d->args[3];
	bool net = flags & SBX_SECCOMP_TCP;

	if (d->arch == AUDIT_ARCH_X86_64)
		call = call_of(x86_64_calls, d->nr & ~X32_BIT);
	else if (d->arch == AUDIT_ARCH_I386)
		call = call_of(i386_calls, (uint32_t)d->nr);
	else
		return SECCOMP_RET_KILL_PROCESS;
	if (!call)
		return SECCOMP_RET_ALLOW;
	if (!strcmp(call, "ioctl") && (a1 == (uint32_t)TIOCSTI || a1 == (uint32_t)TIOCLINUX))
		return SECCOMP_RET_ERRNO | EPERM;
	if (!strcmp(call, "socket"))
		return expected_socket(a0, a1, a2, flags);
	if (!strcmp(call, "socketpair"))
		return (flags & SBX_SECCOMP_NO_UNIX) && (a1 & 0xf) == SOCK_DGRAM
			   ? SECCOMP_RET_ERRNO | EACCES
			   : SECCOMP_RET_ALLOW;
	if (!strcmp(call, "listen"))
		return flags & SBX_SECCOMP_NO_LISTEN ? SECCOMP_RET_ERRNO | EACCES
						     : SECCOMP_RET_ALLOW;
	if ((!strcmp(call, "io_uring") || !strcmp(call, "socketcall")) &&
	    (flags & ~(unsigned)SBX_SECCOMP_ALLOW_UDP))
		return SECCOMP_RET_ERRNO | EPERM;
	if (!net)
		return SECCOMP_RET_ALLOW;
	if ((!strcmp(call, "sendto") || !strcmp(call, "sendmmsg")) && (a3 & MSG_FASTOPEN))
		return SECCOMP_RET_ERRNO | EOPNOTSUPP;
	if (!strcmp(call, "sendmsg") && (a2 & MSG_FASTOPEN))
		return SECCOMP_RET_ERRNO | EOPNOTSUPP;
	if (!strcmp(call, "setsockopt") && a1 == IPPROTO_TCP && a2 == TCP_FASTOPEN_CONNECT)
		return SECCOMP_RET_ERRNO | EOPNOTSUPP;
	return SECCOMP_RET_ALLOW;
}

/* Classic BPF, the instructions the generator may emit; fails the test on
 * any other, on a jump out of the program, or on running off its end.
 * *loaded_arg tells whether an argument was read (the kernel caches, as
 * always allowed, only numbers whose path reads none). */
static uint32_t bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d,
			size_t *steps, bool *loaded_arg)
{
	uint32_t a = 0;
	size_t pc = 0;

	*steps = 0;
	*loaded_arg = false;
	while (pc < len) {
		const struct sock_filter *f = &prog[pc++];

		++*steps;
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			assert_true(f->k % 4 == 0 && f->k + 4 <= sizeof(*d));
			memcpy(&a, (const char *)d + f->k, 4);
			*loaded_arg |= f->k >= offsetof(struct seccomp_data, args);
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= f->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= f->k ? f->jt : f->jf;
			break;
		case BPF_RET | BPF_K:
			return f->k;
		default:
			fail_msg("instruction %zu: unexpected code %#x", pc - 1, f->code);
		}
	}
	fail_msg("ran off the end of the filter");
	return 0;
}

static void test_every_number_of_every_abi_is_routed_as_the_tables_say(void **state)
{
	static const uint32_t arches[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64};
	/* Arguments that trip each denial, and none. */
	static const uint64_t args[][6] = {
	    {0, 0, 0, 0},
	    {0, TIOCSTI, 0, 0},
	    {0, TIOCLINUX | (1ull << 32), 0, 0},
	    {0, 0, IPPROTO_MPTCP, 0},
	    {0, 0, MSG_FASTOPEN | MSG_NOSIGNAL, MSG_FASTOPEN},
	    {0, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, 0},
	    {0, IPPROTO_TCP, TCP_NODELAY, MSG_NOSIGNAL},
	    /* socket(domain, type, protocol) */
	    {AF_INET, SOCK_DGRAM, 0, 0},
	    {AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP, 0},
	    {AF_INET | (1ull << 32), SOCK_DGRAM, 0, 0},
	    {AF_INET, SOCK_DGRAM, IPPROTO_ICMP, 0},
	    {AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE, 0},
	    {AF_INET, SOCK_RAW, IPPROTO_TCP, 0},
	    {AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6, 0},
	    {AF_INET, 10 /* SOCK_PACKET */, 0, 0},
	    {AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP, 0},
	    {AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP, 0},
	    {AF_INET6, SOCK_STREAM, 0, 0},
	    {AF_INET6, SOCK_STREAM, IPPROTO_MPTCP, 0},
	    {AF_INET, SOCK_STREAM, 256 /* IPPROTO_SMC */, 0},
	    {AF_INET, SOCK_STREAM, IPPROTO_TCP | (1ull << 32), 0},
	    {AF_UNIX, SOCK_STREAM, 0, 0},
	    {AF_UNIX | (1ull << 40), SOCK_DGRAM | SOCK_CLOEXEC, 0, 0},
	    {AF_NETLINK, SOCK_RAW, 0, 0},
	    {AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_USERSOCK, 0},
	    {AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK | (1ull << 32), 0},
	    {AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, 0},
	    {AF_PACKET, SOCK_RAW, 0, 0},
	    {43 /* AF_SMC */, SOCK_STREAM, 0, 0},
	    {40 /* AF_VSOCK */, SOCK_STREAM, 0, 0},
	};
	/* Listed numbers with other high bits set: only the x32 bit may be
	 * ignored (the tree tests the number unmasked, x32 twins listed). */
	static const uint32_t high[] = {
	    UINT32_MAX,	 0x7fffffffu, 0x80000010u, 0xc0000010u, 0x80000029u,
	    0xc0000036u, 0x80000202u, 0xc0000206u, 0x4000021du, 0x20000010u,
	    0x50000036u, 0x40008036u, 0x400001a9u,
	};
	_Static_assert(sizeof(args[0]) == sizeof(((struct seccomp_data *)0)->args),
		       "one value per argument of seccomp_data");
	struct sock_filter prog[256];
	size_t runs = 0;
	unsigned net;

	(void)state;
	/* Every combination of the flags, possible or not. */
	for (net = 0; net < 32; net++) {
		size_t len = sbx_seccomp_filter_build(net, prog, 256), a, k, max_steps = 0;
		uint64_t n;

		assert_true(len > 0);
		for (a = 0; a < sizeof(arches) / sizeof(arches[0]); a++) {
			for (n = 0; n < 2 * 1100 + sizeof(high) / sizeof(high[0]); n++) {
				uint32_t nr = n < 1100	 ? (uint32_t)n
					      : n < 2200 ? X32_BIT | (uint32_t)(n - 1100)
							 : high[n - 2200];

				for (k = 0; k < sizeof(args) / sizeof(args[0]); k++) {
					struct seccomp_data d = {.nr = (int)nr, .arch = arches[a]};
					size_t steps;
					bool loaded_arg;
					uint32_t got;

					memcpy(d.args, args[k], sizeof(d.args));
					got = bpf_run(prog, len, &d, &steps, &loaded_arg);
					if (got != expected(&d, net))
						fail_msg("flags %#x arch %#x nr %#x args #%zu: got "
							 "%#x, want %#x",
							 net, arches[a], nr, k, got,
							 expected(&d, net));
					/* Unlisted numbers never read an argument, so the
					 * kernel can cache them as always allowed; and they
					 * take a short way (the linear filter took 16). */
					if (got == SECCOMP_RET_ALLOW &&
					    !(arches[a] == AUDIT_ARCH_X86_64
						  ? call_of(x86_64_calls, nr & ~X32_BIT)
						  : call_of(i386_calls, nr))) {
						assert_false(loaded_arg);
						if (steps > max_steps)
							max_steps = steps;
					}
					runs++;
				}
			}
		}
		/* 13: an x32 number (listed twice, so one node deeper) */
		if (max_steps > 13)
			fail_msg("flags %#x: %zu steps for an unlisted number", net, max_steps);
	}
	assert_true(runs > 4000000);
}

/* The kernel runs a new filter once per number of its x86-64 and i386
 * tables (about 460 each) to cache the calls it always allows, and that
 * run is most of what attaching the filter costs at every cold start. An
 * ordinary number must take a short way: the arch, the number and about
 * two tree nodes, with no masking of the x32 bit. */
static void test_an_ordinary_number_takes_a_short_way(void **state)
{
	static const uint32_t arches[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386};
	static const double most[] = {6.8, 7.9}; /* the linear filter took 16 and 15 */
	struct sock_filter prog[256];
	unsigned net;
	size_t a;

	(void)state;
	for (net = 0; net < 32; net++) {
		size_t len = sbx_seccomp_filter_build(net, prog, 256);

		assert_true(len > 0);
		for (a = 0; a < sizeof(arches) / sizeof(arches[0]); a++) {
			size_t steps, total = 0, n = 0;
			uint32_t nr;
			bool loaded_arg;

			for (nr = 0; nr < 463; nr++) {
				struct seccomp_data d = {.nr = (int)nr, .arch = arches[a]};

				if (bpf_run(prog, len, &d, &steps, &loaded_arg) !=
					SECCOMP_RET_ALLOW ||
				    loaded_arg)
					continue;
				total += steps;
				n++;
			}
			if ((double)total / (double)n > most[a])
				fail_msg("flags %#x arch %#x: %.2f steps on average, want at most "
					 "%.1f",
					 net, arches[a], (double)total / (double)n, most[a]);
		}
	}
}

/* With SBX_SECCOMP_TRACE_NET the filter decides exactly as without it;
 * only its answer changes: every refusal but the terminal ioctls' goes to
 * the tracer, with the errno in the data. */
static void test_trace_net_changes_only_how_a_refusal_is_returned(void **state)
{
	static const uint32_t arches[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386};
	static const uint64_t args[][6] = {
	    {0, TIOCSTI, 0, 0},		 {AF_INET, SOCK_DGRAM, 0, 0},
	    {AF_INET, SOCK_RAW, 0, 0},	 {AF_INET, SOCK_STREAM, IPPROTO_MPTCP, 0},
	    {AF_UNIX, SOCK_DGRAM, 0, 0}, {0, 0, MSG_FASTOPEN, MSG_FASTOPEN},
	};
	struct sock_filter plain[256], traced[256];
	unsigned net;
	size_t changed = 0;

	(void)state;
	for (net = 0; net < 32; net++) {
		size_t len = sbx_seccomp_filter_build(net, plain, 256);
		size_t tlen = sbx_seccomp_filter_build(net | SBX_SECCOMP_TRACE_NET, traced, 256);
		size_t a, k, steps;
		uint32_t nr;
		bool loaded;

		assert_true(len > 0 && tlen == len);
		for (a = 0; a < 2; a++) {
			for (nr = 0; nr < 1100; nr++) {
				for (k = 0; k < sizeof(args) / sizeof(args[0]); k++) {
					struct seccomp_data d = {.nr = (int)nr, .arch = arches[a]};
					uint32_t want, got;
					bool ioctl = arches[a] == AUDIT_ARCH_X86_64
							 ? nr == 16 || nr == 514 /* x32's */
							 : nr == 54;

					memcpy(d.args, args[k], sizeof(d.args));
					want = bpf_run(plain, len, &d, &steps, &loaded);
					got = bpf_run(traced, tlen, &d, &steps, &loaded);
					if ((want & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO &&
					    !ioctl) {
						want = SECCOMP_RET_TRACE |
						       SBX_SECCOMP_TRACE_REFUSAL | (want & 0xffu);
						changed++;
					}
					if (got != want)
						fail_msg(
						    "flags %#x arch %#x nr %u args #%zu: got %#x, "
						    "want %#x",
						    net, arches[a], nr, k, got, want);
				}
			}
		}
	}
	assert_true(changed > 100);
}
#endif

int main(void)
{
	static const struct CMUnitTest singles[] = {
		cmocka_unit_test(test_filter_can_be_installed_twice),
		cmocka_unit_test(test_refusals_for_the_tracer_stay_refused_without_one),
		cmocka_unit_test(test_all_threads_puts_the_filter_on_a_running_thread),
#if defined(__x86_64__)
		cmocka_unit_test(test_every_number_of_every_abi_is_routed_as_the_tables_say),
		cmocka_unit_test(test_an_ordinary_number_takes_a_short_way),
		cmocka_unit_test(test_trace_net_changes_only_how_a_refusal_is_returned),
#endif
	};
	struct ut_suite suite = {0};

	UT_SUITE_ADD_ROWS(&suite, test_mode_row, NULL, NULL, mode_rows);
	UT_SUITE_ADD_TESTS(&suite, singles);
	return ut_suite_run(&suite, "seccomp_filter");
}
