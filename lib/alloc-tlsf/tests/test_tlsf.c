/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/alloc-tlsf through lib/alloc's public API: alignment (the split-off
 * gap of memalign), exhaustion and merging, realloc in place and moving,
 * sizes near SIZE_MAX, extra pools, and a long random run with every
 * block's contents verified. Each case creates the allocator anew over
 * one static arena (the new one replaces the old in the registry), frees
 * what it took and checks that all memory came back in one block.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/alloc.h>
#include <cairn/alloc_backend.h>
#include <cairn/alloc_tlsf.h>
#include <cairn/test.h>

#define ARENA_SIZE	((size_t)1 << 20)
#define EXTRA_SIZE	((size_t)256 << 10)
#define MAX_LIVE	4096

static unsigned char arena[ARENA_SIZE] CN_ALIGNED(16);
static unsigned char extra[EXTRA_SIZE] CN_ALIGNED(16);
static void *live[MAX_LIVE];

/* A fresh allocator over the first len bytes of arena. */
static struct cn_alloc *fresh(size_t len)
{
	struct cn_alloc *a = cn_tlsf_create(arena, len);

	CN_ASSERT_NOT_NULL(a);
	return a;
}

static size_t avail(struct cn_alloc *a)
{
	struct cn_alloc_stats st;

	cn_alloc_stats(a, &st);
	return st.free;
}

/* Everything was freed: the memory is all free again, as at start. */
static void done(struct cn_alloc *a, size_t start)
{
	struct cn_alloc_stats st;

	cn_alloc_stats(a, &st);
	CN_EXPECT_EQ(st.used, 0);
	CN_EXPECT_EQ(st.nr_allocs, st.nr_frees);
	CN_EXPECT_EQ(st.free, start);
	cn_alloc_unregister(a);
}

static int inside(const void *p, const void *base, size_t len)
{
	uintptr_t x = (uintptr_t)p, b = (uintptr_t)base;

	return x >= b && x < b + len;
}

static void pattern(unsigned char *p, size_t n, unsigned int key)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(key + i * 7 + (i >> 8));
}

static int has_pattern(const unsigned char *p, size_t n, unsigned int key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(key + i * 7 + (i >> 8)))
			return 0;
	return 1;
}

CN_TEST(alloc_tlsf, create_refuses_too_small_an_area)
{
	struct cn_alloc *a;

	CN_EXPECT_NULL(cn_tlsf_create(NULL, ARENA_SIZE));
	CN_EXPECT_NULL(cn_tlsf_create(arena, 0));
	CN_EXPECT_NULL(cn_tlsf_create(arena, 64));
	CN_EXPECT_NULL(cn_tlsf_create(arena, 4096));
	a = fresh(ARENA_SIZE);
	CN_EXPECT_STREQ(cn_alloc_name(a), "tlsf");
	CN_EXPECT_LE(avail(a), ARENA_SIZE);
	CN_EXPECT_GT(avail(a), ARENA_SIZE - 8192);
	done(a, avail(a));
}

CN_TEST(alloc_tlsf, unaligned_area_still_gives_16_aligned_blocks)
{
	struct cn_alloc *a = cn_tlsf_create(arena + 3, ARENA_SIZE - 10);
	size_t i, start;

	CN_ASSERT_NOT_NULL(a);
	start = avail(a);
	for (i = 0; i < 64; i++) {
		live[i] = cn_alloc_malloc(a, i * 5);
		CN_ASSERT_NOT_NULL(live[i]);
		CN_EXPECT_EQ((uintptr_t)live[i] % 16, 0);
		CN_EXPECT_TRUE(inside(live[i], arena + 3, ARENA_SIZE - 10));
	}
	for (i = 0; i < 64; i++)
		cn_alloc_free(a, live[i]);
	done(a, start);
}

CN_TEST(alloc_tlsf, malloc_usable_size_covers_the_request_closely)
{
	struct cn_alloc *a = fresh(ARENA_SIZE);
	size_t i, start = avail(a), u;

	for (i = 0; i < 600; i++) {
		live[i] = cn_alloc_malloc(a, i);
		CN_ASSERT_NOT_NULL(live[i]);
		CN_EXPECT_EQ((uintptr_t)live[i] % 16, 0);
		u = cn_alloc_usable_size(a, live[i]);
		CN_EXPECT_GE(u, i);
		CN_EXPECT_LT(u, i + 32);
		memset(live[i], (int)i, u);
	}
	for (i = 0; i < 600; i++) {
		CN_EXPECT_EQ(((unsigned char *)live[i])[0], i & 0xff);
		cn_alloc_free(a, live[i]);
	}
	done(a, start);
}

