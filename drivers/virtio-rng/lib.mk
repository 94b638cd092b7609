# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_VIRTIO_RNG) += virtio-rng
virtio-rng-srcs-y := virtio_rng.c
