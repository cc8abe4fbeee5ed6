/* SPDX-License-Identifier: Apache-2.0 */
/* Escaping what a terminal would hide; see visible.h. Pure: strings in,
 * strings out. */
#include "visible.h"

#include <stdint.h>
#include <stdio.h>

struct cp_range {
	uint32_t lo, hi;
};

/* Code points that show nothing, or change how the text around them is
 * shown: C0/C1 controls and DEL, bidi embeddings, overrides, isolates and
 * marks, zero-width and invisible formatting characters, spaces YAML does
 * not read as spaces, line and paragraph separators, variation selectors,
 * tags, noncharacters. Sorted, so the lookup can stop early. */
static const struct cp_range hidden_ranges[] = {
    {0x0000, 0x001f},	/* C0 controls */
    {0x007f, 0x009f},	/* DEL, C1 controls (CSI, NEL ...) */
    {0x00a0, 0x00a0},	/* no-break space */
    {0x00ad, 0x00ad},	/* soft hyphen */
    {0x034f, 0x034f},	/* combining grapheme joiner */
    {0x061c, 0x061c},	/* Arabic letter mark */
    {0x115f, 0x1160},	/* Hangul fillers */
    {0x1680, 0x1680},	/* Ogham space */
    {0x17b4, 0x17b5},	/* Khmer invisible vowels */
    {0x180b, 0x180f},	/* Mongolian selectors, vowel separator */
    {0x2000, 0x200f},	/* spaces; zero-width space, joiners, LRM, RLM */
    {0x2028, 0x202f},	/* line/paragraph separators; LRE RLE PDF LRO RLO */
    {0x205f, 0x206f},	/* word joiner, invisible operators, isolates */
    {0x3000, 0x3000},	/* ideographic space */
    {0x3164, 0x3164},	/* Hangul filler */
    {0xfe00, 0xfe0f},	/* variation selectors */
    {0xfeff, 0xfeff},	/* zero-width no-break space, BOM */
    {0xffa0, 0xffa0},	/* halfwidth Hangul filler */
    {0xfff0, 0xfffb},	/* interlinear annotation */
    {0xfffe, 0xffff},	/* noncharacters */
    {0x1bca0, 0x1bca3}, /* shorthand format controls */
    {0x1d173, 0x1d17a}, /* musical formatting */
    {0xe0000, 0xe0fff}, /* tags, variation selectors supplement */
};

static bool cp_hidden(uint32_t cp)
{
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(hidden_ranges) && hidden_ranges[i].lo <= cp; i++) {
		if (cp <= hidden_ranges[i].hi)
			return true;
	}
	return false;
}

bool sbx_visible_escape(const char *text, size_t left, size_t *unit, char esc[SBX_VISIBLE_ESC_MAX])
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t cp;
	size_t len = sbx_utf8_decode(s, left, &cp);

	if (!len) {
		*unit = 1;
		snprintf(esc, SBX_VISIBLE_ESC_MAX, "\\x%02x", s[0]);
		return true;
	}
	*unit = len;
	if (!cp_hidden(cp))
		return false;
	if (cp == '\r' || cp == '\n' || cp == '\t')
		snprintf(esc, SBX_VISIBLE_ESC_MAX, "\\%c",
			 cp == '\r'   ? 'r'
			 : cp == '\n' ? 'n'
				      : 't');
	else if (cp < 0x80)
		snprintf(esc, SBX_VISIBLE_ESC_MAX, "\\x%02x", (unsigned)cp);
	else if (cp <= 0xffff)
		snprintf(esc, SBX_VISIBLE_ESC_MAX, "\\u%04x", (unsigned)cp);
	else
		snprintf(esc, SBX_VISIBLE_ESC_MAX, "\\U%08x", (unsigned)cp);
	return true;
}

bool sbx_visible_is_break(const char *text, size_t left)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t cp;
	size_t len = sbx_utf8_decode(s, left, &cp);

	return len && (cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029);
}

size_t sbx_buf_put_visible(struct sbx_buf *out, const char *text, size_t len, unsigned flags)
{
	char esc[SBX_VISIBLE_ESC_MAX];
	size_t i = 0, unit, escaped = 0;

	while (i < len) {
		bool lines = flags & SBX_VISIBLE_LINES;

		if (lines && (text[i] == '\n' || text[i] == '\t')) {
			sbx_buf_putc(out, text[i++]);
			continue;
		}
		if (!sbx_visible_escape(text + i, len - i, &unit, esc)) {
			sbx_buf_append(out, text + i, unit);
			i += unit;
			continue;
		}
		sbx_buf_puts(out, esc);
		escaped++;
		/* YAML starts a new line here: so does the review. */
		if (lines && sbx_visible_is_break(text + i, len - i) &&
		    (i + unit == len || text[i + unit] != '\n'))
			sbx_buf_putc(out, '\n');
		i += unit;
	}
	return escaped;
}
