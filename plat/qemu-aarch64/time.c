/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Time since boot from the generic timer's virtual counter (the arch's
 * cycle counter), whose rate CNTFRQ_EL0 states: no calibration at all.
 * QEMU's counter runs at 62.5 MHz (16 ns per tick).
 */
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/plat.h>
#include <cairn/arch/arm64.h>

static uint64_t hz;

uint64_t cn_plat_cycles_to_ns(uint64_t cycles)
{
	if (!hz)
		hz = cn_arm64_counter_hz();
	if (!hz)
		hz = 62500000;		/* firmware left CNTFRQ unset */
	return (uint64_t)((unsigned __int128)cycles * 1000000000u / hz);
}

uint64_t cn_plat_time_ns(void)
{
	return cn_plat_cycles_to_ns(cn_arch_cycles() - cn_arch_boot_tsc);
}
