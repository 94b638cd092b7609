/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/netdev against a fake driver that keeps what it is given. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/alloc.h>
#include <cairn/netdev_driver.h>
#include <cairn/test.h>
#include <cairn/timer.h>

static struct cn_netbuf *sent[4];
static unsigned int nr_sent;
static bool work_waiting;

static int fake_xmit(struct cn_netdev *nd, unsigned int q,
		     struct cn_netbuf *nb)
{
	(void)nd, (void)q;
	if (nr_sent == CN_ARRAY_SIZE(sent))
		return -EAGAIN;
	sent[nr_sent++] = nb;
	return 0;
}

static int fake_poll(struct cn_netdev *nd, unsigned int q, unsigned int budget)
{
	(void)q, (void)budget;
	while (nr_sent) {		/* TX completion */
		struct cn_netbuf *nb = sent[--nr_sent];

		nd->stats.tx_packets++;
		cn_netbuf_free(nb);
	}
	return 0;
}

static bool fake_irq_enable(struct cn_netdev *nd, unsigned int q)
{
	(void)nd, (void)q;
	return !work_waiting;
}

static void fake_irq_disable(struct cn_netdev *nd, unsigned int q)
{
	(void)nd, (void)q;
}

static const struct cn_netdev_ops fake_ops = {
	.xmit = fake_xmit,
	.poll = fake_poll,
	.irq_enable = fake_irq_enable,
	.irq_disable = fake_irq_disable,
};

static struct cn_netdev *fake(void)
{
	static struct cn_netdev nd;

	if (!nd.ops) {
		nd.ops = &fake_ops;
		nd.link_up = true;
		if (cn_netdev_register(&nd))
			return NULL;
	}
	return &nd;
}

CN_TEST(netdev, register_sets_defaults_and_names)
{
	struct cn_netdev *nd = fake();

	CN_ASSERT_TRUE(nd != NULL);
	CN_EXPECT_EQ(nd->mtu, 1500);
	CN_EXPECT_EQ(nd->nr_rx_queues, 1);
	CN_EXPECT_EQ(nd->nr_tx_queues, 1);
	CN_EXPECT_EQ(nd->gso_max_size, 0xffff + CN_ETH_HLEN);
	CN_EXPECT_EQ(strncmp(nd->name, "net", 3), 0);
	CN_EXPECT_TRUE(cn_netdev_find(nd->name) == nd);
	CN_EXPECT_TRUE(cn_netdev_get(cn_netdev_count()) == NULL);
}

CN_TEST(netdev, register_refuses_a_missing_operation)
{
	static const struct cn_netdev_ops no_poll = {
		.xmit = fake_xmit,
		.irq_enable = fake_irq_enable,
		.irq_disable = fake_irq_disable,
	};
	struct cn_netdev bad = { .ops = &no_poll };
	struct cn_netdev none = { .ops = NULL };
	unsigned int n = cn_netdev_count();

	CN_EXPECT_EQ(cn_netdev_register(&bad), -EINVAL);
	CN_EXPECT_EQ(cn_netdev_register(&none), -EINVAL);
	CN_EXPECT_EQ(cn_netdev_count(), n);
	CN_EXPECT_TRUE(bad.state == NULL);
}

CN_TEST(netdev, netbuf_has_headroom)
{
	struct cn_netbuf *nb = cn_netbuf_alloc(1514);

	CN_ASSERT_TRUE(nb != NULL);
	CN_EXPECT_EQ(cn_netbuf_headroom(nb), CN_NETBUF_HEADROOM);
	CN_EXPECT_EQ(nb->len, 0);
	CN_EXPECT_EQ(nb->size, CN_NETBUF_HEADROOM + 1514);
	memset(nb->data, 0xab, 1514);	/* all of it is ours */
	cn_netbuf_free(nb);
	CN_EXPECT_TRUE(cn_netbuf_alloc(70000) == NULL);
}

CN_TEST(netdev, tx_checks_leave_the_buffer_with_the_caller)
{
	struct cn_netdev *nd = fake();
	struct cn_netbuf *nb = cn_netbuf_alloc(2000);

	CN_ASSERT_TRUE(nb != NULL);
	nb->len = 13;
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -EMSGSIZE);
	nb->len = 1515;
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -EMSGSIZE);
	nb->len = 60;
	CN_EXPECT_EQ(cn_netdev_tx(nd, 1, nb), -EINVAL);
	nd->link_up = false;
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -ENETDOWN);
	nd->link_up = true;
	CN_EXPECT_EQ(nr_sent, 0);
	nb->len = 1514;
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), 0);	/* now the driver's */
	CN_EXPECT_EQ(nr_sent, 1);
	CN_EXPECT_EQ(cn_netdev_poll(nd, 0, 8), 0);
	CN_EXPECT_EQ(nr_sent, 0);
}

