/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI's option table: one row per option, feeding getopt_long, --help
 * and the man page check. Settings options name their row of the settings
 * table (policy.h), so the flag, the variable and the YAML key stay one. */
#ifndef SBX_OPTIONS_H
#define SBX_OPTIONS_H

#include "cli.h"
#include "engine/policy.h"

enum sbx_opt_id {
	SBX_OPT_CONFIG,
	SBX_OPT_NAMED_CONFIG,
	SBX_OPT_FS,
	SBX_OPT_NET,
	SBX_OPT_ABI,
	SBX_OPT_BEST_EFFORT,
	SBX_OPT_IGNORE_IF_MISSING,
	SBX_OPT_RESTRICT_SCOPED,
	SBX_OPT_UNSAFE_HOST_RUNTIME,
	SBX_OPT_MODE,
	SBX_OPT_FORMAT,
	SBX_OPT_MAX_OUTPUT,
	SBX_OPT_MAX_TIMEOUT,
	SBX_OPT_VERSION,
	SBX_OPT_HELP,
	SBX_OPT_COUNT
};

enum sbx_opt_arg {
	SBX_ARG_NONE,
	SBX_ARG_REQUIRED,
	SBX_ARG_BOOL, /* --flag or --flag=false */
};

struct sbx_option {
	enum sbx_opt_id id;
	const char *long_name;
	char short_name; /* 0 when none */
	enum sbx_opt_arg arg;
	const char *arg_name;
	int setting; /* enum sbx_setting, or -1 */
	const char *help;
};

extern const struct sbx_option sbx_options[SBX_OPT_COUNT];

/* Mode names a user may pass to --mode. */
struct sbx_mode_def {
	const char *name;
	int (*run)(struct sbx_cli *cli);
	bool needs_policy;  /* resolve the policy before running */
	bool takes_command; /* COMMAND allowed */
	bool needs_command; /* COMMAND required */
	int config_mode;    /* the enum sbx_mode a config may also select, or -1 */
	const char *help;
};

#endif
