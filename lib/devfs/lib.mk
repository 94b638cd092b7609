# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_DEVFS) += devfs
devfs-srcs-y := devfs.c devices.c random.c
devfs-srcs-$(CONFIG_ARCH_X86_64) += random_x86_64.c
devfs-srcs-$(if $(CONFIG_ARCH_X86_64),,y) += random_nohw.c
devfs-srcs-$(CONFIG_LIB_DEVFS_TEST) += tests/test_devfs.c
