/* SPDX-License-Identifier: Apache-2.0 */
/* The static front's entry point (x86-64): before glibc's _start, map the
 * whole image and the stack below with a few madvise calls, so that the C
 * library's static start-up and the run path find their pages already
 * mapped instead of taking one page fault per page or 64 KiB window
 * (docs/perf.md §2, "The static front's layout"). It changes no
 * protection, no content and nothing the program decides; on a kernel
 * without MADV_POPULATE_* (before 5.14) or under a filter that refuses
 * madvise, the calls fail and the faults happen as before.
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
/* The run path reaches 2-3 pages below the entry's frame (page faults
 * recorded with perf); a little more for longer paths and more rules. */
#define STACK_AHEAD (6 * IMAGE_PAGE)

/* The image's first byte (its ELF header) and the end of its .bss. */
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
extern char _end[] __attribute__((visibility("hidden")));

/* Never instrumented, whatever the flags: its canary would be read from
 * TLS, which does not exist yet. */
#define BEFORE_START __attribute__((no_stack_protector))

void sbx_static_populate(void) __attribute__((visibility("hidden"), used));

BEFORE_START static void populate(uintptr_t start, uintptr_t end, long advice)
{
	sbx_raw_syscall(SYS_madvise, (long)start, (long)(end - start), advice, 0, 0);
}

/* The first writable byte of the image: the lowest writable PT_LOAD. */
BEFORE_START static uintptr_t writable_start(uintptr_t base)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + __ehdr_start.e_phoff);
	uintptr_t lowest = 0;
	for (unsigned i = 0; i < __ehdr_start.e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_W))
			continue;
		uintptr_t at = base + ph[i].p_vaddr;
		if (!lowest || at < lowest)
			lowest = at;
	}
	return lowest;
}

BEFORE_START void sbx_static_populate(void)
{
	uintptr_t base = (uintptr_t)&__ehdr_start;
	uintptr_t end = ((uintptr_t)_end + IMAGE_PAGE - 1) & ~(IMAGE_PAGE - 1);
	/* The ELF header first, which the search for the writable part reads
	 * (one call, cheaper than its fault). */
	populate(base, base + IMAGE_PAGE, MADV_POPULATE_READ);
	uintptr_t rw = writable_start(base) & ~(IMAGE_PAGE - 1);
	if (rw <= base || rw >= end)
		return;
	/* Relocations, code and read-only data, from the page cache. */
	populate(base + IMAGE_PAGE, rw, MADV_POPULATE_READ);
	/* The writable part: copied (data, RELRO before its mprotect) or
	 * zeroed (.bss), as its first writes would. */
	populate(rw, end, MADV_POPULATE_WRITE);
	/* The stack the run path reaches below this frame. */
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0) & ~(IMAGE_PAGE - 1);
	populate(sp - STACK_AHEAD, sp, MADV_POPULATE_WRITE);
}

/* The kernel enters here with %rsp at argc and %rdx the loader's exit
 * hook (none for a static program); both go on to glibc's _start as they
 * came. %rsp is 16-byte aligned at entry, so the call leaves the callee
 * the alignment the ABI gives it; %r12 is preserved across the call. */
__asm__(".text\n"
	".globl sbx_static_entry\n"
	".type sbx_static_entry, @function\n"
	"sbx_static_entry:\n"
	"	mov %rdx, %r12\n"
	"	call sbx_static_populate\n"
	"	mov %r12, %rdx\n"
	"	jmp _start\n"
	".size sbx_static_entry, . - sbx_static_entry\n");
