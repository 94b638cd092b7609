/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The exception vector table (VBAR_EL1) and its entry code.
 *
 * Cairn's code runs at EL1 with SPSel = 0: every thread's stack is SP_EL0,
 * and SP_EL1 is a separate exception stack. So a synchronous exception
 * (a fault) is taken onto SP_EL1 even when the thread's stack pointer sits
 * in its unmapped guard page (stack overflow), and the crash report can
 * still run. An interrupt switches back to the thread's stack (SPSel = 0)
 * before saving anything: the preemptive scheduler's exit hook may switch
 * threads from the handler, and each thread must keep its own interrupted
 * frame on its own stack.
 *
 * The interrupt path saves all general registers and all 32 SIMD
 * registers in full (a C handler may use v0-v31, and the ABI keeps only
 * the low halves of v8-v15), FPSR and FPCR, ELR_EL1 and SPSR_EL1.
 */
#define FRAME		288	/* struct cn_arch_trap_frame */
#define FPFRAME		528	/* fpsr, fpcr, q0-q31 */

.macro ventry label
	.balign 128
	b	\label
.endm

.macro save_gprs
	sub	sp, sp, #FRAME
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #256]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #272]
.endm

.macro restore_gprs
	ldp	x0, x1, [sp, #256]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME
.endm

	.section .text.vectors, "ax"
	.balign 2048
	.globl cn_arm64_vectors
cn_arm64_vectors:
	ventry	sync_thread		/* current EL, SP_EL0 */
	ventry	irq_thread
	ventry	fiq_thread
	ventry	serror_thread
	ventry	sync_handler		/* current EL, SP_EL1 */
	ventry	irq_handler
	ventry	fiq_handler
	ventry	serror_handler
	.rept 8				/* lower ELs: Cairn has none */
	ventry	lower_el
	.endr

/* A fault of thread code: report it from the exception stack. */
sync_thread:
	save_gprs
	mrs	x0, sp_el0
	str	x0, [sp, #248]
	mov	x0, sp
	mov	x1, #0
	bl	cn_arch_trap
	b	.

.macro fatal label, kind, from_thread
\label:
	save_gprs
	.if \from_thread
	mrs	x0, sp_el0
	.else
	add	x0, sp, #FRAME
	.endif
	str	x0, [sp, #248]
	mov	x0, sp
	mov	x1, #\kind
	bl	cn_arch_trap
	b	.
.endm
	fatal	fiq_thread, 2, 1
	fatal	serror_thread, 3, 1
	fatal	sync_handler, 4, 0
	fatal	fiq_handler, 6, 0
	fatal	serror_handler, 7, 0
	fatal	lower_el, 8, 0

/* Interrupts: on the interrupted thread's stack (see the top). */
irq_thread:
	msr	spsel, #0
irq_handler:
	save_gprs
	add	x0, sp, #FRAME
	str	x0, [sp, #248]
	sub	sp, sp, #FPFRAME
	stp	q0, q1, [sp, #16]
	stp	q2, q3, [sp, #48]
	stp	q4, q5, [sp, #80]
	stp	q6, q7, [sp, #112]
	stp	q8, q9, [sp, #144]
	stp	q10, q11, [sp, #176]
	stp	q12, q13, [sp, #208]
	stp	q14, q15, [sp, #240]
	stp	q16, q17, [sp, #272]
	stp	q18, q19, [sp, #304]
	stp	q20, q21, [sp, #336]
	stp	q22, q23, [sp, #368]
	stp	q24, q25, [sp, #400]
	stp	q26, q27, [sp, #432]
	stp	q28, q29, [sp, #464]
	stp	q30, q31, [sp, #496]
	mrs	x0, fpsr
	mrs	x1, fpcr
	stp	x0, x1, [sp, #0]
	add	x0, sp, #FPFRAME
	bl	cn_arch_irq_dispatch
	ldp	x0, x1, [sp, #0]
	msr	fpsr, x0
	msr	fpcr, x1
	ldp	q0, q1, [sp, #16]
	ldp	q2, q3, [sp, #48]
	ldp	q4, q5, [sp, #80]
	ldp	q6, q7, [sp, #112]
	ldp	q8, q9, [sp, #144]
	ldp	q10, q11, [sp, #176]
	ldp	q12, q13, [sp, #208]
	ldp	q14, q15, [sp, #240]
	ldp	q16, q17, [sp, #272]
	ldp	q18, q19, [sp, #304]
	ldp	q20, q21, [sp, #336]
	ldp	q22, q23, [sp, #368]
	ldp	q24, q25, [sp, #400]
	ldp	q26, q27, [sp, #432]
	ldp	q28, q29, [sp, #464]
	ldp	q30, q31, [sp, #496]
	add	sp, sp, #FPFRAME
	restore_gprs
	eret

	.section .note.GNU-stack, "", %progbits
