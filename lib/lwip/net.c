/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bringing the network up at CN_INIT_NET: the tcpip thread, an interface
 * on the first netdev, then either the static addresses of the command
 * line or DHCP. Parameters:
 *
 *   net.ip=A.B.C.D[/LEN]  static address (no DHCP); LEN sets the mask
 *   net.mask=A.B.C.D      netmask (default: /LEN, else 255.255.255.0)
 *   net.gw=A.B.C.D        default gateway
 *   net.dns=A.B.C.D       name server (DHCP's otherwise)
 *   net.wait=MS           how long boot waits for an address (3000)
 *
 * A malformed value stops the image before main with a line naming the
 * parameter. The address, mask, gateway and MAC are logged once up.
 *
 * The menu (lwip > Network defaults, CONFIG_LIB_LWIP_DEFAULT_*) gives
 * build-time defaults for what the command line leaves out: its mask and
 * gateway come with its address, so they apply only when net.ip= is not
 * given; each parameter still overrides its own default. A menu value
 * that is not an address stops the image as a bad parameter does,
 * naming the option, even when the command line overrides it: a broken
 * configuration should not wait for the one boot that needs it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/boot.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/netdev.h>
#include <cairn/param.h>
#include <cairn/plat.h>
#include <cairn/sync.h>
#include <cairn/timer.h>
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netifapi.h"
#include "lwip/tcpip.h"
#include "lwip_priv.h"

static ip4_addr_t p_ip, p_mask, p_gw, p_dns;
static bool have_ip, have_mask, have_gw, have_dns, ip_from_menu;
static int wait_ms = 3000;
static struct cn_lwip_if the_if;
static struct cn_sem up_sem = CN_SEM_INIT(0);
static bool logged;

static int parse_addr(const char *val, ip4_addr_t *out)
{
	const char *p;
	int dots = 0;

	for (p = val; *p; p++) {
		if (*p == '.')
			dots++;
		else if (*p < '0' || *p > '9')
			return -EINVAL;
	}
	/* ip4addr_aton also takes "10" or "10.1": only dotted quads here. */
	return dots == 3 && ip4addr_aton(val, out) ? 0 : -EINVAL;
}

/* A.B.C.D[/LEN] into *addr and *len (0 without /LEN). */
static int split_ip(const char *val, ip4_addr_t *addr, long *len)
{
	char buf[20];
	const char *slash = strchr(val, '/');
	size_t n = slash ? (size_t)(slash - val) : strlen(val);

	*len = 0;
	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, val, n);
	buf[n] = 0;
	if (parse_addr(buf, addr))
		return -EINVAL;
	if (slash) {
		char *end;

		*len = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || *len < 1 || *len > 32)
			return -EINVAL;
	}
	return 0;
}

static int parse_ip(const char *val)
{
	long len;

	if (split_ip(val, &p_ip, &len))
		return -EINVAL;
	if (len) {
		ip4_addr_set_u32(&p_mask,
				 lwip_htonl(~0u << (32 - (unsigned int)len)));
		have_mask = true;
	}
	have_ip = true;
	return 0;
}

static int check_mask(const char *val, ip4_addr_t *mask)
{
	uint32_t inv;

	if (parse_addr(val, mask))
		return -EINVAL;
	inv = ~lwip_ntohl(ip4_addr_get_u32(mask));
	return inv & (inv + 1) ? -EINVAL : 0;	/* ones then zeros only */
}

static int parse_mask(const char *val)
{
	if (check_mask(val, &p_mask))
		return -EINVAL;
	have_mask = true;
	return 0;
}

static int parse_gw(const char *val)
{
	have_gw = !parse_addr(val, &p_gw);
	return have_gw ? 0 : -EINVAL;
}

static int parse_dns(const char *val)
{
	have_dns = !parse_addr(val, &p_dns);
	return have_dns ? 0 : -EINVAL;
}

