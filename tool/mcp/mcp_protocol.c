/* SPDX-License-Identifier: Apache-2.0 */
/* MCP over JSON-RPC 2.0 for `--mode mcp`: validates each message, answers
 * what can be answered at once, hands tools/call to the host. Serves both
 * eras: the initialize handshake (2025-11-25, 2025-06-18, 2025-03-26,
 * 2024-11-05) and
 * 2026-07-28's per-request _meta, side by side in one process. */
#include "mcp_protocol.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/util.h"

#ifndef SBX_VERSION
#define SBX_VERSION "0"
#endif

#define META_VERSION	  "io.modelcontextprotocol/protocolVersion"
#define META_CAPABILITIES "io.modelcontextprotocol/clientCapabilities"
#define META_SERVER_INFO  "io.modelcontextprotocol/serverInfo"

struct sbx_mcp_version {
	const char *name;
	bool modern;	 /* per-request _meta, resultType, no handshake */
	bool structured; /* outputSchema and structuredContent */
	bool annotated;	 /* tool annotations, progress messages (from 2025-03-26) */
};

/* Newest first; the first legacy entry is what initialize falls back to. */
static const struct sbx_mcp_version versions[] = {
    {"2026-07-28", true, true, true},
    {"2025-11-25", false, true, true},
    {"2025-06-18", false, true, true},
    {"2025-03-26", false, false, true},
    /* Older clients still ask for it; what it lacks is left out of what
     * it is sent, the rest is the same exchange. */
    {"2024-11-05", false, false, false},
};
#define LATEST_LEGACY (&versions[1])

static const char instructions[] =
    "Every exec call runs under the Landlock policy this server was started with: "
    "files, directories and TCP ports the policy does not grant are denied "
    "(EACCES or EPERM), and there is no way to widen it from here. exec runs a "
    "program directly, not through a shell; pass the program as command and its "
    "arguments as args.";

static const struct sbx_mcp_version *version_find(const char *name)
{
	long i =
	    sbx_table_index(&versions[0].name, SBX_ARRAY_SIZE(versions), sizeof(versions[0]), name);

	return i < 0 ? NULL : &versions[i];
}

void sbx_mcp_session_init(struct sbx_mcp_session *s, const struct sbx_mcp_ops *ops,
			  const struct sbx_mcp_limits *limits, void *host)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->limits = *limits;
	s->host = host;
}

static void call_free(struct sbx_mcp_call *call)
{
	json_decref(call->id);
	json_decref(call->progress_token);
	free(call);
}

void sbx_mcp_session_free(struct sbx_mcp_session *s)
{
	while (s->calls) {
		struct sbx_mcp_call *next = s->calls->next;

		call_free(s->calls);
		s->calls = next;
	}
	s->ncalls = 0;
}

/* --- sending --- */

static void send_error(struct sbx_mcp_session *s, const json_t *id, int code, const char *message,
		       json_t *data)
{
	json_t *msg = sbx_mcp_json_checked(json_pack("{s:s, s:{s:i, s:s}}", "jsonrpc", "2.0",
						     "error", "code", code, "message", message));

	/* When the id could not be read, the response has none (MCP's
	 * JSONRPCErrorResponse makes it optional; null is not an id). */
	if (id)
		json_object_set(msg, "id", (json_t *)id);
	if (data)
		json_object_set_new(json_object_get(msg, "error"), "data", data);
	s->ops->send(s, msg);
	json_decref(msg);
}

static void send_errorf(struct sbx_mcp_session *s, const json_t *id, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* jansson refuses strings that are not UTF-8, and an error message may
 * quote the offending input (a parse error) or be cut mid-character by the
 * buffer: replace every byte outside a valid sequence with '?', so that a
 * hostile line gets its error response instead of ending the server. */
static void make_valid_utf8(char *text)
{
	unsigned char *p = (unsigned char *)text;
	size_t len = strlen(text), i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = sbx_utf8_decode(p + i, len - i, &cp);

		if (n == 0) {
			p[i++] = '?';
			continue;
		}
		i += n;
	}
}

static void send_errorf(struct sbx_mcp_session *s, const json_t *id, int code, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	make_valid_utf8(message);
	send_error(s, id, code, message, NULL);
}

static json_t *server_info(const struct sbx_mcp_version *v)
{
	json_t *info = sbx_mcp_json_checked(
	    json_pack("{s:s, s:s}", "name", "sandboxec", "version", SBX_VERSION));

	if (v->structured)
		json_object_set_new(info, "title", sbx_mcp_json_checked(json_string("sandboxec")));
	return info;
}

/* Sends a result (stolen), shaped for its revision: 2026-07-28 results carry
 * resultType and name the server in _meta. */
