# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_LOG) += log
log-srcs-y := log.c
log-srcs-$(CONFIG_LIB_LOG_RING) += ring.c
log-srcs-$(if $(CONFIG_LIB_LOG_RING),,y) += ring_none.c
log-srcs-$(CONFIG_LIB_LOG_TEST) += tests/test_log.c
log-srcs-$(and $(CONFIG_LIB_LOG_RING),$(CONFIG_LIB_LOG_TEST)) += tests/test_ring.c
