/* SPDX-License-Identifier: Apache-2.0 */
/* What the sandbox denied, independent of how it was observed: a failed
 * system call (from the tracer today, from the kernel's audit records
 * later) is classified into an access in the user's words, checked against
 * the policy (sandbox or ordinary file permissions?), grouped and counted,
 * and answered with the rule that would allow it, in the form the user
 * wrote the policy (docs/diagnostics.md). Pure: no system calls. */
#ifndef SBX_DENIAL_H
#define SBX_DENIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landlock_plan.h"
#include "util.h"

/* The system call that failed, reduced to what classifying needs. */
enum sbx_denial_op {
	SBX_OP_OPEN,	 /* open, openat, openat2, creat: open_flags */
	SBX_OP_EXEC,	 /* execve, execveat */
	SBX_OP_MKDIR,	 /* mkdir, mkdirat */
	SBX_OP_MKNOD,	 /* mknod, mknodat: mode */
	SBX_OP_SYMLINK,	 /* symlink, symlinkat: path is the new link */
	SBX_OP_UNLINK,	 /* unlink, unlinkat */
	SBX_OP_RMDIR,	 /* rmdir, unlinkat(AT_REMOVEDIR) */
	SBX_OP_RENAME,	 /* rename*: path -> path2 */
	SBX_OP_LINK,	 /* link, linkat: path -> path2 */
	SBX_OP_TRUNCATE, /* truncate, ftruncate */
	SBX_OP_IOCTL,	 /* ioctl on an fd whose path is path */
	SBX_OP_CONNECT,	 /* connect: family, port or unix address */
	SBX_OP_BIND,	 /* bind */
	SBX_OP_SIGNAL,	 /* kill, tgkill, pidfd_send_signal, ... */
	SBX_OP_SECCOMP,	 /* refused by sandboxec's seccomp filter (what says which) */
	SBX_OP_LANDLOCK, /* the kernel's own record: blocked bits on path (the
			  * file, or the directory for create, remove, refer) */
};

/* SBX_OP_SECCOMP: the setting that lifts a refusal, when one does. */
enum sbx_seccomp_fix {
	SBX_FIX_NONE,
	SBX_FIX_ALLOW_UDP, /* allow-udp */
	SBX_FIX_BIND_PORT, /* any bind rule (listen with no bind port allowed) */
};

/* One failed call, as an observer saw it. Strings are borrowed. */
struct sbx_denial_event {
	enum sbx_denial_op op;
	int err;		  /* the positive errno the call returned */
	int pid;		  /* the thread group that made the call */
	const char *exe;	  /* its executable, or NULL */
	const char *path;	  /* absolute, resolved in the caller's view, or NULL */
	const char *path2;	  /* rename/link destination */
	int open_flags;		  /* SBX_OP_OPEN: O_* */
	bool is_dir;		  /* SBX_OP_OPEN: the target is a directory */
	bool existed;		  /* SBX_OP_OPEN with O_CREAT: the file existed */
	unsigned mode;		  /* SBX_OP_MKNOD: S_IF* type */
	bool same_fs;		  /* rename/link: both parents on one filesystem */
	bool inet;		  /* CONNECT/BIND: an AF_INET or AF_INET6 socket */
	bool udp;		  /* CONNECT/BIND on inet: a UDP socket (else TCP) */
	bool abstract_unix;	  /* CONNECT: an abstract unix socket address */
	bool unix_path;		  /* BIND/CONNECT: a pathname unix socket (path set) */
	unsigned port;		  /* CONNECT/BIND on inet */
	const char *what;	  /* SBX_OP_SECCOMP: which refusal ("MPTCP socket") */
	enum sbx_seccomp_fix fix; /* SBX_OP_SECCOMP: the setting that lifts it */
	uint64_t blocked;	  /* SBX_OP_LANDLOCK: the Landlock fs bits it named */
	const char *interp;	  /* SBX_OP_EXEC: the real path of the #! interpreter or
				   * ELF loader path names, which the kernel executes
				   * too, or NULL */
	bool interp_script;	  /* interp comes from a #! line */
};

/* The absolute path a process meant: raw as it passed it, taken against
 * base (its current directory or the directory of its dirfd, as
 * /proc/PID/cwd or /proc/PID/fd/N read) when relative, /proc/self and
 * /proc/thread-self made the process's own, "." and ".." folded. NULL
 * when raw is relative and base unknown. */
char *sbx_denial_path(const char *base, const char *raw, int pid, int tid);

/* An access in the user's words. */
enum sbx_access {
	SBX_ACC_READ,
	SBX_ACC_LIST,
	SBX_ACC_EXECUTE,
	SBX_ACC_WRITE,
	SBX_ACC_CREATE,
	SBX_ACC_REMOVE,
	SBX_ACC_TRUNCATE,
	SBX_ACC_RENAME,	  /* rename or link, refused on one side */
	SBX_ACC_REFER,	  /* rename or link across directories */
	SBX_ACC_IOCTL,	  /* ioctl on a device */
	SBX_ACC_CONNECT,  /* TCP connect to a port */
	SBX_ACC_BIND,	  /* TCP bind to a port */
	SBX_ACC_UDP_SEND, /* UDP connect or send to a port (ABI 10) */
	SBX_ACC_UDP_BIND, /* UDP bind to a port (ABI 10) */
	SBX_ACC_UNIX,	  /* connect to a pathname unix socket (ABI 9, restrict-unix) */
	SBX_ACC_SIGNAL,	  /* a signal to a process outside the sandbox */
	SBX_ACC_ABSTRACT, /* an abstract unix socket outside the sandbox */
	SBX_ACC_SECCOMP,  /* a network call the seccomp filter refuses */
	SBX_ACC_COUNT
};

