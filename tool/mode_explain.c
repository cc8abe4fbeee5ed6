/* SPDX-License-Identifier: Apache-2.0 */
/* `explain` mode: runs nothing; prints the kernel ABI, where each setting
 * came from and the effective rules as YAML that is itself a valid config,
 * and, given a COMMAND, what the sandbox means for it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exec_diagnose.h"
#include "shim_layout.h"
#include "engine/confine.h"
#include "engine/policy_print.h"
#include "engine/visible.h"

extern char **environ;

/* A 32-bit program next to the settings `--mode env` would print: the
 * shim's i386 copy loads into it, or nothing does (docs/shim.md, "32-bit
 * programs"). */
static void explain_32bit(const struct sbx_shim_layout *shim, struct sbx_buf *out)
{
	if (shim->has_i386)
		sbx_buf_puts(out, "#   32-bit ELF: under the settings of --mode env, the "
				  "shim's i386 copy loads into it\n");
	else
		sbx_buf_puts(out, "#   32-bit ELF: under the settings of --mode env, no shim "
				  "loads into it and it would run unconfined; run it with "
				  "`sandboxec --`\n");
}

static void explain_command(const struct sbx_cli *cli, const struct sbx_shim_layout *shim,
			    struct sbx_buf *out)
{
	struct sbx_exec_facts facts;
	const char *name;

	sbx_exec_facts_gather(cli->argv[0], environ, &facts);
	sbx_exec_facts_resolve(&facts);
	/* Paths shown escaped: a name holding an escape sequence must not be
	 * able to hide the rules printed after it (docs/design.md §5). */
	name = facts.real ? facts.real : cli->argv[0];
	sbx_buf_puts(out, "# command: ");
	sbx_buf_put_visible(out, name, strlen(name), 0);
	sbx_buf_putc(out, '\n');
	if (!facts.path)
		sbx_buf_puts(out, "#   not found in $PATH\n");
	else if (facts.is_32bit)
		explain_32bit(shim, out);
	else if (facts.is_static)
		sbx_buf_puts(out, "#   static ELF: LD_PRELOAD cannot reach it as a top-level "
				  "program, so the shim cannot sandbox it; run it through "
				  "`sandboxec --` (which confines before exec) or from an already "
				  "sandboxed process\n");
	else if (facts.interp) {
		sbx_buf_printf(out, "#   %s: ", facts.is_script ? "interpreter" : "loader");
		sbx_buf_put_visible(out, facts.interp, strlen(facts.interp), 0);
		sbx_buf_putc(out, '\n');
	}
	sbx_exec_facts_free(&facts);
}

int sbx_mode_explain(struct sbx_cli *cli)
{
	struct sbx_error err = {{0}};
	struct sbx_buf out = {0};
	struct sbx_plan plan;
	struct sbx_shim_layout shim;

	if (sbx_confine_plan(&cli->policy, &plan, &err) < 0) {
		sbx_cli_error("%s", err.msg);
		return 1;
	}
	sbx_shim_layout_find(cli->shim_path, &shim);
	if (cli->untrusted_project) {
		const char *path = cli->policy.config_path ? cli->policy.config_path : "";

		sbx_buf_puts(&out, "# sandboxec: UNTRUSTED project file ");
		sbx_buf_put_visible(&out, path, strlen(path), 0);
		sbx_buf_puts(&out, ": shown for review only; nothing runs under it until you "
				   "trust it: sandboxec --mode trust ");
		sbx_buf_put_visible(&out, path, strlen(path), 0);
		sbx_buf_putc(&out, '\n');
	}
	if (cli->argc > 0)
		explain_command(cli, &shim, &out);
	if (sbx_shim_layout_misses_i386(&shim))
		sbx_buf_printf(&out, "# sandboxec: warning: %s\n", sbx_shim_layout_i386_warning);
	sbx_shim_layout_free(&shim);
	sbx_plan_write_yaml(&plan, &out);
	fputs(out.data, stdout);
	sbx_buf_free(&out);
	sbx_plan_free(&plan);
	return 0;
}
