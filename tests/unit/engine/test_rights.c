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

/* --- parsing a right: one table of spellings per vocabulary --- */

/* One text given to sbx_right_find, which must find the right short_name
 * with its access; a case with only a text must be unknown. len 0 means
 * the whole text. */
struct right_case {
	const char *text;
	const char *short_name;
	uint64_t access;
	size_t len;
};

struct right_row {
	const char *name;
	bool net;			/* the network vocabulary, else the filesystem one */
	const struct right_case *cases; /* up to a case whose text is NULL */
};

/* A case leaves out the fields it does not need (zero). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define CASES(...) ((const struct right_case[]){__VA_ARGS__, {NULL}})
#define RX	   (READ_BITS | SBX_LL_FS_EXECUTE)
#define RW	   (READ_BITS | WRITE_BITS)
#define RWX	   (READ_BITS | WRITE_BITS | SBX_LL_FS_EXECUTE)
#define BC	   (SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP)
#define UBC	   (SBX_LL_NET_BIND_UDP | SBX_LL_NET_CONNECT_SEND_UDP)
#define TCP_BITS   BC

static const struct right_row right_rows[] = {
    {"test_every_fs_right_spelling_maps_to_its_access", false,
     CASES({"r", "r", READ_BITS}, {"read", "r", READ_BITS}, {"R", "r", READ_BITS},
	   {"READ", "r", READ_BITS}, {"Read", "r", READ_BITS}, {"rx", "rx", RX},
	   {"read_exec", "rx", RX}, {"Rx", "rx", RX}, {"rX", "rx", RX}, {"RX", "rx", RX},
	   {"READ_EXEC", "rx", RX}, {"w", "w", WRITE_BITS}, {"write", "w", WRITE_BITS},
	   {"W", "w", WRITE_BITS}, {"WRITE", "w", WRITE_BITS}, {"rw", "rw", RW},
	   {"read_write", "rw", RW}, {"RW", "rw", RW}, {"Read_Write", "rw", RW},
	   {"rwx", "rwx", RWX}, {"read_write_exec", "rwx", RWX}, {"RWX", "rwx", RWX},
	   {"READ_WRITE_EXEC", "rwx", RWX})},
    {"test_fs_rights_ignore_surrounding_whitespace", false,
     CASES({" rx", "rx", RX}, {"rx ", "rx", RX}, {"\trx\t", "rx", RX}, {"  Rx \n", "rx", RX},
	   {"\r read_exec \v", "rx", RX})},
    /* "rx:/usr" with len 2 is "rx", and with len 1 is "r". */
    {"test_fs_rights_match_only_the_given_length", false,
     CASES({"rx:/usr", "rx", RX, 2}, {"rx:/usr", "r", READ_BITS, 1})},
    {"test_unknown_fs_rights_are_rejected", false,
     CASES({""}, {" "}, {"x"}, {"wx"}, {"rr"}, {"xr"}, {"rwxx"}, {"reads"}, {"read exec"},
	   {"read-exec"}, {"exec"}, {"r x"}, {"b"}, {"c"}, {"bind"}, {"rw,"}, {"readwrite"})},
    {"test_every_net_right_spelling_maps_to_its_access", true,
     CASES({"b", "b", SBX_LL_NET_BIND_TCP}, {"bind", "b", SBX_LL_NET_BIND_TCP},
	   {"B", "b", SBX_LL_NET_BIND_TCP}, {"BIND", "b", SBX_LL_NET_BIND_TCP},
	   {"c", "c", SBX_LL_NET_CONNECT_TCP}, {"connect", "c", SBX_LL_NET_CONNECT_TCP},
	   {"C", "c", SBX_LL_NET_CONNECT_TCP}, {"Connect", "c", SBX_LL_NET_CONNECT_TCP},
	   {"bc", "bc", BC}, {"cb", "bc", BC}, {"BC", "bc", BC}, {"Cb", "bc", BC},
	   {"bind_connect", "bc", BC}, {"BIND_CONNECT", "bc", BC},
	   {" c ", "c", SBX_LL_NET_CONNECT_TCP}, {"\tbind_connect\n", "bc", BC})},
    /* UDP (ABI 10): the TCP letters behind a u. */
    {"test_every_udp_right_spelling_maps_to_its_access", true,
     CASES({"ub", "ub", SBX_LL_NET_BIND_UDP}, {"UB", "ub", SBX_LL_NET_BIND_UDP},
	   {"udp_bind", "ub", SBX_LL_NET_BIND_UDP}, {"uc", "uc", SBX_LL_NET_CONNECT_SEND_UDP},
	   {"Uc", "uc", SBX_LL_NET_CONNECT_SEND_UDP},
	   {"udp_connect", "uc", SBX_LL_NET_CONNECT_SEND_UDP}, {"ubc", "ubc", UBC},
	   {"ucb", "ubc", UBC}, {"udp_bind_connect", "ubc", UBC}, {" ubc\t", "ubc", UBC})},
    {"test_unknown_net_rights_are_rejected", true,
     CASES({""}, {"r"}, {"rx"}, {"bcb"}, {"cc"}, {"connect_bind"}, {"bind connect"}, {"tcp"},
	   {"b c"}, {"connects"}, {"u"}, {"ux"}, {"bu"}, {"cu"}, {"uu"}, {"ubcu"}, {"udp"}, {"u c"},
	   {"u_c"}, {"udp_send"}, {"bcu"}, {"ubb"})},
};

