/* SPDX-License-Identifier: Apache-2.0 */
/* Runs one `exec` call for `--mode mcp`: forks the call's supervisor, which
 * walls the call off in Landlock layers of its own below the server's and
 * runs the command (mcp_supervise.c); then stdin, capped output, and the
 * supervisor's word on how the command ended. */
#include "mcp_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/util.h"
#include "mcp_supervise.h"

#define CHUNK 65536

long long sbx_mcp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static void close_pair(int pair[2])
{
	close_fd(&pair[0]);
	close_fd(&pair[1]);
}

static void set_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags >= 0)
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static void spawn_failed(struct sbx_mcp_proc *p, const struct sbx_mcp_exec_args *args,
			 const struct sbx_mcp_spawn_report *r)
{
	const char *hint = "";

	if (r->stage == SBX_MCP_STAGE_ISOLATE && r->err == E2BIG) {
		p->spawn_error = sbx_xstrdup(
		    "sandboxec: cannot give the call Landlock layers of its own: a call needs two "
		    "more than the server holds, and the kernel stacks at most 16 (start the "
		    "server under fewer nested policies); nothing was run");
		p->spawn_exit = 126;
		return;
	}
	if (r->stage == SBX_MCP_STAGE_ISOLATE) {
		p->spawn_error = sbx_xasprintf("sandboxec: cannot give the call Landlock layers of "
					       "its own: %s; nothing was run",
					       strerror(r->err));
		p->spawn_exit = 126;
		return;
	}
	if (r->stage == SBX_MCP_STAGE_TRACE) {
		p->spawn_error = sbx_xasprintf("sandboxec: cannot trace the call for its denials: "
					       "%s; call again without report_denials",
					       strerror(r->err));
		p->spawn_exit = 126;
		return;
	}
	if (r->stage == SBX_MCP_STAGE_CHDIR) {
		p->spawn_error = sbx_xasprintf("sandboxec: cannot change to directory \"%s\": %s",
					       args->cwd, strerror(r->err));
		p->spawn_exit = 126;
		return;
	}
	if (r->err == EACCES || r->err == EPERM)
		hint = " (is it outside the sandbox policy? it needs rx, and a dynamically "
		       "linked program also needs its loader and libraries)";
	else if (r->err == ENOENT && !strchr(args->argv[0], '/'))
		hint = " (not found in $PATH, or $PATH's directories are not readable in "
		       "the sandbox)";
	p->spawn_error = sbx_xasprintf("sandboxec: cannot execute \"%s\": %s%s", args->argv[0],
				       strerror(r->err), hint);
	p->spawn_exit = r->err == ENOENT ? 127 : 126;
}

/* Waits for the report pipe: end-of-file when the command has exec'd (the
 * copies of the supervisor and the command are its only write ends), a
 * report when it could not start. True when it started. */
