/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <net/if.h> and <ifaddrs.h> over lwIP's list of interfaces, read under
 * its core lock. A name is the two letters lwIP gives the interface and
 * its number, as `ifconfig` prints it ("en0", "lo1"); the index is lwIP's
 * (number + 1). Errors are Linux's: ENODEV from if_nametoindex, ENXIO
 * from if_indextoname.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ifaddrs.h>
#include <net/if.h>
#include "lwip/netif.h"
#include "lwip/tcpip.h"

/* Indexes are a u8_t in lwIP; its interfaces are a handful. */
#define MAX_IFS	16

static void if_name(const struct netif *n, char *buf)
{
	snprintf(buf, IF_NAMESIZE, "%c%c%u", n->name[0], n->name[1],
		 (unsigned int)n->num);
}

/* Copies the interfaces' pointers in index order; returns how many. */
static int list_ifs(struct netif **ifs)
{
	struct netif *n;
	int count = 0, i;

	NETIF_FOREACH(n) {
		if (count == MAX_IFS)
			break;
		for (i = count; i > 0 && ifs[i - 1]->num > n->num; i--)
			ifs[i] = ifs[i - 1];
		ifs[i] = n;
		count++;
	}
	return count;
}

unsigned int if_nametoindex(const char *ifname)
{
	char buf[IF_NAMESIZE];
	unsigned int index = 0;
	struct netif *n;

	if (!ifname) {
		errno = ENODEV;
		return 0;
	}
	LOCK_TCPIP_CORE();
	NETIF_FOREACH(n) {
		if_name(n, buf);
		if (!strcmp(buf, ifname)) {
			index = netif_get_index(n);
			break;
		}
	}
	UNLOCK_TCPIP_CORE();
	if (!index)
		errno = ENODEV;
	return index;
}

char *if_indextoname(unsigned int index, char *ifname)
{
	struct netif *n = NULL;

	if (index && index <= 255) {
		LOCK_TCPIP_CORE();
		n = netif_get_by_index((u8_t)index);
		if (n && ifname)
			if_name(n, ifname);
		UNLOCK_TCPIP_CORE();
	}
	if (!n) {
		errno = ENXIO;
		return NULL;
	}
	return ifname;
}

/* One block: the array, then the names. */
struct if_nameindex *if_nameindex(void)
{
	struct netif *ifs[MAX_IFS];
	struct if_nameindex *out;
	char *names;
	int count, i;

	LOCK_TCPIP_CORE();
	count = list_ifs(ifs);
	out = malloc((size_t)(count + 1) * (sizeof(*out) + IF_NAMESIZE));
	if (out) {
		names = (char *)(out + count + 1);
		for (i = 0; i < count; i++) {
			out[i].if_index = netif_get_index(ifs[i]);
			out[i].if_name = names + i * IF_NAMESIZE;
			if_name(ifs[i], out[i].if_name);
		}
		out[count].if_index = 0;
		out[count].if_name = NULL;
	}
	UNLOCK_TCPIP_CORE();
	if (!out)
		errno = ENOMEM;
	return out;
}

void if_freenameindex(struct if_nameindex *ptr)
{
	free(ptr);
}

/* An entry and the storage its pointers point into; freed as one. */
struct ifa_block {
	struct ifaddrs ifa;
	struct sockaddr_storage addr, mask, brd;
	char name[IF_NAMESIZE];
};

static struct ifa_block *ifa_new(struct netif *n, struct ifaddrs ***tail)
{
	struct ifa_block *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	if_name(n, b->name);
	b->ifa.ifa_name = b->name;
	if (netif_is_up(n))
		b->ifa.ifa_flags |= IFF_UP;
	if (netif_is_up(n) && netif_is_link_up(n))
		b->ifa.ifa_flags |= IFF_RUNNING;
	if (n->name[0] == 'l' && n->name[1] == 'o')
		b->ifa.ifa_flags |= IFF_LOOPBACK;
	if (n->flags & NETIF_FLAG_BROADCAST)
		b->ifa.ifa_flags |= IFF_BROADCAST;
	if (n->flags & (NETIF_FLAG_IGMP | NETIF_FLAG_MLD6))
		b->ifa.ifa_flags |= IFF_MULTICAST;
	**tail = &b->ifa;
	*tail = &b->ifa.ifa_next;
	return b;
}

