/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI's option and mode tables and the parser they feed: getopt_long
 * stops at the first non-option, each option lands in the flags layer or
 * the CLI context, and --help is printed from the same tables. Prints only
 * usage errors and the help and version texts; never exits. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/landlock_abi.h"
#include "engine/landlock_plan.h"
#include "engine/rights.h"

/* getopt_long's value for the long form of sbx_options[i]. */
#define LONG_OPT_BASE 1000

const struct sbx_option sbx_options[SBX_OPT_COUNT] = {
    {SBX_OPT_CONFIG, "config", 'c', SBX_ARG_REQUIRED, "FILE", -1, "YAML config file"},
    {SBX_OPT_NAMED_CONFIG, "named-config", 'C', SBX_ARG_REQUIRED, "NAME", -1,
     "named profile, e.g. languages/python"},
    {SBX_OPT_FS, "fs", 'f', SBX_ARG_REQUIRED, "RIGHTS:PATH", SBX_SET_FS,
     "filesystem rule, repeatable"},
    {SBX_OPT_NET, "net", 'n', SBX_ARG_REQUIRED, "RIGHTS:PORT", SBX_SET_NET,
     "TCP or UDP rule, repeatable; none: no network at all"},
    {SBX_OPT_ADD_FS, "add-fs", 0, SBX_ARG_REQUIRED, "RIGHTS:PATH", -1,
     "filesystem rule added to the profile's or config's list, repeatable"},
    {SBX_OPT_ADD_NET, "add-net", 0, SBX_ARG_REQUIRED, "RIGHTS:PORT", -1,
     "network rule added to the profile's or config's list, repeatable"},
    {SBX_OPT_ABI, "abi", 0, SBX_ARG_REQUIRED, "N", SBX_SET_ABI,
     "Landlock ABI (0 = highest available)"},
    {SBX_OPT_BEST_EFFORT, "best-effort", 0, SBX_ARG_BOOL, NULL, SBX_SET_BEST_EFFORT,
     "degrade on older kernels instead of failing"},
    {SBX_OPT_IGNORE_IF_MISSING, "ignore-if-missing", 0, SBX_ARG_BOOL, NULL,
     SBX_SET_IGNORE_IF_MISSING, "skip rule paths that do not exist"},
    {SBX_OPT_RESTRICT_SCOPED, "restrict-scoped", 0, SBX_ARG_BOOL, NULL, SBX_SET_RESTRICT_SCOPED,
     "scope abstract unix sockets and signals (ABI 6+)"},
    {SBX_OPT_ALLOW_UDP, "allow-udp", 0, SBX_ARG_BOOL, NULL, SBX_SET_ALLOW_UDP,
     "with no --net rule, allow UDP anyway, to every port (from ABI 10 a ub/uc rule "
     "opens UDP by port instead)"},
    {SBX_OPT_RESTRICT_UNIX, "restrict-unix", 0, SBX_ARG_BOOL, NULL, SBX_SET_RESTRICT_UNIX,
     "no unix sockets by path, e.g. docker.sock (socketpair still works)"},
    {SBX_OPT_UNSAFE_HOST_RUNTIME, "unsafe-host-runtime", 0, SBX_ARG_BOOL, NULL,
     SBX_SET_UNSAFE_HOST_RUNTIME,
     "add read+exec on $PATH dirs, the loader, ld.so.cache and every library they load"},
    {SBX_OPT_LOG_DENIALS, "log-denials", 0, SBX_ARG_BOOL, NULL, SBX_SET_LOG_DENIALS,
     "have the kernel's audit log record denials (ABI 7+)"},
    {SBX_OPT_MODE, "mode", 'm', SBX_ARG_REQUIRED, "MODE", -1,
     "run (default), mcp, env, explain, trust, learn"},
    {SBX_OPT_REPORT, "report", 0, SBX_ARG_BOOL, NULL, -1,
     "run: print what the sandbox denied when COMMAND ends (=audit or =tracer: "
     "force a backend); mcp: every call reports its denials"},
    {SBX_OPT_HINTS, "hints", 0, SBX_ARG_BOOL, NULL, -1,
     "run: on a failure, suggest --report (default on)"},
    {SBX_OPT_FORMAT, "format", 0, SBX_ARG_REQUIRED, "FMT", -1,
     "output format of env: sh, make, fish, json, dotenv"},
    {SBX_OPT_OUTPUT, "output", 'o', SBX_ARG_REQUIRED, "FILE", -1,
     "learn: write the learned profile to FILE (default: stdout)"},
    {SBX_OPT_MAX_OUTPUT, "max-output", 0, SBX_ARG_REQUIRED, "BYTES", -1,
     "mcp: bytes kept of each output stream (default 1048576)"},
    {SBX_OPT_MAX_TIMEOUT, "max-timeout-ms", 0, SBX_ARG_REQUIRED, "MS", -1,
     "mcp: a call's timeout_ms: its default and upper bound (default 600000)"},
    {SBX_OPT_LIST_PROFILES, "list-profiles", 0, SBX_ARG_NONE, NULL, -1,
     "list the profiles -C finds, in search order; shadowed ones marked"},
    {SBX_OPT_VERSION, "version", 'V', SBX_ARG_NONE, NULL, -1,
     "version, and the kernel's Landlock ABI"},
    {SBX_OPT_HELP, "help", 'h', SBX_ARG_NONE, NULL, -1, "this help"},
};