static bool spawn_started(struct sbx_mcp_proc *p, const struct sbx_mcp_exec_args *args,
			  int *report_fd)
{
	struct sbx_mcp_spawn_report r;
	ssize_t n;

	do
		n = read(*report_fd, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	close_fd(report_fd);
	if (n != (ssize_t)sizeof(r))
		return true;
	/* The supervisor ends what is left of the call and exits. */
	while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
		;
	p->pid = -1;
	spawn_failed(p, args, &r);
	return false;
}

int sbx_mcp_proc_spawn(struct sbx_mcp_proc *p, struct sbx_mcp_exec_args *args, size_t max_output,
		       const sigset_t *child_mask, int abi, const struct sbx_mcp_tracer *tracer)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, rep[2] = {-1, -1},
	    st[2] = {-1, -1};
	pid_t server = getpid();

	memset(p, 0, sizeof(*p));
	p->pid = -1;
	p->in_fd = p->out.fd = p->err.fd = p->status.fd = -1;
	p->max_output = max_output;
	p->traced = args->report_denials && tracer;
	p->started_ms = sbx_mcp_now_ms();
	p->deadline_ms = p->started_ms + args->timeout_ms;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 ||
	    pipe2(rep, O_CLOEXEC) < 0 || pipe2(st, O_CLOEXEC) < 0)
		goto out_sys;
	p->pid = fork();
	if (p->pid < 0)
		goto out_sys;
	if (p->pid == 0) {
		struct sbx_mcp_spawn_fds fds = {in[0], out[1], err[1], rep[1], st[1]};

		sbx_mcp_supervise(args, child_mask, server, fds, abi, p->traced ? tracer : NULL);
	}
	close_fd(&in[0]);
	close_fd(&out[1]);
	close_fd(&err[1]);
	close_fd(&rep[1]);
	close_fd(&st[1]);
	if (!spawn_started(p, args, &rep[0]))
		goto out_close;
	p->status.fd = st[0];
	set_nonblock(p->status.fd);
	p->out.fd = out[0];
	p->err.fd = err[0];
	set_nonblock(p->out.fd);
	set_nonblock(p->err.fd);
	p->in_data = args->stdin_data;
	p->in_len = args->stdin_len;
	args->stdin_data = NULL;
	if (p->in_len) {
		p->in_fd = in[1];
		set_nonblock(p->in_fd);
	} else {
		close_fd(&in[1]);
	}
	return 0;

out_sys:
	p->spawn_error =
	    sbx_xasprintf("sandboxec: cannot start \"%s\": %s", args->argv[0], strerror(errno));
	p->spawn_exit = 126;
	p->pid = -1;
out_close:
	close_pair(in);
	close_pair(out);
	close_pair(err);
	close_pair(rep);
	close_pair(st);
	return -1;
}

int sbx_mcp_proc_pollfds(const struct sbx_mcp_proc *p, struct pollfd *fds)
{
	int n = 0;

	if (p->out.fd >= 0)
		fds[n++] = (struct pollfd){.fd = p->out.fd, .events = POLLIN};
	if (p->err.fd >= 0)
		fds[n++] = (struct pollfd){.fd = p->err.fd, .events = POLLIN};
	if (p->in_fd >= 0)
		fds[n++] = (struct pollfd){.fd = p->in_fd, .events = POLLOUT};
	/* A traced call's denials can outgrow the pipe before the supervisor
	 * exits: drained as they come. */
	if (p->status.fd >= 0)
		fds[n++] = (struct pollfd){.fd = p->status.fd, .events = POLLIN};
	return n;
}

/* Reads what is there; keeps up to max_output bytes, counts the rest as
 * truncation (and keeps reading, so the command never blocks on a full pipe). */
static void stream_read(struct sbx_mcp_stream *s, size_t max_output)
{
	char chunk[CHUNK];
	int rounds;

	for (rounds = 0; s->fd >= 0 && rounds < 64; rounds++) {
		ssize_t n = read(s->fd, chunk, sizeof(chunk));
		size_t keep;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close_fd(&s->fd);
			return;
		}
		keep = max_output - s->len < (size_t)n ? max_output - s->len : (size_t)n;
		if (keep < (size_t)n)
			s->truncated = true;
		if (keep) {
			s->data = sbx_xrealloc(s->data, s->len + keep);
			memcpy(s->data + s->len, chunk, keep);
			s->len += keep;
		}
	}
}

static void stdin_write(struct sbx_mcp_proc *p)
{
	while (p->in_fd >= 0 && p->in_off < p->in_len) {
		size_t left = p->in_len - p->in_off;
		ssize_t n = write(p->in_fd, p->in_data + p->in_off, left < CHUNK ? left : CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			close_fd(&p->in_fd); /* EPIPE: the command stopped reading */
			break;
		}
		p->in_off += (size_t)n;
	}
	close_fd(&p->in_fd);
	free(p->in_data);
	p->in_data = NULL;
}

