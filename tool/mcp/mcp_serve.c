/* SPDX-License-Identifier: Apache-2.0 */
/* The event loop of `--mode mcp`: frames stdin into lines for the protocol,
 * writes its responses to stdout, polls every running call, and on end of
 * input or a signal ends and reaps every call it started. */
#include "mcp_serve.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "mcp_exec.h"
#include "mcp_protocol.h"
#include "engine/util.h"

struct host_call {
	struct sbx_mcp_proc proc;
	struct sbx_mcp_call *call;
	long long next_progress_ms; /* when to report it next, if it has a token */
	struct host_call *next;
};

struct line_reader {
	char *buf;
	size_t len, cap;
	size_t scanned; /* bytes already searched for a newline */
	bool dropping;	/* inside an oversized line, until its newline */
};

struct host {
	struct sbx_mcp_session session;
	struct host_call *calls;
	sigset_t child_mask;
	size_t max_output;
	int abi; /* of the server's Landlock layer; the calls' layers use it */
	const struct sbx_mcp_tracer *tracer;
	int out_fd;
	bool out_broken;
};

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};

			poll(&p, 1, -1);
			continue;
		}
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static void host_send(struct sbx_mcp_session *s, json_t *msg)
{
	struct host *h = s->host;
	char *text;
	size_t len;

	if (h->out_broken)
		return;
	/* Compact JSON escapes every newline, so one message is one line. */
	text = json_dumps(msg, JSON_COMPACT);
	if (!text) {
		fputs("sandboxec: mcp: cannot serialize a response\n", stderr);
		return;
	}
	len = strlen(text);
	text = sbx_xrealloc(text, len + 2);
	text[len++] = '\n';
	if (write_all(h->out_fd, text, len) < 0) {
		fprintf(stderr, "sandboxec: mcp: cannot write to stdout (%s); stopping\n",
			strerror(errno));
		h->out_broken = true;
	}
	free(text);
}

static void host_call_free(struct host_call *hc)
{
	sbx_mcp_proc_free(&hc->proc);
	free(hc);
}

static void host_exec_start(struct sbx_mcp_session *s, struct sbx_mcp_call *call,
			    struct sbx_mcp_exec_args *args)
{
	struct host *h = s->host;
	struct host_call *hc = sbx_xcalloc(1, sizeof(*hc));
	struct sbx_mcp_exec_outcome o;

	if (sbx_mcp_proc_spawn(&hc->proc, args, h->max_output, &h->child_mask, h->abi, h->tracer) <
	    0) {
		sbx_mcp_exec_args_free(args);
		sbx_mcp_proc_outcome(&hc->proc, &o);
		sbx_mcp_call_done(s, call, &o);
		host_call_free(hc);
		return;
	}
	sbx_mcp_exec_args_free(args);
	hc->call = call;
	hc->next_progress_ms = hc->proc.started_ms + SBX_MCP_PROGRESS_INTERVAL_MS;
	call->host = hc;
	hc->next = h->calls;
	h->calls = hc;
}

static void host_exec_cancel(struct sbx_mcp_session *s, struct sbx_mcp_call *call)
{
	struct host_call *hc = call->host;

	(void)s;
	if (hc)
		sbx_mcp_proc_kill(&hc->proc);
}

static const struct sbx_mcp_ops host_ops = {
    .send = host_send,
    .exec_start = host_exec_start,
    .exec_cancel = host_exec_cancel,
};

/* Reaps finished calls and sends their results; with `all`, waits for every
 * call (after the caller killed them). */
static void reap_calls(struct host *h, bool all)
{
	struct host_call **link = &h->calls;

	while (*link) {
		struct host_call *hc = *link;
		struct sbx_mcp_exec_outcome o;

		if (!sbx_mcp_proc_reap(&hc->proc, all)) {
			link = &hc->next;
			continue;
		}
		*link = hc->next;
		sbx_mcp_proc_outcome(&hc->proc, &o);
		sbx_mcp_call_done(&h->session, hc->call, &o);
		host_call_free(hc);
	}
}

static void kill_all(struct host *h)
{
	struct host_call *hc;

	for (hc = h->calls; hc; hc = hc->next) {
		hc->call->cancelled = true; /* nobody is listening any more */
		sbx_mcp_proc_kill(&hc->proc);
	}
	reap_calls(h, true);
}

