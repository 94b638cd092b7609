/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net (virtio 1.x, section 5.1) as a netdev. Queue 0 receives,
 * queue 1 transmits. Every frame travels with the 12-byte virtio-net
 * header in front of it, in the same buffer: TX writes it into the
 * netbuf's headroom (one descriptor per frame), RX buffers are posted
 * with room for it. With mergeable RX buffers a frame may span several
 * buffers; they are chained as netbuf fragments, not copied. The RX ring
 * is kept full (every poll refills what it consumed), but for a small
 * heap: buffers up to a quarter of it (cn_netdev_rx_bufs()).
 *
 * Features, each negotiated only when the device offers it and the
 * Kconfig default or its parameter allows: csum (TX checksum offload:
 * the device completes checksums the sender left partial), guest_csum
 * (RX: the device vouches for a frame's transport checksum), mrg_rxbuf,
 * and the virtio core's event_idx. What the device sends is checked
 * before it is believed: a bad header or buffer count drops that frame
 * and counts an rx_error, nothing worse.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/netdev_driver.h>
#include <cairn/param.h>
#include <cairn/spinlock.h>
#include <cairn/virtio.h>

#define F_CSUM		(1ull << 0)
#define F_GUEST_CSUM	(1ull << 1)
#define F_MTU		(1ull << 3)
#define F_MAC		(1ull << 5)
#define F_GUEST_TSO4	(1ull << 7)
#define F_GUEST_TSO6	(1ull << 8)
#define F_HOST_TSO4	(1ull << 11)
#define F_HOST_TSO6	(1ull << 12)
#define F_MRG_RXBUF	(1ull << 15)
#define F_STATUS	(1ull << 16)

#define HDR_F_NEEDS_CSUM 1
#define HDR_F_DATA_VALID 2
#define HDR_GSO_TCPV4	1
#define HDR_GSO_TCPV6	4
#define STATUS_LINK_UP	1
#define CFG_MAC		0
#define CFG_STATUS	6
#define CFG_MTU		10
#define RXQ		0
#define TXQ		1
#define MIN_RX_BUF	(sizeof(struct vnet_hdr) + CN_ETH_HLEN + 1500)
#define MAX_FRAME	65535	/* what a netbuf chain's user may assume */

struct vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};

struct vnet {
	struct cn_netdev nd;
	struct cn_virtio_dev *vdev;
	struct cn_virtq *rx, *tx;
	unsigned int rx_buf;		/* bytes per posted RX buffer */
	unsigned int rx_posted;		/* buffers to keep posted */
	bool mrg;			/* VIRTIO_NET_F_MRG_RXBUF */
	bool guest_csum;		/* VIRTIO_NET_F_GUEST_CSUM */
	bool tx_waiting;		/* TX ring was full */
	/*
	 * The rings and the fields above, against the other CPUs and this
	 * driver's interrupt handler, which runs without the big lock
	 * (cn_virtio_irq_unlocked()). Sections are short and call out to
	 * nothing that takes another lock but the allocator's and the
	 * scheduler's: completed frames are freed after it is released, as
	 * a frame's release may take the big lock (a sendfile() pin).
	 */
	struct cn_spinlock lock;
};

/* Defaults from Kconfig; the parameters override them at boot. */
#ifdef CONFIG_DRV_VIRTIO_NET_CSUM
static bool csum_param = true;
#else
static bool csum_param;
#endif
#ifdef CONFIG_DRV_VIRTIO_NET_GUEST_CSUM
static bool guest_csum_param = true;
#else
static bool guest_csum_param;
#endif
#ifdef CONFIG_DRV_VIRTIO_NET_MRG_RXBUF
static bool mrg_param = true;
#else
static bool mrg_param;
#endif
#ifdef CONFIG_DRV_VIRTIO_NET_TSO
static bool tso_param = true;
#else
static bool tso_param;
#endif
#ifdef CONFIG_DRV_VIRTIO_NET_GUEST_TSO
static bool guest_tso_param = true;
#else
static bool guest_tso_param;
#endif
static int rx_buf_param = 2048;
CN_PARAM_INT(virtio_net, rx_buf, rx_buf_param,
	     "bytes per RX buffer (64-65536; below 1526 needs mergeable "
	     "buffers, which QEMU offers)");
CN_PARAM_BOOL(virtio_net, csum, csum_param,
	      "negotiate TX checksum offload (VIRTIO_NET_F_CSUM)");
