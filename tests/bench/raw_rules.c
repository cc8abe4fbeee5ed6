/* SPDX-License-Identifier: Apache-2.0 */
/* raw_rules PATH... -- CMD [ARG...]: the kernel's own cost of a policy of
 * many rules, for scripts/bench_scale.sh: one ruleset, then for each path
 * only open(O_PATH) and landlock_add_rule (read and execute beneath it),
 * restrict, exec. No parsing, no checks beyond the system calls: the
 * floor sandboxec's front doors are compared with. */
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RAW_READ_RX                                                                                \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define RAW_HANDLED                                                                                \
	(RAW_READ_RX | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |             \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |                           \
	 LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |                               \
	 LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |                             \
	 LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM)

int main(int argc, char **argv)
{
	struct landlock_ruleset_attr attr = {.handled_access_fs = RAW_HANDLED};
	int ruleset, i;

	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (ruleset < 0) {
		perror("raw_rules: landlock_create_ruleset");
		return 1;
	}
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		struct landlock_path_beneath_attr rule = {.allowed_access = RAW_READ_RX};

		rule.parent_fd = open(argv[i], O_PATH | O_CLOEXEC);
		if (rule.parent_fd < 0 || syscall(SYS_landlock_add_rule, ruleset,
						  LANDLOCK_RULE_PATH_BENEATH, &rule, 0) < 0) {
			perror(argv[i]);
			return 1;
		}
		close(rule.parent_fd);
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: raw_rules PATH... -- CMD [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) {
		perror("raw_rules: landlock_restrict_self");
		return 1;
	}
	close(ruleset);
	execv(argv[i + 1], argv + i + 1);
	perror(argv[i + 1]);
	return 127;
}
