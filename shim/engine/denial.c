/* SPDX-License-Identifier: Apache-2.0 */
/* Classifying, grouping and answering denials; see denial.h. Pure: the
 * observer (tool/report_trace.c) does every system call. */
#include "denial.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "envlist.h"
#include "landlock_abi.h"
#include "policy_print.h"
#include "rights.h"
#include "visible.h"

static const char *const access_names[SBX_ACC_COUNT] = {
    [SBX_ACC_READ] = "read",
    [SBX_ACC_LIST] = "list",
    [SBX_ACC_EXECUTE] = "execute",
    [SBX_ACC_WRITE] = "write",
    [SBX_ACC_CREATE] = "create in",
    [SBX_ACC_REMOVE] = "remove from",
    [SBX_ACC_TRUNCATE] = "truncate",
    [SBX_ACC_RENAME] = "rename or link",
    [SBX_ACC_REFER] = "rename or link across directories",
    [SBX_ACC_IOCTL] = "ioctl on the device",
    [SBX_ACC_CONNECT] = "TCP connect to port",
    [SBX_ACC_BIND] = "TCP bind to port",
    [SBX_ACC_UDP_SEND] = "UDP send to port",
    [SBX_ACC_UDP_BIND] = "UDP bind to port",
    [SBX_ACC_UNIX] = "connect to the unix socket",
    [SBX_ACC_SIGNAL] = "signal a process outside the sandbox",
    [SBX_ACC_ABSTRACT] = "connect to an abstract unix socket outside the sandbox",
    [SBX_ACC_SECCOMP] = "network call refused by the seccomp filter:",
};

const char *sbx_access_name(enum sbx_access access)
{
	return access < SBX_ACC_COUNT ? access_names[access] : "?";
}

/* Appends raw's components to out (which holds "/..." already), folding
 * "." and ".." as the kernel would without symlinks. */
static void fold_components(struct sbx_buf *out, const char *raw)
{
	const char *p = raw;

	while (*p) {
		size_t len = strcspn(p, "/");

		if ((len == 1 && p[0] == '.') || len == 0) {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (out->len > 1 && out->data[out->len - 1] != '/')
				out->len--;
			if (out->len > 1)
				out->len--;
			out->data[out->len] = '\0';
		} else {
			if (out->len > 1)
				sbx_buf_putc(out, '/');
			sbx_buf_append(out, p, len);
		}
		p += len;
		while (*p == '/')
			p++;
	}
}

char *sbx_denial_path(const char *base, const char *raw, int pid, int tid)
{
	struct sbx_buf out = {0};
	char self[64];

	if (!raw)
		return NULL;
	if (raw[0] != '/' && (!base || base[0] != '/'))
		return NULL;
	sbx_buf_putc(&out, '/');
	if (raw[0] != '/')
		fold_components(&out, base);
	if (sbx_path_in_tree(raw, "/proc/self")) {
		snprintf(self, sizeof(self), "proc/%d", pid);
		fold_components(&out, self);
		raw += strlen("/proc/self");
	} else if (sbx_path_in_tree(raw, "/proc/thread-self")) {
		snprintf(self, sizeof(self), "proc/%d/task/%d", pid, tid);
		fold_components(&out, self);
		raw += strlen("/proc/thread-self");
	}
	fold_components(&out, raw);
	return sbx_buf_steal(&out);
}

static void set_target(struct sbx_denial_class *c, const char *path, bool parent, uint64_t bits)
{
	struct sbx_denial_target *t = &c->target[c->n_target++];

	t->path = parent ? sbx_path_dirname(path) : sbx_xstrdup(path);
	t->bits = bits;
}

static uint64_t make_bits_for_mode(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFCHR:
		return SBX_LL_FS_MAKE_CHAR;
	case S_IFBLK:
		return SBX_LL_FS_MAKE_BLOCK;
	case S_IFIFO:
		return SBX_LL_FS_MAKE_FIFO;
	case S_IFSOCK:
		return SBX_LL_FS_MAKE_SOCK;
	default:
		return SBX_LL_FS_MAKE_REG;
	}
}

/* An open asks for what its flags say; creating a file is a right on the
 * directory it goes in (docs/design.md §2.1). */
