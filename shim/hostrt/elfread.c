/* SPDX-License-Identifier: Apache-2.0 */
/* Reads what the dynamic loader reads from one ELF file: the header, the
 * program headers, PT_INTERP and PT_DYNAMIC (never section headers, which
 * ld.so ignores). libelf decodes; we decide what to read and bound it, so a
 * hostile file costs neither unbounded memory nor a crash. */
#include "elfread.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/util.h"

int sbx_elf_lib_open(struct sbx_elf_lib *lib, struct sbx_error *err)
{
	const struct sbx_lazy_sym syms[] = {
	    SBX_LAZY_SYM(lib, elf_version),   SBX_LAZY_SYM(lib, elf_memory),
	    SBX_LAZY_SYM(lib, elf_end),	      SBX_LAZY_SYM(lib, elf_kind),
	    SBX_LAZY_SYM(lib, gelf_getehdr),  SBX_LAZY_SYM(lib, gelf_getphdr),
	    SBX_LAZY_SYM(lib, gelf_xlatetom),
	};

	memset(lib, 0, sizeof(*lib));
	if (sbx_lazy_open("libelf.so.1", "libelf1", syms, SBX_ARRAY_SIZE(syms), &lib->handle, err) <
	    0)
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
	for (i = 0; !info->needed_packed && i < info->n_needed; i++)
		free(info->needed[i]);
	free(info->needed);
	free(info->interp);
	free(info->soname);
	free(info->rpath);
	free(info->runpath);
	memset(info, 0, sizeof(*info));
}

/* Where the bytes come from: a file descriptor (read with pread, so a file
 * shrinking under us gives a short read, never SIGBUS as a mapping would)
 * or a buffer. The first SBX_ELF_WINDOW bytes (more if the program headers
 * end later) are read once and kept: they hold the header, the program
 * headers, PT_INTERP and, in small objects, .dynamic and .dynstr too. */
struct elf_src {
	int fd;
	const unsigned char *mem;
	uint64_t size;
	unsigned char *window; /* stack_window, or a heap copy when widened */
	size_t window_len;
	unsigned char stack_window[SBX_ELF_WINDOW];
};

/* Field by field: an initializer would zero the whole window first, which
 * for a $PATH of a thousand files costs more than reading them. */
static void elf_src_init(struct elf_src *src, int fd, const unsigned char *mem, uint64_t size)
{
	src->fd = fd;
	src->mem = mem;
	src->size = size;
	src->window = NULL;
	src->window_len = 0;
}

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

/* Bytes [off, off+len) of the file: inside the window when possible, else
 * read into scratch (scratch_len bytes, may be 0) when they fit, else into
 * *owned (which the caller frees). Most chunks are small: one malloc fewer
 * per file for each that fits. */
static const unsigned char *elf_chunk_in(const struct elf_src *src, uint64_t off, size_t len,
					 unsigned char *scratch, size_t scratch_len,
					 unsigned char **owned)
{
	unsigned char *buf;

	*owned = NULL;
	if (off <= src->window_len && len <= src->window_len - off)
		return src->window + off;
	buf = scratch && len <= scratch_len ? scratch : (*owned = sbx_xmalloc(len ? len : 1));
	if (!elf_src_read(src, off, buf, len)) {
		free(*owned);
		*owned = NULL;
		return NULL;
	}
	return buf;
}

