/* SPDX-License-Identifier: Apache-2.0 */
/* The traced system calls and decoding a failed one; see report_syscalls.h.
 * Everything read from the traced process is bounded (PATH_MAX, a
 * sockaddr) and only ever printed, escaped, by the report. */
#include "report_syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "exec_diagnose.h"
#include "report_refusal.h"
#include "engine/landlock_abi.h"
#include "engine/learn.h"

extern char **environ;

#define N		 -1
#define OPEN_CREAT_FLAGS 0x7f /* creat(): flags are implied, not an argument */

/* nr, op, dirfd, path, dirfd2, path2, flags, fd, mode */
const struct sbx_traced_call sbx_traced[] = {
#ifdef __NR_open
    {__NR_open, SBX_OP_OPEN, N, 0, N, N, 1, N, N},
    {__NR_creat, SBX_OP_OPEN, N, 0, N, N, OPEN_CREAT_FLAGS, N, N},
    {__NR_mkdir, SBX_OP_MKDIR, N, 0, N, N, N, N, N},
    {__NR_mknod, SBX_OP_MKNOD, N, 0, N, N, N, N, 1},
    {__NR_symlink, SBX_OP_SYMLINK, N, 1, N, N, N, N, N},
    {__NR_unlink, SBX_OP_UNLINK, N, 0, N, N, N, N, N},
    {__NR_rmdir, SBX_OP_RMDIR, N, 0, N, N, N, N, N},
    {__NR_rename, SBX_OP_RENAME, N, 0, N, 1, N, N, N},
    {__NR_link, SBX_OP_LINK, N, 0, N, 1, N, N, N},
#endif
    {__NR_openat, SBX_OP_OPEN, 0, 1, N, N, 2, N, N},
    {__NR_openat2, SBX_OP_OPEN, 0, 1, N, N, 2, N, N},
    {__NR_execve, SBX_OP_EXEC, N, 0, N, N, N, N, N},
    {__NR_execveat, SBX_OP_EXEC, 0, 1, N, N, N, N, N},
    {__NR_mkdirat, SBX_OP_MKDIR, 0, 1, N, N, N, N, N},
    {__NR_mknodat, SBX_OP_MKNOD, 0, 1, N, N, N, N, 2},
    {__NR_symlinkat, SBX_OP_SYMLINK, 1, 2, N, N, N, N, N},
    {__NR_unlinkat, SBX_OP_UNLINK, 0, 1, N, N, 2, N, N},
    {__NR_renameat, SBX_OP_RENAME, 0, 1, 2, 3, N, N, N},
    {__NR_renameat2, SBX_OP_RENAME, 0, 1, 2, 3, N, N, N},
    {__NR_linkat, SBX_OP_LINK, 0, 1, 2, 3, N, N, N},
    {__NR_truncate, SBX_OP_TRUNCATE, N, 0, N, N, N, N, N},
    {__NR_ftruncate, SBX_OP_TRUNCATE, N, N, N, N, N, 0, N},
    {__NR_ioctl, SBX_OP_IOCTL, N, N, N, N, N, 0, N},
    {__NR_connect, SBX_OP_CONNECT, N, N, N, N, N, 0, N},
    {__NR_bind, SBX_OP_BIND, N, N, N, N, N, 0, N},
    {__NR_kill, SBX_OP_SIGNAL, N, N, N, N, N, N, N},
    {__NR_tkill, SBX_OP_SIGNAL, N, N, N, N, N, N, N},
    {__NR_tgkill, SBX_OP_SIGNAL, N, N, N, N, N, N, N},
    {__NR_rt_sigqueueinfo, SBX_OP_SIGNAL, N, N, N, N, N, N, N},
    {__NR_rt_tgsigqueueinfo, SBX_OP_SIGNAL, N, N, N, N, N, N, N},
    {__NR_pidfd_send_signal, SBX_OP_SIGNAL, N, N, N, N, N, N, N},
};
const size_t sbx_traced_count = sizeof(sbx_traced) / sizeof(sbx_traced[0]);

_Static_assert(sizeof(sbx_traced) / sizeof(sbx_traced[0]) <= SBX_TRACED_MAX,
	       "raise SBX_TRACED_MAX");

