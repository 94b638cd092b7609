/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ifconfig (with lib/lwip): each lwIP interface with its addresses, taken
 * under lwIP's core lock, and the counters of the netdev behind it (found
 * by MAC address), printed once the lock is released.
 */
#include <stdio.h>
#include <string.h>
#include <cairn/netdev.h>
#include <cairn/shell.h>
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"

#define IFS_MAX		8
#define V6_MAX		LWIP_IPV6_NUM_ADDRESSES

struct if_row {
	char name[8];
	uint8_t mac[NETIF_MAX_HWADDR_LEN];
	unsigned int mac_len, mtu, flags;
	char ip[16], mask[16], gw[16];
	char v6[V6_MAX][48];
	unsigned int nr_v6;
};

static void take(const struct netif *n, struct if_row *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%c%c%u", n->name[0], n->name[1],
		 n->num);
	r->mac_len = n->hwaddr_len;
	memcpy(r->mac, n->hwaddr, sizeof(r->mac));
	r->mtu = n->mtu;
	r->flags = n->flags;
#if LWIP_IPV4
	ip4addr_ntoa_r(netif_ip4_addr(n), r->ip, sizeof(r->ip));
	ip4addr_ntoa_r(netif_ip4_netmask(n), r->mask, sizeof(r->mask));
	ip4addr_ntoa_r(netif_ip4_gw(n), r->gw, sizeof(r->gw));
#endif
#if LWIP_IPV6
	for (int i = 0; i < V6_MAX; i++)
		if (ip6_addr_isvalid(netif_ip6_addr_state(n, i)))
			ip6addr_ntoa_r(netif_ip6_addr(n, i), r->v6[r->nr_v6++],
				       sizeof(r->v6[0]));
#endif
}

static struct cn_netdev *netdev_of(const struct if_row *r)
{
	unsigned int i;

	if (r->mac_len != CN_ETH_ALEN)
		return NULL;
	for (i = 0; i < cn_netdev_count(); i++) {
		struct cn_netdev *nd = cn_netdev_get(i);

		if (nd && memcmp(nd->mac, r->mac, CN_ETH_ALEN) == 0)
			return nd;
	}
	return NULL;
}

static void print_row(struct cn_shell *sh, const struct if_row *r)
{
	struct cn_netdev *nd = netdev_of(r);
	unsigned int i;
	char mac[18];

	cn_shell_printf(sh, "%s: %s%s mtu %u\n", r->name,
			r->flags & NETIF_FLAG_UP ? "UP" : "DOWN",
			r->flags & NETIF_FLAG_LINK_UP ? ",LINK_UP" : "",
			r->mtu);
	if (r->ip[0])
		cn_shell_printf(sh, "        inet %s  netmask %s  gateway %s\n",
				r->ip, r->mask, r->gw);
	for (i = 0; i < r->nr_v6; i++)
		cn_shell_printf(sh, "        inet6 %s\n", r->v6[i]);
	if (r->mac_len == CN_ETH_ALEN)
		cn_shell_printf(sh, "        ether %s",
				cn_netdev_mac_str(r->mac, mac));
	if (nd) {
		const struct cn_netdev_stats *s = &nd->stats;

		cn_shell_printf(sh, "  (%s, %s, %s)\n", nd->name,
				nd->driver ? nd->driver : "?",
				nd->bus ? nd->bus : "?");
		cn_shell_printf(sh, "        RX packets %llu  bytes %llu  "
				"drops %llu  errors %llu\n",
				(unsigned long long)s->rx_packets,
				(unsigned long long)s->rx_bytes,
				(unsigned long long)s->rx_drops,
				(unsigned long long)s->rx_errors);
		cn_shell_printf(sh, "        TX packets %llu  bytes %llu  "
				"drops %llu  errors %llu\n",
				(unsigned long long)s->tx_packets,
				(unsigned long long)s->tx_bytes,
				(unsigned long long)s->tx_drops,
				(unsigned long long)s->tx_errors);
	} else if (r->mac_len == CN_ETH_ALEN) {
		cn_shell_printf(sh, "\n");
	}
}

static int cmd_ifconfig(struct cn_shell *sh, int argc, char **argv)
{
	struct if_row rows[IFS_MAX];
	unsigned int n = 0, i;
	struct netif *nif;

	if (argc > 1)
		return cn_shell_usage(sh);
	LOCK_TCPIP_CORE();
	NETIF_FOREACH(nif) {
		if (n < IFS_MAX)
			take(nif, &rows[n++]);
	}
	UNLOCK_TCPIP_CORE();
	if (!n)
		cn_shell_printf(sh, "(no network interface)\n");
	for (i = 0; i < n; i++)
		print_row(sh, &rows[i]);
	return 0;
}
CN_SHELL_CMD(ifconfig, cmd_ifconfig, "",
	     "network interfaces: addresses, MAC, counters");
