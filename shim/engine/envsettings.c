/* SPDX-License-Identifier: Apache-2.0 */
/* SANDBOXEC_* variables → a layer; see envsettings.h. */
#include "envsettings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envlist.h"
#include "fingerprint.h"
#include "util.h"

#define ENV_PREFIX "SANDBOXEC_"

const char *const sbx_env_known_names[] = {
    SBX_ENV_POLICY_NAMES,
    SBX_ENV_OTHER_NAMES,
    SBX_ENV_ACTIVE,
    NULL,
};

static int known_name(const char *entry, size_t name_len)
{
	size_t i;

	for (i = 0; sbx_env_known_names[i]; i++) {
		if (strlen(sbx_env_known_names[i]) == name_len &&
		    strncmp(sbx_env_known_names[i], entry, name_len) == 0)
			return 1;
	}
	return 0;
}

static int check_names(char *const *envp, struct sbx_error *err)
{
	size_t prefix_len = strlen(ENV_PREFIX);

	for (; envp && *envp; envp++) {
		const char *eq = strchr(*envp, '=');
		size_t len = eq ? (size_t)(eq - *envp) : strlen(*envp);
		struct sbx_buf names = {0};
		size_t i;

		if (strncmp(*envp, ENV_PREFIX, prefix_len) != 0 || known_name(*envp, len))
			continue;
		for (i = 0; sbx_env_known_names[i]; i++)
			sbx_buf_printf(&names, "%s%s", i ? ", " : "", sbx_env_known_names[i]);
		sbx_error_set(err, "unknown variable %.*s; known SANDBOXEC_* variables are %s",
			      (int)len, *envp, names.data);
		sbx_buf_free(&names);
		return -1;
	}
	return 0;
}

/* The origins "NAME entry 1", "NAME entry 2"...: one per rule, so each is
 * written over the last in one buffer instead of printed and allocated. */
struct entry_origin {
	struct sbx_buf buf;
	size_t prefix;
};

static void entry_origin_init(struct entry_origin *o, const char *name)
{
	memset(o, 0, sizeof(*o));
	sbx_buf_puts(&o->buf, name);
	sbx_buf_puts(&o->buf, " entry ");
	o->prefix = o->buf.len;
}

static const char *entry_origin_at(struct entry_origin *o, size_t n)
{
	o->buf.len = o->prefix;
	sbx_buf_put_uint(&o->buf, n);
	return o->buf.data;
}

static int read_list(struct sbx_env_settings *env, const struct sbx_setting_def *def,
		     const char *value, struct sbx_error *err)
{
	struct sbx_strv entries = {0};
	struct entry_origin origin;
	size_t i;

	if (sbx_envlist_split(value, &entries, err) < 0)
		return sbx_error_prefix(err, "%s", def->env_name);
	sbx_layer_touch_list(&env->layer, def->id, def->env_name);
	entry_origin_init(&origin, def->env_name);
	for (i = 0; i < entries.len; i++)
		sbx_layer_add_rule(&env->layer, def->id, entries.items[i],
				   entry_origin_at(&origin, i + 1), NULL);
	sbx_buf_free(&origin.buf);
	sbx_strv_free(&entries);
	return 0;
}

/* SANDBOXEC_ADD_FS and SANDBOXEC_ADD_NET: rules added to the list that
 * resolves instead of replacing it (docs/design.md §3.2). */
static int read_additions(const char *const values[2], struct sbx_env_settings *env,
			  struct sbx_error *err)
{
	static const char *const names[2] = {"SANDBOXEC_ADD_FS", "SANDBOXEC_ADD_NET"};
	size_t k, i;

