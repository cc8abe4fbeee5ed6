/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for mcp_protocol.c, with no process and no pipe: lines go in
 * through sbx_mcp_handle_line(), responses are caught by a fake host that
 * also holds tool calls until a test ends them (docs/mcp.md "Protocol"). */
#include "unit_helpers.h"

#include <jansson.h>

#include "engine/util.h"
#include "mcp/mcp_protocol.h"

#define MAX_SENT  128
#define MAX_CALLS (SBX_MCP_MAX_CALLS + 4)

#define MODERN_META                                                                                \
	"\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","                   \
	"\"io.modelcontextprotocol/clientCapabilities\":{}}"

/* What the session sent and which calls it started or cancelled. */
struct fake {
	struct sbx_mcp_session s;
	json_t *sent[MAX_SENT];
	size_t nsent, next; /* next: the first message not yet taken */
	struct sbx_mcp_call *started[MAX_CALLS];
	struct sbx_mcp_exec_args args[MAX_CALLS];
	size_t nstarted;
	size_t ncancelled;
};

static void fake_send(struct sbx_mcp_session *s, json_t *msg)
{
	struct fake *f = s->host;
	char *text = json_dumps(msg, JSON_COMPACT);

	/* What the real host would write: one line of valid JSON. */
	assert_non_null(text);
	assert_null(strchr(text, '\n'));
	free(text);
	assert_true(f->nsent < MAX_SENT);
	f->sent[f->nsent++] = json_incref(msg);
}

static void fake_exec_start(struct sbx_mcp_session *s, struct sbx_mcp_call *call,
			    struct sbx_mcp_exec_args *args)
{
	struct fake *f = s->host;

	assert_true(f->nstarted < MAX_CALLS);
	call->host = &f->args[f->nstarted];
	f->started[f->nstarted] = call;
	f->args[f->nstarted++] = *args;
	memset(args, 0, sizeof(*args));
}

static void fake_exec_cancel(struct sbx_mcp_session *s, struct sbx_mcp_call *call)
{
	struct fake *f = s->host;

	(void)call;
	f->ncancelled++;
}

static const struct sbx_mcp_ops fake_ops = {
    .send = fake_send,
    .exec_start = fake_exec_start,
    .exec_cancel = fake_exec_cancel,
};

static int setup(void **state)
{
	struct sbx_mcp_limits limits = {.max_output = 1024, .max_timeout_ms = 5000};
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	sbx_mcp_session_init(&f->s, &fake_ops, &limits, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < f->nsent; i++)
		json_decref(f->sent[i]);
	for (i = 0; i < f->nstarted; i++)
		sbx_mcp_exec_args_free(&f->args[i]);
	sbx_mcp_session_free(&f->s);
	free(f);
	return 0;
}

static void feed(struct fake *f, const char *line)
{
	sbx_mcp_handle_line(&f->s, line, strlen(line));
}

/* The one response to what was fed since the last take. */
static const json_t *take(struct fake *f)
{
	if (f->nsent != f->next + 1)
		fail_msg("expected one response, got %zu", f->nsent - f->next);
	return f->sent[f->next++];
}

static void expect_silence(struct fake *f)
{
	if (f->nsent != f->next) {
		char *text = json_dumps(f->sent[f->next], JSON_COMPACT);

		fail_msg("expected no response, got %s", text);
	}
}

/* Feeds a request and returns its response. */
static const json_t *ask(struct fake *f, const char *line)
{
	feed(f, line);
	return take(f);
}

static const char *string_at(const json_t *obj, const char *path)
{
	char *copy = strdup(path), *key, *save = NULL;
	const json_t *v = obj;

	for (key = strtok_r(copy, ".", &save); key && v; key = strtok_r(NULL, ".", &save))
		v = json_object_get(v, key);
	free(copy);
	if (!json_is_string(v))
		fail_msg("%s is not a string", path);
	return json_string_value(v);
}

/* An error response: its code, and its id (as JSON text) or none at all. */
static void expect_error(const json_t *msg, int code, const char *id_json)
{
	const json_t *err = json_object_get(msg, "error");
	const json_t *id = json_object_get(msg, "id");

	assert_string_equal(string_at(msg, "jsonrpc"), "2.0");
	if (!json_is_object(err))
		fail_msg("not an error response: %s", json_dumps(msg, JSON_COMPACT));
	assert_int_equal(json_integer_value(json_object_get(err, "code")), code);
	assert_true(json_is_string(json_object_get(err, "message")));
	assert_null(json_object_get(msg, "result"));
	if (!id_json) {
		assert_null(id);
	} else {
		json_t *want = json_loadb(id_json, strlen(id_json), JSON_DECODE_ANY, NULL);

		assert_non_null(want);
		assert_true(json_equal(id, want));
		json_decref(want);
	}
}

