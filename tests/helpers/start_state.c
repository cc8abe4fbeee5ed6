/* SPDX-License-Identifier: Apache-2.0 */
/* start_state: prints, as main's very first work, the process state the
 * shim promises to leave alone (docs/design.md §4.3): errno, the open descriptors and
 * their close-on-exec flag, every signal's disposition and the blocked
 * mask, whether stdio has buffers yet, and the umask. Touches no file, so
 * it runs the same under any policy; the hygiene test compares a bare run
 * with a run under the shim, line for line. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	int saved_errno = errno;
	size_t out_buf = __fbufsize(stdout), err_buf = __fbufsize(stderr),
	       in_buf = __fbufsize(stdin);
	mode_t mask = umask(0);
	sigset_t blocked;
	int fd, sig;

	umask(mask);
	sigprocmask(SIG_BLOCK, NULL, &blocked);
	printf("errno %d\n", saved_errno);
	printf("stdio buffers before first use: in %zu out %zu err %zu\n", in_buf, out_buf,
	       err_buf);
	printf("umask %03o\n", (unsigned)mask);
	for (fd = 0; fd < 1024; fd++) {
		int flags = fcntl(fd, F_GETFD);

		if (flags >= 0)
			printf("fd %d%s\n", fd, (flags & FD_CLOEXEC) ? " cloexec" : "");
	}
	for (sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;

		if (sigaction(sig, NULL, &sa) < 0)
			continue;
		printf("signal %d %s flags %#x%s\n", sig,
		       sa.sa_handler == SIG_DFL	  ? "default"
		       : sa.sa_handler == SIG_IGN ? "ignored"
						  : "handled",
		       (unsigned)sa.sa_flags, sigismember(&blocked, sig) ? " blocked" : "");
	}
	return 0;
}
