# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_DEVFS) += devfs
devfs-srcs-y := devfs.c devices.c
devfs-srcs-$(CONFIG_LIB_DEVFS_TEST) += tests/test_devfs.c
