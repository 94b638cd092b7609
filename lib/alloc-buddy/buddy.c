/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Binary buddy allocator with a small-object layer, a backend of lib/alloc.
 *
 * Each area is cut into 4096-byte pages; an array of page descriptors sits
 * at its start, before the first page. A block of order k is 2^k pages
 * aligned to 4096 << k in absolute addresses: the buddy of the block at
 * page frame f is the one at f ^ 2^k, so areas need no special alignment
 * and page-or-larger alignments come from the block size. Only a block's
 * first page (its head) carries flags and order. Free blocks sit on one
 * list per order, linked through their descriptors, so free memory itself
 * is never written.
 *
 * Requests up to 2048 bytes take an object of a size class (16, 32, ...,
 * 2048). A class takes single pages from the buddy; a page hands out
 * never-used objects from a bump offset and reused ones from a free list
 * linked by 16-bit offsets inside the objects. Pages with a free object
 * sit on their class's partial list; a page whose objects are all free
 * goes back to the buddy at once. Every class size divides the page, so
 * an object is aligned to its size.
 *
 * Platform independent (builds for the host too).
 */
#include <errno.h>
#include <string.h>
#include <cairn/alloc_backend.h>
#include <cairn/alloc_buddy.h>

/*
 * The buddy's unit. Its own constant, not CN_PAGE_SIZE: the allocator is
 * portable (it also builds on the host for the fuzzers), and any power of
 * two works; 4096 matches the page of every architecture Cairn has.
 */
#define BUDDY_PAGE_SHIFT	12
#define BUDDY_PAGE	((size_t)1 << BUDDY_PAGE_SHIFT)
#define MAX_ORDER	20		/* largest block: 2^20 pages */
#define MIN_SHIFT	4		/* smallest class: 16 bytes */
#define NR_CLASSES	8		/* 16 ... 2048 */
#define MAX_SMALL	((size_t)1 << (MIN_SHIFT + NR_CLASSES - 1))
#define MAX_AREAS	8
#define AREA_SHIFT	28		/* a page ref: area << 28 | page */
#define IDX_MASK	((1u << AREA_SHIFT) - 1)
#define NIL		UINT32_MAX	/* end of a list of pages */
#define NO_OBJ		UINT16_MAX	/* end of a page's free list */

/* Page flags, on a block's head page only (other pages have 0). */
#define PG_FREE		1	/* a free block, on free[order] */
#define PG_USED		2	/* an allocated block */
#define PG_SLAB		4	/* small objects; order is the class */

struct page {
	uint32_t prev, next;	/* on free[order] or on partial[class] */
	uint16_t inuse;		/* slab: objects handed out */
	uint16_t free;		/* slab: offset of the first free one */
	uint16_t bump;		/* slab: offset of the first never used */
	uint8_t flags;
	uint8_t order;		/* block order, or a slab page's class */
};

struct area {
	uintptr_t start;	/* address of page 0, page aligned */
	size_t npages;
	struct page *pages;	/* npages descriptors, just before start */
};

struct buddy {
	struct cn_alloc a;	/* first: the cn_alloc pointer is ours */
	struct area area[MAX_AREAS];
	unsigned int nr_areas;
	uint32_t free[MAX_ORDER + 1];
	uint32_t partial[NR_CLASSES];
	size_t avail;		/* bytes in free blocks and objects */
};

static uintptr_t align_up(uintptr_t x, size_t a)
{
	return (x + (a - 1)) & ~(uintptr_t)(a - 1);
}

/* base + len, or the top of the address space should that wrap. */
static uintptr_t end_of(void *base, size_t len)
{
	uintptr_t b = (uintptr_t)base;

	return len > UINTPTR_MAX - b ? UINTPTR_MAX : b + len;
}

static struct page *page_of(struct buddy *b, uint32_t ref)
{
	return &b->area[ref >> AREA_SHIFT].pages[ref & IDX_MASK];
}

static uintptr_t addr_of(struct buddy *b, uint32_t ref)
{
	return b->area[ref >> AREA_SHIFT].start +
	       ((uintptr_t)(ref & IDX_MASK) << BUDDY_PAGE_SHIFT);
}

/* The ref of the page holding p, NIL when p is in none of the areas. */
static uint32_t ref_of(struct buddy *b, const void *p)
{
	uintptr_t x = (uintptr_t)p;
	unsigned int i;

	for (i = 0; i < b->nr_areas; i++) {
		const struct area *ar = &b->area[i];
		size_t n = (x - ar->start) >> BUDDY_PAGE_SHIFT;

		if (x >= ar->start && n < ar->npages)
			return i << AREA_SHIFT | (uint32_t)n;
	}
	return NIL;
}

