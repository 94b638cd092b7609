/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Two-level segregated fit allocator (TLSF, after Masmano, Ripoll, Crespo
 * and Real, ECRTS 2004). Free blocks sit in lists by size class: the first
 * level is the power of two below the size, the second splits each power
 * into SL_COUNT equal ranges. A bitmap per level says which lists hold
 * blocks, so finding a big enough block is two find-first-set operations:
 * malloc and free take constant time whatever the heap holds. Blocks carry
 * boundary tags, so free merges a block with both neighbours at once and
 * no two free blocks are ever adjacent. Platform independent: this is the
 * backend behind <cairn/alloc.h>, and it also builds for the host.
 *
 * A block starts with a two-word header:
 *
 *	prev_phys	the block just before, valid only while that one is
 *			free (PREV_FREE); otherwise that block's last data word
 *	head		span | FREE | PREV_FREE
 *	data		16-aligned; a free block keeps its list links here
 *
 * The span is the distance to the next block's header, a multiple of 16.
 * A used block's data runs on into the next block's prev_phys word, so it
 * costs one word over its data: usable size = span - WORD. Each pool is
 * framed by two used sentinels: a 16-byte one before the first block and
 * a header of span 0 after the last, so merging stops at the pool's ends
 * without a check.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cairn/alloc_backend.h>
#include <cairn/alloc_tlsf.h>

#define ALIGN_LOG2	4
#define ALIGN		((size_t)1 << ALIGN_LOG2)
#define SL_LOG2		4
#define SL_COUNT	(1u << SL_LOG2)
/* Spans below SMALL are all in first-level list 0, one list per 16 bytes. */
#define FL_SHIFT	(SL_LOG2 + ALIGN_LOG2)
#define SMALL		((size_t)1 << FL_SHIFT)
/* Spans are below 1 << SPAN_LOG2, so that the first level fits 32 bits. */
#if SIZE_MAX > 0xffffffffu
#define SPAN_LOG2	39
#else
#define SPAN_LOG2	31
#endif
#define FL_COUNT	(SPAN_LOG2 - FL_SHIFT + 1)
#define SPAN_MAX	(((size_t)1 << SPAN_LOG2) - ALIGN)

#define WORD		sizeof(void *)
#define HDR		offsetof(struct block, next_free)
/* Header, both list links and the next block's prev_phys: 4 words. */
#define MIN_SPAN	((size_t)32)
#define LEAD_SPAN	ALIGN

#define FREE		((size_t)1)
#define PREV_FREE	((size_t)2)
#define FLAGS		(ALIGN - 1)

struct block {
	struct block *prev_phys;
	size_t head;
	struct block *next_free;	/* free blocks only, in the data */
	struct block *prev_free;
};

struct tlsf {
	struct cn_alloc a;		/* first: a cn_alloc * is ours */
	uint32_t fl_map;		/* bit f: some sl_map[f] bit is set */
	uint32_t sl_map[FL_COUNT];	/* bit s: heads[f][s] is not empty */
	struct block *heads[FL_COUNT][SL_COUNT];
	size_t avail;			/* usable bytes of the free blocks */
};

_Static_assert(sizeof(size_t) == WORD, "a header word holds a pointer");
_Static_assert(4 * WORD <= MIN_SPAN, "a free block holds its links");
_Static_assert(FL_COUNT <= 32 && SL_COUNT <= 32, "bitmaps are 32 bits");

static size_t span_of(const struct block *b)
{
	return b->head & ~FLAGS;
}

static struct block *next_phys(const struct block *b)
{
	return (struct block *)((char *)b + span_of(b));
}

static void *to_data(struct block *b)
{
	return (char *)b + HDR;
}

static struct block *from_data(void *p)
{
	return (struct block *)((char *)p - HDR);
}

static unsigned int log2_floor(size_t x)
{
	return 63 - __builtin_clzll(x);
}

static uintptr_t align_up(uintptr_t x, size_t a)
{
	return (x + (a - 1)) & ~(uintptr_t)(a - 1);
}

/*
 * The span of a block with at least size usable bytes, or 0 when there
 * can be none. Checked before rounding, so that no size overflows.
 */
static size_t span_for(size_t size)
{
	size_t span;

	if (size > SPAN_MAX - WORD)
		return 0;
	span = align_up(size + WORD, ALIGN);
	return span < MIN_SPAN ? MIN_SPAN : span;
}