static void test_right_row(void **state)
{
	const struct right_row *row = *state;
	const struct right_case *c;

	for (c = row->cases; c->text; c++) {
		size_t len = c->len ? c->len : strlen(c->text);
		const struct sbx_right *r =
		    row->net ? sbx_right_find(sbx_net_rights, sbx_net_rights_count, c->text, len)
			     : sbx_right_find(sbx_fs_rights, sbx_fs_rights_count, c->text, len);

		if (!c->short_name) {
			if (r)
				fail_msg("\"%s\" should be unknown", c->text);
			continue;
		}
		if (!r)
			fail_msg("\"%s\" is not recognised", c->text);
		if (strcmp(r->short_name, c->short_name) != 0 || r->access != c->access)
			fail_msg("\"%s\" (length %zu) is %s 0x%llx, want %s 0x%llx", c->text, len,
				 r->short_name, (unsigned long long)r->access, c->short_name,
				 (unsigned long long)c->access);
	}
}

static void test_net_rights_need_abi_4_and_udp_abi_10(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sbx_net_rights_count; i++)
		assert_int_equal(sbx_net_rights[i].min_abi,
				 sbx_net_rights[i].access & TCP_BITS ? 4 : 10);
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
	assert_string_equal(buf.data, "b, c, bc/cb, ub, uc, ubc/ucb (or bind, connect, "
				      "bind_connect, udp_bind, udp_connect, udp_bind_connect)");
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

/* --- what each ABI handles: one row per kind of access --- */

#define ABI2_FS (ABI1_FS | SBX_LL_FS_REFER)
#define ABI3_FS (ABI2_FS | SBX_LL_FS_TRUNCATE)
#define TCP	(SBX_LL_NET_BIND_TCP | SBX_LL_NET_CONNECT_TCP)
#define SCOPES	(SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET | SBX_LL_SCOPE_SIGNAL)

_Static_assert(ABI1_FS == 0x1fff, "ABI 1 handles bits 0-12");

#define UDP (SBX_LL_NET_BIND_UDP | SBX_LL_NET_CONNECT_SEND_UDP)

/* want[abi + 1] for ABI -1 to 12; ABI 100 must handle nothing either. ABI
 * 9's resolve_unix is not among them: only restrict-unix handles it. */
struct handled_row {
	const char *name;
	uint64_t (*handled)(int abi);
	uint64_t want[14];
};

