/* SPDX-License-Identifier: Apache-2.0 */
/* libsandboxec.so as an LD_AUDIT module: the policy is applied from
 * la_version(), which ld.so calls right after loading the module and
 * before it maps any library of the program, so no IFUNC resolver,
 * constructor or DT_PREINIT_ARRAY entry of the program runs unconfined.
 * la_version is the one exported name outside the sandboxec_ prefix: the
 * rtld-audit interface looks it up by that name, and without it ld.so
 * unloads the module. Every other audit hook stays undefined, so ld.so
 * audits nothing and the program runs at full speed.
 *
 * The LD_PRELOAD copy of the shim (loaded later, in the program's
 * namespace) must then not add a second layer. This copy tells it through
 * the one thing both share, the initial environment block (envrewrite.h):
 * it writes SANDBOXEC_ACTIVE there, which the preload copy already honours
 * (docs/design.md §4.2), and takes itself out of LD_AUDIT and LD_PRELOAD so that
 * descendants, confined by inheritance, load neither copy again. When the
 * shared block carries the marker, this copy also keeps ld.so from loading
 * the preload copy at all (unlist_preload_copy): it would only find the
 * marker and return. */
#include <link.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/envsettings.h"
#include "engine/util.h"
#include "envrewrite.h"
#include "shim_apply.h"
#include "shim_self.h"

extern char **environ;

/* "NAME=list-without-the-shim", or "NAME" (remove) when nothing is left;
 * NULL when the variable is unset. Allocated for the process's lifetime:
 * the environment block will point at it. */
static const char *loadlist_edit(char **envp, const char *name, const char *seps, const char *self)
{
	const char *value = sbx_env_get(envp, name);
	char *rest, *edit;

	if (!value)
		return NULL;
	rest = sbx_loadlist_without_shim(value, seps, self);
	edit = rest ? sbx_xasprintf("%s=%s", name, rest) : sbx_xstrdup(name);
	free(rest);
	return edit;
}

/* ld.so's own separators for LD_PRELOAD (glibc's handle_preload_list). */
#define LDSO_PRELOAD_SEPS " :"

/* Whether one LD_PRELOAD entry, split as ld.so splits it, is this shim: the
 * entry the edit of LD_PRELOAD drops. */
static bool preload_entry_is_shim(const char *entry, size_t len, const char *self)
{
	char *one = sbx_xstrndup(entry, len);
	char *rest = sbx_loadlist_without_shim(one, LDSO_PRELOAD_SEPS, self);
	bool shim = rest == NULL;

	free(rest);
	free(one);
	return shim;
}

/* ld.so parsed LD_PRELOAD before it loaded this module, but keeps a pointer
 * into the environment string and reads the list only after la_version has
 * returned (glibc's rtld: process_envvars, load_audit_modules, then
 * handle_preload_list). Overwriting this shim's entries in that string with
 * separators makes ld.so skip them without a word (an empty entry is not a
 * name), so the preload copy is not mapped, relocated and run only to find
 * the marker. The string is the one the kernel put on the stack; the
 * program's environment no longer points at it (publish replaced the
 * slot). An ld.so that copied the list instead would load the preload copy
 * as before, which then finds the marker: the same outcome, slower. */
static void unlist_preload_copy(char *list, const char *self)
{
	while (list && *list) {
		size_t len = strcspn(list, LDSO_PRELOAD_SEPS);

		if (len && preload_entry_is_shim(list, len, self))
			memset(list, ':', len);
		list += len;
		if (*list)
			list++;
	}
}

/* The value ld.so took LD_PRELOAD from: the last such entry of the block
 * (each one it meets replaces the one before); NULL when there is none. */
static char *ldso_preload_list(char **envp)
{
	static const char name[] = "LD_PRELOAD=";
	char *list = NULL;
	size_t i;

	for (i = 0; envp[i]; i++)
		if (strncmp(envp[i], name, sizeof(name) - 1) == 0)
			list = envp[i] + sizeof(name) - 1;
	return list;
}

