/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for learn.c: accesses become Landlock rights per path, what
 * happened inside a created path moves to the directory it was created
 * in, places condense (system trees, the working directory, $HOME), a
 * shipped profile is extended when it grants most, and the YAML. */
#include "unit_helpers.h"

#include <string.h>

#include "engine/landlock_abi.h"
#include "engine/learn.h"

static const struct sbx_learn_context ctx = {"/w/proj", "/home/me", "/w/tmp"};

static void add(struct sbx_learn *l, enum sbx_learn_op op, const char *path, const char *exe)
{
	struct sbx_learn_event ev = {.op = op, .path = path, .exe = exe};

	sbx_learn_add(l, &ev);
}

static char *yaml_of(struct sbx_learn *l, const struct sbx_learn_profile *p, size_t n)
{
	struct sbx_learn_result res;
	struct sbx_buf buf = {0};

	sbx_learn_condense(l, &ctx, p, n, &res);
	sbx_learn_write_yaml(&res, "head\nline", &buf);
	sbx_learn_result_free(&res);
	return sbx_buf_steal(&buf);
}

static void test_targets_condense_places(void **state)
{
	char *t;

	(void)state;
	t = sbx_learn_target("/w/proj/src/a.c", &ctx);
	assert_string_equal(t, "/w/proj");
	free(t);
	t = sbx_learn_target("/usr/lib/x86_64-linux-gnu/libc.so.6", &ctx);
	assert_string_equal(t, "/usr");
	free(t);
	t = sbx_learn_target("/proc/123/status", &ctx);
	assert_string_equal(t, "/proc");
	free(t);
	t = sbx_learn_target("/etc/ssl/openssl.cnf", &ctx);
	assert_string_equal(t, "/etc/ssl/openssl.cnf");
	free(t);
	t = sbx_learn_target("/home/me/.gitconfig", &ctx);
	assert_string_equal(t, "/home/me/.gitconfig");
	free(t);
	t = sbx_learn_target("/home/me/.npm/_cacache/x", &ctx);
	assert_string_equal(t, "/home/me/.npm");
	free(t);
	t = sbx_learn_target("/home/me/.config/git/config", &ctx);
	assert_string_equal(t, "/home/me/.config/git");
	free(t);
	t = sbx_learn_target("/home/me/.local/share/app/db", &ctx);
	assert_string_equal(t, "/home/me/.local/share/app");
	free(t);
	t = sbx_learn_target("/w/tmp/cc1.s", &ctx);
	assert_string_equal(t, "/w/tmp");
	free(t);
}

static void test_rights_are_the_narrowest(void **state)
{
	(void)state;
	assert_string_equal(sbx_learn_rights(SBX_LL_FS_READ_FILE, false), "r");
	assert_string_equal(sbx_learn_rights(SBX_LL_FS_READ_DIR, false), "r");
	assert_string_equal(sbx_learn_rights(SBX_LL_FS_EXECUTE | SBX_LL_FS_READ_FILE, false), "rx");
	assert_string_equal(sbx_learn_rights(SBX_LL_FS_WRITE_FILE, false), "w");
	assert_string_equal(sbx_learn_rights(SBX_LL_FS_MAKE_REG | SBX_LL_FS_READ_FILE, false),
			    "rw");
	assert_string_equal(sbx_learn_rights(SBX_LL_FS_MAKE_REG | SBX_LL_FS_EXECUTE, false), "rwx");
	assert_string_equal(sbx_learn_rights(SBX_LL_NET_CONNECT_TCP, true), "c");
	assert_string_equal(sbx_learn_rights(SBX_LL_NET_BIND_TCP, true), "b");
	assert_string_equal(sbx_learn_rights(SBX_LL_NET_CONNECT_SEND_UDP, true), "uc");
	assert_string_equal(sbx_learn_rights(SBX_LL_NET_BIND_UDP, true), "ub");
	assert_string_equal(sbx_learn_rights(SBX_LL_FS_RESOLVE_UNIX, false), "w");
	assert_string_equal(sbx_learn_rights(SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP, true),
			    "bc");
}

