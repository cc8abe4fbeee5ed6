/* SPDX-License-Identifier: Apache-2.0 */
/* The `exec` tool of `--mode mcp`: its input and output schemas, argument
 * validation (every mistake becomes a message, never a crash) and the
 * CallToolResult built from an outcome. Starts no process. */
#include "mcp_tool.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/util.h"
#include "mcp_supervise.h"

#define MAX_ARGS 4096

json_t *sbx_mcp_json_checked(json_t *value)
{
	if (!value) {
		fputs("sandboxec: out of memory building JSON\n", stderr);
		_exit(1);
	}
	return value;
}

static json_t *prop(const char *type, const char *description)
{
	json_t *p = sbx_mcp_json_checked(json_pack("{s:s}", "type", type));

	if (description)
		json_object_set_new(p, "description",
				    sbx_mcp_json_checked(json_string(description)));
	return p;
}

static json_t *input_schema(const struct sbx_mcp_limits *lim)
{
	long def = lim->max_timeout_ms;
	json_t *props = sbx_mcp_json_checked(json_object());
	json_t *args, *timeout;
	char *help;

	json_object_set_new(props, "command",
			    prop("string", "Program to run: a path, or a name looked up in $PATH "
					   "inside the sandbox. No shell is involved."));
	args = prop("array", "Arguments after the program name");
	json_object_set_new(args, "items", prop("string", NULL));
	json_object_set_new(props, "args", args);
	json_object_set_new(props, "cwd",
			    prop("string", "Working directory (default: the server's own)"));
	json_object_set_new(props, "stdin",
			    prop("string", "Text written to the command's standard input "
					   "(default: none, the command reads end-of-file)"));
	help = sbx_xasprintf("Kill the command's whole process group after this many "
			     "milliseconds (default %ld; values above the server's maximum "
			     "of %ld are lowered to it)",
			     def, lim->max_timeout_ms);
	timeout = prop("integer", help);
	free(help);
	json_object_set_new(timeout, "minimum", sbx_mcp_json_checked(json_integer(1)));
	json_object_set_new(props, "timeout_ms", timeout);
	help = sbx_xasprintf(
	    "Trace the command and return what the sandbox denied it in \"denials\": each "
	    "access, path or port, count and the rule that would allow it, to ask the user "
	    "for exactly that permission (default %s: the server %s started with --report). "
	    "Traced calls run somewhat slower",
	    lim->report_denials ? "true" : "false", lim->report_denials ? "was" : "was not");
	json_object_set_new(props, "report_denials", prop("boolean", help));
	free(help);
	return sbx_mcp_json_checked(json_pack("{s:s, s:o, s:[s], s:b}", "type", "object",
					      "properties", props, "required", "command",
					      "additionalProperties", 0));
}

static json_t *denials_schema(void)
{
	json_t *item = sbx_mcp_json_checked(json_object());
	json_t *props = sbx_mcp_json_checked(json_object());
	json_t *list;

	json_object_set_new(props, "program", prop("string", "The executable that was denied"));
	json_object_set_new(props, "access",
			    prop("string", "What it tried: read, list, execute, write, create "
					   "in, remove from, truncate, TCP connect to port, ..."));
	json_object_set_new(props, "path", prop("string", "The file or directory (absolute)"));
	json_object_set_new(props, "port", prop("integer", "The TCP port, for connect and bind"));
	json_object_set_new(props, "count", prop("integer", "How many times"));
	json_object_set_new(props, "rule",
			    prop("string", "The server option that would allow it (e.g. --fs "
					   "r:/etc/x), or empty when no rule can"));
	json_object_set_new(props, "cause",
			    sbx_mcp_json_checked(json_pack(
				"{s:s, s:[s,s,s], s:s}", "type", "string", "enum", "sandbox",
				"not the sandbox", "probe", "description",
				"sandbox: the policy does not grant it; not the sandbox: the "
				"policy grants it, ordinary permissions refused it; probe: "
				"probably harmless, the program has a fallback")));
	json_object_set_new(item, "type", sbx_mcp_json_checked(json_string("object")));
	json_object_set_new(item, "properties", props);
	list = prop("array", "Present when report_denials was true: what the sandbox denied "
			     "the command, grouped and counted");
	json_object_set_new(list, "items", item);
	return list;
}

