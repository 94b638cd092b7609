/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stopping the image on a broken invariant.
 *
 * cn_panic(fmt, ...) prints "PANIC: <message>" with the library, file and
 * line, a backtrace, and stops with exit status CN_EXIT_PANIC.
 * CN_ASSERT(x) is for programmer errors: if x is false it panics naming the
 * expression. Both work from any context, before or after the console and
 * the C library are set up. cn_crash() is the C library's way out
 * (abort(), a failed assert()): the report of a CPU exception, with the
 * registers, under the message given.
 */
#ifndef CAIRN_PANIC_H
#define CAIRN_PANIC_H

#include <stdint.h>
#include <cairn/compiler.h>
#include <cairn/table.h>

CN_NORETURN CN_PRINTF(4, 5)
void cn_panic_at(const char *lib, const char *file, int line,
		 const char *fmt, ...);

#define cn_panic(...) cn_panic_at(CN_LIBNAME, __FILE__, __LINE__, __VA_ARGS__)

#define CN_ASSERT(x)							\
	do {								\
		if (cn_unlikely(!(x)))					\
			cn_panic("assertion failed: %s", #x);		\
	} while (0)

/*
 * Stops the image with the report a CPU exception gets (the thread, the
 * registers, a backtrace from the caller, then cn_crash_report_end()),
 * headed "CRASH: <message>" (at most 255 bytes), and exit status
 * CN_EXIT_PANIC. lib/picolibc's abort() and __assert_func() call it:
 * "abort() called", "assertion failed: expr, file:line, function".
 * It raises the architecture's crash trap (cn_arch_crash_trap()), whose
 * handler asks cn_crash_message() for the headline.
 */
CN_NORETURN CN_PRINTF(1, 2) void cn_crash(const char *fmt, ...);

/* The message of the cn_crash() in progress, or NULL (trap handlers). */
const char *cn_crash_message(void);

/*
 * Console output that needs no C library state and no locks, for crash
 * paths: formats with picolibc's vsnprintf into a stack buffer (at most
 * 256 bytes per call) and writes it to the platform console.
 */
CN_PRINTF(1, 2) void cn_crash_printf(const char *fmt, ...);

/*
 * "label0x<16 hex digits> " straight to the platform console, for a trap
 * taken while a crash is being reported: no C library, no formatting.
 */
void cn_crash_raw_hex(const char *label, uint64_t v);

/*
 * What a library adds to every crash report (panic, failed assertion,
 * CPU exception), after the backtrace: lib/log the last log lines,
 * lib/alloc the state of the heap. print runs on the crash path: no
 * locks, no allocation, output through cn_crash_printf() only. Entries
 * print in the order of prio (a digit), then of their function's name:
 *
 *	static void log_crash_info(void) { ... }
 *	CN_CRASH_INFO(log_crash_info, 5);
 */
struct cn_crash_info {
	const char *name;
	void (*print)(void);
};

#define CN_CRASH_INFO(fn, prio)						\
	CN_TABLE_ENTRY(cn_crash_info, struct cn_crash_info, prio##_##fn) = { \
		.name = #fn, .print = fn,				\
	}

/*
 * Ends a crash report: the registered crash information, then the line
 * naming the host script that adds file:line to the backtrace
 * (support/symbolize.py with the image's .elf). The architecture's
 * exception handler and cn_panic() call it; it returns.
 */
void cn_crash_report_end(void);

#endif
