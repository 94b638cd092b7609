/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/alloc-region: alignment, exhaustion, extra areas, no reuse. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/alloc_backend.h>
#include <cairn/alloc.h>
#include <cairn/alloc_region.h>
#include <cairn/test.h>

static unsigned char arena[256 << 10] __attribute__((aligned(16)));

CN_TEST(region, every_power_of_two_alignment_up_to_4096)
{
	struct cn_alloc *a = cn_region_create(arena, sizeof(arena));
	size_t align;

	CN_ASSERT_NOT_NULL(a);
	for (align = 1; align <= 4096; align <<= 1) {
		unsigned char *p = cn_alloc_memalign(a, align, 24);

		CN_ASSERT_NOT_NULL(p);
		CN_EXPECT_EQ((uintptr_t)p % align, 0);
		memset(p, 0x5a, 24);
		CN_EXPECT_GE(cn_alloc_usable_size(a, p), 24);
	}
	CN_EXPECT_EQ((uintptr_t)cn_alloc_malloc(a, 1) % 16, 0);
}

CN_TEST(region, exhaustion_then_a_second_area)
{
	static unsigned char more[64 << 10] __attribute__((aligned(16)));
	struct cn_alloc *a = cn_region_create(arena, sizeof(arena));
	unsigned int n = 0;
	void *p;

	CN_ASSERT_NOT_NULL(a);
	while (cn_alloc_malloc(a, 1000))
		n++;
	CN_EXPECT_GT(n, 200);
	CN_EXPECT_EQ(errno, ENOMEM);
	CN_EXPECT_EQ(cn_alloc_add_memory(a, more, sizeof(more)), 0);
	p = cn_alloc_malloc(a, 1000);
	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_TRUE((unsigned char *)p >= more &&
		       (unsigned char *)p < more + sizeof(more));
}

CN_TEST(region, too_small_an_area_is_refused)
{
	static unsigned char tiny[32] __attribute__((aligned(16)));

	CN_EXPECT_NULL(cn_region_create(tiny, sizeof(tiny)));
}

/* xorshift64: a fixed, reproducible sequence. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * 100,000 random operations with content checks. A region never reuses
 * memory, so its arena (24 MiB) comes from the default heap.
 */
CN_TEST(region, random_stress_100000_operations)
{
	enum { SLOTS = 512, ARENA = 24 << 20 };
	static unsigned char *slot[SLOTS];
	static size_t len[SLOTS];
	unsigned char *mem = malloc(ARENA);
	struct cn_alloc *a;
	struct cn_alloc_stats st;
	uint64_t seed = 0x5eed, live = 0;
	unsigned int op, i;
	size_t j;

	CN_ASSERT_NOT_NULL(mem);
	a = cn_region_create(mem, ARENA);
	CN_ASSERT_NOT_NULL(a);
	memset(slot, 0, sizeof(slot));
	for (op = 0; op < 100000; op++) {
		i = next(&seed) % SLOTS;
		if (slot[i]) {
			for (j = 0; j < len[i]; j++)
				if (slot[i][j] != (unsigned char)(i + j))
					break;
			CN_ASSERT_EQ(j, len[i]);
			cn_alloc_free(a, slot[i]);
			slot[i] = NULL;
			live--;
			continue;
		}
		len[i] = 16 + next(&seed) % 497;
		slot[i] = cn_alloc_malloc(a, len[i]);
		CN_ASSERT_NOT_NULL(slot[i]);
		CN_ASSERT_EQ((uintptr_t)slot[i] % 16, 0);
		for (j = 0; j < len[i]; j++)
			slot[i][j] = (unsigned char)(i + j);
		live++;
	}
	cn_alloc_stats(a, &st);
	CN_EXPECT_EQ(st.nr_allocs - st.nr_frees, live);
	CN_EXPECT_LE(st.used + st.free, st.total);
	cn_alloc_unregister(a);
	free(mem);
}
