/* SPDX-License-Identifier: Apache-2.0 */
/* premain_prog: linked to libpremain.so (whose IFUNC resolver and
 * constructor run before main) and with its own DT_PREINIT_ARRAY entry,
 * the earliest code an executable can run. main then tries the same and
 * exits 0 when the IFUNC was resolved. */
#include "premain_try.h"

int premain_answer(void);

static void premain_preinit(void)
{
	premain_try("preinit");
}

__attribute__((section(".preinit_array"),
	       used)) static void (*const premain_preinit_entry)(void) = premain_preinit;

int main(void)
{
	premain_try("main");
	return premain_answer() == 42 ? 0 : 9;
}
