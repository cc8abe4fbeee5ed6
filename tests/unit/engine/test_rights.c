/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for rights.c: every spelling of every right, and the per-ABI
 * handled sets and masking (ABI 1 to 7 on directories and on files). */
#include "unit_helpers.h"

#include "engine/landlock_abi.h"
#include "engine/rights.h"

#define ABI1_FS                                                                                    \
	(SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR |     \
	 SBX_LL_FS_REMOVE_DIR | SBX_LL_FS_REMOVE_FILE | SBX_LL_FS_MAKE_CHAR | SBX_LL_FS_MAKE_DIR | \
	 SBX_LL_FS_MAKE_REG | SBX_LL_FS_MAKE_SOCK | SBX_LL_FS_MAKE_FIFO | SBX_LL_FS_MAKE_BLOCK |   \
	 SBX_LL_FS_MAKE_SYM)
#define READ_BITS (SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR)
#define WRITE_BITS                                                                                 \
	(SBX_LL_FS_WRITE_FILE | SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV | SBX_LL_FS_READ_DIR |    \
	 SBX_LL_FS_REMOVE_DIR | SBX_LL_FS_REMOVE_FILE | SBX_LL_FS_MAKE_CHAR | SBX_LL_FS_MAKE_DIR | \
	 SBX_LL_FS_MAKE_REG | SBX_LL_FS_MAKE_SOCK | SBX_LL_FS_MAKE_FIFO | SBX_LL_FS_MAKE_BLOCK |   \
	 SBX_LL_FS_MAKE_SYM | SBX_LL_FS_REFER)
#define ALL_FS (ABI1_FS | SBX_LL_FS_REFER | SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV)

static const struct sbx_right *fs_find(const char *text)
{
	return sbx_right_find(sbx_fs_rights, sbx_fs_rights_count, text, strlen(text));
}

static const struct sbx_right *net_find(const char *text)
{
	return sbx_right_find(sbx_net_rights, sbx_net_rights_count, text, strlen(text));
}

struct spelling {
	const char *text;
	const char *short_name;
	uint64_t access;
};

static void test_every_fs_right_spelling_maps_to_its_access(void **state)
{
	static const struct spelling cases[] = {
	    {"r", "r", READ_BITS},
	    {"read", "r", READ_BITS},
	    {"R", "r", READ_BITS},
	    {"READ", "r", READ_BITS},
	    {"Read", "r", READ_BITS},
	    {"rx", "rx", READ_BITS | SBX_LL_FS_EXECUTE},
	    {"read_exec", "rx", READ_BITS | SBX_LL_FS_EXECUTE},
	    {"Rx", "rx", READ_BITS | SBX_LL_FS_EXECUTE},
	    {"rX", "rx", READ_BITS | SBX_LL_FS_EXECUTE},
	    {"RX", "rx", READ_BITS | SBX_LL_FS_EXECUTE},
	    {"READ_EXEC", "rx", READ_BITS | SBX_LL_FS_EXECUTE},
	    {"w", "w", WRITE_BITS},
	    {"write", "w", WRITE_BITS},
	    {"W", "w", WRITE_BITS},
	    {"WRITE", "w", WRITE_BITS},
	    {"rw", "rw", READ_BITS | WRITE_BITS},
	    {"read_write", "rw", READ_BITS | WRITE_BITS},
	    {"RW", "rw", READ_BITS | WRITE_BITS},
	    {"Read_Write", "rw", READ_BITS | WRITE_BITS},
	    {"rwx", "rwx", READ_BITS | WRITE_BITS | SBX_LL_FS_EXECUTE},
	    {"read_write_exec", "rwx", READ_BITS | WRITE_BITS | SBX_LL_FS_EXECUTE},
	    {"RWX", "rwx", READ_BITS | WRITE_BITS | SBX_LL_FS_EXECUTE},
	    {"READ_WRITE_EXEC", "rwx", READ_BITS | WRITE_BITS | SBX_LL_FS_EXECUTE},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++) {
		const struct sbx_right *r = fs_find(cases[i].text);

		if (!r)
			fail_msg("\"%s\" is not recognised", cases[i].text);
		assert_string_equal(r->short_name, cases[i].short_name);
		assert_true(r->access == cases[i].access);
	}
}

static void test_fs_rights_ignore_surrounding_whitespace(void **state)
{
	static const char *const texts[] = {" rx", "rx ", "\trx\t", "  Rx \n", "\r read_exec \v"};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(texts); i++) {
		const struct sbx_right *r = fs_find(texts[i]);

		if (!r)
			fail_msg("\"%s\" is not recognised", texts[i]);
		assert_string_equal(r->short_name, "rx");
	}
}

