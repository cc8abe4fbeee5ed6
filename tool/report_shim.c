/* SPDX-License-Identifier: Apache-2.0 */
/* The notes of --report under the shim's settings; see report_shim.h. */
#include "report_shim.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "exec_diagnose.h"
#include "shim_layout.h"
#include "engine/envsettings.h"
#include "engine/visible.h"

extern char **environ;

/* Why ld.so would not load the shim into the command run directly, or NULL:
 * no loader at all, secure-execution mode (setuid, setgid, file
 * capabilities), or a 32-bit program with no i386 copy (docs/shim.md). */
static const char *unreachable_why(const struct sbx_cli *cli, const struct sbx_exec_facts *facts)
{
	struct sbx_shim_layout layout;
	struct stat st;
	bool no_i386;

	if (!facts->real)
		return NULL;
	if (facts->is_32bit) {
		sbx_shim_layout_find(cli->shim_path, &layout);
		no_i386 = sbx_shim_layout_misses_i386(&layout);
		sbx_shim_layout_free(&layout);
		return no_i386 ? "a 32-bit program, and no i386 copy of the shim is installed"
			       : NULL;
	}
	if (facts->is_static)
		return "a static binary: there is no loader to load the shim";
	if (stat(facts->real, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID)))
		return "setuid or setgid: the loader ignores LD_PRELOAD for it";
	if (getxattr(facts->real, "security.capability", NULL, 0) > 0)
		return "it has file capabilities: the loader ignores LD_PRELOAD for it";
	return NULL;
}

void sbx_report_shim_notes(const struct sbx_cli *cli, struct sbx_buf *out)
{
	const char *active = sbx_env_get(environ, SBX_ENV_ACTIVE), *why;
	char fingerprint[SBX_FINGERPRINT_LEN];
	struct sbx_exec_facts facts;

	/* A layer other than the policy's own: the shim's, with options on
	 * top, or an outer sandboxec. */
	sbx_env_fingerprint(environ, fingerprint);
	if (sbx_cli_inside_layer() &&
	    (sbx_cli_policy_from_flags(cli) || strcmp(active, fingerprint) != 0)) {
		sbx_buf_puts(out,
			     "sandboxec: note: sandboxec itself runs under another sandboxec "
			     "layer (SANDBOXEC_ACTIVE is set: the shim in LD_PRELOAD, or an "
			     "outer sandboxec), so the command was under that policy too; a "
			     "denial only it makes is listed as \"not the sandbox\" when the "
			     "policy here grants it (run --report without options to check the "
			     "environment's policy)\n");
		return;
	}
	/* Options make a policy the shim never applies. */
	if (sbx_cli_policy_from_flags(cli))
		return;
	sbx_exec_facts_gather(cli->argv[0], environ, &facts);
	sbx_exec_facts_resolve(&facts);
	why = unreachable_why(cli, &facts);
	if (why) {
		sbx_buf_puts(out, "sandboxec: note: the shim does not confine ");
		sbx_buf_put_visible(out, facts.real, strlen(facts.real), 0);
		sbx_buf_printf(out,
			       " when it is run directly with these settings and the shim in "
			       "LD_PRELOAD (%s); here "
			       "sandboxec confined it. Run it as `sandboxec -- ...`, or from a "
			       "program the shim confined, whose layer it inherits\n",
			       why);
	}
	sbx_exec_facts_free(&facts);
}
