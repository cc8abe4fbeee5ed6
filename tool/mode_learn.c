/* SPDX-License-Identifier: Apache-2.0 */
/* `learn` mode: run the command traced (as it is, or under the coarse
 * policy the options give), write the profile its accesses need (the
 * engine's learn.c condenses), then verify it: run the command again under
 * that profile, traced, until it exits as it did and nothing is denied, a
 * few rounds at most (docs/diagnostics.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "report_trace.h"
#include "engine/learn.h"
#include "engine/resolve.h"

extern char **environ;

#define LEARN_ROUNDS 3

/* The shipped profiles a learned one may extend: the building blocks and
 * the single-tool ones, not the agents' (they grant far more). */
static const char *const candidates[] = {
    "base/dynamic",   "base/shell",	"base/https",	  "languages/python",
    "languages/node", "languages/perl", "languages/ruby", "tools/git",
    "tools/curl",     "build/c",	"build/npm",	  NULL,
};

struct learn_run {
	struct sbx_cli *cli;
	char **envp; /* environ without SANDBOXEC_*: the profile alone decides */
	struct sbx_learn learn;
	struct sbx_learn_context ctx;
	struct sbx_learn_profile *profiles;
	size_t n_profiles;
	const char *file;
	struct sbx_learn_result result;
	int learn_status;
	double learn_secs, verify_secs;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char **env_without_settings(void)
{
	size_t n = 0, i;
	char **out;

	while (environ[n])
		n++;
	out = sbx_xcalloc(n + 1, sizeof(*out));
	for (n = 0, i = 0; environ[i]; i++) {
		if (strncmp(environ[i], "SANDBOXEC_", 10) != 0)
			out[n++] = environ[i];
	}
	return out;
}

/* The policy of one config file or profile, resolved as `-c FILE` or
 * `-C NAME` would be, in v (a copy of the CLI). */
static int resolve_config(struct learn_run *run, bool named, const char *name, struct sbx_cli *v,
			  struct sbx_error *err)
{
	struct sbx_resolve_input in = {&v->flags, run->envp, run->cli->self_dir,
				       run->cli->shim_path, false};

	*v = *run->cli;
	memset(&v->policy, 0, sizeof(v->policy));
	sbx_layer_init(&v->flags, "flags");
	sbx_layer_name_config(&v->flags, named, name, "--mode learn");
	return sbx_resolve(&in, &v->policy, err);
}

static void load_profile(struct learn_run *run, const char *name)
{
	struct sbx_error err = {{0}};
	struct sbx_learn_grant *g;
	struct sbx_learn_profile *p;
	struct sbx_cli v;
	size_t i, n = 0;

	if (resolve_config(run, true, name, &v, &err) == 0) {
		g = sbx_xcalloc(v.policy.n_fs + v.policy.n_net + 1, sizeof(*g));
		for (i = 0; i < v.policy.n_fs; i++) {
			char *real = realpath(v.policy.fs[i].path, NULL);

			if (v.policy.fs[i].kind != SBX_RULE_USER) {
				free(real);
				continue;
			}
			g[n].path = real ? real : sbx_xstrdup(v.policy.fs[i].path);
			g[n++].access = v.policy.fs[i].access;
		}
		for (i = 0; i < v.policy.n_net; i++) {
			g[n].port = v.policy.net[i].port;
			g[n++].access = v.policy.net[i].access;
		}
		run->profiles =
		    sbx_xreallocarray(run->profiles, run->n_profiles + 1, sizeof(*run->profiles));
		p = &run->profiles[run->n_profiles++];
		p->name = name;
		p->grants = g;
		p->n_grants = n;
	}
	sbx_policy_free(&v.policy);
	sbx_layer_free(&v.flags);
}

static void free_profiles(struct learn_run *run)
{
	size_t i, j;

	for (i = 0; i < run->n_profiles; i++) {
		for (j = 0; j < run->profiles[i].n_grants; j++)
			free((char *)run->profiles[i].grants[j].path);
		free((void *)run->profiles[i].grants);
	}
	free(run->profiles);
}

static char *header_text(const struct learn_run *run)
{
	struct sbx_buf buf = {0};
	int i;

	sbx_buf_puts(&buf, "Learned by sandboxec --mode learn from:");
	for (i = 0; i < run->cli->argc; i++)
		sbx_buf_printf(&buf, " %s", run->cli->argv[i]);
	sbx_buf_printf(&buf,
		       "\n%zu paths and ports used; each rule names the programs that needed it.",
		       run->learn.n_acc);
	if (run->result.extends)
		sbx_buf_printf(&buf, "\n%zu of them are granted by %s, which this extends.",
			       run->result.n_covered, run->result.extends);
	return sbx_buf_steal(&buf);
}

static int write_profile(struct learn_run *run)
{
	struct sbx_buf yaml = {0};
	char *header;
	FILE *f;
	int ok;

	sbx_learn_result_free(&run->result);
	sbx_learn_condense(&run->learn, &run->ctx, run->profiles, run->n_profiles, &run->result);
	header = header_text(run);
	sbx_learn_write_yaml(&run->result, header, &yaml);
	free(header);
	f = fopen(run->file, "w");
	ok = f && fwrite(yaml.data, 1, yaml.len, f) == yaml.len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok)
		sbx_cli_error("learn: cannot write %s: %s", run->file, strerror(errno));
	sbx_buf_free(&yaml);
	return ok ? 0 : -1;
}

