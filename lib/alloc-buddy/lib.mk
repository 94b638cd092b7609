# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_ALLOC_BUDDY) += alloc-buddy
alloc-buddy-srcs-y := buddy.c
alloc-buddy-srcs-$(CONFIG_LIB_ALLOC_BUDDY_TEST) += tests/test_buddy.c
alloc-buddy-srcs-$(CONFIG_LIB_ALLOC_DEFAULT_BUDDY) += default_heap.c
