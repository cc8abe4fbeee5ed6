/* SPDX-License-Identifier: Apache-2.0 */
/* The supervisor of one `exec` call for `--mode mcp`: the process between
 * the server and the command that walls the call off from the server and
 * from other calls, and kills everything the call started when it ends. */
#ifndef SBX_MCP_SUPERVISE_H
#define SBX_MCP_SUPERVISE_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "mcp_tool.h"

/* Why a call never started, sent on the report pipe. */
enum sbx_mcp_spawn_stage {
	SBX_MCP_STAGE_CHDIR = 1,
	SBX_MCP_STAGE_EXEC,
	SBX_MCP_STAGE_ISOLATE,
	SBX_MCP_STAGE_TRACE,
};

struct sbx_mcp_spawn_report {
	int stage;
	int err;
};

/* The supervisor's descriptors: the command's stdin, stdout and stderr, the
 * report pipe (closes on exec: end-of-file means the command started) and
 * the status pipe (the command's wait status, written once it is reaped). */
struct sbx_mcp_spawn_fds {
	int in, out, err, report, status;
};

/* Tracing a call for its denials (`report_denials`, docs/mcp.md). The
 * tracer knows the policy and ptrace, so it lives in the tool; the
 * supervisor only calls these hooks. */
struct sbx_mcp_tracer {
	/* In the command before its own layer: become traced by the
	 * supervisor and stop until it attached. -1 with errno set. */
	int (*traceme)(void);
	/* In the command, the last step before exec: the filter that stops
	 * the traced calls. -1 with errno set. */
	int (*filter)(void);
	/* In the supervisor once the command stopped: a trace of it. */
	void *(*start)(const struct sbx_mcp_tracer *self, pid_t cmd);
	/* A wait status (waitpid with __WALL) of a traced thread. */
	void (*event)(void *trace, pid_t tid, int status);
	/* Writes the denials to fd and frees the trace: after the command's
	 * status, per denial 7 NUL-terminated fields, in this order. */
	void (*finish)(void *trace, int fd);
	void *ctx;
};

enum sbx_mcp_denial_field {
	SBX_MCP_DENIAL_PROGRAM, /* the executable denied ("" unknown) */
	SBX_MCP_DENIAL_ACCESS,	/* "read", "TCP connect to port" ... */
	SBX_MCP_DENIAL_KIND,	/* "path" or "port" */
	SBX_MCP_DENIAL_TARGET,	/* the path, or the port in decimal */
	SBX_MCP_DENIAL_COUNT,	/* how many times, decimal */
	SBX_MCP_DENIAL_RULE,	/* the rule that allows it ("" none) */
	SBX_MCP_DENIAL_CAUSE,	/* "sandbox", "not the sandbox", "probe" */
	SBX_MCP_DENIAL_FIELDS
};

/* Denials a call reports at most (the rest are counted in none). */
#define SBX_MCP_MAX_DENIALS 256

/* Adds a Landlock layer to the calling thread that narrows nothing the
 * policy grants but is a domain of its own: processes in it cannot ptrace
 * (or open /proc/PID/fd of) anything outside it, and from ABI 6 cannot
 * signal anything outside it. `abi` is the ABI the server's layer uses (0:
 * no Landlock, nothing to add). Returns 1 when the layer scopes signals,
 * 0 when it cannot (ABI < 6) or nothing was added, -1 with errno set. */
int sbx_mcp_isolate(int abi);

/* The forked supervisor's body: its own layer, subreaper, the command in a
 * second layer below it, then waits for the command's end (or SIGTERM from
 * the server, or the server's death) and kills the call's whole tree.
 * `server` is the server's pid; `tracer` traces the call when it asked for
 * its denials (NULL otherwise). Never returns. */
void sbx_mcp_supervise(const struct sbx_mcp_exec_args *args, const sigset_t *child_mask,
		       pid_t server, struct sbx_mcp_spawn_fds fds, int abi,
		       const struct sbx_mcp_tracer *tracer) __attribute__((noreturn));

#endif
