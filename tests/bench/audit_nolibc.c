/* SPDX-License-Identifier: Apache-2.0 */
/* A floor row of `make bench`: an LD_AUDIT module that links no libc (so
 * ld.so loads no second libc into the audit namespace) and applies
 * BENCH_FS with Landlock from its constructor, which ld.so calls with the
 * environment before the program's own libraries are loaded. Set against
 * the `--mode env` settings it shows what an audit entry costs at least.
 * Built with -nostdlib: system calls are made with the instruction itself. */
#include <stddef.h>

#if defined(__x86_64__)
static long floor_sys(long nr, long a, long b, long c, long d, long e)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
static long floor_sys(long nr, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;

	__asm__ volatile("svc 0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}
#else
#error "audit_nolibc: system calls are written for x86_64 and aarch64 only"
#endif

#include "floor_landlock.h"

__attribute__((visibility("default"))) unsigned int la_version(unsigned int version);

unsigned int la_version(unsigned int version)
{
	return version;
}

__attribute__((constructor)) static void bench_audit_nolibc(int argc, char **argv, char **envp)
{
	static const char name[] = "BENCH_FS=";
	size_t i;

	(void)argc;
	(void)argv;
	for (; envp && *envp; envp++) {
		for (i = 0; name[i] && (*envp)[i] == name[i]; i++)
			;
		if (!name[i]) {
			floor_apply(*envp + i);
			return;
		}
	}
	floor_fail("find BENCH_FS in the environment");
}
