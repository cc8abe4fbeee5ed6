/* SPDX-License-Identifier: Apache-2.0 */
/* --report for `--mode mcp`: the tracer each call's supervisor runs when
 * the call asks for its denials (docs/mcp.md), and the records it hands the
 * server. The supervisor (tool/mcp/) knows nothing of policies or ptrace:
 * it calls the hooks set here. */
#include "report_mcp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

#include "report_trace.h"

/* What the supervisor's fork inherited: the report with the server's
 * policy facts and no denials yet. */
struct mcp_trace {
	struct sbx_report *report;
	struct sbx_tracer *tracer;
};

static int traceme(void)
{
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		return -1;
	return raise(SIGSTOP);
}

static void *start(const struct sbx_mcp_tracer *self, pid_t cmd)
{
	struct mcp_trace *t = sbx_xcalloc(1, sizeof(*t));

	t->report = self->ctx;
	t->tracer = sbx_tracer_attach(cmd, t->report);
	return t;
}

static void event(void *trace, pid_t tid, int status)
{
	sbx_tracer_event(((struct mcp_trace *)trace)->tracer, tid, status);
}

static const char *cause_name(enum sbx_denial_cause cause)
{
	switch (cause) {
	case SBX_CAUSE_SANDBOX:
		return "sandbox";
	case SBX_CAUSE_OTHER:
		return "not the sandbox";
	case SBX_CAUSE_PROBE:
		return "probe";
	}
	return "sandbox";
}

static void field(struct sbx_buf *out, const char *text)
{
	sbx_buf_append(out, text, strlen(text) + 1);
}

/* One group as the fields of sbx_mcp_denial_record (mcp_supervise.h). */
static void put_group(const struct sbx_report *r, const struct sbx_report_group *g,
		      struct sbx_buf *out)
{
	const struct sbx_denial_class *c = &g->what;
	struct sbx_buf rule = {0};
	char num[32];

	field(out, g->exe ? g->exe : "");
	field(out, sbx_access_name(c->access));
	if (sbx_access_net_bit(c->access)) {
		snprintf(num, sizeof(num), "%u", c->port);
		field(out, "port");
		field(out, num);
	} else {
		field(out, "path");
		field(out, c->n_target ? c->target[0].path : "");
	}
	snprintf(num, sizeof(num), "%lu", g->count);
	field(out, num);
	sbx_report_suggest(r, g, &rule);
	field(out, rule.len ? rule.data : "");
	field(out, cause_name(g->cause));
	sbx_buf_free(&rule);
}

static void finish(void *trace, int fd)
{
	struct mcp_trace *t = trace;
	struct sbx_buf out = {0};
	size_t i, off = 0;

	for (i = 0; i < t->report->n_groups && i < SBX_MCP_MAX_DENIALS; i++)
		put_group(t->report, &t->report->groups[i], &out);
	while (off < out.len) {
		ssize_t n = write(fd, out.data + off, out.len - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	sbx_buf_free(&out);
	sbx_tracer_free(t->tracer);
	free(t);
}

void sbx_report_mcp_tracer(struct sbx_report *report, struct sbx_mcp_tracer *out)
{
	*out = (struct sbx_mcp_tracer){
	    .traceme = traceme,
	    .filter = sbx_trace_install_filter,
	    .start = start,
	    .event = event,
	    .finish = finish,
	    .ctx = report,
	};
}
