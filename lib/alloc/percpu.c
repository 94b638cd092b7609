/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-CPU caches of small free blocks in front of the default allocator
 * (LIB_ALLOC_PERCPU, SMP only), so that malloc and free of small sizes
 * do not serialise the CPUs on the allocator's lock.
 *
 * Each CPU keeps, for six size classes (32, 64, ... 1024 bytes), a LIFO
 * list of blocks that the backend has handed out and that nobody uses;
 * the list's link lives in the block's first word. malloc(n) takes a
 * block of the smallest class >= n; free(p) puts p in the largest class
 * <= its usable size (a block is good for any request up to its usable
 * size, whichever path allocated it). Only an empty or a full list goes
 * to the allocator, under its lock: an empty one gets half its limit in
 * one batch, a full one gives half back. So the memory a CPU keeps is
 * bounded (about 46 KiB: the limits below, the 1 KiB class taking
 * blocks up to 2 KiB), and what it gives back is the allocator's again,
 * as is everything cn_alloc_cache_flush() takes (malloc calls it before
 * failing, so cached blocks never cause an ENOMEM).
 *
 * Each cache has its own spinlock: its CPU takes it with interrupts off
 * (a thread cannot move to another CPU in between), uncontended but for
 * cn_alloc_cache_flush() from another CPU, and the line stays in that
 * CPU's cache. Lock order: a cache's lock, then the allocator's.
 *
 * Statistics stay exact: a block that leaves a cache for a caller counts
 * as used, as a malloc under the lock does, and one that comes back as
 * freed. The allocation and free counts live in each cache (written by
 * its CPU only) and cn_alloc_stats() adds them up; the bytes the caches
 * handed out minus those they took back are one atomic counter, so that
 * every malloc can compare the whole heap's use with the peak at once
 * (one shared atomic add is far cheaper than the lock and the backend's
 * search, which is what the caches save). Blocks in caches count as
 * free (field cached).
 *
 * A thread that moves to another CPU needs nothing drained: a cache
 * belongs to a CPU, not to a thread, and any block may go into any
 * cache, whichever CPU or path allocated it. A CPU whose threads free
 * what another CPU's threads allocate fills its cache and gives half of
 * it back to the heap each time it is full, so the memory held stays
 * bounded whatever the pattern.
 *
 * usable_size() runs without the allocator's lock here: a backend reads
 * only the header of the block, which does not change while the block
 * is allocated (<cairn/alloc_backend.h>).
 */
#include <errno.h>
#include <cairn/alloc_backend.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/spinlock.h>
#include "alloc_priv.h"

#define MIN_SHIFT	5		/* 32 bytes */
#define NR_CLASSES	6		/* ... 1024 = CN_ALLOC_PCPU_MAX */
#define CLASS_BYTES	8192		/* a class keeps at most this much */
#define CLASS_MAX	64		/* and at most this many blocks */

struct pcpu_class {
	void *head;			/* first free block; link in word 0 */
	unsigned int n;
};

struct pcpu {
	struct cn_spinlock lock;
	struct pcpu_class cls[NR_CLASSES];
	size_t cached;			/* usable bytes on the lists */
	uint64_t allocs, frees, hits, refills, flushes;
} __attribute__((aligned(64)));		/* one cache line each, no sharing */

static struct pcpu caches[CONFIG_NR_CPUS];
/* Bytes the caches handed out minus those they took back (atomic). */
static long cache_used;

static unsigned int limit(unsigned int k)
{
	unsigned int n = CLASS_BYTES >> (k + MIN_SHIFT);

	return n < CLASS_MAX ? n : CLASS_MAX;
}

/* The smallest class whose blocks hold size bytes (size <= 1024). */
static unsigned int class_up(size_t size)
{
	unsigned int bits;

	if (size <= (1u << MIN_SHIFT))
		return 0;
	bits = 64 - (unsigned int)__builtin_clzl(size - 1);
	return bits - MIN_SHIFT;
}

/*
 * The largest class a block of usable bytes serves; -1: too small, or
 * so large (a freed 64 KiB buffer, say) that keeping it for requests of
 * at most 1 KiB would waste it: it goes back to the heap at once.
 */
static int class_down(size_t usable)
{
	if (usable < (1u << MIN_SHIFT) ||
	    usable >= (size_t)2 << (MIN_SHIFT + NR_CLASSES - 1))
		return -1;
	return 63 - __builtin_clzl(usable) - MIN_SHIFT;
}

