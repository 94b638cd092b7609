/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Crashes on request, for the tests of crash reports and exit statuses:
 *   null | write-null | div0 | ud | panic | assert | exit N
 * and `echo`, which reads console lines (fgets, getchar) until "quit".
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

static int echo_lines(void)
{
	char line[128];
	int c;

	/* One character through getchar first, the rest through fgets. */
	c = getchar();
	if (c == EOF)
		return 3;
	printf("first char: %c\n", c);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "quit") == 0)
			return 0;
		printf("got: [%s] (%zu)\n", line, strlen(line));
		fflush(stdout);
	}
	return 4;
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
	else if (strcmp(what, "echo") == 0)
		return echo_lines();
	else if (strcmp(what, "exit") == 0 && argc > 2)
		return atoi(argv[2]);
	fprintf(stderr, "crash: unknown request '%s'\n", what);
	return 2;
}