CN_TEST(alloc_tlsf, zero_size_gives_distinct_blocks_that_can_be_freed)
{
	struct cn_alloc *a = fresh(ARENA_SIZE);
	size_t start = avail(a);
	void *p, *q, *r;

	p = cn_alloc_malloc(a, 0);
	q = cn_alloc_malloc(a, 0);
	r = cn_alloc_memalign(a, 256, 0);
	CN_ASSERT_NOT_NULL(p);
	CN_ASSERT_NOT_NULL(q);
	CN_ASSERT_NOT_NULL(r);
	CN_EXPECT_NE(p, q);
	CN_EXPECT_EQ((uintptr_t)r % 256, 0);
	cn_alloc_free(a, q);
	cn_alloc_free(a, p);
	cn_alloc_free(a, r);
	done(a, start);
}

/* Powers of two from 1 to 64 KiB, each between small blocks. */
CN_TEST(alloc_tlsf, memalign_honours_every_power_of_two)
{
	static const size_t sizes[] = { 1, 24, 100, 1000, 5000 };
	struct cn_alloc *a = fresh(ARENA_SIZE);
	size_t align, i, n = 0, start = avail(a);
	void *p;

	for (align = 1; align <= 65536; align <<= 1) {
		for (i = 0; i < CN_ARRAY_SIZE(sizes); i++) {
			p = cn_alloc_memalign(a, align, sizes[i]);
			CN_ASSERT_NOT_NULL(p);
			CN_EXPECT_EQ((uintptr_t)p % align, 0);
			CN_EXPECT_EQ((uintptr_t)p % 16, 0);
			CN_EXPECT_GE(cn_alloc_usable_size(a, p), sizes[i]);
			memset(p, 0xa5, sizes[i]);
			live[n++] = p;
			live[n] = cn_alloc_malloc(a, 8 + n % 40);
			CN_ASSERT_NOT_NULL(live[n]);
			n++;
		}
	}
	while (n)
		cn_alloc_free(a, live[--n]);
	done(a, start);
}

CN_TEST(alloc_tlsf, memalign_refuses_an_alignment_that_is_no_power_of_two)
{
	static const size_t bad[] = { 0, 3, 24, 48, 4097, 12288 };
	struct cn_alloc *a = fresh(ARENA_SIZE);
	size_t i, start = avail(a);

	for (i = 0; i < CN_ARRAY_SIZE(bad); i++) {
		errno = 0;
		CN_EXPECT_NULL(cn_alloc_memalign(a, bad[i], 64));
		CN_EXPECT_EQ(errno, EINVAL);
	}
	done(a, start);
}

CN_TEST(alloc_tlsf, sizes_near_size_max_fail_without_overflow)
{
	static const size_t huge[] = {
		SIZE_MAX, SIZE_MAX - 7, SIZE_MAX - 16, SIZE_MAX / 2,
		SIZE_MAX / 2 - 15, ARENA_SIZE,
#if SIZE_MAX > 0xffffffffu
		/* around the largest block TLSF has a class for */
		((size_t)1 << 39) - 16, ((size_t)1 << 39) - 24,
#endif
	};
	struct cn_alloc *a = fresh(ARENA_SIZE);
	size_t i, start = avail(a);
	unsigned char *p, *raw;

	p = cn_alloc_malloc(a, 100);
	raw = a->ops->malloc(a, 100);
	CN_ASSERT_NOT_NULL(p);
	CN_ASSERT_NOT_NULL(raw);
	pattern(p, 100, 9);
	pattern(raw, 100, 10);
	for (i = 0; i < CN_ARRAY_SIZE(huge); i++) {
		errno = 0;
		CN_EXPECT_NULL(cn_alloc_malloc(a, huge[i]));
		CN_EXPECT_EQ(errno, ENOMEM);
		errno = 0;
		CN_EXPECT_NULL(cn_alloc_memalign(a, 4096, huge[i]));
		CN_EXPECT_EQ(errno, ENOMEM);
		errno = 0;
		CN_EXPECT_NULL(cn_alloc_memalign(a, SIZE_MAX / 4 + 1,
						 huge[i] >> 20));
		CN_EXPECT_EQ(errno, ENOMEM);
		errno = 0;
		CN_EXPECT_NULL(cn_alloc_realloc(a, p, huge[i]));
		CN_EXPECT_EQ(errno, ENOMEM);
		/*
		 * lib/alloc stops sizes above PTRDIFF_MAX before they reach
		 * the backend: check the backend's own guard directly.
		 */
		CN_EXPECT_NULL(a->ops->malloc(a, huge[i]));
		CN_EXPECT_NULL(a->ops->memalign(a, 65536, huge[i]));
		CN_EXPECT_NULL(a->ops->memalign(a, (SIZE_MAX >> 1) + 1,
						huge[i] >> 20));
		CN_EXPECT_NULL(a->ops->realloc(a, raw, huge[i]));
	}
	errno = 0;
	CN_EXPECT_NULL(cn_alloc_calloc(a, SIZE_MAX / 2, 4));
	CN_EXPECT_EQ(errno, ENOMEM);
	CN_EXPECT_TRUE(has_pattern(p, 100, 9));
	CN_EXPECT_TRUE(has_pattern(raw, 100, 10));
	a->ops->free(a, raw);
	cn_alloc_free(a, p);
	done(a, start);
}

