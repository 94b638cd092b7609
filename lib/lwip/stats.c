/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The stack's counters (<cairn/lwip_stats.h>): lwIP's own (its MIB-II
 * TCP counters, TCP errors, pool failures), the interface's, and the
 * ones lwIP does not keep, which tcp_hook.c counts (cn_lwip_seen). All
 * are written under the core lock, which this takes to read them.
 */
#include <string.h>
#include <cairn/lwip_stats.h>
#include "lwip/memp.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip_priv.h"

struct cn_lwip_seen cn_lwip_seen;

static uint64_t memp_errors(void)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < MEMP_MAX; i++)
		if (lwip_stats.memp[i])
			n += lwip_stats.memp[i]->err;
	return n;
}

#if LWIP_TCP
/* PCBs on one of lwIP's lists now; the caller holds the core lock. */
static uint32_t pcbs_on(const struct tcp_pcb *pcb)
{
	uint32_t n = 0;

	for (; pcb; pcb = pcb->next)
		n++;
	return n;
}
#endif

void cn_lwip_stats_read(struct cn_lwip_stats *st)
{
	const struct cn_lwip_if *li = cn_lwip_if0();

	memset(st, 0, sizeof(*st));
	LOCK_TCPIP_CORE();
#if LWIP_TCP
	st->tcp_in_segs = lwip_stats.mib2.tcpinsegs;
	st->tcp_out_segs = lwip_stats.mib2.tcpoutsegs;
	st->tcp_retrans = lwip_stats.mib2.tcpretranssegs;
	st->tcp_passive_opens = lwip_stats.mib2.tcppassiveopens;
	st->tcp_resets_sent = lwip_stats.mib2.tcpoutrsts;
	st->tcp_drops = lwip_stats.tcp.drop;
	st->tcp_mem_errors = lwip_stats.tcp.memerr;
	st->tcp_dupacks = cn_lwip_seen.dupacks;
	st->tcp_ooseq = cn_lwip_seen.ooseq;
	st->tcp_syn_backlog_drops = cn_lwip_seen.syn_backlog_drops;
	st->tcp_syn_timewait = cn_lwip_seen.syn_timewait;
	st->tcp_acks_held = cn_lwip_acks_held;
	st->tcp_timewait_reused = cn_lwip_seen.timewait_reused;
	st->tcp_syn_dups = cn_lwip_seen.syn_dups;
	st->tcp_timewait_now = pcbs_on(tcp_tw_pcbs);
	st->tcp_active_now = pcbs_on(tcp_active_pcbs);
#endif
	st->memp_errors = memp_errors();
	UNLOCK_TCPIP_CORE();
	if (li && li->nd) {
		st->rx_drops = li->nd->stats.rx_drops;
		st->tx_drops = li->nd->stats.tx_drops;
		st->rx_missed_wakeups = li->rx_missed_wakeups;
		st->tx_missed_wakeups = li->tx_missed_wakeups;
	}
}
