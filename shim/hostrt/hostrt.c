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
#include "hostrt_linkdir.h"
#include "hostrt_map.h"
#include "hostrt_probe.h"
#include "hostrt_readahead.h"
#include "hostrt_replay.h"
#include "hostrt_writable.h"
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
	/* Trees the policy makes writable, or NULL: nothing reached through
	 * them is granted (docs/host-runtime.md "Writable trees"). */
	struct sbx_hostrt_writable *writable;
	struct sbx_hostrt_map refused; /* real path -> 1 */
	size_t refused_cap;
	/* Directories granted with programs $PATH links to (entries' paths). */
	const char **link_dirs;
	size_t n_link_dirs, link_dirs_cap;
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

/* Records what is not granted, once per real path; named is the path it
 * was found by, what the role it would have had. */
static void hostrt_refuse(struct hostrt_ctx *ctx, const char *real, const char *named,
			  const char *what, const char *reason)
{
	struct sbx_hostrt *out = ctx->out;

	if (!real)
		real = named;
	if (sbx_hostrt_map_get(&ctx->refused, real))
		return;
	sbx_hostrt_map_put(&ctx->refused, real, (void *)1);
	out->refused =
	    sbx_xgrow(out->refused, out->n_refused, &ctx->refused_cap, sizeof(*out->refused));
	out->refused[out->n_refused].real = sbx_xstrdup(real);
	out->refused[out->n_refused].text = sbx_xasprintf("%s (%s): %s", named, what, reason);
	out->n_refused++;
}

/* The writable tree real lies in, or NULL. */
static const char *hostrt_tree_of(const struct hostrt_ctx *ctx, const char *real)
{
	size_t i;

	for (i = 0; real && i < ctx->writable->n; i++) {
		if (sbx_path_in_tree(real, ctx->writable->trees[i]))
			return ctx->writable->trees[i];
	}
	return NULL;
}

/* Why named (whose real path is real, when known) must not be granted
 * because of a writable tree, or NULL. A sandboxed program can write
 * there, so it could have planted the file, or a symlink on the way, that
 * makes this run grant what it chose. lexical: only real is compared,
 * named is not looked up (it is real). last: what is known of named's last
 * component, or NULL. */
static char *hostrt_taint_why(struct hostrt_ctx *ctx, const char *named, const char *real,
			      bool lexical, const struct sbx_hostrt_last *last)
{
	char *via = NULL, *why;
	const char *tree;

	if (!ctx->writable)
		return NULL;
	tree = lexical ? NULL : sbx_hostrt_writable_hit(ctx->writable, named, last, &via);
	if (!tree)
		tree = hostrt_tree_of(ctx, real);
	if (!tree)
		return NULL;
	if ((real && sbx_path_in_tree(real, tree)) || !via)
		why = sbx_xasprintf("it lies in %s, which this policy makes writable", tree);
	else
		why = sbx_xasprintf("it is reached through the symlink %s, in %s, which this "
				    "policy makes writable",
				    via, tree);
	free(via);
	return why;
}

static char *hostrt_tainted(struct hostrt_ctx *ctx, const char *named, const char *real)
{
	return hostrt_taint_why(ctx, named, real, false, NULL);
}

/* hostrt_tainted() for a file found by named, told what a read-ahead
 * thread learnt of its last component (one readlink, often not even
 * that: a library's soname link names a file beside it). */
static char *hostrt_file_tainted(struct hostrt_ctx *ctx, const struct hostrt_file *f,
				 const char *named, const char *real)
{
	struct sbx_hostrt_last last = {f->link == LINK_YES, f->link_target, f->target_plain};

	if (f->link == LINK_UNKNOWN || !f->first_path || strcmp(f->first_path, named) != 0)
		return hostrt_tainted(ctx, named, real);
	return hostrt_taint_why(ctx, named, real, false, &last);
}

/* Grants a file by its real path, at most once: every closure that loads
 * libc would otherwise hash libc's path again. named is the path it was
 * found by. Returns whether it is granted. */
static bool hostrt_grant_file(struct hostrt_ctx *ctx, struct hostrt_file *f, const char *named,
			      uint64_t access, const char *why)
{
	const char *real;
	char *taint;

	if (f->granted)
		return true;
	real = sbx_hostrt_probe_real(&ctx->replay.probes, f);
	if (real && named && (taint = hostrt_file_tainted(ctx, f, named, real))) {
		hostrt_refuse(ctx, real, named, why, taint);
		free(taint);
		return false;
	}
	hostrt_grant(ctx, real, access, why);
	f->granted = true;
	return true;
}

