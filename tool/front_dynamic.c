/* SPDX-License-Identifier: Apache-2.0 */
/* The dynamically linked twin's side of front.h: it serves every
 * invocation itself, and when the static front handed one over it uses
 * the front's directory as its own, so that the shim and the profiles are
 * found where the front would have found them. */
#include <stddef.h>
#include <string.h>

#include "front.h"

/* The hidden first argument the static front adds (front_static.c). */
#define FRONT_DIR_ARG "--sandboxec-front-dir="

static bool front_handed_over;
static const char *front_dir;

void sbx_front_start(int *argc, char ***argv)
{
	char **v = *argv;

	if (*argc < 2 || strncmp(v[1], FRONT_DIR_ARG, strlen(FRONT_DIR_ARG)) != 0)
		return;
	front_handed_over = true;
	front_dir = v[1][strlen(FRONT_DIR_ARG)] ? v[1] + strlen(FRONT_DIR_ARG) : NULL;
	v[1] = v[0];
	*argv = v + 1;
	(*argc)--;
}

bool sbx_front_given_self_dir(const char **dir)
{
	*dir = front_dir;
	return front_handed_over;
}

void sbx_front_set_self_dir(const char *dir)
{
	(void)dir;
}

bool sbx_front_can_hand_over(void)
{
	return false;
}

int sbx_front_hand_over(const char *what)
{
	(void)what;
	return 1;
}

void sbx_front_seal(void)
{
}
