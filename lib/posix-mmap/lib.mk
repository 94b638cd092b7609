# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_POSIX_MMAP) += posix-mmap
posix-mmap-srcs-y := mmap.c
posix-mmap-srcs-$(CONFIG_LIB_VFS) += shm.c
posix-mmap-srcs-$(if $(CONFIG_LIB_VFS),,y) += shm_none.c
posix-mmap-srcs-$(CONFIG_LIB_POSIX_MMAP_TEST) += tests/test_mmap.c
