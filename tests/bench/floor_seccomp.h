/* SPDX-License-Identifier: Apache-2.0 */
/* The floor rows that also install the project's seccomp filter: the
 * filter the engine builds for the bench's policy (6 file rules, no port:
 * TCP restricted where the kernel handles it, no other network, no
 * listen), so the row pays the same attach as the shim and the CLI.
 * Include after floor_landlock.h; links the engine's filter builder. */
#ifndef SBX_BENCH_FLOOR_SECCOMP_H
#define SBX_BENCH_FLOOR_SECCOMP_H

#include <stdbool.h>

#include "engine/seccomp_filter.h"

static void floor_seccomp(void)
{
	struct sbx_error err = {0};
	long abi =
	    floor_sys(__NR_landlock_create_ruleset, 0, 0, SBX_LL_CREATE_RULESET_VERSION, 0, 0);
	unsigned flags =
	    SBX_SECCOMP_NO_IP | (abi >= 4 ? SBX_SECCOMP_TCP | SBX_SECCOMP_NO_LISTEN : 0);

	if (sbx_seccomp_filter_install(flags, false, &err) != 0)
		floor_fail("install the project's seccomp filter");
}

#endif
