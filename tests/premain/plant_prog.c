/* SPDX-License-Identifier: Apache-2.0 */
/* The program a planted library targets (tests/security/t_escape_plant.sh):
 * it is built three ways — with a DT_RUNPATH, with a DT_RPATH, and with
 * neither (for LD_LIBRARY_PATH) — each naming $ORIGIN/lib, where the test
 * plants libraries. It dlopen()s each soname given as an argument, the way
 * the loader would find it for this program, then tries to create
 * "main.ran" in the current directory. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	for (int i = 1; i < argc; i++)
		if (!dlopen(argv[i], RTLD_NOW | RTLD_LOCAL))
			fprintf(stderr, "plant_prog: dlopen %s: %s\n", argv[i], dlerror());
	fd = open("main.ran", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		printf("main denied %s\n", strerror(errno));
		return 0;
	}
	close(fd);
	printf("main created\n");
	return 0;
}
