/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the TCP/IP stack did since boot, as counts that do not depend on
 * how fast the host runs the guest: a benchmark or a test reads them
 * before and after a load and looks at the difference. Every counter
 * only grows (64 bits; lwIP's own 32-bit ones wrap after 4 G events);
 * the gauges at the end say what exists at the time of the read.
 */
#ifndef CAIRN_LWIP_STATS_H
#define CAIRN_LWIP_STATS_H

#include <stdint.h>

struct cn_lwip_stats {
	/* TCP */
	uint64_t tcp_in_segs;		/* segments received */
	uint64_t tcp_out_segs;		/* segments sent (not retransmissions) */
	uint64_t tcp_retrans;		/* segments sent again (timer or fast) */
	uint64_t tcp_syn_dups;		/* SYNs sent again by a client: each got
					 * our SYN-ACK again (in tcp_retrans) */
	uint64_t tcp_dupacks;		/* duplicate ACKs received */
	uint64_t tcp_ooseq;		/* segments ahead of the next expected */
	uint64_t tcp_passive_opens;	/* connections accepted by a listener */
	uint64_t tcp_syn_backlog_drops;	/* SYNs dropped: listen backlog full */
	uint64_t tcp_syn_timewait;	/* SYNs refused by a TIME_WAIT connection */
	uint64_t tcp_timewait_reused;	/* SYNs that ended a TIME_WAIT early */
	uint64_t tcp_drops;		/* segments dropped (no connection, bad) */
	uint64_t tcp_mem_errors;	/* no memory: PCB, segment or pbuf */
	uint64_t tcp_resets_sent;	/* RSTs sent */
	uint64_t tcp_acks_held;		/* ACKs merged into one at the end of a
					 * receive poll (net.ack_batch) */
	/* Memory of lwIP's pools (PCBs, segments, pbufs, messages) */
	uint64_t memp_errors;		/* allocations refused, all pools */
	/* The interface (lib/netdev's counters of the first device) */
	uint64_t rx_drops, tx_drops;	/* frames lost: no buffer, full ring */
	uint64_t rx_missed_wakeups;	/* frames only the 1 s watchdog found */
	uint64_t tx_missed_wakeups;	/* refused frames it had to retry */
	/* Gauges: what is there now, not a count since boot */
	uint32_t tcp_timewait_now;	/* connections in TIME_WAIT (they hold
					 * a PCB until 2 * TCP_MSL is over) */
	uint32_t tcp_active_now;	/* connections in any other state but
					 * LISTEN and CLOSED */
};

/*
 * Fills *st with the counters since boot (zeros where the image has no
 * TCP or no interface). May be called from any thread; never blocks
 * longer than lwIP's core lock is held.
 */
void cn_lwip_stats_read(struct cn_lwip_stats *st);

#endif
