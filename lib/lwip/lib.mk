# SPDX-License-Identifier: BSD-3-Clause
# Cairn's port (this folder) and lwIP itself, compiled from the Debian
# source package in the cache ($(lwip-src), set by the top Makefile).
lib-$(CONFIG_LIB_LWIP) += lwip lwip-core
lwip-srcs-y := sys_arch.c netif.c net.c sockets.c inet.c

lwip-core-dir := $(lwip-src)/src
lwip-core-srcs-y := core/init.c core/def.c core/dns.c core/inet_chksum.c \
	core/ip.c core/mem.c core/memp.c core/netif.c core/pbuf.c core/raw.c \
	core/stats.c core/sys.c core/tcp.c core/tcp_in.c core/tcp_out.c \
	core/timeouts.c core/udp.c \
	core/ipv4/acd.c core/ipv4/autoip.c core/ipv4/dhcp.c core/ipv4/etharp.c \
	core/ipv4/icmp.c core/ipv4/igmp.c core/ipv4/ip4.c core/ipv4/ip4_addr.c \
	core/ipv4/ip4_frag.c \
	core/ipv6/dhcp6.c core/ipv6/ethip6.c core/ipv6/icmp6.c core/ipv6/inet6.c \
	core/ipv6/ip6.c core/ipv6/ip6_addr.c core/ipv6/ip6_frag.c \
	core/ipv6/mld6.c core/ipv6/nd6.c \
	api/api_lib.c api/api_msg.c api/err.c api/if_api.c api/netbuf.c \
	api/netdb.c api/netifapi.c api/sockets.c api/tcpip.c \
	netif/ethernet.c
# Upstream code: its style is not ours to warn about.
lwip-core-cflags-y := -Wno-missing-prototypes -Wno-sign-compare \
	-Wno-unused-but-set-variable -Wno-address -Wno-type-limits