static const json_t *result_of(const json_t *msg, const char *id_json)
{
	const json_t *result = json_object_get(msg, "result");
	json_t *want = json_loadb(id_json, strlen(id_json), JSON_DECODE_ANY, NULL);

	if (!json_is_object(result))
		fail_msg("not a result: %s", json_dumps(msg, JSON_COMPACT));
	assert_true(json_equal(json_object_get(msg, "id"), want));
	json_decref(want);
	return result;
}

static void initialize(struct fake *f, const char *version)
{
	char *line = sbx_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
				   "\"params\":{\"protocolVersion\":\"%s\",\"capabilities\":{}}}",
				   version);

	result_of(ask(f, line), "0");
	free(line);
}

/* --- the handshake --- */

static void test_initialize_answers_what_the_server_is(void **state)
{
	struct fake *f = *state;
	const json_t *r;

	r = result_of(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
			     "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
			     "\"clientInfo\":{\"name\":\"t\",\"version\":\"0\"}}}"),
		      "1");
	assert_string_equal(string_at(r, "protocolVersion"), "2025-11-25");
	assert_string_equal(string_at(r, "serverInfo.name"), "sandboxec");
	assert_string_equal(string_at(r, "serverInfo.version"), SBX_VERSION);
	assert_string_equal(string_at(r, "serverInfo.title"), "sandboxec");
	assert_true(json_is_object(json_object_get(json_object_get(r, "capabilities"), "tools")));
	assert_contains(string_at(r, "instructions"), "Landlock policy");
	/* Only 2026-07-28 results carry resultType. */
	assert_null(json_object_get(r, "resultType"));
	/* notifications/initialized is not answered; ping is. */
	feed(f, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
	expect_silence(f);
	r = result_of(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}"), "\"p\"");
	assert_null(json_object_iter((json_t *)r));
}

static void test_initialize_negotiates_the_version(void **state)
{
	static const struct {
		const char *asked, *got;
		bool title; /* serverInfo.title and structured output came in 2025-06-18 */
	} cases[] = {
	    {"2025-11-25", "2025-11-25", true},	 {"2025-06-18", "2025-06-18", true},
	    {"2025-03-26", "2025-03-26", false}, {"2024-11-05", "2024-11-05", false},
	    {"2026-07-28", "2025-11-25", true}, /* handshake-less: not via initialize */
	    {"1999-01-01", "2025-11-25", true},	 {"", "2025-11-25", true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++) {
		void *fresh;
		struct fake *f;
		const json_t *r;
		char *line =
		    sbx_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
				  "\"params\":{\"protocolVersion\":\"%s\"}}",
				  cases[i].asked);

		setup(&fresh);
		f = fresh;
		r = result_of(ask(f, line), "1");
		assert_string_equal(string_at(r, "protocolVersion"), cases[i].got);
		assert_int_equal(json_object_get(json_object_get(r, "serverInfo"), "title") != NULL,
				 cases[i].title);
		free(line);
		teardown(&fresh);
	}
}

static void test_initialize_needs_a_version_string(void **state)
{
	struct fake *f = *state;

	expect_error(
	    ask(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"),
	    SBX_MCP_INVALID_PARAMS, "1");
	expect_error(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\"}"),
		     SBX_MCP_INVALID_PARAMS, "2");
	expect_error(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\","
			    "\"params\":{\"protocolVersion\":20251125}}"),
		     SBX_MCP_INVALID_PARAMS, "3");
	assert_null(f->s.legacy);
}

/* --- tools/list --- */

static void test_tools_list_describes_exec(void **state)
{
	struct fake *f = *state;
	const json_t *r, *tool;

	initialize(f, "2025-06-18");
	r = result_of(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"), "2");
	assert_int_equal(json_array_size(json_object_get(r, "tools")), 1);
	tool = json_array_get(json_object_get(r, "tools"), 0);
	assert_string_equal(string_at(tool, "name"), "exec");
	assert_string_equal(string_at(tool, "inputSchema.type"), "object");
	assert_string_equal(string_at(tool, "outputSchema.type"), "object");
	assert_contains(string_at(tool, "inputSchema.properties.timeout_ms.description"),
			"maximum of 5000");
	assert_null(json_object_get(r, "nextCursor"));
	/* A null cursor is the first page; any other names a page that is not. */
	result_of(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\","
			 "\"params\":{\"cursor\":null}}"),
		  "3");
	expect_error(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\","
			    "\"params\":{\"cursor\":\"x\"}}"),
		     SBX_MCP_INVALID_PARAMS, "4");
}

