/* Reads what the dynamic loader reads from one ELF file: the header, the
 * program headers, PT_INTERP and PT_DYNAMIC (never section headers, which
 * ld.so ignores). libelf does the decoding; we bound every size first so a
 * hostile file can cost neither unbounded memory nor a crash. */
#include "elfread.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int sbx_elf_lib_open(struct sbx_elf_lib *lib, struct sbx_error *err)
{
	const struct sbx_lazy_sym syms[] = {
		SBX_LAZY_SYM(lib, elf_version),	   SBX_LAZY_SYM(lib, elf_begin),
		SBX_LAZY_SYM(lib, elf_memory),	   SBX_LAZY_SYM(lib, elf_end),
		SBX_LAZY_SYM(lib, elf_kind),	   SBX_LAZY_SYM(lib, elf_errmsg),
		SBX_LAZY_SYM(lib, elf_errno),	   SBX_LAZY_SYM(lib, gelf_getehdr),
		SBX_LAZY_SYM(lib, gelf_getphdr),   SBX_LAZY_SYM(lib, elf_getdata_rawchunk),
		SBX_LAZY_SYM(lib, gelf_getdyn),
	};

	memset(lib, 0, sizeof(*lib));
	if (sbx_lazy_open("libelf.so.1", "libelf1", syms, SBX_ARRAY_SIZE(syms), &lib->handle,
			  err) < 0)
		return -1;
	if (lib->elf_version(EV_CURRENT) == EV_NONE) {
		sbx_lazy_close(lib->handle);
		lib->handle = NULL;
		return sbx_error_set(err, "libelf.so.1 does not support ELF version %d",
				     EV_CURRENT);
	}
	return 0;
}

void sbx_elf_lib_close(struct sbx_elf_lib *lib)
{
	if (lib && lib->handle) {
		sbx_lazy_close(lib->handle);
		lib->handle = NULL;
	}
}

void sbx_elf_info_free(struct sbx_elf_info *info)
{
	size_t i;

	if (!info)
		return;
	for (i = 0; i < info->n_needed; i++)
		free(info->needed[i]);
	free(info->needed);
	free(info->interp);
	free(info->soname);
	free(info->rpath);
	free(info->runpath);
	memset(info, 0, sizeof(*info));
}

/* Where the bytes come from: a file descriptor (read with pread, so a file
 * shrinking under us gives a short read, not SIGBUS) or a buffer. */
struct elf_src {
	int fd;
	const unsigned char *mem;
	uint64_t size;
};

