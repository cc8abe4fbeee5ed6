/* SPDX-License-Identifier: Apache-2.0 */
/* threaded_marker FILE: like first_marker (marker.h), but a second thread
 * is already running when the preloaded shim's constructor runs (started
 * from DT_PREINIT_ARRAY, which the loader runs before the preload's
 * constructor, as a library constructor could). Landlock would not confine
 * that thread, so the shim must refuse: FILE must never appear. */
#include <pthread.h>
#include <unistd.h>

#include "marker.h"

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void start_thread_before_constructors(int argc, char **argv, char **envp)
{
	pthread_t thread;

	(void)argc;
	(void)argv;
	(void)envp;
	if (pthread_create(&thread, NULL, idle_thread, NULL) != 0)
		_exit(5);
}

__attribute__((section(".preinit_array"),
	       used)) static void (*const preinit)(int, char **,
						   char **) = start_thread_before_constructors;

int main(int argc, char **argv)
{
	return marker_main(argc, argv);
}