/* The preload copy may stay unloaded only when it would do nothing: the
 * policy is in force (or the tree already carried it) and the shared block
 * now holds the marker it would look for. Not after best-effort without
 * Landlock (it must come to take the note away), nor when the marker found
 * no slot (it then adds its identical layer and sets the marker for the
 * descendants, as before). */
static bool preload_copy_needed(char **shared, char **private_env, bool unsandboxed)
{
	const char *marker = sbx_env_get(private_env, SBX_ENV_ACTIVE);
	const char *published = sbx_env_get(shared, SBX_ENV_ACTIVE);

	return unsandboxed || !marker || !published || strcmp(marker, published) != 0;
}

/* After shim_apply ran on a private copy, writes to the shared block what
 * descendants and the preload copy must see. The marker comes first, so it
 * gets the slot LD_AUDIT or LD_PRELOAD frees when the shim was alone there.
 * Were there no slot at all (no marker inherited, and other modules left in
 * both lists), the preload copy would add one redundant, identical layer:
 * more confinement, never less. */
static void publish(char **shared, char **private_env, bool unsandboxed)
{
	const char *marker = sbx_env_get(private_env, SBX_ENV_ACTIVE);
	const char *old_marker = sbx_env_get(shared, SBX_ENV_ACTIVE);
	const char *self = shim_self_path();
	const char *preload = sbx_env_get(shared, "LD_PRELOAD");
	const char *audit_edit = loadlist_edit(shared, "LD_AUDIT", ":", self);
	const char *preload_edit = loadlist_edit(shared, "LD_PRELOAD", ": \t", self);
	const char *preload_kept = preload_edit ? strchr(preload_edit, '=') : NULL;
	const char *edits[3];
	size_t n = 0;

	if (marker && (!old_marker || strcmp(marker, old_marker) != 0))
		edits[n++] = sbx_xasprintf("%s=%s", SBX_ENV_ACTIVE, marker);
	/* Best-effort without Landlock: no marker, so the preload copy will
	 * resolve again; the note spares the user a second, identical warning.
	 * Only when no inherited marker would be overwritten, and when the
	 * preload copy is coming to remove the note: dropping the shim changed
	 * LD_PRELOAD. (Were it only rejoined with ":", the note would stay; as
	 * a marker it matches no fingerprint, so it would confine nothing.) */
	else if (unsandboxed && !old_marker && preload && *preload && preload_edit &&
		 (!preload_kept || strcmp(preload_kept + 1, preload) != 0)) {
		char fingerprint[SBX_FINGERPRINT_LEN];

		sbx_env_fingerprint(shared, fingerprint);
		edits[n++] =
		    sbx_xasprintf("%s=%s%s", SBX_ENV_ACTIVE, SHIM_NOTE_WARNED, fingerprint);
	}
	if (audit_edit)
		edits[n++] = audit_edit;
	if (preload_edit)
		edits[n++] = preload_edit;
	sbx_envp_rewrite(shared, edits, n);
}

/* Called by ld.so once, with the interface version it speaks. Returning
 * LAV_CURRENT keeps the module loaded; returning at all means the policy
 * is in force, or was knowingly left out (the tree already carries it, or
 * best-effort without Landlock): shim_apply ends the process on any error. */
__attribute__((visibility("default"))) unsigned int la_version(unsigned int version)
{
	char **shared = environ;
	char **private_env;
	char *ldso_preload;
	bool unsandboxed;
	size_t n;

	(void)version;
	/* shim_apply's setenv/unsetenv must not touch the shared block half
	 * way: it works on a private array, and publish() writes the result. */
	for (n = 0; shared && shared[n]; n++)
		;
	private_env = sbx_xcalloc(n + 1, sizeof(*private_env));
	if (n)
		memcpy(private_env, shared, n * sizeof(*private_env));
	environ = private_env;
	unsandboxed = shim_apply(true);
	if (shared) {
		ldso_preload = ldso_preload_list(shared);
		publish(shared, environ, unsandboxed);
		if (!preload_copy_needed(shared, environ, unsandboxed))
			unlist_preload_copy(ldso_preload, shim_self_path());
	}
	environ = shared;
	return LAV_CURRENT;
}
