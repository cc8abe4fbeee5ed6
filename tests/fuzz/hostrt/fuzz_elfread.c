/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the host-runtime ELF reader over arbitrary bytes, both
 * from memory and through a file descriptor (the path production uses). */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hostrt/elfread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The harness may keep state between runs; the engine may not. */
	static struct sbx_elf_lib lib;
	static int fd = -1;
	struct sbx_elf_info info;
	struct sbx_error err;

	if (!lib.handle && sbx_elf_lib_open(&lib, &err) < 0)
		abort();
	if (fd < 0 && (fd = memfd_create("fuzz_elfread", MFD_CLOEXEC)) < 0)
		abort();
	if (sbx_elf_read_mem(&lib, data, size, &info, &err) == 0)
		sbx_elf_info_free(&info);
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (sbx_elf_read_fd(&lib, fd, size, &info, &err) == 0)
		sbx_elf_info_free(&info);
	return 0;
}
