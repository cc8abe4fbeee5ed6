/* SPDX-License-Identifier: Apache-2.0 */
/* probe: performs exactly one operation and reports its outcome, so the
 * integration tests can run it once unsandboxed and once under sandboxec and
 * compare. It must never do more than the one operation it is asked for
 * (no extra opens, no retries), or a denial could be blamed on the wrong call.
 *
 * Output, one line on stdout:
 *   ok                     the operation succeeded          exit 0
 *   denied <ERRNO>         it failed with EACCES or EPERM   exit 3
 *   error <ERRNO>          it failed with any other errno   exit 4
 * Usage errors print to stderr and exit 2. Servers ("serve",
 * "abstract-listen") print "ready <PORT>" / "ready" once listening and
 * keep running until their timeout.
 *
 *   probe read FILE              open(O_RDONLY) + read one byte
 *   probe write FILE             open(O_WRONLY|O_CREAT) + write "x"
 *   probe append FILE            open(O_WRONLY|O_APPEND) + write "x" (no create)
 *   probe create FILE            open(O_WRONLY|O_CREAT|O_EXCL)
 *   probe open-trunc FILE        open(O_WRONLY|O_TRUNC)
 *   probe truncate FILE          truncate(FILE, 0)
 *   probe ftruncate FILE         open(O_WRONLY) + ftruncate(fd, 0)
 *   probe mkdir DIR | rmdir DIR | unlink FILE | mkfifo PATH
 *   probe ls DIR                 opendir + readdir to the end
 *   probe exec FILE [ARG...]     fork; child execv()s FILE; reports whether
 *                                the execve succeeded (not FILE's status)
 *   probe rename A B | link A B | symlink TARGET LINK
 *   probe connect PORT           TCP connect to 127.0.0.1:PORT
 *   probe bind PORT              TCP bind to 127.0.0.1:PORT
 *   probe udp-connect PORT       UDP connect to 127.0.0.1:PORT
 *   probe freeport               prints a currently free TCP port (no "ok")
 *   probe serve PORT SECONDS     TCP listen on 127.0.0.1:PORT (0: any), print
 *                                "ready <PORT>", answer each connection with a
 *                                minimal HTTP response, exit after SECONDS
 *   probe kill PID SIG           kill(PID, SIG); SIG is a number or a name
 *   probe signal-parent          kill(getppid(), 0)
 *   probe signal-child           fork a child that pauses, kill(child, SIGTERM)
 *   probe abstract-listen NAME SECONDS   listen on abstract unix socket @NAME
 *   probe abstract-connect NAME          connect to abstract unix socket @NAME
 *   probe abstract-self NAME     listen on @NAME and connect to it, in-process
 *   probe landlock-abi           prints the kernel's Landlock ABI (0: none)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errno_names.h"

enum { EXIT_OK = 0, EXIT_USAGE = 2, EXIT_DENIED = 3, EXIT_ERROR = 4 };

static const char *errno_name(int e)
{
	return errno_name_or(e, "E");
}

/* Reports the outcome of the one operation: rc < 0 means it failed with
 * errno e. Returns the exit status. */
static int report(int rc, int e)
{
	if (rc >= 0) {
		puts("ok");
		return EXIT_OK;
	}
	if (e == EACCES || e == EPERM) {
		printf("denied %s\n", errno_name(e));
		return EXIT_DENIED;
	}
	printf("error %s\n", errno_name(e));
	return EXIT_ERROR;
}

static int usage(void)
{
	fputs("usage: probe OP ARGS... (see the header of tests/helpers/probe.c)\n", stderr);
	return EXIT_USAGE;
}

static int parse_port(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v > 65535) {
		fprintf(stderr, "probe: bad port '%s'\n", s);
		exit(EXIT_USAGE);
	}
	return (int)v;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sa;
}

/* Fills an abstract unix address "@NAME"; returns its length. */
static socklen_t abstract_addr(struct sockaddr_un *sa, const char *name)
{
	size_t n = strlen(name);
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (n + 1 > sizeof(sa->sun_path)) {
		fprintf(stderr, "probe: name too long\n");
		exit(EXIT_USAGE);
	}
	memcpy(sa->sun_path + 1, name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int op_read(const char *path)
{
	char c;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return report(-1, errno);
	ssize_t n = read(fd, &c, 1);
	int e = errno;
	close(fd);
	return report(n < 0 ? -1 : 0, e);
}

static int op_write_flags(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);
	if (fd < 0)
		return report(-1, errno);
	ssize_t n = write(fd, "x", 1);
	int e = errno;
	close(fd);
	return report(n < 0 ? -1 : 0, e);
}

static int op_open_only(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);
	int e = errno;
	if (fd >= 0)
		close(fd);
	return report(fd, e);
}

