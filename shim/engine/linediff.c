/* SPDX-License-Identifier: Apache-2.0 */
/* Line diff; see linediff.h. The longest common subsequence of lines,
 * computed only over the part between the texts' common first and last
 * lines (an edit to a config is usually a few lines), in a table whose
 * size is bounded before it is allocated. */
#include "linediff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "visible.h"

struct line {
	const char *text;
	size_t len;   /* without the newline */
	bool newline; /* ends in "\n" (only the last line may not) */
};

struct lines {
	struct line *v;
	size_t n;
};

enum op_kind { OP_SAME, OP_DEL, OP_ADD };

/* One line of the edit script, with where it stands in each text. */
struct op {
	enum op_kind kind;
	size_t old_at, new_at;
};

struct script {
	struct op *v;
	size_t n;
};

static void split_lines(const char *text, size_t len, struct lines *out)
{
	const char *p = text, *end = text + len, *nl;
	size_t cap = 0;

	out->v = NULL;
	out->n = 0;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		out->v = sbx_xgrow(out->v, out->n, &cap, sizeof(*out->v));
		out->v[out->n].text = p;
		out->v[out->n].len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		out->v[out->n].newline = nl != NULL;
		out->n++;
		p = nl ? nl + 1 : end;
	}
}

static bool same_line(const struct line *a, const struct line *b)
{
	return a->len == b->len && a->newline == b->newline &&
	       memcmp(a->text, b->text, a->len) == 0;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

static void add_op(struct script *s, enum op_kind kind, size_t old_at, size_t new_at)
{
	s->v[s->n].kind = kind;
	s->v[s->n].old_at = old_at;
	s->v[s->n].new_at = new_at;
	s->n++;
}

/* The edit script for old[lo..old_end) against new[lo..new_end): the
 * table holds, for each pair of suffixes, the length of their longest
 * common subsequence; walking it from the start keeps common lines and
 * prefers a removal before an addition. Returns -1 when the table would
 * exceed the bound. */
static int middle_script(const struct lines *old, const struct lines *new, size_t lo,
			 size_t old_end, size_t new_end, struct script *s)
{
	size_t n = old_end - lo, m = new_end - lo, w = m + 1, i, j;
	uint32_t *t;

	if (n + 1 > SBX_LINEDIFF_MAX_CELLS / w)
		return -1;
	t = sbx_xcalloc((n + 1) * w, sizeof(*t));
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			t[i * w + j] = same_line(&old->v[lo + i], &new->v[lo + j])
					   ? t[(i + 1) * w + j + 1] + 1
					   : max_u32(t[(i + 1) * w + j], t[i * w + j + 1]);
	for (i = 0, j = 0; i < n || j < m;) {
		if (i < n && j < m && same_line(&old->v[lo + i], &new->v[lo + j])) {
			add_op(s, OP_SAME, lo + i, lo + j);
			i++, j++;
		} else if (i < n && (j == m || t[(i + 1) * w + j] >= t[i * w + j + 1])) {
			add_op(s, OP_DEL, lo + i++, lo + j);
		} else {
			add_op(s, OP_ADD, lo + i, lo + j++);
		}
	}
	free(t);
	return 0;
}

/* The whole edit script: common head, the middle, common tail. */
static int edit_script(const struct lines *old, const struct lines *new, struct script *s)
{
	size_t head = 0, tail = 0, i;

	while (head < old->n && head < new->n &&same_line(&old->v[head], &new->v[head]))
		head++;
	while (tail < old->n - head && tail < new->n - head &&same_line(&old->v[old->n - 1 - tail],
									&new->v[new->n - 1 - tail]))
		tail++;
	s->n = 0;
	s->v = sbx_xcalloc(old->n + new->n + 1, sizeof(*s->v));
	for (i = 0; i < head; i++)
		add_op(s, OP_SAME, i, i);
	if (middle_script(old, new, head, old->n - tail, new->n - tail, s) < 0)
		return -1;
	for (i = tail; i > 0; i--)
		add_op(s, OP_SAME, old->n - i, new->n - i);
	return 0;
}

static void put_line(struct sbx_buf *out, char mark, const struct line *line, size_t *hidden)
{
	sbx_buf_putc(out, mark);
	*hidden += sbx_buf_put_visible(out, line->text, line->len, 0);
	sbx_buf_putc(out, '\n');
	if (!line->newline)
		sbx_buf_puts(out, "\\ no newline at end of file\n");
}

/* One hunk: ops[0..n) under its "@@ -A,B +C,D @@" header; a side with no
 * line in the hunk is numbered by the line before it, as `diff -u` does. */
static void put_hunk(const struct op *ops, size_t n, const struct lines *old,
		     const struct lines *new, struct sbx_buf *out, size_t *hidden)
{
	size_t old_count = 0, new_count = 0, i;

	for (i = 0; i < n; i++) {
		old_count += ops[i].kind != OP_ADD;
		new_count += ops[i].kind != OP_DEL;
	}
	sbx_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ops[0].old_at + (old_count > 0), old_count,
		       ops[0].new_at + (new_count > 0), new_count);
	for (i = 0; i < n; i++) {
		if (ops[i].kind == OP_ADD)
			put_line(out, '+', &new->v[ops[i].new_at], hidden);
		else
			put_line(out, ops[i].kind == OP_DEL ? '-' : ' ', &old->v[ops[i].old_at],
				 hidden);
	}
}

/* Groups the changes into hunks: changes with at most twice the context
 * of common lines between them share one hunk, so no line is shown twice
 * and none is left out between two hunks. Returns the changed lines. */
static long put_hunks(const struct script *s, const struct lines *old, const struct lines *new,
		      struct sbx_buf *out, size_t *hidden)
{
	size_t i = 0, k, start, last, end;
	long changed = 0;

	while (i < s->n) {
		if (s->v[i].kind == OP_SAME) {
			i++;
			continue;
		}
		start = i > SBX_LINEDIFF_CONTEXT ? i - SBX_LINEDIFF_CONTEXT : 0;
		last = i;
		for (k = i; k < s->n && k - last <= 2 * SBX_LINEDIFF_CONTEXT + 1; k++) {
			if (s->v[k].kind != OP_SAME) {
				last = k;
				changed++;
			}
		}
		end =
		    last + 1 + SBX_LINEDIFF_CONTEXT < s->n ? last + 1 + SBX_LINEDIFF_CONTEXT : s->n;
		put_hunk(&s->v[start], end - start, old, new, out, hidden);
		i = end;
	}
	return changed;
}

long sbx_line_diff(const char *old, size_t old_len, const char *new, size_t new_len,
		   struct sbx_buf *out, size_t *hidden)
{
	struct lines a, b;
	struct script s;
	long changed = -1;

	*hidden = 0;
	split_lines(old, old_len, &a);
	split_lines(new, new_len, &b);
	if (edit_script(&a, &b, &s) == 0)
		changed = put_hunks(&s, &a, &b, out, hidden);
	free(s.v);
	free(a.v);
	free(b.v);
	return changed;
}
