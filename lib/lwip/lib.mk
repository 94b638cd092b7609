# SPDX-License-Identifier: BSD-3-Clause
# Cairn's port (this folder) and lwIP itself, compiled from the Debian
# source package in the cache ($(lwip-src), set by the top Makefile).
lib-$(CONFIG_LIB_LWIP) += lwip lwip-core
lwip-srcs-y := sys_arch.c netif.c net.c sockets.c inet.c stats.c tcp_hook.c \
	chksum.c netdb.c ifaddrs.c mmsg.c
lwip-srcs-$(CONFIG_LIB_LWIP_TEST) += tests/test_netdb.c tests/test_window.c \
	tests/test_ipv6.c
lwip-srcs-$(CONFIG_LIB_POSIX_SIGNAL) += intr.c
lwip-srcs-$(if $(CONFIG_LIB_POSIX_SIGNAL),,y) += intr_none.c

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

# The menu's network defaults (lwip > Network defaults) must be addresses
# (and the netmask ones then zeros): a typo stops the build before
# anything is compiled, naming the option, rather than the boot (net.c
# checks them again at boot). Only once auto.conf is newer than .config:
# an error from a stale auto.conf would keep make from refreshing it after
# the fix (make remakes it, then reads this file again).
lwip-byte := (25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])
lwip-addr := ($(lwip-byte)\.){3}$(lwip-byte)
lwip-mb := 0 128 192 224 240 248 252 254 255
lwip-masks := $(foreach x,$(lwip-mb),$(x).0.0.0 255.$(x).0.0 255.255.$(x).0 255.255.255.$(x))
lwip-val = $(call unquote,$(CONFIG_LIB_LWIP_DEFAULT_$(1)))
lwip-bad = $(error CONFIG_LIB_LWIP_DEFAULT_$(1)=$(CONFIG_LIB_LWIP_DEFAULT_$(1)) \
	is not $(2): fix it in make menuconfig (lwip > Network defaults))
lwip-check = $(if $(lwip-val),$(if $(shell printf '%s\n' \
	'$(subst ','\'',$(lwip-val))' | grep -Eqx '$(2)' && echo ok),,\
	$(call lwip-bad,$(1),$(3))))
lwip-check-mask = $(if $(call lwip-val,MASK),$(if $(filter-out \
	$(lwip-masks),$(call lwip-val,MASK)),$(call lwip-bad,MASK,a netmask \
	A.B.C.D (ones then zeros))))
lwip-checks = $(call lwip-check,IP,$(lwip-addr)(/([1-9]|[12][0-9]|3[0-2]))?,an \
	address A.B.C.D or A.B.C.D/LEN)$(lwip-check-mask)$(call \
	lwip-check,GW,$(lwip-addr),an address A.B.C.D)$(call \
	lwip-check,DNS,$(lwip-addr),an address A.B.C.D)
ifeq ($(CONFIG_LIB_LWIP),y)
ifneq ($(shell test '$(O)/include/config/auto.conf' -nt '$(O)/.config' && echo fresh),)
$(lwip-checks)
endif
endif
