/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts: the handler table, indexed by vector. arm64 has a single
 * IRQ exception; the interrupt controller (the platform's GIC, given with
 * cn_arm64_set_irqchip()) says which vector arrived and ends it. Vectors
 * are Cairn's numbers (32-254, as on x86_64, so drivers are written the
 * same way); the GIC driver maps its interrupt IDs onto them. Handlers
 * run with interrupts masked on the interrupted thread's stack. A vector
 * that arrives with no handler is counted and reported once, never fatal.
 *
 * With SMP every handler runs under the big lock (<cairn/biglock.h>) but
 * the ones marked unlocked (the cross-CPU call IPI), and IPIs are the
 * GIC's software-generated interrupts (the irqchip's send_ipi()).
 */
#include <errno.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/cpu.h>
#include <cairn/log.h>
#include <cairn/arch/arm64.h>

#define NR_VECTORS	256
#define FIRST_VECTOR	32
#define SPURIOUS_VECTOR	0xff

static struct {
	cn_arch_irq_fn fn;
	void *arg;
} handlers[NR_VECTORS];
static uint64_t unhandled[NR_VECTORS];
static uint8_t unlocked[NR_VECTORS];
static unsigned int nr_wake_sources;
static void (*irq_exit_hook)(void);
static const struct cn_arm64_irqchip *irqchip;
static unsigned int next_dynamic = 48;

void cn_arm64_set_irqchip(const struct cn_arm64_irqchip *chip)
{
	irqchip = chip;
}

void cn_arch_set_irq_exit_hook(void (*fn)(void))
{
	irq_exit_hook = fn;
}

void cn_arch_irq_dispatch(struct cn_arch_trap_frame *f);
void cn_arch_irq_dispatch(struct cn_arch_trap_frame *f)
{
	uint32_t token;
	int v = irqchip ? irqchip->ack(&token) : -1;
#ifdef CONFIG_SMP
	unsigned long flags = 0;
#endif

	if (v < 0 || v >= NR_VECTORS) {
		if (!unhandled[SPURIOUS_VECTOR]++)
			cn_pr_warn("spurious interrupt (reported once)");
		return;
	}
	cn_cpu_self()->nr_irqs++;
#ifdef CONFIG_SMP
	/* Handlers stay atomic against every big-lock section. */
	if (!unlocked[v])
		flags = cn_big_lock();
#endif
	if (handlers[v].fn)
		handlers[v].fn(handlers[v].arg);
	else if (!unhandled[v]++)
		cn_pr_warn("interrupt %d has no handler (reported once)", v);
#ifdef CONFIG_SMP
	if (!unlocked[v])
		cn_big_unlock(flags);
#endif
	irqchip->eoi(token);
	/* After the end of interrupt: the hook may switch threads. */
	if (irq_exit_hook)
		irq_exit_hook();
}

int cn_arch_irq_register(unsigned int vector, cn_arch_irq_fn fn, void *arg)
{
	if (vector < FIRST_VECTOR || vector >= SPURIOUS_VECTOR || !fn)
		return -EINVAL;
	if (handlers[vector].fn)
		return -EBUSY;
	handlers[vector].arg = arg;
	handlers[vector].fn = fn;
	nr_wake_sources++;
	return 0;
}

void cn_arch_irq_mark_timer(unsigned int vector)
{
	if (vector < NR_VECTORS && handlers[vector].fn && nr_wake_sources)
		nr_wake_sources--;
}

void cn_arch_irq_mark_unlocked(unsigned int vector)
{
	if (vector < NR_VECTORS)
		unlocked[vector] = 1;
}

void cn_arm64_irqchip_cpu_init(void)
{
	if (irqchip && irqchip->cpu_init)
		irqchip->cpu_init();
}

#ifdef CONFIG_SMP
void cn_arch_send_ipi(const struct cn_cpu *c, unsigned int vector)
{
	if (irqchip && irqchip->send_ipi)
		irqchip->send_ipi(c->id, c->hw_id, vector);
}
#endif

unsigned int cn_arch_irq_wake_sources(void)
{
	return nr_wake_sources;
}

int cn_arch_irq_alloc_vector(void)
{
	while (next_dynamic < SPURIOUS_VECTOR && handlers[next_dynamic].fn)
		next_dynamic++;
	return next_dynamic < SPURIOUS_VECTOR ? (int)next_dynamic++ : -ENOSPC;
}

uint64_t cn_arch_irq_unhandled(unsigned int vector)
{
	return vector < NR_VECTORS ? unhandled[vector] : 0;
}

/* The vector table is in place from boot; the GIC is the platform's. */
void cn_arch_irq_setup(void)
{
}
