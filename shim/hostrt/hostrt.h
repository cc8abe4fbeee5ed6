/* SPDX-License-Identifier: Apache-2.0 */
/* --unsafe-host-runtime: the paths a host program needs in order to start,
 * found by reading ELF files the way glibc's ld.so would resolve them —
 * never by running ld.so, ldd or any other program. */
#ifndef SBX_HOSTRT_H
#define SBX_HOSTRT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/error.h"

#define SBX_HOSTRT_WHY_PATH_DIR "PATH directory"
#define SBX_HOSTRT_WHY_INTERP	"program interpreter"
#define SBX_HOSTRT_WHY_LDCACHE	"ld.so cache"
#define SBX_HOSTRT_WHY_LIBRARY	"shared library"
/* A $PATH entry's program that lies outside every $PATH directory, and
 * the directory of programs (or package tree) it came with. */
#define SBX_HOSTRT_WHY_LINKED	  "program a $PATH entry links to"
#define SBX_HOSTRT_WHY_LINKED_DIR "directory of a program a $PATH entry links to"

struct sbx_hostrt_entry {
	char *path;	 /* absolute, symlinks resolved */
	uint64_t access; /* SBX_LL_FS_* bits; the caller masks them for files */
	const char *why; /* one of the SBX_HOSTRT_WHY_* strings (static) */
};

/* What was found but not granted: an interpreter that cannot be one, or a
 * path reached through a tree the policy makes writable. */
struct sbx_hostrt_refusal {
	char *real; /* the real path it would have had (the grant's key) */
	char *text; /* "PATH (what): why; what to do" */
};

struct sbx_hostrt {
	struct sbx_hostrt_entry *entries;
	size_t len;
	struct sbx_hostrt_refusal *refused; /* none of them is in entries */
	size_t n_refused;
};

/* path_env: value of $PATH; ld_library_path: value of LD_LIBRARY_PATH or
 * NULL. Grants read+exec on every existing $PATH directory, the program
 * interpreters of the executables found there, read on /etc/ld.so.cache,
 * and read+exec on every shared library those executables (and the
 * interpreters of the #! scripts there) load. Entries are unique by path. */
int sbx_hostrt_resolve(const char *path_env, const char *ld_library_path, struct sbx_hostrt *out,
		       struct sbx_error *err);
/* The same with `threads` read-ahead threads besides the caller (0: the
 * caller reads everything itself); sbx_hostrt_resolve() takes one per CPU,
 * at most 4. The result, order included, does not depend on it. */
int sbx_hostrt_resolve_threads(const char *path_env, const char *ld_library_path, int threads,
			       struct sbx_hostrt *out, struct sbx_error *err);

/* The same, granting nothing that lies in, or is reached through a symlink
 * in, one of the n_writable trees (real paths): a sandboxed program could
 * have planted it there. Nothing found in such a $PATH directory is read.
 * Each path left out is in out->refused. */
int sbx_hostrt_resolve_guarded(const char *path_env, const char *ld_library_path,
			       const char *const *writable, size_t n_writable,
			       struct sbx_hostrt *out, struct sbx_error *err);

/* The same for a list of files only (executables or #! scripts): their
 * interpreters, the cache and their libraries, without $PATH directories. */
int sbx_hostrt_resolve_files(const char *const *files, size_t n_files, const char *ld_library_path,
			     struct sbx_hostrt *out, struct sbx_error *err);

void sbx_hostrt_free(struct sbx_hostrt *rt);

#endif
