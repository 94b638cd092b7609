/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64's per-CPU pointer: TPIDR_EL1 holds the address of the CPU's
 * struct cn_cpu (set in boot.S for CPU 0, before any C code, and by
 * cn_arch_cpu_set_self() as each secondary starts). TPIDR_EL0 is the
 * thread pointer for TLS, so the two never meet. Included only through
 * <cairn/cpu.h> with CONFIG_SMP, after struct cn_cpu.
 */
#ifndef CAIRN_ARCH_PERCPU_H
#define CAIRN_ARCH_PERCPU_H

struct cn_cpu;

static inline struct cn_cpu *cn_arch_cpu_self(void)
{
	struct cn_cpu *c;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(c));
	return c;
}

/*
 * The CPU's running thread. arm64 has no register-relative load like
 * x86's %gs:, so it takes two instructions; interrupts are masked
 * between them, or a thread preempted after the first and moved to
 * another CPU would read the old CPU's thread.
 */
static inline void *cn_arch_cpu_thread(void)
{
	unsigned long daif;
	void *t;

	__asm__ volatile("mrs %1, daif\n\t"
			 "msr daifset, #2\n\t"
			 "mrs %0, tpidr_el1\n\t"
			 "ldr %0, [%0, %2]\n\t"
			 "msr daif, %1"
			 : "=&r"(t), "=&r"(daif)
			 : "i"(offsetof(struct cn_cpu, thread))
			 : "memory");
	return t;
}

#endif