#if LWIP_IPV4
static void set_in(struct sockaddr_storage *ss, u32_t addr)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	in->sin_len = sizeof(*in);
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = addr;
}

static int add_ipv4(struct netif *n, struct ifaddrs ***tail)
{
	u32_t a = ip4_addr_get_u32(netif_ip4_addr(n));
	u32_t m = ip4_addr_get_u32(netif_ip4_netmask(n));
	struct ifa_block *b;

	if (!a)
		return 0;
	b = ifa_new(n, tail);
	if (!b)
		return -1;
	set_in(&b->addr, a);
	set_in(&b->mask, m);
	b->ifa.ifa_addr = (struct sockaddr *)&b->addr;
	b->ifa.ifa_netmask = (struct sockaddr *)&b->mask;
	if (b->ifa.ifa_flags & IFF_BROADCAST) {
		set_in(&b->brd, a | ~m);
		b->ifa.ifa_broadaddr = (struct sockaddr *)&b->brd;
	}
	return 1;
}
#endif

#if LWIP_IPV6
static int add_ipv6(struct netif *n, struct ifaddrs ***tail)
{
	struct sockaddr_in6 *in6, *m6;
	struct ifa_block *b;
	int i, added = 0;

	for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
		const ip6_addr_t *a = netif_ip6_addr(n, i);

		if (!ip6_addr_isvalid(netif_ip6_addr_state(n, i)))
			continue;
		b = ifa_new(n, tail);
		if (!b)
			return -1;
		in6 = (struct sockaddr_in6 *)&b->addr;
		in6->sin6_len = sizeof(*in6);
		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, a->addr, 16);
		if (ip6_addr_islinklocal(a))
			in6->sin6_scope_id = netif_get_index(n);
		m6 = (struct sockaddr_in6 *)&b->mask;
		m6->sin6_len = sizeof(*m6);
		m6->sin6_family = AF_INET6;
		memset(&m6->sin6_addr, 0xff, 8);
		b->ifa.ifa_addr = (struct sockaddr *)in6;
		b->ifa.ifa_netmask = (struct sockaddr *)m6;
		added++;
	}
	return added;
}
#endif

/* n's entries after **tail; -1 when out of memory. */
static int add_if(struct netif *n, struct ifaddrs ***tail)
{
	int added = 0, r;

#if LWIP_IPV4
	r = add_ipv4(n, tail);
	if (r < 0)
		return -1;
	added += r;
#endif
#if LWIP_IPV6
	r = add_ipv6(n, tail);
	if (r < 0)
		return -1;
	added += r;
#endif
	if (!added && !ifa_new(n, tail))
		return -1;
	return 0;
}

int getifaddrs(struct ifaddrs **ifap)
{
	struct netif *ifs[MAX_IFS];
	struct ifaddrs *head = NULL, **tail = &head;
	int count, i, r = 0;

	if (!ifap) {
		errno = EINVAL;
		return -1;
	}
	LOCK_TCPIP_CORE();
	count = list_ifs(ifs);
	for (i = 0; i < count && !r; i++)
		r = add_if(ifs[i], &tail);
	UNLOCK_TCPIP_CORE();
	if (r) {
		freeifaddrs(head);
		errno = ENOMEM;
		return -1;
	}
	*ifap = head;
	return 0;
}

void freeifaddrs(struct ifaddrs *ifa)
{
	struct ifaddrs *next;

	/* Each entry is the head of its own block (struct ifa_block). */
	for (; ifa; ifa = next) {
		next = ifa->ifa_next;
		free(ifa);
	}
}
