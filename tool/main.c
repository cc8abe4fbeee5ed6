/* SPDX-License-Identifier: Apache-2.0 */
/* sandboxec's entry point: parse options (options.c, stopping at the first
 * non-option), resolve the policy through the engine, dispatch to a mode.
 * Options and modes are tables; adding a mode is one row there. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "front.h"
#include "options.h"
#include "profile_list.h"
#include "engine/resolve.h"

extern char **environ;

/* Not inlined: its PATH_MAX buffer would otherwise stay in main's frame
 * for the whole run and push every later call a page deeper, and each new
 * stack page is one more page fault per exec (docs/perf.md §2). */
__attribute__((noinline)) static void locate_self(struct sbx_cli *cli)
{
	char exe[PATH_MAX];
	const char *given;
	const char *candidates[3];
	bool canonical_dir = false;
	struct stat st;
	ssize_t n;
	size_t i;

	/* Handed over by the static front: its directory stands for ours,
	 * so both builds find the same shim and profiles. */
	if (sbx_front_given_self_dir(&given)) {
		if (!given)
			return;
		cli->self_dir = sbx_xstrdup(given);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n <= 0)
			return;
		exe[n] = '\0';
		cli->self_dir = sbx_path_dirname(exe);
		canonical_dir = true;
	}
	/* The shim that goes with this binary: beside it in a build tree, in
	 * PREFIX/lib when installed, or the configured LIBDIR. */
	candidates[0] = "/libsandboxec.so";
	candidates[1] = "/../lib/libsandboxec.so";
	candidates[2] = NULL;
	for (i = 0; candidates[i] && !cli->shim_path; i++) {
		char *path = sbx_xasprintf("%s%s", cli->self_dir, candidates[i]);
		char *real;

		/* The kernel's name for this binary has no link or dot-dot left,
		 * so a regular file (not a link) beside it is its own real path:
		 * no realpath walk, one readlink per component, on every run. */
		if (i == 0 && canonical_dir && lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			cli->shim_path = path;
			continue;
		}
		real = realpath(path, NULL);
		if (real && stat(real, &st) == 0 && S_ISREG(st.st_mode))
			cli->shim_path = sbx_xstrdup(real);
		free(real);
		free(path);
	}
	if (!cli->shim_path && stat(SBX_LIBDIR "/libsandboxec.so", &st) == 0)
		cli->shim_path = realpath(SBX_LIBDIR "/libsandboxec.so", NULL);
}

/* Under the shim's settings the shim confined sandboxec before main: its
 * layer may not grant the files the policy is read from
 * (docs/diagnostics.md), and the way out is to run without it. */
static void print_resolve_error(const struct sbx_error *err)
{
	if (strstr(err->msg, strerror(EACCES)) && sbx_cli_inside_layer())
		sbx_cli_error("%s; sandboxec itself runs under a sandboxec layer (the shim "
			      "in LD_PRELOAD confined it), which does not let it read "
			      "that file: run it without the shim (env -u LD_PRELOAD -u "
			      "LD_AUDIT sandboxec ...), which applies the same policy",
			      err->msg);
	else
		sbx_cli_error("%s", err->msg);
}

/* Whether --mode explain can review a policy that did not resolve. Not
 * inlined: its error buffer is needed on that path only. */
__attribute__((noinline)) static bool resolves_for_review(struct sbx_cli *cli)
{
	struct sbx_error err = {{0}};

	return sbx_cli_resolve_for_review(cli, &err) == 0;
}

/* Resolves the policy, and the mode when none was chosen (the config's);
 * prints why it cannot. Not inlined, for the reason locate_self is not:
 * its error buffer would stay in main's frame for the whole run. */
__attribute__((noinline)) static int resolve_policy(struct sbx_cli *cli,
						    const struct sbx_mode_def **mode)
{
	struct sbx_resolve_input in = {&cli->flags, environ, cli->self_dir, cli->shim_path, false};
	struct sbx_error err = {{0}};

	/* Running a command applies the policy once, right after. */
	in.early_ruleset = (!*mode || (*mode)->run == sbx_mode_run) && !cli->report;
	if (sbx_resolve(&in, &cli->policy, &err) < 0 &&
	    !(*mode && (*mode)->run == sbx_mode_explain && resolves_for_review(cli))) {
		print_resolve_error(&err);
		return -1;
	}
	if (!*mode)
		*mode = sbx_mode_for_config((int)cli->policy.mode);
	/* A mode the config chose may apply it several times, or not at all. */
	if ((*mode)->run != sbx_mode_run)
		sbx_policy_drop_early(&cli->policy);
	return 0;
}

/* The static front serves `--mode run` (chosen or the default) without
 * --report; everything else is the twin's, handed over before any work.
 * Returns the status of a failed hand-over, or -1 to go on here. */
static int front_check(const struct sbx_cli *cli, const struct sbx_mode_def *mode)
{
	char *what;
	int status;

	if (!sbx_front_can_hand_over() || ((!mode || mode->run == sbx_mode_run) && !cli->report))
		return -1;
	what = cli->report ? sbx_xstrdup("--report") : sbx_xasprintf("--mode %s", mode->name);
	status = sbx_front_hand_over(what);
	free(what);
	return status;
}

/* --list-profiles reads each profile's YAML: the twin's work. */
static int list_profiles(struct sbx_cli *cli)
{
	int status;

	locate_self(cli);
	sbx_front_set_self_dir(cli->self_dir);
	if (sbx_front_can_hand_over())
		return sbx_front_hand_over("--list-profiles");
	status = sbx_profiles_list(cli->self_dir);
	free(cli->self_dir);
	free(cli->shim_path);
	sbx_layer_free(&cli->flags);
	return status;
}

int main(int argc, char **argv)
{
	struct sbx_cli cli = {0};
	const struct sbx_mode_def *mode = NULL;
	int status;

	cli.max_output = 1 << 20;
	cli.max_timeout_ms = 600000;
	cli.hints = -1;
	sbx_layer_init(&cli.flags, "flags");
	sbx_front_start(&argc, &argv);
	switch (sbx_options_parse(&cli, argc, argv, &mode)) {
	case SBX_PARSE_OK:
		break;
	case SBX_PARSE_ERROR:
		return 1;
	case SBX_PARSE_HELP:
		sbx_options_print_help();
		return 0;
	case SBX_PARSE_VERSION:
		sbx_options_print_version();
		return 0;
	case SBX_PARSE_LIST_PROFILES:
		return list_profiles(&cli);
	}
	locate_self(&cli);
	sbx_front_set_self_dir(cli.self_dir);
	if ((status = front_check(&cli, mode)) >= 0)
		return status;
	if ((!mode || mode->needs_policy) && resolve_policy(&cli, &mode) < 0)
		return 1;
	if ((status = front_check(&cli, mode)) >= 0)
		return status;
	sbx_front_seal();
	if (cli.argc > 0 && !mode->takes_command) {
		sbx_cli_error("--mode %s takes no COMMAND (got \"%s\"); remove it", mode->name,
			      cli.argv[0]);
		return 1;
	}
	if (cli.report && mode->run != sbx_mode_run && mode->run != sbx_mode_mcp) {
		sbx_cli_error("--report applies to running a COMMAND (--mode run) and to the MCP "
			      "server's calls (--mode mcp), not --mode %s; remove it",
			      mode->name);
		return 1;
	}
	/* Never ignored: a user asking explain for JSON must not parse YAML. */
	if (cli.format && mode->run != sbx_mode_env) {
		sbx_cli_error("--format chooses the output of --mode env; --mode %s has one "
			      "format only; remove --format",
			      mode->name);
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
