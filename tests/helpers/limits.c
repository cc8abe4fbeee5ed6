/* SPDX-License-Identifier: Apache-2.0 */
/* limits: the attempts of tests/security/t_limits_landlock.sh that go
 * around what a Landlock right covers rather than through it: truncate(2)
 * by path (not handled below ABI 3), and three ways to run code from a
 * file the policy grants read but not execute (the execute right gates
 * execve only). Same output as the escape helper:
 *   escaped [DETAIL]     the attempt got through                exit 0
 *   blocked ERRNO        a step failed (ERRNO names the first)   exit 3
 * Usage errors print to stderr and exit 2.
 *
 *   limits truncate FILE           truncate(FILE, 0): by path, no open
 *   limits exec FILE [ARG...]      execv(FILE): the one path `x` gates
 *   limits memfd-exec FILE [ARG...]  copy FILE into a memfd (open for
 *                                  reading only), then fexecve it
 *   limits dlopen LIB              dlopen(LIB) and call its
 *                                  sbx_limits_payload() (tests/limits/)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "errno_names.h"

enum { EXIT_ESCAPED = 0, EXIT_USAGE = 2, EXIT_BLOCKED = 3 };

/* Reports the errno of the step that failed. */
static int blocked(void)
{
	printf("blocked %s\n", errno_name_or(errno, "errno"));
	return EXIT_BLOCKED;
}

static int do_truncate(const char *file)
{
	if (truncate(file, 0) < 0)
		return blocked();
	printf("escaped truncated %s\n", file);
	return EXIT_ESCAPED;
}

static int do_exec(char **argv)
{
	execv(argv[0], argv);
	return blocked();
}

static int do_memfd_exec(char **argv)
{
	char buf[65536];
	ssize_t n;
	int in, mem;

	in = open(argv[0], O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return blocked();
	mem = memfd_create("limits", MFD_CLOEXEC);
	if (mem < 0)
		return blocked();
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(mem, buf, (size_t)n) != n)
			return blocked();
	if (n < 0)
		return blocked();
	close(in);
	fexecve(mem, argv, environ);
	return blocked();
}

static int do_dlopen(const char *lib)
{
	void *handle = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	const char *(*payload)(void);

	if (!handle) {
		/* dlerror() carries no errno; the open is what Landlock checks. */
		fprintf(stderr, "limits: %s\n", dlerror());
		printf("blocked dlopen\n");
		return EXIT_BLOCKED;
	}
	*(void **)&payload = dlsym(handle, "sbx_limits_payload");
	if (!payload) {
		fprintf(stderr, "limits: %s\n", dlerror());
		return EXIT_USAGE;
	}
	printf("escaped %s\n", payload());
	return EXIT_ESCAPED;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(cmd, "truncate") == 0 && argc == 3)
		return do_truncate(argv[2]);
	if (strcmp(cmd, "exec") == 0 && argc >= 3)
		return do_exec(argv + 2);
	if (strcmp(cmd, "memfd-exec") == 0 && argc >= 3)
		return do_memfd_exec(argv + 2);
	if (strcmp(cmd, "dlopen") == 0 && argc == 3)
		return do_dlopen(argv[2]);
	fprintf(stderr, "usage: limits truncate FILE | exec FILE [ARG...] | memfd-exec FILE "
			"[ARG...] | dlopen LIB\n");
	return EXIT_USAGE;
}
