/* SPDX-License-Identifier: Apache-2.0 */
/* Adding the ioctl-stopping filter to a traced process; see
 * report_ioctl_arm.h. The tracer writes the filter into the stopped
 * thread's stack below its red zone (the 128 bytes the x86-64 ABI lets
 * leaf code use under the stack pointer), points the thread back at the
 * syscall instruction it just returned from with seccomp's number and
 * arguments, runs that one call to its exit, and puts the registers back.
 * Nothing of the program's is overwritten, and a failure leaves it as it
 * was: ioctls then stay unwatched, which the report says. */
#include "report_ioctl_arm.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "report_syscalls.h"

#if defined(__x86_64__)

#define RED_ZONE    128
#define SYSCALL_LEN 2 /* 0f 05 */

/* Whether tid's stop (status) is a syscall stop, entry or exit. */
static int syscall_op(pid_t tid, int status)
{
	struct __ptrace_syscall_info info;

	if (!WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80))
		return -1;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info) <= 0)
		return -1;
	return info.op;
}

/* The filter: stop at the native ioctl, let everything else through. */
static void build(struct sock_filter prog[6])
{
	prog[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					       (uint32_t)offsetof(struct seccomp_data, arch));
	prog[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SBX_TRACED_ARCH, 0, 3);
	prog[2] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					       (uint32_t)offsetof(struct seccomp_data, nr));
	prog[3] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 1);
	prog[4] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	prog[5] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
}

/* Writes the filter and its sock_fprog under the red zone; the fprog's
 * address, or 0. */
static uint64_t write_filter(pid_t tid, uint64_t sp)
{
	struct {
		struct sock_fprog fprog;
		struct sock_filter prog[6];
	} blob;
	uint64_t at = (sp - RED_ZONE - sizeof(blob)) & ~(uint64_t)15;
	struct iovec local = {&blob, sizeof(blob)}, remote = {(void *)(uintptr_t)at, sizeof(blob)};

	build(blob.prog);
	blob.fprog.len = 6;
	blob.fprog.filter =
	    (struct sock_filter *)(uintptr_t)(at + offsetof(__typeof__(blob), prog));
	if (process_vm_writev(tid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof(blob))
		return 0;
	return at;
}

/* Whether the two bytes before ip are the syscall instruction. */
static bool after_syscall(pid_t tid, uint64_t ip)
{
	unsigned char insn[SYSCALL_LEN];
	struct iovec local = {insn, sizeof(insn)};
	struct iovec remote = {(void *)(uintptr_t)(ip - SYSCALL_LEN), sizeof(insn)};

	return process_vm_readv(tid, &local, 1, &remote, 1, 0) == (ssize_t)sizeof(insn) &&
	       insn[0] == 0x0f && insn[1] == 0x05;
}

bool sbx_arm_supported(void)
{
	return true;
}

enum sbx_arm_result sbx_arm_ioctl(pid_t tid, int *status)
{
	struct user_regs_struct saved, regs;
	uint64_t fprog;
	long ret = -1;
	int op;

	*status = 0;
	if (ptrace(PTRACE_GETREGS, tid, NULL, &saved) < 0 || !after_syscall(tid, saved.rip))
		return SBX_ARM_FAILED;
	fprog = write_filter(tid, saved.rsp);
	if (!fprog)
		return SBX_ARM_FAILED;
	regs = saved;
	regs.rip -= SYSCALL_LEN;
	regs.rax = __NR_seccomp;
	regs.rdi = SECCOMP_SET_MODE_FILTER;
	regs.rsi = SECCOMP_FILTER_FLAG_TSYNC;
	regs.rdx = fprog;
	if (ptrace(PTRACE_SETREGS, tid, NULL, &regs) < 0)
		return SBX_ARM_FAILED;
	/* Entry stop, then exit stop. A signal may be delivered before the
	 * thread reaches the instruction: it must see the registers as they
	 * were, so the attempt ends there. A seccomp stop of a filter of the
	 * command's own on seccomp(2): the call fails as with no tracer. */
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, tid, NULL, NULL) < 0)
			break;
		while (waitpid(tid, status, __WALL) < 0) {
			if (errno != EINTR)
				return SBX_ARM_GONE;
		}
		if (WIFEXITED(*status) || WIFSIGNALED(*status))
			return SBX_ARM_GONE;
		if (*status >> 16 == PTRACE_EVENT_SECCOMP) {
			regs.orig_rax = (unsigned long long)-1LL;
			regs.rax = (unsigned long long)-(long long)ENOSYS;
			if (ptrace(PTRACE_SETREGS, tid, NULL, &regs) < 0)
				break;
			continue;
		}
		op = syscall_op(tid, *status);
		if (op == PTRACE_SYSCALL_INFO_ENTRY)
			continue;
		if (op == PTRACE_SYSCALL_INFO_EXIT) {
			if (ptrace(PTRACE_GETREGS, tid, NULL, &regs) == 0)
				ret = (long)regs.rax;
			break;
		}
		if (WIFSTOPPED(*status) && WSTOPSIG(*status) == (SIGTRAP | 0x80)) {
			/* A syscall stop that could not be read: the call, if
			 * it has not run, must not run as the open again. */
			regs = saved;
			regs.orig_rax = (unsigned long long)-1LL;
			ptrace(PTRACE_SETREGS, tid, NULL, &regs);
			return SBX_ARM_FAILED;
		}
		/* A signal-delivery stop before the call ran. */
		if (ptrace(PTRACE_SETREGS, tid, NULL, &saved) < 0)
			break;
		return WIFSTOPPED(*status) && !(*status >> 16) ? SBX_ARM_SIGNAL : SBX_ARM_FAILED;
	}
	if (ptrace(PTRACE_SETREGS, tid, NULL, &saved) < 0)
		return SBX_ARM_FAILED;
	return ret == 0 ? SBX_ARM_DONE : SBX_ARM_FAILED;
}

#else

bool sbx_arm_supported(void)
{
	return false;
}

enum sbx_arm_result sbx_arm_ioctl(pid_t tid, int *status)
{
	(void)tid;
	*status = 0;
	return SBX_ARM_FAILED;
}

#endif