static void test_tools_list_for_2024_11_05_has_no_annotations(void **state)
{
	struct fake *f = *state;
	const json_t *r, *tool;

	initialize(f, "2024-11-05");
	r = result_of(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"), "2");
	tool = json_array_get(json_object_get(r, "tools"), 0);
	assert_string_equal(string_at(tool, "name"), "exec");
	assert_null(json_object_get(tool, "annotations"));
	assert_null(json_object_get(tool, "outputSchema"));
	assert_null(json_object_get(tool, "title"));
}

static void test_tools_list_for_2025_03_26_has_no_output_schema(void **state)
{
	struct fake *f = *state;
	const json_t *r;

	initialize(f, "2025-03-26");
	r = result_of(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"), "2");
	assert_null(
	    json_object_get(json_array_get(json_object_get(r, "tools"), 0), "outputSchema"));
}

/* --- what is not a request --- */

static void test_malformed_lines_are_parse_errors_without_id(void **state)
{
	static const char *const lines[] = {
	    "{",
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"",
	    "nul",
	    "{\"a\":1}}",
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} trailing",
	    "{'single':'quotes'}",
	    "{\"jsonrpc\":\"2.0\",\"id\":9,\"id\":10,\"method\":\"ping\"}", /* duplicate key */
	    "\xff\xfe",							    /* not UTF-8 */
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xc3\x28\"}",
	};
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(lines); i++) {
		const json_t *r = ask(f, lines[i]);

		expect_error(r, SBX_MCP_PARSE_ERROR, NULL);
		assert_contains(string_at(r, "error.message"), "Parse error: ");
	}
}

static void test_parse_error_quoting_invalid_utf8_is_still_sent(void **state)
{
	/* The parser's message quotes the bytes where it stopped (found by
	 * fuzz_mcp): they must not make the error itself unsendable. */
	static const char line[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\\u1\xcb\x99\x99";
	struct fake *f = *state;
	const json_t *r = ask(f, line);

	expect_error(r, SBX_MCP_PARSE_ERROR, NULL);
	assert_not_contains(string_at(r, "error.message"), "\x99");
}

static void test_blank_lines_are_not_messages(void **state)
{
	struct fake *f = *state;

	feed(f, "");
	feed(f, "   ");
	feed(f, " \t\r ");
	expect_silence(f);
}

static void test_json_that_is_not_an_object_is_an_invalid_request(void **state)
{
	static const char *const lines[] = {"5", "\"str\"", "null", "true", "[]"};
	struct fake *f = *state;
	const json_t *r;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(lines); i++)
		expect_error(ask(f, lines[i]), SBX_MCP_INVALID_REQUEST, NULL);
	r = ask(f, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
	expect_error(r, SBX_MCP_INVALID_REQUEST, NULL);
	assert_contains(string_at(r, "error.message"), "batches are not supported");
}

static void test_ids_that_are_not_strings_or_numbers_are_refused_without_id(void **state)
{
	static const char *const ids[] = {"null", "{\"a\":1}", "[1]", "true", "false"};
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(ids); i++) {
		char *line =
		    sbx_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}", ids[i]);

		expect_error(ask(f, line), SBX_MCP_INVALID_REQUEST, NULL);
		free(line);
	}
}

static void test_string_and_number_ids_are_echoed(void **state)
{
	static const char *const ids[] = {"\"abc\"", "\"\"", "\"\xc3\xbcn\"",	 "0",
					  "-3",	     "1.5",  "9007199254740991", "12345678901234"};
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(ids); i++) {
		char *line =
		    sbx_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}", ids[i]);

		result_of(ask(f, line), ids[i]);
		free(line);
	}
}

static void test_bad_envelopes_are_invalid_requests_with_the_id(void **state)
{
	static const struct {
		const char *line;
		const char *id; /* NULL: the error has no id */
	} cases[] = {
	    {"{\"id\":\"e1\",\"method\":\"ping\"}", "\"e1\""},
	    {"{\"jsonrpc\":\"1.0\",\"id\":\"e2\",\"method\":\"ping\"}", "\"e2\""},
	    {"{\"jsonrpc\":2,\"id\":\"e3\",\"method\":\"ping\"}", "\"e3\""},
	    {"{\"jsonrpc\":\"2.0\",\"id\":\"e4\",\"method\":5}", "\"e4\""},
	    {"{\"jsonrpc\":\"2.0\",\"id\":\"e5\"}", "\"e5\""},
	    {"{\"jsonrpc\":\"2.0\",\"id\":\"e6\",\"method\":\"ping\",\"params\":3}", "\"e6\""},
	    {"{\"jsonrpc\":\"2.0\",\"id\":\"e7\",\"method\":\"pi\\u0000ng\"}", "\"e7\""},
	    {"{\"jsonrpc\":\"2.0\",\"method\":7}", NULL},
	};
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++)
		expect_error(ask(f, cases[i].line), SBX_MCP_INVALID_REQUEST, cases[i].id);
}

