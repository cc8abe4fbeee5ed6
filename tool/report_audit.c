/* SPDX-License-Identifier: Apache-2.0 */
/* --report's backend 2; see report_audit.h. The confined child makes one
 * denial of its own before it execs (a ptrace-class read of this process),
 * so the kernel logs the new domain at once: its id filters the records,
 * and its deallocation record, which then always comes, carries the
 * number of denials to check that none was lost (unless an end marker
 * proves it sooner: all_records_in). Only reads records: the
 * command runs under exactly the policy it would without --report, plus
 * the flag that keeps logging after exec. */
#include "report_audit.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit_record.h"
#include "engine/landlock_abi.h"

extern char **environ;

/* How long to wait for the domain's first record before falling back to
 * the tracer, and for its deallocation once every process has ended. The
 * records measured here arrive within 10 ms. */
#define FIRST_RECORD_MS 2000
#define DEALLOC_MS	5000

struct audit_ctl {
	int ctl, mc;
	uint32_t old_enabled, lost;
	bool changed, excludes;
};

struct collected {
	struct sbx_audit_record *acc, *sys;
	size_t n_acc, cap_acc, n_sys, cap_sys;
	pid_t child;
	unsigned long long domain;
	bool have_domain, dealloc, overrun, marker, unparsed, confirmed;
	unsigned long long denials;
	char token[64]; /* this run's end marker, in a user record */
};

static int nl_send(int fd, int type, const void *data, size_t len, bool ack)
{
	struct {
		struct nlmsghdr h;
		struct audit_status st;
	} m;
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	m.h.nlmsg_type = (uint16_t)type;
	m.h.nlmsg_flags = NLM_F_REQUEST | (ack ? NLM_F_ACK : 0);
	m.h.nlmsg_seq = 1;
	memcpy(&m.st, data, len);
	return sendto(fd, &m, m.h.nlmsg_len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? -1 : 0;
}

/* A user message, logged by the kernel like its own records. */
static int nl_send_text(int fd, int type, const char *text)
{
	struct {
		struct nlmsghdr h;
		char text[128];
	} m;
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};
	size_t len = strlen(text) + 1;

	memset(&m, 0, sizeof(m));
	if (len > sizeof(m.text))
		return -1;
	m.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	m.h.nlmsg_type = (uint16_t)type;
	m.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	m.h.nlmsg_seq = 2;
	memcpy(m.text, text, len);
	return sendto(fd, &m, m.h.nlmsg_len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? -1 : 0;
}

/* Whether a rule on the exclude list may drop records before they are
 * made (and so before the lost count sees them); true when unknown. */
static bool has_exclude_rules(int fd)
{
	static char buf[16384];
	struct audit_status none;
	int tries;

	memset(&none, 0, sizeof(none));
	if (nl_send(fd, AUDIT_LIST_RULES, &none, 0, false) < 0)
		return true;
	for (tries = 0; tries < 64; tries++) {
		struct pollfd p = {fd, POLLIN, 0};
		struct nlmsghdr *h;
		ssize_t n;

		if (poll(&p, 1, 1000) <= 0)
			return true;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return true;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			const struct audit_rule_data *r = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_DONE)
				return false;
			if (h->nlmsg_type != AUDIT_LIST_RULES ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(*r)) ||
			    (r->flags & ~AUDIT_FILTER_PREPEND) == AUDIT_FILTER_EXCLUDE)
				return true;
		}
	}
	return true;
}

/* The reply to a request on the control socket: AUDIT_GET's status, or the
 * acknowledgement's error (0 for success). */
static int nl_reply(int fd, struct audit_status *st)
{
	char buf[8192];
	int tries;

	for (tries = 0; tries < 8; tries++) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;
		struct nlmsghdr *h;

		if (poll(&p, 1, 1000) <= 0)
			return -ETIMEDOUT;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type == AUDIT_GET && st) {
				memcpy(st, NLMSG_DATA(h), sizeof(*st));
				return 0;
			}
		}
	}
	return -EPROTO;
}

/* The kernel's count of records it could not make or queue (rate limit,
 * backlog, memory), for every process on the system; -1 when unknown. */
static long long audit_lost(int fd)
{
	struct audit_status st;

	memset(&st, 0, sizeof(st));
	if (nl_send(fd, AUDIT_GET, &st, 0, false) < 0 || nl_reply(fd, &st) < 0)
		return -1;
	return st.lost;
}