static json_t *output_schema(void)
{
	json_t *props = sbx_mcp_json_checked(json_object());

	json_object_set_new(props, "stdout",
			    prop("string", "Standard output (UTF-8; invalid bytes become U+FFFD)"));
	json_object_set_new(props, "stderr", prop("string", "Standard error (as stdout)"));
	json_object_set_new(props, "exit_code",
			    prop("integer", "Exit status; 128+N when killed by signal N; 126 "
					    "when the command could not be executed, 127 when it "
					    "was not found"));
	json_object_set_new(props, "signal",
			    sbx_mcp_json_checked(
				json_pack("{s:[s,s], s:s}", "type", "string", "null", "description",
					  "Name of the signal that killed the command, or null")));
	json_object_set_new(props, "timed_out",
			    prop("boolean", "The command was killed at its timeout"));
	json_object_set_new(props, "stdout_truncated",
			    prop("boolean", "stdout was cut at the server's output limit"));
	json_object_set_new(props, "stderr_truncated",
			    prop("boolean", "stderr was cut at the server's output limit"));
	json_object_set_new(props, "denials", denials_schema());
	return sbx_mcp_json_checked(json_pack("{s:s, s:o, s:[s,s,s,s,s,s,s]}", "type", "object",
					      "properties", props, "required", "stdout", "stderr",
					      "exit_code", "signal", "timed_out",
					      "stdout_truncated", "stderr_truncated"));
}

json_t *sbx_mcp_tool_describe(const struct sbx_mcp_limits *lim, bool structured)
{
	json_t *tool = sbx_mcp_json_checked(json_pack(
	    "{s:s, s:s, s:o, s:{s:b, s:b, s:b}}", "name", SBX_MCP_TOOL_NAME, "description",
	    "Run a command (directly, no shell) inside sandboxec's Landlock sandbox and "
	    "return its stdout, stderr and exit code. Files and TCP ports outside the "
	    "server's policy are denied (EACCES/EPERM). Each output stream is capped and "
	    "marked truncated when cut; the whole process group is killed at the timeout.",
	    "inputSchema", input_schema(lim), "annotations", "readOnlyHint", 0, "destructiveHint",
	    1, "openWorldHint", 1));

	if (structured) {
		json_object_set_new(tool, "title",
				    sbx_mcp_json_checked(json_string("Run a sandboxed command")));
		json_object_set_new(tool, "outputSchema", output_schema());
	}
	return tool;
}

void sbx_mcp_exec_args_free(struct sbx_mcp_exec_args *args)
{
	size_t i;

	if (args->argv) {
		for (i = 0; args->argv[i]; i++)
			free(args->argv[i]);
		free(args->argv);
	}
	free(args->cwd);
	free(args->stdin_data);
	memset(args, 0, sizeof(*args));
}

/* A string argument for the kernel: no NUL inside, not empty when `nonempty`. */
static int c_string(const json_t *value, const char *what, bool nonempty, char **out, char **why)
{
	size_t len;

	if (!json_is_string(value)) {
		*why = sbx_xasprintf("\"%s\" must be a string", what);
		return -1;
	}
	len = json_string_length(value);
	if (memchr(json_string_value(value), '\0', len)) {
		*why = sbx_xasprintf("\"%s\" must not contain a NUL character", what);
		return -1;
	}
	if (nonempty && len == 0) {
		*why = sbx_xasprintf("\"%s\" must not be empty", what);
		return -1;
	}
	*out = sbx_xstrndup(json_string_value(value), len);
	return 0;
}

static int parse_args_array(const json_t *list, struct sbx_mcp_exec_args *out, char **why)
{
	size_t i, n = json_array_size(list);
	char label[32];

	if (!json_is_array(list)) {
		*why = sbx_xstrdup("\"args\" must be an array of strings");
		return -1;
	}
	if (n > MAX_ARGS) {
		*why =
		    sbx_xasprintf("\"args\" has %zu entries; at most %d are accepted", n, MAX_ARGS);
		return -1;
	}
	out->argv = sbx_xrealloc(out->argv, (n + 2) * sizeof(char *));
	for (i = 0; i < n; i++) {
		out->argv[i + 1] = NULL;
		snprintf(label, sizeof(label), "args[%zu]", i);
		if (c_string(json_array_get(list, i), label, false, &out->argv[i + 1], why) < 0)
			return -1;
	}
	out->argv[n + 1] = NULL;
	return 0;
}

/* report_denials: the server's --report unless the call says otherwise. */
static int parse_report_denials(const json_t *arguments, const struct sbx_mcp_limits *lim,
				struct sbx_mcp_exec_args *out, char **why)
{
	const json_t *value = json_object_get(arguments, "report_denials");

	out->report_denials = lim->report_denials;
	if (!value || json_is_null(value))
		return 0;
	if (!json_is_boolean(value)) {
		*why = sbx_xstrdup("\"report_denials\" must be true or false");
		return -1;
	}
	out->report_denials = json_is_true(value);
	return 0;
}

