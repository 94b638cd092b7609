/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/alloc's lock with SMP (CONFIG_SMP): one spinlock around every
 * allocator operation, taken with this CPU's interrupts off, in place of
 * the lock lib/sched installs with cn_alloc_set_lock() (the big lock,
 * which would also make every malloc wait for the scheduler, the network
 * stack and every other library still under it).
 *
 * It is a leaf: nothing that runs under it takes another lock, so it
 * nests inside the big lock and any other section without an order to
 * keep. It is not recursive, which is safe because no allocator
 * operation calls another one and interrupt handlers never allocate
 * (<cairn/alloc.h>).
 *
 * The counts are for /status.json and the shell: how often the lock was
 * taken and how often its first try found another CPU holding it.
 */
#include <cairn/alloc.h>
#include <cairn/arch.h>
#include <cairn/spinlock.h>
#include "alloc_priv.h"

static struct cn_spinlock heap_lock = CN_SPINLOCK_INIT;
static uint64_t taken;				/* under heap_lock */
static uint64_t contended;			/* atomic */

unsigned long cn_alloc_lock(void)
{
	unsigned long flags = cn_arch_irq_save();

	if (!cn_spin_trylock(&heap_lock)) {
		__atomic_fetch_add(&contended, 1, __ATOMIC_RELAXED);
		cn_spin_lock(&heap_lock);
	}
	taken++;
	return flags;
}

void cn_alloc_unlock(unsigned long flags)
{
	cn_spin_unlock_irqrestore(&heap_lock, flags);
}

void cn_alloc_smp_stats_read(struct cn_alloc_smp_stats *st)
{
	st->lock_taken = __atomic_load_n(&taken, __ATOMIC_RELAXED);
	st->lock_contended = __atomic_load_n(&contended, __ATOMIC_RELAXED);
	st->cache_hits = st->cache_refills = st->cache_flushes = 0;
#ifdef CONFIG_LIB_ALLOC_PERCPU
	cn_alloc_pcpu_counts(st);
#endif
}
