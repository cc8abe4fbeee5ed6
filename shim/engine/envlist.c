/* SPDX-License-Identifier: Apache-2.0 */
/* SANDBOXEC_FS / SANDBOXEC_NET list syntax; see envlist.h. */
#include "envlist.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void sbx_strv_push(struct sbx_strv *v, const char *s)
{
	v->items = sbx_xgrow(v->items, v->len, &v->cap, sizeof(*v->items));
	v->items[v->len++] = sbx_xstrdup(s);
}

void sbx_strv_free(struct sbx_strv *v)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		free(v->items[i]);
	free(v->items);
	v->items = NULL;
	v->len = 0;
	v->cap = 0;
}

static int is_blank(const char *s)
{
	for (; *s; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return 0;
	}
	return 1;
}

static void push_entry(struct sbx_strv *out, struct sbx_buf *entry)
{
	if (entry->len && !is_blank(entry->data))
		sbx_strv_push(out, entry->data);
	entry->len = 0;
	if (entry->data)
		entry->data[0] = '\0';
}

/* The bytes up to the next separator, escape or end. A loop, not
 * strcspn: libc's strcspn and the table it shifts with lie in two pages
 * nothing else on the shim's cold path touches, two page faults per cold
 * exec (docs/perf.md §2). */
static size_t plain_run_length(const char *p)
{
	size_t len = 0;

	while (p[len] && p[len] != ',' && p[len] != '\n' && p[len] != '\\')
		len++;
	return len;
}

int sbx_envlist_split(const char *value, struct sbx_strv *out, struct sbx_error *err)
{
	struct sbx_buf entry = {0};
	const char *p;

	for (p = value; *p; p++) {
		/* What needs no look runs to the next separator or escape:
		 * one append, not one per byte. */
		size_t run = plain_run_length(p);

		sbx_buf_append(&entry, p, run);
		p += run;
		if (!*p)
			break;
		if (*p == ',' || *p == '\n') {
			push_entry(out, &entry);
			continue;
		}
		p++;
		switch (*p) {
		case ',':
			sbx_buf_putc(&entry, ',');
			break;
		case '\\':
			sbx_buf_putc(&entry, '\\');
			break;
		case 'n':
			sbx_buf_putc(&entry, '\n');
			break;
		case '\0':
			sbx_buf_free(&entry);
			sbx_strv_free(out);
			return sbx_error_set(err, "the list ends in an unterminated escape \"\\\"; "
						  "write \\\\ for a backslash");
		default:
			sbx_buf_free(&entry);
			sbx_strv_free(out);
			return sbx_error_set(err,
					     "unknown escape \"\\%c\"; only \\, \\\\ and \\n are "
					     "escapes (write \\\\ for a backslash)",
					     *p);
		}
	}
	push_entry(out, &entry);
	sbx_buf_free(&entry);
	return 0;
}

void sbx_envlist_escape(struct sbx_buf *out, const char *entry)
{
	static const struct sbx_escape list_escapes[] = {
	    {',', "\\,"},
	    {'\\', "\\\\"},
	    {'\n', "\\n"},
	    {0},
	};

	sbx_buf_put_escaped(out, entry, list_escapes, false);
}
