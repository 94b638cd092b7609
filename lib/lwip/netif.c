/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An lwIP network interface on a netdev. Receive: a thread per interface
 * polls the netdev and sleeps on its notification; each frame becomes a
 * chain of custom pbufs over the netbufs' own memory (one per fragment,
 * no copy), each pbuf's header in its netbuf's headroom, and enters lwIP
 * under the core lock. Transmit:
 * the pbuf chain is lent to the device as netbuf fragments (scatter-
 * gather, no copy; lwIP reserves the driver's header room in front of
 * its link headers) and referenced until sent; a chain that does not fit
 * (no headroom, too many pieces) is copied. A full ring is counted as a
 * drop; the receive thread then has TCP send again (retry_refused). On a
 * device with segmentation offload, consecutive TCP segments are joined
 * into one frame first (gso_*, below).
 *
 * Doorbells: what lwIP sends while it takes in a received frame (ACKs,
 * replies, segments an ACK let out) goes marked CN_NETBUF_F_TX_MORE, so
 * the driver tells the device once for the whole poll's worth
 * (cn_netdev_tx_flush() after each poll) rather than once per frame;
 * frames other threads send leave unmarked, at once.
 *
 * Checksums: on a device with transmit checksum offload lwIP leaves TCP
 * checksums to it (NETIF_CHECKSUM_GEN_TCP off); linkoutput puts the
 * pseudo-header sum in the field and marks the frame partial. UDP stays
 * in software: a datagram larger than the MTU leaves in IP fragments,
 * which a device cannot checksum. On receive, a frame the device vouches
 * for (CN_NETBUF_F_CSUM_VALID) enters lwIP with its TCP and UDP checks
 * off, every other frame with them on: the flags are the interface's,
 * so they are set per frame under the core lock that the input holds.
 */
#include <errno.h>
#include <string.h>
#include <cairn/log.h>
#include <cairn/netdev.h>
#include <cairn/sched.h>
#include <cairn/timer.h>
#include "lwip/etharp.h"
#include "lwip/netifapi.h"
#include "lwip/ethip6.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ip.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcp_priv.h"
#include "netif/ethernet.h"
#include "lwip_priv.h"

/* Lives at the start of the netbuf's storage (its headroom). */
struct rx_pbuf {
	struct pbuf_custom pc;
	struct cn_netbuf *nb;
};

static struct cn_lwip_if *rx_if;	/* taking in a frame: tx_more set */

_Static_assert(sizeof(struct rx_pbuf) <= CN_NETBUF_HEADROOM,
	       "the pbuf must fit in a netbuf's headroom");

#if !LWIP_TCPIP_CORE_LOCKING_INPUT
#error "rx_frame() sets the checksum flags under the core lock of the input"
#endif

static void rx_pbuf_free(struct pbuf *p)
{
	cn_netbuf_free(((struct rx_pbuf *)p)->nb);
}

/*
 * The frame as a pbuf chain, one custom pbuf per netbuf fragment (each
 * in its fragment's headroom, each freeing its own fragment). NULL when
 * it cannot be: everything freed.
 */
static struct pbuf *rx_pbufs(struct cn_netbuf *nb)
{
	struct pbuf *p = NULL, *q;

	if (cn_netbuf_frame_len(nb) > 0xffff) {
		cn_netbuf_free(nb);
		return NULL;
	}
	while (nb) {
		struct rx_pbuf *rp = (struct rx_pbuf *)nb->base;
		struct cn_netbuf *next = nb->frag;

		nb->frag = NULL;
		if (p && !nb->len) {		/* nothing to chain */
			cn_netbuf_free(nb);
			nb = next;
			continue;
		}
		if (cn_netbuf_headroom(nb) < sizeof(*rp))
			q = NULL;
		else {
			rp->nb = nb;
			rp->pc.custom_free_function = rx_pbuf_free;
			q = pbuf_alloced_custom(PBUF_RAW, (u16_t)nb->len,
						PBUF_REF, &rp->pc, nb->data,
						(u16_t)nb->len);
		}
		if (!q) {
			nb->frag = next;
			cn_netbuf_free(nb);
			if (p)
				pbuf_free(p);
			return NULL;
		}
		if (p)
			pbuf_cat(p, q);
		else
			p = q;
		nb = next;
	}
	return p;
}

