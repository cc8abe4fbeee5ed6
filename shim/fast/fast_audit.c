/* SPDX-License-Identifier: Apache-2.0 */
/* libsandboxec-fast.so: the first LD_AUDIT entry of the generated settings,
 * before the shim (docs/audit-and-seccomp.md, "The fast audit entry"). It
 * links no libc, so ld.so maps no second libc for the audit namespace, and
 * it decides alone only the settings of one strict shape
 * (fast_settings.h): every policy setting set (so the engine would read no
 * config file either), file rules of canonical absolute paths, no network
 * rule, no pinned ABI, no best-effort. Anything else, and any failure
 * before its first irrevocable step, and it returns having changed
 * nothing: the next LD_AUDIT entry, the shim with the full engine, decides,
 * still before any code of the program. After that step an error ends the
 * process with one `sandboxec: ` line, as the shim's does.
 *
 * Nothing is resolved ahead: the policy is derived from the settings, the
 * kernel's ABI and the file system at this exec, as the engine derives it.
 * The rights, the handled sets, the restrict flags and the seccomp filter
 * are the engine's own code (rights.c, plan_sets.c, seccomp_filter.c),
 * compiled in; the tree marker is the engine's (fingerprint.h). Each rule
 * path is opened without following any link: a link is the engine's to
 * follow or refuse (docs/design.md §2.3), so one makes the shim decide.
 *
 * It works from its constructor, which ld.so runs as it loads the module,
 * with the initial environment block as envp. la_version only keeps the
 * module loaded. */
#include <linux/fcntl.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/stat.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/fingerprint.h"
#include "engine/landlock_abi.h"
#include "engine/plan_sets.h"
#include "engine/rights.h"
#include "engine/seccomp_filter.h"
#include "fast_settings.h"
#include "engine/raw_syscall.h"

#define FAST_MAX_RULES	 256
#define FAST_MAX_FILTER	 512
#define FAST_PATH_MAX	 4096
#define FAST_LIST_MAX	 8192
#define FAST_PRELOAD_SEP " :"	/* ld.so's own separators for LD_PRELOAD */
#define FAST_EDIT_SEP	 ": \t" /* the shim's, when it rewrites LD_PRELOAD */

struct fast_rule {
	uint64_t access;
	long fd;
};

/* Static: the environment block points at the edits for the process's
 * lifetime, and the module runs once, single-threaded, before main. */
static struct fast_rule rules[FAST_MAX_RULES];
static struct sock_filter filter[FAST_MAX_FILTER];
static char marker[sizeof("SANDBOXEC_ACTIVE=") + SBX_FINGERPRINT_HEX] = "SANDBOXEC_ACTIVE=";
static char audit_edit[FAST_LIST_MAX], preload_edit[FAST_LIST_MAX];

__attribute__((visibility("default"))) unsigned int la_version(unsigned int version);

/* The rtld-audit interface looks it up by name; without it ld.so unloads
 * the module. No other hook: ld.so audits nothing. */
unsigned int la_version(unsigned int version)
{
	return version;
}

