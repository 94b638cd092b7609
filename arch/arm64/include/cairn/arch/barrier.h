/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64's memory barriers and spin-wait hint, behind the names
 * <cairn/arch.h> declares (the contract is there). Included only through
 * <cairn/arch.h>.
 *
 * DSB rather than DMB: the other agent is a device (virtio DMA, MMIO
 * registers), and a DSB also orders accesses to device memory with
 * accesses to normal memory, which the drivers rely on when they write a
 * descriptor and then ring a doorbell.
 */
#ifndef CAIRN_ARCH_BARRIER_H
#define CAIRN_ARCH_BARRIER_H

static inline void cn_arch_mb(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

static inline void cn_arch_wmb(void)
{
	__asm__ volatile("dsb st" : : : "memory");
}

static inline void cn_arch_rmb(void)
{
	__asm__ volatile("dsb ld" : : : "memory");
}

/* YIELD: the spin-loop hint (a no-op on most cores, and in QEMU). */
static inline void cn_arch_cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

#endif