static void test_notifications_are_never_answered(void **state)
{
	static const char *const lines[] = {
	    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
	    "{\"jsonrpc\":\"2.0\",\"method\":\"no/such/notification\",\"params\":{\"x\":1}}",
	    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
	    "\"params\":{\"requestId\":\"nobody\"}}",
	    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":\"bad\"}",
	    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\"}",
	    "{\"jsonrpc\":\"1.0\",\"method\":\"wrong/version\"}",
	    "{\"method\":\"no/jsonrpc\"}",
	    "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"exec\","
	    "\"arguments\":{\"command\":\"true\"}}}",
	    "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":[1]}",
	};
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(lines); i++)
		feed(f, lines[i]);
	expect_silence(f);
	assert_int_equal(f->nstarted, 0);
}

static void test_responses_from_the_client_are_ignored(void **state)
{
	struct fake *f = *state;

	feed(f, "{\"jsonrpc\":\"2.0\",\"id\":77,\"result\":{}}");
	feed(f, "{\"jsonrpc\":\"2.0\",\"id\":78,\"error\":{\"code\":1,\"message\":\"x\"}}");
	expect_silence(f);
}

/* --- methods and params --- */

static void test_unknown_methods_are_method_not_found(void **state)
{
	static const char *const methods[] = {"no/such", "resources/list", "prompts/list", "Ping"};
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(methods); i++) {
		char *line = sbx_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":\"u\",\"method\":\"%s\"}",
					   methods[i]);
		char *message = sbx_xasprintf("Method not found: %s", methods[i]);
		const json_t *r = ask(f, line);

		expect_error(r, SBX_MCP_METHOD_NOT_FOUND, "\"u\"");
		assert_string_equal(string_at(r, "error.message"), message);
		free(message);
		free(line);
	}
}

static void test_invalid_params_are_minus_32602(void **state)
{
	static const char *const lines[] = {
	    "{\"jsonrpc\":\"2.0\",\"id\":\"p1\",\"method\":\"tools/list\",\"params\":[1]}",
	    "{\"jsonrpc\":\"2.0\",\"id\":\"p1\",\"method\":\"tools/call\",\"params\":{}}",
	    "{\"jsonrpc\":\"2.0\",\"id\":\"p1\",\"method\":\"tools/call\"}",
	    "{\"jsonrpc\":\"2.0\",\"id\":\"p1\",\"method\":\"tools/call\","
	    "\"params\":{\"name\":5}}",
	    "{\"jsonrpc\":\"2.0\",\"id\":\"p1\",\"method\":\"tools/call\","
	    "\"params\":{\"name\":\"exec\\u0000x\"}}",
	};
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(lines); i++)
		expect_error(ask(f, lines[i]), SBX_MCP_INVALID_PARAMS, "\"p1\"");
	assert_int_equal(f->nstarted, 0);
}

static void test_unknown_tool_names_it_in_the_error(void **state)
{
	struct fake *f = *state;
	const json_t *r = ask(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
				 "\"params\":{\"name\":\"rm\"}}");

	expect_error(r, SBX_MCP_INVALID_PARAMS, "1");
	assert_string_equal(string_at(r, "error.data.name"), "rm");
}

/* --- tools/call through the host --- */

static const char exec_echo[] = "{\"jsonrpc\":\"2.0\",\"id\":\"c\",\"method\":\"tools/call\","
				"\"params\":{\"name\":\"exec\",\"arguments\":"
				"{\"command\":\"echo\",\"args\":[\"x\"],\"timeout_ms\":999999}}}";

static void test_a_call_is_answered_when_the_host_ends_it(void **state)
{
	struct fake *f = *state;
	struct sbx_mcp_exec_outcome o = {.out = "x\n", .out_len = 2, .err = "", .exit_code = 0};
	const json_t *r;

	initialize(f, "2025-11-25");
	feed(f, exec_echo);
	expect_silence(f);
	assert_int_equal(f->nstarted, 1);
	assert_string_equal(f->args[0].argv[0], "echo");
	assert_string_equal(f->args[0].argv[1], "x");
	assert_null(f->args[0].argv[2]);
	assert_int_equal(f->args[0].timeout_ms, 5000); /* lowered to --max-timeout-ms */
	assert_int_equal(f->s.ncalls, 1);
	sbx_mcp_call_done(&f->s, f->started[0], &o);
	r = result_of(take(f), "\"c\"");
	assert_string_equal(string_at(r, "structuredContent.stdout"), "x\n");
	assert_true(json_is_false(json_object_get(r, "isError")));
	assert_int_equal(f->s.ncalls, 0);
}

