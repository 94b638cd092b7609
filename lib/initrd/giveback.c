/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The archive's whole pages go to the default heap once its files are
 * in ramfs: lib/pmem kept them out of the free memory at boot, and
 * nothing refers to them any more.
 */
#include <stdint.h>
#include <cairn/alloc.h>
#include <cairn/arch.h>
#include <cairn/errname.h>
#include <cairn/log.h>
#include "initrd_priv.h"

void cn_initrd_give_back(uint64_t start, uint64_t size)
{
	uint64_t lo = CN_PAGE_ALIGN_UP(start);
	uint64_t hi = CN_PAGE_ALIGN_DOWN(start + size);
	struct cn_alloc *a = cn_alloc_default();
	int r;

	if (!a || hi <= lo)
		return;
	r = cn_alloc_add_memory(a, (void *)(uintptr_t)lo, (size_t)(hi - lo));
	if (r)
		cn_pr_debug("archive memory not given back: %d (%s)", r,
			    cn_errname(r));
	else
		cn_pr_debug("%llu KiB of archive memory given to the heap",
			    (unsigned long long)((hi - lo) >> 10));
}
