/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI's option and mode tables (options.c): one row per option, feeding
 * getopt_long, --help and the man page check. Settings options name their
 * row of the settings table (policy.h), so the flag, the variable and the
 * YAML key stay one. */
#ifndef SBX_OPTIONS_H
#define SBX_OPTIONS_H

#include "cli.h"
#include "engine/policy.h"

enum sbx_opt_id {
	SBX_OPT_CONFIG,
	SBX_OPT_NAMED_CONFIG,
	SBX_OPT_FS,
	SBX_OPT_NET,
	SBX_OPT_ADD_FS,
	SBX_OPT_ADD_NET,
	SBX_OPT_ABI,
	SBX_OPT_BEST_EFFORT,
	SBX_OPT_IGNORE_IF_MISSING,
	SBX_OPT_RESTRICT_SCOPED,
	SBX_OPT_ALLOW_UDP,
	SBX_OPT_RESTRICT_UNIX,
	SBX_OPT_UNSAFE_HOST_RUNTIME,
	SBX_OPT_LOG_DENIALS,
	SBX_OPT_MODE,
	SBX_OPT_REPORT,
	SBX_OPT_HINTS,
	SBX_OPT_FORMAT,
	SBX_OPT_OUTPUT,
	SBX_OPT_MAX_OUTPUT,
	SBX_OPT_MAX_TIMEOUT,
	SBX_OPT_LIST_PROFILES,
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

extern const struct sbx_mode_def sbx_modes[];
extern const size_t sbx_modes_count;

/* The row for a --mode name, or NULL. */
const struct sbx_mode_def *sbx_mode_find(const char *name);
/* The row a config's `mode:` selects (enum sbx_mode); run when none does. */
const struct sbx_mode_def *sbx_mode_for_config(int config_mode);

enum sbx_parse_status {
	SBX_PARSE_OK,		 /* cli->argc/argv hold COMMAND, maybe empty */
	SBX_PARSE_ERROR,	 /* a usage error, already printed */
	SBX_PARSE_HELP,		 /* --help: print it, exit 0 */
	SBX_PARSE_VERSION,	 /* --version: print it, exit 0 */
	SBX_PARSE_LIST_PROFILES, /* --list-profiles: list them, exit 0 */
};

/* Parses argv up to the first non-option (or "--") into cli->flags and the
 * CLI fields; *mode is set by --mode and otherwise left alone. Stops at the
 * first error, --help, --version or --list-profiles. May be called again on another argv. */
enum sbx_parse_status sbx_options_parse(struct sbx_cli *cli, int argc, char **argv,
					const struct sbx_mode_def **mode);

void sbx_options_print_help(void);
/* The version and what this kernel's Landlock offers. */
void sbx_options_print_version(void);

#endif