CN_TEST(netdev, gso_frames_need_the_feature_and_a_partial_checksum)
{
	struct cn_netdev *nd = fake();
	struct cn_netbuf *nb = cn_netbuf_alloc(40000);
	struct cn_netbuf *more = cn_netbuf_alloc(40000);

	CN_ASSERT_TRUE(nb != NULL && more != NULL);
	nb->frag = more;		/* one frame of two fragments */
	nb->len = 40000;
	more->len = 20000;
	nb->gso_type = CN_NETBUF_GSO_TCPV4;
	nb->gso_size = 1460;
	nb->gso_hdr_len = 54;
	nb->flags = CN_NETBUF_F_CSUM_PARTIAL;
	nd->features = CN_NETDEV_F_TX_CSUM;		/* no TSO */
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -EINVAL);
	nd->features |= CN_NETDEV_F_TSO6;		/* the other family */
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -EINVAL);
	nd->features |= CN_NETDEV_F_TSO4;
	nb->flags = 0;					/* not partial */
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -EINVAL);
	nb->flags = CN_NETBUF_F_CSUM_PARTIAL;
	nb->gso_size = 0;
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -EINVAL);
	nb->gso_size = 1460;
	nb->gso_type = 7;				/* unknown */
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -EINVAL);
	nb->gso_type = CN_NETBUF_GSO_TCPV4;
	more->len = 65535 + CN_ETH_HLEN + 1 - 40000;
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -EMSGSIZE);
	CN_EXPECT_EQ(nr_sent, 0);
	more->len = 65535 + CN_ETH_HLEN - 40000;
	nd->gso_max_size = 65535;		/* a device's own limit */
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -EMSGSIZE);
	more->len = 65535 - 40000;
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), 0);	/* now the driver's */
	CN_EXPECT_EQ(nr_sent, 1);
	CN_EXPECT_EQ(cn_netdev_poll(nd, 0, 8), 0);
	nd->features = 0;
	nd->gso_max_size = 0xffff + CN_ETH_HLEN;
}

/* The ones' complement sum of n bytes, big-endian words (RFC 1071). */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i < n; i++)
		sum += i & 1 ? p[i] : (uint32_t)p[i] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

CN_TEST(netdev, csum_finish_completes_a_partial_frame_over_fragments)
{
	/* UDP/IPv4 10.0.0.1:1000 -> 10.0.0.2:2000, 11 bytes of payload */
	static const uint8_t hdr[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
		0x45, 0, 0, 39, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1,
		10, 0, 0, 2,
		0x03, 0xe8, 0x07, 0xd0, 0, 19, 0, 0 };
	static const char payload[] = "hello world";
	struct cn_netbuf *a = cn_netbuf_alloc(sizeof(hdr) + 3);
	struct cn_netbuf *b = cn_netbuf_alloc(8);
	uint8_t whole[sizeof(hdr) + 11];
	uint16_t pseudo;

	CN_ASSERT_TRUE(a != NULL && b != NULL);
	memcpy(whole, hdr, sizeof(hdr));
	memcpy(whole + sizeof(hdr), payload, 11);
	/* pseudo-header: addresses, protocol, UDP length; folded */
	pseudo = fold(sum16(whole + 26, 8, 17 + 19));
	whole[40] = (uint8_t)(pseudo >> 8);
	whole[41] = (uint8_t)pseudo;
	/* split at an odd offset inside the payload */
	memcpy(a->data, whole, sizeof(hdr) + 3);
	a->len = sizeof(hdr) + 3;
	memcpy(b->data, whole + a->len, 8);
	b->len = 8;
	a->frag = b;
	a->flags = CN_NETBUF_F_CSUM_PARTIAL;
	a->csum_start = 34;
	a->csum_offset = 6;
	cn_netbuf_csum_finish(a);
	CN_EXPECT_EQ(a->flags & CN_NETBUF_F_CSUM_PARTIAL, 0);
	/* a receiver's check: pseudo-header plus the datagram sums to ~0 */
	memcpy(whole + 34, a->data + 34, 8);
	CN_EXPECT_EQ(fold(sum16(whole + 34, 19, sum16(whole + 26, 8,
							 17 + 19))), 0xffff);
	CN_EXPECT_TRUE(a->data[40] != (uint8_t)(pseudo >> 8) ||
		       a->data[41] != (uint8_t)pseudo);
	/* without the flag: left alone */
	a->data[40] = a->data[41] = 0x5a;
	cn_netbuf_csum_finish(a);
	CN_EXPECT_EQ(a->data[40], 0x5a);
	cn_netbuf_free(a);
}