static bool elf_src_read(const struct elf_src *src, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	if (off > src->size || len > src->size - off)
		return false;
	if (src->mem) {
		memcpy(buf, src->mem + off, len);
		return true;
	}
	while (done < len) {
		ssize_t n = pread(src->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

static uint64_t elf_raw(const unsigned char *p, size_t width, bool big_endian)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < width; i++)
		v |= (uint64_t)p[big_endian ? width - 1 - i : i] << (8 * i);
	return v;
}

static void elf_bad(struct sbx_elf_info *out, const char *why)
{
	if (out->status == SBX_ELF_OK)
		out->status = SBX_ELF_BAD;
	if (!out->why)
		out->why = why;
}

/* Checks the raw header before libelf sees it: libelf allocates one struct
 * per declared section in elf_begin(), and with extended numbering the
 * count comes from section 0 (up to 2^32). ld.so never reads sections, so a
 * file declaring more than SBX_ELF_MAX_SECTIONS is rejected as hostile. */
static void elf_precheck(const struct elf_src *src, const unsigned char *hdr,
			 struct sbx_elf_info *out)
{
	bool is64 = hdr[EI_CLASS] == ELFCLASS64;
	bool be = hdr[EI_DATA] == ELFDATA2MSB;
	uint64_t shoff = elf_raw(hdr + (is64 ? 40 : 32), is64 ? 8 : 4, be);
	uint64_t shnum = elf_raw(hdr + (is64 ? 60 : 48), 2, be);
	uint64_t phnum = elf_raw(hdr + (is64 ? 56 : 44), 2, be);
	unsigned char sh0[64];

	if (phnum == PN_XNUM)
		return elf_bad(out, "program header count in section 0 (PN_XNUM)");
	if (shnum != 0 || shoff == 0)
		return;
	if (!elf_src_read(src, shoff, sh0, is64 ? 64 : 40))
		return; /* libelf then sees no sections either */
	if (elf_raw(sh0 + (is64 ? 32 : 20), is64 ? 8 : 4, be) > SBX_ELF_MAX_SECTIONS)
		elf_bad(out, "absurd section header count");
}

/* The string table of PT_DYNAMIC, located through the PT_LOAD segments as
 * the loader sees it in memory. */
struct elf_strtab {
	uint64_t off, size;	  /* in the file */
	const char *whole;	  /* the table, when small enough to read at once */
	bool tried_whole;
};

static char *elf_string(const struct sbx_elf_lib *lib, Elf *elf, struct elf_strtab *st,
			uint64_t index)
{
	const char *s;
	size_t avail, len;

	if (index >= st->size)
		return NULL;
	if (st->size <= SBX_ELF_MAX_STRTAB && !st->tried_whole) {
		Elf_Data *d = lib->elf_getdata_rawchunk(elf, (int64_t)st->off, st->size,
							ELF_T_BYTE);

		st->tried_whole = true;
		st->whole = d && d->d_buf && d->d_size == st->size ? d->d_buf : NULL;
	}
	if (st->whole) {
		s = st->whole + index;
		avail = st->size - index;
	} else {
		Elf_Data *d;

		avail = st->size - index;
		if (avail > SBX_ELF_MAX_STRING)
			avail = SBX_ELF_MAX_STRING;
		d = lib->elf_getdata_rawchunk(elf, (int64_t)(st->off + index), avail, ELF_T_BYTE);
		if (!d || !d->d_buf || d->d_size != avail)
			return NULL;
		s = d->d_buf;
	}
	if (avail > SBX_ELF_MAX_STRING)
		avail = SBX_ELF_MAX_STRING;
	len = strnlen(s, avail);
	if (len == avail)
		return NULL; /* unterminated, or longer than any path we accept */
	return sbx_xstrndup(s, len);
}

/* Translates a virtual address into a file offset through PT_LOAD, and says
 * how many file bytes follow it in that segment. */
static bool elf_vaddr_to_off(const GElf_Phdr *loads, size_t n_loads, uint64_t vaddr,
			     uint64_t *off, uint64_t *avail)
{
	size_t i;

	for (i = 0; i < n_loads; i++) {
		const GElf_Phdr *p = &loads[i];

		if (vaddr >= p->p_vaddr && vaddr - p->p_vaddr < p->p_filesz) {
			*off = p->p_offset + (vaddr - p->p_vaddr);
			*avail = p->p_filesz - (vaddr - p->p_vaddr);
			return true;
		}
	}
	return false;
}

#define SBX_ELF_MAX_NEEDED 1024u

static void elf_read_dynamic(const struct sbx_elf_lib *lib, Elf *elf, uint64_t file_size,
			     const GElf_Phdr *dyn_ph, const GElf_Phdr *loads, size_t n_loads,
			     struct sbx_elf_info *out)
{
	uint64_t size = dyn_ph->p_filesz, strtab_addr = 0, strsz = 0;
	uint64_t soname = 0, rpath = 0, runpath = 0, *needed = NULL;
	bool has_strtab = false, has_soname = false, has_rpath = false, has_runpath = false;
	size_t entsize = out->ei_class == ELFCLASS64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn);
	size_t n, i, n_needed = 0;
	struct elf_strtab st = { 0 };
	Elf_Data *data;

	if (dyn_ph->p_offset >= file_size)
		return elf_bad(out, "dynamic segment beyond the end of the file");
	if (size > file_size - dyn_ph->p_offset)
		size = file_size - dyn_ph->p_offset;
	if (size > SBX_ELF_MAX_DYNAMIC)
		size = SBX_ELF_MAX_DYNAMIC;
	n = size / entsize;
	if (n == 0)
		return elf_bad(out, "empty dynamic segment");
	data = lib->elf_getdata_rawchunk(elf, (int64_t)dyn_ph->p_offset, n * entsize, ELF_T_DYN);
	if (!data)
		return elf_bad(out, "cannot read the dynamic segment");
	out->has_dynamic = true;
	for (i = 0; i < n; i++) {
		GElf_Dyn d;

		if (!lib->gelf_getdyn(data, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		switch (d.d_tag) {
		case DT_NEEDED:
			if (n_needed == SBX_ELF_MAX_NEEDED) {
				free(needed);
				return elf_bad(out, "absurd number of DT_NEEDED entries");
			}
			needed = sbx_xreallocarray(needed, n_needed + 1, sizeof(*needed));
			needed[n_needed++] = d.d_un.d_val;
			break;
		/* Later entries override earlier ones, as in ld.so's l_info[]. */
		case DT_STRTAB:
			strtab_addr = d.d_un.d_ptr;
			has_strtab = true;
			break;
		case DT_STRSZ:
			strsz = d.d_un.d_val;
			break;
		case DT_SONAME:
			soname = d.d_un.d_val;
			has_soname = true;
			break;
		case DT_RPATH:
			rpath = d.d_un.d_val;
			has_rpath = true;
			break;
		case DT_RUNPATH:
			runpath = d.d_un.d_val;
			has_runpath = true;
			break;
		case DT_FLAGS_1:
			out->flags_1 = d.d_un.d_val;
			break;
		default:
			break;
		}
	}
	if (!n_needed && !has_soname && !has_rpath && !has_runpath)
		goto out;
	if (!has_strtab || !elf_vaddr_to_off(loads, n_loads, strtab_addr, &st.off, &st.size)) {
		elf_bad(out, "DT_STRTAB outside the loaded segments");
		goto out;
	}
	if (strsz && strsz < st.size)
		st.size = strsz;
	out->needed = sbx_xcalloc(n_needed ? n_needed : 1, sizeof(*out->needed));
	for (i = 0; i < n_needed; i++) {
		char *s = elf_string(lib, elf, &st, needed[i]);

		if (!s) {
			elf_bad(out, "DT_NEEDED string outside the string table");
			goto out;
		}
		out->needed[out->n_needed++] = s;
	}
	if (has_soname && !(out->soname = elf_string(lib, elf, &st, soname)))
		elf_bad(out, "DT_SONAME string outside the string table");
	/* ld.so ignores DT_RPATH when DT_RUNPATH is present. */
	if (has_runpath) {
		if (!(out->runpath = elf_string(lib, elf, &st, runpath)))
			elf_bad(out, "DT_RUNPATH string outside the string table");
	} else if (has_rpath) {
		if (!(out->rpath = elf_string(lib, elf, &st, rpath)))
			elf_bad(out, "DT_RPATH string outside the string table");
	}
out:
	free(needed);
}

static void elf_read_interp(const struct sbx_elf_lib *lib, Elf *elf, uint64_t file_size,
			    const GElf_Phdr *ph, struct sbx_elf_info *out)
{
	uint64_t size = ph->p_filesz;
	Elf_Data *d;
	size_t len;

	if (ph->p_offset >= file_size || size == 0)
		return elf_bad(out, "PT_INTERP outside the file");
	if (size > file_size - ph->p_offset)
		size = file_size - ph->p_offset;
	if (size > SBX_ELF_MAX_INTERP)
		size = SBX_ELF_MAX_INTERP;
	d = lib->elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, size, ELF_T_BYTE);
	if (!d || !d->d_buf || d->d_size != size)
		return elf_bad(out, "cannot read PT_INTERP");
	len = strnlen(d->d_buf, size);
	if (len == size || len == 0)
		return elf_bad(out, "PT_INTERP is not a string");
	out->interp = sbx_xstrndup(d->d_buf, len);
}

static int elf_read(const struct sbx_elf_lib *lib, const struct elf_src *src, Elf *elf,
		    struct sbx_elf_info *out, struct sbx_error *err)
{
	GElf_Phdr *loads = NULL, dyn_ph = { 0 }, interp_ph = { 0 };
	bool have_dyn = false, have_interp = false;
	size_t i, n_loads = 0, phnum;
	GElf_Ehdr eh;

	(void)err; /* libelf failures (even its own ENOMEM) classify the file */
	if (!elf) {
		elf_bad(out, "not readable as ELF");
		return 0;
	}
	if (lib->elf_kind(elf) != ELF_K_ELF || !lib->gelf_getehdr(elf, &eh)) {
		elf_bad(out, "invalid ELF header");
		return 0;
	}
	out->e_type = eh.e_type;
	out->e_machine = eh.e_machine;
	out->e_version = eh.e_version;
	out->e_phentsize = eh.e_phentsize;
	if (eh.e_phentsize != (out->ei_class == ELFCLASS64 ? sizeof(Elf64_Phdr)
							   : sizeof(Elf32_Phdr))) {
		elf_bad(out, "ELF file's phentsize not the expected size");
		return 0;
	}
	/* ld.so uses e_phnum as is (PN_XNUM was refused in elf_precheck). */
	phnum = eh.e_phnum;
	loads = sbx_xcalloc(phnum ? phnum : 1, sizeof(*loads));
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!lib->gelf_getphdr(elf, (int)i, &ph)) {
			elf_bad(out, "cannot read program headers");
			goto out;
		}
		switch (ph.p_type) {
		case PT_LOAD:
			loads[n_loads++] = ph;
			break;
		case PT_DYNAMIC: /* the last one wins, as in ld.so */
			dyn_ph = ph;
			have_dyn = true;
			break;
		case PT_INTERP:
			if (!have_interp) { /* the kernel uses the first */
				interp_ph = ph;
				have_interp = true;
			}
			break;
		default:
			break;
		}
	}
	if (have_interp)
		elf_read_interp(lib, elf, src->size, &interp_ph, out);
	if (have_dyn && dyn_ph.p_filesz)
		elf_read_dynamic(lib, elf, src->size, &dyn_ph, loads, n_loads, out);
