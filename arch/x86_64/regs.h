/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Assembler macros shared by the exception and interrupt entries: the
 * general registers pushed in the order of struct cn_arch_trap_frame
 * (<cairn/arch/x86_64.h>), and popped back.
 */
#ifndef X86_64_REGS_H
#define X86_64_REGS_H

.macro save_regs
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro restore_regs
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

#endif
