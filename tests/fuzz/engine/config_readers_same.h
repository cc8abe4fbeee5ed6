/* SPDX-License-Identifier: Apache-2.0 */
/* The two readers of config_yaml.c against each other: sbx_config_parse
 * (libyaml's events, the loader for anchors and aliases) and
 * sbx_config_parse_with_loader (the document loader always) must accept
 * the same files, give the same layer (every value, rule and
 * "file:line:col") and refuse with the same message; and when
 * sbx_config_parse says its rules are distinct, no two share an origin.
 * Shared by the config_yaml fuzzer and
 * tests/unit/engine/test_config_readers.c. */
#ifndef SBX_TEST_CONFIG_READERS_SAME_H
#define SBX_TEST_CONFIG_READERS_SAME_H

#include <stdio.h>
#include <string.h>

#include "engine/config_yaml.h"

static int readers_str_differ(const char *a, const char *b)
{
	if (!a || !b)
		return a != b;
	return strcmp(a, b) != 0;
}

static int readers_lists_differ(const struct sbx_rule_list *a, const struct sbx_rule_list *b)
{
	size_t i;

	if (a->len != b->len)
		return 1;
	for (i = 0; i < a->len; i++) {
		if (readers_str_differ(a->items[i].text, b->items[i].text) ||
		    readers_str_differ(a->items[i].origin, b->items[i].origin) ||
		    readers_str_differ(a->items[i].base_dir, b->items[i].base_dir))
			return 1;
	}
	return 0;
}

static int readers_strvs_differ(const struct sbx_strv *a, const struct sbx_strv *b)
{
	size_t i;

	if (a->len != b->len)
		return 1;
	for (i = 0; i < a->len; i++) {
		if (readers_str_differ(a->items[i], b->items[i]))
			return 1;
	}
	return 0;
}

/* Whether two rules of list share an origin. */
static int readers_origin_repeats(const struct sbx_rule_list *list)
{
	size_t i, j;

	for (i = 0; i < list->len; i++) {
		for (j = i + 1; j < list->len; j++) {
			if (strcmp(list->items[i].origin, list->items[j].origin) == 0)
				return 1;
		}
	}
	return 0;
}

/* What differs between two parses of one file, or NULL. */
static const char *config_docs_differ(const struct sbx_config_doc *a,
				      const struct sbx_config_doc *b)
{
	const struct sbx_layer *la = &a->layer, *lb = &b->layer;
	size_t i;

	if (readers_str_differ(la->name, lb->name))
		return "layer name";
	for (i = 0; i < SBX_SETTING_COUNT; i++) {
		if (la->set[i] != lb->set[i] || la->value[i] != lb->value[i] ||
		    readers_str_differ(la->origin[i], lb->origin[i]))
			return "a setting (set, value or origin)";
	}
	if (readers_lists_differ(&la->fs, &lb->fs) || readers_lists_differ(&la->net, &lb->net) ||
	    readers_lists_differ(&la->add_fs, &lb->add_fs) ||
	    readers_lists_differ(&la->add_net, &lb->add_net))
		return "a rule list";
	if (readers_str_differ(la->config_file, lb->config_file) ||
	    readers_str_differ(la->config_origin, lb->config_origin) ||
	    readers_str_differ(la->named_config, lb->named_config) ||
	    readers_str_differ(la->named_origin, lb->named_origin))
		return "the named config";
	if (readers_strvs_differ(&a->extends, &b->extends) ||
	    readers_strvs_differ(&a->extends_origin, &b->extends_origin))
		return "extends";
	return NULL;
}

/* Parses data with both readers; NULL when they agree, else what differs
 * (written into why, which must hold SBX_ERROR_MAX * 3 bytes). *ret and
 * *err get what sbx_config_parse gave. */
static const char *config_readers_differ(const char *data, size_t len, int *ret,
					 struct sbx_error *err, char *why)
{
	struct sbx_config_doc by_events, by_loader;
	struct sbx_error err_events = {{0}}, err_loader = {{0}};
	int ret_events, ret_loader;
	const char *diff = NULL;

	ret_events = sbx_config_parse(data, len, "/t/c.yaml", "/t", &by_events, &err_events);
	ret_loader =
	    sbx_config_parse_with_loader(data, len, "/t/c.yaml", "/t", &by_loader, &err_loader);
	if (ret_events != ret_loader)
		diff = "one accepts, the other refuses";
	else if (ret_events < 0 && strcmp(err_events.msg, err_loader.msg) != 0)
		diff = "the messages";
	else if (ret_events == 0)
		diff = config_docs_differ(&by_events, &by_loader);
	/* What composing takes on trust (config_find.c). */
	if (!diff && ret_events == 0 && by_events.rules_distinct &&
	    (readers_origin_repeats(&by_events.layer.fs) ||
	     readers_origin_repeats(&by_events.layer.net)))
		diff = "rules_distinct, set with a repeated origin,";
	if (ret_events == 0)
		sbx_config_doc_free(&by_events);
	if (ret_loader == 0)
		sbx_config_doc_free(&by_loader);
	*ret = ret_events;
	*err = err_events;
	if (!diff)
		return NULL;
	snprintf(why, SBX_ERROR_MAX * 3, "%s differ: events %d \"%s\", loader %d \"%s\"", diff,
		 ret_events, err_events.msg, ret_loader, err_loader.msg);
	return why;
}

#endif
