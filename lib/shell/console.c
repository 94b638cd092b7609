/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shell on the serial console. The console has no receive interrupt:
 * the shell asks the platform for a byte without waiting and, when none
 * is there, sleeps CONFIG_LIB_SHELL_POLL_MS on the timer so that the
 * app's threads run (and the CPU idles when they all wait). QEMU keeps
 * what is typed meanwhile (its UART, then the host side), so no byte is
 * lost, only delayed by at most one poll period.
 *
 * The UART runs without a FIFO (the platform keeps the firmware's mode):
 * QEMU hands over the next byte of a paste only once the previous one
 * was read, a few microseconds later. Sleeping a whole period between
 * such bytes would paste at 100 bytes/s, so for BURST_NS after a byte the
 * shell only yields to other threads before it looks again.
 */
#include <errno.h>
#include <stdint.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/sched.h>
#include <cairn/timer.h>
#include "shell_priv.h"

#define BURST_NS	2000000u

static uint64_t last_byte;	/* cn_time_ns() of the last byte read */

static int con_getc(void *ctx)
{
	int c = cn_plat_console_getc(1);

	(void)ctx;
	if (c < 0)
		return -EAGAIN;
	last_byte = cn_time_ns();
	return c;
}

static void con_idle(void *ctx)
{
	(void)ctx;
	if (cn_time_ns() - last_byte < BURST_NS)
		cn_thread_yield();
	else
		cn_thread_sleep_ns((uint64_t)CONFIG_LIB_SHELL_POLL_MS *
				   1000000u);
}

static void con_write(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	cn_plat_console_write(buf, len);
}

static const struct shell_io console_io = {
	.getc = con_getc,
	.idle = con_idle,
	.write = con_write,
};

static int console_taken;	/* one shell reads the console */

static void banner(struct cn_shell *sh)
{
	cn_shell_console_puts(sh, "Cairn shell: 'help' lists the commands\n");
}

static void *shell_thread(void *arg)
{
	struct cn_shell *sh = arg;

	banner(sh);
	cn_shell_run(sh);	/* the console never ends */
	return NULL;
}

int cn_shell_start(void)
{
	struct cn_thread_attr attr = {
		.name = "shell",
		.stack_size = (size_t)CONFIG_LIB_SHELL_STACK_KB * 1024,
		.flags = CN_THREAD_DETACHED,
	};
	struct cn_shell *sh;
	int rc;

	if (console_taken)
		return -EBUSY;
	sh = cn_shell_new(&console_io);
	if (!sh)
		return -ENOMEM;
	console_taken = 1;
	rc = cn_thread_create(NULL, &attr, shell_thread, sh);
	if (rc) {
		console_taken = 0;
		cn_shell_free(sh);
	}
	return rc;
}

void cn_shell_main(void)
{
	struct cn_shell *sh = cn_shell_new(&console_io);

	if (!sh)
		cn_panic("shell: no memory for the shell's state");
	console_taken = 1;
	banner(sh);
	cn_shell_run(sh);
	cn_panic("shell: the console ended");
}

int cn_shell_exec(const char *line)
{
	struct cn_shell *sh = cn_shell_new(&console_io);
	int rc;

	if (!sh)
		return -ENOMEM;
	rc = cn_shell_run_line(sh, line);
	cn_shell_free(sh);
	return rc;
}
