/* SPDX-License-Identifier: Apache-2.0 */
/* `run` mode: confine this process, then exec the command, so nothing of
 * the command runs unsandboxed; a $PATH candidate the policy denies stops
 * the run rather than falling through to a later one.
 * With --report the command runs traced instead (report_trace.c); with the
 * hint on, a confined parent waits, to point a failure at --report. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "exec_diagnose.h"
#include "report_trace.h"

extern char **environ;

/* Exec the command, or say why it could not be and return the status. */
static int exec_command(struct sbx_cli *cli, struct sbx_exec_facts *facts)
{
	return sbx_exec_command(cli->argv, facts, &cli->policy);
}

/* --hints: on when asked (the flag, or SANDBOXEC_HINTS=1), off when
 * refused, else on where a person reads stderr: without a terminal the
 * command is exec'd directly, as scripts expect (docs/diagnostics.md). */
static int hints_wanted(const struct sbx_cli *cli)
{
	static const struct sbx_setting_def bool_def = {0, SBX_TYPE_BOOL, "", NULL, NULL, NULL};
	const char *env = getenv("SANDBOXEC_HINTS");
	struct sbx_error err = {{0}};
	int value;

	if (cli->hints >= 0)
		return cli->hints;
	if (env) {
		if (sbx_setting_parse_scalar(&bool_def, env, &value, &err) < 0) {
			sbx_cli_error("SANDBOXEC_HINTS=\"%s\": use 1/true/yes/on or "
				      "0/false/no/off",
				      env);
			return -1;
		}
		return value;
	}
	return isatty(STDERR_FILENO);
}

static pid_t hint_child;

static void forward_signal(int sig)
{
	if (hint_child > 0)
		kill(hint_child, sig);
}

/* The child execs; the parent (confined too, running nothing) waits and
 * passes the status on. A byte on the close-on-exec pipe means the exec
 * itself failed, which the child has already explained. */
static int run_with_hint(struct sbx_cli *cli, struct sbx_exec_facts *facts)
{
	int pipefd[2], status = 0;
	char byte;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return exec_command(cli, facts);
	fflush(NULL);
	hint_child = fork();
	if (hint_child < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return exec_command(cli, facts);
	}
	if (hint_child == 0) {
		close(pipefd[0]);
		status = exec_command(cli, facts);
		(void)!write(pipefd[1], "x", 1);
		fflush(NULL);
		_exit(status);
	}
	close(pipefd[1]);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTERM, forward_signal);
	signal(SIGHUP, forward_signal);
	while (waitpid(hint_child, &status, 0) < 0 && errno == EINTR)
		;
	if (read(pipefd[0], &byte, 1) == 1)
		return WEXITSTATUS(status);
	close(pipefd[0]);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	/* ^C and a closed pipe are the user's doing, not a denial. */
	if (!WIFSIGNALED(status) || (WTERMSIG(status) != SIGINT && WTERMSIG(status) != SIGPIPE))
		fprintf(
		    stderr,
		    "sandboxec: %s %s %d; if the sandbox denied it something, run it again with "
		    "--report to see what and the rule that allows it (--hints=false silences "
		    "this)\n",
		    cli->argv[0], WIFEXITED(status) ? "exited with status" : "was killed by signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

int sbx_mode_run(struct sbx_cli *cli)
{
	struct sbx_exec_facts facts;
	int status, hints;

	if (cli->report)
		return sbx_report_run(cli);
	hints = hints_wanted(cli);
	if (hints < 0)
		return 1;
	sbx_exec_facts_gather(cli->argv[0], environ, &facts);
	status = sbx_cli_confine(cli);
	if (!status)
		status = hints ? run_with_hint(cli, &facts) : exec_command(cli, &facts);
	sbx_exec_facts_free(&facts);
	return status;
}
