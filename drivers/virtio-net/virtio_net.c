/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net (virtio 1.x, section 5.1) as a netdev. Queue 0 receives,
 * queue 1 transmits. Every frame travels with the 12-byte virtio-net
 * header in front of it, in the same buffer: TX writes it into the
 * netbuf's headroom (one descriptor per frame), RX buffers are posted
 * with room for it. With mergeable RX buffers a frame may span several
 * buffers; they are joined into one netbuf. The RX ring is kept full:
 * every poll refills what it consumed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/netdev_driver.h>
#include <cairn/param.h>
#include <cairn/virtio.h>

#define F_CSUM		(1ull << 0)
#define F_GUEST_CSUM	(1ull << 1)
#define F_MTU		(1ull << 3)
#define F_MAC		(1ull << 5)
#define F_MRG_RXBUF	(1ull << 15)
#define F_STATUS	(1ull << 16)

#define HDR_F_NEEDS_CSUM 1
#define HDR_F_DATA_VALID 2
#define STATUS_LINK_UP	1
#define CFG_MAC		0
#define CFG_STATUS	6
#define CFG_MTU		10
#define RXQ		0
#define TXQ		1
#define MIN_RX_BUF	(sizeof(struct vnet_hdr) + CN_ETH_HLEN + 1500)

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
	bool mrg;
	bool tx_waiting;		/* TX ring was full */
};

static int rx_buf_param = 2048;
static bool csum_param = true;
CN_PARAM_INT(virtio_net, rx_buf, rx_buf_param,
	     "bytes per RX buffer (64-65536; below 1526 needs mergeable "
	     "buffers, which QEMU offers)");
CN_PARAM_BOOL(virtio_net, csum, csum_param,
	      "negotiate checksum offload (0: software checksums only)");

