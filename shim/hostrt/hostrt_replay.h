/* SPDX-License-Identifier: Apache-2.0 */
/* The host-runtime resolver's replay of glibc 2.36 ld.so: which files the
 * loader would map to start one executable (search order, DT_RPATH,
 * DT_RUNPATH, LD_LIBRARY_PATH, $ORIGIN/$LIB/$PLATFORM, hwcaps
 * subdirectories, ld.so.cache, first-loader-wins), over the files
 * hostrt_probe.c looks up once by path and by identity.
 *
 * It may stat directories and look files up through hostrt_probe.c, which
 * opens and reads them. It must never fork, exec, map or write
 * anything, and it grants nothing: it tells its caller which files a
 * program loads, and the caller decides what that is worth. One thread
 * only, the caller's; the read-ahead threads never touch its tables.
 * Internal to the engine. */
#ifndef SBX_HOSTRT_REPLAY_H
#define SBX_HOSTRT_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elfread.h"
#include "hostrt_arena.h"
#include "hostrt_file.h"
#include "hostrt_host.h"
#include "hostrt_map.h"
#include "hostrt_probe.h"
#include "ldcache.h"
#include "engine/error.h"

struct sim_obj;

/* What the replay knows of this host and of every file it looked at, for
 * one resolution. */
struct sbx_hostrt_replay {
	struct sbx_elf_lib elf;
	struct sbx_hostrt_host host;
	struct sbx_ldcache cache;
	bool have_cache;
	const char *ld_library_path;
	/* Every path and file looked at, the read-ahead's work adopted. */
	struct sbx_hostrt_probes probes;
	struct sbx_hostrt_map dirs;    /* directory -> DIR_YES / DIR_NO */
	struct sbx_hostrt_map subdirs; /* search dir -> struct hostrt_subdirs */
	/* name -> struct hostrt_found: the outcome of the cache and default
	 * directory stages, which depend on nothing but the name. */
	struct sbx_hostrt_map system_found;
	/* Closures already reported, by what alone decides them (see
	 * hostrt_closure_key): many executables need the same libraries. */
	struct sbx_hostrt_map closures;
	/* Probes and memo entries: thousands of small objects that live as
	 * long as the resolution, freed at once. */
	struct sbx_hostrt_arena arena;
	/* The replay's object and queue arrays, kept from one executable to
	 * the next (sim_cap elements each). */
	struct sim_obj *sim_objs;
	size_t *sim_queue;
	size_t sim_cap;
};

/* Binds libelf, describes this host and reads /etc/ld.so.cache (none, or
 * an unreadable one, is what ld.so copes with too: have_cache says).
 * ld_library_path: LD_LIBRARY_PATH as given to the API, or NULL. Returns
 * -1 with err set when libelf cannot be loaded. */
int sbx_hostrt_replay_init(struct sbx_hostrt_replay *r, const char *ld_library_path,
			   struct sbx_error *err);
void sbx_hostrt_replay_fini(struct sbx_hostrt_replay *r);

/* Told of each file a program maps, with the path it was found by (the
 * caller checks that path too: docs/host-runtime.md "Writable trees"):
 * its PT_INTERP first (why is SBX_HOSTRT_WHY_INTERP), then each library
 * (SBX_HOSTRT_WHY_LIBRARY) in the loader's breadth-first order. */
typedef void sbx_hostrt_loaded_fn(void *arg, struct hostrt_file *file, const char *path,
				  const char *why);

/* Replays the loading of exe, an ELF executable of this host's class and
 * machine, and tells loaded() what it maps. Tells nothing when the program
 * would not start (a missing or fatal dependency, a bound exceeded), nor
 * when a closure decided by the same interpreter, DT_NEEDED list and
 * DF_1_NODEFLIB was told already. */
void sbx_hostrt_replay_closure(struct sbx_hostrt_replay *r, struct hostrt_file *exe,
			       sbx_hostrt_loaded_fn *loaded, void *arg);

#endif
