/* SPDX-License-Identifier: Apache-2.0 */
/* --mode learn's accesses, condensation and YAML; see learn.h. Pure: takes
 * what the tracer saw and the shipped profiles' rules as plain values, so
 * every choice is unit-tested without a kernel. Never prints or exits. */
#include "learn.h"

#include <stdlib.h>
#include <string.h>

#include "landlock_abi.h"
#include "rights.h"

#define FS_READISH  (SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR | SBX_LL_FS_EXECUTE)
#define MAX_EXES    8 /* programs remembered per access */
#define SHOWN_PROGS 3 /* programs named in a rule's comment */

void sbx_learn_init(struct sbx_learn *l)
{
	memset(l, 0, sizeof(*l));
}

void sbx_learn_free(struct sbx_learn *l)
{
	size_t i;

	for (i = 0; i < l->n_acc; i++) {
		free(l->acc[i].path);
		sbx_strv_free(&l->acc[i].exes);
	}
	free(l->acc);
	free(l->index);
	sbx_strv_free(&l->created);
	memset(l, 0, sizeof(*l));
}

static size_t key_hash(const char *path, unsigned port)
{
	uint32_t h = 2166136261U; /* FNV-1a */

	if (!path)
		return (size_t)port * 2654435761U;
	for (; *path; path++)
		h = (h ^ (unsigned char)*path) * 16777619U;
	return h;
}

static bool key_eq(const struct sbx_learn_access *a, const char *path, unsigned port)
{
	if (!a->path || !path)
		return !a->path && !path && a->port == port;
	return strcmp(a->path, path) == 0;
}

/* The slot of path (or port) in the index: its entry, or the empty one
 * where it goes. Entries hold index + 1; 0 is empty. */
static size_t *index_slot(const struct sbx_learn *l, const char *path, unsigned port)
{
	size_t mask = l->n_index - 1, i = key_hash(path, port) & mask;

	while (l->index[i] && !key_eq(&l->acc[l->index[i] - 1], path, port))
		i = (i + 1) & mask;
	return &l->index[i];
}

static void index_grow(struct sbx_learn *l)
{
	size_t i;

	free(l->index);
	l->n_index = l->n_index ? 2 * l->n_index : 64;
	l->index = sbx_xcalloc(l->n_index, sizeof(*l->index));
	for (i = 0; i < l->n_acc; i++)
		*index_slot(l, l->acc[i].path, l->acc[i].port) = i + 1;
}

static struct sbx_learn_access *access_get(struct sbx_learn *l, const char *path, unsigned port)
{
	size_t *slot;

	if (2 * (l->n_acc + 1) > l->n_index)
		index_grow(l);
	slot = index_slot(l, path, port);
	if (*slot)
		return &l->acc[*slot - 1];
	l->acc = sbx_xgrow(l->acc, l->n_acc, &l->cap_acc, sizeof(*l->acc));
	memset(&l->acc[l->n_acc], 0, sizeof(*l->acc));
	l->acc[l->n_acc].path = path ? sbx_xstrdup(path) : NULL;
	l->acc[l->n_acc].port = port;
	*slot = ++l->n_acc;
	return &l->acc[l->n_acc - 1];
}

static bool strv_has(const struct sbx_strv *v, const char *s)
{
	size_t i;

	for (i = 0; i < v->len; i++) {
		if (strcmp(v->items[i], s) == 0)
			return true;
	}
	return false;
}

/* The program's name, as a rule's comment shows it. */
static const char *program_name(const char *exe)
{
	const char *slash = exe ? strrchr(exe, '/') : NULL;

	return slash ? slash + 1 : exe;
}

static void add_exe(struct sbx_strv *exes, const char *exe)
{
	const char *name = program_name(exe);

	if (name && *name && exes->len < MAX_EXES && !strv_has(exes, name))
		sbx_strv_push(exes, name);
}

/* A port's UDP rights are a rule of their own beside its TCP ones (no
 * letters grant both): they are kept under the port with this bit. */
#define UDP_KEY (1U << 16)
#define NET_UDP (SBX_LL_NET_BIND_UDP | SBX_LL_NET_CONNECT_SEND_UDP)

void sbx_learn_add_bits(struct sbx_learn *l, const char *path, unsigned port, uint64_t bits,
			const char *exe)
{
	struct sbx_learn_access *a =
	    access_get(l, path, !path && (bits & NET_UDP) ? port | UDP_KEY : port);

	a->bits |= bits;
	add_exe(&a->exes, exe);
}

