/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backtraces by frame records (every Cairn object is built with
 * -fno-omit-frame-pointer): x29 points at a pair {caller's x29, return
 * address}. A corrupt chain must not fault again, so a record is only
 * followed while it lies in RAM the boot information reports, is
 * aligned, and moves up the stack.
 */
#include <stdbool.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/panic.h>
#include <cairn/plat.h>
#include <cairn/symbols.h>
#include "arm64_priv.h"

#define MAX_FRAMES 32
/* stp x29, x30, [sp, #-n]! : the usual first instruction of a frame. */
#define STP_FP_LR_PRE	0xa9807bfdu
#define STP_MASK	0xffc07fffu

static bool in_ram(uint64_t addr, uint64_t len)
{
	const struct cn_bootinfo *bi = cn_bootinfo();
	unsigned int i;

	if (addr < 4096)
		return false;
	if (!bi)		/* before the platform: trust the boot stack */
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
	/* A return address points after the call: look up the call. */
	const char *fn = cn_sym_lookup(n ? addr - 4 : addr, &off);

	if (fn)
		cn_crash_printf("  #%-2u 0x%016llx %s+0x%lx\n", n,
				(unsigned long long)addr, fn,
				(unsigned long)(n ? off + 4 : off));
	else
		cn_crash_printf("  #%-2u 0x%016llx ?\n", n,
				(unsigned long long)addr);
}

static void walk(unsigned int n, uint64_t fp)
{
	while (n < MAX_FRAMES && fp && !(fp & 7) && in_ram(fp, 16)) {
		uint64_t next = ((const uint64_t *)fp)[0];
		uint64_t ret = ((const uint64_t *)fp)[1];

		if (!ret)
			break;
		print_frame(n++, ret);
		if (next <= fp)
			break;
		fp = next;
	}
}

/*
 * Is lr the caller of pc's function, not yet saved in a frame record? So
 * when the function has no record (a leaf) or the fault hit before its
 * record was complete (stp x29, x30 and mov x29, sp: 8 bytes). Not when
 * lr points into pc's own function (it has made calls since).
 */
static bool lr_is_caller(uint64_t pc, uint64_t lr)
{
	uintptr_t off, loff;
	const char *fn = cn_sym_lookup(pc, &off);
	const char *lfn = cn_sym_lookup(lr - 4, &loff);
	const uint32_t *insn;

	if (!lfn)
		return false;
	if (!fn)		/* a jump to a bad address: lr is the caller */
		return true;
	if (pc - off == lr - 4 - loff)
		return false;
	insn = (const uint32_t *)(pc - off);
	return (insn[0] & STP_MASK) != STP_FP_LR_PRE || off < 8;
}

void cn_arm64_backtrace_trap(uint64_t pc, uint64_t lr, uint64_t fp)
{
	bool leaf = lr_is_caller(pc, lr);

	cn_crash_printf("Backtrace:\n");
	print_frame(0, pc);
	if (leaf)
		print_frame(1, lr);
	walk(leaf ? 2 : 1, fp);
	if (!cn_sym_lookup(pc, 0))
		cn_crash_printf("  (no names in this image: addr2line -f -e "
				"<app>.elf <address>)\n");
}

void cn_arch_backtrace(unsigned int skip)
{
	uint64_t fp = (uint64_t)__builtin_frame_address(0);

	while (skip-- && fp && in_ram(fp, 16))
		fp = ((const uint64_t *)fp)[0];
	if (!fp || !in_ram(fp, 16))
		return;
	cn_crash_printf("Backtrace:\n");
	walk(0, fp);
}
