# SPDX-License-Identifier: BSD-3-Clause
# Cairn's port (this folder) and Mbed TLS itself, compiled from the Debian
# source package in the cache ($(mbedtls-src), set by the top Makefile).
# Every unit sees the same configuration header.
lib-$(CONFIG_LIB_MBEDTLS) += mbedtls mbedtls-core
mbedtls-srcs-y := port.c
mbedtls-srcs-$(CONFIG_LIB_MBEDTLS_TEST) += tests/test_mbedtls.c
global-cflags-$(CONFIG_LIB_MBEDTLS) += \
	-DMBEDTLS_CONFIG_FILE='"cairn/mbedtls_config.h"' \
	$(if $(mbedtls-src),-I$(mbedtls-src)/include)

# All of library/: what the configuration leaves out compiles to nothing.
mbedtls-core-dir := $(mbedtls-src)/library
mbedtls-core-srcs-y := $(notdir $(wildcard $(mbedtls-src)/library/*.c))
# Not Unix: no getpid() fork check, no /dev/urandom (the host compiler
# says __unix__, as it says __linux__, which the Makefile drops already).
mbedtls-core-cflags-y := -U__unix__ -U__unix -Uunix \
	-Wno-missing-prototypes -Wno-sign-compare -Wno-unused-but-set-variable