static size_t length(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* After the first irrevocable step: one line, and the process ends. */
static void __attribute__((noreturn)) fast_fail(const char *what)
{
	static const char head[] = "sandboxec: libsandboxec-fast.so: ";

	sbx_raw_syscall(__NR_write, 2, (long)head, sizeof(head) - 1, 0, 0);
	sbx_raw_syscall(__NR_write, 2, (long)what, (long)length(what), 0, 0);
	sbx_raw_syscall(__NR_write, 2, (long)"\n", 1, 0, 0);
	for (;;)
		sbx_raw_syscall(__NR_exit_group, 1, 0, 0, 0, 0);
}

static void close_rules(size_t n)
{
	while (n--)
		sbx_raw_syscall(__NR_close, rules[n].fd, 0, 0, 0, 0);
}

/* Opens path (no link followed when nofollow) and returns its fd and,
 * through is_dir and is_reg, its type; -1 on any failure. */
static long open_path(const char *path, bool nofollow, bool *is_dir, bool *is_reg)
{
	struct open_how how = {
	    .flags = O_PATH | O_CLOEXEC,
	    .resolve = nofollow ? RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS : 0,
	};
	struct statx stx = {0};
	long fd = sbx_raw_syscall(__NR_openat2, AT_FDCWD, (long)path, (long)&how, sizeof(how), 0);

	if (fd < 0)
		return -1;
	if (sbx_raw_syscall(__NR_statx, fd, (long)"", AT_EMPTY_PATH, STATX_TYPE, (long)&stx) != 0) {
		sbx_raw_syscall(__NR_close, fd, 0, 0, 0, 0);
		return -1;
	}
	*is_dir = (stx.stx_mode & S_IFMT) == S_IFDIR;
	*is_reg = (stx.stx_mode & S_IFMT) == S_IFREG;
	return fd;
}

/* One rule: its fd and what it grants, as add_fs_rule computes it; a rule
 * that grants nothing under this ABI is not added, as there. */
static bool add_rule(size_t *n, long fd, uint64_t access, bool is_dir,
		     const struct sbx_plan_sets *sets, int abi)
{
	uint64_t granted = sbx_plan_rule_access(access, abi, is_dir, sets->resolve_unix);

	if (!granted) {
		sbx_raw_syscall(__NR_close, fd, 0, 0, 0, 0);
		return true;
	}
	if (*n == FAST_MAX_RULES) {
		sbx_raw_syscall(__NR_close, fd, 0, 0, 0, 0);
		return false;
	}
	rules[*n].fd = fd;
	rules[(*n)++].access = granted;
	return true;
}

/* SANDBOXEC_FS, strictly "RIGHTS:PATH" entries joined by ",": returns how
 * many rules were opened, or -1 (all closed again). */
static long open_fs_rules(const char *spec, const struct sbx_plan_sets *sets, int abi)
{
	size_t n = 0;

	while (*spec) {
		const struct sbx_right *right;
		char path[FAST_PATH_MAX];
		size_t len = 0, i;
		bool is_dir, is_reg;
		long fd;

		while (spec[len] && spec[len] != ':' && spec[len] != ',')
			len++;
		right = sbx_right_find(sbx_fs_rights, sbx_fs_rights_count, spec, len);
		/* The engine trims blanks around the rights: not this shape. */
		if (!right || spec[len] != ':' || spec[0] <= ' ' || spec[len - 1] <= ' ')
			goto fail;
		spec += len + 1;
		for (len = 0; spec[len] && spec[len] != ','; len++)
			;
		if (len >= sizeof(path) || !fast_canonical_path(spec, len))
			goto fail;
		for (i = 0; i < len; i++)
			path[i] = spec[i];
		path[len] = '\0';
		spec += len;
		/* An empty entry is the engine's to accept or refuse. */
		if (*spec == ',' && (!spec[1] || spec[1] == ','))
			goto fail;
		spec += *spec == ',';
		fd = open_path(path, true, &is_dir, &is_reg);
		if (fd < 0 || !add_rule(&n, fd, right->access, is_dir, sets, abi))
			goto fail;
	}
	return (long)n;
fail:
	close_rules(n);
	return -1;
}

/* The engine's one implicit rule (resolve.c): the shim stays readable, so
 * a descendant can load it. The shim is the LD_AUDIT entry after this
 * module, with ld.so's $LIB for this machine; anything else it could
 * expand makes the shim decide. */
static bool add_shim_rule(size_t *n, const struct fast_settings *s,
			  const struct sbx_plan_sets *sets, int abi)
{
	static const char lib[] = "$LIB", lib64[] = SBX_SHIM_LIB64;
	char path[FAST_PATH_MAX];
	size_t i = 0, out = 0, dollars = 0;
	bool is_dir, is_reg;
	long fd;

	for (i = 0; i < s->shim_len && out + sizeof(lib64) < sizeof(path); i++) {
		size_t k;

		for (k = 0; lib[k] && i + k < s->shim_len && s->shim[i + k] == lib[k]; k++)
			;
		if (!lib[k] && lib64[0] && (i + k == s->shim_len || s->shim[i + k] == '/')) {
			for (k = 0; lib64[k]; k++)
				path[out++] = lib64[k];
			i += sizeof(lib) - 2;
			continue;
		}
		dollars += s->shim[i] == '$';
		path[out++] = s->shim[i];
	}
	if (!out || i < s->shim_len || dollars || path[0] != '/')
		return false;
	path[out] = '\0';
	fd = open_path(path, false, &is_dir, &is_reg);
	if (fd < 0)
		return false;
	if (!is_reg) {
		sbx_raw_syscall(__NR_close, fd, 0, 0, 0, 0);
		return false;
	}
	return add_rule(n, fd, SBX_LL_FS_READ_FILE, false, sets, abi);
}

static void install_filter(bool all_threads, size_t filter_len)
{
	struct sock_fprog prog = {.len = (unsigned short)filter_len, .filter = filter};
	long ret = all_threads ? sbx_raw_syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
						 SECCOMP_FILTER_FLAG_TSYNC, (long)&prog, 0, 0)
			       : sbx_raw_syscall(__NR_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER,
						 (long)&prog, 0, 0);

	if (ret != 0)
		fast_fail("cannot install the seccomp filter that goes with the Landlock layer");
}