static const struct sbx_traced_call *traced_find(uint64_t nr)
{
	size_t i;

	for (i = 0; i < sbx_traced_count; i++) {
		if ((uint64_t)sbx_traced[i].nr == nr)
			return &sbx_traced[i];
	}
	return NULL;
}

bool sbx_traced_is_traced(uint64_t nr)
{
	return traced_find(nr) != NULL;
}

bool sbx_traced_is_exec(uint64_t nr)
{
	return nr == __NR_execve || nr == __NR_execveat;
}

bool sbx_traced_is_open(uint64_t nr)
{
	const struct sbx_traced_call *c = traced_find(nr);

	return c && c->op == SBX_OP_OPEN;
}

/* Whether a file of this type, at path, can have an ioctl refused by the
 * policy: Landlock checks ioctls on devices only, against the rights the
 * file was opened with. Without report, every device. */
static bool ioctl_refusable(const struct sbx_report *report, const char *path, mode_t mode)
{
	return (S_ISCHR(mode) || S_ISBLK(mode)) &&
	       !(report && path && sbx_report_fs_granted(report, path, SBX_LL_FS_IOCTL_DEV));
}

/* Landlock refuses an ioctl only on a character or block device (its right
 * is ioctl on a device; sandboxec's filter refuses with EPERM, which the
 * report does not name for an ioctl): on a regular file probed by isatty(),
 * a pipe or a socket it cannot be a denial. The fd is looked at now, at
 * the entry: a thread that swaps it in between only costs the report that
 * one denial, never the policy. */
bool sbx_traced_outcome_matters(pid_t tid, uint64_t nr, const uint64_t args[6])
{
	const struct sbx_traced_call *c = traced_find(nr);
	char proc[64];
	struct stat st;

	if (!c || c->op != SBX_OP_IOCTL)
		return true;
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", (int)tid, (int)args[c->fd]);
	if (stat(proc, &st) < 0)
		return errno != ENOENT; /* ENOENT: no such fd, the call fails EBADF */
	return S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode);
}

/* Up to len bytes of the process's memory at addr, without crossing into a
 * page that may not be mapped; returns how many were read. */
static size_t read_mem(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t page = 4096 - ((addr + done) & 4095), want = len - done;
		struct iovec local = {(char *)buf + done, want < page ? want : page};
		struct iovec remote = {(void *)(uintptr_t)(addr + done), local.iov_len};
		ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done;
}

/* A NUL-terminated string of at most PATH_MAX - 1 bytes, read a page at
 * a time up to its end (most paths take one read). */
