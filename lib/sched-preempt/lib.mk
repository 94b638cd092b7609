# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_SCHED_PREEMPT) += sched-preempt
sched-preempt-srcs-y := preempt.c
