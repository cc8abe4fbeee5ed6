/* SPDX-License-Identifier: Apache-2.0 */
/* Read-ahead threads of the host-runtime resolver; see hostrt_readahead.h.
 * They open and read files, never map, write or execute one, and touch no
 * state but the items and this structure (under its locks). */
#include "hostrt_readahead.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostrt_arena.h"
#include "hostrt_map.h"
#include "engine/util.h"

#define RA_MAX_THREADS 4
/* $PATH entries published per lock hold: the workers start on the first
 * while the rest are still being indexed. */
#define RA_ADD_CHUNK 64
/* New library paths one file can queue (real ones need a handful). */
#define RA_MAX_FOUND 64

enum { RA_QUEUED, RA_TAKEN, RA_DONE };

/* The cache's paths for the DT_NEEDED names of a file just read: only a
 * guess at what the replay will open (it still searches exactly as ld.so
 * does, and a file read but never reached is never granted). Each thread
 * looks a name up once, outside the lock. */
struct ra_found {
	const char *paths[RA_MAX_FOUND];
	size_t n;
};

/* What one reading thread keeps to itself. */
struct ra_reader {
	struct sbx_hostrt_map asked; /* DT_NEEDED names it looked up */
	struct ra_found found;
};

struct sbx_hostrt_ra {
	const struct sbx_elf_lib *elf;
	const struct sbx_ldcache *cache;
	const struct sbx_ldcache_query *query;
	/* Three locks, taken one at a time (queue_found: lock, then
	 * path_lock), so that the replay's lookups and the claims made in
	 * the middle of a read do not wait for the queues. */
	pthread_mutex_t lock;	    /* the queues, item states, stop */
	pthread_mutex_t path_lock;  /* by_path */
	pthread_mutex_t claim_lock; /* claimed */
	pthread_cond_t work;	    /* workers wait here: an item was queued, or stop */
	pthread_cond_t done;	    /* the replay waits here: an item was read */
	size_t n_waiting;	    /* threads waiting on done */
	bool stop;
	/* Two queues, each taken in order; libraries first, since the
	 * replay needs them for the entries read already. An item the
	 * replay took out of turn is skipped. */
	struct sbx_hostrt_ra_item **paths, **libs;
	size_t n_paths, cap_paths, next_path;
	size_t next_link; /* symlinks last: their target is often read already */
	size_t n_libs, cap_libs, next_lib;
	struct sbx_hostrt_map by_path; /* path -> item */
	struct sbx_hostrt_map claimed; /* "dev:ino" -> the item that reads it */
	struct sbx_hostrt_arena arena; /* library items and their paths */
	struct ra_reader replay;       /* the replay thread's, when it reads */
	pthread_t threads[RA_MAX_THREADS];
	size_t n_threads;
};

/* The next queued item, marked taken; NULL when none is (lock held). */
static struct sbx_hostrt_ra_item *ra_take(struct sbx_hostrt_ra *ra)
{
	while (ra->next_lib < ra->n_libs) {
		struct sbx_hostrt_ra_item *it = ra->libs[ra->next_lib++];

		if (it->state == RA_QUEUED) {
			it->state = RA_TAKEN;
			return it;
		}
	}
	while (ra->next_path < ra->n_paths) {
		struct sbx_hostrt_ra_item *it = ra->paths[ra->next_path++];

		if (it->state == RA_QUEUED && it->open_first) {
			it->state = RA_TAKEN;
			return it;
		}
	}
	while (ra->next_link < ra->n_paths) {
		struct sbx_hostrt_ra_item *it = ra->paths[ra->next_link++];

		if (it->state == RA_QUEUED) {
			it->state = RA_TAKEN;
			return it;
		}
	}
	return NULL;
}

static void ra_lookup_needed(const struct sbx_hostrt_ra *ra, struct sbx_hostrt_map *asked,
			     const struct sbx_elf_info *info, struct ra_found *found)
{
	size_t k;

	found->n = 0;
	for (k = 0; info->status == SBX_ELF_OK && k < info->n_needed; k++) {
		const char *name = info->needed[k], *path;

		if (found->n == RA_MAX_FOUND)
			break; /* the rest the replay finds on its own */
		if (strchr(name, '/') || strchr(name, '$') || sbx_hostrt_map_get(asked, name))
			continue;
		sbx_hostrt_map_put(asked, name, (void *)ra);
		path = sbx_ldcache_lookup(ra->cache, name, ra->query);
		if (path)
			found->paths[found->n++] = path;
	}
}

