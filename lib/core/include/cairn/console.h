/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * More than one console. The platform's console (the serial port) is
 * always first and always written: crash reports and the launcher rely on
 * it. Other consoles (a VGA screen, a framebuffer, a keyboard) register
 * here and the platform's cn_plat_console_write() / _getc() fan out to
 * them through cn_console_output() / cn_console_getc_others().
 *
 * Which of them the user wants is the top-level parameter
 * `console=serial,vga` (names separated by commas; default "serial"):
 * a driver asks cn_console_wanted("vga") before it registers. `serial`
 * may be named or not; it stays on either way.
 */
#ifndef CAIRN_CONSOLE_H
#define CAIRN_CONSOLE_H

#include <stddef.h>

struct cn_console {
	const char *name;		/* "vga", "fb", "ps2" */
	/*
	 * optional: shows len bytes. Called with interrupts off and the
	 * console's output lock held (any context, crash reports
	 * included): no blocking, no allocation, no locks.
	 */
	void (*write)(struct cn_console *c, const char *buf, size_t len);
	/* optional: the next input byte, or -EAGAIN when none is waiting. */
	int (*getc)(struct cn_console *c);
	void *priv;			/* the driver's */
	struct cn_console *next;	/* cn_console's */
};

/*
 * Adds c after the ones already registered; from then on it receives all
 * console output and is asked for input. Returns 0, or -EINVAL (neither
 * write nor getc). c must stay valid for ever.
 */
int cn_console_register(struct cn_console *c);

/*
 * 1 when the console= parameter names name (a word between commas), else
 * 0. "serial" is wanted by default; every other name only when named.
 */
int cn_console_wanted(const char *name);

/*
 * For the platform's cn_plat_console_write(): own (the platform's serial
 * port) then every registered console get buf, under one output lock
 * with interrupts off, so output from other CPUs and interrupt handlers
 * never lands inside it. Output over 512 bytes goes in pieces that end
 * at a newline where one is found (a log line, at most 256 bytes, is
 * always one piece). Any context; never blocks for long: the lock is
 * recursive per CPU, a CPU that released it while others wait lets them
 * have it first, and a CPU that has waited 1 s for it (another stopped
 * while holding it, in a crash) takes it over.
 */
void cn_console_output(void (*own)(const char *buf, size_t len),
		       const char *buf, size_t len);
/* For the platform's cn_plat_console_getc(): input from the others. */
int cn_console_getc_others(void);

#endif