static char *read_string(pid_t tid, uint64_t addr)
{
	char *buf;
	size_t n = 0, got, chunk;

	if (!addr)
		return NULL;
	buf = sbx_xmalloc(PATH_MAX + 1);
	while (n < PATH_MAX) {
		chunk = 4096 - ((addr + n) & 4095);
		if (chunk > PATH_MAX - n)
			chunk = PATH_MAX - n;
		got = read_mem(tid, addr + n, buf + n, chunk);
		if (memchr(buf + n, '\0', got)) {
			buf[n + got] = '\0';
			return buf;
		}
		n += got;
		if (got < chunk)
			break;
	}
	buf[n] = '\0';
	if (n == PATH_MAX) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The target of the /proc symlink proc, or NULL. */
static char *proc_link(const char *proc)
{
	char target[PATH_MAX];
	ssize_t len = readlink(proc, target, sizeof(target) - 1);

	if (len <= 0)
		return NULL;
	target[len] = '\0';
	return sbx_xstrdup(target);
}

/* /proc/TID/NAME, or /proc/TID/fd/FD when name is NULL. */
static char *read_link(pid_t tid, const char *name, long fd)
{
	char proc[64];

	if (name)
		snprintf(proc, sizeof(proc), "/proc/%d/%s", (int)tid, name);
	else
		snprintf(proc, sizeof(proc), "/proc/%d/fd/%ld", (int)tid, fd);
	return proc_link(proc);
}

pid_t sbx_trace_thread_group(pid_t tid)
{
	char proc[64], *text = NULL, *line;
	size_t len;
	pid_t tgid = tid;

	snprintf(proc, sizeof(proc), "/proc/%d/status", (int)tid);
	if (sbx_read_file(proc, 1 << 16, &text, &len, NULL) < 0)
		return tid;
	line = strstr(text, "\nTgid:");
	if (line)
		tgid = (pid_t)strtol(line + 6, NULL, 10);
	free(text);
	return tgid;
}

/* The absolute path the call named, through its dirfd or the cwd. */
static char *call_path(pid_t tid, pid_t tgid, int dirfd_arg, int path_arg, const uint64_t args[6])
{
	char *raw = read_string(tid, args[path_arg]), *base = NULL, *path;
	int dirfd = dirfd_arg < 0 ? AT_FDCWD : (int)args[dirfd_arg];

	if (!raw)
		return NULL;
	if (raw[0] != '/')
		base = dirfd == AT_FDCWD ? read_link(tid, "cwd", 0) : read_link(tid, NULL, dirfd);
	path = sbx_denial_path(base, raw, (int)tgid, (int)tid);
	free(raw);
	free(base);
	return path;
}

char *sbx_trace_exec_path(pid_t tid, uint64_t nr, const uint64_t args[6])
{
	const struct sbx_traced_call *c = traced_find(nr);

	return c ? call_path(tid, sbx_trace_thread_group(tid), c->dirfd, c->path, args) : NULL;
}

static int open_flags(pid_t tid, const struct sbx_traced_call *c, const uint64_t args[6])
{
	uint64_t how_flags = 0;

	if (c->flags == OPEN_CREAT_FLAGS)
		return O_CREAT | O_WRONLY | O_TRUNC;
	if (c->nr == __NR_openat2) {
		read_mem(tid, args[2], &how_flags, sizeof(how_flags));
		return (int)how_flags;
	}
	return (int)args[c->flags];
}

/* connect and bind: the address family and port, or the unix path. */
static void decode_sockaddr(pid_t tid, const uint64_t args[6], struct sbx_denial_event *ev,
			    char **path)
{
	struct sockaddr_storage ss;
	size_t len = args[2] < sizeof(ss) ? (size_t)args[2] : sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (read_mem(tid, args[1], &ss, len) < sizeof(sa_family_t))
		return;
	if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6) {
		ev->inet = true;
		ev->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
							 : ((struct sockaddr_in6 *)&ss)->sin6_port);
	} else if (ss.ss_family == AF_UNIX && len > offsetof(struct sockaddr_un, sun_path)) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;

		if (un->sun_path[0] == '\0') {
			ev->abstract_unix = true;
		} else {
			char *base = read_link(tid, "cwd", 0);

			un->sun_path[sizeof(un->sun_path) - 1] = '\0';
			ev->unix_path = true;
			*path = sbx_denial_path(base, un->sun_path, ev->pid, (int)tid);
			free(base);
		}
	}
}

/* The path the kernel checked: an open, exec or truncate follows a final
 * symlink, the other calls act on the last component itself, in its
 * directory as the kernel resolves it. */
static char *canonical(const char *path, bool follow)
{
	char *real = follow ? realpath(path, NULL) : NULL, *dir, *real_dir;
	const char *base;

	if (real || !path)
		return real;
	dir = sbx_path_dirname(path);
	real_dir = realpath(dir, NULL);
	base = strrchr(path, '/');
	real = real_dir && base && base[1] ? sbx_path_join(real_dir, base + 1) : NULL;
	free(dir);
	free(real_dir);
	return real;
}

static void canonicalize(char **path, bool follow)
{
	char *real = *path ? canonical(*path, follow) : NULL;

	if (real) {
		free(*path);
		*path = real;
	}
}

/* What the tracer can stat itself, to classify: did the file exist, is it a
 * directory, are both ends of a rename on one filesystem. */
static void stat_facts(struct sbx_denial_event *ev)
{
	struct stat st, st2;
	char *a, *b;

	if (ev->op == SBX_OP_OPEN && ev->path && stat(ev->path, &st) == 0) {
		ev->existed = true;
		ev->is_dir = S_ISDIR(st.st_mode);
	}
	if ((ev->op == SBX_OP_RENAME || ev->op == SBX_OP_LINK) && ev->path && ev->path2) {
		a = sbx_path_dirname(ev->path);
		b = sbx_path_dirname(ev->path2);
		ev->same_fs = stat(a, &st) == 0 && stat(b, &st2) == 0 && st.st_dev == st2.st_dev;
		free(a);
		free(b);
	}
}

