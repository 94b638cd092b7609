# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_PLAT_QEMU_AARCH64) += plat-qemu-aarch64
plat-qemu-aarch64-srcs-y := start.c console.c power.c time.c timer.c gic.c \
	rtc.c devices.c pci.c semihost.S
plat-qemu-aarch64-srcs-$(CONFIG_SMP) += smp.c
image-ldflags-$(CONFIG_PLAT_QEMU_AARCH64) += --defsym=__cn_load_addr=0x40200000
# The bootable file is the raw binary: a Linux arm64 Image (boot.S's
# header); <app>.elf boots too.
ifeq ($(CONFIG_PLAT_QEMU_AARCH64),y)
image-objcopy-flags := -O binary
endif