static const unsigned char *elf_chunk(const struct elf_src *src, uint64_t off, size_t len,
				      unsigned char **owned)
{
	return elf_chunk_in(src, off, len, NULL, 0, owned);
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

/* The string table of PT_DYNAMIC, located through the PT_LOAD segments as
 * the loader sees it in memory. */
struct elf_strtab {
	uint64_t off, size; /* in the file */
	/* Bytes [span_lo, span_lo + span_len) of the table, read in one go:
	 * every string the object names, each up to the longest accepted. */
	uint64_t span_lo;
	size_t span_len;
	unsigned char *span; /* owned copy, when not inside the window… */
	const unsigned char *span_p;
	unsigned char scratch[2048]; /* …or in here, when it fits */
};

/* Reads, in one go, the part of the table holding the strings at the given
 * indices (the last with SBX_ELF_SPAN_TAIL bytes after it), when that part
 * is at most SBX_ELF_MAX_STRTAB long: library names sit together in
 * .dynstr, so this is one read instead of one per name. A string running
 * past the span, or every string when there is no span, elf_string()
 * reads alone. */
static void elf_strtab_span(const struct elf_src *src, struct elf_strtab *st, const uint64_t *idx,
			    size_t n)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (idx[i] >= st->size)
			continue; /* refused by elf_string() anyway */
		if (idx[i] < lo)
			lo = idx[i];
		if (idx[i] > hi)
			hi = idx[i];
	}
	if (lo == UINT64_MAX)
		return;
	hi = st->size - hi > SBX_ELF_SPAN_TAIL ? hi + SBX_ELF_SPAN_TAIL : st->size;
	if (hi - lo > SBX_ELF_MAX_STRTAB)
		return;
	st->span_p = elf_chunk_in(src, st->off + lo, (size_t)(hi - lo), st->scratch,
				  sizeof(st->scratch), &st->span);
	if (st->span_p) {
		st->span_lo = lo;
		st->span_len = (size_t)(hi - lo);
	}
}

/* Where the string at index stands in the span read by elf_strtab_span(). */
enum elf_in_span {
	ELF_SPAN_NONE,	   /* it does not start there */
	ELF_SPAN_ENDS,	   /* it ends there: *s, *len */
	ELF_SPAN_TOO_LONG, /* unterminated within the longest we accept */
	ELF_SPAN_PAST,	   /* it may end past the span (a long RUNPATH) */
};

static inline enum elf_in_span elf_span_string(const struct elf_strtab *st, uint64_t index,
					       const char **s, size_t *len)
{
	uint64_t avail, in_span;

	if (!st->span_p || index >= st->size || index < st->span_lo ||
	    index - st->span_lo >= st->span_len)
		return ELF_SPAN_NONE;
	avail = st->size - index < SBX_ELF_MAX_STRING ? st->size - index : SBX_ELF_MAX_STRING;
	in_span = st->span_len - (index - st->span_lo);
	if (in_span > avail)
		in_span = avail;
	*s = (const char *)st->span_p + (index - st->span_lo);
	*len = strnlen(*s, (size_t)in_span);
	if (*len < in_span)
		return ELF_SPAN_ENDS;
	return in_span == avail ? ELF_SPAN_TOO_LONG : ELF_SPAN_PAST;
}

static char *elf_string(const struct elf_src *src, struct elf_strtab *st, uint64_t index)
{
	const unsigned char *s;
	const char *in_span;
	unsigned char *owned = NULL;
	size_t avail, len, want = 256;
	char *r;

	if (index >= st->size)
		return NULL;
	switch (elf_span_string(st, index, &in_span, &len)) {
	case ELF_SPAN_ENDS:
		return sbx_xstrndup(in_span, len);
	case ELF_SPAN_TOO_LONG:
		return NULL;
	default:
		break; /* not read yet, or runs past the span: read it alone */
	}
	/* A large table: read around the one string, short first (library
	 * names are), then up to the longest we accept. */
	for (;;) {
		avail = st->size - index;
		if (avail > want)
			avail = want;
		s = elf_chunk(src, st->off + index, avail, &owned);
		if (!s)
			return NULL;
		len = strnlen((const char *)s, avail);
		if (len < avail || want >= SBX_ELF_MAX_STRING || avail < want)
			break;
		free(owned);
		want = SBX_ELF_MAX_STRING;
	}
	r = len < avail ? sbx_xstrndup((const char *)s, len) : NULL;
	free(owned);
	return r; /* NULL: unterminated, or longer than any path we accept */
}

/* The DT_NEEDED strings at idx[0..n) in one block (the pointers, then the
 * strings), when each ends inside the span as elf_string() would accept
 * it: one malloc per object instead of one per name. NULL otherwise. */
