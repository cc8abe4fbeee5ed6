/* SPDX-License-Identifier: Apache-2.0 */
/* The system calls --report's tracer stops at, where each keeps its path,
 * dirfd, flags and fd, and turning one that failed into a denial event by
 * reading the traced process (memory, /proc/PID/cwd, /proc/PID/fd/N).
 * Reads only; never writes to the traced process. */
#ifndef SBX_REPORT_SYSCALLS_H
#define SBX_REPORT_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/denial.h"

#if defined(__x86_64__)
#define SBX_TRACED_ARCH 0xc000003eU /* AUDIT_ARCH_X86_64 */
#elif defined(__aarch64__)
#define SBX_TRACED_ARCH 0xc00000b7U /* AUDIT_ARCH_AARCH64 */
#else
#error "--report's tracer knows x86_64 and aarch64"
#endif

/* Where a call keeps what the report needs: argument indexes, -1 for
 * none. */
struct sbx_traced_call {
	long nr;
	enum sbx_denial_op op;
	signed char dirfd, path, dirfd2, path2, flags, fd, mode;
};

#define SBX_TRACED_MAX 48
extern const struct sbx_traced_call sbx_traced[];
extern const size_t sbx_traced_count;

/* Whether nr (of SBX_TRACED_ARCH) is one of the traced calls. */
bool sbx_traced_is_traced(uint64_t nr);
bool sbx_traced_is_exec(uint64_t nr);
bool sbx_traced_is_open(uint64_t nr);

/* The thread group (process id) of a traced thread; tid when unknown. */
pid_t sbx_trace_thread_group(pid_t tid);

/* Whether the stopped process's fd is a character or block device the
 * policy does not grant ioctl on (opened in the sandbox, an ioctl on it
 * can be refused); any device when report is NULL. */
bool sbx_trace_fd_needs_ioctl(const struct sbx_report *report, pid_t tid, int fd);

/* Whether the call, stopped at its entry, can end in a denial the report
 * names: when not, the tracer lets it run without stopping at its exit. */
bool sbx_traced_outcome_matters(pid_t tid, uint64_t nr, const uint64_t args[6]);

/* Whether a call stopped at its entry cannot end in anything the report
 * lists. An open: Landlock does not check it (O_PATH), or it names no file
 * and creates none (it fails with ENOENT), or the policy grants what it
 * asks on the file it resolves to and the file's permissions let this
 * process (same credentials as the command) do it. An exec: it names no
 * file. The tracer then does not stop at its exit. False for every other
 * call, and when unsure; with see_devices, false too for an open of a
 * device the policy does not grant ioctl on (the tracer watches what it
 * returns). */
bool sbx_trace_call_settled(const struct sbx_report *report, pid_t tid, uint64_t nr,
			    const uint64_t args[6], bool see_devices);

/* execve's or execveat's path, absolute, read at the call's entry. */
char *sbx_trace_exec_path(pid_t tid, uint64_t nr, const uint64_t args[6]);

/* A traced call failed with err: adds it to the report if it can be a
 * denial (the report ignores the rest). */
void sbx_trace_failed_call(struct sbx_report *report, pid_t tid, uint64_t nr,
			   const uint64_t args[6], int err);

/* The sandbox's seccomp filter refused a call (SBX_SECCOMP_TRACE_NET) and
 * the tracer failed it with err: adds the refusal to the report. */
void sbx_trace_refused_call(struct sbx_report *report, pid_t tid, uint32_t arch, uint64_t nr,
			    const uint64_t args[6], int err);

/* --mode learn: a traced call decoded at its entry, while its paths still
 * name what they named (an unlink's target is gone afterwards, an O_CREAT
 * open must know whether the file was there). */
struct sbx_learn_call {
	const struct sbx_traced_call *c;
	char *path, *path2; /* absolute and canonical */
	int flags;	    /* open: O_*; unlinkat: AT_REMOVEDIR */
	bool existed, is_dir;
	int fd;	       /* connect, bind: the socket */
	bool inet;     /* connect, bind: an AF_INET or AF_INET6 address */
	unsigned port; /* ... and its port */
	pid_t tgid;
};

struct sbx_learn;

void sbx_trace_learn_enter(pid_t tid, uint64_t nr, const uint64_t args[6],
			   struct sbx_learn_call *call);
/* The call ended: records what it did if it succeeded (or failed past the
 * permission check, as ENXIO on a terminal without one does). */
void sbx_trace_learn_exit(struct sbx_learn *learn, struct sbx_learn_call *call, pid_t tid,
			  bool failed, int err);
/* A process exec'd path: the file and its interpreter (#! or ELF loader),
 * which the kernel opens itself, need execute. */
void sbx_trace_learn_exec(struct sbx_learn *learn, pid_t tid, const char *path);
void sbx_learn_call_clear(struct sbx_learn_call *call);

#endif
