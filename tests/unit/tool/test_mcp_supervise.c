/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for mcp_supervise.c's call layer, on the real kernel: each
 * case forks, adds the layer in the child and reports what the child can
 * still do to its parent (signal, ptrace) and to files (docs/mcp.md
 * "Security model"). The supervisor itself is exercised end to end by
 * tests/security/t_escape_mcp.sh. */
#include "unit_helpers.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "engine/landlock_abi.h"
#include "mcp/mcp_supervise.h"

/* What the child found, one bit each. */
enum {
	ISOLATE_FAILED = 1,
	SCOPED_REPORTED = 2,
	SIGNAL_PARENT_OK = 4,
	PTRACE_PARENT_OK = 8,
	FILE_RW_OK = 16,
};

static int probe_after_isolate(int abi, const char *file)
{
	pid_t pid = fork();
	int status, fd, got = 0, r;

	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		r = sbx_mcp_isolate(abi);
		if (r < 0)
			_exit(ISOLATE_FAILED);
		if (r == 1)
			got |= SCOPED_REPORTED;
		if (kill(getppid(), 0) == 0)
			got |= SIGNAL_PARENT_OK;
		if (ptrace(PTRACE_SEIZE, getppid(), NULL, NULL) == 0)
			got |= PTRACE_PARENT_OK;
		fd = open(file, O_RDWR | O_CLOEXEC);
		if (fd >= 0 && write(fd, "x", 1) == 1)
			got |= FILE_RW_OK;
		_exit(got);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int kernel_abi(void)
{
	long abi = sbx_ll_create_ruleset(NULL, 0, SBX_LL_CREATE_RULESET_VERSION);

	return abi > 0 ? (int)abi : 0;
}

static char file[64];

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(file, sizeof(file), "/tmp/sbx-test-supervise-XXXXXX");
	fd = mkstemp(file);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(file);
	return 0;
}

/* Without a layer: the baseline (ptrace of a parent may be refused anyway,
 * by Yama for a non-root user). */
static void test_no_landlock_adds_nothing(void **state)
{
	int base = probe_after_isolate(0, file);

	(void)state;
	assert_int_equal(base & ~PTRACE_PARENT_OK, SIGNAL_PARENT_OK | FILE_RW_OK);
}

static void test_abi6_scopes_signals_and_walls_off_ptrace(void **state)
{
	(void)state;
	if (kernel_abi() < 6)
		skip();
	/* Files stay as they were: the layer handles no access. */
	assert_int_equal(probe_after_isolate(6, file), SCOPED_REPORTED | FILE_RW_OK);
	if (kernel_abi() >= 7)
		assert_int_equal(probe_after_isolate(7, file), SCOPED_REPORTED | FILE_RW_OK);
	/* Not vacuous: unconfined, this process may signal its parent. */
	assert_true(probe_after_isolate(0, file) & SIGNAL_PARENT_OK);
}

static void test_below_abi6_walls_off_ptrace_only(void **state)
{
	int abi;

	(void)state;
	if (kernel_abi() < 1)
		skip();
	for (abi = 1; abi <= 5 && abi <= kernel_abi(); abi++)
		assert_int_equal(probe_after_isolate(abi, file), SIGNAL_PARENT_OK | FILE_RW_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_landlock_adds_nothing),
	    cmocka_unit_test(test_abi6_scopes_signals_and_walls_off_ptrace),
	    cmocka_unit_test(test_below_abi6_walls_off_ptrace_only),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