static char **elf_needed_packed(const struct elf_strtab *st, const uint64_t *idx, size_t n)
{
	size_t i, total = 0, len;
	const char *s;
	char **block, *at;

	if (!st->span_p || n == 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if (elf_span_string(st, idx[i], &s, &len) != ELF_SPAN_ENDS)
			return NULL; /* elf_string() decides: read further, or refuse */
		total += len + 1;
	}
	block = sbx_xmalloc(n * sizeof(*block) + total);
	at = (char *)(block + n);
	for (i = 0; i < n; i++) {
		s = (const char *)st->span_p + (idx[i] - st->span_lo);
		len = strlen(s);
		memcpy(at, s, len + 1);
		block[i] = at;
		at += len + 1;
	}
	return block;
}

/* Translates a virtual address into a file offset through PT_LOAD, and says
 * how many file bytes follow it in that segment. */
static bool elf_vaddr_to_off(const GElf_Phdr *loads, size_t n_loads, uint64_t vaddr, uint64_t *off,
			     uint64_t *avail)
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

/* Dynamic entries decoded without a malloc (real objects have 30 to 60). */
#define ELF_DYN_STACK 128

/* Decodes n dynamic entries with libelf (byte order, class), into
 * stack_out (ELF_DYN_STACK entries) when they fit, else into memory the
 * caller frees. */
static GElf_Dyn *elf_decode_dyn(const struct sbx_elf_lib *lib, Elf *elf, const unsigned char *raw,
				size_t n, unsigned char ei_class, unsigned char ei_data,
				GElf_Dyn *stack_out)
{
	size_t entsize = ei_class == ELFCLASS64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn);
	unsigned char stack_mem[ELF_DYN_STACK * sizeof(Elf64_Dyn)];
	bool small = n <= ELF_DYN_STACK;
	void *mem = small ? stack_mem : sbx_xcalloc(n, entsize);
	GElf_Dyn *out = small ? stack_out : sbx_xcalloc(n, sizeof(*out));
	Elf_Data src = {.d_buf = (void *)raw,
			.d_type = ELF_T_DYN,
			.d_size = n * entsize,
			.d_version = EV_CURRENT};
	Elf_Data dst = {
	    .d_buf = mem, .d_type = ELF_T_DYN, .d_size = n * entsize, .d_version = EV_CURRENT};
	size_t i;

	if (!lib->gelf_xlatetom(elf, &dst, &src, ei_data)) {
		if (!small) {
			free(mem);
			free(out);
		}
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (ei_class == ELFCLASS64) {
			const Elf64_Dyn *d = (const Elf64_Dyn *)mem + i;

			out[i].d_tag = d->d_tag;
			out[i].d_un.d_val = d->d_un.d_val;
		} else {
			const Elf32_Dyn *d = (const Elf32_Dyn *)mem + i;

			out[i].d_tag = d->d_tag;
			out[i].d_un.d_val = d->d_un.d_val;
		}
	}
	if (!small)
		free(mem);
	return out;
}

/* String indices kept without a malloc: DT_NEEDED entries, plus two. */
#define ELF_NEEDED_STACK 64

/* Doubles an index array that starts out as stack (ELF_NEEDED_STACK). */
static uint64_t *elf_grow_indices(uint64_t *idx, uint64_t *stack, size_t *cap)
{
	uint64_t *grown = sbx_xreallocarray(idx == stack ? NULL : idx, *cap * 2, sizeof(*idx));

	if (idx == stack)
		memcpy(grown, stack, *cap * sizeof(*idx));
	*cap *= 2;
	return grown;
}

/* A dynamic entry that names one value: the last of its tag wins, as in
 * ld.so's l_info[]. */
struct elf_dyn_ref {
	uint64_t val;
	bool set;
};

