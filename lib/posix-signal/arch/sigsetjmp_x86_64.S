/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * int sigsetjmp(sigjmp_buf env, int savemask), x86_64: stores the mask
 * (cn_signal_jmp_save(env, savemask)), then tail-jumps to picolibc's
 * setjmp, which so sees our caller's return address and stack pointer
 * as if it had been called directly.
 */
	.text
	.globl	sigsetjmp
	.type	sigsetjmp, @function
sigsetjmp:
	pushq	%rdi			/* env; aligns the stack for the call */
	call	cn_signal_jmp_save
	popq	%rdi
	jmp	setjmp
	.size	sigsetjmp, . - sigsetjmp

	.section .note.GNU-stack, "", @progbits
