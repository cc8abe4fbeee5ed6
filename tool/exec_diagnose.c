/* SPDX-License-Identifier: Apache-2.0 */
/* Diagnosing exec failures; see exec_diagnose.h. Reads the command's first
 * bytes (ELF header, program headers, #! line); never runs anything. */
#include "exec_diagnose.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "engine/landlock_abi.h"
#include "engine/rights.h"
#include "engine/util.h"

extern char **environ;

/* The $PATH walk the CLI execs by: the first candidate that is a regular
 * file the caller may execute by its mode bits. Neither stat() nor
 * access() is subject to Landlock, so the walk finds the same file before
 * and after the policy applies, and a candidate the policy denies is found
 * (and reported) rather than skipped for a later one (docs/design.md §5). */
static char *find_in_path(const char *command, char *const *envp)
{
	const char *path = sbx_env_get(envp, "PATH");
	char *copy, *dir, *found = NULL, cs_path[256];
	const char *next;

	if (strchr(command, '/'))
		return sbx_xstrdup(command);
	if (!*command)
		return NULL;
	/* An unset PATH: the one execvp() uses. */
	if (!path && confstr(_CS_PATH, cs_path, sizeof(cs_path)) - 1 < sizeof(cs_path) - 1)
		path = cs_path;
	copy = sbx_xstrdup(path ? path : "/bin:/usr/bin");
	/* An empty entry (leading, trailing or "::") is the current directory. */
	for (dir = copy; dir && !found; dir = (char *)next) {
		char *colon = strchr(dir, ':'), *candidate;
		struct stat st;

		next = colon ? colon + 1 : NULL;
		if (colon)
			*colon = '\0';
		candidate = sbx_path_join(*dir ? dir : ".", command);
		if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(candidate, X_OK) == 0)
			found = candidate;
		else
			free(candidate);
	}
	free(copy);
	return found;
}

/* Reads len bytes at off: from head (the file's first head_len bytes) when
 * they lie there, as the program headers and PT_INTERP of most binaries
 * do, so `sandboxec -- CMD` does not pay a pread per program header. */
static bool read_at(int fd, const unsigned char *head, size_t head_len, void *buf, size_t len,
		    Elf64_Off off)
{
	if (off <= head_len && len <= head_len - off) {
		memcpy(buf, head + off, len);
		return true;
	}
	return pread(fd, buf, len, (off_t)off) == (ssize_t)len;
}

/* The #! interpreter of a script whose first bytes are head[0..n): the
 * word after "#!" and blanks, at most PATH_MAX - 1 bytes of it. */
static char *script_interpreter(const unsigned char *head, size_t n)
{
	size_t i = 2, j;

	while (i < n && (head[i] == ' ' || head[i] == '\t'))
		i++;
	for (j = i;
	     j < n && j - i < PATH_MAX - 1 && head[j] != '\n' && head[j] != ' ' && head[j] != '\t';
	     j++)
		;
	return sbx_xstrndup((const char *)head + i, j - i);
}

/* The PT_INTERP of a 64-bit ELF file whose first bytes are head[0..n),
 * the last one if there are several; NULL if there is none. Sets is_static
 * when there is none. A name of PATH_MAX bytes or more is skipped; a read
 * that fails ends the search with what was found before it. */
static char *elf_interpreter(int fd, const unsigned char *head, size_t n,
			     struct sbx_exec_facts *facts)
{
	Elf64_Ehdr eh;
	char *interp = NULL;
	int i;

	memcpy(&eh, head, sizeof(eh));
	facts->is_static = true;
	for (i = 0; i < eh.e_phnum && i < 256; i++) {
		Elf64_Phdr ph;
		char *name;

		if (!read_at(fd, head, n, &ph, sizeof(ph),
			     eh.e_phoff + (Elf64_Off)i * eh.e_phentsize))
			break;
		if (ph.p_type != PT_INTERP || ph.p_filesz >= PATH_MAX)
			continue;
		name = sbx_xmalloc(ph.p_filesz + 1);
		if (!read_at(fd, head, n, name, ph.p_filesz, ph.p_offset)) {
			free(name);
			break;
		}
		name[ph.p_filesz] = '\0';
		free(interp);
		interp = name;
		facts->is_static = false;
	}
	return interp;
}

