/* SPDX-License-Identifier: Apache-2.0 */
/* --report's backend 1, the built-in tracer: the command runs confined in a
 * child that this process, outside the Landlock domain, traces with ptrace.
 * A seccomp filter stops the child only at file, socket and signal calls,
 * and at ioctls in a process once it opened a device (report_ioctl_arm.h);
 * the tracer reads arguments only when such a call fails. Beyond that
 * filter and the refusals it is handed, it only reads (registers, memory,
 * /proc links), so the policy is the same traced or not
 * (docs/diagnostics.md). */
#include "report_trace.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec_diagnose.h"
#include "report_audit.h"
#include "report_ioctl_arm.h"
#include "report_shim.h"
#include "report_syscalls.h"
#include "engine/confine.h"
#include "engine/denial.h"
#include "engine/seccomp_filter.h"

extern char **environ;

/* One traced thread: the call it is in, when the tracer waits for its
 * result. */
struct tracee {
	pid_t tid;
	bool pending;
	bool seen; /* its first stop (the attach SIGSTOP) came */
	uint64_t nr;
	uint64_t args[6];
	char *exec_path;	    /* execve's path, read at entry (gone after exec) */
	struct sbx_learn_call call; /* --mode learn: the call, decoded at entry */
};

struct sbx_tracer {
	struct tracee *t;
	size_t n, cap;
	struct sbx_report *report; /* denials, or NULL */
	struct sbx_learn *learn;   /* --mode learn: what succeeded, or NULL */
	pid_t child;
	int child_status;
	/* An open the policy and the file's permissions both let through is
	 * not stopped at its exit (sbx_trace_call_settled); true until the
	 * command does something that makes that prediction unsound. */
	bool settle_opens;
	/* The tracing filter left ioctl out: a process's ioctls stop only
	 * once it opened a device it may have one refused on (armed). */
	bool ioctl_lazy;
	pid_t *armed; /* thread groups whose ioctls stop */
	size_t n_armed, cap_armed;
	bool started;	   /* the command was exec'd: sandboxec's own calls are over */
	bool same_ids;	   /* this process's real, effective and saved ids agree: */
	uint32_t uid, gid; /* ... these, the command's while settle_opens holds */
};

static struct tracee *tracee_get(struct sbx_tracer *tr, pid_t tid)
{
	size_t i;

	for (i = 0; i < tr->n; i++) {
		if (tr->t[i].tid == tid)
			return &tr->t[i];
	}
	tr->t = sbx_xgrow(tr->t, tr->n + 1, &tr->cap, sizeof(*tr->t));
	memset(&tr->t[tr->n], 0, sizeof(*tr->t));
	tr->t[tr->n].tid = tid;
	return &tr->t[tr->n++];
}

static void tracee_drop(struct sbx_tracer *tr, pid_t tid)
{
	size_t i;

	for (i = 0; i < tr->n; i++) {
		if (tr->t[i].tid == tid) {
			free(tr->t[i].exec_path);
			sbx_learn_call_clear(&tr->t[i].call);
			tr->t[i] = tr->t[--tr->n];
			return;
		}
	}
}

/* The architecture a 64-bit process may also enter through (int $0x80,
 * compat mode), and the numbers of clone, clone3, seccomp and prctl in
 * each. */
#if defined(__x86_64__)
#define COMPAT_ARCH    0x40000003U /* AUDIT_ARCH_I386 */
#define NATIVE_NR_MASK 0xbfffffffU /* without the x32 bit */
#define NATIVE_CLONE   56
#define NATIVE_SECCOMP 317
#define COMPAT_SECCOMP 354
#define NATIVE_PRCTL   157
#else
#define COMPAT_ARCH    0x40000028U /* AUDIT_ARCH_ARM */
#define NATIVE_NR_MASK 0xffffffffU
#define NATIVE_CLONE   220
#define NATIVE_SECCOMP 277
#define COMPAT_SECCOMP 383
#define NATIVE_PRCTL   167
#endif
#define COMPAT_CLONE   120
#define ANY_CLONE3     435
#define CLONE_UNTRACE  0x00800000U /* CLONE_UNTRACED */
#define CLONE_NEW_VIEW 0x10020000U /* CLONE_NEWUSER | CLONE_NEWNS */
#define NEW_LISTENER   0x8U	   /* SECCOMP_FILTER_FLAG_NEW_LISTENER */

