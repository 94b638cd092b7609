# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_VIRTIO) += virtio
virtio-srcs-y := virtio.c virtq.c
virtio-srcs-$(CONFIG_DRV_VIRTIO_PCI) += pci.c
virtio-srcs-$(CONFIG_DRV_VIRTIO_MMIO) += mmio.c
