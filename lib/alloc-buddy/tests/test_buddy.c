/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/alloc-buddy: alignment, exhaustion and coalescing, realloc, a random
 * stress, statistics, edge cases, extra areas, small-object packing. Each
 * case creates the allocator anew over one static arena (the new one
 * replaces the old in the registry), frees what it took and checks that
 * all memory came back.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/alloc.h>
#include <cairn/alloc_backend.h>
#include <cairn/alloc_buddy.h>
#include <cairn/test.h>

#define ARENA_SIZE	(1 << 20)
#define PAGE		4096

/* Aligned to its size, so that its upper half is one whole buddy block. */
static unsigned char arena[ARENA_SIZE] __attribute__((aligned(ARENA_SIZE)));

static struct cn_alloc_stats stats_of(struct cn_alloc *a)
{
	struct cn_alloc_stats st;

	cn_alloc_stats(a, &st);
	return st;
}

static size_t avail(struct cn_alloc *a)
{
	return stats_of(a).free;
}

static struct cn_alloc *fresh(void)
{
	struct cn_alloc *a = cn_buddy_create(arena, sizeof(arena));

	CN_ASSERT_NOT_NULL(a);
	return a;
}

/*
 * Everything was freed: all memory is free again, every page is back in
 * the buddy (none kept by a size class), and the allocator leaves the
 * registry.
 */
static void done(struct cn_alloc *a)
{
	static void *pages[512];
	struct cn_alloc_stats st = stats_of(a);
	size_t n = 0, i;

	CN_EXPECT_EQ(st.used, 0);
	CN_EXPECT_EQ(st.nr_allocs, st.nr_frees);
	CN_EXPECT_EQ(st.free, st.total);
	while (n < CN_ARRAY_SIZE(pages) &&
	       (pages[n] = cn_alloc_malloc(a, PAGE)) != NULL)
		n++;
	CN_EXPECT_EQ(n, st.total / PAGE);
	for (i = 0; i < n; i++)
		cn_alloc_free(a, pages[i]);
	cn_alloc_unregister(a);
}

static int intact(const unsigned char *p, size_t n, unsigned char v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

CN_TEST(alloc_buddy, create_refuses_too_small_an_area)
{
	static unsigned char tiny[PAGE] __attribute__((aligned(PAGE)));

	CN_EXPECT_NULL(cn_buddy_create(tiny, sizeof(tiny)));
	CN_EXPECT_NULL(cn_buddy_create(NULL, 0));
	CN_EXPECT_NULL(cn_buddy_create(arena, 100));
}

CN_TEST(alloc_buddy, every_power_of_two_alignment_up_to_4096)
{
	static const size_t sizes[] = { 1, 24, 2048, 3000, 5000 };
	struct cn_alloc *a = fresh();
	unsigned char *p[13 * CN_ARRAY_SIZE(sizes)];
	size_t align, i, n = 0;

	CN_EXPECT_STREQ(cn_alloc_name(a), "buddy");
	for (align = 1; align <= PAGE; align <<= 1) {
		for (i = 0; i < CN_ARRAY_SIZE(sizes); i++) {
			p[n] = cn_alloc_memalign(a, align, sizes[i]);
			CN_ASSERT_NOT_NULL(p[n]);
			CN_EXPECT_EQ((uintptr_t)p[n] % align, 0);
			CN_EXPECT_EQ((uintptr_t)p[n] % 16, 0);
			CN_EXPECT_GE(cn_alloc_usable_size(a, p[n]), sizes[i]);
			memset(p[n++], 0x5a, sizes[i]);
		}
	}
	for (i = 0; i < n; i++)
		cn_alloc_free(a, p[i]);
	done(a);
}

CN_TEST(alloc_buddy, alignments_beyond_a_page_and_unaligned_areas)
{
	struct cn_alloc *a;
	size_t align;
	void *p;

	/* Pages start at an odd page frame: blocks align by address. */
	a = cn_buddy_create(arena + PAGE + 48, sizeof(arena) - PAGE - 48);
	CN_ASSERT_NOT_NULL(a);
	for (align = 2 * PAGE; align <= 128 << 10; align <<= 1) {
		p = cn_alloc_memalign(a, align, 100);
		CN_ASSERT_NOT_NULL(p);
		CN_EXPECT_EQ((uintptr_t)p % align, 0);
		memset(p, 0x11, 100);
		cn_alloc_free(a, p);
	}
	p = cn_alloc_malloc(a, 16);
	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_EQ((uintptr_t)p % 16, 0);
	cn_alloc_free(a, p);
	done(a);
}

CN_TEST(alloc_buddy, exhaustion_then_reuse_after_coalescing)
{
	static const size_t sizes[] = { 16, 200, 3000, 5000, 40000, 100 };
	static void *p[1024];
	struct cn_alloc *a = fresh();
	size_t n = 0, m, start = avail(a);
	unsigned char *big;

	errno = 0;
	while (n < CN_ARRAY_SIZE(p) &&
	       (p[n] = cn_alloc_malloc(a, sizes[n % 6])) != NULL) {
		memset(p[n], (int)n, sizes[n % 6]);
		n++;
	}
	CN_ASSERT_TRUE(n < CN_ARRAY_SIZE(p));
	CN_EXPECT_GT(n, 50);
	CN_EXPECT_EQ(errno, ENOMEM);
	for (m = 0; m < n; m++)
		cn_alloc_free(a, p[m]);
	CN_EXPECT_EQ(avail(a), start);
	for (m = 0; m < n; m++) {
		p[m] = cn_alloc_malloc(a, sizes[m % 6]);
		CN_ASSERT_NOT_NULL(p[m]);
	}
	for (m = 0; m < n; m++)
		cn_alloc_free(a, p[m]);
	big = cn_alloc_malloc(a, sizeof(arena) / 2);
	CN_ASSERT_NOT_NULL(big);
	CN_EXPECT_TRUE(big == arena + sizeof(arena) / 2);
	memset(big, 0x77, sizeof(arena) / 2);
	cn_alloc_free(a, big);
	done(a);
}

static void fill_seq(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + 3);
}

