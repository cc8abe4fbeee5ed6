/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for `--mode mcp`'s message handling (tool/mcp/mcp_protocol.c
 * and tool/mcp/mcp_tool.c): the input is a stream of lines fed to one session;
 * calls end at once or on cancellation, with outcomes made from their input. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcp/mcp_protocol.h"

#define MAX_PENDING 8

struct pending {
	struct sbx_mcp_call *call;
	struct sbx_mcp_exec_args args;
};

static struct pending pending[MAX_PENDING];
static size_t npending;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_send(struct sbx_mcp_session *s, json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT);

	(void)s;
	/* Every response must serialize, on one line, as a JSON-RPC object. */
	if (!text || strchr(text, '\n') || !json_object_get(msg, "jsonrpc"))
		abort();
	if (!json_object_get(msg, "result") == !json_object_get(msg, "error"))
		abort();
	free(text);
}

static void finish(struct sbx_mcp_session *s, struct sbx_mcp_call *call,
		   struct sbx_mcp_exec_args *args, bool killed)
{
	struct sbx_mcp_exec_outcome o = {0};

	o.out = args->stdin_data;
	o.out_len = args->stdin_len;
	o.out_truncated = args->stdin_len > 16;
	o.err = args->argv[0];
	o.err_len = strlen(args->argv[0]);
	o.exit_code = killed ? 137 : (int)(o.err_len % 256);
	o.signal = killed ? 9 : 0;
	o.timed_out = args->timeout_ms < 10;
	if (args->cwd)
		o.spawn_error = "sandboxec: cannot change to directory";
	sbx_mcp_call_done(s, call, &o);
	sbx_mcp_exec_args_free(args);
}

static void fuzz_exec_start(struct sbx_mcp_session *s, struct sbx_mcp_call *call,
			    struct sbx_mcp_exec_args *args)
{
	/* Commands starting with "s" keep running, so cancellation and id
	 * reuse get exercised; the rest end at once. */
	if (args->argv[0][0] == 's' && npending < MAX_PENDING) {
		call->host = &pending[npending];
		pending[npending].call = call;
		pending[npending++].args = *args;
		memset(args, 0, sizeof(*args));
		return;
	}
	finish(s, call, args, false);
}

static void fuzz_exec_cancel(struct sbx_mcp_session *s, struct sbx_mcp_call *call)
{
	struct pending *p = call->host;
	size_t i = (size_t)(p - pending);

	finish(s, p->call, &p->args, true);
	pending[i] = pending[--npending];
	if (i < npending)
		pending[i].call->host = &pending[i];
}

static const struct sbx_mcp_ops fuzz_ops = {
    .send = fuzz_send,
    .exec_start = fuzz_exec_start,
    .exec_cancel = fuzz_exec_cancel,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbx_mcp_limits limits = {.max_output = 64, .max_timeout_ms = 1000};
	struct sbx_mcp_session s;
	const char *p = (const char *)data, *end = p + size;

	sbx_mcp_session_init(&s, &fuzz_ops, &limits, NULL);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;

		sbx_mcp_handle_line(&s, p, (size_t)(stop - p));
		p = nl ? nl + 1 : end;
	}
	while (npending)
		fuzz_exec_cancel(&s, pending[npending - 1].call);
	if (s.calls || s.ncalls)
		abort();
	sbx_mcp_session_free(&s);
	return 0;
}
