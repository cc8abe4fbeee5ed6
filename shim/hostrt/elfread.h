/* SPDX-License-Identifier: Apache-2.0 */
/* The ELF reader of the host-runtime resolver: what the dynamic loader would
 * look at in one file (header, PT_INTERP, PT_DYNAMIC), read with a lazily
 * loaded libelf and bounded so that a hostile file costs little. Internal to
 * the engine; tests and fuzzers include it directly. */
#ifndef SBX_ELFREAD_H
#define SBX_ELFREAD_H

#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/error.h"
#include "engine/lazylib.h"

/* The libelf functions we call, bound by sbx_elf_lib_open() so that the
 * shim never links libelf at load time. Lives in a context, not a global. */
struct sbx_elf_lib {
	void *handle;
	SBX_LAZY_FIELD(elf_version);
	SBX_LAZY_FIELD(elf_memory);
	SBX_LAZY_FIELD(elf_end);
	SBX_LAZY_FIELD(elf_kind);
	SBX_LAZY_FIELD(gelf_getehdr);
	SBX_LAZY_FIELD(gelf_getphdr);
	SBX_LAZY_FIELD(gelf_xlatetom);
};

int sbx_elf_lib_open(struct sbx_elf_lib *lib, struct sbx_error *err);
void sbx_elf_lib_close(struct sbx_elf_lib *lib);

/* Bounds on what one file may make us read or allocate. Real objects are far
 * below them (the largest .dynamic on Debian is a few KiB). */
#define SBX_ELF_MAX_DYNAMIC  (1u << 20)	 /* bytes of PT_DYNAMIC read */
#define SBX_ELF_MAX_STRTAB   (16u << 10) /* .dynstr up to this is read in one go */
#define SBX_ELF_MAX_STRING   4096u	 /* longest DT_NEEDED, RPATH… string */
#define SBX_ELF_SPAN_TAIL    256u	 /* read past the last string's start */
#define SBX_ELF_MAX_INTERP   4096u	 /* longest PT_INTERP */
#define SBX_ELF_HEAD	     256u	 /* the kernel's BINPRM_BUF_SIZE */
#define SBX_ELF_WINDOW	     (4u << 10)	 /* first read: header, phdrs, interp… */
#define SBX_ELF_MAX_PHDR_END (4u << 20)	 /* program headers must end below this */

/* What the file is, as the loader's open_verify() would classify it. */
enum sbx_elf_status {
	SBX_ELF_OK = 0,
	SBX_ELF_NOT_ELF, /* no ELF magic (a script, data) */
	SBX_ELF_BAD,	 /* ELF magic but unusable: ld.so would fail loudly */
};

struct sbx_elf_info {
	enum sbx_elf_status status;
	const char *why; /* for SBX_ELF_BAD: static text, like ld.so's message */
	unsigned char ei_class, ei_data, ei_osabi, ei_abiversion;
	bool ident_pad_zero; /* e_ident[EI_PAD..] all zero, as ld.so requires */
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint16_t e_phentsize;
	bool has_dynamic;
	char *interp;  /* PT_INTERP, or NULL */
	char **needed; /* DT_NEEDED in file order */
	size_t n_needed;
	bool needed_packed; /* the strings live in the block of `needed` */
	char *soname;	    /* DT_SONAME or NULL */
	char *rpath;	    /* DT_RPATH, NULL when absent or when DT_RUNPATH exists */
	char *runpath;	    /* DT_RUNPATH or NULL */
	uint64_t flags_1;   /* DT_FLAGS_1 */
	/* The first bytes of the file, whatever it is: lets the caller spot a
	 * "#!" script without reading it again. */
	unsigned char head[SBX_ELF_HEAD];
	size_t head_len;
};

/* Reads an open regular file of `size` bytes. Returns 0 and fills *out
 * (whose status may be NOT_ELF or BAD: those are answers, not errors);
 * returns -1 only when libelf itself cannot work (out of memory). Reads a
 * bounded number of bytes whatever the file claims; never maps it (a file
 * truncated under us must not raise SIGBUS). */
int sbx_elf_read_fd(const struct sbx_elf_lib *lib, int fd, uint64_t size, struct sbx_elf_info *out,
		    struct sbx_error *err);
/* The same over a memory buffer (used by tests and the fuzzer). */
int sbx_elf_read_mem(const struct sbx_elf_lib *lib, const void *buf, size_t len,
		     struct sbx_elf_info *out, struct sbx_error *err);
void sbx_elf_info_free(struct sbx_elf_info *info);

#endif