static void send_result(struct sbx_mcp_session *s, const json_t *id, json_t *result,
			const struct sbx_mcp_version *v)
{
	json_t *msg;

	if (v->modern) {
		json_object_set_new(result, "resultType",
				    sbx_mcp_json_checked(json_string("complete")));
		json_object_set_new(
		    result, "_meta",
		    sbx_mcp_json_checked(json_pack("{s:o}", META_SERVER_INFO, server_info(v))));
	}
	msg = sbx_mcp_json_checked(
	    json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id, "result", result));
	s->ops->send(s, msg);
	json_decref(msg);
}

static json_t *version_list(void)
{
	json_t *list = sbx_mcp_json_checked(json_array());
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(versions); i++)
		json_array_append_new(list, sbx_mcp_json_checked(json_string(versions[i].name)));
	return list;
}

static json_t *capabilities(void)
{
	return sbx_mcp_json_checked(json_pack("{s:{s:b}}", "tools", "listChanged", 0));
}

/* --- methods --- */

static void do_initialize(struct sbx_mcp_session *s, const json_t *id, const json_t *params)
{
	const json_t *asked = params ? json_object_get(params, "protocolVersion") : NULL;
	const struct sbx_mcp_version *v;

	if (!json_is_string(asked)) {
		send_error(s, id, SBX_MCP_INVALID_PARAMS,
			   "initialize needs params.protocolVersion (a string)", NULL);
		return;
	}
	/* A revision we speak is echoed; anything else (older, newer, or the
	 * handshake-less 2026-07-28) gets our latest handshake revision and the
	 * client decides whether it can go on. */
	v = version_find(json_string_value(asked));
	if (!v || v->modern)
		v = LATEST_LEGACY;
	s->legacy = v;
	send_result(
	    s, id,
	    sbx_mcp_json_checked(json_pack("{s:s, s:o, s:o, s:s}", "protocolVersion", v->name,
					   "capabilities", capabilities(), "serverInfo",
					   server_info(v), "instructions", instructions)),
	    v);
}

static void do_discover(struct sbx_mcp_session *s, const json_t *id,
			const struct sbx_mcp_version *v)
{
	send_result(s, id,
		    sbx_mcp_json_checked(json_pack("{s:o, s:o, s:s, s:i, s:s}", "supportedVersions",
						   version_list(), "capabilities", capabilities(),
						   "instructions", instructions, "ttlMs", 0,
						   "cacheScope", "private")),
		    v);
}

static void do_tools_list(struct sbx_mcp_session *s, const json_t *id, const json_t *params,
			  const struct sbx_mcp_version *v)
{
	const json_t *cursor = params ? json_object_get(params, "cursor") : NULL;
	json_t *result, *tool;

	/* One page only: no cursor we hand out exists, so any is invalid. */
	if (cursor && !json_is_null(cursor)) {
		send_error(s, id, SBX_MCP_INVALID_PARAMS, "Invalid cursor", NULL);
		return;
	}
	tool = sbx_mcp_tool_describe(&s->limits, v->structured);
	if (!v->annotated)
		json_object_del(tool, "annotations");
	result = sbx_mcp_json_checked(json_pack("{s:[o]}", "tools", tool));
	if (v->modern) {
		json_object_set_new(result, "ttlMs", sbx_mcp_json_checked(json_integer(0)));
		json_object_set_new(result, "cacheScope",
				    sbx_mcp_json_checked(json_string("private")));
	}
	send_result(s, id, result, v);
}

static struct sbx_mcp_call *call_find(struct sbx_mcp_session *s, const json_t *id)
{
	struct sbx_mcp_call *call;

	for (call = s->calls; call; call = call->next) {
		if (json_equal(call->id, (json_t *)id))
			return call;
	}
	return NULL;
}

/* params._meta.progressToken, a string or an integer, copied; NULL when
 * the client asked for no progress (or named it as nothing MCP allows). */
static json_t *progress_token(const json_t *params)
{
	const json_t *meta = json_object_get(params, "_meta");
	const json_t *token = json_is_object(meta) ? json_object_get(meta, "progressToken") : NULL;

	if (!json_is_string(token) && !json_is_integer(token))
		return NULL;
	return json_deep_copy(token);
}

void sbx_mcp_call_progress(struct sbx_mcp_session *s, const struct sbx_mcp_call *call,
			   double progress, const char *message)
{
	json_t *params, *msg;

	if (!call->progress_token || call->cancelled)
		return;
	params = sbx_mcp_json_checked(
	    json_pack("{s:O, s:f}", "progressToken", call->progress_token, "progress", progress));
	if (message && call->version->annotated)
		json_object_set_new(params, "message", sbx_mcp_json_checked(json_string(message)));
	msg = sbx_mcp_json_checked(json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method",
					     "notifications/progress", "params", params));
	s->ops->send(s, msg);
	json_decref(msg);
}

