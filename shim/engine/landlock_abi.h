/* SPDX-License-Identifier: Apache-2.0 */
/* The Landlock kernel interface as this project knows it (ABIs 1 to 11).
 * Defined here rather than taken from <linux/landlock.h>, which on Debian 12
 * predates network rules, IOCTL_DEV, scopes and every flag since. Values as
 * in the kernel's include/uapi/linux/landlock.h (Linux 7.3). Only
 * constants, structs and thin syscall wrappers: no policy. */
#ifndef SBX_LANDLOCK_ABI_H
#define SBX_LANDLOCK_ABI_H

#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SBX_ABI_MIN 1
#define SBX_ABI_MAX 11

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

#define SBX_LL_CREATE_RULESET_VERSION (1U << 0)

#define SBX_LL_RULE_PATH_BENEATH 1
#define SBX_LL_RULE_NET_PORT	 2

/* Filesystem access rights. */
#define SBX_LL_FS_EXECUTE     (1ULL << 0)
#define SBX_LL_FS_WRITE_FILE  (1ULL << 1)
#define SBX_LL_FS_READ_FILE   (1ULL << 2)
#define SBX_LL_FS_READ_DIR    (1ULL << 3)
#define SBX_LL_FS_REMOVE_DIR  (1ULL << 4)
#define SBX_LL_FS_REMOVE_FILE (1ULL << 5)
#define SBX_LL_FS_MAKE_CHAR   (1ULL << 6)
#define SBX_LL_FS_MAKE_DIR    (1ULL << 7)
#define SBX_LL_FS_MAKE_REG    (1ULL << 8)
#define SBX_LL_FS_MAKE_SOCK   (1ULL << 9)
#define SBX_LL_FS_MAKE_FIFO   (1ULL << 10)
#define SBX_LL_FS_MAKE_BLOCK  (1ULL << 11)
#define SBX_LL_FS_MAKE_SYM    (1ULL << 12)
#define SBX_LL_FS_REFER	      (1ULL << 13) /* ABI 2 */
#define SBX_LL_FS_TRUNCATE    (1ULL << 14) /* ABI 3 */
#define SBX_LL_FS_IOCTL_DEV   (1ULL << 15) /* ABI 5 */
/* ABI 9: connect and sendmsg to a pathname unix socket made outside the
 * domain. Handled only with restrict-unix (landlock_plan.c), so that a
 * policy without it keeps the sockets it reached on older ABIs. */
#define SBX_LL_FS_RESOLVE_UNIX	(1ULL << 16)
#define SBX_LL_ABI_RESOLVE_UNIX 9

/* Rights that make sense on a file (anything else needs a directory). */
#define SBX_LL_FS_FILE_RIGHTS                                                                      \
	(SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE |     \
	 SBX_LL_FS_IOCTL_DEV)

/* Network access rights (ABI 4; UDP ABI 10). Setting a UDP socket's peer
 * or sending from an unbound one binds it to an ephemeral port, which
 * Landlock checks as a bind to port 0. */
#define SBX_LL_NET_BIND_TCP	    (1ULL << 0)
#define SBX_LL_NET_CONNECT_TCP	    (1ULL << 1)
#define SBX_LL_NET_BIND_UDP	    (1ULL << 2)
#define SBX_LL_NET_CONNECT_SEND_UDP (1ULL << 3)
#define SBX_LL_ABI_UDP		    10

/* Scopes (ABI 6). */
#define SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define SBX_LL_SCOPE_SIGNAL		  (1ULL << 1)

/* landlock_restrict_self() flags: logging (ABI 7); every thread of the
 * process at once (ABI 8); no_new_privs set by the call itself, only when
 * it succeeds (ABI 11). */
#define SBX_LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF (1U << 0)
#define SBX_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON   (1U << 1)
#define SBX_LL_RESTRICT_SELF_TSYNC	       (1U << 3)
#define SBX_LL_RESTRICT_SELF_NO_NEW_PRIVS      (1U << 4)
#define SBX_LL_ABI_TSYNC		       8
#define SBX_LL_ABI_NO_NEW_PRIVS		       11

struct sbx_ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;	     /* ABI 6 */
};

struct sbx_ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct sbx_ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

static inline long sbx_ll_create_ruleset(const struct sbx_ll_ruleset_attr *attr, size_t size,
					 uint32_t flags)
{
	return syscall(__NR_landlock_create_ruleset, attr, size, flags);
}

static inline long sbx_ll_add_rule(int ruleset_fd, int rule_type, const void *attr, uint32_t flags)
{
	return syscall(__NR_landlock_add_rule, ruleset_fd, rule_type, attr, flags);
}

static inline long sbx_ll_restrict_self(int ruleset_fd, uint32_t flags)
{
	return syscall(__NR_landlock_restrict_self, ruleset_fd, flags);
}

#endif
