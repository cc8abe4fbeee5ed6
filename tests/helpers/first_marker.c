/* SPDX-License-Identifier: Apache-2.0 */
/* first_marker FILE: main's first statement creates FILE. If a test finds
 * FILE missing, main never ran — how the shim's fail-closed tests prove the
 * program was stopped before main. Exit 0 when created, 3 when denied. */
#include "marker.h"

int main(int argc, char **argv)
{
	return marker_main(argc, argv);
}
