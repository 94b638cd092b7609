/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one-shot timer of the qemu-x86_64 platform: the local APIC timer,
 * whose rate is measured once against the TSC (1 ms) on the first arm, so
 * an image that never sleeps never pays for it. Without a local APIC (or
 * with timer.source=pit) it is PIT channel 0 through the legacy PIC,
 * remapped to vectors 32-47 with only IRQ0 unmasked. Deadlines further
 * away than a counter reaches (the PIT's: 55 ms) fire early; the caller
 * re-arms.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/param.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>

#define PIT_HZ		1193182u
#define PIC_VECTOR	32		/* IRQ0 after the remap */

static void (*handler)(void);
static int vector = -1;
static uint64_t apic_hz;
static int use_pit;
static const char *source = "auto";

static int parse_source(const char *val)
{
	static const char *const ok[] = { "auto", "lapic", "pit" };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (strcmp(val, ok[i]) == 0) {
			source = ok[i];
			return 0;
		}
	}
	return -EINVAL;
}
CN_PARAM_FN(timer, source, parse_source,
	    "auto, lapic or pit (the one-shot timer hardware)");

static void timer_irq(void *arg)
{
	if (use_pit)
		cn_outb(0x20, 0x20);		/* the PIC's end of interrupt */
	if (handler)
		handler();
}

static int has_lapic(void)
{
	uint32_t r[4];

	cn_x86_cpuid(1, 0, r);
	return !!(r[3] & (1u << 9));
}

/* PIC: ICW1-4, vectors 32-39 and 40-47, everything masked but IRQ0. */
static int pit_setup(void)
{
	static const uint8_t init[] = { 0x11, PIC_VECTOR, 4, 1 };
	static const uint8_t init2[] = { 0x11, PIC_VECTOR + 8, 2, 1 };
	unsigned int i;

	if (cn_arch_irq_register(PIC_VECTOR, timer_irq, NULL))
		return -1;
	cn_arch_irq_mark_timer(PIC_VECTOR);
	for (i = 0; i < 4; i++) {
		cn_outb(i ? 0x21 : 0x20, init[i]);
		cn_outb(i ? 0xa1 : 0xa0, init2[i]);
	}
	cn_outb(0x21, 0xfe);
	cn_outb(0xa1, 0xff);
	use_pit = 1;
	vector = PIC_VECTOR;
	cn_pr_debug("timer: PIT channel 0 through the PIC, vector %d",
		    vector);
	return 0;
}

static void pit_oneshot(uint64_t ns)
{
	uint64_t ticks = ns * PIT_HZ / 1000000000u;

	if (ticks < 1)
		ticks = 1;
	if (ticks > 0xffff)
		ticks = 0xffff;
	cn_outb(0x43, 0x30);		/* channel 0, lobyte/hibyte, mode 0 */
	cn_outb(0x40, ticks & 0xff);
	cn_outb(0x40, (ticks >> 8) & 0xff);
}

static int timer_setup(void)
{
	uint64_t t0, ns;
	uint32_t left;

	if (strcmp(source, "pit") == 0 ||
	    (strcmp(source, "lapic") != 0 && !has_lapic()))
		return pit_setup();
	vector = cn_arch_irq_alloc_vector();
	if (vector < 0 || cn_arch_irq_register(vector, timer_irq, NULL))
		return -1;
	cn_arch_irq_mark_timer((unsigned int)vector);
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
		if (!use_pit)
			cn_x86_lapic_timer_stop();
		return;
	}
	now = cn_plat_time_ns();
	if (use_pit) {
		pit_oneshot(deadline_ns > now ? deadline_ns - now : 0);
		return;
	}
	ticks = deadline_ns > now ?
		(uint64_t)((unsigned __int128)(deadline_ns - now) * apic_hz /
			   1000000000u) : 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu;
	cn_x86_lapic_timer_oneshot((unsigned int)vector, (uint32_t)ticks);
}