/* The PT_INTERP of an ELF file, or the #! interpreter of a script. The
 * name goes to the heap, not into a PATH_MAX buffer on the stack: every
 * page of a frame is touched (stack-clash probes), and each new stack
 * page is one more page fault on every run (docs/perf.md §2). */
static void read_interpreter(struct sbx_exec_facts *facts)
{
	unsigned char head[4096];
	char *interp = NULL;
	ssize_t n;
	int fd = open(facts->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return;
	n = pread(fd, head, sizeof(head), 0);
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		facts->is_script = true;
		interp = script_interpreter(head, (size_t)n);
	} else if (n >= (ssize_t)sizeof(Elf32_Ehdr) && memcmp(head, ELFMAG, SELFMAG) == 0 &&
		   head[EI_CLASS] == ELFCLASS32) {
		/* Its loader is not looked for: only which shim it can load matters. */
		facts->is_32bit = true;
	} else if (n >= (ssize_t)sizeof(Elf64_Ehdr) && memcmp(head, ELFMAG, SELFMAG) == 0 &&
		   head[EI_CLASS] == ELFCLASS64) {
		interp = elf_interpreter(fd, head, (size_t)n, facts);
	}
	close(fd);
	if (interp && interp[0] == '/')
		facts->named_interp = interp;
	else
		free(interp);
}

void sbx_exec_facts_gather(const char *command, char *const *envp, struct sbx_exec_facts *out)
{
	memset(out, 0, sizeof(*out));
	out->path = find_in_path(command, envp);
	if (out->path)
		read_interpreter(out);
}

void sbx_exec_facts_resolve(struct sbx_exec_facts *facts)
{
	if (facts->resolved)
		return;
	facts->resolved = true;
	if (facts->path)
		facts->real = realpath(facts->path, NULL);
	/* A command without a real path has no facts about its contents. */
	if (!facts->real) {
		facts->is_script = facts->is_static = facts->is_32bit = false;
		return;
	}
	if (facts->named_interp)
		facts->interp = realpath(facts->named_interp, NULL);
}

void sbx_exec_facts_free(struct sbx_exec_facts *facts)
{
	free(facts->path);
	free(facts->named_interp);
	free(facts->real);
	free(facts->interp);
	memset(facts, 0, sizeof(*facts));
}

/* Does some rule grant `access` on real path `target`? Rules are compared
 * by real path, as Landlock ties them to the file they resolve to. */
static bool policy_grants(const struct sbx_policy *policy, const char *target, uint64_t access)
{
	size_t i;

	for (i = 0; i < policy->n_fs; i++) {
		char *real = realpath(policy->fs[i].path, NULL);
		bool covers;

		if (!real)
			continue;
		covers = sbx_path_in_tree(target, real);
		free(real);
		if (covers && (policy->fs[i].access & access) == access)
			return true;
	}
	return false;
}

/* The top directory of a path ("/usr" for "/usr/bin/ls"), as a broader
 * alternative to suggest next to the file itself. */
static char *top_dir(const char *path)
{
	const char *slash = strchr(path + 1, '/');

	return slash ? sbx_xstrndup(path, (size_t)(slash - path)) : sbx_xstrdup(path);
}

/* The flag that adds a rule to this policy: another --fs only appends to
 * a list the flags gave (or to none); where a profile, config or variable
 * gave it, --fs would replace it whole and the next denial would follow,
 * so --add-fs (docs/design.md §3.2). */
static const char *add_flag(const struct sbx_policy *policy)
{
	const char *origin = policy->origin[SBX_SET_FS];

	return !origin || strcmp(origin, "--fs") == 0 || strcmp(origin, "default") == 0
		   ? "--fs"
		   : "--add-fs";
}