static bool classify_open(const struct sbx_denial_event *ev, struct sbx_denial_class *c)
{
	int acc = ev->open_flags & O_ACCMODE;
	uint64_t bits = 0;

	if (ev->open_flags & O_PATH)
		return false; /* Landlock does not check O_PATH opens */
	if ((ev->open_flags & O_CREAT) && !ev->existed) {
		/* The new file is then written (and read, with O_RDWR) under
		 * the directory's rule too: ask for that in the same round. */
		c->access = SBX_ACC_CREATE;
		bits = SBX_LL_FS_MAKE_REG | (acc != O_RDONLY ? SBX_LL_FS_WRITE_FILE : 0) |
		       (acc != O_WRONLY ? SBX_LL_FS_READ_FILE : 0);
		set_target(c, ev->path, true, bits);
		return true;
	}
	if (acc == O_RDONLY && !(ev->open_flags & O_TRUNC)) {
		c->access = ev->is_dir ? SBX_ACC_LIST : SBX_ACC_READ;
		set_target(c, ev->path, false,
			   ev->is_dir ? SBX_LL_FS_READ_DIR : SBX_LL_FS_READ_FILE);
		return true;
	}
	if (acc != O_WRONLY)
		bits |= SBX_LL_FS_READ_FILE;
	if (acc != O_RDONLY)
		bits |= SBX_LL_FS_WRITE_FILE;
	if (ev->open_flags & O_TRUNC)
		bits |= SBX_LL_FS_TRUNCATE;
	c->access = acc == O_RDONLY ? SBX_ACC_TRUNCATE : SBX_ACC_WRITE;
	set_target(c, ev->path, false, bits);
	return true;
}

static bool classify_rename(const struct sbx_denial_event *ev, struct sbx_denial_class *c)
{
	if (!ev->path2)
		return false;
	if (ev->err == EXDEV) {
		/* Landlock answers EXDEV when refer is missing, so that mv
		 * copies instead; across filesystems it is the kernel's own. */
		if (!ev->same_fs)
			return false;
		c->access = SBX_ACC_REFER;
		set_target(c, ev->path, true, SBX_LL_FS_REFER);
		set_target(c, ev->path2, true, SBX_LL_FS_REFER);
		return true;
	}
	c->access = SBX_ACC_RENAME;
	set_target(c, ev->path, true, ev->op == SBX_OP_RENAME ? SBX_LL_FS_REMOVE_FILE : 0);
	set_target(c, ev->path2, true, SBX_LL_FS_MAKE_REG);
	return true;
}

uint64_t sbx_access_net_bit(enum sbx_access access)
{
	switch (access) {
	case SBX_ACC_CONNECT:
		return SBX_LL_NET_CONNECT_TCP;
	case SBX_ACC_BIND:
		return SBX_LL_NET_BIND_TCP;
	case SBX_ACC_UDP_SEND:
		return SBX_LL_NET_CONNECT_SEND_UDP;
	case SBX_ACC_UDP_BIND:
		return SBX_LL_NET_BIND_UDP;
	default:
		return 0;
	}
}

static bool classify_net(const struct sbx_denial_event *ev, struct sbx_denial_class *c)
{
	if (ev->inet && ev->err == EACCES) {
		if (ev->udp)
			c->access = ev->op == SBX_OP_CONNECT ? SBX_ACC_UDP_SEND : SBX_ACC_UDP_BIND;
		else
			c->access = ev->op == SBX_OP_CONNECT ? SBX_ACC_CONNECT : SBX_ACC_BIND;
		c->port = ev->port;
		return true;
	}
	/* Under restrict-unix (ABI 9) the socket file itself needs the right
	 * a w rule carries; without it EACCES is the file's own permission. */
	if (ev->op == SBX_OP_CONNECT && ev->unix_path && ev->path && ev->err == EACCES) {
		c->access = SBX_ACC_UNIX;
		set_target(c, ev->path, false, SBX_LL_FS_RESOLVE_UNIX);
		return true;
	}
	if (ev->op == SBX_OP_CONNECT && ev->abstract_unix && ev->err == EPERM) {
		c->access = SBX_ACC_ABSTRACT;
		return true;
	}
	if (ev->op == SBX_OP_BIND && ev->unix_path && ev->path) {
		c->access = SBX_ACC_CREATE;
		set_target(c, ev->path, true, SBX_LL_FS_MAKE_SOCK);
		return true;
	}
	return false;
}

