/* SPDX-License-Identifier: Apache-2.0 */
/* The shape of a canonical path, told from its text alone: absolute,
 * without an empty, "." or ".." component and without a slash at the end
 * ("/" itself is canonical). Whether a link lies on the way only the
 * kernel can tell. A pure header: the fast audit entry, which links no
 * libc, uses it as the shim does. */
#ifndef SBX_PATH_SHAPE_H
#define SBX_PATH_SHAPE_H

#include <stdbool.h>
#include <stddef.h>

/* p need not be NUL-terminated: only its len bytes are read. */
static inline bool sbx_path_canonical_shape(const char *p, size_t len)
{
	size_t i;

	if (!len || p[0] != '/' || (len > 1 && p[len - 1] == '/'))
		return false;
	for (i = 0; i + 1 < len; i++) {
		if (p[i] != '/')
			continue;
		if (p[i + 1] == '/')
			return false;
		if (p[i + 1] == '.' && (i + 2 == len || p[i + 2] == '/'))
			return false;
		if (p[i + 1] == '.' && p[i + 2] == '.' && (i + 3 == len || p[i + 3] == '/'))
			return false;
	}
	return true;
}

#endif
