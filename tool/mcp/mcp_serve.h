/* SPDX-License-Identifier: Apache-2.0 */
/* The stdio side of `--mode mcp`: newline-framed messages in and out, tool
 * calls running side by side under one poll() loop. */
#ifndef SBX_MCP_SERVE_H
#define SBX_MCP_SERVE_H

#include "mcp_supervise.h"
#include "mcp_tool.h"

/* Longest message accepted; a longer line is dropped with an error. */
#define SBX_MCP_MAX_LINE (64u << 20)

/* Serves until in_fd reaches end-of-file (returns 0) or a SIGTERM, SIGINT or
 * SIGHUP arrives (returns 128 + the signal). Either way every call is ended
 * and reaped first. `abi` is the Landlock ABI of the layer the server runs
 * under (0: none); each call adds its own layers at that ABI. `tracer`
 * traces a call that asks for its denials (NULL: none can). */
int sbx_mcp_serve(const struct sbx_mcp_limits *limits, int abi, const struct sbx_mcp_tracer *tracer,
		  int in_fd, int out_fd);

#endif
