/* SPDX-License-Identifier: Apache-2.0 */
/* `env` mode: prints the LD_AUDIT, LD_PRELOAD and SANDBOXEC_* settings that
 * make the shim apply exactly the resolved policy, in sh, make, fish, json
 * or dotenv. LD_AUDIT applies it before the program's own libraries run;
 * LD_PRELOAD is the fallback should ld.so not load the audit module
 * (docs/audit-and-seccomp.md).
 * Values are fully expanded (a literal "$" written "$$") and quoted so that
 * no byte of a path can inject anything into the shell or make reading it.
 * SANDBOXEC_ACTIVE is never written (docs/design.md §4.2). sh and fish unset it, so a
 * stale marker in the shell sourcing them cannot make the shim skip; make
 * keeps it, or each level of a recursive make would stack another layer. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "shim_layout.h"
#include "engine/envlist.h"
#include "engine/rule.h"
#include "engine/util.h"
#include "engine/writable.h"

extern char **environ;

struct env_var {
	const char *name;
	char *value;
};

struct env_format {
	const char *name;
	int (*write)(const struct sbx_shim_layout *shim, const struct env_var *vars, size_t n,
		     struct sbx_buf *out);
};

/* One list entry as the shim will read it: "$" doubled (the shim expands
 * variables), then the list escapes for "," "\" and newline. */
static void append_entry(struct sbx_buf *list, const char *rights, const char *path)
{
	struct sbx_buf entry = {0};
	const char *p;

	sbx_buf_printf(&entry, "%s:", rights);
	for (p = path; *p; p++)
		sbx_buf_puts(&entry, *p == '$' ? "$$" : (char[]){*p, 0});
	if (list->len)
		sbx_buf_putc(list, ',');
	sbx_envlist_escape(list, entry.data);
	sbx_buf_free(&entry);
}

static void sh_quote(struct sbx_buf *out, const char *s)
{
	sbx_buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sbx_buf_puts(out, "'\\''");
		else
			sbx_buf_putc(out, *s);
	}
	sbx_buf_putc(out, '\'');
}

static void fish_quote(struct sbx_buf *out, const char *s)
{
	sbx_buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			sbx_buf_putc(out, '\\');
		sbx_buf_putc(out, *s);
	}
	sbx_buf_putc(out, '\'');
}

/* GNU make: "$" is "$$"; "#" needs a backslash, and the backslashes before
 * it doubled; a trailing backslash would join the next line, so it is
 * followed by an empty expansion. Values never hold a newline (the list
 * syntax escapes it) nor leading whitespace (they start with the rights). */
static void make_quote(struct sbx_buf *out, const char *s)
{
	size_t backslashes = 0;

	for (; *s; s++) {
		if (*s == '\\') {
			backslashes++;
			continue;
		}
		if (*s == '#') {
			backslashes *= 2;
			while (backslashes--)
				sbx_buf_putc(out, '\\');
			sbx_buf_puts(out, "\\#");
			backslashes = 0;
			continue;
		}
		while (backslashes) {
			sbx_buf_putc(out, '\\');
			backslashes--;
		}
		if (*s == '$')
			sbx_buf_puts(out, "$$");
		else
			sbx_buf_putc(out, *s);
	}
	while (backslashes) {
		sbx_buf_putc(out, '\\');
		backslashes--;
		if (!backslashes)
			sbx_buf_puts(out, "$(sandboxec_nothing)");
	}
}

/* sh, fish and make differ only in their quoting and a few templates, so
 * one writer serves all three. In a template, %N is the variable's name and
 * %V its quoted value (for the LD_PRELOAD line: the quoted shim path; for
 * LD_AUDIT: the fast audit entry, when built, then the shim). */
struct shell_syntax {
	const char *header;  /* comment, then unset what would name a config */
	const char *assign;  /* one variable */
	const char *preload; /* LD_PRELOAD: the shim first, then what was there */
	const char *audit;   /* LD_AUDIT, likewise */
	const char *footer;  /* last line, if the syntax needs one */
	void (*quote)(struct sbx_buf *out, const char *s);
};

