# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_ARCH_X86_64) += arch-x86_64
arch-x86_64-srcs-y := boot.S traps.S irq_entry.S switch.S irq.c cpu.c context.c tls.c trap.c backtrace.c paging.c \
	random.c string.c
arch-x86_64-srcs-$(CONFIG_SMP) += ap_boot.S smp.c locksleep.c
