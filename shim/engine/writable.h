/* SPDX-License-Identifier: Apache-2.0 */
/* Which rule of a policy lets the sandbox replace or change a file that
 * outlives it — the shim the generated settings load, say: a rule granting
 * any right that creates, removes, renames or writes, on the file itself or
 * on a directory the file's path goes through. Kernel-facing (realpath);
 * never applies anything. */
#ifndef SBX_WRITABLE_H
#define SBX_WRITABLE_H

#include "policy.h"
#include "rights.h"

/* The first rule of `policy` under which the sandbox could change what the
 * absolute `path` names: its real path lies in the rule's tree, or the real
 * path of a directory `path` goes through does (the sandbox could then
 * rename a new file or symlink into that name). NULL when none does. */
const struct sbx_fs_rule *sbx_policy_rule_writing(const struct sbx_policy *policy,
						  const char *path);

#endif
