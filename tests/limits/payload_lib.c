/* SPDX-License-Identifier: Apache-2.0 */
/* libpayload.so: the library tests/security/t_limits_landlock.sh copies
 * into a tree the policy grants read but not execute, for the helper's
 * `limits dlopen` to load and call: mapping a library executable is not
 * an execve, so Landlock's execute right does not gate it
 * (docs/security.md "What Landlock does not cover"). */
__attribute__((visibility("default"))) const char *sbx_limits_payload(void);

const char *sbx_limits_payload(void)
{
	return "code from a read-only library ran";
}