int sbx_mcp_exec_args_parse(const json_t *arguments, const struct sbx_mcp_limits *lim,
			    struct sbx_mcp_exec_args *out, char **why)
{
	const json_t *value;
	const char *key;

	memset(out, 0, sizeof(*out));
	/* No timeout_ms: the server's bound, as the operator chose it; a
	 * test suite or a build outlasts any shorter guess (docs/mcp.md
	 * "Timeouts"). */
	out->timeout_ms = lim->max_timeout_ms;
	if (!arguments) {
		*why = sbx_xstrdup("missing arguments; \"command\" is required");
		return -1;
	}
	if (!json_is_object(arguments)) {
		*why = sbx_xstrdup("arguments must be an object");
		return -1;
	}
	json_object_foreach((json_t *)arguments, key, value)
	{
		if (strcmp(key, "command") && strcmp(key, "args") && strcmp(key, "cwd") &&
		    strcmp(key, "stdin") && strcmp(key, "timeout_ms") &&
		    strcmp(key, "report_denials")) {
			*why = sbx_xasprintf("unknown argument \"%s\"; use command, args, cwd, "
					     "stdin, timeout_ms, report_denials",
					     key);
			return -1;
		}
	}
	if (parse_report_denials(arguments, lim, out, why) < 0)
		return -1;
	out->argv = sbx_xcalloc(2, sizeof(char *));
	value = json_object_get(arguments, "command");
	if (!value) {
		*why = sbx_xstrdup("\"command\" is required");
		goto err;
	}
	if (c_string(value, "command", true, &out->argv[0], why) < 0)
		goto err;
	value = json_object_get(arguments, "args");
	if (value && !json_is_null(value) && parse_args_array(value, out, why) < 0)
		goto err;
	value = json_object_get(arguments, "cwd");
	if (value && !json_is_null(value) && c_string(value, "cwd", true, &out->cwd, why) < 0)
		goto err;
	value = json_object_get(arguments, "stdin");
	if (value && !json_is_null(value)) {
		if (!json_is_string(value)) {
			*why = sbx_xstrdup("\"stdin\" must be a string");
			goto err;
		}
		out->stdin_len = json_string_length(value);
		out->stdin_data = sbx_xmalloc(out->stdin_len + 1);
		memcpy(out->stdin_data, json_string_value(value), out->stdin_len + 1);
	}
	value = json_object_get(arguments, "timeout_ms");
	if (value && !json_is_null(value)) {
		double ms;

		if (json_is_integer(value))
			ms = (double)json_integer_value(value);
		else if (json_is_real(value))
			ms = json_real_value(value);
		else {
			*why = sbx_xstrdup("\"timeout_ms\" must be a number of milliseconds");
			goto err;
		}
		if (!(ms >= 1)) {
			*why = sbx_xstrdup("\"timeout_ms\" must be at least 1");
			goto err;
		}
		out->timeout_ms = ms > (double)lim->max_timeout_ms ? lim->max_timeout_ms : (long)ms;
	}
	return 0;
err:
	sbx_mcp_exec_args_free(out);
	return -1;
}

json_t *sbx_mcp_json_text(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	struct sbx_buf buf = {0};
	size_t i = 0, start = 0;
	json_t *text;
	uint32_t cp;

	while (i < len) {
		size_t n = sbx_utf8_decode(s + i, len - i, &cp);

		if (n) {
			i += n;
			continue;
		}
		sbx_buf_append(&buf, data + start, i - start);
		sbx_buf_append(&buf, "\xef\xbf\xbd", 3);
		i++;
		start = i;
	}
	if (!buf.data)
		return sbx_mcp_json_checked(json_stringn(data ? data : "", len));
	sbx_buf_append(&buf, data + start, len - start);
	text = sbx_mcp_json_checked(json_stringn(buf.data, buf.len));
	sbx_buf_free(&buf);
	return text;
}

static json_t *signal_name(int sig)
{
	const char *abbrev = sig ? sigabbrev_np(sig) : NULL;
	char name[32];

	if (!sig)
		return json_null();
	if (abbrev)
		snprintf(name, sizeof(name), "SIG%s", abbrev);
	else
		snprintf(name, sizeof(name), "signal %d", sig);
	return sbx_mcp_json_checked(json_string(name));
}

/* One record's fields (mcp_supervise.h); false when the data ends first. */
static bool denial_fields(const char **data, const char *end, const char *f[SBX_MCP_DENIAL_FIELDS])
{
	size_t i;

	for (i = 0; i < SBX_MCP_DENIAL_FIELDS; i++) {
		const char *nul = memchr(*data, '\0', (size_t)(end - *data));

		if (!nul)
			return false;
		f[i] = *data;
		*data = nul + 1;
	}
	return true;
}

