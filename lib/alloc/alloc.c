/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocator API over the backends: argument checks, errno, statistics
 * and the generic fallbacks, so each backend only allocates. Platform
 * independent (builds for the host too).
 */
#include <errno.h>
#include <string.h>
#include <cairn/alloc_backend.h>
#include "alloc_priv.h"

/*
 * With LIB_ALLOC_DEBUG every block goes through debug.c (header, canaries,
 * quarantine); the caller's address is taken here, at the API boundary.
 */
#ifdef CONFIG_LIB_ALLOC_DEBUG
#define CALLER() cn_alloc_dbg_caller((uintptr_t)__builtin_return_address(0), \
				    (uintptr_t)__builtin_return_address(1), \
				    (uintptr_t)__builtin_return_address(2))
#define RAW_MALLOC(a, size) cn_alloc_dbg_memalign(a, MIN_ALIGN, size, CALLER())
#define RAW_MEMALIGN(a, al, size) cn_alloc_dbg_memalign(a, al, size, CALLER())
#define RAW_FREE(a, p) cn_alloc_dbg_free(a, p, CALLER())
#define RAW_SIZE(a, p) cn_alloc_dbg_size(p)
#define HAS_REALLOC(a) 0
#define FORGET(a) cn_alloc_dbg_forget(a)
#else
#define FORGET(a) ((void)(a))
#define RAW_MALLOC(a, size) (a)->ops->malloc(a, size)
#define RAW_MEMALIGN(a, al, size) (a)->ops->memalign(a, al, size)
#define RAW_FREE(a, p) (a)->ops->free(a, p)
#define RAW_SIZE(a, p) (a)->ops->usable_size(a, p)
#define HAS_REALLOC(a) ((a)->ops->realloc != NULL)
#endif

#define MIN_ALIGN 16
/* No object may be larger than PTRDIFF_MAX (pointer differences must work). */
#define MAX_SIZE ((size_t)PTRDIFF_MAX)

/*
 * The lock around every operation: none by default (one thread); a
 * scheduler that can preempt installs one (lib/alloc stays platform
 * independent, so it cannot disable interrupts itself).
 */
static unsigned long no_lock(void)
{
	return 0;
}

static void no_unlock(unsigned long v)
{
}

static unsigned long (*lock)(void) = no_lock;
static void (*unlock)(unsigned long) = no_unlock;

/*
 * With SMP an interrupts-off section or the big lock would serialise every
 * CPU's malloc behind unrelated work: lib/alloc takes its own spinlock
 * (smp.c) and the installed lock is not used.
 */
#ifdef CONFIG_SMP
#define LOCK() cn_alloc_lock()
#define UNLOCK(l) cn_alloc_unlock(l)
#else
#define LOCK() lock()
#define UNLOCK(l) unlock(l)
#endif

/*
 * With LIB_ALLOC_PERCPU, small blocks of the default allocator come from
 * the calling CPU's cache (percpu.c), which takes the lock only to refill
 * or flush a batch.
 */
#ifdef CONFIG_LIB_ALLOC_PERCPU
#define CACHED(a, size) ((a) && (a) == default_alloc && \
			 (size) <= CN_ALLOC_PCPU_MAX)
#define DRAINABLE(a) ((a) && (a) == default_alloc)
#else
#define CACHED(a, size) 0
#define DRAINABLE(a) 0
#define cn_alloc_pcpu_malloc(a, size) NULL
#define cn_alloc_pcpu_free(a, p) 0
#define cn_alloc_pcpu_stats(a, st) ((void)(a), (void)(st))
#define cn_alloc_pcpu_peak(a) ((void)(a))
#define cn_alloc_pcpu_cached() 0
#endif

void cn_alloc_set_lock(unsigned long (*lock_fn)(void),
		       void (*unlock_fn)(unsigned long))
{
	lock = lock_fn;
	unlock = unlock_fn;
}

static struct cn_alloc *registry;
static struct cn_alloc *default_alloc;
static int (*lazy_default)(void);	/* sets the default heap up */

