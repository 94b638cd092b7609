/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-image unit tests. A library's tests/ folder defines cases:
 *
 *	CN_TEST(param, int_rejects_trailing_garbage)
 *	{
 *		CN_EXPECT_EQ(parse("12x"), -EINVAL);	// records, goes on
 *		CN_ASSERT_NOT_NULL(p);			// ends the case
 *	}
 *
 * Each case is a descriptor in a .cn_test.<suite> section, so adding a file
 * is all it takes. Cases run by suite, then file, then source line. With LIB_TEST_RUN the image runs every case (or those
 * whose "suite.name" starts with test.filter=...) instead of main, prints
 *
 *	ok 1 param.int_rejects_trailing_garbage
 *	not ok 2 log.format_cuts_long_lines (tests/test_log.c:41: ... )
 *	2 passed, 1 failed
 *
 * and powers off with status 0 when all passed, 1 otherwise.
 * Comparisons print both sides: integers as signed decimal (and hex),
 * strings quoted. EXPECT records the first failure of a case and goes on;
 * ASSERT records it and leaves the case (through longjmp, so it also works
 * from helper functions called by the case).
 */
#ifndef CAIRN_TEST_H
#define CAIRN_TEST_H

#include <stdint.h>
#include <cairn/compiler.h>

struct cn_test_case {
	const char *suite;
	const char *name;
	void (*fn)(void);
	const char *file;
	int line;
};

#define CN_TEST(suite_, name_)						\
	static void cn_test_##suite_##_##name_(void);			\
	static const struct cn_test_case				\
	__cn_testcase_##suite_##_##name_ CN_USED CN_ALIGNED(8)		\
	CN_SECTION(".cn_test." #suite_) = {				\
		.suite = #suite_, .name = #name_,			\
		.fn = cn_test_##suite_##_##name_, .file = __FILE__,	\
		.line = __LINE__,					\
	};								\
	static void cn_test_##suite_##_##name_(void)

/* Failure recorders; they return only for EXPECT (fatal == 0). */
void cn_test_fail_int(const char *file, int line, const char *expr,
		      intmax_t a, intmax_t b, int fatal);
void cn_test_fail_str(const char *file, int line, const char *expr,
		      const char *a, const char *b, int fatal);
void cn_test_fail(const char *file, int line, const char *expr, int fatal);

#define CN_TEST_CMP_(a, op, b, fatal)					\
	do {								\
		intmax_t cn_a_ = (intmax_t)(a), cn_b_ = (intmax_t)(b);	\
		if (!(cn_a_ op cn_b_))					\
			cn_test_fail_int(__FILE__, __LINE__,		\
					 #a " " #op " " #b, cn_a_,	\
					 cn_b_, fatal);			\
	} while (0)

#define CN_TEST_STR_(a, b, eq, op, fatal)				\
	do {								\
		const char *cn_a_ = (a), *cn_b_ = (b);			\
		if (!cn_a_ || !cn_b_ ||					\
		    (__builtin_strcmp(cn_a_, cn_b_) == 0) != (eq))	\
			cn_test_fail_str(__FILE__, __LINE__,		\
					 #a " " op " " #b,		\
					 cn_a_, cn_b_, fatal);		\
	} while (0)

#define CN_TEST_TRUE_(x, fatal)						\
	do {								\
		if (!(x))						\
			cn_test_fail(__FILE__, __LINE__, #x, fatal);	\
	} while (0)

#define CN_EXPECT_EQ(a, b)	CN_TEST_CMP_(a, ==, b, 0)
#define CN_EXPECT_NE(a, b)	CN_TEST_CMP_(a, !=, b, 0)
#define CN_EXPECT_LT(a, b)	CN_TEST_CMP_(a, <, b, 0)
#define CN_EXPECT_LE(a, b)	CN_TEST_CMP_(a, <=, b, 0)
#define CN_EXPECT_GT(a, b)	CN_TEST_CMP_(a, >, b, 0)
#define CN_EXPECT_GE(a, b)	CN_TEST_CMP_(a, >=, b, 0)
#define CN_EXPECT_STREQ(a, b)	CN_TEST_STR_(a, b, 1, "==", 0)
#define CN_EXPECT_STRNE(a, b)	CN_TEST_STR_(a, b, 0, "!=", 0)
#define CN_EXPECT_TRUE(x)	CN_TEST_TRUE_(x, 0)
#define CN_EXPECT_FALSE(x)	CN_TEST_TRUE_(!(x), 0)
#define CN_EXPECT_NULL(p)	CN_TEST_TRUE_((p) == NULL, 0)
#define CN_EXPECT_NOT_NULL(p)	CN_TEST_TRUE_((p) != NULL, 0)

#define CN_ASSERT_EQ(a, b)	CN_TEST_CMP_(a, ==, b, 1)
#define CN_ASSERT_NE(a, b)	CN_TEST_CMP_(a, !=, b, 1)
#define CN_ASSERT_LT(a, b)	CN_TEST_CMP_(a, <, b, 1)
#define CN_ASSERT_LE(a, b)	CN_TEST_CMP_(a, <=, b, 1)
#define CN_ASSERT_GT(a, b)	CN_TEST_CMP_(a, >, b, 1)
#define CN_ASSERT_GE(a, b)	CN_TEST_CMP_(a, >=, b, 1)
#define CN_ASSERT_STREQ(a, b)	CN_TEST_STR_(a, b, 1, "==", 1)
#define CN_ASSERT_TRUE(x)	CN_TEST_TRUE_(x, 1)
#define CN_ASSERT_NULL(p)	CN_TEST_TRUE_((p) == NULL, 1)
#define CN_ASSERT_NOT_NULL(p)	CN_TEST_TRUE_((p) != NULL, 1)

/*
 * Runs every registered case whose "suite.name" starts with filter (all if
 * filter is NULL or ""), printing one line per case and the summary line.
 * Returns the number of failed cases.
 */
int cn_test_run(const char *filter);

#endif
