/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netping: ARP and ICMP by hand over netdev, against QEMU's user network
 * (we are 10.0.2.15, the gateway 10.0.2.2 answers ARP and echo requests).
 *
 *   netping [COUNT [WINDOW]]   COUNT echo requests (default 1000), at most
 *                              WINDOW outstanding (default 8)
 *
 * Every reply is checked: addresses, IP and ICMP checksums, identifier,
 * sequence number and the payload pattern. Exit status 0 when every
 * request got its intact reply, 1 otherwise, 2 without a network device.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/compiler.h>
#include <cairn/netdev.h>
#include <cairn/timer.h>

#define ETH_ARP		0x0806
#define ETH_IP		0x0800
#define PAYLOAD		56
#define ECHO_ID		0xca1e
#define MAX_WINDOW	64

static const uint8_t my_ip[4] = { 10, 0, 2, 15 };
static const uint8_t gw_ip[4] = { 10, 0, 2, 2 };
static uint8_t gw_mac[6];
static int have_gw;
static struct cn_netdev *nd;

static unsigned int replies, bad, lent, lent_back;
static uint64_t sent_at[65536 / 16];	/* by seq % size */
static uint64_t rtt_min = ~0ull, rtt_max, rtt_sum;
static uint8_t answered[65536 / 8];

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += get16(p + i);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static struct cn_netbuf *frame(const uint8_t *dst, uint16_t type, size_t len)
{
	struct cn_netbuf *nb = cn_netbuf_alloc(CN_ETH_HLEN + len);

	if (!nb) {
		printf("netping: out of memory\n");
		exit(1);
	}
	memcpy(nb->data, dst, 6);
	memcpy(nb->data + 6, nd->mac, 6);
	put16(nb->data + 12, type);
	nb->len = (uint32_t)(CN_ETH_HLEN + len);
	return nb;
}

static void send(struct cn_netbuf *nb)
{
	int rc;

	while ((rc = cn_netdev_tx(nd, 0, nb)) == -EAGAIN)
		cn_netdev_poll(nd, 0, 16);
	if (rc) {
		printf("netping: transmit failed: %d\n", rc);
		exit(1);
	}
}

static void arp(uint16_t op, const uint8_t *tha, const uint8_t *tpa)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct cn_netbuf *nb = frame(op == 1 ? bcast : tha, ETH_ARP, 28);
	uint8_t *a = nb->data + CN_ETH_HLEN;

	put16(a, 1);			/* Ethernet */
	put16(a + 2, ETH_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, nd->mac, 6);
	memcpy(a + 14, my_ip, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	send(nb);
}

static void pattern(uint8_t *p, uint16_t seq)
{
	unsigned int i;

	for (i = 0; i < PAYLOAD; i++)
		p[i] = (uint8_t)(seq * 7 + i);
}

static void release_payload(struct cn_netbuf *nb)
{
	free(nb->priv);
	lent_back++;
}

/*
 * Every other request leaves as two fragments (scatter-gather): the
 * headers in nb, the payload in memory of its own lent to the driver.
 */
static struct cn_netbuf *split(struct cn_netbuf *nb, uint32_t at)
{
	uint32_t rest = nb->len - at;
	uint8_t *mem = malloc(rest);
	struct cn_netbuf *frag;

	if (!mem)
		return nb;
	memcpy(mem, nb->data + at, rest);
	frag = cn_netbuf_alloc_ext(mem, rest, 0, release_payload, mem);
	if (!frag) {
		free(mem);
		return nb;
	}
	nb->len = at;
	nb->frag = frag;
	lent++;
	return nb;
}

static void echo(uint16_t seq)
{
	struct cn_netbuf *nb = frame(gw_mac, ETH_IP, 20 + 8 + PAYLOAD);
	uint8_t *ip = nb->data + CN_ETH_HLEN, *icmp = ip + 20;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 8 + PAYLOAD);
	put16(ip + 4, seq);
	ip[8] = 64;
	ip[9] = 1;			/* ICMP */
	memcpy(ip + 12, my_ip, 4);
	memcpy(ip + 16, gw_ip, 4);
	put16(ip + 10, csum(ip, 20));
	icmp[0] = 8;			/* echo request */
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, ECHO_ID);
	put16(icmp + 6, seq);
	pattern(icmp + 8, seq);
	put16(icmp + 2, csum(icmp, 8 + PAYLOAD));
	sent_at[seq % CN_ARRAY_SIZE(sent_at)] = cn_time_ns();
	if (seq & 1)
		nb = split(nb, CN_ETH_HLEN + 20 + 8);
	send(nb);
}

static void bad_reply(const char *why, uint16_t seq)
{
	if (bad++ < 10)
		printf("netping: bad reply (seq %u): %s\n", seq, why);
}

