# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_SCHED_COOP) += sched-coop
sched-coop-srcs-y := coop.c
