/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The framework tests itself by running its recorders inside a case and
 * checking what they kept; a deliberately failing case would make every
 * test image fail, so failures are provoked through the internals here.
 */
#include <string.h>
#include <cairn/test.h>

static int helper_reached_end;

static void helper_that_asserts(void)
{
	CN_ASSERT_TRUE(1 + 1 == 2);
	helper_reached_end = 1;
}

CN_TEST(test, passing_assertions_do_not_fail)
{
	CN_EXPECT_EQ(2 + 2, 4);
	CN_EXPECT_NE(-1, 1);
	CN_EXPECT_LT(-5, 3);
	CN_EXPECT_GE(7, 7);
	CN_EXPECT_STREQ("abc", "abc");
	CN_EXPECT_STRNE("abc", "abd");
	CN_EXPECT_NULL(NULL);
	helper_that_asserts();
	CN_EXPECT_EQ(helper_reached_end, 1);
}

CN_TEST(test, signed_and_wide_values_compare_exactly)
{
	long long big = 0x7fffffffffffffffll;

	CN_EXPECT_EQ(big, 0x7fffffffffffffffll);
	CN_EXPECT_LT(-1, 0);
	CN_EXPECT_EQ((unsigned char)255, 255);
}
