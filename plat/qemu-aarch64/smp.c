/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Starting the other CPUs of the board (SMP). The CPUs are the device
 * tree's /cpus/cpu@N nodes: reg is the MPIDR affinity, enable-method
 * "psci". Each is started on its own with PSCI CPU_ON (PSCI 0.2 or later,
 * through the conduit the /psci node names: hvc under QEMU -kernel, smc
 * where firmware runs at EL3), at secondary.S with a context the
 * architecture prepared (its stacks, the boot CPU's MMU settings). The
 * interrupt controller and the timer's per-CPU interrupt are set up on
 * this CPU first, so each secondary copies them into its own GIC
 * interface. A CPU that PSCI refuses, or that is not online within
 * smp.timeout_ms, is logged and left out (one that starts later stops
 * itself); the image goes on with the others.
 *
 * At the end of the memory level, once malloc works, before drivers.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/plat.h>
#include <cairn/arch/arm64.h>
#include "qemu_priv.h"

#define PSCI_CPU_ON_64	0xc4000003u

static int timeout_ms = 1000;
CN_PARAM_UINT(smp, timeout_ms, timeout_ms,
	      "how long a CPU may take to come up before it is left out (ms)");
static int nostart = -1;
CN_PARAM_INT(smp, nostart, nostart,
	     "debugging: never ask PSCI to start CPU N, as if it were "
	     "broken (-1: none)");

static int conduit;		/* 0 none, 1 hvc, 2 smc */

/* PSCI 0.2+ with its conduit; 0.1 (function IDs in the tree) is not used. */
static const char *psci_find(void)
{
	int node = cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,psci-1.0");
	const char *method;
	uint32_t len;

	if (node < 0)
		node = cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,psci-0.2");
	if (node < 0)
		return "no PSCI 0.2 or later in the device tree";
	method = cn_fdt_getprop(&cn_qemu_fdt, node, "method", &len);
	if (method && len >= 4 && strncmp(method, "hvc", len) == 0)
		conduit = 1;
	else if (method && len >= 4 && strncmp(method, "smc", len) == 0)
		conduit = 2;
	else
		return "the /psci node names no hvc or smc method";
	return NULL;
}

/* SMC Calling Convention: x0-x3 in, x0 out, x4-x17 not kept. */
static int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (conduit == 2)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 : : "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				 "x11", "x12", "x13", "x14", "x15", "x16",
				 "x17", "memory");
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 : : "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				 "x11", "x12", "x13", "x14", "x15", "x16",
				 "x17", "memory");
	return (int64_t)x0;
}

static const char *psci_error(int64_t rc)
{
	static const char *const names[] = {
		"success", "not supported", "invalid parameters", "denied",
		"already on", "on pending", "internal failure", "not present",
		"disabled", "invalid address",
	};

	return rc <= 0 && rc > -(int64_t)CN_ARRAY_SIZE(names) ?
	       names[-rc] : "unknown error";
}

static int wait_online(struct cn_cpu *c, uint64_t us)
{
	uint64_t end = cn_plat_time_ns() + us * 1000;

	while (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != CN_CPU_ONLINE)
		if (cn_plat_time_ns() >= end)
			return 0;
		else
			cn_arch_cpu_relax();
	return 1;
}

