# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_POSIX_SIGNAL) += posix-signal
posix-signal-srcs-y := signal.c alarm.c
posix-signal-srcs-$(CONFIG_LIB_POSIX_SIGNAL_TEST) += tests/test_signal.c
