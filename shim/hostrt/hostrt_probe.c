/* SPDX-License-Identifier: Apache-2.0 */
/* Paths and files looked up once for the host-runtime resolver: stat before
 * open, one read per identity, the read-ahead's work adopted in the
 * caller's order, and a realpath() that memoizes directories. It opens and
 * reads files; it must never fork, exec, map or write anything. */
#include "hostrt_probe.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/util.h"

void sbx_hostrt_probe_init(struct sbx_hostrt_probes *pr, const struct sbx_elf_lib *elf,
			   struct sbx_hostrt_arena *arena)
{
	memset(pr, 0, sizeof(*pr));
	pr->elf = elf;
	pr->arena = arena;
}

void sbx_hostrt_probe_fini(struct sbx_hostrt_probes *pr)
{
	sbx_hostrt_map_free(&pr->paths, NULL); /* the probes are in the arena */
	sbx_hostrt_map_free(&pr->files, sbx_hostrt_file_free);
	sbx_hostrt_map_free(&pr->real_dirs, free);
}

/* The probe of a path the read-ahead has read, made as sbx_hostrt_probe_path()
 * would make it; NULL when the path must be looked up here after all (not
 * stat'ed, or a regular file no one could read). Files are registered in
 * the caller's order, whatever thread read them first. */
static struct hostrt_probe *hostrt_adopt(struct sbx_hostrt_probes *pr,
					 struct sbx_hostrt_ra_item *it)
{
	struct hostrt_file *known, *file = NULL;
	struct hostrt_probe *p;
	char id[HOSTRT_FILE_ID_SIZE];

	if (!it->stat_ok)
		return NULL;
	sbx_hostrt_file_id(id, (uint64_t)it->st.st_dev, (uint64_t)it->st.st_ino);
	known = sbx_hostrt_map_get(&pr->files, id);
	if (!known) {
		struct sbx_hostrt_ra_item *reader = it->same_as ? it->same_as : it;

		if (reader != it)
			sbx_hostrt_ra_wait(pr->ra, reader);
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
	p = sbx_hostrt_arena_zalloc(pr->arena, sizeof(*p));
	p->path = sbx_hostrt_map_put(&pr->paths, it->path, p);
	if (known) {
		p->file = known->unreadable ? NULL : known;
		p->open_errno = known->unreadable ? EACCES : 0;
		return p;
	}
	file->first_path = p->path;
	sbx_hostrt_map_put(&pr->files, id, file);
	p->file = file;
	return p;
}

/* Looks a path up once and classifies what is behind it: stat first, so a
 * file already known under another name, or anything but a regular file
 * (a FIFO named like a library must not hang us; ld.so would hang on it),
 * is never opened. What the read-ahead has read is taken from it. */
struct hostrt_probe *sbx_hostrt_probe_path(struct sbx_hostrt_probes *pr, const char *path)
{
	struct hostrt_probe *p = sbx_hostrt_map_get(&pr->paths, path);
	struct sbx_hostrt_ra_item *ahead;
	const char *key;
	char id[HOSTRT_FILE_ID_SIZE];
	struct stat st;
	int fd, r;

	if (p)
		return p;
	if (pr->ra && (ahead = sbx_hostrt_ra_find(pr->ra, path))) {
		sbx_hostrt_ra_wait(pr->ra, ahead);
		if ((p = hostrt_adopt(pr, ahead)))
			return p;
	}
	p = sbx_hostrt_arena_zalloc(pr->arena, sizeof(*p));
	key = sbx_hostrt_map_put(&pr->paths, path, p);
	p->path = key;
	r = stat(path, &st);
	if (r < 0) {
		p->open_errno = errno ? errno : ENOENT;
		return p;
	}
	sbx_hostrt_file_id(id, (uint64_t)st.st_dev, (uint64_t)st.st_ino);
	p->file = sbx_hostrt_map_get(&pr->files, id);
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
		p->file = sbx_hostrt_file_read(pr->elf, fd, (uint64_t)st.st_size, st.st_mode);
		close(fd);
	}
	p->file->first_path = key;
	sbx_hostrt_map_put(&pr->files, id, p->file);
	if (p->file->unreadable)
		p->file = NULL;
	return p;
}

/* realpath() with the directories memoized: one readlink per file instead
 * of one per path component (the libraries share a handful of dirs). The
 * readlink of path itself may have been done already (f, at depth 0). */
static char *hostrt_realpath(struct sbx_hostrt_probes *pr, const char *path, int depth,
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
	rdir = sbx_hostrt_map_get(&pr->real_dirs, dir);
	if (!rdir) {
		char *r = realpath(dir, NULL);

		sbx_hostrt_map_put(&pr->real_dirs, dir, r ? r : sbx_xstrdup(""));
		rdir = sbx_hostrt_map_get(&pr->real_dirs, dir);
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
		return hostrt_realpath(pr, target, depth + 1, NULL);
	cand = sbx_path_join(rdir, target);
	abs = hostrt_realpath(pr, cand, depth + 1, NULL);
	free(cand);
	return abs;
}

const char *sbx_hostrt_probe_real(struct sbx_hostrt_probes *pr, struct hostrt_file *f)
{
	if (!f->real_done) {
		f->real = hostrt_realpath(pr, f->first_path, 0, f);
		f->real_done = true;
	}
	return f->real;
}