/* The calls after which the tracer can no longer tell, at an open's entry,
 * that the open cannot be refused (sbx_trace_call_settled): a new Landlock
 * layer, another root or mount namespace (paths name other files), other
 * credentials or capabilities (file permissions decide otherwise). They
 * stop once (RET_TRACE with SBX_TRACE_VIEW) and run: sandboxec's filter
 * refuses none of them, so no refusal can pass for one. clone with
 * CLONE_NEWUSER or CLONE_NEWNS stops too. Only x86-64 has the lists;
 * elsewhere every open is stopped at its exit. */
#define SBX_TRACE_VIEW 1U
#if defined(__x86_64__)
static const uint32_t view_native[] = {
    __NR_setuid,    __NR_setgid,
    __NR_setreuid,  __NR_setregid,
    __NR_setgroups, __NR_setresuid,
    __NR_setresgid, __NR_setfsuid,
    __NR_setfsgid,  __NR_capset,
    __NR_chroot,    __NR_unshare,
    __NR_setns,	    __NR_landlock_restrict_self,
};
static const uint32_t view_compat[] = {
    23,	 46,  70,  71,	81,  164, 170, 138, 139, /* set*id, setgroups (16-bit ids) */
    213, 214, 203, 204, 206, 208, 210, 215, 216, /* ... 32-bit ids */
    185, 172,					 /* capset, prctl */
    61,	 310, 346, 446,				 /* chroot, unshare, setns, landlock */
};
/* prctl options that change capabilities: the rest (thread names...) are
 * frequent and harmless. */
static const uint32_t view_prctl[] = {
    8,	/* PR_SET_KEEPCAPS */
    24, /* PR_CAPBSET_DROP */
    28, /* PR_SET_SECUREBITS */
};
#else
static const uint32_t view_native[1], view_compat[1], view_prctl[1];
#endif

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define LOAD(field)   STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)offsetof(struct seccomp_data, field))
#define JUMP(op, k, at, t, f)                                                                      \
	((struct sock_filter)BPF_JUMP(BPF_JMP | (op) | BPF_K, k, (uint8_t)((t) - (at)-1),          \
				      (uint8_t)((f) - (at)-1)))

/* Where the pieces of the tracing filter start; see below. */
struct trace_layout {
	size_t ret_allow, compat, allow_end, enosys, eperm, einval, ret_view;
	size_t n_native, n_compat, n_prctl; /* lengths of the view lists in use */
};

/* The refusals that keep every process of the command this tracer's, for
 * one architecture's numbers, A holding the number (masked); they end at
 * next. A clone into a new user or mount namespace stops as a view change.
 * Eight instructions from at. */
static size_t emit_keep_traced(struct sock_filter *prog, size_t at, uint32_t clone,
			       uint32_t seccomp, size_t next, const struct trace_layout *l)
{
	size_t n = at;

	prog[n] = JUMP(BPF_JEQ, ANY_CLONE3, n, l->enosys, n + 1), n++;
	prog[n] = JUMP(BPF_JEQ, clone, n, n + 1, n + 4), n++;
	prog[n++] = LOAD(args[0]);
	prog[n] = JUMP(BPF_JSET, CLONE_UNTRACE, n, l->eperm, n + 1), n++;
	prog[n] = JUMP(BPF_JSET, l->n_native ? CLONE_NEW_VIEW : 0, n, l->ret_view, next), n++;
	prog[n] = JUMP(BPF_JEQ, seccomp, n, n + 1, next), n++;
	prog[n++] = LOAD(args[1]);
	prog[n] = JUMP(BPF_JSET, NEW_LISTENER, n, l->einval, next), n++;
	return n;
}

/* JEQ to ret_view for each number of list, then on to the next
 * instruction. */
static size_t emit_view(struct sock_filter *prog, size_t n, const uint32_t *list, size_t len,
			const struct trace_layout *l)
{
	size_t i;

	for (i = 0; i < len; i++, n++)
		prog[n] = JUMP(BPF_JEQ, list[i], n, l->ret_view, n + 1);
	return n;
}

