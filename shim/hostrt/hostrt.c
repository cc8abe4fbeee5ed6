/* SPDX-License-Identifier: Apache-2.0 */
/* The host-runtime resolver: walks $PATH and, for each ELF executable,
 * replays glibc 2.36 ld.so's loading of its DT_NEEDED closure (search
 * order, DSTs, hwcaps subdirectories, first-loader-wins) over files read
 * with elfread.c (most of them ahead of time, on the threads of
 * hostrt_readahead.c) and a cache read with ldcache.c. It opens and reads
 * files; it must never fork, exec, map or write anything. */
#include "hostrt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfread.h"
#include "hostrt_arena.h"
#include "hostrt_file.h"
#include "hostrt_host.h"
#include "hostrt_map.h"
#include "hostrt_readahead.h"
#include "engine/landlock_abi.h"
#include "ldcache.h"
#include "engine/util.h"

#define ACCESS_RX (SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR | SBX_LL_FS_EXECUTE)
#define ACCESS_R  (SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR)

/* Bounds against hostile inputs (real closures are below 200 objects). */
#define HOSTRT_MAX_OBJECTS	4096 /* objects loaded for one executable */
#define HOSTRT_MAX_SCRIPT_DEPTH 4    /* #! interpreters of #! interpreters */

/* The outcome of opening one path, memoized. */
struct hostrt_probe {
	const char *path; /* the map's key */
	int open_errno;	  /* 0 when opened */
	struct hostrt_file *file;
	/* sim_hash(path), computed by the first replay loading it. */
	bool path_hashed;
	uint32_t path_hash;
};

struct hostrt_ctx {
	struct sbx_elf_lib elf;
	struct sbx_hostrt_host host;
	struct sbx_ldcache cache;
	bool have_cache;
	const char *ld_library_path;
	struct sbx_hostrt_map probes;	 /* path -> struct hostrt_probe */
	struct sbx_hostrt_map files;	 /* "dev:ino" -> struct hostrt_file */
	struct sbx_hostrt_map dirs;	 /* directory -> DIR_YES / DIR_NO */
	struct sbx_hostrt_map subdirs;	 /* search dir -> struct hostrt_subdirs */
	struct sbx_hostrt_map real_dirs; /* directory -> its realpath ("" if none) */
	struct sbx_hostrt_map granted;	 /* path -> entry index + 1 */
	/* name -> struct hostrt_found: the outcome of the cache and default
	 * directory stages, which depend on nothing but the name. */
	struct sbx_hostrt_map system_found;
	/* Closures already granted, by what alone decides them (see
	 * hostrt_closure_key): many executables need the same libraries. */
	struct sbx_hostrt_map closures;
	/* Probes, memo entries and $PATH entry names: thousands of small
	 * objects that live as long as the resolution, freed at once. */
	struct sbx_hostrt_arena arena;
	/* The replay's object and queue arrays, kept from one executable to
	 * the next (struct sim_obj *, size_t *; sim_cap elements each). */
	void *sim_objs;
	size_t *sim_queue;
	size_t sim_cap;
	/* Reads $PATH files and libraries ahead of the replay, or NULL. */
	struct sbx_hostrt_ra *ra;
	struct sbx_hostrt *out;
	size_t cap;
	struct sbx_error *err;
};

struct hostrt_found {
	int verdict; /* enum verdict */
	struct hostrt_probe *probe;
};

#define DIR_YES ((void *)1)
#define DIR_NO	((void *)2)

/* The probe of a path the read-ahead has read, made as hostrt_probe()
 * would make it; NULL when the path must be looked up here after all (not
 * stat'ed, or a regular file no one could read). Files are registered in
 * the replay's order, whatever thread read them first. */
static struct hostrt_probe *hostrt_adopt(struct hostrt_ctx *ctx, struct sbx_hostrt_ra_item *it)
{
	struct hostrt_file *known, *file = NULL;
	struct hostrt_probe *p;
	char id[HOSTRT_FILE_ID_SIZE];

	if (!it->stat_ok)
		return NULL;
	sbx_hostrt_file_id(id, (uint64_t)it->st.st_dev, (uint64_t)it->st.st_ino);
	known = sbx_hostrt_map_get(&ctx->files, id);
	if (!known) {
		struct sbx_hostrt_ra_item *reader = it->same_as ? it->same_as : it;

		if (reader != it)
			sbx_hostrt_ra_wait(ctx->ra, reader);
		if (reader->file) {
			file = reader->file;
			reader->file = NULL;
			/* A readlink done ahead was of the reader's path. */
			if (reader != it) {
				file->link = LINK_UNKNOWN;
				free(file->link_target);
				file->link_target = NULL;
			}
		} else if (S_ISREG(it->st.st_mode)) {
			return NULL;
		} else { /* a directory, a FIFO…: known, never opened */
			file = sbx_xcalloc(1, sizeof(*file));
			file->mode = it->st.st_mode;
		}
	}
	p = sbx_hostrt_arena_zalloc(&ctx->arena, sizeof(*p));
	p->path = sbx_hostrt_map_put(&ctx->probes, it->path, p);
	if (known) {
		p->file = known->unreadable ? NULL : known;
		p->open_errno = known->unreadable ? EACCES : 0;
		return p;
	}
	file->first_path = p->path;
	sbx_hostrt_map_put(&ctx->files, id, file);
	p->file = file;
	return p;
}

