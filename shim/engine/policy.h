/* SPDX-License-Identifier: Apache-2.0 */
/* The policy model: the table of settings (one row per setting, giving its
 * YAML key, SANDBOXEC_* variable and CLI flag), a layer (what one source —
 * flags, environment, one config file — says), and the resolved policy that
 * the Landlock planner turns into exactly one layer. */
#ifndef SBX_POLICY_H
#define SBX_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "util.h"

enum sbx_setting {
	SBX_SET_ABI,
	SBX_SET_BEST_EFFORT,
	SBX_SET_IGNORE_IF_MISSING,
	SBX_SET_RESTRICT_SCOPED,
	SBX_SET_ALLOW_UDP,
	SBX_SET_RESTRICT_UNIX,
	SBX_SET_UNSAFE_HOST_RUNTIME,
	SBX_SET_LOG_DENIALS,
	SBX_SET_MODE,
	SBX_SET_FS,
	SBX_SET_NET,
	SBX_SETTING_COUNT
};

enum sbx_setting_type {
	SBX_TYPE_BOOL,
	SBX_TYPE_ABI,
	SBX_TYPE_MODE,
	SBX_TYPE_FS_LIST,
	SBX_TYPE_NET_LIST,
};

/* Modes a config file may ask for; the CLI adds its own (env, explain,
 * trust) on top, which a file cannot select. */
enum sbx_mode {
	SBX_MODE_RUN,
	SBX_MODE_MCP,
};

struct sbx_setting_def {
	enum sbx_setting id;
	enum sbx_setting_type type;
	const char *yaml_key; /* "best-effort" */
	const char *env_name; /* "SANDBOXEC_BEST_EFFORT" */
	const char *flag;     /* "--best-effort" */
	const char *help;
};

extern const struct sbx_setting_def sbx_settings[SBX_SETTING_COUNT];

const struct sbx_setting_def *sbx_setting_by_yaml_key(const char *key);

/* Parses a scalar value as written in a variable, a flag argument or a
 * YAML scalar: bools are 1/true/yes/on or 0/false/no/off (any case), the
 * ABI an integer 0..SBX_ABI_MAX, the mode run|mcp. The error says what
 * values are accepted. */
int sbx_setting_parse_scalar(const struct sbx_setting_def *def, const char *text, int *value,
			     struct sbx_error *err);

/* A rule as written, before parsing: its text, where it was written (for
 * messages: "--fs", "SANDBOXEC_FS entry 3", "/p/.sandboxec.yaml:7:5") and
 * the directory a relative path is relative to (NULL: the current one). */
struct sbx_rule_text {
	char *text;
	char *origin;
	char *base_dir;
};

/* A rule's text, origin and base_dir share one allocation, owned by text. */
struct sbx_rule_list {
	struct sbx_rule_text *items;
	size_t len;
	size_t cap;
};

/* What one source says. Unset settings fall through to weaker layers. */
struct sbx_layer {
	char *name; /* "flags", "environment", "config /p/.sandboxec.yaml" */
	bool set[SBX_SETTING_COUNT];
	char *origin[SBX_SETTING_COUNT]; /* where each set value was written */
	int value[SBX_SETTING_COUNT];	 /* scalars */
	struct sbx_rule_list fs;	 /* valid when set[SBX_SET_FS] */
	struct sbx_rule_list net;	 /* valid when set[SBX_SET_NET] */
	/* Rules added to whatever list resolves (--add-fs, SANDBOXEC_ADD_FS):
	 * they survive a weaker layer's list but not a stronger one's
	 * (docs/design.md §3.2). Only the flags and environment layers. */
	struct sbx_rule_list add_fs;
	struct sbx_rule_list add_net;

	/* Which config file to use; only the flags and environment layers
	 * name one. */
	char *config_file;
	char *config_origin;
	char *named_config;
	char *named_origin;
};

void sbx_layer_init(struct sbx_layer *layer, const char *name);
void sbx_layer_free(struct sbx_layer *layer);
void sbx_layer_set_scalar(struct sbx_layer *layer, enum sbx_setting id, int value,
			  const char *origin);
/* Marks a list as given (possibly empty) in this layer. Giving a list
 * again in the same layer appends (repeated --fs flags). */
void sbx_layer_touch_list(struct sbx_layer *layer, enum sbx_setting id, const char *origin);
void sbx_layer_add_rule(struct sbx_layer *layer, enum sbx_setting id, const char *text,
			const char *origin, const char *base_dir);
/* As sbx_layer_add_rule, moving item's strings in instead of copying
 * them; item is left empty. */
void sbx_layer_take_rule(struct sbx_layer *layer, enum sbx_setting id, struct sbx_rule_text *item);
/* Appends to the layer's add_fs (id SBX_SET_FS) or add_net list. */
void sbx_layer_add_extra_rule(struct sbx_layer *layer, enum sbx_setting id, const char *text,
			      const char *origin);
