# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_SCHED) += sched
sched-srcs-y := thread.c sync.c locks.c
sched-srcs-$(CONFIG_LIB_SCHED_TEST) += tests/test_sched.c
