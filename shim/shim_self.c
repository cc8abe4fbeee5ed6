/* SPDX-License-Identifier: Apache-2.0 */
/* Where this copy of libsandboxec.so was loaded from: its link map, its
 * real path and whether it is the LD_AUDIT copy. Looked up at most once
 * per copy: the constructor runs at every exec and must stay cheap. */
#include "shim_self.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/path_shape.h"
#include "engine/util.h"

#define DELETED " (deleted)"

/* One dladdr1 answers both which link namespace the copy lives in and its
 * file name. */
static Dl_info self_info;
static struct link_map *self_map;

static void locate_self(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	if (!dladdr1((void *)locate_self, &self_info, (void **)&self_map, RTLD_DL_LINKMAP)) {
		memset(&self_info, 0, sizeof(self_info));
		self_map = NULL;
	}
}

struct link_map *shim_self_map(void)
{
	locate_self();
	return self_map;
}

/* Whether path, as ld.so opened it, is already canonical: the canonical
 * shape, and openat2 reaches the file without following a link on the
 * way or at the end. One system call and no /proc, whose per-process
 * entries the kernel builds on first use: this is the common case (the
 * absolute path `sandboxec --mode env` prints) and it was the costliest
 * step of the cold start before the policy (docs/perf.md §2). */
static bool already_canonical(const char *path)
{
	struct open_how how = {
	    .flags = O_PATH | O_CLOEXEC,
	    .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	if (!sbx_path_canonical_shape(path, strlen(path)))
		return false;
	fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd < 0)
		return false;
	close((int)fd);
	return true;
}

/* Writes into name (PATH_MAX bytes) the name the kernel gives the file at
 * path: /proc/self/fd of an O_PATH descriptor, the file's canonical path,
 * as realpath() would give it, in three system calls and none of
 * realpath()'s or readlink()'s code, whose libc pages were two of a cold
 * exec's page faults (docs/perf.md §2). False when the kernel cannot say
 * (no /proc, an unlinked file, a name too long). */
static bool kernel_path(const char *path, char *name)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	size_t deleted = strlen(DELETED);
	char *link;
	long len;

	if (fd < 0)
		return false;
	link = sbx_xasprintf("/proc/self/fd/%d", fd);
	len = syscall(SYS_readlink, link, name, PATH_MAX);
	free(link);
	close(fd);
	if (len <= 0 || len >= PATH_MAX || name[0] != '/' ||
	    ((size_t)len >= deleted && !memcmp(name + len - deleted, DELETED, deleted)))
		return false;
	name[len] = '\0';
	return true;
}

/* The real path in a block of the shim's own allocator: realpath(path,
 * NULL) would allocate with libc's malloc and start its heap, which the
 * shim's start-up otherwise never does (startup_arena.c). The name as
 * given when it is already canonical; else the kernel's name for the
 * file; realpath() only where the kernel cannot name it. */
static char *real_path(const char *path)
{
	char *buf, *shrunk;

	if (already_canonical(path))
		return strdup(path);
	buf = malloc(PATH_MAX);
	if (!buf || (!kernel_path(path, buf) && !realpath(path, buf))) {
		free(buf);
		return NULL;
	}
	shrunk = realloc(buf, strlen(buf) + 1);
	if (shrunk)
		buf = shrunk;
	return buf;
}

/* The real path, for the implicit read rule and for finding the profiles
 * installed beside it. Kept for the copy's lifetime: the audit copy needs
 * it again when it edits the shared environment block. */
const char *shim_self_path(void)
{
	static char *real;
	static bool done;

	if (!done) {
		done = true;
		locate_self();
		if (self_info.dli_fname)
			real = real_path(self_info.dli_fname);
	}
	return real;
}

/* Whether map is in the program's own (base) link namespace, told
 * without dlinfo, whose error catching costs two page faults of libc per
 * exec: the base list starts with the program, whose DT_DEBUG entry ld.so
 * points at the base namespace's r_debug, and that names the same list.
 * The head of an audit namespace's list is a library, whose DT_DEBUG
 * (if any) ld.so leaves alone. False when it cannot tell. */
static bool in_base_namespace(struct link_map *map)
{
	struct link_map *head = map;
	const ElfW(Dyn) * dyn;

	while (head->l_prev)
		head = head->l_prev;
	if (head == map || !head->l_ld)
		return false;
	for (dyn = head->l_ld; dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_DEBUG) {
			const struct r_debug *debug = (const void *)dyn->d_un.d_ptr;

			return debug && debug->r_map == head;
		}
	}
	return false;
}

bool shim_is_audit_copy(void)
{
	struct link_map *map = shim_self_map();
	Lmid_t lmid = LM_ID_BASE;

	if (map && in_base_namespace(map))
		return false;

	/* Audit modules live in a namespace of their own; a library preloaded
	 * or linked by the program lives in the base one. (A flag set by
	 * la_version cannot tell: ld.so runs the audit copy's constructor
	 * while loading it, before it calls la_version.) */
	if (!map || dlinfo(map, RTLD_DI_LMID, &lmid) < 0)
		return false;
	return lmid != LM_ID_BASE;
}
