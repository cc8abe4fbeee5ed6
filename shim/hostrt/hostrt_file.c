/* SPDX-License-Identifier: Apache-2.0 */
/* Reading one file for the host-runtime resolver; see hostrt_file.h. Runs
 * on read-ahead threads too: touches nothing but the file it is given. */
#include "hostrt_file.h"

#include <stdlib.h>
#include <string.h>

#include "engine/util.h"

#define HOSTRT_SHEBANG_MAX 256 /* the kernel's BINPRM_BUF_SIZE */

/* Parses "#!interp args" as fs/binfmt_script.c does; NULL when the kernel
 * would refuse it. */
static char *hostrt_parse_shebang(const char *buf, size_t len)
{
	const char *p = buf + 2, *end = buf + len, *start;
	const char *nl = memchr(buf, '\n', len);

	if (len < 2 || buf[0] != '#' || buf[1] != '!')
		return NULL;
	if (nl)
		end = nl;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	start = p;
	while (p < end && *p != ' ' && *p != '\t' && *p != '\0')
		p++;
	if (p == start)
		return NULL;
	/* No newline in a full buffer: the name must end before it does. */
	if (!nl && p == buf + len && len == HOSTRT_SHEBANG_MAX)
		return NULL;
	return sbx_xstrndup(start, (size_t)(p - start));
}

struct hostrt_file *sbx_hostrt_file_read(const struct sbx_elf_lib *elf, int fd, uint64_t size,
					 mode_t mode)
{
	struct hostrt_file *f = sbx_xcalloc(1, sizeof(*f));

	f->mode = mode;
	f->is_reg = true;
	/* Every outcome, even libelf failing, classifies the file. */
	sbx_elf_read_fd(elf, fd, size, &f->info, NULL);
	if (f->info.status == SBX_ELF_NOT_ELF && f->info.head_len > 2)
		f->shebang = hostrt_parse_shebang((const char *)f->info.head, f->info.head_len);
	return f;
}

const char *sbx_hostrt_file_unfit_loader(const struct hostrt_file *f, unsigned char ei_class,
					 uint16_t e_machine)
{
	const struct sbx_elf_info *i = &f->info;

	if (!f->is_reg || !(f->mode & 0111))
		return "not an executable file";
	if (i->status != SBX_ELF_OK || i->ei_class != ei_class || i->e_machine != e_machine ||
	    i->e_type != ET_DYN)
		return "not an ELF dynamic loader of this machine";
	return NULL;
}

const char *sbx_hostrt_file_unfit_script_interp(const struct hostrt_file *f)
{
	if (!f->is_reg || !(f->mode & 0111))
		return "not an executable file";
	if (f->info.status == SBX_ELF_NOT_ELF && !f->shebang)
		return "neither an ELF nor a #! script";
	return NULL;
}

void sbx_hostrt_file_free(void *file)
{
	struct hostrt_file *f = file;

	sbx_elf_info_free(&f->info);
	free(f->needed_hashes);
	free(f->real);
	free(f->link_target);
	free(f->shebang);
	free(f);
}

/* Hex without leading zeros and without printf: this runs for every file
 * probed, and the maps hash every byte of it. */
static char *hostrt_hex(char *p, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	/* The highest non-zero digit (the digit 0 for v == 0). */
	int shift = v ? (63 - __builtin_clzll(v)) & ~3 : 0;

	for (; shift >= 0; shift -= 4)
		*p++ = hex[(v >> shift) & 15];
	return p;
}

void sbx_hostrt_file_id(char id[HOSTRT_FILE_ID_SIZE], uint64_t dev, uint64_t ino)
{
	char *p = hostrt_hex(id, dev);

	*p++ = ':';
	*hostrt_hex(p, ino) = '\0';
}