static const struct shell_syntax sh_syntax = {
    "unset SANDBOXEC_CONFIG SANDBOXEC_NAMED_CONFIG SANDBOXEC_ACTIVE\n",
    "export %N=%V\n",
    "export LD_PRELOAD=%V\"${LD_PRELOAD:+:$LD_PRELOAD}\"\n",
    "export LD_AUDIT=%V\"${LD_AUDIT:+:$LD_AUDIT}\"\n",
    "",
    sh_quote,
};

static const struct shell_syntax fish_syntax = {
    "set -e SANDBOXEC_CONFIG; set -e SANDBOXEC_NAMED_CONFIG; set -e SANDBOXEC_ACTIVE\n",
    "set -gx %N %V\n",
    "if set -q LD_PRELOAD; and test -n \"$LD_PRELOAD\"; set -gx LD_PRELOAD %V:\"$LD_PRELOAD\"; "
    "else; set -gx LD_PRELOAD %V; end\n",
    "if set -q LD_AUDIT; and test -n \"$LD_AUDIT\"; set -gx LD_AUDIT %V:\"$LD_AUDIT\"; "
    "else; set -gx LD_AUDIT %V; end\n",
    /* fish's `set` keeps the status of the command before it, so a failed
     * `set -q` would leave `source settings.fish; and cmd` skipping cmd. */
    "true\n",
    fish_quote,
};

static const struct shell_syntax make_syntax = {
    "# sandboxec settings: `include` this and every recipe runs sandboxed\n"
    "unexport SANDBOXEC_CONFIG SANDBOXEC_NAMED_CONFIG\n",
    "export %N := %V\n",
    "export LD_PRELOAD := %V$(if $(LD_PRELOAD),:$(LD_PRELOAD))\n",
    "export LD_AUDIT := %V$(if $(LD_AUDIT),:$(LD_AUDIT))\n",
    "",
    make_quote,
};

static void expand_template(struct sbx_buf *out, const struct shell_syntax *syntax,
			    const char *tmpl, const char *name, const char *value)
{
	const char *p;

	for (p = tmpl; *p; p++) {
		if (p[0] == '%' && p[1] == 'N') {
			sbx_buf_puts(out, name);
			p++;
		} else if (p[0] == '%' && p[1] == 'V') {
			syntax->quote(out, value);
			p++;
		} else {
			sbx_buf_putc(out, *p);
		}
	}
}

static void write_shell(const struct shell_syntax *syntax, const struct sbx_shim_layout *shim,
			const struct env_var *vars, size_t n, struct sbx_buf *out)
{
	size_t i;

	sbx_buf_puts(out, syntax->header);
	for (i = 0; i < n; i++)
		expand_template(out, syntax, syntax->assign, vars[i].name, vars[i].value);
	expand_template(out, syntax, syntax->preload, "LD_PRELOAD", shim->load);
	expand_template(out, syntax, syntax->audit, "LD_AUDIT", shim->audit);
	sbx_buf_puts(out, syntax->footer);
}

/* The settings name the shim by its path. Should that file be gone (make
 * uninstall, make clean, a moved checkout), ld.so only warns that it
 * "cannot be preloaded ... ignored" and every command runs unconfined. So
 * the sh and fish settings check for it (and for its i386 copy, when the
 * settings name one through $LIB) before they change anything, and
 * without it print one line and set nothing: a script that sources them
 * ends with status 1 (fail closed), an interactive shell gets status 1
 * back (docs/usage.md#env). In a template, %V is the quoted path of one
 * file in `test` and the quoted message in `fail`. */
struct shim_guard {
	const char *open; /* comment, then the start of the check */
	const char *test; /* one file's test */
	const char *join; /* between two tests */
	const char *then; /* after the last test */
	const char *fail; /* the branch taken without the shim, and the end */
};

static const struct shim_guard sh_guard = {
    "# sandboxec settings: every command started after this is sandboxed\n"
    "# Without the shim ld.so would ignore it and run everything unsandboxed.\n"
    "if ",
    "[ -f %V ] && [ -r %V ]",
    " && ",
    "; then\n",
    "else\n"
    "printf '%s\\n' %V >&2\n"
    "case $- in *i*) false ;; *) exit 1 ;; esac\n"
    "fi\n",
};

