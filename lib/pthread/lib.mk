# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_PTHREAD) += pthread
pthread-srcs-y := pthread.c semaphore.c sem_named.c attr.c cancel.c rwlock.c
pthread-srcs-$(CONFIG_LIB_POSIX_SIGNAL) += sem_intr.c
pthread-srcs-$(if $(CONFIG_LIB_POSIX_SIGNAL),,y) += sem_plain.c
pthread-srcs-$(CONFIG_LIB_PTHREAD_TEST) += tests/test_pthread.c \
	tests/test_sync.c tests/test_cancel.c tests/test_sched.c \
	tests/test_sem_named.c