static const struct handled_row handled_rows[] = {
    {"test_handled_fs_per_abi",
     sbx_abi_handled_fs,
     {0, 0, ABI1_FS, ABI2_FS, ABI3_FS, ABI3_FS, ALL_FS, ALL_FS, ALL_FS, ALL_FS, ALL_FS, ALL_FS,
      ALL_FS, 0}},
    {"test_handled_net_tcp_at_abi_4_udp_at_10",
     sbx_abi_handled_net,
     {0, 0, 0, 0, 0, TCP, TCP, TCP, TCP, TCP, TCP, TCP | UDP, TCP | UDP, 0}},
    {"test_scopes_start_at_abi_6",
     sbx_abi_scoped,
     {0, 0, 0, 0, 0, 0, 0, SCOPES, SCOPES, SCOPES, SCOPES, SCOPES, SCOPES, 0}},
};

static void test_handled_row(void **state)
{
	const struct handled_row *row = *state;
	int abi;

	for (abi = -1; abi <= 12; abi++) {
		uint64_t got = row->handled(abi);

		if (got != row->want[abi + 1])
			fail_msg("ABI %d: 0x%llx, want 0x%llx", abi, (unsigned long long)got,
				 (unsigned long long)row->want[abi + 1]);
	}
	assert_true(row->handled(100) == 0);
}

static void test_abi_7_handles_the_same_as_abi_6(void **state)
{
	(void)state;
	assert_true(sbx_abi_handled_fs(7) == sbx_abi_handled_fs(6));
	assert_true(sbx_abi_handled_net(7) == sbx_abi_handled_net(6));
	assert_true(sbx_abi_scoped(7) == sbx_abi_scoped(6));
}

/* --help and explain say what each ABI adds: one row per ABI, in order,
 * up to the last this build knows. */
static void test_every_abi_has_one_feature_row_in_order(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(SBX_ABI_MAX, 11);
	assert_int_equal(sbx_abi_features_count, SBX_ABI_MAX);
	for (i = 0; i < sbx_abi_features_count; i++) {
		assert_int_equal(sbx_abi_features[i].abi, (int)i + 1);
		assert_true(strlen(sbx_abi_features[i].adds) <= 72);
	}
}

/* --- masking a rule's access by ABI: directories and files --- */

#define FILE_BITS                                                                                  \
	(SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE |     \
	 SBX_LL_FS_IOCTL_DEV)
#define DIR_ONLY (ALL_FS & ~FILE_BITS)
#define RX_FILE	 (SBX_LL_FS_READ_FILE | SBX_LL_FS_EXECUTE)
#define RWX_FILE (RX_FILE | SBX_LL_FS_WRITE_FILE)
/* The same answer at ABI 1 to 7. */
#define EVERY_ABI(x)                                                                               \
	{                                                                                          \
		0, x, x, x, x, x, x, x                                                             \
	}

_Static_assert(SBX_LL_FS_FILE_RIGHTS == FILE_BITS, "the rights a file rule can hold");

/* What each request becomes at each ABI (want[abi], ABI 1 to 7). */
struct masking_request {
	const char *what;
	uint64_t access;
	uint64_t want[8];
};

struct masking_row {
	const char *name;
	int is_dir;
	struct masking_request requests[5];
};

