/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one-shot timer: the EL1 virtual timer of the generic timer. The
 * deadline is written as an absolute counter value (CNTV_CVAL_EL0), so
 * there is nothing to calibrate and no range limit. Its interrupt is a
 * per-CPU interrupt (PPI 11, interrupt ID 27 on virt, read from the
 * device tree's /timer node) and is level-triggered: the handler masks
 * the timer before anything else, or it would fire again at once.
 *
 * SMP: every CPU has its own timer; the deadline goes on the timer of
 * the CPU that arms it, and whichever CPU's timer fires runs the queue.
 * The interrupt is routed once (cn_qemu_timer_setup(), before the other
 * CPUs start, so each copies it into its own GIC interface).
 */
#include <errno.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/arch/arm64.h>
#include "qemu_priv.h"

#define CTL_ENABLE	(1u << 0)
#define CTL_IMASK	(1u << 1)
#define VIRT_TIMER_PPI	27		/* if the tree does not say */

static void (*handler)(void);
static int vector = -1;

static void timer_irq(void *arg)
{
	cn_arm64_write_sysreg(cntv_ctl_el0, CTL_IMASK);
	if (handler)
		handler();
}

static int timer_setup(void)
{
	int node = cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,armv8-timer");
	unsigned int intid = VIRT_TIMER_PPI, flags = CN_IRQ_LEVEL;

	/* Entries: secure physical, physical, virtual, hypervisor. */
	if (node < 0 || cn_qemu_fdt_irq(node, 2, &intid, &flags))
		cn_pr_warn("timer: no virtual timer in the device tree; "
			   "using interrupt %d", VIRT_TIMER_PPI);
	cn_arm64_write_sysreg(cntv_ctl_el0, CTL_IMASK);
	vector = cn_arch_irq_alloc_vector();
	if (vector < 0 || cn_arch_irq_register(vector, timer_irq, NULL))
		return -1;
	cn_arch_irq_mark_timer((unsigned int)vector);
	if (cn_plat_irq_route(intid, (unsigned int)vector, CN_IRQ_LEVEL)) {
		cn_pr_err("timer: cannot route interrupt %u", intid);
		return -1;
	}
	cn_pr_debug("timer: generic timer (virtual) at %llu kHz, interrupt "
		    "%u, vector %d",
		    (unsigned long long)(cn_arm64_counter_hz() / 1000), intid,
		    vector);
	return 0;
}

int cn_qemu_timer_setup(void)
{
	return vector < 0 && timer_setup() ? -ENODEV : 0;
}

void cn_plat_timer_set_handler(void (*fn)(void))
{
	handler = fn;
}

void cn_plat_timer_arm(uint64_t deadline_ns)
{
	uint64_t hz, ticks;

	if (vector < 0 && timer_setup())
		return;
	if (!deadline_ns) {
		cn_arm64_write_sysreg(cntv_ctl_el0, CTL_IMASK);
		return;
	}
	hz = cn_arm64_counter_hz();
	ticks = (uint64_t)((unsigned __int128)deadline_ns * hz / 1000000000u);
	cn_arm64_write_sysreg(cntv_cval_el0, cn_arch_boot_tsc + ticks + 1);
	cn_arm64_write_sysreg(cntv_ctl_el0, CTL_ENABLE);
	cn_arm64_isb();
}
