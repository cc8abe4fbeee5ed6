/* SPDX-License-Identifier: Apache-2.0 */
/* The trust store for project files (docs/design.md §3.3): a project .sandboxec.yaml
 * arrives with the code being sandboxed and can widen the sandbox, so it is
 * used only when its absolute path and the SHA-256 of its content are
 * recorded in $XDG_DATA_HOME/sandboxec/trust. SHA-256 comes from libmd,
 * bound lazily. */
#ifndef SBX_TRUST_H
#define SBX_TRUST_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define SBX_SHA256_HEX_LEN 65

int sbx_sha256_hex(const char *data, size_t len, char out[SBX_SHA256_HEX_LEN],
		   struct sbx_error *err);

/* $XDG_DATA_HOME/sandboxec/trust, or ~/.local/share/sandboxec/trust. */
int sbx_trust_store_path(char *const *envp, char **out, struct sbx_error *err);

/* Is (abs_path, sha256(data)) recorded? A missing store means "no". */
int sbx_trust_check(char *const *envp, const char *abs_path, const char *data, size_t len,
		    bool *trusted, struct sbx_error *err);

/* The SHA-256 recorded for abs_path, whatever content it belongs to:
 * *found is false when the path was never trusted (or the store is
 * missing). */
int sbx_trust_recorded_hash(char *const *envp, const char *abs_path, char hash[SBX_SHA256_HEX_LEN],
			    bool *found, struct sbx_error *err);

/* Records (abs_path, sha256(data)), replacing any earlier entry for the
 * path; the store is rewritten atomically and kept private (0600). */
int sbx_trust_record(char *const *envp, const char *abs_path, const char *data, size_t len,
		     struct sbx_error *err);

#endif
