/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Panics and crash-path output. Everything here must work when the rest of
 * the image is broken: no locks, no heap, no stdio streams.
 */
#include <stdarg.h>
#include <stdio.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/panic.h>
#include <cairn/plat.h>

static void crash_vprintf(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	cn_plat_console_write(buf, (size_t)n);
}

void cn_crash_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crash_vprintf(fmt, ap);
	va_end(ap);
}

void cn_panic_at(const char *lib, const char *file, int line,
		 const char *fmt, ...)
{
	static int panicking;
	va_list ap;

	if (panicking++) {
		cn_crash_printf("\nPANIC while panicking; stopping\n");
		cn_plat_halt(CN_EXIT_PANIC);
	}
	cn_crash_printf("\nPANIC: ");
	va_start(ap, fmt);
	crash_vprintf(fmt, ap);
	va_end(ap);
	cn_crash_printf("\n  in %s at %s:%d\n", lib, file, line);
	cn_arch_backtrace(1);
	cn_plat_halt(CN_EXIT_PANIC);
}