/* The protocol of the process's socket fd (IPPROTO_TCP, IPPROTO_UDP; 0
 * when unknown), asked of a copy of it. */
static int socket_proto(pid_t tgid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, tgid, 0), sock, type = 0, proto = 0;
	socklen_t len = sizeof(int);

	if (pidfd < 0)
		return 0;
	sock = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	if (sock < 0)
		return 0;
	getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &len);
	len = sizeof(int);
	getsockopt(sock, SOL_SOCKET, SO_PROTOCOL, &proto, &len);
	close(sock);
	if (type == SOCK_STREAM && proto == IPPROTO_TCP)
		return IPPROTO_TCP;
	return type == SOCK_DGRAM && proto == IPPROTO_UDP ? IPPROTO_UDP : 0;
}

/* Whether a connect or bind on the process's fd is TCP: learning keeps
 * those; UDP rules come only from denials (a UDP rule makes Landlock
 * handle every UDP port, and needs ABI 10). */
static bool is_tcp(pid_t tgid, int fd)
{
	return socket_proto(tgid, fd) == IPPROTO_TCP;
}

/* The absolute path an open or exec names, read at its entry, or NULL when the
 * tracer would have to guess: a ".." (folded by name, not as the kernel
 * walks it) or /proc (the caller's own files). */
static char *settle_path(pid_t tid, const struct sbx_traced_call *c, const uint64_t args[6])
{
	char *raw = read_string(tid, args[c->path]), *base = NULL, *path = NULL;
	int dirfd = c->dirfd < 0 ? AT_FDCWD : (int)args[c->dirfd];

	if (!raw || !raw[0] || strstr(raw, ".."))
		goto out;
	if (raw[0] != '/') {
		base = dirfd == AT_FDCWD ? read_link(tid, "cwd", 0) : read_link(tid, NULL, dirfd);
		if (!base || base[0] != '/')
			goto out;
	}
	path = base ? sbx_path_join(base, raw) : sbx_xstrdup(raw);
	if (sbx_path_in_tree(path, "/proc")) {
		free(path);
		path = NULL;
	}
out:
	free(raw);
	free(base);
	return path;
}

/* The path of this process's own descriptor fd. */
static char *own_fd_path(int fd)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return proc_link(proc);
}

/* Whether an absolute path is written as the kernel would give it back:
 * no empty or "." component, no final slash (settle_path refuses ".."). */
static bool plain_path(const char *path)
{
	size_t len = strlen(path);

	return path[0] == '/' && !strstr(path, "//") && !strstr(path, "/./") &&
	       (len == 1 || path[len - 1] != '/') &&
	       !(len >= 2 && path[len - 1] == '.' && path[len - 2] == '/');
}

/* path opened O_PATH as the kernel resolves it, and in *real its real
 * path; path (freed here) is taken as it is when the walk met no symlink
 * (openat2 RESOLVE_NO_SYMLINKS), else read back from the descriptor. -1
 * with errno when there is nothing to open. */
static int open_real(char *path, char **real)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
	int fd;

	*real = NULL;
	if (plain_path(path)) {
		fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
		if (fd >= 0 || errno == ENOENT) {
			*real = fd >= 0 ? path : NULL;
			if (fd < 0)
				free(path);
			return fd;
		}
	}
	fd = open(path, O_PATH | O_CLOEXEC);
	free(path);
	if (fd >= 0)
		*real = own_fd_path(fd);
	return fd;
}

/* The access(2) mode an open needs of the file's permissions. */
static int open_mode(int flags)
{
	int acc = flags & O_ACCMODE, mode = 0;

	if (acc != O_WRONLY)
		mode |= R_OK;
	if (acc != O_RDONLY || (flags & O_TRUNC))
		mode |= W_OK;
	return mode;
}

bool sbx_trace_fd_needs_ioctl(const struct sbx_report *report, pid_t tid, int fd)
{
	char proc[64], *path;
	struct stat st;
	bool needs;

	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", (int)tid, fd);
	if (stat(proc, &st) < 0)
		return false; /* closed already: no ioctl can reach it */
	if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		return false;
	path = proc_link(proc);
	needs = ioctl_refusable(report, path && path[0] == '/' ? path : NULL, st.st_mode);
	free(path);
	return needs;
}