/* The seccomp filter that makes the traced calls stop: RET_TRACE for the
 * numbers in report_syscalls.h, ALLOW for the rest. sandboxec's own filter
 * is installed after it, so it wins where both trace (the most recent
 * filter's data is taken) and where it refuses (ERRNO outranks TRACE).
 *
 * Every call the sandbox filter hands to the tracer (SBX_SECCOMP_TRACE_NET)
 * would run if something else in the sandbox could answer it, so none may:
 * - another tracer: a child comes untraced only from clone(CLONE_UNTRACED),
 *   refused (EPERM), or from clone3, whose flags seccomp cannot read,
 *   refused with ENOSYS (glibc then falls back to clone);
 * - a seccomp listener the command installs (SECCOMP_RET_USER_NOTIF
 *   outranks TRACE, and its answer CONTINUE runs the call): a filter with
 *   SECCOMP_FILTER_FLAG_NEW_LISTENER is refused with EINVAL, as by a kernel
 *   without listeners.
 * The view changes above stop with SBX_TRACE_VIEW as their data. */
static int install_filter(bool trace_ioctl)
{
	struct sock_filter prog[40 + 2 * SBX_TRACED_MAX + SBX_ARRAY_SIZE(view_native) +
				SBX_ARRAY_SIZE(view_compat) + SBX_ARRAY_SIZE(view_prctl)];
	struct sock_fprog fprog;
	struct trace_layout l;
	size_t n = 0, i, prctl_at, n_traced;

#if defined(__x86_64__)
	l.n_native = SBX_ARRAY_SIZE(view_native);
	l.n_compat = SBX_ARRAY_SIZE(view_compat);
	l.n_prctl = SBX_ARRAY_SIZE(view_prctl);
#else
	l.n_native = l.n_compat = l.n_prctl = 0;
#endif
	/* native: 14 instructions, the traced calls, the view list, prctl */
	n_traced = sbx_traced_count - (trace_ioctl ? 0 : 1);
	prctl_at = 14 + 2 * n_traced + l.n_native;
	l.ret_allow = prctl_at + (l.n_prctl ? 2 + l.n_prctl : 0);
	l.compat = l.ret_allow + 1;
	l.allow_end = l.compat + 9 + l.n_compat;
	l.enosys = l.allow_end + 1;
	l.eperm = l.allow_end + 2;
	l.einval = l.allow_end + 3;
	l.ret_view = l.allow_end + 4;
	prog[n++] = LOAD(arch);
	prog[n] = JUMP(BPF_JEQ, COMPAT_ARCH, n, l.compat, n + 1), n++;
	prog[n] = JUMP(BPF_JEQ, SBX_TRACED_ARCH, n, n + 1, l.allow_end), n++;
	prog[n++] = LOAD(nr);
	prog[n++] = STMT(BPF_ALU | BPF_AND | BPF_K, NATIVE_NR_MASK);
	n = emit_keep_traced(prog, n, NATIVE_CLONE, NATIVE_SECCOMP, n + 8, &l);
	prog[n++] = LOAD(nr);
	for (i = 0; i < sbx_traced_count; i++) {
		if (!trace_ioctl && sbx_traced[i].nr == __NR_ioctl)
			continue;
		prog[n] = JUMP(BPF_JEQ, (uint32_t)sbx_traced[i].nr, n, n + 1, n + 2), n++;
		prog[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	}
	n = emit_view(prog, n, view_native, l.n_native, &l);
	if (l.n_prctl) { /* prctl_at */
		prog[n] = JUMP(BPF_JEQ, NATIVE_PRCTL, n, n + 1, l.ret_allow), n++;
		prog[n++] = LOAD(args[0]);
		n = emit_view(prog, n, view_prctl, l.n_prctl, &l);
	}
	prog[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW); /* ret_allow */
	prog[n++] = LOAD(nr);				      /* compat */
	n = emit_keep_traced(prog, n, COMPAT_CLONE, COMPAT_SECCOMP, n + 8, &l);
	n = emit_view(prog, n, view_compat, l.n_compat, &l);
	prog[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW); /* allow_end */
	prog[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	prog[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	prog[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL);
	prog[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | SBX_TRACE_VIEW); /* ret_view */
	if (n != l.ret_view + 1) {
		errno = EINVAL; /* the layout above was miscounted */
		return -1;
	}
	fprog.len = (unsigned short)n;
	fprog.filter = prog;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);
}

int sbx_trace_install_filter(void)
{
	return install_filter(true);
}

/* Whether a set*id call of a native process, while it still has this
 * process's ids, leaves them as they are: every id it names is -1 or the
 * one it has (posix_spawn's POSIX_SPAWN_RESETIDS, as make uses it, sets
 * the effective ids to the real ones). */
static bool ids_kept(const struct sbx_tracer *tr, uint32_t arch, uint64_t nr,
		     const uint64_t args[6])
{
	size_t n_args, i;
	uint32_t id;

	if (!tr->same_ids || arch != SBX_TRACED_ARCH)
		return false;
	switch (nr) {
	case __NR_setuid:
	case __NR_setfsuid:
	case __NR_setgid:
	case __NR_setfsgid:
		n_args = 1;
		break;
	case __NR_setreuid:
	case __NR_setregid:
		n_args = 2;
		break;
	case __NR_setresuid:
	case __NR_setresgid:
		n_args = 3;
		break;
	default:
		return false;
	}
	id = nr == __NR_setuid || nr == __NR_setfsuid || nr == __NR_setreuid || nr == __NR_setresuid
		 ? tr->uid
		 : tr->gid;
	for (i = 0; i < n_args; i++) {
		if ((uint32_t)args[i] != 0xffffffffU && (uint32_t)args[i] != id)
			return false;
	}
	return true;
}

/* Whether a stop with data SBX_TRACE_VIEW names one of the view changes
 * (the command's own filter could return TRACE with any data). */
static bool is_view_change(uint32_t arch, uint64_t nr)
{
	const uint32_t *list = arch == SBX_TRACED_ARCH ? view_native : view_compat;
	size_t i, len = arch == SBX_TRACED_ARCH ? SBX_ARRAY_SIZE(view_native)
						: SBX_ARRAY_SIZE(view_compat);

#if !defined(__x86_64__)
	len = 0;
#endif
	if (arch != SBX_TRACED_ARCH && arch != COMPAT_ARCH)
		return false;
	if (nr == (arch == SBX_TRACED_ARCH ? NATIVE_CLONE : COMPAT_CLONE) ||
	    (arch == SBX_TRACED_ARCH && nr == NATIVE_PRCTL))
		return len > 0;
	for (i = 0; i < len; i++) {
		if (list[i] == nr)
			return true;
	}
	return false;
}

bool sbx_trace_can_refuse(void)
{
#if defined(__x86_64__)
	return true;
#else
	return false; /* no code below to skip a call on this CPU */
#endif
}

/* The child: stop until the tracer has set its options, confine, add the
 * trace filter, exec. Never returns. */
static void run_child(struct sbx_cli *cli, bool confine, bool ioctl_lazy,
		      struct sbx_exec_facts *facts)
{
	int status;

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
		sbx_cli_error("--report: cannot be traced (%s); run without --report",
			      strerror(errno));
		_exit(1);
	}
	raise(SIGSTOP);
	/* The tracing filter first: sandboxec's, installed after it, is the
	 * one whose data counts where both return TRACE. */
	if (install_filter(!ioctl_lazy) < 0) {
		sbx_cli_error("--report: cannot install the tracing filter: %s; nothing was run",
			      strerror(errno));
		_exit(1);
	}
	cli->trace_refusals = confine && sbx_trace_can_refuse();
	status = confine ? sbx_cli_confine(cli) : 0;
	if (status)
		_exit(status);
	status = sbx_exec_command(cli->argv, facts, &cli->policy);
	fflush(stderr);
	_exit(status);
}

static void resume(struct tracee *t, int sig)
{
	ptrace(t->pending ? PTRACE_SYSCALL : PTRACE_CONT, t->tid, NULL, (void *)(long)sig);
}

/* Fails the call the tracee stopped in with err, without running it:
 * number -1 skips it, and the return register is what it returns
 * (seccomp(2), SECCOMP_RET_TRACE). */
static int skip_call(pid_t tid, int err)
{
#if defined(__x86_64__)
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, tid, NULL, &regs) < 0)
		return -1;
	regs.orig_rax = (unsigned long long)-1LL;
	regs.rax = (unsigned long long)-(long long)err;
	return (int)ptrace(PTRACE_SETREGS, tid, NULL, &regs);
