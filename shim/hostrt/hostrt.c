/* SPDX-License-Identifier: Apache-2.0 */
/* The host-runtime resolver: walks $PATH, hands each ELF executable to the
 * replay of ld.so (hostrt_replay.c) and each #! script's interpreter back
 * to itself, and grants what they load, each path once, in a stable order.
 * It opens and reads files; it must never fork, exec, map or write
 * anything. */
#include "hostrt.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostrt_arena.h"
#include "hostrt_file.h"
#include "hostrt_map.h"
#include "hostrt_probe.h"
#include "hostrt_readahead.h"
#include "hostrt_replay.h"
#include "ldcache.h"
#include "engine/landlock_abi.h"
#include "engine/util.h"

#define ACCESS_RX (SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR | SBX_LL_FS_EXECUTE)
#define ACCESS_R  (SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR)

/* Bounds against hostile inputs. */
#define HOSTRT_MAX_SCRIPT_DEPTH 4 /* #! interpreters of #! interpreters */

struct hostrt_ctx {
	/* What ld.so would load, and every file looked at to know it. */
	struct sbx_hostrt_replay replay;
	struct sbx_hostrt_map granted; /* path -> entry index + 1 */
	/* $PATH entry names and paths, as long as the resolution. */
	struct sbx_hostrt_arena names;
	struct sbx_hostrt *out;
	size_t cap;
};

static void hostrt_grant(struct hostrt_ctx *ctx, const char *path, uint64_t access, const char *why)
{
	struct sbx_hostrt *out = ctx->out;

	if (!path || sbx_hostrt_map_get(&ctx->granted, path))
		return;
	if (out->len == ctx->cap) {
		ctx->cap = ctx->cap ? ctx->cap * 2 : 64;
		out->entries = sbx_xreallocarray(out->entries, ctx->cap, sizeof(*out->entries));
	}
	out->entries[out->len].path = sbx_xstrdup(path);
	out->entries[out->len].access = access;
	out->entries[out->len].why = why;
	out->len++;
	sbx_hostrt_map_put(&ctx->granted, path, (void *)(uintptr_t)out->len);
}

/* Grants a file by its real path, at most once: every closure that loads
 * libc would otherwise hash libc's path again. */
static void hostrt_grant_file(struct hostrt_ctx *ctx, struct hostrt_file *f, uint64_t access,
			      const char *why)
{
	if (f->granted)
		return;
	hostrt_grant(ctx, sbx_hostrt_probe_real(&ctx->replay.probes, f), access, why);
	f->granted = true;
}

/* What the replay says a program maps: read and execute. */
static void hostrt_grant_loaded(void *arg, struct hostrt_file *f, const char *why)
{
	hostrt_grant_file(arg, f, ACCESS_RX, why);
}

/* An executable found in $PATH (or given): ELF, or #! script. */
static void hostrt_exec(struct hostrt_ctx *ctx, const char *path, int depth)
{
	struct hostrt_probe *p = sbx_hostrt_probe_path(&ctx->replay.probes, path);
	struct hostrt_file *f = p->file;

	if (p->open_errno || !f || !f->is_reg || !(f->mode & 0111) || f->visited)
		return;
	f->visited = true;
	if (f->info.status == SBX_ELF_NOT_ELF) {
		struct hostrt_probe *ip;

		if (!f->shebang || f->shebang[0] != '/' || depth >= HOSTRT_MAX_SCRIPT_DEPTH)
			return;
		ip = sbx_hostrt_probe_path(&ctx->replay.probes, f->shebang);
		if (ip->open_errno || !ip->file || !ip->file->is_reg)
			return;
		hostrt_grant_file(ctx, ip->file, ACCESS_RX, SBX_HOSTRT_WHY_INTERP);
		hostrt_exec(ctx, f->shebang, depth + 1);
		return;
	}
	if (f->info.status != SBX_ELF_OK || f->info.ei_class != ctx->replay.host.ei_class ||
	    f->info.e_machine != ctx->replay.host.e_machine ||
	    (f->info.e_type != ET_EXEC && f->info.e_type != ET_DYN))
		return;
	sbx_hostrt_replay_closure(&ctx->replay, f, hostrt_grant_loaded, ctx);
}

static int hostrt_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1); /* past the type */
}

static int hostrt_init(struct hostrt_ctx *ctx, const char *ld_library_path, struct sbx_hostrt *out,
		       struct sbx_error *err)
{
	memset(ctx, 0, sizeof(*ctx));
	memset(out, 0, sizeof(*out));
	ctx->out = out;
	if (sbx_hostrt_replay_init(&ctx->replay, ld_library_path, err) < 0)
		return -1;
	if (ctx->replay.have_cache) {
		char *real = realpath(SBX_LDCACHE_PATH, NULL);

		hostrt_grant(ctx, real, ACCESS_R, SBX_HOSTRT_WHY_LDCACHE);
		free(real);
	}
	return 0;
}

static void hostrt_fini(struct hostrt_ctx *ctx)
{
	sbx_hostrt_replay_fini(&ctx->replay);
	sbx_hostrt_map_free(&ctx->granted, NULL);
	sbx_hostrt_arena_free(&ctx->names);
}

/* ---- Scanning $PATH ---- */

struct hostrt_dir {
	DIR *d;
	char **names; /* each preceded by a byte: its d_type + 1 */
	size_t n, cap;
	struct sbx_hostrt_ra_item *items;
};

