/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Two-level segregated fit (TLSF) allocator: malloc and free in constant
 * time whatever the heap holds, good fit (bounded fragmentation), free
 * blocks merged with their neighbours at once. The general-purpose
 * backend, and the one for code with deadlines. Apps reach it through
 * <cairn/alloc.h>; only creating one is specific to this backend.
 */
#ifndef CAIRN_ALLOC_TLSF_H
#define CAIRN_ALLOC_TLSF_H

#include <stddef.h>
#include <cairn/alloc.h>

/*
 * Creates a TLSF allocator managing [base, base + len) and registers it
 * (see cn_alloc_register()). base needs no particular alignment.
 *
 * The allocator's state (about 4.3 KiB on 64-bit targets) lives at the
 * start of that memory; the rest is one pool. Further areas can be handed
 * over later through the add_memory operation, each becoming a pool of
 * its own (they need not be adjacent). A pool uses at most 512 GiB (2 GiB
 * on 32-bit targets); memory beyond that is ignored.
 *
 * Every block is 16-byte aligned (memalign: any power of two) and costs
 * one word (8 bytes on 64-bit) over its usable size, which is the size
 * asked for rounded up so that the block spans a multiple of 16 bytes,
 * at least 32. Allocation and free take constant time; nothing is ever
 * moved except by realloc when the block cannot grow where it is.
 *
 * The memory must stay valid, and be used by nothing else, for as long as
 * the allocator exists: there is no destroy. The backend takes no lock of
 * its own: calls on one allocator must be serialised by the caller
 * (lib/alloc).
 *
 * Returns the allocator, or NULL when len is too small for the state and
 * one block (or base is NULL).
 */
struct cn_alloc *cn_tlsf_create(void *base, size_t len);

#endif
