# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_RAMFS) += ramfs
ramfs-srcs-y := ramfs.c
ramfs-srcs-$(CONFIG_LIB_RAMFS_TEST) += tests/test_ramfs.c
