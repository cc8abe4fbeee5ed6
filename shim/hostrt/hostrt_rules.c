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

int sbx_hostrt_add_rules(char *const *envp, struct sbx_policy *policy, struct sbx_error *err)
{
	struct sbx_hostrt rt;
	char *path = search_path(envp);
	size_t i;
	int ret;

	/* The resolver's threads are all joined before it returns, so the
	 * caller is single-threaded again when it restricts itself. With no
	 * absolute $PATH element, only the cache is granted (nothing to scan). */
	if (path)
		ret = sbx_hostrt_resolve(path, sbx_env_get(envp, "LD_LIBRARY_PATH"), &rt, err);
	else
		ret = sbx_hostrt_resolve_files(NULL, 0, sbx_env_get(envp, "LD_LIBRARY_PATH"), &rt,
					       err);
	free(path);
	if (ret < 0)
		return -1;
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
