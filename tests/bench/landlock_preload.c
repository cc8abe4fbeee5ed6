/* SPDX-License-Identifier: Apache-2.0 */
/* A floor row of `make bench`: an LD_PRELOAD library whose constructor
 * applies BENCH_FS with Landlock and nothing else (floor_landlock.h). Set
 * against the cold shim it shows what the project adds beyond mapping a
 * library and the kernel's own Landlock calls. */
#include <stdlib.h>
#include <unistd.h>

#define floor_sys(nr, a, b, c, d, e) syscall(nr, a, b, c, d, e)
#include "floor_landlock.h"

__attribute__((constructor)) static void bench_landlock_preload(void)
{
	floor_apply(getenv("BENCH_FS"));
}