static void got_ip(const uint8_t *ip, size_t len)
{
	const uint8_t *icmp;
	uint8_t expect[PAYLOAD];
	uint16_t seq;
	size_t ihl;
	uint64_t rtt;

	if (len < 20 || (ip[0] >> 4) != 4 || ip[9] != 1)
		return;
	ihl = (size_t)(ip[0] & 15) * 4;
	if (ihl < 20 || get16(ip + 2) > len || get16(ip + 2) < ihl + 8)
		return;
	icmp = ip + ihl;
	len = get16(ip + 2) - ihl;
	if (icmp[0] != 0 || get16(icmp + 4) != ECHO_ID)
		return;
	seq = get16(icmp + 6);
	if (csum(ip, ihl) != 0)
		return bad_reply("IP checksum", seq);
	if (memcmp(ip + 12, gw_ip, 4) || memcmp(ip + 16, my_ip, 4))
		return bad_reply("addresses", seq);
	if (csum(icmp, len) != 0)
		return bad_reply("ICMP checksum", seq);
	pattern(expect, seq);
	if (len != 8 + PAYLOAD || memcmp(icmp + 8, expect, PAYLOAD))
		return bad_reply("payload", seq);
	if (answered[seq / 8] & (1u << (seq % 8)))
		return bad_reply("duplicate", seq);
	answered[seq / 8] |= (uint8_t)(1u << (seq % 8));
	rtt = cn_time_ns() - sent_at[seq % CN_ARRAY_SIZE(sent_at)];
	rtt_sum += rtt;
	rtt_min = rtt < rtt_min ? rtt : rtt_min;
	rtt_max = rtt > rtt_max ? rtt : rtt_max;
	replies++;
}

static void got_arp(const uint8_t *a, size_t len)
{
	if (len < 28 || get16(a) != 1 || get16(a + 2) != ETH_IP)
		return;
	if (get16(a + 6) == 2 && memcmp(a + 14, gw_ip, 4) == 0) {
		memcpy(gw_mac, a + 8, 6);
		have_gw = 1;
	} else if (get16(a + 6) == 1 && memcmp(a + 24, my_ip, 4) == 0) {
		arp(2, a + 8, a + 14);		/* who has us: answer */
	}
}

static void rx(struct cn_netdev *dev, unsigned int q, struct cn_netbuf *nb,
	       void *arg)
{
	(void)dev, (void)q, (void)arg;
	nb = cn_netbuf_linearize(nb);	/* merged RX buffers: one frame */
	if (!nb)
		return;
	if (nb->len >= CN_ETH_HLEN) {
		uint16_t type = get16(nb->data + 12);

		if (type == ETH_ARP)
			got_arp(nb->data + CN_ETH_HLEN, nb->len - CN_ETH_HLEN);
		else if (type == ETH_IP)
			got_ip(nb->data + CN_ETH_HLEN, nb->len - CN_ETH_HLEN);
	}
	cn_netbuf_free(nb);
}

/* Polls until cond holds or timeout_ms passes; returns cond. */
#define WAIT(cond, timeout_ms) ({					\
	uint64_t dl_ = cn_time_ns() + (uint64_t)(timeout_ms) * 1000000;	\
	while (!(cond) && cn_time_ns() < dl_) {				\
		if (cn_netdev_poll(nd, 0, 64) == 0)			\
			cn_netdev_wait(nd, 0, dl_);			\
	}								\
	(cond); })

int main(int argc, char **argv)
{
	unsigned int count = argc > 1 ? (unsigned int)atoi(argv[1]) : 1000;
	unsigned int window = argc > 2 ? (unsigned int)atoi(argv[2]) : 8;
	unsigned int seq = 0, try;
	char mac[18];
	uint64_t t0;

	if (count < 1 || count > 65535 || window < 1 || window > MAX_WINDOW) {
		printf("netping: usage: netping [COUNT 1-65535 [WINDOW 1-%d]]\n",
		       MAX_WINDOW);
		return 1;
	}
	nd = cn_netdev_get(0);
	if (!nd) {
		printf("netping: no network device\n");
		return 2;
	}
	cn_netdev_set_rx(nd, rx, NULL);
	for (try = 0; try < 3 && !have_gw; try++) {
		arp(1, (const uint8_t[6]){ 0 }, gw_ip);
		WAIT(have_gw, 1000);
	}
	if (!have_gw) {
		printf("netping: no ARP reply from 10.0.2.2\n");
		return 1;
	}
	printf("netping: arp: 10.0.2.2 is at %s\n", cn_netdev_mac_str(gw_mac, mac));
	t0 = cn_time_ns();
	while (seq < count) {
		while (seq < count && seq - replies - bad < window)
			echo((uint16_t)seq++);
		if (!WAIT(seq - replies - bad < window, 2000))
			break;
	}
	WAIT(replies + bad >= count, 2000);
	t0 = cn_time_ns() - t0;
	printf("netping: icmp: %u sent, %u replies ok, %u bad; rtt min/avg/max "
	       "%llu/%llu/%llu us; %llu ms\n", count, replies, bad,
	       (unsigned long long)(replies ? rtt_min / 1000 : 0),
	       (unsigned long long)(replies ? rtt_sum / replies / 1000 : 0),
	       (unsigned long long)(rtt_max / 1000),
	       (unsigned long long)(t0 / 1000000));
	printf("netping: %u requests sent in two fragments, %u returned\n",
	       lent, lent_back);
	printf("netping: %s: rx %llu packets %llu bytes, %llu drops, %llu "
	       "errors; tx %llu packets %llu bytes\n", nd->name,
	       (unsigned long long)nd->stats.rx_packets,
	       (unsigned long long)nd->stats.rx_bytes,
	       (unsigned long long)nd->stats.rx_drops,
	       (unsigned long long)nd->stats.rx_errors,
	       (unsigned long long)nd->stats.tx_packets,
	       (unsigned long long)nd->stats.tx_bytes);
	return replies == count && bad == 0 ? 0 : 1;
}
