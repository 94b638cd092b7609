/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `reboot` on x86: the PCI reset control register (0xcf9, pc's chipset),
 * then the keyboard controller's reset line (0x64), then a triple fault,
 * which resets any x86 machine (microvm has neither device). QEMU started
 * with -no-reboot (as support/qemu.py does) exits instead of rebooting.
 * This belongs to the platform; until plat.h has a reset call it lives
 * here.
 */
#include <cairn/arch.h>
#include <cairn/arch/x86_64.h>
#include "shell_priv.h"

void cn_shell_reset(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };
	int i;

	cn_arch_irq_save();
	cn_outb(0xcf9, 0x02);
	cn_outb(0xcf9, 0x06);
	for (i = 0; i < 100000; i++)
		cn_cpu_pause();
	cn_outb(0x64, 0xfe);
	for (i = 0; i < 100000; i++)
		cn_cpu_pause();
	__asm__ volatile("lidt %0; int3" : : "m"(no_idt));
	cn_arch_halt_cpu();
}
