# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_VIRTIO_NET) += virtio-net
virtio-net-srcs-y := virtio_net.c
