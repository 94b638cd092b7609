# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_PICOLIBC) += picolibc
picolibc-srcs-y := picolibc.c abort.c dprintf.c memstream.c quick_exit.c \
	backtrace.c
picolibc-srcs-$(CONFIG_LIB_PICOLIBC_CONSOLE_IO) += console_io.c
picolibc-srcs-$(CONFIG_LIB_PICOLIBC_TEST) += tests/test_picolibc.c
