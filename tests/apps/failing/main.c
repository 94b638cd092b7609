/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A test image whose cases fail on purpose, so that the host tests can
 * check what a failure looks like: file:line, both values, the summary
 * line and exit status 1.
 */
#include <cairn/test.h>

CN_TEST(failing, integers_report_both_values)
{
	CN_EXPECT_EQ(1 + 2, 4);
}

CN_TEST(failing, strings_report_both_values)
{
	CN_EXPECT_STREQ("cairn", "stone");
}

static int after_assert;
CN_TEST(failing, assert_leaves_the_case)
{
	CN_ASSERT_TRUE(0 > 1);
	after_assert = 1;
}

CN_TEST(failing, zz_runs_after_the_failures)
{
	CN_EXPECT_EQ(after_assert, 0);
}

int main(void)
{
	return 3;
}
