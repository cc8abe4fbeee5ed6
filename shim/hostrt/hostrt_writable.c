/* SPDX-License-Identifier: Apache-2.0 */
/* The host-runtime resolver's check against writable trees; see
 * hostrt_writable.h. lstat and readlink only; every directory looked up
 * once. */
#include "hostrt_writable.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/util.h"

#define HOSTRT_MAX_LINKS 40 /* the kernel's MAXSYMLINKS */

/* One lookup's outcome: where it leads, and the writable tree it met. */
struct hostrt_wdir {
	const char *real; /* "" for the root; meaningless when stopped */
	const char *tree; /* the first writable tree met, or NULL */
	const char *via;  /* the first symlink in that tree, or NULL */
	bool stopped;	  /* the lookup failed, or went no further than via */
};

void sbx_hostrt_writable_init(struct sbx_hostrt_writable *w, const char *const *trees, size_t n)
{
	memset(w, 0, sizeof(*w));
	w->trees = trees;
	w->n = n;
}

void sbx_hostrt_writable_fini(struct sbx_hostrt_writable *w)
{
	sbx_hostrt_map_free(&w->dirs, NULL); /* the values are in the arena */
	sbx_hostrt_arena_free(&w->arena);
}

static const char *hostrt_tree_of(const struct sbx_hostrt_writable *w, const char *path)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (sbx_path_in_tree(path, w->trees[i]))
			return w->trees[i];
	}
	return NULL;
}

/* path without repeated or trailing slashes, in the arena ("" for "/"). */
static char *hostrt_squeeze(struct sbx_hostrt_writable *w, const char *path)
{
	char *out = sbx_hostrt_arena_zalloc(&w->arena, strlen(path) + 1), *o = out;

	for (; *path; path++) {
		if (*path == '/' && (path[1] == '/' || path[1] == '\0'))
			continue;
		*o++ = *path;
	}
	*o = '\0';
	return out;
}

static const struct hostrt_wdir *hostrt_lookup(struct sbx_hostrt_writable *w, const char *path,
					       int links);

/* The component name looked up in the directory parent has reached; last
 * says what is known of it already, or is NULL. */
static struct hostrt_wdir hostrt_step(struct sbx_hostrt_writable *w,
				      const struct hostrt_wdir *parent, const char *name, int links,
				      const struct sbx_hostrt_last *last)
{
	struct hostrt_wdir r = *parent;
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (r.stopped || !strcmp(name, ".") || !name[0])
		return r;
	if (!strcmp(name, "..")) {
		char *up = hostrt_squeeze(w, parent->real), *slash = strrchr(up, '/');

		if (slash)
			*slash = '\0';
		r.real = up;
		return r;
	}
	r.real = sbx_hostrt_arena_join(&w->arena, parent->real[0] ? parent->real : "/", name);
	if (!r.tree)
		r.tree = hostrt_tree_of(w, r.real);
	if (last && !last->is_link)
		return r;
	if (!last && lstat(r.real, &st) < 0) {
		r.stopped = true;
		return r;
	}
	if (!last && !S_ISLNK(st.st_mode))
		return r;
	/* The first symlink in a writable tree is what a sandboxed program
	 * could have swapped: name it, and look no further. */
	if (r.tree && !r.via && sbx_path_in_tree(r.real, r.tree)) {
		r.via = r.real;
		r.stopped = true;
		return r;
	}
	if (last && last->target && last->target_plain) {
		r.real = sbx_hostrt_arena_join(&w->arena, parent->real[0] ? parent->real : "/",
					       last->target);
		if (!r.tree)
			r.tree = hostrt_tree_of(w, r.real);
		return r;
	}
	if (last && last->target)
		n = (ssize_t)strlen(last->target);
	else
		n = readlink(r.real, target, sizeof(target) - 1);
	if (n < 0 || n >= (ssize_t)sizeof(target) || links >= HOSTRT_MAX_LINKS) {
		r.stopped = true;
		return r;
	}
	if (last && last->target)
		memcpy(target, last->target, (size_t)n);
	target[n] = '\0';
	{
		const char *dir = parent->real[0] ? parent->real : "/";
		const char *next =
		    target[0] == '/' ? target : sbx_hostrt_arena_join(&w->arena, dir, target);
		const struct hostrt_wdir *t = hostrt_lookup(w, next, links + 1);

		r.real = t->real;
		r.stopped = t->stopped;
		if (!r.tree) {
			r.tree = t->tree;
			r.via = t->via;
		}
	}
	return r;
}

/* The lookup of an absolute path, memoized by its text. */
static const struct hostrt_wdir *hostrt_lookup(struct sbx_hostrt_writable *w, const char *path,
					       int links)
{
	char *key = hostrt_squeeze(w, path), *slash;
	struct hostrt_wdir *r = sbx_hostrt_map_get(&w->dirs, key);
	struct hostrt_wdir root = {.real = ""};

	if (r)
		return r;
	r = sbx_hostrt_arena_zalloc(&w->arena, sizeof(*r));
	if (!key[0]) {
		root.tree = hostrt_tree_of(w, "/");
		*r = root;
	} else {
		slash = strrchr(key, '/');
		*slash = '\0';
		{
			const struct hostrt_wdir *parent = hostrt_lookup(w, key, links);

			*slash = '/';
			*r = hostrt_step(w, parent, slash + 1, links, NULL);
		}
	}
	sbx_hostrt_map_put(&w->dirs, key, r);
	return r;
}

const char *sbx_hostrt_writable_hit(struct sbx_hostrt_writable *w, const char *path,
				    const struct sbx_hostrt_last *last, char **via)
{
	struct hostrt_wdir hinted;
	const struct hostrt_wdir *r = &hinted;
	char *key, *slash;

	*via = NULL;
	if (!w || !w->n || path[0] != '/')
		return NULL;
	key = hostrt_squeeze(w, path);
	slash = strrchr(key, '/');
	if (!last || !slash || !slash[1] || !strcmp(slash + 1, ".") || !strcmp(slash + 1, "..")) {
		r = hostrt_lookup(w, key, 0);
	} else {
		*slash = '\0';
		hinted = hostrt_step(w, hostrt_lookup(w, key, 0), slash + 1, 0, last);
	}
	if (r->via)
		*via = sbx_xstrdup(r->via);
	return r->tree;
}
