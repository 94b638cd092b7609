/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The architecture's half of starting a secondary CPU (SMP): its stacks,
 * a TLS block for the C code it runs, and the boot CPU's MMU and vector
 * settings, handed over in a context that secondary.S reads with the MMU
 * off. The platform finds the CPUs in the device tree and starts each
 * with PSCI CPU_ON (plat/qemu-aarch64/smp.c); each CPU has its own
 * context, so a CPU that comes up late never reads another's.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/arch/arm64.h>

#define STACK		(16 * 1024)
#define CACHE_LINE	64	/* the smallest line a cleaning loop may assume */

/* Read by secondary.S: keep the offsets there in step. */
struct arm64_boot {
	uint64_t mair, tcr, ttbr0, sctlr, vbar, sp_el1, sp_el0;
	struct cn_cpu *cpu;
};

struct arm64_cpu {
	struct arm64_boot boot CN_ALIGNED(64);
	void *tp;
	uint8_t exc_stack[STACK] CN_ALIGNED(16);
	uint8_t stack[STACK] CN_ALIGNED(16);
};

void cn_arm64_secondary_entry(void);
CN_NORETURN void cn_arm64_secondary_start(struct arm64_boot *b);

void cn_arch_cpu_set_self(struct cn_cpu *c)
{
	cn_arm64_write_sysreg(tpidr_el1, (uintptr_t)c);
}

/*
 * The secondary reads its context with the MMU (and so the data cache)
 * off: clean the lines to memory first. QEMU has no caches to clean;
 * hardware would.
 */
static void clean_to_poc(const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(CACHE_LINE - 1);

	for (; a < (uintptr_t)p + n; a += CACHE_LINE)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

int cn_arm64_cpu_prepare(struct cn_cpu *c, uint64_t *entry, uint64_t *ctx)
{
	struct arm64_cpu *a = c->arch;
	struct arm64_boot *b;

	if (!a) {
		a = malloc(sizeof(*a));
		if (!a)
			return -ENOMEM;
		memset(a, 0, offsetof(struct arm64_cpu, exc_stack));
		a->tp = malloc(cn_arch_tls_area_size());
		if (!a->tp) {
			free(a);
			return -ENOMEM;
		}
		a->tp = cn_arch_tls_init(a->tp);
		c->arch = a;
	}
	b = &a->boot;
	b->mair = cn_arm64_read_sysreg(mair_el1);
	b->tcr = cn_arm64_read_sysreg(tcr_el1);
	b->ttbr0 = cn_arm64_read_sysreg(ttbr0_el1);
	b->sctlr = cn_arm64_read_sysreg(sctlr_el1);
	b->vbar = cn_arm64_read_sysreg(vbar_el1);
	b->sp_el1 = (uintptr_t)(a->exc_stack + sizeof(a->exc_stack));
	b->sp_el0 = (uintptr_t)(a->stack + sizeof(a->stack));
	b->cpu = c;
	clean_to_poc(b, sizeof(*b));
	*entry = (uintptr_t)cn_arm64_secondary_entry;
	*ctx = (uintptr_t)b;
	return 0;
}

/* The secondary's first C code, MMU on, its stacks, interrupts masked. */
void cn_arm64_secondary_start(struct arm64_boot *b)
{
	struct cn_cpu *c = b->cpu;
	struct arm64_cpu *a = c->arch;

	/* Given up on (too late, or started twice): stay out of the way. */
	if (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != CN_CPU_STARTING)
		cn_arch_halt_cpu();
	cn_arch_tls_set(a->tp);
	cn_arm64_irqchip_cpu_init();
	cn_cpu_ap_main();
}