#else
	(void)tid;
	(void)err;
	return -1;
#endif
}

/* A call sandboxec's filter refused and handed over: it fails with the
 * filter's errno, as without --report, and is reported. A call that cannot
 * be skipped must not run: the process is killed instead. */
static void on_refusal(struct sbx_tracer *tr, struct tracee *t,
		       const struct __ptrace_syscall_info *info, int err)
{
	if (skip_call(t->tid, err) < 0) {
		kill(t->tid, SIGKILL);
		return;
	}
	if (tr->report)
		sbx_trace_refused_call(tr->report, t->tid, info->arch, info->seccomp.nr,
				       info->seccomp.args, err);
	t->pending = false;
	resume(t, 0);
}

/* Whether the call just stopped at needs its exit stop. */
static bool exit_needed(struct sbx_tracer *tr, struct tracee *t)
{
	/* Neither reported nor learnt (learning skips ioctls): no exit stop. */
	if (!sbx_traced_outcome_matters(t->tid, t->nr, t->args))
		return false;
	/* Learning records what succeeded: it needs every outcome. */
	return tr->learn || !tr->settle_opens || !tr->report ||
	       !sbx_trace_call_settled(tr->report, t->tid, t->nr, t->args, tr->ioctl_lazy);
}

static void on_seccomp_stop(struct sbx_tracer *tr, struct tracee *t)
{
	struct __ptrace_syscall_info info;

	/* Which filter stopped it (the data of the action that won): not
	 * knowing, the call must not run. */
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info) <= 0 ||
	    info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		if (sbx_trace_can_refuse())
			kill(t->tid, SIGKILL);
		else
			resume(t, 0);
		return;
	}
	if (info.seccomp.ret_data & SBX_SECCOMP_TRACE_REFUSAL) {
		on_refusal(tr, t, &info, (int)(info.seccomp.ret_data & 0xff));
		return;
	}
	/* A view change runs as it would untraced; from the command's on,
	 * no open is settled at its entry any more. Before the exec they are
	 * sandboxec's own (confining the child). */
	if (info.seccomp.ret_data == SBX_TRACE_VIEW && is_view_change(info.arch, info.seccomp.nr)) {
		if (tr->started && !ids_kept(tr, info.arch, info.seccomp.nr, info.seccomp.args))
			tr->settle_opens = false;
		t->pending = false;
		resume(t, 0);
		return;
	}
	/* A stop this tracer's filter did not ask for: a filter of the
	 * command's own returned TRACE (the most recent filter's data wins
	 * over the sandbox's refusal). Without --report no tracer would
	 * answer and the call would fail with ENOSYS: so it does here. */
	if (sbx_trace_can_refuse() &&
	    (info.arch != SBX_TRACED_ARCH || !sbx_traced_is_traced(info.seccomp.nr))) {
		if (skip_call(t->tid, ENOSYS) < 0)
			kill(t->tid, SIGKILL);
		else
			resume(t, 0);
		return;
	}
	t->pending = true;
	t->nr = info.seccomp.nr;
	memcpy(t->args, info.seccomp.args, sizeof(t->args));
	free(t->exec_path);
	t->exec_path = NULL;
	/* The path of an exec is gone once it succeeds: read it now, so a
	 * later success can tell a $PATH search from a real denial. */
	if (sbx_traced_is_exec(t->nr))
		t->exec_path = sbx_trace_exec_path(t->tid, t->nr, t->args);
	if (tr->learn)
		sbx_trace_learn_enter(t->tid, t->nr, t->args, &t->call);
	t->pending = exit_needed(tr, t);
	resume(t, 0);
}

