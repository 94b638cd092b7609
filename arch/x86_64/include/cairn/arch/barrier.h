/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64's memory barriers and spin-wait hint, behind the names
 * <cairn/arch.h> declares (the contract is there). Included only through
 * <cairn/arch.h>.
 */
#ifndef CAIRN_ARCH_BARRIER_H
#define CAIRN_ARCH_BARRIER_H

static inline void cn_arch_mb(void)
{
	__asm__ volatile("mfence" : : : "memory");
}

/* x86 (TSO) keeps stores ordered with stores and loads with loads. */
static inline void cn_arch_wmb(void)
{
	__asm__ volatile("" : : : "memory");
}

static inline void cn_arch_rmb(void)
{
	__asm__ volatile("" : : : "memory");
}

/* PAUSE: lets a hyperthread sibling run and saves power in spin loops. */
static inline void cn_arch_cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/*
 * Sleeping instead of spinning on a lock (the big lock, lib/core/
 * biglock.c), for the vCPU whose holder the host is not running: with
 * interrupts off, HLT wakes only for an NMI, which the releaser sends
 * (arch/x86_64/locksleep.c has the protocol).
 */
#define CN_ARCH_HAVE_LOCK_SLEEP	1
struct cn_cpu;
void cn_arch_lock_sleep(const volatile uint32_t *word);
void cn_arch_lock_kick(struct cn_cpu *c);

#endif