static void test_bad_arguments_are_tool_errors_and_start_nothing(void **state)
{
	static const char *const arguments[] = {
	    "5",
	    "{}",
	    "{\"command\":\"\"}",
	    "{\"command\":\"echo\",\"args\":[1]}",
	    "{\"command\":\"echo\",\"timeout_ms\":0}",
	    "{\"command\":\"echo\",\"extra\":1}",
	};
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(arguments); i++) {
		char *line =
		    sbx_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
				  "\"params\":{\"name\":\"exec\",\"arguments\":%s}}",
				  arguments[i]);
		const json_t *r = result_of(ask(f, line), "1");

		assert_true(json_is_true(json_object_get(r, "isError")));
		assert_contains(string_at(json_array_get(json_object_get(r, "content"), 0), "text"),
				"sandboxec: exec: ");
		free(line);
	}
	assert_int_equal(f->nstarted, 0);
}

static void test_a_running_call_id_cannot_be_reused(void **state)
{
	struct fake *f = *state;
	struct sbx_mcp_exec_outcome o = {.exit_code = 0};

	feed(f, exec_echo);
	expect_error(ask(f, exec_echo), SBX_MCP_INVALID_REQUEST, "\"c\"");
	assert_int_equal(f->nstarted, 1);
	sbx_mcp_call_done(&f->s, f->started[0], &o);
	result_of(take(f), "\"c\"");
	/* Once answered, the id is free again. */
	feed(f, exec_echo);
	assert_int_equal(f->nstarted, 2);
	sbx_mcp_call_done(&f->s, f->started[1], &o);
	result_of(take(f), "\"c\"");
}

static void test_a_cancelled_call_gets_no_response(void **state)
{
	struct fake *f = *state;
	struct sbx_mcp_exec_outcome o = {.exit_code = 137, .signal = 9};

	feed(f, "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\","
		"\"params\":{\"name\":\"exec\",\"arguments\":{\"command\":\"sleep\"}}}");
	/* Another id, a string for the same number: neither is this call. */
	feed(f, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
		"\"params\":{\"requestId\":43}}");
	feed(f, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
		"\"params\":{\"requestId\":\"42\"}}");
	assert_int_equal(f->ncancelled, 0);
	feed(f, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
		"\"params\":{\"requestId\":42,\"reason\":\"t\"}}");
	assert_int_equal(f->ncancelled, 1);
	assert_true(f->started[0]->cancelled);
	/* A second cancellation does not kill it twice. */
	feed(f, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
		"\"params\":{\"requestId\":42}}");
	assert_int_equal(f->ncancelled, 1);
	sbx_mcp_call_done(&f->s, f->started[0], &o);
	expect_silence(f);
	assert_null(f->s.calls);
}

static void test_at_most_64_calls_run_at_once(void **state)
{
	struct fake *f = *state;
	struct sbx_mcp_exec_outcome o = {.exit_code = 0};
	const json_t *r;
	size_t i;

	for (i = 0; i < SBX_MCP_MAX_CALLS; i++) {
		char *line =
		    sbx_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":%zu,\"method\":\"tools/call\","
				  "\"params\":{\"name\":\"exec\",\"arguments\":"
				  "{\"command\":\"sleep\"}}}",
				  i);

		feed(f, line);
		free(line);
	}
	expect_silence(f);
	r = result_of(ask(f, exec_echo), "\"c\"");
	assert_true(json_is_true(json_object_get(r, "isError")));
	assert_contains(string_at(json_array_get(json_object_get(r, "content"), 0), "text"),
			"64 calls are already running");
	assert_int_equal(f->nstarted, SBX_MCP_MAX_CALLS);
	for (i = 0; i < SBX_MCP_MAX_CALLS; i++)
		sbx_mcp_call_done(&f->s, f->started[i], &o);
	assert_int_equal(f->nsent - f->next, SBX_MCP_MAX_CALLS);
	f->next = f->nsent;
	assert_int_equal(f->s.ncalls, 0);
}

/* --- 2026-07-28: per-request _meta, server/discover --- */

static void test_server_discover_lists_every_version(void **state)
{
	static const char *const want[] = {"2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26",
					   "2024-11-05"};
	struct fake *f = *state;
	const json_t *r, *list;
	size_t i;

	r = result_of(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":\"d\",\"method\":\"server/discover\","
			     "\"params\":{" MODERN_META "}}"),
		      "\"d\"");
	list = json_object_get(r, "supportedVersions");
	assert_int_equal(json_array_size(list), SBX_ARRAY_SIZE(want));
	for (i = 0; i < SBX_ARRAY_SIZE(want); i++)
		assert_string_equal(json_string_value(json_array_get(list, i)), want[i]);
	assert_string_equal(string_at(r, "resultType"), "complete");
	assert_true(json_is_integer(json_object_get(r, "ttlMs")));
	assert_true(json_is_object(json_object_get(json_object_get(r, "capabilities"), "tools")));
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(json_object_get(r, "_meta"), "io.modelcontextprotocol/serverInfo"),
		"name")),
	    "sandboxec");
	assert_null(f->s.legacy); /* no handshake happened */
}