static void list_add(struct buddy *b, uint32_t *head, uint32_t ref)
{
	struct page *pg = page_of(b, ref);

	pg->prev = NIL;
	pg->next = *head;
	if (*head != NIL)
		page_of(b, *head)->prev = ref;
	*head = ref;
}

static void list_del(struct buddy *b, uint32_t *head, uint32_t ref)
{
	struct page *pg = page_of(b, ref);

	if (pg->prev != NIL)
		page_of(b, pg->prev)->next = pg->next;
	else
		*head = pg->next;
	if (pg->next != NIL)
		page_of(b, pg->next)->prev = pg->prev;
}

static void put_free(struct buddy *b, uint32_t ref, unsigned int order)
{
	struct page *pg = page_of(b, ref);

	pg->flags = PG_FREE;
	pg->order = (uint8_t)order;
	list_add(b, &b->free[order], ref);
}

/*
 * The buddy of the order-k block at ref, or NIL when that would reach
 * outside the area (blocks at an area's edges may have none).
 */
static uint32_t buddy_of(struct buddy *b, uint32_t ref, unsigned int k)
{
	const struct area *ar = &b->area[ref >> AREA_SHIFT];
	size_t first = ar->start >> BUDDY_PAGE_SHIFT, n = (size_t)1 << k;
	size_t pfn = (first + (ref & IDX_MASK)) ^ n;

	if (ar->npages < n || pfn < first || pfn - first > ar->npages - n)
		return NIL;
	return (ref & ~IDX_MASK) | (uint32_t)(pfn - first);
}

/* Whether the block at ref is free and of order k. */
static int is_free(struct buddy *b, uint32_t ref, unsigned int k)
{
	const struct page *pg = page_of(b, ref);

	return pg->flags == PG_FREE && pg->order == k;
}

/*
 * Takes a block of 2^order pages aligned to 2^min pages (min >= order):
 * the lowest part of the first free block of order min or more, whose
 * upper halves go back to the free lists. NIL when there is none.
 */
static uint32_t alloc_pages(struct buddy *b, unsigned int order,
			    unsigned int min)
{
	unsigned int k = min;
	struct page *pg;
	uint32_t ref;

	while (k <= MAX_ORDER && b->free[k] == NIL)
		k++;
	if (k > MAX_ORDER)
		return NIL;
	ref = b->free[k];
	list_del(b, &b->free[k], ref);
	while (k > order) {
		k--;
		put_free(b, ref + (1u << k), k);
	}
	pg = page_of(b, ref);
	pg->flags = PG_USED;
	pg->order = (uint8_t)order;
	b->avail -= BUDDY_PAGE << order;
	return ref;
}

/* Frees the block at ref, merging it with its free buddies. */
static void free_pages(struct buddy *b, uint32_t ref)
{
	unsigned int k = page_of(b, ref)->order;
	uint32_t bud;

	b->avail += BUDDY_PAGE << k;
	page_of(b, ref)->flags = 0;
	for (; k < MAX_ORDER; k++) {
		bud = buddy_of(b, ref, k);
		if (bud == NIL || !is_free(b, bud, k))
			break;
		list_del(b, &b->free[k], bud);
		page_of(b, bud)->flags = 0;	/* no longer a head */
		if (bud < ref)
			ref = bud;
	}
	put_free(b, ref, k);
}

/*
 * Resizes the allocated block at ref in place to 2^order pages: shrinking
 * frees the upper halves; growing needs ref to be the lower half at each
 * step and every buddy above it free and whole. 0, or -1 when it cannot.
 */
static int resize_pages(struct buddy *b, uint32_t ref, unsigned int order)
{
	struct page *pg = page_of(b, ref);
	unsigned int k, old = pg->order;
	uint32_t bud;

	for (k = old; k > order; k--)
		put_free(b, ref + (1u << (k - 1)), k - 1);
	for (k = old; k < order; k++) {
		bud = buddy_of(b, ref, k);
		if (bud == NIL || bud < ref || !is_free(b, bud, k))
			return -1;
	}
	for (k = old; k < order; k++) {
		bud = buddy_of(b, ref, k);
		list_del(b, &b->free[k], bud);
		page_of(b, bud)->flags = 0;
	}
	b->avail = b->avail + (BUDDY_PAGE << old) - (BUDDY_PAGE << order);
	pg->order = (uint8_t)order;
	return 0;
}

/* The order of the smallest block holding size bytes; -1 if too large. */
static int order_of(size_t size)
{
	size_t pages = (size >> BUDDY_PAGE_SHIFT) + !!(size & (BUDDY_PAGE - 1));
	int k = 0;

	while (((size_t)1 << k) < pages)
		if (++k > MAX_ORDER)
			return -1;
	return k;
}

