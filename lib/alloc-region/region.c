/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Region allocator. Each block is preceded by a 16-byte header holding its
 * usable size, so that realloc and the statistics work; free is a no-op.
 * Further areas (add_memory) are used once the current one is full.
 * Platform independent.
 */
#include <errno.h>
#include <string.h>
#include <cairn/alloc_backend.h>
#include <cairn/alloc_region.h>

#define HDR 16
#define MAX_AREAS 8

struct region {
	struct cn_alloc a;		/* first: the cn_alloc pointer is ours */
	uintptr_t cur, end;
	uintptr_t more_base[MAX_AREAS], more_end[MAX_AREAS];
	unsigned int nr_more;
};

static uintptr_t align_up(uintptr_t x, size_t a)
{
	return (x + (a - 1)) & ~(uintptr_t)(a - 1);
}

static void *take(struct region *r, size_t align, size_t size)
{
	for (;;) {
		uintptr_t p = align_up(r->cur + HDR, align);

		if (p >= r->cur && p <= r->end && size <= r->end - p) {
			((size_t *)p)[-1] = size;
			r->cur = p + size;
			return (void *)p;
		}
		if (!r->nr_more)
			return NULL;
		/* The rest of this area is lost: a region never goes back. */
		r->nr_more--;
		r->cur = r->more_base[r->nr_more];
		r->end = r->more_end[r->nr_more];
	}
}

static void *region_malloc(struct cn_alloc *a, size_t size)
{
	if (size > SIZE_MAX - 16)
		return NULL;		/* rounding up would wrap */
	return take((struct region *)a, 16, align_up(size, 16));
}

static void *region_memalign(struct cn_alloc *a, size_t align, size_t size)
{
	if (size > SIZE_MAX - 16)
		return NULL;
	return take((struct region *)a, align, align_up(size, 16));
}

static void region_free(struct cn_alloc *a, void *p)
{
}

static size_t region_usable(struct cn_alloc *a, void *p)
{
	return ((size_t *)p)[-1];
}

static size_t region_avail(struct cn_alloc *a)
{
	struct region *r = (struct region *)a;
	size_t n = r->end - r->cur;
	unsigned int i;

	for (i = 0; i < r->nr_more; i++)
		n += r->more_end[i] - r->more_base[i];
	return n;
}

static int region_add(struct cn_alloc *a, void *base, size_t len)
{
	struct region *r = (struct region *)a;

	if (r->nr_more == MAX_AREAS)
		return -ENOSPC;
	r->more_base[r->nr_more] = (uintptr_t)base;
	r->more_end[r->nr_more++] = (uintptr_t)base + len;
	a->stats.total += len;
	return 0;
}

static const struct cn_alloc_ops region_ops = {
	.malloc = region_malloc,
	.memalign = region_memalign,
	.free = region_free,
	.usable_size = region_usable,
	.availmem = region_avail,
	.add_memory = region_add,
};

struct cn_alloc *cn_region_create(void *base, size_t len)
{
	uintptr_t b = align_up((uintptr_t)base, 16);
	struct region *r = (struct region *)b;

	if (len < sizeof(*r) + (b - (uintptr_t)base) + 64)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->a.ops = &region_ops;
	r->a.name = "region";
	r->cur = b + sizeof(*r);
	r->end = (uintptr_t)base + len;
	r->a.stats.total = r->end - r->cur;
	cn_alloc_register(&r->a);
	return &r->a;
}
