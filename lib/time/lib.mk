# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_TIME) += time
time-srcs-y := timer.c posix.c
time-srcs-$(CONFIG_LIB_POSIX_SIGNAL) += sleep_intr.c
time-srcs-$(if $(CONFIG_LIB_POSIX_SIGNAL),,y) += sleep_plain.c
time-srcs-$(CONFIG_LIB_TIME_TEST) += tests/test_time.c
# Tell picolibc's headers (and every app) that these clocks exist.
global-cflags-$(CONFIG_LIB_TIME) += -D_POSIX_MONOTONIC_CLOCK=200112L \
	-D_POSIX_TIMERS=1 -D_POSIX_THREAD_CPUTIME=1
