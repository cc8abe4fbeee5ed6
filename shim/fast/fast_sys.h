/* SPDX-License-Identifier: Apache-2.0 */
/* System calls for the fast audit entry, which links no libc: the
 * instruction itself, on x86-64 (the one architecture it is built for,
 * mk/fast.mk). Returns the kernel's answer: -errno on failure. */
#ifndef SBX_FAST_SYS_H
#define SBX_FAST_SYS_H

#if !defined(__x86_64__)
#error "the fast audit entry's system calls are written for x86-64 only"
#endif

static inline long fast_sys(long nr, long a, long b, long c, long d, long e)
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

#endif
