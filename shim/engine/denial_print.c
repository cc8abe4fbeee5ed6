/* SPDX-License-Identifier: Apache-2.0 */
/* The report as text: each group of denials with the rule that would allow
 * it, in the form the user wrote the policy (a flag, a SANDBOXEC_* value or
 * YAML), and one block that allows all of them. Pure; see denial.h. */
#include "denial.h"

#include <stdlib.h>
#include <string.h>

#include "envlist.h"
#include "landlock_abi.h"
#include "policy_print.h"
#include "rights.h"
#include "visible.h"

/* Rules are --fs and --net entries; a scope or UDP is a setting, with no
 * text of its own. */
enum rule_kind { KIND_FS, KIND_NET, KIND_SCOPE, KIND_UDP };

static const struct {
	const char *flag, *env, *yaml;
} kind_names[] = {
    [KIND_FS] = {"--fs", "SANDBOXEC_FS", "fs"},
    [KIND_NET] = {"--net", "SANDBOXEC_NET", "net"},
    [KIND_SCOPE] = {"--restrict-scoped=false", "SANDBOXEC_RESTRICT_SCOPED=0",
		    "restrict-scoped: false"},
    [KIND_UDP] = {"--allow-udp", "SANDBOXEC_ALLOW_UDP=1", "allow-udp: true"},
};

static bool is_setting(enum rule_kind kind)
{
	return kind == KIND_SCOPE || kind == KIND_UDP;
}

/* A rule to suggest: its kind and its text as written ("r:/x", "c:80"). */
struct suggestion {
	enum rule_kind kind;
	char *text;
};

static void put_visible(struct sbx_buf *out, const char *text)
{
	sbx_buf_put_visible(out, text, strlen(text), 0);
}

/* Shell words: bare when nothing in them is special, else single-quoted. */
static void put_shell_word(struct sbx_buf *out, const char *text)
{
	const char *p;

	if (text[strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "0123456789_/.:,+=@%-")] == '\0') {
		put_visible(out, text);
		return;
	}
	sbx_buf_putc(out, '\'');
	for (p = text; *p; p++) {
		if (*p == '\'')
			sbx_buf_puts(out, "'\\''");
		else
			sbx_buf_put_visible(out, p, 1, 0);
	}
	sbx_buf_putc(out, '\'');
}

/* One list entry inside a double-quoted shell value. */
static void put_env_entry(struct sbx_buf *out, const char *text)
{
	struct sbx_buf entry = {0};
	size_t i;

	sbx_envlist_escape(&entry, text);
	for (i = 0; i < entry.len; i++) {
		if (strchr("\"\\$`", entry.data[i]))
			sbx_buf_putc(out, '\\');
		sbx_buf_put_visible(out, &entry.data[i], 1, 0);
	}
	sbx_buf_free(&entry);
}

static enum sbx_rule_form form_of(const struct sbx_report *r, enum rule_kind kind)
{
	switch (kind) {
	case KIND_FS:
		return r->fs_form;
	case KIND_NET:
		return r->net_form;
	case KIND_UDP:
		return r->udp_form;
	default:
		return r->scope_form;
	}
}

/* The path a rule should name for a denied path, or NULL for none:
 * /proc/PID/... of a process of this run names a process the next run
 * will not have, so the rule goes on /proc; a rule on / would grant the
 * whole filesystem, which a report never suggests (the denial is listed,
 * the choice is the user's). */
static const char *rule_path_for(const char *path)
{
	const char *p;

	if (strcmp(path, "/") == 0)
		return NULL;
	if (strncmp(path, "/proc/", 6) == 0) {
		p = path + 6;
		if (*p >= '0' && *p <= '9') {
			p += strspn(p, "0123456789");
			if (*p == '/' || *p == '\0')
				return "/proc";
		}
	}
	return path;
}

/* The bits a rule letter must carry: a w rule is what grants connecting
 * to a unix socket under restrict-unix (landlock_plan.c). */
static uint64_t fs_rule_bits(uint64_t bits)
{
	if (bits & SBX_LL_FS_RESOLVE_UNIX)
		bits = (bits & ~SBX_LL_FS_RESOLVE_UNIX) | SBX_LL_FS_WRITE_FILE;
	return bits;
}

