/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Power-off and reset. QEMU's isa-debug-exit device (added by support/qemu.py at port
 * 0xf4) ends QEMU with exit code (value << 1) | 1, which the launcher turns
 * back into value. Without that device the CPU resets through a triple
 * fault, which QEMU with -no-reboot also turns into an exit.
 */
#include <cairn/arch.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>

#define DEBUG_EXIT_PORT 0xf4

void cn_plat_halt(int status)
{
	cn_outl(DEBUG_EXIT_PORT, (uint32_t)status & 0x7f);
	cn_x86_triple_fault();
}

/*
 * The PCI reset control register (0xcf9, pc's chipset: system reset, then
 * CPU reset), then the keyboard controller's reset line (0x64), then a
 * triple fault, which resets any x86 machine (microvm has neither device).
 */
void cn_plat_reset(void)
{
	int i;

	cn_arch_irq_save();
	cn_outb(0xcf9, 0x02);
	cn_outb(0xcf9, 0x06);
	for (i = 0; i < 100000; i++)
		cn_arch_cpu_relax();
	cn_outb(0x64, 0xfe);
	for (i = 0; i < 100000; i++)
		cn_arch_cpu_relax();
	cn_x86_triple_fault();
}
