/* SPDX-License-Identifier: Apache-2.0 */
/* fake_abi N COMMAND [ARG...]: runs COMMAND on a kernel that looks as if
 * its Landlock ABI were N (1 up to the real one): the version query,
 * landlock_create_ruleset(NULL, 0, VERSION), answers N for COMMAND and all
 * its descendants, and nothing else changes. sandboxec then handles only
 * what ABI N has, which is what a kernel of that ABI enforces, so a test
 * script can be run as on an older kernel on a machine with a newer one.
 * Every other system call, Landlock's included, goes to the real kernel. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The generic numbering (x86-64 included), as in deny_landlock.c. */
#define NR_CREATE_RULESET 444
#define VERSION_FLAG	  1U

/* The version query, and only it, goes to this process for an answer. */
static int install_filter(void)
{
	struct sock_filter filter[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_CREATE_RULESET, 0, 3),
	    /* The flags argument is an int: its low 32 bits. */
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, VERSION_FLAG, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};
	long fd =
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);

	/* Root may install a filter without no_new_privs; anyone else needs it,
	 * and then setuid programs run without their privileges. */
	if (fd < 0 && errno == EACCES && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			     &prog);
	return (int)fd;
}

/* Answers one pending query with N. A query whose caller died meanwhile
 * fails to send; that is not an error. */
static void answer(int listener, long abi)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.val = abi;
	(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int main(int argc, char **argv)
{
	char *end;
	long abi;
	int listener, status;
	pid_t child;

	if (argc < 3) {
		fprintf(stderr, "usage: fake_abi N COMMAND [ARG...]\n");
		return 2;
	}
	abi = strtol(argv[1], &end, 10);
	if (*end || abi < 1) {
		fprintf(stderr, "fake_abi: N must be 1 or more (deny_landlock stands for none)\n");
		return 2;
	}
	listener = install_filter();
	if (listener < 0) {
		perror("fake_abi: seccomp");
		return 2;
	}
	child = fork();
	if (child < 0) {
		perror("fake_abi: fork");
		return 2;
	}
	if (child == 0) {
		close(listener);
		execvp(argv[2], &argv[2]);
		perror("fake_abi: exec");
		_exit(127);
	}
	/* This process carries the filter too, so the listener never hangs
	 * up: poll with a timeout and stop when COMMAND has ended. */
	for (;;) {
		struct pollfd p = {.fd = listener, .events = POLLIN};

		if (poll(&p, 1, 50) > 0 && (p.revents & POLLIN))
			answer(listener, abi);
		if (waitpid(child, &status, WNOHANG) == child)
			break;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
