/* SPDX-License-Identifier: Apache-2.0 */
/* YAML → layer; see config_yaml.h. Reads only the buffer it is given. */
#include "config_yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "lazylib.h"

struct yaml_api {
	void *handle;
	SBX_LAZY_FIELD(yaml_parser_initialize);
	SBX_LAZY_FIELD(yaml_parser_set_input_string);
	SBX_LAZY_FIELD(yaml_parser_load);
	SBX_LAZY_FIELD(yaml_parser_delete);
	SBX_LAZY_FIELD(yaml_document_get_root_node);
	SBX_LAZY_FIELD(yaml_document_get_node);
	SBX_LAZY_FIELD(yaml_document_delete);
};

static int yaml_api_open(struct yaml_api *api, struct sbx_error *err)
{
	const struct sbx_lazy_sym syms[] = {
	    SBX_LAZY_SYM(api, yaml_parser_initialize),
	    SBX_LAZY_SYM(api, yaml_parser_set_input_string),
	    SBX_LAZY_SYM(api, yaml_parser_load),
	    SBX_LAZY_SYM(api, yaml_parser_delete),
	    SBX_LAZY_SYM(api, yaml_document_get_root_node),
	    SBX_LAZY_SYM(api, yaml_document_get_node),
	    SBX_LAZY_SYM(api, yaml_document_delete),
	};

	return sbx_lazy_open("libyaml-0.so.2", "libyaml-0-2", syms, SBX_ARRAY_SIZE(syms),
			     &api->handle, err);
}

struct loader {
	struct yaml_api *api;
	yaml_document_t *doc;
	const char *path;
	const char *base_dir;
	struct sbx_config_doc *out;
	struct sbx_error *err;
	const struct sbx_setting_def *list; /* the list whose items add_rule adds */
	/* "path:" and then each item's "line:col", written over the last:
	 * one per rule, so not printed into a fresh allocation each time. */
	struct sbx_buf where;
	size_t where_prefix;
};

static char *position(const struct loader *ld, const yaml_node_t *node)
{
	return sbx_xasprintf("%s:%zu:%zu", ld->path, node->start_mark.line + 1,
			     node->start_mark.column + 1);
}

/* position() in the loader's buffer, valid until the next call. */
static const char *item_position(struct loader *ld, const yaml_node_t *node)
{
	ld->where.len = ld->where_prefix;
	sbx_buf_put_uint(&ld->where, node->start_mark.line + 1);
	sbx_buf_putc(&ld->where, ':');
	sbx_buf_put_uint(&ld->where, node->start_mark.column + 1);
	return ld->where.data;
}

