/* SPDX-License-Identifier: Apache-2.0 */
/* libjansson, bound on first use. Only `--mode mcp` and `--mode env
 * --format json` need JSON, so the CLI does not link libjansson: a
 * `sandboxec -- CMD` exec maps and relocates libc alone (docs/shim.md,
 * bench). json_lazy.c defines the jansson functions the tool calls, each
 * forwarding to the library dlopen()ed on the first call. */
#ifndef SBX_JSON_LAZY_H
#define SBX_JSON_LAZY_H

#include "engine/error.h"

/* Loads libjansson now (idempotent). `--mode mcp` calls it before it
 * confines itself, since the policy need not let it read the library
 * later. A later first call that fails to load ends the process with
 * status 1 and a "sandboxec: " line naming the package to install. */
int sbx_json_load(struct sbx_error *err);

#endif