static void test_modern_requests_without_a_handshake(void **state)
{
	struct fake *f = *state;
	struct sbx_mcp_exec_outcome o = {.out = "m\n", .out_len = 2};
	const json_t *r;

	r = result_of(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":\"l\",\"method\":\"tools/list\","
			     "\"params\":{" MODERN_META "}}"),
		      "\"l\"");
	assert_string_equal(string_at(r, "resultType"), "complete");
	assert_string_equal(string_at(r, "cacheScope"), "private");
	assert_string_equal(string_at(json_array_get(json_object_get(r, "tools"), 0), "name"),
			    "exec");
	feed(f, "{\"jsonrpc\":\"2.0\",\"id\":\"c\",\"method\":\"tools/call\",\"params\":{"
		"\"name\":\"exec\",\"arguments\":{\"command\":\"echo\"}," MODERN_META "}}");
	sbx_mcp_call_done(&f->s, f->started[0], &o);
	r = result_of(take(f), "\"c\"");
	assert_string_equal(string_at(r, "resultType"), "complete");
	assert_string_equal(string_at(r, "structuredContent.stdout"), "m\n");
}

static void test_both_eras_side_by_side(void **state)
{
	struct fake *f = *state;
	const json_t *r;

	initialize(f, "2025-03-26");
	r = result_of(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"), "1");
	assert_null(json_object_get(r, "resultType"));
	assert_null(
	    json_object_get(json_array_get(json_object_get(r, "tools"), 0), "outputSchema"));
	r = result_of(ask(f, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\","
			     "\"params\":{" MODERN_META "}}"),
		      "2");
	assert_string_equal(string_at(r, "resultType"), "complete");
	assert_non_null(
	    json_object_get(json_array_get(json_object_get(r, "tools"), 0), "outputSchema"));
}

static void test_modern_meta_errors(void **state)
{
	static const struct {
		const char *line;
		int code;
	} cases[] = {
	    {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\"}",
	     SBX_MCP_INVALID_PARAMS},
	    {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"_meta\":"
	     "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}",
	     SBX_MCP_INVALID_PARAMS},
	    {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"_meta\":"
	     "{\"io.modelcontextprotocol/protocolVersion\":2026,"
	     "\"io.modelcontextprotocol/clientCapabilities\":{}}}}",
	     SBX_MCP_INVALID_PARAMS},
	    {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"_meta\":"
	     "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
	     "\"io.modelcontextprotocol/clientCapabilities\":[]}}}",
	     SBX_MCP_INVALID_PARAMS},
	};
	struct fake *f = *state;
	size_t i;

	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++)
		expect_error(ask(f, cases[i].line), cases[i].code, "1");
}

static void test_an_unknown_modern_version_is_minus_32022(void **state)
{
	struct fake *f = *state;
	const json_t *r, *supported;

	r = ask(f,
		"{\"jsonrpc\":\"2.0\",\"id\":\"v\",\"method\":\"tools/list\",\"params\":{\"_meta\":"
		"{\"io.modelcontextprotocol/protocolVersion\":\"1900-01-01\","
		"\"io.modelcontextprotocol/clientCapabilities\":{}}}}");
	expect_error(r, SBX_MCP_UNSUPPORTED_VERSION, "\"v\"");
	assert_string_equal(string_at(r, "error.data.requested"), "1900-01-01");
	supported =
	    json_object_get(json_object_get(json_object_get(r, "error"), "data"), "supported");
	assert_string_equal(json_string_value(json_array_get(supported, 0)), "2026-07-28");
}

/* --- the UTF-8 rule error messages are cleaned with --- */

static void test_utf8_sequence_lengths(void **state)
{
	static const struct {
		const char *bytes;
		size_t left, want;
	} cases[] = {
	    {"a", 1, 1},
	    {"\xc3\xa9", 2, 2},
	    {"\xef\xbf\xbd", 3, 3},
	    {"\xf0\x9f\x98\x80", 4, 4},
	    {"\xf4\x8f\xbf\xbf", 4, 4}, /* U+10FFFF */
	    {"\x80", 1, 0},		/* a continuation byte alone */
	    {"\xc0\xaf", 2, 0},		/* overlong */
	    {"\xe0\x80\xaf", 3, 0},	/* overlong */
	    {"\xf0\x80\x80\xaf", 4, 0}, /* overlong */
	    {"\xed\xa0\x80", 3, 0},	/* a surrogate */
	    {"\xf4\x90\x80\x80", 4, 0}, /* past U+10FFFF */
	    {"\xf5\x80\x80\x80", 4, 0},
	    {"\xe2\x82\xac", 2, 0}, /* cut by the buffer's end */
	    {"\xe2\x82", 3, 0},	    /* cut by a NUL */
	};
	uint32_t cp;
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++) {
		size_t got =
		    sbx_utf8_decode((const unsigned char *)cases[i].bytes, cases[i].left, &cp);

		if (got != cases[i].want)
			fail_msg("case %zu: %zu, want %zu", i, got, cases[i].want);
	}
}

