/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread context switch. Only what the ABI says a callee keeps is saved:
 * rbx, rbp, r12-r15, the MXCSR and x87 control words, and the flags (so
 * the interrupt flag follows the thread); the caller-saved registers,
 * SSE registers included, are dead across the call by definition.
 *
 *	void cn_arch_ctx_switch(void **save_sp, void *load_sp)
 *
 * A new thread's stack is laid out by cn_arch_ctx_init() to look like a
 * switched-out thread whose return address is thread_start.
 */
	.section .text.switch, "ax"
	.code64
	.globl cn_arch_ctx_switch
cn_arch_ctx_switch:
	pushfq
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	stmxcsr (%rsp)
	fnstcw 4(%rsp)
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	ldmxcsr (%rsp)
	fldcw 4(%rsp)
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	popfq
	ret

	/* r12 = argument, r13 = entry; the entry never returns. */
	.globl cn_arch_thread_start
cn_arch_thread_start:
	xorl %ebp, %ebp
	movq %r12, %rdi
	call *%r13
	ud2

	.section .note.GNU-stack, "", @progbits
