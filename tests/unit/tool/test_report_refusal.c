/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for report_refusal.c: each network refusal of the seccomp
 * filter in words, and the setting that lifts it where one does. */
#include "unit_helpers.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "report_refusal.h"
#include "report_syscalls.h"

static const char *words(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
			 enum sbx_seccomp_fix *fix)
{
	const uint64_t args[6] = {a0, a1, a2, 0, 0, 0};

	return sbx_refusal_words(SBX_TRACED_ARCH, nr, args, fix);
}

static void test_udp_is_lifted_by_allow_udp(void **state)
{
	enum sbx_seccomp_fix fix;

	(void)state;
	assert_non_null(strstr(words(__NR_socket, AF_INET, SOCK_DGRAM, 0, &fix), "a UDP socket"));
	assert_int_equal(fix, SBX_FIX_ALLOW_UDP);
	assert_non_null(
	    strstr(words(__NR_socket, AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP, &fix),
		   "a UDP socket"));
	assert_int_equal(fix, SBX_FIX_ALLOW_UDP);
	/* ICMP is a datagram too, but no setting opens it. */
	assert_non_null(strstr(words(__NR_socket, AF_INET, SOCK_DGRAM, IPPROTO_ICMP, &fix),
			       "another IP protocol"));
	assert_int_equal(fix, SBX_FIX_NONE);
}

static void test_listen_is_lifted_by_a_bind_rule(void **state)
{
	enum sbx_seccomp_fix fix;

	(void)state;
	assert_non_null(strstr(words(__NR_listen, 3, 5, 0, &fix), "listen()"));
	assert_int_equal(fix, SBX_FIX_BIND_PORT);
}

static void test_ways_around_the_tcp_rules_have_no_fix(void **state)
{
	enum sbx_seccomp_fix fix;

	(void)state;
	assert_non_null(
	    strstr(words(__NR_socket, AF_INET, SOCK_STREAM, IPPROTO_MPTCP, &fix), "MPTCP"));
	assert_int_equal(fix, SBX_FIX_NONE);
	assert_non_null(strstr(words(__NR_socket, AF_INET, SOCK_RAW, 0, &fix), "raw"));
	assert_non_null(strstr(words(__NR_socket, AF_PACKET, SOCK_RAW, 0, &fix), "address family"));
	assert_non_null(strstr(words(__NR_sendto, 3, 0, 0, &fix), "Fast Open"));
	assert_non_null(strstr(words(__NR_io_uring_setup, 8, 0, 0, &fix), "io_uring"));
	assert_int_equal(fix, SBX_FIX_NONE);
	/* Another architecture's numbers are not read as this one's. */
	assert_non_null(strstr(sbx_refusal_words(0x40000003U, __NR_socket,
						 (const uint64_t[6]){AF_INET, SOCK_DGRAM}, &fix),
			       "32-bit"));
	assert_int_equal(fix, SBX_FIX_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_udp_is_lifted_by_allow_udp),
	    cmocka_unit_test(test_listen_is_lifted_by_a_bind_rule),
	    cmocka_unit_test(test_ways_around_the_tcp_rules_have_no_fix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
