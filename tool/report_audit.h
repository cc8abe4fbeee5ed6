/* SPDX-License-Identifier: Apache-2.0 */
/* --report's backend 2: the kernel's own Landlock audit records, read over
 * the audit netlink multicast group (docs/diagnostics.md). Needs
 * CAP_AUDIT_READ and Landlock ABI 7; turns audit on for the run only when
 * it was off (CAP_AUDIT_CONTROL), and puts it back as it found it. */
#ifndef SBX_REPORT_AUDIT_H
#define SBX_REPORT_AUDIT_H

#include "cli.h"
#include "exec_diagnose.h"
#include "engine/denial.h"

/* Runs cli->argv confined, with the domain logging after exec, and adds
 * the domain's records to report. Returns -1, having run nothing, when
 * the backend is not available here (why says why); else 0 with the
 * command's wait status in *wait_status, and note holding a line for the
 * report when the kernel's count says records were lost. */
int sbx_report_audit(struct sbx_cli *cli, const struct sbx_plan *plan, struct sbx_report *report,
		     struct sbx_exec_facts *facts, int *wait_status, struct sbx_buf *note);

#endif
