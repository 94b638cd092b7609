/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The free physical ranges, computed from the boot information on first
 * use (an image that never allocates never pays for it): RAM regions, page
 * aligned inwards, with the image, the initrd and page 0 cut out.
 */
#include <errno.h>
#include <string.h>
#include <cairn/boot.h>
#include <cairn/log.h>
#include <cairn/pmem.h>

extern char __image_start[], __image_end[];

static struct cn_pmem_range ranges[CN_PMEM_MAX_RANGES];
static unsigned int nr_ranges;
static uint64_t ram_total, ram_end;
static int taken;

/* Adds [s, e) minus the hole [hs, he), recursively for several holes. */
static void add_minus(uint64_t s, uint64_t e, const uint64_t (*holes)[2],
		      unsigned int nh)
{
	if (s >= e)
		return;
	if (!nh) {
		if (nr_ranges == CN_PMEM_MAX_RANGES) {
			cn_pr_warn("more than %d free ranges; %llu bytes at "
				   "%#llx unused", CN_PMEM_MAX_RANGES,
				   (unsigned long long)(e - s),
				   (unsigned long long)s);
			return;
		}
		ranges[nr_ranges].start = (uintptr_t)s;
		ranges[nr_ranges++].size = (size_t)(e - s);
		return;
	}
	if (holes[0][1] <= s || holes[0][0] >= e) {
		add_minus(s, e, holes + 1, nh - 1);
		return;
	}
	add_minus(s, holes[0][0], holes + 1, nh - 1);
	add_minus(holes[0][1], e, holes + 1, nh - 1);
}

static int scanned;

static void scan(void)
{
	const struct cn_bootinfo *bi = cn_bootinfo();
	uint64_t holes[3][2] = {
		{ 0, CN_PMEM_PAGE },
		{ (uintptr_t)__image_start, (uintptr_t)__image_end },
		{ 0, 0 },
	};
	unsigned int i;

	if (bi->initrd_size) {
		holes[2][0] = bi->initrd_start & ~(uint64_t)(CN_PMEM_PAGE - 1);
		holes[2][1] = bi->initrd_start + bi->initrd_size;
	}
	for (i = 0; i < bi->nr_mem; i++) {
		const struct cn_mem_region *r = &bi->mem[i];
		uint64_t s = (r->start + CN_PMEM_PAGE - 1) &
			     ~(uint64_t)(CN_PMEM_PAGE - 1);
		uint64_t e = (r->start + r->size) &
			     ~(uint64_t)(CN_PMEM_PAGE - 1);

		if (r->type != CN_MEM_RAM || !r->size)
			continue;
		ram_total += r->size;
		if (r->start + r->size > ram_end)
			ram_end = r->start + r->size;
		add_minus(s, e, holes, 3);
	}
	scanned = 1;
	for (i = 0; i < nr_ranges; i++)
		cn_pr_debug("free %#014llx-%#014llx (%zu KiB)",
			    (unsigned long long)ranges[i].start,
			    (unsigned long long)(ranges[i].start +
						 ranges[i].size),
			    ranges[i].size >> 10);
}

#define SCANNED() do { if (!scanned) scan(); } while (0)

/* The part of range r below the early limit: its size in bytes. */
static size_t early_size(const struct cn_pmem_range *r)
{
	if (r->start >= CN_PMEM_EARLY_LIMIT)
		return 0;
	if (r->start + r->size > CN_PMEM_EARLY_LIMIT)
		return (size_t)(CN_PMEM_EARLY_LIMIT - r->start);
	return r->size;
}

/*
 * Taken from the top of the largest range below CN_PMEM_EARLY_LIMIT. A
 * range that crosses the limit is split: its part above stays free.
 */
void *cn_pmem_alloc_pages(size_t npages)
{
	struct cn_pmem_range *best = NULL;
	size_t bytes = npages * CN_PMEM_PAGE;
	unsigned int i;
	uintptr_t top;

	SCANNED();
	if (taken || !npages || npages > SIZE_MAX / CN_PMEM_PAGE)
		return NULL;
	for (i = 0; i < nr_ranges; i++)
		if (early_size(&ranges[i]) >= bytes &&
		    (!best || early_size(&ranges[i]) > early_size(best)))
			best = &ranges[i];
	if (!best)
		return NULL;
	top = best->start + early_size(best);
	if (top != best->start + best->size) {
		if (nr_ranges == CN_PMEM_MAX_RANGES)
			return NULL;
		ranges[nr_ranges].start = top;
		ranges[nr_ranges++].size = best->start + best->size - top;
	}
	best->size = early_size(best) - bytes;
	memset((void *)(top - bytes), 0, bytes);
	return (void *)(top - bytes);
}

unsigned int cn_pmem_take_ranges(struct cn_pmem_range *out, unsigned int max)
{
	unsigned int i, n = 0;

	SCANNED();
	if (taken)
		return 0;
	taken = 1;
	for (i = 0; i < nr_ranges && n < max; i++)
		if (ranges[i].size)
			out[n++] = ranges[i];
	return n;
}

uint64_t cn_pmem_ram_total(void)
{
	SCANNED();
	return ram_total;
}

uint64_t cn_pmem_ram_end(void)
{
	SCANNED();
	return ram_end;
}
