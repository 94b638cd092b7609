/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/core: parameters, command-line splitting, init order, and the C
 * library behaviour the rest of Cairn relies on.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/errname.h>
#include <cairn/init.h>
#include <cairn/param.h>
#include <cairn/symbols.h>
#include <cairn/test.h>
#include "../core_priv.h"

/* ---- parameters ---- */

static int t_int = 7;
static int t_uint = 7;
static bool t_bool;
static const char *t_str = "unset";
static int t_fn_calls;
static int t_fn(const char *val)
{
	t_fn_calls++;
	return strcmp(val, "good") == 0 ? 0 : -EINVAL;
}
CN_PARAM_INT(coretest, num, t_int, "a number for the tests");
CN_PARAM_UINT(coretest, count, t_uint, "a count for the tests");
CN_PARAM_BOOL(coretest, flag, t_bool, "a flag for the tests");
CN_PARAM_STR(coretest, name, t_str, "a string for the tests");
CN_PARAM_FN(coretest, custom, t_fn, "good");

static int set(const char *tok)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s", tok);
	return cn_param_set(buf);
}

CN_TEST(param, int_accepts_decimal_hex_and_sign)
{
	CN_EXPECT_EQ(set("coretest.num=42"), 0);
	CN_EXPECT_EQ(t_int, 42);
	CN_EXPECT_EQ(set("coretest.num=0x10"), 0);
	CN_EXPECT_EQ(t_int, 16);
	CN_EXPECT_EQ(set("coretest.num=-3"), 0);
	CN_EXPECT_EQ(t_int, -3);
}

CN_TEST(param, int_rejects_garbage_and_keeps_the_old_value)
{
	CN_EXPECT_EQ(set("coretest.num=5"), 0);
	CN_EXPECT_EQ(set("coretest.num=12x"), -EINVAL);
	CN_EXPECT_EQ(set("coretest.num="), -EINVAL);
	CN_EXPECT_EQ(set("coretest.num"), -EINVAL);
	CN_EXPECT_EQ(set("coretest.num=99999999999"), -ERANGE);
	CN_EXPECT_EQ(t_int, 5);
}

CN_TEST(param, uint_refuses_a_negative_value_and_keeps_the_old_one)
{
	CN_EXPECT_EQ(set("coretest.count=0"), 0);
	CN_EXPECT_EQ(t_uint, 0);
	CN_EXPECT_EQ(set("coretest.count=0x7fffffff"), 0);
	CN_EXPECT_EQ(t_uint, 0x7fffffff);
	CN_EXPECT_EQ(set("coretest.count=12"), 0);
	CN_EXPECT_EQ(set("coretest.count=-1"), -ERANGE);
	CN_EXPECT_EQ(set("coretest.count=-0x10"), -ERANGE);
	CN_EXPECT_EQ(set("coretest.count=1e3"), -EINVAL);
	CN_EXPECT_EQ(t_uint, 12);
}

CN_TEST(param, bool_forms)
{
	CN_EXPECT_EQ(set("coretest.flag=yes"), 0);
	CN_EXPECT_TRUE(t_bool);
	CN_EXPECT_EQ(set("coretest.flag=off"), 0);
	CN_EXPECT_FALSE(t_bool);
	CN_EXPECT_EQ(set("coretest.flag"), 0);
	CN_EXPECT_TRUE(t_bool);
	CN_EXPECT_EQ(set("coretest.flag=maybe"), -EINVAL);
	CN_EXPECT_TRUE(t_bool);
}

CN_TEST(param, string_and_parse_function)
{
	static char tok[] = "coretest.name=hello";

	CN_EXPECT_EQ(cn_param_set(tok), 0);
	CN_EXPECT_STREQ(t_str, "hello");
	CN_EXPECT_EQ(set("coretest.custom=good"), 0);
	CN_EXPECT_EQ(set("coretest.custom=bad"), -EINVAL);
	CN_EXPECT_EQ(t_fn_calls, 2);
}

CN_TEST(param, unknown_and_malformed_names)
{
	CN_EXPECT_EQ(set("coretest.nosuch=1"), -ENOENT);
	CN_EXPECT_EQ(set("nodot=1"), -EINVAL);
	CN_EXPECT_EQ(set(".x=1"), -EINVAL);
	CN_EXPECT_EQ(set("coretest.=1"), -EINVAL);
	CN_EXPECT_NOT_NULL(cn_param_find("log", "level"));
	CN_EXPECT_NULL(cn_param_find("coretest", "nosuch"));
}

/* ---- command line ---- */

CN_TEST(cmdline, splits_on_blanks_and_keeps_quoted_spaces)
{
	char s[] = "  a  \"b c\"\td \"e\\\"f\" x\"y z\" ";
	char *w[8];

	CN_ASSERT_EQ(cn_core_split_words(s, w, 8), 5);
	CN_EXPECT_STREQ(w[0], "a");
	CN_EXPECT_STREQ(w[1], "b c");
	CN_EXPECT_STREQ(w[2], "d");
	CN_EXPECT_STREQ(w[3], "e\"f");
	CN_EXPECT_STREQ(w[4], "xy z");
}