/* The file operations: which access, and on the file or its directory. */
static bool classify_fs(const struct sbx_denial_event *ev, struct sbx_denial_class *c)
{
	static const struct {
		enum sbx_access access;
		bool parent;
		uint64_t bits;
	} ops[] = {
	    [SBX_OP_EXEC] = {SBX_ACC_EXECUTE, false, SBX_LL_FS_EXECUTE},
	    [SBX_OP_MKDIR] = {SBX_ACC_CREATE, true, SBX_LL_FS_MAKE_DIR},
	    [SBX_OP_MKNOD] = {SBX_ACC_CREATE, true, 0},
	    [SBX_OP_SYMLINK] = {SBX_ACC_CREATE, true, SBX_LL_FS_MAKE_SYM},
	    [SBX_OP_UNLINK] = {SBX_ACC_REMOVE, true, SBX_LL_FS_REMOVE_FILE},
	    [SBX_OP_RMDIR] = {SBX_ACC_REMOVE, true, SBX_LL_FS_REMOVE_DIR},
	    [SBX_OP_TRUNCATE] = {SBX_ACC_TRUNCATE, false, SBX_LL_FS_TRUNCATE},
	    [SBX_OP_IOCTL] = {SBX_ACC_IOCTL, false, SBX_LL_FS_IOCTL_DEV},
	};
	uint64_t bits;

	if (!ev->path || ev->op >= SBX_ARRAY_SIZE(ops) || !ops[ev->op].access)
		return false;
	if (ev->op == SBX_OP_IOCTL && ev->err != EACCES)
		return false;
	bits = ev->op == SBX_OP_MKNOD ? make_bits_for_mode(ev->mode) : ops[ev->op].bits;
	c->access = ops[ev->op].access;
	set_target(c, ev->path, ops[ev->op].parent, bits);
	return true;
}

/* The kernel named the rights it refused, so the access is exact (truncate
 * apart from write); the most telling one names the group. */
static bool classify_landlock(const struct sbx_denial_event *ev, struct sbx_denial_class *c)
{
	static const struct {
		uint64_t bits;
		enum sbx_access access;
	} order[] = {
	    {SBX_LL_FS_REFER, SBX_ACC_REFER},
	    {SBX_LL_FS_MAKE_REG | SBX_LL_FS_MAKE_DIR | SBX_LL_FS_MAKE_SYM | SBX_LL_FS_MAKE_SOCK |
		 SBX_LL_FS_MAKE_FIFO | SBX_LL_FS_MAKE_CHAR | SBX_LL_FS_MAKE_BLOCK,
	     SBX_ACC_CREATE},
	    {SBX_LL_FS_REMOVE_FILE | SBX_LL_FS_REMOVE_DIR, SBX_ACC_REMOVE},
	    {SBX_LL_FS_WRITE_FILE, SBX_ACC_WRITE},
	    {SBX_LL_FS_TRUNCATE, SBX_ACC_TRUNCATE},
	    {SBX_LL_FS_EXECUTE, SBX_ACC_EXECUTE},
	    {SBX_LL_FS_READ_FILE, SBX_ACC_READ},
	    {SBX_LL_FS_READ_DIR, SBX_ACC_LIST},
	    {SBX_LL_FS_IOCTL_DEV, SBX_ACC_IOCTL},
	    {SBX_LL_FS_RESOLVE_UNIX, SBX_ACC_UNIX},
	};
	size_t i;

	if (!ev->path || !ev->blocked)
		return false;
	for (i = 0; i < SBX_ARRAY_SIZE(order); i++) {
		if (ev->blocked & order[i].bits)
			break;
	}
	if (i == SBX_ARRAY_SIZE(order))
		return false;
	c->access = order[i].access;
	set_target(c, ev->path, false, ev->blocked);
	return true;
}

bool sbx_denial_classify(const struct sbx_denial_event *ev, struct sbx_denial_class *out)
{
	memset(out, 0, sizeof(*out));
	if (ev->op == SBX_OP_LANDLOCK)
		return classify_landlock(ev, out);
	if (ev->op == SBX_OP_SECCOMP) {
		/* Refused with the errno of a kernel without the feature; no rule
		 * allows it, a setting may; the target names which refusal. */
		out->access = SBX_ACC_SECCOMP;
		out->fix = ev->fix;
		set_target(out, ev->what ? ev->what : "?", false, 0);
		return true;
	}
	if (ev->op == SBX_OP_RENAME || ev->op == SBX_OP_LINK) {
		if (ev->err != EACCES && ev->err != EPERM && ev->err != EXDEV)
			return false;
		return ev->path && classify_rename(ev, out);
	}
	if (ev->err != EACCES && ev->err != EPERM)
		return false;
	switch (ev->op) {
	case SBX_OP_OPEN:
		return ev->path && classify_open(ev, out);
	case SBX_OP_CONNECT:
	case SBX_OP_BIND:
		return classify_net(ev, out);
	case SBX_OP_SIGNAL:
		if (ev->err != EPERM)
			return false;
		out->access = SBX_ACC_SIGNAL;
		return true;
	default:
		return classify_fs(ev, out);
	}
}

