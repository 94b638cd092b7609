/* SPDX-License-Identifier: BSD-3-Clause */
/* The console is COM1, which QEMU connects to -serial on pc and microvm. */
#include <errno.h>
#include <cairn/arch.h>
#include <cairn/ns16550.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>
#include "qemu_priv.h"

static struct cn_ns16550 com1;

void cn_qemu_console_init(void)
{
	cn_ns16550_init(&com1, 0x3f8, CONFIG_PLAT_QEMU_SERIAL_BAUD);
}

void cn_plat_console_write(const char *buf, size_t len)
{
	cn_ns16550_write(&com1, buf, len);
}

int cn_plat_console_getc(int nonblock)
{
	int c;

	while ((c = cn_ns16550_getc(&com1)) == -EAGAIN && !nonblock)
		cn_arch_cpu_relax();
	return c;
}