CN_PARAM_BOOL(virtio_net, guest_csum, guest_csum_param,
	      "negotiate RX checksum offload (VIRTIO_NET_F_GUEST_CSUM)");
CN_PARAM_BOOL(virtio_net, mrg_rxbuf, mrg_param,
	      "negotiate mergeable RX buffers (VIRTIO_NET_F_MRG_RXBUF)");
CN_PARAM_BOOL(virtio_net, tso, tso_param,
	      "negotiate TX segmentation offload (VIRTIO_NET_F_HOST_TSO4/6; "
	      "needs csum)");
CN_PARAM_BOOL(virtio_net, guest_tso, guest_tso_param,
	      "negotiate RX segmentation offload (VIRTIO_NET_F_GUEST_TSO4/6; "
	      "needs guest_csum and mrg_rxbuf)");

static void rx_refill(struct vnet *v)
{
	/* All buffers used: the device may be waiting for a notification. */
	bool was_empty = cn_virtq_free(v->rx) == v->rx->size, added = false;

	while (cn_virtq_free(v->rx) &&
	       v->rx->size - cn_virtq_free(v->rx) < v->rx_posted) {
		struct cn_netbuf *nb = cn_netbuf_alloc(v->rx_buf);
		struct cn_virtq_buf b;

		if (!nb)
			break;		/* retried at the next poll */
		b.addr = nb->data;
		b.len = v->rx_buf;
		if (cn_virtq_add(v->rx, &b, 0, 1, nb)) {
			cn_netbuf_free(nb);
			break;
		}
		added = true;
	}
	if (added && !cn_virtq_kick(v->rx) && was_empty)
		cn_virtq_notify(v->rx);
}

/* Under the lock: the frames the device has sent, onto *done. */
static unsigned int tx_reap(struct vnet *v, struct cn_netbuf **done)
{
	struct cn_netbuf *nb;
	unsigned int n = 0;
	uint32_t len;

	while ((nb = cn_virtq_get(v->tx, &len))) {
		n++;
		v->nd.stats.tx_packets++;
		v->nd.stats.tx_bytes += cn_netbuf_frame_len(nb);
		nb->next = *done;
		*done = nb;
	}
	return n;
}

/* After the lock: frees what tx_reap() collected. */
static void free_done(struct cn_netbuf *done)
{
	while (done) {
		struct cn_netbuf *next = done->next;

		cn_netbuf_free(done);
		done = next;
	}
}

/*
 * One descriptor for the header and the first fragment (contiguous, the
 * header in its headroom), one per further fragment. Completed frames are
 * reaped first, so that buffers lent by the caller (lwIP's pbufs) go back
 * soon after the device has sent them.
 */
static int vnet_xmit(struct cn_netdev *nd, unsigned int q,
		     struct cn_netbuf *nb)
{
	struct vnet *v = nd->priv;
	struct cn_virtq_buf b[CN_NETDEV_MAX_GSO_FRAGS];
	struct cn_netbuf *f;
	struct cn_netbuf *done = NULL;
	struct vnet_hdr *h;
	unsigned long flags;
	unsigned int n = 0;
	int rc;

	(void)q;
	if (cn_netbuf_headroom(nb) < sizeof(*h))
		return -EINVAL;
	h = (struct vnet_hdr *)(nb->data - sizeof(*h));
	memset(h, 0, sizeof(*h));
	if ((nb->flags & CN_NETBUF_F_CSUM_PARTIAL) &&
	    (nd->features & CN_NETDEV_F_TX_CSUM)) {
		h->flags = HDR_F_NEEDS_CSUM;
		h->csum_start = nb->csum_start;
		h->csum_offset = nb->csum_offset;
	}
	b[n].addr = h;
	b[n++].len = (uint32_t)(sizeof(*h) + nb->len);
	if (nb->gso_type) {		/* lib/netdev checked it */
		h->gso_type = nb->gso_type == CN_NETBUF_GSO_TCPV4 ?
			      HDR_GSO_TCPV4 : HDR_GSO_TCPV6;
		h->gso_size = nb->gso_size;
		h->hdr_len = nb->gso_hdr_len;
	}
	for (f = nb->frag; f && n < CN_NETDEV_MAX_GSO_FRAGS; f = f->frag) {
		if (!f->len)
			continue;
		b[n].addr = f->data;
		b[n++].len = f->len;
	}
	if (f)
		return -EINVAL;
	flags = cn_spin_lock_irqsave(&v->lock);
	tx_reap(v, &done);
	rc = cn_virtq_add(v->tx, b, n, 0, nb);
	if (rc == 0) {
		cn_virtq_kick(v->tx);
	} else if (rc == -ENOSPC) {
		/*
		 * Full: make sure the device is working on it, and that its
		 * next completion wakes the poller, who retries the refused
		 * frames' senders (lib/lwip's receive thread may be asleep).
		 */
		v->tx_waiting = true;
		cn_virtq_notify(v->tx);
		if (!cn_virtq_enable_cb(v->tx))
			cn_netdev_notify(nd, 0);
	}
	cn_spin_unlock_irqrestore(&v->lock, flags);
	free_done(done);
	return rc == -ENOSPC ? -EAGAIN : rc;
}

