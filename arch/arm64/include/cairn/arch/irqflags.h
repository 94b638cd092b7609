/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64's interrupt mask (PSTATE.I, read and written through DAIF) behind
 * the names <cairn/arch.h> declares (the contract is there). Included only
 * through <cairn/arch.h>.
 */
#ifndef CAIRN_ARCH_IRQFLAGS_H
#define CAIRN_ARCH_IRQFLAGS_H

#define CN_ARM64_DAIF_I		0x80ul	/* IRQs masked */

static inline unsigned long cn_arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif; msr daifset, #2"
			 : "=r"(flags) : : "memory");
	return flags;
}

static inline void cn_arch_irq_restore(unsigned long flags)
{
	if (!(flags & CN_ARM64_DAIF_I))
		__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static inline void cn_arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static inline void cn_arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

static inline int cn_arch_irqs_enabled(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif" : "=r"(flags) : : "memory");
	return !(flags & CN_ARM64_DAIF_I);
}

/*
 * WFI wakes up on a pending interrupt even while PSTATE.I masks it, so
 * waiting with interrupts masked and then opening the mask for a moment
 * loses no wake-up between the caller's check and the wait.
 */
static inline void cn_arch_wait_for_interrupt(void)
{
	__asm__ volatile("wfi; msr daifclr, #2; isb; msr daifset, #2"
			 : : : "memory");
}

#endif