static bool is_armed(const struct sbx_tracer *tr, pid_t tgid)
{
	size_t i;

	for (i = 0; i < tr->n_armed; i++) {
		if (tr->armed[i] == tgid)
			return true;
	}
	return false;
}

static void armed_drop(struct sbx_tracer *tr, pid_t tgid)
{
	size_t i;

	for (i = 0; i < tr->n_armed; i++) {
		if (tr->armed[i] == tgid) {
			tr->armed[i] = tr->armed[--tr->n_armed];
			return;
		}
	}
}

/* An open of t just returned fd: a device the policy does not grant ioctl
 * on makes its process's ioctls stop from now on (its threads' too, and
 * the children it starts after, which inherit the filter). A child
 * started before has no such descriptor of its own; it is armed at its
 * own device open. Returns false when t is gone (its status handed on). */
static bool arm_if_device(struct sbx_tracer *tr, struct tracee *t, int fd, int *sig)
{
	pid_t tid = t->tid, tgid;
	int status = 0;

	/* Whatever settles no open (a layer of the command's own or one
	 * outside sandboxec's, another root...) could refuse an ioctl the
	 * policy grants too: then every device arms. */
	if (!sbx_trace_fd_needs_ioctl(tr->settle_opens ? tr->report : NULL, tid, fd))
		return true;
	tgid = sbx_trace_thread_group(tid);
	if (is_armed(tr, tgid))
		return true;
	switch (sbx_arm_ioctl(tid, &status)) {
	case SBX_ARM_DONE:
		tr->armed =
		    sbx_xgrow(tr->armed, tr->n_armed + 1, &tr->cap_armed, sizeof(*tr->armed));
		tr->armed[tr->n_armed++] = tgid;
		return true;
	case SBX_ARM_GONE:
		sbx_tracer_event(tr, tid, status);
		return false;
	case SBX_ARM_SIGNAL:
		*sig = WSTOPSIG(status);
		break;
	case SBX_ARM_FAILED:
		break;
	}
	if (!tr->report->ioctl_unseen_pid)
		tr->report->ioctl_unseen_pid = (int)tgid;
	return true;
}

