/* SPDX-License-Identifier: Apache-2.0 */
/* exec_env NAME=VALUE... -- PROG [ARG...]: execve(PROG) with exactly the
 * given environment, in that order, a name twice included (env(1) and the
 * shells keep one of each). For the attempts on duplicated settings
 * (tests/security/t_escape_fast_audit.sh). Exits 2 on a usage error, 127
 * when PROG cannot be run. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int sep;

	for (sep = 1; sep < argc && strcmp(argv[sep], "--") != 0; sep++)
		;
	if (sep + 1 >= argc) {
		fprintf(stderr, "usage: exec_env NAME=VALUE... -- PROG [ARG...]\n");
		return 2;
	}
	argv[sep] = NULL;
	execve(argv[sep + 1], argv + sep + 1, argv + 1);
	perror(argv[sep + 1]);
	return 127;
}