static const struct shim_guard fish_guard = {
    "# sandboxec settings: every command started after this is sandboxed\n"
    "# Without the shim ld.so would ignore it and run everything unsandboxed.\n"
    "if ",
    "test -f %V; and test -r %V",
    "; and ",
    "\n",
    /* fish's `exit` in a sourced file ends only the sourcing, so a script
     * is ended by replacing the shell. */
    "else\n"
    "printf '%s\\n' %V >&2\n"
    "status is-interactive; or exec /bin/sh -c 'exit 1'\n"
    "false\n"
    "end\n",
};

/* A comment saying that 32-bit programs would escape these settings;
 * docs/shim.md, "32-bit programs". */
static void write_i386_comment(const struct sbx_shim_layout *shim, struct sbx_buf *out)
{
	if (sbx_shim_layout_misses_i386(shim))
		sbx_buf_printf(out, "# sandboxec: warning: %s\n", sbx_shim_layout_i386_warning);
}

static void write_guarded(const struct shell_syntax *syntax, const struct shim_guard *guard,
			  const struct sbx_shim_layout *shim, const struct env_var *vars, size_t n,
			  struct sbx_buf *out)
{
	char *msg =
	    sbx_xasprintf("sandboxec: the shim these settings load, %s%s, is missing "
			  "(uninstalled, cleaned or moved); nothing was set: re-run "
			  "sandboxec --mode env with the same options to write new settings",
			  shim->files[0], shim->n_files > 1 ? " or an i386 copy beside it" : "");
	size_t i;

	write_i386_comment(shim, out);
	sbx_buf_puts(out, guard->open);
	for (i = 0; i < shim->n_files; i++) {
		if (i)
			sbx_buf_puts(out, guard->join);
		expand_template(out, syntax, guard->test, NULL, shim->files[i]);
	}
	sbx_buf_puts(out, guard->then);
	write_shell(syntax, shim, vars, n, out);
	expand_template(out, syntax, guard->fail, NULL, msg);
	free(msg);
}

static int write_sh(const struct sbx_shim_layout *shim, const struct env_var *vars, size_t n,
		    struct sbx_buf *out)
{
	write_guarded(&sh_syntax, &sh_guard, shim, vars, n, out);
	return 0;
}

static int write_fish(const struct sbx_shim_layout *shim, const struct env_var *vars, size_t n,
		      struct sbx_buf *out)
{
	write_guarded(&fish_syntax, &fish_guard, shim, vars, n, out);
	return 0;
}

/* What make itself must do, after the variables (docs/shim.md, "From a
 * Makefile"). ld.so only warns when a preloaded file is missing and runs
 * the program unconfined, so a shim that is gone (uninstalled, cleaned,
 * moved) stops make while it reads the settings. And GNU make runs a recipe
 * line without shell syntax itself, with no shell in between, when SHELL
 * is /bin/sh and .SHELLFLAGS is -c or -ec (construct_command_argv_internal
 * in its job.c): make is not sandboxed, so a static program run that way
 * would escape. A space appended to every target's .SHELLFLAGS sends each
 * line through the same shell with the same flags, which loads the shim;
 * a target whose own SHELL and .SHELLFLAGS would still skip the shell
 * stops make before its recipe, from LD_PRELOAD's expansion for the job. */
static const char make_shim_check[] =
    "$(if $(realpath $(sandboxec_shim)),,$(error sandboxec: the shim $(sandboxec_shim) these "
    "settings preload does not exist (uninstalled, cleaned or moved); run `sandboxec --mode env "
    "--format make ...` again to regenerate $(lastword $(MAKEFILE_LIST))))\n";

