/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What an allocator backend implements. The backend embeds struct
 * cn_alloc at the start of its own state, fills ops and name, and calls
 * cn_alloc_register(). lib/alloc's public functions check arguments, keep
 * the statistics, set errno, and fall back to generic code for optional
 * operations, so a backend only does the allocation itself.
 *
 * Backends are platform independent: they include only this header and
 * the C library's <stddef.h>, <stdint.h>, <string.h>, <errno.h>, so that
 * they also build for the host (tests under ASan/UBSan, libFuzzer,
 * benchmarks). A backend adds the bytes it manages to stats.total.
 */
#ifndef CAIRN_ALLOC_BACKEND_H
#define CAIRN_ALLOC_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <cairn/alloc.h>

struct cn_alloc_ops {
	/* required: size > 0 (lib/alloc turns 0 into 1); alignment >= 16 */
	void *(*malloc)(struct cn_alloc *a, size_t size);
	/* required: align is a power of two >= 16; size > 0 */
	void *(*memalign)(struct cn_alloc *a, size_t align, size_t size);
	/* required: p is never NULL */
	void (*free)(struct cn_alloc *a, void *p);
	/* required: bytes usable at p (>= the size asked for) */
	size_t (*usable_size)(struct cn_alloc *a, void *p);
	/*
	 * optional: resize in place or move; p != NULL, size > 0; NULL on
	 * failure with p untouched. Without it lib/alloc does
	 * malloc + copy + free (in place when usable_size suffices).
	 */
	void *(*realloc)(struct cn_alloc *a, void *p, size_t size);
	/* optional: bytes still available; without it stats.free is 0 */
	size_t (*availmem)(struct cn_alloc *a);
	/* optional: hands one more memory area to the allocator; 0 or -errno */
	int (*add_memory)(struct cn_alloc *a, void *base, size_t len);
};

struct cn_alloc {
	const struct cn_alloc_ops *ops;
	const char *name;
	struct cn_alloc_stats stats;	/* kept by lib/alloc */
	struct cn_alloc *next;		/* registry, kept by lib/alloc */
};

/*
 * Adds a (filled) allocator to the registry. The first one registered
 * becomes the default unless cn_alloc_set_default() says otherwise.
 */
void cn_alloc_register(struct cn_alloc *a);

/*
 * Removes a from the registry (before its memory is reused). If it was
 * the default, another registered allocator becomes the default.
 */
void cn_alloc_unregister(struct cn_alloc *a);

/*
 * The lock taken around every allocator operation (none by default): a
 * scheduler that can switch threads at any time installs one; it must
 * nest (an interrupt-flag save/restore does).
 */
void cn_alloc_set_lock(unsigned long (*lock_fn)(void),
		       void (*unlock_fn)(unsigned long));

/* Makes a the allocator behind malloc. */
void cn_alloc_set_default(struct cn_alloc *a);

/*
 * setup (which calls cn_alloc_set_default()) runs on the first
 * cn_alloc_default() call, so that the heap is built only when used.
 */
void cn_alloc_set_lazy_default(int (*setup)(void));

/*
 * Implemented by the backend chosen as the default in menuconfig (its
 * default_heap.c): creates the default allocator over [base, base + len).
 * lib/alloc's heap set-up calls it once, then add_memory for the other
 * free ranges. NULL if len is too small.
 */
struct cn_alloc *cn_alloc_default_create(void *base, size_t len);

#endif
