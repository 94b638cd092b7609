/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * getifaddrs (ifaddrs.c): lwIP's interfaces and their addresses, as
 * Linux lists them less its AF_PACKET entries: one AF_INET entry per
 * interface with an IPv4 address (address, netmask, and the broadcast
 * address when IFF_BROADCAST), one AF_INET6 entry per valid IPv6 address
 * (netmask /64, lwIP keeps no prefix length), and an entry with a NULL
 * ifa_addr for an interface that has no address yet. Flags are IFF_*
 * of <net/if.h>: IFF_UP, IFF_RUNNING (up, link up), IFF_LOOPBACK,
 * IFF_BROADCAST, IFF_MULTICAST.
 */
#ifndef _IFADDRS_H
#define _IFADDRS_H

#include <sys/socket.h>

struct ifaddrs {
	struct ifaddrs *ifa_next;
	char *ifa_name;
	unsigned int ifa_flags;
	struct sockaddr *ifa_addr;
	struct sockaddr *ifa_netmask;
	union {
		struct sockaddr *ifu_broadaddr;
		struct sockaddr *ifu_dstaddr;
	} ifa_ifu;
	void *ifa_data;
};

#ifndef ifa_broadaddr
#define ifa_broadaddr	ifa_ifu.ifu_broadaddr
#endif
#ifndef ifa_dstaddr
#define ifa_dstaddr	ifa_ifu.ifu_dstaddr
#endif

/* The list in *ifap: 0, or -1 with errno EINVAL (NULL ifap) or ENOMEM. */
int getifaddrs(struct ifaddrs **ifap);
void freeifaddrs(struct ifaddrs *ifa);

#endif