CN_TEST(cmdline, backslash_escapes_outside_quotes_too)
{
	char s[] = "back\\ slash \\\"q\\\" a\\\\b it's \"x\\\\\" end\\";
	char *w[8];

	CN_ASSERT_EQ(cn_core_split_words(s, w, 8), 6);
	CN_EXPECT_STREQ(w[0], "back slash");
	CN_EXPECT_STREQ(w[1], "\"q\"");
	CN_EXPECT_STREQ(w[2], "a\\b");
	CN_EXPECT_STREQ(w[3], "it's");
	CN_EXPECT_STREQ(w[4], "x\\");
	CN_EXPECT_STREQ(w[5], "end\\");
}

CN_TEST(cmdline, errors)
{
	char open_quote[] = "a \"b c";
	char many[] = "1 2 3 4";
	char empty[] = "   ";
	char *w[3];

	CN_EXPECT_EQ(cn_core_split_words(open_quote, w, 3), -EINVAL);
	CN_EXPECT_EQ(cn_core_split_words(many, w, 3), -E2BIG);
	CN_EXPECT_EQ(cn_core_split_words(empty, w, 3), 0);
}

/* ---- init order ---- */

static char init_trace[16];
static unsigned int init_n;
static void trace(char c)
{
	if (init_n < sizeof(init_trace) - 1)
		init_trace[init_n++] = c;
}
static int init_app_late(void) { trace('D'); return 0; }
static int init_lib(void) { trace('B'); return 0; }
static int init_early(void) { trace('A'); return 0; }
static int init_app_early(void) { trace('C'); return 0; }
static int init_failing(void) { trace('F'); return -ENODEV; }
/* Registered out of order on purpose: the linker must sort them. */
CN_INIT_PRIO(init_app_late, CN_INIT_APP, 8);
CN_INIT(init_lib, CN_INIT_LIB);
CN_INIT_PRIO(init_early, CN_INIT_EARLY, 9);
CN_INIT_PRIO(init_app_early, CN_INIT_APP, 0);
CN_INIT(init_failing, CN_INIT_DEV);

CN_TEST(init, levels_and_priorities_run_in_order)
{
	/* A failing init is logged and the boot goes on to later levels. */
	CN_EXPECT_STREQ(init_trace, "AFBCD");
	CN_EXPECT_STREQ(cn_init_level_name(CN_INIT_EARLY), "early");
	CN_EXPECT_STREQ(cn_init_level_name(CN_INIT_APP), "app");
	CN_EXPECT_STREQ(cn_init_level_name(42), "?");
}

/* ---- symbols and errno names ---- */

CN_TEST(symbols, lookup_finds_functions)
{
	uintptr_t off = 1;
	uintptr_t a = (uintptr_t)&cn_param_set;
	const char *name = cn_sym_lookup(a + 3, &off);

#ifdef CONFIG_BUILD_SYMBOLS
	CN_ASSERT_NOT_NULL(name);
	CN_EXPECT_STREQ(name, "cn_param_set");
	CN_EXPECT_EQ(off, 3);
	CN_EXPECT_EQ(cn_sym_addr("cn_param_set"), a);
#else
	CN_EXPECT_NULL(name);
#endif
	CN_EXPECT_NULL(cn_sym_lookup(0x10, &off));
}

CN_TEST(errname, names_known_values)
{
	CN_EXPECT_STREQ(cn_errname(-ENOMEM), "ENOMEM");
	CN_EXPECT_STREQ(cn_errname(EINVAL), "EINVAL");
	CN_EXPECT_STREQ(cn_errname(-100000), "E?");
}

/* ---- picolibc, as Cairn uses it ---- */

CN_TEST(libc, snprintf_formats)
{
	char b[96];

	snprintf(b, sizeof(b), "%d %u %x %lld %s %c %5.2f %-3s|", -12, 34u,
		 0xbeef, -9000000000ll, "str", 'z', 3.14159, "l");
	CN_EXPECT_STREQ(b, "-12 34 beef -9000000000 str z  3.14 l  |");
	CN_EXPECT_EQ(snprintf(b, 4, "%s", "truncated"), 9);
	CN_EXPECT_STREQ(b, "tru");
	snprintf(b, sizeof(b), "%g %e", 0.5, 1e10);
	CN_EXPECT_STREQ(b, "0.5 1.000000e+10");
}

CN_TEST(libc, strings_and_conversions)
{
	char buf[16];
	char *end;

	CN_EXPECT_EQ(strlen("cairn"), 5);
	CN_EXPECT_EQ(strtol("-0x1f", &end, 0), -31);
	CN_EXPECT_EQ(*end, '\0');
	errno = 0;
	CN_EXPECT_EQ(strtol("99999999999999999999", NULL, 10), LONG_MAX);
	CN_EXPECT_EQ(errno, ERANGE);
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "abc", 4);
	CN_EXPECT_STREQ(buf, "abc");
	CN_EXPECT_EQ(memcmp("ab", "ac", 2) < 0, 1);
	CN_EXPECT_STREQ(strchr("a/b/c", '/'), "/b/c");
	CN_EXPECT_STREQ(strrchr("a/b/c", '/'), "/c");
	CN_EXPECT_EQ(atoi("123"), 123);
}

static __thread int tls_probe = 1234;
CN_TEST(libc, thread_local_storage_is_initialised)
{
	CN_EXPECT_EQ(tls_probe, 1234);
	tls_probe++;
	CN_EXPECT_EQ(tls_probe, 1235);
	errno = EDOM;
	CN_EXPECT_EQ(errno, EDOM);
}
