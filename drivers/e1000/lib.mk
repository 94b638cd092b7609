# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_E1000) += e1000
e1000-srcs-y := e1000.c
