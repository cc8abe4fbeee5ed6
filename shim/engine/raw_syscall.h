/* SPDX-License-Identifier: Apache-2.0 */
/* A system call without libc: the instruction itself, for the code that
 * runs where libc cannot be called — the fast audit entry (mk/fast.mk),
 * the static CLI's entry point before glibc's start-up
 * (tool/front_static_entry.c), both x86-64 only, and the libc-free floor
 * rows of `make bench` (tests/bench/floor_sys_raw.h), on x86-64 and
 * aarch64. Returns the kernel's answer: -errno on failure. */
#ifndef SBX_RAW_SYSCALL_H
#define SBX_RAW_SYSCALL_H

#if defined(__x86_64__)
static inline long sbx_raw_syscall(long nr, long a, long b, long c, long d, long e)
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
static inline long sbx_raw_syscall(long nr, long a, long b, long c, long d, long e)
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
#error "the raw system calls are written for x86-64 and aarch64 only"
#endif

#endif
