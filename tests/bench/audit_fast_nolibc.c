/* SPDX-License-Identifier: Apache-2.0 */
/* The prototype row of `make bench` for a fast audit entry (docs/perf.md
 * §3, "A fast audit entry"): an LD_AUDIT module without libc, listed
 * before the shim in LD_AUDIT, that confines the process itself when the
 * settings are of a shape it can decide alone, and otherwise touches
 * nothing and returns, so that the next LD_AUDIT entry (the shim, with the
 * full engine) decides, still before any code of the program. Nothing is
 * resolved ahead and nothing new is trusted from the environment: it reads
 * the settings as they are at this exec, like the engine.
 *
 * The shape it decides alone: the settings `sandboxec --mode env` writes
 * for file rules only — SANDBOXEC_FS a list of RIGHTS:PATH with canonical
 * absolute paths, every other setting set, to nothing or 0, no name the
 * engine does not know, none twice. With every setting set the engine
 * reads no config file either (config_find.c, stronger_layers_complete),
 * so neither the working directory nor HOME can change the outcome. Each
 * rule path is opened without following any link (a link is the
 * engine's to follow or refuse). The rights, the handled sets and the
 * seccomp filter come from the engine's own code (rights.c,
 * seccomp_filter.c), compiled into this module. When it confined the
 * process it writes the tree marker the engine computes into the
 * environment block and blanks the shim's entries in the LD_AUDIT and
 * LD_PRELOAD strings ld.so is still reading, so neither copy of the shim
 * is loaded.
 *
 * It measures what that path costs; it is not the shim: it defers to the
 * shim whenever SANDBOXEC_ACTIVE is set rather than check it, and knows
 * neither escapes in the list syntax nor the tree marker's slot rules. */
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(__x86_64__)
#error "audit_fast_nolibc: system calls are written for x86_64 only"
#endif
#include "floor_sys_raw.h"

#include "engine/rights.h"
#include "engine/seccomp_filter.h"
#include "floor_landlock.h"

#define FAST_MAX_RULES	  64
#define FAST_MAX_FILTER	  512
#define FAST_PATH_MAX	  4096
#define FAST_CLONE_THREAD 0x00010000L

/* What the engine's filter builder calls, in a module without libc. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
size_t strlen(const char *s);

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

struct fast_filter_insn {
	unsigned short code;
	unsigned char jt, jf;
	unsigned int k;
};

struct fast_rule {
	unsigned long long access;
	long fd;
};

static struct fast_rule fast_rules[FAST_MAX_RULES];
static struct fast_filter_insn fast_filter[FAST_MAX_FILTER];
static char fast_marker[] = "SANDBOXEC_ACTIVE=00000000000000000000000000000000";

__attribute__((visibility("default"))) unsigned int la_version(unsigned int version);

unsigned int la_version(unsigned int version)
{
	return version;
}

static int starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

/* The names the engine knows (envsettings.c), in its table's order, which
 * is also the order of the tree marker's hash; SANDBOXEC_ACTIVE is handled
 * before. settings_in_shape says which values this module decides. */
static const char *const fast_known[] = {
    "SANDBOXEC_FS=",
    "SANDBOXEC_NET=",
    "SANDBOXEC_ABI=",
    "SANDBOXEC_BEST_EFFORT=",
    "SANDBOXEC_IGNORE_IF_MISSING=",
    "SANDBOXEC_RESTRICT_SCOPED=",
    "SANDBOXEC_ALLOW_UDP=",
    "SANDBOXEC_RESTRICT_UNIX=",
    "SANDBOXEC_UNSAFE_HOST_RUNTIME=",
    "SANDBOXEC_LOG_DENIALS=",
    "SANDBOXEC_ADD_FS=",
    "SANDBOXEC_ADD_NET=",
    "SANDBOXEC_CONFIG=",
    "SANDBOXEC_NAMED_CONFIG=",
    "SANDBOXEC_PROFILE_PATH=",
    "SANDBOXEC_TRUST_PROJECT=",
    "SANDBOXEC_VERBOSE=",
    "SANDBOXEC_HINTS=",
    NULL,
};

/* The first FAST_SETTINGS names are the policy settings (the settings
 * table of policy.c but mode): all of them set means no config search. */
#define FAST_SETTINGS 10

/* Whether the SANDBOXEC_* settings are of the shape this module decides
 * alone; sets *fs to SANDBOXEC_FS. */
static int settings_in_shape(char *const *envp, const char **fs)
{
	size_t i, j, set = 0;

	*fs = NULL;
	for (i = 0; envp[i]; i++) {
		size_t k, n;
		int empty = 1;

		if (!starts(envp[i], "SANDBOXEC_") || starts(envp[i], "SANDBOXEC_ACTIVE="))
			continue;
		for (k = 0; fast_known[k] && !starts(envp[i], fast_known[k]); k++)
			;
		if (!fast_known[k])
			return 0;
		for (j = i + 1; envp[j]; j++)
			if (starts(envp[j], fast_known[k]))
				return 0;
		n = strlen(fast_known[k]);
		set += k < FAST_SETTINGS;
		if (k == 0)
			*fs = envp[i] + n;
		else if (k == 1 || k == 10 || k == 11) /* NET, ADD_FS, ADD_NET: empty */
			empty = !envp[i][n];
		else if (k >= 12 && k <= 14) /* a config or where to find one */
			return 0;
		else /* a scalar: exactly 0, as the engine parses it */
			empty = envp[i][n] == '0' && !envp[i][n + 1];
		if (!empty)
			return 0;
	}
	return set == FAST_SETTINGS;
}

