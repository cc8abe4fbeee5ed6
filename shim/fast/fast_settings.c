/* SPDX-License-Identifier: Apache-2.0 */
/* See fast_settings.h. */
#include "fast_settings.h"

#include "engine/fingerprint.h"
#include "engine/path_shape.h"

static const char *const names[] = {SBX_ENV_POLICY_NAMES, SBX_ENV_OTHER_NAMES};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

/* Indexes into names. */
enum {
	I_FS,
	I_NET,
	I_ABI,
	I_BEST_EFFORT,
	I_IGNORE,
	I_SCOPED,
	I_UDP,
	I_UNIX,
	I_HOSTRT,
	I_LOG,
	I_ADD_FS = SBX_ENV_POLICY_COUNT,
	I_ADD_NET,
};

/* The length of NAME when entry is "NAME=...", else 0. */
static size_t has_name(const char *entry, const char *name)
{
	size_t n = 0;

	while (name[n] && entry[n] == name[n])
		n++;
	return !name[n] && entry[n] == '=' ? n : 0;
}

static bool starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

static bool in_set(char c, const char *set)
{
	for (; *set; set++)
		if (c == *set)
			return true;
	return false;
}

bool fast_canonical_path(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] <= ' ' || p[i] >= 0x7f || in_set(p[i], "$~\\\"',"))
			return false;
	}
	return sbx_path_canonical_shape(p, len);
}

/* A boolean setting as the engine reads it, restricted to "0" and "1";
 * -1 for anything else. */
static int flag(const char *v)
{
	if ((v[0] == '0' || v[0] == '1') && !v[1])
		return v[0] - '0';
	return -1;
}

/* One SANDBOXEC_* entry (k its index in names, v its value) into out;
 * false when the value is outside the shape. */
static bool take_setting(size_t k, const char *v, struct fast_settings *out)
{
	int f = flag(v);

	switch (k) {
	case I_FS:
		out->fs = v;
		return *v != '\0';
	case I_NET:
	case I_ADD_FS:
	case I_ADD_NET:
		return !*v;
	case I_ABI:
	case I_BEST_EFFORT:
	case I_IGNORE:
	case I_HOSTRT:
		return f == 0;
	case I_SCOPED:
		out->restrict_scoped = f == 1;
		break;
	case I_UDP:
		out->allow_udp = f == 1;
		break;
	case I_UNIX:
		out->restrict_unix = f == 1;
		break;
	case I_LOG:
		out->log_denials = f == 1;
		break;
	default: /* a config, where to find one, or a diagnostic switch */
		return false;
	}
	return f >= 0;
}

/* The file name of entry[0..len): whether it is `name`. */
static bool base_is(const char *entry, size_t len, const char *name)
{
	size_t base = len, n;

	while (base && entry[base - 1] != '/')
		base--;
	for (n = 0; name[n] && base + n < len && entry[base + n] == name[n]; n++)
		;
	return !name[n] && base + n == len;
}

bool fast_entry_is_ours(const char *entry, size_t len)
{
	return base_is(entry, len, FAST_NAME) || base_is(entry, len, SHIM_NAME);
}

static size_t entry_len(const char *p, const char *seps)
{
	size_t n = 0;

	while (p[n] && !in_set(p[n], seps))
		n++;
	return n;
}

/* Finds this module's entry in LD_AUDIT (the first named FAST_NAME) and
 * the non-empty entry after it, which must name the shim. */
static bool find_shim_after_us(const char *list, struct fast_settings *out)
{
	bool after_us = false;

	while (*list) {
		size_t len = entry_len(list, ":");

		if (len && after_us) {
			out->shim = list;
			out->shim_len = len;
			return base_is(list, len, SHIM_NAME);
		}
		if (len && base_is(list, len, FAST_NAME))
			after_us = true;
		list += len;
		list += *list == ':';
	}
	return false;
}

/* Takes one entry of the block; false when it puts the settings outside
 * the shape (a name twice, a name the engine does not know, a value it
 * does not decide). */
static bool take_entry(char *const *slot, struct fast_settings *out, bool seen[], size_t *set)
{
	const char *e = *slot;
	size_t n, k;

	if ((n = has_name(e, "LD_AUDIT")) || (n = has_name(e, "LD_PRELOAD"))) {
		char ***which = n == 8 ? &out->slot_audit : &out->slot_preload;

		if (*which)
			return false;
		*which = (char **)slot;
		return true;
	}
	if (has_name(e, "SANDBOXEC_ACTIVE")) {
		if (out->active)
			return false;
		out->active = e + sizeof("SANDBOXEC_ACTIVE");
		return true;
	}
	if (!starts(e, "SANDBOXEC_"))
		return true;
	for (k = 0; k < N_NAMES && !(n = has_name(e, names[k])); k++)
		;
	if (k == N_NAMES || seen[k])
		return false;
	seen[k] = true;
	*set += k < SBX_ENV_POLICY_COUNT;
	return take_setting(k, e + n + 1, out);
}

enum fast_shape fast_settings_read(char *const *envp, struct fast_settings *out)
{
	bool seen[N_NAMES] = {false}, shape = true;
	size_t i, set = 0;

	*out = (struct fast_settings){0};
	for (i = 0; envp && envp[i]; i++)
		shape &= take_entry(&envp[i], out, seen, &set);
	if (!out->slot_audit || !find_shim_after_us(*out->slot_audit + sizeof("LD_AUDIT"), out))
		return FAST_WITHOUT_SHIM;
	return shape && set == SBX_ENV_POLICY_COUNT ? FAST_DECIDES : FAST_DEFERS;
}

long fast_list_without_ours(const char *name, const char *list, const char *seps, char *out,
			    size_t cap)
{
	size_t len = 0, kept = 0;

	while (*name && len < cap)
		out[len++] = *name++;
	if (len < cap)
		out[len++] = '=';
	while (*list) {
		size_t n = entry_len(list, seps), i;

		if (n && !fast_entry_is_ours(list, n)) {
			if (kept++ && len < cap)
				out[len++] = ':';
			for (i = 0; i < n && len < cap; i++)
				out[len++] = list[i];
		}
		list += n;
		list += *list != '\0';
	}
	if (len >= cap)
		return -1;
	out[len] = '\0';
	return (long)kept;
}

void fast_list_blank_ours(char *list, const char *seps)
{
	while (list && *list) {
		size_t n = entry_len(list, seps), i;

		if (n && fast_entry_is_ours(list, n))
			for (i = 0; i < n; i++)
				list[i] = ':';
		list += n;
		list += *list != '\0';
	}
}

void fast_fingerprint(char *const *envp, char *out)
{
	uint64_t h[2] = {SBX_FINGERPRINT_SEED_A, SBX_FINGERPRINT_SEED_B};
	size_t k, i;

	for (k = 0; k < N_NAMES - SBX_ENV_UNHASHED_COUNT; k++) {
		size_t n = 0, len;

		for (i = 0; envp && envp[i] && !(n = has_name(envp[i], names[k])); i++)
			;
		if (!n)
			continue;
		for (len = 0; envp[i][n + 1 + len]; len++)
			;
		sbx_fingerprint_add(h, names[k], n, envp[i] + n + 1, len);
	}
	sbx_fingerprint_hex(h, out);
}