static void add_in_dir(struct sbx_learn *l, const char *path, uint64_t bits, const char *exe)
{
	char *dir = sbx_path_dirname(path);

	sbx_learn_add_bits(l, dir, 0, bits, exe);
	free(dir);
}

void sbx_learn_add(struct sbx_learn *l, const struct sbx_learn_event *ev)
{
	uint64_t refer = ev->refer ? SBX_LL_FS_REFER : 0;

	if (!ev->path && ev->op != SBX_LEARN_CONNECT && ev->op != SBX_LEARN_BIND)
		return;
	switch (ev->op) {
	case SBX_LEARN_READ:
		sbx_learn_add_bits(l, ev->path, 0, SBX_LL_FS_READ_FILE, ev->exe);
		break;
	case SBX_LEARN_LIST:
		sbx_learn_add_bits(l, ev->path, 0, SBX_LL_FS_READ_DIR, ev->exe);
		break;
	case SBX_LEARN_EXEC:
		sbx_learn_add_bits(l, ev->path, 0, SBX_LL_FS_EXECUTE | SBX_LL_FS_READ_FILE,
				   ev->exe);
		break;
	case SBX_LEARN_WRITE:
		sbx_learn_add_bits(l, ev->path, 0,
				   SBX_LL_FS_WRITE_FILE | SBX_LL_FS_TRUNCATE |
				       (ev->also_read ? SBX_LL_FS_READ_FILE : 0),
				   ev->exe);
		break;
	case SBX_LEARN_CREATE:
		if (!strv_has(&l->created, ev->path))
			sbx_strv_push(&l->created, ev->path);
		add_in_dir(l, ev->path, SBX_LL_FS_MAKE_REG | refer, ev->exe);
		break;
	case SBX_LEARN_REMOVE:
		add_in_dir(l, ev->path, SBX_LL_FS_REMOVE_FILE | refer, ev->exe);
		break;
	case SBX_LEARN_CONNECT:
		sbx_learn_add_bits(l, NULL, ev->port, SBX_LL_NET_CONNECT_TCP, ev->exe);
		break;
	case SBX_LEARN_BIND:
		sbx_learn_add_bits(l, NULL, ev->port, SBX_LL_NET_BIND_TCP, ev->exe);
		break;
	}
}

/* Trees that become one rule whatever was used inside them: read-only
 * system trees (their files change with every package update) and the
 * pseudo filesystems whose names change from run to run (/proc/PID,
 * /dev/pts/N). */
static const char *const one_rule_trees[] = {
    "/usr", "/bin",  "/sbin", "/lib",	  "/lib32",   "/lib64", "/libx32",
    "/opt", "/proc", "/sys",  "/dev/pts", "/dev/shm", NULL,
};

static bool is_place(const char *dir)
{
	return dir && dir[0] == '/' && dir[1] != '\0';
}

/* In $HOME a dotfile is one rule per file; what lies deeper is its
 * top-level entry (~/.pyenv, ~/.npm), one level further in the XDG
 * directories (~/.config/git, ~/.cache/pip, ~/.local/share/x), so one
 * program's tree is one rule and another's stays out. */
static char *home_target(const char *path, const char *home)
{
	size_t len = strlen(home), depth = 1, i;
	const char *rest, *end;

	while (len > 1 && home[len - 1] == '/')
		len--;
	rest = path + len;
	if (*rest != '/' || !rest[1])
		return sbx_xstrdup(path);
	rest++;
	if (strncmp(rest, ".config/", 8) == 0 || strncmp(rest, ".cache/", 7) == 0)
		depth = 2;
	else if (strncmp(rest, ".local/", 7) == 0)
		depth = 3;
	for (end = rest, i = 0; i < depth; i++) {
		end += strcspn(end, "/");
		if (*end != '/' || i + 1 == depth)
			break;
		end++;
	}
	return sbx_xstrndup(path, (size_t)(end - path));
}

