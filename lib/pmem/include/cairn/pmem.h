/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Physical memory: the RAM the boot information reports, minus the image,
 * the initrd and page 0, as a list of free ranges (page aligned). Early
 * code (page tables) takes whole pages from it with cn_pmem_alloc_pages();
 * the heap set-up then takes every range that is left with
 * cn_pmem_take_ranges(), after which the page allocator of record is the
 * default allocator (cn_alloc_memalign(..., CN_PAGE_SIZE, ...)).
 *
 * Valid from the first init level after the command line on (the ranges
 * are computed on first use); boot thread only.
 */
#ifndef CAIRN_PMEM_H
#define CAIRN_PMEM_H

#include <stddef.h>
#include <stdint.h>
#include <cairn/arch.h>

#define CN_PMEM_PAGE ((unsigned int)CN_PAGE_SIZE)
#define CN_PMEM_MAX_RANGES 32
/* Early pages come from below this: the boot page tables map 0-4 GiB. */
#define CN_PMEM_EARLY_LIMIT (1ull << 32)

struct cn_pmem_range {
	uintptr_t start;	/* page aligned */
	size_t size;		/* multiple of the page size, > 0 */
};

/*
 * npages zeroed, page-aligned pages below CN_PMEM_EARLY_LIMIT (so mapped
 * by the boot page tables), from the top of the largest free range there.
 * NULL when no range has that much (or after the heap took the ranges).
 */
void *cn_pmem_alloc_pages(size_t npages);

/*
 * Hands out every free range (once): copies them into out (at most max)
 * and returns how many. Later calls, and cn_pmem_alloc_pages(), get
 * nothing.
 */
unsigned int cn_pmem_take_ranges(struct cn_pmem_range *out, unsigned int max);

/* Bytes of RAM the boot information reports (usable, before anything). */
uint64_t cn_pmem_ram_total(void);

/* Highest RAM address + 1: what the page tables must cover. */
uint64_t cn_pmem_ram_end(void);

#endif