/* Queues the paths no item has yet (lock held). */
static void ra_queue_found(struct sbx_hostrt_ra *ra, const struct ra_found *found)
{
	size_t k, before = ra->n_libs;

	for (k = 0; k < found->n; k++) {
		struct sbx_hostrt_ra_item *it;

		pthread_mutex_lock(&ra->path_lock);
		if (sbx_hostrt_map_get(&ra->by_path, found->paths[k])) {
			pthread_mutex_unlock(&ra->path_lock);
			continue;
		}
		it = sbx_hostrt_arena_zalloc(&ra->arena, sizeof(*it));
		it->path = sbx_hostrt_map_put(&ra->by_path, found->paths[k], it);
		pthread_mutex_unlock(&ra->path_lock);
		it->dirfd = AT_FDCWD;
		it->name = it->path;
		ra->libs = sbx_xgrow(ra->libs, ra->n_libs, &ra->cap_libs, sizeof(*ra->libs));
		ra->libs[ra->n_libs++] = it;
	}
	if (ra->n_libs > before)
		pthread_cond_broadcast(&ra->work);
}

/* The readlink() the replay would do to find a library's real path (what
 * gets granted), done here, in parallel. */
static void ra_read_link(struct sbx_hostrt_ra_item *it)
{
	char target[PATH_MAX];
	ssize_t n = readlink(it->path, target, sizeof(target) - 1);

	if (n < 0 && errno == EINVAL) {
		it->file->link = LINK_NO;
	} else if (n >= 0) {
		const char *slash = strrchr(it->path, '/');
		size_t dir_len = slash ? (size_t)(slash - it->path) + 1 : 0;
		char next[PATH_MAX];

		it->file->link = LINK_YES;
		it->file->link_target = sbx_xstrndup(target, (size_t)n);
		/* A target in the same directory: is it a symlink too? */
		if (n > 0 && !memchr(target, '/', (size_t)n) &&
		    strcmp(it->file->link_target, ".") && strcmp(it->file->link_target, "..") &&
		    dir_len + (size_t)n < sizeof(next)) {
			memcpy(next, it->path, dir_len);
			memcpy(next + dir_len, target, (size_t)n);
			next[dir_len + (size_t)n] = '\0';
			it->file->target_plain =
			    readlink(next, target, sizeof(target) - 1) < 0 && errno == EINVAL;
		}
	}
}

/* Stats, and reads when it is a regular file (in $PATH, an executable one)
 * that no other item reads: a FIFO or directory named like a binary is
 * never opened, a file under two names is read once. Lock not held. */
static void ra_read(struct sbx_hostrt_ra *ra, struct sbx_hostrt_ra_item *it)
{
	struct sbx_hostrt_ra_item *other;
	char id[HOSTRT_FILE_ID_SIZE];
	int fd = -1;

	if (it->open_first) {
		fd = openat(it->dirfd, it->name, HOSTRT_OPEN_FLAGS);
		if (fd < 0) { /* unreadable, or gone: known by stat alone */
			it->stat_ok = fstatat(it->dirfd, it->name, &it->st, 0) == 0;
			return;
		}
		it->stat_ok = fstat(fd, &it->st) == 0;
	} else {
		it->stat_ok = fstatat(it->dirfd, it->name, &it->st, 0) == 0;
	}
	if (!it->stat_ok || !S_ISREG(it->st.st_mode) || (it->need_exec && !(it->st.st_mode & 0111)))
		goto out;
	sbx_hostrt_file_id(id, (uint64_t)it->st.st_dev, (uint64_t)it->st.st_ino);
	pthread_mutex_lock(&ra->claim_lock);
	other = sbx_hostrt_map_get(&ra->claimed, id);
	if (!other)
		sbx_hostrt_map_put(&ra->claimed, id, it);
	pthread_mutex_unlock(&ra->claim_lock);
	if (other) {
		it->same_as = other;
		goto out;
	}
	if (fd < 0 && (fd = openat(it->dirfd, it->name, HOSTRT_OPEN_FLAGS)) < 0)
		goto out;
	it->file = sbx_hostrt_file_read(ra->elf, fd, (uint64_t)it->st.st_size, it->st.st_mode);
	if (!it->need_exec) /* a library: granted by real path */
		ra_read_link(it);
out:
	if (fd >= 0)
		close(fd);
}

/* Reads it, then, under the lock, marks it read and queues what it needs.
 * Called, and returns, with the lock held. */
static void ra_process(struct sbx_hostrt_ra *ra, struct ra_reader *reader,
		       struct sbx_hostrt_ra_item *it)
{
	pthread_mutex_unlock(&ra->lock);
	ra_read(ra, it);
	reader->found.n = 0;
	if (it->file && ra->cache)
		ra_lookup_needed(ra, &reader->asked, &it->file->info, &reader->found);
	pthread_mutex_lock(&ra->lock);
	it->state = RA_DONE;
	ra_queue_found(ra, &reader->found);
	if (ra->n_waiting)
		pthread_cond_broadcast(&ra->done);
}

