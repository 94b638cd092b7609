/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's configuration for Cairn, from the menuconfig choices. lwIP runs
 * with an OS (a tcpip thread on Cairn threads) and the core lock: socket
 * calls take the lock and run in the caller's thread instead of passing
 * a message to the tcpip thread and waiting for the answer.
 */
#ifndef CAIRN_LWIPOPTS_H
#define CAIRN_LWIPOPTS_H

#define NO_SYS				0
#define SYS_LIGHTWEIGHT_PROT		1
#define LWIP_TCPIP_CORE_LOCKING		1
#define LWIP_TCPIP_CORE_LOCKING_INPUT	1
/*
 * Releasing the core lock first sends the TCP segments lib/lwip's netif
 * held to join into one segmentation-offload frame (lib/lwip/netif.c).
 */
#define LOCK_TCPIP_CORE()		sys_mutex_lock(&lock_tcpip_core)
#define UNLOCK_TCPIP_CORE()		cn_lwip_core_unlock()
void cn_lwip_core_unlock(void);
#define TCPIP_THREAD_NAME		"tcpip"
#define TCPIP_THREAD_STACKSIZE		16384
#define TCPIP_THREAD_PRIO		1
#define TCPIP_MBOX_SIZE			256
#define DEFAULT_THREAD_STACKSIZE	16384
#define DEFAULT_RAW_RECVMBOX_SIZE	64
#define DEFAULT_UDP_RECVMBOX_SIZE	256
/*
 * Full-sized segments in a receive window, and some room: a connection's
 * received segments wait in its mailbox until the application reads
 * them, and lwIP drops what arrives after a full mailbox (the sender
 * then waits for its retransmission timer), so the mailbox holds a
 * window of them; so does the pbuf pool of a build without malloc.
 */
#define CN_LWIP_WND_SEGS	((TCP_WND + TCP_MSS - 1) / TCP_MSS + 64)
/* ... and never under 256, the size both had before the window grew */
#define CN_LWIP_WND_SLOTS	\
	(CN_LWIP_WND_SEGS > 256 ? CN_LWIP_WND_SEGS : 256)
#define DEFAULT_TCP_RECVMBOX_SIZE	CN_LWIP_WND_SLOTS
#define DEFAULT_ACCEPTMBOX_SIZE		256	/* >= the largest backlog */
#define LWIP_NETIF_API			1
#define LWIP_NETIF_STATUS_CALLBACK	1
#define LWIP_NETIF_LINK_CALLBACK	1
#define LWIP_NETIF_HOSTNAME		1
#define LWIP_NETIF_TX_SINGLE_PBUF	0	/* chains: sendfile lends file memory */
#define LWIP_SUPPORT_CUSTOM_PBUF	1	/* zero-copy RX from netbufs */

/* Protocols */
#ifdef CONFIG_LIB_LWIP_IPV4
#define LWIP_IPV4			1
#else
#define LWIP_IPV4			0
#endif
#ifdef CONFIG_LIB_LWIP_IPV6
#define LWIP_IPV6			1
#define LWIP_IPV6_AUTOCONFIG		1
#define LWIP_IPV6_DHCP6			0
#define LWIP_ND6_ALLOW_RA_UPDATES	1
/*
 * Reassembly keeps its own record beside each fragment: lwIP's record
 * holds a pointer, which on a 64-bit target does not fit in the 8-byte
 * fragment header it would otherwise overlay (its timer asserted so on
 * every tick).
 */
#define IPV6_FRAG_COPYHEADER		1
#else
#define LWIP_IPV6			0
#endif
#ifdef CONFIG_LIB_LWIP_TCP
#define LWIP_TCP			1
#else
#define LWIP_TCP			0
#endif
#ifdef CONFIG_LIB_LWIP_UDP
#define LWIP_UDP			1
#else
#define LWIP_UDP			0
#endif
#ifdef CONFIG_LIB_LWIP_DHCP
#define LWIP_DHCP			1
#define LWIP_DHCP_DOES_ACD_CHECK	0	/* a lease in one round trip */
#else
#define LWIP_DHCP			0
#endif
#ifdef CONFIG_LIB_LWIP_DNS
#define LWIP_DNS			1
#define DNS_MAX_SERVERS			2
#else
#define LWIP_DNS			0
#endif
#ifdef CONFIG_LIB_LWIP_ICMP
#define LWIP_ICMP			1
#else
#define LWIP_ICMP			0
#endif
#define LWIP_RAW			0
#define LWIP_IGMP			0
#define LWIP_ARP			1
#define ETHARP_SUPPORT_STATIC_ENTRIES	0
#define ARP_QUEUEING			1
#define IP_REASSEMBLY			1
#define IP_FRAG				1

