/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Arm PrimeCell UART (PL011), memory-mapped, polled. Used by platforms for
 * their console; no interrupts, no buffering beyond the UART's FIFOs.
 */
#ifndef CAIRN_PL011_H
#define CAIRN_PL011_H

#include <stddef.h>
#include <stdint.h>

struct cn_pl011 {
	volatile uint32_t *regs;	/* mapped base, NULL: not set up */
	int pending;			/* a byte read at init, or -1 */
};

/*
 * Takes the UART at regs (already mapped as device memory) and turns on
 * its transmitter, receiver and FIFOs, 8N1; the baud rate is left as the
 * firmware set it (QEMU ignores it). Returns 0 or -EINVAL (regs NULL).
 */
int cn_pl011_init(struct cn_pl011 *u, volatile void *regs);

/* Writes len bytes, waiting for room in the transmit FIFO as needed. */
void cn_pl011_write(const struct cn_pl011 *u, const char *buf, size_t len);

/* A received byte (0..255), or -EAGAIN when none is waiting. */
int cn_pl011_getc(struct cn_pl011 *u);

#endif