/* The class of size bytes (size <= MAX_SMALL). */
static unsigned int class_of(size_t size)
{
	unsigned int c = 0;

	while (((size_t)1 << (MIN_SHIFT + c)) < size)
		c++;
	return c;
}

static size_t class_size(unsigned int c)
{
	return (size_t)1 << (MIN_SHIFT + c);
}

static unsigned int class_objs(unsigned int c)
{
	return BUDDY_PAGE >> (MIN_SHIFT + c);
}

/* Takes a fresh page for class c and puts it on the partial list. */
static uint32_t slab_grow(struct buddy *b, unsigned int c)
{
	uint32_t ref = alloc_pages(b, 0, 0);
	struct page *pg;

	if (ref == NIL)
		return NIL;
	pg = page_of(b, ref);
	pg->flags = PG_SLAB;
	pg->order = (uint8_t)c;
	pg->inuse = 0;
	pg->free = NO_OBJ;
	pg->bump = 0;
	b->avail += BUDDY_PAGE;	/* the page is now all free objects */
	list_add(b, &b->partial[c], ref);
	return ref;
}

static void *small_alloc(struct buddy *b, unsigned int c)
{
	uint32_t ref = b->partial[c];
	struct page *pg;
	uintptr_t base;
	uint16_t off;

	if (ref == NIL && (ref = slab_grow(b, c)) == NIL)
		return NULL;
	pg = page_of(b, ref);
	base = addr_of(b, ref);
	if (pg->free != NO_OBJ) {
		off = pg->free;
		memcpy(&pg->free, (void *)(base + off), sizeof(pg->free));
	} else {
		off = pg->bump;
		pg->bump = (uint16_t)(off + class_size(c));
	}
	if (++pg->inuse == class_objs(c))
		list_del(b, &b->partial[c], ref);
	b->avail -= class_size(c);
	return (void *)(base + off);
}

static void small_free(struct buddy *b, uint32_t ref, void *p)
{
	struct page *pg = page_of(b, ref);
	unsigned int c = pg->order;
	uintptr_t off = (uintptr_t)p - addr_of(b, ref);

	if (off & (class_size(c) - 1) || !pg->inuse)
		return;			/* not an object of this page */
	memcpy(p, &pg->free, sizeof(pg->free));
	pg->free = (uint16_t)off;
	if (pg->inuse-- == class_objs(c))
		list_add(b, &b->partial[c], ref);
	b->avail += class_size(c);
	if (pg->inuse)
		return;
	list_del(b, &b->partial[c], ref);
	b->avail -= BUDDY_PAGE;	/* free_pages() counts the page again */
	pg->order = 0;
	free_pages(b, ref);
}

static void *buddy_memalign(struct cn_alloc *a, size_t align, size_t size)
{
	struct buddy *b = (struct buddy *)a;
	int order, min;
	uint32_t ref;

	if (size <= MAX_SMALL && align <= MAX_SMALL)
		return small_alloc(b, class_of(size > align ? size : align));
	order = order_of(size);
	min = order_of(align);
	if (order < 0 || min < 0)
		return NULL;
	ref = alloc_pages(b, (unsigned int)order,
			  (unsigned int)(min > order ? min : order));
	return ref == NIL ? NULL : (void *)addr_of(b, ref);
}

static void *buddy_malloc(struct cn_alloc *a, size_t size)
{
	return buddy_memalign(a, 16, size);
}

static void buddy_free(struct cn_alloc *a, void *p)
{
	struct buddy *b = (struct buddy *)a;
	uint32_t ref = ref_of(b, p);
	const struct page *pg;

	if (ref == NIL)
		return;
	pg = page_of(b, ref);
	if (pg->flags == PG_SLAB)
		small_free(b, ref, p);
	else if (pg->flags == PG_USED && (uintptr_t)p == addr_of(b, ref))
		free_pages(b, ref);
}

static size_t buddy_usable(struct cn_alloc *a, void *p)
{
	struct buddy *b = (struct buddy *)a;
	uint32_t ref = ref_of(b, p);
	const struct page *pg;

	if (ref == NIL)
		return 0;
	pg = page_of(b, ref);
	if (pg->flags == PG_SLAB)
		return class_size(pg->order);
	return pg->flags == PG_USED ? BUDDY_PAGE << pg->order : 0;
}

/*
 * Stays in place when the size class or block order is unchanged, and
 * for a block of pages that stays one: shrinking always works, growing
 * when the buddies above are free. Otherwise it moves; should that fail
 * while shrinking, the old memory is good enough.
 */