CN_TEST(netdev, full_queue_is_eagain)
{
	struct cn_netdev *nd = fake();
	struct cn_netbuf *nb[5];
	unsigned int i;

	for (i = 0; i < 5; i++) {
		nb[i] = cn_netbuf_alloc(60);
		CN_ASSERT_TRUE(nb[i] != NULL);
		nb[i]->len = 60;
	}
	for (i = 0; i < 4; i++)
		CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb[i]), 0);
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb[4]), -EAGAIN);
	cn_netdev_poll(nd, 0, 1);
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb[4]), 0);
	cn_netdev_poll(nd, 0, 1);
}

static unsigned int rx_frames;

static void rx_count(struct cn_netdev *nd, unsigned int q,
		     struct cn_netbuf *nb, void *arg)
{
	(void)nd, (void)q;
	rx_frames += (unsigned int)(uintptr_t)arg;
	cn_netbuf_free(nb);
}

CN_TEST(netdev, rx_counts_and_delivers_or_drops)
{
	struct cn_netdev *nd = fake();
	struct cn_netbuf *nb = cn_netbuf_alloc(60);
	uint64_t drops = nd->stats.rx_drops, pk = nd->stats.rx_packets;

	CN_ASSERT_TRUE(nb != NULL);
	nb->len = 60;
	cn_netdev_rx(nd, 0, nb);		/* nobody listens: dropped */
	CN_EXPECT_EQ(nd->stats.rx_drops, drops + 1);
	cn_netdev_set_rx(nd, rx_count, (void *)(uintptr_t)1);
	nb = cn_netbuf_alloc(60);
	CN_ASSERT_TRUE(nb != NULL);
	nb->len = 60;
	cn_netdev_rx(nd, 0, nb);
	CN_EXPECT_EQ(rx_frames, 1);
	CN_EXPECT_EQ(nd->stats.rx_packets, pk + 2);
	cn_netdev_set_rx(nd, NULL, NULL);
}

CN_TEST(netdev, linearize_joins_a_chain_and_counts_it_whole)
{
	struct cn_netdev *nd = fake();
	struct cn_netbuf *a = cn_netbuf_alloc(100), *b = cn_netbuf_alloc(100);
	uint64_t bytes = nd->stats.rx_bytes;
	unsigned int i;

	CN_ASSERT_TRUE(a != NULL && b != NULL);
	for (i = 0; i < 100; i++) {
		a->data[i] = (uint8_t)i;
		b->data[i] = (uint8_t)(100 + i);
	}
	a->len = 100;
	b->len = 30;
	a->frag = b;
	a->flags = CN_NETBUF_F_CSUM_VALID;
	cn_netdev_set_rx(nd, rx_count, (void *)(uintptr_t)0);
	cn_netdev_rx(nd, 0, a);			/* freed by rx_count */
	CN_EXPECT_EQ(nd->stats.rx_bytes, bytes + 130);
	cn_netdev_set_rx(nd, NULL, NULL);
	a = cn_netbuf_alloc(100);
	b = cn_netbuf_alloc(100);
	CN_ASSERT_TRUE(a != NULL && b != NULL);
	memset(a->data, 1, 100);
	memset(b->data, 2, 100);
	a->len = 100;
	b->len = 30;
	a->frag = b;
	a->flags = CN_NETBUF_F_CSUM_VALID;
	a = cn_netbuf_linearize(a);
	CN_ASSERT_TRUE(a != NULL);
	CN_EXPECT_EQ(a->len, 130);
	CN_EXPECT_TRUE(a->frag == NULL);
	CN_EXPECT_EQ(a->flags, CN_NETBUF_F_CSUM_VALID);
	CN_EXPECT_EQ(a->data[99], 1);
	CN_EXPECT_EQ(a->data[100], 2);
	CN_EXPECT_EQ(a->data[129], 2);
	CN_EXPECT_TRUE(cn_netbuf_linearize(a) == a);	/* one piece: itself */
	cn_netbuf_free(a);
}

CN_TEST(netdev, wait_returns_on_work_or_times_out)
{
	struct cn_netdev *nd = fake();
	uint64_t t0 = cn_time_ns();

	work_waiting = true;
	CN_EXPECT_EQ(cn_netdev_wait(nd, 0, t0 + 1000000000ull), 0);
	work_waiting = false;
	cn_netdev_notify(nd, 0);		/* as an interrupt would */
	CN_EXPECT_EQ(cn_netdev_wait(nd, 0, t0 + 1000000000ull), 0);
	CN_EXPECT_LT(cn_time_ns() - t0, 500000000ull);
	t0 = cn_time_ns();
	CN_EXPECT_EQ(cn_netdev_wait(nd, 0, t0 + 2000000), -ETIMEDOUT);
	CN_EXPECT_GE(cn_time_ns() - t0, 2000000ull);
}

