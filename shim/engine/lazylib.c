/* SPDX-License-Identifier: Apache-2.0 */
/* dlopen()-on-demand of optional libraries; see lazylib.h. Libraries are
 * opened by absolute path from the system directories fixed at build time,
 * never searched for: the search would follow LD_LIBRARY_PATH and the
 * program's RPATH, which the sandboxed program and its environment control,
 * and the shim loads these libraries before the policy applies. */
#include "lazylib.h"
#include "util.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#ifndef SBX_SYSTEM_LIBDIRS
#error "SBX_SYSTEM_LIBDIRS must name the system library directories (the Makefile sets it)"
#endif

/* The libraries a lazily loaded library needs besides libc. ld.so looks
 * these up by name, along LD_LIBRARY_PATH too, even for a library opened by
 * absolute path; opened here first from the system directories, they are
 * found by name and never searched for. A dependency missing from the
 * system directories is skipped: then the library itself could not load.
 * tests/security/t_escape_plant.sh checks this table against the DT_NEEDED
 * entries of the libraries installed. */
static const struct {
	const char *soname;
	const char *deps[4];
} lazy_deps[] = {
    {"libelf.so.1", {"libz.so.1", "libzstd.so.1", NULL}},
};

/* The shim's i386 copy, in a 32-bit program, loads only an i386 build of
 * the library, which Debian ships only for the i386 architecture
 * (docs/shim.md, "32-bit programs"). The settings of --mode env name no
 * file, so they need none of these libraries. */
#if defined(__i386__)
#define LAZY_MISSING                                                                               \
	"cannot load %s into this 32-bit program from %s (%s); install the Debian package "        \
	"%s:i386 "                                                                                 \
	"(dpkg --add-architecture i386), or use the settings of `sandboxec --mode env`, which "    \
	"need no config file"
#else
#define LAZY_MISSING "cannot load %s from %s (%s); install the Debian package %s"
#endif

/* Opens `soname` from the first directory of the colon-separated `dirs`
 * that has a loadable copy; NULL with `why` set to the first failure. */
static void *open_from_dirs(const char *dirs, const char *soname, char *why, size_t why_size)
{
	const char *dir = dirs;

	why[0] = '\0';
	while (*dir) {
		size_t len = strcspn(dir, ":");
		char path[PATH_MAX];
		void *h;

		if (len > 0 && dir[0] == '/' &&
		    snprintf(path, sizeof(path), "%.*s/%s", (int)len, dir, soname) <
			(int)sizeof(path)) {
			h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
			if (h)
				return h;
			if (!why[0])
				snprintf(why, why_size, "%s", dlerror());
		}
		dir += len;
		if (*dir == ':')
			dir++;
	}
	if (!why[0])
		snprintf(why, why_size, "no system library directory to look in");
	return NULL;
}

/* Loads the dependencies of `soname` from `dirs` (see lazy_deps). Their
 * handles are kept: the library that needs them keeps them loaded anyway. */
static void pin_deps(const char *dirs, const char *soname)
{
	char why[512];

	for (size_t i = 0; i < SBX_ARRAY_SIZE(lazy_deps); i++) {
		if (strcmp(lazy_deps[i].soname, soname) != 0)
			continue;
		for (size_t d = 0; d < SBX_ARRAY_SIZE(lazy_deps[i].deps) && lazy_deps[i].deps[d];
		     d++)
			(void)open_from_dirs(dirs, lazy_deps[i].deps[d], why, sizeof(why));
	}
}

int sbx_lazy_open_from(const char *dirs, const char *soname, const char *package,
		       const struct sbx_lazy_sym *syms, size_t n_syms, void **handle,
		       struct sbx_error *err)
{
	char why[512];
	void *h;
	size_t i;

	pin_deps(dirs, soname);
	h = open_from_dirs(dirs, soname, why, sizeof(why));
	if (!h)
		return sbx_error_set(err, LAZY_MISSING, soname, dirs, why, package);
	for (i = 0; i < n_syms; i++) {
		void *sym = dlsym(h, syms[i].name);

		if (!sym) {
			dlclose(h);
			return sbx_error_set(err, "%s lacks %s; install a current %s", soname,
					     syms[i].name, package);
		}
		*syms[i].slot = sym;
	}
	*handle = h;
	return 0;
}

int sbx_lazy_open(const char *soname, const char *package, const struct sbx_lazy_sym *syms,
		  size_t n_syms, void **handle, struct sbx_error *err)
{
	return sbx_lazy_open_from(SBX_SYSTEM_LIBDIRS, soname, package, syms, n_syms, handle, err);
}

void sbx_lazy_close(void *handle)
{
	if (handle)
		dlclose(handle);
}
