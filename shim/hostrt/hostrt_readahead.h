/* SPDX-License-Identifier: Apache-2.0 */
/* Read-ahead for the host-runtime resolver: worker threads open and read
 * the $PATH entries, and the libraries ld.so.cache names for what those
 * need, while the calling thread replays the loader over what is ready.
 * Workers only fill in items; they never touch the resolver's maps, and
 * the probe layer (hostrt_probe.c) adopts items in the replay's order, so what it grants does not
 * depend on which thread read what. Every thread is joined by
 * sbx_hostrt_ra_stop(). Internal to the engine. */
#ifndef SBX_HOSTRT_READAHEAD_H
#define SBX_HOSTRT_READAHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "elfread.h"
#include "hostrt_file.h"
#include "ldcache.h"

/* One path to read ahead. */
struct sbx_hostrt_ra_item {
	const char *path; /* the name the replay looks it up by */
	int dirfd;	  /* opened as openat(dirfd, name) */
	const char *name;
	/* A $PATH entry: read only when executable. Otherwise a library the
	 * cache names, whose readlink() is done too. */
	bool need_exec;
	/* getdents said regular file: opened first and fstat'ed, one path
	 * lookup instead of two (a file swapped since is caught by fstat). */
	bool open_first;
	/* Results, valid once sbx_hostrt_ra_wait() has returned. */
	bool stat_ok;
	struct stat st;
	/* Read by this item; the replay takes it (and clears this). */
	struct hostrt_file *file;
	/* Not read because that item reads the same file (by identity). */
	struct sbx_hostrt_ra_item *same_as;
	_Atomic int state; /* the read-ahead's own */
};

struct sbx_hostrt_ra;

/* Starts up to `threads` workers (at most 4; fewer when threads cannot be
 * had: sbx_hostrt_ra_wait() then does the reading). cache may be NULL (no
 * libraries are then read ahead); elf, cache and query must outlive the
 * read-ahead. */
struct sbx_hostrt_ra *sbx_hostrt_ra_start(const struct sbx_elf_lib *elf,
					  const struct sbx_ldcache *cache,
					  const struct sbx_ldcache_query *query, size_t threads);
/* Queues $PATH entries, in the order the replay will want them. The items
 * stay the caller's memory and must outlive the read-ahead. */
void sbx_hostrt_ra_add(struct sbx_hostrt_ra *ra, struct sbx_hostrt_ra_item *items, size_t n);
/* The item queued for path, or NULL. */
struct sbx_hostrt_ra_item *sbx_hostrt_ra_find(struct sbx_hostrt_ra *ra, const char *path);
/* Returns once it has been read (reading it, or other items, meanwhile).
 * Called by one thread only: the replay's. */
void sbx_hostrt_ra_wait(struct sbx_hostrt_ra *ra, struct sbx_hostrt_ra_item *it);
/* Stops and joins the workers; frees every file no one took. */
void sbx_hostrt_ra_stop(struct sbx_hostrt_ra *ra);

#endif
