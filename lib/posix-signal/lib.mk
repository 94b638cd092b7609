# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_POSIX_SIGNAL) += posix-signal
posix-signal-srcs-y := signal.c timer.c sigjmp.c
posix-signal-srcs-$(CONFIG_LIB_POSIX_SIGNAL_TEST) += tests/test_signal.c \
	tests/test_signal_timers.c tests/test_signal_ppoll.c
posix-signal-srcs-$(if $(CONFIG_LIB_RAMFS),$(CONFIG_LIB_POSIX_SIGNAL_TEST)) += \
	tests/test_signal_flock.c
