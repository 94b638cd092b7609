# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_POSIX_MMAP) += posix-mmap
posix-mmap-srcs-y := mmap.c
posix-mmap-srcs-$(CONFIG_LIB_POSIX_MMAP_TEST) += tests/test_mmap.c