out:
	free(loads);
	return 0;
}

/* Classifies the identification bytes; returns false when libelf must not
 * be asked to go further. */
static bool elf_ident(const struct elf_src *src, unsigned char *hdr, struct sbx_elf_info *out)
{
	static const unsigned char zero[EI_NIDENT - EI_PAD];
	size_t n = src->size < 64 ? (size_t)src->size : 64;

	memset(hdr, 0, 64);
	if (!elf_src_read(src, 0, hdr, n) || n < SELFMAG || memcmp(hdr, ELFMAG, SELFMAG) != 0) {
		out->status = SBX_ELF_NOT_ELF;
		out->why = "invalid ELF header";
		return false;
	}
	out->ei_class = hdr[EI_CLASS];
	out->ei_data = hdr[EI_DATA];
	out->ei_osabi = hdr[EI_OSABI];
	out->ei_abiversion = hdr[EI_ABIVERSION];
	out->ident_pad_zero = memcmp(hdr + EI_PAD, zero, sizeof(zero)) == 0;
	/* ld.so reads a 64-byte Elf64_Ehdr whatever the class. */
	if (n < 64) {
		elf_bad(out, "file too short");
		return false;
	}
	if (hdr[EI_CLASS] != ELFCLASS32 && hdr[EI_CLASS] != ELFCLASS64) {
		elf_bad(out, "invalid ELF class");
		return false;
	}
	if (hdr[EI_DATA] != ELFDATA2LSB && hdr[EI_DATA] != ELFDATA2MSB) {
		elf_bad(out, "invalid ELF data encoding");
		return false;
	}
	elf_precheck(src, hdr, out);
	return out->status == SBX_ELF_OK;
}

