/* SPDX-License-Identifier: Apache-2.0 */
/* libpremain.so: a library that runs code before main in both ways a
 * library can — an IFUNC resolver (called while ld.so relocates the
 * program) and a constructor — and each time tries to create a file. Used
 * by tests/security/t_premain.sh to show where the shim's policy starts.
 * The target is derived from AT_EXECFN (the path the program was started
 * as), because neither getenv nor argv is usable in an IFUNC resolver. */
#include <errno.h>
#include <fcntl.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "premain_try.h"

/* Appends s at *at; no stdio, no strerror: an IFUNC resolver runs before
 * libc is initialised, and the locale code behind strerror would crash. */
static void put(char *buf, size_t size, size_t *at, const char *s)
{
	while (*s && *at + 1 < size)
		buf[(*at)++] = *s++;
	buf[*at] = 0;
}

static const char *errno_name(int err)
{
	return err == EACCES ? "EACCES" : err == EPERM ? "EPERM" : err == EROFS ? "EROFS" : "other";
}

__attribute__((visibility("default"))) void premain_try(const char *who)
{
	const char *exe = (const char *)getauxval(AT_EXECFN);
	char path[4096], line[256];
	size_t plen = 0, llen = 0;
	int fd;

	if (!exe)
		return;
	put(path, sizeof(path), &plen, exe);
	put(path, sizeof(path), &plen, ".");
	put(path, sizeof(path), &plen, who);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	put(line, sizeof(line), &llen, who);
	put(line, sizeof(line), &llen, fd >= 0 ? " created\n" : " denied ");
	if (fd < 0) {
		put(line, sizeof(line), &llen, errno_name(errno));
		put(line, sizeof(line), &llen, "\n");
	} else {
		close(fd);
	}
	if (write(STDOUT_FILENO, line, llen) < 0)
		return;
}

static int premain_answer_impl(void)
{
	return 42;
}

static int (*premain_answer_resolver(void))(void)
{
	premain_try("ifunc");
	return premain_answer_impl;
}

__attribute__((visibility("default"))) int premain_answer(void)
    __attribute__((ifunc("premain_answer_resolver")));

__attribute__((constructor)) static void premain_constructor(void)
{
	premain_try("ctor");
}
