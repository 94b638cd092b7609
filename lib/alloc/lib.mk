# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_ALLOC) += alloc
alloc-srcs-y := alloc.c heap.c libc.c crash.c
alloc-srcs-$(CONFIG_LIB_ALLOC_DEBUG) += debug.c
alloc-srcs-$(CONFIG_SMP) += smp.c
alloc-srcs-$(CONFIG_LIB_ALLOC_PERCPU) += percpu.c
alloc-srcs-$(CONFIG_LIB_ALLOC_TEST) += tests/test_alloc.c
alloc-srcs-$(CONFIG_LIB_ALLOC_TEST_SMP) += tests/test_alloc_smp.c
alloc-cflags-$(CONFIG_LIB_ALLOC_DEBUG) += -Wno-frame-address