static void *buddy_realloc(struct cn_alloc *a, void *p, size_t size)
{
	struct buddy *b = (struct buddy *)a;
	size_t old = buddy_usable(a, p);
	int order = order_of(size);
	void *q;

	if (size <= MAX_SMALL) {
		if (old <= MAX_SMALL && old == class_size(class_of(size)))
			return p;
	} else if (order >= 0 && old >= BUDDY_PAGE &&
		   resize_pages(b, ref_of(b, p), (unsigned int)order) == 0) {
		return p;
	}
	q = buddy_malloc(a, size);
	if (!q)
		return size <= old ? p : NULL;
	memcpy(q, p, size < old ? size : old);
	buddy_free(a, p);
	return q;
}

static size_t buddy_avail(struct cn_alloc *a)
{
	return ((struct buddy *)a)->avail;
}

/* Cuts the pages of area i into the largest aligned free blocks. */
static void area_carve(struct buddy *b, unsigned int i)
{
	const struct area *ar = &b->area[i];
	size_t first = ar->start >> BUDDY_PAGE_SHIFT, n = 0;
	unsigned int k;

	while (n < ar->npages) {
		k = 0;
		while (k < MAX_ORDER && !((first + n) & ((size_t)1 << k)) &&
		       n + ((size_t)2 << k) <= ar->npages)
			k++;
		put_free(b, i << AREA_SHIFT | (uint32_t)n, k);
		n += (size_t)1 << k;
	}
}

/*
 * Makes [lo, hi) the next area: descriptors from lo, then as many whole
 * pages as fit after them. 0, or -ENOMEM when not one page fits.
 */
static int area_init(struct buddy *b, uintptr_t lo, uintptr_t hi)
{
	struct area *ar = &b->area[b->nr_areas];
	uintptr_t first;
	size_t n;

	lo = align_up(lo, 8);
	hi &= ~(uintptr_t)(BUDDY_PAGE - 1);
	if (lo == 0 || hi <= lo)
		return -ENOMEM;
	n = (hi - lo) / (BUDDY_PAGE + sizeof(struct page));
	if (n > IDX_MASK)
		n = IDX_MASK;
	first = align_up(lo + n * sizeof(struct page), BUDDY_PAGE);
	if (first >= hi)
		return -ENOMEM;
	if (n > (hi - first) >> BUDDY_PAGE_SHIFT)
		n = (hi - first) >> BUDDY_PAGE_SHIFT;
	if (!n)
		return -ENOMEM;
	ar->start = first;
	ar->npages = n;
	ar->pages = (struct page *)lo;
	memset(ar->pages, 0, n * sizeof(struct page));
	area_carve(b, b->nr_areas++);
	b->avail += n << BUDDY_PAGE_SHIFT;
	b->a.stats.total += n << BUDDY_PAGE_SHIFT;
	return 0;
}

static int buddy_add(struct cn_alloc *a, void *base, size_t len)
{
	struct buddy *b = (struct buddy *)a;
	uintptr_t lo = (uintptr_t)base, hi = end_of(base, len), s, e;
	unsigned int i;

	if (!base || !len)
		return -EINVAL;
	if (b->nr_areas == MAX_AREAS)
		return -ENOSPC;
	for (i = 0; i < b->nr_areas; i++) {
		/* The first area begins with the allocator's own state. */
		s = i ? (uintptr_t)b->area[i].pages : (uintptr_t)b;
		e = b->area[i].start + (b->area[i].npages << BUDDY_PAGE_SHIFT);
		if (lo < e && hi > s)
			return -EINVAL;
	}
	return area_init(b, lo, hi);
}

static const struct cn_alloc_ops buddy_ops = {
	.malloc = buddy_malloc,
	.memalign = buddy_memalign,
	.free = buddy_free,
	.usable_size = buddy_usable,
	.realloc = buddy_realloc,
	.availmem = buddy_avail,
	.add_memory = buddy_add,
};

struct cn_alloc *cn_buddy_create(void *base, size_t len)
{
	uintptr_t lo = align_up((uintptr_t)base, 16), hi = end_of(base, len);
	struct buddy *b = (struct buddy *)lo;

	if (!base || lo < (uintptr_t)base || hi <= lo ||
	    hi - lo < sizeof(*b) + BUDDY_PAGE)
		return NULL;
	memset(b, 0, sizeof(*b));
	memset(b->free, 0xff, sizeof(b->free));		/* all NIL */
	memset(b->partial, 0xff, sizeof(b->partial));
	b->a.ops = &buddy_ops;
	b->a.name = "buddy";
	if (area_init(b, lo + sizeof(*b), hi))
		return NULL;
	cn_alloc_register(&b->a);
	return &b->a;
}