/* The list a block of this span belongs in. */
static void mapping(size_t span, unsigned int *fl, unsigned int *sl)
{
	unsigned int k;

	if (span < SMALL) {
		*fl = 0;
		*sl = span >> ALIGN_LOG2;
		return;
	}
	k = log2_floor(span);
	*fl = k - FL_SHIFT + 1;
	*sl = (span >> (k - SL_LOG2)) - SL_COUNT;
}

static void list_insert(struct tlsf *t, struct block *b)
{
	unsigned int fl, sl;

	mapping(span_of(b), &fl, &sl);
	b->prev_free = NULL;
	b->next_free = t->heads[fl][sl];
	if (b->next_free)
		b->next_free->prev_free = b;
	t->heads[fl][sl] = b;
	t->sl_map[fl] |= 1u << sl;
	t->fl_map |= 1u << fl;
	t->avail += span_of(b) - WORD;
}

static void list_remove(struct tlsf *t, struct block *b)
{
	unsigned int fl, sl;

	mapping(span_of(b), &fl, &sl);
	if (b->next_free)
		b->next_free->prev_free = b->prev_free;
	if (b->prev_free) {
		b->prev_free->next_free = b->next_free;
	} else {
		t->heads[fl][sl] = b->next_free;
		if (!b->next_free) {
			t->sl_map[fl] &= ~(1u << sl);
			if (!t->sl_map[fl])
				t->fl_map &= ~(1u << fl);
		}
	}
	t->avail -= span_of(b) - WORD;
}

/*
 * A free block of at least span bytes, still in its list, or NULL. The
 * request is rounded up to the next class boundary, so that any block of
 * the first non-empty class at or above it fits (good fit in O(1)). When
 * there is none, the first block of the request's own class may still be
 * big enough: trying it costs one comparison and keeps the last large
 * blocks reachable.
 */
static struct block *find_free(struct tlsf *t, size_t span)
{
	unsigned int fl, sl;
	uint32_t map = 0;
	struct block *b;

	if (span >= SMALL)
		mapping(span + ((size_t)1 << (log2_floor(span) - SL_LOG2)) - 1,
			&fl, &sl);
	else
		mapping(span, &fl, &sl);
	if (fl < FL_COUNT) {
		map = t->sl_map[fl] & (~0u << sl);
		if (!map && fl + 1 < FL_COUNT) {
			uint32_t fmap = t->fl_map & (~0u << (fl + 1));

			if (fmap) {
				fl = __builtin_ctz(fmap);
				map = t->sl_map[fl];
			}
		}
	}
	if (map)
		return t->heads[fl][__builtin_ctz(map)];
	mapping(span, &fl, &sl);
	b = t->heads[fl][sl];
	return b && span_of(b) >= span ? b : NULL;
}

/*
 * Frees b (its FREE bit clear, PREV_FREE right): merges it with a free
 * block on either side, tells the next block, and lists the result.
 */
static void release(struct tlsf *t, struct block *b)
{
	struct block *n = next_phys(b);

	if (b->head & PREV_FREE) {
		struct block *p = b->prev_phys;

		list_remove(t, p);
		p->head += span_of(b);
		b = p;
	}
	if (n->head & FREE) {
		list_remove(t, n);
		b->head += span_of(n);
		n = next_phys(b);
	}
	b->head |= FREE;
	n->head |= PREV_FREE;
	n->prev_phys = b;
	list_insert(t, b);
}

/* Cuts the used block b down to span; a large enough rest is freed. */
static void trim(struct tlsf *t, struct block *b, size_t span)
{
	size_t rest = span_of(b) - span;
	struct block *r;

	if (rest < MIN_SPAN)
		return;
	b->head -= rest;
	r = next_phys(b);
	r->head = rest;		/* used, after a used block, until freed */
	release(t, r);
}

/* b, taken out of its list, becomes a used block of span. */
static void *take(struct tlsf *t, struct block *b, size_t span)
{
	b->head &= ~FREE;
	next_phys(b)->head &= ~PREV_FREE;
	trim(t, b, span);
	return to_data(b);
}

static void *tlsf_malloc(struct cn_alloc *a, size_t size)
{
	struct tlsf *t = (struct tlsf *)a;
	size_t span = span_for(size);
	struct block *b;

	if (!span)
		return NULL;
	b = find_free(t, span);
	if (!b)
		return NULL;
	list_remove(t, b);
	return take(t, b, span);
}

/*
 * Takes a block large enough to hold span bytes at any alignment, then
 * gives back the part before the first aligned address as a free block.
 * That gap must be able to hold a block, so it is 0 or at least MIN_SPAN:
 * at most align + 16, hence the search for span + align + MIN_SPAN. The
 * gap needs no merging: the block before a free block is never free.
 */
