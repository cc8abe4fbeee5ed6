/* Unit tests for seccomp_tty.c: in a forked child (the filter cannot be
 * removed), after the filter, TIOCSTI and TIOCLINUX on a file that is not a
 * terminal fail with EPERM (the filter) instead of ENOTTY (the kernel), with
 * or without high bits in the request; other ioctls still reach the kernel.
 * The pty-level proof that nothing is typed is tests/security/t_tiocsti.sh. */
#include "unit_helpers.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "seccomp_tty.h"

/* errno of ioctl(fd, request) through the raw syscall (so the 64-bit
 * request reaches the kernel unchanged), 0 on success. */
static int ioctl_errno(int fd, unsigned long request)
{
	int arg = 0;

	return syscall(SYS_ioctl, fd, request, &arg) < 0 ? errno : 0;
}

/* Runs the checks in a child; returns its exit status (0 = all held). */
static int child_checks(bool install)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct sbx_error err = {{0}};
		int fd = open("/dev/null", O_RDWR);
		int want = install ? EPERM : ENOTTY;

		if (fd < 0)
			_exit(10);
		if (install && (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
				sbx_tty_filter_install(&err) < 0))
			_exit(11);
		if (ioctl_errno(fd, TIOCSTI) != want)
			_exit(12);
		if (ioctl_errno(fd, TIOCSTI | (1UL << 32)) != want)
			_exit(13);
		if (ioctl_errno(fd, TIOCLINUX) != want)
			_exit(14);
		/* Not on the list: the kernel answers as before. */
		if (ioctl_errno(fd, TIOCGWINSZ) != ENOTTY)
			_exit(15);
		/* The request's low 32 bits decide: a different command with
		 * TIOCSTI's value in the high half is not denied. */
		if (ioctl_errno(fd, TIOCGWINSZ | ((unsigned long)TIOCSTI << 32)) != ENOTTY)
			_exit(16);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_without_the_filter_the_kernel_says_enotty(void **state)
{
	(void)state;
	assert_int_equal(child_checks(false), 0);
}

static void test_filter_denies_tiocsti_and_tioclinux_only(void **state)
{
	(void)state;
	assert_int_equal(child_checks(true), 0);
}

static void test_filter_can_be_installed_twice(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	/* As root the kernel accepts a filter without no_new_privs; the
	 * engine always sets it first (sbx_plan_apply), so only check that
	 * installing twice (a nested layer) works. */
	pid = fork();
	if (pid == 0) {
		struct sbx_error err = {{0}};

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(10);
		_exit(sbx_tty_filter_install(&err) == 0 && sbx_tty_filter_install(&err) == 0 ? 0
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
	    cmocka_unit_test(test_without_the_filter_the_kernel_says_enotty),
	    cmocka_unit_test(test_filter_denies_tiocsti_and_tioclinux_only),
	    cmocka_unit_test(test_filter_can_be_installed_twice),
	};

	return cmocka_run_group_tests_name("seccomp_tty", tests, NULL, NULL);
}