/* What the dynamic entries say, before any string is read. */
struct elf_dyn_tags {
	struct elf_dyn_ref strtab, soname, rpath, runpath;
	uint64_t strsz;
	/* DT_NEEDED string indices in file order: the caller's stack array
	 * (ELF_NEEDED_STACK) until it doubles, with two spare slots for
	 * elf_strtab_span(). */
	uint64_t *needed, *needed_stack;
	size_t n_needed, needed_cap;
};

/* Decodes PT_DYNAMIC, up to SBX_ELF_MAX_DYNAMIC bytes, into stack_out
 * (ELF_DYN_STACK entries) when it fits, else into memory the caller frees;
 * NULL (the file marked bad) when there is none to read. */
static GElf_Dyn *elf_load_dynamic(const struct sbx_elf_lib *lib, Elf *elf,
				  const struct elf_src *src, const GElf_Phdr *dyn_ph,
				  struct sbx_elf_info *out, GElf_Dyn *stack_out, size_t *n_out)
{
	uint64_t size = dyn_ph->p_filesz;
	size_t entsize = out->ei_class == ELFCLASS64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn), n;
	unsigned char raw_scratch[ELF_DYN_STACK * sizeof(Elf64_Dyn)];
	const unsigned char *raw;
	unsigned char *owned;
	GElf_Dyn *dyn;

	if (dyn_ph->p_offset >= src->size) {
		elf_bad(out, "dynamic segment beyond the end of the file");
		return NULL;
	}
	if (size > src->size - dyn_ph->p_offset)
		size = src->size - dyn_ph->p_offset;
	if (size > SBX_ELF_MAX_DYNAMIC)
		size = SBX_ELF_MAX_DYNAMIC;
	n = size / entsize;
	if (n == 0) {
		elf_bad(out, "empty dynamic segment");
		return NULL;
	}
	raw = elf_chunk_in(src, dyn_ph->p_offset, n * entsize, raw_scratch, sizeof(raw_scratch),
			   &owned);
	dyn = raw ? elf_decode_dyn(lib, elf, raw, n, out->ei_class, out->ei_data, stack_out) : NULL;
	free(owned);
	if (!dyn)
		elf_bad(out, "cannot read the dynamic segment");
	*n_out = n;
	return dyn;
}

/* Collects the entries up to DT_NULL into t (and DT_FLAGS_1 into out);
 * false, the file marked bad, past SBX_ELF_MAX_NEEDED DT_NEEDED entries. */
static bool elf_scan_dynamic(const GElf_Dyn *dyn, size_t n, struct elf_dyn_tags *t,
			     struct sbx_elf_info *out)
{
	/* The tags that name one value (the last wins), and where each is
	 * kept; the others are handled one by one below. */
	const struct {
		GElf_Sxword tag;
		struct elf_dyn_ref *ref;
	} refs[] = {
	    {DT_STRTAB, &t->strtab},
	    {DT_SONAME, &t->soname},
	    {DT_RPATH, &t->rpath},
	    {DT_RUNPATH, &t->runpath},
	};
	size_t i, k;

	for (i = 0; i < n && dyn[i].d_tag != DT_NULL; i++) {
		uint64_t val = dyn[i].d_un.d_val; /* d_ptr shares it */

		switch (dyn[i].d_tag) {
		case DT_NEEDED:
			if (t->n_needed == SBX_ELF_MAX_NEEDED) {
				elf_bad(out, "absurd number of DT_NEEDED entries");
				return false;
			}
			if (t->n_needed + 2 >= t->needed_cap)
				t->needed =
				    elf_grow_indices(t->needed, t->needed_stack, &t->needed_cap);
			t->needed[t->n_needed++] = val;
			break;
		case DT_STRSZ:
			t->strsz = val;
			break;
		case DT_FLAGS_1:
			out->flags_1 = val;
			break;
		default:
			for (k = 0; k < SBX_ARRAY_SIZE(refs); k++) {
				if (refs[k].tag == dyn[i].d_tag) {
					refs[k].ref->val = val;
					refs[k].ref->set = true;
				}
			}
			break;
		}
	}
	return true;
}