static void *tlsf_memalign(struct cn_alloc *a, size_t align, size_t size)
{
	struct tlsf *t = (struct tlsf *)a;
	size_t span = span_for(size), gap;
	struct block *b, *c;
	uintptr_t data;

	if (align <= ALIGN)
		return tlsf_malloc(a, size);
	if (!span || span > SPAN_MAX - MIN_SPAN ||
	    align > SPAN_MAX - MIN_SPAN - span)
		return NULL;
	b = find_free(t, span + align + MIN_SPAN);
	if (!b)
		return NULL;
	list_remove(t, b);
	data = (uintptr_t)to_data(b);
	gap = align_up(data, align) - data;
	if (gap && gap < MIN_SPAN)
		gap += align;
	if (gap) {
		c = (struct block *)((char *)b + gap);
		c->head = (span_of(b) - gap) | PREV_FREE;
		c->prev_phys = b;
		b->head -= span_of(c);
		list_insert(t, b);
		b = c;
	}
	return take(t, b, span);
}

static void tlsf_free(struct cn_alloc *a, void *p)
{
	release((struct tlsf *)a, from_data(p));
}

static size_t tlsf_usable(struct cn_alloc *a, void *p)
{
	return span_of(from_data(p)) - WORD;
}

/*
 * Shrinks in place, grows into a free next block when that is enough,
 * and otherwise moves (malloc, copy, free), leaving p alone on failure.
 */
static void *tlsf_realloc(struct cn_alloc *a, void *p, size_t size)
{
	struct tlsf *t = (struct tlsf *)a;
	struct block *b = from_data(p), *n = next_phys(b);
	size_t span = span_for(size), have = span_of(b);
	void *q;

	if (!span)
		return NULL;
	if (span > have && (n->head & FREE) && span - have <= span_of(n)) {
		list_remove(t, n);
		b->head += span_of(n);
		next_phys(b)->head &= ~PREV_FREE;
		have = span_of(b);
	}
	if (span <= have) {
		trim(t, b, span);
		return p;
	}
	q = tlsf_malloc(a, size);
	if (q) {
		memcpy(q, p, have - WORD);
		release(t, b);
	}
	return q;
}

static size_t tlsf_avail(struct cn_alloc *a)
{
	return ((struct tlsf *)a)->avail;
}

/*
 * Makes [base, base + len) a pool: the lead sentinel, one free block,
 * the end sentinel. Headers sit HDR before a 16-aligned address.
 */
static int add_pool(struct tlsf *t, uintptr_t base, size_t len)
{
	uintptr_t first, end;
	struct block *b, *last;

	if (!base || len < LEAD_SPAN + MIN_SPAN + 2 * ALIGN ||
	    len > UINTPTR_MAX - base)
		return -EINVAL;
	if (len > SPAN_MAX)
		len = SPAN_MAX;
	first = align_up(base + HDR, ALIGN) - HDR;
	end = ((base + len) & ~(uintptr_t)(ALIGN - 1)) - HDR;
	if (end < first || end - first < LEAD_SPAN + MIN_SPAN)
		return -EINVAL;
	((struct block *)first)->head = LEAD_SPAN;
	b = (struct block *)(first + LEAD_SPAN);
	b->head = end - (uintptr_t)b;
	last = (struct block *)end;
	last->head = 0;
	release(t, b);
	t->a.stats.total += len;
	return 0;
}

static int tlsf_add_memory(struct cn_alloc *a, void *base, size_t len)
{
	return add_pool((struct tlsf *)a, (uintptr_t)base, len);
}

static const struct cn_alloc_ops tlsf_ops = {
	.malloc = tlsf_malloc,
	.memalign = tlsf_memalign,
	.free = tlsf_free,
	.usable_size = tlsf_usable,
	.realloc = tlsf_realloc,
	.availmem = tlsf_avail,
	.add_memory = tlsf_add_memory,
};

struct cn_alloc *cn_tlsf_create(void *base, size_t len)
{
	uintptr_t start = align_up((uintptr_t)base, ALIGN);
	size_t skip = start - (uintptr_t)base + sizeof(struct tlsf);
	struct tlsf *t = (struct tlsf *)start;

	if (!base || len <= skip || start < (uintptr_t)base)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->a.ops = &tlsf_ops;
	t->a.name = "tlsf";
	if (add_pool(t, start + sizeof(*t), len - skip))
		return NULL;
	cn_alloc_register(&t->a);
	return &t->a;
}