/* Fills a with blocks of sizes cycling through sizes; returns how many. */
static size_t fill(struct cn_alloc *a)
{
	static const size_t sizes[] = { 24, 200, 1000, 4000, 64 };
	size_t n = 0;

	errno = 0;
	while (n < MAX_LIVE) {
		live[n] = cn_alloc_malloc(a, sizes[n % CN_ARRAY_SIZE(sizes)]);
		if (!live[n])
			break;
		n++;
	}
	CN_EXPECT_EQ(errno, ENOMEM);
	return n;
}

CN_TEST(alloc_tlsf, exhaustion_then_reuse_after_merging)
{
	struct cn_alloc *a = fresh(ARENA_SIZE);
	size_t n, m, i, start = avail(a);
	void *p;

	n = fill(a);
	CN_EXPECT_GT(n, 500);
	CN_EXPECT_LT(n, MAX_LIVE);
	CN_EXPECT_LT(avail(a), 4096);
	/* Every other block first, so that each later free merges both ways. */
	for (i = 0; i < n; i += 2)
		cn_alloc_free(a, live[i]);
	for (i = 1; i < n; i += 2)
		cn_alloc_free(a, live[i]);
	CN_EXPECT_EQ(avail(a), start);
	m = fill(a);
	CN_EXPECT_EQ(m, n);
	while (m)
		cn_alloc_free(a, live[--m]);
	p = cn_alloc_malloc(a, ARENA_SIZE / 10 * 9);
	CN_EXPECT_NOT_NULL(p);
	cn_alloc_free(a, p);
	/* All of it: the one free block is exactly big enough. */
	p = cn_alloc_malloc(a, start);
	CN_EXPECT_NOT_NULL(p);
	CN_EXPECT_EQ(avail(a), 0);
	cn_alloc_free(a, p);
	done(a, start);
}

CN_TEST(alloc_tlsf, free_merges_with_both_neighbours)
{
	struct cn_alloc *a = fresh(ARENA_SIZE);
	size_t start = avail(a);
	void *p[4], *rest;

	p[0] = cn_alloc_malloc(a, 1000);
	p[1] = cn_alloc_malloc(a, 1000);
	p[2] = cn_alloc_malloc(a, 1000);
	p[3] = cn_alloc_malloc(a, 1000);
	CN_ASSERT_NOT_NULL(p[3]);
	/* The rest of the arena, so that only the merged block is free. */
	rest = cn_alloc_malloc(a, avail(a));
	CN_ASSERT_NOT_NULL(rest);
	CN_EXPECT_EQ(avail(a), 0);
	cn_alloc_free(a, p[0]);
	cn_alloc_free(a, p[2]);
	cn_alloc_free(a, p[1]);
	/* The three merged blocks hold 3000 bytes where the first was. */
	CN_EXPECT_EQ(cn_alloc_malloc(a, 3000), p[0]);
	cn_alloc_free(a, p[0]);
	cn_alloc_free(a, p[3]);
	cn_alloc_free(a, rest);
	done(a, start);
}

