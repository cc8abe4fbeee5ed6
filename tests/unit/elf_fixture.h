/* SPDX-License-Identifier: Apache-2.0 */
/* Builds small ELF64 x86-64 objects in memory for the host-runtime tests:
 * one PT_LOAD covering the file, optional PT_INTERP, PT_DYNAMIC with
 * DT_NEEDED/SONAME/RPATH/RUNPATH/FLAGS_1 and a string table. Test-only. */
#ifndef SBX_TEST_ELF_FIXTURE_H
#define SBX_TEST_ELF_FIXTURE_H

#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fx_elf {
	const char *interp;
	const char *needed[8];
	const char *soname, *rpath, *runpath;
	uint64_t flags_1;
	uint16_t type;		/* ET_DYN when 0 */
	uint16_t machine;	/* EM_X86_64 when 0 */
	unsigned char ei_class; /* ELFCLASS64 when 0 (only the ident byte changes) */
};

static size_t fx_str(char *tab, size_t *len, const char *s)
{
	size_t off = *len;

	memcpy(tab + off, s, strlen(s) + 1);
	*len += strlen(s) + 1;
	return off;
}

/* Returns a malloc'd image and its size. */
static unsigned char *fx_build(const struct fx_elf *d, size_t *size)
{
	char strtab[2048];
	size_t slen = 1, i, nph = d->interp ? 3 : 2, ndyn = 0;
	Elf64_Dyn dyn[16];
	size_t interp_off = sizeof(Elf64_Ehdr) + nph * sizeof(Elf64_Phdr);
	size_t interp_len = d->interp ? strlen(d->interp) + 1 : 0;
	size_t str_off = interp_off + interp_len, dyn_off, total;
	unsigned char *img;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;

	strtab[0] = '\0';
	for (i = 0; i < 8 && d->needed[i]; i++)
		dyn[ndyn++] = (Elf64_Dyn){DT_NEEDED, {fx_str(strtab, &slen, d->needed[i])}};
	if (d->soname)
		dyn[ndyn++] = (Elf64_Dyn){DT_SONAME, {fx_str(strtab, &slen, d->soname)}};
	if (d->rpath)
		dyn[ndyn++] = (Elf64_Dyn){DT_RPATH, {fx_str(strtab, &slen, d->rpath)}};
	if (d->runpath)
		dyn[ndyn++] = (Elf64_Dyn){DT_RUNPATH, {fx_str(strtab, &slen, d->runpath)}};
	if (d->flags_1)
		dyn[ndyn++] = (Elf64_Dyn){DT_FLAGS_1, {d->flags_1}};
	dyn[ndyn++] = (Elf64_Dyn){DT_STRTAB, {str_off}};
	dyn[ndyn++] = (Elf64_Dyn){DT_STRSZ, {slen}};
	dyn[ndyn++] = (Elf64_Dyn){DT_NULL, {0}};
	dyn_off = (str_off + slen + 7) & ~(size_t)7;
	total = dyn_off + ndyn * sizeof(Elf64_Dyn);
	img = calloc(1, total);
	eh = (Elf64_Ehdr *)img;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = d->ei_class ? d->ei_class : ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = d->type ? d->type : ET_DYN;
	eh->e_machine = d->machine ? d->machine : EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = (uint16_t)nph;
	ph = (Elf64_Phdr *)(img + eh->e_phoff);
	ph[0] = (Elf64_Phdr){.p_type = PT_LOAD,
			     .p_flags = PF_R | PF_X,
			     .p_filesz = total,
			     .p_memsz = total,
			     .p_align = 0x1000};
	i = 1;
	if (d->interp) {
		ph[i++] = (Elf64_Phdr){.p_type = PT_INTERP,
				       .p_flags = PF_R,
				       .p_offset = interp_off,
				       .p_vaddr = interp_off,
				       .p_filesz = interp_len,
				       .p_memsz = interp_len,
				       .p_align = 1};
		memcpy(img + interp_off, d->interp, interp_len);
	}
	ph[i] = (Elf64_Phdr){.p_type = PT_DYNAMIC,
			     .p_flags = PF_R | PF_W,
			     .p_offset = dyn_off,
			     .p_vaddr = dyn_off,
			     .p_filesz = ndyn * sizeof(Elf64_Dyn),
			     .p_memsz = ndyn * sizeof(Elf64_Dyn),
			     .p_align = 8};
	memcpy(img + str_off, strtab, slen);
	memcpy(img + dyn_off, dyn, ndyn * sizeof(Elf64_Dyn));
	*size = total;
	return img;
}

#endif
