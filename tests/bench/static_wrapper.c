/* SPDX-License-Identifier: Apache-2.0 */
/* A floor row of `make bench`: a statically linked wrapper that applies
 * BENCH_FS with Landlock, then execs its arguments: no dynamic loading of
 * its own, one exec more than the command. Built twice: static_wrapper,
 * and static_seccomp_wrapper (BENCH_WRAPPER_SECCOMP), which also installs
 * the project's seccomp filter before the exec, as the CLI does, so that
 * row is the least the CLI's run can cost with the C library it links.
 *
 *   BENCH_FS=RIGHTS:PATH,... static_wrapper COMMAND [ARG...]   (COMMAND absolute) */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define floor_sys(nr, a, b, c, d, e) syscall(nr, a, b, c, d, e)
#include "floor_landlock.h"
#ifdef BENCH_WRAPPER_SECCOMP
#include "floor_seccomp.h"
#endif

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: BENCH_FS=RIGHTS:PATH,... static_wrapper COMMAND [ARG...]\n", stderr);
		return 2;
	}
	floor_apply(getenv("BENCH_FS"));
#ifdef BENCH_WRAPPER_SECCOMP
	floor_seccomp();
#endif
	execve(argv[1], &argv[1], environ);
	perror("static_wrapper: execve");
	return 127;
}
