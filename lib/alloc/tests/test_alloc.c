/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/alloc: the API layer (errno, statistics, generic realloc, several
 * allocators at once) over a region allocator, and the C library's malloc
 * family on the default heap.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/alloc.h>
#include <cairn/alloc_region.h>
#include <cairn/test.h>

static unsigned char arena[64 << 10] __attribute__((aligned(16)));

CN_TEST(alloc, statistics_follow_allocations)
{
	struct cn_alloc *a = cn_region_create(arena, sizeof(arena));
	struct cn_alloc_stats st;
	void *p, *q;

	CN_ASSERT_NOT_NULL(a);
	p = cn_alloc_malloc(a, 100);
	q = cn_alloc_malloc(a, 200);
	CN_ASSERT_NOT_NULL(q);
	cn_alloc_stats(a, &st);
	CN_EXPECT_EQ(st.nr_allocs, 2);
	CN_EXPECT_EQ(st.used, cn_alloc_usable_size(a, p) +
			      cn_alloc_usable_size(a, q));
	CN_EXPECT_EQ(st.peak, st.used);
	cn_alloc_free(a, p);
	cn_alloc_stats(a, &st);
	CN_EXPECT_EQ(st.nr_frees, 1);
	CN_EXPECT_EQ(st.used, cn_alloc_usable_size(a, q));
	CN_EXPECT_GT(st.peak, st.used);
	CN_EXPECT_LE(st.free, st.total);
	CN_EXPECT_STREQ(cn_alloc_name(a), "region");
}

CN_TEST(alloc, errors_set_errno_and_count)
{
	struct cn_alloc *a = cn_region_create(arena, sizeof(arena));
	struct cn_alloc_stats st;

	CN_ASSERT_NOT_NULL(a);
	errno = 0;
	CN_EXPECT_NULL(cn_alloc_malloc(a, sizeof(arena)));
	CN_EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	CN_EXPECT_NULL(cn_alloc_calloc(a, SIZE_MAX / 2, 4));
	CN_EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	CN_EXPECT_NULL(cn_alloc_memalign(a, 24, 8));
	CN_EXPECT_EQ(errno, EINVAL);
	cn_alloc_stats(a, &st);
	CN_EXPECT_EQ(st.nr_failed, 2);
	CN_EXPECT_NULL(cn_alloc_realloc(a, cn_alloc_malloc(a, 8), 0));
}

CN_TEST(alloc, generic_realloc_keeps_contents)
{
	struct cn_alloc *a = cn_region_create(arena, sizeof(arena));
	unsigned char *p, *q;
	int i;

	CN_ASSERT_NOT_NULL(a);
	p = cn_alloc_malloc(a, 40);
	CN_ASSERT_NOT_NULL(p);
	for (i = 0; i < 40; i++)
		p[i] = (unsigned char)i;
	q = cn_alloc_realloc(a, p, 4000);
	CN_ASSERT_NOT_NULL(q);
	for (i = 0; i < 40; i++)
		CN_EXPECT_EQ(q[i], i);
	CN_EXPECT_TRUE(cn_alloc_realloc(a, q, 10) == q);	/* shrink */
	CN_EXPECT_NOT_NULL(cn_alloc_realloc(a, NULL, 5));	/* malloc */
}

CN_TEST(alloc, zero_size_gives_a_unique_pointer)
{
	struct cn_alloc *a = cn_region_create(arena, sizeof(arena));
	void *p, *q;

	CN_ASSERT_NOT_NULL(a);
	p = cn_alloc_malloc(a, 0);
	q = cn_alloc_malloc(a, 0);
	CN_EXPECT_NOT_NULL(p);
	CN_EXPECT_TRUE(p != q);
	cn_alloc_free(a, p);
	cn_alloc_free(a, NULL);
}

static void count_one(struct cn_alloc *a, void *arg)
{
	(*(unsigned int *)arg)++;
}

CN_TEST(alloc, several_allocators_are_listed)
{
	static unsigned char other[8 << 10] __attribute__((aligned(16)));
	unsigned int before = 0, after = 0;

	cn_alloc_foreach(count_one, &before);
	CN_ASSERT_NOT_NULL(cn_region_create(other, sizeof(other)));
	cn_alloc_foreach(count_one, &after);
	CN_EXPECT_EQ(after, before + 1);
	CN_EXPECT_NOT_NULL(cn_alloc_default());
}

/* volatile: the compiler must not see (and warn about) the size. */
static volatile size_t huge = SIZE_MAX - 8;

CN_TEST(alloc, malloc_family_uses_the_default_heap)
{
	struct cn_alloc *def = cn_alloc_default();
	struct cn_alloc_stats before, after;
	void *p, *q = NULL;
	char *s;

	CN_ASSERT_NOT_NULL(def);
	cn_alloc_stats(def, &before);
	p = malloc(1000);
	CN_ASSERT_NOT_NULL(p);
	cn_alloc_stats(def, &after);
	CN_EXPECT_EQ(after.nr_allocs, before.nr_allocs + 1);
	CN_EXPECT_GE(malloc_usable_size(p), 1000);
	free(p);
	CN_EXPECT_EQ(posix_memalign(&q, 4096, 10), 0);
	CN_EXPECT_EQ((uintptr_t)q % 4096, 0);
	free(q);
	CN_EXPECT_EQ(posix_memalign(&q, 3, 10), EINVAL);
	p = aligned_alloc(64, 64);
	CN_EXPECT_EQ((uintptr_t)p % 64, 0);
	free(p);
	s = calloc(10, 10);
	CN_ASSERT_NOT_NULL(s);
	CN_EXPECT_EQ(s[99], 0);
	s = realloc(s, 5000);
	CN_ASSERT_NOT_NULL(s);
	free(s);
	errno = 0;
	CN_EXPECT_NULL(malloc(huge));
	CN_EXPECT_EQ(errno, ENOMEM);
	CN_EXPECT_NULL(realloc(NULL, huge));
}
