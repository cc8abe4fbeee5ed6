/* SPDX-License-Identifier: Apache-2.0 */
/* deny_unshare COMMAND [ARG...]: runs COMMAND under a seccomp filter that
 * makes unshare(2) fail with EPERM, as container runtimes' default filters
 * do. The shim asks unshare(CLONE_THREAD) whether other threads exist;
 * under this filter it must fall back to counting /proc/self/task (or,
 * where /proc is denied, to glibc's count) and still refuse. Sets
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
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};

	if (argc < 2) {
		fprintf(stderr, "usage: deny_unshare COMMAND [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("deny_unshare: seccomp");
		return 2;
	}
	execvp(argv[1], &argv[1]);
	perror("deny_unshare: exec");
	return 127;
}
