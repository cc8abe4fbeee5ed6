/* SPDX-License-Identifier: Apache-2.0 */
/* bench_exec: the timing harness of `make bench`. Runs a command RUNS
 * times, each a fork + execve + waitpid timed with CLOCK_MONOTONIC, and
 * prints each run's microseconds, one per line. Every bench row goes
 * through this same loop, so the harness costs every row alike; shell
 * loops would add a fork of their own per run.
 *
 *   bench_exec RUNS [NAME=VALUE...] -- COMMAND [ARG...]
 *
 * COMMAND is an absolute path (no $PATH search in the timed part).
 * NAME=VALUE entries are added to the environment the command starts with;
 * this process is already loaded, so e.g. LD_PRELOAD reaches the command
 * alone. A run whose command does not exit 0 aborts the bench: a failing
 * row is no figure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long runs;
	int i, cmd = 0;
	long r;

	if (argc < 4 || (runs = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: bench_exec RUNS [NAME=VALUE...] -- COMMAND [ARG...]\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			cmd = i + 1;
			break;
		}
		if (!strchr(argv[i], '=') || putenv(argv[i]) != 0) {
			fprintf(stderr, "bench_exec: bad assignment %s\n", argv[i]);
			return 2;
		}
	}
	if (!cmd || cmd >= argc) {
		fprintf(stderr, "bench_exec: no command after --\n");
		return 2;
	}
	for (r = 0; r < runs; r++) {
		long long start = now_ns();
		pid_t pid = fork();
		struct rusage usage;
		int status;

		if (pid < 0) {
			perror("bench_exec: fork");
			return 1;
		}
		if (pid == 0) {
			execve(argv[cmd], &argv[cmd], environ);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &usage) < 0) {
			perror("bench_exec: wait4");
			return 1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench_exec: %s failed (status %#x)\n", argv[cmd], status);
			return 1;
		}
		printf("%lld %lld\n", (now_ns() - start) / 1000,
		       (long long)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000LL +
			   usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
	}
	return 0;
}