/* sbx_plan_apply's order: the rules, then no_new_privs and the filter
 * before the layer, or, when landlock_restrict_self sets no_new_privs
 * itself, the filter after it; every thread at once with TSYNC. */
static void apply(const struct sbx_plan_sets *sets, int abi, size_t n_rules, size_t filter_len)
{
	struct sbx_ll_ruleset_attr attr = {
	    .handled_access_fs = sets->handled_fs,
	    .handled_access_net = sets->handled_net,
	    .scoped = sets->scoped,
	};
	size_t size = sizeof(attr), i;
	bool nnp_by_restrict = sets->restrict_flags & SBX_LL_RESTRICT_SELF_NO_NEW_PRIVS;
	bool all = sets->restrict_flags & SBX_LL_RESTRICT_SELF_TSYNC;
	long ruleset;

	/* Older kernels reject fields they do not know, even when zero. */
	if (abi < 6)
		size = offsetof(struct sbx_ll_ruleset_attr, scoped);
	if (abi < 4)
		size = offsetof(struct sbx_ll_ruleset_attr, handled_access_net);
	ruleset = sbx_raw_syscall(__NR_landlock_create_ruleset, (long)&attr, (long)size, 0, 0, 0);
	if (ruleset < 0)
		fast_fail("cannot create a Landlock ruleset");
	for (i = 0; i < n_rules; i++) {
		struct sbx_ll_path_beneath_attr rule = {
		    .allowed_access = rules[i].access,
		    .parent_fd = (int)rules[i].fd,
		};

		if (sbx_raw_syscall(__NR_landlock_add_rule, ruleset, SBX_LL_RULE_PATH_BENEATH,
				    (long)&rule, 0, 0) != 0)
			fast_fail("Landlock refused a rule of SANDBOXEC_FS");
	}
	close_rules(n_rules);
	if (!nnp_by_restrict) {
		if (sbx_raw_syscall(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			fast_fail("cannot set no_new_privs");
		install_filter(all, filter_len);
	}
	if (sbx_raw_syscall(__NR_landlock_restrict_self, ruleset, sets->restrict_flags, 0, 0, 0) !=
	    0)
		fast_fail("cannot enforce the Landlock ruleset");
	if (nnp_by_restrict)
		install_filter(all, filter_len);
	sbx_raw_syscall(__NR_close, ruleset, 0, 0, 0, 0);
}

/* What LD_AUDIT and LD_PRELOAD keep for the descendants: other libraries
 * stay, ours go (as the shim's publish does). False when an edit does not
 * fit, or the marker would find no slot: the shim then decides. */
struct edits {
	long audit_kept, preload_kept;
};

static bool prepare_edits(const struct fast_settings *s, bool need_slot, struct edits *e)
{
	e->audit_kept = fast_list_without_ours("LD_AUDIT", *s->slot_audit + sizeof("LD_AUDIT"), ":",
					       audit_edit, sizeof(audit_edit));
	e->preload_kept = -2; /* no LD_PRELOAD */
	if (s->slot_preload)
		e->preload_kept =
		    fast_list_without_ours("LD_PRELOAD", *s->slot_preload + sizeof("LD_PRELOAD"),
					   FAST_EDIT_SEP, preload_edit, sizeof(preload_edit));
	if (e->audit_kept == -1 || e->preload_kept == -1)
		return false;
	return !need_slot || e->audit_kept == 0 || e->preload_kept == 0;
}

/* Drops slot from the NULL-terminated block. */
static void remove_slot(char **slot)
{
	for (; *slot; slot++)
		slot[0] = slot[1];
}

/* Writes the edits (and the marker, when mark) to the block, and blanks
 * ours in the strings ld.so is still reading: glibc walks LD_AUDIT one
 * entry per module loaded, and reads LD_PRELOAD after la_version, so
 * neither copy of the shim is loaded. An ld.so that copied the lists
 * would load the shim, which finds the marker and adds nothing. */
static void publish(const struct fast_settings *s, const struct edits *e, bool mark)
{
	char *audit = *s->slot_audit + sizeof("LD_AUDIT");
	char *preload = s->slot_preload ? *s->slot_preload + sizeof("LD_PRELOAD") : NULL;
	char **slot_audit = s->slot_audit, **slot_preload = s->slot_preload;
	bool marker_in_audit = mark && e->audit_kept == 0;
	bool marker_in_preload = mark && !marker_in_audit;

	fast_list_blank_ours(audit, ":");
	fast_list_blank_ours(preload, FAST_PRELOAD_SEP);
	*slot_audit = marker_in_audit ? marker : audit_edit;
	if (slot_preload)
		*slot_preload = marker_in_preload ? marker : preload_edit;
	/* The later slot first, so the earlier one's index stays true. */
	if (slot_preload && slot_preload > slot_audit && !marker_in_preload && !e->preload_kept)
		remove_slot(slot_preload);
	if (!marker_in_audit && !e->audit_kept)
		remove_slot(slot_audit);
	if (slot_preload && slot_preload < slot_audit && !marker_in_preload && !e->preload_kept)
		remove_slot(slot_preload);
}

static bool marker_is(const char *value)
{
	size_t i;

	for (i = 0; i < SBX_FINGERPRINT_HEX; i++)
		if (value[i] != marker[sizeof("SANDBOXEC_ACTIVE=") - 1 + i])
			return false;
	return value[i] == '\0';
}

/* The shim's refusal, when this module is loaded without the shim right
 * after it in LD_AUDIT: alone it would leave every setting it does not
 * decide to nothing. */
static void refuse_without_shim(void)
{
	fast_fail("loaded without libsandboxec.so right after it in LD_AUDIT, which decides "
		  "the settings it does not; nothing was run: use the LD_AUDIT of "
		  "`sandboxec --mode env` as printed");
}

/* From here the policy is the engine's for this exact shape: false (and
 * nothing changed) when anything here does not hold, so the shim decides. */
static bool confine(const struct fast_settings *s)
{
	long kernel_abi = sbx_raw_syscall(__NR_landlock_create_ruleset, 0, 0,
					  SBX_LL_CREATE_RULESET_VERSION, 0, 0);
	struct sbx_plan_facts facts = {0};
	struct sbx_plan_sets sets;
	struct edits e;
	size_t filter_len;
	long n;

	if (kernel_abi < 1)
		return false;
	/* Below TSYNC the layer confines the calling thread only: a second
	 * thread makes unshare(CLONE_THREAD) fail, and the shim refuses. */
	if (kernel_abi < SBX_LL_ABI_TSYNC &&
	    sbx_raw_syscall(__NR_unshare, CLONE_THREAD, 0, 0, 0, 0) != 0)
		return false;
	facts.kernel_abi = (int)kernel_abi;
	facts.abi = kernel_abi < SBX_ABI_MAX ? (int)kernel_abi : SBX_ABI_MAX;
	facts.log_denials = s->log_denials;
	facts.restrict_scoped = s->restrict_scoped;
	facts.restrict_unix = s->restrict_unix;
	facts.allow_udp = s->allow_udp;
	/* What the ABI lacks is the engine's error to give. */
	if ((s->restrict_scoped && facts.abi < 6) || (s->log_denials && facts.abi < 7))
		return false;
	sbx_plan_sets_compute(&facts, &sets);
	filter_len = sbx_seccomp_filter_build(sets.seccomp, filter, FAST_MAX_FILTER);
	if (!filter_len || !prepare_edits(s, true, &e))
		return false;
	n = open_fs_rules(s->fs, &sets, facts.abi);
	if (n < 0)
		return false;
	if (!add_shim_rule((size_t *)&n, s, &sets, facts.abi)) {
		close_rules((size_t)n);
		return false;
	}
	/* Nothing irrevocable before this line; from here an error ends the
	 * process. */
	apply(&sets, facts.abi, (size_t)n, filter_len);
	publish(s, &e, true);
	return true;
}

__attribute__((constructor)) static void fast_audit_entry(int argc, char **argv, char **envp)
{
	struct fast_settings s;
	enum fast_shape shape = fast_settings_read(envp, &s);
	struct edits e;

	(void)argc;
	(void)argv;
	fast_fingerprint(envp, marker + sizeof("SANDBOXEC_ACTIVE=") - 1);
	/* A tree these very settings confined (the shim, listed first, may
	 * just have): no_new_privs cannot be cleared, so a marker without it
	 * was never the engine's. The lists are edited as the shim edits
	 * them, where this module still finds LD_AUDIT. */
	if (s.active && marker_is(s.active) &&
	    sbx_raw_syscall(__NR_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1) {
		if (s.slot_audit && prepare_edits(&s, false, &e))
			publish(&s, &e, false);
		return;
	}
	if (shape == FAST_WITHOUT_SHIM)
		refuse_without_shim();
	if (s.active)
		return;
	if (shape == FAST_DECIDES)
		confine(&s);
}
