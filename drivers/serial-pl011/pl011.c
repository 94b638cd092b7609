/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PL011 UART, polled (Arm PrimeCell UART technical reference manual,
 * DDI 0183). Registers are 32-bit words at the offsets below; the FIFO
 * flags in UARTFR say when a byte may be written or read.
 */
#include <errno.h>
#include <cairn/pl011.h>

#define UARTDR		(0x000 / 4)
#define UARTFR		(0x018 / 4)
#define UARTLCR_H	(0x02c / 4)
#define UARTCR		(0x030 / 4)
#define UARTIMSC	(0x038 / 4)

#define FR_RXFE		(1u << 4)	/* receive FIFO empty */
#define FR_TXFF		(1u << 5)	/* transmit FIFO full */
#define LCR_FEN		(1u << 4)
#define LCR_WLEN8	(3u << 5)
#define CR_UARTEN	(1u << 0)
#define CR_TXE		(1u << 8)
#define CR_RXE		(1u << 9)

int cn_pl011_init(struct cn_pl011 *u, volatile void *regs)
{
	if (!regs)
		return -EINVAL;
	u->regs = regs;
	u->pending = -1;
	/*
	 * Turning the FIFOs on empties them (QEMU does so too), and without
	 * FIFOs the UART holds one received byte: keep it, or the first key
	 * typed before boot would be lost.
	 */
	if (!(u->regs[UARTFR] & FR_RXFE))
		u->pending = (int)(u->regs[UARTDR] & 0xff);
	/* The manual's order: disable, program the line, enable. */
	u->regs[UARTCR] = 0;
	u->regs[UARTLCR_H] = LCR_FEN | LCR_WLEN8;
	u->regs[UARTIMSC] = 0;		/* polled: no interrupts */
	u->regs[UARTCR] = CR_UARTEN | CR_TXE | CR_RXE;
	return 0;
}

static void put(const struct cn_pl011 *u, char c)
{
	while (u->regs[UARTFR] & FR_TXFF)
		;
	u->regs[UARTDR] = (uint8_t)c;
}

void cn_pl011_write(const struct cn_pl011 *u, const char *buf, size_t len)
{
	size_t i;

	if (!u->regs)
		return;
	for (i = 0; i < len; i++)
		put(u, buf[i]);
}

int cn_pl011_getc(struct cn_pl011 *u)
{
	int c = u->pending;

	if (c >= 0) {
		u->pending = -1;
		return c;
	}
	if (!u->regs || (u->regs[UARTFR] & FR_RXFE))
		return -EAGAIN;
	return (int)(u->regs[UARTDR] & 0xff);
}
