/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one-shot timer of the qemu-x86_64 platform: the local APIC timer,
 * whose rate is measured once against the TSC (1 ms) on the first arm, so
 * an image that never sleeps never pays for it. Deadlines further away
 * than the 32-bit counter reaches fire early; the caller re-arms.
 */
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>

static void (*handler)(void);
static int vector = -1;
static uint64_t apic_hz;

static void timer_irq(void *arg)
{
	if (handler)
		handler();
}

static int timer_setup(void)
{
	uint64_t t0, ns;
	uint32_t left;

	vector = cn_arch_irq_alloc_vector();
	if (vector < 0 || cn_arch_irq_register(vector, timer_irq, NULL))
		return -1;
	/* Count down from the top for 1 ms of TSC time, masked. */
	cn_x86_lapic_timer_oneshot(vector | 0x10000, 0xffffffffu);
	t0 = cn_plat_time_ns();
	do {
		ns = cn_plat_time_ns() - t0;
	} while (ns < 1000000);
	left = cn_x86_lapic_timer_count();
	cn_x86_lapic_timer_stop();
	apic_hz = (uint64_t)(0xffffffffu - left) * 1000000000ull / ns;
	if (!apic_hz)
		apic_hz = 1000000000ull;
	cn_pr_debug("timer: local APIC at %llu kHz, vector %d",
		    (unsigned long long)(apic_hz / 1000), vector);
	return 0;
}

void cn_plat_timer_set_handler(void (*fn)(void))
{
	handler = fn;
}

void cn_plat_timer_arm(uint64_t deadline_ns)
{
	uint64_t now, ticks;

	if (vector < 0 && timer_setup())
		return;
	if (!deadline_ns) {
		cn_x86_lapic_timer_stop();
		return;
	}
	now = cn_plat_time_ns();
	ticks = deadline_ns > now ?
		(uint64_t)((unsigned __int128)(deadline_ns - now) * apic_hz /
			   1000000000u) : 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu;
	cn_x86_lapic_timer_oneshot((unsigned int)vector, (uint32_t)ticks);
}