/* Locates the string table through PT_LOAD (bounded by DT_STRSZ) and
 * reads, in one go, the span holding every string the object names: its
 * DT_NEEDED names, DT_SONAME, and the one search path ld.so uses. */
static bool elf_open_strtab(const struct elf_src *src, const GElf_Phdr *loads, size_t n_loads,
			    struct elf_dyn_tags *t, struct elf_strtab *st, struct sbx_elf_info *out)
{
	size_t n_idx = t->n_needed;

	if (!t->strtab.set ||
	    !elf_vaddr_to_off(loads, n_loads, t->strtab.val, &st->off, &st->size)) {
		elf_bad(out, "DT_STRTAB outside the loaded segments");
		return false;
	}
	if (t->strsz && t->strsz < st->size)
		st->size = t->strsz;
	if (t->n_needed + 2 > t->needed_cap)
		t->needed = elf_grow_indices(t->needed, t->needed_stack, &t->needed_cap);
	if (t->soname.set)
		t->needed[n_idx++] = t->soname.val;
	if (t->runpath.set)
		t->needed[n_idx++] = t->runpath.val;
	else if (t->rpath.set)
		t->needed[n_idx++] = t->rpath.val;
	elf_strtab_span(src, st, t->needed, n_idx);
	return true;
}

/* The DT_NEEDED strings, into out->needed; false (the file marked bad)
 * when one is not in the table. */
static bool elf_read_needed(const struct elf_src *src, struct elf_strtab *st,
			    const struct elf_dyn_tags *t, struct sbx_elf_info *out)
{
	size_t i;

	if ((out->needed = elf_needed_packed(st, t->needed, t->n_needed))) {
		out->n_needed = t->n_needed;
		out->needed_packed = true;
	} else {
		out->needed = sbx_xcalloc(t->n_needed ? t->n_needed : 1, sizeof(*out->needed));
	}
	for (i = out->n_needed; i < t->n_needed; i++) {
		char *s = elf_string(src, st, t->needed[i]);

		if (!s) {
			elf_bad(out, "DT_NEEDED string outside the string table");
			return false;
		}
		out->needed[out->n_needed++] = s;
	}
	return true;
}

/* The string ref names, into *dst when it has one; the file is marked bad
 * (why) when it is not in the table. */
static void elf_read_named(const struct elf_src *src, struct elf_strtab *st,
			   const struct elf_dyn_ref *ref, char **dst, const char *why,
			   struct sbx_elf_info *out)
{
	if (ref->set && !(*dst = elf_string(src, st, ref->val)))
		elf_bad(out, why);
}

/* Every string the object names: DT_NEEDED, DT_SONAME and DT_RUNPATH, or
 * DT_RPATH when there is no DT_RUNPATH (ld.so ignores it then). */
static void elf_read_dyn_strings(const struct elf_src *src, const GElf_Phdr *loads, size_t n_loads,
				 struct elf_dyn_tags *t, struct sbx_elf_info *out)
{
	/* Field by field: an initializer would clear its scratch too. */
	struct elf_strtab st;

	st.off = st.size = st.span_lo = 0;
	st.span_len = 0;
	st.span = NULL;
	st.span_p = NULL;
	if (elf_open_strtab(src, loads, n_loads, t, &st, out) &&
	    elf_read_needed(src, &st, t, out)) {
		elf_read_named(src, &st, &t->soname, &out->soname,
			       "DT_SONAME string outside the string table", out);
		if (t->runpath.set)
			elf_read_named(src, &st, &t->runpath, &out->runpath,
				       "DT_RUNPATH string outside the string table", out);
		else
			elf_read_named(src, &st, &t->rpath, &out->rpath,
				       "DT_RPATH string outside the string table", out);
	}
	free(st.span);
}

