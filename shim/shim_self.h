/* SPDX-License-Identifier: Apache-2.0 */
/* Which copy of libsandboxec.so this is and where it was loaded from. The
 * same file is loaded up to twice per process: as an LD_AUDIT module (its
 * own link namespace, its own libc, before the program's libraries are
 * mapped) and as an LD_PRELOAD library (the program's namespace, after the
 * program's library constructors). See docs/audit-and-seccomp.md. */
#ifndef SBX_SHIM_SELF_H
#define SBX_SHIM_SELF_H

#include <stdbool.h>

struct link_map;

/* This copy's link map and real path, each looked up once per copy and
 * kept for its lifetime; NULL when ld.so cannot tell. */
struct link_map *shim_self_map(void);
const char *shim_self_path(void);

/* True in the LD_AUDIT copy, whose policy is applied by la_version
 * (audit_entry.c) rather than by the constructor (preload_entry.c). */
bool shim_is_audit_copy(void);

#endif
