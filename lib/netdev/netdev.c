/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The netdev registry, frame buffers, and the checks and counters every
 * driver would otherwise repeat.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/alloc.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/netdev_driver.h>
#include <cairn/sched.h>
#include "netdev_priv.h"

#define MAX_NETDEVS	16

static struct cn_netdev *devs[MAX_NETDEVS];
static unsigned int nr_devs;

struct cn_netbuf *cn_netbuf_alloc(size_t len)
{
	size_t size = CN_NETBUF_HEADROOM + len;
	struct cn_netbuf *nb;

	if (len > 65535)
		return NULL;
	nb = malloc(sizeof(*nb) + size);
	if (!nb)
		return NULL;
	memset(nb, 0, sizeof(*nb));
	nb->size = (uint32_t)size;
	nb->base = nb->head;
	nb->data = nb->head + CN_NETBUF_HEADROOM;
	return nb;
}

struct cn_netbuf *cn_netbuf_alloc_ext(void *data, size_t len,
				      size_t headroom,
				      void (*release)(struct cn_netbuf *nb),
				      void *priv)
{
	struct cn_netbuf *nb;

	if (len + headroom > 0xffffffffu)
		return NULL;
	nb = malloc(sizeof(*nb));
	if (!nb)
		return NULL;
	memset(nb, 0, sizeof(*nb));
	nb->data = data;
	nb->base = (uint8_t *)data - headroom;
	nb->len = (uint32_t)len;
	nb->size = (uint32_t)(len + headroom);
	nb->release = release;
	nb->priv = priv;
	return nb;
}

void cn_netbuf_free(struct cn_netbuf *nb)
{
	while (nb) {
		struct cn_netbuf *frag = nb->frag;

		if (nb->release)
			nb->release(nb);
		free(nb);
		nb = frag;
	}
}

struct cn_netbuf *cn_netbuf_linearize(struct cn_netbuf *nb)
{
	size_t len = cn_netbuf_frame_len(nb);
	struct cn_netbuf *one, *f;

	if (!nb->frag)
		return nb;
	one = cn_netbuf_alloc(len);
	if (one) {
		for (f = nb; f; f = f->frag) {
			memcpy(one->data + one->len, f->data, f->len);
			one->len += f->len;
		}
		one->flags = nb->flags;
		one->csum_start = nb->csum_start;
		one->csum_offset = nb->csum_offset;
	}
	cn_netbuf_free(nb);
	return one;
}

unsigned int cn_netdev_rx_bufs(unsigned int ring, size_t buf_bytes)
{
	/* a buffer's cost: its bytes, the headroom, the header, malloc's */
	size_t each = buf_bytes + CN_NETBUF_HEADROOM +
		      sizeof(struct cn_netbuf) + 16, n;
	struct cn_alloc_stats st;

	if (cn_alloc_stats(cn_alloc_default(), &st) || !st.total)
		return ring;
	n = st.total / 4 / each;
	if (n < 16)
		n = 16;
	return n < ring ? (unsigned int)n : ring;
}

void cn_netbuf_csum_finish(struct cn_netbuf *nb)
{
	uint8_t *field = nb->data + nb->csum_start + nb->csum_offset;
	uint32_t sum = 0;
	size_t skip = nb->csum_start, i;
	bool odd = false;
	struct cn_netbuf *f;

	if (!(nb->flags & CN_NETBUF_F_CSUM_PARTIAL))
		return;
	for (f = nb; f; f = f->frag) {
		for (i = skip; i < f->len; i++, odd = !odd)
			sum += odd ? f->data[i] : (uint32_t)f->data[i] << 8;
		skip = 0;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	if (!sum && nb->csum_offset == 6)
		sum = 0xffff;		/* UDP: 0 means no checksum */
	field[0] = (uint8_t)(sum >> 8);
	field[1] = (uint8_t)sum;
	nb->flags &= (uint16_t)~CN_NETBUF_F_CSUM_PARTIAL;
}

int cn_netdev_register(struct cn_netdev *nd)
{
	const struct cn_netdev_ops *ops = nd->ops;

	if (!ops || !ops->xmit || !ops->poll || !ops->irq_enable ||
	    !ops->irq_disable)
		return -EINVAL;
	if (nr_devs == MAX_NETDEVS)
		return -ENOSPC;
	nd->state = calloc(1, sizeof(*nd->state));
	if (!nd->state)
		return -ENOMEM;
	if (!nd->mtu)
		nd->mtu = 1500;
	if (!nd->nr_rx_queues)
		nd->nr_rx_queues = 1;
	if (!nd->nr_tx_queues)
		nd->nr_tx_queues = 1;
	if (!nd->gso_max_size)
		nd->gso_max_size = 0xffff + CN_ETH_HLEN;
	snprintf(nd->name, sizeof(nd->name), "net%u", nr_devs);
	devs[nr_devs++] = nd;
	return 0;
}

unsigned int cn_netdev_count(void)
{
	return nr_devs;
}

struct cn_netdev *cn_netdev_get(unsigned int index)
{
	return index < nr_devs ? devs[index] : NULL;
}

struct cn_netdev *cn_netdev_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_devs; i++)
		if (strcmp(devs[i]->name, name) == 0)
			return devs[i];
	return NULL;
}

