/* The terminal-injection filter; see seccomp_tty.h. Raw classic BPF: the
 * program is a dozen instructions, so libseccomp would be a dependency for
 * nothing. It must never allow an ioctl it was meant to deny: an unknown
 * architecture in seccomp_data kills the process instead of guessing. */
#include "seccomp_tty.h"

#include <endian.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>

#include "util.h"

/* One system-call ABI the kernel may report for this process: a 64-bit
 * x86 process can still enter through int $0x80 (the i386 table) or with
 * the x32 bit set, so every ABI the CPU offers needs its own ioctl number. */
struct tty_filter_abi {
	uint32_t arch;	   /* AUDIT_ARCH_* as in seccomp_data.arch */
	uint32_t nr_mask;  /* bits of the syscall number that select the call */
	uint32_t ioctl[2]; /* ioctl's numbers under this ABI */
};

#define X32_SYSCALL_BIT 0x40000000u

static const struct tty_filter_abi tty_filter_abis[] = {
#if defined(__x86_64__)
    /* 16 is ioctl for x86-64, 514 (with the x32 bit, which the mask
     * clears) for x32. */
    {AUDIT_ARCH_X86_64, ~X32_SYSCALL_BIT, {16, 514}},
    {AUDIT_ARCH_I386, ~0u, {54, 54}},
#elif defined(__i386__)
    {AUDIT_ARCH_I386, ~0u, {54, 54}},
#elif defined(__aarch64__)
    {AUDIT_ARCH_AARCH64, ~0u, {29, 29}},
    {AUDIT_ARCH_ARM, ~0u, {54, 54}},
#elif defined(__arm__)
    {AUDIT_ARCH_ARM, ~0u, {54, 54}},
#elif defined(__riscv) && __riscv_xlen == 64
    {AUDIT_ARCH_RISCV64, ~0u, {29, 29}},
    {AUDIT_ARCH_RISCV32, ~0u, {29, 29}},
#else
#error "seccomp_tty.c: add this CPU's AUDIT_ARCH_* values and ioctl numbers to tty_filter_abis"
#endif
};

/* The ioctl request is an unsigned int in the kernel: only the low 32 bits
 * of the 64-bit argument select the command, so only they are compared
 * (TIOCSTI | 1UL << 32 is still TIOCSTI). */
#if __BYTE_ORDER == __LITTLE_ENDIAN
#define REQUEST_LOW_WORD offsetof(struct seccomp_data, args[1])
#else
#define REQUEST_LOW_WORD (offsetof(struct seccomp_data, args[1]) + 4)
#endif

#define ABI_BLOCK_LEN 6
#define TAIL_LEN      6
#define FILTER_MAX    (SBX_ARRAY_SIZE(tty_filter_abis) * ABI_BLOCK_LEN + TAIL_LEN)

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter)BPF_STMT(code, k);
}

/* A conditional jump from instruction `at` to absolute targets. */
static struct sock_filter jeq(uint32_t k, size_t at, size_t yes, size_t no)
{
	return (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, (uint8_t)(yes - at - 1),
					    (uint8_t)(no - at - 1));
}

/* Layout: one block per ABI (arch matches? then is it ioctl?), then
 *   KILL:  unknown architecture
 *   CHECK: load the request, TIOCSTI or TIOCLINUX -> DENY
 *   ALLOW, DENY. */
static size_t build_filter(struct sock_filter *prog)
{
	size_t n_abis = SBX_ARRAY_SIZE(tty_filter_abis);
	size_t kill = n_abis * ABI_BLOCK_LEN, check = kill + 1;
	size_t allow = check + 3, deny = check + 4;
	size_t i, pc = 0;

	for (i = 0; i < n_abis; i++) {
		const struct tty_filter_abi *abi = &tty_filter_abis[i];
		size_t next = pc + ABI_BLOCK_LEN;

		prog[pc] = stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
		pc++;
		prog[pc] = jeq(abi->arch, pc, pc + 1, next);
		pc++;
		prog[pc++] = stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		prog[pc++] = stmt(BPF_ALU | BPF_AND | BPF_K, abi->nr_mask);
		prog[pc] = jeq(abi->ioctl[0], pc, check, pc + 1);
		pc++;
		prog[pc] = jeq(abi->ioctl[1], pc, check, allow);
		pc++;
	}
	prog[pc++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	prog[pc++] = stmt(BPF_LD | BPF_W | BPF_ABS, REQUEST_LOW_WORD);
	prog[pc] = jeq((uint32_t)TIOCSTI, pc, deny, pc + 1);
	pc++;
	prog[pc] = jeq((uint32_t)TIOCLINUX, pc, deny, allow);
	pc++;
	prog[pc++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog[pc++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	return pc;
}

int sbx_tty_filter_install(struct sbx_error *err)
{
	struct sock_filter prog[FILTER_MAX];
	struct sock_fprog fprog = {.filter = prog};

	fprog.len = (unsigned short)build_filter(prog);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0)
		return sbx_error_set(err,
				     "cannot install the seccomp filter that blocks terminal "
				     "injection (TIOCSTI, TIOCLINUX): %s; the kernel needs "
				     "CONFIG_SECCOMP_FILTER, and a container must allow seccomp()",
				     strerror(errno));
	return 0;
}
