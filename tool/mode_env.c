/* `env` mode: prints the shim settings. Placeholder until the shim lands. */
#include "cli.h"

int sbx_mode_env(struct sbx_cli *cli)
{
	(void)cli;
	sbx_cli_die_msg("--mode env is not available in this build yet");
	return 1;
}
