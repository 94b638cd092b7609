# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_FATFS) += fatfs
fatfs-srcs-y := fat_meta.c cache.c fatfs.c
fatfs-srcs-$(CONFIG_LIB_FATFS_TEST) += tests/test_fat_meta.c
