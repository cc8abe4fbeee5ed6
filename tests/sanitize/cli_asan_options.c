/* SPDX-License-Identifier: Apache-2.0 */
/* Linked into the CLI of `make SANITIZE=1` builds only (mk/sanitize.mk).
 * LeakSanitizer cannot work inside a Landlock domain: it lists
 * /proc/PID/task, which policies do not grant, and every exit becomes a
 * fatal error. ASAN_OPTIONS cannot switch it off either, because the
 * runtime reads the environment from /proc/self/environ — denied too when
 * the CLI itself starts inside a sandbox (nested runs). So the default is
 * compiled in; leaks in the engine are caught by the unit tests and the
 * fuzzers, which keep LeakSanitizer. */
const char *__asan_default_options(void);

__attribute__((visibility("default"))) const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}