void sbx_denial_class_free(struct sbx_denial_class *c)
{
	size_t i;

	for (i = 0; i < c->n_target; i++)
		free(c->target[i].path);
	free(c->via);
	memset(c, 0, sizeof(*c));
}

enum sbx_rule_form sbx_rule_form_from_origin(const char *origin, bool named_profile)
{
	if (!origin || strcmp(origin, "default") == 0 || strncmp(origin, "--", 2) == 0)
		return SBX_FORM_FLAGS;
	if (strncmp(origin, "SANDBOXEC_", 10) == 0)
		return SBX_FORM_ENV;
	return named_profile ? SBX_FORM_PROFILE : SBX_FORM_CONFIG;
}

/* A setting nobody wrote takes the form the filesystem rules were written
 * in: a policy from SANDBOXEC_FS gets SANDBOXEC_NET, not --net. */
static enum sbx_rule_form form_or_fs(const struct sbx_report *r, const char *origin,
				     bool named_profile)
{
	if (!origin || strcmp(origin, "default") == 0)
		return r->fs_form;
	return sbx_rule_form_from_origin(origin, named_profile);
}

void sbx_report_init(struct sbx_report *r, const struct sbx_plan *plan, const char *form_name,
		     bool named_profile)
{
	const struct sbx_policy *policy = plan->policy;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->backend = "tracer (ptrace + seccomp)";
	r->policy = policy;
	r->unsandboxed = plan->unsandboxed;
	r->handled_fs = plan->handled_fs;
	r->handled_net = plan->net_dropped ? 0 : plan->handled_net;
	r->scoped = plan->scoped;
	r->fs = sbx_xcalloc(plan->n_fs ? plan->n_fs : 1, sizeof(*r->fs));
	r->n_fs = plan->n_fs;
	for (i = 0; i < plan->n_fs; i++) {
		r->fs[i].path = sbx_xstrdup(plan->fs[i].rule->path);
		r->fs[i].access = plan->fs[i].access;
	}
	r->fs_form = sbx_rule_form_from_origin(policy->origin[SBX_SET_FS], named_profile);
	r->net_form = form_or_fs(r, policy->origin[SBX_SET_NET], named_profile);
	r->scope_form = form_or_fs(r, policy->origin[SBX_SET_RESTRICT_SCOPED], named_profile);
	r->udp_form = form_or_fs(r, policy->origin[SBX_SET_ALLOW_UDP], named_profile);
	r->form_name = form_name ? sbx_xstrdup(form_name) : NULL;
}

void sbx_report_set_real(struct sbx_report *r, size_t rule, const char *real)
{
	if (rule >= r->n_fs || !real || strcmp(real, r->fs[rule].path) == 0)
		return;
	free(r->fs[rule].real);
	r->fs[rule].real = sbx_xstrdup(real);
}

void sbx_report_free(struct sbx_report *r)
{
	size_t i;

	for (i = 0; i < r->n_fs; i++) {
		free(r->fs[i].path);
		free(r->fs[i].real);
	}
	free(r->fs);
	for (i = 0; i < r->n_groups; i++) {
		free(r->groups[i].exe);
		sbx_denial_class_free(&r->groups[i].what);
	}
	free(r->groups);
	free(r->form_name);
	memset(r, 0, sizeof(*r));
}

bool sbx_report_fs_granted(const struct sbx_report *r, const char *path, uint64_t bits)
{
	uint64_t granted = 0;
	size_t i;

	bits &= r->handled_fs;
	for (i = 0; i < r->n_fs; i++) {
		if (sbx_path_in_tree(path, r->fs[i].path) ||
		    (r->fs[i].real && sbx_path_in_tree(path, r->fs[i].real)))
			granted |= r->fs[i].access;
	}
	return (granted & bits) == bits;
}

static bool net_granted(const struct sbx_report *r, unsigned port, uint64_t bit)
{
	size_t i;

	if (!(r->handled_net & bit))
		return true;
	for (i = 0; i < r->policy->n_net; i++) {
		if (r->policy->net[i].port == port && (r->policy->net[i].access & bit))
			return true;
	}
	return false;
}

/* Reads that fail harmlessly on every sandboxed start: the loader's cache
 * (it falls back to its default directories) and the locale and charset
 * files (the C locale is used instead). */
static bool is_probe_path(const char *path)
{
	static const char *const trees[] = {
	    "/etc/ld.so.cache", "/etc/ld.so.preload", "/usr/lib/locale",   "/usr/share/locale",
	    "/usr/share/i18n",	"/etc/localtime",     "/etc/locale.alias",
	};
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(trees); i++) {
		if (sbx_path_in_tree(path, trees[i]))
			return true;
	}
	return false;
}

