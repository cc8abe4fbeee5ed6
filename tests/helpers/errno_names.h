/* SPDX-License-Identifier: Apache-2.0 */
/* errno names for the test helpers' output, spelled out here rather than
 * via strerrorname_np(), so the output is the same whatever libc the CI
 * machine has. One table for every helper that prints an errno. */
#ifndef SBX_TEST_ERRNO_NAMES_H
#define SBX_TEST_ERRNO_NAMES_H

#include <errno.h>
#include <stddef.h>
#include <stdio.h>

static const struct {
	int num;
	const char *name;
} errno_names[] = {
    {EACCES, "EACCES"},
    {EPERM, "EPERM"},
    {ENOENT, "ENOENT"},
    {EEXIST, "EEXIST"},
    {EXDEV, "EXDEV"},
    {ENOTDIR, "ENOTDIR"},
    {EISDIR, "EISDIR"},
    {ENOTEMPTY, "ENOTEMPTY"},
    {EINVAL, "EINVAL"},
    {ECONNREFUSED, "ECONNREFUSED"},
    {EADDRINUSE, "EADDRINUSE"},
    {ENOEXEC, "ENOEXEC"},
    {ESRCH, "ESRCH"},
    {EBADF, "EBADF"},
    {ETXTBSY, "ETXTBSY"},
    {EROFS, "EROFS"},
    {ENAMETOOLONG, "ENAMETOOLONG"},
    {ELOOP, "ELOOP"},
    {EAFNOSUPPORT, "EAFNOSUPPORT"},
    {ETIMEDOUT, "ETIMEDOUT"},
    {EIO, "EIO"},
    {ENOSYS, "ENOSYS"},
    {ENOTTY, "ENOTTY"},
    {EPROTONOSUPPORT, "EPROTONOSUPPORT"},
    {ENOKEY, "ENOKEY"},
    {EDQUOT, "EDQUOT"},
    {ENOTCONN, "ENOTCONN"},
    {EOPNOTSUPP, "EOPNOTSUPP"},
};

/* The name of e, or unknown_prefix followed by its number (in a static
 * buffer) when the table does not know it. */
static inline const char *errno_name_or(int e, const char *unknown_prefix)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++) {
		if (errno_names[i].num == e)
			return errno_names[i].name;
	}
	snprintf(buf, sizeof(buf), "%s%d", unknown_prefix, e);
	return buf;
}

#endif
