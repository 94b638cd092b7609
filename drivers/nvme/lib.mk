# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_NVME) += nvme
nvme-srcs-y := nvme.c
