/* SPDX-License-Identifier: Apache-2.0 */
/* `mcp` mode: confine this process with the policy, then serve MCP on stdio;
 * every `exec` call is a child that inherits the Landlock domain. The
 * protocol lives in mcp_protocol.c, the loop in mcp_serve.c. */
#include <stdio.h>

#include "cli.h"
#include "report_mcp.h"
#include "report_trace.h"
#include "engine/confine.h"
#include "mcp/json_lazy.h"
#include "mcp/mcp_serve.h"

/* The ABI the server's layer will use, which each call's own layers use
 * too (0: none, best-effort without Landlock). Before ABI 6 a layer cannot
 * scope signals, so a call can still signal the server and other calls:
 * say so once (docs/mcp.md, "Security model"). */
static int call_isolation_abi(const struct sbx_cli *cli)
{
	struct sbx_error err = {{0}};
	struct sbx_plan plan = {0};
	int abi = 0;

	/* A policy that cannot be planned fails in sbx_cli_confine. */
	if (sbx_confine_plan(&cli->policy, &plan, &err) == 0 && !plan.unsandboxed)
		abi = plan.abi;
	sbx_plan_free(&plan);
	if (abi > 0 && abi < 6)
		fprintf(stderr,
			"sandboxec: warning: Landlock ABI %d cannot scope signals (that needs "
			"ABI 6): a call can still signal the server and other calls, and what "
			"leaves its process group can outlive it\n",
			abi);
	return abi;
}

int sbx_mode_mcp(struct sbx_cli *cli)
{
	struct sbx_mcp_limits limits = {
	    .max_output = cli->max_output ? cli->max_output : 1 << 20,
	    .max_timeout_ms = cli->max_timeout_ms > 0 ? cli->max_timeout_ms : 600000,
	};
	struct sbx_mcp_tracer tracer;
	struct sbx_report report;
	struct sbx_error err = {{0}};
	struct sbx_plan plan;
	int status, abi;

	if (cli->argc > 0) {
		sbx_cli_error("--mode mcp takes no COMMAND; an MCP client sends commands "
			      "through the exec tool (remove \"%s\")",
			      cli->argv[0]);
		return 1;
	}
	/* Before confining: the policy need not grant reading the library. */
	if (sbx_json_load(&err) < 0) {
		sbx_cli_error("%s", err.msg);
		return 1;
	}
	if (cli->report && cli->report_backend == SBX_REPORT_AUDIT) {
		sbx_cli_error("--mode mcp reports a call's denials with the tracer only; use "
			      "--report or --report=tracer");
		return 1;
	}
	limits.report_denials = cli->report;
	/* The rules' real paths are read before confining, as the policy
	 * need not grant reading them; each call's supervisor inherits them. */
	if (sbx_report_prepare(cli, &plan, &report) < 0)
		return 1;
	sbx_report_mcp_tracer(&report, &tracer);
	/* Defence in depth: the server itself runs under the policy, so a
	 * bug in it cannot reach beyond what the commands could. */
	abi = call_isolation_abi(cli);
	status = sbx_cli_confine(cli);
	if (!status)
		status = sbx_mcp_serve(&limits, abi, &tracer, 0, 1);
	sbx_report_free(&report);
	sbx_plan_free(&plan);
	return status;
}
