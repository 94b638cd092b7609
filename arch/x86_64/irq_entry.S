/* SPDX-License-Identifier: BSD-3-Clause */

#include "regs.h"
/*
 * Entry stubs for interrupt vectors 32-255. Unlike exceptions these
 * return to code that did not expect them, so besides the general
 * registers the FPU/SSE state is saved (fxsave) around the C dispatcher:
 * handlers are ordinary C and the compiler uses SSE registers freely.
 * The frame below the FPU area is a struct cn_arch_trap_frame, with the
 * vector in place of an exception number and an error code of 0.
 */

	.section .text.irq, "ax"
	.code64

.macro irq_stub vec
	.balign 8
irq_\vec:
	pushq $0
	pushq $\vec
	jmp irq_common
.endm

	.altmacro
	.set vec, 32
	.rept 224
	irq_stub %vec
	.set vec, vec + 1
	.endr

irq_common:
	save_regs
	movq %rsp, %rbx			/* the frame; callee-saved */
	subq $512, %rsp
	andq $~15, %rsp
	fxsave (%rsp)
	movq %rbx, %rdi
	cld
	call cn_arch_irq_dispatch
	fxrstor (%rsp)
	movq %rbx, %rsp
	restore_regs
	addq $16, %rsp
	iretq

	.section .rodata.irq_stubs, "a"
	.balign 8
	.globl cn_arch_irq_stubs
cn_arch_irq_stubs:
.macro irq_ptr v
	.quad irq_\v
.endm
	.set vec, 32
	.rept 224
	irq_ptr %vec
	.set vec, vec + 1
	.endr

	.section .note.GNU-stack, "", @progbits
