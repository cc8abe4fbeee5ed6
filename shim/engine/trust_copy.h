/* SPDX-License-Identifier: Apache-2.0 */
/* Copies of trusted project files (docs/design.md §3.3): when a file is
 * trusted, its content is kept beside the trust store, in
 * $XDG_DATA_HOME/sandboxec/trust-copies/<SHA-256 of its path>, so the next
 * `--mode trust` of that path can show what changed. A copy only ever
 * shapes what is shown, never what is trusted: it is used only when its
 * SHA-256 is the one the store records for the path, and anything odd about
 * it means "show the whole file". */
#ifndef SBX_TRUST_COPY_H
#define SBX_TRUST_COPY_H

#include <stddef.h>

#include "error.h"

enum sbx_trust_prior_state {
	SBX_TRUST_PRIOR_NONE, /* the path was never trusted */
	SBX_TRUST_PRIOR_COPY, /* data holds the version trusted last */
	SBX_TRUST_PRIOR_LOST, /* trusted before, but no usable copy: why */
};

struct sbx_trust_prior {
	enum sbx_trust_prior_state state;
	char *data; /* SBX_TRUST_PRIOR_COPY only */
	size_t len;
	struct sbx_error why; /* SBX_TRUST_PRIOR_LOST: what is wrong with the copy */
};

/* $XDG_DATA_HOME/sandboxec/trust-copies (beside the store). */
int sbx_trust_copy_dir(char *const *envp, char **out, struct sbx_error *err);

/* What was trusted last at abs_path. Fails only when the store itself
 * cannot be read; a copy that is missing, a link, not a regular file, not
 * the user's, writable by others, too large, unreadable or not the content
 * the store records is SBX_TRUST_PRIOR_LOST, in a directory with any of
 * those faults too. */
int sbx_trust_copy_load(char *const *envp, const char *abs_path, struct sbx_trust_prior *out,
			struct sbx_error *err);

void sbx_trust_prior_free(struct sbx_trust_prior *prior);

/* Keeps data as the copy for abs_path: the directory is created 0700, the
 * copy written 0600 to a new temporary file in it (O_EXCL, O_NOFOLLOW,
 * relative to the directory) and renamed over the old one. A directory
 * that is a link, not the user's or writable by others is an error. */
int sbx_trust_copy_save(char *const *envp, const char *abs_path, const char *data, size_t len,
			struct sbx_error *err);

#endif
