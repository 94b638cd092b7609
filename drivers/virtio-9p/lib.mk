# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_VIRTIO_9P) += virtio-9p
virtio-9p-srcs-y := virtio_9p.c
virtio-9p-srcs-$(CONFIG_LIB_SCHED) += wait_sched.c
virtio-9p-srcs-$(if $(CONFIG_LIB_SCHED),,y) += wait_poll.c
