/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console is COM1, which QEMU connects to -serial on pc and microvm.
 * Output also goes to the consoles registered with <cairn/console.h> (the
 * VGA screen with console=serial,vga), and input comes from them too (a
 * PS/2 keyboard): COM1 first, then the others.
 */
#include <errno.h>
#include <cairn/arch.h>
#include <cairn/console.h>
#include <cairn/ns16550.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>
#include "qemu_priv.h"

static struct cn_ns16550 com1;

void cn_qemu_console_init(void)
{
	cn_ns16550_init(&com1, 0x3f8, CONFIG_PLAT_QEMU_SERIAL_BAUD);
}

static void com1_write(const char *buf, size_t len)
{
	cn_ns16550_write(&com1, buf, len);
}

void cn_plat_console_write(const char *buf, size_t len)
{
	cn_console_output(com1_write, buf, len);
}

static int getc_any(void)
{
	int c = cn_ns16550_getc(&com1);

	return c == -EAGAIN ? cn_console_getc_others() : c;
}

int cn_plat_console_getc(int nonblock)
{
	int c;

	while ((c = getc_any()) == -EAGAIN && !nonblock)
		cn_arch_cpu_relax();
	return c;
}
