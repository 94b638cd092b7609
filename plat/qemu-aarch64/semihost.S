/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Arm semihosting's SYS_EXIT for power.c, made safe when QEMU runs without
 * semihosting: then HLT #0xf000 is an undefined instruction. For that one
 * instruction VBAR_EL1 points at a table whose every entry steps over
 * the faulting instruction and returns, so the caller goes on to PSCI
 * instead of printing a crash report for a normal exit.
 *
 *	void cn_qemu_semihost_exit(const uint64_t block[2])
 *
 * Interrupts are masked by the caller. Only x9 and x10 are used.
 */
	.section .text.semihost, "ax"
	.balign 2048
skip_vectors:
	.rept 16
	.balign 128
	mrs	x9, elr_el1
	add	x9, x9, #4
	msr	elr_el1, x9
	eret
	.endr

	.globl cn_qemu_semihost_exit
cn_qemu_semihost_exit:
	mov	x1, x0			/* parameter block */
	mov	x0, #0x18		/* SYS_EXIT */
	mrs	x10, vbar_el1
	adr	x9, skip_vectors
	msr	vbar_el1, x9
	isb
	hlt	#0xf000
	msr	vbar_el1, x10
	isb
	ret

	.section .note.GNU-stack, "", %progbits
