/* Why a command could not be executed under the policy, in words that name
 * the rule to add (SPEC 2.3). Facts are gathered before the policy is
 * applied (afterwards the files may no longer be readable). */
#ifndef SBX_EXEC_DIAGNOSE_H
#define SBX_EXEC_DIAGNOSE_H

#include "policy.h"

struct sbx_exec_facts {
	char *path;	   /* where $PATH lookup finds the command, or NULL */
	char *real;	   /* its real path */
	char *interp;	   /* real path of its ELF loader or #! interpreter, or NULL */
	bool is_script;	   /* starts with #! */
	bool is_static;	   /* an ELF without a loader */
};

void sbx_exec_facts_gather(const char *command, char *const *envp, struct sbx_exec_facts *out);
void sbx_exec_facts_free(struct sbx_exec_facts *facts);

/* After execvp() failed with err_no: prints one "sandboxec: " line and
 * returns the exit status (127 not found, 126 otherwise). */
int sbx_exec_report_failure(const struct sbx_exec_facts *facts, const char *command,
			    int err_no, const struct sbx_policy *policy);

#endif
