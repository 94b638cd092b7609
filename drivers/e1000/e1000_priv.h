/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to drivers/e1000: what the driver counts, for its shell command
 * (cmd_e1000.c, built with lib/shell).
 */
#ifndef E1000_PRIV_H
#define E1000_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <cairn/netdev.h>

struct cn_e1000_counters {
	const struct cn_netdev *nd;
	uint64_t tx_doorbells;		/* TDT writes */
	uint64_t rx_doorbells;		/* RDT writes after probe */
	uint64_t irqs;			/* interrupts with a cause */
	uint64_t icr_reads;		/* ICR reads (one per interrupt) */
	unsigned int itr;		/* e1000.itr: interrupts/s at most */
	uint32_t itr_reg;		/* the ITR register, read back */
	bool tx_batch;			/* e1000.tx_batch */
};

/* Device i's counters into *c: 0, or -ENODEV past the last device. */
int cn_e1000_counters(unsigned int i, struct cn_e1000_counters *c);

#endif
