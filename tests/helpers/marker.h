/* SPDX-License-Identifier: Apache-2.0 */
/* The marker-file main shared by first_marker.c and threaded_marker.c:
 * creates FILE (argv[1]) as the program's first act, so a test that finds
 * FILE missing knows main never ran. Exit 0 when created, 3 when denied,
 * 4 on any other error, 2 without an argument. */
#ifndef SBX_TEST_MARKER_H
#define SBX_TEST_MARKER_H

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static int marker_main(int argc, char **argv)
{
	int fd;

	if (argc < 2)
		return 2;
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return (errno == EACCES || errno == EPERM) ? 3 : 4;
	close(fd);
	return 0;
}

#endif
