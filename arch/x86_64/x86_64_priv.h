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

#endif