static void do_tools_call(struct sbx_mcp_session *s, const json_t *id, const json_t *params,
			  const struct sbx_mcp_version *v)
{
	const json_t *name = params ? json_object_get(params, "name") : NULL;
	struct sbx_mcp_exec_args args;
	struct sbx_mcp_call *call;
	char *why = NULL, *message;

	if (!json_is_string(name)) {
		send_error(s, id, SBX_MCP_INVALID_PARAMS, "tools/call needs params.name (a string)",
			   NULL);
		return;
	}
	if (strcmp(json_string_value(name), SBX_MCP_TOOL_NAME) != 0 ||
	    json_string_length(name) != strlen(SBX_MCP_TOOL_NAME)) {
		send_error(s, id, SBX_MCP_INVALID_PARAMS,
			   "Unknown tool: this server has one tool, \"" SBX_MCP_TOOL_NAME "\"",
			   sbx_mcp_json_checked(json_pack("{s:O}", "name", name)));
		return;
	}
	if (call_find(s, id)) {
		send_error(s, id, SBX_MCP_INVALID_REQUEST,
			   "Invalid Request: this id belongs to a call still running", NULL);
		return;
	}
	if (sbx_mcp_exec_args_parse(json_object_get(params, "arguments"), &s->limits, &args, &why) <
	    0) {
		message = sbx_xasprintf("sandboxec: exec: %s", why);
		send_result(s, id, sbx_mcp_tool_error(message), v);
		free(message);
		free(why);
		return;
	}
	if (s->ncalls >= SBX_MCP_MAX_CALLS) {
		sbx_mcp_exec_args_free(&args);
		message = sbx_xasprintf("sandboxec: exec: %d calls are already running; wait "
					"for one to finish",
					SBX_MCP_MAX_CALLS);
		send_result(s, id, sbx_mcp_tool_error(message), v);
		free(message);
		return;
	}
	call = sbx_xcalloc(1, sizeof(*call));
	call->id = json_deep_copy(id);
	call->version = v;
	call->progress_token = progress_token(params);
	call->next = s->calls;
	s->calls = call;
	s->ncalls++;
	/* May end the call before returning (a command that cannot start):
	 * `call` is not touched after this. */
	s->ops->exec_start(s, call, &args);
}

void sbx_mcp_call_done(struct sbx_mcp_session *s, struct sbx_mcp_call *call,
		       const struct sbx_mcp_exec_outcome *outcome)
{
	struct sbx_mcp_call **link;

	for (link = &s->calls; *link; link = &(*link)->next) {
		if (*link == call) {
			*link = call->next;
			s->ncalls--;
			break;
		}
	}
	/* A cancelled request gets no response (MCP cancellation). */
	if (!call->cancelled)
		send_result(s, call->id, sbx_mcp_tool_result(outcome, call->version->structured),
			    call->version);
	call_free(call);
}

static void on_notification(struct sbx_mcp_session *s, const char *method, const json_t *params)
{
	struct sbx_mcp_call *call;
	const json_t *target;

	if (strcmp(method, "notifications/cancelled") != 0 || !json_is_object(params))
		return; /* initialized, progress, roots/list_changed, unknown: nothing to do */
	target = json_object_get(params, "requestId");
	if (!target || !(json_is_string(target) || json_is_number(target)))
		return;
	call = call_find(s, target);
	if (call && !call->cancelled) {
		call->cancelled = true;
		s->ops->exec_cancel(s, call);
	}
}

/* Which revision a request speaks: its own _meta (2026-07-28), or the one
 * the handshake negotiated. NULL when an error was sent instead. */
static const struct sbx_mcp_version *request_version(struct sbx_mcp_session *s, const json_t *id,
						     const char *method, const json_t *params)
{
	const json_t *meta = params ? json_object_get(params, "_meta") : NULL;
	const json_t *asked = json_is_object(meta) ? json_object_get(meta, META_VERSION) : NULL;
	const struct sbx_mcp_version *v;

	if (!asked) {
		if (strcmp(method, "server/discover") == 0) {
			send_error(s, id, SBX_MCP_INVALID_PARAMS,
				   "server/discover needs params._meta[\"" META_VERSION
				   "\"] and [\"" META_CAPABILITIES "\"] (revision 2026-07-28)",
				   NULL);
			return NULL;
		}
		return s->legacy ? s->legacy : LATEST_LEGACY;
	}
	if (!json_is_string(asked)) {
		send_error(s, id, SBX_MCP_INVALID_PARAMS,
			   "params._meta[\"" META_VERSION "\"] must be a string", NULL);
		return NULL;
	}
	v = version_find(json_string_value(asked));
	if (!v) {
		send_error(s, id, SBX_MCP_UNSUPPORTED_VERSION, "Unsupported protocol version",
			   sbx_mcp_json_checked(json_pack("{s:o, s:O}", "supported", version_list(),
							  "requested", asked)));
		return NULL;
	}
	if (!json_is_object(json_object_get(meta, META_CAPABILITIES))) {
		send_error(s, id, SBX_MCP_INVALID_PARAMS,
			   "params._meta[\"" META_CAPABILITIES "\"] is required (an object)", NULL);
		return NULL;
	}
	return v;
}

