/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to arch/x86_64: the page-table entry bits, written once for
 * boot.S (the boot tables), paging.c (the tables for large images and RAM
 * past 4 GiB, MMIO mappings) and context.c (guard pages), and the one
 * allocator every page table after boot.S's comes from.
 */
#ifndef X86_64_PAGING_H
#define X86_64_PAGING_H

#ifdef __ASSEMBLY__
#define PTE_BIT(n)	(1 << (n))
#else
#define PTE_BIT(n)	(1ull << (n))
#endif

#define PTE_P		PTE_BIT(0)	/* present */
#define PTE_RW		PTE_BIT(1)	/* writable */
#define PTE_PS		PTE_BIT(7)	/* large page (in a PD or PDPT) */
/* 2 MiB and 1 GiB pages: the sizes a PD and a PDPT entry map. */
#define PT_2M_SHIFT	21
#define PT_1G_SHIFT	30
#define PT_ENTRIES	512
/* A table's bytes (512 entries of 8), and the page size it maps at its
 * lowest level: CN_ARCH_PAGE_SHIFT in cairn/arch/page.h is the same 12. */
#define PT_SIZE		4096
#define PT_PAGE_SIZE	PT_SIZE

#ifndef __ASSEMBLY__
#include <stdint.h>

#define PTE_NX		(1ull << 63)	/* no execute (EFER.NXE on) */
/* The physical address a (non-leaf or 4 KiB) entry points at. */
#define PTE_ADDR_MASK	0x000ffffffffff000ull

/*
 * A zeroed, page-aligned page for a page table: from lib/pmem while it
 * still hands out pages (paging_init runs before the heap exists), from
 * the default allocator afterwards (guard pages, MMIO past 4 GiB).
 * NULL when neither has one.
 */
uint64_t *cn_x86_pt_alloc(void);

/* The top-level table (PML4) in force. */
static inline uint64_t *cn_x86_pml4(void)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	return (uint64_t *)(uintptr_t)(cr3 & PTE_ADDR_MASK);
}
#endif

#endif