const struct sbx_mode_def sbx_modes[] = {
    {"run", sbx_mode_run, true, true, true, SBX_MODE_RUN, "run COMMAND under the policy (default)"},
    {"mcp", sbx_mode_mcp, true, false, false, SBX_MODE_MCP,
     "serve MCP on stdio; every exec call runs under the policy"},
    {"env", sbx_mode_env, true, false, false, -1,
     "print LD_PRELOAD and SANDBOXEC_* settings for the shim"},
    {"explain", sbx_mode_explain, true, true, false, -1,
     "print the effective policy as YAML, run nothing"},
    {"trust", sbx_mode_trust, false, true, false, -1,
     "review and trust a project .sandboxec.yaml [FILE]"},
    {"learn", sbx_mode_learn, true, true, true, -1,
     "run COMMAND traced, write the profile it needs, verify it"},
};
const size_t sbx_modes_count = SBX_ARRAY_SIZE(sbx_modes);

const struct sbx_mode_def *sbx_mode_find(const char *name)
{
	long i =
	    sbx_table_index_icase(&sbx_modes[0].name, sbx_modes_count, sizeof(sbx_modes[0]), name);

	return i < 0 ? NULL : &sbx_modes[i];
}

const struct sbx_mode_def *sbx_mode_for_config(int config_mode)
{
	size_t i;

	for (i = 0; i < sbx_modes_count; i++) {
		if (sbx_modes[i].config_mode == config_mode)
			return &sbx_modes[i];
	}
	return &sbx_modes[0];
}

void sbx_options_print_help(void)
{
	size_t i;

	printf("Usage: sandboxec [OPTIONS] [--] COMMAND [ARG...]\n"
	       "       sandboxec --mode mcp [OPTIONS]\n"
	       "       sandboxec --mode env [--format sh|make|fish|json|dotenv] [OPTIONS]\n"
	       "       sandboxec --mode explain [OPTIONS] [COMMAND]\n"
	       "       sandboxec --mode trust [FILE]\n"
	       "       sandboxec --mode learn [-o FILE] [OPTIONS] [--] COMMAND [ARG...]\n\n"
	       "Runs COMMAND under a Landlock allow-list: anything no rule grants is denied.\n\n"
	       "Options:\n");
	for (i = 0; i < SBX_OPT_COUNT; i++) {
		const struct sbx_option *o = &sbx_options[i];
		char left[64];

		/* Long names line up whether or not there is a short one. */
		snprintf(left, sizeof(left), "%c%c%c --%s%s%s%s", o->short_name ? '-' : ' ',
			 o->short_name ? o->short_name : ' ', o->short_name ? ',' : ' ',
			 o->long_name, o->arg == SBX_ARG_REQUIRED ? " " : "",
			 o->arg == SBX_ARG_REQUIRED ? o->arg_name : "",
			 o->arg == SBX_ARG_BOOL ? "[=BOOL]" : "");
		printf("  %-34s %s\n", left, o->help);
	}
	printf("\nModes:\n");
	for (i = 0; i < sbx_modes_count; i++)
		printf("  %-10s %s\n", sbx_modes[i].name, sbx_modes[i].help);
	printf("\nFilesystem rights (RIGHTS:PATH; case-insensitive):\n");
	for (i = 0; i < sbx_fs_rights_count; i++)
		printf("  %-4s %-16s %s\n", sbx_fs_rights[i].short_name, sbx_fs_rights[i].long_name,
		       sbx_fs_rights[i].help);
	printf("\nNetwork rights (RIGHTS:PORT; TCP ABI 4+, UDP ABI 10+):\n");
	for (i = 0; i < sbx_net_rights_count; i++)
		printf("  %-4s %-16s %s\n", sbx_net_rights[i].short_name,
		       sbx_net_rights[i].long_name, sbx_net_rights[i].help);
	printf("\nLandlock ABIs (--abi N; what each adds):\n");
	for (i = 0; i < sbx_abi_features_count; i++)
		printf("  %-4d %s\n", sbx_abi_features[i].abi, sbx_abi_features[i].adds);
	printf("\nPaths expand ~, $VAR and ${VAR} ($$ is a literal $); an unset variable is an\n"
	       "error. Nothing is implicit: the command itself needs rx, and a dynamically\n"
	       "linked one needs its loader and libraries (rx:/usr covers them on Debian).\n\n"
	       "Examples:\n"
	       "  sandboxec --fs rx:/usr -- ls /usr\n"
	       "  sandboxec --fs rx:/usr --fs rw:\"$PWD\" --net c:443 -- npm install\n"
	       "  sandboxec -C languages/python -- python3 script.py\n"
	       "  sandboxec --mode explain -c project-sandbox.yaml\n"
	       "  eval \"$(sandboxec --mode env --fs rx:/usr --fs rw:/tmp)\"\n\n"
	       "Exit status: the command's own; 1 if sandboxec failed (usage, config,\n"
	       "Landlock); 126 if the command could not be executed (e.g. denied); 127 if\n"
	       "it was not found.\n");
}

