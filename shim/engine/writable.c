/* SPDX-License-Identifier: Apache-2.0 */
/* Which rule makes a path writable to the sandbox; see writable.h. */
#include "writable.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The writable rule whose tree holds the real path of `path`, or NULL. A
 * path that does not resolve is not there to be changed. */
static const struct sbx_fs_rule *rule_holding(const struct sbx_policy *policy, const char *path)
{
	char real[PATH_MAX];
	size_t i;

	if (!realpath(path, real))
		return NULL;
	for (i = 0; i < policy->n_fs; i++) {
		char tree[PATH_MAX];

		if (!(policy->fs[i].access & SBX_FS_WRITE_ACCESS))
			continue;
		if (realpath(policy->fs[i].path, tree) && sbx_path_in_tree(real, tree))
			return &policy->fs[i];
	}
	return NULL;
}

const struct sbx_fs_rule *sbx_policy_rule_writing(const struct sbx_policy *policy, const char *path)
{
	const struct sbx_fs_rule *rule = rule_holding(policy, path);
	char *dir = sbx_xstrdup(path);
	char *slash;

	/* Every directory on the way, as named: each entry in it could be
	 * replaced. "/" itself only matters to a rule on "/", which holds the
	 * file already. */
	while (!rule && (slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		rule = rule_holding(policy, dir);
	}
	free(dir);
	return rule;
}