static void hostrt_list_dir(struct sbx_hostrt_arena *arena, struct hostrt_dir *hd, const char *dir)
{
	struct dirent *de;

	hd->d = opendir(dir[0] ? dir : ".");
	if (!hd->d)
		return;
	while ((de = readdir(hd->d))) {
		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		size_t len = strlen(de->d_name);
		char *name = sbx_hostrt_arena_zalloc(arena, len + 2);

		name[0] = (char)(de->d_type + 1);
		memcpy(name + 1, de->d_name, len + 1);
		hd->names = sbx_xgrow(hd->names, hd->n, &hd->cap, sizeof(*hd->names));
		hd->names[hd->n++] = name;
	}
	/* readdir order depends on the filesystem; make the result stable. */
	if (hd->n > 1)
		qsort(hd->names, hd->n, sizeof(*hd->names), hostrt_cmp_names);
}

/* Lists one $PATH directory and hands its entries to the read-ahead, which
 * starts reading them while the next directory is listed. */
static void hostrt_scan_dir(struct hostrt_ctx *ctx, struct hostrt_dir *hd, const char *dir)
{
	size_t k;

	hostrt_list_dir(&ctx->names, hd, dir);
	if (!hd->n)
		return;
	hd->items = sbx_xcalloc(hd->n, sizeof(*hd->items));
	for (k = 0; k < hd->n; k++) {
		struct sbx_hostrt_ra_item *it = &hd->items[k];

		it->path = dir[0] ? sbx_hostrt_arena_join(&ctx->names, dir, hd->names[k] + 1)
				  : hd->names[k] + 1;
		it->dirfd = dirfd(hd->d);
		it->name = hd->names[k] + 1;
		it->open_first = hd->names[k][0] == DT_REG + 1;
		it->need_exec = true;
	}
	sbx_hostrt_ra_add(ctx->replay.probes.ra, hd->items, hd->n);
}

int sbx_hostrt_resolve(const char *path_env, const char *ld_library_path, struct sbx_hostrt *out,
		       struct sbx_error *err)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	/* One reader per CPU besides this thread, which lists and replays:
	 * on two CPUs, three threads measured faster than two (the replay
	 * waits on reads less). */
	return sbx_hostrt_resolve_threads(path_env, ld_library_path,
					  cpus > 1 ? (int)(cpus < 4 ? cpus : 4) : 0, out, err);
}

int sbx_hostrt_resolve_threads(const char *path_env, const char *ld_library_path, int threads,
			       struct sbx_hostrt *out, struct sbx_error *err)
{
	struct hostrt_ctx ctx;
	struct sbx_hostrt_replay *rp;
	const char *p = path_env ? path_env : "";
	struct hostrt_dir *dirs = NULL;
	size_t n_dirs = 0, i, k;

	if (hostrt_init(&ctx, ld_library_path, out, err) < 0)
		return -1;
	rp = &ctx.replay;
	rp->probes.ra = sbx_hostrt_ra_start(&rp->elf, rp->have_cache ? &rp->cache : NULL,
					    &rp->host.query, threads > 0 ? (size_t)threads : 0);
	for (;;) {
		size_t len = strcspn(p, ":");
		char *dir = sbx_xstrndup(p, len);
		char *real = realpath(dir[0] ? dir : ".", NULL);
		struct stat st;

		/* Only directories that exist; each real directory once. */
		if (real && stat(real, &st) == 0 && S_ISDIR(st.st_mode) &&
		    !sbx_hostrt_map_get(&ctx.granted, real)) {
			hostrt_grant(&ctx, real, ACCESS_RX, SBX_HOSTRT_WHY_PATH_DIR);
			dirs = sbx_xreallocarray(dirs, n_dirs + 1, sizeof(*dirs));
			memset(&dirs[n_dirs], 0, sizeof(*dirs));
			hostrt_scan_dir(&ctx, &dirs[n_dirs++], dir);
		}
		free(real);
		free(dir);
		if (!p[len])
			break;
		p += len + 1;
	}
	/* Replay each entry in order, as soon as it has been read. Entries
	 * that are not executable files we can read are not worth a probe. */
	for (i = 0; i < n_dirs; i++) {
		for (k = 0; k < dirs[i].n; k++) {
			struct sbx_hostrt_ra_item *it = &dirs[i].items[k];

			sbx_hostrt_ra_wait(rp->probes.ra, it);
			if (it->stat_ok && (!S_ISREG(it->st.st_mode) || (it->st.st_mode & 0111)))
				hostrt_exec(&ctx, it->path, 0);
		}
	}
	sbx_hostrt_ra_stop(rp->probes.ra);
	rp->probes.ra = NULL;
	for (i = 0; i < n_dirs; i++) {
		free(dirs[i].names); /* the names are in the arena */
		free(dirs[i].items);
		if (dirs[i].d)
			closedir(dirs[i].d);
	}
	free(dirs);
	hostrt_fini(&ctx);
	return 0;
}

int sbx_hostrt_resolve_files(const char *const *files, size_t n_files, const char *ld_library_path,
			     struct sbx_hostrt *out, struct sbx_error *err)
{
	struct hostrt_ctx ctx;
	size_t i;

	if (hostrt_init(&ctx, ld_library_path, out, err) < 0)
		return -1;
	for (i = 0; i < n_files; i++)
		hostrt_exec(&ctx, files[i], 0);
	hostrt_fini(&ctx);
	return 0;
}

void sbx_hostrt_free(struct sbx_hostrt *rt)
{
	size_t i;

	if (!rt)
		return;
	for (i = 0; i < rt->len; i++)
		free(rt->entries[i].path);
	free(rt->entries);
	rt->entries = NULL;
	rt->len = 0;
}
