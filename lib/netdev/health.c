/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device health for NIC drivers (<cairn/netdev_driver.h>): a device that
 * reads all ones, an interrupt that never comes, link changes. Flagged
 * where the driver notices them (interrupt handler, timer, poll) and
 * logged once each from thread context, in the driver's name.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/log.h>
#include <cairn/netdev_driver.h>

void cn_netdev_health_gone(struct cn_netdev *nd, struct cn_netdev_health *h)
{
	h->gone = true;
	nd->link_up = false;
}

bool cn_netdev_health_link(struct cn_netdev *nd, struct cn_netdev_health *h,
			   bool up)
{
	if (up == nd->link_up)
		return false;
	nd->link_up = up;
	h->link_changed = true;
	cn_netdev_notify(nd, 0);
	return true;
}

bool cn_netdev_health_tx(struct cn_netdev *nd, struct cn_netdev_health *h,
			 bool outstanding, bool completed, uint64_t now,
			 const char *drv, const char *bus)
{
	if (!outstanding || completed || !nd->link_up || h->gone) {
		h->tx_stall_since = 0;
		return false;
	}
	if (!h->tx_stall_since) {
		h->tx_stall_since = now;
		return false;
	}
	if (now - h->tx_stall_since <= CN_NETDEV_TX_STALL_NS)
		return false;
	/* Down before it is said: whoever reads the line and then looks
	 * at the interface sees it down. */
	h->gone_reported = true;	/* said here, not as all ones */
	cn_netdev_health_gone(nd, h);
	cn_log_print(CN_LOG_ERR, drv, "%s: %s at %s: frames handed to the "
		     "device did not complete within %llu s; giving up on it "
		     "(link down)", nd->name, drv, bus,
		     CN_NETDEV_TX_STALL_NS / 1000000000ull);
	return true;
}

void cn_netdev_health_report(struct cn_netdev *nd,
			     struct cn_netdev_health *h, const char *drv,
			     const char *bus, const char *why_polled)
{
	if (h->gone && !h->gone_reported) {
		h->gone_reported = true;
		cn_log_print(CN_LOG_ERR, drv, "%s: %s at %s reads all ones: the "
			     "device is gone; giving up on it (link down)",
			     nd->name, drv, bus);
	}
	if (h->polled && !h->polled_reported) {
		h->polled_reported = true;
		cn_log_print(CN_LOG_WARN, drv, "%s: %s", nd->name, why_polled);
	}
	if (h->link_changed) {
		h->link_changed = false;
		cn_log_print(CN_LOG_INFO, drv, "%s: link %s", nd->name,
			     nd->link_up ? "up" : "down");
	}
}

int cn_netdev_fault_parse(const char *param, unsigned long *after)
{
	const char *num;
	char *end;
	int kind;

	if (!*param)
		return 0;
	if (!strncmp(param, "gone:", 5)) {
		kind = CN_NETDEV_FAULT_GONE;
		num = param + 5;
	} else if (!strncmp(param, "txstall:", 8)) {
		kind = CN_NETDEV_FAULT_TXSTALL;
		num = param + 8;
	} else {
		return -1;
	}
	*after = strtoul(num, &end, 10);
	return *num && !*end ? kind : -1;
}
