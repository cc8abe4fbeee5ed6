/* SPDX-License-Identifier: Apache-2.0 */
/* What every mode shares: where this binary and its shim live, printing
 * errors, and confining the current process with the resolved policy. */
#include "cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/envsettings.h"

extern char **environ;

#include "engine/policy_print.h"
#include "engine/landlock_plan.h"

void sbx_cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sandboxec: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int sbx_cli_confine(struct sbx_cli *cli)
{
	char fingerprint[SBX_FINGERPRINT_LEN];
	struct sbx_error err = {{0}};
	struct sbx_plan plan;
	const char *why = NULL;
	int abi = sbx_kernel_abi(&why);

	if (sbx_plan_build(&cli->policy, abi, why, &plan, &err) < 0) {
		sbx_cli_error("%s", err.msg);
		return 1;
	}
	if (cli->policy.verbose) {
		struct sbx_buf text = {0};

		sbx_plan_write_yaml(&plan, &text);
		fputs(text.data, stderr);
		sbx_buf_free(&text);
	}
	if (plan.warning)
		fprintf(stderr, "%s\n", plan.warning);
	if (sbx_plan_apply(&plan, &err) < 0) {
		sbx_cli_error("%s; nothing was run", err.msg);
		sbx_plan_free(&plan);
		return 1;
	}
	/* Mark the tree as confined (docs/design.md §4.2). With no flags, this policy is
	 * exactly what a shim in a descendant would build from the same
	 * environment, so it gets the same marker and adds no layer; flags
	 * make it a different policy, so a shim adds its own. */
	if (!plan.unsandboxed) {
		bool from_flags = false;
		size_t i;

		for (i = 0; i < SBX_SETTING_COUNT; i++)
			from_flags |= cli->flags.set[i] && i != SBX_SET_MODE;
		from_flags |= cli->flags.config_file || cli->flags.named_config;
		sbx_env_fingerprint(environ, fingerprint);
		setenv(SBX_ENV_ACTIVE, from_flags ? "flags" : fingerprint, 1);
	}
	sbx_plan_free(&plan);
	return 0;
}
