# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_EPOLL) += epoll
epoll-srcs-y := epoll.c eventfd.c timerfd.c nosys.c
epoll-srcs-$(CONFIG_LIB_POSIX_SIGNAL) += sigmask.c
epoll-srcs-$(if $(CONFIG_LIB_POSIX_SIGNAL),,y) += sigmask_none.c
epoll-srcs-$(CONFIG_LIB_EPOLL_TEST) += tests/test_epoll.c tests/test_timerfd.c
epoll-srcs-$(if $(CONFIG_LIB_PTHREAD),$(CONFIG_LIB_EPOLL_TEST)) += \
	tests/test_epoll_thread.c
epoll-srcs-$(if $(CONFIG_LIB_PTHREAD),$(if $(CONFIG_LIB_POSIX_SIGNAL),$(CONFIG_LIB_EPOLL_TEST))) += \
	tests/test_epoll_signal.c
epoll-srcs-$(if $(CONFIG_LIB_RAMFS),$(CONFIG_LIB_EPOLL_TEST)) += \
	tests/test_epoll_vfs.c