static void start_one(struct cn_cpu *c)
{
	uint64_t entry, ctx;
	int64_t rc = cn_arm64_cpu_prepare(c, &entry, &ctx);

	if (rc) {
		c->state = CN_CPU_FAILED;
		cn_pr_warn("CPU %u (MPIDR affinity %#x) not started: out of "
			   "memory", c->id, c->hw_id);
		return;
	}
	__atomic_store_n(&c->state, CN_CPU_STARTING, __ATOMIC_RELEASE);
	cn_arch_mb();
	if ((int)c->id != nostart) {
		rc = psci_call(PSCI_CPU_ON_64, cn_arm64_aff_unpack(c->hw_id),
			       entry, ctx);
		if (rc) {
			c->state = CN_CPU_FAILED;
			cn_pr_warn("CPU %u (MPIDR affinity %#x) not started: "
				   "PSCI CPU_ON returned %lld (%s); going on "
				   "without it", c->id, c->hw_id,
				   (long long)rc, psci_error(rc));
			return;
		}
	}
	if (wait_online(c, (uint64_t)(timeout_ms > 0 ? timeout_ms : 1) *
			   1000)) {
		cn_pr_info("CPU %u online (MPIDR affinity %#x)", c->id,
			   c->hw_id);
		return;
	}
	/* If it starts after all, secondary.c sees this and stops. */
	__atomic_store_n(&c->state, CN_CPU_FAILED, __ATOMIC_RELEASE);
	cn_pr_warn("CPU %u (MPIDR affinity %#x) did not come up within %d "
		   "ms; going on without it", c->id, c->hw_id, timeout_ms);
}

/* The CPUs of the device tree's /cpus that smp_start may bring up. */
struct found {
	uint32_t boot;
	unsigned int nr, skipped;
};

static void add_cpu(int node, void *arg)
{
	const struct cn_fdt *fdt = &cn_qemu_fdt;
	struct found *f = arg;
	const char *m;
	uint32_t mlen, aff;
	uint64_t mpidr, size;

	if (cn_fdt_reg(fdt, node, 0, &mpidr, &size))
		return;
	aff = cn_arm64_aff_pack(mpidr);
	if (aff == f->boot)
		return;
	m = cn_fdt_getprop(fdt, node, "enable-method", &mlen);
	if (!m || mlen < 4 || strncmp(m, "psci", mlen)) {
		cn_pr_warn("CPU with MPIDR affinity %#x left out: "
			   "enable-method %.*s, not psci", aff,
			   m ? (int)strnlen(m, mlen) : 4, m ? m : "none");
		f->skipped++;
		return;
	}
	if (!cn_cpu_add(aff)) {
		cn_pr_warn("CPU with MPIDR affinity %#x left out: more "
			   "than %d CPUs (SMP_MAX_CPUS in make "
			   "menuconfig)", aff, CONFIG_NR_CPUS);
		f->skipped++;
		return;
	}
	f->nr++;
}

/* Adds the other CPUs of /cpus: 0, or -ENOENT without /cpus. */
static int find_cpus(uint32_t boot, unsigned int *nr, unsigned int *skipped)
{
	struct found f = { boot, 0, 0 };

	if (cn_qemu_fdt_cpus(add_cpu, &f) < 0)
		return -ENOENT;
	*nr += f.nr;
	*skipped += f.skipped;
	return 0;
}

static int smp_start(void)
{
	uint32_t boot = cn_arm64_aff_pack(cn_arm64_read_sysreg(mpidr_el1));
	unsigned int i, nr = 0, skipped = 0;
	const char *why;

	cn_cpu_add(boot);
	if (find_cpus(boot, &nr, &skipped)) {
		cn_pr_info("1 CPU (no /cpus in the device tree)");
		return 0;
	}
	if (!nr) {
		cn_pr_info("1 CPU (device tree)");
		return 0;
	}
	why = psci_find();
	if (!why && (!cn_plat_irq_nr_controllers() || cn_qemu_timer_setup()))
		why = "no interrupt controller or timer";
	if (why) {
		for (i = 1; i < cn_cpu_count(); i++)
			cn_cpus[i].state = CN_CPU_FAILED;
		cn_pr_warn("other CPUs not started: %s", why);
		return 0;
	}
	/* cn_cpu_count() never passes the array; the second bound says so
	 * to the compiler, which warns otherwise with NR_CPUS=1. */
	for (i = 1; i < cn_cpu_count() && i < CONFIG_NR_CPUS; i++)
		start_one(&cn_cpus[i]);
	cn_pr_info("%u of %u CPUs online (from the device tree)",
		   cn_cpu_online(), cn_cpu_count());
	return 0;
}
CN_INIT_PRIO(smp_start, CN_INIT_MEM, 9);
