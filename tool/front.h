/* SPDX-License-Identifier: Apache-2.0 */
/* The two builds of the CLI: a statically linked `sandboxec` that serves
 * `--mode run` without the dynamic loader, and its dynamically linked twin
 * `sandboxec-dynamic`, the same program, which serves everything else
 * (docs/design.md §1.1). front_static.c goes only into the first,
 * front_dynamic.c only into the second. */
#ifndef SBX_FRONT_H
#define SBX_FRONT_H

#include <stdbool.h>

/* Called first in main: the static front keeps argv for a hand-over; the
 * twin takes the directory the front was started from off argv. */
void sbx_front_start(int *argc, char ***argv);
/* The twin: true, with *dir the front's directory (NULL: none), when the
 * static front handed this invocation over. The front: false. */
bool sbx_front_given_self_dir(const char **dir);
/* The directory this binary was started from (NULL: unknown), where the
 * static front looks for its twin first. */
void sbx_front_set_self_dir(const char *dir);
/* True in the static front while it may still hand over, i.e. before it
 * has printed or changed anything. */
bool sbx_front_can_hand_over(void);
/* Execs the twin with the same arguments and environment; returns only
 * when that failed, after printing why (`what` needs the twin), with the
 * exit status. */
int sbx_front_hand_over(const char *what);
/* From here on this binary serves the invocation itself. */
void sbx_front_seal(void);

#endif
