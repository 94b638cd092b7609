/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host builds (tests/host/build.py): a user process has no interrupts,
 * so the interrupt flag is a variable that only these functions change.
 */
#ifndef CAIRN_ARCH_IRQFLAGS_H
#define CAIRN_ARCH_IRQFLAGS_H

static inline int *cn_host_irqs_on(void)
{
	static int on;

	return &on;
}

static inline unsigned long cn_arch_irq_save(void)
{
	unsigned long flags = (unsigned long)*cn_host_irqs_on();

	*cn_host_irqs_on() = 0;
	return flags;
}

static inline void cn_arch_irq_restore(unsigned long flags)
{
	*cn_host_irqs_on() = flags != 0;
}

static inline void cn_arch_irq_enable(void)
{
	*cn_host_irqs_on() = 1;
}

static inline void cn_arch_irq_disable(void)
{
	*cn_host_irqs_on() = 0;
}

static inline int cn_arch_irqs_enabled(void)
{
	return *cn_host_irqs_on();
}

/* Nothing can arrive: the caller would wait for ever. */
static inline void cn_arch_wait_for_interrupt(void)
{
	__builtin_trap();
}

#endif