/* A path the engine would open as written, with no component to resolve:
 * absolute, no empty, "." or ".." component, no trailing slash, nothing
 * the engine would expand, unquote or trim. */
static int canonical(const char *p, size_t len)
{
	size_t i;

	if (!len || p[0] != '/' || (len > 1 && p[len - 1] == '/'))
		return 0;
	for (i = 0; i < len; i++) {
		if (p[i] == '$' || p[i] == '~' || p[i] == '\\' || p[i] == '"' || p[i] == '\'' ||
		    p[i] <= ' ')
			return 0;
		if (p[i] == '/' && i + 1 < len &&
		    (p[i + 1] == '/' ||
		     (p[i + 1] == '.' && (i + 2 == len || p[i + 2] == '/' ||
					  (p[i + 2] == '.' && (i + 3 == len || p[i + 3] == '/'))))))
			return 0;
	}
	return 1;
}

static void close_rules(size_t n)
{
	while (n--)
		floor_sys(__NR_close, fast_rules[n].fd, 0, 0, 0, 0);
}

/* Opens every rule (no link followed) and takes its rights from the
 * engine's table; returns how many, or -1. */
static long open_rules(const char *spec, long abi)
{
	size_t n = 0;

	while (*spec) {
		const struct sbx_right *right;
		struct open_how how = {
		    .flags = FLOOR_O_PATH | FLOOR_O_CLOEXEC,
		    .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
		};
		char path[FAST_PATH_MAX];
		struct statx stx;
		size_t len = 0;
		long fd;

		while (spec[len] && spec[len] != ':' && spec[len] != ',')
			len++;
		right = sbx_right_find(sbx_fs_rights, sbx_fs_rights_count, spec, len);
		if (!right || spec[len] != ':' || n == FAST_MAX_RULES)
			goto fail;
		spec += len + 1;
		for (len = 0; spec[len] && spec[len] != ','; len++)
			;
		if (len >= sizeof(path) || !canonical(spec, len))
			goto fail;
		memcpy(path, spec, len);
		path[len] = '\0';
		spec += len;
		if (*spec == ',' && (!spec[1] || spec[1] == ','))
			goto fail; /* an empty entry: the engine's to accept or refuse */
		spec += *spec == ',';
		fd =
		    floor_sys(__NR_openat2, FLOOR_AT_FDCWD, (long)path, (long)&how, sizeof(how), 0);
		if (fd < 0)
			goto fail;
		fast_rules[n].fd = fd;
		if (floor_sys(__NR_statx, fd, (long)"", FLOOR_AT_EMPTY_PATH, STATX_TYPE,
			      (long)&stx) != 0) {
			n++;
			goto fail;
		}
		fast_rules[n++].access = sbx_fs_access_effective(
		    right->access, (int)abi, (stx.stx_mode & FLOOR_S_IFMT) == FLOOR_S_IFDIR);
	}
	return (long)n;
fail:
	close_rules(n);
	return -1;
}