static int report_missing_exec(const struct sbx_policy *policy, const char *what, const char *path)
{
	char *top = top_dir(path);

	sbx_cli_error("cannot execute %s %s: the policy grants no execute right on it; add "
		      "%s rx:%s (or rx:%s for the whole tree)",
		      what, path, add_flag(policy), path, top);
	free(top);
	return 126;
}

/* How the command is named in a message: a command found in $PATH says
 * which candidate it is, since a later one is never tried instead. */
static char *command_what(const struct sbx_exec_facts *facts, const char *command)
{
	if (strchr(command, '/') || !facts->path)
		return sbx_xstrdup("the command");
	if (facts->real && strcmp(facts->path, facts->real) != 0)
		return sbx_xasprintf("%s, the first match in $PATH (no later one is tried), %s ->",
				     command, facts->path);
	return sbx_xasprintf("%s, the first match in $PATH (no later one is tried),", command);
}

int sbx_exec_report_failure(struct sbx_exec_facts *facts, const char *command, int err_no,
			    const struct sbx_policy *policy)
{
	sbx_exec_facts_resolve(facts);
	if (err_no == ENOENT && !facts->path) {
		sbx_cli_error("%s: command not found%s", command,
			      strchr(command, '/') ? "" : " in $PATH");
		return 127;
	}
	if (err_no == ENOENT && facts->real && facts->interp == NULL && !facts->is_static) {
		sbx_cli_error("%s: command not found", command);
		return 127;
	}
	if (err_no == EACCES || err_no == EPERM) {
		if (facts->real && !policy_grants(policy, facts->real, SBX_LL_FS_EXECUTE)) {
			char *what = command_what(facts, command);
			int status = report_missing_exec(policy, what, facts->real);

			free(what);
			return status;
		}
		if (facts->interp && !policy_grants(policy, facts->interp, SBX_LL_FS_EXECUTE))
			return report_missing_exec(policy,
						   facts->is_script ? "the script interpreter"
								    : "the program loader",
						   facts->interp);
		if (facts->is_script && facts->real &&
		    !policy_grants(policy, facts->real, SBX_LL_FS_READ_FILE)) {
			sbx_cli_error("cannot run script %s: its interpreter must read it; add "
				      "%s r:%s",
				      facts->real, add_flag(policy), facts->real);
			return 126;
		}
	}
	sbx_cli_error("cannot execute %s: %s", facts->real ? facts->real : command,
		      strerror(err_no));
	return err_no == ENOENT ? 127 : 126;
}

/* A file the kernel will not run as a program (no #!, not ELF) is run by
 * /bin/sh, as execvp() does. */
static void exec_as_shell_script(const char *path, char *const argv[])
{
	size_t argc = 0;
	char **sh_argv;

	while (argv[argc])
		argc++;
	sh_argv = sbx_xcalloc(argc + 2, sizeof(*sh_argv));
	sh_argv[0] = (char *)"/bin/sh";
	sh_argv[1] = (char *)path;
	memcpy(sh_argv + 2, argv + 1, argc * sizeof(*sh_argv)); /* with the NULL */
	execve("/bin/sh", sh_argv, environ);
	free(sh_argv);
	errno = ENOEXEC;
}

int sbx_exec_command(char *const argv[], struct sbx_exec_facts *facts,
		     const struct sbx_policy *policy)
{
	int err_no;

	/* Without an executable candidate execvp() runs nothing either, and
	 * tells a name not found (ENOENT) from one found without x (EACCES). */
	if (strchr(argv[0], '/') || !facts->path) {
		execvp(argv[0], argv);
		err_no = errno;
	} else {
		execve(facts->path, argv, environ);
		err_no = errno;
		if (err_no == ENOEXEC) {
			exec_as_shell_script(facts->path, argv);
			err_no = errno;
		}
	}
	return sbx_exec_report_failure(facts, argv[0], err_no, policy);
}