static int fail_at(const struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(const struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
{
	char msg[SBX_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sbx_error_set(ld->err, "%s:%zu:%zu: %s", ld->path, node->start_mark.line + 1,
			     node->start_mark.column + 1, msg);
}

static const char *scalar_text(const yaml_node_t *node)
{
	return (const char *)node->data.scalar.value;
}

static int is_null(const yaml_node_t *node)
{
	const char *v;

	if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	v = scalar_text(node);
	return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

static const char *node_kind(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "a single value";
	}
}

/* Calls fn(ld, item) for each scalar of a list; null means an empty list. */
static int for_each_item(struct loader *ld, const char *key, yaml_node_t *value, const char *what,
			 int (*fn)(struct loader *, const char *, yaml_node_t *))
{
	yaml_node_item_t *item;

	if (is_null(value))
		return 0;
	if (value->type != YAML_SEQUENCE_NODE)
		return fail_at(ld, value, "%s must be a list of %s, not %s", key, what,
			       node_kind(value));
	for (item = value->data.sequence.items.start; item < value->data.sequence.items.top;
	     item++) {
		yaml_node_t *node = ld->api->yaml_document_get_node(ld->doc, *item);

		if (!node || node->type != YAML_SCALAR_NODE)
			return fail_at(ld, node ? node : value, "each entry of %s must be %s", key,
				       what);
		if (fn(ld, key, node) < 0)
			return -1;
	}
	return 0;
}

static int add_rule(struct loader *ld, const char *key, yaml_node_t *node)
{
	(void)key;
	sbx_layer_add_rule(&ld->out->layer, ld->list->id, scalar_text(node),
			   item_position(ld, node), ld->base_dir);
	return 0;
}

static int add_extends(struct loader *ld, const char *key, yaml_node_t *node)
{
	(void)key;
	sbx_strv_push(&ld->out->extends, scalar_text(node));
	sbx_strv_push(&ld->out->extends_origin, item_position(ld, node));
	return 0;
}

static int load_setting(struct loader *ld, const struct sbx_setting_def *def, yaml_node_t *value)
{
	struct sbx_error inner;
	char *origin;
	int parsed;

	if (def->type == SBX_TYPE_FS_LIST || def->type == SBX_TYPE_NET_LIST) {
		origin = position(ld, value);
		sbx_layer_touch_list(&ld->out->layer, def->id, origin);
		free(origin);
		ld->list = def;
		return for_each_item(ld, def->yaml_key, value,
				     def->type == SBX_TYPE_FS_LIST ? "RIGHTS:PATH rules"
								   : "RIGHTS:PORT rules",
				     add_rule);
	}
	if (value->type != YAML_SCALAR_NODE)
		return fail_at(ld, value, "%s must be a single value, not %s", def->yaml_key,
			       node_kind(value));
	if (sbx_setting_parse_scalar(def, scalar_text(value), &parsed, &inner) < 0)
		return fail_at(ld, value, "%s", inner.msg);
	origin = position(ld, value);
	sbx_layer_set_scalar(&ld->out->layer, def->id, parsed, origin);
	free(origin);
	return 0;
}

static void describe_keys(struct sbx_buf *out)
{
	size_t i;

	for (i = 0; i < SBX_SETTING_COUNT; i++)
		sbx_buf_printf(out, "%s, ", sbx_settings[i].yaml_key);
	sbx_buf_puts(out, "extends");
}

static int load_root(struct loader *ld, yaml_node_t *root)
{
	bool seen[SBX_SETTING_COUNT + 1] = {false};
	yaml_node_pair_t *pair;

	if (is_null(root))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return fail_at(ld, root,
			       "a config must be a mapping of settings (key: value), not %s",
			       node_kind(root));
	for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = ld->api->yaml_document_get_node(ld->doc, pair->key);
		yaml_node_t *value = ld->api->yaml_document_get_node(ld->doc, pair->value);
		const struct sbx_setting_def *def;
		size_t slot;

		if (!key || !value)
			return sbx_error_set(ld->err, "%s: malformed mapping", ld->path);
		if (key->type != YAML_SCALAR_NODE)
			return fail_at(ld, key, "a key must be a plain name, not %s",
				       node_kind(key));
		def = sbx_setting_by_yaml_key(scalar_text(key));
		if (!def && !sbx_ascii_ieq(scalar_text(key), "extends")) {
			struct sbx_buf keys = {0};

			describe_keys(&keys);
			fail_at(ld, key, "unknown key \"%s\"; known keys are %s", scalar_text(key),
				keys.data);
			sbx_buf_free(&keys);
			return -1;
		}
		slot = def ? (size_t)def->id : SBX_SETTING_COUNT;
		if (seen[slot])
			return fail_at(ld, key, "key \"%s\" is given twice", scalar_text(key));
		seen[slot] = true;
		if (!def) {
			if (for_each_item(ld, "extends", value, "profile names", add_extends) < 0)
				return -1;
			continue;
		}
		if (load_setting(ld, def, value) < 0)
			return -1;
	}
	return 0;
}

/* A config is one document: whatever follows the first (after "---") is
 * an error, never silently ignored. Empty trailing documents are fine. */
static int no_more_documents(struct yaml_api *api, yaml_parser_t *parser, const char *path,
			     struct sbx_error *err)
{
	for (;;) {
		yaml_document_t next;
		yaml_node_t *root;
		int extra;

		if (!api->yaml_parser_load(parser, &next))
			return sbx_error_set(
			    err, "%s:%zu:%zu: malformed YAML: %s%s%s", path,
			    parser->problem_mark.line + 1, parser->problem_mark.column + 1,
			    parser->problem ? parser->problem : "parse error",
			    parser->context ? " " : "", parser->context ? parser->context : "");
		root = api->yaml_document_get_root_node(&next);
		if (!root) {
			api->yaml_document_delete(&next);
			return 0;
		}
		extra = !is_null(root);
		if (extra)
			sbx_error_set(err,
				      "%s:%zu:%zu: a config is one YAML document; merge this one "
				      "(after ---) into the first or remove it",
				      path, next.start_mark.line + 1, next.start_mark.column + 1);
		api->yaml_document_delete(&next);
		if (extra)
			return -1;
	}
}

int sbx_config_parse(const char *data, size_t len, const char *path, const char *base_dir,
		     struct sbx_config_doc *out, struct sbx_error *err)
{
	struct yaml_api api = {0};
	yaml_parser_t parser;
	yaml_document_t doc;
	struct loader ld = {
	    .api = &api, .doc = &doc, .path = path, .base_dir = base_dir, .out = out, .err = err};
	char *name;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	sbx_buf_puts(&ld.where, path);
	sbx_buf_putc(&ld.where, ':');
	ld.where_prefix = ld.where.len;
	name = sbx_xasprintf("config %s", path);
	sbx_layer_init(&out->layer, name);
	free(name);
	if (yaml_api_open(&api, err) < 0)
		goto out_free;
	if (!api.yaml_parser_initialize(&parser)) {
		sbx_error_set(err, "%s: cannot start the YAML parser", path);
		goto out_close;
	}
	api.yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!api.yaml_parser_load(&parser, &doc)) {
		sbx_error_set(err, "%s:%zu:%zu: malformed YAML: %s%s%s", path,
			      parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			      parser.problem ? parser.problem : "parse error",
			      parser.context ? " " : "", parser.context ? parser.context : "");
		goto out_parser;
	}
	{
		yaml_node_t *root = api.yaml_document_get_root_node(&doc);

		ret = root ? load_root(&ld, root) : 0;
	}
	api.yaml_document_delete(&doc);
	if (ret == 0)
		ret = no_more_documents(&api, &parser, path, err);
out_parser:
	api.yaml_parser_delete(&parser);
out_close:
	sbx_lazy_close(api.handle);
out_free:
	sbx_buf_free(&ld.where);
	if (ret < 0)
		sbx_config_doc_free(out);
	return ret;
}

void sbx_config_doc_free(struct sbx_config_doc *doc)
{
	sbx_layer_free(&doc->layer);
	sbx_strv_free(&doc->extends);
	sbx_strv_free(&doc->extends_origin);
}
