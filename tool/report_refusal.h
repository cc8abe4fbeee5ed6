/* SPDX-License-Identifier: Apache-2.0 */
/* A network refusal of sandboxec's seccomp filter in the user's words,
 * from the call and its arguments as the tracer saw them at the stop
 * (docs/audit-and-seccomp.md has the table this mirrors). Pure. */
#ifndef SBX_REPORT_REFUSAL_H
#define SBX_REPORT_REFUSAL_H

#include <stdint.h>

#include "engine/denial.h"

/* What was refused ("a UDP socket", "listen()"), and in *fix the setting
 * that lifts the refusal, if one does. arch is seccomp_data's. */
const char *sbx_refusal_words(uint32_t arch, uint64_t nr, const uint64_t args[6],
			      enum sbx_seccomp_fix *fix);

#endif