char *sbx_learn_target(const char *path, const struct sbx_learn_context *ctx)
{
	size_t i;

	if (is_place(ctx->cwd) && sbx_path_in_tree(path, ctx->cwd))
		return sbx_xstrdup(ctx->cwd);
	if (is_place(ctx->tmpdir) && sbx_path_in_tree(path, ctx->tmpdir))
		return sbx_xstrdup(ctx->tmpdir);
	for (i = 0; one_rule_trees[i]; i++) {
		if (sbx_path_in_tree(path, one_rule_trees[i]))
			return sbx_xstrdup(one_rule_trees[i]);
	}
	if (is_place(ctx->home) && sbx_path_in_tree(path, ctx->home))
		return home_target(path, ctx->home);
	return sbx_xstrdup(path);
}

const char *sbx_learn_rights(uint64_t bits, bool port)
{
	if (port && (bits & NET_UDP)) {
		if ((bits & SBX_LL_NET_BIND_UDP) && (bits & SBX_LL_NET_CONNECT_SEND_UDP))
			return "ubc";
		return (bits & SBX_LL_NET_BIND_UDP) ? "ub" : "uc";
	}
	if (port) {
		if ((bits & SBX_LL_NET_BIND_TCP) && (bits & SBX_LL_NET_CONNECT_TCP))
			return "bc";
		return (bits & SBX_LL_NET_BIND_TCP) ? "b" : "c";
	}
	if (bits & ~FS_READISH) {
		if (bits & SBX_LL_FS_EXECUTE)
			return "rwx";
		return (bits & SBX_LL_FS_READ_FILE) ? "rw" : "w";
	}
	return (bits & SBX_LL_FS_EXECUTE) ? "rx" : "r";
}

static uint64_t rights_bits(const char *rights)
{
	const struct sbx_right *r =
	    sbx_right_find(sbx_fs_rights, sbx_fs_rights_count, rights, strlen(rights));

	return r ? r->access : 0;
}

/* One access after what was done inside a path the run created has moved
 * to the directory it was created in: the created path does not exist
 * before the next run, the directory does. */
struct need {
	char *path;
	unsigned port;
	uint64_t bits;
	const struct sbx_strv *exes;
};

static char *moved_out_of_created(const struct sbx_learn *l, const char *path)
{
	const char *best = NULL;
	size_t i;

	for (i = 0; i < l->created.len; i++) {
		const char *c = l->created.items[i];

		if (sbx_path_in_tree(path, c) && (!best || strlen(c) < strlen(best)))
			best = c;
	}
	return best ? sbx_path_dirname(best) : sbx_xstrdup(path);
}

static struct need *needs_of(const struct sbx_learn *l)
{
	struct need *needs = sbx_xcalloc(l->n_acc + 1, sizeof(*needs));
	size_t i;

	for (i = 0; i < l->n_acc; i++) {
		needs[i].path = l->acc[i].path ? moved_out_of_created(l, l->acc[i].path) : NULL;
		needs[i].port = l->acc[i].port;
		needs[i].bits = l->acc[i].bits;
		needs[i].exes = &l->acc[i].exes;
	}
	return needs;
}

/* Whether the profile grants it: Landlock adds up the rules on a path and
 * on every directory above it. */
static bool profile_grants(const struct sbx_learn_profile *p, const struct need *n)
{
	uint64_t access = 0;
	size_t i;

	for (i = 0; i < p->n_grants; i++) {
		const struct sbx_learn_grant *g = &p->grants[i];

		if (n->path ? g->path && sbx_path_in_tree(n->path, g->path)
			    : !g->path && g->port == n->port)
			access |= g->access;
	}
	return (n->bits & ~access) == 0;
}

/* Whether the profile is named after a program the run used
 * (languages/python for python3.11, tools/git for git): of two that grant
 * as much, that one says what the profile is for. */
static bool named_for(const struct sbx_learn_profile *p, const struct sbx_learn *l)
{
	const char *slash = strrchr(p->name, '/'), *base = slash ? slash + 1 : p->name;
	size_t i, j, len = strlen(base);

	for (i = 0; i < l->n_acc; i++) {
		for (j = 0; j < l->acc[i].exes.len; j++) {
			if (strncmp(l->acc[i].exes.items[j], base, len) == 0)
				return true;
		}
	}
	return false;
}

/* The candidate that grants most accesses (fewer rules on a tie), among
 * those named for a program the run used when named_only; NULL unless it
 * grants at least half of them. */
