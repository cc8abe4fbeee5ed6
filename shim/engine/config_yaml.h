/* SPDX-License-Identifier: Apache-2.0 */
/* The YAML config loader (docs/design.md §3.1): one document, a mapping of the keys in
 * the settings table plus `extends` (profiles). Every unknown key, wrong type
 * and malformed input is an error naming file:line:col. libyaml is bound
 * lazily (lazylib.h) so the shim pays for it only when a file is read. */
#ifndef SBX_CONFIG_YAML_H
#define SBX_CONFIG_YAML_H

#include <stddef.h>

#include "envlist.h"
#include "policy.h"

struct sbx_config_doc {
	struct sbx_layer layer;
	struct sbx_strv extends;	/* profile names, in order */
	struct sbx_strv extends_origin; /* "file:line:col" of each */
	/* No two rules of a list share a position, so none repeats another's
	 * origin: true when the file was read from libyaml's events (each item
	 * is its own node, after its own "-" or ","), false when the loader read
	 * it (an alias puts one node in a list twice). Composing the file's
	 * layer (config_find.c) then looks nothing up among its own rules. */
	bool rules_distinct;
};

/* Parses a config held in memory (the caller read it once, so what was
 * hashed for trust is exactly what is parsed). `path` names the file in
 * messages; relative rule paths are taken against `base_dir` (NULL: the
 * current directory). */
int sbx_config_parse(const char *data, size_t len, const char *path, const char *base_dir,
		     struct sbx_config_doc *out, struct sbx_error *err);
/* The same, always through libyaml's document loader, which
 * sbx_config_parse takes only for a file with an anchor or an alias (its
 * own reader checks each event as it comes). The two give the same result
 * and the same error for every input; tests compare them. */
int sbx_config_parse_with_loader(const char *data, size_t len, const char *path,
				 const char *base_dir, struct sbx_config_doc *out,
				 struct sbx_error *err);
void sbx_config_doc_free(struct sbx_config_doc *doc);

#endif
