/* SPDX-License-Identifier: Apache-2.0 */
/* threaded_marker FILE [THREAD_FILE]: like first_marker (marker.h), but a
 * second thread is already running when the preloaded shim's constructor
 * runs (started from DT_PREINIT_ARRAY, which the loader runs before the
 * preload's constructor, as a library constructor could). Below Landlock
 * ABI 8 the shim cannot confine that thread and must refuse: FILE must
 * never appear. From ABI 8 the shim confines every thread at once; with
 * THREAD_FILE, once main has made FILE, that early thread tries to create
 * THREAD_FILE: exit 0 when it could, 6 when it was denied, 7 on another
 * error (the marker's own statuses otherwise). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "marker.h"

static int go_pipe[2] = {-1, -1};
static pthread_t early_thread;

/* Waits for main to pass THREAD_FILE (a pointer into its argv) through
 * the pipe, then tries to create it; without one it only idles. */
static void *early_thread_main(void *arg)
{
	const char *path = NULL;
	int fd;

	(void)arg;
	if (read(go_pipe[0], &path, sizeof(path)) != (ssize_t)sizeof(path) || !path) {
		for (;;)
			pause();
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return (void *)(long)((errno == EACCES || errno == EPERM) ? 6 : 7);
	close(fd);
	return (void *)0L;
}

static void start_thread_before_constructors(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	if (pipe(go_pipe) < 0 || pthread_create(&early_thread, NULL, early_thread_main, NULL) != 0)
		_exit(5);
}

__attribute__((section(".preinit_array"),
	       used)) static void (*const preinit)(int, char **,
						   char **) = start_thread_before_constructors;

int main(int argc, char **argv)
{
	const char *path;
	void *ret;
	int status = marker_main(argc, argv);

	if (status != 0 || argc < 3)
		return status;
	path = argv[2];
	if (write(go_pipe[1], &path, sizeof(path)) != (ssize_t)sizeof(path) ||
	    pthread_join(early_thread, &ret) != 0)
		return 7;
	return (int)(long)ret;
}
