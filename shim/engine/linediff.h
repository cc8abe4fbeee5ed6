/* SPDX-License-Identifier: Apache-2.0 */
/* The line diff the trust review shows (docs/design.md §3.3): what changed
 * in a project file since the version trusted last, every line escaped as
 * the review escapes it. Pure: no system calls, no external program. */
#ifndef SBX_LINEDIFF_H
#define SBX_LINEDIFF_H

#include <stddef.h>

#include "util.h"

/* Lines of context around each change, as `diff -u` shows. */
#define SBX_LINEDIFF_CONTEXT 3

/* The most cells the comparison table may have: the changed middle of the
 * two texts (after their common first and last lines) may be about a
 * thousand lines each. A larger rewrite is refused, never slow. */
#define SBX_LINEDIFF_MAX_CELLS (1u << 20)

/* Appends hunks "@@ -A,B +C,D @@" of context (" "), removed ("-") and added
 * ("+") lines turning old into new; a line without a final newline is
 * followed by "\ no newline at end of file". Each line's text goes through
 * sbx_buf_put_visible() on one line (a CR or tab shows as "\r", "\t"), and
 * *hidden counts the escapes. Returns the number of lines removed plus
 * added (0: the texts are the same), or -1, with nothing appended, when
 * the changed middle exceeds SBX_LINEDIFF_MAX_CELLS. */
long sbx_line_diff(const char *old, size_t old_len, const char *new, size_t new_len,
		   struct sbx_buf *out, size_t *hidden);

#endif
