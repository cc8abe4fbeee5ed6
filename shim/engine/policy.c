/* SPDX-License-Identifier: Apache-2.0 */
/* The settings table, layers and the resolved policy's storage; see
 * policy.h. Merging layers lives in resolve.c, Landlock in landlock_plan.c. */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "landlock_abi.h"

const struct sbx_setting_def sbx_settings[SBX_SETTING_COUNT] = {
    [SBX_SET_ABI] = {SBX_SET_ABI, SBX_TYPE_ABI, "abi", "SANDBOXEC_ABI", "--abi",
		     "Landlock ABI to target, 1-11; 0 = the highest the kernel has"},
    [SBX_SET_BEST_EFFORT] = {SBX_SET_BEST_EFFORT, SBX_TYPE_BOOL, "best-effort",
			     "SANDBOXEC_BEST_EFFORT", "--best-effort",
			     "degrade on older kernels (with a warning) instead of failing"},
    [SBX_SET_IGNORE_IF_MISSING] = {SBX_SET_IGNORE_IF_MISSING, SBX_TYPE_BOOL, "ignore-if-missing",
				   "SANDBOXEC_IGNORE_IF_MISSING", "--ignore-if-missing",
				   "skip rule paths that do not exist"},
    [SBX_SET_RESTRICT_SCOPED] = {SBX_SET_RESTRICT_SCOPED, SBX_TYPE_BOOL, "restrict-scoped",
				 "SANDBOXEC_RESTRICT_SCOPED", "--restrict-scoped",
				 "scope abstract unix sockets and signals (ABI 6+)"},
    [SBX_SET_ALLOW_UDP] = {SBX_SET_ALLOW_UDP, SBX_TYPE_BOOL, "allow-udp", "SANDBOXEC_ALLOW_UDP",
			   "--allow-udp",
			   "allow UDP (to every port: below ABI 10 UDP ports cannot be "
			   "filtered) when no --net rule is given"},
    [SBX_SET_RESTRICT_UNIX] = {SBX_SET_RESTRICT_UNIX, SBX_TYPE_BOOL, "restrict-unix",
			       "SANDBOXEC_RESTRICT_UNIX", "--restrict-unix",
			       "no connecting to or binding unix sockets by path (socketpair "
			       "and inherited sockets keep working)"},
    [SBX_SET_UNSAFE_HOST_RUNTIME] = {SBX_SET_UNSAFE_HOST_RUNTIME, SBX_TYPE_BOOL,
				     "unsafe-host-runtime", "SANDBOXEC_UNSAFE_HOST_RUNTIME",
				     "--unsafe-host-runtime",
				     "add read+exec on $PATH and every library it loads"},
    [SBX_SET_LOG_DENIALS] = {SBX_SET_LOG_DENIALS, SBX_TYPE_BOOL, "log-denials",
			     "SANDBOXEC_LOG_DENIALS", "--log-denials",
			     "have the kernel's audit log record denials (ABI 7+)"},
    [SBX_SET_MODE] = {SBX_SET_MODE, SBX_TYPE_MODE, "mode", NULL, "--mode", "run (default) or mcp"},
    [SBX_SET_FS] = {SBX_SET_FS, SBX_TYPE_FS_LIST, "fs", "SANDBOXEC_FS", "--fs",
		    "filesystem rules RIGHTS:PATH"},
    [SBX_SET_NET] = {SBX_SET_NET, SBX_TYPE_NET_LIST, "net", "SANDBOXEC_NET", "--net",
		     "TCP and UDP rules RIGHTS:PORT"},
};

const struct sbx_setting_def *sbx_setting_by_yaml_key(const char *key)
{
	long i = sbx_table_index_icase(&sbx_settings[0].yaml_key, SBX_SETTING_COUNT,
				       sizeof(sbx_settings[0]), key);

	return i < 0 ? NULL : &sbx_settings[i];
}

static int parse_bool(const char *text, int *value)
{
	static const char *const yes[] = {"1", "true", "yes", "on"};
	static const char *const no[] = {"0", "false", "no", "off"};
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(yes); i++) {
		if (sbx_ascii_ieq(text, yes[i])) {
			*value = 1;
			return 0;
		}
		if (sbx_ascii_ieq(text, no[i])) {
			*value = 0;
			return 0;
		}
	}
	return -1;
}

