/* SPDX-License-Identifier: Apache-2.0 */
/* Test and bench helper for the host-runtime resolver.
 *   hostrt_closure [--threads N] …   read-ahead threads for --path and
 *                                    --bench (default: one per CPU)
 *   hostrt_closure --path            whole-$PATH resolution: "why<TAB>path"
 *   hostrt_closure --files FILE...   per file: "== FILE", then its closure
 *   hostrt_closure --list-elf        the ELF executables in $PATH (real paths)
 *   hostrt_closure --bench N         N whole-$PATH resolutions; prints the
 *                                    median and minimum wall time and the mean
 *                                    CPU time (all threads) in microseconds
 *   hostrt_closure --bench-ldso LDSO LIST N
 *                                    the method we replace, timed the same
 *                                    way: for each file named in LIST, one
 *                                    `LDSO --list FILE`, spawned and read
 *                                    through a pipe as the Go tool's
 *                                    exec.Command().Output() does; N passes */
#include <dirent.h>
#include <spawn.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "hostrt/hostrt.h"
#include "engine/util.h"

static void print_entries(const struct sbx_hostrt *rt)
{
	size_t i;

	for (i = 0; i < rt->len; i++)
		printf("%s\t%s\n", rt->entries[i].why, rt->entries[i].path);
}

static int cmp_u64(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000;
}

static unsigned long long tv_us(const struct timeval *tv)
{
	return (unsigned long long)tv->tv_sec * 1000000ULL + (unsigned long long)tv->tv_usec;
}

static int list_elf(const char *path_env)
{
	char *copy = sbx_xstrdup(path_env), *save = NULL, *dir;

	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		DIR *d = opendir(dir);
		struct dirent *de;

		if (!d)
			continue;
		while ((de = readdir(d))) {
			char *p = sbx_path_join(dir, de->d_name);
			struct stat st;
			char magic[4];
			int fd;

			if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) &&
			    (fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) >= 0) {
				if (read(fd, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0) {
					char *real = realpath(p, NULL);

					if (real)
						printf("%s\n", real);
					free(real);
				}
				close(fd);
			}
			free(p);
		}
		closedir(d);
	}
	free(copy);
	return 0;
}

extern char **environ;

/* One `ldso --list file`, its stdout drained through a pipe, stderr to
 * /dev/null. */
static void ldso_list(const char *ldso, const char *file)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = {(char *)ldso, (char *)"--list", (char *)file, NULL};
	char buf[65536];
	int pipefd[2];
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, ldso, &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	while (read(pipefd[0], buf, sizeof(buf)) > 0)
		;
	close(pipefd[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* The line the bench script reads: median and minimum of the n wall
 * times t (sorted here), a count, and the mean CPU time between ru0 and
 * ru1. */
static void print_timing(unsigned long long *t, int n, const char *what, size_t count,
			 const struct rusage *ru0, const struct rusage *ru1)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_u64);
	printf("median_us %llu min_us %llu %s %zu cpu_us %llu\n", t[n / 2], t[0], what, count,
	       (tv_us(&ru1->ru_utime) + tv_us(&ru1->ru_stime) - tv_us(&ru0->ru_utime) -
		tv_us(&ru0->ru_stime)) /
		   (unsigned long long)n);
}

static int bench_ldso(const char *ldso, const char *list, int n)
{
	FILE *f = fopen(list, "r");
	char **files = NULL, line[4096];
	size_t n_files = 0, k;
	unsigned long long *t;
	struct rusage ru0, ru1;
	int i;

	if (!f) {
		perror(list);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		files = sbx_xreallocarray(files, n_files + 1, sizeof(*files));
		files[n_files++] = sbx_xstrdup(line);
	}
	fclose(f);
	if (n < 1)
		n = 1;
	t = sbx_xcalloc((size_t)n, sizeof(*t));
	getrusage(RUSAGE_CHILDREN, &ru0);
	for (i = 0; i < n; i++) {
		unsigned long long t0 = now_us();

		for (k = 0; k < n_files; k++)
			ldso_list(ldso, files[k]);
		t[i] = now_us() - t0;
	}
	getrusage(RUSAGE_CHILDREN, &ru1);
	print_timing(t, n, "files", n_files, &ru0, &ru1);
	for (k = 0; k < n_files; k++)
		free(files[k]);
	free(files);
	free(t);
	return 0;
}

/* threads < 0: what sandboxec itself uses. */
static int resolve(const char *path_env, const char *llp, int threads, struct sbx_hostrt *rt,
		   struct sbx_error *err)
{
	if (threads < 0)
		return sbx_hostrt_resolve(path_env, llp, rt, err);
	return sbx_hostrt_resolve_threads(path_env, llp, threads, rt, err);
}

int main(int argc, char **argv)
{
	const char *path_env = getenv("PATH") ? getenv("PATH") : "";
	const char *llp = getenv("LD_LIBRARY_PATH");
	struct sbx_hostrt rt;
	struct sbx_error err;
	int i, threads = -1;

	if (argc >= 3 && strcmp(argv[1], "--threads") == 0) {
		threads = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc >= 2 && strcmp(argv[1], "--path") == 0) {
		if (resolve(path_env, llp, threads, &rt, &err) < 0) {
			fprintf(stderr, "hostrt_closure: %s\n", err.msg);
			return 1;
		}
		print_entries(&rt);
		sbx_hostrt_free(&rt);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--files") == 0) {
		for (i = 2; i < argc; i++) {
			const char *f = argv[i];

			if (sbx_hostrt_resolve_files(&f, 1, llp, &rt, &err) < 0) {
				fprintf(stderr, "hostrt_closure: %s\n", err.msg);
				return 1;
			}
			printf("== %s\n", f);
			print_entries(&rt);
			sbx_hostrt_free(&rt);
		}
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--list-elf") == 0)
		return list_elf(path_env);
	if (argc >= 3 && strcmp(argv[1], "--bench") == 0) {
		int n = atoi(argv[2]);
		unsigned long long *t;
		struct rusage ru0, ru1;
		size_t len = 0;

		if (n < 1)
			n = 1;
		t = sbx_xcalloc((size_t)n, sizeof(*t));
		getrusage(RUSAGE_SELF, &ru0);
		for (i = 0; i < n; i++) {
			unsigned long long t0 = now_us();

			if (resolve(path_env, llp, threads, &rt, &err) < 0) {
				fprintf(stderr, "hostrt_closure: %s\n", err.msg);
				return 1;
			}
			t[i] = now_us() - t0;
			len = rt.len;
			sbx_hostrt_free(&rt);
		}
		getrusage(RUSAGE_SELF, &ru1);
		print_timing(t, n, "entries", len, &ru0, &ru1);
		free(t);
		return 0;
	}
	if (argc >= 5 && strcmp(argv[1], "--bench-ldso") == 0)
		return bench_ldso(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: hostrt_closure --path | --files FILE... | --list-elf | --bench N | "
			"--bench-ldso LDSO LIST N\n");
	return 2;
}
