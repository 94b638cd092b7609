/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU basics after boot.S: the cycle counter (the generic timer's virtual
 * count, CNTVCT_EL0: constant rate, CNTFRQ_EL0 Hz), halting, and the hand-
 * over to the platform's entry.
 */
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/plat.h>
#include <cairn/arch/arm64.h>

uint64_t cn_arch_cycles(void)
{
	uint64_t v;

	/* The ISB keeps the read from being done early, out of order. */
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

void cn_arch_halt_cpu(void)
{
	for (;;)
		__asm__ volatile("msr daifset, #0xf; wfi");
}

/* No MSIs without an ITS or GICv2m; nothing uses them on arm64 yet. */
void cn_arch_msi_compose(unsigned int vector, uint64_t *addr, uint32_t *data)
{
	*addr = 0;
	*data = vector;
}

void cn_arch_start(uintptr_t boot_arg);
void cn_arch_start(uintptr_t boot_arg)
{
	cn_plat_start(boot_arg);
}
