/* SPDX-License-Identifier: Apache-2.0 */
/* The tracer behind `report_denials` in `--mode mcp` (docs/mcp.md): hooks
 * for the call supervisor, which runs them without knowing the policy. */
#ifndef SBX_REPORT_MCP_H
#define SBX_REPORT_MCP_H

#include "engine/denial.h"
#include "mcp/mcp_supervise.h"

/* Fills out with hooks that trace a call and hand its denials, as
 * records, to the server; report (from sbx_report_prepare) must outlive
 * the server. */
void sbx_report_mcp_tracer(struct sbx_report *report, struct sbx_mcp_tracer *out);

#endif
