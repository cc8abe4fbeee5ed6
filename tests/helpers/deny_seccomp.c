/* SPDX-License-Identifier: Apache-2.0 */
/* deny_seccomp COMMAND [ARG...]: runs COMMAND under a seccomp filter that
 * makes seccomp(2) fail with EPERM, as a program that locks down its own
 * filters does. --report's tracer then cannot add the filter that watches
 * a process's ioctls (docs/diagnostics.md): the command must run exactly
 * as it would, and the report say what it could not watch. Sets
 * no_new_privs, which installing a filter requires. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	/* No architecture check: a test helper run on the machine it was
	 * built for, where the syscall number is the native one. */
	struct sock_filter filter[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};

	if (argc < 2) {
		fprintf(stderr, "usage: deny_seccomp COMMAND [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("deny_seccomp: seccomp");
		return 2;
	}
	execvp(argv[1], &argv[1]);
	perror("deny_seccomp: exec");
	return 127;
}
