/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/log: line format, cutting, the runtime level and its parameter. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/test.h>

static size_t fmt(char *buf, size_t size, uint64_t ns, int level,
		  const char *f, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, f);
	n = cn_log_format(buf, size, ns, level, "demo", f, ap);
	va_end(ap);
	return n;
}

CN_TEST(log, line_has_time_level_and_library)
{
	char b[128];
	size_t n = fmt(b, sizeof(b), 1234567890ull, CN_LOG_ERR,
		       "rxq %d failed: %s", 0, "ENOMEM");

	CN_EXPECT_STREQ(b, "[    1.234567] ERR  demo: rxq 0 failed: ENOMEM\n");
	CN_EXPECT_EQ(n, strlen(b));
	fmt(b, sizeof(b), 0, CN_LOG_DEBUG, "x");
	CN_EXPECT_STREQ(b, "[    0.000000] DBG  demo: x\n");
	fmt(b, sizeof(b), 0, CN_LOG_WARN, "y");
	CN_EXPECT_STREQ(b, "[    0.000000] WARN demo: y\n");
}

CN_TEST(log, long_lines_are_cut_and_keep_their_newline)
{
	char b[24];
	size_t n = fmt(b, sizeof(b), 0, CN_LOG_INFO, "%s",
		       "a very long message that does not fit");

	CN_EXPECT_EQ(n, sizeof(b) - 1);
	CN_EXPECT_EQ(b[n - 1], '\n');
	CN_EXPECT_EQ(b[n], '\0');
	CN_EXPECT_EQ(fmt(b, 1, 0, CN_LOG_INFO, "x"), 0);
}

CN_TEST(log, runtime_level_from_parameter)
{
	int old = cn_log_level();
	char t1[] = "log.level=debug", t2[] = "log.level=1";
	char bad[] = "log.level=loud";

	CN_EXPECT_EQ(cn_param_set(t1), 0);
	CN_EXPECT_EQ(cn_log_level(), CN_LOG_DEBUG);
	CN_EXPECT_EQ(cn_param_set(t2), 0);
	CN_EXPECT_EQ(cn_log_level(), CN_LOG_WARN);
	CN_EXPECT_EQ(cn_param_set(bad), -EINVAL);
	CN_EXPECT_EQ(cn_log_level(), CN_LOG_WARN);
	CN_EXPECT_EQ(cn_log_set_level(7), -EINVAL);
	CN_EXPECT_EQ(cn_log_set_level(old), 0);
}
