/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intel 82540EM (PCI 8086:100e, QEMU's -device e1000) as a netdev.
 * Register and descriptor layouts: Intel's PCI/PCI-X Family of Gigabit
 * Ethernet Controllers Software Developer's Manual (8254x), chapters 3
 * (descriptors) and 13 (registers).
 *
 * One RX ring and one TX ring of 256 16-byte descriptors in memory the
 * device reads by DMA (RAM is identity-mapped: a pointer is its bus
 * address). RX buffers are netbufs of 2048 bytes posted with their data
 * pointer; a frame longer than one buffer (not with the 1522-byte limit
 * set here, but the device decides) is chained as fragments. TX: one
 * extended data descriptor per fragment of a frame, preceded by a
 * context descriptor when the checksum position changes (TCP/UDP
 * checksum insertion); report-status on each frame's last descriptor,
 * whose DD bit tells that the frame is done.
 *
 * Doorbells: under emulation every register access is an exit into the
 * hypervisor, so the driver makes few. TX: a frame marked
 * CN_NETBUF_F_TX_MORE is put in the ring without writing TDT; the write
 * (one for the whole burst: the device sends every descriptor up to it)
 * comes with the next unmarked frame, tx_flush, a quarter of the ring
 * held, a full ring, or the next poll or irq_enable, so no frame waits
 * past the receive loop's next turn. RX: RDT once per poll, after the
 * batch of refills. Interrupts: ITR spaces them (e1000.itr per second,
 * and QEMU's model emulates it), ICR is read once per interrupt, and
 * notifications stay masked from the interrupt to the next irq_enable.
 * The driver counts its doorbells and interrupts (the shell's `e1000`).
 *
 * Interrupts: the 82540EM has no MSI, so INTx through drivers/bus/pci.
 * A test interrupt (ICS) is raised when notifications are first turned
 * on; if none arrives within a second the driver says so once and polls
 * the device every 10 ms from a timer instead. A register space that
 * reads all ones is a device that is gone: logged, the driver gives up
 * (probe fails, or a running device is marked down), never a hang: every
 * wait on the device is bounded. With the link up, frames handed to the
 * device that do not complete within 5 s (CN_NETDEV_TX_STALL_NS, checked
 * by cn_netdev_health_tx()) are a device that stopped working: logged
 * once, the driver gives up on it the same way.
 * The test-only parameter e1000.fault makes a healthy device fail (see
 * fault_param below).
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
#include "e1000_priv.h"

/* Registers (byte offsets in BAR 0) */
#define CTRL		0x0000
#define STATUS		0x0008
#define EERD		0x0014
#define ICR		0x00c0
#define ITR		0x00c4
#define ICS		0x00c8
#define IMS		0x00d0
#define IMC		0x00d8
#define RCTL		0x0100
#define TCTL		0x0400
#define TIPG		0x0410
#define RDBAL		0x2800
#define RDBAH		0x2804
#define RDLEN		0x2808
#define RDH		0x2810
#define RDT		0x2818
#define RDTR		0x2820
#define TDBAL		0x3800
#define TDBAH		0x3804
#define TDLEN		0x3808
#define TDH		0x3810
#define TDT		0x3818
#define TIDV		0x3820
#define CRCERRS		0x4000
#define ALGNERRC	0x4004
#define RXERRC		0x400c
#define MPC		0x4010
#define GPRC		0x4074
#define GPTC		0x4080
#define RNBC		0x40a0
#define RXCSUM		0x5000
#define MTA		0x5200
#define RAL0		0x5400
#define RAH0		0x5404

#define CTRL_ASDE	(1u << 5)
#define CTRL_SLU	(1u << 6)
#define CTRL_LRST	(1u << 3)
#define CTRL_ILOS	(1u << 7)
#define CTRL_RST	(1u << 26)
#define CTRL_VME	(1u << 30)
#define CTRL_PHY_RST	(1u << 31)
#define STATUS_LU	(1u << 1)
#define EERD_START	1u
#define EERD_DONE	(1u << 4)
#define EERD_ADDR_SHIFT	8
#define ICR_TXDW	(1u << 0)
#define ICR_LSC		(1u << 2)
#define ICR_RXDMT0	(1u << 4)
#define ICR_RXO		(1u << 6)
#define ICR_RXT0	(1u << 7)
#define ICR_RX		(ICR_RXDMT0 | ICR_RXO | ICR_RXT0)
#define RCTL_EN		(1u << 1)
#define RCTL_MPE	(1u << 4)
#define RCTL_BAM	(1u << 15)
#define RCTL_SECRC	(1u << 26)	/* BSIZE 00: 2048-byte buffers */
#define TCTL_EN		(1u << 1)
#define TCTL_PSP	(1u << 3)
#define TCTL_CT		(0x0fu << 4)
#define TCTL_COLD	(0x40u << 12)
#define TIPG_DEFAULT	(10u | 8u << 10 | 6u << 20)
#define RXCSUM_IPOFL	(1u << 8)
#define RXCSUM_TUOFL	(1u << 9)
#define RAH_AV		(1u << 31)

/* RX descriptor status and errors */
#define RXS_DD		0x01
#define RXS_EOP		0x02
#define RXS_IXSM	0x04
#define RXS_TCPCS	0x20
#define RXS_IPCS	0x40
#define RXE_TCPE	0x20
#define RXE_IPE		0x40
#define RXE_FRAME	0x97	/* CE, SE, SEQ, CXE, RXE: a bad frame */

/* TX descriptor command bits (in the lower 32 bits) and status */
#define TXD_EOP		(1u << 24)
#define TXD_IFCS	(1u << 25)
#define TXD_RS		(1u << 27)
#define TXD_DEXT	(1u << 29)
#define TXD_DTYP_D	(1u << 20)	/* data; context is 0 */
#define TXD_TSE		(1u << 26)	/* data and context: segmentation */
#define TXD_TUCMD_IP	(1u << 25)	/* context: IPv4 */
#define TXD_TUCMD_TCP	(1u << 24)	/* context: TCP */
#define TXD_POPTS_IXSM	0x01
#define TXD_POPTS_TXSM	0x02
#define TXS_DD		0x01

#define NRX		256
#define NTX		256
#define RX_BUF		2048
#define MAX_FRAME	65535
#define POLL_NS		10000000ull	/* polled fallback: every 10 ms */
#define IRQ_TEST_NS	1000000000ull
#define ALL_ONES	0xffffffffu

struct rx_desc {
	uint64_t addr;
	uint16_t len;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
};

struct tx_desc {			/* data and context alike */
	uint64_t addr;			/* context: ipcss..tucse */
	uint32_t lower;			/* length, DTYP, DCMD */
	uint8_t status;
	uint8_t popts;			/* context: hdr_len */
	uint16_t special;		/* context: mss */
};

struct e1k {
	struct cn_netdev nd;
	struct cn_pci_dev *pci;
	volatile uint8_t *regs;
	struct rx_desc *rx;
	struct tx_desc *tx;
	struct cn_netbuf *rx_nb[NRX];
	struct cn_netbuf *tx_nb[NTX];	/* at each frame's last slot */
	uint16_t tx_last[NTX];		/* at each frame's first slot */
	unsigned int rx_next;		/* next descriptor the device fills */
	unsigned int nrx;		/* RX ring in use: NRX, less on a
					 * small heap (cn_netdev_rx_bufs) */
	unsigned int tx_head, tx_tail, tx_used;
	struct cn_netbuf *rx_frag, **rx_frag_tail; /* a frame being chained */
	bool rx_frag_bad;
	int ctx_start, ctx_off;		/* the device's checksum context */
	bool rx_csum;
	volatile bool armed;		/* notifications on */
	volatile bool tx_waiting;	/* TX ring was full */
	struct cn_netdev_health h;	/* gone, polled, link changes */
	volatile uint64_t irqs;
	int irq_test;			/* 0 not yet, 1 running, 2 done */
	struct cn_timer timer;
	int fault;			/* FAULT_*: e1000.fault, for tests */
	bool faulty;			/* the fault has struck */
	uint64_t hw_rx_good, hw_tx_good, hw_missed, hw_no_buf, hw_errors;
	unsigned int tx_pending;	/* descriptors queued, TDT not written */
	uint64_t tx_doorbells, rx_doorbells, icr_reads;
};

#define MAX_DEVS	4
static struct e1k *devs[MAX_DEVS];	/* for cn_e1000_counters() */
static unsigned int nr_devs;

static bool csum_param = true;
static bool rx_csum_param = true;
static bool intx_param = true;
#ifdef CONFIG_DRV_E1000_TSO
static bool tso_param = true;
#else
static bool tso_param;
#endif
CN_PARAM_BOOL(e1000, tso, tso_param,
	      "TCP segmentation by the device (TSE context), IPv4; needs "
	      "e1000.csum");
CN_PARAM_BOOL(e1000, csum, csum_param,
	      "TX checksum insertion by the device (context descriptors)");
CN_PARAM_BOOL(e1000, rx_csum, rx_csum_param,
	      "trust the device's RX checksum status (IPCS/TCPCS)");
#ifdef CONFIG_DRV_E1000_TX_BATCH
static bool tx_batch_param = true;
#else
static bool tx_batch_param;
#endif
CN_PARAM_BOOL(e1000, tx_batch, tx_batch_param,
	      "one TDT write per burst of frames the stack marks "
	      "CN_NETBUF_F_TX_MORE (0: one per frame)");
static int itr_param = CONFIG_DRV_E1000_ITR;
CN_PARAM_UINT(e1000, itr, itr_param,
	      "interrupts per second at most (ITR); 0: no limit");
CN_PARAM_BOOL(e1000, intx, intx_param,
	      "use the interrupt line (0: ignore it, testing the polled "
	      "fallback)");

/*
 * For tests only (documented in README.md): e1000.fault=gone:N makes
 * every register read all ones once N frames have been sent, as if the
 * device had been pulled out; e1000.fault=txstall:N turns the device's
 * transmitter off at that point, so frames handed to it never complete.
 * QEMU can neither unplug a PCI NIC from under a guest that does not
 * take part in ACPI hot-plug nor stop its e1000 from sending.
 */
#define FAULT_GONE	CN_NETDEV_FAULT_GONE
#define FAULT_TXSTALL	CN_NETDEV_FAULT_TXSTALL
static const char *fault_param = "";
CN_PARAM_STR(e1000, fault, fault_param,
	     "tests only: gone:N (registers read all ones after N frames "
	     "sent) or txstall:N (the device stops sending after N)");
static unsigned long fault_after;

static inline uint32_t rd(struct e1k *e, unsigned int reg)
{
	if (e->faulty && e->fault == FAULT_GONE)
		return ALL_ONES;
	return *(volatile uint32_t *)(e->regs + reg);
}

static inline void wr(struct e1k *e, unsigned int reg, uint32_t v)
{
	*(volatile uint32_t *)(e->regs + reg) = v;
}

/* After each reaped frame: strikes e1000.fault when its time comes. */
static void fault_check(struct e1k *e)
{
	if (!e->fault || e->faulty || e->nd.stats.tx_packets < fault_after)
		return;
	e->faulty = true;
	if (e->fault == FAULT_TXSTALL)
		wr(e, TCTL, 0);
}

/* A register that reads all ones: the device is gone (or never was). */
static bool check_gone(struct e1k *e)
{
	if (!e->h.gone && rd(e, STATUS) == ALL_ONES)
		cn_netdev_health_gone(&e->nd, &e->h);
	return e->h.gone;
}

static void report(struct e1k *e)
{
	cn_netdev_health_report(&e->nd, &e->h, "e1000", e->pci->name,
				"no interrupt from the device within 1 s of a "
				"test interrupt; polling it every 10 ms instead");
}

/* The device's clear-on-read counters, added to ours and netdev's. */
static void read_counters(struct e1k *e)
{
	uint32_t missed, errors;

	if (check_gone(e))
		return;
	missed = rd(e, MPC);
	errors = rd(e, CRCERRS) + rd(e, ALGNERRC) + rd(e, RXERRC);
	e->hw_missed += missed;
	e->hw_errors += errors;
	e->hw_no_buf += rd(e, RNBC);
	e->hw_rx_good += rd(e, GPRC);
	e->hw_tx_good += rd(e, GPTC);
	e->nd.stats.rx_drops += missed;
	e->nd.stats.rx_errors += errors;
}

static unsigned int tx_reap(struct e1k *e)
{
	unsigned int n = 0;

	while (e->tx_used) {
		unsigned int first = e->tx_head, last = e->tx_last[first];
		unsigned int slots = (last - first + NTX) % NTX + 1;
		struct cn_netbuf *nb;

		if (!(__atomic_load_n(&e->tx[last].status, __ATOMIC_ACQUIRE) &
		      TXS_DD))
			break;
		nb = e->tx_nb[last];
		e->tx_nb[last] = NULL;
		e->nd.stats.tx_packets++;
		e->nd.stats.tx_bytes += cn_netbuf_frame_len(nb);
		cn_netbuf_free(nb);
		e->tx_head = (last + 1) % NTX;
		e->tx_used -= slots;
		n++;
		if (e->fault)
			fault_check(e);
	}
	return n;
}

/*
 * A TCP/IPv4 GSO frame (netdev.h: IP length over the whole frame, TCP
 * field holding the pseudo-header sum with the whole TCP length) made
 * into what the 82540EM's segmentation wants: a zero IP checksum (the
 * device sums each segment's header, IXSM) and the pseudo-header sum
 * without the length (the device adds each segment's). Fills the TSE
 * context descriptor d; false when the headers do not fit its fields.
 */
static bool tso_prepare(struct cn_netbuf *nb, struct tx_desc *d)
{
	unsigned int ipcss = CN_ETH_HLEN, tucss = nb->csum_start;
	unsigned int total = (unsigned int)cn_netbuf_frame_len(nb);
	unsigned int tcplen = total - tucss;
	uint8_t *ip = nb->data + ipcss, *field;
	uint32_t sum;

	if (nb->data[12] != 0x08 || nb->data[13] != 0x00 ||
	    (ip[0] >> 4) != 4 || ipcss + (ip[0] & 0xf) * 4u != tucss ||
	    nb->csum_offset != 16 || tucss + 20 > nb->gso_hdr_len ||
	    nb->gso_hdr_len > 0xff || nb->len < nb->gso_hdr_len)
		return false;
	ip[10] = ip[11] = 0;
	field = nb->data + tucss + 16;
	sum = (uint32_t)(field[0] << 8 | field[1]) + (~tcplen & 0xffff);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	field[0] = (uint8_t)(sum >> 8);
	field[1] = (uint8_t)sum;
	/* IPCSS, IPCSO, IPCSE; TUCSS, TUCSO, TUCSE 0 (to the end) */
	d->addr = (uint64_t)ipcss | (uint64_t)(ipcss + 10) << 8 |
		  (uint64_t)(tucss - 1) << 16 | (uint64_t)tucss << 32 |
		  (uint64_t)(tucss + 16) << 40;
	d->lower = (total - nb->gso_hdr_len) | TXD_DEXT | TXD_TSE |
		   TXD_TUCMD_IP | TXD_TUCMD_TCP;
	d->status = 0;
	d->popts = (uint8_t)nb->gso_hdr_len;
	d->special = nb->gso_size;
	return true;
}

/* Tells the device about the descriptors queued since the last time. */
static void tx_doorbell(struct e1k *e)
{
	if (!e->tx_pending)
		return;
	e->tx_pending = 0;
	e->tx_doorbells++;
	cn_arch_wmb();			/* descriptors before the tail */
	wr(e, TDT, e->tx_tail);
}

static int e1k_xmit(struct cn_netdev *nd, unsigned int q,
		    struct cn_netbuf *nb)
{
	struct e1k *e = nd->priv;
	bool csum = (nb->flags & CN_NETBUF_F_CSUM_PARTIAL) &&
		    (nd->features & CN_NETDEV_F_TX_CSUM);
	bool tso = nb->gso_type == CN_NETBUF_GSO_TCPV4;
	bool ctx = tso || (csum && (e->ctx_start != nb->csum_start ||
				    e->ctx_off != nb->csum_offset));
	unsigned int need, slot, first, last = 0;
	unsigned long flags;
	struct cn_netbuf *f;

	(void)q;
	if (csum && (unsigned int)nb->csum_start + nb->csum_offset + 2 >
	    nb->len)
		return -EINVAL;
	if (tso && !csum)
		return -EINVAL;
	if (!tso && csum && nb->csum_start + nb->csum_offset > 0xff) {
		/* deep IPv6 extension headers: past the 8-bit context fields */
		cn_netbuf_csum_finish(nb);
		csum = ctx = false;
	}
	need = ctx;
	for (f = nb; f; f = f->frag)
		need += f->len ? 1 : 0;
	flags = cn_big_lock();
	if (e->h.gone) {
		cn_big_unlock(flags);
		return -ENETDOWN;
	}
	tx_reap(e);
	if (e->tx_used + need > NTX - 1) {
		/* Full: the next completion wakes the poller; frames held
		 * for a doorbell must go, or none would ever complete. */
		tx_doorbell(e);
		e->tx_waiting = true;
		if (e->armed)
			wr(e, IMS, ICR_TXDW);
		cn_big_unlock(flags);
		return -EAGAIN;
	}
	first = slot = e->tx_tail;
	if (tso) {
		if (!tso_prepare(nb, &e->tx[slot])) {
			cn_big_unlock(flags);
			return -EINVAL;
		}
		e->ctx_start = e->ctx_off = -1;	/* replaced by this one */
		slot = (slot + 1) % NTX;
	} else if (ctx) {
		struct tx_desc *d = &e->tx[slot];
		unsigned int cso = nb->csum_start + nb->csum_offset;

		/* TUCSS, TUCSO, TUCSE 0 (to the end); no IP checksum */
		d->addr = (uint64_t)nb->csum_start << 32 |
			  (uint64_t)(cso & 0xff) << 40;
		d->lower = TXD_DEXT;
		d->status = 0;
		d->popts = 0;
		d->special = 0;
		e->ctx_start = nb->csum_start;
		e->ctx_off = nb->csum_offset;
		slot = (slot + 1) % NTX;
	}
	for (f = nb; f; f = f->frag) {
		struct tx_desc *d;

		if (!f->len)
			continue;
		d = &e->tx[slot];
		d->addr = (uintptr_t)f->data;
		d->lower = f->len | TXD_DTYP_D | TXD_DEXT | TXD_IFCS |
			   (tso ? TXD_TSE : 0);
		d->status = 0;
		d->popts = tso ? TXD_POPTS_TXSM | TXD_POPTS_IXSM :
			   csum ? TXD_POPTS_TXSM : 0;
		d->special = 0;
		last = slot;
		slot = (slot + 1) % NTX;
	}
	e->tx[last].lower |= TXD_EOP | TXD_RS;
	e->tx_nb[last] = nb;
	e->tx_last[first] = (uint16_t)last;
	e->tx_used += need;
	e->tx_tail = slot;
	e->tx_pending += need;
	if (!(nb->flags & CN_NETBUF_F_TX_MORE) || !tx_batch_param ||
	    e->tx_pending >= NTX / 4)
		tx_doorbell(e);
	cn_big_unlock(flags);
	return 0;
}

static void e1k_tx_flush(struct cn_netdev *nd, unsigned int q)
{
	struct e1k *e = nd->priv;
	unsigned long flags = cn_big_lock();

	(void)q;
	if (!e->h.gone)
		tx_doorbell(e);
	cn_big_unlock(flags);
}

/* Puts a fresh buffer in RX slot i; false when memory ran out. */
static bool rx_post(struct e1k *e, unsigned int i)
{
	struct cn_netbuf *nb = cn_netbuf_alloc(RX_BUF);

	if (!nb)
		return false;
	e->rx_nb[i] = nb;
	e->rx[i].addr = (uintptr_t)nb->data;
	return true;
}

/* A complete frame (nb, fragments chained) with its last status. */
static struct cn_netbuf *rx_finish(struct e1k *e, struct cn_netbuf *nb,
				   const struct rx_desc *d)
{
	size_t total = cn_netbuf_frame_len(nb);

	if (e->rx_frag_bad || total < CN_ETH_HLEN || total > MAX_FRAME) {
		e->nd.stats.rx_errors++;
		cn_netbuf_free(nb);
		return NULL;
	}
	if (e->rx_csum && !(d->status & RXS_IXSM) &&
	    (d->status & RXS_TCPCS) && !(d->errors & (RXE_TCPE | RXE_IPE)))
		nb->flags |= CN_NETBUF_F_CSUM_VALID;
	return nb;
}

static int e1k_poll(struct cn_netdev *nd, unsigned int q, unsigned int budget)
{
	struct e1k *e = nd->priv;
	unsigned int n = 0, reaped, posted = 0;
	unsigned long flags;

	(void)q;
	flags = cn_big_lock();
	report(e);
	if (e->h.gone) {
		cn_big_unlock(flags);
		return 0;
	}
	reaped = tx_reap(e);
	tx_doorbell(e);			/* held frames: at the latest now */
	while (n < budget) {
		unsigned int i = e->rx_next;
		struct rx_desc *d = &e->rx[i];
		struct rx_desc copy;
		struct cn_netbuf *nb;

		if (!(__atomic_load_n(&d->status, __ATOMIC_ACQUIRE) & RXS_DD))
			break;
		copy = *d;
		nb = e->rx_nb[i];
		if (!rx_post(e, i)) {
			/* No memory: the frame is dropped, its buffer reused. */
			nd->stats.rx_drops++;
			nb = NULL;
		} else if (copy.len > RX_BUF) {
			e->rx_frag_bad = true;
			nb->len = 0;
		} else {
			nb->len = copy.len;
		}
		d->status = 0;
		e->rx_next = (i + 1) % e->nrx;
		posted++;
		if (!nb) {
			e->rx_frag_bad = true;
		} else if (!e->rx_frag) {
			e->rx_frag = nb;
			e->rx_frag_tail = &nb->frag;
		} else {
			*e->rx_frag_tail = nb;
			e->rx_frag_tail = &nb->frag;
		}
		if (copy.errors & RXE_FRAME)
			e->rx_frag_bad = true;
		if (!(copy.status & RXS_EOP))
			continue;
		nb = e->rx_frag;
		e->rx_frag = NULL;
		if (nb)
			nb = rx_finish(e, nb, &copy);
		else
			nd->stats.rx_errors += !e->rx_frag_bad;
		e->rx_frag_bad = false;
		if (!nb)
			continue;
		n++;
		cn_big_unlock(flags);
		cn_netdev_rx(nd, 0, nb);
		flags = cn_big_lock();
	}
	if (posted) {			/* one RDT write for the batch */
		cn_arch_wmb();
		wr(e, RDT, (e->rx_next + e->nrx - 1) % e->nrx);
		e->rx_doorbells++;
	}
	/* An idle pass (the 1 s watchdog): the device's counters. */
	if (!n && !reaped)
		read_counters(e);
	cn_netdev_health_tx(&e->nd, &e->h, e->tx_used != 0, reaped != 0,
			    cn_time_ns(), "e1000", e->pci->name);
	cn_big_unlock(flags);
	return (int)n;
}

static void e1k_irq(void *arg);

static void poll_timer(struct cn_timer *t)
{
	struct e1k *e = t->arg;

	if (e->h.gone)
		return;			/* given up: nothing to test or poll */
	if (e->irq_test == 1) {
		e->irq_test = 2;
		if (!e->irqs)
			e->h.polled = true;
	}
	if (!e->h.polled)
		return;
	/* What the interrupt would have done (link changes included). */
	e1k_irq(e);
	if (e->armed || e->tx_waiting || e->h.link_changed) {
		e->armed = false;
		cn_netdev_notify(&e->nd, 0);
	}
	cn_timer_start(t, cn_time_ns() + POLL_NS, poll_timer);
}

static bool e1k_irq_enable(struct cn_netdev *nd, unsigned int q)
{
	struct e1k *e = nd->priv;
	unsigned long flags = cn_big_lock();
	bool quiet;

	(void)q;
	if (e->h.gone) {
		cn_big_unlock(flags);
		return true;		/* nothing will come: sleep */
	}
	tx_doorbell(e);
	if (!e->irq_test) {
		/* The first time: does the device's interrupt reach us? */
		e->irq_test = 1;
		wr(e, ICS, ICR_LSC);
		cn_timer_start(&e->timer, cn_time_ns() + IRQ_TEST_NS,
			       poll_timer);
	}
	e->armed = true;
	wr(e, IMS, ICR_RX | (e->tx_waiting ? ICR_TXDW : 0));
	quiet = !(e->rx[e->rx_next].status & RXS_DD) && !e->h.link_changed &&
		!(e->h.polled && !e->h.polled_reported);
	if (e->tx_waiting && e->tx_used &&
	    (e->tx[e->tx_last[e->tx_head]].status & TXS_DD))
		quiet = false;
	if (!quiet) {
		e->armed = false;
		wr(e, IMC, ICR_RX | ICR_TXDW);
	}
	cn_big_unlock(flags);
	return quiet;
}

static void e1k_irq_disable(struct cn_netdev *nd, unsigned int q)
{
	struct e1k *e = nd->priv;
	unsigned long flags = cn_big_lock();

	(void)q;
	e->armed = false;
	if (!e->h.gone)
		wr(e, IMC, ICR_RX | ICR_TXDW);
	cn_big_unlock(flags);
}

static const struct cn_netdev_ops e1k_ops = {
	.xmit = e1k_xmit,
	.poll = e1k_poll,
	.irq_enable = e1k_irq_enable,
	.irq_disable = e1k_irq_disable,
	.tx_flush = e1k_tx_flush,
};

/* Interrupt context: reading ICR acknowledges every cause. */
static void e1k_irq(void *arg)
{
	struct e1k *e = arg;
	uint32_t icr;

	if (e->h.gone)
		return;
	icr = rd(e, ICR);
	e->icr_reads++;
	if (!icr)
		return;			/* another device on the line */
	if (icr == ALL_ONES) {
		cn_netdev_health_gone(&e->nd, &e->h);
		cn_netdev_notify(&e->nd, 0);
		return;
	}
	e->irqs++;
	if (icr & ICR_LSC)
		cn_netdev_health_link(&e->nd, &e->h,
				      rd(e, STATUS) & STATUS_LU);
	if (icr & ICR_TXDW)
		e->tx_waiting = false;
	if ((icr & (ICR_RX | ICR_TXDW)) && e->armed) {
		e->armed = false;
		wr(e, IMC, ICR_RX | ICR_TXDW);
		cn_netdev_notify(&e->nd, 0);
	}
}

/* Word addr of the EEPROM, or -1 when the read does not complete. */
static int eeprom_read(struct e1k *e, unsigned int addr)
{
	uint64_t end = cn_time_ns() + 10000000ull;
	uint32_t v;

	wr(e, EERD, EERD_START | addr << EERD_ADDR_SHIFT);
	do {
		v = rd(e, EERD);
		if (v == ALL_ONES)
			return -1;
		if (v & EERD_DONE)
			return (int)(v >> 16);
	} while (cn_time_ns() < end);
	return -1;
}

static void read_mac(struct e1k *e)
{
	uint32_t ral, rah;
	int w[3], i;

	for (i = 0; i < 3; i++)
		if ((w[i] = eeprom_read(e, (unsigned int)i)) < 0)
			break;
	if (i == 3) {
		for (i = 0; i < 3; i++) {
			e->nd.mac[2 * i] = (uint8_t)w[i];
			e->nd.mac[2 * i + 1] = (uint8_t)(w[i] >> 8);
		}
	} else {
		ral = rd(e, RAL0);
		rah = rd(e, RAH0);
		memcpy(e->nd.mac, &ral, 4);
		e->nd.mac[4] = (uint8_t)rah;
		e->nd.mac[5] = (uint8_t)(rah >> 8);
		cn_pr_warn("EEPROM unreadable: MAC from the receive address "
			   "register");
	}
	if (!(e->nd.mac[0] | e->nd.mac[1] | e->nd.mac[2] | e->nd.mac[3] |
	      e->nd.mac[4] | e->nd.mac[5]) || (e->nd.mac[0] & 1)) {
		static const uint8_t dflt[] = { 0x02, 0xca, 0x1e, 0, 0, 2 };

		cn_pr_warn("no valid MAC on the device: using a locally "
			   "administered one");
		memcpy(e->nd.mac, dflt, sizeof(dflt));
	}
}

/* Resets the chip; false when it does not come back (bounded wait). */
static bool chip_reset(struct e1k *e)
{
	uint64_t end;
	uint32_t v;

	wr(e, IMC, ALL_ONES);
	wr(e, RCTL, 0);
	wr(e, TCTL, 0);
	wr(e, CTRL, rd(e, CTRL) | CTRL_RST);
	end = cn_time_ns() + 20000000ull;
	do {
		v = rd(e, CTRL);
		if (v == ALL_ONES)
			return false;
		if (!(v & CTRL_RST))
			break;
	} while (cn_time_ns() < end);
	if (v & CTRL_RST)
		return false;
	wr(e, IMC, ALL_ONES);
	(void)rd(e, ICR);
	return true;
}

/*
 * ITR counts the least interval between interrupts in 256 ns units; the
 * 82540EM (and QEMU's model of it) will not go below 500 (7813 per s).
 */
static uint32_t itr_reg(void)
{
	uint64_t v;

	if (itr_param <= 0)
		return 0;
	v = 1000000000ull / ((uint64_t)itr_param * 256);
	return v < 1 ? 1 : v > 0xffff ? 0xffff : (uint32_t)v;
}

int cn_e1000_counters(unsigned int i, struct cn_e1000_counters *c)
{
	struct e1k *e;
	unsigned long flags;

	if (i >= nr_devs)
		return -ENODEV;
	e = devs[i];
	flags = cn_big_lock();
	c->nd = &e->nd;
	c->tx_doorbells = e->tx_doorbells;
	c->rx_doorbells = e->rx_doorbells;
	c->irqs = e->irqs;
	c->icr_reads = e->icr_reads;
	c->itr = itr_param > 0 ? itr_param : 0;
	c->itr_reg = e->h.gone ? 0 : rd(e, ITR);	/* what the device took */
	c->tx_batch = tx_batch_param;
	cn_big_unlock(flags);
	return 0;
}

static int e1k_probe(struct cn_pci_dev *pci)
{
	struct e1k *e;
	char mac[18];
	unsigned int i;
	uint32_t st;
	int vec, rc;
	const char *irq = "INTx";

	cn_pci_enable(pci);
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->pci = pci;
	e->fault = cn_netdev_fault_parse(fault_param, &fault_after);
	if (e->fault < 0) {
		cn_pr_err("e1000 at %s: e1000.fault=%s: expected gone:N or "
			  "txstall:N; ignored", pci->name, fault_param);
		e->fault = 0;
	}
	e->regs = cn_pci_bar_map(pci, 0);
	if (!e->regs) {
		cn_pr_err("e1000 at %s: BAR 0 is not a mapped memory BAR",
			  pci->name);
		free(e);
		return -ENODEV;
	}
	st = rd(e, STATUS);
	if (st == ALL_ONES || !chip_reset(e)) {
		cn_pr_err("e1000 at %s: %s; giving up on it", pci->name,
			  st == ALL_ONES ? "registers read all ones (no "
			  "device behind the BAR)" : "reset did not complete "
			  "within 20 ms");
		free(e);
		return -EIO;
	}
	e->rx = aligned_alloc(4096, NRX * sizeof(struct rx_desc));
	e->tx = aligned_alloc(4096, NTX * sizeof(struct tx_desc));
	if (!e->rx || !e->tx)
		goto nomem;
	memset(e->rx, 0, NRX * sizeof(struct rx_desc));
	memset(e->tx, 0, NTX * sizeof(struct tx_desc));
	/* RDLEN counts in 128 bytes: 8 descriptors */
	e->nrx = cn_netdev_rx_bufs(NRX, RX_BUF) & ~7u;
	for (i = 0; i < e->nrx; i++)
		if (!rx_post(e, i))
			goto nomem;
	read_mac(e);
	wr(e, CTRL, (rd(e, CTRL) | CTRL_SLU | CTRL_ASDE) &
	   ~(CTRL_LRST | CTRL_ILOS | CTRL_VME | CTRL_PHY_RST));
	wr(e, RAL0, (uint32_t)e->nd.mac[0] | (uint32_t)e->nd.mac[1] << 8 |
	   (uint32_t)e->nd.mac[2] << 16 | (uint32_t)e->nd.mac[3] << 24);
	wr(e, RAH0, (uint32_t)e->nd.mac[4] | (uint32_t)e->nd.mac[5] << 8 |
	   RAH_AV);
	for (i = 0; i < 128; i++)
		wr(e, MTA + 4 * i, 0);
	e->ctx_start = e->ctx_off = -1;
	e->rx_csum = rx_csum_param;
	wr(e, RXCSUM, e->rx_csum ? RXCSUM_IPOFL | RXCSUM_TUOFL : 0);
	wr(e, RDBAL, (uint32_t)(uintptr_t)e->rx);
	wr(e, RDBAH, (uint32_t)((uint64_t)(uintptr_t)e->rx >> 32));
	wr(e, RDLEN, e->nrx * sizeof(struct rx_desc));
	wr(e, RDH, 0);
	wr(e, RDT, e->nrx - 1);
	wr(e, RDTR, 0);
	wr(e, ITR, itr_reg());
	wr(e, TDBAL, (uint32_t)(uintptr_t)e->tx);
	wr(e, TDBAH, (uint32_t)((uint64_t)(uintptr_t)e->tx >> 32));
	wr(e, TDLEN, NTX * sizeof(struct tx_desc));
	wr(e, TDH, 0);
	wr(e, TDT, 0);
	wr(e, TIDV, 0);
	wr(e, TIPG, TIPG_DEFAULT);
	wr(e, TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
	wr(e, RCTL, RCTL_EN | RCTL_BAM | RCTL_MPE | RCTL_SECRC);

	e->nd.mtu = 1500;
	e->nd.features = (csum_param ? CN_NETDEV_F_TX_CSUM : 0) |
			 (csum_param && tso_param ? CN_NETDEV_F_TSO4 : 0) |
			 (e->rx_csum ? CN_NETDEV_F_RX_CSUM : 0);
	e->nd.tx_headroom = 0;
	e->nd.nr_rx_queues = e->nd.nr_tx_queues = 1;
	e->nd.driver = "e1000";
	e->nd.bus = pci->name;
	e->nd.ops = &e1k_ops;
	e->nd.priv = e;
	e->nd.link_up = rd(e, STATUS) & STATUS_LU;
	e->timer.arg = e;
	if (check_gone(e)) {
		cn_pr_err("e1000 at %s: registers read all ones after set-up; "
			  "giving up on it", pci->name);
		return -EIO;
	}

	vec = cn_arch_irq_alloc_vector();
	if (vec < 0)
		return vec;
	rc = cn_arch_irq_register((unsigned int)vec, e1k_irq, e);
	if (rc)
		return rc;
	if (!intx_param || cn_pci_intx_route(pci, (unsigned int)vec)) {
		irq = intx_param ? "no interrupt line: polled" :
				   "e1000.intx=0: interrupt line unused";
		if (intx_param)
			e->h.polled = e->h.polled_reported = true;
	}
	rc = cn_netdev_register(&e->nd);
	if (rc)
		return rc;
	if (nr_devs < MAX_DEVS)
		devs[nr_devs++] = e;
	wr(e, IMS, ICR_LSC);
	if (e->h.polled)
		cn_timer_start(&e->timer, cn_time_ns() + POLL_NS, poll_timer);
	cn_pr_info("%s: e1000 at %s (%s), MAC %s, MTU %u, link %s, rings "
		   "%u+%u, offloads%s%s%s", e->nd.name, pci->name, irq,
		   cn_netdev_mac_str(e->nd.mac, mac), e->nd.mtu,
		   e->nd.link_up ? "up" : "down", e->nrx, NTX,
		   csum_param ? " tx_csum" : "",
		   csum_param && tso_param ? " tso4" : "",
		   e->rx_csum ? " rx_csum" : (csum_param ? "" : " none"));
	return 0;
nomem:
	for (i = 0; i < NRX; i++)
		cn_netbuf_free(e->rx_nb[i]);
	free(e->rx);
	free(e->tx);
	free(e);
	return -ENOMEM;
}

static const struct cn_pci_id e1k_ids[] = {
	{ 0x8086, 0x100e },		/* 82540EM */
	{ 0, 0 }
};

CN_PCI_DRIVER(e1000) = {
	.name = "e1000",
	.ids = e1k_ids,
	.probe = e1k_probe,
};
