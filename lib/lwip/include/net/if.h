/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network interfaces by name and index (ifaddrs.c), over lwIP's
 * interfaces: the names `ifconfig` shows (en0 for the NIC, lo1 or lo0
 * for loopback), the indexes lwIP's (its number plus one, en0 first).
 * Names are at most IF_NAMESIZE (lwIP's 6) bytes with the NUL.
 */
#ifndef _NET_IF_H
#define _NET_IF_H

#include <sys/socket.h>
#include <lwip/if_api.h>

/* Interface flags (getifaddrs' ifa_flags), Linux's values. */
#define IFF_UP		0x1
#define IFF_BROADCAST	0x2
#define IFF_LOOPBACK	0x8
#define IFF_RUNNING	0x40
#define IFF_MULTICAST	0x1000

struct if_nameindex {
	unsigned int if_index;
	char *if_name;
};

/* The index of ifname; 0 with errno ENODEV when there is none. */
unsigned int if_nametoindex(const char *ifname);
/* Writes index's name to ifname (IF_NAMESIZE bytes) and returns it;
 * NULL with errno ENXIO when there is no such interface. */
char *if_indextoname(unsigned int index, char *ifname);
/* Every interface in index order, ended by { 0, NULL }; free it with
 * if_freenameindex. NULL with errno ENOMEM. */
struct if_nameindex *if_nameindex(void);
void if_freenameindex(struct if_nameindex *ptr);

#endif
