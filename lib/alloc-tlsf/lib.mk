# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_ALLOC_TLSF)				+= alloc-tlsf
alloc-tlsf-srcs-y					:= tlsf.c
alloc-tlsf-srcs-$(CONFIG_LIB_ALLOC_TLSF_TEST)		+= tests/test_tlsf.c
alloc-tlsf-srcs-$(CONFIG_LIB_ALLOC_DEFAULT_TLSF)	+= default_heap.c
