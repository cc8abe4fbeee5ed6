/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for shim/fast/fast_settings.c: which settings the fast audit
 * entry decides alone (and which it leaves to the shim), that its tree
 * marker is the engine's, and its edits of the load lists. */
#include "unit_helpers.h"

#include "engine/envsettings.h"
#include "fast/fast_settings.h"

#define AUDIT "LD_AUDIT=/l/libsandboxec-fast.so:/l/libsandboxec.so"
#define POLICY                                                                                     \
	"SANDBOXEC_NET=", "SANDBOXEC_ABI=0", "SANDBOXEC_BEST_EFFORT=0",                            \
	    "SANDBOXEC_IGNORE_IF_MISSING=0", "SANDBOXEC_RESTRICT_SCOPED=0",                        \
	    "SANDBOXEC_ALLOW_UDP=0", "SANDBOXEC_RESTRICT_UNIX=1",                                  \
	    "SANDBOXEC_UNSAFE_HOST_RUNTIME=0", "SANDBOXEC_LOG_DENIALS=0"

static enum fast_shape shape_of(char **env)
{
	struct fast_settings s;

	return fast_settings_read(env, &s);
}

static void test_generated_settings_are_decided(void **state)
{
	char *env[] = {"A=1", "SANDBOXEC_FS=rx:/usr", POLICY, "SANDBOXEC_ADD_FS=", AUDIT, NULL};
	struct fast_settings s;

	(void)state;
	assert_int_equal(fast_settings_read(env, &s), FAST_DECIDES);
	assert_string_equal(s.fs, "rx:/usr");
	assert_true(s.restrict_unix);
	assert_false(s.restrict_scoped);
	assert_ptr_equal(s.slot_audit, &env[12]);
	assert_int_equal(s.shim_len, strlen("/l/libsandboxec.so"));
}

static void test_anything_else_is_left_to_the_shim(void **state)
{
	char *unset[] = {"SANDBOXEC_FS=rx:/usr", "SANDBOXEC_ABI=0", AUDIT, NULL};
	char *twice[] = {"SANDBOXEC_FS=rx:/usr", POLICY, "SANDBOXEC_FS=rw:/", AUDIT, NULL};
	char *unknown[] = {"SANDBOXEC_FS=rx:/usr", POLICY, "SANDBOXEC_FSS=rw:/", AUDIT, NULL};
	char *config[] = {"SANDBOXEC_FS=rx:/usr", POLICY, "SANDBOXEC_CONFIG=/c.yaml", AUDIT, NULL};
	char *net[] = {"SANDBOXEC_FS=rx:/usr", POLICY, "SANDBOXEC_ADD_NET=c:443", AUDIT, NULL};
	char *abi[] = {"SANDBOXEC_FS=rx:/usr", POLICY, AUDIT, "SANDBOXEC_ABI=3", NULL};
	char *verbose[] = {"SANDBOXEC_FS=rx:/usr", POLICY, "SANDBOXEC_VERBOSE=1", AUDIT, NULL};
	char *two_audits[] = {"SANDBOXEC_FS=rx:/usr", POLICY, AUDIT, AUDIT, NULL};

	(void)state;
	assert_int_equal(shape_of(unset), FAST_DEFERS);
	assert_int_equal(shape_of(twice), FAST_DEFERS);
	assert_int_equal(shape_of(unknown), FAST_DEFERS);
	assert_int_equal(shape_of(config), FAST_DEFERS);
	assert_int_equal(shape_of(net), FAST_DEFERS);
	assert_int_equal(shape_of(abi), FAST_DEFERS);
	assert_int_equal(shape_of(verbose), FAST_DEFERS);
	assert_int_equal(shape_of(two_audits), FAST_DEFERS);
}

