/* SPDX-License-Identifier: Apache-2.0 */
/* Editing the process's initial environment block in place, for the
 * LD_AUDIT copy of the shim (audit_entry.c). That copy runs in its own link
 * namespace with its own libc, whose setenv() only changes its own
 * `environ`; the program's libc and every descendant see the block the
 * kernel put on the stack. Both libcs start from that same pointer array,
 * so rewriting its slots is the one change both can see. The array cannot
 * grow: a variable can only be set where a slot exists or is freed. */
#ifndef SBX_ENVREWRITE_H
#define SBX_ENVREWRITE_H

#include <stdbool.h>
#include <stddef.h>

/* A list such as LD_PRELOAD or LD_AUDIT without the entries that are
 * libsandboxec.so: the file `self` (a real path, may be NULL) or any file
 * of that name, or libsandboxec-fast.so, the fast audit entry named with it. Entries are split at
 * any byte of `seps`, joined with ":". NULL when nothing is left. */
char *sbx_loadlist_without_shim(const char *list, const char *seps, const char *self);

/* Applies edits to the NULL-terminated array envp in place. Each edit is
 * "NAME=value" (set) or "NAME" (remove); earlier edits get a free slot
 * first. The strings are referenced, not copied: they must live as long as
 * the process. Returns how many "set" edits found no slot (0 = all done). */
size_t sbx_envp_rewrite(char **envp, const char *const *edits, size_t n_edits);

/* Removes every "name=..." entry of envp in place, the others keeping
 * their order, as unsetenv(name) does. Returns how many went: the array
 * has that many slots to spare before its old end. envp may be NULL
 * (no environment: nothing to remove). */
size_t sbx_envp_remove(char **envp, const char *name);

/* Sets entry ("NAME=value") as setenv(NAME, value, 1) does: over the first
 * NAME= entry, else at the end, which needs a spare slot (room, from
 * sbx_envp_remove). The string is referenced, not copied: it must live as
 * long as the process. Returns false, changing nothing, when there was
 * neither an entry nor room, or no array (envp NULL). */
bool sbx_envp_set(char **envp, const char *entry, size_t room);

#endif
