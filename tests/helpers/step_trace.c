/* SPDX-License-Identifier: Apache-2.0 */
/* Runs a command under ptrace one instruction at a time, from its exec up
 * to its next exec (or its end), and writes each distinct instruction
 * address once, in hex, in the order first reached: the first line is the
 * entry point. scripts/cli_hot_text.sh maps them to the link's input
 * sections to list the static front's run path (tool/front_static_hot.ld).
 * x86-64 only (it reads %rip); elsewhere it exits 77.
 *
 *   step_trace OUT COMMAND [ARG...] */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)

/* An open-addressing set of addresses, large enough for a whole start-up
 * (about 10 000 distinct addresses). */
#define SEEN_SLOTS (1U << 20)

static int seen_add(uintptr_t *slots, uintptr_t addr)
{
	size_t i = (size_t)((addr * 0x9E3779B97F4A7C15ULL) >> 44) & (SEEN_SLOTS - 1);

	while (slots[i] && slots[i] != addr)
		i = (i + 1) & (SEEN_SLOTS - 1);
	if (slots[i])
		return 0;
	slots[i] = addr;
	return 1;
}

static int is_exec_event(int status)
{
	return status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8));
}

static long trace(pid_t child, FILE *out, uintptr_t *slots)
{
	struct user_regs_struct regs;
	long steps = 0;
	int status;

	for (;;) {
		if (ptrace(PTRACE_GETREGS, child, NULL, &regs) < 0)
			return -1;
		if (seen_add(slots, (uintptr_t)regs.rip))
			fprintf(out, "%llx\n", (unsigned long long)regs.rip);
		steps++;
		if (ptrace(PTRACE_SINGLESTEP, child, NULL, NULL) < 0 ||
		    waitpid(child, &status, 0) < 0)
			return -1;
		if (WIFEXITED(status) || WIFSIGNALED(status) || is_exec_event(status))
			return steps;
	}
}

int main(int argc, char **argv)
{
	uintptr_t *slots;
	FILE *out;
	pid_t child;
	int status;
	long steps;

	if (argc < 3) {
		fprintf(stderr, "usage: step_trace OUT COMMAND [ARG...]\n");
		return 2;
	}
	slots = calloc(SEEN_SLOTS, sizeof(*slots));
	out = fopen(argv[1], "w");
	if (!slots || !out) {
		perror("step_trace");
		return 1;
	}
	child = fork();
	if (child < 0) {
		perror("step_trace: fork");
		return 1;
	}
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execv(argv[2], argv + 2);
		_exit(127);
	}
	/* The stop at the command's own exec. */
	if (waitpid(child, &status, 0) < 0 || !WIFSTOPPED(status)) {
		fprintf(stderr, "step_trace: %s did not start\n", argv[2]);
		return 1;
	}
	ptrace(PTRACE_SETOPTIONS, child, NULL, PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
	steps = trace(child, out, slots);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	if (fclose(out) != 0 || steps < 0) {
		perror("step_trace");
		return 1;
	}
	fprintf(stderr, "step_trace: %ld instructions\n", steps);
	return 0;
}

#else

int main(void)
{
	fprintf(stderr, "step_trace: x86-64 only\n");
	return 77;
}

#endif
