/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netdev, the driver side: the operations a network driver implements and
 * the calls only a driver makes. A driver includes this header (it
 * includes the user API, <cairn/netdev.h>); users never need it.
 *
 * A driver fills a struct cn_netdev (mac, mtu, link_up, features,
 * tx_headroom, queue counts, driver and bus names, ops, priv) and calls
 * cn_netdev_register(). From then on it hands received frames to
 * cn_netdev_rx() from its poll operation and reports queue work from its
 * interrupt handler with cn_netdev_notify().
 */
#ifndef CAIRN_NETDEV_DRIVER_H
#define CAIRN_NETDEV_DRIVER_H

#include <cairn/netdev.h>

/*
 * What a driver implements (see doc/drivers.md). Every operation marked
 * required must be there: cn_netdev_register() refuses a table without one.
 * lib/netdev has checked the arguments (queue number, frame length,
 * headroom, link) before an operation runs.
 */
struct cn_netdev_ops {
	/*
	 * required: queues nb for sending on TX queue q; the ownership rules
	 * of <cairn/netdev.h>: 0 takes the buffer, -EAGAIN (queue full)
	 * leaves it with the caller.
	 */
	int (*xmit)(struct cn_netdev *nd, unsigned int q,
		    struct cn_netbuf *nb);
	/*
	 * required: reaps TX completions of queue q and delivers up to
	 * budget received frames to cn_netdev_rx(); returns how many.
	 */
	int (*poll)(struct cn_netdev *nd, unsigned int q, unsigned int budget);
	/*
	 * required: turns notifications of queue q on (returns false when
	 * work is already waiting: poll again) or off. With them on, the
	 * driver's interrupt handler calls cn_netdev_notify() and turns
	 * them off.
	 */
	bool (*irq_enable)(struct cn_netdev *nd, unsigned int q);
	void (*irq_disable)(struct cn_netdev *nd, unsigned int q);
	/*
	 * optional (drivers that honour CN_NETBUF_F_TX_MORE): tells the
	 * device about every frame xmit queued on q without telling it.
	 * Without it, cn_netdev_tx_flush() does nothing.
	 */
	void (*tx_flush)(struct cn_netdev *nd, unsigned int q);
};

/*
 * Adds nd to the registry and names it ("net0", ...). Returns 0, -EINVAL
 * (an operation missing), -ENOSPC (registry full) or -ENOMEM.
 */
int cn_netdev_register(struct cn_netdev *nd);
/* A frame arrived on queue q: counted, then given to the user's rx. */
void cn_netdev_rx(struct cn_netdev *nd, unsigned int q, struct cn_netbuf *nb);
/*
 * How many receive buffers of buf_bytes a driver should keep posted on a
 * ring of ring entries: all of them, unless that would take more than a
 * quarter of the default heap (a small guest: at -m 2M a full ring of
 * 2 KiB buffers is most of it, and what the device holds the image's
 * threads cannot have); 16 at the least.
 */
unsigned int cn_netdev_rx_bufs(unsigned int ring, size_t buf_bytes);
/* In interrupt context: queue q has work (wakes cn_netdev_wait()). */
void cn_netdev_notify(struct cn_netdev *nd, unsigned int q);

/*
 * For drivers of devices that can vanish or whose interrupt may never
 * come (drivers/e1000, drivers/rtl8139): the events are flagged from any
 * context, and logged once each by cn_netdev_health_report() from the
 * driver's poll, under the driver's own name.
 */
struct cn_netdev_health {
	volatile bool gone, gone_reported;	/* registers read all ones */
	volatile bool polled, polled_reported;	/* no interrupt: polled */
	volatile bool link_changed;		/* not logged yet */
	uint64_t tx_stall_since;		/* cn_netdev_health_tx() */
};

/* Frames outstanding this long, none completing: the device stopped. */
#define CN_NETDEV_TX_STALL_NS	5000000000ull

/* Any context: the device reads all ones. Link down; the driver gives up. */
void cn_netdev_health_gone(struct cn_netdev *nd, struct cn_netdev_health *h);

/*
 * Any context: the link state the device reports. When it changed, it is
 * recorded and queue 0 notified (the stack sees it); returns whether.
 */
bool cn_netdev_health_link(struct cn_netdev *nd, struct cn_netdev_health *h,
			   bool up);

/*
 * The driver's poll, after reaping transmit completions (now: the time,
 * cn_time_ns()): frames still outstanding with the link up and none
 * completed for CN_NETDEV_TX_STALL_NS mean a device that no longer
 * works. It is then marked gone (link down) and that is logged under
 * drv, as for cn_netdev_health_report(); returns whether.
 */
bool cn_netdev_health_tx(struct cn_netdev *nd, struct cn_netdev_health *h,
			 bool outstanding, bool completed, uint64_t now,
			 const char *drv, const char *bus);

/*
 * Thread context: logs, once each and under the log name drv, that the
 * device at bus is gone, that it is polled (why_polled: the driver's
 * words, with the period), and a change of link.
 */
void cn_netdev_health_report(struct cn_netdev *nd,
			     struct cn_netdev_health *h, const char *drv,
			     const char *bus, const char *why_polled);

/*
 * Test-only fault injection (a driver's `<drv>.fault=` parameter, as
 * drivers/e1000 and drivers/rtl8139 take it): "" is none (0),
 * "gone:N" CN_NETDEV_FAULT_GONE and "txstall:N" CN_NETDEV_FAULT_TXSTALL,
 * striking after N transmitted frames (*after); -1 for anything else.
 */
#define CN_NETDEV_FAULT_GONE	1
#define CN_NETDEV_FAULT_TXSTALL	2
int cn_netdev_fault_parse(const char *param, unsigned long *after);

#endif