/* Looks a path up once and classifies what is behind it: stat first, so a
 * file already known under another name, or anything but a regular file
 * (a FIFO named like a library must not hang us; ld.so would hang on it),
 * is never opened. What the read-ahead has read is taken from it. */
static struct hostrt_probe *hostrt_probe(struct hostrt_ctx *ctx, const char *path)
{
	struct hostrt_probe *p = sbx_hostrt_map_get(&ctx->probes, path);
	struct sbx_hostrt_ra_item *ahead;
	const char *key;
	char id[HOSTRT_FILE_ID_SIZE];
	struct stat st;
	int fd, r;

	if (p)
		return p;
	if (ctx->ra && (ahead = sbx_hostrt_ra_find(ctx->ra, path))) {
		sbx_hostrt_ra_wait(ctx->ra, ahead);
		if ((p = hostrt_adopt(ctx, ahead)))
			return p;
	}
	p = sbx_hostrt_arena_zalloc(&ctx->arena, sizeof(*p));
	key = sbx_hostrt_map_put(&ctx->probes, path, p);
	p->path = key;
	r = stat(path, &st);
	if (r < 0) {
		p->open_errno = errno ? errno : ENOENT;
		return p;
	}
	sbx_hostrt_file_id(id, (uint64_t)st.st_dev, (uint64_t)st.st_ino);
	p->file = sbx_hostrt_map_get(&ctx->files, id);
	if (p->file && p->file->unreadable) {
		p->open_errno = EACCES;
		p->file = NULL;
	}
	if (p->file || p->open_errno)
		return p;
	if (!S_ISREG(st.st_mode)) {
		p->file = sbx_xcalloc(1, sizeof(*p->file));
		p->file->mode = st.st_mode;
	} else if ((fd = open(path, HOSTRT_OPEN_FLAGS)) < 0) {
		p->open_errno = errno ? errno : EACCES;
		p->file = sbx_xcalloc(1, sizeof(*p->file));
		p->file->unreadable = true; /* as if absent, under every name */
	} else {
		/* Sizes come from the stat: a file swapped or truncated since
		 * only gives short reads, which classify it as unusable. */
		p->file = sbx_hostrt_file_read(&ctx->elf, fd, (uint64_t)st.st_size, st.st_mode);
		close(fd);
	}
	p->file->first_path = key;
	sbx_hostrt_map_put(&ctx->files, id, p->file);
	if (p->file->unreadable)
		p->file = NULL;
	return p;
}

/* realpath() with the directories memoized: one readlink per file instead
 * of one per path component (the libraries share a handful of dirs). The
 * readlink of path itself may have been done already (f, at depth 0). */
static char *hostrt_realpath(struct hostrt_ctx *ctx, const char *path, int depth,
			     const struct hostrt_file *f)
{
	char *abs = NULL, *dir, *rdir, *cand, target[PATH_MAX];
	const char *base;
	ssize_t n;

	if (depth > 40 || sbx_path_absolute(path, &abs, NULL) < 0)
		return realpath(path, NULL);
	base = strrchr(abs, '/') + 1;
	if (!base[0] || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		free(abs);
		return realpath(path, NULL);
	}
	dir = sbx_path_dirname(abs);
	rdir = sbx_hostrt_map_get(&ctx->real_dirs, dir);
	if (!rdir) {
		char *r = realpath(dir, NULL);

		sbx_hostrt_map_put(&ctx->real_dirs, dir, r ? r : sbx_xstrdup(""));
		rdir = sbx_hostrt_map_get(&ctx->real_dirs, dir);
	}
	free(dir);
	if (!rdir[0]) {
		free(abs);
		return NULL;
	}
	cand = sbx_path_join(rdir, base);
	free(abs);
	if (f && f->link == LINK_NO)
		return cand;
	if (f && f->link == LINK_YES && f->target_plain) {
		free(cand);
		return sbx_path_join(rdir, f->link_target);
	}
	if (f && f->link == LINK_YES) {
		n = (ssize_t)strlen(f->link_target);
		memcpy(target, f->link_target, (size_t)n);
	} else {
		n = readlink(cand, target, sizeof(target) - 1);
	}
	if (n < 0) {
		if (errno == EINVAL)
			return cand; /* not a symlink: done */
		free(cand);
		return NULL;
	}
	target[n] = '\0';
	free(cand);
	if (target[0] == '/')
		return hostrt_realpath(ctx, target, depth + 1, NULL);
	cand = sbx_path_join(rdir, target);
	abs = hostrt_realpath(ctx, cand, depth + 1, NULL);
	free(cand);
	return abs;
}

