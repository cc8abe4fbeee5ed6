/* SPDX-License-Identifier: Apache-2.0 */
/* The two entry points of libsandboxec.so and what they share. The same
 * file is loaded up to twice per process: as an LD_AUDIT module (its own
 * link namespace, its own libc, before the program's libraries are mapped)
 * and as an LD_PRELOAD library (the program's namespace, after the
 * program's library constructors). See docs/audit-and-seccomp.md. */
#ifndef SBX_SHIM_ENTRY_H
#define SBX_SHIM_ENTRY_H

#include <stdbool.h>

/* Resolves the policy from `environ` and applies it, or skips it when the
 * tree already carries it (SANDBOXEC_ACTIVE); on any error prints one
 * "sandboxec: " line and ends the process with status 1 (shim_main.c).
 * Returns true when it left the process unsandboxed (best-effort without
 * Landlock) after printing the warning. */
bool shim_apply(bool in_audit_copy);

/* The value of SANDBOXEC_ACTIVE by which the audit copy, having run
 * best-effort without Landlock, tells the preload copy that the warning was
 * printed: this prefix and the settings' fingerprint. It never matches a
 * fingerprint, so it marks nothing as confined; the preload copy still
 * resolves, finds Landlock missing itself, and only stays quiet (and
 * removes the note) instead of printing the same warning again. */
#define SHIM_NOTE_WARNED "warned-unsandboxed:"

struct link_map;

/* This copy's link map and real path (shim_main.c), each looked up once per
 * copy and kept for its lifetime; NULL when ld.so cannot tell. */
struct link_map *shim_self_map(void);
const char *shim_self_path(void);

/* True in the LD_AUDIT copy, whose policy is applied by la_version rather
 * than by the constructor (shim_audit.c). */
bool shim_is_audit_copy(void);

#endif
