/* --unsafe-host-runtime → rules. Placeholder until the ELF resolver lands:
 * refuses rather than silently granting nothing or everything. */
#include "hostrt_rules.h"

int sbx_hostrt_add_rules(char *const *envp, struct sbx_policy *policy, struct sbx_error *err)
{
	(void)envp;
	(void)policy;
	return sbx_error_set(err, "not available in this build yet; grant the runtime with "
				  "explicit rules such as --fs rx:/usr");
}