void sbx_options_print_version(void)
{
	const char *why = NULL;
	int abi = sbx_kernel_abi(&why);

	printf("sandboxec %s\n", SBX_VERSION);
	if (abi)
		printf("Landlock ABI: kernel %d, supported 1-%d\n", abi, SBX_ABI_MAX);
	else
		printf("Landlock ABI: none (%s)\n", why);
}

static int parse_size(const char *text, const char *flag, unsigned long long max,
		      unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || *out == 0 || *out > max) {
		sbx_cli_error("%s \"%s\" must be a whole number from 1 to %llu", flag, text, max);
		return -1;
	}
	return 0;
}

/* An option tied to a row of the settings table: a rule is added to its
 * list, a scalar parsed (a BOOL without "=value" means 1). */
static int apply_setting(struct sbx_cli *cli, const struct sbx_option *o, const char *arg)
{
	const struct sbx_setting_def *def = &sbx_settings[o->setting];
	/* Not zeroed: its 2 KiB would be cleared once per flag, and a policy
	 * may have thousands; only a failed scalar parse fills and reads it. */
	struct sbx_error err;
	/* "--NAME": written once per flag, and a policy may have thousands,
	 * so on the stack unless a name ever outgrows it. */
	size_t len = strlen(o->long_name);
	char buf[64], *heap = len + 3 > sizeof(buf) ? sbx_xasprintf("--%s", o->long_name) : NULL;
	const char *origin = heap ? heap : buf;
	int value = 1, status = 0;

	if (!heap) {
		buf[0] = buf[1] = '-';
		memcpy(buf + 2, o->long_name, len + 1);
	}

	if (def->type == SBX_TYPE_FS_LIST || def->type == SBX_TYPE_NET_LIST) {
		sbx_layer_add_rule(&cli->flags, (enum sbx_setting)o->setting, arg, origin, NULL);
	} else if (arg && sbx_setting_parse_scalar(def, arg, &value, &err) < 0) {
		sbx_cli_error("%s: %s", origin, err.msg);
		status = -1;
	} else {
		sbx_layer_set_scalar(&cli->flags, (enum sbx_setting)o->setting, value, origin);
	}
	free(heap);
	return status;
}

static int apply_mode(struct sbx_cli *cli, const char *arg, const struct sbx_mode_def **mode)
{
	*mode = sbx_mode_find(arg);
	if (!*mode) {
		sbx_cli_error("unknown mode \"%s\"; use run, mcp, env, explain, trust or learn",
			      arg);
		return -1;
	}
	if ((*mode)->config_mode >= 0)
		sbx_layer_set_scalar(&cli->flags, SBX_SET_MODE, (*mode)->config_mode, "--mode");
	return 0;
}

