/* SPDX-License-Identifier: Apache-2.0 */
/* An LD_AUDIT module that leaves a second thread running: listed before
 * the fast audit entry, it is a thread that exists before either sandboxec
 * object runs (tests/security/t_escape_fast_audit.sh). Below Landlock ABI
 * 8 the layer would not hold that thread, so the fast entry must leave the
 * decision to the shim, which refuses; from ABI 8 both confine every
 * thread at once. */
#include <pthread.h>
#include <unistd.h>

__attribute__((visibility("default"))) unsigned int la_version(unsigned int version);

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

__attribute__((constructor)) static void start_thread(void)
{
	pthread_t thread;

	if (pthread_create(&thread, NULL, idle, NULL) == 0)
		pthread_detach(thread);
}

unsigned int la_version(unsigned int version)
{
	return version;
}
