# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_VIRTIO_BLK) += virtio-blk
virtio-blk-srcs-y := virtio_blk.c