static int op_ftruncate(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return report(-1, errno);
	int rc = ftruncate(fd, 0);
	int e = errno;
	close(fd);
	return report(rc, e);
}

static int op_ls(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return report(-1, errno);
	errno = 0;
	while (readdir(d))
		;
	int e = errno;
	closedir(d);
	return report(e ? -1 : 0, e);
}

/* The child reports a failed execve through a close-on-exec pipe: no bytes
 * means the exec happened. The exec'd program's own status is irrelevant. */
static int op_exec(char **argv)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return report(-1, errno);
	pid_t pid = fork();
	if (pid < 0)
		return report(-1, errno);
	if (pid == 0) {
		close(p[0]);
		execv(argv[0], argv);
		int e = errno;
		ssize_t unused = write(p[1], &e, sizeof(e));
		(void)unused;
		_exit(127);
	}
	close(p[1]);
	int e = 0;
	ssize_t n = read(p[0], &e, sizeof(e));
	close(p[0]);
	waitpid(pid, NULL, 0);
	return report(n == (ssize_t)sizeof(e) ? -1 : 0, e);
}

static int op_connect(int type, int port)
{
	int s = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (s < 0)
		return report(-1, errno);
	struct sockaddr_in sa = loopback(port);
	int rc = connect(s, (struct sockaddr *)&sa, sizeof(sa));
	int e = errno;
	close(s);
	return report(rc, e);
}

static int op_bind(int port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return report(-1, errno);
	struct sockaddr_in sa = loopback(port);
	int rc = bind(s, (struct sockaddr *)&sa, sizeof(sa));
	int e = errno;
	close(s);
	return report(rc, e);
}

static int op_freeport(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = loopback(0);
	socklen_t len = sizeof(sa);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) < 0)
		return report(-1, errno);
	printf("%d\n", ntohs(sa.sin_port));
	close(s);
	return EXIT_OK;
}

/* Accepts and answers connections until the deadline; a minimal HTTP/1.0
 * reply lets curl be the client, as in the user guide. */
static int serve_until(int s, int seconds, int http)
{
	time_t end = time(NULL) + seconds;
	static const char reply[] = "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n"
				    "Connection: close\r\n\r\nok\n";
	while (time(NULL) < end) {
		struct pollfd pfd = {.fd = s, .events = POLLIN};
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		if (http) {
			char buf[1024];
			struct pollfd cfd = {.fd = c, .events = POLLIN};
			if (poll(&cfd, 1, 500) > 0 && read(c, buf, sizeof(buf)) > 0) {
				ssize_t unused = write(c, reply, sizeof(reply) - 1);
				(void)unused;
			}
		}
		close(c);
	}
	close(s);
	return EXIT_OK;
}

static int op_serve(int port, int seconds)
{
	int one = 1;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = loopback(port);
	socklen_t len = sizeof(sa);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 64) < 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) < 0)
		return report(-1, errno);
	printf("ready %d\n", ntohs(sa.sin_port));
	fflush(stdout);
	return serve_until(s, seconds, 1);
}

static int op_abstract_listen(const char *name, int seconds)
{
	struct sockaddr_un sa;
	socklen_t len = abstract_addr(&sa, name);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, len) < 0 || listen(s, 16) < 0)
		return report(-1, errno);
	puts("ready");
	fflush(stdout);
	return serve_until(s, seconds, 0);
}

static int op_abstract_connect(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len = abstract_addr(&sa, name);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return report(-1, errno);
	int rc = connect(s, (struct sockaddr *)&sa, len);
	int e = errno;
	close(s);
	return report(rc, e);
}

/* Both ends inside one process, hence one Landlock domain: scoping must
 * not stop it. The setup is not the operation under test, so its failure
 * is a usage-level error. */
static int op_abstract_self(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len = abstract_addr(&sa, name);
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, len) < 0 || listen(l, 1) < 0) {
		perror("probe: abstract-self setup");
		return EXIT_USAGE;
	}
	int rc = op_abstract_connect(name);
	close(l);
	return rc;
}

static int parse_signal(const char *s)
{
	static const struct {
		const char *name;
		int sig;
	} names[] = {{"0", 0},		{"HUP", SIGHUP},   {"INT", SIGINT},   {"KILL", SIGKILL},
		     {"TERM", SIGTERM}, {"CONT", SIGCONT}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].sig;
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v > 64) {
		fprintf(stderr, "probe: bad signal '%s'\n", s);
		exit(EXIT_USAGE);
	}
	return (int)v;
}

