/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI's shared context: what main() parsed and resolved, handed to the
 * mode that runs. Each mode is one entry in main.c's mode table and one
 * function here. */
#ifndef SBX_CLI_H
#define SBX_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/policy.h"

struct sbx_cli {
	int argc; /* the COMMAND and its arguments (argc may be 0) */
	char **argv;
	struct sbx_layer flags;	  /* what the command line said */
	struct sbx_policy policy; /* resolved: flags > environment > file > defaults */
	char *self_dir;		  /* directory of the running sandboxec binary */
	char *shim_path;	  /* libsandboxec.so that goes with this binary, or NULL */
	const char *format;	  /* --format, for env */
	const char *output;	  /* -o, --output: learn's profile file */
	size_t max_output;	  /* --max-output: bytes kept per stream (mcp) */
	long max_timeout_ms;	  /* --max-timeout-ms: upper bound on a call (mcp) */
	int kernel_abi;
	bool report;		/* --report: trace the command, print what was denied */
	int report_backend;	/* --report=audit|tracer: enum sbx_report_backend */
	int hints;		/* --hints: 1 on, 0 off, -1 unset (SANDBOXEC_HINTS decides) */
	bool untrusted_project; /* explain: the policy shown uses an untrusted project file */
	bool trace_refusals;	/* confining --report's traced child: the seccomp
				 * filter's network refusals stop the tracer */
};

/* Which of --report's observers to use: the kernel's audit records where
 * they can be read, else the tracer (docs/diagnostics.md). */
enum sbx_report_backend { SBX_REPORT_AUTO, SBX_REPORT_AUDIT, SBX_REPORT_TRACER };

/* Applies the resolved policy to this very process through the engine's
 * sbx_confine (no_new_privs, one Landlock layer, the SANDBOXEC_ACTIVE
 * marker: "flags" when flags shaped the policy, else the settings'
 * fingerprint). Returns 0 when confined (or when best-effort degraded to
 * nothing after its warning); otherwise prints one "sandboxec: " line and
 * returns 1. */
int sbx_cli_confine(struct sbx_cli *cli);

/* Whether options shaped the policy (then it is not the one a shim would
 * build from the same environment, and its marker is "flags"). */
bool sbx_cli_policy_from_flags(const struct sbx_cli *cli);

/* Whether this process runs under a sandboxec layer already: the marker,
 * believed only under no_new_privs as the shim believes it (docs/design.md
 * §4.2), e.g. when the shim in LD_PRELOAD confined sandboxec before main. */
bool sbx_cli_inside_layer(void);

/* A copy of environ without the variables named by the NULL-terminated
 * prefixes, then the `extra` entries; free() the array only (the strings
 * stay environ's and extra's). */
char **sbx_cli_env_with(const char *const *drop, const char *const *extra);

/* explain on a project file that is not trusted: resolves as if it were,
 * so it can be reviewed before `--mode trust` (docs/design.md §3.3). Only
 * trust differs from the resolution that failed. Returns 0 and sets
 * cli->untrusted_project when that resolution works. */
int sbx_cli_resolve_for_review(struct sbx_cli *cli, struct sbx_error *err);

int sbx_mode_run(struct sbx_cli *cli);
int sbx_mode_explain(struct sbx_cli *cli);
int sbx_mode_trust(struct sbx_cli *cli);
int sbx_mode_env(struct sbx_cli *cli);
int sbx_mode_mcp(struct sbx_cli *cli);
int sbx_mode_learn(struct sbx_cli *cli);

/* Prints "sandboxec: <message>" on stderr; the caller picks the exit status. */
void sbx_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