void sbx_mcp_proc_service(struct sbx_mcp_proc *p, int fd, short revents)
{
	if (fd == p->out.fd)
		stream_read(&p->out, p->max_output);
	else if (fd == p->err.fd)
		stream_read(&p->err, p->max_output);
	else if (fd == p->status.fd)
		stream_read(&p->status, SBX_MCP_MAX_STATUS_BYTES);
	else if (fd == p->in_fd) {
		if (revents & (POLLERR | POLLHUP | POLLNVAL)) {
			close_fd(&p->in_fd);
			free(p->in_data);
			p->in_data = NULL;
		} else {
			stdin_write(p);
		}
	}
}

void sbx_mcp_proc_kill(struct sbx_mcp_proc *p)
{
	/* The supervisor kills the call's tree (it alone can name all of it)
	 * and exits; SIGCONT in case something stopped it. */
	if (p->pid > 0 && !p->exited) {
		kill(p->pid, SIGTERM);
		kill(p->pid, SIGCONT);
	}
	p->killed = true;
}

void sbx_mcp_proc_check_deadline(struct sbx_mcp_proc *p, long long now_ms)
{
	if (!p->killed && !p->exited && now_ms >= p->deadline_ms) {
		p->timed_out = true;
		sbx_mcp_proc_kill(p);
	}
}

bool sbx_mcp_proc_reap(struct sbx_mcp_proc *p, bool block)
{
	int status = 0, reported;
	pid_t got;

	if (p->pid <= 0)
		return true;
	if (!p->exited) {
		/* Only the server reaps the supervisor, so its pid cannot be
		 * reused while p->pid names it. */
		got = waitpid(p->pid, &status, block ? 0 : WNOHANG);
		if (got == 0 || (got < 0 && errno == EINTR))
			return false;
		p->exited = true;
		/* The command's status as the supervisor saw it; without one
		 * (the supervisor itself was killed) the supervisor's. */
		stream_read(&p->status, SBX_MCP_MAX_STATUS_BYTES);
		close_fd(&p->status.fd);
		if (p->status.len >= sizeof(reported)) {
			memcpy(&reported, p->status.data, sizeof(reported));
			status = reported;
		}
		p->wait_status = status;
	}
	stream_read(&p->out, p->max_output);
	stream_read(&p->err, p->max_output);
	close_fd(&p->out.fd);
	close_fd(&p->err.fd);
	close_fd(&p->in_fd);
	return true;
}

void sbx_mcp_proc_outcome(const struct sbx_mcp_proc *p, struct sbx_mcp_exec_outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->duration_ms = sbx_mcp_now_ms() - p->started_ms;
	if (p->spawn_error) {
		o->spawn_error = p->spawn_error;
		o->exit_code = p->spawn_exit;
		return;
	}
	o->out = p->out.data;
	o->out_len = p->out.len;
	o->out_truncated = p->out.truncated;
	o->err = p->err.data;
	o->err_len = p->err.len;
	o->err_truncated = p->err.truncated;
	o->timed_out = p->timed_out;
	if (WIFSIGNALED(p->wait_status)) {
		o->signal = WTERMSIG(p->wait_status);
		o->exit_code = 128 + o->signal;
	} else {
		o->exit_code = WEXITSTATUS(p->wait_status);
	}
	o->traced = p->traced;
	if (p->status.len > sizeof(int)) {
		o->denials = p->status.data + sizeof(int);
		o->denials_len = p->status.len - sizeof(int);
	}
}

void sbx_mcp_proc_free(struct sbx_mcp_proc *p)
{
	close_fd(&p->status.fd);
	free(p->status.data);
	close_fd(&p->out.fd);
	close_fd(&p->err.fd);
	close_fd(&p->in_fd);
	free(p->out.data);
	free(p->err.data);
	free(p->in_data);
	free(p->spawn_error);
	memset(p, 0, sizeof(*p));
	p->pid = -1;
	p->in_fd = p->out.fd = p->err.fd = p->status.fd = -1;
}
