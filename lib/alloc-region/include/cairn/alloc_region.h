/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Region (bump) allocator: allocation moves a pointer forward, free does
 * nothing. The smallest and fastest backend, for images that allocate at
 * start-up and never free (memory handed out is never reused).
 */
#ifndef CAIRN_ALLOC_REGION_H
#define CAIRN_ALLOC_REGION_H

#include <stddef.h>
#include <cairn/alloc.h>

/*
 * Creates a region allocator managing [base, base + len); its state lives
 * at the start of that memory. Registers it (see cn_alloc_register()).
 * Returns NULL when len is too small to hold the state.
 */
struct cn_alloc *cn_region_create(void *base, size_t len);

#endif