/*
 * The frame whose first buffer is nb (len bytes written, header
 * included). With mergeable buffers the header's num_buffers says how
 * many buffers it spans; the others are the next used entries, chained
 * behind nb as fragments. Returns the frame, or NULL when the device
 * broke the rules (a length beyond the buffer, num_buffers 0 or beyond
 * the ring, fewer buffers than it said, a checksum position outside the
 * frame): the frame is dropped and counted in rx_errors.
 */
static struct cn_netbuf *rx_frame(struct vnet *v, struct cn_netbuf *nb,
				  uint32_t len)
{
	struct cn_netbuf **tail = &nb->frag;
	struct vnet_hdr h;
	unsigned int num = 1, i;
	size_t total;
	bool bad = false;

	if (len < sizeof(h) || len > v->rx_buf)
		goto drop;
	memcpy(&h, nb->data, sizeof(h));
	nb->data += sizeof(h);
	nb->len = len - (uint32_t)sizeof(h);
	total = nb->len;
	if (v->mrg) {
		num = h.num_buffers;
		if (!num || num > v->rx->size)
			goto drop;
	}
	for (i = 1; i < num; i++) {
		struct cn_netbuf *f = cn_virtq_get(v->rx, &len);

		if (!f) {		/* fewer than it said */
			bad = true;
			break;
		}
		*tail = f;
		tail = &f->frag;
		if (len > v->rx_buf)
			bad = true;
		f->len = bad ? 0 : len;
		total += f->len;
	}
	/*
	 * With guest_tso a frame may be one TCP segment of up to 64 KiB
	 * (gso_type TCPV4/6, gso_size the sender's MSS): it goes up as one
	 * segment, which lwIP takes as it is (the receiver need not cut
	 * what it never has to send on). The host's TCP keeps its frames
	 * under 64 KiB with all headers; a longer one is dropped.
	 */
	if (bad || total < CN_ETH_HLEN || total > MAX_FRAME)
		goto drop;
	if (v->guest_csum && (h.flags & HDR_F_NEEDS_CSUM)) {
		/*
		 * The sender (the host's own stack) left the checksum
		 * partial, as on its way out of any offloading NIC: the data
		 * never crossed a wire, so it is as good as verified. It is
		 * not filled in: Cairn does not forward frames.
		 */
		if ((size_t)h.csum_start + h.csum_offset + 2 > total)
			goto drop;
		nb->flags |= CN_NETBUF_F_CSUM_VALID;
	} else if (v->guest_csum && (h.flags & HDR_F_DATA_VALID)) {
		nb->flags |= CN_NETBUF_F_CSUM_VALID;
	}
	return nb;
drop:
	v->nd.stats.rx_errors++;
	cn_netbuf_free(nb);
	return NULL;
}

static int vnet_poll(struct cn_netdev *nd, unsigned int q, unsigned int budget)
{
	struct vnet *v = nd->priv;
	struct cn_netbuf *nb, *done = NULL;
	unsigned int n = 0, reaped;
	unsigned long flags;
	uint32_t len;

	(void)q;
	flags = cn_spin_lock_irqsave(&v->lock);
	reaped = tx_reap(v, &done);
	while (n < budget && (nb = cn_virtq_get(v->rx, &len))) {
		nb = rx_frame(v, nb, len);
		if (!nb)
			continue;
		n++;
		cn_spin_unlock_irqrestore(&v->lock, flags);
		cn_netdev_rx(nd, 0, nb);
		flags = cn_spin_lock_irqsave(&v->lock);
	}
	rx_refill(v);
	/* Nothing at all: a watchdog pass; wake the device if TX is stuck. */
	if (!n && !reaped && cn_virtq_free(v->tx) < v->tx->size)
		cn_virtq_notify(v->tx);
	cn_spin_unlock_irqrestore(&v->lock, flags);
	free_done(done);
	return (int)n;
}