static void *ra_worker(void *arg)
{
	struct sbx_hostrt_ra *ra = arg;
	struct ra_reader reader = {0};

	pthread_mutex_lock(&ra->lock);
	while (!ra->stop) {
		struct sbx_hostrt_ra_item *it = ra_take(ra);

		if (it)
			ra_process(ra, &reader, it);
		else
			pthread_cond_wait(&ra->work, &ra->lock);
	}
	pthread_mutex_unlock(&ra->lock);
	sbx_hostrt_map_free(&reader.asked, NULL);
	return NULL;
}

struct sbx_hostrt_ra *sbx_hostrt_ra_start(const struct sbx_elf_lib *elf,
					  const struct sbx_ldcache *cache,
					  const struct sbx_ldcache_query *query, size_t threads)
{
	struct sbx_hostrt_ra *ra = sbx_xcalloc(1, sizeof(*ra));

	ra->elf = elf;
	ra->cache = cache;
	ra->query = query;
	pthread_mutex_init(&ra->lock, NULL);
	pthread_mutex_init(&ra->path_lock, NULL);
	pthread_mutex_init(&ra->claim_lock, NULL);
	pthread_cond_init(&ra->work, NULL);
	pthread_cond_init(&ra->done, NULL);
	if (threads > RA_MAX_THREADS)
		threads = RA_MAX_THREADS;
	while (ra->n_threads < threads &&
	       pthread_create(&ra->threads[ra->n_threads], NULL, ra_worker, ra) == 0)
		ra->n_threads++; /* on failure: fewer helpers, the replay reads the rest */
	return ra;
}

void sbx_hostrt_ra_add(struct sbx_hostrt_ra *ra, struct sbx_hostrt_ra_item *items, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t end = n - i < RA_ADD_CHUNK ? n : i + RA_ADD_CHUNK;

		pthread_mutex_lock(&ra->lock);
		for (; i < end; i++) {
			items[i].state = RA_QUEUED;
			pthread_mutex_lock(&ra->path_lock);
			sbx_hostrt_map_put(&ra->by_path, items[i].path, &items[i]);
			pthread_mutex_unlock(&ra->path_lock);
			ra->paths =
			    sbx_xgrow(ra->paths, ra->n_paths, &ra->cap_paths, sizeof(*ra->paths));
			ra->paths[ra->n_paths++] = &items[i];
		}
		pthread_cond_broadcast(&ra->work);
		pthread_mutex_unlock(&ra->lock);
	}
}

struct sbx_hostrt_ra_item *sbx_hostrt_ra_find(struct sbx_hostrt_ra *ra, const char *path)
{
	struct sbx_hostrt_ra_item *it;

	pthread_mutex_lock(&ra->path_lock);
	it = sbx_hostrt_map_get(&ra->by_path, path);
	pthread_mutex_unlock(&ra->path_lock);
	return it;
}

void sbx_hostrt_ra_wait(struct sbx_hostrt_ra *ra, struct sbx_hostrt_ra_item *it)
{
	/* Usually read already: no lock then. The state is stored (under
	 * the lock) after the results, and loaded here before them. */
	if (atomic_load_explicit(&it->state, memory_order_acquire) == RA_DONE)
		return;
	pthread_mutex_lock(&ra->lock);
	while (it->state != RA_DONE) {
		struct sbx_hostrt_ra_item *other = it;

		/* Rather than wait, read: this item if no one has taken it,
		 * else whatever is queued. */
		if (it->state == RA_QUEUED)
			it->state = RA_TAKEN;
		else
			other = ra_take(ra);
		if (!other) {
			ra->n_waiting++;
			pthread_cond_wait(&ra->done, &ra->lock);
			ra->n_waiting--;
			continue;
		}
		ra_process(ra, &ra->replay, other);
	}
	pthread_mutex_unlock(&ra->lock);
}

void sbx_hostrt_ra_stop(struct sbx_hostrt_ra *ra)
{
	size_t i;

	pthread_mutex_lock(&ra->lock);
	ra->stop = true;
	pthread_cond_broadcast(&ra->work);
	pthread_mutex_unlock(&ra->lock);
	for (i = 0; i < ra->n_threads; i++)
		pthread_join(ra->threads[i], NULL);
	for (i = 0; i < ra->n_paths; i++) {
		if (ra->paths[i]->file)
			sbx_hostrt_file_free(ra->paths[i]->file);
	}
	for (i = 0; i < ra->n_libs; i++) {
		if (ra->libs[i]->file)
			sbx_hostrt_file_free(ra->libs[i]->file);
	}
	pthread_cond_destroy(&ra->done);
	pthread_cond_destroy(&ra->work);
	pthread_mutex_destroy(&ra->claim_lock);
	pthread_mutex_destroy(&ra->path_lock);
	pthread_mutex_destroy(&ra->lock);
	free(ra->paths);
	free(ra->libs);
	sbx_hostrt_map_free(&ra->by_path, NULL);
	sbx_hostrt_map_free(&ra->replay.asked, NULL);
	sbx_hostrt_map_free(&ra->claimed, NULL);
	sbx_hostrt_arena_free(&ra->arena);
	free(ra);
}
