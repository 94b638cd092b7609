# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_9PFS) += 9pfs
9pfs-srcs-y := 9pfs.c proto.c
9pfs-srcs-$(CONFIG_LIB_9PFS_TEST) += tests/test_9p.c
