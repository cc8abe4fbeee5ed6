/* SPDX-License-Identifier: Apache-2.0 */
/* --report's tracer does not stop at ioctl until a process can have one
 * refused: when a traced process has just opened a device the policy does
 * not grant ioctl on, the tracer makes it add, for all its threads, a
 * seccomp filter that stops at ioctl (docs/diagnostics.md "Ioctls watched
 * from the first device open"). x86-64 only. */
#ifndef SBX_REPORT_IOCTL_ARM_H
#define SBX_REPORT_IOCTL_ARM_H

#include <stdbool.h>
#include <sys/types.h>

enum sbx_arm_result {
	SBX_ARM_DONE,	/* the filter is in: the process's ioctls stop */
	SBX_ARM_FAILED, /* not added; the thread is as it was, at its stop */
	SBX_ARM_SIGNAL, /* not added; a signal came first: resume with *status's */
	SBX_ARM_GONE,	/* the thread ended; *status is its wait status */
};

/* Whether this CPU has the code below. */
bool sbx_arm_supported(void);

/* Runs seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, the
 * ioctl filter) in thread tid, stopped at the exit of a call that
 * succeeded, and puts back every register, so the program goes on as if
 * that call had just returned. Waits only for tid's own stops; *status is
 * the last wait status seen. */
enum sbx_arm_result sbx_arm_ioctl(pid_t tid, int *status);

#endif
