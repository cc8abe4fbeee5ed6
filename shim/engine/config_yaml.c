/* SPDX-License-Identifier: Apache-2.0 */
/* YAML → layer; see config_yaml.h. Reads only the buffer it is given.
 *
 * Two readers share one set of checks (check_root, check_key, begin_value,
 * check_item), which see a node as a struct node_view:
 * - the event reader (read_events), taken first: each libyaml event is
 *   checked and freed as it comes, so a file of many rules never holds its
 *   whole node tree (10 000 list items were ~500 fresh heap pages);
 * - the document loader (read_tree), which builds libyaml's node tree
 *   first. A file with an anchor or an alias is read by it alone: the
 *   loader resolves an alias to the anchored node and refuses an undefined
 *   alias or a repeated anchor, which the event reader does not replay.
 * Both report what the loader always did: a YAML syntax error anywhere in
 * the first document before any error of its content; the first content
 * error, in document order; then whatever a later document says. */
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
	SBX_LAZY_FIELD(yaml_parser_parse);
	SBX_LAZY_FIELD(yaml_event_delete);
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
	    SBX_LAZY_SYM(api, yaml_parser_parse),
	    SBX_LAZY_SYM(api, yaml_event_delete),
	    SBX_LAZY_SYM(api, yaml_parser_load),
	    SBX_LAZY_SYM(api, yaml_parser_delete),
	    SBX_LAZY_SYM(api, yaml_document_get_root_node),
	    SBX_LAZY_SYM(api, yaml_document_get_node),
	    SBX_LAZY_SYM(api, yaml_document_delete),
	};

	return sbx_lazy_open("libyaml-0.so.2", "libyaml-0-2", syms, SBX_ARRAY_SIZE(syms),
			     &api->handle, err);
}

/* What the checks read of a node, from the tree or from the event that
 * starts it (a node's position is its first event's start_mark). */
struct node_view {
	yaml_node_type_t type;
	yaml_mark_t mark;
	yaml_scalar_style_t style; /* scalars only */
	const char *text;	   /* scalars only */
};

struct loader {
	const char *path;
	const char *base_dir;
	struct sbx_config_doc *out;
	struct sbx_error *err;
	bool seen[SBX_SETTING_COUNT + 1]; /* the last slot is extends */
	/* The list whose items check_item takes: a setting's (list_def) or,
	 * when list_def is NULL, extends. */
	const struct sbx_setting_def *list_def;
	const char *list_key;
	const char *list_what;
	/* "path:" and then each item's "line:col", written over the last:
	 * one per rule, so not printed into a fresh allocation each time. */
	struct sbx_buf where;
	size_t where_prefix;
};

static char *position(const struct loader *ld, const struct node_view *node)
{
	return sbx_xasprintf("%s:%zu:%zu", ld->path, node->mark.line + 1, node->mark.column + 1);
}

/* position() in the loader's buffer, valid until the next call. */
static const char *item_position(struct loader *ld, const struct node_view *node)
{
	ld->where.len = ld->where_prefix;
	sbx_buf_put_uint(&ld->where, node->mark.line + 1);
	sbx_buf_putc(&ld->where, ':');
	sbx_buf_put_uint(&ld->where, node->mark.column + 1);
	return ld->where.data;
}

