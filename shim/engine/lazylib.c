/* SPDX-License-Identifier: Apache-2.0 */
/* dlopen()-on-demand of optional libraries; see lazylib.h. */
#include "lazylib.h"

#include <dlfcn.h>

int sbx_lazy_open(const char *soname, const char *package, const struct sbx_lazy_sym *syms,
		  size_t n_syms, void **handle, struct sbx_error *err)
{
	void *h;
	size_t i;

	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return sbx_error_set(err, "cannot load %s (%s); install the Debian package %s",
				     soname, dlerror(), package);
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
