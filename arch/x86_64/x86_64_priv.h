/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to arch/x86_64. */
#ifndef X86_64_PRIV_H
#define X86_64_PRIV_H

#include <stdint.h>

/*
 * Prints "Backtrace:" and the frames of an interrupted context: rip first,
 * then its callers through the frame chain at rbp (rsp finds the caller of
 * a function that has no frame of its own).
 */
void cn_x86_backtrace_trap(uint64_t rip, uint64_t rbp, uint64_t rsp);

/* Is addr inside the guard page under the boot stack? */
int cn_x86_is_stack_guard(uint64_t addr);

/* Fills the IDT entries of vectors 32-255 with the stubs of irq.S. */
void cn_x86_idt_install_irqs(void);

/* The 64-bit task-state segment: only the interrupt stacks are used. */
struct cn_x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
#define CN_X86_IST_STACK	8192
#define CN_X86_GDT_ENTRIES	5	/* null, code, data, TSS (2) */

extern uint64_t cn_arch_gdt[CN_X86_GDT_ENTRIES];

/* Fills gdt's TSS descriptor with t and loads it (ltr). cpu.c */
void cn_x86_tss_load(uint64_t *gdt, struct cn_x86_tss *t, void *df_top,
		     void *pf_top);
/* Loads the one IDT on the calling CPU. cpu.c */
void cn_x86_idt_load(void);

/* locksleep.c: an NMI that was a lock kick (1), with *rip fixed up. */
int cn_x86_lock_nmi(uint64_t *rip);

#endif
