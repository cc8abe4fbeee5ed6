/* SPDX-License-Identifier: Apache-2.0 */
/* The replay of glibc 2.36 ld.so's loading of one executable's DT_NEEDED
 * closure (search order, DSTs, hwcaps subdirectories, first-loader-wins)
 * over files looked up with hostrt_probe.c and a cache read with
 * ldcache.c, and the memo tables that make a whole $PATH of replays cheap.
 * What ld.so would load, nothing else; it must never fork, exec, map or
 * write anything. */
#include "hostrt_replay.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostrt.h"
#include "engine/util.h"

/* Bounds against hostile inputs (real closures are below 200 objects). */
#define HOSTRT_MAX_OBJECTS 4096 /* objects loaded for one executable */

struct hostrt_found {
	int verdict; /* enum verdict */
	struct hostrt_probe *probe;
};

#define DIR_YES ((void *)1)
#define DIR_NO	((void *)2)

static bool hostrt_dir_exists(struct sbx_hostrt_replay *ctx, const char *dir)
{
	void *v = sbx_hostrt_map_get(&ctx->dirs, dir);
	struct stat st;

	if (!v) {
		v = stat(dir[0] ? dir : ".", &st) == 0 && S_ISDIR(st.st_mode) ? DIR_YES : DIR_NO;
		sbx_hostrt_map_put(&ctx->dirs, dir, v);
	}
	return v == DIR_YES;
}

enum verdict {
	V_ABSENT, /* cannot be opened: keep searching */
	V_SKIP,	  /* wrong class or machine: keep searching (found_other_class) */
	V_FATAL,  /* ld.so would stop with "error while loading shared libraries" */
	V_OK,
};

/* open_verify() and the checks of _dl_map_object_from_fd(), glibc 2.36. */
static enum verdict hostrt_verdict(const struct sbx_hostrt_replay *ctx,
				   const struct hostrt_probe *p)
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
	struct sbx_hostrt_replay *ctx;
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
			const char *real = sbx_hostrt_probe_real(&s->ctx->probes, o->file);

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

static const struct hostrt_subdirs *hostrt_subdirs(struct sbx_hostrt_replay *ctx, const char *dir)
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
	struct sbx_hostrt_replay *ctx = s->ctx;
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
			p = sbx_hostrt_probe_path(&ctx->probes, cand);
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

static bool in_system_dir(const struct sbx_hostrt_replay *ctx, const char *path)
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
	struct sbx_hostrt_replay *ctx = s->ctx;
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
			p = sbx_hostrt_probe_path(&ctx->probes, cached);
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
	struct sbx_hostrt_replay *ctx = s->ctx;
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
		p = sbx_hostrt_probe_path(&s->ctx->probes, name);
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
static char *hostrt_closure_key(const struct sbx_hostrt_replay *ctx, const struct hostrt_file *exe,
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
void sbx_hostrt_replay_closure(struct sbx_hostrt_replay *ctx, struct hostrt_file *exe,
			       sbx_hostrt_loaded_fn *loaded, void *arg)
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
			return; /* told already, or known not to start */
	}
	sim_add(&s, exe, exe->first_path, sim_hash(exe->first_path), NO_OBJ);
	if (exe->info.interp) {
		interp = sbx_hostrt_probe_path(&ctx->probes, exe->info.interp);
		/* The kernel would refuse to start it, or it names something
		 * no loader is: a program can name any file there. */
		if (interp->open_errno || !interp->file ||
		    sbx_hostrt_file_unfit_loader(interp->file, ctx->host.ei_class,
						 ctx->host.e_machine))
			goto out;
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
		goto out; /* the program would not start: nothing to tell */
	if (interp)
		loaded(arg, interp->file, exe->info.interp, SBX_HOSTRT_WHY_INTERP);
	for (i = 1; i < s.n; i++) {
		if (interp && s.objs[i].file == interp->file)
			continue;
		loaded(arg, s.objs[i].file, s.objs[i].path, SBX_HOSTRT_WHY_LIBRARY);
	}
out:
	sim_free(&s);
}

int sbx_hostrt_replay_init(struct sbx_hostrt_replay *r, const char *ld_library_path,
			   struct sbx_error *err)
{
	char *data = NULL;
	size_t len = 0;
	struct sbx_error ignored;

	memset(r, 0, sizeof(*r));
	/* ld.so ignores an empty LD_LIBRARY_PATH (it does not mean "."). */
	r->ld_library_path = ld_library_path && ld_library_path[0] ? ld_library_path : NULL;
	/* The caller names the setting (it may come from a flag, a variable
	 * or a config file). */
	if (sbx_elf_lib_open(&r->elf, err) < 0)
		return -1;
	sbx_hostrt_probe_init(&r->probes, &r->elf, &r->arena);
	sbx_hostrt_host_init(&r->host);
	if (sbx_read_file(SBX_LDCACHE_PATH, SBX_LDCACHE_MAX_SIZE, &data, &len, &ignored) == 0) {
		r->have_cache = sbx_ldcache_parse(data, len, &r->cache, &ignored) == 0;
		free(data);
	}
	return 0;
}

void sbx_hostrt_replay_fini(struct sbx_hostrt_replay *r)
{
	sbx_hostrt_probe_fini(&r->probes);
	sbx_hostrt_map_free(&r->dirs, NULL);
	sbx_hostrt_map_free(&r->subdirs, hostrt_subdirs_free);
	sbx_hostrt_map_free(&r->system_found, NULL); /* in the arena */
	sbx_hostrt_map_free(&r->closures, NULL);
	free(r->sim_objs);
	free(r->sim_queue);
	sbx_hostrt_arena_free(&r->arena);
	sbx_ldcache_free(&r->cache);
	sbx_hostrt_host_free(&r->host);
	sbx_elf_lib_close(&r->elf);
}