bool sbx_trace_call_settled(const struct sbx_report *report, pid_t tid, uint64_t nr,
			    const uint64_t args[6], bool see_devices)
{
	const struct sbx_traced_call *c = traced_find(nr);
	/* classified as if refused: what would it have been refused? */
	struct sbx_denial_event ev = {.op = SBX_OP_OPEN, .err = EACCES};
	struct sbx_denial_class cls;
	struct stat st;
	char *path, *real;
	bool settled = true;
	size_t i;
	int fd;

	if (c && c->op == SBX_OP_EXEC) {
		/* An exec of no such file fails with ENOENT, never listed. */
		path = settle_path(tid, c, args);
		settled = path && faccessat(AT_FDCWD, path, F_OK, 0) < 0 && errno == ENOENT;
		free(path);
		return settled;
	}
	if (!c || c->op != SBX_OP_OPEN)
		return false;
	ev.open_flags = open_flags(tid, c, args);
	if (ev.open_flags & O_PATH)
		return true; /* Landlock does not check it; the report skips it */
	if (ev.open_flags & O_NOATIME)
		return false; /* EPERM on another's file */
	path = settle_path(tid, c, args);
	if (!path)
		return false;
	/* The file the open would reach, by one walk: its real path from the
	 * descriptor, its type, its permissions. */
	fd = open_real(path, &real);
	if (fd < 0)
		/* No such file (nor, with no O_CREAT, any made): ENOENT. */
		return errno == ENOENT && !(ev.open_flags & O_CREAT);
	if (!real || real[0] != '/' || fstat(fd, &st) < 0) {
		free(real);
		close(fd);
		return false;
	}
	/* A device the tracer must see opened, to watch its ioctls. */
	if (see_devices && ioctl_refusable(report, real, st.st_mode)) {
		close(fd);
		free(real);
		return false;
	}
	ev.path = real;
	ev.existed = true;
	ev.is_dir = S_ISDIR(st.st_mode);
	if (!sbx_denial_classify(&ev, &cls)) {
		close(fd);
		free(real);
		return false;
	}
	for (i = 0; i < cls.n_target; i++)
		settled &= sbx_report_fs_granted(report, cls.target[i].path, cls.target[i].bits);
	sbx_denial_class_free(&cls);
	/* The file's permissions, with this process's credentials: the
	 * command's, as long as it changed none (the tracer then stops
	 * settling). A refusal there is listed as not the sandbox's. */
	if (settled)
		settled =
		    faccessat(fd, "", open_mode(ev.open_flags), AT_EACCESS | AT_EMPTY_PATH) == 0;
	close(fd);
	free(real);
	return settled;
}

void sbx_trace_failed_call(struct sbx_report *report, pid_t tid, uint64_t nr,
			   const uint64_t args[6], int err)
{
	const struct sbx_traced_call *c = traced_find(nr);
	struct sbx_denial_event ev = {0};
	struct sbx_exec_facts facts = {0};
	char *path = NULL, *path2 = NULL, *exe;

	if (!c || (err != EACCES && err != EPERM && err != EXDEV))
		return; /* ENOENT and the rest are never a denial: read nothing */
	ev.op = c->op;
	ev.err = err;
	ev.pid = (int)sbx_trace_thread_group(tid);
	if (c->path >= 0)
		path = call_path(tid, ev.pid, c->dirfd, c->path, args);
	else if (c->fd >= 0 && (c->op == SBX_OP_TRUNCATE || c->op == SBX_OP_IOCTL))
		path = read_link(tid, NULL, (long)(int)args[c->fd]);
	if (c->path2 >= 0)
		path2 = call_path(tid, ev.pid, c->dirfd2, c->path2, args);
	if (c->op == SBX_OP_OPEN)
		ev.open_flags = open_flags(tid, c, args);
	if (c->op == SBX_OP_UNLINK && c->flags >= 0 && (args[c->flags] & AT_REMOVEDIR))
		ev.op = SBX_OP_RMDIR;
	if (c->mode >= 0)
		ev.mode = (unsigned)args[c->mode];
	if (c->op == SBX_OP_CONNECT || c->op == SBX_OP_BIND)
		decode_sockaddr(tid, args, &ev, &path);
	if (ev.inet)
		ev.udp = socket_proto(ev.pid, (int)args[c->fd]) == IPPROTO_UDP;
	canonicalize(&path,
		     c->op == SBX_OP_OPEN || c->op == SBX_OP_EXEC || c->op == SBX_OP_TRUNCATE);
	canonicalize(&path2, false);
	ev.path = path;
	ev.path2 = path2;
	stat_facts(&ev);
	exe = read_link(tid, "exe", 0);
	ev.exe = exe;
	if (c->op == SBX_OP_EXEC && err == EACCES && path) {
		/* The kernel executes the #! interpreter or ELF loader too: the
		 * report blames it when the file itself may run. */
		sbx_exec_facts_gather(path, environ, &facts);
		sbx_exec_facts_resolve(&facts);
		ev.interp = facts.interp;
		ev.interp_script = facts.is_script;
	}
	sbx_report_add(report, &ev);
	sbx_exec_facts_free(&facts);
	free(exe);
	free(path);
	free(path2);
}

