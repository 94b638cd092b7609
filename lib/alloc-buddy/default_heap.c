/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The buddy allocator as the default heap: lib/alloc's heap set-up calls
 * cn_alloc_default_create() for the default allocator chosen in
 * menuconfig (LIB_ALLOC_DEFAULT_BUDDY builds this file; the function is
 * declared in <cairn/alloc_backend.h>).
 */
#include <cairn/alloc_backend.h>
#include <cairn/alloc_buddy.h>

struct cn_alloc *cn_alloc_default_create(void *base, size_t len)
{
	return cn_buddy_create(base, len);
}