static void test_fs_rights_match_only_the_given_length(void **state)
{
	const struct sbx_right *r;

	(void)state;
	/* "rx:/usr" with len 2 is "rx", and with len 1 is "r". */
	r = sbx_right_find(sbx_fs_rights, sbx_fs_rights_count, "rx:/usr", 2);
	assert_non_null(r);
	assert_string_equal(r->short_name, "rx");
	r = sbx_right_find(sbx_fs_rights, sbx_fs_rights_count, "rx:/usr", 1);
	assert_non_null(r);
	assert_string_equal(r->short_name, "r");
}

static void test_unknown_fs_rights_are_rejected(void **state)
{
	static const char *const texts[] = {
	    "",		 " ",	 "x",	"wx", "rr", "xr",   "rwxx", "reads",	"read exec",
	    "read-exec", "exec", "r x", "b",  "c",  "bind", "rw,",  "readwrite"};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(texts); i++) {
		if (fs_find(texts[i]))
			fail_msg("\"%s\" should be unknown", texts[i]);
	}
}

static void test_every_net_right_spelling_maps_to_its_access(void **state)
{
	static const struct spelling cases[] = {
	    {"b", "b", SBX_LL_NET_BIND_TCP},
	    {"bind", "b", SBX_LL_NET_BIND_TCP},
	    {"B", "b", SBX_LL_NET_BIND_TCP},
	    {"BIND", "b", SBX_LL_NET_BIND_TCP},
	    {"c", "c", SBX_LL_NET_CONNECT_TCP},
	    {"connect", "c", SBX_LL_NET_CONNECT_TCP},
	    {"C", "c", SBX_LL_NET_CONNECT_TCP},
	    {"Connect", "c", SBX_LL_NET_CONNECT_TCP},
	    {"bc", "bc", SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP},
	    {"cb", "bc", SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP},
	    {"BC", "bc", SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP},
	    {"Cb", "bc", SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP},
	    {"bind_connect", "bc", SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP},
	    {"BIND_CONNECT", "bc", SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP},
	    {" c ", "c", SBX_LL_NET_CONNECT_TCP},
	    {"\tbind_connect\n", "bc", SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++) {
		const struct sbx_right *r = net_find(cases[i].text);

		if (!r)
			fail_msg("\"%s\" is not recognised", cases[i].text);
		assert_string_equal(r->short_name, cases[i].short_name);
		assert_true(r->access == cases[i].access);
	}
}

static void test_unknown_net_rights_are_rejected(void **state)
{
	static const char *const texts[] = {
	    "", "r", "rx", "bcb", "cc", "connect_bind", "bind connect", "tcp", "b c", "connects"};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(texts); i++) {
		if (net_find(texts[i]))
			fail_msg("\"%s\" should be unknown", texts[i]);
	}
}

static void test_net_rights_need_abi_4(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sbx_net_rights_count; i++)
		assert_int_equal(sbx_net_rights[i].min_abi, 4);
	for (i = 0; i < sbx_fs_rights_count; i++)
		assert_int_equal(sbx_fs_rights[i].min_abi, 1);
}

static void test_rights_describe_lists_every_spelling(void **state)
{
	struct sbx_buf buf = {0};

	(void)state;
	sbx_rights_describe(&buf, sbx_fs_rights, sbx_fs_rights_count);
	assert_string_equal(
	    buf.data, "r, rx, w, rw, rwx (or read, read_exec, write, read_write, read_write_exec)");
	sbx_buf_free(&buf);
	sbx_rights_describe(&buf, sbx_net_rights, sbx_net_rights_count);
	assert_string_equal(buf.data, "b, c, bc/cb (or bind, connect, bind_connect)");
	sbx_buf_free(&buf);
}

static void test_right_for_access_prefers_exact_then_smallest_cover(void **state)
{
	const struct sbx_right *r;

	(void)state;
	r = sbx_right_for_access(sbx_fs_rights, sbx_fs_rights_count, READ_BITS);
	assert_string_equal(r->short_name, "r");
	r = sbx_right_for_access(sbx_fs_rights, sbx_fs_rights_count, SBX_LL_FS_EXECUTE);
	assert_string_equal(r->short_name, "rx");
	r = sbx_right_for_access(sbx_fs_rights, sbx_fs_rights_count, SBX_LL_FS_READ_FILE);
	assert_string_equal(r->short_name, "r");
	r = sbx_right_for_access(sbx_fs_rights, sbx_fs_rights_count,
				 SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE);
	assert_string_equal(r->short_name, "rwx");
	r = sbx_right_for_access(sbx_net_rights, sbx_net_rights_count, SBX_LL_NET_CONNECT_TCP);
	assert_string_equal(r->short_name, "c");
	assert_null(sbx_right_for_access(sbx_net_rights, sbx_net_rights_count, 1ULL << 5));
}