static const char make_guard[] =
    "# make runs a recipe line without shell syntax itself, not through the shell\n"
    "# that loads the shim, when .SHELLFLAGS is exactly -c or -ec; the space added\n"
    "# here keeps the same shell and flags and makes it use the shell.\n"
    "%: override .SHELLFLAGS +=\n"
    "sandboxec_is = $(if $(subst x$1x,,x$2x),,1)\n"
    "sandboxec_direct = $(and $@,$(call sandboxec_is,/bin/sh,$(SHELL)),$(or $(call "
    "sandboxec_is,-c,$(.SHELLFLAGS)),$(call sandboxec_is,-ec,$(.SHELLFLAGS))))\n"
    "sandboxec_preload := $(LD_PRELOAD)\n"
    "export LD_PRELOAD = $(if $(sandboxec_direct),$(error sandboxec: make would run the recipe "
    "of $@ without a shell (SHELL /bin/sh, .SHELLFLAGS $(.SHELLFLAGS)), where a static program "
    "escapes the sandbox; remove the SHELL or .SHELLFLAGS set for $@))$(sandboxec_preload)\n";

static int write_make(const struct sbx_shim_layout *shim, const struct env_var *vars, size_t n,
		      struct sbx_buf *out)
{
	size_t i;

	write_i386_comment(shim, out);
	write_shell(&make_syntax, shim, vars, n, out);
	/* Each file is checked as it is read: the i386 copies, then the
	 * machine's own, whose name sandboxec_shim keeps. */
	for (i = shim->n_files; i-- > 0;) {
		sbx_buf_puts(out, "sandboxec_shim := ");
		make_quote(out, shim->files[i]);
		sbx_buf_putc(out, '\n');
		sbx_buf_puts(out, make_shim_check);
	}
	sbx_buf_puts(out, make_guard);
	return 0;
}

/* The LD_PRELOAD or LD_AUDIT value for the static formats: the shim first,
 * then what the current environment lists (without another copy of it). */
static char *static_loadlist(const char *var, const char *shim)
{
	const char *current = sbx_env_get(environ, var);

	if (!current || !*current || strstr(current, shim))
		return sbx_xstrdup(shim);
	return sbx_xasprintf("%s:%s", shim, current);
}

static int write_json(const struct sbx_shim_layout *shim, const struct env_var *vars, size_t n,
		      struct sbx_buf *out)
{
	json_t *obj = json_object();
	char *preload = static_loadlist("LD_PRELOAD", shim->load);
	char *audit = static_loadlist("LD_AUDIT", shim->audit);
	char *text;
	size_t i;
	int ret = -1;

	for (i = 0; i <= n + 1; i++) {
		const char *name = i < n ? vars[i].name : i == n ? "LD_PRELOAD" : "LD_AUDIT";
		const char *value = i < n ? vars[i].value : i == n ? preload : audit;
		json_t *str = json_string(value);

		if (!str) {
			sbx_cli_error("%s is not valid UTF-8, which JSON cannot carry; use "
				      "--format sh, make or fish",
				      name);
			goto out;
		}
		json_object_set_new(obj, name, str);
	}
	text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	sbx_buf_printf(out, "%s\n", text);
	free(text);
	ret = 0;
out:
	json_decref(obj);
	free(preload);
	free(audit);
	return ret;
}

/* The first "'", "\" or "$" in a dotenv value, except each "$LIB/" of the
 * shim paths it starts with (ours, may be NULL): readers take "$LIB"
 * literally inside single quotes (docker compose and systemd expand
 * nothing there, python-dotenv only "${VAR}"), which is what ld.so needs
 * to see. */
static const char *dotenv_bad(const char *value, const char *ours)
{
	size_t skip = ours && strncmp(value, ours, strlen(ours)) == 0 ? strlen(ours) : 0;
	const char *p;

	for (p = value; *p; p++) {
		if ((size_t)(p - value) < skip && strncmp(p, "/$LIB/", 6) == 0)
			p += strlen("/$LIB");
		else if (strchr("'\\$", *p))
			return p;
	}
	return NULL;
}

/* dotenv: KEY='value'. Readers disagree inside single quotes: docker
 * compose and systemd take the text literally, python-dotenv turns "\\"
 * into "\" and expands "${VAR}". So only a value whose meaning cannot
 * depend on the reader is written; a "'", "\" or "$" is refused (a comma
 * or backslash in a path is written "\," "\\", a "$" as "$$"). */
static int write_dotenv(const struct sbx_shim_layout *shim, const struct env_var *vars, size_t n,
			struct sbx_buf *out)
{
	char *preload = static_loadlist("LD_PRELOAD", shim->load);
	char *audit = static_loadlist("LD_AUDIT", shim->audit);
	size_t i;