/* Memory */
#define MEM_ALIGNMENT			8
#ifdef CONFIG_LIB_LWIP_MEM_MALLOC
#define MEM_LIBC_MALLOC			1
#define MEMP_MEM_MALLOC			1
#else
#define MEM_SIZE			(CONFIG_LIB_LWIP_HEAP_KB * 1024)
#endif
#define PBUF_POOL_SIZE			CN_LWIP_WND_SLOTS
/* Room for a driver's header in front of every frame (virtio-net: 12). */
#define PBUF_LINK_ENCAPSULATION_HLEN	16
#define PBUF_POOL_BUFSIZE		1536
#ifdef CONFIG_LIB_LWIP_TCP
#define MEMP_NUM_TCP_PCB		CONFIG_LIB_LWIP_TCP_PCBS
#define MEMP_NUM_TCP_PCB_LISTEN		CONFIG_LIB_LWIP_TCP_LISTENERS
#define TCP_MSS				1460
#define TCP_WND				CONFIG_LIB_LWIP_TCP_WND
#define TCP_SND_BUF			CONFIG_LIB_LWIP_TCP_SND_BUF
/*
 * Window scaling always: without it a peer's window reads at most 64 KiB,
 * one TSO frame in flight. Ours is scaled only when it needs to be.
 */
#define LWIP_WND_SCALE			1
#if CONFIG_LIB_LWIP_TCP_WND > 65535
#define TCP_RCV_SCALE			5	/* windows up to 2 MiB */
#else
#define TCP_RCV_SCALE			0
#endif
#define TCP_SND_QUEUELEN		((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
/* lwIP keeps the low-water mark in 16 bits, whatever the buffer size. */
#define TCP_SNDLOWAT	((TCP_SND_BUF / 2 < 0xffff - 4 * TCP_MSS - 1) ? \
			 TCP_SND_BUF / 2 : 0xffff - 4 * TCP_MSS - 1)
/*
 * TIME_WAIT lasts 2 * TCP_MSL: 2 s instead of lwIP's 2 minutes. lwIP
 * answers a new SYN that reuses a TIME_WAIT connection's addresses with
 * an ACK (RFC 793) where Linux accepts it, and host clients do reuse
 * ports after a few thousand connections: a long TIME_WAIT then stalls
 * them. A short one also bounds the memory of closed connections.
 */
#define TCP_MSL				1000
#define MEMP_NUM_TCP_SEG		(8 * TCP_SND_QUEUELEN)
#define TCP_LISTEN_BACKLOG		1
#define TCP_DEFAULT_LISTEN_BACKLOG	64
#define LWIP_TCP_KEEPALIVE		1
#define TCP_OVERSIZE			TCP_MSS
#define LWIP_TCP_SACK_OUT		1
#define TCP_QUEUE_OOSEQ			1
/*
 * Segments ahead of a gap wait, each in its own receive buffer, until
 * the gap fills: at most a window of full-sized ones per connection, so
 * a peer sending tiny segments apart cannot take the whole memory.
 */
#define TCP_OOSEQ_MAX_PBUFS		CN_LWIP_WND_SEGS
#define TCP_OOSEQ_MAX_BYTES		TCP_WND
#else
#define MEMP_NUM_TCP_PCB		0
#define MEMP_NUM_TCP_PCB_LISTEN		0
#endif
#ifdef CONFIG_LIB_LWIP_UDP
#define MEMP_NUM_UDP_PCB		(CONFIG_LIB_LWIP_UDP_PCBS + 4)
#endif
#define MEMP_NUM_NETCONN		(MEMP_NUM_TCP_PCB + MEMP_NUM_TCP_PCB_LISTEN + MEMP_NUM_UDP_PCB)
#define MEMP_NUM_NETBUF			256
#define MEMP_NUM_TCPIP_MSG_INPKT	256
#define MEMP_NUM_SYS_TIMEOUT		(LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)

/*
 * A loop interface for 127.0.0.1 (lo1; the NIC stays en0), as programs
 * expect of localhost: servers and clients in one image, tests without a
 * NIC. Packets to the image's own address take it too (net.c's route
 * hook) rather than the NIC's own loop-back, which would hand them over
 * with the checksums left to a device that never sees them.
 */