/* Hands every complete line to the protocol; keeps the partial rest. */
static void reader_feed(struct host *h, struct line_reader *r, const char *data, size_t n)
{
	size_t start = 0, i;

	if (r->dropping) {
		const char *nl = memchr(data, '\n', n);

		if (!nl)
			return;
		r->dropping = false;
		sbx_mcp_reject_oversized(&h->session, SBX_MCP_MAX_LINE);
		n -= (size_t)(nl + 1 - data);
		data = nl + 1;
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 65536;

		while (cap < r->len + n + 1)
			cap *= 2;
		r->buf = sbx_xrealloc(r->buf, cap);
		r->cap = cap;
	}
	memcpy(r->buf + r->len, data, n);
	r->len += n;
	for (i = r->scanned; i < r->len; i++) {
		size_t end = i;

		if (r->buf[i] != '\n')
			continue;
		if (end > start && r->buf[end - 1] == '\r')
			end--;
		sbx_mcp_handle_line(&h->session, r->buf + start, end - start);
		start = i + 1;
	}
	memmove(r->buf, r->buf + start, r->len - start);
	r->len -= start;
	r->scanned = r->len;
	if (r->len > SBX_MCP_MAX_LINE) {
		r->len = r->scanned = 0;
		r->dropping = true;
	}
	/* Do not keep a huge buffer around after a huge message. */
	if (r->len == 0 && r->cap > (1u << 20)) {
		free(r->buf);
		r->buf = NULL;
		r->cap = 0;
	}
}

static int poll_timeout(const struct host *h)
{
	long long now = sbx_mcp_now_ms(), next = -1;
	const struct host_call *hc;

	for (hc = h->calls; hc; hc = hc->next) {
		if (hc->proc.killed || hc->proc.exited)
			continue;
		if (next < 0 || hc->proc.deadline_ms < next)
			next = hc->proc.deadline_ms;
		if (hc->call->progress_token && hc->next_progress_ms < next)
			next = hc->next_progress_ms;
	}
	if (next < 0)
		return -1;
	if (next <= now)
		return 0;
	return next - now > INT_MAX ? INT_MAX : (int)(next - now);
}

/* One serve_loop's state: what it polls, and why it would stop. */
struct loop {
	struct host *h;
	int in_fd, sig_fd;
	bool in_open;
	int status; /* 0, 1 on a poll failure, 128 + a stopping signal */
	struct line_reader reader;
	char *chunk;
	struct pollfd *fds;	   /* [0] the signalfd, [1] stdin while open, then calls' */
	struct host_call **owners; /* the call each fds[i] belongs to, or NULL */
	size_t nfds, cap;
};

#define READ_CHUNK (1 << 20)

/* Fills fds and owners for this round's poll(). */
static void loop_watch(struct loop *l)
{
	struct host_call *hc;
	size_t ncalls = 0, i;

	for (hc = l->h->calls; hc; hc = hc->next)
		ncalls++;
	if (2 + 4 * ncalls > l->cap) {
		l->cap = 2 + 4 * ncalls + 16;
		l->fds = sbx_xreallocarray(l->fds, l->cap, sizeof(*l->fds));
		l->owners = sbx_xreallocarray(l->owners, l->cap, sizeof(*l->owners));
	}
	l->nfds = 0;
	l->fds[l->nfds] = (struct pollfd){.fd = l->sig_fd, .events = POLLIN};
	l->owners[l->nfds++] = NULL;
	if (l->in_open) {
		l->fds[l->nfds] = (struct pollfd){.fd = l->in_fd, .events = POLLIN};
		l->owners[l->nfds++] = NULL;
	}
	for (hc = l->h->calls; hc; hc = hc->next) {
		size_t k = (size_t)sbx_mcp_proc_pollfds(&hc->proc, l->fds + l->nfds);

		for (i = l->nfds; i < l->nfds + k; i++)
			l->owners[i] = hc;
		l->nfds += k;
	}
}

/* Calls' pipes first: nothing is freed until reap_calls(). */
static void loop_service_calls(struct loop *l)
{
	size_t i;

	for (i = 0; i < l->nfds; i++) {
		if (l->owners[i] && l->fds[i].revents)
			sbx_mcp_proc_service(&l->owners[i]->proc, l->fds[i].fd, l->fds[i].revents);
	}
}

