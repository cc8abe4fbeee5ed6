/* SPDX-License-Identifier: Apache-2.0 */
/* One file as the host-runtime resolver knows it: what reading it taught
 * (ELF facts, a #! interpreter) and what the replay derives from it. Shared
 * by the resolver and its read-ahead threads. Internal to the engine. */
#ifndef SBX_HOSTRT_FILE_H
#define SBX_HOSTRT_FILE_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "elfread.h"

/* What a readlink() of first_path said, when done ahead of time. */
enum { LINK_UNKNOWN, LINK_NO, LINK_YES };

/* One file, by identity (st_dev, st_ino), read at most once. */
struct hostrt_file {
	const char *first_path; /* a path it was opened by (a map key) */
	char *real;		/* realpath, computed on demand */
	bool real_done;
	bool is_reg;
	bool unreadable; /* exists but cannot be opened: skipped like ld.so */
	mode_t mode;
	struct sbx_elf_info info;
	char *shebang; /* the #! interpreter of a script */
	bool visited;  /* its closure was already added */
	/* readlink() of first_path, done by a read-ahead thread: LINK_UNKNOWN,
	 * LINK_NO (not a symlink) or LINK_YES (link_target). */
	int link;
	char *link_target;
	/* link_target is a plain name in the same directory, and what it
	 * names is no symlink (the usual libfoo.so.6 -> libfoo.so.6.0.0):
	 * the real path is then known without another readlink. */
	bool target_plain;
	bool granted; /* its real path is in the output already */
	/* sim_hash(info.soname) and of each info.needed[], computed by the
	 * first replay loading it: most libraries are loaded by hundreds. */
	bool soname_hashed;
	uint32_t soname_hash;
	uint32_t *needed_hashes;
};

/* How the resolver opens what it reads: O_NONBLOCK so that a name that
 * became a FIFO since it was stat'ed (or listed) does not wait for a
 * writer, O_NOCTTY so that a terminal is never taken. */
#define HOSTRT_OPEN_FLAGS (O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)

/* Reads the open regular file fd of `size` bytes and mode `mode` into a new
 * file (ELF facts, or the #! line of a script). Never NULL. */
struct hostrt_file *sbx_hostrt_file_read(const struct sbx_elf_lib *elf, int fd, uint64_t size,
					 mode_t mode);
void sbx_hostrt_file_free(void *file);

/* Why f cannot be the program interpreter (PT_INTERP) of an executable of
 * this class and machine, or NULL when it can: the kernel maps it as an
 * ELF and jumps to it, so it must be an executable ELF shared object of
 * the same class and machine, as a real dynamic loader is. Anything else
 * named there is a file the program could never start with, and granting
 * it would hand out whatever the executable's author chose. */
const char *sbx_hostrt_file_unfit_loader(const struct hostrt_file *f, unsigned char ei_class,
					 uint16_t e_machine);
/* Why f cannot be a #! interpreter, or NULL: it must be an executable
 * regular file the kernel can start, an ELF or itself a #! script. */
const char *sbx_hostrt_file_unfit_script_interp(const struct hostrt_file *f);

/* "dev:ino" in hex: one string per identity, the key of a file. */
#define HOSTRT_FILE_ID_SIZE 40
void sbx_hostrt_file_id(char id[HOSTRT_FILE_ID_SIZE], uint64_t dev, uint64_t ino);

#endif