/* The words for an access ("read", "TCP connect to port"). */
const char *sbx_access_name(enum sbx_access access);
/* The Landlock network right a port access needs, or 0 for the rest. */
uint64_t sbx_access_net_bit(enum sbx_access access);

/* Where a denial came from. */
enum sbx_denial_cause {
	SBX_CAUSE_SANDBOX, /* the policy does not grant it */
	SBX_CAUSE_OTHER,   /* the policy grants it: ordinary file permissions, a
			    * privileged port, another user's process ... */
	SBX_CAUSE_PROBE,   /* probably harmless: a probe that has a fallback */
};

/* The path or port a rule would name, and the Landlock bits it needs. */
struct sbx_denial_target {
	char *path; /* NULL for a port */
	uint64_t bits;
};

/* A classified event. */
struct sbx_denial_class {
	enum sbx_access access;
	struct sbx_denial_target target[2]; /* rename/link: both directories */
	size_t n_target;
	unsigned port;
	char *via;		  /* execute: the file whose interpreter target[0] is, or NULL */
	bool via_script;	  /* via names it on its #! line (else it is the ELF loader) */
	enum sbx_seccomp_fix fix; /* a seccomp refusal: the setting that lifts it */
};

/* Whether the failed call can be a denial at all (ENOENT never is; only
 * EACCES and EPERM, and EXDEV for a rename or link), and if so what it
 * asked for. Returns false for anything else; out then owns nothing. */
bool sbx_denial_classify(const struct sbx_denial_event *ev, struct sbx_denial_class *out);
void sbx_denial_class_free(struct sbx_denial_class *c);

/* How the user wrote the policy: the form a suggested rule takes. */
enum sbx_rule_form {
	SBX_FORM_FLAGS,	  /* --fs r:/x */
	SBX_FORM_ENV,	  /* SANDBOXEC_FS="$SANDBOXEC_FS,r:/x" */
	SBX_FORM_CONFIG,  /* add "r:/x" to the fs: list of FILE */
	SBX_FORM_PROFILE, /* a YAML file that extends: [NAME] */
};

/* The form from the origin the resolution recorded for the fs (or net)
 * list ("--fs", "SANDBOXEC_FS entry 2", "FILE:L:C" or "default"), and
 * whether a named profile chose the config. */
enum sbx_rule_form sbx_rule_form_from_origin(const char *origin, bool named_profile);

/* One rule of the policy, as the report checks it: the path as written and
 * the path it resolves to (symlinks followed), or NULL when the same. */
struct sbx_report_rule {
	char *path;
	char *real;
	uint64_t access; /* as the plan applies it */
};

struct sbx_report_group {
	int pid; /* the first process that was denied */
	char *exe;
	enum sbx_denial_cause cause;
	struct sbx_denial_class what;
	unsigned long count;
};

/* The report: the policy's facts and the groups of denials so far. */
struct sbx_report {
	const char *backend; /* "tracer (ptrace + seccomp)" */
	bool unsandboxed;    /* best-effort ran without Landlock */
	uint64_t handled_fs, handled_net, scoped;
	struct sbx_report_rule *fs;
	size_t n_fs;
	const struct sbx_policy *policy;
	enum sbx_rule_form fs_form, net_form, scope_form, udp_form; /* a setting nobody
								     * wrote: fs_form */
	char *form_name; /* the config file or profile name for CONFIG/PROFILE */
	struct sbx_report_group *groups;
	size_t n_groups, cap_groups;
	unsigned long n_events;
	/* The first process whose ioctls the tracer could not start watching
	 * after it opened a device (0: none): its refusals may be missing. */
	int ioctl_unseen_pid;
};

/* Takes the policy facts from a plan (which must outlive the report);
 * form_name is the config file (SBX_FORM_CONFIG) or profile name. */
void sbx_report_init(struct sbx_report *r, const struct sbx_plan *plan, const char *form_name,
		     bool named_profile);
/* Tells the report what a rule's path resolves to (a symlink's target),
 * so paths the observer saw through it still match. */
void sbx_report_set_real(struct sbx_report *r, size_t rule, const char *real);
void sbx_report_free(struct sbx_report *r);

/* Whether the policy grants bits on path: a denial there is not the
 * sandbox's. Bits the layer does not handle are always granted. */
bool sbx_report_fs_granted(const struct sbx_report *r, const char *path, uint64_t bits);

/* Adds one failed call; ignores what cannot be a denial. */
void sbx_report_add(struct sbx_report *r, const struct sbx_denial_event *ev);

/* A process exec'd path successfully: its earlier refused exec of the same
 * name elsewhere was a $PATH search, not something it needed. */
void sbx_report_exec_succeeded(struct sbx_report *r, int pid, const char *path);

/* The rule that would allow a group, in the policy's form, appended to
 * out ("--fs r:/x"); nothing for a group that no rule can allow. */
void sbx_report_suggest(const struct sbx_report *r, const struct sbx_report_group *g,
			struct sbx_buf *out);

/* The whole report as text for stderr, every name escaped so a traced
 * program cannot write to the terminal through it. */
void sbx_report_write(const struct sbx_report *r, struct sbx_buf *out);

#endif