static int parse_abi(const char *text, int *value)
{
	const char *p = text;
	long n = 0;

	if (*p == '+')
		p++;
	if (!*p)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
		if (n > SBX_ABI_MAX)
			return -1;
	}
	*value = (int)n;
	return 0;
}

int sbx_setting_parse_scalar(const struct sbx_setting_def *def, const char *text, int *value,
			     struct sbx_error *err)
{
	switch (def->type) {
	case SBX_TYPE_BOOL:
		if (parse_bool(text, value) == 0)
			return 0;
		return sbx_error_set(
		    err, "invalid value \"%s\" for %s; use 1/true/yes/on or 0/false/no/off", text,
		    def->yaml_key);
	case SBX_TYPE_ABI:
		if (parse_abi(text, value) == 0)
			return 0;
		return sbx_error_set(
		    err,
		    "invalid Landlock ABI \"%s\"; use 0 (the highest available) or "
		    "1 to %d",
		    text, SBX_ABI_MAX);
	case SBX_TYPE_MODE:
		if (sbx_ascii_ieq(text, "run")) {
			*value = SBX_MODE_RUN;
			return 0;
		}
		if (sbx_ascii_ieq(text, "mcp")) {
			*value = SBX_MODE_MCP;
			return 0;
		}
		return sbx_error_set(err, "invalid mode \"%s\"; a config may say run or mcp", text);
	case SBX_TYPE_FS_LIST:
	case SBX_TYPE_NET_LIST:
		break;
	}
	return sbx_error_set(err, "%s is a list, not a single value", def->yaml_key);
}

void sbx_layer_init(struct sbx_layer *layer, const char *name)
{
	memset(layer, 0, sizeof(*layer));
	layer->name = sbx_xstrdup(name);
}

static void rule_list_free(struct sbx_rule_list *list)
{
	size_t i;

	for (i = 0; i < list->len; i++)
		free(list->items[i].text);
	free(list->items);
	list->items = NULL;
	list->len = 0;
	list->cap = 0;
}

/* Copies the strings strs[0..n) (NULL stays NULL) into one allocation, so
 * a rule of thousands costs one malloc, not one per string; out[0] owns it
 * (the first string must not be NULL). */
static void strings_pack(const char *const *strs, size_t n, char **out)
{
	size_t len[4], total = 0, i;
	char *at;

	for (i = 0; i < n; i++) {
		len[i] = strs[i] ? strlen(strs[i]) + 1 : 0;
		total += len[i];
	}
	at = sbx_xmalloc(total);
	for (i = 0; i < n; i++) {
		out[i] = strs[i] ? memcpy(at, strs[i], len[i]) : NULL;
		at += len[i];
	}
}

void sbx_layer_free(struct sbx_layer *layer)
{
	size_t i;

	free(layer->name);
	for (i = 0; i < SBX_SETTING_COUNT; i++)
		free(layer->origin[i]);
	rule_list_free(&layer->fs);
	rule_list_free(&layer->net);
	rule_list_free(&layer->add_fs);
	rule_list_free(&layer->add_net);
	free(layer->config_file);
	free(layer->config_origin);
	free(layer->named_config);
	free(layer->named_origin);
	memset(layer, 0, sizeof(*layer));
}

void sbx_layer_set_scalar(struct sbx_layer *layer, enum sbx_setting id, int value,
			  const char *origin)
{
	layer->set[id] = true;
	layer->value[id] = value;
	free(layer->origin[id]);
	layer->origin[id] = sbx_xstrdup(origin);
}

void sbx_layer_touch_list(struct sbx_layer *layer, enum sbx_setting id, const char *origin)
{
	if (layer->set[id])
		return;
	layer->set[id] = true;
	free(layer->origin[id]);
	layer->origin[id] = sbx_xstrdup(origin);
}

static void rule_list_append(struct sbx_rule_list *list, const char *text, const char *origin,
			     const char *base_dir)
{
	struct sbx_rule_text *item;

	const char *strs[3] = {text, origin, base_dir};
	char *out[3];

	list->items = sbx_xgrow(list->items, list->len, &list->cap, sizeof(*list->items));
	item = &list->items[list->len++];
	strings_pack(strs, 3, out);
	item->text = out[0];
	item->origin = out[1];
	item->base_dir = out[2];
}