/* Denials of a verification round become accesses to learn; returns how
 * many groups there were (ordinary permission refusals do not count). */
static size_t learn_denials(const struct sbx_report *report, struct sbx_learn *learn)
{
	size_t i, k, n = 0;

	for (i = 0; i < report->n_groups; i++) {
		const struct sbx_report_group *g = &report->groups[i];

		if (g->cause == SBX_CAUSE_OTHER)
			continue;
		n++;
		if (sbx_access_net_bit(g->what.access))
			sbx_learn_add_bits(learn, NULL, g->what.port,
					   sbx_access_net_bit(g->what.access), g->exe);
		for (k = 0; k < g->what.n_target; k++) {
			if (g->what.target[k].path)
				sbx_learn_add_bits(learn, g->what.target[k].path, 0,
						   g->what.target[k].bits, g->exe);
		}
	}
	return n;
}

/* One verification: the command under the written profile, traced; what
 * succeeded is learnt too (a run may take another path). -1 when the
 * profile could not be applied. */
static int verify(struct learn_run *run, int *status, size_t *denied)
{
	struct sbx_trace_opts opts = {.confine = true, .learn = &run->learn};
	struct sbx_error err = {{0}};
	struct sbx_report report;
	struct sbx_plan plan;
	struct sbx_cli v;
	double t0 = now();
	int ret = -1;

	if (resolve_config(run, false, run->file, &v, &err) < 0) {
		sbx_cli_error("learn: the learned profile does not load: %s", err.msg);
		goto out;
	}
	if (sbx_report_prepare(&v, &plan, &report) < 0)
		goto out;
	opts.report = &report;
	ret = sbx_trace_command(&v, &opts, status);
	*denied = learn_denials(&report, &run->learn);
	sbx_report_free(&report);
	sbx_plan_free(&plan);
out:
	run->verify_secs += now() - t0;
	sbx_policy_free(&v.policy);
	sbx_layer_free(&v.flags);
	return ret;
}

static void describe_status(int status, char *out, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(out, len, "was killed by signal %d", WTERMSIG(status));
	else
		snprintf(out, len, "exited with status %d", WEXITSTATUS(status));
}

/* Verifies, learning from denials, up to LEARN_ROUNDS times; prints the
 * one line that says how it ended. Returns 0 when verified. */