static const char *hostrt_real(struct hostrt_ctx *ctx, struct hostrt_file *f)
{
	if (!f->real_done) {
		f->real = hostrt_realpath(ctx, f->first_path, 0, f);
		f->real_done = true;
	}
	return f->real;
}

static bool hostrt_dir_exists(struct hostrt_ctx *ctx, const char *dir)
{
	void *v = sbx_hostrt_map_get(&ctx->dirs, dir);
	struct stat st;

	if (!v) {
		v = stat(dir[0] ? dir : ".", &st) == 0 && S_ISDIR(st.st_mode) ? DIR_YES : DIR_NO;
		sbx_hostrt_map_put(&ctx->dirs, dir, v);
	}
	return v == DIR_YES;
}

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
	hostrt_grant(ctx, hostrt_real(ctx, f), access, why);
	f->granted = true;
}

/* ---- Replaying ld.so for one executable ---- */

enum verdict {
	V_ABSENT, /* cannot be opened: keep searching */
	V_SKIP,	  /* wrong class or machine: keep searching (found_other_class) */
	V_FATAL,  /* ld.so would stop with "error while loading shared libraries" */
	V_OK,
};

/* open_verify() and the checks of _dl_map_object_from_fd(), glibc 2.36. */
static enum verdict hostrt_verdict(const struct hostrt_ctx *ctx, const struct hostrt_probe *p)
{
	const struct sbx_elf_info *i;

	if (p->open_errno || !p->file)
		return V_ABSENT;
	if (!p->file->is_reg)
		return V_FATAL; /* a directory: "cannot read file data" */
	i = &p->file->info;
	if (i->status == SBX_ELF_NOT_ELF)
		return V_FATAL; /* "invalid ELF header" */
	if (i->ei_class != ctx->host.ei_class && i->why != NULL &&
	    strcmp(i->why, "file too short") == 0)
		return V_FATAL;
	if (i->ei_class != ctx->host.ei_class)
		return V_SKIP;
	if (i->status != SBX_ELF_OK)
		return V_FATAL;
	if (i->ei_data != ELFDATA2LSB || i->e_version != EV_CURRENT)
		return V_FATAL;
	if (i->ei_osabi != ELFOSABI_SYSV && i->ei_osabi != ELFOSABI_GNU)
		return V_FATAL;
	/* LIBC_ABI_MAX is 4 in glibc 2.36 (unique, ifunc, absolute). */
	if (i->ei_abiversion != 0 && !(i->ei_osabi == ELFOSABI_GNU && i->ei_abiversion < 4))
		return V_FATAL;
	if (!i->ident_pad_zero)
		return V_FATAL;
	if (i->e_machine != ctx->host.e_machine)
		return V_SKIP;
	if (i->e_type != ET_DYN)
		return V_FATAL; /* ET_EXEC: "cannot dynamically load executable" */
	if (!i->has_dynamic)
		return V_FATAL; /* "object file has no dynamic section" */
	if (i->flags_1 & DF_1_PIE)
		return V_FATAL; /* "cannot dynamically load position-independent executable" */
	return V_OK;
}

struct sim_obj {
	struct hostrt_file *file;
	const char *path; /* l_name: the path it was found at */
	char *origin;	  /* $ORIGIN, computed on demand */
	size_t loader;	  /* index of the object that loaded it, or NO_OBJ */
	/* The DT_NEEDED names it answered (l_libname): strings owned by the
	 * files' sbx_elf_info, which outlive the replay. Most objects answer
	 * one name: it is kept here, the others in names[] and name_hashes[]
	 * (index i - 1), saving two allocations per object and executable. */
	const char *name0;
	uint32_t hash0;
	const char **names;
	/* Its DT_RPATH or DT_RUNPATH (elfread keeps at most one), split and
	 * expanded once: every name it needs is searched there. */
	char **search_dirs;
	size_t n_search_dirs;
	bool search_split;
	uint32_t *name_hashes;
	size_t n_names;
	uint32_t path_hash, soname_hash;
	bool queued;
};

/* Compared before the strings: a replay checks every DT_NEEDED name
 * against every object loaded so far. */
static uint32_t sim_hash(const char *str)
{
	uint32_t h = 2166136261u;

	for (; *str; str++)
		h = (h ^ (unsigned char)*str) * 16777619u;
	return h;
}

#define NO_OBJ ((size_t)-1)

struct sim {
	struct hostrt_ctx *ctx;
	struct sim_obj *objs;
	size_t n, cap;
	size_t *queue;
	size_t n_queue;
	char **llp_dirs; /* LD_LIBRARY_PATH, expanded for this executable */
	size_t n_llp_dirs;
	bool llp_done;
	bool fatal;
};

static const char *sim_origin(struct sim *s, size_t idx)
{
	struct sim_obj *o = &s->objs[idx];

	if (!o->origin) {
		/* The main program's origin is where the kernel found it
		 * (/proc/self/exe: symlinks resolved); a library's is the
		 * directory it was found in, as written. */
		char *abs = NULL;

		if (idx == 0) {
			const char *real = hostrt_real(s->ctx, o->file);

			abs = real ? sbx_xstrdup(real) : NULL;
		} else if (sbx_path_absolute(o->path, &abs, NULL) < 0) {
			abs = NULL;
		}
		o->origin = abs ? sbx_path_dirname(abs) : sbx_xstrdup("");
		free(abs);
	}
	return o->origin;
}