static void test_handled_fs_per_abi(void **state)
{
	static const uint64_t want[] = {
	    [0] = 0,
	    [1] = ABI1_FS,
	    [2] = ABI1_FS | SBX_LL_FS_REFER,
	    [3] = ABI1_FS | SBX_LL_FS_REFER | SBX_LL_FS_TRUNCATE,
	    [4] = ABI1_FS | SBX_LL_FS_REFER | SBX_LL_FS_TRUNCATE,
	    [5] = ALL_FS,
	    [6] = ALL_FS,
	    [7] = ALL_FS,
	    [8] = 0,
	};
	int abi;

	(void)state;
	assert_true(ABI1_FS == 0x1fff); /* bits 0-12 */
	for (abi = 0; abi <= 8; abi++) {
		if (sbx_abi_handled_fs(abi) != want[abi])
			fail_msg("ABI %d: handled fs 0x%llx, want 0x%llx", abi,
				 (unsigned long long)sbx_abi_handled_fs(abi),
				 (unsigned long long)want[abi]);
	}
	assert_true(sbx_abi_handled_fs(-1) == 0);
	assert_true(sbx_abi_handled_fs(100) == 0);
}

static void test_handled_net_starts_at_abi_4(void **state)
{
	const uint64_t tcp = SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP;
	int abi;

	(void)state;
	for (abi = -1; abi <= 9; abi++) {
		uint64_t want = (abi >= 4 && abi <= 7) ? tcp : 0;

		if (sbx_abi_handled_net(abi) != want)
			fail_msg("ABI %d: handled net 0x%llx, want 0x%llx", abi,
				 (unsigned long long)sbx_abi_handled_net(abi),
				 (unsigned long long)want);
	}
}

static void test_scopes_start_at_abi_6(void **state)
{
	const uint64_t scopes = SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET | SBX_LL_SCOPE_SIGNAL;
	int abi;

	(void)state;
	for (abi = -1; abi <= 9; abi++) {
		uint64_t want = (abi >= 6 && abi <= 7) ? scopes : 0;

		if (sbx_abi_scoped(abi) != want)
			fail_msg("ABI %d: scoped 0x%llx, want 0x%llx", abi,
				 (unsigned long long)sbx_abi_scoped(abi), (unsigned long long)want);
	}
}

static void test_abi_7_handles_the_same_as_abi_6(void **state)
{
	(void)state;
	assert_true(sbx_abi_handled_fs(7) == sbx_abi_handled_fs(6));
	assert_true(sbx_abi_handled_net(7) == sbx_abi_handled_net(6));
	assert_true(sbx_abi_scoped(7) == sbx_abi_scoped(6));
}

static void test_masking_on_directories_per_abi(void **state)
{
	const uint64_t rwx = READ_BITS | WRITE_BITS | SBX_LL_FS_EXECUTE;
	static const uint64_t want_rwx[] = {
	    [1] = ABI1_FS,
	    [2] = ABI1_FS | SBX_LL_FS_REFER,
	    [3] = ABI1_FS | SBX_LL_FS_REFER | SBX_LL_FS_TRUNCATE,
	    [4] = ABI1_FS | SBX_LL_FS_REFER | SBX_LL_FS_TRUNCATE,
	    [5] = ALL_FS,
	    [6] = ALL_FS,
	    [7] = ALL_FS,
	};
	int abi;

	(void)state;
	for (abi = 1; abi <= 7; abi++) {
		uint64_t got = sbx_fs_access_effective(rwx, abi, 1);

		if (got != want_rwx[abi])
			fail_msg("ABI %d dir rwx: 0x%llx, want 0x%llx", abi,
				 (unsigned long long)got, (unsigned long long)want_rwx[abi]);
		/* r and rx exist at every ABI and are never cut on a directory. */
		assert_true(sbx_fs_access_effective(READ_BITS, abi, 1) == READ_BITS);
		assert_true(sbx_fs_access_effective(READ_BITS | SBX_LL_FS_EXECUTE, abi, 1) ==
			    (READ_BITS | SBX_LL_FS_EXECUTE));
		/* w never gains bits it did not ask for. */
		assert_true((sbx_fs_access_effective(WRITE_BITS, abi, 1) & ~WRITE_BITS) == 0);
	}
	assert_true(sbx_fs_access_effective(WRITE_BITS, 1, 1) ==
		    (WRITE_BITS & ~(SBX_LL_FS_REFER | SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV)));
	assert_true(sbx_fs_access_effective(WRITE_BITS, 2, 1) ==
		    (WRITE_BITS & ~(SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV)));
	assert_true(sbx_fs_access_effective(WRITE_BITS, 4, 1) ==
		    (WRITE_BITS & ~SBX_LL_FS_IOCTL_DEV));
	assert_true(sbx_fs_access_effective(WRITE_BITS, 5, 1) == WRITE_BITS);
}

