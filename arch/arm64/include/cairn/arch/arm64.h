/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 details for the platform and drivers on arm64 only (portable code
 * uses <cairn/arch.h>): system register access, the trap frame, and the
 * interrupt controller hook.
 */
#ifndef CAIRN_ARCH_ARM64_H
#define CAIRN_ARCH_ARM64_H

#include <stdint.h>

#define cn_arm64_read_sysreg(r) ({					\
	uint64_t __v;							\
	__asm__ volatile("mrs %0, " #r : "=r"(__v));			\
	__v;								\
})
#define cn_arm64_write_sysreg(r, v) do {				\
	uint64_t __v = (uint64_t)(v);					\
	__asm__ volatile("msr " #r ", %0" : : "r"(__v) : "memory");	\
} while (0)

static inline void cn_arm64_isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

/* Saved by the exception entry (vectors.S), lowest address first. */
struct cn_arch_trap_frame {
	uint64_t x[31];		/* x0-x30; x29 is the frame pointer */
	uint64_t sp;		/* the interrupted stack pointer */
	uint64_t elr;		/* where the exception was taken */
	uint64_t spsr;
	uint64_t esr;		/* syndrome: what happened */
	uint64_t far;		/* faulting address (aborts) */
};

/*
 * The interrupt controller (the platform's GIC): ack() acknowledges the
 * highest-priority pending interrupt and returns the vector it is routed
 * to (a number from cn_arch_irq_alloc_vector()), or -1 when there is none
 * (spurious); it stores what eoi() needs in *token. eoi(token) ends it.
 */
struct cn_arm64_irqchip {
	int (*ack)(uint32_t *token);
	void (*eoi)(uint32_t token);
	/*
	 * SMP, optional: cpu_init() readies the calling secondary CPU's
	 * interface (GICv2 CPU interface, GICv3 redistributor and ICC
	 * registers) and its per-CPU interrupts; send_ipi() raises vector on
	 * CPU cpu (cn_cpu id) whose packed affinity (below) is aff, as a
	 * software-generated interrupt. Any context.
	 */
	void (*cpu_init)(void);
	void (*send_ipi)(unsigned int cpu, uint32_t aff, unsigned int vector);
};
void cn_arm64_set_irqchip(const struct cn_arm64_irqchip *chip);

/*
 * A CPU's MPIDR affinity packed into 32 bits, Aff3.Aff2.Aff1.Aff0 one
 * byte each: struct cn_cpu's hw_id on arm64 (0, 1, 2, ... on QEMU virt).
 */
static inline uint32_t cn_arm64_aff_pack(uint64_t mpidr)
{
	return (uint32_t)(mpidr & 0xffffff) | (uint32_t)((mpidr >> 32) & 0xff)
		<< 24;
}

static inline uint64_t cn_arm64_aff_unpack(uint32_t aff)
{
	return (aff & 0xffffff) | (uint64_t)(aff >> 24) << 32;
}

/*
 * SMP (CONFIG_SMP): the architecture's half of starting a secondary CPU.
 * cn_arm64_cpu_prepare() gives c its stacks (16 KiB thread stack that
 * becomes its idle thread's, 16 KiB exception stack), a TLS block and
 * the boot CPU's MMU and vector settings, and returns in *entry and *ctx
 * the physical entry point and context argument to pass to PSCI CPU_ON;
 * 0 or -ENOMEM. The started CPU turns its MMU on with the same page
 * tables, sets TPIDR_EL1, calls the irqchip's cpu_init() and goes to
 * cn_cpu_ap_main(). A CPU that starts after the platform gave up on it
 * (state not CN_CPU_STARTING) stops itself.
 */
struct cn_cpu;
void cn_arm64_irqchip_cpu_init(void);
int cn_arm64_cpu_prepare(struct cn_cpu *c, uint64_t *entry, uint64_t *ctx);

/* The generic timer's frequency (CNTFRQ_EL0), in Hz. */
static inline uint64_t cn_arm64_counter_hz(void)
{
	return cn_arm64_read_sysreg(cntfrq_el0);
}

#endif
