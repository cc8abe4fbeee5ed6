/* SPDX-License-Identifier: Apache-2.0 */
/* What this machine charges for the pieces an exec is made of, for
 * reading the ratios of `make bench` (docs/perf.md §2): a system call, a
 * first-touch page fault on anonymous memory and on a file in the page
 * cache, fork and vfork of a small process, and attaching a seccomp
 * filter of one instruction against the project's own. On a VM that
 * shadows the guest's page tables, faults and anything that edits page
 * tables cost tens of times what they do on bare metal, and a wrapper's
 * C library start-up (its faults) weighs more than its system calls.
 * Prints one line per piece: the median of REPS samples, in µs; asserts
 * nothing.
 *
 *   vm_costs FILE   (a file of 1 MiB or more, read through the page cache) */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/seccomp_filter.h"

#define REPS  41
#define PAGES 256
#define PAGE  4096L

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *what, double *v)
{
	qsort(v, REPS, sizeof(*v), cmp_double);
	printf("%-58s %9.2f µs  (p25 %.2f, p75 %.2f)\n", what, v[REPS / 2], v[REPS / 4],
	       v[3 * REPS / 4]);
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* The time a forked child takes to attach prog (after no_new_privs). */
static double attach_us(struct sock_filter *prog, size_t len)
{
	int fds[2];
	double t = -1;
	pid_t pid;

	if (pipe(fds) != 0)
		die("vm_costs: pipe");
	pid = fork();
	if (pid < 0)
		die("vm_costs: fork");
	if (pid == 0) {
		struct sock_fprog fprog = {(unsigned short)len, prog};
		double start;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			_exit(1);
		start = now_us();
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) != 0)
			_exit(1);
		t = now_us() - start;
		_exit(write(fds[1], &t, sizeof(t)) == (ssize_t)sizeof(t) ? 0 : 1);
	}
	close(fds[1]);
	if (read(fds[0], &t, sizeof(t)) != (ssize_t)sizeof(t))
		t = -1;
	close(fds[0]);
	waitpid(pid, NULL, 0);
	if (t < 0) {
		fprintf(stderr, "vm_costs: cannot attach a seccomp filter here\n");
		exit(1);
	}
	return t;
}

int main(int argc, char **argv)
{
	static struct sock_filter prog[1024];
	char what[80];
	double v[REPS];
	size_t len;
	long i;
	int r, fd;

	if (argc != 2) {
		fprintf(stderr, "usage: vm_costs FILE (1 MiB or more)\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || lseek(fd, 0, SEEK_END) < PAGES * PAGE)
		die("vm_costs: FILE");
	for (r = 0; r < REPS; r++) {
		double start = now_us();

		for (i = 0; i < 10000; i++)
			syscall(SYS_getppid);
		v[r] = (now_us() - start) / 10000;
	}
	report("a system call (getppid)", v);
	for (r = 0; r < REPS; r++) {
		char *p = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		double start;

		if (p == MAP_FAILED)
			die("vm_costs: mmap");
		start = now_us();
		for (i = 0; i < PAGES; i++)
			p[i * PAGE] = 1;
		v[r] = (now_us() - start) / PAGES;
		munmap(p, PAGES * PAGE);
	}
	report("a page fault, anonymous memory, first write", v);
	for (r = 0; r < REPS; r++) {
		volatile const char *p = mmap(NULL, PAGES * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
		double start;

		if (p == MAP_FAILED)
			die("vm_costs: mmap");
		(void)p[0]; /* in the page cache before timing */
		munmap((void *)p, PAGES * PAGE);
		p = mmap(NULL, PAGES * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			die("vm_costs: mmap");
		start = now_us();
		/* One read per 64 KiB: the kernel maps up to 16 cached pages
		 * around a file fault, so each of these is one fault. */
		for (i = 0; i < PAGES; i += 16)
			(void)p[i * PAGE];
		v[r] = (now_us() - start) / (PAGES / 16);
		munmap((void *)p, PAGES * PAGE);
	}
	report("a page fault, file in the page cache, read", v);
	for (r = 0; r < REPS; r++) {
		double start = now_us();

		for (i = 0; i < 20; i++) {
			pid_t pid = fork();

			if (pid == 0)
				_exit(0);
			waitpid(pid, NULL, 0);
		}
		v[r] = (now_us() - start) / 20;
	}
	report("fork, _exit, wait (this small process)", v);
	for (r = 0; r < REPS; r++) {
		double start = now_us();

		for (i = 0; i < 20; i++) {
			pid_t pid = vfork();

			if (pid == 0)
				_exit(0);
			waitpid(pid, NULL, 0);
		}
		v[r] = (now_us() - start) / 20;
	}
	report("vfork, _exit, wait", v);
	prog[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	for (r = 0; r < REPS; r++)
		v[r] = attach_us(prog, 1);
	report("attaching a seccomp filter of 1 instruction", v);
	len = sbx_seccomp_filter_build(SBX_SECCOMP_TCP | SBX_SECCOMP_NO_IP | SBX_SECCOMP_NO_LISTEN,
				       prog, sizeof(prog) / sizeof(prog[0]));
	if (!len) {
		fprintf(stderr, "vm_costs: cannot build the project's filter\n");
		return 1;
	}
	for (r = 0; r < REPS; r++)
		v[r] = attach_us(prog, len);
	snprintf(what, sizeof(what), "attaching the project's filter (%zu instructions)", len);
	report(what, v);
	return 0;
}