static void loop_read_input(struct loop *l)
{
	ssize_t got = read(l->in_fd, l->chunk, READ_CHUNK);

	if (got > 0) {
		reader_feed(l->h, &l->reader, l->chunk, (size_t)got);
	} else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
		/* End of input: a last line without its newline still counts;
		 * then nobody is left to answer. */
		if (l->reader.len && !l->reader.dropping)
			reader_feed(l->h, &l->reader, "\n", 1);
		l->in_open = false;
		kill_all(l->h);
	}
}

/* SIGCHLD only wakes the loop; any other blocked signal stops it. */
static void loop_read_signals(struct loop *l)
{
	struct signalfd_siginfo si;

	while (read(l->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo != SIGCHLD) {
			fprintf(stderr, "sandboxec: mcp: %s; stopping\n",
				strsignal((int)si.ssi_signo));
			l->status = 128 + (int)si.ssi_signo;
			l->in_open = false;
		}
	}
	if (l->status)
		kill_all(l->h);
}

/* Kills what ran out of time; tells the clients that asked what still
 * runs, so a client's own request timeout need not end a long build
 * (docs/mcp.md "Timeouts"). */
static void check_deadlines(struct host *h)
{
	long long now = sbx_mcp_now_ms();
	struct host_call *hc;

	for (hc = h->calls; hc; hc = hc->next) {
		sbx_mcp_proc_check_deadline(&hc->proc, now);
		if (hc->proc.killed || hc->proc.exited || !hc->call->progress_token ||
		    now < hc->next_progress_ms)
			continue;
		char message[64];
		long long ran = now - hc->proc.started_ms;

		snprintf(message, sizeof(message), "running for %lld s", ran / 1000);
		sbx_mcp_call_progress(&h->session, hc->call, (double)ran / 1000.0, message);
		hc->next_progress_ms = now + SBX_MCP_PROGRESS_INTERVAL_MS;
	}
}

static int serve_loop(struct host *h, int in_fd, int sig_fd)
{
	struct loop l = {.h = h, .in_fd = in_fd, .sig_fd = sig_fd, .in_open = true};

	l.chunk = sbx_xmalloc(READ_CHUNK);
	while ((l.in_open || h->calls) && !h->out_broken) {
		int ready;

		loop_watch(&l);
		ready = poll(l.fds, l.nfds, poll_timeout(h));
		if (ready < 0 && errno != EINTR) {
			fprintf(stderr, "sandboxec: mcp: poll: %s\n", strerror(errno));
			l.status = 1;
			break;
		}
		if (ready > 0) {
			loop_service_calls(&l);
			if (l.in_open && l.fds[1].revents)
				loop_read_input(&l);
			if (l.fds[0].revents)
				loop_read_signals(&l);
		}
		check_deadlines(h);
		reap_calls(h, false);
	}
	kill_all(h);
	free(l.chunk);
	free(l.fds);
	free(l.owners);
	free(l.reader.buf);
	return l.status;
}

int sbx_mcp_serve(const struct sbx_mcp_limits *limits, int abi, const struct sbx_mcp_tracer *tracer,
		  int in_fd, int out_fd)
{
	struct sigaction ignore = {.sa_handler = SIG_IGN}, old_pipe;
	struct host h = {0};
	sigset_t block;
	int sig_fd, status;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &block, &h.child_mask) < 0)
		goto out_err;
	sig_fd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sig_fd < 0)
		goto out_mask;
	/* A client that goes away must not kill us before we kill the calls. */
	sigaction(SIGPIPE, &ignore, &old_pipe);
	h.max_output = limits->max_output;
	h.abi = abi;
	h.tracer = tracer;
	h.out_fd = out_fd;
	sbx_mcp_session_init(&h.session, &host_ops, limits, &h);
	status = serve_loop(&h, in_fd, sig_fd);
	sbx_mcp_session_free(&h.session);
	sigaction(SIGPIPE, &old_pipe, NULL);
	close(sig_fd);
	sigprocmask(SIG_SETMASK, &h.child_mask, NULL);
	return status;

out_mask:
	sigprocmask(SIG_SETMASK, &h.child_mask, NULL);
out_err:
	fprintf(stderr, "sandboxec: mcp: cannot set up signal handling: %s\n", strerror(errno));
	return 1;
}
