/* SPDX-License-Identifier: Apache-2.0 */
/* A floor row of `make bench`: the minimal Landlock preload plus the
 * project's own seccomp filter, built by the engine's builder with the
 * flags the bench's policy gives (6 file rules, no port: TCP restricted
 * where the kernel handles it, no other network, no listen), so the row
 * pays the same filter length, hence the same attach cost, as the shim. */
#include <stdlib.h>
#include <unistd.h>

#include "engine/seccomp_filter.h"

#define floor_sys(nr, a, b, c, d, e) syscall(nr, a, b, c, d, e)
#include "floor_landlock.h"

__attribute__((constructor)) static void bench_landlock_seccomp_preload(void)
{
	struct sbx_error err = {0};
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, SBX_LL_CREATE_RULESET_VERSION);
	unsigned flags =
	    SBX_SECCOMP_NO_IP | (abi >= 4 ? SBX_SECCOMP_TCP | SBX_SECCOMP_NO_LISTEN : 0);

	floor_apply(getenv("BENCH_FS"));
	if (sbx_seccomp_filter_install(flags, false, &err) != 0)
		floor_fail("install the project's seccomp filter");
}
