/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the SANDBOXEC_* environment. The input is split at NUL
 * bytes into an environment block and read as the shim reads it; the first
 * entry is also run through the list syntax, whose escape() must round-trip
 * whatever split() returned. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/envlist.h"
#include "engine/envsettings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* split(join(escape(items))) must give the same items back. */
static void check_round_trip(const struct sbx_strv *items)
{
	struct sbx_buf joined = {0};
	struct sbx_strv again = {0};
	struct sbx_error err;
	size_t i;

	for (i = 0; i < items->len; i++) {
		if (i)
			sbx_buf_putc(&joined, ',');
		sbx_envlist_escape(&joined, items->items[i]);
	}
	if (sbx_envlist_split(joined.data ? joined.data : "", &again, &err) < 0)
		abort();
	if (again.len != items->len)
		abort();
	for (i = 0; i < items->len; i++) {
		if (strcmp(again.items[i], items->items[i]) != 0)
			abort();
	}
	sbx_strv_free(&again);
	sbx_buf_free(&joined);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbx_env_settings env;
	struct sbx_strv items = {0};
	struct sbx_error err;
	char fingerprint[SBX_FINGERPRINT_LEN];
	char *copy, **envp, *p;
	size_t n = 0;

	copy = malloc(size + 1);
	envp = calloc(size + 2, sizeof(*envp));
	if (!copy || !envp)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy; p < copy + size + 1; p += strlen(p) + 1)
		envp[n++] = p;
	envp[n] = NULL;

	if (sbx_envlist_split(envp[0], &items, &err) == 0) {
		check_round_trip(&items);
		sbx_strv_free(&items);
	}
	if (sbx_env_settings_read(envp, &env, &err) == 0)
		sbx_env_settings_free(&env);
	sbx_env_fingerprint(envp, fingerprint);
	if (strlen(fingerprint) != SBX_FINGERPRINT_LEN - 1)
		abort();
	free(envp);
	free(copy);
	return 0;
}