	for (k = 0; k < 2; k++) {
		const char *value = values[k];
		struct sbx_strv entries = {0};
		struct entry_origin origin;

		if (!value)
			continue;
		if (sbx_envlist_split(value, &entries, err) < 0)
			return sbx_error_prefix(err, "%s", names[k]);
		env->any_policy = true;
		entry_origin_init(&origin, names[k]);
		for (i = 0; i < entries.len; i++)
			sbx_layer_add_extra_rule(&env->layer, k ? SBX_SET_NET : SBX_SET_FS,
						 entries.items[i], entry_origin_at(&origin, i + 1));
		sbx_buf_free(&origin.buf);
		sbx_strv_free(&entries);
	}
	return 0;
}

static int read_flag(const char *name, const char *value, bool *out, struct sbx_error *err)
{
	static const struct sbx_setting_def bool_def = {0, SBX_TYPE_BOOL, "", NULL, NULL, NULL};
	int parsed;

	*out = false;
	if (!value)
		return 0;
	if (sbx_setting_parse_scalar(&bool_def, value, &parsed, err) < 0)
		return sbx_error_set(err, "%s=\"%s\": use 1/true/yes/on or 0/false/no/off", name,
				     value);
	*out = parsed;
	return 0;
}

/* Every SANDBOXEC_PROFILE_PATH entry must be an absolute directory: a
 * relative one would be looked up from each process's own current
 * directory, so where a process starts could choose its policy. An empty
 * entry is refused too, as PATH-style lists read it as the current
 * directory (docs/environment.md). XDG_CONFIG_HOME is skipped when
 * relative instead, as the XDG spec says; this variable is sandboxec's
 * own, so a mistake in it is an error. */
