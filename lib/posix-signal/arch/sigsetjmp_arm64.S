/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * int sigsetjmp(sigjmp_buf env, int savemask), arm64: stores the mask
 * (cn_signal_jmp_save(env, savemask)), then branches to picolibc's
 * setjmp with x0 = env and our caller's lr and sp, as if it had been
 * called directly.
 */
	.text
	.globl	sigsetjmp
	.type	sigsetjmp, %function
sigsetjmp:
	stp	x0, x30, [sp, #-16]!
	bl	cn_signal_jmp_save
	ldp	x0, x30, [sp], #16
	b	setjmp
	.size	sigsetjmp, . - sigsetjmp

	.section .note.GNU-stack, "", %progbits
