/* SPDX-License-Identifier: Apache-2.0 */
/* A library an attacker plants under a system library's name (libc.so.6,
 * libyaml-0.so.2, ...) in a directory the loader searches: its constructor
 * tries to create "planted.<NAME>" in the current directory and says on
 * stderr whether it could. It links against the real library by absolute
 * path, so whoever loads it still gets every symbol and runs normally. Used
 * by tests/security/t_escape_plant.sh. Built with -nostdlib: only system
 * calls, nothing that needs a libc of its own. */
#include <fcntl.h>
#include <sys/syscall.h>

#ifndef PLANT_NAME
#error "PLANT_NAME must be the soname this copy stands in for"
#endif

static long raw4(long nr, long a, long b, long c, long d)
{
	long ret;

#if defined(__x86_64__)
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	ret = x0;
#else
#error "planted_lib.c knows the system call instruction of x86_64 and aarch64 only"
#endif
	return ret;
}

static void say(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	raw4(SYS_write, 2, (long)s, n, 0);
}

__attribute__((constructor)) static void planted(void)
{
	long fd = raw4(SYS_openat, AT_FDCWD, (long)("planted." PLANT_NAME),
		       O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0) {
		raw4(SYS_close, fd, 0, 0, 0);
		say("planted " PLANT_NAME ": created\n");
	} else {
		say("planted " PLANT_NAME ": denied\n");
	}
}
