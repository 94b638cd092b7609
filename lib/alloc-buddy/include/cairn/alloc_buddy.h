/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Binary buddy allocator with a small-object layer. Memory is handed out
 * in blocks of 2^k pages of 4096 bytes (naturally aligned, so alignments
 * of a page and more cost nothing) and, for requests up to 2048 bytes, as
 * objects of a power-of-two size class carved from single pages. Freeing
 * coalesces at once; timing depends only on the number of orders (21).
 * Waste: a large block is rounded up to a power of two pages (up to 2x),
 * a small one up to its class (up to 2x), plus 16 bytes of descriptor per
 * page of the area. The backend takes no lock of its own.
 */
#ifndef CAIRN_ALLOC_BUDDY_H
#define CAIRN_ALLOC_BUDDY_H

#include <stddef.h>
#include <cairn/alloc.h>

/*
 * Creates a buddy allocator managing [base, base + len); its state and a
 * descriptor per page (16 bytes) live at the start of that memory, the
 * pages after them. base needs no particular alignment. Registers the
 * allocator (see cn_alloc_register()). Further areas can be added through
 * its add_memory operation (up to 8 areas in all; -EINVAL for an area
 * overlapping one already managed, -ENOSPC when 8 are in use, -ENOMEM when
 * too small for one page). Returns NULL when len is too small to hold the
 * state and at least one page.
 */
struct cn_alloc *cn_buddy_create(void *base, size_t len);

#endif