/* Length of a DST named ref at s ("NAME" or "{NAME}"), as glibc's is_dst(). */
static size_t dst_len(const char *s, const char *ref)
{
	size_t len = strlen(ref);
	bool curly = s[0] == '{';
	const char *p = curly ? s + 1 : s;

	if (strncmp(p, ref, len) != 0)
		return 0;
	if (curly)
		return p[len] == '}' ? len + 2 : 0;
	if ((p[len] >= 'a' && p[len] <= 'z') || (p[len] >= 'A' && p[len] <= 'Z') ||
	    (p[len] >= '0' && p[len] <= '9') || p[len] == '_')
		return 0;
	return len;
}

/* Expands $ORIGIN, $LIB and $PLATFORM for object idx; NULL when the
 * element must be dropped (as ld.so drops it). */
static char *sim_expand(struct sim *s, size_t idx, const char *in)
{
	struct sbx_buf b = {0};
	const char *p;

	for (p = in; *p; p++) {
		size_t len;

		if (*p != '$') {
			sbx_buf_putc(&b, *p);
			continue;
		}
		if ((len = dst_len(p + 1, "ORIGIN"))) {
			sbx_buf_puts(&b, sim_origin(s, idx));
		} else if ((len = dst_len(p + 1, "PLATFORM"))) {
			if (!s->ctx->host.platform)
				goto drop;
			sbx_buf_puts(&b, s->ctx->host.platform);
		} else if ((len = dst_len(p + 1, "LIB"))) {
			sbx_buf_puts(&b, s->ctx->host.lib);
		} else {
			sbx_buf_putc(&b, '$');
			continue;
		}
		p += len;
	}
	return sbx_buf_steal(&b);
drop:
	sbx_buf_free(&b);
	return NULL;
}

/* Splits a search path like fillin_rpath(): empty elements mean the
 * current directory, trailing slashes are normalized to one, duplicates
 * within the list are dropped. */
static void sim_split(struct sim *s, size_t idx, const char *path, const char *seps, char ***dirs,
		      size_t *n_dirs)
{
	const char *p = path;

	*dirs = NULL;
	*n_dirs = 0;
	for (;;) {
		size_t len = strcspn(p, seps), i;
		char *elem = sbx_xstrndup(p, len), *dir;

		if (len == 0) {
			dir = elem;
		} else {
			dir = sim_expand(s, idx, elem);
			free(elem);
			if (dir && !dir[0]) {
				free(dir);
				dir = NULL;
			}
			if (dir) {
				size_t dl = strlen(dir);

				while (dl > 1 && dir[dl - 1] == '/')
					dir[--dl] = '\0';
				if (dir[dl - 1] != '/') {
					char *t = sbx_xasprintf("%s/", dir);

					free(dir);
					dir = t;
				}
			}
		}
		for (i = 0; dir && i < *n_dirs; i++) {
			if (strcmp((*dirs)[i], dir) == 0) {
				free(dir);
				dir = NULL;
			}
		}
		if (dir) {
			*dirs = sbx_xreallocarray(*dirs, *n_dirs + 1, sizeof(**dirs));
			(*dirs)[(*n_dirs)++] = dir;
		}
		if (!p[len])
			break;
		p += len + 1;
	}
}

static void free_dirs(char **dirs, size_t n)
{
	while (n)
		free(dirs[--n]);
	free(dirs);
}

/* open_path(): every directory, every hwcaps subdirectory that exists. */
/* The hwcaps subdirectories of one search directory that exist (the
 * directory itself last), computed once per directory. */
struct hostrt_subdirs {
	char **paths;
	size_t n;
};

static void hostrt_subdirs_free(void *p)
{
	struct hostrt_subdirs *sd = p;

	while (sd->n)
		free(sd->paths[--sd->n]);
	free(sd->paths);
	free(sd);
}

static const struct hostrt_subdirs *hostrt_subdirs(struct hostrt_ctx *ctx, const char *dir)
{
	struct hostrt_subdirs *sd = sbx_hostrt_map_get(&ctx->subdirs, dir);
	size_t k;

	if (sd)
		return sd;
	sd = sbx_xcalloc(1, sizeof(*sd));
	sd->paths = sbx_xcalloc(ctx->host.n_subdirs, sizeof(*sd->paths));
	for (k = 0; k < ctx->host.n_subdirs; k++) {
		char *sub = sbx_xasprintf("%s%s", dir, ctx->host.subdirs[k]);

		if (hostrt_dir_exists(ctx, sub))
			sd->paths[sd->n++] = sub;
		else
			free(sub);
	}
	sbx_hostrt_map_put(&ctx->subdirs, dir, sd);
	return sd;
}

