/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realtek RTL8139 (PCI 10ec:8139, QEMU's -device rtl8139) as a netdev.
 * Register layout: Realtek's RTL8139(A/B/C) data sheets and programming
 * guide.
 *
 * Receive: one 64 KiB ring (the largest) the chip writes frames into,
 * each behind a 4-byte header (status, length with the CRC), the next at
 * a 4-byte boundary; a frame that reaches the end goes on at the start
 * (WRAP mode, which would keep it in one piece, does not exist for this
 * size), so it is copied out in two parts. CAPR tells the chip how far
 * the driver has read; a poll takes every frame up to CBR (where the
 * chip writes next) in one batch.
 * Transmit, C+ mode (an RTL8139C+, which QEMU's is): a ring of 64
 * descriptors, one per fragment of a frame, over the frame's own memory
 * (no copy), plus one over zeros to pad a short frame; one write of
 * TPPOLL tells the chip about a batch (frames marked
 * CN_NETBUF_F_TX_MORE wait for the last of the burst), and the chip
 * clears each descriptor's OWN bit in memory when done, so completions
 * cost no register read. The chip sums TCP and UDP over IPv4 and cuts
 * large TCP/IPv4 frames at the MSS (large send): the netdev offers
 * TX_CSUM and TSO4; other partial frames are summed here.
 * Transmit, otherwise (rtl8139.cplus=0, older chips): four buffers,
 * used round robin; a frame is copied into the next free one (the chip
 * takes one contiguous buffer per frame) and started by writing its
 * length into that buffer's status register, whose TOK/TUN/TABT bits
 * say when it is done. No offloads in this mode.
 *
 * Interrupts: INTx through drivers/bus/pci. The chip has no way to raise
 * a test interrupt: a timer checks once a second, until the first
 * interrupt arrives, whether received frames are waiting with
 * notifications on or an unmasked cause is pending; seen twice in a row,
 * the interrupt is not coming, which is said once, and the device is
 * polled every 10 ms from then on. Registers
 * reading all ones mean the device is gone: logged, the driver gives
 * up. Every wait on the device is bounded; a ring header that makes no
 * sense resets the receiver (as the data sheet advises) and counts an
 * rx_error. With the link up, a frame handed to the chip that does not
 * complete within 5 s (CN_NETDEV_TX_STALL_NS) is a chip that stopped working:
 * logged once, the driver gives up on it too. The test-only parameter
 * rtl8139.fault makes a healthy device fail (see fault_param below).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/biglock.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/netdev_driver.h>
#include <cairn/param.h>
#include <cairn/pci.h>
#include <cairn/timer.h>

/* Registers (byte offsets in the memory BAR, 1) */
#define IDR0		0x00
#define MAR0		0x08
#define TSD0		0x10
#define TSAD0		0x20
#define RBSTART		0x30
#define CR		0x37
#define CAPR		0x38
#define CBR		0x3a
#define IMR		0x3c
#define ISR		0x3e
#define TCR		0x40
#define RCR		0x44
#define MPC		0x4c
#define CONFIG1		0x52
#define BMSR		0x64
/* C+ mode (RTL8139C+ only) */
#define TNPDS		0x20		/* TX descriptors, 64-bit (TSAD0-1) */
#define TPPOLL		0xd9
#define CPCR		0xe0

#define CR_BUFE		0x01
#define CR_TE		0x04
#define CR_RE		0x08
#define CR_RST		0x10
#define INT_ROK		0x0001
#define INT_RER		0x0002
#define INT_TOK		0x0004
#define INT_TER		0x0008
#define INT_RXOVW	0x0010
#define INT_LINK	0x0020		/* PUN/LinkChg */
#define INT_FOVW	0x0040
#define INT_RX		(INT_ROK | INT_RER | INT_RXOVW | INT_FOVW)
#define INT_TX		(INT_TOK | INT_TER)
#define TSD_OWN		(1u << 13)
#define TSD_TUN		(1u << 14)
#define TSD_TOK		(1u << 15)
#define TSD_TABT	(1u << 30)
#define TCR_MXDMA_2K	(7u << 8)
#define TCR_IFG		(3u << 24)
#define RCR_APM		(1u << 1)
#define RCR_AM		(1u << 2)
#define RCR_AB		(1u << 3)
#define RCR_MXDMA	(7u << 8)
#define RCR_RBLEN_64K	(3u << 11)
#define RCR_RXFTH	(7u << 13)
#define BMSR_LINK	0x0004
#define RX_ROK		0x0001
#define TCR_HWVER	0x7cc00000u	/* hardware version bits */
#define HWVER_8139CP	0x74800000u	/* RTL8139C+ */
#define TPPOLL_NPQ	0x40		/* normal-priority queue: look */
#define CPCR_TXENB	0x0001		/* C+ transmit (descriptors) */

/* C+ transmit descriptor: opts1 bits */
#define CP_OWN		(1u << 31)	/* the chip's until it clears it */
#define CP_EOR		(1u << 30)	/* last of the ring */
#define CP_FS		(1u << 29)	/* first of a frame */
#define CP_LS		(1u << 28)	/* last of a frame */
#define CP_LGSEN	(1u << 27)	/* large send: cut at the MSS */
#define CP_MSS_SHIFT	16		/* large send: MSS, 11 bits */
#define CP_MSS_MAX	0x7ffu
#define CP_IPCS		(1u << 18)	/* IP header checksum */
#define CP_UDPCS	(1u << 17)
#define CP_TCPCS	(1u << 16)
#define CP_TES		(1u << 23)	/* status: transmit error */
#define CP_UNF		(1u << 25)	/* status: FIFO underrun */
#define CP_NTX		64		/* the chip's ring holds 64 at most */
/* The chip assembles a frame in a 64 KiB buffer: one byte less, at most. */
#define CP_FRAME_MAX	65535u

struct cp_desc {
	volatile uint32_t opts1;	/* CP_*, buffer length in 15:0 */
	uint32_t opts2;			/* VLAN tag (unused) */
	uint64_t addr;
};

#define RING_LEN	65536
#define RING_ALLOC	(RING_LEN + 16)		/* the data sheet asks +16 */
#define NTX		4
#define TX_BUF		1792		/* the chip's largest frame */
#define MIN_FRAME	60
#define POLL_NS		10000000ull
#define IRQ_CHECK_NS	1000000000ull

struct rtl {
	struct cn_netdev nd;
	struct cn_pci_dev *pci;
	volatile uint8_t *regs;
	uint8_t *ring;
	uint8_t *txbuf[NTX];
	uint16_t tx_len[NTX];
	unsigned int rx_off;		/* next frame header in the ring */
	unsigned int tx_next, tx_dirty, tx_used;	/* buffers or descs */
	/* C+ transmit: a ring of descriptors over the frames' own memory */
	bool cplus;
	struct cp_desc *cp;		/* CP_NTX, 256-byte aligned */
	struct cn_netbuf *cp_nb[CP_NTX];	/* at a frame's last desc */
	uint32_t cp_len[CP_NTX];	/* that frame's bytes */
	unsigned int tx_pending;	/* descs queued, the chip not told */
	volatile bool armed, tx_waiting;
	struct cn_netdev_health h;	/* gone, polled, link changes */
	volatile uint64_t irqs;
	bool irq_checking;
	unsigned int missed_checks;
	struct cn_timer timer;
	uint64_t hw_missed;
	int fault;			/* FAULT_*: rtl8139.fault, for tests */
	bool faulty;			/* the fault has struck */
	unsigned long rx_headers;	/* rxbad: headers read since the last */
	bool rx_reset_logged;
};

static bool intx_param = true;
static bool cplus_param = true;
CN_PARAM_BOOL(rtl8139, cplus, cplus_param,
	      "C+ transmit on an RTL8139C+ (a descriptor ring, no copy, "
	      "checksum and segmentation offload; 0: the four buffers)");
CN_PARAM_BOOL(rtl8139, intx, intx_param,
	      "use the interrupt line (0: ignore it, testing the polled "
	      "fallback)");

/*
 * For tests only (documented in README.md): rtl8139.fault=gone:N makes
 * every register read all ones once N frames have been sent, as if the
 * device had been pulled out; rtl8139.fault=txstall:N turns the chip's
 * transmitter off at that point, so frames handed to it never complete;
 * rtl8139.fault=rxbad:N takes every Nth ring header read as garbage, as
 * from a chip that lost its place in the ring. QEMU can neither unplug
 * a PCI NIC from under a guest that does not take part in ACPI hot-plug,
 * nor stop its RTL8139 from sending, nor write a bad header.
 */
#define FAULT_GONE	CN_NETDEV_FAULT_GONE
#define FAULT_TXSTALL	CN_NETDEV_FAULT_TXSTALL
#define FAULT_RXBAD	100		/* this driver's own */
static const char *fault_param = "";
CN_PARAM_STR(rtl8139, fault, fault_param,
	     "tests only: gone:N (registers read all ones after N frames "
	     "sent), txstall:N (the chip stops sending after N) or rxbad:N "
	     "(every Nth receive header taken as garbage)");
static unsigned long fault_after;

#define GONE(r)	((r)->faulty && (r)->fault == FAULT_GONE)

static inline uint8_t rd8(struct rtl *r, unsigned int o)
{
	return GONE(r) ? 0xff : *(volatile uint8_t *)(r->regs + o);
}

static inline uint16_t rd16(struct rtl *r, unsigned int o)
{
	return GONE(r) ? 0xffff : *(volatile uint16_t *)(r->regs + o);
}

static inline uint32_t rd32(struct rtl *r, unsigned int o)
{
	return GONE(r) ? 0xffffffffu : *(volatile uint32_t *)(r->regs + o);
}

static inline void wr8(struct rtl *r, unsigned int o, uint8_t v)
{
	*(volatile uint8_t *)(r->regs + o) = v;
}

static inline void wr16(struct rtl *r, unsigned int o, uint16_t v)
{
	*(volatile uint16_t *)(r->regs + o) = v;
}

static inline void wr32(struct rtl *r, unsigned int o, uint32_t v)
{
	*(volatile uint32_t *)(r->regs + o) = v;
}

/* After each reaped frame: strikes rtl8139.fault when its time comes. */
static void fault_check(struct rtl *r)
{
	if (!r->fault || r->fault == FAULT_RXBAD || r->faulty ||
	    r->nd.stats.tx_packets < fault_after)
		return;
	r->faulty = true;
	if (r->fault == FAULT_TXSTALL)
		wr8(r, CR, CR_RE);	/* transmitter off */
}

/* All ones where the chip has reserved zero bits: it is gone. */
static bool check_gone(struct rtl *r)
{
	if (!r->h.gone && rd32(r, TCR) == 0xffffffffu)
		cn_netdev_health_gone(&r->nd, &r->h);
	return r->h.gone;
}

static void report(struct rtl *r)
{
	cn_netdev_health_report(&r->nd, &r->h, "rtl8139", r->pci->name,
				"work waited a second with no interrupt from "
				"the device; polling it every 10 ms instead");
}

/* Four-buffer mode: the buffers whose status says done, oldest first. */
static unsigned int tx4_reap(struct rtl *r)
{
	unsigned int n = 0;

	while (r->tx_used) {
		unsigned int i = r->tx_dirty;
		uint32_t tsd = rd32(r, TSD0 + 4 * i);

		if (tsd == 0xffffffffu || !(tsd & (TSD_TOK | TSD_TUN |
						    TSD_TABT)))
			break;
		if (tsd & TSD_TOK) {
			r->nd.stats.tx_packets++;
			r->nd.stats.tx_bytes += r->tx_len[i];
		} else {
			r->nd.stats.tx_errors++;
		}
		r->tx_dirty = (i + 1) % NTX;
		r->tx_used--;
		n++;
		if (r->fault)
			fault_check(r);
	}
	return n;
}

/* C+ mode: the descriptors the chip gave back (OWN clear), in memory. */
static unsigned int cp_reap(struct rtl *r)
{
	unsigned int n = 0;

	while (r->tx_used) {
		unsigned int i = r->tx_dirty;
		uint32_t o = r->cp[i].opts1;
		struct cn_netbuf *nb = r->cp_nb[i];

		if (o & CP_OWN)
			break;
		cn_arch_rmb();
		if (nb) {			/* a frame's last descriptor */
			if (o & (CP_TES | CP_UNF)) {
				r->nd.stats.tx_errors++;
			} else {
				r->nd.stats.tx_packets++;
				r->nd.stats.tx_bytes += r->cp_len[i];
			}
			r->cp_nb[i] = NULL;
			cn_netbuf_free(nb);
			n++;
			if (r->fault)
				fault_check(r);
		}
		r->tx_dirty = (i + 1) % CP_NTX;
		r->tx_used--;
	}
	return n;
}

static unsigned int tx_reap(struct rtl *r)
{
	return r->cplus ? cp_reap(r) : tx4_reap(r);
}

/* Has the oldest frame in flight completed (status in the chip)? */
static bool tx_done_waiting(struct rtl *r)
{
	if (!r->tx_used)
		return false;
	if (r->cplus)
		return !(r->cp[r->tx_dirty].opts1 & CP_OWN);
	return rd32(r, TSD0 + 4 * r->tx_dirty) & (TSD_TOK | TSD_TUN | TSD_TABT);
}

/* C+ mode: tells the chip about the descriptors queued since last time. */
static void cp_doorbell(struct rtl *r)
{
	if (!r->tx_pending)
		return;
	r->tx_pending = 0;
	cn_arch_wmb();			/* descriptors before the poll */
	wr8(r, TPPOLL, TPPOLL_NPQ);
}

/*
 * The offload bits for nb, or the checksum done here. The chip sums TCP
 * and UDP over IPv4 only, with the transport header right after the IP
 * header (it finds both itself, and writes the pseudo-header in); any
 * other partial frame (IPv6, an unusual position) is completed in
 * software. Large send (TCP/IPv4 only, lib/netdev having checked the
 * feature) cuts at gso_size and sums every segment; its MSS field
 * overlaps the checksum bits, which it does not need. -EINVAL for a GSO
 * frame the chip cannot cut.
 */
static long cp_offload(struct cn_netbuf *nb, size_t len)
{
	const uint8_t *ip = nb->data + CN_ETH_HLEN;
	bool v4 = nb->len >= CN_ETH_HLEN + 20 && nb->data[12] == 0x08 &&
		  nb->data[13] == 0x00 && (ip[0] >> 4) == 4 &&
		  nb->csum_start == CN_ETH_HLEN + (ip[0] & 0xfu) * 4;

	if (nb->gso_type) {
		if (!v4 || ip[9] != 6 || nb->csum_offset != 16 ||
		    nb->gso_size > CP_MSS_MAX ||
		    (size_t)(ip[2] << 8 | ip[3]) + CN_ETH_HLEN != len)
			return -EINVAL;
		return (long)(CP_LGSEN |
			      (uint32_t)nb->gso_size << CP_MSS_SHIFT);
	}
	if (!(nb->flags & CN_NETBUF_F_CSUM_PARTIAL))
		return 0;
	if (v4 && ip[9] == 6 && nb->csum_offset == 16)
		return (long)(CP_IPCS | CP_TCPCS);
	if (v4 && ip[9] == 17 && nb->csum_offset == 6)
		return (long)(CP_IPCS | CP_UDPCS);
	cn_netbuf_csum_finish(nb);
	return 0;
}

/* Bytes the chip may read for a short frame's padding. */
static const uint8_t zero_pad[MIN_FRAME];

/* Descriptor slot over n bytes at data; returns the next slot. */
static unsigned int cp_fill(struct rtl *r, unsigned int slot,
			    const void *data, uint32_t n, uint32_t bits)
{
	struct cp_desc *d = &r->cp[slot];

	d->addr = (uint64_t)(uintptr_t)data;
	d->opts2 = 0;
	d->opts1 = n | bits | (slot == CP_NTX - 1 ? CP_EOR : 0);
	return (slot + 1) % CP_NTX;
}

/*
 * C+ mode: one descriptor per fragment, over the fragment itself (no
 * copy), and one over zeros when the frame is short (the chip does not
 * pad). The netbuf is freed when the chip gives the last one back.
 */
static int cp_xmit(struct rtl *r, struct cn_netbuf *nb)
{
	size_t len = cn_netbuf_frame_len(nb);
	unsigned int need = len < MIN_FRAME, first, slot, last = 0;
	long offl = cp_offload(nb, len);
	struct cn_netbuf *f;

	if (offl < 0)
		return (int)offl;
	for (f = nb; f; f = f->frag)
		need += f->len ? 1 : 0;
	if (need > CP_NTX)
		return -EINVAL;
	cp_reap(r);
	if (r->tx_used + need > CP_NTX && r->tx_pending) {
		cp_doorbell(r);		/* what is held must go first */
		cp_reap(r);		/* (QEMU sends it at the doorbell) */
	}
	if (r->tx_used + need > CP_NTX) {
		r->tx_waiting = true;
		if (r->armed)
			wr16(r, IMR, INT_LINK | INT_RX | INT_TX);
		return -EAGAIN;
	}
	/* OWN on all but the first now; the first's, last of all */
	first = slot = r->tx_next;
	for (f = nb; f; f = f->frag) {
		if (!f->len)
			continue;
		last = slot;
		slot = cp_fill(r, slot, f->data, f->len, (uint32_t)offl |
			       (slot == first ? CP_FS : CP_OWN));
	}
	if (len < MIN_FRAME) {		/* lib/netdev: never the only one */
		last = slot;
		slot = cp_fill(r, slot, zero_pad, (uint32_t)(MIN_FRAME - len),
			       (uint32_t)offl | CP_OWN);
	}
	r->cp[last].opts1 |= CP_LS;
	r->cp_nb[last] = nb;
	r->cp_len[last] = (uint32_t)(len < MIN_FRAME ? MIN_FRAME : len);
	cn_arch_wmb();
	r->cp[first].opts1 |= CP_OWN;
	r->tx_next = slot;
	r->tx_used += need;
	r->tx_pending += need;
	if (!(nb->flags & CN_NETBUF_F_TX_MORE) || r->tx_pending >= CP_NTX / 4)
		cp_doorbell(r);
	return 0;
}

/* Four-buffer mode: the frame copied into the next buffer, started. */
static int tx4_xmit(struct rtl *r, struct cn_netbuf *nb)
{
	size_t len = cn_netbuf_frame_len(nb), off = 0;
	struct cn_netbuf *f;
	unsigned int i;

	if (len > TX_BUF)
		return -EMSGSIZE;
	tx4_reap(r);
	if (r->tx_used == NTX) {
		r->tx_waiting = true;
		if (r->armed)
			wr16(r, IMR, INT_LINK | INT_RX | INT_TX);
		return -EAGAIN;
	}
	i = r->tx_next;
	for (f = nb; f; f = f->frag) {
		memcpy(r->txbuf[i] + off, f->data, f->len);
		off += f->len;
	}
	if (len < MIN_FRAME) {		/* the chip does not pad */
		memset(r->txbuf[i] + len, 0, MIN_FRAME - len);
		len = MIN_FRAME;
	}
	r->tx_len[i] = (uint16_t)len;
	r->tx_next = (i + 1) % NTX;
	r->tx_used++;
	cn_arch_wmb();
	/* Writing the size (OWN clear, early threshold 0) sends it. */
	wr32(r, TSD0 + 4 * i, (uint32_t)len);
	cn_netbuf_free(nb);	/* copied: the caller's memory is free */
	return 0;
}

static int rtl_xmit(struct cn_netdev *nd, unsigned int q,
		    struct cn_netbuf *nb)
{
	struct rtl *r = nd->priv;
	unsigned long flags;
	int rc;

	(void)q;
	flags = cn_big_lock();
	if (r->h.gone)
		rc = -ENETDOWN;
	else
		rc = r->cplus ? cp_xmit(r, nb) : tx4_xmit(r, nb);
	cn_big_unlock(flags);
	return rc;
}

static void rtl_tx_flush(struct cn_netdev *nd, unsigned int q)
{
	struct rtl *r = nd->priv;
	unsigned long flags = cn_big_lock();

	(void)q;
	if (r->cplus && !r->h.gone)
		cp_doorbell(r);
	cn_big_unlock(flags);
}

/* len bytes from the ring at off, wrapping at its end as the chip does. */
static void ring_copy(struct rtl *r, uint8_t *to, unsigned int off,
		      unsigned int len)
{
	unsigned int first;

	off %= RING_LEN;
	first = RING_LEN - off < len ? RING_LEN - off : len;
	memcpy(to, r->ring + off, first);
	memcpy(to + first, r->ring, len - first);
}

/*
 * C+ mode, before CR is written with the transmitter on (which sends the
 * chip's place in the descriptor ring back to the start): what is queued
 * goes and is reaped, for 10 ms at most (QEMU finishes at the doorbell);
 * frames still out then count as errors. The ring starts over at 0.
 */
static void cp_restart(struct rtl *r)
{
	uint64_t end = cn_time_ns() + 10000000ull;
	unsigned int i;

	cp_doorbell(r);
	while (cp_reap(r), r->tx_used && cn_time_ns() < end)
		;
	for (i = 0; i < CP_NTX; i++) {
		if (r->cp_nb[i]) {
			r->nd.stats.tx_errors++;
			cn_netbuf_free(r->cp_nb[i]);
			r->cp_nb[i] = NULL;
		}
		r->cp[i].opts1 = i == CP_NTX - 1 ? CP_EOR : 0;
	}
	r->tx_next = r->tx_dirty = r->tx_used = r->tx_pending = 0;
}

/* The chip lost its place in the ring: restart the receiver. */
static void rx_reset(struct rtl *r)
{
	uint8_t cr = rd8(r, CR);

	if (r->cplus)
		cp_restart(r);
	wr8(r, CR, cr & ~CR_RE);
	wr8(r, CR, cr | CR_RE);
	wr32(r, RBSTART, (uint32_t)(uintptr_t)r->ring);
	wr32(r, RCR, RCR_APM | RCR_AM | RCR_AB | RCR_MXDMA | RCR_RBLEN_64K |
	     RCR_RXFTH);
	r->rx_off = 0;
	wr16(r, CAPR, (uint16_t)(RING_LEN - 16));
}

/* rtl8139.fault=rxbad:N: is this header the Nth since the last? */
static bool rx_fault(struct rtl *r)
{
	if (r->fault != FAULT_RXBAD || ++r->rx_headers < fault_after)
		return false;
	r->rx_headers = 0;
	return true;
}

/*
 * A ring header that makes no sense (not ROK, a length no frame has, or
 * running past CBR): the receiver is restarted, as the data sheet
 * advises, and what was in the ring is lost (TCP sends it again). Said
 * once; every one counts an rx_error.
 */
static void bad_header(struct rtl *r, uint16_t st, uint16_t len)
{
	r->nd.stats.rx_errors++;
	if (!r->rx_reset_logged) {
		r->rx_reset_logged = true;
		cn_pr_warn("%s: receive ring header makes no sense (status "
			   "0x%04x, length %u, at %u): receiver restarted; "
			   "later ones count in rx_errors", r->nd.name, st,
			   len, r->rx_off);
	}
	rx_reset(r);
}

static int rtl_poll(struct cn_netdev *nd, unsigned int q, unsigned int budget)
{
	struct rtl *r = nd->priv;
	unsigned int n = 0, reaped;
	unsigned long flags;

	(void)q;
	flags = cn_big_lock();
	report(r);
	if (r->h.gone) {
		cn_big_unlock(flags);
		return 0;
	}
	reaped = tx_reap(r);
	if (r->cplus)
		cp_doorbell(r);		/* frames held for one (TX_MORE) */
	/*
	 * A batch: every frame between our place and where the chip writes
	 * next (CBR), read once; CAPR written once after it. Two register
	 * accesses a batch instead of two a frame (each an exit under TCG).
	 */
	while (n < budget) {
		uint8_t cr = rd8(r, CR);
		unsigned int left;

		if (cr == 0xff && check_gone(r))
			break;
		if (cr & CR_BUFE)
			break;
		left = (rd16(r, CBR) + RING_LEN - r->rx_off) % RING_LEN;
		cn_arch_rmb();
		if (!left)		/* BUFE clear, nothing behind CBR: */
			left = RING_LEN;	/* the ring is full */
		while (left && n < budget) {
			uint32_t hdr;
			uint16_t st, len;
			unsigned int step;
			struct cn_netbuf *nb;

			memcpy(&hdr, r->ring + r->rx_off, 4);
			st = (uint16_t)hdr;
			len = (uint16_t)(hdr >> 16);
			step = (len + 4u + 3u) & ~3u;
			if (!(st & RX_ROK) || len < CN_ETH_HLEN + 4 ||
			    len > TX_BUF + 4 || step > left || rx_fault(r)) {
				bad_header(r, st, len);
				goto out;
			}
			nb = cn_netbuf_alloc(len - 4u);
			if (nb) {
				ring_copy(r, nb->data, r->rx_off + 4, len - 4u);
				nb->len = len - 4u;
			} else {
				nd->stats.rx_drops++;
			}
			r->rx_off = (r->rx_off + step) % RING_LEN;
			left -= step;
			if (!nb)
				continue;
			n++;
			cn_big_unlock(flags);
			cn_netdev_rx(nd, 0, nb);
			flags = cn_big_lock();
			if (r->h.gone)
				goto out;
		}
		wr16(r, CAPR, (uint16_t)((r->rx_off + RING_LEN - 16) %
					 RING_LEN));
	}
out:
	if (!n && !reaped && !r->h.gone && !check_gone(r)) {
		/* Idle (the 1 s watchdog): the missed-packet counter. */
		uint32_t missed = rd32(r, MPC) & 0xffffff;

		if (missed) {
			wr32(r, MPC, 0);
			r->hw_missed += missed;
			nd->stats.rx_drops += missed;
		}
	}
	cn_netdev_health_tx(&r->nd, &r->h, r->tx_used != 0, reaped != 0,
			    cn_time_ns(), "rtl8139", r->pci->name);
	cn_big_unlock(flags);
	return (int)n;
}

static void rtl_irq(void *arg);

static void rtl_timer(struct cn_timer *t)
{
	struct rtl *r = t->arg;

	if (r->h.gone)
		return;			/* given up: nothing to check or poll */
	if (r->irq_checking) {
		bool waiting;

		if (r->irqs) {		/* the interrupt works: stop looking */
			r->irq_checking = false;
			return;
		}
		/* Work the interrupt should have announced: frames with
		 * notifications on, or a cause the mask lets through. */
		waiting = (r->armed && !(rd8(r, CR) & CR_BUFE)) ||
			  (rd16(r, ISR) & rd16(r, IMR));
		if (waiting && r->missed_checks++) {	/* twice in a row */
			r->irq_checking = false;
			r->h.polled = true;
		} else {
			if (!waiting)
				r->missed_checks = 0;
			cn_timer_start(t, cn_time_ns() + IRQ_CHECK_NS,
				       rtl_timer);
			return;
		}
	}
	rtl_irq(r);	/* what the interrupt would have done */
	if (r->armed || r->tx_waiting) {
		r->armed = false;
		cn_netdev_notify(&r->nd, 0);
	}
	cn_timer_start(t, cn_time_ns() + POLL_NS, rtl_timer);
}

static bool rtl_irq_enable(struct cn_netdev *nd, unsigned int q)
{
	struct rtl *r = nd->priv;
	unsigned long flags = cn_big_lock();
	bool quiet;

	(void)q;
	if (r->h.gone) {
		cn_big_unlock(flags);
		return true;
	}
	r->armed = true;
	wr16(r, IMR, INT_LINK | INT_RX | (r->tx_waiting ? INT_TX : 0));
	quiet = (rd8(r, CR) & CR_BUFE) && !r->h.link_changed &&
		!(r->h.polled && !r->h.polled_reported);
	if (r->cplus)
		cp_doorbell(r);
	if (r->tx_waiting && tx_done_waiting(r))
		quiet = false;
	if (!quiet) {
		r->armed = false;
		wr16(r, IMR, INT_LINK);
	}
	cn_big_unlock(flags);
	return quiet;
}

static void rtl_irq_disable(struct cn_netdev *nd, unsigned int q)
{
	struct rtl *r = nd->priv;
	unsigned long flags = cn_big_lock();

	(void)q;
	r->armed = false;
	if (!r->h.gone)
		wr16(r, IMR, INT_LINK);
	cn_big_unlock(flags);
}

static const struct cn_netdev_ops rtl_ops = {
	.xmit = rtl_xmit,
	.poll = rtl_poll,
	.irq_enable = rtl_irq_enable,
	.irq_disable = rtl_irq_disable,
	.tx_flush = rtl_tx_flush,
};

static void rtl_irq(void *arg)
{
	struct rtl *r = arg;
	uint16_t isr;

	if (r->h.gone)
		return;
	isr = rd16(r, ISR);
	if (!isr)
		return;			/* another device on the line */
	if (isr == 0xffff) {
		cn_netdev_health_gone(&r->nd, &r->h);
		cn_netdev_notify(&r->nd, 0);
		return;
	}
	wr16(r, ISR, isr);		/* write one to clear */
	r->irqs++;
	if (isr & INT_LINK)
		cn_netdev_health_link(&r->nd, &r->h,
				      rd16(r, BMSR) & BMSR_LINK);
	if (isr & INT_TX)
		r->tx_waiting = false;
	if ((isr & (INT_RX | INT_TX)) && r->armed) {
		r->armed = false;
		wr16(r, IMR, INT_LINK);
		cn_netdev_notify(&r->nd, 0);
	}
}

static int rtl_probe(struct cn_pci_dev *pci)
{
	struct rtl *r;
	char mac[18];
	unsigned int i;
	uint64_t end;
	int vec, rc;
	const char *irq = "INTx";
	bool ok;

	cn_pci_enable(pci);
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->pci = pci;
	if (!strncmp(fault_param, "rxbad:", 6)) {
		char *end;

		fault_after = strtoul(fault_param + 6, &end, 10);
		r->fault = fault_param[6] && !*end && fault_after ?
			   FAULT_RXBAD : -1;
	} else {
		r->fault = cn_netdev_fault_parse(fault_param, &fault_after);
	}
	if (r->fault < 0) {
		cn_pr_err("rtl8139 at %s: rtl8139.fault=%s: expected gone:N, "
			  "txstall:N or rxbad:N (N > 0); ignored", pci->name,
			  fault_param);
		r->fault = 0;
	}
	r->regs = cn_pci_bar_map(pci, 1);
	if (!r->regs) {
		cn_pr_err("rtl8139 at %s: BAR 1 is not a mapped memory BAR",
			  pci->name);
		free(r);
		return -ENODEV;
	}
	if (rd32(r, TCR) == 0xffffffffu) {
		cn_pr_err("rtl8139 at %s: registers read all ones (no device "
			  "behind the BAR); giving up on it", pci->name);
		free(r);
		return -EIO;
	}
	wr8(r, CONFIG1, 0);		/* power on (LWAKE low) */
	wr8(r, CR, CR_RST);
	end = cn_time_ns() + 20000000ull;
	while ((rd8(r, CR) & CR_RST) && cn_time_ns() < end)
		;
	if (rd8(r, CR) & CR_RST) {
		cn_pr_err("rtl8139 at %s: reset did not complete within 20 ms%s;"
			  " giving up on it", pci->name,
			  rd8(r, CR) == 0xff ? " (registers read all ones)" :
			  "");
		free(r);
		return -EIO;
	}
	/* C+ transmit where the chip has it (QEMU's is a C+) */
	r->cplus = cplus_param && (rd32(r, TCR) & TCR_HWVER) == HWVER_8139CP;
	r->ring = aligned_alloc(4096, RING_ALLOC);
	if (r->cplus)
		r->cp = aligned_alloc(256, CP_NTX * sizeof(*r->cp));
	else
		for (i = 0; i < NTX; i++)
			r->txbuf[i] = aligned_alloc(16, 2048);
	ok = r->ring && (!r->cplus || r->cp);
	for (i = 0; i < NTX && !r->cplus; i++)
		ok = ok && r->txbuf[i];
	/* The receive ring and the buffers: 32-bit DMA addresses only. */
	for (i = 0; i < NTX && ok; i++)
		if ((uint64_t)(uintptr_t)r->txbuf[i] + 2048 > 0xffffffffull)
			break;
	if (ok && ((uint64_t)(uintptr_t)r->ring + RING_ALLOC > 0xffffffffull ||
		   i < NTX)) {
		cn_pr_err("rtl8139 at %s: buffers above 4 GiB, where the chip "
			  "cannot reach; giving up on it", pci->name);
		ok = false;
	}
	if (!ok) {
		for (i = 0; i < NTX; i++)
			free(r->txbuf[i]);
		free(r->cp);
		free(r->ring);
		free(r);
		return -ENOMEM;
	}
	memset(r->ring, 0, RING_ALLOC);
	if (r->cplus) {
		memset(r->cp, 0, CP_NTX * sizeof(*r->cp));
		r->cp[CP_NTX - 1].opts1 = CP_EOR;
	}
	for (i = 0; i < CN_ETH_ALEN; i++)
		r->nd.mac[i] = rd8(r, IDR0 + i);
	if (!(r->nd.mac[0] | r->nd.mac[1] | r->nd.mac[2] | r->nd.mac[3] |
	      r->nd.mac[4] | r->nd.mac[5]) || (r->nd.mac[0] & 1)) {
		static const uint8_t dflt[] = { 0x02, 0xca, 0x1e, 0, 0, 3 };

		cn_pr_warn("no valid MAC on the device: using a locally "
			   "administered one");
		memcpy(r->nd.mac, dflt, sizeof(dflt));
		for (i = 0; i < CN_ETH_ALEN; i++)
			wr8(r, IDR0 + i, dflt[i]);
	}
	for (i = 0; i < 8; i++)
		wr8(r, MAR0 + i, 0xff);	/* every multicast */
	wr16(r, IMR, 0);
	wr16(r, ISR, 0xffff);
	if (r->cplus) {			/* the ring before the transmitter */
		wr16(r, CPCR, CPCR_TXENB);
		wr32(r, TNPDS, (uint32_t)(uintptr_t)r->cp);
		wr32(r, TNPDS + 4,
		     (uint32_t)((uint64_t)(uintptr_t)r->cp >> 32));
	}
	wr8(r, CR, CR_RE | CR_TE);	/* before RCR/TCR, as the chip wants */
	wr32(r, TCR, TCR_MXDMA_2K | TCR_IFG);
	for (i = 0; i < NTX && !r->cplus; i++)
		wr32(r, TSAD0 + 4 * i, (uint32_t)(uintptr_t)r->txbuf[i]);
	rx_reset(r);
	wr32(r, MPC, 0);

	r->nd.mtu = 1500;
	r->nd.features = r->cplus ? CN_NETDEV_F_TX_CSUM | CN_NETDEV_F_TSO4 : 0;
	r->nd.gso_max_size = CP_FRAME_MAX;
	r->nd.tx_headroom = 0;
	r->nd.nr_rx_queues = r->nd.nr_tx_queues = 1;
	r->nd.driver = "rtl8139";
	r->nd.bus = pci->name;
	r->nd.ops = &rtl_ops;
	r->nd.priv = r;
	r->nd.link_up = rd16(r, BMSR) & BMSR_LINK;
	r->timer.arg = r;

	vec = cn_arch_irq_alloc_vector();
	if (vec < 0)
		return vec;
	rc = cn_arch_irq_register((unsigned int)vec, rtl_irq, r);
	if (rc)
		return rc;
	if (!intx_param || cn_pci_intx_route(pci, (unsigned int)vec)) {
		irq = intx_param ? "no interrupt line: polled" :
				   "rtl8139.intx=0: interrupt line unused";
		if (intx_param)
			r->h.polled = r->h.polled_reported = true;
	}
	rc = cn_netdev_register(&r->nd);
	if (rc)
		return rc;
	wr16(r, IMR, INT_LINK);
	r->irq_checking = !r->h.polled;
	cn_timer_start(&r->timer, cn_time_ns() +
		       (r->h.polled ? POLL_NS : IRQ_CHECK_NS), rtl_timer);
	cn_pr_info("%s: rtl8139 at %s (%s), MAC %s, MTU %u, link %s, RX ring "
		   "%u KiB, %s, offloads %s", r->nd.name, pci->name, irq,
		   cn_netdev_mac_str(r->nd.mac, mac), r->nd.mtu,
		   r->nd.link_up ? "up" : "down", RING_LEN >> 10,
		   r->cplus ? "C+ TX ring 64" : "4 TX buffers",
		   r->cplus ? "tx_csum tso4" : "none");
	return 0;
}

static const struct cn_pci_id rtl_ids[] = {
	{ 0x10ec, 0x8139 },
	{ 0, 0 }
};

CN_PCI_DRIVER(rtl8139) = {
	.name = "rtl8139",
	.ids = rtl_ids,
	.probe = rtl_probe,
};
