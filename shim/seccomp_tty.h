/* The terminal-injection filter: a seccomp filter that makes ioctl(TIOCSTI)
 * (push bytes into a terminal's input, as if typed) and ioctl(TIOCLINUX)
 * (the virtual console's selection/paste) fail with EPERM, and allows every
 * other system call. Landlock cannot stop these: they act on a terminal fd
 * the sandboxed process inherited, opened before the policy. */
#ifndef SBX_SECCOMP_TTY_H
#define SBX_SECCOMP_TTY_H

#include "error.h"

/* Installs the filter on the calling thread. no_new_privs must already be
 * set (the kernel refuses a filter from an unprivileged process without
 * it). The filter is inherited by every child and survives execve. */
int sbx_tty_filter_install(struct sbx_error *err);

#endif
