/* SPDX-License-Identifier: Apache-2.0 */
/* Which shim files the generated settings name (docs/shim.md, "32-bit
 * programs"): the $LIB path every loader expands to the copy of its own
 * ELF class, and the files behind it that must exist for the settings to
 * confine. Used by `--mode env` and `explain`; never applies anything. */
#ifndef SBX_SHIM_LAYOUT_H
#define SBX_SHIM_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

struct sbx_shim_layout {
	char *load;	/* what LD_PRELOAD and LD_AUDIT name: DIR/libsandboxec/$LIB/
			 * libsandboxec.so, or the shim itself without that tree */
	char *audit;	/* what LD_AUDIT names: the fast audit entry beside the shim
			 * (the same $LIB form), then `load`; or `load` alone */
	char *files[4]; /* the files the loaders open: this machine's class first,
			 * then each i386 copy found */
	size_t n_files;
	bool i386_applies; /* this machine can run i386 programs (x86_64) */
	bool has_i386;	   /* and an i386 copy is there for them */
};

/* shim: the real path of the shim that goes with this sandboxec. */
void sbx_shim_layout_find(const char *shim, struct sbx_shim_layout *out);
void sbx_shim_layout_free(struct sbx_shim_layout *layout);

/* True when 32-bit programs would run unconfined under the settings. */
bool sbx_shim_layout_misses_i386(const struct sbx_shim_layout *layout);

/* One line, without a newline, saying so and what to do. */
extern const char sbx_shim_layout_i386_warning[];

#endif
