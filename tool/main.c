/* SPDX-License-Identifier: Apache-2.0 */
/* sandboxec's entry point: parse options (stopping at the first
 * non-option), resolve the policy through the engine, dispatch to a mode.
 * Options and modes are tables; adding a mode is one row. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "engine/landlock_abi.h"
#include "options.h"
#include "engine/resolve.h"
#include "engine/rights.h"
#include "engine/landlock_plan.h"

extern char **environ;

const struct sbx_option sbx_options[SBX_OPT_COUNT] = {
    {SBX_OPT_CONFIG, "config", 'c', SBX_ARG_REQUIRED, "FILE", -1, "YAML config file"},
    {SBX_OPT_NAMED_CONFIG, "named-config", 'C', SBX_ARG_REQUIRED, "NAME", -1,
     "named profile, e.g. languages/python"},
    {SBX_OPT_FS, "fs", 'f', SBX_ARG_REQUIRED, "RIGHTS:PATH", SBX_SET_FS,
     "filesystem rule, repeatable"},
    {SBX_OPT_NET, "net", 'n', SBX_ARG_REQUIRED, "RIGHTS:PORT", SBX_SET_NET, "TCP rule, repeatable"},
    {SBX_OPT_ABI, "abi", 0, SBX_ARG_REQUIRED, "N", SBX_SET_ABI,
     "Landlock ABI (0 = highest available)"},
    {SBX_OPT_BEST_EFFORT, "best-effort", 0, SBX_ARG_BOOL, NULL, SBX_SET_BEST_EFFORT,
     "degrade on older kernels instead of failing"},
    {SBX_OPT_IGNORE_IF_MISSING, "ignore-if-missing", 0, SBX_ARG_BOOL, NULL,
     SBX_SET_IGNORE_IF_MISSING, "skip rule paths that do not exist"},
    {SBX_OPT_RESTRICT_SCOPED, "restrict-scoped", 0, SBX_ARG_BOOL, NULL, SBX_SET_RESTRICT_SCOPED,
     "scope abstract unix sockets and signals (ABI 6+)"},
    {SBX_OPT_UNSAFE_HOST_RUNTIME, "unsafe-host-runtime", 0, SBX_ARG_BOOL, NULL,
     SBX_SET_UNSAFE_HOST_RUNTIME,
     "add read+exec on $PATH dirs, the loader, ld.so.cache and every library they load"},
    {SBX_OPT_MODE, "mode", 'm', SBX_ARG_REQUIRED, "MODE", -1,
     "run (default), mcp, env, explain, trust"},
    {SBX_OPT_FORMAT, "format", 0, SBX_ARG_REQUIRED, "FMT", -1,
     "output format of env: sh, make, fish, json, dotenv"},
    {SBX_OPT_MAX_OUTPUT, "max-output", 0, SBX_ARG_REQUIRED, "BYTES", -1,
     "mcp: bytes kept of each output stream (default 1048576)"},
    {SBX_OPT_MAX_TIMEOUT, "max-timeout-ms", 0, SBX_ARG_REQUIRED, "MS", -1,
     "mcp: upper bound on a call's timeout_ms (default 600000)"},
    {SBX_OPT_VERSION, "version", 'V', SBX_ARG_NONE, NULL, -1,
     "version, and the kernel's Landlock ABI"},
    {SBX_OPT_HELP, "help", 'h', SBX_ARG_NONE, NULL, -1, "this help"},
};

static const struct sbx_mode_def modes[] = {
    {"run", sbx_mode_run, true, true, true, SBX_MODE_RUN, "run COMMAND under the policy (default)"},
    {"mcp", sbx_mode_mcp, true, false, false, SBX_MODE_MCP,
     "serve MCP on stdio; every exec call runs under the policy"},
    {"env", sbx_mode_env, true, false, false, -1,
     "print LD_PRELOAD and SANDBOXEC_* settings for the shim"},
    {"explain", sbx_mode_explain, true, true, false, -1,
     "print the effective policy as YAML, run nothing"},
    {"trust", sbx_mode_trust, false, true, false, -1,
     "review and trust a project .sandboxec.yaml [FILE]"},
};

static const struct sbx_mode_def *mode_find(const char *name)
{
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(modes); i++) {
		if (strcmp(modes[i].name, name) == 0)
			return &modes[i];
	}
	return NULL;
}

static const struct sbx_mode_def *mode_for_config(int config_mode)
{
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(modes); i++) {
		if (modes[i].config_mode == config_mode)
			return &modes[i];
	}
	return &modes[0];
}

static void print_help(void)
{
	size_t i;

	printf("Usage: sandboxec [OPTIONS] [--] COMMAND [ARG...]\n"
	       "       sandboxec --mode mcp [OPTIONS]\n"
	       "       sandboxec --mode env [--format sh|make|fish|json|dotenv] [OPTIONS]\n"
	       "       sandboxec --mode explain [OPTIONS] [COMMAND]\n"
	       "       sandboxec --mode trust [FILE]\n\n"
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
	for (i = 0; i < SBX_ARRAY_SIZE(modes); i++)
		printf("  %-10s %s\n", modes[i].name, modes[i].help);
	printf("\nFilesystem rights (RIGHTS:PATH; case-insensitive):\n");
	for (i = 0; i < sbx_fs_rights_count; i++)
		printf("  %-4s %-16s %s\n", sbx_fs_rights[i].short_name, sbx_fs_rights[i].long_name,
		       sbx_fs_rights[i].help);
	printf("\nNetwork rights (RIGHTS:PORT, TCP; ABI 4+):\n");
	for (i = 0; i < sbx_net_rights_count; i++)
		printf("  %-4s %-16s %s\n", sbx_net_rights[i].short_name,
		       sbx_net_rights[i].long_name, sbx_net_rights[i].help);
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

static void print_version(void)
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

static int apply_option(struct sbx_cli *cli, const struct sbx_option *o, const char *arg,
			const struct sbx_mode_def **mode)
{
	struct sbx_error err = {{0}};
	unsigned long long n;
	char *origin;
	int value = 1;

	if (o->setting >= 0) {
		const struct sbx_setting_def *def = &sbx_settings[o->setting];

		origin = sbx_xasprintf("--%s", o->long_name);
		if (def->type == SBX_TYPE_FS_LIST || def->type == SBX_TYPE_NET_LIST) {
			sbx_layer_add_rule(&cli->flags, (enum sbx_setting)o->setting, arg, origin,
					   NULL);
			free(origin);
			return 0;
		}
		if (arg && sbx_setting_parse_scalar(def, arg, &value, &err) < 0) {
			sbx_cli_error("%s: %s", origin, err.msg);
			free(origin);
			return -1;
		}
		sbx_layer_set_scalar(&cli->flags, (enum sbx_setting)o->setting, value, origin);
		free(origin);
		return 0;
	}
	switch (o->id) {
	case SBX_OPT_CONFIG:
	case SBX_OPT_NAMED_CONFIG:
		origin = sbx_xasprintf("--%s", o->long_name);
		sbx_layer_name_config(&cli->flags, o->id == SBX_OPT_NAMED_CONFIG, arg, origin);
		free(origin);
		return 0;
	case SBX_OPT_MODE:
		*mode = mode_find(arg);
		if (!*mode) {
			sbx_cli_error("unknown mode \"%s\"; use run, mcp, env, explain or trust",
				      arg);
			return -1;
		}
		if ((*mode)->config_mode >= 0)
			sbx_layer_set_scalar(&cli->flags, SBX_SET_MODE, (*mode)->config_mode,
					     "--mode");
		return 0;
	case SBX_OPT_FORMAT:
		cli->format = arg;
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

static int parse_args(struct sbx_cli *cli, int argc, char **argv, const struct sbx_mode_def **mode)
{
	struct option long_opts[SBX_OPT_COUNT + 1];
	char short_opts[2 * SBX_OPT_COUNT + 2];
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
					       NULL, 1000 + (int)i};
		if (o->short_name) {
			short_opts[s++] = o->short_name;
			if (o->arg == SBX_ARG_REQUIRED)
				short_opts[s++] = ':';
		}
	}
	long_opts[SBX_OPT_COUNT] = (struct option){0};
	short_opts[s] = '\0';
	opterr = 0;
	for (;;) {
		int c = getopt_long(argc, argv, short_opts, long_opts, NULL);
		const struct sbx_option *o = NULL;

		if (c == -1)
			break;
		if (c == '?') {
			if (optopt)
				sbx_cli_error("unknown option -%c; see sandboxec --help", optopt);
			else
				sbx_cli_error("unknown option %s; see sandboxec --help",
					      argv[optind - 1]);
			return -1;
		}
		if (c == ':') {
			sbx_cli_error("option %s needs an argument; see sandboxec --help",
				      argv[optind - 1]);
			return -1;
		}
		if (c >= 1000)
			o = &sbx_options[c - 1000];
		for (i = 0; !o && i < SBX_OPT_COUNT; i++) {
			if (sbx_options[i].short_name == c)
				o = &sbx_options[i];
		}
		if (o->id == SBX_OPT_HELP) {
			print_help();
			exit(0);
		}
		if (o->id == SBX_OPT_VERSION) {
			print_version();
			exit(0);
		}
		if (apply_option(cli, o, optarg, mode) < 0)
			return -1;
	}
	cli->argc = argc - optind;
	cli->argv = argv + optind;
	return 0;
}

static void locate_self(struct sbx_cli *cli)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *candidates[3];
	struct stat st;
	size_t i;

	if (n <= 0)
		return;
	exe[n] = '\0';
	cli->self_dir = sbx_path_dirname(exe);
	/* The shim that goes with this binary: beside it in a build tree, in
	 * PREFIX/lib when installed, or the configured LIBDIR. */
	candidates[0] = "/libsandboxec.so";
	candidates[1] = "/../lib/libsandboxec.so";
	candidates[2] = NULL;
	for (i = 0; candidates[i] && !cli->shim_path; i++) {
		char *path = sbx_xasprintf("%s%s", cli->self_dir, candidates[i]);
		char *real = realpath(path, NULL);

		if (real && stat(real, &st) == 0 && S_ISREG(st.st_mode))
			cli->shim_path = sbx_xstrdup(real);
		free(real);
		free(path);
	}
	if (!cli->shim_path && stat(SBX_LIBDIR "/libsandboxec.so", &st) == 0)
		cli->shim_path = realpath(SBX_LIBDIR "/libsandboxec.so", NULL);
}

