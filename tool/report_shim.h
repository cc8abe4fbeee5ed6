/* SPDX-License-Identifier: Apache-2.0 */
/* --report under the shim's settings (docs/diagnostics.md, "Shim users"):
 * when LD_PRELOAD put the shim in sandboxec itself, the shim confined
 * sandboxec before main, so the command ran under that layer whatever the
 * options say. The notes here tell the user which policy the report is
 * about, and name a command the shim could not have confined had it been
 * run directly. */
#ifndef SBX_REPORT_SHIM_H
#define SBX_REPORT_SHIM_H

#include "cli.h"
#include "engine/util.h"

/* Appends the notes (whole "sandboxec: " lines) to out; nothing when
 * sandboxec runs outside any sandboxec layer. Call before the command
 * runs: it reads the command's file. */
void sbx_report_shim_notes(const struct sbx_cli *cli, struct sbx_buf *out);

#endif
