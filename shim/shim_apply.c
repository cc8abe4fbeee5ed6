/* SPDX-License-Identifier: Apache-2.0 */
/* The shim's side of confining, for both entry points (shim_apply.h): it
 * resolves the policy exactly as the CLI does (minus flags) and has the
 * engine apply it, or ends the process with status 1 and one "sandboxec: "
 * line. It must never let the program run unsandboxed, and must leave fds,
 * signal dispositions, stdio and the environment (but SANDBOXEC_ACTIVE and
 * its own LD_PRELOAD entry) alone. */
#include "shim_apply.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/single_threaded.h>
#include <unistd.h>

#include "engine/confine.h"
#include "engine/envsettings.h"
#include "engine/landlock_abi.h"
#include "engine/landlock_plan.h"
#include "engine/resolve.h"
#include "engine/util.h"
#include "envrewrite.h"
#include "shim_self.h"

extern char **environ;

/* write(2), not stdio: the program's stdio must stay untouched. */
static void write_stderr(const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(STDERR_FILENO, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

/* The one place the shim prints an error and ends the process. */
static void __attribute__((noreturn)) shim_fail(const char *msg)
{
	struct sbx_buf line = {0};

	sbx_buf_printf(&line, "sandboxec: %s\n", msg);
	write_stderr(line.data, line.len);
	_exit(1);
}

/* Landlock confines only the calling thread: a thread started before us
 * (by a library constructor) would stay unconfined. unshare(CLONE_THREAD)
 * answers exactly that in one system call (unshare(2): EINVAL when the
 * caller is multithreaded, else a no-op), raw clone()s included. Where a
 * seccomp filter forbids unshare, the threads are counted in /proc; a
 * descendant adding a stricter layer inside a sandbox that does not grant
 * /proc gets EACCES there, and glibc's own count must do (a raw-clone
 * thread would still be held by the inherited domain). Returns the number
 * of threads (2 standing for "more than one"), or -1 if unknown. */
static int count_threads_in_proc(void);

static int count_threads(void)
{
	if (unshare(CLONE_THREAD) == 0)
		return 1;
	if (errno == EINVAL || !__libc_single_threaded)
		return 2;
	return count_threads_in_proc();
}

/* Out of line: its buffer would otherwise deepen the constructor's stack
 * by a page, and every new stack page is a fault (docs/perf.md §2). */
__attribute__((noinline)) static int count_threads_in_proc(void)
{
	char buf[2048] __attribute__((aligned(8)));
	ssize_t got;
	int fd, n = 0;

	fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES ? 1 : -1;
	while ((got = getdents64(fd, buf, sizeof(buf))) > 0) {
		ssize_t off = 0;

		while (off < got) {
			const struct dirent64 *entry = (const void *)(buf + off);

			if (entry->d_name[0] != '.')
				n++;
			off += entry->d_reclen;
		}
	}
	close(fd);
	return got < 0 ? -1 : n;
}

/* Whether one LD_PRELOAD entry (not NUL-terminated) loads this shim. */
static bool preload_entry_is_self(const char *entry, size_t len, const char *self)
{
	const char *base = memrchr(entry, '/', len);
	size_t base_len = base ? len - (size_t)(base + 1 - entry) : len;
	char *copy, *real;
	bool same;

	if (base_len == strlen("libsandboxec.so") &&
	    memcmp(base ? base + 1 : entry, "libsandboxec.so", base_len) == 0)
		return true;
	/* A renamed copy or a link to it: only when our own path is known. */
	if (!self)
		return false;
	copy = sbx_xstrndup(entry, len);
	real = realpath(copy, NULL);
	same = real && strcmp(real, self) == 0;
	free(copy);
	free(real);
	return same;
}

/* The length of the LD_PRELOAD entry at p (ld.so separates them with
 * colons and blanks). A loop, not strcspn: that would be the first use of
 * libc's SSE4.2 string code in the process, two page faults per exec. */
static size_t preload_entry_len(const char *p)
{
	size_t len = 0;

	while (p[len] && p[len] != ':' && p[len] != ' ' && p[len] != '\t')
		len++;
	return len;
}

/* "SANDBOXEC_ACTIVE=" and the fingerprint, once the layer is in force.
 * Static: environ points at it for the rest of the process. */
static char marker_entry[sizeof(SBX_ENV_ACTIVE "=") + SBX_FINGERPRINT_LEN];

/* Writes what descendants must see: the marker (NULL: none) and LD_PRELOAD
 * without this shim (dropped; kept: the other entries, NULL when none),
 * the same entries in the same order as setenv() of the marker and then
 * unsetenv() of LD_PRELOAD gave. In environ's own slots when it can, the
 * marker taking a slot LD_PRELOAD freed: setenv() was the cold path's one
 * use of two pages of libc (setenv and tsearch) and of three heap blocks
 * that reached a second heap page (docs/perf.md §2). */
static void publish_environ(const char *marker, bool dropped, const char *kept)
{
	size_t room = dropped && !kept ? sbx_envp_remove(environ, "LD_PRELOAD") : 0;

	if (marker) {
		memcpy(marker_entry, SBX_ENV_ACTIVE "=", sizeof(SBX_ENV_ACTIVE));
		memcpy(marker_entry + sizeof(SBX_ENV_ACTIVE), marker, SBX_FINGERPRINT_LEN);
		if (!sbx_envp_set(environ, marker_entry, room) &&
		    setenv(SBX_ENV_ACTIVE, marker, 1) < 0)
			shim_fail("cannot set SANDBOXEC_ACTIVE; out of memory");
	}
	if (dropped && kept)
		setenv("LD_PRELOAD", kept, 1);
}

/* Takes this shim out of LD_PRELOAD (other entries stay), so descendants
 * do not load it again: they are confined by inheritance, and an exec costs
 * them nothing. A descendant opts into a stricter policy by putting the
 * shim back with its own SANDBOXEC_* settings (docs/shim.md). With the
 * marker when the layer is in force (publish_environ). */
static void drop_self_from_preload(const char *self, const char *marker)
{
	const char *preload = sbx_env_get(environ, "LD_PRELOAD");
	struct sbx_buf kept = {0};
	bool dropped = false;
	const char *p;

	for (p = preload; p && *p;) {
		size_t len = preload_entry_len(p);

		if (len && preload_entry_is_self(p, len, self))
			dropped = true;
		else if (len) {
			if (kept.len)
				sbx_buf_putc(&kept, ':');
			sbx_buf_append(&kept, p, len);
		}
		p += len;
		if (*p)
			p++;
	}
	/* Most often the shim was the only entry: no allocation at all. */
	publish_environ(marker, dropped, kept.len ? kept.data : NULL);
	sbx_buf_free(&kept);
}

/* A descendant of a tree already confined by these very settings: the
 * inherited layer is the policy, another would only count towards the
 * kernel's 16-layer limit. The shim sets no_new_privs before any layer and
 * nothing can clear it, so a marker in a process without it never came
 * from the shim (forged, or leaked from a dumped environment): it is
 * ignored. */
static bool tree_already_confined(const char *active, const char *fingerprint)
{
	return active && strcmp(active, fingerprint) == 0 &&
	       prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
}

/* The audit copy's note (SHIM_NOTE_WARNED) only silences a repeat of the
 * best-effort warning; the program must not see it. Returns whether the
 * note was left for these very settings. */
static bool take_audit_note(const char *active, const char *fingerprint)
{
	bool warned;

	if (!active || strncmp(active, SHIM_NOTE_WARNED, strlen(SHIM_NOTE_WARNED)) != 0)
		return false;
	warned = strcmp(active + strlen(SHIM_NOTE_WARNED), fingerprint) == 0;
	unsetenv(SBX_ENV_ACTIVE);
	return warned;
}

/* Counted before resolving: the host-runtime resolver runs its own threads
 * and joins them all before returning, so the count stays true at restrict
 * time, while a count taken after the joins could still see a thread the
 * kernel has not yet reaped. From Landlock ABI 8 the layer and the filter
 * are applied to every thread at once (TSYNC, which the plan always uses
 * there), so threads need no count; the ABI is asked only then, keeping the
 * common single-threaded path at one system call. No best-effort here: a
 * thread outside the policy is an escape, not a missing feature. */
static void require_one_thread(void)
{
	int threads = count_threads();

	if (threads == 1 || sbx_kernel_abi(NULL) >= SBX_LL_ABI_TSYNC)
		return;
	shim_fail(threads < 0 ? "cannot count this process's threads in /proc/self/task; "
				"mount /proc so the shim can check that no thread would "
				"escape the policy"
			      : "more than one thread is running before main (started by a "
				"library constructor); Landlock below ABI 8 (Linux 7.0) would "
				"not confine them, so the program was stopped; run it with "
				"`sandboxec --` instead");
}

/* The policy from the environment and the config files (docs/design.md
 * §3.2); the shim itself (self, may be NULL) stays readable. err is the
 * caller's: a second 2 KiB buffer here would cost a stack page. */
static void resolve_policy(const char *self, struct sbx_policy *policy, struct sbx_error *err)
{
	struct sbx_resolve_input in = {0};
	char *self_dir = self ? sbx_path_dirname(self) : NULL;

	in.envp = environ;
	in.self_dir = self_dir;
	in.shim_path = self;
	in.early_ruleset = true; /* sbx_confine follows at once */
	if (sbx_resolve(&in, policy, err) < 0)
		shim_fail(err->msg);
	free(self_dir);
	if (!policy->has_source)
		shim_fail(
		    "libsandboxec.so is preloaded but no policy is set (no SANDBOXEC_* "
		    "variable, no project .sandboxec.yaml, no user config); set SANDBOXEC_FS, "
		    "e.g. from `sandboxec --mode env`, or remove the shim from LD_PRELOAD");
}

static void print_stderr(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	write_stderr(text, len);
}

bool shim_apply(bool in_audit_copy)
{
	char fingerprint[SBX_FINGERPRINT_LEN];
	const char *active = sbx_env_get(environ, SBX_ENV_ACTIVE);
	struct sbx_policy policy;
	struct sbx_confine confine = {
	    .policy = &policy,
	    .marker = fingerprint,
	    .marker_left_to_caller = true, /* publish_environ */
	    .print = print_stderr,
	};
	struct sbx_error err = {{0}};
	enum sbx_confine_result result;
	const char *self;

	sbx_env_fingerprint(environ, fingerprint);
	if (tree_already_confined(active, fingerprint)) {
		drop_self_from_preload(NULL, NULL);
		return false;
	}
	if (!in_audit_copy)
		confine.unsandboxed_warning_printed = take_audit_note(active, fingerprint);
	require_one_thread();
	self = shim_self_path();
	resolve_policy(self, &policy, &err);
	result = sbx_confine(&confine, &err);
	if (result < 0)
		shim_fail(err.msg);
	drop_self_from_preload(self, result == SBX_CONFINED ? fingerprint : NULL);
	sbx_policy_free(&policy);
	return result == SBX_CONFINE_UNSANDBOXED;
}