void sbx_layer_add_rule(struct sbx_layer *layer, enum sbx_setting id, const char *text,
			const char *origin, const char *base_dir)
{
	sbx_layer_touch_list(layer, id, origin);
	rule_list_append(id == SBX_SET_NET ? &layer->net : &layer->fs, text, origin, base_dir);
}

void sbx_layer_take_rule(struct sbx_layer *layer, enum sbx_setting id, struct sbx_rule_text *item)
{
	struct sbx_rule_list *list = id == SBX_SET_NET ? &layer->net : &layer->fs;

	sbx_layer_touch_list(layer, id, item->origin);
	list->items = sbx_xgrow(list->items, list->len, &list->cap, sizeof(*list->items));
	list->items[list->len++] = *item;
	memset(item, 0, sizeof(*item));
}

void sbx_layer_add_extra_rule(struct sbx_layer *layer, enum sbx_setting id, const char *text,
			      const char *origin)
{
	rule_list_append(id == SBX_SET_NET ? &layer->add_net : &layer->add_fs, text, origin, NULL);
}

void sbx_layer_name_config(struct sbx_layer *layer, bool named, const char *name,
			   const char *origin)
{
	char **value = named ? &layer->named_config : &layer->config_file;
	char **where = named ? &layer->named_origin : &layer->config_origin;

	free(*value);
	*value = sbx_xstrdup(name);
	free(*where);
	*where = sbx_xstrdup(origin);
}

static void fs_rules_free(struct sbx_fs_rule *rules, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (rules[i].held_fd >= 0)
			close(rules[i].held_fd);
		free(rules[i].path);
	}
	free(rules);
}

void sbx_policy_drop_early(struct sbx_policy *policy)
{
	if (policy->early.open)
		close(policy->early.fd);
	policy->early.open = false;
	policy->early.fd = -1;
}

void sbx_policy_close_held(struct sbx_policy *policy)
{
	size_t i;

	sbx_policy_drop_early(policy);

	for (i = 0; i < policy->n_fs; i++) {
		if (policy->fs[i].held_fd >= 0)
			close(policy->fs[i].held_fd);
		policy->fs[i].held_fd = -1;
	}
}

void sbx_policy_free(struct sbx_policy *policy)
{
	size_t i;

	sbx_policy_drop_early(policy);
	fs_rules_free(policy->fs, policy->n_fs);
	fs_rules_free(policy->skipped, policy->n_skipped);
	for (i = 0; i < policy->n_net; i++) {
		free(policy->net[i].origin);
		free(policy->net[i].rights);
	}
	free(policy->net);
	for (i = 0; i < SBX_SETTING_COUNT; i++)
		free(policy->origin[i]);
	for (i = 0; i < policy->n_hostrt_refused; i++)
		free(policy->hostrt_refused[i]);
	free(policy->hostrt_refused);
	free(policy->config_path);
	memset(policy, 0, sizeof(*policy));
}

void sbx_policy_add_fs(struct sbx_policy *policy, const char *path, uint64_t access,
		       const char *rights, const char *origin)
{
	const char *strs[3] = {path, rights, origin};
	char *out[3];
	struct sbx_fs_rule *rule;

	policy->fs = sbx_xgrow(policy->fs, policy->n_fs, &policy->cap_fs, sizeof(*policy->fs));
	rule = &policy->fs[policy->n_fs++];
	rule->kind = SBX_RULE_USER;
	rule->in_early_ruleset = false;
	strings_pack(strs, 3, out);
	rule->path = out[0];
	rule->access = access;
	rule->rights = out[1];
	rule->origin = out[2];
	rule->stat_mode = 0;
	rule->held_fd = -1;
}

void sbx_policy_reserve_fs(struct sbx_policy *policy, size_t more)
{
	if (more <= policy->cap_fs - policy->n_fs)
		return;
	policy->cap_fs = policy->n_fs + more;
	policy->fs = sbx_xreallocarray(policy->fs, policy->cap_fs, sizeof(*policy->fs));
}

void sbx_policy_add_net(struct sbx_policy *policy, uint16_t port, uint64_t access,
			const char *rights, const char *origin)
{
	struct sbx_net_rule *rule;

	policy->net = sbx_xreallocarray(policy->net, policy->n_net + 1, sizeof(*policy->net));
	rule = &policy->net[policy->n_net++];
	rule->port = port;
	rule->access = access;
	rule->rights = sbx_xstrdup(rights);
	rule->origin = sbx_xstrdup(origin);
}
