# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_LOG) += log
log-srcs-y := log.c
log-srcs-$(CONFIG_LIB_LOG_TEST) += tests/test_log.c
