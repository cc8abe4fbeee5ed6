/* SPDX-License-Identifier: Apache-2.0 */
/* --report: run the command confined and traced, then print what the
 * sandbox denied (docs/diagnostics.md). CLI-only: the shim never traces. */
#ifndef SBX_REPORT_TRACE_H
#define SBX_REPORT_TRACE_H

#include "cli.h"

/* Runs cli->argv under the policy in a traced child, prints the report on
 * stderr when every traced process has ended, and returns the command's
 * exit status (a command killed by a signal is re-raised here). */
int sbx_report_run(struct sbx_cli *cli);

#endif