static void rx_refill(struct vnet *v)
{
	/* All buffers used: the device may be waiting for a notification. */
	bool was_empty = cn_virtq_free(v->rx) == v->rx->size, added = false;

	while (cn_virtq_free(v->rx)) {
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

static unsigned int tx_reap(struct vnet *v)
{
	struct cn_netbuf *nb;
	unsigned int n = 0;
	uint32_t len;

	while ((nb = cn_virtq_get(v->tx, &len))) {
		n++;
		v->nd.stats.tx_packets++;
		v->nd.stats.tx_bytes += cn_netbuf_frame_len(nb);
		cn_netbuf_free(nb);
	}
	return n;
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
	struct cn_virtq_buf b[CN_NETDEV_MAX_FRAGS];
	struct cn_netbuf *f;
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
	for (f = nb->frag; f && n < CN_NETDEV_MAX_FRAGS; f = f->frag) {
		if (!f->len)
			continue;
		b[n].addr = f->data;
		b[n++].len = f->len;
	}
	if (f)
		return -EINVAL;
	flags = cn_arch_irq_save();
	tx_reap(v);
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
	cn_arch_irq_restore(flags);
	return rc == -ENOSPC ? -EAGAIN : rc;
}

/* RX checksum left partial by the device (NEEDS_CSUM): finish it here. */
static void rx_finish_csum(struct cn_netbuf *nb, const struct vnet_hdr *h)
{
	uint32_t sum = 0, i, start = h->csum_start, at = start + h->csum_offset;
	uint16_t csum;

	if (at + 2 > nb->len)
		return;
	for (i = start; i + 1 < nb->len; i += 2)
		sum += (uint32_t)nb->data[i] << 8 | nb->data[i + 1];
	if (i < nb->len)
		sum += (uint32_t)nb->data[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	csum = (uint16_t)~sum;
	nb->data[at] = (uint8_t)(csum >> 8);
	nb->data[at + 1] = (uint8_t)csum;
	nb->flags |= CN_NETBUF_F_CSUM_VALID;
}

/* A frame spread over num buffers: the first is nb; the rest follow. */
static struct cn_netbuf *rx_merge(struct vnet *v, struct cn_netbuf *first,
				  unsigned int num)
{
	struct cn_netbuf *all = cn_netbuf_alloc((size_t)num * v->rx_buf), *nb;
	uint32_t len;
	unsigned int i;
	bool ok = all != NULL;

	if (all) {
		memcpy(all->data, first->data, first->len);
		all->len = first->len;
		all->flags = first->flags;
	}
	cn_netbuf_free(first);
	for (i = 1; i < num; i++) {
		nb = cn_virtq_get(v->rx, &len);
		if (!nb) {		/* device said num, gave fewer */
			v->nd.stats.rx_errors++;
			cn_netbuf_free(all);
			return NULL;
		}
		if (ok && len <= v->rx_buf) {
			memcpy(all->data + all->len, nb->data, len);
			all->len += len;
		}
		cn_netbuf_free(nb);
	}
	if (!ok)
		v->nd.stats.rx_drops++;
	return ok ? all : NULL;
}

static int vnet_poll(struct cn_netdev *nd, unsigned int q, unsigned int budget)
{
	struct vnet *v = nd->priv;
	struct cn_netbuf *nb;
	unsigned int n = 0, reaped;
	unsigned long flags;
	uint32_t len;

	(void)q;
	flags = cn_arch_irq_save();
	reaped = tx_reap(v);
	while (n < budget && (nb = cn_virtq_get(v->rx, &len))) {
		struct vnet_hdr h;

		if (len < sizeof(h) || len > v->rx_buf) {
			nd->stats.rx_errors++;
			cn_netbuf_free(nb);
			continue;
		}
		memcpy(&h, nb->data, sizeof(h));
		nb->data += sizeof(h);
		nb->len = len - (uint32_t)sizeof(h);
		if (h.flags & HDR_F_DATA_VALID)
			nb->flags |= CN_NETBUF_F_CSUM_VALID;
		if (v->mrg && h.num_buffers > 1) {
			nb = rx_merge(v, nb, h.num_buffers);
			if (!nb)
				continue;
		}
		if (h.flags & HDR_F_NEEDS_CSUM)
			rx_finish_csum(nb, &h);
		n++;
		cn_arch_irq_restore(flags);
		cn_netdev_rx(nd, 0, nb);
		flags = cn_arch_irq_save();
	}
	rx_refill(v);
	/* Nothing at all: a watchdog pass; wake the device if TX is stuck. */
	if (!n && !reaped && cn_virtq_free(v->tx) < v->tx->size)
		cn_virtq_notify(v->tx);
	cn_arch_irq_restore(flags);
	return (int)n;
}

static bool vnet_irq_enable(struct cn_netdev *nd, unsigned int q)
{
	struct vnet *v = nd->priv;
	unsigned long flags = cn_arch_irq_save();
	bool quiet = cn_virtq_enable_cb(v->rx);

	(void)q;
	if (v->tx_waiting) {
		v->tx_waiting = false;
		quiet = cn_virtq_enable_cb(v->tx) && quiet;
		cn_virtq_notify(v->tx);
	}
	cn_arch_irq_restore(flags);
	return quiet;
}

static void vnet_irq_disable(struct cn_netdev *nd, unsigned int q)
{
	struct vnet *v = nd->priv;
	unsigned long flags = cn_arch_irq_save();

	(void)q;
	cn_virtq_disable_cb(v->rx);
	cn_virtq_disable_cb(v->tx);
	cn_arch_irq_restore(flags);
}

static const struct cn_netdev_ops vnet_ops = {
	.xmit = vnet_xmit,
	.poll = vnet_poll,
	.irq_enable = vnet_irq_enable,
	.irq_disable = vnet_irq_disable,
};

/* Interrupt context: note the work, stay quiet until the next enable. */
static void vq_callback(struct cn_virtq *vq)
{
	struct vnet *v = vq->owner;

	cn_virtq_disable_cb(vq);
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

static int vnet_probe(struct cn_virtio_dev *d)
{
	struct vnet *v = calloc(1, sizeof(*v));
	char mac[18];
	int rc;

	if (!v)
		return -ENOMEM;
	v->vdev = d;
	d->priv = v;
	v->mrg = cn_virtio_has(d, F_MRG_RXBUF);
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
	rx_refill(v);
	cn_pr_info("%s: virtio-net at %s (%s), MAC %s, MTU %u, link %s, "
		   "queues %u+%u, offloads:%s%s%s%s", v->nd.name, d->name,
		   d->irq_mode, cn_netdev_mac_str(v->nd.mac, mac), v->nd.mtu,
		   v->nd.link_up ? "up" : "down", v->rx->size, v->tx->size,
		   v->nd.features & CN_NETDEV_F_TX_CSUM ? " tx-csum" : "",
		   v->nd.features & CN_NETDEV_F_RX_CSUM ? " rx-csum" : "",
		   v->mrg ? " mrg-rxbuf" : "",
		   cn_virtio_has(d, CN_VIRTIO_F_RING_EVENT_IDX) ?
		   " event-idx" : "");
	return 0;
}

/* The checksum offloads follow virtio_net.csum. */
static uint64_t vnet_select(uint64_t offered)
{
	return csum_param ? offered : offered & ~(F_CSUM | F_GUEST_CSUM);
}

CN_VIRTIO_DRIVER(virtio_net) = {
	.name = "virtio-net",
	.device_id = CN_VIRTIO_ID_NET,
	.features = F_MTU | F_MAC | F_MRG_RXBUF | F_STATUS | F_CSUM |
		    F_GUEST_CSUM,
	.select_features = vnet_select,
	.probe = vnet_probe,
};
