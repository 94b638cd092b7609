# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_PCI) += pci
pci-srcs-y := pci.c
