# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_ALLOC) += alloc
alloc-srcs-y := alloc.c heap.c libc.c crash.c
alloc-srcs-$(CONFIG_LIB_ALLOC_DEBUG) += debug.c
alloc-srcs-$(CONFIG_LIB_ALLOC_TEST) += tests/test_alloc.c
alloc-cflags-$(CONFIG_LIB_ALLOC_DEBUG) += -Wno-frame-address
