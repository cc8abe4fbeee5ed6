/* SPDX-License-Identifier: Apache-2.0 */
/* The `exec` tool's contract for `--mode mcp`: its schemas, the parsing of a
 * call's arguments and the shaping of its result. Pure JSON in and out: it
 * never starts a process. */
#ifndef SBX_MCP_TOOL_H
#define SBX_MCP_TOOL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SBX_MCP_TOOL_NAME "exec"
/* How often a running call with a progress token is reported. */
#define SBX_MCP_PROGRESS_INTERVAL_MS 5000L
/* Official clients drop lines over 10 MiB: a result never grows past this. */
#define SBX_MCP_MAX_RESULT_BYTES (8u << 20)

struct sbx_mcp_limits {
	size_t max_output;   /* bytes kept of each stream */
	long max_timeout_ms; /* upper bound on timeout_ms */
	bool report_denials; /* the server's --report: report_denials' default */
};

/* A validated `exec` call. */
struct sbx_mcp_exec_args {
	char **argv;	  /* command, then args; NULL-terminated */
	char *cwd;	  /* NULL: the server's own directory */
	char *stdin_data; /* NULL: the command reads end-of-file */
	size_t stdin_len;
	long timeout_ms;
	bool report_denials; /* trace the call and return its denials */
};

/* What became of a call: either it ran (exit_code, maybe signal) or it never
 * started (spawn_error says why, exit_code is 126 or 127 as in a shell). */
struct sbx_mcp_exec_outcome {
	const char *out;
	size_t out_len;
	bool out_truncated;
	const char *err;
	size_t err_len;
	bool err_truncated;
	int exit_code;
	int signal; /* 0 when it exited on its own */
	bool timed_out;
	const char *spawn_error;
	long duration_ms;
	bool traced;	     /* report_denials: a `denials` list goes in the result */
	const char *denials; /* its records (mcp_supervise.h), may be cut short */
	size_t denials_len;
};

/* The tool's tools/list entry; `structured` adds outputSchema (2025-06-18+). */
json_t *sbx_mcp_tool_describe(const struct sbx_mcp_limits *lim, bool structured);

/* Validates `arguments` (may be NULL). On error returns -1 and sets *why to
 * a message for the caller to free; nothing is left allocated in *out. */
int sbx_mcp_exec_args_parse(const json_t *arguments, const struct sbx_mcp_limits *lim,
			    struct sbx_mcp_exec_args *out, char **why);
void sbx_mcp_exec_args_free(struct sbx_mcp_exec_args *args);

/* A CallToolResult for an outcome: text content always, structuredContent
 * when `structured`; trimmed (and marked truncated) to fit the line limit. */
json_t *sbx_mcp_tool_result(const struct sbx_mcp_exec_outcome *o, bool structured);
/* A CallToolResult with isError and one text block. */
json_t *sbx_mcp_tool_error(const char *message);

/* A valid UTF-8 copy of bytes (invalid sequences become U+FFFD). */
json_t *sbx_mcp_json_text(const char *data, size_t len);

/* Returns value; a NULL (jansson out of memory) ends the process with
 * status 1 and a "sandboxec: " line. */
json_t *sbx_mcp_json_checked(json_t *value);

#endif
