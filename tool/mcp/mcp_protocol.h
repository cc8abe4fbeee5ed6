/* SPDX-License-Identifier: Apache-2.0 */
/* JSON-RPC 2.0 and MCP message handling for `--mode mcp`: one line in, at
 * most one response out, tool calls handed to the host through ops. Owns no
 * file descriptor and no process, so a fuzzer can drive it on a buffer. */
#ifndef SBX_MCP_PROTOCOL_H
#define SBX_MCP_PROTOCOL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "mcp_tool.h"

#define SBX_MCP_MAX_CALLS 64 /* tool calls running at once */

/* JSON-RPC and MCP error codes. */
enum {
	SBX_MCP_PARSE_ERROR = -32700,
	SBX_MCP_INVALID_REQUEST = -32600,
	SBX_MCP_METHOD_NOT_FOUND = -32601,
	SBX_MCP_INVALID_PARAMS = -32602,
	SBX_MCP_INTERNAL_ERROR = -32603,
	SBX_MCP_UNSUPPORTED_VERSION = -32022,
};

struct sbx_mcp_session;

/* One tools/call in flight. The host owns what `host` points to. */
struct sbx_mcp_call {
	json_t *id;
	const struct sbx_mcp_version *version; /* shapes the result */
	bool cancelled;			       /* no response will be sent */
	json_t *progress_token;		       /* params._meta.progressToken, or NULL */
	void *host;
	struct sbx_mcp_call *next;
};

struct sbx_mcp_ops {
	/* Writes one message; borrows it. */
	void (*send)(struct sbx_mcp_session *s, json_t *msg);
	/* Starts a call; always ends, now or later, in sbx_mcp_call_done().
	 * Takes ownership of args' contents. */
	void (*exec_start)(struct sbx_mcp_session *s, struct sbx_mcp_call *call,
			   struct sbx_mcp_exec_args *args);
	/* Kills a running call (it still ends in sbx_mcp_call_done()). */
	void (*exec_cancel)(struct sbx_mcp_session *s, struct sbx_mcp_call *call);
};

struct sbx_mcp_session {
	const struct sbx_mcp_ops *ops;
	struct sbx_mcp_limits limits;
	const struct sbx_mcp_version *legacy; /* negotiated by initialize, or NULL */
	struct sbx_mcp_call *calls;
	size_t ncalls;
	void *host;
};

void sbx_mcp_session_init(struct sbx_mcp_session *s, const struct sbx_mcp_ops *ops,
			  const struct sbx_mcp_limits *limits, void *host);
/* Frees what is left; the host must have ended its calls. */
void sbx_mcp_session_free(struct sbx_mcp_session *s);

/* Handles one message (one line, without its newline). */
void sbx_mcp_handle_line(struct sbx_mcp_session *s, const char *line, size_t len);
/* Answers for a line the reader had to drop (longer than its limit). */
void sbx_mcp_reject_oversized(struct sbx_mcp_session *s, size_t limit);

/* Tells the client a call is still running (notifications/progress), when
 * it asked with a progress token; progress must grow from one to the next. */
void sbx_mcp_call_progress(struct sbx_mcp_session *s, const struct sbx_mcp_call *call,
			   double progress, const char *message);

/* The host reports a call's end: the result is sent unless it was
 * cancelled, and the call is freed. */
void sbx_mcp_call_done(struct sbx_mcp_session *s, struct sbx_mcp_call *call,
		       const struct sbx_mcp_exec_outcome *outcome);

#endif