/* Records the config this layer names: a file (--config, SANDBOXEC_CONFIG)
 * or, when named, a profile (-C, SANDBOXEC_NAMED_CONFIG). Naming the same
 * kind again replaces it. */
void sbx_layer_name_config(struct sbx_layer *layer, bool named, const char *name,
			   const char *origin);

/* Where a rule comes from: written by the user, added because the shim must
 * stay loadable (docs/design.md §2.3), or found by --unsafe-host-runtime. */
enum sbx_rule_kind {
	SBX_RULE_USER,
	SBX_RULE_IMPLICIT,
	SBX_RULE_HOST_RUNTIME,
};

/* A parsed filesystem rule: absolute path (expanded, not canonicalised),
 * the requested Landlock access and where it was written. */
struct sbx_fs_rule {
	enum sbx_rule_kind kind;
	/* Added, while resolving, to the policy's early ruleset (struct
	 * sbx_early_ruleset), its descriptor then closed: held_fd is -1. */
	bool in_early_ruleset;
	char *path;
	uint64_t access;
	char *origin;
	char *rights; /* the rights as the table names them ("rx") */
	/* Set when resolving looked the path up, else 0: spares the plan a
	 * stat(). Only its type is sure: S_IFDIR for a directory, and for what
	 * was opened without fstat() (resolve.c) S_IFREG standing for any
	 * other type. */
	uint32_t stat_mode;
	/* An O_PATH descriptor of path, opened while resolving and held for
	 * applying, so each path is walked once; -1 when none is held, which
	 * every rule starts as (sbx_policy_add_fs): 0 would be a descriptor.
	 * The descriptor is close-on-exec. */
	int held_fd;
};

struct sbx_net_rule {
	uint16_t port;
	uint64_t access;
	char *origin;
	char *rights;
};

/* A Landlock ruleset created while resolving, once the settings are known,
 * so that each rule is added right after its path is opened and the
 * descriptor closed, as the kernel's own sample does: holding thousands of
 * descriptors until applying, then adding and closing them, costs the
 * kernel a tenth more than the opens and adds themselves (docs/perf.md §6).
 * Applying uses it only if the plan it then builds asks for the same
 * ruleset and the same rights of each rule, and no rule in it lies below a
 * writable tree (those are opened afresh, without following links);
 * otherwise it is dropped and every rule added as before. */
struct sbx_early_ruleset {
	bool open;
	int fd;
	int kernel_abi; /* the kernel's, which sbx_confine need not ask again */
	int abi;	/* the plan's: the rights of each rule are masked to it */
	bool resolve_unix;
	uint64_t handled_fs;
	uint64_t handled_net;
	uint64_t scoped;
};

/* The resolved policy: every setting has a value and an origin. */
struct sbx_policy {
	int abi;
	bool best_effort;
	bool ignore_if_missing;
	bool restrict_scoped;
	bool allow_udp;	    /* UDP open even when no TCP port is allowed */
	bool restrict_unix; /* no pathname unix sockets outside the file rules */
	bool unsafe_host_runtime;
	bool log_denials; /* ask Landlock to log denials after exec (ABI 7) */
	enum sbx_mode mode;
	char *origin[SBX_SETTING_COUNT]; /* "default" when no layer set it */

	struct sbx_fs_rule
	    *fs; /* a rule's path, rights and origin: one allocation, owned by path */
	size_t n_fs;
	size_t cap_fs;
	struct sbx_net_rule *net;
	size_t n_net;
	/* Rules dropped by ignore-if-missing, kept to be reported. */
	struct sbx_fs_rule *skipped;
	size_t n_skipped;

	/* What --unsafe-host-runtime found and did not grant, one sentence
	 * each ("host runtime: not granted: PATH (role): why; ..."): the
	 * front doors print each as a warning, explain as a comment. */
	char **hostrt_refused;
	size_t n_hostrt_refused;

	char *config_path; /* the config file used, or NULL */
	bool has_source;   /* any SANDBOXEC_* setting or config file was found */
	bool verbose;	   /* SANDBOXEC_VERBOSE */
	struct sbx_early_ruleset early;
};

void sbx_policy_free(struct sbx_policy *policy);
/* Closes the descriptors resolving held for applying, the early ruleset's
 * too (sbx_policy_free does the same): once the layer is applied they only
 * use up the table. */
void sbx_policy_close_held(struct sbx_policy *policy);
/* Closes the early ruleset, if any: applying then adds every rule itself. */
void sbx_policy_drop_early(struct sbx_policy *policy);

void sbx_policy_add_fs(struct sbx_policy *policy, const char *path, uint64_t access,
		       const char *rights, const char *origin);
/* Makes room for `more` fs rules at once, when their number is known:
 * growing by doubling would copy the array (and touch fresh pages) a
 * dozen times for ten thousand rules. */
void sbx_policy_reserve_fs(struct sbx_policy *policy, size_t more);
void sbx_policy_add_net(struct sbx_policy *policy, uint16_t port, uint64_t access,
			const char *rights, const char *origin);

#endif
