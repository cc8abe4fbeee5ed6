/* SPDX-License-Identifier: Apache-2.0 */
/* libsandboxec.so as an LD_PRELOAD library: its constructor applies the
 * policy before main (shim_apply.h), unless this is the LD_AUDIT copy,
 * which applies it earlier from la_version (audit_entry.c). It runs at
 * every exec of a program that preloads the shim, so it stays cheap, and
 * leaves errno as it found it. */
#include <errno.h>

#include "shim_apply.h"
#include "shim_self.h"

__attribute__((constructor)) static void sandboxec_shim_init(void)
{
	int saved_errno = errno;

	if (shim_is_audit_copy())
		return;
	shim_apply(false);
	errno = saved_errno;
}
