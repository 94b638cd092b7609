/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Power-off with an exit status. PSCI SYSTEM_OFF stops QEMU but always
 * with exit code 0, which cannot tell success from failure, so the status
 * goes out first through Arm semihosting: SYS_EXIT with the reason
 * ADP_Stopped_ApplicationExit and a subcode, which QEMU started with
 * -semihosting-config enable=on,target=native (support/qemu.py does)
 * turns into its own exit code. The subcode is (status << 1) | 1, the
 * encoding isa-debug-exit gives on x86, so the launcher decodes both
 * platforms alike and an exit code 0 still means "no status".
 *
 * Without semihosting, QEMU makes the HLT #0xf000 an undefined
 * instruction, which semihost.S steps over; the image then powers off
 * through PSCI (hvc or smc, as the device tree's /psci node says), QEMU's
 * exit code 0 (the launcher reports "no status").
 */
#include <string.h>
#include <cairn/arch.h>
#include <cairn/plat.h>
#include "qemu_priv.h"

#define ADP_STOPPED_APPLICATION_EXIT	0x20026
#define PSCI_SYSTEM_OFF			0x84000008u
#define PSCI_SYSTEM_RESET		0x84000009u

void cn_qemu_semihost_exit(const uint64_t block[2]);

static void semihost_exit(int status)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT,
			      ((uint64_t)status << 1) | 1 };

	cn_qemu_semihost_exit(block);
}

/*
 * Calls PSCI function fn through the conduit the device tree names. The
 * register variable is set just before the call instruction: a function
 * call between its assignment and the asm could clobber x0.
 */
static void psci_call(uint32_t fn)
{
	int node = cn_qemu_fdt.blob ?
		   cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,psci-1.0") :
		   -1;
	const char *method = NULL;
	uint32_t len;

	if (node < 0 && cn_qemu_fdt.blob)
		node = cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,psci-0.2");
	if (node >= 0)
		method = cn_fdt_getprop(&cn_qemu_fdt, node, "method", &len);
	if (method && len >= 4 && strncmp(method, "smc", len) == 0) {
		register uint64_t x0 __asm__("x0") = fn;

		__asm__ volatile("smc #0" : "+r"(x0) : : "memory");
	} else if (method) {
		register uint64_t x0 __asm__("x0") = fn;

		__asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
	}
}

void cn_plat_halt(int status)
{
	static int halting;

	cn_arch_irq_save();
	if (!halting++)
		semihost_exit(status & 0x7f);
	psci_call(PSCI_SYSTEM_OFF);
	cn_arch_halt_cpu();
}

void cn_plat_reset(void)
{
	cn_arch_irq_save();
	psci_call(PSCI_SYSTEM_RESET);
	cn_arch_halt_cpu();
}
