/* SPDX-License-Identifier: Apache-2.0 */
/* deny_landlock COMMAND [ARG...]: runs COMMAND under a seccomp filter that
 * makes the three Landlock system calls fail with ENOSYS, as on a kernel
 * built without Landlock, so best-effort behaviour can be tested on a
 * machine that has it. Sets no_new_privs, which installing a filter
 * requires. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Numbers from the kernel's table (the same on every architecture that
 * uses the generic numbering, x86-64 included). */
#define NR_CREATE_RULESET 444
#define NR_RESTRICT_SELF  446

int main(int argc, char **argv)
{
	/* No architecture check: a test helper run on the machine it was
	 * built for, where the syscall numbers are the native ones. */
	struct sock_filter filter[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, NR_CREATE_RULESET, 0, 2),
	    BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, NR_RESTRICT_SELF, 1, 0),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};

	if (argc < 2) {
		fprintf(stderr, "usage: deny_landlock COMMAND [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("deny_landlock: seccomp");
		return 2;
	}
	execvp(argv[1], &argv[1]);
	perror("deny_landlock: exec");
	return 127;
}
