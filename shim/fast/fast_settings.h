/* SPDX-License-Identifier: Apache-2.0 */
/* The fast audit entry's reading of the environment (docs/audit-and-seccomp.md,
 * "The fast audit entry"): whether the settings are of the one strict shape
 * it decides alone, and the edits of LD_AUDIT and LD_PRELOAD it makes. Pure
 * string work, no libc call, no allocation: unit-tested with plain inputs. */
#ifndef SBX_FAST_SETTINGS_H
#define SBX_FAST_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#define FAST_NAME "libsandboxec-fast.so"
#define SHIM_NAME "libsandboxec.so"

struct fast_settings {
	const char *fs;	    /* SANDBOXEC_FS's value */
	const char *active; /* SANDBOXEC_ACTIVE's value, or NULL */
	bool restrict_scoped, allow_udp, restrict_unix, log_denials;
	char **slot_audit;   /* the one LD_AUDIT entry of the block, or NULL */
	char **slot_preload; /* the one LD_PRELOAD entry, or NULL */
	const char *shim;    /* the LD_AUDIT entry right after this module's */
	size_t shim_len;
};

enum fast_shape {
	FAST_DECIDES,	   /* the shape this module decides alone */
	FAST_DEFERS,	   /* anything else: the shim after it decides */
	FAST_WITHOUT_SHIM, /* LD_AUDIT does not name the shim right after it */
};

/* Reads the SANDBOXEC_*, LD_AUDIT and LD_PRELOAD entries of envp. */
enum fast_shape fast_settings_read(char *const *envp, struct fast_settings *out);

/* The engine's tree marker for envp (sbx_env_fingerprint), its 32 hex
 * digits without a NUL; the names must each be there at most once. */
void fast_fingerprint(char *const *envp, char *out);

/* Whether p[0..len) is a path the engine opens as written: absolute, in
 * printable ASCII, nothing it expands, unquotes or trims, no empty, "."
 * or ".." component, no trailing "/". */
bool fast_canonical_path(const char *p, size_t len);

/* Whether one load-list entry names one of sandboxec's two objects. */
bool fast_entry_is_ours(const char *entry, size_t len);

/* Writes "NAME=" and the entries of list (split at any of seps) that are
 * not ours, joined by ":", to out (cap bytes, NUL included). Returns how
 * many entries were kept, or -1 when out is too small. */
long fast_list_without_ours(const char *name, const char *list, const char *seps, char *out,
			    size_t cap);

/* Overwrites our entries in list with separators, in place: ld.so, still
 * reading that string, skips empty entries. */
void fast_list_blank_ours(char *list, const char *seps);

#endif
