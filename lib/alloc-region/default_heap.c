/* SPDX-License-Identifier: BSD-3-Clause */
/* The region allocator as the default heap (menuconfig: alloc > default). */
#include <cairn/alloc_backend.h>
#include <cairn/alloc_region.h>

struct cn_alloc *cn_alloc_default_create(void *base, size_t len)
{
	return cn_region_create(base, len);
}
