/* SPDX-License-Identifier: Apache-2.0 */
/* A floor row of `make bench`: the minimal Landlock preload plus the
 * project's own seccomp filter (floor_seccomp.h), so the row pays the same
 * filter, hence the same attach cost, as the shim. */
#include <stdlib.h>
#include <unistd.h>

#define floor_sys(nr, a, b, c, d, e) syscall(nr, a, b, c, d, e)
#include "floor_landlock.h"
#include "floor_seccomp.h"

__attribute__((constructor)) static void bench_landlock_seccomp_preload(void)
{
	floor_apply(getenv("BENCH_FS"));
	floor_seccomp();
}
