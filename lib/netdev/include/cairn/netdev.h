/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netdev: network devices, between drivers and their users.
 *
 * Frames travel in struct cn_netbuf. Ownership, the whole contract:
 *   - cn_netbuf_alloc() gives the caller a buffer with CN_NETBUF_HEADROOM
 *     bytes free in front of data (drivers put their headers there);
 *     cn_netbuf_alloc_ext() wraps memory the caller owns (zero copy).
 *   - A frame to send may be a chain of fragments (nb->frag, scatter-
 *     gather, at most CN_NETDEV_MAX_FRAGS); the first needs the device's
 *     tx_headroom in front of its data. The chain travels as one.
 *   - cn_netdev_tx() returning 0 hands the buffer to the driver, which
 *     frees it (cn_netbuf_free) once the device has sent it (TX
 *     completion, counted in tx_packets) or dropped it (tx_drops). Any
 *     other return leaves the buffer with the caller: -EAGAIN means the
 *     queue is full (retry after the next poll), -EMSGSIZE the frame is
 *     longer than MTU + 14 (a GSO frame: 65535 + 14) or shorter than 14
 *     bytes, -ENETDOWN the link is down, -EINVAL the first fragment lacks
 *     tx_headroom, the chain has more than CN_NETDEV_MAX_FRAGS fragments
 *     (CN_NETDEV_MAX_GSO_FRAGS for GSO), or a GSO frame is not partial,
 *     has no gso_size or goes to a device without that TSO feature.
 *   - On receive the driver hands each frame to the rx callback, which
 *     owns it from then on and must free it (or keep it and free later).
 *     A received frame may be a chain of fragments too (a driver with
 *     mergeable buffers), at most 65535 bytes in all; each fragment has
 *     CN_NETBUF_HEADROOM bytes in front of its data.
 *     cn_netbuf_linearize() makes one buffer of it for users who want
 *     one.
 *   - Checksum offload: on a device with CN_NETDEV_F_TX_CSUM a frame may
 *     carry CN_NETBUF_F_CSUM_PARTIAL: the device sums the bytes from
 *     csum_start (from the first fragment's data) to the end of the
 *     frame and stores the complement at csum_start + csum_offset, whose
 *     two bytes must hold the pseudo-header sum beforehand (folded, not
 *     complemented: Linux's CHECKSUM_PARTIAL). csum_start and that field
 *     must lie in the first fragment. On receive, a device with
 *     CN_NETDEV_F_RX_CSUM sets CN_NETBUF_F_CSUM_VALID on frames whose
 *     transport (TCP, UDP) checksum it vouches for; that checksum field
 *     may then be left partial (frames from the host's own stack).
 *   - Segmentation offload: on a device with CN_NETDEV_F_TSO4/6 a frame
 *     may be one TCP segment of up to 65535 IP bytes (gso_type
 *     TCPV4/TCPV6), which the device cuts into segments of gso_size
 *     payload bytes, copying the gso_hdr_len bytes of headers into each
 *     and fixing lengths, IDs, sequence numbers, flags (PSH, FIN on the
 *     last only) and checksums. It must be CSUM_PARTIAL (pseudo-header
 *     sum over the whole TCP length), its IP header's length must cover
 *     the whole frame, it may have up to CN_NETDEV_MAX_GSO_FRAGS
 *     fragments and be at most gso_max_size bytes long (a device's
 *     limit; by default 65535 IP bytes and the Ethernet header).
 *
 *   - Doorbells: a frame marked CN_NETBUF_F_TX_MORE tells the driver that
 *     the sender has more frames to queue at once, so it may put off
 *     telling the device (a register write: on an emulated device, an exit
 *     into the hypervisor) until a frame without the mark, a call of
 *     cn_netdev_tx_flush(), or its own next poll or irq_enable, whichever
 *     comes first. A sender that marks frames ends each burst with one of
 *     the first two. A driver may ignore the mark (send at once).
 *
 * Receive and completion work happens in cn_netdev_poll(), in the
 * caller's thread. Interrupts only notify: when a queue has work the
 * notify callback runs in interrupt context (keep it short: wake a
 * thread) and further notifications stay off until cn_netdev_irq_enable().
 * cn_netdev_wait() packages that for a thread. Queues: the API numbers RX
 * and TX queues (nr_rx_queues, nr_tx_queues); today's drivers have one.
 *
 * Calls on one queue must come from one thread at a time.
 *
 * This header is the API for users (lwIP's netif, apps, tests); drivers
 * include <cairn/netdev_driver.h>, which adds the operations a driver
 * implements and the calls only drivers make.
 */
#ifndef CAIRN_NETDEV_H
#define CAIRN_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CN_NETBUF_HEADROOM	64
#define CN_NETDEV_MAX_FRAGS	16
#define CN_NETDEV_MAX_GSO_FRAGS	64	/* fragments of a GSO frame */
#define CN_ETH_HLEN		14
#define CN_ETH_ALEN		6

/* cn_netbuf flags */
#define CN_NETBUF_F_CSUM_PARTIAL 0x1	/* TX: device fills the checksum */
#define CN_NETBUF_F_CSUM_VALID	 0x2	/* RX: checksum verified by device */
#define CN_NETBUF_F_TX_MORE	 0x4	/* TX: more frames follow (a hint) */

/* cn_netbuf gso_type (TX) */
#define CN_NETBUF_GSO_NONE	0
#define CN_NETBUF_GSO_TCPV4	1
#define CN_NETBUF_GSO_TCPV6	2

struct cn_netbuf {
	struct cn_netbuf *next;		/* free for the owner's lists */
	struct cn_netbuf *frag;		/* next fragment of this frame */
	uint8_t *data;			/* first byte of the frame */
	uint8_t *base;			/* start of the storage (headroom) */
	uint32_t len;			/* bytes at data */
	uint32_t size;			/* bytes of storage from base */
	uint16_t flags;
	uint16_t csum_start;		/* CSUM_PARTIAL: from data */
	uint16_t csum_offset;		/* CSUM_PARTIAL: from csum_start */
	uint16_t gso_size;		/* GSO: payload bytes per segment */
	uint16_t gso_hdr_len;		/* GSO: Ethernet+IP+TCP header bytes */
	uint8_t gso_type;		/* CN_NETBUF_GSO_* */
	/* external storage: called by cn_netbuf_free instead of freeing it */
	void (*release)(struct cn_netbuf *nb);
	void *priv;			/* free for the owner */
	uint8_t head[];			/* storage of cn_netbuf_alloc */
};

/* A buffer for a frame of up to len bytes, data at the headroom. */
struct cn_netbuf *cn_netbuf_alloc(size_t len);
/*
 * A buffer over memory the caller owns: data..data+len, with headroom
 * bytes usable in front of data; release(nb) runs when the buffer is
 * freed (nb->priv is the caller's), then the descriptor itself is freed.
 */
struct cn_netbuf *cn_netbuf_alloc_ext(void *data, size_t len,
				      size_t headroom,
				      void (*release)(struct cn_netbuf *nb),
				      void *priv);
/* Frees nb and every fragment chained after it. */
void cn_netbuf_free(struct cn_netbuf *nb);
/*
 * One buffer with the whole frame: nb itself when it has no fragments,
 * else a new buffer (flags kept) and nb is freed. NULL when memory ran
 * out (nb freed too).
 */
struct cn_netbuf *cn_netbuf_linearize(struct cn_netbuf *nb);
/*
 * What a device with CN_NETDEV_F_TX_CSUM does, in software: the checksum
 * of a CN_NETBUF_F_CSUM_PARTIAL frame completed (the field at csum_start
 * + csum_offset; a UDP sum of 0 written as 0xffff) and the flag cleared.
 * For drivers whose device cannot place a checksum where the frame wants
 * it. A frame without the flag is left alone.
 */
void cn_netbuf_csum_finish(struct cn_netbuf *nb);
/* Bytes available in front of data. */
static inline size_t cn_netbuf_headroom(const struct cn_netbuf *nb)
{
	return (size_t)(nb->data - nb->base);
}
/* Bytes of the whole frame (all fragments). */
static inline size_t cn_netbuf_frame_len(const struct cn_netbuf *nb)
{
	size_t n = 0;

	for (; nb; nb = nb->frag)
		n += nb->len;
	return n;
}

struct cn_netdev_stats {
	uint64_t rx_packets, rx_bytes, rx_drops, rx_errors;
	uint64_t tx_packets, tx_bytes, tx_drops, tx_errors;
};

/* Offloads (cn_netdev.features) */
#define CN_NETDEV_F_TX_CSUM	0x1	/* honours CN_NETBUF_F_CSUM_PARTIAL */
#define CN_NETDEV_F_RX_CSUM	0x2	/* sets CN_NETBUF_F_CSUM_VALID */
#define CN_NETDEV_F_TSO4	0x4	/* takes CN_NETBUF_GSO_TCPV4 frames */
#define CN_NETDEV_F_TSO6	0x8	/* takes CN_NETBUF_GSO_TCPV6 frames */

struct cn_netdev;

/* The driver's operations: <cairn/netdev_driver.h>. */
struct cn_netdev_ops;
/* lib/netdev's own state of a registered device. */
struct cn_netdev_state;

typedef void (*cn_netdev_rx_fn)(struct cn_netdev *nd, unsigned int q,
				struct cn_netbuf *nb, void *arg);
typedef void (*cn_netdev_notify_fn)(struct cn_netdev *nd, unsigned int q,
				    void *arg);

/*
 * A network device. The driver fills it in and registers it
 * (<cairn/netdev_driver.h>); for users every field is read-only.
 */
struct cn_netdev {
	char name[8];			/* "net0": set by register */
	uint8_t mac[CN_ETH_ALEN];
	uint16_t mtu;			/* payload bytes, 1500 by default */
	bool link_up;
	unsigned int features;		/* CN_NETDEV_F_* */
	unsigned int tx_headroom;	/* bytes the driver needs before data */
	unsigned int gso_max_size;	/* GSO frame bytes at most (register:
					 * 65549 when the driver left 0) */
	unsigned int nr_rx_queues, nr_tx_queues;
	const char *driver;		/* "virtio-net" */
	const char *bus;		/* "pci 00:03.0" */
	struct cn_netdev_stats stats;	/* counted by lib/netdev and driver */
	const struct cn_netdev_ops *ops; /* the driver's */
	void *priv;			/* the driver's */
	struct cn_netdev_state *state;	/* lib/netdev's, set by register */
};

unsigned int cn_netdev_count(void);
struct cn_netdev *cn_netdev_get(unsigned int index);	/* NULL: none */
struct cn_netdev *cn_netdev_find(const char *name);
void cn_netdev_set_rx(struct cn_netdev *nd, cn_netdev_rx_fn fn, void *arg);
void cn_netdev_set_notify(struct cn_netdev *nd, cn_netdev_notify_fn fn,
			  void *arg);
int cn_netdev_tx(struct cn_netdev *nd, unsigned int q, struct cn_netbuf *nb);
int cn_netdev_poll(struct cn_netdev *nd, unsigned int q, unsigned int budget);
/*
 * Hands every frame queued on TX queue q with CN_NETBUF_F_TX_MORE to the
 * device now. Returns 0, or -EINVAL for a queue the device does not have.
 * Never blocks; any thread (the rules of queue q still apply).
 */
int cn_netdev_tx_flush(struct cn_netdev *nd, unsigned int q);
bool cn_netdev_irq_enable(struct cn_netdev *nd, unsigned int q);
void cn_netdev_irq_disable(struct cn_netdev *nd, unsigned int q);
/*
 * Blocks the calling thread until queue q has work (notification) or the
 * deadline passes (cn_time_ns() scale; 0: none). Returns 0 or -ETIMEDOUT.
 * Poll after it returns.
 */
int cn_netdev_wait(struct cn_netdev *nd, unsigned int q, uint64_t deadline);

/* "aa:bb:cc:dd:ee:ff" into buf (at least 18 bytes); returns buf. */
char *cn_netdev_mac_str(const uint8_t *mac, char *buf);

#endif
