/* SPDX-License-Identifier: Apache-2.0 */
/* The supervisor of one `exec` call (mcp_supervise.h): a Landlock layer of
 * its own, subreaper, the command below it in one more layer, and the kill
 * of the call's whole tree when the command ends. It runs no code of the
 * command's and never widens anything the server's policy grants. */
#include "mcp_supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/landlock_abi.h"

/* Where the supervisor keeps its pipes once everything else is closed. */
enum { FD_REPORT = 3, FD_STATUS = 4, FD_FIRST_FREE = 5 };

int sbx_mcp_isolate(int abi)
{
	struct sbx_ll_ruleset_attr attr = {0};
	struct sbx_ll_path_beneath_attr everywhere = {.allowed_access = SBX_LL_FS_MAKE_BLOCK};
	size_t size = sizeof(attr);
	uint32_t flags = 0;
	int ruleset, root = -1, ret = -1, saved;

	if (abi <= 0)
		return 0;
	if (abi >= 6) {
		/* A layer that handles no access takes nothing away from the
		 * policy; its scope keeps signals inside the call. */
		attr.scoped = SBX_LL_SCOPE_SIGNAL;
	} else {
		/* Without scopes a layer must handle some access: this one
		 * handles making block devices and grants it beneath "/", so
		 * the server's layer alone still decides every access. */
		attr.handled_access_fs = SBX_LL_FS_MAKE_BLOCK;
		size = abi >= 4 ? offsetof(struct sbx_ll_ruleset_attr, scoped)
				: offsetof(struct sbx_ll_ruleset_attr, handled_access_net);
	}
	/* The supervisor's kill(-1) is refused for every process outside the
	 * call; that is the point, not something to audit. */
	if (abi >= 7)
		flags |= SBX_LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF;
	ruleset = (int)sbx_ll_create_ruleset(&attr, size, 0);
	if (ruleset < 0)
		return -1;
	if (abi < 6) {
		root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		everywhere.parent_fd = root;
		if (root < 0 ||
		    sbx_ll_add_rule(ruleset, SBX_LL_RULE_PATH_BENEATH, &everywhere, 0) < 0)
			goto out;
	}
	if (sbx_ll_restrict_self(ruleset, flags) < 0)
		goto out;
	ret = abi >= 6 ? 1 : 0;
out:
	saved = errno;
	if (root >= 0)
		close(root);
	close(ruleset);
	errno = saved;
	return ret;
}

static void __attribute__((noreturn)) report_and_exit(int fd, int stage, int err)
{
	struct sbx_mcp_spawn_report r = {stage, err};

	if (write(fd, &r, sizeof(r)) < 0)
		_exit(127);
	_exit(127);
}

static void close_from(int first)
{
	long max = sysconf(_SC_OPEN_MAX);
	int fd;

	if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0)
		return;
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = first; fd < max; fd++)
		close(fd);
}

/* The command's stdio on 0-2, the two pipes on 3 and 4, everything else
 * closed: the supervisor never execs, so close-on-exec does not clean up
 * after it, and a copy of the server's stdin or of another call's pipe
 * held here is one the call could reach through this process. */
static int settle_fds(const struct sbx_mcp_spawn_fds *fds)
{
	int src[5] = {fds->in, fds->out, fds->err, fds->report, fds->status};
	int high[5], i;

	for (i = 0; i < 5; i++) {
		high[i] = fcntl(src[i], F_DUPFD_CLOEXEC, FD_FIRST_FREE);
		if (high[i] < 0)
			return -1;
	}
	for (i = 0; i < 5; i++) {
		if (dup3(high[i], i, i < 3 ? 0 : O_CLOEXEC) < 0)
			return -1;
	}
	close_from(FD_FIRST_FREE);
	return 0;
}

static void __attribute__((noreturn))
command(const struct sbx_mcp_exec_args *args, const sigset_t *mask, pid_t supervisor, int abi,
	const struct sbx_mcp_tracer *tracer)
{
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != supervisor)
		_exit(127);
	/* Traced from the start, by the supervisor: its domain is an
	 * ancestor of the one the command is about to enter, which is what
	 * Landlock asks of a tracer (docs/mcp.md, "Denials"). */
	if (tracer && tracer->traceme() < 0)
		report_and_exit(FD_REPORT, SBX_MCP_STAGE_TRACE, errno);
	/* One layer below the supervisor's: the command can neither ptrace
	 * nor signal the process that will kill it. */
	if (sbx_mcp_isolate(abi) < 0)
		report_and_exit(FD_REPORT, SBX_MCP_STAGE_ISOLATE, errno);
	close(FD_STATUS);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (args->cwd && chdir(args->cwd) < 0)
		report_and_exit(FD_REPORT, SBX_MCP_STAGE_CHDIR, errno);
	if (tracer && tracer->filter() < 0)
		report_and_exit(FD_REPORT, SBX_MCP_STAGE_TRACE, errno);
	execvp(args->argv[0], args->argv);
	report_and_exit(FD_REPORT, SBX_MCP_STAGE_EXEC, errno);
}

