/* SPDX-License-Identifier: Apache-2.0 */
/* untraced_udp clone|clone3|notify|foreign: tries to open a UDP socket the way a program
 * under --report could if a refusal handed to the tracer (SECCOMP_RET_TRACE)
 * reached a tracer of its own: it starts a child the --report tracer does
 * not follow (CLONE_UNTRACED, by clone or clone3), traces it itself
 * (PTRACE_SEIZE with PTRACE_O_TRACESECCOMP, as its parent may) and lets
 * every seccomp stop of the child run on. With notify, it answers its own
 * socket() instead: a filter of its own returns SECCOMP_RET_USER_NOTIF for
 * it (which outranks TRACE) and a second thread, holding the listener,
 * answers CONTINUE. With foreign, its own filter returns SECCOMP_RET_TRACE
 * for socket(), whose data (the most recent filter's) then hides the
 * sandbox's refusal from the --report tracer. Prints one line and exits 0 when the child got its
 * socket
 * ("escaped"), 1 when the socket was refused ("blocked ERRNO"), 2 when the
 * untraced child could not be started or traced ("no-child ERRNO"). */
#include <errno.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child: once its parent traces it, the socket; its status says. */
static void child(int go)
{
	char c;
	int fd;

	if (read(go, &c, 1) != 1)
		_exit(99);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	_exit(fd >= 0 ? 0 : errno % 100);
}

static long start_untraced(const char *how)
{
	if (strcmp(how, "clone3") == 0) {
		struct clone_args args;

		memset(&args, 0, sizeof(args));
		args.flags = CLONE_UNTRACED;
		args.exit_signal = SIGCHLD;
		return syscall(SYS_clone3, &args, sizeof(args));
	}
	return syscall(SYS_clone, (unsigned long)(CLONE_UNTRACED | SIGCHLD), NULL, NULL, NULL,
		       NULL);
}

/* The listener's thread: lets the first notified call go on. */
static void *answer(void *arg)
{
	int listener = *(int *)arg;
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return NULL;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	return NULL;
}

/* Its own filter: socket() returns ACTION, the rest is allowed; returns
 * the listener fd with NEW_LISTENER. */
static int add_filter(unsigned action, unsigned flags)
{
	struct sock_filter filter[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, action),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static int udp_socket(void)
{
	if (socket(AF_INET, SOCK_DGRAM, 0) >= 0) {
		printf("escaped\n");
		return 0;
	}
	printf("blocked %s\n", strerror(errno));
	return 1;
}

static int notify(void)
{
	static int listener;
	pthread_t thread;

	listener = add_filter(SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER);
	if (listener < 0) {
		printf("no-listener %s\n", strerror(errno));
		return 2;
	}
	if (pthread_create(&thread, NULL, answer, &listener) != 0)
		return 64;
	return udp_socket();
}

int main(int argc, char **argv)
{
	long pid;
	int status = 0, go[2];

	if (argc != 2) {
		fprintf(stderr, "usage: untraced_udp clone|clone3|notify|foreign\n");
		return 64;
	}
	if (strcmp(argv[1], "notify") == 0)
		return notify();
	if (strcmp(argv[1], "foreign") == 0) {
		if (add_filter(SECCOMP_RET_TRACE, 0) < 0)
			return 64;
		return udp_socket();
	}
	if (pipe(go) < 0)
		return 64;
	pid = start_untraced(argv[1]);
	if (pid < 0) {
		printf("no-child %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0)
		child(go[0]);
	if (ptrace(PTRACE_SEIZE, (pid_t)pid, NULL, (void *)(long)PTRACE_O_TRACESECCOMP) < 0) {
		printf("no-trace %s\n", strerror(errno));
		kill((pid_t)pid, SIGKILL);
		return 2;
	}
	if (write(go[1], "g", 1) != 1)
		return 64;
	/* Every stop, seccomp's included, goes on unchanged. */
	while (waitpid((pid_t)pid, &status, 0) >= 0 && WIFSTOPPED(status))
		ptrace(PTRACE_CONT, (pid_t)pid, NULL, NULL);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("escaped\n");
		return 0;
	}
	printf("blocked %s\n", WIFEXITED(status) ? strerror(WEXITSTATUS(status)) : "signal");
	return 1;
}