static enum verdict sim_open_path(struct sim *s, char *const *dirs, size_t n_dirs, const char *name,
				  struct hostrt_probe **found)
{
	struct hostrt_ctx *ctx = s->ctx;
	size_t d, k, name_len = strlen(name);
	char cand[2 * PATH_MAX];

	for (d = 0; d < n_dirs; d++) {
		const struct hostrt_subdirs *sd = hostrt_subdirs(ctx, dirs[d]);

		for (k = 0; k < sd->n; k++) {
			size_t len = strlen(sd->paths[k]);
			struct hostrt_probe *p;
			enum verdict v;

			if (len + name_len >= sizeof(cand))
				continue; /* longer than any path the kernel opens */
			memcpy(cand, sd->paths[k], len);
			memcpy(cand + len, name, name_len + 1);
			p = hostrt_probe(ctx, cand);
			v = hostrt_verdict(ctx, p);
			if (v == V_OK || v == V_FATAL) {
				*found = p;
				return v;
			}
		}
	}
	return V_ABSENT;
}

static enum verdict sim_open_rpath(struct sim *s, size_t idx, const char *path, const char *name,
				   struct hostrt_probe **found)
{
	struct sim_obj *o = &s->objs[idx];

	if (!o->search_split) {
		sim_split(s, idx, path, ":", &o->search_dirs, &o->n_search_dirs);
		o->search_split = true;
	}
	return sim_open_path(s, o->search_dirs, o->n_search_dirs, name, found);
}

static bool in_system_dir(const struct hostrt_ctx *ctx, const char *path)
{
	size_t i;

	for (i = 0; i < ctx->host.n_system_dirs; i++) {
		const char *d = ctx->host.system_dirs[i];

		if (strncmp(path, d, strlen(d)) == 0)
			return true;
	}
	return false;
}

/* The ld.so.cache, then the default directories (unless the loader has
 * DF_1_NODEFLIB). Memoized: the answer depends only on the name. */
static enum verdict sim_search_system(struct sim *s, const char *name, bool nodeflib,
				      struct hostrt_probe **found)
{
	struct hostrt_ctx *ctx = s->ctx;
	char key[PATH_MAX + 4];
	size_t name_len = strlen(name);
	struct hostrt_found *memo;
	struct hostrt_probe *p = NULL;
	enum verdict v = V_ABSENT;

	if (name_len >= sizeof(key) - 1)
		name_len = sizeof(key) - 2; /* longer than any name the kernel opens */
	key[0] = nodeflib ? 'N' : 'D';
	memcpy(key + 1, name, name_len);
	key[name_len + 1] = '\0';
	memo = sbx_hostrt_map_get(&ctx->system_found, key);
	if (memo) {
		*found = memo->probe;
		return (enum verdict)memo->verdict;
	}
	if (ctx->have_cache) {
		const char *cached = sbx_ldcache_lookup(&ctx->cache, name, &ctx->host.query);

		if (cached && !(nodeflib && in_system_dir(ctx, cached))) {
			p = hostrt_probe(ctx, cached);
			v = hostrt_verdict(ctx, p);
			if (v != V_OK && v != V_FATAL) {
				v = V_ABSENT;
				p = NULL;
			}
		}
	}
	if (v == V_ABSENT && !nodeflib)
		v = sim_open_path(s, (char *const *)ctx->host.system_dirs, ctx->host.n_system_dirs,
				  name, &p);
	memo = sbx_hostrt_arena_zalloc(&ctx->arena, sizeof(*memo));
	memo->verdict = v;
	memo->probe = v == V_ABSENT ? NULL : p;
	sbx_hostrt_map_put(&ctx->system_found, key, memo);
	*found = memo->probe;
	return v;
}

/* _dl_map_object()'s search for a name without '/', needed by object idx. */
static enum verdict sim_search(struct sim *s, size_t idx, const char *name,
			       struct hostrt_probe **found)
{
	struct hostrt_ctx *ctx = s->ctx;
	const struct sbx_elf_info *li = &s->objs[idx].file->info;
	bool nodeflib = (li->flags_1 & DF_1_NODEFLIB) != 0;
	bool did_main = false;
	enum verdict v;
	size_t l;

	/* DT_RPATH of the loader, its loader, … up to the main program —
	 * unless the loader itself has DT_RUNPATH. */
	if (!li->runpath) {
		for (l = idx; l != NO_OBJ; l = s->objs[l].loader) {
			if (l == 0)
				did_main = true;
			if (s->objs[l].file->info.rpath &&
			    (v = sim_open_rpath(s, l, s->objs[l].file->info.rpath, name, found)) !=
				V_ABSENT)
				return v;
		}
		if (!did_main && s->objs[0].file->info.rpath &&
		    (v = sim_open_rpath(s, 0, s->objs[0].file->info.rpath, name, found)) !=
			V_ABSENT)
			return v;
	}
	if (ctx->ld_library_path) {
		if (!s->llp_done) {
			sim_split(s, 0, ctx->ld_library_path, ":;", &s->llp_dirs, &s->n_llp_dirs);
			s->llp_done = true;
		}
		if ((v = sim_open_path(s, s->llp_dirs, s->n_llp_dirs, name, found)) != V_ABSENT)
			return v;
	}
	if (li->runpath && (v = sim_open_rpath(s, idx, li->runpath, name, found)) != V_ABSENT)
		return v;
	return sim_search_system(s, name, nodeflib, found);
}