/*
 * May lwIP skip the TCP and UDP checks of a frame the device vouches
 * for? Not for an IP fragment: a datagram is checked when reassembled,
 * with the flags of its last fragment.
 */
static bool rx_csum_trusted(const struct cn_netbuf *nb)
{
	const uint8_t *ip = nb->data + CN_ETH_HLEN;

	if (!(nb->flags & CN_NETBUF_F_CSUM_VALID) ||
	    nb->len < CN_ETH_HLEN + 40)
		return false;
	if (nb->data[12] == 0x08 && nb->data[13] == 0x00)	/* IPv4 */
		return !((ip[6] & 0x3f) | ip[7]);
	if (nb->data[12] == 0x86 && nb->data[13] == 0xdd)	/* IPv6 */
		return ip[6] == IP_PROTO_TCP || ip[6] == IP_PROTO_UDP;
	return false;
}

bool cn_lwip_rx_polling(void)
{
	return rx_if != NULL;
}

static void rx_frame(struct cn_netdev *nd, unsigned int q,
		     struct cn_netbuf *nb, void *arg)
{
	struct cn_lwip_if *li = arg;
	u16_t flags = li->csum_flags;
	struct pbuf *p;
	err_t err;

	(void)q;
	if (rx_csum_trusted(nb))
		flags &= (u16_t)~(NETIF_CHECKSUM_CHECK_TCP |
				  NETIF_CHECKSUM_CHECK_UDP);
	p = rx_pbufs(nb);
	if (!p) {
		nd->stats.rx_drops++;
		return;
	}
	/* What tcpip_input() does with core-locked input, plus the flags. */
	LOCK_TCPIP_CORE();
	li->tx_more = true;		/* cleared by cn_lwip_core_unlock() */
	rx_if = li;
	NETIF_SET_CHECKSUM_CTRL(&li->netif, flags);
	err = ethernet_input(p, &li->netif);
	UNLOCK_TCPIP_CORE();
	if (err != ERR_OK) {
		pbuf_free(p);
		nd->stats.rx_drops++;
	}
}

static void sync_link(struct cn_lwip_if *li)
{
	if (li->nd->link_up && !netif_is_link_up(&li->netif))
		netifapi_netif_set_link_up(&li->netif);
	else if (!li->nd->link_up && netif_is_link_up(&li->netif))
		netifapi_netif_set_link_down(&li->netif);
}

/*
 * Frames found by the poll that follows a wait which ran out its whole
 * second came without their notification: the driver or the device lost
 * a wake-up, and every connection stalled meanwhile. Say so: it is a bug
 * to fix, not load (tests/test_http_tail.py watches for this line).
 */
static void missed_wakeup(struct cn_lwip_if *li, int frames)
{
	li->rx_missed_wakeups++;
	cn_pr_warn("%s: %d frames waited for the 1 s watchdog: a receive "
		   "notification was lost (%llu times so far)", li->nd->name,
		   frames, (unsigned long long)li->rx_missed_wakeups);
}

/*
 * A frame refused for a full ring left its TCP segment unsent (lwIP sets
 * TF_NAGLEMEMERR and retries only at that connection's next output, which
 * may never come: the peer waits for the data). The poll has reaped
 * completions meanwhile, so retry every such connection now, as lwIP
 * expects a port to (tcp_txnow).
 */
static bool stalled_sent(struct cn_lwip_if *li);

static void retry_refused(struct cn_lwip_if *li)
{
	if (!li->tx_refused)
		return;
	li->tx_refused = false;
	LOCK_TCPIP_CORE();
	if (stalled_sent(li)) {
#if LWIP_TCP
		tcp_txnow();
#endif
	}
	UNLOCK_TCPIP_CORE();
}

