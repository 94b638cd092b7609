/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocator API. An allocator (struct cn_alloc) manages one or more
 * memory areas; a backend library (alloc-buddy, alloc-tlsf, alloc-region)
 * creates it. One allocator is the default: picolibc's malloc family uses
 * it, so ordinary C code gets it without knowing which backend it is.
 * Apps may create further allocators over memory of their own.
 *
 * Thread-safe: lib/sched installs a lock around every operation when
 * threads can be preempted (cooperative threads never interleave inside
 * one); with CONFIG_SMP lib/alloc takes its own spinlock instead, and
 * with LIB_ALLOC_PERCPU small blocks of the default allocator come from
 * and go back to a cache of the calling CPU without that lock. Never
 * call them from an interrupt handler.
 * Failures return NULL (malloc-style functions, which also set errno to
 * ENOMEM or EINVAL) or a negative errno value.
 */
#ifndef CAIRN_ALLOC_H
#define CAIRN_ALLOC_H

#include <stddef.h>
#include <stdint.h>

struct cn_alloc;

struct cn_alloc_stats {
	size_t total;		/* bytes the allocator manages */
	size_t used;		/* bytes handed out (as requested) */
	size_t peak;		/* highest value of used */
	size_t free;		/* bytes still available (may be fragmented) */
	uint64_t nr_allocs;	/* successful allocations */
	uint64_t nr_frees;
	uint64_t nr_failed;	/* allocations that returned NULL */
	size_t cached;		/* of free: bytes in the per-CPU caches */
};

/*
 * Allocates size bytes aligned to at least 16. size 0 returns a unique
 * pointer that may be freed. NULL (errno ENOMEM) when out of memory.
 */
void *cn_alloc_malloc(struct cn_alloc *a, size_t size);

/* As malloc, zeroed; NULL (errno ENOMEM) also when n * size overflows. */
void *cn_alloc_calloc(struct cn_alloc *a, size_t n, size_t size);

/*
 * size bytes aligned to align, a power of two (any up to the page size
 * and beyond). NULL with errno EINVAL for a bad align, ENOMEM when out of
 * memory.
 */
void *cn_alloc_memalign(struct cn_alloc *a, size_t align, size_t size);

/*
 * Resizes p keeping its contents up to the smaller size. p NULL is
 * malloc; size 0 frees p and returns NULL. On failure p is untouched and
 * NULL is returned (errno ENOMEM).
 */
void *cn_alloc_realloc(struct cn_alloc *a, void *p, size_t size);

/*
 * For memory the caller cannot do without (a kernel thread's stack, a
 * page table, a driver's ring at boot): cn_alloc_memalign(), except that
 * running out of memory stops the image with a crash report ("PANIC: out
 * of memory: <what> needs N bytes ...", the heap's state, the caller's
 * backtrace) instead of returning NULL. Never returns NULL.
 */
void *cn_alloc_must(struct cn_alloc *a, size_t align, size_t size,
		    const char *what);

/* Frees p (NULL is ignored). p must come from this allocator. */
void cn_alloc_free(struct cn_alloc *a, void *p);

/* Bytes usable at p (at least what was requested). */
size_t cn_alloc_usable_size(struct cn_alloc *a, void *p);

/*
 * Gives the allocator one more memory area [base, base + len). Returns 0,
 * -ENOTSUP when the backend cannot take more areas, or its -errno
 * (-ENOSPC: no room for another area; -EINVAL: overlaps one it has).
 */
int cn_alloc_add_memory(struct cn_alloc *a, void *base, size_t len);

/* Copies the statistics into *st. Returns 0. */
int cn_alloc_stats(struct cn_alloc *a, struct cn_alloc_stats *st);

/* The allocator's name ("tlsf", "buddy", "region") for reports. */
const char *cn_alloc_name(const struct cn_alloc *a);

/*
 * The default allocator (set up on this first call after the memory init
 * level), or NULL before that level or when there is no free memory.
 */
struct cn_alloc *cn_alloc_default(void);

/*
 * Contention figures of lib/alloc's lock and per-CPU caches (SMP), for
 * status pages: counts, not times, so they compare designs on a loaded
 * host. All zero without CONFIG_SMP.
 */
struct cn_alloc_smp_stats {
	uint64_t lock_taken;	/* times the allocator lock was taken */
	uint64_t lock_contended;	/* of those, the first try found it held */
	uint64_t cache_hits;	/* malloc/free served by a per-CPU cache */
	uint64_t cache_refills;	/* a cache empty: a batch from the heap */
	uint64_t cache_flushes;	/* a cache full: half back to the heap */
};

#ifdef CONFIG_SMP
void cn_alloc_smp_stats_read(struct cn_alloc_smp_stats *st);
#else
static inline void cn_alloc_smp_stats_read(struct cn_alloc_smp_stats *st)
{
	*st = (struct cn_alloc_smp_stats){ 0 };
}
#endif

#ifdef CONFIG_LIB_ALLOC_PERCPU
/*
 * Gives every block in every CPU's cache back to the default allocator
 * (LIB_ALLOC_PERCPU; malloc does it itself before failing). May be called
 * from any thread; takes each CPU's cache lock in turn.
 */
void cn_alloc_cache_flush(void);
#else
static inline void cn_alloc_cache_flush(void)
{
}
#endif

/* Calls fn for every registered allocator (for `free` in a shell). */
void cn_alloc_foreach(void (*fn)(struct cn_alloc *a, void *arg), void *arg);

#endif
