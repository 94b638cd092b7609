/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 16550-compatible UART on x86 I/O ports, polled. Used by platforms for
 * their console; no interrupts, no buffering beyond the UART's FIFO.
 */
#ifndef CAIRN_NS16550_H
#define CAIRN_NS16550_H

#include <stddef.h>
#include <stdint.h>

struct cn_ns16550 {
	uint16_t port;		/* base I/O port, 0x3f8 for COM1 */
	uint8_t present;	/* set by init when the UART answers */
};

/*
 * Programs 8N1 at baud with FIFOs on. Returns 0, or -ENODEV when nothing
 * answers at the port (then writes are dropped and reads see no data).
 */
int cn_ns16550_init(struct cn_ns16550 *u, uint16_t port, unsigned int baud);

/* Writes len bytes, waiting for room in the transmitter as needed. */
void cn_ns16550_write(const struct cn_ns16550 *u, const char *buf, size_t len);

/* A received byte (0..255), or -EAGAIN when none is waiting. */
int cn_ns16550_getc(const struct cn_ns16550 *u);

#endif