static bool sim_name_matches(const struct sim_obj *o, const char *name, uint32_t h)
{
	size_t i;

	if (o->path && o->path_hash == h && strcmp(o->path, name) == 0)
		return true;
	if (o->n_names && o->hash0 == h && strcmp(o->name0, name) == 0)
		return true;
	for (i = 1; i < o->n_names; i++)
		if (o->name_hashes[i - 1] == h && strcmp(o->names[i - 1], name) == 0)
			return true;
	return o->file->info.soname && o->soname_hash == h &&
	       strcmp(o->file->info.soname, name) == 0;
}

/* Adds an object: file loaded by path (whose sim_hash is path_hash), or
 * NULL for ld.so itself. */
static size_t sim_add(struct sim *s, struct hostrt_file *file, const char *path, uint32_t path_hash,
		      size_t loader)
{
	struct sim_obj *o;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->objs = sbx_xreallocarray(s->objs, s->cap, sizeof(*s->objs));
		s->queue = sbx_xreallocarray(s->queue, s->cap, sizeof(*s->queue));
	}
	o = &s->objs[s->n];
	memset(o, 0, sizeof(*o));
	o->file = file;
	o->path = path;
	o->path_hash = path_hash;
	if (!file->soname_hashed) { /* the same libraries load again and again */
		file->soname_hash = file->info.soname ? sim_hash(file->info.soname) : 0;
		file->soname_hashed = true;
	}
	o->soname_hash = file->soname_hash;
	o->loader = loader;
	return s->n++;
}

/* o also answers name (whose sim_hash is h). */
static void sim_alias(struct sim_obj *o, const char *name, uint32_t h)
{
	size_t extra = o->n_names - 1; /* names already in names[] */

	if (!o->n_names) {
		o->hash0 = h;
		o->name0 = name;
		o->n_names = 1;
		return;
	}
	/* Capacity doubles at powers of two. */
	if (!(extra & (extra - 1))) {
		size_t cap = extra ? extra * 2 : 1;

		o->names = sbx_xreallocarray(o->names, cap, sizeof(*o->names));
		o->name_hashes = sbx_xreallocarray(o->name_hashes, cap, sizeof(*o->name_hashes));
	}
	o->name_hashes[extra] = h;
	o->names[extra] = name;
	o->n_names++;
}

static void sim_enqueue(struct sim *s, size_t idx)
{
	if (!s->objs[idx].queued) {
		s->objs[idx].queued = true;
		s->queue[s->n_queue++] = idx;
	}
}

/* One DT_NEEDED entry of object idx, as _dl_map_object() handles it. */
static void sim_need(struct sim *s, size_t idx, const char *needed, uint32_t h)
{
	struct hostrt_probe *p = NULL;
	enum verdict v;
	size_t i;
	char *expanded = NULL;
	const char *name = needed;

	for (i = 0; i < s->n; i++) {
		if (sim_name_matches(&s->objs[i], needed, h)) {
			sim_enqueue(s, i);
			return;
		}
	}
	if (!needed[0])
		return;
	if (strchr(needed, '$') && !(name = expanded = sim_expand(s, idx, needed)))
		return;
	if (strchr(name, '/')) {
		p = hostrt_probe(s->ctx, name);
		v = hostrt_verdict(s->ctx, p);
	} else {
		v = sim_search(s, idx, name, &p);
	}
	free(expanded);
	/* A missing dependency stops the program from starting, as a fatal
	 * candidate does (ld.so --list stops there too; only ldd's
	 * LD_TRACE_LOADED_OBJECTS goes on with "not found"). */
	if (v != V_OK) {
		s->fatal = true;
		return;
	}
	for (i = 0; i < s->n; i++) {
		if (s->objs[i].file == p->file) { /* same file under another name */
			sim_alias(&s->objs[i], needed, h);
			sim_enqueue(s, i);
			return;
		}
	}
	if (s->n >= HOSTRT_MAX_OBJECTS) {
		s->fatal = true;
		return;
	}
	if (!p->path_hashed) {
		p->path_hash = sim_hash(p->path);
		p->path_hashed = true;
	}
	i = sim_add(s, p->file, p->path, p->path_hash, idx);
	sim_alias(&s->objs[i], needed, h);
	sim_enqueue(s, i);
}

static const uint32_t *hostrt_needed_hashes(struct hostrt_file *f)
{
	size_t i;

	if (!f->needed_hashes && f->info.n_needed) {
		f->needed_hashes = sbx_xcalloc(f->info.n_needed, sizeof(*f->needed_hashes));
		for (i = 0; i < f->info.n_needed; i++)
			f->needed_hashes[i] = sim_hash(f->info.needed[i]);
	}
	return f->needed_hashes;
}