void cn_alloc_unregister(struct cn_alloc *a)
{
	struct cn_alloc **pp;

	FORGET(a);
	for (pp = &registry; *pp; pp = &(*pp)->next) {
		if (*pp == a) {
			*pp = a->next;
			break;
		}
	}
	if (default_alloc == a)
		default_alloc = registry;
}

/*
 * An allocator created again over the same memory has the same address:
 * it replaces its old entry instead of linking to itself.
 */
void cn_alloc_register(struct cn_alloc *a)
{
	struct cn_alloc *def = default_alloc;

	cn_alloc_unregister(a);
	a->next = registry;
	registry = a;
	/* With a heap still to be set up, another allocator is no default. */
	default_alloc = def ? def : lazy_default ? NULL : a;
}

void cn_alloc_set_default(struct cn_alloc *a)
{
	/* The caches hold blocks of the old default: give them back first. */
	if (default_alloc && a != default_alloc)
		cn_alloc_cache_flush();
	default_alloc = a;
}

void cn_alloc_set_lazy_default(int (*setup)(void))
{
	lazy_default = setup;
}

/* The first call after cn_alloc_set_lazy_default() sets the heap up. */
struct cn_alloc *cn_alloc_default(void)
{
	if (!default_alloc && lazy_default) {
		int (*setup)(void) = lazy_default;

		lazy_default = NULL;
		setup();
	}
	return default_alloc;
}

const char *cn_alloc_name(const struct cn_alloc *a)
{
	return a->name;
}

void cn_alloc_foreach(void (*fn)(struct cn_alloc *a, void *arg), void *arg)
{
	struct cn_alloc *a;

	for (a = registry; a; a = a->next)
		fn(a, arg);
}

/*
 * With the per-CPU caches the default heap's use is stats.used plus what
 * the caches handed out, and the caches raise the peak without this
 * lock: percpu.c compares the sum, atomically.
 */
static void raise_peak(struct cn_alloc *a)
{
	if (DRAINABLE(a))
		cn_alloc_pcpu_peak(a);
	else if (a->stats.used > a->stats.peak)
		a->stats.peak = a->stats.used;
}

static void account_alloc(struct cn_alloc *a, void *p)
{
	if (!p) {
		a->stats.nr_failed++;
		errno = ENOMEM;
		return;
	}
	a->stats.nr_allocs++;
	a->stats.used += RAW_SIZE(a, p);
	raise_peak(a);
}

static void *do_malloc(struct cn_alloc *a, size_t size)
{
	void *p;

	if (!a || size > MAX_SIZE) {
		if (a)
			a->stats.nr_failed++;
		errno = ENOMEM;
		return NULL;
	}
	p = RAW_MALLOC(a, size ? size : 1);
	account_alloc(a, p);
	return p;
}

static void *do_calloc(struct cn_alloc *a, size_t n, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total)) {
		if (a)
			a->stats.nr_failed++;
		errno = ENOMEM;
		return NULL;
	}
	p = do_malloc(a, total);
	if (p)
		memset(p, 0, total);
	return p;
}

