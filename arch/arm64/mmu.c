/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MMU, turned on by boot.S before any other C code runs (with the MMU
 * off every data access is Device memory, where an unaligned access
 * faults: C code must not run that way for long). 4 KiB granule, 39-bit
 * addresses (three levels, starting with 1 GiB entries), identity map:
 *
 *   0 - 1 GiB       device memory (QEMU virt's GIC, UART, RTC, virtio-mmio,
 *                   PCIe windows), no-execute; its first 2 MiB (flash on
 *                   virt, and page 0) are not mapped, so NULL faults
 *   1 - 256 GiB     RAM: normal write-back memory, read/write, no-execute,
 *                   with 2 MiB blocks in the first GiB and 1 GiB above
 *   the image       W^X: text read-only and executable, rodata read-only,
 *                   data/bss read/write; 2 MiB blocks inside a part, 4 KiB
 *                   pages where parts meet; the page under the boot stack
 *                   not mapped (stack overflow faults)
 *   256 - 512 GiB   device memory (virt's high PCIe ECAM and windows)
 *
 * SCTLR_EL1.WXN is set as well: a writable page is never executable,
 * whatever its entry says. Called with the caches off; QEMU keeps no
 * stale lines, real hardware would want the tables cleaned to the point
 * of coherency first.
 */
#include <errno.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/alloc.h>
#include <cairn/arch/arm64.h>
#include "arm64_priv.h"

#define PAGE		4096ull
#define MIB2		(1ull << 21)
#define GIB		(1ull << 30)
#define ENTRIES		512
#define MAX_IMAGE_L3	8	/* blocks needing pages: 6 at most */

#define D_VALID		(1ull << 0)
#define D_TABLE		(3ull << 0)	/* table (levels 1-2), page (3) */
#define D_BLOCK		(1ull << 0)
#define D_ATTR(i)	((uint64_t)(i) << 2)
#define D_AP_RO		(2ull << 6)
#define D_SH_INNER	(3ull << 8)
#define D_AF		(1ull << 10)
#define D_PXN		(1ull << 53)
#define D_UXN		(1ull << 54)
#define ADDR_MASK	0x0000fffffffff000ull

/* MAIR_EL1 attributes: 0 device nGnRE, 1 normal write-back. */
#define ATTR_DEVICE	0
#define ATTR_NORMAL	1
#define MAIR_VALUE	(0x04ull | 0xffull << 8)

#define DEVICE		(D_AF | D_ATTR(ATTR_DEVICE) | D_PXN | D_UXN)
#define NORMAL		(D_AF | D_SH_INNER | D_ATTR(ATTR_NORMAL))
#define RAM_RW		(NORMAL | D_PXN | D_UXN)
#define TEXT		(NORMAL | D_AP_RO | D_UXN)
#define RODATA		(NORMAL | D_AP_RO | D_PXN | D_UXN)

#define TCR_T0SZ	(64 - 39)
#define TCR_IRGN0_WB	(1ull << 8)
#define TCR_ORGN0_WB	(1ull << 10)
#define TCR_SH0_INNER	(3ull << 12)
#define TCR_EPD1	(1ull << 23)	/* no walks through TTBR1 */
#define TCR_IPS_SHIFT	32

#define SCTLR_M		(1ull << 0)
#define SCTLR_A		(1ull << 1)
#define SCTLR_C		(1ull << 2)
#define SCTLR_SA	(1ull << 3)
#define SCTLR_I		(1ull << 12)
#define SCTLR_WXN	(1ull << 19)

extern char __image_start[], __rodata_start[], __data_start[], __image_end[];
extern char cn_arch_boot_stack_guard[];

static uint64_t l1[ENTRIES] CN_ALIGNED(4096);
static uint64_t l2_dev[ENTRIES] CN_ALIGNED(4096);	/* GiB 0 */
static uint64_t l2_ram[ENTRIES] CN_ALIGNED(4096);	/* the image's GiB */
static uint64_t l3[MAX_IMAGE_L3][ENTRIES] CN_ALIGNED(4096);

static uint64_t image_page(uint64_t a)
{
	if (a >= (uintptr_t)cn_arch_boot_stack_guard &&
	    a < (uintptr_t)cn_arch_boot_stack_guard + PAGE)
		return 0;
	if (a < (uintptr_t)__rodata_start)
		return a | TEXT | D_TABLE;
	if (a < (uintptr_t)__data_start)
		return a | RODATA | D_TABLE;
	return a | RAM_RW | D_TABLE;
}

/*
 * Whether the 2 MiB block at a needs 4 KiB pages: a boundary between the
 * image's parts falls inside it, or it holds the boot stack's guard.
 * Every other block of the image is mapped whole, with its part's
 * attributes, so an image of any size (up to the end of its GiB) needs
 * at most six page tables.
 */
static int inside(const void *b, uint64_t a)
{
	return (uintptr_t)b > a && (uintptr_t)b < a + MIB2;
}

static int needs_pages(uint64_t a)
{
	uint64_t g = (uintptr_t)cn_arch_boot_stack_guard;

	return inside(__image_start, a) || inside(__rodata_start, a) ||
	       inside(__data_start, a) || inside(__image_end, a) ||
	       (g >= a && g < a + MIB2);
}

/*
 * Runs with the MMU off: only aligned 64-bit stores, no library calls
 * (the tables are in .bss, cleared by boot.S).
 */
void cn_arm64_mmu_init(void)
{
	uint64_t start = (uintptr_t)__image_start & ~(MIB2 - 1);
	uint64_t end = ((uintptr_t)__image_end + MIB2 - 1) & ~(MIB2 - 1);
	uint64_t gib = start & ~(GIB - 1), a, tcr, pa;
	unsigned int i, n;

	for (i = 1; i < ENTRIES / 2; i++)
		l1[i] = ((uint64_t)i * GIB) | RAM_RW | D_BLOCK;
	for (i = ENTRIES / 2; i < ENTRIES; i++)
		l1[i] = ((uint64_t)i * GIB) | DEVICE | D_BLOCK;
	for (i = 1; i < ENTRIES; i++)
		l2_dev[i] = ((uint64_t)i * MIB2) | DEVICE | D_BLOCK;
	l1[0] = (uintptr_t)l2_dev | D_TABLE;
	for (i = 0; i < ENTRIES; i++)
		l2_ram[i] = (gib + (uint64_t)i * MIB2) | RAM_RW | D_BLOCK;
	if (end > gib + GIB)
		end = gib + GIB;	/* the rest stays read/write, no-execute */
	for (a = start, n = 0; a < end; a += MIB2) {
		if (!needs_pages(a) || n == MAX_IMAGE_L3) {
			l2_ram[(a - gib) / MIB2] = (image_page(a) & ~3ull) |
						   D_BLOCK;
			continue;
		}
		for (i = 0; i < ENTRIES; i++) {
			uint64_t p = a + (uint64_t)i * PAGE;

			l3[n][i] = p < (uintptr_t)__image_end ?
				   image_page(p) : p | RAM_RW | D_TABLE;
		}
		l2_ram[(a - gib) / MIB2] = (uintptr_t)l3[n++] | D_TABLE;
	}
	l1[gib / GIB] = (uintptr_t)l2_ram | D_TABLE;

	pa = cn_arm64_read_sysreg(id_aa64mmfr0_el1) & 7;
	tcr = TCR_T0SZ | TCR_IRGN0_WB | TCR_ORGN0_WB | TCR_SH0_INNER |
	      TCR_EPD1 | (pa > 5 ? 5 : pa) << TCR_IPS_SHIFT;
	cn_arm64_write_sysreg(mair_el1, MAIR_VALUE);
	cn_arm64_write_sysreg(tcr_el1, tcr);
	cn_arm64_write_sysreg(ttbr0_el1, (uintptr_t)l1);
	__asm__ volatile("dsb ish; tlbi vmalle1; dsb ish; isb" : : : "memory");
	cn_arm64_write_sysreg(sctlr_el1,
			      (cn_arm64_read_sysreg(sctlr_el1) & ~SCTLR_A) |
			      SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA |
			      SCTLR_WXN);
	cn_arm64_isb();
}

int cn_arm64_is_stack_guard(uint64_t addr)
{
	uint64_t g = (uintptr_t)cn_arch_boot_stack_guard;

	return addr >= g && addr < g + PAGE;
}

/* Page 0 was never mapped (see the top). */
void cn_arch_unmap_page0(void)
{
}

/*
 * With SMP the inner-shareable form: the invalidation reaches every CPU
 * (they share the tables), so a guard page set on one CPU faults on all.
 */
static void tlb_flush(void)
{
#ifdef CONFIG_SMP
	__asm__ volatile("dsb ishst; tlbi vmalle1is; dsb ish; isb"
			 : : : "memory");
#else
	__asm__ volatile("dsb ishst; tlbi vmalle1; dsb ish; isb" : : : "memory");
#endif
}

static size_t pt_heap_bytes;
static unsigned long pt_heap_tables;

size_t cn_arch_page_tables_on_heap(unsigned long *tables)
{
	if (tables)
		*tables = __atomic_load_n(&pt_heap_tables, __ATOMIC_RELAXED);
	return __atomic_load_n(&pt_heap_bytes, __ATOMIC_RELAXED);
}

/* A table that maps the block *entry (of step * 512 bytes) in smaller
 * pieces of step bytes, same attributes. */
static int split(uint64_t *entry, uint64_t step)
{
	uint64_t *t = cn_alloc_memalign(cn_alloc_default(), PAGE, PAGE);
	uint64_t base = *entry & ADDR_MASK & ~(step * ENTRIES - 1);
	uint64_t attrs = *entry & ~ADDR_MASK & ~3ull;
	unsigned int i;

	if (!t)
		return -ENOMEM;
	__atomic_fetch_add(&pt_heap_bytes,
			   cn_alloc_usable_size(cn_alloc_default(), t),
			   __ATOMIC_RELAXED);
	__atomic_fetch_add(&pt_heap_tables, 1, __ATOMIC_RELAXED);
	for (i = 0; i < ENTRIES; i++)
		t[i] = (base + i * step) | attrs |
		       (step == PAGE ? D_TABLE : D_BLOCK);
	cn_arch_wmb();
	*entry = (uintptr_t)t | D_TABLE;
	tlb_flush();
	return 0;
}

/* The 4 KiB descriptor mapping page, splitting blocks on the way. */
static int leaf_of(void *page, uint64_t **out)
{
	uint64_t a = (uintptr_t)page, *t = l1, *e;
	unsigned int shift;

	if (a & (PAGE - 1) || a >> 39)
		return -EINVAL;
	for (shift = 30; shift > 12; shift -= 9) {
		e = &t[(a >> shift) & 511];
		if (!(*e & D_VALID))
			return -EFAULT;
		if ((*e & 3) == D_BLOCK && split(e, 1ull << (shift - 9)))
			return -ENOMEM;
		t = (uint64_t *)(uintptr_t)(*e & ADDR_MASK);
	}
	*out = &t[(a >> 12) & 511];
	return 0;
}

int cn_arch_page_guard(void *page, int guard)
{
	uint64_t *e;
	int r = leaf_of(page, &e);

	if (r)
		return r;
	if (!(*e & ADDR_MASK) && !guard)
		return -EFAULT;
	*e = guard ? *e & ~D_VALID : *e | D_VALID;
	tlb_flush();
	return 0;
}

int cn_arch_page_readonly(void *page, int ro)
{
	uint64_t *e;
	int r = leaf_of(page, &e);

	if (r)
		return r;
	if (!(*e & ADDR_MASK))
		return -EFAULT;
	*e = ro ? *e | D_AP_RO : *e & ~D_AP_RO;
	tlb_flush();
	return 0;
}

/* Below 1 GiB and from 256 GiB up, everything is device-mapped at boot. */
void *cn_arch_map_mmio(uint64_t phys, uint64_t size)
{
	uint64_t end = phys + size;

	if (!size || end < phys)
		return NULL;
	if (end <= GIB || (phys >= 256 * GIB && end <= 512 * GIB))
		return (void *)(uintptr_t)phys;
	return NULL;
}
