/* libsandboxec.so's constructor. Placeholder until the shim lands: refuses
 * to run anything, so a preload of this build never runs unsandboxed. */
#include <unistd.h>

__attribute__((constructor)) static void sandboxec_shim_init(void)
{
	static const char msg[] = "sandboxec: this libsandboxec.so build cannot apply a policy "
				  "yet; unset LD_PRELOAD\n";

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to do */
	}
	_exit(1);
}
