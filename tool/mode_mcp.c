/* SPDX-License-Identifier: Apache-2.0 */
/* `mcp` mode: confine this process with the policy, then serve MCP on stdio;
 * every `exec` call is a child that inherits the Landlock domain. The
 * protocol lives in mcp_protocol.c, the loop in mcp_serve.c. */
#include "cli.h"
#include "mcp/json_lazy.h"
#include "mcp/mcp_serve.h"

int sbx_mode_mcp(struct sbx_cli *cli)
{
	struct sbx_mcp_limits limits = {
	    .max_output = cli->max_output ? cli->max_output : 1 << 20,
	    .max_timeout_ms = cli->max_timeout_ms > 0 ? cli->max_timeout_ms : 600000,
	};
	struct sbx_error err = {{0}};
	int status;

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
	/* Defence in depth: the server itself runs under the policy, so a
	 * bug in it cannot reach beyond what the commands could. */
	status = sbx_cli_confine(cli);
	if (status)
		return status;
	return sbx_mcp_serve(&limits, 0, 1);
}