static void *rx_thread(void *arg)
{
	struct cn_lwip_if *li = arg;
	bool timed_out = false;
	int n;

	for (;;) {
		n = cn_netdev_poll(li->nd, 0, 64);
		if (n > 0) {	/* what those frames made lwIP send */
#if LWIP_TCP
			LOCK_TCPIP_CORE();
			li->tx_more = true;
			rx_if = li;
			cn_lwip_ack_flush();	/* the ACKs the poll held */
			UNLOCK_TCPIP_CORE();
#endif
			cn_netdev_tx_flush(li->nd, 0);
		}
		if (n > 0 && timed_out)
			missed_wakeup(li, n);
		/* Refused frames that only the watchdog retried: the device's
		 * transmit completion did not wake us (counted, not logged:
		 * the retry itself is correct, only late). */
		if (timed_out && (li->tx_refused || li->stalled))
			li->tx_missed_wakeups++;
		timed_out = false;
		retry_refused(li);
		if (n == 0) {
			/* A second at most: the poll is also the driver's
			 * watchdog (see cn_virtq_notify). */
			timed_out = cn_netdev_wait(li->nd, 0, cn_time_ns() +
						   1000000000ull) == -ETIMEDOUT;
			sync_link(li);
		}
	}
	return NULL;
}

/* Bytes free in front of a pbuf's payload (0 when not lwIP's memory). */
static size_t pbuf_headroom(const struct pbuf *p)
{
	const u8_t *start = (const u8_t *)p +
			    LWIP_MEM_ALIGN_SIZE(sizeof(struct pbuf));

	if (!(p->type_internal & PBUF_TYPE_FLAG_STRUCT_DATA_CONTIGUOUS))
		return 0;
	return (size_t)((const u8_t *)p->payload - start);
}

static void tx_release(struct cn_netbuf *nb)
{
	pbuf_free(nb->priv);
}

/*
 * Zero copy: the pbuf chain itself, fragment by fragment, with a
 * reference held until the device has sent it. NULL when the chain does
 * not fit the device's rules (the caller copies).
 */
static struct cn_netbuf *lend(struct cn_lwip_if *li, struct pbuf *p)
{
	struct cn_netbuf *first = NULL, **tail = &first;
	unsigned int n = 0;
	struct pbuf *q;

	if (pbuf_headroom(p) < li->nd->tx_headroom)
		return NULL;
	for (q = p; q; q = q->next)
		if (++n > CN_NETDEV_MAX_FRAGS)
			return NULL;
	for (q = p; q; q = q->next) {
		struct cn_netbuf *nb = cn_netbuf_alloc_ext(
			q->payload, q->len, q == p ? pbuf_headroom(p) : 0,
			q == p ? tx_release : NULL, p);

		if (!nb) {
			if (first)
				first->release = NULL;
			cn_netbuf_free(first);
			return NULL;
		}
		*tail = nb;
		tail = &nb->frag;
	}
	pbuf_ref(p);
	return first;
}

static struct cn_netbuf *copy(struct pbuf *p)
{
	struct cn_netbuf *nb = cn_netbuf_alloc(p->tot_len);

	if (nb)
		nb->len = pbuf_copy_partial(p, nb->data, p->tot_len, 0);
	return nb;
}

/* Big-endian 16-bit words of b added to sum (ones' complement, unfolded). */
static uint32_t sum16(const uint8_t *b, size_t n, uint32_t sum)
{
	for (; n > 1; n -= 2, b += 2)
		sum += (uint32_t)b[0] << 8 | b[1];
	if (n)
		sum += (uint32_t)b[0] << 8;
	return sum;
}

static uint32_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/*
 * A TCP frame for a device that completes checksums: the pseudo-header
 * sum into the checksum field (lwIP left it 0) and the frame marked
 * partial (<cairn/netdev.h>). Returns 1 when marked, 0 when the frame is
 * not TCP (its checksums are lwIP's), -1 when the headers are not all in
 * the first fragment or the TCP segment is an IP fragment (lwIP sends
 * neither; the caller copies, or drops).
 */