static int audit_set_enabled(struct audit_ctl *a, uint32_t enabled)
{
	struct audit_status st;

	memset(&st, 0, sizeof(st));
	st.mask = AUDIT_STATUS_ENABLED;
	st.enabled = enabled;
	if (nl_send(a->ctl, AUDIT_SET, &st, sizeof(st), true) < 0)
		return -errno;
	return nl_reply(a->ctl, NULL);
}

/* Joins the read-only multicast group and makes sure the kernel emits
 * records: audit off means Landlock logs nothing. Then, when may_enable
 * (--report=audit), it is turned on for the run and remembered to be
 * turned off again; otherwise the tracer runs instead. */
static int audit_open(struct audit_ctl *a, bool may_enable, struct sbx_buf *why)
{
	struct sockaddr_nl group = {.nl_family = AF_NETLINK, .nl_groups = AUDIT_NLGRP_READLOG};
	struct audit_status st;
	int size = 8 << 20, err;

	a->changed = false;
	a->ctl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	a->mc = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (a->ctl < 0 || a->mc < 0) {
		sbx_buf_printf(why, "no audit netlink socket (%s)", strerror(errno));
		goto fail;
	}
	if (bind(a->mc, (struct sockaddr *)&group, sizeof(group)) < 0) {
		sbx_buf_printf(why, "cannot read the audit records (%s; needs CAP_AUDIT_READ)",
			       strerror(errno));
		goto fail;
	}
	/* Room for bursts: a dropped record shows as a short count. */
	if (setsockopt(a->mc, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(a->mc, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	memset(&st, 0, sizeof(st));
	if (nl_send(a->ctl, AUDIT_GET, &st, 0, false) < 0 || nl_reply(a->ctl, &st) < 0) {
		sbx_buf_printf(why, "cannot read the audit status");
		goto fail;
	}
	a->old_enabled = st.enabled;
	a->lost = st.lost;
	/* Turning audit on is a change to the whole system (records for
	 * everything else on it, in dmesg when no auditd runs): only when
	 * asked for by name. */
	if (st.enabled == 0 && !may_enable) {
		sbx_buf_printf(why, "audit is off, and then the kernel sends no Landlock records; "
				    "--report=audit turns it on for this run");
		goto fail;
	}
	if (st.enabled == 0) {
		err = audit_set_enabled(a, 1);
		if (err < 0) {
			sbx_buf_printf(why,
				       "audit is off and cannot be turned on (%s; needs "
				       "CAP_AUDIT_CONTROL)",
				       strerror(-err));
			goto fail;
		}
		a->changed = true;
	}
	a->excludes = has_exclude_rules(a->ctl);
	return 0;
fail:
	if (a->ctl >= 0)
		close(a->ctl);
	if (a->mc >= 0)
		close(a->mc);
	a->ctl = a->mc = -1;
	return -1;
}

static void audit_close(struct audit_ctl *a)
{
	if (a->changed && audit_set_enabled(a, a->old_enabled) < 0)
		sbx_cli_error("--report: could not turn audit off again; run auditctl -e %u",
			      a->old_enabled);
	close(a->ctl);
	close(a->mc);
}

static bool has_serial(const struct collected *c, unsigned long long serial)
{
	size_t i;

	for (i = c->n_acc; i-- > 0;) {
		if (c->acc[i].serial == serial)
			return true;
	}
	return false;
}

static void on_record(struct collected *c, int type, const char *text, size_t len)
{
	struct sbx_audit_record rec;

	if (type == AUDIT_USER && c->token[0] && memmem(text, len, c->token, strlen(c->token)))
		c->marker = true;
	if (type != SBX_AUDIT_LANDLOCK_ACCESS && type != SBX_AUDIT_LANDLOCK_DOMAIN &&
	    type != SBX_AUDIT_SYSCALL)
		return;
	if (!sbx_audit_record_parse(type, text, len, &rec)) {
		c->unparsed |= type == SBX_AUDIT_LANDLOCK_ACCESS;
		return;
	}
	if (type == SBX_AUDIT_LANDLOCK_DOMAIN) {
		if (rec.allocated && rec.pid == c->child && !c->have_domain) {
			c->domain = rec.domain;
			c->have_domain = true;
		} else if (rec.deallocated && c->have_domain && rec.domain == c->domain) {
			c->dealloc = true;
			c->denials = rec.denials;
		}
	} else if (type == SBX_AUDIT_LANDLOCK_ACCESS &&
		   (!c->have_domain || rec.domain == c->domain)) {
		c->acc = sbx_xgrow(c->acc, c->n_acc + 1, &c->cap_acc, sizeof(*c->acc));
		c->acc[c->n_acc++] = rec;
		return;
	} else if (type == SBX_AUDIT_SYSCALL && has_serial(c, rec.serial)) {
		c->sys = sbx_xgrow(c->sys, c->n_sys + 1, &c->cap_sys, sizeof(*c->sys));
		c->sys[c->n_sys++] = rec;
		return;
	}
	sbx_audit_record_free(&rec);
}

/* Everything the socket holds now, without waiting. */
static void drain(int mc, struct collected *c)
{
	static char buf[16384];

	for (;;) {
		ssize_t n = recv(mc, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		size_t len;

		if (n < 0) {
			if (errno == ENOBUFS) {
				c->overrun = true;
				continue;
			}
			return;
		}
		/* The kernel sends one record per message. */
		if ((size_t)n < NLMSG_HDRLEN)
			continue;
		len = h->nlmsg_len < (size_t)n ? h->nlmsg_len : (size_t)n;
		if (len >= NLMSG_HDRLEN)
			on_record(c, h->nlmsg_type, NLMSG_DATA(h), len - NLMSG_HDRLEN);
	}
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads records until done(c) or ms pass; returns whether done. */
static bool wait_records(int mc, struct collected *c, bool (*done)(const struct collected *),
			 long ms)
{
	long end = now_ms() + ms;

	drain(mc, c);
	while (!done(c)) {
		struct pollfd p = {mc, POLLIN, 0};
		long left = end - now_ms();

		if (left <= 0 || poll(&p, 1, (int)left) < 0)
			return false;
		drain(mc, c);
	}
	return true;
}

static bool domain_known(const struct collected *c)
{
	return c->have_domain;
}

static bool domain_gone(const struct collected *c)
{
	return c->dealloc;
}

static bool marker_seen(const struct collected *c)
{
	return c->marker || c->dealloc;
}

/* Whether every record of the command is in, known without waiting for
 * the domain's deallocation (one RCU grace period and a work item after
 * the last process, 50-100 ms): each denial's record is queued by the
 * denying process itself, before it can be reaped, and the kernel sends
 * its queue in order; so once a user record sent after the last process
 * was reaped arrives, every record the kernel made has arrived, unless it
 * lost some (its lost count moved, on this socket an overrun), an exclude
 * rule kept some from being made, or one could not be read here. Any doubt
 * falls back to the deallocation record's count. */
static bool all_records_in(struct audit_ctl *a, struct collected *c)
{
	long long lost;

	if (a->excludes || c->overrun || c->unparsed)
		return false;
	snprintf(c->token, sizeof(c->token), "sandboxec-report-end=%d.%llx", (int)getpid(),
		 c->domain);
	if (nl_send_text(a->ctl, AUDIT_USER, c->token) < 0 || nl_reply(a->ctl, NULL) != 0)
		return false;
	if (!wait_records(a->mc, c, marker_seen, FIRST_RECORD_MS) || !c->marker)
		return false;
	lost = audit_lost(a->ctl);
	return lost >= 0 && (uint32_t)lost == a->lost && !c->overrun && !c->unparsed;
}

/* The child: confine with logging after exec, make the one denial that
 * makes the kernel log the domain now, wait for the parent to have seen
 * it, exec. Never returns. */
static void run_child(struct sbx_cli *cli, struct sbx_exec_facts *facts, int go)
{
	pid_t parent = getppid();
	char byte, probe[8];
	struct iovec local = {probe, sizeof(probe)}, remote = {&byte, 1};
	int status;

	cli->policy.log_denials = true;
	status = sbx_cli_confine(cli);
	if (status)
		_exit(status);
	/* Landlock refuses a domain access to a process outside it. */
	(void)!process_vm_readv(parent, &local, 1, &remote, 1, 0);
	if (read(go, &byte, 1) != 1)
		_exit(1); /* the parent gave up on the records: it runs the tracer */
	close(go);
	status = sbx_exec_command(cli->argv, facts, &cli->policy);
	fflush(stderr);
	_exit(status);
}

static const struct sbx_audit_record *syscall_of(const struct collected *c,
						 unsigned long long serial)
{
	size_t i;

	for (i = 0; i < c->n_sys; i++) {
		if (c->sys[i].serial == serial)
			return &c->sys[i];
	}
	return NULL;
}

/* A file opened to be created is then written (and read) under the
 * directory's rule: ask for it in the same round, as the tracer does. */
static uint64_t open_bits(const struct sbx_audit_record *sys)
{
	long flags = -1;

#ifdef __NR_open
	if (sys->syscall == __NR_open)
		flags = (long)sys->args[1];
	if (sys->syscall == __NR_creat)
		flags = O_WRONLY;
#endif
	if (sys->syscall == __NR_openat)
		flags = (long)sys->args[2];
	if (flags < 0)
		return 0;
	return ((flags & O_ACCMODE) != O_RDONLY ? SBX_LL_FS_WRITE_FILE : 0) |
	       ((flags & O_ACCMODE) != O_WRONLY ? SBX_LL_FS_READ_FILE : 0);
}

static void add_record(struct sbx_report *report, const struct sbx_audit_record *acc,
		       const struct sbx_audit_record *sys)
{
	struct sbx_denial_event ev = {0};

	ev.pid = sys ? sys->pid : 0;
	ev.exe = sys ? sys->exe : NULL;
	ev.err = EACCES;
	switch (acc->blocker) {
	case SBX_BLOCK_FS:
		ev.op = SBX_OP_LANDLOCK;
		ev.path = acc->path;
		ev.blocked = acc->fs_bits;
		if (sys && (acc->fs_bits & SBX_LL_FS_MAKE_REG))
			ev.blocked |= open_bits(sys);
		break;
	case SBX_BLOCK_CONNECT:
	case SBX_BLOCK_BIND:
	case SBX_BLOCK_UDP_SEND:
	case SBX_BLOCK_UDP_BIND:
		ev.op = acc->blocker == SBX_BLOCK_CONNECT || acc->blocker == SBX_BLOCK_UDP_SEND
			    ? SBX_OP_CONNECT
			    : SBX_OP_BIND;
		ev.udp = acc->blocker == SBX_BLOCK_UDP_SEND || acc->blocker == SBX_BLOCK_UDP_BIND;
		ev.inet = true;
		ev.port = acc->port;
		break;
	case SBX_BLOCK_SIGNAL:
		ev.op = SBX_OP_SIGNAL;
		ev.err = EPERM;
		break;
	case SBX_BLOCK_ABSTRACT:
		ev.op = SBX_OP_CONNECT;
		ev.abstract_unix = true;
		ev.err = EPERM;
		break;
	default:
		return; /* ptrace and mount refusals have no rule to suggest */
	}
	sbx_report_add(report, &ev);
}

/* The kernel logs refused execs, not the one that then worked: a name
 * refused in one $PATH directory that a later one holds, executable under
 * the policy, was a $PATH search. */
static void mark_path_searches(struct sbx_report *report)
{
	const char *path = sbx_env_get(environ, "PATH");
	size_t i;

	for (i = 0; path && i < report->n_groups; i++) {
		const struct sbx_report_group *g = &report->groups[i];
		char *copy, *save = NULL, *dir;
		const char *name;

		if (g->what.access != SBX_ACC_EXECUTE || !g->what.n_target)
			continue;
		name = strrchr(g->what.target[0].path, '/');
		copy = sbx_xstrdup(path);
		for (dir = strtok_r(copy, ":", &save); dir && name;
		     dir = strtok_r(NULL, ":", &save)) {
			char *candidate = sbx_path_join(dir, name + 1);

			if (access(candidate, X_OK) == 0 &&
			    sbx_report_fs_granted(report, candidate, SBX_LL_FS_EXECUTE))
				sbx_report_exec_succeeded(report, 0, candidate);
			free(candidate);
		}
		free(copy);
	}
}

/* Every record of the domain but the child's own first denial. */
static void fill_report(struct sbx_report *report, const struct collected *c, pid_t self,
			struct sbx_buf *note)
{
	bool marker = false;
	size_t i;

	for (i = 0; i < c->n_acc; i++) {
		const struct sbx_audit_record *acc = &c->acc[i];

		if (acc->domain != c->domain)
			continue;
		if (!marker && acc->blocker == SBX_BLOCK_PTRACE && acc->opid == self) {
			marker = true;
			continue;
		}
		add_record(report, acc, syscall_of(c, acc->serial));
	}
	mark_path_searches(report);
	if (!c->dealloc && !c->confirmed)
		sbx_buf_printf(note,
			       "the kernel's count of denials did not come within %d s; "
			       "the report may be incomplete",
			       DEALLOC_MS / 1000);
	else if (c->dealloc && (c->denials > c->n_acc || c->overrun))
		sbx_buf_printf(note,
			       "the report is incomplete: the kernel counted %llu denials, "
			       "%zu records arrived (the audit backlog or this socket dropped "
			       "the rest); --report=tracer sees every one",
			       c->denials ? c->denials - 1 : 0, c->n_acc ? c->n_acc - 1 : 0);
}

static void collected_free(struct collected *c)
{
	size_t i;

	for (i = 0; i < c->n_acc; i++)
		sbx_audit_record_free(&c->acc[i]);
	for (i = 0; i < c->n_sys; i++)
		sbx_audit_record_free(&c->sys[i]);
	free(c->acc);
	free(c->sys);
}

/* Waits for every process of the tree (this process is their subreaper),
 * reading records meanwhile; SIGTERM and SIGHUP go on to the command. */
static int wait_tree(int mc, int sfd, struct collected *c)
{
	int child_status = 0, status;
	struct signalfd_siginfo si;
	pid_t pid;

	for (;;) {
		struct pollfd p[2] = {{mc, POLLIN, 0}, {sfd, POLLIN, 0}};

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			drain(mc, c);
		if (!p[1].revents || read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD) {
			kill(c->child, (int)si.ssi_signo);
			continue;
		}
		while ((pid = waitpid(-1, &status, WNOHANG | __WALL)) > 0) {
			if (pid == c->child)
				child_status = status;
		}
		if (pid < 0 && errno == ECHILD)
			break;
	}
	return child_status;
}

static int run_and_collect(struct sbx_cli *cli, struct sbx_exec_facts *facts, struct audit_ctl *a,
			   struct collected *c, int *wait_status, struct sbx_buf *why)
{
	sigset_t set, old;
	int go[2], sfd, ret = 0;
	void (*old_int)(int), (*old_quit)(int);

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (pipe2(go, O_CLOEXEC) < 0)
		return -1;
	sigprocmask(SIG_BLOCK, &set, &old);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	fflush(NULL);
	c->child = fork();
	if (c->child == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(go[1]);
		run_child(cli, facts, go[0]);
	}
	close(go[0]);
	if (c->child < 0 || sfd < 0) {
		sbx_buf_printf(why, "cannot start the command (%s)", strerror(errno));
		ret = -1;
		goto out;
	}
	if (!wait_records(a->mc, c, domain_known, FIRST_RECORD_MS)) {
		/* Nothing of the command ran yet: the tracer takes over. */
		kill(c->child, SIGKILL);
		waitpid(c->child, NULL, 0);
		sbx_buf_printf(why, "no Landlock audit record arrived");
		ret = -1;
		goto out;
	}
	old_int = signal(SIGINT, SIG_IGN);
	old_quit = signal(SIGQUIT, SIG_IGN);
	(void)!write(go[1], "x", 1);
	*wait_status = wait_tree(a->mc, sfd, c);
	c->confirmed = all_records_in(a, c);
	if (!c->confirmed)
		wait_records(a->mc, c, domain_gone, DEALLOC_MS);
	signal(SIGINT, old_int);
	signal(SIGQUIT, old_quit);
out:
	close(go[1]);
	if (sfd >= 0)
		close(sfd);
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

int sbx_report_audit(struct sbx_cli *cli, const struct sbx_plan *plan, struct sbx_report *report,
		     struct sbx_exec_facts *facts, int *wait_status, struct sbx_buf *note)
{
	struct audit_ctl a;
	struct collected c;
	int ret;

	if (plan->unsandboxed || plan->abi < 7) {
		sbx_buf_printf(note, "Landlock ABI %d has no audit records (7 has)", plan->abi);
		return -1;
	}
	if (audit_open(&a, cli->report_backend == SBX_REPORT_AUDIT, note) < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	ret = run_and_collect(cli, facts, &a, &c, wait_status, note);
	audit_close(&a);
	if (ret == 0) {
		report->backend = "kernel audit records (Landlock)";
		fill_report(report, &c, getpid(), note);
	}
	collected_free(&c);
	return ret;
}
