/* SPDX-License-Identifier: Apache-2.0 */
/* In-place edits of the initial environment block; see envrewrite.h.
 * Pure array work: no getenv/setenv, no allocation in sbx_envp_rewrite,
 * sbx_envp_remove and sbx_envp_set. */
#include "envrewrite.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/util.h"

char *sbx_loadlist_without_shim(const char *list, const char *seps, const char *self)
{
	struct sbx_buf kept = {0};
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, seps);
		char *entry = sbx_xstrndup(p, len);
		const char *base = strrchr(entry, '/');
		const char *name = base ? base + 1 : entry;
		/* The fast audit entry goes too: named before the shim, it is
		 * part of the same settings. */
		bool ours = strcmp(name, "libsandboxec.so") == 0 ||
			    strcmp(name, "libsandboxec-fast.so") == 0;

		/* The name alone settles the usual entry; only another name (a
		 * renamed copy or a link) costs a realpath, a readlink per
		 * path component. */
		if (len && !ours && self) {
			char *real = realpath(entry, NULL);

			ours = real && strcmp(real, self) == 0;
			free(real);
		}
		if (len && !ours)
			sbx_buf_printf(&kept, "%s%s", kept.len ? ":" : "", entry);
		free(entry);
		p += len;
		if (*p)
			p++;
	}
	if (!kept.len) {
		sbx_buf_free(&kept);
		return NULL;
	}
	return sbx_buf_steal(&kept);
}

/* The length of an edit's NAME (up to "=" or the end). */
static size_t edit_name_len(const char *edit)
{
	return strcspn(edit, "=");
}

/* Whether entry is name's ("name=..."): unsetenv's and setenv's match.
 * The first byte is compared inline: most entries differ there, and the
 * shim walks the whole environment at every cold exec. */
static bool entry_is(const char *entry, const char *name, size_t len)
{
	return (len == 0 || entry[0] == name[0]) && strncmp(entry, name, len) == 0 &&
	       entry[len] == '=';
}

static ptrdiff_t find_slot(char **envp, const char *name, size_t len)
{
	ptrdiff_t i;

	for (i = 0; envp[i]; i++) {
		if (entry_is(envp[i], name, len))
			return i;
	}
	return -1;
}

size_t sbx_envp_rewrite(char **envp, const char *const *edits, size_t n_edits)
{
	/* A freed slot holds this sentinel until the compaction at the end,
	 * so a "set" without a slot of its own can still take it. */
	static char freed[] = "";
	size_t i, n, out = 0, unplaced = 0;
	ptrdiff_t slot;

	/* First every edit whose variable has a slot: replace or free it. */
	for (i = 0; i < n_edits; i++) {
		size_t len = edit_name_len(edits[i]);

		slot = find_slot(envp, edits[i], len);
		if (slot >= 0)
			envp[slot] = edits[i][len] == '=' ? (char *)edits[i] : freed;
	}
	/* Then, in order, the sets that had none take a freed slot. */
	for (i = 0; i < n_edits; i++) {
		size_t len = edit_name_len(edits[i]);

		if (edits[i][len] != '=' || find_slot(envp, edits[i], len) >= 0)
			continue;
		for (slot = 0; envp[slot] && envp[slot] != freed; slot++)
			;
		if (envp[slot])
			envp[slot] = (char *)edits[i];
		else
			unplaced++;
	}
	for (n = 0; envp[n]; n++) {
		if (envp[n] != freed)
			envp[out++] = envp[n];
	}
	envp[out] = NULL;
	return unplaced;
}

size_t sbx_envp_remove(char **envp, const char *name)
{
	size_t len = strlen(name), n, out = 0;

	if (!envp) /* a constructor called clearenv() */
		return 0;
	for (n = 0; envp[n]; n++) {
		if (!entry_is(envp[n], name, len))
			envp[out++] = envp[n];
	}
	envp[out] = NULL;
	return n - out;
}

bool sbx_envp_set(char **envp, const char *entry, size_t room)
{
	size_t len = (size_t)(strchr(entry, '=') - entry), n;

	if (!envp)
		return false;
	for (n = 0; envp[n]; n++) {
		if (entry_is(envp[n], entry, len)) {
			envp[n] = (char *)entry;
			return true;
		}
	}
	if (!room)
		return false;
	envp[n] = (char *)entry;
	envp[n + 1] = NULL;
	return true;
}
