/* SPDX-License-Identifier: Apache-2.0 */
/* `run` mode: confine this process, then execvp the command, so nothing of
 * the command runs unsandboxed and $PATH lookup happens inside the policy. */
#include <errno.h>
#include <unistd.h>

#include "cli.h"
#include "exec_diagnose.h"

extern char **environ;

int sbx_mode_run(struct sbx_cli *cli)
{
	struct sbx_exec_facts facts;
	int status, err_no;

	sbx_exec_facts_gather(cli->argv[0], environ, &facts);
	status = sbx_cli_confine(cli);
	if (status) {
		sbx_exec_facts_free(&facts);
		return status;
	}
	execvp(cli->argv[0], cli->argv);
	err_no = errno;
	status = sbx_exec_report_failure(&facts, cli->argv[0], err_no, &cli->policy);
	sbx_exec_facts_free(&facts);
	return status;
}