static const struct sbx_learn_profile *best_profile(const struct sbx_learn *l,
						    const struct need *needs,
						    const struct sbx_learn_profile *profiles,
						    size_t n_profiles, bool named_only)
{
	const struct sbx_learn_profile *best = NULL;
	size_t best_cov = 0, i, j, cov;

	for (i = 0; i < n_profiles; i++) {
		if (named_only && !named_for(&profiles[i], l))
			continue;
		for (cov = 0, j = 0; j < l->n_acc; j++)
			cov += profile_grants(&profiles[i], &needs[j]);
		if (cov > best_cov ||
		    (cov && cov == best_cov && profiles[i].n_grants < best->n_grants)) {
			best = &profiles[i];
			best_cov = cov;
		}
	}
	return best_cov && 2 * best_cov >= l->n_acc ? best : NULL;
}

/* A profile named for the program (languages/python for python3.11) says
 * what the learned one is for, so it wins over one that merely grants a
 * few more accesses (languages/node also grants openssl.cnf). */
static const struct sbx_learn_profile *pick_profile(const struct sbx_learn *l,
						    const struct need *needs,
						    const struct sbx_learn_profile *profiles,
						    size_t n_profiles)
{
	const struct sbx_learn_profile *p = best_profile(l, needs, profiles, n_profiles, true);

	return p ? p : best_profile(l, needs, profiles, n_profiles, false);
}

/* A rule being built: a target path (or port), the bits it must grant, and
 * the programs that needed them. */
struct target {
	char *path;
	unsigned port;
	uint64_t bits;
	struct sbx_strv exes;
	bool dropped;
};

struct targets {
	struct target *t;
	size_t n, cap;
};

static void target_add(struct targets *ts, char *path, const struct need *n)
{
	struct target *t = NULL;
	size_t i;

	for (i = 0; i < ts->n && !t; i++) {
		if (path ? ts->t[i].path && strcmp(ts->t[i].path, path) == 0
			 : !ts->t[i].path && ts->t[i].port == n->port)
			t = &ts->t[i];
	}
	if (t) {
		free(path);
	} else {
		ts->t = sbx_xgrow(ts->t, ts->n, &ts->cap, sizeof(*ts->t));
		t = &ts->t[ts->n++];
		memset(t, 0, sizeof(*t));
		t->path = path;
		t->port = n->port;
	}
	t->bits |= n->bits;
	for (i = 0; i < n->exes->len; i++)
		add_exe(&t->exes, n->exes->items[i]);
}

/* A rule below another that grants at least as much adds nothing. */
static void drop_subsumed(struct targets *ts)
{
	size_t i, j;

	for (i = 0; i < ts->n; i++) {
		uint64_t mine =
		    ts->t[i].path ? rights_bits(sbx_learn_rights(ts->t[i].bits, false)) : 0;

		for (j = 0; j < ts->n && ts->t[i].path; j++) {
			const struct target *above = &ts->t[j];

			if (j != i && !above->dropped && above->path &&
			    strcmp(above->path, ts->t[i].path) != 0 &&
			    sbx_path_in_tree(ts->t[i].path, above->path) &&
			    !(mine & ~rights_bits(sbx_learn_rights(above->bits, false)))) {
				ts->t[i].dropped = true;
				break;
			}
		}
	}
}

/* $PWD for the working directory, ~/ for $HOME, and a literal $ doubled,
 * since a config expands variables in rule paths. */
static char *written_path(const char *path, const struct sbx_learn_context *ctx)
{
	struct sbx_buf buf = {0};
	size_t len;

	if (is_place(ctx->cwd) && strcmp(path, ctx->cwd) == 0)
		return sbx_xstrdup("$PWD");
	if (is_place(ctx->home) && sbx_path_in_tree(path, ctx->home) &&
	    strcmp(path, ctx->home) != 0) {
		len = strlen(ctx->home);
		while (len > 1 && ctx->home[len - 1] == '/')
			len--;
		sbx_buf_putc(&buf, '~');
		path += len;
	}
	for (; *path; path++) {
		if (*path == '$')
			sbx_buf_putc(&buf, '$');
		sbx_buf_putc(&buf, *path);
	}
	return sbx_buf_steal(&buf);
}

static char *programs_text(const struct sbx_strv *exes)
{
	struct sbx_buf buf = {0};
	size_t i;

	for (i = 0; i < exes->len && i < SHOWN_PROGS; i++)
		sbx_buf_printf(&buf, "%s%s", i ? ", " : "", exes->items[i]);
	if (exes->len > SHOWN_PROGS)
		sbx_buf_puts(&buf, ", ...");
	return sbx_buf_steal(&buf);
}