static void on_request(struct sbx_mcp_session *s, const json_t *id, const char *method,
		       const json_t *params)
{
	const struct sbx_mcp_version *v;

	/* initialize belongs to the handshake revisions whatever _meta says. */
	if (strcmp(method, "initialize") == 0) {
		do_initialize(s, id, params);
		return;
	}
	v = request_version(s, id, method, params);
	if (!v)
		return;
	if (strcmp(method, "ping") == 0)
		send_result(s, id, sbx_mcp_json_checked(json_object()), v);
	else if (strcmp(method, "server/discover") == 0)
		do_discover(s, id, v);
	else if (strcmp(method, "tools/list") == 0)
		do_tools_list(s, id, params, v);
	else if (strcmp(method, "tools/call") == 0)
		do_tools_call(s, id, params, v);
	else
		send_errorf(s, id, SBX_MCP_METHOD_NOT_FOUND, "Method not found: %.200s", method);
}

static void on_message(struct sbx_mcp_session *s, const json_t *msg)
{
	const json_t *id, *method, *params, *jsonrpc;
	bool valid_version;

	if (!json_is_object(msg)) {
		send_error(s, NULL, SBX_MCP_INVALID_REQUEST,
			   json_is_array(msg) ? "Invalid Request: batches are not supported; "
						"send one message per line"
					      : "Invalid Request: a message is a JSON object",
			   NULL);
		return;
	}
	id = json_object_get(msg, "id");
	method = json_object_get(msg, "method");
	params = json_object_get(msg, "params");
	jsonrpc = json_object_get(msg, "jsonrpc");
	valid_version = json_is_string(jsonrpc) && strcmp(json_string_value(jsonrpc), "2.0") == 0;
	/* A notification is never answered, even when it is malformed. */
	if (!id && json_is_string(method)) {
		if (valid_version &&
		    memchr(json_string_value(method), '\0', json_string_length(method)) == NULL)
			on_notification(s, json_string_value(method), params);
		return;
	}
	if (id && !json_is_string(id) && !json_is_number(id)) {
		send_error(s, NULL, SBX_MCP_INVALID_REQUEST,
			   "Invalid Request: \"id\" must be a string or a number", NULL);
		return;
	}
	if (!valid_version) {
		send_error(s, id, SBX_MCP_INVALID_REQUEST,
			   "Invalid Request: \"jsonrpc\" must be \"2.0\"", NULL);
		return;
	}
	if (!method) {
		/* A response to us: we send no requests, so nothing awaits it. */
		if (id && (json_object_get(msg, "result") || json_object_get(msg, "error")))
			return;
		send_error(s, id, SBX_MCP_INVALID_REQUEST, "Invalid Request: no \"method\"", NULL);
		return;
	}
	if (!json_is_string(method) ||
	    memchr(json_string_value(method), '\0', json_string_length(method))) {
		send_error(s, id, SBX_MCP_INVALID_REQUEST,
			   "Invalid Request: \"method\" must be a string", NULL);
		return;
	}
	if (params && !json_is_object(params)) {
		send_error(s, id,
			   json_is_array(params) ? SBX_MCP_INVALID_PARAMS : SBX_MCP_INVALID_REQUEST,
			   "\"params\" must be an object", NULL);
		return;
	}
	on_request(s, id, json_string_value(method), params);
}

void sbx_mcp_handle_line(struct sbx_mcp_session *s, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *msg;
	size_t i;

	for (i = 0; i < len; i++) {
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			break;
	}
	if (i == len)
		return; /* blank line: nothing was sent */
	msg =
	    json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!msg) {
		send_errorf(s, NULL, SBX_MCP_PARSE_ERROR, "Parse error: %s (line %d, column %d)",
			    jerr.text, jerr.line, jerr.column);
		return;
	}
	on_message(s, msg);
	json_decref(msg);
}

void sbx_mcp_reject_oversized(struct sbx_mcp_session *s, size_t limit)
{
	send_errorf(s, NULL, SBX_MCP_INVALID_REQUEST,
		    "Invalid Request: message longer than %zu bytes; dropped", limit);
}