void sbx_trace_refused_call(struct sbx_report *report, pid_t tid, uint32_t arch, uint64_t nr,
			    const uint64_t args[6], int err)
{
	struct sbx_denial_event ev = {.op = SBX_OP_SECCOMP, .err = err};
	char *exe = read_link(tid, "exe", 0);

	ev.pid = (int)sbx_trace_thread_group(tid);
	ev.exe = exe;
	ev.what = sbx_refusal_words(arch, nr, args, &ev.fix);
	sbx_report_add(report, &ev);
	free(exe);
}

void sbx_learn_call_clear(struct sbx_learn_call *call)
{
	free(call->path);
	free(call->path2);
	memset(call, 0, sizeof(*call));
}

void sbx_trace_learn_enter(pid_t tid, uint64_t nr, const uint64_t args[6],
			   struct sbx_learn_call *call)
{
	const struct sbx_traced_call *c = traced_find(nr);
	struct sbx_denial_event ev = {0};
	struct stat st;

	sbx_learn_call_clear(call);
	/* An exec is learnt when it succeeds (on_exec); ioctls and signals
	 * need no rule a learned profile would write. */
	if (!c || c->op == SBX_OP_EXEC || c->op == SBX_OP_IOCTL || c->op == SBX_OP_SIGNAL ||
	    c->op == SBX_OP_SECCOMP ||
	    (c->path < 0 && c->op != SBX_OP_CONNECT && c->op != SBX_OP_BIND))
		return;
	call->c = c;
	call->tgid = sbx_trace_thread_group(tid);
	if (c->op == SBX_OP_CONNECT || c->op == SBX_OP_BIND) {
		call->fd = (int)args[c->fd];
		decode_sockaddr(tid, args, &ev, &call->path);
		call->inet = ev.inet;
		call->port = ev.port;
		return;
	}
	call->path = call_path(tid, call->tgid, c->dirfd, c->path, args);
	if (c->path2 >= 0)
		call->path2 = call_path(tid, call->tgid, c->dirfd2, c->path2, args);
	if (c->op == SBX_OP_OPEN)
		call->flags = open_flags(tid, c, args);
	else if (c->flags >= 0)
		call->flags = (int)args[c->flags];
	canonicalize(&call->path, c->op == SBX_OP_OPEN && !(call->flags & O_NOFOLLOW));
	canonicalize(&call->path2, false);
	if (call->path && stat(call->path, &st) == 0) {
		call->existed = true;
		call->is_dir = S_ISDIR(st.st_mode);
	}
}

/* Errors that come after Landlock's check: the call was allowed. An open
 * of /dev/tty without a terminal fails with ENXIO in the driver, but
 * under a policy without the device it would be EACCES instead. */
static bool allowed_anyway(const struct sbx_traced_call *c, int err)
{
	if (c->op == SBX_OP_OPEN)
		return err == ENXIO || err == ENODEV || err == EIO || err == EBUSY;
	if (c->op == SBX_OP_CONNECT)
		return err == EINPROGRESS || err == ECONNREFUSED || err == ETIMEDOUT ||
		       err == ENETUNREACH || err == EHOSTUNREACH || err == EISCONN;
	return c->op == SBX_OP_BIND && err == EADDRINUSE;
}

