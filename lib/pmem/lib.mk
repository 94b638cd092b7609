# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_PMEM) += pmem
pmem-srcs-y := pmem.c