static int verify_rounds(struct learn_run *run)
{
	char now_did[64], then_did[64];
	size_t denied = 0, n_rules;
	int round, status = 0;

	for (round = 1; round <= LEARN_ROUNDS; round++) {
		if (write_profile(run) < 0 || verify(run, &status, &denied) < 0)
			return 1;
		n_rules = run->result.n_rules;
		if (status == run->learn_status && !denied) {
			fprintf(stderr,
				"sandboxec: learn: verified after %d round%s: %s (%zu rule%s%s%s); "
				"learning %.1f s, verification %.1f s\n",
				round, round > 1 ? "s" : "", run->file, n_rules,
				n_rules == 1 ? "" : "s", run->result.extends ? ", extends " : "",
				run->result.extends ? run->result.extends : "", run->learn_secs,
				run->verify_secs);
			return 0;
		}
		if (!denied)
			break;
	}
	write_profile(run);
	describe_status(status, now_did, sizeof(now_did));
	describe_status(run->learn_status, then_did, sizeof(then_did));
	fprintf(stderr,
		"sandboxec: learn: not verified after %d round%s: under the profile the command %s "
		"(it %s when learning) and %s; run it with --report -c %s to see why\n",
		round > LEARN_ROUNDS ? LEARN_ROUNDS : round, round > 1 ? "s" : "", now_did,
		then_did,
		denied ? "the sandbox still denied something new"
		       : "the sandbox denied nothing (is the command repeatable?)",
		run->file);
	return 1;
}

static void learn_context(struct learn_run *run)
{
	const char *home = getenv("HOME"), *tmp = getenv("TMPDIR");

	run->ctx.cwd = getcwd(NULL, 0);
	run->ctx.home = home && *home ? realpath(home, NULL) : NULL;
	run->ctx.tmpdir = tmp && *tmp ? realpath(tmp, NULL) : NULL;
}

/* Whether the options gave a policy to learn inside. */
static bool outer_policy(const struct sbx_cli *cli)
{
	return cli->policy.has_source || cli->flags.set[SBX_SET_FS] ||
	       cli->flags.set[SBX_SET_NET] || cli->flags.config_file || cli->flags.named_config;
}

static int learn_and_verify(struct learn_run *run)
{
	struct sbx_trace_opts opts = {.confine = outer_policy(run->cli), .learn = &run->learn};
	double t0 = now();
	size_t i;

	if (sbx_trace_command(run->cli, &opts, &run->learn_status) < 0)
		return 1;
	run->learn_secs = now() - t0;
	for (i = 0; candidates[i]; i++)
		load_profile(run, candidates[i]);
	return verify_rounds(run);
}

int sbx_mode_learn(struct sbx_cli *cli)
{
	struct learn_run run = {.cli = cli};
	char tmp[] = "/tmp/sandboxec-learn-XXXXXX.yaml";
	int fd = -1, status;

	if (!cli->output) {
		fd = mkstemps(tmp, 5);
		if (fd < 0) {
			sbx_cli_error("learn: cannot create a file in /tmp: %s; pass -o FILE",
				      strerror(errno));
			return 1;
		}
		close(fd);
	}
	run.file = cli->output ? cli->output : tmp;
	run.envp = env_without_settings();
	sbx_learn_init(&run.learn);
	learn_context(&run);
	status = learn_and_verify(&run);
	if (!cli->output) {
		char *text = NULL;
		size_t len = 0;

		if (sbx_read_file(tmp, 1 << 24, &text, &len, NULL) == 0)
			fwrite(text, 1, len, stdout);
		free(text);
		unlink(tmp);
	}
	sbx_learn_result_free(&run.result);
	sbx_learn_free(&run.learn);
	free_profiles(&run);
	free((char *)run.ctx.cwd);
	free((char *)run.ctx.home);
	free((char *)run.ctx.tmpdir);
	free(run.envp);
	return status;
}