static bool vnet_irq_enable(struct cn_netdev *nd, unsigned int q)
{
	struct vnet *v = nd->priv;
	unsigned long flags = cn_spin_lock_irqsave(&v->lock);
	bool quiet = cn_virtq_enable_cb(v->rx);

	(void)q;
	if (v->tx_waiting) {
		v->tx_waiting = false;
		quiet = cn_virtq_enable_cb(v->tx) && quiet;
		cn_virtq_notify(v->tx);
	}
	cn_spin_unlock_irqrestore(&v->lock, flags);
	return quiet;
}

static void vnet_irq_disable(struct cn_netdev *nd, unsigned int q)
{
	struct vnet *v = nd->priv;
	unsigned long flags = cn_spin_lock_irqsave(&v->lock);

	(void)q;
	cn_virtq_disable_cb(v->rx);
	cn_virtq_disable_cb(v->tx);
	cn_spin_unlock_irqrestore(&v->lock, flags);
}

static const struct cn_netdev_ops vnet_ops = {
	.xmit = vnet_xmit,
	.poll = vnet_poll,
	.irq_enable = vnet_irq_enable,
	.irq_disable = vnet_irq_disable,
};

/*
 * Interrupt context, without the big lock where the transport allows
 * (per-queue MSI-X, virtio-mmio): note the work, stay quiet until the
 * next enable.
 */
static void vq_callback(struct cn_virtq *vq)
{
	struct vnet *v = vq->owner;
	unsigned long flags = cn_spin_lock_irqsave(&v->lock);

	cn_virtq_disable_cb(vq);
	cn_spin_unlock_irqrestore(&v->lock, flags);
	cn_netdev_notify(&v->nd, 0);
}

static void read_link(struct vnet *v)
{
	uint16_t st = STATUS_LINK_UP;

	if (cn_virtio_has(v->vdev, F_STATUS))
		cn_virtio_read_config(v->vdev, CFG_STATUS, &st, 2);
	v->nd.link_up = st & STATUS_LINK_UP;
}

static void config_changed(struct cn_virtio_dev *d)
{
	struct vnet *v = d->priv;
	bool was = v->nd.link_up;

	read_link(v);
	if (was != v->nd.link_up)
		cn_pr_info("%s: link %s", v->nd.name,
			   v->nd.link_up ? "up" : "down");
}

/* " csum guest_csum mrg_rxbuf event_idx", or " none", into buf. */
static const char *features_str(const struct cn_virtio_dev *d, char *buf)
{
	static const struct { uint64_t bit; const char *name; } f[] = {
		{ F_CSUM, " csum" },
		{ F_GUEST_CSUM, " guest_csum" },
		{ F_HOST_TSO4, " tso4" },
		{ F_HOST_TSO6, " tso6" },
		{ F_MRG_RXBUF, " mrg_rxbuf" },
		{ F_GUEST_TSO4, " guest_tso4" },
		{ F_GUEST_TSO6, " guest_tso6" },
		{ CN_VIRTIO_F_RING_EVENT_IDX, " event_idx" },
	};
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (cn_virtio_has(d, f[i].bit))
			strcat(buf, f[i].name);
	return buf[0] ? buf : " none";
}

