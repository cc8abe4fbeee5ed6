/* SPDX-License-Identifier: Apache-2.0 */
/* floor_sys for the floor rows of `make bench` that link no libc (the
 * audit module, the libc-free wrapper): the system-call instruction
 * itself, the engine's own (shim/engine/raw_syscall.h, x86_64 and
 * aarch64). Include before floor_landlock.h. */
#ifndef SBX_BENCH_FLOOR_SYS_RAW_H
#define SBX_BENCH_FLOOR_SYS_RAW_H

#include "engine/raw_syscall.h"

static long floor_sys(long nr, long a, long b, long c, long d, long e)
{
	return sbx_raw_syscall(nr, a, b, c, d, e);
}

#endif
