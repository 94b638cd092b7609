/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Crashes on request, for the tests of crash reports and exit statuses:
 *   null | write-null | div0 | ud | panic | assert | exit N
 * Each crash sits in its own non-inlined function so that the report's
 * backtrace has a name to check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/panic.h>

static volatile int zero;

CN_NOINLINE static int crash_null_read(void)
{
	volatile int *p = (volatile int *)(unsigned long)zero;

	return *p;
}

CN_NOINLINE static void crash_null_write(void)
{
	volatile int *p = (volatile int *)(unsigned long)(zero + 8);

	*p = 1;
}

CN_NOINLINE static int crash_divide(int a)
{
	return a / zero;
}

CN_NOINLINE static void crash_invalid_opcode(void)
{
	__asm__ volatile("ud2");
}

CN_NOINLINE static void crash_assert(int x)
{
	CN_ASSERT(x == 42);
}

int main(int argc, char *argv[])
{
	const char *what = argc > 1 ? argv[1] : "";

	printf("crash: %s\n", what);
	fflush(stdout);
	if (strcmp(what, "null") == 0)
		return crash_null_read();
	if (strcmp(what, "write-null") == 0)
		crash_null_write();
	else if (strcmp(what, "div0") == 0)
		return crash_divide(argc);
	else if (strcmp(what, "ud") == 0)
		crash_invalid_opcode();
	else if (strcmp(what, "panic") == 0)
		cn_panic("requested panic %d", 7);
	else if (strcmp(what, "assert") == 0)
		crash_assert(argc);
	else if (strcmp(what, "exit") == 0 && argc > 2)
		return atoi(argv[2]);
	fprintf(stderr, "crash: unknown request '%s'\n", what);
	return 2;
}