static void sim_free(struct sim *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->objs[i].origin);
		free_dirs(s->objs[i].search_dirs, s->objs[i].n_search_dirs);
		free(s->objs[i].names);
		free(s->objs[i].name_hashes);
	}
	/* The arrays go back to the context, for the next executable. */
	s->ctx->sim_objs = s->objs;
	s->ctx->sim_queue = s->queue;
	s->ctx->sim_cap = s->cap;
	free_dirs(s->llp_dirs, s->n_llp_dirs);
}

/* When nothing about the executable itself can steer the search (no
 * DT_RPATH, DT_RUNPATH or DT_SONAME of its own, no $ORIGIN-relative
 * LD_LIBRARY_PATH), its closure is decided by its interpreter, its
 * DT_NEEDED list and DF_1_NODEFLIB alone: returns that as a key, or NULL.
 * The key is built in buf when it fits (it usually does: no allocation for
 * each of a thousand executables), else in memory the caller frees. */
static char *hostrt_closure_key(const struct hostrt_ctx *ctx, const struct hostrt_file *exe,
				char *buf, size_t size)
{
	const struct sbx_elf_info *i = &exe->info;
	const char *interp = i->interp ? i->interp : "";
	size_t k, len = 1 + strlen(interp) + 1, at;
	char *key;

	if (i->rpath || i->runpath || i->soname ||
	    (ctx->ld_library_path && strchr(ctx->ld_library_path, '$')))
		return NULL;
	for (k = 0; k < i->n_needed; k++)
		len += 1 + strlen(i->needed[k]); /* bounded: at most 1024 names */
	key = len <= size ? buf : sbx_xmalloc(len);
	key[0] = i->flags_1 & DF_1_NODEFLIB ? 'N' : 'D';
	at = 1 + strlen(interp);
	memcpy(key + 1, interp, at - 1);
	for (k = 0; k < i->n_needed; k++) {
		size_t n = strlen(i->needed[k]);

		key[at++] = '\n';
		memcpy(key + at, i->needed[k], n);
		at += n;
	}
	key[at] = '\0';
	return key;
}

/* The closure of one ELF executable: its interpreter and every library the
 * loader would map, in the loader's breadth-first order. */
static void hostrt_closure(struct hostrt_ctx *ctx, struct hostrt_file *exe)
{
	struct sim s = {
	    .ctx = ctx, .objs = ctx->sim_objs, .queue = ctx->sim_queue, .cap = ctx->sim_cap};
	struct hostrt_probe *interp = NULL;
	char key_buf[1024];
	char *key = hostrt_closure_key(ctx, exe, key_buf, sizeof(key_buf));
	size_t q, i;

	if (key) {
		bool seen = sbx_hostrt_map_get(&ctx->closures, key) != NULL;

		if (!seen)
			sbx_hostrt_map_put(&ctx->closures, key, DIR_YES);
		if (key != key_buf)
			free(key);
		if (seen)
			return; /* granted already, or known not to start */
	}
	sim_add(&s, exe, exe->first_path, sim_hash(exe->first_path), NO_OBJ);
	if (exe->info.interp) {
		interp = hostrt_probe(ctx, exe->info.interp);
		if (interp->open_errno || !interp->file || !interp->file->is_reg)
			goto out; /* the kernel would refuse to start it */
		/* ld.so itself is loaded, known by PT_INTERP and its soname. */
		if (interp->file != exe) {
			i = sim_add(&s, interp->file, NULL, 0, NO_OBJ);
			sim_alias(&s.objs[i], exe->info.interp, sim_hash(exe->info.interp));
		}
	}
	sim_enqueue(&s, 0);
	for (q = 0; q < s.n_queue && !s.fatal; q++) {
		size_t idx = s.queue[q];
		const struct sbx_elf_info *info = &s.objs[idx].file->info;
		const uint32_t *hashes = hostrt_needed_hashes(s.objs[idx].file);

		for (i = 0; i < info->n_needed && !s.fatal; i++)
			sim_need(&s, idx, info->needed[i], hashes[i]);
	}
	if (s.fatal)
		goto out; /* the program would not start: nothing to grant */
	if (interp)
		hostrt_grant_file(ctx, interp->file, ACCESS_RX, SBX_HOSTRT_WHY_INTERP);
	for (i = 1; i < s.n; i++) {
		if (interp && s.objs[i].file == interp->file)
			continue;
		hostrt_grant_file(ctx, s.objs[i].file, ACCESS_RX, SBX_HOSTRT_WHY_LIBRARY);
	}
out:
	sim_free(&s);
}

