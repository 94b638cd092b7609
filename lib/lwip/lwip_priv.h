/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/lwip. */
#ifndef LWIP_PRIV_H
#define LWIP_PRIV_H

#include <stdbool.h>
#include <cairn/netdev.h>
#include "lwip/netif.h"

struct cn_lwip_if {
	struct netif netif;
	struct cn_netdev *nd;
	uint64_t tx_copies;		/* frames that could not be lent */
	uint64_t rx_missed_wakeups;	/* frames found only by the watchdog */
	bool tx_refused;		/* a frame met a full ring: retry TCP */
	u16_t csum_flags;		/* NETIF_CHECKSUM_*: checks all on */
};

/* lwIP's netif init callback for a netdev (state: struct cn_lwip_if). */
err_t cn_lwip_netif_init(struct netif *netif);
/* Starts the receive thread of the interface. */
int cn_lwip_netif_start(struct cn_lwip_if *li);

#endif
