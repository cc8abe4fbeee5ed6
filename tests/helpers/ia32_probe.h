/* SPDX-License-Identifier: Apache-2.0 */
/* Whether this kernel takes system calls through the i386 entry
 * (int $0x80) from a 64-bit process. A kernel built without ia32
 * emulation answers ENOSYS; one booted with it disabled (ia32_emulation=0)
 * raises SIGSEGV instead, so the probe runs in a child. */
#ifndef SBX_TEST_IA32_PROBE_H
#define SBX_TEST_IA32_PROBE_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
static inline bool ia32_entry_works(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		long ret;

		/* A test harness's SIGSEGV handler (cmocka's) must not catch it. */
		signal(SIGSEGV, SIG_DFL);
		/* getpid is 20 in the i386 table. */
		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
		_exit(ret == -ENOSYS ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
#else
static inline bool ia32_entry_works(void)
{
	return false;
}
#endif

#endif