static int tx_csum_partial(struct cn_netbuf *nb)
{
	uint8_t *ip = nb->data + CN_ETH_HLEN, *tcp;
	unsigned int l3, tcplen;
	uint32_t sum;

	if (nb->len < CN_ETH_HLEN + 40)
		return nb->frag ? -1 : 0;
	if (nb->data[12] == 0x08 && nb->data[13] == 0x00) {	/* IPv4 */
		if (ip[9] != IP_PROTO_TCP)
			return 0;
		l3 = (ip[0] & 0xfu) * 4;
		tcplen = (unsigned int)(ip[2] << 8 | ip[3]);
		if (l3 < 20 || tcplen < l3 + 20 || ((ip[6] & 0x3f) | ip[7]))
			return -1;
		tcplen -= l3;
		sum = sum16(ip + 12, 8, IP_PROTO_TCP + tcplen);
	} else if (nb->data[12] == 0x86 && nb->data[13] == 0xdd) {
		if (ip[6] != IP_PROTO_TCP)	/* lwIP: no extension headers */
			return 0;
		l3 = 40;
		tcplen = (unsigned int)(ip[4] << 8 | ip[5]);
		sum = sum16(ip + 8, 32, IP_PROTO_TCP + tcplen);
	} else {
		return 0;
	}
	if (CN_ETH_HLEN + l3 + 18 > nb->len)
		return -1;
	sum = fold(sum);
	tcp = ip + l3;
	tcp[16] = (uint8_t)(sum >> 8);
	tcp[17] = (uint8_t)sum;
	nb->flags |= CN_NETBUF_F_CSUM_PARTIAL;
	nb->csum_start = (uint16_t)(CN_ETH_HLEN + l3);
	nb->csum_offset = 16;
	return 1;
}

/*
 * p as a netbuf chain: lent (or copied), its TCP checksum left partial
 * where the device completes it. NULL with *err set when it cannot be.
 */
static struct cn_netbuf *frame_of(struct cn_lwip_if *li, struct pbuf *p,
				  err_t *err)
{
	bool offload = li->nd->features & CN_NETDEV_F_TX_CSUM;
	struct cn_netbuf *nb = lend(li, p);

	if (nb && offload && tx_csum_partial(nb) < 0) {
		cn_netbuf_free(nb);		/* gives the reference back */
		nb = NULL;
	}
	if (!nb) {
		nb = copy(p);
		li->tx_copies++;
		if (nb && offload && tx_csum_partial(nb) < 0) {
			cn_netbuf_free(nb);
			li->nd->stats.tx_errors++;
			*err = ERR_IF;
			return NULL;
		}
	}
	if (!nb) {
		li->nd->stats.tx_drops++;
		*err = ERR_MEM;
	}
	return nb;
}

/* One frame the ordinary way; a full ring is lwIP's to retry. */
static err_t send_frame(struct cn_lwip_if *li, struct pbuf *p)
{
	err_t err = ERR_OK;
	struct cn_netbuf *nb = frame_of(li, p, &err);
	int rc;

	if (!nb)
		return err;
	if (li->tx_more)
		nb->flags |= CN_NETBUF_F_TX_MORE;
	rc = cn_netdev_tx(li->nd, 0, nb);
	if (rc) {
		cn_netbuf_free(nb);
		li->nd->stats.tx_drops++;
		if (rc == -EAGAIN)
			li->tx_refused = true;	/* see retry_refused() */
		return rc == -EAGAIN ? ERR_MEM : ERR_IF;
	}
	return ERR_OK;
}

/*
 * Segmentation offload (TSO): lwIP cuts every TCP segment to the MSS
 * itself, so consecutive segments of one connection that one pass of
 * output produces (a socket write, the ACK that opens the window) are
 * held here and leave as one frame of up to 64 KiB that the device cuts
 * again: one exit into QEMU and one write to the tap instead of up to 44.
 * A segment joins the held ones when it continues them exactly: same
 * addresses, ports, ACK, window and options, the next sequence number,
 * only ACK (and PSH) flags, no longer than the first, and the ones before
 * it all as long as the first (the device cuts at that size). Anything
 * else first sends what is held. What is held leaves when the core lock
 * is released (UNLOCK_TCPIP_CORE, see lwipopts.h), so no segment waits
 * beyond the lwIP call that made it. The frame is a copy of the first
 * segment's headers (length and IP checksum patched) followed by the
 * payloads, lent (each segment's pbuf referenced until sent; lwIP does
 * not rewrite a segment whose pbuf is still referenced).
 */