static void test_without_the_shim_right_after_it_is_refused(void **state)
{
	char *alone[] = {"SANDBOXEC_FS=rx:/usr", POLICY, "LD_AUDIT=/l/libsandboxec-fast.so", NULL};
	char *after[] = {"SANDBOXEC_FS=rx:/usr", POLICY,
			 "LD_AUDIT=/l/libsandboxec.so:/l/libsandboxec-fast.so", NULL};
	char *other[] = {"SANDBOXEC_FS=rx:/usr", POLICY,
			 "LD_AUDIT=/l/libsandboxec-fast.so:/x.so:/l/libsandboxec.so", NULL};
	char *none[] = {"SANDBOXEC_FS=rx:/usr", POLICY, NULL};
	char *empty_between[] = {"SANDBOXEC_FS=rx:/usr", POLICY,
				 "LD_AUDIT=/l/libsandboxec-fast.so::/l/libsandboxec.so", NULL};

	(void)state;
	assert_int_equal(shape_of(alone), FAST_WITHOUT_SHIM);
	assert_int_equal(shape_of(after), FAST_WITHOUT_SHIM);
	assert_int_equal(shape_of(other), FAST_WITHOUT_SHIM);
	assert_int_equal(shape_of(none), FAST_WITHOUT_SHIM);
	assert_int_equal(shape_of(empty_between), FAST_DECIDES);
}

static void test_marker_is_the_engines(void **state)
{
	char *env[] = {"SANDBOXEC_FS=rx:/usr,rw:/tmp",
		       POLICY,
		       "SANDBOXEC_VERBOSE=1",
		       "X=y",
		       "SANDBOXEC_HINTS=0",
		       AUDIT,
		       NULL};
	char engine[SBX_FINGERPRINT_LEN], fast[SBX_FINGERPRINT_LEN] = {0};

	(void)state;
	sbx_env_fingerprint(env, engine);
	fast_fingerprint(env, fast);
	assert_string_equal(fast, engine);
	env[0] = "SANDBOXEC_FS=rx:/usr";
	fast_fingerprint(env, fast);
	assert_string_not_equal(fast, engine);
}

static void test_only_canonical_paths(void **state)
{
	static const char *const good[] = {"/", "/usr", "/a/b.c/d-e_f", "/a/.hidden", "/a/..b"};
	static const char *const bad[] = {"",	  "usr",    "/usr/",	    "//usr",   "/a//b",
					  "/a/.", "/a/./b", "/a/..",	    "/a/../b", "/$HOME",
					  "~/x",  "/a b",   "/a\\,b",	    "/a'b",    "/a\"b",
					  "/a,b", "/a\tb",  "/caf\xc3\xa9", "/a\x7f"};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(good); i++)
		assert_true(fast_canonical_path(good[i], strlen(good[i])));
	for (i = 0; i < SBX_ARRAY_SIZE(bad); i++)
		if (fast_canonical_path(bad[i], strlen(bad[i])))
			fail_msg("\"%s\" taken as canonical", bad[i]);
}

static void test_lists_keep_other_libraries(void **state)
{
	char out[128], small[12];
	char list[] = "/a.so /l/libsandboxec.so:/l/libsandboxec-fast.so:/b.so";

	(void)state;
	assert_int_equal(fast_list_without_ours("LD_PRELOAD", list, ": \t", out, sizeof(out)), 2);
	assert_string_equal(out, "LD_PRELOAD=/a.so:/b.so");
	assert_int_equal(
	    fast_list_without_ours("LD_AUDIT", "/l/libsandboxec.so", ":", out, sizeof(out)), 0);
	assert_string_equal(out, "LD_AUDIT=");
	assert_int_equal(fast_list_without_ours("LD_PRELOAD", list, ":", small, sizeof(small)), -1);
	fast_list_blank_ours(list, " :");
	/* Same length, our two entries and the separator between them blanked. */
	assert_int_equal(strspn(list + strlen("/a.so "), ":"),
			 strlen("/l/libsandboxec.so:/l/libsandboxec-fast.so:"));
	assert_string_equal(strrchr(list, ':'), ":/b.so");
	assert_memory_equal(list, "/a.so ", 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_generated_settings_are_decided),
	    cmocka_unit_test(test_anything_else_is_left_to_the_shim),
	    cmocka_unit_test(test_without_the_shim_right_after_it_is_refused),
	    cmocka_unit_test(test_marker_is_the_engines),
	    cmocka_unit_test(test_only_canonical_paths),
	    cmocka_unit_test(test_lists_keep_other_libraries),
	};

	return cmocka_run_group_tests_name("fast_settings", tests, NULL, NULL);
}
