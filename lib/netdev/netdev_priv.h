/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/netdev: its state of a registered device. */
#ifndef NETDEV_PRIV_H
#define NETDEV_PRIV_H

#include <cairn/netdev.h>
#include <cairn/sync.h>

struct cn_netdev_state {
	cn_netdev_rx_fn rx;		/* cn_netdev_set_rx() */
	void *rx_arg;
	cn_netdev_notify_fn notify;	/* cn_netdev_set_notify() */
	void *notify_arg;
	struct cn_event changed;	/* cn_netdev_wait()'s wake-ups */
	unsigned int events;		/* queues notified, one bit each */
};

#endif
