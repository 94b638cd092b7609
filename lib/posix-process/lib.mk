# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_POSIX_PROCESS) += posix-process
posix-process-srcs-y := ids.c uname.c limits.c env.c nosys.c dl.c users.c \
	linux.c syslog.c wordexp.c
posix-process-srcs-$(CONFIG_LIB_ALLOC) += mem_alloc.c
posix-process-srcs-$(if $(CONFIG_LIB_ALLOC),,y) += mem_none.c
posix-process-srcs-$(CONFIG_LIB_SCHED) += tid_sched.c
posix-process-srcs-$(if $(CONFIG_LIB_SCHED),,y) += tid_none.c
posix-process-srcs-$(CONFIG_LIB_POSIX_PROCESS_TEST) += tests/test_process.c
