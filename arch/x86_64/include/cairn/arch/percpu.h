/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64's per-CPU pointer: the GS base holds the address of the CPU's
 * struct cn_cpu, whose first member points at itself, so one %gs-relative
 * load finds it (the FS base is the thread pointer for TLS). Set by
 * cn_arch_cpu_set_self() as each CPU starts. Included only through
 * <cairn/cpu.h> with CONFIG_SMP, after struct cn_cpu.
 */
#ifndef CAIRN_ARCH_PERCPU_H
#define CAIRN_ARCH_PERCPU_H

struct cn_cpu;

static inline struct cn_cpu *cn_arch_cpu_self(void)
{
	struct cn_cpu *c;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}

/* The CPU's running thread, in one load (a preempted thread may move). */
static inline void *cn_arch_cpu_thread(void)
{
	void *t;

	__asm__ volatile("movq %%gs:%c1, %0"
			 : "=r"(t) : "i"(offsetof(struct cn_cpu, thread)));
	return t;
}

#endif
