/* SPDX-License-Identifier: Apache-2.0 */
/* A floor row of `make bench`: an LD_AUDIT module that links no libc (so
 * ld.so loads no second libc into the audit namespace) and applies
 * BENCH_FS with Landlock from its constructor, which ld.so calls with the
 * environment before the program's own libraries are loaded. Set against
 * the `--mode env` settings it shows what an audit entry costs at least.
 * Built with -nostdlib: system calls are made with the instruction itself
 * (floor_sys_raw.h). */
#include <stddef.h>

#include "floor_sys_raw.h"

#include "floor_landlock.h"

__attribute__((visibility("default"))) unsigned int la_version(unsigned int version);

unsigned int la_version(unsigned int version)
{
	return version;
}

__attribute__((constructor)) static void bench_audit_nolibc(int argc, char **argv, char **envp)
{
	static const char name[] = "BENCH_FS=";
	size_t i;

	(void)argc;
	(void)argv;
	for (; envp && *envp; envp++) {
		for (i = 0; name[i] && (*envp)[i] == name[i]; i++)
			;
		if (!name[i]) {
			floor_apply(*envp + i);
			return;
		}
	}
	floor_fail("find BENCH_FS in the environment");
}
