/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/lwip. */
#ifndef LWIP_PRIV_H
#define LWIP_PRIV_H

#include <stdbool.h>
#include <sys/socket.h>
#include <cairn/netdev.h>
#include <cairn/sched.h>
#include <cairn/sync.h>
#include "lwip/netif.h"

/* A TCP segment that may join a GSO frame (netif.c). */
struct cn_lwip_gso_seg {
	unsigned int l3;		/* IP header bytes */
	unsigned int hlen;		/* all headers: Ethernet, IP, TCP */
	unsigned int payload;
	uint32_t seq;
	bool v6;
	bool psh;
};

/* TCP segments held to leave as one GSO frame (netif.c). */
struct cn_lwip_gso {
	struct pbuf *p[CN_NETDEV_MAX_GSO_FRAGS - 1];	/* referenced */
	unsigned int n;			/* held segments */
	unsigned int frags;		/* fragments the frame will have */
	unsigned int bytes;		/* payload bytes held */
	struct cn_lwip_gso_seg first;
	uint32_t next_seq;		/* the sequence number that joins */
	unsigned int last_payload;
	bool last_psh;
};

struct cn_lwip_if {
	struct netif netif;
	struct cn_netdev *nd;
	uint64_t tx_copies;		/* frames that could not be lent */
	uint64_t rx_missed_wakeups;	/* frames found only by the watchdog */
	uint64_t tx_missed_wakeups;	/* refusals retried by the watchdog */
	bool tx_refused;		/* a frame met a full ring: retry TCP */
	bool tx_more;			/* taking in a frame: mark what is sent
					 * CN_NETBUF_F_TX_MORE (netif.c) */
	u16_t csum_flags;		/* NETIF_CHECKSUM_*: checks all on */
	bool tso;			/* the device takes GSO frames */
	struct cn_lwip_gso gso;
	struct cn_netbuf *stalled;	/* met a full ring; sent first */
	uint64_t tso_frames;		/* GSO frames sent */
};

/* lwIP's netif init callback for a netdev (state: struct cn_lwip_if). */
err_t cn_lwip_netif_init(struct netif *netif);
/* Starts the receive thread of the interface. */
int cn_lwip_netif_start(struct cn_lwip_if *li);
/* What lwIP does not count (tcp_hook.c; under the core lock). */
struct cn_lwip_seen {
	uint64_t dupacks, ooseq, syn_backlog_drops, syn_timewait;
	uint64_t timewait_reused, syn_dups;
};
extern struct cn_lwip_seen cn_lwip_seen;

/*
 * ACKs held to the end of a receive poll (tcp_hook.c; under the core
 * lock): true while the receive thread takes in a poll's frames
 * (netif.c); cn_lwip_ack_flush() sends what the poll held, before the
 * poll's transmit flush.
 */
bool cn_lwip_rx_polling(void);
void cn_lwip_ack_flush(void);
extern uint64_t cn_lwip_acks_held;	/* ACKs merged into a later one */

/* The interface on the first netdev, or NULL (net.c). */
const struct cn_lwip_if *cn_lwip_if0(void);

/*
 * intr.c / intr_none.c: receives and accepts that a signal interrupts,
 * as on Linux. A blocking socket call of an application thread runs
 * between cn_lwip_intr_begin() and cn_lwip_intr_end(); the mailbox waits
 * lwIP makes in it go through cn_lwip_fetch(), which gives up (-EINTR)
 * once a signal the thread does not block is pending, so lwIP fails the
 * call (ERR_TIMEOUT, nothing consumed). cn_lwip_intr_end() then runs the
 * handlers and says what the call does: CN_LWIP_DONE (not interrupted:
 * lwIP's result stands), CN_LWIP_AGAIN (no handler ran: the signal was
 * ignored), CN_LWIP_RESTART (every handler had SA_RESTART) or -EINTR.
 * Without lib/posix-signal nothing interrupts and the end says DONE.
 */
enum { CN_LWIP_DONE, CN_LWIP_AGAIN, CN_LWIP_RESTART };
void cn_lwip_intr_begin(void);
int cn_lwip_intr_end(void);
/* cn_mbox_fetch() for sys_arch.c: 0, -ETIMEDOUT or -EINTR. */
int cn_lwip_fetch(struct cn_mbox *mb, void **msg, uint64_t deadline);
/*
 * Sends and connects that a signal interrupts (intr.c; without
 * lib/posix-signal these are lwIP's own calls): on a blocking TCP socket
 * they wait in steps that a signal ends, as on Linux. Each new socket
 * goes through cn_lwip_intr_socket() first.
 */
void cn_lwip_intr_socket(int s);
ssize_t cn_lwip_send(int s, const void *buf, size_t len, int flags);
ssize_t cn_lwip_sendto(int s, const void *buf, size_t len, int flags,
		       const struct sockaddr *to, socklen_t tolen);
ssize_t cn_lwip_sendmsg(int s, const struct msghdr *msg, int flags);
int cn_lwip_connect(int s, const struct sockaddr *addr, socklen_t len);

#endif
