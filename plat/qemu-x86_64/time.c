/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Time since boot from the TSC. Its frequency comes, on first use, from
 * CPUID when the CPU states it, else from a measurement against the PIT
 * over 2 ms (not the 100 ms some kernels wait: an image that never asks
 * for the time never pays for it). If the PIT
 * does not count (microvm can be started without one), 1 GHz is assumed
 * and a warning says so.
 */
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/panic.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>

#define PIT_HZ		1193182u
#define CAL_TICKS	(PIT_HZ / 500)		/* 2 ms */

static uint64_t tsc_hz;

static uint16_t pit0_read(void)
{
	uint8_t lo, hi;

	cn_outb(0x43, 0x00);		/* latch channel 0 */
	lo = cn_inb(0x40);
	hi = cn_inb(0x40);
	return (uint16_t)(hi << 8 | lo);
}

/*
 * Channel 0 in mode 0 counts down from 0xffff; the TSC is read when the
 * count has moved CAL_TICKS from its first reading. Channel 0 rather than
 * the usual channel 2: channel 2's gate is port 0x61, which microvm lacks.
 * Interrupts are off, so the terminal count raises nothing here.
 */
static uint64_t calibrate(void)
{
	uint64_t t0, t1;
	uint32_t spins = 0;
	uint16_t start, now;

	cn_outb(0x43, 0x30);		/* channel 0, lobyte/hibyte, mode 0 */
	cn_outb(0x40, 0xff);
	cn_outb(0x40, 0xff);
	start = pit0_read();
	t0 = cn_arch_cycles();
	do {
		now = pit0_read();
		if (++spins > 10000000u || now > start) {
			cn_crash_printf("qemu-x86_64: PIT does not count; "
					"assuming a 1 GHz TSC\n");
			return 1000000000ull;
		}
	} while ((uint16_t)(start - now) < CAL_TICKS);
	t1 = cn_arch_cycles();
	return (t1 - t0) * PIT_HZ / (uint16_t)(start - now);
}

/*
 * The TSC rate the CPU states, when it does: leaf 0x15 (crystal clock and
 * TSC/crystal ratio) or leaf 0x16 (base frequency in MHz). 0 otherwise.
 */
static uint64_t tsc_hz_from_cpuid(void)
{
	uint32_t r[4];

	cn_x86_cpuid(0, 0, r);
	if (r[0] >= 0x15) {
		uint32_t l[4];

		cn_x86_cpuid(0x15, 0, l);		/* eax denominator, ebx numerator */
		if (l[0] && l[1] && l[2])
			return (uint64_t)l[2] * l[1] / l[0];
	}
	if (r[0] >= 0x16) {
		uint32_t l[4];

		cn_x86_cpuid(0x16, 0, l);
		if (l[0] & 0xffff)
			return (uint64_t)(l[0] & 0xffff) * 1000000u;
	}
	return 0;
}

uint64_t cn_plat_cycles_to_ns(uint64_t cycles)
{
	if (!tsc_hz)
		tsc_hz = tsc_hz_from_cpuid();
	if (!tsc_hz)
		tsc_hz = calibrate();
	return (uint64_t)((unsigned __int128)cycles * 1000000000u / tsc_hz);
}

uint64_t cn_plat_time_ns(void)
{
	return cn_plat_cycles_to_ns(cn_arch_cycles() - cn_arch_boot_tsc);
}
