# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_PLAT_QEMU_X86_64) += plat-qemu-x86_64
plat-qemu-x86_64-srcs-y := pvh.c multiboot.c console.c power.c time.c timer.c rtc.c irqchip.c pci.c
plat-qemu-x86_64-srcs-$(CONFIG_SMP) += smp.c trampoline.S
image-ldflags-$(CONFIG_PLAT_QEMU_X86_64) += --defsym=__cn_load_addr=$(CONFIG_PLAT_QEMU_LOAD_ADDR)
