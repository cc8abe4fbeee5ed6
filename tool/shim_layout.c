/* SPDX-License-Identifier: Apache-2.0 */
/* Finds the $LIB tree beside the shim (scripts/shim-tree.sh writes it) and
 * the i386 copy in it; see shim_layout.h. A tree whose link for this
 * machine's class does not lead to the shim found is not ours: the
 * settings then name the shim itself, as a copy beside sandboxec does. */
#include "shim_layout.h"

#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/util.h"

#define SHIM_NAME "libsandboxec.so"
#define FAST_NAME "libsandboxec-fast.so"

const char sbx_shim_layout_i386_warning[] =
    "no i386 copy of the shim is installed: a 32-bit program started under the settings "
    "of `sandboxec --mode env` would run unconfined (ld.so ignores a shim of the wrong ELF class); "
    "run "
    "it with `sandboxec --`, or rebuild sandboxec where gcc -m32 links (gcc-multilib)";

/* An i386 shared object: what an i386 loader would accept. */
static bool is_i386_elf(const char *path)
{
	Elf32_Ehdr h;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, &h, sizeof(h));
	close(fd);
	return n == (ssize_t)sizeof(h) && memcmp(h.e_ident, ELFMAG, SELFMAG) == 0 &&
	       h.e_ident[EI_CLASS] == ELFCLASS32 && h.e_ident[EI_DATA] == ELFDATA2LSB &&
	       h.e_type == ET_DYN && h.e_machine == EM_386;
}

static bool leads_to(const char *link, const char *real)
{
	char *resolved = realpath(link, NULL);
	bool same = resolved && strcmp(resolved, real) == 0;

	free(resolved);
	return same;
}

/* Each i386 loader's $LIB (SBX_SHIM_LIB32, blank-separated) with a copy. */
static void find_i386(const char *root, struct sbx_shim_layout *out)
{
	const char *p = SBX_SHIM_LIB32;

	while (*p) {
		size_t len = strcspn(p, " ");

		if (len && out->n_files < SBX_ARRAY_SIZE(out->files)) {
			char *copy = sbx_xasprintf("%s/%.*s/" SHIM_NAME, root, (int)len, p);

			if (is_i386_elf(copy)) {
				out->files[out->n_files++] = copy;
				out->has_i386 = true;
			} else {
				free(copy);
			}
		}
		p += len;
		p += strspn(p, " ");
	}
}

/* The fast audit entry (docs/audit-and-seccomp.md, "The fast audit entry"),
 * named before the shim in LD_AUDIT when it was built beside it, in the
 * same form as the shim: through the $LIB tree when the shim is. It is
 * built for x86-64 only: the tree gives an i386 loader the i386 shim under
 * its name (scripts/shim-tree.sh), which then decides there. */
static void find_fast(const char *dir, const char *root, struct sbx_shim_layout *out)
{
	char *fast = sbx_xasprintf("%s/" FAST_NAME, dir);
	char *real = realpath(fast, NULL);
	char *native = sbx_xasprintf("%s/%s/" FAST_NAME, root, SBX_SHIM_LIB64);

	if (!real)
		out->audit = sbx_xstrdup(out->load);
	else if (strstr(out->load, "/$LIB/") && leads_to(native, real))
		out->audit = sbx_xasprintf("%s/$LIB/" FAST_NAME ":%s", root, out->load);
	else
		out->audit = sbx_xasprintf("%s:%s", real, out->load);
	free(native);
	free(real);
	free(fast);
}

void sbx_shim_layout_find(const char *shim, struct sbx_shim_layout *out)
{
	char *dir, *root, *native;

	memset(out, 0, sizeof(*out));
#if defined(__x86_64__)
	out->i386_applies = true;
#endif
	if (!shim)
		return;
	dir = sbx_path_dirname(shim);
	root = sbx_xasprintf("%s/libsandboxec", dir);
	native = sbx_xasprintf("%s/%s/" SHIM_NAME, root, SBX_SHIM_LIB64);
	if (*SBX_SHIM_LIB64 && leads_to(native, shim)) {
		out->load = sbx_xasprintf("%s/$LIB/" SHIM_NAME, root);
		out->files[out->n_files++] = native;
		find_i386(root, out);
	} else {
		out->load = sbx_xstrdup(shim);
		out->files[out->n_files++] = sbx_xstrdup(shim);
		free(native);
	}
	find_fast(dir, root, out);
	free(root);
	free(dir);
}

void sbx_shim_layout_free(struct sbx_shim_layout *layout)
{
	size_t i;

	free(layout->load);
	free(layout->audit);
	for (i = 0; i < layout->n_files; i++)
		free(layout->files[i]);
	memset(layout, 0, sizeof(*layout));
}

bool sbx_shim_layout_misses_i386(const struct sbx_shim_layout *layout)
{
	return layout->i386_applies && !layout->has_i386;
}
