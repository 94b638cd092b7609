/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * abort() and the C library's failed-assertion functions. picolibc's own
 * end in raise(SIGABRT), whose default action is _exit(128 + 6): the image
 * powered off with a made-up status and no word about why. Here they are
 * crashes like any other: cn_crash() gives the report of a CPU exception
 * (thread, registers, backtrace, heap, last log lines, the symbolize
 * hint) headed by what happened, and exit status CN_EXIT_PANIC.
 *
 * picolibc's assert() (built with __ASSERT_VERBOSE) calls
 * __assert_func(file, line, function, expression); these definitions come
 * before libc.a on the link line, so its versions are never pulled in.
 */
#include <assert.h>
#include <stdlib.h>
#include <cairn/panic.h>

void abort(void)
{
	cn_crash("abort() called");
}

void __assert_func(const char *file, int line, const char *func,
		   const char *expr)
{
	if (func)
		cn_crash("assertion failed: %s, %s:%d, %s", expr, file, line,
			 func);
	cn_crash("assertion failed: %s, %s:%d", expr, file, line);
}

void __assert(const char *expr, const char *file, int line)
{
	__assert_func(file, line, NULL, expr);
}

void __assert_no_args(void)
{
	cn_crash("assertion failed (no details: assert.h without "
		 "__ASSERT_VERBOSE)");
}
