/* SPDX-License-Identifier: Apache-2.0 */
/* The host-runtime resolver's view of the files it looks at: each path
 * looked up once (stat, then open and read through hostrt_file.c unless
 * the file is known under another name or is no regular file), each file
 * kept once by identity, what the read-ahead threads read adopted in the
 * caller's order, and real paths resolved once, directories memoized.
 *
 * It may stat, open, read and readlink; it must never fork, exec, map or
 * write anything, and it knows nothing of the loader's search: which paths
 * are worth a look is its caller's business (hostrt_replay.c, hostrt.c).
 * One thread only, the caller's; the read-ahead threads never touch its
 * tables. Internal to the engine. */
#ifndef SBX_HOSTRT_PROBE_H
#define SBX_HOSTRT_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "elfread.h"
#include "hostrt_arena.h"
#include "hostrt_file.h"
#include "hostrt_map.h"
#include "hostrt_readahead.h"

/* The outcome of opening one path, memoized. */
struct hostrt_probe {
	const char *path; /* the map's key */
	int open_errno;	  /* 0 when opened */
	struct hostrt_file *file;
	/* sim_hash(path), computed by the first replay loading it. */
	bool path_hashed;
	uint32_t path_hash;
};

/* Every path and file looked at in one resolution. */
struct sbx_hostrt_probes {
	const struct sbx_elf_lib *elf;	 /* reads files: the owner's */
	struct sbx_hostrt_arena *arena;	 /* holds the probes: the owner's */
	struct sbx_hostrt_map paths;	 /* path -> struct hostrt_probe */
	struct sbx_hostrt_map files;	 /* "dev:ino" -> struct hostrt_file */
	struct sbx_hostrt_map real_dirs; /* directory -> its realpath ("" if none) */
	/* Reads $PATH files and libraries ahead, or NULL: set and stopped by
	 * the owner (before sbx_hostrt_probe_fini()). */
	struct sbx_hostrt_ra *ra;
};

/* elf and arena must outlive pr; the probes live in arena. */
void sbx_hostrt_probe_init(struct sbx_hostrt_probes *pr, const struct sbx_elf_lib *elf,
			   struct sbx_hostrt_arena *arena);
/* Frees the files and real paths (the probes go with the arena). */
void sbx_hostrt_probe_fini(struct sbx_hostrt_probes *pr);

/* Looks path up once and classifies what is behind it (read only when a
 * regular file not already known under another name). Never NULL; the
 * probe lives as long as the arena. */
struct hostrt_probe *sbx_hostrt_probe_path(struct sbx_hostrt_probes *pr, const char *path);
/* The real path of f (symlinks resolved), or NULL; computed once. */
const char *sbx_hostrt_probe_real(struct sbx_hostrt_probes *pr, struct hostrt_file *f);

#endif
