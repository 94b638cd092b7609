# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_FDT) += fdt
fdt-srcs-y := fdt.c
