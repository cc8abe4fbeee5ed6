/* SPDX-License-Identifier: Apache-2.0 */
/* Errors as values: engine functions fill a struct sbx_error and return -1;
 * only a front end (CLI main, shim constructor) prints "sandboxec: <msg>"
 * and chooses the exit status. Nothing in the engine prints or exits. */
#ifndef SBX_ERROR_H
#define SBX_ERROR_H

#include <stddef.h>

#define SBX_ERROR_MAX 2048

struct sbx_error {
	char msg[SBX_ERROR_MAX];
};

/* Sets the message (printf-style) and returns -1, so callers can write
 * `return sbx_error_set(err, "...")`. A NULL err is allowed. */
int sbx_error_set(struct sbx_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prepends "prefix: " to an existing message (e.g. a file:line:col). */
int sbx_error_prefix(struct sbx_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
