/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's hook on every TCP segment that meets a connection or a listener
 * (LWIP_HOOK_TCP_INPACKET_PCB in lwipopts.h), called from tcp_input()
 * under the core lock once the header is in host byte order. It counts
 * what lwIP does not (cn_lwip_seen, read by stats.c): SYNs that a full
 * listen backlog drops without a trace, duplicate ACKs, segments that
 * arrive ahead of a hole, SYNs a client sent again before our SYN-ACK
 * reached it; and it lets a new connection take over the
 * addresses of one in TIME_WAIT.
 *
 * TIME_WAIT: a client that opens and closes many connections reuses its
 * ports, and its SYN can meet our TIME_WAIT connection of the same four
 * addresses. lwIP (tcp_timewait_input) answers such a SYN with an ACK,
 * or with a RST when it falls in the old window: the client either
 * waits for its own SYN timer (1 s, then 3 s: the tail of Connection:
 * close benchmarks) or sees the connection refused. Linux, as RFC 1122
 * 4.2.2.13 allows, starts the new connection when the SYN's sequence
 * number lies beyond everything the old one received (its clients and
 * QEMU's user network pick growing initial sequence numbers for the
 * same addresses precisely so that this holds). We do the same: end the
 * TIME_WAIT connection and hand the SYN to tcp_input() again, which now
 * finds the listener. A SYN that does not qualify keeps lwIP's answer
 * and is counted (tcp_syn_timewait).
 *
 * ACK batching (net.ack_batch, LIB_LWIP_ACK_BATCH): lwIP acknowledges
 * every second in-order segment at once (tcp_ack(): TF_ACK_DELAY set
 * means "one is waiting", so the next one sends). While the receive
 * thread takes in a poll's frames, the hook clears TF_ACK_DELAY of a
 * connection that has it before an in-order data segment, so tcp_ack()
 * only sets it again and nothing goes out; the connection is remembered
 * (only then: a poll of one segment leaves lwIP's rule alone), and
 * cn_lwip_ack_flush() at the end of the poll acknowledges everything it
 * received with one ACK (tcp_ack_now), as Linux does after GRO merged a
 * poll's segments. A segment is held only while the sender can still
 * send half a window past it (so holding never stalls it) and only for
 * HELD_MAX connections a poll; out-of-order data, FIN, and segments
 * that come outside a poll keep lwIP's own rules (which ACK at once or
 * within the delayed-ACK timer's 250 ms anyway).
 */
#include <stdbool.h>
#include <cairn/param.h>
#include "lwip/ip.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip_priv.h"

#define HELD_MAX	8

#ifdef CONFIG_LIB_LWIP_ACK_BATCH
static bool ack_batch = true;
#else
static bool ack_batch;
#endif
CN_PARAM_BOOL(net, ack_batch, ack_batch,
	      "acknowledge the in-order TCP data of one receive poll with "
	      "one ACK at its end (0: lwIP's every second segment)");

static struct tcp_pcb *held[HELD_MAX];	/* ACKs owed at the poll's end */
static unsigned int nr_held;
uint64_t cn_lwip_acks_held;

static bool held_already(const struct tcp_pcb *pcb)
{
	unsigned int i;

	for (i = 0; i < nr_held; i++)
		if (held[i] == pcb)
			return true;
	return false;
}

/*
 * Before lwIP takes in an in-order data segment during a poll: keep
 * tcp_ack() from sending, if the sender keeps half a window to send
 * into after it.
 */
static void hold_ack(struct tcp_pcb *pcb, const struct tcp_hdr *hdr,
		     const struct pbuf *p)
{
	s32_t left = (s32_t)(pcb->rcv_ann_right_edge - hdr->seqno -
			     p->tot_len);

	if (!ack_batch || !cn_lwip_rx_polling() || pcb->state != ESTABLISHED ||
	    !p->tot_len || hdr->seqno != pcb->rcv_nxt ||
	    (TCPH_FLAGS(hdr) & (TCP_SYN | TCP_FIN | TCP_RST)) ||
	    (pcb->flags & TF_ACK_NOW) || pcb->ooseq ||
	    left < (s32_t)(TCP_WND_MAX(pcb) / 2))
		return;
	if (!(pcb->flags & TF_ACK_DELAY))	/* lwIP would not send yet */
		return;
	if (!held_already(pcb)) {
		if (nr_held == HELD_MAX)
			return;
		held[nr_held++] = pcb;
	}
	tcp_clear_flags(pcb, TF_ACK_DELAY);	/* tcp_ack() sets it again */
	cn_lwip_acks_held++;
}

void cn_lwip_ack_flush(void)
{
	struct tcp_pcb *pcb;
	unsigned int i;

	for (i = 0; i < nr_held; i++) {
		/* Still a connection (not freed by the poll's frames)? */
		for (pcb = tcp_active_pcbs; pcb && pcb != held[i];
		     pcb = pcb->next)
			;
		if (pcb && (pcb->flags & TF_ACK_DELAY)) {
			tcp_ack_now(pcb);
			tcp_output(pcb);
		}
	}
	nr_held = 0;
}

/* A duplicate ACK, as fast retransmit (RFC 5681) counts one. */
static bool dupack(const struct tcp_pcb *pcb, const struct tcp_hdr *hdr,
		   const struct pbuf *p)
{
	return (TCPH_FLAGS(hdr) & (TCP_ACK | TCP_SYN | TCP_FIN | TCP_RST)) ==
	       TCP_ACK && p->tot_len == 0 && hdr->ackno == pcb->lastack &&
	       pcb->snd_nxt != pcb->lastack;
}

/*
 * Ends the TIME_WAIT pcb and gives the SYN (p, its header hdrlen bytes
 * in front of p->payload) to tcp_input() again. False when the segment
 * cannot be restored as it came (options split over two pbufs): lwIP's
 * own answer then stands.
 */
static bool reuse_timewait(struct tcp_pcb *pcb, struct tcp_hdr *hdr,
			   u16_t hdrlen, const u8_t *opt2, struct pbuf *p)
{
	/* Forced: a frame's custom pbuf (netif.c) refuses headers, but
	 * these are the bytes tcp_input() just removed. */
	if (opt2 || pbuf_add_header_force(p, hdrlen) || p->payload != hdr)
		return false;
	/* Back to network order: tcp_input() converts it again. */
	hdr->src = lwip_htons(hdr->src);
	hdr->dest = lwip_htons(hdr->dest);
	hdr->seqno = lwip_htonl(hdr->seqno);
	hdr->ackno = lwip_htonl(hdr->ackno);
	hdr->wnd = lwip_htons(hdr->wnd);
	tcp_abort(pcb);			/* TIME_WAIT: freed, nothing sent */
	cn_lwip_seen.timewait_reused++;
	/* The caller frees p when the hook refuses it: keep our own ref. */
	pbuf_ref(p);
	tcp_input(p, ip_current_input_netif());
	return true;
}

int cn_lwip_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr,
			 u16_t optlen, const u8_t *opt2, struct pbuf *p)
{
	u8_t flags = TCPH_FLAGS(hdr);
	bool syn = (flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN;

	if (pcb->state == LISTEN) {
#if TCP_LISTEN_BACKLOG
		const struct tcp_pcb_listen *l = (const void *)pcb;

		if (syn && l->accepts_pending >= l->backlog)
			cn_lwip_seen.syn_backlog_drops++;
#endif
	} else if (pcb->state == TIME_WAIT) {
		if (!syn)
			return ERR_OK;
		if (TCP_SEQ_GT(hdr->seqno, pcb->rcv_nxt) &&
		    reuse_timewait(pcb, hdr, (u16_t)(TCP_HLEN + optlen), opt2,
				   p))
			return ERR_ABRT;	/* p handled: drop this one */
		cn_lwip_seen.syn_timewait++;
	} else if (pcb->state == SYN_RCVD) {
		/* The client's SYN again: our SYN-ACK is late (or lost), and
		 * lwIP sends it again (counted among retransmissions). */
		if (syn && hdr->seqno == pcb->rcv_nxt - 1)
			cn_lwip_seen.syn_dups++;
	} else if (pcb->state >= ESTABLISHED) {
		if (dupack(pcb, hdr, p))
			cn_lwip_seen.dupacks++;
		if (p->tot_len && TCP_SEQ_GT(hdr->seqno, pcb->rcv_nxt))
			cn_lwip_seen.ooseq++;
		hold_ack(pcb, hdr, p);
	}
	return ERR_OK;
}
