/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/alloc-region: alignment, exhaustion, extra areas, no reuse. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
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
