/* SPDX-License-Identifier: Apache-2.0 */
/* dlopen()-on-demand of optional libraries; see lazylib.h. */
#include "lazylib.h"

#include <dlfcn.h>

/* The shim's i386 copy, in a 32-bit program, loads only an i386 build of
 * the library, which Debian ships only for the i386 architecture
 * (docs/shim.md, "32-bit programs"). The settings of --mode env name no
 * file, so they need none of these libraries. */
#if defined(__i386__)
#define LAZY_MISSING                                                                               \
	"cannot load %s into this 32-bit program (%s); install the Debian package %s:i386 "        \
	"(dpkg --add-architecture i386), or use the settings of `sandboxec --mode env`, which "    \
	"need no config file"
#else
#define LAZY_MISSING "cannot load %s (%s); install the Debian package %s"
#endif

int sbx_lazy_open(const char *soname, const char *package, const struct sbx_lazy_sym *syms,
		  size_t n_syms, void **handle, struct sbx_error *err)
{
	void *h;
	size_t i;

	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return sbx_error_set(err, LAZY_MISSING, soname, dlerror(), package);
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

void sbx_lazy_close(void *handle)
{
	if (handle)
		dlclose(handle);
}
