/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backtraces by frame pointers (every Cairn object is built with
 * -fno-omit-frame-pointer): each frame holds the caller's %rbp, then the
 * return address. A corrupt chain must not fault again, so a frame is only
 * followed while it lies in RAM the boot information reports, is aligned,
 * and moves up the stack.
 *
 * The walk along the chain is lib/core's (<cairn/backtrace.h>); what is
 * this architecture's is finding the first frames of a trap.
 */
#include <stdbool.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/backtrace.h>
#include <cairn/panic.h>
#include <cairn/boot.h>
#include <cairn/plat.h>
#include <cairn/symbols.h>
#include "x86_64_priv.h"


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
	if (!cn_backtrace_in_ram(rsp, 8))
		return 0;
	ret = *(const uint64_t *)rsp;
	return cn_sym_lookup(ret - 1, &off) ? ret : 0;
}

void cn_x86_backtrace_trap(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
	uint64_t ret = frameless_return(rip, rsp);

	cn_crash_printf("Backtrace:\n");
	cn_backtrace_frame(0, rip);
	if (ret)
		cn_backtrace_frame(1, ret);
	cn_backtrace_walk(ret ? 2 : 1, rbp);
	cn_backtrace_names_hint(rip);
}

void cn_arch_backtrace(unsigned int skip)
{
	cn_backtrace_from((uint64_t)__builtin_frame_address(0), skip);
}