static void test_masking_on_files_keeps_only_file_rights(void **state)
{
	const uint64_t file_bits = SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE |
				   SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV;
	const uint64_t rwx = READ_BITS | WRITE_BITS | SBX_LL_FS_EXECUTE;
	static const uint64_t want_rwx[] = {
	    [1] = SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE,
	    [2] = SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE,
	    [3] =
		SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE,
	    [4] =
		SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE,
	    [5] = SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE |
		  SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV,
	    [6] = SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE |
		  SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV,
	    [7] = SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE |
		  SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV,
	};
	int abi;

	(void)state;
	assert_true(SBX_LL_FS_FILE_RIGHTS == file_bits);
	for (abi = 1; abi <= 7; abi++) {
		uint64_t got = sbx_fs_access_effective(rwx, abi, 0);

		if (got != want_rwx[abi])
			fail_msg("ABI %d file rwx: 0x%llx, want 0x%llx", abi,
				 (unsigned long long)got, (unsigned long long)want_rwx[abi]);
		assert_true(sbx_fs_access_effective(READ_BITS, abi, 0) == SBX_LL_FS_READ_FILE);
		assert_true(sbx_fs_access_effective(READ_BITS | SBX_LL_FS_EXECUTE, abi, 0) ==
			    (SBX_LL_FS_READ_FILE | SBX_LL_FS_EXECUTE));
		/* Directory-only rights never survive on a file. */
		assert_true(sbx_fs_access_effective(ALL_FS & ~file_bits, abi, 0) == 0);
	}
}

static void test_masking_with_no_landlock_grants_nothing(void **state)
{
	(void)state;
	assert_true(sbx_fs_access_effective(ALL_FS, 0, 1) == 0);
	assert_true(sbx_fs_access_effective(ALL_FS, 0, 0) == 0);
	assert_true(sbx_fs_access_effective(ALL_FS, 8, 1) == 0);
}

static void test_access_names_in_table_order(void **state)
{
	struct sbx_buf buf = {0};

	(void)state;
	sbx_fs_access_names(&buf, SBX_LL_FS_IOCTL_DEV | SBX_LL_FS_EXECUTE | SBX_LL_FS_REFER);
	assert_string_equal(buf.data, "execute, refer, ioctl_dev");
	sbx_buf_free(&buf);
	assert_int_equal(sbx_fs_access_bits_count, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_fs_right_spelling_maps_to_its_access),
	    cmocka_unit_test(test_fs_rights_ignore_surrounding_whitespace),
	    cmocka_unit_test(test_fs_rights_match_only_the_given_length),
	    cmocka_unit_test(test_unknown_fs_rights_are_rejected),
	    cmocka_unit_test(test_every_net_right_spelling_maps_to_its_access),
	    cmocka_unit_test(test_unknown_net_rights_are_rejected),
	    cmocka_unit_test(test_net_rights_need_abi_4),
	    cmocka_unit_test(test_rights_describe_lists_every_spelling),
	    cmocka_unit_test(test_right_for_access_prefers_exact_then_smallest_cover),
	    cmocka_unit_test(test_handled_fs_per_abi),
	    cmocka_unit_test(test_handled_net_starts_at_abi_4),
	    cmocka_unit_test(test_scopes_start_at_abi_6),
	    cmocka_unit_test(test_abi_7_handles_the_same_as_abi_6),
	    cmocka_unit_test(test_masking_on_directories_per_abi),
	    cmocka_unit_test(test_masking_on_files_keeps_only_file_rights),
	    cmocka_unit_test(test_masking_with_no_landlock_grants_nothing),
	    cmocka_unit_test(test_access_names_in_table_order),
	};

	return cmocka_run_group_tests_name("rights", tests, NULL, NULL);
}
