/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The page tables for images boot.S cannot map alone. boot.S already maps
 * 0-4 GiB with W^X for an image (and its boot stack guard) inside the
 * first 2 MiB: that is the usual case, and nothing is done here. An image
 * past 2 MiB, or RAM past 4 GiB, gets new tables at CN_INIT_MEM priority 1,
 * from cn_x86_pt_alloc() (pages of lib/pmem at that point):
 *
 *   - all RAM, and everything below 4 GiB (MMIO), identity-mapped read/write
 *     and no-execute, with 1 GiB pages where the CPU has them, else 2 MiB;
 *   - the image with 4 KiB pages, W^X: text read+execute, rodata read-only,
 *     data/bss read+write;
 *   - page 0 and the guard page under the boot stack not mapped, so a NULL
 *     access and a stack overflow fault with a report.
 *
 * boot.S has already turned on CR0.WP (read-only pages are read-only for
 * ring 0 too) and EFER.NXE (when the CPU has no-execute).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/alloc.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/pmem.h>
#include <cairn/arch/x86_64.h>
#include "paging.h"
#include "x86_64_priv.h"

#define GIB		(1ull << PT_1G_SHIFT)
#define MIB2		(1ull << PT_2M_SHIFT)
#define PAGE		((uint64_t)CN_PAGE_SIZE)

extern char __image_start[], __rodata_start[], __data_start[], __image_end[];
extern char cn_arch_boot_stack_guard[];

static uint64_t nx;		/* PTE_NX when the CPU has it, else 0 */
static int has_1g;

static size_t pt_heap_bytes;
static unsigned long pt_heap_tables;

size_t cn_arch_page_tables_on_heap(unsigned long *tables)
{
	if (tables)
		*tables = __atomic_load_n(&pt_heap_tables, __ATOMIC_RELAXED);
	return __atomic_load_n(&pt_heap_bytes, __ATOMIC_RELAXED);
}

uint64_t *cn_x86_pt_alloc(void)
{
	struct cn_alloc *heap;
	uint64_t *t = cn_pmem_alloc_pages(1);

	if (t)
		return t;
	heap = cn_alloc_default();
	t = heap ? cn_alloc_memalign(heap, CN_PAGE_SIZE, CN_PAGE_SIZE) : NULL;
	if (t) {
		memset(t, 0, CN_PAGE_SIZE);
		__atomic_fetch_add(&pt_heap_bytes,
				   cn_alloc_usable_size(heap, t),
				   __ATOMIC_RELAXED);
		__atomic_fetch_add(&pt_heap_tables, 1, __ATOMIC_RELAXED);
	}
	return t;
}

/* Flags of the 4 KiB page at addr, or 0 for "not mapped". */
static uint64_t small_page_flags(uint64_t addr)
{
	if (addr == 0 || addr == (uintptr_t)cn_arch_boot_stack_guard)
		return 0;
	if (addr >= (uintptr_t)__image_start &&
	    addr < (uintptr_t)__rodata_start)
		return PTE_P;				/* text: R X */
	if (addr >= (uintptr_t)__rodata_start &&
	    addr < (uintptr_t)__data_start)
		return PTE_P | nx;			/* rodata: R */
	return PTE_P | PTE_RW | nx;			/* data, bss, RAM */
}

/* Does [base, base + len) hold a page that needs its own 4 KiB entry? */
static int needs_small_pages(uint64_t base, uint64_t len)
{
	uint64_t guard = (uintptr_t)cn_arch_boot_stack_guard;

	return base == 0 ||
	       (base < (uintptr_t)__image_end &&
		base + len > (uintptr_t)__image_start) ||
	       (guard >= base && guard < base + len);
}

static int map_2m(uint64_t *pd, uint64_t base)
{
	unsigned int i, j;

	for (i = 0; i < 512; i++) {
		uint64_t a = base + i * MIB2;
		uint64_t *pt;

		if (!needs_small_pages(a, MIB2)) {
			pd[i] = a | PTE_P | PTE_RW | PTE_PS | nx;
			continue;
		}
		pt = cn_x86_pt_alloc();
		if (!pt)
			return -ENOMEM;
		for (j = 0; j < 512; j++) {
			uint64_t f = small_page_flags(a + j * PAGE);

			pt[j] = f ? (a + j * PAGE) | f : 0;
		}
		pd[i] = (uintptr_t)pt | PTE_P | PTE_RW;
	}
	return 0;
}