/* What the replay says a program maps: read and execute. */
static void hostrt_grant_loaded(void *arg, struct hostrt_file *f, const char *path, const char *why)
{
	hostrt_grant_file(arg, f, path, ACCESS_RX, why);
}

/* An interpreter that exists but cannot be one (unfit is NULL when it can):
 * the program could never start, and granting the file would hand out
 * whatever the program's author named. */
static bool hostrt_interp_unfit(struct hostrt_ctx *ctx, const char *exe, const char *interp,
				const struct hostrt_probe *ip, const char *unfit, const char *kind)
{
	char *what;

	if (!unfit)
		return false;
	what = sbx_xasprintf("%s of %s", kind, exe);
	hostrt_refuse(ctx, sbx_hostrt_probe_real(&ctx->replay.probes, ip->file), interp, what,
		      unfit);
	free(what);
	return true;
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
		if (ip->open_errno || !ip->file ||
		    hostrt_interp_unfit(ctx, path, f->shebang, ip,
					sbx_hostrt_file_unfit_script_interp(ip->file),
					"#! interpreter") ||
		    !hostrt_grant_file(ctx, ip->file, f->shebang, ACCESS_RX, SBX_HOSTRT_WHY_INTERP))
			return;
		hostrt_exec(ctx, f->shebang, depth + 1);
		return;
	}
	if (f->info.status != SBX_ELF_OK || f->info.ei_class != ctx->replay.host.ei_class ||
	    f->info.e_machine != ctx->replay.host.e_machine ||
	    (f->info.e_type != ET_EXEC && f->info.e_type != ET_DYN))
		return;
	if (f->info.interp) {
		struct hostrt_probe *ip =
		    sbx_hostrt_probe_path(&ctx->replay.probes, f->info.interp);

		if (ip->open_errno || !ip->file ||
		    hostrt_interp_unfit(ctx, path, f->info.interp, ip,
					sbx_hostrt_file_unfit_loader(ip->file,
								     ctx->replay.host.ei_class,
								     ctx->replay.host.e_machine),
					"program interpreter"))
			return;
	}
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
	sbx_hostrt_map_free(&ctx->refused, NULL);
	sbx_hostrt_arena_free(&ctx->names);
	free(ctx->link_dirs);
}

/* A path refused by one way of reaching it and granted by another (a
 * venv's python is /usr/bin's too) is granted: only the refusals left say
 * something. */
static void hostrt_drop_granted_refusals(struct hostrt_ctx *ctx)
{
	struct sbx_hostrt *out = ctx->out;
	size_t i, kept = 0;

	for (i = 0; i < out->n_refused; i++) {
		if (sbx_hostrt_map_get(&ctx->granted, out->refused[i].real)) {
			free(out->refused[i].real);
			free(out->refused[i].text);
			continue;
		}
		out->refused[kept++] = out->refused[i];
	}
	out->n_refused = kept;
}

/* ---- Scanning $PATH ---- */

struct hostrt_dir {
	DIR *d;
	char *real;   /* its real path */
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

/* Whether a $PATH directory may be granted and scanned: not when it lies
 * in, or is reached through, a writable tree (then nothing in it is read:
 * its programs name their interpreters and libraries as whoever wrote
 * them chose). */
static bool hostrt_path_dir_ok(struct hostrt_ctx *ctx, const char *dir, const char *real)
{
	char *taint = hostrt_tainted(ctx, dir, real);

	if (!taint)
		return true;
	hostrt_refuse(ctx, real, dir, SBX_HOSTRT_WHY_PATH_DIR, taint);
	free(taint);
	return false;
}

/* Whether a $PATH entry's contents are not the sandbox's to write: a
 * regular file in a directory already checked needs only its own path
 * compared (a rule may name the file itself); a symlink is followed. */
static bool hostrt_entry_ok(struct hostrt_ctx *ctx, const struct hostrt_dir *hd, size_t k)
{
	const struct sbx_hostrt_ra_item *it = &hd->items[k];
	char *lexical, *taint;

	if (!ctx->writable)
		return true;
	if (hd->names[k][0] == DT_REG + 1) {
		lexical = sbx_xasprintf("%s/%s", hd->real, it->name);
		taint = hostrt_taint_why(ctx, lexical, lexical, true, NULL);
		free(lexical);
	} else {
		/* getdents said symlink: no lstat needed to know it. */
		static const struct sbx_hostrt_last link = {true, NULL, false};

		taint = hostrt_taint_why(ctx, it->path, NULL, false,
					 hd->names[k][0] == DT_LNK + 1 ? &link : NULL);
	}
	if (!taint)
		return true;
	hostrt_refuse(ctx, it->path, it->path, "what a program in $PATH needs", taint);
	free(taint);
	return false;
}

/* Lists each $PATH directory that exists, each real directory once, and
 * grants it. */
static struct hostrt_dir *hostrt_scan_path(struct hostrt_ctx *ctx, const char *p, size_t *n_dirs)
{
	struct hostrt_dir *dirs = NULL;

