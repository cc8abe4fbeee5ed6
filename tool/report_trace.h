/* SPDX-License-Identifier: Apache-2.0 */
/* --report: run the command confined and traced, then print what the
 * sandbox denied (docs/diagnostics.md). CLI-only: the shim never traces. */
#ifndef SBX_REPORT_TRACE_H
#define SBX_REPORT_TRACE_H

#include <sys/types.h>

#include "cli.h"
#include "engine/denial.h"
#include "engine/learn.h"

/* Runs cli->argv under the policy in a traced child, prints the report on
 * stderr when every traced process has ended, and returns the command's
 * exit status (a command killed by a signal is re-raised here). */
int sbx_report_run(struct sbx_cli *cli);

/* What a traced run does: confine with cli->policy (or run as it is, to
 * learn), collect denials in report and what succeeded in learn (either
 * may be NULL). */
struct sbx_trace_opts {
	bool confine;
	struct sbx_report *report;
	struct sbx_learn *learn;
};

/* Runs cli->argv traced until every traced process has ended; the
 * command's wait status in *wait_status. -1 after printing why it could
 * not start. */
int sbx_trace_command(struct sbx_cli *cli, const struct sbx_trace_opts *opts, int *wait_status);

/* The report's facts for cli->policy: its plan (freed by the caller with
 * sbx_plan_free) and the real paths of its rules. -1 after printing why. */
int sbx_report_prepare(struct sbx_cli *cli, struct sbx_plan *plan, struct sbx_report *report);

/* A tracer for a caller that forks the command itself and does the
 * waiting (the MCP call supervisor, docs/mcp.md). The child calls
 * ptrace(PTRACE_TRACEME) and stops itself with SIGSTOP, and, as the last
 * step before its exec, sbx_trace_install_filter(); the caller, once
 * waitpid saw the stop, attaches, then hands every wait status of a traced
 * thread (waitpid with __WALL) to sbx_tracer_event. Denials go to report. */
struct sbx_tracer;
struct sbx_tracer *sbx_tracer_attach(pid_t child, struct sbx_report *report);
void sbx_tracer_event(struct sbx_tracer *tr, pid_t tid, int status);
void sbx_tracer_free(struct sbx_tracer *tr);

/* The seccomp filter that stops the traced calls (no_new_privs first);
 * -1 with errno set. Without a tracer attached these calls fail ENOSYS. */
int sbx_trace_install_filter(void);

/* Whether this tracer can fail a call the sandbox filter handed it
 * (SBX_SECCOMP_TRACE_NET): it must skip the call by its registers. */
bool sbx_trace_can_refuse(void);

#endif
