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

#endif
