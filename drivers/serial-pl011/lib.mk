# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_SERIAL_PL011) += pl011
pl011-srcs-y := pl011.c
