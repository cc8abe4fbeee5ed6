/* Unit tests for seccomp_filter.c, one per row of its denial table. Each
 * check runs in a forked child (a filter cannot be removed) and calls the
 * raw syscall with arguments the kernel itself rejects with a known errno
 * (a bad fd, a NULL pointer), so "the filter answered" (its errno) and "the
 * kernel answered" (EBADF, EFAULT, ENOTTY) are told apart without opening
 * a single connection. The same calls are made without the filter, with
 * the filter but no network handling, and with both. The end-to-end proofs
 * are tests/security/t_tiocsti.sh and t_escape_net.sh. */
#include "unit_helpers.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seccomp_filter.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

enum mode { NO_FILTER, FILTER_TTY_ONLY, FILTER_WITH_NET };

static int err_of(long ret)
{
	return ret < 0 ? errno : 0;
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

/* The checks, in a child; returns the first failing check's number, 0
 * when all held. */
static int run_checks(enum mode mode)
{
	bool net = mode == FILTER_WITH_NET, tty = mode != NO_FILTER;
	struct msghdr msg = {0};
	int one = 1, arg = 0;
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return 1;
	if (mode != NO_FILTER) {
		struct sbx_error err = {{0}};

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    sbx_seccomp_filter_install(net, &err) < 0)
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
	if (socket_errno(IPPROTO_MPTCP) != (net ? EPROTONOSUPPORT : 0))
		return 20;
	if (socket_errno(IPPROTO_MPTCP | (1UL << 32)) != (net ? EPROTONOSUPPORT : 0))
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
	if (net && err_of(syscall(SYS_io_uring_setup, 1, NULL)) != EPERM)
		return 50;
	if (!net && err_of(syscall(SYS_io_uring_setup, 1, NULL)) == 0)
		return 51;

#if defined(__x86_64__)
	/* The i386 entry: socketcall(SYS_SOCKET, NULL) is EFAULT from the
	 * kernel; direct socket(AF_INET, SOCK_STREAM, MPTCP) is number 359.
	 * A kernel without ia32 emulation answers ENOSYS to both: skipped. */
	if (int80(102, 1, 0, 0) != -ENOSYS) {
		long s;

		if (int80(102, 1, 0, 0) != (net ? -EPERM : -EFAULT))
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

static int child_status(enum mode mode)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(run_checks(mode));
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_without_the_filter_the_kernel_answers(void **state)
{
	(void)state;
	assert_int_equal(child_status(NO_FILTER), 0);
}

static void test_without_net_handling_only_the_tty_ioctls_are_denied(void **state)
{
	(void)state;
	assert_int_equal(child_status(FILTER_TTY_ONLY), 0);
}

static void test_with_net_handling_mptcp_fastopen_io_uring_are_denied(void **state)
{
	(void)state;
	assert_int_equal(child_status(FILTER_WITH_NET), 0);
}

static void test_filter_can_be_installed_twice(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	/* A nested layer adds its own copy; both must install. */
	pid = fork();
	if (pid == 0) {
		struct sbx_error err = {{0}};

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(10);
		_exit(sbx_seccomp_filter_install(true, &err) == 0 &&
			      sbx_seccomp_filter_install(false, &err) == 0
			  ? 0
			  : 1);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_without_the_filter_the_kernel_answers),
	    cmocka_unit_test(test_without_net_handling_only_the_tty_ioctls_are_denied),
	    cmocka_unit_test(test_with_net_handling_mptcp_fastopen_io_uring_are_denied),
	    cmocka_unit_test(test_filter_can_be_installed_twice),
	};

	return cmocka_run_group_tests_name("seccomp_filter", tests, NULL, NULL);
}
