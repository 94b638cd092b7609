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

/*
 * Spin-wait for another CPU's store (the spinlocks of <cairn/spinlock.h>
 * and the big lock): returns once *p == val, with acquire ordering. The
 * exclusive load (LDAXR) arms this CPU's exclusive monitor; a store by
 * another CPU to the same granule clears it, which is a wake-up event for
 * WFE, so a waiter sleeps in WFE instead of hammering the bus and wakes as
 * soon as the holder's store-release (STLR) lands. SEVL makes the first
 * WFE fall through. Interrupts and the event stream also end a WFE, so a
 * spurious wake-up only costs another look.
 */
#define CN_ARCH_HAVE_SPIN_WAIT	1
static inline void cn_arch_spin_wait_eq32(const uint32_t *p, uint32_t val)
{
	uint32_t v;

	__asm__ volatile("sevl\n"
			 "1:\twfe\n\t"
			 "ldaxr %w0, %1\n\t"
			 "cmp %w0, %w2\n\t"
			 "b.ne 1b"
			 : "=&r"(v) : "Q"(*p), "r"(val) : "cc", "memory");
}

#endif