static void apply(long abi, size_t rules, size_t filter_len)
{
	struct sbx_ll_ruleset_attr attr = {0};
	struct {
		unsigned short len;
		struct fast_filter_insn *filter;
	} prog = {(unsigned short)filter_len, fast_filter};
	unsigned restrict_flags = abi >= SBX_LL_ABI_TSYNC ? SBX_LL_RESTRICT_SELF_TSYNC : 0;
	long ruleset;
	size_t i;

	attr.handled_access_fs = sbx_abi_handled_fs((int)abi);
	/* plan_handled_net without a net rule: UDP is left to the filter. */
	attr.handled_access_net =
	    sbx_abi_handled_net((int)abi) & ~(SBX_LL_NET_BIND_UDP | SBX_LL_NET_CONNECT_SEND_UDP);
	ruleset = floor_sys(__NR_landlock_create_ruleset, (long)&attr,
			    abi >= 4 ? (long)sizeof(attr) : (long)sizeof(attr.handled_access_fs), 0,
			    0, 0);
	if (ruleset < 0)
		floor_fail("create a Landlock ruleset");
	for (i = 0; i < rules; i++) {
		struct sbx_ll_path_beneath_attr rule = {
		    .allowed_access = fast_rules[i].access,
		    .parent_fd = (int)fast_rules[i].fd,
		};

		if (floor_sys(__NR_landlock_add_rule, ruleset, SBX_LL_RULE_PATH_BENEATH,
			      (long)&rule, 0, 0) != 0)
			floor_fail("add a Landlock rule");
	}
	close_rules(rules);
	if (floor_sys(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    floor_sys(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
		      abi >= SBX_LL_ABI_TSYNC ? SECCOMP_FILTER_FLAG_TSYNC : 0, (long)&prog, 0,
		      0) != 0 ||
	    floor_sys(__NR_landlock_restrict_self, ruleset, restrict_flags, 0, 0, 0) != 0)
		floor_fail("restrict itself");
	floor_sys(__NR_close, ruleset, 0, 0, 0, 0);
}

/* Blanks with ':' every entry of an ld.so list whose file name is
 * libsandboxec.so: ld.so skips empty entries. */
static void unlist_shim(char *list)
{
	static const char base[] = "libsandboxec.so";

	while (list && *list) {
		char *entry = list, *name = list;
		size_t i;

		for (; *list && *list != ':' && *list != ' '; list++)
			if (*list == '/')
				name = list + 1;
		for (i = 0; base[i] && name + i < list && name[i] == base[i]; i++)
			;
		if (!base[i] && name + i == list)
			for (; entry < list; entry++)
				*entry = ':';
		if (*list)
			list++;
	}
}

static void fnv(const char *s, size_t n, uint64_t *a, uint64_t *b)
{
	while (n--) {
		*a = (*a ^ (unsigned char)*s) * 0x100000001b3ULL;
		*b = (*b ^ (unsigned char)*s++) * 0x100000001b3ULL;
	}
}

/* The tree marker the engine writes for these settings
 * (sbx_env_fingerprint): the FNV-1a pair over each set name and value in
 * the table's order, SANDBOXEC_VERBOSE and SANDBOXEC_HINTS left out. */
static void write_marker(char *const *envp)
{
	uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
	char *out = fast_marker + sizeof("SANDBOXEC_ACTIVE=") - 1;
	size_t i, k;

	for (k = 0; fast_known[k]; k++) {
		size_t n = strlen(fast_known[k]);

		if (starts(fast_known[k], "SANDBOXEC_VERBOSE=") ||
		    starts(fast_known[k], "SANDBOXEC_HINTS="))
			continue;
		for (i = 0; envp[i] && !starts(envp[i], fast_known[k]); i++)
			;
		if (!envp[i])
			continue;
		fnv(fast_known[k], n - 1, &a, &b);
		fnv("", 1, &a, &b);
		fnv(envp[i] + n, strlen(envp[i] + n) + 1, &a, &b);
	}
	for (i = 0; i < 32; i++)
		out[i] = "0123456789abcdef"[((i < 16 ? a : b) >> (60 - 4 * (i % 16))) & 0xf];
}

__attribute__((constructor)) static void bench_audit_fast(int argc, char **argv, char **envp)
{
	char **slot_audit = NULL, **slot_preload = NULL, *audit = NULL, *preload = NULL;
	const char *fs = NULL;
	unsigned flags;
	size_t filter_len, i;
	long abi, rules;

	(void)argc;
	(void)argv;
	for (i = 0; envp && envp[i]; i++) {
		if (starts(envp[i], "SANDBOXEC_ACTIVE="))
			return; /* a tree's marker: the shim checks it */
		if (starts(envp[i], "LD_AUDIT="))
			audit = (slot_audit = &envp[i])[0] + 9;
		else if (starts(envp[i], "LD_PRELOAD="))
			preload = (slot_preload = &envp[i])[0] + 11;
	}
	if (!slot_audit || !settings_in_shape(envp, &fs) ||
	    floor_sys(__NR_unshare, FAST_CLONE_THREAD, 0, 0, 0, 0) != 0)
		return;
	abi = floor_sys(__NR_landlock_create_ruleset, 0, 0, SBX_LL_CREATE_RULESET_VERSION, 0, 0);
	if (abi < 1)
		return;
	if (abi > SBX_ABI_MAX)
		abi = SBX_ABI_MAX;
	/* sbx_plan_seccomp_flags for a policy without net rules. */
	flags = SBX_SECCOMP_NO_IP | (abi >= 4 ? SBX_SECCOMP_TCP | SBX_SECCOMP_NO_LISTEN : 0);
	filter_len =
	    sbx_seccomp_filter_build(flags, (struct sock_filter *)fast_filter, FAST_MAX_FILTER);
	if (!filter_len)
		return;
	rules = open_rules(fs, abi);
	if (rules < 0)
		return;
	/* Nothing irrevocable before this line; from here an error ends
	 * the process. */
	apply(abi, (size_t)rules, filter_len);
	write_marker(envp);
	unlist_shim(audit);
	unlist_shim(preload);
	/* The prototype drops other audit modules from the descendants' list,
	 * and keeps other preloaded libraries. */
	*slot_audit = fast_marker;
	for (i = 0; preload && (preload[i] == ':' || preload[i] == ' '); i++)
		;
	if (slot_preload && !preload[i]) {
		for (; slot_preload[1]; slot_preload++)
			slot_preload[0] = slot_preload[1];
		slot_preload[0] = NULL;
	}
}