static void on_syscall_exit(struct sbx_tracer *tr, struct tracee *t)
{
	struct __ptrace_syscall_info info;
	int sig = 0;

	if (t->pending &&
	    ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info) > 0 &&
	    info.op == PTRACE_SYSCALL_INFO_EXIT) {
		if (tr->ioctl_lazy && !info.exit.is_error && info.arch == SBX_TRACED_ARCH &&
		    sbx_traced_is_open(t->nr) && !arm_if_device(tr, t, (int)info.exit.rval, &sig))
			return;
		if (info.exit.is_error && tr->report)
			sbx_trace_failed_call(tr->report, t->tid, t->nr, t->args,
					      (int)-info.exit.rval);
		if (tr->learn)
			sbx_trace_learn_exit(tr->learn, &t->call, t->tid, info.exit.is_error,
					     (int)-info.exit.rval);
	}
	t->pending = false;
	resume(t, sig);
}

/* After an exec the process is the thread-group leader again; a thread
 * that exec'd hands its state over (ptrace(2) "execve(2) under ptrace"). */
static void on_exec(struct sbx_tracer *tr, struct tracee *t)
{
	unsigned long former = 0;

	ptrace(PTRACE_GETEVENTMSG, t->tid, NULL, &former);
	if ((pid_t)former != t->tid) {
		struct tracee *old = tracee_get(tr, (pid_t)former);

		free(t->exec_path);
		t->exec_path = old->exec_path;
		old->exec_path = NULL;
		tracee_drop(tr, (pid_t)former);
		t = tracee_get(tr, t->tid);
	}
	if (t->exec_path && tr->report)
		sbx_report_exec_succeeded(tr->report, t->tid, t->exec_path);
	if (t->exec_path && tr->learn)
		sbx_trace_learn_exec(tr->learn, t->tid, t->exec_path);
	free(t->exec_path);
	t->exec_path = NULL;
	t->pending = false;
	tr->started = true;
	resume(t, 0);
}