	write_i386_comment(shim, out);
	for (i = 0; i <= n + 1; i++) {
		const char *name = i < n ? vars[i].name : i == n ? "LD_PRELOAD" : "LD_AUDIT";
		const char *value = i < n ? vars[i].value : i == n ? preload : audit;
		const char *bad = dotenv_bad(value, i < n    ? NULL
						    : i == n ? shim->load
							     : shim->audit);

		if (bad) {
			sbx_cli_error("%s would contain '%c', which dotenv readers do not agree "
				      "on (a quote, a backslash from a comma or backslash in a "
				      "path, or a $); use --format sh, make, fish or json",
				      name, *bad);
			free(preload);
			free(audit);
			return -1;
		}
		sbx_buf_printf(out, "%s='%s'\n", name, value);
	}
	free(preload);
	free(audit);
	return 0;
}

static const struct env_format formats[] = {
    {"sh", write_sh},	  {"make", write_make},	    {"fish", write_fish},
    {"json", write_json}, {"dotenv", write_dotenv},
};

/* The shim the settings load, as LD_PRELOAD and LD_AUDIT can name it. */
static int find_shim(const struct sbx_cli *cli, struct sbx_shim_layout *shim)
{
	if (!cli->shim_path) {
		sbx_cli_error("cannot find libsandboxec.so beside this sandboxec or in %s; build "
			      "it with `make` or install it with `make install`",
			      SBX_LIBDIR);
		return -1;
	}
	sbx_shim_layout_find(cli->shim_path, shim);
	/* The fast audit entry, when named, is "FAST:" before the shim. */
	if (strpbrk(shim->load, ": \t\n") ||
	    strcspn(shim->audit, ": \t\n") + 1 + strlen(shim->load) < strlen(shim->audit)) {
		sbx_cli_error(
		    "the shim's path %s contains a space or colon, which LD_PRELOAD "
		    "and LD_AUDIT cannot carry; install it elsewhere (make install LIBDIR=…)",
		    shim->load);
		sbx_shim_layout_free(shim);
		return -1;
	}
	return 0;
}

/* Refuses (one sandboxec: line, -1) when `path` lies under a rule that
 * lets the sandbox replace it. */
static int refuse_if_writable(const struct sbx_policy *policy, const char *path)
{
	const struct sbx_fs_rule *rule = sbx_policy_rule_writing(policy, path);

	if (!rule)
		return 0;
	sbx_cli_error("the shim these settings load, %s, lies under the rule %s:%s, which lets a "
		      "sandboxed command replace it, and then every command after the next load of "
		      "these settings runs unconfined; keep the shim outside every writable rule "
		      "(install it with `make install`, or narrow the rule)",
		      path, rule->rights, rule->path);
	return -1;
}

/* The settings outlive the sandbox they set up: a shim the sandbox can
 * rewrite — the file, a link of the $LIB tree, or a directory on the way
 * to either — would let one sandboxed command unconfine every later one
 * (docs/security.md, "What the sandbox can write that runs later"). */