CN_PARAM_FN(net, ip, parse_ip, "static IPv4 address A.B.C.D or A.B.C.D/LEN");
CN_PARAM_FN(net, mask, parse_mask, "netmask A.B.C.D (contiguous ones)");
CN_PARAM_FN(net, gw, parse_gw, "default gateway A.B.C.D");
CN_PARAM_FN(net, dns, parse_dns, "DNS server A.B.C.D");
CN_PARAM_UINT(net, wait, wait_ms,
	      "milliseconds boot waits for an address (0: do not wait)");

#ifndef CONFIG_LIB_LWIP_DEFAULT_DNS
#define CONFIG_LIB_LWIP_DEFAULT_DNS ""
#endif

/* Stops the image, as a bad parameter does, for a bad menu default. */
CN_NORETURN static void bad_default(const char *option, const char *val,
				    const char *form)
{
	cn_pr_err("menu default CONFIG_%s=\"%s\" is not %s: fix it in make "
		  "menuconfig (lwip > Network defaults)", option, val, form);
	cn_plat_halt(CN_EXIT_USAGE);
}

static void check_defaults(void)
{
	ip4_addr_t a;
	long len;

	if (CONFIG_LIB_LWIP_DEFAULT_IP[0] &&
	    split_ip(CONFIG_LIB_LWIP_DEFAULT_IP, &a, &len))
		bad_default("LIB_LWIP_DEFAULT_IP", CONFIG_LIB_LWIP_DEFAULT_IP,
			    "an address A.B.C.D or A.B.C.D/LEN");
	if (CONFIG_LIB_LWIP_DEFAULT_MASK[0] &&
	    check_mask(CONFIG_LIB_LWIP_DEFAULT_MASK, &a))
		bad_default("LIB_LWIP_DEFAULT_MASK",
			    CONFIG_LIB_LWIP_DEFAULT_MASK,
			    "a netmask A.B.C.D (contiguous ones)");
	if (CONFIG_LIB_LWIP_DEFAULT_GW[0] &&
	    parse_addr(CONFIG_LIB_LWIP_DEFAULT_GW, &a))
		bad_default("LIB_LWIP_DEFAULT_GW", CONFIG_LIB_LWIP_DEFAULT_GW,
			    "an address A.B.C.D");
	if (CONFIG_LIB_LWIP_DEFAULT_DNS[0] &&
	    parse_addr(CONFIG_LIB_LWIP_DEFAULT_DNS, &a))
		bad_default("LIB_LWIP_DEFAULT_DNS", CONFIG_LIB_LWIP_DEFAULT_DNS,
			    "an address A.B.C.D");
}

/* The menu's values (checked) for what the command line left out. */
static void apply_defaults(void)
{
	bool cmdline_mask = have_mask;
	ip4_addr_t mask = p_mask;

	check_defaults();
	if (!have_dns && CONFIG_LIB_LWIP_DEFAULT_DNS[0])
		parse_dns(CONFIG_LIB_LWIP_DEFAULT_DNS);
	if (have_ip || !CONFIG_LIB_LWIP_DEFAULT_IP[0])
		return;
	parse_ip(CONFIG_LIB_LWIP_DEFAULT_IP);
	ip_from_menu = true;
	if (cmdline_mask) {
		p_mask = mask;		/* net.mask= beats the menu's /LEN */
		have_mask = true;
	} else if (CONFIG_LIB_LWIP_DEFAULT_MASK[0]) {
		parse_mask(CONFIG_LIB_LWIP_DEFAULT_MASK);
	}
	if (!have_gw && CONFIG_LIB_LWIP_DEFAULT_GW[0])
		parse_gw(CONFIG_LIB_LWIP_DEFAULT_GW);
}

static void status_changed(struct netif *netif)
{
	char ip[16], mask[16], gw[16], mac[18];
	const ip_addr_t *dns;

	if (logged || ip4_addr_isany_val(*netif_ip4_addr(netif)))
		return;
	logged = true;
	ip4addr_ntoa_r(netif_ip4_addr(netif), ip, sizeof(ip));
	ip4addr_ntoa_r(netif_ip4_netmask(netif), mask, sizeof(mask));
	ip4addr_ntoa_r(netif_ip4_gw(netif), gw, sizeof(gw));
	dns = dns_getserver(0);
	cn_pr_info("%s: %s netmask %s gateway %s dns %s MAC %s (%s)",
		   the_if.nd->name, ip, mask, gw, ipaddr_ntoa(dns),
		   cn_netdev_mac_str(the_if.nd->mac, mac),
		   !have_ip ? "DHCP" : ip_from_menu ? "static, menu default" :
		   "static");
	cn_sem_post(&up_sem);
}

