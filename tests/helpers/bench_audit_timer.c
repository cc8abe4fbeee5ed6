/* SPDX-License-Identifier: Apache-2.0 */
/* bench_audit_timer RUNS CMD [-- NAME=VALUE...]...: times fork + execve +
 * wait of CMD (no arguments) under several environments, each the current
 * one plus its NAME=VALUE assignments (the first group may be empty: the
 * bare run). The variants are interleaved run by run, so a noisy neighbour
 * slows them all alike. Prints per variant "variant K median_us M p10_us A
 * p90_us B cpu_us C": wall-clock figures, and the median CPU time (user +
 * system, from wait4) of the child, which waiting for a busy CPU does not
 * inflate. The timer itself never loads the shim: the assignments only
 * reach the children's environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_VARIANTS 8

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* environ with NAME=VALUE entries replacing or adding to it. */
static char **make_env(char **assign, int n)
{
	size_t base = 0, i, out = 0;
	char **env;
	int k;

	while (environ[base])
		base++;
	env = calloc(base + (size_t)n + 1, sizeof(*env));
	if (!env)
		exit(1);
	for (i = 0; i < base; i++) {
		size_t len = strcspn(environ[i], "=");
		int replaced = 0;

		for (k = 0; k < n; k++)
			replaced |= strncmp(assign[k], environ[i], len + 1) == 0;
		if (!replaced)
			env[out++] = environ[i];
	}
	for (k = 0; k < n; k++)
		env[out++] = assign[k];
	return env;
}

static double time_one(const char *cmd, char **env, double *cpu_us)
{
	struct rusage ru;
	char *argv[] = {(char *)cmd, NULL};
	double t0 = now_us();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(cmd, argv, env);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_audit_timer: %s failed under variant\n", cmd);
		exit(1);
	}
	*cpu_us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec +
		  ru.ru_stime.tv_usec;
	return now_us() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	char **envs[MAX_VARIANTS];
	double *samples[MAX_VARIANTS], *cpu[MAX_VARIANTS], ignored;
	int runs, n_variants = 0, i, v;
	const char *cmd;

	if (argc < 3 || (runs = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: bench_audit_timer RUNS CMD [-- NAME=VALUE...]...\n");
		return 2;
	}
	cmd = argv[2];
	for (i = 3; i <= argc && n_variants < MAX_VARIANTS;) {
		int start = i;

		if (i < argc && strcmp(argv[i], "--") == 0)
			start = ++i;
		while (i < argc && strcmp(argv[i], "--") != 0)
			i++;
		envs[n_variants++] = make_env(argv + start, i - start);
		if (i >= argc)
			break;
	}
	for (v = 0; v < n_variants; v++) {
		samples[v] = calloc((size_t)runs, sizeof(double));
		cpu[v] = calloc((size_t)runs, sizeof(double));
		if (!samples[v] || !cpu[v])
			return 1;
		time_one(cmd, envs[v], &ignored); /* warm-up: page cache, dentries */
	}
	for (i = 0; i < runs; i++) {
		for (v = 0; v < n_variants; v++)
			samples[v][i] = time_one(cmd, envs[v], &cpu[v][i]);
	}
	for (v = 0; v < n_variants; v++) {
		qsort(samples[v], (size_t)runs, sizeof(double), cmp_double);
		qsort(cpu[v], (size_t)runs, sizeof(double), cmp_double);
		printf("variant %d median_us %.1f p10_us %.1f p90_us %.1f cpu_us %.1f\n", v,
		       samples[v][runs / 2], samples[v][runs / 10], samples[v][runs * 9 / 10],
		       cpu[v][runs / 2]);
	}
	return 0;
}