static void learn_open(struct sbx_learn *learn, const struct sbx_learn_call *call,
		       struct sbx_learn_event *ev)
{
	int acc = call->flags & O_ACCMODE;

	if (call->flags & O_PATH)
		return; /* an O_PATH open is not an access Landlock checks */
	ev->path = call->path;
	if (call->is_dir) {
		ev->op = SBX_LEARN_LIST;
		sbx_learn_add(learn, ev);
		return;
	}
	if (!call->existed && (call->flags & O_CREAT)) {
		ev->op = SBX_LEARN_CREATE;
		sbx_learn_add(learn, ev);
	}
	ev->op = acc == O_RDONLY && !(call->flags & O_TRUNC) ? SBX_LEARN_READ : SBX_LEARN_WRITE;
	ev->also_read = acc == O_RDWR;
	sbx_learn_add(learn, ev);
}

static bool other_dir(const char *a, const char *b)
{
	char *da = sbx_path_dirname(a), *db = sbx_path_dirname(b);
	bool differ = strcmp(da, db) != 0;

	free(da);
	free(db);
	return differ;
}

static void learn_move(struct sbx_learn *learn, const struct sbx_learn_call *call,
		       struct sbx_learn_event *ev)
{
	if (!call->path || !call->path2)
		return;
	ev->refer = other_dir(call->path, call->path2);
	if (call->c->op == SBX_OP_RENAME) {
		ev->op = SBX_LEARN_REMOVE;
		ev->path = call->path;
		sbx_learn_add(learn, ev);
	}
	ev->op = SBX_LEARN_CREATE;
	ev->path = call->path2;
	sbx_learn_add(learn, ev);
}

static void learn_call(struct sbx_learn *learn, const struct sbx_learn_call *call,
		       struct sbx_learn_event *ev)
{
	ev->path = call->path;
	switch (call->c->op) {
	case SBX_OP_OPEN:
		learn_open(learn, call, ev);
		return;
	case SBX_OP_MKDIR:
	case SBX_OP_MKNOD:
	case SBX_OP_SYMLINK:
		ev->op = SBX_LEARN_CREATE;
		break;
	case SBX_OP_UNLINK:
	case SBX_OP_RMDIR:
		ev->op = SBX_LEARN_REMOVE;
		break;
	case SBX_OP_RENAME:
	case SBX_OP_LINK:
		learn_move(learn, call, ev);
		return;
	case SBX_OP_TRUNCATE:
		ev->op = SBX_LEARN_WRITE;
		break;
	case SBX_OP_CONNECT:
	case SBX_OP_BIND:
		if (!call->inet || !is_tcp(call->tgid, call->fd))
			return;
		ev->op = call->c->op == SBX_OP_CONNECT ? SBX_LEARN_CONNECT : SBX_LEARN_BIND;
		ev->path = NULL;
		ev->port = call->port;
		break;
	default:
		return;
	}
	sbx_learn_add(learn, ev);
}

void sbx_trace_learn_exit(struct sbx_learn *learn, struct sbx_learn_call *call, pid_t tid,
			  bool failed, int err)
{
	struct sbx_learn_event ev = {0};
	char *exe;

	if (call->c && (!failed || allowed_anyway(call->c, err))) {
		exe = read_link(tid, "exe", 0);
		ev.exe = exe;
		learn_call(learn, call, &ev);
		free(exe);
	}
	sbx_learn_call_clear(call);
}

void sbx_trace_learn_exec(struct sbx_learn *learn, pid_t tid, const char *path)
{
	struct sbx_learn_event ev = {.op = SBX_LEARN_EXEC};
	struct sbx_exec_facts facts;
	char *real = path ? realpath(path, NULL) : NULL, *exe;

	if (!real)
		return;
	exe = read_link(tid, "exe", 0);
	ev.exe = exe;
	ev.path = real;
	sbx_learn_add(learn, &ev);
	sbx_exec_facts_gather(real, environ, &facts);
	sbx_exec_facts_resolve(&facts);
	if (facts.interp) {
		ev.path = facts.interp;
		sbx_learn_add(learn, &ev);
	}
	sbx_exec_facts_free(&facts);
	free(exe);
	free(real);
}
