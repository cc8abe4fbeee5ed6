/* SPDX-License-Identifier: Apache-2.0 */
/* A floor row of `make bench`: static_wrapper without libc. It applies
 * BENCH_FS with Landlock from its entry point and execs its arguments, so
 * it pays the exec and the Landlock calls and nothing else: no C library
 * start-up (TLS, tunables, IRELATIVE resolvers, stdio), whose first-touch
 * page faults are most of what static_wrapper adds on a VM where a page
 * fault is dear (docs/perf.md §2). Set against static_wrapper it shows what
 * the C library's start-up costs a wrapper; set against the CLI, what one
 * more exec costs at least.
 *
 *   BENCH_FS=RIGHTS:PATH,... static_wrapper_nolibc COMMAND [ARG...]   (COMMAND absolute) */
#include <stddef.h>

#include "floor_sys_raw.h"

#include "floor_landlock.h"

__attribute__((used, noreturn)) void floor_wrapper_main(long *sp);

/* The kernel starts the process with argc, argv, NULL, envp, NULL on the
 * stack; hand its address to C with the stack aligned as the ABI wants. */
#if defined(__x86_64__)
__asm__(".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call floor_wrapper_main\n"
	"	hlt\n");
#elif defined(__aarch64__)
__asm__(".globl _start\n"
	"_start:\n"
	"	mov x29, #0\n"
	"	mov x0, sp\n"
	"	bl floor_wrapper_main\n");
#endif

void floor_wrapper_main(long *sp)
{
	static const char name[] = "BENCH_FS=";
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	size_t i;

	if (argc < 2)
		floor_fail("run: usage: BENCH_FS=RIGHTS:PATH,... static_wrapper_nolibc COMMAND");
	for (char **e = envp; *e; e++) {
		for (i = 0; name[i] && (*e)[i] == name[i]; i++)
			;
		if (!name[i]) {
			floor_apply(*e + i);
			floor_sys(__NR_execve, (long)argv[1], (long)&argv[1], (long)envp, 0, 0);
			floor_fail("execve the command");
		}
	}
	floor_fail("find BENCH_FS in the environment");
	__builtin_unreachable();
}
