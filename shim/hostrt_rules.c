/* --unsafe-host-runtime → rules: runs the ELF resolver (hostrt.h) on the
 * policy's own environment and appends what it found as host-runtime rules,
 * which explain prints apart from the user's and env mode writes out. */
#include "hostrt_rules.h"

#include <stdlib.h>
#include <unistd.h>

#include "hostrt.h"
#include "landlock_abi.h"
#include "rule.h"

/* The $PATH a command will be looked up in: execvp uses the confstr
 * default when PATH is unset, so the runtime granted is that of the
 * programs it can actually find (an unset PATH must not mean ".", which
 * is what an empty one means). */
static char *search_path(char *const *envp)
{
	const char *path = sbx_env_get(envp, "PATH");
	size_t len;
	char *def;

	if (path)
		return sbx_xstrdup(path);
	len = confstr(_CS_PATH, NULL, 0);
	if (!len)
		return sbx_xstrdup("/bin:/usr/bin");
	def = sbx_xcalloc(1, len);
	confstr(_CS_PATH, def, len);
	return def;
}

int sbx_hostrt_add_rules(char *const *envp, struct sbx_policy *policy, struct sbx_error *err)
{
	struct sbx_hostrt rt;
	char *path = search_path(envp);
	size_t i;
	int ret;

	/* The resolver's threads are all joined before it returns, so the
	 * caller is single-threaded again when it restricts itself. */
	ret = sbx_hostrt_resolve(path, sbx_env_get(envp, "LD_LIBRARY_PATH"), &rt, err);
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