	for (;;) {
		size_t len = strcspn(p, ":");
		char *dir = sbx_xstrndup(p, len);
		char *real = realpath(dir[0] ? dir : ".", NULL);
		struct stat st;

		if (real && stat(real, &st) == 0 && S_ISDIR(st.st_mode) &&
		    !sbx_hostrt_map_get(&ctx->granted, real) &&
		    hostrt_path_dir_ok(ctx, dir, real)) {
			hostrt_grant(ctx, real, ACCESS_RX, SBX_HOSTRT_WHY_PATH_DIR);
			dirs = sbx_xreallocarray(dirs, *n_dirs + 1, sizeof(*dirs));
			memset(&dirs[*n_dirs], 0, sizeof(*dirs));
			dirs[*n_dirs].real = real;
			real = NULL;
			hostrt_scan_dir(ctx, &dirs[(*n_dirs)++], dir);
		}
		free(real);
		free(dir);
		if (!p[len])
			break;
		p += len + 1;
	}
	return dirs;
}

/* Whether a $PATH entry's file is a program the resolver replays: a
 * host ELF executable or a #! script. */
static bool hostrt_is_program(const struct hostrt_ctx *ctx, const struct hostrt_file *f)
{
	if (!f->is_reg || !(f->mode & 0111))
		return false;
	if (f->info.status == SBX_ELF_NOT_ELF)
		return f->shebang && f->shebang[0] == '/';
	return f->info.status == SBX_ELF_OK && f->info.ei_class == ctx->replay.host.ei_class &&
	       f->info.e_machine == ctx->replay.host.e_machine;
}

/* Grants a directory found beside a linked program, unless a writable
 * tree reaches it; returns whether it is granted. */
static bool hostrt_grant_link_dir(struct hostrt_ctx *ctx, const char *dir, const char *why)
{
	char *taint;

	if (!dir)
		return false;
	taint = hostrt_tainted(ctx, dir, dir);
	if (taint) {
		hostrt_refuse(ctx, dir, dir, why, taint);
		free(taint);
		return false;
	}
	hostrt_grant(ctx, dir, ACCESS_RX, why);
	ctx->link_dirs = sbx_xgrow(ctx->link_dirs, ctx->n_link_dirs, &ctx->link_dirs_cap,
				   sizeof(*ctx->link_dirs));
	ctx->link_dirs[ctx->n_link_dirs++] = ctx->out->entries[ctx->out->len - 1].path;
	return true;
}

/* A $PATH entry that links out of every $PATH directory
 * (/usr/bin/clang -> /usr/lib/llvm-14/bin/clang): the $PATH directory's
 * rule does not cover the program, so it is granted with its directory of
 * programs, or its package's tree, where those are safe to hand out
 * (hostrt_linkdir.h, docs/host-runtime.md "Programs linked from $PATH"),
 * else alone. */
static void hostrt_link_target(struct hostrt_ctx *ctx, const struct hostrt_dir *dirs, size_t n_dirs,
			       const char *path)
{
	struct hostrt_probe *p = sbx_hostrt_probe_path(&ctx->replay.probes, path);
	const char **reals;
	struct sbx_hostrt_linkdirs ld;
	const char *real;
	char *taint;
	size_t i;

	if (p->open_errno || !p->file || p->file->granted || !hostrt_is_program(ctx, p->file))
		return;
	real = sbx_hostrt_probe_real(&ctx->replay.probes, p->file);
	for (i = 0; real && i < n_dirs; i++) {
		if (sbx_path_in_tree(real, dirs[i].real))
			return;
	}
	if (!real)
		return;
	taint = hostrt_tainted(ctx, path, real);
	if (taint) {
		hostrt_refuse(ctx, real, path, SBX_HOSTRT_WHY_LINKED, taint);
		free(taint);
		return;
	}
	reals = sbx_xcalloc(n_dirs + 1, sizeof(*reals));
	for (i = 0; i < n_dirs; i++)
		reals[i] = dirs[i].real;
	sbx_hostrt_link_dirs(real, reals, n_dirs, &ld);
	/* Granted already by an earlier link into the same tree, or now. */
	for (i = 0; i < ctx->n_link_dirs && !p->file->granted; i++)
		p->file->granted = sbx_path_in_tree(real, ctx->link_dirs[i]);
	if (!p->file->granted &&
	    !hostrt_grant_link_dir(ctx, ld.prefix ? ld.prefix : ld.dir, SBX_HOSTRT_WHY_LINKED_DIR))
		hostrt_grant(ctx, real, ACCESS_RX, SBX_HOSTRT_WHY_LINKED);
	p->file->granted = true;
	sbx_hostrt_link_dirs_free(&ld);
	free(reals);
}

static int hostrt_resolve_path(const char *path_env, const char *ld_library_path, int threads,
			       struct sbx_hostrt_writable *writable, struct sbx_hostrt *out,
			       struct sbx_error *err)
{
	struct hostrt_ctx ctx;
	struct sbx_hostrt_replay *rp;
	struct hostrt_dir *dirs;
	size_t n_dirs = 0, i, k;