int sbx_elf_read_fd(const struct sbx_elf_lib *lib, int fd, uint64_t size, struct sbx_elf_info *out,
		    struct sbx_error *err)
{
	struct elf_src src = { .fd = fd, .size = size };
	unsigned char hdr[64];
	Elf *elf;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!elf_ident(&src, hdr, out))
		return 0;
	/* ELF_C_READ: libelf preads what we ask for; it never maps the file. */
	elf = lib->elf_begin(fd, ELF_C_READ, NULL);
	ret = elf_read(lib, &src, elf, out, err);
	if (elf)
		lib->elf_end(elf);
	return ret;
}

int sbx_elf_read_mem(const struct sbx_elf_lib *lib, const void *buf, size_t len,
		     struct sbx_elf_info *out, struct sbx_error *err)
{
	struct elf_src src = { .fd = -1, .mem = buf, .size = len };
	unsigned char hdr[64];
	char *copy;
	Elf *elf;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!elf_ident(&src, hdr, out))
		return 0;
	/* elf_memory() takes a mutable image; the caller's stays untouched. */
	copy = sbx_xmalloc(len);
	memcpy(copy, buf, len);
	elf = lib->elf_memory(copy, len);
	ret = elf_read(lib, &src, elf, out, err);
	if (elf)
		lib->elf_end(elf);
	free(copy);
	return ret;
}
