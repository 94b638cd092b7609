# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_ALLOC_REGION) += alloc-region
alloc-region-srcs-y := region.c
alloc-region-srcs-$(CONFIG_LIB_ALLOC_REGION_TEST) += tests/test_region.c
alloc-region-srcs-$(CONFIG_LIB_ALLOC_DEFAULT_REGION) += default_heap.c