/* The group's rules; returns how many (at most 2). */
static size_t group_suggestions(const struct sbx_report *r, const struct sbx_report_group *g,
				struct suggestion out[2])
{
	const struct sbx_denial_class *c = &g->what;
	size_t i, n = 0;

	if (g->cause != SBX_CAUSE_SANDBOX)
		return 0;
	switch (c->access) {
	case SBX_ACC_CONNECT:
	case SBX_ACC_BIND:
	case SBX_ACC_UDP_SEND:
	case SBX_ACC_UDP_BIND:
		out[n].kind = KIND_NET;
		out[n++].text =
		    sbx_xasprintf("%s:%u",
				  sbx_right_for_access(sbx_net_rights, sbx_net_rights_count,
						       sbx_access_net_bit(c->access))
				      ->short_name,
				  c->port);
		return n;
	case SBX_ACC_SIGNAL:
	case SBX_ACC_ABSTRACT:
		out[n].kind = KIND_SCOPE;
		out[n++].text = sbx_xstrdup("");
		return n;
	case SBX_ACC_SECCOMP:
		if (c->fix != SBX_FIX_ALLOW_UDP)
			return 0;
		out[n].kind = KIND_UDP;
		out[n++].text = sbx_xstrdup("");
		return n;
	default:
		break;
	}
	for (i = 0; i < c->n_target; i++) {
		const struct sbx_right *right;
		const char *path = rule_path_for(c->target[i].path);

		if (!c->target[i].bits || !path ||
		    sbx_report_fs_granted(r, path, c->target[i].bits))
			continue;
		right = sbx_right_for_access(sbx_fs_rights, sbx_fs_rights_count,
					     fs_rule_bits(c->target[i].bits));
		out[n].kind = KIND_FS;
		out[n++].text = sbx_xasprintf("%s:%s", right->short_name, path);
	}
	return n;
}

static void write_one(const struct sbx_report *r, const struct suggestion *s, struct sbx_buf *out)
{
	switch (form_of(r, s->kind)) {
	case SBX_FORM_FLAGS:
		sbx_buf_puts(out, kind_names[s->kind].flag);
		if (!is_setting(s->kind)) {
			sbx_buf_putc(out, ' ');
			put_shell_word(out, s->text);
		}
		break;
	case SBX_FORM_ENV:
		sbx_buf_puts(out, kind_names[s->kind].env);
		if (!is_setting(s->kind)) {
			sbx_buf_printf(out, "=\"$%s,", kind_names[s->kind].env);
			put_env_entry(out, s->text);
			sbx_buf_putc(out, '"');
		}
		break;
	case SBX_FORM_CONFIG:
	case SBX_FORM_PROFILE:
		if (is_setting(s->kind)) {
			sbx_buf_puts(out, kind_names[s->kind].yaml);
			break;
		}
		/* Added to the file's list for one run: --fs would replace the
		 * list, and the next run would fail on what the file granted. */
		sbx_buf_puts(out, s->kind == KIND_FS ? "--add-fs " : "--add-net ");
		put_shell_word(out, s->text);
		break;
	}
}

void sbx_report_suggest(const struct sbx_report *r, const struct sbx_report_group *g,
			struct sbx_buf *out)
{
	struct suggestion s[2];
	size_t i, n = group_suggestions(r, g, s);

	for (i = 0; i < n; i++) {
		if (i)
			sbx_buf_puts(out, "  ");
		write_one(r, &s[i], out);
		free(s[i].text);
	}
}

static void write_group(const struct sbx_report *r, const struct sbx_report_group *g,
			struct sbx_buf *out)
{
	const struct sbx_denial_class *c = &g->what;
	struct sbx_buf rule = {0};