static void test_profile_without_extends(void **state)
{
	struct sbx_learn l;
	struct sbx_learn_event conn = {
	    .op = SBX_LEARN_CONNECT, .port = 443, .exe = "/usr/bin/curl"};
	char *y;

	(void)state;
	sbx_learn_init(&l);
	add(&l, SBX_LEARN_EXEC, "/usr/bin/python3.11", "/usr/bin/python3.11");
	add(&l, SBX_LEARN_READ, "/usr/lib/python3.11/json/__init__.py", "/usr/bin/python3.11");
	add(&l, SBX_LEARN_READ, "/etc/hosts", "/usr/bin/python3.11");
	add(&l, SBX_LEARN_READ, "/home/me/.gitconfig", "/usr/bin/git");
	/* Created during the run, then written and read back: the rule is on
	 * the directory, the new files are not named. */
	add(&l, SBX_LEARN_CREATE, "/w/proj/out", "/usr/bin/python3.11");
	add(&l, SBX_LEARN_CREATE, "/w/proj/out/a.json", "/usr/bin/python3.11");
	add(&l, SBX_LEARN_WRITE, "/w/proj/out/a.json", "/usr/bin/python3.11");
	add(&l, SBX_LEARN_READ, "/w/proj/out/a.json", "/usr/bin/python3.11");
	add(&l, SBX_LEARN_READ, "/dev/null", "/bin/sh");
	sbx_learn_add(&l, &conn);
	/* UDP to the same port: a rule of its own (from a denial). */
	sbx_learn_add_bits(&l, NULL, 443, SBX_LL_NET_CONNECT_SEND_UDP, "/usr/bin/curl");
	y = yaml_of(&l, NULL, 0);
	assert_non_null(strstr(y, "# head\n# line\nfs:\n"));
	assert_non_null(strstr(y, "  - \"rw:$PWD\"  # python3.11\n"));
	assert_non_null(strstr(y, "  - \"rx:/usr\"  # python3.11\n"));
	assert_non_null(strstr(y, "  - \"r:/etc/hosts\""));
	assert_non_null(strstr(y, "  - \"r:~/.gitconfig\"  # git\n"));
	assert_non_null(strstr(y, "  - \"r:/dev/null\"  # sh\n"));
	assert_non_null(strstr(y, "net:\n  - \"c:443\"  # curl\n"));
	assert_non_null(strstr(y, "  - \"uc:443\"  # curl\n"));
	assert_null(strstr(y, "a.json"));
	assert_null(strstr(y, "extends"));
	free(y);
	sbx_learn_free(&l);
}

static void test_extends_the_profile_that_grants_most(void **state)
{
	static const struct sbx_learn_grant shell[] = {
	    {"/usr/lib", 0, SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR | SBX_LL_FS_EXECUTE},
	    {"/usr/bin", 0, SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR | SBX_LL_FS_EXECUTE},
	};
	static const struct sbx_learn_grant other[] = {
	    {"/usr", 0, SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR | SBX_LL_FS_EXECUTE},
	    {"/etc", 0, SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR},
	};
	const struct sbx_learn_profile profiles[] = {
	    {"base/shell", shell, 2},
	    {"tools/python", other, 2},
	};
	struct sbx_learn l;
	char *y;

	(void)state;
	sbx_learn_init(&l);
	add(&l, SBX_LEARN_EXEC, "/usr/bin/python3.11", "/usr/bin/python3.11");
	add(&l, SBX_LEARN_READ, "/usr/lib/python3.11/os.py", "/usr/bin/python3.11");
	add(&l, SBX_LEARN_READ, "/etc/hosts", "/usr/bin/python3.11");
	/* Both grant the /usr accesses; the one named for the program wins,
	 * and what it does not grant stays a rule of its own. */
	y = yaml_of(&l, profiles, 2);
	assert_non_null(strstr(y, "extends: [tools/python]\n"));
	assert_null(strstr(y, "fs:"));
	free(y);
	y = yaml_of(&l, profiles, 1);
	assert_non_null(strstr(y, "extends: [base/shell]\nfs:\n  - \"r:/etc/hosts\""));
	free(y);
	sbx_learn_free(&l);
}

static void test_subsumed_and_escaped(void **state)
{
	struct sbx_learn l;
	char *y;

	(void)state;
	sbx_learn_init(&l);
	add(&l, SBX_LEARN_LIST, "/etc/ssl/certs", "/usr/bin/curl");
	add(&l, SBX_LEARN_READ, "/etc/ssl/certs/ca.pem", "/usr/bin/curl");
	add(&l, SBX_LEARN_READ, "/data/a$b\"c", "/usr/bin/x\x1b]");
	y = yaml_of(&l, NULL, 0);
	assert_non_null(strstr(y, "  - \"r:/etc/ssl/certs\""));
	assert_null(strstr(y, "ca.pem"));
	assert_non_null(strstr(y, "\"r:/data/a$$b\\\"c\"  # x?]\n"));
	assert_null(strchr(y, '\x1b'));
	free(y);
	sbx_learn_free(&l);
}

static void test_empty_profile_denies_everything(void **state)
{
	struct sbx_learn l;
	char *y;

	(void)state;
	sbx_learn_init(&l);
	y = yaml_of(&l, NULL, 0);
	assert_non_null(strstr(y, "fs: []\n"));
	free(y);
	sbx_learn_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_targets_condense_places),
	    cmocka_unit_test(test_rights_are_the_narrowest),
	    cmocka_unit_test(test_profile_without_extends),
	    cmocka_unit_test(test_extends_the_profile_that_grants_most),
	    cmocka_unit_test(test_subsumed_and_escaped),
	    cmocka_unit_test(test_empty_profile_denies_everything),
	};

	return cmocka_run_group_tests_name("learn", tests, NULL, NULL);
}