static void elf_read_dynamic(const struct sbx_elf_lib *lib, Elf *elf, const struct elf_src *src,
			     const GElf_Phdr *dyn_ph, const GElf_Phdr *loads, size_t n_loads,
			     struct sbx_elf_info *out)
{
	uint64_t needed_stack[ELF_NEEDED_STACK];
	GElf_Dyn dyn_stack[ELF_DYN_STACK];
	struct elf_dyn_tags t = {
	    .needed = needed_stack, .needed_stack = needed_stack, .needed_cap = ELF_NEEDED_STACK};
	GElf_Dyn *dyn;
	size_t n = 0;

	dyn = elf_load_dynamic(lib, elf, src, dyn_ph, out, dyn_stack, &n);
	if (!dyn)
		return;
	out->has_dynamic = true;
	if (elf_scan_dynamic(dyn, n, &t, out) &&
	    (t.n_needed || t.soname.set || t.rpath.set || t.runpath.set))
		elf_read_dyn_strings(src, loads, n_loads, &t, out);
	if (dyn != dyn_stack)
		free(dyn);
	if (t.needed != needed_stack)
		free(t.needed);
}

static void elf_read_interp(const struct elf_src *src, const GElf_Phdr *ph,
			    struct sbx_elf_info *out)
{
	uint64_t size = ph->p_filesz;
	const unsigned char *p;
	unsigned char *owned;
	size_t len;

	if (ph->p_offset >= src->size || size == 0)
		return elf_bad(out, "PT_INTERP outside the file");
	if (size > src->size - ph->p_offset)
		size = src->size - ph->p_offset;
	if (size > SBX_ELF_MAX_INTERP)
		size = SBX_ELF_MAX_INTERP;
	p = elf_chunk(src, ph->p_offset, size, &owned);
	if (!p)
		return elf_bad(out, "cannot read PT_INTERP");
	len = strnlen((const char *)p, size);
	if (len == size || len == 0)
		elf_bad(out, "PT_INTERP is not a string");
	else
		out->interp = sbx_xstrndup((const char *)p, len);
	free(owned);
}

static void elf_read_phdrs(const struct sbx_elf_lib *lib, const struct elf_src *src, Elf *elf,
			   struct sbx_elf_info *out)
{
	GElf_Phdr *loads = NULL, dyn_ph = {0}, interp_ph = {0};
	bool have_dyn = false, have_interp = false;
	size_t i, n_loads = 0, phnum;
	GElf_Ehdr eh;

	if (lib->elf_kind(elf) != ELF_K_ELF || !lib->gelf_getehdr(elf, &eh))
		return elf_bad(out, "invalid ELF header");
	out->e_type = eh.e_type;
	out->e_machine = eh.e_machine;
	out->e_version = eh.e_version;
	out->e_phentsize = eh.e_phentsize;
	/* ld.so uses e_phnum as is (PN_XNUM was refused in elf_ident). */
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
		elf_read_interp(src, &interp_ph, out);
	if (have_dyn && dyn_ph.p_filesz)
		elf_read_dynamic(lib, elf, src, &dyn_ph, loads, n_loads, out);
out:
	free(loads);
}

/* The first read: the header and, usually, everything else we need. Keeps
 * the file's first bytes in out->head; returns how many were read. */
static size_t elf_read_window(struct elf_src *src, struct sbx_elf_info *out)
{
	size_t n = src->size < SBX_ELF_WINDOW ? (size_t)src->size : SBX_ELF_WINDOW;

	src->window = src->stack_window;
	if (!elf_src_read(src, 0, src->window, n))
		n = 0;
	src->window_len = n;
	out->head_len = n < SBX_ELF_HEAD ? n : SBX_ELF_HEAD;
	memcpy(out->head, src->window, out->head_len);
	return n;
}

/* Classifies the e_ident bytes of hdr (n of its 64 bytes read, the rest
 * zero) as open_verify() does; false when the file goes no further. */
