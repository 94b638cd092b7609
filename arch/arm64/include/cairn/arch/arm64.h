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
};
void cn_arm64_set_irqchip(const struct cn_arm64_irqchip *chip);

/* The generic timer's frequency (CNTFRQ_EL0), in Hz. */
static inline uint64_t cn_arm64_counter_hz(void)
{
	return cn_arm64_read_sysreg(cntfrq_el0);
}

#endif