CN_TEST(netdev, mac_string)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0xff };
	char buf[18];

	CN_EXPECT_STREQ(cn_netdev_mac_str(mac, buf), "52:54:00:12:34:ff");
}

static unsigned int released;

static void count_release(struct cn_netbuf *nb)
{
	(void)nb;
	released++;
}

CN_TEST(netdev, fragment_chains_are_checked_and_freed_whole)
{
	struct cn_netdev *nd = fake();
	static uint8_t mem[20][64];
	struct cn_netbuf *head = cn_netbuf_alloc(20), *nb = head;
	unsigned int i;

	CN_ASSERT_TRUE(head != NULL);
	head->len = 20;
	for (i = 0; i < CN_NETDEV_MAX_FRAGS; i++) {
		nb->frag = cn_netbuf_alloc_ext(mem[i], 64, 0, count_release,
					       NULL);
		CN_ASSERT_TRUE(nb->frag != NULL);
		nb = nb->frag;
	}
	CN_EXPECT_EQ(cn_netbuf_frame_len(head), 20 + 64 * CN_NETDEV_MAX_FRAGS);
	/* One fragment too many, then too long for the MTU. */
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, head), -EINVAL);
	nb = head->frag;
	head->frag = nb->frag;
	nb->frag = NULL;
	cn_netbuf_free(nb);
	CN_EXPECT_EQ(released, 1);
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, head), 0);	/* 980 bytes */
	cn_netdev_poll(nd, 0, 1);			/* frees the chain */
	CN_EXPECT_EQ(released, CN_NETDEV_MAX_FRAGS);
	/* A first fragment without the driver's headroom is refused. */
	nd->tx_headroom = 12;
	nb = cn_netbuf_alloc_ext(mem[0], 60, 4, count_release, NULL);
	CN_ASSERT_TRUE(nb != NULL);
	CN_EXPECT_EQ(cn_netdev_tx(nd, 0, nb), -EINVAL);
	CN_EXPECT_EQ(cn_netbuf_headroom(nb), 4);
	cn_netbuf_free(nb);
	nd->tx_headroom = 0;
	CN_EXPECT_EQ(released, CN_NETDEV_MAX_FRAGS + 1);
}

static unsigned int flushes;

static void fake_tx_flush(struct cn_netdev *nd, unsigned int q)
{
	(void)nd, (void)q;
	flushes++;
}

CN_TEST(netdev, tx_flush_reaches_the_driver_that_has_it)
{
	static const struct cn_netdev_ops with_flush = {
		.xmit = fake_xmit,
		.poll = fake_poll,
		.irq_enable = fake_irq_enable,
		.irq_disable = fake_irq_disable,
		.tx_flush = fake_tx_flush,
	};
	static struct cn_netdev nd = { .ops = &with_flush, .link_up = true };

	/* Optional: a driver without it registers, and a flush is nothing. */
	CN_ASSERT_NOT_NULL(fake());
	CN_EXPECT_EQ(cn_netdev_tx_flush(fake(), 0), 0);
	CN_EXPECT_EQ(cn_netdev_tx_flush(fake(), 1), -EINVAL);
	if (!nd.state)
		CN_ASSERT_EQ(cn_netdev_register(&nd), 0);
	flushes = 0;
	CN_EXPECT_EQ(cn_netdev_tx_flush(&nd, 0), 0);
	CN_EXPECT_EQ(flushes, 1u);
	CN_EXPECT_EQ(cn_netdev_tx_flush(&nd, 1), -EINVAL);
	CN_EXPECT_EQ(flushes, 1u);
}

CN_TEST(netdev, rx_bufs_take_a_quarter_of_the_heap_at_most)
{
	struct cn_alloc_stats st;
	size_t each;
	unsigned int n;

	CN_ASSERT_EQ(cn_alloc_stats(cn_alloc_default(), &st), 0);
	/* small buffers: the whole ring (any heap holds 256 of 64 bytes) */
	CN_EXPECT_EQ(cn_netdev_rx_bufs(256, 64), 256);
	/* buffers so big that 100 make a quarter of the heap */
	each = st.total / 4 / 100;
	n = cn_netdev_rx_bufs(256, each);
	CN_EXPECT_LE(n, 100);
	CN_EXPECT_GE(n, 90);
	/* never under 16, however big */
	CN_EXPECT_EQ(cn_netdev_rx_bufs(256, st.total), 16);
	CN_EXPECT_EQ(cn_netdev_rx_bufs(8, st.total), 8);
}
