/* SPDX-License-Identifier: Apache-2.0 */
/* The list syntax of SANDBOXEC_FS and SANDBOXEC_NET: entries separated by
 * "," or newline; "\," "\\" and "\n" escape a comma, a backslash and a
 * newline; any other escape is an error; empty entries are ignored. */
#ifndef SBX_ENVLIST_H
#define SBX_ENVLIST_H

#include <stddef.h>

#include "error.h"
#include "util.h"

struct sbx_strv {
	char **items;
	size_t len;
	size_t cap;
};

void sbx_strv_push(struct sbx_strv *v, const char *s);
void sbx_strv_free(struct sbx_strv *v);

int sbx_envlist_split(const char *value, struct sbx_strv *out, struct sbx_error *err);

/* The inverse: one entry escaped so that split() gives it back. */
void sbx_envlist_escape(struct sbx_buf *out, const char *entry);

#endif