/* The `denials` list from the supervisor's records. */
static json_t *denials_list(const struct sbx_mcp_exec_outcome *o)
{
	json_t *list = sbx_mcp_json_checked(json_array());
	const char *data = o->denials, *end = o->denials + o->denials_len;
	const char *f[SBX_MCP_DENIAL_FIELDS];

	while (o->denials && data < end && denial_fields(&data, end, f)) {
		const char *target = f[SBX_MCP_DENIAL_TARGET];
		json_t *d = sbx_mcp_json_checked(json_object());

		json_object_set_new(d, "program",
				    sbx_mcp_json_text(f[SBX_MCP_DENIAL_PROGRAM],
						      strlen(f[SBX_MCP_DENIAL_PROGRAM])));
		json_object_set_new(
		    d, "access",
		    sbx_mcp_json_text(f[SBX_MCP_DENIAL_ACCESS], strlen(f[SBX_MCP_DENIAL_ACCESS])));
		if (strcmp(f[SBX_MCP_DENIAL_KIND], "port") == 0)
			json_object_set_new(d, "port",
					    sbx_mcp_json_checked(json_integer(atoll(target))));
		else
			json_object_set_new(d, "path", sbx_mcp_json_text(target, strlen(target)));
		json_object_set_new(
		    d, "count", sbx_mcp_json_checked(json_integer(atoll(f[SBX_MCP_DENIAL_COUNT]))));
		json_object_set_new(
		    d, "rule",
		    sbx_mcp_json_text(f[SBX_MCP_DENIAL_RULE], strlen(f[SBX_MCP_DENIAL_RULE])));
		json_object_set_new(
		    d, "cause",
		    sbx_mcp_json_text(f[SBX_MCP_DENIAL_CAUSE], strlen(f[SBX_MCP_DENIAL_CAUSE])));
		json_array_append_new(list, d);
	}
	return list;
}

static json_t *build_result(const struct sbx_mcp_exec_outcome *o, size_t out_len, size_t err_len,
			    bool structured, size_t *size)
{
	json_t *content, *result;
	char *text;

	content = sbx_mcp_json_checked(
	    json_pack("{s:o, s:o, s:i, s:o, s:b, s:b, s:b}", "stdout",
		      sbx_mcp_json_text(o->out, out_len), "stderr",
		      o->spawn_error ? sbx_mcp_json_checked(json_string(o->spawn_error))
				     : sbx_mcp_json_text(o->err, err_len),
		      "exit_code", o->exit_code, "signal", signal_name(o->signal), "timed_out",
		      o->timed_out, "stdout_truncated", o->out_truncated || out_len < o->out_len,
		      "stderr_truncated", o->err_truncated || err_len < o->err_len));
	if (o->traced)
		json_object_set_new(content, "denials", denials_list(o));
	text = json_dumps(content, JSON_COMPACT);
	if (!text)
		sbx_mcp_json_checked(NULL);
	result = sbx_mcp_json_checked(json_pack("{s:[{s:s, s:s}], s:b}", "content", "type", "text",
						"text", text, "isError",
						o->spawn_error != NULL || o->timed_out));
	/* Serialized twice: once as an object, once escaped inside a string. */
	*size = 2 * strlen(text) + 64;
	free(text);
	if (structured)
		json_object_set_new(result, "structuredContent", content);
	else
		json_decref(content);
	return result;
}

json_t *sbx_mcp_tool_result(const struct sbx_mcp_exec_outcome *o, bool structured)
{
	size_t out_len = o->out_len, err_len = o->err_len, size;
	json_t *result;

	for (;;) {
		result = build_result(o, out_len, err_len, structured, &size);
		/* The text block escapes the JSON once more: account for it by
		 * measuring the real thing when the estimate is close. */
		if (size > SBX_MCP_MAX_RESULT_BYTES / 2) {
			char *line = json_dumps(result, JSON_COMPACT);

			size = line ? strlen(line) : SIZE_MAX;
			free(line);
		}
		if (size <= SBX_MCP_MAX_RESULT_BYTES || (out_len == 0 && err_len == 0))
			return result;
		json_decref(result);
		if (out_len >= err_len)
			out_len /= 2;
		else
			err_len /= 2;
	}
}

json_t *sbx_mcp_tool_error(const char *message)
{
	return sbx_mcp_json_checked(json_pack("{s:[{s:s, s:s}], s:b}", "content", "type", "text",
					      "text", message, "isError", 1));
}
