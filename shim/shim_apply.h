/* SPDX-License-Identifier: Apache-2.0 */
/* The shim's side of confining, shared by its two entry points (the
 * LD_PRELOAD constructor in preload_entry.c, la_version in audit_entry.c):
 * the checks only a preloaded library needs, its printing and its one
 * fail function around the engine's sbx_confine. */
#ifndef SBX_SHIM_APPLY_H
#define SBX_SHIM_APPLY_H

#include <stdbool.h>

/* Resolves the policy from `environ` and applies it, or skips it when the
 * tree already carries it (SANDBOXEC_ACTIVE); on any error prints one
 * "sandboxec: " line and ends the process with status 1. Returns true when
 * it left the process unsandboxed (best-effort without Landlock) after
 * printing the warning. */
bool shim_apply(bool in_audit_copy);

/* The value of SANDBOXEC_ACTIVE by which the audit copy, having run
 * best-effort without Landlock, tells the preload copy that the warning was
 * printed: this prefix and the settings' fingerprint. It never matches a
 * fingerprint, so it marks nothing as confined; the preload copy still
 * resolves, finds Landlock missing itself, and only stays quiet (and
 * removes the note) instead of printing the same warning again. */
#define SHIM_NOTE_WARNED "warned-unsandboxed:"

#endif
