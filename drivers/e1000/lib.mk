# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_E1000) += e1000
e1000-srcs-y := e1000.c
e1000-srcs-$(CONFIG_LIB_SHELL) += cmd_e1000.c
