/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console is the device tree's PL011 (the one /chosen's stdout-path
 * names is the first on virt), which QEMU connects to -serial. Before
 * the tree has been read (or if it has none) it is virt's UART at
 * 0x09000000, so that an early panic is still seen.
 */
#include <errno.h>
#include <cairn/arch.h>
#include <cairn/console.h>
#include <cairn/pl011.h>
#include <cairn/plat.h>
#include "qemu_priv.h"

#define VIRT_UART0	0x09000000ul

static struct cn_pl011 uart;

void cn_qemu_console_init(void)
{
	volatile void *regs = NULL;

	if (cn_qemu_fdt.blob)
		regs = cn_qemu_fdt_map("arm,pl011", NULL);
	cn_pl011_init(&uart, regs ? regs : (volatile void *)VIRT_UART0);
}

static void uart_write(const char *buf, size_t len)
{
	if (!uart.regs)
		uart.regs = (volatile uint32_t *)VIRT_UART0;
	cn_pl011_write(&uart, buf, len);
}

void cn_plat_console_write(const char *buf, size_t len)
{
	cn_console_output(uart_write, buf, len);
}

int cn_plat_console_getc(int nonblock)
{
	int c;

	while ((c = cn_pl011_getc(&uart)) == -EAGAIN && !nonblock)
		cn_arch_cpu_relax();
	return c;
}