#define GSO_MAX_SEGS	(CN_NETDEV_MAX_GSO_FRAGS - 1)
#define GSO_HDR_MAX	(CN_ETH_HLEN + 40 + 60)

static struct cn_lwip_if *gso_if;	/* the interface holding segments */

/* A TCP data segment whose headers all lie in its first pbuf? */
static bool gso_parse(const struct cn_lwip_if *li, const struct pbuf *p,
		      struct cn_lwip_gso_seg *s)
{
	const uint8_t *e = p->payload, *ip = e + CN_ETH_HLEN, *tcp;
	unsigned int iplen;

	if (p->len < CN_ETH_HLEN + 40)
		return false;
	if (e[12] == 0x08 && e[13] == 0x00) {
		if (!(li->nd->features & CN_NETDEV_F_TSO4) || ip[0] != 0x45 ||
		    ip[9] != IP_PROTO_TCP || ((ip[6] & 0x3f) | ip[7]))
			return false;
		s->v6 = false;
		s->l3 = 20;
		iplen = (unsigned int)(ip[2] << 8 | ip[3]);
	} else if (e[12] == 0x86 && e[13] == 0xdd) {
		if (!(li->nd->features & CN_NETDEV_F_TSO6) ||
		    ip[6] != IP_PROTO_TCP)
			return false;
		s->v6 = true;
		s->l3 = 40;
		iplen = 40 + (unsigned int)(ip[4] << 8 | ip[5]);
	} else {
		return false;
	}
	tcp = ip + s->l3;
	s->hlen = CN_ETH_HLEN + s->l3 + (tcp[12] >> 4) * 4u;
	/* Flags: ACK, maybe PSH; nothing else (no SYN, FIN, RST, URG...). */
	if ((tcp[13] & ~TCP_PSH) != TCP_ACK || s->hlen > p->len ||
	    s->hlen - CN_ETH_HLEN - s->l3 < 20 ||
	    iplen + CN_ETH_HLEN != p->tot_len || p->tot_len <= s->hlen)
		return false;
	s->payload = p->tot_len - s->hlen;
	s->seq = (uint32_t)tcp[4] << 24 | (uint32_t)tcp[5] << 16 |
		 (uint32_t)tcp[6] << 8 | tcp[7];
	s->psh = tcp[13] & TCP_PSH;
	return true;
}

/* Does s continue the held segments exactly (see above)? */
static bool gso_joins(const struct cn_lwip_if *li, const struct pbuf *p,
		      const struct cn_lwip_gso_seg *s)
{
	const struct cn_lwip_gso *g = &li->gso;
	const uint8_t *a = g->p[0]->payload, *b = p->payload;
	const struct cn_lwip_gso_seg *f = &g->first;
	unsigned int tcp = CN_ETH_HLEN + f->l3, i;

	if (s->v6 != f->v6 || s->hlen != f->hlen || s->seq != g->next_seq ||
	    s->payload > f->payload || g->last_payload != f->payload ||
	    g->n == GSO_MAX_SEGS || g->frags + pbuf_clen(p) >
	    CN_NETDEV_MAX_GSO_FRAGS - 1 ||
	    g->bytes + s->payload + f->hlen > li->nd->gso_max_size)
		return false;
	/*
	 * Every header byte equal but those that differ per segment: IPv4
	 * total length, ID and checksum (IPv6 payload length), TCP sequence
	 * number, PSH and checksum.
	 */
	for (i = 0; i < f->hlen; i++) {
		if (!f->v6 && i >= CN_ETH_HLEN + 2 && i < CN_ETH_HLEN + 6)
			continue;
		if (!f->v6 && (i == CN_ETH_HLEN + 10 || i == CN_ETH_HLEN + 11))
			continue;
		if (f->v6 && (i == CN_ETH_HLEN + 4 || i == CN_ETH_HLEN + 5))
			continue;
		if ((i >= tcp + 4 && i < tcp + 8) || i == tcp + 16 ||
		    i == tcp + 17)
			continue;
		if (i == tcp + 13 ? (a[i] ^ b[i]) & ~TCP_PSH : a[i] != b[i])
			return false;
	}
	return true;
}

