# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_CORE) += core
core-srcs-y := boot.c param.c console.c panic.c symbols.c errname.c backtrace.c cpu.c
core-srcs-$(CONFIG_LIB_CORE_TEST) += tests/test_core.c tests/test_smp.c
# Recursive (=): the library list is complete only once every lib.mk is read.
core-cflags-y = -DCN_APP_NAME='"$(APP_NAME)"' -DCN_LIBS='"$(sort $(lib-y))"'
# Crash reports name the image with debug information for support/symbolize.py,
# relative to the build folder: where that is must not change the image.
core-cflags-y += -DCN_IMAGE_ELF='"$(APP_NAME)_$(PLAT).elf"'
core-srcs-$(CONFIG_SMP) += biglock.c taslock.c
core-srcs-$(CONFIG_LOCK_ORDER_CHECK) += lockorder.c
ifeq ($(CONFIG_LIB_CORE_TEST)$(CONFIG_LOCK_ORDER_CHECK),yy)
core-srcs-y += tests/test_lockorder.c
endif