	sbx_buf_puts(out, "  ");
	put_visible(out, g->exe ? g->exe : "?");
	sbx_buf_printf(out, " (pid %d): %s", g->pid, sbx_access_name(c->access));
	if (sbx_access_net_bit(c->access))
		sbx_buf_printf(out, " %u", c->port);
	if (c->n_target) {
		sbx_buf_putc(out, ' ');
		put_visible(out, c->target[0].path);
	}
	if (c->n_target > 1) {
		sbx_buf_puts(out, " -> ");
		put_visible(out, c->target[1].path);
	}
	if (c->via) {
		sbx_buf_printf(out, " (the %s of ",
			       c->via_script ? "#! interpreter" : "program loader");
		put_visible(out, c->via);
		sbx_buf_putc(out, ')');
	}
	if (g->count > 1)
		sbx_buf_printf(out, " (%lu times)", g->count);
	sbx_buf_putc(out, '\n');
	sbx_report_suggest(r, g, &rule);
	if (rule.len)
		sbx_buf_printf(out, "      allow with: %s\n", rule.data);
	else if (c->access == SBX_ACC_SECCOMP && c->fix == SBX_FIX_BIND_PORT)
		sbx_buf_puts(out, "      allow with: a bind rule (b:PORT) for the port it should "
				  "listen on: with one, listen() is not refused\n");
	else if (c->access == SBX_ACC_SECCOMP)
		sbx_buf_puts(out, "      no rule allows it (docs/audit-and-seccomp.md)\n");
	else if (g->cause == SBX_CAUSE_SANDBOX && c->n_target && !strcmp(c->target[0].path, "/"))
		sbx_buf_puts(out, "      not suggested: a rule on / would let the command read "
				  "every file\n");
	sbx_buf_free(&rule);
}

static size_t count_cause(const struct sbx_report *r, enum sbx_denial_cause cause,
			  unsigned long *times)
{
	size_t i, n = 0;

	*times = 0;
	for (i = 0; i < r->n_groups; i++) {
		if (r->groups[i].cause == cause) {
			n++;
			*times += r->groups[i].count;
		}
	}
	return n;
}

static void write_section(const struct sbx_report *r, enum sbx_denial_cause cause,
			  const char *title, struct sbx_buf *out)
{
	unsigned long times;
	size_t i;

	if (!count_cause(r, cause, &times))
		return;
	if (*title)
		sbx_buf_printf(out, "sandboxec: %s\n", title);
	for (i = 0; i < r->n_groups; i++) {
		if (r->groups[i].cause == cause)
			write_group(r, &r->groups[i], out);
	}
}

/* a covers b: the same rights on b's path or a directory above it
 * ("r:/proc" covers "r:/proc/meminfo"). */
static bool covers(const struct suggestion *a, const struct suggestion *b)
{
	const char *ca = strchr(a->text, ':'), *cb = strchr(b->text, ':');

	return a->kind == KIND_FS && b->kind == KIND_FS && ca && cb &&
	       ca - a->text == cb - b->text && !strncmp(a->text, b->text, (size_t)(ca - a->text)) &&
	       sbx_path_in_tree(cb + 1, ca + 1);
}

/* Drops every suggestion another one covers; returns how many are left.
 * Decides for all first, then compacts: a decision reads the others. */
static size_t drop_covered(struct suggestion *all, size_t n)
{
	bool *drop = sbx_xcalloc(n ? n : 1, sizeof(*drop));
	size_t i, k, kept = 0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < n && !drop[i]; k++)
			drop[i] =
			    k != i && covers(&all[k], &all[i]) && strcmp(all[k].text, all[i].text);
	}
	for (i = 0; i < n; i++) {
		if (drop[i])
			free(all[i].text);
		else
			all[kept++] = all[i];
	}
	free(drop);
	return kept;
}

/* Every suggestion once, in the order first seen, none another covers. */
static size_t collect(const struct sbx_report *r, struct suggestion **all)
{
	size_t i, j, k, n = 0, cap = 0;

	*all = NULL;
	for (i = 0; i < r->n_groups; i++) {
		struct suggestion s[2];
		size_t m = group_suggestions(r, &r->groups[i], s);

		for (j = 0; j < m; j++) {
			for (k = 0; k < n; k++) {
				if ((*all)[k].kind == s[j].kind &&
				    !strcmp((*all)[k].text, s[j].text))
					break;
			}
			if (k < n) {
				free(s[j].text);
				continue;
			}
			*all = sbx_xgrow(*all, n + 1, &cap, sizeof(**all));
			(*all)[n++] = s[j];
		}
	}
	return drop_covered(*all, n);
}

static void write_flags_and_env(const struct sbx_report *r, const struct suggestion *all, size_t n,
				struct sbx_buf *out)
{
	size_t i, flags = 0;

