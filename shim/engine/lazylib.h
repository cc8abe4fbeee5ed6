/* SPDX-License-Identifier: Apache-2.0 */
/* Binding a shared library on first use. The shim is loaded into every
 * process of a sandboxed tree, so it must not link libyaml, libmd or libelf
 * (about 145 µs per exec; docs/perf.md); modules that need them dlopen() them here only
 * when a config file, a trust check or the host runtime asks for it. */
#ifndef SBX_LAZYLIB_H
#define SBX_LAZYLIB_H

#include <stddef.h>

#include "error.h"

struct sbx_lazy_sym {
	const char *name;
	void **slot; /* where the resolved address is stored */
};

/* Opens `soname` (RTLD_NOW | RTLD_LOCAL) from the system library
 * directories sandboxec was built against (SBX_SYSTEM_LIBDIRS), by absolute
 * path: LD_LIBRARY_PATH and the program's RPATH/RUNPATH are never searched,
 * so nothing the sandboxed program or its environment controls can stand in
 * for the library (docs/design.md §4.4). Resolves every symbol into its
 * slot. On failure nothing is left open and the error names the library,
 * the missing symbol and the Debian package that provides it. The caller
 * owns *handle and releases it with sbx_lazy_close(). */
int sbx_lazy_open(const char *soname, const char *package, const struct sbx_lazy_sym *syms,
		  size_t n_syms, void **handle, struct sbx_error *err);
/* The same, from the colon-separated absolute directories `dirs` (tests). */
int sbx_lazy_open_from(const char *dirs, const char *soname, const char *package,
		       const struct sbx_lazy_sym *syms, size_t n_syms, void **handle,
		       struct sbx_error *err);
void sbx_lazy_close(void *handle);

/* Declares a struct field with the exact type of a library function, so a
 * binding cannot drift from the library's header. */
#define SBX_LAZY_FIELD(fn) __typeof__(&fn) fn
/* Kept on one line: clang-format would split # from its operand. */
/* clang-format off */
#define SBX_LAZY_SYM(api, fn) { #fn, (void **)&(api)->fn }
/* clang-format on */

#endif
