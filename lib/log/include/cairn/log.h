/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Logging. Each line carries the time since boot, the level and the name
 * of the library that printed it:
 *
 *	[    0.012345] ERR  netdev: rxq 0 setup failed: -12 (ENOMEM)
 *
 * Lines above the compile-time floor (menuconfig: Libraries > log) are not
 * compiled at all; the runtime level (log.level=error|warn|info|debug, or
 * 0-3, on the command line) filters the rest. Print errno values by name
 * with cn_errname() from <cairn/errname.h>. Safe from any thread; never
 * allocates; a line longer than 255 bytes is cut.
 */
#ifndef CAIRN_LOG_H
#define CAIRN_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cairn/compiler.h>
#include <cairn/panic.h>

#define CN_LOG_ERR	0
#define CN_LOG_WARN	1
#define CN_LOG_INFO	2
#define CN_LOG_DEBUG	3

#ifndef CONFIG_LIB_LOG_FLOOR
#define CONFIG_LIB_LOG_FLOOR CN_LOG_DEBUG
#endif

/*
 * The runtime level is tested before the arguments are evaluated, so a
 * filtered line costs one comparison (and never, say, a clock read).
 */
extern int cn_log_runtime_level;

#define cn_log_(lvl, ...)						\
	do {								\
		if ((lvl) <= CONFIG_LIB_LOG_FLOOR &&			\
		    (lvl) <= cn_log_runtime_level)			\
			cn_log_print((lvl), CN_LIBNAME, __VA_ARGS__);	\
	} while (0)

#define cn_pr_err(...)		cn_log_(CN_LOG_ERR, __VA_ARGS__)
#define cn_pr_warn(...)		cn_log_(CN_LOG_WARN, __VA_ARGS__)
#define cn_pr_info(...)		cn_log_(CN_LOG_INFO, __VA_ARGS__)
#define cn_pr_debug(...)	cn_log_(CN_LOG_DEBUG, __VA_ARGS__)

/* Prints one line if level passes the runtime level. Use the macros. */
CN_PRINTF(3, 4) void cn_log_print(int level, const char *lib,
				  const char *fmt, ...);

/* The runtime level, CN_LOG_ERR..CN_LOG_DEBUG. */
int cn_log_level(void);

/* Sets the runtime level; returns 0 or -EINVAL if out of range. */
int cn_log_set_level(int level);

/*
 * The last lines printed, kept in memory (LIB_LOG_RING; none without it):
 * calls fn for each of the last max lines (0: all that are kept), oldest
 * first, without the newline. Runs with interrupts off and the ring's
 * lock held, so fn must not block, log or take a lock (copy the line, or
 * print it with cn_crash_printf()). Returns how many lines fn got. Crash
 * reports end with the last 16.
 */
unsigned int cn_log_recent(unsigned int max,
			   void (*fn)(const char *line, size_t len, void *arg),
			   void *arg);

/*
 * Formats one log line (with its trailing newline) into buf, as
 * cn_log_print() would print it at time ns. Returns the length written,
 * at most size - 1; the line is cut, keeping the newline, if too long.
 */
size_t cn_log_format(char *buf, size_t size, uint64_t ns, int level,
		     const char *lib, const char *fmt, va_list ap);

#endif
