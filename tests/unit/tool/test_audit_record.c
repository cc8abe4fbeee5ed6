/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for audit_record.c: the Landlock and SYSCALL records as this
 * kernel wrote them (captured on 6.18), hex-encoded values, and text that
 * is not a record. */
#include "unit_helpers.h"

#include <string.h>

#include "audit_record.h"
#include "engine/landlock_abi.h"

static bool parse(int type, const char *text, struct sbx_audit_record *rec)
{
	return sbx_audit_record_parse(type, text, strlen(text), rec);
}

static void test_access_fs(void **state)
{
	struct sbx_audit_record rec;

	(void)state;
	assert_true(parse(SBX_AUDIT_LANDLOCK_ACCESS,
			  "audit(1796567700.272:17): domain=1f3497fdd "
			  "blockers=fs.remove_file,fs.make_reg path=\"/tmp/aud/w\" dev=\"vda\" "
			  "ino=11043699",
			  &rec));
	assert_int_equal(rec.serial, 17);
	assert_true(rec.domain == 0x1f3497fddULL);
	assert_int_equal(rec.blocker, SBX_BLOCK_FS);
	assert_true(rec.fs_bits == (SBX_LL_FS_REMOVE_FILE | SBX_LL_FS_MAKE_REG));
	assert_string_equal(rec.path, "/tmp/aud/w");
	sbx_audit_record_free(&rec);
}

static void test_access_hex_path(void **state)
{
	struct sbx_audit_record rec;

	(void)state;
	/* "/tmp/a b": a space makes the kernel write the value in hex. */
	assert_true(parse(SBX_AUDIT_LANDLOCK_ACCESS,
			  "audit(1.2:3): domain=a blockers=fs.truncate path=2F746D702F612062 "
			  "dev=\"vda\" ino=1",
			  &rec));
	assert_true(rec.fs_bits == SBX_LL_FS_TRUNCATE);
	assert_string_equal(rec.path, "/tmp/a b");
	sbx_audit_record_free(&rec);
}

static void test_access_net_scope_ptrace(void **state)
{
	struct sbx_audit_record rec;

	(void)state;
	assert_true(parse(
	    SBX_AUDIT_LANDLOCK_ACCESS,
	    "audit(1.2:18): domain=1f blockers=net.connect_tcp daddr=127.0.0.1 dest=9", &rec));
	assert_int_equal(rec.blocker, SBX_BLOCK_CONNECT);
	assert_int_equal(rec.port, 9);
	sbx_audit_record_free(&rec);
	assert_true(parse(SBX_AUDIT_LANDLOCK_ACCESS,
			  "audit(1.2:19): domain=1f blockers=net.bind_tcp src=8080", &rec));
	assert_int_equal(rec.blocker, SBX_BLOCK_BIND);
	assert_int_equal(rec.port, 8080);
	sbx_audit_record_free(&rec);
	/* ABI 10's UDP rights and ABI 9's unix socket right. */
	assert_true(
	    parse(SBX_AUDIT_LANDLOCK_ACCESS,
		  "audit(1.2:21): domain=1f blockers=net.connect_send_udp daddr=127.0.0.1 dest=53",
		  &rec));
	assert_int_equal(rec.blocker, SBX_BLOCK_UDP_SEND);
	assert_int_equal(rec.port, 53);
	sbx_audit_record_free(&rec);
	assert_true(parse(SBX_AUDIT_LANDLOCK_ACCESS,
			  "audit(1.2:22): domain=1f blockers=net.bind_udp src=5353", &rec));
	assert_int_equal(rec.blocker, SBX_BLOCK_UDP_BIND);
	assert_int_equal(rec.port, 5353);
	sbx_audit_record_free(&rec);
	assert_true(parse(SBX_AUDIT_LANDLOCK_ACCESS,
			  "audit(1.2:23): domain=1f blockers=fs.resolve_unix path=\"/run/a.sock\"",
			  &rec));
	assert_int_equal(rec.blocker, SBX_BLOCK_FS);
	assert_true(rec.fs_bits == SBX_LL_FS_RESOLVE_UNIX);
	sbx_audit_record_free(&rec);
	assert_true(parse(SBX_AUDIT_LANDLOCK_ACCESS,
			  "audit(1.2:20): domain=1f blockers=scope.signal opid=20569 ocomm=\"p2\"",
			  &rec));
	assert_int_equal(rec.blocker, SBX_BLOCK_SIGNAL);
	sbx_audit_record_free(&rec);
	assert_true(parse(SBX_AUDIT_LANDLOCK_ACCESS,
			  "audit(1.2:11): domain=1f blockers=ptrace opid=20569 ocomm=\"p2\"",
			  &rec));
	assert_int_equal(rec.blocker, SBX_BLOCK_PTRACE);
	assert_int_equal(rec.opid, 20569);
	sbx_audit_record_free(&rec);
	assert_true(parse(SBX_AUDIT_LANDLOCK_ACCESS,
			  "audit(1.2:11): domain=1f blockers=fs.change_topology path=\"/\"", &rec));
	assert_int_equal(rec.blocker, SBX_BLOCK_OTHER);
	sbx_audit_record_free(&rec);
}

static void test_domain_and_syscall(void **state)
{
	struct sbx_audit_record rec;

	(void)state;
	assert_true(parse(SBX_AUDIT_LANDLOCK_DOMAIN,
			  "audit(1.2:11): domain=1f3497fdd status=allocated mode=enforcing "
			  "pid=20572 uid=0 exe=\"/tmp/aud/p2\" comm=\"p2\"",
			  &rec));
	assert_true(rec.allocated && !rec.deallocated);
	assert_int_equal(rec.pid, 20572);
	sbx_audit_record_free(&rec);
	assert_true(parse(SBX_AUDIT_LANDLOCK_DOMAIN,
			  "audit(1.2:21): domain=1f3497fdd status=deallocated denials=10", &rec));
	assert_true(rec.deallocated);
	assert_int_equal(rec.denials, 10);
	sbx_audit_record_free(&rec);
	assert_true(parse(SBX_AUDIT_SYSCALL,
			  "audit(1.2:16): arch=c000003e syscall=257 success=no exit=-13 "
			  "a0=ffffff9c a1=5632e4b1a041 a2=42 a3=1a4 items=0 ppid=20569 pid=20572 "
			  "comm=\"p2\" exe=\"/tmp/aud/p2\" key=(null)",
			  &rec));
	assert_int_equal(rec.syscall, 257);
	assert_true(rec.args[2] == 0x42);
	assert_int_equal(rec.pid, 20572);
	assert_string_equal(rec.exe, "/tmp/aud/p2");
	sbx_audit_record_free(&rec);
}

static void test_not_a_record(void **state)
{
	struct sbx_audit_record rec;

	(void)state;
	assert_false(parse(SBX_AUDIT_LANDLOCK_ACCESS, "", &rec));
	assert_false(parse(SBX_AUDIT_LANDLOCK_ACCESS, "domain=1 blockers=fs.read_file", &rec));
	assert_false(parse(SBX_AUDIT_LANDLOCK_ACCESS, "audit(1", &rec));
	/* An unterminated quote ends at the text's end, within bounds. */
	assert_true(parse(SBX_AUDIT_LANDLOCK_ACCESS, "audit(1.2:3): path=\"/x", &rec));
	sbx_audit_record_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_access_fs),
	    cmocka_unit_test(test_access_hex_path),
	    cmocka_unit_test(test_access_net_scope_ptrace),
	    cmocka_unit_test(test_domain_and_syscall),
	    cmocka_unit_test(test_not_a_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
