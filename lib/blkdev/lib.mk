# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_BLKDEV) += blkdev
blkdev-srcs-y := blkdev.c part.c
blkdev-srcs-$(CONFIG_LIB_BLKDEV_TEST) += tests/test_blkdev.c