/* Reaps the orphans handed to this subreaper that have exited, leaving the
 * command itself for end_call(). */
static void reap_orphans(pid_t cmd)
{
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0 ||
		    si.si_pid == cmd)
			return;
		waitpid(si.si_pid, NULL, 0);
	}
}

/* Returns once the command has exited, or the server asked to end the call
 * or died (SIGTERM, also its parent-death signal). The command is left
 * unreaped: while it is a zombie its pid, and so its process group id,
 * cannot be reused, and end_call() kills that group. */
static void wait_command(pid_t cmd, const sigset_t *wake)
{
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)cmd, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == cmd)
			return;
		reap_orphans(cmd);
		if (sigwaitinfo(wake, &si) == SIGTERM)
			return;
	}
}

/* wait_command() for a traced call: every stop of a traced thread goes to
 * the tracer until the command has exited (left unreaped, as there) or the
 * server asked to end the call. */
static void trace_command(const struct sbx_mcp_tracer *tracer, void *trace, pid_t cmd,
			  const sigset_t *wake)
{
	siginfo_t si;
	int st;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WSTOPPED | __WALL | WNOHANG | WNOWAIT) < 0)
			return; /* nothing left to wait for */
		if (si.si_pid == 0) {
			if (sigwaitinfo(wake, &si) == SIGTERM)
				return;
			continue;
		}
		if (si.si_pid == cmd && (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED ||
					 si.si_code == CLD_DUMPED))
			return;
		if (waitpid(si.si_pid, &st, __WALL | WNOHANG) > 0)
			tracer->event(trace, si.si_pid, st);
	}
}

/* Attaches to the command, stopped by its traceme(), and traces it; NULL
 * (the command reaped, its status in *status) when it died first. */
static void *trace_call(const struct sbx_mcp_tracer *tracer, pid_t cmd, const sigset_t *wake,
			int *status)
{
	void *trace;
	int st;

	while (waitpid(cmd, &st, __WALL) < 0) {
		if (errno != EINTR)
			return NULL;
	}
	if (!WIFSTOPPED(st)) {
		*status = st;
		return NULL;
	}
	trace = tracer->start(tracer, cmd);
	trace_command(tracer, trace, cmd, wake);
	return trace;
}

/* Kills whatever the call left running and reaps it all, the command's
 * status in *status. With the signal scope, kill(-1) reaches exactly this
 * call's domain — every process the command started, whatever session or
 * group it moved to, however it was reparented (here: this is their
 * subreaper) — and nothing else. Without it only the command's process
 * group can be named. */
static void end_call(pid_t cmd, bool scoped, int *status)
{
	pid_t pid;
	int st;

	if (scoped) {
		for (;;) {
			kill(-1, SIGKILL);
			pid = waitpid(-1, &st, __WALL);
			if (pid < 0 && errno == EINTR)
				continue;
			if (pid < 0)
				return; /* nothing left */
			if (pid == cmd)
				*status = st;
		}
	}
	kill(-cmd, SIGKILL);
	kill(cmd, SIGKILL);
	while (waitpid(cmd, status, 0) < 0 && errno == EINTR)
		;
	while (waitpid(-1, &st, WNOHANG | __WALL) > 0)
		;
}

void sbx_mcp_supervise(const struct sbx_mcp_exec_args *args, const sigset_t *child_mask,
		       pid_t server, struct sbx_mcp_spawn_fds fds, int abi,
		       const struct sbx_mcp_tracer *tracer)
{
	pid_t self = getpid(), cmd;
	void *trace = NULL;
	sigset_t wake;
	bool scoped;
	int status = 0;

	sigemptyset(&wake);
	sigaddset(&wake, SIGCHLD);
	sigaddset(&wake, SIGTERM);
	sigprocmask(SIG_BLOCK, &wake, NULL);
	/* The server dying without ending the call ends it all the same. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != server)
		_exit(127);
	if (settle_fds(&fds) < 0)
		report_and_exit(fds.report, SBX_MCP_STAGE_EXEC, errno);
	scoped = false;
	switch (sbx_mcp_isolate(abi)) {
	case -1:
		report_and_exit(FD_REPORT, SBX_MCP_STAGE_ISOLATE, errno);
	case 1:
		scoped = true;
		break;
	}
	/* Orphans of the call are reparented here, not to init. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	cmd = fork();
	if (cmd < 0)
		report_and_exit(FD_REPORT, SBX_MCP_STAGE_EXEC, errno);
	if (cmd == 0)
		command(args, child_mask, self, abi, tracer);
	setpgid(cmd, cmd);
	/* Only the command holds its stdio and the report pipe now, so the
	 * server sees end-of-file when the command execs, and when it ends. */
	close(0);
	close(1);
	close(2);
	close(FD_REPORT);
	if (tracer)
		trace = trace_call(tracer, cmd, &wake, &status);
	else
		wait_command(cmd, &wake);
	end_call(cmd, scoped, &status);
	if (write(FD_STATUS, &status, sizeof(status)) < 0)
		_exit(1);
	if (trace)
		tracer->finish(trace, FD_STATUS);
	_exit(0);
}
