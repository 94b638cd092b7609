/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backtraces by frame pointers (every Cairn object is built with
 * -fno-omit-frame-pointer): each frame holds the caller's %rbp, then the
 * return address. A corrupt chain must not fault again, so a frame is only
 * followed while it lies in RAM the boot information reports, is aligned,
 * and moves up the stack.
 */
#include <stdbool.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/panic.h>
#include <cairn/boot.h>
#include <cairn/plat.h>
#include <cairn/symbols.h>
#include "x86_64_priv.h"

#define MAX_FRAMES 32

static bool in_ram(uint64_t addr, uint64_t len)
{
	const struct cn_bootinfo *bi = cn_bootinfo();
	unsigned int i;

	if (addr < CN_PAGE_SIZE)
		return false;
	if (!bi)		/* before the platform: trust the boot stack only */
		return true;
	for (i = 0; i < bi->nr_mem; i++) {
		const struct cn_mem_region *r = &bi->mem[i];

		if (r->type == CN_MEM_RAM && addr >= r->start &&
		    addr + len <= r->start + r->size)
			return true;
	}
	return false;
}

static void print_frame(unsigned int n, uint64_t addr)
{
	uintptr_t off;
	/* A return address points after the call: look up the call itself. */
	const char *fn = cn_sym_lookup(n ? addr - 1 : addr, &off);

	if (fn)
		cn_crash_printf("  #%-2u 0x%016llx %s+0x%lx\n", n,
				(unsigned long long)addr, fn,
				(unsigned long)(n ? off + 1 : off));
	else
		cn_crash_printf("  #%-2u 0x%016llx ?\n", n,
				(unsigned long long)addr);
}

/* Prints the frames above rbp, numbering from n. */
static void walk(unsigned int n, uint64_t rbp)
{
	while (n < MAX_FRAMES && rbp && !(rbp & 7) && in_ram(rbp, 16)) {
		uint64_t next = ((const uint64_t *)rbp)[0];
		uint64_t ret = ((const uint64_t *)rbp)[1];

		if (!ret)
			break;
		print_frame(n++, ret);
		if (next <= rbp)
			break;
		rbp = next;
	}
}

/*
 * GCC leaves the frame out of some leaf functions even with frame pointers
 * on, and a fault can hit before the prologue has run. In both cases %rbp
 * still holds the caller's frame and the return address is at the top of
 * the stack: [rsp] before `push %rbp`, [rsp + 8] right after it. Returns
 * that address, or 0 when rip's function has its frame set up.
 */
static uint64_t frameless_return(uint64_t rip, uint64_t rsp)
{
	static const uint8_t prologue[4] = { 0x55, 0x48, 0x89, 0xe5 };
	const uint8_t *fn;
	uintptr_t off;
	uint64_t ret;
	unsigned int i;

	if (!cn_sym_lookup(rip, &off))
		return 0;
	fn = (const uint8_t *)(rip - off);
	for (i = 0; i < 4 && fn[i] == prologue[i]; i++)
		;
	if (i == 4 && off >= 4)
		return 0;
	if (i == 4 && off == 1)
		rsp += 8;
	else if (i == 4 && off != 0)
		return 0;		/* between push and mov: rbp not set */
	if (!in_ram(rsp, 8))
		return 0;
	ret = *(const uint64_t *)rsp;
	return cn_sym_lookup(ret - 1, &off) ? ret : 0;
}

void cn_x86_backtrace_trap(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
	uint64_t ret = frameless_return(rip, rsp);

	cn_crash_printf("Backtrace:\n");
	print_frame(0, rip);
	if (ret)
		print_frame(1, ret);
	walk(ret ? 2 : 1, rbp);
	if (!cn_sym_lookup(rip, 0))
		cn_crash_printf("  (no names in this image: addr2line -f -e "
				"<app>.elf <address>)\n");
}

void cn_arch_backtrace(unsigned int skip)
{
	uint64_t rbp = (uint64_t)__builtin_frame_address(0);

	/* Walk past our own frame and `skip` callers first. */
	while (skip-- && rbp && in_ram(rbp, 16))
		rbp = ((const uint64_t *)rbp)[0];
	if (!rbp || !in_ram(rbp, 16))
		return;
	cn_crash_printf("Backtrace:\n");
	walk(0, rbp);
}