static int rule_order(const void *a, const void *b)
{
	const struct sbx_learn_rule *x = a, *y = b;

	if (!x->path || !y->path)
		return x->path ? -1 : y->path ? 1 : (x->port > y->port) - (x->port < y->port);
	return strcmp(x->path, y->path);
}

static void emit_rules(struct targets *ts, const struct sbx_learn_context *ctx,
		       struct sbx_learn_result *out)
{
	size_t i;

	out->rules = sbx_xcalloc(ts->n + 1, sizeof(*out->rules));
	for (i = 0; i < ts->n; i++) {
		struct target *t = &ts->t[i];

		if (!t->dropped) {
			struct sbx_learn_rule *r = &out->rules[out->n_rules++];

			r->path = t->path ? written_path(t->path, ctx) : NULL;
			r->port = t->port & ~UDP_KEY;
			r->rights = sbx_learn_rights(t->bits, !t->path);
			r->programs = programs_text(&t->exes);
		}
		free(t->path);
		sbx_strv_free(&t->exes);
	}
	free(ts->t);
	qsort(out->rules, out->n_rules, sizeof(*out->rules), rule_order);
}

void sbx_learn_condense(const struct sbx_learn *l, const struct sbx_learn_context *ctx,
			const struct sbx_learn_profile *profiles, size_t n_profiles,
			struct sbx_learn_result *out)
{
	struct need *needs = needs_of(l);
	const struct sbx_learn_profile *base;
	struct targets ts = {0};
	size_t i;

	memset(out, 0, sizeof(*out));
	base = pick_profile(l, needs, profiles, n_profiles);
	out->extends = base ? base->name : NULL;
	for (i = 0; i < l->n_acc; i++) {
		if (base && profile_grants(base, &needs[i]))
			out->n_covered++;
		else
			target_add(&ts, needs[i].path ? sbx_learn_target(needs[i].path, ctx) : NULL,
				   &needs[i]);
		free(needs[i].path);
	}
	free(needs);
	drop_subsumed(&ts);
	emit_rules(&ts, ctx, out);
}

void sbx_learn_result_free(struct sbx_learn_result *res)
{
	size_t i;

	for (i = 0; i < res->n_rules; i++) {
		free(res->rules[i].path);
		free(res->rules[i].programs);
	}
	free(res->rules);
	memset(res, 0, sizeof(*res));
}

/* A comment's text on one line, with nothing a terminal would act on. */
static void put_comment_text(struct sbx_buf *out, const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		sbx_buf_putc(out, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
}

static void write_header(const char *header, struct sbx_buf *out)
{
	const char *line = header, *nl;

	while (line && *line) {
		nl = strchr(line, '\n');
		sbx_buf_puts(out, "# ");
		put_comment_text(out, line, nl ? (size_t)(nl - line) : strlen(line));
		sbx_buf_putc(out, '\n');
		line = nl ? nl + 1 : NULL;
	}
}

static void write_rule(const struct sbx_learn_rule *r, struct sbx_buf *out)
{
	static const struct sbx_escape quoted[] = {{'"', "\\\""}, {'\\', "\\\\"}, {0, NULL}};

	sbx_buf_printf(out, "  - \"%s:", r->rights);
	if (r->path)
		sbx_buf_put_escaped(out, r->path, quoted, true);
	else
		sbx_buf_printf(out, "%u", r->port);
	sbx_buf_putc(out, '"');
	if (r->programs && *r->programs) {
		sbx_buf_puts(out, "  # ");
		put_comment_text(out, r->programs, strlen(r->programs));
	}
	sbx_buf_putc(out, '\n');
}

void sbx_learn_write_yaml(const struct sbx_learn_result *res, const char *header,
			  struct sbx_buf *out)
{
	size_t i, n_fs = 0;

	write_header(header, out);
	if (res->extends)
		sbx_buf_printf(out, "extends: [%s]\n", res->extends);
	for (i = 0; i < res->n_rules; i++)
		n_fs += res->rules[i].path != NULL;
	if (n_fs || !res->extends)
		sbx_buf_puts(out, n_fs ? "fs:\n" : "fs: []\n");
	for (i = 0; i < n_fs; i++)
		write_rule(&res->rules[i], out);
	if (n_fs < res->n_rules)
		sbx_buf_puts(out, "net:\n");
	for (i = n_fs; i < res->n_rules; i++)
		write_rule(&res->rules[i], out);
}