static int refuse_writable_shim(const struct sbx_policy *policy, const struct sbx_shim_layout *shim)
{
	const char *lib = strstr(shim->load, "$LIB");
	char libs[] = SBX_SHIM_LIB64 " " SBX_SHIM_LIB32;
	char *save = NULL, *word;
	size_t i;

	for (i = 0; i < shim->n_files; i++) {
		if (refuse_if_writable(policy, shim->files[i]) < 0)
			return -1;
	}
	if (!lib)
		return refuse_if_writable(policy, shim->load);
	for (word = strtok_r(libs, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
		char *path = sbx_xasprintf("%.*s%s%s", (int)(lib - shim->load), shim->load, word,
					   lib + strlen("$LIB"));
		int ret = refuse_if_writable(policy, path);

		free(path);
		if (ret < 0)
			return -1;
	}
	return 0;
}

int sbx_mode_env(struct sbx_cli *cli)
{
	const struct sbx_policy *policy = &cli->policy;
	const char *format = cli->format ? cli->format : "sh";
	const struct env_format *fmt = NULL;
	struct sbx_buf fs = {0}, net = {0}, out = {0};
	struct env_var vars[12];
	struct sbx_shim_layout shim;
	size_t i, n = 0;
	int status = 1;

	for (i = 0; i < SBX_ARRAY_SIZE(formats); i++) {
		if (strcmp(formats[i].name, format) == 0)
			fmt = &formats[i];
	}
	if (!fmt) {
		sbx_cli_error("unknown --format \"%s\"; use sh, make, fish, json or dotenv",
			      format);
		return 1;
	}
	if (find_shim(cli, &shim) < 0)
		return 1;
	if (refuse_writable_shim(policy, &shim) < 0) {
		sbx_shim_layout_free(&shim);
		return 1;
	}
	/* Everything the shim needs, explicit: the implicit shim rule is
	 * re-added by the shim itself; host-runtime rules are written out so
	 * the shim never resolves them again. */
	for (i = 0; i < policy->n_fs; i++) {
		if (policy->fs[i].kind != SBX_RULE_IMPLICIT)
			append_entry(&fs, policy->fs[i].rights, policy->fs[i].path);
	}
	for (i = 0; i < policy->n_skipped; i++)
		append_entry(&fs, policy->skipped[i].rights, policy->skipped[i].path);
	/* The settings are generated once and reused: say now what the host
	 * runtime left out (docs/host-runtime.md "Writable trees"). */
	for (i = 0; i < policy->n_hostrt_refused; i++)
		fprintf(stderr, "sandboxec: warning: %s\n", policy->hostrt_refused[i]);
	for (i = 0; i < policy->n_net; i++)
		sbx_buf_printf(&net, "%s%s:%u", net.len ? "," : "", policy->net[i].rights,
			       policy->net[i].port);
	vars[n++] = (struct env_var){"SANDBOXEC_FS", sbx_buf_steal(&fs)};
	vars[n++] = (struct env_var){"SANDBOXEC_NET", sbx_buf_steal(&net)};
	/* The lists above already hold every addition; empty ones clear any
	 * left in the environment, which would otherwise add their rules again
	 * on top of them. */
	vars[n++] = (struct env_var){"SANDBOXEC_ADD_FS", sbx_xstrdup("")};
	vars[n++] = (struct env_var){"SANDBOXEC_ADD_NET", sbx_xstrdup("")};
	vars[n++] = (struct env_var){"SANDBOXEC_ABI", sbx_xasprintf("%d", policy->abi)};
	vars[n++] =
	    (struct env_var){"SANDBOXEC_BEST_EFFORT", sbx_xstrdup(policy->best_effort ? "1" : "0")};
	vars[n++] = (struct env_var){"SANDBOXEC_IGNORE_IF_MISSING",
				     sbx_xstrdup(policy->ignore_if_missing ? "1" : "0")};
	vars[n++] = (struct env_var){"SANDBOXEC_RESTRICT_SCOPED",
				     sbx_xstrdup(policy->restrict_scoped ? "1" : "0")};
	vars[n++] =
	    (struct env_var){"SANDBOXEC_ALLOW_UDP", sbx_xstrdup(policy->allow_udp ? "1" : "0")};
	vars[n++] = (struct env_var){"SANDBOXEC_RESTRICT_UNIX",
				     sbx_xstrdup(policy->restrict_unix ? "1" : "0")};
	vars[n++] = (struct env_var){"SANDBOXEC_UNSAFE_HOST_RUNTIME", sbx_xstrdup("0")};
	vars[n++] =
	    (struct env_var){"SANDBOXEC_LOG_DENIALS", sbx_xstrdup(policy->log_denials ? "1" : "0")};
	if (fmt->write(&shim, vars, n, &out) == 0) {
		fputs(out.data, stdout);
		status = 0;
		/* Also where the settings are eval'd, not kept. */
		if (sbx_shim_layout_misses_i386(&shim))
			fprintf(stderr, "sandboxec: warning: %s\n", sbx_shim_layout_i386_warning);
	}
	for (i = 0; i < n; i++)
		free(vars[i].value);
	sbx_buf_free(&out);
	sbx_shim_layout_free(&shim);
	return status;
}