/* --- report_denials: the supervisor's records become the denials list --- */

static void test_denial_records_become_the_denials_list(void **state)
{
	/* Two whole records and one cut short by the output cap. */
	static const char records[] = "/usr/bin/cat\0read\0path\0/etc/hostname\0"
				      "2\0--fs r:/etc/hostname\0sandbox\0"
				      "/usr/bin/bash\0TCP connect to port\0port\0"
				      "8080\0"
				      "1\0--net c:8080\0sandbox\0"
				      "/usr/bin/x\0read\0path";
	struct sbx_mcp_exec_outcome o = {
	    .traced = true, .denials = records, .denials_len = sizeof(records) - 1};
	json_t *r, *list, *d;

	(void)state;
	r = sbx_mcp_tool_result(&o, true);
	list = json_object_get(json_object_get(r, "structuredContent"), "denials");
	assert_int_equal(json_array_size(list), 2);
	d = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(d, "path")), "/etc/hostname");
	assert_string_equal(json_string_value(json_object_get(d, "access")), "read");
	assert_string_equal(json_string_value(json_object_get(d, "rule")), "--fs r:/etc/hostname");
	assert_int_equal(json_integer_value(json_object_get(d, "count")), 2);
	d = json_array_get(list, 1);
	assert_int_equal(json_integer_value(json_object_get(d, "port")), 8080);
	assert_null(json_object_get(d, "path"));
	json_decref(r);
	/* Not traced: no key at all, so a client can tell "none" from "not asked". */
	o.traced = false;
	r = sbx_mcp_tool_result(&o, true);
	assert_null(json_object_get(json_object_get(r, "structuredContent"), "denials"));
	json_decref(r);
}

static void test_without_timeout_ms_a_call_gets_the_server_bound(void **state)
{
	struct sbx_mcp_limits lim = {.max_output = 100, .max_timeout_ms = 3600000};
	struct sbx_mcp_exec_args a;
	json_t *args = json_pack("{s:s}", "command", "true");
	char *why = NULL;

	(void)state;
	assert_int_equal(sbx_mcp_exec_args_parse(args, &lim, &a, &why), 0);
	assert_int_equal(a.timeout_ms, 3600000);
	sbx_mcp_exec_args_free(&a);
	json_decref(args);
}

static const char exec_with_token[] =
    "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
    "\"params\":{\"name\":\"exec\",\"_meta\":{\"progressToken\":%s},"
    "\"arguments\":{\"command\":\"sleep\"}}}";

static void test_progress_goes_to_a_call_with_a_token(void **state)
{
	struct fake *f = *state;
	struct sbx_mcp_exec_outcome o = {.out = "", .err = "", .exit_code = 0};
	char *line = sbx_xasprintf(exec_with_token, "\"tok\"");
	const json_t *n;

	initialize(f, "2025-11-25");
	feed(f, line);
	free(line);
	expect_silence(f);
	sbx_mcp_call_progress(&f->s, f->started[0], 5.0, "running for 5 s");
	n = take(f);
	assert_string_equal(string_at(n, "method"), "notifications/progress");
	assert_null(json_object_get(n, "id"));
	assert_string_equal(string_at(n, "params.progressToken"), "tok");
	assert_true(json_real_value(json_object_get(json_object_get(n, "params"), "progress")) ==
		    5.0);
	assert_string_equal(string_at(n, "params.message"), "running for 5 s");
	sbx_mcp_call_done(&f->s, f->started[0], &o);
	result_of(take(f), "7");
}

static void test_progress_keeps_an_integer_token_and_2024_has_no_message(void **state)
{
	struct fake *f = *state;
	struct sbx_mcp_exec_outcome o = {.out = "", .err = "", .exit_code = 0};
	char *line = sbx_xasprintf(exec_with_token, "42");
	const json_t *n;

	initialize(f, "2024-11-05");
	feed(f, line);
	free(line);
	sbx_mcp_call_progress(&f->s, f->started[0], 5.0, "running for 5 s");
	n = take(f);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(n, "params"), "progressToken")), 42);
	assert_null(json_object_get(json_object_get(n, "params"), "message"));
	sbx_mcp_call_done(&f->s, f->started[0], &o);
	result_of(take(f), "7");
}