CN_TEST(alloc_tlsf, realloc_grows_in_place_into_a_free_next_block)
{
	struct cn_alloc *a = fresh(ARENA_SIZE);
	size_t start = avail(a);
	unsigned char *p, *q;

	p = cn_alloc_malloc(a, 100);
	CN_ASSERT_NOT_NULL(p);
	pattern(p, 100, 1);
	q = cn_alloc_realloc(a, p, 20000);
	CN_ASSERT_NOT_NULL(q);
	CN_EXPECT_EQ(q, p);
	CN_EXPECT_GE(cn_alloc_usable_size(a, q), 20000);
	CN_EXPECT_TRUE(has_pattern(q, 100, 1));
	cn_alloc_free(a, q);
	done(a, start);
}

CN_TEST(alloc_tlsf, realloc_moves_when_the_next_block_is_in_use)
{
	struct cn_alloc *a = fresh(ARENA_SIZE);
	unsigned char *p, *q, *wall, *hole, *rest;
	size_t start = avail(a);
	struct cn_alloc_stats st;

	p = cn_alloc_malloc(a, 3000);
	wall = cn_alloc_malloc(a, 16);
	hole = cn_alloc_malloc(a, 7000);
	rest = cn_alloc_malloc(a, avail(a));
	CN_ASSERT_NOT_NULL(rest);
	cn_alloc_free(a, hole);
	pattern(p, 3000, 2);
	/* The only free block is the hole: p moves there. */
	q = cn_alloc_realloc(a, p, 7000);
	CN_ASSERT_NOT_NULL(q);
	CN_EXPECT_EQ(q, hole);
	CN_EXPECT_TRUE(has_pattern(q, 3000, 2));
	/* The old block is free again: a new one of its size goes there. */
	CN_EXPECT_EQ(cn_alloc_malloc(a, 3000), p);
	CN_EXPECT_EQ(avail(a), 0);
	cn_alloc_stats(a, &st);
	CN_EXPECT_EQ(st.nr_allocs - st.nr_frees, 4);
	CN_EXPECT_EQ(st.used, cn_alloc_usable_size(a, p) +
		     cn_alloc_usable_size(a, q) +
		     cn_alloc_usable_size(a, wall) +
		     cn_alloc_usable_size(a, rest));
	cn_alloc_free(a, p);
	cn_alloc_free(a, q);
	cn_alloc_free(a, wall);
	cn_alloc_free(a, rest);
	done(a, start);
}

CN_TEST(alloc_tlsf, realloc_shrinks_in_place_and_frees_the_tail)
{
	struct cn_alloc *a = fresh(ARENA_SIZE);
	size_t start = avail(a), before;
	unsigned char *p, *wall;

	p = cn_alloc_malloc(a, 10000);
	wall = cn_alloc_malloc(a, 16);
	CN_ASSERT_NOT_NULL(wall);
	pattern(p, 10000, 3);
	before = avail(a);
	CN_EXPECT_EQ(cn_alloc_realloc(a, p, 1000), p);
	CN_EXPECT_TRUE(has_pattern(p, 1000, 3));
	CN_EXPECT_LT(cn_alloc_usable_size(a, p), 1100);
	CN_EXPECT_GT(avail(a), before + 8500);
	/* Same size again: nothing moves. */
	CN_EXPECT_EQ(cn_alloc_realloc(a, p, 1000), p);
	/* Growing back into the freed tail stays in place too. */
	CN_EXPECT_EQ(cn_alloc_realloc(a, p, 9000), p);
	CN_EXPECT_TRUE(has_pattern(p, 1000, 3));
	cn_alloc_free(a, wall);
	cn_alloc_free(a, p);
	done(a, start);
}

CN_TEST(alloc_tlsf, add_memory_is_used_once_the_first_area_is_full)
{
	struct cn_alloc *a = fresh(64 << 10);
	size_t n, total, start, i;
	struct cn_alloc_stats st;
	void *p;

	cn_alloc_stats(a, &st);
	total = st.total;
	n = fill(a);
	CN_EXPECT_GT(n, 10);
	/* lib/alloc has no call of its own for it: the operation directly. */
	CN_ASSERT_EQ(cn_alloc_add_memory(a, extra, EXTRA_SIZE), 0);
	CN_EXPECT_EQ(cn_alloc_add_memory(a, arena + ARENA_SIZE - 32, 32),
		     -EINVAL);
	cn_alloc_stats(a, &st);
	CN_EXPECT_EQ(st.total, total + EXTRA_SIZE);
	p = cn_alloc_malloc(a, 200 << 10);
	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_TRUE(inside(p, extra, EXTRA_SIZE));
	memset(p, 0x5a, 200 << 10);
	for (i = 0; i < n; i++)
		cn_alloc_free(a, live[i]);
	p = cn_alloc_realloc(a, p, 10);
	CN_EXPECT_TRUE(inside(p, extra, EXTRA_SIZE));
	cn_alloc_free(a, p);
	start = avail(a);
	CN_EXPECT_GT(start, total + EXTRA_SIZE - 256);
	p = cn_alloc_malloc(a, 250 << 10);
	CN_EXPECT_TRUE(inside(p, extra, EXTRA_SIZE));
	cn_alloc_free(a, p);
	done(a, start);
}