static void *do_memalign(struct cn_alloc *a, size_t align, size_t size)
{
	void *p;

	if (!align || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	if (!a || size > MAX_SIZE || align > MAX_SIZE) {
		if (a)
			a->stats.nr_failed++;
		errno = ENOMEM;
		return NULL;
	}
	if (align < MIN_ALIGN)
		align = MIN_ALIGN;
	p = RAW_MEMALIGN(a, align, size ? size : 1);
	account_alloc(a, p);
	return p;
}

static void do_free(struct cn_alloc *a, void *p)
{
	if (!p || !a)
		return;
	a->stats.used -= RAW_SIZE(a, p);
	a->stats.nr_frees++;
	RAW_FREE(a, p);
}

size_t cn_alloc_usable_size(struct cn_alloc *a, void *p)
{
	return p && a ? RAW_SIZE(a, p) : 0;
}

static void *do_realloc(struct cn_alloc *a, void *p, size_t size)
{
	size_t old;
	void *q;

	if (!p)
		return do_malloc(a, size);
	if (!size) {
		do_free(a, p);
		return NULL;
	}
	if (size > MAX_SIZE) {
		a->stats.nr_failed++;
		errno = ENOMEM;
		return NULL;
	}
	old = RAW_SIZE(a, p);
	if (HAS_REALLOC(a)) {
		q = a->ops->realloc(a, p, size);
		if (!q) {
			a->stats.nr_failed++;
			errno = ENOMEM;
			return NULL;
		}
		a->stats.used = a->stats.used - old + a->ops->usable_size(a, q);
		raise_peak(a);
		return q;
	}
	if (size <= old)
		return p;		/* shrinking in place is always allowed */
	q = do_malloc(a, size);
	if (!q)
		return NULL;
	memcpy(q, p, old);
	do_free(a, p);
	return q;
}

int cn_alloc_add_memory(struct cn_alloc *a, void *base, size_t len)
{
	if (!a->ops->add_memory)
		return -ENOTSUP;
	return a->ops->add_memory(a, base, len);
}

int cn_alloc_stats(struct cn_alloc *a, struct cn_alloc_stats *st)
{
	*st = a->stats;
	st->free = a->ops->availmem ? a->ops->availmem(a) : 0;
	st->cached = 0;
	if (a == default_alloc)
		cn_alloc_pcpu_stats(a, st);
	return 0;
}

/*
 * The public entry points: the operations above under the lock. With the
 * per-CPU caches, an allocation from the default heap that fails while
 * the caches hold blocks is tried again after they gave them back, so
 * that cached memory never makes a malloc fail; the first failure is
 * not counted (nr_failed counts what the caller saw).
 */
#define LOCKED(a, call)							\
	({								\
		unsigned long l_ = LOCK();				\
		uint64_t failed_ = (a) ? (a)->stats.nr_failed : 0;	\
		void *p_ = call;					\
									\
		if (!p_ && DRAINABLE(a) && a->stats.nr_failed != failed_ && \
		    cn_alloc_pcpu_cached()) {				\
			a->stats.nr_failed = failed_;			\
			UNLOCK(l_);					\
			cn_alloc_cache_flush();				\
			l_ = LOCK();					\
			p_ = call;					\
		}							\
		UNLOCK(l_);						\
		p_;							\
	})

void *cn_alloc_locked_malloc(struct cn_alloc *a, size_t size)
{
	return LOCKED(a, do_malloc(a, size));
}

void *cn_alloc_malloc(struct cn_alloc *a, size_t size)
{
	if (CACHED(a, size))
		return cn_alloc_pcpu_malloc(a, size);
	return cn_alloc_locked_malloc(a, size);
}

void *cn_alloc_calloc(struct cn_alloc *a, size_t n, size_t size)
{
	size_t total;
	void *p;

	if (!__builtin_mul_overflow(n, size, &total) && CACHED(a, total)) {
		p = cn_alloc_pcpu_malloc(a, total);
		if (p)
			memset(p, 0, total);
		return p;
	}
	return LOCKED(a, do_calloc(a, n, size));
}

void *cn_alloc_memalign(struct cn_alloc *a, size_t align, size_t size)
{
	/* Every block is 16-aligned: a smaller power of two is a malloc. */
	if (align && !(align & (align - 1)) && align <= MIN_ALIGN &&
	    CACHED(a, size))
		return cn_alloc_pcpu_malloc(a, size);
	return LOCKED(a, do_memalign(a, align, size));
}

void cn_alloc_free(struct cn_alloc *a, void *p)
{
	unsigned long l;

	if (p && CACHED(a, 0) && cn_alloc_pcpu_free(a, p))
		return;
	l = LOCK();
	do_free(a, p);
	UNLOCK(l);
}

void *cn_alloc_realloc(struct cn_alloc *a, void *p, size_t size)
{
	return LOCKED(a, do_realloc(a, p, size));
}
