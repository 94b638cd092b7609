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
#include <cairn/biglock.h>
#include <cairn/cpu.h>
#include <cairn/panic.h>
#include "paging.h"

extern char cn_arch_thread_start[];

void *cn_arch_ctx_init(void *stack_top, void (*entry)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)((uintptr_t)stack_top & ~15ul);

	*--sp = (uint64_t)cn_arch_thread_start;	/* return address */
	*--sp = 0x002;				/* rflags: interrupts off */
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

static void invlpg(void *page)
{
	__asm__ volatile("invlpg (%0)" : : "r"(page) : "memory");
}

/*
 * A TLB is per CPU and invlpg only empties this CPU's entry: another CPU
 * that used the page keeps the old translation, so it could still write
 * a page just made read-only or a guard, or fault on one just made
 * writable. With SMP the entry is therefore emptied on every online CPU
 * (a shootdown): a call IPI to each, then a wait for all of them. Making
 * a page present needs none (x86 never caches a not-present entry), so
 * freeing a thread's stack from the scheduler costs nothing.
 *
 * Interrupts stay off throughout, so this thread cannot move to a CPU it
 * has already counted as done; while waiting it runs calls posted to its
 * own CPU, so two CPUs shooting down at once do not wait for each other.
 * It cannot wait while holding the big lock (a CPU spinning for it has
 * interrupts off): no caller does, and one that did would be a bug that
 * is reported rather than left as a stale TLB.
 */
#ifdef CONFIG_SMP
static void flush_here(void *page)
{
	invlpg(page);
}

static void flush_everywhere(void *page)
{
	unsigned long flags;
	unsigned int cpu, self, n = cn_cpu_count();

	if (cn_cpu_online() < 2) {
		invlpg(page);
		return;
	}
	if (cn_big_depth())
		cn_panic("page %p changed under the big lock: other CPUs' "
			 "TLBs cannot be emptied from there", page);
	flags = cn_arch_irq_save();
	self = cn_cpu_id();
	invlpg(page);
	for (cpu = 0; cpu < n; cpu++)
		if (cpu != self)
			cn_cpu_call_async(cpu, flush_here, page);
	for (cpu = 0; cpu < n; cpu++)
		if (cpu != self && cn_cpus[cpu].state == CN_CPU_ONLINE)
			while (__atomic_load_n(&cn_cpus[cpu].call_done,
					       __ATOMIC_ACQUIRE) !=
			       __atomic_load_n(&cn_cpus[cpu].call_seq,
					       __ATOMIC_ACQUIRE)) {
				cn_cpu_run_calls();
				cn_arch_cpu_relax();
			}
	cn_arch_irq_restore(flags);
}
#else
static void flush_everywhere(void *page)
{
	invlpg(page);
}
#endif

int cn_arch_page_guard(void *page, int guard)
{
	uint64_t *t;
	int r = leaf_of(page, &t);

	if (r)
		return r;
	*t = guard ? *t & ~PTE_P : *t | PTE_P;
	if (guard)
		flush_everywhere(page);
	else
		invlpg(page);
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
	flush_everywhere(page);
	return 0;
}
