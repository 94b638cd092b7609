/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Polled 16550 UART. The presence check writes the scratch register and
 * reads it back: a missing UART reads as 0xff, and waiting for its
 * transmitter would otherwise spin for ever.
 *
 * The FIFO control register is never written: changing the FIFO mode
 * flushes the receiver, which loses whatever was typed (or piped in) before
 * and while the UART is set up. The firmware's FIFO mode is kept; QEMU's
 * UART holds input back in the host while the receiver is full, so without
 * a FIFO nothing is lost either.
 */
#include <errno.h>
#include <cairn/arch.h>
#include <cairn/ns16550.h>
#include <cairn/arch/x86_64.h>

#define REG_DATA	0
#define REG_IER		1
#define REG_LCR		3
#define REG_MCR		4
#define REG_LSR		5
#define REG_SCR		7
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define TX_SPIN_MAX	100000

int cn_ns16550_init(struct cn_ns16550 *u, uint16_t port, unsigned int baud)
{
	unsigned int div = baud ? 115200 / baud : 1;

	u->port = port;
	u->present = 0;
	cn_outb(port + REG_SCR, 0x5a);
	if (cn_inb(port + REG_SCR) != 0x5a)
		return -ENODEV;
	cn_outb(port + REG_IER, 0);
	cn_outb(port + REG_LCR, LCR_DLAB);
	cn_outb(port + REG_DATA, div & 0xff);
	cn_outb(port + REG_IER, div >> 8 & 0xff);
	cn_outb(port + REG_LCR, LCR_8N1);
	cn_outb(port + REG_MCR, 0x03);		/* DTR, RTS */
	u->present = 1;
	return 0;
}

void cn_ns16550_write(const struct cn_ns16550 *u, const char *buf, size_t len)
{
	size_t i;

	if (!u->present)
		return;
	for (i = 0; i < len; i++) {
		unsigned int spin = 0;

		while (!(cn_inb(u->port + REG_LSR) & LSR_THRE) &&
		       spin++ < TX_SPIN_MAX)
			cn_arch_cpu_relax();
		cn_outb(u->port + REG_DATA, (uint8_t)buf[i]);
	}
}

int cn_ns16550_getc(const struct cn_ns16550 *u)
{
	if (!u->present || !(cn_inb(u->port + REG_LSR) & LSR_DR))
		return -EAGAIN;
	return cn_inb(u->port + REG_DATA);
}