static enum sbx_denial_cause cause_of(const struct sbx_report *r, const struct sbx_denial_class *c)
{
	size_t i;
	bool granted = true;

	if (r->unsandboxed)
		return SBX_CAUSE_OTHER;
	switch (c->access) {
	case SBX_ACC_CONNECT:
	case SBX_ACC_BIND:
	case SBX_ACC_UDP_SEND:
	case SBX_ACC_UDP_BIND:
		granted = net_granted(r, c->port, sbx_access_net_bit(c->access));
		break;
	case SBX_ACC_SIGNAL:
		granted = !(r->scoped & SBX_LL_SCOPE_SIGNAL);
		break;
	case SBX_ACC_ABSTRACT:
		granted = !(r->scoped & SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET);
		break;
	case SBX_ACC_SECCOMP:
		granted = false;
		break;
	default:
		for (i = 0; i < c->n_target; i++)
			granted &= sbx_report_fs_granted(r, c->target[i].path, c->target[i].bits);
	}
	if (granted)
		return SBX_CAUSE_OTHER;
	if (c->n_target && c->access == SBX_ACC_READ && is_probe_path(c->target[0].path))
		return SBX_CAUSE_PROBE;
	return SBX_CAUSE_SANDBOX;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static struct sbx_report_group *find_group(struct sbx_report *r, const char *exe,
					   const struct sbx_denial_class *c,
					   enum sbx_denial_cause cause)
{
	size_t i;

	for (i = 0; i < r->n_groups; i++) {
		struct sbx_report_group *g = &r->groups[i];

		if (g->cause == cause && g->what.access == c->access && g->what.port == c->port &&
		    g->what.fix == c->fix && same_str(g->exe, exe) &&
		    same_str(g->what.n_target ? g->what.target[0].path : NULL,
			     c->n_target ? c->target[0].path : NULL))
			return g;
	}
	return NULL;
}

/* A refused exec of a file the policy lets run was refused on the file
 * the kernel executes for it, its #! interpreter or ELF loader: the denial
 * is that file's, named with the one that led to it. */
static void blame_interpreter(const struct sbx_report *r, const struct sbx_denial_event *ev,
			      struct sbx_denial_class *c, enum sbx_denial_cause *cause)
{
	char *via;

	if (c->access != SBX_ACC_EXECUTE || !ev->interp || *cause != SBX_CAUSE_OTHER ||
	    r->unsandboxed || sbx_report_fs_granted(r, ev->interp, SBX_LL_FS_EXECUTE))
		return;
	via = c->target[0].path;
	c->target[0].path = sbx_xstrdup(ev->interp);
	c->via = via;
	c->via_script = ev->interp_script;
	*cause = SBX_CAUSE_SANDBOX;
}

void sbx_report_add(struct sbx_report *r, const struct sbx_denial_event *ev)
{
	struct sbx_report_group *g;
	struct sbx_denial_class c;
	enum sbx_denial_cause cause;

	if (!sbx_denial_classify(ev, &c))
		return;
	r->n_events++;
	cause = cause_of(r, &c);
	blame_interpreter(r, ev, &c, &cause);
	g = find_group(r, ev->exe, &c, cause);
	if (g) {
		g->count++;
		sbx_denial_class_free(&c);
		return;
	}
	r->groups = sbx_xgrow(r->groups, r->n_groups + 1, &r->cap_groups, sizeof(*r->groups));
	g = &r->groups[r->n_groups++];
	memset(g, 0, sizeof(*g));
	g->pid = ev->pid;
	g->exe = ev->exe ? sbx_xstrdup(ev->exe) : NULL;
	g->cause = cause;
	g->what = c; /* the group owns the class now */
	g->count = 1;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void sbx_report_exec_succeeded(struct sbx_report *r, int pid, const char *path)
{
	size_t i;

	(void)pid; /* a shell may search in a child; the name is what counts */
	for (i = 0; i < r->n_groups; i++) {
		struct sbx_report_group *g = &r->groups[i];

		if (g->what.access != SBX_ACC_EXECUTE || g->cause != SBX_CAUSE_SANDBOX ||
		    !g->what.n_target)
			continue;
		if (strcmp(g->what.target[0].path, path) != 0 &&
		    strcmp(base_name(g->what.target[0].path), base_name(path)) == 0)
			g->cause = SBX_CAUSE_PROBE;
	}
}
