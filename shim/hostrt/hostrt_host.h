/* SPDX-License-Identifier: Apache-2.0 */
/* What the host's dynamic loader would search, computed without running
 * it: default directories, $LIB and $PLATFORM, the active glibc-hwcaps
 * subdirectories and the legacy hwcaps subdirectories (glibc 2.36 rules),
 * and the ld.so.cache acceptance criteria. Internal to the engine. */
#ifndef SBX_HOSTRT_HOST_H
#define SBX_HOSTRT_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "ldcache.h"

#define SBX_HOSTRT_MAX_SUBDIRS 40

struct sbx_hostrt_host {
	unsigned char ei_class; /* the loader's ELF class and machine */
	uint16_t e_machine;
	const char *lib;		/* $LIB, e.g. "lib/x86_64-linux-gnu" */
	char *platform;			/* $PLATFORM, e.g. "x86_64" or "haswell" */
	const char *const *system_dirs; /* each ends with '/' */
	size_t n_system_dirs;
	/* Subdirectories tried under every search directory, best first;
	 * the last is "" (the directory itself). Each ends with '/'. */
	char *subdirs[SBX_HOSTRT_MAX_SUBDIRS];
	size_t n_subdirs;
	const char *hwcaps_active[4]; /* e.g. "x86-64-v3", "x86-64-v2" */
	size_t n_hwcaps_active;
	struct sbx_ldcache_query query;
};

/* Describes the machine this code runs on. */
void sbx_hostrt_host_init(struct sbx_hostrt_host *host);
void sbx_hostrt_host_free(struct sbx_hostrt_host *host);

#endif