/* A --flag[=BOOL] of the CLI's own, outside the settings table. */
static int apply_cli_bool(struct sbx_cli *cli, const struct sbx_option *o, const char *arg)
{
	static const struct sbx_setting_def bool_def = {0, SBX_TYPE_BOOL, "", NULL, NULL, NULL};
	struct sbx_error err = {{0}};
	int value = 1;

	if (o->id == SBX_OPT_REPORT && arg &&
	    (strcmp(arg, "audit") == 0 || strcmp(arg, "tracer") == 0 || strcmp(arg, "auto") == 0)) {
		cli->report = true;
		cli->report_backend = arg[0] == 'a' && arg[1] == 'u' && arg[2] == 'd'
					  ? SBX_REPORT_AUDIT
				      : arg[0] == 't' ? SBX_REPORT_TRACER
						      : SBX_REPORT_AUTO;
		return 0;
	}
	if (arg && sbx_setting_parse_scalar(&bool_def, arg, &value, &err) < 0) {
		sbx_cli_error("--%s=%s: use 1/true/yes/on or 0/false/no/off%s", o->long_name, arg,
			      o->id == SBX_OPT_REPORT ? ", or a backend: auto, audit, tracer" : "");
		return -1;
	}
	if (o->id == SBX_OPT_REPORT)
		cli->report = value != 0;
	else
		cli->hints = value;
	return 0;
}

static int apply_option(struct sbx_cli *cli, const struct sbx_option *o, const char *arg,
			const struct sbx_mode_def **mode)
{
	unsigned long long n;
	char *origin;

	if (o->setting >= 0)
		return apply_setting(cli, o, arg);
	switch (o->id) {
	case SBX_OPT_CONFIG:
	case SBX_OPT_NAMED_CONFIG:
		origin = sbx_xasprintf("--%s", o->long_name);
		sbx_layer_name_config(&cli->flags, o->id == SBX_OPT_NAMED_CONFIG, arg, origin);
		free(origin);
		return 0;
	case SBX_OPT_ADD_FS:
	case SBX_OPT_ADD_NET:
		sbx_layer_add_extra_rule(&cli->flags,
					 o->id == SBX_OPT_ADD_NET ? SBX_SET_NET : SBX_SET_FS, arg,
					 o->id == SBX_OPT_ADD_NET ? "--add-net" : "--add-fs");
		return 0;
	case SBX_OPT_MODE:
		return apply_mode(cli, arg, mode);
	case SBX_OPT_REPORT:
	case SBX_OPT_HINTS:
		return apply_cli_bool(cli, o, arg);
	case SBX_OPT_FORMAT:
		cli->format = arg;
		return 0;
	case SBX_OPT_OUTPUT:
		cli->output = arg;
		return 0;
	case SBX_OPT_MAX_OUTPUT:
		if (parse_size(arg, "--max-output", 1ULL << 30, &n) < 0)
			return -1;
		cli->max_output = (size_t)n;
		return 0;
	case SBX_OPT_MAX_TIMEOUT:
		if (parse_size(arg, "--max-timeout-ms", 24ULL * 3600 * 1000, &n) < 0)
			return -1;
		cli->max_timeout_ms = (long)n;
		return 0;
	default:
		return 0;
	}
}

/* getopt_long's two spellings of the option table. */
static void getopt_tables(struct option long_opts[SBX_OPT_COUNT + 1],
			  char short_opts[2 * SBX_OPT_COUNT + 3])
{
	size_t i, s = 0;

	/* '+': stop at the first non-option, so COMMAND's own options stay
	 * its own (`sandboxec --fs rx:/usr ls -la`). ':' reports a missing
	 * argument distinctly. */
	short_opts[s++] = '+';
	short_opts[s++] = ':';
	for (i = 0; i < SBX_OPT_COUNT; i++) {
		const struct sbx_option *o = &sbx_options[i];

		long_opts[i] = (struct option){o->long_name,
					       o->arg == SBX_ARG_REQUIRED ? required_argument
					       : o->arg == SBX_ARG_BOOL	  ? optional_argument
									  : no_argument,
					       NULL, LONG_OPT_BASE + (int)i};
		if (o->short_name) {
			short_opts[s++] = o->short_name;
			if (o->arg == SBX_ARG_REQUIRED)
				short_opts[s++] = ':';
		}
	}
	long_opts[SBX_OPT_COUNT] = (struct option){0};
	short_opts[s] = '\0';
}

/* The table row for what getopt_long returned, or NULL after printing why
 * it is a usage error. */
