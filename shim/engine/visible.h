/* SPDX-License-Identifier: Apache-2.0 */
/* Text shown to a person for review (docs/design.md §3.3, §5): every byte or
 * character a terminal would not show as itself — controls, bidi controls,
 * invisible and zero-width code points, bytes that are not UTF-8 — is
 * written as an escape, so what is shown is exactly what is there. Pure:
 * no system calls. */
#ifndef SBX_VISIBLE_H
#define SBX_VISIBLE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Room for the longest escape, "\U000e0001", and its NUL. */
#define SBX_VISIBLE_ESC_MAX 12

/* Looks at the character starting at text (at most left bytes). Sets *unit
 * to its length (1 for a byte that does not start valid UTF-8). Returns
 * true when it must not be shown as itself, with its escape in esc:
 * "\r", "\n", "\t", "\xHH" for a control byte or a byte that is not UTF-8,
 * "\uHHHH" or "\UHHHHHHHH" for a code point — all spellings a YAML
 * double-quoted scalar reads back as the same character. */
bool sbx_visible_escape(const char *text, size_t left, size_t *unit, char esc[SBX_VISIBLE_ESC_MAX]);

/* Whether the character is a line break for YAML that the escape hides
 * (CR, NEL, U+2028, U+2029). */
bool sbx_visible_is_break(const char *text, size_t left);

enum sbx_visible_flags {
	/* Keep newlines and tabs as they are (a whole file); after an
	 * escaped line break that no newline follows, start a new line, so
	 * the lines shown are the lines YAML reads. Without it, one line. */
	SBX_VISIBLE_LINES = 1,
};

/* Appends text[0..len) with every hidden character escaped; returns how
 * many were escaped. */
size_t sbx_buf_put_visible(struct sbx_buf *out, const char *text, size_t len, unsigned flags);

#endif
