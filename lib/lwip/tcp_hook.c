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
 */
#include <stdbool.h>
#include "lwip/ip.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip_priv.h"

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
	}
	return ERR_OK;
}
