/* SPDX-License-Identifier: Apache-2.0 */
/* --unsafe-host-runtime → rules: runs the ELF resolver (hostrt.h) on the
 * policy's own environment and appends what it found as host-runtime rules,
 * which explain prints apart from the user's and env mode writes out. */
#include "hostrt_rules.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostrt.h"
#include "engine/landlock_abi.h"
#include "engine/rights.h"
#include "engine/util.h"

/* The $PATH a command will be looked up in: execvp uses the confstr
 * default when PATH is unset. Only absolute elements are kept: an empty or
 * relative one means the current directory, and read+exec on that (and
 * everything under it) is not a runtime but the user's data; a program
 * found there needs its own rule. */
static char *search_path(char *const *envp)
{
	const char *path = sbx_env_get(envp, "PATH"), *p;
	struct sbx_buf kept = {0};
	char *def = NULL;

	if (!path) {
		size_t len = confstr(_CS_PATH, NULL, 0);

		def = sbx_xcalloc(1, len ? len : 1);
		if (len)
			confstr(_CS_PATH, def, len);
		path = def[0] ? def : "/bin:/usr/bin";
	}
	for (p = path;;) {
		size_t len = strcspn(p, ":");

		if (len && p[0] == '/') {
			if (kept.len)
				sbx_buf_putc(&kept, ':');
			sbx_buf_append(&kept, p, len);
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	free(def);
	/* NULL, not "": the resolver would read an empty $PATH as ".". */
	return kept.len ? sbx_buf_steal(&kept) : NULL;
}

/* The real paths of the trees the policy's own rules make writable: the
 * resolver grants nothing found in or through them (docs/host-runtime.md
 * "Writable trees"). */
static char **writable_trees(const struct sbx_policy *policy, size_t *n)
{
	char **trees = sbx_xcalloc(policy->n_fs + 1, sizeof(*trees));
	size_t i;

	*n = 0;
	for (i = 0; i < policy->n_fs; i++) {
		char *real;

		if (!(policy->fs[i].access & SBX_FS_WRITE_ACCESS))
			continue;
		real = realpath(policy->fs[i].path, NULL);
		if (real)
			trees[(*n)++] = real;
	}
	return trees;
}

static void note_refusals(struct sbx_policy *policy, const struct sbx_hostrt *rt)
{
	size_t i;

	if (!rt->n_refused)
		return;
	policy->hostrt_refused = sbx_xcalloc(rt->n_refused, sizeof(*policy->hostrt_refused));
	for (i = 0; i < rt->n_refused; i++)
		policy->hostrt_refused[i] = sbx_xasprintf(
		    "host runtime: not granted: %s; grant it with --fs yourself if you trust it",
		    rt->refused[i].text);
	policy->n_hostrt_refused = rt->n_refused;
}

static int add_rules(char *const *envp, struct sbx_policy *policy, struct sbx_error *err)
{
	struct sbx_hostrt rt;
	char *path = search_path(envp);
	size_t i, n_trees;
	char **trees = writable_trees(policy, &n_trees);
	int ret;

	/* The resolver's threads are all joined before it returns, so the
	 * caller is single-threaded again when it restricts itself. With no
	 * absolute $PATH element, only the cache is granted (nothing to scan). */
	if (path)
		ret = sbx_hostrt_resolve_guarded(path, sbx_env_get(envp, "LD_LIBRARY_PATH"),
						 (const char *const *)trees, n_trees, &rt, err);
	else
		ret = sbx_hostrt_resolve_files(NULL, 0, sbx_env_get(envp, "LD_LIBRARY_PATH"), &rt,
					       err);
	free(path);
	for (i = 0; i < n_trees; i++)
		free(trees[i]);
	free(trees);
	if (ret < 0)
		return -1;
	note_refusals(policy, &rt);
	for (i = 0; i < rt.len; i++) {
		const struct sbx_hostrt_entry *e = &rt.entries[i];
		char *origin = sbx_xasprintf("host runtime: %s", e->why);

		sbx_policy_add_fs(policy, e->path, e->access,
				  (e->access & SBX_LL_FS_EXECUTE) ? "rx" : "r", origin);
		policy->fs[policy->n_fs - 1].kind = SBX_RULE_HOST_RUNTIME;
		free(origin);
	}
	sbx_hostrt_free(&rt);
	return 0;
}

/* The i386 copy of the shim, in a 32-bit program (docs/shim.md, "32-bit
 * programs"), refuses: the programs on $PATH are the machine's 64-bit
 * ones, which the i386 loader's search does not describe, and libelf would
 * have to be an i386 build too. The CLI and the 64-bit shim resolve. */
int sbx_hostrt_add_rules(char *const *envp, struct sbx_policy *policy, struct sbx_error *err)
{
#if defined(__i386__)
	return sbx_error_set(err, "a 32-bit (i386) program cannot resolve the host runtime "
				  "itself; load it with the settings of `sandboxec --mode env "
				  "--unsafe-host-runtime`, which carry the resolved rules, or "
				  "run it with `sandboxec --unsafe-host-runtime --`");
#endif
	return add_rules(envp, policy, err);
}