static int vnet_probe(struct cn_virtio_dev *d)
{
	struct vnet *v = calloc(1, sizeof(*v));
	char mac[18], feat[64];
	int rc;

	if (!v)
		return -ENOMEM;
	v->vdev = d;
	d->priv = v;
	cn_spin_init(&v->lock);
	d->irq_unlocked = true;		/* vq_callback() takes v->lock */
	v->mrg = cn_virtio_has(d, F_MRG_RXBUF);
	v->guest_csum = cn_virtio_has(d, F_GUEST_CSUM);
	if (rx_buf_param < 64 || rx_buf_param > 65536) {
		cn_pr_warn("virtio_net.rx_buf=%d out of range; 2048 used",
			   rx_buf_param);
		rx_buf_param = 2048;
	}
	v->rx_buf = (unsigned int)rx_buf_param;
	if (!v->mrg && v->rx_buf < MIN_RX_BUF) {
		cn_pr_warn("no mergeable RX buffers: rx_buf raised to %u",
			   (unsigned int)MIN_RX_BUF);
		v->rx_buf = MIN_RX_BUF;
	}
	if (cn_virtio_has(d, F_MAC)) {
		cn_virtio_read_config(d, CFG_MAC, v->nd.mac, CN_ETH_ALEN);
	} else {	/* a locally administered address */
		static const uint8_t dflt[] = { 0x02, 0xca, 0x1e, 0, 0, 1 };

		memcpy(v->nd.mac, dflt, sizeof(dflt));
	}
	v->nd.mtu = 1500;
	if (cn_virtio_has(d, F_MTU)) {
		uint16_t mtu;

		cn_virtio_read_config(d, CFG_MTU, &mtu, 2);
		if (mtu >= 68 && mtu <= 1500)
			v->nd.mtu = mtu;
	}
	if (cn_virtio_has(d, F_CSUM))
		v->nd.features |= CN_NETDEV_F_TX_CSUM;
	if (cn_virtio_has(d, F_GUEST_CSUM))
		v->nd.features |= CN_NETDEV_F_RX_CSUM;
	if (cn_virtio_has(d, F_HOST_TSO4))
		v->nd.features |= CN_NETDEV_F_TSO4;
	if (cn_virtio_has(d, F_HOST_TSO6))
		v->nd.features |= CN_NETDEV_F_TSO6;
	v->rx = cn_virtio_queue_setup(d, RXQ, 256, vq_callback, v);
	v->tx = cn_virtio_queue_setup(d, TXQ, 256, vq_callback, v);
	if (!v->rx || !v->tx)
		return -EIO;
	cn_virtq_disable_cb(v->tx);	/* completions are reaped, not awaited */
	v->nd.tx_headroom = sizeof(struct vnet_hdr);
	v->nd.driver = "virtio-net";
	v->nd.bus = d->name;
	v->nd.ops = &vnet_ops;
	v->nd.priv = v;
	read_link(v);
	d->config_changed = config_changed;
	rc = cn_netdev_register(&v->nd);
	if (rc)
		return rc;
	v->rx_posted = cn_netdev_rx_bufs(v->rx->size, v->rx_buf);
	rx_refill(v);
	cn_pr_info("%s: virtio-net at %s (%s), MAC %s, MTU %u, link %s, "
		   "queues %u+%u, features%s%s", v->nd.name, d->name,
		   d->irq_mode, cn_netdev_mac_str(v->nd.mac, mac), v->nd.mtu,
		   v->nd.link_up ? "up" : "down", v->rx->size, v->tx->size,
		   features_str(d, feat), v->rx_posted < v->rx->size ?
		   ", RX buffers limited to a quarter of the heap" : "");
	return 0;
}

/* The features each parameter (or its Kconfig default) allows. */
static uint64_t vnet_select(uint64_t offered)
{
	if (!csum_param)
		offered &= ~F_CSUM;
	if (!guest_csum_param)
		offered &= ~F_GUEST_CSUM;
	if (!mrg_param)
		offered &= ~F_MRG_RXBUF;
	if (!tso_param || !(offered & F_CSUM))	/* 5.1.3.1 */
		offered &= ~(F_HOST_TSO4 | F_HOST_TSO6);
	/*
	 * Up to 64 KiB frames: only into merged buffers (without them every
	 * buffer would have to be 64 KiB), and only with their checksums
	 * left partial, which needs guest_csum (5.1.3.1).
	 */
	if (!guest_tso_param || !(offered & F_GUEST_CSUM) ||
	    !(offered & F_MRG_RXBUF))
		offered &= ~(F_GUEST_TSO4 | F_GUEST_TSO6);
	return offered;
}

CN_VIRTIO_DRIVER(virtio_net) = {
	.name = "virtio-net",
	.device_id = CN_VIRTIO_ID_NET,
	.features = F_MTU | F_MAC | F_MRG_RXBUF | F_STATUS | F_CSUM |
		    F_GUEST_CSUM | F_GUEST_TSO4 | F_GUEST_TSO6 | F_HOST_TSO4 |
		    F_HOST_TSO6,
	.select_features = vnet_select,
	.probe = vnet_probe,
};