static int seq_intact(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 7 + 3))
			return 0;
	return 1;
}

CN_TEST(alloc_buddy, realloc_keeps_the_contents)
{
	static const size_t steps[] = { 1000, 10000, 100000, 20000, 3000, 30 };
	struct cn_alloc *a = fresh();
	unsigned char *p = cn_alloc_malloc(a, 100), *q;
	size_t i, old = 100;

	CN_ASSERT_NOT_NULL(p);
	fill_seq(p, 100);
	for (i = 0; i < CN_ARRAY_SIZE(steps); i++) {
		q = cn_alloc_realloc(a, p, steps[i]);
		CN_ASSERT_NOT_NULL(q);
		CN_EXPECT_TRUE(seq_intact(q, old < steps[i] ? old : steps[i]));
		CN_EXPECT_GE(cn_alloc_usable_size(a, q), steps[i]);
		if (steps[i] == 20000)	/* pages shrink in place */
			CN_EXPECT_TRUE(q == p);
		fill_seq(q, steps[i]);
		p = q;
		old = steps[i];
	}
	CN_EXPECT_EQ(cn_alloc_usable_size(a, p), 32);
	q = cn_alloc_realloc(a, p, 20);		/* same class: stays */
	CN_EXPECT_TRUE(q == p);
	CN_EXPECT_TRUE(seq_intact(q, 20));
	CN_EXPECT_NULL(cn_alloc_realloc(a, q, 0));	/* frees */
	p = cn_alloc_realloc(a, NULL, 50);
	CN_ASSERT_NOT_NULL(p);
	errno = 0;
	CN_EXPECT_NULL(cn_alloc_realloc(a, p, sizeof(arena)));
	CN_EXPECT_EQ(errno, ENOMEM);
	cn_alloc_free(a, p);
	done(a);
}

CN_TEST(alloc_buddy, realloc_grows_pages_in_place_into_free_buddies)
{
	struct cn_alloc *a = fresh();
	unsigned char *p = cn_alloc_memalign(a, 4 * PAGE, PAGE), *q;

	CN_ASSERT_NOT_NULL(p);
	fill_seq(p, PAGE);
	q = cn_alloc_realloc(a, p, 4 * PAGE);
	CN_EXPECT_TRUE(q == p);
	CN_ASSERT_NOT_NULL(q);
	CN_EXPECT_EQ(cn_alloc_usable_size(a, q), 4 * PAGE);
	CN_EXPECT_TRUE(seq_intact(q, PAGE));
	memset(q, 1, 4 * PAGE);
	cn_alloc_free(a, q);
	done(a);
}

