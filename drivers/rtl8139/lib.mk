# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_RTL8139) += rtl8139
rtl8139-srcs-y := rtl8139.c