static int op_signal_child(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return report(-1, errno);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	int rc = kill(pid, SIGTERM);
	int e = errno;
	if (rc < 0)
		kill(pid, SIGKILL); /* cannot fail where SIGTERM did not, but never leak */
	waitpid(pid, NULL, 0);
	return report(rc, e);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const char *op = argv[1];
	const char *a = argc > 2 ? argv[2] : NULL;
	const char *b = argc > 3 ? argv[3] : NULL;

#define NEED(n)                                                                                    \
	do {                                                                                       \
		if (argc != (n) + 2)                                                               \
			return usage();                                                            \
	} while (0)

	if (!strcmp(op, "read")) {
		NEED(1);
		return op_read(a);
	} else if (!strcmp(op, "write")) {
		NEED(1);
		return op_write_flags(a, O_WRONLY | O_CREAT);
	} else if (!strcmp(op, "append")) {
		NEED(1);
		return op_write_flags(a, O_WRONLY | O_APPEND);
	} else if (!strcmp(op, "create")) {
		NEED(1);
		return op_open_only(a, O_WRONLY | O_CREAT | O_EXCL);
	} else if (!strcmp(op, "open-trunc")) {
		NEED(1);
		return op_open_only(a, O_WRONLY | O_TRUNC);
	} else if (!strcmp(op, "truncate")) {
		NEED(1);
		int rc = truncate(a, 0);
		return report(rc, errno);
	} else if (!strcmp(op, "ftruncate")) {
		NEED(1);
		return op_ftruncate(a);
	} else if (!strcmp(op, "mkdir")) {
		NEED(1);
		int rc = mkdir(a, 0755);
		return report(rc, errno);
	} else if (!strcmp(op, "rmdir")) {
		NEED(1);
		int rc = rmdir(a);
		return report(rc, errno);
	} else if (!strcmp(op, "unlink")) {
		NEED(1);
		int rc = unlink(a);
		return report(rc, errno);
	} else if (!strcmp(op, "mkfifo")) {
		NEED(1);
		int rc = mkfifo(a, 0644);
		return report(rc, errno);
	} else if (!strcmp(op, "ls")) {
		NEED(1);
		return op_ls(a);
	} else if (!strcmp(op, "exec")) {
		if (argc < 3)
			return usage();
		return op_exec(argv + 2);
	} else if (!strcmp(op, "rename")) {
		NEED(2);
		int rc = rename(a, b);
		return report(rc, errno);
	} else if (!strcmp(op, "link")) {
		NEED(2);
		int rc = link(a, b);
		return report(rc, errno);
	} else if (!strcmp(op, "symlink")) {
		NEED(2);
		int rc = symlink(a, b);
		return report(rc, errno);
	} else if (!strcmp(op, "connect")) {
		NEED(1);
		return op_connect(SOCK_STREAM, parse_port(a));
	} else if (!strcmp(op, "udp-connect")) {
		NEED(1);
		return op_connect(SOCK_DGRAM, parse_port(a));
	} else if (!strcmp(op, "bind")) {
		NEED(1);
		return op_bind(parse_port(a));
	} else if (!strcmp(op, "freeport")) {
		NEED(0);
		return op_freeport();
	} else if (!strcmp(op, "serve")) {
		NEED(2);
		return op_serve(parse_port(a), atoi(b));
	} else if (!strcmp(op, "kill")) {
		NEED(2);
		int rc = kill((pid_t)atoi(a), parse_signal(b));
		return report(rc, errno);
	} else if (!strcmp(op, "signal-parent")) {
		NEED(0);
		int rc = kill(getppid(), 0);
		return report(rc, errno);
	} else if (!strcmp(op, "signal-child")) {
		NEED(0);
		return op_signal_child();
	} else if (!strcmp(op, "abstract-listen")) {
		NEED(2);
		return op_abstract_listen(a, atoi(b));
	} else if (!strcmp(op, "abstract-connect")) {
		NEED(1);
		return op_abstract_connect(a);
	} else if (!strcmp(op, "landlock-abi")) {
		NEED(0);
		/* landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) */
		long v = syscall(444, NULL, 0, 1U << 0);
		printf("%ld\n", v < 0 ? 0L : v);
		return EXIT_OK;
	} else if (!strcmp(op, "abstract-self")) {
		NEED(1);
		return op_abstract_self(a);
	}
	return usage();
}