/* 16 B .. 64 KiB, the exponent skewed towards small sizes. */
static size_t stress_size(uint32_t *s)
{
	uint32_t e1 = xorshift(s) % 13, e2 = xorshift(s) % 13;
	size_t lo = (size_t)16 << (e1 < e2 ? e1 : e2);
	size_t n = lo + xorshift(s) % lo;

	return n > 65536 ? 65536 : n;
}

struct slot {
	unsigned char *p;
	size_t size;
	unsigned char fill;
};

static struct slot slots[128];
static size_t live, live_bytes, failed;

static void stress_check(struct cn_alloc *a)
{
	struct cn_alloc_stats st = stats_of(a);

	CN_EXPECT_EQ(st.used, live_bytes);
	CN_EXPECT_EQ(st.nr_allocs - st.nr_frees, live);
	CN_EXPECT_LE(st.free, st.total);
	CN_EXPECT_LE(st.used + st.free, st.total);
}

static void stress_alloc(struct cn_alloc *a, struct slot *sl, uint32_t *s)
{
	uint32_t r = xorshift(s);
	size_t n = stress_size(s);

	errno = 0;
	if (r % 8 == 0)
		sl->p = cn_alloc_memalign(a, (size_t)32 << (r / 8 % 8), n);
	else
		sl->p = cn_alloc_malloc(a, n);
	if (!sl->p) {
		CN_EXPECT_EQ(errno, ENOMEM);
		failed++;
		return;
	}
	if (r % 8 == 0)
		CN_EXPECT_EQ((uintptr_t)sl->p % ((size_t)32 << (r / 8 % 8)), 0);
	sl->size = n;
	sl->fill = (unsigned char)(r >> 24 | 1);
	memset(sl->p, sl->fill, n);
	live++;
	live_bytes += cn_alloc_usable_size(a, sl->p);
}

static void stress_realloc(struct cn_alloc *a, struct slot *sl, uint32_t *s)
{
	size_t n = stress_size(s), old = cn_alloc_usable_size(a, sl->p);
	unsigned char *q;

	CN_ASSERT_TRUE(intact(sl->p, sl->size, sl->fill));
	errno = 0;
	q = cn_alloc_realloc(a, sl->p, n);
	if (!q) {
		CN_EXPECT_EQ(errno, ENOMEM);
		failed++;
		return;
	}
	CN_ASSERT_TRUE(intact(q, n < sl->size ? n : sl->size, sl->fill));
	memset(q, sl->fill, n);
	live_bytes = live_bytes - old + cn_alloc_usable_size(a, q);
	sl->p = q;
	sl->size = n;
}

static void stress_free(struct cn_alloc *a, struct slot *sl)
{
	CN_ASSERT_TRUE(intact(sl->p, sl->size, sl->fill));
	live_bytes -= cn_alloc_usable_size(a, sl->p);
	live--;
	cn_alloc_free(a, sl->p);
	sl->p = NULL;
}

CN_TEST(alloc_buddy, random_stress_100000_operations)
{
	struct cn_alloc *a = fresh();
	uint32_t s = 0x2545f491;
	struct slot *sl;
	size_t i;

	memset(slots, 0, sizeof(slots));
	live = live_bytes = failed = 0;
	for (i = 0; i < 100000; i++) {
		sl = &slots[xorshift(&s) % CN_ARRAY_SIZE(slots)];
		if (!sl->p)
			stress_alloc(a, sl, &s);
		else if (xorshift(&s) % 8 == 0)
			stress_realloc(a, sl, &s);
		else
			stress_free(a, sl);
		if (i % 1024 == 0)
			stress_check(a);
	}
	stress_check(a);
	CN_EXPECT_EQ(failed, 0);
	for (i = 0; i < CN_ARRAY_SIZE(slots); i++)
		if (slots[i].p)
			stress_free(a, &slots[i]);
	done(a);
}

