/* SPDX-License-Identifier: Apache-2.0 */
/* A system call without libc: the instruction itself, on x86-64, for the
 * code that runs where libc cannot be called — the fast audit entry
 * (mk/fast.mk) and the static CLI's entry point before glibc's start-up
 * (tool/front_static_entry.c). Returns the kernel's answer: -errno on
 * failure. */
#ifndef SBX_RAW_SYSCALL_H
#define SBX_RAW_SYSCALL_H

#if !defined(__x86_64__)
#error "the raw system calls are written for x86-64 only"
#endif

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

#endif