static void on_stop(struct sbx_tracer *tr, pid_t tid, int status)
{
	struct tracee *t = tracee_get(tr, tid);
	int sig = WSTOPSIG(status), event = status >> 16;

	if (!t->seen) {
		t->seen = true;
		if (sig == SIGSTOP && !event) {
			resume(t, 0); /* the stop that attached it */
			return;
		}
	}
	if (event == PTRACE_EVENT_SECCOMP)
		on_seccomp_stop(tr, t);
	else if (sig == (SIGTRAP | 0x80))
		on_syscall_exit(tr, t);
	else if (event == PTRACE_EVENT_EXEC)
		on_exec(tr, t);
	else if (event)
		resume(t, 0); /* fork, vfork, clone: the new one is traced too */
	else
		resume(t, sig == SIGTRAP ? 0 : sig);
}

/* The child stopped itself after PTRACE_TRACEME: follow everything it
 * starts, and let it go on. Opens are settled at their entry only for a
 * report, on x86-64 (where the view changes stop), and when this process
 * is under no other layer: no_new_privs, which every unprivileged
 * Landlock layer needs, is unset (an outer layer's refusals would
 * otherwise go unseen, docs/diagnostics.md "Cost"). */
static void attach(struct sbx_tracer *tr)
{
#if defined(__x86_64__)
	uid_t ruid = 0, euid = 0, suid = 0;
	gid_t rgid = 0, egid = 0, sgid = 0;

	tr->settle_opens = tr->report && !tr->learn && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0;
	tr->same_ids = getresuid(&ruid, &euid, &suid) == 0 && getresgid(&rgid, &egid, &sgid) == 0 &&
		       ruid == euid && euid == suid && rgid == egid && egid == sgid;
	tr->uid = (uint32_t)ruid;
	tr->gid = (uint32_t)rgid;
#endif
	ptrace(PTRACE_SETOPTIONS, tr->child, NULL,
	       (void *)(long)(PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD |
			      PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
			      PTRACE_O_TRACEEXEC));
	tracee_get(tr, tr->child)->seen = true;
	ptrace(PTRACE_CONT, tr->child, NULL, NULL);
}

struct sbx_tracer *sbx_tracer_attach(pid_t child, struct sbx_report *report)
{
	struct sbx_tracer *tr = sbx_xcalloc(1, sizeof(*tr));

	tr->child = child;
	tr->report = report;
	attach(tr);
	return tr;
}

void sbx_tracer_free(struct sbx_tracer *tr)
{
	while (tr->n)
		tracee_drop(tr, tr->t[0].tid);
	free(tr->t);
	free(tr->armed);
	free(tr);
}

void sbx_tracer_event(struct sbx_tracer *tr, pid_t tid, int status)
{
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (tid == tr->child)
			tr->child_status = status;
		/* A leader's end is reported after its threads': its number
		 * may now go to a process that is not armed. */
		armed_drop(tr, tid);
		tracee_drop(tr, tid);
	} else if (WIFSTOPPED(status)) {
		on_stop(tr, tid, status);
	}
}

static void trace_loop(struct sbx_tracer *tr)
{
	int status;
	pid_t tid;

	for (;;) {
		tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: every traced process is gone */
		}
		sbx_tracer_event(tr, tid, status);
	}
}

/* The report's facts that need system calls: the kernel's plan, and the
 * real paths of the rules so a path seen through a symlink still matches. */
int sbx_report_prepare(struct sbx_cli *cli, struct sbx_plan *plan, struct sbx_report *report)
{
	struct sbx_error err = {{0}};
	const char *named = cli->flags.named_config
				? cli->flags.named_config
				: sbx_env_get(environ, "SANDBOXEC_NAMED_CONFIG");
	size_t i;

	if (sbx_confine_plan(&cli->policy, plan, &err) < 0) {
		sbx_cli_error("%s", err.msg);
		return -1;
	}
	sbx_report_init(report, plan, named ? named : cli->policy.config_path, named != NULL);
	for (i = 0; i < plan->n_fs; i++) {
		char *real = realpath(plan->fs[i].rule->path, NULL);

		sbx_report_set_real(report, i, real);
		free(real);
	}
	return 0;
}

/* The command's status as this process's: its exit code, or the same
 * signal raised here once the report is out. */