CN_TEST(alloc_buddy, statistics_add_up)
{
	static const size_t sizes[] = { 1, 16, 17, 2048, 2049, 4096, 5000,
					70000 };
	void *p[CN_ARRAY_SIZE(sizes)];
	struct cn_alloc *a = fresh();
	struct cn_alloc_stats st;
	size_t i, sum = 0;

	st = stats_of(a);
	CN_EXPECT_GT(st.total, sizeof(arena) - 4 * PAGE);
	CN_EXPECT_LE(st.total, sizeof(arena));
	CN_EXPECT_EQ(st.free, st.total);
	for (i = 0; i < CN_ARRAY_SIZE(sizes); i++) {
		p[i] = cn_alloc_malloc(a, sizes[i]);
		CN_ASSERT_NOT_NULL(p[i]);
		sum += cn_alloc_usable_size(a, p[i]);
	}
	st = stats_of(a);
	CN_EXPECT_EQ(st.used, sum);
	CN_EXPECT_EQ(st.peak, sum);
	CN_EXPECT_EQ(st.nr_allocs - st.nr_frees, CN_ARRAY_SIZE(sizes));
	CN_EXPECT_LE(st.free, st.total - sum);
	for (i = 0; i < CN_ARRAY_SIZE(sizes); i += 2) {
		sum -= cn_alloc_usable_size(a, p[i]);
		cn_alloc_free(a, p[i]);
	}
	CN_EXPECT_NULL(cn_alloc_malloc(a, SIZE_MAX));
	st = stats_of(a);
	CN_EXPECT_EQ(st.used, sum);
	CN_EXPECT_EQ(st.nr_allocs - st.nr_frees, CN_ARRAY_SIZE(sizes) / 2);
	CN_EXPECT_EQ(st.nr_failed, 1);
	CN_EXPECT_GE(st.peak, st.used);
	for (i = 1; i < CN_ARRAY_SIZE(sizes); i += 2)
		cn_alloc_free(a, p[i]);
	done(a);
}

CN_TEST(alloc_buddy, zero_sizes_overflows_and_bad_alignments)
{
	struct cn_alloc *a = fresh();
	unsigned char *p = cn_alloc_malloc(a, 0), *q = cn_alloc_malloc(a, 0);
	size_t i;

	CN_ASSERT_NOT_NULL(p);
	CN_ASSERT_NOT_NULL(q);
	CN_EXPECT_TRUE(p != q);
	CN_EXPECT_GE(cn_alloc_usable_size(a, p), 1);
	cn_alloc_free(a, p);
	cn_alloc_free(a, q);
	errno = 0;
	CN_EXPECT_NULL(cn_alloc_calloc(a, SIZE_MAX / 2, 4));
	CN_EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	CN_EXPECT_NULL(cn_alloc_malloc(a, SIZE_MAX));
	CN_EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	CN_EXPECT_NULL(cn_alloc_memalign(a, 24, 16));
	CN_EXPECT_EQ(errno, EINVAL);
	errno = 0;
	CN_EXPECT_NULL(cn_alloc_memalign(a, 0, 16));
	CN_EXPECT_EQ(errno, EINVAL);
	/* The backend itself, past lib/alloc's checks. */
	CN_EXPECT_NULL(a->ops->malloc(a, SIZE_MAX));
	CN_EXPECT_NULL(a->ops->malloc(a, SIZE_MAX - PAGE + 1));
	CN_EXPECT_NULL(a->ops->memalign(a, (SIZE_MAX >> 1) + 1, 16));
	CN_EXPECT_NULL(a->ops->memalign(a, 16, SIZE_MAX));
	p = cn_alloc_malloc(a, 5000);
	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_NULL(a->ops->realloc(a, p, SIZE_MAX));
	cn_alloc_free(a, p);
	/* calloc returns zeroes even over dirty memory. */
	p = cn_alloc_malloc(a, 1000);
	CN_ASSERT_NOT_NULL(p);
	memset(p, 0xff, 1000);
	cn_alloc_free(a, p);
	p = cn_alloc_calloc(a, 100, 10);
	CN_ASSERT_NOT_NULL(p);
	for (i = 0; i < 1000; i++)
		if (p[i])
			break;
	CN_EXPECT_EQ(i, 1000);
	cn_alloc_free(a, p);
	cn_alloc_free(a, NULL);
	done(a);
}