#define LWIP_NETIF_LOOPBACK		1
#if LWIP_IPV4
struct netif;
struct ip4_addr;
struct netif *cn_lwip_route_src(const struct ip4_addr *src,
				const struct ip4_addr *dest);
#define LWIP_HOOK_IP4_ROUTE_SRC(src, dest)	cn_lwip_route_src(src, dest)
#endif

/* Sockets */
#define LWIP_NETCONN			1
#define LWIP_SOCKET			1
#define LWIP_COMPAT_SOCKETS		0
#define LWIP_POSIX_SOCKETS_IO_NAMES	0
#define LWIP_SOCKET_OFFSET		0
#define LWIP_SOCKET_SELECT		1
#define LWIP_SOCKET_POLL		1
#define LWIP_SO_RCVTIMEO		1
#define LWIP_SO_SNDTIMEO		1
#define LWIP_SO_RCVBUF			1
#define LWIP_SO_LINGER			1
#define SO_REUSE			1
#define LWIP_TCP_CLOSE_TIMEOUT_MS_DEFAULT 5000
#define LWIP_TIMEVAL_PRIVATE		0
#define LWIP_FIONREAD_LINUXMODE		1
#define RECV_BUFSIZE_DEFAULT		(1024 * 1024)
#define LWIP_NETCONN_FULLDUPLEX		0
#define LWIP_NETCONN_SEM_PER_THREAD	0

/*
 * Checksums in software where the device offers no offload (QEMU's e1000
 * checks none it receives): 8 bytes a step (chksum.c), not lwIP's 2.
 */
#define LWIP_CHECKSUM_CTRL_PER_NETIF	1
#include <cairn/lwip_chksum.h>
#define LWIP_CHKSUM			cn_lwip_chksum

/*
 * Byte swaps and copies inline. Built -ffreestanding, lwIP's own
 * lwip_htons()/lwip_htonl() and its memcpy() of a few bytes are calls,
 * several per header; under TCG every return is an indirect branch that
 * QEMU looks up (helper_lookup_tb_ptr), which counted 7% of a TCP
 * stream's lookups (support/bench/tcp/profile.py --trace). The builtins
 * become one instruction; a copy of unknown length is still a call.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define lwip_htons(x)			((u16_t)__builtin_bswap16((u16_t)(x)))
#define lwip_htonl(x)			((u32_t)__builtin_bswap32((u32_t)(x)))
#endif
#define MEMCPY(dst, src, len)		__builtin_memcpy(dst, src, len)
#define SMEMCPY(dst, src, len)		__builtin_memcpy(dst, src, len)

/* Errors: picolibc's errno */
#define LWIP_ERRNO_STDINCLUDE		1

/*
 * Counters (lib/lwip/stats.c, <cairn/lwip_stats.h>): TCP's, MIB-II's
 * and the pools' failures only; the others cost memory and time on
 * every packet and say nothing a benchmark reads.
 */
#define LWIP_STATS			1
#define LWIP_STATS_LARGE		1	/* 32-bit counters */
#define LWIP_STATS_DISPLAY		0
#define LINK_STATS			0
#define ETHARP_STATS			0
#define IP_STATS			0
#define IPFRAG_STATS			0
#define ICMP_STATS			0
#define IGMP_STATS			0
#define UDP_STATS			0
#define TCP_STATS			LWIP_TCP
#define MEM_STATS			0
#define MEMP_STATS			1
#define SYS_STATS			0
#define IP6_STATS			0
#define ICMP6_STATS			0
#define IP6_FRAG_STATS			0
#define MLD6_STATS			0
#define ND6_STATS			0
#define MIB2_STATS			1
/*
 * Every segment for a connection or listener (lib/lwip/tcp_hook.c):
 * counts what lwIP does not (backlog drops, duplicate ACKs), and lets a
 * new connection's SYN end a TIME_WAIT one as Linux does.
 */
struct tcp_pcb;
struct tcp_hdr;
struct pbuf;
int cn_lwip_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr,
			 unsigned short optlen, const unsigned char *opt2,
			 struct pbuf *p);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
	cn_lwip_tcp_inpacket(pcb, hdr, optlen, opt2, p)
/*
 * LWIP_DEBUG stays undefined: lwIP tests it with #ifdef, and defined (even
 * as 0) it prints each LWIP_ERROR() check that a caller's bad argument
 * fails ("tcp_connect: can only connect from state CLOSED", with no line
 * end) on the console, where the errno the call returns is enough.
 */

#endif
