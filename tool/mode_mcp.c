/* `mcp` mode: placeholder until the MCP server lands. */
#include "cli.h"

int sbx_mode_mcp(struct sbx_cli *cli)
{
	(void)cli;
	sbx_cli_die_msg("--mode mcp is not available in this build yet");
	return 1;
}
