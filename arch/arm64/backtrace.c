/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backtraces by frame records (every Cairn object is built with
 * -fno-omit-frame-pointer): x29 points at a pair {caller's x29, return
 * address}. A corrupt chain must not fault again, so a record is only
 * followed while it lies in RAM the boot information reports, is
 * aligned, and moves up the stack.
 *
 * The walk along the chain is lib/core's (<cairn/backtrace.h>); what is
 * this architecture's is finding the first frames of a trap.
 */
#include <stdbool.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/backtrace.h>
#include <cairn/boot.h>
#include <cairn/panic.h>
#include <cairn/plat.h>
#include <cairn/symbols.h>
#include "arm64_priv.h"

/* stp x29, x30, [sp, #-n]! : the usual first instruction of a frame. */
#define STP_FP_LR_PRE	0xa9807bfdu
#define STP_MASK	0xffc07fffu

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
	cn_backtrace_frame(0, pc);
	if (leaf)
		cn_backtrace_frame(1, lr);
	cn_backtrace_walk(leaf ? 2 : 1, fp);
	cn_backtrace_names_hint(pc);
}

void cn_arch_backtrace(unsigned int skip)
{
	cn_backtrace_from((uint64_t)__builtin_frame_address(0), skip);
}
