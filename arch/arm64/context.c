/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * New thread stacks: the frame switch.S expects, with thread_start as the
 * link register and interrupts unmasked (DAIF 0). Guard pages are in
 * mmu.c.
 */
#include <stdint.h>
#include <cairn/arch.h>

extern char cn_arch_thread_start[];

void *cn_arch_ctx_init(void *stack_top, void (*entry)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)((uintptr_t)stack_top & ~15ul);
	unsigned int i;

	sp -= 22;			/* 176 bytes, see switch.S */
	for (i = 0; i < 22; i++)
		sp[i] = 0;
	sp[0] = (uint64_t)arg;		/* x19 */
	sp[1] = (uint64_t)entry;	/* x20 */
	sp[10] = 0;			/* x29: the end of backtraces */
	sp[11] = (uint64_t)cn_arch_thread_start;	/* x30 */
	sp[20] = 0x80;			/* DAIF: I set, interrupts off */
	sp[21] = 0;			/* FPCR: round to nearest */
	return sp;
}
