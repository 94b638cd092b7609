/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread context switch. Only what the AAPCS64 says a callee keeps is
 * saved: x19-x28, the frame pointer and link register, the low halves of
 * v8-v15 (d8-d15), FPCR; and DAIF, so that the interrupt mask follows
 * the thread. Caller-saved registers are dead across the call.
 *
 *	void cn_arch_ctx_switch(void **save_sp, void *load_sp)
 *
 * A new thread's stack is laid out by cn_arch_ctx_init() (context.c) to
 * look like a switched-out thread whose link register is thread_start.
 */
#define CTX	176

	.section .text.switch, "ax"
	.globl cn_arch_ctx_switch
cn_arch_ctx_switch:
	sub	sp, sp, #CTX
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mrs	x9, daif
	mrs	x10, fpcr
	stp	x9, x10, [sp, #160]
	mov	x9, sp
	str	x9, [x0]
	mov	sp, x1
	ldp	x9, x10, [sp, #160]
	msr	fpcr, x10
	ldp	d14, d15, [sp, #144]
	ldp	d12, d13, [sp, #128]
	ldp	d10, d11, [sp, #112]
	ldp	d8, d9, [sp, #96]
	ldp	x29, x30, [sp, #80]
	ldp	x27, x28, [sp, #64]
	ldp	x25, x26, [sp, #48]
	ldp	x23, x24, [sp, #32]
	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp, #0]
	add	sp, sp, #CTX
	msr	daif, x9
	ret

	/* x19 = argument, x20 = entry; the entry never returns. */
	.globl cn_arch_thread_start
cn_arch_thread_start:
	mov	x29, #0
	mov	x0, x19
	blr	x20
	udf	#0

	.section .note.GNU-stack, "", %progbits