static int pass_on_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return 1;
}

/* The report, then notes the caller gathered before the run (or NULL). */
static void print_report(const struct sbx_report *report, const struct sbx_buf *notes)
{
	struct sbx_buf text = {0};

	sbx_report_write(report, &text);
	if (notes && notes->len)
		sbx_buf_puts(&text, notes->data);
	fflush(stdout);
	fwrite(text.data, 1, text.len, stderr);
	sbx_buf_free(&text);
}

/* Backend 2 when it is available; returns -1 when the tracer is to run
 * (the report then says why the records were not used). */
static int try_audit(struct sbx_cli *cli, const struct sbx_plan *plan, struct sbx_report *report,
		     struct sbx_exec_facts *facts, const struct sbx_buf *notes)
{
	static char backend[512];
	struct sbx_buf note = {0};
	int status = -1, wait_status = 0;

	if (sbx_report_audit(cli, plan, report, facts, &wait_status, &note) == 0) {
		print_report(report, notes);
		if (note.len)
			sbx_cli_error("%s", note.data);
		status = pass_on_status(wait_status);
	} else if (cli->report_backend == SBX_REPORT_AUDIT) {
		sbx_cli_error("--report=audit: %s; nothing was run (--report=tracer needs no "
			      "privilege)",
			      note.data);
		status = 1;
	} else {
		snprintf(backend, sizeof(backend),
			 "tracer (ptrace + seccomp; no audit records: %s)", note.data);
		report->backend = backend;
	}
	sbx_buf_free(&note);
	return status;
}

int sbx_trace_command(struct sbx_cli *cli, const struct sbx_trace_opts *opts, int *wait_status)
{
	struct sbx_tracer tr = {0};
	struct sbx_exec_facts facts;
	void (*old_int)(int), (*old_quit)(int);
	int status, ret = 0;

	sbx_exec_facts_gather(cli->argv[0], environ, &facts);
	fflush(NULL);
	tr.report = opts->report;
	tr.learn = opts->learn;
	/* Learning keeps every ioctl's stop (its rules come from what ran). */
	tr.ioctl_lazy = opts->report && !opts->learn && opts->confine && sbx_arm_supported();
	tr.child = fork();
	if (tr.child == 0)
		run_child(cli, opts->confine, tr.ioctl_lazy, &facts);
	sbx_exec_facts_free(&facts);
	if (tr.child < 0 || waitpid(tr.child, &status, __WALL) < 0 || !WIFSTOPPED(status)) {
		sbx_cli_error("cannot start the traced command: %s", strerror(errno));
		return -1;
	}
	/* The child stays in the foreground: ^C reaches it, and the report
	 * still comes out when it ends. */
	old_int = signal(SIGINT, SIG_IGN);
	old_quit = signal(SIGQUIT, SIG_IGN);
	attach(&tr);
	trace_loop(&tr);
	signal(SIGINT, old_int);
	signal(SIGQUIT, old_quit);
	*wait_status = tr.child_status;
	while (tr.n)
		tracee_drop(&tr, tr.t[0].tid);
	free(tr.t);
	free(tr.armed);
	return ret;
}

int sbx_report_run(struct sbx_cli *cli)
{
	struct sbx_trace_opts opts = {.confine = true};
	struct sbx_report report;
	struct sbx_plan plan;
	struct sbx_buf notes = {0};
	int status = -1;

	if (sbx_report_prepare(cli, &plan, &report) < 0)
		return 1;
	sbx_report_shim_notes(cli, &notes);
	if (cli->report_backend != SBX_REPORT_TRACER) {
		struct sbx_exec_facts facts;

		sbx_exec_facts_gather(cli->argv[0], environ, &facts);
		status = try_audit(cli, &plan, &report, &facts, &notes);
		sbx_exec_facts_free(&facts);
	}
	if (status < 0) {
		opts.report = &report;
		if (sbx_trace_command(cli, &opts, &status) < 0) {
			status = 1;
		} else {
			print_report(&report, &notes);
			status = pass_on_status(status);
		}
	}
	sbx_buf_free(&notes);
	sbx_report_free(&report);
	sbx_plan_free(&plan);
	return status;
}
