/* SPDX-License-Identifier: Apache-2.0 */
/* Error values of the engine; see error.h. Never prints. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sbx_error_set(struct sbx_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int sbx_error_prefix(struct sbx_error *err, const char *fmt, ...)
{
	char prefix[SBX_ERROR_MAX];
	size_t plen, mlen;
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix) - 2, fmt, ap);
	va_end(ap);
	plen = strlen(prefix);
	memcpy(prefix + plen, ": ", 3); /* room was kept above */
	plen += 2;
	if (plen >= sizeof(err->msg) - 1)
		plen = sizeof(err->msg) - 1;
	mlen = strnlen(err->msg, sizeof(err->msg) - 1);
	if (plen + mlen > sizeof(err->msg) - 1)
		mlen = sizeof(err->msg) - 1 - plen;
	memmove(err->msg + plen, err->msg, mlen);
	memcpy(err->msg, prefix, plen);
	err->msg[plen + mlen] = '\0';
	return -1;
}