static struct netif *loop_if;		/* lwIP's, for 127.0.0.1 */

static void tcpip_ready(void *arg)
{
	loop_if = netif_list;		/* the only one lwip_init() adds */
	cn_sem_post(arg);
}

struct netif *cn_lwip_route_src(const ip4_addr_t *src, const ip4_addr_t *dest)
{
	struct netif *nif = &the_if.netif;

	(void)src;
	if (loop_if && the_if.nd && netif_is_up(nif) &&
	    !ip4_addr_isany_val(*netif_ip4_addr(nif)) &&
	    ip4_addr_eq(dest, netif_ip4_addr(nif)))
		return loop_if;
	return NULL;
}

/*
 * The NIC is en0 as it was before the loop interface came: lwIP numbered
 * that one first. Swapped right after the NIC is added, before anything
 * can have bound to either by index.
 */
static void number_nic_first(struct netif *nif)
{
	if (loop_if && loop_if->num == 0) {
		loop_if->num = nif->num;
		nif->num = 0;
	}
}

/* The interface on the first netdev, or NULL before or without one. */
const struct cn_lwip_if *cn_lwip_if0(void)
{
	return the_if.nd ? &the_if : NULL;
}

static int net_init(void)
{
	struct cn_sem ready = CN_SEM_INIT(0);
	struct cn_netdev *nd = cn_netdev_get(0);
	ip4_addr_t any = { 0 };
	int rc;

	apply_defaults();
	if (!nd) {
		cn_pr_warn("no network device: sockets work on loopback only "
			   "(select a driver such as virtio-net)");
		tcpip_init(tcpip_ready, &ready);
		cn_sem_wait(&ready);
		return 0;
	}
	tcpip_init(tcpip_ready, &ready);
	cn_sem_wait(&ready);
	the_if.nd = nd;
	if (have_ip && !have_mask)
		IP4_ADDR(&p_mask, 255, 255, 255, 0);
	if (!have_ip && (have_mask || have_gw))
		cn_pr_warn("net.mask/net.gw without net.ip are ignored: DHCP");
	if (have_dns)
		dns_setserver(0, (const ip_addr_t *)&p_dns);
	rc = netifapi_netif_add(&the_if.netif, have_ip ? &p_ip : &any,
				have_ip ? &p_mask : &any,
				have_ip && have_gw ? &p_gw : &any, &the_if,
				cn_lwip_netif_init, tcpip_input);
	if (rc != ERR_OK) {
		cn_pr_err("%s: lwIP refused the interface (%d)", nd->name, rc);
		return -EIO;
	}
	netifapi_netif_common(&the_if.netif, number_nic_first, NULL);
	netif_set_status_callback(&the_if.netif, status_changed);
	netifapi_netif_set_default(&the_if.netif);
	if (nd->link_up)
		netifapi_netif_set_link_up(&the_if.netif);
	netifapi_netif_set_up(&the_if.netif);
	rc = cn_lwip_netif_start(&the_if);
	if (rc)
		return rc;
#if LWIP_DHCP
	if (!have_ip)
		netifapi_dhcp_start(&the_if.netif);
#else
	if (!have_ip)
		cn_pr_warn("%s: no net.ip and no DHCP in this image: no "
			   "address", nd->name);
#endif
	if (wait_ms > 0 &&
	    cn_sem_wait_until(&up_sem, cn_time_ns() +
			      (uint64_t)wait_ms * 1000000) == -ETIMEDOUT)
		cn_pr_warn("%s: no address after %d ms; still trying",
			   nd->name, wait_ms);
	return 0;
}
CN_INIT(net_init, CN_INIT_NET);
