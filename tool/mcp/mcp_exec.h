/* SPDX-License-Identifier: Apache-2.0 */
/* One `exec` call's processes for `--mode mcp`: fork the call's supervisor
 * (mcp_supervise.h), which runs the command; feed stdin, collect capped
 * stdout and stderr, end the call on timeout or cancellation and collect
 * its status. The event loop polls the descriptors. */
#ifndef SBX_MCP_EXEC_H
#define SBX_MCP_EXEC_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "mcp_supervise.h"
#include "mcp_tool.h"

struct sbx_mcp_stream {
	int fd; /* -1 once closed */
	char *data;
	size_t len;
	bool truncated;
};

/* The most kept of what the supervisor reports: the status, then a traced
 * call's denials (at most SBX_MCP_MAX_DENIALS of them). */
#define SBX_MCP_MAX_STATUS_BYTES (1u << 20)

struct sbx_mcp_proc {
	pid_t pid; /* the call's supervisor */
	/* The supervisor's report: the command's wait status, then a traced
	 * call's denials (mcp_supervise.h) */
	struct sbx_mcp_stream status;
	struct sbx_mcp_stream out, err;
	int in_fd; /* -1 once all of stdin is written (or refused) */
	char *in_data;
	size_t in_len, in_off;
	size_t max_output;
	long long started_ms, deadline_ms; /* CLOCK_MONOTONIC */
	bool exited, killed, timed_out;
	bool traced; /* report_denials: the call was traced */
	int wait_status;
	char *spawn_error; /* set when the command never started */
	int spawn_exit;
};

long long sbx_mcp_now_ms(void);

/* Starts args (taking its stdin buffer). Returns 0 when running, -1 when the
 * command could not start: spawn_error and spawn_exit say why. `child_mask`
 * is the signal mask the command starts with; `abi` the Landlock ABI of the
 * server's layer, which the call's own layers use (0: none); `tracer` traces
 * the call when args->report_denials (NULL: no tracing available). */
int sbx_mcp_proc_spawn(struct sbx_mcp_proc *p, struct sbx_mcp_exec_args *args, size_t max_output,
		       const sigset_t *child_mask, int abi, const struct sbx_mcp_tracer *tracer);

/* Adds the descriptors to watch; returns how many were added. */
int sbx_mcp_proc_pollfds(const struct sbx_mcp_proc *p, struct pollfd *fds);
/* Services whatever poll() reported on fd. */
void sbx_mcp_proc_service(struct sbx_mcp_proc *p, int fd, short revents);

/* Tells the supervisor to kill the call (idempotent while it lives). */
void sbx_mcp_proc_kill(struct sbx_mcp_proc *p);
/* Kills the call when the deadline passed. */
void sbx_mcp_proc_check_deadline(struct sbx_mcp_proc *p, long long now_ms);
/* Collects the status once the supervisor has ended the call (or waits for
 * it when `block`), then drains the pipes. True when done. */
bool sbx_mcp_proc_reap(struct sbx_mcp_proc *p, bool block);

void sbx_mcp_proc_outcome(const struct sbx_mcp_proc *p, struct sbx_mcp_exec_outcome *o);
void sbx_mcp_proc_free(struct sbx_mcp_proc *p);

#endif