	if (hostrt_init(&ctx, ld_library_path, out, err) < 0)
		return -1;
	ctx.writable = writable;
	rp = &ctx.replay;
	rp->probes.ra = sbx_hostrt_ra_start(&rp->elf, rp->have_cache ? &rp->cache : NULL,
					    &rp->host.query, threads > 0 ? (size_t)threads : 0);
	dirs = hostrt_scan_path(&ctx, path_env ? path_env : "", &n_dirs);
	/* Replay each entry in order, as soon as it has been read. Entries
	 * that are not executable files we can read are not worth a probe. */
	for (i = 0; i < n_dirs; i++) {
		for (k = 0; k < dirs[i].n; k++) {
			struct sbx_hostrt_ra_item *it = &dirs[i].items[k];

			sbx_hostrt_ra_wait(rp->probes.ra, it);
			if (it->stat_ok && (!S_ISREG(it->st.st_mode) || (it->st.st_mode & 0111)) &&
			    hostrt_entry_ok(&ctx, &dirs[i], k)) {
				hostrt_exec(&ctx, it->path, 0);
				if (dirs[i].names[k][0] != DT_REG + 1)
					hostrt_link_target(&ctx, dirs, n_dirs, it->path);
			}
		}
	}
	sbx_hostrt_ra_stop(rp->probes.ra);
	rp->probes.ra = NULL;
	for (i = 0; i < n_dirs; i++) {
		free(dirs[i].names); /* the names are in the arena */
		free(dirs[i].items);
		free(dirs[i].real);
		if (dirs[i].d)
			closedir(dirs[i].d);
	}
	free(dirs);
	hostrt_drop_granted_refusals(&ctx);
	hostrt_fini(&ctx);
	return 0;
}

int sbx_hostrt_resolve_threads(const char *path_env, const char *ld_library_path, int threads,
			       struct sbx_hostrt *out, struct sbx_error *err)
{
	return hostrt_resolve_path(path_env, ld_library_path, threads, NULL, out, err);
}

int sbx_hostrt_resolve_guarded(const char *path_env, const char *ld_library_path,
			       const char *const *writable, size_t n_writable,
			       struct sbx_hostrt *out, struct sbx_error *err)
{
	struct sbx_hostrt_writable w;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int ret;

	sbx_hostrt_writable_init(&w, writable, n_writable);
	ret = hostrt_resolve_path(path_env, ld_library_path,
				  cpus > 1 ? (int)(cpus < 4 ? cpus : 4) : 0, n_writable ? &w : NULL,
				  out, err);
	sbx_hostrt_writable_fini(&w);
	return ret;
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
	hostrt_drop_granted_refusals(&ctx);
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
	for (i = 0; i < rt->n_refused; i++) {
		free(rt->refused[i].real);
		free(rt->refused[i].text);
	}
	free(rt->refused);
	memset(rt, 0, sizeof(*rt));
}