static const struct sbx_option *option_for(int c, char **argv)
{
	size_t i;

	if (c == '?') {
		/* A long option given a value it does not take ("--help=x"): getopt
		 * reports it through optopt as the option's code, not a letter. */
		if (optopt >= LONG_OPT_BASE)
			sbx_cli_error("option %.*s takes no value; see sandboxec --help",
				      (int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
		else if (optopt)
			sbx_cli_error("unknown option -%c; see sandboxec --help", optopt);
		else
			sbx_cli_error("unknown option %s; see sandboxec --help", argv[optind - 1]);
		return NULL;
	}
	if (c == ':') {
		sbx_cli_error("option %s needs an argument; see sandboxec --help",
			      argv[optind - 1]);
		return NULL;
	}
	if (c >= LONG_OPT_BASE)
		return &sbx_options[c - LONG_OPT_BASE];
	for (i = 0; i < SBX_OPT_COUNT; i++) {
		if (sbx_options[i].short_name == c)
			return &sbx_options[i];
	}
	return NULL; /* not reached: getopt returns only what the tables name */
}

static bool is_bool_word(const char *word)
{
	static const char *const words[] = {"1",  "true", "yes",  "on",	   "0",	    "false",
					    "no", "off",  "auto", "audit", "tracer"};
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(words); i++) {
		if (sbx_ascii_ieq(word, words[i]))
			return true;
	}
	return false;
}

/* `--best-effort false`: an optional value must be attached with "=", so
 * "false" would run as the COMMAND (/usr/bin/false), and the run would
 * look like a failure of the sandbox. A boolean word right after a switch
 * is refused; `--` before it says the command is meant. */
static int check_detached_bool(int argc, char **argv, const struct sbx_option *last)
{
	/* The switches are long options only, so the last one parsed is
	 * argv[optind - 1] ("--" aside), its value attached after "=". */
	if (!last || last->arg != SBX_ARG_BOOL || optind < 1 || optind >= argc ||
	    strcmp(argv[optind - 1], "--") == 0 || strchr(argv[optind - 1], '=') ||
	    !is_bool_word(argv[optind]))
		return 0;
	sbx_cli_error("--%s takes its value after \"=\" (--%s=%s); as written, \"%s\" would "
		      "run as the COMMAND; to run that command, put -- before it",
		      last->long_name, last->long_name, argv[optind], argv[optind]);
	return -1;
}

/* getopt_long, except for "--fs RULE" spelled so, which a generated
 * policy repeats thousands of times: that one is taken here, as getopt_long
 * would take it (the next argument, whatever it is, is the rule), without
 * comparing it with every long option. Only between arguments, where
 * getopt_long always leaves optind (a cluster of short options ends in one
 * that takes the rest, or in -h or -V, which end the parse), and never
 * first: optind 0 is getopt_long's signal to start its scan over. */
static int next_option(int argc, char **argv, const char *short_opts,
		       const struct option *long_opts)
{
	if (optind > 0 && optind + 1 < argc && strcmp(argv[optind], "--fs") == 0) {
		optarg = argv[optind + 1];
		optind += 2;
		return LONG_OPT_BASE + SBX_OPT_FS;
	}
	return getopt_long(argc, argv, short_opts, long_opts, NULL);
}

enum sbx_parse_status sbx_options_parse(struct sbx_cli *cli, int argc, char **argv,
					const struct sbx_mode_def **mode)
{
	struct option long_opts[SBX_OPT_COUNT + 1];
	char short_opts[2 * SBX_OPT_COUNT + 3];
	const struct sbx_option *last = NULL;
	int c;

	getopt_tables(long_opts, short_opts);
	opterr = 0;
	optind = 0; /* a full restart of getopt's scan, so parsing can run again */
	while ((c = next_option(argc, argv, short_opts, long_opts)) != -1) {
		const struct sbx_option *o = option_for(c, argv);

		if (!o)
			return SBX_PARSE_ERROR;
		if (o->id == SBX_OPT_HELP)
			return SBX_PARSE_HELP;
		if (o->id == SBX_OPT_VERSION)
			return SBX_PARSE_VERSION;
		if (o->id == SBX_OPT_LIST_PROFILES)
			return SBX_PARSE_LIST_PROFILES;
		if (apply_option(cli, o, optarg, mode) < 0)
			return SBX_PARSE_ERROR;
		last = o;
	}
	if (check_detached_bool(argc, argv, last) < 0)
		return SBX_PARSE_ERROR;
	cli->argc = argc - optind;
	cli->argv = argv + optind;
	return SBX_PARSE_OK;
}