static int fail_at(const struct loader *ld, const struct node_view *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(const struct loader *ld, const struct node_view *node, const char *fmt, ...)
{
	char msg[SBX_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sbx_error_set(ld->err, "%s:%zu:%zu: %s", ld->path, node->mark.line + 1,
			     node->mark.column + 1, msg);
}

static int syntax_error(const char *path, const yaml_parser_t *parser, struct sbx_error *err)
{
	return sbx_error_set(err, "%s:%zu:%zu: malformed YAML: %s%s%s", path,
			     parser->problem_mark.line + 1, parser->problem_mark.column + 1,
			     parser->problem ? parser->problem : "parse error",
			     parser->context ? " " : "", parser->context ? parser->context : "");
}

static int is_null(const struct node_view *node)
{
	const char *v = node->text;

	if (node->type != YAML_SCALAR_NODE || node->style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

static const char *node_kind(const struct node_view *node)
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

static void describe_keys(struct sbx_buf *out)
{
	size_t i;

	for (i = 0; i < SBX_SETTING_COUNT; i++)
		sbx_buf_printf(out, "%s, ", sbx_settings[i].yaml_key);
	sbx_buf_puts(out, "extends");
}

/* The document's root: 1 when it is a mapping to read, 0 when it is empty,
 * -1 (error set) otherwise. */
static int check_root(struct loader *ld, const struct node_view *root)
{
	if (is_null(root))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return fail_at(ld, root,
			       "a config must be a mapping of settings (key: value), not %s",
			       node_kind(root));
	return 1;
}

/* A key of the root mapping; *def is its setting (NULL: extends). */
static int check_key(struct loader *ld, const struct node_view *key,
		     const struct sbx_setting_def **def)
{
	size_t slot;

	*def = NULL;
	if (key->type != YAML_SCALAR_NODE)
		return fail_at(ld, key, "a key must be a plain name, not %s", node_kind(key));
	*def = sbx_setting_by_yaml_key(key->text);
	if (!*def && !sbx_ascii_ieq(key->text, "extends")) {
		struct sbx_buf keys = {0};

		describe_keys(&keys);
		fail_at(ld, key, "unknown key \"%s\"; known keys are %s", key->text, keys.data);
		sbx_buf_free(&keys);
		return -1;
	}
	slot = *def ? (size_t)(*def)->id : SBX_SETTING_COUNT;
	if (ld->seen[slot])
		return fail_at(ld, key, "key \"%s\" is given twice", key->text);
	ld->seen[slot] = true;
	return 0;
}

/* The value of key def (NULL: extends): 1 when it is a list whose items
 * follow (check_item), 0 when it is taken whole, -1 (error set). */
static int begin_value(struct loader *ld, const struct sbx_setting_def *def,
		       const struct node_view *value)
{
	struct sbx_error inner;
	char *origin;
	int parsed;

	if (!def || def->type == SBX_TYPE_FS_LIST || def->type == SBX_TYPE_NET_LIST) {
		ld->list_def = def;
		if (!def) {
			ld->list_key = "extends";
			ld->list_what = "profile names";
		} else {
			origin = position(ld, value);
			sbx_layer_touch_list(&ld->out->layer, def->id, origin);
			free(origin);
			ld->list_key = def->yaml_key;
			ld->list_what = def->type == SBX_TYPE_FS_LIST ? "RIGHTS:PATH rules"
								      : "RIGHTS:PORT rules";
		}
		/* null is an empty list */
		if (is_null(value))
			return 0;
		if (value->type != YAML_SEQUENCE_NODE)
			return fail_at(ld, value, "%s must be a list of %s, not %s", ld->list_key,
				       ld->list_what, node_kind(value));
		return 1;
	}
	if (value->type != YAML_SCALAR_NODE)
		return fail_at(ld, value, "%s must be a single value, not %s", def->yaml_key,
			       node_kind(value));
	if (sbx_setting_parse_scalar(def, value->text, &parsed, &inner) < 0)
		return fail_at(ld, value, "%s", inner.msg);
	origin = position(ld, value);
	sbx_layer_set_scalar(&ld->out->layer, def->id, parsed, origin);
	free(origin);
	return 0;
}

static int item_error(const struct loader *ld, const struct node_view *node)
{
	return fail_at(ld, node, "each entry of %s must be %s", ld->list_key, ld->list_what);
}

/* An item of the list begin_value opened. */
static int check_item(struct loader *ld, const struct node_view *item)
{
	if (item->type != YAML_SCALAR_NODE)
		return item_error(ld, item);
	if (!ld->list_def) {
		sbx_strv_push(&ld->out->extends, item->text);
		sbx_strv_push(&ld->out->extends_origin, item_position(ld, item));
		return 0;
	}
	sbx_layer_add_rule(&ld->out->layer, ld->list_def->id, item->text, item_position(ld, item),
			   ld->base_dir);
	return 0;
}

/* The document loader's reader. */

static struct node_view tree_view(const yaml_node_t *node)
{
	struct node_view view = {.type = node->type, .mark = node->start_mark};

	if (node->type == YAML_SCALAR_NODE) {
		view.style = node->data.scalar.style;
		view.text = (const char *)node->data.scalar.value;
	}
	return view;
}

static int tree_root(struct loader *ld, const struct yaml_api *api, yaml_document_t *doc,
		     yaml_node_t *root)
{
	struct node_view root_view = tree_view(root);
	yaml_node_pair_t *pair;
	int ret;

	ret = check_root(ld, &root_view);
	if (ret <= 0)
		return ret;
	for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = api->yaml_document_get_node(doc, pair->key);
		yaml_node_t *value = api->yaml_document_get_node(doc, pair->value);
		const struct sbx_setting_def *def;
		struct node_view key_view, value_view;
		yaml_node_item_t *item;

		if (!key || !value)
			return sbx_error_set(ld->err, "%s: malformed mapping", ld->path);
		key_view = tree_view(key);
		value_view = tree_view(value);
		if (check_key(ld, &key_view, &def) < 0)
			return -1;
		ret = begin_value(ld, def, &value_view);
		if (ret < 0)
			return -1;
		if (ret == 0)
			continue;
		for (item = value->data.sequence.items.start; item < value->data.sequence.items.top;
		     item++) {
			yaml_node_t *node = api->yaml_document_get_node(doc, *item);
			struct node_view item_view;

			if (!node)
				return item_error(ld, &value_view);
			item_view = tree_view(node);
			if (check_item(ld, &item_view) < 0)
				return -1;
		}
	}
	return 0;
}

/* A config is one document: whatever follows the first (after "---") is
 * an error, never silently ignored. Empty trailing documents are fine. */
static int one_document_error(const char *path, yaml_mark_t document_start, struct sbx_error *err)
{
	return sbx_error_set(err,
			     "%s:%zu:%zu: a config is one YAML document; merge this one "
			     "(after ---) into the first or remove it",
			     path, document_start.line + 1, document_start.column + 1);
}

static int tree_no_more_documents(const struct yaml_api *api, yaml_parser_t *parser,
				  const char *path, struct sbx_error *err)
{
	for (;;) {
		yaml_document_t next;
		yaml_node_t *root;
		struct node_view root_view;
		int extra;

		if (!api->yaml_parser_load(parser, &next))
			return syntax_error(path, parser, err);
		root = api->yaml_document_get_root_node(&next);
		if (!root) {
			api->yaml_document_delete(&next);
			return 0;
		}
		root_view = tree_view(root);
		extra = !is_null(&root_view);
		if (extra)
			one_document_error(path, next.start_mark, err);
		api->yaml_document_delete(&next);
		if (extra)
			return -1;
	}
}

static int read_tree(struct loader *ld, const struct yaml_api *api, yaml_parser_t *parser)
{
	yaml_document_t doc;
	yaml_node_t *root;
	int ret;

	if (!api->yaml_parser_load(parser, &doc))
		return syntax_error(ld->path, parser, ld->err);
	root = api->yaml_document_get_root_node(&doc);
	ret = root ? tree_root(ld, api, &doc, root) : 0;
	api->yaml_document_delete(&doc);
	if (ret == 0)
		ret = tree_no_more_documents(api, parser, ld->path, ld->err);
	return ret;
}

/* The event reader. */

/* What read_events returns, besides 0 and -1, when it met an anchor or
 * an alias: the file is read again by the loader. */
#define READ_WITH_LOADER 1

/* What one event leaves the event reader to do. */
enum event_step {
	GO_ON,
	DONE,	     /* the stream is read, or the error to report is set */
	WITH_LOADER, /* an anchor or an alias */
};

/* Where the event reader is in the stream. */
enum event_stage {
	BEFORE_DOCUMENT, /* the first document, or the next one */
	AT_ROOT,	 /* the first document's root node */
	AT_KEY,		 /* a key of the root mapping, or its end */
	AT_VALUE,	 /* the value of the key just read */
	AT_ITEM,	 /* an item of a list value, or its end */
	TO_DOCUMENT_END, /* nothing more to check in this document */
	AT_LATER_ROOT,	 /* the root of a document after the first */
};

/* The node an event starts; false for the events that start none. */
static bool event_view(const yaml_event_t *event, struct node_view *view)
{
	memset(view, 0, sizeof(*view));
	view->mark = event->start_mark;
	switch (event->type) {
	case YAML_SCALAR_EVENT:
		view->type = YAML_SCALAR_NODE;
		view->style = event->data.scalar.style;
		view->text = (const char *)event->data.scalar.value;
		return true;
	case YAML_SEQUENCE_START_EVENT:
		view->type = YAML_SEQUENCE_NODE;
		return true;
	case YAML_MAPPING_START_EVENT:
		view->type = YAML_MAPPING_NODE;
		return true;
	default:
		return false;
	}
}

static bool event_has_anchor(const yaml_event_t *event)
{
	switch (event->type) {
	case YAML_ALIAS_EVENT:
		return true;
	case YAML_SCALAR_EVENT:
		return event->data.scalar.anchor != NULL;
	case YAML_SEQUENCE_START_EVENT:
		return event->data.sequence_start.anchor != NULL;
	case YAML_MAPPING_START_EVENT:
		return event->data.mapping_start.anchor != NULL;
	default:
		return false;
	}
}

struct event_reader {
	struct loader *ld;
	enum event_stage stage;
	const struct sbx_setting_def *def; /* the key at AT_VALUE */
	bool in_first_document;
	/* A content error is set: the rest of the first document is only
	 * read for a syntax error, which is reported instead. */
	bool failed;
	bool later_document_has_content;
	yaml_mark_t document_start;
};

/* One event of the first document, while no error is set: -1 sets one. */
static int first_document_event(struct event_reader *rd, const yaml_event_t *event)
{
	struct node_view view;
	bool is_node = event_view(event, &view);
	int ret = 0;

	switch (rd->stage) {
	case AT_ROOT:
		ret = check_root(rd->ld, &view);
		rd->stage = ret > 0 ? AT_KEY : TO_DOCUMENT_END;
		break;
	case AT_KEY:
		if (!is_node) /* the root mapping's end */
			rd->stage = TO_DOCUMENT_END;
		else if ((ret = check_key(rd->ld, &view, &rd->def)) == 0)
			rd->stage = AT_VALUE;
		break;
	case AT_VALUE:
		ret = begin_value(rd->ld, rd->def, &view);
		rd->stage = ret > 0 ? AT_ITEM : AT_KEY;
		break;
	case AT_ITEM:
		if (!is_node) /* the list's end */
			rd->stage = AT_KEY;
		else
			ret = check_item(rd->ld, &view);
		break;
	default:
		break;
	}
	return ret < 0 ? -1 : 0;
}

/* One event; when DONE, *result is what the stream gives (0 or -1). */
static enum event_step reader_event(struct event_reader *rd, const yaml_event_t *event, int *result)
{
	struct node_view view;

	if (event_has_anchor(event))
		return WITH_LOADER;
	switch (event->type) {
	case YAML_STREAM_START_EVENT:
		return GO_ON;
	case YAML_STREAM_END_EVENT:
		*result = 0;
		return DONE;
	case YAML_DOCUMENT_START_EVENT:
		rd->document_start = event->start_mark;
		rd->stage = rd->in_first_document ? AT_ROOT : AT_LATER_ROOT;
		rd->later_document_has_content = false;
		return GO_ON;
	case YAML_DOCUMENT_END_EVENT:
		if (rd->failed || rd->later_document_has_content) {
			if (rd->later_document_has_content)
				one_document_error(rd->ld->path, rd->document_start, rd->ld->err);
			*result = -1;
			return DONE;
		}
		rd->in_first_document = false;
		rd->stage = BEFORE_DOCUMENT;
		return GO_ON;
	default:
		break;
	}
	if (rd->stage == AT_LATER_ROOT) {
		event_view(event, &view);
		rd->later_document_has_content = !is_null(&view);
		rd->stage = TO_DOCUMENT_END;
		return GO_ON;
	}
	if (rd->in_first_document && !rd->failed && first_document_event(rd, event) < 0)
		rd->failed = true;
	return GO_ON;
}

static int read_events(struct loader *ld, const struct yaml_api *api, yaml_parser_t *parser)
{
	struct event_reader rd = {.ld = ld, .stage = BEFORE_DOCUMENT, .in_first_document = true};
	int result = 0;

	for (;;) {
		yaml_event_t event;
		enum event_step step;

		if (!api->yaml_parser_parse(parser, &event))
			return syntax_error(ld->path, parser, ld->err);
		step = reader_event(&rd, &event, &result);
		api->yaml_event_delete(&event);
		if (step == WITH_LOADER)
			return READ_WITH_LOADER;
		if (step == DONE) {
			ld->out->rules_distinct = result == 0;
			return result;
		}
	}
}

static int read_stream(struct loader *ld, const struct yaml_api *api, const char *data, size_t len,
		       bool with_events)
{
	yaml_parser_t parser;
	int ret;

	if (!api->yaml_parser_initialize(&parser))
		return sbx_error_set(ld->err, "%s: cannot start the YAML parser", ld->path);
	api->yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	ret = with_events ? read_events(ld, api, &parser) : read_tree(ld, api, &parser);
	api->yaml_parser_delete(&parser);
	return ret;
}

static void doc_start(struct sbx_config_doc *out, const char *name)
{
	memset(out, 0, sizeof(*out));
	sbx_layer_init(&out->layer, name);
}

/* Reads with events when with_events, and with the loader when the file
 * asks for it (or when !with_events). */
static int parse_with(bool with_events, const char *data, size_t len, const char *path,
		      const char *base_dir, struct sbx_config_doc *out, struct sbx_error *err)
{
	struct yaml_api api = {0};
	struct loader ld = {.path = path, .base_dir = base_dir, .out = out, .err = err};
	char *name = sbx_xasprintf("config %s", path);
	int ret = -1;

	doc_start(out, name);
	sbx_buf_puts(&ld.where, path);
	sbx_buf_putc(&ld.where, ':');
	ld.where_prefix = ld.where.len;
	if (yaml_api_open(&api, err) == 0) {
		ret = read_stream(&ld, &api, data, len, with_events);
		if (ret == READ_WITH_LOADER) {
			/* Nothing read so far is kept: the loader reads from the start. */
			sbx_config_doc_free(out);
			doc_start(out, name);
			memset(ld.seen, 0, sizeof(ld.seen));
			ret = read_stream(&ld, &api, data, len, false);
		}
		sbx_lazy_close(api.handle);
	}
	free(name);
	sbx_buf_free(&ld.where);
	if (ret < 0)
		sbx_config_doc_free(out);
	return ret;
}

int sbx_config_parse(const char *data, size_t len, const char *path, const char *base_dir,
		     struct sbx_config_doc *out, struct sbx_error *err)
{
	return parse_with(true, data, len, path, base_dir, out, err);
}

int sbx_config_parse_with_loader(const char *data, size_t len, const char *path,
				 const char *base_dir, struct sbx_config_doc *out,
				 struct sbx_error *err)
{
	return parse_with(false, data, len, path, base_dir, out, err);
}

void sbx_config_doc_free(struct sbx_config_doc *doc)
{
	sbx_layer_free(&doc->layer);
	sbx_strv_free(&doc->extends);
	sbx_strv_free(&doc->extends_origin);
}
