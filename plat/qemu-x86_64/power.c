/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Power-off. QEMU's isa-debug-exit device (added by support/qemu.py at port
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
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };

	cn_outl(DEBUG_EXIT_PORT, (uint32_t)status & 0x7f);
	__asm__ volatile("cli; lidt %0; int3" : : "m"(no_idt));
	cn_arch_halt_cpu();
}
