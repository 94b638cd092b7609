/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The test runner. Cases come from the .cn_test.* sections (sorted by
 * suite name by the linker script). A case's first failure is kept for
 * its "not ok" line; later ones are counted in it.
 */
#include <stdbool.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/boot.h>
#include <cairn/init.h>
#include <cairn/param.h>
#include <cairn/plat.h>
#include <cairn/test.h>

#define CN_TEST_MAX_CASES 4096

extern const struct cn_test_case __cn_test_start[], __cn_test_end[];

static struct {
	jmp_buf jump;
	char first[200];	/* the first failure of the running case */
	unsigned int failures;
} cur;

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void record(const char *file, int line, const char *msg, int fatal)
{
	if (cur.failures++ == 0)
		snprintf(cur.first, sizeof(cur.first), "%s:%d: %s",
			 base(file), line, msg);
	if (fatal)
		longjmp(cur.jump, 1);
}

void cn_test_fail_int(const char *file, int line, const char *expr,
		      intmax_t a, intmax_t b, int fatal)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "expected %s: left %jd (0x%jx), right %jd "
		 "(0x%jx)", expr, a, (uintmax_t)a, b, (uintmax_t)b);
	record(file, line, msg, fatal);
}

void cn_test_fail_str(const char *file, int line, const char *expr,
		      const char *a, const char *b, int fatal)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "expected %s: left \"%s\", right \"%s\"",
		 expr, a ? a : "(null)", b ? b : "(null)");
	record(file, line, msg, fatal);
}

void cn_test_fail(const char *file, int line, const char *expr, int fatal)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "expected %s", expr);
	record(file, line, msg, fatal);
}

static int matches(const struct cn_test_case *c, const char *filter)
{
	char full[128];

	if (!filter || !*filter)
		return 1;
	snprintf(full, sizeof(full), "%s.%s", c->suite, c->name);
	return strncmp(full, filter, strlen(filter)) == 0;
}

static int case_cmp(const void *pa, const void *pb)
{
	const struct cn_test_case *a = *(const struct cn_test_case *const *)pa;
	const struct cn_test_case *b = *(const struct cn_test_case *const *)pb;
	int r = strcmp(a->suite, b->suite);

	if (!r)
		r = strcmp(a->file, b->file);
	return r ? r : a->line - b->line;
}

int cn_test_run(const char *filter)
{
	static const struct cn_test_case *order[CN_TEST_MAX_CASES];
	/* volatile: they live across the longjmp out of a failed ASSERT. */
	const struct cn_test_case *volatile c;
	volatile unsigned int n = 0, passed = 0, failed = 0;
	volatile size_t i;
	size_t count = 0;

	for (c = __cn_test_start; c < __cn_test_end; c++) {
		if (count == CN_TEST_MAX_CASES) {
			printf("test: more than %d cases; raise "
			       "CN_TEST_MAX_CASES\n", CN_TEST_MAX_CASES);
			return 1;
		}
		if (matches(c, filter))
			order[count++] = c;
	}
	qsort(order, count, sizeof(order[0]), case_cmp);
	for (i = 0; i < count; i++) {
		c = order[i];
		cur.failures = 0;
		if (setjmp(cur.jump) == 0)
			c->fn();
		n++;
		if (cur.failures == 0) {
			passed++;
			printf("ok %u %s.%s\n", n, c->suite, c->name);
		} else {
			failed++;
			printf("not ok %u %s.%s (%s%s)\n", n, c->suite,
			       c->name, cur.first,
			       cur.failures > 1 ? ", and more" : "");
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	fflush(stdout);
	return (int)failed;
}

/* In an image (the host builds of the cases have their own main). */
#ifdef CONFIG_LIB_TEST
static const char *filter;
CN_PARAM_STR(test, filter, filter,
	     "run only the cases whose suite.name starts with this");
#ifdef CONFIG_LIB_TEST_RUN
static bool run = true;
#else
static bool run;
#endif
CN_PARAM_BOOL(test, run, run,
	      "run the test cases instead of main (default: LIB_TEST_RUN); "
	      "an app image with tests in it runs them with test.run=1");

/* Last of all inits: a test image never reaches main. */
static int run_tests(void)
{
	if (!run)
		return 0;
	cn_exit(cn_test_run(filter) ? 1 : 0);
}
CN_INIT_PRIO(run_tests, CN_INIT_APP, 9);
#endif
