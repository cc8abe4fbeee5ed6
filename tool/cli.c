/* SPDX-License-Identifier: Apache-2.0 */
/* What every mode shares: where this binary and its shim live, printing
 * errors, and confining the current process with the resolved policy. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "engine/confine.h"
#include "engine/envsettings.h"
#include "engine/resolve.h"
#include "engine/seccomp_filter.h"
#include "engine/util.h"

extern char **environ;

void sbx_cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sandboxec: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void print_stderr(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	fwrite(text, 1, len, stderr);
}

/* With no flags, this policy is exactly what a shim in a descendant would
 * build from the same environment, so it gets the same marker and the shim
 * adds no layer; flags make it a different policy, so a shim adds its own
 * (docs/design.md §4.2). */
bool sbx_cli_policy_from_flags(const struct sbx_cli *cli)
{
	bool from_flags = false;
	size_t i;

	for (i = 0; i < SBX_SETTING_COUNT; i++)
		from_flags |= cli->flags.set[i] && i != SBX_SET_MODE;
	return from_flags || cli->flags.config_file || cli->flags.named_config ||
	       cli->flags.add_fs.len || cli->flags.add_net.len;
}

bool sbx_cli_inside_layer(void)
{
	return sbx_env_get(environ, SBX_ENV_ACTIVE) && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
}

int sbx_cli_confine(struct sbx_cli *cli)
{
	char fingerprint[SBX_FINGERPRINT_LEN];
	struct sbx_confine confine = {
	    .policy = &cli->policy,
	    .marker = fingerprint,
	    .print = print_stderr,
	    .seccomp_extra = cli->trace_refusals ? SBX_SECCOMP_TRACE_NET : 0,
	};
	struct sbx_error err = {{0}};

	if (sbx_cli_policy_from_flags(cli))
		confine.marker = "flags";
	else
		sbx_env_fingerprint(environ, fingerprint);
	switch (sbx_confine(&confine, &err)) {
	case SBX_CONFINE_PLAN_FAILED:
		sbx_cli_error("%s", err.msg);
		return 1;
	case SBX_CONFINE_APPLY_FAILED:
		sbx_cli_error("%s; nothing was run", err.msg);
		return 1;
	default:
		return 0;
	}
}

char **sbx_cli_env_with(const char *const *drop, const char *const *extra)
{
	size_t n = 0, k = 0, i, j;
	char **out;

	while (environ[n])
		n++;
	for (j = 0; extra[j]; j++)
		;
	out = sbx_xcalloc(n + j + 1, sizeof(*out));
	for (i = 0; i < n; i++) {
		bool keep = true;

		for (j = 0; drop[j] && keep; j++)
			keep = strncmp(environ[i], drop[j], strlen(drop[j])) != 0;
		if (keep)
			out[k++] = environ[i];
	}
	for (j = 0; extra[j]; j++)
		out[k++] = (char *)extra[j];
	return out;
}

int sbx_cli_resolve_for_review(struct sbx_cli *cli, struct sbx_error *err)
{
	static const char *const drop[] = {"SANDBOXEC_TRUST_PROJECT=", NULL};
	static const char *const extra[] = {"SANDBOXEC_TRUST_PROJECT=1", NULL};
	char **envp = sbx_cli_env_with(drop, extra);
	struct sbx_resolve_input in = {&cli->flags, envp, cli->self_dir, cli->shim_path, false};
	int ret = sbx_resolve(&in, &cli->policy, err);

	free(envp);
	if (ret == 0)
		cli->untrusted_project = true;
	return ret;
}