CN_TEST(alloc_buddy, add_memory_is_used_when_the_first_area_is_full)
{
	static unsigned char more[64 << 10] __attribute__((aligned(PAGE)));
	static unsigned char tiny[128];
	static void *p[64];
	struct cn_alloc *a = cn_buddy_create(arena, 64 << 10);
	size_t n = 0, total, i;

	CN_ASSERT_NOT_NULL(a);
	while (n < CN_ARRAY_SIZE(p) && (p[n] = cn_alloc_malloc(a, PAGE)))
		n++;
	CN_ASSERT_TRUE(n < CN_ARRAY_SIZE(p));
	total = stats_of(a).total;
	CN_EXPECT_EQ(cn_alloc_add_memory(a, more, sizeof(more)), 0);
	CN_EXPECT_GT(stats_of(a).total, total + sizeof(more) - 2 * PAGE);
	p[n] = cn_alloc_malloc(a, PAGE);
	CN_ASSERT_NOT_NULL(p[n]);
	CN_EXPECT_TRUE((unsigned char *)p[n] >= more &&
		       (unsigned char *)p[n] < more + sizeof(more));
	n++;
	CN_EXPECT_EQ(cn_alloc_add_memory(a, arena + 1000, 8 * PAGE), -EINVAL);
	CN_EXPECT_EQ(cn_alloc_add_memory(a, more + PAGE, 8 * PAGE), -EINVAL);
	CN_EXPECT_EQ(cn_alloc_add_memory(a, tiny, sizeof(tiny)), -ENOMEM);
	for (i = 0; i < 6; i++)		/* areas 3 to 8 */
		CN_EXPECT_EQ(cn_alloc_add_memory(a, arena + (128 << 10) +
					i * 4 * PAGE, 4 * PAGE), 0);
	CN_EXPECT_EQ(cn_alloc_add_memory(a, arena + (512 << 10), 4 * PAGE),
		     -ENOSPC);
	while (n < CN_ARRAY_SIZE(p) && (p[n] = cn_alloc_malloc(a, PAGE)))
		n++;
	CN_EXPECT_LT(n, CN_ARRAY_SIZE(p));
	for (i = 0; i < n; i++)
		cn_alloc_free(a, p[i]);
	done(a);
}

CN_TEST(alloc_buddy, small_objects_share_pages)
{
	static unsigned char *p[200];
	struct cn_alloc *a = fresh();
	size_t before = avail(a), i, j;

	for (i = 0; i < CN_ARRAY_SIZE(p); i++) {
		p[i] = cn_alloc_malloc(a, 16);
		CN_ASSERT_NOT_NULL(p[i]);
		CN_EXPECT_EQ((uintptr_t)p[i] % 16, 0);
		CN_EXPECT_EQ(cn_alloc_usable_size(a, p[i]), 16);
		memset(p[i], (int)i, 16);
	}
	CN_EXPECT_LE(before - avail(a), 2 * PAGE);
	for (i = 0; i < CN_ARRAY_SIZE(p); i++) {
		for (j = 0; j < 16; j++)
			if (p[i][j] != (unsigned char)i)
				break;
		CN_EXPECT_EQ(j, 16);	/* no two objects overlap */
	}
	for (i = 0; i < CN_ARRAY_SIZE(p); i++)
		cn_alloc_free(a, p[i]);
	/* The pages went back: the upper half is one free block again. */
	p[0] = cn_alloc_malloc(a, sizeof(arena) / 2);
	CN_EXPECT_NOT_NULL(p[0]);
	cn_alloc_free(a, p[0]);
	done(a);
}

CN_TEST(alloc_buddy, usable_size_covers_the_request_within_2x)
{
	struct cn_alloc *a = fresh();
	size_t n, u;
	void *p;

	for (n = 1; n <= 70000; n += n < 5000 ? 37 : 997) {
		p = cn_alloc_malloc(a, n);
		CN_ASSERT_NOT_NULL(p);
		u = cn_alloc_usable_size(a, p);
		CN_EXPECT_GE(u, n);
		CN_EXPECT_LE(u, n < 16 ? 16 : 2 * n);
		memset(p, 0x3c, u);
		cn_alloc_free(a, p);
	}
	p = cn_alloc_memalign(a, 64, 24);
	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_GE(cn_alloc_usable_size(a, p), 24);
	cn_alloc_free(a, p);
	done(a);
}
