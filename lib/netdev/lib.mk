# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_NETDEV) += netdev
netdev-srcs-y := netdev.c health.c
netdev-srcs-$(CONFIG_LIB_NETDEV_TEST) += tests/test_netdev.c