static const struct masking_row masking_rows[] = {
    /* r and rx exist at every ABI and are never cut on a directory; w and
     * rwx lose only what the ABI lacks. */
    {"test_masking_on_directories_per_abi",
     1,
     {{"rwx", RWX, {0, ABI1_FS, ABI2_FS, ABI3_FS, ABI3_FS, ALL_FS, ALL_FS, ALL_FS}},
      {"r", READ_BITS, EVERY_ABI(READ_BITS)},
      {"rx", RX, EVERY_ABI(RX)},
      {"w",
       WRITE_BITS,
       {0, WRITE_BITS & ~(SBX_LL_FS_REFER | SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV),
	WRITE_BITS & ~(SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV), WRITE_BITS & ~SBX_LL_FS_IOCTL_DEV,
	WRITE_BITS & ~SBX_LL_FS_IOCTL_DEV, WRITE_BITS, WRITE_BITS, WRITE_BITS}},
      {"directory-only rights",
       DIR_ONLY,
       {0, DIR_ONLY & ~SBX_LL_FS_REFER, DIR_ONLY, DIR_ONLY, DIR_ONLY, DIR_ONLY, DIR_ONLY,
	DIR_ONLY}}}},
    /* Directory-only rights never survive on a file. */
    {"test_masking_on_files_keeps_only_file_rights",
     0,
     {{"rwx",
       RWX,
       {0, RWX_FILE, RWX_FILE, RWX_FILE | SBX_LL_FS_TRUNCATE, RWX_FILE | SBX_LL_FS_TRUNCATE,
	FILE_BITS, FILE_BITS, FILE_BITS}},
      {"r", READ_BITS, EVERY_ABI(SBX_LL_FS_READ_FILE)},
      {"rx", RX, EVERY_ABI(RX_FILE)},
      {"w",
       WRITE_BITS,
       {0, SBX_LL_FS_WRITE_FILE, SBX_LL_FS_WRITE_FILE, SBX_LL_FS_WRITE_FILE | SBX_LL_FS_TRUNCATE,
	SBX_LL_FS_WRITE_FILE | SBX_LL_FS_TRUNCATE,
	SBX_LL_FS_WRITE_FILE | SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV,
	SBX_LL_FS_WRITE_FILE | SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV,
	SBX_LL_FS_WRITE_FILE | SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV}},
      {"directory-only rights", DIR_ONLY, EVERY_ABI(0)}}},
};

static void test_masking_row(void **state)
{
	const struct masking_row *row = *state;
	size_t i;
	int abi;

	for (i = 0; i < SBX_ARRAY_SIZE(row->requests); i++) {
		const struct masking_request *req = &row->requests[i];

		for (abi = 1; abi <= 7; abi++) {
			uint64_t got = sbx_fs_access_effective(req->access, abi, row->is_dir);

			if (got != req->want[abi])
				fail_msg("ABI %d %s: 0x%llx, want 0x%llx", abi, req->what,
					 (unsigned long long)got,
					 (unsigned long long)req->want[abi]);
		}
	}
}

static void test_masking_with_no_landlock_grants_nothing(void **state)
{
	(void)state;
	assert_true(sbx_fs_access_effective(ALL_FS, 0, 1) == 0);
	assert_true(sbx_fs_access_effective(ALL_FS, 0, 0) == 0);
	assert_true(sbx_fs_access_effective(ALL_FS, SBX_ABI_MAX + 1, 1) == 0);
}

static void test_access_names_in_table_order(void **state)
{
	struct sbx_buf buf = {0};

	(void)state;
	sbx_fs_access_names(&buf, SBX_LL_FS_IOCTL_DEV | SBX_LL_FS_EXECUTE | SBX_LL_FS_REFER);
	assert_string_equal(buf.data, "execute, refer, ioctl_dev");
	sbx_buf_free(&buf);
	/* The 16 bits of ABIs 1-7, and ABI 9's RESOLVE_UNIX for restrict-unix. */
	assert_int_equal(sbx_fs_access_bits_count, 17);
}

int main(void)
{
	static const struct CMUnitTest singles[] = {
	    cmocka_unit_test(test_net_rights_need_abi_4_and_udp_abi_10),
	    cmocka_unit_test(test_every_abi_has_one_feature_row_in_order),
	    cmocka_unit_test(test_rights_describe_lists_every_spelling),
	    cmocka_unit_test(test_right_for_access_prefers_exact_then_smallest_cover),
	    cmocka_unit_test(test_abi_7_handles_the_same_as_abi_6),
	    cmocka_unit_test(test_masking_with_no_landlock_grants_nothing),
	    cmocka_unit_test(test_access_names_in_table_order),
	};
	struct ut_suite suite = {0};

	UT_SUITE_ADD_ROWS(&suite, test_right_row, NULL, NULL, right_rows);
	UT_SUITE_ADD_ROWS(&suite, test_handled_row, NULL, NULL, handled_rows);
	UT_SUITE_ADD_ROWS(&suite, test_masking_row, NULL, NULL, masking_rows);
	UT_SUITE_ADD_TESTS(&suite, singles);
	return ut_suite_run(&suite, "rights");
}
