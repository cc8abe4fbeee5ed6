/* SPDX-License-Identifier: Apache-2.0 */
/* --report: run the command confined and traced, then print what the
 * sandbox denied (docs/diagnostics.md). CLI-only: the shim never traces. */
#ifndef SBX_REPORT_TRACE_H
#define SBX_REPORT_TRACE_H

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

#endif