/* An executable found in $PATH (or given): ELF, or #! script. */
static void hostrt_exec(struct hostrt_ctx *ctx, const char *path, int depth)
{
	struct hostrt_probe *p = hostrt_probe(ctx, path);
	struct hostrt_file *f = p->file;

	if (p->open_errno || !f || !f->is_reg || !(f->mode & 0111) || f->visited)
		return;
	f->visited = true;
	if (f->info.status == SBX_ELF_NOT_ELF) {
		struct hostrt_probe *ip;

		if (!f->shebang || f->shebang[0] != '/' || depth >= HOSTRT_MAX_SCRIPT_DEPTH)
			return;
		ip = hostrt_probe(ctx, f->shebang);
		if (ip->open_errno || !ip->file || !ip->file->is_reg)
			return;
		hostrt_grant_file(ctx, ip->file, ACCESS_RX, SBX_HOSTRT_WHY_INTERP);
		hostrt_exec(ctx, f->shebang, depth + 1);
		return;
	}
	if (f->info.status != SBX_ELF_OK || f->info.ei_class != ctx->host.ei_class ||
	    f->info.e_machine != ctx->host.e_machine ||
	    (f->info.e_type != ET_EXEC && f->info.e_type != ET_DYN))
		return;
	hostrt_closure(ctx, f);
}

static int hostrt_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1); /* past the type */
}

static int hostrt_init(struct hostrt_ctx *ctx, const char *ld_library_path, struct sbx_hostrt *out,
		       struct sbx_error *err)
{
	char *data = NULL;
	size_t len = 0;
	struct sbx_error ignored;

	memset(ctx, 0, sizeof(*ctx));
	memset(out, 0, sizeof(*out));
	ctx->out = out;
	ctx->err = err;
	/* ld.so ignores an empty LD_LIBRARY_PATH (it does not mean "."). */
	ctx->ld_library_path = ld_library_path && ld_library_path[0] ? ld_library_path : NULL;
	/* The caller names the setting (it may come from a flag, a variable
	 * or a config file). */
	if (sbx_elf_lib_open(&ctx->elf, err) < 0)
		return -1;
	sbx_hostrt_host_init(&ctx->host);
	/* No cache, or an unreadable one, is what ld.so copes with too. */
	if (sbx_read_file(SBX_LDCACHE_PATH, SBX_LDCACHE_MAX_SIZE, &data, &len, &ignored) == 0) {
		ctx->have_cache = sbx_ldcache_parse(data, len, &ctx->cache, &ignored) == 0;
		free(data);
		if (ctx->have_cache) {
			char *real = realpath(SBX_LDCACHE_PATH, NULL);

			hostrt_grant(ctx, real, ACCESS_R, SBX_HOSTRT_WHY_LDCACHE);
			free(real);
		}
	}
	return 0;
}

static void hostrt_fini(struct hostrt_ctx *ctx)
{
	sbx_hostrt_map_free(&ctx->probes, NULL); /* the probes are in the arena */
	sbx_hostrt_map_free(&ctx->files, sbx_hostrt_file_free);
	sbx_hostrt_map_free(&ctx->dirs, NULL);
	sbx_hostrt_map_free(&ctx->subdirs, hostrt_subdirs_free);
	sbx_hostrt_map_free(&ctx->real_dirs, free);
	sbx_hostrt_map_free(&ctx->granted, NULL);
	sbx_hostrt_map_free(&ctx->system_found, NULL); /* in the arena */
	sbx_hostrt_map_free(&ctx->closures, NULL);
	free(ctx->sim_objs);
	free(ctx->sim_queue);
	sbx_hostrt_arena_free(&ctx->arena);
	sbx_ldcache_free(&ctx->cache);
	sbx_hostrt_host_free(&ctx->host);
	sbx_elf_lib_close(&ctx->elf);
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

	hostrt_list_dir(&ctx->arena, hd, dir);
	if (!hd->n)
		return;
	hd->items = sbx_xcalloc(hd->n, sizeof(*hd->items));
	for (k = 0; k < hd->n; k++) {
		struct sbx_hostrt_ra_item *it = &hd->items[k];

		it->path = dir[0] ? sbx_hostrt_arena_join(&ctx->arena, dir, hd->names[k] + 1)
				  : hd->names[k] + 1;
		it->dirfd = dirfd(hd->d);
		it->name = hd->names[k] + 1;
		it->open_first = hd->names[k][0] == DT_REG + 1;
		it->need_exec = true;
	}
	sbx_hostrt_ra_add(ctx->ra, hd->items, hd->n);
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
	const char *p = path_env ? path_env : "";
	struct hostrt_dir *dirs = NULL;
	size_t n_dirs = 0, i, k;

	if (hostrt_init(&ctx, ld_library_path, out, err) < 0)
		return -1;
	ctx.ra = sbx_hostrt_ra_start(&ctx.elf, ctx.have_cache ? &ctx.cache : NULL, &ctx.host.query,
				     threads > 0 ? (size_t)threads : 0);
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

			sbx_hostrt_ra_wait(ctx.ra, it);
			if (it->stat_ok && (!S_ISREG(it->st.st_mode) || (it->st.st_mode & 0111)))
				hostrt_exec(&ctx, it->path, 0);
		}
	}
	sbx_hostrt_ra_stop(ctx.ra);
	ctx.ra = NULL;
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
