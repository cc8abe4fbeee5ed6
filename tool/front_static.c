/* SPDX-License-Identifier: Apache-2.0 */
/* The statically linked front's side of front.h. Linked without the
 * dynamic loader, it cannot load libyaml, libmd, libelf or libjansson on
 * first use; so its sbx_lazy_open, which replaces the engine's lazylib.c
 * in this binary, hands the whole invocation to the dynamically linked
 * twin instead — which is only allowed before this process has printed or
 * changed anything, and fails closed after. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "front.h"
#include "engine/lazylib.h"
#include "engine/util.h"

extern char **environ;

#define TWIN_NAME "sandboxec-dynamic"
/* The first argument the twin takes off (front_dynamic.c). */
#define FRONT_DIR_ARG "--sandboxec-front-dir="

static int front_argc;
static char **front_argv;
static const char *front_self_dir;
static bool front_sealed;

void sbx_front_start(int *argc, char ***argv)
{
	front_argc = *argc;
	front_argv = *argv;
}

bool sbx_front_given_self_dir(const char **dir)
{
	*dir = NULL;
	return false;
}

void sbx_front_set_self_dir(const char *dir)
{
	front_self_dir = dir;
}

bool sbx_front_can_hand_over(void)
{
	return !front_sealed;
}

void sbx_front_seal(void)
{
	front_sealed = true;
}

/* The twin beside this binary (a build tree), in PREFIX/lib (an install
 * run from where it was put), or in the configured LIBDIR — the places
 * the shim is looked for, by absolute path from this binary's own
 * location, never from the environment. */
static char *twin_path(void)
{
	const char *suffixes[] = {"/" TWIN_NAME, "/../lib/" TWIN_NAME};
	struct stat st;
	size_t i;

	for (i = 0; front_self_dir && i < SBX_ARRAY_SIZE(suffixes); i++) {
		char *path = sbx_xasprintf("%s%s", front_self_dir, suffixes[i]);

		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return path;
		free(path);
	}
	return sbx_xstrdup(SBX_LIBDIR "/" TWIN_NAME);
}

/* Execs the twin; returns only on failure, with errno set and *path the
 * file tried (to free). */
static void exec_twin(char **path)
{
	char **argv = sbx_xmalloc(((size_t)front_argc + 2) * sizeof(*argv));
	char *dir_arg = sbx_xasprintf("%s%s", FRONT_DIR_ARG, front_self_dir ? front_self_dir : "");
	int i, saved;

	*path = twin_path();
	argv[0] = front_argv[0];
	argv[1] = dir_arg;
	for (i = 1; i < front_argc; i++)
		argv[i + 1] = front_argv[i];
	argv[front_argc + 1] = NULL;
	execve(*path, argv, environ);
	saved = errno;
	free(dir_arg);
	free(argv);
	errno = saved;
}

int sbx_front_hand_over(const char *what)
{
	char *path;

	exec_twin(&path);
	sbx_cli_error("%s needs the dynamically linked part of sandboxec, %s, which "
		      "could not start (%s); reinstall sandboxec",
		      what, path, strerror(errno));
	free(path);
	return 1;
}

int sbx_lazy_open(const char *soname, const char *package, const struct sbx_lazy_sym *syms,
		  size_t n_syms, void **handle, struct sbx_error *err)
{
	char *path;
	int rc;

	(void)syms;
	(void)n_syms;
	*handle = NULL;
	if (front_sealed)
		return sbx_error_set(err,
				     "cannot load %s once the run is set up; run %s directly, "
				     "which loads it",
				     soname, TWIN_NAME);
	exec_twin(&path);
	rc = sbx_error_set(err,
			   "loading %s (Debian package %s) needs the dynamically linked part "
			   "of sandboxec, %s, which could not start (%s); reinstall sandboxec",
			   soname, package, path, strerror(errno));
	free(path);
	return rc;
}

void sbx_lazy_close(void *handle)
{
	(void)handle;
}