	for (i = 0; i < n; i++) {
		if (form_of(r, all[i].kind) != SBX_FORM_FLAGS)
			continue;
		sbx_buf_puts(out, flags++ ? " " : "  ");
		write_one(r, &all[i], out);
	}
	if (flags)
		sbx_buf_putc(out, '\n');
	for (i = 0; i < n; i++) {
		if (form_of(r, all[i].kind) != SBX_FORM_ENV)
			continue;
		sbx_buf_puts(out, "  ");
		write_one(r, &all[i], out);
		sbx_buf_putc(out, '\n');
	}
}

/* The YAML form: one snippet, lists concatenated (docs/config.md
 * "extends"), so the profile's own rules stay and these are added. */
static void write_yaml(const struct sbx_report *r, const struct suggestion *all, size_t n,
		       struct sbx_buf *out)
{
	static const enum rule_kind kinds[] = {KIND_SCOPE, KIND_UDP, KIND_FS, KIND_NET};
	bool profile = false, any = false;
	size_t i, k;

	for (i = 0; i < n; i++) {
		enum sbx_rule_form f = form_of(r, all[i].kind);

		any |= f == SBX_FORM_CONFIG || f == SBX_FORM_PROFILE;
		profile |= f == SBX_FORM_PROFILE;
	}
	if (!any)
		return;
	if (profile) {
		sbx_buf_puts(out,
			     "  # a config file that builds on the profile; run it with -c FILE\n"
			     "  extends: [");
		put_visible(out, r->form_name ? r->form_name : "?");
		sbx_buf_puts(out, "]\n");
	} else {
		sbx_buf_puts(out, "  # in ");
		put_visible(out, r->form_name ? r->form_name : "the config file");
		sbx_buf_putc(out, '\n');
	}
	for (k = 0; k < SBX_ARRAY_SIZE(kinds); k++) {
		bool header = false;

		for (i = 0; i < n; i++) {
			enum sbx_rule_form f = form_of(r, all[i].kind);

			if (all[i].kind != kinds[k] ||
			    (f != SBX_FORM_CONFIG && f != SBX_FORM_PROFILE))
				continue;
			if (is_setting(kinds[k])) {
				sbx_buf_printf(out, "  %s\n", kind_names[kinds[k]].yaml);
				break;
			}
			if (!header)
				sbx_buf_printf(out, "  %s:\n", kind_names[kinds[k]].yaml);
			header = true;
			sbx_buf_puts(out, "    - ");
			sbx_yaml_quote_path(out, all[i].text);
			sbx_buf_putc(out, '\n');
		}
	}
}

void sbx_report_write(const struct sbx_report *r, struct sbx_buf *out)
{
	struct suggestion *all;
	unsigned long times;
	size_t i, n, groups = count_cause(r, SBX_CAUSE_SANDBOX, &times);

	sbx_buf_printf(out, "sandboxec: report (backend: %s): ", r->backend);
	if (r->unsandboxed)
		sbx_buf_puts(out, "no sandbox was in force (best-effort without Landlock); ");
	if (groups)
		sbx_buf_printf(out, "the sandbox denied %zu access%s, %lu time%s:\n", groups,
			       groups == 1 ? "" : "es", times, times == 1 ? "" : "s");
	else
		sbx_buf_puts(out, "the sandbox denied nothing\n");
	write_section(r, SBX_CAUSE_SANDBOX, "", out);
	write_section(r, SBX_CAUSE_OTHER,
		      "not the sandbox (the policy allows these: ordinary file permissions, a "
		      "privileged port, another user's process):",
		      out);
	write_section(r, SBX_CAUSE_PROBE,
		      "probably harmless (probes that have a fallback), not counted above:", out);
	n = collect(r, &all);
	if (n) {
		sbx_buf_puts(out, "sandboxec: to allow what the sandbox denied, add:\n");
		write_flags_and_env(r, all, n, out);
		write_yaml(r, all, n, out);
	}
	for (i = 0; all && i < n; i++)
		free(all[i].text);
	free(all);
	if (r->ioctl_unseen_pid)
		sbx_buf_printf(out,
			       "sandboxec: ioctls on devices of pid %d may have been refused "
			       "without being listed: the tracer could not watch them\n",
			       r->ioctl_unseen_pid);
}