static void raise_peak(struct cn_alloc *a, size_t now)
{
	size_t peak = __atomic_load_n(&a->stats.peak, __ATOMIC_RELAXED);

	while (now > peak &&
	       !__atomic_compare_exchange_n(&a->stats.peak, &peak, now, 1,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* The caches handed out (delta > 0) or took back bytes. */
static void note_used(struct cn_alloc *a, long delta)
{
	long now = __atomic_add_fetch(&cache_used, delta, __ATOMIC_RELAXED);

	if (delta > 0)
		raise_peak(a, __atomic_load_n(&a->stats.used, __ATOMIC_RELAXED) +
			   (size_t)now);
}

void cn_alloc_pcpu_peak(struct cn_alloc *a)
{
	raise_peak(a, a->stats.used +
		   (size_t)__atomic_load_n(&cache_used, __ATOMIC_RELAXED));
}

/* Fills class k of c with up to half its limit; 0 or -ENOMEM. */
static int refill(struct cn_alloc *a, struct pcpu *c, unsigned int k)
{
	struct pcpu_class *cl = &c->cls[k];
	size_t size = (size_t)1 << (k + MIN_SHIFT);
	unsigned int i, want = limit(k) / 2;
	unsigned long l = cn_alloc_lock();

	for (i = 0; i < want; i++) {
		void *p = a->ops->malloc(a, size);

		if (!p)
			break;
		*(void **)p = cl->head;
		cl->head = p;
		cl->n++;
		c->cached += a->ops->usable_size(a, p);
	}
	cn_alloc_unlock(l);
	c->refills++;
	return i ? 0 : -ENOMEM;
}

/* Gives all but keep blocks of class k of c back to the allocator. */
static void flush(struct cn_alloc *a, struct pcpu *c, unsigned int k,
		  unsigned int keep)
{
	struct pcpu_class *cl = &c->cls[k];
	void **link = &cl->head;
	void *p, *next;
	unsigned long l;
	unsigned int i;

	/* Keep the first ones: the most recently freed, likely still hot. */
	for (i = 0; i < keep && *link; i++)
		link = (void **)*link;
	p = *link;
	*link = NULL;
	cl->n = i;
	l = cn_alloc_lock();
	for (; p; p = next) {
		next = *(void **)p;
		c->cached -= a->ops->usable_size(a, p);
		a->ops->free(a, p);
	}
	cn_alloc_unlock(l);
	c->flushes++;
}

void *cn_alloc_pcpu_malloc(struct cn_alloc *a, size_t size)
{
	unsigned int k = class_up(size ? size : 1);
	unsigned long flags = cn_arch_irq_save();
	struct pcpu *c = &caches[cn_cpu_id()];
	struct pcpu_class *cl = &c->cls[k];
	void *p = NULL;
	size_t got;

	cn_spin_lock(&c->lock);
	if (cl->head || !refill(a, c, k)) {
		p = cl->head;
		cl->head = *(void **)p;
		cl->n--;
		c->hits++;
		c->allocs++;
		got = a->ops->usable_size(a, p);
		c->cached -= got;
	}
	cn_spin_unlock(&c->lock);
	cn_arch_irq_restore(flags);
	if (p) {
		note_used(a, (long)got);
		return p;
	}
	/* The heap had no block of the class: give back what the caches
	 * hold, then the ordinary path (which counts a failure). */
	cn_alloc_cache_flush();
	return cn_alloc_locked_malloc(a, size);
}

int cn_alloc_pcpu_free(struct cn_alloc *a, void *p)
{
	size_t usable = a->ops->usable_size(a, p);
	int k = class_down(usable);
	unsigned long flags;
	struct pcpu_class *cl;
	struct pcpu *c;

	if (k < 0)
		return 0;
	flags = cn_arch_irq_save();
	c = &caches[cn_cpu_id()];
	cl = &c->cls[k];
	cn_spin_lock(&c->lock);
	if (cl->n >= limit(k))
		flush(a, c, k, limit(k) / 2);
	*(void **)p = cl->head;
	cl->head = p;
	cl->n++;
	c->cached += usable;
	c->hits++;
	c->frees++;
	cn_spin_unlock(&c->lock);
	cn_arch_irq_restore(flags);
	note_used(a, -(long)usable);
	return 1;
}

void cn_alloc_cache_flush(void)
{
	struct cn_alloc *a = cn_alloc_default();
	unsigned int i, k;

	if (!a)
		return;
	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		struct pcpu *c = &caches[i];
		unsigned long flags = cn_spin_lock_irqsave(&c->lock);

		for (k = 0; k < NR_CLASSES; k++)
			if (c->cls[k].n)
				flush(a, c, k, 0);
		cn_spin_unlock_irqrestore(&c->lock, flags);
	}
}

/*
 * Without the caches' locks: a crash report reads statistics too, and a
 * CPU that stopped may hold one. Each figure may be a few operations old.
 */
void cn_alloc_pcpu_stats(struct cn_alloc *a, struct cn_alloc_stats *st)
{
	unsigned int i;

	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		struct pcpu *c = &caches[i];

		st->cached += __atomic_load_n(&c->cached, __ATOMIC_RELAXED);
		st->nr_allocs += __atomic_load_n(&c->allocs, __ATOMIC_RELAXED);
		st->nr_frees += __atomic_load_n(&c->frees, __ATOMIC_RELAXED);
	}
	st->used += (size_t)__atomic_load_n(&cache_used, __ATOMIC_RELAXED);
	st->free += st->cached;
	(void)a;
}

size_t cn_alloc_pcpu_cached(void)
{
	size_t sum = 0;
	unsigned int i;

	for (i = 0; i < CONFIG_NR_CPUS; i++)
		sum += __atomic_load_n(&caches[i].cached, __ATOMIC_RELAXED);
	return sum;
}

void cn_alloc_pcpu_counts(struct cn_alloc_smp_stats *st)
{
	unsigned int i;

	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		st->cache_hits += __atomic_load_n(&caches[i].hits,
						  __ATOMIC_RELAXED);
		st->cache_refills += __atomic_load_n(&caches[i].refills,
						     __ATOMIC_RELAXED);
		st->cache_flushes += __atomic_load_n(&caches[i].flushes,
						     __ATOMIC_RELAXED);
	}
}
