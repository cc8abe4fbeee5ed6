/* SPDX-License-Identifier: Apache-2.0 */
/* Why a command could not be executed under the policy, in words that name
 * the rule to add (docs/design.md §2.3). Facts are gathered before the policy is
 * applied (afterwards the files may no longer be readable). */
#ifndef SBX_EXEC_DIAGNOSE_H
#define SBX_EXEC_DIAGNOSE_H

#include "engine/policy.h"

struct sbx_exec_facts {
	char *path;	    /* the first $PATH candidate executable by its mode, or NULL */
	char *named_interp; /* its ELF loader or #! interpreter as the file names it */
	char *real;	    /* its real path (after sbx_exec_facts_resolve) */
	char *interp;	    /* real path of named_interp, or NULL (after resolve) */
	bool is_script;	    /* starts with #! */
	bool is_static;	    /* an ELF without a loader */
	bool is_32bit;	    /* a 32-bit ELF (its loader is not read) */
	bool resolved;
};

/* Reads what must be read before the policy applies (the file's first
 * bytes); the real paths wait for sbx_exec_facts_resolve, which only a
 * failed exec or explain needs (readlink() is not subject to Landlock), so
 * a successful `sandboxec -- CMD` does not pay for them. */
void sbx_exec_facts_gather(const char *command, char *const *envp, struct sbx_exec_facts *out);
void sbx_exec_facts_resolve(struct sbx_exec_facts *facts);
void sbx_exec_facts_free(struct sbx_exec_facts *facts);

/* Execs argv: a name with a slash as execvp() does; a bare name at
 * facts->path, the first $PATH candidate executable by its mode, and
 * nowhere else, so a candidate the policy denies is reported (126) rather
 * than skipped for a later one. Returns only on failure, with the status
 * sbx_exec_report_failure gave after printing why. */
int sbx_exec_command(char *const argv[], struct sbx_exec_facts *facts,
		     const struct sbx_policy *policy);

/* After execvp() failed with err_no: prints one "sandboxec: " line and
 * returns the exit status (127 not found, 126 otherwise). */
int sbx_exec_report_failure(struct sbx_exec_facts *facts, const char *command, int err_no,
			    const struct sbx_policy *policy);

#endif
