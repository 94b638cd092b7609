# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_SERIAL_NS16550) += ns16550
ns16550-srcs-y := ns16550.c
