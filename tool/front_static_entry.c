/* SPDX-License-Identifier: Apache-2.0 */
/* The static front's entry point (x86-64): before glibc's _start, map with
 * a few madvise calls the parts of the image and of the stack that a run
 * touches, and the vDSO's first page, so that the C library's static
 * start-up and the run path find their pages already mapped instead of
 * taking one page fault per page or 64 KiB window (docs/perf.md §2, "The
 * static front's layout" and "Only what a run touches"). The rest (the
 * code of the other modes, the unwind tables, the large buffers of .bss)
 * stays for a fault to map, as without this entry: populating it cost
 * more than the faults it saved, and its anonymous pages were freed again
 * at the exec. It changes no protection, no content and nothing the
 * program decides; on a kernel without MADV_POPULATE_* (before 5.14) or
 * under a filter that refuses madvise, the calls fail and the faults
 * happen as before.
 *
 * It runs before the binary has relocated itself and before TLS exists,
 * so this file is built without the stack protector (its canary lives in
 * TLS) and reaches only hidden, linker-defined symbols, addressed relative
 * to the instruction pointer: no relocation, no libc. */
#include <elf.h>
#include <linux/mman.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "engine/raw_syscall.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define IMAGE_PAGE 4096UL
/* The run path reaches 3 pages below the entry's frame (page faults
 * recorded with perf); one more for longer paths and more rules. */
#define STACK_AHEAD (4 * IMAGE_PAGE)

/* The image's first byte (its ELF header); the end of the code a run
 * executes, placed first in the text, and the start of the large .bss
 * buffers a run does not touch, placed last (both defined in
 * tool/front_static_hot.ld, written by scripts/cli_hot_text.sh). */
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
extern char sbx_run_path_end[] __attribute__((visibility("hidden")));
extern char sbx_cold_bss_start[] __attribute__((visibility("hidden")));

/* Never instrumented, whatever the flags: its canary would be read from
 * TLS, which does not exist yet. */
#define BEFORE_START __attribute__((no_stack_protector))

void sbx_static_populate(const long *initial_sp) __attribute__((visibility("hidden"), used));

BEFORE_START static uintptr_t page_down(uintptr_t at)
{
	return at & ~(IMAGE_PAGE - 1);
}

BEFORE_START static uintptr_t page_up(uintptr_t at)
{
	return (at + IMAGE_PAGE - 1) & ~(IMAGE_PAGE - 1);
}

BEFORE_START static void populate(uintptr_t start, uintptr_t end, long advice)
{
	if (start < end)
		sbx_raw_syscall(SYS_madvise, (long)start, (long)(end - start), advice, 0, 0);
}

/* Where the read-only data and the writable part of the image start and
 * where the read-only data a run reads ends, from the program headers:
 * the read-only data is the lowest PT_LOAD that is neither executable nor
 * writable above the code, and ends where the unwind tables begin
 * (PT_GNU_EH_FRAME, which the default link places right after .rodata);
 * the writable part is the lowest writable PT_LOAD. 0 for what is not
 * found. */
struct image_parts {
	uintptr_t rodata, rodata_end, writable;
};

BEFORE_START static struct image_parts find_parts(uintptr_t base, uintptr_t text_end)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + __ehdr_start.e_phoff);
	struct image_parts parts = {0, 0, 0};
	uintptr_t unwind = 0;
	for (unsigned i = 0; i < __ehdr_start.e_phnum; i++) {
		uintptr_t at = base + ph[i].p_vaddr;
		if (ph[i].p_type == PT_GNU_EH_FRAME)
			unwind = at;
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_flags & PF_W) {
			if (!parts.writable || at < parts.writable)
				parts.writable = at;
		} else if (!(ph[i].p_flags & PF_X) && at >= text_end &&
			   (!parts.rodata || at < parts.rodata)) {
			parts.rodata = at;
			parts.rodata_end = at + ph[i].p_memsz;
		}
	}
	if (unwind > parts.rodata && unwind < parts.rodata_end)
		parts.rodata_end = unwind;
	return parts;
}

/* The vDSO's first page, which glibc's start-up reads (its ELF header):
 * found in the auxiliary vector, after argv and envp on the initial
 * stack. */
BEFORE_START static uintptr_t find_vdso(const long *initial_sp)
{
	const long *word = initial_sp + 1 + initial_sp[0] + 1;

	while (*word)
		word++;
	for (word++; word[0] != AT_NULL; word += 2)
		if (word[0] == AT_SYSINFO_EHDR)
			return (uintptr_t)word[1];
	return 0;
}

BEFORE_START void sbx_static_populate(const long *initial_sp)
{
	uintptr_t base = (uintptr_t)&__ehdr_start;
	uintptr_t run_path_end = page_up((uintptr_t)sbx_run_path_end);
	uintptr_t cold_bss = page_up((uintptr_t)sbx_cold_bss_start);
	/* The headers and relocations, then the code the run executes, from
	 * the page cache: they are contiguous, the run path being first in
	 * the text. */
	populate(base, run_path_end, MADV_POPULATE_READ);
	uintptr_t vdso = find_vdso(initial_sp);
	if (vdso)
		populate(page_down(vdso), page_down(vdso) + IMAGE_PAGE, MADV_POPULATE_READ);
	struct image_parts parts = find_parts(base, run_path_end);
	if (!parts.rodata || !parts.writable || parts.writable >= cold_bss)
		return;
	/* The read-only data (about a third of .rodata is read, spread
	 * over it), without the unwind tables. */
	populate(page_down(parts.rodata), page_up(parts.rodata_end), MADV_POPULATE_READ);
	/* The writable part up to the large .bss buffers: copied (data,
	 * RELRO before its mprotect) or zeroed (.bss), as its first writes
	 * would. */
	populate(page_down(parts.writable), cold_bss, MADV_POPULATE_WRITE);
	/* The stack the run path reaches below this frame. */
	uintptr_t sp = page_down((uintptr_t)__builtin_frame_address(0));
	populate(sp - STACK_AHEAD, sp, MADV_POPULATE_WRITE);
}

/* The kernel enters here with %rsp at argc (the initial stack: argc, argv,
 * envp, the auxiliary vector) and %rdx the loader's exit hook (none for a
 * static program); both go on to glibc's _start as they came. %rsp is
 * 16-byte aligned at entry, so the call leaves the callee the alignment
 * the ABI gives it; %r12 is preserved across the call. */
__asm__(".text\n"
	".globl sbx_static_entry\n"
	".type sbx_static_entry, @function\n"
	"sbx_static_entry:\n"
	"	mov %rdx, %r12\n"
	"	mov %rsp, %rdi\n"
	"	call sbx_static_populate\n"
	"	mov %r12, %rdx\n"
	"	jmp _start\n"
	".size sbx_static_entry, . - sbx_static_entry\n");
