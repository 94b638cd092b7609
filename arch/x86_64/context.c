/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * New thread stacks (the frame switch.S expects) and guard pages at any
 * address of the identity map: a 1 GiB or 2 MiB page is split into
 * CN_PAGE_SIZE pages the first time one of its pages becomes a guard
 * (or read-only).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/arch/x86_64.h>
#include "paging.h"

extern char cn_arch_thread_start[];

void *cn_arch_ctx_init(void *stack_top, void (*entry)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)((uintptr_t)stack_top & ~15ul);

	*--sp = (uint64_t)cn_arch_thread_start;	/* return address */
	*--sp = 0x202;				/* rflags: interrupts on */
	*--sp = 0;				/* rbp */
	*--sp = 0;				/* rbx */
	*--sp = (uint64_t)arg;			/* r12 */
	*--sp = (uint64_t)entry;		/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	*--sp = 0x037f00001f80ull;		/* fcw 0x37f, mxcsr 0x1f80 */
	return sp;
}

/* A table that maps the large page *entry with 512 smaller ones. */
static int split(uint64_t *entry, uint64_t step)
{
	uint64_t *t = cn_x86_pt_alloc();
	uint64_t base = *entry & PTE_ADDR_MASK & ~(step * PT_ENTRIES - 1);
	uint64_t flags = *entry & ~PTE_ADDR_MASK & ~PTE_PS;
	unsigned int i;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < PT_ENTRIES; i++)
		t[i] = (base + i * step) | flags |
		       (step > CN_PAGE_SIZE ? PTE_PS : 0);
	/* Keep NX on the leaves only; the directory entry allows all. */
	*entry = (uintptr_t)t | PTE_P | PTE_RW;
	return 0;
}

/* The 4 KiB entry mapping page, splitting large pages on the way. */
static int leaf_of(void *page, uint64_t **out)
{
	uint64_t a = (uintptr_t)page, *t;
	unsigned int shift;

	if (a & (CN_PAGE_SIZE - 1))
		return -EINVAL;
	t = cn_x86_pml4();
	for (shift = 39; shift > CN_PAGE_SHIFT; shift -= 9) {
		uint64_t *e = &t[(a >> shift) & 511];

		if (!(*e & PTE_P))
			return -EFAULT;
		if (shift < 39 && (*e & PTE_PS) && split(e, 1ull << (shift - 9)))
			return -ENOMEM;
		t = (uint64_t *)(uintptr_t)(*e & PTE_ADDR_MASK);
	}
	*out = &t[(a >> CN_PAGE_SHIFT) & 511];
	return 0;
}

int cn_arch_page_guard(void *page, int guard)
{
	uint64_t *t;
	int r = leaf_of(page, &t);

	if (r)
		return r;
	*t = guard ? *t & ~PTE_P : *t | PTE_P;
	__asm__ volatile("invlpg (%0)" : : "r"(page) : "memory");
	return 0;
}

/* CR0.WP (boot.S) makes a read-only entry read-only for ring 0 too. */
int cn_arch_page_readonly(void *page, int ro)
{
	uint64_t *t;
	int r = leaf_of(page, &t);

	if (r)
		return r;
	*t = ro ? *t & ~PTE_RW : *t | PTE_RW;
	__asm__ volatile("invlpg (%0)" : : "r"(page) : "memory");
	return 0;
}
