/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Panics and crash-path output. Everything here must work when the rest of
 * the image is broken: no locks, no heap, no stdio streams.
 *
 * Every crash report (a panic here, a CPU exception in the architecture's
 * trap handler, cn_crash() through that same handler) ends with cn_crash_report_end(): what libraries registered
 * with CN_CRASH_INFO (the last log lines, the heap), then the command that
 * turns the backtrace's addresses into file:line on the host.
 */
#include <stdarg.h>
#include <stdio.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/cpu.h>
#include <cairn/panic.h>
#include <cairn/plat.h>
#include <cairn/table.h>

CN_TABLE_DECLARE(cn_crash_info, struct cn_crash_info);

/*
 * The image with symbols and debug information, as the build named it
 * (relative to the source tree when inside it).
 */
#ifndef CN_IMAGE_ELF
#define CN_IMAGE_ELF "<app>_<platform>.elf"
#endif

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
	cn_crash_printf("  thread: %s\n", cn_arch_crash_thread());
	if (cn_cpu_count() > 1)
		cn_crash_printf("  CPU: %u of %u\n", cn_cpu_id(),
				cn_cpu_count());
	cn_arch_backtrace(1);
	cn_crash_report_end();
	cn_plat_halt(CN_EXIT_PANIC);
}

static char crash_msg[256];
static const char *crash_what;

void cn_crash(const char *fmt, ...)
{
	va_list ap;

	if (!crash_what) {	/* a second one keeps the first message */
		va_start(ap, fmt);
		vsnprintf(crash_msg, sizeof(crash_msg), fmt, ap);
		va_end(ap);
		crash_what = crash_msg;
	}
	/*
	 * A trap rather than a report from here: its handler has every
	 * register as it is at this point and reports the backtrace the
	 * way it does for any other crash (frame #0 the trap itself).
	 */
	cn_arch_crash_trap();
}

const char *cn_crash_message(void)
{
	return crash_what;
}

/*
 * With SMP, what every other CPU was doing when this one crashed: the
 * thread it runs (or that it is halted, idle), from its per-CPU area.
 * They go on running while the report prints; their areas are read
 * without a lock, which is good enough for a last look.
 */
static void print_other_cpus(void)
{
#ifdef CONFIG_SMP
	static const char *const states[] = { "absent", "starting", "online",
					      "did not start" };
	unsigned int i, self = cn_cpu_id();

	if (cn_cpu_count() < 2)
		return;
	cn_crash_printf("Other CPUs:\n");
	for (i = 0; i < cn_cpu_count(); i++) {
		const struct cn_cpu *c = &cn_cpus[i];
		const char *name = cn_arch_crash_thread_name(c->thread);

		if (i == self)
			continue;
		cn_crash_printf("  CPU %u (hw id %u): %s", i,
				(unsigned int)c->hw_id,
				c->state < 4 ? states[c->state] : "?");
		if (c->state == CN_CPU_ONLINE) {
			if (c->halted_since)
				cn_crash_printf(", halted (idle)");
			else if (name)
				cn_crash_printf(", running thread %s", name);
			else
				cn_crash_printf(", running");
		}
		cn_crash_printf("\n");
	}
#endif
}

void cn_crash_report_end(void)
{
	static int ended;

	/* A crash inside a library's report must not loop through it. */
	if (!ended++) {
		print_other_cpus();
		cn_table_foreach(cn_crash_info, struct cn_crash_info, ci)
			ci->print();
	}
	/* The .elf is named relative to the build folder (lib.mk says why). */
	cn_crash_printf("symbolize: support/symbolize.py %s < report "
			"(adds file:line to each frame; the .elf is in the "
			"build folder: build/, or add O=dir)\n", CN_IMAGE_ELF);
}

void cn_crash_raw_hex(const char *label, uint64_t v)
{
	char buf[19];
	int i;

	cn_plat_console_write(label, __builtin_strlen(label));
	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	buf[18] = ' ';
	cn_plat_console_write(buf, sizeof(buf));
}
