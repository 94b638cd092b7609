/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64's interrupt flag (RFLAGS.IF) behind the names <cairn/arch.h>
 * declares (the contract is there). Included only through <cairn/arch.h>.
 */
#ifndef CAIRN_ARCH_IRQFLAGS_H
#define CAIRN_ARCH_IRQFLAGS_H

#define CN_X86_RFLAGS_IF	0x200ul

static inline unsigned long cn_arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void cn_arch_irq_restore(unsigned long flags)
{
	if (flags & CN_X86_RFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

static inline void cn_arch_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void cn_arch_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline int cn_arch_irqs_enabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags) : : "memory");
	return (flags & CN_X86_RFLAGS_IF) != 0;
}

/*
 * STI takes effect after the next instruction, so an interrupt that is
 * already pending is taken after the HLT has started: no wake-up is lost
 * between the caller's check and the halt.
 */
static inline void cn_arch_wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

#endif