static int build(uint64_t *pml4, uint64_t end)
{
	uint64_t gib;

	for (gib = 0; gib * GIB < end; gib++) {
		uint64_t base = gib * GIB;
		unsigned int l4 = (unsigned int)(gib >> 9), l3 = gib & 511;
		uint64_t *pdpt, *pd;

		if (!pml4[l4]) {
			pdpt = cn_x86_pt_alloc();
			if (!pdpt)
				return -ENOMEM;
			pml4[l4] = (uintptr_t)pdpt | PTE_P | PTE_RW;
		}
		pdpt = (uint64_t *)(uintptr_t)(pml4[l4] & PTE_ADDR_MASK);
		if (has_1g && !needs_small_pages(base, GIB)) {
			pdpt[l3] = base | PTE_P | PTE_RW | PTE_PS | nx;
			continue;
		}
		pd = cn_x86_pt_alloc();
		if (!pd || map_2m(pd, base))
			return -ENOMEM;
		pdpt[l3] = (uintptr_t)pd | PTE_P | PTE_RW;
	}
	return 0;
}

/* Is there RAM above what boot.S maps? (No pmem scan for this.) */
static int ram_above_4g(void)
{
	const struct cn_bootinfo *bi = cn_bootinfo();
	unsigned int i;

	for (i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].type == CN_MEM_RAM &&
		    bi->mem[i].start + bi->mem[i].size > 4 * GIB)
			return 1;
	return 0;
}

static int paging_init(void)
{
	uint32_t r[4] = { 0 };
	uint64_t end;
	uint64_t *pml4;
	int rc;

	if ((uintptr_t)__image_end <= MIB2 && !ram_above_4g()) {
		cn_pr_debug("page tables: the boot tables (4 GiB, W^X image)");
		return 0;
	}
	end = cn_pmem_ram_end();
	pml4 = cn_x86_pt_alloc();
	if (!pml4)
		return -ENOMEM;
	if (cn_x86_cpuid_max(0x80000000u) >= 0x80000001u)
		cn_x86_cpuid(0x80000001u, 0, r);
	if (r[3] & (1u << 20))
		nx = PTE_NX;		/* boot.S turned EFER.NXE on */
	has_1g = !!(r[3] & (1u << 26));
	if (end < 4 * GIB)
		end = 4 * GIB;
	rc = build(pml4, end);
	if (rc)
		return rc;
	__asm__ volatile("mov %0, %%cr3" : : "r"((uintptr_t)pml4) : "memory");
	cn_pr_debug("page tables: %llu GiB mapped with %s pages, W^X image, "
		    "NX %s", (unsigned long long)(end / GIB),
		    has_1g ? "1 GiB" : "2 MiB", nx ? "on" : "not available");
	return 0;
}
CN_INIT_REQUIRED_PRIO(paging_init, CN_INIT_MEM, 1);

int cn_x86_is_stack_guard(uint64_t addr)
{
	uint64_t g = (uintptr_t)cn_arch_boot_stack_guard;

	return addr >= g && addr < g + PAGE;
}

/*
 * Device registers above 4 GiB (a 64-bit PCI BAR): identity-mapped with
 * 2 MiB pages, read/write, no-execute, into the tables in force. Below
 * 4 GiB everything is mapped already (boot.S or paging_init()).
 */
void *cn_arch_map_mmio(uint64_t phys, uint64_t size)
{
	uint64_t a, end = phys + size;
	uint64_t *pml4;

	if (!size || end < phys)
		return NULL;
	if (end <= 4 * GIB)
		return (void *)(uintptr_t)phys;
	pml4 = cn_x86_pml4();
	for (a = CN_ALIGN_DOWN(phys, MIB2); a < end; a += MIB2) {
		uint64_t *pdpt, *pd;
		unsigned int l4 = (a >> 39) & 511, l3 = (a >> 30) & 511;
		unsigned int l2 = (a >> 21) & 511;

		if (a >> 48)
			return NULL;
		if (!pml4[l4]) {
			if (!(pdpt = cn_x86_pt_alloc()))
				return NULL;
			pml4[l4] = (uintptr_t)pdpt | PTE_P | PTE_RW;
		}
		pdpt = (uint64_t *)(uintptr_t)(pml4[l4] & PTE_ADDR_MASK);
		if (pdpt[l3] & PTE_PS)
			continue;		/* a 1 GiB page covers it */
		if (!pdpt[l3]) {
			if (!(pd = cn_x86_pt_alloc()))
				return NULL;
			pdpt[l3] = (uintptr_t)pd | PTE_P | PTE_RW;
		}
		pd = (uint64_t *)(uintptr_t)(pdpt[l3] & PTE_ADDR_MASK);
		if (!pd[l2])
			pd[l2] = a | PTE_P | PTE_RW | PTE_PS | nx;
	}
	/* Reloading CR3 flushes the TLB of the old "not present" entries. */
	__asm__ volatile("mov %0, %%cr3" : : "r"((uintptr_t)pml4) : "memory");
	return (void *)(uintptr_t)phys;
}
