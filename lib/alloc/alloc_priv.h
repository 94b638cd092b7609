/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/alloc: the debug layer's entry points. */
#ifndef ALLOC_PRIV_H
#define ALLOC_PRIV_H

#include <stdio.h>
#include <cairn/alloc_backend.h>

void *cn_alloc_dbg_memalign(struct cn_alloc *a, size_t align, size_t size,
			    uintptr_t caller);
void cn_alloc_dbg_free(struct cn_alloc *a, void *user, uintptr_t caller);
size_t cn_alloc_dbg_size(void *user);
void cn_alloc_dbg_forget(struct cn_alloc *a);
/*
 * The first of pc0 (the API's internal caller), pc1, pc2 that is not an
 * allocation wrapper (cn_alloc_malloc(), the C library's malloc()...).
 */
uintptr_t cn_alloc_dbg_caller(uintptr_t pc0, uintptr_t pc1, uintptr_t pc2);

/*
 * SMP (smp.c): lib/alloc's own spinlock around every operation, interrupts
 * off while it is held, in place of the lock cn_alloc_set_lock() installs.
 */
unsigned long cn_alloc_lock(void);
void cn_alloc_unlock(unsigned long flags);

/*
 * The per-CPU caches (percpu.c, LIB_ALLOC_PERCPU), for the default
 * allocator only and called without the lock. malloc: a block of at
 * least size bytes, or NULL with errno set (sizes above
 * CN_ALLOC_PCPU_MAX never come here). free: 1 when the cache took p, 0
 * when the caller frees it as usual. stats: folds the caches' counts into
 * *st.
 */
#define CN_ALLOC_PCPU_MAX 1024
void *cn_alloc_pcpu_malloc(struct cn_alloc *a, size_t size);
int cn_alloc_pcpu_free(struct cn_alloc *a, void *p);
void cn_alloc_pcpu_stats(struct cn_alloc *a, struct cn_alloc_stats *st);
/* Raises a->stats.peak to the heap's use now (under the lock). */
void cn_alloc_pcpu_peak(struct cn_alloc *a);
/* Bytes in the caches now (a snapshot). */
size_t cn_alloc_pcpu_cached(void);
/* Adds the caches' hits, refills and flushes to *st. */
void cn_alloc_pcpu_counts(struct cn_alloc_smp_stats *st);
/* The locked malloc of alloc.c, for percpu.c's last resort. */
void *cn_alloc_locked_malloc(struct cn_alloc *a, size_t size);

#endif
