/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts: the handler table for vectors 32-255 and the local APIC
 * (end of interrupt, its timer). The legacy PIC is masked at boot (cpu.c).
 * Handlers run with interrupts off on the interrupted stack. A vector that
 * arrives with no handler is counted and reported once, never fatal.
 */
#include <errno.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/cpu.h>
#include <cairn/log.h>
#include <cairn/arch/x86_64.h>
#include "x86_64_priv.h"

#define NR_VECTORS	256
#define FIRST_VECTOR	32
#define SPURIOUS_VECTOR	0xff
#define LAPIC_BASE	0xfee00000ul
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	0x390
#define LAPIC_TIMER_DIV	0x3e0
#define MSR_APIC_BASE	0x1b
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define ICR_PENDING	(1u << 12)

static struct {
	cn_arch_irq_fn fn;
	void *arg;
} handlers[NR_VECTORS];
static uint64_t unhandled[NR_VECTORS];
static uint8_t unlocked[NR_VECTORS];	/* handler without the big lock */
static unsigned int nr_wake_sources;
static void (*irq_exit_hook)(void);

void cn_arch_set_irq_exit_hook(void (*fn)(void))
{
	irq_exit_hook = fn;
}
static unsigned int next_dynamic = 48;

static inline void lapic_write(unsigned int reg, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC_BASE + reg) = v;
}

static inline uint32_t lapic_read(unsigned int reg)
{
	return *(volatile uint32_t *)(LAPIC_BASE + reg);
}

void cn_arch_irq_dispatch(struct cn_arch_trap_frame *f);
void cn_arch_irq_dispatch(struct cn_arch_trap_frame *f)
{
	unsigned int v = (unsigned int)f->vector;
#ifdef CONFIG_SMP
	unsigned long flags = 0;
#endif

	cn_cpu_self()->nr_irqs++;
	if (v == SPURIOUS_VECTOR) {		/* no EOI for spurious */
		if (!unhandled[v]++)
			cn_pr_warn("spurious interrupt (reported once)");
		return;
	}
#ifdef CONFIG_SMP
	/* Handlers stay atomic against every big-lock section. */
	if (!unlocked[v])
		flags = cn_big_lock();
#endif
	if (handlers[v].fn)
		handlers[v].fn(handlers[v].arg);
	else if (!unhandled[v]++)
		cn_pr_warn("interrupt %u has no handler (reported once)", v);
#ifdef CONFIG_SMP
	if (!unlocked[v])
		cn_big_unlock(flags);
#endif
	lapic_write(LAPIC_EOI, 0);
	/* After the EOI: the hook may switch threads (preemption). */
	if (irq_exit_hook)
		irq_exit_hook();
}

int cn_arch_irq_register(unsigned int vector, cn_arch_irq_fn fn, void *arg)
{
	if (vector < FIRST_VECTOR || vector >= SPURIOUS_VECTOR || !fn)
		return -EINVAL;
	cn_arch_irq_setup();
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

/* The LAPIC timer: one-shot, divide by 1, on the given vector. */
void cn_x86_lapic_timer_oneshot(unsigned int vector, uint32_t ticks)
{
	lapic_write(LAPIC_TIMER_DIV, 0xb);
	lapic_write(LAPIC_LVT_TIMER, vector);
	lapic_write(LAPIC_TIMER_INIT, ticks ? ticks : 1);
}

void cn_x86_lapic_timer_stop(void)
{
	lapic_write(LAPIC_TIMER_INIT, 0);
}

uint32_t cn_x86_lapic_timer_count(void)
{
	return lapic_read(LAPIC_TIMER_CUR);
}

/*
 * On the first registration, or before anyone enables interrupts
 * (interrupts stay off until then, so an image that never takes one never
 * pays for this): the LAPIC software-enabled with the spurious vector and
 * the IDT entries for vectors 32-255 in place. The PIC is masked at boot.
 */
void cn_arch_irq_setup(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	cn_x86_lapic_enable();
	cn_x86_idt_install_irqs();
}

/* This CPU's local APIC on (globally and in software), spurious vector. */
void cn_x86_lapic_enable(void)
{
	cn_wrmsr(MSR_APIC_BASE, cn_rdmsr(MSR_APIC_BASE) | (1u << 11));
	lapic_write(LAPIC_SVR, 0x100 | SPURIOUS_VECTOR);
}

uint32_t cn_x86_lapic_id(void)
{
	return lapic_read(0x020) >> 24;
}

/*
 * An inter-processor interrupt: icr_lo is the ICR's low word (vector,
 * delivery mode, level), the destination a physical APIC id. Waits until
 * the local APIC has sent the previous one (the delivery-status bit), as
 * the ICR must not be rewritten while it is busy. Interrupts off around
 * the two writes: a handler's IPI between them would change the target.
 */
void cn_x86_lapic_ipi(uint32_t apic_id, uint32_t icr_lo)
{
	unsigned long flags = cn_arch_irq_save();

	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		cn_arch_cpu_relax();
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr_lo);
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		cn_arch_cpu_relax();
	cn_arch_irq_restore(flags);
}

void cn_arch_send_ipi(const struct cn_cpu *c, unsigned int vector)
{
	cn_x86_lapic_ipi(c->hw_id, vector & 0xff);	/* fixed, edge */
}

void cn_arch_msi_compose(unsigned int vector, uint64_t *addr, uint32_t *data)
{
	uint32_t apic_id = lapic_read(0x020) >> 24;

	*addr = LAPIC_BASE | ((uint64_t)apic_id << 12);
	*data = vector & 0xff;
}