static bool elf_check_ident(const unsigned char hdr[64], size_t n, struct sbx_elf_info *out)
{
	static const unsigned char zero[EI_NIDENT - EI_PAD];

	if (n < SELFMAG || memcmp(hdr, ELFMAG, SELFMAG) != 0) {
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
	return true;
}

/* Checks where the program headers lie (hdr: a valid 64-byte header) and
 * widens the window, bounded, when they end past it; false when the file
 * goes no further. */
static bool elf_check_phdrs(struct elf_src *src, const unsigned char hdr[64],
			    struct sbx_elf_info *out)
{
	bool is64 = hdr[EI_CLASS] == ELFCLASS64, be = hdr[EI_DATA] == ELFDATA2MSB;
	uint64_t phoff = elf_raw(hdr + (is64 ? 32 : 28), is64 ? 8 : 4, be);
	uint64_t phentsize = elf_raw(hdr + (is64 ? 54 : 42), 2, be);
	uint64_t phnum = elf_raw(hdr + (is64 ? 56 : 44), 2, be), end;
	size_t phsize;

	if (phentsize != (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr))) {
		elf_bad(out, "ELF file's phentsize not the expected size");
		return false;
	}
	if (phnum == PN_XNUM) {
		elf_bad(out, "program header count in section 0 (PN_XNUM)");
		return false;
	}
	phsize = (size_t)(phnum * phentsize);
	if (phoff > SBX_ELF_MAX_PHDR_END || phsize > SBX_ELF_MAX_PHDR_END - phoff) {
		elf_bad(out, "program headers beyond the first 4 MiB");
		return false;
	}
	end = phoff + phsize;
	if (end > src->size) {
		elf_bad(out, "cannot read file data");
		return false;
	}
	if (end > src->window_len) {
		/* Program headers past the first window: widen it (bounded). */
		src->window = sbx_xmalloc((size_t)end);
		src->window_len = 0;
		if (!elf_src_read(src, 0, src->window, (size_t)end)) {
			elf_bad(out, "cannot read file data");
			return false;
		}
		src->window_len = (size_t)end;
	}
	return true;
}

/* Classifies the identification bytes and reads the window; returns false
 * when libelf must not be asked to go further. */
static bool elf_ident(struct elf_src *src, struct sbx_elf_info *out)
{
	unsigned char hdr[64];
	size_t n = elf_read_window(src, out);
	bool is64;

	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, src->window, n < 64 ? n : 64);
	if (!elf_check_ident(hdr, n, out) || !elf_check_phdrs(src, hdr, out))
		return false;
	/* libelf is shown only the window, with the section header fields
	 * cleared: ld.so never reads sections, and libelf would otherwise
	 * demand a section table inside the window and allocate per declared
	 * section (up to 2^32 with extended numbering). */
	is64 = hdr[EI_CLASS] == ELFCLASS64;
	memset(src->window + (is64 ? 40 : 32), 0, is64 ? 8 : 4); /* e_shoff */
	memset(src->window + (is64 ? 60 : 48), 0, 4);		 /* e_shnum, e_shstrndx */
	return true;
}

static int elf_read(const struct sbx_elf_lib *lib, struct elf_src *src, struct sbx_elf_info *out)
{
	Elf *elf;

	memset(out, 0, sizeof(*out));
	if (elf_ident(src, out)) {
		elf = lib->elf_memory((char *)src->window, src->window_len);
		if (elf) {
			elf_read_phdrs(lib, src, elf, out);
			lib->elf_end(elf);
		} else {
			elf_bad(out, "not readable as ELF");
		}
	}
	if (src->window != src->stack_window)
		free(src->window);
	return 0;
}

int sbx_elf_read_fd(const struct sbx_elf_lib *lib, int fd, uint64_t size, struct sbx_elf_info *out,
		    struct sbx_error *err)
{
	struct elf_src src;

	(void)err; /* every outcome, even libelf failing, classifies the file */
	elf_src_init(&src, fd, NULL, size);
	return elf_read(lib, &src, out);
}

int sbx_elf_read_mem(const struct sbx_elf_lib *lib, const void *buf, size_t len,
		     struct sbx_elf_info *out, struct sbx_error *err)
{
	struct elf_src src;

	(void)err;
	elf_src_init(&src, -1, buf, len);
	return elf_read(lib, &src, out);
}