int main(int argc, char **argv)
{
	struct sbx_cli cli = {0};
	const struct sbx_mode_def *mode = NULL;
	struct sbx_error err = {{0}};
	int status;

	cli.max_output = 1 << 20;
	cli.max_timeout_ms = 600000;
	sbx_layer_init(&cli.flags, "flags");
	if (parse_args(&cli, argc, argv, &mode) < 0)
		return 1;
	locate_self(&cli);
	if (!mode || mode->needs_policy) {
		struct sbx_resolve_input in = {&cli.flags, environ, cli.self_dir, cli.shim_path};

		if (sbx_resolve(&in, &cli.policy, &err) < 0) {
			sbx_cli_error("%s", err.msg);
			return 1;
		}
		if (!mode)
			mode = mode_for_config((int)cli.policy.mode);
	}
	if (cli.argc > 0 && !mode->takes_command) {
		sbx_cli_error("--mode %s takes no COMMAND (got \"%s\"); remove it", mode->name,
			      cli.argv[0]);
		return 1;
	}
	if (cli.argc == 0 && mode->needs_command) {
		sbx_cli_error("no COMMAND given; usage: sandboxec [OPTIONS] [--] COMMAND "
			      "[ARG...] (see sandboxec --help)");
		return 1;
	}
	status = mode->run(&cli);
	sbx_policy_free(&cli.policy);
	sbx_layer_free(&cli.flags);
	free(cli.self_dir);
	free(cli.shim_path);
	return status;
}