void cn_netdev_set_rx(struct cn_netdev *nd, cn_netdev_rx_fn fn, void *arg)
{
	nd->state->rx_arg = arg;
	nd->state->rx = fn;
}

void cn_netdev_set_notify(struct cn_netdev *nd, cn_netdev_notify_fn fn,
			  void *arg)
{
	nd->state->notify_arg = arg;
	nd->state->notify = fn;
}

/* A GSO frame the device can take? 0 or -EINVAL. */
static int gso_check(const struct cn_netdev *nd, const struct cn_netbuf *nb)
{
	unsigned int need = nb->gso_type == CN_NETBUF_GSO_TCPV4 ?
			    CN_NETDEV_F_TSO4 : CN_NETDEV_F_TSO6;

	if (nb->gso_type > CN_NETBUF_GSO_TCPV6 || !(nd->features & need) ||
	    !(nb->flags & CN_NETBUF_F_CSUM_PARTIAL) || !nb->gso_size ||
	    nb->gso_hdr_len < CN_ETH_HLEN + 40 || nb->gso_hdr_len > nb->len)
		return -EINVAL;
	return 0;
}

int cn_netdev_tx(struct cn_netdev *nd, unsigned int q, struct cn_netbuf *nb)
{
	size_t len = 0, max = (size_t)nd->mtu + CN_ETH_HLEN;
	unsigned int frags = 0, max_frags = CN_NETDEV_MAX_FRAGS;
	const struct cn_netbuf *f;

	if (q >= nd->nr_tx_queues)
		return -EINVAL;
	if (nb->gso_type) {
		if (gso_check(nd, nb))
			return -EINVAL;
		max = nd->gso_max_size;
		max_frags = CN_NETDEV_MAX_GSO_FRAGS;
	}
	for (f = nb; f; f = f->frag) {
		len += f->len;
		if (++frags > max_frags)
			return -EINVAL;
	}
	if (len < CN_ETH_HLEN || len > max)
		return -EMSGSIZE;
	if (cn_netbuf_headroom(nb) < nd->tx_headroom)
		return -EINVAL;
	if (!nd->link_up)
		return -ENETDOWN;
	return nd->ops->xmit(nd, q, nb);
}

void cn_netdev_rx(struct cn_netdev *nd, unsigned int q, struct cn_netbuf *nb)
{
	nd->stats.rx_packets++;
	nd->stats.rx_bytes += cn_netbuf_frame_len(nb);
	if (!nd->state->rx) {
		nd->stats.rx_drops++;
		cn_netbuf_free(nb);
		return;
	}
	nd->state->rx(nd, q, nb, nd->state->rx_arg);
}

int cn_netdev_poll(struct cn_netdev *nd, unsigned int q, unsigned int budget)
{
	if (q >= nd->nr_rx_queues)
		return -EINVAL;
	return nd->ops->poll(nd, q, budget);
}

int cn_netdev_tx_flush(struct cn_netdev *nd, unsigned int q)
{
	if (q >= nd->nr_tx_queues)
		return -EINVAL;
	if (nd->ops->tx_flush)
		nd->ops->tx_flush(nd, q);
	return 0;
}

bool cn_netdev_irq_enable(struct cn_netdev *nd, unsigned int q)
{
	return nd->ops->irq_enable(nd, q);
}

void cn_netdev_irq_disable(struct cn_netdev *nd, unsigned int q)
{
	nd->ops->irq_disable(nd, q);
}

/*
 * The queue's bit and an event count (<cairn/sync.h>), so neither side
 * takes the big lock: an interrupt handler whose driver has a lock of
 * its own runs without it (drivers/virtio-net), and a notification with
 * no thread waiting takes no lock at all.
 */
void cn_netdev_notify(struct cn_netdev *nd, unsigned int q)
{
	__atomic_or_fetch(&nd->state->events, 1u << (q & 31), __ATOMIC_SEQ_CST);
	cn_event_signal(&nd->state->changed);
	if (nd->state->notify)
		nd->state->notify(nd, q, nd->state->notify_arg);
}

static bool notified(struct cn_netdev *nd, unsigned int bit)
{
	return __atomic_load_n(&nd->state->events, __ATOMIC_ACQUIRE) & bit;
}

/*
 * The count is read before each look at the bit and at the device
 * (irq_enable() says whether work came while interrupts were off), so
 * a notification after the look moves it and the wait does not sleep.
 */
int cn_netdev_wait(struct cn_netdev *nd, unsigned int q, uint64_t deadline)
{
	unsigned int bit = 1u << (q & 31);
	unsigned long seen = cn_event_read(&nd->state->changed);
	int rc = 0;

	if (!notified(nd, bit) && nd->ops->irq_enable(nd, q)) {
		while (!notified(nd, bit) && rc == 0) {
			rc = cn_event_wait(&nd->state->changed, seen, deadline);
			seen = cn_event_read(&nd->state->changed);
		}
	}
	__atomic_and_fetch(&nd->state->events, ~bit, __ATOMIC_ACQ_REL);
	return rc == -EINTR ? -EINTR : (rc ? -ETIMEDOUT : 0);
}

char *cn_netdev_mac_str(const uint8_t *mac, char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