static void gso_add(struct cn_lwip_if *li, struct pbuf *p,
		    const struct cn_lwip_gso_seg *s)
{
	struct cn_lwip_gso *g = &li->gso;

	if (!g->n) {
		g->first = *s;
		g->bytes = 0;
		g->frags = 1;
		gso_if = li;
	}
	pbuf_ref(p);
	g->p[g->n++] = p;
	g->bytes += s->payload;
	g->frags += pbuf_clen(p);
	g->next_seq = s->seq + s->payload;
	g->last_payload = s->payload;
	g->last_psh = s->psh;
}

/*
 * The payload of segment p (from byte off) lent as fragments after
 * **tail; our reference to p goes with the first. Returns 0, -1 (none
 * made: the reference is still ours) or -2 (some made, the reference
 * went with them).
 */
static int gso_lend(struct pbuf *p, unsigned int off,
		    struct cn_netbuf ***tail)
{
	struct pbuf *q;
	bool first = true;

	for (q = p; q; q = q->next) {
		struct cn_netbuf *nb;

		if (off >= q->len) {
			off -= q->len;
			continue;
		}
		nb = cn_netbuf_alloc_ext((u8_t *)q->payload + off, q->len - off,
					 0, first ? tx_release : NULL, p);
		if (!nb)
			return first ? -1 : -2;
		first = false;
		off = 0;
		**tail = nb;
		*tail = &nb->frag;
	}
	return first ? -1 : 0;
}

/* The first segment's headers, patched to cover every held payload. */
static struct cn_netbuf *gso_header(const struct cn_lwip_gso *g)
{
	const struct cn_lwip_gso_seg *f = &g->first;
	struct cn_netbuf *h = cn_netbuf_alloc(f->hlen);
	unsigned int tcplen = f->hlen - CN_ETH_HLEN - f->l3 + g->bytes;
	uint8_t *ip, *tcp;
	uint32_t sum;

	if (!h)
		return NULL;
	memcpy(h->data, g->p[0]->payload, f->hlen);
	h->len = f->hlen;
	ip = h->data + CN_ETH_HLEN;
	tcp = ip + f->l3;
	if (f->v6) {
		ip[4] = (uint8_t)(tcplen >> 8);
		ip[5] = (uint8_t)tcplen;
		sum = sum16(ip + 8, 32, IP_PROTO_TCP + tcplen);
	} else {
		ip[2] = (uint8_t)((20 + tcplen) >> 8);
		ip[3] = (uint8_t)(20 + tcplen);
		ip[10] = ip[11] = 0;
		sum = ~fold(sum16(ip, 20, 0));
		ip[10] = (uint8_t)(sum >> 8);
		ip[11] = (uint8_t)sum;
		sum = sum16(ip + 12, 8, IP_PROTO_TCP + tcplen);
	}
	sum = fold(sum);
	tcp[13] = (uint8_t)((tcp[13] & ~TCP_PSH) | (g->last_psh ? TCP_PSH : 0));
	tcp[16] = (uint8_t)(sum >> 8);
	tcp[17] = (uint8_t)sum;
	h->flags = CN_NETBUF_F_CSUM_PARTIAL;
	h->csum_start = (uint16_t)(CN_ETH_HLEN + f->l3);
	h->csum_offset = 16;
	h->gso_type = f->v6 ? CN_NETBUF_GSO_TCPV6 : CN_NETBUF_GSO_TCPV4;
	h->gso_size = (uint16_t)f->payload;
	h->gso_hdr_len = (uint16_t)f->hlen;
	return h;
}

/*
 * Sends nb; a full ring keeps it as li->stalled, sent before anything
 * else (linkoutput, retry_refused): lwIP already counts these segments
 * as sent, so they must not be dropped for a full ring.
 */
static void send_or_stall(struct cn_lwip_if *li, struct cn_netbuf *nb)
{
	int rc;

	if (li->tx_more)
		nb->flags |= CN_NETBUF_F_TX_MORE;
	else
		nb->flags &= (uint16_t)~CN_NETBUF_F_TX_MORE;
	rc = cn_netdev_tx(li->nd, 0, nb);

	if (rc == -EAGAIN) {
		li->stalled = nb;
		li->tx_refused = true;
	} else if (rc) {		/* lost: TCP retransmits them */
		cn_netbuf_free(nb);
		li->nd->stats.tx_drops++;
	}
}

