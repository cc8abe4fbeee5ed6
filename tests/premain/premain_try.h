/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the pre-main test library and program (see premain_lib.c). */
#ifndef PREMAIN_TRY_H
#define PREMAIN_TRY_H

/* Tries to create "<the executable's path>.<who>" and prints
 * "<who> created" or "<who> denied <errno>". */
void premain_try(const char *who);

#endif
