# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_ARCH_ARM64) += arch-arm64
arch-arm64-srcs-y := boot.S vectors.S switch.S mmu.c cpu.c irq.c context.c \
	tls.c trap.c backtrace.c random.c
arch-arm64-srcs-$(CONFIG_SMP) += secondary.S smp.c
