/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Starting the other CPUs of the board (SMP). The CPUs are the enabled
 * local APICs of the ACPI MADT (pc and microvm both have one), or without
 * ACPI the processor entries of the MP table. Each application processor
 * is started on its own: INIT to all first (one 10 ms wait for all), then
 * for each CPU the architecture prepares its stacks and descriptor tables
 * (cn_x86_ap_prepare) and two start-up IPIs point it at the real-mode
 * trampoline (trampoline.S, copied to a reserved page below 1 MiB). A CPU
 * that is not online within smp.timeout_ms is logged, sent INIT again (so
 * that it cannot wake up later on the next CPU's stacks) and left out;
 * the image goes on with the others.
 *
 * At the end of the memory level, once malloc works, before drivers.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/errname.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>
#include "qemu_priv.h"

#define MAX_FOUND	256

static int timeout_ms = 1000;
CN_PARAM_UINT(smp, timeout_ms, timeout_ms,
	      "how long a CPU may take to come up before it is left out (ms)");
static int nostart = -1;
CN_PARAM_INT(smp, nostart, nostart,
	     "debugging: never send CPU N its start-up IPI, as if it were "
	     "broken (-1: none)");

static uint32_t found[MAX_FOUND];
static unsigned int nr_found;

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void found_add(uint32_t apic_id)
{
	unsigned int i;

	for (i = 0; i < nr_found; i++)
		if (found[i] == apic_id)
			return;
	if (nr_found < MAX_FOUND)
		found[nr_found++] = apic_id;
}

/* The MADT's enabled (or online-capable) local APIC and x2APIC entries. */
static void add_usable(uint32_t apic_id, int usable, void *arg)
{
	(void)arg;
	if (usable)
		found_add(apic_id);
}

static int from_madt(void)
{
	return cn_qemu_madt_cpus(add_usable, NULL) >= 0;
}

static int checksum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum == 0;
}

/*
 * The MP table's floating pointer in the last KiB of base memory or the
 * BIOS area (the EBDA pointer lives in page 0, unmapped by now), then the
 * processor entries (type 0, 20 bytes; the others are 8).
 */
static int from_mp_table(void)
{
	static const uintptr_t areas[][2] = {
		{ 0x9fc00, 0xa0000 }, { 0xf0000, 0x100000 },
	};
	const uint8_t *fp = NULL, *cfg, *p, *end;
	unsigned int a, n;
	uintptr_t s;

	for (a = 0; a < 2 && !fp; a++)
		for (s = areas[a][0]; s < areas[a][1]; s += 16)
			if (memcmp((const void *)s, "_MP_", 4) == 0 &&
			    checksum_ok((const void *)s, 16)) {
				fp = (const uint8_t *)s;
				break;
			}
	if (!fp || !rd32(fp + 4))
		return 0;
	cfg = (const uint8_t *)(uintptr_t)rd32(fp + 4);
	if (memcmp(cfg, "PCMP", 4))
		return 0;
	end = cfg + (cfg[4] | cfg[5] << 8);
	n = cfg[34] | cfg[35] << 8;
	for (p = cfg + 44; n-- && p < end; p += p[0] == 0 ? 20 : 8)
		if (p[0] == 0 && (p[3] & 1))
			found_add(p[1]);
	return 1;
}

static void wait_us(uint64_t us)
{
	uint64_t end = cn_plat_time_ns() + us * 1000;

	while (cn_plat_time_ns() < end)
		cn_arch_cpu_relax();
}

static int wait_online(struct cn_cpu *c, uint64_t us)
{
	uint64_t end = cn_plat_time_ns() + us * 1000;

	while (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != CN_CPU_ONLINE)
		if (cn_plat_time_ns() >= end)
			return 0;
	return 1;
}

static void start_one(struct cn_cpu *c)
{
	const uint32_t sipi = CN_X86_ICR_STARTUP | (CN_QEMU_TRAMPOLINE >> 12);
	int rc = cn_x86_ap_prepare(c);

	if (rc) {
		c->state = CN_CPU_FAILED;
		cn_pr_warn("CPU %u (APIC id %u) not started: %d (%s)", c->id,
			   c->hw_id, rc, cn_errname(rc));
		return;
	}
	c->state = CN_CPU_STARTING;
	if ((int)c->id != nostart) {
		cn_x86_lapic_ipi(c->hw_id, sipi);
		if (!wait_online(c, 200))
			cn_x86_lapic_ipi(c->hw_id, sipi);
	}
	if (wait_online(c, (uint64_t)(timeout_ms > 0 ? timeout_ms : 1) *
			   1000)) {
		cn_pr_info("CPU %u online (APIC id %u)", c->id, c->hw_id);
		return;
	}
	cn_x86_lapic_ipi(c->hw_id, CN_X86_ICR_INIT);
	c->state = CN_CPU_FAILED;
	cn_pr_warn("CPU %u (APIC id %u) did not come up within %d ms; "
		   "going on without it", c->id, c->hw_id, timeout_ms);
}

static int smp_start(void)
{
	uint32_t bsp;
	unsigned int i, nr = 0;
	const char *source = "ACPI MADT";

	cn_arch_irq_setup();		/* this CPU's local APIC on */
	bsp = cn_x86_lapic_id();
	cn_cpu_add(bsp);
	if (!from_madt()) {
		source = "MP table";
		if (!from_mp_table())
			source = NULL;
	}
	for (i = 0; i < nr_found; i++) {
		if (found[i] == bsp)
			continue;
		if (found[i] > 0xff) {
			cn_pr_warn("CPU with x2APIC id %u left out (xAPIC mode "
				   "reaches ids up to 255)", found[i]);
			continue;
		}
		if (!cn_cpu_add(found[i])) {
			cn_pr_warn("%u CPUs found, %d used (SMP_MAX_CPUS in "
				   "make menuconfig)", nr_found,
				   CONFIG_NR_CPUS);
			break;
		}
		nr++;
	}
	if (!nr) {
		cn_pr_info("1 CPU (%s)", source ? source : "no ACPI MADT or "
			   "MP table");
		return 0;
	}
	memcpy((void *)(uintptr_t)CN_QEMU_TRAMPOLINE, cn_qemu_trampoline,
	       (size_t)(cn_qemu_trampoline_end - cn_qemu_trampoline));
	/* cn_cpu_count() never passes the array; the second bound says so
	 * to the compiler, which warns otherwise with NR_CPUS=1. */
	for (i = 1; i < cn_cpu_count() && i < CONFIG_NR_CPUS; i++)
		cn_x86_lapic_ipi(cn_cpus[i].hw_id, CN_X86_ICR_INIT);
	wait_us(10000);			/* the INIT-SIPI delay of the MP spec */
	for (i = 1; i < cn_cpu_count() && i < CONFIG_NR_CPUS; i++)
		start_one(&cn_cpus[i]);
	cn_pr_info("%u of %u CPUs online (from the %s)", cn_cpu_online(),
		   cn_cpu_count(), source);
	return 0;
}
CN_INIT_PRIO(smp_start, CN_INIT_MEM, 9);