/* The stalled frame, if any, sent now? */
static bool stalled_sent(struct cn_lwip_if *li)
{
	struct cn_netbuf *nb = li->stalled;

	if (!nb)
		return true;
	li->stalled = NULL;
	send_or_stall(li, nb);
	return !li->stalled;
}

/* Sends the held segments: one alone as it is, several as one frame. */
static void gso_flush(struct cn_lwip_if *li)
{
	struct cn_lwip_gso *g = &li->gso;
	struct cn_netbuf *h, **tail;
	unsigned int n = g->n, i = 0;
	int rc = 0;

	if (!n)
		return;
	g->n = 0;
	if (n == 1) {
		err_t err;
		struct cn_netbuf *nb = frame_of(li, g->p[0], &err);

		pbuf_free(g->p[0]);	/* the frame has its own reference */
		if (nb)
			send_or_stall(li, nb);
		return;
	}
	h = gso_header(g);
	if (h) {
		tail = &h->frag;
		for (i = 0; i < n; i++) {
			rc = gso_lend(g->p[i], g->first.hlen, &tail);
			if (rc)
				break;
		}
	}
	if (!h || rc) {			/* out of memory: TCP retransmits */
		for (i += (rc == -2); i < n; i++)
			pbuf_free(g->p[i]);
		cn_netbuf_free(h);
		li->nd->stats.tx_drops++;
		return;
	}
	li->tso_frames++;
	send_or_stall(li, h);
}

void cn_lwip_core_unlock(void)
{
	if (gso_if)
		gso_flush(gso_if);
	if (rx_if) {		/* its rx thread flushes after the poll */
		rx_if->tx_more = false;
		rx_if = NULL;
	}
	sys_mutex_unlock(&lock_tcpip_core);
}

static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
	struct cn_lwip_if *li = netif->state;
	struct cn_lwip_gso_seg s;

	if (!stalled_sent(li)) {
		li->tx_refused = true;
		return ERR_MEM;
	}
	if (li->tso && gso_parse(li, p, &s)) {
		if (li->gso.n && gso_joins(li, p, &s)) {
			gso_add(li, p, &s);
			return ERR_OK;
		}
		gso_flush(li);
		if (li->stalled) {
			li->tx_refused = true;
			return ERR_MEM;
		}
		gso_add(li, p, &s);
		return ERR_OK;
	}
	gso_flush(li);
	if (li->stalled) {
		li->tx_refused = true;
		return ERR_MEM;
	}
	return send_frame(li, p);
}

err_t cn_lwip_netif_init(struct netif *netif)
{
	struct cn_lwip_if *li = netif->state;

	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, li->nd->mac, ETH_HWADDR_LEN);
	netif->mtu = li->nd->mtu;
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		       NETIF_FLAG_ETHERNET | NETIF_FLAG_IGMP;
#if LWIP_IPV6
	netif->flags |= NETIF_FLAG_MLD6;
	netif->output_ip6 = ethip6_output;
#endif
#if LWIP_IPV4
	netif->output = etharp_output;
#endif
	netif->linkoutput = linkoutput;
	li->tso = li->nd->features & (CN_NETDEV_F_TSO4 | CN_NETDEV_F_TSO6);
	li->csum_flags = NETIF_CHECKSUM_ENABLE_ALL;
	if (li->nd->features & CN_NETDEV_F_TX_CSUM)
		li->csum_flags &= (u16_t)~NETIF_CHECKSUM_GEN_TCP;
	NETIF_SET_CHECKSUM_CTRL(netif, li->csum_flags);
	return ERR_OK;
}

int cn_lwip_netif_start(struct cn_lwip_if *li)
{
	struct cn_thread_attr attr = { .name = "netif-rx",
				       .flags = CN_THREAD_DETACHED };
	struct cn_thread *t;

	cn_netdev_set_rx(li->nd, rx_frame, li);
	return cn_thread_create(&t, &attr, rx_thread, li);
}