/* The random run: slots holding a block, its size and pattern key. */
#define SLOTS		256
#define STRESS_OPS	100000

struct slot {
	unsigned char *p;
	size_t size;
	unsigned int key;
};

static struct slot slots[SLOTS];
static uint64_t rng_state;

static uint64_t xorshift(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* 16 B to 64 KiB: a power of two picked evenly, then a size up to it. */
static size_t random_size(void)
{
	size_t top = (size_t)1 << (4 + xorshift() % 13);

	return 16 + xorshift() % (top - 15);
}

/* Checks the statistics against the slots; returns the live count. */
static size_t check_stats(struct cn_alloc *a)
{
	struct cn_alloc_stats st;
	size_t used = 0, n = 0, i;

	for (i = 0; i < SLOTS; i++) {
		if (slots[i].p) {
			used += cn_alloc_usable_size(a, slots[i].p);
			n++;
		}
	}
	cn_alloc_stats(a, &st);
	CN_EXPECT_EQ(st.used, used);
	CN_EXPECT_EQ(st.nr_allocs - st.nr_frees, n);
	CN_EXPECT_LE(st.free + st.used + n * sizeof(void *), st.total);
	CN_EXPECT_LE(st.used, st.peak);
	return n;
}

/*
 * One step on slot s: fill an empty slot (malloc, or memalign one time in
 * eight), else check its pattern, then resize it (one time in four) or
 * free it. Returns 0 when something was wrong.
 */
static int stress_step(struct cn_alloc *a, struct slot *s, unsigned int key)
{
	uint64_t r = xorshift();
	size_t size = random_size();
	size_t align = r % 8 ? 16 : (size_t)32 << ((r >> 8) % 8);
	unsigned char *p;
	int ok;

	errno = 0;
	if (!s->p) {
		p = align == 16 ? cn_alloc_malloc(a, size) :
		    cn_alloc_memalign(a, align, size);
		if (!p)
			return errno == ENOMEM;
		ok = (uintptr_t)p % align == 0 &&
		     cn_alloc_usable_size(a, p) >= size;
		pattern(p, size, key);
		*s = (struct slot){ p, size, key };
		return ok;
	}
	ok = has_pattern(s->p, s->size, s->key);
	if (r % 4 == 0) {
		p = cn_alloc_realloc(a, s->p, size);
		if (!p)
			return ok && errno == ENOMEM;
		ok = ok && has_pattern(p, size < s->size ? size : s->size,
				       s->key);
		pattern(p, size, key);
		*s = (struct slot){ p, size, key };
		return ok;
	}
	cn_alloc_free(a, s->p);
	s->p = NULL;
	return ok;
}

CN_TEST(alloc_tlsf, random_stress_100000_operations)
{
	struct cn_alloc *a = fresh(ARENA_SIZE);
	size_t i, bad = 0, most = 0, n, start = avail(a);
	struct cn_alloc_stats st;

	memset(slots, 0, sizeof(slots));
	rng_state = 0x9e3779b97f4a7c15ull;
	for (i = 0; i < STRESS_OPS; i++) {
		if (!stress_step(a, &slots[xorshift() % SLOTS],
				 (unsigned int)i * 2654435761u))
			bad++;
		if (i % 1024 == 0) {
			n = check_stats(a);
			most = n > most ? n : most;
		}
	}
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_GT(most, 64);
	check_stats(a);
	cn_alloc_stats(a, &st);
	CN_EXPECT_LT(st.nr_failed, st.nr_allocs / 10);
	for (i = 0; i < SLOTS; i++) {
		if (slots[i].p && !has_pattern(slots[i].p, slots[i].size,
					       slots[i].key))
			bad++;
		cn_alloc_free(a, slots[i].p);
	}
	CN_EXPECT_EQ(bad, 0);
	done(a, start);
}
