/* SPDX-License-Identifier: Apache-2.0 */
/* tty_inject MODE [TEXT] [DEVICE]: terminal ioctls on fd 0, which the test
 * makes a pty's slave and the controlling terminal, or on DEVICE opened
 * read-write (a process without a controlling terminal, as an MCP exec
 * child, reaches a terminal by its path). Prints one line:
 *   "ok", "denied EPERM" (exit 3) or "error ENAME" (exit 4).
 * Modes:
 *   inject TEXT       TIOCSTI each byte of TEXT (types it into the tty)
 *   inject-high TEXT  the same with bit 32 set in the request, which the
 *                     kernel drops (the filter must compare 32 bits only)
 *   inject-i386 TEXT  the same through int $0x80, the i386 syscall table
 *                     (x86-64 only; "unsupported" and exit 5 elsewhere or
 *                     when the kernel has no ia32 emulation)
 *   tioclinux         TIOCLINUX (fails on a pty with ENOTTY/EINVAL; the
 *                     filter turns that into EPERM)
 *   winsize           TIOCGWINSZ, an ioctl that must keep working
 *   pending           prints "pending N", the bytes waiting in the input */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ia32_probe.h"

static int report(long ret)
{
	static const struct {
		int no;
		const char *name;
	} names[] = {{EPERM, "EPERM"},	 {EACCES, "EACCES"}, {ENOTTY, "ENOTTY"}, {EINVAL, "EINVAL"},
		     {ENOSYS, "ENOSYS"}, {EIO, "EIO"},	     {EBADF, "EBADF"}};
	int err = errno;
	size_t i;

	if (ret >= 0) {
		puts("ok");
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].no == err) {
			printf("%s %s\n", err == EPERM ? "denied" : "error", names[i].name);
			return err == EPERM ? 3 : 4;
		}
	}
	printf("error %d\n", err);
	return 4;
}

#if defined(__x86_64__)
/* ioctl through the i386 entry point; the argument must be a 32-bit
 * address, so the byte lives in a MAP_32BIT page. */
static long ioctl_i386(int fd, unsigned int request, const char *byte)
{
	static char *low;
	long ret;

	if (!low) {
		low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (low == MAP_FAILED)
			return -ENOMEM;
	}
	*low = *byte;
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "0"(54L), "b"((long)fd), "c"((long)request), "d"((long)(uintptr_t)low)
			 : "memory");
	return ret;
}
#endif

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *text = argc > 2 ? argv[2] : "";
	long ret = 0;

	if (argc > 3) {
		int fd = open(argv[3], O_RDWR | O_NOCTTY | O_CLOEXEC);

		if (fd < 0 || dup2(fd, 0) < 0) {
			printf("cannot open %s: %s\n", argv[3], strerror(errno));
			return 6;
		}
		close(fd);
	}

	if (strcmp(mode, "inject") == 0 || strcmp(mode, "inject-high") == 0) {
		unsigned long request = TIOCSTI;

		if (strcmp(mode, "inject-high") == 0)
			request |= 1UL << 32;
		for (; *text && ret >= 0; text++)
			ret = syscall(SYS_ioctl, 0, request, text);
		return report(ret);
	}
	if (strcmp(mode, "inject-i386") == 0) {
#if defined(__x86_64__)
		if (!ia32_entry_works())
			ret = -ENOSYS;
		for (; *text && ret >= 0; text++)
			ret = ioctl_i386(0, TIOCSTI, text);
		if (ret == -ENOSYS) {
			puts("unsupported");
			return 5;
		}
		if (ret < 0) {
			errno = (int)-ret;
			ret = -1;
		}
		return report(ret);
#else
		puts("unsupported");
		return 5;
#endif
	}
	if (strcmp(mode, "tioclinux") == 0) {
		char subcode = 6; /* TIOCL_GETSHIFTSTATE */

		return report(ioctl(0, TIOCLINUX, &subcode));
	}
	if (strcmp(mode, "winsize") == 0) {
		struct winsize ws;

		return report(ioctl(0, TIOCGWINSZ, &ws));
	}
	if (strcmp(mode, "pending") == 0) {
		int n = 0;

		if (ioctl(0, FIONREAD, &n) < 0)
			return report(-1);
		printf("pending %d\n", n);
		return 0;
	}
	fprintf(stderr, "usage: tty_inject inject|inject-high|inject-i386 TEXT | tioclinux | "
			"winsize | pending\n");
	return 2;
}