static int check_profile_path(const char *value, struct sbx_error *err)
{
	const char *p = value;
	size_t n, len;

	if (!*value)
		return sbx_error_set(err, "SANDBOXEC_PROFILE_PATH is set but empty; list absolute "
					  "directories separated by ':' or unset it");
	for (n = 1;; n++) {
		len = strcspn(p, ":");
		if (len == 0)
			return sbx_error_set(
			    err,
			    "SANDBOXEC_PROFILE_PATH entry %zu is empty (a PATH-style "
			    "list reads that as the current directory); list absolute "
			    "directories separated by ':'",
			    n);
		if (p[0] != '/')
			return sbx_error_set(
			    err,
			    "SANDBOXEC_PROFILE_PATH entry %zu \"%.*s\" is relative; use "
			    "an absolute directory (e.g. \"$PWD/%.*s\")",
			    n, (int)len, p, (int)len, p);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* The variables read besides the settings' own, after them in the one
 * lookup (sbx_env_get_many). */
enum other_var {
	VAR_ADD_FS,
	VAR_ADD_NET,
	VAR_CONFIG,
	VAR_NAMED_CONFIG,
	VAR_TRUST_PROJECT,
	VAR_VERBOSE,
	VAR_PROFILE_PATH,
	VAR_ACTIVE,
	VAR_COUNT
};

static const char *const other_names[VAR_COUNT] = {
    [VAR_ADD_FS] = "SANDBOXEC_ADD_FS",
    [VAR_ADD_NET] = "SANDBOXEC_ADD_NET",
    [VAR_CONFIG] = "SANDBOXEC_CONFIG",
    [VAR_NAMED_CONFIG] = "SANDBOXEC_NAMED_CONFIG",
    [VAR_TRUST_PROJECT] = "SANDBOXEC_TRUST_PROJECT",
    [VAR_VERBOSE] = "SANDBOXEC_VERBOSE",
    [VAR_PROFILE_PATH] = "SANDBOXEC_PROFILE_PATH",
    [VAR_ACTIVE] = SBX_ENV_ACTIVE,
};

int sbx_env_settings_read(char *const *envp, struct sbx_env_settings *out, struct sbx_error *err)
{
	/* names[i] for setting i (NULL: it has no variable), then the others. */
	const char *names[SBX_SETTING_COUNT + VAR_COUNT], *values[SBX_SETTING_COUNT + VAR_COUNT];
	const char *const *other = values + SBX_SETTING_COUNT;
	const char *value;
	size_t i;

	memset(out, 0, sizeof(*out));
	sbx_layer_init(&out->layer, "environment");
	if (check_names(envp, err) < 0)
		goto fail;
	for (i = 0; i < SBX_SETTING_COUNT; i++)
		names[i] = sbx_settings[i].env_name ? sbx_settings[i].env_name : "";
	for (i = 0; i < VAR_COUNT; i++)
		names[SBX_SETTING_COUNT + i] = other_names[i];
	sbx_env_get_many(envp, names, SBX_ARRAY_SIZE(names), values);
	for (i = 0; i < SBX_SETTING_COUNT; i++) {
		const struct sbx_setting_def *def = &sbx_settings[i];
		int parsed;

		if (!def->env_name)
			continue;
		value = values[i];
		if (!value)
			continue;
		out->any_policy = true;
		if (def->type == SBX_TYPE_FS_LIST || def->type == SBX_TYPE_NET_LIST) {
			if (read_list(out, def, value, err) < 0)
				goto fail;
			continue;
		}
		if (!*value) {
			sbx_error_set(err, "%s is set but empty; give it a value or unset it",
				      def->env_name);
			goto fail;
		}
		if (sbx_setting_parse_scalar(def, value, &parsed, err) < 0) {
			sbx_error_prefix(err, "%s", def->env_name);
			goto fail;
		}
		sbx_layer_set_scalar(&out->layer, def->id, parsed, def->env_name);
	}
	if (read_additions(other + VAR_ADD_FS, out, err) < 0)
		goto fail;
	for (i = 0; i < 2; i++) {
		bool named = i == 1;
		const char *name = other_names[named ? VAR_NAMED_CONFIG : VAR_CONFIG];

		value = other[named ? VAR_NAMED_CONFIG : VAR_CONFIG];
		if (!value)
			continue;
		if (!*value) {
			sbx_error_set(err, "%s is set but empty; name a %s or unset it", name,
				      named ? "profile" : "file");
			goto fail;
		}
		sbx_layer_name_config(&out->layer, named, value, name);
		out->any_policy = true;
	}
	if (read_flag(other_names[VAR_TRUST_PROJECT], other[VAR_TRUST_PROJECT], &out->trust_project,
		      err) < 0 ||
	    read_flag(other_names[VAR_VERBOSE], other[VAR_VERBOSE], &out->verbose, err) < 0)
		goto fail;
	out->profile_path = other[VAR_PROFILE_PATH];
	if (out->profile_path && check_profile_path(out->profile_path, err) < 0)
		goto fail;
	out->active = other[VAR_ACTIVE];
	return 0;
fail:
	sbx_env_settings_free(out);
	return -1;
}

void sbx_env_settings_free(struct sbx_env_settings *env)
{
	sbx_layer_free(&env->layer);
}

void sbx_env_fingerprint(char *const *envp, char out[SBX_FINGERPRINT_LEN])
{
	static const char *const names[] = {SBX_ENV_POLICY_NAMES, SBX_ENV_OTHER_NAMES};
	/* SANDBOXEC_VERBOSE and SANDBOXEC_HINTS, the last two, do not shape
	 * the policy. */
	enum { HASHED = SBX_ARRAY_SIZE(names) - SBX_ENV_UNHASHED_COUNT };
	uint64_t h[2] = {SBX_FINGERPRINT_SEED_A, SBX_FINGERPRINT_SEED_B};
	const char *values[HASHED];
	size_t i;

	/* In the table's fixed order, so the environment's order is moot. */
	sbx_env_get_many(envp, names, HASHED, values);
	for (i = 0; i < HASHED; i++) {
		if (values[i])
			sbx_fingerprint_add(h, names[i], strlen(names[i]), values[i],
					    strlen(values[i]));
	}
	sbx_fingerprint_hex(h, out);
	out[SBX_FINGERPRINT_HEX] = '\0';
}