static void test_no_progress_without_a_token_or_with_a_bad_one(void **state)
{
	struct fake *f = *state;
	struct sbx_mcp_exec_outcome o = {.out = "", .err = "", .exit_code = 0};
	char *line = sbx_xasprintf(exec_with_token, "1.5");
	size_t i;

	initialize(f, "2025-11-25");
	feed(f, line); /* a number that is not an integer is no token */
	free(line);
	feed(f, exec_echo);
	for (i = 0; i < f->nstarted; i++)
		sbx_mcp_call_progress(&f->s, f->started[i], 5.0, "running");
	expect_silence(f);
	for (i = 0; i < f->nstarted; i++)
		sbx_mcp_call_done(&f->s, f->started[i], &o);
	f->next = f->nsent;
}

static void test_report_denials_defaults_to_the_server_option(void **state)
{
	struct sbx_mcp_limits lim = {.max_output = 100, .max_timeout_ms = 1000};
	struct sbx_mcp_exec_args a;
	json_t *args = json_pack("{s:s}", "command", "true");
	char *why = NULL;

	(void)state;
	assert_int_equal(sbx_mcp_exec_args_parse(args, &lim, &a, &why), 0);
	assert_false(a.report_denials);
	sbx_mcp_exec_args_free(&a);
	lim.report_denials = true;
	assert_int_equal(sbx_mcp_exec_args_parse(args, &lim, &a, &why), 0);
	assert_true(a.report_denials);
	sbx_mcp_exec_args_free(&a);
	json_object_set_new(args, "report_denials", json_pack("b", 0));
	assert_int_equal(sbx_mcp_exec_args_parse(args, &lim, &a, &why), 0);
	assert_false(a.report_denials);
	sbx_mcp_exec_args_free(&a);
	json_object_set_new(args, "report_denials", json_string("yes"));
	assert_int_equal(sbx_mcp_exec_args_parse(args, &lim, &a, &why), -1);
	assert_string_equal(why, "\"report_denials\" must be true or false");
	free(why);
	json_decref(args);
}

/* --- what the reader could not pass on --- */

static void test_an_oversized_line_is_an_invalid_request_without_id(void **state)
{
	struct fake *f = *state;
	const json_t *r;

	sbx_mcp_reject_oversized(&f->s, 1234);
	r = take(f);
	expect_error(r, SBX_MCP_INVALID_REQUEST, NULL);
	assert_string_equal(string_at(r, "error.message"),
			    "Invalid Request: message longer than 1234 bytes; dropped");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	    T(test_initialize_answers_what_the_server_is),
	    cmocka_unit_test(test_initialize_negotiates_the_version),
	    T(test_initialize_needs_a_version_string),
	    T(test_tools_list_describes_exec),
	    T(test_tools_list_for_2024_11_05_has_no_annotations),
	    T(test_tools_list_for_2025_03_26_has_no_output_schema),
	    T(test_malformed_lines_are_parse_errors_without_id),
	    T(test_parse_error_quoting_invalid_utf8_is_still_sent),
	    T(test_blank_lines_are_not_messages),
	    T(test_json_that_is_not_an_object_is_an_invalid_request),
	    T(test_ids_that_are_not_strings_or_numbers_are_refused_without_id),
	    T(test_string_and_number_ids_are_echoed),
	    T(test_bad_envelopes_are_invalid_requests_with_the_id),
	    T(test_notifications_are_never_answered),
	    T(test_responses_from_the_client_are_ignored),
	    T(test_unknown_methods_are_method_not_found),
	    T(test_invalid_params_are_minus_32602),
	    T(test_unknown_tool_names_it_in_the_error),
	    T(test_a_call_is_answered_when_the_host_ends_it),
	    T(test_bad_arguments_are_tool_errors_and_start_nothing),
	    T(test_a_running_call_id_cannot_be_reused),
	    T(test_a_cancelled_call_gets_no_response),
	    T(test_at_most_64_calls_run_at_once),
	    T(test_server_discover_lists_every_version),
	    T(test_modern_requests_without_a_handshake),
	    T(test_both_eras_side_by_side),
	    T(test_modern_meta_errors),
	    T(test_an_unknown_modern_version_is_minus_32022),
	    cmocka_unit_test(test_utf8_sequence_lengths),
	    cmocka_unit_test(test_denial_records_become_the_denials_list),
	    cmocka_unit_test(test_without_timeout_ms_a_call_gets_the_server_bound),
	    T(test_progress_goes_to_a_call_with_a_token),
	    T(test_progress_keeps_an_integer_token_and_2024_has_no_message),
	    T(test_no_progress_without_a_token_or_with_a_bad_one),
	    cmocka_unit_test(test_report_denials_defaults_to_the_server_option),
	    T(test_an_oversized_line_is_an_invalid_request_without_id),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
